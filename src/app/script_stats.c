/* script_stats.c - what a head of sales learns from a script's runs: the conversion per node
 * and per wording with confidence intervals, the probability that a wording is best, and where
 * runs were abandoned. */
#include "app/app.h"
#include "app/internal.h"

#include <string.h>

#define RUN_STALE_S 86400 /* an open run untouched this long counts as abandoned */

/* ---- analytics ---- */

static const struct script_entered_stat *entered_find(const struct script_entered_stat *v, size_t n,
						      const char *id, int variant)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].variant == variant && !strcmp(v[i].entered, id))
			return &v[i];
	return NULL;
}

/* variants_add compares the wordings of one line (a node's or an objection's). */
static void variants_add(struct app *app, struct script_stats *out, const char *id,
			 const struct script_text *say, size_t nsay,
			 const struct script_entered_stat *ev, size_t nev)
{
	int64_t k[64] = {0}, n[64] = {0};
	double best[64] = {0};
	size_t arms = nsay < 64 ? nsay : 64;
	for (size_t j = 0; j < arms; j++) {
		const struct script_entered_stat *e = entered_find(ev, nev, id, (int)j);
		k[j] = e ? e->max : 0;
		n[j] = e ? e->runs : 0;
	}
	stats_prob_best(k, n, arms, best);
	for (size_t j = 0; j < arms; j++) {
		struct script_variant_stat *v = &out->variants[out->nvariants++];
		size_t b = arms; /* the best other wording by rate */
		for (size_t o = 0; o < arms; o++)
			if (o != j && n[o] > 0 &&
			    (b == arms ||
			     (double)k[o] / (double)n[o] > (double)k[b] / (double)n[b]))
				b = o;
		v->node = id;
		v->variant = (int)j;
		v->text = say[j].text;
		v->weight = say[j].weight;
		stats_proportion(k[j], n[j], &v->conv);
		v->prob_best = best[j];
		v->p_value = b == arms ? 1.0 : stats_two_prop_p(k[j], n[j], k[b], n[b]);
	}
	(void)app;
}

static void stats_nodes(struct app *app, const struct script *s, struct script_stats *out,
			const struct script_entered_stat *en, size_t nen,
			const struct script_last_node *ab, size_t nab)
{
	out->nodes = ARENA_ARRAY(app->a, struct script_node_stat, s->nnodes + 1);
	out->nnodes = s->nnodes;
	for (size_t i = 0; i < s->nnodes; i++) {
		struct script_node_stat *x = &out->nodes[i];
		const struct script_entered_stat *e = entered_find(en, nen, s->nodes[i].id, -1);
		x->node = s->nodes[i].id;
		x->stage = s->nodes[i].stage == STAGE_CUSTOM && s->nodes[i].stage_label
			       ? s->nodes[i].stage_label
			       : script_stage_name(s->nodes[i].stage);
		x->reached = e ? e->runs : 0;
		stats_proportion(e ? e->max : 0, x->reached, &x->max);
		stats_proportion(e ? e->min : 0, x->reached, &x->min);
		for (size_t j = 0; j < nab; j++)
			if (!strcmp(ab[j].node, x->node))
				x->abandoned = ab[j].abandoned;
	}
}

int app_script_stats(struct app *app, int64_t script_id, int version, struct script_stats *out,
		     struct nc_err *err)
{
	struct script s;
	struct script_run_totals t;
	struct script_entered_stat *en, *ev;
	struct script_last_node *ab;
	size_t nen, nev, nab;
	memset(out, 0, sizeof(*out));
	if (app_require_role(app, ROLE_HEAD, err) < 0 ||
	    app_script_get(app, script_id, version, &out->script, err) < 0 ||
	    script_version_parse(app, &out->script, &s, err) < 0)
		return -1;
	int64_t vid = out->script.version_id, stale = app->now - RUN_STALE_S;
	if (store_script_run_totals(app->db, vid, stale, &t, err) < 0 ||
	    store_script_entered(app->db, app->a, vid, false, &en, &nen, err) < 0 ||
	    store_script_entered(app->db, app->a, vid, true, &ev, &nev, err) < 0 ||
	    store_script_abandoned_at(app->db, app->a, vid, stale, &ab, &nab, err) < 0)
		return -1;
	out->runs = t.runs;
	out->finished = t.finished;
	out->abandoned = t.abandoned;
	out->open = t.open;
	stats_proportion(t.max, t.runs, &out->max);
	stats_proportion(t.min, t.runs, &out->min);
	stats_nodes(app, &s, out, en, nen, ab, nab);
	size_t cap = 1;
	for (size_t i = 0; i < s.nnodes; i++)
		cap += s.nodes[i].nsay > 1 ? s.nodes[i].nsay : 0;
	for (size_t i = 0; i < s.nobjections; i++)
		cap += s.objections[i].nsay > 1 ? s.objections[i].nsay : 0;
	out->variants = ARENA_ARRAY(app->a, struct script_variant_stat, cap);
	for (size_t i = 0; i < s.nnodes; i++)
		if (s.nodes[i].nsay > 1)
			variants_add(app, out, s.nodes[i].id, s.nodes[i].say, s.nodes[i].nsay, ev,
				     nev);
	for (size_t i = 0; i < s.nobjections; i++)
		if (s.objections[i].nsay > 1)
			variants_add(app, out,
				     arena_printf(app->a, "objection:%s", s.objections[i].id),
				     s.objections[i].say, s.objections[i].nsay, ev, nev);
	return 0;
}
