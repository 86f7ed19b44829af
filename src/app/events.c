/* events.c - the hook between use cases and live delivery. */
#include "app/events.h"

#include <stdatomic.h>

static _Atomic(event_sink) sink;

void events_set_sink(event_sink s)
{
	atomic_store(&sink, s);
}

void events_emit(int64_t user_id, const char *event, json_t *data)
{
	event_sink s = atomic_load(&sink);
	if (s)
		s(user_id, event, data);
	else
		json_decref(data);
}
