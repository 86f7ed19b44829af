/* page_auth.c - the front door: "/" sends a visitor to his day or to the login page; signing in
 * (throttled like the API) and out. */
#include "web/api.h"
#include "web/page.h"
#include "web/pages.h"

#include <stdio.h>
#include <string.h>

void page_root(struct req *r)
{
	page_redirect(r, r->auth == AUTH_NONE ? "/login" : "/day");
}

/* safe_next keeps a redirect target only when it is a path of this site. */
static const char *safe_next(const char *next)
{
	if (!page_local_path(next))
		return "/day";
	return next;
}

static void login_form(struct req *r, const char *login, const char *error, int status)
{
	struct page p;
	struct html *h = &p.h;
	page_begin(&p, r, page_tr(r, "Sign in"), NULL);
	HTML(h, "<section class=\"login\"><h1>");
	Tw(h, "Sign in");
	HTML(h, "</h1>");
	if (error) {
		HTML(h, "<p class=\"alert\" role=\"alert\">");
		html_text(h, error);
		HTML(h, "</p>");
	}
	HTML(h, "<form method=\"post\" action=\"/login\">");
	page_csrf(&p);
	HTML(h, "<input type=\"hidden\" name=\"next\"");
	html_attr(h, "value", safe_next(http_query(r, "next")));
	HTML(h, "><label>");
	Tw(h, "Login");
	HTML(h, "<input name=\"login\" autocomplete=\"username\" required autofocus");
	html_attr(h, "value", login);
	HTML(h, "></label><label>");
	Tw(h, "Password");
	HTML(h, "<input name=\"password\" type=\"password\" autocomplete=\"current-password\" "
		"required></label><button type=\"submit\" class=\"primary\">");
	Tw(h, "Sign in");
	HTML(h, "</button></form></section>");
	page_end(&p, status);
}

void page_login(struct req *r)
{
	if (r->auth != AUTH_NONE) {
		page_redirect(r, "/day");
		return;
	}
	login_form(r, NULL, NULL, 200);
}

void page_login_post(struct req *r)
{
	struct form f;
	if (page_form(r, &f) < 0)
		return;
	const char *login = form_get(&f, "login"), *password = form_get(&f, "password");
	struct session_out s;
	struct nc_err err = {0};
	struct html tr = {.lang = page_lang(r)};
	if (app_login(&r->app, login ? login : "", password ? password : "", r->remote_addr,
		      http_header(r, "User-Agent"), &s, &err) < 0) {
		if (err.code == NC_EBUSY) {
			char secs[24];
			snprintf(secs, sizeof(secs), "%lld", (long long)err.ref);
			http_header_set(r, "Retry-After", secs);
			login_form(
			    r, login,
			    T(&tr, "Too many failed attempts. Wait 15 minutes and try again."),
			    429);
		} else if (err.code == NC_EAUTH || err.code == NC_EINVAL) {
			login_form(r, login, T(&tr, "Wrong login or password."), 401);
		} else {
			page_fail(r, &err);
		}
		return;
	}
	session_cookie(r, s.session);
	page_redirect(r, safe_next(form_get(&f, "next")));
}

void page_logout(struct req *r)
{
	struct form f;
	if (page_form(r, &f) < 0)
		return;
	struct nc_err err = {0};
	app_logout(&r->app, r->session_id, &err);
	session_cookie(r, NULL);
	page_redirect(r, "/login");
}
