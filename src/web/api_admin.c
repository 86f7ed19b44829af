/* api_admin.c - the team's reference data over HTTP: deals, segments, lead sources with their
 * monthly spend, users and settings. Handlers only read the request and shape JSON; who may do
 * what is decided in app/. */
#include "app/json.h"
#include "web/api.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_DEFAULT 100
#define LIST_MAX     500

/* ---- shared pieces ---- */

/* body reads the JSON object of r and refuses members not in allowed; NULL after answering. */
static json_t *body(struct req *r, const char *const *allowed)
{
	json_t *b = http_json_body(r);
	if (!b || http_check_fields(r, b, allowed) < 0)
		return NULL;
	return b;
}

/* nothing_given answers 400 and says so when every member of a change request is null. */
static bool nothing_given(struct req *r, json_t *b, const char *fields)
{
	const char *key;
	json_t *v;
	json_object_foreach(b, key, v)
	{
		if (!json_is_null(v))
			return false;
	}
	http_error(r, 400, "invalid", NULL, "nothing to change: give at least one of %s", fields);
	return true;
}

struct page {
	int64_t after, limit;
};

static int page_read(struct req *r, struct page *p)
{
	if (http_query_int(r, "limit", 1, LIST_MAX, LIST_DEFAULT, &p->limit) < 0 ||
	    http_query_int(r, "after", 0, INT64_MAX, 0, &p->after) < 0)
		return -1;
	return 0;
}

static int64_t id_of(const json_t *item)
{
	return json_integer_value(json_object_get(item, "id"));
}

static int by_id(const void *a, const void *b)
{
	int64_t x = id_of(*(json_t *const *)a), y = id_of(*(json_t *const *)b);
	return (x > y) - (x < y);
}

/* answer_page answers {"items", "next_after"} with the members of all (objects with an "id", in
 * any order) whose id follows the cursor, sorted by id, at most p->limit of them; next_after is
 * the last id given when more follow. Steals all. */
static void answer_page(struct req *r, json_t *all, const struct page *p)
{
	size_t n = json_array_size(all);
	json_t **v = ARENA_ARRAY(&r->a, json_t *, n + 1);
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(all, i);
	qsort(v, n, sizeof(*v), by_id);
	json_t *items = json_array(), *next = NULL;
	for (size_t i = 0; i < n && !next; i++) {
		if (id_of(v[i]) <= p->after)
			continue;
		if (json_array_size(items) < (size_t)p->limit)
			json_array_append(items, v[i]);
		else /* one more follows the page: the client asks again after the last one */
			next =
			    json_integer(id_of(json_array_get(items, json_array_size(items) - 1)));
	}
	json_decref(all);
	http_json(r, 200,
		  json_pack("{s:o, s:o}", "items", items, "next_after", next ? next : json_null()));
}

/* ---- deals ---- */

