/* http.h - one HTTP request as the handlers see it, and the calls that answer it. The server
 * (server.c) fills a struct req, the router (router.c) authenticates and picks the handler, the
 * handler reads parameters and the JSON body and sets exactly one response. */
#ifndef NC_HTTP_H
#define NC_HTTP_H

#include "app/app.h"
#include "util/arena.h"
#include "util/buf.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define HTTP_MAX_BODY ((size_t)1 << 20) /* 1 MiB: larger bodies get 413 */
/* each connection's memory in libmicrohttpd, which holds the request line, the headers and the
 * query's arguments (what does not fit gets 414 or 431). libmicrohttpd zeroes all of it after
 * every request of a kept-alive connection: at 64 KiB that memset was 7 % of the server's CPU
 * serving cached answers (perf, bench/FINDINGS.md), so 32 KiB, libmicrohttpd's own default. */
#define HTTP_CONN_MEMORY ((size_t)32 * 1024)
#define HTTP_MAX_PARAMS	 4
#define HTTP_MAX_HEADERS 12

enum auth_kind { AUTH_NONE, AUTH_SESSION, AUTH_TOKEN };

/* An answer's bytes kept once and sent by every response that answers with them (the answer
 * cache's, web/cache.c), freed with the last reference: neither keeping an answer nor sending a
 * kept one copies it (at the agenda's 28-55 KB, a copy and its allocation each way). */
struct http_shared {
	atomic_int refs;
	size_t len;
	char *data; /* malloc'd, NUL-terminated */
};
/* http_shared_unref drops a reference (NULL: nothing); the last frees it. */
void http_shared_unref(struct http_shared *s);

struct req {
	struct MHD_Connection *conn;
	const char *method, *path; /* path without the query string */
	const char *remote_addr;   /* the client's address, for throttling and logs */
	int64_t start_us;
	struct arena a;	 /* everything of this request; freed when it completes */
	struct buf body; /* the uploaded body, capped at HTTP_MAX_BODY */
	bool body_too_large;
	struct db *db;	/* this worker thread's connection */
	struct app app; /* the use-case context, actor = user when authenticated */
	enum auth_kind auth;
	struct user_rec user;
	const char *session_id;		     /* when auth == AUTH_SESSION */
	const char *csrf;		     /* the session's CSRF token */
	const char *params[HTTP_MAX_PARAMS]; /* {id} parts of the matched route, in order */
	size_t nparams;
	const struct route *route;
	/* the response */
	int status;
	struct buf out;
	struct http_shared *shared; /* when set, the body instead of out (a reference of r's) */
	const char *content_type;
	const char *hdr_names[HTTP_MAX_HEADERS], *hdr_values[HTTP_MAX_HEADERS];
	size_t nhdr;
	bool streaming; /* set by http_stream: an endless response (SSE) */
	void *stream_ctx;
};

/* Reading the request. Strings belong to the request (valid until it completes). */
const char *http_query(struct req *r, const char *key);	  /* NULL when absent */
const char *http_header(struct req *r, const char *name); /* NULL when absent */
const char *http_cookie(struct req *r, const char *name); /* NULL when absent */
/* http_param_id gives the i-th {id} of the route as a positive number, or answers 404 and
 * returns -1 when it is not one. */
int64_t http_param_id(struct req *r, size_t i);
/* http_query_int reads an optional whole-number query parameter within [min, max]; answers 400
 * naming key and returns -1 when it is malformed; *out keeps def when absent. */
int http_query_int(struct req *r, const char *key, int64_t min, int64_t max, int64_t def,
		   int64_t *out);
/* http_json_body parses the body as a JSON object: 415 unless Content-Type is application/json,
 * 413 over 1 MiB, 400 when malformed or not an object or not valid UTF-8. NULL after answering.
 * The object belongs to the request (freed when it completes). */
json_t *http_json_body(struct req *r);
/* http_json_parse is http_json_body after the Content-Type and size checks: it reads r->body
 * alone (no connection needed, for the fuzz target). */
json_t *http_json_parse(struct req *r);

