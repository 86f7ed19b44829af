/* script.c - a call script's findings and the validator that checks its graph against the
 * method (METHOD.md §5): every node reachable and able to end, at most 7 needs questions on a
 * path, all three kinds of them, goals that capture a dated next step, the price not too early. */
#include "core/script.h"
#include "util/utf8.h"

#include <stdarg.h>
#include <string.h>

#define SCRIPT_MAX_FINDINGS 200	   /* kept; the rest are only counted */
#define PATH_BUDGET	    200000 /* node visits for the question-count search */
#define QUOTE_MAX	    60

void script_finding_add(struct script_findings *f, struct arena *a, bool warning, const char *code,
			struct script_pos pos, const char *fmt, ...)
{
	va_list ap;
	if (!warning)
		f->nerrors++;
	if (f->n >= SCRIPT_MAX_FINDINGS)
		return;
	f->v = arena_grow(a, f->v, &f->cap, f->n, sizeof(*f->v));
	struct script_finding *x = &f->v[f->n++];
	x->code = code;
	x->pos = pos;
	x->warning = warning;
	va_start(ap, fmt);
	x->message = arena_vprintf(a, fmt, ap);
	va_end(ap);
}

/* char_len is the length of the UTF-8 character at s (n bytes left), 0 when it is not one. */
static size_t char_len(const char *s, size_t n)
{
	for (size_t k = 1; k <= 4 && k <= n; k++)
		if (utf8_valid(s, k))
			return k;
	return 0;
}

const char *script_quote(struct arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, QUOTE_MAX + 6), *o = out;
	size_t i = 0;
	*o++ = '"';
	while (i < n) {
		size_t k = char_len(s + i, n - i), step = k ? k : 1;
		if (i + step > QUOTE_MAX)
			break;
		if (k == 0)
			*o++ = '?';
		else if (k == 1 && ((unsigned char)s[i] < 0x20 || s[i] == 0x7f))
			*o++ = ' ';
		else
			for (size_t j = 0; j < k; j++)
				*o++ = s[i + j];
		i += step;
	}
	if (i < n) {
		memcpy(o, "...", 3);
		o += 3;
	}
	*o++ = '"';
	*o = '\0';
	return out;
}

const char *script_stage_name(enum script_stage s)
{
	static const char *const names[] = {"greeting", "question", "consent",	    "intro",
					    "needs",	"summary",  "presentation", "side",
					    "closing",	"custom"};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : NULL;
}

const char *script_goal_name(enum script_goal g)
{
	static const char *const names[] = {"none", "max", "min"};
	return (unsigned)g < 3 ? names[g] : NULL;
}

int script_node_find(const struct script *s, const char *id)
{
	if (!id)
		return -1;
	for (size_t i = 0; i < s->nnodes; i++)
		if (s->nodes[i].id && strcmp(s->nodes[i].id, id) == 0)
			return (int)i;
	return -1;
}

int script_objection_find(const struct script *s, const char *id)
{
	if (!id)
		return -1;
	for (size_t i = 0; i < s->nobjections; i++)
		if (s->objections[i].id && strcmp(s->objections[i].id, id) == 0)
			return (int)i;
	return -1;
}

static bool same(const char *name, size_t len, const char *word)
{
	return len == strlen(word) && memcmp(name, word, len) == 0;
}

bool script_placeholder_known(const struct script *s, const char *name, size_t len)
{
	static const char *const fixed[] = {"client.name",  "client.company", "client.phone",
					    "client.email", "rep.name",	      "company",
					    "price"};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (same(name, len, fixed[i]))
			return true;
	for (size_t i = 0; i < s->nnodes; i++) {
		const struct script_node *nd = &s->nodes[i];
		if (nd->has_question && nd->question.field && same(name, len, nd->question.field))
			return true;
	}
	return false;
}

/* ---- the validator ---- */

struct vctx {
	const struct script *s;
	struct arena *a;
	struct script_findings *f;
	bool *reach; /* reachable from the start node */
};

static struct script_pos pos_or_top(struct script_pos p)
{
	if (p.line <= 0) {
		p.line = 1;
		p.col = 1;
	}
	return p;
}

