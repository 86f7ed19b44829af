/* test_script.c - the call-script loader and validator: each finding code from a small script
 * that has exactly it, at its line and column; parse errors with positions; bounds on size,
 * depth and aliases; every example of examples/scripts valid; the issue's sketch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/yaml.h"
#include "util/buf.h"

/* A valid outbound script, one flow-style node per line: a (line 7) leads to the max goal b
 * (line 8) and the min goal c (line 9). Cases change a line or append nodes after line 9. */
#define HEAD                                                                                       \
	"name: t\n"                                                                                \
	"kind: outbound\n"                                                                         \
	"tasks: {max: visit, min: call}\n"                                                         \
	"price: {answer_on: 1}\n"                                                                  \
	"start: a\n"                                                                               \
	"nodes:\n"
#define A_OPTS "options: [{label: x, goto: b}, {label: y, goto: c}"
#define A      "  a: {stage: greeting, say: hi, question: {field: client.name}, " A_OPTS "]}\n"
#define B      "  b: {stage: closing, say: max, goal: max, next_step: {kinds: [visit]}}\n"
#define C      "  c: {stage: closing, say: min, goal: min, next_step: {kinds: [call]}}\n"
/* needs questions of the three kinds, each leading to the next (for too_many_questions) */
#define Q(id, kind, next)                                                                          \
	"  " id ": {stage: needs, say: q, question: {field: f" id ", kind: " kind "}, "            \
	"options: [{label: x, goto: " next "}]}\n"

/* Findings are written "code line:col" one per line, warnings with a trailing " w". */
struct script_case {
	const char *name;
	const char *text;
	const char *want;
};

