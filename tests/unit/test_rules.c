/* test_rules.c - unit tests of core/rules.c: every rule id refused and accepted, courtesy phrases
 * in four languages, category moves, automatic steps after missed calls, plan problems. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/rules.h"
#include "util/utf8.h"

/* Cases start from a base contact and override some of its fields in the same initializer, and
 * leave the context's cadence and decision window at 0 unless they test them. */
#pragma GCC diagnostic ignored "-Woverride-init"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define NOW 1795590000LL /* 2026-11-25T07:00:00Z, the clock of every case */
#define H   3600LL
#define D   86400LL

static const char *const phrases[] = {
    "courtesy call",	       "just checking in", "keeping in touch", "звонок вежливости",
    "просто напомнить о себе", "nezaket araması",  "cuộc gọi xã giao",
};
#define NPHRASES (sizeof(phrases) / sizeof(phrases[0]))

/* A complete outbound call that reached the client and booked a visit: refused by nothing. */
#define GOOD_CALL                                                                                  \
	.kind = CONTACT_CALL, .direction = DIR_OUT, .at = NOW,                                     \
	.purpose = "agree the measurement visit for the new office",                               \
	.goal_max = "a visit at a concrete date and time", .goal_min = "exchange contacts",        \
	.result = -1, .has_next = true, .next_kind = STEP_VISIT, .next_due = NOW + D,              \
	.next_has_time = true

struct check_case {
	const char *name;
	struct contact c;
	const char *want; /* "rule:field" of every entry expected, in order, space-separated */
	int cadence_max_days;
	int decision_hours;
};

/* join writes "rule:field" of every entry of out, space-separated, into dst. */
static void join(const struct violations *out, char *dst, size_t size)
{
	size_t o = 0;
	dst[0] = 0;
	for (size_t i = 0; i < out->n && o < size; i++)
		o += (size_t)snprintf(dst + o, size - o, "%s%s:%s", i ? " " : "", out->v[i].rule,
				      out->v[i].field);
}

/* count_errors counts the entries of a want string that refuse: all but cadence_exceeded. */
static size_t count_errors(const char *want)
{
	size_t n = 0;
	for (const char *p = want; *p; p++)
		if ((p == want || p[-1] == ' ') && strncmp(p, "cadence_exceeded:", 17) != 0)
			n++;
	return n;
}

/* check_style asserts what every message promises: non-empty, lowercase start, no final period,
 * no CR/LF, valid UTF-8, NUL-terminated within the array. */
static void check_style(const struct violations *out)
{
	for (size_t i = 0; i < out->n; i++) {
		const char *m = out->v[i].msg;
		size_t n = strnlen(m, sizeof(out->v[i].msg));
		assert_true(n > 0 && n < sizeof(out->v[i].msg));
		assert_false(m[0] >= 'A' && m[0] <= 'Z');
		assert_true(m[n - 1] != '.');
		assert_null(strpbrk(m, "\r\n"));
		assert_true(utf8_valid(m, n));
		assert_non_null(out->v[i].rule);
		assert_non_null(out->v[i].field);
		assert_int_equal(out->v[i].warning,
				 strcmp(out->v[i].rule, "cadence_exceeded") == 0);
	}
}

static void run(const struct check_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct check_case *k = &cases[i];
		struct rule_ctx ctx = {NOW, phrases, NPHRASES, k->cadence_max_days,
				       k->decision_hours};
		struct violations out = {0};
		char got[1024];
		size_t nerrors = rules_check_contact(&k->c, &ctx, &out);
		join(&out, got, sizeof(got));
		if (strcmp(got, k->want) != 0)
			print_message("case \"%s\": got \"%s\"\n", k->name, got);
		assert_string_equal(got, k->want);
		assert_int_equal(nerrors, count_errors(k->want));
		assert_int_equal(out.nerrors, nerrors);
		check_style(&out);
	}
}

#define RUN(cases) run(cases, sizeof(cases) / sizeof(cases[0]))

static void test_rules__complete_reports_accepted(void **state)
{
	static const struct check_case cases[] = {
	    {"outbound call", {GOOD_CALL}, ""},
	    {"meeting", {GOOD_CALL, .kind = CONTACT_MEETING}, ""},
	    {"inbound call, nothing prepared",
	     {GOOD_CALL, .direction = DIR_IN, .purpose = NULL, .goal_max = NULL, .goal_min = NULL},
	     ""},
	    {"sale without next step",
	     {GOOD_CALL, .has_next = false, .has_won = true, .won = 1500000},
	     ""},
	    {"contact time 0 means now", {GOOD_CALL, .at = 0}, ""},
	};
	RUN(cases);
}

