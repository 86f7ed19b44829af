/* migrate.h - numbered schema migrations embedded in the binary (src/store/migrations), applied in
 * order by "nextcall init"; a database written by a newer nextcall is refused. */
#ifndef NC_MIGRATE_H
#define NC_MIGRATE_H

#include "store/db.h"
#include "util/buf.h"

/* migrate_latest gives the highest migration number this binary knows. */
int migrate_latest(void);

/* migrate_current gives the database's schema version in *version (0 for an empty database). */
int migrate_current(struct db *db, int *version, struct nc_err *err);

/* migrate_apply applies every pending migration, each in its own transaction; *applied gets how
 * many ran. NC_EVERSION when the database is newer than this binary. On SQLite a migration may
 * change tables' constraints without rebuilding them by filling temp.schema_rewrite (tbl, old,
 * new): each old text is replaced by new in its table's CREATE TABLE text, in the migration's
 * transaction, and the schema is reloaded (an old text not there exactly once fails it, unless
 * the table has new instead: rewritten before). */
int migrate_apply(struct db *db, int *applied, struct nc_err *err);
/* migrate_apply_to applies the pending migrations up to number last only (a database as an
 * older nextcall left it, for tests). */
int migrate_apply_to(struct db *db, int last, int *applied, struct nc_err *err);

/* migrate_check succeeds when the schema is exactly current; otherwise NC_EVERSION with a message
 * saying to run "nextcall init" (older) or to upgrade nextcall (newer). */
int migrate_check(struct db *db, struct nc_err *err);

/* migrate_sections appends to out the text of a migration meant for driver ("sqlite" or
 * "postgres"). A migration is the same SQL for both drivers, but for sections: a line
 * "-- @sqlite" or "-- @postgres" starts text that only that driver runs (a trigger's body, say),
 * and "-- @end" returns to text for both. The marker lines themselves are dropped. NC_EINVAL for
 * another "-- @" line, an "-- @end" outside a section, or a section left open at the end. */
int migrate_sections(const char *sql, const char *driver, struct buf *out, struct nc_err *err);

/* migrate_add_columns appends in to out for SQLite, which has no "ALTER TABLE t ADD COLUMN IF NOT
 * EXISTS c ..." (PostgreSQL has): such a statement loses its "IF NOT EXISTS " when db's table t
 * has no column c yet, and is left out, up to its ';', when it has one, so that a migration
 * adding a column may run again (its row in schema_migrations deleted by hand), as the others
 * may. The text is not parsed as SQL: such words in a comment would be taken as the statement
 * too. NC_EINVAL, naming the statement, when no column name or no ';' follows. */
int migrate_add_columns(struct db *db, const char *in, struct buf *out, struct nc_err *err);

#endif
