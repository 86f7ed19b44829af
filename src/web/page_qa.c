/* page_qa.c - quality control pages for the head of sales: calls to review and the review form
 * (recording, result, the script run's path, items data answers prefilled), a review, scores by
 * week, QA forms; mystery shopper campaigns are in page_qa_campaign.c. */
#include "io/svg.h"
#include "web/fields.h"
#include "web/page.h"
#include "web/pages.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QA_CALLS_SHOWN 50

/* The English texts of the method's form (migration 0007) and of the shopper's moves (app/qa.c):
 * pages translate these, and only these, so that a head's own item shows as he wrote it. */
static const char *const known_texts[] = {
    N_("Method call review"),
    N_("Greeted with the line of business and own name"),
    N_("Asked the client's name and used it"),
    N_("Took the initiative"),
    N_("At most 7 needs questions"),
    N_("Price not given before the third question"),
    N_("Handled \"expensive\" and \"I'll think about it\""),
    N_("Took the contacts"),
    N_("Proposed a concrete next step"),
    N_("Summed up and got the client's confirmation"),
    N_("Asked for the product: answered and asked questions"),
    N_("Asked the price: deflected and asked questions"),
    N_("\"Why so expensive?\" handled"),
    N_("\"Any discounts?\" handled"),
    N_("\"I'll think about it\" handled"),
    N_("\"My boss asked me to collect prices\" handled"),
    N_("Pushed to a next step at a concrete time"),
};

const char *qa_text(const struct html *h, const char *s)
{
	for (size_t i = 0; s && i < sizeof(known_texts) / sizeof(known_texts[0]); i++)
		if (strcmp(s, known_texts[i]) == 0)
			return T(h, s);
	return s;
}

/* percent writes a 0..1 share as a whole percentage, or a dash when negative (none). */
static void percent(struct html *h, double v)
{
	if (v < 0)
		HTML(h, "—");
	else
		html_textf(h, "%.0f%%", v * 100);
}

static void result_cell(struct page *p, int result, const char *outcome)
{
	struct html *h = &p->h;
	HTML(h, "<td>");
	if (result >= 0)
		html_text(h, result_name((enum result)result));
	if (outcome) {
		HTML(h, " · ");
		html_text(h, outcome);
	}
	HTML(h, "</td>");
}

static void recording_link(struct page *p, const char *url)
{
	struct html *h = &p->h;
	if (!url || !*url) {
		HTML(h, "<span class=\"missing\">");
		Tw(h, "No recording");
		HTML(h, "</span>");
		return;
	}
	HTML(h, "<a rel=\"noreferrer\"");
	html_attr(h, "href", strncmp(url, "http", 4) == 0 || url[0] == '/' ? url : NULL);
	HTML(h, ">");
	Tw(h, "Recording");
	HTML(h, "</a>");
}

/* ---- the overview ---- */

