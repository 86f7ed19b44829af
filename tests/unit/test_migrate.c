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
		} else {
			/* the migrations before sections existed are one text for both */
			assert_string_equal(sq, f->data);
			assert_string_equal(pg, f->data);
		}
		free(sq);
		free(pg);
	}
	assert_int_equal(found, 3);
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
	/* run again (its row deleted by hand), 0014 finds its texts rewritten and changes nothing
	 */
	calls = table_sql(db, "calls");
	assert_int_equal(db_exec(db, "DELETE FROM schema_migrations WHERE version = 14", &err), 0);
	assert_int_equal(migrate_apply(db, &applied, &err), 0);
	assert_int_equal(applied, migrate_latest() - 13);
	char *again = table_sql(db, "calls");
	assert_string_equal(again, calls);
	free(again);
	free(calls);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_migrate__sections_per_driver),
	    cmocka_unit_test(test_migrate__no_sections_is_unchanged),
	    cmocka_unit_test(test_migrate__markers_with_crlf_and_blanks),
	    cmocka_unit_test(test_migrate__bad_markers_refused),
	    cmocka_unit_test(test_migrate__embedded_split_for_both),
	    cmocka_unit_test(test_migrate__check_lists_fresh),
	    cmocka_unit_test(test_migrate__check_lists_from_13),
	    cmocka_unit_test(test_migrate__check_lists_differ),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
