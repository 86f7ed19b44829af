/* api_clients.c - /api/v1/clients: the filtered, paged list (and the caller ID look-up by
 * phone), creating a client, his card, changing him. The card is the shape of
 * "nextcall client show --json" plus "fields", the answers call scripts captured. */
#include "app/json.h"
#include "util/utf8.h"
#include "web/api.h"

#include <string.h>

#define TEXT_MAX   300 /* names, companies, filters: the app refuses more anyway */
#define PHONE_MAX  64  /* phone_normalize refuses more */
#define LIST_LIMIT 100 /* default page size */

static const char *const client_fields[] = {"name",    "company", "phones", "owner",
					    "segment", "source",  NULL};

/* query_text reads an optional text query parameter: at most TEXT_MAX bytes of valid UTF-8.
 * Answers 400 and returns -1 otherwise. */
static int query_text(struct req *r, const char *key, const char **out)
{
	const char *s = http_query(r, key);
	*out = NULL;
	if (!s)
		return 0;
	if (strlen(s) > TEXT_MAX || !utf8_valid(s, strlen(s))) {
		http_error(r, 400, "invalid", key, "%s: at most %d bytes of valid UTF-8", key,
			   TEXT_MAX);
		return -1;
	}
	*out = s;
	return 0;
}

/* json_of_fields: the answers scripts captured into the card, {field: {value, type, run_id,
 * updated_at}}. */
static json_t *json_of_fields(const struct client_card *card, const char *tz)
{
	json_t *o = json_object();
	for (size_t i = 0; i < card->nfields; i++) {
		const struct client_field *f = &card->fields[i];
		json_object_set_new(o, f->field,
				    json_pack("{s:s, s:s, s:o, s:o}", "value", f->value, "type",
					      f->type, "run_id",
					      f->run_id ? json_integer(f->run_id) : json_null(),
					      "updated_at", json_time(f->updated_at, tz)));
	}
	return o;
}

/* answer_card answers status with the card of client id (as "nextcall client show --json"),
 * plus the fields captured by call scripts. */
