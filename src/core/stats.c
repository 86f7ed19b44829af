/* stats.c - proportions with Wilson intervals, the two-proportion z-test, the probability that
 * each of several arms is the best under Beta posteriors, and the median. */
#include "core/stats.h"

#include <math.h>
#include <stdlib.h>

#define Z95	   1.959963984540054 /* the standard normal quantile at 0.975 */
#define MAX_ARMS   64
#define SUBDIV	   16 /* integration points inside each segment between breakpoints */
#define NBREAK_ARM 21 /* breakpoints per arm: its mean and mean +- 10 multiples of its sd */

/* clamp_counts makes any pair of counts meaningful: n >= 0 and 0 <= k <= n. */
static void clamp_counts(int64_t *k, int64_t *n)
{
	if (*n < 0)
		*n = 0;
	if (*k < 0)
		*k = 0;
	if (*k > *n)
		*k = *n;
}

void stats_proportion(int64_t k, int64_t n, struct proportion *out)
{
	clamp_counts(&k, &n);
	out->k = k;
	out->n = n;
	if (n == 0) {
		out->p = 0, out->lo = 0, out->hi = 1;
		return;
	}
	double nn = (double)n, p = (double)k / nn, z2 = Z95 * Z95;
	double denom = 1 + z2 / nn;
	double centre = (p + z2 / (2 * nn)) / denom;
	double half = Z95 * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
	out->p = p;
	out->lo = centre - half < 0 ? 0 : centre - half;
	out->hi = centre + half > 1 ? 1 : centre + half;
	/* at k == 0 and k == n the exact bound is 0 or 1; rounding must not move it */
	if (k == 0)
		out->lo = 0;
	if (k == n)
		out->hi = 1;
}

double stats_two_prop_p(int64_t k1, int64_t n1, int64_t k2, int64_t n2)
{
	clamp_counts(&k1, &n1);
	clamp_counts(&k2, &n2);
	if (n1 == 0 || n2 == 0)
		return 1;
	double a = (double)n1, b = (double)n2;
	double pool = ((double)k1 + (double)k2) / (a + b);
	double se = sqrt(pool * (1 - pool) * (1 / a + 1 / b));
	if (!(se > 0))
		return 1; /* both rates 0 or both 1: no evidence of a difference */
	double z = ((double)k1 / a - (double)k2 / b) / se;
	double p = erfc(fabs(z) / sqrt(2.0));
	return p > 1 ? 1 : p;
}

double stats_normal_cdf(double z)
{
	return 0.5 * erfc(-z / sqrt(2.0));
}

/* One arm's Beta(a, b) posterior, its density kept in log space relative to its peak so that
 * counts up to 1e7 and beyond neither overflow nor underflow. */
struct beta {
	double a, b, mean, sd;
	double lmax; /* the log density's maximum over the grid (unnormalised) */
	double z;    /* the integral of exp(log density - lmax) over the grid */
};

