/* app.h - the use cases of nextcall, one function per user action. Each opens its transaction,
 * checks who may do it, applies the rules of core/ and stores through store/. The CLI, the HTTP
 * API and the web pages all call these, so the same input gets the same answer everywhere. */
#ifndef NC_APP_H
#define NC_APP_H

#include "core/model.h"
#include "core/rules.h"
#include "core/script.h"
#include "core/stats.h"
#include "io/yaml.h"
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
	bool anonymous; /* no actor because nobody signed in (web), not the system itself */
	const struct team_settings *settings; /* loaded once per operation (app_settings_load) */
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
/* app_check_client_read is app_check_client's check of a read already made: rc is the store
 * read's answer for client id (1 found into out, 0 none, -1 failed, err set). */
int app_check_client_read(struct app *app, int64_t id, int rc, const struct client_rec *out,
			  struct nc_err *err);
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
/* webhook.token is stored as this prefix + app_secret_hash(value): compared, never read back */
#define SETTING_HASHED "blake2b:"
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
/* app_settings_update validates every keys[i] = values[i] (stored text, as app_setting_set
 * takes it) and only then stores them all in one transaction, with an audit row each (head or
 * admin). An unknown key or a bad value fails naming that key as the field; nothing is stored. */
int app_settings_update(struct app *app, const char *const *keys, const char *const *values,
			size_t n, struct nc_err *err);
/* setting_type_name gives "text", "int", "bool", "list", "region" or "zone". */
const char *setting_type_name(enum setting_type t);

/* ---- users (users.c) ---- */
struct user_input {
	const char *login, *name, *role, *timezone, *locale, *extension;
	const char *password;	  /* NULL: unchanged / none */
	const char *keep_session; /* a new password ends every session of the user but this one */
	int active;		  /* app_user_set only: 0 unchanged, 1 activate, -1 deactivate */
};
/* app_user_add creates a user (admin); login: 1-32 of [a-z0-9._-]; password at least 8 bytes,
 * stored as an argon2id hash. */
int app_user_add(struct app *app, const struct user_input *in, int64_t *id, struct nc_err *err);
/* app_user_set changes the fields that are not NULL (admin; a user may change his own name,
 * timezone, locale and password). extension "" removes it. in->active (de)activates the user
 * (admin; an admin cannot deactivate himself). */
int app_user_set(struct app *app, const char *login, const struct user_input *in,
		 struct nc_err *err);
/* app_user_list gives every user ordered by login (admin). */
int app_user_list(struct app *app, struct user_rec **out, size_t *n, struct nc_err *err);
/* app_user_list_active gives the active users ordered by login, to choose an owner or a rep
 * from (head or admin). */
int app_user_list_active(struct app *app, struct user_rec **out, size_t *n, struct nc_err *err);
/* app_user_get loads the user called login: NC_ENOTFOUND naming "login" when there is none. */
int app_user_get(struct app *app, const char *login, struct user_rec *out, struct nc_err *err);
/* app_user_check_password: 1 when password matches login's hash, 0 when not (or no such user). */
int app_user_check_password(struct app *app, const char *login, const char *password,
			    struct user_rec *out, struct nc_err *err);

/* ---- signing in (auth.c) ---- */
struct session_out {
	const char *session; /* the cookie's secret, shown once */
	const char *csrf;    /* the token forms and API writes of this session must carry */
	struct user_rec user;
};
/* app_login checks login and password; after 5 failures for the login or the address in 15
 * minutes it refuses with NC_EBUSY (err->ref = seconds until allowed) without checking. A wrong
 * password is NC_EAUTH. Success creates a session. */
int app_login(struct app *app, const char *login, const char *password, const char *addr,
	      const char *user_agent, struct session_out *out, struct nc_err *err);
/* app_password_verify checks the signed-in user's own password (before he changes it), with the
 * same throttling and attempt log as signing in: 1 right, 0 wrong, -1 error (NC_EBUSY when
 * throttled). */
int app_password_verify(struct app *app, const char *password, const char *addr,
			struct nc_err *err);
/* app_session_check: 1 and the user for a live session, 0 for none or an expired one. Both
 * checks keep their last few answers per thread while the database does not change (see
 * auth.c). */
int app_session_check(struct app *app, const char *session, struct user_rec *user,
		      const char **csrf, struct nc_err *err);
int app_logout(struct app *app, const char *session, struct nc_err *err);
/* app_token_create makes an API token for login (an admin for anyone, a user for himself);
 * *token is shown once and stored only hashed. */
int app_token_create(struct app *app, const char *login, const char *name, const char **token,
		     int64_t *id, struct nc_err *err);
/* app_token_revoke revokes a token by id or by its value (admin). */
int app_token_revoke(struct app *app, int64_t id, const char *token, struct nc_err *err);
/* app_token_check: 1 and the user for a live token, 0 otherwise. */
int app_token_check(struct app *app, const char *token, struct user_rec *user, struct nc_err *err);
/* app_secret_hash gives the hex hash under which a secret is stored. */
const char *app_secret_hash(struct app *app, const char *secret);

/* ---- catalogs (catalog.c) ---- */
/* app_segment_add parses every ("7", "7-14") into a cadence of min-max days (head). */
int app_segment_add(struct app *app, const char *name, const char *every, int64_t *id,
		    struct nc_err *err);
int app_source_add(struct app *app, const char *name, int64_t *id, struct nc_err *err);
/* app_spend_set stores a source's spend for month YYYY-MM; amount as money_parse reads it. */
int app_spend_set(struct app *app, const char *source, const char *month, const char *amount,
		  struct nc_err *err);
/* app_segment_add_days is app_segment_add with the cadence as numbers: min_days 1-365,
 * max_days from min_days to 365 (errors name "min_days" or "max_days"). */
