/* bulk.c - fast inserts for nc-gen. SQLite buffers the rows of "INSERT ... RETURNING" in a
 * temporary b-tree per statement, so ids are chosen by the caller; and loading goes without the
 * journal and the secondary indexes, which are built once, sorted, at the end, and without the
 * triggers of clients (client_pool's, migration 0012), whose table nc-gen refills after. */
#include "bulk.h"
#include "util/arena.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>

struct index_def {
	char *type, *name, *sql; /* type: "index" or "trigger" */
};

/* the indexes and triggers bulk_begin_load dropped (one load per process) */
static struct index_def *dropped;
static size_t ndropped;

static void bind_opt_text(struct db_stmt *st, int idx, const char *s)
{
	if (s)
		db_bind_text(st, idx, s);
	else
		db_bind_null(st, idx);
}

/* run steps an INSERT once and gives the statement back. */
static int run(struct db_stmt *st, struct nc_err *err)
{
	int rc = db_step(st, err);
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int bulk_client(struct db *db, const struct client_rec *c, const char *search, struct nc_err *err)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO clients (id, name, company, category, refusal_reason, never_reason, "
	    "never_note, owner_id, segment_id, source_id, search, last_contact_at, category_at, "
	    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
	    "$13, $14, $15)",
	    err);
	if (!st)
		return -1;
	db_bind_int(st, 1, c->id);
	db_bind_text(st, 2, c->name);
	bind_opt_text(st, 3, c->company);
	db_bind_text(st, 4, category_name(c->category));
	bind_opt_text(st, 5, c->refusal_reason);
	bind_opt_text(st, 6, c->never_reason);
	bind_opt_text(st, 7, c->never_note);
	db_bind_opt_int(st, 8, c->owner_id);
	db_bind_opt_int(st, 9, c->segment_id);
	db_bind_opt_int(st, 10, c->source_id);
	db_bind_text(st, 11, search);
	db_bind_opt_int(st, 12, c->last_contact_at);
	db_bind_int(st, 13, c->category_at);
	db_bind_int(st, 14, c->created_at);
	db_bind_int(st, 15, c->updated_at);
	return run(st, err);
}

int bulk_phone(struct db *db, int64_t id, int64_t client_id, const char *e164, const char *raw,
	       struct nc_err *err)
{
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO phones (id, client_id, e164, raw) VALUES ($1, $2, $3, $4)", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, client_id);
	db_bind_text(st, 3, e164);
	db_bind_text(st, 4, raw);
	return run(st, err);
}

int bulk_call(struct db *db, const struct call_rec *c, int64_t script_run_id, struct nc_err *err)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO calls (id, client_id, rep_id, kind, direction, started_at, answered_at, "
	    "ended_at, ring_s, talk_s, missed, purpose, goal_max, goal_min, result, outcome, "
	    "refusal_reason, phone, pbx_id, recording_url, logged, created_at, script_run_id) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
	    "$18, $19, $20, $21, $22, $23)",
	    err);
	if (!st)
		return -1;
	db_bind_int(st, 1, c->id);
	db_bind_opt_int(st, 2, c->client_id);
	db_bind_opt_int(st, 3, c->rep_id);
	db_bind_text(st, 4, contact_kind_name(c->kind));
	bind_opt_text(st, 5,
		      c->direction >= 0 ? direction_name((enum direction)c->direction) : NULL);
	db_bind_int(st, 6, c->started_at);
	db_bind_opt_int(st, 7, c->answered_at);
	db_bind_opt_int(st, 8, c->ended_at);
	db_bind_int(st, 9, c->ring_s);
	db_bind_int(st, 10, c->talk_s);
	db_bind_int(st, 11, c->missed);
	bind_opt_text(st, 12, c->purpose);
	bind_opt_text(st, 13, c->goal_max);
	bind_opt_text(st, 14, c->goal_min);
	bind_opt_text(st, 15, c->result >= 0 ? result_name((enum result)c->result) : NULL);
	db_bind_text(st, 16, c->outcome);
	bind_opt_text(st, 17, c->refusal_reason);
	bind_opt_text(st, 18, c->phone);
	bind_opt_text(st, 19, c->pbx_id);
	bind_opt_text(st, 20, c->recording_url);
	db_bind_int(st, 21, c->logged);
	db_bind_int(st, 22, c->created_at);
	db_bind_opt_int(st, 23, script_run_id);
	return run(st, err);
}

int bulk_step(struct db *db, const struct step_rec *s, struct nc_err *err)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO next_steps (id, client_id, call_id, rep_id, kind, due_at, status, auto, "
	    "note, cancel_reason, created_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
	    "$9, $10, $11, $12)",
	    err);
	if (!st)
		return -1;
	db_bind_int(st, 1, s->id);
	db_bind_int(st, 2, s->client_id);
	db_bind_opt_int(st, 3, s->call_id);
	db_bind_opt_int(st, 4, s->rep_id);
	db_bind_text(st, 5, step_kind_name(s->kind));
	db_bind_int(st, 6, s->due_at);
	db_bind_text(st, 7, step_status_name(s->status));
	db_bind_int(st, 8, s->auto_planned);
	bind_opt_text(st, 9, s->note);
	bind_opt_text(st, 10, s->cancel_reason);
	db_bind_int(st, 11, s->created_at);
	db_bind_opt_int(st, 12, s->closed_at);
	return run(st, err);
}

