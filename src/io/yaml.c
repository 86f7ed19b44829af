/* yaml.c - reading a call script from YAML: libfyaml's event parser builds a small bounded tree
 * in the arena (no aliases, limited depth and size), then each key of docs/scripts.md is read
 * from it into struct script, every problem becoming a finding at its line and column. */
#include "io/yaml.h"
#include "core/model.h"
#include "util/utf8.h"

#include <libfyaml.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define YAML_MAX_DEPTH	32	/* nesting of mappings and sequences */
#define YAML_MAX_ITEMS	50000	/* scalars, mappings and sequences in one document */
#define SCRIPT_MAX_LIST 100	/* variants, options, choices, deflections, next-step kinds */
#define ID_MAX		64	/* bytes of a node or objection id, and of a field name */
#define WEIGHT_MAX	1000000 /* the weight of one wording */

enum ytype { Y_SCALAR, Y_MAP, Y_SEQ };

/* One value of the document. A mapping's kid holds key, value, key, value... */
struct ynode {
	enum ytype type;
	struct script_pos pos;
	const char *s; /* scalar text (NUL-terminated copy; may hold NUL bytes before len) */
	size_t len;
	bool plain; /* an unquoted scalar: true, false and numbers are only read from these */
	struct ynode **kid;
	size_t n, cap;
};

struct cv {
	struct arena *a;
	const char *text; /* the document, for single-quoted scalars (single_quoted) */
	size_t len;
	struct script_findings *f;
	bool failed; /* an error was found while reading */
};