int app_segment_add_days(struct app *app, const char *name, int min_days, int max_days, int64_t *id,
			 struct nc_err *err);
/* app_spend_set_id is app_spend_set for the source with source_id: NC_ENOTFOUND when none. */
int app_spend_set_id(struct app *app, int64_t source_id, const char *month, const char *amount,
		     struct nc_err *err);
/* app_segment_list / app_source_list give the catalogs, ordered as the store keeps them, for
 * choices and filters (any signed-in user). */
int app_segment_list(struct app *app, struct segment_rec **out, size_t *n, struct nc_err *err);
int app_source_list(struct app *app, struct source_rec **out, size_t *n, struct nc_err *err);

/* ---- deals changed by hand (catalog.c); logged contacts open and win them (contacts.c) ---- */
struct deal_input {
	int64_t client_id;  /* create only */
	const char *amount; /* as money_parse reads it; NULL: unchanged (required to create) */
	const char *stage;  /* offer|pending|won|lost; NULL: unchanged (create: offer) */
};
/* app_deal_create opens a deal with a client the actor may see; a deal created won or lost is
 * closed now. The deal counts for the client's rep (an unassigned lead's: the actor). */
int app_deal_create(struct app *app, const struct deal_input *in, int64_t *id, struct nc_err *err);
/* app_deal_update changes amount and/or stage of deal id; closed_at is set when the stage
 * becomes won or lost and cleared when it goes back to offer or pending. NC_ENOTFOUND for no
 * such deal, NC_EFORBIDDEN when its client belongs to another rep. */
int app_deal_update(struct app *app, int64_t id, const struct deal_input *in, struct nc_err *err);
/* app_deal_get loads a deal whose client the actor may see. */
int app_deal_get(struct app *app, int64_t id, struct deal_rec *out, struct nc_err *err);
struct deal_query {
	int64_t client_id; /* 0: any */
	const char *stage; /* NULL: any */
	int64_t after;	   /* cursor: ids greater than this */
	int limit;	   /* <= 0: 500 */
};
/* app_deal_list gives deals ordered by id; a rep sees those of his clients and unassigned
 * leads. A bad stage names "stage"; client_id must be a client the actor may see. */
int app_deal_list(struct app *app, const struct deal_query *q, struct deal_rec **out, size_t *n,
		  struct nc_err *err);

/* ---- clients (clients.c) ---- */
#define CLIENT_MAX_PHONES 10 /* phones of one client */
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
/* app_client_update changes the fields of in that are not NULL on the client id, in one
 * transaction with an audit row: name, company ("" none), phones (replace the set; the same
 * rules and NC_ECONFLICT as app_client_add), owner (login, "" none: managers only, except that
 * a rep may take an unassigned client for himself), segment and source (names, "" none). A rep
 * changes only his own or unassigned clients (NC_EFORBIDDEN; NC_ENOTFOUND when id does not
 * exist). The search text is folded again. */
int app_client_update(struct app *app, int64_t id, const struct client_input *in,
		      struct nc_err *err);
/* app_client_find_phone finds the client owning a phone typed in any format: 1 found (and
 * visible), 0 none. */
int app_client_find_phone(struct app *app, const char *phone, struct client_rec *out,
			  struct nc_err *err);
/* app_client_search_text folds the client's name, company and phones into the search column. */
const char *app_client_search_text(struct app *app, const struct client_rec *c);
/* A client's card: the client, his earliest planned step, deals and most recent contacts. */
#define CLIENT_CARD_HISTORY 50
struct client_card {
	struct client_rec c;
	bool has_next;
	struct step_rec next;
	struct deal_rec *deals;
	size_t ndeals;
	struct call_rec *calls; /* newest first, at most CLIENT_CARD_HISTORY */
	size_t ncalls;
	struct client_field *fields; /* answers captured by scripts, by field name */
	size_t nfields;
};
/* app_client_card loads the card of a client the actor may see. */
int app_client_card(struct app *app, int64_t id, struct client_card *out, struct nc_err *err);
/* app_client_deals: the client's deals, newest first. */
int app_client_deals(struct app *app, int64_t client_id, struct deal_rec **out, size_t *n,
		     struct nc_err *err);
/* app_client_steps: every next step of a client the actor may see, whatever its status (planned,
 * done, missed, cancelled), latest due first, at most CLIENT_STEPS_HISTORY. */
#define CLIENT_STEPS_HISTORY 100
int app_client_steps(struct app *app, int64_t client_id, struct step_rec **out, size_t *n,
		     struct nc_err *err);
struct client_query {
	const char *category, *owner, *segment, *source, *q;
	int64_t after;
	int limit; /* 1..501, 0: 500 (the API asks one more than it shows) */
};
int app_client_list(struct app *app, const struct client_query *q, struct client_rec **out,
		    size_t *n, struct nc_err *err);
/* The clients a head checks for "future" clients wrongly filed as lost. */
#define LOST_DAYS  30
#define LOST_LIMIT 200
/* app_client_lost gives the clients filed as "never" or refused ("future") in the last
 * LOST_DAYS days (by category_at), newest first, at most LOST_LIMIT, without phones (head).
 * category: NULL or "" both, else "never" or "future" (another word: NC_EINVAL naming
 * "category"). */
int app_client_lost(struct app *app, const char *category, struct client_rec **out, size_t *n,
		    struct nc_err *err);

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
/* app_call_get loads contact id of kind (a call or a meeting): NC_ENOTFOUND when there is no
 * such contact of that kind, NC_EFORBIDDEN when the actor may not see it (a rep sees his own
 * contacts and those of clients he may see). */
int app_call_get(struct app *app, int64_t id, enum contact_kind kind, struct call_rec *out,
		 struct nc_err *err);
