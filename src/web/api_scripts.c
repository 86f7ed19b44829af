/* api_scripts.c - call scripts over HTTP: uploading a version (refused with the validator's
 * findings, each with its line and column), checking a text without storing it, the analytics
 * of a version, and the live runner: open a run, take steps, abandon it. The state machine and
 * the rules live in core/ and app/scripts.c; this file reads requests and shapes answers. */
#include "app/json.h"
#include "web/api.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define WORD_MAX    64	 /* actions, objection ids, field names, step kinds, times */
#define TEXT_MAX    1000 /* an answer, a refusal reason */
#define ANSWERS_MAX 32	 /* answers in one step: a node asks one question, a form a few */

/* ---- names of the script model in JSON (the YAML names of docs/scripts.md) ---- */

static const char *const field_types[] = {"text", "number", "choice", "datetime"};
static const char *const question_kinds[] = {NULL, "technical", "expertise", "motivation"};

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* jnum gives a finite double as a number, anything else as null (jansson refuses NaN). */
static json_t *jnum(double d)
{
	return isfinite(d) ? json_real(d) : json_null();
}

static json_t *json_of_findings(const struct script_findings *f)
{
	json_t *a = json_array();
	for (size_t i = 0; i < f->n; i++) {
		const struct script_finding *x = &f->v[i];
		json_array_append_new(a, json_pack("{s:s, s:o, s:i, s:i, s:s}", "code", x->code,
						   "message", jstr(x->message), "line", x->pos.line,
						   "col", x->pos.col, "severity",
						   x->warning ? "warning" : "error"));
	}
	return a;
}

static json_t *json_of_script(const struct script_rec *s, const char *tz)
{
	return json_pack("{s:I, s:s, s:s, s:b, s:i, s:I, s:o, s:o, s:i, s:I}", "id",
			 (json_int_t)s->id, "name", s->name, "kind",
			 s->outbound ? "outbound" : "inbound", "archived", s->archived, "version",
			 s->version, "version_id", (json_int_t)s->version_id, "created_at",
			 json_time(s->created_at, tz), "author", jstr(s->author), "nversions",
			 s->nversions, "runs", (json_int_t)s->runs);
}

static json_t *json_of_proportion(const struct proportion *p)
{
	return json_pack("{s:I, s:I, s:o, s:o, s:o}", "k", (json_int_t)p->k, "n", (json_int_t)p->n,
			 "p", jnum(p->p), "lo", jnum(p->lo), "hi", jnum(p->hi));
}

/* ---- errors ---- */

/* fail_as answers err with a status and code of this file's choosing (a step that does not fit
 * the run is 422, not the 400 of a malformed request); extra members join the error object. */
static void fail_as(struct req *r, int status, const char *code, const struct nc_err *err,
		    const char *field, json_t *extra)
{
	const char *f = err->field[0] ? err->field : field;
	json_t *e =
	    json_pack("{s:s, s:s, s:o}", "code", code, "message", err->msg, "field", jstr(f));
	if (extra) {
		json_object_update(e, extra);
		json_decref(extra);
	}
	http_json(r, status, json_pack("{s:o}", "error", e));
}

/* read_source reads the required "source" member: the YAML text of a script. */
static int read_source(struct req *r, json_t *body, const char **out)
{
	static const char *const fields[] = {"source", NULL};
	*out = NULL;
	if (http_check_fields(r, body, fields) < 0 ||
	    http_field_str(r, body, "source", SCRIPT_MAX_BYTES, out) < 0)
		return -1;
	if (!*out) {
		http_error(r, 400, "invalid", "source",
			   "source: required (the script's YAML text)");
		return -1;
	}
	return 0;
}

/* ---- scripts ---- */

