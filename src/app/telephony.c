/* telephony.c - what the PBX tells us, turned into facts and live events: an incoming call
 * ringing at a rep's phone is announced to that rep with the client it matches. */
#include "app/events.h"
#include "app/internal.h"
#include "io/phone.h"
#include "util/buf.h"
#include "util/utf8.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

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
			/* a rep's pop-up names only the clients he may see */
			if (u.role != ROLE_REP || c.owner_id == 0 || c.owner_id == u.id)
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

/* recording_url fills the recording.url template: {uniqueid}, {linkedid}, {date} (YYYY/MM/DD of
 * the call's start, UTC, as Asterisk's MixMonitor paths usually have it). */
static const char *recording_url(struct app *app, const struct pbx_call_in *in, struct nc_err *err)
{
	if (in->recording_url && *in->recording_url)
		return in->recording_url;
	const char *tpl;
	if (app_setting_get(app, "recording.url", &tpl, err) < 0 || !tpl || !*tpl)
		return NULL;
	char date[16];
	time_t t = (time_t)in->started_at;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y/%m/%d", &tm);
	struct buf b;
	buf_init(&b, 128);
	for (const char *p = tpl; *p;) {
		if (strncmp(p, "{uniqueid}", 10) == 0) {
			buf_adds(&b, in->uniqueid ? in->uniqueid : in->pbx_id);
			p += 10;
		} else if (strncmp(p, "{linkedid}", 10) == 0) {
			buf_adds(&b, in->pbx_id);
			p += 10;
		} else if (strncmp(p, "{date}", 6) == 0) {
			buf_adds(&b, date);
			p += 6;
		} else {
			buf_addc(&b, *p++);
		}
	}
	const char *url = arena_strndup(app->a, b.data, b.len);
	buf_release(&b);
	return url;
}

/* new_lead makes an unassigned lead of a number nobody owns, so that its missed call gets a
 * callback like any other. */
static int new_lead(struct app *app, const char *e164, const char *raw, int64_t *id,
		    struct nc_err *err)
{
	struct client_rec c = {.name = arena_printf(app->a, "Missed call %s", e164),
			       .category = CAT_NOW,
			       .category_at = app->now,
			       .created_at = app->now,
			       .updated_at = app->now,
			       .phones = &e164,
			       .nphones = 1};
	const char *raws[1] = {raw};
	return client_insert_new(app, NULL, &c, raws, id, err);
}

