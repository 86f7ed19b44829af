/* reads.c - nc-reads: the two API reads of bench/run's table in process, without HTTP: the
 * agenda (GET /api/v1/agenda: app_agenda then jw_agenda in the agenda's zone, as api_agenda in
 * web/api_steps.c) and the client card (GET /api/v1/clients/{id}: app_client_card then jw_card
 * with the fields in the rep's zone, as answer_card in web/api_clients.c) for each id of a file
 * in turn, as the acting rep. Each request is what the router does around the handler for a
 * GET (web/router.c): a fresh arena and app (so the team settings are loaded again, once per
 * operation, as app_settings_load does for each request), one read transaction (db_begin_read
 * ... db_end_read) around the work, a fresh answer buffer. Left out, because the cached answers
 * of the same URLs (bench/run's "cached" rows) pay them too: HTTP, the token check and the
 * answer cache's look-up.
 *
 * With --threads T, T threads each with its own connection (as "serve --threads" keeps one per
 * thread, with the same page cache: db_reads_mostly) share the requests, each starting at its own
 * place in the id list; req/s is all the requests over the wall time from their common start to the
 * last one's end.
 *
 * --check DIR first compares the bytes with what the server answered: DIR/agenda.json (GET
 * /api/v1/agenda) and DIR/cards/ID (GET /api/v1/clients/ID) for each id with such a file, as
 * bench/run fetches them with curl just before running this; any difference is an error. The
 * agenda depends on the clock (steps move from "today" to "overdue"), so the check is meant to
 * follow the fetch within seconds. Checked so on an nc-gen database of 20 000 clients and 200 000
 * calls: the agenda and 50 cards of rep02 fetched by hand with curl from "nextcall serve" with
 * his token, and in bench/run the agenda and 1 954 cards of rep01, all byte for byte the same
 * (and a card file changed by one byte was reported as differing).
 *
 * --date D asks the agenda of day D (GET /api/v1/agenda?date=D: the overdue steps and those of
 * that whole day) instead of today's rest.
 *
 * usage: nc-reads DB LOGIN IDS_FILE [--count N] [--threads T] [--check DIR] [--date YYYY-MM-DD]
 * prints one line per read: "nc-reads: agenda threads T requests N bytes B p50_us X p99_us Y
 * req_s Z cpu_us C cpu_req_s R" and the same for "card" (bytes: the mean; cpu_us: the threads'
 * CPU time a request; cpu_req_s: the rate that gives with a core per thread). A tenth of the
 * requests are run untimed first (statements prepared, pages cached). */
#include "app/app.h"
#include "app/json_write.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/xmalloc.h"
#include "timing.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 64

enum read_kind { READ_AGENDA, READ_CARD };

struct shared {
	const char *db_path;
	const char *login;
	const char *date; /* the agenda's "date" argument, NULL for none (today) */
	const int64_t *ids;
	size_t nids;
	enum read_kind kind;
	long count;   /* requests of all threads */
	int nthreads; /* threads sharing them */
	pthread_barrier_t start;
};

struct worker {
	struct shared *sh;
	int index;
	long first, n; /* its requests: the first's number, how many */
	double *us;    /* each request's microseconds */
	double end_us; /* when its last request ended */
	double cpu_us; /* the CPU time its timed requests took */
	size_t bytes;  /* the answers' bytes, summed */
	long failed;
	char error[512];
	pthread_t thread;
};

/* answer writes into out what the API answers, as the router runs the handler for a GET: 0,
 * or -1 with err filled (the API would have answered an error). */
static int answer(struct db *db, const struct user_rec *actor, enum read_kind kind, int64_t id,
		  const char *date, struct buf *out, struct nc_err *err)
{
	struct arena a;
	arena_init(&a);
	struct app app;
	app_begin(&app, db, &a, NULL);
	app.actor = actor; /* router.c allowed(): the authenticated user acts */
	int rc = db_begin_read(db, err);
	if (rc == 0 && kind == READ_AGENDA) {
		struct agenda ag; /* api_agenda: no "rep" argument, "date" as given */
		rc = app_agenda(&app, NULL, date, &ag, err);
		if (rc == 0) {
			buf_reset(out);
			jw_agenda(out, &ag, ag.timezone);
		}
	} else if (rc == 0) {
		struct client_card card; /* answer_card: the zone is the user's (http_zone) */
		rc = app_client_card(&app, id, &card, err);
		if (rc == 0) {
			buf_reset(out);
			jw_card(out, &card, true, actor->timezone);
		}
	}
	db_end_read(db);
	arena_release(&a);
	return rc;
}

