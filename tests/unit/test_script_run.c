/* test_script_run.c - unit tests of core/script_run.c: every action of the runner and every
 * refusal (the state unchanged after it), the price policy, objections, back, hold, finish, the
 * answers' type checks and normalisation, the count of needs questions, variant draws, and the
 * renderer's placeholders. Scripts are read from inline YAML with io/yaml.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/script.h"
#include "io/yaml.h"
#include "util/utf8.h"

#define NOW 1795590000LL /* 2026-11-25T07:00:00Z */

static const char yaml[] =
    "name: Runner test\n"
    "kind: inbound\n"
    "tasks: {max: \"Visit at a concrete time\", min: \"Phone and a call at a concrete time\"}\n"
    "price: {answer_on: 3, deflect: [\"D1 {client.name}\", \"D2\"], answer: \"It costs "
    "{price}\"}\n"
    "start: greeting\n"
    "nodes:\n"
    "  greeting:\n"
    "    stage: greeting\n"
    "    say: [{text: \"Hello A\", weight: 3}, {text: \"Hello B\", weight: 1}]\n"
    "    options: [{label: \"Asks the price\", goto: name}, {label: \"Not now\", goto: bye}]\n"
    "  name:\n"
    "    stage: consent\n"
    "    say: \"How may I call you?\"\n"
    "    question: {field: client.name, type: text}\n"
    "    options: [{label: \"Gave the name\", goto: area}]\n"
    "  area:\n"
    "    stage: needs\n"
    "    say: [\"Area A?\", \"Area B?\"]\n"
    "    question: {kind: technical, field: area_m2, type: number}\n"
    "    options: [{label: \"Answered\", goto: material}, {label: \"Skip\", goto: close}]\n"
    "  material:\n"
    "    stage: needs\n"
    "    say: \"Which surface?\"\n"
    "    question: {kind: expertise, field: material, type: choice, choices: [Matte, Glossy, "
    "\"Сатин\"]}\n"
    "    options: [{label: \"Answered\", goto: when}]\n"
    "  when:\n"
    "    stage: needs\n"
    "    say: \"When do you need it?\"\n"
    "    question: {kind: motivation, field: deadline, type: datetime}\n"
    "    options: [{label: \"Answered\", goto: close}, {label: \"Area again\", goto: area}]\n"
    "  close:\n"
    "    stage: closing\n"
    "    say: \"{client.name}, tomorrow at 10 or at 15?\"\n"
    "    goal: max\n"
    "    next_step: {kinds: [visit]}\n"
    "  bye:\n"
    "    stage: closing\n"
    "    say: \"Goodbye\"\n"
    "    end: true\n"
    "objections:\n"
    "  expensive: {label: \"Why so expensive?\", say: [\"Compared with what?\", {text: \"B\", "
    "weight: 2}]}\n"
    "  think: {label: \"I'll think\", say: \"What exactly?\"}\n";

/* node indices, in the order of the document */
enum { N_GREETING, N_NAME, N_AREA, N_MATERIAL, N_WHEN, N_CLOSE, N_BYE };

struct fx {
	struct arena a;
	struct script s;
	struct run_state st;
};

static int setup(void **state)
{
	struct fx *f = test_calloc(1, sizeof(*f));
	arena_init(&f->a);
	struct script_findings fi = {0};
	int rc = script_parse(yaml, sizeof(yaml) - 1, &f->a, &f->s, &fi);
	for (size_t i = 0; i < fi.n; i++)
		fprintf(stderr, "%d:%d %s %s\n", fi.v[i].pos.line, fi.v[i].pos.col, fi.v[i].code,
			fi.v[i].message);
	assert_int_equal(rc, 0);
	assert_int_equal(f->s.nnodes, 7);
	assert_string_equal(f->s.nodes[N_AREA].id, "area");
	assert_string_equal(f->s.nodes[N_BYE].id, "bye");
	assert_int_equal(f->s.nobjections, 2);
	script_run_start(&f->s, &f->a, NOW, 0, &f->st);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	arena_release(&f->a);
	test_free(f);
	return 0;
}

