/* page_reports.c - the head of sales' report page ("/reports"): a period (this month, last month,
 * the last 7 days or any dates) and filters, the method's six numbers against the previous
 * period, the charts drawn as inline SVG, the funnel, the per-rep table with the reps under the
 * allowed conversion marked, the sources with their cost per call and sale, the forecast, and
 * the CSV and XLSX exports of each report. Numbers are written exactly as the exports write them
 * (report_tables.c, table_cell_str). */
#include "app/report_tables.h"
#include "io/svg.h"
#include "util/time.h"
#include "web/page.h"
#include "web/pages.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The row labels of the summary table (report_tables.c), in its order, for translation. */
static const char *const summary_labels[] = {
    N_("Incoming calls"),
    N_("Effective calls"),
    N_("Talk minutes"),
    N_("Talk minutes per call"),
    N_("Offers made"),
    N_("Pending purchases"),
    N_("Goods sold"),
    N_("Sold amount"),
    N_("Average check"),
    N_("Outgoing calls"),
    N_("Missed calls"),
    N_("Answered by the third ring"),
    N_("Missed calls called back in time"),
    N_("Maximum goal reached"),
    N_("Minimum goal reached"),
    N_("Call to next step"),
    N_("Next step to sale"),
    N_("Call to sale"),
    N_("Ad spend"),
    N_("Cost per call"),
    N_("Cost per sale"),
    N_("Median sales cycle, days"),
    N_("Forecast: sales next period"),
    N_("Forecast: amount next period"),
};
#define METHOD_ROWS 9 /* the method's six numbers take the first nine rows */

/* The period and the filters of the page, as the form and the export links carry them. */
struct view {
	const char *preset; /* this_month, last_month, last_7, custom */
	char from[11], to[11];
	struct report_filter f;
};

static const char *param(struct req *r, const char *key)
{
	const char *v = http_query(r, key);
	return v && *v ? v : NULL;
}

static void ymd(char out[11], int y, int m, int d)
{
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
}

/* preset_dates sets the period of a preset from today in the user's zone. */
static void preset_dates(struct req *r, struct view *v)
{
	struct nc_tm now, week;
	time_local_parts(http_zone(r), r->app.now, &now);
	if (strcmp(v->preset, "last_month") == 0) {
		int y = now.month == 1 ? now.year - 1 : now.year,
		    m = now.month == 1 ? 12 : now.month - 1;
		int64_t first, end;
		time_day_bounds(http_zone(r), 0, now.year, now.month, 1, &first, &end);
		struct nc_tm last;
		time_local_parts(http_zone(r), first - 1, &last); /* the day before the 1st */
		ymd(v->from, y, m, 1);
		ymd(v->to, last.year, last.month, last.day);
	} else if (strcmp(v->preset, "last_7") == 0) {
		time_local_parts(http_zone(r), r->app.now - 6 * 86400, &week);
		ymd(v->from, week.year, week.month, week.day);
		ymd(v->to, now.year, now.month, now.day);
	} else {
		ymd(v->from, now.year, now.month, 1);
		ymd(v->to, now.year, now.month, now.day);
	}
}

static void view_read(struct req *r, struct view *v)
{
	memset(v, 0, sizeof(*v));
	v->preset = param(r, "preset");
	const char *from = param(r, "from"), *to = param(r, "to");
	if (!v->preset)
		v->preset = from || to ? "custom" : "this_month";
	if (strcmp(v->preset, "custom") != 0 && strcmp(v->preset, "last_month") != 0 &&
	    strcmp(v->preset, "last_7") != 0)
		v->preset = "this_month";
	preset_dates(r, v);
	v->f.from = v->from;
	v->f.to = v->to;
	if (strcmp(v->preset, "custom") == 0) {
		v->f.from = from ? from : v->from; /* checked by the report itself */
		v->f.to = to ? to : v->to;
	}
	v->f.rep = param(r, "rep");
	v->f.source = param(r, "source");
	v->f.segment = param(r, "segment");
}

/* ---- the form ---- */

static void field_open(struct html *h, const char *id, const char *label)
{
	HTML(h, "<div class=\"field\"><label");
	html_attr(h, "for", id);
	HTML(h, ">");
	Tw(h, label);
	HTML(h, "</label>");
}

