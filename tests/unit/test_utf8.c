/* test_utf8.c - unit tests of util/utf8.c: validation, folding for matching in the languages our
 * clients write in, cutting at character boundaries, blank detection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/utf8.h"

struct valid_case {
	const char *s;
	size_t n;
	bool want;
};

static void test_utf8__valid(void **state)
{
	static const struct valid_case cases[] = {
	    {"", 0, true},
	    {"hello", 5, true},
	    {"Звонок", 12, true},
	    {"\xF0\x9F\x98\x80", 4, true},  /* U+1F600 */
	    {"\xEF\xBF\xBF", 3, true},	    /* U+FFFF */
	    {"\xF4\x8F\xBF\xBF", 4, true},  /* U+10FFFF */
	    {"\xC3", 1, false},		    /* cut short */
	    {"\xE2\x82", 2, false},	    /* cut short */
	    {"\x80", 1, false},		    /* lone continuation byte */
	    {"\xC0\xAF", 2, false},	    /* overlong '/' */
	    {"\xC1\xBF", 2, false},	    /* overlong */
	    {"\xE0\x80\xAF", 3, false},	    /* overlong */
	    {"\xF0\x80\x80\xAF", 4, false}, /* overlong */
	    {"\xED\xA0\x80", 3, false},	    /* surrogate U+D800 */
	    {"\xED\xBF\xBF", 3, false},	    /* surrogate U+DFFF */
	    {"\xF4\x90\x80\x80", 4, false}, /* U+110000 */
	    {"\xF5\x80\x80\x80", 4, false}, /* no such lead byte */
	    {"\xFF", 1, false},
	    {"a\0b", 3, false}, /* NUL inside */
	    {"abé", 3, false},	/* n cuts é in two */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool got = utf8_valid(cases[i].s, cases[i].n);
		if (got != cases[i].want)
			print_message("valid case %zu\n", i);
		assert_int_equal(got, cases[i].want);
	}
}

struct fold_case {
	const char *in;
	const char *want;
};

static void check_fold(const struct fold_case *cases, size_t n)
{
	struct buf b;
	buf_init(&b, 0);
	for (size_t i = 0; i < n; i++) {
		buf_reset(&b);
		utf8_fold(cases[i].in, strlen(cases[i].in), &b);
		if (strcmp(b.data, cases[i].want) != 0)
			print_message("fold case %zu: \"%s\"\n", i, cases[i].in);
		assert_string_equal(b.data, cases[i].want);
		assert_int_equal(b.len, strlen(cases[i].want));
	}
	buf_release(&b);
}

