/* q_reports.c - the daily rollups of the reports (migration 0006, docs/reports.md). A write adds
 * its difference to them in its own transaction (struct rollup_delta): the raw rows it may change
 * are watched before it and counted again after it, and the net difference of each cell is
 * added to its row, so its cost is that of the rows watched, not of the rows in the cell. A
 * write transaction keeps one such difference for all its writes (a CDR import's for a whole
 * file), applied once before its commit (tx_delta). report rebuild and report verify recount
 * every day from the raw calls, deals and steps (recount_day, EXPECT_DAY).
 * report_monthly and report_cycles_monthly (migration 0008) hold the sums of report_daily and
 * report_cycles by month: every difference added to a daily row is added to its month, and a
 * period's sums and sales cycles read its whole months there. report_daily_team and
 * report_monthly_team (migration 0011) hold report_daily and report_monthly summed over the reps,
 * kept by the same differences: a report of no rep, not by rep, reads them. */
#include "store/internal.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const counter_names[RC__COUNT] = {
    "incoming",	   "outgoing",	       "missed",
    "answered",	   "answered_in_time", "callbacks_in_time",
    "connected",   "effective",	       "max_calls",
    "min_calls",   "talk_s",	       "step_calls",
    "meetings",	   "offers",	       "offers_amount",
    "sold",	   "sold_amount",      "steps_meeting",
    "steps_visit", "steps_call",       "steps_callback",
    "steps_offer", "steps_invoice",    "steps_decision",
    "pending",
};

const char *report_counter_name(enum report_counter c)
{
	return (size_t)c < RC__COUNT ? counter_names[c] : "";
}

#define COUNTER_COLS                                                                               \
	"incoming, outgoing, missed, answered, answered_in_time, callbacks_in_time, connected, "   \
	"effective, max_calls, min_calls, talk_s, step_calls, meetings, offers, offers_amount, "   \
	"sold, sold_amount, steps_meeting, steps_visit, steps_call, steps_callback, steps_offer, " \
	"steps_invoice, steps_decision, pending"

/* ---- days ---- */

/* days_from_civil: days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's method). */
int64_t report_day_number(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int64_t report_day_of(const char *tz, int64_t t)
{
	struct nc_tm tm;
	time_local_parts(tz, t, &tm);
	return report_day_number(tm.year, tm.month, tm.day);
}

void report_day_bounds(const char *tz, int64_t day, int64_t *start, int64_t *end)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	time_day_bounds(tz, 0, y, m, d, start, end);
}

void report_day_civil(int64_t day, int *y, int *m, int *d)
{
	civil_from_days(day, y, m, d);
}

void report_day_date(int64_t day, char out[16])
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y % 10000, m, d);
}

/* ---- months: the rows of report_monthly, numbered from 1970-01 (0) ---- */

static int64_t month_of_day(int64_t day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	return ((int64_t)y - 1970) * 12 + m - 1;
}

/* month_first_day: the day number of the first day of a month (the next one's, less 1, is its
 * last). */
static int64_t month_first_day(int64_t month)
{
	int64_t y = month >= 0 ? month / 12 : -((-month + 11) / 12);
	return report_day_number((int)(1970 + y), (int)(month - y * 12 + 1), 1);
}

/* ---- params ---- */

int store_report_params(struct db *db, struct arena *a, struct report_params *out,
			struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st =
	    db_prepare(db,
		       "SELECT timezone, ring_limit_s, callback_delay_s, built FROM "
		       "report_params WHERE id = 1",
		       err);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1) {
		out->timezone = arena_strdup(a, db_col_text(st, 0));
		out->ring_limit_s = (int)db_col_int(st, 1);
		out->callback_delay_s = (int)db_col_int(st, 2);
		out->built = db_col_int(st, 3) == 1;
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (!out->timezone)
		out->timezone = "UTC";
	return 0;
}

/* The params as the hooks need them, read once per set. */
struct params_buf {
	char tz[64];
	int ring_s, delay_s;
	bool built;
};

static int read_params(struct db *db, struct params_buf *p, struct nc_err *err)
{
	struct arena a;
	arena_init(&a);
	struct report_params rp;
	int rc = store_report_params(db, &a, &rp, err);
	if (rc == 0) {
		snprintf(p->tz, sizeof(p->tz), "%s", rp.timezone);
		p->ring_s = rp.ring_limit_s;
		p->delay_s = rp.callback_delay_s;
		p->built = rp.built;
	}
	arena_release(&a);
	return rc;
}

/* lock_client: on PostgreSQL a client's calls are written under his lock (store_client_lock),
 * which the watches of his rows take: a difference taken while another transaction writes his
 * calls would count that one's calls twice or not at all. SQLite writes one transaction at a
 * time. */
static int lock_client(struct db *db, int64_t client_id, struct nc_err *err)
{
	return client_id && strcmp(db_driver_name(db), "postgres") == 0
		   ? store_client_lock(db, client_id, err)
		   : 0;
}

/* ---- the recount ---- */

/* The counters of one raw row, in enum report_counter order: a call or meeting, a deal opened,
 * a deal won, a next step agreed. $2, $3: the day's [start, end); $4 ring.limit_s; $5 the
 * callback delay in seconds. */
#define Z1	"0, "
#define Z6	Z1 Z1 Z1 Z1 Z1 Z1
#define Z7	Z6 Z1
#define CALL_IN "c.kind = 'call' AND c.direction = 'in'"
#define CALL_PART(REPC)                                                                            \
	"SELECT coalesce(c.rep_id, 0) AS rep, coalesce(k.source_id, 0) AS src, "                   \
	"coalesce(k.segment_id, 0) AS seg, "                                                       \
	"CASE WHEN " CALL_IN " THEN 1 ELSE 0 END AS a0, "                                          \
	"CASE WHEN c.kind = 'call' AND c.direction = 'out' THEN 1 ELSE 0 END AS a1, "              \
	"CASE WHEN " CALL_IN " AND c.missed = 1 THEN 1 ELSE 0 END AS a2, "                         \
	"CASE WHEN " CALL_IN " AND c.missed = 0 THEN 1 ELSE 0 END AS a3, "                         \
	"CASE WHEN " CALL_IN " AND c.missed = 0 AND c.ring_s < $4 THEN 1 ELSE 0 END AS a4, "       \
	"CASE WHEN " CALL_IN " AND c.missed = 1 AND EXISTS (SELECT 1 FROM calls b WHERE "          \
	"b.client_id = c.client_id AND b.started_at >= c.started_at AND b.started_at <= "          \
	"c.started_at + $5 AND b.id <> c.id AND b.kind = 'call' AND (b.direction = 'out' OR "      \
	"(b.direction = 'in' AND b.missed = 0))) THEN 1 ELSE 0 END AS a5, "                        \
	"CASE WHEN c.kind = 'call' AND c.missed = 0 THEN 1 ELSE 0 END AS a6, "                     \
	"CASE WHEN c.kind = 'call' AND c.result IN ('max', 'min') THEN 1 ELSE 0 END AS a7, "       \
	"CASE WHEN c.kind = 'call' AND c.result = 'max' THEN 1 ELSE 0 END AS a8, "                 \
	"CASE WHEN c.kind = 'call' AND c.result = 'min' THEN 1 ELSE 0 END AS a9, "                 \
	"CASE WHEN c.kind = 'call' THEN c.talk_s ELSE 0 END AS a10, "                              \
	"CASE WHEN c.kind = 'call' AND c.outcome = 'next_step' THEN 1 ELSE 0 END AS a11, "         \
	"CASE WHEN c.kind = 'meeting' THEN 1 ELSE 0 END AS a12, "                                  \
	"0 AS a13, 0 AS a14, 0 AS a15, 0 AS a16, 0 AS a17, 0 AS a18, 0 AS a19, 0 AS a20, "         \
	"0 AS a21, 0 AS a22, 0 AS a23, 0 AS a24 FROM calls c LEFT JOIN clients k ON "              \
	"k.id = c.client_id "                                                                      \
	"WHERE " REPC " AND c.started_at >= $2 AND c.started_at < $3"
#define DEAL_HEAD                                                                                  \
	"SELECT coalesce(d.rep_id, 0), coalesce(k.source_id, 0), coalesce(k.segment_id, 0), " Z7   \
	    Z1 Z1 Z1 Z1 Z1 Z1
#define OPENED_PART(REPC)                                                                          \
	DEAL_HEAD "1, d.amount, 0, 0, " Z7 "CASE WHEN d.stage = 'pending' THEN 1 ELSE 0 END "      \
		  "FROM deals d LEFT JOIN clients k ON k.id = "                                    \
		  "d.client_id WHERE " REPC " AND d.created_at >= $2 AND d.created_at < $3"
#define WON_PART(REPC)                                                                             \
	DEAL_HEAD "0, 0, 1, d.amount, " Z7 "0 FROM deals d LEFT JOIN clients k ON k.id = "         \
		  "d.client_id WHERE " REPC " AND d.stage = 'won' AND d.closed_at >= $2 AND "      \
		  "d.closed_at < $3"
#define STEP_KIND(K) "CASE WHEN s.kind = '" K "' THEN 1 ELSE 0 END"
#define STEP_PART(REPC)                                                                                                \
	"SELECT coalesce(s.rep_id, 0), coalesce(k.source_id, 0), coalesce(k.segment_id, 0), " Z7 Z7 Z1 Z1              \
	    Z1 STEP_KIND("meeting") ", " STEP_KIND("visit") ", " STEP_KIND("call") ", " STEP_KIND(                     \
		"c"                                                                                                    \
		"a"                                                                                                    \
		"l"                                                                                                    \
		"l"                                                                                                    \
		"b"                                                                                                    \
		"a"                                                                                                    \
		"c"                                                                                                    \
		"k") ", " STEP_KIND("offer") ", " STEP_KIND("invoice") ", " STEP_KIND("decision") ", 0 FROM "          \
												  "next_steps s LEFT " \
												  "JOIN clients k ON " \
												  "k.id = "            \
												  "s.client_id "       \
												  "WHERE " REPC        \
												  " AND s.created_at " \
												  ">= $2 AND "         \
												  "s.created_at < $3"
#define SUMS                                                                                       \
	"sum(a0), sum(a1), sum(a2), sum(a3), sum(a4), sum(a5), sum(a6), sum(a7), sum(a8), "        \
	"sum(a9), sum(a10), sum(a11), sum(a12), sum(a13), sum(a14), sum(a15), sum(a16), "          \
	"sum(a17), sum(a18), sum(a19), sum(a20), sum(a21), sum(a22), sum(a23), sum(a24)"
#define UNION(RC, RD, RS)                                                                          \
	"FROM (" CALL_PART(RC) " UNION ALL " OPENED_PART(RD) " UNION ALL " WON_PART(               \
	    RD) " UNION ALL " STEP_PART(RS) ") x GROUP BY rep, src, seg"
#define INSERT_HEAD                                                                                \
	"INSERT INTO report_daily (day, rep_id, source_id, segment_id, " COUNTER_COLS ") "
/* every rep of a day ($1 unused but typed) */
#define ALL_REPS    UNION("$1 >= 0", "$1 >= 0", "$1 >= 0")
#define RECOUNT_DAY INSERT_HEAD "SELECT CAST($6 AS INTEGER), rep, src, seg, " SUMS " " ALL_REPS
#define EXPECT_DAY  "SELECT rep, src, seg, " SUMS " " ALL_REPS " ORDER BY rep, src, seg"

/* The sales cycles of the deals won in the day, in whole days from the client's first contact
 * (his earliest call or meeting, else his creation): $1 rep, $2 $3 the day, $4 its number. */
#define CYCLE_PART(REPC)                                                                           \
	"SELECT coalesce(d.rep_id, 0) AS rep, coalesce(k.source_id, 0) AS src, "                   \
	"coalesce(k.segment_id, 0) AS seg, (d.closed_at - coalesce((SELECT min(c.started_at) "     \
	"FROM calls c WHERE c.client_id = d.client_id), k.created_at)) / 86400 AS cyc FROM "       \
	"deals d JOIN clients k ON k.id = d.client_id WHERE " REPC " AND d.stage = 'won' AND "     \
	"d.closed_at >= $2 AND d.closed_at < $3"
#define CYCLES_INSERT                                                                              \
	"INSERT INTO report_cycles (day, rep_id, source_id, segment_id, cycle_days, n) SELECT "    \
	"CAST($4 AS INTEGER), rep, src, seg, cyc, count(*) FROM ("