static void bad(struct cv *c, const char *code, struct script_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void bad(struct cv *c, const char *code, struct script_pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(c->a, fmt, ap);
	va_end(ap);
	script_finding_add(c->f, c->a, false, code, pos, "%s", msg);
	c->failed = true;
}

static struct script_pos mark_pos(const struct fy_mark *m)
{
	struct script_pos p = {1, 1};
	if (m) {
		p.line = m->line + 1;
		p.col = m->column + 1;
	}
	return p;
}

/* ---- the tree ---- */

/* syntax_error turns libfyaml's first collected error into a finding. */
static void syntax_error(struct cv *c, struct fy_diag *diag, struct script_pos at)
{
	void *iter = NULL;
	struct fy_diag_error *e = fy_diag_errors_iterate(diag, &iter);
	if (e) {
		/* unlike marks, collected errors count lines and columns from 1 */
		struct script_pos p = {e->line > 0 ? e->line : 1, e->column > 0 ? e->column : 1};
		char *msg = arena_strdup(c->a, e->msg ? e->msg : "invalid YAML");
		for (char *q = msg; *q; q++)
			if ((unsigned char)*q < 0x20)
				*q = ' ';
		bad(c, "yaml_syntax", p, "%s", msg);
		return;
	}
	bad(c, "yaml_syntax", at, "invalid YAML");
}

/* single_quoted gives the value of a single-quoted scalar from its source bytes: '' is one quote, a
 * line break with the blanks around it folds into a space, and each empty line into a line break
 * (YAML 1.2 §7.3.2). libfyaml 0.7.12's fy_token_get_text leaks the buffer it builds for such a
 * scalar once it holds about ten escaped quotes (seen with LeakSanitizer by fuzz_script), so these
 * scalars are decoded here. NULL when the span is not between quotes (then libfyaml's text is
 * used). */
static const char *single_quoted(struct cv *c, struct fy_token *tok, size_t *len)
{
	const struct fy_mark *sm = fy_token_start_mark(tok), *em = fy_token_end_mark(tok);
	/* the marks span the content, between the quotes */
	if (!sm || !em || em->input_pos >= c->len || sm->input_pos < 1 ||
	    sm->input_pos > em->input_pos || c->text[sm->input_pos - 1] != '\'' ||
	    c->text[em->input_pos] != '\'')
		return NULL;
	const char *raw = c->text + sm->input_pos;
	size_t n = em->input_pos - sm->input_pos, k = 0, i = 0;
	char *out = arena_alloc(c->a, n + 1);
	while (i < n) {
		char ch = raw[i];
		if (ch == '\'' && i + 1 < n && raw[i + 1] == '\'') {
			out[k++] = '\'';
			i += 2;
		} else if (ch == '\n' || ch == '\r') {
			while (k > 0 && (out[k - 1] == ' ' || out[k - 1] == '\t'))
				k--;
			size_t breaks = 0;
			for (;;) {
				i += raw[i] == '\r' && i + 1 < n && raw[i + 1] == '\n' ? 2 : 1;
				while (i < n && (raw[i] == ' ' || raw[i] == '\t'))
					i++;
				if (i < n && (raw[i] == '\n' || raw[i] == '\r'))
					breaks++;
				else
					break;
			}
			if (breaks == 0)
				out[k++] = ' ';
			for (size_t b = 0; b < breaks; b++)
				out[k++] = '\n';
		} else {
			out[k++] = ch;
			i++;
		}
	}
	out[k] = '\0';
	*len = k;
	return out;
}

static struct ynode *new_node(struct cv *c, enum ytype t, struct fy_event *e)
{
	struct ynode *y = ARENA_NEW(c->a, struct ynode);
	y->type = t;
	y->pos = mark_pos(fy_event_start_mark(e));
	if (t == Y_SCALAR) {
		size_t len = 0;
		const char *s = NULL;
		if (fy_token_scalar_style(e->scalar.value) == FYSS_SINGLE_QUOTED)
			y->s = s = single_quoted(c, e->scalar.value, &len);
		if (!s) {
			s = fy_token_get_text(e->scalar.value, &len);
			y->s = s ? arena_strndup(c->a, s, len) : "";
		}
		y->len = s ? len : 0;
		y->plain = fy_token_scalar_style(e->scalar.value) == FYSS_PLAIN;
	}
	return y;
}

/* attach appends y to its parent, the container on top of the stack. */
static void attach(struct cv *c, struct ynode *parent, struct ynode *y)
{
	parent->kid = arena_grow(c->a, parent->kid, &parent->cap, parent->n, sizeof(*parent->kid));
	parent->kid[parent->n++] = y;
}

/* one_event handles one parser event; returns 1 to go on, 0 at the end, -1 on an error. */
static int one_event(struct cv *c, struct fy_event *e, struct ynode **stack, int *depth,
		     struct ynode **root, size_t *items, int *docs)
{
	struct ynode *y = NULL;
	switch (e->type) {
	case FYET_STREAM_END:
		return 0;
	case FYET_DOCUMENT_START:
		if (++*docs > 1) {
			bad(c, "yaml_syntax", mark_pos(fy_event_start_mark(e)),
			    "a script file holds one YAML document");
			return -1;
		}
		return 1;
	case FYET_ALIAS:
		bad(c, "alias_refused", mark_pos(fy_event_start_mark(e)),
		    "aliases (*name) are not allowed in a script: write the value out");
		return -1;
	case FYET_SCALAR:
		y = new_node(c, Y_SCALAR, e);
		break;
	case FYET_MAPPING_START:
		y = new_node(c, Y_MAP, e);
		break;
	case FYET_SEQUENCE_START:
		y = new_node(c, Y_SEQ, e);
		break;
	case FYET_MAPPING_END:
	case FYET_SEQUENCE_END:
		if (*depth > 0)
			(*depth)--;
		return 1;
	default:
		return 1;
	}
	if (++*items > YAML_MAX_ITEMS) {
		bad(c, "too_large", y->pos, "the document has more than %d values", YAML_MAX_ITEMS);
		return -1;
	}
	if (*depth == 0) {
		if (!*root)
			*root = y;
	} else {
		struct ynode *top = stack[*depth - 1];
		/* mapping keys must be strings: the script format has no complex keys */
		if (top->type == Y_MAP && top->n % 2 == 0 && y->type != Y_SCALAR) {
			bad(c, "wrong_type", y->pos, "a key must be a plain string");
			return -1;
		}
		attach(c, top, y);
	}
	if (y->type != Y_SCALAR) {
		if (*depth >= YAML_MAX_DEPTH) {
			bad(c, "too_deep", y->pos, "nested deeper than %d levels", YAML_MAX_DEPTH);
			return -1;
		}
		stack[(*depth)++] = y;
	}
	return 1;
}

/* build_tree parses text into a tree; NULL with a finding on any error. */
static struct ynode *build_tree(struct cv *c, const char *text, size_t len)
{
	struct fy_diag_cfg dcfg;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = NULL;
	dcfg.level = FYET_ERROR;
	struct fy_diag *diag = fy_diag_create(&dcfg);
	struct fy_parser *fyp = NULL;
	struct ynode *stack[YAML_MAX_DEPTH], *root = NULL;
	int depth = 0, docs = 0, rc = 1;
	size_t items = 0;
	struct script_pos last = {1, 1};

	if (!diag)
		abort();
	fy_diag_set_collect_errors(diag, true);
	struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_JSON_NONE,
				   .diag = diag};
	fyp = fy_parser_create(&cfg);
	if (!fyp || fy_parser_set_string(fyp, text, len) != 0)
		abort();
	while (rc > 0) {
		struct fy_event *e = fy_parser_parse(fyp);
		if (!e) {
			if (fy_parser_get_stream_error(fyp) || !root)
				syntax_error(c, diag, last);
			break;
		}
		const struct fy_mark *m = fy_event_start_mark(e);
		if (m)
			last = mark_pos(m);
		rc = one_event(c, e, stack, &depth, &root, &items, &docs);
		fy_parser_event_free(fyp, e);
	}
	fy_parser_destroy(fyp);
	fy_diag_destroy(diag);
	if (c->failed)
		return NULL;
	if (!root || root->type != Y_MAP) {
		bad(c, "wrong_type", root ? root->pos : last,
		    "a script is a mapping of keys (name, kind, tasks, price, start, nodes...)");
		return NULL;
	}
	return root;
}