/* placeholders reports every {name} of text the renderer could not fill; "{{" is a literal. */
static void placeholders(struct vctx *v, const char *text, struct script_pos pos)
{
	for (const char *p = text; p && *p; p++) {
		if (*p != '{')
			continue;
		if (p[1] == '{') {
			p++;
			continue;
		}
		const char *end = strchr(p + 1, '}');
		if (!end) {
			script_finding_add(v->f, v->a, false, "undefined_placeholder", pos,
					   "an unclosed { in %s (write {{ for a literal brace)",
					   script_quote(v->a, text, strlen(text)));
			return;
		}
		size_t len = (size_t)(end - p - 1);
		if (!script_placeholder_known(v->s, p + 1, len))
			script_finding_add(v->f, v->a, false, "undefined_placeholder", pos,
					   "placeholder {%s} is neither a client or rep field, "
					   "{company}, {price}, nor a field a question captures",
					   script_quote(v->a, p + 1, len));
		p = end;
	}
}

static void check_texts(struct vctx *v)
{
	const struct script *s = v->s;
	for (size_t i = 0; i < s->nnodes; i++)
		for (size_t j = 0; j < s->nodes[i].nsay; j++)
			placeholders(v, s->nodes[i].say[j].text, s->nodes[i].say[j].pos);
	for (size_t i = 0; i < s->nobjections; i++)
		for (size_t j = 0; j < s->objections[i].nsay; j++)
			placeholders(v, s->objections[i].say[j].text, s->objections[i].say[j].pos);
	for (size_t i = 0; i < s->ndeflect; i++)
		placeholders(v, s->deflect[i], pos_or_top(s->price_pos));
	placeholders(v, s->price_answer, pos_or_top(s->price_pos));
}

/* reach_from marks in seen the nodes reachable from start; a node for which stop() holds is
 * marked but not followed. */
static void reach_from(const struct script *s, int start, bool *seen, int *queue,
		       bool (*stop)(const struct script_node *))
{
	size_t head = 0, tail = 0;
	if (start < 0 || (size_t)start >= s->nnodes)
		return;
	seen[start] = true;
	queue[tail++] = start;
	while (head < tail) {
		const struct script_node *nd = &s->nodes[queue[head++]];
		if (stop && stop(nd))
			continue;
		for (size_t j = 0; j < nd->noptions; j++) {
			int t = nd->options[j].target;
			if (t >= 0 && (size_t)t < s->nnodes && !seen[t]) {
				seen[t] = true;
				queue[tail++] = t;
			}
		}
	}
}

static void check_graph(struct vctx *v)
{
	const struct script *s = v->s;
	size_t n = s->nnodes;
	bool *canend = ARENA_ARRAY(v->a, bool, n + 1);
	int *queue = ARENA_ARRAY(v->a, int, n + 1);

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < s->nodes[i].noptions; j++) {
			const struct script_option *o = &s->nodes[i].options[j];
			if (o->target < 0)
				script_finding_add(
				    v->f, v->a, false, "unknown_target", o->pos,
				    "option goes to %s, which is no node",
				    script_quote(v->a, o->target_id ? o->target_id : "",
						 o->target_id ? strlen(o->target_id) : 0));
		}
	if (s->start < 0 || (size_t)s->start >= n) {
		script_finding_add(v->f, v->a, false, "no_start", pos_or_top(s->start_pos),
				   "\"start\" must name the node the call begins with");
		for (size_t i = 0; i < n; i++)
			v->reach[i] = true; /* the other checks then look at every node */
	} else {
		reach_from(s, s->start, v->reach, queue, NULL);
		for (size_t i = 0; i < n; i++)
			if (!v->reach[i])
				script_finding_add(
				    v->f, v->a, false, "unreachable_node", s->nodes[i].pos,
				    "node %s cannot be reached from the start node",
				    script_quote(v->a, s->nodes[i].id, strlen(s->nodes[i].id)));
	}
	/* a node can end when it is an end node or an option leads to one that can: a fixpoint,
	 * at most n rounds over the options */
	for (size_t i = 0; i < n; i++)
		canend[i] = s->nodes[i].end;
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < s->nodes[i].noptions && !canend[i]; j++) {
				int t = s->nodes[i].options[j].target;
				if (t >= 0 && canend[t])
					canend[i] = changed = true;
			}
	}
	for (size_t i = 0; i < n; i++)
		if (v->reach[i] && !canend[i])
			script_finding_add(
			    v->f, v->a, false, "no_path_to_end", s->nodes[i].pos,
			    "no option path from node %s reaches an end node",
			    script_quote(v->a, s->nodes[i].id, strlen(s->nodes[i].id)));
}

