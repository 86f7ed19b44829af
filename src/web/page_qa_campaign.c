/* page_qa_campaign.c - mystery shopper campaigns for the head of sales: plan the test calls,
 * fill the shopper's form per call, see the leak rate; and the alarm on the team's day when
 * 30% or more of the test calls ended without a next step. */
#include "web/fields.h"
#include "web/page.h"
#include "web/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLAN_ROWS 8 /* rows of the plan form: at least QA_CAMPAIGN_MIN_CALLS */

/* ---- the alarm ---- */

/* alarm_box writes what to do about campaign v's leaks. */
static void alarm_box(struct page *p, const struct qa_campaign_view *v, bool link)
{
	struct html *h = &p->h;
	HTML(h, "<section class=\"alert qa-alarm\" role=\"alert\"><h2>");
	html_textf(h, T(h, "Mystery shopper: %.0f%% of test calls ended without a next step"),
		   v->leak_rate * 100);
	HTML(h, "</h2><p>");
	Tw(h, "Write or fix the scripts for the moves that failed most:");
	HTML(h, "</p><ul>");
	for (size_t k = 0; k < v->nworst && k < 3; k++) {
		HTML(h, "<li>");
		html_text(h, qa_text(h, qa_moves[v->worst[k]].label));
		html_textf(h, " (%lld)", (long long)v->fails[v->worst[k]]);
		HTML(h, "</li>");
	}
	HTML(h, "</ul><p>");
	Tw(h, "Train the reps:");
	HTML(h, " ");
	for (size_t k = 0; k < v->nleak_reps; k++) {
		if (k)
			HTML(h, ", ");
		html_text(h, v->leak_reps[k]);
	}
	HTML(h, "</p>");
	if (link) {
		HTML(h, "<p><a");
		html_attrf(h, "href", "/qa/campaigns/%lld", (long long)v->c.id);
		HTML(h, ">");
		html_text(h, v->c.name);
		HTML(h, "</a></p>");
	}
	HTML(h, "</section>");
}

void qa_alarm(struct page *p)
{
	struct qa_campaign_view v;
	struct nc_err err = {0};
	bool raised = false;
	if (app_qa_alarm(&p->r->app, &v, &raised, &err) == 0 && raised)
		alarm_box(p, &v, true);
}

/* ---- planning ---- */

static void plan_row(struct field_writer *w, size_t i, const struct user_rec *reps, size_t n)
{
	struct html *h = &w->p->h;
	char rep[32], at[32];
	snprintf(rep, sizeof(rep), "calls[%zu].rep", i);
	snprintf(at, sizeof(at), "calls[%zu].at", i);
	HTML(h, "<tr><td>");
	html_int(h, (int64_t)i + 1);
	HTML(h, "</td><td>");
	field_start(w, rep, N_("Rep"), NULL);
	HTML(h, "<select");
	field_attrs(w);
	HTML(h, ">");
	const char *cur = field_value(w, rep, "");
	html_option(h, "", "—", cur);
	for (size_t k = 0; k < n; k++)
		if (reps[k].role == ROLE_REP)
			html_option(h, reps[k].login, reps[k].name, cur);
	HTML(h, "</select>");
	field_end(w);
	HTML(h, "</td><td>");
	field_start(w, at, N_("Time"), NULL);
	HTML(h, "<input type=\"datetime-local\"");
	field_attrs(w);
	html_attr(h, "value", field_value(w, at, ""));
	HTML(h, ">");
	field_end(w);
	HTML(h, "</td></tr>");
}