static void test_rules__purpose_missing(void **state)
{
	static const struct check_case cases[] = {
	    {"no purpose", {GOOD_CALL, .purpose = NULL}, "purpose_missing:purpose"},
	    {"empty", {GOOD_CALL, .purpose = ""}, "purpose_missing:purpose"},
	    {"blank", {GOOD_CALL, .purpose = " \t\xC2\xA0\n"}, "purpose_missing:purpose"},
	    {"meeting",
	     {GOOD_CALL, .kind = CONTACT_MEETING, .purpose = NULL},
	     "purpose_missing:purpose"},
	    {"missed outbound call",
	     {GOOD_CALL, .missed = true, .has_next = false, .purpose = NULL},
	     "purpose_missing:purpose"},
	    /* accepted */
	    {"inbound call", {GOOD_CALL, .direction = DIR_IN, .purpose = NULL}, ""},
	    {"missed inbound call",
	     {GOOD_CALL, .direction = DIR_IN, .missed = true, .has_next = false, .purpose = NULL},
	     ""},
	    {"short purpose", {GOOD_CALL, .purpose = "send price list"}, ""},
	};
	RUN(cases);
}

static void test_rules__courtesy_call_refused(void **state)
{
	static const struct check_case cases[] = {
	    {"english", {GOOD_CALL, .purpose = "Just checking in!!"}, "courtesy_call:purpose"},
	    {"meeting",
	     {GOOD_CALL, .kind = CONTACT_MEETING, .purpose = "keeping in touch"},
	     "courtesy_call:purpose"},
	    {"russian", {GOOD_CALL, .purpose = "ЗВОНОК  ВЕЖЛИВОСТИ!"}, "courtesy_call:purpose"},
	    {"missed call",
	     {GOOD_CALL, .missed = true, .has_next = false, .purpose = "courtesy call"},
	     "courtesy_call:purpose"},
	};
	RUN(cases);
}

static void test_rules__courtesy_call_accepted(void **state)
{
	static const struct check_case cases[] = {
	    {"longer word", {GOOD_CALL, .purpose = "keeping in touchy"}, ""},
	    /* the client called: the rep did not choose the purpose */
	    {"inbound", {GOOD_CALL, .direction = DIR_IN, .purpose = "courtesy call"}, ""},
	};
	RUN(cases);
}

static void test_rules__courtesy_call_message(void **state)
{
	struct contact c = {GOOD_CALL, .purpose = "courtesy call"};
	struct rule_ctx ctx = {NOW, phrases, NPHRASES, 0, 0};
	struct violations out = {0};
	assert_int_equal(rules_check_contact(&c, &ctx, &out), 1);
	assert_string_equal(out.v[0].msg,
			    "purpose \"courtesy call\" is not a reason to call: state "
			    "what the client gets from this call");
	/* hostile and huge values are cut, kept valid UTF-8 and stripped of line breaks */
	char big[4096];
	size_t o = 0;
	while (o + 40 < sizeof(big)) {
		memcpy(big + o, "just checking in <script>\r\n\xD1\x8F\xD1\x8F ", 32);
		o += 32;
	}
	big[o] = 0;
	c.purpose = big;
	memset(&out, 0, sizeof(out));
	assert_int_equal(rules_check_contact(&c, &ctx, &out), 1);
	assert_string_equal(out.v[0].rule, "courtesy_call");
	assert_non_null(strstr(out.v[0].msg, "...\" is not a reason to call"));
	check_style(&out);
	/* bytes that are not UTF-8 do not reach the message */
	c.purpose = "courtesy call \xFF\xC3x\xED\xA0\x80\tя";
	memset(&out, 0, sizeof(out));
	assert_int_equal(rules_check_contact(&c, &ctx, &out), 1);
	assert_string_equal(out.v[0].msg, "purpose \"courtesy call ??x??? я\" is not a reason to "
					  "call: state what the client gets from this call");
}

