/* settings.c - the team's settings as a table of data (key, type, limits, default, help): the
 * CLI's "settings list", the API and the settings page all come from this table. */
#include "app/app.h"
#include "io/cdr.h"
#include "io/phone.h"
#include "util/time.h"
#include "util/utf8.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_COURTESY                                                                                                                                      \
	"[\"courtesy call\", \"just checking in\", \"keeping in touch\", \"keep in touch\", "                                                                 \
	"\"just touching base\", \"touching base\", \"it has been a while\", \"just a reminder "                                                              \
	"about us\", \"i was passing by\", \"weekly call quota\", "                                                                                           \
	"\"звонок вежливости\", \"просто напомнить о себе\", \"напомнить о себе\", \"поддержать " \
	"связь\", \"быть на связи\", \"давно не общались\", \"проходил мимо\", "                                   \
	"\"nezaket araması\", \"hatır sorma\", \"sadece hatırlatma\", \"iletişimde kalmak\", "                                                            \
	"\"cuộc gọi xã giao\", \"giữ liên lạc\", \"hỏi thăm\"]"

const struct setting_def setting_defs[] = {
    {"goals.default_max", SET_TEXT, 0, 300, "a meeting at a concrete date and time",
     "maximum goal prefilled for outbound calls and meetings", false},
    {"goals.default_min", SET_TEXT, 0, 300,
     "contacts exchanged and a call agreed at a concrete time",
     "minimum goal prefilled for outbound calls and meetings", false},
    {"rules.courtesy_phrases", SET_LIST, 0, 200, DEFAULT_COURTESY,
     "purposes refused as courtesy calls (JSON array of phrases; matched ignoring case, "
     "punctuation and extra spaces)",
     false},
    {"rules.decision_hours", SET_INT, 1, 720, "72",
     "longest time a client ready to decide gets (hours)", false},
    {"callback.delay_min", SET_INT, 1, 1440, "15",
     "a missed inbound call gets a callback due this many minutes later", false},
    {"retry.delay_days", SET_INT, 1, 60, "2",
     "a missed outbound call is retried this many days later", false},
    {"ring.limit_s", SET_INT, 1, 120, "15",
     "an inbound call answered later than this is a slow answer (seconds)", false},
    {"ami.enabled", SET_BOOL, 0, 0, "false",
     "connect to the Asterisk Manager Interface (AMI) while serving", false},
    {"ami.host", SET_TEXT, 0, 255, "127.0.0.1", "AMI host name or address", false},
    {"ami.port", SET_INT, 1, 65535, "5038", "AMI TCP port", false},
    {"ami.user", SET_TEXT, 0, 80, "", "AMI user (manager.conf section)", false},
    {"ami.secret", SET_TEXT, 0, 200, "", "AMI secret (sent as an MD5 challenge answer)", true},
    {"ami.external_contexts", SET_LIST, 0, 80, "[\"from-trunk\", \"from-pstn\", \"from-external\"]",
     "dialplan contexts of calls from outside (trunks); a call entering one is inbound", false},
    {"ami.originate_channel", SET_TEXT, 0, 120, "PJSIP/{ext}",
     "channel that click-to-call rings first ({ext}: the rep's extension)", false},
    {"ami.originate_context", SET_TEXT, 0, 80, "from-internal",
     "dialplan context click-to-call dials the client's number in", false},
    {"recording.url", SET_TEXT, 0, 300, "",
     "link to a call's recording: {uniqueid}, {linkedid} and {date} (YYYY/MM/DD) are replaced; "
     "empty: no link",
     false},
    {"webhook.token", SET_TEXT, 0, 200, "",
     "token a cloud PBX sends to POST /api/v1/telephony/webhook (empty: the webhook is off)", true},
    {"phone.region", SET_REGION, 0, 0, "RU",
     "default country of phone numbers typed without a country code", false},
    {"report.funnel", SET_LIST, 0, 40, "[\"calls\", \"visit\", \"won\"]",
     "stages of the funnel report (JSON array): calls, incoming, effective, steps, meetings, "
     "offer, pending, won, or a next step kind agreed (visit, meeting, invoice, ... or "
     "step:KIND)",
     false},
    {"report.allowed_conversion", SET_INT, 0, 100, "10",
     "the team's allowed call-to-sale conversion (percent): reps below it are highlighted", false},
    {"team.name", SET_TEXT, 0, 100, "", "the company's name, as reps say it on the phone", false},
    {"team.timezone", SET_ZONE, 0, 0, "UTC", "zone of users without their own", false},
    {"cdr.timezone", SET_ZONE, 0, 0, "UTC",
     "zone of the times in imported CDR files (UTC for cdr.conf usegmtime=yes; else the PBX's "
     "zone)",
     false},
    {"cdr.columns", SET_TEXT, 0, 20, "auto",
     "column layout of imported Master.csv files: auto (by column count), 16 to 21, "
     "17-userfield, 20-userfield or custom (cdr_custom's legacy mapping)",
     false},
    {NULL, 0, 0, 0, NULL, NULL, false},
};

