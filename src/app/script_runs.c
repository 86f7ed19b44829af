/* script_runs.c - live script runs: a rep steps through a script during a call, answers go
 * into the card, the finish is logged through the same rules as any call. A run's state is not
 * stored: it is replayed from its step rows (core/script_run.c) on every load. A run follows
 * its client: who may read it or take its steps is decided by run_access. */
#include "app/app.h"
#include "app/internal.h"
#include "io/phone.h"
#include "util/time.h"
#include "util/utf8.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define RUN_ARG_MAX    100  /* bytes of an objection id */
#define RUN_ANSWER_MAX 4096 /* bytes of one raw answer */
#define RUN_MAX_TALK_S 86400

/* The stored word of each action, by enum run_action. */
static const char *const action_words[] = {"option", "objection", "resume", "answer",
					   "price",  "back",	  "hold",   "finish"};
#define NACTIONS (sizeof(action_words) / sizeof(action_words[0]))

static const char *const type_words[] = {"text", "number", "choice", "datetime"};

/* ---- runs: the step rows and their replay ---- */

/* step_arg encodes what a step carries for the row: an option's index, an objection's id, the
 * answers as a JSON array of [field or null, value]. */
static const char *step_arg(struct app *app, const struct run_step *step)
{
	switch (step->action) {
	case RUN_OPTION:
		return arena_printf(app->a, "%d", step->option);
	case RUN_OBJECTION:
		return step->objection;
	case RUN_ANSWER: {
		json_t *a = json_array();
		for (size_t i = 0; i < step->nanswers; i++)
			json_array_append_new(
			    a, json_pack("[s?s?]", step->answers[i].field, step->answers[i].value));
		char *s = json_dumps(a, JSON_COMPACT);
		json_decref(a);
		const char *r = arena_strdup(app->a, s ? s : "[]");
		free(s);
		return r;
	}
	default:
		return NULL;
	}
}

/* step_of decodes a stored row into a step; -1 when the row is not one this code writes. */
static int step_of(struct app *app, const struct run_step_rec *r, struct run_step *step)
{
	memset(step, 0, sizeof(*step));
	size_t i = 0;
	while (i < NACTIONS && strcmp(action_words[i], r->action) != 0)
		i++;
	if (i == NACTIONS)
		return -1;
	step->action = (enum run_action)i;
	if (step->action == RUN_OPTION) {
		char *end;
		long v = strtol(r->arg ? r->arg : "", &end, 10);
		if (!r->arg || *end || v < 0 || v > 100000)
			return -1;
		step->option = (int)v;
	} else if (step->action == RUN_OBJECTION) {
		step->objection = r->arg;
	} else if (step->action == RUN_ANSWER) {
		json_t *a = json_loads(r->arg ? r->arg : "", 0, NULL);
		if (!json_is_array(a)) {
			json_decref(a);
			return -1;
		}
		struct run_answer *v =
		    ARENA_ARRAY(app->a, struct run_answer, json_array_size(a) + 1);
		for (size_t k = 0; k < json_array_size(a); k++) {
			json_t *p = json_array_get(a, k);
			const char *f = json_string_value(json_array_get(p, 0));
			const char *x = json_string_value(json_array_get(p, 1));
			v[k].field = f ? arena_strdup(app->a, f) : NULL;
			v[k].value = x ? arena_strdup(app->a, x) : NULL;
		}
		step->answers = v;
		step->nanswers = json_array_size(a);
		json_decref(a);
	}
	return 0;
}

/* A run loaded with its version and its state replayed. */
struct loaded {
	struct script_run_rec run;
	struct script_rec ver;
	struct script s;
	struct run_state st;
};

