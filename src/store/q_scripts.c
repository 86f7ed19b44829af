/* q_scripts.c - call scripts and their versions, live runs with one row per step, the answers
 * runs capture into client cards, and the per-version analytics, aggregated in SQL. */
#include "store/internal.h"
#include "store/store.h"

#include <string.h>

#define SCRIPT_COLS                                                                                \
	"SELECT s.id, s.name, s.outbound, s.archived, v.id, v.version, v.source, u.login, "        \
	"v.created_at, (SELECT count(*) FROM script_versions w WHERE w.script_id = s.id) "         \
	"FROM scripts s JOIN script_versions v ON v.script_id = s.id "                             \
	"LEFT JOIN users u ON u.id = v.author_id"

/* the latest version when $2 is 0, else version $2 */
#define SCRIPT_VERSION_WHERE                                                                       \
	" AND (v.version = $2 OR ($2 = 0 AND v.version = (SELECT max(w.version) FROM "             \
	"script_versions w WHERE w.script_id = s.id)))"

#define RUN_COLS                                                                                   \
	"SELECT r.id, v.script_id, r.version_id, v.version, s.name, r.client_id, r.call_id, "      \
	"r.rep_id, u.login, r.status, r.result, r.steps, r.started_at, r.updated_at, "             \
	"r.finished_at FROM script_runs r JOIN script_versions v ON v.id = r.version_id "          \
	"JOIN scripts s ON s.id = v.script_id LEFT JOIN users u ON u.id = r.rep_id"

static void read_script(struct db_stmt *st, struct arena *a, void *row)
{
	struct script_rec *s = row;
	memset(s, 0, sizeof(*s));
	s->id = db_col_int(st, 0);
	s->name = arena_strdup(a, db_col_text(st, 1));
	s->outbound = db_col_int(st, 2) == 1;
	s->archived = db_col_int(st, 3) == 1;
	s->version_id = db_col_int(st, 4);
	s->version = (int)db_col_int(st, 5);
	s->source = arena_strdup(a, db_col_text(st, 6));
	s->author = arena_strdup(a, db_col_text(st, 7));
	s->created_at = db_col_int(st, 8);
	s->nversions = (int)db_col_int(st, 9);
}

/* get_one steps st once into out with read: 1 a row, 0 none. */
static int get_one(struct db_stmt *st, struct arena *a, row_reader read, void *out,
		   struct nc_err *err)
{
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1)
		read(st, a, out);
	db_done(st);
	return rc;
}

int store_script_by_name(struct db *db, struct arena *a, const char *name, int version,
			 struct script_rec *out, struct nc_err *err)
{
	struct db_stmt *st =
	    db_preparef(db, err, SCRIPT_COLS " WHERE s.name = $1" SCRIPT_VERSION_WHERE, "ti", name,
			(int64_t)version);
	return get_one(st, a, read_script, out, err);
}

int store_script_get(struct db *db, struct arena *a, int64_t id, int version,
		     struct script_rec *out, struct nc_err *err)
{
	struct db_stmt *st =
	    db_preparef(db, err, SCRIPT_COLS " WHERE s.id = $1" SCRIPT_VERSION_WHERE, "ii", id,
			(int64_t)version);
	return get_one(st, a, read_script, out, err);
}

int store_script_version_get(struct db *db, struct arena *a, int64_t version_id,
			     struct script_rec *out, struct nc_err *err)
{
	struct db_stmt *st = db_preparef(db, err, SCRIPT_COLS " WHERE v.id = $1", "i", version_id);
	return get_one(st, a, read_script, out, err);
}

int store_script_insert(struct db *db, const char *name, bool outbound, int64_t now, int64_t *id,
			struct nc_err *err)
{
	struct db_stmt *st = db_preparef(
	    db, err,
	    "INSERT INTO scripts (name, outbound, archived, created_at) VALUES ($1, $2, 0, $3) "
	    "RETURNING id",
	    "tii", name, (int64_t)(outbound ? 1 : 0), now);
	if (!st)
		return -1;
	return insert_id(st, id, err);
}

int store_script_set(struct db *db, int64_t id, bool outbound, bool archived, struct nc_err *err)
{
	return db_run(db, err, "UPDATE scripts SET outbound = $2, archived = $3 WHERE id = $1",
		      "iii", id, (int64_t)(outbound ? 1 : 0), (int64_t)(archived ? 1 : 0));
}

