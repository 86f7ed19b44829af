/* q_terms.c - the search index of clients (client_terms): the words of a client's folded search
 * text and every suffix of at least three digits of his phone numbers, so that a prefix lookup
 * finds names by their beginning and phones by any run of their digits. */
#include "store/internal.h"
#include "store/store.h"
#include "util/utf8.h"

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

static int add_term(struct db *db, int64_t id, const char *s, size_t n, struct nc_err *err)
{
	char term[TERM_MAX + 1];
	n = utf8_prefix_len(s, n, TERM_MAX);
	memcpy(term, s, n);
	term[n] = 0;
	/* a word may repeat (a name in the company's name): the key makes the second a no-op */
	return db_run(db, err,
		      "INSERT INTO client_terms (term, client_id) VALUES ($1, $2) ON CONFLICT DO "
		      "NOTHING",
		      "ti", term, id);
}

int store_client_terms(struct db *db, int64_t id, const char *search, bool replace,
		       struct nc_err *err)
{
	if (replace &&
	    db_run(db, err, "DELETE FROM client_terms WHERE client_id = $1", "i", id) < 0)
		return -1;
	const char *p = search ? search : "";
	while (*p) {
		size_t n = strcspn(p, " ");
		if (all_digits(p, n)) {
			for (size_t k = 0; k + MIN_DIGITS <= n; k++)
				if (add_term(db, id, p + k, n - k, err) < 0)
					return -1;
		} else if (n && add_term(db, id, p, n, err) < 0) {
			return -1;
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	return 0;
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