static void test_rules__courtesy_call_without_phrases(void **state)
{
	struct contact c = {GOOD_CALL, .purpose = "courtesy call"};
	struct rule_ctx ctx = {NOW, NULL, 0, 0, 0};
	struct violations out = {0};
	assert_int_equal(rules_check_contact(&c, &ctx, &out), 0);
}

struct courtesy_case {
	const char *purpose;
	bool want;
};

static void test_rules__is_courtesy(void **state)
{
	static const struct courtesy_case cases[] = {
	    /* English */
	    {"courtesy call", true},
	    {"Courtesy Call.", true},
	    {"  COURTESY   call ", true},
	    {"a courtesy-call before the holidays", true},
	    {"Just checking in!!", true},
	    {"just...checking...in", true},
	    {"Keeping in touch, and asking about the order", true},
	    {"keeping in touchy", false},
	    {"the courtesy caller list", false},
	    {"no discourtesy call today", false},
	    {"checking in on the delivery", false},
	    {"keepingintouch", false},
	    /* Russian */
	    {"ЗВОНОК  ВЕЖЛИВОСТИ!", true},
	    {"Звонок вежливости клиенту", true},
	    {"ПРОСТО напомнить о СЕБЕ...", true},
	    {"звонок вежливый", false},
	    {"просто напомнить о себестоимости", false}, /* "себе" is not a whole word there */
	    /* Turkish */
	    {"NEZAKET ARAMASI", true},
	    {"Nezaket araması", true},
	    {"NEZAKET ARAMASİ!", true},
	    {"nezaket  -  aramasi", true},
	    {"nezaket aramasında", false},
	    {"nezaket", false},
	    /* Vietnamese */
	    {"Cuộc Gọi Xã Giao", true},
	    {"CUỘC GỌI XÃ GIAO", true},
	    {"(cuộc gọi xã giao).", true},
	    {"cuoc goi xa giao", false}, /* accents are kept: a head adds this form if wanted */
	    {"cuộc gọi", false},
	    /* no match */
	    {"send the offer for 200 m² of ceiling", false},
	    {"agree the measurement time", false},
	    {"", false},
	    {"!!!", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool got = rules_is_courtesy(cases[i].purpose, phrases, NPHRASES);
		if (got != cases[i].want)
			print_message("courtesy case %zu \"%s\"\n", i, cases[i].purpose);
		assert_int_equal(got, cases[i].want);
	}
}

static void test_rules__is_courtesy_edge_phrases(void **state)
{
	static const char *const odd[] = {"", "  ", "!!!", NULL};
	static const char *const one[] = {"Courtesy   CALL!"};
	assert_false(rules_is_courtesy("anything at all", odd, 4));
	assert_false(rules_is_courtesy("", odd, 4));
	assert_false(rules_is_courtesy(NULL, phrases, NPHRASES));
	assert_false(rules_is_courtesy("courtesy call", NULL, 3));
	assert_false(rules_is_courtesy("courtesy call", phrases, 0));
	assert_true(rules_is_courtesy("a courtesy call", one, 1)); /* the phrase is folded too */
	assert_true(rules_is_courtesy("courtesy call courtesy call", one, 1));
	assert_true(rules_is_courtesy("courtesy calls, then a courtesy call", one, 1));
}

static void test_rules__goal_missing(void **state)
{
	static const struct check_case cases[] = {
	    {"both",
	     {GOOD_CALL, .goal_max = NULL, .goal_min = NULL},
	     "goal_missing:goal_max goal_missing:goal_min"},
	    {"max", {GOOD_CALL, .goal_max = " "}, "goal_missing:goal_max"},
	    {"min", {GOOD_CALL, .goal_min = ""}, "goal_missing:goal_min"},
	    {"meeting",
	     {GOOD_CALL, .kind = CONTACT_MEETING, .goal_min = NULL},
	     "goal_missing:goal_min"},
	    /* goals are set before the call, so a missed one needs them too */
	    {"missed",
	     {GOOD_CALL, .missed = true, .has_next = false, .goal_max = NULL},
	     "goal_missing:goal_max"},
	    /* accepted */
	    {"inbound", {GOOD_CALL, .direction = DIR_IN, .goal_max = NULL, .goal_min = NULL}, ""},
	};
	RUN(cases);
}

static void test_rules__refusal_reason_missing(void **state)
{
	static const struct check_case cases[] = {
	    {"empty", {GOOD_CALL, .refused = ""}, "refusal_reason_missing:refused"},
	    {"blank, no next step",
	     {GOOD_CALL, .refused = " \t", .has_next = false},
	     "refusal_reason_missing:refused next_step_missing:next"},
	    /* accepted */
	    {"with reason", {GOOD_CALL, .refused = "the warranty was not explained"}, ""},
	    {"inbound with reason", {GOOD_CALL, .direction = DIR_IN, .refused = "price"}, ""},
	};
	RUN(cases);
}

static void test_rules__never_reason_invalid(void **state)
{
	static const struct check_case cases[] = {
	    {"bankrupt",
	     {GOOD_CALL, .has_next = false, .never_reason = "bankrupt",
	      .never_note = "they say so"},
	     "never_reason_invalid:never.reason"},
	    {"future",
	     {GOOD_CALL, .has_next = false, .never_reason = "future", .never_note = "not now"},
	     "never_reason_invalid:never.reason"},
	    {"no reason",
	     {GOOD_CALL, .has_next = false, .never_note = "gone"},
	     "never_reason_invalid:never.reason"},
	    {"no note",
	     {GOOD_CALL, .has_next = false, .never_reason = "closed"},
	     "never_reason_invalid:never.note"},
	    {"blank note",
	     {GOOD_CALL, .has_next = false, .never_reason = "gone", .never_note = "  "},
	     "never_reason_invalid:never.note"},
	    {"neither",
	     {GOOD_CALL, .has_next = false, .never_reason = "", .never_note = ""},
	     "never_reason_invalid:never.reason never_reason_invalid:never.note"},
	    /* accepted */
	    {"closed",
	     {GOOD_CALL, .has_next = false, .never_reason = "closed",
	      .never_note = "liquidated, see the registry"},
	     ""},
	    {"gone",
	     {GOOD_CALL, .has_next = false, .never_reason = "GONE", .never_note = "the owner died"},
	     ""},
	};
	RUN(cases);
}

static void test_rules__never_reason_message(void **state)
{
	struct contact c = {GOOD_CALL, .never_reason = "not interested", .never_note = "x"};
	struct rule_ctx ctx = {NOW, phrases, NPHRASES, 0, 0};
	struct violations out = {0};
	assert_int_equal(rules_check_contact(&c, &ctx, &out), 1);
	assert_string_equal(out.v[0].msg,
			    "never reason \"not interested\" is not accepted: never is only for a "
			    "client who physically no longer exists (closed or gone); file the "
			    "client as future instead");
}

static void test_rules__next_step_missing(void **state)
{
	static const struct check_case cases[] = {
	    {"outbound call", {GOOD_CALL, .has_next = false}, "next_step_missing:next"},
	    {"inbound call",
	     {GOOD_CALL, .direction = DIR_IN, .has_next = false},
	     "next_step_missing:next"},
	    {"meeting",
	     {GOOD_CALL, .kind = CONTACT_MEETING, .has_next = false},
	     "next_step_missing:next"},
	    {"offer without next step",
	     {GOOD_CALL, .has_next = false, .has_offer = true, .offer = 100},
	     "next_step_missing:next"},
	    {"refusal",
	     {GOOD_CALL, .has_next = false, .refused = "too expensive for now"},
	     "next_step_missing:next"},
	    {"refusal with a sale",
	     {GOOD_CALL, .has_next = false, .has_won = true, .refused = "only half the order"},
	     "next_step_missing:next"},
	    /* accepted */
	    {"missed outbound", {GOOD_CALL, .missed = true, .has_next = false}, ""},
	    {"missed inbound",
	     {GOOD_CALL, .direction = DIR_IN, .missed = true, .has_next = false},
	     ""},
	    {"sale", {GOOD_CALL, .has_next = false, .has_won = true}, ""},
	    {"never",
	     {GOOD_CALL, .has_next = false, .never_reason = "closed", .never_note = "registry"},
	     ""},
	    {"refusal with next step",
	     {GOOD_CALL, .refused = "budget spent this year", .next_kind = STEP_CALL,
	      .next_due = NOW + 30 * D},
	     ""},
	};
	RUN(cases);
}

static void test_rules__next_step_missing_messages(void **state)
{
	struct contact c = {GOOD_CALL, .has_next = false, .refused = "price"};
	struct rule_ctx ctx = {NOW, phrases, NPHRASES, 0, 0};
	struct violations out = {0};
	rules_check_contact(&c, &ctx, &out);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0].msg, "a refusal needs the next planned contact: set a next "
					  "step at a concrete date and time to keep working with "
					  "the client");
	c.refused = NULL;
	memset(&out, 0, sizeof(out));
	rules_check_contact(&c, &ctx, &out);
	assert_string_equal(out.v[0].msg, "the call ended without a next step: set one at a "
					  "concrete date and time, or record the sale");
}

