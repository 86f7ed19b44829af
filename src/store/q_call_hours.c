/* q_call_hours.c - each rep's calls kept as a count per hour (rep_call_hours, migration 0020),
 * which the agenda's "calls today" and the team's day read: the store adds each inserted call
 * (store_rollup_call_new, written once per transaction by call_hours_write), the triggers on
 * calls count the deleted and moved ones; store_calls_count sums the whole hours of a period and
 * counts the calls of its part hours; the rest recount it from the calls, for "report verify" and
 * for a load that wrote calls without the store (copy-db, nc-gen). */
#include "store/internal.h"
#include "store/store.h"
#include "util/xmalloc.h"

#include <stdlib.h>

#define HOUR_S 3600

/* a call's hour as the migration's SQL gives it (rounded down, before 1970 too) */
#define START_HOUR  "(started_at - ((started_at % 3600) + 3600) % 3600) / 3600"
#define BY_REP_HOUR " FROM calls WHERE rep_id IS NOT NULL GROUP BY rep_id, " START_HOUR

/* the count of every (rep, hour) that has calls, as the migration fills it */
#define HOURS_RECOUNT "SELECT rep_id, " START_HOUR ", count(*)" BY_REP_HOUR
/* the same beside the kept counts, as rows of (rep, hour, counted, kept) */
#define HOURS_BOTH                                                                                 \
	"SELECT rep_id, " START_HOUR " AS hour, count(*) AS counted, 0 AS kept" BY_REP_HOUR        \
	" UNION ALL SELECT rep_id, hour, 0, n FROM rep_call_hours"

struct call_hour {
	int64_t rep, hour, n;
};

int64_t store_call_hour(int64_t t)
{
	return t >= 0 ? t / HOUR_S : -((-t + HOUR_S - 1) / HOUR_S);
}

static int cmp_hour(const void *a, const void *b)
{
	const struct call_hour *x = a, *y = b;
	if (x->rep != y->rep)
		return x->rep < y->rep ? -1 : 1;
	return x->hour < y->hour ? -1 : x->hour > y->hour;
}

/* merge sorts the entries by (rep, hour) and sums each key's into one; gives their number */
static size_t merge(struct rollup_delta *d)
{
	if (d->nh < 2)
		return d->nh;
	qsort(d->h, d->nh, sizeof(*d->h), cmp_hour);
	size_t k = 0;
	for (size_t i = 1; i < d->nh; i++) {
		if (cmp_hour(&d->h[k], &d->h[i]) == 0)
			d->h[k].n += d->h[i].n;
		else
			d->h[++k] = d->h[i];
	}
	return d->nh = k + 1;
}

void call_hours_add(struct rollup_delta *d, int64_t rep_id, int64_t started_at)
{
	int64_t hour = store_call_hour(started_at);
	/* an import's calls come in time order: mostly the same rep and hour as the last one */
	if (d->nh && d->h[d->nh - 1].rep == rep_id && d->h[d->nh - 1].hour == hour) {
		d->h[d->nh - 1].n++;
		return;
	}
	/* full: many reps in turn, summed by key first, then grown if still full */
	if (d->nh == d->caphours && d->nh >= 2 * d->hmerged + 4096)
		d->hmerged = merge(d);
	if (d->nh == d->caphours) {
		d->caphours = d->caphours ? d->caphours * 2 : 16;
		d->h = xrealloc(d->h, d->caphours * sizeof(*d->h));
	}
	d->h[d->nh++] = (struct call_hour){rep_id, hour, 1};
}

int call_hours_write(struct db *db, struct rollup_delta *d, struct nc_err *err)
{
	/* in key order, so that two transactions on PostgreSQL lock their rows in one order */
	size_t n = merge(d);
	for (size_t i = 0; i < n; i++)
		if (d->h[i].n &&
		    db_run(
			db, err,
			"INSERT INTO rep_call_hours (rep_id, hour, n) VALUES ($1, $2, $3) ON "
			"CONFLICT (rep_id, hour) DO UPDATE SET n = rep_call_hours.n + excluded.n",
			"iii", d->h[i].rep, d->h[i].hour, d->h[i].n) < 0)
			return -1;
	d->nh = d->hmerged = 0;
	return 0;
}

int store_calls_count(struct db *db, int64_t rep_id, int64_t from, int64_t to, int64_t *n,
		      struct nc_err *err)
{
	*n = 0;
	if (!rep_id) /* the team's: every call, those without a rep too, by calls_started */
		return db_get_int(db, err, n,
				  "SELECT count(*) FROM calls WHERE started_at >= $1 AND "
				  "started_at < $2",
				  "ii", from, to) < 0
			   ? -1
			   : 0;
	/* the open transaction's own calls are in its delta until the commit */
	if (call_hours_flush(db, err) < 0)
		return -1;
	/* [from, to) is the whole hours [h0, h1) and the part hours before and after them */
	int64_t h0 = -store_call_hour(-from), h1 = store_call_hour(to);
	if (h0 >= h1) /* less than an hour, or two part hours: by calls_rep */
		return db_get_int(db, err, n,
				  "SELECT count(*) FROM calls WHERE rep_id = $1 AND started_at >= "
				  "$2 AND started_at < $3",
				  "iii", rep_id, from, to) < 0
			   ? -1
			   : 0;
	if (from == h0 * HOUR_S && to == h1 * HOUR_S) /* a day of a zone on the hour */
		return db_get_int(
			   db, err, n,
			   "SELECT coalesce(sum(n), 0) FROM rep_call_hours WHERE rep_id = $1 "
			   "AND hour >= $2 AND hour < $3",
			   "iii", rep_id, h0, h1) < 0
			   ? -1
			   : 0;
	return db_get_int(
		   db, err, n,
		   "SELECT (SELECT coalesce(sum(n), 0) FROM rep_call_hours WHERE rep_id = $1 "
		   "AND hour >= $2 AND hour < $3) + (SELECT count(*) FROM calls WHERE rep_id "
		   "= $1 AND started_at >= $4 AND started_at < $5) + (SELECT count(*) FROM "
		   "calls WHERE rep_id = $1 AND started_at >= $6 AND started_at < $7)",
		   "iiiiiii", rep_id, h0, h1, from, h0 * HOUR_S, h1 * HOUR_S, to) < 0
		   ? -1
		   : 0;
}

int store_call_hours_rebuild(struct db *db, struct nc_err *err)
{
	/* the transaction's pending counts go now, not after the recount, which holds their calls
	 * already (written, then deleted with the rest) */
	if (call_hours_flush(db, err) < 0)
		return -1;
	return db_exec(db, "DELETE FROM rep_call_hours", err) < 0 ||
		       db_exec(db, "INSERT INTO rep_call_hours (rep_id, hour, n) " HOURS_RECOUNT,
			       err) < 0
		   ? -1
		   : 0;
}

int store_call_hours_verify(struct db *db, bool fix, int64_t *diffs, struct nc_err *err)
{
	*diffs = 0;
	if (call_hours_flush(db, err) < 0)
		return -1;
	/* both sides as rows of (rep, hour, counted, kept), summed by key: a key missing on one
	 * side is 0 there, so a kept row of 0 with no calls is no difference */
	if (db_get_int(db, err, diffs,
		       "SELECT count(*) FROM (SELECT rep_id, hour, sum(counted) AS counted, "
		       "sum(kept) AS kept FROM (" HOURS_BOTH ") u GROUP BY rep_id, hour) d "
		       "WHERE counted <> kept",
		       "") < 0)
		return -1;
	return fix && *diffs ? store_call_hours_rebuild(db, err) : 0;
}
