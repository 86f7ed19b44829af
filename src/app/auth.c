/* auth.c - signing in: passwords checked against argon2id hashes, login throttling (5 failures
 * for one login or one address in 15 minutes), browser sessions and API tokens. Secrets are
 * random (libsodium), shown once, and stored only as hashes. */
#include "app/app.h"
#include "app/internal.h"
#include "util/utf8.h"

#include <sodium.h>
#include <string.h>

#define THROTTLE_WINDOW (15 * 60)
#define THROTTLE_MAX	5
#define SESSION_IDLE	(7 * 86400)  /* a session unused for a week ends */
#define SESSION_MAX	(30 * 86400) /* and none lives longer than 30 days */
#define SECRET_BYTES	32

/* new_secret makes a random URL-safe secret with a prefix, in the arena. */
static char *new_secret(struct app *app, const char *prefix)
{
	unsigned char raw[SECRET_BYTES];
	char b64[sodium_base64_ENCODED_LEN(SECRET_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(b64, sizeof(b64), raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	return arena_printf(app->a, "%s%s", prefix, b64);
}

const char *app_secret_hash(struct app *app, const char *secret)
{
	unsigned char h[crypto_generichash_BYTES];
	char hex[crypto_generichash_BYTES * 2 + 1];
	crypto_generichash(h, sizeof(h), (const unsigned char *)secret, strlen(secret), NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	return arena_strdup(app->a, hex);
}

/* throttled fails with NC_EBUSY (err->ref = seconds to wait) after too many failures. */
static int throttled(struct app *app, const char *login, const char *addr, struct nc_err *err)
{
	int64_t by_login, by_addr, oldest;
	if (store_login_failures(app->db, login, addr, app->now - THROTTLE_WINDOW, &by_login,
				 &by_addr, &oldest, err) < 0)
		return -1;
	if (by_login < THROTTLE_MAX && by_addr < THROTTLE_MAX)
		return 0;
	nc_error(err, NC_EBUSY, "too many failed sign-ins: try again in %lld minutes",
		 (long long)((oldest + THROTTLE_WINDOW - app->now + 59) / 60));
	if (err)
		err->ref = oldest + THROTTLE_WINDOW - app->now > 0
			       ? oldest + THROTTLE_WINDOW - app->now
			       : 1;
	return -1;
}

int app_login(struct app *app, const char *login, const char *password, const char *addr,
	      const char *user_agent, struct session_out *out, struct nc_err *err)
{
	if (sodium_init() < 0)
		return nc_error(err, NC_EIO, "libsodium failed to start");
	if (!login || !*login || strlen(login) > 64 || !utf8_valid(login, strlen(login)))
		return nc_error_field(err, NC_EINVAL, "login", "login: required");
	if (!password || strlen(password) > 1024)
		return nc_error_field(err, NC_EINVAL, "password", "password: required");
	if (!addr)
		addr = "";
	if (throttled(app, login, addr, err) < 0)
		return -1;
	int ok = app_user_check_password(app, login, password, &out->user, err);
	if (ok < 0)
		return -1;
	struct session_rec s = {.user_id = out->user.id,
				.created_at = app->now,
				.expires_at = app->now + SESSION_IDLE,
				.addr = addr,
				.user_agent = user_agent};
	if (ok) {
		out->session = new_secret(app, "");
		out->csrf = new_secret(app, "");
		s.id_hash = app_secret_hash(app, out->session);
		s.csrf = out->csrf;
	}
	if (db_begin(app->db, err) < 0)
		return -1;
	if (store_login_attempt(app->db, app->now, login, addr, ok, err) < 0 ||
	    (ok && store_session_insert(app->db, &s, err) < 0) ||
	    (ok && store_sessions_expire(app->db, app->now, err) < 0)) {
		db_rollback(app->db);
		return -1;
	}
	if (db_commit(app->db, err) < 0)
		return -1;
	if (!ok)
		return nc_error(err, NC_EAUTH, "wrong login or password");
	return 0;
}

int app_password_verify(struct app *app, const char *password, const char *addr, struct nc_err *err)
{
	struct user_rec me;
	if (!app->actor)
		return nc_error(err, NC_EAUTH, "sign in first");
	if (throttled(app, app->actor->login, addr ? addr : "", err) < 0)
		return -1;
	int ok =
	    app_user_check_password(app, app->actor->login, password ? password : "", &me, err);
	if (ok < 0 || store_login_attempt(app->db, app->now, app->actor->login, addr ? addr : "",
					  ok, err) < 0)
		return -1;
	return ok;
}

int app_session_check(struct app *app, const char *session, struct user_rec *user,
		      const char **csrf, struct nc_err *err)
{
	struct session_rec s;
	if (!session || strlen(session) > 128)
		return 0;
	const char *h = app_secret_hash(app, session);
	int rc = store_session_get(app->db, app->a, h, &s, err);
	if (rc <= 0)
		return rc;
	if (s.expires_at < app->now || s.created_at + SESSION_MAX < app->now)
		return 0;
	rc = store_user_by_id(app->db, app->a, s.user_id, user, err);
	if (rc <= 0 || !user->active)
		return rc < 0 ? -1 : 0;
	/* slide the expiry at most once an hour, to keep writes rare */
	if (s.seen_at + 3600 < app->now &&
	    store_session_touch(app->db, h, app->now, app->now + SESSION_IDLE, err) < 0)
		return -1;
	*csrf = s.csrf;
	return 1;
}

int app_logout(struct app *app, const char *session, struct nc_err *err)
{
	if (!session)
		return 0;
	return store_session_delete(app->db, app_secret_hash(app, session), err);
}

int app_token_create(struct app *app, const char *login, const char *name, const char **token,
		     int64_t *id, struct nc_err *err)
{
	struct user_rec u;
	if (app_user_get(app, login, &u, err) < 0)
		return -1;
	if ((!app->actor || app->actor->id != u.id) && app_require_role(app, ROLE_ADMIN, err) < 0)
		return -1;
	if (!name || !*name)
		name = "api";
	if (strlen(name) > 100 || !utf8_valid(name, strlen(name)))
		return nc_error_field(err, NC_EINVAL, "name", "name: at most 100 bytes of UTF-8");
	if (sodium_init() < 0)
		return nc_error(err, NC_EIO, "libsodium failed to start");
	*token = new_secret(app, "nct_");
	if (db_begin(app->db, err) < 0)
		return -1;
	if (store_token_insert(app->db, u.id, name, app_secret_hash(app, *token), app->now, id,
			       err) < 0 ||
	    store_audit(app->db, app->now, actor_login(app), "token.create", "user", u.id, name,
			err) < 0) {
		db_rollback(app->db);
		return -1;
	}
	return db_commit(app->db, err);
}

int app_token_revoke(struct app *app, int64_t id, const char *token, struct nc_err *err)
{
	if (app_require_role(app, ROLE_ADMIN, err) < 0)
		return -1;
	int64_t n;
	if (db_begin(app->db, err) < 0)
		return -1;
	if (store_token_revoke(app->db, id, token ? app_secret_hash(app, token) : NULL, app->now,
			       &n, err) < 0 ||
	    store_audit(app->db, app->now, actor_login(app), "token.revoke", "token", id, NULL,
			err) < 0) {
		db_rollback(app->db);
		return -1;
	}
	if (db_commit(app->db, err) < 0)
		return -1;
	return n ? 0 : nc_error(err, NC_ENOTFOUND, "no live token with that id or value");
}

int app_token_check(struct app *app, const char *token, struct user_rec *user, struct nc_err *err)
{
	if (!token || strlen(token) > 128)
		return 0;
	int rc =
	    store_token_user(app->db, app->a, app_secret_hash(app, token), app->now, user, err);
	return rc < 0 ? -1 : rc == 1 && user->active;
}
