/* internal.h - small helpers shared by the query files of store/. */
#ifndef NC_STORE_INTERNAL_H
#define NC_STORE_INTERNAL_H

#include "store/db.h"
#include "util/arena.h"

/* insert_id steps an INSERT ... RETURNING id, gives the new id and gives the statement back. */
int insert_id(struct db_stmt *st, int64_t *id, struct nc_err *err);

/* row_reader copies the current row of st into row (a record of the caller's type), with strings
 * in the arena a. */
typedef void (*row_reader)(struct db_stmt *st, struct arena *a, void *row);

/* collect_rows steps st to its end, reading each row with read into an arena array of records
 * of size bytes, each zeroed before read fills it; *out gets the array (NULL when empty) and *n
 * its length. Gives st back. */
int collect_rows(struct db_stmt *st, struct arena *a, size_t size, row_reader read, void **out,
		 size_t *n, struct nc_err *err);

/* store_read_user reads a struct user_rec from the columns of q_users.c's USER_COLS, which
 * come first in st's row (q_auth.c's token look-up shares it). */
void store_read_user(struct db_stmt *st, struct arena *a, void *row);

struct step_rec;
/* store_read_step_at reads a step's own columns (q_steps.c: id, client_id, call_id, rep_id, kind,
 * due_at, status, auto, note, cancel_reason, created_at, closed_at) from column base on; rep,
 * client_name and client_phone are left NULL. */
void store_read_step_at(struct db_stmt *st, struct arena *a, struct step_rec *s, int base);

struct rollup_delta;
/* call_hours_add counts one call of rep_id at started_at in d (q_call_hours.c);
 * call_hours_write adds d's counts to rep_call_hours, in key order, and empties them. */
void call_hours_add(struct rollup_delta *d, int64_t rep_id, int64_t started_at);
int call_hours_write(struct db *db, struct rollup_delta *d, struct nc_err *err);
/* call_hours_flush writes the open write transaction's counted calls now (q_reports.c), and
 * only them: unlike store_rollup_flush it leaves the rollups' watched rows to the commit, so it
 * may come between a watch and the write it watches. */
int call_hours_flush(struct db *db, struct nc_err *err);

#endif