int store_script_version_add(struct db *db, int64_t script_id, const char *source,
			     int64_t author_id, int64_t now, int64_t *version_id, int *version,
			     struct nc_err *err)
{
	int64_t last = 0;
	if (db_get_int(db, err, &last,
		       "SELECT coalesce(max(version), 0) FROM script_versions WHERE script_id = $1",
		       "i", script_id) < 0)
		return -1;
	/* UNIQUE (script_id, version) turns a concurrent upload into NC_ECONFLICT */
	struct db_stmt *st = db_preparef(
	    db, err,
	    "INSERT INTO script_versions (script_id, version, source, author_id, created_at) "
	    "VALUES ($1, $2, $3, $4, $5) RETURNING id",
	    "iitoi", script_id, last + 1, source, author_id, now);
	if (!st || insert_id(st, version_id, err) < 0)
		return -1;
	*version = (int)(last + 1);
	return 0;
}

static void read_script_list(struct db_stmt *st, struct arena *a, void *row)
{
	struct script_rec *s = row;
	read_script(st, a, row);
	s->source = NULL;
	s->runs = db_col_int(st, 10);
}

int store_script_list(struct db *db, struct arena *a, bool all, struct script_rec **out, size_t *n,
		      struct nc_err *err)
{
	void *raw = NULL;
	/* the scripts with their latest version; the runs' count is kept (0018): counting
	 * script_runs read an index entry for every run ever (0.13 s at 1.6 M runs) */
	struct db_stmt *st = db_preparef(
	    db, err,
	    "SELECT s.id, s.name, s.outbound, s.archived, v.id, v.version, NULL, u.login, "
	    "v.created_at, (SELECT count(*) FROM script_versions w WHERE w.script_id = s.id), "
	    "(SELECT coalesce(sum(c.runs), 0) FROM script_counts c JOIN script_versions w ON w.id "
	    "= c.version_id WHERE w.script_id = s.id AND c.entered = '' AND c.variant = -1) FROM "
	    "scripts s JOIN script_versions v ON v.script_id = s.id LEFT JOIN users u ON u.id = "
	    "v.author_id WHERE (s.archived = 0 OR $1 = 1) AND v.version = (SELECT max(w.version) "
	    "FROM script_versions w WHERE w.script_id = s.id) ORDER BY s.name, s.id",
	    "i", (int64_t)(all ? 1 : 0));
	*out = NULL;
	*n = 0;
	if (!st || collect_rows(st, a, sizeof(**out), read_script_list, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

static void read_version(struct db_stmt *st, struct arena *a, void *row)
{
	struct script_rec *s = row;
	read_script(st, a, row);
	s->source = NULL;
	s->runs = db_col_int(st, 10);
}

int store_script_versions(struct db *db, struct arena *a, int64_t id, struct script_rec **out,
			  size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	struct db_stmt *st = db_preparef(
	    db, err,
	    "SELECT s.id, s.name, s.outbound, s.archived, v.id, v.version, NULL, u.login, "
	    "v.created_at, (SELECT count(*) FROM script_versions w WHERE w.script_id = s.id), "
	    "(SELECT coalesce(sum(c.runs), 0) FROM script_counts c WHERE c.version_id = v.id AND "
	    "c.entered = '' AND c.variant = -1) FROM scripts s "
	    "JOIN script_versions v ON v.script_id = s.id LEFT JOIN users u ON u.id = v.author_id "
	    "WHERE s.id = $1 ORDER BY v.version DESC",
	    "i", id);
	*out = NULL;
	*n = 0;
	if (!st || collect_rows(st, a, sizeof(**out), read_version, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

/* ---- runs ---- */

static int goal_of(const char *s)
{
	if (!s)
		return -1;
	return !strcmp(s, "max") ? 1 : !strcmp(s, "min") ? 2 : 0; /* enum script_goal */
}

static const char *goal_word(int g)
{
	return g == 1 ? "max" : g == 2 ? "min" : g == 0 ? "none" : NULL;
}

static void read_run(struct db_stmt *st, struct arena *a, void *row)
{
	struct script_run_rec *r = row;
	memset(r, 0, sizeof(*r));
	r->id = db_col_int(st, 0);
	r->script_id = db_col_int(st, 1);
	r->version_id = db_col_int(st, 2);
	r->version = (int)db_col_int(st, 3);
	r->script_name = arena_strdup(a, db_col_text(st, 4));
	r->client_id = db_col_int(st, 5);
	r->call_id = db_col_int(st, 6);
	r->rep_id = db_col_int(st, 7);
	r->rep = arena_strdup(a, db_col_text(st, 8));
	r->status = arena_strdup(a, db_col_text(st, 9));
	r->result = goal_of(db_col_text(st, 10));
	r->steps = (int)db_col_int(st, 11);
	r->started_at = db_col_int(st, 12);
	r->updated_at = db_col_int(st, 13);
	r->finished_at = db_col_int(st, 14);
}

/* COUNT_ADD adds 1 to a column of row ($1 version, $2 entered, $3 variant) of script_counts
 * (migration 0018), which may not exist yet */
#define COUNT_ADD(col)                                                                             \
	"INSERT INTO script_counts (version_id, entered, variant, " col ") VALUES ($1, $2, $3, "   \
	"1) ON CONFLICT (version_id, entered, variant) DO UPDATE SET " col " = script_counts." col \
	" + 1"

int store_run_insert(struct db *db, const struct script_run_rec *r, const char *node,
		     const struct run_step_rec *start, int64_t *id, struct nc_err *err)
{
	struct db_stmt *st = db_preparef(
	    db, err,
	    "INSERT INTO script_runs (version_id, client_id, call_id, rep_id, status, steps, node, "
	    "started_at, updated_at) VALUES ($1, $2, $3, $4, 'open', 0, $5, $6, $6) RETURNING id",
	    "iooiti", r->version_id, r->client_id, r->call_id, r->rep_id, node, r->started_at);
	if (!st || insert_id(st, id, err) < 0 ||
	    db_run(db, err, COUNT_ADD("runs"), "iti", r->version_id, "", (int64_t)-1) < 0)
		return -1;
	return store_run_step_add(db, *id, r->version_id, start, err);
}

int store_run_get(struct db *db, struct arena *a, int64_t id, struct script_run_rec *out,
		  struct nc_err *err)
{
	struct db_stmt *st = db_preparef(db, err, RUN_COLS " WHERE r.id = $1", "i", id);
	return get_one(st, a, read_run, out, err);
}

static void read_step(struct db_stmt *st, struct arena *a, void *row)
{
	struct run_step_rec *s = row;
	s->seq = (int)db_col_int(st, 0);
	s->action = arena_strdup(a, db_col_text(st, 1));
	s->arg = arena_strdup(a, db_col_text(st, 2));
	s->rnd = (uint32_t)db_col_int(st, 3);
	s->entered = arena_strdup(a, db_col_text(st, 4));
	s->variant = db_col_null(st, 5) ? -1 : (int)db_col_int(st, 5);
	s->at = db_col_int(st, 6);
}

int store_run_steps(struct db *db, struct arena *a, int64_t run_id, struct run_step_rec **out,
		    size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	struct db_stmt *st = db_preparef(db, err,
					 "SELECT seq, action, arg, rnd, entered, variant, at FROM "
					 "script_run_steps WHERE run_id = $1 ORDER BY seq",
					 "i", run_id);
	*out = NULL;
	*n = 0;
	if (!st || collect_rows(st, a, sizeof(**out), read_step, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

/* count_lock: on PostgreSQL, a transaction that changes a version's counts first locks the
 * version's row (entered '', variant -1): the finish of one run and the steps of another each
 * change several rows, and without one row taken first they could each hold one the other waits
 * for. SQLite writes one transaction at a time. */
static int count_lock(struct db *db, int64_t version_id, struct nc_err *err)
{
	return strcmp(db_driver_name(db), "postgres") == 0
		   ? db_run(
			 db, err,
			 "INSERT INTO script_counts (version_id, entered, variant) VALUES ($1, "
			 "'', -1) ON CONFLICT (version_id, entered, variant) DO UPDATE SET runs = "
			 "script_counts.runs",
			 "i", version_id)
		   : 0;
}

/* count_entered counts step s of a run into its version's rows of the node (or objection) it
 * entered and of the wording it showed, unless an earlier step of the run entered them: a run
 * counts once in each row (the steps of one run, read by their primary key) */
static int count_entered(struct db *db, int64_t run_id, int64_t version_id,
			 const struct run_step_rec *s, struct nc_err *err)
{
	if (!s->entered)
		return 0;
	struct db_stmt *st = db_preparef(
	    db, err,
	    "SELECT count(*), coalesce(sum(CASE WHEN variant = $4 THEN 1 ELSE 0 END), 0) FROM "
	    "script_run_steps WHERE run_id = $1 AND seq < $2 AND entered = $3",
	    "iiti", run_id, (int64_t)s->seq, s->entered, (int64_t)s->variant);
	if (!st)
		return -1;
	int64_t node_seen = 0, variant_seen = 0;
	int rc = db_step(st, err);
	if (rc == 1) {
		node_seen = db_col_int(st, 0);
		variant_seen = db_col_int(st, 1);
	}
	db_done(st);
	if (rc < 0 || ((!node_seen || (s->variant >= 0 && !variant_seen)) &&
		       count_lock(db, version_id, err) < 0))
		return -1;
	if (!node_seen &&
	    db_run(db, err, COUNT_ADD("runs"), "iti", version_id, s->entered, (int64_t)-1) < 0)
		return -1;
	if (s->variant >= 0 && !variant_seen &&
	    db_run(db, err, COUNT_ADD("runs"), "iti", version_id, s->entered, (int64_t)s->variant) <
		0)
		return -1;
	return 0;
}

int store_run_step_row(struct db *db, int64_t run_id, const struct run_step_rec *s,
		       struct nc_err *err)
{
	struct db_stmt *st =
	    db_prepare(db,
		       "INSERT INTO script_run_steps (run_id, seq, action, arg, rnd, "
		       "entered, variant, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		       err);
	if (!st)
		return -1;
	db_bind_int(st, 1, run_id);
	db_bind_int(st, 2, s->seq);
	db_bind_text(st, 3, s->action);
	db_bind_text(st, 4, s->arg);
	db_bind_int(st, 5, (int64_t)s->rnd);
	db_bind_text(st, 6, s->entered);
	if (s->variant >= 0)
		db_bind_int(st, 7, s->variant);
	else
		db_bind_null(st, 7);
	db_bind_int(st, 8, s->at);
	int rc = db_step(st, err);
	db_done(st);
	if (rc < 0 && err && err->code == NC_ECONFLICT)
		return nc_error_field(
		    err, NC_ECONFLICT, "seq",
		    "step %d of run %lld was taken already (sent twice or at once)", s->seq - 1,
		    (long long)run_id);
	return rc < 0 ? -1 : 0;
}

int store_run_step_add(struct db *db, int64_t run_id, int64_t version_id,
		       const struct run_step_rec *s, struct nc_err *err)
{
	return store_run_step_row(db, run_id, s, err) < 0 ||
		       count_entered(db, run_id, version_id, s, err) < 0
		   ? -1
		   : 0;
}

int store_run_update(struct db *db, const struct script_run_rec *r, const char *node,
		     int prev_steps, struct nc_err *err)
{
	if (db_run(db, err,
		   "UPDATE script_runs SET steps = $2, node = $3, status = $4, result = $5, "
		   "call_id = $6, updated_at = $7, finished_at = $8 WHERE id = $1 AND steps = $9",
		   "iitttoioi", r->id, (int64_t)r->steps, node, r->status, goal_word(r->result),
		   r->call_id, r->updated_at, r->finished_at, (int64_t)prev_steps) < 0)
		return -1;
	if (db_changes(db) == 0)
		return nc_error_field(err, NC_ECONFLICT, "seq",
				      "run %lld moved on meanwhile: reload it", (long long)r->id);
	return 0;
}

/* the rows a finished run counts in: its version's, and each node, objection and wording it
 * entered (a UNION: each once) */
#define COUNT_RESULT(col)                                                                          \
	"UPDATE script_counts SET " col " = " col " + 1 WHERE version_id = $1 AND ((entered = '' " \
	"AND variant = -1) OR (entered, variant) IN (SELECT entered, -1 FROM script_run_steps "    \
	"WHERE run_id = $2 AND entered IS NOT NULL UNION SELECT entered, variant FROM "            \
	"script_run_steps WHERE run_id = $2 AND entered IS NOT NULL AND variant IS NOT NULL))"

int store_script_count_end(struct db *db, const struct script_run_rec *r, const char *node,
			   struct nc_err *err)
{
	if (!strcmp(r->status, "abandoned"))
		return db_run(db, err, COUNT_ADD("abandoned"), "iti", r->version_id, "",
			      (int64_t)-1) < 0 ||
			       db_run(db, err, COUNT_ADD("abandoned"), "iti", r->version_id, node,
				      (int64_t)-1) < 0
			   ? -1
			   : 0;
	const char *g = goal_word(r->result);
	if (strcmp(r->status, "finished") != 0 || !g || !strcmp(g, "none"))
		return 0;
	return count_lock(db, r->version_id, err) < 0
		   ? -1
		   : db_run(db, err,
			    !strcmp(g, "max") ? COUNT_RESULT("max_runs") : COUNT_RESULT("min_runs"),
			    "ii", r->version_id, r->id);
}

int store_runs_open(struct db *db, struct arena *a, int64_t rep_id, int64_t client_id,
		    struct script_run_rec **out, size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	/* one statement for each filter, each by its index: the client's runs by
	 * script_runs_client, the rep's by script_runs_rep; "(r.rep_id = $1 OR $1 = 0)" would
	 * defeat both, and the card asks this on every view (a scan of every run ever: 0.19 s
	 * at 1.6 M runs) */
	const char *sql =
	    client_id ? RUN_COLS " WHERE r.client_id = $2 AND r.status = 'open' AND (r.rep_id = $1 "
				 "OR $1 = 0) ORDER BY r.started_at DESC, r.id DESC LIMIT 100"
	    : rep_id  ? RUN_COLS " WHERE r.rep_id = $1 AND r.status = 'open' AND $2 = 0 ORDER BY "
				 "r.started_at DESC, r.id DESC LIMIT 100"
		      : RUN_COLS " WHERE r.status = 'open' AND $1 = 0 AND $2 = 0 ORDER BY "
				 "r.started_at DESC, r.id DESC LIMIT 100";
	struct db_stmt *st = db_preparef(db, err, sql, "ii", rep_id, client_id);
	*out = NULL;
	*n = 0;
	if (!st || collect_rows(st, a, sizeof(**out), read_run, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

/* ---- answers in the card ---- */

int store_client_field_put(struct db *db, int64_t client_id, const struct client_field *f,
			   struct nc_err *err)
{
	/* ON CONFLICT ... DO UPDATE: SQLite since 3.24 and PostgreSQL alike */
	return db_run(
	    db, err,
	    "INSERT INTO client_fields (client_id, field, value, type, run_id, updated_at) "
	    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (client_id, field) DO UPDATE SET "
	    "value = excluded.value, type = excluded.type, run_id = excluded.run_id, "
	    "updated_at = excluded.updated_at",
	    "itttoi", client_id, f->field, f->value, f->type, f->run_id, f->updated_at);
}

static void read_field(struct db_stmt *st, struct arena *a, void *row)
{
	struct client_field *f = row;
	f->field = arena_strdup(a, db_col_text(st, 0));
	f->value = arena_strdup(a, db_col_text(st, 1));
	f->type = arena_strdup(a, db_col_text(st, 2));
	f->run_id = db_col_int(st, 3);
	f->updated_at = db_col_int(st, 4);
}

int store_client_fields(struct db *db, struct arena *a, int64_t client_id,
			struct client_field **out, size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	struct db_stmt *st = db_preparef(db, err,
					 "SELECT field, value, type, run_id, updated_at FROM "
					 "client_fields WHERE client_id = $1 ORDER BY field",
					 "i", client_id);
	*out = NULL;
	*n = 0;
	if (!st || collect_rows(st, a, sizeof(**out), read_field, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

int store_call_log_pbx(struct db *db, const struct call_rec *c, int64_t script_run_id,
		       struct nc_err *err)
{
	const char *dir = c->direction >= 0 && c->direction < DIR__COUNT
			      ? direction_name((enum direction)c->direction)
			      : NULL;
	const char *res = c->result >= 0 && c->result < RESULT__COUNT
			      ? result_name((enum result)c->result)
			      : NULL;
	if (db_run(db, err,
		   "UPDATE calls SET client_id = $2, rep_id = $3, direction = $4, talk_s = $5, "
		   "purpose = $6, goal_max = $7, goal_min = $8, result = $9, outcome = "
		   "coalesce($10, 'none'), refusal_reason = $11, script_run_id = $12, missed = 0, "
		   "logged = 1 WHERE id = $1 AND logged = 0",
		   "iiititttttto", c->id, c->client_id, c->rep_id, dir, (int64_t)c->talk_s,
		   c->purpose, c->goal_max, c->goal_min, res, c->outcome, c->refusal_reason,
		   script_run_id) < 0)
		return -1;
	if (db_changes(db) == 0)
		return nc_error_field(err, NC_ECONFLICT, "call_id",
				      "call %lld from the exchange is logged already",
				      (long long)c->id);
	return 0;
}

int store_call_set_script_run(struct db *db, int64_t call_id, int64_t run_id, struct nc_err *err)
{
	return db_run(db, err, "UPDATE calls SET script_run_id = $2 WHERE id = $1", "ii", call_id,
		      run_id);
}

/* ---- analytics ---- */

int store_script_run_totals(struct db *db, int64_t version_id, int64_t stale,
			    struct script_run_totals *out, struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	/* the kept counts (0018), and the open runs by script_runs_version: an open run not
	 * touched since stale counts as abandoned */
	struct db_stmt *st = db_preparef(
	    db, err,
	    "SELECT coalesce(c.runs, 0), coalesce(c.max_runs, 0), coalesce(c.min_runs, 0), "
	    "coalesce(c.abandoned, 0), (SELECT count(*) FROM script_runs r WHERE r.version_id = "
	    "$1 AND r.status = 'open'), (SELECT count(*) FROM script_runs r WHERE r.version_id = "
	    "$1 AND r.status = 'open' AND r.updated_at < $2) FROM (SELECT 1 AS one) x LEFT JOIN "
	    "script_counts c ON c.version_id = $1 AND c.entered = '' AND c.variant = -1",
	    "ii", version_id, stale);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1) {
		int64_t open = db_col_int(st, 4), stale_open = db_col_int(st, 5);
		out->runs = db_col_int(st, 0);
		out->max = db_col_int(st, 1);
		out->min = db_col_int(st, 2);
		out->abandoned = db_col_int(st, 3) + stale_open;
		out->open = open - stale_open;
		out->finished = out->runs - db_col_int(st, 3) - open;
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static void read_entered(struct db_stmt *st, struct arena *a, void *row)
{
	struct script_entered_stat *e = row;
	e->entered = arena_strdup(a, db_col_text(st, 0));
	e->variant = (int)db_col_int(st, 1);
	e->runs = db_col_int(st, 2);
	e->max = db_col_int(st, 3);
	e->min = db_col_int(st, 4);
}

int store_script_entered(struct db *db, struct arena *a, int64_t version_id, bool by_variant,
			 struct script_entered_stat **out, size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	/* the kept counts (0018): a run that entered a node twice (back, loops) counted once */
	const char *sql =
	    by_variant ? "SELECT entered, variant, runs, max_runs, min_runs FROM script_counts "
			 "WHERE version_id = $1 AND variant >= 0 ORDER BY entered, variant"
		       : "SELECT entered, variant, runs, max_runs, min_runs FROM script_counts "
			 "WHERE version_id = $1 AND entered <> '' AND variant = -1 AND runs > 0 "
			 "ORDER BY entered";
	struct db_stmt *st = db_preparef(db, err, sql, "i", version_id);
	*out = NULL;
	*n = 0;
	if (!st || collect_rows(st, a, sizeof(**out), read_entered, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

static void read_last(struct db_stmt *st, struct arena *a, void *row)
{
	struct script_last_node *l = row;
	l->node = arena_strdup(a, db_col_text(st, 0));
	l->abandoned = db_col_int(st, 1);
}

int store_script_abandoned_at(struct db *db, struct arena *a, int64_t version_id, int64_t stale,
			      struct script_last_node **out, size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	/* the kept counts of abandoned runs by last node, and the open runs left since stale */
	struct db_stmt *st = db_preparef(
	    db, err,
	    "SELECT node, sum(n) FROM (SELECT entered AS node, abandoned AS n FROM script_counts "
	    "WHERE version_id = $1 AND entered <> '' AND variant = -1 AND abandoned > 0 UNION ALL "
	    "SELECT node, count(*) FROM script_runs WHERE version_id = $1 AND status = 'open' AND "
	    "updated_at < $2 GROUP BY node) u GROUP BY node ORDER BY node",
	    "ii", version_id, stale);
	*out = NULL;
	*n = 0;
	if (!st || collect_rows(st, a, sizeof(**out), read_last, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

/* ---- keeping the counts (migration 0018) ---- */

/* SCRIPT_RECOUNT: script_counts' rows counted from the runs and steps, a key in one or more
 * rows (summed by key) */
#define SCRIPT_RECOUNT                                                                             \
	"SELECT version_id, '' AS entered, -1 AS variant, count(*) AS runs, sum(CASE WHEN result " \
	"= 'max' THEN 1 ELSE 0 END) AS max_runs, sum(CASE WHEN result = 'min' THEN 1 ELSE 0 END) " \
	"AS min_runs, sum(CASE WHEN status = 'abandoned' THEN 1 ELSE 0 END) AS abandoned FROM "    \
	"script_runs GROUP BY version_id UNION ALL SELECT version_id, node, -1, 0, 0, 0, "         \
	"count(*) "                                                                                \
	"FROM script_runs WHERE status = 'abandoned' GROUP BY version_id, node UNION ALL SELECT "  \
	"r.version_id, s.entered, -1, count(DISTINCT s.run_id), count(DISTINCT CASE WHEN "         \
	"r.result = 'max' THEN s.run_id END), count(DISTINCT CASE WHEN r.result = 'min' THEN "     \
	"s.run_id END), 0 FROM script_run_steps s JOIN script_runs r ON r.id = s.run_id WHERE "    \
	"s.entered IS NOT NULL GROUP BY r.version_id, s.entered UNION ALL SELECT r.version_id, "   \
	"s.entered, s.variant, count(DISTINCT s.run_id), count(DISTINCT CASE WHEN r.result = "     \
	"'max' THEN s.run_id END), count(DISTINCT CASE WHEN r.result = 'min' THEN s.run_id END), " \
	"0 FROM script_run_steps s JOIN script_runs r ON r.id = s.run_id WHERE s.entered IS NOT "  \
	"NULL AND s.variant IS NOT NULL GROUP BY r.version_id, s.entered, s.variant"

int store_script_counts_rebuild(struct db *db, struct nc_err *err)
{
	return db_exec(db, "DELETE FROM script_counts", err) < 0 ||
		       db_exec(
			   db,
			   "INSERT INTO script_counts (version_id, entered, variant, runs, "
			   "max_runs, min_runs, abandoned) SELECT version_id, entered, variant, "
			   "sum(runs), sum(max_runs), sum(min_runs), sum(abandoned) FROM "
			   "(" SCRIPT_RECOUNT ") c GROUP BY version_id, entered, variant",
			   err) < 0
		   ? -1
		   : 0;
}

int store_script_counts_verify(struct db *db, bool fix, int64_t *diffs, struct nc_err *err)
{
	*diffs = 0;
	/* both sides summed by key: a key missing on one side is 0 there */
	if (db_get_int(
		db, err, diffs,
		"SELECT count(*) FROM (SELECT sum(a1) AS a1, sum(a2) AS a2, sum(a3) AS a3, "
		"sum(a4) AS a4, sum(b1) AS b1, sum(b2) AS b2, sum(b3) AS b3, sum(b4) AS b4 "
		"FROM (SELECT version_id, entered, variant, runs AS a1, max_runs AS a2, "
		"min_runs AS a3, abandoned AS a4, 0 AS b1, 0 AS b2, 0 AS b3, 0 AS b4 FROM "
		"(" SCRIPT_RECOUNT ") c UNION ALL SELECT version_id, entered, variant, 0, 0, "
		"0, 0, runs, max_runs, min_runs, abandoned FROM script_counts) u GROUP BY "
		"version_id, entered, variant) d WHERE a1 <> b1 OR a2 <> b2 OR a3 <> b3 OR a4 "
		"<> b4",
		"") < 0)
		return -1;
	return fix && *diffs ? store_script_counts_rebuild(db, err) : 0;
}
