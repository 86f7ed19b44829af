/* agenda.c - a rep's day: overdue steps, today's steps in time order, what is wrong with his
 * clients' plans, and the counters that show a refusal is one of many. */
#include "app/app.h"
#include "util/time.h"

#include <string.h>

/* plan_bits gives the plan_problem bits of one client's plan at now. */
static unsigned plan_bits(const struct plan_row *r, int64_t now)
{
	struct client_plan p = {.category = r->category,
				.has_step = r->has_step,
				.step_kind = r->step_kind,
				.step_due = r->step_due,
				.last_contact = r->last_contact_at,
				.cadence_max_days = r->cadence_max_days};
	return rules_plan_problems(&p, now);
}

static int add_violations(struct app *app, int64_t rep_id, struct agenda *ag, struct nc_err *err)
{
	struct plan_row *rows;
	size_t n;
	if (store_plan_rows(app->db, app->a, rep_id, app->now, &rows, &n, err) < 0)
		return -1;
	/* at most three problems per client */
	ag->violations = ARENA_ARRAY(app->a, struct agenda_violation, n * 3 + 1);
	for (size_t i = 0; i < n; i++) {
		unsigned bits = plan_bits(&rows[i], app->now);
		for (unsigned b = 1; b <= PLAN_DECISION_PASSED; b <<= 1) {
			if (!(bits & b))
				continue;
			struct agenda_violation *v = &ag->violations[ag->nviolations++];
			v->client_id = rows[i].client_id;
			v->client_name = rows[i].client_name;
			v->rule = plan_problem_rule((enum plan_problem)b);
			v->due_at = rows[i].has_step ? rows[i].step_due : 0;
		}
	}
	return 0;
}

/* day_counts sets the overdue total (due before split) and the steps planned on the day. Lists
 * shorter than their cap hold every step of their range: the overdue list is [-inf, split), the
 * today list [max(split, day_start), day_end), so the day's steps are the today list and the
 * overdue ones due from day_start on. A capped list is counted in full by the database. */
static int day_counts(struct app *app, int64_t rep_id, int64_t split, struct agenda *out,
		      struct nc_err *err)
{
	if (out->noverdue < AGENDA_MAX_STEPS) {
		out->overdue_total = (int64_t)out->noverdue;
	} else if (store_steps_count(app->db, rep_id, INT64_MIN, split, &out->overdue_total, err) <
		   0) {
		return -1;
	}
	if (out->noverdue < AGENDA_MAX_STEPS && out->ntoday < AGENDA_MAX_STEPS) {
		int64_t n = (int64_t)out->ntoday;
		for (size_t i = 0; i < out->noverdue; i++)
			n += out->overdue[i].due_at >= out->day_start;
		out->planned_today = n;
		return 0;
	}
	return store_steps_count(app->db, rep_id, out->day_start, out->day_end, &out->planned_today,
				 err);
}

int app_agenda(struct app *app, const char *rep, const char *date, struct agenda *out,
	       struct nc_err *err)
{
	struct team_settings ts;
	memset(out, 0, sizeof(*out));
	if (app_settings_load(app, &ts, err) < 0)
		return -1;
	int64_t rep_id = 0;
	out->timezone = ts.timezone;
	struct user_rec u;
	if ((rep && *rep) || (app->actor && app->actor->role == ROLE_REP)) {
		if (app_resolve_user(app, rep, "rep", &u, err) < 0)
			return -1;
		rep_id = u.id;
		out->rep = u.login;
		out->timezone = u.timezone;
	}
	int y = 0, m = 0, d = 0;
	if (date && *date && time_parse_date(date, &y, &m, &d, "date", err) < 0)
		return -1;
	time_day_bounds(out->timezone, app->now, y, m, d, &out->day_start, &out->day_end);
	int64_t split = app->now < out->day_end ? app->now : out->day_end;
	int64_t from = split > out->day_start ? split : out->day_start;
	if (store_step_list(app->db, app->a, rep_id, INT64_MIN, split, AGENDA_MAX_STEPS,
			    &out->overdue, &out->noverdue, err) < 0 ||
	    store_step_list(app->db, app->a, rep_id, from, out->day_end, AGENDA_MAX_STEPS,
			    &out->today, &out->ntoday, err) < 0 ||
	    day_counts(app, rep_id, split, out, err) < 0 ||
	    add_violations(app, rep_id, out, err) < 0 ||
	    store_calls_count(app->db, rep_id, out->day_start, out->day_end, &out->calls_today,
			      err) < 0 ||
	    store_pool_count(app->db, rep_id, CAT_NOW, &out->pool_now, err) < 0 ||
	    store_pool_count(app->db, rep_id, CAT_FUTURE, &out->pool_future, err) < 0)
		return -1;
	return 0;
}