static void field_error(struct html *h, const struct nc_err *err, const char *field)
{
	if (!err || strcmp(err->field, field) != 0)
		return;
	HTML(h, "<p class=\"field-error\" role=\"alert\">");
	Tw(h, "This date is not valid: use YYYY-MM-DD, and a start not after the end.");
	HTML(h, " <small lang=\"en\">");
	html_text(h, err->msg);
	HTML(h, "</small></p>");
}

static void select_catalog(struct page *p, const char *name, const char *current, bool segments)
{
	struct html *h = &p->h;
	struct nc_err err = {0};
	size_t n = 0;
	HTML(h, "<select");
	html_attr(h, "name", name);
	html_attr(h, "id", name);
	HTML(h, ">");
	html_option(h, "", T(h, segments ? "Any segment" : "Any source"), current);
	if (segments) {
		struct segment_rec *s;
		if (app_segment_list(&p->r->app, &s, &n, &err) == 0)
			for (size_t i = 0; i < n; i++)
				html_option(h, s[i].name, s[i].name, current);
	} else {
		struct source_rec *s;
		if (app_source_list(&p->r->app, &s, &n, &err) == 0)
			for (size_t i = 0; i < n; i++)
				html_option(h, s[i].name, s[i].name, current);
	}
	HTML(h, "</select></div>");
}

static void select_rep(struct page *p, const char *current)
{
	struct html *h = &p->h;
	struct user_rec *u;
	size_t n = 0;
	struct nc_err err = {0};
	HTML(h, "<select name=\"rep\" id=\"rep\">");
	html_option(h, "", T(h, "Everyone"), current);
	if (app_user_list_active(&p->r->app, &u, &n, &err) == 0)
		for (size_t i = 0; i < n; i++)
			if (u[i].role == ROLE_REP)
				html_option(h, u[i].login, u[i].name, current);
	HTML(h, "</select></div>");
}

static void filter_form(struct page *p, const struct view *v, const struct nc_err *err)
{
	static const struct {
		const char *value, *label;
	} presets[] = {
	    {"this_month", N_("This month")},
	    {"last_month", N_("Last month")},
	    {"last_7", N_("Last 7 days")},
	    {"custom", N_("Dates below")},
	};
	struct html *h = &p->h;
	HTML(h, "<form method=\"get\" action=\"/reports\" class=\"filters\">");
	field_open(h, "preset", N_("Period"));
	HTML(h, "<select name=\"preset\" id=\"preset\">");
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
		html_option(h, presets[i].value, T(h, presets[i].label), v->preset);
	HTML(h, "</select></div>");
	field_open(h, "from", N_("From"));
	HTML(h, "<input type=\"date\" name=\"from\" id=\"from\"");
	html_attr(h, "value", v->f.from);
	HTML(h, ">");
	field_error(h, err, "from");
	HTML(h, "</div>");
	field_open(h, "to", N_("To"));
	HTML(h, "<input type=\"date\" name=\"to\" id=\"to\"");
	html_attr(h, "value", v->f.to);
	HTML(h, ">");
	field_error(h, err, "to");
	HTML(h, "</div>");
	field_open(h, "rep", N_("Rep"));
	select_rep(p, v->f.rep);
	field_open(h, "source", N_("Lead source"));
	select_catalog(p, "source", v->f.source, false);
	field_open(h, "segment", N_("Segment"));
	select_catalog(p, "segment", v->f.segment, true);
	HTML(h, "<button type=\"submit\">");
	Tw(h, "Show");
	HTML(h, "</button></form><p class=\"muted\">");
	Tw(h, "Choosing dates takes them as they are; a period preset sets them for you.");
	HTML(h, "</p>");
}

/* exports writes the CSV and XLSX links of one report with the page's period and filters. */
static void exports(struct page *p, const struct view *v, const char *report)
{
	struct html *h = &p->h;
	static const char *const formats[] = {"csv", "xlsx"};
	HTML(h, "<p class=\"exports\">");
	Tw(h, "Download:");
	for (size_t i = 0; i < 2; i++) {
		HTML(h, " <a download href=\"/api/v1/reports/");
		html_text(h, report);
		HTML(h, "?from=");
		html_url_part(h, v->f.from);
		HTML(h, "&amp;to=");
		html_url_part(h, v->f.to);
		const char *keys[] = {"rep", "source", "segment"};
		const char *vals[] = {v->f.rep, v->f.source, v->f.segment};
		for (size_t k = 0; k < 3; k++) {
			if (!vals[k])
				continue;
			HTML(h, "&amp;");
			html_text(h, keys[k]);
			HTML(h, "=");
			html_url_part(h, vals[k]);
		}
		HTML(h, "&amp;format=");
		html_text(h, formats[i]);
		HTML(h, "\">");
		html_text(h, i == 0 ? "CSV" : "XLSX");
		HTML(h, "</a>");
	}
	HTML(h, "</p>");
}

