/* q_contacts.c - contacts with clients (calls and meetings, one row each) and the deals they
 * lead to. */
#include "store/internal.h"
#include "store/store.h"

#include <string.h>

#define CALL_SELECT                                                                                \
	"SELECT c.id, c.client_id, c.rep_id, c.kind, c.direction, c.started_at, c.answered_at, "   \
	"c.ended_at, c.ring_s, c.talk_s, c.missed, c.purpose, c.goal_max, c.goal_min, c.result, "  \
	"c.outcome, c.refusal_reason, c.phone, c.pbx_id, c.recording_url, c.logged, "              \
	"c.created_at, u.login"
#define CALL_COLS CALL_SELECT " FROM calls c LEFT JOIN users u ON u.id = c.rep_id"
/* the columns of a list, which shows no answer, end or creation time (NULL in their places,
 * read as 0) and gets no login (NULL): fill_logins fills them in afterwards, one look-up per
 * distinct rep instead of a join per row (a fifth of a card's call list) */
#define CALL_LIST_COLS                                                                             \
	"SELECT c.id, c.client_id, c.rep_id, c.kind, c.direction, c.started_at, NULL, NULL, "      \
	"c.ring_s, c.talk_s, c.missed, c.purpose, c.goal_max, c.goal_min, c.result, c.outcome, "   \
	"c.refusal_reason, c.phone, c.pbx_id, c.recording_url, c.logged, NULL, NULL FROM calls c"
/* the same with the login joined, for the list of everyone's calls, whose reps are many */
#define CALL_LIST_JOIN_COLS                                                                        \
	"SELECT c.id, c.client_id, c.rep_id, c.kind, c.direction, c.started_at, NULL, NULL, "      \
	"c.ring_s, c.talk_s, c.missed, c.purpose, c.goal_max, c.goal_min, c.result, c.outcome, "   \
	"c.refusal_reason, c.phone, c.pbx_id, c.recording_url, c.logged, NULL, u.login FROM "      \
	"calls c LEFT JOIN users u ON u.id = c.rep_id"

#define CALL_LIST_DEFAULT 100

/* word_of parses a stored word with parse, giving def for NULL or an unknown word. */
static int word_of(const char *s, int (*parse)(const char *), int count, int def)
{
	int v = s ? parse(s) : -1;
	return v >= 0 && v < count ? v : def;
}

static void read_call(struct db_stmt *st, struct arena *a, void *row)
{
	struct call_rec *c = row;
	memset(c, 0, sizeof(*c));
	c->id = db_col_int(st, 0);
	c->client_id = db_col_int(st, 1);
	c->rep_id = db_col_int(st, 2);
	c->kind = (enum contact_kind)word_of(db_col_text(st, 3), contact_kind_parse, CONTACT__COUNT,
					     CONTACT_CALL);
	c->direction = word_of(db_col_text(st, 4), direction_parse, DIR__COUNT, -1);
	c->started_at = db_col_int(st, 5);
	c->answered_at = db_col_int(st, 6);
	c->ended_at = db_col_int(st, 7);
	c->ring_s = (int)db_col_int(st, 8);
	c->talk_s = (int)db_col_int(st, 9);
	c->missed = db_col_int(st, 10) == 1;
	c->purpose = arena_strdup(a, db_col_text(st, 11));
	c->goal_max = arena_strdup(a, db_col_text(st, 12));
	c->goal_min = arena_strdup(a, db_col_text(st, 13));
	c->result = word_of(db_col_text(st, 14), result_parse, RESULT__COUNT, -1);
	c->outcome = arena_strdup(a, db_col_text(st, 15));
	c->refusal_reason = arena_strdup(a, db_col_text(st, 16));
	c->phone = arena_strdup(a, db_col_text(st, 17));
	c->pbx_id = arena_strdup(a, db_col_text(st, 18));
	c->recording_url = arena_strdup(a, db_col_text(st, 19));
	c->logged = db_col_int(st, 20) == 1;
	c->created_at = db_col_int(st, 21);
	c->rep = arena_strdup(a, db_col_text(st, 22));
}