const struct setting_def *setting_find(const char *key)
{
	for (const struct setting_def *d = setting_defs; d->key; d++)
		if (strcmp(d->key, key) == 0)
			return d;
	return NULL;
}

int app_setting_get(struct app *app, const char *key, const char **value, struct nc_err *err)
{
	const struct setting_def *d = setting_find(key);
	if (!d)
		return nc_error_field(err, NC_EINVAL, "key", "unknown setting \"%.60s\"", key);
	int rc = store_setting_get(app->db, app->a, key, value, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		*value = d->def;
	return 0;
}

/* check_list validates a JSON array of non-blank strings and returns it normalised. */
static const char *check_list(struct app *app, const struct setting_def *d, const char *value,
			      struct nc_err *err)
{
	json_error_t jerr;
	json_t *arr = json_loads(value, 0, &jerr);
	const char *out = NULL;
	if (!arr || !json_is_array(arr)) {
		nc_error_field(err, NC_EINVAL, d->key,
			       "%s: want a JSON array of strings, e.g. [\"courtesy call\"]",
			       d->key);
		goto out;
	}
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v) || utf8_is_blank(json_string_value(v)) ||
		    json_string_length(v) > (size_t)d->max) {
			nc_error_field(
			    err, NC_EINVAL, d->key,
			    "%s: item %zu must be a non-blank string of at most %ld bytes", d->key,
			    i + 1, d->max);
			goto out;
		}
	}
	/* the funnel names stages the reports know, at least one */
	if (strcmp(d->key, "report.funnel") == 0) {
		if (json_array_size(arr) == 0) {
			nc_error_field(err, NC_EINVAL, d->key, "%s: at least one stage", d->key);
			goto out;
		}
		json_array_foreach(arr, i, v)
		{
			if (!app_report_stage_valid(json_string_value(v))) {
				nc_error_field(
				    err, NC_EINVAL, d->key,
				    "%s: unknown stage \"%.40s\" (calls, incoming, effective, "
				    "steps, "
				    "meetings, offer, pending, won, or a step kind such as visit)",
				    d->key, json_string_value(v));
				goto out;
			}
		}
	}
	char *s = json_dumps(arr, JSON_COMPACT);
	out = arena_strdup(app->a, s);
	free(s);
out:
	json_decref(arr);
	return out;
}

