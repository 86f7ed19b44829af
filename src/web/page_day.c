/* page_day.c - the pages of the day: a rep's day ("/day": the next call with its purpose and
 * goals, overdue and today's steps, what to fix, calls nobody logged, the counters), the head's
 * team day ("/team") and the clients filed as lost or refused lately ("/lost"). */
#include "util/time.h"
#include "util/utf8.h"
#include "web/page.h"
#include "web/pages.h"

#include <stdio.h>
#include <string.h>

#define OVERDUE_SHOWN	 50  /* overdue steps listed; the rest are counted */
#define TODAY_SHOWN	 100 /* today's steps listed */
#define VIOLATIONS_SHOWN 50  /* clients with problems listed */
#define UNLOGGED_SHOWN	 20  /* unlogged calls listed */

/* ---- words of the domain, in the user's language ---- */

static const char *kind_label(enum step_kind k)
{
	static const char *const labels[STEP__COUNT] = {
	    [STEP_MEETING] = N_("Meeting"),	[STEP_VISIT] = N_("Visit"),
	    [STEP_CALL] = N_("Call"),		[STEP_CALLBACK] = N_("Call back"),
	    [STEP_OFFER] = N_("Send an offer"), [STEP_INVOICE] = N_("Send an invoice"),
	    [STEP_DECISION] = N_("Decision"),
	};
	return k >= 0 && k < STEP__COUNT ? labels[k] : N_("Call");
}

/* contact_label names a contact by its kind and direction. */
static const char *contact_label(const struct call_rec *c)
{
	if (c->kind == CONTACT_MEETING)
		return N_("Meeting");
	if (c->direction == DIR_IN)
		return c->missed ? N_("Missed inbound call") : N_("Inbound call");
	if (c->direction == DIR_OUT)
		return c->missed ? N_("Unanswered outbound call") : N_("Outbound call");
	return N_("Call");
}

static const char *outcome_label(const char *outcome)
{
	static const struct {
		const char *word, *label;
	} labels[] = {
	    {"next_step", N_("Next step agreed")},
	    {"sale", N_("Sale")},
	    {"refused", N_("Refused")},
	    {"never", N_("Filed as never")},
	    {"missed", N_("Not reached")},
	    {"none", N_("No outcome")},
	};
	for (size_t i = 0; outcome && i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].word, outcome) == 0)
			return labels[i].label;
	return N_("No outcome");
}

static const char *never_label(const char *reason)
{
	if (reason && strcmp(reason, "closed") == 0)
		return N_("The company closed");
	if (reason && strcmp(reason, "gone") == 0)
		return N_("The person is gone");
	return N_("No reason given");
}

/* ---- small pieces ---- */

/* when writes t as a <time> element: the time of day only when short, else date and time. */
static void when(struct page *p, int64_t t, bool short_form)
{
	char iso[32], local[24];
	time_rfc3339(t, NULL, iso);
	time_format_local(t, http_zone(p->r), local);
	HTML(&p->h, "<time");
	html_attr(&p->h, "datetime", iso);
	HTML(&p->h, ">");
	html_text(&p->h, short_form ? local + 11 : local);
	HTML(&p->h, "</time>");
}

static void client_link(struct page *p, int64_t id, const char *name)
{
	HTML(&p->h, "<a href=\"/clients/");
	html_int(&p->h, id);
	HTML(&p->h, "\">");
	html_text(&p->h, name && *name ? name : T(&p->h, "(no name)"));
	HTML(&p->h, "</a>");
}

static void tel_link(struct page *p, const char *phone)
{
	if (!phone || !*phone)
		return;
	HTML(&p->h, "<a class=\"tel\"");
	html_attr(&p->h, "href", arena_printf(&p->r->a, "tel:%s", phone));
	HTML(&p->h, ">");
	html_text(&p->h, phone);
	HTML(&p->h, "</a>");
}

