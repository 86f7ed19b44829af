/* page_scripts.c - the call scripts in the web interface: the list, the editor with the
 * validator's findings beside the text, a script's versions and source, and its statistics per
 * node and per wording; and the small helpers the live script panel (page_run.c) shares. */
#include "util/time.h"
#include "web/page_scripts.h"
#include "web/pages.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers (those named scripts_* are shared with page_run.c) ---- */

bool scripts_is(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

bool scripts_whole(const char *s, long lo, long hi, long *out)
{
	char *end;
	if (!s || !*s)
		return false;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* query_long reads an optional number of the query string: def when absent or malformed. */
static long query_long(struct req *r, const char *key, long lo, long hi, long def)
{
	long v;
	return scripts_whole(http_query(r, key), lo, hi, &v) ? v : def;
}

void scripts_fill(struct html *h, const char *msgid, const char *a1, const char *a2)
{
	const char *s = T(h, msgid);
	struct buf b;
	buf_init(&b, 64 * 1024);
	for (const char *p = s; *p; p++) {
		if (p[0] == '{' && (p[1] == '1' || p[1] == '2') && p[2] == '}') {
			const char *a = p[1] == '1' ? a1 : a2;
			buf_adds(&b, a ? a : "");
			p += 2;
		} else {
			buf_addc(&b, *p);
		}
	}
	html_text(h, b.data);
	buf_release(&b);
}

const char *scripts_num(struct page *p, long long v)
{
	return arena_printf(&p->r->a, "%lld", v);
}

static void percent(struct html *h, double v)
{
	html_textf(h, "%.0f%%", v * 100.0);
}

static bool is_manager(struct req *r)
{
	return r->user.role != ROLE_REP;
}

/* The msgids of the stages, by enum script_stage. */
static const char *const stage_labels[] = {N_("Greeting"),
					   N_("The client's question"),
					   N_("Consent and name"),
					   N_("Intro answer"),
					   N_("Needs"),
					   N_("Summary"),
					   N_("Presentation"),
					   N_("Side question"),
					   N_("Closing"),
					   N_("Custom stage")};
#define NSTAGES (sizeof(stage_labels) / sizeof(stage_labels[0]))

/* stage_word writes a stage given by its YAML name (custom ones as they are written). */
static void stage_word(struct html *h, const char *name)
{
	for (size_t i = 0; name && i < NSTAGES; i++)
		if (strcmp(script_stage_name((enum script_stage)i), name) == 0) {
			Tw(h, stage_labels[i]);
			return;
		}
	html_text(h, name);
}

const char *scripts_stage_label(enum script_stage stage)
{
	return (size_t)stage < NSTAGES ? stage_labels[stage] : NULL;
}

static void kind_text(struct html *h, bool outbound)
{
	Tw(h, outbound ? N_("Outbound") : N_("Inbound"));
}

static void th(struct html *h, const char *label, bool numeric)
{
	HTML(h, "<th scope=\"col\"");
	if (numeric)
		HTML(h, " class=\"num\"");
	HTML(h, ">");
	Tw(h, label);
	HTML(h, "</th>");
}

/* ---- the list ---- */

static void list_table(struct html *h, const struct script_rec *v, size_t n)
{
	HTML(h, "<div class=\"scroll\"><table class=\"scripts\"><thead><tr>");
	th(h, N_("Name"), false);
	th(h, N_("Kind"), false);
	th(h, N_("Version"), true);
	th(h, N_("Runs"), true);
	HTML(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		HTML(h, "<tr><td><a");
		html_attrf(h, "href", "/scripts/%lld", (long long)v[i].id);
		HTML(h, ">");
		html_text(h, v[i].name);
		HTML(h, "</a>");
		if (v[i].archived) {
			HTML(h, " <span class=\"badge\">");
			Tw(h, "archived");
			HTML(h, "</span>");
		}
		HTML(h, "</td><td>");
		kind_text(h, v[i].outbound);
		HTML(h, "</td><td class=\"num\">");
		html_int(h, v[i].version);
		HTML(h, "</td><td class=\"num\">");
		html_int(h, v[i].runs);
		HTML(h, "</td></tr>");
	}
	HTML(h, "</tbody></table></div>");
}

void page_scripts(struct req *r)
{
	struct script_rec *v;
	size_t n;
	struct nc_err err = {0};
	bool all = is_manager(r) && scripts_is(http_query(r, "all"), "1");
	if (app_script_list(&r->app, all, &v, &n, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct page p;
	struct html *h = &p.h;
	page_begin(&p, r, page_tr(r, "Call scripts"), "scripts");
	HTML(h, "<section class=\"scripts\"><h1>");
	Tw(h, "Call scripts");
	HTML(h, "</h1>");
	if (is_manager(r)) {
		HTML(h, "<p class=\"actions\"><a class=\"button primary\" href=\"/scripts/new\">");
		Tw(h, "New script or upload");
		HTML(h, "</a> <a");
		html_attr(h, "href", all ? "/scripts" : "/scripts?all=1");
		HTML(h, ">");
		Tw(h, all ? N_("Hide archived scripts") : N_("Show archived scripts"));
		HTML(h, "</a></p>");
	} else {
		HTML(h, "<p class=\"intro\">");
		Tw(h, "Start a script from the client's card when you take or make a call.");
		HTML(h, "</p>");
	}
	if (n == 0) {
		HTML(h, "<p class=\"empty\">");
		Tw(h, "No scripts yet.");
		HTML(h, "</p>");
	} else {
		list_table(h, v, n);
	}
	HTML(h, "</section>");
	page_end(&p, 0);
}

/* ---- the editor ---- */

/* What the editor shows: the text, and the findings once it was checked or refused. */
struct editor {
	int64_t id; /* the script edited, 0: a new one */
	const char *name;
	const char *source;
	const struct script_findings *f; /* NULL: not checked yet */
	const struct nc_err *err;	 /* a refusal that is not a finding */
	bool saved_checked;		 /* the findings are those of a refused save */
};

/* finding_item writes one finding: its place is a link that app.js turns into a move of the
 * text area's cursor to that line. */
static void finding_item(struct html *h, const struct script_finding *x)
{
	HTML(h, "<li");
	html_attr(h, "class", x->warning ? "finding warning" : "finding error");
	HTML(h, "><a class=\"at\" href=\"#script-source\"");
	html_attrf(h, "data-line", "%d", x->pos.line);
	html_attrf(h, "data-col", "%d", x->pos.col);
	HTML(h, ">");
	if (x->pos.line > 0)
		html_textf(h, "%d:%d", x->pos.line, x->pos.col);
	else
		Tw(h, "whole script");
	HTML(h, "</a> <span class=\"sev\">");
	Tw(h, x->warning ? N_("warning") : N_("error"));
	HTML(h, "</span> <code>");
	html_text(h, x->code);
	HTML(h, "</code> <span class=\"msg\" lang=\"en\">");
	html_text(h, x->message);
	HTML(h, "</span></li>");
}

static void findings_section(struct page *p, const struct editor *e)
{
	struct html *h = &p->h;
	HTML(h, "<section class=\"findings\" id=\"findings\" aria-live=\"polite\"><h2>");
	Tw(h, "Findings");
	HTML(h, "</h2>");
	if (e->err) {
		HTML(h, "<p class=\"alert\" role=\"alert\">");
		Tw(h, "Nothing was saved.");
		HTML(h, " <small lang=\"en\">");
		html_text(h, e->err->msg);
		HTML(h, "</small></p>");
	}
	if (!e->f) {
		if (!e->err) {
			HTML(h, "<p class=\"muted\">");
			Tw(h, "Check the script to see what the validator says about it.");
			HTML(h, "</p>");
		}
		HTML(h, "</section>");
		return;
	}
	const struct script_findings *f = e->f;
	HTML(h, "<p");
	html_attr(h, "class", f->nerrors ? "alert" : "notice");
	html_attr(h, "role", f->nerrors ? "alert" : "status");
	HTML(h, ">");
	if (f->nerrors && e->saved_checked)
		Tw(h, "The script is not valid: nothing was saved.");
	else if (f->nerrors)
		Tw(h, "The script is not valid.");
	else
		Tw(h, "The script is valid.");
	HTML(h, " ");
	scripts_fill(h, N_("Errors: {1}. Warnings: {2}."), scripts_num(p, (long long)f->nerrors),
		     scripts_num(p, (long long)(f->n - f->nerrors)));
	HTML(h, "</p>");
	if (f->n) {
		HTML(h, "<ol class=\"findings-list\">");
		for (size_t i = 0; i < f->n; i++)
			finding_item(h, &f->v[i]);
		HTML(h, "</ol>");
	}
	HTML(h, "</section>");
}

static void editor_render(struct req *r, const struct editor *e, int status)
{
	struct page p;
	struct html *h = &p.h;
	const char *title = e->id ? page_tr(r, "Edit the script") : page_tr(r, "New script");
	page_begin(&p, r, title, "scripts");
	HTML(h, "<section class=\"editor\"><h1>");
	html_text(h, title);
	if (e->name) {
		HTML(h, ": ");
		html_text(h, e->name);
	}
	HTML(h, "</h1><p class=\"actions\"><a href=\"/scripts\">");
	Tw(h, "All scripts");
	HTML(h, "</a>");
	if (e->id) {
		HTML(h, " · <a");
		html_attrf(h, "href", "/scripts/%lld", (long long)e->id);
		HTML(h, ">");
		Tw(h, "Versions of this script");
		HTML(h, "</a>");
	}
	HTML(h, "</p><div class=\"editor-grid\"><form method=\"post\" class=\"editor-form\"");
	if (e->id)
		html_attrf(h, "action", "/scripts/%lld/edit", (long long)e->id);
	else
		html_attr(h, "action", "/scripts");
	HTML(h, ">");
	page_csrf(&p);
	/* shown by app.js: a file is read into the text area, then checked and saved as typed text
	 */
	HTML(h,
	     "<div class=\"field upload\" id=\"script-upload\" hidden><label for=\"script-file\">");
	Tw(h, "Load a YAML file into the editor");
	HTML(h, "</label><input type=\"file\" id=\"script-file\" "
		"accept=\".yaml,.yml,text/yaml,application/yaml,text/plain\"></div>"
		"<div class=\"field\"><label for=\"script-source\">");
	Tw(h, "The script in YAML");
	HTML(h, "</label><textarea id=\"script-source\" name=\"source\" class=\"code\" rows=\"28\" "
		"spellcheck=\"false\" autocapitalize=\"off\" autocomplete=\"off\" wrap=\"off\" "
		"required aria-describedby=\"script-hint findings\"");
	if (e->f && e->f->nerrors)
		HTML(h, " aria-invalid=\"true\"");
	/* the newline after the tag is eaten by the parser, so a text starting with one keeps it */
	HTML(h, ">\n");
	html_text(h, e->source);
	HTML(h, "</textarea><p class=\"hint\" id=\"script-hint\">");
	Tw(h, "Saving stores a new version; runs keep the version they started with. The format "
	      "is described in docs/scripts.md.");
	HTML(h,
	     "</p></div><p class=\"buttons\"><button type=\"submit\" name=\"do\" value=\"check\" "
	     "id=\"script-check\">");
	Tw(h, "Check");
	HTML(h, "</button> <button type=\"submit\" name=\"do\" value=\"save\" class=\"primary\" "
		"id=\"script-save\">");
	Tw(h, "Save as new version");
	HTML(h, "</button></p></form>");
	findings_section(&p, e);
	HTML(h, "</div></section>");
	page_end(&p, status);
}

void page_script_new(struct req *r)
{
	struct editor e = {.source = ""};
	editor_render(r, &e, 0);
}

void page_script_edit(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	struct script_rec s;
	struct nc_err err = {0};
	if (id < 0)
		return;
	if (app_script_get(&r->app, id, 0, &s, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct editor e = {.id = id, .name = s.name, .source = s.source ? s.source : ""};
	editor_render(r, &e, 0);
}

/* editor_post checks or saves the text sent from the editor of script id (0: new). */
static void editor_post(struct req *r, int64_t id)
{
	struct form f;
	struct nc_err err = {0};
	if (page_form(r, &f) < 0)
		return;
	const char *src = form_get(&f, "source");
	struct editor e = {.id = id, .source = src ? src : ""};
	struct script_findings *fs = ARENA_NEW(&r->a, struct script_findings);
	e.f = fs;
	if (id > 0) {
		struct script_rec cur;
		if (app_script_get(&r->app, id, 0, &cur, &err) < 0) {
			page_fail(r, &err);
			return;
		}
		e.name = cur.name;
	}
	if (!scripts_is(form_get(&f, "do"), "save")) {
		struct script s;
		bool parsed = false;
		app_script_check(&r->app, e.source, strlen(e.source), &s, &parsed, fs);
		editor_render(r, &e, 0);
		return;
	}
	struct script_rec saved;
	if (app_script_add(&r->app, e.source, strlen(e.source), &saved, fs, &err) == 0) {
		page_redirect(r, arena_printf(&r->a, "/scripts/%lld?version=%d&saved=1",
					      (long long)saved.id, saved.version));
		return;
	}
	if (err.code != NC_EINVAL) {
		page_fail(r, &err);
		return;
	}
	e.saved_checked = true;
	if (fs->nerrors == 0)
		e.err = &err; /* refused for another reason than a finding (too large...) */
	editor_render(r, &e, 422);
}

void page_script_create(struct req *r)
{
	editor_post(r, 0);
}

void page_script_save(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	if (id > 0)
		editor_post(r, id);
}

/* ---- one script: its versions and the source of one ---- */

static void versions_table(struct page *p, int64_t id, const struct script_rec *v, size_t n,
			   int shown)
{
	struct html *h = &p->h;
	HTML(h, "<section class=\"versions\"><h2>");
	Tw(h, "Versions");
	HTML(h, "</h2><div class=\"scroll\"><table><thead><tr>");
	th(h, N_("Version"), true);
	th(h, N_("Saved"), false);
	th(h, N_("By"), false);
	HTML(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		HTML(h, "<tr");
		if (v[i].version == shown)
			HTML(h, " aria-current=\"true\" class=\"current\"");
		HTML(h, "><td class=\"num\"><a");
		html_attrf(h, "href", "/scripts/%lld?version=%d", (long long)id, v[i].version);
		HTML(h, ">");
		html_int(h, v[i].version);
		HTML(h, "</a></td><td>");
		page_time(p, v[i].created_at);
		HTML(h, "</td><td>");
		html_text(h, v[i].author ? v[i].author : T(h, "the system"));
		HTML(h, "</td></tr>");
	}
	HTML(h, "</tbody></table></div></section>");
}

static void script_actions(struct page *p, const struct script_rec *s)
{
	struct html *h = &p->h;
	HTML(h, "<p class=\"actions\"><a class=\"button\"");
	html_attrf(h, "href", "/scripts/%lld/edit", (long long)s->id);
	HTML(h, ">");
	Tw(h, "Edit");
	HTML(h, "</a> <a class=\"button\"");
	html_attrf(h, "href", "/scripts/%lld/stats?version=%d", (long long)s->id, s->version);
	HTML(h, ">");
	Tw(h, "Statistics");
	HTML(h, "</a></p><form method=\"post\" class=\"inline\"");
	html_attrf(h, "action", "/scripts/%lld/archive", (long long)s->id);
	HTML(h, ">");
	page_csrf(p);
	HTML(h, "<input type=\"hidden\" name=\"archived\"");
	html_attr(h, "value", s->archived ? "0" : "1");
	HTML(h, "><button type=\"submit\" class=\"small\">");
	Tw(h, s->archived ? N_("Show in the list again") : N_("Archive: hide from the list"));
	HTML(h, "</button></form>");
}

void page_script(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	struct script_rec s, *v;
	size_t n;
	struct nc_err err = {0};
	if (id < 0)
		return;
	int version = (int)query_long(r, "version", 1, INT_MAX, 0);
	if (app_script_get(&r->app, id, version, &s, &err) < 0 ||
	    app_script_versions(&r->app, id, &v, &n, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct script_findings f = {0};
	struct script parsed_script;
	bool parsed = false;
	const char *src = s.source ? s.source : "";
	app_script_check(&r->app, src, strlen(src), &parsed_script, &parsed, &f);

	struct page p;
	struct html *h = &p.h;
	page_begin(&p, r, s.name, "scripts");
	HTML(h, "<section class=\"script\"><h1>");
	html_text(h, s.name);
	HTML(h, "</h1><p class=\"muted\">");
	kind_text(h, s.outbound);
	HTML(h, " · ");
	scripts_fill(h, N_("version {1} of {2}"), scripts_num(&p, s.version),
		     scripts_num(&p, s.nversions));
	if (s.archived) {
		HTML(h, " <span class=\"badge\">");
		Tw(h, "archived");
		HTML(h, "</span>");
	}
	HTML(h, "</p>");
	if (scripts_is(http_query(r, "saved"), "1")) {
		HTML(h, "<p class=\"notice\" role=\"status\">");
		scripts_fill(h, N_("Saved as version {1}."), scripts_num(&p, s.version), NULL);
		HTML(h, "</p>");
	}
	if (is_manager(r))
		script_actions(&p, &s);
	if (f.n) {
		struct editor e = {.id = id, .f = &f};
		findings_section(&p, &e);
	}
	versions_table(&p, id, v, n, s.version);
	HTML(h, "<section class=\"source\"><h2>");
	scripts_fill(h, N_("The text of version {1}"), scripts_num(&p, s.version), NULL);
	HTML(h, "</h2><pre class=\"code\"><code>");
	html_text(h, src);
	HTML(h, "</code></pre></section></section>");
	page_end(&p, 0);
}

void page_script_archive(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	struct form f;
	struct nc_err err = {0};
	if (id < 0 || page_form(r, &f) < 0)
		return;
	bool archived = !scripts_is(form_get(&f, "archived"), "0");
	if (app_script_archive(&r->app, id, archived, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	page_redirect(r,
		      archived ? "/scripts" : arena_printf(&r->a, "/scripts/%lld", (long long)id));
}

/* ---- statistics of one version ---- */

/* rate writes a proportion as "34% (25–44%)" with a bar, the interval being Wilson's at 95%. */
static void rate(struct html *h, const struct proportion *x)
{
	if (x->n == 0) {
		HTML(h, "<span class=\"muted\">—</span>");
		return;
	}
	HTML(h, "<meter min=\"0\" max=\"1\"");
	html_attrf(h, "value", "%.4f", x->p);
	HTML(h, "></meter> ");
	percent(h, x->p);
	HTML(h, " <small class=\"ci\">(");
	html_textf(h, "%.0f–%.0f%%", x->lo * 100.0, x->hi * 100.0);
	HTML(h, ")</small>");
}

static void stats_summary(struct page *p, const struct script_stats *st)
{
	struct html *h = &p->h;
	HTML(h, "<dl class=\"counters stats-summary\"><div><dt>");
	Tw(h, "Runs");
	HTML(h, "</dt><dd class=\"count\">");
	html_int(h, st->runs);
	HTML(h, "</dd></div><div><dt>");
	Tw(h, "Finished");
	HTML(h, "</dt><dd class=\"count\">");
	html_int(h, st->finished);
	HTML(h, "</dd></div><div><dt>");
	Tw(h, "Abandoned");
	HTML(h, "</dt><dd class=\"count\">");
	html_int(h, st->abandoned);
	HTML(h, "</dd></div><div><dt>");
	Tw(h, "Open");
	HTML(h, "</dt><dd class=\"count\">");
	html_int(h, st->open);
	HTML(h, "</dd></div><div><dt>");
	Tw(h, "Maximum goal");
	HTML(h, "</dt><dd>");
	rate(h, &st->max);
	HTML(h, "</dd></div><div><dt>");
	Tw(h, "Minimum goal");
	HTML(h, "</dt><dd>");
	rate(h, &st->min);
	HTML(h, "</dd></div></dl>");
}

static void stats_nodes(struct page *p, const struct script_stats *st)
{
	struct html *h = &p->h;
	HTML(h, "<section class=\"node-stats\" id=\"nodes\"><h2>");
	Tw(h, "Where the calls go");
	HTML(h, "</h2><p class=\"hint\">");
	Tw(h, "Of the runs that reached each line: the share that ended with the maximum and the "
	      "minimum goal, with its 95 percent interval in brackets, and the runs abandoned "
	      "there.");
	HTML(h, "</p><div class=\"scroll\"><table class=\"stats\"><thead><tr>");
	th(h, N_("Stage"), false);
	th(h, N_("Line"), false);
	th(h, N_("Reached"), true);
	th(h, N_("Maximum goal"), false);
	th(h, N_("Minimum goal"), false);
	th(h, N_("Abandoned here"), true);
	HTML(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < st->nnodes; i++) {
		const struct script_node_stat *n = &st->nodes[i];
		HTML(h, "<tr><td>");
		stage_word(h, n->stage);
		HTML(h, "</td><td><code>");
		html_text(h, n->node);
		HTML(h, "</code></td><td class=\"num\">");
		html_int(h, n->reached);
		HTML(h, "</td><td class=\"rate\">");
		rate(h, &n->max);
		HTML(h, "</td><td class=\"rate\">");
		rate(h, &n->min);
		HTML(h, "</td><td class=\"num\">");
		html_int(h, n->abandoned);
		HTML(h, "</td></tr>");
	}
	HTML(h, "</tbody></table></div></section>");
}

/* runs_needed estimates how many more runs, over all the wordings of v[0..n), a two-sided test
 * at 5% with 80% power needs to tell the two best-converting wordings apart at the difference
 * seen so far: 0 when it cannot say (no difference seen yet, or beyond any sensible number). */
static int64_t runs_needed(const struct script_variant_stat *v, size_t n)
{
	size_t a = 0, b = n;
	for (size_t i = 1; i < n; i++)
		if (v[i].conv.p > v[a].conv.p)
			a = i;
	for (size_t i = 0; i < n; i++)
		if (i != a && (b == n || v[i].conv.p > v[b].conv.p))
			b = i;
	if (b == n)
		return 0;
	double p1 = v[a].conv.p, p2 = v[b].conv.p, d = p1 - p2;
	double var = p1 * (1 - p1) + p2 * (1 - p2);
	if (d < 0.005)
		return 0;
	if (var < 0.01) /* rates of 0 or 1 on few runs say little about the spread */
		var = 0.5;
	double per_arm = ceil(7.85 * var / (d * d)); /* (1.96 + 0.84)^2 */
	if (per_arm > 1e6)
		return 0;
	int64_t more = 0;
	for (size_t i = 0; i < n; i++)
		if ((double)v[i].conv.n < per_arm)
			more += (int64_t)per_arm - v[i].conv.n;
	return more;
}

/* verdict says in plain words what the wordings of one line show so far. */
static void verdict(struct page *p, const struct script_variant_stat *v, size_t n)
{
	struct html *h = &p->h;
	size_t best = 0;
	int64_t total = 0;
	for (size_t i = 0; i < n; i++) {
		total += v[i].conv.n;
		if (v[i].prob_best > v[best].prob_best)
			best = i;
	}
	HTML(h, "<p class=\"verdict\">");
	if (total == 0) {
		Tw(h, "No runs have reached this line yet.");
	} else if (v[best].prob_best >= 0.95) {
		HTML(h, "<strong>");
		scripts_fill(h, N_("Wording {1} is better with {2} probability."),
			     arena_printf(&p->r->a, "%c", 'A' + v[best].variant % 26),
			     arena_printf(&p->r->a, "%.0f%%", floor(v[best].prob_best * 100.0)));
		HTML(h, "</strong>");
	} else {
		int64_t more = runs_needed(v, n);
		if (more > 0)
			scripts_fill(h, N_("Not enough evidence yet: about {1} more runs needed."),
				     scripts_num(p, (long long)more), NULL);
		else
			Tw(h, "Not enough evidence yet: keep testing.");
	}
	HTML(h, "</p>");
}

static void variant_group(struct page *p, const struct script_variant_stat *v, size_t n)
{
	struct html *h = &p->h;
	HTML(h, "<section class=\"variant-group\"><h3>");
	if (strncmp(v[0].node, "objection:", 10) == 0) {
		Tw(h, "Objection");
		HTML(h, " <code>");
		html_text(h, v[0].node + 10);
	} else {
		Tw(h, "Line");
		HTML(h, " <code>");
		html_text(h, v[0].node);
	}
	HTML(h, "</code></h3><div class=\"scroll\"><table class=\"stats variants\"><thead><tr>");
	th(h, N_("Wording"), false);
	th(h, N_("Runs"), true);
	th(h, N_("Conversion to the maximum goal"), false);
	th(h, N_("Probability best"), true);
	th(h, N_("p-value"), true);
	HTML(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		HTML(h, "<tr><td><strong class=\"variant\">");
		html_textf(h, "%c", 'A' + v[i].variant % 26);
		HTML(h, "</strong> ");
		html_text(h, v[i].text);
		HTML(h, "</td><td class=\"num\">");
		html_int(h, v[i].conv.n);
		HTML(h, "</td><td class=\"rate\">");
		rate(h, &v[i].conv);
		HTML(h, "</td><td class=\"num\">");
		percent(h, v[i].prob_best);
		HTML(h, "</td><td class=\"num\">");
		html_textf(h, "%.3f", v[i].p_value);
		HTML(h, "</td></tr>");
	}
	HTML(h, "</tbody></table></div>");
	verdict(p, v, n);
	HTML(h, "</section>");
}

static void stats_variants(struct page *p, const struct script_stats *st)
{
	struct html *h = &p->h;
	HTML(h, "<section class=\"variant-stats\" id=\"variants\"><h2>");
	Tw(h, "Wordings compared");
	HTML(h, "</h2>");
	if (st->nvariants == 0) {
		HTML(h, "<p class=\"empty\">");
		Tw(h, "No line of this version has several wordings to compare.");
		HTML(h, "</p></section>");
		return;
	}
	for (size_t i = 0; i < st->nvariants;) {
		size_t j = i + 1;
		while (j < st->nvariants && scripts_is(st->variants[j].node, st->variants[i].node))
			j++;
		variant_group(p, st->variants + i, j - i);
		i = j;
	}
	HTML(h, "</section>");
}

static void version_selector(struct page *p, int64_t id, const struct script_rec *v, size_t n,
			     int shown)
{
	struct html *h = &p->h;
	HTML(h, "<form method=\"get\" class=\"inline version-pick\"");
	html_attrf(h, "action", "/scripts/%lld/stats", (long long)id);
	HTML(h, "><label for=\"stats-version\">");
	Tw(h, "Version");
	HTML(h, "</label> <select id=\"stats-version\" name=\"version\">");
	const char *cur = scripts_num(p, shown);
	for (size_t i = 0; i < n; i++) {
		char when[24];
		time_format_local(v[i].created_at, http_zone(p->r), when);
		html_option(h, scripts_num(p, v[i].version),
			    arena_printf(&p->r->a, "%d · %s", v[i].version, when), cur);
	}
	HTML(h, "</select> <button type=\"submit\" class=\"small\">");
	Tw(h, "Show");
	HTML(h, "</button></form>");
}

void page_script_stats(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	struct script_stats st;
	struct script_rec *v;
	size_t n;
	struct nc_err err = {0};
	if (id < 0)
		return;
	int version = (int)query_long(r, "version", 1, INT_MAX, 0);
	if (app_script_stats(&r->app, id, version, &st, &err) < 0 ||
	    app_script_versions(&r->app, id, &v, &n, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	struct page p;
	struct html *h = &p.h;
	page_begin(&p, r, page_tr(r, "Script statistics"), "scripts");
	HTML(h, "<section class=\"script-stats\"><h1>");
	Tw(h, "Script statistics");
	HTML(h, ": ");
	html_text(h, st.script.name);
	HTML(h, "</h1><p class=\"actions\"><a");
	html_attrf(h, "href", "/scripts/%lld?version=%d", (long long)id, st.script.version);
	HTML(h, ">");
	Tw(h, "The script and its versions");
	HTML(h, "</a></p>");
	version_selector(&p, id, v, n, st.script.version);
	stats_summary(&p, &st);
	stats_nodes(&p, &st);
	stats_variants(&p, &st);
	HTML(h, "</section>");
	page_end(&p, 0);
}
