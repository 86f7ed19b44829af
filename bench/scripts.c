/* scripts.c - nc-gen's call scripts: the example scripts of examples/scripts (compiled in, as the
 * demo has them) stored as versions of the past year, and on a share of the calls of the reps who
 * use them a script run whose steps follow a real path through the script's graph. The steps are
 * taken by the core runner (core/script_run.c) as the live panel takes them, so every stored run
 * replays, and the run ends as its call did: the maximum goal, the minimum goal, a refusal at an
 * end node without a goal, or abandoned on the way when the call ended without a next step. */
#include "core/script.h"
#include "io/yaml.h"
#include "util/buf.h"
#include "util/embed.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include "bulk.h"
#include "gen.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* the example scripts, embedded by bench/meson.build from examples/scripts */
extern const struct embedded_file bench_scripts[];

#define RUN_MAX_ROWS 200	 /* step rows of one run at most (start row included) */
#define RUN_PLAIN    30		 /* nodes entered after which a run takes the shortest way */
#define V2_AGE	     (120 * DAY) /* the second version of the inbound scripts is this old */
#define DETOUR	     0.85 /* an option one step longer than the shortest: taken 0.85 as often */
#define LOOP	     0.05 /* the weight of an option back to a node the run has been at */
/* The wording lift planted in the data: a run that reaches the maximum goal has drawn the k-th
 * of n wordings of a line (1 + LIFT * k / (n - 1)) times as often as its weight says, so that
 * `nextcall script stats` has a difference between wordings to find. */
#define LIFT 0.6

/* the share of his answered calls rep k makes with a script, by k % REP_PATTERN; 0: he uses
 * none */
static const double rep_share[REP_PATTERN] = {0.35, 0.30, 0.25, 0.40, 0, 0.30, 0.25, 0, 0.30, 0};

/* Field answers (text questions) of the example scripts, by language. */
struct answers {
	const char *field;
	const char *ru[4], *en[4];
};
static const struct answers text_answers[] = {
    {"lighting",
     {"точечные светильники", "люстра", "световая линия вдоль стены", "люстра и споты"},
     {"spotlights", "a chandelier", "a light line along the wall", "a chandelier and spots"}},
    {"for_whom",
     {"наша спальня", "детская", "квартира под сдачу", "гостиная"},
     {"our bedroom", "the children's room", "a flat to let", "the living room"}},
    {"offer_seen",
     {"плёнку подешевле", "никто не приезжал", "ПВХ с рынка", "то же, без гарантии"},
     {"a thinner film, cheaper", "nobody came", "PVC from a market stall",
      "the same, without a guarantee"}},
};

static const char *const type_words[] = {"text", "number", "choice", "datetime"};

/* One stored version: its parsed script and, per goal, the fewest option moves from each node to
 * an end node with that goal (-1: none reachable). */
struct gver {
	int64_t id, at;
	struct script s;
	int *dist[3]; /* by enum script_goal */
};

struct gscript {
	const char *file;
	bool ru; /* answers in Russian */
	struct gver v[2];
	int nv;
};

/* a captured field of the current client's card: the latest answer wins */
struct field {
	const char *field, *value, *type;
	int64_t run_id, at;
};

struct gen_scripts {
	struct arena a; /* the scripts, for the whole run */
	struct gscript sc[4];
	size_t nsc;
	/* the run being built for the call being written */
	int64_t run_id; /* 0: none */
	const struct gver *ver;
	int64_t rep_id;
	struct run_step_rec rows[RUN_MAX_ROWS];
	size_t nrows;
	const char *node;
	bool finished;
	int result;
	struct field fields[64];
	size_t nfields;
};

/* ---- loading ---- */

