/* test_migrate.c - unit tests of store/migrate.c's driver sections: the text of a migration
 * that only one driver runs ("-- @sqlite" / "-- @postgres" ... "-- @end"), the markers it
 * refuses, and every embedded migration splitting cleanly for both drivers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

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
		} else {
			/* the migrations before sections existed are one text for both */
			assert_string_equal(sq, f->data);
			assert_string_equal(pg, f->data);
		}
		free(sq);
		free(pg);
	}
	assert_int_equal(found, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_migrate__sections_per_driver),
	    cmocka_unit_test(test_migrate__no_sections_is_unchanged),
	    cmocka_unit_test(test_migrate__markers_with_crlf_and_blanks),
	    cmocka_unit_test(test_migrate__bad_markers_refused),
	    cmocka_unit_test(test_migrate__embedded_split_for_both),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
