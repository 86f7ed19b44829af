/* db_pg.c - the PostgreSQL driver over libpq: statements are server-side prepared statements
 * with a unique name per connection, values travel as text, and a statement's rows are fetched
 * whole on its first step. */
#include "store/db.h"
#include "util/xmalloc.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARAMS 64

struct pg_conn {
	PGconn *c;
	unsigned long next_name; /* statement names s1, s2, ... are unique per connection */
	int64_t changes;	 /* rows changed by the last finished statement */
	bool aborted_retry;	 /* the last failure was retryable (see pg_fail) */
};

struct pg_stmt {
	char name[24];
	int nparams;
	char *val[MAX_PARAMS]; /* bound values as text (NULL: SQL NULL), owned */
	PGresult *res;	       /* after the first step */
	int row;	       /* the current row, -1 before the first */
};

/* retryable: SQLSTATEs after which the whole transaction may succeed when run again:
 * serialization_failure, deadlock_detected and lock_not_available. */
static bool retryable(const char *state)
{
	return state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
			 strcmp(state, "55P03") == 0);
}

/* pg_fail maps a failed result's SQLSTATE onto our error codes. A retryable failure is NC_EBUSY
 * with err->retry set; so is every later "current transaction is aborted" (25P02) of the same
 * transaction, because the caller may carry on after ignoring the first error. */
static int pg_fail(struct pg_conn *pc, const PGresult *r, struct nc_err *err)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	enum nc_code code = NC_EDB;
	bool retry = retryable(state) || (pc->aborted_retry && state && !strcmp(state, "25P02"));
	if (state && strcmp(state, "23505") == 0)
		code = NC_ECONFLICT;
	else if (state && strncmp(state, "23", 2) == 0)
		code = NC_EINVAL;
	else if (retry)
		code = NC_EBUSY;
	pc->aborted_retry = retry;
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg)
		msg = PQerrorMessage(pc->c);
	/* messages never carry CR/LF: keep the first line */
	size_t n = strcspn(msg, "\r\n");
	nc_error(err, code, "database: %.*s", (int)n, msg);
	if (err)
		err->retry = retry;
	return -1;
}

static int pg_exec(struct db *db, const char *sql, struct nc_err *err)
{
	struct pg_conn *pc = db->conn;
	PGresult *r = PQexec(pc->c, sql);
	ExecStatusType s = PQresultStatus(r);
	int rc = 0;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY)
		rc = pg_fail(pc, r, err);
	PQclear(r);
	return rc;
}

static void pg_notice(void *arg, const char *msg)
{
	/* NOTICEs (e.g. "relation already exists, skipping") are not for our users */
}

static int pg_open(struct db *db, const char *target, struct nc_err *err)
{
	PGconn *c = PQconnectdb(target);
	if (PQstatus(c) != CONNECTION_OK) {
		const char *msg = PQerrorMessage(c);
		size_t n = strcspn(msg, "\r\n");
		nc_error_field(err, NC_EDB, "db", "cannot connect to \"%s\": %.*s", target, (int)n,
			       msg);
		PQfinish(c);
		return -1;
	}
	PQsetNoticeProcessor(c, pg_notice, NULL);
	struct pg_conn *pc = xcalloc(1, sizeof(*pc));
	pc->c = c;
	db->conn = pc;
	/* times are epoch seconds computed by us; keep the session free of local conventions */
	if (pg_exec(db, "SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'", err) < 0) {
		PQfinish(c);
		free(pc);
		db->conn = NULL;
		return -1;
	}
	return 0;
}

static void pg_close(struct db *db)
{
	struct pg_conn *pc = db->conn;
	if (!pc)
		return;
	PQfinish(pc->c);
	free(pc);
	db->conn = NULL;
}

static int pg_prepare(struct db *db, const char *sql, struct db_stmt *st, struct nc_err *err)
{
	struct pg_conn *pc = db->conn;
	struct pg_stmt *x = xcalloc(1, sizeof(*x));
	snprintf(x->name, sizeof(x->name), "s%lu", ++pc->next_name);
	x->row = -1;
	PGresult *r = PQprepare(pc->c, x->name, sql, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pg_fail(pc, r, err);
		PQclear(r);
		free(x);
		return -1;
	}
	PQclear(r);
	r = PQdescribePrepared(pc->c, x->name);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pg_fail(pc, r, err);
		PQclear(r);
		free(x);
		return -1;
	}
	x->nparams = PQnparams(r);
	PQclear(r);
	if (x->nparams > MAX_PARAMS) {
		free(x);
		return nc_error(err, NC_EDB, "database: too many parameters");
	}
	st->handle = NULL;
	st->extra = x;
	return 0;
}

