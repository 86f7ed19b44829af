/* page_log.c - the log-a-call/meeting form of the client card and its POST: a contact with its
 * purpose, goals, result and outcome (next step, sale, refusal, never). A refused form comes back
 * on the card with every refusal beside its field and everything typed kept. */
#include "util/utf8.h"
#include "web/card.h"
#include "web/pages.h"

#include <stdio.h>
#include <string.h>

/* ---- small writers ---- */

static void check_attr(struct html *h, bool on)
{
	if (on)
		HTML(h, " checked");
}

static bool is(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* ---- refusals beside the log form's fields ---- */

/* form_field gives the log form's input for a field named by the app or the rules. */
static const char *form_field(const char *field)
{
	static const struct {
		const char *app, *form;
	} map[] = {{"next", "outcome"},		 {"next.due_at", "next_due"},
		   {"next.kind", "next_kind"},	 {"never.reason", "never_reason"},
		   {"never.note", "never_note"}, {"talk_s", "talk"}};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].app, field) == 0)
			return map[i].form;
	return field;
}

/* invalid_msg gives the sentence for an invalid value of a log form's input, or NULL. */
static const char *invalid_msg(const char *input)
{
	static const struct {
		const char *input, *msg;
	} msgs[] = {
	    {"direction", N_("Choose inbound or outbound.")},
	    {"missed", N_("Only a call can be missed, and a missed call has no outcome.")},
	    {"purpose", N_("This text is too long.")},
	    {"goal_max", N_("This text is too long.")},
	    {"goal_min", N_("This text is too long.")},
	    {"refused", N_("This text is too long.")},
	    {"never_note", N_("This text is too long.")},
	    {"result", N_("Choose a result from the list.")},
	    {"talk", N_("Write the talk time in minutes (5) or minutes and seconds (4:30), at "
			"most 24 hours.")},
	    {"at", N_("Give the date and time of the contact; it cannot be in the future.")},
	    {"next_kind", N_("Choose what the next step is.")},
	    {"next_due", N_("Give the date and time of the next step.")},
	    {"never_reason", N_("Choose why: the company closed or the person is gone.")},
	    {"offer", N_("Write an amount like 15000 or 15000.50.")},
	    {"won", N_("Write an amount like 15000 or 15000.50.")},
	};
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		if (strcmp(msgs[i].input, input) == 0)
			return msgs[i].msg;
	return NULL;
}

static bool err_on_input(const struct card_view *cv, const char *input)
{
	if (cv->err && cv->err->code != NC_ERULE && is(form_field(cv->err->field), input))
		return true;
	for (size_t i = 0; cv->v && i < cv->v->n; i++)
		if (!cv->v->v[i].warning && is(form_field(cv->v->v[i].field), input))
			return true;
	return false;
}

/* invalid_attrs marks an input that has a refusal beside it. */
static void invalid_attrs(struct html *h, const struct card_view *cv, const char *input)
{
	if (!err_on_input(cv, input))
		return;
	HTML(h, " aria-invalid=\"true\"");
	html_attrf(h, "aria-describedby", "%s-error", input);
}

/* field_errors writes every refusal concerning input, each in the user's language. */
static void field_errors(struct html *h, const struct card_view *cv, const char *input)
{
	if (!err_on_input(cv, input))
		return;
	HTML(h, "<div class=\"field-error\" role=\"alert\"");
	html_attrf(h, "id", "%s-error", input);
	HTML(h, ">");
	for (size_t i = 0; cv->v && i < cv->v->n; i++) {
		const struct violation *x = &cv->v->v[i];
		if (x->warning || !is(form_field(x->field), input))
			continue;
		HTML(h, "<p");
		html_attr(h, "data-rule", x->rule);
		HTML(h, ">");
		html_text(h, page_rule_message(h->lang, x->rule));
		HTML(h, "</p>");
	}
	if (cv->err && cv->err->code != NC_ERULE && is(form_field(cv->err->field), input)) {
		HTML(h, "<p>");
		if (invalid_msg(input))
			Tw(h, invalid_msg(input));
		HTML(h, " <small lang=\"en\">");
		html_text(h, cv->err->msg);
		HTML(h, "</small></p>");
	}
	HTML(h, "</div>");
}

