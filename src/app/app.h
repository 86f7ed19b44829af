/* app.h - the use cases of nextcall, one function per user action. Each opens its transaction,
 * checks who may do it, applies the rules of core/ and stores through store/. The CLI, the HTTP
 * API and the web pages all call these, so the same input gets the same answer everywhere. */
#ifndef NC_APP_H
#define NC_APP_H

#include "core/model.h"
#include "core/rules.h"
#include "store/db.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

#include <stdbool.h>
#include <stdint.h>

/* One operation's context: the connection, an arena that owns everything returned, the acting
 * user (NULL: the system itself, as the CLI run by the machine's administrator) and the clock. */
struct app {
	struct db *db;
	struct arena *a;
	const struct user_rec *actor;
	int64_t now;
};

/* app_begin fills app for one operation (now from nc_now()). */
void app_begin(struct app *app, struct db *db, struct arena *a, const struct user_rec *actor);

/* ---- permissions (app.c) ---- */
/* app_is_manager: the actor is the system, a head of sales or an admin. */
bool app_is_manager(const struct app *app);
/* app_require_role: NC_EFORBIDDEN unless the actor has at least role (rep < head < admin). */
int app_require_role(const struct app *app, enum role role, struct nc_err *err);
/* app_can_see_client: a rep sees his own clients and unassigned leads; others see all. */
bool app_can_see_client(const struct app *app, const struct client_rec *c);
/* app_check_client: loads client id into out and checks the actor may see it: NC_ENOTFOUND when
 * it does not exist, NC_EFORBIDDEN when it belongs to another rep. */
int app_check_client(struct app *app, int64_t id, struct client_rec *out, struct nc_err *err);
/* app_resolve_rep: the user called login (NULL: the actor) who must be an active user;
 * a rep actor may only name himself. field names the input for errors. */
int app_resolve_user(struct app *app, const char *login, const char *field, struct user_rec *out,
		     struct nc_err *err);

/* ---- settings (settings.c): a table of every setting with its type, limits and default ---- */
enum setting_type { SET_TEXT, SET_INT, SET_BOOL, SET_LIST, SET_REGION, SET_ZONE };
struct setting_def {
	const char *key;
	enum setting_type type;
	long min, max;	 /* SET_INT limits; SET_TEXT/SET_LIST max length of one value */
	const char *def; /* default as stored text (SET_LIST: JSON array) */
	const char *help;
	bool secret; /* shown masked */
};
extern const struct setting_def setting_defs[];

/* The values the rules and use cases need, read once per operation. */
struct team_settings {
	const char *goal_max, *goal_min;
	const char **courtesy; /* phrases */
	size_t ncourtesy;
	int decision_hours, callback_delay_min, retry_delay_days, ring_limit_s;
	const char *region;   /* default phone region */
	const char *timezone; /* the team's zone, for users without one */
};

const struct setting_def *setting_find(const char *key);
/* app_setting_get gives key's stored value or its default (arena string). */
int app_setting_get(struct app *app, const char *key, const char **value, struct nc_err *err);
/* app_setting_set validates value against key's definition and stores it (head or admin). */
int app_setting_set(struct app *app, const char *key, const char *value, struct nc_err *err);
/* app_setting_list_add / _remove edit one item of a SET_LIST setting (phrase lists). */
int app_setting_list_edit(struct app *app, const char *key, const char *item, bool add,
			  struct nc_err *err);
int app_settings_load(struct app *app, struct team_settings *out, struct nc_err *err);

/* ---- users (users.c) ---- */
struct user_input {
	const char *login, *name, *role, *timezone, *locale, *extension;
	const char *password; /* NULL: unchanged / none */
};
/* app_user_add creates a user (admin); login: 1-32 of [a-z0-9._-]; password at least 8 bytes,
 * stored as an argon2id hash. */
int app_user_add(struct app *app, const struct user_input *in, int64_t *id, struct nc_err *err);
/* app_user_set changes the fields that are not NULL (admin; a user may change his own name,
 * timezone, locale and password). extension "" removes it. */
int app_user_set(struct app *app, const char *login, const struct user_input *in,
		 struct nc_err *err);
/* app_user_check_password: 1 when password matches login's hash, 0 when not (or no such user). */
int app_user_check_password(struct app *app, const char *login, const char *password,
			    struct user_rec *out, struct nc_err *err);

/* ---- catalogs (catalog.c) ---- */
/* app_segment_add parses every ("7", "7-14") into a cadence of min-max days (head). */
int app_segment_add(struct app *app, const char *name, const char *every, int64_t *id,
		    struct nc_err *err);
int app_source_add(struct app *app, const char *name, int64_t *id, struct nc_err *err);
/* app_spend_set stores a source's spend for month YYYY-MM; amount as money_parse reads it. */
int app_spend_set(struct app *app, const char *source, const char *month, const char *amount,
		  struct nc_err *err);

/* ---- clients (clients.c) ---- */
struct client_input {
	const char *name, *company;
	const char **phones; /* as typed, any format */
	size_t nphones;
	const char *owner, *segment, *source; /* names; NULL none */
};
/* app_client_add normalises the phones to E.164 (the team's region), refuses a phone that
 * belongs to another client with NC_ECONFLICT naming him (err->ref is his id), and creates the
 * client. A rep creates clients for himself. */
