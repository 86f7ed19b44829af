/* q_qa.c - quality control: QA forms kept as versions of their items, reviews of calls with
 * their answers, and mystery shopper campaigns with their planned calls (migration 0007). */
#include "store/internal.h"
#include "store/store.h"

#include <string.h>

#define QA_LIST_DEFAULT 500

/* ---- forms ---- */

/* The latest version of each form: the version whose number no other version of it exceeds. */
#define FORM_COLS                                                                                  \
	"SELECT f.id, f.name, v.id, v.version, u.login, v.created_at, "                            \
	"(SELECT count(*) FROM qa_form_versions w WHERE w.form_id = f.id), "                       \
	"(SELECT count(*) FROM qa_reviews r WHERE r.form_id = f.id) FROM qa_forms f "              \
	"JOIN qa_form_versions v ON v.form_id = f.id LEFT JOIN users u ON u.id = v.author_id"

static void read_form(struct db_stmt *st, struct arena *a, void *row)
{
	struct qa_form_rec *f = row;
	memset(f, 0, sizeof(*f));
	f->id = db_col_int(st, 0);
	f->name = arena_strdup(a, db_col_text(st, 1));
	f->version_id = db_col_int(st, 2);
	f->version = (int)db_col_int(st, 3);
	f->author = arena_strdup(a, db_col_text(st, 4));
	f->created_at = db_col_int(st, 5);
	f->nversions = (int)db_col_int(st, 6);
	f->reviews = db_col_int(st, 7);
}