/* A deep copy of a state, to check that a refused step changed nothing. */
struct snap {
	struct run_state st;
	int path[64], variant[16], ov[16];
	struct run_answer ans[16];
};

static void snap_take(const struct fx *f, struct snap *sn)
{
	sn->st = f->st;
	assert_true(f->st.npath <= 64 && f->s.nnodes <= 16 && f->st.nanswers <= 16);
	memcpy(sn->path, f->st.path, f->st.npath * sizeof(int));
	memcpy(sn->variant, f->st.variant, f->s.nnodes * sizeof(int));
	memcpy(sn->ov, f->st.objection_variant, f->s.nobjections * sizeof(int));
	if (f->st.nanswers)
		memcpy(sn->ans, f->st.answers, f->st.nanswers * sizeof(*sn->ans));
}

static void snap_same(const struct fx *f, const struct snap *sn)
{
	const struct run_state *a = &f->st, *b = &sn->st;
	assert_int_equal(a->node, b->node);
	assert_int_equal(a->objection, b->objection);
	assert_int_equal(a->npath, b->npath);
	assert_int_equal(a->questions, b->questions);
	assert_int_equal(a->price_asks, b->price_asks);
	assert_int_equal(a->nanswers, b->nanswers);
	assert_int_equal(a->finished, b->finished);
	assert_int_equal(a->result, b->result);
	assert_int_equal(a->started_at, b->started_at);
	assert_int_equal(a->hold_since, b->hold_since);
	assert_memory_equal(a->path, sn->path, a->npath * sizeof(int));
	assert_memory_equal(a->variant, sn->variant, f->s.nnodes * sizeof(int));
	assert_memory_equal(a->objection_variant, sn->ov, f->s.nobjections * sizeof(int));
	for (size_t i = 0; i < a->nanswers; i++) {
		assert_string_equal(a->answers[i].field, sn->ans[i].field);
		assert_string_equal(a->answers[i].value, sn->ans[i].value);
	}
}

/* ok applies a step that must be accepted. */
static struct run_effect ok(struct fx *f, struct run_step step, uint32_t rnd)
{
	struct run_effect eff;
	const char *why = "unset", *field = "unset";
	int rc = script_run_apply(&f->s, &f->a, &f->st, &step, NOW + 10, rnd, &eff, &why, &field);
	if (rc != 0)
		fail_msg("step %d refused: %s: %s", (int)step.action, field, why);
	assert_null(why);
	assert_null(field);
	return eff;
}

/* refused applies a step that must be refused naming want_field, with a message in the house
 * style containing want_msg, and checks the state did not move. */
static void refused(struct fx *f, struct run_step step, const char *want_field,
		    const char *want_msg)
{
	struct snap sn;
	snap_take(f, &sn);
	struct run_effect eff;
	const char *why = NULL, *field = NULL;
	assert_int_equal(
	    script_run_apply(&f->s, &f->a, &f->st, &step, NOW + 20, 12345, &eff, &why, &field), -1);
	assert_non_null(why);
	assert_non_null(field);
	assert_string_equal(field, want_field);
	if (!strstr(why, want_msg))
		fail_msg("message \"%s\" lacks \"%s\"", why, want_msg);
	size_t n = strlen(why);
	assert_true(n > 0 && why[n - 1] != '.');
	assert_false(why[0] >= 'A' && why[0] <= 'Z');
	assert_null(strpbrk(why, "\r\n"));
	assert_true(utf8_valid(why, n));
	snap_same(f, &sn);
}

static struct run_step option(int i)
{
	return (struct run_step){.action = RUN_OPTION, .option = i};
}
static struct run_step act(enum run_action a)
{
	return (struct run_step){.action = a};
}
static struct run_step objection(const char *id)
{
	return (struct run_step){.action = RUN_OBJECTION, .objection = id};
}
/* answer is a step with one answer; the compound literal lives as long as the test's frame,
 * so it is kept in a static slot per call site use. */
static struct run_answer answer_slot[4];
static struct run_step answer(const char *field, const char *value)
{
	static int next;
	struct run_answer *an = &answer_slot[next++ % 4];
	an->field = field;
	an->value = value;
	return (struct run_step){.action = RUN_ANSWER, .answers = an, .nanswers = 1};
}