#define CYCLES_GROUP ") x GROUP BY rep, src, seg, cyc"
#define CYCLES_DAY   CYCLES_INSERT CYCLE_PART("$1 >= 0") CYCLES_GROUP
#define EXPECT_CYCLES                                                                              \
	"SELECT rep, src, seg, cyc, count(*) FROM (" CYCLE_PART("$1 >= 0") CYCLES_GROUP            \
	    " ORDER BY rep, src, seg, cyc"

/* recount_day recounts every rep's rows of a day (the rows are deleted first). */
static int recount_day(struct db *db, int64_t day, const struct report_params *rp,
		       struct nc_err *err)
{
	int64_t start, end;
	report_day_bounds(rp->timezone, day, &start, &end);
	return db_run(db, err, RECOUNT_DAY, "iiiiii", (int64_t)0, start, end,
		      (int64_t)rp->ring_limit_s, (int64_t)rp->callback_delay_s, day) < 0 ||
		       db_run(db, err, CYCLES_DAY, "iiii", (int64_t)0, start, end, day) < 0
		   ? -1
		   : 0;
}

/* ---- the daily cells ---- */

#define CELL_INSERT                                                                                \
	"INSERT INTO report_daily (day, rep_id, source_id, segment_id, " COUNTER_COLS              \
	") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "   \
	"$18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)"
/* CELL_SET: every counter but pending ($5..$28) */
#define CELL_SET                                                                                   \
	"UPDATE report_daily SET incoming = $5, outgoing = $6, missed = $7, answered = $8, "       \
	"answered_in_time = $9, callbacks_in_time = $10, connected = $11, effective = $12, "       \
	"max_calls = $13, min_calls = $14, talk_s = $15, step_calls = $16, meetings = $17, "       \
	"offers = $18, offers_amount = $19, sold = $20, sold_amount = $21, steps_meeting = $22, "  \
	"steps_visit = $23, steps_call = $24, steps_callback = $25, steps_offer = $26, "           \
	"steps_invoice = $27, steps_decision = $28"
#define CELL_UPDATE                                                                                \
	CELL_SET ", pending = $29 WHERE day = $1 AND rep_id = $2 AND source_id = $3 AND "          \
		 "segment_id = $4"
/* CELL_UPDATE of a cell whose pending stays ($29 is the stored value): a statement that sets
 * pending, even to its value, rewrites the row's entry of the partial indexes WHERE pending > 0
 * (report_daily_pending), one more page written by most logged calls */
#define CELL_UPDATE_SAME_PENDING                                                                   \
	CELL_SET " WHERE day = $1 AND rep_id = $2 AND source_id = $3 AND segment_id = $4 AND "     \
		 "pending = $29"

/* One (source, segment) cell of a (day, rep): its new counters and its stored row's. */
struct cell {
	int64_t src, seg;
	int64_t c[RC__COUNT];
	int64_t had[RC__COUNT]; /* the stored row's counters (zeros for a new one) */
};

/* The differences a write makes to report_daily, by (month, rep, source, segment): added to
 * report_monthly after the daily rows, in key order (two transactions on PostgreSQL then
 * lock the month rows they share in the same order). */
struct month_delta {
	int64_t month, rep, src, seg;
	int64_t d[RC__COUNT];
	int64_t day; /* the daily row's (report_daily_team), not a part of the key */
};

struct month_deltas {
	struct month_delta *v;
	size_t n, cap;
};

/* add_delta records the change of a daily cell from old to new (NULL: a missing row). */
static void add_delta(struct month_deltas *md, int64_t day, int64_t rep, int64_t src, int64_t seg,
		      const int64_t *old, const int64_t *new)
{
	if (md->n == md->cap) {
		md->cap = md->cap ? md->cap * 2 : 32;
		md->v = xrealloc(md->v, md->cap * sizeof(*md->v));
	}
	struct month_delta *m = &md->v[md->n++];
	m->month = month_of_day(day);
	m->day = day;
	m->rep = rep;
	m->src = src;
	m->seg = seg;
	for (int i = 0; i < RC__COUNT; i++)
		m->d[i] = (new ? new[i] : 0) - (old ? old[i] : 0);
}

static int cmp_delta(const void *a, const void *b)
{
	const struct month_delta *x = a, *y = b;
	const int64_t p[] = {x->month, x->rep, x->src, x->seg},
		      q[] = {y->month, y->rep, y->src, y->seg};
	for (int i = 0; i < 4; i++)
		if (p[i] != q[i])
			return p[i] < q[i] ? -1 : 1;
	return 0;
}

/* MONTH_ADD(SET): SET is ADD_COLS or ADD_COLS_BUT_PENDING of report_monthly */
#define MONTH_ADD(SET)                                                                             \
	"INSERT INTO report_monthly (month, rep_id, source_id, segment_id, " COUNTER_COLS          \
	") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "   \
	"$18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29) ON CONFLICT (month, rep_id, " \
	"source_id, segment_id) DO UPDATE SET " SET
/* ADD_COLS(T): every counter of table T plus the row being inserted (excluded); the statements
 * whose pending difference is 0 leave pending out (ADD_COLS_BUT_PENDING): setting it, even to
 * its value, rewrites the row's entry of the partial index WHERE pending > 0 of the table
 * (report_monthly_pending, report_daily_team_pending), a page more for most logged calls */
#define ADD_COLS(T) ADD_COLS_BUT_PENDING(T) ", pending = " T ".pending + excluded.pending"
#define ADD_COLS_BUT_PENDING(T)                                                                    \
	"incoming = " T ".incoming + excluded.incoming, "                                          \
	"outgoing = " T ".outgoing + excluded.outgoing, "                                          \
	"missed = " T ".missed + excluded.missed, "                                                \
	"answered = " T ".answered + excluded.answered, "                                          \
	"answered_in_time = " T ".answered_in_time + excluded.answered_in_time, "                  \
	"callbacks_in_time = " T ".callbacks_in_time + excluded.callbacks_in_time, "               \
	"connected = " T ".connected + excluded.connected, "                                       \
	"effective = " T ".effective + excluded.effective, "                                       \
	"max_calls = " T ".max_calls + excluded.max_calls, "                                       \
	"min_calls = " T ".min_calls + excluded.min_calls, "                                       \
	"talk_s = " T ".talk_s + excluded.talk_s, "                                                \
	"step_calls = " T ".step_calls + excluded.step_calls, "                                    \
	"meetings = " T ".meetings + excluded.meetings, "                                          \
	"offers = " T ".offers + excluded.offers, "                                                \
	"offers_amount = " T ".offers_amount + excluded.offers_amount, "                           \
	"sold = " T ".sold + excluded.sold, "                                                      \
	"sold_amount = " T ".sold_amount + excluded.sold_amount, "                                 \
	"steps_meeting = " T ".steps_meeting + excluded.steps_meeting, "                           \
	"steps_visit = " T ".steps_visit + excluded.steps_visit, "                                 \
	"steps_call = " T ".steps_call + excluded.steps_call, "                                    \
	"steps_callback = " T ".steps_callback + excluded.steps_callback, "                        \
	"steps_offer = " T ".steps_offer + excluded.steps_offer, "                                 \
	"steps_invoice = " T ".steps_invoice + excluded.steps_invoice, "                           \
	"steps_decision = " T ".steps_decision + excluded.steps_decision"

/* the same differences summed over the reps: $1 the day or month, $2 $3 the source and segment,
 * $4..$28 the counters */
#define TEAM_VALUES                                                                                \
	") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "   \
	"$18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28)"
#define TEAM_DAILY_ADD(SET)                                                                        \
	"INSERT INTO report_daily_team (day, source_id, segment_id, " COUNTER_COLS TEAM_VALUES     \
	" ON CONFLICT (day, source_id, segment_id) DO UPDATE SET " SET
#define TEAM_MONTHLY_ADD(SET)                                                                      \
	"INSERT INTO report_monthly_team (month, source_id, segment_id, " COUNTER_COLS TEAM_VALUES \
	" ON CONFLICT (month, source_id, segment_id) DO UPDATE SET " SET

/* The three tables' statements: [0] with pending, [1] without (its difference is 0). */
static const char *const month_add[2] = {MONTH_ADD(ADD_COLS("report_monthly")),
					 MONTH_ADD(ADD_COLS_BUT_PENDING("report_monthly"))};
static const char *const team_daily_add[2] = {
    TEAM_DAILY_ADD(ADD_COLS("report_daily_team")),
    TEAM_DAILY_ADD(ADD_COLS_BUT_PENDING("report_daily_team"))};
static const char *const team_monthly_add[2] = {
    TEAM_MONTHLY_ADD(ADD_COLS("report_monthly_team")),
    TEAM_MONTHLY_ADD(ADD_COLS_BUT_PENDING("report_monthly_team"))};

/* add_sums_by_key adds the differences v[0..n) to their rows by sql (month_add, or without the
 * rep: team_daily_add, team_monthly_add), merged by key in key order; a key whose differences
 * sum to zero is not written. */