static void test_rules__next_step_vague(void **state)
{
	static const struct check_case cases[] = {
	    {"date only",
	     {GOOD_CALL, .next_has_time = false, .next_due = NOW + 17 * H},
	     "next_step_vague:next.due_at"},
	    {"date only, refusal",
	     {GOOD_CALL, .refused = "price", .next_has_time = false,
	      .next_due = NOW + 17 * H + 14 * D},
	     "next_step_vague:next.due_at"},
	    /* accepted */
	    {"with time", {GOOD_CALL, .next_has_time = true}, ""},
	};
	RUN(cases);
}

static void test_rules__next_step_past(void **state)
{
	static const struct check_case cases[] = {
	    {"a minute ago", {GOOD_CALL, .next_due = NOW - 60}, "next_step_past:next.due_at"},
	    {"yesterday, date only",
	     {GOOD_CALL, .next_has_time = false, .next_due = NOW - 7 * H - D},
	     "next_step_vague:next.due_at next_step_past:next.due_at"},
	    /* accepted */
	    {"now", {GOOD_CALL, .next_due = NOW}, ""},
	    /* today's midnight has passed, but the day has not */
	    {"today, date only",
	     {GOOD_CALL, .next_has_time = false, .next_due = NOW - 7 * H},
	     "next_step_vague:next.due_at"},
	};
	RUN(cases);
}