/* ---- the log form ---- */

static void radio(struct html *h, const char *name, const char *value, const char *current,
		  const char *label)
{
	HTML(h, "<label class=\"choice\"><input type=\"radio\"");
	html_attr(h, "name", name);
	html_attr(h, "value", value);
	html_attrf(h, "id", "%s-%s", name, value);
	check_attr(h, is(value, current));
	HTML(h, "> ");
	Tw(h, label);
	HTML(h, "</label>");
}

/* input writes a labelled text input (type "" for text) with its refusals. */
static void input(struct html *h, const struct card_view *cv, const char *name, const char *type,
		  const char *label, const char *value)
{
	HTML(h, "<div class=\"field\"><label");
	html_attr(h, "for", name);
	HTML(h, ">");
	Tw(h, label);
	HTML(h, "</label><input autocomplete=\"off\"");
	html_attr(h, "type", *type ? type : NULL);
	html_attr(h, "id", name);
	html_attr(h, "name", name);
	html_attr(h, "value", value);
	if (is(name, "offer") || is(name, "won"))
		HTML(h, " inputmode=\"decimal\"");
	invalid_attrs(h, cv, name);
	HTML(h, ">");
	field_errors(h, cv, name);
	HTML(h, "</div>");
}

static void textarea(struct html *h, const struct card_view *cv, const char *name,
		     const char *label, const char *hint, const char *value)
{
	HTML(h, "<div class=\"field\"><label");
	html_attr(h, "for", name);
	HTML(h, ">");
	Tw(h, label);
	if (hint) {
		HTML(h, " <span class=\"hint\">");
		Tw(h, hint);
		HTML(h, "</span>");
	}
	HTML(h, "</label><textarea rows=\"2\" maxlength=\"1000\"");
	html_attr(h, "id", name);
	html_attr(h, "name", name);
	invalid_attrs(h, cv, name);
	HTML(h, ">\n"); /* the parser drops one newline here: a typed one is kept */
	html_text(h, value);
	HTML(h, "</textarea>");
	field_errors(h, cv, name);
	HTML(h, "</div>");
}

static void contact_fields(struct page *p, const struct card_view *cv)
{
	struct html *h = &p->h;
	const struct log_form *lf = &cv->lf;
	HTML(h, "<fieldset class=\"contact\"><legend>");
	Tw(h, "Contact");
	HTML(h, "</legend>");
	radio(h, "kind", "call", lf->kind, N_("Call"));
	radio(h, "kind", "meeting", lf->kind, N_("Meeting"));
	HTML(h, "<div class=\"field\" data-kinds=\"call\"><label for=\"direction\">");
	Tw(h, "Direction");
	HTML(h, "</label><select id=\"direction\" name=\"direction\"");
	invalid_attrs(h, cv, "direction");
	HTML(h, ">");
	html_option(h, "out", T(h, "Outbound"), lf->direction);
	html_option(h, "in", T(h, "Inbound"), lf->direction);
	HTML(h, "</select>");
	field_errors(h, cv, "direction");
	HTML(h, "<label class=\"choice\"><input type=\"checkbox\" id=\"missed\" name=\"missed\" "
		"value=\"1\"");
	check_attr(h, lf->missed);
	HTML(h, "> ");
	Tw(h, "Missed: the call did not reach the client");
	HTML(h, "</label>");
	field_errors(h, cv, "missed");
	HTML(h, "</div>");
	input(h, cv, "at", "datetime-local", N_("When"), lf->at);
	input(h, cv, "talk", "", N_("Talk time (minutes, or m:ss)"), lf->talk);
	HTML(h, "</fieldset>");
}

static const char *result_word(int i)
{
	return result_name((enum result)i);
}

static const char *kind_word(int i)
{
	return step_kind_name((enum step_kind)i);
}

/* select_field writes a labelled <select> of n words (word(i), shown as labels[i] translated),
 * with an empty first option when empty_label is not NULL, and the field's messages. */
