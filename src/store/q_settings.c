/* q_settings.c - stored setting overrides (one row per key) and the append-only audit log. */
#include "store/internal.h"
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

static void read_kv(struct db_stmt *st, struct arena *a, void *row)
{
	struct setting_kv *kv = row;
	kv->key = arena_strdup(a, db_col_text(st, 0));
	kv->value = arena_strdup(a, db_col_text(st, 1));
}

int store_settings_all(struct db *db, struct arena *a, struct setting_kv **out, size_t *n,
		       struct nc_err *err)
{
	void *raw = NULL;
	struct db_stmt *st = db_prepare(db, "SELECT key, value FROM settings ORDER BY key", err);
	if (!st || collect_rows(st, a, sizeof(struct setting_kv), read_kv, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
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