/* validate returns value normalised for storage, or NULL with err filled. */
static const char *validate(struct app *app, const struct setting_def *d, const char *value,
			    struct nc_err *err)
{
	if (!utf8_valid(value, strlen(value)))
		return nc_error_field(err, NC_EINVAL, d->key, "%s: not valid UTF-8", d->key), NULL;
	switch (d->type) {
	case SET_INT: {
		char *end;
		long v = strtol(value, &end, 10);
		if (!*value || *end || v < d->min || v > d->max)
			return nc_error_field(
				   err, NC_EINVAL, d->key,
				   "%s: want a whole number from %ld to %ld, not \"%.40s\"", d->key,
				   d->min, d->max, value),
			       NULL;
		return arena_printf(app->a, "%ld", v);
	}
	case SET_BOOL:
		if (strcmp(value, "true") && strcmp(value, "false"))
			return nc_error_field(err, NC_EINVAL, d->key,
					      "%s: want true or false, not \"%.40s\"", d->key,
					      value),
			       NULL;
		return value;
	case SET_TEXT:
		if (strlen(value) > (size_t)d->max)
			return nc_error_field(err, NC_EINVAL, d->key, "%s: at most %ld bytes",
					      d->key, d->max),
			       NULL;
		if (strcmp(d->key, "cdr.columns") == 0) {
			enum cdr_layout l;
			if (cdr_layout_parse(value, &l, err) < 0)
				return NULL;
		}
		return value;
	case SET_LIST:
		return check_list(app, d, value, err);
	case SET_REGION:
		if (!phone_region_valid(value))
			return nc_error_field(
				   err, NC_EINVAL, d->key,
				   "%s: unknown region \"%.40s\" (want e.g. RU, TR, VN, US)",
				   d->key, value),
			       NULL;
		return value;
	case SET_ZONE:
		if (!time_zone_valid(value))
			return nc_error_field(err, NC_EINVAL, d->key,
					      "%s: unknown time zone \"%.60s\" (want e.g. "
					      "Europe/Moscow)",
					      d->key, value),
			       NULL;
		return value;
	}
	return NULL;
}

/* put stores one validated value with its audit row, inside the caller's transaction. */
static int put(struct app *app, const struct setting_def *d, const char *v, struct nc_err *err)
{
	const char *actor = app->actor ? app->actor->login : "system";
	if (*v && strcmp(d->key, "webhook.token") == 0) /* only compared: keep its hash */
		v = arena_printf(app->a, "%s%s", SETTING_HASHED, app_secret_hash(app, v));
	if (store_setting_put(app->db, d->key, v, app->now, err) < 0 ||
	    store_audit(app->db, app->now, actor, "setting.set", "setting", 0,
			d->secret ? d->key : arena_printf(app->a, "%s=%s", d->key, v), err) < 0)
		return -1;
	return 0;
}

static int store_value(struct app *app, const struct setting_def *d, const char *v,
		       struct nc_err *err)
{
	if (db_begin(app->db, err) < 0)
		return -1;
	/* the report rollups count days in the team's zone, answers by the ring limit and
	 * callbacks by the delay: a change of one recounts them in the same transaction */
	if (put(app, d, v, err) < 0 || app_report_sync(app, err) < 0) {
		db_rollback(app->db);
		return -1;
	}
	app->settings = NULL; /* read them again after a change */
	return db_commit(app->db, err);
}

int app_setting_set(struct app *app, const char *key, const char *value, struct nc_err *err)
{
	if (app_require_role(app, ROLE_HEAD, err) < 0)
		return -1;
	const struct setting_def *d = setting_find(key);
	if (!d)
		return nc_error_field(err, NC_EINVAL, "key", "unknown setting \"%.60s\"", key);
	const char *v = validate(app, d, value, err);
	if (!v)
		return -1;
	return store_value(app, d, v, err);
}