static void test_utf8__fold_spaces_and_punctuation(void **state)
{
	static const struct fold_case cases[] = {
	    {"", ""},
	    {"   ", ""},
	    {"!!!", ""},
	    {"Hello, World!", "hello world"},
	    {"  Just   checking\tin!!\r\n", "just checking in"},
	    {"just-checking_in", "just checking in"},
	    {"Call 2 at 10:30", "call 2 at 10 30"},
	    {"a—b…c", "a b c"},
	    {"«quoted»", "quoted"},
	    {"№5", "5"},
	    {"100€", "100"},
	    {"2×3÷4", "2 3 4"},
	    {"a\u00A0b", "a b"},	       /* no-break space */
	    {"a\u200Bb", "a b"},	       /* zero width space separates */
	    {"wo\u00ADrd", "word"},	       /* soft hyphen is dropped */
	    {"a\u200Db", "ab"},		       /* zero width joiner is dropped */
	    {"\uFEFFbom", "bom"},	       /* byte order mark */
	    {"hi\U0001F600there", "hi there"}, /* emoji */
	    {"ok\U0001F44D\U0001F3FD", "ok"},  /* thumbs up, skin tone */
	    {"<script>alert(1)</script>", "script alert 1 script"},
	    {"'; DROP TABLE clients; --", "drop table clients"},
	};
	check_fold(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_utf8__fold_latin(void **state)
{
	static const struct fold_case cases[] = {
	    {"ABCXYZ abcxyz", "abcxyz abcxyz"},
	    {"ÀÉÎÕÜÝÞ", "àéîõüýþ"},
	    {"Straße", "straße"}, /* ß is small already */
	    {"ẞ", "ß"},
	    {"Ÿ", "ÿ"},
	    {"ŁÓŹŻ ČŠŽ ŇĿ", "łóźż čšž ňŀ"},
	    {"ĞŞÇÖÜ", "ğşçöü"},
	    {"ȘȚ", "șț"},
	    {"ǍǛǞȲ", "ǎǜǟȳ"},
	    {"Ə", "ə"},		    /* Azerbaijani */
	    {"ſ", "s"},		    /* long s */
	    {"e\u0301", "e\u0301"}, /* a combining accent stays in its word */
	    {"Ａ，Ｂ", "Ａ Ｂ"},    /* no width folding */
	};
	check_fold(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_utf8__fold_turkish(void **state)
{
	static const struct fold_case cases[] = {
	    {"NEZAKET ARAMASI", "nezaket aramasi"},
	    {"nezaket araması", "nezaket aramasi"},
	    {"NEZAKET ARAMASİ", "nezaket aramasi"},
	    {"İSTANBUL", "istanbul"},
	    {"ıİIi", "iiii"},
	};
	check_fold(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_utf8__fold_vietnamese(void **state)
{
	static const struct fold_case cases[] = {
	    {"Cuộc Gọi Xã Giao", "cuộc gọi xã giao"},
	    {"CUỘC GỌI XÃ GIAO", "cuộc gọi xã giao"},
	    {"ƠN ƯỚC", "ơn ước"}, /* Ơ U+01A0, Ư U+01AF, Ớ U+1EDA */
	    {"ĐÀ NẴNG", "đà nẵng"},
	    {"ḀỸ", "ḁỹ"}, /* the ends of Latin Extended Additional */
	    {"ẖ", "ẖ"},	  /* small only */
	};
	check_fold(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_utf8__fold_cyrillic_greek(void **state)
{
	static const struct fold_case cases[] = {
	    {"  ЗВОНОК  Вежливости! ", "звонок вежливости"},
	    {"Ёлка ЁЖ", "елка еж"},
	    {"ё", "е"},
	    {"ЀЃЄЅІЇЈЉЊЋЌЍЎЏ", "ѐѓєѕіїјљњћќѝўџ"},
	    {"Ѣ Ґ Қ Ү Һ", "ѣ ґ қ ү һ"},
	    {"Ӏ Ӂ Ӎ Ӑ Ә Ө", "ӏ ӂ ӎ ӑ ә ө"},
	    {"҂5", "5"}, /* the thousands sign is no letter */
	    {"ΟΔΥΣΣΕΥΣ Ά Έ Ό Ώ", "οδυσσευσ ά έ ό ώ"},
	    {"λόγος", "λόγοσ"},	 /* final sigma matches sigma */
	    {"α\u037Eβ", "α β"}, /* Greek question mark */
	};
	check_fold(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_utf8__fold_other_scripts(void **state)
{
	static const struct fold_case cases[] = {
	    {"你好，世界。", "你好 世界"},
	    {"مرحبا، عالم", "مرحبا عالم"},
	    {"\uE000x", "x"}, /* private use */
	};
	check_fold(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_utf8__fold_invalid_bytes_dropped(void **state)
{
	struct {
		const char *in;
		size_t n;
		const char *want;
	} cases[] = {
	    {"ab\xFF"
	     "cd",
	     5, "abcd"},
	    {"a\xC3", 2, "a"},
	    {"\xC0\xAFx", 3, "x"},
	    {"\xED\xA0\x80x", 4, "x"},
	    {"\x80\x80 A", 4, "a"},
	    {"a\0b", 3, "a b"}, /* NUL separates like any control character */
	};
	struct buf b;
	buf_init(&b, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		utf8_fold(cases[i].in, cases[i].n, &b);
		if (strcmp(b.data, cases[i].want) != 0)
			print_message("invalid bytes case %zu\n", i);
		assert_string_equal(b.data, cases[i].want);
		assert_true(utf8_valid(b.data, b.len));
	}
	buf_release(&b);
}

static void test_utf8__fold_appends(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	buf_adds(&b, "x|");
	utf8_fold(" A B ", 5, &b);
	assert_string_equal(b.data, "x|a b");
	buf_release(&b);
}

/* A long input crosses the fold's internal chunk many times, at every byte offset. */
static void test_utf8__fold_long_input(void **state)
{
	static const char unit[] = "ЗВОНОК, A! ";
	static const char want_unit[] = "звонок a";
	const size_t reps = 20000;
	struct buf in, out, want;
	buf_init(&in, 0);
	buf_init(&out, 0);
	buf_init(&want, 0);
	for (size_t i = 0; i < reps; i++) {
		buf_adds(&in, unit);
		if (i)
			buf_addc(&want, ' ');
		buf_adds(&want, want_unit);
	}
	utf8_fold(in.data, in.len, &out);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);
	buf_release(&in);
	buf_release(&out);
	buf_release(&want);
}

static void test_utf8__fold_respects_cap(void **state)
{
	struct buf b;
	buf_init(&b, 4);
	utf8_fold("abcdefgh", 8, &b);
	assert_true(buf_failed(&b));
	buf_release(&b);
}

struct prefix_case {
	const char *s;
	size_t n, max, want;
};

static void test_utf8__prefix_len(void **state)
{
	static const struct prefix_case cases[] = {
	    {"hello", 5, 10, 5},
	    {"hello", 5, 5, 5},
	    {"hello", 5, 3, 3},
	    {"hello", 5, 0, 0},
	    {"héllo", 6, 1, 1},
	    {"héllo", 6, 2, 1},
	    {"héllo", 6, 3, 3},
	    {"€", 3, 2, 0},
	    {"€", 3, 1, 0},
	    {"€", 3, 3, 3},
	    {"\U0001F600x", 5, 3, 0},
	    {"\U0001F600x", 5, 4, 4},
	    {"\x80\x80\x80\x80\x80", 5, 4, 4}, /* not UTF-8: nothing to keep whole */
	    {"a\x80\x80", 3, 2, 2},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t got = utf8_prefix_len(cases[i].s, cases[i].n, cases[i].max);
		if (got != cases[i].want)
			print_message("prefix case %zu\n", i);
		assert_int_equal(got, cases[i].want);
	}
}

struct blank_case {
	const char *s;
	bool want;
};

static void test_utf8__is_blank(void **state)
{
	static const struct blank_case cases[] = {
	    {NULL, true},
	    {"", true},
	    {" \t\r\n\v\f", true},
	    {"\xC2\xA0 \xC2\xA0", true},
	    {" x ", false},
	    {".", false},
	    {"\xC2", false},
	    {"\xE3\x80\x80", false}, /* ideographic space: not in the contract */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool got = utf8_is_blank(cases[i].s);
		if (got != cases[i].want)
			print_message("blank case %zu\n", i);
		assert_int_equal(got, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8__valid),
	    cmocka_unit_test(test_utf8__fold_spaces_and_punctuation),
	    cmocka_unit_test(test_utf8__fold_latin),
	    cmocka_unit_test(test_utf8__fold_turkish),
	    cmocka_unit_test(test_utf8__fold_vietnamese),
	    cmocka_unit_test(test_utf8__fold_cyrillic_greek),
	    cmocka_unit_test(test_utf8__fold_other_scripts),
	    cmocka_unit_test(test_utf8__fold_invalid_bytes_dropped),
	    cmocka_unit_test(test_utf8__fold_appends),
	    cmocka_unit_test(test_utf8__fold_long_input),
	    cmocka_unit_test(test_utf8__fold_respects_cap),
	    cmocka_unit_test(test_utf8__prefix_len),
	    cmocka_unit_test(test_utf8__is_blank),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
