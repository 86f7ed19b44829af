/* q_deals.c - deal stage changes that follow a logged contact: a sale wins the newest open deal,
 * an invoice or a decision turns offers into pending purchases. Each adds its difference to the
 * report rollups: the deals' contributions before and after (q_reports.c). */
#include "store/store.h"

int store_deal_win(struct db *db, int64_t client_id, int64_t amount, int64_t now, int64_t *id,
		   struct nc_err *err)
{
	*id = 0;
	int64_t found = 0;
	int rc = db_get_int(db, err, &found,
			    "SELECT id FROM deals WHERE client_id = $1 AND stage IN ('offer', "
			    "'pending') ORDER BY created_at DESC, id DESC LIMIT 1",
			    "i", client_id);
	if (rc <= 0)
		return rc;
	struct rollup_delta rd = {0};
	if (store_rollup_watch_deal(db, &rd, found, err) < 0 ||
	    db_run(db, err,
		   "UPDATE deals SET stage = 'won', amount = $2, updated_at = $3, closed_at = $3 "
		   "WHERE id = $1",
		   "iii", found, amount, now) < 0) {
		store_rollup_delta_free(&rd);
		return -1;
	}
	*id = found;
	return store_rollup_delta_apply(db, &rd, err);
}

int store_deals_set_stage(struct db *db, int64_t client_id, enum deal_stage from,
			  enum deal_stage to, int64_t now, struct nc_err *err)
{
	bool closed = to == DEAL_WON || to == DEAL_LOST;
	struct rollup_delta rd = {0};
	if (store_rollup_watch_client(db, &rd, client_id, ROLLUP_DEALS, err) < 0 ||
	    db_run(db, err,
		   "UPDATE deals SET stage = $3, updated_at = $4, closed_at = $5 WHERE "
		   "client_id = $1 AND stage = $2",
		   "ittio", client_id, deal_stage_name(from), deal_stage_name(to), now,
		   closed ? now : (int64_t)0) < 0) {
		store_rollup_delta_free(&rd);
		return -1;
	}
	return store_rollup_delta_apply(db, &rd, err);
}