/* done_form posts "this step is done" and comes back to back. */
static void done_form(struct page *p, int64_t step_id, const char *back)
{
	HTML(&p->h, "<form method=\"post\" class=\"inline\" action=\"/steps/");
	html_int(&p->h, step_id);
	HTML(&p->h, "/done\">");
	page_csrf(p);
	HTML(&p->h, "<input type=\"hidden\" name=\"back\"");
	html_attr(&p->h, "value", back);
	HTML(&p->h, "><button type=\"submit\" class=\"small\">");
	Tw(&p->h, "Done");
	HTML(&p->h, "</button></form>");
}

/* more_note says how many rows of a capped list are not shown. */
static void more_note(struct page *p, size_t shown, size_t total)
{
	if (total <= shown)
		return;
	HTML(&p->h, "<p class=\"more\">");
	Tw(&p->h, "More not shown:");
	HTML(&p->h, " ");
	html_int(&p->h, (int64_t)(total - shown));
	HTML(&p->h, "</p>");
}

static void counter(struct page *p, int64_t n, const char *label, const char *name)
{
	HTML(&p->h, "<li");
	html_attr(&p->h, "data-counter", name);
	HTML(&p->h, "><span class=\"count\">");
	html_int(&p->h, n);
	HTML(&p->h, "</span> <span class=\"label\">");
	Tw(&p->h, label);
	HTML(&p->h, "</span></li>");
}

/* ---- the day ---- */

/* A handover form sent back refused: its message by the call's row, the text as typed. */
struct handover_refusal {
	int64_t call_id;
	const char *msg; /* in the user's language */
	const char *note;
};

struct day {
	struct agenda ag;
	const char *name; /* whose day, as people call him */
	bool own;	  /* the viewer's own day */
	const char *back; /* where the forms come back to */
	const struct step_rec *next;
	struct call_brief brief;
	struct call_rec *unlogged;
	size_t nunlogged;
	const struct handover_refusal *refused; /* NULL: none */
};

static void day_counters(struct page *p, const struct day *d)
{
	HTML(&p->h, "<ul class=\"counters\"");
	html_attr(&p->h, "aria-label", T(&p->h, "Today in numbers"));
	HTML(&p->h, ">");
	counter(p, d->ag.calls_today, N_("Calls made today"), "calls");
	counter(p, d->ag.planned_today, N_("Planned today"), "planned");
	counter(p, d->ag.pool_now + d->ag.pool_future, N_("Clients in the pool"), "pool");
	HTML(&p->h, "</ul>");
}

static void day_head(struct page *p, const struct day *d)
{
	HTML(&p->h, "<div class=\"day-head\"><h1>");
	if (d->own) {
		Tw(&p->h, "My day");
	} else {
		Tw(&p->h, "Day of a rep:");
		HTML(&p->h, " ");
		html_text(&p->h, d->name);
	}
	HTML(&p->h, "</h1>");
	day_counters(p, d);
	HTML(&p->h, "</div>");
	if (p->r->user.role != ROLE_REP) {
		HTML(&p->h, "<p class=\"day-links\"><a href=\"/team\">");
		Tw(&p->h, "Team day");
		HTML(&p->h, "</a>");
		if (!d->own) {
			HTML(&p->h, " · <a href=\"/day\">");
			Tw(&p->h, "My day");
			HTML(&p->h, "</a>");
		}
		HTML(&p->h, "</p>");
	}
}

/* last_contact writes the summary of the client's newest contact. */
static void last_contact(struct page *p, const struct call_brief *b)
{
	struct html *h = &p->h;
	HTML(h, "<dt>");
	Tw(h, "Last contact");
	HTML(h, "</dt><dd class=\"last-contact\">");
	if (!b->has_last) {
		Tw(h, "None yet: this is the first contact.");
		HTML(h, "</dd>");
		return;
	}
	when(p, b->last.started_at, false);
	HTML(h, " · ");
	Tw(h, contact_label(&b->last));
	HTML(h, " · <span");
	html_attr(h, "data-outcome", b->last.outcome);
	HTML(h, ">");
	Tw(h, outcome_label(b->last.outcome));
	HTML(h, "</span>");
	if (b->last.purpose && *b->last.purpose) {
		HTML(h, "<br><span class=\"purpose\">");
		Tw(h, "Purpose:");
		HTML(h, " ");
		html_text(h, b->last.purpose);
		HTML(h, "</span>");
	}
	if (b->last.refusal_reason && *b->last.refusal_reason) {
		HTML(h, "<br><span class=\"refusal\">");
		Tw(h, "Reason for the refusal:");
		HTML(h, " ");
		html_text(h, b->last.refusal_reason);
		HTML(h, "</span>");
	}
	HTML(h, "</dd>");
}