static const struct script_case cases[] = {
    {"test_script__valid", HEAD A B C, ""},
    {"test_script__unknown_target",
     HEAD "  a: {stage: greeting, say: hi, question: {field: "
	  "client.name}, " A_OPTS ", {label: z, goto: zz}]}\n" B C,
     "unknown_target 7:134\n"},
    {"test_script__unreachable_node", HEAD A B C "  d: {stage: closing, say: d, end: true}\n",
     "unreachable_node 10:3\n"},
    {"test_script__no_path_to_end",
     HEAD "  a: {stage: greeting, say: hi, question: {field: client.name}, " A_OPTS
	  ", {label: z, goto: d}]}\n" B C "  d: {stage: side, say: d}\n",
     "no_path_to_end 10:3\n"},
    {"test_script__no_path_to_end_cycle",
     HEAD "  a: {stage: greeting, say: hi, question: {field: client.name}, " A_OPTS
	  ", {label: z, goto: d}]}\n" B C "  d: {stage: side, say: d, options: [{label: x, goto: "
	  "e}]}\n  e: {stage: side, say: e, options: [{label: x, goto: d}]}\n",
     "no_path_to_end 10:3\nno_path_to_end 11:3\n"},
    {"test_script__undefined_placeholder",
     HEAD A "  b: {stage: closing, say: \"{client.name}, {nope} {{x}\", goal: max, next_step: "
	    "{kinds: [visit]}}\n" C,
     "undefined_placeholder 8:29\n"},
    {"test_script__undefined_placeholder_unclosed",
     HEAD A "  b: {stage: closing, say: \"at {rep.name\", goal: max, next_step: {kinds: "
	    "[visit]}}\n" C,
     "undefined_placeholder 8:29\n"},
    {"test_script__captured_field_placeholder",
     HEAD "  a: {stage: greeting, say: hi, question: {field: client.name}, options: [{label: "
	  "x, goto: n}]}\n" B C "  n: {stage: intro, say: q, question: {field: area}, " A_OPTS
	  "]}\n  m: {stage: side, say: \"{area}\", end: true}\n",
     "unreachable_node 11:3\n"},
    {"test_script__too_many_questions",
     HEAD "  a: {stage: greeting, say: hi, question: {field: client.name}, options: [{label: "
	  "x, goto: q1}, {label: y, goto: c}]}\n" B C Q("q1", "technical", "q2")
	      Q("q2", "expertise", "q3") Q("q3", "motivation", "q4") Q("q4", "technical", "q5")
		  Q("q5", "technical", "q6") Q("q6", "technical", "q7") Q("q7", "technical", "q8")
		      Q("q8", "technical", "b"),
     "too_many_questions 17:30\n"},
    /* q7 loops back to q1: each counts once on a path; q8 is on another branch */
    {"test_script__seven_questions_with_cycle",
     HEAD
     "  a: {stage: greeting, say: hi, question: {field: client.name}, options: [{label: "
     "x, goto: q1}, {label: y, goto: c}, {label: z, goto: q8}]}\n" B C Q("q1", "technical", "q2") Q(
	 "q2", "expertise", "q3") Q("q3", "motivation", "q4") Q("q4", "technical",
								"q5") Q("q5", "technical", "q6")
	 Q("q6", "technical",
	   "q7") "  q7: {stage: needs, say: q, question: {field: q7, kind: technical}, options: "
		 "[{label: x, goto: q1}, {label: y, goto: b}]}\n" Q("q8", "technical", "b"),
     ""},
    {"test_script__needs_kind_missing",
     HEAD "  a: {stage: greeting, say: hi, question: {field: client.name}, options: [{label: "
	  "x, goto: q1}, {label: y, goto: c}]}\n" B C Q("q1", "technical", "q2")
	      Q("q2", "expertise", "b"),
     "needs_kind_missing 10:30\n"},
    {"test_script__needs_question_without_kind",
     HEAD "  a: {stage: needs, say: hi, question: {field: client.name}, " A_OPTS "]}\n" B C,
     "needs_kind_missing 7:30\nneeds_kind_missing 7:30\nneeds_kind_missing "
     "7:30\nneeds_kind_missing 7:30\n"},
    {"test_script__inbound_without_needs",
     "name: t\nkind: inbound\ntasks: {max: visit, min: call}\nprice: {answer_on: 1}\nstart: "
     "a\nnodes:\n" A B C,
     "needs_kind_missing 1:7\n"},
    {"test_script__goal_next_step_missing",
     HEAD A "  b: {stage: closing, say: max, goal: max, next_step: {kinds: [visit], time: "
	    "false}}\n  c: {stage: closing, say: min, goal: min}\n",
     "goal_next_step_missing 8:55\ngoal_next_step_missing 9:3\n"},
    {"test_script__price_too_early",
     HEAD "  a: {stage: consent, say: hi, price: true, question: {field: client.name}, " A_OPTS
	  "]}\n" B C,
     "price_too_early 7:32\ncontacts_after_price 7:32 w\n"},
    {"test_script__price_in_deflection",
     "name: t\nkind: outbound\ntasks: {max: visit, min: call}\nprice: {answer_on: 2, deflect: "
     "\"it is {price}\"}\nstart: a\nnodes:\n" A B C,
     "price_too_early 4:8\n"},
    {"test_script__price_placeholder_too_early",
     HEAD "  a: {stage: intro, say: \"it is {price}\", question: {field: client.phone}, " A_OPTS
	  "]}\n" B C,
     "price_too_early 7:27\nname_not_asked 1:7 w\ncontacts_after_price 7:27 w\n"},
    {"test_script__goal_max_missing",
     "name: t\nkind: outbound\ntasks: {min: call}\n"
     "price: {answer_on: 1}\nstart: a\nnodes:\n" A B C,
     "goal_max_missing 3:8\n"},
    {"test_script__goal_min_missing",
     "name: t\nkind: outbound\ntasks: {max: visit}\n"
     "price: {answer_on: 1}\nstart: a\nnodes:\n" A B C,
     "goal_min_missing 3:8\n"},
    {"test_script__no_tasks",
     "name: t\nkind: outbound\nprice: {answer_on: 1}\nstart: a\n"
     "nodes:\n" A B C,
     "goal_max_missing 1:1\ngoal_min_missing 1:1\n"},
    {"test_script__no_start_unknown",
     "name: t\nkind: outbound\ntasks: {max: v, min: c}\n"
     "price: {answer_on: 1}\nstart: zz\nnodes:\n" A B C,
     "no_start 5:8\n"},
    {"test_script__no_start_missing",
     "name: t\nkind: outbound\ntasks: {max: v, min: c}\n"
     "price: {answer_on: 1}\nnodes:\n" A B C,
     "no_start 1:1\n"},
    {"test_script__name_not_asked", HEAD "  a: {stage: greeting, say: hi, " A_OPTS "]}\n" B C,
     "name_not_asked 1:7 w\n"},
    {"test_script__contacts_after_price",
     HEAD A "  b: {stage: closing, say: max, price: true, goal: max, next_step: {kinds: "
	    "[visit]}}\n" C,
     "contacts_after_price 8:33 w\n"},
    {"test_script__contacts_before_price",
     HEAD "  a: {stage: greeting, say: hi, question: {field: client.name}, options: [{label: "
	  "x, goto: p}]}\n" B C "  p: {stage: summary, say: phone?, question: {field: "
	  "client.phone}, " A_OPTS "]}\n"
	  "  pr: {stage: presentation, say: \"{price}\", " A_OPTS "]}\n",
     "unreachable_node 11:3\n"},
    {"test_script__goal_unreachable",
     HEAD A "  b: {stage: closing, say: max, end: true}\n  c: {stage: closing, say: min, end: "
	    "true}\n",
     "goal_max_unreachable 5:8 w\ngoal_min_unreachable 5:8 w\n"},

    /* the loader */
    {"test_script__yaml_syntax", "name: t\nkind: \"inbound\n", "yaml_syntax 2:8\n"},
    {"test_script__yaml_syntax_indent", "name: t\nkind: a: b\n", "yaml_syntax 2:8\n"},
    {"test_script__unknown_key",
     HEAD A "  b: {stage: closing, sya: max, say: max, goal: max, "
	    "next_step: {kinds: [visit]}}\n" C,
     "unknown_key 8:23\n"},
    {"test_script__unknown_top_key", "nmae: t\n" HEAD A B C, "unknown_key 1:1\n"},
    {"test_script__duplicate_key", HEAD A B C "  b: {stage: side, say: x, end: true}\n",
     "duplicate_key 10:3\n"},
    {"test_script__duplicate_key_in_node",
     HEAD A "  b: {stage: closing, say: max, say: m, goal: max, next_step: {kinds: [visit]}}\n" C,
     "duplicate_key 8:33\n"},
    {"test_script__missing_key",
     HEAD A "  b: {stage: closing, goal: max, next_step: {kinds: "
	    "[visit]}}\n" C,
     "missing_key 8:6\n"},
    {"test_script__wrong_type", HEAD A "  b: {stage: closing, say: {x: 1}, goal: max}\n" C,
     "wrong_type 8:28\n"},
    {"test_script__bad_stage",
     HEAD A "  b: {stage: closng, say: max, goal: max, next_step: "
	    "{kinds: [visit]}}\n" C,
     "bad_value 8:14\n"},
    {"test_script__bad_next_kind",
     HEAD A "  b: {stage: closing, say: max, goal: max, "
	    "next_step: {kinds: [vist]}}\n" C,
     "bad_value 8:63\n"},
    {"test_script__kind_outside_needs",
     HEAD "  a: {stage: intro, say: hi, question: {field: client.name, kind: technical}, " A_OPTS
	  "]}\n" B C,
     "bad_value 7:67\n"},
    {"test_script__bad_field_name",
     HEAD "  a: {stage: intro, say: hi, question: {field: \"client's name\"}, " A_OPTS "]}\n" B C,
     "bad_value 7:49\n"},
    {"test_script__choice_without_choices",
     HEAD "  a: {stage: intro, say: hi, question: {field: client.name, type: choice}, " A_OPTS
	  "]}\n" B C,
     "missing_key 7:40\n"},
    {"test_script__bad_weight",
     HEAD A "  b: {stage: closing, say: [{text: a, weight: 0}, b], goal: max, next_step: "
	    "{kinds: [visit]}}\n" C,
     "bad_value 8:47\n"},
    {"test_script__deflect_missing",
     "name: t\nkind: outbound\ntasks: {max: v, min: c}\n"
     "price: {answer_on: 3}\nstart: a\nnodes:\n" A B C,
     "missing_key 4:8\n"},
    {"test_script__custom_stage_needs_name",
     HEAD "  a: {stage: custom, say: hi, question: {field: client.name}, " A_OPTS "]}\n" B C,
     "missing_key 7:6\n"},
    {"test_script__next_step_on_plain_node",
     HEAD "  a: {stage: greeting, say: hi, next_step: {kinds: [call]}, question: {field: "
	  "client.name}, " A_OPTS "]}\n" B C,
     "bad_value 7:44\n"},
    {"test_script__custom_objection_needs_label",
     HEAD A B C "objections:\n  expensive: {say: a}\n  other: {say: b}\n", "missing_key 12:10\n"},
    {"test_script__alias_refused", "name: &n t\nkind: outbound\nx: *n\n", "alias_refused 3:5\n"},
    {"test_script__two_documents", "name: t\n---\nname: u\n", "yaml_syntax 2:1\n"},
    {"test_script__not_a_mapping", "- a\n- b\n", "wrong_type 1:1\n"},
    {"test_script__empty", "", "wrong_type 1:1\n"},
    {"test_script__complex_key", "? [a]\n: b\n", "wrong_type 1:3\n"},
    /* libfyaml loops on it: refused before parsing */
    {"test_script__directive_bad_utf8", "%\xdb", "yaml_syntax 1:2\n"},
    {"test_script__invalid_utf8", HEAD A "  b: {stage: closing, say: \"\xff\", goal: max}\n" C,
     "yaml_syntax 8:29\n"},
};