static const struct embedded_file *embedded(const char *name)
{
	for (const struct embedded_file *f = bench_scripts; f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

/* distances fills v->dist by relaxing the option edges until nothing changes. */
static void distances(struct arena *a, struct gver *v)
{
	const struct script *s = &v->s;
	for (int goal = 0; goal < 3; goal++) {
		int *d = ARENA_ARRAY(a, int, s->nnodes + 1);
		for (size_t i = 0; i < s->nnodes; i++)
			d[i] = s->nodes[i].end && (int)s->nodes[i].goal == goal ? 0 : -1;
		for (bool moved = true; moved;) {
			moved = false;
			for (size_t i = 0; i < s->nnodes; i++)
				for (size_t k = 0; k < s->nodes[i].noptions; k++) {
					int t = s->nodes[i].options[k].target;
					if (s->nodes[i].end || t < 0 || d[t] < 0)
						continue;
					if (d[i] < 0 || d[t] + 1 < d[i]) {
						d[i] = d[t] + 1;
						moved = true;
					}
				}
		}
		v->dist[goal] = d;
	}
}

/* put_version parses and stores one version of script *id (created at the first version). */
static int put_version(struct gen *g, struct gen_scripts *x, struct gscript *gs, const char *text,
		       int64_t at, int64_t *id, struct nc_err *err)
{
	struct gver *v = &gs->v[gs->nv];
	struct script_findings f = {0};
	bool parsed = false;
	size_t len = strlen(text);
	if (script_check(text, len, &x->a, &v->s, &parsed, &f) || !parsed) {
		const struct script_finding *e = f.n ? &f.v[0] : NULL;
		for (size_t i = 0; i < f.n && e->warning; i++)
			e = &f.v[i];
		return nc_error(err, NC_EINVAL, "%s: the example script does not validate: %s",
				gs->file, e ? e->message : "unreadable");
	}
	int version;
	if ((!*id && store_script_insert(g->db, v->s.name, v->s.outbound, at, id, err) < 0) ||
	    store_script_version_add(g->db, *id, text, g->head_id, at, &v->id, &version, err) < 0)
		return -1;
	v->at = at;
	distances(&x->a, v);
	gs->nv++;
	row(g);
	return 0;
}

int scripts_load(struct gen *g, struct nc_err *err)
{
	static const struct {
		const char *file;
		bool ru, v2;
	} files[] = {
	    /* script_plan takes the first three by index: inbound by the rep's market, outbound;
	       the mystery shopper's is stored but never run on a client's call */
	    {"inbound_ceilings_ru.yaml", true, true},
	    {"inbound_ceilings_en.yaml", false, true},
	    {"outbound_future.yaml", false, false},
	    {"mystery_shopper.yaml", false, false},
	};
	struct gen_scripts *x = xcalloc(1, sizeof(*x));
	g->scripts = x;
	arena_init(&x->a);
	for (size_t i = 0; i < NELEM(files); i++) {
		const struct embedded_file *f = embedded(files[i].file);
		if (!f)
			return nc_error(err, NC_EINVAL, "example script %s is not compiled in",
					files[i].file);
		struct gscript *gs = &x->sc[x->nsc++];
		*gs = (struct gscript){.file = files[i].file, .ru = files[i].ru};
		int64_t id = 0;
		if (put_version(g, x, gs, f->data, g->now - 400 * DAY, &id, err) < 0)
			return -1;
		/* version 2 of the inbound scripts names the price at the second direct question */
		const char *on = files[i].v2 ? strstr(f->data, "\n  answer_on: 3\n") : NULL;
		if (on) {
			char *text = arena_strdup(&x->a, f->data);
			text[on - f->data + 14] = '2';
			if (put_version(g, x, gs, text, g->now - V2_AGE, &id, err) < 0)
				return -1;
		}
	}
	return 0;
}

void scripts_free(struct gen *g)
{
	if (!g->scripts)
		return;
	arena_release(&g->scripts->a);
	free(g->scripts);
	g->scripts = NULL;
}

/* ---- one run ---- */

/* draw gives a random draw for a line's wording: for a run that reaches the maximum goal the
 * wording is chosen with the lift (LIFT), otherwise by the weights alone; the draw is then one
 * that script_pick_variant turns into that wording. */
static uint32_t draw(const struct script_text *say, size_t n, bool lift, uint64_t *r)
{
	uint32_t x = (uint32_t)rng_next(r);
	if (n < 2)
		return x;
	double sum = 0;
	uint64_t total = 0;
	for (size_t k = 0; k < n; k++) {
		uint64_t w = say[k].weight > 0 ? (uint64_t)say[k].weight : 1;
		total += w;
		sum += (double)w * (lift ? 1 + LIFT * (double)k / (double)(n - 1) : 1);
	}
	double u = (double)(rng_next(r) >> 11) * 0x1.0p-53 * sum;
	size_t j = 0;
	uint64_t off = 0;
	for (; j + 1 < n; j++) {
		uint64_t w = say[j].weight > 0 ? (uint64_t)say[j].weight : 1;
		double wl = (double)w * (lift ? 1 + LIFT * (double)j / (double)(n - 1) : 1);
		if (u < wl)
			break;
		u -= wl;
		off += w;
	}
	uint64_t wj = say[j].weight > 0 ? (uint64_t)say[j].weight : 1;
	uint64_t base = x - x % total;
	if (base + total > UINT32_MAX)
		base -= total;
	return (uint32_t)(base + off + x % wj);
}

/* json_str appends s to b as a JSON string. */
static void json_str(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			buf_printf(b, "\\%c", ch);
		else if (ch < 0x20)
			buf_printf(b, "\\u%04x", ch);
		else
			buf_addc(b, (char)ch);
	}
	buf_addc(b, '"');
}

/* answer gives the client's answer to question q, as a rep types it. */
static const char *answer(struct gen *g, const struct gscript *gs, const struct client_gen *c,
			  const struct script_question *q, int64_t at, uint64_t *r)
{
	struct arena *a = &g->arena;
	if (!strcmp(q->field, "client.name"))
		return c->name;
	if (!strcmp(q->field, "client.phone"))
		return c->phone;
	if (!strcmp(q->field, "client.company"))
		return c->company ? c->company : c->name;
	if (!strcmp(q->field, "client.email"))
		return arena_printf(a, "client%lld@mail.example.net", (long long)c->id);
	switch (q->type) {
	case FIELD_NUMBER:
		if (!strcmp(q->field, "area_m2"))
			return arena_printf(a, "%d", (int)rnd64(r, 9, 48));
		return arena_printf(a, "%d", (int)rnd64(r, 1, 4));
	case FIELD_CHOICE:
		/* the first choice is the most common answer */
		return q->nchoices ? q->choices[chance(r, 0.4) ? 0 : rnd(r, (int)q->nchoices)]
				   : "-";
	case FIELD_DATETIME: {
		char out[32];
		int64_t t = at + rnd64(r, 7, 60) * DAY;
		time_rfc3339(t - t % HOUR, NULL, out);
		return arena_strdup(a, out);
	}
	case FIELD_TEXT:
		break;
	}
	for (size_t i = 0; i < NELEM(text_answers); i++)
		if (!strcmp(text_answers[i].field, q->field)) {
			const char *const *v = gs->ru ? text_answers[i].ru : text_answers[i].en;
			return v[rnd(r, 4)];
		}
	return gs->ru ? "да" : "yes";
}

/* capture keeps a captured answer for the client's card (the card's own fields are his already:
 * the answers repeat his name and phone). */
static void capture(struct gen_scripts *x, const char *field, const char *value,
		    enum field_type type)
{
	if (!strncmp(field, "client.", 7) && strcmp(field, "client.email") != 0)
		return;
	size_t i = 0;
	while (i < x->nfields && strcmp(x->fields[i].field, field) != 0)
		i++;
	if (i == NELEM(x->fields))
		return;
	if (i == x->nfields)
		x->nfields++;
	x->fields[i] = (struct field){
	    .field = field, .value = value, .type = type_words[type], .run_id = x->run_id};
}

/* A run in progress. */
struct walk {
	struct gen *g;
	struct gen_scripts *x;
	const struct gscript *gs;
	const struct script *s;
	struct run_state st;
	uint64_t *r;
	bool lift;
};

/* take applies one step with the runner and keeps its row; false when the runner refused it
 * (not expected: every step is chosen to fit) or the run has no room left. */
static bool take(struct walk *w, struct run_step step, const char *arg)
{
	struct gen_scripts *x = w->x;
	const struct script *s = w->s;
	if (x->nrows >= RUN_MAX_ROWS)
		return false;
	/* the wording of a node entered for the first time is drawn now */
	const struct script_text *say = NULL;
	size_t nsay = 0;
	if (step.action == RUN_OPTION) {
		int t = s->nodes[w->st.node].options[step.option].target;
		if (t >= 0 && w->st.variant[t] < 0) {
			say = s->nodes[t].say;
			nsay = s->nodes[t].nsay;
		}
	} else if (step.action == RUN_OBJECTION) {
		int o = script_objection_find(s, step.objection);
		if (o >= 0 && w->st.objection_variant[o] < 0) {
			say = s->objections[o].say;
			nsay = s->objections[o].nsay;
		}
	}
	uint32_t rnd = draw(say, nsay, w->lift, w->r);
	struct run_effect eff;
	if (script_run_apply(s, &w->g->arena, &w->st, &step, 0, rnd, &eff, NULL, NULL) < 0)
		return false;
	static const char *const words[] = {"option", "objection", "resume", "answer",
					    "price",  "back",	   "hold",   "finish"};
	struct run_step_rec *rec = &x->rows[x->nrows];
	*rec = (struct run_step_rec){.seq = (int)x->nrows,
				     .action = words[step.action],
				     .arg = arg,
				     .rnd = rnd,
				     .variant = -1};
	if (eff.entered >= 0) {
		rec->entered = s->nodes[eff.entered].id;
		rec->variant = w->st.variant[eff.entered];
	} else if (step.action == RUN_OBJECTION && w->st.objection >= 0) {
		rec->entered =
		    arena_printf(&w->g->arena, "objection:%s", s->objections[w->st.objection].id);
		rec->variant = w->st.objection_variant[w->st.objection];
	}
	x->nrows++;
	for (size_t i = 0; i < eff.ncaptured; i++)
		capture(x, eff.captured[i].field, eff.captured[i].value,
			s->nodes[w->st.node].question.type);
	return true;
}

static bool take_simple(struct walk *w, enum run_action action)
{
	return take(w, (struct run_step){.action = action}, NULL);
}

/* pick_option chooses the option to follow towards an end with goal: options that cannot reach
 * one are never taken; a longer way forward is taken less often the longer it is, a way back
 * (to a node the run has been at) seldom, and neither once the node was entered twice or the
 * run is long. -1: no option leads there. */
static int pick_option(struct walk *w, const int *dist)
{
	const struct script_node *nd = &w->s->nodes[w->st.node];
	int best = -1;
	for (size_t k = 0; k < nd->noptions; k++) {
		int t = nd->options[k].target;
		if (t >= 0 && dist[t] >= 0 && (best < 0 || dist[t] < best))
			best = dist[t];
	}
	if (best < 0)
		return -1;
	int visits = 0;
	for (size_t i = 0; i < w->st.npath; i++)
		visits += w->st.path[i] == w->st.node;
	bool plain = visits > 1 || w->st.npath > RUN_PLAIN;
	double sum = 0, wt[64];
	size_t n = MIN(nd->noptions, NELEM(wt));
	for (size_t k = 0; k < n; k++) {
		int t = nd->options[k].target;
		wt[k] = 0;
		if (t < 0 || dist[t] < 0 || (plain && dist[t] > best))
			continue;
		bool back = false;
		for (size_t i = 0; i < w->st.npath && !back; i++)
			back = w->st.path[i] == t;
		wt[k] = 1;
		for (int d = best; d < dist[t]; d++)
			wt[k] *= DETOUR;
		if (back && dist[t] > best)
			wt[k] = LOOP;
		sum += wt[k];
	}
	double u = (double)(rng_next(w->r) >> 11) * 0x1.0p-53 * sum;
	for (size_t k = 0; k < n; k++) {
		if (wt[k] > 0 && u < wt[k])
			return (int)k;
		u -= wt[k];
	}
	for (size_t k = n; k-- > 0;)
		if (wt[k] > 0)
			return (int)k;
	return -1;
}

/* side_steps: what may happen at a node besides its answer and option: a direct price question,
 * an objection handled and closed, the client put on hold. */
static bool side_steps(struct walk *w, int *asks)
{
	const struct script *s = w->s;
	const struct script_node *nd = &s->nodes[w->st.node];
	uint64_t *r = w->r;
	if (w->x->nrows > RUN_MAX_ROWS / 2)
		return true;
	bool early = nd->stage == STAGE_QUESTION || nd->stage == STAGE_INTRO ||
		     nd->stage == STAGE_NEEDS || nd->stage == STAGE_GREETING;
	if (*asks > 0 && early && chance(r, 0.4)) {
		(*asks)--;
		if (!take_simple(w, RUN_PRICE))
			return false;
	}
	bool late = nd->stage == STAGE_PRESENTATION || nd->stage == STAGE_CLOSING ||
		    nd->stage == STAGE_SIDE || nd->stage == STAGE_CUSTOM;
	if (s->nobjections && chance(r, late ? 0.2 : 0.03)) {
		const char *id = s->objections[rnd(r, (int)s->nobjections)].id;
		if (!take(w, (struct run_step){.action = RUN_OBJECTION, .objection = id}, id) ||
		    !take_simple(w, RUN_RESUME))
			return false;
	}
	if (nd->stage == STAGE_NEEDS && chance(r, 0.02) &&
	    (!take_simple(w, RUN_HOLD) || !take_simple(w, RUN_RESUME)))
		return false;
	return true;
}

static bool answer_step(struct walk *w, const struct client_gen *c, int64_t at)
{
	const struct script_question *q = &w->s->nodes[w->st.node].question;
	struct run_answer in = {.field = q->field, .value = answer(w->g, w->gs, c, q, at, w->r)};
	struct buf b;
	buf_init(&b, 0);
	buf_adds(&b, "[[");
	json_str(&b, in.field);
	buf_addc(&b, ',');
	json_str(&b, in.value);
	buf_adds(&b, "]]");
	const char *arg = buf_failed(&b) ? "[]" : arena_strndup(&w->g->arena, b.data, b.len);
	buf_release(&b);
	return take(w, (struct run_step){.action = RUN_ANSWER, .answers = &in, .nanswers = 1}, arg);
}

/* walk_run takes the run's steps from the start node: towards an end with goal, finished there,
 * or abandoned right after its stop-th option (0: never; below the start's distance to the end,
 * so that the run is abandoned on the way). */
static void walk_run(struct walk *w, const struct gver *v, const struct client_gen *c, int goal,
		     size_t stop, int64_t at)
{
	struct gen_scripts *x = w->x;
	const struct script *s = w->s;
	uint64_t *r = w->r;
	const struct script_node *st0 = &s->nodes[s->start];
	uint32_t rnd = draw(st0->say, st0->nsay, w->lift, r);
	script_run_start(s, &w->g->arena, 0, rnd, &w->st);
	x->rows[0] = (struct run_step_rec){.seq = 0,
					   .action = "start",
					   .rnd = rnd,
					   .entered = st0->id,
					   .variant = w->st.variant[s->start]};
	x->nrows = 1;
	/* inbound callers often ask the price straight away, outbound ones now and then */
	int asks = chance(r, s->outbound ? 0.2 : 0.5) ? (int)rnd64(r, 1, 3) : 0;
	for (size_t moves = 0; !stop || moves < stop; moves++) {
		const struct script_node *nd = &s->nodes[w->st.node];
		if (nd->end) {
			take_simple(w, RUN_FINISH);
			break;
		}
		if (!side_steps(w, &asks) || (nd->has_question && !answer_step(w, c, at)))
			break;
		int k = pick_option(w, v->dist[goal]);
		if (k < 0 || !take(w, (struct run_step){.action = RUN_OPTION, .option = k},
				   arena_printf(&w->g->arena, "%d", k)))
			break;
		/* now and then the rep clicked too fast and goes back */
		if (!s->nodes[w->st.node].end && x->nrows < RUN_MAX_ROWS / 2 && chance(r, 0.02) &&
		    !take_simple(w, RUN_BACK))
			break;
	}
	x->node = s->nodes[w->st.node].id;
	x->finished = w->st.finished;
	x->result = (int)w->st.result;
}

/* ---- the calls ---- */

int64_t script_plan(struct gen *g, struct client_gen *c, struct call_rec *e)
{
	struct gen_scripts *x = g->scripts;
	x->run_id = 0;
	if (c->rep == UNASSIGNED || e->kind != CONTACT_CALL || e->missed ||
	    !chance(&c->sr, rep_share[c->rep % REP_PATTERN]))
		return 0;
	const struct gscript *gs = &x->sc[e->direction == DIR_OUT	 ? 2
					  : g->reps[c->rep].market == RU ? 0
									 : 1];
	const struct gver *v = &gs->v[gs->nv > 1 && e->started_at >= gs->v[1].at ? 1 : 0];
	if (v->at > e->started_at)
		return 0; /* no script yet */
	/* the run ends as the call did */
	int goal = e->result == RESULT_MAX   ? GOAL_MAX
		   : e->result == RESULT_MIN ? GOAL_MIN
					     : GOAL_NONE;
	/* no next step and no refusal: the rep left the script on the way to some end */
	bool left = e->result == RESULT_NONE && !strcmp(e->outcome, "none");
	if (left)
		goal = (int)rnd(&c->sr, 3);
	int d = v->dist[goal][v->s.start];
	if (d < 0 || (left && d < 2))
		return 0;
	size_t stop = left ? (size_t)rnd64(&c->sr, 1, d - 1) : 0;
	x->run_id = ++g->runs;
	x->ver = v;
	x->rep_id = e->rep_id;
	struct walk w = {
	    .g = g, .x = x, .gs = gs, .s = &v->s, .r = &c->sr, .lift = goal == GOAL_MAX && !stop};
	walk_run(&w, v, c, goal, stop, e->started_at);
	if (!stop && !x->finished)
		g->runs_astray++; /* a step the runner refused: reported, not expected */
	/* the call row says what the app's finish logs: the script's tasks, and time enough to
	 * talk through the steps */
	e->purpose = e->goal_max = v->s.task_max;
	e->goal_min = v->s.task_min;
	e->talk_s = MAX(e->talk_s, (int)x->nrows * (int)rnd64(&c->sr, 8, 20));
	e->ended_at = e->answered_at + e->talk_s;
	return x->run_id;
}

int script_write(struct gen *g, const struct call_rec *e, struct nc_err *err)
{
	struct gen_scripts *x = g->scripts;
	if (!x->run_id)
		return 0;
	int64_t t0 = e->answered_at, span = e->talk_s;
	for (size_t k = 0; k < x->nrows; k++)
		x->rows[k].at = t0 + span * (int64_t)k / (int64_t)x->nrows;
	int64_t last = x->rows[x->nrows - 1].at;
	struct script_run_rec run = {.id = x->run_id,
				     .version_id = x->ver->id,
				     .client_id = e->client_id,
				     .call_id = e->id,
				     .rep_id = x->rep_id,
				     .status = x->finished ? "finished" : "abandoned",
				     .result = x->finished ? x->result : -1,
				     .steps = (int)x->nrows - 1,
				     .started_at = t0,
				     .updated_at = x->finished ? last : e->ended_at,
				     .finished_at = x->finished ? last : e->ended_at};
	if (bulk_script_run(g->db, &run, x->node, err) < 0)
		return -1;
	row(g);
	for (size_t k = 0; k < x->nrows; k++) {
		if (store_run_step_row(g->db, x->run_id, &x->rows[k], err) < 0)
			return -1;
		row(g);
	}
	g->run_steps += (int64_t)x->nrows;
	for (size_t i = 0; i < x->nfields; i++)
		if (x->fields[i].run_id == x->run_id)
			x->fields[i].at = last;
	x->run_id = 0;
	return 0;
}

int script_fields_flush(struct gen *g, int64_t client_id, struct nc_err *err)
{
	struct gen_scripts *x = g->scripts;
	for (size_t i = 0; i < x->nfields; i++) {
		struct client_field f = {.field = x->fields[i].field,
					 .value = x->fields[i].value,
					 .type = x->fields[i].type,
					 .run_id = x->fields[i].run_id,
					 .updated_at = x->fields[i].at};
		if (store_client_field_put(g->db, client_id, &f, err) < 0)
			return -1;
		row(g);
		g->fields++;
	}
	x->nfields = 0;
	return 0;
}