static void test_script_run__start(void **state)
{
	struct fx *f = *state;
	assert_int_equal(f->st.node, N_GREETING);
	assert_int_equal(f->st.npath, 1);
	assert_int_equal(f->st.path[0], N_GREETING);
	assert_int_equal(f->st.variant[N_GREETING], 0); /* rnd 0: the first wording */
	for (int i = 1; i < 7; i++)
		assert_int_equal(f->st.variant[i], -1);
	assert_int_equal(f->st.objection_variant[0], -1);
	assert_int_equal(f->st.objection, -1);
	assert_int_equal(f->st.started_at, NOW);
	assert_int_equal(f->st.hold_since, 0);
	assert_false(f->st.finished);
	assert_int_equal(f->st.questions, 0);
	assert_int_equal(f->st.price_asks, 0);
	assert_int_equal(f->st.nanswers, 0);
	/* rnd 3 falls in the second wording's weight (3 + 1) */
	struct run_state st;
	script_run_start(&f->s, &f->a, NOW, 3, &st);
	assert_int_equal(st.variant[N_GREETING], 1);
}

static void test_script_run__pick_variant(void **state)
{
	struct script_text say[3] = {{"a", 3, {0, 0}}, {"b", 1, {0, 0}}, {"c", 6, {0, 0}}};
	int want[10] = {0, 0, 0, 1, 2, 2, 2, 2, 2, 2};
	for (uint32_t r = 0; r < 10; r++)
		assert_int_equal(script_pick_variant(say, 3, r), want[r]);
	/* deterministic, and over rnd 0..k*total-1 the counts are exactly k times the weights */
	int count[3] = {0};
	for (uint32_t r = 0; r < 1000; r++)
		count[script_pick_variant(say, 3, r)]++;
	assert_int_equal(count[0], 300);
	assert_int_equal(count[1], 100);
	assert_int_equal(count[2], 600);
	assert_int_equal(script_pick_variant(say, 3, 1000003), script_pick_variant(say, 3, 3));
	assert_int_equal(script_pick_variant(say, 3, UINT32_MAX), (int)want[UINT32_MAX % 10]);
	assert_int_equal(script_pick_variant(say, 1, 777), 0);
	assert_int_equal(script_pick_variant(say, 0, 1), -1);
	/* a weight below 1 (never from the loader) counts as 1 */
	struct script_text zero[2] = {{"a", 0, {0, 0}}, {"b", -5, {0, 0}}};
	assert_int_equal(script_pick_variant(zero, 2, 0), 0);
	assert_int_equal(script_pick_variant(zero, 2, 1), 1);
	/* huge weights do not overflow the total */
	struct script_text big[2] = {{"a", 2000000000, {0, 0}}, {"b", 2000000000, {0, 0}}};
	assert_int_equal(script_pick_variant(big, 2, 1999999999), 0);
	assert_int_equal(script_pick_variant(big, 2, 2000000000), 1);
}

static void test_script_run__option_enters_and_draws_once(void **state)
{
	struct fx *f = *state;
	struct run_effect e = ok(f, option(0), 0);
	assert_int_equal(e.entered, N_NAME);
	assert_null(e.line);
	assert_int_equal(f->st.node, N_NAME);
	assert_int_equal(f->st.npath, 2);
	assert_int_equal(f->st.variant[N_NAME], 0);
	ok(f, option(0), 1); /* area, second wording */
	assert_int_equal(f->st.variant[N_AREA], 1);
	ok(f, option(0), 0);	 /* material */
	ok(f, option(0), 0);	 /* when */
	e = ok(f, option(1), 0); /* area again: the wording drawn first stays */
	assert_int_equal(e.entered, N_AREA);
	assert_int_equal(f->st.variant[N_AREA], 1);
	int want[] = {N_GREETING, N_NAME, N_AREA, N_MATERIAL, N_WHEN, N_AREA};
	assert_int_equal(f->st.npath, 6);
	assert_memory_equal(f->st.path, want, sizeof(want));
	/* the path grows past its first block */
	for (int i = 0; i < 40; i++) {
		ok(f, option(0), 0);
		ok(f, option(0), 0);
		ok(f, option(1), 0);
	}
	assert_int_equal(f->st.npath, 6 + 120);
	assert_int_equal(f->st.path[f->st.npath - 1], N_AREA);
	assert_int_equal(f->st.path[2], N_AREA);
}

