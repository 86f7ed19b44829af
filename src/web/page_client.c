/* page_client.c - the client card: who he is, his deals, the next planned step with its actions
 * (done, move, cancel), the answers call scripts captured and the whole history of contacts and
 * steps, newest first; the log form on it is page_log.c, the call script panel beside it
 * page_scripts.c. A refused step action comes back beside that step's form. */
#include "util/time.h"
#include "util/utf8.h"
#include "web/card.h"
#include "pbx/ami_link.h"
#include "web/pages.h"

#include <stdlib.h>
#include <string.h>

/* The msgids of the model's words, by their enums; card.h shares three with page_log.c. */
static const char *const category_labels[CAT__COUNT] = {N_("Now"), N_("Future"), N_("Never")};
const char *const card_step_kind_labels[STEP__COUNT] = {
    N_("Meeting"),	    N_("Visit or measurement"), N_("Call"),
    N_("Call back"),	    N_("Send an offer"),	N_("Send an invoice"),
    N_("Client's decision")};
static const char *const step_status_labels[STEP_STATUS__COUNT] = {N_("Planned"), N_("Done"),
								   N_("Missed"), N_("Cancelled")};
static const char *const deal_stage_labels[DEAL__COUNT] = {N_("Offer"), N_("Pending purchase"),
							   N_("Won"), N_("Lost")};
const char *const card_result_labels[RESULT__COUNT] = {
    N_("Maximum goal reached"), N_("Minimum goal reached"), N_("No goal reached")};
const char *const card_never_labels[NEVER__COUNT] = {N_("The company closed"),
						     N_("The person is gone")};

/* ---- small writers ---- */

static void label_text(struct html *h, const char *const *labels, int n, int i)
{
	if (i >= 0 && i < n)
		Tw(h, labels[i]);
}

