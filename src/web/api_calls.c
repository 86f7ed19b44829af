/* api_calls.c - /api/v1/calls and /api/v1/meetings: logging a contact through the sales rules
 * (the fields and answers of "nextcall log"), the paged lists and one contact. */
#include "app/json.h"
#include "app/json_write.h"
#include "util/utf8.h"
#include "web/api.h"
#include "web/api_body.h"

#include <string.h>

#define TEXT_MAX   1000 /* purpose, refusal reason, notes; the app checks its own limits */
#define WORD_MAX   64	/* logins, directions, kinds, times */
#define LIST_LIMIT 100	/* default page size */

static const char *const call_fields[] = {
    "client_id", "rep", "direction", "purpose", "goal_max", "goal_min", "result", "missed",
    "talk_s",	 "at",	"next",	     "refused", "never",    "offer",	"won",	  NULL};
static const char *const meeting_fields[] = {
    "client_id", "rep",	 "purpose", "goal_max", "goal_min", "result", "talk_s",
    "at",	 "next", "refused", "never",	"offer",    "won",    NULL};
static const char *const next_fields[] = {"kind", "due_at", NULL};
static const char *const never_fields[] = {"reason", "note", NULL};

/* sub_object gives member field of body when it is an object (NULL when absent or null), after
 * checking that it holds only allowed members; answers 400 naming "field.member" otherwise. */
static int sub_object(struct req *r, json_t *body, const char *field, const char *const *allowed,
		      json_t **out)
{
	json_t *v = json_object_get(body, field), *m;
	const char *key;
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v)) {
		http_error(r, 400, "invalid_type", field, "%s: want an object", field);
		return -1;
	}
	json_object_foreach(v, key, m)
	{
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, key) == 0;
		if (!ok) {
			const char *name = arena_printf(&r->a, "%s.%.40s", field, key);
			http_error(r, 400, "unknown_field", name, "unknown field \"%s\"", name);
			return -1;
		}
	}
	*out = v;
	return 0;
}

/* sub_str reads string member key of the object obj (a member of field) like
 * http_field_str, naming "field.key" in errors. */
static int sub_str(struct req *r, json_t *obj, const char *field, const char *key, size_t max,
		   const char **out)
{
	json_t *v = obj ? json_object_get(obj, key) : NULL;
	if (!v || json_is_null(v))
		return 0;
	const char *name = arena_printf(&r->a, "%s.%s", field, key);
	if (!json_is_string(v) || memchr(json_string_value(v), 0, json_string_length(v))) {
		http_error(r, 400, "invalid_type", name, "%s: want a string", name);
		return -1;
	}
	if (json_string_length(v) > max) {
		http_error(r, 400, "too_long", name, "%s: at most %zu bytes", name, max);
		return -1;
	}
	*out = arena_strdup(&r->a, json_string_value(v));
	return 0;
}

/* read_outcome reads what the contact led to: the next step, a refusal, "never", money. */
static int read_outcome(struct req *r, json_t *body, struct contact_input *in)
{
	json_t *next, *never;
	if (sub_object(r, body, "next", next_fields, &next) < 0 ||
	    sub_str(r, next, "next", "kind", WORD_MAX, &in->next_kind) < 0 ||
	    sub_str(r, next, "next", "due_at", WORD_MAX, &in->next_due) < 0 ||
	    sub_object(r, body, "never", never_fields, &never) < 0 ||
	    sub_str(r, never, "never", "reason", WORD_MAX, &in->never_reason) < 0 ||
	    sub_str(r, never, "never", "note", TEXT_MAX, &in->never_note) < 0 ||
	    http_field_str(r, body, "refused", TEXT_MAX, &in->refused) < 0 ||
	    http_field_money(r, body, "offer", &in->offer) < 0 ||
	    http_field_money(r, body, "won", &in->won) < 0)
		return -1;
	if (next && !in->next_kind) {
		http_error(r, 400, "invalid", "next.kind", "next.kind: required");
		return -1;
	}
	return 0;
}

/* api_read_contact reads the body of POST /calls or /meetings into in. */
int api_read_contact(struct req *r, json_t *body, enum contact_kind kind, struct contact_input *in)
{
	int64_t client_id = 0, talk_s = -1;
	memset(in, 0, sizeof(*in));
	in->kind = kind;
	in->ring_s = -1;
	if (http_check_fields(r, body, kind == CONTACT_CALL ? call_fields : meeting_fields) < 0 ||
	    http_field_int(r, body, "client_id", 1, INT64_MAX, &client_id) < 0 ||
	    http_field_str(r, body, "rep", WORD_MAX, &in->rep) < 0 ||
	    http_field_str(r, body, "direction", WORD_MAX, &in->direction) < 0 ||
	    http_field_str(r, body, "purpose", TEXT_MAX, &in->purpose) < 0 ||
	    http_field_str(r, body, "goal_max", TEXT_MAX, &in->goal_max) < 0 ||
	    http_field_str(r, body, "goal_min", TEXT_MAX, &in->goal_min) < 0 ||
	    http_field_str(r, body, "result", WORD_MAX, &in->result) < 0 ||
	    http_field_bool(r, body, "missed", &in->missed) < 0 ||
	    http_field_int(r, body, "talk_s", 0, 86400, &talk_s) < 0 ||
	    http_field_str(r, body, "at", WORD_MAX, &in->at) < 0 || read_outcome(r, body, in) < 0)
		return -1;
	if (!client_id) {
		http_error(r, 400, "invalid", "client_id", "client_id: required");
		return -1;
	}
	in->client_id = client_id;
	in->talk_s = (int)talk_s;
	return 0;
}

