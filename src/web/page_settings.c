/* page_settings.c - the head of sales' settings page: the team settings of the settings table, the
 * courtesy phrases, segments and cadences, lead sources and their monthly spend, and the forms
 * that change them. A refused form comes back with the message beside its field. */
#include "util/time.h"
#include "web/fields.h"
#include "web/pages.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CATALOG_SHOWN 200 /* segments and lead sources listed: the catalogs stay small */

/* form_long reads a whole number typed in a form: -1 when s is not one within [lo, hi]. */
static int form_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	if (!s || !*s)
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* the countries offered for phone.region */
static const struct field_opt regions[] = {
    {"RU", N_("Russia"), NULL},		{"TR", N_("Turkey"), NULL},
    {"VN", N_("Vietnam"), NULL},	{"US", N_("United States"), NULL},
    {"GB", N_("United Kingdom"), NULL}, {"DE", N_("Germany"), NULL},
    {"KZ", N_("Kazakhstan"), NULL},	{"UA", N_("Ukraine"), NULL},
    {"BY", N_("Belarus"), NULL},	{"UZ", N_("Uzbekistan"), NULL},
    {"AZ", N_("Azerbaijan"), NULL},
};

/* ---- the inputs of the forms ---- */

static const struct field_def segment_inputs[] = {
    {"name", "text", N_("Name"), NULL, 0, 100, FIELD_REQ},
    {"min_days", "number", N_("Shortest gap between contacts (days)"), NULL, 1, 365, FIELD_REQ},
    {"max_days", "number", N_("Longest gap between contacts (days)"),
     N_("Empty: the same as the shortest gap."), 1, 365, 0},
};

static const struct field_def spend_inputs[] = {
    {"month", "month", N_("Month"), NULL, 0, 0, FIELD_REQ},
    {"amount", "text", N_("Amount"), N_("Replaces what was entered for that month."), 0, 30,
     FIELD_REQ | FIELD_DECIMAL},
};

/* ---- the settings page ---- */

/* The page's labels and hints of the settings of the table (app/settings.c), by key; a setting
 * missing here is shown with its key and the table's help. */
static const struct {
	const char *key, *label, *hint;
} setting_texts[] = {
    {"goals.default_max", N_("Default maximum goal"),
     N_("Prefilled when a rep logs an outbound call or a meeting: the best result to aim for.")},
    {"goals.default_min", N_("Default minimum goal"),
     N_("Prefilled too: the least the rep must get from the contact.")},
    {"rules.decision_hours", N_("Decision window (hours)"),
     N_("The longest a client who is ready to decide may wait for the decision.")},
    {"callback.delay_min", N_("Callback delay (minutes)"),
     N_("A missed inbound call gets a callback this many minutes later.")},
    {"retry.delay_days", N_("Retry delay (days)"),
     N_("A missed outbound call is tried again this many days later.")},
    {"ring.limit_s", N_("Ring limit (seconds)"),
     N_("An inbound call answered later than this counts as a slow answer.")},
    {"phone.region", N_("Default phone country"),
     N_("Phone numbers typed without a country code belong to this country.")},
    {"team.name", N_("Team name"), N_("The company's name, as reps say it on the phone.")},
    {"team.timezone", N_("Team time zone"),
     N_("Used for the times of users who have not chosen their own zone.")},
    {"cdr.timezone", N_("Time zone of the PBX's call records"),
     N_("The zone Asterisk wrote local times in (UTC when its cdr.conf says usegmtime=yes).")},
    {"cdr.columns", N_("Columns of the PBX's call records"),
     N_("auto reads the layout from each line; or a count from 16 to 21, or custom.")},
};

/* What the settings page shows. */
struct settings_view {
	const char **values; /* stored values, by index in setting_defs */
	struct segment_rec *seg;
	size_t nseg;
	struct source_rec *src;
	size_t nsrc;
	struct spend_rec *sp; /* the spend of the last three months only */
	size_t nsp;
	char month[3][16]; /* the last three months in the user's zone, oldest first */
};

