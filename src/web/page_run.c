/* page_run.c - the live script panel beside the client card: the form that starts a run, the
 * panel of an open run (line to say, question, options, objections, price, hold) and the forms
 * its steps are taken by; page_run_forms.c takes their posts. Every button is a form POST;
 * app.js only adds shortcuts and timers. */
#include "util/time.h"
#include "util/utf8.h"
#include "web/card.h"
#include "web/page_scripts.h"
#include "web/pages.h"

#include <limits.h>
#include <string.h>

/* ---- loading the panel ---- */

/* Which enum result's label tells a script goal (card_result_labels). */
static int goal_result(int goal)
{
	return goal == GOAL_MAX ? RESULT_MAX : goal == GOAL_MIN ? RESULT_MIN : RESULT_NONE;
}

static const char *answer_of(const struct run_state *st, const char *field)
{
	for (size_t i = 0; i < st->nanswers; i++)
		if (scripts_is(st->answers[i].field, field))
			return st->answers[i].value;
	return NULL;
}

static void clock_text(struct html *h, int64_t s)
{
	if (s < 0)
		s = 0;
	if (s >= 3600)
		html_textf(h, "%lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s / 60 % 60),
			   (long long)(s % 60));
	else
		html_textf(h, "%lld:%02lld", (long long)(s / 60), (long long)(s % 60));
}

/* objection_keys gives each objection a letter for its shortcut: the first free letter of its
 * id (the method's four get E, D, T and O), never B, G, H or P (back, the "g" prefix, hold,
 * price). */
static char *objection_keys(struct arena *a, const struct script *s)
{
	char *out = arena_alloc(a, s->nobjections + 1);
	bool used[26] = {0};
	used['B' - 'A'] = used['G' - 'A'] = used['H' - 'A'] = used['P' - 'A'] = true;
	for (size_t i = 0; i < s->nobjections; i++) {
		for (const char *c = s->objections[i].id; c && *c && !out[i]; c++) {
			char u = *c >= 'a' && *c <= 'z' ? (char)(*c - 'a' + 'A') : *c;
			if (u >= 'A' && u <= 'Z' && !used[u - 'A']) {
				out[i] = u;
				used[u - 'A'] = true;
			}
		}
		for (int k = 0; k < 26 && !out[i]; k++)
			if (!used[k]) {
				out[i] = (char)('A' + k);
				used[k] = true;
			}
	}
	return out;
}

int run_panel_load(struct req *r, int64_t client_id, int64_t run_id, struct run_panel *rp,
		   struct nc_err *err)
{
	struct nc_err e = {0};
	memset(rp, 0, sizeof(*rp));
	if (run_id <= 0) {
		struct script_run_rec *runs;
		size_t n;
		if (app_runs_open(&r->app, client_id, &runs, &n, err) < 0)
			return -1;
		if (n > 0)
			run_id = runs[0].id;
	}
	if (run_id > 0) {
		int rc = app_run_get(&r->app, run_id, &rp->rv, &e);
		if (rc < 0 && e.code != NC_ENOTFOUND && e.code != NC_EFORBIDDEN) {
			*err = e;
			return -1;
		}
		/* another client's run in the address is not this card's business */
		if (rc == 0 && rp->rv.run.client_id == client_id) {
			rp->has_run = true;
			rp->open = scripts_is(rp->rv.run.status, "open");
		}
	}
	if (rp->open)
		return 0;
	if (app_script_list(&r->app, false, &rp->scripts, &rp->nscripts, err) < 0)
		return -1;
	if (rp->nscripts == 0)
		return 0;
	struct call_rec *calls;
	size_t n;
	if (app_calls_unlogged(&r->app, NULL, 100, &calls, &n, err) < 0)
		return -1;
	rp->calls = ARENA_ARRAY(&r->a, struct call_rec, n ? n : 1);
	for (size_t i = 0; i < n; i++)
		if (calls[i].client_id == client_id)
			rp->calls[rp->ncalls++] = calls[i];
	return 0;
}