/* ---- tables ---- */

/* cell writes one cell as the exports show it, numbers right-aligned. */
static void cell(struct html *h, const struct cell *c, struct buf *tmp)
{
	buf_reset(tmp);
	table_cell_str(c, tmp);
	if (c->t == CELL_TEXT || c->t == CELL_EMPTY)
		HTML(h, "<td>");
	else
		HTML(h, "<td class=\"num\">");
	html_text(h, tmp->data);
	HTML(h, "</td>");
}

/* head writes a table's header row with translated column names (n of them). */
static void head(struct html *h, const char *const *cols, size_t n)
{
	HTML(h, "<thead><tr>");
	for (size_t i = 0; i < n; i++) {
		HTML(h, "<th scope=\"col\">");
		Tw(h, cols[i]);
		HTML(h, "</th>");
	}
	HTML(h, "</tr></thead>");
}

static void summary_table(struct page *p, const struct table *t, struct buf *tmp)
{
	static const char *const cols[] = {N_("Metric"), N_("This period"), N_("Previous period"),
					   N_("Change")};
	struct html *h = &p->h;
	size_t nlabels = sizeof(summary_labels) / sizeof(summary_labels[0]);
	HTML(h, "<div class=\"scroll\"><table class=\"report-summary\">");
	head(h, cols, 4);
	HTML(h, "<tbody class=\"method\">");
	for (size_t r = 0; r < t->nrows; r++) {
		const struct cell *row = t->cells + r * t->ncols;
		if (r == METHOD_ROWS)
			HTML(h, "</tbody><tbody>");
		HTML(h, "<tr><th scope=\"row\">");
		/* the page's own labels in the table's order; English if the two ever disagree */
		if (t->nrows == nlabels)
			Tw(h, summary_labels[r]);
		else
			html_text(h, row[0].s);
		HTML(h, "</th>");
		for (size_t i = 1; i < t->ncols; i++)
			cell(h, &row[i], tmp);
		HTML(h, "</tr>");
	}
	HTML(h, "</tbody></table></div>");
}

/* plain_table writes t with translated column names; highlight (may be NULL) marks rows. */
static void plain_table(struct page *p, const struct table *t, const char *const *cols,
			const bool *highlight, struct buf *tmp)
{
	struct html *h = &p->h;
	HTML(h, "<div class=\"scroll\"><table>");
	head(h, cols, t->ncols);
	HTML(h, "<tbody>");
	for (size_t r = 0; r < t->nrows; r++) {
		const struct cell *row = t->cells + r * t->ncols;
		bool hl = highlight && highlight[r];
		if (hl)
			HTML(h, "<tr class=\"overdue below\">");
		else
			HTML(h, "<tr>");
		for (size_t i = 0; i < t->ncols; i++) {
			if (i == 0) {
				HTML(h, "<th scope=\"row\">");
				html_text(h, row[0].s);
				if (hl) {
					HTML(h, " <span class=\"badge missed\">");
					Tw(h, "below the allowed level");
					HTML(h, "</span>");
				}
				HTML(h, "</th>");
			} else {
				cell(h, &row[i], tmp);
			}
		}
		HTML(h, "</tr>");
	}
	HTML(h, "</tbody></table></div>");
}

/* ---- charts ---- */

