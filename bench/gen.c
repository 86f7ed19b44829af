/* gen.c - nc-gen: fills a new nextcall database with a large, realistic and deterministic team
 * (Russian, Turkish and Vietnamese clients, a year of calls and meetings, next steps, deals, the
 * call scripts and their runs) as fast as the store layer allows, for the benchmarks in bench/run.
 * plan.c draws each client's story, scripts.c his script runs; this file writes them. */
#include "app/app.h"
#include "store/migrate.h"
#include "store/store.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include "bulk.h"
#include "gen.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PASSWORD   "bench1234" /* every generated user's */
#define BATCH_ROWS 10000       /* rows per transaction */

/* ---- options ---- */

static void usage(void)
{
	fprintf(stderr,
		"usage: nc-gen --db PATH --clients N --calls M [--reps R] [--seed S] [--checked]\n"
		"Fills a new database (run \"nextcall --db PATH init\" first, or let nc-gen "
		"migrate it) with N clients and M calls and meetings, the example call scripts\n"
		"(examples/scripts) and script runs on some of the calls.\n"
		"The team has an admin, a head of sales and R reps: by default one per %d calls,\n"
		"at most one per %d clients, from %d to %d.\n"
		"The clock is NEXTCALL_NOW when set, so that output is reproducible.\n"
		"--checked keeps SQLite's foreign key constraints on (slower); CHECK constraints "
		"always are.\n",
		CALLS_PER_REP, CLIENTS_PER_REP, MIN_REPS, MAX_REPS);
	exit(2);
}

static int64_t number(const char *opt, const char *s, int64_t lo, int64_t hi)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "nc-gen: --%s \"%s\": want a whole number from %lld to %lld\n", opt,
			s, (long long)lo, (long long)hi);
		exit(2);
	}
	return v;
}

/* team_size gives the number of reps for the data when --reps does not say (see gen.h). */
static int team_size(int64_t nclients, int64_t ncalls)
{
	int64_t n = (ncalls + CALLS_PER_REP / 2) / CALLS_PER_REP;
	n = MIN(n, nclients / CLIENTS_PER_REP);
	return (int)MIN(MAX(n, MIN_REPS), MAX_REPS);
}

/* ---- batching and progress ---- */

static double elapsed(const struct gen *g)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - g->t0.tv_sec) + (double)(t.tv_nsec - g->t0.tv_nsec) / 1e9;
}

static int flush(struct gen *g, bool last, struct nc_err *err)
{
	if (!last && g->batch < BATCH_ROWS)
		return 0;
	if (db_commit(g->db, err) < 0)
		return -1;
	arena_release(&g->arena);
	g->batch = 0;
	return last ? 0 : db_begin(g->db, err);
}

/* ---- the team and the catalogs ---- */

static int put_users(struct gen *g, const char *hash, struct nc_err *err)
{
	static const char *const staff[][3] = {{"admin", "Администратор", "admin"},
					       {"head", "Елена Смирнова", "head"}};
	for (size_t i = 0; i < NELEM(staff); i++) {
		struct user_rec u = {.login = staff[i][0],
				     .name = staff[i][1],
				     .role = (enum role)role_parse(staff[i][2]),
				     .timezone = zones[RU],
				     .locale = "ru",
				     .password_hash = hash,
				     .active = true,
				     .created_at = g->now - 400 * DAY};
		int64_t id;
		if (store_user_insert(g->db, &u, &id, err) < 0)
			return -1;
		if (u.role == ROLE_HEAD)
			g->head_id = id;
		row(g);
		g->users++;
	}
	for (int k = 0; k < g->nreps; k++) {
		struct rep *r = &g->reps[k];
		r->market = rep_market[k % REP_PATTERN];
		struct user_rec u = {.login = arena_printf(&g->arena, "rep%02d", k + 1),
				     .name = rep_name(&g->arena, k),
				     .role = ROLE_REP,
				     .timezone = zones[r->market],
				     .locale = locales[r->market],
				     .extension = arena_printf(&g->arena, "%d", 101 + k),
				     .password_hash = hash,
				     .active = true,
				     .created_at = g->now - 400 * DAY};
		if (!u.name)
			return nc_error(err, NC_EINVAL, "no name left for rep %d", k + 1);
		if (store_user_insert(g->db, &u, &r->id, err) < 0)
			return -1;
		row(g);
		g->users++;
	}
	g->team.market = RU;
	for (int k = 0; k <= g->nreps; k++) {
		struct rep *r = k < g->nreps ? &g->reps[k] : &g->team;
		struct nc_tm tm;
		const char *tz = zones[r->market];
		time_local_parts(tz, g->now, &tm);
		r->today = time_local_to_utc(tz, tm.year, tm.month, tm.day, 0, 0, 0);
		r->wday = tm.wday;
	}
	return 0;
}

