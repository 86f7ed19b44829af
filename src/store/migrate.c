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

int migrate_sections(const char *sql, const char *driver, struct buf *out, struct nc_err *err)
{
	/* the section a line is in: NULL for every driver's text, else the driver named */
	const char *section = NULL;
	int line = 0;
	for (const char *p = sql; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) + 1 : strlen(p);
		size_t text = len;
		while (text && (p[text - 1] == '\n' || p[text - 1] == '\r' || p[text - 1] == ' ' ||
				p[text - 1] == '\t'))
			text--;
		line++;
		if (text > 4 && memcmp(p, "-- @", 4) == 0) {
			const char *word = p + 4;
			size_t wlen = text - 4;
			if (wlen == 3 && memcmp(word, "end", 3) == 0) {
				if (!section)
					return nc_error(err, NC_EINVAL,
							"line %d: \"-- @end\" outside a section",
							line);
				section = NULL;
			} else if ((wlen == 6 && memcmp(word, "sqlite", 6) == 0) ||
				   (wlen == 8 && memcmp(word, "postgres", 8) == 0)) {
				section = wlen == 6 ? "sqlite" : "postgres";
			} else {
				return nc_error(err, NC_EINVAL, "line %d: unknown section \"%.*s\"",
						line, (int)(text > 40 ? 40 : text), p);
			}
		} else if (!section || strcmp(section, driver) == 0) {
			buf_add(out, p, len);
		}
		p += len;
	}
	if (section)
		return nc_error(err, NC_EINVAL, "the %s section has no \"-- @end\"", section);
	return 0;
}

/* expand keeps the text meant for db's driver (migrate_sections) and replaces the driver
 * tokens: @ID@ by the key type, @BINARY@ by the clause that orders a text column by bytes,
 * @NOROWID@ (after a CREATE TABLE's closing parenthesis) by SQLite's WITHOUT ROWID (PostgreSQL's
 * tables have no rowid: nothing). */
static int expand(struct db *db, const char *sql, struct buf *out, struct nc_err *err)
{
	static const char *const tokens[] = {"@ID@", "@BINARY@", "@NOROWID@"};
	const char *values[] = {db->drv->id_type, db->drv->binary_collation,
				strcmp(db_driver_name(db), "sqlite") == 0 ? " WITHOUT ROWID" : ""};
	struct buf mine;
	buf_init(&mine, 0);
	if (migrate_sections(sql, db_driver_name(db), &mine, err) < 0) {
		buf_release(&mine);
		return -1;
	}
	const char *p = mine.data;
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
	buf_release(&mine);
	return 0;
}

static int apply_one(struct db *db, const struct embedded_file *f, int n, struct nc_err *err)
{
	struct buf sql;
	buf_init(&sql, 0);
	int rc = -1;
	if (expand(db, f->data, &sql, err) < 0) {
		char msg[sizeof(err->msg)];
		snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
		nc_error(err, NC_EDB, "migration %s: %s", f->name, msg);
		goto out;
	}
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
