/* page.c - the layout and the shared parts of every HTML page. */
#include "web/page.h"
#include "util/time.h"
#include "web/i18n.h"
#include "web/static.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define PRE_COOKIE "nc_pre" /* CSRF token of the signed-out login form (double submit) */

const char *page_lang(struct req *r)
{
	if (r->auth != AUTH_NONE && i18n_lang_known(r->user.locale))
		return r->user.locale;
	const char *al = http_header(r, "Accept-Language");
	static const char *const langs[] = {"ru", "tr", "vi", "en"};
	for (size_t i = 0; al && i < 4; i++)
		if (strncasecmp(al, langs[i], 2) == 0)
			return langs[i];
	return "en";
}

const char *page_tr(struct req *r, const char *msgid)
{
	return i18n_get(page_lang(r), msgid);
}

/* pre_token gives the signed-out CSRF token, setting its cookie when the browser has none. */
static const char *pre_token(struct req *r)
{
	const char *t = http_cookie(r, PRE_COOKIE);
	if (t && strlen(t) >= 20 && strlen(t) <= 64)
		return t;
	unsigned char raw[18];
	char *hex = arena_alloc(&r->a, sizeof(raw) * 2 + 1);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(raw) * 2 + 1, raw, sizeof(raw));
	char c[128];
	snprintf(c, sizeof(c), "%s=%s; Path=/; HttpOnly; SameSite=Lax", PRE_COOKIE, hex);
	http_header_set(r, "Set-Cookie", c);
	return hex;
}

static const char *csrf_token(struct req *r)
{
	return r->auth == AUTH_SESSION ? r->csrf : pre_token(r);
}

static void nav_item(struct page *p, const char *href, const char *label, const char *id,
		     const char *current)
{
	struct html *h = &p->h;
	HTML(h, "<a");
	html_attr(h, "href", href);
	if (current && strcmp(id, current) == 0)
		HTML(h, " aria-current=\"page\"");
	HTML(h, ">");
	Tw(h, label);
	HTML(h, "</a>");
}

static void nav(struct page *p, const char *current)
{
	struct html *h = &p->h;
	struct req *r = p->r;
	HTML(h, "<header class=\"top\"><a class=\"brand\" href=\"/\">nextcall</a>");
	if (r->auth == AUTH_NONE) {
		HTML(h, "</header>");
		return;
	}
	bool manager = r->user.role != ROLE_REP;
	HTML(h, "<nav>");
	nav_item(p, "/day", "My day", "day", current);
	nav_item(p, "/clients", "Clients", "clients", current);
	nav_item(p, "/scripts", N_("Scripts"), "scripts", current);
	if (manager) {
		nav_item(p, "/team", "Team", "team", current);
		nav_item(p, "/lost", "Lost and refused", "lost", current);
		nav_item(p, "/qa", N_("Quality"), "qa", current);
		nav_item(p, "/reports", "Reports", "reports", current);
		nav_item(p, "/settings", "Settings", "settings", current);
	}
	nav_item(p, "/profile", r->user.name, "profile", current);
	HTML(h, "<form method=\"post\" action=\"/logout\" class=\"inline\">");
	page_csrf(p);
	HTML(h, "<button type=\"submit\" class=\"link\">");
	Tw(h, "Log out");
	HTML(h, "</button></form></nav></header>");
}

void page_begin(struct page *p, struct req *r, const char *title, const char *current)
{
	p->r = r;
	p->title = title;
	p->h.out = &r->out;
	p->h.lang = page_lang(r);
	http_out_reset(r);
	struct html *h = &p->h;
	HTML(h, "<!doctype html><html");
	html_attr(h, "lang", p->h.lang);
	HTML(h, "><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
		"content=\"width=device-width, initial-scale=1\"><title>");
	html_text(h, title);
	HTML(h, " · nextcall</title><link rel=\"icon\" type=\"image/svg+xml\"");
	html_attr(h, "href", static_url(r, "icon.svg"));
	HTML(h, "><link rel=\"stylesheet\"");
	html_attr(h, "href", static_url(r, "app.css"));
	HTML(h, "><script defer");
	html_attr(h, "src", static_url(r, "app.js"));
	HTML(h, "></script></head><body");
	html_attr(h, "data-csrf", r->auth == AUTH_SESSION ? r->csrf : NULL);
	html_attr(h, "data-user", r->auth != AUTH_NONE ? r->user.login : NULL);
	html_attr(h, "data-lang", p->h.lang);
	html_attr(h, "data-tz", r->auth != AUTH_NONE ? r->user.timezone : NULL);
	HTML(h, ">");
	nav(p, current);
	HTML(h, "<main id=\"main\">");
}