/* run is one thread: its own connection and user, then its share of the requests. */
static void *run(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	struct nc_err err = {0};
	struct arena a;
	arena_init(&a);
	struct user_rec actor;
	struct db *db = db_open(sh->db_path, &err);
	if (!db || db_reads_mostly(db, &err) < 0) /* as a server worker's */
		snprintf(w->error, sizeof(w->error), "%s", err.msg);
	else if (store_user_by_login(db, &a, sh->login, &actor, &err) != 1)
		snprintf(w->error, sizeof(w->error), "no user %s %s", sh->login, err.msg);
	/* a warm-up of a tenth, untimed: statements prepared, pages cached */
	for (long i = 0; !w->error[0] && i < w->n / 10; i++) {
		struct buf out;
		buf_init(&out, 0);
		size_t k = (size_t)(w->first + i) % sh->nids;
		answer(db, &actor, sh->kind, sh->ids[k], sh->date, &out, &err);
		buf_release(&out);
	}
	pthread_barrier_wait(&sh->start);
	double cpu = thread_cpu_us();
	for (long i = 0; !w->error[0] && i < w->n; i++) {
		size_t k = (size_t)(w->first + i) % sh->nids;
		double t = now_us();
		struct buf out; /* the server's answer buffer is new for each request too */
		buf_init(&out, 0);
		if (answer(db, &actor, sh->kind, sh->ids[k], sh->date, &out, &err) < 0) {
			if (!w->failed++)
				snprintf(w->error, sizeof(w->error), "%s %lld: %s",
					 sh->kind == READ_AGENDA ? "agenda" : "card",
					 (long long)sh->ids[k], err.msg);
			memset(&err, 0, sizeof(err));
		}
		w->bytes += out.len;
		buf_release(&out);
		w->us[i] = now_us() - t;
	}
	w->end_us = now_us();
	w->cpu_us = thread_cpu_us() - cpu;
	db_close(db);
	arena_release(&a);
	return NULL;
}

/* measure runs count requests of kind over nthreads threads and prints their line. */
static int measure(struct shared *sh)
{
	struct worker w[MAX_THREADS];
	memset(w, 0, sizeof(w));
	pthread_barrier_init(&sh->start, NULL, (unsigned)sh->nthreads + 1);
	for (int t = 0; t < sh->nthreads; t++) {
		w[t].sh = sh;
		w[t].index = t;
		w[t].first = (long)((size_t)t * sh->nids / (size_t)sh->nthreads);
		w[t].n = sh->count / sh->nthreads + (t < sh->count % sh->nthreads);
		w[t].us = xcalloc((size_t)w[t].n + 1, sizeof(double));
		if (pthread_create(&w[t].thread, NULL, run, &w[t]) != 0) {
			fprintf(stderr, "nc-reads: cannot start a thread\n");
			exit(1);
		}
	}
	pthread_barrier_wait(&sh->start);
	double start = now_us(), end = start;
	for (int t = 0; t < sh->nthreads; t++)
		pthread_join(w[t].thread, NULL);
	pthread_barrier_destroy(&sh->start);
	double *all = xcalloc((size_t)sh->count, sizeof(double));
	size_t n = 0, bytes = 0;
	double cpu = 0;
	long failed = 0;
	int rc = 0;
	for (int t = 0; t < sh->nthreads; t++) {
		if (w[t].error[0]) {
			fprintf(stderr, "nc-reads: thread %d: %s\n", t, w[t].error);
			rc = -1;
		}
		memcpy(all + n, w[t].us, (size_t)w[t].n * sizeof(double));
		n += (size_t)w[t].n;
		bytes += w[t].bytes;
		failed += w[t].failed;
		cpu += w[t].cpu_us;
		if (w[t].end_us > end)
			end = w[t].end_us;
		free(w[t].us);
	}
	if (rc == 0 && n) {
		qsort(all, n, sizeof(double), cmp_double);
		const char *name = sh->kind == READ_AGENDA ? "agenda" : "card";
		/* cpu_req_s: the rate if each thread had a core of its own all along (at most as
		 * many as the machine has), which the wall clock's req_s falls short of when other
		 * work on the machine takes turns on the cores */
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		int busy = cores > 0 && cores < sh->nthreads ? (int)cores : sh->nthreads;
		printf(
		    "nc-reads: %s threads %d requests %zu bytes %.0f p50_us %.1f p99_us %.1f req_s "
		    "%.0f cpu_us %.1f cpu_req_s %.0f\n",
		    name, sh->nthreads, n, (double)bytes / (double)n, all[(n - 1) / 2],
		    all[(size_t)((double)n * 0.99)], (double)n / ((end - start) / 1e6),
		    cpu / (double)n, cpu > 0 ? (double)busy * 1e6 * (double)n / cpu : 0.0);
	}
	free(all);
	return rc == 0 && !failed ? 0 : -1;
}