/* findings_text writes f in the cases' notation. */
static void findings_text(const struct script_findings *f, struct buf *out)
{
	buf_init(out, 0);
	for (size_t i = 0; i < f->n; i++)
		buf_printf(out, "%s %d:%d%s\n", f->v[i].code, f->v[i].pos.line, f->v[i].pos.col,
			   f->v[i].warning ? " w" : "");
}

/* show prints a finding with its line of text and a caret under its column, for failures. */
static void show(const char *text, const struct script_finding *x)
{
	const char *p = text;
	for (int l = 1; l < x->pos.line && p; l++)
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	print_message("  %s %d:%d %s\n", x->code, x->pos.line, x->pos.col, x->message);
	if (p)
		print_message("  %.*s\n  %*s^\n", (int)strcspn(p, "\n"), p, x->pos.col - 1, "");
}

static void run_case(void **state)
{
	const struct script_case *c = *state;
	struct arena a;
	struct script s;
	struct script_findings f = {0};
	struct buf got;
	bool parsed;

	arena_init(&a);
	size_t nerr = script_check(c->text, strlen(c->text), &a, &s, &parsed, &f);
	findings_text(&f, &got);
	if (strcmp(got.data, c->want) != 0)
		for (size_t i = 0; i < f.n; i++)
			show(c->text, &f.v[i]);
	assert_string_equal(got.data, c->want);
	size_t want_errors = 0;
	for (const char *p = c->want; (p = strchr(p, '\n')) != NULL; p++)
		want_errors += p[-1] != 'w';
	assert_int_equal(nerr, want_errors);
	for (size_t i = 0; i < f.n; i++) {
		assert_non_null(f.v[i].message);
		assert_null(strpbrk(f.v[i].message, "\r\n"));
	}
	buf_release(&got);
	arena_release(&a);
}

