/* q_steps.c - next steps (planned, moved, closed), the rows the agenda plans from, and the
 * size of a rep's pool of clients by category. */
#include "store/internal.h"
#include "store/store.h"

#include <string.h>

/* A step with its rep's login, its client's name and the client's first phone. */
#define STEP_COLS                                                                                  \
	"SELECT s.id, s.client_id, s.call_id, s.rep_id, s.kind, s.due_at, s.status, s.auto, "      \
	"s.note, s.cancel_reason, s.created_at, s.closed_at, u.login, c.name, (SELECT p.e164 "     \
	"FROM phones p WHERE p.client_id = s.client_id ORDER BY p.id LIMIT 1) FROM next_steps s "  \
	"JOIN clients c ON c.id = s.client_id LEFT JOIN users u ON u.id = s.rep_id"

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

static void read_step(struct db_stmt *st, struct arena *a, void *row)
{
	struct step_rec *s = row;
	memset(s, 0, sizeof(*s));
	s->id = db_col_int(st, 0);
	s->client_id = db_col_int(st, 1);
	s->call_id = db_col_int(st, 2);
	s->rep_id = db_col_int(st, 3);
	s->kind = kind_of(db_col_text(st, 4));
	s->due_at = db_col_int(st, 5);
	/* an unknown status reads as cancelled, so that nothing acts on the step again */
	s->status = (enum step_status)word_of(db_col_text(st, 6), step_status_parse,
					      STEP_STATUS__COUNT, STEP_CANCELLED);
	s->auto_planned = db_col_int(st, 7) == 1;
	s->note = arena_strdup(a, db_col_text(st, 8));
	s->cancel_reason = arena_strdup(a, db_col_text(st, 9));
	s->created_at = db_col_int(st, 10);
	s->closed_at = db_col_int(st, 11);
	s->rep = arena_strdup(a, db_col_text(st, 12));
	s->client_name = arena_strdup(a, db_col_text(st, 13));
	s->client_phone = arena_strdup(a, db_col_text(st, 14));
}

int store_step_insert(struct db *db, const struct step_rec *s, int64_t *id, struct nc_err *err)
{
	struct db_stmt *st = db_preparef(
	    db, err,
	    "INSERT INTO next_steps (client_id, call_id, rep_id, kind, due_at, status, auto, "
	    "note, cancel_reason, created_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
	    "$9, $10, $11) RETURNING id",
	    "iootitittio", s->client_id, s->call_id, s->rep_id, step_kind_name(s->kind), s->due_at,
	    step_status_name(s->status), (int64_t)(s->auto_planned ? 1 : 0), s->note,
	    s->cancel_reason, s->created_at, s->closed_at);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc == 0)
		return nc_error(err, NC_EDB, "database: insert into next_steps returned no id");
	return rc < 0 ? -1 : 0;
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

int store_step_next(struct db *db, struct arena *a, int64_t client_id, struct step_rec *out,
		    struct nc_err *err)
{
	struct db_stmt *st = db_preparef(db, err,
					 STEP_COLS " WHERE s.client_id = $1 AND s.status = "
						   "'planned' ORDER BY s.due_at, s.id LIMIT 1",
					 "i", client_id);
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
	return 0;
}

int store_step_move(struct db *db, int64_t id, int64_t due_at, struct nc_err *err)
{
	if (db_run(db, err, "UPDATE next_steps SET due_at = $2 WHERE id = $1", "ii", id, due_at) <
	    0)
		return -1;
	if (db_changes(db) == 0)
		return nc_error(err, NC_ENOTFOUND, "no next step with id %lld", (long long)id);
	return 0;
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
	return 0;
}

int store_step_list(struct db *db, struct arena *a, int64_t rep_id, int64_t from, int64_t to,
		    struct step_rec **out, size_t *n, struct nc_err *err)
{
	struct step_rec *rows = NULL;
	void *raw = NULL;
	size_t len = 0;
	*out = NULL;
	*n = 0;
	struct db_stmt *st =
	    db_preparef(db, err,
			STEP_COLS " WHERE s.status = 'planned' AND (s.rep_id = $1 "
				  "OR $1 = 0) AND s.due_at >= $2 AND s.due_at < $3 "
				  "ORDER BY s.due_at, s.id",
			"iii", rep_id, from, to);
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(*rows), read_step, &raw, &len, err) < 0)
		return -1;
	rows = raw;
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
}

int store_plan_rows(struct db *db, struct arena *a, int64_t rep_id, struct plan_row **out,
		    size_t *n, struct nc_err *err)
{
	struct plan_row *rows = NULL;
	void *raw = NULL;
	size_t len = 0;
	*out = NULL;
	*n = 0;
	/* the earliest planned step through a correlated subquery in the join condition: the same
	 * text works on SQLite and PostgreSQL (no LATERAL, no window) */
	struct db_stmt *st = db_preparef(
	    db, err,
	    "SELECT c.id, c.name, c.category, c.last_contact_at, "
	    "coalesce(g.cadence_max_days, 0), s.id, s.kind, s.due_at FROM clients c "
	    "LEFT JOIN segments g ON g.id = c.segment_id "
	    "LEFT JOIN next_steps s ON s.id = (SELECT s2.id FROM next_steps s2 WHERE "
	    "s2.client_id = c.id AND s2.status = 'planned' ORDER BY s2.due_at, s2.id LIMIT 1) "
	    "WHERE c.category IN ('now', 'future') AND (c.owner_id = $1 OR $1 = 0) "
	    "ORDER BY c.id",
	    "i", rep_id);
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(*rows), read_plan, &raw, &len, err) < 0)
		return -1;
	rows = raw;
	*out = rows;
	*n = len;
	return 0;
}

int store_pool_count(struct db *db, int64_t rep_id, enum category c, int64_t *n, struct nc_err *err)
{
	*n = 0;
	if (db_get_int(db, err, n,
		       "SELECT count(*) FROM clients WHERE category = $1 AND (owner_id = $2 OR "
		       "$2 = 0)",
		       "ti", category_name(c), rep_id) < 0)
		return -1;
	return 0;
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
