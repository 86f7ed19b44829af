/* q_clients.c - clients with their phones: insert, update, get by id, the filtered and paged
 * list, and which client a phone number belongs to. */
#include "core/rules.h"
#include "store/internal.h"
#include "store/store.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>

#define CLIENT_SELECT                                                                              \
	"SELECT c.id, c.name, c.company, c.category, c.refusal_reason, c.never_reason, "           \
	"c.never_note, c.owner_id, c.segment_id, c.source_id, u.login, g.name, s.name, "           \
	"c.last_contact_at, c.category_at, c.created_at, c.updated_at"
#define CLIENT_NCOLS 17
#define CLIENT_FROM                                                                                \
	" FROM clients c LEFT JOIN users u ON u.id = c.owner_id LEFT JOIN segments g ON g.id = "   \
	"c.segment_id LEFT JOIN sources s ON s.id = c.source_id"
#define CLIENT_COLS CLIENT_SELECT CLIENT_FROM

/* The list filter: one text for every combination of filters, so that the statement cache
 * serves them all. Parameters (see bind_filter): $1 category word or '' for any, $2 owner id
 * (0 any, -1 unassigned), $3 segment id, $4 source id (0 any), $5 folded search words ('' for
 * none), $6 cursor, $7 the rep the list is visible to (0 everyone), $8 limit. Each parameter
 * first meets a column so that PostgreSQL deduces its type from it. */
#define CLIENT_WHERE                                                                               \
	" WHERE (c.category = $1 OR $1 = '')"                                                      \
	" AND (c.owner_id = $2 OR $2 = 0 OR ($2 = -1 AND c.owner_id IS NULL))"                     \
	" AND (c.segment_id = $3 OR $3 = 0) AND (c.source_id = $4 OR $4 = 0)"                      \
	" AND c.search LIKE ('%' || $5 || '%') AND c.search LIKE ('%' || $9 || '%')"               \
	" AND c.id > $6 AND (c.owner_id = $7 OR $7 = 0 OR c.owner_id IS NULL)"

/* With a search term the candidates come from the term index (a prefix range on its key). */
#define CLIENT_TERM                                                                                \
	" AND c.id IN (SELECT t.client_id FROM client_terms t WHERE t.term >= $10 AND"             \
	" t.term < $10 || $11)"
/* ... or from either of two readings of the digits typed ($12: the other one). */
#define CLIENT_TERMS                                                                               \
	" AND c.id IN (SELECT t.client_id FROM client_terms t WHERE (t.term >= $10 AND"            \
	" t.term < $10 || $11) OR (t.term >= $12 AND t.term < $12 || $11))"

#define LIST_DEFAULT 500

/* category_of reads a stored category; an unknown word keeps the client in the work queue. */
static enum category category_of(const char *s)
{
	int c = s ? category_parse(s) : -1;
	return c >= 0 && c < CAT__COUNT ? (enum category)c : CAT_NOW;
}

static void read_client(struct db_stmt *st, struct arena *a, void *row)
{
	struct client_rec *c = row;
	memset(c, 0, sizeof(*c));
	c->id = db_col_int(st, 0);
	c->name = arena_strdup(a, db_col_text(st, 1));
	c->company = arena_strdup(a, db_col_text(st, 2));
	c->category = category_of(db_col_text(st, 3));
	c->refusal_reason = arena_strdup(a, db_col_text(st, 4));
	c->never_reason = arena_strdup(a, db_col_text(st, 5));
	c->never_note = arena_strdup(a, db_col_text(st, 6));
	c->owner_id = db_col_int(st, 7);
	c->segment_id = db_col_int(st, 8);
	c->source_id = db_col_int(st, 9);
	c->owner = arena_strdup(a, db_col_text(st, 10));
	c->segment = arena_strdup(a, db_col_text(st, 11));
	c->source = arena_strdup(a, db_col_text(st, 12));
	c->last_contact_at = db_col_int(st, 13);
	c->category_at = db_col_int(st, 14);
	c->created_at = db_col_int(st, 15);
	c->updated_at = db_col_int(st, 16);
}

/* SQLite runs RETURNING through a temporary table and a statement journal: there the new id is
 * last_insert_rowid() of the connection instead */
#define CLIENT_INSERT                                                                              \
	"INSERT INTO clients (name, company, category, refusal_reason, never_reason, "             \
	"never_note, owner_id, segment_id, source_id, search, last_contact_at, category_at, "      \
	"created_at, updated_at, plan_alert_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, " \
	"$11, $12, $13, $14, $15)"

