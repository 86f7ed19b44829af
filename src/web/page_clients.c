/* page_clients.c - the clients list (search by name, company or any phone format, filters by
 * category, owner, segment and source, paged by cursor), and the forms that create and change a
 * client. A duplicate phone shows the client who already has it. */
#include "util/utf8.h"
#include "web/page.h"
#include "web/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_PAGE  50  /* clients shown on one page */
#define TEXT_MAX   300 /* the app refuses longer names and filters anyway */
#define MIN_PHONES 3   /* phone inputs shown even when fewer are known */

static const char *const category_labels[CAT__COUNT] = {N_("Now"), N_("Future"), N_("Never")};

/* The choices of the selects: segments, sources and (for managers) the active users. */
struct choices {
	struct segment_rec *seg;
	size_t nseg;
	struct source_rec *src;
	size_t nsrc;
	struct user_rec *users; /* NULL for a rep */
	size_t nusers;
};

static int load_choices(struct req *r, struct choices *c, struct nc_err *err)
{
	memset(c, 0, sizeof(*c));
	if (app_segment_list(&r->app, &c->seg, &c->nseg, err) < 0 ||
	    app_source_list(&r->app, &c->src, &c->nsrc, err) < 0)
		return -1;
	if (r->user.role != ROLE_REP &&
	    app_user_list_active(&r->app, &c->users, &c->nusers, err) < 0)
		return -1;
	return 0;
}

/* text_param gives a query parameter that is valid UTF-8 of at most TEXT_MAX bytes, NULL when
 * absent, empty or invalid. */
static const char *text_param(struct req *r, const char *key)
{
	const char *s = http_query(r, key);
	if (!s || !*s || strlen(s) > TEXT_MAX || !utf8_valid(s, strlen(s)))
		return NULL;
	return s;
}

/* select_catalog writes a select of name over the segments (seg) or sources, with a first
 * option "" labelled none_label (translated here). */
static void select_catalog(struct html *h, const char *name, const struct choices *c, bool seg,
			   const char *current, const char *none_label)
{
	HTML(h, "<select");
	html_attr(h, "name", name);
	html_attr(h, "id", name);
	HTML(h, ">");
	html_option(h, "", T(h, none_label), current);
	size_t n = seg ? c->nseg : c->nsrc;
	for (size_t i = 0; i < n; i++) {
		const char *v = seg ? c->seg[i].name : c->src[i].name;
		html_option(h, v, v, current);
	}
	HTML(h, "</select>");
}

static void select_owner(struct html *h, const struct choices *c, const char *current,
			 const char *none_label)
{
	HTML(h, "<select name=\"owner\" id=\"owner\">");
	html_option(h, "", T(h, none_label), current);
	for (size_t i = 0; i < c->nusers; i++) {
		char label[200];
		snprintf(label, sizeof(label), "%s (%s)", c->users[i].name, c->users[i].login);
		html_option(h, c->users[i].login, label, current);
	}
	HTML(h, "</select>");
}

/* ---- the list ---- */

struct list_query {
	struct client_query q;
	int64_t after;
};

/* filter_label opens a filter's wrapper with its label. */
static void filter_label(struct html *h, const char *id, const char *label)
{
	HTML(h, "<div class=\"field\"><label");
	html_attr(h, "for", id);
	HTML(h, ">");
	Tw(h, label);
	HTML(h, "</label>");
}

