/* qa.c - quality control (METHOD.md §6): QA forms whose edits are new versions, reviews of calls
 * with the items data can answer prefilled (the script run's path, the next step, contacts) and
 * scores over time. Mystery shopper campaigns are in qa_campaigns.c. */
#include "app/app.h"
#include "app/internal.h"
#include "app/qa_internal.h"
#include "util/time.h"
#include "util/utf8.h"

#include <stdio.h>
#include <string.h>

static const char *const auto_sources[] = {"needs_questions", "price_late", "next_step",
					   "contacts"};

bool app_qa_auto_valid(const char *src)
{
	for (size_t i = 0; src && i < sizeof(auto_sources) / sizeof(auto_sources[0]); i++)
		if (strcmp(src, auto_sources[i]) == 0)
			return true;
	return false;
}

int qa_commit_audit(struct app *app, int rc, const char *action, const char *entity, int64_t id,
		    const char *detail, struct nc_err *err)
{
	if (rc == 0)
		rc = store_audit(app->db, app->now, actor_login(app), action, entity, id, detail,
				 err);
	if (rc < 0) {
		db_rollback(app->db);
		return -1;
	}
	return db_commit(app->db, err);
}

int64_t qa_actor_id(const struct app *app)
{
	return app->actor ? app->actor->id : 0;
}

const char *qa_team_zone(struct app *app)
{
	struct team_settings ts;
	struct nc_err e = {0};
	if (app->settings && app->settings->timezone)
		return app->settings->timezone;
	if (app_settings_load(app, &ts, &e) == 0 && ts.timezone)
		return ts.timezone;
	return "UTC";
}

/* ---- forms ---- */

int qa_check_text(const char *field, const char *s, size_t max, struct nc_err *err)
{
	if (utf8_is_blank(s))
		return nc_error_field(err, NC_EINVAL, field, "%s: a text is required", field);
	if (strlen(s) > max || !utf8_valid(s, strlen(s)))
		return nc_error_field(err, NC_EINVAL, field, "%s: at most %zu bytes of valid UTF-8",
				      field, max);
	return 0;
}

/* check_items validates a form's items into recs (auto "" becomes none). */
static int check_items(struct app *app, const struct qa_form_input *in, struct qa_item_rec **recs,
		       struct nc_err *err)
{
	if (in->nitems == 0 || in->nitems > QA_MAX_ITEMS)
		return nc_error_field(err, NC_EINVAL, "items",
				      "items: a form has 1 to %d yes/no items, not %zu",
				      QA_MAX_ITEMS, in->nitems);
	*recs = ARENA_ARRAY(app->a, struct qa_item_rec, in->nitems);
	for (size_t i = 0; i < in->nitems; i++) {
		const struct qa_item_input *it = &in->items[i];
		char field[48];
		snprintf(field, sizeof(field), "items[%zu].text", i);
		if (qa_check_text(field, it->text, QA_ITEM_MAX_BYTES, err) < 0)
			return -1;
		if (it->weight < 1 || it->weight > 10) {
			snprintf(field, sizeof(field), "items[%zu].weight", i);
			return nc_error_field(err, NC_EINVAL, field,
					      "%s: %d; want a weight from 1 to 10", field,
					      it->weight);
		}
		const char *src = it->auto_src && *it->auto_src ? it->auto_src : NULL;
		if (src && !app_qa_auto_valid(src)) {
			snprintf(field, sizeof(field), "items[%zu].auto", i);
			return nc_error_field(err, NC_EINVAL, field,
					      "%s: \"%.40s\"; want needs_questions, price_late, "
					      "next_step or contacts",
					      field, src);
		}
		(*recs)[i] =
		    (struct qa_item_rec){.text = it->text, .weight = it->weight, .auto_src = src};
	}
	return 0;
}

int app_qa_form_list(struct app *app, struct qa_form_rec **out, size_t *n, struct nc_err *err)
{
	if (app_require_role(app, ROLE_REP, err) < 0)
		return -1;
	return store_qa_form_list(app->db, app->a, out, n, err);
}

