/* page.h - what every HTML page shares: the layout (head, navigation by role, footer), the CSRF
 * field of forms and its check, redirects, error pages, times shown in the user's zone, and the
 * rule messages in the user's language. Pages work without JavaScript. */
#ifndef NC_PAGE_H
#define NC_PAGE_H

#include "web/form.h"
#include "web/html.h"
#include "web/http.h"

struct page {
	struct req *r;
	struct html h; /* writes into r->out */
	const char *title;
};

/* page_begin starts an HTML page titled title (translated by the caller) for r; nav marks the
 * current section ("day", "clients", "team", "lost", "settings", "profile" or NULL). */
void page_begin(struct page *p, struct req *r, const char *title, const char *nav);
/* page_end closes the page and sets the 200 (or status when not 0) text/html response. */
void page_end(struct page *p, int status);

/* page_csrf writes the hidden CSRF field every POST form must carry. */
void page_csrf(struct page *p);
/* page_form parses r's urlencoded body into f and checks the CSRF field; on failure it has
 * answered (400 or 403 page) and returns -1. */
int page_form(struct req *r, struct form *f);

/* page_local_path: s is a path of this site a browser cannot read as another site's address:
 * "/" not followed by "/", no backslash (read as "/"), no control characters or spaces
 * (browsers drop tabs and newlines: "/\t/evil" would become "//evil"). */
bool page_local_path(const char *s);
/* page_redirect answers 303 See Other to location (a path on this site, else "/"). */
void page_redirect(struct req *r, const char *location);
/* page_fail answers an HTML error page for err (404, 403, 400...) in the user's language. */
void page_fail(struct req *r, const struct nc_err *err);
void page_error(struct req *r, int status, const char *message);

/* page_time writes t as "YYYY-MM-DD HH:MM" in the user's zone; page_time_input writes it as the
 * value of a datetime-local input ("YYYY-MM-DDTHH:MM"). */
void page_time(struct page *p, int64_t t);
const char *page_time_input(struct page *p, int64_t t);

/* page_rule_message gives a sentence explaining rule (a rule id) in lang. */
const char *page_rule_message(const char *lang, const char *rule);

/* page_tr gives msgid in r's language (page titles, before the page's writer exists). */
const char *page_tr(struct req *r, const char *msgid);

/* page_lang: the user's language, or one from Accept-Language on the login page. */
const char *page_lang(struct req *r);

#endif
