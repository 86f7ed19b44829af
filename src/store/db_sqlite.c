/* db_sqlite.c - the SQLite driver: WAL, foreign keys, synchronous=FULL by default, $N parameters
 * mapped onto SQLite's named parameters. */
#include "store/db.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_PARAMS 64

struct sq_stmt {
	int map[MAX_PARAMS + 1]; /* $N -> SQLite parameter index, 0 when $N is absent */
};

static int sq_fail(sqlite3 *h, int rc, struct nc_err *err)
{
	int base = rc & 0xff;
	enum nc_code code = NC_EDB;
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		code = NC_ECONFLICT;
	else if (base == SQLITE_CONSTRAINT)
		code = NC_EINVAL;
	else if (base == SQLITE_BUSY || base == SQLITE_LOCKED)
		code = NC_EBUSY;
	nc_error(err, code, "database: %s", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
	/* busy after the busy timeout, or a snapshot that went stale (SQLITE_BUSY_SNAPSHOT, where
	 * the busy handler is not called): the transaction may succeed when run again */
	if (err && code == NC_EBUSY)
		err->retry = true;
	return -1;
}

static int sq_exec(struct db *db, const char *sql, struct nc_err *err)
{
	sqlite3 *h = db->conn;
	int rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(h, sqlite3_extended_errcode(h), err);
	return 0;
}

/* sq_busy waits for another connection's write transaction: up to 10 s, polling every 0.1 to
 * 2 ms. SQLite's own busy timeout sleeps up to 100 ms between tries, so under a steady stream of
 * short writes a waiting worker thread kept losing the lock to the other one and a call took up
 * to 1.5 s (tests/load found it: p99 of a logged call 208 ms against p50 9.6 ms). */
static int sq_busy(void *arg, int tries)
{
	(void)arg;
	long us = tries < 4 ? 100 : tries < 20 ? 500 : 2000;
	/* 4 x 0.1 + 16 x 0.5 + n x 2 ms: about 10 s at 5 000 tries */
	if (tries >= 5000)
		return 0;
	struct timespec ts = {0, us * 1000};
	nanosleep(&ts, NULL);
	return 1;
}

#define CACHE_USUAL "PRAGMA cache_size=-16384;"

/* sq_configure sets what SQLite must know before its first use. Debian's build counts every
 * allocation under a global mutex (memory status, which nothing here reads) and has no
 * lookaside, so a logged call's ~360 allocations each took and left that mutex (2 % of the
 * call's instructions, and a point where the workers meet). */
static void sq_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); /* SQLITE_MISUSE if already initialised */
}

