/* report_tables.c - the reports as tables (see report_tables.h): one place decides the rows, the
 * columns and the type of every number, so the terminal, the CSV and the XLSX say the same. */
#include "app/report_tables.h"

#include <math.h>
#include <stddef.h>

/* money_of gives an amount in minor units kept as a double (averages, costs) as a money cell;
 * negative means "none" (no calls, no sales) and gives an empty cell. */
static struct cell money_of(double minor)
{
	if (!isfinite(minor) || minor < 0)
		return (struct cell){.t = CELL_EMPTY};
	return cell_money((int64_t)llround(minor));
}

/* change gives the relative change from before to now, empty when before is 0. */
static struct cell change(double now, double before)
{
	if (before == 0 || !isfinite(now) || !isfinite(before))
		return (struct cell){.t = CELL_EMPTY};
	return cell_share(now / before - 1);
}

/* One row of the summary: its label and how to read the number from a period. */
enum kind { K_INT, K_MINUTES, K_SHARE, K_MONEY };
struct metric {
	const char *label;
	enum kind kind;
	size_t off; /* of an int64_t (K_INT, K_MONEY, K_MINUTES of seconds) or a double */
	bool dbl;
};
#define INT(label, f)                                                                              \
	{                                                                                          \
		label, K_INT, offsetof(struct report_numbers, f), false                            \
	}
#define SHARE(label, f)                                                                            \
	{                                                                                          \
		label, K_SHARE, offsetof(struct report_numbers, f), true                           \
	}
#define MONEY(label, f)                                                                            \
	{                                                                                          \
		label, K_MONEY, offsetof(struct report_numbers, f), false                          \
	}
#define MONEY_D(label, f)                                                                          \
	{                                                                                          \
		label, K_MONEY, offsetof(struct report_numbers, f), true                           \
	}

static const struct metric metrics[] = {
    /* the method's six (METHOD.md §6) */
    INT("Incoming calls", incoming_calls),
    INT("Effective calls", effective_calls),
    {"Talk minutes", K_MINUTES, offsetof(struct report_numbers, talk_seconds), false},
    {"Talk minutes per call", K_MINUTES, offsetof(struct report_numbers, talk_per_call), true},
    INT("Offers made", offers),
    INT("Pending purchases", pending),
    INT("Goods sold", sold),
    MONEY("Sold amount", sold_amount),
    MONEY_D("Average check", average_check),
    /* the rest */
    INT("Outgoing calls", outgoing_calls),
    INT("Missed calls", missed_calls),
    SHARE("Answered by the third ring", answered_in_time_share),
    SHARE("Missed calls called back in time", callbacks_in_time_share),
    SHARE("Maximum goal reached", max_rate),
    SHARE("Minimum goal reached", min_rate),
    SHARE("Call to next step", call_to_step),
    SHARE("Next step to sale", step_to_sale),
    SHARE("Call to sale", call_to_sale),
};

static double number(const struct report_numbers *n, const struct metric *m)
{
	const char *p = (const char *)n + m->off;
	return m->dbl ? *(const double *)(const void *)p
		      : (double)*(const int64_t *)(const void *)p;
}

static struct cell metric_cell(const struct metric *m, double v)
{
	switch (m->kind) {
	case K_INT:
		return cell_int((int64_t)llround(v));
	case K_MINUTES:
		return cell_num(v / 60);
	case K_SHARE:
		return cell_share(v);
	case K_MONEY:
		return money_of(v);
	}
	return (struct cell){.t = CELL_EMPTY};
}

static void summary(const struct report_stats *s, struct arena *a, struct table *t)
{
	static const char *const cols[] = {"Metric", "This period", "Previous period", "Change"};
	table_init(t, a, "Summary", cols, 4);
	for (size_t i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++) {
		const struct metric *m = &metrics[i];
		double now = number(&s->cur, m), before = number(&s->before, m);
		struct cell *row = table_row(t);
		row[0] = cell_text(m->label);
		row[1] = metric_cell(m, now);
		row[2] = metric_cell(m, before);
		row[3] = change(now, before);
	}
	/* numbers of this period alone */
	struct cell *row = table_row(t);
	row[0] = cell_text("Ad spend"), row[1] = cell_money(s->spend);
	row = table_row(t);
	row[0] = cell_text("Cost per call"), row[1] = money_of(s->cost_per_call);
	row = table_row(t);
	row[0] = cell_text("Cost per sale"), row[1] = money_of(s->cost_per_sale);
	row = table_row(t);
	row[0] = cell_text("Median sales cycle, days");
	row[1] = s->median_cycle_days >= 0 ? cell_num(s->median_cycle_days) : cell_text(NULL);
	row = table_row(t);
	row[0] = cell_text("Forecast: sales next period"), row[1] = cell_num(s->forecast_sold);
	row = table_row(t);
	row[0] = cell_text("Forecast: amount next period"), row[1] = money_of(s->forecast_amount);
}