/* source_path is REL under the source root: $NC_TEST_SRC when set, else two levels above this
 * file (__FILE__ is relative to where the compiler ran, as is the test's cwd). */
static void source_path(const char *rel, char *path, size_t size)
{
	const char *dir = getenv("NC_TEST_SRC");
	if (dir)
		snprintf(path, size, "%s/%s", dir, rel);
	else
		snprintf(path, size, "%.*s%s",
			 (int)(strlen(__FILE__) - strlen("tests/unit/test_script.c")), __FILE__,
			 rel);
}

static void read_file(const char *path, struct buf *b)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open %s (set NC_TEST_SRC to the source root)", path);
	buf_init(b, 0);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	fclose(fp);
}

/* check_example reads one example and wants it valid with no finding at all. */
static void check_example(const char *path, struct script *out, struct arena *a)
{
	struct buf text;
	struct script_findings f = {0};
	bool parsed;
	read_file(path, &text);
	size_t nerr = script_check(text.data, text.len, a, out, &parsed, &f);
	for (size_t i = 0; i < f.n; i++)
		print_message("%s:%d:%d: %s: %s\n", path, f.v[i].pos.line, f.v[i].pos.col,
			      f.v[i].code, f.v[i].message);
	assert_true(parsed);
	assert_int_equal(nerr, 0);
	assert_int_equal(f.n, 0);
	buf_release(&text);
}

