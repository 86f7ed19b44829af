/* q_steps.c - next steps (planned, moved, closed), the rows the agenda plans from, and the
 * size of a rep's pool of clients by category. */
#include "store/internal.h"
#include "store/step_line.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

/* A step with its rep's login, its client's name and the client's first phone. */
#define STEP_COLS                                                                                  \
	"SELECT s.id, s.client_id, s.call_id, s.rep_id, s.kind, s.due_at, s.status, s.auto, "      \
	"s.note, s.cancel_reason, s.created_at, s.closed_at, u.login, c.name, (SELECT p.e164 "     \
	"FROM phones p WHERE p.client_id = s.client_id ORDER BY p.id LIMIT 1) FROM next_steps s "  \
	"JOIN clients c ON c.id = s.client_id LEFT JOIN users u ON u.id = s.rep_id"
/* One rep's planned steps (read_rep_step), read when one of their lines (0023) does not parse:
 * only what such a step can hold that the list does not know already, and its readers show. Not the
 * status, which chose them, nor the rep (the argument; his login is looked up once instead of
 * joined per row), nor closed_at, which no planned step has (only a close sets it, with the
 * status), nor created_at, which none of the lists' readers (the agenda, the rep's step list, his
 * calendar feed) shows; the client's name and first phone from the step's copies (migration 0016),
 * which every planned step carries. The 4 columns fewer took 12 % off an uncached agenda's
 * app_agenda (callgrind, nc-reads on the 10 M-call database, 38 steps). */
#define STEP_REP_COLS                                                                              \
	"SELECT s.id, s.client_id, s.call_id, s.kind, s.due_at, s.auto, s.note, s.cancel_reason, " \
	"s.client_name, s.client_phone FROM next_steps s"
/* A planned step's agenda line (migration 0023, store/step_line.h) from its own columns, as the
 * triggers of 0023 write it; LEN gives a text's length in bytes, which SQLite's length() gives
 * of a BLOB only and PostgreSQL's octet_length() of any text. */
/* clang-format off */
#define LINE_OF(LEN)                                                                               \
	"id || ',' || due_at || ',' || client_id || ',' || coalesce(CAST(call_id AS TEXT), '') "   \
	"|| ',' || kind || ',' || auto || ',' || coalesce(" LEN("note") ", -1) || ',' || "         \
	"coalesce(" LEN("cancel_reason") ", -1) || ',' || "                                        \
	"coalesce(" LEN("client_name") ", -1) || ',' || "                                          \
	"coalesce(" LEN("client_phone") ", -1) || ':' || coalesce(note, '') || "                   \
	"coalesce(cancel_reason, '') || coalesce(client_name, '') || coalesce(client_phone, '')"
/* clang-format on */
#define SQLITE_BYTES(x) "length(CAST(" x " AS BLOB))"
#define PG_BYTES(x)	"octet_length(" x ")"
/* one rep's planned steps, a line each, in the order of the lists */
#define STEP_LINES                                                                                 \
	"SELECT s.line FROM next_steps s WHERE s.status = 'planned' AND s.rep_id = $1 AND "        \
	"s.due_at >= $2 AND s.due_at < $3 ORDER BY s.due_at, s.id LIMIT $4"
/* the copies of a step's client (0016): his name, and the number of his phone of lowest id */
#define COPY_NAME(client) "(SELECT c.name FROM clients c WHERE c.id = " client ")"
#define COPY_PHONE(client)                                                                         \
	"(SELECT p.e164 FROM phones p WHERE p.client_id = " client " ORDER BY p.id LIMIT 1)"

/* word_of parses a stored word with parse, giving def for NULL or an unknown word. */
static int word_of(const char *s, int (*parse)(const char *), int count, int def)
{
	int v = s ? parse(s) : -1;
	return v >= 0 && v < count ? v : def;
}

static enum step_kind kind_of(const char *s)
{
	return (enum step_kind)word_of(s, step_kind_parse, STEP__COUNT, STEP_CALL);
}