/* bad_utf8_pos is the line and column (in characters) of the first byte of text that is not
 * part of a UTF-8 character, or is NUL. */
static struct script_pos bad_utf8_pos(const char *text, size_t len)
{
	struct script_pos p = {1, 1};
	for (size_t i = 0; i < len;) {
		size_t k = 1;
		while (k <= 4 && i + k <= len && !utf8_valid(text + i, k))
			k++;
		if (k > 4 || i + k > len)
			break;
		if (text[i] == '\n') {
			p.line++;
			p.col = 1;
		} else {
			p.col++;
		}
		i += k;
	}
	return p;
}

/* ---- reading values ---- */

static bool is(const struct ynode *y, const char *word)
{
	return y->type == Y_SCALAR && y->len == strlen(word) && memcmp(y->s, word, y->len) == 0;
}

/* get returns the value of key in mapping m, NULL when absent. */
static const struct ynode *get(const struct ynode *m, const char *key)
{
	for (size_t i = 0; i + 1 < m->n; i += 2)
		if (is(m->kid[i], key))
			return m->kid[i + 1];
	return NULL;
}

/* key_pos is the position of the key whose value is v in mapping m. */
static struct script_pos key_pos(const struct ynode *m, const struct ynode *v)
{
	for (size_t i = 0; i + 1 < m->n; i += 2)
		if (m->kid[i + 1] == v)
			return m->kid[i]->pos;
	return m->pos;
}

/* keys_ok reports keys of m not in allowed (NULL-terminated) and keys given twice. */
static void keys_ok(struct cv *c, const struct ynode *m, const char *where,
		    const char *const *allowed)
{
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const struct ynode *k = m->kid[i];
		bool known = false;
		for (const char *const *w = allowed; *w && !known; w++)
			known = is(k, *w);
		if (!known) {
			bad(c, "unknown_key", k->pos, "%s: unknown key %s", where,
			    script_quote(c->a, k->s, k->len));
			continue;
		}
		for (size_t j = 0; j < i; j += 2)
			if (is(m->kid[j], k->s)) {
				bad(c, "duplicate_key", k->pos, "%s: key %s given twice", where,
				    script_quote(c->a, k->s, k->len));
				break;
			}
	}
}

static bool want_type(struct cv *c, const struct ynode *y, enum ytype t, const char *what)
{
	static const char *const names[] = {"a string", "a mapping", "a list"};
	if (y->type == t)
		return true;
	bad(c, "wrong_type", y->pos, "%s must be %s", what, names[t]);
	return false;
}

/* str reads a non-empty UTF-8 string; NULL (with a finding) otherwise. */
static const char *str(struct cv *c, const struct ynode *y, const char *what)
{
	if (!want_type(c, y, Y_SCALAR, what))
		return NULL;
	if (!utf8_valid(y->s, y->len)) {
		bad(c, "bad_value", y->pos, "%s is not valid UTF-8 text", what);
		return NULL;
	}
	if (utf8_is_blank(y->s)) {
		bad(c, "bad_value", y->pos, "%s is empty", what);
		return NULL;
	}
	return y->s;
}