static void test_script_run__refusals_leave_state(void **state)
{
	struct fx *f = *state;
	refused(f, option(-1), "option", "has no option -1");
	refused(f, option(2), "option", "node \"greeting\" has no option 2 (it has 2)");
	refused(f, objection("cheap"), "objection", "unknown objection \"cheap\"");
	refused(f, objection("bad\r\nid"), "objection", "unknown objection");
	refused(f, objection(NULL), "objection", "no objection given");
	refused(f, answer(NULL, "x"), "answers", "node \"greeting\" asks no question");
	refused(f, act(RUN_BACK), "action", "nothing to go back to");
	refused(f, act(RUN_FINISH), "action", "node \"greeting\" is not an end node");
	refused(f, act(RUN_RESUME), "action", "nothing to resume");
	refused(f, act((enum run_action)99), "action", "unknown action 99");
	/* an option whose target is missing (only in a script that failed validation) */
	f->s.nodes[N_GREETING].options[1].target = -1;
	refused(f, option(1), "option", "option \"Not now\" leads to no node");
	f->s.nodes[N_GREETING].options[1].target = N_BYE;
	/* a state that does not belong to this script */
	f->st.node = 99;
	refused(f, option(0), "run", "does not fit this script");
	f->st.node = N_GREETING;
	/* NULL effect, message and field pointers are allowed */
	struct run_step st = option(5);
	assert_int_equal(script_run_apply(&f->s, &f->a, &f->st, &st, NOW, 0, NULL, NULL, NULL), -1);
	assert_int_equal(f->st.node, N_GREETING);
}

static void test_script_run__answer_refusals(void **state)
{
	struct fx *f = *state;
	ok(f, option(0), 0); /* name: text */
	refused(f, answer("area_m2", "20"), "answers", "asks for client.name, not \"area_m2\"");
	refused(f, answer(NULL, NULL), "answers", "client.name: no value given");
	refused(f, answer(NULL, "   \t "), "answers", "client.name: the answer is empty");
	refused(f, answer(NULL, ""), "answers", "the answer is empty");
	refused(f, answer(NULL, "An\xffna"), "answers", "not valid UTF-8");
	refused(f, answer(NULL, "a\x01b"), "answers", "control character");
	char big[1002];
	memset(big, 'x', 1001);
	big[1001] = 0;
	refused(f, answer(NULL, big), "answers", "1001 bytes long (at most 1000)");
	char huge[5000];
	memset(huge, ' ', 4999);
	huge[4999] = 0;
	refused(f, answer(NULL, huge), "answers", "4999 bytes long (at most 4096)");
	struct run_step none = {.action = RUN_ANSWER};
	refused(f, none, "answers", "no answer given for client.name");
	struct run_answer two[2] = {{NULL, "Anna"}, {NULL, "Bob"}};
	struct run_step both = {.action = RUN_ANSWER, .answers = two, .nanswers = 2};
	refused(f, both, "answers", "2 answers given");
	ok(f, option(0), 0); /* area: number */
	static const char *const bad_numbers[] = {"twenty", "0x10",  "inf", "nan", "1,2.3",
						  "12abc",  "1.2.3", "-",   "e5",  "1e999"};
	for (size_t i = 0; i < sizeof(bad_numbers) / sizeof(bad_numbers[0]); i++)
		refused(f, answer("area_m2", bad_numbers[i]), "answers", "is not a number");
	refused(f, answer(NULL, "twenty"), "answers", "area_m2: \"twenty\" is not a number");
	ok(f, option(0), 0); /* material: choice */
	refused(f, answer(NULL, "wood"), "answers",
		"material: \"wood\" is not one of the choices (\"Matte\", \"Glossy\", \"Сатин\")");
	refused(f, answer(NULL, "Mat"), "answers", "is not one of the choices");
	ok(f, option(0), 0); /* when: datetime */
	refused(f, answer(NULL, "2026-11-25"), "answers", "has no time of day");
	refused(f, answer(NULL, "tomorrow"), "answers", "invalid time \"tomorrow\"");
	refused(f, answer(NULL, "2026-02-30 10:00"), "answers", "invalid time");
	refused(f, answer(NULL, "2026-11-25 25:00"), "answers", "invalid time");
	assert_int_equal(f->st.nanswers, 0);
	assert_int_equal(f->st.questions, 0);
}

