/* users.c - team members: reps, heads of sales and admins, with argon2id password hashes. */
#include "app/app.h"
#include "util/time.h"
#include "util/utf8.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

static int check_login(const char *login, struct nc_err *err)
{
	size_t n = login ? strlen(login) : 0;
	if (n < 1 || n > 32)
		return nc_error_field(err, NC_EINVAL, "login", "login: 1 to 32 characters");
	for (const char *p = login; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    !strchr("._-", *p))
			return nc_error_field(err, NC_EINVAL, "login",
					      "login \"%.40s\": use only a-z, 0-9, dot, dash and "
					      "underscore",
					      login);
	return 0;
}

static int check_name(const char *name, struct nc_err *err)
{
	if (utf8_is_blank(name))
		return nc_error_field(err, NC_EINVAL, "name", "name: must not be empty");
	if (strlen(name) > 200 || !utf8_valid(name, strlen(name)))
		return nc_error_field(err, NC_EINVAL, "name",
				      "name: at most 200 bytes of valid UTF-8");
	return 0;
}

/* hash_password fills out (crypto_pwhash_STRBYTES) with an argon2id hash. */
static int hash_password(const char *pw, char *out, struct nc_err *err)
{
	size_t n = strlen(pw);
	if (n < 8 || n > 1024)
		return nc_error_field(err, NC_EINVAL, "password", "password: 8 to 1024 bytes");
	if (sodium_init() < 0)
		return nc_error(err, NC_EIO, "libsodium failed to start");
	if (crypto_pwhash_str_alg(out, pw, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return nc_error(err, NC_EIO, "password hashing ran out of memory");
	return 0;
}

/* apply copies the non-NULL fields of in onto u, validating each. */
static int apply(struct app *app, const struct user_input *in, struct user_rec *u,
		 struct nc_err *err)
{
	if (in->name) {
		if (check_name(in->name, err) < 0)
			return -1;
		u->name = in->name;
	}
	if (in->role) {
		int r = role_parse(in->role);
		if (r < 0)
			return nc_error_field(err, NC_EINVAL, "role",
					      "role \"%.20s\": want rep, head or admin", in->role);
		u->role = (enum role)r;
	}
	if (in->timezone) {
		if (!time_zone_valid(in->timezone))
			return nc_error_field(err, NC_EINVAL, "timezone",
					      "timezone \"%.60s\": unknown zone (want e.g. "
					      "Europe/Moscow)",
					      in->timezone);
		u->timezone = in->timezone;
	}
	if (in->locale) {
		if (strcmp(in->locale, "en") && strcmp(in->locale, "ru") &&
		    strcmp(in->locale, "tr") && strcmp(in->locale, "vi"))
			return nc_error_field(err, NC_EINVAL, "locale",
					      "locale \"%.20s\": want en, ru, tr or vi",
					      in->locale);
		u->locale = in->locale;
	}
	if (in->extension) {
		size_t n = strlen(in->extension);
		for (size_t i = 0; i < n; i++)
			if (!isalnum((unsigned char)in->extension[i]) &&
			    !strchr("*#+-_/", in->extension[i]))
				return nc_error_field(err, NC_EINVAL, "extension",
						      "extension \"%.30s\": digits or a PBX device "
						      "name like 201 or SIP/201",
						      in->extension);
		if (n > 40)
			return nc_error_field(err, NC_EINVAL, "extension", "extension: too long");
		u->extension = n ? in->extension : NULL;
	}
	if (in->password) {
		char *h = arena_alloc(app->a, crypto_pwhash_STRBYTES);
		if (hash_password(in->password, h, err) < 0)
			return -1;
		u->password_hash = h;
	}
	return 0;
}

/* save writes u; ends (keep == NULL) or keeps the user's other sessions when his password was
 * just changed (end_sessions). */
static int save(struct app *app, struct user_rec *u, bool insert, int64_t *id, const char *action,
		bool end_sessions, const char *keep, struct nc_err *err)
{
	if (db_begin(app->db, err) < 0)
		return -1;
	int rc =
	    insert ? store_user_insert(app->db, u, id, err) : store_user_update(app->db, u, err);
	if (rc == 0 && end_sessions)
		rc = store_sessions_end_user(app->db, u->id,
					     keep ? app_secret_hash(app, keep) : NULL, err);
	if (rc == 0)
		rc = store_audit(app->db, app->now, app->actor ? app->actor->login : "system",
				 action, "user", insert ? *id : u->id, u->login, err);
	if (rc < 0) {
		db_rollback(app->db);
		/* the store names the taken login or extension when it can; keep its message */
		if (err && err->code == NC_ECONFLICT && !err->field[0])
			nc_error_field(err, NC_ECONFLICT, "login",
				       "login \"%s\" or extension \"%s\" is already taken",
				       u->login, u->extension ? u->extension : "");
		return -1;
	}
	return db_commit(app->db, err);
}

int app_user_add(struct app *app, const struct user_input *in, int64_t *id, struct nc_err *err)
{
	if (app_require_role(app, ROLE_ADMIN, err) < 0 || check_login(in->login, err) < 0)
		return -1;
	if (!in->name || !in->role)
		return nc_error_field(err, NC_EINVAL, in->name ? "role" : "name", "%s: required",
				      in->name ? "role" : "name");
	struct team_settings ts;
	if (app_settings_load(app, &ts, err) < 0)
		return -1;
	struct user_rec u = {.login = in->login,
			     .timezone = ts.timezone,
			     .locale = "en",
			     .active = true,
			     .created_at = app->now};
	if (apply(app, in, &u, err) < 0)
		return -1;
	return save(app, &u, true, id, "user.add", false, NULL, err);
}

int app_user_set(struct app *app, const char *login, const struct user_input *in,
		 struct nc_err *err)
{
	/* decided before the look-up, so that a rep cannot probe which logins exist */
	bool self = app->actor && login && strcmp(app->actor->login, login) == 0;
	if ((!self || in->role || in->extension || in->active) &&
	    app_require_role(app, ROLE_ADMIN, err) < 0)
		return -1;
	if (self && in->active < 0)
		return nc_error_field(err, NC_EINVAL, "active",
				      "an admin cannot deactivate himself; ask another admin");
	struct user_rec u;
	if (app_user_get(app, login, &u, err) < 0 || apply(app, in, &u, err) < 0)
		return -1;
	const char *action = "user.set";
	if (in->active && u.active != (in->active > 0)) {
		u.active = in->active > 0;
		action = u.active ? "user.activate" : "user.deactivate";
	}
	return save(app, &u, false, NULL, action, in->password != NULL, in->keep_session, err);
}

int app_user_list(struct app *app, struct user_rec **out, size_t *n, struct nc_err *err)
{
	if (app_require_role(app, ROLE_ADMIN, err) < 0)
		return -1;
	return store_user_list(app->db, app->a, out, n, err);
}

int app_user_list_active(struct app *app, struct user_rec **out, size_t *n, struct nc_err *err)
{
	struct user_rec *all;
	size_t nall;
	*out = NULL;
	*n = 0;
	if (app_require_role(app, ROLE_HEAD, err) < 0 ||
	    store_user_list(app->db, app->a, &all, &nall, err) < 0)
		return -1;
	*out = all;
	for (size_t i = 0; i < nall; i++)
		if (all[i].active)
			all[(*n)++] = all[i];
	return 0;
}

int app_user_check_password(struct app *app, const char *login, const char *password,
			    struct user_rec *out, struct nc_err *err)
{
	int rc = store_user_by_login(app->db, app->a, login, out, err);
	if (rc <= 0)
		return rc;
	if (!out->active || !out->password_hash)
		return 0;
	if (sodium_init() < 0)
		return nc_error(err, NC_EIO, "libsodium failed to start");
	return crypto_pwhash_str_verify(out->password_hash, password, strlen(password)) == 0;
}

int app_user_get(struct app *app, const char *login, struct user_rec *out, struct nc_err *err)
{
	int rc = store_user_by_login(app->db, app->a, login ? login : "", out, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return nc_error_field(err, NC_ENOTFOUND, "login", "no user \"%.40s\"",
				      login ? login : "");
	return 0;
}
