/* json.c - JSON shapes of the records (see json.h). */
#include "app/json.h"
#include "util/time.h"

#include <math.h>

static json_t *str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *json_time(int64_t t, const char *tz)
{
	if (!t)
		return json_null();
	char buf[32];
	time_rfc3339(t, tz, buf);
	return json_string(buf);
}

json_t *json_money(int64_t minor)
{
	if (minor % 100 == 0)
		return json_integer(minor / 100);
	return json_real((double)minor / 100.0);
}

json_t *json_of_step(const struct step_rec *s, const char *tz)
{
	json_t *j = json_pack("{s:I, s:I, s:s, s:o, s:s, s:b}", "id", (json_int_t)s->id,
			      "client_id", (json_int_t)s->client_id, "kind",
			      step_kind_name(s->kind), "due_at", json_time(s->due_at, tz), "status",
			      step_status_name(s->status), "auto", s->auto_planned);
	if (s->rep)
		json_object_set_new(j, "rep", json_string(s->rep));
	if (s->client_name)
		json_object_set_new(j, "client_name", json_string(s->client_name));
	if (s->client_phone)
		json_object_set_new(j, "phone", json_string(s->client_phone));
	if (s->call_id)
		json_object_set_new(j, "call_id", json_integer(s->call_id));
	if (s->note)
		json_object_set_new(j, "note", json_string(s->note));
	if (s->cancel_reason)
		json_object_set_new(j, "cancel_reason", json_string(s->cancel_reason));
	return j;
}

json_t *json_of_client(const struct client_rec *c, const struct step_rec *next, const char *tz)
{
	json_t *phones = json_array();
	for (size_t i = 0; i < c->nphones; i++)
		json_array_append_new(phones, json_string(c->phones[i]));
	json_t *ns = json_null();
	if (next)
		ns = json_pack("{s:I, s:s, s:o}", "id", (json_int_t)next->id, "kind",
			       step_kind_name(next->kind), "due_at", json_time(next->due_at, tz));
	return json_pack("{s:I, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
			 "s:o}",
			 "id", (json_int_t)c->id, "name", c->name, "company", str(c->company),
			 "category", category_name(c->category), "phones", phones, "owner",
			 str(c->owner), "segment", str(c->segment), "source", str(c->source),
			 "refusal_reason", str(c->refusal_reason), "never_reason",
			 str(c->never_reason), "never_note", str(c->never_note), "next_step", ns,
			 "last_contact_at", json_time(c->last_contact_at, tz), "created_at",
			 json_time(c->created_at, tz), "updated_at", json_time(c->updated_at, tz));
}

json_t *json_of_call(const struct call_rec *c, const char *tz)
{
	json_t *j = json_pack(
	    "{s:I, s:o, s:s, s:o, s:o, s:b, s:i, s:i, s:o, s:o, s:o, s:o, s:s, s:o, s:o}", "id",
	    (json_int_t)c->id, "client_id", c->client_id ? json_integer(c->client_id) : json_null(),
	    "kind", contact_kind_name(c->kind), "direction",
	    c->direction >= 0 ? json_string(direction_name((enum direction)c->direction))
			      : json_null(),
	    "at", json_time(c->started_at, tz), "missed", c->missed, "ring_s", c->ring_s, "talk_s",
	    c->talk_s, "purpose", str(c->purpose), "goal_max", str(c->goal_max), "goal_min",
	    str(c->goal_min), "result",
	    c->result >= 0 ? json_string(result_name((enum result)c->result)) : json_null(),
	    "outcome", c->outcome ? c->outcome : "none", "refusal_reason", str(c->refusal_reason),
	    "rep", str(c->rep));
	json_object_set_new(j, "phone", str(c->phone));
	json_object_set_new(j, "phone_e164", str(c->phone_e164));
	json_object_set_new(j, "pbx_id", str(c->pbx_id));
	json_object_set_new(j, "recording_url", str(c->recording_url));
	json_object_set_new(j, "logged", json_boolean(c->logged));
	return j;
}

json_t *json_of_deal(const struct deal_rec *d, const char *tz)
{
	return json_pack("{s:I, s:I, s:o, s:s, s:o, s:o}", "id", (json_int_t)d->id, "client_id",
			 (json_int_t)d->client_id, "amount", json_money(d->amount), "stage",
			 deal_stage_name(d->stage), "created_at", json_time(d->created_at, tz),
			 "closed_at", json_time(d->closed_at, tz));
}

