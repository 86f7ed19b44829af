/* test_phone_fast.c - phone_normalize's fast path against libphonenumber's full Parse: over many
 * generated numbers in the shapes of the imports and the fixtures (Russian, Turkish, Vietnamese,
 * US, German, Italian, non-geographic; national and international; with prefixes that must not
 * be read as such; too short, too long, letters, extensions, garbage; every country code),
 * phone_normalize gives byte for byte the answer of phone_normalize_full, error messages included,
 * its answer reads back to itself, and the fast path alone never answers differently. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "io/phone.h"

static uint64_t rng = 88172645463325252ull;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* digits writes n random digits into s (NUL-terminated). */
static char *digits(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		s[i] = (char)('0' + rnd(10));
	s[n] = 0;
	return s;
}

/* The shapes: "%s" is replaced by random digits of the length after it in the table. */
struct shape {
	const char *fmt;
	int n;
};

static const struct shape shapes[] = {
    /* Russian: the client import's and the CDR file's, and their neighbours */
    {"8 (495) %s", 7},
    {"8 (495) %.3s-%.2s-%.2s", 7},
    {"89%s", 9},
    {"79%s", 9},
    {"+79%s", 9},
    {"+7 9%s", 9},
    {"+7 (495) %s", 7},
    {"+7 8%s", 10},
    {"+7 800 %s", 7},
    {"8 800 %s", 7},
    {"8%s", 10},
    {"7%s", 10},
    {"9%s", 9},
    {"495%s", 7},
    {"810 %s", 11},
    {"8 10 %s", 11},
    {"00 %s", 11},
    {"+7 %s", 10},
    {"+7%s", 11},
    {"+7 7%s", 9},
    {"+7 6%s", 9},
    {"8 7%s", 9},
    /* Turkish */
    {"+90 5%s", 9},
    {"+90 212 %s", 7},
    {"0 5%s", 9},
    {"05%s", 9},
    {"0090 5%s", 9},
    {"90 5%s", 9},
    {"0 212 %s", 7},
    {"5%s", 9},
    {"+90 0%s", 9},
    /* Vietnamese */
    {"+84 9%s", 8},
    {"+84 28 3%s", 7},
    {"09%s", 8},
    {"(028) 3%s", 7},
    {"028 3%s", 7},
    {"0084 9%s", 8},
    {"84 9%s", 8},
    {"+84 3%s", 8},
    {"03%s", 8},
    /* US and others */
    {"(202) 555-%s", 4},
    {"+1 %s", 10},
    {"1%s", 10},
    {"011 44 %s", 10},
    {"+44 %s", 10},
    {"+44 0%s", 10},
    {"+49 %s", 10},
    {"+49 1%s", 9},
    {"0 1%s", 9},
    {"+39 06 %s", 8},
    {"+39 3%s", 9},
    {"+800 %s", 8},
    {"+882 %s", 10},
    {"+999 %s", 7},
    {"+380 %s", 9},
    {"+54 9 %s", 10},
    {"+52 1 %s", 10},
    {"+55 %s", 11},
    {"+7 %s", 9},
    /* short, long, broken */
    {"%s", 1},
    {"%s", 3},
    {"%s", 6},
    {"%s", 7},
    {"%s", 8},
    {"%s", 10},
    {"%s", 11},
    {"%s", 12},
    {"%s", 15},
    {"%s", 17},
    {"%s", 18},
    {"+%s", 7},
    {"+%s", 11},
    {"+%s", 12},
    {"+%s", 16},
    {"+%s", 18},
    {"++7 9%s", 9},
    {"+ 7 9%s", 9},
    {"+7 9%s ext. 5", 9},
    {"+7 9%s доб. 12", 9},
    {"8 9%s #12", 9},
    {"8 9%s x12", 9},
    {"8-9%s-", 9},
    {"(8) 9%s", 9},
    {"  8 9%s  ", 9},
    {"8 9%s abc", 9},
    {"1-800-FLOWERS%s", 0},
    {"tel:+7-9%s", 9},
    {"8.9%s", 9},
    {"8/9%s", 9},
    {"8 9%s / 8 9%s", 9},
    {"8 (9%s", 9},
    {"+7 (9%s) ", 9},
    {"8\t9%s", 9},
    {"+7 ９%s", 9},
    {"-8 9%s", 9},
    {"0%s", 10},
    {"00%s", 11},
    {"000%s", 11},
};
#define N_SHAPES (sizeof(shapes) / sizeof(shapes[0]))

static const char *const regions[] = {"RU", "TR", "VN", "US", "KZ", "DE", "GB", "IT", "UA", "AR"};
#define N_REGIONS (sizeof(regions) / sizeof(regions[0]))

