/* contacts.c - logging a call or a meeting: the one place where a contact report is checked
 * against the method and turned into stored facts (the call, closed and new next steps, deals,
 * the client's category). */
#include "app/app.h"
#include "app/internal.h"
#include "io/phone.h"
#include "util/time.h"
#include "util/utf8.h"

#include <stdio.h>
#include <string.h>

static int text_field(const char *field, const char *s, size_t max, struct nc_err *err)
{
	if (s && (strlen(s) > max || !utf8_valid(s, strlen(s))))
		return nc_error_field(err, NC_EINVAL, field, "%s: at most %zu bytes of valid UTF-8",
				      field, max);
	return 0;
}

/* parse_input turns the strings of in into the contact c for the rules. */
static int parse_input(struct app *app, const struct contact_input *in, const char *tz,
		       const struct team_settings *ts, struct contact *c, struct nc_err *err)
{
	memset(c, 0, sizeof(*c));
	c->kind = in->kind;
	c->missed = in->missed;
	c->result = -1;
	if (in->kind == CONTACT_MEETING) {
		c->direction = DIR_OUT;
	} else {
		int d = in->direction ? direction_parse(in->direction) : -1;
		if (d < 0)
			return nc_error_field(err, NC_EINVAL, "direction",
					      "direction \"%.10s\": want in or out",
					      in->direction ? in->direction : "");
		c->direction = (enum direction)d;
	}
	if (in->kind == CONTACT_MEETING && in->missed)
		return nc_error_field(err, NC_EINVAL, "missed", "missed: only calls can be missed");
	if (text_field("purpose", in->purpose, 1000, err) < 0 ||
	    text_field("goal_max", in->goal_max, 500, err) < 0 ||
	    text_field("goal_min", in->goal_min, 500, err) < 0 ||
	    text_field("refused", in->refused, 1000, err) < 0 ||
	    text_field("never.note", in->never_note, 1000, err) < 0)
		return -1;
	c->purpose = in->purpose;
	c->goal_max = in->goal_max ? in->goal_max : ts->goal_max;
	c->goal_min = in->goal_min ? in->goal_min : ts->goal_min;
	if (in->result) {
		c->result = result_parse(in->result);
		if (c->result < 0)
			return nc_error_field(err, NC_EINVAL, "result",
					      "result \"%.10s\": want max, min or none",
					      in->result);
	}
	if (in->talk_s < -1 || in->talk_s > 86400 || in->ring_s < -1 || in->ring_s > 86400)
		return nc_error_field(err, NC_EINVAL,
				      in->talk_s > 86400 || in->talk_s < -1 ? "talk_s" : "ring_s",
				      "seconds: from 0 to 86400");
	c->talk_s = in->talk_s < 0 ? 0 : in->talk_s;
	c->ring_s = in->ring_s < 0 ? 0 : in->ring_s;
	c->at = app->now;
	if (in->at) {
		struct nc_when w;
		if (time_parse_when(in->at, tz, "at", &w, err) < 0)
			return -1;
		if (w.t > app->now + 300)
			return nc_error_field(err, NC_EINVAL, "at",
					      "at \"%.40s\": a contact cannot be in the future",
					      in->at);
		c->at = w.t;
	}
	if (in->next_kind || in->next_due) {
		int k = in->next_kind ? step_kind_parse(in->next_kind) : -1;
		if (k < 0)
			return nc_error_field(
			    err, NC_EINVAL, "next.kind",
			    "next step kind \"%.20s\": want meeting, visit, call, "
			    "callback, offer, invoice or decision",
			    in->next_kind ? in->next_kind : "");
		if (!in->next_due)
			return nc_error_rule(err, "next_step_vague", "next.due_at",
					     "the next step needs a concrete date and time");
		struct nc_when w;
		if (time_parse_when(in->next_due, tz, "next.due_at", &w, err) < 0)
			return -1;
		c->has_next = true;
		c->next_kind = (enum step_kind)k;
		c->next_due = w.t;
		c->next_has_time = w.has_time;
	}
	c->refused = in->refused;
	c->never_reason = in->never_reason;
	c->never_note = in->never_note;
	if (in->never_note && !in->never_reason)
		return nc_error_field(err, NC_EINVAL, "never.reason",
				      "a note about \"never\" needs the reason closed or gone");
	if (in->offer) {
		c->has_offer = true;
		if (money_parse(in->offer, &c->offer) < 0)
			return nc_error_field(
			    err, NC_EINVAL, "offer",
			    "offer \"%.30s\": want an amount like 15000 or 15000.50", in->offer);
	}
	if (in->won) {
		c->has_won = true;
		if (money_parse(in->won, &c->won) < 0)
			return nc_error_field(
			    err, NC_EINVAL, "won",
			    "won \"%.30s\": want an amount like 15000 or 15000.50", in->won);
	}
	if (in->missed &&
	    (c->has_next || c->refused || c->never_reason || c->has_offer || c->has_won))
		return nc_error_field(err, NC_EINVAL, "missed",
				      "a missed call reached nobody: it cannot have an outcome");
	return 0;
}

