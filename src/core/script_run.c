/* script_run.c - the live runner of a call script: a pure state machine over struct run_state
 * (core/script.h) that takes one step of the rep at a time, and the renderer that fills a line's
 * placeholders. No clock and no random source of its own: both are arguments. */
#include "core/script.h"
#include "util/buf.h"
#include "util/time.h"
#include "util/utf8.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define RUN_MAX_PATH	1000 /* nodes entered in one run: a loop clicked forever is refused */
#define ANSWER_MAX_RAW	4096 /* bytes of a raw answer before trimming */
#define ANSWER_MAX_TEXT 1000 /* bytes of a text answer after trimming */
#define ANSWER_MAX_NUM	64   /* bytes of a number as typed */
#define QUOTE_MAX	60   /* bytes of a value quoted in a message */

int script_pick_variant(const struct script_text *say, size_t n, uint32_t rnd)
{
	if (n == 0)
		return -1;
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += say[i].weight > 0 ? (uint64_t)say[i].weight : 1;
	uint64_t r = rnd % total;
	for (size_t i = 0; i < n; i++) {
		uint64_t w = say[i].weight > 0 ? (uint64_t)say[i].weight : 1;
		if (r < w)
			return (int)i;
		r -= w;
	}
	return (int)(n - 1); /* not reached: r < total */
}

/* quote gives s quoted for a message (core/script.h script_quote: cut, no control characters). */
static const char *quote(struct arena *a, const char *s)
{
	return script_quote(a, s, strlen(s));
}