/* check_answer answers the current node and expects the normalised value. */
static void check_answer(struct fx *f, const char *raw, const char *want)
{
	struct run_effect e = ok(f, answer(NULL, raw), 0);
	assert_int_equal(e.ncaptured, 1);
	assert_string_equal(e.captured[0].value, want);
	assert_string_equal(e.captured[0].field, f->s.nodes[f->st.node].question.field);
	assert_int_equal(e.entered, -1);
	assert_null(e.line);
}

static void test_script_run__answers_normalised(void **state)
{
	struct fx *f = *state;
	ok(f, option(0), 0);
	check_answer(f, "  Анна Петрова \n", "Анна Петрова");
	check_answer(f, "<script>alert(1)</script>", "<script>alert(1)</script>");
	char exact[1001];
	memset(exact, 'y', 1000);
	exact[1000] = 0;
	check_answer(f, exact, exact);
	check_answer(f, "Line one\nline two", "Line one\nline two");
	ok(f, option(0), 0);
	static const char *const numbers[][2] = {
	    {"20", "20"},
	    {"20,5", "20.5"},
	    {" 20.50 ", "20.5"},
	    {"20 000", "20000"},
	    {"1\xc2\xa0"
	     "500,25",
	     "1500.25"},
	    {"1e3", "1000"},
	    {"-0", "0"},
	    {"+7", "7"},
	    {"0.1", "0.1"},
	    {"1234567.89", "1234567.89"},
	    {"123456789012", "123456789012"},
	};
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		check_answer(f, numbers[i][0], numbers[i][1]);
	ok(f, option(0), 0);
	check_answer(f, "matte", "Matte");
	check_answer(f, " GLOSSY ", "Glossy");
	check_answer(f, "САТИН", "Сатин");
	ok(f, option(0), 0);
	check_answer(f, "2026-11-25 10:00", "2026-11-25T10:00:00Z");
	check_answer(f, "2026-11-25T10:00:00+03:00", "2026-11-25T07:00:00Z");
	check_answer(f, "2026-11-25T10:00Z", "2026-11-25T10:00:00Z");
	/* the field may be named; the latest value per field is kept, in first-answer order */
	check_answer(f, "2026-12-01 09:30", "2026-12-01T09:30:00Z");
	ok(f, answer("deadline", "2026-12-02 09:30"), 0);
	assert_int_equal(f->st.nanswers, 4);
	const char *want[][2] = {{"client.name", "Line one\nline two"},
				 {"area_m2", "123456789012"},
				 {"material", "Сатин"},
				 {"deadline", "2026-12-02T09:30:00Z"}};
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(f->st.answers[i].field, want[i][0]);
		assert_string_equal(f->st.answers[i].value, want[i][1]);
	}
}

static void test_script_run__question_count(void **state)
{
	struct fx *f = *state;
	ok(f, option(0), 0);
	ok(f, answer(NULL, "Anna"), 0); /* consent: not a needs question */
	assert_int_equal(f->st.questions, 0);
	ok(f, option(0), 0);
	ok(f, answer(NULL, "20"), 0);
	assert_int_equal(f->st.questions, 1);
	ok(f, answer(NULL, "21"), 0); /* corrected: still one question */
	assert_int_equal(f->st.questions, 1);
	ok(f, option(0), 0);
	ok(f, option(0), 0);
	ok(f, answer(NULL, "2026-11-30 12:00"), 0);
	assert_int_equal(f->st.questions, 2);
	ok(f, option(1), 0); /* area again, answered again: not counted twice */
	ok(f, answer(NULL, "22"), 0);
	assert_int_equal(f->st.questions, 2);
	ok(f, option(0), 0);
	ok(f, answer(NULL, "glossy"), 0);
	assert_int_equal(f->st.questions, 3);
	/* going back keeps what was said */
	ok(f, act(RUN_BACK), 0);
	assert_int_equal(f->st.questions, 3);
	assert_int_equal(f->st.nanswers, 4);
}

