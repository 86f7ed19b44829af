/* lookup.c - nc-lookup: the caller ID look-up in process, without HTTP: app_client_find_phone
 * (the team's region, the number normalized, its client found and loaded) on a database, for
 * each number of a file in turn, as the acting rep; prints the median and p99 microseconds.
 *
 * usage: nc-lookup DB PHONES_FILE LOGIN [COUNT] */
#include "app/app.h"
#include "store/store.h"
#include "util/xmalloc.h"
#include "timing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: nc-lookup DB PHONES_FILE LOGIN [COUNT]\n");
		return 2;
	}
	long count = argc == 5 ? atol(argv[4]) : 20000;
	if (count <= 0)
		count = 20000;
	FILE *f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	char **phones = NULL, line[128];
	size_t n = 0, cap = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = 0;
		if (!*line)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			phones = xrealloc(phones, cap * sizeof(*phones));
		}
		phones[n++] = xstrdup(line);
	}
	fclose(f);
	if (!n) {
		fprintf(stderr, "nc-lookup: no numbers in %s\n", argv[2]);
		return 1;
	}
	struct nc_err err = {0};
	struct db *db = db_open(argv[1], &err);
	if (!db) {
		fprintf(stderr, "nc-lookup: %s\n", err.msg);
		return 1;
	}
	struct arena a;
	arena_init(&a);
	struct user_rec actor;
	if (store_user_by_login(db, &a, argv[3], &actor, &err) != 1) {
		fprintf(stderr, "nc-lookup: no user %s %s\n", argv[3], err.msg);
		return 1;
	}
	double *us = xcalloc((size_t)count, sizeof(*us));
	long found = 0;
	for (long i = 0; i < count; i++) {
		struct arena op;
		arena_init(&op);
		struct app app;
		app_begin(&app, db, &op, &actor);
		struct client_rec c;
		double t = now_us();
		int rc = app_client_find_phone(&app, phones[(size_t)i % n], &c, &err);
		us[i] = now_us() - t;
		if (rc == 1)
			found++;
		arena_release(&op);
	}
	qsort(us, (size_t)count, sizeof(*us), cmp_double);
	printf("nc-lookup: %ld look-ups of %zu numbers, %ld found: p50_us %.1f p99_us %.1f\n",
	       count, n, found, us[(count - 1) / 2], us[(long)((double)count * 0.99)]);
	free(us);
	for (size_t i = 0; i < n; i++)
		free(phones[i]);
	free(phones);
	arena_release(&a);
	db_close(db);
	return 0;
}
