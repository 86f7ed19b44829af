/* q_pbx.c - what the exchange's calls need beyond the calls table itself. */
#include "store/internal.h"
#include "store/store.h"

int store_run_link_call(struct db *db, int64_t client_id, int64_t rep_id, int64_t call_id,
			struct nc_err *err)
{
	int64_t run;
	int rc =
	    db_get_int(db, err, &run,
		       "SELECT max(id) FROM script_runs WHERE client_id = $1 AND rep_id = $2 AND "
		       "status = 'open' AND call_id IS NULL",
		       "ii", client_id, rep_id);
	if (rc <= 0 || run <= 0)
		return rc < 0 ? -1 : 0;
	if (db_run(db, err, "UPDATE script_runs SET call_id = $1 WHERE id = $2", "ii", call_id,
		   run) < 0)
		return -1;
	return db_run(db, err, "UPDATE calls SET script_run_id = $1 WHERE id = $2", "ii", run,
		      call_id);
}