static void test_script__examples_valid(void **state)
{
	(void)state;
	char dir[512], path[1024];
	size_t seen = 0;
	source_path("examples/scripts", dir, sizeof(dir));
	DIR *d = opendir(dir);
	if (!d)
		fail_msg("cannot open %s (set NC_TEST_SRC to the source root)", dir);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".yaml") != 0)
			continue;
		struct arena a;
		struct script s;
		arena_init(&a);
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		check_example(path, &s, &a);
		arena_release(&a);
		seen++;
	}
	closedir(d);
	assert_true(seen >= 4);
}

/* The inbound example: the method's nine stages, 2 weighted variants, four objections. */
static void test_script__inbound_example_shape(void **state)
{
	(void)state;
	char path[512];
	struct arena a;
	struct script s;
	bool stages[STAGE_CUSTOM + 1] = {false};
	size_t variants = 0, needs = 0;
	arena_init(&a);
	source_path("examples/scripts/inbound_ceilings_en.yaml", path, sizeof(path));
	check_example(path, &s, &a);
	assert_false(s.outbound);
	assert_int_equal(s.price_answer_on, 3);
	assert_int_equal(s.ndeflect, 2);
	assert_string_equal(s.nodes[s.start].id, "greeting");
	for (size_t i = 0; i < s.nnodes; i++) {
		stages[s.nodes[i].stage] = true;
		variants += s.nodes[i].nsay > 1;
		needs += s.nodes[i].stage == STAGE_NEEDS && s.nodes[i].has_question;
	}
	for (int st = STAGE_GREETING; st <= STAGE_CLOSING; st++)
		assert_true(stages[st]);
	assert_true(variants >= 1);
	assert_in_range(needs, 3, SCRIPT_MAX_NEEDS_QUESTIONS);
	const char *const objections[] = {"expensive", "discount", "think", "boss"};
	for (size_t i = 0; i < 4; i++)
		assert_true(script_objection_find(&s, objections[i]) >= 0);
	int intro = script_node_find(&s, "intro");
	assert_true(intro >= 0);
	assert_int_equal(s.nodes[intro].nsay, 2);
	assert_int_equal(s.nodes[intro].say[1].weight, 1);
	arena_release(&a);
}

