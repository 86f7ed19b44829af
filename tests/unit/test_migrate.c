/* test_migrate.c - unit tests of store/migrate.c's driver sections: the text of a migration
 * that only one driver runs ("-- @sqlite" / "-- @postgres" ... "-- @end"), the markers it
 * refuses, and every embedded migration splitting cleanly for both drivers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/db.h"
#include "store/migrate.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/embed.h"

/* split runs migrate_sections on sql for driver into a fresh buffer: its return code in *rc */
static char *split(const char *sql, const char *driver, int *rc, struct nc_err *err)
{
	struct buf b;
	buf_init(&b, 0);
	*rc = migrate_sections(sql, driver, &b, err);
	return buf_detach(&b, NULL);
}

static const char sample[] = "CREATE TABLE t (a INTEGER);\n"
			     "-- @sqlite\n"
			     "CREATE TRIGGER s AFTER INSERT ON t BEGIN SELECT 1; END;\n"
			     "-- @postgres\n"
			     "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\n"
			     "BEGIN RETURN NULL; END $$;\n"
			     "-- @end\n"
			     "CREATE INDEX t_a ON t (a);\n";

static void test_migrate__sections_per_driver(void **state)
{
	(void)state;
	struct nc_err err = {0};
	int rc;
	char *s = split(sample, "sqlite", &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "CREATE TABLE t (a INTEGER);\n"
			       "CREATE TRIGGER s AFTER INSERT ON t BEGIN SELECT 1; END;\n"
			       "CREATE INDEX t_a ON t (a);\n");
	free(s);
	s = split(sample, "postgres", &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "CREATE TABLE t (a INTEGER);\n"
			       "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\n"
			       "BEGIN RETURN NULL; END $$;\n"
			       "CREATE INDEX t_a ON t (a);\n");
	free(s);
}

