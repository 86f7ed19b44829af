/* api_reports.c - GET /api/v1/reports/stats|funnel|reps: the head of sales' reports as JSON (the
 * CLI's --format json contract, app/json.h), or as the CSV and XLSX exports (report_tables.c)
 * with ?format=csv|xlsx. A period is ?from=YYYY-MM-DD&to=YYYY-MM-DD (both days included; this
 * month so far when absent); ?rep, ?source and ?segment narrow it. */
#include "app/json.h"
#include "app/report_tables.h"
#include "util/time.h"
#include "web/api.h"

#include <stdio.h>
#include <string.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

enum format { F_JSON, F_CSV, F_XLSX };

/* The request's period, filters and format. */
struct ask {
	struct report_filter f;
	enum format fmt;
	char from[11], to[11];
};

static const char *param(struct req *r, const char *key)
{
	const char *v = http_query(r, key);
	return v && *v ? v : NULL;
}

/* date_ok checks a YYYY-MM-DD query value: 422 naming key when it is not a real date. */
static int date_ok(struct req *r, const char *key, const char *v)
{
	int y, m, d;
	struct nc_err err = {0};
	if (strlen(v) != 10 || time_parse_date(v, &y, &m, &d, key, &err) < 0) {
		http_error(r, 422, "invalid", key, "%s must be a date YYYY-MM-DD, not \"%.40s\"",
			   key, v);
		return -1;
	}
	return 0;
}

/* ask_read reads the query; answers (400 or 422 naming the parameter) and returns -1 when bad. */
static int ask_read(struct req *r, struct ask *a)
{
	memset(a, 0, sizeof(*a));
	const char *fmt = param(r, "format");
	if (!fmt || strcmp(fmt, "json") == 0)
		a->fmt = F_JSON;
	else if (strcmp(fmt, "csv") == 0)
		a->fmt = F_CSV;
	else if (strcmp(fmt, "xlsx") == 0)
		a->fmt = F_XLSX;
	else {
		http_error(r, 400, "invalid", "format",
			   "format must be json, csv or xlsx, not \"%.20s\"", fmt);
		return -1;
	}
	struct nc_tm now;
	time_local_parts(http_zone(r), r->app.now, &now);
	snprintf(a->from, sizeof(a->from), "%04u-%02u-01", (unsigned)now.year % 10000u,
		 (unsigned)now.month % 100u);
	snprintf(a->to, sizeof(a->to), "%04u-%02u-%02u", (unsigned)now.year % 10000u,
		 (unsigned)now.month % 100u, (unsigned)now.day % 100u);
	a->f.from = param(r, "from") ? param(r, "from") : a->from;
	a->f.to = param(r, "to") ? param(r, "to") : a->to;
	if (date_ok(r, "from", a->f.from) < 0 || date_ok(r, "to", a->f.to) < 0)
		return -1;
	if (strcmp(a->f.from, a->f.to) > 0) {
		http_error(r, 422, "invalid", "to", "to (%s) is before from (%s)", a->f.to,
			   a->f.from);
		return -1;
	}
	a->f.rep = param(r, "rep");
	a->f.source = param(r, "source");
	a->f.segment = param(r, "segment");
	return 0;
}

/* fail answers a report's error: a refused period is 422 naming its field, the rest as usual. */
static void fail(struct req *r, const struct nc_err *err)
{
	if (err->code == NC_EINVAL &&
	    (strcmp(err->field, "from") == 0 || strcmp(err->field, "to") == 0))
		http_error(r, 422, "invalid", err->field, "%s", err->msg);
	else
		http_fail(r, err);
}

/* export answers tables as a CSV or XLSX attachment named after the report and the period. */
static void export(struct req *r, const struct ask *a, const char *report, const struct table *t,
		   size_t n)
{
	char name[96];
	snprintf(name, sizeof(name), "attachment; filename=\"nextcall-%s-%.10s-%.10s.%s\"", report,
		 a->f.from, a->f.to, a->fmt == F_CSV ? "csv" : "xlsx");
	struct buf out;
	buf_init(&out, 0);
	if (a->fmt == F_CSV) {
		table_csv(t, n, &out);
		http_body(r, 200, "text/csv; charset=utf-8", out.data, out.len);
	} else {
		struct nc_err err = {0};
		if (table_xlsx_bytes(t, n, &out, &err) < 0) {
			http_fail(r, &err);
			buf_release(&out);
			return;
		}
		http_body(r, 200, XLSX_TYPE, out.data, out.len);
	}
	http_header_set(r, "Content-Disposition", name);
	buf_release(&out);
}

void api_reports_stats(struct req *r)
{
	struct ask a;
	struct report_stats s;
	struct nc_err err = {0};
	if (ask_read(r, &a) < 0)
		return;
	if (app_report_stats(&r->app, &a.f, &s, &err) < 0) {
		fail(r, &err);
		return;
	}
	if (a.fmt == F_JSON) {
		http_json(r, 200, json_of_report_stats(&s));
		return;
	}
	struct table t[REPORT_TABLES_MAX];
	size_t n;
	report_stats_tables(&s, &r->a, t, &n);
	export(r, &a, "stats", t, n);
}

void api_reports_funnel(struct req *r)
{
	struct ask a;
	struct report_funnel f;
	struct nc_err err = {0};
	if (ask_read(r, &a) < 0)
		return;
	if (app_report_funnel(&r->app, &a.f, &f, &err) < 0) {
		fail(r, &err);
		return;
	}
	if (a.fmt == F_JSON) {
		http_json(r, 200, json_of_report_funnel(&f));
		return;
	}
	struct table t[REPORT_TABLES_MAX];
	size_t n;
	report_funnel_tables(&f, &r->a, t, &n);
	export(r, &a, "funnel", t, n);
}

void api_reports_reps(struct req *r)
{
	struct ask a;
	struct report_reps rr;
	struct nc_err err = {0};
	if (ask_read(r, &a) < 0)
		return;
	if (app_report_reps(&r->app, &a.f, &rr, &err) < 0) {
		fail(r, &err);
		return;
	}
	if (a.fmt == F_JSON) {
		http_json(r, 200, json_of_report_reps(&rr));
		return;
	}
	struct table t[REPORT_TABLES_MAX];
	size_t n;
	report_reps_tables(&rr, &r->a, t, &n);
	export(r, &a, "reps", t, n);
}
