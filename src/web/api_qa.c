/* api_qa.c - quality control over HTTP (/api/v1/qa/...): QA forms, call reviews, scores per rep
 * by week, mystery shopper campaigns with their leak rate and alarm. Handlers read the request
 * and shape JSON; who may do what is decided in app/qa.c. */
#include "app/json.h"
#include "web/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A shopper's scenario sent as text: a few pages of YAML; scripts themselves may be larger, and
 * a campaign can name an uploaded one instead. */
#define SCENARIO_MAX_BYTES (64 * 1024)

static json_t *ostr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* body reads the JSON object of r and refuses members not in allowed; NULL after answering. */
static json_t *body(struct req *r, const char *const *allowed)
{
	json_t *b = http_json_body(r);
	if (!b || http_check_fields(r, b, allowed) < 0)
		return NULL;
	return b;
}

/* ---- forms ---- */

static json_t *form_json(const struct qa_form_rec *f, const char *tz)
{
	json_t *items = json_array();
	for (size_t i = 0; i < f->nitems; i++) {
		const struct qa_item_rec *it = &f->items[i];
		json_array_append_new(items, json_pack("{s:I, s:i, s:s, s:i, s:o}", "id",
						       (json_int_t)it->id, "pos", it->pos, "text",
						       it->text, "weight", it->weight, "auto",
						       ostr(it->auto_src)));
	}
	return json_pack("{s:I, s:s, s:i, s:i, s:o, s:o, s:I, s:o}", "id", (json_int_t)f->id,
			 "name", f->name, "version", f->version, "versions", f->nversions, "author",
			 ostr(f->author), "created_at", json_time(f->created_at, tz), "reviews",
			 (json_int_t)f->reviews, "items", items);
}

static void form_answer(struct req *r, int status, int64_t id, int version)
{
	struct qa_form_rec f;
	struct nc_err err = {0};
	if (app_qa_form_get(&r->app, id, version, &f, &err) < 0)
		http_fail(r, &err);
	else
		http_json(r, status, form_json(&f, http_zone(r)));
}

void api_qa_forms_list(struct req *r)
{
	struct qa_form_rec *f;
	size_t n;
	struct nc_err err = {0};
	if (app_qa_form_list(&r->app, &f, &n, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		struct qa_form_rec full;
		if (app_qa_form_get(&r->app, f[i].id, 0, &full, &err) < 0) {
			json_decref(items);
			http_fail(r, &err);
			return;
		}
		json_array_append_new(items, form_json(&full, http_zone(r)));
	}
	http_json(r, 200, json_pack("{s:o}", "items", items));
}

/* items_field reads "items": [{text, weight, auto}] into in; -1 after answering. */
static int items_field(struct req *r, json_t *b, struct qa_form_input *in)
{
	static const char *const fields[] = {"text", "weight", "auto", NULL};
	json_t *arr = json_object_get(b, "items");
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > QA_MAX_ITEMS) {
		http_error(r, 400, "invalid", "items", "items: want an array of at most %d items",
			   QA_MAX_ITEMS);
		return -1;
	}
	size_t n = json_array_size(arr);
	struct qa_item_input *v = ARENA_ARRAY(&r->a, struct qa_item_input, n + 1);
	for (size_t i = 0; i < n; i++) {
		json_t *it = json_array_get(arr, i);
		int64_t w = 0;
		if (!json_is_object(it)) {
			http_error(r, 400, "invalid", "items", "items[%zu]: want an object", i);
			return -1;
		}
		if (http_check_fields(r, it, fields) < 0 ||
		    http_field_str(r, it, "text", QA_ITEM_MAX_BYTES, &v[i].text) < 0 ||
		    http_field_int(r, it, "weight", -1000000, 1000000, &w) < 0 ||
		    http_field_str(r, it, "auto", 40, &v[i].auto_src) < 0)
			return -1;
		v[i].weight = json_object_get(it, "weight") ? (int)w : 1;
	}
	in->items = v;
	in->nitems = n;
	in->has_items = true;
	return 0;
}