static void sources(const struct report_stats *s, struct arena *a, struct table *t)
{
	static const char *const cols[] = {"Source", "Calls",	    "Spend",	    "Cost per call",
					   "Sold",   "Sold amount", "Cost per sale"};
	table_init(t, a, "Sources", cols, 7);
	for (size_t i = 0; i < s->nsources; i++) {
		const struct report_source *src = &s->sources[i];
		struct cell *row = table_row(t);
		row[0] = cell_text(src->name ? src->name : "(no source)");
		row[1] = cell_int(src->calls);
		row[2] = cell_money(src->spend);
		row[3] = money_of(src->cost_per_call);
		row[4] = cell_int(src->sold);
		row[5] = cell_money(src->sold_amount);
		row[6] = money_of(src->cost_per_sale);
	}
}

static void days(const struct report_stats *s, struct arena *a, struct table *t)
{
	static const char *const cols[] = {"Date",   "Incoming",  "Outgoing",
					   "Missed", "Effective", "Sold"};
	static const char *const mcols[] = {"Month",	"From",	  "To",	       "Incoming",
					    "Outgoing", "Missed", "Effective", "Sold"};
	if (s->monthly)
		table_init(t, a, "Months", mcols, 8);
	else
		table_init(t, a, "Days", cols, 6);
	for (size_t i = 0; i < s->ndays; i++) {
		const struct report_day *d = &s->days[i];
		struct cell *row = table_row(t);
		size_t k = 0;
		if (s->monthly) {
			row[k++] = cell_text(d->month);
			row[k++] = cell_text(d->date);
			row[k++] = cell_text(d->last);
		} else {
			row[k++] = cell_text(d->date);
		}
		row[k++] = cell_int(d->incoming);
		row[k++] = cell_int(d->outgoing);
		row[k++] = cell_int(d->missed);
		row[k++] = cell_int(d->effective);
		row[k] = cell_int(d->sold);
	}
}

void report_stats_tables(const struct report_stats *s, struct arena *a, struct table *out,
			 size_t *n)
{
	summary(s, a, &out[0]);
	sources(s, a, &out[1]);
	days(s, a, &out[2]);
	*n = 3;
}

void report_funnel_tables(const struct report_funnel *f, struct arena *a, struct table *out,
			  size_t *n)
{
	static const char *const cols[] = {
	    "Stage",	       "Count",		 "Share of previous stage",
	    "Previous period", "Previous share", "Change"};
	table_init(&out[0], a, "Funnel", cols, 6);
	for (size_t i = 0; i < f->n; i++) {
		const struct funnel_stage *st = &f->stages[i];
		struct cell *row = table_row(&out[0]);
		row[0] = cell_text(st->label ? st->label : st->key);
		row[1] = cell_int(st->count);
		row[2] = cell_share(st->share);
		row[3] = cell_int(st->before);
		row[4] = cell_share(st->share_before);
		row[5] = change((double)st->count, (double)st->before);
	}
	*n = 1;
}

static void rep_row(struct table *t, const struct report_rep *r, double allowed, bool total)
{
	struct cell *row = table_row(t);
	row[0] = cell_text(total ? "Total" : r->login);
	row[1] = cell_text(total ? NULL : r->name);
	row[2] = cell_int(r->n.incoming_calls);
	row[3] = cell_int(r->n.outgoing_calls);
	row[4] = cell_int(r->n.missed_calls);
	row[5] = cell_int(r->n.effective_calls);
	row[6] = cell_num((double)r->n.talk_seconds / 60);
	row[7] = cell_int(r->n.offers);
	row[8] = cell_int(r->n.sold);
	row[9] = cell_money(r->n.sold_amount);
	row[10] = cell_share(r->conversion);
	row[11] = cell_share(allowed);
	row[12] = cell_text(total ? NULL : r->below ? "yes" : "no");
	row[13] = r->qa_score >= 0 ? cell_num(r->qa_score) : cell_text(NULL);
}

void report_reps_tables(const struct report_reps *r, struct arena *a, struct table *out, size_t *n)
{
	static const char *const cols[] = {"Login",	     "Name",	     "Incoming calls",
					   "Outgoing calls", "Missed calls", "Effective calls",
					   "Talk minutes",   "Offers",	     "Sold",
					   "Sold amount",    "Conversion",   "Allowed conversion",
					   "Below allowed",  "QA score"};
	table_init(&out[0], a, "Reps", cols, 14);
	for (size_t i = 0; i < r->n; i++)
		rep_row(&out[0], &r->rows[i], r->allowed_conversion, false);
	rep_row(&out[0], &r->total, r->allowed_conversion, true);
	*n = 1;
}
