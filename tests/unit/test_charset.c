/* test_charset.c - detection of UTF-8 and Windows-1251 and conversion of both to clean UTF-8,
 * with Russian text as Excel saves it and hostile bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "io/charset.h"

#define S(lit) lit, sizeof(lit) - 1 /* a literal with its length, NUL bytes included */

struct conv_case {
	const char *name;
	enum charset from;
	const char *in;
	size_t n;
	const char *out;
};

static const struct conv_case conv_cases[] = {
    {"test_charset__cp1251_ivanov_yolka", CHARSET_CP1251,
     S("\xC8\xE2\xE0\xED\xEE\xE2;\xA8\xEB\xEA\xE0"), "Иванов;Ёлка"},
    {"test_charset__cp1251_alphabet", CHARSET_CP1251,
     S("\xC0\xC1\xC2\xC3\xC4\xC5\xC6\xC7\xC8\xC9\xCA\xCB\xCC\xCD\xCE\xCF"
       "\xD0\xD1\xD2\xD3\xD4\xD5\xD6\xD7\xD8\xD9\xDA\xDB\xDC\xDD\xDE\xDF"
       "\xE0\xE1\xE2\xE3\xE4\xE5\xE6\xE7\xE8\xE9\xEA\xEB\xEC\xED\xEE\xEF"
       "\xF0\xF1\xF2\xF3\xF4\xF5\xF6\xF7\xF8\xF9\xFA\xFB\xFC\xFD\xFE\xFF"),
     "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя"},
    {"test_charset__cp1251_yo", CHARSET_CP1251, S("\xA8\xB8"), "Ёё"},
    {"test_charset__cp1251_punctuation", CHARSET_CP1251,
     S("\xAB\xBB \x96 \x97 \xB9 5 \x85 \x93\x94 \x91\x92 \x84\x82 \x95 \x99 \x88 \xB0 \xB1 \xA7"),
     "«» – — № 5 … “” ‘’ „‚ • ™ € ° ± §"},
    {"test_charset__cp1251_nbsp_and_soft_hyphen", CHARSET_CP1251, S("x\xA0y\xADz"),
     "x\xC2\xA0y\xC2\xADz"},
    {"test_charset__cp1251_ukrainian_belarusian", CHARSET_CP1251,
     S("\xAA\xBA\xAF\xBF\xB2\xB3\xA5\xB4\xA1\xA2"), "ЄєЇїІіҐґЎў"},
    {"test_charset__cp1251_serbian_macedonian", CHARSET_CP1251,
     S("\x80\x90\x81\x83\x8A\x9A\x8C\x9C\x8D\x9D\x8E\x9E\x8F\x9F\xA3\xBC\xBD\xBE"),
     "ЂђЃѓЉљЊњЌќЋћЏџЈјЅѕ"},
    {"test_charset__cp1251_undefined_0x98", CHARSET_CP1251, S("a\x98z"), "a\uFFFDz"},
    {"test_charset__cp1251_ascii_kept", CHARSET_CP1251, S("name;phone\r\n\"x\"\t1"),
     "name;phone\r\n\"x\"\t1"},
    {"test_charset__cp1251_nul_replaced", CHARSET_CP1251, S("a\0b"), "a\uFFFDb"},
    {"test_charset__cp1251_bom_dropped", CHARSET_CP1251, S("\xEF\xBB\xBF\xC0"), "А"},
    {"test_charset__utf8_passthrough", CHARSET_UTF8, S("Иванов;Ёлка 😀 ı İ ş ệ"),
     "Иванов;Ёлка 😀 ı İ ş ệ"},
    {"test_charset__utf8_bom_dropped", CHARSET_UTF8, S("\xEF\xBB\xBFname;phone"), "name;phone"},
    {"test_charset__utf8_only_bom", CHARSET_UTF8, S("\xEF\xBB\xBF"), ""},
    {"test_charset__utf8_inner_bom_kept", CHARSET_UTF8, S("a\xEF\xBB\xBF"), "a\xEF\xBB\xBF"},
    {"test_charset__utf8_empty", CHARSET_UTF8, S(""), ""},
    {"test_charset__utf8_invalid_byte", CHARSET_UTF8, S("a\xFFz"), "a\uFFFDz"},
    {"test_charset__utf8_latin1_byte", CHARSET_UTF8, S("caf\xE9!"), "caf\uFFFD!"},
    {"test_charset__utf8_lone_continuation", CHARSET_UTF8, S("\x80\xBF"), "\uFFFD\uFFFD"},
    {"test_charset__utf8_truncated_at_end", CHARSET_UTF8, S("ab\xE2\x82"), "ab\uFFFD"},
    {"test_charset__utf8_truncated_then_ascii", CHARSET_UTF8, S("\xE2\x82Z\xD0"), "\uFFFDZ\uFFFD"},
    {"test_charset__utf8_overlong", CHARSET_UTF8, S("\xC0\xAF\xE0\x80\xAF"),
     "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD"},
    {"test_charset__utf8_surrogate", CHARSET_UTF8, S("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD"},
    {"test_charset__utf8_above_max", CHARSET_UTF8, S("\xF4\x90\x80\x80\xF5"),
     "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD"},
    {"test_charset__utf8_max_code_point", CHARSET_UTF8, S("\xF4\x8F\xBF\xBF"), "\xF4\x8F\xBF\xBF"},
    {"test_charset__utf8_nul_replaced", CHARSET_UTF8, S("a\0b"), "a\uFFFDb"},
    {"test_charset__auto_cp1251", CHARSET_AUTO, S("\xCF\xF0\xE8\xE2\xE5\xF2"), "Привет"},
    {"test_charset__auto_utf8", CHARSET_AUTO, S("Привет"), "Привет"},
};

struct detect_case {
	const char *in;
	size_t n;
	enum charset want;
};

static const struct detect_case detect_cases[] = {
    {S(""), CHARSET_UTF8},
    {S("name,phone\n"), CHARSET_UTF8},
    {S("Иванов;Ёлка"), CHARSET_UTF8},
    {S("\xEF\xBB\xBF"), CHARSET_UTF8},
    {S("\xEF\xBB\xBF\xC8\xE2\xE0\xED"), CHARSET_UTF8}, /* a BOM decides, whatever follows */
    {S("\xC8\xE2\xE0\xED\xEE\xE2"), CHARSET_CP1251},   /* "Иванов" in cp1251 */
    {S("ok so far \xB9"), CHARSET_CP1251},	       /* "№" at the end */
    {S("\xD0\xB0"), CHARSET_UTF8},		       /* cp1251 "Р°" is also UTF-8 "а" */
    {S("\xED\xA0\x80"), CHARSET_CP1251},	       /* a surrogate is not UTF-8 */
    {S("\xC0\xAF"), CHARSET_CP1251},		       /* neither is an overlong */
    {S("\xF0\x9F\x98\x80"), CHARSET_UTF8},
    {S("\xF0\x9F\x98"), CHARSET_CP1251}, /* truncated */
};

struct name_case {
	const char *s;
	int want;
};

static const struct name_case name_cases[] = {
    {"auto", CHARSET_AUTO},
    {"utf-8", CHARSET_UTF8},
    {"UTF-8", CHARSET_UTF8},
    {"utf8", CHARSET_UTF8},
    {"cp1251", CHARSET_CP1251},
    {"CP1251", CHARSET_CP1251},
    {"windows-1251", CHARSET_CP1251},
    {"Windows-1251", CHARSET_CP1251},
    {"latin1", -1},
    {"", -1},
    {"utf-16", -1},
    {NULL, -1},
};

static void run_conv(void **state)
{
	const struct conv_case *c = *state;
	struct buf out;
	buf_init(&out, 0);
	charset_to_utf8(c->from, c->in, c->n, &out);
	assert_false(buf_failed(&out));
	assert_int_equal(out.len, strlen(c->out));
	assert_string_equal(out.data, c->out);
	/* the output is always UTF-8 */
	assert_int_equal(charset_detect(out.data, out.len), CHARSET_UTF8);
	buf_release(&out);
}

static void test_charset__detect(void **state)
{
	for (size_t i = 0; i < sizeof(detect_cases) / sizeof(detect_cases[0]); i++) {
		const struct detect_case *c = &detect_cases[i];
		enum charset got = charset_detect(c->in, c->n);
		if (got != c->want)
			fail_msg("case %zu: got %s, want %s", i, charset_name(got),
				 charset_name(c->want));
	}
}

static void test_charset__parse_and_name(void **state)
{
	for (size_t i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++) {
		const struct name_case *c = &name_cases[i];
		if (charset_parse(c->s) != c->want)
			fail_msg("\"%s\": got %d, want %d", c->s ? c->s : "(null)",
				 charset_parse(c->s), c->want);
	}
	assert_string_equal(charset_name(CHARSET_AUTO), "auto");
	assert_string_equal(charset_name(CHARSET_UTF8), "utf-8");
	assert_string_equal(charset_name(CHARSET_CP1251), "cp1251");
	for (int c = CHARSET_AUTO; c <= CHARSET_CP1251; c++)
		assert_int_equal(charset_parse(charset_name((enum charset)c)), c);
}

static void test_charset__cap_is_sticky(void **state)
{
	struct buf out;
	buf_init(&out, 8);
	/* 6 Cyrillic letters need 12 bytes */
	charset_to_utf8(CHARSET_CP1251, "\xC8\xE2\xE0\xED\xEE\xE2", 6, &out);
	assert_true(buf_failed(&out));
	assert_true(out.len <= 8);
	buf_release(&out);
}

static void test_charset__appends(void **state)
{
	struct buf out;
	buf_init(&out, 0);
	buf_adds(&out, "x=");
	charset_to_utf8(CHARSET_CP1251, "\xDF", 1, &out);
	charset_to_utf8(CHARSET_UTF8, "\xEF\xBB\xBF!", 4, &out);
	assert_string_equal(out.data, "x=Я!");
	buf_release(&out);
}

#define N_CONV (sizeof(conv_cases) / sizeof(conv_cases[0]))

int main(void)
{
	struct CMUnitTest tests[N_CONV + 4];
	size_t n = 0;
	for (size_t i = 0; i < N_CONV; i++)
		tests[n++] = (struct CMUnitTest){.name = conv_cases[i].name,
						 .test_func = run_conv,
						 .initial_state = (void *)&conv_cases[i]};
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_charset__detect);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_charset__parse_and_name);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_charset__cap_is_sticky);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_charset__appends);
	return cmocka_run_group_tests_name("charset", tests, NULL, NULL) ? 1 : 0;
}