static void chart_calls(struct page *p, const struct report_stats *s)
{
	struct arena *a = &p->r->a;
	const char **labels = ARENA_ARRAY(a, const char *, s->ndays + 1);
	double *v[3];
	for (int k = 0; k < 3; k++)
		v[k] = ARENA_ARRAY(a, double, s->ndays + 1);
	for (size_t i = 0; i < s->ndays; i++) {
		const char *d = s->days[i].date;
		if (s->monthly) /* YYYY-MM; the first and last may hold part of their month */
			labels[i] = s->days[i].month;
		else
			labels[i] = d && strlen(d) == 10 ? d + 5 : d; /* MM-DD */
		v[0][i] = (double)s->days[i].incoming;
		v[1][i] = (double)s->days[i].outgoing;
		v[2][i] = (double)s->days[i].missed;
	}
	struct chart_series series[] = {
	    {T(&p->h, "Incoming"), v[0]}, {T(&p->h, "Outgoing"), v[1]}, {T(&p->h, "Missed"), v[2]}};
	struct chart c = {.title =
			      s->monthly ? T(&p->h, "Calls per month") : T(&p->h, "Calls per day"),
			  .labels = labels,
			  .npoints = s->ndays,
			  .series = series,
			  .nseries = 3,
			  .mark = -1,
			  .empty_text = T(&p->h, "No calls in this period")};
	svg_lines(&c, p->h.out);
}

static void chart_funnel(struct page *p, const struct report_funnel *f)
{
	struct arena *a = &p->r->a;
	const char **labels = ARENA_ARRAY(a, const char *, f->n + 1);
	double *v = ARENA_ARRAY(a, double, f->n + 1);
	for (size_t i = 0; i < f->n; i++) {
		labels[i] = f->stages[i].label ? f->stages[i].label : f->stages[i].key;
		v[i] = (double)f->stages[i].count;
	}
	struct chart_series series = {T(&p->h, "Count"), v};
	struct chart c = {.title = T(&p->h, "Funnel"),
			  .labels = labels,
			  .npoints = f->n,
			  .series = &series,
			  .nseries = 1,
			  .mark = -1,
			  .empty_text = T(&p->h, "No funnel stages are set")};
	svg_funnel(&c, p->h.out);
}

static void chart_reps(struct page *p, const struct report_reps *rr)
{
	struct arena *a = &p->r->a;
	const char **labels = ARENA_ARRAY(a, const char *, rr->n + 1);
	double *v = ARENA_ARRAY(a, double, rr->n + 1);
	for (size_t i = 0; i < rr->n; i++) {
		labels[i] =
		    rr->rows[i].name && *rr->rows[i].name ? rr->rows[i].name : rr->rows[i].login;
		v[i] = rr->rows[i].conversion;
	}
	struct chart_series series = {T(&p->h, "Conversion"), v};
	struct chart c = {.title = T(&p->h, "Conversion by rep"),
			  .labels = labels,
			  .npoints = rr->n,
			  .series = &series,
			  .nseries = 1,
			  .percent = true,
			  .mark = rr->allowed_conversion,
			  .mark_label = T(&p->h, "Allowed level"),
			  .empty_text = T(&p->h, "No reps in this report")};
	svg_bars(&c, p->h.out);
}

static void figure(struct page *p, const char *id)
{
	HTML(&p->h, "<figure class=\"chart scroll\"");
	html_attr(&p->h, "id", id);
	HTML(&p->h, ">");
}

/* ---- the page ---- */

static void forecast(struct page *p, const struct report_stats *s, struct buf *tmp)
{
	struct html *h = &p->h;
	HTML(h, "<section id=\"forecast\"><h2>");
	Tw(h, "Forecast");
	HTML(h, "</h2><p>");
	Tw(h, "Next period, from this period's calls, conversion and the median sales cycle:");
	struct cell sold = cell_num(s->forecast_sold), amount = cell_money(0);
	if (s->forecast_amount >= 0)
		amount = cell_money((int64_t)llround(s->forecast_amount));
	HTML(h, " <strong>");
	buf_reset(tmp);
	table_cell_str(&sold, tmp);
	html_text(h, tmp->data);
	HTML(h, "</strong> ");
	Tw(h, "sales for");
	HTML(h, " <strong>");
	buf_reset(tmp);
	table_cell_str(&amount, tmp);
	html_text(h, tmp->data);
	HTML(h, "</strong>.");
	if (s->median_cycle_days >= 0) {
		HTML(h, " ");
		Tw(h, "Median sales cycle, days");
		html_textf(h, ": %.1f.", s->median_cycle_days);
	}
	HTML(h, "</p></section>");
}

static void section_head(struct page *p, const char *id, const char *title)
{
	HTML(&p->h, "<section");
	html_attr(&p->h, "id", id);
	HTML(&p->h, "><h2>");
	Tw(&p->h, title);
	HTML(&p->h, "</h2>");
}

