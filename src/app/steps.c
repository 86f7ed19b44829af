/* steps.c - next steps outside a logged contact: listing, completing, moving, cancelling. */
#include "app/app.h"
#include "app/internal.h"
#include "util/time.h"
#include "util/utf8.h"

#include <stdio.h>
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

/* relock opens the write transaction of a change to step s (read by planned), locks the step's
 * client as a logged contact does and checks again that the step is still planned: a contact
 * logged meanwhile may have closed it. */
static int relock(struct app *app, struct step_rec *s, struct nc_err *err)
{
	int64_t id = s->id;
	if (db_begin(app->db, err) < 0)
		return -1;
	if (store_client_lock(app->db, s->client_id, err) < 0 || planned(app, id, s, err) < 0) {
		db_rollback(app->db);
		return -1;
	}
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
	if (app_require_role(app, ROLE_REP, err) < 0)
		return -1;
	if (rep && *rep) {
		struct user_rec u;
		if (app_resolve_user(app, rep, "rep", &u, err) < 0)
			return -1;
		rep_id = u.id;
	} else if (!app_is_manager(app)) {
		rep_id = app->actor->id;
	}
	return store_step_list(app->db, app->a, rep_id, INT64_MIN, INT64_MAX, 0, out, n, err);
}

static int step_done(struct app *app, int64_t id, struct nc_err *err)
{
	struct step_rec s;
	if (planned(app, id, &s, err) < 0 || relock(app, &s, err) < 0)
		return -1;
	int rc = store_step_close(app->db, id, STEP_DONE, NULL, app->now, err);
	return finish(app, rc, "step.done", id, NULL, err);
}

int app_step_done(struct app *app, int64_t id, struct nc_err *err)
{
	int rc, tries = 0;
	do
		rc = step_done(app, id, err);
	while (app_retry(app, rc, &tries, "step.done", err));
	return rc;
}

/* A next step's due time to check as if given with a contact made now. */
struct due_check {
	enum step_kind kind;
	const char *when, *tz; /* as typed; the rep's zone */
	int decision_hours;    /* the team's decision window */
	int cadence_days;      /* the client's segment; 0: no limit */
};

static int vague(struct violations *v, struct nc_err *err)
{
	struct violation *x = &v->v[v->n++];
	x->rule = "next_step_vague";
	x->field = "due_at";
	x->warning = false;
	snprintf(x->msg, sizeof(x->msg), "the next step needs a concrete date and time");
	v->nerrors++;
	return nc_error_rule(err, x->rule, x->field, "%s", x->msg);
}

/* check_due parses dc->when into *due and applies the rules of a next step: refusals fail with
 * NC_ERULE (all of them in v, which the caller zeroes); warnings stay in v. */
static int check_due(struct app *app, const struct due_check *dc, int64_t *due,
		     struct violations *v, struct nc_err *err)
{
	if (utf8_is_blank(dc->when))
		return vague(v, err);
	struct nc_when w;
	if (time_parse_when(dc->when, dc->tz, "due_at", &w, err) < 0)
		return -1;
	/* an inbound call reached now needs no purpose or goals: only the next step is judged */
	struct contact c = {.kind = CONTACT_CALL,
			    .direction = DIR_IN,
			    .at = app->now,
			    .has_next = true,
			    .next_kind = dc->kind,
			    .next_due = w.t,
			    .next_has_time = w.has_time};
	struct rule_ctx ctx = {.now = app->now,
			       .decision_hours = dc->decision_hours,
			       .cadence_max_days = dc->cadence_days};
	rules_check_contact(&c, &ctx, v);
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i].field, "next.due_at") == 0)
			v->v[i].field = "due_at";
	for (size_t i = 0; i < v->n; i++)
		if (!v->v[i].warning)
			return nc_error_rule(err, v->v[i].rule, v->v[i].field, "%s", v->v[i].msg);
	*due = w.t;
	return 0;
}

static int step_move(struct app *app, int64_t id, const char *when, struct nc_err *err)
{
	struct step_rec s;
	struct team_settings ts;
	if (planned(app, id, &s, err) < 0 || app_settings_load(app, &ts, err) < 0)
		return -1;
	struct user_rec rep;
	const char *tz = ts.timezone;
	if (s.rep_id && store_user_by_id(app->db, app->a, s.rep_id, &rep, err) == 1)
		tz = rep.timezone;
	struct due_check dc = {
	    .kind = s.kind, .when = when, .tz = tz, .decision_hours = ts.decision_hours};
	struct violations v = {0};
	int64_t due;
	if (check_due(app, &dc, &due, &v, err) < 0 || relock(app, &s, err) < 0)
		return -1;
	int rc = store_step_move(app->db, id, due, err);
	return finish(app, rc, "step.move", id, when, err);
}

int app_step_move(struct app *app, int64_t id, const char *when, struct nc_err *err)
{
	int rc, tries = 0;
	do
		rc = step_move(app, id, when, err);
	while (app_retry(app, rc, &tries, "step.move", err));
	return rc;
}