static bool is(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static void money(struct html *h, int64_t minor)
{
	char buf[32];
	money_format(minor, buf);
	html_text(h, buf);
}

static void tel_link(struct html *h, const char *phone)
{
	HTML(h, "<a");
	html_attrf(h, "href", "tel:%s", phone);
	HTML(h, ">");
	html_text(h, phone);
	HTML(h, "</a>");
}

/* ---- the header, deals and next step ---- */

static void dl_item(struct html *h, const char *term, const char *value)
{
	if (!value)
		return;
	HTML(h, "<dt>");
	Tw(h, term);
	HTML(h, "</dt><dd>");
	html_text(h, value);
	HTML(h, "</dd>");
}

static void category_line(struct html *h, const struct client_rec *c)
{
	HTML(h, "<p class=\"category\"><span");
	html_attrf(h, "class", "badge cat-%s", category_name(c->category));
	HTML(h, ">");
	label_text(h, category_labels, CAT__COUNT, c->category);
	HTML(h, "</span>");
	if (c->category == CAT_FUTURE && c->refusal_reason) {
		HTML(h, " <span class=\"reason\">");
		Tw(h, "Refusal reason:");
		HTML(h, " ");
		html_text(h, c->refusal_reason);
		HTML(h, "</span>");
	}
	if (c->category == CAT_NEVER && c->never_reason) {
		HTML(h, " <span class=\"reason\">");
		int nr = never_reason_parse(c->never_reason);
		if (nr >= 0)
			label_text(h, card_never_labels, NEVER__COUNT, nr);
		else
			html_text(h, c->never_reason);
		if (c->never_note) {
			HTML(h, ": ");
			html_text(h, c->never_note);
		}
		HTML(h, "</span>");
	}
	HTML(h, "</p>");
}

static void card_header(struct page *p, const struct card_view *cv)
{
	struct html *h = &p->h;
	const struct client_rec *c = &cv->card.c;
	HTML(h, "<header class=\"card-head\"><h1>");
	html_text(h, c->name);
	HTML(h, "</h1>");
	if (c->company) {
		HTML(h, "<p class=\"company\">");
		html_text(h, c->company);
		HTML(h, "</p>");
	}
	category_line(h, c);
	/* click-to-call: the rep's own phone rings first, then the exchange dials the client */
	bool c2c = p->r->user.extension && *p->r->user.extension;
	HTML(h, "<ul class=\"phones\">");
	for (size_t i = 0; i < c->nphones; i++) {
		HTML(h, "<li>");
		tel_link(h, c->phones[i]);
		if (c2c) {
			HTML(h, " <form method=\"post\" class=\"inline c2c\"");
			html_attrf(h, "action", "/clients/%lld/originate", (long long)c->id);
			HTML(h, ">");
			page_csrf(p);
			HTML(h, "<input type=\"hidden\" name=\"phone\"");
			html_attr(h, "value", c->phones[i]);
			HTML(h, "><button type=\"submit\" class=\"small\"");
			html_attr(h, "title",
				  T(h, "Your phone rings first, then the client is dialled"));
			HTML(h, ">");
			Tw(h, "Call from my phone");
			HTML(h, "</button></form>");
		}
		HTML(h, "</li>");
	}
	HTML(h, "</ul>");
	if (cv->called) {
		HTML(h, "<p class=\"notice\" role=\"status\">");
		Tw(h, "Your phone is ringing: pick it up, and the exchange dials the client.");
		HTML(h, "</p>");
	}
	HTML(h, "<dl class=\"facts\">");
	dl_item(h, N_("Owner"), c->owner ? c->owner : T(h, "unassigned"));
	dl_item(h, N_("Segment"), c->segment);
	dl_item(h, N_("Lead source"), c->source);
	HTML(h, "</dl><p class=\"actions\"><a");
	html_attrf(h, "href", "/clients/%lld/edit", (long long)c->id);
	HTML(h, ">");
	Tw(h, "Edit");
	HTML(h, "</a> <a href=\"#log\" accesskey=\"l\">");
	Tw(h, "Log a call or meeting");
	HTML(h, "</a></p></header>");
	if (cv->warn) {
		HTML(h, "<p class=\"notice warning\" role=\"status\">");
		Tw(h, "The contact is saved.");
		HTML(h, " ");
		html_text(h, page_rule_message(h->lang, cv->warn));
		HTML(h, "</p>");
	}
	if (cv->sr && cv->sr->step_id != (cv->card.has_next ? cv->card.next.id : 0)) {
		HTML(h, "<p class=\"alert\" role=\"alert\">");
		html_text(h, cv->sr->msg);
		HTML(h, "</p>");
	}
}

static void deals_section(struct page *p, const struct card_view *cv)
{
	struct html *h = &p->h;
	if (cv->card.ndeals == 0)
		return;
	HTML(h, "<section class=\"deals\"><h2>");
	Tw(h, "Deals");
	HTML(h, "</h2><div class=\"scroll\"><table><thead><tr><th scope=\"col\">");
	Tw(h, "Stage");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Amount");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Opened");
	HTML(h, "</th></tr></thead><tbody>");
	for (size_t i = 0; i < cv->card.ndeals; i++) {
		const struct deal_rec *d = &cv->card.deals[i];
		HTML(h, "<tr");
		html_attrf(h, "class", "deal-%s", deal_stage_name(d->stage));
		HTML(h, "><td>");
		label_text(h, deal_stage_labels, DEAL__COUNT, d->stage);
		HTML(h, "</td><td class=\"num\">");
		money(h, d->amount);
		HTML(h, "</td><td>");
		page_time(p, d->created_at);
		HTML(h, "</td></tr>");
	}
	HTML(h, "</tbody></table></div></section>");
}

/* step_refusal_at writes the step action's refusal when it concerns field of step id. */
static void step_refusal_at(struct html *h, const struct card_view *cv, int64_t id,
			    const char *field)
{
	if (!cv->sr || cv->sr->step_id != id || !is(cv->sr->field, field))
		return;
	HTML(h, "<p class=\"field-error\" role=\"alert\"");
	html_attrf(h, "id", "step-%s-error", field);
	HTML(h, ">");
	html_text(h, cv->sr->msg);
	HTML(h, "</p>");
}

