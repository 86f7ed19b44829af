/* bulk.h - fast inserts for nc-gen: rows with ids chosen by the caller (no RETURNING), and a
 * SQLite bulk-load mode (no journal, secondary indexes built once at the end). */
#ifndef NC_BENCH_BULK_H
#define NC_BENCH_BULK_H

#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>

/* bulk_client .. bulk_deal insert one row each, id included (c->id, s->id, ...), through a
 * cached prepared statement whose columns mirror src/store/migrations/0001_init.sql.
 * Return 0, or -1 with err filled. */
int bulk_client(struct db *db, const struct client_rec *c, const char *search, struct nc_err *err);
int bulk_phone(struct db *db, int64_t id, int64_t client_id, const char *e164, const char *raw,
	       struct nc_err *err);
int bulk_call(struct db *db, const struct call_rec *c, int64_t script_run_id, struct nc_err *err);
int bulk_step(struct db *db, const struct step_rec *s, struct nc_err *err);
int bulk_deal(struct db *db, const struct deal_rec *d, struct nc_err *err);
/* bulk_script_run inserts a script run (migration 0005) with its current node. */
int bulk_script_run(struct db *db, const struct script_run_rec *r, const char *node,
		    struct nc_err *err);

/* bulk_begin_load prepares an SQLite connection for loading (nothing on other drivers): a
 * 1 GiB page cache, sorter threads, no journal; unless checked, no foreign key constraints
 * (CHECK constraints stay on); the secondary indexes of the big tables and the triggers of clients
 * dropped, to be made again by bulk_end_load (what the triggers keep, client_pool, is then to be
 * refilled: store_client_pool_rebuild). Call it outside a transaction. */
int bulk_begin_load(struct db *db, bool checked, struct nc_err *err);
/* bulk_end_load rebuilds the indexes and triggers that bulk_begin_load dropped. With err NULL it
 * only frees what bulk_begin_load kept (after a failure). */
int bulk_end_load(struct db *db, struct nc_err *err);
/* bulk_finish turns the journal (WAL) and foreign keys back on, once everything is written. */
int bulk_finish(struct db *db, struct nc_err *err);
/* bulk_nindexes says how many indexes bulk_begin_load dropped. */
size_t bulk_nindexes(void);

#endif