static void brief_item(struct page *p, const char *label, const char *value, const char *missing)
{
	HTML(&p->h, "<dt>");
	Tw(&p->h, label);
	HTML(&p->h, "</dt><dd>");
	if (value && *value) {
		html_text(&p->h, value);
	} else {
		HTML(&p->h, "<em class=\"missing\">");
		Tw(&p->h, missing);
		HTML(&p->h, "</em>");
	}
	HTML(&p->h, "</dd>");
}

static void next_call_who(struct page *p, const struct day *d)
{
	struct html *h = &p->h;
	const struct step_rec *s = d->next;
	bool overdue = s->due_at < p->r->app.now;
	HTML(h, "<p class=\"due\">");
	if (overdue) {
		HTML(h, "<span class=\"badge overdue\">");
		Tw(h, "Overdue");
		HTML(h, "</span> ");
	}
	when(p, s->due_at, !overdue);
	HTML(h, " · <span class=\"kind\">");
	Tw(h, kind_label(s->kind));
	HTML(h, "</span></p><h3 class=\"who\">");
	client_link(p, d->brief.c.id, d->brief.c.name);
	if (d->brief.c.company && *d->brief.c.company) {
		HTML(h, " <span class=\"company\">");
		html_text(h, d->brief.c.company);
		HTML(h, "</span>");
	}
	HTML(h, "</h3>");
}

static void next_call(struct page *p, const struct day *d)
{
	struct html *h = &p->h;
	const struct call_brief *b = &d->brief;
	HTML(h, "<section class=\"next-call\" aria-labelledby=\"next-call-h\"><h2 "
		"id=\"next-call-h\">");
	Tw(h, "Next call");
	HTML(h, "</h2>");
	next_call_who(p, d);
	HTML(h, "<dl class=\"brief\">");
	brief_item(p, N_("Purpose"), d->next->note,
		   N_("No purpose written: decide what the client gets from this call before you "
		      "dial."));
	brief_item(p, N_("Maximum goal"), b->goal_max, N_("Not set"));
	brief_item(p, N_("Minimum goal"), b->goal_min, N_("Not set"));
	last_contact(p, b);
	HTML(h, "<dt>");
	Tw(h, "Phone");
	HTML(h, "</dt><dd class=\"phones\">");
	for (size_t i = 0; i < b->c.nphones; i++) {
		if (i)
			HTML(h, " ");
		tel_link(p, b->c.phones[i]);
	}
	if (!b->c.nphones)
		Tw(h, "No phone");
	HTML(h, "</dd></dl><p class=\"actions\"><a class=\"button primary\" accesskey=\"o\" "
		"href=\"/clients/");
	html_int(h, b->c.id);
	HTML(h, "#log\">");
	Tw(h, "Open the card");
	HTML(h, "</a>");
	if (b->c.nphones) {
		HTML(h, " <a class=\"button\"");
		html_attr(h, "href", arena_printf(&p->r->a, "tel:%s", b->c.phones[0]));
		HTML(h, ">");
		Tw(h, "Call");
		HTML(h, "</a>");
	}
	HTML(h, "</p></section>");
}

/* step_rows writes a table of steps (at most max of them); short_form shows times of day. */
static void step_rows(struct page *p, const struct day *d, const struct step_rec *s, size_t n,
		      size_t max, bool short_form)
{
	struct html *h = &p->h;
	HTML(h, "<div class=\"scroll\"><table class=\"steps\"><thead><tr><th scope=\"col\">");
	Tw(h, short_form ? N_("Time") : N_("Due"));
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Step");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Client");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Phone");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Note");
	HTML(h, "</th><th scope=\"col\"><span class=\"visually-hidden\">");
	Tw(h, "Actions");
	HTML(h, "</span></th></tr></thead><tbody>");
	for (size_t i = 0; i < n && i < max; i++) {
		HTML(h, "<tr");
		html_attr(h, "data-kind", step_kind_name(s[i].kind));
		HTML(h, "><td>");
		when(p, s[i].due_at, short_form);
		HTML(h, "</td><td>");
		Tw(h, kind_label(s[i].kind));
		HTML(h, "</td><td>");
		client_link(p, s[i].client_id, s[i].client_name);
		HTML(h, "</td><td>");
		tel_link(p, s[i].client_phone);
		HTML(h, "</td><td class=\"note\">");
		html_text(h, s[i].note);
		HTML(h, "</td><td>");
		done_form(p, s[i].id, d->back);
		HTML(h, "</td></tr>");
	}
	HTML(h, "</tbody></table></div>");
	more_note(p, max, n);
}

