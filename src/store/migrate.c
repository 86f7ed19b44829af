/* migrate.c - applies the embedded migrations and guards against newer databases. */
#include "store/migrate.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/embed.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <stddef.h>
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

/* ident_end gives the end of the SQL name (letters, digits, '_', not a digit first) at s. */
static const char *ident_end(const char *s)
{
	const char *e = s;
	while ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || *e == '_' ||
	       (e > s && *e >= '0' && *e <= '9'))
		e++;
	return e;
}

/* migrate_add_columns: see migrate.h. */
int migrate_add_columns(struct db *db, const char *in, struct buf *out, struct nc_err *err)
{
	static const char alter[] = "ALTER TABLE ", add[] = " ADD COLUMN IF NOT EXISTS ";
	const char *p = in, *a;
	while ((a = strstr(p, alter))) {
		const char *t = a + strlen(alter), *te = ident_end(t);
		if (te == t || strncmp(te, add, strlen(add)) != 0) {
			buf_add(out, p, (size_t)(te - p));
			p = te;
			continue;
		}
		const char *c = te + strlen(add), *ce = ident_end(c), *semi = strchr(ce, ';');
		char table[64], column[64];
		if (ce == c || !semi || te - t >= (ptrdiff_t)sizeof(table) ||
		    ce - c >= (ptrdiff_t)sizeof(column))
			return nc_error(err, NC_EINVAL,
					"\"%.*s\": want ALTER TABLE name ADD COLUMN IF NOT EXISTS "
					"name ...;",
					(int)(ce - a > 80 ? 80 : ce - a), a);
		snprintf(table, sizeof(table), "%.*s", (int)(te - t), t);
		snprintf(column, sizeof(column), "%.*s", (int)(ce - c), c);
		int64_t has = 0;
		if (db_get_int(db, err, &has,
			       "SELECT count(*) FROM pragma_table_info($1) WHERE name = $2", "tt",
			       table, column) < 0)
			return -1;
		buf_add(out, p, (size_t)(a - p));
		if (!has) {
			buf_add(out, a, (size_t)(te - a));
			buf_adds(out, " ADD COLUMN ");
			buf_add(out, c, (size_t)(semi + 1 - c));
		}
		p = semi + 1;
	}
	buf_adds(out, p);
	return 0;
}

