/* db.c - the driver-independent half of the database layer: the statement cache, transactions
 * and the printf-like binding helpers. */
#include "store/db.h"
#include "store/internal.h"
#include "util/xmalloc.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct db *db_open(const char *target, struct nc_err *err)
{
	const struct db_driver *drv = &db_sqlite_driver;
	const char *arg = target;
	if (!target || !*target)
		return nc_error_field(err, NC_EINVAL, "db", "no database given"), NULL;
	if (strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0) {
		drv = &db_pg_driver;
	} else if (strncmp(target, "sqlite:", 7) == 0) {
		arg = target + 7;
	}
	struct db *db = xcalloc(1, sizeof(*db));
	db->drv = drv;
	snprintf(db->target, sizeof(db->target), "%s", target);
	if (drv->open(db, arg, err) < 0) {
		free(db);
		return NULL;
	}
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	if (db->in_tx)
		db_rollback(db);
	db_end_read(db);
	for (size_t i = 0; i < DB_STMT_CACHE; i++) {
		struct db_stmt *st = db->cache[i];
		if (!st)
			continue;
		db->drv->finalize(st);
		free((char *)st->sql);
		free(st);
	}
	db->drv->close(db);
	free(db);
}

const char *db_driver_name(const struct db *db)
{
	return db->drv->name;
}

int db_exec(struct db *db, const char *sql, struct nc_err *err)
{
	return db->drv->exec(db, sql, err);
}

static uint64_t hash_sql(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct db_stmt *fresh(struct db *db, const char *sql, uint64_t h, struct nc_err *err)
{
	struct db_stmt *st = xcalloc(1, sizeof(*st));
	st->db = db;
	st->sql = xstrdup(sql);
	st->hash = h;
	if (db->drv->prepare(db, sql, st, err) < 0) {
		free((char *)st->sql);
		free(st);
		return NULL;
	}
	return st;
}

struct db_stmt *db_prepare(struct db *db, const char *sql, struct nc_err *err)
{
	size_t j = ((uintptr_t)sql >> 3) % DB_PTR_SLOTS;
	struct db_stmt *st = db->by_ptr[j];
	if (st && db->by_ptr_key[j] == sql && strcmp(st->sql, sql) == 0) {
		if (st->busy)
			return fresh(db, sql, st->hash, err); /* nested use: uncached copy */
		st->busy = true;
		return st;
	}
	uint64_t h = hash_sql(sql);
	size_t i = h % DB_STMT_CACHE;
	for (size_t probe = 0; probe < DB_STMT_CACHE; probe++, i = (i + 1) % DB_STMT_CACHE) {
		st = db->cache[i];
		if (!st)
			break;
		if (st->hash == h && strcmp(st->sql, sql) == 0) {
			db->by_ptr_key[j] = sql;
			db->by_ptr[j] = st;
			if (st->busy)
				return fresh(db, sql, h, err); /* nested use: uncached copy */
			st->busy = true;
			return st;
		}
	}
	st = fresh(db, sql, h, err);
	if (!st)
		return NULL;
	st->busy = true;
	if (!db->cache[i] && db->ncache < DB_STMT_CACHE / 2) {
		st->cached = true;
		db->cache[i] = st;
		db->ncache++;
		db->by_ptr_key[j] = sql;
		db->by_ptr[j] = st;
	}
	return st;
}

void db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	st->db->drv->bind_int(st, idx, v);
}

void db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (s)
		st->db->drv->bind_text(st, idx, s);
	else
		st->db->drv->bind_null(st, idx);
}

void db_bind_null(struct db_stmt *st, int idx)
{
	st->db->drv->bind_null(st, idx);
}

void db_bind_opt_int(struct db_stmt *st, int idx, int64_t v)
{
	if (v)
		db_bind_int(st, idx, v);
	else
		db_bind_null(st, idx);
}