/* put_catalogs stores the settings, segments, lead sources and twelve months of ad spend. */
static int put_catalogs(struct gen *g, struct nc_err *err)
{
	struct db *db = g->db;
	if (store_setting_put(db, "team.name", "Bench Trading", g->now, err) < 0 ||
	    store_setting_put(db, "team.timezone", zones[RU], g->now, err) < 0 ||
	    store_setting_put(db, "phone.region", "RU", g->now, err) < 0)
		return -1;
	for (int i = 0; i < NSEGS; i++) {
		if (store_segment_insert(db, &segments[i].rec, &g->seg_id[i], err) < 0)
			return -1;
		row(g);
	}
	struct nc_tm tm;
	time_local_parts(zones[RU], g->now, &tm);
	uint64_t s = g->seed ^ 0x5eed;
	for (int i = 0; i < NSRCS; i++) {
		if (store_source_insert(db, sources[i].name, &g->src_id[i], err) < 0)
			return -1;
		row(g);
		for (int back = 0; back < 12 && sources[i].spend_max > 0; back++) {
			int m0 = tm.year * 12 + tm.month - 1 - back;
			const char *month =
			    arena_printf(&g->arena, "%04d-%02d", m0 / 12, m0 % 12 + 1);
			int64_t amount =
			    rnd64(&s, sources[i].spend_max / 2, sources[i].spend_max) * 100;
			if (store_spend_set(db, g->src_id[i], month, amount, err) < 0)
				return -1;
			row(g);
		}
	}
	return 0;
}

/* ---- writing one client ---- */

static int put_client(struct gen *g, int64_t i, struct client_gen *c, int64_t *cid,
		      const char **phone, struct nc_err *err)
{
	const char *e164[2], *raw[2];
	int nph = chance(&c->r, 0.15) ? 2 : 1;
	for (int k = 0; k < nph; k++)
		phone_of(g, i, k, c->m, &c->r, &e164[k], &raw[k]);
	struct client_rec cl = {.name = person(g, c),
				.company = company(g, c),
				.category = c->cat,
				.owner_id = rep_of(g, c)->id,
				.segment_id = g->seg_id[c->seg],
				.source_id = g->src_id[c->src],
				.phones = e164,
				.nphones = (size_t)nph,
				.created_at = c->created};
	int64_t last = c->last_reached >= 0 ? c->t[c->last_reached] : 0;
	cl.last_contact_at = last;
	cl.category_at = c->cat == CAT_NOW || !last ? c->created : last;
	cl.updated_at = MAX(c->created, c->n ? c->t[c->n - 1] + 600 : 0);
	const struct texts *tx = texts[c->m];
	if (c->cat == CAT_FUTURE)
		cl.refusal_reason = tx->refusals[rnd(&c->r, NTEXTS)];
	if (c->cat == CAT_NEVER) {
		bool closed = c->seg > 0;
		cl.never_reason = closed ? "closed" : "gone";
		cl.never_note = closed ? tx->closed : tx->gone;
	}
	cl.id = *cid = ++g->clients;
	if (bulk_client(g->db, &cl, app_client_search_text(&g->app, &cl), err) < 0)
		return -1;
	row(g);
	for (int k = 0; k < nph; k++) {
		if (bulk_phone(g->db, ++g->phones, *cid, e164[k], raw[k], err) < 0)
			return -1;
		row(g);
	}
	*phone = e164[0];
	c->id = *cid;
	c->name = cl.name;
	c->company = cl.company;
	c->phone = e164[0];
	return 0;
}

