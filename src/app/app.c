/* app.c - the operation context and the permission checks every use case relies on. */
#include "app/app.h"
#include "app/internal.h"
#include "app/events.h"
#include "util/log.h"
#include "util/time.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

void app_begin(struct app *app, struct db *db, struct arena *a, const struct user_rec *actor)
{
	*app = (struct app){.db = db, .a = a, .actor = actor, .now = nc_now()};
}

static int rank(enum role r)
{
	return r == ROLE_ADMIN ? 2 : r == ROLE_HEAD ? 1 : 0;
}

/* is_system: the machine's administrator acting through the CLI, with every right. */
static bool is_system(const struct app *app)
{
	return !app->actor && !app->anonymous;
}

bool app_is_manager(const struct app *app)
{
	return is_system(app) || (app->actor && rank(app->actor->role) >= 1);
}

int app_require_role(const struct app *app, enum role role, struct nc_err *err)
{
	if (is_system(app) || (app->actor && rank(app->actor->role) >= rank(role)))
		return 0;
	if (!app->actor)
		return nc_error(err, NC_EAUTH, "sign in first");
	return nc_error(err, NC_EFORBIDDEN, "this needs the %s role; %s is a %s", role_name(role),
			app->actor->login, role_name(app->actor->role));
}

bool app_can_see_client(const struct app *app, const struct client_rec *c)
{
	if (app_is_manager(app))
		return true;
	return app->actor && (c->owner_id == 0 || c->owner_id == app->actor->id);
}

int app_check_client(struct app *app, int64_t id, struct client_rec *out, struct nc_err *err)
{
	return app_check_client_read(app, id, store_client_get(app->db, app->a, id, out, err), out,
				     err);
}

int app_check_client_read(struct app *app, int64_t id, int rc, const struct client_rec *out,
			  struct nc_err *err)
{
	if (rc < 0)
		return -1;
	if (rc == 0)
		return nc_error_field(err, NC_ENOTFOUND, "client_id", "client %lld does not exist",
				      (long long)id);
	if (!app_can_see_client(app, out))
		return nc_error_field(err, NC_EFORBIDDEN, "client_id",
				      "client %lld belongs to another rep", (long long)id);
	return 0;
}

int app_resolve_user(struct app *app, const char *login, const char *field, struct user_rec *out,
		     struct nc_err *err)
{
	if (!login || !*login) {
		if (!app->actor)
			return nc_error_field(err, NC_EINVAL, field, "%s: a user login is needed",
					      field);
		*out = *app->actor;
		return 0;
	}
	int rc = store_user_by_login(app->db, app->a, login, out, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return nc_error_field(err, NC_EINVAL, field, "%s: no user \"%s\"", field, login);
	if (!out->active)
		return nc_error_field(err, NC_EINVAL, field, "%s: user \"%s\" is deactivated",
				      field, login);
	if (!app_is_manager(app) && (!app->actor || out->id != app->actor->id))
		return nc_error_field(err, NC_EFORBIDDEN, field,
				      "%s: a rep acts only for himself, not for \"%s\"", field,
				      login);
	return 0;
}

bool app_retry(struct app *app, int rc, int *tries, const char *what, struct nc_err *err)
{
	(*tries)++;
	if (rc == 0 || !err || !err->retry)
		return false;
	db_rollback(app->db);
	if (*tries >= APP_TRIES) {
		log_warn("%s: gave up after %d attempts: %s", what, *tries, err->msg);
		return false;
	}
	log_warn("%s: attempt %d of %d failed, running it again: %s", what, *tries, APP_TRIES,
		 err->msg);
	/* a random pause (up to 10, 20, 40, 80 ms) so that the transactions that collided do
	   not collide again in step */
	uint32_t ms = 1 + randombytes_uniform(5u << *tries);
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	nc_err_clear(err);
	return true;
}

const char *actor_login(const struct app *app)
{
	return app->actor ? app->actor->login : "system";
}

void client_changed(struct app *app, int64_t client_id, int64_t owner_id, const char *what)
{
	events_emit(owner_id, "client.changed",
		    json_pack("{s:I, s:s, s:s}", "client_id", (json_int_t)client_id, "change", what,
			      "by", actor_login(app)));
}
