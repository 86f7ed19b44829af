/* internal.h - pieces shared by the use cases of app/ and not offered to the adapters. */
#ifndef NC_APP_INTERNAL_H
#define NC_APP_INTERNAL_H

#include "app/app.h"

/* client_insert_new stores c, whose phones are already E.164 and checked to be free, with the
 * raw forms in raw[], inside the caller's transaction; *id gets the new id. With bulk (an
 * import), his search terms and pool count wait in it for store_client_bulk_flush. */
int client_insert_new(struct app *app, struct client_bulk *bulk, struct client_rec *c,
		      const char *const *raw, int64_t *id, struct nc_err *err);

/* client_changed announces (event client.changed) that a client was written, to his owner (to
 * everyone for an unassigned lead). Call after the commit. */
void client_changed(struct app *app, int64_t client_id, int64_t owner_id, const char *what);

/* A contact report loaded and checked against the rules, ready to be written (contacts.c). */
struct contact_prep {
	struct team_settings ts;
	struct user_rec rep;
	struct client_rec cl;
	struct contact c;
};
/* contact_prepare does every check of app_contact_log and writes nothing: a rules refusal is
 * NC_ERULE with every violation in out->v (warnings stay in out->v on success). */
int contact_prepare(struct app *app, const struct contact_input *in, struct contact_prep *p,
		    struct contact_output *out, struct nc_err *err);
/* contact_write stores a prepared contact as app_contact_log does, inside the caller's
 * transaction and without announcing it (client_changed after the commit is the caller's).
 * pbx_call 0 inserts a new call; else it logs that call from the exchange, which must still be
 * unlogged (NC_ECONFLICT naming "call_id"). */
int contact_write(struct app *app, const struct contact_input *in, struct contact_prep *p,
		  int64_t pbx_call, struct contact_output *out, struct nc_err *err);

/* script_version_parse reads the stored source of version v into *s (scripts.c); a source
 * that no longer parses is NC_EDB. */
int script_version_parse(struct app *app, const struct script_rec *v, struct script *s,
			 struct nc_err *err);

/* runs_client_moved abandons the open script runs of client_id taken by anyone but owner_id,
 * his new owner, inside the caller's transaction: a client given to another rep takes his runs
 * out of the previous rep's hands (script_runs.c). */
int runs_client_moved(struct app *app, int64_t client_id, int64_t owner_id, struct nc_err *err);

/* APP_TRIES bounds the attempts of a use case whose transaction the database gave up on. */
#define APP_TRIES 5

/* app_retry decides, after one attempt of a use case returned rc, whether to run it again:
 * when rc is -1 and err->retry is set (a deadlock, a serialization failure or a lock held past
 * the timeout: the database gave up on a transaction that may pass when run again), it rolls
 * back, clears err, waits a short random time that grows with each attempt and returns true,
 * at most APP_TRIES - 1 times, with a warning in the log. *tries counts the attempts (start at
 * 0). An attempt must write nothing outside its transaction, announce events only after its
 * commit and reset the outputs it fills; then
 *	do
 *		rc = attempt(app, ...);
 *	while (app_retry(app, rc, &tries, "step.move", err));
 * runs it until it succeeds, fails for another reason or the attempts run out (the last
 * error, NC_EBUSY, is returned). */
bool app_retry(struct app *app, int rc, int *tries, const char *what, struct nc_err *err);

/* actor_login names who acts, for the audit log. */
const char *actor_login(const struct app *app);

#endif