static void plan_render(struct req *r, const struct field_redo *rd, int status)
{
	struct user_rec *users;
	struct script_rec *scripts;
	size_t nusers, nscripts;
	struct nc_err err = {0};
	if (app_user_list_active(&r->app, &users, &nusers, &err) < 0 ||
	    app_script_list(&r->app, false, &scripts, &nscripts, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct page p;
	struct html *h = &p.h;
	struct field_writer w = {.p = &p, .rd = rd, .form = "campaign"};
	static const char *const fields[] = {"name", "scenario", "calls", NULL};
	page_begin(&p, r, page_tr(r, "Plan a mystery shopper campaign"), "qa");
	HTML(h, "<h1>");
	Tw(h, "Plan a mystery shopper campaign");
	HTML(h, "</h1><p>");
	Tw(h, "At least 5 test calls, each at a different hour, to different reps. The shopper "
	      "follows the scenario: asks for the product, asks the price, says \"why so "
	      "expensive?\", asks for discounts, says \"I'll think about it\" and \"my boss asked "
	      "me to collect prices\".");
	HTML(h, "</p><form method=\"post\" action=\"/qa/campaigns\">");
	page_csrf(&p);
	field_alert(&w, fields);
	static const struct field_def name = {"name", "text", N_("Name"), NULL, 0, 100, FIELD_REQ};
	field_input(&w, &name, field_value(&w, "name", ""));
	field_start(&w, "scenario", N_("Scenario"),
		    N_("A call script uploaded on the scripts page"));
	HTML(h, "<select");
	field_attrs(&w);
	HTML(h, ">");
	const char *cur = field_value(&w, "scenario", "");
	for (size_t i = 0; i < nscripts; i++)
		html_option(h, scripts[i].name, scripts[i].name,
			    *cur				? cur
			    : strstr(scripts[i].name, "ystery") ? scripts[i].name
								: "");
	HTML(h, "</select>");
	field_end(&w);
	HTML(h, "<table class=\"qa-plan\"><thead><tr><th scope=\"col\">#</th><th scope=\"col\">");
	Tw(h, "Rep");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Time");
	HTML(h, "</th></tr></thead><tbody>");
	for (size_t i = 0; i < PLAN_ROWS; i++)
		plan_row(&w, i, users, nusers);
	HTML(h, "</tbody></table>");
	field_button(h, N_("Plan the campaign"));
	HTML(h, "</form>");
	page_end(&p, status);
}

void page_qa_campaign_new(struct req *r)
{
	plan_render(r, NULL, 0);
}

void page_qa_campaign_create(struct req *r)
{
	struct form f;
	struct nc_err err = {0};
	if (page_form(r, &f) < 0)
		return;
	struct qa_call_plan *plan = ARENA_ARRAY(&r->a, struct qa_call_plan, PLAN_ROWS);
	struct qa_campaign_input in = {
	    .name = form_get(&f, "name"), .scenario = form_get(&f, "scenario"), .calls = plan};
	for (size_t i = 0; i < PLAN_ROWS; i++) {
		char k[32];
		snprintf(k, sizeof(k), "calls[%zu].rep", i);
		const char *rep = form_get(&f, k);
		snprintf(k, sizeof(k), "calls[%zu].at", i);
		const char *at = form_get(&f, k);
		if ((!rep || !*rep) && (!at || !*at))
			continue; /* an unused row; the numbering of errors follows the rows */
		plan[in.ncalls++] = (struct qa_call_plan){.rep = rep, .at = at};
	}
	int64_t id;
	if (app_qa_campaign_add(&r->app, &in, &id, &err) == 0) {
		char loc[64];
		snprintf(loc, sizeof(loc), "/qa/campaigns/%lld", (long long)id);
		page_redirect(r, loc);
		return;
	}
	field_refused(r, "campaign", &f, &err, plan_render);
}

/* ---- a campaign ---- */

static void calls_table(struct page *p, const struct qa_campaign_view *v)
{
	struct html *h = &p->h;
	HTML(h,
	     "<table class=\"qa-campaign\"><thead><tr><th scope=\"col\">#</th><th scope=\"col\">");
	Tw(h, "Time");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Rep");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Next step");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Form");
	HTML(h, "</th></tr></thead><tbody>");
	for (size_t i = 0; i < v->ncalls; i++) {
		const struct qa_ccall_rec *c = &v->calls[i];
		HTML(h, "<tr");
		html_attr(h, "data-leak", c->leak == 1 ? "1" : c->leak == 0 ? "0" : NULL);
		HTML(h, "><td>");
		html_int(h, c->n);
		HTML(h, "</td><td>");
		page_time(p, c->planned_at);
		HTML(h, "</td><td>");
		html_text(h, c->rep_name);
		HTML(h, "</td><td>");
		if (c->leak < 0)
			HTML(h, "—");
		else
			Tw(h, c->leak ? N_("Leak: no next step") : N_("Pushed to a next step"));
		HTML(h, "</td><td><a");
		html_attrf(h, "href", "/qa/campaigns/%lld/calls/%d", (long long)v->c.id, c->n);
		HTML(h, ">");
		Tw(h, c->filled_at ? N_("Change") : N_("Fill the form"));
		HTML(h, "</a></td></tr>");
	}
	HTML(h, "</tbody></table>");
}

void page_qa_campaign(struct req *r)
{
	struct qa_campaign_view v;
	struct nc_err err = {0};
	int64_t id = http_param_id(r, 0);
	if (id < 0)
		return;
	if (app_qa_campaign_get(&r->app, id, &v, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct page p;
	struct html *h = &p.h;
	page_begin(&p, r, v.c.name, "qa");
	HTML(h, "<h1>");
	html_text(h, v.c.name);
	HTML(h, "</h1><p class=\"day-links\"><a href=\"/qa\">");
	Tw(h, "Quality control");
	HTML(h, "</a></p><p class=\"qa-leak\">");
	Tw(h, "Leak rate");
	HTML(h, ": <strong>");
	html_textf(h, "%.0f%%", v.leak_rate * 100);
	HTML(h, "</strong> (");
	html_textf(h, T(h, "%lld of %lld filled calls without a next step"), (long long)v.c.leaks,
		   (long long)v.c.filled);
	HTML(h, "; ");
	html_textf(h, T(h, "%lld planned"), (long long)v.c.planned);
	HTML(h, ")</p>");
	if (v.alarm)
		alarm_box(&p, &v, false);
	calls_table(&p, &v);
	if (v.c.filled) {
		HTML(h, "<h2>");
		Tw(h, "Moves that failed");
		HTML(h, "</h2><table><tbody>");
		for (int m = 0; m < QA_MOVES; m++) {
			HTML(h, "<tr><td>");
			html_text(h, qa_text(h, qa_moves[m].label));
			HTML(h, "</td><td class=\"num\">");
			html_int(h, v.fails[m]);
			HTML(h, "</td></tr>");
		}
		HTML(h, "</tbody></table>");
	}
	HTML(h, "<details><summary>");
	Tw(h, "Scenario");
	HTML(h, ": ");
	html_text(h, v.c.scenario);
	HTML(h, "</summary><pre>");
	html_text(h, v.c.scenario_text);
	HTML(h, "</pre></details>");
	page_end(&p, 0);
}

/* ---- the shopper's form ---- */

static void fill_render(struct req *r, const struct field_redo *rd, int status)
{
	struct qa_campaign_view v;
	struct nc_err err = {0};
	int64_t id = http_param_id(r, 0), n = id < 0 ? -1 : http_param_id(r, 1);
	if (id < 0 || n < 0)
		return;
	if (app_qa_campaign_get(&r->app, id, &v, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	if (n > (int64_t)v.ncalls) {
		page_error(r, 404, page_tr(r, "No such test call"));
		return;
	}
	const struct qa_ccall_rec *c = &v.calls[n - 1];
	struct page p;
	struct html *h = &p.h;
	page_begin(&p, r, page_tr(r, "Mystery shopper's form"), "qa");
	HTML(h, "<h1>");
	Tw(h, "Mystery shopper's form");
	HTML(h, "</h1><p>");
	html_text(h, v.c.name);
	html_textf(h, " · #%lld · ", (long long)n);
	html_text(h, c->rep_name);
	HTML(h, " · ");
	page_time(&p, c->planned_at);
	HTML(h, "</p>");
	if (rd && rd->err) {
		HTML(h, "<p class=\"alert\" role=\"alert\">");
		html_text(h, rd->err->msg);
		HTML(h, "</p>");
	}
	HTML(h, "<form method=\"post\" class=\"qa-review\"");
	html_attrf(h, "action", "/qa/campaigns/%lld/calls/%lld", (long long)id, (long long)n);
	HTML(h, ">");
	page_csrf(&p);
	for (int m = 0; m < QA_MOVES; m++) {
		const char *typed = rd && rd->f ? form_get(rd->f, qa_moves[m].key) : NULL;
		int was = v.answers[n - 1][m];
		HTML(h, "<fieldset class=\"qa-item\"><legend>");
		html_text(h, qa_text(h, qa_moves[m].label));
		HTML(h, "</legend><label><input type=\"radio\" value=\"yes\"");
		html_attr(h, "name", qa_moves[m].key);
		if (typed ? strcmp(typed, "yes") == 0 : was == 1)
			HTML(h, " checked");
		HTML(h, "> ");
		Tw(h, "Yes");
		HTML(h, "</label> <label><input type=\"radio\" value=\"no\"");
		html_attr(h, "name", qa_moves[m].key);
		if (typed ? strcmp(typed, "no") == 0 : was == 0)
			HTML(h, " checked");
		HTML(h, "> ");
		Tw(h, "No");
		HTML(h, "</label></fieldset>");
	}
	HTML(h, "<p><label for=\"qa-note\">");
	Tw(h, "Note");
	HTML(h,
	     "</label><br><textarea id=\"qa-note\" name=\"note\" rows=\"3\" maxlength=\"2000\">");
	html_text(h, rd && rd->f ? form_get(rd->f, "note") : c->note);
	HTML(h, "</textarea></p>");
	field_button(h, N_("Save the form"));
	HTML(h, "</form>");
	page_end(&p, status);
}

void page_qa_fill(struct req *r)
{
	fill_render(r, NULL, 0);
}

void page_qa_fill_post(struct req *r)
{
	struct form f;
	struct nc_err err = {0};
	int64_t id = http_param_id(r, 0), n = id < 0 ? -1 : http_param_id(r, 1);
	if (id < 0 || n < 0 || page_form(r, &f) < 0)
		return;
	struct qa_fill_input in = {.note = form_get(&f, "note")};
	for (int m = 0; m < QA_MOVES; m++) {
		const char *v = form_get(&f, qa_moves[m].key);
		in.yes[m] = (signed char)(!v ? -1 : strcmp(v, "yes") == 0 ? 1 : 0);
	}
	if (in.note && !*in.note)
		in.note = NULL;
	if (app_qa_campaign_fill(&r->app, id, n > QA_CAMPAIGN_MAX_CALLS ? 0 : (int)n, &in, &err) ==
	    0) {
		char loc[64];
		snprintf(loc, sizeof(loc), "/qa/campaigns/%lld", (long long)id);
		page_redirect(r, loc);
		return;
	}
	field_refused(r, "fill", &f, &err, fill_render);
}
