/* reports.c - the head of sales' numbers (METHOD.md §6): statistics with the previous period,
 * cost per call by source, the forecast, the funnel and the reps' table. Every number is a sum
 * of the daily rollups (store/q_reports.c) over the period's days, so a report reads a few
 * thousand rollup rows whatever the number of calls; only pending purchases and the sales
 * cycle are read live, from the few rows they need. docs/reports.md defines each number. */
#include "app/app.h"
#include "util/time.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PERIOD_DAYS	  3700 /* ten years: more is a typing mistake, and a huge days array */
#define CYCLE_WINDOW_DAYS 365
#define BIT(c)		  (1u << (c))

/* ---- keeping the rollups in step with the settings ---- */

/* wanted gives the params the team's settings ask for now. */
static int wanted(struct app *app, struct report_params *p, struct nc_err *err)
{
	struct team_settings ts;
	if (app_settings_load(app, &ts, err) < 0)
		return -1;
	p->timezone = ts.timezone && *ts.timezone ? ts.timezone : "UTC";
	p->ring_limit_s = ts.ring_limit_s;
	p->callback_delay_s = ts.callback_delay_min * 60;
	p->built = true;
	return 0;
}

static bool same_params(const struct report_params *a, const struct report_params *b)
{
	return a->built == b->built && strcmp(a->timezone, b->timezone) == 0 &&
	       a->ring_limit_s == b->ring_limit_s && a->callback_delay_s == b->callback_delay_s;
}

int app_report_sync(struct app *app, struct nc_err *err)
{
	struct report_params have, want;
	app->settings = NULL; /* a setting may have just changed in this transaction */
	if (store_report_params(app->db, app->a, &have, err) < 0 || wanted(app, &want, err) < 0)
		return -1;
	if (same_params(&have, &want))
		return 0;
	return store_report_rebuild(app->db, &want, app->now, err);
}

/* ensure_built rebuilds the rollups in a transaction of their own when they are not built or
 * were counted with other settings (a first report after an upgrade, a copy, a bulk load). */
static int ensure_built(struct app *app, struct nc_err *err)
{
	struct report_params have, want;
	if (store_report_params(app->db, app->a, &have, err) < 0 || wanted(app, &want, err) < 0)
		return -1;
	if (same_params(&have, &want))
		return 0;
	if (db_begin(app->db, err) < 0)
		return -1;
	if (app_report_sync(app, err) < 0) {
		db_rollback(app->db);
		return -1;
	}
	return db_commit(app->db, err);
}

/* ---- the filter ---- */

/* A resolved filter: the selection of rollup rows and the period. */
struct resolved {
	struct report_sel sel;
	struct report_period period, prev;
	int64_t from_day, to_day;
	const char *tz;
	const char *rep_login;
};

static int parse_day(const char *s, const char *field, int64_t *day, struct nc_err *err)
{
	int y, m, d;
	if (!s || !*s)
		return nc_error_field(err, NC_EINVAL, field, "%s: a date YYYY-MM-DD is required",
				      field);
	if (time_parse_date(s, &y, &m, &d, field, err) < 0)
		return -1;
	*day = report_day_number(y, m, d);
	return 0;
}

static void fill_period(struct app *app, const char *tz, int64_t from, int64_t to,
			struct report_period *p)
{
	char buf[16];
	int64_t s, e;
	report_day_date(from, buf);
	p->from = arena_strdup(app->a, buf);
	report_day_date(to, buf);
	p->to = arena_strdup(app->a, buf);
	report_day_bounds(tz, from, &p->start, &e);
	report_day_bounds(tz, to, &s, &p->end);
	p->days = (int)(to - from + 1);
}

