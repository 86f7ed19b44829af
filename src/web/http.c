/* http.c - reading a request (query, headers, cookies, JSON body and its fields) and setting the
 * response (JSON, errors mapped from struct nc_err, headers checked for CR/LF). */
#include "web/http.h"
#include "core/model.h"
#include "io/charset.h"
#include "util/log.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *http_query(struct req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *http_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

int64_t http_param_id(struct req *r, size_t i)
{
	const char *s = i < r->nparams ? r->params[i] : NULL;
	int64_t v = 0;
	size_t n = s ? strlen(s) : 0;
	for (size_t k = 0; k < n && n <= 18; k++) {
		if (s[k] < '0' || s[k] > '9') {
			v = 0;
			break;
		}
		v = v * 10 + (s[k] - '0');
	}
	if (v <= 0 || n > 18) {
		http_error(r, 404, "not_found", "id", "no such id \"%.30s\"", s ? s : "");
		return -1;
	}
	return v;
}

int http_query_int(struct req *r, const char *key, int64_t min, int64_t max, int64_t def,
		   int64_t *out)
{
	const char *s = http_query(r, key);
	*out = def;
	if (!s)
		return 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < min || v > max) {
		http_error(r, 400, "invalid", key, "%s: want a whole number from %lld to %lld", key,
			   (long long)min, (long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

static void free_json(void *p)
{
	json_decref(p);
}

json_t *http_json_body(struct req *r)
{
	const char *ct = http_header(r, "Content-Type");
	if (r->body_too_large) {
		http_error(r, 413, "too_large", NULL, "the body is larger than 1 MiB");
		return NULL;
	}
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
		http_error(r, 415, "unsupported_media_type", NULL,
			   "send the body as application/json");
		return NULL;
	}
	return http_json_parse(r);
}

json_t *http_json_parse(struct req *r)
{
	if (!utf8_valid(r->body.data, r->body.len)) {
		http_error(r, 400, "invalid_json", NULL, "the body is not valid UTF-8");
		return NULL;
	}
	json_error_t e;
	json_t *j = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &e);
	if (!j) {
		http_error(r, 400, "invalid_json", NULL, "malformed JSON at line %d column %d: %s",
			   e.line, e.column, e.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		http_error(r, 400, "invalid_json", NULL, "the body must be a JSON object");
		return NULL;
	}
	arena_on_release(&r->a, free_json, j); /* freed with the request */
	return j;
}

static int wrong_type(struct req *r, const char *field, const char *want)
{
	http_error(r, 400, "invalid_type", field, "%s: want %s", field, want);
	return -1;
}

int http_field_str(struct req *r, json_t *obj, const char *field, size_t max, const char **out)
{
	json_t *v = json_object_get(obj, field);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return wrong_type(r, field, "a string");
	size_t n = json_string_length(v);
	const char *s = json_string_value(v);
	if (memchr(s, 0, n))
		return wrong_type(r, field, "a string without NUL characters");
	if (n > max) {
		http_error(r, 400, "too_long", field, "%s: at most %zu bytes", field, max);
		return -1;
	}
	*out = arena_strndup(&r->a, s, n);
	return 0;
}

int http_field_int(struct req *r, json_t *obj, const char *field, int64_t min, int64_t max,
		   int64_t *out)
{
	json_t *v = json_object_get(obj, field);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		http_error(r, 400, "invalid_type", field,
			   "%s: want a whole number from %lld to %lld", field, (long long)min,
			   (long long)max);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

int http_field_bool(struct req *r, json_t *obj, const char *field, bool *out)
{
	json_t *v = json_object_get(obj, field);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return wrong_type(r, field, "true or false");
	*out = json_is_true(v);
	return 0;
}

int http_field_money(struct req *r, json_t *obj, const char *field, const char **out)
{
	json_t *v = json_object_get(obj, field);
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = arena_printf(&r->a, "%lld", (long long)json_integer_value(v));
		return 0;
	}
	if (json_is_real(v) && json_real_value(v) >= 0 && json_real_value(v) < 1e13) {
		*out = arena_printf(&r->a, "%.2f", json_real_value(v));
		return 0;
	}
	if (json_is_string(v))
		return http_field_str(r, obj, field, 40, out);
	return wrong_type(r, field, "a non-negative amount");
}

int http_check_fields(struct req *r, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, key) == 0;
		if (!ok) {
			http_error(r, 400, "unknown_field", key, "unknown field \"%.40s\"", key);
			return -1;
		}
	}
	return 0;
}

