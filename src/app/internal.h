/* internal.h - pieces shared by the use cases of app/ and not offered to the adapters. */
#ifndef NC_APP_INTERNAL_H
#define NC_APP_INTERNAL_H

#include "app/app.h"

/* client_insert_new stores c, whose phones are already E.164 and checked to be free, with the
 * raw forms in raw[], inside the caller's transaction; *id gets the new id. */
int client_insert_new(struct app *app, struct client_rec *c, const char *const *raw, int64_t *id,
		      struct nc_err *err);

/* client_changed announces (event client.changed) that a client was written, to his owner (to
 * everyone for an unassigned lead). Call after the commit. */
void client_changed(struct app *app, int64_t client_id, int64_t owner_id, const char *what);

/* actor_login names who acts, for the audit log. */
const char *actor_login(const struct app *app);

#endif
