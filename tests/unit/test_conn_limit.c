/* test_conn_limit.c - unit tests of util/conn_limit.c: counting per address and per IPv6 /64,
 * the limit and the grace, exempt networks and their parsing, the limit turned off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "util/conn_limit.h"

/* sa_of fills ss with the address text (IPv4 or IPv6) and gives it as a sockaddr. */
static const struct sockaddr *sa_of(struct sockaddr_storage *ss, const char *text)
{
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, text, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
	} else {
		assert_int_equal(inet_pton(AF_INET6, text, &a6->sin6_addr), 1);
		a6->sin6_family = AF_INET6;
	}
	return (const struct sockaddr *)ss;
}

static void test_conn_limit__counts_to_the_limit_then_over_then_refuse(void **state)
{
	struct nc_err err = {0};
	struct conn_limit *l = conn_limit_new(3, 2, "none", &err);
	assert_non_null(l);
	struct sockaddr_storage s1, s2;
	const struct sockaddr *a = sa_of(&s1, "203.0.113.7"), *b = sa_of(&s2, "203.0.113.8");
	unsigned n;
	for (unsigned i = 1; i <= 3; i++) {
		assert_int_equal(conn_limit_admit(l, a), CONN_OK);
		assert_int_equal(conn_limit_open(l, a, &n), CONN_OK);
		assert_int_equal(n, i);
	}
	/* the 4th and 5th: accepted to be told 503 */
	assert_int_equal(conn_limit_admit(l, a), CONN_OK);
	assert_int_equal(conn_limit_open(l, a, &n), CONN_OVER);
	assert_int_equal(conn_limit_open(l, a, &n), CONN_OVER);
	assert_int_equal(n, 5);
	/* past limit + grace: closed at accept */
	assert_int_equal(conn_limit_admit(l, a), CONN_REFUSE);
	/* another address is not affected */
	assert_int_equal(conn_limit_admit(l, b), CONN_OK);
	assert_int_equal(conn_limit_open(l, b, &n), CONN_OK);
	assert_int_equal(n, 1);
	/* closing brings the address back under the limit */
	conn_limit_close(l, a);
	conn_limit_close(l, a);
	conn_limit_close(l, a);
	assert_int_equal(conn_limit_count(l, a), 2);
	assert_int_equal(conn_limit_open(l, a, &n), CONN_OK);
	for (int i = 0; i < 3; i++)
		conn_limit_close(l, a);
	conn_limit_close(l, b);
	assert_int_equal(conn_limit_count(l, a), 0);
	assert_int_equal(conn_limit_count(l, b), 0);
	conn_limit_free(l);
}

static void test_conn_limit__ipv6_counts_per_64_and_mapped_as_ipv4(void **state)
{
	struct nc_err err = {0};
	struct conn_limit *l = conn_limit_new(2, 0, "", &err);
	assert_non_null(l);
	struct sockaddr_storage s1, s2, s3, s4, s5;
	const struct sockaddr *a = sa_of(&s1, "2001:db8:1:2::10");
	const struct sockaddr *b = sa_of(&s2, "2001:db8:1:2:ffff::99"); /* same /64 */
	const struct sockaddr *c = sa_of(&s3, "2001:db8:1:3::10");	/* next /64 */
	const struct sockaddr *m = sa_of(&s4, "::ffff:198.51.100.4");
	const struct sockaddr *v4 = sa_of(&s5, "198.51.100.4");
	assert_int_equal(conn_limit_open(l, a, NULL), CONN_OK);
	assert_int_equal(conn_limit_open(l, b, NULL), CONN_OK);
	assert_int_equal(conn_limit_admit(l, a), CONN_REFUSE);
	assert_int_equal(conn_limit_admit(l, c), CONN_OK);
	assert_int_equal(conn_limit_open(l, m, NULL), CONN_OK);
	assert_int_equal(conn_limit_count(l, v4), 1);
	char key[64];
	assert_true(conn_limit_key(b, key, sizeof(key)));
	assert_string_equal(key, "2001:db8:1:2::/64");
	assert_true(conn_limit_key(m, key, sizeof(key)));
	assert_string_equal(key, "198.51.100.4");
	conn_limit_close(l, a);
	conn_limit_close(l, b);
	conn_limit_close(l, v4);
	assert_int_equal(conn_limit_count(l, a), 0);
	assert_int_equal(conn_limit_count(l, m), 0);
	conn_limit_free(l);
}