static const char *outcome_of(const struct contact *c)
{
	if (c->missed)
		return "missed";
	if (c->never_reason)
		return "never";
	if (c->has_won)
		return "sale";
	if (c->refused)
		return "refused";
	if (c->has_next)
		return "next_step";
	return "none";
}

/* update_deals opens an offer, wins the newest open deal (or records a new sale), or loses the
 * open deals when the client refused or is gone. */
static int update_deals(struct app *app, const struct contact *c, struct client_rec *cl,
			int64_t call_id, int64_t rep_id, struct contact_output *out,
			struct nc_err *err)
{
	struct deal_rec d = {.client_id = cl->id,
			     .call_id = call_id,
			     .rep_id = rep_id,
			     .created_at = app->now,
			     .updated_at = app->now};
	if (c->has_won) {
		if (store_deal_win(app->db, cl->id, c->won, app->now, &out->deal_id, err) < 0)
			return -1;
		if (out->deal_id)
			return 0;
		d.stage = DEAL_WON;
		d.amount = c->won;
		d.closed_at = app->now;
		return store_deal_insert(app->db, &d, &out->deal_id, err);
	}
	if (c->refused || c->never_reason)
		return store_deals_close_open(app->db, cl->id, DEAL_LOST, app->now, err);
	if (c->has_offer) {
		d.stage = DEAL_OFFER;
		d.amount = c->offer;
		if (store_deal_insert(app->db, &d, &out->deal_id, err) < 0)
			return -1;
	}
	/* an invoice sent or a decision awaited turns open offers into pending purchases */
	if (c->has_next && (c->next_kind == STEP_INVOICE || c->next_kind == STEP_DECISION))
		return store_deals_set_stage(app->db, cl->id, DEAL_OFFER, DEAL_PENDING, app->now,
					     err);
	return 0;
}

/* update_steps closes what this contact fulfilled and plans what comes next. */
static int update_steps(struct app *app, const struct contact *c, const struct team_settings *ts,
			int64_t client_id, int64_t call_id, int64_t rep_id,
			struct contact_output *out, struct nc_err *err)
{
	int64_t n;
	struct step_rec s = {.client_id = client_id,
			     .call_id = call_id,
			     .rep_id = rep_id,
			     .status = STEP_PLANNED,
			     .created_at = app->now};
	struct auto_step as;
	if (rules_auto_step(c, ts->callback_delay_min, ts->retry_delay_days, &as)) {
		if (c->direction == DIR_OUT &&
		    store_steps_close_planned(app->db, client_id, STEP_MISSED, true, app->now, &n,
					      err) < 0)
			return -1;
		s.kind = as.kind;
		s.due_at = as.due;
		s.auto_planned = true;
		return store_step_insert(app->db, &s, &out->step_id, err);
	}
	if (c->missed)
		return 0;
	enum step_status st = c->never_reason ? STEP_CANCELLED : STEP_DONE;
	if (store_steps_close_planned(app->db, client_id, st, false, app->now, &n, err) < 0)
		return -1;
	if (!c->has_next || c->never_reason)
		return 0;
	s.kind = c->next_kind;
	s.due_at = c->next_due;
	return store_step_insert(app->db, &s, &out->step_id, err);
}

static void collect_violations(const struct nc_err *err, struct violations *v)
{
	if (v->n >= RULES_MAX_VIOLATIONS)
		return;
	struct violation *x = &v->v[v->n++];
	v->nerrors++;
	x->rule = "next_step_vague"; /* the only refusal found while parsing */
	x->field = "next.due_at";
	snprintf(x->msg, sizeof(x->msg), "%.*s", (int)sizeof(x->msg) - 1, err->msg);
}

