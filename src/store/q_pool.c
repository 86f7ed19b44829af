/* q_pool.c - the clients of each (owner, category) kept as a count (migration 0012): the store
 * adds each inserted client (store_client_pool_add, migration 0013), the triggers on clients
 * count the deleted and moved ones; these recount it from the clients, for "report verify" and
 * for a load that wrote clients without the store (copy-db, nc-gen). */
#include "store/internal.h"
#include "store/store.h"

/* the count of every (owner, category) that has clients, as the migration fills it */
#define POOL_RECOUNT                                                                               \
	"SELECT coalesce(owner_id, 0), category, count(*) FROM clients GROUP BY "                  \
	"coalesce(owner_id, 0), category"

int store_client_pool_add(struct db *db, int64_t owner_id, enum category c, int64_t delta,
			  struct nc_err *err)
{
	/* the UPSERT 0012's insert trigger ran: the row may not exist yet (a rep's first "future"
	 * client) */
	return db_run(db, err,
		      "INSERT INTO client_pool (owner_id, category, n) VALUES ($1, $2, $3) "
		      "ON CONFLICT (owner_id, category) DO UPDATE SET n = client_pool.n + "
		      "excluded.n",
		      "iti", owner_id > 0 ? owner_id : 0, category_name(c), delta);
}

int store_client_pool_rebuild(struct db *db, struct nc_err *err)
{
	return db_exec(db, "DELETE FROM client_pool", err) < 0 ||
		       db_exec(db, "INSERT INTO client_pool (owner_id, category, n) " POOL_RECOUNT,
			       err) < 0
		   ? -1
		   : 0;
}

int store_client_pool_verify(struct db *db, bool fix, int64_t *diffs, struct nc_err *err)
{
	*diffs = 0;
	/* both sides as rows of (owner, category, counted, kept), summed by key: a key missing on
	 * one side is 0 there, so a kept row of 0 with no clients is no difference */
	if (db_get_int(
		db, err, diffs,
		"SELECT count(*) FROM (SELECT owner_id, category, sum(counted) AS counted, "
		"sum(kept) AS kept FROM (SELECT coalesce(owner_id, 0) AS owner_id, category, "
		"count(*) AS counted, 0 AS kept FROM clients GROUP BY coalesce(owner_id, 0), "
		"category UNION ALL SELECT owner_id, category, 0, n FROM client_pool) u "
		"GROUP BY owner_id, category) d WHERE counted <> kept",
		"") < 0)
		return -1;
	return fix && *diffs ? store_client_pool_rebuild(db, err) : 0;
}