static void render(struct page *p, const struct view *v, const struct report_stats *s,
		   const struct report_funnel *f, const struct report_reps *rr)
{
	static const char *const source_cols[] = {
	    N_("Source"), N_("Calls"),	     N_("Spend"),	 N_("Cost per call"),
	    N_("Sold"),	  N_("Sold amount"), N_("Cost per sale")};
	static const char *const funnel_cols[] = {
	    N_("Stage"),	   N_("Count"),		 N_("Share of previous stage"),
	    N_("Previous period"), N_("Previous share"), N_("Change")};
	static const char *const rep_cols[] = {
	    N_("Login"),	  N_("Name"),	      N_("Incoming calls"),
	    N_("Outgoing calls"), N_("Missed calls"), N_("Effective calls"),
	    N_("Talk minutes"),	  N_("Offers"),	      N_("Sold"),
	    N_("Sold amount"),	  N_("Conversion"),   N_("Allowed conversion"),
	    N_("Below allowed"),  N_("QA score")};
	struct html *h = &p->h;
	struct arena *a = &p->r->a;
	struct table st[REPORT_TABLES_MAX], ft[REPORT_TABLES_MAX], rt[REPORT_TABLES_MAX];
	size_t nst, nft, nrt;
	report_stats_tables(s, a, st, &nst);
	report_funnel_tables(f, a, ft, &nft);
	report_reps_tables(rr, a, rt, &nrt);
	struct buf tmp;
	buf_init(&tmp, 0);

	section_head(p, "stats", N_("Statistics"));
	HTML(h, "<p class=\"muted\">");
	html_textf(h, "%s — %s; ", s->period.from, s->period.to);
	Tw(h, "previous period");
	html_textf(h, " %s — %s", s->prev.from, s->prev.to);
	HTML(h, "</p>");
	summary_table(p, &st[0], &tmp);
	exports(p, v, "stats");
	figure(p, "chart-calls");
	chart_calls(p, s);
	HTML(h, "</figure></section>");

	section_head(p, "funnel", N_("Funnel"));
	figure(p, "chart-funnel");
	chart_funnel(p, f);
	HTML(h, "</figure>");
	plain_table(p, &ft[0], funnel_cols, NULL, &tmp);
	exports(p, v, "funnel");
	HTML(h, "</section>");

	section_head(p, "reps", N_("Reps"));
	figure(p, "chart-reps");
	chart_reps(p, rr);
	HTML(h, "</figure>");
	bool *below = ARENA_ARRAY(a, bool, rt[0].nrows + 1);
	for (size_t i = 0; i < rr->n; i++)
		below[i] = rr->rows[i].below;
	plain_table(p, &rt[0], rep_cols, below, &tmp);
	exports(p, v, "reps");
	HTML(h, "</section>");

	section_head(p, "sources", N_("Lead sources"));
	plain_table(p, &st[1], source_cols, NULL, &tmp);
	HTML(h, "</section>");
	forecast(p, s, &tmp);
	buf_release(&tmp);
}

void page_reports(struct req *r)
{
	struct view v;
	view_read(r, &v);
	struct report_stats s;
	struct report_funnel f;
	struct report_reps rr;
	struct nc_err err = {0};
	int rc = app_report_stats(&r->app, &v.f, &s, &err);
	if (rc == 0)
		rc = app_report_funnel(&r->app, &v.f, &f, &err);
	if (rc == 0)
		rc = app_report_reps(&r->app, &v.f, &rr, &err);
	bool bad_input = rc < 0 && err.code == NC_EINVAL;
	if (rc < 0 && !bad_input) {
		page_fail(r, &err);
		return;
	}
	struct page p;
	page_begin(&p, r, page_tr(r, "Reports"), "reports");
	HTML(&p.h, "<h1>");
	Tw(&p.h, "Reports");
	HTML(&p.h, "</h1>");
	filter_form(&p, &v, bad_input ? &err : NULL);
	if (bad_input) {
		if (strcmp(err.field, "from") != 0 && strcmp(err.field, "to") != 0) {
			HTML(&p.h, "<p class=\"field-error\" role=\"alert\">");
			Tw(&p.h, "This filter is not valid; change it and search again.");
			HTML(&p.h, " <small lang=\"en\">");
			html_text(&p.h, err.msg);
			HTML(&p.h, "</small></p>");
		}
		page_end(&p, 422);
		return;
	}
	render(&p, &v, &s, &f, &rr);
	page_end(&p, 0);
}