/* log_pbx_call logs a call from the exchange on its row: its rep, client and result may change,
 * so the report rollups get its difference, and that of the missed calls of the old and new
 * client it may call back (q_reports.c). */
static int log_pbx_call(struct app *app, const struct call_rec *r, struct nc_err *err)
{
	struct rollup_delta d = {0};
	if (store_rollup_watch_call(app->db, &d, r->id, r->client_id, err) < 0 ||
	    store_call_log_pbx(app->db, r, 0, err) < 0) {
		store_rollup_delta_free(&d);
		return -1;
	}
	return store_rollup_delta_apply(app->db, &d, err);
}

/* contact_writes does the writes of contact_write. */
static int contact_writes(struct app *app, const struct contact_input *in, struct contact_prep *p,
			  int64_t pbx_call, struct contact_output *out, struct nc_err *err)
{
	const struct contact *c = &p->c;
	struct client_rec *cl = &p->cl;
	const struct user_rec *rep = &p->rep;
	struct call_rec r = {.client_id = cl->id,
			     .rep_id = rep->id,
			     .kind = c->kind,
			     .direction = in->kind == CONTACT_CALL ? (int)c->direction : -1,
			     .started_at = c->at,
			     .ring_s = c->ring_s,
			     .talk_s = c->talk_s,
			     .missed = c->missed,
			     .purpose = c->purpose,
			     .result = c->result,
			     .outcome = outcome_of(c),
			     .refusal_reason = c->refused,
			     .phone = in->phone,
			     .pbx_id = in->pbx_id,
			     .recording_url = in->recording_url,
			     .logged = true,
			     .created_at = app->now};
	if (in->kind == CONTACT_MEETING || c->direction == DIR_OUT) {
		r.goal_max = c->goal_max;
		r.goal_min = c->goal_min;
	}
	if (!c->missed)
		r.ended_at = c->at + c->talk_s;
	/* a call from the exchange is logged on its own row, not recorded twice */
	r.id = out->call_id = pbx_call;
	if ((pbx_call ? log_pbx_call(app, &r, err)
		      : store_call_insert(app->db, &r, &out->call_id, err)) < 0 ||
	    update_steps(app, c, &p->ts, cl->id, out->call_id, rep->id, out, err) < 0 ||
	    update_deals(app, c, cl, out->call_id, rep->id, out, err) < 0)
		return -1;
	enum category cat = rules_category_after(c, cl->category);
	if (cat != cl->category)
		cl->category_at = app->now;
	cl->category = cat;
	if (c->refused)
		cl->refusal_reason = c->refused;
	if (c->never_reason) {
		cl->never_reason = c->never_reason;
		cl->never_note = c->never_note;
	}
	if (!c->missed) {
		if (c->at > cl->last_contact_at)
			cl->last_contact_at = c->at;
		if (!cl->owner_id)
			cl->owner_id = rep->id;
	}
	cl->updated_at = app->now;
	out->category = cat;
	if (store_client_update(app->db, cl, app_client_search_text(app, cl), err) < 0 ||
	    store_audit(app->db, app->now, app->actor ? app->actor->login : "system",
			in->kind == CONTACT_CALL ? "call.log" : "meeting.log", "call", out->call_id,
			outcome_of(c), err) < 0)
		return -1;
	return 0;
}

/* contact_write writes the checked contact inside the caller's transaction. The client's plan
 * is refreshed once, at the end: closing his steps, planning the next one and updating his row
 * each changed it (3 refreshes were 9 % of a logged call). */
int contact_write(struct app *app, const struct contact_input *in, struct contact_prep *p,
		  int64_t pbx_call, struct contact_output *out, struct nc_err *err)
{
	store_plans_defer(app->db);
	if (contact_writes(app, in, p, pbx_call, out, err) < 0) {
		/* the caller rolls back; if it went on, the plans would still be true */
		struct nc_err ignored = {0};
		store_plans_flush(app->db, &ignored);
		return -1;
	}
	return store_plans_flush(app->db, err);
}