/* need returns the value of a required key, reporting it at the mapping when absent. */
static const struct ynode *need(struct cv *c, const struct ynode *m, const char *key,
				const char *where)
{
	const struct ynode *v = get(m, key);
	if (!v)
		bad(c, "missing_key", m->pos, "%s: key \"%s\" is required", where, key);
	return v;
}

static bool boolean(struct cv *c, const struct ynode *y, const char *what, bool *out)
{
	if (y->type == Y_SCALAR && y->plain) {
		if (is(y, "true") || is(y, "True") || is(y, "TRUE")) {
			*out = true;
			return true;
		}
		if (is(y, "false") || is(y, "False") || is(y, "FALSE")) {
			*out = false;
			return true;
		}
	}
	bad(c, "wrong_type", y->pos, "%s must be true or false", what);
	return false;
}

static bool integer(struct cv *c, const struct ynode *y, const char *what, long min, long max,
		    int *out)
{
	long v = 0;
	size_t i = 0;
	if (y->type == Y_SCALAR && y->plain && y->len > 0 && y->len <= 9) {
		for (; i < y->len && y->s[i] >= '0' && y->s[i] <= '9'; i++)
			v = v * 10 + (y->s[i] - '0');
	}
	if (y->type != Y_SCALAR || i == 0 || i != y->len || v < min || v > max) {
		bad(c, "bad_value", y->pos, "%s must be a whole number from %ld to %ld", what, min,
		    max);
		return false;
	}
	*out = (int)v;
	return true;
}

/* word_index finds y among words; -1 with a finding listing them otherwise. */
static int word_index(struct cv *c, const struct ynode *y, const char *what,
		      const char *const *words, size_t n)
{
	if (!want_type(c, y, Y_SCALAR, what))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (is(y, words[i]))
			return (int)i;
	char *list = "";
	for (size_t i = 0; i < n; i++)
		list = arena_printf(c->a, "%s%s%s", list, i ? ", " : "", words[i]);
	bad(c, "bad_value", y->pos, "%s: %s is not one of %s", what,
	    script_quote(c->a, y->s, y->len), list);
	return -1;
}

/* id_ok: letters, digits, '_' and '-' (field names: no '-'), at most ID_MAX bytes. */
static bool id_ok(const char *s, size_t n, bool dash)
{
	if (n == 0 || n > ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '_' || (dash && ch == '-');
		if (!ok)
			return false;
	}
	return true;
}

/* strings reads a string or a list of strings (at most SCRIPT_MAX_LIST). */
static const char **strings(struct cv *c, const struct ynode *y, const char *what, size_t *n)
{
	*n = 0;
	if (y->type == Y_SCALAR) {
		const char **v = ARENA_ARRAY(c->a, const char *, 1);
		if ((v[0] = str(c, y, what)) != NULL)
			*n = 1;
		return v;
	}
	if (!want_type(c, y, Y_SEQ, what))
		return NULL;
	if (y->n > SCRIPT_MAX_LIST) {
		bad(c, "too_large", y->pos, "%s: more than %d items", what, SCRIPT_MAX_LIST);
		return NULL;
	}
	const char **v = ARENA_ARRAY(c->a, const char *, y->n + 1);
	for (size_t i = 0; i < y->n; i++) {
		const char *s = str(c, y->kid[i], what);
		if (s)
			v[(*n)++] = s;
	}
	return v;
}

/* ---- the script's parts ---- */