static int resolve(struct app *app, const struct report_filter *f, struct resolved *r,
		   struct nc_err *err)
{
	memset(r, 0, sizeof(*r));
	r->sel.rep_id = r->sel.source_id = r->sel.segment_id = -1;
	if (parse_day(f->from, "from", &r->from_day, err) < 0 ||
	    parse_day(f->to, "to", &r->to_day, err) < 0)
		return -1;
	if (r->from_day > r->to_day)
		return nc_error_field(err, NC_EINVAL, "from", "from %s is after to %s", f->from,
				      f->to);
	if (r->to_day - r->from_day + 1 > MAX_PERIOD_DAYS)
		return nc_error_field(err, NC_EINVAL, "to", "to: a period of at most %d days",
				      MAX_PERIOD_DAYS);
	const char *rep = f->rep && *f->rep ? f->rep : NULL;
	if (!app_is_manager(app)) { /* a rep sees his own numbers only */
		if (rep && strcmp(rep, app->actor->login) != 0)
			return nc_error_field(err, NC_EFORBIDDEN, "rep",
					      "a rep sees only his own numbers");
		rep = app->actor->login;
	}
	if (rep) {
		struct user_rec u;
		int rc = store_user_by_login(app->db, app->a, rep, &u, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return nc_error_field(err, NC_ENOTFOUND, "rep", "no user \"%.60s\"", rep);
		r->sel.rep_id = u.id;
		r->rep_login = u.login;
	}
	if (f->source && *f->source) {
		struct source_rec s;
		int rc = store_source_by_name(app->db, app->a, f->source, &s, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return nc_error_field(err, NC_ENOTFOUND, "source", "no source \"%.60s\"",
					      f->source);
		r->sel.source_id = s.id;
	}
	if (f->segment && *f->segment) {
		struct segment_rec s;
		int rc = store_segment_by_name(app->db, app->a, f->segment, &s, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return nc_error_field(err, NC_ENOTFOUND, "segment", "no segment \"%.60s\"",
					      f->segment);
		r->sel.segment_id = s.id;
	}
	struct report_params want;
	if (wanted(app, &want, err) < 0)
		return -1;
	r->tz = want.timezone;
	int64_t days = r->to_day - r->from_day + 1;
	fill_period(app, r->tz, r->from_day, r->to_day, &r->period);
	fill_period(app, r->tz, r->from_day - days, r->from_day - 1, &r->prev);
	return ensure_built(app, err);
}

/* ---- numbers ---- */

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

/* calls_base: the calls that count as calls in the rates: inbound answered and outbound. */
static int64_t calls_base(const int64_t *c)
{
	return c[RC_ANSWERED] + c[RC_OUTGOING];
}

static void numbers_of(const int64_t *c, int64_t pending, struct report_numbers *n)
{
	memset(n, 0, sizeof(*n));
	n->incoming_calls = c[RC_INCOMING];
	n->outgoing_calls = c[RC_OUTGOING];
	n->missed_calls = c[RC_MISSED];
	n->answered_calls = c[RC_ANSWERED];
	n->answered_in_time = c[RC_ANSWERED_IN_TIME];
	n->callbacks_in_time = c[RC_CALLBACKS_IN_TIME];
	n->effective_calls = c[RC_EFFECTIVE];
	n->max_calls = c[RC_MAX];
	n->min_calls = c[RC_MIN];
	n->talk_seconds = c[RC_TALK_S];
	n->step_calls = c[RC_STEP_CALLS];
	n->meetings = c[RC_MEETINGS];
	n->offers = c[RC_OFFERS];
	n->offers_amount = c[RC_OFFERS_AMOUNT];
	n->pending = pending;
	n->sold = c[RC_SOLD];
	n->sold_amount = c[RC_SOLD_AMOUNT];
	int64_t base = calls_base(c);
	n->talk_per_call = ratio((double)c[RC_TALK_S], (double)c[RC_CONNECTED]);
	n->average_check = ratio((double)n->sold_amount, (double)n->sold);
	n->answered_in_time_share = ratio((double)n->answered_in_time, (double)n->answered_calls);
	n->callbacks_in_time_share = ratio((double)n->callbacks_in_time, (double)n->missed_calls);
	n->max_rate = ratio((double)n->max_calls, (double)base);
	n->min_rate = ratio((double)n->min_calls, (double)base);
	n->call_to_step = ratio((double)n->step_calls, (double)base);
	n->step_to_sale = ratio((double)n->sold, (double)n->step_calls);
	n->call_to_sale = ratio((double)n->sold, (double)base);
}

/* sums_total gives the counters of sel over [from, to] (zeros when there is no row). */
static int sums_total(struct app *app, const struct report_sel *base, int64_t from, int64_t to,
		      int64_t *c, struct nc_err *err)
{
	struct report_sel sel = *base;
	sel.day_from = from;
	sel.day_to = to;
	struct report_sum *rows;
	size_t n;
	memset(c, 0, sizeof(int64_t) * RC__COUNT);
	if (store_report_sums(app->db, app->a, &sel, RG_NONE, &rows, &n, err) < 0)
		return -1;
	if (n)
		memcpy(c, rows[0].c, sizeof(int64_t) * RC__COUNT);
	return 0;
}

/* pending_at: the deals pending now that were created up to day to, grouped (RG_NONE: one
 * total; RG_REP: by rep id). */
static int64_t pending_of(const struct report_sum *rows, size_t n, int64_t key)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].key == key)
			return rows[i].c[RC_PENDING];
	return 0;
}