static void test_rules__decision_window_exceeded(void **state)
{
	static const struct check_case cases[] = {
	    {"73 hours",
	     {GOOD_CALL, .next_kind = STEP_DECISION, .next_due = NOW + 73 * H},
	     "decision_window_exceeded:next.due_at"},
	    {"a second late",
	     {GOOD_CALL, .next_kind = STEP_DECISION, .next_due = NOW + 72 * H + 1},
	     "decision_window_exceeded:next.due_at"},
	    {"own window",
	     {GOOD_CALL, .next_kind = STEP_DECISION, .next_due = NOW + 25 * H},
	     "decision_window_exceeded:next.due_at",
	     0,
	     24},
	    {"contact time 0 means now",
	     {GOOD_CALL, .at = 0, .next_kind = STEP_DECISION, .next_due = NOW + 73 * H},
	     "decision_window_exceeded:next.due_at"},
	    /* a contact reported later: the window counts from the contact, not from now */
	    {"reported late",
	     {GOOD_CALL, .at = NOW - 2 * D, .next_kind = STEP_DECISION, .next_due = NOW + 25 * H},
	     "decision_window_exceeded:next.due_at"},
	    /* accepted */
	    {"72 hours", {GOOD_CALL, .next_kind = STEP_DECISION, .next_due = NOW + 72 * H}, ""},
	    {"contact time 0, 72 hours",
	     {GOOD_CALL, .at = 0, .next_kind = STEP_DECISION, .next_due = NOW + 72 * H},
	     ""},
	    {"own window kept",
	     {GOOD_CALL, .next_kind = STEP_DECISION, .next_due = NOW + 24 * H},
	     "",
	     0,
	     24},
	    {"not a decision", {GOOD_CALL, .next_kind = STEP_CALL, .next_due = NOW + 10 * D}, ""},
	};
	RUN(cases);
}

static void test_rules__cadence_exceeded(void **state)
{
	static const struct check_case cases[] = {
	    {"31 days of 30",
	     {GOOD_CALL, .next_due = NOW + 31 * D},
	     "cadence_exceeded:next.due_at",
	     30},
	    {"a second over",
	     {GOOD_CALL, .next_due = NOW + 7 * D + 1},
	     "cadence_exceeded:next.due_at",
	     7},
	    {"with a decision",
	     {GOOD_CALL, .next_kind = STEP_DECISION, .next_due = NOW + 5 * D},
	     "decision_window_exceeded:next.due_at cadence_exceeded:next.due_at",
	     3},
	    /* accepted */
	    {"30 days of 30", {GOOD_CALL, .next_due = NOW + 30 * D}, "", 30},
	    {"no limit", {GOOD_CALL, .next_due = NOW + 365 * D}, ""},
	};
	RUN(cases);
}

