/* test_phone.c - phone numbers as people write them in Russia, Turkey, Vietnam and the US,
 * normalized to E.164 or refused with a message naming the field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "io/phone.h"

struct ok_case {
	const char *name, *input, *region, *e164;
};

static const struct ok_case ok_cases[] = {
    {"test_phone__ru_national_8", "8 (912) 345-67-89", "RU", "+79123456789"},
    {"test_phone__ru_plus", "+7 912 345-67-89", "RU", "+79123456789"},
    {"test_phone__ru_without_prefix", "912 345 67 89", "RU", "+79123456789"},
    {"test_phone__ru_moscow", "+7 (495) 123-45-67", "RU", "+74951234567"},
    {"test_phone__ru_toll_free", "8 800 555 35 35", "RU", "+78005553535"},
    {"test_phone__ru_idd_810", "810 90 532 123 45 67", "RU", "+905321234567"},
    {"test_phone__ru_idd_00", "00 90 532 123 45 67", "RU", "+905321234567"},
    {"test_phone__ru_spaces_around", "  +7 912 345 67 89  ", "RU", "+79123456789"},
    {"test_phone__tr_national_0", "0532 123 45 67", "TR", "+905321234567"},
    {"test_phone__tr_plus", "+90 532 123 45 67", "TR", "+905321234567"},
    {"test_phone__tr_idd_00", "0090 532 123 45 67", "TR", "+905321234567"},
    {"test_phone__tr_istanbul", "0 212 555 12 34", "TR", "+902125551234"},
    {"test_phone__vn_plus", "+84 91 234 56 78", "VN", "+84912345678"},
    {"test_phone__vn_national_0", "091 234 56 78", "VN", "+84912345678"},
    {"test_phone__vn_idd_00", "0084 91 234 56 78", "VN", "+84912345678"},
    {"test_phone__vn_hcmc_landline", "(028) 3825 1234", "VN", "+842838251234"},
    {"test_phone__us_parens", "(202) 555-0143", "US", "+12025550143"},
    {"test_phone__us_plus", "+1 202 555 0143", "US", "+12025550143"},
    {"test_phone__us_idd_011", "011 44 20 7946 0958", "US", "+442079460958"},
    {"test_phone__us_idd_00", "00 44 20 7946 0958", "US", "+442079460958"},
    {"test_phone__us_vanity", "1-800-FLOWERS", "US", "+18003569377"},
    {"test_phone__us_rfc3966", "tel:+1-202-555-0143", "US", "+12025550143"},
    {"test_phone__other_country_plus", "+7 912 345 67 89", "US", "+79123456789"},
};

struct bad_case {
	const char *name, *input, *region, *field, *msg;
};

static const struct bad_case bad_cases[] = {
    {"test_phone__letters_refused", "abc", "RU", NULL,
     "phone: invalid phone number \"abc\" for region RU (not a phone number)"},
    {"test_phone__empty_refused", "", "RU", NULL,
     "phone: invalid phone number \"\" for region RU (not a phone number)"},
    {"test_phone__too_short_refused", "12", "RU", NULL,
     "phone: invalid phone number \"12\" for region RU (too short)"},
    {"test_phone__too_long_refused", "+7 912 345 67 89 12345", "RU", NULL,
     "phone: invalid phone number \"+7 912 345 67 89 12345\" for region RU (too long)"},
    {"test_phone__wrong_length_refused", "+7 912 345 67 89 1", "RU", NULL,
     "phone: invalid phone number \"+7 912 345 67 89 1\" for region RU (wrong number of digits)"},
    {"test_phone__local_only_refused", "555-0143", "US", NULL,
     "phone: invalid phone number \"555-0143\" for region US (area code missing)"},
    {"test_phone__unused_range_refused", "+7 000 000 00 00", "RU", NULL,
     "phone: invalid phone number \"+7 000 000 00 00\" for region RU (no such number range)"},
    {"test_phone__unknown_country_code_refused", "+999 1234567", "RU", NULL,
     "phone: invalid phone number \"+999 1234567\" for region RU (unknown country code)"},
    {"test_phone__name_after_number_refused", "8 912 345 67 89 Иван", "RU", "mobile",
     "mobile: invalid phone number \"8 912 345 67 89 Иван\" for region RU (not a phone number)"},
    {"test_phone__extension_refused", "+1 202 555 0143 ext. 5", "US", NULL,
     "phone: invalid phone number \"+1 202 555 0143 ext. 5\" for region US "
     "(extensions are not supported)"},
    {"test_phone__crlf_refused", "+7 912 345 67 89\r\n", "RU", "phone",
     "phone: invalid phone number \"+7 912 345 67 89??\" for region RU "
     "(control character or invalid UTF-8)"},
    {"test_phone__invalid_utf8_refused", "\xff\xfe 123", "RU", NULL,
     "phone: invalid phone number \"\uFFFD\uFFFD 123\" for region RU "
     "(control character or invalid UTF-8)"},
    {"test_phone__over_64_bytes_refused",
     "+7 912 345 67 89 +7 912 345 67 89 +7 912 345 67 89 +7 912 345 67 89", "RU", NULL,
     "phone: invalid phone number \"+7 912 345 67 89 +7 912 345 67 89 +7 912 345 67 89 +7 912 "
     "345 67...\" for region RU (longer than 64 bytes)"},
    {"test_phone__unknown_region_refused", "+7 912 345 67 89", "XX", "client_phone",
     "client_phone: unknown region \"XX\""},
    {"test_phone__lowercase_region_refused", "8 912 345 67 89", "ru", NULL,
     "phone: unknown region \"ru\""},
    {"test_phone__empty_region_refused", "8 912 345 67 89", "", NULL, "phone: unknown region \"\""},
    {"test_phone__null_region_refused", "8 912 345 67 89", NULL, NULL,
     "phone: unknown region \"\""},
    /* found by fuzz_phone: libphonenumber holds these German numbers valid, E.164 does not */
    {"test_phone__over_15_digits_refused", "00 495 1007 495 672048", "GB", NULL,
     "phone: invalid phone number \"00 495 1007 495 672048\" for region GB "
     "(more than 15 digits)"},
    {"test_phone__under_7_digits_refused", "01684", "DE", NULL,
     "phone: invalid phone number \"01684\" for region DE (too short)"},
};