int app_settings_update(struct app *app, const char *const *keys, const char *const *values,
			size_t n, struct nc_err *err)
{
	if (app_require_role(app, ROLE_HEAD, err) < 0)
		return -1;
	const struct setting_def **defs = ARENA_ARRAY(app->a, const struct setting_def *, n + 1);
	const char **norm = ARENA_ARRAY(app->a, const char *, n + 1);
	for (size_t i = 0; i < n; i++) {
		if (!(defs[i] = setting_find(keys[i])))
			return nc_error_field(err, NC_EINVAL, keys[i], "unknown setting \"%.60s\"",
					      keys[i]);
		if (!(norm[i] = validate(app, defs[i], values[i] ? values[i] : "", err)))
			return -1;
	}
	if (db_begin(app->db, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (put(app, defs[i], norm[i], err) < 0) {
			db_rollback(app->db);
			return -1;
		}
	}
	if (app_report_sync(app, err) < 0) { /* as in store_value */
		db_rollback(app->db);
		return -1;
	}
	app->settings = NULL; /* read them again after a change */
	return db_commit(app->db, err);
}

const char *setting_type_name(enum setting_type t)
{
	static const char *const names[] = {"text", "int", "bool", "list", "region", "zone"};
	return (size_t)t < sizeof(names) / sizeof(names[0]) ? names[t] : "text";
}

int app_setting_list_edit(struct app *app, const char *key, const char *item, bool add,
			  struct nc_err *err)
{
	if (app_require_role(app, ROLE_HEAD, err) < 0)
		return -1;
	const struct setting_def *d = setting_find(key);
	if (!d || d->type != SET_LIST)
		return nc_error_field(err, NC_EINVAL, "key", "\"%.60s\" is not a list setting",
				      key);
	if (utf8_is_blank(item) || !utf8_valid(item, strlen(item)))
		return nc_error_field(err, NC_EINVAL, "item", "item: a non-blank UTF-8 phrase");
	const char *cur;
	if (app_setting_get(app, key, &cur, err) < 0)
		return -1;
	json_t *arr = json_loads(cur, 0, NULL);
	if (!json_is_array(arr)) {
		json_decref(arr);
		arr = json_array();
	}
	size_t i;
	json_t *v;
	bool found = false;
	json_array_foreach(arr, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), item) == 0) {
			found = true;
			break;
		}
	}
	int rc = 0;
	if (add && !found)
		json_array_append_new(arr, json_string(item));
	else if (!add && found)
		json_array_remove(arr, i);
	else
		rc = nc_error_field(err, add ? NC_ECONFLICT : NC_ENOTFOUND, "item",
				    add ? "\"%.80s\" is already in %s" : "\"%.80s\" is not in %s",
				    item, key);
	if (rc == 0) {
		char *s = json_dumps(arr, JSON_COMPACT);
		rc = app_setting_set(app, key, s, err);
		free(s);
	}
	json_decref(arr);
	return rc;
}

/* stored gives key's stored value among kv, or its default. */
static const char *stored(const struct setting_kv *kv, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].value;
	const struct setting_def *d = setting_find(key);
	return d ? d->def : "";
}

/* The settings last read by this thread, kept while its connection's data version stays the
 * same (no change by anyone since: SQLite; PostgreSQL has no version), and then while the rows
 * read again are the same bytes: every request reads them, and reading the rows and parsing the
 * phrase list was a third of an uncached card; any commit moves the version (every logged call
 * on the writer's connection), and parsing the phrases again was then 9 % of a logged call. A
 * hit is copied into the operation's arena, so that a later reload never frees what an operation
 * still holds. */
struct settings_memo {
	const struct db *db;
	int64_t version;
	const char *rows; /* the rows ts was made of, as rows_text writes them */
	size_t rows_len;
	struct arena a;
	struct team_settings ts;
};
static pthread_key_t memo_key;
static pthread_once_t memo_once = PTHREAD_ONCE_INIT;

static void memo_free(void *p)
{
	struct settings_memo *m = p;
	arena_release(&m->a);
	free(m);
}

static void memo_init(void)
{
	if (pthread_key_create(&memo_key, memo_free) != 0)
		memo_key = (pthread_key_t)-1;
}

/* copy_settings copies in (strings and phrases included) into arena a. */
static void copy_settings(struct arena *a, const struct team_settings *in,
			  struct team_settings *out)
{
	*out = *in;
	out->goal_max = arena_strdup(a, in->goal_max);
	out->goal_min = arena_strdup(a, in->goal_min);
	out->region = arena_strdup(a, in->region);
	out->timezone = arena_strdup(a, in->timezone);
	out->courtesy = ARENA_ARRAY(a, const char *, in->ncourtesy + 1);
	for (size_t i = 0; i < in->ncourtesy; i++)
		out->courtesy[i] = arena_strdup(a, in->courtesy[i]);
}

