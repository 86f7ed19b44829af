/* migrate.c - applies the embedded migrations and guards against newer databases. */
#include "store/migrate.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/embed.h"
#include "util/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int migrate_latest(void)
{
	int latest = 0;
	for (const struct embedded_file *f = embedded_migrations; f->name; f++) {
		int n = (int)strtol(f->name, NULL, 10);
		if (n > latest)
			latest = n;
	}
	return latest;
}

int migrate_current(struct db *db, int *version, struct nc_err *err)
{
	int64_t exists = 0;
	/* the same probe works on both drivers: a failed SELECT means no table yet */
	const char *probe = strcmp(db_driver_name(db), "sqlite") == 0
				? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
				  "name = 'schema_migrations'"
				: "SELECT count(*) FROM information_schema.tables WHERE "
				  "table_name = 'schema_migrations' AND table_schema = "
				  "current_schema()";
	if (db_get_int(db, err, &exists, probe, "") < 0)
		return -1;
	if (!exists) {
		*version = 0;
		return 0;
	}
	int64_t v = 0;
	if (db_get_int(db, err, &v, "SELECT coalesce(max(version), 0) FROM schema_migrations", "") <
	    0)
		return -1;
	*version = (int)v;
	return 0;
}

/* expand replaces the driver tokens: @ID@ by the key type, @BINARY@ by the clause that
 * orders a text column by bytes, @NOROWID@ (after a CREATE TABLE's closing parenthesis) by
 * SQLite's WITHOUT ROWID (PostgreSQL's tables have no rowid: nothing). */
static void expand(struct db *db, const char *sql, struct buf *out)
{
	static const char *const tokens[] = {"@ID@", "@BINARY@", "@NOROWID@"};
	const char *values[] = {db->drv->id_type, db->drv->binary_collation,
				strcmp(db_driver_name(db), "sqlite") == 0 ? " WITHOUT ROWID" : ""};
	const char *p = sql;
	for (;;) {
		const char *best = NULL;
		size_t k = 0;
		for (size_t i = 0; i < 3; i++) {
			const char *q = strstr(p, tokens[i]);
			if (q && (!best || q < best))
				best = q, k = i;
		}
		if (!best)
			break;
		buf_add(out, p, (size_t)(best - p));
		buf_adds(out, values[k]);
		p = best + strlen(tokens[k]);
	}
	buf_adds(out, p);
}

static int apply_one(struct db *db, const struct embedded_file *f, int n, struct nc_err *err)
{
	struct buf sql;
	buf_init(&sql, 0);
	expand(db, f->data, &sql);
	int rc = -1;
	if (db_begin(db, err) < 0)
		goto out;
	if (n == 1 && db_exec(db,
			      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
			      "PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
			      err) < 0)
		goto fail;
	if (db_exec(db, sql.data, err) < 0)
		goto fail;
	if (db_run(db, err,
		   "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, "
		   "$2, $3)",
		   "iti", (int64_t)n, f->name, nc_now()) < 0)
		goto fail;
	/* migrations whose data is computed in C run their hook in the same transaction */
	if ((n == 3 && store_client_terms_rebuild(db, err) < 0) ||
	    (n == 4 && store_client_plans_rebuild(db, err) < 0) ||
	    (n == 8 && store_report_months_rebuild(db, err) < 0))
		goto fail;
	rc = db_commit(db, err);
	goto out;
fail:
	db_rollback(db);
	{
		char msg[sizeof(err->msg)];
		snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
		nc_error(err, NC_EDB, "migration %s failed: %s", f->name, msg);
	}
out:
	buf_release(&sql);
	return rc;
}

int migrate_apply(struct db *db, int *applied, struct nc_err *err)
{
	int cur;
	*applied = 0;
	if (migrate_current(db, &cur, err) < 0)
		return -1;
	int latest = migrate_latest();
	if (cur > latest)
		return nc_error(err, NC_EVERSION,
				"database schema version %d was written by a newer nextcall (this "
				"one knows up to %d): upgrade nextcall",
				cur, latest);
	for (const struct embedded_file *f = embedded_migrations; f->name; f++) {
		int n = (int)strtol(f->name, NULL, 10);
		if (n <= cur)
			continue;
		if (apply_one(db, f, n, err) < 0)
			return -1;
		(*applied)++;
	}
	return 0;
}

int migrate_check(struct db *db, struct nc_err *err)
{
	int cur;
	if (migrate_current(db, &cur, err) < 0)
		return -1;
	int latest = migrate_latest();
	if (cur > latest)
		return nc_error(err, NC_EVERSION,
				"database schema version %d was written by a newer nextcall (this "
				"one knows up to %d): upgrade nextcall",
				cur, latest);
	if (cur == 0)
		return nc_error(err, NC_EVERSION,
				"database is not initialised: run \"nextcall init\" first");
	if (cur < latest)
		return nc_error(err, NC_EVERSION,
				"database schema version %d is older than this nextcall's %d: run "
				"\"nextcall init\" to upgrade it",
				cur, latest);
	return 0;
}