/* say reads a line: a string, or a list of variants (strings or {text, weight}). */
static struct script_text *say(struct cv *c, const struct ynode *y, const char *what, size_t *n)
{
	static const char *const keys[] = {"text", "weight", NULL};
	*n = 0;
	if (y->type == Y_SCALAR) {
		struct script_text *t = ARENA_NEW(c->a, struct script_text);
		t->text = str(c, y, what);
		t->weight = 1;
		t->pos = y->pos;
		*n = t->text ? 1 : 0;
		return t;
	}
	if (y->type != Y_SEQ) {
		bad(c, "wrong_type", y->pos, "%s must be a string or a list of variants", what);
		return NULL;
	}
	if (y->n == 0 || y->n > SCRIPT_MAX_LIST) {
		bad(c, "bad_value", y->pos, "%s: give 1 to %d variants", what, SCRIPT_MAX_LIST);
		return NULL;
	}
	struct script_text *v = ARENA_ARRAY(c->a, struct script_text, y->n);
	for (size_t i = 0; i < y->n; i++) {
		const struct ynode *k = y->kid[i], *x;
		struct script_text *t = &v[*n];
		t->weight = 1;
		t->pos = k->pos;
		if (k->type == Y_SCALAR) {
			t->text = str(c, k, what);
		} else if (want_type(c, k, Y_MAP, what)) {
			keys_ok(c, k, what, keys);
			if ((x = need(c, k, "text", what)) != NULL) {
				t->text = str(c, x, what);
				t->pos = x->pos;
			}
			if ((x = get(k, "weight")) != NULL)
				integer(c, x, "weight", 1, WEIGHT_MAX, &t->weight);
		}
		if (t->text)
			(*n)++;
	}
	return v;
}

static void tasks(struct cv *c, const struct ynode *y, struct script *s)
{
	static const char *const keys[] = {"max", "min", "extra", NULL};
	const struct ynode *x;
	s->tasks_pos = y->pos;
	if (!want_type(c, y, Y_MAP, "tasks"))
		return;
	keys_ok(c, y, "tasks", keys);
	if ((x = get(y, "max")) != NULL)
		s->task_max = str(c, x, "tasks.max");
	if ((x = get(y, "min")) != NULL)
		s->task_min = str(c, x, "tasks.min");
	if ((x = get(y, "extra")) != NULL)
		s->extra = strings(c, x, "tasks.extra", &s->nextra);
}

static void price(struct cv *c, const struct ynode *y, struct script *s)
{
	static const char *const keys[] = {"answer_on", "deflect", "answer", NULL};
	const struct ynode *x;
	s->price_pos = y->pos;
	if (!want_type(c, y, Y_MAP, "price"))
		return;
	keys_ok(c, y, "price", keys);
	if ((x = get(y, "answer_on")) != NULL)
		integer(c, x, "price.answer_on", 1, 10, &s->price_answer_on);
	if ((x = get(y, "deflect")) != NULL)
		s->deflect = strings(c, x, "price.deflect", &s->ndeflect);
	else if (s->price_answer_on > 1)
		bad(c, "missing_key", y->pos,
		    "price: key \"deflect\" is required when the price is named at question %d "
		    "(the questions before get a deflection line)",
		    s->price_answer_on);
	if ((x = get(y, "answer")) != NULL)
		s->price_answer = str(c, x, "price.answer");
}

static void question(struct cv *c, const struct ynode *y, struct script_node *nd, const char *w)
{
	static const char *const keys[] = {"field", "type", "kind", "choices", NULL};
	static const char *const types[] = {"text", "number", "choice", "datetime"};
	static const char *const kinds[] = {"technical", "expertise", "motivation"};
	struct script_question *q = &nd->question;
	const struct ynode *x;
	char *what = arena_printf(c->a, "%s.question", w);
	if (!want_type(c, y, Y_MAP, what))
		return;
	nd->has_question = true;
	keys_ok(c, y, what, keys);
	if ((x = need(c, y, "field", what)) != NULL && (q->field = str(c, x, "question.field"))) {
		size_t n = x->len;
		bool card = strcmp(q->field, "client.name") == 0 ||
			    strcmp(q->field, "client.company") == 0 ||
			    strcmp(q->field, "client.phone") == 0 ||
			    strcmp(q->field, "client.email") == 0;
		if (!card && !id_ok(q->field, n, false)) {
			bad(c, "bad_value", x->pos,
			    "%s.field: %s is neither a card field (client.name, client.company, "
			    "client.phone, client.email) nor a name of letters, digits and '_' (at "
			    "most "
			    "%d bytes)",
			    what, script_quote(c->a, x->s, x->len), ID_MAX);
			q->field = NULL;
		}
	}
	q->type = FIELD_TEXT;
	if ((x = get(y, "type")) != NULL) {
		int t = word_index(c, x, "question.type", types, 4);
		q->type = t < 0 ? FIELD_TEXT : (enum field_type)t;
	}
	if ((x = get(y, "kind")) != NULL) {
		int k = word_index(c, x, "question.kind", kinds, 3);
		if (k >= 0 && nd->stage != STAGE_NEEDS)
			bad(c, "bad_value", x->pos,
			    "%s.kind: only questions of the needs stage have a kind", what);
		else if (k >= 0)
			q->kind = (enum question_kind)(k + 1);
	}
	x = get(y, "choices");
	if (q->type == FIELD_CHOICE && !x)
		bad(c, "missing_key", y->pos, "%s: a choice question needs \"choices\"", what);
	else if (x && q->type != FIELD_CHOICE)
		bad(c, "bad_value", x->pos, "%s.choices: only a choice question has choices", what);
	else if (x && (q->choices = strings(c, x, "question.choices", &q->nchoices)) &&
		 q->nchoices < 2)
		bad(c, "bad_value", x->pos, "%s.choices: give at least two", what);
}

