/* page_run_forms.c - the posts of the live script panel (page_run.c): starting a run, taking a
 * step (an option, an objection, an answer, the price, hold, back, finishing) and abandoning it;
 * a refused step shows the card again with the panel as the run now is and what was typed. */
#include "util/time.h"
#include "util/utf8.h"
#include "web/card.h"
#include "web/page_scripts.h"
#include "web/pages.h"

#include <limits.h>
#include <string.h>

void page_run_start(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	struct form f;
	struct run_view rv;
	struct nc_err err = {0};
	long script, call = 0;
	if (id < 0 || page_form(r, &f) < 0)
		return;
	const char *c = form_get(&f, "call");
	if (!scripts_whole(form_get(&f, "script"), 1, LONG_MAX, &script)) {
		page_error(r, 400, "Choose a script from the list.");
		return;
	}
	if (c && *c && !scripts_whole(c, 1, LONG_MAX, &call)) {
		page_error(r, 400, "Choose the call from the list.");
		return;
	}
	struct run_input in = {.script_id = script, .client_id = id, .call_id = call};
	if (app_run_start(&r->app, &in, &rv, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	page_redirect(r, arena_printf(&r->a, "/clients/%lld?run=%lld#script", (long long)id,
				      (long long)rv.run.id));
}

/* step_parse reads the button pressed ("option.2", "objection.expensive", "price"...). */
static bool step_parse(const char *what, struct run_step *st)
{
	static const struct {
		const char *word;
		enum run_action action;
	} words[] = {{"price", RUN_PRICE},   {"back", RUN_BACK},     {"hold", RUN_HOLD},
		     {"resume", RUN_RESUME}, {"answer", RUN_ANSWER}, {"finish", RUN_FINISH}};
	long i;
	memset(st, 0, sizeof(*st));
	if (!what)
		return false;
	if (strncmp(what, "option.", 7) == 0 && scripts_whole(what + 7, 0, SCRIPT_MAX_NODES, &i)) {
		st->action = RUN_OPTION;
		st->option = (int)i;
		return true;
	}
	if (strncmp(what, "objection.", 10) == 0 && what[10]) {
		st->action = RUN_OBJECTION;
		st->objection = what + 10;
		return true;
	}
	for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (strcmp(words[k].word, what) == 0) {
			st->action = words[k].action;
			return true;
		}
	return false;
}

/* typed_answer gives the answer in f; a date and time typed in the user's zone goes on as
 * RFC 3339, since the runner knows no zones. */
static const char *typed_answer(struct req *r, const struct form *f)
{
	const char *at = form_get(f, "answer_at");
	struct nc_when w;
	struct nc_err e = {0};
	char buf[32];
	if (!at)
		return form_get(f, "answer");
	if (utf8_is_blank(at) || time_parse_when(at, http_zone(r), "answers", &w, &e) < 0)
		return at;
	time_rfc3339(w.t, NULL, buf);
	return arena_strdup(&r->a, buf);
}

/* run_refused shows the card again with the panel as the run now is, the refusal and what was
 * typed; an error that is not about the step is an error page. */
static void run_refused(struct req *r, int64_t id, const struct form *f, const struct nc_err *err,
			const struct violations *v)
{
	struct run_view rv;
	struct run_panel rp;
	struct card_view cv = {0};
	struct nc_err e = {0};
	int status = 400;
	if (err->code != NC_EINVAL && err->code != NC_ECONFLICT && err->code != NC_ERULE) {
		page_fail(r, err);
		return;
	}
	if (app_run_get(&r->app, id, &rv, &e) < 0 ||
	    run_panel_load(r, rv.run.client_id, id, &rp, &e) < 0 ||
	    card_load(r, rv.run.client_id, &cv, &e) < 0 || card_log_defaults(r, &cv.lf, &e) < 0) {
		page_fail(r, &e);
		return;
	}
	if (err->code == NC_ECONFLICT && scripts_is(err->field, "seq")) {
		rp.msg =
		    N_("This step was sent out of order (twice, or from another window): nothing "
		       "was changed. This is where the call is now.");
		status = 409;
	} else if (err->code == NC_ECONFLICT) {
		rp.msg = N_("This script run is over: nothing was changed.");
		status = 409;
	} else {
		rp.typed = f;
		rp.err = err;
		rp.v = err->code == NC_ERULE ? v : NULL;
		status = 422;
		if (err->code == NC_ERULE)
			rp.msg =
			    N_("The call is not logged: fix what is marked. The run stays where "
			       "it is.");
		else if (!run_panel_marks_input(&rp))
			rp.msg = N_("This step does not fit where the call is.");
	}
	card_render_run(r, &cv, &rp, status);
}

static const char *blank_null(const char *s)
{
	return utf8_is_blank(s) ? NULL : s;
}

void page_run_step(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	struct form f;
	struct run_step step;
	struct run_view rv;
	struct contact_output logged;
	struct nc_err err = {0};
	long seq;
	if (id < 0 || page_form(r, &f) < 0)
		return;
	memset(&logged, 0, sizeof(logged));
	if (!scripts_whole(form_get(&f, "seq"), 0, INT_MAX, &seq) ||
	    !step_parse(form_get(&f, "step"), &step)) {
		nc_error_field(&err, NC_EINVAL, "step", "the form names no step of the run");
		run_refused(r, id, &f, &err, NULL);
		return;
	}
	const char *raw =
	    form_get(&f, "answer_at") ? form_get(&f, "answer_at") : form_get(&f, "answer");
	struct run_answer ans = {.field = NULL, .value = typed_answer(r, &f)};
	if (step.action == RUN_ANSWER) {
		step.answers = &ans;
		step.nanswers = ans.value ? 1 : 0;
	} else if (step.action != RUN_FINISH && !utf8_is_blank(raw) &&
		   !scripts_is(raw, form_get(&f, "shown"))) {
		/* an option pressed with a new answer typed: the answer is taken first */
		struct run_step a = {.action = RUN_ANSWER, .answers = &ans, .nanswers = 1};
		if (app_run_step(&r->app, id, (int)seq, &a, NULL, &rv, &logged, &err) < 0) {
			run_refused(r, id, &f, &err, NULL);
			return;
		}
		seq = rv.run.steps;
	}
	struct run_finish fin = {.next_kind = blank_null(form_get(&f, "next_kind")),
				 .next_due = blank_null(form_get(&f, "next_due")),
				 .refused = blank_null(form_get(&f, "refused")),
				 .talk_s = -1};
	if (app_run_step(&r->app, id, (int)seq, &step, step.action == RUN_FINISH ? &fin : NULL, &rv,
			 &logged, &err) < 0) {
		run_refused(r, id, &f, &err, &logged.v);
		return;
	}
	const char *price =
	    step.action == RUN_PRICE ? arena_printf(&r->a, "&price=%d", rv.run.steps) : "";
	page_redirect(r, arena_printf(&r->a, "/clients/%lld?run=%lld%s#script",
				      (long long)rv.run.client_id, (long long)id, price));
}

void page_run_abandon(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	struct form f;
	struct run_view rv;
	struct nc_err err = {0};
	if (id < 0 || page_form(r, &f) < 0)
		return;
	if (app_run_get(&r->app, id, &rv, &err) < 0 || app_run_abandon(&r->app, id, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	page_redirect(r, arena_printf(&r->a, "/clients/%lld?run=%lld#script",
				      (long long)rv.run.client_id, (long long)id));
}