int app_qa_form_get(struct app *app, int64_t id, int version, struct qa_form_rec *out,
		    struct nc_err *err)
{
	if (app_require_role(app, ROLE_REP, err) < 0)
		return -1;
	int rc = store_qa_form_get(app->db, app->a, id, version, out, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return nc_error_field(err, NC_ENOTFOUND, version ? "version" : "id",
				      "QA form %lld%s does not exist", (long long)id,
				      version ? " at that version" : "");
	return 0;
}

static int name_taken(struct nc_err *err, const char *name)
{
	if (err && err->code == NC_ECONFLICT)
		nc_error_field(err, NC_ECONFLICT, "name", "QA form \"%s\" already exists", name);
	return -1;
}

int app_qa_form_create(struct app *app, const struct qa_form_input *in, int64_t *id,
		       struct nc_err *err)
{
	struct qa_item_rec *items;
	int64_t vid;
	int version;
	if (app_require_role(app, ROLE_HEAD, err) < 0 ||
	    qa_check_text("name", in->name, 100, err) < 0 || check_items(app, in, &items, err) < 0)
		return -1;
	if (db_begin(app->db, err) < 0)
		return -1;
	int rc = store_qa_form_insert(app->db, in->name, app->now, id, err);
	if (rc < 0)
		name_taken(err, in->name);
	else
		rc = store_qa_version_add(app->db, *id, qa_actor_id(app), app->now, items,
					  in->nitems, &vid, &version, err);
	return qa_commit_audit(app, rc, "qa.form.add", "qa_form", rc == 0 ? *id : 0, in->name, err);
}

int app_qa_form_update(struct app *app, int64_t id, const struct qa_form_input *in,
		       struct nc_err *err)
{
	struct qa_item_rec *items = NULL;
	struct qa_form_rec cur;
	if (app_require_role(app, ROLE_HEAD, err) < 0 || app_qa_form_get(app, id, 0, &cur, err) < 0)
		return -1;
	if (!in->name && !in->has_items)
		return nc_error(err, NC_EINVAL, "nothing to change: give name or items");
	if ((in->name && qa_check_text("name", in->name, 100, err) < 0) ||
	    (in->has_items && check_items(app, in, &items, err) < 0))
		return -1;
	if (db_begin(app->db, err) < 0)
		return -1;
	int rc = 0;
	if (in->name && strcmp(in->name, cur.name) != 0 &&
	    store_qa_form_rename(app->db, id, in->name, err) < 0)
		rc = name_taken(err, in->name);
	if (rc == 0 && in->has_items) {
		int64_t vid;
		int version;
		rc = store_qa_version_add(app->db, id, qa_actor_id(app), app->now, items,
					  in->nitems, &vid, &version, err);
	}
	return qa_commit_audit(app, rc, "qa.form.update", "qa_form", id,
			       in->name ? in->name : cur.name, err);
}

/* ---- a call as the reviewer sees it ---- */

static struct qa_path_step *path_add(struct app *app, struct qa_call_view *v, size_t *cap,
				     const struct run_step_rec *row)
{
	v->path = arena_grow(app->a, v->path, cap, v->npath, sizeof(*v->path));
	struct qa_path_step *p = &v->path[v->npath++];
	*p = (struct qa_path_step){
	    .seq = row->seq, .action = row->action, .node = row->entered, .at = row->at};
	return p;
}

/* walk_run reads the run's stored steps: the nodes entered in order, the answers, the needs
 * questions answered and the direct price asks, and whether a line naming the price was shown
 * before the presentation while the client had asked fewer than price_answer_on times. */
static int walk_run(struct app *app, struct qa_call_view *v, struct nc_err *err)
{
	struct run_step_rec *rows;
	size_t nrows, cap = 0;
	struct script s;
	struct script_findings f = {0};
	if (store_run_steps(app->db, app->a, v->run.id, &rows, &nrows, err) < 0)
		return -1;
	bool parsed = script_parse(v->run.source, strlen(v->run.source), app->a, &s, &f) == 0;
	v->price_answer_on = parsed ? s.price_answer_on : SCRIPT_DEFAULT_PRICE_ANSWER;
	int *stack = ARENA_ARRAY(app->a, int, nrows + 1);
	size_t depth = 0;
	bool presented = false;
	for (size_t i = 0; i < nrows; i++) {
		const struct run_step_rec *row = &rows[i];
		struct qa_path_step *p = path_add(app, v, &cap, row);
		int cur = depth ? stack[depth - 1] : -1;
		if (strcmp(row->action, "answer") == 0) {
			p->detail = row->arg;
			if (cur >= 0 && s.nodes[cur].has_question &&
			    s.nodes[cur].stage == STAGE_NEEDS)
				v->needs_questions++;
		} else if (strcmp(row->action, "price") == 0) {
			v->price_asks++;
			p->detail = arena_printf(
			    app->a, "price ask %d of %d: %s", v->price_asks, v->price_answer_on,
			    v->price_asks >= v->price_answer_on ? "answered" : "deflected");
		} else if (strcmp(row->action, "back") == 0 && depth) {
			depth--;
		} else if (row->arg && strcmp(row->action, "answer") != 0) {
			p->detail = row->arg;
		}
		if (!row->entered || strncmp(row->entered, "objection:", 10) == 0 || !parsed)
			continue;
		int node = script_node_find(&s, row->entered);
		if (node < 0)
			continue;
		const struct script_node *nd = &s.nodes[node];
		p->stage = script_stage_name(nd->stage);
		if (strcmp(row->action, "back") != 0)
			stack[depth++] = node;
		if (nd->stage >= STAGE_PRESENTATION && nd->stage != STAGE_CUSTOM)
			presented = true;
		if (nd->names_price && !presented && v->price_asks < v->price_answer_on)
			v->price_early = true;
	}
	return 0;
}

int app_qa_call_view(struct app *app, int64_t call_id, struct qa_call_view *out, struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	if (app_require_role(app, ROLE_HEAD, err) < 0 ||
	    app_call_get(app, call_id, CONTACT_CALL, &out->call, err) < 0)
		return -1;
	if (out->call.client_id) {
		int rc = store_client_get(app->db, app->a, out->call.client_id, &out->client, err);
		if (rc < 0)
			return -1;
	}
	if (store_qa_call_facts(app->db, call_id, &out->next_step, &out->phones, err) < 0)
		return -1;
	int rc = store_qa_call_run(app->db, app->a, call_id, &out->run, err);
	if (rc < 0)
		return -1;
	out->has_run = rc == 1;
	return out->has_run ? walk_run(app, out, err) : 0;
}

int app_qa_auto_answer(struct app *app, const struct qa_call_view *v, const char *src,
		       const char **why)
{
	*why = NULL;
	if (!src)
		return -1;
	if (strcmp(src, "next_step") == 0) {
		*why =
		    v->next_step ? "the call planned a next step" : "the call planned no next step";
		return v->next_step;
	}
	if (strcmp(src, "contacts") == 0) {
		*why = arena_printf(app->a, "the client has %lld phone(s)", (long long)v->phones);
		return v->phones > 0;
	}
	if (!v->has_run)
		return -1;
	if (strcmp(src, "needs_questions") == 0) {
		*why = arena_printf(app->a, "%d needs question(s) in the script run",
				    v->needs_questions);
		return v->needs_questions <= SCRIPT_MAX_NEEDS_QUESTIONS;
	}
	if (strcmp(src, "price_late") == 0) {
		*why = v->price_early ? "the run showed the price before its time"
				      : "the run deflected the price until its time";
		return !v->price_early;
	}
	return -1;
}

int app_qa_recent_calls(struct app *app, const char *rep, int limit, struct qa_call_row **out,
			size_t *n, struct nc_err *err)
{
	struct user_rec u = {0};
	if (app_require_role(app, ROLE_HEAD, err) < 0 ||
	    (rep && *rep && app_resolve_user(app, rep, "rep", &u, err) < 0))
		return -1;
	return store_qa_recent_calls(app->db, app->a, u.id, limit, out, n, err);
}

/* ---- reviews ---- */

/* answer_of finds the reviewer's answer for item id: 1 yes, 0 no, -1 not given. */
static int answer_of(const struct qa_review_input *in, int64_t id)
{
	for (size_t i = 0; i < in->n; i++)
		if (in->item_ids[i] == id)
			return in->yes[i];
	return -1;
}

int app_qa_review_add(struct app *app, const struct qa_review_input *in, int64_t *id,
		      struct nc_err *err)
{
	struct qa_call_view v;
	struct qa_form_rec form;
	if (app_require_role(app, ROLE_HEAD, err) < 0 ||
	    app_qa_call_view(app, in->call_id, &v, err) < 0)
		return -1;
	if (store_qa_form_get(app->db, app->a, in->form_id, 0, &form, err) < 0)
		return -1;
	if (!form.id)
		return nc_error_field(err, NC_EINVAL, "form_id", "form_id: no QA form %lld",
				      (long long)in->form_id);
	if (in->note && strlen(in->note) > 2000)
		return nc_error_field(err, NC_EINVAL, "note", "note: at most 2000 bytes");
	for (size_t i = 0; i < in->n; i++) {
		bool found = false;
		for (size_t k = 0; k < form.nitems && !found; k++)
			found = form.items[k].id == in->item_ids[i];
		if (!found)
			return nc_error_field(err, NC_EINVAL, "answers",
					      "answers: item %lld is not an item of form \"%s\" "
					      "version %d",
					      (long long)in->item_ids[i], form.name, form.version);
	}
	struct qa_answer_rec *ans = ARENA_ARRAY(app->a, struct qa_answer_rec, form.nitems + 1);
	struct qa_review_rec r = {.call_id = in->call_id,
				  .form_id = form.id,
				  .version_id = form.version_id,
				  .rep_id = v.call.rep_id,
				  .call_at = v.call.started_at,
				  .note = in->note,
				  .created_at = app->now};
	for (size_t k = 0; k < form.nitems; k++) {
		const struct qa_item_rec *it = &form.items[k];
		const char *why;
		int data = app_qa_auto_answer(app, &v, it->auto_src, &why);
		int given = answer_of(in, it->id);
		if (given < 0 && data < 0) {
			char field[48];
			snprintf(field, sizeof(field), "answers.%lld", (long long)it->id);
			return nc_error_field(err, NC_EINVAL, field,
					      "%s: answer yes or no to item %d \"%.60s\"", field,
					      it->pos, it->text);
		}
		bool yes = given >= 0 ? given == 1 : data == 1;
		ans[k] = (struct qa_answer_rec){
		    .item_id = it->id, .yes = yes, .from_data = data >= 0 && (data == 1) == yes};
		r.total_weight += it->weight;
		r.yes_weight += yes ? it->weight : 0;
	}
	if (db_begin(app->db, err) < 0)
		return -1;
	int rc = store_qa_review_insert(app->db, &r, ans, form.nitems, qa_actor_id(app), id, err);
	char detail[64];
	snprintf(detail, sizeof(detail), "call %lld: %d/%d", (long long)in->call_id, r.yes_weight,
		 r.total_weight);
	return qa_commit_audit(app, rc, "qa.review.add", "qa_review", rc == 0 ? *id : 0, detail,
			       err);
}

/* may_see_rep: managers see every rep's reviews; a rep only his own. */
static bool may_see_rep(const struct app *app, int64_t rep_id)
{
	return app_is_manager(app) || (app->actor && app->actor->id == rep_id);
}

int app_qa_review_get(struct app *app, int64_t id, struct qa_review_view *out, struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	if (app_require_role(app, ROLE_REP, err) < 0)
		return -1;
	int rc = store_qa_review_get(app->db, app->a, id, &out->r, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return nc_error_field(err, NC_ENOTFOUND, "id", "QA review %lld does not exist",
				      (long long)id);
	if (!may_see_rep(app, out->r.rep_id))
		return nc_error_field(err, NC_EFORBIDDEN, "id",
				      "QA review %lld is of another rep's call", (long long)id);
	if (store_qa_form_by_version(app->db, app->a, out->r.version_id, &out->form, err) < 0 ||
	    store_qa_review_answers(app->db, app->a, id, &out->answers, &out->nanswers, err) < 0)
		return -1;
	out->score = out->r.total_weight ? (double)out->r.yes_weight / out->r.total_weight : 0;
	return 0;
}

/* day_bound parses a YYYY-MM-DD in the team's zone: its start, or (end) the next day's start. */
static int day_bound(const char *s, const char *field, const char *tz, bool end, int64_t *out,
		     struct nc_err *err)
{
	int y, m, d;
	int64_t start, stop;
	if (time_parse_date(s, &y, &m, &d, field, err) < 0)
		return -1;
	time_day_bounds(tz, 0, y, m, d, &start, &stop);
	*out = end ? stop : start;
	return 0;
}

/* rep_filter resolves who a listing may show: rep named (a rep may name only himself), or
 * everyone for a manager, the actor himself for a rep. */
static int rep_filter(struct app *app, const char *rep, int64_t *rep_id, struct nc_err *err)
{
	struct user_rec u;
	*rep_id = 0;
	if (rep && *rep) {
		int rc = store_user_by_login(app->db, app->a, rep, &u, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return nc_error_field(err, NC_EINVAL, "rep", "rep: no user \"%.40s\"", rep);
		if (!may_see_rep(app, u.id))
			return nc_error_field(err, NC_EFORBIDDEN, "rep",
					      "rep: a rep sees only his own reviews, not \"%s\"'s",
					      rep);
		*rep_id = u.id;
	} else if (!app_is_manager(app)) {
		*rep_id = app->actor->id;
	}
	return 0;
}

int app_qa_review_list(struct app *app, const struct qa_review_query *q, struct qa_review_rec **out,
		       size_t *n, struct nc_err *err)
{
	struct qa_review_filter f = {
	    .call_id = q->call_id, .from = INT64_MIN, .to = INT64_MAX, .limit = q->limit};
	const char *tz = qa_team_zone(app);
	if (app_require_role(app, ROLE_REP, err) < 0 ||
	    rep_filter(app, q->rep, &f.rep_id, err) < 0 ||
	    (q->from && day_bound(q->from, "from", tz, false, &f.from, err) < 0) ||
	    (q->to && day_bound(q->to, "to", tz, true, &f.to, err) < 0))
		return -1;
	return store_qa_review_list(app->db, app->a, &f, out, n, err);
}

/* ---- scores over time ---- */

/* monday_of gives the start of the week (Monday 00:00 in tz) holding t. */
static int64_t monday_of(const char *tz, int64_t t)
{
	struct nc_tm tm;
	int64_t start, end;
	time_local_parts(tz, t, &tm);
	int back = (tm.wday + 6) % 7;
	time_day_bounds(tz, 0, tm.year, tm.month, tm.day, &start, &end);
	for (int i = 0; i < back; i++) { /* day by day: DST days are not 24 hours long */
		time_local_parts(tz, start - 1, &tm);
		time_day_bounds(tz, 0, tm.year, tm.month, tm.day, &start, &end);
	}
	return start;
}

static const char *date_of(struct app *app, const char *tz, int64_t t)
{
	struct nc_tm tm;
	time_local_parts(tz, t, &tm);
	return arena_printf(app->a, "%04d-%02d-%02d", tm.year, tm.month, tm.day);
}

/* score_period reads from/to (defaults: the 8 weeks up to today) into out; *starts gets the
 * start of each week. */
static int score_period(struct app *app, const char *tz, const char *from, const char *to,
			struct qa_scores *out, int64_t **starts, struct nc_err *err)
{
	int64_t today, tomorrow;
	time_day_bounds(tz, app->now, 0, 0, 0, &today, &tomorrow);
	out->end = tomorrow;
	out->start = monday_of(tz, today - 7 * 7 * 86400);
	if ((from && day_bound(from, "from", tz, false, &out->start, err) < 0) ||
	    (to && day_bound(to, "to", tz, true, &out->end, err) < 0))
		return -1;
	if (out->end <= out->start)
		return nc_error_field(err, NC_EINVAL, "to", "to: the period ends before it starts");
	if (out->end - out->start > 370 * 86400LL)
		return nc_error_field(err, NC_EINVAL, "from", "from: at most a year of weeks");
	out->from = date_of(app, tz, out->start);
	out->to = date_of(app, tz, out->end - 1);
	size_t cap = 0, cap2 = 0;
	*starts = NULL;
	for (int64_t w = monday_of(tz, out->start); w < out->end;
	     w = monday_of(tz, w + 8 * 86400)) {
		out->weeks = arena_grow(app->a, out->weeks, &cap, out->nweeks, sizeof(char *));
		*starts = arena_grow(app->a, *starts, &cap2, out->nweeks, sizeof(int64_t));
		(*starts)[out->nweeks] = w;
		out->weeks[out->nweeks++] = date_of(app, tz, w);
	}
	return 0;
}

/* rep_row starts the scores of the rep of row r. */
static struct qa_rep_scores *rep_row(struct app *app, struct qa_scores *out, size_t *cap,
				     const struct qa_score_row *r)
{
	out->reps = arena_grow(app->a, out->reps, cap, out->nreps, sizeof(*out->reps));
	struct qa_rep_scores *s = &out->reps[out->nreps++];
	*s = (struct qa_rep_scores){.rep = r->rep, .name = r->rep_name};
	s->weeks = ARENA_ARRAY(app->a, double, out->nweeks + 1);
	s->week_reviews = ARENA_ARRAY(app->a, int64_t, out->nweeks + 1);
	return s;
}

/* averages turns the sums kept in score and weeks into averages (-1 where nothing). */
static void averages(struct qa_rep_scores *s, size_t nweeks)
{
	s->score = s->reviews ? s->score / (double)s->reviews : -1;
	for (size_t w = 0; w < nweeks; w++)
		s->weeks[w] = s->week_reviews[w] ? s->weeks[w] / (double)s->week_reviews[w] : -1;
}

int app_qa_scores(struct app *app, const char *rep, const char *from, const char *to,
		  struct qa_scores *out, struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	const char *tz = qa_team_zone(app);
	int64_t rep_id = 0, *starts = NULL;
	struct qa_score_row *rows;
	size_t n, cap = 0;
	if (app_require_role(app, ROLE_REP, err) < 0 || rep_filter(app, rep, &rep_id, err) < 0 ||
	    score_period(app, tz, from, to, out, &starts, err) < 0 ||
	    store_qa_scores(app->db, app->a, rep_id, out->start, out->end, &rows, &n, err) < 0)
		return -1;
	struct qa_rep_scores *s = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!s || strcmp(s->rep, rows[i].rep) != 0) {
			if (s)
				averages(s, out->nweeks);
			s = rep_row(app, out, &cap, &rows[i]);
		}
		double score = (double)rows[i].yes_weight / rows[i].total_weight;
		s->score += score;
		s->reviews++;
		size_t w = 0; /* the last week starting at or before the call */
		while (w + 1 < out->nweeks && starts[w + 1] <= rows[i].call_at)
			w++;
		s->weeks[w] += score;
		s->week_reviews[w]++;
	}
	if (s)
		averages(s, out->nweeks);
	return 0;
}

int app_qa_rep_scores(struct app *app, int64_t start, int64_t end, struct qa_rep_score **out,
		      size_t *n, struct nc_err *err)
{
	int64_t rep_id;
	struct qa_score_row *rows;
	size_t nrows;
	*out = NULL;
	*n = 0;
	if (app_require_role(app, ROLE_REP, err) < 0 || rep_filter(app, NULL, &rep_id, err) < 0 ||
	    store_qa_scores(app->db, app->a, rep_id, start, end, &rows, &nrows, err) < 0)
		return -1;
	struct qa_rep_score *v = ARENA_ARRAY(app->a, struct qa_rep_score, nrows + 1);
	size_t k = 0;
	for (size_t i = 0; i < nrows; i++) {
		if (!k || v[k - 1].rep_id != rows[i].rep_id)
			v[k++] = (struct qa_rep_score){.rep_id = rows[i].rep_id};
		v[k - 1].score += (double)rows[i].yes_weight / rows[i].total_weight;
		v[k - 1].reviews++;
	}
	for (size_t i = 0; i < k; i++)
		v[i].score /= (double)v[i].reviews;
	*out = v;
	*n = k;
	return 0;
}