int store_client_insert(struct db *db, const struct client_rec *c, const char *search, int64_t *id,
			struct nc_err *err)
{
	return store_client_insert_bulk(db, NULL, c, search, id, err);
}

int store_client_insert_bulk(struct db *db, struct client_bulk *b, const struct client_rec *c,
			     const char *search, int64_t *id, struct nc_err *err)
{
	/* his plan summary (q_plans.c) written with the row: a new client has no steps yet, so it
	 * follows from his category, last contact and segment's cadence alone */
	struct client_plan plan = {.category = c->category, .last_contact = c->last_contact_at};
	if (c->segment_id) {
		int64_t days = 0;
		if (db_get_int(db, err, &days,
			       "SELECT cadence_max_days FROM segments WHERE id = $1", "i",
			       c->segment_id) < 0)
			return -1;
		plan.cadence_max_days = (int)days;
	}
	int64_t alert = rules_plan_alert_at(&plan);
	bool sqlite = strcmp(db_driver_name(db), "sqlite") == 0;
	struct db_stmt *st = db_preparef(
	    db, err, sqlite ? CLIENT_INSERT : CLIENT_INSERT " RETURNING id", "ttttttoootoiii",
	    c->name, c->company, category_name(c->category), c->refusal_reason, c->never_reason,
	    c->never_note, c->owner_id, c->segment_id, c->source_id, search ? search : "",
	    c->last_contact_at, c->category_at, c->created_at, c->updated_at);
	if (!st)
		return -1;
	if (alert >= 0)
		db_bind_int(st, 15, alert);
	else
		db_bind_null(st, 15);
	if (sqlite) {
		int rc = db_step(st, err);
		db_done(st);
		if (rc < 0 || db_get_int(db, err, id, "SELECT last_insert_rowid()", "") < 0)
			return -1;
	} else if (insert_id(st, id, err) < 0) {
		return -1;
	}
	if (b)
		return store_client_bulk_add(db, b, *id, c->owner_id, c->category, search, err);
	/* his (owner, category) in the agenda's pool counts (0013: no trigger on the insert) */
	if (store_client_pool_add(db, c->owner_id, c->category, 1, err) < 0)
		return -1;
	return store_client_terms(db, *id, NULL, search, err);
}

int store_client_lock(struct db *db, int64_t id, struct nc_err *err)
{
	/* a portable SELECT ... FOR NO KEY UPDATE: an update that changes no key column */
	return db_run(db, err, "UPDATE clients SET updated_at = updated_at WHERE id = $1", "i", id);
}

/* update writes the row of c and what follows from it but the search index. */
static int update(struct db *db, const struct client_rec *c, const char *search, struct nc_err *err)
{
	/* a new source or segment moves his rows in the report rollups (q_reports.c) */
	int64_t kept = 0;
	if (db_get_int(db, err, &kept,
		       "SELECT count(*) FROM clients WHERE id = $1 AND coalesce(source_id, 0) = $2 "
		       "AND coalesce(segment_id, 0) = $3",
		       "iii", c->id, c->source_id, c->segment_id) < 0)
		return -1;
	struct rollup_delta rd = {0};
	if (!kept && store_rollup_watch_client(
			 db, &rd, c->id, ROLLUP_CALLS | ROLLUP_DEALS | ROLLUP_STEPS, err) < 0) {
		store_rollup_delta_free(&rd);
		return -1;
	}
	if (db_run(
		db, err,
		"UPDATE clients SET name = $2, company = $3, category = $4, refusal_reason = $5, "
		"never_reason = $6, never_note = $7, owner_id = $8, segment_id = $9, "
		"source_id = $10, search = $11, last_contact_at = $12, category_at = $13, "
		"updated_at = $14 WHERE id = $1",
		"ittttttoootoii", c->id, c->name, c->company, category_name(c->category),
		c->refusal_reason, c->never_reason, c->never_note, c->owner_id, c->segment_id,
		c->source_id, search ? search : "", c->last_contact_at, c->category_at,
		c->updated_at) < 0) {
		store_rollup_delta_free(&rd);
		return -1;
	}
	if (db_changes(db) == 0) {
		store_rollup_delta_free(&rd);
		return nc_error(err, NC_ENOTFOUND, "no client with id %lld", (long long)c->id);
	}
	if (store_rollup_delta_apply(db, &rd, err) < 0 ||
	    store_client_plan_refresh(db, c->id, err) < 0)
		return -1;
	return 0;
}

/* client_search reads the search text of client id into *out (NULL when there is no such
 * client; the caller frees it). */