static void overdue_section(struct page *p, const struct day *d)
{
	if (!d->ag.noverdue)
		return;
	HTML(&p->h,
	     "<section class=\"overdue\" aria-labelledby=\"overdue-h\"><h2 id=\"overdue-h\">");
	Tw(&p->h, "Overdue");
	HTML(&p->h, " <span class=\"n\">");
	html_int(&p->h, d->ag.overdue_total);
	HTML(&p->h, "</span></h2>");
	step_rows(p, d, d->ag.overdue, d->ag.noverdue, OVERDUE_SHOWN, false);
	HTML(&p->h, "</section>");
}

static void today_section(struct page *p, const struct day *d)
{
	HTML(&p->h, "<section class=\"today\" aria-labelledby=\"today-h\"><h2 id=\"today-h\">");
	Tw(&p->h, "Today");
	HTML(&p->h, "</h2>");
	if (d->ag.ntoday) {
		step_rows(p, d, d->ag.today, d->ag.ntoday, TODAY_SHOWN, true);
	} else {
		HTML(&p->h, "<p class=\"empty\">");
		Tw(&p->h, "Nothing else is planned for today.");
		HTML(&p->h, "</p>");
	}
	HTML(&p->h, "</section>");
}

/* problem_item writes one client's problems (consecutive in the agenda, which lists them by
 * client) from index i; returns the index after them. */
static size_t problem_item(struct page *p, const struct agenda *ag, size_t i)
{
	struct html *h = &p->h;
	const struct agenda_violation *v = &ag->violations[i];
	HTML(h, "<li>");
	client_link(p, v->client_id, v->client_name);
	HTML(h, "<ul class=\"rules\">");
	for (; i < ag->nviolations && ag->violations[i].client_id == v->client_id; i++) {
		HTML(h, "<li");
		html_attr(h, "data-rule", ag->violations[i].rule);
		HTML(h, ">");
		html_text(h, page_rule_message(h->lang, ag->violations[i].rule));
		HTML(h, "</li>");
	}
	HTML(h, "</ul>");
	if (v->due_at) {
		HTML(h, "<span class=\"step-due\">");
		Tw(h, "Next step:");
		HTML(h, " ");
		when(p, v->due_at, false);
		HTML(h, "</span>");
	}
	HTML(h, "</li>");
	return i;
}

static void violations_section(struct page *p, const struct day *d)
{
	struct html *h = &p->h;
	if (!d->ag.nviolations)
		return;
	HTML(h, "<section class=\"violations\" aria-labelledby=\"fix-h\"><h2 id=\"fix-h\">");
	Tw(h, "To fix");
	HTML(h, " <span class=\"n\">");
	html_int(h, (int64_t)d->ag.nviolations);
	HTML(h, "</span></h2><ul class=\"problems\">");
	size_t i = 0;
	for (size_t shown = 0; i < d->ag.nviolations && shown < VIOLATIONS_SHOWN; shown++)
		i = problem_item(p, &d->ag, i);
	HTML(h, "</ul>");
	more_note(p, i, d->ag.nviolations);
	HTML(h, "</section>");
}

/* handover_offered: the viewer may hand call c to its client's owner (another rep's client
 * answered by the rep of this day; a head on any rep's day). */
static bool handover_offered(const struct page *p, const struct day *d, const struct call_rec *c)
{
	return c->client_id && c->client_owner && c->client_owner != c->rep_id &&
	       c->client_owner != p->r->user.id && (d->own || p->r->user.role != ROLE_REP);
}