struct call_query {
	enum contact_kind kind;
	int64_t client_id;     /* 0: any; else a client the actor may see (NC_EFORBIDDEN) */
	const char *rep;       /* login; NULL: any */
	const char *from, *to; /* RFC 3339 bounds of the start time [from, to); NULL: open */
	int64_t after;	       /* cursor: ids greater than this */
	int limit;	       /* 1..501, 0: 100 (the API asks one more than it shows) */
};
/* app_call_list gives one page of contacts of q->kind, ordered by id, that the actor may see;
 * bad filters are NC_EINVAL naming the query field. */
int app_call_list(struct app *app, const struct call_query *q, struct call_rec **out, size_t *n,
		  struct nc_err *err);
#define UNLOGGED_DAYS 30 /* how far back the day looks for calls nobody logged */
/* app_calls_unlogged gives rep's (login; NULL: the actor; a rep may name only himself) calls
 * from the exchange not logged yet, started in the last UNLOGGED_DAYS days, newest first, at
 * most limit (1..500), each with client_name when its number matched a client the actor may
 * see; a client he may not see (another rep's, for a rep) keeps only his client_id and sets
 * client_hidden. */
int app_calls_unlogged(struct app *app, const char *rep, int limit, struct call_rec **out,
		       size_t *n, struct nc_err *err);
/* A call handed to its client's owner (app_call_handover). */
#define HANDOVER_NOTE_MAX 1000 /* bytes of the note, as a next step's note */
struct handover_out {
	int64_t step_id;   /* the owner's callback step */
	int64_t owner_id;  /* the client's owner */
	const char *owner; /* his login */
	int64_t due_at;	   /* when the step is due */
	/* on NC_ECONFLICT, why (for the pages' words): "logged", "handed", "no_client",
	 * "no_owner", "own_client", "owner_inactive"; NULL otherwise */
	const char *refusal;
};
/* app_call_handover hands call id, taken from the exchange and not logged, to the owner of its
 * client, whom the rep who answered it may not log a contact on: in one transaction the owner
 * gets a callback next step due within the team's callback delay, whose note says who handed
 * it and note (what the client wanted: required, at most HANDOVER_NOTE_MAX bytes of UTF-8),
 * the call is marked logged (it leaves the day's list) and the audit log gets "call.handover";
 * the owner's event stream then gets client.changed ("handover"). Only the rep who answered
 * the call, a head or an admin may (NC_EFORBIDDEN; NC_ENOTFOUND for no such call). A call
 * logged or handed already, without a client, of a client without an owner (the rep logs it
 * himself), of the answering rep's own client or of a deactivated owner is NC_ECONFLICT naming
 * "id" with out->refusal; a bad note NC_EINVAL naming "note". out never holds the client's
 * name. */
int app_call_handover(struct app *app, int64_t id, const char *note, struct handover_out *out,
		      struct nc_err *err);

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
struct step_input {
	int64_t client_id;
	const char *kind;   /* meeting, visit, call, callback, offer, invoice, decision */
	const char *due_at; /* RFC 3339, or WHEN in the rep's zone */
	const char *rep;    /* login; NULL: the actor (a rep may name only himself) */
	const char *note;   /* NULL: none; at most 1000 bytes */
};
/* app_step_create plans a next step outside a contact, for a client the actor may see, under the
 * rules of a next step given with a contact made now: a concrete date and time
 * (next_step_vague, also when due_at is missing), not past (next_step_past), a decision within
 * the decision window (decision_window_exceeded). A refusal stores nothing: NC_ERULE naming the
 * first rule, every refusal in *v. On success *id is the new step, and *v holds the warnings
 * (cadence_exceeded, against the client's segment). v's fields name the input ("due_at"). The
 * step and its audit row are written in one transaction. */
int app_step_create(struct app *app, const struct step_input *in, int64_t *id, struct violations *v,
		    struct nc_err *err);
struct step_query {
	const char *rep;   /* login; NULL: everyone for a manager, the actor for a rep */
	int64_t client_id; /* 0: any visible client */
	int64_t after;	   /* cursor: ids greater than this */
	int limit; /* 1..501 (the API asks one more than it shows, to know if more follow) */
};
/* app_step_page lists planned steps by id for a cursor listing: a rep sees his own, and may
 * name only himself (NC_EFORBIDDEN) and his visible clients (app_check_client). */
int app_step_page(struct app *app, const struct step_query *q, struct step_rec **out, size_t *n,
		  struct nc_err *err);
/* A calendar of one user's planned steps, from STEP_CALENDAR_PAST_DAYS ago to
 * STEP_CALENDAR_AHEAD_DAYS ahead of now, by due time. */
#define STEP_CALENDAR_PAST_DAYS	 30
#define STEP_CALENDAR_AHEAD_DAYS 180
struct step_calendar {
	struct user_rec user; /* whose steps */
	int64_t from, to;
	struct step_rec *steps;
	size_t n;
};
/* app_step_calendar fills out for rep (login; NULL: the actor himself, whatever his role; only
 * managers may name another user). Heads and admins may well have no steps. */
int app_step_calendar(struct app *app, const char *rep, struct step_calendar *out,
		      struct nc_err *err);

/* ---- the day (agenda.c) ---- */
struct agenda_violation {
	int64_t client_id;
	const char *client_name;
	const char *rule;
	int64_t due_at; /* the step concerned, 0 when none */
};
#define AGENDA_MAX_STEPS 200

struct agenda {
	const char *rep;      /* login, NULL for the whole team */
	const char *timezone; /* in which the day is counted */
	int64_t day_start, day_end;
	struct step_rec *overdue, *today; /* the first AGENDA_MAX_STEPS of each, by due time */
	size_t noverdue, ntoday;
	int64_t overdue_total; /* all overdue steps, also those past the cap */
	struct agenda_violation *violations;
	size_t nviolations;
	int64_t calls_today, planned_today, pool_now, pool_future;
};
/* app_agenda builds a rep's (NULL: the actor if a rep, else the team's) day; date "YYYY-MM-DD"
 * or NULL for today in the rep's zone. overdue: planned steps due before now; today: planned
 * steps due from now to the end of that day. */
