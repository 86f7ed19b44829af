/* telephony.c - what the PBX tells us, turned into facts and live events: an incoming call
 * ringing at a rep's phone is announced to that rep with the client it matches. */
#include "app/app.h"
#include "app/events.h"
#include "io/phone.h"
#include "util/utf8.h"

#include <string.h>

int app_telephony_ringing(struct app *app, const char *call_id, const char *from, const char *rep,
			  struct ringing_out *out, struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	if (app_require_role(app, ROLE_ADMIN, err) < 0)
		return -1;
	if (!call_id || !*call_id || strlen(call_id) > 100 || !utf8_valid(call_id, strlen(call_id)))
		return nc_error_field(err, NC_EINVAL, "call_id", "call_id: 1 to 100 bytes");
	if (!from || !*from || strlen(from) > 64 || !utf8_valid(from, strlen(from)))
		return nc_error_field(err, NC_EINVAL, "from", "from: the caller's number");
	struct user_rec u;
	if (app_resolve_user(app, rep, "rep", &u, err) < 0)
		return -1;
	struct team_settings ts;
	if (app_settings_load(app, &ts, err) < 0)
		return -1;
	char e164[PHONE_E164_MAX];
	out->raw = from;
	out->rep_id = u.id;
	if (phone_normalize(from, ts.region, e164, "from", NULL) == 0) {
		out->phone = arena_strdup(app->a, e164);
		int64_t id;
		int rc = store_phone_owner(app->db, e164, &id, err);
		if (rc < 0)
			return -1;
		struct client_rec c;
		if (rc == 1 && store_client_get(app->db, app->a, id, &c, err) == 1) {
			out->client_id = c.id;
			out->client_name = c.name;
		}
	}
	json_t *data = json_pack(
	    "{s:s, s:o, s:s, s:o, s:o, s:s}", "call_id", call_id, "phone",
	    out->phone ? json_string(out->phone) : json_null(), "raw", from, "client_id",
	    out->client_id ? json_integer(out->client_id) : json_null(), "client_name",
	    out->client_name ? json_string(out->client_name) : json_null(), "rep", u.login);
	events_emit(u.id, "call.incoming", data);
	return 0;
}
