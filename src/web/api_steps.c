/* api_steps.c - next steps over HTTP (plan, complete, move, cancel, list, get) and a rep's day
 * (the agenda, the same JSON as "nextcall agenda --json"). Rules live in app/steps.c; this file
 * only reads requests and shapes answers.
 *
 * POST /api/v1/next-steps answers 201 {"step": Step, "warnings": [Violation]}: the step as
 * GET /api/v1/next-steps/{id} shows it, and the accepted rules' warnings (cadence_exceeded). */
#include "app/json.h"
#include "app/json_write.h"
#include "web/api.h"

#include <stdint.h>

#define STEPS_PAGE_DEFAULT 100
#define STEPS_PAGE_MAX	   500

/* answer_step answers status with step id as the actor now sees it. */
static void answer_step(struct req *r, int64_t id)
{
	struct nc_err err = {0};
	struct step_rec s;
	if (app_step_get(&r->app, id, &s, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	http_json(r, 200, json_of_step(&s, http_zone(r)));
}

void api_steps_list(struct req *r)
{
	int64_t limit, after, client_id;
	if (http_query_int(r, "limit", 1, STEPS_PAGE_MAX, STEPS_PAGE_DEFAULT, &limit) < 0 ||
	    http_query_int(r, "after", 0, INT64_MAX, 0, &after) < 0 ||
	    http_query_int(r, "client_id", 1, INT64_MAX, 0, &client_id) < 0)
		return;
	/* one more than shown tells whether another page follows */
	struct step_query q = {.rep = http_query(r, "rep"),
			       .client_id = client_id,
			       .after = after,
			       .limit = (int)limit + 1};
	struct nc_err err = {0};
	struct step_rec *s;
	size_t n;
	if (app_step_page(&r->app, &q, &s, &n, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	json_t *next = json_null();
	if (n > (size_t)limit) {
		n = (size_t)limit;
		next = json_integer(s[n - 1].id);
	}
	const char *tz = http_zone(r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_of_step(&s[i], tz));
	http_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_after", next));
}

void api_steps_create(struct req *r)
{
	static const char *const fields[] = {"client_id", "kind", "due_at", "rep", "note", NULL};
	struct step_input in = {0};
	json_t *body = http_json_body(r);
	if (!body || http_check_fields(r, body, fields) < 0 ||
	    http_field_int(r, body, "client_id", 1, INT64_MAX, &in.client_id) < 0 ||
	    http_field_str(r, body, "kind", 20, &in.kind) < 0 ||
	    http_field_str(r, body, "due_at", 64, &in.due_at) < 0 ||
	    http_field_str(r, body, "rep", 64, &in.rep) < 0 ||
	    http_field_str(r, body, "note", 1000, &in.note) < 0)
		return;
	struct nc_err err = {0};
	struct violations v;
	int64_t id;
	struct step_rec s;
	if (app_step_create(&r->app, &in, &id, &v, &err) < 0 ||
	    app_step_get(&r->app, id, &s, &err) < 0) {
		http_fail_rules(r, &err, &v);
		return;
	}
	http_json(r, 201,
		  json_pack("{s:o, s:o}", "step", json_of_step(&s, http_zone(r)), "warnings",
			    json_of_violations(&v, true)));
}

void api_steps_get(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	if (id > 0)
		answer_step(r, id);
}

void api_steps_complete(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	struct nc_err err = {0};
	if (id < 0)
		return;
	if (app_step_done(&r->app, id, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	answer_step(r, id);
}

void api_steps_move(struct req *r)
{
	static const char *const fields[] = {"due_at", NULL};
	const char *due_at = NULL;
	int64_t id = http_param_id(r, 0);
	if (id < 0)
		return;
	json_t *body = http_json_body(r);
	if (!body || http_check_fields(r, body, fields) < 0 ||
	    http_field_str(r, body, "due_at", 64, &due_at) < 0)
		return;
	struct nc_err err = {0};
	if (app_step_move(&r->app, id, due_at, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	answer_step(r, id);
}

void api_steps_cancel(struct req *r)
{
	static const char *const fields[] = {"reason", NULL};
	const char *reason = NULL;
	int64_t id = http_param_id(r, 0);
	if (id < 0)
		return;
	json_t *body = http_json_body(r);
	if (!body || http_check_fields(r, body, fields) < 0 ||
	    http_field_str(r, body, "reason", 1000, &reason) < 0)
		return;
	struct nc_err err = {0};
	if (app_step_cancel(&r->app, id, reason, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	answer_step(r, id);
}

void api_agenda(struct req *r)
{
	struct nc_err err = {0};
	struct agenda ag;
	if (app_agenda(&r->app, http_query(r, "rep"), http_query(r, "date"), &ag, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	/* in the agenda's own zone, exactly as the CLI prints it (app/json_write.h: the bytes of
	 * json_of_agenda, written straight into the answer) */
	jw_agenda(http_json_out(r, 200), &ag, ag.timezone);
}