int app_agenda(struct app *app, const char *rep, const char *date, struct agenda *out,
	       struct nc_err *err);
/* What a rep needs in front of him before he dials a client. */
struct call_brief {
	struct client_rec c; /* with phones */
	bool has_last;
	struct call_rec last;		 /* the newest contact, when has_last */
	const char *goal_max, *goal_min; /* the last outbound call's, else the team's defaults */
};
/* app_call_brief fills out for a client the actor may see (app_check_client errors). */
int app_call_brief(struct app *app, int64_t client_id, struct call_brief *out, struct nc_err *err);
/* One rep's day in the team's day; each counted as app_agenda counts it, in the rep's zone. */
struct team_row {
	struct user_rec user;
	int64_t planned_today; /* planned steps due today */
	int64_t done_today;    /* calls and meetings made today */
	int64_t overdue;       /* planned steps due before now */
	int64_t violations;    /* problems with his clients' plans */
};
struct team_day {
	struct team_row *rows; /* active reps by login */
	size_t n;
	struct team_row total; /* the sums (user empty) */
};
/* app_team_day gives the day of every active rep (head): one query per rep and one for the
 * plans of all clients. */
int app_team_day(struct app *app, struct team_day *out, struct nc_err *err);

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

/* ---- telephony (telephony.c) ---- */
struct ringing_out {
	const char *phone; /* E.164, NULL when the number does not normalise */
	const char *raw;   /* as the PBX gave it */
	int64_t client_id; /* 0 when unknown */
	const char *client_name;
	int64_t rep_id;
};
/* app_telephony_ringing announces (event call.incoming) a call ringing at rep's phone, with
 * the client whose phone matches from (any format) or none (admin: the PBX's account). */
int app_telephony_ringing(struct app *app, const char *call_id, const char *from, const char *rep,
			  struct ringing_out *out, struct nc_err *err);

/* One finished call from the exchange: the AMI correlator's (tel/pbx.h) or a cloud PBX's
 * webhook. */
struct pbx_call_in {
	const char *pbx_id;    /* Linkedid, or the cloud PBX's call id */
	const char *direction; /* "in" or "out" */
	const char *number;    /* the outside number as the exchange gave it, NULL unknown */
	const char *rep;       /* login of the extension that answered (else rang), NULL none */
	bool missed;	       /* inbound and nobody answered */
	int ring_s, talk_s;
	int64_t started_at, answered_at, ended_at; /* answered_at 0: not answered */
	const char *uniqueid;			   /* for the recording.url template */
	const char *recording_url;		   /* given by the exchange; NULL: the template */
};
struct pbx_call_out {
	int64_t call_id, client_id, step_id; /* step_id: the callback planned, 0 none */
	bool existed;			     /* already stored (same pbx_id): nothing was written */
	bool new_lead;			     /* a missed call from an unknown number made a lead */
};
/* app_pbx_call stores a call from the exchange as "to be logged" (logged = 0) for its rep, once
 * per pbx_id, matched to the client owning the number. A missed inbound call plans a callback
 * callback.delay_min after it ended for the client's owner (unassigned for a lead); a number
 * nobody owns becomes an unassigned lead first. An open script run of that rep with that client
 * is linked to the call. The system or an admin only. */
int app_pbx_call(struct app *app, const struct pbx_call_in *in, struct pbx_call_out *out,
		 struct nc_err *err);
/* What click-to-call asks the exchange to do. */
struct originate_out {
	const char *channel;  /* ami.originate_channel with the rep's extension */
	const char *context;  /* ami.originate_context */
	const char *number;   /* the client's number, as the exchange dials it (digits, + kept) */
	const char *callerid; /* "Client name" <number>, shown on the rep's phone */
	int64_t client_id, rep_id;
};
/* app_originate_prepare checks a click-to-call by the actor: he has an extension (NC_EINVAL
 * naming "extension"), the client is visible, phone (NULL: the client's first) is one of the
 * client's phones (NC_EINVAL naming "phone"). */
int app_originate_prepare(struct app *app, int64_t client_id, const char *phone,
			  struct originate_out *out, struct nc_err *err);
/* A cloud PBX's event (POST /api/v1/telephony/webhook, docs/telephony.md). */
struct webhook_event {
	const char *event; /* start, answer, end */
	const char *call_id, *from, *to, *extension, *direction;
	int64_t started_at, answered_at, ended_at; /* 0: not given */
	const char *recording_url;
};
/* app_telephony_webhook checks token against webhook.token (NC_EAUTH; the webhook is off while
 * the setting is empty) and applies the event: start announces call.incoming to the rep of the
 * extension, end stores the call through app_pbx_call; answer is accepted (the pop-up closes).
 * Bad fields are NC_EINVAL naming them. */
int app_telephony_webhook(struct app *app, const char *token, const struct webhook_event *ev,
			  struct pbx_call_out *out, struct nc_err *err);

/* ---- backup (backup.c) ---- */
/* app_backup writes a consistent copy of the database into the new file path while others
 * keep writing (admin; SQLite; an existing file is refused naming "file"). */
int app_backup(struct app *app, const char *path, struct nc_err *err);
/* app_restore brings back a copy made by app_backup over the current database, after checking
 * it (a sound nextcall database, not newer than this nextcall: else nothing changes), then
 * applies the migrations it lacks (*applied of them). Admin; SQLite. */
int app_restore(struct app *app, const char *path, int *applied, struct nc_err *err);

