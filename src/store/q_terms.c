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

#define BATCH 60 /* terms per INSERT: the drivers map at most 64 parameters */

/* struct terms gathers a client's terms before they are written in few statements. */
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

/* write_batch inserts terms [from, from+n) of client id with one statement. The text is made of
 * fixed fragments only (the parameter count varies); each count is prepared once and cached. */
static int write_batch(struct db *db, int64_t id, const struct terms *ts, size_t from, size_t n,
		       struct nc_err *err)
{
	struct buf sql;
	buf_init(&sql, 8192);
	buf_adds(&sql, "INSERT INTO client_terms (term, client_id) VALUES ");
	for (size_t i = 0; i < n; i++)
		buf_printf(&sql, "%s($%zu, $1)", i ? ", " : "", i + 2);
	/* a word may repeat (a name in the company's name): the key makes the second a no-op */
	buf_adds(&sql, " ON CONFLICT DO NOTHING");
	int rc = -1;
	struct db_stmt *st = db_prepare(db, sql.data, err);
	if (st) {
		db_bind_int(st, 1, id);
		for (size_t i = 0; i < n; i++)
			db_bind_text(st, (int)i + 2, ts->t[from + i]);
		rc = db_step(st, err) < 0 ? -1 : 0;
		db_done(st);
	}
	buf_release(&sql);
	return rc;
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
	int rc = 0;
	for (size_t i = 0; i < ts.n && rc == 0; i += BATCH)
		rc = write_batch(db, id, &ts, i, ts.n - i < BATCH ? ts.n - i : BATCH, err);
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