static void step_form_open(struct page *p, const struct step_rec *s, const char *action)
{
	struct html *h = &p->h;
	HTML(h, "<form method=\"post\"");
	html_attrf(h, "action", "/steps/%lld/%s", (long long)s->id, action);
	html_attrf(h, "class", "step-%s", action);
	HTML(h, ">");
	page_csrf(p);
	HTML(h, "<input type=\"hidden\" name=\"back\"");
	html_attrf(h, "value", "/clients/%lld", (long long)s->client_id);
	HTML(h, ">");
}

static void step_forms(struct page *p, const struct card_view *cv, const struct step_rec *s)
{
	struct html *h = &p->h;
	const struct step_refusal *sr = cv->sr && cv->sr->step_id == s->id ? cv->sr : NULL;
	step_form_open(p, s, "done");
	HTML(h, "<button type=\"submit\">");
	Tw(h, "Done");
	HTML(h, "</button></form>");
	step_refusal_at(h, cv, s->id, "");
	step_form_open(p, s, "move");
	HTML(h, "<label for=\"step-when\">");
	Tw(h, "Move to");
	HTML(h, "</label><input type=\"datetime-local\" id=\"step-when\" name=\"when\" required");
	html_attr(h, "value",
		  sr && is(sr->field, "when") ? sr->value : page_time_input(p, s->due_at));
	if (sr && is(sr->field, "when"))
		HTML(h, " aria-invalid=\"true\" aria-describedby=\"step-when-error\"");
	HTML(h, "><button type=\"submit\">");
	Tw(h, "Move");
	HTML(h, "</button>");
	step_refusal_at(h, cv, s->id, "when");
	HTML(h, "</form>");
	step_form_open(p, s, "cancel");
	HTML(h, "<label for=\"step-reason\">");
	Tw(h, "Reason to cancel");
	HTML(h, "</label><input id=\"step-reason\" name=\"reason\" maxlength=\"1000\" required");
	html_attr(h, "value", sr && is(sr->field, "reason") ? sr->value : NULL);
	if (sr && is(sr->field, "reason"))
		HTML(h, " aria-invalid=\"true\" aria-describedby=\"step-reason-error\"");
	HTML(h, "><button type=\"submit\">");
	Tw(h, "Cancel the step");
	HTML(h, "</button>");
	step_refusal_at(h, cv, s->id, "reason");
	HTML(h, "</form>");
}

static void next_section(struct page *p, const struct card_view *cv)
{
	struct html *h = &p->h;
	const struct step_rec *s = &cv->card.next;
	HTML(h, "<section class=\"next-step\" id=\"next\"><h2>");
	Tw(h, "Next step");
	HTML(h, "</h2>");
	if (!cv->card.has_next) {
		HTML(h, "<p class=\"empty\">");
		if (cv->card.c.category == CAT_NEVER)
			Tw(h, "No next step: the client is filed as never.");
		else
			html_text(h, page_rule_message(h->lang, "next_step_missing"));
		HTML(h, "</p></section>");
		return;
	}
	bool overdue = s->due_at < p->r->app.now;
	HTML(h, "<p");
	html_attr(h, "class", overdue ? "step overdue" : "step");
	HTML(h, "><strong>");
	label_text(h, card_step_kind_labels, STEP__COUNT, s->kind);
	HTML(h, "</strong> <time>");
	page_time(p, s->due_at);
	HTML(h, "</time>");
	if (overdue) {
		HTML(h, " <span class=\"badge overdue\">");
		Tw(h, "overdue");
		HTML(h, "</span>");
	}
	if (s->note) {
		HTML(h, " · ");
		html_text(h, s->note);
	}
	HTML(h, "</p><div class=\"step-actions\">");
	step_forms(p, cv, s);
	HTML(h, "</div></section>");
}

/* ---- the answers captured by call scripts ---- */

static void answers_section(struct page *p, const struct card_view *cv)
{
	struct html *h = &p->h;
	if (cv->card.nfields == 0)
		return;
	HTML(h, "<section class=\"answers\" id=\"answers\"><h2>");
	Tw(h, "Answers");
	HTML(h, "</h2><dl class=\"facts answers\">");
	for (size_t i = 0; i < cv->card.nfields; i++) {
		const struct client_field *f = &cv->card.fields[i];
		int64_t t;
		struct nc_err err = {0};
		HTML(h, "<dt>");
		html_text(h, f->field);
		HTML(h, "</dt><dd");
		html_attr(h, "data-field", f->field);
		HTML(h, ">");
		/* a date and time is stored in UTC and shown in the user's zone */
		if (is(f->type, "datetime") && time_parse_rfc3339(f->value, "value", &t, &err) == 0)
			page_time(p, t);
		else
			html_text(h, f->value);
		HTML(h, "</dd>");
	}
	HTML(h, "</dl></section>");
}