static void test_conn_limit__exempt_networks(void **state)
{
	struct nc_err err = {0};
	struct conn_limit *l =
	    conn_limit_new(1, 0, "127.0.0.0/8, ::1,10.1.2.128/25 2001:db8::/32", &err);
	assert_non_null(l);
	static const struct {
		const char *addr;
		enum conn_verdict first;
	} cases[] = {
	    {"127.0.0.1", CONN_EXEMPT},
	    {"127.255.0.9", CONN_EXEMPT},
	    {"::1", CONN_EXEMPT},
	    {"::ffff:127.0.0.5", CONN_EXEMPT},
	    {"10.1.2.128", CONN_EXEMPT},
	    {"10.1.2.255", CONN_EXEMPT},
	    {"10.1.2.127", CONN_OK},
	    {"128.0.0.1", CONN_OK},
	    {"2001:db8:ffff::1", CONN_EXEMPT},
	    {"2001:db9::1", CONN_OK},
	    {"::2", CONN_OK},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sockaddr_storage ss;
		const struct sockaddr *sa = sa_of(&ss, cases[i].addr);
		assert_int_equal(conn_limit_open(l, sa, NULL), cases[i].first);
		/* a second one: exempt stays exempt, a counted address is now over */
		enum conn_verdict again = conn_limit_open(l, sa, NULL);
		assert_int_equal(again, cases[i].first == CONN_EXEMPT ? CONN_EXEMPT : CONN_OVER);
		if (cases[i].first != CONN_EXEMPT) {
			conn_limit_close(l, sa);
			conn_limit_close(l, sa);
			assert_int_equal(conn_limit_count(l, sa), 0);
		}
	}
	conn_limit_free(l);
}

static void test_conn_limit__off_counts_nothing(void **state)
{
	struct nc_err err = {0};
	struct conn_limit *l = conn_limit_new(0, 16, NULL, &err);
	assert_non_null(l);
	struct sockaddr_storage ss;
	const struct sockaddr *a = sa_of(&ss, "203.0.113.7");
	for (int i = 0; i < 100; i++) {
		assert_int_equal(conn_limit_admit(l, a), CONN_EXEMPT);
		assert_int_equal(conn_limit_open(l, a, NULL), CONN_EXEMPT);
	}
	assert_int_equal(conn_limit_count(l, a), 0);
	conn_limit_free(l);
}

static void test_conn_limit__bad_exempt_lists_refused(void **state)
{
	static const char *bad[] = {"localhost", "127.0.0.1/33",  "::1/129",
				    "10.0.0.0/", "10.0.0.0/-1",	  "10.0.0.0/8x",
				    "1.2.3",	 "none,10.0.0.1", "2001:db8::/32/1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nc_err err = {0};
		assert_null(conn_limit_new(10, 0, bad[i], &err));
		assert_int_equal(err.code, NC_EUSAGE);
		assert_string_equal(err.field, "per-address-exempt");
		assert_non_null(strstr(err.msg, "is not ADDR or ADDR/BITS"));
	}
	char many[40 * 12] = "";
	for (int i = 0; i <= CONN_LIMIT_MAX_NETS; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "10.0.0.%d,", i);
	struct nc_err err = {0};
	assert_null(conn_limit_new(10, 0, many, &err));
	assert_non_null(strstr(err.msg, "more than 32 networks"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_conn_limit__counts_to_the_limit_then_over_then_refuse),
	    cmocka_unit_test(test_conn_limit__ipv6_counts_per_64_and_mapped_as_ipv4),
	    cmocka_unit_test(test_conn_limit__exempt_networks),
	    cmocka_unit_test(test_conn_limit__off_counts_nothing),
	    cmocka_unit_test(test_conn_limit__bad_exempt_lists_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