/* refuse fills the step's error and returns -1; the state has not been touched. */
static int refuse(struct arena *a, const char **why, const char **field, const char *name,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int refuse(struct arena *a, const char **why, const char **field, const char *name,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	*why = arena_vprintf(a, fmt, ap);
	va_end(ap);
	*field = name;
	return -1;
}

void script_run_start(const struct script *s, struct arena *a, int64_t now, uint32_t rnd,
		      struct run_state *st)
{
	memset(st, 0, sizeof(*st));
	st->objection = -1;
	st->result = GOAL_NONE;
	st->started_at = now;
	st->variant = ARENA_ARRAY(a, int, s->nnodes ? s->nnodes : 1);
	for (size_t i = 0; i < s->nnodes; i++)
		st->variant[i] = -1;
	st->objection_variant = ARENA_ARRAY(a, int, s->nobjections ? s->nobjections : 1);
	for (size_t i = 0; i < s->nobjections; i++)
		st->objection_variant[i] = -1;
	if (s->start < 0 || (size_t)s->start >= s->nnodes) {
		/* only an invalid script has no start; every step is then refused with "run" */
		st->node = -1;
		return;
	}
	st->node = s->start;
	st->path = arena_grow(a, st->path, &st->path_cap, 0, sizeof(*st->path));
	st->path[st->npath++] = s->start;
	const struct script_node *nd = &s->nodes[s->start];
	st->variant[s->start] = script_pick_variant(nd->say, nd->nsay, rnd);
}

/* enter moves the run to node t: pushed on the path, its wording drawn when first entered. */
static void enter(const struct script *s, struct arena *a, struct run_state *st, int t,
		  uint32_t rnd)
{
	st->path = arena_grow(a, st->path, &st->path_cap, st->npath, sizeof(*st->path));
	st->path[st->npath++] = t;
	st->node = t;
	if (st->variant[t] < 0)
		st->variant[t] = script_pick_variant(s->nodes[t].say, s->nodes[t].nsay, rnd);
}

/* trim returns s without leading and trailing ASCII white space, in the arena. */
static char *trim(struct arena *a, const char *s)
{
	const char *e = s + strlen(s);
	while (*s && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return arena_strndup(a, s, (size_t)(e - s));
}

/* norm_number accepts a decimal number as people type it: a comma as the decimal separator and
 * spaces (also no-break ones) between digit groups ("20 000,5"); hex, inf and nan are refused.
 * The value is written back with %.15g: the shortest form that keeps what a person types. */
static const char *norm_number(struct arena *a, const char *v, const char *fld, const char **err)
{
	char num[ANSWER_MAX_NUM + 1];
	size_t n = 0;
	int commas = 0, dots = 0;
	for (const char *p = v; *p; p++) {
		if (*p == ' ')
			continue;
		if (strncmp(p, "\xc2\xa0", 2) == 0 || strncmp(p, "\xe2\x80\xaf", 3) == 0) {
			p += *p == '\xc2' ? 1 : 2; /* U+00A0, U+202F */
			continue;
		}
		if (!strchr("0123456789+-.,eE", *p) || n == ANSWER_MAX_NUM)
			goto bad;
		commas += *p == ',';
		dots += *p == '.';
		num[n++] = *p == ',' ? '.' : *p;
	}
	num[n] = 0;
	if (n == 0 || commas + dots > 1)
		goto bad;
	char *end;
	double d = strtod(num, &end);
	if (*end || !isfinite(d))
		goto bad;
	if (d == 0)
		d = 0; /* no "-0" */
	return arena_printf(a, "%.15g", d);
bad:
	*err = arena_printf(a, "%s: %s is not a number", fld, quote(a, v));
	return NULL;
}

static const char *norm_choice(struct arena *a, const struct script_question *q, const char *v,
			       const char **err)
{
	struct buf want, have;
	buf_init(&want, 0);
	buf_init(&have, 0);
	const char *found = NULL;
	/* folded comparison: "Matte", "MATTE" and "matte" are one choice, in any alphabet */
	utf8_fold(v, strlen(v), &have);
	for (size_t i = 0; i < q->nchoices && !found; i++) {
		buf_reset(&want);
		utf8_fold(q->choices[i], strlen(q->choices[i]), &want);
		if (want.len == have.len && memcmp(want.data, have.data, want.len) == 0)
			found = q->choices[i];
	}
	buf_release(&want);
	buf_release(&have);
	if (!found) {
		struct buf list;
		buf_init(&list, 1024);
		for (size_t i = 0; i < q->nchoices; i++)
			buf_printf(&list, "%s%s", i ? ", " : "", quote(a, q->choices[i]));
		*err = arena_printf(a, "%s: %s is not one of the choices%s%s%s", q->field,
				    quote(a, v), q->nchoices ? " (" : "",
				    buf_failed(&list) ? "..." : list.data, q->nchoices ? ")" : "");
		buf_release(&list);
	}
	return found;
}

/* norm_datetime takes RFC 3339 or "YYYY-MM-DD HH:MM" (UTC) and writes RFC 3339 UTC. A date
 * without a time is refused: the method wants a next step at a concrete time. */
static const char *norm_datetime(struct arena *a, const char *v, const char *fld, const char **err)
{
	struct nc_when w;
	struct nc_err e;
	if (time_parse_when(v, NULL, fld, &w, &e) < 0) {
		*err = arena_strdup(a, e.msg);
		return NULL;
	}
	if (!w.has_time) {
		*err = arena_printf(a, "%s: %s has no time of day (want YYYY-MM-DD HH:MM)", fld,
				    quote(a, v));
		return NULL;
	}
	char out[32];
	time_rfc3339(w.t, NULL, out);
	return arena_strdup(a, out);
}

static const char *norm_text(struct arena *a, const char *v, const char *fld, const char **err)
{
	size_t n = strlen(v);
	if (n > ANSWER_MAX_TEXT) {
		*err = arena_printf(a, "%s: the answer is %zu bytes long (at most %d)", fld, n,
				    ANSWER_MAX_TEXT);
		return NULL;
	}
	for (const char *p = v; *p; p++)
		if (((unsigned char)*p < 0x20 && !strchr("\t\n\r", *p)) || *p == 0x7f) {
			*err = arena_printf(a, "%s: the answer holds a control character", fld);
			return NULL;
		}
	return v;
}

/* normalise checks a raw answer against the question's type; NULL with *err when it does not
 * fit. The result is in the arena. */
static const char *normalise(struct arena *a, const struct script_question *q, const char *raw,
			     const char **err)
{
	size_t n = strlen(raw);
	if (n > ANSWER_MAX_RAW) {
		*err = arena_printf(a, "%s: the answer is %zu bytes long (at most %d)", q->field, n,
				    ANSWER_MAX_RAW);
		return NULL;
	}
	if (!utf8_valid(raw, n)) {
		*err = arena_printf(a, "%s: the answer is not valid UTF-8", q->field);
		return NULL;
	}
	if (utf8_is_blank(raw)) {
		*err = arena_printf(a, "%s: the answer is empty", q->field);
		return NULL;
	}
	const char *v = trim(a, raw);
	switch (q->type) {
	case FIELD_NUMBER:
		return norm_number(a, v, q->field, err);
	case FIELD_CHOICE:
		return norm_choice(a, q, v, err);
	case FIELD_DATETIME:
		return norm_datetime(a, v, q->field, err);
	case FIELD_TEXT:
		return norm_text(a, v, q->field, err);
	}
	*err = arena_printf(a, "%s: the question has an unknown type", q->field);
	return NULL;
}

static int answer_index(const struct run_state *st, const char *fld)
{
	for (size_t i = 0; i < st->nanswers; i++)
		if (strcmp(st->answers[i].field, fld) == 0)
			return (int)i;
	return -1;
}

/* step_answer takes the answer to the current node's question. One answer per step: a node asks
 * one question. Re-answering replaces the value. A needs question counts once per field in a
 * run: answering it again, or asking the same field at another needs node, does not count
 * twice. The count may pass SCRIPT_MAX_NEEDS_QUESTIONS (the validator keeps a valid script
 * below it on every path); the panel then shows it over the limit. */
static int step_answer(const struct script *s, struct arena *a, struct run_state *st,
		       const struct run_step *step, struct run_effect *eff, const char **why,
		       const char **field)
{
	const struct script_node *nd = &s->nodes[st->node];
	if (!nd->has_question)
		return refuse(a, why, field, "answers", "node %s asks no question",
			      quote(a, nd->id));
	const struct script_question *q = &nd->question;
	if (step->nanswers == 0 || !step->answers)
		return refuse(a, why, field, "answers", "no answer given for %s", q->field);
	if (step->nanswers > 1)
		return refuse(a, why, field, "answers",
			      "%zu answers given: node %s asks one question (%s)", step->nanswers,
			      quote(a, nd->id), q->field);
	const struct run_answer *in = &step->answers[0];
	if (in->field && strcmp(in->field, q->field) != 0)
		return refuse(a, why, field, "answers", "node %s asks for %s, not %s",
			      quote(a, nd->id), q->field, quote(a, in->field));
	if (!in->value)
		return refuse(a, why, field, "answers", "%s: no value given", q->field);
	const char *err = NULL;
	const char *v = normalise(a, q, in->value, &err);
	if (!v)
		return refuse(a, why, field, "answers", "%s", err);

	int i = answer_index(st, q->field);
	if (i < 0) {
		st->answers = arena_grow(a, st->answers, &st->answers_cap, st->nanswers,
					 sizeof(*st->answers));
		i = (int)st->nanswers++;
		st->answers[i].field = arena_strdup(a, q->field);
		if (nd->stage == STAGE_NEEDS)
			st->questions++;
	}
	st->answers[i].value = v;
	struct run_answer *cap = ARENA_NEW(a, struct run_answer);
	*cap = st->answers[i];
	eff->captured = cap;
	eff->ncaptured = 1;
	return 0;
}

/* script_price_line: before the price_answer_on-th question the line is a deflection (the last
 * one repeats); core has no language of its own, so a script without deflection lines gives
 * NULL and the panel shows its own translated hint. */
const char *script_price_line(const struct script *s, int asks, bool *answered)
{
	int on = s->price_answer_on > 0 ? s->price_answer_on : SCRIPT_DEFAULT_PRICE_ANSWER;
	*answered = asks >= on;
	if (asks <= 0)
		return NULL;
	if (asks >= on)
		return s->price_answer;
	size_t i = (size_t)asks - 1;
	return s->ndeflect ? s->deflect[i < s->ndeflect ? i : s->ndeflect - 1] : NULL;
}

/* step_price counts a direct price question and says what to answer. */
static void step_price(const struct script *s, struct run_state *st, struct run_effect *eff)
{
	st->price_asks++;
	eff->line = script_price_line(s, st->price_asks, &eff->price_answered);
}

/* The actions and the open objection: following an option, going back and finishing leave the
 * node the objection was opened over, so they close it (the rep has handled it by moving on);
 * answers, price questions and hold keep it open. Hold ends with any step that is accepted. */
static int step_do(const struct script *s, struct arena *a, struct run_state *st,
		   const struct run_step *step, int64_t now, uint32_t rnd, struct run_effect *eff,
		   const char **why, const char **field)
{
	const struct script_node *nd = &s->nodes[st->node];
	switch (step->action) {
	case RUN_OPTION: {
		if (step->option < 0 || (size_t)step->option >= nd->noptions)
			return refuse(a, why, field, "option",
				      "node %s has no option %d (it has %zu)", quote(a, nd->id),
				      step->option, nd->noptions);
		const struct script_option *op = &nd->options[step->option];
		if (op->target < 0 || (size_t)op->target >= s->nnodes)
			return refuse(a, why, field, "option", "option %s leads to no node",
				      quote(a, op->label ? op->label : ""));
		if (st->npath >= RUN_MAX_PATH)
			return refuse(a, why, field, "option",
				      "the run has entered %d nodes: start a new run",
				      RUN_MAX_PATH);
		enter(s, a, st, op->target, rnd);
		st->objection = -1;
		eff->entered = op->target;
		break;
	}
	case RUN_OBJECTION: {
		if (!step->objection)
			return refuse(a, why, field, "objection", "no objection given");
		int o = script_objection_find(s, step->objection);
		if (o < 0)
			return refuse(a, why, field, "objection", "unknown objection %s",
				      quote(a, step->objection));
		if (st->objection_variant[o] < 0)
			st->objection_variant[o] =
			    script_pick_variant(s->objections[o].say, s->objections[o].nsay, rnd);
		st->objection = o;
		break;
	}
	case RUN_RESUME:
		if (st->hold_since)
			st->hold_since = 0;
		else if (st->objection >= 0)
			st->objection = -1;
		else
			return refuse(a, why, field, "action",
				      "nothing to resume: no objection is open and the client is "
				      "not on hold");
		return 0;
	case RUN_ANSWER:
		if (step_answer(s, a, st, step, eff, why, field) < 0)
			return -1;
		break;
	case RUN_PRICE:
		step_price(s, st, eff);
		break;
	case RUN_BACK:
		/* answers stay: they were said, and the card already holds them */
		if (st->npath <= 1)
			return refuse(
			    a, why, field, "action",
			    "the run is at its first node: there is nothing to go back to");
		st->npath--;
		st->node = st->path[st->npath - 1];
		st->objection = -1;
		break;
	case RUN_HOLD:
		if (st->hold_since)
			return refuse(a, why, field, "action", "the client is already on hold");
		st->hold_since = now > 0 ? now : 1; /* 0 means "not on hold" */
		return 0;
	case RUN_FINISH:
		if (!nd->end)
			return refuse(a, why, field, "action",
				      "node %s is not an end node: the run finishes at one",
				      quote(a, nd->id));
		st->finished = true;
		st->result = nd->goal;
		st->objection = -1;
		break;
	default:
		return refuse(a, why, field, "action", "unknown action %d", (int)step->action);
	}
	st->hold_since = 0;
	return 0;
}

/* Every check that can refuse a step runs before the state changes, so a refused step leaves
 * st exactly as it was. */
int script_run_apply(const struct script *s, struct arena *a, struct run_state *st,
		     const struct run_step *step, int64_t now, uint32_t rnd, struct run_effect *eff,
		     const char **why, const char **field)
{
	struct run_effect eff0;
	const char *why0, *field0;
	if (!eff)
		eff = &eff0;
	if (!why)
		why = &why0;
	if (!field)
		field = &field0;
	*eff = (struct run_effect){.entered = -1};
	*why = NULL;
	*field = NULL;
	if (st->finished)
		return refuse(a, why, field, "run", "the run is finished");
	if (st->node < 0 || (size_t)st->node >= s->nnodes || !st->variant || st->npath == 0 ||
	    st->objection >= (int)s->nobjections || st->objection < -1 ||
	    (s->nobjections && !st->objection_variant))
		return refuse(a, why, field, "run", "the run does not fit this script version");
	return step_do(s, a, st, step, now, rnd, eff, why, field);
}

/* value_of gives the value of placeholder name[0..len), NULL when it has none: the fixed ones
 * from ctx, falling back to (and any other name from) the run's latest answer to that field. */
static const char *value_of(const struct render_ctx *ctx, const char *name, size_t len)
{
	if (!ctx)
		return NULL;
	static const struct {
		const char *name;
		size_t off;
	} fixed[] = {
	    {"client.name", offsetof(struct render_ctx, client_name)},
	    {"client.company", offsetof(struct render_ctx, client_company)},
	    {"client.phone", offsetof(struct render_ctx, client_phone)},
	    {"client.email", offsetof(struct render_ctx, client_email)},
	    {"rep.name", offsetof(struct render_ctx, rep_name)},
	    {"company", offsetof(struct render_ctx, company)},
	    {"price", offsetof(struct render_ctx, price)},
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strlen(fixed[i].name) == len && memcmp(fixed[i].name, name, len) == 0) {
			const char *v = *(const char *const *)((const char *)ctx + fixed[i].off);
			if (v && *v)
				return v;
			break;
		}
	for (size_t i = ctx->nanswers; i-- > 0;) {
		const struct run_answer *an = &ctx->answers[i];
		if (an->field && an->value && *an->value && strlen(an->field) == len &&
		    memcmp(an->field, name, len) == 0)
			return an->value;
	}
	return NULL;
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

/* A placeholder is "{" name "}" with a name of ASCII letters, digits, '_' and '.'; any other "{"
 * (unterminated, empty, or around other bytes) is kept as written. */
const char *script_render(const char *text, const struct render_ctx *ctx, struct arena *a)
{
	if (!text)
		return arena_strdup(a, "");
	struct buf b;
	buf_init(&b, 0);
	for (const char *p = text; *p;) {
		const char *brace = strchr(p, '{');
		if (!brace) {
			buf_adds(&b, p);
			break;
		}
		buf_add(&b, p, (size_t)(brace - p));
		if (brace[1] == '{') {
			buf_addc(&b, '{');
			p = brace + 2;
			continue;
		}
		const char *e = brace + 1;
		while (name_char(*e))
			e++;
		if (*e != '}' || e == brace + 1) {
			buf_addc(&b, '{');
			p = brace + 1;
			continue;
		}
		size_t len = (size_t)(e - brace - 1);
		const char *v = value_of(ctx, brace + 1, len);
		if (v) {
			buf_adds(&b, v);
		} else {
			buf_addc(&b, '[');
			buf_add(&b, brace + 1, len);
			buf_addc(&b, ']');
		}
		p = e + 1;
	}
	const char *out = buf_failed(&b) ? arena_strdup(a, text) : arena_strndup(a, b.data, b.len);
	buf_release(&b);
	return out;
}