static int add_sums_by_key(struct db *db, const char *const sql[2], bool team,
			   struct month_delta *v, size_t n, struct nc_err *err)
{
	if (n)
		qsort(v, n, sizeof(*v), cmp_delta);
	for (size_t i = 0; i < n;) {
		struct month_delta sum = v[i];
		size_t j = i + 1;
		for (; j < n && cmp_delta(&v[j], &sum) == 0; j++)
			for (int k = 0; k < RC__COUNT; k++)
				sum.d[k] += v[j].d[k];
		i = j;
		bool zero = true;
		for (int k = 0; k < RC__COUNT && zero; k++)
			zero = sum.d[k] == 0;
		if (zero)
			continue;
		struct db_stmt *st = db_prepare(db, sql[sum.d[RC_PENDING] == 0], err);
		if (!st)
			return -1;
		int p = 1;
		db_bind_int(st, p++, sum.month);
		if (!team)
			db_bind_int(st, p++, sum.rep);
		db_bind_int(st, p++, sum.src);
		db_bind_int(st, p++, sum.seg);
		for (int k = 0; k < RC__COUNT; k++)
			db_bind_int(st, p + k, sum.d[k]);
		int rc = db_step(st, err);
		db_done(st);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* apply_deltas adds the differences to report_monthly, then summed over the reps to
 * report_daily_team and report_monthly_team (migration 0011), merged by key: a team row gets
 * exactly what its rows of report_daily or report_monthly got (a row brought to zeros stays, as in
 * report_monthly). */
static int apply_deltas(struct db *db, struct month_deltas *md, struct nc_err *err)
{
	if (md->n == 0)
		return 0;
	if (add_sums_by_key(db, month_add, false, md->v, md->n, err) < 0)
		return -1;
	struct month_delta *t = xcalloc(md->n, sizeof(*t));
	int rc = 0;
	for (int by_day = 1; by_day >= 0 && rc == 0; by_day--) {
		for (size_t i = 0; i < md->n; i++) {
			t[i] = md->v[i];
			t[i].month = by_day ? md->v[i].day : md->v[i].month;
			t[i].rep = 0;
		}
		rc = add_sums_by_key(db, by_day ? team_daily_add : team_monthly_add, true, t, md->n,
				     err);
	}
	free(t);
	return rc;
}

/* The differences a write makes to report_cycles, by (month, rep, source, segment, cycle):
 * added to report_cycles_monthly after the counters' months, in key order too. */
struct cycle_delta {
	int64_t k[5]; /* month, rep, source, segment, cycle_days */
	int64_t d;
};

struct cycle_deltas {
	struct cycle_delta *v;
	size_t n, cap;
};

static int cmp_cycle_delta(const void *a, const void *b)
{
	const struct cycle_delta *x = a, *y = b;
	for (int i = 0; i < 5; i++)
		if (x->k[i] != y->k[i])
			return x->k[i] < y->k[i] ? -1 : 1;
	return 0;
}

/* apply_cycle_deltas adds the differences to report_cycles_monthly, merged by key; a row the
 * differences bring to 0 is deleted (no deal of that cycle left in the month). */
static int apply_cycle_deltas(struct db *db, struct cycle_deltas *cd, struct nc_err *err)
{
	if (cd->n)
		qsort(cd->v, cd->n, sizeof(*cd->v), cmp_cycle_delta);
	for (size_t i = 0; i < cd->n;) {
		struct cycle_delta sum = cd->v[i];
		size_t j = i + 1;
		for (; j < cd->n && cmp_cycle_delta(&cd->v[j], &sum) == 0; j++)
			sum.d += cd->v[j].d;
		i = j;
		const int64_t *k = sum.k;
		if (sum.d == 0)
			continue;
		if (db_run(
			db, err,
			"INSERT INTO report_cycles_monthly (month, rep_id, source_id, segment_id, "
			"cycle_days, n) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (month, "
			"rep_id, "
			"source_id, segment_id, cycle_days) DO UPDATE SET n = "
			"report_cycles_monthly.n + excluded.n",
			"iiiiii", k[0], k[1], k[2], k[3], k[4], sum.d) < 0)
			return -1;
		if (sum.d < 0 &&
		    db_run(db, err,
			   "DELETE FROM report_cycles_monthly WHERE month = $1 AND rep_id = $2 AND "
			   "source_id = $3 AND segment_id = $4 AND cycle_days = $5 AND n = 0",
			   "iiiii", k[0], k[1], k[2], k[3], k[4]) < 0)
			return -1;
	}
	return 0;
}

static bool is(const char *s, const char *word)
{
	return s && strcmp(s, word) == 0;
}

/* call_counters adds sign times the counters of a call or meeting as CALL_PART counts them, from
 * the columns of st at base: kind, direction, missed, ring_s, result, outcome, talk_s, and
 * whether it was called back in time (ROW_CALL from its sixth column). */
static void call_counters(struct db_stmt *st, int base, int64_t ring_s, int64_t sign, int64_t *c)
{
	const char *kind = db_col_text(st, base), *dir = db_col_text(st, base + 1);
	const char *result = db_col_text(st, base + 4);
	int64_t missed = db_col_int(st, base + 2);
	bool call = is(kind, "call"), in = call && is(dir, "in");
	c[RC_INCOMING] += sign * in;
	c[RC_OUTGOING] += sign * (call && is(dir, "out"));
	c[RC_MISSED] += sign * (in && missed == 1);
	c[RC_ANSWERED] += sign * (in && missed == 0);
	c[RC_ANSWERED_IN_TIME] += sign * (in && missed == 0 && db_col_int(st, base + 3) < ring_s);
	c[RC_CALLBACKS_IN_TIME] += sign * (db_col_int(st, base + 7) == 1);
	c[RC_CONNECTED] += sign * (call && missed == 0);
	c[RC_EFFECTIVE] += sign * (call && (is(result, "max") || is(result, "min")));
	c[RC_MAX] += sign * (call && is(result, "max"));
	c[RC_MIN] += sign * (call && is(result, "min"));
	c[RC_TALK_S] += sign * (call ? db_col_int(st, base + 6) : 0);
	c[RC_STEP_CALLS] += sign * (call && is(db_col_text(st, base + 5), "next_step"));
	c[RC_MEETINGS] += sign * is(kind, "meeting");
}

/* step_counters adds sign times the counters of a next step of kind as STEP_PART counts them. */
static void step_counters(const char *kind, int64_t sign, int64_t *c)
{
	static const char *const kinds[] = {"meeting", "visit",	  "call",    "callback",
					    "offer",   "invoice", "decision"};
	for (int i = 0; i < 7; i++)
		c[RC_STEPS_MEETING + i] += sign * is(kind, kinds[i]);
}

/* write_cell inserts or updates the row of a cell (sql: CELL_INSERT or CELL_UPDATE). */
static int write_cell(struct db *db, const char *sql, int64_t day, int64_t rep,
		      const struct cell *c, struct nc_err *err)
{
	struct db_stmt *st = db_prepare(db, sql, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, day);
	db_bind_int(st, 2, rep);
	db_bind_int(st, 3, c->src);
	db_bind_int(st, 4, c->seg);
	for (int i = 0; i < RC__COUNT; i++)
		db_bind_int(st, 5 + i, c->c[i]);
	int rc = db_step(st, err);
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int cmp_key(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* ---- the differences of a write (issue 9) ----
 * A write's rows are watched before it and counted again after it: each raw row adds to one
 * daily cell per part it counts in (a call; a deal opened, and won; a next step) and, for a deal
 * won, to one histogram row of the sales cycles. The net difference of a cell is added to its
 * stored row: the cost is the rows watched, not the rows of the cell. A row of report_daily
 * exists while a raw row counts in its cell (as the GROUP BY of the recount makes it, even when
 * all its counters are 0): each contribution carries the number of raw rows it moves, and a row
 * that ends with only zeros after rows left it is kept only when a raw row still counts there. */

struct rollup_watch {
	unsigned part;
	int64_t id;
};

struct rollup_contrib {
	int64_t day, rep, src, seg;
	int64_t rows; /* raw rows that came (1) or went (-1) */
	int64_t c[RC__COUNT];
};

struct rollup_cycle {
	int64_t k[5]; /* day, rep, source, segment, cycle_days */
	int64_t n;
};

/* The rows of one table with their contributions; $1 the callback delay (calls). */
#define ROW_CALL                                                                                   \
	"SELECT c.id, c.started_at, coalesce(c.rep_id, 0), coalesce(k.source_id, 0), "             \
	"coalesce(k.segment_id, 0), c.kind, c.direction, c.missed, c.ring_s, c.result, "           \
	"c.outcome, c.talk_s, CASE WHEN " CALL_IN " AND c.missed = 1 AND EXISTS (SELECT 1 FROM "   \
	"calls b WHERE b.client_id = c.client_id AND b.started_at >= c.started_at AND "            \
	"b.started_at <= c.started_at + $1 AND b.id <> c.id AND b.kind = 'call' AND "              \
	"(b.direction = 'out' OR (b.direction = 'in' AND b.missed = 0))) THEN 1 ELSE 0 END FROM "  \
	"calls c LEFT JOIN clients k ON k.id = c.client_id WHERE "
#define ROW_DEAL                                                                                   \
	"SELECT d.id, d.created_at, d.closed_at, coalesce(d.rep_id, 0), coalesce(k.source_id, "    \
	"0), coalesce(k.segment_id, 0), d.amount, d.stage, CASE WHEN k.id IS NOT NULL AND "        \
	"d.stage = 'won' THEN (d.closed_at - coalesce((SELECT min(c.started_at) FROM calls c "     \
	"WHERE c.client_id = d.client_id), k.created_at)) / 86400 END FROM deals d LEFT JOIN "     \
	"clients k ON k.id = d.client_id WHERE "
#define ROW_STEP                                                                                   \
	"SELECT s.id, s.created_at, coalesce(s.rep_id, 0), coalesce(k.source_id, 0), "             \
	"coalesce(k.segment_id, 0), s.kind FROM next_steps s LEFT JOIN clients k ON k.id = "       \
	"s.client_id WHERE "

static int delta_ready(struct db *db, struct rollup_delta *d, struct nc_err *err)
{
	if (d->state == 0) {
		struct params_buf p;
		if (read_params(db, &p, err) < 0)
			return -1;
		d->state = p.built ? 1 : 2;
		snprintf(d->tz, sizeof(d->tz), "%s", p.tz);
		d->ring_s = p.ring_s;
		d->delay_s = p.delay_s;
	}
	return d->state == 1;
}

/* ---- one application per transaction ----
 * A write transaction may make several writes (a logged call, then its next step; a client's
 * steps, then the client himself), each watching its rows. Applied one by one, each would lock
 * its (day, rep) rows of report_locks, then the daily, monthly and team rows it changes, and
 * the next would take report_locks again while holding the team rows of the first: two such
 * transactions then lock in opposite orders and PostgreSQL breaks the deadlock after
 * deadlock_timeout. So while a write transaction is open every watch goes to one delta of the
 * transaction's, kept on the connection (db->tx_hook), and db_commit applies it once, just
 * before COMMIT, over the union of the rows watched: one pass in the fixed order (report_locks,
 * daily cells and cycles, months, team rows, each in key order). A row watched again is not
 * subtracted twice: its contribution as the transaction found it was taken the first time, and
 * its final one is added at the end. A rollback discards it. */

static int pending_before_commit(struct db *db, void *data, struct nc_err *err);

static void pending_discard(void *data)
{
	store_rollup_delta_free(data);
	free(data);
}

/* tx_delta gives the delta the watches of d go to: the transaction's, made on first use, while
 * a write transaction is open; d itself outside one (each statement is then its own). */
static struct rollup_delta *tx_delta(struct db *db, struct rollup_delta *d)
{
	if (!db_in_tx(db))
		return d;
	if (!db->tx_hook.data)
		db->tx_hook = (struct db_tx_hook){xcalloc(1, sizeof(struct rollup_delta)),
						  pending_before_commit, pending_discard};
	assert(db->tx_hook.before_commit == pending_before_commit);
	return db->tx_hook.data;
}

static size_t watch_slot(const struct rollup_delta *d, unsigned part, int64_t id)
{
	uint64_t h = ((uint64_t)id * 4 + part) * 0x9E3779B97F4A7C15u;
	return (size_t)(h >> 32) & (d->caph - 1);
}

/* watch_add adds (part, id) to the rows watched: false when it was watched already. A hash
 * index: an import watches tens of thousands of rows, new ones and older ones of the same
 * clients in any order. */
static bool watch_add(struct rollup_delta *d, unsigned part, int64_t id)
{
	if (d->nw * 2 >= d->caph) {
		d->caph = d->caph ? d->caph * 2 : 32;
		free(d->wh);
		d->wh = xcalloc(d->caph, sizeof(*d->wh));
		for (size_t i = 0; i < d->nw; i++) {
			size_t s = watch_slot(d, d->w[i].part, d->w[i].id);
			while (d->wh[s])
				s = (s + 1) & (d->caph - 1);
			d->wh[s] = i + 1;
		}
	}
	size_t s = watch_slot(d, part, id);
	for (; d->wh[s]; s = (s + 1) & (d->caph - 1)) {
		const struct rollup_watch *w = &d->w[d->wh[s] - 1];
		if (w->part == part && w->id == id)
			return false;
	}
	if (d->nw == d->capw) {
		d->capw = d->capw ? d->capw * 2 : 16;
		d->w = xrealloc(d->w, d->capw * sizeof(*d->w));
	}
	d->w[d->nw++] = (struct rollup_watch){part, id};
	d->wh[s] = d->nw;
	return true;
}

static int64_t *contrib(struct rollup_delta *d, int64_t at, int64_t rep, int64_t src, int64_t seg,
			int64_t sign)
{
	if (d->nc == d->capc) {
		d->capc = d->capc ? d->capc * 2 : 16;
		d->c = xrealloc(d->c, d->capc * sizeof(*d->c));
	}
	struct rollup_contrib *c = &d->c[d->nc++];
	memset(c, 0, sizeof(*c));
	c->day = report_day_of(d->tz, at);
	c->rep = rep;
	c->src = src;
	c->seg = seg;
	c->rows = sign;
	return c->c;
}

/* count_row adds sign times the contributions of the row st holds (ROW_CALL, ROW_DEAL or
 * ROW_STEP by part). */
static void count_row(struct rollup_delta *d, unsigned part, struct db_stmt *st, int64_t sign)
{
	if (part == ROLLUP_CALLS) {
		int64_t *c = contrib(d, db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3),
				     db_col_int(st, 4), sign);
		call_counters(st, 5, d->ring_s, sign, c);
	} else if (part == ROLLUP_STEPS) {
		int64_t *c = contrib(d, db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3),
				     db_col_int(st, 4), sign);
		step_counters(db_col_text(st, 5), sign, c);
	} else {
		int64_t rep = db_col_int(st, 3), src = db_col_int(st, 4), seg = db_col_int(st, 5);
		int64_t amount = db_col_int(st, 6);
		const char *stage = db_col_text(st, 7);
		if (!db_col_null(st, 1)) {
			int64_t *c = contrib(d, db_col_int(st, 1), rep, src, seg, sign);
			c[RC_OFFERS] = sign;
			c[RC_OFFERS_AMOUNT] = sign * amount;
			c[RC_PENDING] = sign * is(stage, "pending");
		}
		if (is(stage, "won") && !db_col_null(st, 2)) {
			int64_t closed = db_col_int(st, 2);
			int64_t *c = contrib(d, closed, rep, src, seg, sign);
			c[RC_SOLD] = sign;
			c[RC_SOLD_AMOUNT] = sign * amount;
			if (!db_col_null(st, 8)) {
				if (d->ny == d->capy) {
					d->capy = d->capy ? d->capy * 2 : 8;
					d->y = xrealloc(d->y, d->capy * sizeof(*d->y));
				}
				d->y[d->ny++] =
				    (struct rollup_cycle){{report_day_of(d->tz, closed), rep, src,
							   seg, db_col_int(st, 8)},
							  sign};
			}
		}
	}
}

/* watch_rows watches the rows of st (of part) not watched yet, their contributions taken as
 * they are now. */
static int watch_rows(struct rollup_delta *d, unsigned part, struct db_stmt *st, struct nc_err *err)
{
	if (!st)
		return -1;
	int rc;
	while ((rc = db_step(st, err)) == 1)
		if (watch_add(d, part, db_col_int(st, 0)))
			count_row(d, part, st, -1);
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int store_rollup_watch_window(struct db *db, struct rollup_delta *d, int64_t client_id, int64_t at,
			      struct nc_err *err)
{
	d = tx_delta(db, d);
	int ready = delta_ready(db, d, err);
	if (ready <= 0 || !client_id)
		return ready < 0 ? -1 : 0;
	if (lock_client(db, client_id, err) < 0)
		return -1;
	/* the missed calls a call at `at` may call back, and the cycles of his sales (his first
	 * contact may move) */
	return watch_rows(d, ROLLUP_CALLS,
			  db_preparef(db, err,
				      ROW_CALL "c.client_id = $2 AND c.started_at >= $3 AND "
					       "c.started_at <= $4 AND c.kind = 'call' AND "
					       "c.direction = 'in' AND c.missed = 1",
				      "iiii", (int64_t)d->delay_s, client_id, at - d->delay_s, at),
			  err) < 0 ||
		       watch_rows(d, ROLLUP_DEALS,
				  db_preparef(db, err,
					      ROW_DEAL "d.client_id = $1 AND d.stage = 'won'", "i",
					      client_id),
				  err) < 0
		   ? -1
		   : 0;
}

int store_rollup_watch_call(struct db *db, struct rollup_delta *d, int64_t id, int64_t also_client,
			    struct nc_err *err)
{
	d = tx_delta(db, d);
	int ready = delta_ready(db, d, err);
	if (ready <= 0)
		return ready;
	struct db_stmt *st = db_preparef(db, err,
					 "SELECT started_at, coalesce(client_id, 0) FROM calls "
					 "WHERE id = $1",
					 "i", id);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	int64_t at = rc == 1 ? db_col_int(st, 0) : 0, client = rc == 1 ? db_col_int(st, 1) : 0;
	db_done(st);
	if (rc <= 0)
		return rc;
	if (watch_rows(d, ROLLUP_CALLS,
		       db_preparef(db, err, ROW_CALL "c.id = $2", "ii", (int64_t)d->delay_s, id),
		       err) < 0 ||
	    store_rollup_watch_window(db, d, client, at, err) < 0)
		return -1;
	return also_client && also_client != client
		   ? store_rollup_watch_window(db, d, also_client, at, err)
		   : 0;
}

int store_rollup_watch_deal(struct db *db, struct rollup_delta *d, int64_t id, struct nc_err *err)
{
	d = tx_delta(db, d);
	int ready = delta_ready(db, d, err);
	if (ready <= 0)
		return ready;
	return watch_rows(d, ROLLUP_DEALS, db_preparef(db, err, ROW_DEAL "d.id = $1", "i", id),
			  err);
}

int store_rollup_watch_client(struct db *db, struct rollup_delta *d, int64_t client_id,
			      unsigned parts, struct nc_err *err)
{
	d = tx_delta(db, d);
	int ready = delta_ready(db, d, err);
	if (ready <= 0)
		return ready;
	if (lock_client(db, client_id, err) < 0)
		return -1;
	if ((parts & ROLLUP_CALLS) && watch_rows(d, ROLLUP_CALLS,
						 db_preparef(db, err, ROW_CALL "c.client_id = $2",
							     "ii", (int64_t)d->delay_s, client_id),
						 err) < 0)
		return -1;
	if ((parts & ROLLUP_DEALS) &&
	    watch_rows(d, ROLLUP_DEALS,
		       db_preparef(db, err, ROW_DEAL "d.client_id = $1", "i", client_id), err) < 0)
		return -1;
	if ((parts & ROLLUP_STEPS) &&
	    watch_rows(d, ROLLUP_STEPS,
		       db_preparef(db, err, ROW_STEP "s.client_id = $1", "i", client_id), err) < 0)
		return -1;
	return 0;
}

int store_rollup_delta_new(struct db *db, struct rollup_delta *d, unsigned part, int64_t id,
			   struct nc_err *err)
{
	d = tx_delta(db, d);
	int ready = delta_ready(db, d, err);
	if (ready <= 0)
		return ready;
	watch_add(d, part, id);
	return 0;
}

void store_rollup_call_new(struct db *db, struct rollup_delta *d, int64_t rep_id,
			   int64_t started_at)
{
	if (rep_id > 0)
		call_hours_add(tx_delta(db, d), rep_id, started_at);
}

void store_rollup_delta_free(struct rollup_delta *d)
{
	free(d->w);
	free(d->wh);
	free(d->c);
	free(d->y);
	free(d->h);
	memset(d, 0, sizeof(*d));
}

static int cmp_contrib(const void *a, const void *b)
{
	const struct rollup_contrib *x = a, *y = b;
	const int64_t p[] = {x->day, x->rep, x->src, x->seg},
		      q[] = {y->day, y->rep, y->src, y->seg};
	for (int i = 0; i < 4; i++)
		if (p[i] != q[i])
			return p[i] < q[i] ? -1 : 1;
	return 0;
}

/* merge_contribs sorts the contributions by cell and sums those of one cell: their number. */
static size_t merge_contribs(struct rollup_delta *d)
{
	size_t n = 0;
	if (d->nc)
		qsort(d->c, d->nc, sizeof(*d->c), cmp_contrib);
	for (size_t i = 0; i < d->nc; i++) {
		if (n && cmp_contrib(&d->c[n - 1], &d->c[i]) == 0) {
			d->c[n - 1].rows += d->c[i].rows;
			for (int j = 0; j < RC__COUNT; j++)
				d->c[n - 1].c[j] += d->c[i].c[j];
		} else {
			d->c[n++] = d->c[i];
		}
	}
	d->nc = n;
	return n;
}

static int cmp_watch(const void *a, const void *b)
{
	const struct rollup_watch *x = a, *y = b;
	if (x->part != y->part)
		return x->part < y->part ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_rollup_cycle(const void *a, const void *b)
{
	const struct rollup_cycle *x = a, *y = b;
	for (int i = 0; i < 5; i++)
		if (x->k[i] != y->k[i])
			return x->k[i] < y->k[i] ? -1 : 1;
	return 0;
}

/* The raw rows of a cell, any part: $1 rep, $2 $3 the day, $4 source, $5 segment. */
#define CELL_ROWS_WHERE(A, T)                                                                      \
	" AND " A "." T " >= $2 AND " A "." T " < $3 AND coalesce(k.source_id, 0) = $4 AND "       \
	"coalesce(k.segment_id, 0) = $5"
#define CELL_EXISTS(REPC, REPD, REPS)                                                              \
	"SELECT CASE WHEN EXISTS (SELECT 1 FROM calls c LEFT JOIN clients k ON k.id = "            \
	"c.client_id WHERE " REPC CELL_ROWS_WHERE(                                                 \
	    "c",                                                                                   \
	    "started_at") ") OR EXISTS (SELECT 1 FROM "                                            \
			  "deals d LEFT JOIN clients k ON k.id = d.client_id WHERE " REPD          \
			      CELL_ROWS_WHERE(                                                     \
				  "d",                                                             \
				  "created_at") ") OR EXISTS (SELECT 1 FROM deals d LEFT JOIN "    \
						"clients k ON k.id = "                             \
						"d.client_id WHERE " REPD                          \
						" AND d.stage = 'won'" CELL_ROWS_WHERE(            \
						    "d",                                           \
						    "closed_at") ") OR EXISTS (SELECT 1 FROM "     \
								 "next_steps s "                   \
								 "LEFT JOIN clients k ON k.id = "  \
								 "s.client_id "                    \
								 "WHERE " REPS CELL_ROWS_WHERE(    \
								     "s",                          \
								     "created_at") ") THEN 1 "     \
										   "ELSE 0 END"

/* cell_has_rows: whether a raw row still counts in (day, rep, src, seg). */
static int cell_has_rows(struct db *db, const char *tz, const struct rollup_contrib *k,
			 struct nc_err *err)
{
	int64_t start, end, n = 0;
	report_day_bounds(tz, k->day, &start, &end);
	const char *q =
	    k->rep ? CELL_EXISTS("c.rep_id = $1", "d.rep_id = $1", "s.rep_id = $1")
		   : CELL_EXISTS("c.rep_id IS NULL AND $1 = 0", "d.rep_id IS NULL AND $1 = 0",
				 "s.rep_id IS NULL AND $1 = 0");
	if (db_get_int(db, err, &n, q, "iiiii", k->rep, start, end, k->src, k->seg) < 0)
		return -1;
	return n == 1;
}

/* apply_cell adds the net difference k to its stored row. */
static int apply_cell(struct db *db, const char *tz, const struct rollup_contrib *k,
		      struct month_deltas *md, struct nc_err *err)
{
	struct cell cell = {.src = k->src, .seg = k->seg};
	struct db_stmt *st = db_preparef(db, err,
					 "SELECT " COUNTER_COLS " FROM report_daily WHERE day = $1 "
					 "AND rep_id = $2 AND source_id = $3 AND segment_id = $4",
					 "iiii", k->day, k->rep, k->src, k->seg);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	bool stored = rc == 1, changed = false, zero = true;
	for (int i = 0; i < RC__COUNT; i++) {
		cell.had[i] = stored ? db_col_int(st, i) : 0;
		cell.c[i] = cell.had[i] + k->c[i];
		changed = changed || k->c[i] != 0;
		zero = zero && cell.c[i] == 0;
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (!stored) {
		if (!changed && k->rows <= 0)
			return 0;
		if (write_cell(db, CELL_INSERT, k->day, k->rep, &cell, err) < 0)
			return -1;
		add_delta(md, k->day, k->rep, k->src, k->seg, NULL, cell.c);
		return 0;
	}
	if (zero && k->rows < 0) { /* rows left a cell of zeros: is any still there? */
		int has = cell_has_rows(db, tz, k, err);
		if (has < 0)
			return -1;
		if (!has) {
			if (db_run(db, err,
				   "DELETE FROM report_daily WHERE day = $1 AND rep_id = $2 AND "
				   "source_id = $3 AND segment_id = $4",
				   "iiii", k->day, k->rep, k->src, k->seg) < 0)
				return -1;
			add_delta(md, k->day, k->rep, k->src, k->seg, cell.had, NULL);
			return 0;
		}
	}
	if (!changed)
		return 0;
	/* pending kept: written without it, unless the row's pending is not the one read */
	bool same = cell.c[RC_PENDING] == cell.had[RC_PENDING];
	if (same && write_cell(db, CELL_UPDATE_SAME_PENDING, k->day, k->rep, &cell, err) < 0)
		return -1;
	if ((!same || db_changes(db) == 0) &&
	    write_cell(db, CELL_UPDATE, k->day, k->rep, &cell, err) < 0)
		return -1;
	add_delta(md, k->day, k->rep, k->src, k->seg, cell.had, cell.c);
	return 0;
}

/* apply_cycle adds the net difference y (a number of deals) to its histogram row, deleted when
 * none is left. */
static int apply_cycle(struct db *db, const struct rollup_cycle *y, struct cycle_deltas *cd,
		       struct nc_err *err)
{
	const int64_t *k = y->k;
	if (db_run(db, err,
		   "INSERT INTO report_cycles (day, rep_id, source_id, segment_id, cycle_days, n) "
		   "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (day, rep_id, source_id, "
		   "segment_id, cycle_days) DO UPDATE SET n = report_cycles.n + excluded.n",
		   "iiiiii", k[0], k[1], k[2], k[3], k[4], y->n) < 0)
		return -1;
	if (y->n < 0 &&
	    db_run(db, err,
		   "DELETE FROM report_cycles WHERE day = $1 AND rep_id = $2 AND source_id = $3 "
		   "AND segment_id = $4 AND cycle_days = $5 AND n = 0",
		   "iiiii", k[0], k[1], k[2], k[3], k[4]) < 0)
		return -1;
	if (cd->n == cd->cap) {
		cd->cap = cd->cap ? cd->cap * 2 : 16;
		cd->v = xrealloc(cd->v, cd->cap * sizeof(*cd->v));
	}
	cd->v[cd->n++] = (struct cycle_delta){{month_of_day(k[0]), k[1], k[2], k[3], k[4]}, y->n};
	return 0;
}

/* The calls of ids [$2, $3], at most RANGE_MAX of them. */
#define CALLS_RANGE ROW_CALL "c.id >= $2 AND c.id <= $3"
#define RANGE_MAX   256

/* delta_apply adds the watched rows' contributions as they now are and writes the net
 * differences; frees d. */
static int delta_apply(struct db *db, struct rollup_delta *d, struct nc_err *err)
{
	int rc = -1;
	struct month_deltas md = {0};
	struct cycle_deltas cd = {0};
	int64_t(*locks)[2] = NULL;
	/* the calls' hours first: kept whether the rollups are built or not */
	if (d->nh && call_hours_write(db, d, err) < 0)
		goto out;
	if (d->state != 1) {
		rc = 0;
		goto out;
	}
	/* every watched row as it now is (a row deleted adds nothing), in id order (the pages of
	 * an import's new calls in turn); the contributions are merged by cell as they grow */
	static const char *const by_id[] = {ROW_CALL "c.id = $2", ROW_DEAL "d.id = $1",
					    ROW_STEP "s.id = $1"};
	if (d->nw)
		qsort(d->w, d->nw, sizeof(*d->w), cmp_watch);
	size_t merged = merge_contribs(d);
	for (size_t i = 0, j; i < d->nw; i = j) {
		unsigned part = d->w[i].part;
		int t = part == ROLLUP_CALLS ? 0 : part == ROLLUP_DEALS ? 1 : 2;
		/* a run of calls of consecutive ids (an import's new calls) is read by one range
		 * of the primary key: every row in it is watched */
		j = i + 1;
		while (t == 0 && j < d->nw && j - i < RANGE_MAX && d->w[j].part == part &&
		       d->w[j].id == d->w[i].id + (int64_t)(j - i))
			j++;
		struct db_stmt *st =
		    j - i > 1 ? db_preparef(db, err, CALLS_RANGE, "iii", (int64_t)d->delay_s,
					    d->w[i].id, d->w[j - 1].id)
		    : t == 0 ? db_preparef(db, err, by_id[0], "ii", (int64_t)d->delay_s, d->w[i].id)
			     : db_preparef(db, err, by_id[t], "i", d->w[i].id);
		if (!st)
			goto out;
		int r;
		while ((r = db_step(st, err)) == 1)
			count_row(d, part, st, 1);
		db_done(st);
		if (r < 0)
			goto out;
		if (d->nc > 2 * merged + 4096)
			merged = merge_contribs(d);
	}
	/* the net differences by cell, and by histogram row */
	size_t n = merge_contribs(d), ny = 0;
	size_t kept = 0; /* a cell the write left as it was is not touched */
	for (size_t i = 0; i < n; i++) {
		bool moves = d->c[i].rows != 0;
		for (int j = 0; j < RC__COUNT && !moves; j++)
			moves = d->c[i].c[j] != 0;
		if (moves)
			d->c[kept++] = d->c[i];
	}
	n = kept;
	if (d->ny)
		qsort(d->y, d->ny, sizeof(*d->y), cmp_rollup_cycle);
	for (size_t i = 0; i < d->ny; i++) {
		if (ny && cmp_rollup_cycle(&d->y[ny - 1], &d->y[i]) == 0)
			d->y[ny - 1].n += d->y[i].n;
		else
			d->y[ny++] = d->y[i];
	}
	/* lock the (day, rep) of every cell that moves, in key order */
	size_t nl = 0;
	locks = xcalloc(n + ny + 1, sizeof(*locks));
	for (size_t i = 0; i < n; i++)
		locks[nl][0] = d->c[i].day, locks[nl++][1] = d->c[i].rep;
	for (size_t i = 0; i < ny; i++)
		if (d->y[i].n)
			locks[nl][0] = d->y[i].k[0], locks[nl++][1] = d->y[i].k[1];
	if (nl)
		qsort(locks, nl, sizeof(*locks), cmp_key);
	for (size_t i = 0; i < nl; i++)
		if ((i == 0 || cmp_key(locks[i - 1], locks[i]) != 0) &&
		    db_run(db, err,
			   "INSERT INTO report_locks (day, rep_id, n) VALUES ($1, $2, 1) ON "
			   "CONFLICT (day, rep_id) DO UPDATE SET n = report_locks.n + 1",
			   "ii", locks[i][0], locks[i][1]) < 0)
			goto out;
	for (size_t i = 0; i < n; i++)
		if (apply_cell(db, d->tz, &d->c[i], &md, err) < 0)
			goto out;
	for (size_t i = 0; i < ny; i++)
		if (d->y[i].n && apply_cycle(db, &d->y[i], &cd, err) < 0)
			goto out;
	if (apply_deltas(db, &md, err) < 0 || apply_cycle_deltas(db, &cd, err) < 0)
		goto out;
	rc = 0;
out:
	free(locks);
	free(md.v);
	free(cd.v);
	store_rollup_delta_free(d);
	return rc;
}

static int pending_before_commit(struct db *db, void *data, struct nc_err *err)
{
	int rc = delta_apply(db, data, err);
	free(data);
	return rc;
}

int store_rollup_delta_apply(struct db *db, struct rollup_delta *d, struct nc_err *err)
{
	/* in a write transaction the watches went to the transaction's delta (tx_delta), applied
	 * by db_commit; d holds something only when it was watched before the transaction began:
	 * it is applied now, as it was made */
	if (db_in_tx(db) && d->nw == 0 && d->nc == 0 && d->ny == 0 && d->nh == 0) {
		store_rollup_delta_free(d);
		return 0;
	}
	return delta_apply(db, d, err);
}

int store_rollup_flush(struct db *db, struct nc_err *err)
{
	if (!db->tx_hook.data || db->tx_hook.before_commit != pending_before_commit)
		return 0;
	struct rollup_delta *p = db->tx_hook.data;
	db->tx_hook = (struct db_tx_hook){0};
	return pending_before_commit(db, p, err);
}

int call_hours_flush(struct db *db, struct nc_err *err)
{
	if (!db->tx_hook.data || db->tx_hook.before_commit != pending_before_commit)
		return 0;
	struct rollup_delta *d = db->tx_hook.data;
	return d->nh ? call_hours_write(db, d, err) : 0;
}

/* discard_pending drops the transaction's delta, before a rebuild that recounts everything from
 * the raw rows as they now are (it holds their changes already) with maybe other params; the
 * calls' hours it holds are written first: the rebuild does not count them. */
static int discard_pending(struct db *db, struct nc_err *err)
{
	if (!db->tx_hook.data || db->tx_hook.before_commit != pending_before_commit)
		return 0;
	struct rollup_delta *d = db->tx_hook.data;
	db->tx_hook = (struct db_tx_hook){0};
	int rc = d->nh ? call_hours_write(db, d, err) : 0;
	pending_discard(d);
	return rc;
}

/* data_days gives the first and last day with a row to count or a rollup row (*first > *last
 * when there is none). */
static int data_days(struct db *db, const char *tz, int64_t *first, int64_t *last,
		     struct nc_err *err)
{
	*first = 1;
	*last = 0;
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT min(t), max(t) FROM (SELECT min(started_at) AS t FROM calls UNION ALL SELECT "
	    "max(started_at) FROM calls UNION ALL SELECT min(created_at) FROM deals UNION ALL "
	    "SELECT max(created_at) FROM deals UNION ALL SELECT max(closed_at) FROM deals UNION "
	    "ALL SELECT min(created_at) FROM next_steps UNION ALL SELECT max(created_at) FROM "
	    "next_steps) x",
	    err);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1 && !db_col_null(st, 0)) {
		*first = report_day_of(tz, db_col_int(st, 0));
		*last = report_day_of(tz, db_col_int(st, 1));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	st = db_prepare(db,
			"SELECT min(day), max(day) FROM (SELECT day FROM report_daily UNION ALL "
			"SELECT day FROM report_cycles) x",
			err);
	if (!st)
		return -1;
	rc = db_step(st, err);
	if (rc == 1 && !db_col_null(st, 0)) {
		int64_t a = db_col_int(st, 0), b = db_col_int(st, 1);
		if (*first > *last) {
			*first = a;
			*last = b;
		} else {
			*first = a < *first ? a : *first;
			*last = b > *last ? b : *last;
		}
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* The sums of report_daily over months, as report_monthly holds them. */
#define SUM_COLS                                                                                   \
	"sum(incoming), sum(outgoing), sum(missed), sum(answered), sum(answered_in_time), "        \
	"sum(callbacks_in_time), sum(connected), sum(effective), sum(max_calls), "                 \
	"sum(min_calls), sum(talk_s), sum(step_calls), sum(meetings), sum(offers), "               \
	"sum(offers_amount), sum(sold), sum(sold_amount), sum(steps_meeting), "                    \
	"sum(steps_visit), sum(steps_call), sum(steps_callback), sum(steps_offer), "               \
	"sum(steps_invoice), sum(steps_decision), sum(pending)"
#define MONTHLY_INSERT                                                                             \
	"INSERT INTO report_monthly (month, rep_id, source_id, segment_id, " COUNTER_COLS ") "
/* one month's rows: $1 the month, $2 $3 its first and last days */
#define MONTH_SUM                                                                                  \
	MONTHLY_INSERT "SELECT CAST($1 AS INTEGER), rep_id, source_id, segment_id, " SUM_COLS      \
		       " FROM report_daily WHERE day >= $2 AND day <= $3 GROUP BY rep_id, "        \
		       "source_id, segment_id"
#define EXPECT_MONTH                                                                               \
	"SELECT rep_id, source_id, segment_id, " SUM_COLS " FROM report_daily WHERE day >= $1 "    \
	"AND day <= $2 GROUP BY rep_id, source_id, segment_id ORDER BY rep_id, source_id, "        \
	"segment_id"

/* one month's histogram rows: $1 the month, $2 $3 its first and last days */
#define CYCLES_MONTH_SUM                                                                           \
	"INSERT INTO report_cycles_monthly (month, rep_id, source_id, segment_id, cycle_days, n) " \
	"SELECT CAST($1 AS INTEGER), rep_id, source_id, segment_id, cycle_days, sum(n) FROM "      \
	"report_cycles WHERE day >= $2 AND day <= $3 GROUP BY rep_id, source_id, segment_id, "     \
	"cycle_days"
#define EXPECT_CYCLES_MONTH                                                                        \
	"SELECT rep_id, source_id, segment_id, cycle_days, sum(n) FROM report_cycles WHERE day "   \
	">= "                                                                                      \
	"$1 AND day <= $2 GROUP BY rep_id, source_id, segment_id, cycle_days ORDER BY rep_id, "    \
	"source_id, segment_id, cycle_days"

/* sum_months fills report_monthly and report_cycles_monthly (empty) from report_daily and
 * report_cycles over the days [first, last], in one statement each: the months and their days
 * are a list of values the text gets from here only. */
static int sum_months(struct db *db, int64_t first, int64_t last, struct nc_err *err)
{
	if (first > last)
		return 0;
	static const char *const fill[] = {
	    MONTHLY_INSERT "SELECT m.month, r.rep_id, r.source_id, r.segment_id, " SUM_COLS
			   " FROM m JOIN report_daily r ON r.day >= m.d0 AND r.day <= m.d1 "
			   "GROUP BY m.month, r.rep_id, r.source_id, r.segment_id",
	    "INSERT INTO report_cycles_monthly (month, rep_id, source_id, segment_id, cycle_days, "
	    "n) SELECT m.month, r.rep_id, r.source_id, r.segment_id, r.cycle_days, sum(r.n) FROM m "
	    "JOIN report_cycles r ON r.day >= m.d0 AND r.day <= m.d1 GROUP BY m.month, r.rep_id, "
	    "r.source_id, r.segment_id, r.cycle_days"};
	int rc = 0;
	for (size_t i = 0; i < 2 && rc == 0; i++) {
		struct buf q;
		buf_init(&q, (size_t)64 << 20);
		buf_adds(&q, "WITH m (month, d0, d1) AS (VALUES ");
		for (int64_t m = month_of_day(first), lm = month_of_day(last); m <= lm; m++)
			buf_printf(&q, "%s(%lld, %lld, %lld)", m == month_of_day(first) ? "" : ", ",
				   (long long)m, (long long)month_first_day(m),
				   (long long)month_first_day(m + 1) - 1);
		buf_adds(&q, ") ");
		buf_adds(&q, fill[i]);
		if (buf_failed(&q))
			rc = nc_error(err, NC_EINVAL, "too many months to sum: %lld days",
				      (long long)(last - first + 1));
		else if (db_run(db, err, q.data, "") < 0)
			rc = -1;
		buf_release(&q);
	}
	return rc;
}

/* The team's rows (migration 0011): report_daily and report_monthly summed over the reps. $1 $2
 * the days or months of TEAM_DAY_SUM and TEAM_MONTH_SUM. */
#define TEAM_DAY_SUM                                                                               \
	"INSERT INTO report_daily_team (day, source_id, segment_id, " COUNTER_COLS                 \
	") SELECT day, source_id, segment_id, " SUM_COLS " FROM report_daily WHERE day >= $1 AND " \
	"day <= $2 GROUP BY day, source_id, segment_id"
#define TEAM_MONTH_SUM                                                                             \
	"INSERT INTO report_monthly_team (month, source_id, segment_id, " COUNTER_COLS             \
	") SELECT month, source_id, segment_id, " SUM_COLS " FROM report_monthly WHERE month >= "  \
	"$1 AND month <= $2 GROUP BY month, source_id, segment_id"
#define EXPECT_TEAM_DAYS                                                                           \
	"SELECT day, source_id, segment_id, " SUM_COLS " FROM report_daily WHERE day >= $1 AND "   \
	"day <= $2 GROUP BY day, source_id, segment_id ORDER BY day, source_id, segment_id"
#define EXPECT_TEAM_MONTH                                                                          \
	"SELECT 0, source_id, segment_id, " SUM_COLS " FROM report_monthly WHERE month = $1 "      \
	"GROUP BY source_id, segment_id ORDER BY source_id, segment_id"

/* sum_team fills report_daily_team and report_monthly_team again from report_daily and
 * report_monthly. */
static int sum_team(struct db *db, struct nc_err *err)
{
	const int64_t lo = INT32_MIN, hi = INT32_MAX;
	return db_run(db, err, "DELETE FROM report_daily_team", "") < 0 ||
		       db_run(db, err, "DELETE FROM report_monthly_team", "") < 0 ||
		       db_run(db, err, TEAM_DAY_SUM, "ii", lo, hi) < 0 ||
		       db_run(db, err, TEAM_MONTH_SUM, "ii", lo, hi) < 0
		   ? -1
		   : 0;
}

int store_report_months_rebuild(struct db *db, struct nc_err *err)
{
	if (store_rollup_flush(db, err) < 0)
		return -1;
	struct params_buf p;
	if (read_params(db, &p, err) < 0)
		return -1;
	if (!p.built) /* the first report builds every level */
		return 0;
	int64_t first = 1, last = 0;
	struct db_stmt *st = db_prepare(db,
					"SELECT min(day), max(day) FROM (SELECT day FROM "
					"report_daily UNION ALL SELECT day FROM report_cycles) x",
					err);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1 && !db_col_null(st, 0)) {
		first = db_col_int(st, 0);
		last = db_col_int(st, 1);
	}
	db_done(st);
	if (rc < 0 || db_run(db, err, "DELETE FROM report_monthly", "") < 0 ||
	    db_run(db, err, "DELETE FROM report_cycles_monthly", "") < 0)
		return -1;
	return sum_months(db, first, last, err);
}

int store_report_rebuild(struct db *db, const struct report_params *rp, int64_t now,
			 struct nc_err *err)
{
	int64_t first, last;
	if (discard_pending(db, err) < 0 || db_run(db, err, "DELETE FROM report_daily", "") < 0 ||
	    db_run(db, err, "DELETE FROM report_cycles", "") < 0 ||
	    db_run(db, err, "DELETE FROM report_monthly", "") < 0 ||
	    db_run(db, err, "DELETE FROM report_daily_team", "") < 0 ||
	    db_run(db, err, "DELETE FROM report_monthly_team", "") < 0 ||
	    db_run(db, err, "DELETE FROM report_cycles_monthly", "") < 0 ||
	    data_days(db, rp->timezone, &first, &last, err) < 0)
		return -1;
	for (int64_t day = first; day <= last; day++)
		if (recount_day(db, day, rp, err) < 0)
			return -1;
	if (sum_months(db, first, last, err) < 0 || sum_team(db, err) < 0)
		return -1;
	return db_run(db, err,
		      "UPDATE report_params SET timezone = $1, ring_limit_s = $2, "
		      "callback_delay_s = $3, built = 1, built_at = $4 WHERE id = 1",
		      "tiii", rp->timezone, (int64_t)rp->ring_limit_s,
		      (int64_t)rp->callback_delay_s, now);
}

/* One rollup row as read for a comparison. */
struct cell_row {
	int64_t rep, src, seg;
	int64_t c[RC__COUNT];
};

static void read_cell(struct db_stmt *st, struct arena *a, void *row)
{
	struct cell_row *r = row;
	r->rep = db_col_int(st, 0);
	r->src = db_col_int(st, 1);
	r->seg = db_col_int(st, 2);
	for (int i = 0; i < RC__COUNT; i++)
		r->c[i] = db_col_int(st, 3 + i);
}

static int cmp_cell(const struct cell_row *a, const struct cell_row *b)
{
	if (a->rep != b->rep)
		return a->rep < b->rep ? -1 : 1;
	if (a->src != b->src)
		return a->src < b->src ? -1 : 1;
	return a->seg < b->seg ? -1 : a->seg > b->seg;
}

/* row_cells: the cells an unmatched row differs by (its nonzero counters, at least 1). */
static int64_t row_cells(const struct cell_row *r)
{
	int64_t n = 0;
	for (int i = 0; i < RC__COUNT; i++)
		n += r->c[i] != 0;
	return n ? n : 1;
}

/* One histogram row of report_cycles. */
struct cycle_row {
	int64_t rep, src, seg, cyc, n;
};

static void read_cycle_row(struct db_stmt *st, struct arena *a, void *row)
{
	struct cycle_row *r = row;
	r->rep = db_col_int(st, 0);
	r->src = db_col_int(st, 1);
	r->seg = db_col_int(st, 2);
	r->cyc = db_col_int(st, 3);
	r->n = db_col_int(st, 4);
}

static int cmp_cycle(const struct cycle_row *a, const struct cycle_row *b)
{
	const int64_t x[] = {a->rep, a->src, a->seg, a->cyc},
		      y[] = {b->rep, b->src, b->seg, b->cyc};
	for (int i = 0; i < 4; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

/* compare_cycles: the histogram cells that differ (a row on one side only is one cell). */
static int64_t compare_cycles(const struct cycle_row *want, size_t nw, const struct cycle_row *have,
			      size_t nh)
{
	int64_t d = 0;
	size_t i = 0, j = 0;
	while (i < nw || j < nh) {
		int c = i == nw ? 1 : j == nh ? -1 : cmp_cycle(&want[i], &have[j]);
		if (c < 0)
			d++, i++;
		else if (c > 0)
			d++, j++;
		else
			d += want[i++].n != have[j++].n;
	}
	return d;
}

static int64_t compare_day(const struct cell_row *want, size_t nw, const struct cell_row *have,
			   size_t nh)
{
	int64_t d = 0;
	size_t i = 0, j = 0;
	while (i < nw || j < nh) {
		int c = i == nw ? 1 : j == nh ? -1 : cmp_cell(&want[i], &have[j]);
		if (c < 0)
			d += row_cells(&want[i++]);
		else if (c > 0)
			d += row_cells(&have[j++]);
		else {
			for (int k = 0; k < RC__COUNT; k++)
				d += want[i].c[k] != have[j].c[k];
			i++, j++;
		}
	}
	return d;
}

/* compare_month: the counters that differ between the sums of report_daily and report_monthly;
 * a row of zeros on one side only is no difference (a month row stays when its days' rows go). */
static int64_t compare_month(const struct cell_row *want, size_t nw, const struct cell_row *have,
			     size_t nh)
{
	static const struct cell_row zero;
	int64_t d = 0;
	size_t i = 0, j = 0;
	while (i < nw || j < nh) {
		int c = i == nw ? 1 : j == nh ? -1 : cmp_cell(&want[i], &have[j]);
		const struct cell_row *x = c <= 0 ? &want[i++] : &zero,
				      *y = c >= 0 ? &have[j++] : &zero;
		for (int k = 0; k < RC__COUNT; k++)
			d += x->c[k] != y->c[k];
	}
	return d;
}

/* compare_cycle_month: the histogram cells that differ between the sums of report_cycles and
 * report_cycles_monthly; a row of 0 deals on one side only is no difference. */
static int64_t compare_cycle_month(const struct cycle_row *want, size_t nw,
				   const struct cycle_row *have, size_t nh)
{
	int64_t d = 0;
	size_t i = 0, j = 0;
	while (i < nw || j < nh) {
		int c = i == nw ? 1 : j == nh ? -1 : cmp_cycle(&want[i], &have[j]);
		int64_t x = c <= 0 ? want[i++].n : 0, y = c >= 0 ? have[j++].n : 0;
		d += x != y;
	}
	return d;
}

/* ---- the months and the team's rows against the days: one loop over the months ----
 * A level of the rollups is checked a month at a time over the months of the days [first, last]
 * widened by those of its own rows (spans), each month by its checks: the rows expected (summed
 * from the level below) against the rows stored, both in key order; a row of zeros on one side
 * only is no difference (a month row stays when its days' rows go). fix rewrites what differs. */

/* A query "SELECT min(x), max(x) ..." of months, or of days (turned into their months). */
struct month_span {
	const char *sql;
	bool days;
};

/* One comparison of a month. Each statement runs with the values its args name, in order: 'm'
 * the month, 'f' its first day, 'l' its last. */
struct month_check {
	const char *want, *have, *clear, *refill;
	const char *want_args, *have_args, *clear_args, *refill_args;
	bool cycles; /* rows of a sales-cycle histogram (struct cycle_row), else counters */
};

/* month_values picks the values args names (at most 3) into v; its format for db_preparef. */
static const char *month_values(const char *args, int64_t m, int64_t d0, int64_t d1, int64_t v[3])
{
	static const char *const fmt[] = {"", "i", "ii", "iii"};
	size_t n = 0;
	for (; args[n] && n < 3; n++)
		v[n] = args[n] == 'm' ? m : args[n] == 'f' ? d0 : d1;
	return fmt[n];
}

static struct db_stmt *prepare_month(struct db *db, const char *sql, const char *args, int64_t m,
				     int64_t d0, int64_t d1, struct nc_err *err)
{
	int64_t v[3] = {0};
	const char *fmt = month_values(args, m, d0, d1, v);
	return db_preparef(db, err, sql, fmt, v[0], v[1], v[2]);
}

static int run_month(struct db *db, const char *sql, const char *args, int64_t m, int64_t d0,
		     int64_t d1, struct nc_err *err)
{
	int64_t v[3] = {0};
	const char *fmt = month_values(args, m, d0, d1, v);
	return db_run(db, err, sql, fmt, v[0], v[1], v[2]);
}

/* check_month runs one check of month m: adds the cells that differ to *diffs, rewrites them
 * when fix. */
static int check_month(struct db *db, struct arena *a, const struct month_check *c, int64_t m,
		       bool fix, int64_t *diffs, struct nc_err *err)
{
	int64_t d0 = month_first_day(m), d1 = month_first_day(m + 1) - 1;
	size_t size = c->cycles ? sizeof(struct cycle_row) : sizeof(struct cell_row);
	row_reader read = c->cycles ? read_cycle_row : read_cell;
	void *want = NULL, *have = NULL;
	size_t nw = 0, nh = 0;
	struct db_stmt *st = prepare_month(db, c->want, c->want_args, m, d0, d1, err);
	if (!st || collect_rows(st, a, size, read, &want, &nw, err) < 0)
		return -1;
	st = prepare_month(db, c->have, c->have_args, m, d0, d1, err);
	if (!st || collect_rows(st, a, size, read, &have, &nh, err) < 0)
		return -1;
	int64_t d =
	    c->cycles ? compare_cycle_month(want, nw, have, nh) : compare_month(want, nw, have, nh);
	*diffs += d;
	if (d && fix &&
	    (run_month(db, c->clear, c->clear_args, m, d0, d1, err) < 0 ||
	     run_month(db, c->refill, c->refill_args, m, d0, d1, err) < 0))
		return -1;
	return 0;
}

/* verify_by_month runs the checks of every month of the days [first, last] and of the spans. */
static int verify_by_month(struct db *db, bool fix, int64_t first, int64_t last,
			   const struct month_span *spans, size_t nspans,
			   const struct month_check *checks, size_t nchecks, int64_t *diffs,
			   struct nc_err *err)
{
	int64_t m0 = first <= last ? month_of_day(first) : 1,
		m1 = first <= last ? month_of_day(last) : 0;
	for (size_t i = 0; i < nspans; i++) {
		struct db_stmt *st = db_prepare(db, spans[i].sql, err);
		if (!st)
			return -1;
		int rc = db_step(st, err);
		if (rc == 1 && !db_col_null(st, 0)) {
			int64_t a = db_col_int(st, 0), b = db_col_int(st, 1);
			if (spans[i].days)
				a = month_of_day(a), b = month_of_day(b);
			if (m0 > m1)
				m0 = a, m1 = b;
			else
				m0 = a < m0 ? a : m0, m1 = b > m1 ? b : m1;
		}
		db_done(st);
		if (rc < 0)
			return -1;
	}
	struct arena a;
	arena_init(&a);
	int rc = 0;
	for (int64_t m = m0; m <= m1 && rc == 0; m++) {
		for (size_t i = 0; i < nchecks && rc == 0; i++)
			rc = check_month(db, &a, &checks[i], m, fix, diffs, err);
		arena_release(&a); /* a month's rows at a time */
		arena_init(&a);
	}
	arena_release(&a);
	return rc;
}

/* verify_months compares report_monthly and report_cycles_monthly with the sums of report_daily
 * and report_cycles; fix rewrites the months that differ. */
static int verify_months(struct db *db, bool fix, int64_t first, int64_t last, int64_t *diffs,
			 struct nc_err *err)
{
	static const struct month_span spans[] = {{"SELECT min(month), max(month) FROM (SELECT "
						   "month FROM report_monthly UNION ALL SELECT "
						   "month FROM report_cycles_monthly) x",
						   false}};
	static const struct month_check checks[] = {
	    {EXPECT_MONTH,
	     "SELECT rep_id, source_id, segment_id, " COUNTER_COLS
	     " FROM report_monthly WHERE month "
	     "= $1 ORDER BY rep_id, source_id, segment_id",
	     "DELETE FROM report_monthly WHERE month = $1", MONTH_SUM, "fl", "m", "m", "mfl",
	     false},
	    {EXPECT_CYCLES_MONTH,
	     "SELECT rep_id, source_id, segment_id, cycle_days, n FROM report_cycles_monthly WHERE "
	     "month = $1 ORDER BY rep_id, source_id, segment_id, cycle_days",
	     "DELETE FROM report_cycles_monthly WHERE month = $1", CYCLES_MONTH_SUM, "fl", "m", "m",
	     "mfl", true}};
	return verify_by_month(db, fix, first, last, spans, 1, checks, 2, diffs, err);
}

/* verify_team compares report_daily_team and report_monthly_team with the sums of report_daily
 * and report_monthly over the reps (the day stands in the rows' rep column); fix rewrites the
 * days or month that differ. */
static int verify_team(struct db *db, bool fix, int64_t first, int64_t last, int64_t *diffs,
		       struct nc_err *err)
{
	static const struct month_span spans[] = {
	    {"SELECT min(month), max(month) FROM (SELECT month FROM report_monthly UNION ALL "
	     "SELECT "
	     "month FROM report_monthly_team) x",
	     false},
	    {"SELECT min(day), max(day) FROM report_daily_team", true}};
	static const struct month_check checks[] = {
	    {EXPECT_TEAM_DAYS,
	     "SELECT day, source_id, segment_id, " COUNTER_COLS " FROM report_daily_team WHERE day "
	     ">= $1 AND day <= $2 ORDER BY day, source_id, segment_id",
	     "DELETE FROM report_daily_team WHERE day >= $1 AND day <= $2", TEAM_DAY_SUM, "fl",
	     "fl", "fl", "fl", false},
	    {EXPECT_TEAM_MONTH,
	     "SELECT 0, source_id, segment_id, " COUNTER_COLS " FROM report_monthly_team WHERE "
	     "month = $1 ORDER BY source_id, segment_id",
	     "DELETE FROM report_monthly_team WHERE month = $1", TEAM_MONTH_SUM, "m", "m", "m",
	     "mm", false}};
	return verify_by_month(db, fix, first, last, spans, 2, checks, 2, diffs, err);
}

int store_report_verify(struct db *db, bool fix, int64_t *diffs, struct nc_err *err)
{
	*diffs = 0;
	struct arena a;
	arena_init(&a);
	int rc = -1;
	struct report_params rp;
	int64_t first, last;
	if (store_rollup_flush(db, err) < 0 || store_report_params(db, &a, &rp, err) < 0 ||
	    data_days(db, rp.timezone, &first, &last, err) < 0)
		goto out;
	for (int64_t day = first; day <= last; day++) {
		int64_t start, end;
		report_day_bounds(rp.timezone, day, &start, &end);
		void *want = NULL, *have = NULL;
		size_t nw = 0, nh = 0;
		struct db_stmt *st =
		    db_preparef(db, err, EXPECT_DAY, "iiiii", (int64_t)0, start, end,
				(int64_t)rp.ring_limit_s, (int64_t)rp.callback_delay_s);
		if (!st ||
		    collect_rows(st, &a, sizeof(struct cell_row), read_cell, &want, &nw, err) < 0)
			goto out;
		st = db_preparef(db, err,
				 "SELECT rep_id, source_id, segment_id, " COUNTER_COLS
				 " FROM report_daily WHERE day = $1 ORDER BY rep_id, source_id, "
				 "segment_id",
				 "i", day);
		if (!st ||
		    collect_rows(st, &a, sizeof(struct cell_row), read_cell, &have, &nh, err) < 0)
			goto out;
		int64_t d = compare_day(want, nw, have, nh);
		st = db_preparef(db, err, EXPECT_CYCLES, "iii", (int64_t)0, start, end);
		if (!st || collect_rows(st, &a, sizeof(struct cycle_row), read_cycle_row, &want,
					&nw, err) < 0)
			goto out;
		st = db_preparef(db, err,
				 "SELECT rep_id, source_id, segment_id, cycle_days, n FROM "
				 "report_cycles WHERE day = $1 ORDER BY rep_id, source_id, "
				 "segment_id, cycle_days",
				 "i", day);
		if (!st || collect_rows(st, &a, sizeof(struct cycle_row), read_cycle_row, &have,
					&nh, err) < 0)
			goto out;
		d += compare_cycles(want, nw, have, nh);
		*diffs += d;
		if (d && fix &&
		    (db_run(db, err, "DELETE FROM report_daily WHERE day = $1", "i", day) < 0 ||
		     db_run(db, err, "DELETE FROM report_cycles WHERE day = $1", "i", day) < 0 ||
		     recount_day(db, day, &rp, err) < 0))
			goto out;
		arena_release(&a); /* a day's rows at a time */
		arena_init(&a);
		if (store_report_params(db, &a, &rp, err) < 0)
			goto out;
	}
	/* then the months, from the days as they now are, and the team's rows from both */
	if (verify_months(db, fix, first, last, diffs, err) < 0 ||
	    verify_team(db, fix, first, last, diffs, err) < 0)
		goto out;
	rc = 0;
out:
	arena_release(&a);
	return rc;
}

/* ---- reading ---- */

/* The selection: $1, $2 the days; $3 rep, $4 source, $5 segment (-1 all). Every rep's rows
 * ($3 is -1), one rep's, or the team's (report_daily_team, report_monthly_team: migration 0011)
 * for a selection of no rep: sel_filter. */
#define SEL_FILTER_ALL                                                                             \
	" AND $3 = -1 AND (source_id = $4 OR $4 = -1) AND (segment_id = $5 OR $5 = -1)"
#define SEL_FILTER_REP                                                                             \
	" AND rep_id = $3 AND (source_id = $4 OR $4 = -1) AND (segment_id = $5 OR $5 = -1)"
#define SEL_FILTER_TEAM SEL_FILTER_ALL

/* sel_filter: the condition of sel after its range. One rep's rows are read by the rollups'
 * indexes led by rep_id (migration 0019): "(rep_id = $3 OR $3 = -1)" read every rep's rows of
 * the range (a rep's report of a month, 6 500 rows a day for 400 reps: 0.1 s). */
static const char *sel_filter(const struct report_sel *sel, bool team)
{
	return team ? SEL_FILTER_TEAM : sel->rep_id != -1 ? SEL_FILTER_REP : SEL_FILTER_ALL;
}
/* A period [from, to] as parts of the rollups: the whole months m[0]..m[1] from the monthly
 * tables, plus the days add[0] and add[1], less the days sub[0] and sub[1], from the daily tables
 * (each range within one month; an empty one has first > last). A partial month at an edge is
 * read as its days in the period, or (when sub is allowed and that reads fewer days) as the whole
 * month less its days outside the period: a period ending today mid-month then reads the month
 * row and the days after today, which hold nothing. */
struct split {
	int64_t m[2];
	int64_t add[2][2], sub[2][2];
};

static int64_t month_last_day(int64_t month)
{
	return month_first_day(month + 1) - 1;
}

static void split_period(int64_t from, int64_t to, bool allow_sub, struct split *s)
{
	int64_t mf = month_of_day(from), mt = month_of_day(to);
	for (int i = 0; i < 2; i++)
		s->add[i][0] = s->sub[i][0] = 1, s->add[i][1] = s->sub[i][1] = 0;
	s->m[0] = mf, s->m[1] = mt;
	int64_t f0 = month_first_day(mf), t1 = month_last_day(mt);
	if (mf == mt) {
		if (from == f0 && to == t1)
			return;
		if (!allow_sub || to - from + 1 <= (from - f0) + (t1 - to)) {
			s->add[0][0] = from, s->add[0][1] = to;
			s->m[0] = 1, s->m[1] = 0;
		} else {
			s->sub[0][0] = f0, s->sub[0][1] = from - 1;
			s->sub[1][0] = to + 1, s->sub[1][1] = t1;
		}
		return;
	}
	if (from != f0) {
		int64_t l = month_last_day(mf);
		if (!allow_sub || l - from + 1 <= from - f0) {
			s->add[0][0] = from, s->add[0][1] = l;
			s->m[0] = mf + 1;
		} else {
			s->sub[0][0] = f0, s->sub[0][1] = from - 1;
		}
	}
	if (to != t1) {
		int64_t f = month_first_day(mt);
		if (!allow_sub || to - f + 1 <= t1 - to) {
			s->add[1][0] = f, s->add[1][1] = to;
			s->m[1] = mt - 1;
		} else {
			s->sub[1][0] = to + 1, s->sub[1][1] = t1;
		}
	}
	if (s->m[0] > s->m[1])
		s->m[0] = 1, s->m[1] = 0;
}

/* The parts of a split in SQL: $1 $2 add[0], $3 $4 $5 the filters, $6 $7 add[1], $8 $9 the
 * months, $10 $11 sub[0], $12 $13 sub[1]; by month, $14..$17 the months of add[0], add[1],
 * sub[0], sub[1]. */
static const struct split_part {
	bool daily, neg;
	const char *where, *month_key;
} split_parts[] = {
    {true, false, "day >= $1 AND day <= $2", "CAST($14 AS BIGINT)"},
    {true, false, "day >= $6 AND day <= $7", "CAST($15 AS BIGINT)"},
    {false, false, "month >= $8 AND month <= $9", "month"},
    {true, true, "day >= $10 AND day <= $11", "CAST($16 AS BIGINT)"},
    {true, true, "day >= $12 AND day <= $13", "CAST($17 AS BIGINT)"},
};
#define NSPLIT_PARTS (sizeof(split_parts) / sizeof(split_parts[0]))

/* prepare_split prepares q with the parameters of sp and sel ($14..$17 when by_month). */
static struct db_stmt *prepare_split(struct db *db, const char *q, const struct split *sp,
				     const struct report_sel *sel, bool by_month,
				     struct nc_err *err)
{
	if (by_month)
		return db_preparef(db, err, q, "iiiiiiiiiiiiiiiii", sp->add[0][0], sp->add[0][1],
				   sel->rep_id, sel->source_id, sel->segment_id, sp->add[1][0],
				   sp->add[1][1], sp->m[0], sp->m[1], sp->sub[0][0], sp->sub[0][1],
				   sp->sub[1][0], sp->sub[1][1], month_of_day(sp->add[0][0]),
				   month_of_day(sp->add[1][0]), month_of_day(sp->sub[0][0]),
				   month_of_day(sp->sub[1][0]));
	return db_preparef(db, err, q, "iiiiiiiiiiiii", sp->add[0][0], sp->add[0][1], sel->rep_id,
			   sel->source_id, sel->segment_id, sp->add[1][0], sp->add[1][1], sp->m[0],
			   sp->m[1], sp->sub[0][0], sp->sub[0][1], sp->sub[1][0], sp->sub[1][1]);
}

/* split_rows writes the rows of split_period's parts: the key (key, or the month when NULL) and
 * the counters col[0..ncol) (negated in the parts subtracted), of the rows that also match
 * extra (SQL of this file only); from the team's rows when team (a selection of no rep, not by
 * rep). */
static void split_rows(struct buf *q, const struct report_sel *sel, bool team, const char *key,
		       const int *col, size_t ncol, const char *extra)
{
	static const char *const tables[2][2] = {{"report_monthly", "report_daily"},
						 {"report_monthly_team", "report_daily_team"}};
	for (size_t i = 0; i < NSPLIT_PARTS; i++) {
		const struct split_part *p = &split_parts[i];
		buf_printf(q, "%sSELECT %s", i ? " UNION ALL " : "", key ? key : p->month_key);
		for (size_t j = 0; j < ncol; j++)
			buf_printf(q, ", %s%s", p->neg ? "-" : "",
				   report_counter_name((enum report_counter)col[j]));
		buf_printf(q, " FROM %s WHERE %s%s%s", tables[team][p->daily], p->where,
			   sel_filter(sel, team), extra);
	}
}

static int cmp_sum_key(const void *a, const void *b)
{
	const struct report_sum *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* collect_sums reads the rows of st (a key, then the counters col[0..ncol)) into *out: one row a
 * key when merge (summed, by key ascending), else one row a row. */
static int collect_sums(struct db_stmt *st, struct arena *a, bool merge, const int *col,
			size_t ncol, struct report_sum **out, size_t *n, struct nc_err *err)
{
	size_t cap = 0, last = 0;
	int rc;
	while ((rc = db_step(st, err)) == 1) {
		int64_t k = db_col_int(st, 0);
		struct report_sum *r = NULL;
		if (merge) { /* the key's row: most often the last one's */
			if (*n && (*out)[last].key == k)
				r = &(*out)[last];
			for (size_t i = 0; i < *n && !r; i++)
				if ((*out)[i].key == k)
					r = &(*out)[last = i];
		}
		if (!r) {
			*out = arena_grow(a, *out, &cap, *n, sizeof(**out));
			r = &(*out)[last = (*n)++];
			memset(r, 0, sizeof(*r));
			r->key = k;
		}
		for (size_t i = 0; i < ncol; i++)
			r->c[col[i]] += db_col_int(st, (int)i + 1);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (merge && *n > 1)
		qsort(*out, *n, sizeof(**out), cmp_sum_key);
	return 0;
}

int store_report_sums(struct db *db, struct arena *a, const struct report_sel *sel,
		      enum report_group g, struct report_sum **out, size_t *n, struct nc_err *err)
{
	return store_report_sums_of(db, a, sel, g, (1u << RC__COUNT) - 1, out, n, err);
}

/* add_sums adds ", sum(C)" for each counter C of mask. Only the names of report_counter_name go
 * into the text: no input does. */
static void add_sums(struct buf *q, uint32_t mask)
{
	for (int i = 0; i < RC__COUNT; i++)
		if (mask & (1u << i))
			buf_printf(q, ", sum(%s)", report_counter_name((enum report_counter)i));
}

/* sub_days_empty: 1 when the days sp subtracts hold no row of the daily table (the team's when
 * team), 0 when one does, -1 on error. */
static int sub_days_empty(struct db *db, bool team, const struct split *sp, struct nc_err *err)
{
	for (int i = 0; i < 2; i++) {
		if (sp->sub[i][0] > sp->sub[i][1])
			continue;
		int64_t any = 0;
		if (db_get_int(
			db, err, &any,
			team ? "SELECT count(*) FROM (SELECT 1 FROM report_daily_team WHERE day "
			       ">= $1 AND day <= $2 LIMIT 1) x"
			     : "SELECT count(*) FROM (SELECT 1 FROM report_daily WHERE day >= $1 "
			       "AND day <= $2 LIMIT 1) x",
			"ii", sp->sub[i][0], sp->sub[i][1]) < 0)
			return -1;
		if (any)
			return 0;
	}
	return 1;
}

int store_report_sums_of(struct db *db, struct arena *a, const struct report_sel *sel,
			 enum report_group g, uint32_t mask, struct report_sum **out, size_t *n,
			 struct nc_err *err)
{
	static const char *const key[] = {[RG_NONE] = "0",
					  [RG_DAY] = "day",
					  [RG_REP] = "rep_id",
					  [RG_SOURCE] = "source_id",
					  [RG_MONTH] = NULL};
	if (store_rollup_flush(db, err) < 0)
		return -1;
	int col[RC__COUNT];
	size_t ncol = 0;
	for (int i = 0; i < RC__COUNT; i++)
		if (mask & (1u << i))
			col[ncol++] = i;
	struct buf q;
	buf_init(&q, 16384);
	struct db_stmt *st;
	*out = NULL;
	*n = 0;
	/* a selection of no rep, not by rep, reads the team's rows: one per (day or month, source,
	 * segment) where the reps' tables have one per rep (400 reps: 7 400 rows a day) */
	bool team = sel->rep_id == -1 && g != RG_REP;
	if (g == RG_DAY) { /* by day: from report_daily */
		buf_adds(&q, "SELECT day");
		add_sums(&q, mask);
		buf_printf(&q, " FROM %s WHERE day >= $1 AND day <= $2%s GROUP BY day ORDER BY day",
			   team ? "report_daily_team" : "report_daily", sel_filter(sel, team));
		st = db_preparef(db, err, q.data, "iiiii", sel->day_from, sel->day_to, sel->rep_id,
				 sel->source_id, sel->segment_id);
	} else {
		/* the rows of split_period's parts, summed by key here: a GROUP BY sorted rows of
		 * 26 columns in temporary b-trees (by rep over a year: 15 000 instructions a row,
		 * three times the reading). By rep or source a part is subtracted only when its
		 * days hold no row at all (the days after today of a period that ends today): a
		 * month less days that hold rows may leave a row of zeros for a rep with no row in
		 * the period, who would then get a line of the report. */
		struct split sp;
		bool keys = g == RG_REP || g == RG_SOURCE;
		split_period(sel->day_from, sel->day_to, true, &sp);
		if (keys) {
			int empty = sub_days_empty(db, team, &sp, err);
			if (empty < 0) {
				buf_release(&q);
				return -1;
			}
			if (!empty)
				split_period(sel->day_from, sel->day_to, false, &sp);
		}
		split_rows(&q, sel, team, key[g], col, ncol, "");
		st = prepare_split(db, q.data, &sp, sel, g == RG_MONTH, err);
	}
	buf_release(&q);
	if (!st)
		return -1;
	return collect_sums(st, a, g != RG_DAY, col, ncol, out, n, err);
}

int store_report_pending(struct db *db, struct arena *a, const struct report_sel *sel,
			 enum report_group g, struct report_sum **out, size_t *n,
			 struct nc_err *err)
{
	/* every day up to sel->day_to: whole months from report_monthly (it keeps the pending
	 * column as the sums of its days), the days of the last month from report_daily (or the
	 * month less its days after day_to); only the cells that hold pending deals */
	*out = NULL;
	*n = 0;
	if (g != RG_NONE && g != RG_REP)
		return nc_error(err, NC_EINVAL, "pending deals are summed in total or by rep");
	if (store_rollup_flush(db, err) < 0)
		return -1;
	static const int col[] = {RC_PENDING};
	struct split sp;
	split_period(0, sel->day_to, true, &sp);
	struct buf q;
	buf_init(&q, 4096);
	split_rows(&q, sel, sel->rep_id == -1 && g != RG_REP, g == RG_REP ? "rep_id" : "0", col, 1,
		   " AND pending > 0");
	struct db_stmt *st = prepare_split(db, q.data, &sp, sel, false, err);
	buf_release(&q);
	if (!st)
		return -1;
	return collect_sums(st, a, true, col, 1, out, n, err);
}

/* One bar of a sales-cycle histogram. */
struct cycle_bar {
	int64_t days, n;
};

static int cmp_bar(const void *a, const void *b)
{
	const struct cycle_bar *x = a, *y = b;
	return x->days < y->days ? -1 : x->days > y->days;
}

int store_report_cycles(struct db *db, struct arena *a, const struct report_sel *sel,
			int64_t **days, int64_t **count, size_t *n, struct nc_err *err)
{
	*days = *count = NULL;
	*n = 0;
	if (store_rollup_flush(db, err) < 0)
		return -1;
	/* as the sums: split_period's parts, whole months from report_cycles_monthly. The rows are
	 * summed by cycle here: a GROUP BY sorted the tens of thousands of rows of a busy month
	 * (one per rep, source, segment and cycle) in a temporary b-tree, at 4 000 instructions a
	 * row. */
	struct split sp;
	split_period(sel->day_from, sel->day_to, true, &sp);
	struct buf q;
	buf_init(&q, 4096);
	for (size_t i = 0; i < NSPLIT_PARTS; i++) {
		const struct split_part *p = &split_parts[i];
		buf_printf(&q, "%sSELECT cycle_days, %sn FROM %s WHERE %s%s",
			   i ? " UNION ALL " : "", p->neg ? "-" : "",
			   p->daily ? "report_cycles" : "report_cycles_monthly", p->where,
			   sel_filter(sel, false));
	}
	struct db_stmt *st = prepare_split(db, q.data, &sp, sel, false, err);
	buf_release(&q);
	if (!st)
		return -1;
	struct cycle_bar *bars = NULL;
	size_t nb = 0, cap = 0;
	int rc;
	while ((rc = db_step(st, err)) == 1) {
		if (nb == cap) {
			cap = cap ? cap * 2 : 1024;
			bars = xrealloc(bars, cap * sizeof(*bars));
		}
		bars[nb++] = (struct cycle_bar){db_col_int(st, 0), db_col_int(st, 1)};
	}
	db_done(st);
	if (rc < 0) {
		free(bars);
		return -1;
	}
	/* by cycle: counted in an array over the cycles' range (whole days: a few thousand at
	 * most), sorted only when the range is wider */
	int64_t lo = 0, hi = -1;
	for (size_t i = 0; i < nb; i++) {
		lo = i == 0 || bars[i].days < lo ? bars[i].days : lo;
		hi = i == 0 || bars[i].days > hi ? bars[i].days : hi;
	}
	if (nb && hi - lo < 65536) {
		size_t range = (size_t)(hi - lo + 1), k = 0;
		int64_t *by = xcalloc(range, sizeof(*by));
		for (size_t i = 0; i < nb; i++)
			by[bars[i].days - lo] += bars[i].n;
		for (size_t i = 0; i < range; i++)
			if (by[i])
				bars[k++] = (struct cycle_bar){lo + (int64_t)i, by[i]};
		nb = k;
		free(by);
	} else if (nb) {
		qsort(bars, nb, sizeof(*bars), cmp_bar);
	}
	size_t cap1 = 0, cap2 = 0;
	for (size_t i = 0; i < nb;) {
		struct cycle_bar sum = bars[i++];
		for (; i < nb && bars[i].days == sum.days; i++)
			sum.n += bars[i].n;
		if (sum.n <= 0) /* the days subtracted took them all */
			continue;
		*days = arena_grow(a, *days, &cap1, *n, sizeof(**days));
		*count = arena_grow(a, *count, &cap2, *n, sizeof(**count));
		(*days)[*n] = sum.days;
		(*count)[*n] = sum.n;
		(*n)++;
	}
	free(bars);
	return 0;
}

int store_call_delete(struct db *db, int64_t id, struct nc_err *err)
{
	struct rollup_delta d = {0};
	if (store_rollup_watch_call(db, &d, id, 0, err) < 0 ||
	    db_run(db, err, "UPDATE next_steps SET call_id = NULL WHERE call_id = $1", "i", id) <
		0 ||
	    db_run(db, err, "UPDATE deals SET call_id = NULL WHERE call_id = $1", "i", id) < 0 ||
	    db_run(db, err, "DELETE FROM calls WHERE id = $1", "i", id) < 0) {
		store_rollup_delta_free(&d);
		return -1;
	}
	if (db_changes(db) == 0) {
		store_rollup_delta_free(&d);
		return nc_error_field(err, NC_ENOTFOUND, "id", "no call with id %lld",
				      (long long)id);
	}
	return store_rollup_delta_apply(db, &d, err);
}
