/* q_terms.c - the search index of clients (client_terms): the words of a client's folded search
 * text and every suffix of at least three digits of his phone numbers, so that a prefix lookup
 * finds names by their beginning and phones by any run of their digits. */
#include "store/internal.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>

#define TERM_MAX   64 /* longer words are indexed by their first 64 bytes */
#define MIN_DIGITS 3  /* shorter digit runs are not worth an index entry */

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* struct terms gathers a client's terms before they are written. */
struct terms {
	char (*t)[TERM_MAX + 1];
	size_t n, cap;
};

static void add_term(struct terms *ts, const char *s, size_t n)
{
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 32;
		ts->t = xrealloc(ts->t, ts->cap * sizeof(*ts->t));
	}
	n = utf8_prefix_len(s, n, TERM_MAX);
	memcpy(ts->t[ts->n], s, n);
	ts->t[ts->n++][n] = 0;
}

/* a word may repeat (a name in the company's name): the key makes the second a no-op */
static const char insert_one[] =
    "INSERT INTO client_terms (term, client_id) VALUES ($2, $1) ON CONFLICT DO NOTHING";

/* BATCH terms per statement of one fixed text (prepared once, then cached): a shorter batch
 * repeats its last term, which the key makes a no-op */
#define BATCH 16
static const char insert_batch[] =
    "INSERT INTO client_terms (term, client_id) VALUES ($2, $1), ($3, $1), ($4, $1), ($5, $1), "
    "($6, $1), ($7, $1), ($8, $1), ($9, $1), ($10, $1), ($11, $1), ($12, $1), ($13, $1), "
    "($14, $1), ($15, $1), ($16, $1), ($17, $1) ON CONFLICT DO NOTHING";

/* write_terms inserts the terms of client id. SQLite: one row per statement, since a statement
 * of several rows keeps a statement journal (a copy of every page it changes) in case it fails
 * half-way, which cost more than the statements; PostgreSQL: BATCH rows per round trip. */
static int write_terms(struct db *db, int64_t id, const struct terms *ts, struct nc_err *err)
{
	bool batch = strcmp(db_driver_name(db), "sqlite") != 0;
	size_t step = batch ? BATCH : 1;
	for (size_t from = 0; from < ts->n; from += step) {
		struct db_stmt *st = db_prepare(db, batch ? insert_batch : insert_one, err);
		if (!st)
			return -1;
		db_bind_int(st, 1, id);
		for (size_t i = 0; i < step; i++)
			db_bind_text(st, (int)i + 2,
				     ts->t[from + i < ts->n ? from + i : ts->n - 1]);
		int rc = db_step(st, err);
		db_done(st);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int store_client_terms(struct db *db, int64_t id, const char *search, bool replace,
		       struct nc_err *err)
{
	if (replace &&
	    db_run(db, err, "DELETE FROM client_terms WHERE client_id = $1", "i", id) < 0)
		return -1;
	struct terms ts = {0};
	const char *p = search ? search : "";
	while (*p) {
		size_t n = strcspn(p, " ");
		if (all_digits(p, n)) {
			for (size_t k = 0; k + MIN_DIGITS <= n; k++)
				add_term(&ts, p + k, n - k);
		} else if (n) {
			add_term(&ts, p, n);
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	int rc = write_terms(db, id, &ts, err);
	free(ts.t);
	return rc;
}

static void read_pair(struct db_stmt *st, struct arena *a, void *row)
{
	struct client_rec *c = row;
	c->id = db_col_int(st, 0);
	c->name = arena_strdup(a, db_col_text(st, 1)); /* the search text, borrowed field */
}

int store_client_terms_rebuild(struct db *db, struct nc_err *err)
{
	struct arena a;
	arena_init(&a);
	void *raw;
	size_t n;
	int rc = -1;
	struct db_stmt *st = db_prepare(db, "SELECT id, search FROM clients ORDER BY id", err);
	if (!st || collect_rows(st, &a, sizeof(struct client_rec), read_pair, &raw, &n, err) < 0)
		goto out;
	struct client_rec *c = raw;
	if (db_run(db, err, "DELETE FROM client_terms", "") < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (store_client_terms(db, c[i].id, c[i].name, false, err) < 0)
			goto out;
	rc = 0;
out:
	arena_release(&a);
	return rc;
}