static int step_cancel(struct app *app, int64_t id, const char *reason, struct nc_err *err)
{
	struct step_rec s;
	if (utf8_is_blank(reason))
		return nc_error_field(err, NC_EINVAL, "reason",
				      "reason: say why the step is cancelled");
	if (strlen(reason) > 1000 || !utf8_valid(reason, strlen(reason)))
		return nc_error_field(err, NC_EINVAL, "reason",
				      "reason: at most 1000 bytes of valid UTF-8");
	if (planned(app, id, &s, err) < 0 || relock(app, &s, err) < 0)
		return -1;
	int rc = store_step_close(app->db, id, STEP_CANCELLED, reason, app->now, err);
	return finish(app, rc, "step.cancel", id, reason, err);
}

int app_step_cancel(struct app *app, int64_t id, const char *reason, struct nc_err *err)
{
	int rc, tries = 0;
	do
		rc = step_cancel(app, id, reason, err);
	while (app_retry(app, rc, &tries, "step.cancel", err));
	return rc;
}

/* step_of_input checks in's own fields and fills the step they describe (all but due_at). */
static int step_of_input(struct app *app, const struct step_input *in, struct user_rec *rep,
			 struct client_rec *cl, struct step_rec *s, struct nc_err *err)
{
	if (in->client_id <= 0)
		return nc_error_field(err, NC_EINVAL, "client_id", "client_id: a client is needed");
	int k = in->kind ? step_kind_parse(in->kind) : -1;
	if (k < 0)
		return nc_error_field(err, NC_EINVAL, "kind",
				      "kind \"%.20s\": want meeting, visit, call, callback, offer, "
				      "invoice or decision",
				      in->kind ? in->kind : "");
	if (in->note && (strlen(in->note) > 1000 || !utf8_valid(in->note, strlen(in->note))))
		return nc_error_field(err, NC_EINVAL, "note",
				      "note: at most 1000 bytes of valid UTF-8");
	if (app_resolve_user(app, in->rep, "rep", rep, err) < 0 ||
	    app_check_client(app, in->client_id, cl, err) < 0)
		return -1;
	memset(s, 0, sizeof(*s));
	s->client_id = cl->id;
	s->rep_id = rep->id;
	s->kind = (enum step_kind)k;
	s->status = STEP_PLANNED;
	s->note = utf8_is_blank(in->note) ? NULL : in->note;
	s->created_at = app->now;
	return 0;
}

static int step_create(struct app *app, const struct step_input *in, int64_t *id,
		       struct violations *v, struct nc_err *err)
{
	struct team_settings ts;
	struct user_rec rep;
	struct client_rec cl;
	struct step_rec s;
	memset(v, 0, sizeof(*v));
	*id = 0;
	if (app_settings_load(app, &ts, err) < 0 || step_of_input(app, in, &rep, &cl, &s, err) < 0)
		return -1;
	struct due_check dc = {.kind = s.kind,
			       .when = in->due_at,
			       .tz = rep.timezone,
			       .decision_hours = ts.decision_hours};
	if (cl.segment_id) {
		struct segment_rec seg;
		if (store_segment_by_name(app->db, app->a, cl.segment, &seg, err) < 0)
			return -1;
		dc.cadence_days = seg.max_days;
	}
	if (check_due(app, &dc, &s.due_at, v, err) < 0 || db_begin(app->db, err) < 0)
		return -1;
	int rc = store_client_lock(app->db, s.client_id, err);
	if (rc == 0)
		rc = store_step_insert(app->db, &s, id, err);
	const char *detail = arena_printf(app->a, "%s %s", step_kind_name(s.kind), in->due_at);
	return finish(app, rc, "step.create", *id, detail, err);
}

int app_step_create(struct app *app, const struct step_input *in, int64_t *id, struct violations *v,
		    struct nc_err *err)
{
	int rc, tries = 0;
	do
		rc = step_create(app, in, id, v, err);
	while (app_retry(app, rc, &tries, "step.create", err));
	return rc;
}

int app_step_page(struct app *app, const struct step_query *q, struct step_rec **out, size_t *n,
		  struct nc_err *err)
{
	struct step_filter f = {.client_id = q->client_id, .after = q->after, .limit = q->limit};
	*out = NULL;
	*n = 0;
	if (q->rep && *q->rep) {
		struct user_rec u;
		if (app_resolve_user(app, q->rep, "rep", &u, err) < 0)
			return -1;
		f.rep_id = u.id;
	} else if (!app_is_manager(app)) {
		f.rep_id = app->actor->id;
	}
	if (q->client_id) {
		struct client_rec c;
		if (app_check_client(app, q->client_id, &c, err) < 0)
			return -1;
	}
	return store_step_page(app->db, app->a, &f, out, n, err);
}

int app_step_calendar(struct app *app, const char *rep, struct step_calendar *out,
		      struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	if (app_resolve_user(app, rep, "rep", &out->user, err) < 0)
		return -1;
	out->from = app->now - (int64_t)STEP_CALENDAR_PAST_DAYS * 86400;
	out->to = app->now + (int64_t)STEP_CALENDAR_AHEAD_DAYS * 86400;
	return store_step_list(app->db, app->a, out->user.id, out->from, out->to, 0, &out->steps,
			       &out->n, err);
}