/* ---- the history ---- */

static void detail(struct html *h, const char *term, const char *value)
{
	if (utf8_is_blank(value))
		return;
	HTML(h, "<dt>");
	Tw(h, term);
	HTML(h, "</dt><dd>");
	html_text(h, value);
	HTML(h, "</dd>");
}

static const char *outcome_label(const char *outcome)
{
	static const struct {
		const char *word, *label;
	} o[] = {{"next_step", N_("Next step planned")},
		 {"sale", N_("Sale")},
		 {"refused", N_("Refused")},
		 {"never", N_("Filed as never")},
		 {"missed", N_("Missed")},
		 {"none", N_("No outcome")}};
	for (size_t i = 0; outcome && i < sizeof(o) / sizeof(o[0]); i++)
		if (strcmp(o[i].word, outcome) == 0)
			return o[i].label;
	return NULL;
}

/* safe_url: a recording link only over http(s), never javascript: or data:. */
static bool safe_url(const char *u)
{
	return u && (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0);
}

static void contact_title(struct html *h, const struct call_rec *c)
{
	HTML(h, "<strong>");
	if (c->kind == CONTACT_MEETING)
		Tw(h, "Meeting");
	else if (c->direction == DIR_IN)
		Tw(h, "Inbound call");
	else
		Tw(h, "Outbound call");
	HTML(h, "</strong>");
	if (c->missed) {
		HTML(h, " <span class=\"badge missed\">");
		Tw(h, "missed");
		HTML(h, "</span>");
	}
	if (c->rep) {
		HTML(h, " <span class=\"rep\">");
		html_text(h, c->rep);
		HTML(h, "</span>");
	}
}

static void history_contact(struct page *p, const struct call_rec *c)
{
	struct html *h = &p->h;
	HTML(h, "<li");
	html_attrf(h, "class", "h-contact h-%s", contact_kind_name(c->kind));
	HTML(h, "><time>");
	page_time(p, c->started_at);
	HTML(h, "</time> ");
	contact_title(h, c);
	HTML(h, "<dl>");
	detail(h, N_("Purpose"), c->purpose);
	detail(h, N_("Maximum goal"), c->goal_max);
	detail(h, N_("Minimum goal"), c->goal_min);
	if (c->result >= 0 && c->result < RESULT__COUNT)
		detail(h, N_("Result"), T(h, card_result_labels[c->result]));
	if (!c->missed && outcome_label(c->outcome))
		detail(h, N_("Outcome"), T(h, outcome_label(c->outcome)));
	detail(h, N_("Refusal reason"), c->refusal_reason);
	if (c->talk_s > 0) {
		HTML(h, "<dt>");
		Tw(h, "Talk time");
		HTML(h, "</dt><dd>");
		html_textf(h, "%d:%02d", c->talk_s / 60, c->talk_s % 60);
		HTML(h, "</dd>");
	}
	HTML(h, "</dl>");
	if (safe_url(c->recording_url)) {
		HTML(h, "<a class=\"recording\" rel=\"noopener noreferrer\"");
		html_attr(h, "href", c->recording_url);
		HTML(h, ">");
		Tw(h, "Recording");
		HTML(h, "</a>");
	}
	HTML(h, "</li>");
}

