/* test_model.c - unit tests of core/model.c: the domain's words both ways, and money read from
 * and written as text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/model.h"

/* One enum's words in order, with its two functions behind a common signature. */
struct vocab_case {
	const char *what;
	const char *(*name)(int v);
	int (*parse)(const char *s);
	int count;
	const char *words[8];
};

/* Adapters from int to each enum, so one table can drive every vocabulary. */
static const char *role_w(int v)
{
	return role_name((enum role)v);
}
static const char *category_w(int v)
{
	return category_name((enum category)v);
}
static const char *step_kind_w(int v)
{
	return step_kind_name((enum step_kind)v);
}
static const char *step_status_w(int v)
{
	return step_status_name((enum step_status)v);
}
static const char *deal_stage_w(int v)
{
	return deal_stage_name((enum deal_stage)v);
}
static const char *contact_kind_w(int v)
{
	return contact_kind_name((enum contact_kind)v);
}
static const char *direction_w(int v)
{
	return direction_name((enum direction)v);
}
static const char *result_w(int v)
{
	return result_name((enum result)v);
}
static const char *never_reason_w(int v)
{
	return never_reason_name((enum never_reason)v);
}

static const struct vocab_case vocabs[] = {
    {"role", role_w, role_parse, ROLE__COUNT, {"rep", "head", "admin"}},
    {"category", category_w, category_parse, CAT__COUNT, {"now", "future", "never"}},
    {"step_kind",
     step_kind_w,
     step_kind_parse,
     STEP__COUNT,
     {"meeting", "visit", "call", "callback", "offer", "invoice", "decision"}},
    {"step_status",
     step_status_w,
     step_status_parse,
     STEP_STATUS__COUNT,
     {"planned", "done", "missed", "cancelled"}},
    {"deal_stage",
     deal_stage_w,
     deal_stage_parse,
     DEAL__COUNT,
     {"offer", "pending", "won", "lost"}},
    {"contact_kind", contact_kind_w, contact_kind_parse, CONTACT__COUNT, {"call", "meeting"}},
    {"direction", direction_w, direction_parse, DIR__COUNT, {"in", "out"}},
    {"result", result_w, result_parse, RESULT__COUNT, {"max", "min", "none"}},
    {"never_reason", never_reason_w, never_reason_parse, NEVER__COUNT, {"closed", "gone"}},
};

static void test_model__names_and_parse_round_trip(void **state)
{
	for (size_t i = 0; i < sizeof(vocabs) / sizeof(vocabs[0]); i++) {
		const struct vocab_case *vc = &vocabs[i];
		for (int v = 0; v < vc->count; v++) {
			const char *w = vc->name(v);
			if (!w || strcmp(w, vc->words[v]) != 0 || vc->parse(vc->words[v]) != v)
				print_message("%s %d\n", vc->what, v);
			assert_string_equal(w, vc->words[v]);
			assert_int_equal(vc->parse(vc->words[v]), v);
		}
		assert_null(vc->words[vc->count]); /* the table lists every word */
		assert_null(vc->name(vc->count));
		assert_null(vc->name(-1));
	}
}

struct parse_case {
	int (*parse)(const char *s);
	const char *s;
	int want;
};