/* ---- demo data (demo.c) ---- */
/* app_demo fills an empty database with the demo team (stretch ceilings): deterministic for a
 * given clock. */
int app_demo(struct app *app, struct nc_err *err);

/* ---- copy-db (copydb.c) ---- */
#define COPYDB_NTABLES 28
/* One table's comparison: rows and an order-independent checksum (the sum of a 64-bit FNV-1a
 * hash of each row's column texts) on the source and on the target. */
struct copydb_row {
	const char *table; /* static */
	int64_t src_rows, dst_rows;
	uint64_t src_sum, dst_sum;
};
struct copydb_report {
	struct copydb_row t[COPYDB_NTABLES]; /* in copy order */
	bool ok;			     /* every table matches: the copy was committed */
};
/* app_copydb copies every table of src (schema current) into dst, which it migrates and which
 * must hold no users and no clients (else NC_ECONFLICT), in one transaction on dst with the
 * same ids (on PostgreSQL each identity sequence then continues past the largest id). It then
 * compares each table on both sides into rep; when one differs nothing is committed and
 * rep->ok is false (the function still returns 0). -1 with err on a database error. */
int app_copydb(struct db *src, struct db *dst, struct copydb_report *rep, struct nc_err *err);

/* ---- call scripts (scripts.c: versions; script_runs.c: runs; script_stats.c) ---- */
/* app_script_check parses and validates YAML text (no database, anyone): the number of errors,
 * every finding in *f; *out is the script when it could be read (*parsed). */
size_t app_script_check(struct app *app, const char *text, size_t len, struct script *out,
			bool *parsed, struct script_findings *f);
/* app_script_add stores text as a new version of the script it names (a new script when the
 * name is new), head or admin. An invalid script stores nothing: NC_EINVAL naming "source",
 * every finding in *f (warnings are kept in *f on success too). */
int app_script_add(struct app *app, const char *text, size_t len, struct script_rec *out,
		   struct script_findings *f, struct nc_err *err);
/* app_script_list gives the scripts (latest version of each, not archived unless all), by
 * name, with their runs counted; any signed-in user (reps choose a script for a call). */
int app_script_list(struct app *app, bool all, struct script_rec **out, size_t *n,
		    struct nc_err *err);
/* app_script_get loads script id at version (0: the latest) with its source; NC_ENOTFOUND
 * naming "id" or "version". app_script_by_name does the same by name. */
int app_script_get(struct app *app, int64_t id, int version, struct script_rec *out,
		   struct nc_err *err);
int app_script_by_name(struct app *app, const char *name, int version, struct script_rec *out,
		       struct nc_err *err);
/* app_script_versions lists a script's versions, newest first (without sources). */
int app_script_versions(struct app *app, int64_t id, struct script_rec **out, size_t *n,
			struct nc_err *err);
/* app_script_archive hides (archived true) or shows a script in lists (head or admin). */
int app_script_archive(struct app *app, int64_t id, bool archived, struct nc_err *err);

/* A run as the panel shows it after every step. */
struct run_view {
	struct script_run_rec run;
	struct script script; /* the version the run uses */
	struct run_state st;
	struct run_effect eff;	    /* of the step just taken (zeroed after start and get) */
	const char *line;	    /* the current node's line, rendered */
	const char *objection_line; /* the open objection's line, rendered; NULL none */
	const char *effect_line;    /* eff.line rendered (price deflection / answer); NULL none */
	const char *price_line;	   /* the line for the latest price question, rendered; NULL none */
	int64_t elapsed_s, hold_s; /* since the start; on hold now (0: not on hold) */
	struct client_rec client;
};
struct run_input {
	int64_t script_id;
	int version;	   /* 0: the latest */
	int64_t client_id; /* a client the actor may see */
	int64_t call_id;   /* 0: none; else a call of that client (a PBX call being taken) */
};
/* app_run_start opens a run for the actor (a rep, or a head taking a call himself). */
int app_run_start(struct app *app, const struct run_input *in, struct run_view *out,
		  struct nc_err *err);
/* app_run_get loads a run: managers, and a rep while he may see its client and the run or the
 * client is his (NC_EFORBIDDEN otherwise: another rep's run, or a client given away since). */
int app_run_get(struct app *app, int64_t id, struct run_view *out, struct nc_err *err);
/* What finishing a run logs through app_contact_log (the same sales rules as any call). */
struct run_finish {
	const char *next_kind, *next_due; /* the next step the goal node captures */
	const char *refused;		  /* GOAL_NONE end: the client's reason ("future") */
	const char *offer;		  /* an amount offered, when one was */
	int talk_s;			  /* -1: the run's elapsed time */
};
/* app_run_step takes one step of run id. seq must equal run.steps (a step sent out of order,
 * or twice, is NC_ECONFLICT naming "seq"); a finished or abandoned run is NC_ECONFLICT naming
 * "run"; another rep's run NC_EFORBIDDEN; a step that does not fit the state NC_EINVAL naming
 * its field. Answers are written into the client card in the same transaction. RUN_FINISH logs
 * the contact with fin (result = the end node's goal): a rules refusal is NC_ERULE with
 * logged->v, and the run stays open at its end node. */
int app_run_step(struct app *app, int64_t id, int seq, const struct run_step *step,
		 const struct run_finish *fin, struct run_view *out, struct contact_output *logged,
		 struct nc_err *err);
/* app_run_abandon ends an open run without a result (the call broke off); who may: as for
 * app_run_get. */
int app_run_abandon(struct app *app, int64_t id, struct nc_err *err);
/* app_runs_open gives the actor's open runs of a client (0: any), newest first. */
int app_runs_open(struct app *app, int64_t client_id, struct script_run_rec **out, size_t *n,
		  struct nc_err *err);