static int settings_load(struct req *r, struct settings_view *v, struct nc_err *err)
{
	size_t n = 0;
	while (setting_defs[n].key)
		n++;
	v->values = ARENA_ARRAY(&r->a, const char *, n + 1);
	for (size_t i = 0; i < n; i++)
		if (app_setting_get(&r->app, setting_defs[i].key, &v->values[i], err) < 0)
			return -1;
	struct nc_tm tm;
	time_local_parts(http_zone(r), r->app.now, &tm);
	for (int i = 2; i >= 0; i--) {
		snprintf(v->month[i], sizeof(v->month[i]), "%04d-%02d", tm.year % 10000, tm.month);
		if (--tm.month == 0) {
			tm.month = 12;
			tm.year--;
		}
	}
	if (store_segment_list(r->db, &r->a, &v->seg, &v->nseg, err) < 0 ||
	    store_source_list(r->db, &r->a, &v->src, &v->nsrc, err) < 0 ||
	    store_spend_list(r->db, &r->a, 0, &v->sp, &v->nsp, err) < 0)
		return -1;
	size_t kept = 0; /* every month ever spent is more than the page shows */
	for (size_t i = 0; i < v->nsp; i++)
		if (strcmp(v->sp[i].month, v->month[0]) >= 0 &&
		    strcmp(v->sp[i].month, v->month[2]) <= 0)
			v->sp[kept++] = v->sp[i];
	v->nsp = kept;
	return 0;
}

/* setting_field writes the input of one setting, by its type. */
static void setting_field(struct field_writer *w, const struct setting_def *d, const char *value)
{
	const char *label = d->key, *hint = d->help;
	for (size_t i = 0; i < FIELD_NOPTS(setting_texts); i++)
		if (strcmp(setting_texts[i].key, d->key) == 0) {
			label = setting_texts[i].label;
			hint = setting_texts[i].hint;
		}
	if (d->type == SET_REGION) {
		field_select(w, d->key, label, hint, regions, FIELD_NOPTS(regions), value);
	} else if (d->type == SET_ZONE) {
		field_zone(w, d->key, label, hint, value);
	} else if (d->type == SET_BOOL) {
		field_check(w, d->key, label, strcmp(value, "true") == 0);
	} else {
		bool num = d->type == SET_INT;
		struct field_def f = {d->key,
				      d->secret ? "password"
				      : num	? "number"
						: "text",
				      label,
				      hint,
				      num ? d->min : 0,
				      d->max,
				      num ? FIELD_REQ : 0};
		field_input(w, &f, value);
	}
}

static void team_section(struct page *p, const struct field_redo *rd, const struct settings_view *v)
{
	struct html *h = &p->h;
	struct field_writer w = {.p = p, .rd = rd, .form = "settings"};
	HTML(h, "<section id=\"team\" aria-labelledby=\"team-h\"><h2 id=\"team-h\">");
	Tw(h, "Team");
	HTML(h, "</h2>");
	field_saved_notice(p, "settings");
	HTML(h, "<form method=\"post\" action=\"/settings\" id=\"settings\" class=\"settings\">");
	page_csrf(p);
	field_alert(&w, NULL);
	for (size_t i = 0; setting_defs[i].key; i++)
		if (setting_defs[i].type != SET_LIST) /* lists have their own section */
			setting_field(&w, &setting_defs[i], v->values[i]);
	field_button(h, N_("Save settings"));
	HTML(h, "</form></section>");
}

/* list_lines gives a stored JSON list of phrases as text, one per line. */
static const char *list_lines(struct req *r, const char *json)
{
	json_t *arr = json_loads(json, 0, NULL);
	struct buf b;
	buf_init(&b, 0);
	size_t i;
	json_t *item;
	json_array_foreach(arr, i, item)
	{
		if (json_is_string(item))
			buf_printf(&b, "%s%s", b.len ? "\n" : "", json_string_value(item));
	}
	json_decref(arr);
	const char *out = arena_strdup(&r->a, b.data);
	buf_release(&b);
	return out;
}

