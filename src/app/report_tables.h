/* report_tables.h - the head of sales' reports (app_report_stats, _funnel, _reps) as tables of
 * typed cells, the one shape that the CLI's --format table|csv|xlsx and the API's CSV and XLSX
 * exports write (io/table.h). Column names and row labels are English; money is in major units
 * with two decimals, shares are percentages with one. */
#ifndef NC_REPORT_TABLES_H
#define NC_REPORT_TABLES_H

#include "app/app.h"
#include "io/table.h"

#define REPORT_TABLES_MAX 3 /* the most tables one report gives: out needs this much room */

/* report_stats_tables fills out[0..*n) with three tables: "Summary" (Metric, This period,
 * Previous period, Change: the method's six numbers first, then the other shares, spend, cost per
 * call and sale, the median sales cycle and the forecast; Change is relative to the previous
 * period, empty when that was 0), "Sources" (Source, Calls, Spend, Cost per call, Sold, Sold
 * amount, Cost per sale) and "Days" (Date, Incoming, Outgoing, Missed, Effective, Sold), or for a
 * period charted by month (s->monthly) "Months" (Month, From, To, Incoming, Outgoing, Missed,
 * Effective, Sold). Cells point into s and the arena. */
void report_stats_tables(const struct report_stats *s, struct arena *a, struct table *out,
			 size_t *n);
/* report_funnel_tables fills out[0] with "Funnel" (Stage, Count, Share of previous stage,
 * Previous period, Previous share, Change); *n = 1. */
void report_funnel_tables(const struct report_funnel *f, struct arena *a, struct table *out,
			  size_t *n);
/* report_reps_tables fills out[0] with "Reps": one row per rep and a Total row (Login, Name,
 * Incoming calls, Outgoing calls, Missed calls, Effective calls, Talk minutes, Offers, Sold, Sold
 * amount, Conversion, Allowed conversion, Below allowed, QA score); *n = 1. */
void report_reps_tables(const struct report_reps *r, struct arena *a, struct table *out, size_t *n);

#endif