int bulk_deal(struct db *db, const struct deal_rec *d, struct nc_err *err)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO deals (id, client_id, call_id, rep_id, amount, stage, created_at, "
	    "updated_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
	    err);
	if (!st)
		return -1;
	db_bind_int(st, 1, d->id);
	db_bind_int(st, 2, d->client_id);
	db_bind_opt_int(st, 3, d->call_id);
	db_bind_opt_int(st, 4, d->rep_id);
	db_bind_int(st, 5, d->amount);
	db_bind_text(st, 6, deal_stage_name(d->stage));
	db_bind_int(st, 7, d->created_at);
	db_bind_int(st, 8, d->updated_at);
	db_bind_opt_int(st, 9, d->closed_at);
	return run(st, err);
}

int bulk_script_run(struct db *db, const struct script_run_rec *r, const char *node,
		    struct nc_err *err)
{
	static const char *const results[] = {"none", "max", "min"}; /* enum script_goal */
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO script_runs (id, version_id, client_id, call_id, rep_id, status, result, "
	    "steps, node, started_at, updated_at, finished_at) VALUES ($1, $2, $3, $4, $5, $6, "
	    "$7, $8, $9, $10, $11, $12)",
	    err);
	if (!st)
		return -1;
	db_bind_int(st, 1, r->id);
	db_bind_int(st, 2, r->version_id);
	db_bind_int(st, 3, r->client_id);
	db_bind_opt_int(st, 4, r->call_id);
	db_bind_opt_int(st, 5, r->rep_id);
	db_bind_text(st, 6, r->status);
	bind_opt_text(st, 7, r->result >= 0 && r->result < 3 ? results[r->result] : NULL);
	db_bind_int(st, 8, r->steps);
	db_bind_text(st, 9, node);
	db_bind_int(st, 10, r->started_at);
	db_bind_int(st, 11, r->updated_at);
	db_bind_opt_int(st, 12, r->finished_at);
	return run(st, err);
}

static bool is_sqlite(struct db *db)
{
	return strcmp(db_driver_name(db), "sqlite") == 0;
}

/* drop_indexes drops the secondary indexes of the big tables that rows written client by
 * client would reach in random order, keeping their definitions. Those led by client_id only
 * grow at their end and stay, as do the unique constraints (phones.e164, calls.pbx_id), which
 * have nothing to drop. The triggers of clients and next_steps go too: what they keep is counted
 * once after the load (store_client_pool_rebuild, store_step_copies_rebuild). */
static int drop_indexes(struct db *db, struct nc_err *err)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT m.type, m.name, m.sql FROM sqlite_master m WHERE (m.type = 'index' AND m.sql "
	    "IS NOT NULL AND m.tbl_name IN ('clients', 'phones', 'calls', 'next_steps', 'deals', "
	    "'script_runs', 'script_run_steps') AND "
	    "coalesce((SELECT i.name FROM pragma_index_info(m.name) i WHERE i.seqno = 0), '') "
	    "<> 'client_id') OR (m.type = 'trigger' AND m.tbl_name IN ('clients', 'next_steps'))",
	    err);
	if (!st)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st, err)) == 1) {
		if (ndropped == cap)
			dropped = xrealloc(dropped, (cap = cap * 2 + 8) * sizeof(*dropped));
		dropped[ndropped].type = xstrdup(db_col_text(st, 0));
		dropped[ndropped].name = xstrdup(db_col_text(st, 1));
		dropped[ndropped++].sql = xstrdup(db_col_text(st, 2));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	struct arena a;
	arena_init(&a);
	for (size_t i = 0; i < ndropped && rc == 0; i++)
		rc = db_exec(
		    db,
		    arena_printf(&a, "DROP %s \"%s\"",
				 strcmp(dropped[i].type, "trigger") == 0 ? "TRIGGER" : "INDEX",
				 dropped[i].name),
		    err);
	arena_release(&a);
	return rc;
}

int bulk_begin_load(struct db *db, bool checked, struct nc_err *err)
{
	if (!is_sqlite(db))
		return 0; /* PostgreSQL: load with the indexes in place */
	if (db_exec(db,
		    "PRAGMA cache_size = -1048576; PRAGMA threads = 4; "
		    "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF",
		    err) < 0 ||
	    (!checked && db_exec(db, "PRAGMA foreign_keys = OFF", err) < 0))
		return -1;
	return drop_indexes(db, err);
}

int bulk_end_load(struct db *db, struct nc_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < ndropped; i++) {
		if (err && rc == 0 && db_exec(db, dropped[i].sql, err) < 0)
			rc = -1;
		free(dropped[i].type);
		free(dropped[i].name);
		free(dropped[i].sql);
	}
	free(dropped);
	dropped = NULL;
	ndropped = 0;
	return rc;
}

int bulk_finish(struct db *db, struct nc_err *err)
{
	if (!is_sqlite(db))
		return 0;
	return db_exec(db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON", err);
}

size_t bulk_nindexes(void)
{
	size_t n = 0;
	for (size_t i = 0; i < ndropped; i++)
		n += strcmp(dropped[i].type, "index") == 0;
	return n;
}