int contact_prepare(struct app *app, const struct contact_input *in, struct contact_prep *p,
		    struct contact_output *out, struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	if (app_settings_load(app, &p->ts, err) < 0 ||
	    app_resolve_user(app, in->rep, "rep", &p->rep, err) < 0 ||
	    app_check_client(app, in->client_id, &p->cl, err) < 0)
		return -1;
	if (parse_input(app, in, p->rep.timezone, &p->ts, &p->c, err) < 0) {
		if (err && err->code == NC_ERULE)
			collect_violations(err, &out->v);
		return -1;
	}
	struct rule_ctx ctx = {.now = app->now,
			       .courtesy = p->ts.courtesy,
			       .ncourtesy = p->ts.ncourtesy,
			       .decision_hours = p->ts.decision_hours};
	if (p->cl.segment_id) {
		struct segment_rec seg;
		if (store_segment_by_name(app->db, app->a, p->cl.segment, &seg, err) < 0)
			return -1;
		ctx.cadence_max_days = seg.max_days;
	}
	if (rules_check_contact(&p->c, &ctx, &out->v) > 0) {
		for (size_t i = 0; i < out->v.n; i++)
			if (!out->v.v[i].warning)
				return nc_error_rule(err, out->v.v[i].rule, out->v.v[i].field, "%s",
						     out->v.v[i].msg);
	}
	return 0;
}

/* contact_log is one attempt of app_contact_log. The client's row is locked before anything is
 * read: two contacts with one client then run one after the other, each closing the steps the
 * other planned, and the client row written back is the one just read. */
static int contact_log(struct app *app, const struct contact_input *in, struct contact_output *out,
		       struct nc_err *err)
{
	struct contact_prep p;
	memset(out, 0, sizeof(*out));
	if (db_begin(app->db, err) < 0)
		return -1;
	if (store_client_lock(app->db, in->client_id, err) < 0 ||
	    contact_prepare(app, in, &p, out, err) < 0 ||
	    contact_write(app, in, &p, 0, out, err) < 0) {
		db_rollback(app->db);
		return -1;
	}
	if (db_commit(app->db, err) < 0)
		return -1;
	client_changed(app, p.cl.id, p.cl.owner_id, in->kind == CONTACT_CALL ? "call" : "meeting");
	return 0;
}

int app_contact_log(struct app *app, const struct contact_input *in, struct contact_output *out,
		    struct nc_err *err)
{
	int rc, tries = 0;
	do
		rc = contact_log(app, in, out, err);
	while (
	    app_retry(app, rc, &tries, in->kind == CONTACT_CALL ? "call.log" : "meeting.log", err));
	return rc;
}

int app_contact_list(struct app *app, int64_t client_id, int limit, struct call_rec **out,
		     size_t *n, struct nc_err *err)
{
	struct client_rec cl;
	if (app_check_client(app, client_id, &cl, err) < 0)
		return -1;
	return store_call_list(app->db, app->a, client_id, 0, limit, out, n, err);
}

/* can_see_call: managers see every contact; a rep his own and those of clients he may see. */
static int can_see_call(struct app *app, const struct call_rec *c, struct nc_err *err)
{
	if (app_is_manager(app) || c->rep_id == app->actor->id)
		return 1;
	if (!c->client_id)
		return 0;
	struct client_rec cl;
	int rc = store_client_get(app->db, app->a, c->client_id, &cl, err);
	if (rc <= 0)
		return rc;
	return app_can_see_client(app, &cl) ? 1 : 0;
}

/* fill_e164 adds the E.164 form of each call's number as dialled (the team's region), for the
 * lists of calls from the exchange. */
static int fill_e164(struct app *app, struct call_rec *c, size_t n, struct nc_err *err)
{
	struct team_settings ts;
	bool loaded = false;
	for (size_t i = 0; i < n; i++) {
		if (!c[i].phone || !*c[i].phone)
			continue;
		if (!loaded && app_settings_load(app, &ts, err) < 0)
			return -1;
		loaded = true;
		char e164[PHONE_E164_MAX];
		if (phone_normalize(c[i].phone, ts.region, e164, "phone", NULL) == 0)
			c[i].phone_e164 = arena_strdup(app->a, e164);
	}
	return 0;
}