/* beta_lpdf is the unnormalised log density (a-1) log x + (b-1) log(1-x); -inf outside. */
static double beta_lpdf(const struct beta *be, double x)
{
	double l = 0;
	if (be->a != 1) {
		if (x <= 0)
			return -INFINITY;
		l += (be->a - 1) * log(x);
	}
	if (be->b != 1) {
		if (x >= 1)
			return -INFINITY;
		l += (be->b - 1) * log1p(-x);
	}
	return l;
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

/* grid_breaks fills br with the sorted distinct breakpoints of the integration grid: 0, 1 and
 * every arm's mean +- multiples of its sd, so each posterior, however narrow, is resolved by
 * the segments around it. Returns their number. */
static size_t grid_breaks(const struct beta *be, size_t arms, double *br)
{
	static const double mult[] = {0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 7, 10};
	size_t n = 0;
	br[n++] = 0;
	br[n++] = 1;
	for (size_t i = 0; i < arms; i++) {
		br[n++] = be[i].mean;
		for (size_t m = 0; m < sizeof(mult) / sizeof(mult[0]); m++) {
			double lo = be[i].mean - mult[m] * be[i].sd,
			       hi = be[i].mean + mult[m] * be[i].sd;
			if (lo > 0)
				br[n++] = lo;
			if (hi < 1)
				br[n++] = hi;
		}
	}
	qsort(br, n, sizeof(*br), cmp_double);
	size_t d = 1;
	for (size_t i = 1; i < n; i++)
		if (br[i] > br[d - 1])
			br[d++] = br[i];
	return d;
}

/* grid_x is point j (0..SUBDIV) of segment s. */
static double grid_x(const double *br, size_t s, int j)
{
	return j == SUBDIV ? br[s + 1] : br[s] + (br[s + 1] - br[s]) * j / SUBDIV;
}

/* Each arm's probability of being best is the integral over x of its density times the
 * probability that every other arm is below x: f_i(x) * prod_{j != i} F_j(x). The densities are
 * evaluated on a grid refined around every arm; the distribution functions F_j are their running
 * trapezoid integrals on the same grid, so the whole computation is one deterministic sweep. */
void stats_prob_best(const int64_t *k, const int64_t *n, size_t arms, double *best)
{
	if (arms == 0)
		return;
	if (arms == 1 || arms > MAX_ARMS) {
		/* one arm is trivially the best; more than MAX_ARMS are not computed (documented
		 * limit): 0 says "unknown" rather than a made-up share */
		for (size_t i = 0; i < arms; i++)
			best[i] = arms == 1 ? 1 : 0;
		return;
	}
	struct beta be[MAX_ARMS];
	for (size_t i = 0; i < arms; i++) {
		int64_t ki = k[i], ni = n[i];
		clamp_counts(&ki, &ni);
		double a = 1 + (double)ki, b = 1 + (double)(ni - ki), s = a + b;
		be[i] = (struct beta){.a = a,
				      .b = b,
				      .mean = a / s,
				      .sd = sqrt(a * b / (s * s * (s + 1))),
				      .lmax = -INFINITY};
	}
	double br[2 + MAX_ARMS * NBREAK_ARM];
	size_t nbr = grid_breaks(be, arms, br);

	/* first sweep: each density's peak on the grid and its integral (the normaliser) */
	for (size_t s = 0; s + 1 < nbr; s++)
		for (int j = 0; j <= SUBDIV; j++)
			for (size_t i = 0; i < arms; i++) {
				double l = beta_lpdf(&be[i], grid_x(br, s, j));
				if (l > be[i].lmax)
					be[i].lmax = l;
			}
	for (size_t s = 0; s + 1 < nbr; s++) {
		double h = (br[s + 1] - br[s]) / SUBDIV;
		for (int j = 0; j <= SUBDIV; j++) {
			double w = (j == 0 || j == SUBDIV) ? h / 2 : h;
			for (size_t i = 0; i < arms; i++)
				be[i].z +=
				    w * exp(beta_lpdf(&be[i], grid_x(br, s, j)) - be[i].lmax);
		}
	}

	/* second sweep: running distribution functions and the integrands */
	double f[MAX_ARMS], fprev[MAX_ARMS], cdf[MAX_ARMS], g[MAX_ARMS], gprev[MAX_ARMS];
	double acc[MAX_ARMS];
	for (size_t i = 0; i < arms; i++)
		fprev[i] = cdf[i] = gprev[i] = acc[i] = 0;
	double xprev = 0;
	for (size_t s = 0; s + 1 < nbr; s++) {
		for (int j = s == 0 ? 0 : 1; j <= SUBDIV; j++) {
			double x = grid_x(br, s, j), h = x - xprev;
			for (size_t i = 0; i < arms; i++) {
				f[i] = exp(beta_lpdf(&be[i], x) - be[i].lmax) / be[i].z;
				cdf[i] += h * (f[i] + fprev[i]) / 2;
				if (cdf[i] > 1)
					cdf[i] = 1;
			}
			/* prod_{o != i} cdf[o] as prefix times suffix products: linear in arms */
			double pre = 1, suf[MAX_ARMS + 1];
			suf[arms] = 1;
			for (size_t i = arms; i-- > 0;)
				suf[i] = suf[i + 1] * cdf[i];
			for (size_t i = 0; i < arms; i++) {
				g[i] = f[i] * pre * suf[i + 1];
				pre *= cdf[i];
				acc[i] += h * (g[i] + gprev[i]) / 2;
				gprev[i] = g[i];
				fprev[i] = f[i];
			}
			xprev = x;
		}
	}
	double sum = 0;
	for (size_t i = 0; i < arms; i++)
		sum += acc[i];
	for (size_t i = 0; i < arms; i++)
		best[i] = sum > 0 ? acc[i] / sum : 1.0 / (double)arms;
}

static int cmp_median(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	/* NaN sorts last so that the order is total and qsort stays well defined */
	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b);
	return (a > b) - (a < b);
}

double stats_median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_median);
	if (n % 2)
		return v[n / 2];
	return v[n / 2 - 1] / 2 + v[n / 2] / 2;
}
