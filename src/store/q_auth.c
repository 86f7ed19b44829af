/* q_auth.c - sessions, API tokens and login attempts. Only hashes of secrets are stored. */
#include "store/internal.h"
#include "store/store.h"

int store_session_insert(struct db *db, const struct session_rec *s, struct nc_err *err)
{
	return db_run(
	    db, err,
	    "INSERT INTO sessions (id_hash, user_id, csrf, created_at, seen_at, expires_at, "
	    "addr, user_agent) VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
	    "titiitt", s->id_hash, s->user_id, s->csrf, s->created_at, s->expires_at, s->addr,
	    s->user_agent);
}

int store_session_get(struct db *db, struct arena *a, const char *id_hash, struct session_rec *out,
		      struct nc_err *err)
{
	struct db_stmt *st = db_preparef(db, err,
					 "SELECT user_id, csrf, created_at, seen_at, expires_at "
					 "FROM sessions WHERE id_hash = $1",
					 "t", id_hash);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1) {
		out->id_hash = arena_strdup(a, id_hash);
		out->user_id = db_col_int(st, 0);
		out->csrf = arena_strdup(a, db_col_text(st, 1));
		out->created_at = db_col_int(st, 2);
		out->seen_at = db_col_int(st, 3);
		out->expires_at = db_col_int(st, 4);
	}
	db_done(st);
	return rc;
}

int store_session_touch(struct db *db, const char *id_hash, int64_t now, int64_t expires_at,
			struct nc_err *err)
{
	return db_run(db, err,
		      "UPDATE sessions SET seen_at = $2, expires_at = $3 WHERE id_hash = $1", "tii",
		      id_hash, now, expires_at);
}

int store_session_delete(struct db *db, const char *id_hash, struct nc_err *err)
{
	return db_run(db, err, "DELETE FROM sessions WHERE id_hash = $1", "t", id_hash);
}

int store_sessions_expire(struct db *db, int64_t now, struct nc_err *err)
{
	return db_run(db, err, "DELETE FROM sessions WHERE expires_at < $1", "i", now);
}

int store_token_insert(struct db *db, int64_t user_id, const char *name, const char *hash,
		       int64_t now, int64_t *id, struct nc_err *err)
{
	struct db_stmt *st = db_preparef(db, err,
					 "INSERT INTO api_tokens (user_id, name, token_hash, "
					 "created_at) VALUES ($1, $2, $3, $4) RETURNING id",
					 "itti", user_id, name, hash, now);
	return st ? insert_id(st, id, err) : -1;
}

int store_token_user(struct db *db, struct arena *a, const char *hash, int64_t now,
		     struct user_rec *user, int64_t *used_out, struct nc_err *err)
{
	/* the token and its user in one look-up: the user's columns first, in store_read_user's
	 * order (q_users.c's USER_COLS), then the token's */
	struct db_stmt *st = db_preparef(
	    db, err,
	    "SELECT u.id, u.login, u.name, u.role, u.timezone, u.locale, u.extension, "
	    "u.password_hash, u.active, u.created_at, t.id, coalesce(t.last_used_at, 0) FROM "
	    "api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND "
	    "t.revoked_at IS NULL",
	    "t", hash);
	if (!st)
		return -1;
	int64_t id = 0, used = 0;
	int rc = db_step(st, err);
	if (rc == 1) {
		store_read_user(st, a, user);
		id = db_col_int(st, 10);
		used = db_col_int(st, 11);
	}
	db_done(st);
	if (rc <= 0)
		return rc;
	/* the last use is kept to the minute: a write (and its fsync) per request would cost
	 * more than the request */
	*used_out = now - used < 60 ? used : now;
	if (now - used < 60)
		return 1;
	return db_run(db, err, "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1", "ii", id,
		      now) < 0
		   ? -1
		   : 1;
}

int store_token_revoke(struct db *db, int64_t id, const char *hash, int64_t now, int64_t *n,
		       struct nc_err *err)
{
	if (db_run(db, err,
		   "UPDATE api_tokens SET revoked_at = $3 WHERE (id = $1 OR token_hash = $2) AND "
		   "revoked_at IS NULL",
		   "iti", id, hash ? hash : "", now) < 0)
		return -1;
	*n = db_changes(db);
	return 0;
}

int store_login_attempt(struct db *db, int64_t now, const char *login, const char *addr, bool ok,
			struct nc_err *err)
{
	return db_run(db, err,
		      "INSERT INTO login_attempts (at, login, addr, ok) VALUES ($1, $2, $3, $4)",
		      "itti", now, login, addr, (int64_t)ok);
}

int store_login_failures(struct db *db, const char *login, const char *addr, int64_t since,
			 int64_t *by_login, int64_t *by_addr, int64_t *oldest, struct nc_err *err)
{
	if (db_get_int(
		db, err, by_login,
		"SELECT count(*) FROM login_attempts WHERE login = $1 AND at >= $2 AND ok = 0",
		"ti", login, since) < 0 ||
	    db_get_int(
		db, err, by_addr,
		"SELECT count(*) FROM login_attempts WHERE addr = $1 AND at >= $2 AND ok = 0", "ti",
		addr, since) < 0)
		return -1;
	*oldest = since;
	return db_get_int(db, err, oldest,
			  "SELECT coalesce(min(at), $3) FROM login_attempts WHERE (login = $1 OR "
			  "addr = $2) AND at >= $3 AND ok = 0",
			  "tti", login, addr, since) < 0
		   ? -1
		   : 0;
}

int store_sessions_end_user(struct db *db, int64_t user_id, const char *keep_hash,
			    struct nc_err *err)
{
	return db_run(db, err, "DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2", "it",
		      user_id, keep_hash ? keep_hash : "");
}