static void test_script_run__price_policy(void **state)
{
	struct fx *f = *state;
	struct run_effect e = ok(f, act(RUN_PRICE), 0);
	assert_string_equal(e.line, "D1 {client.name}");
	assert_false(e.price_answered);
	assert_int_equal(f->st.price_asks, 1);
	e = ok(f, act(RUN_PRICE), 0);
	assert_string_equal(e.line, "D2");
	assert_false(e.price_answered);
	e = ok(f, act(RUN_PRICE), 0);
	assert_string_equal(e.line, "It costs {price}");
	assert_true(e.price_answered);
	assert_int_equal(f->st.price_asks, 3);
	e = ok(f, act(RUN_PRICE), 0);
	assert_string_equal(e.line, "It costs {price}");
	assert_true(e.price_answered);
	assert_int_equal(f->st.node, N_GREETING); /* the node stays */

	/* the last deflection repeats until answer_on; no answer line: NULL, the rep says it */
	f->s.price_answer_on = 5;
	f->s.price_answer = NULL;
	script_run_start(&f->s, &f->a, NOW, 0, &f->st);
	const char *lines[] = {"D1 {client.name}", "D2", "D2", "D2"};
	for (int i = 0; i < 4; i++) {
		e = ok(f, act(RUN_PRICE), 0);
		assert_string_equal(e.line, lines[i]);
		assert_false(e.price_answered);
	}
	e = ok(f, act(RUN_PRICE), 0);
	assert_null(e.line);
	assert_true(e.price_answered);

	/* no deflection lines: NULL, the panel shows its own translated hint */
	f->s.ndeflect = 0;
	script_run_start(&f->s, &f->a, NOW, 0, &f->st);
	e = ok(f, act(RUN_PRICE), 0);
	assert_null(e.line);
	assert_false(e.price_answered);

	/* answer_on 1: the first question gets the price; 0 (unset) means the default 3 */
	f->s.price_answer_on = 1;
	script_run_start(&f->s, &f->a, NOW, 0, &f->st);
	assert_true(ok(f, act(RUN_PRICE), 0).price_answered);
	f->s.price_answer_on = 0;
	script_run_start(&f->s, &f->a, NOW, 0, &f->st);
	assert_false(ok(f, act(RUN_PRICE), 0).price_answered);
	assert_false(ok(f, act(RUN_PRICE), 0).price_answered);
	assert_true(ok(f, act(RUN_PRICE), 0).price_answered);
}

static void test_script_run__objections(void **state)
{
	struct fx *f = *state;
	ok(f, option(0), 0);
	ok(f, option(0), 0); /* area */
	struct run_effect e = ok(f, objection("expensive"), 2);
	assert_int_equal(e.entered, -1);
	assert_int_equal(f->st.objection, 0);
	assert_int_equal(f->st.objection_variant[0], 1); /* rnd 2 of weights 1 + 2 */
	assert_int_equal(f->st.node, N_AREA);
	/* the objection's wording is drawn once */
	ok(f, act(RUN_RESUME), 0);
	assert_int_equal(f->st.objection, -1);
	assert_int_equal(f->st.node, N_AREA);
	assert_int_equal(f->st.npath, 3);
	ok(f, objection("expensive"), 0);
	assert_int_equal(f->st.objection_variant[0], 1);
	/* another objection replaces the open one; answers and price questions keep it open */
	ok(f, objection("think"), 0);
	assert_int_equal(f->st.objection, 1);
	assert_int_equal(f->st.objection_variant[1], 0);
	ok(f, answer(NULL, "18"), 0);
	ok(f, act(RUN_PRICE), 0);
	assert_int_equal(f->st.objection, 1);
	/* following an option leaves the node, and the objection with it */
	ok(f, option(0), 0);
	assert_int_equal(f->st.objection, -1);
	assert_int_equal(f->st.node, N_MATERIAL);
	/* back closes it too */
	ok(f, objection("think"), 0);
	ok(f, act(RUN_BACK), 0);
	assert_int_equal(f->st.objection, -1);
	assert_int_equal(f->st.node, N_AREA);
	refused(f, act(RUN_RESUME), "action", "no objection is open");
}