void store_read_step_at(struct db_stmt *st, struct arena *a, struct step_rec *s, int base)
{
	memset(s, 0, sizeof(*s));
	s->id = db_col_int(st, base);
	s->client_id = db_col_int(st, base + 1);
	s->call_id = db_col_int(st, base + 2);
	s->rep_id = db_col_int(st, base + 3);
	s->kind = kind_of(db_col_text(st, base + 4));
	s->due_at = db_col_int(st, base + 5);
	/* an unknown status reads as cancelled, so that nothing acts on the step again */
	s->status = (enum step_status)word_of(db_col_text(st, base + 6), step_status_parse,
					      STEP_STATUS__COUNT, STEP_CANCELLED);
	s->auto_planned = db_col_int(st, base + 7) == 1;
	s->note = arena_strdup(a, db_col_text(st, base + 8));
	s->cancel_reason = arena_strdup(a, db_col_text(st, base + 9));
	s->created_at = db_col_int(st, base + 10);
	s->closed_at = db_col_int(st, base + 11);
}

static void read_step(struct db_stmt *st, struct arena *a, void *row)
{
	struct step_rec *s = row;
	store_read_step_at(st, a, s, 0);
	s->rep = arena_strdup(a, db_col_text(st, 12));
	s->client_name = arena_strdup(a, db_col_text(st, 13));
	s->client_phone = arena_strdup(a, db_col_text(st, 14));
}

/* read_rep_step reads a row of STEP_REP_COLS into the row collect_rows zeroed; store_step_list
 * sets the rep. */
static void read_rep_step(struct db_stmt *st, struct arena *a, void *row)
{
	struct step_rec *s = row;
	s->id = db_col_int(st, 0);
	s->client_id = db_col_int(st, 1);
	s->call_id = db_col_int(st, 2);
	s->kind = kind_of(db_col_text(st, 3));
	s->due_at = db_col_int(st, 4);
	s->status = STEP_PLANNED;
	s->auto_planned = db_col_int(st, 5) == 1;
	s->note = arena_strdup(a, db_col_text(st, 6));
	s->cancel_reason = arena_strdup(a, db_col_text(st, 7));
	s->client_name = arena_strdup(a, db_col_text(st, 8));
	s->client_phone = arena_strdup(a, db_col_text(st, 9));
}

/* read_line_step reads a row of STEP_LINES into the row collect_rows zeroed: a line that does not
 * parse (NULL, or made by hand where 0023's triggers are not) leaves its id 0, which
 * store_step_list takes as the sign to read the list from the columns. */
static void read_line_step(struct db_stmt *st, struct arena *a, void *row)
{
	const char *line = db_col_text(st, 0);
	if (line)
		step_line_parse(line, strlen(line), a, row);
}

int store_step_insert(struct db *db, const struct step_rec *s, int64_t *id, struct nc_err *err)
{
	struct db_stmt *st = db_preparef(
	    db, err,
	    /* with the client's copies (0016), so that SQLite's trigger finds nothing to change */
	    "INSERT INTO next_steps (client_id, call_id, rep_id, kind, due_at, status, auto, "
	    "note, cancel_reason, created_at, closed_at, client_name, client_phone) VALUES ($1, "
	    "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, " COPY_NAME("$1") ", " COPY_PHONE(
		"$1") ") "
		      "RETURNING id",
	    "iootitittio", s->client_id, s->call_id, s->rep_id, step_kind_name(s->kind), s->due_at,
	    step_status_name(s->status), (int64_t)(s->auto_planned ? 1 : 0), s->note,
	    s->cancel_reason, s->created_at, s->closed_at);
	if (!st || insert_id(st, id, err) < 0)
		return -1;
	/* a step agreed counts in the report rollups of its day (its later status does not): its
	 * difference is added to its cell */
	struct rollup_delta rd = {0};
	if (store_rollup_delta_new(db, &rd, ROLLUP_STEPS, *id, err) < 0) {
		store_rollup_delta_free(&rd);
		return -1;
	}
	if (store_rollup_delta_apply(db, &rd, err) < 0)
		return -1;
	return store_client_plan_refresh(db, s->client_id, err);
}