/* outcome_of: what call j ended with. The last call that reached the client set his category. */
static const char *outcome_of(const struct client_gen *c, int j)
{
	if (c->state[j] == C_MISSED)
		return "missed";
	if (j != c->last_reached)
		return c->state[j] == C_NONE ? "none" : "next_step";
	return c->cat == CAT_NEVER    ? "never"
	       : c->cat == CAT_FUTURE ? "refused"
	       : c->deal == DEAL_WON  ? "sale"
				      : "next_step";
}

static int put_calls(struct gen *g, struct client_gen *c, int64_t cid, const char *phone,
		     struct nc_err *err)
{
	const struct texts *tx = texts[c->m];
	for (int j = 0; j < c->n; j++) {
		bool missed = c->state[j] == C_MISSED;
		bool meeting = !missed && chance(&c->r, 0.15);
		struct call_rec e = {.client_id = cid,
				     .rep_id = rep_of(g, c)->id,
				     .kind = meeting ? CONTACT_MEETING : CONTACT_CALL,
				     .direction = meeting	       ? -1
						  : chance(&c->r, 0.3) ? DIR_IN
								       : DIR_OUT,
				     .started_at = c->t[j],
				     .missed = missed,
				     .result = -1,
				     .outcome = outcome_of(c, j),
				     .logged = true};
		if (missed) {
			e.ring_s = (int)rnd64(&c->r, 15, 30);
			if (c->rep == UNASSIGNED)
				e.direction = DIR_IN;
		} else {
			e.ring_s = meeting ? 0 : (int)rnd64(&c->r, 2, 20);
			e.talk_s =
			    meeting ? (int)rnd64(&c->r, 20, 90) * 60 : (int)rnd64(&c->r, 40, 900);
			e.answered_at = e.started_at + e.ring_s;
			e.ended_at = e.answered_at + e.talk_s;
			e.purpose = tx->purposes[rnd(&c->r, NTEXTS)];
			e.goal_max = tx->goal_max;
			e.goal_min = tx->goal_min;
			e.result = !strcmp(e.outcome, "sale")	    ? RESULT_MAX
				   : strcmp(e.outcome, "next_step") ? RESULT_NONE
				   : chance(&c->r, 0.4)		    ? RESULT_MAX
								    : RESULT_MIN;
			if (!strcmp(e.outcome, "refused"))
				e.refusal_reason = tx->refusals[rnd(&c->r, NTEXTS)];
		}
		int64_t run = script_plan(g, c, &e);
		e.created_at = e.started_at + e.ring_s + e.talk_s;
		if (!meeting) {
			e.phone = phone;
			/* an Asterisk uniqueid for most calls, a recording for some answered ones
			 */
			if (chance(&c->r, 0.8))
				e.pbx_id =
				    arena_printf(&g->arena, "%lld.%lld", (long long)e.started_at,
						 (long long)g->calls + 1);
			if (e.pbx_id && !e.missed && chance(&c->r, 0.1))
				e.recording_url = arena_printf(
				    &g->arena, "https://pbx.example.net/rec/%s.mp3", e.pbx_id);
		}
		e.id = c->call_id[j] = ++g->calls;
		if (bulk_call(g->db, &e, run, err) < 0)
			return -1;
		row(g);
		if (script_write(g, &e, err) < 0)
			return -1;
	}
	return 0;
}

/* put_steps writes the steps of the history (the step agreed at a contact, closed by the next
 * contact that reached the client) and the client's planned step. */
