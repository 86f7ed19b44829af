/* qa_campaigns.c - mystery shopper campaigns (METHOD.md §6): a scenario, calls planned at the
 * reps spread over days and hours, each call's moves filled in by the shopper, the leak rate and
 * the alarm on the team's day. */
#include "app/app.h"
#include "app/internal.h"
#include "app/qa_internal.h"
#include "util/time.h"
#include "util/utf8.h"

#include <stdio.h>
#include <string.h>

const struct qa_move_def qa_moves[QA_MOVES] = {
    {"product", "Asked for the product: answered and asked questions"},
    {"price", "Asked the price: deflected and asked questions"},
    {"expensive", "\"Why so expensive?\" handled"},
    {"discount", "\"Any discounts?\" handled"},
    {"think", "\"I'll think about it\" handled"},
    {"boss", "\"My boss asked me to collect prices\" handled"},
    {"next_step", "Pushed to a next step at a concrete time"},
    {"contacts", "Took the contacts"},
};

/* ---- mystery shopper campaigns ---- */

/* scenario_of gives the campaign's scenario name and text: the text given (its script name),
 * else the stored script called in->scenario. */
static int scenario_of(struct app *app, const struct qa_campaign_input *in,
		       struct qa_campaign_rec *c, struct nc_err *err)
{
	const char *text = in->scenario_text;
	if (!text && !utf8_is_blank(in->scenario)) {
		int rc = store_qa_script_source(app->db, app->a, in->scenario, &text, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return nc_error_field(err, NC_EINVAL, "scenario",
					      "scenario: no script \"%.60s\" (upload "
					      "examples/scripts/mystery_shopper.yaml first)",
					      in->scenario);
	}
	if (!text)
		return nc_error_field(err, NC_EINVAL, "scenario",
				      "scenario: name the script the shopper follows");
	struct script s;
	struct script_findings f = {0};
	if (script_parse(text, strlen(text), app->a, &s, &f) < 0) {
		const struct script_finding *x = f.n ? &f.v[0] : NULL;
		return nc_error_field(err, NC_EINVAL, "scenario", "scenario: line %d: %s",
				      x ? x->pos.line : 0, x ? x->message : "not a script");
	}
	c->scenario = s.name && *s.name ? s.name : in->scenario;
	c->scenario_text = text;
	if (!c->scenario)
		return nc_error_field(err, NC_EINVAL, "scenario",
				      "scenario: the script has no name");
	return 0;
}

/* plan_call resolves planned call i: an active rep and a concrete time. */
static int plan_call(struct app *app, const char *tz, size_t i, const struct qa_call_plan *p,
		     struct qa_ccall_rec *out, struct nc_err *err)
{
	char field[48];
	struct user_rec u;
	struct nc_when w;
	snprintf(field, sizeof(field), "calls[%zu].rep", i);
	int rc = p->rep ? store_user_by_login(app->db, app->a, p->rep, &u, err) : 0;
	if (rc < 0)
		return -1;
	if (rc == 0 || !u.active)
		return nc_error_field(err, NC_EINVAL, field, "%s: no active user \"%.40s\"", field,
				      p->rep ? p->rep : "");
	if (u.role != ROLE_REP)
		return nc_error_field(err, NC_EINVAL, field,
				      "%s: \"%s\" is a %s; test calls go to reps", field, p->rep,
				      role_name(u.role));
	snprintf(field, sizeof(field), "calls[%zu].at", i);
	if (!p->at || strlen(p->at) > 64)
		return nc_error_field(err, NC_EINVAL, field, "%s: a date and time is required",
				      field);
	if (time_parse_when(p->at, tz, field, &w, err) < 0)
		return -1;
	if (!w.has_time)
		return nc_error_field(err, NC_EINVAL, field,
				      "%s: \"%s\" is a day; give the hour of the test call", field,
				      p->at);
	*out = (struct qa_ccall_rec){.rep_id = u.id, .rep = u.login, .planned_at = w.t};
	return 0;
}

/* check_spread: no two calls in the same hour of the team's clock, and at least two reps (every
 * active rep when the team has fewer). */
static int check_spread(struct app *app, const char *tz, const struct qa_ccall_rec *c, size_t n,
			struct nc_err *err)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++) {
			struct nc_tm a, b;
			time_local_parts(tz, c[i].planned_at, &a);
			time_local_parts(tz, c[j].planned_at, &b);
			if (a.year == b.year && a.month == b.month && a.day == b.day &&
			    a.hour == b.hour) {
				char field[48];
				snprintf(field, sizeof(field), "calls[%zu].at", i);
				return nc_error_field(err, NC_EINVAL, field,
						      "%s: in the same hour as calls[%zu] "
						      "(%04d-%02d-%02d %02d:00): test calls go at "
						      "different times",
						      field, j, a.year, a.month, a.day, a.hour);
			}
		}
	size_t distinct = 0;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = c[j].rep_id == c[i].rep_id;
		distinct += !seen;
	}
	struct user_rec *users;
	size_t nusers, reps = 0;
	if (store_user_list(app->db, app->a, &users, &nusers, err) < 0)
		return -1;
	for (size_t i = 0; i < nusers; i++)
		reps += users[i].active && users[i].role == ROLE_REP;
	size_t need = reps < 2 ? reps : 2;
	if (distinct < need)
		return nc_error_field(
		    err, NC_EINVAL, "calls",
		    "calls: every test call goes to the same rep; plan them to at "
		    "least %zu different reps",
		    need);
	return 0;
}