/* panel_labels writes the translated words app.js shows in the call panel and notices: the
 * data it gets from the API and the event stream are words of the data (future, call). */
static void panel_labels(struct page *p)
{
	static const struct {
		const char *attr, *msgid;
	} labels[] = {
	    {"data-company", N_("Company")},
	    {"data-category", N_("Category")},
	    {"data-owner", N_("Owner")},
	    {"data-next-step", N_("Next step")},
	    {"data-step-due", N_("Next step due")},
	    {"data-category-now", N_("Now")},
	    {"data-category-future", N_("Future")},
	    {"data-category-never", N_("Never")},
	    {"data-kind-meeting", N_("Meeting")},
	    {"data-kind-visit", N_("Visit or measurement")},
	    {"data-kind-call", N_("Call")},
	    {"data-kind-callback", N_("Call back")},
	    {"data-kind-offer", N_("Send an offer")},
	    {"data-kind-invoice", N_("Send an invoice")},
	    {"data-kind-decision", N_("Client's decision")},
	    {"data-originate-ok", N_("Your phone answered: the client is being dialled")},
	    {"data-originate-failed", N_("The call could not be placed")},
	};
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		html_attr(&p->h, labels[i].attr, T(&p->h, labels[i].msgid));
}

void page_end(struct page *p, int status)
{
	struct html *h = &p->h;
	HTML(h, "</main>");
	if (p->r->auth != AUTH_NONE) {
		/* the incoming-call panel, filled by app.js from the live event stream */
		HTML(h,
		     "<aside id=\"call-panel\" class=\"call-panel\" hidden aria-live=\"assertive\""
		     " data-new-client=\"");
		Tw(h, "New client");
		HTML(h, "\" data-incoming=\"");
		Tw(h, "Incoming call");
		HTML(h, "\" data-open=\"");
		Tw(h, "Open the card");
		HTML(h, "\" data-dismiss=\"");
		Tw(h, "Dismiss");
		HTML(h, "\"");
		panel_labels(p);
		HTML(h, "></aside>");
	}
	HTML(h, "</body></html>\n");
	p->r->status = status ? status : 200;
	p->r->content_type = "text/html; charset=utf-8";
}

void page_csrf(struct page *p)
{
	HTML(&p->h, "<input type=\"hidden\" name=\"_csrf\"");
	html_attr(&p->h, "value", csrf_token(p->r));
	HTML(&p->h, ">");
}

int page_form(struct req *r, struct form *f)
{
	struct nc_err err = {0};
	const char *ct = http_header(r, "Content-Type");
	if (r->body_too_large) {
		page_error(r, 413, "The form is too large.");
		return -1;
	}
	if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
		page_error(r, 415, "Send the form as a web form.");
		return -1;
	}
	if (form_parse(&r->a, r->body.data, r->body.len, f, &err) < 0) {
		page_fail(r, &err);
		return -1;
	}
	const char *sent = form_get(f, "_csrf");
	const char *want = r->auth == AUTH_SESSION ? r->csrf : http_cookie(r, PRE_COOKIE);
	if (!sent || !want || strlen(sent) != strlen(want) ||
	    sodium_memcmp(sent, want, strlen(want)) != 0) {
		page_error(r, 403,
			   "This form has expired. Go back, reload the page and send it again.");
		return -1;
	}
	return 0;
}

bool page_local_path(const char *s)
{
	if (!s || s[0] != '/' || s[1] == '/')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '\\')
			return false;
	return true;
}