static void calls_section(struct page *p, const char *rep)
{
	struct html *h = &p->h;
	struct req *r = p->r;
	struct qa_call_row *c;
	struct user_rec *users;
	size_t n, nusers;
	struct nc_err err = {0};
	HTML(h, "<section aria-labelledby=\"calls-h\"><h2 id=\"calls-h\">");
	Tw(h, "Calls to review");
	HTML(h,
	     "</h2><form method=\"get\" action=\"/qa\" class=\"filters\"><label for=\"qa-rep\">");
	Tw(h, "Rep");
	HTML(h, "</label> <select id=\"qa-rep\" name=\"rep\">");
	html_option(h, "", T(h, "All"), rep ? rep : "");
	if (app_user_list_active(&r->app, &users, &nusers, &err) == 0)
		for (size_t i = 0; i < nusers; i++)
			if (users[i].role == ROLE_REP)
				html_option(h, users[i].login, users[i].name, rep);
	HTML(h, "</select> ");
	field_button(h, N_("Show"));
	HTML(h, "</form>");
	if (app_qa_recent_calls(&r->app, rep, QA_CALLS_SHOWN, &c, &n, &err) < 0 || n == 0) {
		HTML(h, "<p class=\"empty\">");
		html_text(h, err.code ? err.msg : T(h, "No calls yet."));
		HTML(h, "</p></section>");
		return;
	}
	HTML(h, "<div class=\"scroll\"><table class=\"qa-calls\"><thead><tr><th scope=\"col\">");
	Tw(h, "When");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Rep");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Client");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Result");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Recording");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Review");
	HTML(h, "</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		HTML(h, "<tr><td>");
		page_time(p, c[i].started_at);
		HTML(h, "</td><td>");
		html_text(h, c[i].rep);
		HTML(h, "</td><td>");
		html_text(h, c[i].client_name);
		HTML(h, "</td>");
		result_cell(p, c[i].result, c[i].outcome);
		HTML(h, "<td>");
		recording_link(p, c[i].recording_url);
		HTML(h, "</td><td><a");
		html_attrf(h, "href", "/qa/calls/%lld", (long long)c[i].id);
		HTML(h, ">");
		Tw(h, c[i].reviews ? N_("Reviewed") : N_("Review"));
		HTML(h, "</a></td></tr>");
	}
	HTML(h, "</tbody></table></div></section>");
}

static void forms_section(struct page *p)
{
	struct html *h = &p->h;
	struct qa_form_rec *f;
	size_t n;
	struct nc_err err = {0};
	HTML(h, "<section aria-labelledby=\"forms-h\"><h2 id=\"forms-h\">");
	Tw(h, "QA forms");
	HTML(h, "</h2><ul>");
	if (app_qa_form_list(&p->r->app, &f, &n, &err) == 0)
		for (size_t i = 0; i < n; i++) {
			HTML(h, "<li><a");
			html_attrf(h, "href", "/qa/forms/%lld", (long long)f[i].id);
			HTML(h, ">");
			html_text(h, qa_text(h, f[i].name));
			HTML(h, "</a> · ");
			html_textf(h, T(h, "version %d"), f[i].version);
			HTML(h, "</li>");
		}
	HTML(h, "</ul></section>");
}

static void campaigns_section(struct page *p)
{
	struct html *h = &p->h;
	struct qa_campaign_rec *c;
	size_t n;
	struct nc_err err = {0};
	HTML(h, "<section aria-labelledby=\"camp-h\"><h2 id=\"camp-h\">");
	Tw(h, "Mystery shopper campaigns");
	HTML(h, "</h2><p><a href=\"/qa/campaigns/new\" class=\"button\">");
	Tw(h, "Plan a campaign");
	HTML(h, "</a></p>");
	if (app_qa_campaign_list(&p->r->app, &c, &n, &err) < 0 || n == 0) {
		HTML(h, "<p class=\"empty\">");
		Tw(h, "No campaigns yet.");
		HTML(h, "</p></section>");
		return;
	}
	HTML(h, "<table><thead><tr><th scope=\"col\">");
	Tw(h, "Campaign");
	HTML(h, "</th><th scope=\"col\" class=\"num\">");
	Tw(h, "Filled");
	HTML(h, "</th><th scope=\"col\" class=\"num\">");
	Tw(h, "Leak rate");
	HTML(h, "</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		HTML(h, "<tr><td><a");
		html_attrf(h, "href", "/qa/campaigns/%lld", (long long)c[i].id);
		HTML(h, ">");
		html_text(h, c[i].name);
		HTML(h, "</a></td><td class=\"num\">");
		html_textf(h, "%lld / %lld", (long long)c[i].filled, (long long)c[i].planned);
		HTML(h, "</td><td class=\"num\">");
		percent(h, c[i].filled ? (double)c[i].leaks / (double)c[i].filled : -1);
		HTML(h, "</td></tr>");
	}
	HTML(h, "</tbody></table></section>");
}

