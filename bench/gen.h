/* gen.h - what nc-gen's two halves share: the generator's state, one client's story as
 * plan.c draws it (who he is, when he was called, where his plan stands) before gen.c writes
 * it, and the random streams both draw from. */
#ifndef NC_BENCH_GEN_H
#define NC_BENCH_GEN_H

#include "app/app.h"

#include "names.h"

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define DAY	      86400
#define HOUR	      3600
#define YEAR	      (365 * DAY)
#define MAX_CLIENTS   4000000  /* phone_of has 10^7 numbers per market, two per client */
#define MAX_HISTORY   4096     /* calls of one client at most; his excess goes to the next one */
#define WORK_FROM     (9 * 60) /* working hours, minutes of the local day */
#define WORK_TO	      (19 * 60)
#define WEEKEND_KEEP  0.1 /* a weekend day drawn stays with this chance: 2 x 0.1 / 5.2 = 3.8 % */
#define TODAY_PER_REP 20  /* planned steps due today in each rep's agenda */
#define OVER_PER_REP  8	  /* and overdue ones */
#define NELEM(a)      (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)     ((a) < (b) ? (a) : (b))
#define MAX(a, b)     ((a) > (b) ? (a) : (b))

/* The team grows with the data: a rep per CALLS_PER_REP calls of the year (a real rep makes
 * 50-150 calls a workday, some 25 000 a year), no more than one per CLIENTS_PER_REP clients, and
 * from MIN_REPS to MAX_REPS reps; --reps chooses another number. */
#define CALLS_PER_REP	25000
#define CLIENTS_PER_REP 100
#define MIN_REPS	10
#define MAX_REPS	1000
#define UNASSIGNED	(-1) /* struct client_gen's rep of a lead nobody owns */

enum bucket { B_FUTURE, B_TODAY, B_OVERDUE, B_NOSTEP, B_DECISION };
/* how a call went: it reached the client and a next step was agreed, it reached him without
 * one (outcome none), or nobody answered */
enum call_state { C_STEP, C_NONE, C_MISSED };

struct rep {
	int64_t id;
	enum market market;
	int64_t today; /* local midnight of today in the rep's zone, UTC */
	int wday;      /* today's day of the week there, 0: Sunday */
};

struct gen_scripts; /* scripts.c */

struct gen {
	struct db *db;
	struct app app;
	struct arena arena; /* one batch's strings */
	uint64_t seed;
	bool checked; /* keep foreign keys on while loading (CHECKs always are) */
	int64_t now;
	int64_t nclients, ncalls;
	uint64_t wsum; /* the sum of every client's call weight */
	int nreps;
	struct rep *reps; /* nreps of them */
	struct rep team;  /* the team's zone, for unassigned leads (id 0: no owner) */
	int64_t seg_id[NSEGS], src_id[NSRCS];
	double p_today, p_over, p_nostep, p_decision;
	/* written */
	int64_t rows, batch, users;
	int64_t clients, phones, calls, steps, deals; /* also the last id of each table */
	int64_t head_id; /* the head of sales, who uploaded the scripts */
	struct gen_scripts *scripts;
	int64_t runs, run_steps, fields; /* script runs (the last id), their step rows, fields */
	int64_t runs_astray;		 /* runs that could not reach their call's end */
	struct timespec t0;
	double t_rows, t_index, t_derived; /* seconds from t0 when each phase ended */
};

/* One client's plan and history before it is written. */
struct client_gen {
	uint64_t r; /* the client's own random stream */
	int rep;    /* index in reps, UNASSIGNED: nobody's */
	enum market m;
	int seg, src;
	enum category cat;
	enum bucket bucket;
	int64_t created, due;
	int64_t last_lo, last_hi;	  /* when his last contact may be (plan_due) */
	int64_t t[MAX_HISTORY];		  /* call times, oldest first */
	unsigned char state[MAX_HISTORY]; /* enum call_state */
	int64_t call_id[MAX_HISTORY];
	int n, last_reached; /* calls, and the index of the last that reached the client (-1) */
	int deal;	     /* enum deal_stage of his deal, -1 none (plan_deal) */
	int64_t deal_amount;
	/* as written (put_client), for the answers his script runs capture */
	int64_t id;
	const char *name, *company, *phone;
	uint64_t sr; /* the random stream of his script runs */
};

/* ---- randomness: splitmix64, one stream per client so that clients do not depend on each
 * other ---- */

static inline uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t rng_next(uint64_t *s)
{
	return mix(*s += 0x9e3779b97f4a7c15ULL);
}

static inline int rnd(uint64_t *s, int n)
{
	return (int)(rng_next(s) % (uint64_t)n);
}

static inline int64_t rnd64(uint64_t *s, int64_t lo, int64_t hi) /* in [lo, hi] */
{
	return hi <= lo ? lo : lo + (int64_t)(rng_next(s) % (uint64_t)(hi - lo + 1));
}

static inline bool chance(uint64_t *s, double p)
{
	return (double)(rng_next(s) >> 11) * 0x1.0p-53 < p;
}

#define PICK(s, a) ((a)[rnd((s), (int)NELEM(a))])

/* rep_of gives the client's rep, or the team for an unassigned lead. */
static inline const struct rep *rep_of(const struct gen *g, const struct client_gen *c)
{
	return c->rep == UNASSIGNED ? &g->team : &g->reps[c->rep];
}

/* row counts one written row (gen.c commits every BATCH_ROWS of them, between clients). */
static inline void row(struct gen *g)
{
	g->rows++;
	g->batch++;
}

/* weight gives client i's share of the calls (at least 1); the same for the same seed. */
uint64_t weight(const struct gen *g, int64_t i);
/* plan_client draws client i's rep, market, segment, source, category and bucket. */
void plan_client(struct gen *g, int64_t i, struct client_gen *c);
/* plan_due fixes when his planned step is due (c->due, 0 for none), by his bucket, and the
 * window of his last contact. */
void plan_due(const struct gen *g, struct client_gen *c);
/* plan_times spreads his c->n calls over the past year and says which reached him. */
void plan_times(const struct gen *g, struct client_gen *c);
/* plan_deal chooses his deal (c->deal, -1 none) and its amount. */
void plan_deal(struct client_gen *c);
/* phone_of gives client i's k-th phone in E.164 and as typed (strings in g's arena); never the
 * same number for two (i, k). */
void phone_of(struct gen *g, int64_t i, int k, enum market m, uint64_t *r, const char **e164,
	      const char **raw);
/* person and company give his name and his company's (NULL: none), in g's arena. */
const char *person(struct gen *g, struct client_gen *c);
const char *company(struct gen *g, struct client_gen *c);

/* ---- script runs (scripts.c) ---- */

/* scripts_load stores the example scripts (examples/scripts) as versions of the past year. */
int scripts_load(struct gen *g, struct nc_err *err);
void scripts_free(struct gen *g);
/* script_plan decides whether call e of client c (not written yet, its result and outcome set)
 * is made with a script; if so it takes the run's steps, sets the call's purpose and goals to the
 * script's tasks and lengthens its talk to fit the steps, and returns the run's id (0: none). */
int64_t script_plan(struct gen *g, struct client_gen *c, struct call_rec *e);
/* script_write writes the run script_plan made for call e, once e is written. */
int script_write(struct gen *g, const struct call_rec *e, struct nc_err *err);
/* script_fields_flush writes what the client's runs captured into his card. */
int script_fields_flush(struct gen *g, int64_t client_id, struct nc_err *err);

#endif