/* ---- the start form, and what became of the last run ---- */

static void run_outcome(struct html *h, const struct run_panel *rp)
{
	if (!rp->has_run)
		return;
	HTML(h, "<p class=\"notice\" role=\"status\">");
	if (scripts_is(rp->rv.run.status, "finished")) {
		Tw(h, "The script run is finished:");
		HTML(h, " <strong>");
		Tw(h, card_result_labels[goal_result(rp->rv.run.result)]);
		HTML(h, "</strong>. ");
		Tw(h, "The call is logged in the history.");
	} else {
		Tw(h, "The script run was abandoned.");
	}
	HTML(h, "</p>");
}

static void start_form(struct page *p, const struct client_card *card, const struct run_panel *rp)
{
	struct html *h = &p->h;
	HTML(h, "<form method=\"post\" class=\"run-start\"");
	html_attrf(h, "action", "/clients/%lld/script-runs", (long long)card->c.id);
	HTML(h, ">");
	page_csrf(p);
	HTML(h, "<div class=\"field\"><label for=\"run-script\">");
	Tw(h, "Script");
	HTML(h, "</label><select id=\"run-script\" name=\"script\" required>");
	for (size_t i = 0; i < rp->nscripts; i++)
		html_option(h, scripts_num(p, rp->scripts[i].id), rp->scripts[i].name, NULL);
	HTML(h, "</select></div>");
	if (rp->ncalls) {
		HTML(h, "<div class=\"field\"><label for=\"run-call\">");
		Tw(h, "The call being taken");
		HTML(h, "</label><select id=\"run-call\" name=\"call\">");
		html_option(h, "", T(h, "None"), NULL);
		for (size_t i = 0; i < rp->ncalls; i++) {
			char when[24];
			const struct call_rec *c = &rp->calls[i];
			time_format_local(c->started_at, http_zone(p->r), when);
			html_option(h, scripts_num(p, c->id),
				    arena_printf(&p->r->a, "%s %s", when, c->phone ? c->phone : ""),
				    i == 0 ? scripts_num(p, c->id) : NULL);
		}
		HTML(h, "</select></div>");
	}
	HTML(h, "<button type=\"submit\" class=\"primary\" id=\"run-start\">");
	Tw(h, "Start the script");
	HTML(h, "</button></form>");
}

static void start_section(struct page *p, const struct client_card *card,
			  const struct run_panel *rp)
{
	struct html *h = &p->h;
	if (!rp->has_run && rp->nscripts == 0)
		return;
	HTML(h, "<section class=\"script-start\" id=\"script\"><h2>");
	Tw(h, "Call script");
	HTML(h, "</h2>");
	run_outcome(h, rp);
	if (rp->nscripts)
		start_form(p, card, rp);
	HTML(h, "</section>");
}

/* ---- the live panel ---- */

/* finish_input gives the finish form's input a field named by the app or the rules concerns,
 * or NULL. */
static const char *finish_input(const char *field)
{
	if (scripts_is(field, "next") || scripts_is(field, "next.due_at") ||
	    scripts_is(field, "next_due"))
		return "next_due";
	if (scripts_is(field, "next.kind") || scripts_is(field, "next_kind"))
		return "next_kind";
	if (scripts_is(field, "refused"))
		return "refused";
	return NULL;
}

static bool answer_refused(const struct run_panel *rp)
{
	return rp->err && rp->err->code == NC_EINVAL && strncmp(rp->err->field, "answer", 6) == 0;
}

bool run_panel_marks_input(const struct run_panel *rp)
{
	return answer_refused(rp) || (rp->err && finish_input(rp->err->field));
}