static int client_search(struct db *db, int64_t id, char **out, struct nc_err *err)
{
	*out = NULL;
	struct db_stmt *st =
	    db_preparef(db, err, "SELECT search FROM clients WHERE id = $1", "i", id);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1) {
		const char *s = db_col_text(st, 0);
		*out = xstrdup(s ? s : "");
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int store_client_update(struct db *db, const struct client_rec *c, const char *search,
			struct nc_err *err)
{
	/* the search index changes only when the text does (not on every logged call), and then
	 * by the terms that differ */
	char *old = NULL;
	if (client_search(db, c->id, &old, err) < 0)
		return -1;
	int rc = update(db, c, search, err);
	if (rc == 0 && (!old || strcmp(old, search ? search : "") != 0))
		rc = store_client_terms(db, c->id, old, search, err);
	free(old);
	return rc;
}

/* load_phones fills c's phones in the order they were added. */
static int load_phones(struct db *db, struct arena *a, struct client_rec *c, struct nc_err *err)
{
	size_t cap = 0;
	c->phones = NULL;
	c->nphones = 0;
	struct db_stmt *st = db_preparef(
	    db, err, "SELECT e164 FROM phones WHERE client_id = $1 ORDER BY id", "i", c->id);
	if (!st)
		return -1;
	int rc;
	while ((rc = db_step(st, err)) == 1) {
		c->phones = arena_grow(a, c->phones, &cap, c->nphones, sizeof(*c->phones));
		c->phones[c->nphones++] = arena_strdup(a, db_col_text(st, 0));
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* get_one_client steps st, a client's row (CLIENT_SELECT first, then with next the step's own
 * columns: store_read_step_at), into out with his phones: 1 found, 0 none, -1 error. */
static int get_one_client(struct db *db, struct arena *a, struct db_stmt *st,
			  struct client_rec *out, struct step_rec *next, bool *has_next,
			  struct nc_err *err)
{
	if (!st)
		return -1;
	if (has_next)
		*has_next = false;
	int rc = db_step(st, err);
	if (rc == 1) {
		read_client(st, a, out);
		if (next && !db_col_null(st, CLIENT_NCOLS)) {
			*has_next = true;
			store_read_step_at(st, a, next, CLIENT_NCOLS);
		}
	}
	db_done(st);
	if (rc == 1 && load_phones(db, a, out, err) < 0)
		return -1;
	return rc;
}

int store_client_get(struct db *db, struct arena *a, int64_t id, struct client_rec *out,
		     struct nc_err *err)
{
	return get_one_client(db, a, db_preparef(db, err, CLIENT_COLS " WHERE c.id = $1", "i", id),
			      out, NULL, NULL, err);
}

int store_client_get_next(struct db *db, struct arena *a, int64_t id, struct client_rec *out,
			  struct step_rec *next, bool *has_next, struct nc_err *err)
{
	/* the step his plan summary names (clients.next_step_id, q_plans.c: the earliest planned
	 * by due_at then id, refreshed in the transaction of every change to his steps), joined
	 * by its key: one statement instead of a second one that read the client's row again */
	struct db_stmt *st = db_preparef(
	    db, err,
	    CLIENT_SELECT ", n.id, n.client_id, n.call_id, n.rep_id, n.kind, n.due_at, n.status, "
			  "n.auto, n.note, n.cancel_reason, n.created_at, n.closed_at" CLIENT_FROM
			  " LEFT JOIN next_steps n ON n.id = c.next_step_id AND n.status = "
			  "'planned' WHERE c.id = $1",
	    "i", id);
	return get_one_client(db, a, st, out, next, has_next, err);
}

/* phone_add inserts one phone of a client, naming the client who has the number already. */
static int phone_add(struct db *db, int64_t client_id, const char *e164, const char *raw,
		     struct nc_err *err)
{
	if (db_run(db, err, "INSERT INTO phones (client_id, e164, raw) VALUES ($1, $2, $3)", "itt",
		   client_id, e164, raw ? raw : e164) == 0)
		return 0;
	/* name the client who has the number; the look-up fails harmlessly on PostgreSQL inside
	 * an aborted transaction, leaving the driver's message */
	struct nc_err tmp;
	int64_t other = 0;
	if (err && err->code == NC_ECONFLICT && store_phone_owner(db, e164, &other, &tmp) == 1) {
		nc_error_field(err, NC_ECONFLICT, "phone",
			       "phone \"%s\" already belongs to client %lld", e164,
			       (long long)other);
		err->ref = other;
	}
	return -1;
}

int store_phone_insert(struct db *db, int64_t client_id, const char *e164, const char *raw,
		       struct nc_err *err)
{
	/* the client's first phone may be this one (he had none): his planned steps' copy (0016) */
	return phone_add(db, client_id, e164, raw, err) < 0 ||
		       store_step_copies_refresh(db, client_id, err) < 0
		   ? -1
		   : 0;
}

int store_phone_owner(struct db *db, const char *e164, int64_t *client_id, struct nc_err *err)
{
	return db_get_int(db, err, client_id, "SELECT client_id FROM phones WHERE e164 = $1", "t",
			  e164);
}

static void bind_filter(struct db_stmt *st, const struct client_filter *f, int64_t limit)
{
	const char *cat = "";
	if (f->category >= 0)
		cat = f->category < CAT__COUNT ? category_name((enum category)f->category) : NULL;
	db_bind_text(st, 1, cat); /* NULL for a bad category: matches nothing */
	db_bind_int(st, 2, f->owner_id);
	db_bind_int(st, 3, f->segment_id);
	db_bind_int(st, 4, f->source_id);
	db_bind_text(st, 5, f->q ? f->q : "");
	db_bind_int(st, 6, f->after);
	db_bind_int(st, 7, f->visible_to);
	db_bind_int(st, 8, limit);
	db_bind_text(st, 9, f->q2 ? f->q2 : "");
	if (f->term && *f->term) {
		db_bind_text(st, 10, f->term);
		db_bind_text(st, 11, "\xf4\x8f\xbf\xbf"); /* U+10FFFF: above every continuation */
		if (f->term2 && *f->term2)
			db_bind_text(st, 12, f->term2);
	}
}

int store_client_list(struct db *db, struct arena *a, const struct client_filter *f,
		      struct client_rec **out, size_t *n, struct nc_err *err)
{
	static const struct client_filter all = {.category = -1};
	struct client_rec *rows = NULL;
	void *raw = NULL;
	size_t len = 0;
	*out = NULL;
	*n = 0;
	if (!f)
		f = &all;
	int64_t limit = f->limit > 0 ? f->limit : LIST_DEFAULT;
	/* three texts, all cached: a search term (or two readings of one) drives the query from the
	 * term index */
	bool term = f->term && *f->term, term2 = term && f->term2 && *f->term2;
	struct db_stmt *st =
	    db_prepare(db,
		       term2  ? CLIENT_COLS CLIENT_WHERE CLIENT_TERMS " ORDER BY c.id LIMIT $8"
		       : term ? CLIENT_COLS CLIENT_WHERE CLIENT_TERM " ORDER BY c.id LIMIT $8"
			      : CLIENT_COLS CLIENT_WHERE " ORDER BY c.id LIMIT $8",
		       err);
	if (!st)
		return -1;
	bind_filter(st, f, limit);
	if (collect_rows(st, a, sizeof(*rows), read_client, &raw, &len, err) < 0)
		return -1;
	rows = raw;
	for (size_t i = 0; i < len; i++)
		if (load_phones(db, a, &rows[i], err) < 0)
			return -1;
	*out = rows;
	*n = len;
	return 0;
}

int store_client_lost(struct db *db, struct arena *a, enum category c1, enum category c2,
		      int64_t since, int limit, struct client_rec **out, size_t *n,
		      struct nc_err *err)
{
	void *raw = NULL;
	*out = NULL;
	*n = 0;
	/* newest first straight off the clients_category index (category, category_at, id), one
	 * category at a time, then the rows of the few kept; $2 NULL (one category) matches none */
	struct db_stmt *st = db_preparef(
	    db, err,
	    CLIENT_COLS
	    " WHERE c.id IN (SELECT id FROM (SELECT id FROM clients WHERE category = $1 "
	    "AND category_at >= $3 ORDER BY category_at DESC, id DESC LIMIT $4) a UNION "
	    "ALL SELECT id FROM (SELECT id FROM clients WHERE category = $2 AND "
	    "category_at >= $3 ORDER BY category_at DESC, id DESC LIMIT $4) b) ORDER BY "
	    "c.category_at DESC, c.id DESC LIMIT $4",
	    "ttii", category_name(c1), c2 == c1 ? NULL : category_name(c2), since,
	    (int64_t)(limit > 0 ? limit : LIST_DEFAULT));
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(struct client_rec), read_client, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

int store_phones_replace(struct db *db, int64_t client_id, const char *const *e164,
			 const char *const *raw, size_t n, struct nc_err *err)
{
	if (db_run(db, err, "DELETE FROM phones WHERE client_id = $1", "i", client_id) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (phone_add(db, client_id, e164[i], raw ? raw[i] : NULL, err) < 0)
			return -1;
	/* his first phone may have changed: his planned steps' copy (0016) */
	return store_step_copies_refresh(db, client_id, err);
}