int app_call_get(struct app *app, int64_t id, enum contact_kind kind, struct call_rec *out,
		 struct nc_err *err)
{
	const char *what = kind == CONTACT_MEETING ? "meeting" : "call";
	int rc = store_call_get(app->db, app->a, id, out, err);
	if (rc < 0)
		return -1;
	if (rc == 0 || out->kind != kind)
		return nc_error_field(err, NC_ENOTFOUND, "id", "%s %lld does not exist", what,
				      (long long)id);
	rc = can_see_call(app, out, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return nc_error_field(err, NC_EFORBIDDEN, "id",
				      "%s %lld belongs to another rep's client", what,
				      (long long)id);
	return fill_e164(app, out, 1, err);
}

/* parse_bound reads an RFC 3339 bound of a list; absent keeps *out. */
static int parse_bound(const char *s, const char *field, int64_t *out, struct nc_err *err)
{
	if (!s)
		return 0;
	if (strlen(s) > 64)
		return nc_error_field(err, NC_EINVAL, field, "%s: invalid time", field);
	return time_parse_rfc3339(s, field, out, err);
}

int app_call_list(struct app *app, const struct call_query *q, struct call_rec **out, size_t *n,
		  struct nc_err *err)
{
	struct call_filter f = {.kind = q->kind,
				.client_id = q->client_id,
				.from = INT64_MIN,
				.to = INT64_MAX,
				.after = q->after,
				.limit = q->limit};
	*out = NULL;
	*n = 0;
	if (q->limit < 0 || q->limit > 501)
		return nc_error_field(err, NC_EINVAL, "limit", "limit: from 1 to 500");
	if (parse_bound(q->from, "from", &f.from, err) < 0 ||
	    parse_bound(q->to, "to", &f.to, err) < 0)
		return -1;
	if (q->client_id) {
		struct client_rec cl;
		if (app_check_client(app, q->client_id, &cl, err) < 0)
			return -1;
	}
	if (q->rep && *q->rep) {
		struct user_rec u;
		int rc = store_user_by_login(app->db, app->a, q->rep, &u, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return nc_error_field(err, NC_EINVAL, "rep", "rep: no user \"%.40s\"",
					      q->rep);
		f.rep_id = u.id;
	}
	if (!app_is_manager(app))
		f.visible_to = app->actor->id;
	if (store_call_page(app->db, app->a, &f, out, n, err) < 0)
		return -1;
	return fill_e164(app, *out, *n, err);
}

int app_calls_unlogged(struct app *app, const char *rep, int limit, struct call_rec **out,
		       size_t *n, struct nc_err *err)
{
	struct user_rec u;
	*out = NULL;
	*n = 0;
	if (limit < 1 || limit > 500)
		return nc_error_field(err, NC_EINVAL, "limit", "limit: from 1 to 500");
	if (app_resolve_user(app, rep, "rep", &u, err) < 0 ||
	    store_calls_unlogged(app->db, app->a, u.id, app->now - (int64_t)UNLOGGED_DAYS * 86400,
				 limit, out, n, err) < 0)
		return -1;
	/* a rep who answered another rep's client sees the call (his work: its time and number)
	   and whose client it is not: the client's id stays, his name does not */
	for (size_t i = 0; i < *n; i++) {
		struct call_rec *c = &(*out)[i];
		struct client_rec owner = {.owner_id = c->client_owner};
		if (c->client_id && !app_can_see_client(app, &owner)) {
			c->client_name = NULL;
			c->client_hidden = true;
		}
	}
	return 0;
}

/* ---- a call handed to the owner of its client ---- */

/* refuse fills the NC_ECONFLICT of a call that cannot be handed over, why in out->refusal. */
#define refuse(out, why, err, ...)                                                                 \
	((out)->refusal = (why), nc_error_field((err), NC_ECONFLICT, "id", __VA_ARGS__))

/* handover_owner loads, inside the transaction, the client of call c and his owner and checks
 * that the call can go to him. */
static int handover_owner(struct app *app, const struct call_rec *c, struct client_rec *cl,
			  struct user_rec *owner, struct handover_out *out, struct nc_err *err)
{
	long long id = (long long)c->id;
	int rc = store_client_get(app->db, app->a, c->client_id, cl, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return refuse(out, "no_client", err, "call %lld has no client: log it yourself",
			      id);
	if (!cl->owner_id)
		return refuse(out, "no_owner", err,
			      "the client of call %lld has no owner: log it yourself", id);
	if (cl->owner_id == c->rep_id || (app->actor && cl->owner_id == app->actor->id))
		return refuse(out, "own_client", err,
			      "the client of call %lld is not another rep's: log the call", id);
	rc = store_user_by_id(app->db, app->a, cl->owner_id, owner, err);
	if (rc < 0)
		return -1;
	if (rc == 0 || !owner->active)
		return refuse(out, "owner_inactive", err,
			      "the owner of the client of call %lld is deactivated: ask the head "
			      "of sales to give the client to another rep",
			      id);
	return 0;
}

/* handover_write stores the handover of call c inside the transaction. */
static int handover_write(struct app *app, const struct call_rec *c, const char *note,
			  struct handover_out *out, struct nc_err *err)
{
	struct team_settings ts;
	struct client_rec cl;
	struct user_rec owner;
	int changed = 0;
	if (store_client_lock(app->db, c->client_id, err) < 0 ||
	    handover_owner(app, c, &cl, &owner, out, err) < 0 ||
	    app_settings_load(app, &ts, err) < 0 ||
	    store_call_set_handled(app->db, c->id, &changed, err) < 0)
		return -1;
	if (!changed)
		return refuse(out, "logged", err, "call %lld is logged already", (long long)c->id);
	const struct user_rec *by = app->actor;
	struct step_rec s = {.client_id = cl.id,
			     .call_id = c->id,
			     .rep_id = owner.id,
			     .kind = STEP_CALLBACK,
			     /* the client was promised a call back: as soon as for a missed call */
			     .due_at = app->now + (int64_t)ts.callback_delay_min * 60,
			     .status = STEP_PLANNED,
			     .note = arena_printf(app->a, "Handed over by %s (%s): %s",
						  by && by->name && *by->name ? by->name : "system",
						  by ? by->login : "system", note),
			     .created_at = app->now};
	if (store_step_insert(app->db, &s, &out->step_id, err) < 0 ||
	    store_audit(
		app->db, app->now, by ? by->login : "system", "call.handover", "call", c->id,
		arena_printf(app->a, "to %s, step %lld", owner.login, (long long)out->step_id),
		err) < 0)
		return -1;
	out->owner_id = owner.id;
	out->owner = owner.login;
	out->due_at = s.due_at;
	return 0;
}

/* call_handover is one attempt of app_call_handover. */
static int call_handover(struct app *app, int64_t id, const char *note, struct handover_out *out,
			 struct nc_err *err)
{
	struct call_rec c;
	memset(out, 0, sizeof(*out));
	int rc = store_call_get(app->db, app->a, id, &c, err);
	if (rc < 0)
		return -1;
	if (rc == 0 || c.kind != CONTACT_CALL)
		return nc_error_field(err, NC_ENOTFOUND, "id", "call %lld does not exist",
				      (long long)id);
	if (!app_is_manager(app) && (!app->actor || c.rep_id != app->actor->id))
		return nc_error_field(err, NC_EFORBIDDEN, "id",
				      "call %lld was taken by another rep: he or a head hands it "
				      "over",
				      (long long)id);
	if (utf8_is_blank(note))
		return nc_error_field(err, NC_EINVAL, "note",
				      "note: say what the client wanted, for his owner");
	if (text_field("note", note, HANDOVER_NOTE_MAX, err) < 0)
		return -1;
	if (c.logged) {
		rc = c.client_id ? store_call_was_handed(app->db, c.client_id, id, c.rep_id, err)
				 : 0;
		if (rc < 0)
			return -1;
		return rc ? refuse(out, "handed", err, "call %lld was handed over already",
				   (long long)id)
			  : refuse(out, "logged", err, "call %lld is logged already",
				   (long long)id);
	}
	if (!c.client_id)
		return refuse(out, "no_client", err, "call %lld has no client: log it yourself",
			      (long long)id);
	if (db_begin(app->db, err) < 0)
		return -1;
	if (handover_write(app, &c, note, out, err) < 0) {
		db_rollback(app->db);
		return -1;
	}
	if (db_commit(app->db, err) < 0)
		return -1;
	client_changed(app, c.client_id, out->owner_id, "handover");
	return 0;
}

int app_call_handover(struct app *app, int64_t id, const char *note, struct handover_out *out,
		      struct nc_err *err)
{
	int rc, tries = 0;
	do
		rc = call_handover(app, id, note, out, err);
	while (app_retry(app, rc, &tries, "call.handover", err));
	return rc;
}