static void options(struct cv *c, const struct ynode *y, struct script_node *nd, const char *w)
{
	static const char *const keys[] = {"label", "goto", NULL};
	char *what = arena_printf(c->a, "%s.options", w);
	const struct ynode *x;
	if (!want_type(c, y, Y_SEQ, what))
		return;
	if (y->n > SCRIPT_MAX_LIST) {
		bad(c, "too_large", y->pos, "%s: more than %d options", what, SCRIPT_MAX_LIST);
		return;
	}
	nd->options = ARENA_ARRAY(c->a, struct script_option, y->n + 1);
	for (size_t i = 0; i < y->n; i++) {
		const struct ynode *k = y->kid[i];
		struct script_option *o = &nd->options[nd->noptions];
		if (!want_type(c, k, Y_MAP, "an option"))
			continue;
		keys_ok(c, k, what, keys);
		o->pos = k->pos;
		o->target = -1;
		if ((x = need(c, k, "label", what)) != NULL)
			o->label = str(c, x, "option.label");
		if ((x = need(c, k, "goto", what)) != NULL) {
			o->target_id = str(c, x, "option.goto");
			o->pos = x->pos;
		}
		if (o->label && o->target_id)
			nd->noptions++;
	}
}

static void next_step(struct cv *c, const struct ynode *y, struct script_node *nd, const char *w)
{
	static const char *const keys[] = {"kinds", "time", NULL};
	char *what = arena_printf(c->a, "%s.next_step", w);
	const struct ynode *x;
	nd->next_pos = y->pos;
	if (!want_type(c, y, Y_MAP, what))
		return;
	keys_ok(c, y, what, keys);
	nd->next_time = true;
	if ((x = get(y, "time")) != NULL)
		boolean(c, x, "next_step.time", &nd->next_time);
	if ((x = get(y, "kinds")) == NULL)
		return;
	size_t n = 0;
	const char **k = strings(c, x, "next_step.kinds", &n);
	for (size_t i = 0; i < n; i++) {
		int kind = step_kind_parse(k[i]);
		if (kind < 0) {
			bad(c, "bad_value", x->pos, "%s.kinds: %s is not a next-step kind", what,
			    script_quote(c->a, k[i], strlen(k[i])));
			continue;
		}
		k[nd->nnext_kinds++] = step_kind_name((enum step_kind)kind);
	}
	nd->next_kinds = k;
}

static const char *const node_keys[] = {"stage", "stage_name", "say",	    "options", "question",
					"goal",	 "end",	       "next_step", "price",   NULL};
static const char *const stage_words[] = {"greeting", "question", "consent",	  "intro",
					  "needs",    "summary",  "presentation", "side",
					  "closing",  "custom"};

