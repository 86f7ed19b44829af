/* db.h - the portable database layer: one connection type, prepared statements with bound
 * parameters only, transactions, behind a driver of function pointers (SQLite now, PostgreSQL
 * next). SQL is written once for both: parameters are $1..$n, times are integer epoch seconds,
 * inserts use RETURNING and upserts ON CONFLICT. */
#ifndef NC_DB_H
#define NC_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct db;
struct db_stmt;

/* db_open opens target: "sqlite:PATH", "postgres://..." or a plain path (SQLite). SQLite runs in
 * WAL mode with foreign keys on and synchronous=FULL unless NEXTCALL_SYNC=normal. Returns NULL
 * with err filled on failure. */
struct db *db_open(const char *target, struct nc_err *err);
/* db_close finalizes every cached statement and closes the connection (NULL is fine). */
void db_close(struct db *db);

/* db_driver_name gives "sqlite" or "postgres". */
const char *db_driver_name(const struct db *db);

/* db_exec runs one or more statements without parameters or rows (schema, pragmas). */
int db_exec(struct db *db, const char *sql, struct nc_err *err);

/* db_prepare returns a statement for sql, reused from the connection's cache when it was
 * prepared before (so pass the same text: usually a string literal). The statement belongs to
 * the connection; give it back with db_done after use. When the cached statement for the same
 * text is still in use (a nested query), a fresh one is prepared and finalized by db_done. */
struct db_stmt *db_prepare(struct db *db, const char *sql, struct nc_err *err);

/* Binding: idx is 1-based ($1 is 1). text NULL binds NULL. Binding never fails for valid idx. */
void db_bind_int(struct db_stmt *st, int idx, int64_t v);
void db_bind_text(struct db_stmt *st, int idx, const char *s);
void db_bind_null(struct db_stmt *st, int idx);
/* db_bind_opt_int binds v, or NULL when v is 0 (for optional foreign keys). */
void db_bind_opt_int(struct db_stmt *st, int idx, int64_t v);

/* db_step runs the statement or fetches its next row: 1 a row is ready, 0 done, -1 error.
 * Constraint violations give NC_ECONFLICT (unique) or NC_EINVAL (check, foreign key). */
int db_step(struct db_stmt *st, struct nc_err *err);

/* Columns of the current row, 0-based. Text is valid until the next db_step or db_done; NULL
 * gives NULL (text) or 0 (int). */
int64_t db_col_int(struct db_stmt *st, int col);
const char *db_col_text(struct db_stmt *st, int col);
bool db_col_null(struct db_stmt *st, int col);

/* db_done resets the statement and returns it to the cache. */
void db_done(struct db_stmt *st);

/* db_version gives a number that changes whenever the database's contents may have changed
 * (a commit by this connection or any other, this process or another): answers computed at one
 * version stay valid while it does not change. 0 means unknown (never cache). */
int64_t db_version(struct db *db);
/* db_read_version gives the version of the open read transaction's snapshot (db_begin_read),
 * taking the snapshot first when the transaction has read nothing yet (SQLite's BEGIN DEFERRED
 * takes it at the first read, so before that db_version tells the connection's last
 * transaction). 0: no read transaction is open, or the version is unknown. */
int64_t db_read_version(struct db *db);

/* db_changes gives the number of rows the last finished statement changed. */
int64_t db_changes(struct db *db);

/* Transactions. db_begin starts a write transaction (SQLite: BEGIN IMMEDIATE). Nesting is not
 * supported; db_in_tx tells whether one is open. db_rollback is safe to call when none is. */
int db_begin(struct db *db, struct nc_err *err);
/* db_begin_read opens a read transaction, so that the many small reads of one request share one
 * snapshot and one lock; db_end_read closes it. A db_begin while it is open ends it first. */
int db_begin_read(struct db *db, struct nc_err *err);
void db_end_read(struct db *db);
/* db_commit runs the transaction's deferred work (db_tx_defer) and then COMMIT; when either
 * fails the transaction is rolled back. db_rollback discards the deferred work. */
int db_commit(struct db *db, struct nc_err *err);
void db_rollback(struct db *db);
bool db_in_tx(const struct db *db);

/* db_bulk gives the connection room for one big write transaction (on) and takes it back (off):
 * SQLite: a page cache of up to DB_BULK_CACHE_KB instead of the usual 16 MB, so that the dirty
 * pages of a big import stay in memory until its commit instead of being spilled to the WAL and
 * read back (memory is taken only as pages are used, and given back when turned off);
 * PostgreSQL: nothing. Errors only when the driver refuses the setting. */
#define DB_BULK_CACHE_KB 1048576
int db_bulk(struct db *db, bool on, struct nc_err *err);

/* db_reads_mostly marks a connection that serves reads (a server worker's): SQLite keeps a page
 * cache of up to DB_READ_CACHE_KB there instead of the usual 16 MB, taken only as pages are read
 * (and dropped by SQLite whenever another connection has committed). The pages a rep's cards
 * read lie scattered over the calls of a big database, beyond the 1 GiB map: 16 MB held a small
 * part of them and every other page was a pread (bench/FINDINGS.md). NEXTCALL_READ_CACHE_MB
 * sets another size (1-65536 MB; any other value: an error naming it). PostgreSQL: nothing. */
#define DB_READ_CACHE_KB 131072
int db_reads_mostly(struct db *db, struct nc_err *err);

