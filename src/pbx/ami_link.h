/* ami_link.h - the live link to Asterisk inside "nextcall serve": one thread keeps an AMI session
 * (MD5 challenge login, Ping, reconnect with backoff, CoreShowChannels resync) and turns its
 * events into calls (tel/pbx.h -> app_pbx_call) and pop-ups (call.incoming); click-to-call
 * Originates go out through it. Configured by the ami.* settings, re-read at every connection. */
#ifndef NC_AMI_LINK_H
#define NC_AMI_LINK_H

#include "app/app.h"

#include <stdbool.h>
#include <stdint.h>

/* ami_link_start starts the link's threads for the database target (they idle while
 * ami.enabled is false, looking again every few seconds). */
int ami_link_start(const char *db_target, struct nc_err *err);
/* ami_link_stop ends the session (Logoff), joins the threads and stores the calls already
 * completed. */
void ami_link_stop(void);

/* ami_link_originate queues an async Originate (rep's phone first, then the client); the
 * OriginateResponse reaches the rep as the event call.originate. action_id gets its ActionID.
 * NC_EBUSY when no AMI session is up on this instance. */
int ami_link_originate(const struct originate_out *o, char *action_id, size_t size,
		       struct nc_err *err);

struct ami_link_status {
	bool enabled, connected;
	char server[64]; /* the banner's version, "" before one was seen */
	int64_t connected_since, events, calls, reconnects;
	char last_error[160];
};
void ami_link_status(struct ami_link_status *out);

#endif