/* app_client_fields gives the captured answers in a visible client's card, by field. */
int app_client_fields(struct app *app, int64_t client_id, struct client_field **out, size_t *n,
		      struct nc_err *err);

/* Analytics of one script version (head or admin). */
struct script_node_stat {
	const char *node, *stage;
	int64_t reached;	    /* runs that entered the node */
	struct proportion max, min; /* of those runs, ended with the maximum / minimum goal */
	int64_t abandoned;	    /* runs abandoned (or open over a day) with this last node */
};
struct script_variant_stat {
	const char *node; /* node id, or "objection:ID" */
	int variant;	  /* index in the node's say list */
	const char *text;
	int weight;
	struct proportion conv; /* runs shown this wording that ended with the maximum goal */
	double prob_best;	/* among the node's wordings */
	double p_value;		/* two-proportion test against the node's best other wording */
};
struct script_stats {
	struct script_rec script; /* the version */
	int64_t runs, finished, abandoned, open;
	struct proportion max, min;
	struct script_node_stat *nodes; /* in the script's node order */
	size_t nnodes;
	struct script_variant_stat *variants; /* nodes with two or more wordings */
	size_t nvariants;
};
int app_script_stats(struct app *app, int64_t script_id, int version, struct script_stats *out,
		     struct nc_err *err);

/* ---- reports (reports.c): the head of sales' numbers (METHOD.md §6), from daily rollups kept
 * in the same transaction as every logged call and deal change ---- */
struct report_filter {
	const char *from, *to;	      /* YYYY-MM-DD in the team's zone, both days included */
	const char *rep;	      /* login; NULL: everyone (a rep: only himself) */
	const char *source, *segment; /* names; NULL: all */
};
struct report_period {
	const char *from, *to; /* YYYY-MM-DD, inclusive */
	int64_t start, end;    /* UTC [start, end) */
	int days;
};
/* The numbers of one period. Shares are 0..1 (0 when the base is 0). */
struct report_numbers {
	int64_t incoming_calls;	   /* inbound, missed included */
	int64_t outgoing_calls;	   /* outbound */
	int64_t missed_calls;	   /* inbound nobody answered */
	int64_t answered_calls;	   /* inbound answered */
	int64_t answered_in_time;  /* inbound answered with ring under ring.limit_s */
	int64_t callbacks_in_time; /* missed calls called back within callback.delay_min */
	int64_t effective_calls;   /* reached the maximum or the minimum goal */
	int64_t max_calls, min_calls;
	int64_t talk_seconds;
	int64_t step_calls; /* contacts that ended with a next step */
	int64_t meetings;   /* meetings logged */
	int64_t offers;	    /* deals opened */
	int64_t offers_amount;
	int64_t pending; /* deals pending (waiting for the client's decision) at the period's end */
	int64_t sold;	 /* deals won */
	int64_t sold_amount;
	double talk_per_call; /* seconds per answered call */
	double average_check; /* sold_amount / sold */
	double answered_in_time_share, callbacks_in_time_share;
	double max_rate, min_rate; /* of calls (incoming answered + outgoing) */
	double call_to_step, step_to_sale, call_to_sale;
};
struct report_source {
	const char *name; /* NULL: clients without a source */
	int64_t calls, sold, sold_amount;
	int64_t spend;			     /* the months' spend, prorated to the period's days */
	double cost_per_call, cost_per_sale; /* -1 when no calls / no sales */
};
/* A point of the calls chart: a day, or a month for periods over REPORT_CHART_DAYS days (the
 * period's days in that month only: the first and last may be partial). */
struct report_day {
	const char *date;  /* YYYY-MM-DD: the day, or the first day of the period in the month */
	const char *last;  /* YYYY-MM-DD: the last day of the period in it (the day itself) */
	const char *month; /* YYYY-MM for a month, NULL for a day */
	int days;	   /* days of the period it covers */
	int64_t incoming, outgoing, missed, effective, sold;
};
#define REPORT_CHART_DAYS 92 /* a quarter: longer periods are charted by month */
struct report_stats {
	struct report_period period, prev; /* prev: the same number of days just before */
	struct report_numbers cur, before;
	struct report_source *sources; /* by calls, descending */
	size_t nsources;
	int64_t spend;
	double cost_per_call, cost_per_sale;
	double median_cycle_days; /* first contact to sale, over sales in the last 365 days */
	double forecast_sold, forecast_amount; /* next period (see docs/reports.md) */
	struct report_day *days; /* every day of the period, or every month (monthly) */
	size_t ndays;
	bool monthly; /* days holds months: the period is over REPORT_CHART_DAYS days */
};
int app_report_stats(struct app *app, const struct report_filter *f, struct report_stats *out,
		     struct nc_err *err);
/* The funnel: the stages of the setting report.funnel (e.g. calls, visit, won), each counted in
 * the period and the previous one, with the share of the stage before. */
struct funnel_stage {
	const char *key, *label;
	int64_t count, before;
	double share, share_before; /* of the previous stage; the first stage 1 */
};
struct report_funnel {
	struct report_period period, prev;
	struct funnel_stage *stages;
	size_t n;
};
int app_report_funnel(struct app *app, const struct report_filter *f, struct report_funnel *out,
		      struct nc_err *err);
/* One rep's row; below: his call-to-sale conversion is under report.allowed_conversion. */
struct report_rep {
	const char *login, *name;
	struct report_numbers n;
	double conversion; /* call_to_sale */
	bool below;
	double qa_score; /* average QA score in the period, -1 none */
};
struct report_reps {
	struct report_period period;
	double allowed_conversion; /* 0..1 */
	struct report_rep *rows;   /* by login */
	size_t n;
	struct report_rep total;
};
int app_report_reps(struct app *app, const struct report_filter *f, struct report_reps *out,
		    struct nc_err *err);
