/* q_catalog.c - the catalogs a client is filed under: segments (with their call cadence), lead
 * sources, and what each source cost per month. */
#include "store/internal.h"
#include "store/store.h"

#include <string.h>

int store_segment_insert(struct db *db, const struct segment_rec *s, int64_t *id,
			 struct nc_err *err)
{
	struct db_stmt *st =
	    db_preparef(db, err,
			"INSERT INTO segments (name, cadence_min_days, "
			"cadence_max_days) VALUES ($1, $2, $3) RETURNING id",
			"tii", s->name, (int64_t)s->min_days, (int64_t)s->max_days);
	if (!st)
		return -1;
	if (insert_id(st, id, err) < 0) {
		if (err && err->code == NC_ECONFLICT)
			nc_error_field(err, NC_ECONFLICT, "name", "segment \"%s\" already exists",
				       s->name);
		return -1;
	}
	return 0;
}

static void read_segment(struct db_stmt *st, struct arena *a, void *row)
{
	struct segment_rec *s = row;
	s->id = db_col_int(st, 0);
	s->name = arena_strdup(a, db_col_text(st, 1));
	s->min_days = (int)db_col_int(st, 2);
	s->max_days = (int)db_col_int(st, 3);
}

int store_segment_by_name(struct db *db, struct arena *a, const char *name, struct segment_rec *out,
			  struct nc_err *err)
{
	struct db_stmt *st = db_preparef(db, err,
					 "SELECT id, name, cadence_min_days, cadence_max_days "
					 "FROM segments WHERE name = $1",
					 "t", name);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1)
		read_segment(st, a, out);
	db_done(st);
	return rc;
}

int store_segment_list(struct db *db, struct arena *a, struct segment_rec **out, size_t *n,
		       struct nc_err *err)
{
	struct segment_rec *rows = NULL;
	void *raw = NULL;
	size_t len = 0;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_prepare(db,
					"SELECT id, name, cadence_min_days, cadence_max_days "
					"FROM segments ORDER BY name, id",
					err);
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(*rows), read_segment, &raw, &len, err) < 0)
		return -1;
	rows = raw;
	*out = rows;
	*n = len;
	return 0;
}

int store_source_insert(struct db *db, const char *name, int64_t *id, struct nc_err *err)
{
	struct db_stmt *st =
	    db_preparef(db, err, "INSERT INTO sources (name) VALUES ($1) RETURNING id", "t", name);
	if (!st)
		return -1;
	if (insert_id(st, id, err) < 0) {
		if (err && err->code == NC_ECONFLICT)
			nc_error_field(err, NC_ECONFLICT, "name", "source \"%s\" already exists",
				       name);
		return -1;
	}
	return 0;
}

/* one_source steps st once into out: 1 found, 0 not, -1 error. Gives st back. */
static int one_source(struct db_stmt *st, struct arena *a, struct source_rec *out,
		      struct nc_err *err)
{
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == 1) {
		out->id = db_col_int(st, 0);
		out->name = arena_strdup(a, db_col_text(st, 1));
	}
	db_done(st);
	return rc;
}

int store_source_by_name(struct db *db, struct arena *a, const char *name, struct source_rec *out,
			 struct nc_err *err)
{
	return one_source(
	    db_preparef(db, err, "SELECT id, name FROM sources WHERE name = $1", "t", name), a, out,
	    err);
}

int store_source_list(struct db *db, struct arena *a, struct source_rec **out, size_t *n,
		      struct nc_err *err)
{
	struct source_rec *rows = NULL;
	size_t cap = 0, len = 0;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_prepare(db, "SELECT id, name FROM sources ORDER BY name, id", err);
	if (!st)
		return -1;
	int rc;
	while ((rc = db_step(st, err)) == 1) {
		rows = arena_grow(a, rows, &cap, len, sizeof(*rows));
		rows[len].id = db_col_int(st, 0);
		rows[len].name = arena_strdup(a, db_col_text(st, 1));
		len++;
	}
	db_done(st);
	if (rc < 0)
		return -1;
	*out = rows;
	*n = len;
	return 0;
}

int store_spend_set(struct db *db, int64_t source_id, const char *month, int64_t amount,
		    struct nc_err *err)
{
	return db_run(db, err,
		      "INSERT INTO ad_spend (source_id, month, amount) VALUES ($1, $2, $3) "
		      "ON CONFLICT (source_id, month) DO UPDATE SET amount = excluded.amount",
		      "iti", source_id, month, amount);
}

int store_source_by_id(struct db *db, struct arena *a, int64_t id, struct source_rec *out,
		       struct nc_err *err)
{
	return one_source(
	    db_preparef(db, err, "SELECT id, name FROM sources WHERE id = $1", "i", id), a, out,
	    err);
}

static void read_spend(struct db_stmt *st, struct arena *a, void *row)
{
	struct spend_rec *s = row;
	s->source_id = db_col_int(st, 0);
	s->month = arena_strdup(a, db_col_text(st, 1));
	s->amount = db_col_int(st, 2);
}

int store_spend_list(struct db *db, struct arena *a, int64_t source_id, struct spend_rec **out,
		     size_t *n, struct nc_err *err)
{
	void *raw = NULL;
	size_t len = 0;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_preparef(db, err,
					 "SELECT source_id, month, amount FROM ad_spend WHERE "
					 "(source_id = $1 OR $1 = 0) ORDER BY source_id, month",
					 "i", source_id);
	if (!st)
		return -1;
	if (collect_rows(st, a, sizeof(struct spend_rec), read_spend, &raw, &len, err) < 0)
		return -1;
	*out = raw;
	*n = len;
	return 0;
}
