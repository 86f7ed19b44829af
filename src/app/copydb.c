/* copydb.c - "copy-db": move a team's whole database from one target to another (SQLite to
 * PostgreSQL or back) in one transaction on the target, keeping ids, then prove the copy by
 * comparing each table's row count and checksum on both sides. */
#include "app/app.h"
#include "store/migrate.h"
#include "util/buf.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define COPYDB_SCHEMA 23 /* the migration the table below describes (0021, 0022: no table) */

/* Every table of the schema (src/store/migrations) in an order where a row's references are
 * copied before it; schema_migrations is the target's own (migrate_apply fills it). types has one
 * letter per column: 'i' integer, 't' text. The SQL is built only from this table. The report
 * rollups of 0006, 0008 and 0011 (report_daily, report_cycles, report_locks, report_params,
 * report_monthly, report_cycles_monthly, report_daily_team, report_monthly_team) are not copied:
 * they are counted from the copied rows, and the target's report_params says they are not built
 * yet, so its first report builds them in its own zone (docs/reports.md). Nor is client_pool
 * (0012): copy_all counts it from the copied clients (no trigger counts an inserted client since
 * 0013). Nor are a planned step's copies of its client's name and first phone (next_steps
 * client_name, client_phone, 0016): the target's triggers derive them from the copied clients
 * and phones as each step is inserted (the phones are copied before the steps), so a copy left
 * stale on the source by a hand-made change of phones arrives right; nor its line (next_steps
 * line, 0023), which the target's triggers write from the copied step and its copies. Nor is
 * script_counts (0018):
 * copy_all counts it from the copied runs and steps. Nor is rep_call_hours (0020): copy_all counts
 * it from the copied calls (the store counts an inserted call, no trigger does). */
static const struct copy_table {
	const char *name;
	const char *cols;
	const char *types;
	bool has_id; /* an identity "id" column whose sequence must follow on PostgreSQL */
} tables[COPYDB_NTABLES] = {
    {"users",
     "id, login, name, role, timezone, locale, extension, password_hash, active, "
     "created_at",
     "itttttttii", true},
    {"settings", "key, value, updated_at", "tti", false},
    {"segments", "id, name, cadence_min_days, cadence_max_days", "itii", true},
    {"sources", "id, name", "it", true},
    {"ad_spend", "source_id, month, amount", "iti", false},
    {"clients",
     "id, name, company, category, refusal_reason, never_reason, never_note, owner_id, "
     "segment_id, source_id, search, last_contact_at, category_at, created_at, "
     "updated_at, next_step_id, next_kind, next_due, plan_alert_at",
     "ittttttiiitiiiiitii", true},
    {"phones", "id, client_id, e164, raw", "iitt", true},
    {"calls",
     "id, client_id, rep_id, kind, direction, started_at, answered_at, ended_at, ring_s, "
     "talk_s, missed, purpose, goal_max, goal_min, result, outcome, refusal_reason, phone, "
     "pbx_id, recording_url, logged, created_at, script_run_id",
     "iiittiiiiiitttttttttiii", true},
    {"next_steps",
     "id, client_id, call_id, rep_id, kind, due_at, status, auto, note, "
     "cancel_reason, created_at, closed_at",
     "iiiititittii", true},
    {"deals", "id, client_id, call_id, rep_id, amount, stage, created_at, updated_at, closed_at",
     "iiiiitiii", true},
    {"audit_log", "id, at, actor, action, entity, entity_id, detail", "iitttit", true},
    {"sessions", "id_hash, user_id, csrf, created_at, seen_at, expires_at, addr, user_agent",
     "titiiitt", false},
    {"api_tokens", "id, user_id, name, token_hash, created_at, last_used_at, revoked_at", "iittiii",
     true},
    {"login_attempts", "id, at, login, addr, ok", "iitti", true},
    {"client_terms", "term, client_id", "ti", false},
    /* calls.script_run_id has no foreign key: runs may follow the calls they were taken on */
    {"scripts", "id, name, outbound, archived, created_at", "itiii", true},
    {"script_versions", "id, script_id, version, source, author_id, created_at", "iiitii", true},
    {"script_runs",
     "id, version_id, client_id, call_id, rep_id, status, result, steps, node, started_at, "
     "updated_at, finished_at",
     "iiiiittitiii", true},
    {"script_run_steps", "run_id, seq, action, arg, rnd, entered, variant, at", "iittitii", false},
    {"client_fields", "client_id, field, value, type, run_id, updated_at", "itttii", false},
    {"qa_forms", "id, name, created_at", "iti", true},
    {"qa_form_versions", "id, form_id, version, author_id, created_at", "iiiii", true},
    {"qa_form_items", "id, version_id, pos, text, weight, auto", "iiitit", true},
    {"qa_reviews",
     "id, call_id, form_id, version_id, rep_id, reviewer_id, call_at, yes_weight, total_weight, "
     "note, created_at",
     "iiiiiiiiiti", true},
    {"qa_review_answers", "review_id, item_id, yes, from_data", "iiii", false},
    {"qa_campaigns", "id, name, scenario, scenario_text, author_id, created_at", "itttii", true},
    {"qa_campaign_calls",
     "id, campaign_id, n, rep_id, planned_at, filled_at, reviewer_id, leak, note", "iiiiiiiit",
     true},
    {"qa_campaign_answers", "call_id, move, yes", "iti", false},
};