static void node(struct cv *c, const struct ynode *key, const struct ynode *y,
		 struct script_node *nd)
{
	static const char *const goals[] = {"none", "max", "min"};
	const struct ynode *x;
	char *what = arena_printf(c->a, "nodes.%s", nd->id);
	nd->pos = key->pos;
	nd->next_pos = key->pos;
	nd->price_pos = key->pos;
	if (!want_type(c, y, Y_MAP, what))
		return;
	keys_ok(c, y, what, node_keys);
	int st = -1;
	if ((x = need(c, y, "stage", what)) != NULL)
		st = word_index(c, x, "stage", stage_words, 10);
	nd->stage = st < 0 ? STAGE_CUSTOM : (enum script_stage)st;
	x = get(y, "stage_name");
	if (st == STAGE_CUSTOM && !x)
		bad(c, "missing_key", y->pos, "%s: a custom stage needs \"stage_name\"", what);
	else if (x && st >= 0 && st != STAGE_CUSTOM)
		bad(c, "bad_value", x->pos, "%s.stage_name: only a custom stage has a name", what);
	else if (x)
		nd->stage_label = str(c, x, "stage_name");
	if ((x = need(c, y, "say", what)) != NULL)
		nd->say = say(c, x, arena_printf(c->a, "%s.say", what), &nd->nsay);
	if ((x = get(y, "options")) != NULL)
		options(c, x, nd, what);
	if ((x = get(y, "question")) != NULL) {
		nd->question.pos = key_pos(y, x);
		question(c, x, nd, what);
	}
	if ((x = get(y, "end")) != NULL)
		boolean(c, x, "end", &nd->end);
	if ((x = get(y, "goal")) != NULL) {
		int g = word_index(c, x, "goal", goals, 3);
		if (g > 0)
			nd->goal = (enum script_goal)g;
		if (g >= 0)
			nd->end = true;
	}
	x = get(y, "next_step");
	if (x && !nd->end)
		bad(c, "bad_value", x->pos, "%s.next_step: only an end node captures a next step",
		    what);
	else if (x)
		next_step(c, x, nd, what);
	if ((x = get(y, "price")) != NULL) {
		nd->price_pos = key_pos(y, x);
		boolean(c, x, "price", &nd->names_price);
	}
	for (size_t i = 0; i < nd->nsay && !nd->names_price; i++)
		if (strstr(nd->say[i].text, "{price}")) {
			nd->names_price = true;
			nd->price_pos = nd->say[i].pos;
		}
}

static void nodes(struct cv *c, const struct ynode *y, struct script *s)
{
	if (!want_type(c, y, Y_MAP, "nodes"))
		return;
	if (y->n == 0) {
		bad(c, "bad_value", y->pos, "nodes: a script needs at least one node");
		return;
	}
	if (y->n / 2 > SCRIPT_MAX_NODES) {
		bad(c, "too_large", y->pos, "nodes: more than %d nodes", SCRIPT_MAX_NODES);
		return;
	}
	s->nodes = ARENA_ARRAY(c->a, struct script_node, y->n / 2);
	for (size_t i = 0; i + 1 < y->n; i += 2) {
		const struct ynode *k = y->kid[i];
		if (!id_ok(k->s, k->len, true)) {
			bad(c, "bad_value", k->pos,
			    "nodes: id %s must be letters, digits, '_' or '-' (at most %d bytes)",
			    script_quote(c->a, k->s, k->len), ID_MAX);
			continue;
		}
		if (script_node_find(s, k->s) >= 0) {
			bad(c, "duplicate_key", k->pos, "nodes: node %s given twice",
			    script_quote(c->a, k->s, k->len));
			continue;
		}
		struct script_node *nd = &s->nodes[s->nnodes++];
		nd->id = k->s;
		node(c, k, y->kid[i + 1], nd);
	}
	for (size_t i = 0; i < s->nnodes; i++)
		for (size_t j = 0; j < s->nodes[i].noptions; j++) {
			struct script_option *o = &s->nodes[i].options[j];
			o->target = script_node_find(s, o->target_id);
		}
}