/* read_file gives the whole of path (NULL when it cannot be read), its length in *len. */
static char *read_file(const char *path, size_t *len)
{
	struct buf b;
	buf_init(&b, 0);
	if (file_read(path, NULL, &b, NULL) < 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, len);
}

/* check compares the agenda and each card that has a file in dir with the server's bytes. */
static int check(const struct shared *sh, const char *dir)
{
	struct nc_err err = {0};
	struct arena a;
	arena_init(&a);
	struct user_rec actor;
	struct db *db = db_open(sh->db_path, &err);
	if (!db || store_user_by_login(db, &a, sh->login, &actor, &err) != 1) {
		fprintf(stderr, "nc-reads: %s\n", err.msg);
		db_close(db);
		arena_release(&a);
		return -1;
	}
	long same = 0, differ = 0;
	char path[4096];
	for (size_t i = 0; i <= sh->nids; i++) { /* the agenda first: it moves with the clock */
		enum read_kind kind = i == 0 ? READ_AGENDA : READ_CARD;
		int64_t id = kind == READ_AGENDA ? 0 : sh->ids[i - 1];
		if (kind == READ_AGENDA)
			snprintf(path, sizeof(path), "%s/agenda.json", dir);
		else
			snprintf(path, sizeof(path), "%s/cards/%lld", dir, (long long)id);
		size_t len;
		char *want = read_file(path, &len);
		if (!want)
			continue;
		struct buf out;
		buf_init(&out, 0);
		if (answer(db, &actor, kind, id, sh->date, &out, &err) < 0) {
			fprintf(stderr, "nc-reads: %s: %s\n", path, err.msg);
			memset(&err, 0, sizeof(err));
			differ++;
		} else if (out.len != len || memcmp(out.data, want, len) != 0) {
			if (differ < 5)
				fprintf(stderr, "nc-reads: %s: %zu bytes answered, %zu here\n",
					path, len, out.len);
			differ++;
		} else {
			same++;
		}
		buf_release(&out);
		free(want);
	}
	db_close(db);
	arena_release(&a);
	fprintf(stderr, "nc-reads: %ld answers byte for byte the server's, %ld not\n", same,
		differ);
	return differ || !same ? -1 : 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: nc-reads DB LOGIN IDS_FILE [--count N] [--threads T] [--check DIR] "
			"[--date YYYY-MM-DD]\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return usage();
	struct shared sh = {.db_path = argv[1], .login = argv[2], .count = 20000, .nthreads = 1};
	const char *check_dir = NULL;
	for (int i = 4; i < argc; i++) {
		if (i + 1 >= argc)
			return usage();
		if (!strcmp(argv[i], "--count"))
			sh.count = atol(argv[++i]);
		else if (!strcmp(argv[i], "--threads"))
			sh.nthreads = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--check"))
			check_dir = argv[++i];
		else if (!strcmp(argv[i], "--date"))
			sh.date = argv[++i];
		else
			return usage();
	}
	if (sh.count <= 0 || sh.nthreads <= 0 || sh.nthreads > MAX_THREADS ||
	    sh.count < sh.nthreads)
		return usage();
	FILE *f = fopen(argv[3], "r");
	if (!f) {
		perror(argv[3]);
		return 1;
	}
	int64_t *ids = NULL;
	size_t cap = 0;
	long long id;
	while (fscanf(f, "%lld", &id) == 1) {
		if (sh.nids == cap) {
			cap = cap ? cap * 2 : 1024;
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		ids[sh.nids++] = (int64_t)id;
	}
	fclose(f);
	if (!sh.nids) {
		fprintf(stderr, "nc-reads: no client id in %s\n", argv[3]);
		return 1;
	}
	sh.ids = ids;
	int rc = check_dir ? check(&sh, check_dir) : 0;
	for (int k = 0; rc == 0 && k < 2; k++) {
		sh.kind = k == 0 ? READ_AGENDA : READ_CARD;
		rc = measure(&sh);
	}
	free(ids);
	return rc == 0 ? 0 : 1;
}