static void select_field(struct html *h, const struct card_view *cv, const char *name,
			 const char *label, const char *empty_label, const char *(*word)(int),
			 const char *const *labels, int n, const char *current)
{
	HTML(h, "<div class=\"field\"><label");
	html_attr(h, "for", name);
	HTML(h, ">");
	Tw(h, label);
	HTML(h, "</label><select");
	html_attr(h, "id", name);
	html_attr(h, "name", name);
	invalid_attrs(h, cv, name);
	HTML(h, ">");
	if (empty_label)
		html_option(h, "", T(h, empty_label), current);
	for (int i = 0; i < n; i++)
		html_option(h, word(i), T(h, labels[i]), current);
	HTML(h, "</select>");
	field_errors(h, cv, name);
	HTML(h, "</div>");
}

static void goal_fields(struct page *p, const struct card_view *cv)
{
	struct html *h = &p->h;
	const struct log_form *lf = &cv->lf;
	HTML(h, "<fieldset class=\"goals\"><legend>");
	Tw(h, "Purpose and goals");
	HTML(h, "</legend>");
	textarea(h, cv, "purpose", N_("Purpose: what the client gets from this contact"),
		 N_("(required for outbound calls and meetings)"), lf->purpose);
	input(h, cv, "goal_max", "", N_("Maximum goal"), lf->goal_max);
	input(h, cv, "goal_min", "", N_("Minimum goal"), lf->goal_min);
	select_field(h, cv, "result", N_("Result"), N_("Not said"), result_word, card_result_labels,
		     RESULT__COUNT, lf->result);
	HTML(h, "</fieldset>");
}

static void next_fields(struct html *h, const struct card_view *cv)
{
	const struct log_form *lf = &cv->lf;
	HTML(h, "<div class=\"outcome-part\" data-outcomes=\"next refused sale\">");
	select_field(h, cv, "next_kind",
		     N_("Next step (after a refusal: the next planned contact)"), NULL, kind_word,
		     card_step_kind_labels, STEP__COUNT, lf->next_kind);
	input(h, cv, "next_due", "datetime-local", N_("Date and time"), lf->next_due);
	HTML(h,
	     "</div><div class=\"outcome-part\" data-outcomes=\"next\"><div class=\"field\">"
	     "<label class=\"choice\"><input type=\"checkbox\" id=\"offer-on\" name=\"offer_on\" "
	     "value=\"1\"");
	check_attr(h, lf->offer_on);
	HTML(h, "> ");
	Tw(h, "An offer was made");
	HTML(h, "</label></div>");
	input(h, cv, "offer", "", N_("Offer amount"), lf->offer);
	HTML(h, "</div>");
}

static void outcome_fields(struct page *p, const struct card_view *cv)
{
	struct html *h = &p->h;
	const struct log_form *lf = &cv->lf;
	HTML(h, "<fieldset class=\"outcome\" id=\"outcome\"><legend>");
	Tw(h, "Outcome");
	HTML(h, "</legend>");
	field_errors(h, cv, "outcome");
	radio(h, "outcome", "next", lf->outcome, N_("Next step"));
	radio(h, "outcome", "sale", lf->outcome, N_("Sale"));
	radio(h, "outcome", "refused", lf->outcome, N_("Refused"));
	radio(h, "outcome", "never", lf->outcome, N_("Never: the client no longer exists"));
	next_fields(h, cv);
	HTML(h, "<div class=\"outcome-part\" data-outcomes=\"sale\">");
	input(h, cv, "won", "", N_("Sale amount"), lf->won);
	HTML(h, "</div><div class=\"outcome-part\" data-outcomes=\"refused\">");
	textarea(h, cv, "refused",
		 N_("Why did the client refuse? What value did we fail to convey?"), NULL,
		 lf->refused);
	HTML(h, "</div><div class=\"outcome-part\" data-outcomes=\"never\"><div class=\"field\">"
		"<label for=\"never_reason\">");
	Tw(h, "Why never");
	HTML(h, "</label><select id=\"never_reason\" name=\"never_reason\"");
	invalid_attrs(h, cv, "never_reason");
	HTML(h, ">");
	html_option(h, "", T(h, "Choose the reason"), lf->never_reason);
	for (int i = 0; i < NEVER__COUNT; i++)
		html_option(h, never_reason_name(i), T(h, card_never_labels[i]), lf->never_reason);
	HTML(h, "</select>");
	field_errors(h, cv, "never_reason");
	HTML(h, "</div>");
	input(h, cv, "never_note", "", N_("Note: what happened"), lf->never_note);
	HTML(h, "</div></fieldset>");
}

