/* timing.h - the clocks and the sort of the in-process benchmark programs (nc-lookup,
 * nc-reads): microseconds of the monotonic clock and of the calling thread's CPU time, and
 * a qsort comparison of doubles for their percentiles. */
#ifndef NC_BENCH_TIMING_H
#define NC_BENCH_TIMING_H

#include <time.h>

static inline double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static inline double thread_cpu_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

#endif