static int plan_callback(struct app *app, const struct team_settings *ts, int64_t client_id,
			 int64_t call_id, int64_t ended_at, struct pbx_call_out *out,
			 int64_t *owner, struct nc_err *err)
{
	/* one planned callback is enough, however often he called, whatever else is planned */
	int rc = store_step_has_planned(app->db, client_id, STEP_CALLBACK, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	struct client_rec cl;
	rc = store_client_get(app->db, app->a, client_id, &cl, err);
	if (rc <= 0)
		return rc;
	struct step_rec s = {.client_id = client_id,
			     .call_id = call_id,
			     .rep_id = cl.owner_id,
			     .kind = STEP_CALLBACK,
			     .due_at = ended_at + (int64_t)ts->callback_delay_min * 60,
			     .status = STEP_PLANNED,
			     .auto_planned = true,
			     .created_at = app->now};
	*owner = cl.owner_id;
	return store_step_insert(app->db, &s, &out->step_id, err);
}

static int pbx_call(struct app *app, const struct pbx_call_in *in, struct pbx_call_out *out,
		    struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	if (app_require_role(app, ROLE_ADMIN, err) < 0)
		return -1;
	if (!in->pbx_id || !*in->pbx_id || strlen(in->pbx_id) > 100 ||
	    !utf8_valid(in->pbx_id, strlen(in->pbx_id)))
		return nc_error_field(err, NC_EINVAL, "call_id", "call id: 1 to 100 bytes");
	bool inbound = in->direction && strcmp(in->direction, "in") == 0;
	if (!inbound && !(in->direction && strcmp(in->direction, "out") == 0))
		return nc_error_field(err, NC_EINVAL, "direction", "direction: in or out");
	if (in->started_at <= 0 || in->ended_at < in->started_at)
		return nc_error_field(err, NC_EINVAL, "ended_at", "a call ends after it starts");
	if (in->number && (strlen(in->number) > 64 || !utf8_valid(in->number, strlen(in->number))))
		return nc_error_field(err, NC_EINVAL, "from", "a phone number: at most 64 bytes");
	struct team_settings ts;
	if (app_settings_load(app, &ts, err) < 0)
		return -1;
	struct user_rec rep = {0};
	if (in->rep && *in->rep) {
		int rc = store_user_by_login(app->db, app->a, in->rep, &rep, err);
		if (rc < 0)
			return -1;
	}
	const char *url = recording_url(app, in, err);
	if (err && err->code != NC_OK)
		return -1;
	if (db_begin(app->db, err) < 0)
		return -1;
	int64_t owner = 0;
	int rc = store_call_by_pbx_id(app->db, in->pbx_id, &out->call_id, err);
	if (rc < 0)
		goto fail;
	if (rc == 1) {
		out->existed = true;
		db_rollback(app->db);
		return 0;
	}
	char e164[PHONE_E164_MAX];
	bool normal = in->number && *in->number &&
		      phone_normalize(in->number, ts.region, e164, "phone", NULL) == 0;
	if (normal && store_phone_owner(app->db, e164, &out->client_id, err) < 0)
		goto fail;
	/* the client first, then the report rollups: the order of a logged contact (contacts.c) */
	if (out->client_id && store_client_lock(app->db, out->client_id, err) < 0)
		goto fail;
	if (inbound && in->missed && normal && !out->client_id) {
		if (new_lead(app, e164, in->number, &out->client_id, err) < 0)
			goto fail;
		out->new_lead = true;
	}
	struct call_rec c = {.client_id = out->client_id,
			     .rep_id = rep.id,
			     .kind = CONTACT_CALL,
			     .direction = inbound ? DIR_IN : DIR_OUT,
			     .started_at = in->started_at,
			     .answered_at = in->answered_at,
			     .ended_at = in->ended_at,
			     .ring_s = in->ring_s > 0 ? in->ring_s : 0,
			     .talk_s = in->talk_s > 0 ? in->talk_s : 0,
			     .missed = in->missed,
			     .result = -1,
			     .phone = in->number && *in->number ? in->number : NULL,
			     .pbx_id = in->pbx_id,
			     .recording_url = url,
			     .logged = false,
			     .created_at = app->now};
	if (store_call_insert(app->db, &c, &out->call_id, err) < 0)
		goto fail;
	if (inbound && in->missed && out->client_id &&
	    plan_callback(app, &ts, out->client_id, out->call_id, in->ended_at, out, &owner, err) <
		0)
		goto fail;
	/* the script run the rep had open with this client was used on this call */
	if (out->client_id && rep.id &&
	    store_run_link_call(app->db, out->client_id, rep.id, out->call_id, err) < 0)
		goto fail;
	if (db_commit(app->db, err) < 0)
		return -1;
	if (out->client_id)
		client_changed(app, out->client_id, owner, in->missed ? "callback" : "call");
	return 0;
fail:
	db_rollback(app->db);
	return -1;
}

int app_pbx_call(struct app *app, const struct pbx_call_in *in, struct pbx_call_out *out,
		 struct nc_err *err)
{
	int rc, tries = 0;
	do
		rc = pbx_call(app, in, out, err);
	while (app_retry(app, rc, &tries, "pbx.call", err));
	return rc;
}

int app_originate_prepare(struct app *app, int64_t client_id, const char *phone,
			  struct originate_out *out, struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	if (!app->actor)
		return nc_error(err, NC_EFORBIDDEN, "click-to-call needs a signed-in user");
	if (!app->actor->extension || !*app->actor->extension)
		return nc_error_field(err, NC_EINVAL, "extension",
				      "you have no phone extension: ask the admin to map yours "
				      "(nextcall user set LOGIN --extension EXT)");
	struct client_rec c;
	if (app_check_client(app, client_id, &c, err) < 0)
		return -1;
	if (c.nphones == 0)
		return nc_error_field(err, NC_EINVAL, "phone", "the client has no phone number");
	const char *number = c.phones[0];
	if (phone && *phone) {
		struct team_settings ts;
		char e164[PHONE_E164_MAX];
		if (app_settings_load(app, &ts, err) < 0)
			return -1;
		if (phone_normalize(phone, ts.region, e164, "phone", err) < 0)
			return -1;
		number = NULL;
		for (size_t i = 0; i < c.nphones; i++)
			if (strcmp(c.phones[i], e164) == 0)
				number = c.phones[i];
		if (!number)
			return nc_error_field(err, NC_EINVAL, "phone",
					      "\"%.40s\" is not one of the client's phones", phone);
	}
	const char *chan, *ctx;
	if (app_setting_get(app, "ami.originate_channel", &chan, err) < 0 ||
	    app_setting_get(app, "ami.originate_context", &ctx, err) < 0)
		return -1;
	struct buf b;
	buf_init(&b, 64);
	for (const char *p = chan; *p;) {
		if (strncmp(p, "{ext}", 5) == 0) {
			buf_adds(&b, app->actor->extension);
			p += 5;
		} else {
			buf_addc(&b, *p++);
		}
	}
	out->channel = arena_strndup(app->a, b.data, b.len);
	buf_release(&b);
	out->context = ctx;
	out->number = number;
	/* the name goes into an AMI header: no quotes, commas (Variable splitting) or controls */
	char name[80];
	size_t k = 0;
	for (const char *p = c.name; *p && k < sizeof(name) - 1; p++)
		if ((unsigned char)*p >= 0x20 && *p != '"' && *p != ',' && *p != '<' && *p != '>')
			name[k++] = *p;
	name[k] = '\0';
	out->callerid = arena_printf(app->a, "\"%s\" <%s>", name, number);
	out->client_id = c.id;
	out->rep_id = app->actor->id;
	return 0;
}

static int64_t check_time(int64_t t, const char *field, struct nc_err *err)
{
	if (t < 0 || t > 4102444800LL) /* 2100-01-01 */
		return nc_error_field(err, NC_EINVAL, field, "%s: a time in seconds since 1970",
				      field);
	return 0;
}

int app_telephony_webhook(struct app *app, const char *token, const struct webhook_event *ev,
			  struct pbx_call_out *out, struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	const char *want;
	if (app_setting_get(app, "webhook.token", &want, err) < 0)
		return -1;
	if (!want || !*want)
		return nc_error(err, NC_EFORBIDDEN,
				"the webhook is off (setting webhook.token is empty)");
	/* stored hashed (settings.c); a value set in clear by an older version still works */
	if (token && strncmp(want, SETTING_HASHED, strlen(SETTING_HASHED)) == 0) {
		token = app_secret_hash(app, token);
		want += strlen(SETTING_HASHED);
	}
	if (!token || strlen(token) != strlen(want) ||
	    sodium_memcmp(token, want, strlen(want)) != 0)
		return nc_error(err, NC_EAUTH, "wrong webhook token");
	app->anonymous = false; /* the token stands for the exchange: it acts as the system */
	app->actor = NULL;
	if (!ev->event)
		return nc_error_field(err, NC_EINVAL, "event", "event: start, answer or end");
	if (!ev->call_id || !*ev->call_id || strlen(ev->call_id) > 100 ||
	    !utf8_valid(ev->call_id, strlen(ev->call_id)))
		return nc_error_field(err, NC_EINVAL, "call_id", "call_id: 1 to 100 bytes");
	if (check_time(ev->started_at, "started_at", err) < 0 ||
	    check_time(ev->answered_at, "answered_at", err) < 0 ||
	    check_time(ev->ended_at, "ended_at", err) < 0)
		return -1;
	bool inbound = !ev->direction || strcmp(ev->direction, "in") == 0;
	if (ev->direction && !inbound && strcmp(ev->direction, "out") != 0)
		return nc_error_field(err, NC_EINVAL, "direction", "direction: in or out");
	if (ev->extension && (strlen(ev->extension) > 20 || !*ev->extension))
		return nc_error_field(err, NC_EINVAL, "extension", "extension: 1 to 20 characters");
	struct user_rec rep = {0};
	if (ev->extension) {
		int rc = store_user_by_extension(app->db, app->a, ev->extension, &rep, err);
		if (rc < 0)
			return -1;
	}
	const char *outside = inbound ? ev->from : ev->to;
	if (strcmp(ev->event, "start") == 0) {
		if (!inbound || !rep.id)
			return 0; /* nobody to announce it to */
		if (!outside || !*outside)
			return nc_error_field(err, NC_EINVAL, "from", "from: the caller's number");
		struct ringing_out r;
		return app_telephony_ringing(app, ev->call_id, outside, rep.login, &r, err);
	}
	if (strcmp(ev->event, "answer") == 0)
		return 0;
	if (strcmp(ev->event, "end") != 0)
		return nc_error_field(err, NC_EINVAL, "event", "event: start, answer or end");
	if (!ev->started_at || !ev->ended_at || ev->ended_at < ev->started_at)
		return nc_error_field(err, NC_EINVAL, "ended_at",
				      "an end event needs started_at and ended_at, in that order");
	if (ev->answered_at && (ev->answered_at < ev->started_at || ev->answered_at > ev->ended_at))
		return nc_error_field(err, NC_EINVAL, "answered_at",
				      "answered_at lies between started_at and ended_at");
	int64_t ring_end = ev->answered_at ? ev->answered_at : ev->ended_at;
	struct pbx_call_in in = {
	    .pbx_id = ev->call_id,
	    .direction = inbound ? "in" : "out",
	    .number = outside,
	    .rep = rep.id ? rep.login : NULL,
	    .missed = inbound && !ev->answered_at,
	    .ring_s = (int)(ring_end - ev->started_at),
	    .talk_s = ev->answered_at ? (int)(ev->ended_at - ev->answered_at) : 0,
	    .started_at = ev->started_at,
	    .answered_at = ev->answered_at,
	    .ended_at = ev->ended_at,
	    .recording_url = ev->recording_url && *ev->recording_url ? ev->recording_url : NULL};
	if (in.recording_url &&
	    (strlen(in.recording_url) > 500 || (strncmp(in.recording_url, "https://", 8) != 0 &&
						strncmp(in.recording_url, "http://", 7) != 0)))
		return nc_error_field(err, NC_EINVAL, "recording_url",
				      "recording_url: an http(s) link of at most 500 bytes");
	return app_pbx_call(app, &in, out, err);
}