static void test_script_run__back(void **state)
{
	struct fx *f = *state;
	ok(f, option(0), 0);
	ok(f, option(0), 0);
	struct run_effect e = ok(f, act(RUN_BACK), 0);
	assert_int_equal(e.entered, -1);
	assert_int_equal(f->st.node, N_NAME);
	assert_int_equal(f->st.npath, 2);
	ok(f, act(RUN_BACK), 0);
	assert_int_equal(f->st.node, N_GREETING);
	refused(f, act(RUN_BACK), "action", "the run is at its first node");
	/* the drawn wordings stay, so a node shows the same line when entered again */
	assert_int_equal(f->st.variant[N_AREA], 0);
	ok(f, option(0), 0);
	ok(f, option(0), 1);
	assert_int_equal(f->st.variant[N_AREA], 0);
}

static void test_script_run__hold(void **state)
{
	struct fx *f = *state;
	struct run_step hold = act(RUN_HOLD);
	struct run_effect eff;
	const char *why, *field;
	assert_int_equal(
	    script_run_apply(&f->s, &f->a, &f->st, &hold, NOW + 5, 0, &eff, &why, &field), 0);
	assert_int_equal(f->st.hold_since, NOW + 5);
	refused(f, hold, "action", "already on hold");
	ok(f, act(RUN_RESUME), 0);
	assert_int_equal(f->st.hold_since, 0);
	/* any accepted step takes the client off hold; a refused one does not */
	ok(f, hold, 0);
	refused(f, option(9), "option", "has no option 9");
	assert_int_equal(f->st.hold_since, NOW + 10);
	ok(f, act(RUN_PRICE), 0);
	assert_int_equal(f->st.hold_since, 0);
	/* on hold with an objection open: resume ends the hold first, then closes the objection */
	ok(f, objection("think"), 0);
	ok(f, hold, 0);
	ok(f, act(RUN_RESUME), 0);
	assert_int_equal(f->st.hold_since, 0);
	assert_int_equal(f->st.objection, 1);
	ok(f, act(RUN_RESUME), 0);
	assert_int_equal(f->st.objection, -1);
	ok(f, hold, 0);
	ok(f, option(0), 0);
	assert_int_equal(f->st.hold_since, 0);
}

static void test_script_run__finish(void **state)
{
	struct fx *f = *state;
	ok(f, option(0), 0);
	ok(f, option(0), 0);
	ok(f, option(1), 0); /* close */
	ok(f, objection("expensive"), 0);
	ok(f, act(RUN_HOLD), 0);
	struct run_effect e = ok(f, act(RUN_FINISH), 0);
	assert_int_equal(e.entered, -1);
	assert_true(f->st.finished);
	assert_int_equal(f->st.result, GOAL_MAX);
	assert_int_equal(f->st.objection, -1);
	assert_int_equal(f->st.hold_since, 0);
	/* after the finish every step is refused with "run" */
	struct run_step steps[] = {option(0),	      objection("think"), act(RUN_RESUME),
				   answer(NULL, "x"), act(RUN_PRICE),	  act(RUN_BACK),
				   act(RUN_HOLD),     act(RUN_FINISH)};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		refused(f, steps[i], "run", "the run is finished");
	/* an end node without a goal finishes with none */
	script_run_start(&f->s, &f->a, NOW, 0, &f->st);
	ok(f, option(1), 0);
	refused(f, option(0), "option", "node \"bye\" has no option 0 (it has 0)");
	ok(f, act(RUN_FINISH), 0);
	assert_true(f->st.finished);
	assert_int_equal(f->st.result, GOAL_NONE);
}