/* refusals_at writes the refusals of the finish form's input (NULL: those of no input). */
static bool refusals_at(struct html *h, const struct run_panel *rp, const char *input, bool write)
{
	bool any = false;
	for (size_t i = 0; rp->v && i < rp->v->n; i++) {
		const struct violation *x = &rp->v->v[i];
		const char *in = finish_input(x->field);
		if (x->warning || !(input ? scripts_is(in, input) : in == NULL))
			continue;
		any = true;
		if (!write)
			continue;
		HTML(h, "<p class=\"field-error\" role=\"alert\"");
		html_attr(h, "data-rule", x->rule);
		HTML(h, ">");
		html_text(h, page_rule_message(h->lang, x->rule));
		HTML(h, "</p>");
	}
	if (input && rp->err && rp->err->code == NC_EINVAL &&
	    scripts_is(finish_input(rp->err->field), input)) {
		any = true;
		if (write) {
			HTML(h, "<p class=\"field-error\" role=\"alert\"><small lang=\"en\">");
			html_text(h, rp->err->msg);
			HTML(h, "</small></p>");
		}
	}
	return any;
}

static const char *typed(const struct run_panel *rp, const char *name)
{
	return rp->typed ? form_get(rp->typed, name) : NULL;
}

/* price_line gives what to say after the price question just asked: the script's line as the
 * run renders it (app/script_runs.c), or a hint when the script has none. */
static const char *price_line(struct page *p, const struct run_view *rv)
{
	if (rv->effect_line)
		return rv->effect_line;
	if (rv->price_line)
		return rv->price_line;
	if (rv->st.price_asks >= rv->script.price_answer_on)
		return T(&p->h, "Name the price now.");
	return NULL;
}

static void panel_head(struct page *p, const struct run_view *rv, const struct script_node *n)
{
	struct html *h = &p->h;
	HTML(h, "<header class=\"run-head\"><p class=\"run-script\">");
	html_text(h, rv->run.script_name);
	HTML(h, " · ");
	scripts_fill(h, N_("version {1}"), scripts_num(p, rv->run.version), NULL);
	HTML(h, "</p><h2 id=\"script-stage\">");
	if (n->stage == STAGE_CUSTOM && n->stage_label)
		html_text(h, n->stage_label);
	else if (scripts_stage_label(n->stage))
		Tw(h, scripts_stage_label(n->stage));
	HTML(h, "</h2><ul class=\"run-meters\"><li>");
	Tw(h, "Questions asked:");
	HTML(h, " <strong id=\"run-questions\">");
	scripts_fill(h, N_("{1} of {2}"), scripts_num(p, rv->st.questions),
		     scripts_num(p, SCRIPT_MAX_NEEDS_QUESTIONS));
	HTML(h, "</strong></li><li>");
	Tw(h, "Price questions:");
	HTML(h, " <strong id=\"run-price-count\">");
	scripts_fill(h, N_("{1} of {2}"), scripts_num(p, rv->st.price_asks),
		     scripts_num(p, rv->script.price_answer_on));
	HTML(h, "</strong></li><li>");
	Tw(h, "Time:");
	HTML(h, " <strong class=\"run-elapsed\"");
	html_attrf(h, "data-elapsed-s", "%lld", (long long)rv->elapsed_s);
	HTML(h, ">");
	clock_text(h, rv->elapsed_s);
	HTML(h, "</strong></li></ul></header>");
}

static void hold_line(struct page *p, const struct run_view *rv)
{
	struct html *h = &p->h;
	if (!rv->st.hold_since)
		return;
	HTML(h, "<p role=\"status\"");
	html_attr(h, "class", rv->hold_s >= SCRIPT_HOLD_LIMIT_S ? "run-hold over" : "run-hold");
	HTML(h, ">");
	Tw(h, "The client is on hold since");
	HTML(h, " <time>");
	page_time(p, rv->st.hold_since);
	HTML(h, "</time> <strong class=\"hold-timer\"");
	html_attrf(h, "data-hold-s", "%lld", (long long)rv->hold_s);
	html_attrf(h, "data-hold-limit", "%d", SCRIPT_HOLD_LIMIT_S);
	HTML(h, ">");
	clock_text(h, rv->hold_s);
	HTML(h, "</strong> <span class=\"hint\">");
	scripts_fill(h, N_("At most {1} seconds: come back to him before that."),
		     scripts_num(p, SCRIPT_HOLD_LIMIT_S), NULL);
	HTML(h, "</span></p>");
}