static int sq_open(struct db *db, const char *path, struct nc_err *err)
{
	static pthread_once_t configured = PTHREAD_ONCE_INIT;
	pthread_once(&configured, sq_configure);
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(
	    path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		nc_error_field(err, NC_EDB, "db", "cannot open database \"%s\": %s", path,
			       h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return -1;
	}
	db->conn = h;
	sqlite3_extended_result_codes(h, 1);
	sqlite3_busy_handler(h, sq_busy, NULL);
	const char *sync = getenv("NEXTCALL_SYNC");
	const char *pragmas = sync && strcmp(sync, "normal") == 0
				  ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
				  : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
	if (sq_exec(db, pragmas, err) < 0 ||
	    sq_exec(db,
		    "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
		    /* reads the first 1 GiB through the page cache of the OS instead of copies
		       into ours; a server worker's connection keeps more (db_reads_mostly) */
		    "PRAGMA mmap_size=1073741824; " CACHE_USUAL,
		    err) < 0) {
		char msg[sizeof(err->msg)];
		snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
		nc_error_field(err, NC_EDB, "db", "cannot use \"%s\" as a database: %s", path, msg);
		sqlite3_close(h);
		db->conn = NULL;
		return -1;
	}
	return 0;
}

/* sq_copy runs the online backup API in one step, so the copy is one snapshot: in WAL mode the
 * writers of other connections go on meanwhile. A backup file is created new (an existing file
 * is refused); a restore reads the file read-only. */
/* check_restore refuses a file that is not a sound nextcall database of at most max_version. */
static int check_restore(sqlite3 *h, const char *path, int max_version, struct nc_err *err)
{
	sqlite3_stmt *st = NULL;
	const char *what = NULL;
	int version = -1;
	if (sqlite3_prepare_v2(h, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
		what = "is not a sound SQLite database";
	sqlite3_finalize(st);
	st = NULL;
	if (!what && (sqlite3_prepare_v2(h, "SELECT max(version) FROM schema_migrations", -1, &st,
					 NULL) != SQLITE_OK ||
		      sqlite3_step(st) != SQLITE_ROW))
		what = "is not a nextcall database";
	else if (!what)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (what)
		return nc_error_field(err, NC_EINVAL, "file", "\"%s\" %s", path, what);
	if (version > max_version)
		return nc_error_field(err, NC_EVERSION, "file",
				      "\"%s\" was written by a newer nextcall (schema %d, this one "
				      "knows up to %d)",
				      path, version, max_version);
	return 0;
}

static int sq_copy(struct db *db, const char *path, bool from_file, int max_version,
		   struct nc_err *err)
{
	sqlite3 *other = NULL;
	int flags = from_file ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (!from_file && access(path, F_OK) == 0)
		return nc_error_field(err, NC_ECONFLICT, "file",
				      "\"%s\" exists: a backup goes into a new file", path);
	int rc = sqlite3_open_v2(path, &other, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		nc_error_field(err, NC_EIO, "file", "cannot open \"%s\": %s", path,
			       other ? sqlite3_errmsg(other) : sqlite3_errstr(rc));
		sqlite3_close(other);
		return -1;
	}
	sqlite3_busy_timeout(other, 10000);
	if (from_file && check_restore(other, path, max_version, err) < 0)
		goto fail;
	sqlite3 *dst = from_file ? db->conn : other, *src = from_file ? other : db->conn;
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		nc_error(err, NC_EDB, "%s of \"%s\" failed: %s", from_file ? "restore" : "backup",
			 path, sqlite3_errmsg(dst));
		goto fail;
	}
	rc = sqlite3_backup_step(b, -1);
	int fin = sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE || fin != SQLITE_OK) {
		nc_error(err, NC_EDB, "%s of \"%s\" failed: %s", from_file ? "restore" : "backup",
			 path, sqlite3_errstr(rc != SQLITE_DONE ? rc : fin));
		goto fail;
	}
	if (sqlite3_close(other) != SQLITE_OK)
		return nc_error(err, NC_EIO, "cannot close \"%s\"", path);
	return 0;
fail:
	sqlite3_close(other);
	if (!from_file)
		unlink(path); /* no half-written backup is left behind */
	return -1;
}

static void sq_close(struct db *db)
{
	if (db->conn)
		sqlite3_close(db->conn);
	db->conn = NULL;
}

static int sq_prepare(struct db *db, const char *sql, struct db_stmt *st, struct nc_err *err)
{
	sqlite3 *h = db->conn;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v3(h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(h, rc, err);
	struct sq_stmt *x = xcalloc(1, sizeof(*x));
	int n = sqlite3_bind_parameter_count(s);
	for (int i = 1; i <= n; i++) {
		const char *name = sqlite3_bind_parameter_name(s, i);
		long k = name && name[0] == '$' ? strtol(name + 1, NULL, 10) : 0;
		if (k >= 1 && k <= MAX_PARAMS)
			x->map[k] = i;
	}
	st->handle = s;
	st->extra = x;
	return 0;
}

static void sq_finalize(struct db_stmt *st)
{
	sqlite3_finalize(st->handle);
	free(st->extra);
}

static int param(struct db_stmt *st, int idx)
{
	struct sq_stmt *x = st->extra;
	return idx >= 1 && idx <= MAX_PARAMS ? x->map[idx] : 0;
}

static void sq_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	int i = param(st, idx);
	if (i)
		sqlite3_bind_int64(st->handle, i, v);
}

static void sq_bind_text(struct db_stmt *st, int idx, const char *s)
{
	int i = param(st, idx);
	if (i)
		sqlite3_bind_text(st->handle, i, s, -1, SQLITE_TRANSIENT);
}

static void sq_bind_null(struct db_stmt *st, int idx)
{
	int i = param(st, idx);
	if (i)
		sqlite3_bind_null(st->handle, i);
}

static int sq_step(struct db_stmt *st, struct nc_err *err)
{
	int rc = sqlite3_step(st->handle);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	sqlite3 *h = st->db->conn;
	sq_fail(h, sqlite3_extended_errcode(h), err);
	sqlite3_reset(st->handle);
	return -1;
}

static int64_t sq_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(st->handle, col);
}