/* handover_form asks what the client wanted and hands the call to the client's owner. */
static void handover_form(struct page *p, const struct day *d, const struct call_rec *c)
{
	struct html *h = &p->h;
	const struct handover_refusal *hr =
	    d->refused && d->refused->call_id == c->id ? d->refused : NULL;
	char id[40];
	snprintf(id, sizeof(id), "handover-%lld", (long long)c->id);
	HTML(h, "<form method=\"post\" class=\"inline handover\" action=\"/calls/");
	html_int(h, c->id);
	HTML(h, "/handover\">");
	page_csrf(p);
	if (!d->own) {
		HTML(h, "<input type=\"hidden\" name=\"rep\"");
		html_attr(h, "value", d->ag.rep);
		HTML(h, ">");
	}
	HTML(h, " <label");
	html_attr(h, "for", id);
	HTML(h, ">");
	Tw(h, "What the client wanted");
	HTML(h, "</label> <input type=\"text\" name=\"note\" required");
	html_attr(h, "id", id);
	if (hr) {
		html_attr(h, "value", hr->note ? hr->note : "");
		HTML(h, " aria-invalid=\"true\"");
		html_attrf(h, "aria-describedby", "%s-error", id);
	}
	HTML(h, "> <button type=\"submit\" class=\"small\">");
	Tw(h, "Hand to the owner");
	HTML(h, "</button>");
	if (hr) {
		HTML(h, "<p class=\"field-error\" role=\"alert\"");
		html_attrf(h, "id", "%s-error", id);
		HTML(h, ">");
		html_text(h, hr->msg);
		HTML(h, "</p>");
	}
	HTML(h, "</form>");
}

static void unlogged_row(struct page *p, const struct day *d, const struct call_rec *c)
{
	struct html *h = &p->h;
	HTML(h, "<li");
	html_attrf(h, "data-call", "%lld", (long long)c->id);
	HTML(h, ">");
	when(p, c->started_at, false);
	HTML(h, " · ");
	Tw(h, contact_label(c));
	HTML(h, " · ");
	/* another rep's client: the number he answered, not the client nor a card he cannot open */
	if (c->client_hidden) {
		HTML(h, "<span class=\"other-rep\">");
		Tw(h, "another rep's client");
		HTML(h, "</span> ");
	} else if (c->client_id) {
		client_link(p, c->client_id, c->client_name);
		HTML(h, " ");
	}
	tel_link(p, c->phone);
	if (c->talk_s > 0)
		html_textf(h, " · %d:%02d", c->talk_s / 60, c->talk_s % 60);
	if (c->client_id && !c->client_hidden) {
		HTML(h, " <a class=\"button small\" href=\"/clients/");
		html_int(h, c->client_id);
		HTML(h, "#log\">");
		Tw(h, "Log it");
		HTML(h, "</a>");
	}
	if (handover_offered(p, d, c))
		handover_form(p, d, c);
	HTML(h, "</li>");
}

static void unlogged_section(struct page *p, const struct day *d)
{
	if (!d->nunlogged)
		return;
	HTML(&p->h, "<section class=\"unlogged\" aria-labelledby=\"unlogged-h\"><h2 "
		    "id=\"unlogged-h\">");
	Tw(&p->h, "Calls from the exchange not yet logged");
	HTML(&p->h, "</h2><ul class=\"calls\">");
	for (size_t i = 0; i < d->nunlogged && i < UNLOGGED_SHOWN; i++)
		unlogged_row(p, d, &d->unlogged[i]);
	HTML(&p->h, "</ul>");
	if (d->nunlogged > UNLOGGED_SHOWN) {
		HTML(&p->h, "<p class=\"more\">");
		Tw(&p->h, "More calls are waiting: log these first.");
		HTML(&p->h, "</p>");
	}
	HTML(&p->h, "</section>");
}