/* The issue's sketch lacks two kinds of needs questions, and nothing else. */
static void test_script__issue_sketch(void **state)
{
	(void)state;
	static const char sketch[] =
	    "name: Inbound call, stretch ceilings\n"
	    "kind: inbound\n"
	    "tasks: {max: \"Measurement visit at a concrete time\", min: \"Phone and a call at a "
	    "concrete time\",\n"
	    "        extra: [\"Room area\", \"Deadline\"]}\n"
	    "price: {answer_on: 3, deflect: [\"It depends on the material; may I ask two questions "
	    "first?\"]}\n"
	    "start: greeting\n"
	    "nodes:\n"
	    "  greeting:\n"
	    "    stage: greeting\n"
	    "    say: \"Good afternoon, stretch ceilings {company}, my name is {rep.name}. How can "
	    "I "
	    "help?\"\n"
	    "    options: [{label: \"Asks the price\", goto: name}]\n"
	    "  name:\n"
	    "    stage: consent\n"
	    "    say: \"Of course. How may I call you, so that it is easier to talk?\"\n"
	    "    question: {field: client.name, type: text}\n"
	    "    options: [{label: \"Gave the name\", goto: area}]\n"
	    "  area:\n"
	    "    stage: needs\n"
	    "    say: \"What is the area of the room?\"\n"
	    "    question: {kind: technical, field: area_m2, type: number}\n"
	    "    options: [{label: \"Answered\", goto: close}]\n"
	    "  close:\n"
	    "    stage: closing\n"
	    "    say: \"{client.name}, our measurer can come tomorrow at 10 or at 15: which suits "
	    "you?\"\n"
	    "    goal: max\n"
	    "    next_step: {kinds: [visit, meeting]}\n"
	    "objections:\n"
	    "  expensive: {label: \"Why so expensive?\", say: \"Compared with what? ...\"}\n";
	struct arena a;
	struct script s;
	struct script_findings f = {0};
	bool parsed;
	arena_init(&a);
	assert_int_equal(script_check(sketch, sizeof(sketch) - 1, &a, &s, &parsed, &f), 2);
	assert_true(parsed);
	size_t errors = 0;
	for (size_t i = 0; i < f.n; i++) {
		if (f.v[i].warning)
			continue;
		errors++;
		assert_string_equal(f.v[i].code, "needs_kind_missing");
		assert_int_equal(f.v[i].pos.line, 20);
		assert_int_equal(f.v[i].pos.col, 5);
	}
	assert_int_equal(errors, 2);
	assert_non_null(strstr(f.v[0].message, "expertise"));
	assert_non_null(strstr(f.v[1].message, "motivation"));
	/* what the loader read */
	assert_int_equal(s.nnodes, 4);
	assert_string_equal(s.task_max, "Measurement visit at a concrete time");
	assert_int_equal(s.nextra, 2);
	int close = script_node_find(&s, "close");
	assert_true(s.nodes[close].end);
	assert_int_equal(s.nodes[close].goal, GOAL_MAX);
	assert_int_equal(s.nodes[close].nnext_kinds, 2);
	assert_string_equal(s.nodes[close].next_kinds[1], "meeting");
	assert_true(s.nodes[close].next_time);
	assert_int_equal(s.nodes[0].options[0].target, script_node_find(&s, "name"));
	assert_int_equal(s.nodes[2].question.type, FIELD_NUMBER);
	assert_int_equal(s.nodes[2].question.kind, QKIND_TECHNICAL);
	assert_int_equal(s.nodes[2].question.pos.line, 20);
	assert_string_equal(s.objections[0].label, "Why so expensive?");
	assert_string_equal(script_stage_name(s.nodes[1].stage), "consent");
	assert_string_equal(script_goal_name(GOAL_MIN), "min");
	arena_release(&a);
}

/* A text over SCRIPT_MAX_BYTES is refused before parsing. */
static void test_script__too_large_text(void **state)
{
	(void)state;
	size_t n = SCRIPT_MAX_BYTES + 1;
	char *text = malloc(n);
	struct arena a;
	struct script s;
	struct script_findings f = {0};
	memset(text, '#', n);
	arena_init(&a);
	assert_int_equal(script_parse(text, n, &a, &s, &f), -1);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].code, "too_large");
	arena_release(&a);
	free(text);
}