static void test_rules__window_messages(void **state)
{
	struct contact c = {GOOD_CALL, .next_kind = STEP_DECISION, .next_due = NOW + 31 * D - H};
	struct rule_ctx ctx = {NOW, phrases, NPHRASES, 30, 0};
	struct violations out = {0};
	assert_int_equal(rules_check_contact(&c, &ctx, &out), 1);
	assert_int_equal(out.n, 2);
	assert_string_equal(out.v[0].msg, "the decision is due 743 hours after the contact: a "
					  "client ready to decide gets at most 72 hours");
	assert_string_equal(out.v[1].msg, "the next step is 31 days after the contact, more than "
					  "the 30 days this client's segment allows: contacts this "
					  "rare make each one a first meeting again");
	assert_true(out.v[1].warning);
}

/* Everything wrong at once comes out in the documented order of ids. */
static void test_rules__order_of_ids(void **state)
{
	static const struct check_case cases[] = {
	    {"all but purpose_missing",
	     {GOOD_CALL, .at = NOW - 10 * D, .purpose = "courtesy call", .goal_max = NULL,
	      .goal_min = NULL, .refused = "", .never_reason = "moved", .never_note = NULL,
	      .next_kind = STEP_DECISION, .next_due = NOW - 3 * D - 7 * H, .next_has_time = false},
	     "courtesy_call:purpose goal_missing:goal_max goal_missing:goal_min "
	     "refusal_reason_missing:refused never_reason_invalid:never.reason "
	     "never_reason_invalid:never.note next_step_vague:next.due_at "
	     "next_step_past:next.due_at decision_window_exceeded:next.due_at "
	     "cadence_exceeded:next.due_at",
	     5},
	    {"purpose_missing first",
	     {GOOD_CALL, .purpose = NULL, .goal_max = NULL, .goal_min = NULL, .refused = "",
	      .has_next = false},
	     "purpose_missing:purpose goal_missing:goal_max goal_missing:goal_min "
	     "refusal_reason_missing:refused next_step_missing:next"},
	};
	RUN(cases);
}

struct category_case {
	const char *name;
	struct contact c;
	enum category current, want;
};

static void test_rules__category_after(void **state)
{
	static const struct category_case cases[] = {
	    {"never", {GOOD_CALL, .never_reason = "closed", .never_note = "x"}, CAT_NOW, CAT_NEVER},
	    {"never beats refusal",
	     {GOOD_CALL, .never_reason = "gone", .refused = "x"},
	     CAT_NOW,
	     CAT_NEVER},
	    {"refused", {GOOD_CALL, .refused = "price"}, CAT_NOW, CAT_FUTURE},
	    {"refused beats result",
	     {GOOD_CALL, .refused = "price", .result = RESULT_MAX},
	     CAT_FUTURE,
	     CAT_FUTURE},
	    {"maximum goal", {GOOD_CALL, .result = RESULT_MAX}, CAT_FUTURE, CAT_NOW},
	    {"offer", {GOOD_CALL, .has_offer = true, .offer = 100}, CAT_FUTURE, CAT_NOW},
	    {"sale", {GOOD_CALL, .has_won = true, .won = 100}, CAT_FUTURE, CAT_NOW},
	    {"back from never", {GOOD_CALL, .result = RESULT_MAX}, CAT_NEVER, CAT_NOW},
	    {"minimum goal keeps future",
	     {GOOD_CALL, .result = RESULT_MIN},
	     CAT_FUTURE,
	     CAT_FUTURE},
	    {"minimum goal keeps now", {GOOD_CALL, .result = RESULT_MIN}, CAT_NOW, CAT_NOW},
	    {"no result", {GOOD_CALL, .result = -1}, CAT_FUTURE, CAT_FUTURE},
	    {"missed", {GOOD_CALL, .missed = true, .result = RESULT_NONE}, CAT_NOW, CAT_NOW},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum category got = rules_category_after(&cases[i].c, cases[i].current);
		if (got != cases[i].want)
			print_message("category case \"%s\"\n", cases[i].name);
		assert_int_equal(got, cases[i].want);
	}
}