/* the line to say now: an open objection's answer, else the node's */
static void lines(struct page *p, const struct run_panel *rp)
{
	struct html *h = &p->h;
	const struct run_view *rv = &rp->rv;
	const char *said = http_query(p->r, "price");
	long at;
	if (rp->rv.effect_line ||
	    (said && scripts_whole(said, 0, INT_MAX, &at) && at == rv->run.steps && !rp->msg)) {
		const char *line = price_line(p, rv);
		if (line) {
			HTML(h, "<div class=\"run-price\" role=\"status\"><p class=\"run-label\">");
			Tw(h, rv->st.price_asks >= rv->script.price_answer_on
				  ? N_("Price asked: name the price")
				  : N_("Price asked: not yet, say"));
			HTML(h, "</p><p class=\"run-line\" id=\"run-price-line\">");
			html_text(h, line);
			HTML(h, "</p></div>");
		}
	}
	if (rv->st.objection >= 0 && (size_t)rv->st.objection < rv->script.nobjections) {
		HTML(h,
		     "<div class=\"run-objection\" id=\"run-objection\"><p class=\"run-label\">");
		Tw(h, "Objection:");
		HTML(h, " ");
		html_text(h, rv->script.objections[rv->st.objection].label);
		HTML(h, "</p><p class=\"run-line\">");
		html_text(h, rv->objection_line);
		HTML(h, "</p></div><p class=\"run-label\">");
		Tw(h, "Then back to the script:");
		HTML(h, "</p><p class=\"run-line paused\" id=\"run-line\">");
	} else {
		HTML(h, "<p class=\"run-line\" id=\"run-line\">");
	}
	html_text(h, rv->line);
	HTML(h, "</p>");
}

static const char *const qkind_labels[] = {NULL, N_("technical question"),
					   N_("question that shows expertise"),
					   N_("question about the reasons to decide")};

/* card_value gives what the card already says for a field of the card's own (client.name...). */
static const char *card_value(const struct client_rec *c, const char *field)
{
	if (scripts_is(field, "client.name"))
		return c->name;
	if (scripts_is(field, "client.company"))
		return c->company;
	if (scripts_is(field, "client.phone"))
		return c->nphones ? c->phones[0] : NULL;
	return NULL;
}

/* answer_shown gives the captured answer as its input shows it (a time in the user's zone). */
static const char *answer_shown(struct page *p, const struct script_question *q,
				const char *captured)
{
	int64_t t;
	struct nc_err e = {0};
	if (!captured || q->type != FIELD_DATETIME)
		return captured;
	if (time_parse_rfc3339(captured, "answer", &t, &e) < 0)
		return captured;
	return page_time_input(p, t);
}

static void answer_control(struct html *h, const struct script_question *q, const char *value,
			   bool refused)
{
	if (q->type == FIELD_CHOICE) {
		HTML(h, "<select id=\"run-answer\" name=\"answer\"");
	} else {
		HTML(h, "<input id=\"run-answer\" autocomplete=\"off\"");
		if (q->type == FIELD_NUMBER)
			HTML(h,
			     " type=\"number\" step=\"any\" inputmode=\"decimal\" name=\"answer\"");
		else if (q->type == FIELD_DATETIME)
			HTML(h, " type=\"datetime-local\" name=\"answer_at\"");
		else
			HTML(h, " type=\"text\" maxlength=\"1000\" name=\"answer\"");
		html_attr(h, "value", value);
	}
	if (refused)
		HTML(h, " aria-invalid=\"true\" aria-describedby=\"run-answer-error\"");
	HTML(h, ">");
	if (q->type != FIELD_CHOICE)
		return;
	html_option(h, "", T(h, "Choose the answer"), value);
	for (size_t i = 0; i < q->nchoices; i++)
		html_option(h, q->choices[i], q->choices[i], value);
	HTML(h, "</select>");
}

