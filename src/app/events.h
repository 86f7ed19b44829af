/* events.h - what the use cases announce as it happens (a client changed, a call is ringing, a
 * step is due), delivered by whatever sink the program installed: the server's live event
 * streams, or nothing for the CLI. */
#ifndef NC_EVENTS_H
#define NC_EVENTS_H

#include <jansson.h>
#include <stdint.h>

/* A sink receives an event for one user (0: everyone allowed to see it) and owns data. */
typedef void (*event_sink)(int64_t user_id, const char *event, json_t *data);

/* events_set_sink installs the sink (NULL: events are dropped). Call before serving. */
void events_set_sink(event_sink sink);

/* events_emit hands data (stolen) to the sink for user_id. */
void events_emit(int64_t user_id, const char *event, json_t *data);

#endif
