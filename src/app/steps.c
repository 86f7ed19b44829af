/* steps.c - next steps outside a logged contact: listing, completing, moving, cancelling. */
#include "app/app.h"
#include "util/time.h"
#include "util/utf8.h"

#include <string.h>

int app_step_get(struct app *app, int64_t id, struct step_rec *out, struct nc_err *err)
{
	int rc = store_step_get(app->db, app->a, id, out, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return nc_error_field(err, NC_ENOTFOUND, "id", "next step %lld does not exist",
				      (long long)id);
	struct client_rec c;
	return app_check_client(app, out->client_id, &c, err);
}

/* planned loads a step that must still be planned. */
static int planned(struct app *app, int64_t id, struct step_rec *s, struct nc_err *err)
{
	if (app_step_get(app, id, s, err) < 0)
		return -1;
	if (s->status != STEP_PLANNED)
		return nc_error_field(err, NC_ECONFLICT, "id", "next step %lld is already %s",
				      (long long)id, step_status_name(s->status));
	return 0;
}

static int finish(struct app *app, int rc, const char *action, int64_t id, const char *detail,
		  struct nc_err *err)
{
	if (rc == 0)
		rc = store_audit(app->db, app->now, app->actor ? app->actor->login : "system",
				 action, "next_step", id, detail, err);
	if (rc < 0) {
		db_rollback(app->db);
		return -1;
	}
	return db_commit(app->db, err);
}

int app_step_list(struct app *app, const char *rep, struct step_rec **out, size_t *n,
		  struct nc_err *err)
{
	int64_t rep_id = 0;
	if (rep && *rep) {
		struct user_rec u;
		if (app_resolve_user(app, rep, "rep", &u, err) < 0)
			return -1;
		rep_id = u.id;
	} else if (!app_is_manager(app)) {
		rep_id = app->actor->id;
	}
	return store_step_list(app->db, app->a, rep_id, INT64_MIN, INT64_MAX, out, n, err);
}

int app_step_done(struct app *app, int64_t id, struct nc_err *err)
{
	struct step_rec s;
	if (planned(app, id, &s, err) < 0 || db_begin(app->db, err) < 0)
		return -1;
	int rc = store_step_close(app->db, id, STEP_DONE, NULL, app->now, err);
	return finish(app, rc, "step.done", id, NULL, err);
}

int app_step_move(struct app *app, int64_t id, const char *when, struct nc_err *err)
{
	struct step_rec s;
	struct team_settings ts;
	if (planned(app, id, &s, err) < 0 || app_settings_load(app, &ts, err) < 0)
		return -1;
	struct user_rec rep;
	const char *tz = ts.timezone;
	if (s.rep_id && store_user_by_id(app->db, app->a, s.rep_id, &rep, err) == 1)
		tz = rep.timezone;
	struct nc_when w;
	if (time_parse_when(when ? when : "", tz, "due_at", &w, err) < 0)
		return -1;
	/* the same rules as a next step given with a contact, checked as one made now */
	struct contact c = {.kind = CONTACT_CALL,
			    .direction = DIR_IN,
			    .missed = false,
			    .at = app->now,
			    .has_next = true,
			    .next_kind = s.kind,
			    .next_due = w.t,
			    .next_has_time = w.has_time,
			    .has_won = false};
	struct rule_ctx ctx = {.now = app->now, .decision_hours = ts.decision_hours};
	struct violations v = {0};
	if (rules_check_contact(&c, &ctx, &v) > 0)
		for (size_t i = 0; i < v.n; i++)
			if (!v.v[i].warning)
				return nc_error_rule(err, v.v[i].rule, "due_at", "%s", v.v[i].msg);
	if (db_begin(app->db, err) < 0)
		return -1;
	int rc = store_step_move(app->db, id, w.t, err);
	return finish(app, rc, "step.move", id, when, err);
}

int app_step_cancel(struct app *app, int64_t id, const char *reason, struct nc_err *err)
{
	struct step_rec s;
	if (utf8_is_blank(reason))
		return nc_error_field(err, NC_EINVAL, "reason",
				      "reason: say why the step is cancelled");
	if (strlen(reason) > 1000 || !utf8_valid(reason, strlen(reason)))
		return nc_error_field(err, NC_EINVAL, "reason",
				      "reason: at most 1000 bytes of valid UTF-8");
	if (planned(app, id, &s, err) < 0 || db_begin(app->db, err) < 0)
		return -1;
	int rc = store_step_close(app->db, id, STEP_CANCELLED, reason, app->now, err);
	return finish(app, rc, "step.cancel", id, reason, err);
}