json_t *json_of_user(const struct user_rec *u)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:b}", "id", (json_int_t)u->id,
			 "login", u->login, "name", u->name, "role", role_name(u->role), "timezone",
			 u->timezone, "locale", u->locale, "extension", str(u->extension), "active",
			 u->active);
}

static json_t *steps(const struct step_rec *s, size_t n, const char *tz)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_of_step(&s[i], tz));
	return a;
}

json_t *json_of_agenda(const struct agenda *ag, const char *tz)
{
	json_t *v = json_array();
	for (size_t i = 0; i < ag->nviolations; i++) {
		const struct agenda_violation *x = &ag->violations[i];
		json_t *o = json_pack("{s:I, s:s, s:s}", "client_id", (json_int_t)x->client_id,
				      "client_name", x->client_name, "rule", x->rule);
		if (x->due_at)
			json_object_set_new(o, "due_at", json_time(x->due_at, tz));
		json_array_append_new(v, o);
	}
	json_t *counters =
	    json_pack("{s:I, s:I, s:I, s:I, s:I}", "calls_today", (json_int_t)ag->calls_today,
		      "planned_today", (json_int_t)ag->planned_today, "overdue",
		      (json_int_t)ag->overdue_total, "pool_now", (json_int_t)ag->pool_now,
		      "pool_future", (json_int_t)ag->pool_future);
	return json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "rep", str(ag->rep),
			 "timezone", ag->timezone, "day_start", json_time(ag->day_start, tz),
			 "day_end", json_time(ag->day_end, tz), "overdue",
			 steps(ag->overdue, ag->noverdue, tz), "today",
			 steps(ag->today, ag->ntoday, tz), "violations", v, "counters", counters);
}

json_t *json_of_violations(const struct violations *v, bool warnings)
{
	json_t *a = json_array();
	for (size_t i = 0; i < v->n; i++) {
		if (v->v[i].warning != warnings)
			continue;
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "rule", v->v[i].rule, "field",
						   v->v[i].field, "message", v->v[i].msg));
	}
	return a;
}

json_t *json_of_card(const struct client_card *card, const char *tz)
{
	json_t *j = json_of_client(&card->c, card->has_next ? &card->next : NULL, tz);
	json_t *h = json_array(), *d = json_array();
	for (size_t i = 0; i < card->ncalls; i++)
		json_array_append_new(h, json_of_call(&card->calls[i], tz));
	for (size_t i = 0; i < card->ndeals; i++)
		json_array_append_new(d, json_of_deal(&card->deals[i], tz));
	json_object_set_new(j, "deals", d);
	json_object_set_new(j, "history", h);
	return j;
}

/* ---- reports ---- */

static json_t *json_period(const struct report_period *p)
{
	return json_pack("{s:s, s:s, s:i}", "from", p->from, "to", p->to, "days", p->days);
}

/* money_real: minor units (possibly fractional: prorated, averaged) as major units. */
static json_t *money_real(double minor)
{
	return json_real(round(minor) / 100.0);
}

static json_t *cost(double minor)
{
	return minor < 0 ? json_null() : money_real(minor);
}

/* report_numbers_into sets the numbers of one period into j. */
static void report_numbers_into(json_t *j, const struct report_numbers *n)
{
	const struct {
		const char *k;
		int64_t v;
	} counts[] = {
	    {"incoming_calls", n->incoming_calls},
	    {"outgoing_calls", n->outgoing_calls},
	    {"missed_calls", n->missed_calls},
	    {"answered_calls", n->answered_calls},
	    {"answered_in_time", n->answered_in_time},
	    {"callbacks_in_time", n->callbacks_in_time},
	    {"effective_calls", n->effective_calls},
	    {"max_calls", n->max_calls},
	    {"min_calls", n->min_calls},
	    {"talk_seconds", n->talk_seconds},
	    {"step_calls", n->step_calls},
	    {"meetings", n->meetings},
	    {"offers", n->offers},
	    {"pending", n->pending},
	    {"sold", n->sold},
	};
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		json_object_set_new(j, counts[i].k, json_integer(counts[i].v));
	json_object_set_new(j, "offers_amount", json_money(n->offers_amount));
	json_object_set_new(j, "sold_amount", json_money(n->sold_amount));
	json_object_set_new(j, "talk_minutes", json_real((double)n->talk_seconds / 60.0));
	json_object_set_new(j, "talk_per_call", json_real(n->talk_per_call));
	json_object_set_new(j, "average_check", money_real(n->average_check));
	const struct {
		const char *k;
		double v;
	} shares[] = {
	    {"answered_in_time_share", n->answered_in_time_share},
	    {"callbacks_in_time_share", n->callbacks_in_time_share},
	    {"max_rate", n->max_rate},
	    {"min_rate", n->min_rate},
	    {"call_to_step", n->call_to_step},
	    {"step_to_sale", n->step_to_sale},
	    {"call_to_sale", n->call_to_sale},
	};
	for (size_t i = 0; i < sizeof(shares) / sizeof(shares[0]); i++)
		json_object_set_new(j, shares[i].k, json_real(shares[i].v));
}