static void history_step(struct page *p, const struct step_rec *s)
{
	struct html *h = &p->h;
	HTML(h, "<li");
	html_attrf(h, "class", "h-step h-%s", step_status_name(s->status));
	HTML(h, "><time>");
	page_time(p, s->due_at);
	HTML(h, "</time> <strong>");
	label_text(h, card_step_kind_labels, STEP__COUNT, s->kind);
	HTML(h, "</strong> <span");
	html_attrf(h, "class", "badge step-%s", step_status_name(s->status));
	HTML(h, ">");
	label_text(h, step_status_labels, STEP_STATUS__COUNT, s->status);
	HTML(h, "</span>");
	if (s->auto_planned) {
		HTML(h, " <span class=\"auto\">");
		Tw(h, "planned automatically");
		HTML(h, "</span>");
	}
	if (s->rep) {
		HTML(h, " <span class=\"rep\">");
		html_text(h, s->rep);
		HTML(h, "</span>");
	}
	if (s->note || s->cancel_reason) {
		HTML(h, "<dl>");
		detail(h, N_("Note"), s->note);
		detail(h, N_("Reason to cancel"), s->cancel_reason);
		HTML(h, "</dl>");
	}
	HTML(h, "</li>");
}

static void history_section(struct page *p, const struct card_view *cv)
{
	struct html *h = &p->h;
	const struct call_rec *c = cv->card.calls;
	const struct step_rec *s = cv->steps;
	size_t nc = cv->card.ncalls, ns = cv->nsteps, i = 0, j = 0;
	/* a capped list stops where it was cut: the other one stops there too */
	int64_t floor = INT64_MIN;
	if (nc == CLIENT_CARD_HISTORY)
		floor = c[nc - 1].started_at;
	if (ns == CLIENT_STEPS_HISTORY && s[ns - 1].due_at > floor)
		floor = s[ns - 1].due_at;
	HTML(h, "<section class=\"history\" id=\"history\"><h2>");
	Tw(h, "History");
	HTML(h, "</h2>");
	if (nc + ns == 0) {
		HTML(h, "<p class=\"empty\">");
		Tw(h, "No contacts yet.");
		HTML(h, "</p></section>");
		return;
	}
	HTML(h, "<ol class=\"timeline\">");
	while ((i < nc && c[i].started_at >= floor) || (j < ns && s[j].due_at >= floor)) {
		bool call = i < nc && c[i].started_at >= floor &&
			    (j >= ns || s[j].due_at < floor || c[i].started_at >= s[j].due_at);
		if (call)
			history_contact(p, &c[i++]);
		else
			history_step(p, &s[j++]);
	}
	HTML(h, "</ol>");
	if (i < nc || j < ns) {
		HTML(h, "<p class=\"more\">");
		Tw(h, "Older history is not shown.");
		HTML(h, "</p>");
	}
	HTML(h, "</section>");
}

/* ---- the page ---- */

int card_load(struct req *r, int64_t id, struct card_view *cv, struct nc_err *err)
{
	if (app_client_card(&r->app, id, &cv->card, err) < 0 ||
	    app_client_steps(&r->app, id, &cv->steps, &cv->nsteps, err) < 0)
		return -1;
	return 0;
}

void card_render_run(struct req *r, const struct card_view *cv, const struct run_panel *rp,
		     int status)
{
	struct run_panel loaded;
	struct nc_err err = {0};
	if (!rp) {
		const char *q = http_query(r, "run");
		char *end;
		long long run = q ? strtoll(q, &end, 10) : 0;
		if (!q || *end || run < 0)
			run = 0;
		if (run_panel_load(r, cv->card.c.id, run, &loaded, &err) < 0) {
			page_fail(r, &err);
			return;
		}
		rp = &loaded;
	}
	struct page p;
	page_begin(&p, r, cv->card.c.name, "clients");
	/* during a call the script panel comes first: beside the card on a wide screen, above it
	 * on a phone */
	if (rp->open) {
		HTML(&p.h, "<div class=\"with-script\">");
		run_panel_write(&p, &cv->card, rp);
	}
	HTML(&p.h, "<article class=\"card\" id=\"card\">");
	card_header(&p, cv);
	if (!rp->open)
		run_panel_write(&p, &cv->card, rp);
	next_section(&p, cv);
	card_log_section(&p, cv);
	deals_section(&p, cv);
	answers_section(&p, cv);
	history_section(&p, cv);
	HTML(&p.h, "</article>");
	if (rp->open)
		HTML(&p.h, "</div>");
	page_end(&p, status);
}

void card_render(struct req *r, const struct card_view *cv, int status)
{
	card_render_run(r, cv, NULL, status);
}

