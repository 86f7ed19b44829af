/* router.c - matches a request to the route table, authenticates it (Bearer token, or session
 * cookie plus CSRF token for writes) and checks the route's role before running the handler. */
#include "web/router.h"
#include "util/log.h"
#include "web/cache.h"
#include "web/page.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#define SESSION_COOKIE "nc_session"

/* match compares path with pattern segment by segment, collecting {x} parts into r->params. */
static bool match(const char *pattern, const char *path, struct req *r)
{
	size_t np = 0;
	const char *p = pattern, *q = path;
	while (*p && *q) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			size_t len = strcspn(q, "/");
			if (!pe || len == 0 || np >= HTTP_MAX_PARAMS)
				return false;
			if (r)
				r->params[np] = arena_strndup(&r->a, q, len);
			np++;
			p = pe + 1;
			q += len;
			continue;
		}
		if (*p != *q)
			return false;
		p++, q++;
	}
	if (*p || *q)
		return false;
	if (r)
		r->nparams = np;
	return true;
}

/* authenticate fills r->user from a Bearer token or a session cookie; 0 when nobody. */
static int authenticate(struct req *r, struct nc_err *err)
{
	const char *h = http_header(r, "Authorization");
	if (h && strncasecmp(h, "Bearer ", 7) == 0) {
		int rc = app_token_check(&r->app, h + 7, &r->user, err);
		if (rc == 1)
			r->auth = AUTH_TOKEN;
		return rc;
	}
	const char *sid = http_cookie(r, SESSION_COOKIE);
	if (!sid)
		return 0;
	int rc = app_session_check(&r->app, sid, &r->user, &r->csrf, err);
	if (rc == 1) {
		r->auth = AUTH_SESSION;
		r->session_id = sid;
	}
	return rc;
}

/* csrf_ok: a cookie-authenticated write must repeat the session's CSRF token in a header (or,
 * for HTML forms, in the form field that page_*.c checks). */
static bool csrf_ok(struct req *r)
{
	if (r->auth != AUTH_SESSION || !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD"))
		return true;
	const char *t = http_header(r, "X-CSRF-Token");
	return t && r->csrf && strlen(t) == strlen(r->csrf) &&
	       sodium_memcmp(t, r->csrf, strlen(t)) == 0;
}

static int rank(enum role role)
{
	return role == ROLE_ADMIN ? 2 : role == ROLE_HEAD ? 1 : 0;
}

/* method_not_allowed answers 405 with the methods of the path, or 404. A path that a route
 * names literally ("/api/v1/scripts/check") is that resource, not an instance of a pattern
 * that would also match it ("/api/v1/scripts/{id}"): only the literal routes count then. */
static void method_not_allowed(struct req *r)
{
	struct buf allow;
	buf_init(&allow, 256);
	bool literal = false;
	for (const struct route *rt = routes; rt->method; rt++)
		if (!strchr(rt->pattern, '{') && match(rt->pattern, r->path, NULL))
			literal = true;
	for (const struct route *rt = routes; rt->method; rt++)
		if ((!literal || !strchr(rt->pattern, '{')) && match(rt->pattern, r->path, NULL))
			buf_printf(&allow, "%s%s", allow.len ? ", " : "", rt->method);
	if (!allow.len) {
		http_error(r, 404, "not_found", NULL, "no such resource");
	} else {
		http_header_set(r, "Allow", allow.data);
		http_error(r, 405, "method_not_allowed", NULL, "use %s", allow.data);
	}
	buf_release(&allow);
}

/* allowed says whether r, authenticated, may run route rt; when not, it has answered (a
 * redirect to the sign-in page, 401 or 403). */
static bool allowed(struct req *r, const struct route *rt)
{
	if (r->auth != AUTH_NONE) {
		r->app.actor = &r->user;
		r->app.anonymous = false;
	}
	if ((rt->flags & ROUTE_PAGE) && !(rt->flags & ROUTE_PUBLIC)) {
		if (r->auth == AUTH_NONE) {
			/* back to this page after signing in (GET only: a form is not replayed) */
			const char *next = strcmp(r->method, "GET") == 0 ? r->path : "/day";
			struct buf loc;
			buf_init(&loc, 2048);
			buf_adds(&loc, "/login?next=");
			for (const char *p = next; *p; p++)
				if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
				    *p == '/' || *p == '-' || *p == '_')
					buf_addc(&loc, *p);
			page_redirect(r, loc.data);
			buf_release(&loc);
			return false;
		}
		if (rank(r->user.role) < rank(rt->role)) {
			page_error(r, 403, "This page needs another role.");
			return false;
		}
	} else if (!(rt->flags & ROUTE_PUBLIC)) {
		if (r->auth == AUTH_NONE) {
			http_error(r, 401, "unauthorized", NULL,
				   "sign in (POST /api/v1/session) or send Authorization: Bearer");
			return false;
		}
		if (!csrf_ok(r)) {
			http_error(r, 403, "csrf", NULL,
				   "a signed-in browser write needs the X-CSRF-Token header");
			return false;
		}
		if (rank(r->user.role) < rank(rt->role)) {
			http_error(r, 403, "forbidden", NULL, "this needs the %s role",
				   role_name(rt->role));
			return false;
		}
	}
	return true;
}

void router_dispatch(struct req *r)
{
	if (!http_url_valid(r)) { /* %00 decodes to invalid UTF-8 too (http_unescape) */
		if (strncmp(r->path, "/api/", 5) == 0)
			http_error(r, 400, "invalid", NULL,
				   "the URL is not valid UTF-8 or holds a NUL character (%%00)");
		else
			page_error(r, 404, "This page does not exist.");
		return;
	}
	const struct route *rt = routes;
	for (; rt->method; rt++)
		if (strcmp(rt->method, r->method) == 0 && match(rt->pattern, r->path, r))
			break;
	if (!rt->method) {
		method_not_allowed(r);
		return;
	}
	r->route = rt;
	struct nc_err err = {0};
	/* The reads of one GET share a snapshot and one lock, authentication's included: two
	 * transactions of their own (token or session, then user) cost a tenth of a client card.
	 * Authentication writes at most once a minute (a token's or session's last use): when it
	 * did (the version moved: ours counts our changes) or failed (a write finding the snapshot
	 * stale), that is committed or retried outside the snapshot and a new one taken after.
	 * The snapshot is taken at once (db_read_version), so that its version is the one the
	 * request reads at: authentication's memo and the answer cache go by it. */
	bool get = strcmp(r->method, "GET") == 0;
	bool read = get && db_begin_read(r->db, &err) == 0;
	int64_t before = read ? db_read_version(r->db) : 0;
	int arc = authenticate(r, &err);
	if (read && (arc < 0 || db_version(r->db) != before)) {
		db_end_read(r->db);
		if (arc < 0) {
			memset(&err, 0, sizeof(err));
			memset(&r->user, 0, sizeof(r->user));
			r->auth = AUTH_NONE;
			arc = authenticate(r, &err);
		}
		read = arc >= 0 && db_begin_read(r->db, &err) == 0;
	}
	if (arc >= 0 && allowed(r, rt)) {
		int64_t version = read && (rt->flags & ROUTE_CACHE) ? db_read_version(r->db) : 0;
		if (!cache_answer(r, version)) {
			rt->handler(r);
			cache_keep(r, version);
		}
	} else if (arc < 0) {
		http_fail(r, &err);
	}
	if (read)
		db_end_read(r->db);
}