void page_qa(struct req *r)
{
	struct page p;
	struct html *h = &p.h;
	const char *rep = http_query(r, "rep");
	page_begin(&p, r, page_tr(r, "Quality control"), "qa");
	HTML(h, "<h1>");
	Tw(h, "Quality control");
	HTML(h, "</h1>");
	qa_alarm(&p);
	HTML(h, "<p class=\"day-links\"><a href=\"/qa/scores\">");
	Tw(h, "Scores by week");
	HTML(h, "</a></p>");
	calls_section(&p, rep && *rep ? rep : NULL);
	campaigns_section(&p);
	forms_section(&p);
	page_end(&p, 0);
}

/* ---- reviewing a call ---- */

static void call_facts(struct page *p, const struct qa_call_view *v)
{
	struct html *h = &p->h;
	HTML(h, "<dl class=\"facts\"><dt>");
	Tw(h, "When");
	HTML(h, "</dt><dd>");
	page_time(p, v->call.started_at);
	HTML(h, "</dd><dt>");
	Tw(h, "Rep");
	HTML(h, "</dt><dd>");
	html_text(h, v->call.rep);
	HTML(h, "</dd><dt>");
	Tw(h, "Client");
	HTML(h, "</dt><dd>");
	if (v->client.id) {
		HTML(h, "<a");
		html_attrf(h, "href", "/clients/%lld", (long long)v->client.id);
		HTML(h, ">");
		html_text(h, v->client.name);
		HTML(h, "</a>");
	}
	HTML(h, "</dd><dt>");
	Tw(h, "Purpose");
	HTML(h, "</dt><dd>");
	html_text(h, v->call.purpose);
	HTML(h, "</dd><dt>");
	Tw(h, "Result");
	HTML(h, "</dt><dd>");
	if (v->call.result >= 0)
		html_text(h, result_name((enum result)v->call.result));
	HTML(h, " · ");
	html_text(h, v->call.outcome);
	HTML(h, "</dd><dt>");
	Tw(h, "Recording");
	HTML(h, "</dt><dd>");
	recording_link(p, v->call.recording_url);
	HTML(h, "</dd></dl>");
}

static void run_path(struct page *p, const struct qa_call_view *v)
{
	struct html *h = &p->h;
	HTML(h, "<section aria-labelledby=\"path-h\"><h2 id=\"path-h\">");
	Tw(h, "Script path");
	HTML(h, "</h2>");
	if (!v->has_run) {
		HTML(h, "<p class=\"empty\">");
		Tw(h, "No script was used on this call.");
		HTML(h, "</p></section>");
		return;
	}
	HTML(h, "<p>");
	html_text(h, v->run.script_name);
	html_textf(h, " v%d · ", v->run.version);
	html_textf(h, T(h, "%d needs questions"), v->needs_questions);
	HTML(h, " · ");
	html_textf(h, T(h, "%d price asks (answered on ask %d)"), v->price_asks,
		   v->price_answer_on);
	HTML(h, "</p><ol class=\"qa-path\">");
	for (size_t i = 0; i < v->npath; i++) {
		const struct qa_path_step *s = &v->path[i];
		HTML(h, "<li><code>");
		html_text(h, s->action);
		HTML(h, "</code> ");
		if (s->node) {
			HTML(h, "<strong>");
			html_text(h, s->node);
			HTML(h, "</strong> ");
		}
		if (s->stage) {
			HTML(h, "<span class=\"stage\">");
			html_text(h, s->stage);
			HTML(h, "</span> ");
		}
		html_text(h, s->detail);
		HTML(h, "</li>");
	}
	HTML(h, "</ol></section>");
}

