/* plan.c - one client's story for nc-gen, drawn from his own random stream: who he is, whose
 * client, when he was called and with what result, where his next step stands (so that each
 * rep's agenda holds about TODAY_PER_REP steps today), and his deal. No database here. */
#include "gen.h"

#include <math.h>

/* weight gives client i's share of the calls: exponential, so that most clients have a few
 * calls and some many, and 1 at least. Recomputed rather than stored. */
uint64_t weight(const struct gen *g, int64_t i)
{
	uint64_t s = mix(g->seed ^ mix((uint64_t)i * 2 + 1));
	double u = ((double)(s >> 11) + 0.5) * 0x1.0p-53;
	return 1 + (uint64_t)(-log(u) * 40.0);
}

/* at_work gives a moment in the rep's working hours on local day `day` (0: today). */
static int64_t at_work(const struct gen *g, struct client_gen *c, int64_t day)
{
	int minute = WORK_FROM + 5 * rnd(&c->r, (WORK_TO - WORK_FROM) / 5);
	return rep_of(g, c)->today + day * DAY + minute * 60;
}

/* weekend says whether local day `day` (0: today) of the client's rep is a Saturday or a
 * Sunday. */
static bool weekend(const struct gen *g, const struct client_gen *c, int64_t day)
{
	int64_t w = ((int64_t)rep_of(g, c)->wday + day % 7 + 7) % 7;
	return w == 0 || w == 6;
}

/* work_day draws a local day in [d0, d1] (0: today) as a sales team works: a weekday, or a
 * weekend day kept with the chance WEEKEND_KEEP each time one comes up (some 4 % of the days
 * drawn); a weekend day when the range holds no weekday. */
static int64_t work_day(const struct gen *g, struct client_gen *c, int64_t d0, int64_t d1)
{
	int64_t d = rnd64(&c->r, d0, d1);
	if (d1 - d0 < 2 && weekend(g, c, d0) && weekend(g, c, d1))
		return d;
	/* 1.4 draws on average; the bound only keeps the loop finite on paper */
	for (int i = 0; i < 64 && weekend(g, c, d) && !chance(&c->r, WEEKEND_KEEP); i++)
		d = rnd64(&c->r, d0, d1);
	return d;
}

/* floor_day gives the local day (0: today) of the rep's that moment t falls on. */
static int64_t floor_day(int64_t t, int64_t today)
{
	int64_t x = t - today;
	return x >= 0 ? x / DAY : -((-x + DAY - 1) / DAY);
}

/* work_between gives a moment in working hours within [lo, hi], on a weekday but for a few (see
 * work_day), or a plain one when the range is too short to hold any. */
static int64_t work_between(const struct gen *g, struct client_gen *c, int64_t lo, int64_t hi)
{
	int64_t today = rep_of(g, c)->today;
	int64_t d0 = floor_day(lo, today), d1 = floor_day(hi, today);
	for (int i = 0; i < 8 && lo <= hi; i++) {
		int64_t t = at_work(g, c, work_day(g, c, d0, d1)) + rnd(&c->r, 60);
		if (t >= lo && t <= hi)
			return t;
	}
	return rnd64(&c->r, lo, hi);
}

void plan_client(struct gen *g, int64_t i, struct client_gen *c)
{
	c->r = mix(g->seed ^ mix((uint64_t)i * 2 + 2));
	c->rep = chance(&c->r, 0.03) ? UNASSIGNED : rnd(&c->r, g->nreps);
	c->m = c->rep != UNASSIGNED && chance(&c->r, 0.9) ? g->reps[c->rep].market
							  : (enum market)rnd(&c->r, NMARKETS);
	c->seg = rnd(&c->r, 100) < 55 ? 0 : rnd(&c->r, NSEGS);
	c->src = rnd(&c->r, NSRCS);
	int x = rnd(&c->r, 100);
	c->cat = x < 12 ? CAT_NEVER : x < 37 ? CAT_FUTURE : CAT_NOW;
	c->bucket = B_FUTURE;
	double u = (double)(rng_next(&c->r) >> 11) * 0x1.0p-53;
	if (u < g->p_today)
		c->bucket = B_TODAY;
	else if ((u -= g->p_today) < g->p_over)
		c->bucket = B_OVERDUE;
	else if ((u -= g->p_over) < g->p_nostep)
		c->bucket = B_NOSTEP;
	else if ((u -= g->p_nostep) < g->p_decision && c->cat == CAT_NOW)
		c->bucket = B_DECISION;
	if (c->rep == UNASSIGNED) { /* unassigned leads: an inbound call to call back */
		c->cat = CAT_NOW;
		c->bucket = chance(&c->r, 0.5) ? B_OVERDUE : B_TODAY;
	}
}