/* run_load loads run id and replays its steps: NC_ENOTFOUND naming "id" when none. */
static int run_load(struct app *app, int64_t id, struct loaded *l, struct nc_err *err)
{
	struct run_step_rec *rows;
	size_t n;
	int rc = store_run_get(app->db, app->a, id, &l->run, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return nc_error_field(err, NC_ENOTFOUND, "id", "script run %lld does not exist",
				      (long long)id);
	if (store_script_version_get(app->db, app->a, l->run.version_id, &l->ver, err) != 1 ||
	    script_version_parse(app, &l->ver, &l->s, err) < 0 ||
	    store_run_steps(app->db, app->a, id, &rows, &n, err) < 0)
		return err && err->code
			   ? -1
			   : nc_error(err, NC_EDB, "run %lld: no version", (long long)id);
	if (n == 0 || rows[0].seq != 0)
		return nc_error(err, NC_EDB, "script run %lld has no start row", (long long)id);
	script_run_start(&l->s, app->a, l->run.started_at, rows[0].rnd, &l->st);
	for (size_t i = 1; i < n; i++) {
		struct run_step step;
		const char *why = NULL, *field = NULL;
		if (step_of(app, &rows[i], &step) < 0 ||
		    script_run_apply(&l->s, app->a, &l->st, &step, rows[i].at, rows[i].rnd, NULL,
				     &why, &field) < 0)
			return nc_error(err, NC_EDB, "script run %lld: step %d does not replay: %s",
					(long long)id, rows[i].seq - 1, why ? why : "bad row");
	}
	return 0;
}

static const char *say_of(const struct script_text *say, size_t n, int variant)
{
	if (!n)
		return "";
	return say[variant >= 0 && (size_t)variant < n ? (size_t)variant : 0].text;
}

/* view_fill renders the panel of a loaded run. */
static int view_fill(struct app *app, struct loaded *l, const struct run_effect *eff,
		     struct run_view *out, struct nc_err *err)
{
	struct user_rec rep = {0};
	struct client_field *fields;
	size_t nfields;
	const char *team = NULL;
	memset(out, 0, sizeof(*out));
	out->run = l->run;
	out->script = l->s;
	out->st = l->st;
	if (eff)
		out->eff = *eff;
	else
		out->eff.entered = -1;
	if (store_client_get(app->db, app->a, l->run.client_id, &out->client, err) != 1 ||
	    store_client_fields(app->db, app->a, l->run.client_id, &fields, &nfields, err) < 0 ||
	    (l->run.rep_id && store_user_by_id(app->db, app->a, l->run.rep_id, &rep, err) < 0) ||
	    app_setting_get(app, "team.name", &team, err) < 0)
		return err && err->code ? -1 : nc_error(err, NC_EDB, "run without its client");
	struct render_ctx ctx = {.client_name = out->client.name,
				 .client_company = out->client.company,
				 .client_phone = out->client.nphones ? out->client.phones[0] : NULL,
				 .rep_name = rep.name,
				 .company = team && *team ? team : NULL,
				 .answers = l->st.answers,
				 .nanswers = l->st.nanswers};
	for (size_t i = 0; i < nfields; i++)
		if (!strcmp(fields[i].field, "client.email"))
			ctx.client_email = fields[i].value;
	const struct script_node *nd = &l->s.nodes[l->st.node];
	out->line =
	    script_render(say_of(nd->say, nd->nsay, l->st.variant[l->st.node]), &ctx, app->a);
	if (l->st.objection >= 0) {
		const struct script_objection *o = &l->s.objections[l->st.objection];
		out->objection_line =
		    script_render(say_of(o->say, o->nsay, l->st.objection_variant[l->st.objection]),
				  &ctx, app->a);
	}
	if (out->eff.line)
		out->effect_line = script_render(out->eff.line, &ctx, app->a);
	bool answered;
	const char *price = script_price_line(&l->s, l->st.price_asks, &answered);
	if (price)
		out->price_line = script_render(price, &ctx, app->a);
	int64_t end = l->run.finished_at ? l->run.finished_at : app->now;
	out->elapsed_s = end > l->run.started_at ? end - l->run.started_at : 0;
	out->hold_s =
	    l->st.hold_since && app->now > l->st.hold_since ? app->now - l->st.hold_since : 0;
	return 0;
}

/* run_access decides who may read a run (steps false) or take its steps (true). A run follows
 * its client: heads and admins read every run; a rep reads a run of a client he may see now
 * when it is his run or he owns the client (he got him with the run of the rep before), and
 * takes the steps only of his own. A client given to another rep is no longer the business of
 * the previous one, whose runs of him were abandoned then (runs_client_moved). */
static int run_access(struct app *app, const struct script_run_rec *r, bool steps,
		      struct nc_err *err)
{
	struct client_rec cl;
	bool mine = app->actor && app->actor->id == r->rep_id;
	if (!steps && app_is_manager(app))
		return 0;
	int rc = store_client_get(app->db, app->a, r->client_id, &cl, err);
	if (rc < 0)
		return -1;
	if (rc == 1 && app_can_see_client(app, &cl) && app->actor &&
	    (mine || (!steps && cl.owner_id == app->actor->id)))
		return 0;
	if (steps && mine)
		return nc_error_field(err, NC_EFORBIDDEN, "id",
				      "script run %lld: its client belongs to another rep now",
				      (long long)r->id);
	if (steps)
		return nc_error_field(err, NC_EFORBIDDEN, "id",
				      "script run %lld is %s's: only he takes its steps",
				      (long long)r->id, r->rep ? r->rep : "another rep");
	return nc_error_field(err, NC_EFORBIDDEN, "id", "script run %lld is another rep's",
			      (long long)r->id);
}

static int check_see_run(struct app *app, const struct script_run_rec *r, struct nc_err *err)
{
	return run_access(app, r, false, err);
}

int app_run_get(struct app *app, int64_t id, struct run_view *out, struct nc_err *err)
{
	struct loaded l;
	memset(out, 0, sizeof(*out));
	if (app_require_role(app, ROLE_REP, err) < 0)
		return -1;
	if (run_load(app, id, &l, err) < 0 || check_see_run(app, &l.run, err) < 0)
		return -1;
	return view_fill(app, &l, NULL, out, err);
}

/* check_call: the call a run is taken on must be a call of that client (or of no client yet)
 * that nobody logged. */
static int check_call(struct app *app, int64_t call_id, int64_t client_id, struct call_rec *c,
		      struct nc_err *err)
{
	int rc = store_call_get(app->db, app->a, call_id, c, err);
	if (rc < 0)
		return -1;
	if (rc == 0 || c->kind != CONTACT_CALL)
		return nc_error_field(err, NC_ENOTFOUND, "call_id", "call %lld does not exist",
				      (long long)call_id);
	if (c->client_id && c->client_id != client_id)
		return nc_error_field(err, NC_EINVAL, "call_id",
				      "call %lld is with client %lld, not %lld", (long long)call_id,
				      (long long)c->client_id, (long long)client_id);
	if (c->logged)
		return nc_error_field(err, NC_ECONFLICT, "call_id", "call %lld is logged already",
				      (long long)call_id);
	return 0;
}

int app_run_start(struct app *app, const struct run_input *in, struct run_view *out,
		  struct nc_err *err)
{
	struct script_rec v;
	struct client_rec cl;
	struct call_rec call;
	struct script s;
	struct run_state st;
	memset(out, 0, sizeof(*out));
	if (app_require_role(app, ROLE_REP, err) < 0)
		return -1;
	if (!app->actor)
		return nc_error_field(err, NC_EINVAL, "rep",
				      "a run is taken by a signed-in user (--as LOGIN)");
	if (in->version < 0)
		return nc_error_field(err, NC_EINVAL, "version", "version: 1, 2, ... (0: latest)");
	int rc = store_script_get(app->db, app->a, in->script_id, in->version, &v, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return nc_error_field(err, NC_ENOTFOUND, in->version ? "version" : "script_id",
				      "script %lld has no version %d", (long long)in->script_id,
				      in->version);
	if (v.archived)
		return nc_error_field(err, NC_EINVAL, "script_id", "script \"%.80s\" is archived",
				      v.name);
	if (app_check_client(app, in->client_id, &cl, err) < 0 ||
	    (in->call_id && check_call(app, in->call_id, cl.id, &call, err) < 0) ||
	    script_version_parse(app, &v, &s, err) < 0)
		return -1;
	uint32_t rnd = randombytes_random();
	script_run_start(&s, app->a, app->now, rnd, &st);
	struct script_run_rec r = {.version_id = v.version_id,
				   .client_id = cl.id,
				   .call_id = in->call_id,
				   .rep_id = app->actor->id,
				   .started_at = app->now};
	struct run_step_rec start = {.seq = 0,
				     .action = "start",
				     .rnd = rnd,
				     .entered = s.nodes[s.start].id,
				     .variant = st.variant[s.start],
				     .at = app->now};
	int64_t id;
	if (db_begin(app->db, err) < 0)
		return -1;
	if (store_run_insert(app->db, &r, s.nodes[s.start].id, &start, &id, err) < 0 ||
	    (in->call_id && store_call_set_script_run(app->db, in->call_id, id, err) < 0) ||
	    db_commit(app->db, err) < 0) {
		db_rollback(app->db);
		return -1;
	}
	return app_run_get(app, id, out, err);
}

/* ---- runs: a step ---- */

/* check_step refuses input no runner should see: sizes, UTF-8, the action word. */
static int check_step(const struct run_step *step, struct nc_err *err)
{
	if ((int)step->action < 0 || (size_t)step->action >= NACTIONS)
		return nc_error_field(err, NC_EINVAL, "action", "unknown action %d",
				      (int)step->action);
	if (step->action == RUN_OBJECTION &&
	    (!step->objection || strlen(step->objection) > RUN_ARG_MAX ||
	     !utf8_valid(step->objection, strlen(step->objection))))
		return nc_error_field(err, NC_EINVAL, "objection", "objection: an objection's id");
	if (step->action == RUN_ANSWER) {
		if (step->nanswers > 16)
			return nc_error_field(err, NC_EINVAL, "answers", "answers: at most 16");
		for (size_t i = 0; i < step->nanswers; i++) {
			const struct run_answer *a = &step->answers[i];
			if ((a->field &&
			     (strlen(a->field) > 100 || !utf8_valid(a->field, strlen(a->field)))) ||
			    (a->value && (strlen(a->value) > RUN_ANSWER_MAX ||
					  !utf8_valid(a->value, strlen(a->value)))))
				return nc_error_field(err, NC_EINVAL, "answers",
						      "answers: at most %d bytes of valid UTF-8",
						      RUN_ANSWER_MAX);
		}
	}
	return 0;
}

/* card_phone adds a captured phone to the client, refusing one another client owns. */
static int card_phone(struct app *app, struct client_rec *cl, const char *raw, struct nc_err *err)
{
	struct team_settings ts;
	char *e = arena_alloc(app->a, PHONE_E164_MAX);
	int64_t other;
	if (app_settings_load(app, &ts, err) < 0 ||
	    phone_normalize(raw, ts.region, e, "answers", err) < 0)
		return -1;
	int rc = store_phone_owner(app->db, e, &other, err);
	if (rc < 0)
		return -1;
	if (rc == 1 && other == cl->id)
		return 0;
	if (rc == 1) {
		nc_error_field(err, NC_ECONFLICT, "answers",
			       "phone \"%.40s\" (%s) already belongs to client %lld", raw, e,
			       (long long)other);
		if (err)
			err->ref = other;
		return -1;
	}
	if (cl->nphones >= CLIENT_MAX_PHONES)
		return nc_error_field(err, NC_EINVAL, "answers", "the client has %d phones already",
				      CLIENT_MAX_PHONES);
	if (store_phone_insert(app->db, cl->id, e, raw, err) < 0)
		return -1;
	const char **p = ARENA_ARRAY(app->a, const char *, cl->nphones + 1);
	if (cl->nphones)
		memcpy(p, cl->phones, cl->nphones * sizeof(*p));
	p[cl->nphones++] = e;
	cl->phones = p;
	return 0;
}

/* card_write puts the answers a step captured into the client card: the card's own fields
 * (name, company, a phone) or a captured field. *changed tells whether anything was written. */
static int card_write(struct app *app, struct loaded *l, const struct run_effect *eff,
		      bool *changed, struct nc_err *err)
{
	struct client_rec cl;
	bool own = false;
	*changed = false;
	if (!eff->ncaptured)
		return 0;
	if (store_client_get(app->db, app->a, l->run.client_id, &cl, err) != 1)
		return err && err->code ? -1 : nc_error(err, NC_EDB, "run without its client");
	const struct script_node *nd = &l->s.nodes[l->st.node];
	for (size_t i = 0; i < eff->ncaptured; i++) {
		const struct run_answer *a = &eff->captured[i];
		const char *f = a->field ? a->field : nd->question.field;
		if (!strcmp(f, "client.name") || !strcmp(f, "client.company")) {
			if ((f[7] == 'n' && utf8_is_blank(a->value)) || strlen(a->value) > 300)
				return nc_error_field(err, NC_EINVAL, "answers",
						      "%s: 1 to 300 bytes", f);
			*(f[7] == 'n' ? &cl.name : &cl.company) = a->value;
			own = true;
		} else if (!strcmp(f, "client.phone")) {
			if (card_phone(app, &cl, a->value, err) < 0)
				return -1;
			own = true;
		} else {
			struct client_field cf = {.field = f,
						  .value = a->value,
						  .type = type_words[nd->question.type],
						  .run_id = l->run.id,
						  .updated_at = app->now};
			if (store_client_field_put(app->db, cl.id, &cf, err) < 0)
				return -1;
		}
	}
	*changed = true;
	if (!own)
		return 0;
	cl.updated_at = app->now;
	return store_client_update(app->db, &cl, app_client_search_text(app, &cl), err) < 0 ||
		       store_audit(
			   app->db, app->now, actor_login(app), "client.update", "client", cl.id,
			   arena_printf(app->a, "script run %lld", (long long)l->run.id), err) < 0
		   ? -1
		   : 0;
}

static bool kind_allowed(const struct script_node *nd, const char *kind)
{
	if (!nd->nnext_kinds)
		return true;
	for (size_t i = 0; i < nd->nnext_kinds; i++)
		if (!strcmp(nd->next_kinds[i], kind))
			return true;
	return false;
}

/* run_log logs the finished run's contact through the rules of any logged call; on the PBX call
 * it was taken on when that call is not logged yet. Inside the caller's transaction. */
static int run_log(struct app *app, struct loaded *l, const struct run_finish *fin,
		   struct contact_output *logged, struct nc_err *err)
{
	static const struct run_finish none = {.talk_s = -1};
	const struct script_node *nd = &l->s.nodes[l->st.node];
	struct call_rec call = {0};
	if (!fin)
		fin = &none;
	if (fin->next_kind && !kind_allowed(nd, fin->next_kind))
		return nc_error_field(err, NC_EINVAL, "next_kind",
				      "next step \"%.20s\": node \"%.60s\" captures %s%s",
				      fin->next_kind, nd->id, nd->next_kinds[0],
				      nd->nnext_kinds > 1 ? " or another of its kinds" : "");
	if (l->run.call_id && check_call(app, l->run.call_id, l->run.client_id, &call, err) < 0)
		return -1;
	int64_t talk = app->now - l->run.started_at;
	if (fin->talk_s >= 0)
		talk = fin->talk_s;
	else if (call.id && call.talk_s > 0)
		talk = call.talk_s;
	char at[32];
	time_rfc3339(l->run.started_at, "UTC", at);
	struct contact_input in = {
	    .client_id = l->run.client_id,
	    .kind = CONTACT_CALL,
	    .direction = call.id && call.direction >= 0
			     ? direction_name((enum direction)call.direction)
			 : l->s.outbound ? "out"
					 : "in",
	    .purpose = l->s.task_max,
	    .goal_max = l->s.task_max,
	    .goal_min = l->s.task_min,
	    .result = script_goal_name(l->st.result),
	    .talk_s = (int)(talk > RUN_MAX_TALK_S ? RUN_MAX_TALK_S : talk),
	    .ring_s = -1,
	    .at = at,
	    .next_kind = fin->next_kind,
	    .next_due = fin->next_due,
	    .refused = fin->refused,
	    .offer = fin->offer,
	};
	struct contact_prep p;
	if (contact_prepare(app, &in, &p, logged, err) < 0 ||
	    contact_write(app, &in, &p, call.id, logged, err) < 0 ||
	    store_call_set_script_run(app->db, logged->call_id, l->run.id, err) < 0)
		return -1;
	l->run.call_id = logged->call_id;
	return 0;
}

/* step_checks: who may step, on what, at which seq. */
static int step_checks(struct app *app, const struct loaded *l, int seq, struct nc_err *err)
{
	if (run_access(app, &l->run, true, err) < 0)
		return -1;
	if (strcmp(l->run.status, "open") != 0)
		return nc_error_field(err, NC_ECONFLICT, "run", "script run %lld is %s",
				      (long long)l->run.id, l->run.status);
	if (seq != l->run.steps)
		return nc_error_field(err, NC_ECONFLICT, "seq",
				      "step %d sent out of order: the run expects seq %d", seq,
				      l->run.steps);
	return 0;
}

/* step_apply takes the step on the loaded state and stores its row and the run's new state. */
static int step_apply(struct app *app, struct loaded *l, const struct run_step *step,
		      struct run_effect *eff, struct nc_err *err)
{
	const char *why = NULL, *field = NULL;
	uint32_t rnd = randombytes_random();
	if (script_run_apply(&l->s, app->a, &l->st, step, app->now, rnd, eff, &why, &field) < 0)
		return nc_error_field(err, NC_EINVAL, field ? field : "action", "%s",
				      why ? why : "the step does not fit the run");
	struct run_step_rec row = {.seq = l->run.steps + 1,
				   .action = action_words[step->action],
				   .arg = step_arg(app, step),
				   .rnd = rnd,
				   .variant = -1,
				   .at = app->now};
	if (eff->entered >= 0) {
		row.entered = l->s.nodes[eff->entered].id;
		row.variant = l->st.variant[eff->entered];
	} else if (step->action == RUN_OBJECTION && l->st.objection >= 0) {
		row.entered =
		    arena_printf(app->a, "objection:%s", l->s.objections[l->st.objection].id);
		row.variant = l->st.objection_variant[l->st.objection];
	}
	int prev = l->run.steps;
	l->run.steps++;
	l->run.updated_at = app->now;
	if (l->st.finished) {
		l->run.status = "finished";
		l->run.result = (int)l->st.result;
		l->run.finished_at = app->now;
	}
	/* a step that finishes the run counts its result once (a finished run takes no step) */
	const char *node = l->s.nodes[l->st.node].id;
	if (store_run_step_add(app->db, l->run.id, l->run.version_id, &row, err) < 0 ||
	    store_run_update(app->db, &l->run, node, prev, err) < 0 ||
	    (l->st.finished && store_script_count_end(app->db, &l->run, node, err) < 0))
		return -1;
	return 0;
}

/* run_step_tx is one attempt at the transaction of app_run_step: the run is loaded again each
 * time. *l, *eff, *changed and *logged get what the commit stored. */
static int run_step_tx(struct app *app, int64_t id, int seq, const struct run_step *step,
		       const struct run_finish *fin, struct loaded *l, struct run_effect *eff,
		       bool *changed, struct contact_output *logged, struct nc_err *err)
{
	*changed = false;
	memset(logged, 0, sizeof(*logged));
	if (db_begin(app->db, err) < 0)
		return -1;
	/* the client is locked as a logged contact locks him (contacts.c) before his card and
	   steps are read and written */
	if (run_load(app, id, l, err) < 0 ||
	    store_client_lock(app->db, l->run.client_id, err) < 0 ||
	    step_checks(app, l, seq, err) < 0 || step_apply(app, l, step, eff, err) < 0 ||
	    card_write(app, l, eff, changed, err) < 0)
		goto fail;
	/* a refusal by the rules stores nothing of the finish: the run stays at its end node */
	if (step->action == RUN_FINISH && run_log(app, l, fin, logged, err) < 0)
		goto fail;
	if (l->st.finished &&
	    store_run_update(app->db, &l->run, l->s.nodes[l->st.node].id, l->run.steps, err) < 0)
		goto fail;
	return db_commit(app->db, err);
fail:
	db_rollback(app->db);
	return -1;
}

int app_run_step(struct app *app, int64_t id, int seq, const struct run_step *step,
		 const struct run_finish *fin, struct run_view *out, struct contact_output *logged,
		 struct nc_err *err)
{
	struct loaded l;
	struct run_effect eff;
	struct contact_output lg0;
	bool changed = false;
	int rc, tries = 0;
	memset(out, 0, sizeof(*out));
	if (!logged)
		logged = &lg0;
	memset(logged, 0, sizeof(*logged));
	if (app_require_role(app, ROLE_REP, err) < 0 || check_step(step, err) < 0)
		return -1;
	do
		rc = run_step_tx(app, id, seq, step, fin, &l, &eff, &changed, logged, err);
	while (app_retry(app, rc, &tries, "run.step", err));
	if (rc < 0)
		return -1;
	if (changed || step->action == RUN_FINISH) {
		struct client_rec cl;
		if (store_client_get(app->db, app->a, l.run.client_id, &cl, NULL) == 1)
			client_changed(app, cl.id, cl.owner_id,
				       step->action == RUN_FINISH ? "call" : "script");
	}
	return view_fill(app, &l, &eff, out, err);
}

/* run_abandon ends the open run r without a result, inside the caller's transaction; why goes
 * to the audit log (NULL: the rep ended it). */
static int run_abandon(struct app *app, struct script_run_rec *r, const char *why,
		       struct nc_err *err)
{
	/* the node stays: the analytics count where runs were abandoned */
	struct loaded l;
	if (run_load(app, r->id, &l, err) < 0)
		return -1;
	int prev = r->steps;
	r->status = "abandoned";
	r->updated_at = r->finished_at = app->now;
	if (store_run_update(app->db, r, l.s.nodes[l.st.node].id, prev, err) < 0 ||
	    store_script_count_end(app->db, r, l.s.nodes[l.st.node].id, err) < 0 ||
	    store_audit(app->db, app->now, actor_login(app), "script_run.abandon", "script_run",
			r->id, why, err) < 0)
		return -1;
	return 0;
}

int app_run_abandon(struct app *app, int64_t id, struct nc_err *err)
{
	struct script_run_rec r;
	if (app_require_role(app, ROLE_REP, err) < 0 || db_begin(app->db, err) < 0)
		return -1;
	int rc = store_run_get(app->db, app->a, id, &r, err);
	if (rc == 0)
		nc_error_field(err, NC_ENOTFOUND, "id", "script run %lld does not exist",
			       (long long)id);
	if (rc <= 0 || check_see_run(app, &r, err) < 0)
		goto fail;
	if (strcmp(r.status, "open") != 0) {
		nc_error_field(err, NC_ECONFLICT, "run", "script run %lld is %s", (long long)id,
			       r.status);
		goto fail;
	}
	if (run_abandon(app, &r, NULL, err) < 0)
		goto fail;
	return db_commit(app->db, err);
fail:
	db_rollback(app->db);
	return -1;
}

int runs_client_moved(struct app *app, int64_t client_id, int64_t owner_id, struct nc_err *err)
{
	struct script_run_rec *runs;
	size_t n;
	if (store_runs_open(app->db, app->a, 0, client_id, &runs, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (runs[i].rep_id != owner_id &&
		    run_abandon(app, &runs[i], "the client was given to another rep", err) < 0)
			return -1;
	return 0;
}

int app_runs_open(struct app *app, int64_t client_id, struct script_run_rec **out, size_t *n,
		  struct nc_err *err)
{
	struct client_rec cl;
	*out = NULL;
	*n = 0;
	if (app_require_role(app, ROLE_REP, err) < 0 ||
	    (client_id && app_check_client(app, client_id, &cl, err) < 0))
		return -1;
	return store_runs_open(app->db, app->a, app->actor ? app->actor->id : 0, client_id, out, n,
			       err);
}

int app_client_fields(struct app *app, int64_t client_id, struct client_field **out, size_t *n,
		      struct nc_err *err)
{
	struct client_rec cl;
	*out = NULL;
	*n = 0;
	if (app_check_client(app, client_id, &cl, err) < 0)
		return -1;
	return store_client_fields(app->db, app->a, client_id, out, n, err);
}