int app_call_brief(struct app *app, int64_t client_id, struct call_brief *out, struct nc_err *err)
{
	struct team_settings ts;
	struct call_rec *calls;
	size_t n;
	memset(out, 0, sizeof(*out));
	if (app_check_client(app, client_id, &out->c, err) < 0 ||
	    app_settings_load(app, &ts, err) < 0 ||
	    store_call_list(app->db, app->a, client_id, 0, 20, &calls, &n, err) < 0)
		return -1;
	out->goal_max = ts.goal_max;
	out->goal_min = ts.goal_min;
	if (n) {
		out->has_last = true;
		out->last = calls[0];
	}
	/* the goals the rep set last time he called out, when he set them, carry on */
	for (size_t i = 0; i < n; i++) {
		if (calls[i].kind != CONTACT_CALL || calls[i].direction != DIR_OUT)
			continue;
		if (calls[i].goal_max && *calls[i].goal_max)
			out->goal_max = calls[i].goal_max;
		if (calls[i].goal_min && *calls[i].goal_min)
			out->goal_min = calls[i].goal_min;
		break;
	}
	return 0;
}

/* team_reps fills out->rows with the active reps (by login, as store_user_list orders). */
static int team_reps(struct app *app, struct team_day *out, struct nc_err *err)
{
	struct user_rec *users;
	size_t n;
	if (store_user_list(app->db, app->a, &users, &n, err) < 0)
		return -1;
	out->rows = ARENA_ARRAY(app->a, struct team_row, n + 1);
	for (size_t i = 0; i < n; i++)
		if (users[i].role == ROLE_REP && users[i].active)
			out->rows[out->n++].user = users[i];
	return 0;
}

/* team_violations counts the plan problems of every rep's clients in one pass. */
static int team_violations(struct app *app, struct team_day *out, struct nc_err *err)
{
	struct plan_row *rows;
	size_t n;
	if (store_plan_rows(app->db, app->a, 0, app->now, &rows, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].owner_id)
			continue;
		unsigned bits = plan_bits(&rows[i], app->now);
		if (!bits)
			continue;
		for (size_t k = 0; k < out->n; k++) {
			if (out->rows[k].user.id != rows[i].owner_id)
				continue;
			for (; bits; bits &= bits - 1)
				out->rows[k].violations++;
			break;
		}
	}
	return 0;
}

int app_team_day(struct app *app, struct team_day *out, struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	if (app_require_role(app, ROLE_HEAD, err) < 0 || team_reps(app, out, err) < 0)
		return -1;
	for (size_t i = 0; i < out->n; i++) {
		struct team_row *t = &out->rows[i];
		struct rep_day_counts c;
		int64_t start, end;
		time_day_bounds(t->user.timezone, app->now, 0, 0, 0, &start, &end);
		if (store_rep_day_counts(app->db, t->user.id, start, end, app->now, &c, err) < 0)
			return -1;
		t->planned_today = c.planned;
		t->done_today = c.calls;
		t->overdue = c.overdue;
	}
	if (out->n && team_violations(app, out, err) < 0)
		return -1;
	for (size_t i = 0; i < out->n; i++) {
		out->total.planned_today += out->rows[i].planned_today;
		out->total.done_today += out->rows[i].done_today;
		out->total.overdue += out->rows[i].overdue;
		out->total.violations += out->rows[i].violations;
	}
	return 0;
}