static void objections(struct cv *c, const struct ynode *y, struct script *s)
{
	static const char *const keys[] = {"label", "say", NULL};
	static const char *const known[][2] = {{"expensive", "Why so expensive?"},
					       {"discount", "Any discounts?"},
					       {"think", "I'll think about it"},
					       {"boss", "My boss asked me to collect prices"}};
	const struct ynode *x;
	if (!want_type(c, y, Y_MAP, "objections"))
		return;
	if (y->n / 2 > SCRIPT_MAX_LIST) {
		bad(c, "too_large", y->pos, "objections: more than %d", SCRIPT_MAX_LIST);
		return;
	}
	s->objections = ARENA_ARRAY(c->a, struct script_objection, y->n / 2 + 1);
	for (size_t i = 0; i + 1 < y->n; i += 2) {
		const struct ynode *k = y->kid[i], *v = y->kid[i + 1];
		if (!id_ok(k->s, k->len, true)) {
			bad(c, "bad_value", k->pos,
			    "objections: id %s must be letters, digits, '_' or '-' (at most %d "
			    "bytes)",
			    script_quote(c->a, k->s, k->len), ID_MAX);
			continue;
		}
		if (script_objection_find(s, k->s) >= 0) {
			bad(c, "duplicate_key", k->pos, "objections: %s given twice",
			    script_quote(c->a, k->s, k->len));
			continue;
		}
		char *what = arena_printf(c->a, "objections.%s", k->s);
		if (!want_type(c, v, Y_MAP, what))
			continue;
		keys_ok(c, v, what, keys);
		struct script_objection *o = &s->objections[s->nobjections];
		o->id = k->s;
		o->pos = k->pos;
		for (size_t j = 0; j < sizeof(known) / sizeof(known[0]); j++)
			if (strcmp(o->id, known[j][0]) == 0)
				o->label = known[j][1];
		if ((x = o->label ? get(v, "label") : need(c, v, "label", what)) != NULL)
			o->label = str(c, x, "objection.label");
		if ((x = need(c, v, "say", what)) != NULL)
			o->say = say(c, x, arena_printf(c->a, "%s.say", what), &o->nsay);
		if (o->label && o->nsay > 0)
			s->nobjections++;
	}
}

static const char *const top_keys[] = {"name",	"kind",	 "tasks",      "price",
				       "start", "nodes", "objections", NULL};

static void script_read(struct cv *c, const struct ynode *root, struct script *s)
{
	static const char *const kinds[] = {"inbound", "outbound"};
	const struct ynode *x;
	keys_ok(c, root, "script", top_keys);
	s->name_pos = root->pos;
	s->tasks_pos = root->pos;
	s->price_pos = root->pos;
	s->start_pos = root->pos;
	if ((x = need(c, root, "name", "script")) != NULL) {
		s->name = str(c, x, "name");
		s->name_pos = x->pos;
	}
	if ((x = need(c, root, "kind", "script")) != NULL)
		s->outbound = word_index(c, x, "kind", kinds, 2) == 1;
	if ((x = get(root, "tasks")) != NULL)
		tasks(c, x, s);
	if ((x = need(c, root, "price", "script")) != NULL)
		price(c, x, s);
	if ((x = need(c, root, "nodes", "script")) != NULL)
		nodes(c, x, s);
	if ((x = get(root, "start")) != NULL) {
		s->start_pos = x->pos;
		const char *id = str(c, x, "start");
		s->start = id ? script_node_find(s, id) : -1;
	}
	if ((x = get(root, "objections")) != NULL)
		objections(c, x, s);
}

int script_parse(const char *text, size_t len, struct arena *a, struct script *out,
		 struct script_findings *f)
{
	struct cv c = {.a = a, .f = f};
	struct script_pos top = {1, 1};

	memset(out, 0, sizeof(*out));
	out->start = -1;
	out->price_answer_on = SCRIPT_DEFAULT_PRICE_ANSWER;
	if (!text) {
		bad(&c, "yaml_syntax", top, "no script text");
		return -1;
	}
	if (len > SCRIPT_MAX_BYTES) {
		bad(&c, "too_large", top, "the script is %zu bytes, more than the %d allowed", len,
		    SCRIPT_MAX_BYTES);
		return -1;
	}
	/* libfyaml loops forever on some invalid UTF-8 (a directive "%\xdb"): check first */
	if (!utf8_valid(text, len)) {
		bad(&c, "yaml_syntax", bad_utf8_pos(text, len),
		    "the script is not UTF-8 text (or holds a NUL byte)");
		return -1;
	}
	c.text = text;
	c.len = len;
	const struct ynode *root = build_tree(&c, text, len);
	if (!root)
		return -1;
	script_read(&c, root, out);
	return c.failed ? -1 : 0;
}

size_t script_check(const char *text, size_t len, struct arena *a, struct script *out, bool *parsed,
		    struct script_findings *f)
{
	*parsed = script_parse(text, len, a, out, f) == 0;
	if (*parsed)
		script_validate(out, a, f);
	return f->nerrors;
}