/* refresh_of_step refreshes the plan of the client of a step, to refresh his plan after a change.
 */
static int refresh_of_step(struct db *db, int64_t step_id, struct nc_err *err)
{
	int64_t client = 0;
	int rc = db_get_int(db, err, &client, "SELECT client_id FROM next_steps WHERE id = $1", "i",
			    step_id);
	return rc <= 0 ? rc : store_client_plan_refresh(db, client, err);
}

/* get_one reads the single step of a bound query: 1 found, 0 none, -1 error. */
static int get_one(struct db_stmt *st, struct arena *a, struct step_rec *out, struct nc_err *err)
{
	int rc = db_step(st, err);
	if (rc == 1)
		read_step(st, a, out);
	db_done(st);
	return rc;
}

int store_step_get(struct db *db, struct arena *a, int64_t id, struct step_rec *out,
		   struct nc_err *err)
{
	struct db_stmt *st = db_preparef(db, err, STEP_COLS " WHERE s.id = $1", "i", id);
	return st ? get_one(st, a, out, err) : -1;
}

int store_step_close(struct db *db, int64_t id, enum step_status status, const char *reason,
		     int64_t now, struct nc_err *err)
{
	if (db_run(db, err,
		   "UPDATE next_steps SET status = $2, cancel_reason = $3, closed_at = $4 WHERE "
		   "id = $1",
		   "itti", id, step_status_name(status), reason, now) < 0)
		return -1;
	if (db_changes(db) == 0)
		return nc_error(err, NC_ENOTFOUND, "no next step with id %lld", (long long)id);
	return refresh_of_step(db, id, err);
}

int store_step_move(struct db *db, int64_t id, int64_t due_at, struct nc_err *err)
{
	if (db_run(db, err, "UPDATE next_steps SET due_at = $2 WHERE id = $1", "ii", id, due_at) <
	    0)
		return -1;
	if (db_changes(db) == 0)
		return nc_error(err, NC_ENOTFOUND, "no next step with id %lld", (long long)id);
	return refresh_of_step(db, id, err);
}

int store_steps_reassign(struct db *db, int64_t client_id, int64_t rep_id, struct nc_err *err)
{
	/* a step counts in its rep's report rollups: they move with him */
	struct rollup_delta rd = {0};
	if (store_rollup_watch_client(db, &rd, client_id, ROLLUP_STEPS, err) < 0 ||
	    db_run(db, err,
		   "UPDATE next_steps SET rep_id = $2 WHERE client_id = $1 AND status = 'planned'",
		   "ii", client_id, rep_id) < 0) {
		store_rollup_delta_free(&rd);
		return -1;
	}
	int64_t changed = db_changes(db);
	if (store_rollup_delta_apply(db, &rd, err) < 0)
		return -1;
	return changed ? store_client_plan_refresh(db, client_id, err) : 0;
}

int store_steps_close_planned(struct db *db, int64_t client_id, enum step_status status,
			      bool calls_only, int64_t now, int64_t *n, struct nc_err *err)
{
	*n = 0;
	if (db_run(db, err,
		   "UPDATE next_steps SET status = $2, closed_at = $3 WHERE client_id = $1 AND "
		   "status = 'planned' AND (kind IN ('call', 'callback') OR $4 = 0)",
		   "itii", client_id, step_status_name(status), now,
		   (int64_t)(calls_only ? 1 : 0)) < 0)
		return -1;
	*n = db_changes(db);
	return *n ? store_client_plan_refresh(db, client_id, err) : 0;
}