static void test_migrate__no_sections_is_unchanged(void **state)
{
	(void)state;
	struct nc_err err = {0};
	int rc;
	/* a plain comment, a "--@" without the space, no final newline: all text for both */
	const char *sql = "-- a comment about @sqlite\n--@sqlite\nSELECT 1;\n  -- @end\nSELECT 2;";
	char *s = split(sql, "postgres", &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(s, sql);
	free(s);
	s = split("", "sqlite", &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "");
	free(s);
}

static void test_migrate__markers_with_crlf_and_blanks(void **state)
{
	(void)state;
	struct nc_err err = {0};
	int rc;
	char *s = split("A;\r\n-- @postgres \r\nB;\r\n-- @end\t\r\nC;\r\n", "sqlite", &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "A;\r\nC;\r\n");
	free(s);
	/* a section may end at the next one: sqlite's text, then postgres's */
	s = split("-- @sqlite\nA;\n-- @postgres\nB;\n-- @end\n", "postgres", &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "B;\n");
	free(s);
}

static void test_migrate__bad_markers_refused(void **state)
{
	(void)state;
	static const struct {
		const char *sql, *msg;
	} bad[] = {
	    {"A;\n-- @pg\nB;\n-- @end\n", "line 2: unknown section \"-- @pg\""},
	    {"A;\n-- @SQLite\nB;\n-- @end\n", "line 2: unknown section"},
	    {"A;\n-- @end\n", "line 2: \"-- @end\" outside a section"},
	    {"A;\n-- @sqlite\nB;\n", "the sqlite section has no \"-- @end\""},
	    {"-- @postgres\nB;", "the postgres section has no \"-- @end\""},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nc_err err = {0};
		int rc;
		char *s = split(bad[i].sql, "sqlite", &rc, &err);
		free(s);
		assert_int_equal(rc, -1);
		assert_int_equal(err.code, NC_EINVAL);
		assert_non_null(strstr(err.msg, bad[i].msg));
	}
}

static void test_migrate__embedded_split_for_both(void **state)
{
	(void)state;
	int found = 0;
	for (const struct embedded_file *f = embedded_migrations; f->name; f++) {
		struct nc_err err = {0};
		int rc;
		char *sq = split(f->data, "sqlite", &rc, &err);
		assert_int_equal(rc, 0);
		char *pg = split(f->data, "postgres", &rc, &err);
		assert_int_equal(rc, 0);
		if (strncmp(f->name, "0012_", 5) == 0) {
			found++;
			/* the table and its fill for both, each driver's triggers for itself */
			assert_non_null(strstr(sq, "CREATE TABLE client_pool"));
			assert_non_null(strstr(pg, "CREATE TABLE client_pool"));
			assert_non_null(strstr(sq,
					       "INSERT INTO client_pool (owner_id, category, n)\n"
					       "\tSELECT"));
			assert_non_null(strstr(pg,
					       "INSERT INTO client_pool (owner_id, category, n)\n"
					       "\tSELECT"));
			assert_non_null(strstr(sq, "CREATE TRIGGER client_pool_update"));
			assert_null(strstr(sq, "plpgsql"));
			assert_null(strstr(sq, "-- @"));
			assert_non_null(strstr(pg, "LANGUAGE plpgsql"));
			assert_non_null(strstr(pg, "EXECUTE FUNCTION client_pool_trigger()"));
			assert_null(strstr(pg, " BEGIN\n\tINSERT INTO client_pool"));
			assert_null(strstr(pg, "-- @"));
		} else if (strncmp(f->name, "0013_", 5) == 0) {
			found++;
			/* the insert trigger dropped in each driver's words, nothing else */
			assert_non_null(strstr(sq, "\nDROP TRIGGER client_pool_insert;\n"));
			assert_null(strstr(sq, " ON clients"));
			assert_non_null(
			    strstr(pg, "\nDROP TRIGGER client_pool_insert ON clients;\n"));
			assert_null(strstr(sq, "-- @"));
			assert_null(strstr(pg, "-- @"));
		} else if (strncmp(f->name, "0014_", 5) == 0) {
			found++;
			/* SQLite's texts to rewrite; nothing for PostgreSQL but comments */
			assert_non_null(strstr(sq, "CREATE TEMP TABLE schema_rewrite"));
			assert_non_null(strstr(sq, "('calls', 'outcome IN (''next_step''"));
			for (const char *l = pg; *l; l = strchr(l, '\n') + 1)
				assert_true(strncmp(l, "-- ", 3) == 0);
			assert_null(strstr(sq, "-- @"));
			assert_null(strstr(pg, "-- @"));
		} else if (strncmp(f->name, "0015_", 5) == 0) {
			found++;
			/* the phones index for both; the planned steps' index and the fields'
			 * rebuild for SQLite only */
			const char *phones = "CREATE INDEX IF NOT EXISTS phones_client_e164 ON "
					     "phones (client_id, id, e164);\nDROP INDEX IF EXISTS "
					     "phones_client;\n";
			assert_non_null(strstr(sq, phones));
			assert_non_null(strstr(pg, phones));
			assert_non_null(
			    strstr(sq, "CREATE INDEX IF NOT EXISTS next_steps_planned"));
			assert_non_null(strstr(sq, ") WITHOUT ROWID;\n"));
			assert_non_null(
			    strstr(sq, "ALTER TABLE client_fields_new RENAME TO client_fields;"));
			assert_null(strstr(pg, "next_steps_planned"));
			assert_null(strstr(pg, "client_fields"));
			assert_null(strstr(sq, "-- @"));
			assert_null(strstr(pg, "-- @"));
		} else if (strncmp(f->name, "0016_", 5) == 0) {
			found++;
			/* the two columns and their fill for both; the agenda's index and the
			 * triggers in SQLite's form for SQLite, the plpgsql functions for
			 * PostgreSQL */
			const char *both[] = {
			    "ALTER TABLE next_steps ADD COLUMN client_name TEXT;\n",
			    "ALTER TABLE next_steps ADD COLUMN client_phone TEXT;\n",
			    "UPDATE next_steps SET\n\tclient_name = (SELECT c.name FROM clients c",
			    "\tWHERE status = 'planned';\n",
			};
			for (size_t i = 0; i < sizeof(both) / sizeof(both[0]); i++) {
				assert_non_null(strstr(sq, both[i]));
				assert_non_null(strstr(pg, both[i]));
			}
			assert_non_null(strstr(sq, "DROP INDEX IF EXISTS next_steps_planned;\n"));
			assert_non_null(
			    strstr(sq, "CREATE INDEX next_steps_planned ON next_steps"));
			assert_non_null(strstr(sq, "client_name, client_phone, status)\n"));
			/* the UPDATE fills before the index is built again */
			assert_true(strstr(sq, "UPDATE next_steps SET\n") <
				    strstr(sq, "CREATE INDEX next_steps_planned"));
			assert_non_null(
			    strstr(sq, "CREATE TRIGGER next_steps_copies_insert AFTER INSERT ON "
				       "next_steps\n"));
			assert_non_null(strstr(
			    sq, "CREATE TRIGGER next_steps_copies_update AFTER UPDATE OF "
				"client_id, status, client_name,\n\tclient_phone ON next_steps"));
			assert_non_null(strstr(
			    sq,
			    "CREATE TRIGGER clients_name_steps AFTER UPDATE OF name ON clients\n"
			    "\tWHEN old.name IS NOT new.name BEGIN\n"));
			assert_non_null(strstr(sq, " BEGIN\n\tUPDATE next_steps SET\n"));
			assert_null(strstr(sq, "plpgsql"));
			assert_null(strstr(sq, "EXECUTE FUNCTION"));
			assert_null(strstr(pg, "next_steps_planned"));
			assert_null(strstr(pg, " BEGIN\n\tUPDATE next_steps SET\n"));
			assert_null(strstr(pg, "next_steps_copies_insert"));
			assert_non_null(
			    strstr(pg, "CREATE FUNCTION next_steps_copies() RETURNS trigger "
				       "LANGUAGE plpgsql AS $$\n"));
			assert_non_null(strstr(pg, "CREATE FUNCTION clients_name_steps() RETURNS "
						   "trigger LANGUAGE plpgsql AS $$\n"));
			assert_non_null(strstr(pg,
					       "CREATE TRIGGER next_steps_copies BEFORE INSERT OR "
					       "UPDATE OF client_id, status, client_name,\n"));
			assert_non_null(strstr(pg, "EXECUTE FUNCTION next_steps_copies();\n"));
			assert_non_null(strstr(pg, "EXECUTE FUNCTION clients_name_steps();\n"));
			assert_null(strstr(sq, "-- @"));
			assert_null(strstr(pg, "-- @"));
		} else if (strncmp(f->name, "0020_", 5) == 0) {
			found++;
			/* the table, its emptying and its fill for both; each driver's delete and
			 * move triggers for itself, made anew (the migration may run again) */
			const char *both[] = {
			    "CREATE TABLE IF NOT EXISTS rep_call_hours (\n",
			    "DELETE FROM rep_call_hours;\nINSERT INTO rep_call_hours (rep_id, "
			    "hour, "
			    "n)\n\tSELECT rep_id,",
			};
			for (size_t i = 0; i < sizeof(both) / sizeof(both[0]); i++) {
				assert_non_null(strstr(sq, both[i]));
				assert_non_null(strstr(pg, both[i]));
			}
			assert_non_null(
			    strstr(sq, "DROP TRIGGER IF EXISTS rep_call_hours_update;\n"));
			assert_non_null(strstr(
			    sq, "CREATE TRIGGER rep_call_hours_delete AFTER DELETE ON calls\n"));
			assert_non_null(strstr(sq,
					       "CREATE TRIGGER rep_call_hours_update AFTER UPDATE "
					       "OF rep_id, started_at ON calls\n"));
			assert_null(strstr(sq, "plpgsql"));
			assert_null(strstr(sq, "AFTER INSERT ON calls"));
			assert_non_null(
			    strstr(pg, "DROP TRIGGER IF EXISTS rep_call_hours_update ON calls;\n"));
			assert_non_null(
			    strstr(pg, "CREATE OR REPLACE FUNCTION rep_call_hours_trigger() "
				       "RETURNS trigger LANGUAGE plpgsql AS $$\n"));
			assert_non_null(strstr(pg, "EXECUTE FUNCTION rep_call_hours_trigger();\n"));
			assert_null(strstr(pg, " BEGIN\n\tINSERT INTO rep_call_hours"));
			assert_null(strstr(pg, "AFTER INSERT ON calls"));
			assert_null(strstr(sq, "-- @"));
			assert_null(strstr(pg, "-- @"));
		} else if (strncmp(f->name, "0022_", 5) == 0) {
			found++;
			/* the card's covering index in place of calls_client, on SQLite only */
			assert_non_null(strstr(sq, "CREATE INDEX IF NOT EXISTS calls_card ON calls "
						   "(client_id, started_at, id, rep_id,"));
			assert_non_null(strstr(sq, "\nDROP INDEX IF EXISTS calls_client;\n"));
			assert_true(strstr(sq, "CREATE INDEX") < strstr(sq, "DROP INDEX"));
			for (const char *l = pg; *l; l = strchr(l, '\n') + 1)
				assert_true(strncmp(l, "-- ", 3) == 0);
			assert_null(strstr(sq, "-- @"));
			assert_null(strstr(pg, "-- @"));
		} else if (strncmp(f->name, "0023_", 5) == 0) {
			found++;
			/* the column for both; SQLite's index and triggers, PostgreSQL's function
			 */
			assert_non_null(strstr(
			    sq, "ALTER TABLE next_steps ADD COLUMN IF NOT EXISTS line TEXT;\n"));
			assert_non_null(strstr(
			    pg, "ALTER TABLE next_steps ADD COLUMN IF NOT EXISTS line TEXT;\n"));
			assert_non_null(strstr(sq, "CREATE INDEX next_steps_planned ON next_steps "
						   "(rep_id, due_at, id, line, status)"));
			assert_true(strstr(sq, "DROP INDEX IF EXISTS next_steps_planned;") <
				    strstr(sq, "UPDATE next_steps SET line"));
			assert_non_null(strstr(sq, "CREATE TRIGGER next_steps_line_insert AFTER "
						   "INSERT ON next_steps\n"));
			assert_non_null(strstr(sq, "length(CAST(client_phone AS BLOB))"));
			assert_null(strstr(sq, "octet_length"));
			assert_null(strstr(sq, "plpgsql"));
			assert_non_null(strstr(pg, "CREATE OR REPLACE FUNCTION next_steps_line() "
						   "RETURNS trigger LANGUAGE plpgsql AS $$\n"));
			assert_non_null(strstr(pg, "octet_length(NEW.client_phone)"));
			assert_null(strstr(pg, "CAST(note AS BLOB)"));
			assert_null(strstr(pg, "next_steps_planned"));
			assert_null(strstr(sq, "-- @"));
			assert_null(strstr(pg, "-- @"));
		} else {
			/* the migrations before sections existed are one text for both */
			assert_string_equal(sq, f->data);
			assert_string_equal(pg, f->data);
		}
		free(sq);
		free(pg);
	}
	assert_int_equal(found, 8);
}

/* ---- 0014: the CHECK constraints' IN lists rewritten on SQLite without a table rebuild ---- */

static char db_path[64];

static void unlink_db(void)
{
	char side[80];
	unlink(db_path);
	snprintf(side, sizeof side, "%s-wal", db_path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db_path);
	unlink(side);
}

/* fresh opens a new SQLite database file (a per-process name under /tmp) */
static struct db *fresh(const char *tag)
{
	snprintf(db_path, sizeof db_path, "/tmp/test_migrate_%d_%s.db", (int)getpid(), tag);
	unlink_db();
	struct nc_err err = {0};
	struct db *db = db_open(db_path, &err);
	assert_non_null(db);
	return db;
}

static void drop(struct db *db)
{
	db_close(db);
	unlink_db();
}

static int version(struct db *db)
{
	struct nc_err err = {0};
	int v = -1;
	assert_int_equal(migrate_current(db, &v, &err), 0);
	return v;
}

/* longest_in_list gives the most constants of an "IN (...)" list in the CREATE TABLE texts */
static int longest_in_list(struct db *db)
{
	struct nc_err err = {0};
	struct db_stmt *st = db_prepare(
	    db, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND sql IS NOT NULL", &err);
	assert_non_null(st);
	int most = 0;
	while (db_step(st, &err) == 1) {
		for (const char *p = db_col_text(st, 0); (p = strstr(p, " IN (")); p += 5) {
			int n = 1;
			for (const char *q = p + 5; *q && *q != ')'; q++)
				n += *q == ',';
			if (n > most)
				most = n;
		}
	}
	db_done(st);
	return most;
}

static char *table_sql(struct db *db, const char *name)
{
	struct nc_err err = {0};
	struct db_stmt *st = db_preparef(
	    db, &err, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = $1", "t",
	    name);
	assert_non_null(st);
	assert_int_equal(db_step(st, &err), 1);
	char *sql = strdup(db_col_text(st, 0));
	db_done(st);
	assert_non_null(sql);
	return sql;
}

static void integrity_ok(struct db *db)
{
	struct nc_err err = {0};
	struct db_stmt *st = db_prepare(db, "PRAGMA integrity_check", &err);
	assert_non_null(st);
	assert_int_equal(db_step(st, &err), 1);
	assert_string_equal(db_col_text(st, 0), "ok");
	assert_int_equal(db_step(st, &err), 0);
	db_done(st);
}

static int64_t count_of(struct db *db, const char *sql)
{
	struct nc_err err = {0};
	int64_t n = -1;
	assert_int_equal(db_get_int(db, &err, &n, sql, ""), 1);
	return n;
}

/* refused runs a write that a CHECK must refuse; the message names the constraint by the text
 * the connection parsed, which has want */
static void refused(struct db *db, const char *sql, const char *want)
{
	struct nc_err err = {0};
	assert_int_equal(db_exec(db, sql, &err), -1);
	assert_int_equal(err.code, NC_EINVAL);
	if (!strstr(err.msg, "CHECK constraint failed") || !strstr(err.msg, want))
		fail_msg("%s: \"%s\", wanted a CHECK constraint \"%s...\"", sql, err.msg, want);
}

static void accepted(struct db *db, const char *sql)
{
	struct nc_err err = {0};
	if (db_exec(db, sql, &err) < 0)
		fail_msg("%s: %s", sql, err.msg);
}

/* rules checks the rewritten constraints on db (old: as migration 0001 wrote them); the rows it
 * adds get id base (4 calls by the end of all, 2 of them kept) */
static void rules(struct db *db, bool old, int base)
{
	char sql[512];
	snprintf(sql, sizeof sql,
		 "INSERT INTO users (id, login, name, role, locale, created_at) VALUES (%d, 'u%d', "
		 "'U', 'head', 'tr', 0)",
		 base, base);
	accepted(db, sql);
	refused(db,
		"INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'B', 'boss', 0)",
		old ? "role IN (" : "role = 'rep' OR role = 'head' OR role = 'admin'");
	refused(db,
		"INSERT INTO users (login, name, role, locale, created_at) VALUES ('de', 'D', "
		"'rep', 'de', 0)",
		old ? "locale IN (" : "locale = 'en' OR");
	snprintf(sql, sizeof sql,
		 "INSERT INTO clients (id, name, category, owner_id, category_at, created_at, "
		 "updated_at) VALUES (%d, 'c', 'future', %d, 0, 0, 0)",
		 base, base);
	accepted(db, sql);
	refused(db,
		"INSERT INTO clients (name, category, category_at, created_at, updated_at) VALUES "
		"('c', 'maybe', 0, 0, 0)",
		old ? "category IN (" : "category = 'now' OR");
	snprintf(sql, sizeof sql,
		 "INSERT INTO calls (id, client_id, rep_id, kind, started_at, result, outcome, "
		 "created_at) VALUES (%d, %d, %d, 'call', 0, 'min', 'sale', 0)",
		 base * 10, base, base);
	accepted(db, sql);
	snprintf(sql, sizeof sql,
		 "INSERT INTO calls (id, client_id, kind, started_at, result, outcome, "
		 "created_at) VALUES (%d, %d, 'meeting', 0, NULL, 'none', 0)",
		 base * 10 + 1, base);
	accepted(db, sql);
	snprintf(sql, sizeof sql,
		 "INSERT INTO calls (client_id, kind, started_at, outcome, created_at) VALUES (%d, "
		 "'call', 0, 'bogus', 0)",
		 base);
	refused(db, sql, old ? "outcome IN (" : "outcome = 'next_step' OR outcome = 'sale' OR");
	snprintf(sql, sizeof sql,
		 "INSERT INTO calls (client_id, kind, started_at, result, created_at) VALUES (%d, "
		 "'call', 0, 'most', 0)",
		 base);
	refused(db, sql,
		old ? "result IS NULL OR result IN (" : "result IS NULL OR result = 'max'");
	snprintf(sql, sizeof sql, "UPDATE calls SET outcome = 'never ' WHERE id = %d", base * 10);
	refused(db, sql, old ? "outcome IN (" : "outcome = 'next_step'");
	snprintf(sql, sizeof sql,
		 "INSERT INTO next_steps (client_id, call_id, kind, due_at, status, created_at) "
		 "VALUES (%d, %d, 'decision', 0, 'cancelled', 0)",
		 base, base * 10);
	accepted(db, sql);
	snprintf(sql, sizeof sql,
		 "INSERT INTO next_steps (client_id, kind, due_at, created_at) VALUES (%d, "
		 "'lunch', 0, 0)",
		 base);
	refused(db, sql, old ? "kind IN (" : "kind = 'meeting' OR");
	snprintf(sql, sizeof sql,
		 "INSERT INTO next_steps (client_id, kind, due_at, status, created_at) VALUES (%d, "
		 "'call', 0, 'x', 0)",
		 base);
	refused(db, sql, old ? "status IN (" : "status = 'planned' OR");
	snprintf(sql, sizeof sql,
		 "INSERT INTO deals (client_id, amount, stage, created_at, updated_at) VALUES (%d, "
		 "5, 'won', 0, 0)",
		 base);
	accepted(db, sql);
	snprintf(sql, sizeof sql,
		 "INSERT INTO deals (client_id, amount, stage, created_at, updated_at) VALUES (%d, "
		 "5, 'closed', 0, 0)",
		 base);
	refused(db, sql, old ? "stage IN (" : "stage = 'offer' OR");
	snprintf(sql, sizeof sql,
		 "INSERT INTO client_fields (client_id, field, value, type, updated_at) VALUES "
		 "(%d, 'f', 'v', 'date', 0)",
		 base);
	refused(db, sql, old ? "type IN (" : "type = 'text' OR");
	snprintf(sql, sizeof sql,
		 "INSERT INTO client_fields (client_id, field, value, type, updated_at) VALUES "
		 "(%d, 'f', 'v', 'choice', 0)",
		 base);
	accepted(db, sql);
	/* a two-constant list is left as it was */
	snprintf(sql, sizeof sql,
		 "INSERT INTO calls (client_id, kind, started_at, created_at) VALUES (%d, 'visit', "
		 "0, 0)",
		 base);
	refused(db, sql, "kind IN ('call', 'meeting')");
}

/* SQLite's ADD COLUMN IF NOT EXISTS: the clause dropped while the column is missing, the
 * statement once it is there, the rest kept as it is; a statement without a column name or a
 * ';' refused, named */
static void test_migrate__add_columns(void **state)
{
	(void)state;
	struct db *db = fresh("addcol");
	accepted(db, "CREATE TABLE t (a INTEGER)");
	static const char sql[] =
	    "-- ALTER TABLE adds\nALTER TABLE t ADD COLUMN IF NOT EXISTS b "
	    "TEXT;\nALTER TABLE t ADD COLUMN c TEXT;\nUPDATE t SET b = 'x';\n";
	struct nc_err err = {0};
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(migrate_add_columns(db, sql, &out, &err), 0);
	assert_string_equal(out.data, "-- ALTER TABLE adds\nALTER TABLE t ADD COLUMN b TEXT;\n"
				      "ALTER TABLE t ADD COLUMN c TEXT;\nUPDATE t SET b = 'x';\n");
	accepted(db, out.data);
	buf_release(&out);
	buf_init(&out, 0);
	assert_int_equal(migrate_add_columns(db,
					     "ALTER TABLE t ADD COLUMN IF NOT EXISTS b TEXT;\n"
					     "ALTER TABLE t ADD COLUMN IF NOT EXISTS d INTEGER;",
					     &out, &err),
			 0);
	assert_string_equal(out.data, "\nALTER TABLE t ADD COLUMN d INTEGER;");
	accepted(db, out.data);
	buf_release(&out);
	static const char *const bad[] = {"ALTER TABLE t ADD COLUMN IF NOT EXISTS e TEXT",
					  "ALTER TABLE t ADD COLUMN IF NOT EXISTS ;"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_init(&out, 0);
		memset(&err, 0, sizeof(err));
		assert_int_equal(migrate_add_columns(db, bad[i], &out, &err), -1);
		assert_int_equal(err.code, NC_EINVAL);
		assert_non_null(strstr(err.msg, "\"ALTER TABLE t ADD COLUMN IF NOT EXISTS"));
		assert_non_null(strstr(err.msg, "want ALTER TABLE name ADD COLUMN IF NOT EXISTS"));
		buf_release(&out);
	}
	drop(db);
}

static void test_migrate__check_lists_fresh(void **state)
{
	(void)state;
	struct nc_err err = {0};
	struct db *db = fresh("fresh");
	int applied = 0;
	assert_int_equal(migrate_apply(db, &applied, &err), 0);
	assert_int_equal(applied, migrate_latest());
	assert_int_equal(version(db), migrate_latest());
	assert_true(migrate_latest() >= 14);
	assert_int_equal(longest_in_list(db), 2);
	char *calls = table_sql(db, "calls");
	assert_non_null(strstr(calls, "CHECK (outcome = 'next_step' OR outcome = 'sale' OR "
				      "outcome = 'refused' OR outcome = 'never' OR outcome = "
				      "'missed' OR outcome = 'none')"));
	free(calls);
	char *qa = table_sql(db, "qa_form_items");
	assert_non_null(strstr(qa, "CHECK (auto IS NULL OR auto = 'needs_questions' OR auto = "
				   "'price_late' OR auto = 'next_step' OR auto = 'contacts')"));
	free(qa);
	rules(db, false, 1);
	integrity_ok(db);
	/* run again (its row and the later ones deleted by hand), 0014 finds its texts rewritten
	 * and changes nothing, 0015 finds its indexes and rebuilds the fields again; 0016 (its
	 * ALTER TABLE cannot run twice) and the later ones only get their rows back */
	calls = table_sql(db, "calls");
	assert_int_equal(db_exec(db,
				 "CREATE TEMP TABLE later AS SELECT * FROM schema_migrations WHERE "
				 "version >= 16; DELETE FROM schema_migrations WHERE version >= 14",
				 &err),
			 0);
	assert_int_equal(version(db), 13);
	assert_int_equal(migrate_apply_to(db, 15, &applied, &err), 0);
	assert_int_equal(applied, 2);
	assert_int_equal(version(db), 15);
	assert_int_equal(db_exec(db,
				 "INSERT INTO schema_migrations SELECT * FROM temp.later; DROP "
				 "TABLE temp.later",
				 &err),
			 0);
	assert_int_equal(version(db), migrate_latest());
	assert_int_equal(migrate_apply(db, &applied, &err), 0);
	assert_int_equal(applied, 0);
	char *again = table_sql(db, "calls");
	assert_string_equal(again, calls);
	free(again);
	free(calls);
	/* 0016's triggers and 0023's index (the line in place of the columns) outlived 0015's
	 * second run */
	assert_int_equal(count_of(db,
				  "SELECT count(*) FROM sqlite_schema WHERE (type = 'index' AND "
				  "name = 'next_steps_planned' AND instr(sql, 'id, line, status')) "
				  "OR (type = 'trigger' AND name IN ('next_steps_copies_insert', "
				  "'next_steps_copies_update', 'clients_name_steps', "
				  "'next_steps_line_insert', 'next_steps_line_update'))"),
			 6);
	rules(db, false, 2);
	integrity_ok(db);
	drop(db);
}

static void test_migrate__check_lists_from_13(void **state)
{
	(void)state;
	struct nc_err err = {0};
	struct db *db = fresh("from13");
	int applied = 0;
	assert_int_equal(migrate_apply_to(db, 13, &applied, &err), 0);
	assert_int_equal(applied, 13);
	assert_int_equal(version(db), 13);
	assert_int_equal(longest_in_list(db), 7); /* next_steps.kind */
	/* a second connection, open across the migration, has parsed the old texts */
	struct db *other = db_open(db_path, &err);
	assert_non_null(other);
	rules(db, true, 1);
	rules(other, true, 2);
	int64_t cookie = 0;
	assert_int_equal(db_get_int(db, &err, &cookie, "PRAGMA schema_version", ""), 1);

	assert_int_equal(migrate_apply(db, &applied, &err), 0);
	assert_int_equal(applied, migrate_latest() - 13);
	assert_int_equal(version(db), migrate_latest());
	int64_t after = 0;
	assert_int_equal(db_get_int(db, &err, &after, "PRAGMA schema_version", ""), 1);
	assert_true(after > cookie);
	int64_t on = -1;
	assert_int_equal(db_get_int(db, &err, &on, "PRAGMA writable_schema", ""), 1);
	assert_int_equal(on, 0);
	assert_int_equal(longest_in_list(db), 2);
	/* both connections now check the new texts; the rows stored before still pass */
	rules(db, false, 3);
	rules(other, false, 4);
	integrity_ok(db);
	integrity_ok(other);
	int64_t n = 0;
	assert_int_equal(db_get_int(db, &err, &n, "SELECT count(*) FROM calls", ""), 1);
	assert_int_equal(n, 8);
	db_close(other);
	drop(db);
}

static void test_migrate__check_lists_differ(void **state)
{
	(void)state;
	struct nc_err err = {0};
	struct db *db = fresh("differ");
	int applied = 0;
	assert_int_equal(migrate_apply_to(db, 13, &applied, &err), 0);
	/* deals' text (rewritten after those of users, clients, calls and next_steps) as another
	 * version could have written it */
	int64_t cookie = 0;
	assert_int_equal(db_get_int(db, &err, &cookie, "PRAGMA schema_version", ""), 1);
	char sql[512];
	snprintf(sql, sizeof sql,
		 "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql, "
		 "'''won'', ''lost''', '''won'',''lost''') WHERE type = 'table' AND name = "
		 "'deals'; PRAGMA schema_version = %lld; PRAGMA writable_schema = RESET",
		 (long long)cookie + 1);
	assert_int_equal(db_exec(db, sql, &err), 0);

	assert_int_equal(migrate_apply(db, &applied, &err), -1);
	assert_int_equal(applied, 0);
	if (!strstr(err.msg, "migration 0014_check_lists.sql failed") ||
	    !strstr(err.msg, "table deals") || !strstr(err.msg, "stage IN ("))
		fail_msg("unclear error: %s", err.msg);
	/* nothing half-rewritten: the version, the texts, the flag, the temporary list */
	assert_int_equal(version(db), 13);
	char *users = table_sql(db, "users");
	assert_non_null(strstr(users, "role IN ('rep', 'head', 'admin')"));
	free(users);
	char *deals = table_sql(db, "deals");
	assert_non_null(strstr(deals, "stage IN ('offer', 'pending', 'won','lost')"));
	free(deals);
	int64_t n = -1;
	assert_int_equal(db_get_int(db, &err, &n, "PRAGMA writable_schema", ""), 1);
	assert_int_equal(n, 0);
	assert_int_equal(db_get_int(db, &err, &n,
				    "SELECT count(*) FROM sqlite_temp_master WHERE name = "
				    "'schema_rewrite'",
				    ""),
			 1);
	assert_int_equal(n, 0);
	assert_int_equal(longest_in_list(db), 7);
	rules(db, true, 1);
	integrity_ok(db);
	drop(db);
}

/* ---- 0015: the covering phones index, the planned steps' index, client_fields WITHOUT ROWID */

/* plan gives the EXPLAIN QUERY PLAN details of sql, joined by " | " */
static char *plan(struct db *db, const char *sql)
{
	struct nc_err err = {0};
	char q[1024];
	snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
	struct db_stmt *st = db_prepare(db, q, &err);
	assert_non_null(st);
	struct buf b;
	buf_init(&b, 0);
	while (db_step(st, &err) == 1)
		buf_printf(&b, "%s | ", db_col_text(st, 3));
	db_done(st);
	return buf_detach(&b, NULL);
}

static char *text_of(struct db *db, const char *sql)
{
	struct nc_err err = {0};
	struct db_stmt *st = db_prepare(db, sql, &err);
	assert_non_null(st);
	assert_int_equal(db_step(st, &err), 1);
	char *s = strdup(db_col_text(st, 0) ? db_col_text(st, 0) : "(null)");
	db_done(st);
	assert_non_null(s);
	return s;
}

/* rep_clients adds the rep 7 ("r") and his clients 1..n, named c1..cn. */
static void rep_clients(struct db *db, int n)
{
	accepted(db, "INSERT INTO users (id, login, name, role, created_at) VALUES (7, 'r', 'R', "
		     "'rep', 0)");
	for (int c = 1; c <= n; c++) {
		char sql[256];
		snprintf(sql, sizeof sql,
			 "INSERT INTO clients (id, name, owner_id, category_at, created_at, "
			 "updated_at) VALUES (%d, 'c%d', 7, 0, 0, 0)",
			 c, c);
		accepted(db, sql);
	}
}

#define FIELDS_DUMP                                                                                \
	"SELECT group_concat(client_id || '/' || field || '/' || value || '/' || type || '/' || "  \
	"coalesce(run_id, '-') || '/' || updated_at, ';') FROM (SELECT * FROM client_fields "      \
	"ORDER BY client_id, field)"

static void test_migrate__reads_from_14(void **state)
{
	(void)state;
	struct nc_err err = {0};
	struct db *db = fresh("from14");
	int applied = 0;
	assert_int_equal(migrate_apply_to(db, 14, &applied, &err), 0);
	assert_int_equal(version(db), 14);
	rep_clients(db, 2);
	/* client 1's first phone (by id) was added last in rowid terms of another client's */
	accepted(db, "INSERT INTO phones (id, client_id, e164, raw) VALUES (5, 1, '+15550005', "
		     "'5'), (3, 1, '+15550003', '3'), (4, 2, '+15550004', '4')");
	accepted(db, "INSERT INTO next_steps (id, client_id, rep_id, kind, due_at, status, "
		     "created_at) VALUES (1, 1, 7, 'call', 200, 'planned', 0), (2, 2, 7, 'visit', "
		     "100, 'planned', 0), (3, 1, 7, 'call', 50, 'done', 0)");
	accepted(db,
		 "INSERT INTO client_fields (client_id, field, value, type, updated_at) VALUES "
		 "(2, 'b', 'x', 'text', 1), (1, 'z', '9', 'number', 2), (1, 'a', 'y', 'choice', "
		 "3)");
	char *before = text_of(db, FIELDS_DUMP);

	assert_int_equal(migrate_apply(db, &applied, &err), 0);
	assert_int_equal(applied, migrate_latest() - 14);
	assert_int_equal(version(db), migrate_latest());
	/* the fields carried over as they were, in a table keyed by (client_id, field) alone */
	char *after = text_of(db, FIELDS_DUMP);
	assert_string_equal(after, before);
	free(after);
	free(before);
	char *fields = table_sql(db, "client_fields");
	assert_non_null(strstr(fields, ") WITHOUT ROWID"));
	assert_non_null(strstr(fields, "CHECK (type = 'text' OR type = 'number'"));
	free(fields);
	assert_int_equal(count_of(db, "SELECT count(*) FROM sqlite_schema WHERE name IN "
				      "('phones_client', 'client_fields_new')"),
			 0);
	/* the look-ups of the card and the agenda read the indexes alone */
	char *p = plan(db, "SELECT e164 FROM phones WHERE client_id = 1 ORDER BY id");
	if (!strstr(p, "COVERING INDEX phones_client_e164"))
		fail_msg("phones by client: %s", p);
	free(p);
	/* a rep's planned steps (store_step_list: their lines since 0023) */
	p = plan(db, "SELECT s.line FROM next_steps s WHERE s.status = 'planned' AND s.rep_id = 7 "
		     "AND s.due_at >= 0 AND s.due_at < 1000 ORDER BY s.due_at, s.id LIMIT 200");
	if (!strstr(p, "COVERING INDEX next_steps_planned") || strstr(p, "TEMP B-TREE"))
		fail_msg("a rep's planned steps: %s", p);
	free(p);
	p = plan(db, "SELECT field, value FROM client_fields WHERE client_id = 1 ORDER BY field");
	if (!strstr(p, "PRIMARY KEY") || strstr(p, "TEMP B-TREE"))
		fail_msg("a client's fields: %s", p);
	free(p);
	char *first =
	    text_of(db, "SELECT group_concat(e, ',') FROM (SELECT (SELECT p.e164 FROM "
			"phones p WHERE p.client_id = s.client_id ORDER BY p.id LIMIT 1) "
			"AS e FROM next_steps s WHERE s.status = 'planned' AND s.rep_id = "
			"7 AND s.due_at < 1000 ORDER BY s.due_at, s.id)");
	assert_string_equal(first, "+15550004,+15550003");
	free(first);
	/* the writers of fields still meet the key */
	accepted(db, "INSERT INTO client_fields (client_id, field, value, type, updated_at) VALUES "
		     "(1, 'a', 'w', 'text', 4) ON CONFLICT (client_id, field) DO UPDATE SET value "
		     "= excluded.value, type = excluded.type, updated_at = excluded.updated_at");
	refused(db,
		"INSERT INTO client_fields (client_id, field, value, type, updated_at) VALUES (1, "
		"'b', 'v', 'date', 0)",
		"type = 'text' OR");
	assert_int_equal(count_of(db, "SELECT count(*) FROM client_fields WHERE client_id = 1 AND "
				      "field = 'a' AND value = 'w'"),
			 1);
	integrity_ok(db);
	drop(db);
}

/* ---- 0016: the planned steps' copies of their client's name and first phone ---- */

/* every step's copies, by id: "id/name/phone" with "-" for NULL */
#define COPIES_DUMP                                                                                \
	"SELECT group_concat(id || '/' || coalesce(client_name, '-') || '/' || "                   \
	"coalesce(client_phone, '-'), ';') FROM (SELECT * FROM next_steps ORDER BY id)"

static void copies_are(struct db *db, const char *want, const char *what)
{
	char *got = text_of(db, COPIES_DUMP);
	if (strcmp(got, want) != 0)
		fail_msg("%s: copies %s, wanted %s", what, got, want);
	free(got);
}

static int64_t copies_stale(struct db *db, bool fix)
{
	struct nc_err err = {0};
	int64_t diffs = -1;
	if (store_step_copies_verify(db, fix, &diffs, &err) < 0)
		fail_msg("store_step_copies_verify: %s", err.msg);
	return diffs;
}

static void test_migrate__copies_from_15(void **state)
{
	(void)state;
	struct nc_err err = {0};
	struct db *db = fresh("from15");
	int applied = 0;
	assert_int_equal(migrate_apply_to(db, 15, &applied, &err), 0);
	assert_int_equal(version(db), 15);
	rep_clients(db, 3);
	/* client 1's first phone by id was inserted after his other one; client 3 has none */
	accepted(db, "INSERT INTO phones (id, client_id, e164, raw) VALUES (5, 1, '+15550005', "
		     "'5'), (3, 1, '+15550003', '3'), (4, 2, '+15550004', '4')");
	accepted(db,
		 "INSERT INTO next_steps (id, client_id, rep_id, kind, due_at, status, "
		 "created_at, closed_at) VALUES (1, 1, 7, 'call', 200, 'planned', 0, NULL), "
		 "(2, 2, 7, 'visit', 100, 'planned', 0, NULL), (3, 1, 7, 'call', 50, 'done', 0, "
		 "60), (4, 3, 7, 'call', 300, 'planned', 0, NULL), (5, 2, 7, 'call', 40, "
		 "'cancelled', 0, 45)");

	assert_int_equal(migrate_apply(db, &applied, &err), 0);
	assert_int_equal(applied, migrate_latest() - 15);
	assert_int_equal(version(db), migrate_latest());
	/* the planned steps filled, the closed ones left NULL, no phone gives NULL */
	copies_are(db, "1/c1/+15550003;2/c2/+15550004;3/-/-;4/c3/-;5/-/-", "the fill");
	assert_int_equal(copies_stale(db, false), 0);
	/* the agenda's query (store_step_list for one rep: the steps' lines since 0023, which hold
	 * the copies) reads the index alone, neither clients nor phones */
	char *p = plan(db, "SELECT s.line FROM next_steps s WHERE s.status = 'planned' AND "
			   "s.rep_id = 7 AND s.due_at >= 0 AND s.due_at < 1000 ORDER BY s.due_at, "
			   "s.id LIMIT 200");
	if (!strstr(p, "COVERING INDEX next_steps_planned") || strstr(p, "TEMP B-TREE") ||
	    strstr(p, "phones") || strstr(p, " c ") || strstr(p, "clients"))
		fail_msg("a rep's planned steps: %s", p);
	free(p);
	/* the same rows as the join of before the copies */
	char *joined = text_of(
	    db,
	    "SELECT group_concat(id || '/' || name || '/' || coalesce(e, '-'), ';') FROM "
	    "(SELECT s.id, c.name, (SELECT p.e164 FROM phones p WHERE p.client_id = "
	    "s.client_id ORDER BY p.id LIMIT 1) AS e FROM next_steps s JOIN clients c ON c.id = "
	    "s.client_id WHERE s.status = 'planned' AND s.rep_id = 7 ORDER BY s.due_at, s.id)");
	char *copied = text_of(
	    db, "SELECT group_concat(id || '/' || client_name || '/' || coalesce(client_phone, "
		"'-'), ';') FROM (SELECT s.id, s.client_name, s.client_phone FROM next_steps s "
		"WHERE s.status = 'planned' AND s.rep_id = 7 ORDER BY s.due_at, s.id)");
	assert_string_equal(copied, joined);
	assert_string_equal(copied, "2/c2/+15550004;1/c1/+15550003;4/c3/-");
	free(copied);
	free(joined);

	/* SQLite's triggers: a renamed client's planned steps follow, not his closed ones */
	accepted(db, "UPDATE clients SET name = 'c1 renamed' WHERE id = 1");
	copies_are(db, "1/c1 renamed/+15550003;2/c2/+15550004;3/-/-;4/c3/-;5/-/-", "a rename");
	/* an edit that keeps the name changes nothing */
	accepted(db, "UPDATE clients SET name = name, updated_at = 9 WHERE id = 2");
	copies_are(db, "1/c1 renamed/+15550003;2/c2/+15550004;3/-/-;4/c3/-;5/-/-", "same name");
	/* a hand-made planned step gets them, wrong ones are set right, a closed one gets none */
	accepted(db, "INSERT INTO next_steps (id, client_id, rep_id, kind, due_at, status, "
		     "created_at) VALUES (6, 2, 7, 'call', 400, 'planned', 0)");
	accepted(db, "INSERT INTO next_steps (id, client_id, rep_id, kind, due_at, status, "
		     "created_at, client_name, client_phone) VALUES (7, 1, 7, 'call', 500, "
		     "'planned', 0, 'wrong', '+1999')");
	accepted(db, "INSERT INTO next_steps (id, client_id, rep_id, kind, due_at, status, "
		     "created_at, closed_at) VALUES (8, 1, 7, 'call', 20, 'done', 0, 30)");
	copies_are(db,
		   "1/c1 renamed/+15550003;2/c2/+15550004;3/-/-;4/c3/-;5/-/-;6/c2/+15550004;"
		   "7/c1 renamed/+15550003;8/-/-",
		   "hand-made inserts");
	/* a closed step made planned again gets them; one moved to another client gets his */
	accepted(db, "UPDATE next_steps SET status = 'planned', closed_at = NULL WHERE id = 3");
	accepted(db, "UPDATE next_steps SET client_id = 3 WHERE id = 6");
	copies_are(db,
		   "1/c1 renamed/+15550003;2/c2/+15550004;3/c1 renamed/+15550003;4/c3/-;5/-/-;"
		   "6/c3/-;7/c1 renamed/+15550003;8/-/-",
		   "a step planned again, a step moved");
	/* a copy written by hand is set back */
	accepted(db, "UPDATE next_steps SET client_name = 'x', client_phone = NULL WHERE id = 2");
	copies_are(db,
		   "1/c1 renamed/+15550003;2/c2/+15550004;3/c1 renamed/+15550003;4/c3/-;5/-/-;"
		   "6/c3/-;7/c1 renamed/+15550003;8/-/-",
		   "a copy written by hand");
	assert_int_equal(copies_stale(db, false), 0);

	/* phones have no trigger: a hand-made change leaves the copies stale, which verify counts
	 * (steps 1, 3 and 7 of client 1; 4 and 6 of client 3) and fix rewrites */
	accepted(db, "DELETE FROM phones WHERE id = 3");
	accepted(db, "INSERT INTO phones (id, client_id, e164, raw) VALUES (9, 3, '+15550009', "
		     "'9')");
	assert_int_equal(copies_stale(db, false), 5);
	assert_int_equal(copies_stale(db, false), 5); /* counting changes nothing */
	assert_int_equal(db_begin(db, &err), 0);
	assert_int_equal(copies_stale(db, true), 5);
	assert_int_equal(db_commit(db, &err), 0);
	assert_int_equal(copies_stale(db, false), 0);
	copies_are(db,
		   "1/c1 renamed/+15550005;2/c2/+15550004;3/c1 renamed/+15550005;4/c3/+15550009;"
		   "5/-/-;6/c3/+15550009;7/c1 renamed/+15550005;8/-/-",
		   "report verify --fix");
	/* the store's own phone writes refresh them: client 2 loses his phone, client 1 gets a
	 * first one below his others */
	assert_int_equal(db_begin(db, &err), 0);
	assert_int_equal(
	    store_phones_replace(db, 2, (const char *const[]){"+15550010"}, NULL, 1, &err), 0);
	assert_int_equal(db_commit(db, &err), 0);
	accepted(db, "DELETE FROM phones WHERE client_id = 3");
	assert_int_equal(db_begin(db, &err), 0);
	assert_int_equal(store_phone_insert(db, 3, "+15550011", NULL, &err), 0);
	assert_int_equal(db_commit(db, &err), 0);
	copies_are(db,
		   "1/c1 renamed/+15550005;2/c2/+15550010;3/c1 renamed/+15550005;4/c3/+15550011;"
		   "5/-/-;6/c3/+15550011;7/c1 renamed/+15550005;8/-/-",
		   "the store's phone writes");
	assert_int_equal(copies_stale(db, false), 0);
	integrity_ok(db);
	drop(db);
}

/* ---- 0017: the rows that name a call found by it ---- */

/* reads_all: an entry of a plan that reads a whole table: "SCAN t" (of a table, not of a
 * subquery's rows or of constants), or "SEARCH t" by no index (SQLite's max() walking the table
 * backwards until a row matches) */
static bool reads_all(const char *p)
{
	for (const char *e = p; *e;) {
		const char *end = strstr(e, " | ");
		size_t n = end ? (size_t)(end - e) : strlen(e);
		if ((!strncmp(e, "SCAN ", 5) && !memmem(e, n, "CONSTANT", 8) &&
		     !memmem(e, n, "subquery", 8)) ||
		    (!strncmp(e, "SEARCH ", 7) && !memmem(e, n, " USING ", 7)))
			return true;
		e += n + (end ? 3 : 0);
	}
	return false;
}

/* plan_has: after the migration the plan of sql names want and reads no table whole; before
 * it, it read one whole */
static void plan_has(struct db *db, const char *sql, const char *want, bool after)
{
	char *p = plan(db, sql);
	if (after && (!strstr(p, want) || reads_all(p)))
		fail_msg("%s: want %s and no table read whole, got %s", sql, want, p);
	if (!after && !reads_all(p))
		fail_msg("%s: a table read whole before the migration, got %s", sql, p);
	free(p);
}

/* the look-ups by call of store/q_qa.c, q_reports.c (store_call_delete, the foreign keys'
 * checks of its DELETE) and q_scripts.c (store_runs_open, one statement per filter) */
static void call_plans(struct db *db, bool after)
{
	plan_has(db, "UPDATE next_steps SET call_id = NULL WHERE call_id = $1", "next_steps_call",
		 after);
	plan_has(db, "UPDATE deals SET call_id = NULL WHERE call_id = $1", "deals_call", after);
	plan_has(db, "DELETE FROM calls WHERE id = $1", "script_runs_call", after);
	plan_has(db,
		 "SELECT CASE WHEN c.outcome = 'next_step' OR EXISTS (SELECT 1 FROM next_steps s "
		 "WHERE s.call_id = c.id AND s.auto = 0) THEN 1 ELSE 0 END FROM calls c WHERE c.id "
		 "= $1",
		 "next_steps_call", after);
	plan_has(
	    db,
	    "SELECT r.id FROM script_runs r WHERE r.id = coalesce((SELECT script_run_id FROM "
	    "calls WHERE id = $1), (SELECT max(x.id) FROM script_runs x WHERE x.call_id = $1))",
	    "script_runs_call", after);
}

static void test_migrate__call_links_from_16(void **state)
{
	(void)state;
	struct nc_err err = {0};
	struct db *db = fresh("from16");
	int applied = 0;
	assert_int_equal(migrate_apply_to(db, 16, &applied, &err), 0);
	call_plans(db, false);
	assert_int_equal(migrate_apply(db, &applied, &err), 0);
	assert_int_equal(version(db), migrate_latest());
	assert_true(applied >= 1);
	call_plans(db, true);
	/* partial: the rows without a call are not in them */
	rep_clients(db, 1);
	accepted(db, "INSERT INTO calls (id, client_id, kind, started_at, created_at) VALUES (1, "
		     "1, 'call', 0, 0)");
	accepted(db, "INSERT INTO next_steps (id, client_id, call_id, kind, due_at, created_at) "
		     "VALUES (1, 1, 1, 'call', 0, 0), (2, 1, NULL, 'call', 0, 0)");
	assert_int_equal(count_of(db, "SELECT count(*) FROM next_steps INDEXED BY next_steps_call "
				      "WHERE call_id > 0"),
			 1);
	/* the store's open runs: a client's by script_runs_client, a rep's by script_runs_rep */
	plan_has(db,
		 "SELECT r.id FROM script_runs r WHERE r.client_id = $2 AND r.status = 'open' AND "
		 "(r.rep_id = $1 OR $1 = 0) ORDER BY r.started_at DESC, r.id DESC LIMIT 100",
		 "script_runs_client", true);
	plan_has(
	    db,
	    "SELECT r.id FROM script_runs r WHERE r.rep_id = $1 AND r.status = 'open' AND $2 = "
	    "0 ORDER BY r.started_at DESC, r.id DESC LIMIT 100",
	    "script_runs_rep", true);
	/* run again (its row deleted by hand): nothing to do twice */
	accepted(db, "DELETE FROM schema_migrations WHERE version >= 17");
	assert_int_equal(migrate_apply(db, &applied, &err), 0);
	assert_int_equal(version(db), migrate_latest());
	call_plans(db, true);
	integrity_ok(db);
	drop(db);
}

/* kept_of: a column of script_counts' row (version 1, entered, variant); -1 when missing */
static int64_t kept_of(struct db *db, const char *col, const char *entered, int variant)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT coalesce((SELECT %s FROM script_counts WHERE version_id = 1 AND entered = "
		 "'%s' AND variant = %d), -1)",
		 col, entered, variant);
	return count_of(db, sql);
}

static void test_migrate__script_counts_from_17(void **state)
{
	(void)state;
	struct nc_err err = {0};
	struct db *db = fresh("from17");
	int applied = 0;
	assert_int_equal(migrate_apply_to(db, 17, &applied, &err), 0);
	rep_clients(db, 1);
	accepted(db, "INSERT INTO scripts (id, name, created_at) VALUES (1, 's', 0)");
	accepted(db, "INSERT INTO script_versions (id, script_id, version, source, created_at) "
		     "VALUES (1, 1, 1, 'x', 0)");
	/* 1: max, entered a (wordings 0 then 1), b, a again; 2: abandoned at b; 3: min, a only;
	 * 4: open at a */
	accepted(db, "INSERT INTO script_runs (id, version_id, client_id, status, result, steps, "
		     "node, started_at, updated_at) VALUES (1, 1, 1, 'finished', 'max', 3, 'a', 0, "
		     "0), (2, 1, 1, 'abandoned', NULL, 1, 'b', 0, 0), (3, 1, 1, 'finished', 'min', "
		     "0, 'a', 0, 0), (4, 1, 1, 'open', NULL, 0, 'a', 0, 0)");
	accepted(db, "INSERT INTO script_run_steps (run_id, seq, action, rnd, entered, variant, "
		     "at) VALUES (1, 0, 'start', 0, 'a', 0, 0), (1, 1, 'option', 0, 'b', NULL, 0), "
		     "(1, 2, 'back', 0, 'a', 1, 0), (1, 3, 'objection', 0, 'objection:o', 0, 0), "
		     "(2, 0, 'start', 0, 'a', 1, 0), (2, 1, 'option', 0, 'b', NULL, 0), (3, 0, "
		     "'start', 0, 'a', 1, 0), (4, 0, 'start', 0, 'a', 0, 0)");
	for (int pass = 0; pass < 2; pass++) {
		assert_int_equal(migrate_apply(db, &applied, &err), 0);
		assert_int_equal(version(db), migrate_latest());
		assert_int_equal(kept_of(db, "runs", "", -1), 4);
		assert_int_equal(kept_of(db, "max_runs", "", -1), 1);
		assert_int_equal(kept_of(db, "min_runs", "", -1), 1);
		assert_int_equal(kept_of(db, "abandoned", "", -1), 1);
		assert_int_equal(kept_of(db, "runs", "a", -1), 4); /* run 1 once */
		assert_int_equal(kept_of(db, "max_runs", "a", -1), 1);
		assert_int_equal(kept_of(db, "min_runs", "a", -1), 1);
		assert_int_equal(kept_of(db, "runs", "a", 0), 2);
		assert_int_equal(kept_of(db, "runs", "a", 1), 3);
		assert_int_equal(kept_of(db, "max_runs", "a", 1), 1);
		assert_int_equal(kept_of(db, "runs", "b", -1), 2);
		assert_int_equal(kept_of(db, "abandoned", "b", -1), 1);
		assert_int_equal(kept_of(db, "abandoned", "a", -1), 0);
		assert_int_equal(kept_of(db, "runs", "b", 0), -1); /* no wording: no row */
		assert_int_equal(kept_of(db, "runs", "objection:o", 0), 1);
		assert_int_equal(count_of(db, "SELECT count(*) FROM script_counts"), 7);
		/* run again (its row deleted by hand): counted afresh, not twice */
		accepted(db, "DELETE FROM schema_migrations WHERE version >= 18");
	}
	integrity_ok(db);
	drop(db);
}

/* one rep's rows of the rollups, as store/q_reports.c reads them (sel_filter), and the months
 * that hold pending deals */
static void rep_plans(struct db *db, bool after)
{
	static const char *const q[][2] = {
	    {"SELECT day, incoming FROM report_daily WHERE day >= $1 AND day <= $2 AND rep_id = $3 "
	     "AND (source_id = $4 OR $4 = -1) AND (segment_id = $5 OR $5 = -1)",
	     "report_daily_rep"},
	    {"SELECT 0, pending FROM report_monthly WHERE month >= $1 AND month <= $2 AND rep_id = "
	     "$3 AND (source_id = $4 OR $4 = -1) AND (segment_id = $5 OR $5 = -1) AND pending > 0",
	     "report_monthly_rep"},
	    {"SELECT cycle_days, n FROM report_cycles WHERE day >= $1 AND day <= $2 AND rep_id = "
	     "$3 "
	     "AND (source_id = $4 OR $4 = -1) AND (segment_id = $5 OR $5 = -1)",
	     "report_cycles_rep"},
	    {"SELECT cycle_days, n FROM report_cycles_monthly WHERE month >= $1 AND month <= $2 "
	     "AND rep_id = $3 AND (source_id = $4 OR $4 = -1) AND (segment_id = $5 OR $5 = -1)",
	     "report_cycles_monthly_rep"},
	    /* and every rep's pending deals of every month so far */
	    {"SELECT rep_id, pending FROM report_monthly WHERE month >= $1 AND month <= $2 AND $3 "
	     "= "
	     "-1 AND (source_id = $4 OR $4 = -1) AND (segment_id = $5 OR $5 = -1) AND pending > 0",
	     "report_monthly_pending"},
	};
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		char *p = plan(db, q[i][0]);
		if (after != (strstr(p, q[i][1]) != NULL))
			fail_msg("%s: want %s%s, got %s", q[i][0], after ? "" : "no ", q[i][1], p);
		free(p);
	}
}

static void test_migrate__report_rep_from_18(void **state)
{
	(void)state;
	struct nc_err err = {0};
	struct db *db = fresh("from18");
	int applied = 0;
	assert_int_equal(migrate_apply_to(db, 18, &applied, &err), 0);
	rep_plans(db, false);
	for (int pass = 0; pass < 2; pass++) { /* the second: run again, its row deleted by hand */
		assert_int_equal(migrate_apply(db, &applied, &err), 0);
		assert_int_equal(version(db), migrate_latest());
		rep_plans(db, true);
		accepted(db, "DELETE FROM schema_migrations WHERE version >= 19");
	}
	integrity_ok(db);
	drop(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_migrate__sections_per_driver),
	    cmocka_unit_test(test_migrate__no_sections_is_unchanged),
	    cmocka_unit_test(test_migrate__markers_with_crlf_and_blanks),
	    cmocka_unit_test(test_migrate__bad_markers_refused),
	    cmocka_unit_test(test_migrate__add_columns),
	    cmocka_unit_test(test_migrate__embedded_split_for_both),
	    cmocka_unit_test(test_migrate__check_lists_fresh),
	    cmocka_unit_test(test_migrate__check_lists_from_13),
	    cmocka_unit_test(test_migrate__reads_from_14),
	    cmocka_unit_test(test_migrate__copies_from_15),
	    cmocka_unit_test(test_migrate__call_links_from_16),
	    cmocka_unit_test(test_migrate__script_counts_from_17),
	    cmocka_unit_test(test_migrate__report_rep_from_18),
	    cmocka_unit_test(test_migrate__check_lists_differ),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
