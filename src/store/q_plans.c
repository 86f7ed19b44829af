/* q_plans.c - the plan summary each client carries (migration 0004): his earliest planned step
 * and the time from which his plan needs fixing, computed by core's rules_plan_alert_at and
 * refreshed by the store functions that change steps or clients. */
#include "core/rules.h"
#include "store/internal.h"
#include "store/store.h"

#define PLAN_SOURCE                                                                                \
	"SELECT c.id, c.category, c.last_contact_at, coalesce(g.cadence_max_days, 0), s.id, "      \
	"s.kind, s.due_at FROM clients c LEFT JOIN segments g ON g.id = c.segment_id "             \
	"LEFT JOIN next_steps s ON s.id = (SELECT s2.id FROM next_steps s2 WHERE "                 \
	"s2.client_id = c.id AND s2.status = 'planned' ORDER BY s2.due_at, s2.id LIMIT 1) "

struct plan_src {
	int64_t id, step_id;
	struct client_plan p;
};

static void read_src(struct db_stmt *st, struct arena *a, void *row)
{
	struct plan_src *r = row;
	r->id = db_col_int(st, 0);
	int c = category_parse(db_col_text(st, 1) ? db_col_text(st, 1) : "");
	r->p.category = c >= 0 ? (enum category)c : CAT_NOW;
	r->p.last_contact = db_col_int(st, 2);
	r->p.cadence_max_days = (int)db_col_int(st, 3);
	r->p.has_step = !db_col_null(st, 4);
	r->step_id = db_col_int(st, 4);
	int k = step_kind_parse(db_col_text(st, 5) ? db_col_text(st, 5) : "");
	r->p.step_kind = k >= 0 ? (enum step_kind)k : STEP_CALL;
	r->p.step_due = db_col_int(st, 6);
}

static int write_plan(struct db *db, const struct plan_src *r, struct nc_err *err)
{
	int64_t alert = rules_plan_alert_at(&r->p);
	struct db_stmt *st = db_prepare(db,
					"UPDATE clients SET next_step_id = $2, next_kind = $3, "
					"next_due = $4, plan_alert_at = $5 WHERE id = $1",
					err);
	if (!st)
		return -1;
	db_bind_int(st, 1, r->id);
	db_bind_opt_int(st, 2, r->p.has_step ? r->step_id : 0);
	db_bind_text(st, 3, r->p.has_step ? step_kind_name(r->p.step_kind) : NULL);
	if (r->p.has_step)
		db_bind_int(st, 4, r->p.step_due);
	else
		db_bind_null(st, 4);
	if (alert >= 0)
		db_bind_int(st, 5, alert);
	else
		db_bind_null(st, 5);
	int rc = db_step(st, err);
	db_done(st);
	return rc < 0 ? -1 : 0;
}

void store_plans_defer(struct db *db)
{
	db->plans_deferred = true;
}

int store_plans_flush(struct db *db, struct nc_err *err)
{
	db->plans_deferred = false;
	int rc = 0;
	for (size_t i = 0; i < db->nplans && rc == 0; i++)
		rc = store_client_plan_refresh(db, db->plans[i], err);
	db->nplans = 0;
	return rc;
}

int store_client_plan_refresh(struct db *db, int64_t client_id, struct nc_err *err)
{
	if (db->plans_deferred) {
		for (size_t i = 0; i < db->nplans; i++)
			if (db->plans[i] == client_id)
				return 0;
		if (db->nplans < DB_PLANS_DEFERRED) {
			db->plans[db->nplans++] = client_id;
			return 0;
		}
	}
	struct db_stmt *st = db_preparef(db, err, PLAN_SOURCE "WHERE c.id = $1", "i", client_id);
	if (!st)
		return -1;
	struct plan_src r = {0};
	int rc = db_step(st, err);
	if (rc == 1)
		read_src(st, NULL, &r);
	db_done(st);
	if (rc <= 0)
		return rc; /* no such client: nothing to keep */
	return write_plan(db, &r, err);
}

int store_client_plans_rebuild(struct db *db, struct nc_err *err)
{
	struct arena a;
	arena_init(&a);
	void *raw;
	size_t n;
	int rc = -1;
	struct db_stmt *st = db_prepare(db, PLAN_SOURCE "ORDER BY c.id", err);
	if (!st || collect_rows(st, &a, sizeof(struct plan_src), read_src, &raw, &n, err) < 0)
		goto out;
	struct plan_src *r = raw;
	for (size_t i = 0; i < n; i++)
		if (write_plan(db, &r[i], err) < 0)
			goto out;
	rc = 0;
out:
	arena_release(&a);
	return rc;
}
