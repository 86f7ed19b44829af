/* fuzz_cookie.c - libFuzzer target for the request headers we read through libmicrohttpd: the
 * first line of the input is the Accept-Language header (page_lang), the rest the Cookie header
 * (http_cookie, which gives the router its session id and the login form its CSRF cookie).
 * Checked: page_lang gives one of the four languages, the one the header starts with; cookies
 * are no longer than the header; http_cookie gives the first cookie of that name; and for a
 * header of plain name=value pairs, the cookies are exactly those pairs, and a header of at most
 * PAIRS_MAX of them is taken (the daemon keeps every cookie as an entry in the connection's
 * 32 KiB, HTTP_CONN_MEMORY: 439 pairs "a=b" no longer fit, and the request is refused with 431,
 * as for too many headers; the CI's fuzz run found 500 such pairs). */
#include <stdint.h>
#include <stdio.h>
#include <strings.h>

#include "fuzz_mhd.h"
#include "web/page.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEADER_MAX 4096
#define PAIRS_MAX  256

struct cookie_ctx {
	const char *lang, *cookie;
	size_t ncookies;
	const char *first_session; /* the first nc_session the daemon listed */
	bool plain;		   /* cookie is "n=v; n=v" with token characters only */
};

/* token says whether c may appear in a plain cookie name or value. */
static bool token(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~!$&'*+^`|", c));
}

/* plain_pair checks that the n bytes at s are "name=value" of token characters. */
static bool plain_pair(const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n);
	if (!eq || eq == s || eq == s + n - 1)
		return false;
	for (const char *p = s; p < s + n; p++)
		if (p != eq && !token(*p))
			return false;
	return true;
}

static bool plain_header(const char *s)
{
	size_t n = strlen(s);
	if (!n || s[n - 1] == ' ' || s[n - 1] == ';')
		return false; /* the daemon trims the header's end */
	for (const char *p = s, *end = s + n; p < end;) {
		const char *semi = strstr(p, "; ");
		const char *stop = semi ? semi : end;
		if (!plain_pair(p, (size_t)(stop - p)))
			return false;
		p = semi ? semi + 2 : end;
	}
	return true;
}

/* nth_pair gives the name and value of the i-th pair of a plain header. */
static bool nth_pair(const char *s, size_t i, const char **name, size_t *nl, const char **value,
		     size_t *vl)
{
	for (size_t k = 0; *s; k++) {
		const char *semi = strstr(s, "; ");
		const char *stop = semi ? semi : s + strlen(s);
		const char *eq = memchr(s, '=', (size_t)(stop - s));
		if (k == i) {
			*name = s;
			*nl = (size_t)(eq - s);
			*value = eq + 1;
			*vl = (size_t)(stop - eq - 1);
			return true;
		}
		s = semi ? semi + 2 : stop;
	}
	return false;
}

static enum MHD_Result each_cookie(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct cookie_ctx *c = cls;
	if (kind != MHD_COOKIE_KIND || !key ||
	    strlen(key) + (value ? strlen(value) : 0) > strlen(c->cookie))
		abort();
	if (c->plain) {
		const char *name, *val;
		size_t nl, vl;
		if (!nth_pair(c->cookie, c->ncookies, &name, &nl, &val, &vl) || strlen(key) != nl ||
		    memcmp(key, name, nl) != 0 || !value || strlen(value) != vl ||
		    memcmp(value, val, vl) != 0)
			abort();
	}
	if (!c->first_session && strcasecmp(key, "nc_session") == 0)
		c->first_session = value ? value : "";
	c->ncookies++;
	return MHD_YES;
}

static void check_headers(struct req *r, void *ctx)
{
	struct cookie_ctx *c = ctx;
	const char *lang = page_lang(r);
	static const char *const langs[] = {"ru", "tr", "vi", "en"};
	const char *want = "en";
	const char *al = http_header(r, "Accept-Language");
	for (size_t i = 0; al && i < 4 && !strcmp(want, "en"); i++)
		if (strncasecmp(al, langs[i], 2) == 0)
			want = langs[i];
	if (strcmp(lang, want) != 0)
		abort();

	MHD_get_connection_values(r->conn, MHD_COOKIE_KIND, each_cookie, c);
	if (c->plain) {
		const char *name, *val;
		size_t nl, vl;
		if (nth_pair(c->cookie, c->ncookies, &name, &nl, &val, &vl))
			abort(); /* a pair the daemon did not list */
	}
	const char *sid = http_cookie(r, "nc_session");
	if ((sid == NULL) != (c->first_session == NULL) ||
	    (sid && strcmp(sid, c->first_session) != 0))
		abort();
}

/* header_copy copies s[0..n) for a header line: CR, LF and NUL become spaces. */
static char *header_copy(const char *s, size_t n)
{
	char *out = malloc(n + 1);
	if (!out)
		abort();
	for (size_t i = 0; i < n; i++)
		out[i] = s[i] == '\r' || s[i] == '\n' || s[i] == 0 ? ' ' : s[i];
	out[n] = 0;
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	if (size > HEADER_MAX)
		return 0;
	const char *nl = memchr(text, '\n', size);
	size_t ll = nl ? (size_t)(nl - text) : 0;
	char *lang = header_copy(text, ll);
	char *cookie = header_copy(nl ? nl + 1 : text, nl ? size - ll - 1 : size);
	struct cookie_ctx c = {lang, cookie, 0, NULL, plain_header(cookie)};
	struct buf req;
	buf_init(&req, 0);
	buf_printf(&req,
		   "GET /login HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n"
		   "Accept-Language: %s\r\nCookie: %s\r\n\r\n",
		   lang, cookie);
	int ran = mhd_request(req.data, req.len, check_headers, &c);
	size_t pairs = 0;
	for (const char *p = cookie; c.plain && p; p = strstr(p, "; "), p = p ? p + 2 : NULL)
		pairs++;
	if (c.plain && ran != 1 && pairs <= PAIRS_MAX)
		abort();
	buf_release(&req);
	free(lang);
	free(cookie);
	return 0;
}