struct region_case {
	const char *region;
	bool valid;
};

static const struct region_case region_cases[] = {
    {"RU", true},  {"TR", true},   {"VN", true},  {"US", true},	  {"DE", true}, {"XX", false},
    {"ZZ", false}, {"001", false}, {"ru", false}, {"RUS", false}, {"", false},	{NULL, false},
};

static void run_ok(void **state)
{
	const struct ok_case *c = *state;
	char out[PHONE_E164_MAX];
	struct nc_err err;
	nc_err_clear(&err);
	int rc = phone_normalize(c->input, c->region, out, "phone", &err);
	if (rc != 0)
		print_error("%s: %s\n", c->name, err.msg);
	assert_int_equal(rc, 0);
	assert_string_equal(out, c->e164);
	assert_int_equal(err.code, NC_OK);
}

static void run_bad(void **state)
{
	const struct bad_case *c = *state;
	char out[PHONE_E164_MAX] = "unchanged";
	struct nc_err err;
	nc_err_clear(&err);
	assert_int_equal(phone_normalize(c->input, c->region, out, c->field, &err), -1);
	assert_int_equal(err.code, NC_EINVAL);
	assert_string_equal(err.msg, c->msg);
	assert_string_equal(err.field, c->field ? c->field : "");
	assert_string_equal(out, "");
	assert_null(strpbrk(err.msg, "\r\n"));
}

static void test_phone__region_valid(void **state)
{
	for (size_t i = 0; i < sizeof(region_cases) / sizeof(region_cases[0]); i++) {
		const struct region_case *c = &region_cases[i];
		if (phone_region_valid(c->region) != c->valid)
			fail_msg("region \"%s\": expected %d", c->region ? c->region : "(null)",
				 c->valid);
	}
}

static void test_phone__null_err_allowed(void **state)
{
	char out[PHONE_E164_MAX];
	assert_int_equal(phone_normalize("abc", "RU", out, NULL, NULL), -1);
	assert_int_equal(phone_normalize(NULL, "RU", out, NULL, NULL), -1);
	assert_int_equal(phone_normalize("8 912 345 67 89", "RU", out, NULL, NULL), 0);
	assert_string_equal(out, "+79123456789");
}

/* A number reads back to itself: Mexico's mobile "1" removed once left another (fuzz_phone:
 * "+5 2119222112556" gave +5219222112556, which reads as +529222112556), on both paths. */