static bool header_safe(const char *s)
{
	return s && !strpbrk(s, "\r\n");
}

void http_header_set(struct req *r, const char *name, const char *value)
{
	if (!header_safe(name) || !header_safe(value)) {
		log_warn("dropped response header %s: value has CR or LF", name ? name : "?");
		return;
	}
	for (size_t i = 0; i < r->nhdr; i++) {
		if (strcasecmp(r->hdr_names[i], name) == 0 && strcasecmp(name, "Set-Cookie") != 0) {
			r->hdr_values[i] = arena_strdup(&r->a, value);
			return;
		}
	}
	if (r->nhdr >= HTTP_MAX_HEADERS) {
		log_warn("dropped response header %s: too many headers", name);
		return;
	}
	r->hdr_names[r->nhdr] = arena_strdup(&r->a, name);
	r->hdr_values[r->nhdr++] = arena_strdup(&r->a, value);
}

void http_shared_unref(struct http_shared *s)
{
	if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
		free(s->data);
		free(s);
	}
}

void http_out_reset(struct req *r)
{
	http_shared_unref(r->shared);
	r->shared = NULL;
	buf_reset(&r->out);
}

void http_body(struct req *r, int status, const char *content_type, const char *data, size_t len)
{
	r->status = status;
	r->content_type = content_type;
	http_out_reset(r);
	buf_add(&r->out, data, len);
}

void http_body_shared(struct req *r, int status, const char *content_type, struct http_shared *s)
{
	atomic_fetch_add(&s->refs, 1);
	http_out_reset(r);
	r->status = status;
	r->content_type = content_type;
	r->shared = s;
}

struct http_shared *http_share(struct req *r)
{
	if (r->shared || buf_failed(&r->out))
		return NULL;
	struct http_shared *s = xmalloc(sizeof(*s));
	s->data = buf_detach(&r->out, &s->len);
	atomic_init(&s->refs, 2); /* r's and the caller's */
	r->shared = s;
	return s;
}

struct buf *http_json_out(struct req *r, int status)
{
	r->status = status;
	r->content_type = "application/json; charset=utf-8";
	http_out_reset(r);
	return &r->out;
}

void http_json_append(struct buf *b, json_t *j)
{
	if (!j)
		return;
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	if (s) {
		buf_adds(b, s);
		free(s);
	}
	json_decref(j);
}

struct buf *http_json_items(struct req *r)
{
	struct buf *b = http_json_out(r, 200);
	buf_adds(b, "{\"items\":[");
	return b;
}

void http_json_items_end(struct buf *b, int64_t next_after)
{
	if (next_after)
		buf_printf(b, "],\"next_after\":%lld}", (long long)next_after);
	else
		buf_adds(b, "],\"next_after\":null}");
}

void http_json(struct req *r, int status, json_t *body)
{
	http_json_append(http_json_out(r, status), body);
}

/* json_text gives s, or when it is not valid UTF-8 (jansson's "near '...'" cut inside a
 * character, a field name cut at 40 bytes) a copy with U+FFFD instead, which JSON can hold. */
static const char *json_text(struct req *r, const char *s)
{
	if (!s || utf8_valid(s, strlen(s)))
		return s;
	struct buf b;
	buf_init(&b, 0);
	charset_to_utf8(CHARSET_UTF8, s, strlen(s), &b);
	const char *out = arena_strndup(&r->a, b.data, b.len);
	buf_release(&b);
	return out;
}

