/* api_events.c - the live event stream of the signed-in user, and the telephony entry point that
 * publishes call.incoming to a rep. */
#include "web/api.h"
#include "web/sse.h"

#include <string.h>

void api_events(struct req *r)
{
	sse_open(r);
}

void api_telephony_event(struct req *r)
{
	json_t *body = http_json_body(r);
	static const char *const fields[] = {"type", "call_id", "from", "to", "rep", NULL};
	const char *type = NULL, *call_id = NULL, *from = NULL, *to = NULL, *rep = NULL;
	if (!body || http_check_fields(r, body, fields) < 0 ||
	    http_field_str(r, body, "type", 20, &type) < 0 ||
	    http_field_str(r, body, "call_id", 100, &call_id) < 0 ||
	    http_field_str(r, body, "from", 64, &from) < 0 ||
	    http_field_str(r, body, "to", 64, &to) < 0 ||
	    http_field_str(r, body, "rep", 64, &rep) < 0)
		return;
	if (!type || strcmp(type, "ringing") != 0) {
		http_error(r, 400, "invalid", "type", "type: want \"ringing\"");
		return;
	}
	if (!rep) {
		http_error(r, 400, "invalid", "rep", "rep: the login whose phone rings");
		return;
	}
	struct ringing_out out;
	struct nc_err err = {0};
	if (app_telephony_ringing(&r->app, call_id, from, rep, &out, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	http_json(r, 200,
		  json_pack("{s:s, s:o, s:o, s:b}", "call_id", call_id, "phone",
			    out.phone ? json_string(out.phone) : json_null(), "client_id",
			    out.client_id ? json_integer(out.client_id) : json_null(), "delivered",
			    1));
}