static struct settings_memo *memo_get(void)
{
	pthread_once(&memo_once, memo_init);
	if (memo_key == (pthread_key_t)-1)
		return NULL;
	struct settings_memo *m = pthread_getspecific(memo_key);
	if (!m) {
		m = calloc(1, sizeof(*m));
		if (!m || pthread_setspecific(memo_key, m) != 0) {
			free(m);
			return NULL;
		}
		arena_init(&m->a);
	}
	return m;
}

/* rows_text writes the n rows of kv into a (each key and value with its NUL), their length in
 * *len. */
static const char *rows_text(struct arena *a, const struct setting_kv *kv, size_t n, size_t *len)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += strlen(kv[i].key) + strlen(kv[i].value) + 2;
	char *s = arena_alloc(a, total + 1), *p = s;
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(kv[i].key) + 1, v = strlen(kv[i].value) + 1;
		memcpy(p, kv[i].key, k);
		memcpy(p + k, kv[i].value, v);
		p += k + v;
	}
	*len = total;
	return s;
}

/* memo_hit gives the operation a copy of the memo's settings. */
static void memo_hit(struct app *app, const struct settings_memo *m, struct team_settings *out)
{
	struct team_settings *keep = ARENA_NEW(app->a, struct team_settings);
	copy_settings(app->a, &m->ts, keep);
	app->settings = keep;
	*out = *keep;
}

int app_settings_load(struct app *app, struct team_settings *out, struct nc_err *err)
{
	if (app->settings) { /* one read per operation: it asks for them often */
		*out = *app->settings;
		return 0;
	}
	int64_t version = db_version(app->db);
	struct settings_memo *m = memo_get();
	if (m && m->db == app->db && version && m->version == version) {
		memo_hit(app, m, out);
		return 0;
	}
	struct setting_kv *kv;
	size_t n, len;
	memset(out, 0, sizeof(*out));
	if (store_settings_all(app->db, app->a, &kv, &n, err) < 0)
		return -1;
	const char *rows = rows_text(app->a, kv, n, &len);
	/* what a write transaction read is not committed: its version is not kept */
	bool keep_version = !db_in_tx(app->db);
	/* the rows, not the connection: a worker's GETs and the writes it runs on the writer's
	 * connection (web/server.c) share its memo */
	if (m && m->rows && m->rows_len == len && memcmp(m->rows, rows, len) == 0) {
		if (keep_version || m->db != app->db) {
			m->db = app->db;
			m->version = keep_version ? version : 0;
		}
		memo_hit(app, m, out);
		return 0;
	}
	out->goal_max = stored(kv, n, "goals.default_max");
	out->goal_min = stored(kv, n, "goals.default_min");
	out->region = stored(kv, n, "phone.region");
	out->timezone = stored(kv, n, "team.timezone");
	out->decision_hours = (int)strtol(stored(kv, n, "rules.decision_hours"), NULL, 10);
	out->callback_delay_min = (int)strtol(stored(kv, n, "callback.delay_min"), NULL, 10);
	out->retry_delay_days = (int)strtol(stored(kv, n, "retry.delay_days"), NULL, 10);
	out->ring_limit_s = (int)strtol(stored(kv, n, "ring.limit_s"), NULL, 10);
	json_t *arr = json_loads(stored(kv, n, "rules.courtesy_phrases"), 0, NULL);
	size_t np = json_is_array(arr) ? json_array_size(arr) : 0;
	out->courtesy = ARENA_ARRAY(app->a, const char *, np + 1);
	for (size_t i = 0; i < np; i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		if (s)
			out->courtesy[out->ncourtesy++] = arena_strdup(app->a, s);
	}
	json_decref(arr);
	struct team_settings *keep = ARENA_NEW(app->a, struct team_settings);
	*keep = *out;
	app->settings = keep;
	/* the thread's first read, or the rows changed: the memo is made again (the rows are what
	 * the settings are made of, committed or not; the version only when committed) */
	if (m) {
		arena_release(&m->a);
		copy_settings(&m->a, keep, &m->ts);
		char *r = arena_alloc(&m->a, len + 1);
		memcpy(r, rows, len + 1);
		m->rows = r;
		m->rows_len = len;
		m->db = app->db;
		m->version = keep_version ? version : 0;
	}
	return 0;
}