#define CALL_INSERT                                                                                \
	"INSERT INTO calls (client_id, rep_id, kind, direction, started_at, answered_at, "         \
	"ended_at, ring_s, talk_s, missed, purpose, goal_max, goal_min, result, outcome, "         \
	"refusal_reason, phone, pbx_id, recording_url, logged, created_at) VALUES ($1, $2, $3, "   \
	"$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, coalesce($15, 'none'), $16, $17, $18, "  \
	"$19, $20, $21)"

int store_call_insert(struct db *db, const struct call_rec *c, int64_t *id, struct nc_err *err)
{
	const char *dir = c->direction >= 0 && c->direction < DIR__COUNT
			      ? direction_name((enum direction)c->direction)
			      : NULL;
	const char *res = c->result >= 0 && c->result < RESULT__COUNT
			      ? result_name((enum result)c->result)
			      : NULL;
	/* the rollups get the call's difference: the missed calls it may call back (and his won
	 * deals) are watched before it is written; in a write transaction the watches of all its
	 * writes (a CDR import's whole file) are applied once, before the commit */
	struct rollup_delta rd = {0};
	if (store_rollup_watch_window(db, &rd, c->client_id, c->started_at, err) < 0) {
		store_rollup_delta_free(&rd);
		return -1;
	}
	/* SQLite runs RETURNING through a temporary table and a statement journal: there the new
	 * id is last_insert_rowid() of the connection instead */
	bool sqlite = strcmp(db_driver_name(db), "sqlite") == 0;
	struct db_stmt *st = db_preparef(
	    db, err, sqlite ? CALL_INSERT : CALL_INSERT " RETURNING id", "oottiooiiitttttttttii",
	    c->client_id, c->rep_id, contact_kind_name(c->kind), dir, c->started_at, c->answered_at,
	    c->ended_at, (int64_t)c->ring_s, (int64_t)c->talk_s, (int64_t)(c->missed ? 1 : 0),
	    c->purpose, c->goal_max, c->goal_min, res, c->outcome, c->refusal_reason, c->phone,
	    c->pbx_id, c->recording_url, (int64_t)(c->logged ? 1 : 0), c->created_at);
	int rc = -1;
	if (st && sqlite) {
		rc = db_step(st, err) < 0 ? -1 : 0;
		db_done(st);
		if (rc == 0 && db_get_int(db, err, id, "SELECT last_insert_rowid()", "") < 0)
			rc = -1;
	} else if (st) {
		rc = insert_id(st, id, err);
	}
	if (rc < 0) {
		store_rollup_delta_free(&rd);
		if (st && err && err->code == NC_ECONFLICT && c->pbx_id)
			nc_error_field(err, NC_ECONFLICT, "pbx_id",
				       "call \"%s\" from the exchange is already recorded",
				       c->pbx_id);
		return -1;
	}
	if (store_rollup_delta_new(db, &rd, ROLLUP_CALLS, *id, err) < 0) {
		store_rollup_delta_free(&rd);
		return -1;
	}
	store_rollup_call_new(db, &rd, c->rep_id, c->started_at);
	return store_rollup_delta_apply(db, &rd, err);
}

/* fill_logins sets the rep login of each of n calls read without it, as "LEFT JOIN users" gives
 * it (NULL without a rep or a user row): one look-up per distinct rep, who is mostly one for a
 * client's or a rep's calls. The rows share the arena copy of a login. */
static int fill_logins(struct db *db, struct arena *a, struct call_rec *rows, size_t n,
		       struct nc_err *err)
{
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].rep_id || rows[i].rep)
			continue;
		size_t j = 0;
		while (j < i && rows[j].rep_id != rows[i].rep_id)
			j++;
		if (j < i) /* an earlier row's rep has no user row */
			continue;
		const char *login;
		if (store_user_login(db, a, rows[i].rep_id, &login, err) < 0)
			return -1;
		for (size_t k = i; k < n; k++)
			if (rows[k].rep_id == rows[i].rep_id)
				rows[k].rep = login;
	}
	return 0;
}

