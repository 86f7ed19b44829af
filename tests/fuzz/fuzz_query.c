/* fuzz_query.c - libFuzzer target for name=value&... text, the two ways it reaches us: as a form
 * body (form_parse, ours) and as the query string of a request, which libmicrohttpd splits and
 * %-decodes (with our http_unescape, as server_run sets it up) before http_url_valid,
 * http_query and http_query_int read it. Checked: form_parse's fields are valid
 * UTF-8 without NUL, no longer than the input, and read back the same after being encoded
 * again; its refusals are one line of valid UTF-8; where both accept the text, http_query gives
 * the value form_parse gave; http_query_int gives a number in range or one 400 answer. */
#include <stdint.h>
#include <stdio.h>
#include <strings.h>

#include "fuzz_mhd.h"
#include "util/utf8.h"
#include "web/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define QUERY_MAX 8192 /* well below libmicrohttpd's request line limit */

/* encode appends s percent-encoded (everything but unreserved characters) to b. */
static void encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
			buf_add(b, p, 1);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			buf_add(b, e, 3);
		}
	}
}

/* check_form checks form_parse on text[0..n); returns whether it accepted the text. */
static bool check_form(const char *text, size_t n, struct arena *a, struct form *f)
{
	struct nc_err err = {0};
	if (form_parse(a, text, n, f, &err) < 0) {
		if (err.code != NC_EINVAL || !err.field[0] || strpbrk(err.msg, "\r\n") ||
		    !utf8_valid(err.msg, strlen(err.msg)) ||
		    !utf8_valid(err.field, strlen(err.field)))
			abort();
		return false;
	}
	if (f->n > FORM_MAX_FIELDS)
		abort();
	size_t total = 0;
	struct buf again;
	buf_init(&again, 0);
	for (size_t i = 0; i < f->n; i++) {
		size_t nl = strlen(f->f[i].name), vl = strlen(f->f[i].value);
		if (!nl || !utf8_valid(f->f[i].name, nl) || !utf8_valid(f->f[i].value, vl))
			abort();
		total += nl + vl;
		buf_printf(&again, "%s", i ? "&" : "");
		encode(&again, f->f[i].name);
		buf_add(&again, "=", 1);
		encode(&again, f->f[i].value);
	}
	if (total > n)
		abort(); /* decoding never lengthens */
	struct form g;
	if (form_parse(a, again.data, again.len, &g, NULL) < 0 || g.n != f->n)
		abort();
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->f[i].name, g.f[i].name) || strcmp(f->f[i].value, g.f[i].value))
			abort();
	if (f->n && form_get(f, f->f[0].name) != f->f[0].value)
		abort();
	buf_release(&again);
	return true;
}

struct query_ctx {
	size_t len;
	const struct form *f; /* form_parse's fields, when it accepted the same text */
	size_t nargs;
};

static enum MHD_Result count_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	struct query_ctx *q = cls;
	if (kind != MHD_GET_ARGUMENT_KIND || !key ||
	    strlen(key) + (value ? strlen(value) : 0) > q->len)
		abort();
	q->nargs++;
	return MHD_YES;
}

static void check_int(struct req *r, const char *key, int64_t min, int64_t max)
{
	int64_t v;
	r->status = 0;
	if (http_query_int(r, key, min, max, -7, &v) < 0) {
		if (r->status != 400 || !http_query(r, key) || !r->out.len)
			abort();
	} else if (r->status != 0 || (http_query(r, key) ? v < min || v > max : v != -7)) {
		abort();
	}
}

static void check_query(struct req *r, void *ctx)
{
	struct query_ctx *q = ctx;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, count_arg, q);
	if (q->f && !http_url_valid(r))
		abort(); /* what form_parse takes is UTF-8 without NUL after http_unescape too */
	for (size_t i = 0; q->f && i < q->f->n; i++) {
		const char *name = q->f->f[i].name, *want = NULL, *got = http_query(r, name);
		for (size_t k = 0; k < q->f->n && !want; k++)
			if (strcasecmp(q->f->f[k].name, name) == 0) /* the daemon ignores case */
				want = q->f->f[k].value;
		if (*want ? !got || strcmp(got, want) != 0 : got && *got)
			abort();
	}
	check_int(r, "limit", 1, 500);
	check_int(r, "after", 0, INT64_MAX);
}

#define MAX_ARGS 256

/* plain says whether text[0..n) can stand in a request line as it is. */
static bool plain(const char *text, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (text[i] <= 0x20 || text[i] >= 0x7f || text[i] == '#')
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct arena a;
	struct form f;
	if (size > QUERY_MAX)
		return 0;
	arena_init(&a);
	bool form_ok = check_form(text, size, &a, &f);

	/* the same text as the query string; bytes a request line cannot hold become '_' */
	struct buf req;
	buf_init(&req, 0);
	buf_printf(&req, "GET /api/v1/clients?");
	for (size_t i = 0; i < size; i++) {
		char c = text[i];
		buf_add(&req, c == ' ' || c == '\r' || c == '\n' || c == 0 ? "_" : &c, 1);
	}
	buf_printf(&req, " HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n");
	/* libmicrohttpd keeps each argument in the connection's 32 KiB pool: past some hundreds of
	 * arguments (~500 empty ones) it closes the connection without an answer, before any
	 * handler of ours runs (docs/api.md, "Limits"). Below MAX_ARGS a plain query is answered.
	 */
	size_t args = 1;
	for (size_t i = 0; i < size; i++)
		args += text[i] == '&';
	struct query_ctx q = {size, form_ok && plain(text, size) && args <= MAX_ARGS ? &f : NULL,
			      0};
	int ran = mhd_request(req.data, req.len, check_query, &q);
	if (q.f && ran != 1)
		abort(); /* a plain query string is always answered */
	buf_release(&req);
	arena_release(&a);
	return 0;
}