/* show_card renders client id's card with the default log form. */
static void show_card(struct req *r, int64_t id, const struct step_refusal *sr, int status)
{
	struct card_view cv = {.sr = sr};
	struct nc_err err = {0};
	if (card_load(r, id, &cv, &err) < 0 || card_log_defaults(r, &cv.lf, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	const char *warn = http_query(r, "warn");
	if (!sr && is(warn, "cadence_exceeded"))
		cv.warn = warn;
	cv.called = is(http_query(r, "called"), "1");
	card_render(r, &cv, status);
}

void page_client(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	if (id > 0)
		show_card(r, id, NULL, 200);
}

/* POST /clients/{id}/originate: click-to-call from the card (AMI Originate, docs/telephony.md).
 * A refusal (no extension, the exchange not connected) is shown on the card. */
void page_client_originate(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	struct form f;
	if (id < 0 || page_form(r, &f) < 0)
		return;
	struct originate_out o;
	struct nc_err err = {0};
	char action_id[64];
	if (app_originate_prepare(&r->app, id, form_get(&f, "phone"), &o, &err) < 0 ||
	    ami_link_originate(&o, action_id, sizeof(action_id), &err) < 0) {
		if (err.code == NC_EFORBIDDEN || err.code == NC_ENOTFOUND) {
			page_fail(r, &err);
			return;
		}
		struct step_refusal sr = {.step_id = -1, .msg = err.msg};
		show_card(r, id, &sr, err.code == NC_EBUSY ? 503 : 422);
		return;
	}
	page_redirect(r, arena_printf(&r->a, "/clients/%lld?called=1", (long long)id));
}

/* ---- next-step actions ---- */

enum step_action { ACT_DONE, ACT_MOVE, ACT_CANCEL };

/* local_path keeps a return address only when it is a path of this site. */
static bool local_path(const char *s)
{
	return page_local_path(s) && strlen(s) < 200;
}

static void step_refused(struct req *r, const struct step_rec *s, const struct nc_err *err,
			 const char *field, const char *value)
{
	struct html tr = {.lang = page_lang(r)};
	struct step_refusal sr = {.step_id = s->id, .field = field, .value = value};
	int status = 400;
	if (err->code == NC_ERULE) {
		sr.msg = page_rule_message(tr.lang, err->rule);
		status = 422;
	} else if (err->code == NC_ECONFLICT) {
		sr.msg =
		    T(&tr, "This step is no longer planned: it was done, missed or cancelled.");
		sr.field = "";
		status = 409;
	} else if (is(field, "reason")) {
		sr.msg = T(&tr, "Say why the step is cancelled.");
	} else if (is(field, "when")) {
		sr.msg = T(&tr, "Give a date and a time.");
	} else {
		page_fail(r, err);
		return;
	}
	show_card(r, s->client_id, &sr, status);
}

static void step_action(struct req *r, enum step_action act)
{
	int64_t id = http_param_id(r, 0);
	struct form f;
	struct step_rec s;
	struct nc_err err = {0};
	if (id < 0 || page_form(r, &f) < 0)
		return;
	if (app_step_get(&r->app, id, &s, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	const char *when = or_empty(form_get(&f, "when"));
	const char *reason = or_empty(form_get(&f, "reason"));
	int rc = act == ACT_DONE   ? app_step_done(&r->app, id, &err)
		 : act == ACT_MOVE ? app_step_move(&r->app, id, when, &err)
				   : app_step_cancel(&r->app, id, reason, &err);
	if (rc < 0) {
		step_refused(r, &s, &err,
			     act == ACT_MOVE	 ? "when"
			     : act == ACT_CANCEL ? "reason"
						 : "",
			     act == ACT_MOVE ? when : reason);
		return;
	}
	const char *back = form_get(&f, "back");
	page_redirect(r, local_path(back)
			     ? back
			     : arena_printf(&r->a, "/clients/%lld", (long long)s.client_id));
}

void page_step_done(struct req *r)
{
	step_action(r, ACT_DONE);
}

void page_step_move(struct req *r)
{
	step_action(r, ACT_MOVE);
}

void page_step_cancel(struct req *r)
{
	step_action(r, ACT_CANCEL);
}
