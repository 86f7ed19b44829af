/* backup.c - "nextcall backup" and "nextcall restore": a consistent copy of the team's SQLite
 * database taken while the server writes, and bringing such a copy back (upgraded to this
 * nextcall's schema when it is older). PostgreSQL teams use pg_dump (docs/scaling.md). */
#include "app/internal.h"
#include "store/migrate.h"

#include <string.h>

static int check_path(const char *path, struct nc_err *err)
{
	if (!path || !*path || strlen(path) > 1000)
		return nc_error_field(err, NC_EINVAL, "file", "file: a path of 1 to 1000 bytes");
	return 0;
}

int app_backup(struct app *app, const char *path, struct nc_err *err)
{
	if (app_require_role(app, ROLE_ADMIN, err) < 0 || check_path(path, err) < 0)
		return -1;
	if (db_backup(app->db, path, err) < 0)
		return -1;
	return store_audit(app->db, app->now, actor_login(app), "db.backup", "database", 0, path,
			   err);
}

int app_restore(struct app *app, const char *path, int *applied, struct nc_err *err)
{
	*applied = 0;
	if (app_require_role(app, ROLE_ADMIN, err) < 0 || check_path(path, err) < 0)
		return -1;
	if (db_restore(app->db, path, migrate_latest(), err) < 0 ||
	    migrate_apply(app->db, applied, err) < 0)
		return -1;
	return store_audit(app->db, app->now, actor_login(app), "db.restore", "database", 0, path,
			   err);
}