static void phrases_section(struct page *p, const struct field_redo *rd,
			    const struct settings_view *v)
{
	struct html *h = &p->h;
	struct field_writer w = {.p = p, .rd = rd, .form = "settings"};
	HTML(h, "<section id=\"courtesy\" aria-labelledby=\"courtesy-h\"><h2 id=\"courtesy-h\">");
	Tw(h, "Courtesy phrases");
	HTML(h, "</h2><p>");
	Tw(h, "A call or meeting whose purpose contains one of these phrases is refused as a "
	      "courtesy call: the rep must say what the client gets from it.");
	HTML(h, "</p>");
	for (size_t i = 0; setting_defs[i].key; i++) {
		const struct setting_def *d = &setting_defs[i];
		if (d->type != SET_LIST)
			continue;
		field_start(
		    &w, d->key, N_("One phrase per line"),
		    N_("Case, punctuation and extra spaces are ignored, and whole words are "
		       "matched: \"keep in touch\" refuses \"Just to keep in touch!\" but not "
		       "\"keep in touchscreen\"."));
		HTML(h, "<textarea form=\"settings\" rows=\"10\" autocomplete=\"off\"");
		field_attrs(&w);
		HTML(h, ">");
		html_text(h, field_redoing(&w) ? field_value(&w, d->key, "")
					       : list_lines(p->r, v->values[i]));
		HTML(h, "</textarea>");
		field_end(&w);
	}
	HTML(h, "<div class=\"actions\"><button type=\"submit\" form=\"settings\" "
		"class=\"primary\">");
	Tw(h, "Save settings");
	HTML(h, "</button></div></section>");
}