int store_call_list(struct db *db, struct arena *a, int64_t client_id, int64_t rep_id, int limit,
		    struct call_rec **out, size_t *n, struct nc_err *err)
{
	struct call_rec *rows = NULL;
	void *raw = NULL;
	size_t len = 0;
	*out = NULL;
	*n = 0;
	/* one text per case, each by its index: "client_id = $1 OR $1 = 0" would make the planner
	 * walk every call by calls_started */
	const char *sql = CALL_LIST_JOIN_COLS " WHERE $1 = 0 AND $2 = 0 ORDER BY c.started_at "
					      "DESC, c.id DESC LIMIT $3";
	if (client_id)
		sql = CALL_LIST_COLS " WHERE c.client_id = $1 AND (c.rep_id = $2 OR $2 = 0) "
				     "ORDER BY c.started_at DESC, c.id DESC LIMIT $3";
	else if (rep_id)
		sql = CALL_LIST_COLS " WHERE $1 = 0 AND c.rep_id = $2 ORDER BY c.started_at DESC, "
				     "c.id DESC LIMIT $3";
	struct db_stmt *st = db_preparef(db, err, sql, "iii", client_id, rep_id,
					 (int64_t)(limit > 0 ? limit : CALL_LIST_DEFAULT));
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(*rows), read_call, &raw, &len, err) < 0)
		return -1;
	rows = raw;
	if ((client_id || rep_id) && fill_logins(db, a, rows, len, err) < 0)
		return -1;
	*out = rows;
	*n = len;
	return 0;
}

int store_deal_insert(struct db *db, const struct deal_rec *d, int64_t *id, struct nc_err *err)
{
	struct db_stmt *st = db_preparef(
	    db, err,
	    "INSERT INTO deals (client_id, call_id, rep_id, amount, stage, created_at, "
	    "updated_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
	    "iooitiio", d->client_id, d->call_id, d->rep_id, d->amount, deal_stage_name(d->stage),
	    d->created_at, d->updated_at, d->closed_at);
	if (!st || insert_id(st, id, err) < 0)
		return -1;
	struct rollup_delta rd = {0};
	if (store_rollup_delta_new(db, &rd, ROLLUP_DEALS, *id, err) < 0) {
		store_rollup_delta_free(&rd);
		return -1;
	}
	return store_rollup_delta_apply(db, &rd, err);
}

static void read_deal(struct db_stmt *st, struct arena *a, void *row)
{
	struct deal_rec *d = row;
	d->id = db_col_int(st, 0);
	d->client_id = db_col_int(st, 1);
	d->call_id = db_col_int(st, 2);
	d->rep_id = db_col_int(st, 3);
	d->amount = db_col_int(st, 4);
	/* an unknown stage counts as lost: it is neither revenue nor open pipeline */
	d->stage =
	    (enum deal_stage)word_of(db_col_text(st, 5), deal_stage_parse, DEAL__COUNT, DEAL_LOST);
	d->created_at = db_col_int(st, 6);
	d->updated_at = db_col_int(st, 7);
	d->closed_at = db_col_int(st, 8);
}

int store_deal_list(struct db *db, struct arena *a, int64_t client_id, struct deal_rec **out,
		    size_t *n, struct nc_err *err)
{
	struct deal_rec *rows = NULL;
	void *raw = NULL;
	size_t len = 0;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_preparef(db, err,
					 "SELECT id, client_id, call_id, rep_id, amount, stage, "
					 "created_at, updated_at, closed_at FROM deals WHERE "
					 "client_id = $1 ORDER BY id",
					 "i", client_id);
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(*rows), read_deal, &raw, &len, err) < 0)
		return -1;
	rows = raw;
	*out = rows;
	*n = len;
	return 0;
}

int store_deals_close_open(struct db *db, int64_t client_id, enum deal_stage stage, int64_t now,
			   struct nc_err *err)
{
	/* closed_at marks a final stage only; moving open deals to another open stage keeps it
	 * empty */
	int64_t closed = stage == DEAL_WON || stage == DEAL_LOST ? now : 0;
	struct rollup_delta rd = {0};
	if (store_rollup_watch_client(db, &rd, client_id, ROLLUP_DEALS, err) < 0 ||
	    db_run(db, err,
		   "UPDATE deals SET stage = $2, updated_at = $3, closed_at = $4 WHERE "
		   "client_id = $1 AND stage IN ('offer', 'pending')",
		   "itio", client_id, deal_stage_name(stage), now, closed) < 0) {
		store_rollup_delta_free(&rd);
		return -1;
	}
	return store_rollup_delta_apply(db, &rd, err);
}