/* plan_due fixes when the client's planned step is due, by bucket. */
void plan_due(const struct gen *g, struct client_gen *c)
{
	int64_t cad = segments[c->seg].rec.max_days, today = rep_of(g, c)->today;
	/* the last contact's window: by default any time in the past year */
	c->last_lo = g->now - YEAR;
	c->last_hi = g->now - 2 * HOUR;
	c->due = 0;
	if (c->cat == CAT_NEVER || c->bucket == B_NOSTEP)
		return;
	if (c->bucket == B_FUTURE) {
		/* a contact every `gap` days, gap drawn in the upper half of the cadence, at a
		 * phase drawn evenly: the step on one of the next gap days, the last contact gap
		 * days before it, both on weekdays as work_day keeps them (the pair drawn again
		 * otherwise, which keeps both even over the weekdays). Each day ahead then holds
		 * about as many steps as the next, his clients with a step over the mean gap, and
		 * each day behind as many last contacts. (The step drawn within the cadence after
		 * an even last contact piled a rep's steps on the next days: 515, 350, 235 on the
		 * 10 M-call database, where his calls model 50-150 a workday.) */
		int64_t hi = MAX(2, cad - 1);
		int64_t lo = MIN(hi, (cad + segments[c->seg].rec.min_days) / 2);
		/* today's working hours over (2 hours before now, as last_hi): a last contact today
		 * has its hours; before that, not today, or it would fall at midnight */
		int64_t last_max = g->now - 2 * HOUR >= today + WORK_TO * 60 ? 0 : -1;
		int64_t gap = hi, due = 1;
		for (int i = 0; i < 64; i++) { /* 1.8 draws on average */
			gap = rnd64(&c->r, lo, hi);
			due = rnd64(&c->r, 1, gap + last_max);
			if ((!weekend(g, c, due) || chance(&c->r, WEEKEND_KEEP)) &&
			    (!weekend(g, c, due - gap) || chance(&c->r, WEEKEND_KEEP)))
				break;
		}
		int64_t last = due - gap;
		c->last_lo = MAX(c->last_lo, today + last * DAY);
		c->last_hi = MIN(c->last_hi, today + (last + 1) * DAY - 1);
		c->due = at_work(g, c, due);
		return;
	}
	/* today's even on a weekend (the agenda holds TODAY_PER_REP of them); a decision awaited
	 * since the last workday */
	int64_t day = 0;
	if (c->bucket == B_OVERDUE)
		day = work_day(g, c, -5, -1);
	else if (c->bucket == B_DECISION)
		for (day = -1; weekend(g, c, day); day--)
			;
	c->due = at_work(g, c, day);
	c->last_hi = MIN(c->last_hi, c->due - 2 * HOUR);
	c->last_lo =
	    MAX(c->last_lo, c->due - (c->bucket == B_DECISION ? 2 * DAY : cad * DAY) + HOUR);
}

/* plan_times spreads the client's n calls over the past year, oldest first; the last one lies
 * in the window plan_due chose, within the segment's cadence before his planned step. */
void plan_times(const struct gen *g, struct client_gen *c)
{
	c->last_reached = -1;
	if (c->n == 0) {
		c->created = rnd64(&c->r, g->now - 60 * DAY, g->now - DAY);
		if (c->due)
			c->created = MIN(c->created, c->due - HOUR);
		return;
	}
	c->t[c->n - 1] = work_between(g, c, c->last_lo, c->last_hi);
	/* the earlier ones anywhere in the year before it, so that a rep's calls per day stay
	 * about even over the year rather than crowd into the last weeks */
	for (int j = 0; j < c->n - 1; j++)
		c->t[j] = work_between(g, c, g->now - YEAR, c->t[c->n - 1] - 1);
	/* insertion sort: n is small for nearly every client */
	for (int j = 1; j < c->n - 1; j++)
		for (int k = j; k > 0 && c->t[k - 1] > c->t[k]; k--) {
			int64_t x = c->t[k];
			c->t[k] = c->t[k - 1];
			c->t[k - 1] = x;
		}
	c->created = c->t[0] - rnd64(&c->r, 0, 7 * DAY);
	for (int j = 0; j < c->n; j++) {
		/* the last call reached him: it set his category */
		int x = rnd(&c->r, 100);
		c->state[j] = c->rep == UNASSIGNED || (j < c->n - 1 && x < 12) ? C_MISSED
			      : j < c->n - 1 && x < 20			       ? C_NONE
									       : C_STEP;
		if (c->state[j] != C_MISSED)
			c->last_reached = j;
	}
}