/* all_parsed says whether each of the n steps read_line_step read has its line parsed. */
static bool all_parsed(const struct step_rec *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!rows[i].id)
			return false;
	return true;
}

int store_step_list(struct db *db, struct arena *a, int64_t rep_id, int64_t from, int64_t to,
		    int limit, struct step_rec **out, size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	size_t len = 0;
	int64_t max = limit > 0 ? limit : INT32_MAX;
	struct db_stmt *st;
	*out = NULL;
	*n = 0;
	if (!rep_id) {
		st = db_preparef(db, err,
				 STEP_COLS " WHERE s.status = 'planned' AND s.due_at >= $1 AND "
					   "s.due_at < $2 ORDER BY s.due_at, s.id LIMIT $3",
				 "iii", from, to, max);
		if (!st ||
		    collect_rows(st, a, sizeof(struct step_rec), read_step, &raw, &len, err) < 0)
			return -1;
		*out = raw;
		*n = len;
		return 0;
	}
	/* a rep's steps by an index of his (on SQLite next_steps_planned, migrations 0015 and 0023,
	 * which holds the line read here), which "rep_id = $1 OR $1 = 0" would defeat: their lines
	 * (0023), or their columns when one of the lines does not parse */
	st = db_preparef(db, err, STEP_LINES, "iiii", rep_id, from, to, max);
	if (!st ||
	    collect_rows(st, a, sizeof(struct step_rec), read_line_step, &raw, &len, err) < 0)
		return -1;
	if (!all_parsed(raw, len)) {
		st =
		    db_preparef(db, err,
				STEP_REP_COLS " WHERE s.status = 'planned' AND s.rep_id = $1 AND "
					      "s.due_at >= $2 AND s.due_at < $3 ORDER BY s.due_at, "
					      "s.id LIMIT $4",
				"iiii", rep_id, from, to, max);
		if (!st || collect_rows(st, a, sizeof(struct step_rec), read_rep_step, &raw, &len,
					err) < 0)
			return -1;
	}
	struct step_rec *rows = raw;
	if (len) { /* his login, as the join gives it (NULL without a user row) */
		const char *login;
		if (store_user_login(db, a, rep_id, &login, err) < 0)
			return -1;
		for (size_t i = 0; i < len; i++) {
			rows[i].rep_id = rep_id;
			rows[i].rep = login;
		}
	}
	*out = rows;
	*n = len;
	return 0;
}

static void read_plan(struct db_stmt *st, struct arena *a, void *row)
{
	struct plan_row *r = row;
	memset(r, 0, sizeof(*r));
	r->client_id = db_col_int(st, 0);
	r->client_name = arena_strdup(a, db_col_text(st, 1));
	r->category =
	    (enum category)word_of(db_col_text(st, 2), category_parse, CAT__COUNT, CAT_NOW);
	r->last_contact_at = db_col_int(st, 3);
	r->cadence_max_days = (int)db_col_int(st, 4);
	r->has_step = !db_col_null(st, 5);
	if (r->has_step) {
		r->step_kind = kind_of(db_col_text(st, 6));
		r->step_due = db_col_int(st, 7);
	}
	r->owner_id = db_col_int(st, 8);
}

/* the earliest planned step through a correlated subquery in the join condition: the same
 * text works on SQLite and PostgreSQL (no LATERAL, no window). One text per case: "owner_id
 * = $1 OR $1 = 0" would keep the planner off the clients_owner index. */
/* The rows come in the index's order and are sorted by id here: "ORDER BY +c.id" (an expression,
 * so that SQLite would not walk every client in id order instead of the few whose alert time has
 * come) made it sort them in a temporary B-tree, half of the statement's cost for a rep's few
 * rows. */
#define PLAN_ROWS                                                                                  \
	"SELECT c.id, c.name, c.category, c.last_contact_at, "                                     \
	"coalesce(g.cadence_max_days, 0), c.next_step_id, c.next_kind, c.next_due, c.owner_id "    \
	"FROM clients c LEFT JOIN segments g ON g.id = c.segment_id WHERE c.plan_alert_at <= $2 "  \
	"AND "