void api_scripts_list(struct req *r)
{
	int64_t all;
	if (http_query_int(r, "all", 0, 1, 0, &all) < 0)
		return;
	struct nc_err err = {0};
	struct script_rec *s;
	size_t n;
	if (app_script_list(&r->app, all == 1, &s, &n, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	const char *tz = http_zone(r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_of_script(&s[i], tz));
	http_json(r, 200, json_pack("{s:o}", "items", items));
}

void api_scripts_create(struct req *r)
{
	const char *src;
	json_t *body = http_json_body(r);
	if (!body || read_source(r, body, &src) < 0)
		return;
	struct nc_err err = {0};
	struct script_findings f = {0};
	struct script_rec s;
	if (app_script_add(&r->app, src, strlen(src), &s, &f, &err) < 0) {
		if (err.code == NC_EINVAL && strcmp(err.field, "source") == 0)
			fail_as(r, 422, "invalid_script", &err, "source",
				json_pack("{s:o}", "findings", json_of_findings(&f)));
		else
			http_fail(r, &err);
		return;
	}
	json_t *j = json_of_script(&s, http_zone(r));
	json_object_set_new(j, "findings", json_of_findings(&f)); /* warnings only */
	http_json(r, 201, j);
}

void api_scripts_check(struct req *r)
{
	const char *src;
	json_t *body = http_json_body(r);
	if (!body || read_source(r, body, &src) < 0)
		return;
	struct script_findings f = {0};
	struct script s;
	bool parsed = false;
	size_t errors = app_script_check(&r->app, src, strlen(src), &s, &parsed, &f);
	http_json(r, 200,
		  json_pack("{s:b, s:I, s:o, s:o, s:o}", "valid", errors == 0, "errors",
			    (json_int_t)errors, "name", jstr(parsed ? s.name : NULL), "kind",
			    parsed ? json_string(s.outbound ? "outbound" : "inbound") : json_null(),
			    "findings", json_of_findings(&f)));
}

/* query_version reads ?version=N (0 when absent: the latest). */
static int query_version(struct req *r, int *out)
{
	int64_t v;
	if (http_query_int(r, "version", 1, 1000000, 0, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

void api_scripts_get(struct req *r)
{
	int version;
	int64_t id = http_param_id(r, 0);
	if (id < 0 || query_version(r, &version) < 0)
		return;
	struct nc_err err = {0};
	struct script_rec s, *vs;
	size_t n;
	if (app_script_get(&r->app, id, version, &s, &err) < 0 ||
	    app_script_versions(&r->app, id, &vs, &n, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	const char *tz = http_zone(r);
	json_t *versions = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(versions,
				      json_pack("{s:i, s:I, s:o, s:o}", "version", vs[i].version,
						"version_id", (json_int_t)vs[i].version_id,
						"created_at", json_time(vs[i].created_at, tz),
						"author", jstr(vs[i].author)));
	json_t *j = json_of_script(&s, tz);
	json_object_set_new(j, "source", jstr(s.source));
	json_object_set_new(j, "versions", versions);
	http_json(r, 200, j);
}

void api_scripts_archive(struct req *r)
{
	static const char *const fields[] = {"archived", NULL};
	bool archived = true;
	int64_t id = http_param_id(r, 0);
	if (id < 0)
		return;
	json_t *body = http_json_body(r);
	if (!body || http_check_fields(r, body, fields) < 0 ||
	    http_field_bool(r, body, "archived", &archived) < 0)
		return;
	struct nc_err err = {0};
	struct script_rec s;
	if (app_script_archive(&r->app, id, archived, &err) < 0 ||
	    app_script_get(&r->app, id, 0, &s, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	http_json(r, 200, json_of_script(&s, http_zone(r)));
}

void api_scripts_stats(struct req *r)
{
	int version;
	int64_t id = http_param_id(r, 0);
	if (id < 0 || query_version(r, &version) < 0)
		return;
	struct nc_err err = {0};
	struct script_stats st;
	if (app_script_stats(&r->app, id, version, &st, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	json_t *nodes = json_array(), *variants = json_array();
	for (size_t i = 0; i < st.nnodes; i++) {
		const struct script_node_stat *x = &st.nodes[i];
		json_array_append_new(nodes, json_pack("{s:s, s:o, s:I, s:o, s:o, s:I}", "node",
						       x->node, "stage", jstr(x->stage), "reached",
						       (json_int_t)x->reached, "max",
						       json_of_proportion(&x->max), "min",
						       json_of_proportion(&x->min), "abandoned",
						       (json_int_t)x->abandoned));
	}
	for (size_t i = 0; i < st.nvariants; i++) {
		const struct script_variant_stat *x = &st.variants[i];
		json_array_append_new(variants,
				      json_pack("{s:s, s:i, s:o, s:i, s:o, s:o, s:o}", "node",
						x->node, "variant", x->variant, "text",
						jstr(x->text), "weight", x->weight, "conv",
						json_of_proportion(&x->conv), "prob_best",
						jnum(x->prob_best), "p_value", jnum(x->p_value)));
	}
	http_json(r, 200,
		  json_pack("{s:o, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "script",
			    json_of_script(&st.script, http_zone(r)), "runs", (json_int_t)st.runs,
			    "finished", (json_int_t)st.finished, "abandoned",
			    (json_int_t)st.abandoned, "open", (json_int_t)st.open, "max",
			    json_of_proportion(&st.max), "min", json_of_proportion(&st.min),
			    "nodes", nodes, "variants", variants));
}

/* ---- runs ---- */

static const char *answer_of(const struct run_state *st, const char *field)
{
	for (size_t i = 0; i < st->nanswers; i++)
		if (strcmp(st->answers[i].field, field) == 0)
			return st->answers[i].value;
	return NULL;
}

static json_t *json_of_question(const struct script_node *n, const struct run_state *st)
{
	if (!n->has_question)
		return json_null();
	const struct script_question *q = &n->question;
	json_t *choices = json_null();
	if (q->type == FIELD_CHOICE) {
		choices = json_array();
		for (size_t i = 0; i < q->nchoices; i++)
			json_array_append_new(choices, json_string(q->choices[i]));
	}
	return json_pack("{s:s, s:s, s:o, s:o, s:o}", "field", q->field, "type",
			 field_types[q->type], "kind", jstr(question_kinds[q->kind]), "choices",
			 choices, "answer", jstr(answer_of(st, q->field)));
}

/* json_of_node: the node the rep is at, with its rendered line and the wording drawn. */
static json_t *json_of_node(const struct run_view *v)
{
	const struct script_node *n = &v->script.nodes[v->st.node];
	int variant = v->st.variant ? v->st.variant[v->st.node] : -1;
	json_t *options = json_array(), *kinds = json_array();
	for (size_t i = 0; i < n->noptions; i++)
		json_array_append_new(options, json_pack("{s:i, s:s, s:s}", "index", (int)i,
							 "label", n->options[i].label, "goto",
							 n->options[i].target_id));
	for (size_t i = 0; i < n->nnext_kinds; i++)
		json_array_append_new(kinds, json_string(n->next_kinds[i]));
	return json_pack(
	    "{s:s, s:s, s:o, s:o, s:o, s:b, s:o, s:o, s:b, s:o, s:o}", "id", n->id, "stage",
	    script_stage_name(n->stage), "stage_label", jstr(n->stage_label), "line", jstr(v->line),
	    "variant", variant >= 0 ? json_integer(variant) : json_null(), "end", n->end, "goal",
	    n->end ? json_string(script_goal_name(n->goal)) : json_null(), "next_kinds", kinds,
	    "next_time", n->next_time, "question", json_of_question(n, &v->st), "options", options);
}

static json_t *json_of_run(const struct run_view *v, const char *tz)
{
	const struct script *s = &v->script;
	const struct run_state *st = &v->st;
	json_t *objections = json_array(), *answers = json_object(), *path = json_array();
	for (size_t i = 0; i < s->nobjections; i++)
		json_array_append_new(objections, json_pack("{s:s, s:s}", "id", s->objections[i].id,
							    "label", s->objections[i].label));
	for (size_t i = 0; i < st->nanswers; i++)
		json_object_set_new(answers, st->answers[i].field, jstr(st->answers[i].value));
	for (size_t i = 0; i < st->npath; i++)
		json_array_append_new(path, json_string(s->nodes[st->path[i]].id));
	json_t *open = json_null();
	if (st->objection >= 0) {
		const struct script_objection *o = &s->objections[st->objection];
		open = json_pack("{s:s, s:s, s:o}", "id", o->id, "label", o->label, "line",
				 jstr(v->objection_line));
	}
	const struct script_run_rec *run = &v->run;
	json_t *j = json_pack(
	    "{s:I, s:{s:I, s:s, s:i}, s:I, s:o, s:o, s:s, s:o, s:i, s:o, s:o, s:o, s:o}", "id",
	    (json_int_t)run->id, "script", "id", (json_int_t)run->script_id, "name",
	    s->name ? s->name : run->script_name, "version", run->version, "client_id",
	    (json_int_t)run->client_id, "call_id",
	    run->call_id ? json_integer(run->call_id) : json_null(), "rep", jstr(run->rep),
	    "status", run->status, "result",
	    run->result >= 0 ? json_string(script_goal_name((enum script_goal)run->result))
			     : json_null(),
	    "seq", run->steps, "node", json_of_node(v), "path", path, "objections", objections,
	    "objection", open);
	json_object_update_new(
	    j, json_pack("{s:{s:i, s:i}, s:{s:i, s:i, s:b}, s:o, s:I, s:I, s:b, s:o, s:o, s:o}",
			 "questions", "asked", st->questions, "max", SCRIPT_MAX_NEEDS_QUESTIONS,
			 "price", "asks", st->price_asks, "answer_on", s->price_answer_on,
			 "answered", st->price_asks >= s->price_answer_on, "effect_line",
			 jstr(v->effect_line), "elapsed_s", (json_int_t)v->elapsed_s, "hold_s",
			 (json_int_t)v->hold_s, "on_hold", st->hold_since != 0, "answers", answers,
			 "started_at", json_time(run->started_at, tz), "finished_at",
			 json_time(run->finished_at, tz)));
	return j;
}

void api_runs_create(struct req *r)
{
	static const char *const fields[] = {"script_id", "version", "client_id", "call_id", NULL};
	struct run_input in = {0};
	int64_t version = 0;
	json_t *body = http_json_body(r);
	if (!body || http_check_fields(r, body, fields) < 0 ||
	    http_field_int(r, body, "script_id", 1, INT64_MAX, &in.script_id) < 0 ||
	    http_field_int(r, body, "version", 1, 1000000, &version) < 0 ||
	    http_field_int(r, body, "client_id", 1, INT64_MAX, &in.client_id) < 0 ||
	    http_field_int(r, body, "call_id", 1, INT64_MAX, &in.call_id) < 0)
		return;
	if (!in.script_id || !in.client_id) {
		const char *f = !in.script_id ? "script_id" : "client_id";
		http_error(r, 400, "invalid", f, "%s: required", f);
		return;
	}
	in.version = (int)version;
	struct nc_err err = {0};
	struct run_view v;
	if (app_run_start(&r->app, &in, &v, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	http_json(r, 201, json_of_run(&v, http_zone(r)));
}

/* answer_run answers 200 with run id as it is now. */
static void answer_run(struct req *r, int64_t id)
{
	struct nc_err err = {0};
	struct run_view v;
	if (app_run_get(&r->app, id, &v, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	http_json(r, 200, json_of_run(&v, http_zone(r)));
}

void api_runs_get(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	if (id > 0)
		answer_run(r, id);
}

void api_runs_abandon(struct req *r)
{
	struct nc_err err = {0};
	int64_t id = http_param_id(r, 0);
	if (id < 0)
		return;
	if (app_run_abandon(&r->app, id, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	answer_run(r, id);
}

/* ---- one step ---- */

static const struct {
	const char *name;
	enum run_action action;
} actions[] = {
    {"option", RUN_OPTION}, {"objection", RUN_OBJECTION}, {"resume", RUN_RESUME},
    {"answer", RUN_ANSWER}, {"price", RUN_PRICE},	  {"back", RUN_BACK},
    {"hold", RUN_HOLD},	    {"finish", RUN_FINISH},
};

/* answer_value gives an answer as the text the runner normalises: a string as it is, a number
 * as written; NULL for any other JSON type. */
static const char *answer_value(struct req *r, json_t *v)
{
	if (json_is_string(v) && !memchr(json_string_value(v), 0, json_string_length(v)) &&
	    json_string_length(v) <= TEXT_MAX)
		return arena_strdup(&r->a, json_string_value(v));
	if (json_is_integer(v))
		return arena_printf(&r->a, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return arena_printf(&r->a, "%.15g", json_real_value(v));
	return NULL;
}

/* read_answers reads "answers" ({field: value}) or "answer" (a value for the node's own
 * question) into step. */
static int read_answers(struct req *r, json_t *body, struct run_step *step)
{
	json_t *obj = json_object_get(body, "answers"), *v;
	const char *one = NULL, *key;
	if (http_field_str(r, body, "answer", TEXT_MAX, &one) < 0)
		return -1;
	if (obj && !json_is_null(obj)) {
		if (!json_is_object(obj) || json_object_size(obj) > ANSWERS_MAX) {
			http_error(r, 400, "invalid_type", "answers",
				   "answers: want an object of at most %d {field: value}",
				   ANSWERS_MAX);
			return -1;
		}
		struct run_answer *a =
		    ARENA_ARRAY(&r->a, struct run_answer, json_object_size(obj) + 1);
		size_t n = 0;
		json_object_foreach(obj, key, v)
		{
			const char *val = answer_value(r, v);
			if (strlen(key) > WORD_MAX || !val) {
				http_error(
				    r, 400, "invalid_type", "answers",
				    "answers.%.40s: want a field name of at most %d bytes and "
				    "a string (at most %d bytes) or a number",
				    key, WORD_MAX, TEXT_MAX);
				return -1;
			}
			a[n].field = arena_strdup(&r->a, key);
			a[n++].value = val;
		}
		step->answers = a;
		step->nanswers = n;
	}
	if (one) {
		if (step->nanswers) {
			http_error(r, 400, "invalid", "answer", "answer: give answer or answers");
			return -1;
		}
		struct run_answer *a = ARENA_ARRAY(&r->a, struct run_answer, 1);
		a->field = NULL; /* the node's question */
		a->value = one;
		step->answers = a;
		step->nanswers = 1;
	}
	return 0;
}

/* read_finish reads what a finishing step logs: the next step, a refusal, an offer, the talk
 * time. next_step is an object {kind, due_at}. */
static int read_finish(struct req *r, json_t *body, struct run_finish *fin)
{
	json_t *ns = json_object_get(body, "next_step"), *v;
	const char *key;
	int64_t talk_s = -1;
	if (ns && !json_is_null(ns)) {
		if (!json_is_object(ns)) {
			http_error(r, 400, "invalid_type", "next_step",
				   "next_step: want an object {kind, due_at}");
			return -1;
		}
		json_object_foreach(ns, key, v)
		{
			if (strcmp(key, "kind") != 0 && strcmp(key, "due_at") != 0) {
				const char *f = arena_printf(&r->a, "next_step.%.40s", key);
				http_error(r, 400, "unknown_field", f, "unknown field \"%s\"", f);
				return -1;
			}
			if (!json_is_null(v) &&
			    (!json_is_string(v) || json_string_length(v) > WORD_MAX ||
			     memchr(json_string_value(v), 0, json_string_length(v)))) {
				const char *f = arena_printf(&r->a, "next_step.%s", key);
				http_error(r, 400, "invalid_type", f,
					   "%s: want a string of at most %d bytes", f, WORD_MAX);
				return -1;
			}
		}
		v = json_object_get(ns, "kind");
		fin->next_kind =
		    json_is_string(v) ? arena_strdup(&r->a, json_string_value(v)) : NULL;
		v = json_object_get(ns, "due_at");
		fin->next_due =
		    json_is_string(v) ? arena_strdup(&r->a, json_string_value(v)) : NULL;
	}
	if (http_field_str(r, body, "refused", TEXT_MAX, &fin->refused) < 0 ||
	    http_field_money(r, body, "offer", &fin->offer) < 0 ||
	    http_field_int(r, body, "talk_s", 0, 86400, &talk_s) < 0)
		return -1;
	fin->talk_s = (int)talk_s;
	return 0;
}

/* stray_member names a member of the step that its action does not use, NULL when none. */
static const char *stray_member(json_t *body, const struct run_step *step,
				const struct run_finish *fin, bool option_given)
{
	if (step->action != RUN_OPTION && option_given)
		return "option";
	if (step->action != RUN_OBJECTION && step->objection)
		return "objection";
	if (step->action != RUN_ANSWER && step->nanswers)
		return json_object_get(body, "answer") ? "answer" : "answers";
	if (step->action == RUN_FINISH)
		return NULL;
	if (fin->next_kind || fin->next_due)
		return "next_step";
	if (fin->refused)
		return "refused";
	if (fin->offer)
		return "offer";
	return fin->talk_s >= 0 ? "talk_s" : NULL;
}

/* read_step reads the body of POST /script-runs/{id}/steps: every member is checked for its
 * type before anything else, so that a malformed request is 400 whatever the run. */
static int read_step(struct req *r, json_t *body, int *seq, struct run_step *step,
		     struct run_finish *fin)
{
	static const char *const fields[] = {"seq",	"action", "option",    "objection",
					     "answers", "answer", "next_step", "refused",
					     "offer",	"talk_s", NULL};
	const char *action = NULL;
	int64_t s = -1, option = -1;
	memset(step, 0, sizeof(*step));
	memset(fin, 0, sizeof(*fin));
	if (http_check_fields(r, body, fields) < 0 ||
	    http_field_int(r, body, "seq", 0, INT32_MAX, &s) < 0 ||
	    http_field_str(r, body, "action", WORD_MAX, &action) < 0 ||
	    http_field_int(r, body, "option", 0, SCRIPT_MAX_NODES, &option) < 0 ||
	    http_field_str(r, body, "objection", WORD_MAX, &step->objection) < 0 ||
	    read_answers(r, body, step) < 0 || read_finish(r, body, fin) < 0)
		return -1;
	if (s < 0) {
		http_error(r, 400, "invalid", "seq",
			   "seq: required (the run's seq, as the last answer gave it)");
		return -1;
	}
	if (!action) {
		http_error(r, 400, "invalid", "action", "action: required");
		return -1;
	}
	size_t i = 0, n = sizeof(actions) / sizeof(actions[0]);
	while (i < n && strcmp(actions[i].name, action) != 0)
		i++;
	if (i == n) {
		http_error(r, 400, "invalid", "action",
			   "action \"%s\": want option, objection, resume, answer, price, back, "
			   "hold or finish",
			   action);
		return -1;
	}
	step->action = actions[i].action;
	step->option = (int)option;
	*seq = (int)s;
	/* a member that the action ignores is a client's mistake: say so rather than drop it */
	const char *stray = stray_member(body, step, fin, option >= 0);
	if (stray) {
		http_error(r, 400, "invalid", stray, "%s: not used by action \"%s\"", stray,
			   action);
		return -1;
	}
	return 0;
}

/* step_field names a field of the finish the way this request spells it: the rules and the log
 * say "next", "next.due_at" (POST /api/v1/calls), the runner "next_kind"; a step says
 * "next_step", "next_step.due_at", "next_step.kind". */
static const char *step_field(struct req *r, const char *f)
{
	if (!f)
		return NULL;
	if (strcmp(f, "next_kind") == 0)
		return "next_step.kind";
	if (strcmp(f, "next_due") == 0)
		return "next_step.due_at";
	if (strncmp(f, "next", 4) == 0 && (f[4] == 0 || f[4] == '.'))
		return arena_printf(&r->a, "next_step%s", f + 4);
	return f;
}

static void step_fields_rename(struct req *r, struct nc_err *err, struct violations *v)
{
	const char *f = step_field(r, err->field);
	if (f != err->field)
		snprintf(err->field, sizeof(err->field), "%s", f);
	for (size_t i = 0; i < v->n; i++)
		v->v[i].field = step_field(r, v->v[i].field);
}

void api_runs_step(struct req *r)
{
	struct run_step step;
	struct run_finish fin;
	int seq;
	int64_t id = http_param_id(r, 0);
	if (id < 0)
		return;
	json_t *body = http_json_body(r);
	if (!body || read_step(r, body, &seq, &step, &fin) < 0)
		return;
	struct nc_err err = {0};
	struct run_view v;
	struct contact_output logged;
	memset(&logged, 0, sizeof(logged));
	int rc = app_run_step(&r->app, id, seq, &step, &fin, &v, &logged, &err);
	step_fields_rename(r, &err, &logged.v);
	if (rc < 0) {
		if (err.code == NC_EINVAL) /* well-formed, but it does not fit the run's state */
			fail_as(r, 422, "step_invalid", &err, NULL, NULL);
		else
			http_fail_rules(r, &err, &logged.v);
		return;
	}
	const char *tz = http_zone(r);
	json_t *j = json_of_run(&v, tz);
	if (step.action == RUN_FINISH)
		json_object_set_new(
		    j, "logged",
		    json_pack("{s:I, s:o, s:o}", "call_id", (json_int_t)logged.call_id, "step_id",
			      logged.step_id ? json_integer(logged.step_id) : json_null(),
			      "warnings", json_of_violations(&logged.v, true)));
	http_json(r, 200, j);
}
