/* q_settings.c - stored setting overrides (one row per key) and the append-only audit log. */
#include "store/store.h"

int store_setting_get(struct db *db, struct arena *a, const char *key, const char **value,
		      struct nc_err *err)
{
	struct db_stmt *st =
	    db_preparef(db, err, "SELECT value FROM settings WHERE key = $1", "t", key);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1)
		*value = arena_strdup(a, db_col_text(st, 0));
	db_done(st);
	return rc;
}

int store_setting_put(struct db *db, const char *key, const char *value, int64_t now,
		      struct nc_err *err)
{
	return db_run(db, err,
		      "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) "
		      "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
		      "updated_at = excluded.updated_at",
		      "tti", key, value, now);
}

int store_audit(struct db *db, int64_t now, const char *actor, const char *action,
		const char *entity, int64_t entity_id, const char *detail, struct nc_err *err)
{
	return db_run(db, err,
		      "INSERT INTO audit_log (at, actor, action, entity, entity_id, detail) "
		      "VALUES ($1, $2, $3, $4, $5, $6)",
		      "itttot", now, actor, action, entity, entity_id, detail);
}