static bool needs_question(const struct script_node *nd)
{
	return nd->stage == STAGE_NEEDS && nd->has_question;
}

struct dfs {
	const struct script *s;
	bool *onpath;
	long budget;
	int found; /* the node where a path passed the limit, -1 none */
};

/* count_path walks the simple paths from n (a node on a cycle counts once per path) until one
 * has more than SCRIPT_MAX_NEEDS_QUESTIONS needs questions or the budget runs out. */
static void count_path(struct dfs *d, int n, int count)
{
	const struct script_node *nd = &d->s->nodes[n];
	if (d->found >= 0 || d->budget <= 0)
		return;
	d->budget--;
	if (needs_question(nd) && ++count > SCRIPT_MAX_NEEDS_QUESTIONS) {
		d->found = n;
		return;
	}
	d->onpath[n] = true;
	for (size_t j = 0; j < nd->noptions; j++) {
		int t = nd->options[j].target;
		if (t >= 0 && !d->onpath[t])
			count_path(d, t, count);
	}
	d->onpath[n] = false;
}

static void check_questions(struct vctx *v)
{
	const struct script *s = v->s;
	size_t total = 0;
	for (size_t i = 0; i < s->nnodes; i++)
		if (v->reach[i] && needs_question(&s->nodes[i]))
			total++;
	/* with 7 needs questions in all no path can hold more: skip the search */
	if (total <= SCRIPT_MAX_NEEDS_QUESTIONS || s->start < 0)
		return;
	struct dfs d = {s, ARENA_ARRAY(v->a, bool, s->nnodes), PATH_BUDGET, -1};
	count_path(&d, s->start, 0);
	if (d.found >= 0) {
		const struct script_node *nd = &s->nodes[d.found];
		script_finding_add(v->f, v->a, false, "too_many_questions", nd->question.pos,
				   "node %s is needs question %d on a path from the start: the "
				   "method allows at most %d",
				   script_quote(v->a, nd->id, strlen(nd->id)),
				   SCRIPT_MAX_NEEDS_QUESTIONS + 1, SCRIPT_MAX_NEEDS_QUESTIONS);
	} else if (d.budget <= 0) {
		script_finding_add(v->f, v->a, true, "questions_unchecked",
				   pos_or_top(s->start_pos),
				   "the graph has too many paths to check each for the %d-question "
				   "limit; the first %d node visits were checked",
				   SCRIPT_MAX_NEEDS_QUESTIONS, PATH_BUDGET);
	}
}

static void check_kinds(struct vctx *v)
{
	static const char *const kinds[] = {"", "technical", "expertise", "motivation"};
	const struct script *s = v->s;
	bool have[4] = {false};
	const struct script_node *first = NULL;
	for (size_t i = 0; i < s->nnodes; i++) {
		const struct script_node *nd = &s->nodes[i];
		if (!needs_question(nd))
			continue;
		if (!first)
			first = nd;
		have[nd->question.kind] = true;
		if (nd->question.kind == QKIND_NONE)
			script_finding_add(v->f, v->a, false, "needs_kind_missing",
					   nd->question.pos,
					   "the needs question of node %s has no kind (technical, "
					   "expertise or motivation)",
					   script_quote(v->a, nd->id, strlen(nd->id)));
	}
	if (!first) {
		if (!s->outbound)
			script_finding_add(v->f, v->a, false, "needs_kind_missing",
					   pos_or_top(s->name_pos),
					   "an inbound script needs a needs stage with technical, "
					   "expertise and motivation questions");
		return;
	}
	for (int k = QKIND_TECHNICAL; k <= QKIND_MOTIVATION; k++)
		if (!have[k])
			script_finding_add(
			    v->f, v->a, false, "needs_kind_missing", first->question.pos,
			    "the needs stage has no %s question: ask all three kinds "
			    "(technical, expertise, motivation)",
			    kinds[k]);
}