/* expand_tokens appends text to out with each of the n tokens replaced by its value. */
static void expand_tokens(const char *text, const char *const *tokens, const char *const *values,
			  size_t n, struct buf *out)
{
	const char *p = text;
	for (;;) {
		const char *best = NULL;
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
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

/* expand keeps the text meant for db's driver (migrate_sections) and replaces the driver
 * tokens: @ID@ by the key type, @BINARY@ by the clause that orders a text column by bytes,
 * @NOROWID@ (after a CREATE TABLE's closing parenthesis) by SQLite's WITHOUT ROWID (PostgreSQL's
 * tables have no rowid: nothing); on SQLite it then settles each ADD COLUMN IF NOT EXISTS
 * (migrate_add_columns). */
static int expand(struct db *db, const char *sql, struct buf *out, struct nc_err *err)
{
	static const char *const tokens[] = {"@ID@", "@BINARY@", "@NOROWID@"};
	bool sqlite = strcmp(db_driver_name(db), "sqlite") == 0;
	const char *const values[] = {db->drv->id_type, db->drv->binary_collation,
				      sqlite ? " WITHOUT ROWID" : ""};
	struct buf mine, expanded;
	buf_init(&mine, 0);
	buf_init(&expanded, 0);
	int rc = migrate_sections(sql, db_driver_name(db), &mine, err);
	if (rc == 0 && !sqlite) {
		expand_tokens(mine.data, tokens, values, 3, out);
	} else if (rc == 0) {
		expand_tokens(mine.data, tokens, values, 3, &expanded);
		rc = migrate_add_columns(db, expanded.data, out, err);
	}
	buf_release(&expanded);
	buf_release(&mine);
	return rc;
}

/* count_in gives how many times needle occurs in hay (not overlapping). */
static int count_in(const char *hay, const char *needle)
{
	int n = 0;
	size_t len = strlen(needle);
	for (const char *p = hay; len && (p = strstr(p, needle)); p += len)
		n++;
	return n;
}

/* rewrite_one replaces in table tbl's CREATE TABLE text (in sqlite_schema, writable_schema on)
 * the one occurrence of old by new; a text that is not there exactly once is refused, unless the
 * table has new once and no old (rewritten before). */
static int rewrite_one(struct db *db, const char *tbl, const char *old, const char *new,
		       struct nc_err *err)
{
	struct db_stmt *st = db_preparef(
	    db, err, "SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND name = $1", "t",
	    tbl);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	char *sql = rc == 1 ? xstrdup(db_col_text(st, 0)) : NULL;
	db_done(st);
	if (rc < 0)
		return -1;
	int found = sql ? count_in(sql, old) : 0;
	if (found == 0 && sql && count_in(sql, new) == 1) {
		free(sql); /* rewritten already (the migration's row was deleted by hand) */
		return 0;
	}
	if (found != 1) {
		free(sql);
		return nc_error(
		    err, NC_EDB,
		    "table %s: its CREATE TABLE text has \"%.60s\" %d times, not once (the "
		    "schema differs from the one this migration rewrites): nothing changed",
		    tbl, old, found);
	}
	struct buf out;
	buf_init(&out, 0);
	const char *at = strstr(sql, old);
	buf_add(&out, sql, (size_t)(at - sql));
	buf_adds(&out, new);
	buf_adds(&out, at + strlen(old));
	free(sql);
	rc = db_run(db, err,
		    "UPDATE main.sqlite_schema SET sql = $2 WHERE type = 'table' AND name = $1",
		    "tt", tbl, out.data);
	buf_release(&out);
	return rc < 0 ? -1 : 0;
}

/* schema_rewrite: a SQLite migration that must change a table's constraints without rebuilding
 * it (a change no stored row can see) lists the texts in temp.schema_rewrite (tbl, old, new),
 * in order. Here, in the migration's transaction, each old is replaced by new in its table's
 * CREATE TABLE text, schema_version is incremented (other connections read the schema again)
 * and this connection's schema is reloaded and parsed (sqlite.org/lang_altertable.html, "Making
 * Other Kinds Of Table Schema Changes"). An old text not found exactly once (nor new instead)
 * fails the migration, which rolls everything back. */
static int schema_rewrite(struct db *db, struct nc_err *err)
{
	int64_t n = 0;
	if (db_get_int(db, err, &n,
		       "SELECT count(*) FROM sqlite_temp_master WHERE type = 'table' AND "
		       "name = 'schema_rewrite'",
		       "") < 0)
		return -1;
	if (!n)
		return 0;
	struct buf rows; /* tbl, old, new of each row, NUL-separated */
	buf_init(&rows, 0);
	size_t nrows = 0;
	struct db_stmt *st =
	    db_prepare(db, "SELECT tbl, old, new FROM temp.schema_rewrite ORDER BY rowid", err);
	if (!st) {
		buf_release(&rows);
		return -1;
	}
	int rc;
	while ((rc = db_step(st, err)) == 1) {
		for (int c = 0; c < 3; c++) {
			const char *t = db_col_null(st, c) ? "" : db_col_text(st, c);
			buf_add(&rows, t, strlen(t) + 1);
		}
		nrows++;
	}
	db_done(st);
	int64_t version = 0;
	if (rc < 0 || buf_failed(&rows) ||
	    db_get_int(db, err, &version, "PRAGMA schema_version", "") < 0 ||
	    db_exec(db, "PRAGMA writable_schema = ON", err) < 0) {
		buf_release(&rows);
		return -1;
	}
	rc = 0;
	const char *p = rows.data;
	for (size_t i = 0; i < nrows && rc == 0; i++) {
		const char *tbl = p, *old = tbl + strlen(tbl) + 1, *new = old + strlen(old) + 1;
		p = new + strlen(new) + 1;
		rc = rewrite_one(db, tbl, old, new, err);
	}
	buf_release(&rows);
	if (rc < 0) {
		db_exec(db, "PRAGMA writable_schema = OFF", NULL);
		return -1;
	}
	char bump[64];
	snprintf(bump, sizeof bump, "PRAGMA schema_version = %lld", (long long)version + 1);
	if (db_exec(db, bump, err) < 0) {
		db_exec(db, "PRAGMA writable_schema = OFF", NULL);
		return -1;
	}
	/* RESET turns writable_schema off and drops this connection's parsed schema; the next
	 * statement reads it again, and fails here if a new text does not parse */
	if (db_exec(db, "PRAGMA writable_schema = RESET", err) < 0) {
		db_exec(db, "PRAGMA writable_schema = OFF", NULL);
		return -1;
	}
	if (db_exec(db, "DROP TABLE temp.schema_rewrite", err) < 0 ||
	    db_get_int(db, err, &n, "SELECT count(*) FROM main.sqlite_schema", "") < 0)
		return -1;
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
	if (db_exec(db, sql.data, err) < 0 ||
	    (strcmp(db_driver_name(db), "sqlite") == 0 && schema_rewrite(db, err) < 0))
		goto fail;
	if (db_run(db, err,
		   "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, "
		   "$2, $3)",
		   "iti", (int64_t)n, f->name, nc_now()) < 0)
		goto fail;
	/* migrations whose data is computed in C run their hook in the same transaction */
	if ((n == 3 && store_client_terms_rebuild(db, err) < 0) ||
	    (n == 4 && store_client_plans_rebuild(db, err) < 0) ||
	    (n == 8 && store_report_months_rebuild(db, err) < 0) ||
	    (n == 18 && store_script_counts_rebuild(db, err) < 0))
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
	return migrate_apply_to(db, migrate_latest(), applied, err);
}

int migrate_apply_to(struct db *db, int last, int *applied, struct nc_err *err)
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
		if (n <= cur || n > last)
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