/* log_alert writes, on top of the form, that nothing was saved, and any refusal that has no
 * field of its own. */
static void log_alert(struct html *h, const struct card_view *cv)
{
	if (!cv->err)
		return;
	HTML(h, "<p class=\"alert\" role=\"alert\">");
	Tw(h, "The contact is not saved: fix what is marked below.");
	const char *input = form_field(cv->err->field);
	if (cv->err->code != NC_ERULE && !invalid_msg(input)) {
		HTML(h, " <small lang=\"en\">");
		html_text(h, cv->err->msg);
		HTML(h, "</small>");
	}
	HTML(h, "</p>");
}

void card_log_section(struct page *p, const struct card_view *cv)
{
	struct html *h = &p->h;
	HTML(h, "<section class=\"log\" id=\"log\"><h2>");
	Tw(h, "Log a call or meeting");
	HTML(h, "</h2>");
	log_alert(h, cv);
	HTML(h, "<form method=\"post\" class=\"log-form\"");
	html_attrf(h, "action", "/clients/%lld/contacts#log", (long long)cv->card.c.id);
	HTML(h, ">");
	page_csrf(p);
	contact_fields(p, cv);
	goal_fields(p, cv);
	outcome_fields(p, cv);
	HTML(h,
	     "<p class=\"buttons\"><button type=\"submit\" id=\"log-submit\" class=\"primary\">");
	Tw(h, "Save the contact");
	HTML(h, "</button></p></form></section>");
}

/* ---- the contact logged ---- */

int card_log_defaults(struct req *r, struct log_form *lf, struct nc_err *err)
{
	struct team_settings ts;
	struct page tmp = {.r = r};
	if (app_settings_load(&r->app, &ts, err) < 0)
		return -1;
	memset(lf, 0, sizeof(*lf));
	lf->kind = "call";
	lf->direction = "out";
	lf->goal_max = ts.goal_max;
	lf->goal_min = ts.goal_min;
	lf->at = page_time_input(&tmp, r->app.now);
	lf->outcome = "next";
	lf->next_kind = "call";
	return 0;
}

static void read_log_form(const struct form *f, struct log_form *lf)
{
	lf->kind = form_get(f, "kind");
	lf->direction = form_get(f, "direction");
	lf->missed = form_get(f, "missed") != NULL;
	lf->purpose = form_get(f, "purpose");
	lf->goal_max = form_get(f, "goal_max");
	lf->goal_min = form_get(f, "goal_min");
	lf->result = form_get(f, "result");
	lf->talk = form_get(f, "talk");
	lf->at = form_get(f, "at");
	lf->outcome = form_get(f, "outcome");
	lf->next_kind = form_get(f, "next_kind");
	lf->next_due = form_get(f, "next_due");
	lf->offer_on = form_get(f, "offer_on") != NULL;
	lf->offer = form_get(f, "offer");
	lf->won = form_get(f, "won");
	lf->refused = form_get(f, "refused");
	lf->never_reason = form_get(f, "never_reason");
	lf->never_note = form_get(f, "never_note");
}

