/* q_users.c - the users table: insert, update, look-ups by login and id, the full list. */
#include "store/internal.h"
#include "store/store.h"

#include <string.h>

#define USER_COLS                                                                                  \
	"SELECT id, login, name, role, timezone, locale, extension, password_hash, active, "       \
	"created_at FROM users"

/* role_of reads a stored role; an unknown word gets the least privileged role. */
static enum role role_of(const char *s)
{
	int r = s ? role_parse(s) : -1;
	return r >= 0 && r < ROLE__COUNT ? (enum role)r : ROLE_REP;
}

static void read_user(struct db_stmt *st, struct arena *a, void *row)
{
	struct user_rec *u = row;
	memset(u, 0, sizeof(*u));
	u->id = db_col_int(st, 0);
	u->login = arena_strdup(a, db_col_text(st, 1));
	u->name = arena_strdup(a, db_col_text(st, 2));
	u->role = role_of(db_col_text(st, 3));
	u->timezone = arena_strdup(a, db_col_text(st, 4));
	u->locale = arena_strdup(a, db_col_text(st, 5));
	u->extension = arena_strdup(a, db_col_text(st, 6));
	u->password_hash = arena_strdup(a, db_col_text(st, 7));
	u->active = db_col_int(st, 8) == 1;
	u->created_at = db_col_int(st, 9);
}

void store_read_user(struct db_stmt *st, struct arena *a, void *row)
{
	read_user(st, a, row);
}

/* explain_conflict turns a unique violation into a message naming the taken login or extension
 * and the user holding it. The look-up may fail (PostgreSQL inside an aborted transaction);
 * then the driver's message stays. */
static void explain_conflict(struct db *db, const struct user_rec *u, int64_t self,
			     struct nc_err *err)
{
	struct nc_err tmp;
	int64_t other = 0;
	if (!err || err->code != NC_ECONFLICT)
		return;
	if (db_get_int(db, &tmp, &other, "SELECT id FROM users WHERE login = $1 AND id <> $2", "ti",
		       u->login, self) == 1) {
		nc_error_field(err, NC_ECONFLICT, "login", "login \"%s\" is already taken",
			       u->login);
		err->ref = other;
	} else if (u->extension &&
		   db_get_int(db, &tmp, &other,
			      "SELECT id FROM users WHERE extension = $1 AND id <> $2", "ti",
			      u->extension, self) == 1) {
		nc_error_field(err, NC_ECONFLICT, "extension", "extension \"%s\" is already taken",
			       u->extension);
		err->ref = other;
	}
}

int store_user_insert(struct db *db, const struct user_rec *u, int64_t *id, struct nc_err *err)
{
	struct db_stmt *st = db_preparef(
	    db, err,
	    "INSERT INTO users (login, name, role, timezone, locale, extension, password_hash, "
	    "active, created_at) VALUES ($1, $2, $3, coalesce($4, 'UTC'), coalesce($5, 'en'), "
	    "$6, $7, $8, $9) RETURNING id",
	    "tttttttii", u->login, u->name, role_name(u->role), u->timezone, u->locale,
	    u->extension, u->password_hash, (int64_t)(u->active ? 1 : 0), u->created_at);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc == 0)
		return nc_error(err, NC_EDB, "database: insert into users returned no id");
	if (rc < 0) {
		explain_conflict(db, u, 0, err);
		return -1;
	}
	return 0;
}

int store_user_update(struct db *db, const struct user_rec *u, struct nc_err *err)
{
	if (db_run(db, err,
		   "UPDATE users SET login = $2, name = $3, role = $4, timezone = coalesce($5, "
		   "'UTC'), locale = coalesce($6, 'en'), extension = $7, password_hash = $8, "
		   "active = $9 WHERE id = $1",
		   "ittttttti", u->id, u->login, u->name, role_name(u->role), u->timezone,
		   u->locale, u->extension, u->password_hash, (int64_t)(u->active ? 1 : 0)) < 0) {
		explain_conflict(db, u, u->id, err);
		return -1;
	}
	if (db_changes(db) == 0)
		return nc_error(err, NC_ENOTFOUND, "no user with id %lld", (long long)u->id);
	return 0;
}

/* get_one runs a one-row user query whose only parameter is already bound. */
static int get_one(struct db_stmt *st, struct arena *a, struct user_rec *out, struct nc_err *err)
{
	int rc = db_step(st, err);
	if (rc == 1)
		read_user(st, a, out);
	db_done(st);
	return rc;
}

int store_user_by_login(struct db *db, struct arena *a, const char *login, struct user_rec *out,
			struct nc_err *err)
{
	struct db_stmt *st = db_preparef(db, err, USER_COLS " WHERE login = $1", "t", login);
	return st ? get_one(st, a, out, err) : -1;
}

int store_user_by_extension(struct db *db, struct arena *a, const char *ext, struct user_rec *out,
			    struct nc_err *err)
{
	struct db_stmt *st =
	    db_preparef(db, err, USER_COLS " WHERE extension = $1 AND active = 1", "t", ext);
	return st ? get_one(st, a, out, err) : -1;
}

int store_user_by_id(struct db *db, struct arena *a, int64_t id, struct user_rec *out,
		     struct nc_err *err)
{
	struct db_stmt *st = db_preparef(db, err, USER_COLS " WHERE id = $1", "i", id);
	return st ? get_one(st, a, out, err) : -1;
}

int store_user_login(struct db *db, struct arena *a, int64_t id, const char **login,
		     struct nc_err *err)
{
	*login = NULL;
	struct db_stmt *st = db_preparef(db, err, "SELECT login FROM users WHERE id = $1", "i", id);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1)
		*login = arena_strdup(a, db_col_text(st, 0));
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int store_user_list(struct db *db, struct arena *a, struct user_rec **out, size_t *n,
		    struct nc_err *err)
{
	struct user_rec *rows = NULL;
	void *raw = NULL;
	size_t len = 0;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_prepare(db, USER_COLS " ORDER BY login, id", err);
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(*rows), read_user, &raw, &len, err) < 0)
		return -1;
	rows = raw;
	*out = rows;
	*n = len;
	return 0;
}
