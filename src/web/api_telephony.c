/* api_telephony.c - click-to-call, the cloud PBX webhook and the state of the AMI link. */
#include "app/json.h"
#include "pbx/ami_link.h"
#include "util/time.h"
#include "web/api.h"

#include <string.h>

/* POST /api/v1/calls/originate {client_id, phone?}: rings the rep's phone, then the client. */
void api_calls_originate(struct req *r)
{
	json_t *body = http_json_body(r);
	static const char *const fields[] = {"client_id", "phone", NULL};
	int64_t client_id = 0;
	const char *phone = NULL;
	if (!body || http_check_fields(r, body, fields) < 0 ||
	    http_field_int(r, body, "client_id", 1, INT64_MAX, &client_id) < 0 ||
	    http_field_str(r, body, "phone", 64, &phone) < 0)
		return;
	if (!client_id) {
		http_error(r, 400, "invalid", "client_id", "client_id: the client to call");
		return;
	}
	struct originate_out o;
	struct nc_err err = {0};
	char action_id[64];
	if (app_originate_prepare(&r->app, client_id, phone, &o, &err) < 0 ||
	    ami_link_originate(&o, action_id, sizeof(action_id), &err) < 0) {
		http_fail(r, &err);
		return;
	}
	http_json(r, 202,
		  json_pack("{s:s, s:I, s:s, s:s}", "action_id", action_id, "client_id",
			    (json_int_t)client_id, "number", o.number, "status", "queued"));
}

/* webhook_time reads a time field given as epoch seconds or RFC 3339 (0 when absent). */
static int webhook_time(struct req *r, json_t *body, const char *field, int64_t *out)
{
	json_t *v = json_object_get(body, field);
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*out = json_integer_value(v);
		return 0;
	}
	struct nc_err err = {0};
	if (json_is_string(v) && time_parse_rfc3339(json_string_value(v), field, out, &err) == 0)
		return 0;
	http_error(r, 400, "invalid", field, "%s: a time (RFC 3339 or seconds since 1970)", field);
	return -1;
}

/* POST /api/v1/telephony/webhook: a cloud PBX's call start, answer and end (docs/telephony.md).
 * The token comes in the X-Nextcall-Token header (or ?token=). */
void api_telephony_webhook(struct req *r)
{
	json_t *body = http_json_body(r);
	static const char *const fields[] = {
	    "event",	 "call_id",	  "from",	"to",
	    "extension", "direction",	  "started_at", "answered_at",
	    "ended_at",	 "recording_url", NULL};
	struct webhook_event ev = {0};
	if (!body || http_check_fields(r, body, fields) < 0 ||
	    http_field_str(r, body, "event", 20, &ev.event) < 0 ||
	    http_field_str(r, body, "call_id", 100, &ev.call_id) < 0 ||
	    http_field_str(r, body, "from", 64, &ev.from) < 0 ||
	    http_field_str(r, body, "to", 64, &ev.to) < 0 ||
	    http_field_str(r, body, "extension", 20, &ev.extension) < 0 ||
	    http_field_str(r, body, "direction", 10, &ev.direction) < 0 ||
	    http_field_str(r, body, "recording_url", 500, &ev.recording_url) < 0 ||
	    webhook_time(r, body, "started_at", &ev.started_at) < 0 ||
	    webhook_time(r, body, "answered_at", &ev.answered_at) < 0 ||
	    webhook_time(r, body, "ended_at", &ev.ended_at) < 0)
		return;
	const char *token = http_header(r, "X-Nextcall-Token");
	if (!token)
		token = http_query(r, "token");
	struct pbx_call_out out;
	struct nc_err err = {0};
	if (app_telephony_webhook(&r->app, token, &ev, &out, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	http_json(r, 200,
		  json_pack("{s:s, s:s, s:o, s:o, s:b, s:o}", "event", ev.event, "call_id",
			    ev.call_id, "stored_call_id",
			    out.call_id ? json_integer(out.call_id) : json_null(), "client_id",
			    out.client_id ? json_integer(out.client_id) : json_null(), "duplicate",
			    out.existed, "callback_step_id",
			    out.step_id ? json_integer(out.step_id) : json_null()));
}

/* GET /api/v1/telephony/status (admin): is the AMI link up. */
void api_telephony_status(struct req *r)
{
	struct ami_link_status s;
	ami_link_status(&s);
	http_json(r, 200,
		  json_pack("{s:b, s:b, s:s, s:o, s:I, s:I, s:I, s:s}", "enabled", s.enabled,
			    "connected", s.connected, "server", s.server, "connected_since",
			    s.connected ? json_time(s.connected_since, http_zone(r)) : json_null(),
			    "events", (json_int_t)s.events, "calls", (json_int_t)s.calls,
			    "reconnects", (json_int_t)s.reconnects, "last_error", s.last_error));
}
