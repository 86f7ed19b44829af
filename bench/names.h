/* names.h - the vocabulary nc-gen draws from: the team, segments, lead sources, and people's and
 * companies' names, call purposes and refusals in the three markets (Russia, Turkey, Vietnam). */
#ifndef NC_BENCH_NAMES_H
#define NC_BENCH_NAMES_H

#include "store/store.h"

enum market { RU, TR, VN, NMARKETS };

#define NNAMES 12 /* entries of each list in struct names */
#define NTEXTS 6  /* entries of each list in struct texts */
#define NSEGS  4
#define NSRCS  6

#define REP_PATTERN 10 /* rep k works in market rep_market[k % REP_PATTERN] */

extern const enum market rep_market[REP_PATTERN];
/* rep_name gives rep k's name (the first REP_PATTERN are fixed, the others drawn from the
 * names of his market), never the same for two k below MAX_REPS nor one of the staff's names,
 * in a; NULL past the names there are. */
const char *rep_name(struct arena *a, int k);
extern const char *const zones[NMARKETS];   /* time zone of each market */
extern const char *const locales[NMARKETS]; /* the users' interface language */

struct seg_def {
	struct segment_rec rec; /* cadence: every rec.min_days to rec.max_days days */
	int deal_k[2];		/* a deal's amount, in thousands of major units */
};
extern const struct seg_def segments[NSEGS];

struct src_def {
	const char *name;
	int spend_max; /* monthly ad spend, major units; 0: free */
};
extern const struct src_def sources[NSRCS];

/* People and companies: first names and surnames (Russian ones in the male form), and a
 * company's name as printf(firm_fmt, firm_a, firm_b). */
struct names {
	const char *male[NNAMES], *female[NNAMES], *surname[NNAMES];
	const char *firm_fmt, *firm_a[NNAMES], *firm_b[NNAMES];
};
extern const struct names *const names[NMARKETS];

/* Vietnamese names: family, middle (men; women take "Thị") and given name. */
extern const char *const vn_family[NNAMES], *const vn_middle[NNAMES];
extern const char *const vn_male[NNAMES], *const vn_female[NNAMES];

/* What reps write in each market. */
struct texts {
	const char *purposes[NTEXTS], *refusals[NTEXTS], *notes[NTEXTS];
	const char *goal_max, *goal_min;
	const char *closed, *gone; /* notes for "never": the company closed, the person left */
	const char *cancel;	   /* why a step was cancelled */
};
extern const struct texts *const texts[NMARKETS];

#endif