/* The statements of one table, built from its record. */
struct table_sql {
	struct buf select, insert, setval;
};

static void sql_build(const struct copy_table *t, struct table_sql *s)
{
	size_t n = strlen(t->types);
	size_t ncols = 1;
	for (const char *c = t->cols; *c; c++)
		ncols += *c == ',';
	assert(ncols == n);
	buf_init(&s->select, 0);
	buf_init(&s->insert, 0);
	buf_init(&s->setval, 0);
	buf_printf(&s->select, "SELECT %s FROM %s", t->cols, t->name);
	buf_printf(&s->insert, "INSERT INTO %s (%s) VALUES (", t->name, t->cols);
	for (size_t i = 0; i < n; i++)
		buf_printf(&s->insert, "%s$%zu", i ? ", " : "", i + 1);
	buf_addc(&s->insert, ')');
	buf_printf(&s->setval,
		   "SELECT setval(pg_get_serial_sequence('%s', 'id'), coalesce(max(id), 0) + 1, "
		   "false) FROM %s",
		   t->name, t->name);
}

static void sql_release(struct table_sql *s)
{
	buf_release(&s->select);
	buf_release(&s->insert);
	buf_release(&s->setval);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 0x100000001b3ULL;
	return h;
}

/* row_hash hashes the text of every column of st's current row, NULL distinct from "". */
static uint64_t row_hash(struct db_stmt *st, const char *types)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char num[32];
	for (int i = 0; types[i]; i++) {
		if (db_col_null(st, i)) {
			h = fnv(h, "\0N", 2);
			continue;
		}
		const char *s = num;
		if (types[i] == 'i')
			snprintf(num, sizeof num, "%" PRId64, db_col_int(st, i));
		else
			s = db_col_text(st, i);
		h = fnv(h, "\1", 1);
		h = fnv(h, s, strlen(s));
		h = fnv(h, "\0", 1);
	}
	return h;
}

/* table_sum counts t's rows in db and sums their hashes. The sum does not depend on row order,
 * so text keys need no collation that both databases order alike. */