static void test_script_run__whole_call(void **state)
{
	/* the inbound call of the method: greeting to a booked visit, the line rendered each time
	 */
	struct fx *f = *state;
	ok(f, option(0), 0);
	ok(f, answer(NULL, "Anna"), 0);
	ok(f, option(0), 0);
	ok(f, answer(NULL, "18,5"), 0);
	ok(f, act(RUN_PRICE), 0);
	ok(f, option(0), 0);
	ok(f, answer(NULL, "matte"), 0);
	ok(f, option(0), 0);
	ok(f, answer(NULL, "2026-12-01 10:00"), 0);
	ok(f, option(0), 0);
	const struct script_node *nd = &f->s.nodes[f->st.node];
	struct render_ctx ctx = {.answers = f->st.answers, .nanswers = f->st.nanswers};
	assert_string_equal(script_render(nd->say[f->st.variant[f->st.node]].text, &ctx, &f->a),
			    "Anna, tomorrow at 10 or at 15?");
	ok(f, act(RUN_FINISH), 0);
	assert_int_equal(f->st.result, GOAL_MAX);
	assert_int_equal(f->st.questions, 3);
	assert_int_equal(f->st.price_asks, 1);
	int path[] = {N_GREETING, N_NAME, N_AREA, N_MATERIAL, N_WHEN, N_CLOSE};
	assert_int_equal(f->st.npath, 6);
	assert_memory_equal(f->st.path, path, sizeof(path));
}

static void test_script_run__render(void **state)
{
	struct arena a;
	arena_init(&a);
	struct run_answer ans[] = {{"area_m2", "20"}, {"client.name", "Анна"}, {"area_m2", "25"}};
	struct render_ctx ctx = {.client_name = "Anna",
				 .client_company = "Acme",
				 .client_phone = "+7 900 000-00-00",
				 .client_email = "anna@example.com",
				 .rep_name = "Ivan",
				 .company = "Ceilings Ltd",
				 .price = "$120",
				 .answers = ans,
				 .nanswers = 3};
	static const char *const cases[][2] = {
	    {"{client.name} {client.company} {client.phone} {client.email}",
	     "Anna Acme +7 900 000-00-00 anna@example.com"},
	    {"{rep.name} of {company}: {price}", "Ivan of Ceilings Ltd: $120"},
	    {"area {area_m2} m2", "area 25 m2"}, /* the latest answer */
	    {"{deadline} {client.phone", "[deadline] {client.phone"},
	    {"{{company}} and {{", "{company}} and {"},
	    {"{} { company } {comp any} {", "{} { company } {comp any} {"},
	    {"no placeholders", "no placeholders"},
	    {"", ""},
	    {"\xff{company}\xfe", "\xff"
				  "Ceilings Ltd\xfe"},
	    {"{{{company}", "{Ceilings Ltd"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(script_render(cases[i][0], &ctx, &a), cases[i][1]);
	/* values are not expanded again */
	ctx.company = "{price}";
	assert_string_equal(script_render("{company}", &ctx, &a), "{price}");
	/* an empty or missing value: the card's name falls back to a captured answer, others show
	 * the placeholder's name */
	struct render_ctx bare = {.client_name = "", .answers = ans, .nanswers = 3};
	assert_string_equal(
	    script_render("{client.name}, {rep.name} from {company} {price}", &bare, &a),
	    "Анна, [rep.name] from [company] [price]");
	assert_string_equal(script_render("{client.name} {x}", NULL, &a), "[client.name] [x]");
	assert_string_equal(script_render(NULL, &ctx, &a), "");
	/* a long line with many placeholders */
	char longt[6001];
	for (int i = 0; i < 6000; i += 6)
		memcpy(longt + i, "{price", 6);
	longt[6000] = 0;
	assert_int_equal(strlen(script_render(longt, &ctx, &a)), 6000);
	arena_release(&a);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_script_run__start),
	    cmocka_unit_test(test_script_run__pick_variant),
	    T(test_script_run__option_enters_and_draws_once),
	    T(test_script_run__refusals_leave_state),
	    T(test_script_run__answer_refusals),
	    T(test_script_run__answers_normalised),
	    T(test_script_run__question_count),
	    T(test_script_run__price_policy),
	    T(test_script_run__objections),
	    T(test_script_run__back),
	    T(test_script_run__hold),
	    T(test_script_run__finish),
	    T(test_script_run__whole_call),
	    cmocka_unit_test(test_script_run__render),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
