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
/* app_session_check: 1 and the user for a live session, 0 for none or an expired one. */
/* app_password_verify checks the signed-in user's own password (before he changes it), with the
 * same throttling and attempt log as signing in: 1 right, 0 wrong, -1 error (NC_EBUSY when
 * throttled). */
int app_password_verify(struct app *app, const char *password, const char *addr,
			struct nc_err *err);
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
};
/* app_client_card loads the card of a client the actor may see. */
int app_client_card(struct app *app, int64_t id, struct client_card *out, struct nc_err *err);
/* app_client_next: the client's earliest planned step (1), or none (0). The caller has checked
 * the client is visible (app_client_get). */
int app_client_next(struct app *app, int64_t client_id, struct step_rec *out, struct nc_err *err);
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
 * most limit (1..500), each with client_name when its number matched a client. */
int app_calls_unlogged(struct app *app, const char *rep, int limit, struct call_rec **out,
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

/* ---- demo data (demo.c) ---- */
/* app_demo fills an empty database with the demo team (stretch ceilings): deterministic for a
 * given clock. */
int app_demo(struct app *app, struct nc_err *err);

/* ---- copy-db (copydb.c) ---- */
#define COPYDB_NTABLES 15
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

#endif