int app_qa_campaign_add(struct app *app, const struct qa_campaign_input *in, int64_t *id,
			struct nc_err *err)
{
	struct qa_campaign_rec c = {.name = in->name, .created_at = app->now};
	const char *tz = qa_team_zone(app);
	if (app_require_role(app, ROLE_HEAD, err) < 0 ||
	    qa_check_text("name", in->name, 100, err) < 0 || scenario_of(app, in, &c, err) < 0)
		return -1;
	if (in->ncalls < QA_CAMPAIGN_MIN_CALLS || in->ncalls > QA_CAMPAIGN_MAX_CALLS)
		return nc_error_field(err, NC_EINVAL, "calls",
				      "calls: plan %d to %d test calls, not %zu",
				      QA_CAMPAIGN_MIN_CALLS, QA_CAMPAIGN_MAX_CALLS, in->ncalls);
	struct qa_ccall_rec *calls = ARENA_ARRAY(app->a, struct qa_ccall_rec, in->ncalls);
	for (size_t i = 0; i < in->ncalls; i++)
		if (plan_call(app, tz, i, &in->calls[i], &calls[i], err) < 0)
			return -1;
	if (check_spread(app, tz, calls, in->ncalls, err) < 0)
		return -1;
	if (db_begin(app->db, err) < 0)
		return -1;
	int rc =
	    store_qa_campaign_insert(app->db, &c, qa_actor_id(app), calls, in->ncalls, id, err);
	return qa_commit_audit(app, rc, "qa.campaign.add", "qa_campaign", rc == 0 ? *id : 0,
			       in->name, err);
}

static int move_index(const char *key)
{
	for (int i = 0; i < QA_MOVES; i++)
		if (strcmp(qa_moves[i].key, key) == 0)
			return i;
	return -1;
}

/* campaign_sums counts the fails per move, the leak rate, the worst moves and the reps who
 * leaked. */
static void campaign_sums(struct app *app, struct qa_campaign_view *v)
{
	for (size_t i = 0; i < v->ncalls; i++)
		for (int m = 0; m < QA_MOVES; m++)
			v->fails[m] += v->answers[i][m] == 0;
	v->leak_rate = v->c.filled ? (double)v->c.leaks / (double)v->c.filled : 0;
	v->alarm = v->c.filled > 0 && v->leak_rate >= QA_LEAK_ALARM - 1e-9;
	for (int m = 0; m < QA_MOVES; m++)
		if (v->fails[m])
			v->worst[v->nworst++] = m;
	for (size_t i = 1; i < v->nworst; i++) /* most failed first, stable */
		for (size_t j = i; j > 0 && v->fails[v->worst[j]] > v->fails[v->worst[j - 1]];
		     j--) {
			int t = v->worst[j];
			v->worst[j] = v->worst[j - 1];
			v->worst[j - 1] = t;
		}
	v->leak_reps = ARENA_ARRAY(app->a, const char *, v->ncalls + 1);
	for (size_t i = 0; i < v->ncalls; i++) {
		if (v->calls[i].leak != 1)
			continue;
		size_t k = 0;
		while (k < v->nleak_reps && strcmp(v->leak_reps[k], v->calls[i].rep) < 0)
			k++;
		if (k < v->nleak_reps && strcmp(v->leak_reps[k], v->calls[i].rep) == 0)
			continue;
		memmove(&v->leak_reps[k + 1], &v->leak_reps[k],
			(v->nleak_reps - k) * sizeof(*v->leak_reps));
		v->leak_reps[k] = v->calls[i].rep;
		v->nleak_reps++;
	}
}