static void question_field(struct page *p, const struct run_panel *rp, const struct script_node *n)
{
	struct html *h = &p->h;
	const struct script_question *q = &n->question;
	const char *shown = answer_shown(p, q, answer_of(&rp->rv.st, q->field));
	const char *sent = typed(rp, q->type == FIELD_DATETIME ? "answer_at" : "answer");
	const char *value = sent ? sent : shown ? shown : card_value(&rp->rv.client, q->field);
	bool refused = answer_refused(rp);
	HTML(h, "<div class=\"field run-question\"><label for=\"run-answer\">");
	Tw(h, "The client's answer:");
	HTML(h, " <code>");
	html_text(h, q->field);
	HTML(h, "</code>");
	if (q->kind != QKIND_NONE &&
	    (size_t)q->kind < sizeof(qkind_labels) / sizeof(*qkind_labels)) {
		HTML(h, " <span class=\"badge\">");
		Tw(h, qkind_labels[q->kind]);
		HTML(h, "</span>");
	}
	HTML(h, "</label><div class=\"run-answer\">");
	answer_control(h, q, value, refused);
	/* what the input showed: an option pressed sends the answer first only when it changed */
	HTML(h, "<input type=\"hidden\" name=\"shown\"");
	html_attr(h, "value", shown ? shown : "");
	HTML(h, "><button type=\"submit\" name=\"step\" value=\"answer\" id=\"run-save-answer\">");
	Tw(h, "Save the answer");
	HTML(h, "</button></div>");
	if (refused) {
		HTML(h, "<p class=\"field-error\" role=\"alert\" id=\"run-answer-error\">");
		Tw(h, "This answer does not fit the question.");
		HTML(h, " <small lang=\"en\">");
		html_text(h, rp->err->msg);
		HTML(h, "</small></p>");
	} else if (shown) {
		HTML(h, "<p class=\"hint run-captured\">");
		Tw(h, "Written into the card.");
		HTML(h, "</p>");
	}
	HTML(h, "</div>");
}

static void key_button(struct html *h, const char *value, const char *key, const char *kbd,
		       const char *cls)
{
	HTML(h, "<button type=\"submit\" name=\"step\"");
	html_attr(h, "value", value);
	html_attr(h, "data-key", key);
	html_attr(h, "class", cls);
	if (key)
		html_attrf(h, "aria-keyshortcuts", "%s", kbd ? kbd : key);
	HTML(h, ">");
	if (key) {
		HTML(h, "<kbd>");
		html_text(h, kbd ? kbd : key);
		HTML(h, "</kbd> ");
	}
}

static void form_open(struct page *p, const struct run_view *rv, const char *cls, const char *id)
{
	struct html *h = &p->h;
	HTML(h, "<form method=\"post\"");
	html_attrf(h, "action", "/script-runs/%lld/steps", (long long)rv->run.id);
	html_attr(h, "class", cls);
	html_attr(h, "id", id);
	HTML(h, ">");
	page_csrf(p);
	HTML(h, "<input type=\"hidden\" name=\"seq\"");
	html_attrf(h, "value", "%d", rv->run.steps);
	HTML(h, ">");
}