/* What app_report_verify found different from the raw rows, by what is kept from them. */
struct report_diffs {
	int64_t rollups; /* report rollup cells (days, months, cycles, the team's) */
	int64_t pool;	 /* (owner, category) counts of client_pool (migration 0012) */
	int64_t copies;	 /* planned steps' copies of their client's name and phone (0016) */
	int64_t scripts; /* (version, entered, variant) rows of script_counts (0018) */
	int64_t hours;	 /* (rep, hour) counts of rep_call_hours (0020) */
	int64_t total;
};
/* app_report_verify recounts every rollup, the agenda's pool counts, the planned steps' copies,
 * the script runs' counts and the reps' calls per hour from the raw rows and compares (admin or
 * the system); fix
 * rewrites what differs. */
int app_report_verify(struct app *app, bool fix, struct report_diffs *d, struct nc_err *err);
/* app_report_sync rebuilds the rollups inside the caller's transaction when they were never
 * built or were counted with other settings than the team's now (team.timezone, ring.limit_s,
 * callback.delay_min): settings.c calls it when one of those changes, bulk writers at their end. */
int app_report_sync(struct app *app, struct nc_err *err);
/* app_report_stage_valid: key is a stage report.funnel may name (docs/reports.md). */
bool app_report_stage_valid(const char *key);
/* app_call_delete deletes a call or meeting (admin), with an audit row; its steps and deals stay
 * without the link, and the rollups follow. A call a review or a script run refers to is
 * NC_ECONFLICT naming "id". */
int app_call_delete(struct app *app, int64_t id, struct nc_err *err);

/* ---- quality control (qa.c, qa_campaigns.c): QA forms, call reviews, scores over time,
 * mystery shopper campaigns (METHOD.md §6, docs/quality.md). Heads and admins manage them all;
 * a rep may read his own reviews and scores, never another rep's. ---- */
#define QA_MAX_ITEMS	      40
#define QA_ITEM_MAX_BYTES     300
#define QA_CAMPAIGN_MIN_CALLS 5
#define QA_CAMPAIGN_MAX_CALLS 50
#define QA_LEAK_ALARM	      0.30 /* the share of leaking test calls that raises the alarm */

struct qa_item_input {
	const char *text;
	int weight; /* 1..10 */
	const char
	    *auto_src; /* NULL/"" none, or needs_questions, price_late, next_step, contacts */
};
struct qa_form_input {
	const char *name; /* NULL: unchanged (update) */
	const struct qa_item_input *items;
	size_t nitems;
	bool has_items; /* update: items replace the form's (a new version) */
};
/* app_qa_auto_valid: src is one of the auto sources. */
bool app_qa_auto_valid(const char *src);
/* app_qa_form_list / _get: forms (latest versions) and one form at version (0: latest) with its
 * items; any signed-in user may read them (a rep reads his reviews against them). */
int app_qa_form_list(struct app *app, struct qa_form_rec **out, size_t *n, struct nc_err *err);
int app_qa_form_get(struct app *app, int64_t id, int version, struct qa_form_rec *out,
		    struct nc_err *err);
/* app_qa_form_create stores a form with its items as version 1 (head or admin). Errors name
 * "name", "items" or "items[i].text|weight|auto". */
int app_qa_form_create(struct app *app, const struct qa_form_input *in, int64_t *id,
		       struct nc_err *err);
/* app_qa_form_update renames form id and/or stores in->items as its next version; reviews keep
 * the version they were scored on (head or admin). */
int app_qa_form_update(struct app *app, int64_t id, const struct qa_form_input *in,
		       struct nc_err *err);

/* One entry of a script run's path as the review shows it. */
struct qa_path_step {
	int seq;
	const char
	    *action;	   /* start, option, objection, resume, answer, price, back, hold, finish */
	const char *node;  /* the node (or "objection:ID") entered, NULL none */
	const char *stage; /* the node's stage, NULL for objections and unknown nodes */
	const char *detail; /* answers given, "price ask 2 of 3: deflected", ...; NULL none */
	int64_t at;
};
/* What the reviewer sees of a call, and what data answers. */
struct qa_call_view {
	struct call_rec call;
	struct client_rec client; /* id 0 when the call has no client */
	bool has_run;
	struct qa_run_rec run;
	struct qa_path_step *path;
	size_t npath;
	int needs_questions, price_asks, price_answer_on;
	bool price_early; /* a line naming the price was shown before its time */
	bool next_step;	  /* the call planned a next step */
	int64_t phones;	  /* of the client */
};
/* app_qa_call_view loads call id for review (head or admin). */
int app_qa_call_view(struct app *app, int64_t call_id, struct qa_call_view *out,
		     struct nc_err *err);
/* app_qa_auto_answer: what data says of an item with auto source src for the call: 1 yes, 0 no,
 * -1 data cannot tell (no script run for a script item). *why gets the reason shown. */
int app_qa_auto_answer(struct app *app, const struct qa_call_view *v, const char *src,
		       const char **why);
/* app_qa_recent_calls: answered calls to pick for review, newest first (head or admin); rep
 * (login) NULL: everyone. */
int app_qa_recent_calls(struct app *app, const char *rep, int limit, struct qa_call_row **out,
			size_t *n, struct nc_err *err);

struct qa_review_input {
	int64_t call_id, form_id;
	const int64_t *item_ids; /* answers given: item_ids[i] is yes[i] */
	const bool *yes;
	size_t n;
	const char *note; /* NULL none */
};
/* app_qa_review_add scores a call with the form's latest version (head or admin). An item not
 * answered takes the data's answer when data can tell (marked from data), else it is an error
 * naming "answers.ITEM_ID"; an item of another form or version names "answers". A second
 * review of the call with the same form is NC_ECONFLICT (err->ref: the review). */