int db_step(struct db_stmt *st, struct nc_err *err)
{
	return st->db->drv->step(st, err);
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return st->db->drv->col_int(st, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
	return st->db->drv->col_text(st, col);
}

bool db_col_null(struct db_stmt *st, int col)
{
	return st->db->drv->col_null(st, col);
}

void db_done(struct db_stmt *st)
{
	if (!st)
		return;
	if (!st->cached) {
		st->db->drv->finalize(st);
		free((char *)st->sql);
		free(st);
		return;
	}
	st->db->drv->reset(st);
	st->busy = false;
}

int64_t db_version(struct db *db)
{
	if (!db->drv->data_version)
		return 0;
	return db->drv->data_version(db);
}

int64_t db_read_version(struct db *db)
{
	if (!db->in_read || !db->drv->data_version)
		return 0;
	if (db->drv->snapshot && db->drv->snapshot(db) < 0)
		return 0;
	return db->drv->data_version(db);
}

int64_t db_changes(struct db *db)
{
	return db->drv->changes(db);
}

/* tx_exec runs a transaction statement (BEGIN ..., COMMIT, ROLLBACK). */
static int tx_exec(struct db *db, const char *sql, struct nc_err *err)
{
	if (!db->drv->tx_prepared)
		return db->drv->exec(db, sql, err);
	struct db_stmt *st = db_prepare(db, sql, err);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int db_begin_read(struct db *db, struct nc_err *err)
{
	if (db->in_tx || db->in_read)
		return 0;
	if (tx_exec(db, db->drv->begin_read_sql, err) < 0)
		return -1;
	db->in_read = true;
	return 0;
}

void db_end_read(struct db *db)
{
	if (!db->in_read)
		return;
	tx_exec(db, "COMMIT", NULL);
	db->in_read = false;
}

int db_begin(struct db *db, struct nc_err *err)
{
	db_end_read(db); /* a write inside a read request gets its own transaction */
	assert(!db->in_tx && !db->tx_hook.data);
	if (tx_exec(db, db->drv->begin_sql, err) < 0)
		return -1;
	db->in_tx = true;
	db->plans_deferred = false; /* what a failed transaction put off went with it */
	db->nplans = 0;
	return 0;
}

/* take_hook takes the deferred work off the connection (so that work it does is not
 * deferred again). */
static struct db_tx_hook take_hook(struct db *db)
{
	struct db_tx_hook h = db->tx_hook;
	db->tx_hook = (struct db_tx_hook){0};
	return h;
}

int db_commit(struct db *db, struct nc_err *err)
{
	assert(db->in_tx);
	struct db_tx_hook h = take_hook(db);
	if (h.data && h.before_commit(db, h.data, err) < 0) {
		db_rollback(db);
		return -1;
	}
	if (tx_exec(db, "COMMIT", err) < 0) {
		db_rollback(db);
		return -1;
	}
	db->in_tx = false;
	return 0;
}

void db_rollback(struct db *db)
{
	struct db_tx_hook h = take_hook(db);
	if (h.data)
		h.discard(h.data);
	if (!db->in_tx)
		return;
	tx_exec(db, "ROLLBACK", NULL);
	db->in_tx = false;
}

bool db_in_tx(const struct db *db)
{
	return db->in_tx;
}

int db_bulk(struct db *db, bool on, struct nc_err *err)
{
	return db->drv->bulk ? db->drv->bulk(db, on, err) : 0;
}

int db_reads_mostly(struct db *db, struct nc_err *err)
{
	db->reads_mostly = true;
	return db->drv->bulk ? db->drv->bulk(db, false, err) : 0;
}

static void bindv(struct db_stmt *st, const char *fmt, va_list ap)
{
	int idx = 1;
	for (const char *f = fmt; f && *f; f++, idx++) {
		switch (*f) {
		case 'i':
			db_bind_int(st, idx, va_arg(ap, int64_t));
			break;
		case 'o':
			db_bind_opt_int(st, idx, va_arg(ap, int64_t));
			break;
		case 't':
			db_bind_text(st, idx, va_arg(ap, const char *));
			break;
		case 'n':
			db_bind_null(st, idx);
			break;
		default:
			assert(!"bad db bind format");
		}
	}
}

struct db_stmt *db_preparef(struct db *db, struct nc_err *err, const char *sql, const char *fmt,
			    ...)
{
	struct db_stmt *st = db_prepare(db, sql, err);
	if (!st)
		return NULL;
	va_list ap;
	va_start(ap, fmt);
	bindv(st, fmt, ap);
	va_end(ap);
	return st;
}

int db_run(struct db *db, struct nc_err *err, const char *sql, const char *fmt, ...)
{
	struct db_stmt *st = db_prepare(db, sql, err);
	if (!st)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	bindv(st, fmt, ap);
	va_end(ap);
	int rc = db_step(st, err);
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int db_get_int(struct db *db, struct nc_err *err, int64_t *out, const char *sql, const char *fmt,
	       ...)
{
	struct db_stmt *st = db_prepare(db, sql, err);
	if (!st)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	bindv(st, fmt, ap);
	va_end(ap);
	int rc = db_step(st, err);
	if (rc == 1)
		*out = db_col_int(st, 0);
	db_done(st);
	return rc;
}

int insert_id(struct db_stmt *st, int64_t *id, struct nc_err *err)
{
	int rc = db_step(st, err);
	if (rc == 1)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc == 0)
		return nc_error(err, NC_EDB, "database: insert returned no id");
	return rc < 0 ? -1 : 0;
}

int collect_rows(struct db_stmt *st, struct arena *a, size_t size, row_reader read, void **out,
		 size_t *n, struct nc_err *err)
{
	char *rows = NULL;
	size_t cap = 0, len = 0;
	int rc;
	while ((rc = db_step(st, err)) == 1) {
		rows = arena_grow_raw(a, rows, &cap, len, size);
		memset(rows + len * size, 0, size);
		read(st, a, rows + len * size);
		len++;
	}
	db_done(st);
	*out = rows;
	*n = len;
	return rc < 0 ? -1 : 0;
}

static int copy(struct db *db, const char *path, bool from_file, int max_version,
		struct nc_err *err)
{
	if (!db->drv->copy)
		return nc_error(err, NC_EINVAL,
				"%s: back up and restore a PostgreSQL database with pg_dump and "
				"pg_restore (docs/scaling.md)",
				from_file ? "restore" : "backup");
	if (db->in_tx || db->in_read)
		return nc_error(err, NC_EDB, "a backup cannot run inside a transaction");
	return db->drv->copy(db, path, from_file, max_version, err);
}

int db_backup(struct db *db, const char *path, struct nc_err *err)
{
	return copy(db, path, false, 0, err);
}

int db_restore(struct db *db, const char *path, int max_version, struct nc_err *err)
{
	return copy(db, path, true, max_version, err);
}
