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

static int cmp_term(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Terms go BATCH (or fewer, see write_terms) per statement of a fixed text, prepared once and
 * then cached; a statement short of terms repeats its last one, which the key makes a no-op.
 * SQLite: INSERT OR IGNORE, under which no row can fail the statement, so that SQLite keeps no
 * statement journal (a copy of every page the statement changes, in case it fails half-way: with
 * the foreign key of 0003 it cost more than one statement per row); PostgreSQL: ON CONFLICT DO
 * NOTHING, the same for the key. */
#define BATCH		     16
#define VALUES_4(a, b, c, d) "($" #a ", $1), ($" #b ", $1), ($" #c ", $1), ($" #d ", $1)"
#define ROWS_4		     VALUES_4(2, 3, 4, 5)
#define ROWS_8		     ROWS_4 ", " VALUES_4(6, 7, 8, 9)
#define ROWS_16		     ROWS_8 ", " VALUES_4(10, 11, 12, 13) ", " VALUES_4(14, 15, 16, 17)
#define INSERT_LITE	     "INSERT OR IGNORE INTO client_terms (term, client_id) VALUES "
#define INSERT_PG	     "INSERT INTO client_terms (term, client_id) VALUES "

static const struct {
	size_t n;
	const char *sqlite, *pg;
} insert_sql[] = {
    {4, INSERT_LITE ROWS_4, INSERT_PG ROWS_4 " ON CONFLICT DO NOTHING"},
    {8, INSERT_LITE ROWS_8, INSERT_PG ROWS_8 " ON CONFLICT DO NOTHING"},
    {BATCH, INSERT_LITE ROWS_16, INSERT_PG ROWS_16 " ON CONFLICT DO NOTHING"},
};

/* write_terms inserts the terms of client id: BATCH per statement, the last statement the
 * smallest text that holds the rest. */
static int write_terms(struct db *db, int64_t id, const struct terms *ts, struct nc_err *err)
{
	bool sqlite = strcmp(db_driver_name(db), "sqlite") == 0;
	size_t nsql = sizeof(insert_sql) / sizeof(insert_sql[0]);
	for (size_t from = 0; from < ts->n;) {
		size_t k = 0;
		while (k + 1 < nsql && insert_sql[k].n < ts->n - from)
			k++;
		size_t step = insert_sql[k].n;
		struct db_stmt *st =
		    db_prepare(db, sqlite ? insert_sql[k].sqlite : insert_sql[k].pg, err);
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
		from += step < ts->n - from ? step : ts->n - from;
	}
	return 0;
}

/* gather_terms puts the terms of a search text into ts, each once and in key order. */
static void gather_terms(const char *search, struct terms *ts)
{
	const char *p = search ? search : "";
	while (*p) {
		size_t n = strcspn(p, " ");
		if (all_digits(p, n)) {
			for (size_t k = 0; k + MIN_DIGITS <= n; k++)
				add_term(ts, p + k, n - k);
		} else if (n) {
			add_term(ts, p, n);
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	/* each term once (a word may repeat, as a name in the company's name) and in key order:
	 * the client's rows of client_terms_client (client_id, term) then go in at its end */
	if (ts->n > 1)
		qsort(ts->t, ts->n, sizeof(*ts->t), cmp_term);
	size_t k = 0;
	for (size_t i = 0; i < ts->n; i++)
		if (k == 0 || strcmp(ts->t[i], ts->t[k - 1]) != 0)
			memmove(ts->t[k++], ts->t[i], sizeof(*ts->t));
	ts->n = k;
}

/* A client's rows of client_terms are always the terms of his stored search text: both are
 * written together, in one transaction, by the store alone. So a new text's change is the
 * difference of the two term sets (each sorted and unique): the terms only the old text has are
 * deleted by their key, those only the new one has inserted. No index by client is needed for
 * it (migration 0021 dropped client_terms_client, a third of the B-tree work of every term an
 * import writes), and a changed name or phone rewrites its few terms, not all of them. */
int store_client_terms(struct db *db, int64_t id, const char *old_search, const char *search,
		       struct nc_err *err)
{
	struct terms was = {0}, now = {0}, added = {0};
	int rc = 0;
	gather_terms(search, &now);
	if (old_search)
		gather_terms(old_search, &was);
	size_t i = 0, k = 0;
	while (rc == 0 && (i < was.n || k < now.n)) {
		int c = i == was.n ? 1 : k == now.n ? -1 : strcmp(was.t[i], now.t[k]);
		if (c < 0) { /* his old text's alone */
			rc = db_run(db, err,
				    "DELETE FROM client_terms WHERE term = $1 AND client_id = $2",
				    "ti", was.t[i], id);
			i++;
		} else if (c > 0) { /* the new text's alone */
			add_term(&added, now.t[k], strlen(now.t[k]));
			k++;
		} else {
			i++;
			k++;
		}
	}
	if (rc == 0)
		rc = write_terms(db, id, &added, err);
	free(was.t);
	free(now.t);
	free(added.t);
	return rc < 0 ? -1 : 0;
}

/* ---- bulk: the terms and pool counts of many new clients, written together ---- */

/* One gathered term of struct client_bulk: its first 8 bytes as a big-endian number (a
 * comparison of two numbers decides most pairs in the order of the key, bytes), the rest in the
 * bulk's text. */
struct bulk_term {
	uint64_t head;
	int64_t id;
	uint32_t off; /* of the term's text in struct client_bulk.text */
	uint32_t len;
};

#define BULK_TERMS_MAX (1u << 21) /* gathered terms written before more are taken (~70 MB) */
#define BULK_POOLS     16	  /* (owner, category) counts kept; more are written at once */

struct client_bulk {
	struct buf terms; /* struct bulk_term */
	struct buf text;
	struct bulk_pool {
		int64_t owner_id, n;
		enum category category;
	} pool[BULK_POOLS];
	size_t npool;
};

struct client_bulk *store_client_bulk_new(void)
{
	struct client_bulk *b = xcalloc(1, sizeof(*b));
	buf_init(&b->terms, 0);
	buf_init(&b->text, 0);
	return b;
}

void store_client_bulk_free(struct client_bulk *b)
{
	if (!b)
		return;
	buf_release(&b->terms);
	buf_release(&b->text);
	free(b);
}

static int cmp_bulk_term(const void *pa, const void *pb, void *arg)
{
	const struct bulk_term *a = pa, *b = pb;
	if (a->head != b->head)
		return a->head < b->head ? -1 : 1;
	/* the same first 8 bytes (a short term padded with 0, which no term holds): the rest
	 * decides, none first, then the client */
	const char *text = arg;
	size_t la = a->len > 8 ? a->len - 8 : 0, lb = b->len > 8 ? b->len - 8 : 0;
	int c = la && lb ? memcmp(text + a->off + 8, text + b->off + 8, la < lb ? la : lb) : 0;
	if (c == 0 && la != lb)
		c = la < lb ? -1 : 1;
	if (c == 0 && a->id != b->id)
		c = a->id < b->id ? -1 : 1;
	return c;
}

/* Bulk terms go BULK_ROWS a statement, each row with its own client. */
#define BULK_ROWS 16
#define PAIRS_4(a, b, c, d, e, f, g, h)                                                            \
	"($" #a ", $" #b "), ($" #c ", $" #d "), ($" #e ", $" #f "), ($" #g ", $" #h ")"
#define PAIRS_16                                                                                   \
	PAIRS_4(1, 2, 3, 4, 5, 6, 7, 8)                                                            \
	", " PAIRS_4(9, 10, 11, 12, 13, 14, 15, 16) ", " PAIRS_4(                                  \
	    17, 18, 19, 20, 21, 22, 23, 24) ", " PAIRS_4(25, 26, 27, 28, 29, 30, 31, 32)
#define BULK_LITE "INSERT OR IGNORE INTO client_terms (term, client_id) VALUES " PAIRS_16
#define BULK_PG                                                                                    \
	"INSERT INTO client_terms (term, client_id) VALUES " PAIRS_16 " ON CONFLICT DO NOTHING"

/* bulk_write_terms writes the gathered terms in key order (each page of the index is then
 * visited once, in order, instead of one random page a term) and empties the list. */
static int bulk_write_terms(struct db *db, struct client_bulk *b, struct nc_err *err)
{
	struct bulk_term *t = (struct bulk_term *)b->terms.data;
	size_t n = b->terms.len / sizeof(*t);
	if (n > 1)
		qsort_r(t, n, sizeof(*t), cmp_bulk_term, b->text.data);
	const char *sql = strcmp(db_driver_name(db), "sqlite") == 0 ? BULK_LITE : BULK_PG;
	for (size_t from = 0; from < n; from += BULK_ROWS) {
		struct db_stmt *st = db_prepare(db, sql, err);
		if (!st)
			return -1;
		/* a statement short of rows repeats its last one, which the key makes a no-op
		 * (both drivers copy a bound text) */
		for (size_t i = 0; i < BULK_ROWS; i++) {
			const struct bulk_term *x = &t[from + i < n ? from + i : n - 1];
			char term[TERM_MAX + 1];
			memcpy(term, b->text.data + x->off, x->len);
			term[x->len] = 0;
			db_bind_text(st, 2 * (int)i + 1, term);
			db_bind_int(st, 2 * (int)i + 2, x->id);
		}
		int rc = db_step(st, err);
		db_done(st);
		if (rc < 0)
			return -1;
	}
	buf_reset(&b->terms);
	buf_reset(&b->text);
	return 0;
}

static int bulk_write_pool(struct db *db, struct client_bulk *b, struct nc_err *err)
{
	for (size_t i = 0; i < b->npool; i++)
		if (store_client_pool_add(db, b->pool[i].owner_id, b->pool[i].category,
					  b->pool[i].n, err) < 0)
			return -1;
	b->npool = 0;
	return 0;
}

int store_client_bulk_add(struct db *db, struct client_bulk *b, int64_t id, int64_t owner_id,
			  enum category c, const char *search, struct nc_err *err)
{
	size_t i = 0;
	owner_id = owner_id > 0 ? owner_id : 0;
	while (i < b->npool && (b->pool[i].owner_id != owner_id || b->pool[i].category != c))
		i++;
	if (i == BULK_POOLS) {
		if (bulk_write_pool(db, b, err) < 0)
			return -1;
		i = 0;
	}
	if (i == b->npool)
		b->pool[b->npool++] = (struct bulk_pool){.owner_id = owner_id, .category = c};
	b->pool[i].n++;
	struct terms ts = {0};
	gather_terms(search, &ts);
	for (size_t k = 0; k < ts.n; k++) {
		size_t len = strlen(ts.t[k]);
		struct bulk_term x = {.id = id, .off = (uint32_t)b->text.len, .len = (uint32_t)len};
		for (size_t j = 0; j < 8; j++)
			x.head = x.head << 8 | (j < len ? (unsigned char)ts.t[k][j] : 0);
		buf_add(&b->text, ts.t[k], len);
		buf_add(&b->terms, &x, sizeof(x));
	}
	free(ts.t);
	if (b->terms.len / sizeof(struct bulk_term) >= BULK_TERMS_MAX)
		return bulk_write_terms(db, b, err);
	return 0;
}

int store_client_bulk_flush(struct db *db, struct client_bulk *b, struct nc_err *err)
{
	return bulk_write_pool(db, b, err) < 0 ? -1 : bulk_write_terms(db, b, err);
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
		if (store_client_terms(db, c[i].id, NULL, c[i].name, err) < 0)
			goto out;
	rc = 0;
out:
	arena_release(&a);
	return rc;
}