static int pending_at(struct app *app, const struct report_sel *base, int64_t to,
		      enum report_group g, struct report_sum **rows, size_t *n, struct nc_err *err)
{
	struct report_sel sel = *base;
	sel.day_to = to;
	return store_report_pending(app->db, app->a, &sel, g, rows, n, err);
}

static int period_numbers(struct app *app, const struct resolved *r, int64_t from, int64_t to,
			  struct report_numbers *out, int64_t *c, struct nc_err *err)
{
	struct report_sum *p;
	size_t n;
	if (sums_total(app, &r->sel, from, to, c, err) < 0 ||
	    pending_at(app, &r->sel, to, RG_NONE, &p, &n, err) < 0)
		return -1;
	numbers_of(c, pending_of(p, n, 0), out);
	return 0;
}

/* month_days gives the days of month m (1-12) of year y. */
static int month_days(int y, int m)
{
	return (int)(report_day_number(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
		     report_day_number(y, m, 1));
}

/* spend_in gives the part of a month's spend that falls on the period's days (prorated by days;
 * minor units, not rounded). */
static double spend_in(const struct spend_rec *s, int64_t from_day, int64_t to_day)
{
	int y, m;
	if (!s->month || sscanf(s->month, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12)
		return 0;
	int64_t first = report_day_number(y, m, 1);
	int64_t last = first + month_days(y, m) - 1;
	int64_t a = first > from_day ? first : from_day;
	int64_t b = last < to_day ? last : to_day;
	if (a > b)
		return 0;
	return (double)s->amount * (double)(b - a + 1) / (double)month_days(y, m);
}

static int cmp_source(const void *a, const void *b)
{
	const struct report_source *x = a, *y = b;
	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	if (!x->name || !y->name)
		return !x->name - !y->name;
	return strcmp(x->name, y->name);
}

static int sources_of(struct app *app, const struct resolved *r, struct report_stats *out,
		      struct nc_err *err)
{
	struct source_rec *src;
	struct spend_rec *sp;
	struct report_sum *rows;
	size_t nsrc, nsp, nrows;
	struct report_sel sel = r->sel;
	sel.day_from = r->from_day;
	sel.day_to = r->to_day;
	if (store_source_list(app->db, app->a, &src, &nsrc, err) < 0 ||
	    store_spend_list(app->db, app->a, 0, &sp, &nsp, err) < 0 ||
	    store_report_sums_of(app->db, app->a, &sel, RG_SOURCE,
				 BIT(RC_INCOMING) | BIT(RC_SOLD) | BIT(RC_SOLD_AMOUNT), &rows,
				 &nrows, err) < 0)
		return -1;
	/* one line per known source (or the one asked for), and clients without a source */
	out->sources = ARENA_ARRAY(app->a, struct report_source, nsrc + 1);
	out->nsources = 0;
	double total = 0;
	for (size_t i = 0; i <= nsrc; i++) {
		int64_t id = i < nsrc ? src[i].id : 0;
		if (r->sel.source_id >= 0 && id != r->sel.source_id)
			continue;
		struct report_source *s = &out->sources[out->nsources];
		memset(s, 0, sizeof(*s));
		s->name = i < nsrc ? src[i].name : NULL;
		for (size_t j = 0; j < nrows; j++)
			if (rows[j].key == id) {
				s->calls = rows[j].c[RC_INCOMING];
				s->sold = rows[j].c[RC_SOLD];
				s->sold_amount = rows[j].c[RC_SOLD_AMOUNT];
			}
		double spend = 0;
		for (size_t j = 0; j < nsp; j++)
			if (id && sp[j].source_id == id)
				spend += spend_in(&sp[j], r->from_day, r->to_day);
		s->spend = llround(spend);
		total += spend;
		s->cost_per_call = s->calls ? (double)s->spend / (double)s->calls : -1;
		s->cost_per_sale = s->sold ? (double)s->spend / (double)s->sold : -1;
		/* the line of clients without a source only when it has something */
		if (id == 0 && !s->calls && !s->sold)
			continue;
		out->nsources++;
	}
	qsort(out->sources, out->nsources, sizeof(*out->sources), cmp_source);
	out->spend = llround(total);
	return 0;
}

/* days_of gives the chart's points: every day of the period, or for a period over
 * REPORT_CHART_DAYS days every month it touches (read from the monthly rollups; the first and last
 * months hold only the period's days). */
static int days_of(struct app *app, const struct resolved *r, struct report_stats *out,
		   struct nc_err *err)
{
	struct report_sel sel = r->sel;
	sel.day_from = r->from_day;
	sel.day_to = r->to_day;
	struct report_sum *rows;
	size_t n;
	int64_t ndays = r->to_day - r->from_day + 1;
	out->monthly = ndays > REPORT_CHART_DAYS;
	if (store_report_sums_of(app->db, app->a, &sel, out->monthly ? RG_MONTH : RG_DAY,
				 BIT(RC_INCOMING) | BIT(RC_OUTGOING) | BIT(RC_MISSED) |
				     BIT(RC_EFFECTIVE) | BIT(RC_SOLD),
				 &rows, &n, err) < 0)
		return -1;
	/* the points: [first, last] days each, one day or the period's days of one month */
	int y, m, d;
	int64_t first = r->from_day;
	size_t cap = (size_t)ndays;
	if (out->monthly) {
		report_day_civil(r->from_day, &y, &m, &d);
		int ty, tm, td;
		report_day_civil(r->to_day, &ty, &tm, &td);
		cap = (size_t)((ty - y) * 12 + tm - m + 1);
	}
	out->days = ARENA_ARRAY(app->a, struct report_day, cap);
	out->ndays = 0;
	size_t j = 0;
	while (first <= r->to_day) {
		char buf[16];
		int64_t last = first, key = first;
		report_day_civil(first, &y, &m, &d);
		if (out->monthly) {
			key = ((int64_t)y - 1970) * 12 + m - 1;
			last = report_day_number(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
			if (last > r->to_day)
				last = r->to_day;
		}
		struct report_day *p = &out->days[out->ndays++];
		memset(p, 0, sizeof(*p));
		report_day_date(first, buf);
		p->date = arena_strdup(app->a, buf);
		report_day_date(last, buf);
		p->last = arena_strdup(app->a, buf);
		if (out->monthly)
			p->month = arena_printf(app->a, "%04d-%02d", y % 10000, m);
		p->days = (int)(last - first + 1);
		while (j < n && rows[j].key < key)
			j++;
		if (j < n && rows[j].key == key) {
			p->incoming = rows[j].c[RC_INCOMING];
			p->outgoing = rows[j].c[RC_OUTGOING];
			p->missed = rows[j].c[RC_MISSED];
			p->effective = rows[j].c[RC_EFFECTIVE];
			p->sold = rows[j].c[RC_SOLD];
		}
		first = last + 1;
	}
	return 0;
}

/* median_of a histogram: days[i] taken count[i] times, days ascending; 0 when empty. */
static double median_of(const int64_t *days, const int64_t *count, size_t n)
{
	int64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += count[i];
	if (total <= 0)
		return 0;
	/* the values at 0-based positions (total - 1) / 2 and total / 2, averaged */
	int64_t lo = (total - 1) / 2, hi = total / 2, seen = 0;
	double a = 0, b = 0;
	for (size_t i = 0; i < n; i++) {
		if (lo >= seen && lo < seen + count[i])
			a = (double)days[i];
		if (hi >= seen && hi < seen + count[i])
			b = (double)days[i];
		seen += count[i];
	}
	return (a + b) / 2;
}

/* forecast: the median sales cycle over the sales of the 365 days ending with the period's last
 * day, and next period's sales from this period's calls at the conversion of the trailing
 * window (the cycle or the period, whichever is longer). */
static int forecast_of(struct app *app, const struct resolved *r, struct report_stats *out,
		       struct nc_err *err)
{
	int64_t *days, *count;
	size_t n;
	struct report_sel year = r->sel;
	year.day_from = r->to_day - CYCLE_WINDOW_DAYS + 1;
	year.day_to = r->to_day;
	if (store_report_cycles(app->db, app->a, &year, &days, &count, &n, err) < 0)
		return -1;
	out->median_cycle_days = median_of(days, count, n);
	int64_t window = (int64_t)ceil(out->median_cycle_days);
	if (window < r->period.days)
		window = r->period.days;
	int64_t c[RC__COUNT] = {0};
	struct report_sel sel = r->sel;
	sel.day_from = r->to_day - window + 1;
	sel.day_to = r->to_day;
	struct report_sum *rows;
	size_t nrows;
	if (window == r->period.days) { /* the period itself: its sums are at hand */
		c[RC_SOLD] = out->cur.sold;
		c[RC_SOLD_AMOUNT] = out->cur.sold_amount;
		c[RC_ANSWERED] = out->cur.answered_calls;
		c[RC_OUTGOING] = out->cur.outgoing_calls;
	} else if (store_report_sums_of(app->db, app->a, &sel, RG_NONE,
					BIT(RC_SOLD) | BIT(RC_SOLD_AMOUNT) | BIT(RC_ANSWERED) |
					    BIT(RC_OUTGOING),
					&rows, &nrows, err) < 0) {
		return -1;
	} else if (nrows) {
		memcpy(c, rows[0].c, sizeof(c));
	}
	double rate = ratio((double)c[RC_SOLD], (double)calls_base(c));
	double check = ratio((double)c[RC_SOLD_AMOUNT], (double)c[RC_SOLD]);
	int64_t calls = out->cur.answered_calls + out->cur.outgoing_calls;
	out->forecast_sold = (double)calls * rate;
	out->forecast_amount = out->forecast_sold * check;
	return 0;
}

int app_report_stats(struct app *app, const struct report_filter *f, struct report_stats *out,
		     struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	struct resolved r;
	if (resolve(app, f, &r, err) < 0)
		return -1;
	out->period = r.period;
	out->prev = r.prev;
	int64_t c[RC__COUNT], cb[RC__COUNT];
	int rc = -1;
	if (db_begin_read(app->db, err) < 0)
		return -1;
	if (period_numbers(app, &r, r.from_day, r.to_day, &out->cur, c, err) < 0 ||
	    period_numbers(app, &r, r.from_day - r.period.days, r.from_day - 1, &out->before, cb,
			   err) < 0 ||
	    sources_of(app, &r, out, err) < 0 || days_of(app, &r, out, err) < 0 ||
	    forecast_of(app, &r, out, err) < 0)
		goto out;
	out->cost_per_call =
	    out->cur.incoming_calls ? (double)out->spend / (double)out->cur.incoming_calls : -1;
	out->cost_per_sale = out->cur.sold ? (double)out->spend / (double)out->cur.sold : -1;
	rc = 0;
out:
	db_end_read(app->db);
	return rc;
}

/* ---- the funnel ---- */

/* A stage of report.funnel: a number of report_numbers, or the next steps of a kind agreed. */
struct stage_def {
	const char *key, *label;
	int counter;  /* enum report_counter, or -1 */
	bool base;    /* the calls: inbound answered and outbound */
	bool pending; /* deals pending at the period's end */
};

static const struct stage_def named_stages[] = {
    {"calls", "calls (inbound answered and outbound)", -1, true, false},
    {"incoming", "incoming calls", RC_INCOMING, false, false},
    {"effective", "effective calls", RC_EFFECTIVE, false, false},
    {"steps", "calls ending with a next step", RC_STEP_CALLS, false, false},
    {"meetings", "meetings held", RC_MEETINGS, false, false},
    {"offer", "offers made", RC_OFFERS, false, false},
    {"pending", "pending purchases", -1, false, true},
    {"won", "sales", RC_SOLD, false, false},
};
static const int step_counters[STEP__COUNT] = {
    [STEP_MEETING] = RC_STEPS_MEETING,	 [STEP_VISIT] = RC_STEPS_VISIT,
    [STEP_CALL] = RC_STEPS_CALL,	 [STEP_CALLBACK] = RC_STEPS_CALLBACK,
    [STEP_OFFER] = RC_STEPS_OFFER,	 [STEP_INVOICE] = RC_STEPS_INVOICE,
    [STEP_DECISION] = RC_STEPS_DECISION,
};

/* stage_parse reads a stage word: a named stage, "step:KIND" or a bare step KIND (offer is the
 * deals opened; step:offer the next steps "send an offer"). 0 or -1. */
static int stage_parse(const char *key, struct stage_def *out)
{
	for (size_t i = 0; i < sizeof(named_stages) / sizeof(named_stages[0]); i++)
		if (strcmp(key, named_stages[i].key) == 0) {
			*out = named_stages[i];
			return 0;
		}
	const char *kind = strncmp(key, "step:", 5) == 0 ? key + 5 : key;
	int k = step_kind_parse(kind);
	if (k < 0 || k >= STEP__COUNT || !step_counters[k])
		return -1;
	*out = (struct stage_def){key, NULL, step_counters[k], false, false};
	return 0;
}

bool app_report_stage_valid(const char *key)
{
	struct stage_def d;
	return key && stage_parse(key, &d) == 0;
}

static int64_t stage_count(const struct stage_def *d, const int64_t *c, int64_t pending)
{
	if (d->base)
		return calls_base(c);
	if (d->pending)
		return pending;
	return c[d->counter];
}

int app_report_funnel(struct app *app, const struct report_filter *f, struct report_funnel *out,
		      struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	struct resolved r;
	const char *list;
	if (resolve(app, f, &r, err) < 0 || app_setting_get(app, "report.funnel", &list, err) < 0)
		return -1;
	out->period = r.period;
	out->prev = r.prev;
	json_t *arr = json_loads(list, 0, NULL);
	size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
	out->stages = ARENA_ARRAY(app->a, struct funnel_stage, n + 1);
	for (size_t i = 0; i < n; i++) {
		const char *key = json_string_value(json_array_get(arr, i));
		struct stage_def d;
		if (!key || stage_parse(key, &d) < 0) {
			json_decref(arr);
			return nc_error_field(err, NC_EINVAL, "report.funnel",
					      "report.funnel: unknown stage \"%.40s\" (see "
					      "docs/reports.md)",
					      key ? key : "");
		}
		struct funnel_stage *s = &out->stages[out->n++];
		memset(s, 0, sizeof(*s));
		s->key = arena_strdup(app->a, key);
		s->label = d.label ? d.label
				   : arena_printf(app->a, "next steps agreed: %s",
						  strncmp(key, "step:", 5) ? key : key + 5);
	}
	json_decref(arr);
	int64_t c[RC__COUNT], cb[RC__COUNT];
	struct report_numbers cur, before;
	int rc = -1;
	if (db_begin_read(app->db, err) < 0)
		return -1;
	if (period_numbers(app, &r, r.from_day, r.to_day, &cur, c, err) < 0 ||
	    period_numbers(app, &r, r.from_day - r.period.days, r.from_day - 1, &before, cb, err) <
		0)
		goto out;
	for (size_t i = 0; i < out->n; i++) {
		struct funnel_stage *s = &out->stages[i];
		struct stage_def d;
		stage_parse(s->key, &d);
		s->count = stage_count(&d, c, cur.pending);
		s->before = stage_count(&d, cb, before.pending);
		s->share = i == 0 ? 1 : ratio((double)s->count, (double)out->stages[i - 1].count);
		s->share_before =
		    i == 0 ? 1 : ratio((double)s->before, (double)out->stages[i - 1].before);
	}
	rc = 0;
out:
	db_end_read(app->db);
	return rc;
}

/* ---- the reps ---- */

static void rep_row(struct report_rep *row, const int64_t *c, int64_t pending, double allowed)
{
	numbers_of(c, pending, &row->n);
	row->conversion = row->n.call_to_sale;
	row->below = calls_base(c) > 0 && row->conversion < allowed;
	row->qa_score = -1;
}

static int cmp_rep(const void *a, const void *b)
{
	return strcmp(((const struct report_rep *)a)->login, ((const struct report_rep *)b)->login);
}

int app_report_reps(struct app *app, const struct report_filter *f, struct report_reps *out,
		    struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	struct resolved r;
	const char *allowed;
	if (resolve(app, f, &r, err) < 0 ||
	    app_setting_get(app, "report.allowed_conversion", &allowed, err) < 0)
		return -1;
	out->period = r.period;
	out->allowed_conversion = strtol(allowed, NULL, 10) / 100.0;
	struct user_rec *users;
	struct report_sum *rows, *pend;
	struct qa_rep_score *qa = NULL;
	size_t nusers, nrows, npend, nqa = 0;
	struct report_sel sel = r.sel;
	sel.day_from = r.from_day;
	sel.day_to = r.to_day;
	int64_t total[RC__COUNT];
	int rc = -1;
	if (app_qa_rep_scores(app, r.period.start, r.period.end, &qa, &nqa, err) < 0)
		return -1;
	if (db_begin_read(app->db, err) < 0)
		return -1;
	if (store_user_list(app->db, app->a, &users, &nusers, err) < 0 ||
	    store_report_sums(app->db, app->a, &sel, RG_REP, &rows, &nrows, err) < 0 ||
	    pending_at(app, &r.sel, r.to_day, RG_REP, &pend, &npend, err) < 0 ||
	    sums_total(app, &r.sel, r.from_day, r.to_day, total, err) < 0)
		goto out;
	/* every rep (the one asked for), and anyone else who made calls or deals in the period */
	out->rows = ARENA_ARRAY(app->a, struct report_rep, nusers + 1);
	int64_t pending_total = 0;
	for (size_t i = 0; i < npend; i++)
		pending_total += pend[i].c[RC_PENDING];
	for (size_t i = 0; i < nusers; i++) {
		const struct user_rec *u = &users[i];
		if (r.sel.rep_id >= 0 && u->id != r.sel.rep_id)
			continue;
		const int64_t *c = NULL;
		for (size_t j = 0; j < nrows; j++)
			if (rows[j].key == u->id)
				c = rows[j].c;
		if (!c && (u->role != ROLE_REP || !u->active))
			continue;
		static const int64_t zero[RC__COUNT];
		struct report_rep *row = &out->rows[out->n++];
		memset(row, 0, sizeof(*row));
		row->login = u->login;
		row->name = u->name;
		rep_row(row, c ? c : zero, pending_of(pend, npend, u->id), out->allowed_conversion);
		for (size_t j = 0; j < nqa; j++)
			if (qa[j].rep_id == u->id)
				row->qa_score = qa[j].score;
	}
	qsort(out->rows, out->n, sizeof(*out->rows), cmp_rep);
	out->total.login = "total";
	out->total.name = "";
	rep_row(&out->total, total, pending_total, out->allowed_conversion);
	rc = 0;
out:
	db_end_read(app->db);
	return rc;
}

/* ---- verification ---- */

int app_report_verify(struct app *app, bool fix, struct report_diffs *d, struct nc_err *err)
{
	memset(d, 0, sizeof(*d));
	if (app_require_role(app, ROLE_ADMIN, err) < 0)
		return -1;
	if (db_begin(app->db, err) < 0)
		return -1;
	struct report_params have, want;
	/* rollups never built (or counted with older settings) are built first: there is nothing
	 * kept to compare yet */
	if (store_report_params(app->db, app->a, &have, err) < 0 || wanted(app, &want, err) < 0 ||
	    (!same_params(&have, &want) && app_report_sync(app, err) < 0) ||
	    store_report_verify(app->db, fix, &d->rollups, err) < 0 ||
	    /* and the agenda's pool counts (migration 0012), kept the same way: one difference
	     * per (owner, category) */
	    store_client_pool_verify(app->db, fix, &d->pool, err) < 0 ||
	    /* and the planned steps' copies of their client's name and first phone (migration
	     * 0016): one difference per step */
	    store_step_copies_verify(app->db, fix, &d->copies, err) < 0 ||
	    /* and the script analytics' counts (migration 0018): one difference per (version,
	     * entered, variant) row */
	    store_script_counts_verify(app->db, fix, &d->scripts, err) < 0 ||
	    /* and the reps' calls per hour (migration 0020), which the agenda's "calls today"
	     * reads: one difference per (rep, hour) */
	    store_call_hours_verify(app->db, fix, &d->hours, err) < 0) {
		db_rollback(app->db);
		return -1;
	}
	d->total = d->rollups + d->pool + d->copies + d->scripts + d->hours;
	if (fix && d->total &&
	    store_audit(app->db, app->now, app->actor ? app->actor->login : "system", "report.fix",
			"report", 0,
			arena_printf(app->a,
				     "%lld rollup cells, %lld pool counts, %lld step copies, "
				     "%lld script counts, %lld call hours rewritten",
				     (long long)d->rollups, (long long)d->pool,
				     (long long)d->copies, (long long)d->scripts,
				     (long long)d->hours),
			err) < 0) {
		db_rollback(app->db);
		return -1;
	}
	return db_commit(app->db, err);
}

/* ---- deleting a call ---- */

int app_call_delete(struct app *app, int64_t id, struct nc_err *err)
{
	if (app_require_role(app, ROLE_ADMIN, err) < 0)
		return -1;
	struct call_rec c;
	if (db_begin(app->db, err) < 0)
		return -1;
	int rc = store_call_get(app->db, app->a, id, &c, err);
	if (rc == 0)
		nc_error_field(err, NC_ENOTFOUND, "id", "no call with id %lld", (long long)id);
	if (rc <= 0 || store_call_delete(app->db, id, err) < 0 ||
	    store_audit(app->db, app->now, app->actor ? app->actor->login : "system", "call.delete",
			"call", id,
			arena_printf(app->a, "%s %s client %lld rep %s", contact_kind_name(c.kind),
				     c.outcome ? c.outcome : "", (long long)c.client_id,
				     c.rep ? c.rep : "-"),
			err) < 0) {
		if (err && err->code == NC_EINVAL && !err->field[0])
			nc_error_field(err, NC_ECONFLICT, "id",
				       "call %lld is referenced (a review or a script run): it "
				       "cannot be deleted",
				       (long long)id);
		db_rollback(app->db);
		return -1;
	}
	return db_commit(app->db, err);
}