static void create(struct req *r, enum contact_kind kind)
{
	struct contact_input in;
	json_t *body = http_json_body(r);
	if (!body || api_read_contact(r, body, kind, &in) < 0)
		return;
	struct nc_err err = {0};
	struct contact_output out;
	struct call_rec c;
	if (app_contact_log(&r->app, &in, &out, &err) < 0) {
		http_fail_rules(r, &err, &out.v);
		return;
	}
	if (app_call_get(&r->app, out.call_id, kind, &c, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	struct buf *b = http_json_out(r, 201);
	buf_adds(b, "{\"call\":");
	jw_call(b, &c, http_zone(r));
	buf_adds(b, ",\"warnings\":");
	http_json_append(b, json_of_violations(&out.v, true));
	buf_addc(b, '}');
}

/* query_text reads an optional query parameter of at most WORD_MAX bytes of valid UTF-8. */
static int query_text(struct req *r, const char *key, const char **out)
{
	const char *s = http_query(r, key);
	*out = NULL;
	if (!s)
		return 0;
	if (strlen(s) > WORD_MAX || !utf8_valid(s, strlen(s))) {
		http_error(r, 400, "invalid", key, "%s: at most %d bytes of valid UTF-8", key,
			   WORD_MAX);
		return -1;
	}
	*out = s;
	return 0;
}

static void list(struct req *r, enum contact_kind kind)
{
	struct call_query q = {.kind = kind};
	int64_t limit, after;
	if (http_query_int(r, "client_id", 1, INT64_MAX, 0, &q.client_id) < 0 ||
	    query_text(r, "rep", &q.rep) < 0 || query_text(r, "from", &q.from) < 0 ||
	    query_text(r, "to", &q.to) < 0 ||
	    http_query_int(r, "limit", 1, 500, LIST_LIMIT, &limit) < 0 ||
	    http_query_int(r, "after", 0, INT64_MAX, 0, &after) < 0)
		return;
	q.limit = (int)limit + 1; /* one more, to know whether more follow */
	q.after = after;
	struct nc_err err = {0};
	struct call_rec *c;
	size_t n;
	if (app_call_list(&r->app, &q, &c, &n, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	const char *tz = http_zone(r);
	int64_t next = 0;
	if (n > (size_t)limit) {
		n = (size_t)limit;
		next = c[n - 1].id;
	}
	struct buf *b = http_json_items(r);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addc(b, ',');
		jw_call(b, &c[i], tz);
	}
	http_json_items_end(b, next);
}

static void get(struct req *r, enum contact_kind kind)
{
	struct nc_err err = {0};
	struct call_rec c;
	int64_t id = http_param_id(r, 0);
	if (id < 0)
		return;
	if (app_call_get(&r->app, id, kind, &c, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	jw_call(http_json_out(r, 200), &c, http_zone(r));
}

void api_calls_list(struct req *r)
{
	list(r, CONTACT_CALL);
}

void api_calls_create(struct req *r)
{
	create(r, CONTACT_CALL);
}

void api_calls_get(struct req *r)
{
	get(r, CONTACT_CALL);
}

/* DELETE /api/v1/calls/{id} (admin): a call or meeting logged by mistake; the report rollups
 * follow in the same transaction. */
void api_calls_delete(struct req *r)
{
	struct nc_err err = {0};
	int64_t id = http_param_id(r, 0);
	if (id < 0)
		return;
	if (app_call_delete(&r->app, id, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	http_body(r, 204, NULL, "", 0);
}

void api_meetings_list(struct req *r)
{
	list(r, CONTACT_MEETING);
}

void api_meetings_create(struct req *r)
{
	create(r, CONTACT_MEETING);
}

void api_meetings_get(struct req *r)
{
	get(r, CONTACT_MEETING);
}

/* POST /api/v1/calls/{id}/handover {"note"}: a call of another rep's client handed to his
 * owner as a callback step. The answer names the owner and the step, never the client. */
void api_calls_handover(struct req *r)
{
	static const char *const fields[] = {"note", NULL};
	int64_t id = http_param_id(r, 0);
	if (id < 0)
		return;
	json_t *body = http_json_body(r);
	const char *note = NULL;
	if (!body || http_check_fields(r, body, fields) < 0 ||
	    http_field_str(r, body, "note", HANDOVER_NOTE_MAX, &note) < 0)
		return;
	if (!note) {
		http_error(r, 400, "invalid", "note", "note: required");
		return;
	}
	struct nc_err err = {0};
	struct handover_out out;
	if (app_call_handover(&r->app, id, note, &out, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	http_json(r, 201,
		  json_pack("{s:I, s:I, s:s, s:o}", "call_id", (json_int_t)id, "step_id",
			    (json_int_t)out.step_id, "owner", out.owner, "due_at",
			    json_time(out.due_at, http_zone(r))));
}