static int put_steps(struct gen *g, struct client_gen *c, int64_t cid, struct nc_err *err)
{
	static const enum step_kind later[] = {STEP_CALL,  STEP_CALL,  STEP_MEETING,
					       STEP_VISIT, STEP_OFFER, STEP_INVOICE};
	int64_t rep = rep_of(g, c)->id;
	int prev = -1; /* the contact whose step is still open */
	for (int j = 0; j < c->n; j++) {
		if (c->state[j] == C_MISSED)
			continue;
		if (prev >= 0) {
			int64_t t = c->t[j];
			int x = rnd(&c->r, 100);
			struct step_rec s = {.client_id = cid,
					     .call_id = c->call_id[prev],
					     .rep_id = rep,
					     .kind = PICK(&c->r, later),
					     .due_at = t - t % 300,
					     .status = x < 88	? STEP_DONE
						       : x < 96 ? STEP_MISSED
								: STEP_CANCELLED,
					     .created_at = c->t[prev] + 600,
					     .closed_at = t};
			if (s.due_at <= s.created_at)
				s.due_at = s.created_at + 300;
			if (s.status == STEP_CANCELLED)
				s.cancel_reason = texts[c->m]->cancel;
			s.id = ++g->steps;
			if (bulk_step(g->db, &s, err) < 0)
				return -1;
			row(g);
		}
		prev = c->state[j] == C_STEP ? j : -1;
	}
	if (c->cat == CAT_NEVER || c->bucket == B_NOSTEP)
		return 0;
	struct step_rec s = {.client_id = cid,
			     .rep_id = rep,
			     .status = STEP_PLANNED,
			     .kind = c->rep == UNASSIGNED      ? STEP_CALLBACK
				     : c->bucket == B_DECISION ? STEP_DECISION
				     : c->cat == CAT_FUTURE    ? STEP_CALL
							       : PICK(&c->r, later),
			     .auto_planned = c->rep == UNASSIGNED,
			     .due_at = c->due,
			     .created_at = c->n ? c->t[c->n - 1] + 600 : c->created};
	if (c->last_reached >= 0)
		s.call_id = c->call_id[c->last_reached];
	else if (c->n)
		s.call_id = c->call_id[c->n - 1];
	if (s.due_at <= s.created_at)
		s.due_at = s.created_at + 900;
	if (chance(&c->r, 0.3))
		s.note = texts[c->m]->notes[rnd(&c->r, NTEXTS)];
	s.id = ++g->steps;
	if (bulk_step(g->db, &s, err) < 0)
		return -1;
	row(g);
	return 0;
}

/* put_deal writes the deal plan_deal chose, made at the last contact that reached him. */
static int put_deal(struct gen *g, struct client_gen *c, int64_t cid, struct nc_err *err)
{
	if (c->deal < 0)
		return 0;
	int64_t at = c->t[c->last_reached];
	bool closed = c->deal == DEAL_WON || c->deal == DEAL_LOST;
	struct deal_rec d = {.id = ++g->deals,
			     .client_id = cid,
			     .call_id = c->call_id[c->last_reached],
			     .rep_id = rep_of(g, c)->id,
			     .amount = c->deal_amount,
			     .stage = (enum deal_stage)c->deal,
			     .created_at = at,
			     .updated_at = at,
			     .closed_at = closed ? at : 0};
	if (bulk_deal(g->db, &d, err) < 0)
		return -1;
	row(g);
	return 0;
}

/* put_clients writes every client with his history; client i gets the calls between the
 * running sums of the weights before and after him, so that they add up to exactly ncalls. */
static int put_clients(struct gen *g, struct nc_err *err)
{
	struct client_gen *c = xcalloc(1, sizeof(*c));
	unsigned __int128 sum = 0;
	int64_t given = 0, report = g->nclients / 10;
	for (int64_t i = 0; i < g->nclients; i++) {
		sum += weight(g, i);
		int64_t upto = (int64_t)(sum * (unsigned __int128)g->ncalls / g->wsum);
		plan_client(g, i, c);
		c->n = (int)MIN(upto - given, MAX_HISTORY);
		given += c->n;
		if (c->n == 0 && c->cat == CAT_NEVER) /* "never" is said on a call */
			c->cat = CAT_NOW;
		plan_due(g, c);
		plan_times(g, c);
		plan_deal(c);
		c->sr = mix(g->seed ^ mix((uint64_t)i * 2 + 3));
		int64_t cid;
		const char *phone;
		if (put_client(g, i, c, &cid, &phone, err) < 0 ||
		    put_calls(g, c, cid, phone, err) < 0 || put_steps(g, c, cid, err) < 0 ||
		    put_deal(g, c, cid, err) < 0 || script_fields_flush(g, cid, err) < 0 ||
		    flush(g, false, err) < 0)
			goto fail;
		if (report > 0 && (i + 1) % report == 0)
			fprintf(stderr, "nc-gen: %lld clients, %lld rows, %.1f s\n",
				(long long)(i + 1), (long long)g->rows, elapsed(g));
	}
	free(c);
	return 0;
fail:
	free(c);
	return -1;
}