static void objection_buttons(struct page *p, const struct run_view *rv)
{
	struct html *h = &p->h;
	const struct script *s = &rv->script;
	if (s->nobjections == 0)
		return;
	char *keys = objection_keys(&p->r->a, s);
	HTML(h, "<div class=\"run-objections\" role=\"group\" aria-labelledby=\"run-obj-title\">"
		"<p class=\"run-label\" id=\"run-obj-title\">");
	Tw(h, "Objections");
	HTML(h, "</p>");
	for (size_t i = 0; i < s->nobjections; i++) {
		char key[2] = {keys[i], 0};
		bool open = rv->st.objection == (int)i;
		key_button(h, arena_printf(&p->r->a, "objection.%s", s->objections[i].id), key,
			   NULL, open ? "run-objection-button open" : "run-objection-button");
		html_text(h, s->objections[i].label);
		HTML(h, "</button>");
	}
	HTML(h, "</div>");
}

static void step_form(struct page *p, const struct run_panel *rp, const struct script_node *n)
{
	struct html *h = &p->h;
	const struct run_view *rv = &rp->rv;
	bool objection = rv->st.objection >= 0;
	form_open(p, rv, "run-steps", "run-steps");
	if (n->has_question && !objection)
		question_field(p, rp, n);
	if (objection) {
		HTML(h, "<div class=\"run-options\">");
		key_button(h, "resume", "Escape", "Esc", "run-option primary");
		Tw(h, "Back to the script");
		HTML(h, "</button></div>");
	} else if (n->noptions) {
		HTML(h, "<div class=\"run-options\">");
		for (size_t i = 0; i < n->noptions; i++) {
			char key[2] = {(char)('1' + i), 0};
			key_button(h, arena_printf(&p->r->a, "option.%zu", i), i < 9 ? key : NULL,
				   NULL, "run-option");
			html_text(h, n->options[i].label);
			HTML(h, "</button>");
		}
		HTML(h, "</div>");
	}
	objection_buttons(p, rv);
	HTML(h, "<div class=\"run-controls\">");
	key_button(h, "price", "P", NULL, "run-control");
	Tw(h, "The client asked the price");
	HTML(h, "</button>");
	if (rv->st.npath > 1) {
		key_button(h, "back", "B", NULL, "run-control");
		Tw(h, "Back");
		HTML(h, "</button>");
	}
	if (rv->st.hold_since) {
		key_button(h, "resume", "H", NULL, "run-control");
		Tw(h, "Take off hold");
	} else {
		key_button(h, "hold", "H", NULL, "run-control");
		Tw(h, "Hold");
	}
	HTML(h, "</button></div></form>");
}

static void finish_kind(struct page *p, const struct run_panel *rp, const struct script_node *n)
{
	struct html *h = &p->h;
	const char *cur = typed(rp, "next_kind");
	bool bad = refusals_at(h, rp, "next_kind", false);
	HTML(h, "<div class=\"field\"><label for=\"run-next-kind\">");
	Tw(h, n->goal == GOAL_NONE ? N_("Next step (after a refusal: the next planned contact)")
				   : N_("Next step"));
	HTML(h, "</label><select id=\"run-next-kind\" name=\"next_kind\"");
	if (bad)
		HTML(h, " aria-invalid=\"true\"");
	HTML(h, ">");
	if (n->nnext_kinds) {
		for (size_t i = 0; i < n->nnext_kinds; i++) {
			int k = step_kind_parse(n->next_kinds[i]);
			html_option(h, n->next_kinds[i],
				    k >= 0 ? T(h, card_step_kind_labels[k]) : n->next_kinds[i],
				    cur);
		}
	} else {
		for (int k = 0; k < STEP__COUNT; k++)
			html_option(h, step_kind_name(k), T(h, card_step_kind_labels[k]),
				    cur ? cur : "call");
	}
	HTML(h, "</select>");
	refusals_at(h, rp, "next_kind", true);
	HTML(h, "</div>");
}