/* review_item writes one item's yes/no radios, checked as typed, else as data says. */
static void review_item(struct page *p, const struct qa_call_view *v, const struct qa_item_rec *it,
			const struct field_redo *rd)
{
	struct html *h = &p->h;
	const char *why;
	int data = app_qa_auto_answer(&p->r->app, v, it->auto_src, &why);
	char name[32];
	snprintf(name, sizeof(name), "item_%lld", (long long)it->id);
	const char *typed = rd && rd->f ? form_get(rd->f, name) : NULL;
	bool yes = typed ? strcmp(typed, "yes") == 0 : data == 1;
	bool no = typed ? strcmp(typed, "no") == 0 : data == 0;
	char field[48];
	snprintf(field, sizeof(field), "answers.%lld", (long long)it->id);
	bool bad = rd && rd->err && strcmp(rd->err->field, field) == 0;
	HTML(h, "<fieldset class=\"qa-item\"");
	html_attr(h, "aria-invalid", bad ? "true" : NULL);
	HTML(h, "><legend>");
	html_textf(h, "%d. ", it->pos);
	html_text(h, qa_text(h, it->text));
	html_textf(h, " (×%d)", it->weight);
	HTML(h, "</legend><label><input type=\"radio\" value=\"yes\"");
	html_attr(h, "name", name);
	if (yes)
		HTML(h, " checked");
	HTML(h, "> ");
	Tw(h, "Yes");
	HTML(h, "</label> <label><input type=\"radio\" value=\"no\"");
	html_attr(h, "name", name);
	if (no)
		HTML(h, " checked");
	HTML(h, "> ");
	Tw(h, "No");
	HTML(h, "</label>");
	if (data >= 0) {
		HTML(h, " <span class=\"from-data\">");
		Tw(h, "from data");
		HTML(h, ": ");
		html_text(h, why);
		HTML(h, "</span>");
	}
	if (bad) {
		HTML(h, " <strong class=\"error\" role=\"alert\">");
		Tw(h, "Answer yes or no");
		HTML(h, "</strong>");
	}
	HTML(h, "</fieldset>");
}

static void review_form(struct page *p, const struct qa_call_view *v, const struct qa_form_rec *f,
			const struct field_redo *rd)
{
	struct html *h = &p->h;
	HTML(h, "<section aria-labelledby=\"rev-h\"><h2 id=\"rev-h\">");
	html_text(h, qa_text(h, f->name));
	HTML(h, "</h2>");
	if (rd && rd->err && strncmp(rd->err->field, "answers.", 8) != 0) {
		HTML(h, "<p class=\"alert\" role=\"alert\">");
		html_text(h, rd->err->msg);
		HTML(h, "</p>");
	}
	HTML(h, "<form method=\"post\" class=\"qa-review\"");
	html_attrf(h, "action", "/qa/calls/%lld", (long long)v->call.id);
	HTML(h, ">");
	page_csrf(p);
	HTML(h, "<input type=\"hidden\" name=\"form_id\"");
	html_attrf(h, "value", "%lld", (long long)f->id);
	HTML(h, ">");
	for (size_t i = 0; i < f->nitems; i++)
		review_item(p, v, &f->items[i], rd);
	HTML(h, "<p><label for=\"qa-note\">");
	Tw(h, "Note");
	HTML(h,
	     "</label><br><textarea id=\"qa-note\" name=\"note\" rows=\"3\" maxlength=\"2000\">");
	html_text(h, rd && rd->f ? form_get(rd->f, "note") : NULL);
	HTML(h, "</textarea></p>");
	field_button(h, N_("Save the review"));
	HTML(h, "</form></section>");
}