static int table_sum(struct db *db, const struct copy_table *t, const char *sql, int64_t *rows,
		     uint64_t *sum, struct nc_err *err)
{
	struct db_stmt *st = db_prepare(db, sql, err);
	if (!st)
		return -1;
	int rc;
	*rows = 0;
	*sum = 0;
	while ((rc = db_step(st, err)) == 1) {
		(*rows)++;
		*sum += row_hash(st, t->types);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* copy_rows inserts every row of t from src into dst with the same values (ids included). */
static int copy_rows(struct db *src, struct db *dst, const struct copy_table *t,
		     const struct table_sql *s, struct nc_err *err)
{
	struct db_stmt *in = db_prepare(src, s->select.data, err);
	if (!in)
		return -1;
	int rc;
	while ((rc = db_step(in, err)) == 1) {
		/* the cache hands back the same prepared INSERT for every row */
		struct db_stmt *out = db_prepare(dst, s->insert.data, err);
		if (!out) {
			rc = -1;
			break;
		}
		for (int i = 0; t->types[i]; i++) {
			if (db_col_null(in, i))
				db_bind_null(out, i + 1);
			else if (t->types[i] == 'i')
				db_bind_int(out, i + 1, db_col_int(in, i));
			else
				db_bind_text(out, i + 1, db_col_text(in, i));
		}
		rc = db_step(out, err);
		db_done(out);
		if (rc < 0)
			break;
	}
	db_done(in);
	if (rc < 0) {
		char why[sizeof err->msg];
		snprintf(why, sizeof why, "%s", err->msg);
		return nc_error(err, err->code, "copying table %s: %s", t->name, why);
	}
	return 0;
}

/* check_empty refuses a target that already holds a team. */
static int check_empty(struct db *dst, struct nc_err *err)
{
	int64_t users = 0, clients = 0;
	if (db_get_int(dst, err, &users, "SELECT count(*) FROM users", "") < 0 ||
	    db_get_int(dst, err, &clients, "SELECT count(*) FROM clients", "") < 0)
		return -1;
	if (users || clients)
		return nc_error(err, NC_ECONFLICT,
				"target \"%.120s\" is not empty (%" PRId64 " users, %" PRId64
				" clients): copy-db only fills a new database",
				dst->target, users, clients);
	return 0;
}

static int copy_all(struct db *src, struct db *dst, struct table_sql *sql,
		    struct copydb_report *rep, struct nc_err *err)
{
	bool pg = strcmp(db_driver_name(dst), "postgres") == 0;
	/* the rows the migrations seed (the default QA form) give way to the team's, children
	 * first */
	static const char *const seeded[] = {
	    "DELETE FROM qa_form_items", "DELETE FROM qa_form_versions", "DELETE FROM qa_forms"};
	for (size_t i = 0; i < sizeof(seeded) / sizeof(seeded[0]); i++)
		if (db_exec(dst, seeded[i], err) < 0)
			return -1;
	for (size_t i = 0; i < COPYDB_NTABLES; i++) {
		if (copy_rows(src, dst, &tables[i], &sql[i], err) < 0)
			return -1;
		if (pg && tables[i].has_id) {
			int64_t next = 0;
			if (db_get_int(dst, err, &next, sql[i].setval.data, "") < 0)
				return -1;
		}
	}
	if (store_client_pool_rebuild(dst, err) < 0 || store_script_counts_rebuild(dst, err) < 0 ||
	    store_call_hours_rebuild(dst, err) < 0)
		return -1;
	rep->ok = true;
	for (size_t i = 0; i < COPYDB_NTABLES; i++) {
		struct copydb_row *r = &rep->t[i];
		r->table = tables[i].name;
		if (table_sum(src, &tables[i], sql[i].select.data, &r->src_rows, &r->src_sum, err) <
			0 ||
		    table_sum(dst, &tables[i], sql[i].select.data, &r->dst_rows, &r->dst_sum, err) <
			0)
			return -1;
		if (r->src_rows != r->dst_rows || r->src_sum != r->dst_sum)
			rep->ok = false;
	}
	return 0;
}

int app_copydb(struct db *src, struct db *dst, struct copydb_report *rep, struct nc_err *err)
{
	struct table_sql sql[COPYDB_NTABLES];
	int applied = 0, rc = -1;
	memset(rep, 0, sizeof *rep);
	/* a later migration may add a table or column the table above does not list yet */
	if (migrate_latest() != COPYDB_SCHEMA)
		return nc_error(
		    err, NC_EVERSION,
		    "copy-db knows schema %d, this nextcall has %d: update src/app/copydb.c",
		    COPYDB_SCHEMA, migrate_latest());
	if (migrate_check(src, err) < 0 || migrate_apply(dst, &applied, err) < 0 ||
	    check_empty(dst, err) < 0)
		return -1;
	for (size_t i = 0; i < COPYDB_NTABLES; i++)
		sql_build(&tables[i], &sql[i]);
	if (db_begin_read(src, err) < 0)
		goto out;
	if (db_begin(dst, err) < 0)
		goto out;
	if (copy_all(src, dst, sql, rep, err) < 0)
		goto out;
	/* a copy that does not match is not kept: the target stays empty */
	if (!rep->ok) {
		rc = 0;
		goto out;
	}
	if (db_commit(dst, err) < 0)
		goto out;
	rc = 0;
out:
	db_rollback(dst);
	db_end_read(src);
	for (size_t i = 0; i < COPYDB_NTABLES; i++)
		sql_release(&sql[i]);
	return rc;
}