static void answer_card(struct req *r, int64_t id, int status)
{
	struct nc_err err = {0};
	struct client_card card;
	if (app_client_card(&r->app, id, &card, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	const char *tz = http_zone(r);
	json_t *j = json_of_card(&card, tz);
	json_object_set_new(j, "fields", json_of_fields(&card, tz));
	http_json(r, status, j);
}

/* answer_page answers 200 with a page of clients. n may be limit + 1 (asked to know whether
 * more follow): then limit are shown and next_after is the last one shown. */
static void answer_page(struct req *r, const struct client_rec *c, size_t n, size_t limit)
{
	const char *tz = http_zone(r);
	json_t *items = json_array();
	json_t *next = NULL;
	if (n > limit) {
		n = limit;
		next = json_integer(c[n - 1].id);
	}
	for (size_t i = 0; i < n; i++) {
		json_t *j = json_of_client(&c[i], NULL, tz);
		json_object_del(j, "next_step"); /* not looked up for lists */
		json_array_append_new(items, j);
	}
	http_json(r, 200,
		  json_pack("{s:o, s:o}", "items", items, "next_after", next ? next : json_null()));
}

/* list_by_phone is the caller ID look-up: the list shape with the one client owning phone. */
static void list_by_phone(struct req *r, const char *phone)
{
	struct nc_err err = {0};
	struct client_rec c;
	int rc = app_client_find_phone(&r->app, phone, &c, &err);
	if (rc < 0)
		http_fail(r, &err);
	else
		answer_page(r, &c, (size_t)rc, 1);
}

void api_clients_list(struct req *r)
{
	struct client_query q = {0};
	const char *phone;
	int64_t limit, after;
	if (query_text(r, "phone", &phone) < 0)
		return;
	if (phone) {
		list_by_phone(r, phone);
		return;
	}
	if (query_text(r, "category", &q.category) < 0 || query_text(r, "owner", &q.owner) < 0 ||
	    query_text(r, "segment", &q.segment) < 0 || query_text(r, "source", &q.source) < 0 ||
	    query_text(r, "q", &q.q) < 0 ||
	    http_query_int(r, "limit", 1, 500, LIST_LIMIT, &limit) < 0 ||
	    http_query_int(r, "after", 0, INT64_MAX, 0, &after) < 0)
		return;
	q.limit = (int)limit + 1;
	q.after = after;
	struct nc_err err = {0};
	struct client_rec *c;
	size_t n;
	if (app_client_list(&r->app, &q, &c, &n, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	answer_page(r, c, n, (size_t)limit);
}

/* read_phones reads "phones", an array of strings, into in; absent leaves in as it is, null
 * gives an empty set (which the app refuses). */
static int read_phones(struct req *r, json_t *body, struct client_input *in)
{
	json_t *v = json_object_get(body, "phones");
	if (!v)
		return 0;
	size_t n = json_is_array(v) ? json_array_size(v) : 0;
	if (!json_is_array(v) && !json_is_null(v)) {
		http_error(r, 400, "invalid_type", "phones", "phones: want an array of strings");
		return -1;
	}
	if (n > CLIENT_MAX_PHONES) {
		http_error(r, 400, "invalid", "phones", "phones: at most %d", CLIENT_MAX_PHONES);
		return -1;
	}
	in->phones = ARENA_ARRAY(&r->a, const char *, n ? n : 1); /* not NULL: given */
	in->nphones = n;
	for (size_t i = 0; i < n; i++) {
		json_t *p = json_array_get(v, i);
		const char *s = json_string_value(p);
		if (!json_is_string(p) || memchr(s, 0, json_string_length(p))) {
			http_error(r, 400, "invalid_type", "phones",
				   "phones: want an array of strings");
			return -1;
		}
		if (json_string_length(p) > PHONE_MAX) {
			http_error(r, 400, "too_long", "phones", "phones: at most %d bytes each",
				   PHONE_MAX);
			return -1;
		}
		in->phones[i] = arena_strdup(&r->a, s);
	}
	return 0;
}

/* text reads a string field; when null_clears a JSON null gives "" (remove the value). */
static int text(struct req *r, json_t *body, const char *field, bool null_clears, const char **out)
{
	if (null_clears && json_is_null(json_object_get(body, field))) {
		*out = "";
		return 0;
	}
	return http_field_str(r, body, field, TEXT_MAX, out);
}

/* read_client reads the client fields of the body; on update null removes a value. */
static int read_client(struct req *r, json_t *body, bool update, struct client_input *in)
{
	memset(in, 0, sizeof(*in));
	if (http_check_fields(r, body, client_fields) < 0 ||
	    text(r, body, "name", update, &in->name) < 0 ||
	    text(r, body, "company", update, &in->company) < 0 ||
	    text(r, body, "owner", update, &in->owner) < 0 ||
	    text(r, body, "segment", update, &in->segment) < 0 ||
	    text(r, body, "source", update, &in->source) < 0)
		return -1;
	return read_phones(r, body, in);
}

void api_clients_create(struct req *r)
{
	struct client_input in;
	json_t *body = http_json_body(r);
	if (!body || read_client(r, body, false, &in) < 0)
		return;
	if (!in.name) {
		http_error(r, 400, "invalid", "name", "name: required");
		return;
	}
	if (!in.phones) {
		http_error(r, 400, "invalid", "phones", "phones: at least one is required");
		return;
	}
	struct nc_err err = {0};
	int64_t id;
	if (app_client_add(&r->app, &in, &id, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	answer_card(r, id, 201);
}

void api_clients_get(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	if (id > 0)
		answer_card(r, id, 200);
}

void api_clients_update(struct req *r)
{
	struct client_input in;
	int64_t id = http_param_id(r, 0);
	if (id < 0)
		return;
	json_t *body = http_json_body(r);
	if (!body || read_client(r, body, true, &in) < 0)
		return;
	struct nc_err err = {0};
	if (app_client_update(&r->app, id, &in, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	answer_card(r, id, 200);
}