static void test_phone__reads_back_to_itself(void **state)
{
	static const char *const regions[] = {"RU", "TR", "VN", "US", "KZ", "GB", "DE", "UA"};
	char out[PHONE_E164_MAX], again[PHONE_E164_MAX], fast[PHONE_E164_MAX];
	assert_int_equal(phone_normalize("+5 2119222112556", "RU", out, "phone", NULL), 0);
	assert_string_equal(out, "+529222112556");
	assert_int_equal(phone_normalize_full("+5 2119222112556", "RU", again, "phone", NULL), 0);
	assert_string_equal(again, out);
	if (phone_normalize_fast("+5 2119222112556", "RU", fast))
		assert_string_equal(fast, out);
	for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
		assert_int_equal(phone_normalize(out, regions[i], again, "phone", NULL), 0);
		assert_string_equal(again, out);
	}
}

/* worker normalizes every ok case many times; returns the number of wrong answers. */
static void *worker(void *arg)
{
	uintptr_t wrong = 0;
	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
			char out[PHONE_E164_MAX];
			struct nc_err err;
			const struct ok_case *c = &ok_cases[i];
			if (phone_normalize(c->input, c->region, out, "phone", &err) != 0 ||
			    strcmp(out, c->e164) != 0)
				wrong++;
		}
	}
	return (void *)wrong;
}

static void test_phone__threads(void **state)
{
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, NULL), 0);
	for (int i = 0; i < 4; i++) {
		void *wrong;
		assert_int_equal(pthread_join(t[i], &wrong), 0);
		assert_int_equal((uintptr_t)wrong, 0);
	}
}

#define N_OK  (sizeof(ok_cases) / sizeof(ok_cases[0]))
#define N_BAD (sizeof(bad_cases) / sizeof(bad_cases[0]))

/* test_phone__batch_same_as_one_by_one: a batch (threads, repeats, later additions) answers
 * every input exactly as phone_normalize does, failures and their messages included. */
static void test_phone__batch_same_as_one_by_one(void **state)
{
	enum { N = 300 };
	static char gen[N][32];
	const char *in[N + N_OK + N_BAD];
	size_t n = 0;
	for (int i = 0; i < N; i++) {
		/* Moscow numbers, some too short to be one */
		snprintf(gen[i], sizeof(gen[i]), i % 7 ? "8 (495) %03d-%02d-%02d" : "8 495 %d%d%d",
			 100 + i, i % 100, (i * 7) % 100);
		in[n++] = gen[i];
	}
	for (size_t i = 0; i < N_OK; i++)
		in[n++] = ok_cases[i].input;
	for (size_t i = 0; i < N_BAD; i++)
		in[n++] = bad_cases[i].input;
	struct phone_batch *b = phone_batch_new("RU", "phone");
	for (size_t i = 0; i < n; i += 2) /* every other one, twice: the rest are asked later */
		phone_batch_add(b, in[i]), phone_batch_add(b, in[i]);
	phone_batch_run(b);
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < n; i++) {
			char want[PHONE_E164_MAX], got[PHONE_E164_MAX] = "unchanged";
			struct nc_err we, ge;
			nc_err_clear(&we);
			nc_err_clear(&ge);
			int wrc = phone_normalize(in[i], "RU", want, "phone", &we);
			assert_int_equal(phone_batch_get(b, in[i], got, &ge), wrc);
			assert_string_equal(got, want);
			assert_int_equal(ge.code, we.code);
			assert_string_equal(ge.msg, we.msg);
			assert_string_equal(ge.field, we.field);
		}
	}
	phone_batch_free(b);
}

int main(void)
{
	struct CMUnitTest tests[N_OK + N_BAD + 5];
	size_t n = 0;
	for (size_t i = 0; i < N_OK; i++)
		tests[n++] = (struct CMUnitTest){.name = ok_cases[i].name,
						 .test_func = run_ok,
						 .initial_state = (void *)&ok_cases[i]};
	for (size_t i = 0; i < N_BAD; i++)
		tests[n++] = (struct CMUnitTest){.name = bad_cases[i].name,
						 .test_func = run_bad,
						 .initial_state = (void *)&bad_cases[i]};
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_phone__region_valid);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_phone__null_err_allowed);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_phone__reads_back_to_itself);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_phone__threads);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_phone__batch_same_as_one_by_one);
	return cmocka_run_group_tests_name("phone", tests, NULL, NULL) ? 1 : 0;
}