static void finish_form(struct page *p, const struct run_panel *rp, const struct script_node *n)
{
	struct html *h = &p->h;
	const struct run_view *rv = &rp->rv;
	form_open(p, rv, "run-finish", "run-finish");
	HTML(h, "<input type=\"hidden\" name=\"step\" value=\"finish\"><h3>");
	Tw(h, "Finish the call");
	HTML(h, "</h3><p class=\"run-goal\">");
	Tw(h, card_result_labels[goal_result(n->goal)]);
	HTML(h, "</p>");
	if (refusals_at(h, rp, NULL, false)) {
		HTML(h, "<div class=\"alert\" role=\"alert\">");
		refusals_at(h, rp, NULL, true);
		HTML(h, "</div>");
	}
	if (n->goal == GOAL_NONE) {
		bool bad = refusals_at(h, rp, "refused", false);
		HTML(h, "<div class=\"field\"><label for=\"run-refused\">");
		Tw(h, "Why did the client refuse? What value did we fail to convey?");
		HTML(h, "</label><textarea id=\"run-refused\" name=\"refused\" rows=\"2\" "
			"maxlength=\"1000\"");
		if (bad)
			HTML(h, " aria-invalid=\"true\"");
		HTML(h, ">\n");
		html_text(h, typed(rp, "refused"));
		HTML(h, "</textarea>");
		refusals_at(h, rp, "refused", true);
		HTML(h, "</div>");
	}
	finish_kind(p, rp, n);
	bool bad = refusals_at(h, rp, "next_due", false);
	HTML(h, "<div class=\"field\"><label for=\"run-next-due\">");
	Tw(h, "Date and time");
	HTML(h, "</label><input type=\"datetime-local\" id=\"run-next-due\" name=\"next_due\"");
	html_attr(h, "value", typed(rp, "next_due"));
	if (bad)
		HTML(h, " aria-invalid=\"true\"");
	HTML(h, ">");
	refusals_at(h, rp, "next_due", true);
	HTML(h, "</div><button type=\"submit\" class=\"primary\" id=\"run-finish-submit\">");
	Tw(h, "Finish and log the call");
	HTML(h, "</button></form>");
}

static void live_panel(struct page *p, const struct run_panel *rp)
{
	struct html *h = &p->h;
	const struct run_view *rv = &rp->rv;
	const struct script_node *n = &rv->script.nodes[rv->st.node];
	HTML(h, "<section class=\"script-panel\" id=\"script\" aria-labelledby=\"script-stage\"");
	html_attrf(h, "data-run", "%lld", (long long)rv->run.id);
	if (rv->st.hold_since)
		html_attrf(h, "data-hold-since", "%lld", (long long)rv->st.hold_since);
	HTML(h, ">");
	panel_head(p, rv, n);
	if (rp->msg) {
		HTML(h, "<p class=\"alert\" role=\"alert\">");
		Tw(h, rp->msg);
		if (rp->err && rp->err->code == NC_EINVAL && !answer_refused(rp) &&
		    !finish_input(rp->err->field)) {
			HTML(h, " <small lang=\"en\">");
			html_text(h, rp->err->msg);
			HTML(h, "</small>");
		}
		HTML(h, "</p>");
	}
	hold_line(p, rv);
	lines(p, rp);
	step_form(p, rp, n);
	if (n->end && rv->st.objection < 0)
		finish_form(p, rp, n);
	HTML(h, "<form method=\"post\" class=\"run-abandon\"");
	html_attrf(h, "action", "/script-runs/%lld/abandon", (long long)rv->run.id);
	HTML(h, ">");
	page_csrf(p);
	HTML(h, "<button type=\"submit\" class=\"link\">");
	Tw(h, "The call broke off: abandon the run");
	HTML(h, "</button></form></section>");
}

void run_panel_write(struct page *p, const struct client_card *card, const struct run_panel *rp)
{
	if (rp->open && rp->rv.st.node >= 0 && (size_t)rp->rv.st.node < rp->rv.script.nnodes)
		live_panel(p, rp);
	else
		start_section(p, card, rp);
}
