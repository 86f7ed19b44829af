/* api_body.h - the body readers of the API handlers that turn a parsed JSON body into an app
 * input (api_calls.c, api_clients.c), shared with the fuzz target (tests/fuzz/fuzz_json.c).
 * Each answers 400 naming the field and returns -1 when the body is refused. */
#ifndef NC_API_BODY_H
#define NC_API_BODY_H

#include "web/http.h"

/* api_read_contact reads the body of POST /calls (kind CONTACT_CALL) or /meetings into in. */
int api_read_contact(struct req *r, json_t *body, enum contact_kind kind, struct contact_input *in);
/* api_read_client reads the client fields of the body; on update (PATCH) null removes a value. */
int api_read_client(struct req *r, json_t *body, bool update, struct client_input *in);

#endif