int store_qa_form_list(struct db *db, struct arena *a, struct qa_form_rec **out, size_t *n,
		       struct nc_err *err)
{
	void *raw = NULL;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_preparef(db, err,
					 FORM_COLS " WHERE v.version = (SELECT max(version) FROM "
						   "qa_form_versions w WHERE w.form_id = f.id) "
						   "ORDER BY f.name, f.id",
					 "");
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(struct qa_form_rec), read_form, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

static void read_item(struct db_stmt *st, struct arena *a, void *row)
{
	struct qa_item_rec *it = row;
	it->id = db_col_int(st, 0);
	it->pos = (int)db_col_int(st, 1);
	it->text = arena_strdup(a, db_col_text(st, 2));
	it->weight = (int)db_col_int(st, 3);
	it->auto_src = arena_strdup(a, db_col_text(st, 4));
}

/* form_one steps st (a FORM_COLS query) once and loads the items of the version found. */
static int form_one(struct db *db, struct arena *a, struct db_stmt *st, struct qa_form_rec *out,
		    struct nc_err *err)
{
	int rc = db_step(st, err);
	if (rc == 1)
		read_form(st, a, out);
	db_done(st);
	if (rc != 1)
		return rc;
	void *raw = NULL;
	st = db_preparef(db, err,
			 "SELECT id, pos, text, weight, auto FROM qa_form_items WHERE version_id = "
			 "$1 ORDER BY pos",
			 "i", out->version_id);
	if (!st ||
	    collect_rows(st, a, sizeof(struct qa_item_rec), read_item, &raw, &out->nitems, err) < 0)
		return -1;
	out->items = raw;
	return 1;
}

int store_qa_form_get(struct db *db, struct arena *a, int64_t id, int version,
		      struct qa_form_rec *out, struct nc_err *err)
{
	struct db_stmt *st = db_preparef(
	    db, err,
	    FORM_COLS " WHERE f.id = $1 AND v.version = CASE WHEN $2 = 0 THEN (SELECT max(version) "
		      "FROM qa_form_versions w WHERE w.form_id = f.id) ELSE $2 END",
	    "ii", id, (int64_t)version);
	if (!st)
		return -1;
	return form_one(db, a, st, out, err);
}

int store_qa_form_by_version(struct db *db, struct arena *a, int64_t version_id,
			     struct qa_form_rec *out, struct nc_err *err)
{
	struct db_stmt *st = db_preparef(db, err, FORM_COLS " WHERE v.id = $1", "i", version_id);
	if (!st)
		return -1;
	return form_one(db, a, st, out, err);
}

int store_qa_form_insert(struct db *db, const char *name, int64_t now, int64_t *id,
			 struct nc_err *err)
{
	struct db_stmt *st = db_preparef(
	    db, err, "INSERT INTO qa_forms (name, created_at) VALUES ($1, $2) RETURNING id", "ti",
	    name, now);
	if (!st)
		return -1;
	return insert_id(st, id, err);
}

int store_qa_form_rename(struct db *db, int64_t id, const char *name, struct nc_err *err)
{
	return db_run(db, err, "UPDATE qa_forms SET name = $2 WHERE id = $1", "it", id, name);
}

int store_qa_version_add(struct db *db, int64_t form_id, int64_t author_id, int64_t now,
			 const struct qa_item_rec *items, size_t n, int64_t *version_id,
			 int *version, struct nc_err *err)
{
	int64_t last = 0;
	if (db_get_int(db, err, &last,
		       "SELECT coalesce(max(version), 0) FROM qa_form_versions WHERE form_id = $1",
		       "i", form_id) < 0)
		return -1;
	struct db_stmt *st = db_preparef(db, err,
					 "INSERT INTO qa_form_versions (form_id, version, "
					 "author_id, created_at) VALUES ($1, $2, $3, $4) "
					 "RETURNING id",
					 "iioi", form_id, last + 1, author_id, now);
	if (!st || insert_id(st, version_id, err) < 0)
		return -1;
	*version = (int)(last + 1);
	for (size_t i = 0; i < n; i++)
		if (db_run(db, err,
			   "INSERT INTO qa_form_items (version_id, pos, text, weight, auto) VALUES "
			   "($1, $2, $3, $4, $5)",
			   "iitit", *version_id, (int64_t)(i + 1), items[i].text,
			   (int64_t)items[i].weight, items[i].auto_src) < 0)
			return -1;
	return 0;
}

/* ---- reviews ---- */

#define REVIEW_COLS                                                                                \
	"SELECT r.id, r.call_id, r.form_id, r.version_id, r.rep_id, c.client_id, f.name, "         \
	"u.login, w.login, k.name, r.note, v.version, r.call_at, r.created_at, r.yes_weight, "     \
	"r.total_weight FROM qa_reviews r JOIN qa_forms f ON f.id = r.form_id "                    \
	"JOIN qa_form_versions v ON v.id = r.version_id JOIN calls c ON c.id = r.call_id "         \
	"LEFT JOIN clients k ON k.id = c.client_id LEFT JOIN users u ON u.id = r.rep_id "          \
	"LEFT JOIN users w ON w.id = r.reviewer_id"

static void read_review(struct db_stmt *st, struct arena *a, void *row)
{
	struct qa_review_rec *r = row;
	r->id = db_col_int(st, 0);
	r->call_id = db_col_int(st, 1);
	r->form_id = db_col_int(st, 2);
	r->version_id = db_col_int(st, 3);
	r->rep_id = db_col_int(st, 4);
	r->client_id = db_col_int(st, 5);
	r->form_name = arena_strdup(a, db_col_text(st, 6));
	r->rep = arena_strdup(a, db_col_text(st, 7));
	r->reviewer = arena_strdup(a, db_col_text(st, 8));
	r->client_name = arena_strdup(a, db_col_text(st, 9));
	r->note = arena_strdup(a, db_col_text(st, 10));
	r->version = (int)db_col_int(st, 11);
	r->call_at = db_col_int(st, 12);
	r->created_at = db_col_int(st, 13);
	r->yes_weight = (int)db_col_int(st, 14);
	r->total_weight = (int)db_col_int(st, 15);
}

int store_qa_review_insert(struct db *db, const struct qa_review_rec *r,
			   const struct qa_answer_rec *ans, size_t n, int64_t reviewer_id,
			   int64_t *id, struct nc_err *err)
{
	int64_t existing = 0;
	int rc = db_get_int(db, err, &existing,
			    "SELECT id FROM qa_reviews WHERE call_id = $1 AND form_id = $2", "ii",
			    r->call_id, r->form_id);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		nc_error_field(err, NC_ECONFLICT, "call_id",
			       "call %lld is already reviewed with this form (review %lld)",
			       (long long)r->call_id, (long long)existing);
		if (err)
			err->ref = existing;
		return -1;
	}
	struct db_stmt *st = db_preparef(
	    db, err,
	    "INSERT INTO qa_reviews (call_id, form_id, version_id, rep_id, reviewer_id, call_at, "
	    "yes_weight, total_weight, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
	    "$9, $10) RETURNING id",
	    "iiiooiiiti", r->call_id, r->form_id, r->version_id, r->rep_id, reviewer_id, r->call_at,
	    (int64_t)r->yes_weight, (int64_t)r->total_weight, r->note, r->created_at);
	if (!st || insert_id(st, id, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (db_run(db, err,
			   "INSERT INTO qa_review_answers (review_id, item_id, yes, from_data) "
			   "VALUES ($1, $2, $3, $4)",
			   "iiii", *id, ans[i].item_id, (int64_t)ans[i].yes,
			   (int64_t)ans[i].from_data) < 0)
			return -1;
	return 0;
}

int store_qa_review_get(struct db *db, struct arena *a, int64_t id, struct qa_review_rec *out,
			struct nc_err *err)
{
	struct db_stmt *st = db_preparef(db, err, REVIEW_COLS " WHERE r.id = $1", "i", id);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1)
		read_review(st, a, out);
	db_done(st);
	return rc;
}

static void read_answer(struct db_stmt *st, struct arena *a, void *row)
{
	struct qa_answer_rec *x = row;
	x->item_id = db_col_int(st, 0);
	x->yes = db_col_int(st, 1) == 1;
	x->from_data = db_col_int(st, 2) == 1;
}

int store_qa_review_answers(struct db *db, struct arena *a, int64_t review_id,
			    struct qa_answer_rec **out, size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_preparef(db, err,
					 "SELECT x.item_id, x.yes, x.from_data FROM "
					 "qa_review_answers x JOIN qa_form_items i ON i.id = "
					 "x.item_id WHERE x.review_id = $1 ORDER BY i.pos",
					 "i", review_id);
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(struct qa_answer_rec), read_answer, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

int store_qa_review_list(struct db *db, struct arena *a, const struct qa_review_filter *f,
			 struct qa_review_rec **out, size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_preparef(
	    db, err,
	    REVIEW_COLS " WHERE (r.rep_id = $1 OR $1 = 0) AND (r.call_id = $2 OR $2 = 0) AND "
			"r.call_at >= $3 AND r.call_at < $4 ORDER BY r.call_at DESC, r.id DESC "
			"LIMIT $5",
	    "iiiii", f->rep_id, f->call_id, f->from, f->to,
	    (int64_t)(f->limit > 0 ? f->limit : QA_LIST_DEFAULT));
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(struct qa_review_rec), read_review, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

static void read_call_row(struct db_stmt *st, struct arena *a, void *row)
{
	struct qa_call_row *c = row;
	c->id = db_col_int(st, 0);
	c->client_id = db_col_int(st, 1);
	c->started_at = db_col_int(st, 2);
	c->run_id = db_col_int(st, 3);
	c->rep = arena_strdup(a, db_col_text(st, 4));
	c->client_name = arena_strdup(a, db_col_text(st, 5));
	c->outcome = arena_strdup(a, db_col_text(st, 6));
	c->recording_url = arena_strdup(a, db_col_text(st, 7));
	const char *res = db_col_text(st, 8);
	c->result = res ? result_parse(res) : -1;
	c->talk_s = (int)db_col_int(st, 9);
	c->reviews = db_col_int(st, 10);
}

int store_qa_recent_calls(struct db *db, struct arena *a, int64_t rep_id, int limit,
			  struct qa_call_row **out, size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	*out = NULL;
	*n = 0;
	/* two texts, so that a rep's list walks the calls_rep index */
	const char *sql =
	    rep_id
		? "SELECT c.id, c.client_id, c.started_at, c.script_run_id, u.login, k.name, "
		  "c.outcome, c.recording_url, c.result, c.talk_s, (SELECT count(*) FROM "
		  "qa_reviews r WHERE r.call_id = c.id) FROM calls c LEFT JOIN users u ON u.id "
		  "= c.rep_id LEFT JOIN clients k ON k.id = c.client_id WHERE c.rep_id = $1 AND "
		  "c.kind = 'call' AND c.missed = 0 ORDER BY c.started_at DESC, c.id DESC LIMIT $2"
		: "SELECT c.id, c.client_id, c.started_at, c.script_run_id, u.login, k.name, "
		  "c.outcome, c.recording_url, c.result, c.talk_s, (SELECT count(*) FROM "
		  "qa_reviews r WHERE r.call_id = c.id) FROM calls c LEFT JOIN users u ON u.id "
		  "= c.rep_id LEFT JOIN clients k ON k.id = c.client_id WHERE $1 = 0 AND "
		  "c.kind = 'call' AND c.missed = 0 ORDER BY c.started_at DESC, c.id DESC LIMIT $2";
	struct db_stmt *st =
	    db_preparef(db, err, sql, "ii", rep_id, (int64_t)(limit > 0 ? limit : QA_LIST_DEFAULT));
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(struct qa_call_row), read_call_row, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

int store_qa_call_run(struct db *db, struct arena *a, int64_t call_id, struct qa_run_rec *out,
		      struct nc_err *err)
{
	/* the run recorded on the call, else the newest run that names the call: one id, found by
	 * the call's row or by script_runs_call (migration 0017), where an OR of the two was a
	 * scan of every run */
	struct db_stmt *st = db_preparef(
	    db, err,
	    "SELECT r.id, r.status, s.name, v.source, v.version FROM script_runs r JOIN "
	    "script_versions v ON v.id = r.version_id JOIN scripts s ON s.id = v.script_id WHERE "
	    "r.id = coalesce((SELECT script_run_id FROM calls WHERE id = $1), (SELECT max(x.id) "
	    "FROM script_runs x WHERE x.call_id = $1))",
	    "i", call_id);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1) {
		out->id = db_col_int(st, 0);
		out->status = arena_strdup(a, db_col_text(st, 1));
		out->script_name = arena_strdup(a, db_col_text(st, 2));
		out->source = arena_strdup(a, db_col_text(st, 3));
		out->version = (int)db_col_int(st, 4);
	}
	db_done(st);
	return rc;
}

int store_qa_call_facts(struct db *db, int64_t call_id, bool *next_step, int64_t *phones,
			struct nc_err *err)
{
	int64_t v = 0;
	*next_step = false;
	*phones = 0;
	/* the call's steps by next_steps_call (migration 0017) */
	if (db_get_int(db, err, &v,
		       "SELECT CASE WHEN c.outcome = 'next_step' OR EXISTS (SELECT 1 FROM "
		       "next_steps s WHERE s.call_id = c.id AND s.auto = 0) THEN 1 ELSE 0 END FROM "
		       "calls c WHERE c.id = $1",
		       "i", call_id) < 0)
		return -1;
	*next_step = v == 1;
	return db_get_int(db, err, phones,
			  "SELECT count(*) FROM phones p JOIN calls c ON c.client_id = p.client_id "
			  "WHERE c.id = $1",
			  "i", call_id) < 0
		   ? -1
		   : 0;
}

static void read_score(struct db_stmt *st, struct arena *a, void *row)
{
	struct qa_score_row *s = row;
	s->rep_id = db_col_int(st, 0);
	s->rep = arena_strdup(a, db_col_text(st, 1));
	s->rep_name = arena_strdup(a, db_col_text(st, 2));
	s->call_at = db_col_int(st, 3);
	s->yes_weight = (int)db_col_int(st, 4);
	s->total_weight = (int)db_col_int(st, 5);
}

int store_qa_scores(struct db *db, struct arena *a, int64_t rep_id, int64_t from, int64_t to,
		    struct qa_score_row **out, size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_preparef(
	    db, err,
	    "SELECT r.rep_id, u.login, u.name, r.call_at, r.yes_weight, r.total_weight FROM "
	    "qa_reviews r JOIN users u ON u.id = r.rep_id WHERE (r.rep_id = $1 OR $1 = 0) AND "
	    "r.call_at >= $2 AND r.call_at < $3 ORDER BY u.login, r.call_at, r.id",
	    "iii", rep_id, from, to);
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(struct qa_score_row), read_score, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

/* ---- mystery shopper campaigns ---- */

int store_qa_campaign_insert(struct db *db, const struct qa_campaign_rec *c, int64_t author_id,
			     const struct qa_ccall_rec *calls, size_t n, int64_t *id,
			     struct nc_err *err)
{
	struct db_stmt *st =
	    db_preparef(db, err,
			"INSERT INTO qa_campaigns (name, scenario, scenario_text, "
			"author_id, created_at) VALUES ($1, $2, $3, $4, $5) "
			"RETURNING id",
			"tttoi", c->name, c->scenario, c->scenario_text, author_id, c->created_at);
	if (!st || insert_id(st, id, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (db_run(db, err,
			   "INSERT INTO qa_campaign_calls (campaign_id, n, rep_id, planned_at) "
			   "VALUES ($1, $2, $3, $4)",
			   "iiii", *id, (int64_t)(i + 1), calls[i].rep_id, calls[i].planned_at) < 0)
			return -1;
	return 0;
}

#define CAMPAIGN_COLS(text)                                                                        \
	"SELECT m.id, m.name, m.scenario, " text ", u.login, m.created_at, "                       \
	"(SELECT count(*) FROM qa_campaign_calls c WHERE c.campaign_id = m.id), "                  \
	"(SELECT count(*) FROM qa_campaign_calls c WHERE c.campaign_id = m.id AND c.filled_at "    \
	"IS NOT NULL), (SELECT count(*) FROM qa_campaign_calls c WHERE c.campaign_id = m.id AND "  \
	"c.leak = 1) FROM qa_campaigns m LEFT JOIN users u ON u.id = m.author_id"

static void read_campaign(struct db_stmt *st, struct arena *a, void *row)
{
	struct qa_campaign_rec *c = row;
	c->id = db_col_int(st, 0);
	c->name = arena_strdup(a, db_col_text(st, 1));
	c->scenario = arena_strdup(a, db_col_text(st, 2));
	c->scenario_text = arena_strdup(a, db_col_text(st, 3));
	c->author = arena_strdup(a, db_col_text(st, 4));
	c->created_at = db_col_int(st, 5);
	c->planned = db_col_int(st, 6);
	c->filled = db_col_int(st, 7);
	c->leaks = db_col_int(st, 8);
}

int store_qa_campaign_get(struct db *db, struct arena *a, int64_t id, struct qa_campaign_rec *out,
			  struct nc_err *err)
{
	struct db_stmt *st =
	    db_preparef(db, err, CAMPAIGN_COLS("m.scenario_text") " WHERE m.id = $1", "i", id);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1)
		read_campaign(st, a, out);
	db_done(st);
	return rc;
}

int store_qa_campaign_list(struct db *db, struct arena *a, struct qa_campaign_rec **out, size_t *n,
			   struct nc_err *err)
{
	void *raw = NULL;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_preparef(
	    db, err, CAMPAIGN_COLS("NULL") " ORDER BY m.created_at DESC, m.id DESC LIMIT 500", "");
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(struct qa_campaign_rec), read_campaign, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

static void read_ccall(struct db_stmt *st, struct arena *a, void *row)
{
	struct qa_ccall_rec *c = row;
	c->id = db_col_int(st, 0);
	c->campaign_id = db_col_int(st, 1);
	c->n = (int)db_col_int(st, 2);
	c->rep_id = db_col_int(st, 3);
	c->rep = arena_strdup(a, db_col_text(st, 4));
	c->rep_name = arena_strdup(a, db_col_text(st, 5));
	c->planned_at = db_col_int(st, 6);
	c->filled_at = db_col_int(st, 7);
	c->leak = db_col_null(st, 8) ? -1 : (int)db_col_int(st, 8);
	c->note = arena_strdup(a, db_col_text(st, 9));
	c->reviewer = arena_strdup(a, db_col_text(st, 10));
}

int store_qa_campaign_calls(struct db *db, struct arena *a, int64_t campaign_id,
			    struct qa_ccall_rec **out, size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_preparef(
	    db, err,
	    "SELECT c.id, c.campaign_id, c.n, c.rep_id, u.login, u.name, c.planned_at, "
	    "c.filled_at, c.leak, c.note, w.login FROM qa_campaign_calls c JOIN users u ON u.id = "
	    "c.rep_id LEFT JOIN users w ON w.id = c.reviewer_id WHERE c.campaign_id = $1 ORDER BY "
	    "c.n",
	    "i", campaign_id);
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(struct qa_ccall_rec), read_ccall, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

static void read_move(struct db_stmt *st, struct arena *a, void *row)
{
	struct qa_move_rec *m = row;
	m->call_id = db_col_int(st, 0);
	m->move = arena_strdup(a, db_col_text(st, 1));
	m->yes = db_col_int(st, 2) == 1;
}

int store_qa_campaign_moves(struct db *db, struct arena *a, int64_t campaign_id,
			    struct qa_move_rec **out, size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_preparef(db, err,
					 "SELECT x.call_id, x.move, x.yes FROM qa_campaign_answers "
					 "x JOIN qa_campaign_calls c ON c.id = x.call_id WHERE "
					 "c.campaign_id = $1 ORDER BY c.n, x.move",
					 "i", campaign_id);
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(struct qa_move_rec), read_move, &raw, n, err) < 0)
		return -1;
	*out = raw;
	return 0;
}

int store_qa_campaign_fill(struct db *db, int64_t id, int64_t reviewer_id, int64_t now, bool leak,
			   const char *note, const struct qa_move_rec *moves, size_t n,
			   struct nc_err *err)
{
	if (db_run(db, err,
		   "UPDATE qa_campaign_calls SET filled_at = $2, reviewer_id = $3, leak = $4, "
		   "note = $5 WHERE id = $1",
		   "iioit", id, now, reviewer_id, (int64_t)leak, note) < 0 ||
	    db_run(db, err, "DELETE FROM qa_campaign_answers WHERE call_id = $1", "i", id) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (db_run(
			db, err,
			"INSERT INTO qa_campaign_answers (call_id, move, yes) VALUES ($1, $2, $3)",
			"iti", id, moves[i].move, (int64_t)moves[i].yes) < 0)
			return -1;
	return 0;
}

int store_qa_campaign_latest(struct db *db, int64_t *id, struct nc_err *err)
{
	return db_get_int(db, err, id,
			  "SELECT m.id FROM qa_campaigns m WHERE EXISTS (SELECT 1 FROM "
			  "qa_campaign_calls c WHERE c.campaign_id = m.id AND c.filled_at IS NOT "
			  "NULL) ORDER BY m.created_at DESC, m.id DESC LIMIT 1",
			  "");
}

int store_qa_script_source(struct db *db, struct arena *a, const char *name, const char **source,
			   struct nc_err *err)
{
	struct db_stmt *st = db_preparef(db, err,
					 "SELECT v.source FROM scripts s JOIN script_versions v ON "
					 "v.script_id = s.id WHERE s.name = $1 ORDER BY v.version "
					 "DESC LIMIT 1",
					 "t", name);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1)
		*source = arena_strdup(a, db_col_text(st, 0));
	db_done(st);
	return rc;
}
