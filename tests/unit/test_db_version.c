/* test_db_version.c - the version of a read transaction's snapshot (store/db.c db_read_version),
 * on a real SQLite file with two connections: a commit of the other connection, of another
 * process's kind, shows in the next read transaction's version before that transaction has read
 * anything (the sign-in memo and the answer cache go by it), not in one already open; and a
 * connection's own commits move it too. Also the page cache a connection keeps (db_reads_mostly,
 * db_bulk). */
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

struct two {
	char dir[64];
	char path[128];
	struct db *a, *b;
};

static int teardown(void **state)
{
	struct two *t = *state;
	char p[160];
	db_close(t->a);
	db_close(t->b);
	const char *ext[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", t->path, ext[i]);
		unlink(p);
	}
	rmdir(t->dir);
	free(t);
	return 0;
}

static int setup(void **state)
{
	struct two *t = calloc(1, sizeof(*t));
	struct nc_err err = {0};
	if (!t)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "/tmp/nc_test_dbv.XXXXXX");
	if (!mkdtemp(t->dir)) {
		free(t);
		return -1;
	}
	snprintf(t->path, sizeof(t->path), "%s/v.db", t->dir);
	t->a = db_open(t->path, &err);
	t->b = db_open(t->path, &err);
	*state = t;
	if (!t->a || !t->b ||
	    db_run(t->b, &err, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", "") < 0) {
		teardown(state);
		return -1;
	}
	return 0;
}

/* read_version opens a read transaction on db, gives its version, and closes it. */
static int64_t read_version(struct db *db)
{
	struct nc_err err = {0};
	assert_int_equal(db_begin_read(db, &err), 0);
	int64_t v = db_read_version(db);
	db_end_read(db);
	return v;
}

static void insert(struct db *db, const char *v)
{
	struct nc_err err = {0};
	assert_int_equal(db_run(db, &err, "INSERT INTO t (v) VALUES ($1)", "t", v), 0);
}

static void test_other_commit_shows_at_once(void **state)
{
	struct two *t = *state;
	int64_t v1 = read_version(t->a);
	assert_true(v1 != 0);
	assert_int_equal(read_version(t->a), v1); /* nothing committed: the same */
	insert(t->b, "x");
	/* the new transaction has read nothing yet: its version must already be the new one */
	int64_t v2 = read_version(t->a);
	assert_true(v2 != 0);
	assert_true(v2 != v1);
	assert_int_equal(read_version(t->a), v2);
}

static void test_open_snapshot_keeps_its_version(void **state)
{
	struct two *t = *state;
	struct nc_err err = {0};
	assert_int_equal(db_begin_read(t->a, &err), 0);
	int64_t v1 = db_read_version(t->a);
	insert(t->b, "y"); /* after the snapshot was taken */
	assert_int_equal(db_read_version(t->a), v1);
	assert_int_equal(db_version(t->a), v1);
	int64_t n = -1;
	assert_int_equal(db_get_int(t->a, &err, &n, "SELECT count(*) FROM t", ""), 1);
	assert_int_equal(n, 0); /* the snapshot is from before the insert */
	db_end_read(t->a);
	assert_true(read_version(t->a) != v1);
}

static void test_own_commit_moves_it(void **state)
{
	struct two *t = *state;
	int64_t v1 = read_version(t->a);
	insert(t->a, "z");
	assert_true(read_version(t->a) != v1);
}

static void test_no_read_transaction_no_version(void **state)
{
	struct two *t = *state;
	struct nc_err err = {0};
	assert_int_equal(db_read_version(t->a), 0);
	assert_int_equal(db_begin(t->a, &err),
			 0); /* a write transaction is no snapshot of a read */
	assert_int_equal(db_read_version(t->a), 0);
	db_rollback(t->a);
}

static int64_t cache_kb(struct db *db)
{
	struct nc_err err = {0};
	int64_t v = 0;
	assert_int_equal(db_get_int(db, &err, &v, "PRAGMA cache_size", ""), 1);
	return -v; /* negative: KiB */
}

/* A connection marked as serving reads (a server worker's) keeps the larger page cache, also
 * after a bulk write on it; the others keep the usual one. */
static void test_reads_mostly_cache(void **state)
{
	struct two *t = *state;
	struct nc_err err = {0};
	assert_int_equal(cache_kb(t->a), 16384);
	assert_int_equal(db_reads_mostly(t->b, &err), 0);
	assert_int_equal(cache_kb(t->b), DB_READ_CACHE_KB);
	assert_int_equal(cache_kb(t->a), 16384);
	assert_int_equal(db_bulk(t->b, true, &err), 0);
	assert_int_equal(cache_kb(t->b), DB_BULK_CACHE_KB);
	assert_int_equal(db_bulk(t->b, false, &err), 0);
	assert_int_equal(cache_kb(t->b), DB_READ_CACHE_KB);
	assert_int_equal(db_bulk(t->a, true, &err), 0);
	assert_int_equal(db_bulk(t->a, false, &err), 0);
	assert_int_equal(cache_kb(t->a), 16384);
	insert(t->b, "read and written"); /* still a working connection */
	assert_true(read_version(t->b) != 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_other_commit_shows_at_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_snapshot_keeps_its_version, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_own_commit_moves_it, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_read_transaction_no_version, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reads_mostly_cache, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