static int cmp_plan_id(const void *a, const void *b)
{
	int64_t x = ((const struct plan_row *)a)->client_id,
		y = ((const struct plan_row *)b)->client_id;
	return (x > y) - (x < y);
}

int store_plan_rows(struct db *db, struct arena *a, int64_t rep_id, int64_t now,
		    struct plan_row **out, size_t *n, struct nc_err *err)
{
	struct plan_row *rows = NULL;
	void *raw = NULL;
	size_t len = 0;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_preparef(
	    db, err, rep_id ? PLAN_ROWS "c.owner_id = $1" : PLAN_ROWS "$1 = 0", "ii", rep_id, now);
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(*rows), read_plan, &raw, &len, err) < 0)
		return -1;
	rows = raw;
	if (len > 1)
		qsort(rows, len, sizeof(*rows), cmp_plan_id);
	*out = rows;
	*n = len;
	return 0;
}

int store_steps_count(struct db *db, int64_t rep_id, int64_t from, int64_t to, int64_t *n,
		      struct nc_err *err)
{
	*n = 0;
	return db_get_int(db, err, n,
			  rep_id ? "SELECT count(*) FROM next_steps WHERE status = 'planned' AND "
				   "rep_id = $1 AND due_at >= $2 AND due_at < $3"
				 : "SELECT count(*) FROM next_steps WHERE status = 'planned' AND "
				   "$1 = 0 AND due_at >= $2 AND due_at < $3",
			  "iii", rep_id, from, to) < 0
		   ? -1
		   : 0;
}

int store_pool_count(struct db *db, int64_t rep_id, enum category c, int64_t *n, struct nc_err *err)
{
	*n = 0;
	/* the count kept by the triggers of migration 0012 (q_pool.c): a rep's is one row (none
	 * is 0), the team's the sum over the owners, nobody (0) included */
	if (db_get_int(db, err, n,
		       rep_id
			   ? "SELECT n FROM client_pool WHERE category = $1 AND owner_id = $2"
			   : "SELECT coalesce(sum(n), 0) FROM client_pool WHERE category = $1 AND "
			     "$2 = 0",
		       "ti", category_name(c), rep_id) < 0)
		return -1;
	return 0;
}

int store_rep_day_counts(struct db *db, int64_t rep_id, int64_t from, int64_t to, int64_t now,
			 struct rep_day_counts *out, struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st = db_preparef(
	    db, err,
	    "SELECT (SELECT count(*) FROM next_steps WHERE rep_id = $1 AND status = 'planned' AND "
	    "due_at >= $2 AND due_at < $3), (SELECT count(*) FROM next_steps WHERE rep_id = $1 "
	    "AND status = 'planned' AND due_at < $4)",
	    "iiii", rep_id, from, to, now);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1) {
		out->planned = db_col_int(st, 0);
		out->overdue = db_col_int(st, 1);
	}
	db_done(st);
	/* his calls from the counts kept per hour (migration 0020) */
	return rc < 0 || store_calls_count(db, rep_id, from, to, &out->calls, err) < 0 ? -1 : 0;
}

int store_step_page(struct db *db, struct arena *a, const struct step_filter *f,
		    struct step_rec **out, size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	size_t len = 0;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_preparef(
	    db, err,
	    STEP_COLS " WHERE s.status = 'planned' AND (s.rep_id = $1 OR $1 = 0) AND "
		      "(s.client_id = $2 OR $2 = 0) AND s.id > $3 ORDER BY s.id LIMIT $4",
	    "iiii", f->rep_id, f->client_id, f->after, (int64_t)(f->limit > 0 ? f->limit : 500));
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(struct step_rec), read_step, &raw, &len, err) < 0)
		return -1;
	*out = raw;
	*n = len;
	return 0;
}