/* same_answer checks input under region both ways; true when the fast path answered. */
static bool same_answer(const char *input, const char *region)
{
	char full[PHONE_E164_MAX] = "x", got[PHONE_E164_MAX] = "y", fast[PHONE_E164_MAX] = "z";
	struct nc_err fe, ge;
	nc_err_clear(&fe);
	nc_err_clear(&ge);
	int frc = phone_normalize_full(input, region, full, "phone", &fe);
	int grc = phone_normalize(input, region, got, "phone", &ge);
	if (frc != grc || strcmp(full, got) != 0 || fe.code != ge.code ||
	    strcmp(fe.msg, ge.msg) != 0 || strcmp(fe.field, ge.field) != 0)
		fail_msg("\"%s\" in %s: full %d \"%s\" (%s), fast path %d \"%s\" (%s)", input,
			 region, frc, full, fe.msg, grc, got, ge.msg);
	/* a stored number reads back to itself (the fast path may skip that second parse) */
	char again[PHONE_E164_MAX];
	if (grc == 0 &&
	    (phone_normalize(got, region, again, "phone", NULL) != 0 || strcmp(again, got) != 0))
		fail_msg("\"%s\" in %s: gave %s, which reads as %s", input, region, got, again);
	bool answered = phone_normalize_fast(input, region, fast);
	if (answered && (frc != 0 || strcmp(fast, full) != 0))
		fail_msg("\"%s\" in %s: full %d \"%s\", fast path alone \"%s\"", input, region, frc,
			 full, fast);
	if (!answered && fast[0])
		fail_msg("\"%s\" in %s: declined but wrote \"%s\"", input, region, fast);
	return answered;
}

/* test_phone_fast__same_as_full: every shape, 25 numbers each, under every region. */
static void test_phone_fast__same_as_full(void **state)
{
	(void)state;
	size_t answered = 0, total = 0, ok = 0;
	for (size_t s = 0; s < N_SHAPES; s++) {
		for (int k = 0; k < 25; k++) {
			char d[32], d2[32], in[128];
			digits(d, (size_t)shapes[s].n);
			digits(d2, (size_t)shapes[s].n);
			const char *f = shapes[s].fmt;
			if (strstr(f, "%.3s"))
				snprintf(in, sizeof(in), f, d, d + 3, d + 5);
			else
				snprintf(in, sizeof(in), f, d, d2);
			for (size_t r = 0; r < N_REGIONS; r++) {
				char out[PHONE_E164_MAX];
				ok += phone_normalize_full(in, regions[r], out, NULL, NULL) == 0;
				answered += same_answer(in, regions[r]);
				total++;
			}
		}
	}
	/* the fast path is not idle: most valid numbers are answered by it */
	print_message("%zu inputs, %zu valid, %zu answered by the fast path\n", total, ok,
		      answered);
	assert_true(answered > ok / 2);
}

/* test_phone_fast__every_country_code: "+CC" and random national numbers of 7 to 11 digits for
 * every country code 1 to 999 (shared codes, non-geographic ones, unknown ones). */
static void test_phone_fast__every_country_code(void **state)
{
	(void)state;
	size_t answered = 0;
	for (int cc = 1; cc < 1000; cc++)
		for (size_t len = 7; len <= 11; len++)
			for (int k = 0; k < 2; k++) {
				char d[16], in[32];
				snprintf(in, sizeof(in), k ? "+%d %s" : "+%d%s", cc,
					 digits(d, len));
				answered += same_answer(in, cc % 2 ? "RU" : "VN");
			}
	print_message("%zu answered by the fast path\n", answered);
	assert_true(answered > 0);
}

/* test_phone_fast__import_shapes: the numbers of bench/import_files.py all take the fast path. */
static void test_phone_fast__import_shapes(void **state)
{
	(void)state;
	static const struct {
		const char *fmt, *region;
	} imp[] = {
	    {"8 (495) %03u-%02u-%02u", "RU"}, {"+90 212 %03u %02u %02u", "RU"},
	    {"+84 28 3%03u %02u%02u", "RU"},  {"8495%03u%02u%02u", "RU"},
	    {"+7495%03u%02u%02u", "RU"},
	};
	for (size_t i = 0; i < sizeof(imp) / sizeof(imp[0]); i++)
		for (unsigned v = 0; v < 200; v++) {
			unsigned x = v * 7919u + 1234567u;
			char in[64];
			snprintf(in, sizeof(in), imp[i].fmt, x / 10000 % 1000, x / 100 % 100,
				 x % 100);
			if (!same_answer(in, imp[i].region))
				fail_msg("\"%s\" did not take the fast path", in);
		}
}

/* test_phone_fast__fixtures: the known answers hold on both paths. */
static void test_phone_fast__fixtures(void **state)
{
	(void)state;
	static const char *const in[][3] = {
	    {"8 (912) 345-67-89", "RU", "+79123456789"},
	    {"+7 912 345-67-89", "RU", "+79123456789"},
	    {"912 345 67 89", "RU", "+79123456789"},
	    {"8 800 555 35 35", "RU", "+78005553535"},
	    {"0532 123 45 67", "TR", "+905321234567"},
	    {"+90 532 123 45 67", "TR", "+905321234567"},
	    {"091 234 56 78", "VN", "+84912345678"},
	    {"+84 91 234 56 78", "VN", "+84912345678"},
	    {"(202) 555-0143", "US", "+12025550143"},
	    {"+7 912 345 67 89", "US", "+79123456789"},
	};
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		char out[PHONE_E164_MAX];
		same_answer(in[i][0], in[i][1]);
		assert_int_equal(phone_normalize(in[i][0], in[i][1], out, NULL, NULL), 0);
		assert_string_equal(out, in[i][2]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_phone_fast__same_as_full),
	    cmocka_unit_test(test_phone_fast__every_country_code),
	    cmocka_unit_test(test_phone_fast__import_shapes),
	    cmocka_unit_test(test_phone_fast__fixtures),
	};
	return cmocka_run_group_tests_name("phone_fast", tests, NULL, NULL) ? 1 : 0;
}