int app_client_add(struct app *app, const struct client_input *in, int64_t *id, struct nc_err *err);
/* app_client_get loads a visible client. */
int app_client_get(struct app *app, int64_t id, struct client_rec *out, struct nc_err *err);
/* app_client_find_phone finds the client owning a phone typed in any format: 1 found (and
 * visible), 0 none. */
int app_client_find_phone(struct app *app, const char *phone, struct client_rec *out,
			  struct nc_err *err);
/* app_client_search_text folds the client's name, company and phones into the search column. */
const char *app_client_search_text(struct app *app, const struct client_rec *c);
/* app_client_next: the client's earliest planned step (1), or none (0). The caller has checked
 * the client is visible (app_client_get). */
int app_client_next(struct app *app, int64_t client_id, struct step_rec *out, struct nc_err *err);
/* app_client_deals: the client's deals, newest first. */
int app_client_deals(struct app *app, int64_t client_id, struct deal_rec **out, size_t *n,
		     struct nc_err *err);
struct client_query {
	const char *category, *owner, *segment, *source, *q;
	int64_t after;
	int limit;
};
int app_client_list(struct app *app, const struct client_query *q, struct client_rec **out,
		    size_t *n, struct nc_err *err);

/* ---- contacts: logging a call or a meeting (contacts.c) ---- */
struct contact_input {
	int64_t client_id;
	const char *rep; /* login; NULL: the actor */
	enum contact_kind kind;
	const char *direction; /* "in" / "out" (calls) */
	bool missed;
	const char *purpose;
	const char *goal_max, *goal_min; /* NULL: the team's defaults */
	const char *result;		 /* max|min|none or NULL */
	int talk_s, ring_s;		 /* -1: not given */
	const char *at;			 /* WHEN or RFC 3339; NULL: now */
	const char *next_kind, *next_due;
	const char *refused; /* reason; NULL when not refused */
	const char *never_reason, *never_note;
	const char *offer, *won;		    /* amounts; NULL when none */
	const char *phone, *pbx_id, *recording_url; /* from telephony */
};
struct contact_output {
	int64_t call_id, step_id, deal_id;
	enum category category;
	struct violations v; /* the refusals (on NC_ERULE) or the warnings (on success) */
};
/* app_contact_log records one call or meeting after checking the sales rules: a refusal stores
 * nothing and returns -1 with NC_ERULE (err names the first rule; out->v has them all). On
 * success the client's planned steps are closed, the next step planned (or the automatic
 * callback/retry of a missed call), deals opened or won, and the category updated. */
int app_contact_log(struct app *app, const struct contact_input *in, struct contact_output *out,
		    struct nc_err *err);
int app_contact_list(struct app *app, int64_t client_id, int limit, struct call_rec **out,
		     size_t *n, struct nc_err *err);

/* ---- next steps (steps.c) ---- */
int app_step_list(struct app *app, const char *rep, struct step_rec **out, size_t *n,
		  struct nc_err *err);
int app_step_done(struct app *app, int64_t id, struct nc_err *err);
/* app_step_move moves a planned step to WHEN (rules: concrete time, not past, decision window). */
int app_step_move(struct app *app, int64_t id, const char *when, struct nc_err *err);
/* app_step_cancel cancels a planned step with a non-blank reason. */
int app_step_cancel(struct app *app, int64_t id, const char *reason, struct nc_err *err);
/* app_step_get loads a step the actor may see. */
int app_step_get(struct app *app, int64_t id, struct step_rec *out, struct nc_err *err);

/* ---- the day (agenda.c) ---- */
struct agenda_violation {
	int64_t client_id;
	const char *client_name;
	const char *rule;
	int64_t due_at; /* the step concerned, 0 when none */
};
struct agenda {
	const char *rep;      /* login, NULL for the whole team */
	const char *timezone; /* in which the day is counted */
	int64_t day_start, day_end;
	struct step_rec *overdue, *today;
	size_t noverdue, ntoday;
	struct agenda_violation *violations;
	size_t nviolations;
	int64_t calls_today, planned_today, pool_now, pool_future;
};
/* app_agenda builds a rep's (NULL: the actor if a rep, else the team's) day; date "YYYY-MM-DD"
 * or NULL for today in the rep's zone. overdue: planned steps due before now; today: planned
 * steps due from now to the end of that day. */
int app_agenda(struct app *app, const char *rep, const char *date, struct agenda *out,
	       struct nc_err *err);

/* ---- import (imports.c) ---- */
struct import_opts {
	const char *encoding;  /* auto|utf-8|cp1251 */
	const char *delimiter; /* auto|,|;|tab */
	bool dry_run;
	const char *owner; /* default owner login for rows without one */
};
struct import_issue {
	long line;
	const char *reason;
	int64_t existing_id; /* duplicates: the client already holding the phone */
};
struct import_report {
	size_t rows, created, duplicates, bad;
	struct import_issue *issues; /* bad rows and duplicates, by line */
	size_t nissues;
	const char *encoding;
	char delimiter;
};
/* app_import_clients imports clients from a CSV file's bytes: all or nothing. Any bad row
 * rejects the whole file (NC_EINVAL, every bad row listed in the report); rows whose phone
 * already exists are skipped and reported as duplicates. */
int app_import_clients(struct app *app, const char *data, size_t len,
		       const struct import_opts *opts, struct import_report *rep,
		       struct nc_err *err);

/* ---- demo data (demo.c) ---- */
/* app_demo fills an empty database with the demo team (stretch ceilings): deterministic for a
 * given clock. */
int app_demo(struct app *app, struct nc_err *err);

#endif