static void empty_day(struct page *p)
{
	struct html *h = &p->h;
	HTML(h, "<section class=\"empty-day\" aria-labelledby=\"empty-h\"><h2 id=\"empty-h\">");
	Tw(h, "A clear day");
	HTML(h, "</h2><p>");
	Tw(h, "Nothing is due and nothing needs fixing. Every call you plan now fills the days "
	      "ahead: pick a client from your pool and set a goal for a meeting.");
	HTML(h, "</p><p><a class=\"button primary\" href=\"/clients\">");
	Tw(h, "Open my clients");
	HTML(h, "</a></p></section>");
}

/* day_load gathers everything the day shows for rep (a login). */
static int day_load(struct req *r, const char *rep, struct day *d, struct nc_err *err)
{
	if (app_agenda(&r->app, rep, NULL, &d->ag, err) < 0 ||
	    app_calls_unlogged(&r->app, d->ag.rep, UNLOGGED_SHOWN + 1, &d->unlogged, &d->nunlogged,
			       err) < 0)
		return -1;
	d->own = strcmp(d->ag.rep, r->user.login) == 0;
	d->name = r->user.name;
	d->back = "/day";
	if (!d->own) {
		struct user_rec u;
		if (app_user_get(&r->app, d->ag.rep, &u, err) < 0)
			return -1;
		d->name = u.name;
		d->back = arena_printf(&r->a, "/day?rep=%s", u.login);
	}
	/* the earliest step due: overdue first, else the next one today */
	d->next = d->ag.noverdue ? &d->ag.overdue[0] : d->ag.ntoday ? &d->ag.today[0] : NULL;
	if (d->next && app_call_brief(&r->app, d->next->client_id, &d->brief, err) < 0)
		return -1;
	return 0;
}

/* refused_elsewhere writes a handover's refusal whose call is not among the rows shown (logged
 * or handed meanwhile) above the day. */
static void refused_elsewhere(struct page *p, const struct day *d)
{
	if (!d->refused)
		return;
	for (size_t i = 0; i < d->nunlogged && i < UNLOGGED_SHOWN; i++)
		if (d->unlogged[i].id == d->refused->call_id &&
		    handover_offered(p, d, &d->unlogged[i]))
			return;
	HTML(&p->h, "<p class=\"alert\" role=\"alert\">");
	html_text(&p->h, d->refused->msg);
	HTML(&p->h, "</p>");
}

/* day_show answers the day of rep (a login), with a handover form's refusal (NULL: none) and
 * status (0: 200). */