/* parse_talk reads "5" (minutes) or "4:30" (minutes:seconds) into seconds; blank gives -1. */
static int parse_talk(const char *s, int *out, struct nc_err *err)
{
	unsigned min = 0, sec = 0;
	char end;
	*out = -1;
	if (utf8_is_blank(s))
		return 0;
	int n = sscanf(s, " %u:%2u %c", &min, &sec, &end);
	if (n == 1 && !strchr(s, ':'))
		n = sscanf(s, " %u %c", &min, &end) == 1 ? 2 : 0;
	if (n != 2 || sec > 59 || min > 1440 || min * 60 + sec > 86400)
		return nc_error_field(err, NC_EINVAL, "talk",
				      "talk \"%.20s\": want minutes or m:ss", s);
	*out = (int)(min * 60 + sec);
	return 0;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* outcome_input maps the chosen outcome; *due_blank says a next step was wanted without a
 * time (the page then omits it, so that the rules judge everything else too). */
static void outcome_input(const struct log_form *lf, struct contact_input *in, bool *due_blank)
{
	const char *o = lf->outcome ? lf->outcome : "";
	bool wants_next = is(o, "next") || is(o, "refused");
	*due_blank = false;
	if (wants_next || (is(o, "sale") && !utf8_is_blank(lf->next_due))) {
		*due_blank = utf8_is_blank(lf->next_due);
		if (!*due_blank) {
			in->next_kind = or_empty(lf->next_kind);
			in->next_due = lf->next_due;
		}
	}
	if (is(o, "next") && lf->offer_on)
		in->offer = or_empty(lf->offer);
	if (is(o, "sale"))
		in->won = or_empty(lf->won);
	if (is(o, "refused"))
		in->refused = or_empty(lf->refused);
	if (is(o, "never")) {
		in->never_reason = or_empty(lf->never_reason);
		in->never_note = or_empty(lf->never_note);
	}
}

static int log_input(int64_t client_id, const struct log_form *lf, struct contact_input *in,
		     bool *due_blank, struct nc_err *err)
{
	memset(in, 0, sizeof(*in));
	*due_blank = false;
	in->client_id = client_id;
	in->kind = is(lf->kind, "meeting") ? CONTACT_MEETING : CONTACT_CALL;
	in->ring_s = -1;
	if (in->kind == CONTACT_CALL) {
		in->direction = or_empty(lf->direction);
		in->missed = lf->missed;
	}
	in->purpose = lf->purpose;
	in->goal_max = or_empty(lf->goal_max);
	in->goal_min = or_empty(lf->goal_min);
	in->result = utf8_is_blank(lf->result) ? NULL : lf->result;
	in->at = utf8_is_blank(lf->at) ? NULL : lf->at;
	if (parse_talk(lf->talk, &in->talk_s, err) < 0)
		return -1;
	if (!in->missed) /* a missed call reached nobody: whatever outcome is ticked is moot */
		outcome_input(lf, in, due_blank);
	return 0;
}

/* vague_instead turns the missing next step of a form whose next step had no time into the
 * more precise refusal: the time is what is missing. */
static void vague_instead(struct violations *v)
{
	for (size_t i = 0; i < v->n; i++)
		if (is(v->v[i].rule, "next_step_missing")) {
			v->v[i].rule = "next_step_vague";
			v->v[i].field = "next.due_at";
		}
}

void page_contact_log(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	struct form f;
	struct card_view cv = {0};
	struct contact_input in;
	struct contact_output out = {0};
	struct nc_err err = {0}, lerr = {0};
	bool due_blank;
	if (id < 0 || page_form(r, &f) < 0)
		return;
	read_log_form(&f, &cv.lf);
	int rc = log_input(id, &cv.lf, &in, &due_blank, &lerr);
	if (rc == 0)
		rc = app_contact_log(&r->app, &in, &out, &lerr);
	if (rc == 0) {
		/* the fragment, else the browser keeps the form's #log */
		const char *warn = "";
		for (size_t i = 0; i < out.v.n; i++)
			if (out.v.v[i].warning && is(out.v.v[i].rule, "cadence_exceeded"))
				warn = "?warn=cadence_exceeded";
		page_redirect(r, arena_printf(&r->a, "/clients/%lld%s#card", (long long)id, warn));
		return;
	}
	if (lerr.code != NC_ERULE && lerr.code != NC_EINVAL) {
		page_fail(r, &lerr);
		return;
	}
	if (lerr.code == NC_ERULE && due_blank)
		vague_instead(&out.v);
	if (card_load(r, id, &cv, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	cv.err = &lerr;
	cv.v = lerr.code == NC_ERULE ? &out.v : NULL;
	card_render(r, &cv, lerr.code == NC_ERULE ? 422 : 400);
}