void page_redirect(struct req *r, const char *location)
{
	if (!page_local_path(location))
		location = "/"; /* only paths of this site: no open redirects */
	http_header_set(r, "Location", location);
	http_body(r, 303, "text/plain; charset=utf-8", "", 0);
}

void page_error(struct req *r, int status, const char *message)
{
	struct page p;
	page_begin(&p, r, page_tr(r, "Something went wrong"), NULL);
	HTML(&p.h, "<section class=\"error\"><h1>");
	html_int(&p.h, status);
	HTML(&p.h, "</h1><p>");
	Tw(&p.h, message);
	HTML(&p.h, "</p><p><a href=\"/\">");
	Tw(&p.h, "Back to my day");
	HTML(&p.h, "</a></p></section>");
	page_end(&p, status);
}

void page_fail(struct req *r, const struct nc_err *err)
{
	switch (err->code) {
	case NC_ENOTFOUND:
		page_error(r, 404, "This page does not exist.");
		return;
	case NC_EFORBIDDEN:
		page_error(r, 403,
			   "You may not open this: it belongs to another rep or needs another "
			   "role.");
		return;
	case NC_EAUTH:
		page_redirect(r, "/login");
		return;
	case NC_EBUSY:
		if (err->ref > 0) {
			char secs[24];
			snprintf(secs, sizeof(secs), "%lld", (long long)err->ref);
			http_header_set(r, "Retry-After", secs);
		}
		page_error(r, 429, "Too many failed attempts. Wait 15 minutes and try again.");
		return;
	case NC_EINVAL:
	case NC_ECONFLICT:
	case NC_ERULE: {
		struct page p;
		page_begin(&p, r, page_tr(r, "Something went wrong"), NULL);
		HTML(&p.h, "<section class=\"error\"><h1>400</h1><p>");
		html_text(&p.h, err->msg);
		HTML(&p.h, "</p><p><a href=\"/\">");
		Tw(&p.h, "Back to my day");
		HTML(&p.h, "</a></p></section>");
		page_end(&p, 400);
		return;
	}
	default:
		http_fail(r, err); /* logs it; the page shows the generic text */
		page_error(r, 500, "The server failed; the error is logged.");
	}
}

void page_time(struct page *p, int64_t t)
{
	char buf[24];
	time_format_local(t, http_zone(p->r), buf);
	html_text(&p->h, buf);
}

const char *page_time_input(struct page *p, int64_t t)
{
	char buf[24];
	time_format_local(t, http_zone(p->r), buf);
	buf[10] = 'T';
	return arena_strdup(&p->r->a, buf);
}

const char *page_rule_message(const char *lang, const char *rule)
{
	static const struct {
		const char *rule, *msg;
	} msgs[] = {
	    {"purpose_missing", N_("State the purpose of the call: what the client gets from it.")},
	    {"courtesy_call", N_("A courtesy call is not a purpose. Say what the client gets from "
				 "this call, or do not call.")},
	    {"goal_missing",
	     N_("Both goals are needed: the maximum (a meeting at a concrete time) and "
		"the minimum (contacts and a call at a concrete time).")},
	    {"next_step_missing",
	     N_("End the contact with a next step at a concrete date and time, a "
		"sale, or file the client as never. A refusal also needs the next "
		"planned contact.")},
	    {"next_step_vague", N_("The next step needs a concrete date and time.")},
	    {"next_step_past", N_("The next step is in the past.")},
	    {"refusal_reason_missing", N_("Write why the client refused: what value did we fail to "
					  "convey?")},
	    {"never_reason_invalid", N_("\"Never\" is only for a client who no longer exists: the "
					"company closed or the person is gone, with a note.")},
	    {"decision_window_exceeded", N_("A client ready to decide gets at most 72 hours.")},
	    {"cadence_exceeded",
	     N_("The next contact is later than this segment's cadence allows.")},
	    {"decision_window_passed", N_("The decision window has passed: call the client now.")},
	};
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		if (strcmp(msgs[i].rule, rule) == 0)
			return i18n_get(lang, msgs[i].msg);
	return rule;
}