static void clear_binds(struct pg_stmt *x)
{
	for (int i = 0; i < MAX_PARAMS; i++) {
		free(x->val[i]);
		x->val[i] = NULL;
	}
}

static void pg_reset(struct db_stmt *st)
{
	struct pg_stmt *x = st->extra;
	PQclear(x->res);
	x->res = NULL;
	x->row = -1;
	clear_binds(x);
}

static void pg_finalize(struct db_stmt *st)
{
	struct pg_stmt *x = st->extra;
	struct pg_conn *pc = st->db->conn;
	pg_reset(st);
	if (pc && PQstatus(pc->c) == CONNECTION_OK) {
		char sql[48];
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", x->name);
		PQclear(PQexec(pc->c, sql));
	}
	free(x);
}

static void set_val(struct db_stmt *st, int idx, char *v)
{
	struct pg_stmt *x = st->extra;
	if (idx < 1 || idx > x->nparams) {
		free(v); /* like SQLite: binding a $N the text does not use does nothing */
		return;
	}
	free(x->val[idx - 1]);
	x->val[idx - 1] = v;
}

static void pg_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	char tmp[24];
	snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	set_val(st, idx, xstrdup(tmp));
}

static void pg_bind_text(struct db_stmt *st, int idx, const char *s)
{
	set_val(st, idx, xstrdup(s));
}

static void pg_bind_null(struct db_stmt *st, int idx)
{
	set_val(st, idx, NULL);
}

static int pg_step(struct db_stmt *st, struct nc_err *err)
{
	struct pg_stmt *x = st->extra;
	struct pg_conn *pc = st->db->conn;
	if (!x->res) {
		PGresult *r = PQexecPrepared(pc->c, x->name, x->nparams,
					     (const char *const *)x->val, NULL, NULL, 0);
		ExecStatusType s = PQresultStatus(r);
		if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
			pg_fail(pc, r, err);
			PQclear(r);
			return -1;
		}
		const char *n = PQcmdTuples(r);
		pc->changes = *n ? strtoll(n, NULL, 10) : 0;
		x->res = r;
		x->row = -1;
	}
	if (x->row + 1 < PQntuples(x->res)) {
		x->row++;
		return 1;
	}
	x->row = PQntuples(x->res);
	return 0;
}

static bool in_row(const struct pg_stmt *x, int col)
{
	return x->res && x->row >= 0 && x->row < PQntuples(x->res) && col >= 0 &&
	       col < PQnfields(x->res);
}

static int64_t pg_col_int(struct db_stmt *st, int col)
{
	struct pg_stmt *x = st->extra;
	if (!in_row(x, col) || PQgetisnull(x->res, x->row, col))
		return 0;
	const char *v = PQgetvalue(x->res, x->row, col);
	if (v[0] == 't' && !v[1]) /* a boolean expression */
		return 1;
	if (v[0] == 'f' && !v[1])
		return 0;
	return strtoll(v, NULL, 10);
}

static const char *pg_col_text(struct db_stmt *st, int col)
{
	struct pg_stmt *x = st->extra;
	if (!in_row(x, col) || PQgetisnull(x->res, x->row, col))
		return NULL;
	return PQgetvalue(x->res, x->row, col);
}

static bool pg_col_null(struct db_stmt *st, int col)
{
	struct pg_stmt *x = st->extra;
	return !in_row(x, col) || PQgetisnull(x->res, x->row, col);
}

static int64_t pg_changes(struct db *db)
{
	struct pg_conn *pc = db->conn;
	return pc->changes;
}

/* Writes run in READ COMMITTED: like SQLite's BEGIN IMMEDIATE, every statement of a write
 * transaction sees the latest commits and concurrent writers wait on row locks rather than
 * fail. Two writers can still lock rows in opposite orders: the deadlock that PostgreSQL then
 * breaks (40P01) is marked err->retry, and app/ runs the transaction again (app_retry). Reads use
 * REPEATABLE READ so that the many small queries of one request share one snapshot, as a deferred
 * SQLite read does; it is not READ ONLY because SQLite lets a statement write inside a read
 * transaction too. data_version is NULL: db_version gives 0 and the answer cache never caches on
 * PostgreSQL. */
const struct db_driver db_pg_driver = {
    .name = "postgres",
    .id_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    .binary_collation = "COLLATE \"C\"",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_null = pg_col_null,
    .reset = pg_reset,
    .changes = pg_changes,
    .data_version = NULL,
    .begin_sql = "BEGIN ISOLATION LEVEL READ COMMITTED",
    .begin_read_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ",
};