void api_deals_list(struct req *r)
{
	struct page p;
	struct deal_query q = {0};
	struct deal_rec *d;
	size_t n;
	struct nc_err err = {0};
	if (page_read(r, &p) < 0 ||
	    http_query_int(r, "client_id", 1, INT64_MAX, 0, &q.client_id) < 0)
		return;
	q.stage = http_query(r, "stage");
	q.after = p.after;
	q.limit = (int)p.limit + 1; /* one more tells whether a next page exists */
	if (app_deal_list(&r->app, &q, &d, &n, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	json_t *all = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(all, json_of_deal(&d[i], http_zone(r)));
	answer_page(r, all, &p);
}

/* deal_answer answers with deal id as the actor now sees it. */
static void deal_answer(struct req *r, int status, int64_t id)
{
	struct deal_rec d;
	struct nc_err err = {0};
	if (app_deal_get(&r->app, id, &d, &err) < 0)
		http_fail(r, &err);
	else
		http_json(r, status, json_of_deal(&d, http_zone(r)));
}

void api_deals_create(struct req *r)
{
	static const char *const fields[] = {"client_id", "amount", "stage", NULL};
	struct deal_input in = {0};
	struct nc_err err = {0};
	int64_t id;
	json_t *b = body(r, fields);
	if (!b || http_field_int(r, b, "client_id", 1, INT64_MAX, &in.client_id) < 0 ||
	    http_field_money(r, b, "amount", &in.amount) < 0 ||
	    http_field_str(r, b, "stage", 20, &in.stage) < 0)
		return;
	if (app_deal_create(&r->app, &in, &id, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	deal_answer(r, 201, id);
}

void api_deals_update(struct req *r)
{
	static const char *const fields[] = {"amount", "stage", NULL};
	struct deal_input in = {0};
	struct nc_err err = {0};
	int64_t id = http_param_id(r, 0);
	if (id < 0)
		return;
	json_t *b = body(r, fields);
	if (!b || nothing_given(r, b, "amount, stage") ||
	    http_field_money(r, b, "amount", &in.amount) < 0 ||
	    http_field_str(r, b, "stage", 20, &in.stage) < 0)
		return;
	if (app_deal_update(&r->app, id, &in, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	deal_answer(r, 200, id);
}

/* ---- segments ---- */

static json_t *segment_json(const struct segment_rec *s)
{
	return json_pack("{s:I, s:s, s:i, s:i}", "id", (json_int_t)s->id, "name", s->name,
			 "min_days", s->min_days, "max_days", s->max_days);
}

void api_segments_list(struct req *r)
{
	struct page p;
	struct segment_rec *s;
	size_t n;
	struct nc_err err = {0};
	if (page_read(r, &p) < 0)
		return;
	if (store_segment_list(r->db, &r->a, &s, &n, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	json_t *all = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(all, segment_json(&s[i]));
	answer_page(r, all, &p);
}

/* every_field reads "every" as a string ("7", "30-45") or a whole number of days. */
static int every_field(struct req *r, json_t *b, const char **every)
{
	json_t *v = json_object_get(b, "every");
	if (!json_is_integer(v))
		return http_field_str(r, b, "every", 20, every);
	*every = arena_printf(&r->a, "%lld", (long long)json_integer_value(v));
	return 0;
}

void api_segments_create(struct req *r)
{
	static const char *const fields[] = {"name", "every", "min_days", "max_days", NULL};
	const char *name = NULL, *every = NULL;
	int64_t lo = 0, hi = 0, id;
	struct segment_rec s;
	struct nc_err err = {0};
	json_t *b = body(r, fields);
	if (!b || http_field_str(r, b, "name", 100, &name) < 0 || every_field(r, b, &every) < 0 ||
	    http_field_int(r, b, "min_days", 1, 365, &lo) < 0 ||
	    http_field_int(r, b, "max_days", 1, 365, &hi) < 0)
		return;
	if (every && (lo || hi)) {
		http_error(r, 400, "invalid", "every",
			   "give either every or min_days and max_days, not both");
		return;
	}
	int rc = lo || hi
		     ? app_segment_add_days(&r->app, name, (int)lo, (int)(hi ? hi : lo), &id, &err)
		     : app_segment_add(&r->app, name, every, &id, &err);
	if (rc == 0) {
		int found = store_segment_by_name(r->db, &r->a, name, &s, &err);
		if (found == 0)
			nc_error(&err, NC_EDB, "segment %lld vanished after insert", (long long)id);
		rc = found == 1 ? 0 : -1;
	}
	if (rc < 0) {
		http_fail(r, &err);
		return;
	}
	http_json(r, 201, segment_json(&s));
}

/* ---- lead sources and their spend ---- */

/* source_json shapes a source with its spend rows, picked from sp (any source's rows). */
static json_t *source_json(const struct source_rec *s, const struct spend_rec *sp, size_t n)
{
	json_t *spend = json_array();
	for (size_t i = 0; i < n; i++)
		if (sp[i].source_id == s->id)
			json_array_append_new(spend, json_pack("{s:s, s:o}", "month", sp[i].month,
							       "amount", json_money(sp[i].amount)));
	return json_pack("{s:I, s:s, s:o}", "id", (json_int_t)s->id, "name", s->name, "spend",
			 spend);
}

void api_sources_list(struct req *r)
{
	struct page p;
	struct source_rec *s;
	struct spend_rec *sp;
	size_t n, nsp;
	struct nc_err err = {0};
	if (page_read(r, &p) < 0)
		return;
	if (store_source_list(r->db, &r->a, &s, &n, &err) < 0 ||
	    store_spend_list(r->db, &r->a, 0, &sp, &nsp, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	json_t *all = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(all, source_json(&s[i], sp, nsp));
	answer_page(r, all, &p);
}

/* source_answer answers with source id and its spend. */
static void source_answer(struct req *r, int status, int64_t id)
{
	struct source_rec s;
	struct spend_rec *sp;
	size_t nsp;
	struct nc_err err = {0};
	int rc = store_source_by_id(r->db, &r->a, id, &s, &err);
	if (rc == 0)
		rc = nc_error_field(&err, NC_ENOTFOUND, "id", "no lead source with id %lld",
				    (long long)id);
	if (rc < 0 || store_spend_list(r->db, &r->a, id, &sp, &nsp, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	http_json(r, status, source_json(&s, sp, nsp));
}

void api_sources_create(struct req *r)
{
	static const char *const fields[] = {"name", NULL};
	const char *name = NULL;
	int64_t id;
	struct nc_err err = {0};
	json_t *b = body(r, fields);
	if (!b || http_field_str(r, b, "name", 100, &name) < 0)
		return;
	if (app_source_add(&r->app, name, &id, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	source_answer(r, 201, id);
}

void api_sources_spend(struct req *r)
{
	static const char *const fields[] = {"month", "amount", NULL};
	const char *month = NULL, *amount = NULL;
	struct nc_err err = {0};
	int64_t id = http_param_id(r, 0);
	if (id < 0)
		return;
	json_t *b = body(r, fields);
	if (!b || http_field_str(r, b, "month", 20, &month) < 0 ||
	    http_field_money(r, b, "amount", &amount) < 0)
		return;
	if (app_spend_set_id(&r->app, id, month, amount, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	source_answer(r, 200, id);
}

/* ---- users ---- */

void api_users_list(struct req *r)
{
	struct page p;
	struct user_rec *u;
	size_t n;
	struct nc_err err = {0};
	if (page_read(r, &p) < 0)
		return;
	if (app_user_list(&r->app, &u, &n, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	json_t *all = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(all, json_of_user(&u[i]));
	answer_page(r, all, &p);
}

/* user_fields reads the members of a user body that both create and change take. */
static int user_fields(struct req *r, json_t *b, struct user_input *in)
{
	if (http_field_str(r, b, "name", 200, &in->name) < 0 ||
	    http_field_str(r, b, "role", 20, &in->role) < 0 ||
	    http_field_str(r, b, "timezone", 100, &in->timezone) < 0 ||
	    http_field_str(r, b, "locale", 20, &in->locale) < 0 ||
	    http_field_str(r, b, "extension", 40, &in->extension) < 0 ||
	    http_field_str(r, b, "password", 1024, &in->password) < 0)
		return -1;
	return 0;
}

/* user_answer answers with the user called login. */
static void user_answer(struct req *r, int status, const char *login)
{
	struct user_rec u;
	struct nc_err err = {0};
	int rc = store_user_by_login(r->db, &r->a, login, &u, &err);
	if (rc == 0)
		rc = nc_error_field(&err, NC_ENOTFOUND, "login", "no user \"%.40s\"", login);
	if (rc < 0)
		http_fail(r, &err);
	else
		http_json(r, status, json_of_user(&u));
}

void api_users_create(struct req *r)
{
	static const char *const fields[] = {"login",  "name",	    "role",	"timezone",
					     "locale", "extension", "password", NULL};
	struct user_input in = {0};
	int64_t id;
	struct nc_err err = {0};
	json_t *b = body(r, fields);
	if (!b || http_field_str(r, b, "login", 64, &in.login) < 0 || user_fields(r, b, &in) < 0)
		return;
	if (app_user_add(&r->app, &in, &id, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	user_answer(r, 201, in.login);
}

void api_users_update(struct req *r)
{
	static const char *const fields[] = {"name",	  "role",     "timezone", "locale",
					     "extension", "password", "active",	  NULL};
	struct user_input in = {0};
	struct nc_err err = {0};
	const char *login = r->nparams ? r->params[0] : "";
	json_t *b = body(r, fields);
	if (!b ||
	    nothing_given(r, b, "name, role, timezone, locale, extension, password, active") ||
	    user_fields(r, b, &in) < 0)
		return;
	bool on = true;
	json_t *active = json_object_get(b, "active");
	if (http_field_bool(r, b, "active", &on) < 0)
		return;
	if (active && !json_is_null(active))
		in.active = on ? 1 : -1;
	if (app_user_set(&r->app, login, &in, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	user_answer(r, 200, login);
}

/* ---- settings ---- */

/* setting_json gives a stored value in its JSON type: lists as arrays, numbers as numbers. */
static json_t *setting_json(const struct setting_def *d, const char *v)
{
	switch (d->type) {
	case SET_INT:
		return json_integer(strtoll(v, NULL, 10));
	case SET_BOOL:
		return json_boolean(strcmp(v, "true") == 0);
	case SET_LIST: {
		/* a stored list that is not an array counts as empty, as app_settings_load reads it
		 */
		json_t *j = json_loads(v, 0, NULL);
		if (json_is_array(j))
			return j;
		json_decref(j);
		return json_array();
	}
	default:
		return json_string(v);
	}
}

/* A secret setting is shown as this mask; sent back unchanged, it keeps the secret. */
#define SECRET_MASK "********"

static void settings_answer(struct req *r)
{
	json_t *items = json_array();
	struct nc_err err = {0};
	for (const struct setting_def *d = setting_defs; d->key; d++) {
		const char *v;
		if (app_setting_get(&r->app, d->key, &v, &err) < 0) {
			json_decref(items);
			http_fail(r, &err);
			return;
		}
		json_t *value = d->secret && *v ? json_string(SECRET_MASK) : setting_json(d, v);
		json_array_append_new(items,
				      json_pack("{s:s, s:o, s:o, s:s, s:s}", "key", d->key, "value",
						value, "default", setting_json(d, d->def), "help",
						d->help, "type", setting_type_name(d->type)));
	}
	http_json(r, 200, json_pack("{s:o}", "items", items));
}

void api_settings_get(struct req *r)
{
	settings_answer(r);
}

/* setting_text turns the JSON value of key in b into the stored text app/ validates: numbers
 * for whole-number settings, true/false for switches, arrays for lists, and strings for any
 * (as they would be typed on the command line). NULL after answering 400 naming key. */
static const char *setting_text(struct req *r, json_t *b, const struct setting_def *d)
{
	json_t *v = json_object_get(b, d->key);
	const char *s = NULL;
	if (json_is_string(v))
		return http_field_str(r, b, d->key, 64 * 1024, &s) < 0 ? NULL : s;
	if (d->type == SET_INT && json_is_integer(v))
		return arena_printf(&r->a, "%lld", (long long)json_integer_value(v));
	if (d->type == SET_BOOL && json_is_boolean(v))
		return json_is_true(v) ? "true" : "false";
	if (d->type == SET_LIST && json_is_array(v)) {
		char *dump = json_dumps(v, JSON_COMPACT);
		s = arena_strdup(&r->a, dump);
		free(dump);
		return s;
	}
	http_error(r, 400, "invalid_type", d->key, "%s: want %s", d->key,
		   d->type == SET_INT	 ? "a whole number"
		   : d->type == SET_BOOL ? "true or false"
		   : d->type == SET_LIST ? "an array of strings"
					 : "a string");
	return NULL;
}

void api_settings_update(struct req *r)
{
	json_t *b = http_json_body(r);
	if (!b)
		return;
	size_t n = json_object_size(b), i = 0;
	const char **keys = ARENA_ARRAY(&r->a, const char *, n + 1);
	const char **values = ARENA_ARRAY(&r->a, const char *, n + 1);
	const char *key;
	json_t *v;
	struct nc_err err = {0};
	if (n == 0) {
		http_error(r, 400, "invalid", NULL,
			   "nothing to change: give {\"key\": value, ...}");
		return;
	}
	json_object_foreach(b, key, v)
	{
		const struct setting_def *d = setting_find(key);
		if (!d) {
			http_error(r, 400, "unknown_field", key, "unknown setting \"%.60s\"", key);
			return;
		}
		if (d->secret && json_is_string(v) &&
		    strcmp(json_string_value(v), SECRET_MASK) == 0)
			continue; /* what GET showed, sent back: unchanged */
		if (!(values[i] = setting_text(r, b, d)))
			return;
		keys[i++] = d->key;
	}
	if (i && app_settings_update(&r->app, keys, values, i, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	settings_answer(r);
}