static void day_show(struct req *r, const char *rep, const struct handover_refusal *refused,
		     int status)
{
	struct day d = {.refused = refused};
	struct nc_err err = {0};
	if (day_load(r, rep && *rep ? rep : r->user.login, &d, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct page p;
	page_begin(&p, r, d.own ? page_tr(r, "My day") : d.name, d.own ? "day" : "team");
	day_head(&p, &d);
	refused_elsewhere(&p, &d);
	if (!d.next && !d.ag.nviolations && !d.nunlogged) {
		empty_day(&p);
		page_end(&p, status);
		return;
	}
	if (d.next)
		next_call(&p, &d);
	overdue_section(&p, &d);
	today_section(&p, &d);
	violations_section(&p, &d);
	unlogged_section(&p, &d);
	page_end(&p, status);
}

void page_day(struct req *r)
{
	day_show(r, http_query(r, "rep"), NULL, 0);
}

/* handover_message: the refusal of a handover in the user's language, or NULL when it is not
 * about the form (an error page says it). */
static const char *handover_message(struct req *r, const struct nc_err *err,
				    const struct handover_out *out, const char *note)
{
	static const struct {
		const char *why, *msg;
	} words[] = {
	    {"logged", N_("This call is logged already.")},
	    {"handed", N_("This call was handed to the owner already.")},
	    {"no_client", N_("This call has no client: log it yourself.")},
	    {"no_owner", N_("The client has no owner: log the call yourself.")},
	    {"own_client", N_("The client is not another rep's: log the call.")},
	    {"owner_inactive",
	     N_("The client's owner is deactivated: ask the head of sales to give "
		"the client to another rep.")},
	};
	if (err->code == NC_EINVAL && strcmp(err->field, "note") == 0)
		return page_tr(r, utf8_is_blank(note)
				      ? N_("Say what the client wanted: his owner calls him back "
					   "with it.")
				      : N_("The note is too long: at most 1000 bytes."));
	for (size_t i = 0;
	     err->code == NC_ECONFLICT && out->refusal && i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(words[i].why, out->refusal) == 0)
			return page_tr(r, words[i].msg);
	return NULL;
}

/* day_path: the address of rep's day (a login of letters, digits, ".", "_", "-"), else "/day". */
static const char *day_path(struct req *r, const char *rep)
{
	size_t n =
	    rep ? strspn(rep, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
		: 0;
	return n && !rep[n] && n < 100 ? arena_printf(&r->a, "/day?rep=%s", rep) : "/day";
}

void page_call_handover(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	struct form f;
	if (id < 0 || page_form(r, &f) < 0)
		return;
	const char *note = form_get(&f, "note"), *rep = form_get(&f, "rep");
	struct handover_out out;
	struct nc_err err = {0};
	if (app_call_handover(&r->app, id, note, &out, &err) == 0) {
		page_redirect(r, day_path(r, rep));
		return;
	}
	const char *msg = handover_message(r, &err, &out, note);
	if (!msg) {
		page_fail(r, &err);
		return;
	}
	struct handover_refusal hr = {.call_id = id, .msg = msg, .note = note};
	day_show(r, rep, &hr, err.code == NC_ECONFLICT ? 409 : 400);
}

/* ---- the team's day ---- */

static void team_cells(struct page *p, const struct team_row *t)
{
	HTML(&p->h, "<td>");
	html_int(&p->h, t->planned_today);
	HTML(&p->h, "</td><td>");
	html_int(&p->h, t->done_today);
	HTML(&p->h, "</td><td");
	if (t->overdue)
		HTML(&p->h, " class=\"warn\"");
	HTML(&p->h, ">");
	html_int(&p->h, t->overdue);
	HTML(&p->h, "</td><td");
	if (t->violations)
		HTML(&p->h, " class=\"warn\"");
	HTML(&p->h, ">");
	html_int(&p->h, t->violations);
	HTML(&p->h, "</td>");
}

static void team_table(struct page *p, const struct team_day *td)
{
	struct html *h = &p->h;
	HTML(h, "<div class=\"scroll\"><table class=\"team\"><caption>");
	Tw(h, "Done today counts the calls and meetings made today.");
	HTML(h, "</caption><thead><tr><th scope=\"col\">");
	Tw(h, "Rep");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Planned today");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Done today");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Overdue");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "To fix");
	HTML(h, "</th></tr></thead><tbody>");
	for (size_t i = 0; i < td->n; i++) {
		const struct team_row *t = &td->rows[i];
		HTML(h, "<tr><th scope=\"row\"><a href=\"/day?rep=");
		html_url_part(h, t->user.login);
		HTML(h, "\">");
		html_text(h, t->user.name);
		HTML(h, "</a></th>");
		team_cells(p, t);
		HTML(h, "</tr>");
	}
	HTML(h, "</tbody><tfoot><tr><th scope=\"row\">");
	Tw(h, "Total");
	HTML(h, "</th>");
	team_cells(p, &td->total);
	HTML(h, "</tr></tfoot></table></div>");
}

void page_team(struct req *r)
{
	struct team_day td;
	struct nc_err err = {0};
	if (app_team_day(&r->app, &td, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct page p;
	struct html *h = &p.h;
	page_begin(&p, r, page_tr(r, "Team day"), "team");
	HTML(h, "<h1>");
	Tw(h, "Team day");
	HTML(h, "</h1><p class=\"day-links\"><a href=\"/day\">");
	Tw(h, "My day");
	HTML(h, "</a> · <a href=\"/lost\">");
	Tw(h, "Lost and refused");
	HTML(h, "</a></p>");
	qa_alarm(&p);
	if (td.n) {
		team_table(&p, &td);
	} else {
		HTML(h, "<p class=\"empty\">");
		Tw(h, "There are no active reps yet.");
		if (r->user.role == ROLE_ADMIN) {
			HTML(h, " <a href=\"/settings/users\">");
			Tw(h, "Add users");
			HTML(h, "</a>");
		}
		HTML(h, "</p>");
	}
	page_end(&p, 0);
}

/* ---- clients filed as lost or refused ---- */

static void lost_filters(struct page *p, const char *current)
{
	static const struct {
		const char *category, *href, *label;
	} f[] = {
	    {"", "/lost", N_("All")},
	    {"never", "/lost?category=never", N_("Never")},
	    {"future", "/lost?category=future", N_("Refused")},
	};
	HTML(&p->h, "<nav class=\"filters\"");
	html_attr(&p->h, "aria-label", T(&p->h, "Filter"));
	HTML(&p->h, ">");
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		HTML(&p->h, "<a");
		html_attr(&p->h, "href", f[i].href);
		if (strcmp(f[i].category, current) == 0)
			HTML(&p->h, " aria-current=\"page\"");
		HTML(&p->h, ">");
		Tw(&p->h, f[i].label);
		HTML(&p->h, "</a> ");
	}
	HTML(&p->h, "</nav>");
}

static void lost_reason(struct page *p, const struct client_rec *c)
{
	struct html *h = &p->h;
	if (c->category == CAT_NEVER) {
		HTML(h, "<span class=\"never-reason\">");
		Tw(h, never_label(c->never_reason));
		HTML(h, "</span>");
		if (c->never_note && *c->never_note) {
			HTML(h, "<br><span class=\"note\">");
			html_text(h, c->never_note);
			HTML(h, "</span>");
		}
	} else if (c->refusal_reason && *c->refusal_reason) {
		html_text(h, c->refusal_reason);
	} else {
		HTML(h, "<em class=\"missing\">");
		Tw(h, "No reason written");
		HTML(h, "</em>");
	}
}

static void lost_row(struct page *p, const struct client_rec *c)
{
	struct html *h = &p->h;
	HTML(h, "<tr");
	html_attr(h, "data-category", category_name(c->category));
	HTML(h, "><td>");
	when(p, c->category_at, false);
	HTML(h, "</td><td>");
	client_link(p, c->id, c->name);
	if (c->company && *c->company) {
		HTML(h, "<br><span class=\"company\">");
		html_text(h, c->company);
		HTML(h, "</span>");
	}
	HTML(h, "</td><td>");
	Tw(h, c->category == CAT_NEVER ? N_("Never") : N_("Refused"));
	HTML(h, "</td><td class=\"reason\">");
	lost_reason(p, c);
	HTML(h, "</td><td>");
	if (c->owner)
		html_text(h, c->owner);
	else
		Tw(h, "Unassigned");
	HTML(h, "</td></tr>");
}

static void lost_table(struct page *p, const struct client_rec *c, size_t n)
{
	struct html *h = &p->h;
	HTML(h, "<div class=\"scroll\"><table class=\"lost\"><thead><tr><th scope=\"col\">");
	Tw(h, "Filed");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Client");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Category");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Reason");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Owner");
	HTML(h, "</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++)
		lost_row(p, &c[i]);
	HTML(h, "</tbody></table></div>");
	if (n >= LOST_LIMIT) {
		HTML(h, "<p class=\"more\">");
		Tw(h, "Only the newest 200 are shown.");
		HTML(h, "</p>");
	}
}

void page_lost(struct req *r)
{
	struct client_rec *c;
	size_t n;
	struct nc_err err = {0};
	const char *category = http_query(r, "category");
	if (!category)
		category = "";
	if (app_client_lost(&r->app, category, &c, &n, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct page p;
	struct html *h = &p.h;
	page_begin(&p, r, page_tr(r, "Lost and refused"), "lost");
	HTML(h, "<h1>");
	Tw(h, "Lost and refused");
	HTML(h, "</h1><p class=\"intro\">");
	Tw(h,
	   "Clients filed as \"never\" or refused in the last 30 days, newest first. \"Never\" is "
	   "only for a client who no longer exists: open the card of any other and plan the "
	   "next contact.");
	HTML(h, "</p>");
	lost_filters(&p, category);
	if (n) {
		lost_table(&p, c, n);
	} else {
		HTML(h, "<p class=\"empty\">");
		Tw(h, "Nobody was filed as lost or refused in the last 30 days.");
		HTML(h, "</p>");
	}
	page_end(&p, 0);
}