int app_qa_campaign_get(struct app *app, int64_t id, struct qa_campaign_view *out,
			struct nc_err *err)
{
	struct qa_move_rec *moves;
	size_t nmoves;
	memset(out, 0, sizeof(*out));
	if (app_require_role(app, ROLE_HEAD, err) < 0)
		return -1;
	int rc = store_qa_campaign_get(app->db, app->a, id, &out->c, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return nc_error_field(err, NC_ENOTFOUND, "id", "campaign %lld does not exist",
				      (long long)id);
	if (store_qa_campaign_calls(app->db, app->a, id, &out->calls, &out->ncalls, err) < 0 ||
	    store_qa_campaign_moves(app->db, app->a, id, &moves, &nmoves, err) < 0)
		return -1;
	out->answers = arena_alloc(app->a, sizeof(*out->answers) * (out->ncalls + 1));
	for (size_t i = 0; i < out->ncalls; i++)
		memset(out->answers[i], -1, QA_MOVES);
	for (size_t k = 0; k < nmoves; k++) {
		int m = move_index(moves[k].move);
		for (size_t i = 0; i < out->ncalls && m >= 0; i++)
			if (out->calls[i].id == moves[k].call_id)
				out->answers[i][m] = moves[k].yes;
	}
	campaign_sums(app, out);
	return 0;
}

int app_qa_campaign_list(struct app *app, struct qa_campaign_rec **out, size_t *n,
			 struct nc_err *err)
{
	if (app_require_role(app, ROLE_HEAD, err) < 0)
		return -1;
	return store_qa_campaign_list(app->db, app->a, out, n, err);
}

int app_qa_campaign_fill(struct app *app, int64_t id, int n, const struct qa_fill_input *in,
			 struct nc_err *err)
{
	struct qa_campaign_view v;
	if (app_qa_campaign_get(app, id, &v, err) < 0)
		return -1;
	if (n < 1 || (size_t)n > v.ncalls)
		return nc_error_field(err, NC_ENOTFOUND, "n",
				      "campaign %lld has no test call %d (it has %zu)",
				      (long long)id, n, v.ncalls);
	struct qa_move_rec moves[QA_MOVES];
	for (int m = 0; m < QA_MOVES; m++) {
		if (in->yes[m] < 0) {
			char field[48];
			snprintf(field, sizeof(field), "answers.%s", qa_moves[m].key);
			return nc_error_field(err, NC_EINVAL, field, "%s: answer yes or no (%s)",
					      field, qa_moves[m].label);
		}
		moves[m] = (struct qa_move_rec){.move = qa_moves[m].key, .yes = in->yes[m] == 1};
	}
	if (in->note && strlen(in->note) > 2000)
		return nc_error_field(err, NC_EINVAL, "note", "note: at most 2000 bytes");
	bool leak = in->yes[QA_MOVE_NEXT_STEP] == 0;
	if (db_begin(app->db, err) < 0)
		return -1;
	int rc = store_qa_campaign_fill(app->db, v.calls[n - 1].id, qa_actor_id(app), app->now,
					leak, in->note, moves, QA_MOVES, err);
	char detail[48];
	snprintf(detail, sizeof(detail), "call %d%s", n, leak ? ": leak" : "");
	return qa_commit_audit(app, rc, "qa.campaign.fill", "qa_campaign", id, detail, err);
}

int app_qa_alarm(struct app *app, struct qa_campaign_view *out, bool *raised, struct nc_err *err)
{
	int64_t id = 0;
	*raised = false;
	if (app_require_role(app, ROLE_HEAD, err) < 0)
		return -1;
	int rc = store_qa_campaign_latest(app->db, &id, err);
	if (rc <= 0)
		return rc;
	if (app_qa_campaign_get(app, id, out, err) < 0)
		return -1;
	*raised = out->alarm;
	return 0;
}
