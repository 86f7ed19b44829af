/* agenda.c - a rep's day: overdue steps, today's steps in time order, what is wrong with his
 * clients' plans, and the counters that show a refusal is one of many. */
#include "app/app.h"
#include "util/time.h"

#include <string.h>

static int add_violations(struct app *app, int64_t rep_id, struct agenda *ag, struct nc_err *err)
{
	struct plan_row *rows;
	size_t n;
	if (store_plan_rows(app->db, app->a, rep_id, &rows, &n, err) < 0)
		return -1;
	/* at most three problems per client */
	ag->violations = ARENA_ARRAY(app->a, struct agenda_violation, n * 3 + 1);
	for (size_t i = 0; i < n; i++) {
		struct client_plan p = {.category = rows[i].category,
					.has_step = rows[i].has_step,
					.step_kind = rows[i].step_kind,
					.step_due = rows[i].step_due,
					.last_contact = rows[i].last_contact_at,
					.cadence_max_days = rows[i].cadence_max_days};
		unsigned bits = rules_plan_problems(&p, app->now);
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
	if (store_step_list(app->db, app->a, rep_id, INT64_MIN, split, &out->overdue,
			    &out->noverdue, err) < 0 ||
	    store_step_list(app->db, app->a, rep_id, from, out->day_end, &out->today, &out->ntoday,
			    err) < 0 ||
	    add_violations(app, rep_id, out, err) < 0 ||
	    store_calls_count(app->db, rep_id, out->day_start, out->day_end, &out->calls_today,
			      err) < 0 ||
	    store_pool_count(app->db, rep_id, CAT_NOW, &out->pool_now, err) < 0 ||
	    store_pool_count(app->db, rep_id, CAT_FUTURE, &out->pool_future, err) < 0)
		return -1;
	/* planned today: every step of the day, whether already due or still ahead */
	out->planned_today = (int64_t)out->ntoday;
	for (size_t i = 0; i < out->noverdue; i++)
		if (out->overdue[i].due_at >= out->day_start)
			out->planned_today++;
	return 0;
}