static void test_model__parse_case_and_unknown(void **state)
{
	static const struct parse_case cases[] = {
	    {role_parse, "HEAD", ROLE_HEAD},
	    {category_parse, "Future", CAT_FUTURE},
	    {step_kind_parse, "DECISION", STEP_DECISION},
	    {direction_parse, "Out", DIR_OUT},
	    {never_reason_parse, "GONE", NEVER_GONE},
	    {category_parse, "NEVER", CAT_NEVER}, /* after "now", which begins alike */
	    {step_kind_parse, "Callback", STEP_CALLBACK},
	    {category_parse, "\xceow", -1}, /* a byte that folds to no letter of the words */
	    {role_parse, "", -1},
	    {role_parse, NULL, -1},
	    {role_parse, "boss", -1},
	    {category_parse, "now ", -1},
	    {category_parse, " now", -1},
	    {category_parse, "nowx", -1},
	    {step_kind_parse, "meet", -1},
	    {step_status_parse, "canceled", -1},
	    {deal_stage_parse, "won!", -1},
	    {contact_kind_parse, "email", -1},
	    {result_parse, "maximum", -1},
	    {never_reason_parse, "bankrupt", -1},
	    {never_reason_parse, "закрыт", -1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = cases[i].parse(cases[i].s);
		if (got != cases[i].want)
			print_message("parse case %zu \"%s\"\n", i,
				      cases[i].s ? cases[i].s : "(null)");
		assert_int_equal(got, cases[i].want);
	}
}

/* step_kind_of_bytes takes exactly n bytes, in the stored case: each name alone or inside a
 * longer text, and nothing for a prefix, a longer word, another case or a NUL inside. */
static void test_model__step_kind_of_bytes(void **state)
{
	for (int k = 0; k < STEP__COUNT; k++) {
		const char *name = step_kind_name((enum step_kind)k);
		char text[32];
		snprintf(text, sizeof(text), "%s,1,", name);
		assert_int_equal(step_kind_of_bytes(name, strlen(name)), k);
		assert_int_equal(step_kind_of_bytes(text, strlen(name)), k);
		assert_int_equal(step_kind_of_bytes(text, strlen(name) - 1), -1);
		assert_int_equal(step_kind_of_bytes(text, strlen(name) + 1), -1);
	}
	assert_int_equal(step_kind_of_bytes("CALL", 4), -1);
	assert_int_equal(step_kind_of_bytes("call\0", 5), -1);
	assert_int_equal(step_kind_of_bytes("ca\0l", 4), -1);
	assert_int_equal(step_kind_of_bytes("", 0), -1);
	(void)state;
}

struct money_parse_case {
	const char *s;
	int rc;
	int64_t minor;
};

static void test_model__money_parse(void **state)
{
	static const struct money_parse_case cases[] = {
	    {"0", 0, 0},
	    {"15000", 0, 1500000},
	    {"15000.5", 0, 1500050},
	    {"15000,5", 0, 1500050},
	    {"15000.50", 0, 1500050},
	    {"15 000,50", 0, 1500050},
	    {"15 000.05", 0, 1500005},
	    {"1 234 567,89", 0, 123456789},
	    {"15\u00A0000,50", 0, 1500050}, /* no-break space */
	    {"15\u202F000", 0, 1500000},    /* narrow no-break space */
	    {"007", 0, 700},
	    {"0.01", 0, 1},
	    {"999 999", 0, 99999900},
	    {"10000000000000", 0, 1000000000000000}, /* 10^13: the largest */
	    {"10 000 000 000 000,00", 0, 1000000000000000},
	    {"10000000000000.01", -1, 0},
	    {"10000000000001", -1, 0},
	    {"99999999999999999999999999", -1, 0},
	    {"", -1, 0},
	    {"-5", -1, 0},
	    {"+5", -1, 0},
	    {" 15", -1, 0},
	    {"15 ", -1, 0},
	    {"15.", -1, 0},
	    {".5", -1, 0},
	    {",5", -1, 0},
	    {"15.123", -1, 0},
	    {"1,000.50", -1, 0},
	    {"15 00", -1, 0},
	    {"1 5000", -1, 0},
	    {"1234 567", -1, 0},
	    {"15  000", -1, 0},
	    {"15 000 0", -1, 0},
	    {"1e5", -1, 0},
	    {"15..0", -1, 0},
	    {"15,5,0", -1, 0},
	    {"15.5 0", -1, 0},
	    {"abc", -1, 0},
	    {"15\xC2"
	     "000",
	     -1, 0},
	    {"١٢", -1, 0}, /* Arabic-Indic digits */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t got = -7;
		int rc = money_parse(cases[i].s, &got);
		if (rc != cases[i].rc || (rc == 0 && got != cases[i].minor))
			print_message("money_parse case %zu \"%s\"\n", i, cases[i].s);
		assert_int_equal(rc, cases[i].rc);
		assert_int_equal(got, rc == 0 ? cases[i].minor : -7); /* untouched on failure */
	}
	int64_t v = 0;
	assert_int_equal(money_parse(NULL, &v), -1);
}

struct money_format_case {
	int64_t minor;
	const char *want;
};

static void test_model__money_format(void **state)
{
	static const struct money_format_case cases[] = {
	    {0, "0"},
	    {1, "0.01"},
	    {50, "0.50"},
	    {100, "1"},
	    {1500000, "15000"},
	    {1500050, "15000.50"},
	    {1500005, "15000.05"},
	    {-1, "-0.01"},
	    {-1500050, "-15000.50"},
	    {1000000000000000, "10000000000000"},
	    {INT64_MAX, "92233720368547758.07"},
	    {INT64_MIN, "-92233720368547758.08"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[32];
		money_format(cases[i].minor, out);
		assert_string_equal(out, cases[i].want);
	}
}

static void test_model__money_round_trip(void **state)
{
	static const int64_t values[] = {0, 1, 99, 100, 123456789, 1000000000000000};
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char out[32];
		int64_t back = -1;
		money_format(values[i], out);
		assert_int_equal(money_parse(out, &back), 0);
		assert_int_equal(back, values[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_model__names_and_parse_round_trip),
	    cmocka_unit_test(test_model__parse_case_and_unknown),
	    cmocka_unit_test(test_model__step_kind_of_bytes),
	    cmocka_unit_test(test_model__money_parse),
	    cmocka_unit_test(test_model__money_format),
	    cmocka_unit_test(test_model__money_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