int store_call_get(struct db *db, struct arena *a, int64_t id, struct call_rec *out,
		   struct nc_err *err)
{
	struct db_stmt *st = db_preparef(db, err, CALL_COLS " WHERE c.id = $1", "i", id);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1)
		read_call(st, a, out);
	db_done(st);
	return rc;
}

/* The page's parameters, the same in every text: $1 kind, $2 client (0 any), $3 rep (0 any),
 * [$4, $5) the start times, $6 cursor, $7 the rep the page is visible to, $8 limit.
 * One page of contacts, ordered by id, one statement per filter, each by its index: an OR of
 * filters defeats all of them, and "ORDER BY c.id" then sorted every call of the range (an
 * unfiltered page took minutes on 10 M calls). A client's few calls by his index (SQLite's
 * calls_card, PostgreSQL's calls_client), then
 * sorted; a rep's, or the team's over at most RANGE_SORTED of time, as the ids an index range
 * holds (calls_rep, calls_started: their entries end with the id), which SQLite keeps sorted
 * and reads in order, each row then read until the page is full; everything else walks the
 * table by id from the cursor and stops at the page's end ("+c.started_at" keeps calls_started
 * out of it), from the first id of the range when there is one. $7: the rep whose view this
 * is (his calls, those of the clients he owns or nobody owns), 0 for a manager. */
#define CALL_PAGE_WHERE(FIRST)                                                                     \
	CALL_COLS " LEFT JOIN clients k ON k.id = c.client_id WHERE " FIRST " AND c.kind = $1"     \
		  " AND c.id > $6 AND (c.rep_id = $7 OR $7 = 0 OR k.owner_id = $7"                 \
		  " OR (k.id IS NOT NULL AND k.owner_id IS NULL)) ORDER BY c.id LIMIT $8"
#define CALL_PAGE_CLIENT                                                                           \
	CALL_PAGE_WHERE("c.client_id = $2 AND (c.rep_id = $3 OR $3 = 0) AND c.started_at >= $4 "   \
			"AND c.started_at < $5")
#define CALL_PAGE_REP                                                                              \
	CALL_PAGE_WHERE("c.id IN (SELECT x.id FROM calls x WHERE x.rep_id = $3 AND x.started_at "  \
			">= $4 AND x.started_at < $5 AND x.id > $6) AND $2 = 0")
#define CALL_PAGE_RANGE                                                                            \
	CALL_PAGE_WHERE("c.id IN (SELECT x.id FROM calls x WHERE x.started_at >= $4 AND "          \
			"x.started_at < $5 AND x.id > $6) AND $2 = 0 AND $3 = 0")
#define CALL_PAGE_ALL                                                                              \
	CALL_PAGE_WHERE("$2 = 0 AND $3 = 0 AND +c.started_at >= $4 AND +c.started_at < $5")
#define RANGE_SORTED (31 * 86400) /* the widest range of the team's calls read by its index */

int store_call_page(struct db *db, struct arena *a, const struct call_filter *f,
		    struct call_rec **out, size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	*out = NULL;
	*n = 0;
	int64_t after = f->after;
	bool ranged = f->from != INT64_MIN || f->to != INT64_MAX;
	bool walk =
	    !f->client_id && !f->rep_id &&
	    !(f->from != INT64_MIN && f->to != INT64_MAX && f->to - f->from <= RANGE_SORTED);
	const char *sql = f->client_id ? CALL_PAGE_CLIENT
			  : f->rep_id  ? CALL_PAGE_REP
			  : walk       ? CALL_PAGE_ALL
				       : CALL_PAGE_RANGE;
	if (walk && ranged) {
		/* the walk starts at the range's first id, read from calls_started alone (the calls
		 * of a range were mostly written together, so the page follows soon) */
		int64_t first = 0;
		int rc = db_get_int(db, err, &first,
				    "SELECT min(id) FROM calls WHERE started_at >= $1 AND "
				    "started_at < $2",
				    "ii", f->from, f->to);
		if (rc < 0)
			return -1;
		if (rc == 0 || first == 0) /* none in the range */
			return 0;
		if (first - 1 > after)
			after = first - 1;
	}
	struct db_stmt *st = db_preparef(
	    db, err, sql, "tiiiiiii", contact_kind_name(f->kind), f->client_id, f->rep_id, f->from,
	    f->to, after, f->visible_to, (int64_t)(f->limit > 0 ? f->limit : CALL_LIST_DEFAULT));
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(struct call_rec), read_call, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

#define DEAL_COLS                                                                                  \
	"SELECT d.id, d.client_id, d.call_id, d.rep_id, d.amount, d.stage, d.created_at, "         \
	"d.updated_at, d.closed_at FROM deals d"

int store_deal_get(struct db *db, struct arena *a, int64_t id, struct deal_rec *out,
		   struct nc_err *err)
{
	struct db_stmt *st = db_preparef(db, err, DEAL_COLS " WHERE d.id = $1", "i", id);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1)
		read_deal(st, a, out);
	db_done(st);
	return rc;
}

