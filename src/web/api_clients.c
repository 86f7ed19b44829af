/* api_clients.c - /api/v1/clients: the filtered, paged list (and the caller ID look-up by
 * phone), creating a client, his card, changing him. The card is the shape of
 * "nextcall client show --json" plus "fields", the answers call scripts captured. */
#include "app/json.h"
#include "app/json_write.h"
#include "util/utf8.h"
#include "web/api.h"
#include "web/api_body.h"

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

/* answer_card answers status with the card of client id (as "nextcall client show --json"),
 * plus the fields captured by call scripts ({field: {value, type, run_id, updated_at}}). */
static void answer_card(struct req *r, int64_t id, int status)
{
	struct nc_err err = {0};
	struct client_card card;
	if (app_client_card(&r->app, id, &card, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	const char *tz = http_zone(r);
	jw_card(http_json_out(r, status), &card, true, tz);
}

/* answer_page answers 200 with a page of clients. n may be limit + 1 (asked to know whether
 * more follow): then limit are shown and next_after is the last one shown. Lists carry no
 * "next_step" (not looked up for them). */
static void answer_page(struct req *r, const struct client_rec *c, size_t n, size_t limit)
{
	const char *tz = http_zone(r);
	int64_t next = 0;
	if (n > limit) {
		n = limit;
		next = c[n - 1].id;
	}
	struct buf *b = http_json_items(r);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addc(b, ',');
		jw_client(b, &c[i], NULL, true, tz);
	}
	http_json_items_end(b, next);
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

/* api_read_client reads the client fields of the body; on update null removes a value. */
int api_read_client(struct req *r, json_t *body, bool update, struct client_input *in)
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
	if (!body || api_read_client(r, body, false, &in) < 0)
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
	if (!body || api_read_client(r, body, true, &in) < 0)
		return;
	struct nc_err err = {0};
	if (app_client_update(&r->app, id, &in, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	answer_card(r, id, 200);
}