/* plan_deal: an open offer for some "now" clients, a sale (on the last contact) for others, a
 * lost offer for some who refused. */
void plan_deal(struct client_gen *c)
{
	int x = rnd(&c->r, 100);
	c->deal = -1;
	if (c->last_reached < 0 || c->cat == CAT_NEVER || (c->cat == CAT_NOW && x >= 30) ||
	    (c->cat == CAT_FUTURE && x >= 25))
		return;
	c->deal = c->cat == CAT_FUTURE ? DEAL_LOST
		  : x < 10	       ? DEAL_WON
		  : x < 22	       ? DEAL_OFFER
				       : DEAL_PENDING;
	c->deal_amount =
	    100 * 1000 * rnd64(&c->r, segments[c->seg].deal_k[0], segments[c->seg].deal_k[1]);
}

/* phone_of gives a client's k-th phone (E.164) and how a person would have typed it: the
 * number is an affine bijection of i*2+k, so that no two clients share one. */
void phone_of(struct gen *g, int64_t i, int k, enum market m, uint64_t *r, const char **e164,
	      const char **raw)
{
	uint64_t p = (uint64_t)i * 2 + (uint64_t)k;
	struct arena *a = &g->arena;
	if (m == RU) {
		uint64_t v = (p * 387420489ULL + 246813579ULL) % 1000000000ULL;
		*e164 = arena_printf(a, "+79%09llu", (unsigned long long)v);
		*raw = arena_printf(
		    a, "8 (9%02llu) %03llu-%02llu-%02llu", (unsigned long long)(v / 10000000),
		    (unsigned long long)(v / 10000 % 1000), (unsigned long long)(v / 100 % 100),
		    (unsigned long long)(v % 100));
	} else if (m == TR) {
		uint64_t v = (p * 43046721ULL + 12345678ULL) % 100000000ULL;
		unsigned op = 3 + (unsigned)rnd(r, 2); /* 53x Turkcell, 54x Vodafone */
		*e164 = arena_printf(a, "+905%u%08llu", op, (unsigned long long)v);
		*raw = arena_printf(
		    a, "0 (5%u%llu) %03llu %02llu %02llu", op, (unsigned long long)(v / 10000000),
		    (unsigned long long)(v / 10000 % 1000), (unsigned long long)(v / 100 % 100),
		    (unsigned long long)(v % 100));
	} else {
		uint64_t v = (p * 4782969ULL + 1234567ULL) % 10000000ULL;
		unsigned op = (unsigned)rnd(r, 9); /* 090-098 */
		*e164 = arena_printf(a, "+849%u%07llu", op, (unsigned long long)v);
		*raw = arena_printf(a, "09%u %03llu %04llu", op, (unsigned long long)(v / 10000),
				    (unsigned long long)(v % 10000));
	}
}

/* person gives a name in the client's market's way: Russian surnames take -а for women,
 * Vietnamese names are family, middle and given names. */
const char *person(struct gen *g, struct client_gen *c)
{
	bool f = chance(&c->r, 0.5);
	const struct names *n = names[c->m];
	if (c->m == VN)
		return arena_printf(&g->arena, "%s %s %s", PICK(&c->r, vn_family),
				    f ? "Thị" : PICK(&c->r, vn_middle),
				    f ? PICK(&c->r, vn_female) : PICK(&c->r, vn_male));
	const char *first = f ? n->female[rnd(&c->r, NNAMES)] : n->male[rnd(&c->r, NNAMES)];
	return arena_printf(&g->arena, "%s %s%s", first, n->surname[rnd(&c->r, NNAMES)],
			    f && c->m == RU ? "а" : "");
}

const char *company(struct gen *g, struct client_gen *c)
{
	if (c->seg == 0 && !chance(&c->r, 0.2)) /* private clients rarely have one */
		return NULL;
	const struct names *n = names[c->m];
	return arena_printf(&g->arena, n->firm_fmt, n->firm_a[rnd(&c->r, NNAMES)],
			    n->firm_b[rnd(&c->r, NNAMES)]);
}