static const char *sq_col_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->handle, col);
}

static bool sq_col_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(st->handle, col) == SQLITE_NULL;
}

static void sq_reset(struct db_stmt *st)
{
	sqlite3_reset(st->handle);
	sqlite3_clear_bindings(st->handle);
}

static int64_t sq_changes(struct db *db)
{
	return sqlite3_changes64(db->conn);
}

static int64_t sq_total_changes(struct db *db)
{
	return sqlite3_total_changes64(db->conn);
}

static int64_t sq_data_version(struct db *db)
{
	int v = 0;
	if (sqlite3_file_control(db->conn, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK)
		return 0;
	/* data_version counts other connections' commits; total changes counts ours */
	return ((int64_t)(unsigned)v << 20) + (sq_total_changes(db) & 0xfffff) + 1;
}

/* sq_snapshot: a deferred transaction that has read nothing has no snapshot yet; reading the
 * data version starts it (a statement without tables would not). */
static int sq_snapshot(struct db *db)
{
	if (sqlite3_txn_state(db->conn, "main") != SQLITE_TXN_NONE)
		return 0;
	struct db_stmt *st = db_prepare(db, "PRAGMA main.data_version", NULL);
	if (!st)
		return -1;
	int rc = db_step(st, NULL);
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* read_cache_kb: a server worker's page cache, NEXTCALL_READ_CACHE_MB megabytes (1-65536) or
 * DB_READ_CACHE_KB. */
static int read_cache_kb(long long *kb, struct nc_err *err)
{
	const char *e = getenv("NEXTCALL_READ_CACHE_MB");
	*kb = DB_READ_CACHE_KB;
	if (!e)
		return 0;
	char *end;
	errno = 0;
	long long mb = strtoll(e, &end, 10);
	if (errno || end == e || *end || mb < 1 || mb > 65536) {
		nc_error_field(
		    err, NC_EINVAL, "NEXTCALL_READ_CACHE_MB",
		    "NEXTCALL_READ_CACHE_MB must be a whole number of megabytes from 1 to "
		    "65536 (a server worker's page cache; unset: %d)",
		    DB_READ_CACHE_KB / 1024);
		return -1;
	}
	*kb = mb * 1024;
	return 0;
}

/* sq_bulk: see db_bulk and db_reads_mostly. A smaller cache_size frees the pages above it at
 * once. */
static int sq_bulk(struct db *db, bool on, struct nc_err *err)
{
	char sql[64];
	long long kb = 0;
	if (on)
		snprintf(sql, sizeof(sql), "PRAGMA cache_size=-%d;", DB_BULK_CACHE_KB);
	else if (!db->reads_mostly)
		snprintf(sql, sizeof(sql), "%s", CACHE_USUAL);
	else if (read_cache_kb(&kb, err) < 0)
		return -1;
	else
		snprintf(sql, sizeof(sql), "PRAGMA cache_size=-%lld;", kb);
	return sq_exec(db, sql, err);
}

const struct db_driver db_sqlite_driver = {
    .name = "sqlite",
    .id_type = "INTEGER PRIMARY KEY",
    .binary_collation = "",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_int = sq_col_int,
    .col_text = sq_col_text,
    .col_null = sq_col_null,
    .reset = sq_reset,
    .changes = sq_changes,
    .data_version = sq_data_version,
    .snapshot = sq_snapshot,
    .bulk = sq_bulk,
    .copy = sq_copy,
    .begin_sql = "BEGIN IMMEDIATE",
    .begin_read_sql = "BEGIN DEFERRED",
    .tx_prepared = true,
};