static void filter_form(struct page *p, const struct list_query *lq, const struct choices *c,
			const struct nc_err *err)
{
	struct html *h = &p->h;
	HTML(h, "<form method=\"get\" action=\"/clients\" class=\"filters\" role=\"search\">");
	filter_label(h, "client-search", N_("Name, company or phone"));
	HTML(h, "<input type=\"search\" id=\"client-search\" name=\"q\" autocomplete=\"off\" "
		"maxlength=\"300\" accesskey=\"s\"");
	html_attr(h, "value", lq->q.q);
	HTML(h, "></div>");
	filter_label(h, "category", N_("Category"));
	HTML(h, "<select name=\"category\" id=\"category\">");
	html_option(h, "", T(h, "Any category"), lq->q.category);
	for (int i = 0; i < CAT__COUNT; i++)
		html_option(h, category_name(i), T(h, category_labels[i]), lq->q.category);
	HTML(h, "</select></div>");
	if (p->r->user.role != ROLE_REP) {
		filter_label(h, "owner", N_("Owner"));
		select_owner(h, c, lq->q.owner, N_("Anyone"));
		HTML(h, "</div>");
	}
	filter_label(h, "segment", N_("Segment"));
	select_catalog(h, "segment", c, true, lq->q.segment, N_("Any segment"));
	HTML(h, "</div>");
	filter_label(h, "source", N_("Lead source"));
	select_catalog(h, "source", c, false, lq->q.source, N_("Any source"));
	HTML(h, "</div><button type=\"submit\">");
	Tw(h, "Search");
	HTML(h, "</button></form>");
	if (err) {
		HTML(h, "<p class=\"field-error\" role=\"alert\">");
		Tw(h, "This filter is not valid; change it and search again.");
		HTML(h, " <small lang=\"en\">");
		html_text(h, err->msg);
		HTML(h, "</small></p>");
	}
}

static void category_badge(struct html *h, enum category cat)
{
	HTML(h, "<span");
	html_attrf(h, "class", "badge cat-%s", category_name(cat));
	HTML(h, ">");
	Tw(h, category_labels[cat]);
	HTML(h, "</span>");
}

static void client_row(struct html *h, const struct client_rec *c)
{
	HTML(h, "<tr><td><a");
	html_attrf(h, "href", "/clients/%lld", (long long)c->id);
	HTML(h, ">");
	html_text(h, c->name);
	HTML(h, "</a></td><td>");
	html_text(h, c->company);
	HTML(h, "</td><td>");
	category_badge(h, c->category);
	HTML(h, "</td><td>");
	if (c->owner)
		html_text(h, c->owner);
	else
		Tw(h, "unassigned");
	HTML(h, "</td><td>");
	if (c->nphones) {
		HTML(h, "<a");
		html_attrf(h, "href", "tel:%s", c->phones[0]);
		HTML(h, ">");
		html_text(h, c->phones[0]);
		HTML(h, "</a>");
	}
	HTML(h, "</td></tr>");
}

/* page_link writes a link to the page of clients after the id after (0: the first page),
 * keeping the filters; label is translated here. */
static void page_link(struct html *h, const struct list_query *lq, int64_t after, const char *label)
{
	const struct {
		const char *key, *value;
	} kv[] = {{"q", lq->q.q},
		  {"category", lq->q.category},
		  {"owner", lq->q.owner},
		  {"segment", lq->q.segment},
		  {"source", lq->q.source}};
	const char *sep = "?";
	HTML(h, "<a");
	html_attr(h, "class", after ? "next" : "first");
	html_attr(h, "rel", after ? "next" : NULL);
	HTML(h, " href=\"/clients");
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
		if (!kv[i].value)
			continue;
		html_text(h, sep);
		html_text(h, kv[i].key);
		HTML(h, "=");
		html_url_part(h, kv[i].value);
		sep = "&";
	}
	if (after) {
		html_text(h, sep);
		HTML(h, "after=");
		html_int(h, after);
	}
	HTML(h, "\">");
	Tw(h, label);
	HTML(h, "</a>");
}