int store_step_history(struct db *db, struct arena *a, int64_t client_id, int limit,
		       struct step_rec **out, size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	size_t len = 0;
	*out = NULL;
	*n = 0;
	struct db_stmt *st =
	    db_preparef(db, err,
			STEP_COLS " WHERE s.client_id = $1 ORDER BY s.due_at DESC, "
				  "s.id DESC LIMIT $2",
			"ii", client_id, (int64_t)(limit > 0 ? limit : 100));
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(struct step_rec), read_step, &raw, &len, err) < 0)
		return -1;
	*out = raw;
	*n = len;
	return 0;
}

int store_step_has_planned(struct db *db, int64_t client_id, enum step_kind kind,
			   struct nc_err *err)
{
	/* by next_steps_client (client_id, status, due_at): the client's few planned steps */
	int64_t found = 0;
	int rc = db_get_int(db, err, &found,
			    "SELECT 1 FROM next_steps WHERE client_id = $1 AND status = 'planned' "
			    "AND kind = $2 LIMIT 1",
			    "it", client_id, step_kind_name(kind));
	return rc < 0 ? -1 : rc == 1;
}

/* the planned steps whose copies differ from their client's name and first phone (0016) */
#define STEP_NAME  COPY_NAME("next_steps.client_id")
#define STEP_PHONE COPY_PHONE("next_steps.client_id")
#define COPIES_STALE                                                                               \
	"status = 'planned' AND (client_name IS DISTINCT FROM " STEP_NAME                          \
	" OR client_phone IS DISTINCT FROM " STEP_PHONE ")"
#define COPIES_SET                                                                                 \
	"UPDATE next_steps SET client_name = " STEP_NAME ", client_phone = " STEP_PHONE " WHERE "

int store_step_copies_refresh(struct db *db, int64_t client_id, struct nc_err *err)
{
	/* most calls find no planned step (the phones of a client just added: an import): looking
	 * first costs a sixth of the UPDATE's set-up, which opens the table and all its indexes */
	int64_t any = 0;
	int rc = db_get_int(db, err, &any,
			    "SELECT 1 FROM next_steps WHERE client_id = $1 AND status = 'planned' "
			    "LIMIT 1",
			    "i", client_id);
	if (rc <= 0)
		return rc;
	return db_run(db, err, COPIES_SET "client_id = $1 AND " COPIES_STALE, "i", client_id);
}

/* the planned steps whose line (0023) differs from their columns, and their new lines */
#define LINES_STALE(LEN) "status = 'planned' AND line IS DISTINCT FROM " LINE_OF(LEN)
#define LINES_SET(LEN)	 "UPDATE next_steps SET line = " LINE_OF(LEN) " WHERE " LINES_STALE(LEN)

static bool on_sqlite(struct db *db)
{
	return strcmp(db_driver_name(db), "sqlite") == 0;
}

int store_step_copies_rebuild(struct db *db, struct nc_err *err)
{
	/* the copies first: the lines hold them */
	if (db_exec(db, COPIES_SET COPIES_STALE, err) < 0)
		return -1;
	return db_exec(db, on_sqlite(db) ? LINES_SET(SQLITE_BYTES) : LINES_SET(PG_BYTES), err);
}

int store_step_copies_verify(struct db *db, bool fix, int64_t *diffs, struct nc_err *err)
{
	*diffs = 0;
	/* a step counts once, whether its copies, its line or both differ */
	if (db_get_int(db, err, diffs,
		       on_sqlite(db) ? "SELECT count(*) FROM next_steps WHERE (" COPIES_STALE
				       ") OR (" LINES_STALE(SQLITE_BYTES) ")"
				     : "SELECT count(*) FROM next_steps WHERE (" COPIES_STALE
				       ") OR (" LINES_STALE(PG_BYTES) ")",
		       "") < 0)
		return -1;
	return fix && *diffs ? store_step_copies_rebuild(db, err) : 0;
}