/* Work a store module defers to the end of the open write transaction: db_commit runs
 * before_commit(db, data) just before COMMIT, db_rollback runs discard(data); either owns and
 * frees data. One at a time: the report rollups' differences (q_reports.c), so that every write
 * transaction applies them once, taking its locks on the rollup rows in one order. */
struct db_tx_hook {
	void *data;
	int (*before_commit)(struct db *db, void *data, struct nc_err *err);
	void (*discard)(void *data);
};

/* Convenience: prepare, bind per fmt ('i' int64_t, 't' const char *, 'o' optional int64_t
 * where 0 is NULL, 'n' NULL with no argument), step once, done. db_run expects no row and
 * returns 0/-1; db_get_int returns 1 and fills *out from column 0 of the first row, 0 when there
 * is no row, -1 on error. */
int db_run(struct db *db, struct nc_err *err, const char *sql, const char *fmt, ...);
int db_get_int(struct db *db, struct nc_err *err, int64_t *out, const char *sql, const char *fmt,
	       ...);
/* db_bindv binds per fmt starting at parameter 1 (see db_run). */
struct db_stmt *db_preparef(struct db *db, struct nc_err *err, const char *sql, const char *fmt,
			    ...);

/* db_backup writes a consistent copy of the database into a new file at path (SQLite: the
 * online backup API, while others keep writing); db_restore copies the database file at path
 * over this one after checking it is a sound nextcall database of schema max_version or older
 * (this one is unchanged otherwise). PostgreSQL: NC_EINVAL pointing to pg_dump / pg_restore. */
int db_backup(struct db *db, const char *path, struct nc_err *err);
int db_restore(struct db *db, const char *path, int max_version, struct nc_err *err);

/* The driver interface, implemented by db_sqlite.c (and db_pg.c). */
struct db_driver {
	const char *name;
	const char *id_type;	      /* column type for an auto-generated integer primary key */
	const char *binary_collation; /* a column clause ordering text by bytes ("" if default) */
	int (*open)(struct db *db, const char *target, struct nc_err *err);
	void (*close)(struct db *db);
	int (*exec)(struct db *db, const char *sql, struct nc_err *err);
	int (*prepare)(struct db *db, const char *sql, struct db_stmt *st, struct nc_err *err);
	void (*finalize)(struct db_stmt *st);
	void (*bind_int)(struct db_stmt *st, int idx, int64_t v);
	void (*bind_text)(struct db_stmt *st, int idx, const char *s);
	void (*bind_null)(struct db_stmt *st, int idx);
	int (*step)(struct db_stmt *st, struct nc_err *err);
	int64_t (*col_int)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col);
	bool (*col_null)(struct db_stmt *st, int col);
	void (*reset)(struct db_stmt *st);
	int64_t (*changes)(struct db *db);
	int64_t (*data_version)(struct db *db); /* see db_version; read inside a transaction */
	int (*snapshot)(struct db *db); /* takes the read transaction's snapshot now; NULL: begun */
	/* see db_bulk; off gives back the connection's usual cache, which db_reads_mostly also
	 * sets; NULL: nothing */
	int (*bulk)(struct db *db, bool on, struct nc_err *err);
	/* copy: the whole database into a new file at path (from_file false), or the file at path
	 * over this database (true), as one consistent snapshot; NULL: not offered */
	int (*copy)(struct db *db, const char *path, bool from_file, int max_version,
		    struct nc_err *err);
	const char *begin_sql;	    /* the statement that opens a write transaction */
	const char *begin_read_sql; /* ... and a read transaction */
	/* tx_prepared: BEGIN/COMMIT/ROLLBACK run as cached prepared statements (SQLite: parsing
	 * them anew was a tenth of a small read request), else through exec */
	bool tx_prepared;
};

#define DB_STMT_CACHE 512 /* slots of an open-addressing table, kept under half full */
#define DB_PTR_SLOTS  256 /* slots of the direct-mapped table by text address */

struct db_stmt {
	struct db *db;
	const char *sql; /* the cache key (the caller's text, copied) */
	void *handle;	 /* the driver's statement */
	void *extra;	 /* driver state (e.g. bound values and the current result) */
	bool busy;	 /* handed out and not yet given back */
	bool cached;	 /* lives in the connection's cache (else finalized by db_done) */
	uint64_t hash;
};

/* how many clients' plan refreshes a transaction may put off at once (more: done at once) */
#define DB_PLANS_DEFERRED 8

struct db {
	const struct db_driver *drv;
	void *conn;
	bool in_tx;
	bool in_read;	   /* a read transaction (db_begin_read) is open */
	bool reads_mostly; /* see db_reads_mostly */
	struct db_stmt *cache[DB_STMT_CACHE];
	size_t ncache;
	/* a cached statement by the address of the caller's text (checked with strcmp), which
	 * saves hashing the text on every use: most texts are string literals */
	const char *by_ptr_key[DB_PTR_SLOTS];
	struct db_stmt *by_ptr[DB_PTR_SLOTS];
	char target[256]; /* what db_open was given, for messages */
	struct db_tx_hook
	    tx_hook; /* the open write transaction's deferred work (data NULL: none) */
	/* the clients whose plan refresh waits for store_plans_flush (store_plans_defer) */
	bool plans_deferred;
	size_t nplans;
	int64_t plans[DB_PLANS_DEFERRED];
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

#endif