static void results(struct page *p, const struct list_query *lq, const struct client_rec *c,
		    size_t n)
{
	struct html *h = &p->h;
	HTML(h, "<div id=\"client-results\" class=\"results\" aria-live=\"polite\">");
	if (n == 0) {
		HTML(h, "<p class=\"empty\">");
		Tw(h, "No clients found.");
		HTML(h, "</p>");
	} else {
		HTML(
		    h,
		    "<div class=\"scroll\"><table class=\"clients\"><thead><tr><th scope=\"col\">");
		Tw(h, "Name");
		HTML(h, "</th><th scope=\"col\">");
		Tw(h, "Company");
		HTML(h, "</th><th scope=\"col\">");
		Tw(h, "Category");
		HTML(h, "</th><th scope=\"col\">");
		Tw(h, "Owner");
		HTML(h, "</th><th scope=\"col\">");
		Tw(h, "Phone");
		HTML(h, "</th></tr></thead><tbody>");
		for (size_t i = 0; i < n && i < LIST_PAGE; i++)
			client_row(h, &c[i]);
		HTML(h, "</tbody></table></div>");
	}
	HTML(h, "<nav class=\"pager\">");
	if (lq->after > 0)
		page_link(h, lq, 0, N_("First page"));
	if (n > LIST_PAGE)
		page_link(h, lq, c[LIST_PAGE - 1].id, N_("Next"));
	HTML(h, "</nav></div>");
}

/* phone_hit answers a search for one whole phone number, typed in any format and without other
 * filters, from the phone index instead of scanning the search text: 1 when it answered (*n is
 * 0 or 1), 0 when q is not a whole number. */
static int phone_hit(struct req *r, const struct list_query *lq, struct client_rec **c, size_t *n)
{
	const char *q = lq->q.q;
	size_t digits = 0;
	if (!q || lq->q.category || lq->q.owner || lq->q.segment || lq->q.source || lq->after)
		return 0;
	for (const char *s = q; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr(" ()+-.", *s))
			return 0;
	}
	if (digits < 7)
		return 0;
	struct client_rec *one = ARENA_ARRAY(&r->a, struct client_rec, 1);
	struct nc_err err = {0};
	int rc = app_client_find_phone(&r->app, q, one, &err);
	if (rc < 0 && err.code != NC_EFORBIDDEN) /* not a valid number: search for the digits */
		return 0;
	*c = one;
	*n = rc == 1 ? 1 : 0;
	return 1;
}