/* build_nodes writes a script with n chained side nodes ending in the goals. */
static void build_nodes(struct buf *b, size_t n)
{
	buf_init(b, 0);
	buf_adds(b, "name: t\nkind: outbound\ntasks: {max: v, min: c}\nprice: {answer_on: 1}\n"
		    "start: n0\nnodes:\n");
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "  n%zu: {stage: side, say: s, options: [{label: x, goto: n%zu}]}\n",
			   i, i + 1 < n ? i + 1 : 0);
}

static void test_script__too_many_nodes(void **state)
{
	(void)state;
	struct buf b;
	struct arena a;
	struct script s;
	struct script_findings f = {0};
	build_nodes(&b, SCRIPT_MAX_NODES + 1);
	arena_init(&a);
	assert_int_equal(script_parse(b.data, b.len, &a, &s, &f), -1);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].code, "too_large");
	assert_int_equal(f.v[0].pos.line, 7);
	arena_release(&a);
	buf_release(&b);
}

/* The deepest nesting YAML allows past the limit is refused, not followed. */
static void test_script__too_deep(void **state)
{
	(void)state;
	struct buf b;
	struct arena a;
	struct script s;
	struct script_findings f = {0};
	buf_init(&b, 0);
	buf_adds(&b, "name: ");
	for (int i = 0; i < 10000; i++)
		buf_adds(&b, "[");
	arena_init(&a);
	assert_int_equal(script_parse(b.data, b.len, &a, &s, &f), -1);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].code, "too_deep");
	assert_int_equal(f.v[0].pos.line, 1);
	assert_int_equal(f.v[0].pos.col, 7 + 31); /* the root mapping is the first level */
	arena_release(&a);
	buf_release(&b);
}

/* A graph with more paths than the search budget gets a warning, not a hang. */
static void test_script__path_budget(void **state)
{
	(void)state;
	struct buf b;
	struct arena a;
	struct script s;
	struct script_findings f = {0};
	bool parsed;
	const int layers = 40;
	buf_init(&b, 0);
	buf_adds(&b,
		 "name: t\nkind: outbound\ntasks: {max: v, min: c}\nprice: {answer_on: 1}\n"
		 "start: s\nnodes:\n  s: {stage: greeting, say: s, question: {field: "
		 "client.name}, options: [{label: x, goto: l0a}, {label: y, goto: l0b}, {label: q, "
		 "goto: q0}, {label: q, goto: q1}, {label: q, goto: q2}, {label: q, goto: q3}, "
		 "{label: q, goto: q4}, {label: q, goto: q5}, {label: q, goto: q6}, {label: q, "
		 "goto: q7}]}\n");
	/* 2^40 paths through the layers, none with a question */
	for (int i = 0; i < layers; i++)
		for (char c = 'a'; c <= 'b'; c++)
			if (i + 1 < layers)
				buf_printf(
				    &b,
				    "  l%d%c: {stage: side, say: l, options: [{label: x, goto: "
				    "l%da}, {label: y, goto: l%db}]}\n",
				    i, c, i + 1, i + 1);
			else
				buf_printf(
				    &b,
				    "  l%d%c: {stage: side, say: l, options: [{label: x, goto: "
				    "max}, {label: y, goto: min}]}\n",
				    i, c);
	buf_adds(&b, "  max: {stage: closing, say: m, goal: max, next_step: {kinds: [visit]}}\n"
		     "  min: {stage: closing, say: m, goal: min, next_step: {kinds: [call]}}\n");
	/* eight needs questions on eight separate branches: never more than one on a path */
	static const char *const kinds[] = {"technical", "expertise", "motivation"};
	for (int i = 0; i < 8; i++)
		buf_printf(&b,
			   "  q%d: {stage: needs, say: q, question: {field: f%d, kind: %s}, "
			   "options: [{label: x, goto: %s}]}\n",
			   i, i, kinds[i % 3], i < 7 ? "max" : "min");
	arena_init(&a);
	assert_int_equal(script_check(b.data, b.len, &a, &s, &parsed, &f), 0);
	assert_true(parsed);
	bool budget = false;
	for (size_t i = 0; i < f.n; i++)
		budget |= strcmp(f.v[i].code, "questions_unchecked") == 0 && f.v[i].warning;
	assert_true(budget);
	arena_release(&a);
	buf_release(&b);
}