int store_deal_update(struct db *db, const struct deal_rec *d, struct nc_err *err)
{
	struct rollup_delta rd = {0};
	if (store_rollup_watch_deal(db, &rd, d->id, err) < 0 ||
	    db_run(db, err,
		   "UPDATE deals SET amount = $2, stage = $3, updated_at = $4, closed_at = $5 "
		   "WHERE id = $1",
		   "iitio", d->id, d->amount, deal_stage_name(d->stage), d->updated_at,
		   d->closed_at) < 0) {
		store_rollup_delta_free(&rd);
		return -1;
	}
	if (db_changes(db) == 0) {
		store_rollup_delta_free(&rd);
		return nc_error(err, NC_ENOTFOUND, "no deal with id %lld", (long long)d->id);
	}
	return store_rollup_delta_apply(db, &rd, err);
}

/* One text for every combination of filters (see CLIENT_WHERE in q_clients.c): $1 client id (0
 * any), $2 stage word ('' any), $3 cursor, $4 the rep the list is visible to (0 everyone), $5
 * limit. */
int store_deal_query(struct db *db, struct arena *a, const struct deal_filter *f,
		     struct deal_rec **out, size_t *n, struct nc_err *err)
{
	const char *stage = "";
	if (f->stage >= 0)
		stage = f->stage < DEAL__COUNT ? deal_stage_name((enum deal_stage)f->stage) : NULL;
	void *raw = NULL;
	size_t len = 0;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_preparef(
	    db, err,
	    DEAL_COLS " JOIN clients c ON c.id = d.client_id WHERE (d.client_id = $1 OR $1 = 0) "
		      "AND (d.stage = $2 OR $2 = '') AND d.id > $3 AND (c.owner_id = $4 OR $4 = 0 "
		      "OR c.owner_id IS NULL) ORDER BY d.id LIMIT $5",
	    "itiii", f->client_id, stage, f->after, f->visible_to,
	    (int64_t)(f->limit > 0 ? f->limit : 500));
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(struct deal_rec), read_deal, &raw, &len, err) < 0)
		return -1;
	*out = raw;
	*n = len;
	return 0;
}

static void read_unlogged(struct db_stmt *st, struct arena *a, void *row)
{
	struct call_rec *c = row;
	read_call(st, a, row);
	c->client_name = arena_strdup(a, db_col_text(st, 23));
	c->client_owner = db_col_int(st, 24);
}

int store_calls_unlogged(struct db *db, struct arena *a, int64_t rep_id, int64_t since, int limit,
			 struct call_rec **out, size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	*out = NULL;
	*n = 0;
	/* by the calls_rep index (rep_id, started_at), newest first: since bounds the scan */
	struct db_stmt *st = db_preparef(
	    db, err,
	    CALL_SELECT
	    ", k.name, k.owner_id FROM calls c LEFT JOIN users u ON u.id = c.rep_id LEFT JOIN "
	    "clients k ON k.id = c.client_id WHERE c.rep_id = $1 AND c.started_at >= $2 "
	    "AND c.logged = 0 ORDER BY c.started_at DESC, c.id DESC LIMIT $3",
	    "iii", rep_id, since, (int64_t)(limit > 0 ? limit : CALL_LIST_DEFAULT));
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(struct call_rec), read_unlogged, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

int store_call_by_pbx_id(struct db *db, const char *pbx_id, int64_t *id, struct nc_err *err)
{
	return db_get_int(db, err, id, "SELECT id FROM calls WHERE pbx_id = $1", "t", pbx_id);
}
