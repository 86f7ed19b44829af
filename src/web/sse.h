/* sse.h - live events as Server-Sent Events. Each stream belongs to one user; an idle stream is
 * a suspended connection, not a thread, so a thousand of them cost memory only. A background
 * thread sends a heartbeat every 15 s and announces next steps that are due now or within 5
 * minutes (step.due). */
#ifndef NC_SSE_H
#define NC_SSE_H

#include "web/http.h"

#include <jansson.h>
#include <stdint.h>

struct MHD_Response;

/* sse_start installs the event sink and starts the background thread; on PostgreSQL it also
 * starts listening for events published by other instances on the same database (and the sink
 * sends ours to them). -1 with err when a thread or the listening connection cannot start. */
int sse_start(struct nc_err *err);
/* sse_stop ends every stream and stops the threads. */
void sse_stop(void);

/* sse_open makes r an event stream of the signed-in user (the handler of /api/v1/events). */
void sse_open(struct req *r);
/* sse_response builds the endless response of a stream opened by sse_open. */
struct MHD_Response *sse_response(struct req *r);

/* sse_publish sends an event to every stream of user_id (0: every stream); data is stolen. */
void sse_publish(int64_t user_id, const char *event, json_t *data);

/* sse_count gives the number of open streams. */
size_t sse_count(void);

#endif