static void error_body(struct req *r, int status, const char *code, const char *field,
		       const char *msg, json_t *extra)
{
	field = json_text(r, field);
	msg = json_text(r, msg);
	json_t *e = json_pack("{s:s, s:s, s:o}", "code", code, "message", msg, "field",
			      field && *field ? json_string(field) : json_null());
	if (extra)
		json_object_update(e, extra);
	json_decref(extra);
	http_json(r, status, json_pack("{s:o}", "error", e));
}

void http_error(struct req *r, int status, const char *code, const char *field, const char *fmt,
		...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	msg[utf8_prefix_len(msg, strlen(msg), sizeof(msg) - 1)] = 0;
	error_body(r, status, code, field, msg, NULL);
}

void http_fail(struct req *r, const struct nc_err *err)
{
	int status = 500;
	const char *code = nc_code_name(err->code);
	json_t *extra = NULL;
	switch (err->code) {
	case NC_EINVAL:
	case NC_EUSAGE:
		status = 400;
		break;
	case NC_ERULE:
		status = 422;
		code = err->rule;
		break;
	case NC_ENOTFOUND:
		status = 404;
		break;
	case NC_ECONFLICT:
		status = 409;
		if (err->ref)
			extra = json_pack("{s:I}", "existing_id", (json_int_t)err->ref);
		break;
	case NC_EFORBIDDEN:
		status = 403;
		break;
	case NC_EAUTH:
		status = 401;
		break;
	case NC_EBUSY:
		status = 429;
		if (err->ref > 0) {
			char s[24];
			snprintf(s, sizeof(s), "%lld", (long long)err->ref);
			http_header_set(r, "Retry-After", s);
		} else {
			status = 503;
		}
		break;
	default:
		log_error("%s %s: %s", r->method, r->path, err->msg);
		error_body(r, 500, "internal", NULL, "the server failed; the error is logged",
			   NULL);
		return;
	}
	error_body(r, status, code, err->field, err->msg, extra);
}

void http_fail_rules(struct req *r, const struct nc_err *err, const struct violations *v)
{
	if (err->code != NC_ERULE || !v || !v->nerrors) {
		http_fail(r, err);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < v->n; i++)
		if (!v->v[i].warning)
			json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "rule",
							      v->v[i].rule, "field", v->v[i].field,
							      "message", v->v[i].msg));
	error_body(r, 422, err->rule, err->field, err->msg, json_pack("{s:o}", "violations", list));
}

void http_stream(struct req *r, void *ctx)
{
	r->status = 200;
	r->streaming = true;
	r->stream_ctx = ctx;
}

const char *http_zone(struct req *r)
{
	if (r->auth != AUTH_NONE)
		return r->user.timezone;
	const char *tz = "UTC";
	app_setting_get(&r->app, "team.timezone", &tz, NULL);
	return tz;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

size_t http_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls, (void)c;
	char *w = s;
	for (const char *p = s; *p; p++) {
		int hi = p[0] == '%' ? hex_digit(p[1]) : -1, lo = hi >= 0 ? hex_digit(p[2]) : -1;
		if (lo < 0) {
			*w++ = *p;
		} else if (hi == 0 && lo == 0) {
			*w++ = (char)0xC0, *w++ = (char)0x80; /* 3 bytes in, 2 out */
			p += 2;
		} else {
			*w++ = (char)(hi * 16 + lo);
			p += 2;
		}
	}
	*w = 0;
	return (size_t)(w - s);
}

static enum MHD_Result arg_valid(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	(void)kind;
	bool *ok = cls;
	*ok = *ok && utf8_valid(key, strlen(key)) && (!value || utf8_valid(value, strlen(value)));
	return *ok ? MHD_YES : MHD_NO;
}

bool http_url_valid(struct req *r)
{
	bool ok = utf8_valid(r->path, strlen(r->path));
	if (ok)
		MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, arg_valid, &ok);
	return ok;
}