/* ---- main ---- */

/* prepare migrates the database, which must hold no team yet: the ids of every table then
 * start at 1 and nc-gen chooses them. */
static int prepare(struct gen *g, struct nc_err *err)
{
	int applied;
	int64_t rows = 0;
	if (migrate_apply(g->db, &applied, err) < 0 ||
	    db_get_int(g->db, err, &rows,
		       "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM clients) + "
		       "(SELECT count(*) FROM calls)",
		       "") < 0)
		return -1;
	if (rows > 0)
		return nc_error(err, NC_ECONFLICT,
				"database already has users, clients or calls: nc-gen fills only a "
				"new database");
	/* the shares of each rep's clients that make his agenda: about TODAY_PER_REP steps
	 * today, OVER_PER_REP overdue, three clients without a step and one decision passed */
	double per_rep = MAX(1.0, (double)g->nclients * 0.97 * 0.88 / g->nreps);
	g->p_today = MIN(0.3, TODAY_PER_REP / per_rep);
	g->p_over = MIN(0.1, OVER_PER_REP / per_rep);
	g->p_nostep = MIN(0.05, 3 / per_rep);
	g->p_decision = MIN(0.05, 1.5 / per_rep);
	for (int64_t i = 0; i < g->nclients; i++)
		g->wsum += weight(g, i);
	return 0;
}

/* generate writes everything in transactions of about BATCH_ROWS rows. On failure the
 * database is left half loaded (and, on SQLite, without its journal): delete it. */