static void check_goals(struct vctx *v)
{
	const struct script *s = v->s;
	bool reach_goal[3] = {false};
	if (!s->task_max)
		script_finding_add(v->f, v->a, false, "goal_max_missing", pos_or_top(s->tasks_pos),
				   "tasks.max: state the maximum task of the call");
	if (!s->task_min)
		script_finding_add(v->f, v->a, false, "goal_min_missing", pos_or_top(s->tasks_pos),
				   "tasks.min: state the minimum task of the call");
	for (size_t i = 0; i < s->nnodes; i++) {
		const struct script_node *nd = &s->nodes[i];
		if (nd->end && v->reach[i])
			reach_goal[nd->goal] = true;
		if (nd->goal == GOAL_NONE || (nd->nnext_kinds > 0 && nd->next_time))
			continue;
		script_finding_add(v->f, v->a, false, "goal_next_step_missing", nd->next_pos,
				   "goal node %s must capture the next step with its kind and a "
				   "concrete date and time (next_step: {kinds: [...]})",
				   script_quote(v->a, nd->id, strlen(nd->id)));
	}
	if (!reach_goal[GOAL_MAX])
		script_finding_add(v->f, v->a, true, "goal_max_unreachable",
				   pos_or_top(s->start_pos),
				   "no node with goal: max can be reached");
	if (!reach_goal[GOAL_MIN])
		script_finding_add(v->f, v->a, true, "goal_min_unreachable",
				   pos_or_top(s->start_pos),
				   "no node with goal: min can be reached");
}

static bool takes_contacts(const struct script_node *nd)
{
	return nd->has_question && nd->question.field &&
	       (strcmp(nd->question.field, "client.phone") == 0 ||
		strcmp(nd->question.field, "client.email") == 0);
}

static void check_price(struct vctx *v, int *queue)
{
	const struct script *s = v->s;
	bool name = false;
	for (size_t i = 0; i < s->nnodes; i++) {
		const struct script_node *nd = &s->nodes[i];
		if (nd->has_question && nd->question.field &&
		    strcmp(nd->question.field, "client.name") == 0)
			name = true;
		if (nd->names_price && nd->stage < STAGE_PRESENTATION)
			script_finding_add(
			    v->f, v->a, false, "price_too_early", nd->price_pos,
			    "node %s names the price in the %s stage: name it at the "
			    "presentation or later",
			    script_quote(v->a, nd->id, strlen(nd->id)),
			    script_stage_name(nd->stage));
	}
	for (size_t i = 0; i < s->ndeflect; i++)
		if (strstr(s->deflect[i], "{price}"))
			script_finding_add(v->f, v->a, false, "price_too_early",
					   pos_or_top(s->price_pos),
					   "price.deflect line %zu names the price: a deflection "
					   "answers without it",
					   i + 1);
	if (!name)
		script_finding_add(
		    v->f, v->a, true, "name_not_asked", pos_or_top(s->name_pos),
		    "no question captures client.name: ask how to address the client");
	/* the nodes reachable before any node takes the phone or e-mail */
	bool *before = ARENA_ARRAY(v->a, bool, s->nnodes + 1);
	reach_from(s, s->start, before, queue, takes_contacts);
	for (size_t i = 0; i < s->nnodes; i++)
		if (before[i] && s->nodes[i].names_price) {
			script_finding_add(
			    v->f, v->a, true, "contacts_after_price", s->nodes[i].price_pos,
			    "node %s can name the price before the client's phone or "
			    "e-mail is taken: take the contacts first",
			    script_quote(v->a, s->nodes[i].id, strlen(s->nodes[i].id)));
			break;
		}
}

void script_validate(const struct script *s, struct arena *a, struct script_findings *f)
{
	struct vctx v = {s, a, f, ARENA_ARRAY(a, bool, s->nnodes + 1)};
	int *queue = ARENA_ARRAY(a, int, s->nnodes + 1);
	check_graph(&v);
	check_texts(&v);
	check_questions(&v);
	check_kinds(&v);
	check_goals(&v);
	check_price(&v, queue);
}