void api_qa_forms_create(struct req *r)
{
	static const char *const fields[] = {"name", "items", NULL};
	struct qa_form_input in = {0};
	struct nc_err err = {0};
	int64_t id;
	json_t *b = body(r, fields);
	if (!b || http_field_str(r, b, "name", 100, &in.name) < 0 || items_field(r, b, &in) < 0)
		return;
	if (app_qa_form_create(&r->app, &in, &id, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	form_answer(r, 201, id, 0);
}

void api_qa_forms_get(struct req *r)
{
	int64_t id = http_param_id(r, 0), version = 0;
	if (id < 0 || http_query_int(r, "version", 1, 1000000, 0, &version) < 0)
		return;
	form_answer(r, 200, id, (int)version);
}

void api_qa_forms_update(struct req *r)
{
	static const char *const fields[] = {"name", "items", NULL};
	struct qa_form_input in = {0};
	struct nc_err err = {0};
	int64_t id = http_param_id(r, 0);
	if (id < 0)
		return;
	json_t *b = body(r, fields);
	if (!b || http_field_str(r, b, "name", 100, &in.name) < 0 || items_field(r, b, &in) < 0)
		return;
	if (app_qa_form_update(&r->app, id, &in, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	form_answer(r, 200, id, 0);
}

/* ---- a call for review ---- */

static json_t *run_json(const struct qa_call_view *v, const char *tz)
{
	if (!v->has_run)
		return json_null();
	json_t *path = json_array();
	for (size_t i = 0; i < v->npath; i++) {
		const struct qa_path_step *p = &v->path[i];
		json_array_append_new(
		    path, json_pack("{s:i, s:s, s:o, s:o, s:o, s:o}", "seq", p->seq, "action",
				    p->action, "node", ostr(p->node), "stage", ostr(p->stage),
				    "detail", ostr(p->detail), "at", json_time(p->at, tz)));
	}
	return json_pack("{s:I, s:s, s:i, s:s, s:i, s:i, s:i, s:b, s:o}", "id",
			 (json_int_t)v->run.id, "script", v->run.script_name, "version",
			 v->run.version, "status", v->run.status, "needs_questions",
			 v->needs_questions, "price_asks", v->price_asks, "price_answer_on",
			 v->price_answer_on, "price_early", v->price_early, "path", path);
}

void api_qa_call_get(struct req *r)
{
	struct qa_call_view v;
	struct qa_form_rec f;
	struct nc_err err = {0};
	int64_t id = http_param_id(r, 0), form_id = 0;
	if (id < 0 || http_query_int(r, "form_id", 1, INT64_MAX, 0, &form_id) < 0)
		return;
	if (app_qa_call_view(&r->app, id, &v, &err) < 0 ||
	    (form_id && app_qa_form_get(&r->app, form_id, 0, &f, &err) < 0)) {
		http_fail(r, &err);
		return;
	}
	const char *tz = http_zone(r);
	json_t *prefill = json_array();
	for (size_t i = 0; form_id && i < f.nitems; i++) {
		const char *why;
		int a = app_qa_auto_answer(&r->app, &v, f.items[i].auto_src, &why);
		json_array_append_new(prefill, json_pack("{s:I, s:o, s:o}", "item_id",
							 (json_int_t)f.items[i].id, "answer",
							 a < 0 ? json_null() : json_boolean(a == 1),
							 "why", ostr(why)));
	}
	http_json(r, 200,
		  json_pack("{s:o, s:o, s:o, s:b, s:I, s:o}", "call", json_of_call(&v.call, tz),
			    "client_name", ostr(v.client.id ? v.client.name : NULL), "run",
			    run_json(&v, tz), "next_step", v.next_step, "phones",
			    (json_int_t)v.phones, "prefill", prefill));
}

/* ---- reviews ---- */

static json_t *review_json(const struct qa_review_rec *rv, const char *tz)
{
	return json_pack(
	    "{s:I, s:I, s:o, s:o, s:I, s:s, s:i, s:o, s:o, s:o, s:o, s:f, s:i, s:i, "
	    "s:o}",
	    "id", (json_int_t)rv->id, "call_id", (json_int_t)rv->call_id, "client_id",
	    rv->client_id ? json_integer(rv->client_id) : json_null(), "client_name",
	    ostr(rv->client_name), "form_id", (json_int_t)rv->form_id, "form_name", rv->form_name,
	    "version", rv->version, "rep", ostr(rv->rep), "reviewer", ostr(rv->reviewer), "call_at",
	    json_time(rv->call_at, tz), "created_at", json_time(rv->created_at, tz), "score",
	    rv->total_weight ? (double)rv->yes_weight / rv->total_weight : 0.0, "yes_weight",
	    rv->yes_weight, "total_weight", rv->total_weight, "note", ostr(rv->note));
}

static void review_answer(struct req *r, int status, int64_t id)
{
	struct qa_review_view v;
	struct nc_err err = {0};
	if (app_qa_review_get(&r->app, id, &v, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	json_t *j = review_json(&v.r, http_zone(r)), *answers = json_array();
	for (size_t i = 0; i < v.nanswers; i++) {
		const struct qa_item_rec *it = NULL;
		for (size_t k = 0; k < v.form.nitems && !it; k++)
			if (v.form.items[k].id == v.answers[i].item_id)
				it = &v.form.items[k];
		json_array_append_new(
		    answers,
		    json_pack("{s:I, s:s, s:i, s:o, s:b, s:b}", "item_id",
			      (json_int_t)v.answers[i].item_id, "text", it ? it->text : "",
			      "weight", it ? it->weight : 0, "auto", ostr(it ? it->auto_src : NULL),
			      "yes", v.answers[i].yes, "from_data", v.answers[i].from_data));
	}
	json_object_set_new(j, "answers", answers);
	http_json(r, status, j);
}

void api_qa_reviews_list(struct req *r)
{
	struct qa_review_query q = {
	    .rep = http_query(r, "rep"), .from = http_query(r, "from"), .to = http_query(r, "to")};
	struct qa_review_rec *v;
	size_t n;
	int64_t limit;
	struct nc_err err = {0};
	if (http_query_int(r, "call_id", 1, INT64_MAX, 0, &q.call_id) < 0 ||
	    http_query_int(r, "limit", 1, 500, 100, &limit) < 0)
		return;
	q.limit = (int)limit;
	if (app_qa_review_list(&r->app, &q, &v, &n, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, review_json(&v[i], http_zone(r)));
	http_json(r, 200, json_pack("{s:o}", "items", items));
}

/* answers_field reads {"ITEM_ID": true|false, ...}; -1 after answering. */
static int answers_field(struct req *r, json_t *b, struct qa_review_input *in)
{
	json_t *obj = json_object_get(b, "answers"), *v;
	const char *key;
	if (!obj || json_is_null(obj))
		return 0;
	if (!json_is_object(obj) || json_object_size(obj) > QA_MAX_ITEMS) {
		http_error(r, 400, "invalid", "answers",
			   "answers: want an object {item_id: true|false}");
		return -1;
	}
	int64_t *ids = ARENA_ARRAY(&r->a, int64_t, json_object_size(obj) + 1);
	bool *yes = ARENA_ARRAY(&r->a, bool, json_object_size(obj) + 1);
	size_t n = 0;
	json_object_foreach(obj, key, v)
	{
		char *end;
		long long id = strtoll(key, &end, 10);
		if (end == key || *end || id <= 0 || !json_is_boolean(v)) {
			http_error(r, 400, "invalid", "answers",
				   "answers: \"%.20s\": want an item id with true or false", key);
			return -1;
		}
		ids[n] = id;
		yes[n++] = json_is_true(v);
	}
	in->item_ids = ids;
	in->yes = yes;
	in->n = n;
	return 0;
}

void api_qa_reviews_create(struct req *r)
{
	static const char *const fields[] = {"call_id", "form_id", "answers", "note", NULL};
	struct qa_review_input in = {0};
	struct nc_err err = {0};
	int64_t id;
	json_t *b = body(r, fields);
	if (!b || http_field_int(r, b, "call_id", 1, INT64_MAX, &in.call_id) < 0 ||
	    http_field_int(r, b, "form_id", 1, INT64_MAX, &in.form_id) < 0 ||
	    http_field_str(r, b, "note", 2000, &in.note) < 0 || answers_field(r, b, &in) < 0)
		return;
	if (!in.call_id || !in.form_id) {
		http_error(r, 400, "invalid", in.call_id ? "form_id" : "call_id", "%s is required",
			   in.call_id ? "form_id" : "call_id");
		return;
	}
	if (app_qa_review_add(&r->app, &in, &id, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	review_answer(r, 201, id);
}

void api_qa_reviews_get(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	if (id >= 0)
		review_answer(r, 200, id);
}

static json_t *ratio(double v)
{
	return v < 0 ? json_null() : json_real(v);
}

void api_qa_scores(struct req *r)
{
	struct qa_scores s;
	struct nc_err err = {0};
	if (app_qa_scores(&r->app, http_query(r, "rep"), http_query(r, "from"), http_query(r, "to"),
			  &s, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	json_t *weeks = json_array(), *reps = json_array();
	for (size_t w = 0; w < s.nweeks; w++)
		json_array_append_new(weeks, json_string(s.weeks[w]));
	for (size_t i = 0; i < s.nreps; i++) {
		json_t *ws = json_array(), *wn = json_array();
		for (size_t w = 0; w < s.nweeks; w++) {
			json_array_append_new(ws, ratio(s.reps[i].weeks[w]));
			json_array_append_new(wn, json_integer(s.reps[i].week_reviews[w]));
		}
		json_array_append_new(reps, json_pack("{s:s, s:s, s:o, s:I, s:o, s:o}", "rep",
						      s.reps[i].rep, "name", s.reps[i].name,
						      "score", ratio(s.reps[i].score), "reviews",
						      (json_int_t)s.reps[i].reviews, "weeks", ws,
						      "week_reviews", wn));
	}
	http_json(r, 200,
		  json_pack("{s:s, s:s, s:o, s:o}", "from", s.from, "to", s.to, "weeks", weeks,
			    "reps", reps));
}

/* ---- mystery shopper campaigns ---- */

static json_t *campaign_summary(const struct qa_campaign_rec *c, const char *tz)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:I, s:I, s:I, s:f}", "id", (json_int_t)c->id,
			 "name", c->name, "scenario", c->scenario, "author", ostr(c->author),
			 "created_at", json_time(c->created_at, tz), "planned",
			 (json_int_t)c->planned, "filled", (json_int_t)c->filled, "leaks",
			 (json_int_t)c->leaks, "leak_rate",
			 c->filled ? (double)c->leaks / (double)c->filled : 0.0);
}

/* advice says what to do when the alarm is raised (English; the pages translate theirs). */
static json_t *advice(struct req *r, const struct qa_campaign_view *v)
{
	if (!v->alarm)
		return json_null();
	struct buf b;
	buf_init(&b, 0);
	buf_adds(&b, "write or fix the scripts for the moves that failed most:");
	for (size_t k = 0; k < v->nworst && k < 3; k++)
		buf_printf(&b, "%s %s", k ? "," : "", qa_moves[v->worst[k]].key);
	buf_adds(&b, "; train the reps:");
	for (size_t k = 0; k < v->nleak_reps; k++)
		buf_printf(&b, "%s %s", k ? "," : "", v->leak_reps[k]);
	json_t *j = json_string(b.data ? b.data : "");
	buf_release(&b);
	(void)r;
	return j;
}

static json_t *campaign_json(const struct qa_campaign_view *v, const char *tz, struct req *r)
{
	json_t *j = campaign_summary(&v->c, tz), *calls = json_array(), *moves = json_array(),
	       *worst = json_array(), *reps = json_array();
	for (size_t i = 0; i < v->ncalls; i++) {
		const struct qa_ccall_rec *c = &v->calls[i];
		json_t *ans = json_null();
		if (c->filled_at) {
			ans = json_object();
			for (int m = 0; m < QA_MOVES; m++)
				if (v->answers[i][m] >= 0)
					json_object_set_new(ans, qa_moves[m].key,
							    json_boolean(v->answers[i][m] == 1));
		}
		json_array_append_new(
		    calls,
		    json_pack("{s:i, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "n", c->n, "rep", c->rep,
			      "rep_name", c->rep_name, "planned_at", json_time(c->planned_at, tz),
			      "filled_at", c->filled_at ? json_time(c->filled_at, tz) : json_null(),
			      "leak", c->leak < 0 ? json_null() : json_boolean(c->leak == 1),
			      "note", ostr(c->note), "answers", ans));
	}
	for (int m = 0; m < QA_MOVES; m++)
		json_array_append_new(moves, json_pack("{s:s, s:s, s:I}", "key", qa_moves[m].key,
						       "label", qa_moves[m].label, "fails",
						       (json_int_t)v->fails[m]));
	for (size_t k = 0; k < v->nworst; k++)
		json_array_append_new(worst, json_string(qa_moves[v->worst[k]].key));
	for (size_t k = 0; k < v->nleak_reps; k++)
		json_array_append_new(reps, json_string(v->leak_reps[k]));
	json_object_set_new(j, "scenario_text", ostr(v->c.scenario_text));
	json_object_set_new(j, "alarm", json_boolean(v->alarm));
	json_object_set_new(j, "advice", advice(r, v));
	json_object_set_new(j, "worst_moves", worst);
	json_object_set_new(j, "leak_reps", reps);
	json_object_set_new(j, "moves", moves);
	json_object_set_new(j, "calls", calls);
	return j;
}

static void campaign_answer(struct req *r, int status, int64_t id)
{
	struct qa_campaign_view v;
	struct nc_err err = {0};
	if (app_qa_campaign_get(&r->app, id, &v, &err) < 0)
		http_fail(r, &err);
	else
		http_json(r, status, campaign_json(&v, http_zone(r), r));
}

void api_qa_campaigns_list(struct req *r)
{
	struct qa_campaign_rec *c;
	size_t n;
	struct nc_err err = {0};
	if (app_qa_campaign_list(&r->app, &c, &n, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, campaign_summary(&c[i], http_zone(r)));
	http_json(r, 200, json_pack("{s:o}", "items", items));
}

/* calls_field reads "calls": [{rep, at}]; -1 after answering. */
static int calls_field(struct req *r, json_t *b, struct qa_campaign_input *in)
{
	static const char *const fields[] = {"rep", "at", NULL};
	json_t *arr = json_object_get(b, "calls");
	if (!json_is_array(arr) || json_array_size(arr) > QA_CAMPAIGN_MAX_CALLS) {
		http_error(r, 400, "invalid", "calls", "calls: want an array of %d to %d {rep, at}",
			   QA_CAMPAIGN_MIN_CALLS, QA_CAMPAIGN_MAX_CALLS);
		return -1;
	}
	size_t n = json_array_size(arr);
	struct qa_call_plan *v = ARENA_ARRAY(&r->a, struct qa_call_plan, n + 1);
	for (size_t i = 0; i < n; i++) {
		json_t *it = json_array_get(arr, i);
		if (!json_is_object(it)) {
			http_error(r, 400, "invalid", "calls", "calls[%zu]: want {rep, at}", i);
			return -1;
		}
		if (http_check_fields(r, it, fields) < 0 ||
		    http_field_str(r, it, "rep", 64, &v[i].rep) < 0 ||
		    http_field_str(r, it, "at", 64, &v[i].at) < 0)
			return -1;
	}
	in->calls = v;
	in->ncalls = n;
	return 0;
}

void api_qa_campaigns_create(struct req *r)
{
	static const char *const fields[] = {"name", "scenario", "scenario_text", "calls", NULL};
	struct qa_campaign_input in = {0};
	struct nc_err err = {0};
	int64_t id;
	json_t *b = body(r, fields);
	if (!b || http_field_str(r, b, "name", 100, &in.name) < 0 ||
	    http_field_str(r, b, "scenario", 200, &in.scenario) < 0 ||
	    http_field_str(r, b, "scenario_text", SCENARIO_MAX_BYTES, &in.scenario_text) < 0 ||
	    calls_field(r, b, &in) < 0)
		return;
	if (app_qa_campaign_add(&r->app, &in, &id, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	campaign_answer(r, 201, id);
}

void api_qa_campaigns_get(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	if (id >= 0)
		campaign_answer(r, 200, id);
}

void api_qa_campaign_fill(struct req *r)
{
	static const char *const fields[] = {"answers", "note", NULL};
	struct qa_fill_input in = {0};
	struct nc_err err = {0};
	int64_t id = http_param_id(r, 0), n = id < 0 ? -1 : http_param_id(r, 1);
	if (id < 0 || n < 0)
		return;
	json_t *b = body(r, fields);
	if (!b || http_field_str(r, b, "note", 2000, &in.note) < 0)
		return;
	json_t *obj = json_object_get(b, "answers"), *v;
	const char *key;
	if (!json_is_object(obj)) {
		http_error(r, 400, "invalid", "answers", "answers: want {move: true|false}");
		return;
	}
	memset(in.yes, -1, sizeof(in.yes));
	json_object_foreach(obj, key, v)
	{
		int m = 0;
		while (m < QA_MOVES && strcmp(qa_moves[m].key, key) != 0)
			m++;
		if (m == QA_MOVES || !json_is_boolean(v)) {
			http_error(r, 400, "invalid", "answers",
				   "answers: \"%.30s\": want a move (product, price, expensive, "
				   "discount, think, boss, next_step, contacts) with true or false",
				   key);
			return;
		}
		in.yes[m] = json_is_true(v) ? 1 : 0;
	}
	if (n > QA_CAMPAIGN_MAX_CALLS) {
		http_error(r, 404, "not_found", "n", "no test call %lld", (long long)n);
		return;
	}
	if (app_qa_campaign_fill(&r->app, id, (int)n, &in, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	campaign_answer(r, 200, id);
}
