/* test_stats.c - unit tests of core/stats.c: Wilson intervals, the two-proportion test, the
 * probability that an arm is best against exact values (computed with mpmath), medians. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>

#include <cmocka.h>

#include "core/stats.h"

#define near(a, b, eps) assert_true(fabs((a) - (b)) < (eps))

static void test_stats__wilson(void **state)
{
	static const struct {
		int64_t k, n;
		double p, lo, hi;
	} cases[] = {
	    {5, 10, 0.5, 0.236593090512564, 0.7634069094874361},
	    {1, 3, 1.0 / 3, 0.06149194472039621, 0.7923403991979522},
	    {0, 10, 0, 0, 0.2775327998628899},
	    {10, 10, 1, 0.7224672001371101, 1},
	    {0, 0, 0, 0, 1},
	    {3, -5, 0, 0, 1},			/* a negative n is no trials */
	    {12, 10, 1, 0.7224672001371101, 1}, /* k clamped to n */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct proportion pr;
		stats_proportion(cases[i].k, cases[i].n, &pr);
		near(pr.p, cases[i].p, 1e-12);
		near(pr.lo, cases[i].lo, 1e-9);
		near(pr.hi, cases[i].hi, 1e-9);
		assert_true(pr.lo <= pr.p && pr.p <= pr.hi);
	}
	/* huge n: a narrow interval around the rate, no overflow */
	struct proportion pr;
	stats_proportion(1000000, 10000000, &pr);
	near(pr.p, 0.1, 1e-12);
	assert_true(pr.lo > 0.0998 && pr.lo < 0.1 && pr.hi > 0.1 && pr.hi < 0.1002);
	assert_int_equal(pr.k, 1000000);
	assert_int_equal(pr.n, 10000000);
}

static void test_stats__two_prop_p(void **state)
{
	/* by hand: pooled 0.1, se = sqrt(0.09 * 0.02) = 0.042426, z = 2.357, p = erfc(z / sqrt 2)
	 */
	near(stats_two_prop_p(15, 100, 5, 100), 0.018422125454099037, 1e-9);
	near(stats_two_prop_p(5, 100, 15, 100), 0.018422125454099037, 1e-9);
	near(stats_two_prop_p(30, 200, 40, 210), 0.2762646348980313, 1e-9);
	near(stats_two_prop_p(50, 100, 50, 100), 1, 1e-12);
	/* no evidence: an empty arm, or both rates 0 or both 1 */
	assert_true(stats_two_prop_p(0, 0, 5, 10) == 1);
	assert_true(stats_two_prop_p(5, 10, 0, 0) == 1);
	assert_true(stats_two_prop_p(0, 10, 0, 20) == 1);
	assert_true(stats_two_prop_p(10, 10, 20, 20) == 1);
	/* huge n: a difference of 0.05 points on ten million calls each is significant */
	double p = stats_two_prop_p(1005000, 10000000, 1000000, 10000000);
	assert_true(p > 0 && p < 0.05);
	assert_true(stats_two_prop_p(150, 1000, 50, 1000) < 1e-10);
}

static void test_stats__normal_cdf(void **state)
{
	near(stats_normal_cdf(0), 0.5, 1e-15);
	near(stats_normal_cdf(1.959963984540054), 0.975, 1e-12);
	near(stats_normal_cdf(-1), 0.15865525393145707, 1e-12);
	assert_true(stats_normal_cdf(-40) >= 0 && stats_normal_cdf(-40) < 1e-300);
	assert_true(stats_normal_cdf(40) == 1);
}

/* check_best runs stats_prob_best and compares with expected values to 1e-3; the shares always
 * sum to 1. */
static void check_best(const int64_t *k, const int64_t *n, size_t arms, const double *want)
{
	double best[64];
	stats_prob_best(k, n, arms, best);
	double sum = 0;
	for (size_t i = 0; i < arms; i++) {
		near(best[i], want[i], 1e-3);
		assert_true(best[i] >= 0 && best[i] <= 1);
		sum += best[i];
	}
	near(sum, 1, 1e-9);
}

static void test_stats__prob_best_exact(void **state)
{
	/* Beta(1,1) against Beta(2,1): P = integral of 2x * x = 2/3 */
	check_best((int64_t[]){0, 1}, (int64_t[]){0, 1}, 2, (double[]){1.0 / 3, 2.0 / 3});
	/* reference values: mpmath quadrature of pdf_i * prod cdf_j, 30 digits */
	check_best((int64_t[]){3, 5}, (int64_t[]){10, 12}, 2,
		   (double[]){0.300107686095033, 0.699892313904967});
	check_best((int64_t[]){2, 5, 9}, (int64_t[]){20, 30, 40}, 3,
		   (double[]){0.103129945515713, 0.257650559359128, 0.639219495125160});
	check_best((int64_t[]){15, 5}, (int64_t[]){100, 100}, 2,
		   (double[]){0.990344211195288, 0.009655788804712});
}

