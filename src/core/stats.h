/* stats.h - the statistics the head of sales reads: proportions with confidence intervals, the
 * comparison of two or more proportions (which phrase converts better, and is the evidence
 * enough), medians, and the forecast of next period's sales. Pure functions, no I/O. */
#ifndef NC_CORE_STATS_H
#define NC_CORE_STATS_H

#include <stddef.h>
#include <stdint.h>

/* A proportion: successes of trials, with its Wilson score interval at 95%. */
struct proportion {
	int64_t k, n;
	double p, lo, hi; /* p = k/n; 0 when n == 0 (lo 0, hi 1) */
};
void stats_proportion(int64_t k, int64_t n, struct proportion *out);

/* stats_two_prop_p: two-sided p-value of the pooled two-proportion z-test (1 when either n is 0
 * or both rates are 0 or 1). */
double stats_two_prop_p(int64_t k1, int64_t n1, int64_t k2, int64_t n2);

/* stats_prob_best fills best[i] with the probability that arm i has the highest rate, under
 * independent Beta(1 + k, 1 + n - k) posteriors, by numeric integration (deterministic, error
 * under 1e-3). arms <= 64. */
void stats_prob_best(const int64_t *k, const int64_t *n, size_t arms, double *best);

/* stats_median of n values (sorted in place); 0 when n == 0. */
double stats_median(double *v, size_t n);
/* stats_normal_cdf: the standard normal distribution function. */
double stats_normal_cdf(double z);

#endif
