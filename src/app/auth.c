/* auth.c - signing in: passwords checked against argon2id hashes, login throttling (5 failures
 * for one login or one address in 15 minutes), browser sessions and API tokens. Secrets are
 * random (libsodium), shown once, and stored only as hashes. */
#include "app/app.h"
#include "app/internal.h"
#include "util/utf8.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
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

/* The sign-in memo. Every request looks up its token or session and the user (a tenth of an
 * answer from the answer cache, more than the HTTP around it), so each thread keeps its last
 * few successful look-ups with the version of the snapshot they were read in
 * (db_read_version). While that version stays the same nothing was committed since, by anyone:
 * the same secret finds the same user. Any commit moves it (a token revoked, a session ended, a
 * user deactivated or given another role, but also every logged call), and the next look-up
 * reads the database again. Only a read transaction has such a version: a write's look-up, and
 * every look-up on PostgreSQL (no version), reads. A look-up that has to write (a token's last
 * use, a session's expiry slid: at most once a minute, once an hour) reads and writes as
 * before, and what it wrote moves the version. A hit is copied into the request's arena. */
#define MEMO_SLOTS 8
#define HASH_HEX   (crypto_generichash_BYTES * 2 + 1)

struct auth_slot {
	const struct db *db; /* the connection whose version it is (NULL: empty) */
	int64_t version;
	char kind; /* 't' token, 's' session */
	char hash[HASH_HEX];
	struct user_rec user;
	int64_t used;			/* the token's last use, the session's seen_at */
	int64_t created_at, expires_at; /* the session's */
	const char *csrf;		/* the session's */
	struct arena a;			/* the strings */
};
struct auth_memo {
	struct auth_slot slot[MEMO_SLOTS];
};
static pthread_key_t memo_key;
static pthread_once_t memo_once = PTHREAD_ONCE_INIT;

static void memo_free(void *p)
{
	struct auth_memo *m = p;
	for (size_t i = 0; i < MEMO_SLOTS; i++)
		arena_release(&m->slot[i].a);
	free(m);
}

static void memo_init(void)
{
	if (pthread_key_create(&memo_key, memo_free) != 0)
		memo_key = (pthread_key_t)-1;
}

/* memo_slot gives the thread's slot for the secret hashed h (NULL: no memo). */
static struct auth_slot *memo_slot(const char *h)
{
	pthread_once(&memo_once, memo_init);
	if (memo_key == (pthread_key_t)-1)
		return NULL;
	struct auth_memo *m = pthread_getspecific(memo_key);
	if (!m) {
		m = calloc(1, sizeof(*m));
		if (!m || pthread_setspecific(memo_key, m) != 0) {
			free(m);
			return NULL;
		}
		for (size_t i = 0; i < MEMO_SLOTS; i++)
			arena_init(&m->slot[i].a);
	}
	/* the hash is uniform: its first hex digit picks the slot */
	int d = h[0] >= 'a' ? h[0] - 'a' + 10 : h[0] - '0';
	return &m->slot[(size_t)d % MEMO_SLOTS];
}

/* memo_find gives the slot holding kind's look-up of h at version v on app's connection. */
static const struct auth_slot *memo_find(struct app *app, char kind, const char *h, int64_t v)
{
	struct auth_slot *s = v ? memo_slot(h) : NULL;
	if (!s || s->db != app->db || s->version != v || s->kind != kind || strcmp(s->hash, h))
		return NULL;
	return s;
}

static void copy_user(struct arena *a, const struct user_rec *in, struct user_rec *out)
{
	*out = *in;
	out->login = arena_strdup(a, in->login);
	out->name = arena_strdup(a, in->name);
	out->timezone = arena_strdup(a, in->timezone);
	out->locale = arena_strdup(a, in->locale);
	out->extension = arena_strdup(a, in->extension);
	out->password_hash = NULL; /* see signed_in */
}

/* signed_in: the user a request acts as carries no password hash (nothing after sign-in reads
 * it: a password check loads the user again), so that the memo keeps none. */
static void signed_in(struct user_rec *user)
{
	user->password_hash = NULL;
}

/* memo_keep keeps kind's successful look-up of h, read at version v, when the look-up wrote
 * nothing (the version is still v). */
static struct auth_slot *memo_keep(struct app *app, char kind, const char *h, int64_t v,
				   const struct user_rec *user, int64_t used)
{
	struct auth_slot *s = v && db_version(app->db) == v ? memo_slot(h) : NULL;
	if (!s)
		return NULL;
	arena_release(&s->a);
	s->db = app->db;
	s->version = v;
	s->kind = kind;
	memcpy(s->hash, h, HASH_HEX);
	copy_user(&s->a, user, &s->user);
	s->used = used;
	s->created_at = s->expires_at = 0;
	s->csrf = NULL;
	return s;
}

int app_session_check(struct app *app, const char *session, struct user_rec *user,
		      const char **csrf, struct nc_err *err)
{
	struct session_rec s;
	if (!session || strlen(session) > 128)
		return 0;
	const char *h = app_secret_hash(app, session);
	int64_t v = db_read_version(app->db);
	const struct auth_slot *m = memo_find(app, 's', h, v);
	if (m && m->expires_at >= app->now && m->created_at + SESSION_MAX >= app->now &&
	    m->used + 3600 >= app->now) {
		copy_user(app->a, &m->user, user);
		*csrf = arena_strdup(app->a, m->csrf);
		return 1;
	}
	int rc = store_session_get(app->db, app->a, h, &s, err);
	if (rc <= 0)
		return rc;
	if (s.expires_at < app->now || s.created_at + SESSION_MAX < app->now)
		return 0;
	rc = store_user_by_id(app->db, app->a, s.user_id, user, err);
	if (rc <= 0 || !user->active)
		return rc < 0 ? -1 : 0;
	signed_in(user);
	/* slide the expiry at most once an hour, to keep writes rare */
	if (s.seen_at + 3600 < app->now) {
		if (store_session_touch(app->db, h, app->now, app->now + SESSION_IDLE, err) < 0)
			return -1;
	} else {
		struct auth_slot *k = memo_keep(app, 's', h, v, user, s.seen_at);
		if (k) {
			k->created_at = s.created_at;
			k->expires_at = s.expires_at;
			k->csrf = arena_strdup(&k->a, s.csrf);
		}
	}
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
	const char *h = app_secret_hash(app, token);
	int64_t v = db_read_version(app->db), used = 0;
	const struct auth_slot *m = memo_find(app, 't', h, v);
	if (m && app->now - m->used < 60) {
		copy_user(app->a, &m->user, user);
		return 1;
	}
	int rc = store_token_user(app->db, app->a, h, app->now, user, &used, err);
	if (rc < 0)
		return -1;
	if (rc == 0 || !user->active)
		return 0;
	signed_in(user);
	memo_keep(app, 't', h, v, user, used);
	return 1;
}