int app_qa_review_add(struct app *app, const struct qa_review_input *in, int64_t *id,
		      struct nc_err *err);
struct qa_review_view {
	struct qa_review_rec r;
	struct qa_form_rec form;       /* the version it was scored on */
	struct qa_answer_rec *answers; /* in the form's item order */
	size_t nanswers;
	double score; /* 0..1 */
};
/* app_qa_review_get: a review for a manager, or for the rep whose call it is (else
 * NC_EFORBIDDEN). */
int app_qa_review_get(struct app *app, int64_t id, struct qa_review_view *out, struct nc_err *err);
struct qa_review_query {
	const char *rep;       /* login; NULL: everyone (a rep: himself only) */
	const char *from, *to; /* YYYY-MM-DD in the team's zone, inclusive; NULL: open */
	int64_t call_id;       /* 0: any */
	int limit;
};
int app_qa_review_list(struct app *app, const struct qa_review_query *q, struct qa_review_rec **out,
		       size_t *n, struct nc_err *err);

/* Scores over time: weekly averages of review scores (weeks start on Monday in the team's zone). */
struct qa_rep_scores {
	const char *rep, *name;
	double score; /* average over the period, -1 when no review */
	int64_t reviews;
	double *weeks; /* nweeks averages, -1 for a week without review */
	int64_t *week_reviews;
};
struct qa_scores {
	const char *from, *to; /* YYYY-MM-DD, inclusive */
	int64_t start, end;    /* UTC [start, end) */
	const char **weeks;    /* the Monday of each week, YYYY-MM-DD */
	size_t nweeks;
	struct qa_rep_scores *reps; /* by login */
	size_t nreps;
};
/* app_qa_scores: from/to NULL: the 8 weeks up to today; rep NULL: every reviewed rep (a rep:
 * himself only). Bad dates name "from" or "to". */
int app_qa_scores(struct app *app, const char *rep, const char *from, const char *to,
		  struct qa_scores *out, struct nc_err *err);
/* For the reps report (reports.c): each rep's average review score over calls in [start, end),
 * by rep id; reps without reviews are absent. A rep actor gets only himself. */
struct qa_rep_score {
	int64_t rep_id;
	double score; /* 0..1 */
	int64_t reviews;
};
int app_qa_rep_scores(struct app *app, int64_t start, int64_t end, struct qa_rep_score **out,
		      size_t *n, struct nc_err *err);

/* The mystery shopper's form: the six moves of METHOD.md §6 and the two results. */
enum qa_move {
	QA_MOVE_PRODUCT,
	QA_MOVE_PRICE,
	QA_MOVE_EXPENSIVE,
	QA_MOVE_DISCOUNT,
	QA_MOVE_THINK,
	QA_MOVE_BOSS,
	QA_MOVE_NEXT_STEP, /* "no" is a leak */
	QA_MOVE_CONTACTS,
	QA_MOVES,
};
struct qa_move_def {
	const char *key;   /* stable: product, price, expensive, discount, think, boss, next_step,
			      contacts */
	const char *label; /* English, translated on pages */
};
extern const struct qa_move_def qa_moves[QA_MOVES];
struct qa_call_plan {
	const char *rep; /* login */
	const char *at;	 /* WHEN in the team's zone, or RFC 3339 */
};
struct qa_campaign_input {
	const char *name;
	const char *scenario;	   /* the name of a stored script; NULL when text is given */
	const char *scenario_text; /* a script's YAML (the CLI's file); NULL: use scenario */
	const struct qa_call_plan *calls;
	size_t ncalls;
};
/* app_qa_campaign_add plans a campaign (head or admin): at least QA_CAMPAIGN_MIN_CALLS calls,
 * no two in the same hour, to at least two reps (every active rep when the team has fewer).
 * A plan that breaks this is NC_EINVAL naming "calls" or "calls[i].rep|at". */
int app_qa_campaign_add(struct app *app, const struct qa_campaign_input *in, int64_t *id,
			struct nc_err *err);
struct qa_campaign_view {
	struct qa_campaign_rec c;
	struct qa_ccall_rec *calls;
	size_t ncalls;
	signed char (*answers)[QA_MOVES]; /* per call: 1 yes, 0 no, -1 not filled */
	int64_t fails[QA_MOVES];	  /* "no" answers per move over the filled calls */
	double leak_rate;		  /* leaks / filled calls, 0 when none filled */
	bool alarm;			  /* filled calls and leak_rate >= QA_LEAK_ALARM */
	int worst[QA_MOVES];		  /* moves with fails, most failed first */
	size_t nworst;
	const char **leak_reps; /* logins of the reps who leaked, by login */
	size_t nleak_reps;
};
int app_qa_campaign_get(struct app *app, int64_t id, struct qa_campaign_view *out,
			struct nc_err *err);
int app_qa_campaign_list(struct app *app, struct qa_campaign_rec **out, size_t *n,
			 struct nc_err *err);
struct qa_fill_input {
	signed char yes[QA_MOVES]; /* 1 yes, 0 no, -1 not given (an error naming the move) */
	const char *note;
};
/* app_qa_campaign_fill stores the shopper's form for call n (1..) of campaign id, replacing an
 * earlier one (head or admin). Every move must be answered (error naming "answers.MOVE"). */
int app_qa_campaign_fill(struct app *app, int64_t id, int n, const struct qa_fill_input *in,
			 struct nc_err *err);
/* app_qa_alarm: the newest campaign with filled calls into out; *raised when its leak rate is
 * at least QA_LEAK_ALARM (*raised false and out untouched when there is none). Head or admin. */
int app_qa_alarm(struct app *app, struct qa_campaign_view *out, bool *raised, struct nc_err *err);

#endif