static void call_render(struct req *r, const struct field_redo *rd, int status)
{
	struct qa_call_view v;
	struct qa_form_rec f;
	struct qa_review_rec *done;
	size_t ndone;
	struct nc_err err = {0};
	int64_t id = http_param_id(r, 0), form_id = 1;
	const char *fs = rd && rd->f ? form_get(rd->f, "form_id") : http_query(r, "form");
	if (fs && *fs)
		form_id = strtoll(fs, NULL, 10);
	struct qa_review_query q = {.call_id = id, .limit = 20};
	if (id < 0)
		return;
	if (app_qa_call_view(&r->app, id, &v, &err) < 0 ||
	    app_qa_form_get(&r->app, form_id > 0 ? form_id : 1, 0, &f, &err) < 0 ||
	    app_qa_review_list(&r->app, &q, &done, &ndone, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct page p;
	struct html *h = &p.h;
	page_begin(&p, r, page_tr(r, "Review a call"), "qa");
	HTML(h, "<h1>");
	Tw(h, "Review a call");
	HTML(h, "</h1><p class=\"day-links\"><a href=\"/qa\">");
	Tw(h, "Quality control");
	HTML(h, "</a></p>");
	call_facts(&p, &v);
	for (size_t i = 0; i < ndone; i++) {
		HTML(h, "<p class=\"notice\"><a");
		html_attrf(h, "href", "/qa/reviews/%lld", (long long)done[i].id);
		HTML(h, ">");
		html_text(h, qa_text(h, done[i].form_name));
		HTML(h, ": ");
		percent(h, (double)done[i].yes_weight / done[i].total_weight);
		HTML(h, "</a></p>");
	}
	run_path(&p, &v);
	review_form(&p, &v, &f, rd);
	page_end(&p, status);
}

void page_qa_call(struct req *r)
{
	call_render(r, NULL, 0);
}

void page_qa_review_post(struct req *r)
{
	struct form f;
	struct nc_err err = {0};
	int64_t id = http_param_id(r, 0), rid;
	if (id < 0 || page_form(r, &f) < 0)
		return;
	const char *fs = form_get(&f, "form_id");
	struct qa_review_input in = {
	    .call_id = id, .form_id = fs ? strtoll(fs, NULL, 10) : 0, .note = form_get(&f, "note")};
	int64_t *ids = ARENA_ARRAY(&r->a, int64_t, f.n + 1);
	bool *yes = ARENA_ARRAY(&r->a, bool, f.n + 1);
	for (size_t i = 0; i < f.n; i++) {
		if (strncmp(f.f[i].name, "item_", 5) != 0)
			continue;
		ids[in.n] = strtoll(f.f[i].name + 5, NULL, 10);
		yes[in.n++] = strcmp(f.f[i].value, "yes") == 0;
	}
	in.item_ids = ids;
	in.yes = yes;
	if (in.note && !*in.note)
		in.note = NULL;
	if (app_qa_review_add(&r->app, &in, &rid, &err) == 0) {
		char loc[64];
		snprintf(loc, sizeof(loc), "/qa/reviews/%lld", (long long)rid);
		page_redirect(r, loc);
		return;
	}
	field_refused(r, "review", &f, &err, call_render);
}

void page_qa_review(struct req *r)
{
	struct qa_review_view v;
	struct nc_err err = {0};
	int64_t id = http_param_id(r, 0);
	if (id < 0)
		return;
	if (app_qa_review_get(&r->app, id, &v, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct page p;
	struct html *h = &p.h;
	page_begin(&p, r, page_tr(r, "Call review"), "qa");
	HTML(h, "<h1>");
	Tw(h, "Call review");
	HTML(h, "</h1><dl class=\"facts\"><dt>");
	Tw(h, "Score");
	HTML(h, "</dt><dd class=\"qa-score\">");
	percent(h, v.score);
	html_textf(h, " (%d / %d)", v.r.yes_weight, v.r.total_weight);
	HTML(h, "</dd><dt>");
	Tw(h, "Rep");
	HTML(h, "</dt><dd>");
	html_text(h, v.r.rep);
	HTML(h, "</dd><dt>");
	Tw(h, "Client");
	HTML(h, "</dt><dd>");
	html_text(h, v.r.client_name);
	HTML(h, "</dd><dt>");
	Tw(h, "When");
	HTML(h, "</dt><dd>");
	page_time(&p, v.r.call_at);
	HTML(h, "</dd><dt>");
	Tw(h, "Form");
	HTML(h, "</dt><dd>");
	html_text(h, qa_text(h, v.form.name));
	html_textf(h, " v%d", v.form.version);
	HTML(h, "</dd></dl><table><tbody>");
	for (size_t i = 0; i < v.nanswers && i < v.form.nitems; i++) {
		HTML(h, "<tr><td>");
		html_text(h, qa_text(h, v.form.items[i].text));
		HTML(h, "</td><td>");
		Tw(h, v.answers[i].yes ? N_("Yes") : N_("No"));
		if (v.answers[i].from_data) {
			HTML(h, " <span class=\"from-data\">");
			Tw(h, "from data");
			HTML(h, "</span>");
		}
		HTML(h, "</td></tr>");
	}
	HTML(h, "</tbody></table>");
	if (v.r.note) {
		HTML(h, "<p class=\"note\">");
		html_text(h, v.r.note);
		HTML(h, "</p>");
	}
	page_end(&p, 0);
}

/* ---- scores by week ---- */

#define SCORE_CHART_REPS 8 /* reps drawn in the chart; the table has them all */

/* score_chart draws the weekly averages as bars grouped by week, one colour per rep; weeks
 * without any review are left out (the chart would draw them as 0%). */
static void score_chart(struct page *p, const struct qa_scores *s)
{
	struct arena *a = &p->r->a;
	size_t nrep = s->nreps < SCORE_CHART_REPS ? s->nreps : SCORE_CHART_REPS, nw = 0;
	const char **labels = ARENA_ARRAY(a, const char *, s->nweeks + 1);
	size_t *week = ARENA_ARRAY(a, size_t, s->nweeks + 1);
	for (size_t w = 0; w < s->nweeks; w++) {
		bool any = false;
		for (size_t i = 0; i < nrep && !any; i++)
			any = s->reps[i].week_reviews[w] > 0;
		if (any) {
			week[nw] = w;
			labels[nw++] = s->weeks[w] + 5; /* MM-DD of the Monday */
		}
	}
	struct chart_series *series = ARENA_ARRAY(a, struct chart_series, nrep + 1);
	for (size_t i = 0; i < nrep; i++) {
		double *v = ARENA_ARRAY(a, double, nw + 1);
		for (size_t k = 0; k < nw; k++)
			v[k] = s->reps[i].weeks[week[k]] < 0 ? NAN : s->reps[i].weeks[week[k]];
		series[i] = (struct chart_series){s->reps[i].name, v};
	}
	struct chart c = {.title = T(&p->h, "QA scores"),
			  .labels = labels,
			  .npoints = nw,
			  .series = series,
			  .nseries = nrep,
			  .percent = true,
			  .mark = -1,
			  .empty_text = T(&p->h, "No reviews in this period.")};
	HTML(&p->h, "<figure class=\"chart scroll\" id=\"qa-chart\">");
	svg_bars(&c, p->h.out);
	HTML(&p->h, "</figure>");
}

static void score_cell(struct html *h, double v, int64_t reviews)
{
	HTML(h, "<td class=\"num\">");
	percent(h, v);
	if (reviews > 0)
		html_textf(h, " (%lld)", (long long)reviews);
	HTML(h, "</td>");
}

void page_qa_scores(struct req *r)
{
	struct qa_scores s;
	struct nc_err err = {0};
	const char *rep = http_query(r, "rep"), *from = http_query(r, "from"),
		   *to = http_query(r, "to");
	if (app_qa_scores(&r->app, rep && *rep ? rep : NULL, from && *from ? from : NULL,
			  to && *to ? to : NULL, &s, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct page p;
	struct html *h = &p.h;
	page_begin(&p, r, page_tr(r, "QA scores"), "qa");
	HTML(h, "<h1>");
	Tw(h, "QA scores");
	HTML(h, "</h1><form method=\"get\" action=\"/qa/scores\" class=\"filters\"><label>");
	Tw(h, "From");
	HTML(h, " <input type=\"date\" name=\"from\"");
	html_attr(h, "value", s.from);
	HTML(h, "></label> <label>");
	Tw(h, "To");
	HTML(h, " <input type=\"date\" name=\"to\"");
	html_attr(h, "value", s.to);
	HTML(h, "></label> ");
	field_button(h, N_("Show"));
	HTML(h, "</form>");
	if (!s.nreps) {
		HTML(h, "<p class=\"empty\">");
		Tw(h, "No reviews in this period.");
		HTML(h, "</p>");
		page_end(&p, 0);
		return;
	}
	HTML(h, "<div class=\"scroll\"><table class=\"qa-scores\"><thead><tr><th scope=\"col\">");
	Tw(h, "Rep");
	HTML(h, "</th><th scope=\"col\" class=\"num\">");
	Tw(h, "Score");
	HTML(h, "</th>");
	for (size_t w = 0; w < s.nweeks; w++) {
		HTML(h, "<th scope=\"col\" class=\"num\">");
		html_text(h, s.weeks[w] + 5); /* MM-DD of the Monday */
		HTML(h, "</th>");
	}
	HTML(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < s.nreps; i++) {
		HTML(h, "<tr><th scope=\"row\">");
		html_text(h, s.reps[i].name);
		HTML(h, "</th>");
		score_cell(h, s.reps[i].score, s.reps[i].reviews);
		for (size_t w = 0; w < s.nweeks; w++)
			score_cell(h, s.reps[i].weeks[w], s.reps[i].week_reviews[w]);
		HTML(h, "</tr>");
	}
	HTML(h, "</tbody></table></div>");
	score_chart(&p, &s);
	page_end(&p, 0);
}

/* ---- editing a form ---- */

#define FORM_BLANK_ROWS 3

static void item_row(struct page *p, size_t i, const struct qa_item_rec *it,
		     const struct field_redo *rd)
{
	struct html *h = &p->h;
	static const char *const autos[] = {"", "needs_questions", "price_late", "next_step",
					    "contacts"};
	char name[32];
	const struct form *typed = rd ? rd->f : NULL;
	HTML(h, "<tr><td><input type=\"number\" min=\"1\" max=\"99\" class=\"short\"");
	snprintf(name, sizeof(name), "pos_%zu", i);
	html_attr(h, "name", name);
	html_attr(h, "aria-label", T(h, "Position"));
	if (typed)
		html_attr(h, "value", form_get(typed, name));
	else
		html_attrf(h, "value", "%zu", i + 1);
	HTML(h, "></td><td><input type=\"text\" maxlength=\"300\"");
	snprintf(name, sizeof(name), "text_%zu", i);
	html_attr(h, "name", name);
	html_attr(h, "aria-label", T(h, "Item"));
	html_attr(h, "value", typed ? form_get(typed, name) : it ? it->text : "");
	HTML(h, "></td><td><input type=\"number\" min=\"1\" max=\"10\" class=\"short\"");
	snprintf(name, sizeof(name), "weight_%zu", i);
	html_attr(h, "name", name);
	html_attr(h, "aria-label", T(h, "Weight"));
	if (typed)
		html_attr(h, "value", form_get(typed, name));
	else
		html_attrf(h, "value", "%d", it ? it->weight : 1);
	HTML(h, "></td><td><select");
	snprintf(name, sizeof(name), "auto_%zu", i);
	html_attr(h, "name", name);
	html_attr(h, "aria-label", T(h, "From data"));
	HTML(h, ">");
	const char *cur = typed ? form_get(typed, name) : it && it->auto_src ? it->auto_src : "";
	for (size_t k = 0; k < sizeof(autos) / sizeof(autos[0]); k++)
		html_option(h, autos[k], *autos[k] ? autos[k] : "—", cur);
	HTML(h, "</select></td></tr>");
}

static void form_render(struct req *r, const struct field_redo *rd, int status)
{
	struct qa_form_rec f;
	struct nc_err err = {0};
	int64_t id = http_param_id(r, 0);
	if (id < 0)
		return;
	if (app_qa_form_get(&r->app, id, 0, &f, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct page p;
	struct html *h = &p.h;
	page_begin(&p, r, page_tr(r, "QA form"), "qa");
	HTML(h, "<h1>");
	Tw(h, "QA form");
	HTML(h, "</h1><p>");
	html_textf(h, T(h, "version %d"), f.version);
	HTML(h, ". ");
	Tw(h, "Saving stores a new version; reviews keep the version they were scored on. Clear an "
	      "item's text to remove it; change the numbers to reorder.");
	HTML(h, "</p>");
	if (rd && rd->err) {
		HTML(h, "<p class=\"alert\" role=\"alert\">");
		html_text(h, rd->err->msg);
		HTML(h, "</p>");
	}
	HTML(h, "<form method=\"post\"");
	html_attrf(h, "action", "/qa/forms/%lld", (long long)id);
	HTML(h, ">");
	page_csrf(&p);
	HTML(h, "<p><label for=\"qa-name\">");
	Tw(h, "Name");
	HTML(h, "</label> <input id=\"qa-name\" name=\"name\" maxlength=\"100\" required");
	html_attr(h, "value", rd && rd->f ? form_get(rd->f, "name") : f.name);
	HTML(h, "></p><table><thead><tr><th scope=\"col\">#</th><th scope=\"col\">");
	Tw(h, "Item");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "Weight");
	HTML(h, "</th><th scope=\"col\">");
	Tw(h, "From data");
	HTML(h, "</th></tr></thead><tbody>");
	for (size_t i = 0; i < f.nitems + FORM_BLANK_ROWS; i++)
		item_row(&p, i, i < f.nitems ? &f.items[i] : NULL, rd);
	HTML(h, "</tbody></table>");
	field_button(h, N_("Save as a new version"));
	HTML(h, "</form>");
	page_end(&p, status);
}

void page_qa_form(struct req *r)
{
	form_render(r, NULL, 0);
}

struct posted_item {
	long pos;
	size_t row;
	struct qa_item_input in;
};

static int by_pos(const void *a, const void *b)
{
	const struct posted_item *x = a, *y = b;
	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

void page_qa_form_post(struct req *r)
{
	struct form f;
	struct nc_err err = {0};
	int64_t id = http_param_id(r, 0);
	if (id < 0 || page_form(r, &f) < 0)
		return;
	struct posted_item *v = ARENA_ARRAY(&r->a, struct posted_item, QA_MAX_ITEMS + 1);
	size_t n = 0;
	for (size_t i = 0; i < QA_MAX_ITEMS + FORM_BLANK_ROWS; i++) {
		char k[32];
		snprintf(k, sizeof(k), "text_%zu", i);
		const char *text = form_get(&f, k);
		if (!text || !*text)
			continue;
		if (n == QA_MAX_ITEMS) {
			nc_error_field(&err, NC_EINVAL, "items", "items: at most %d", QA_MAX_ITEMS);
			field_refused(r, "form", &f, &err, form_render);
			return;
		}
		snprintf(k, sizeof(k), "pos_%zu", i);
		const char *pos = form_get(&f, k);
		snprintf(k, sizeof(k), "weight_%zu", i);
		const char *w = form_get(&f, k);
		snprintf(k, sizeof(k), "auto_%zu", i);
		v[n] = (struct posted_item){.pos = pos ? strtol(pos, NULL, 10) : 0, .row = i};
		v[n].in = (struct qa_item_input){.text = text,
						 .weight = w ? (int)strtol(w, NULL, 10) : 0,
						 .auto_src = form_get(&f, k)};
		n++;
	}
	qsort(v, n, sizeof(*v), by_pos);
	struct qa_item_input *items = ARENA_ARRAY(&r->a, struct qa_item_input, n + 1);
	for (size_t i = 0; i < n; i++)
		items[i] = v[i].in;
	struct qa_form_input in = {
	    .name = form_get(&f, "name"), .items = items, .nitems = n, .has_items = true};
	if (app_qa_form_update(&r->app, id, &in, &err) == 0) {
		page_redirect(r, "/qa");
		return;
	}
	field_refused(r, "form", &f, &err, form_render);
}