void page_clients(struct req *r)
{
	struct list_query lq = {0};
	struct choices ch;
	struct nc_err err = {0};
	lq.q.q = text_param(r, "q");
	lq.q.category = text_param(r, "category");
	lq.q.owner = text_param(r, "owner");
	lq.q.segment = text_param(r, "segment");
	lq.q.source = text_param(r, "source");
	const char *after = http_query(r, "after");
	if (after) {
		char *end;
		long long v = strtoll(after, &end, 10);
		lq.after = *after && !*end && v > 0 ? v : 0;
	}
	lq.q.after = lq.after;
	lq.q.limit = LIST_PAGE + 1; /* one more, to know whether a next page exists */
	if (load_choices(r, &ch, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct client_rec *c = NULL;
	size_t n = 0;
	int rc = phone_hit(r, &lq, &c, &n) ? 0 : app_client_list(&r->app, &lq.q, &c, &n, &err);
	if (rc < 0 && err.code != NC_EINVAL) {
		page_fail(r, &err);
		return;
	}
	struct page p;
	struct html *h = &p.h;
	page_begin(&p, r, page_tr(r, "Clients"), "clients");
	HTML(h, "<h1>");
	Tw(h, "Clients");
	HTML(h, "</h1><p class=\"actions\"><a class=\"button primary\" href=\"/clients/new\" "
		"accesskey=\"n\">");
	Tw(h, "New client");
	HTML(h, "</a></p>");
	filter_form(&p, &lq, &ch, rc < 0 ? &err : NULL);
	results(&p, &lq, c, n);
	page_end(&p, rc < 0 ? 400 : 200);
}

/* ---- new and edit ---- */

/* What the client form shows: the values (as typed or as stored) and the refusal. */
struct client_form {
	int64_t id; /* 0: a new client */
	const char *name, *company, *owner, *segment, *source;
	const char *phones[CLIENT_MAX_PHONES + 1];
	size_t nphones;
	const char *owner_now; /* edit: the current owner's login, NULL when unassigned */
	const struct nc_err *err;
	const char *holder; /* a duplicate phone's client name, when the actor may see him */
};

/* field_error writes the refusal beside the input field, when it concerns field. */
static void field_error(struct html *h, const struct client_form *cf, const char *field)
{
	static const struct {
		const char *field, *msg;
	} msgs[] = {
	    {"name", N_("Enter the client's name (at most 300 characters).")},
	    {"company", N_("The company name is too long (at most 300 characters).")},
	    {"phones", N_("Check the phones: at least one, each a valid number given once, at "
			  "most 10.")},
	    {"owner", N_("Choose an active user as the owner; only a head of sales gives a "
			 "client to another rep.")},
	    {"segment", N_("Choose a segment from the list.")},
	    {"source", N_("Choose a lead source from the list.")},
	};
	const struct nc_err *e = cf->err;
	if (!e || strcmp(e->field, field) != 0)
		return;
	HTML(h, "<p class=\"field-error\" role=\"alert\"");
	html_attrf(h, "id", "%s-error", field);
	HTML(h, ">");
	if (e->code == NC_ECONFLICT && e->ref > 0) {
		Tw(h, "This phone number already belongs to another client.");
		HTML(h, " <a class=\"existing\"");
		html_attrf(h, "href", "/clients/%lld", e->ref);
		HTML(h, ">");
		if (cf->holder)
			html_text(h, cf->holder);
		else
			Tw(h, "Open the existing client");
		HTML(h, "</a></p>");
		return;
	}
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		if (strcmp(msgs[i].field, field) == 0)
			Tw(h, msgs[i].msg);
	HTML(h, " <small lang=\"en\">");
	html_text(h, e->msg);
	HTML(h, "</small></p>");
}

/* owner_shown: managers choose the owner; a rep sees the field only to take an unassigned
 * client. */
static bool owner_shown(const struct req *r, const struct client_form *cf)
{
	return r->user.role != ROLE_REP || (cf->id && !cf->owner_now);
}

/* known_field says whether the form shows err's field (else the message goes on top). */
static bool known_field(const struct req *r, const struct client_form *cf)
{
	static const char *const fields[] = {"name", "company", "phones", "segment", "source"};
	if (strcmp(cf->err->field, "owner") == 0)
		return owner_shown(r, cf);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strcmp(cf->err->field, fields[i]) == 0)
			return true;
	return false;
}

static void text_input(struct html *h, const struct client_form *cf, const char *name,
		       const char *label, const char *value, bool required)
{
	HTML(h, "<div class=\"field\"><label");
	html_attr(h, "for", name);
	HTML(h, ">");
	Tw(h, label);
	HTML(h, "</label><input maxlength=\"300\" autocomplete=\"off\"");
	html_attr(h, "name", name);
	html_attr(h, "id", name);
	html_attr(h, "value", value);
	if (required)
		HTML(h, " required");
	if (cf->err && strcmp(cf->err->field, name) == 0) {
		HTML(h, " aria-invalid=\"true\"");
		html_attrf(h, "aria-describedby", "%s-error", name);
	}
	HTML(h, ">");
	field_error(h, cf, name);
	HTML(h, "</div>");
}

static void phone_inputs(struct html *h, const struct client_form *cf)
{
	bool bad = cf->err && strcmp(cf->err->field, "phones") == 0;
	/* every typed phone, one spare input when editing, at least MIN_PHONES */
	size_t shown = cf->nphones + (cf->id && cf->nphones < CLIENT_MAX_PHONES ? 1 : 0);
	if (shown < MIN_PHONES)
		shown = MIN_PHONES;
	HTML(h, "<fieldset class=\"phones\" id=\"phones\"><legend>");
	Tw(h, "Phones");
	HTML(h, "</legend>");
	for (size_t i = 0; i < shown; i++) {
		HTML(h, "<input type=\"tel\" name=\"phone\" autocomplete=\"off\" maxlength=\"64\"");
		html_attr(h, "aria-label", T(h, "Phone"));
		html_attr(h, "value", i < cf->nphones ? cf->phones[i] : NULL);
		if (i == 0)
			HTML(h, " required");
		if (bad)
			HTML(h, " aria-invalid=\"true\" aria-describedby=\"phones-error\"");
		HTML(h, ">");
	}
	field_error(h, cf, "phones");
	HTML(h, "</fieldset>");
}

/* owner_field: managers choose any active user; a rep may take an unassigned client. */
static void owner_field(struct page *p, const struct client_form *cf, const struct choices *c)
{
	struct html *h = &p->h;
	if (!owner_shown(p->r, cf))
		return; /* a rep's new clients and his own stay his */
	if (p->r->user.role != ROLE_REP) {
		HTML(h, "<div class=\"field\"><label for=\"owner\">");
		Tw(h, "Owner");
		HTML(h, "</label>");
		select_owner(h, c, cf->owner, N_("Nobody (unassigned)"));
	} else {
		HTML(h, "<div class=\"field\"><label><input type=\"checkbox\" name=\"owner\"");
		html_attr(h, "value", p->r->user.login);
		if (cf->owner && *cf->owner)
			HTML(h, " checked");
		HTML(h, "> ");
		Tw(h, "Take this client: make me the owner");
		HTML(h, "</label>");
	}
	field_error(h, cf, "owner");
	HTML(h, "</div>");
}

static void client_form_fields(struct page *p, const struct client_form *cf,
			       const struct choices *c)
{
	struct html *h = &p->h;
	text_input(h, cf, "name", N_("Name"), cf->name, true);
	text_input(h, cf, "company", N_("Company"), cf->company, false);
	phone_inputs(h, cf);
	owner_field(p, cf, c);
	HTML(h, "<div class=\"field\"><label for=\"segment\">");
	Tw(h, "Segment");
	HTML(h, "</label>");
	select_catalog(h, "segment", c, true, cf->segment, N_("None"));
	field_error(h, cf, "segment");
	HTML(h, "</div><div class=\"field\"><label for=\"source\">");
	Tw(h, "Lead source");
	HTML(h, "</label>");
	select_catalog(h, "source", c, false, cf->source, N_("None"));
	field_error(h, cf, "source");
	HTML(h, "</div>");
}

/* client_form_page renders the new-client (cf->id 0) or edit form with status. */
static void client_form_page(struct req *r, const struct client_form *cf, int status)
{
	struct choices c;
	struct nc_err err = {0};
	if (load_choices(r, &c, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct page p;
	struct html *h = &p.h;
	const char *title = cf->id ? N_("Edit client") : N_("New client");
	page_begin(&p, r, page_tr(r, title), "clients");
	HTML(h, "<section class=\"client-form\"><h1>");
	Tw(h, title);
	HTML(h, "</h1>");
	if (cf->err && !known_field(r, cf)) {
		HTML(h, "<p class=\"alert\" role=\"alert\">");
		html_text(h, cf->err->msg);
		HTML(h, "</p>");
	}
	HTML(h, "<form method=\"post\" class=\"stack\"");
	if (cf->id)
		html_attrf(h, "action", "/clients/%lld", (long long)cf->id);
	else
		HTML(h, " action=\"/clients\"");
	HTML(h, ">");
	page_csrf(&p);
	client_form_fields(&p, cf, &c);
	HTML(h, "<p class=\"buttons\"><button type=\"submit\" class=\"primary\">");
	Tw(h, cf->id ? N_("Save") : N_("Create the client"));
	HTML(h, "</button> <a");
	if (cf->id)
		html_attrf(h, "href", "/clients/%lld", (long long)cf->id);
	else
		HTML(h, " href=\"/clients\"");
	HTML(h, ">");
	Tw(h, "Cancel");
	HTML(h, "</a></p></form></section>");
	page_end(&p, status);
}

void page_client_new(struct req *r)
{
	struct client_form cf = {0};
	const char *phone = http_query(r, "phone");
	if (phone && strlen(phone) <= 64 && utf8_valid(phone, strlen(phone))) {
		cf.phones[0] = phone;
		cf.nphones = 1;
	}
	client_form_page(r, &cf, 200);
}

/* read_form fills cf with what was typed and in with what goes to the app. */
static void read_form(struct req *r, const struct form *f, struct client_form *cf,
		      struct client_input *in)
{
	cf->name = form_get(f, "name");
	cf->company = form_get(f, "company");
	cf->owner = form_get(f, "owner");
	cf->segment = form_get(f, "segment");
	cf->source = form_get(f, "source");
	cf->nphones = form_all(f, "phone", cf->phones, CLIENT_MAX_PHONES + 1);
	memset(in, 0, sizeof(*in));
	in->name = cf->name ? cf->name : "";
	in->company = cf->company;
	in->owner = cf->owner;
	in->segment = cf->segment;
	in->source = cf->source;
	in->phones = ARENA_ARRAY(&r->a, const char *, CLIENT_MAX_PHONES + 1);
	for (size_t i = 0; i < cf->nphones; i++)
		if (!utf8_is_blank(cf->phones[i]))
			in->phones[in->nphones++] = cf->phones[i];
}

/* refused re-renders the form after the app refused it; other failures get an error page. */
static void refused(struct req *r, struct client_form *cf, const struct nc_err *err)
{
	int status = err->code == NC_EINVAL					      ? 400
		     : err->code == NC_ECONFLICT				      ? 409
		     : err->code == NC_EFORBIDDEN && strcmp(err->field, "owner") == 0 ? 403
										      : 0;
	if (!status) {
		page_fail(r, err);
		return;
	}
	cf->err = err;
	struct client_rec holder;
	struct nc_err ignored = {0};
	if (err->code == NC_ECONFLICT && err->ref > 0 &&
	    app_client_get(&r->app, err->ref, &holder, &ignored) == 0)
		cf->holder = holder.name;
	client_form_page(r, cf, status);
}

void page_client_create(struct req *r)
{
	struct form f;
	struct client_form cf = {0};
	struct client_input in;
	struct nc_err err = {0};
	int64_t id;
	if (page_form(r, &f) < 0)
		return;
	read_form(r, &f, &cf, &in);
	if (app_client_add(&r->app, &in, &id, &err) < 0) {
		refused(r, &cf, &err);
		return;
	}
	page_redirect(r, arena_printf(&r->a, "/clients/%lld", (long long)id));
}

void page_client_edit(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	struct client_rec c;
	struct nc_err err = {0};
	if (id < 0)
		return;
	if (app_client_get(&r->app, id, &c, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct client_form cf = {.id = id,
				 .name = c.name,
				 .company = c.company,
				 .owner = c.owner,
				 .owner_now = c.owner,
				 .segment = c.segment,
				 .source = c.source};
	for (size_t i = 0; i < c.nphones && i < CLIENT_MAX_PHONES; i++)
		cf.phones[cf.nphones++] = c.phones[i];
	client_form_page(r, &cf, 200);
}

void page_client_update(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	struct form f;
	struct client_form cf = {.id = id};
	struct client_input in;
	struct client_rec c;
	struct nc_err err = {0};
	if (id < 0 || page_form(r, &f) < 0)
		return;
	if (app_client_get(&r->app, id, &c, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	cf.owner_now = c.owner;
	read_form(r, &f, &cf, &in);
	if (app_client_update(&r->app, id, &in, &err) < 0) {
		refused(r, &cf, &err);
		return;
	}
	page_redirect(r, arena_printf(&r->a, "/clients/%lld", (long long)id));
}