struct auto_case {
	const char *name;
	struct contact c;
	int callback_min, retry_days;
	bool planned;
	enum step_kind kind;
	int64_t due;
};

static void test_rules__auto_step(void **state)
{
	static const struct auto_case cases[] = {
	    {"missed inbound",
	     {GOOD_CALL, .direction = DIR_IN, .missed = true},
	     15,
	     3,
	     true,
	     STEP_CALLBACK,
	     NOW + 15 * 60},
	    {"missed outbound", {GOOD_CALL, .missed = true}, 15, 3, true, STEP_CALL, NOW + 3 * D},
	    {"negative days count as 0", {GOOD_CALL, .missed = true}, -5, -2, true, STEP_CALL, NOW},
	    {"negative minutes count as 0",
	     {GOOD_CALL, .direction = DIR_IN, .missed = true},
	     -5,
	     -2,
	     true,
	     STEP_CALLBACK,
	     NOW},
	    {"reached", {GOOD_CALL}, 15, 3, false, 0, 0},
	    {"missed meeting",
	     {GOOD_CALL, .kind = CONTACT_MEETING, .missed = true},
	     15,
	     3,
	     false,
	     0,
	     0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct auto_case *k = &cases[i];
		struct auto_step step = {STEP__COUNT, -1};
		bool got = rules_auto_step(&k->c, k->callback_min, k->retry_days, &step);
		if (got != k->planned || (got && (step.kind != k->kind || step.due != k->due)))
			print_message("auto step case \"%s\"\n", k->name);
		assert_int_equal(got, k->planned);
		if (!got) {
			assert_int_equal(step.kind, STEP__COUNT); /* untouched */
			continue;
		}
		assert_int_equal(step.kind, k->kind);
		assert_int_equal(step.due, k->due);
	}
}

struct plan_case {
	const char *name;
	struct client_plan p;
	unsigned want;
};

static void test_rules__plan_problems(void **state)
{
	static const struct plan_case cases[] = {
	    {"now without step", {CAT_NOW, false, 0, 0, 0, 0}, PLAN_NO_NEXT_STEP},
	    {"future without step", {CAT_FUTURE, false, 0, 0, NOW - D, 0}, PLAN_NO_NEXT_STEP},
	    {"without step, cadence passed",
	     {CAT_FUTURE, false, 0, 0, NOW - 10 * D, 7},
	     PLAN_NO_NEXT_STEP | PLAN_CADENCE_EXCEEDED},
	    {"without step, cadence not passed",
	     {CAT_FUTURE, false, 0, 0, NOW - 5 * D, 7},
	     PLAN_NO_NEXT_STEP},
	    {"step too far",
	     {CAT_NOW, true, STEP_CALL, NOW - D + 8 * D, NOW - D, 7},
	     PLAN_CADENCE_EXCEEDED},
	    {"step within cadence", {CAT_NOW, true, STEP_CALL, NOW - D + 7 * D, NOW - D, 7}, 0},
	    {"step far, no cadence", {CAT_NOW, true, STEP_CALL, NOW + 300 * D, NOW - D, 0}, 0},
	    {"never contacted: no cadence", {CAT_NOW, true, STEP_CALL, NOW + 300 * D, 0, 7}, 0},
	    {"never contacted, no step", {CAT_FUTURE, false, 0, 0, 0, 7}, PLAN_NO_NEXT_STEP},
	    {"decision passed",
	     {CAT_NOW, true, STEP_DECISION, NOW - 1, NOW - D, 0},
	     PLAN_DECISION_PASSED},
	    {"decision ahead", {CAT_NOW, true, STEP_DECISION, NOW + H, NOW - D, 0}, 0},
	    {"decision now", {CAT_NOW, true, STEP_DECISION, NOW, NOW - D, 0}, 0},
	    {"call passed is no decision", {CAT_NOW, true, STEP_CALL, NOW - 1, NOW - D, 0}, 0},
	    {"decision passed, cadence too",
	     {CAT_NOW, true, STEP_DECISION, NOW - 1, NOW - 20 * D, 7},
	     PLAN_CADENCE_EXCEEDED | PLAN_DECISION_PASSED},
	    {"never", {CAT_NEVER, false, 0, 0, NOW - 100 * D, 7}, 0},
	    {"never with passed decision",
	     {CAT_NEVER, true, STEP_DECISION, NOW - D, NOW - 9 * D, 7},
	     0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned got = rules_plan_problems(&cases[i].p, NOW);
		if (got != cases[i].want)
			print_message("plan case \"%s\": %u\n", cases[i].name, got);
		assert_int_equal(got, cases[i].want);
	}
}

static void test_rules__plan_problem_rule(void **state)
{
	assert_string_equal(plan_problem_rule(PLAN_NO_NEXT_STEP), "next_step_missing");
	assert_string_equal(plan_problem_rule(PLAN_CADENCE_EXCEEDED), "cadence_exceeded");
	assert_string_equal(plan_problem_rule(PLAN_DECISION_PASSED), "decision_window_passed");
	assert_null(plan_problem_rule((enum plan_problem)0));
	assert_null(
	    plan_problem_rule((enum plan_problem)(PLAN_NO_NEXT_STEP | PLAN_DECISION_PASSED)));
}

/* rules_plan_alert_at must agree with rules_plan_problems at every moment: no problem before
 * the alert time, a problem at every time after it, and never one when it says -1. */
static void test_rules__plan_alert_at(void **state)
{
	const int64_t T = NOW;
	const struct {
		struct client_plan p;
		int64_t alert; /* relative to T, or -1 */
	} cases[] = {
	    {{.category = CAT_NOW, .has_step = false}, 0},
	    {{.category = CAT_NEVER, .has_step = false}, -1},
	    {{.category = CAT_FUTURE, .has_step = true, .step_kind = STEP_CALL, .step_due = T + D},
	     -1},
	    {{.category = CAT_NOW,
	      .has_step = true,
	      .step_kind = STEP_DECISION,
	      .step_due = T + 2 * D},
	     2 * D},
	    {{.category = CAT_NOW,
	      .has_step = true,
	      .step_kind = STEP_CALL,
	      .step_due = T + 9 * D,
	      .last_contact = T,
	      .cadence_max_days = 7},
	     0},
	    {{.category = CAT_NOW,
	      .has_step = true,
	      .step_kind = STEP_CALL,
	      .step_due = T + 5 * D,
	      .last_contact = T,
	      .cadence_max_days = 7},
	     -1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t a = rules_plan_alert_at(&cases[i].p);
		assert_int_equal(a < 0 ? -1 : a == 0 ? 0 : a - T, cases[i].alert);
		for (int64_t t = T - 3 * D; t <= T + 30 * D; t += 3600) {
			bool problem = rules_plan_problems(&cases[i].p, t) != 0;
			if (a < 0 || t < a)
				assert_false(problem);
			else if (t > a)
				assert_true(problem);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rules__complete_reports_accepted),
	    cmocka_unit_test(test_rules__purpose_missing),
	    cmocka_unit_test(test_rules__courtesy_call_refused),
	    cmocka_unit_test(test_rules__courtesy_call_accepted),
	    cmocka_unit_test(test_rules__courtesy_call_message),
	    cmocka_unit_test(test_rules__courtesy_call_without_phrases),
	    cmocka_unit_test(test_rules__is_courtesy),
	    cmocka_unit_test(test_rules__is_courtesy_edge_phrases),
	    cmocka_unit_test(test_rules__goal_missing),
	    cmocka_unit_test(test_rules__refusal_reason_missing),
	    cmocka_unit_test(test_rules__never_reason_invalid),
	    cmocka_unit_test(test_rules__never_reason_message),
	    cmocka_unit_test(test_rules__next_step_missing),
	    cmocka_unit_test(test_rules__next_step_missing_messages),
	    cmocka_unit_test(test_rules__next_step_vague),
	    cmocka_unit_test(test_rules__next_step_past),
	    cmocka_unit_test(test_rules__decision_window_exceeded),
	    cmocka_unit_test(test_rules__cadence_exceeded),
	    cmocka_unit_test(test_rules__window_messages),
	    cmocka_unit_test(test_rules__order_of_ids),
	    cmocka_unit_test(test_rules__category_after),
	    cmocka_unit_test(test_rules__auto_step),
	    cmocka_unit_test(test_rules__plan_problems),
	    cmocka_unit_test(test_rules__plan_problem_rule),
	    cmocka_unit_test(test_rules__plan_alert_at),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