json_t *json_of_report_stats(const struct report_stats *s)
{
	json_t *j = json_object();
	json_object_set_new(j, "period", json_period(&s->period));
	json_object_set_new(j, "previous_period", json_period(&s->prev));
	report_numbers_into(j, &s->cur);
	json_t *before = json_object();
	report_numbers_into(before, &s->before);
	json_object_set_new(j, "previous", before);
	json_t *src = json_array();
	for (size_t i = 0; i < s->nsources; i++) {
		const struct report_source *x = &s->sources[i];
		json_array_append_new(
		    src, json_pack("{s:o, s:I, s:I, s:o, s:o, s:o, s:o}", "name", str(x->name),
				   "calls", (json_int_t)x->calls, "sold", (json_int_t)x->sold,
				   "sold_amount", json_money(x->sold_amount), "spend",
				   json_money(x->spend), "cost_per_call", cost(x->cost_per_call),
				   "cost_per_sale", cost(x->cost_per_sale)));
	}
	json_object_set_new(j, "sources", src);
	json_object_set_new(j, "spend", json_money(s->spend));
	json_object_set_new(j, "cost_per_call", cost(s->cost_per_call));
	json_object_set_new(j, "cost_per_sale", cost(s->cost_per_sale));
	json_object_set_new(j, "median_cycle_days", json_real(s->median_cycle_days));
	json_object_set_new(j, "forecast",
			    json_pack("{s:f, s:o}", "sold", s->forecast_sold, "amount",
				      money_real(s->forecast_amount)));
	/* the chart's points: "days" up to REPORT_CHART_DAYS days, "months" beyond */
	json_t *days = json_array();
	for (size_t i = 0; i < s->ndays; i++) {
		const struct report_day *d = &s->days[i];
		json_t *o = s->monthly ? json_pack("{s:s, s:s, s:s, s:i}", "month", d->month,
						   "from", d->date, "to", d->last, "days", d->days)
				       : json_pack("{s:s}", "date", d->date);
		json_object_set_new(o, "incoming", json_integer(d->incoming));
		json_object_set_new(o, "outgoing", json_integer(d->outgoing));
		json_object_set_new(o, "missed", json_integer(d->missed));
		json_object_set_new(o, "effective", json_integer(d->effective));
		json_object_set_new(o, "sold", json_integer(d->sold));
		json_array_append_new(days, o);
	}
	json_object_set_new(j, s->monthly ? "months" : "days", days);
	return j;
}

json_t *json_of_report_funnel(const struct report_funnel *f)
{
	json_t *stages = json_array();
	for (size_t i = 0; i < f->n; i++) {
		const struct funnel_stage *s = &f->stages[i];
		json_array_append_new(stages, json_pack("{s:s, s:s, s:I, s:f, s:I, s:f}", "key",
							s->key, "label", s->label, "count",
							(json_int_t)s->count, "share", s->share,
							"previous", (json_int_t)s->before,
							"previous_share", s->share_before));
	}
	return json_pack("{s:o, s:o, s:o}", "period", json_period(&f->period), "previous_period",
			 json_period(&f->prev), "stages", stages);
}

static json_t *json_report_rep(const struct report_rep *r)
{
	json_t *j = json_pack("{s:s, s:o}", "login", r->login, "name", str(r->name));
	report_numbers_into(j, &r->n);
	json_object_set_new(j, "conversion", json_real(r->conversion));
	json_object_set_new(j, "below", json_boolean(r->below));
	json_object_set_new(j, "qa_score", r->qa_score < 0 ? json_null() : json_real(r->qa_score));
	return j;
}

json_t *json_of_report_reps(const struct report_reps *r)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < r->n; i++)
		json_array_append_new(rows, json_report_rep(&r->rows[i]));
	return json_pack("{s:o, s:f, s:o, s:o}", "period", json_period(&r->period),
			 "allowed_conversion", r->allowed_conversion, "reps", rows, "total",
			 json_report_rep(&r->total));
}