static void test_stats__prob_best_symmetric_and_clear(void **state)
{
	check_best((int64_t[]){0, 0}, (int64_t[]){0, 0}, 2, (double[]){0.5, 0.5});
	check_best((int64_t[]){7, 7}, (int64_t[]){40, 40}, 2, (double[]){0.5, 0.5});
	check_best((int64_t[]){3, 3, 3}, (int64_t[]){9, 9, 9}, 3,
		   (double[]){1.0 / 3, 1.0 / 3, 1.0 / 3});
	double best[2];
	stats_prob_best((int64_t[]){150, 50}, (int64_t[]){1000, 1000}, 2, best);
	assert_true(best[0] > 0.999);
	/* the order of the arms does not matter */
	double rev[2];
	stats_prob_best((int64_t[]){50, 150}, (int64_t[]){1000, 1000}, 2, rev);
	near(rev[1], best[0], 1e-12);
	/* deterministic */
	double again[2];
	stats_prob_best((int64_t[]){150, 50}, (int64_t[]){1000, 1000}, 2, again);
	assert_true(again[0] == best[0] && again[1] == best[1]);
}

static void test_stats__prob_best_huge_and_edges(void **state)
{
	/* ten million trials each: the posteriors are normal to many digits */
	check_best((int64_t[]){1000000, 1001000}, (int64_t[]){10000000, 10000000}, 2,
		   (double[]){1 - 0.7719216061486776, 0.7719216061486776});
	/* a wide arm against a very narrow one: P(narrow best) = P(Beta(1,3) < 0.3) = 1 - 0.7^3 */
	check_best((int64_t[]){0, 300000}, (int64_t[]){2, 1000000}, 2, (double[]){0.343, 0.657});
	/* all zero and all success on huge n */
	check_best((int64_t[]){0, 0}, (int64_t[]){10000000, 10000000}, 2, (double[]){0.5, 0.5});
	check_best((int64_t[]){10000000, 10000000}, (int64_t[]){10000000, 10000000}, 2,
		   (double[]){0.5, 0.5});
	/* an arm with no trials at all against a clear winner */
	double best[3];
	stats_prob_best((int64_t[]){0, 900, 100}, (int64_t[]){0, 1000, 1000}, 3, best);
	near(best[0], 101.0 / 1002, 1e-3); /* P(U > Y) = 1 - E[Y], E[Y] = 901/1002 */
	near(best[1], 901.0 / 1002, 1e-3);
	assert_true(best[2] < 1e-6);
	/* one arm is the best; bad counts are clamped, not trusted */
	stats_prob_best((int64_t[]){5}, (int64_t[]){10}, 1, best);
	assert_true(best[0] == 1);
	/* Beta(1,1) against Beta(11,1): P(U > Y) = 1 - E[Y] = 1/12 */
	check_best((int64_t[]){-3, 20}, (int64_t[]){-1, 10}, 2, (double[]){1.0 / 12, 11.0 / 12});
	/* 64 arms, the documented maximum: all equal */
	int64_t k64[64], n64[64];
	double want[64], b64[64];
	for (int i = 0; i < 64; i++)
		k64[i] = 30, n64[i] = 100, want[i] = 1.0 / 64;
	check_best(k64, n64, 64, want);
	k64[17] = 60;
	stats_prob_best(k64, n64, 64, b64);
	assert_true(b64[17] > 0.999);
	/* over the maximum: not computed, every share 0 */
	double b65[65];
	int64_t k65[65] = {0}, n65[65] = {0};
	stats_prob_best(k65, n65, 65, b65);
	for (int i = 0; i < 65; i++)
		assert_true(b65[i] == 0);
}

static void test_stats__median(void **state)
{
	assert_true(stats_median(NULL, 0) == 0);
	double one[] = {4};
	assert_true(stats_median(one, 1) == 4);
	double odd[] = {9, 1, 5};
	assert_true(stats_median(odd, 3) == 5);
	assert_true(odd[0] == 1 && odd[2] == 9); /* sorted in place */
	double even[] = {10, 2, 4, 8};
	assert_true(stats_median(even, 4) == 6);
	double neg[] = {-3, -1};
	assert_true(stats_median(neg, 2) == -2);
	double big[] = {1e308, 1e308};
	assert_true(stats_median(big, 2) == 1e308); /* no overflow in the mean of the middle two */
	double withnan[] = {NAN, 1, 3};
	assert_true(stats_median(withnan, 3) == 3); /* NaN sorts last */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stats__wilson),
	    cmocka_unit_test(test_stats__two_prop_p),
	    cmocka_unit_test(test_stats__normal_cdf),
	    cmocka_unit_test(test_stats__prob_best_exact),
	    cmocka_unit_test(test_stats__prob_best_symmetric_and_clear),
	    cmocka_unit_test(test_stats__prob_best_huge_and_edges),
	    cmocka_unit_test(test_stats__median),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