/* http_unescape is libmicrohttpd's unescape callback for the path and the query arguments: it
 * decodes %XX in place like MHD_http_unescape, except %00, which becomes the invalid UTF-8 pair
 * C0 80 instead of ending the string early (router_dispatch refuses invalid UTF-8 with 400). */
size_t http_unescape(void *cls, struct MHD_Connection *c, char *s);
/* http_url_valid: the decoded path and every query argument (name and value) are UTF-8 without
 * NUL characters. */
bool http_url_valid(struct req *r);

/* Reading fields of a JSON body. Each answers 400 naming the field and returns -1 when the field
 * has the wrong type; an absent (or null) field leaves *out unchanged and returns 0. Strings are
 * checked to be valid UTF-8 without NUL and at most max bytes, and copied into the arena. */
int http_field_str(struct req *r, json_t *obj, const char *field, size_t max, const char **out);
int http_field_int(struct req *r, json_t *obj, const char *field, int64_t min, int64_t max,
		   int64_t *out);
int http_field_bool(struct req *r, json_t *obj, const char *field, bool *out);
/* http_field_money accepts a number or a string ("15000.50") and gives it as money_parse text. */
int http_field_money(struct req *r, json_t *obj, const char *field, const char **out);
/* http_check_fields answers 400 naming the first member of obj not in allowed (NULL-ended). */
int http_check_fields(struct req *r, json_t *obj, const char *const *allowed);

/* Answering. Each sets the whole response; the last call wins. */
void http_json(struct req *r, int status, json_t *body); /* steals body */
/* http_json_out starts r's JSON answer of status and gives the buffer to write it into, for the
 * writers of app/json_write.h (the bytes of http_json with app/json.h's shapes, at a fraction of
 * the cost); http_json_append appends j there as http_json writes it (steals j). */
struct buf *http_json_out(struct req *r, int status);
void http_json_append(struct buf *b, json_t *j);
/* http_json_items starts a 200 answer of a page of a list, {"items":[ (the caller writes the
 * items, comma-separated), and http_json_items_end closes it with "next_after": the id to ask
 * for the next page after, or null when next_after is 0. */
struct buf *http_json_items(struct req *r);
void http_json_items_end(struct buf *b, int64_t next_after);
/* http_error answers {"error": {"code", "message", "field"}}; field may be NULL. */
void http_error(struct req *r, int status, const char *code, const char *field, const char *fmt,
		...) __attribute__((format(printf, 5, 6)));
/* http_fail maps err: NC_EINVAL 400, NC_EUSAGE 400, NC_ERULE 422 (code = rule id),
 * NC_ENOTFOUND 404, NC_ECONFLICT 409 (with "existing_id" when err->ref), NC_EFORBIDDEN 403,
 * NC_EAUTH 401, NC_EBUSY 429/503, NC_EVERSION/NC_EDB/NC_EIO 500 (message logged, not shown). */
void http_fail(struct req *r, const struct nc_err *err);
/* http_fail_rules answers 422 with every refusal of v in "error.violations" (and falls back to
 * http_fail when err is not a rule refusal). */
void http_fail_rules(struct req *r, const struct nc_err *err, const struct violations *v);
/* http_header_set adds a response header; a value with CR or LF is refused (logged, dropped). */
void http_header_set(struct req *r, const char *name, const char *value);
/* http_body answers with raw bytes of the given content type (copied). */
void http_body(struct req *r, int status, const char *content_type, const char *data, size_t len);
/* http_body_shared answers with s's bytes (r takes a reference; nothing copied). */
void http_body_shared(struct req *r, int status, const char *content_type, struct http_shared *s);
/* http_share turns the body r has written into shared bytes that r answers with, and gives a
 * reference of the caller's (NULL when r answers with no body of its own to share). */
struct http_shared *http_share(struct req *r);
/* http_out_reset empties r's answer before a new one is written (what the calls above do). */
void http_out_reset(struct req *r);
/* http_stream turns the response into an endless stream whose state is ctx (see sse.c). */
void http_stream(struct req *r, void *ctx);

/* The zone in which this request shows times: the user's, else the team's. */
const char *http_zone(struct req *r);

#endif