static int generate(struct gen *g, struct nc_err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	if (prepare(g, err) < 0)
		return -1;
	if (sodium_init() < 0)
		return nc_error(err, NC_EIO, "libsodium failed to start");
	/* one hash for every user: argon2id is slow on purpose */
	if (crypto_pwhash_str_alg(
		hash, PASSWORD, strlen(PASSWORD), crypto_pwhash_OPSLIMIT_INTERACTIVE,
		crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return nc_error(err, NC_EIO, "password hashing ran out of memory");
	clock_gettime(CLOCK_MONOTONIC, &g->t0);
	if (bulk_begin_load(g->db, g->checked, err) < 0 || db_begin(g->db, err) < 0)
		goto fail;
	if (put_users(g, hash, err) < 0 || put_catalogs(g, err) < 0 || scripts_load(g, err) < 0 ||
	    put_clients(g, err) < 0 ||
	    store_audit(g->db, g->now, "nc-gen", "bench.generate", "team", 0,
			arena_printf(&g->arena, "%lld clients, %lld calls", (long long)g->nclients,
				     (long long)g->ncalls),
			err) < 0 ||
	    flush(g, true, err) < 0)
		goto fail;
	g->t_rows = elapsed(g);
	fprintf(stderr, "nc-gen: rows written in %.1f s; building %zu indexes\n", g->t_rows,
		bulk_nindexes());
	/* the planned steps' copies of their client's name and first phone (migration 0016), which
	 * SQLite's load wrote without their triggers: before the indexes come back, so that the
	 * agenda's index is built with them instead of moved entry by entry (on PostgreSQL the
	 * trigger wrote them, and this finds nothing to change) */
	if (db_begin(g->db, err) < 0 || store_step_copies_rebuild(g->db, err) < 0 ||
	    db_commit(g->db, err) < 0)
		goto fail;
	if (bulk_end_load(g->db, err) < 0)
		return -1;
	g->t_index = elapsed(g);
	fprintf(stderr, "nc-gen: indexes built at %.1f s; deriving search terms and plans\n",
		g->t_index);
	/* what the store derives from the rows (the search index, each client's plan summary, the
	 * pool counts that SQLite's load wrote without their triggers), by the store's own code, as
	 * the migrations that introduced them do */
	/* ... and the report rollups (app_report_sync reads the team's settings) */
	struct app app;
	app_begin(&app, g->db, &g->arena, NULL);
	if (db_begin(g->db, err) < 0 || store_client_terms_rebuild(g->db, err) < 0 ||
	    store_client_plans_rebuild(g->db, err) < 0 ||
	    store_client_pool_rebuild(g->db, err) < 0 ||
	    store_script_counts_rebuild(g->db, err) < 0 ||
	    store_call_hours_rebuild(g->db, err) < 0 || app_report_sync(&app, err) < 0 ||
	    db_commit(g->db, err) < 0)
		goto fail;
	g->t_derived = elapsed(g);
	return bulk_finish(g->db, err);
fail:
	db_rollback(g->db);
	bulk_end_load(g->db, NULL);
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"db", required_argument, NULL, 'd'},    {"clients", required_argument, NULL, 'n'},
	    {"calls", required_argument, NULL, 'm'}, {"reps", required_argument, NULL, 'r'},
	    {"seed", required_argument, NULL, 's'},  {"checked", no_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},	     {NULL, 0, NULL, 0}};
	struct gen *g = xcalloc(1, sizeof(*g));
	const char *path = NULL;
	int o;
	g->nclients = -1;
	g->ncalls = -1;
	g->seed = 1;
	while ((o = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (o) {
		case 'd':
			path = optarg;
			break;
		case 'n':
			g->nclients = number("clients", optarg, 1, MAX_CLIENTS);
			break;
		case 'm':
			g->ncalls = number("calls", optarg, 0, 100 * (int64_t)MAX_CLIENTS);
			break;
		case 'r':
			g->nreps = (int)number("reps", optarg, 1, MAX_REPS);
			break;
		case 's':
			g->seed = (uint64_t)number("seed", optarg, 0, INT64_MAX);
			break;
		case 'c':
			g->checked = true;
			break;
		default:
			usage();
		}
	}
	if (!path || g->nclients < 0 || g->ncalls < 0 || optind != argc)
		usage();
	if (!g->nreps)
		g->nreps = team_size(g->nclients, g->ncalls);
	g->reps = xcalloc((size_t)g->nreps, sizeof(*g->reps));
	fprintf(stderr, "nc-gen: %d reps\n", g->nreps);
	setenv("NEXTCALL_SYNC", "normal", 1); /* a crash loses the database anyway */
	struct nc_err err = {0};
	g->db = db_open(path, &err);
	if (!g->db) {
		fprintf(stderr, "nc-gen: %s\n", err.msg);
		return 1;
	}
	arena_init(&g->arena);
	app_begin(&g->app, g->db, &g->arena, NULL);
	g->now = g->app.now;
	int rc = generate(g, &err);
	double secs = elapsed(g);
	if (rc == 0 && g->runs_astray > 0)
		fprintf(stderr,
			"nc-gen: warning: %lld script runs did not reach their call's end\n",
			(long long)g->runs_astray);
	if (rc < 0)
		fprintf(stderr, "nc-gen: %s\n", err.msg);
	else
		printf(
		    "nc-gen: %lld users, %lld clients, %lld phones, %lld calls, %lld next "
		    "steps, %lld deals, %lld script runs (%lld steps): %lld rows in %.1f s "
		    "(%.0f rows/s), indexes %.1f s, search terms and plans %.1f s; total %.1f s\n",
		    (long long)g->users, (long long)g->nclients, (long long)g->phones,
		    (long long)g->calls, (long long)g->steps, (long long)g->deals,
		    (long long)g->runs, (long long)g->run_steps, (long long)g->rows, g->t_rows,
		    (double)g->rows / g->t_rows, g->t_index - g->t_rows, g->t_derived - g->t_index,
		    secs);
	scripts_free(g);
	arena_release(&g->arena);
	db_close(g->db);
	free(g->reps);
	free(g);
	return rc < 0 ? 1 : 0;
}