static void segments_section(struct page *p, const struct field_redo *rd,
			     const struct settings_view *v)
{
	struct html *h = &p->h;
	struct field_writer w = {.p = p, .rd = rd, .form = "segment"};
	static const char *const fields[] = {"name", "min_days", "max_days", NULL};
	HTML(h, "<section id=\"segments\" aria-labelledby=\"segments-h\"><h2 id=\"segments-h\">");
	Tw(h, "Segments and cadences");
	HTML(h, "</h2>");
	field_saved_notice(p, "segment");
	if (v->nseg == 0) {
		HTML(h, "<p class=\"empty\">");
		Tw(h, "No segments yet.");
		HTML(h, "</p>");
	} else {
		HTML(h, "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">");
		Tw(h, "Segment");
		HTML(h, "</th><th scope=\"col\" class=\"num\">");
		Tw(h, "Contact every (days)");
		HTML(h, "</th></tr></thead><tbody>");
		for (size_t i = 0; i < v->nseg && i < CATALOG_SHOWN; i++) {
			HTML(h, "<tr><td>");
			html_text(h, v->seg[i].name);
			HTML(h, "</td><td class=\"num\">");
			html_int(h, v->seg[i].min_days);
			if (v->seg[i].max_days != v->seg[i].min_days) {
				HTML(h, "–");
				html_int(h, v->seg[i].max_days);
			}
			HTML(h, "</td></tr>");
		}
		HTML(h, "</tbody></table></div>");
	}
	HTML(h, "<h3>");
	Tw(h, "Add a segment");
	HTML(h, "</h3><form method=\"post\" action=\"/settings/segments\" class=\"add\">");
	page_csrf(p);
	field_alert(&w, fields);
	field_input(&w, &segment_inputs[0], "");
	field_input(&w, &segment_inputs[1], "");
	field_input(&w, &segment_inputs[2], "");
	field_button(h, N_("Add segment"));
	HTML(h, "</form></section>");
}

/* spend_cell writes the spend of source in month, or a dash. */
static void spend_cell(struct html *h, const struct settings_view *v, int64_t source,
		       const char *month)
{
	HTML(h, "<td class=\"num\">");
	for (size_t i = 0; i < v->nsp; i++)
		if (v->sp[i].source_id == source && strcmp(v->sp[i].month, month) == 0) {
			char amount[32];
			money_format(v->sp[i].amount, amount);
			html_text(h, amount);
			HTML(h, "</td>");
			return;
		}
	HTML(h, "—</td>");
}

static void sources_table(struct page *p, const struct settings_view *v)
{
	struct html *h = &p->h;
	if (v->nsrc == 0) {
		HTML(h, "<p class=\"empty\">");
		Tw(h, "No lead sources yet.");
		HTML(h, "</p>");
		return;
	}
	HTML(h, "<div class=\"scroll\"><table><caption>");
	Tw(h, "Spend of the last three months");
	HTML(h, "</caption><thead><tr><th scope=\"col\">");
	Tw(h, "Lead source");
	HTML(h, "</th>");
	for (int m = 0; m < 3; m++) {
		HTML(h, "<th scope=\"col\" class=\"num\">");
		html_text(h, v->month[m]);
		HTML(h, "</th>");
	}
	HTML(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < v->nsrc && i < CATALOG_SHOWN; i++) {
		HTML(h, "<tr><th scope=\"row\">");
		html_text(h, v->src[i].name);
		HTML(h, "</th>");
		for (int m = 0; m < 3; m++)
			spend_cell(h, v, v->src[i].id, v->month[m]);
		HTML(h, "</tr>");
	}
	HTML(h, "</tbody></table></div>");
}

static void spend_form(struct page *p, const struct field_redo *rd, const struct settings_view *v)
{
	struct html *h = &p->h;
	struct field_writer w = {.p = p, .rd = rd, .form = "spend"};
	static const char *const fields[] = {"source", "month", "amount", NULL};
	if (v->nsrc == 0)
		return;
	size_t n = v->nsrc < CATALOG_SHOWN ? v->nsrc : CATALOG_SHOWN;
	struct field_opt *o = ARENA_ARRAY(&p->r->a, struct field_opt, n);
	for (size_t i = 0; i < n; i++)
		o[i] = (struct field_opt){
		    .value = arena_printf(&p->r->a, "%lld", (long long)v->src[i].id),
		    .label = v->src[i].name,
		    .lang = ""};
	HTML(h, "<h3>");
	Tw(h, "Monthly spend");
	HTML(h, "</h3>");
	field_saved_notice(p, "spend");
	HTML(h, "<form method=\"post\" action=\"/settings/spend\" class=\"add\">");
	page_csrf(p);
	field_alert(&w, fields);
	field_select(&w, "source", N_("Lead source"), NULL, o, n, o[0].value);
	field_input(&w, &spend_inputs[0], v->month[2]);
	field_input(&w, &spend_inputs[1], "");
	field_button(h, N_("Save spend"));
	HTML(h, "</form>");
}

static void sources_section(struct page *p, const struct field_redo *rd,
			    const struct settings_view *v)
{
	struct html *h = &p->h;
	struct field_writer w = {.p = p, .rd = rd, .form = "source"};
	static const char *const fields[] = {"name", NULL};
	HTML(h, "<section id=\"sources\" aria-labelledby=\"sources-h\"><h2 id=\"sources-h\">");
	Tw(h, "Lead sources and monthly spend");
	HTML(h, "</h2>");
	field_saved_notice(p, "source");
	sources_table(p, v);
	HTML(h, "<h3>");
	Tw(h, "Add a lead source");
	HTML(h, "</h3><form method=\"post\" action=\"/settings/sources\" class=\"add\">");
	page_csrf(p);
	field_alert(&w, fields);
	field_input(&w, &segment_inputs[0], ""); /* a source has a name too */
	field_button(h, N_("Add source"));
	HTML(h, "</form>");
	spend_form(p, rd, v);
	HTML(h, "</section>");
}

static void settings_render(struct req *r, const struct field_redo *rd, int status)
{
	struct settings_view v = {0};
	struct nc_err err = {0};
	if (settings_load(r, &v, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct page p;
	struct html *h = &p.h;
	page_begin(&p, r, page_tr(r, "Settings"), "settings");
	HTML(h, "<h1>");
	Tw(h, "Settings");
	HTML(h, "</h1>");
	team_section(&p, rd, &v);
	phrases_section(&p, rd, &v);
	segments_section(&p, rd, &v);
	sources_section(&p, rd, &v);
	if (r->user.role == ROLE_ADMIN) {
		HTML(h, "<section id=\"users\" aria-labelledby=\"users-h\"><h2 id=\"users-h\">");
		Tw(h, "Users");
		HTML(h, "</h2><p><a href=\"/settings/users\">");
		Tw(h, "Add users, change their roles, extensions and passwords");
		HTML(h, "</a></p></section>");
	}
	page_end(&p, status);
}

void page_settings(struct req *r)
{
	settings_render(r, NULL, 200);
}

/* lines_json turns text of one phrase per line into the stored JSON list (blank lines go). */
static const char *lines_json(struct req *r, const char *text)
{
	json_t *arr = json_array();
	for (const char *s = text; *s;) {
		size_t n = strcspn(s, "\n");
		const char *e = s + n;
		while (s < e && strchr(" \t\r", *s))
			s++;
		const char *b = e;
		while (b > s && strchr(" \t\r", b[-1]))
			b--;
		if (b > s)
			json_array_append_new(arr, json_stringn(s, (size_t)(b - s)));
		s = *e ? e + 1 : e;
	}
	char *dump = json_dumps(arr, JSON_COMPACT);
	const char *out = arena_strdup(&r->a, dump);
	free(dump);
	json_decref(arr);
	return out;
}

void page_settings_post(struct req *r)
{
	struct form f;
	struct nc_err err = {0};
	if (page_form(r, &f) < 0)
		return;
	size_t n = 0, max = 0;
	while (setting_defs[max].key)
		max++;
	const char **keys = ARENA_ARRAY(&r->a, const char *, max + 1);
	const char **values = ARENA_ARRAY(&r->a, const char *, max + 1);
	for (const struct setting_def *d = setting_defs; d->key; d++) {
		const char *v = form_get(&f, d->key), *stored;
		if (d->type == SET_BOOL) /* on the form as a checkbox, not sent when unchecked */
			v = v ? "true" : "false";
		if (!v || (d->secret && !*v)) /* not on the form; a secret left empty: unchanged */
			continue;
		if (d->type == SET_LIST)
			v = lines_json(r, v);
		if (app_setting_get(&r->app, d->key, &stored, &err) < 0) {
			page_fail(r, &err);
			return;
		}
		if (strcmp(stored, v) != 0) { /* only what changed: one audit row per change */
			keys[n] = d->key;
			values[n++] = v;
		}
	}
	if (n && app_settings_update(&r->app, keys, values, n, &err) < 0) {
		field_refused(r, "settings", &f, &err, settings_render);
		return;
	}
	page_redirect(r, "/settings?saved=settings#team");
}

void page_segment_add(struct req *r)
{
	struct form f;
	struct nc_err err = {0};
	if (page_form(r, &f) < 0)
		return;
	const char *name = form_get(&f, "name"), *max = form_get(&f, "max_days");
	long lo = 0, hi = 0;
	int64_t id;
	if (form_long(form_get(&f, "min_days"), -99999, 99999, &lo) < 0)
		nc_error_field(&err, NC_EINVAL, "min_days", "min_days: want a number of days");
	else if (max && *max && form_long(max, -99999, 99999, &hi) < 0)
		nc_error_field(&err, NC_EINVAL, "max_days", "max_days: want a number of days");
	else if (app_segment_add_days(&r->app, name ? name : "", (int)lo,
				      (int)(max && *max ? hi : lo), &id, &err) == 0) {
		page_redirect(r, "/settings?saved=segment#segments");
		return;
	}
	field_refused(r, "segment", &f, &err, settings_render);
}

void page_source_add(struct req *r)
{
	struct form f;
	struct nc_err err = {0};
	int64_t id;
	if (page_form(r, &f) < 0)
		return;
	const char *name = form_get(&f, "name");
	if (app_source_add(&r->app, name ? name : "", &id, &err) < 0) {
		field_refused(r, "source", &f, &err, settings_render);
		return;
	}
	page_redirect(r, "/settings?saved=source#sources");
}

void page_spend_set(struct req *r)
{
	struct form f;
	struct nc_err err = {0};
	long id;
	if (page_form(r, &f) < 0)
		return;
	if (form_long(form_get(&f, "source"), 1, 0x7fffffffL, &id) < 0) {
		nc_error_field(&err, NC_EINVAL, "source", "source: choose a lead source");
	} else if (app_spend_set_id(&r->app, id, form_get(&f, "month"), form_get(&f, "amount"),
				    &err) == 0) {
		page_redirect(r, "/settings?saved=spend#sources");
		return;
	} else if (err.code == NC_ENOTFOUND) { /* removed since the page was shown */
		nc_error_field(&err, NC_EINVAL, "source", "source: no lead source %ld", id);
	}
	field_refused(r, "spend", &f, &err, settings_render);
}
