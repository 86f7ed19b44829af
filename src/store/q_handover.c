/* q_handover.c - a call from the exchange handed to its client's owner: the call marked as
 * handled (logged) and the question whether a logged call was handed over. */
#include "store/internal.h"
#include "store/store.h"

int store_call_set_handled(struct db *db, int64_t id, int *changed, struct nc_err *err)
{
	/* logged is not counted in any rollup today; the call is watched all the same, as any
	   write of a call is (q_reports.c), so that a counter added later stays right */
	struct rollup_delta d = {0};
	*changed = 0;
	if (store_rollup_watch_call(db, &d, id, 0, err) < 0 ||
	    db_run(db, err, "UPDATE calls SET logged = 1 WHERE id = $1 AND logged = 0", "i", id) <
		0) {
		store_rollup_delta_free(&d);
		return -1;
	}
	*changed = db_changes(db) > 0;
	return store_rollup_delta_apply(db, &d, err);
}

int store_call_was_handed(struct db *db, int64_t client_id, int64_t id, int64_t rep_id,
			  struct nc_err *err)
{
	/* a handover's step is the only hand-planned callback of a call given to another rep
	   than the one who took it: a logged call's steps are its rep's, the exchange's are
	   auto; by the next_steps_client index */
	int64_t found = 0;
	int rc =
	    db_get_int(db, err, &found,
		       "SELECT s.id FROM next_steps s WHERE s.client_id = $1 AND s.call_id = $2 "
		       "AND s.kind = 'callback' AND s.auto = 0 AND coalesce(s.rep_id, 0) <> $3 "
		       "LIMIT 1",
		       "iii", client_id, id, rep_id);
	return rc < 0 ? -1 : rc == 1;
}