static void test_script__quote(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(script_quote(&a, "a\r\nb", 4), "\"a  b\"");
	assert_string_equal(script_quote(&a,
					 "\xff"
					 "x",
					 2),
			    "\"?x\"");
	assert_string_equal(script_quote(&a, "a\0b", 3), "\"a?b\"");
	char longer[100];
	memset(longer, 'x', sizeof(longer));
	const char *q = script_quote(&a, longer, sizeof(longer));
	assert_int_equal(strlen(q), 60 + 5);
	/* a Cyrillic text is cut between characters, never inside one */
	const char *ru = "ЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖ";
	q = script_quote(&a, ru, strlen(ru));
	assert_int_equal(strlen(q), 60 + 5);
	arena_release(&a);
}

/* A NUL byte is not text: refused at its position before libfyaml sees it. */
static void test_script__nul_byte(void **state)
{
	(void)state;
	static const char text[] = "name: t\nkind: in\0bound\n";
	struct arena a;
	struct script s;
	struct script_findings f = {0};
	arena_init(&a);
	assert_int_equal(script_parse(text, sizeof(text) - 1, &a, &s, &f), -1);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].code, "yaml_syntax");
	assert_int_equal(f.v[0].pos.line, 2);
	assert_int_equal(f.v[0].pos.col, 9);
	arena_release(&a);
}

/* Single-quoted scalars decode as YAML 1.2 says ('' is a quote; a line break folds into a space,
 * an empty line into a line break), also where libfyaml 0.7.12's own decoding leaks and drops
 * characters (many and consecutive escaped quotes; found by fuzz_script under LeakSanitizer). */
static void test_script__single_quoted(void **state)
{
	(void)state;
	static const struct {
		const char *yaml, *want;
	} v[] = {
	    {"'It''s a test'", "It's a test"},
	    {"''''''''", "'''"},
	    {"'a ''''b'''' c'", "a ''b'' c"},
	    {"'one\n  two\n\n  three  \n  four'", "one two\nthree four"},
	    {"'''''''''''''''''''''''''''''''''''''''''''''x'", "''''''''''''''''''''''x"},
	};
	char path[512];
	struct buf base;
	source_path("examples/scripts/inbound_ceilings_en.yaml", path, sizeof(path));
	read_file(path, &base);
	/* the example with its name line replaced */
	const char *at = strstr(base.data, "\nname:");
	assert_non_null(at);
	at++;
	const char *end = strchr(at, '\n');
	assert_non_null(end);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct buf t;
		buf_init(&t, 0);
		buf_add(&t, base.data, (size_t)(at - base.data));
		buf_adds(&t, "name: ");
		buf_adds(&t, v[i].yaml);
		buf_adds(&t, end);
		struct arena a;
		struct script sc;
		struct script_findings f = {0};
		arena_init(&a);
		assert_int_equal(script_parse(t.data, t.len, &a, &sc, &f), 0);
		assert_string_equal(sc.name, v[i].want);
		arena_release(&a);
		buf_release(&t);
	}
	buf_release(&base);
}

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

int main(void)
{
	struct CMUnitTest tests[N_CASES + 10];
	size_t n = 0;
	for (size_t i = 0; i < N_CASES; i++)
		tests[n++] = (struct CMUnitTest){.name = cases[i].name,
						 .test_func = run_case,
						 .initial_state = (void *)&cases[i]};
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_script__examples_valid);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_script__inbound_example_shape);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_script__issue_sketch);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_script__too_large_text);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_script__too_many_nodes);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_script__too_deep);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_script__path_budget);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_script__quote);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_script__nul_byte);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_script__single_quoted);
	return cmocka_run_group_tests_name("script", tests, NULL, NULL) ? 1 : 0;
}
