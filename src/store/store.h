/* store.h - the queries of nextcall by subject (users, clients, calls, next steps, catalogs,
 * settings). Records are filled with strings allocated in the caller's arena. Every value is
 * bound as a parameter. Functions return 0 (or 1 found / 0 not found where said) and -1 on a
 * database error with err filled. */
#ifndef NC_STORE_H
#define NC_STORE_H

#include "core/model.h"
#include "store/db.h"
#include "util/arena.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- users (q_users.c) ---- */
struct user_rec {
	int64_t id;
	const char *login, *name;
	enum role role;
	const char *timezone, *locale, *extension; /* extension NULL when none */
	const char *password_hash;		   /* NULL when none */
	bool active;
	int64_t created_at;
};

int store_user_insert(struct db *db, const struct user_rec *u, int64_t *id, struct nc_err *err);
/* store_user_update writes every field of u (by u->id). */
int store_user_update(struct db *db, const struct user_rec *u, struct nc_err *err);
/* store_user_by_login / _by_id: 1 found, 0 not found, -1 error. */
int store_user_by_login(struct db *db, struct arena *a, const char *login, struct user_rec *out,
			struct nc_err *err);
int store_user_by_id(struct db *db, struct arena *a, int64_t id, struct user_rec *out,
		     struct nc_err *err);
/* store_user_list fills *out with every user ordered by login. */
int store_user_list(struct db *db, struct arena *a, struct user_rec **out, size_t *n,
		    struct nc_err *err);

/* ---- settings (q_settings.c): stored overrides of the defaults in app/settings.c ---- */
/* store_setting_get: 1 and *value when stored, 0 when not. */
int store_setting_get(struct db *db, struct arena *a, const char *key, const char **value,
		      struct nc_err *err);
/* store_settings_all gives every stored setting (key order). */
struct setting_kv {
	const char *key, *value;
};
int store_settings_all(struct db *db, struct arena *a, struct setting_kv **out, size_t *n,
		       struct nc_err *err);
int store_setting_put(struct db *db, const char *key, const char *value, int64_t now,
		      struct nc_err *err);

/* ---- catalogs (q_catalog.c): segments, lead sources, monthly ad spend ---- */
struct segment_rec {
	int64_t id;
	const char *name;
	int min_days, max_days;
};
struct source_rec {
	int64_t id;
	const char *name;
};
int store_segment_insert(struct db *db, const struct segment_rec *s, int64_t *id,
			 struct nc_err *err);
int store_segment_by_name(struct db *db, struct arena *a, const char *name, struct segment_rec *out,
			  struct nc_err *err);
int store_segment_list(struct db *db, struct arena *a, struct segment_rec **out, size_t *n,
		       struct nc_err *err);
int store_source_insert(struct db *db, const char *name, int64_t *id, struct nc_err *err);
int store_source_by_name(struct db *db, struct arena *a, const char *name, struct source_rec *out,
			 struct nc_err *err);
int store_source_list(struct db *db, struct arena *a, struct source_rec **out, size_t *n,
		      struct nc_err *err);
/* store_spend_set stores the amount (minor units) a source cost in month "YYYY-MM". */
int store_spend_set(struct db *db, int64_t source_id, const char *month, int64_t amount,
		    struct nc_err *err);
/* store_source_by_id: 1 found, 0 not found. */
int store_source_by_id(struct db *db, struct arena *a, int64_t id, struct source_rec *out,
		       struct nc_err *err);
struct spend_rec {
	int64_t source_id;
	const char *month; /* "YYYY-MM" */
	int64_t amount;	   /* minor units */
};
/* store_spend_list fills *out with the spend rows of one source (0: of every source), ordered
 * by source id, then month. */
int store_spend_list(struct db *db, struct arena *a, int64_t source_id, struct spend_rec **out,
		     size_t *n, struct nc_err *err);

/* ---- clients and phones (q_clients.c) ---- */
struct client_rec {
	int64_t id;
	const char *name, *company;
	enum category category;
	const char *refusal_reason, *never_reason, *never_note;
	int64_t owner_id, segment_id, source_id; /* 0 when none */
	const char *owner, *segment, *source;	 /* names, NULL when none */
	int64_t last_contact_at, category_at, created_at, updated_at;
	const char **phones; /* E.164, in the order added */
	size_t nphones;
};

/* store_client_insert inserts c (without phones) with its folded search text. */
int store_client_insert(struct db *db, const struct client_rec *c, const char *search, int64_t *id,
			struct nc_err *err);
/* store_client_update writes every field of c (by c->id) and its search text. */
int store_client_update(struct db *db, const struct client_rec *c, const char *search,
			struct nc_err *err);
/* store_client_get: 1 found (with phones and names), 0 not found. */
int store_client_get(struct db *db, struct arena *a, int64_t id, struct client_rec *out,
		     struct nc_err *err);
int store_phone_insert(struct db *db, int64_t client_id, const char *e164, const char *raw,
		       struct nc_err *err);
/* store_phone_owner: 1 and *client_id when e164 belongs to a client, 0 otherwise. */
int store_phone_owner(struct db *db, const char *e164, int64_t *client_id, struct nc_err *err);
/* store_phones_replace makes e164[0..n) (typed as raw[i]; raw may be NULL) the client's
 * phones, in that order, inside the caller's transaction. A phone held by another client fails
 * with NC_ECONFLICT (err->ref names him). */
int store_phones_replace(struct db *db, int64_t client_id, const char *const *e164,
			 const char *const *raw, size_t n, struct nc_err *err);

struct client_filter {
	int category;	    /* enum category or -1 */
	int64_t owner_id;   /* 0: any; -1: unassigned only */
	int64_t segment_id; /* 0: any */
	int64_t source_id;  /* 0: any */
	const char *term;   /* a folded word or digits matched as a prefix of an indexed term
			       (a client's words, his phones' digit suffixes); NULL for none */
	const char *q, *q2; /* further folded words the search text must contain; NULL: none */
	int64_t after;	    /* cursor: ids greater than this */
	int limit;	    /* at most this many (<= 0: 500) */
	int64_t visible_to; /* a rep's id: only his clients and unassigned ones; 0 all */
};
int store_client_list(struct db *db, struct arena *a, const struct client_filter *f,
		      struct client_rec **out, size_t *n, struct nc_err *err);
/* store_client_lost: clients whose category is c1 or c2 (never, future) since category_at >=
 * since, newest category change first (then id), at most limit; without phones. */
int store_client_lost(struct db *db, struct arena *a, enum category c1, enum category c2,
		      int64_t since, int limit, struct client_rec **out, size_t *n,
		      struct nc_err *err);

/* store_client_terms indexes a client's folded search text (replace: drop his old terms first);
 * store_client_terms_rebuild indexes every client again. (q_terms.c) */
int store_client_terms(struct db *db, int64_t id, const char *search, bool replace,
		       struct nc_err *err);
int store_client_terms_rebuild(struct db *db, struct nc_err *err);

/* ---- calls and meetings (q_contacts.c) ---- */
struct call_rec {
	int64_t id, client_id, rep_id;
	enum contact_kind kind;
	int direction; /* enum direction or -1 */
	int64_t started_at, answered_at, ended_at;
	int ring_s, talk_s;
	bool missed;
	const char *purpose, *goal_max, *goal_min;
	int result; /* enum result or -1 */
	const char *outcome, *refusal_reason, *phone, *pbx_id, *recording_url;
	bool logged;
	const char *rep; /* login, when read */
	int64_t created_at;
	const char *client_name; /* when read by store_calls_unlogged; NULL otherwise */
};
int store_call_insert(struct db *db, const struct call_rec *c, int64_t *id, struct nc_err *err);
/* store_call_by_pbx_id: 1 and *id when a call with that PBX id (Linkedid, CDR uniqueid) is
 * stored, 0 when not. */
int store_call_by_pbx_id(struct db *db, const char *pbx_id, int64_t *id, struct nc_err *err);
/* store_call_list: a client's contacts newest first (client_id > 0), or a rep's (rep_id > 0). */
int store_call_list(struct db *db, struct arena *a, int64_t client_id, int64_t rep_id, int limit,
		    struct call_rec **out, size_t *n, struct nc_err *err);
/* store_calls_count counts a rep's (0: everyone's) contacts started in [from, to). */
int store_calls_count(struct db *db, int64_t rep_id, int64_t from, int64_t to, int64_t *n,
		      struct nc_err *err);
/* store_call_get: 1 and the contact (with the rep's login) when id exists, 0 when not. */
int store_call_get(struct db *db, struct arena *a, int64_t id, struct call_rec *out,
		   struct nc_err *err);
struct call_filter {
	enum contact_kind kind;
	int64_t client_id, rep_id; /* 0: any */
	int64_t from, to;	   /* started in [from, to); INT64_MIN/INT64_MAX when open */
	int64_t after;		   /* cursor: ids greater than this */
	int limit;		   /* at most this many (<= 0: 100) */
	int64_t visible_to;	   /* a rep's id: only his contacts and those of clients he owns
				    * or nobody owns; 0 all */
};
/* store_call_page: one page of contacts of f->kind matching f, ordered by id. */
int store_call_page(struct db *db, struct arena *a, const struct call_filter *f,
		    struct call_rec **out, size_t *n, struct nc_err *err);
/* store_calls_unlogged: a rep's calls from the exchange not yet logged (calls.logged = 0),
 * started at or after since, newest first, at most limit, each with its client's name. */
int store_calls_unlogged(struct db *db, struct arena *a, int64_t rep_id, int64_t since, int limit,
			 struct call_rec **out, size_t *n, struct nc_err *err);

/* ---- next steps (q_steps.c) ---- */
struct step_rec {
	int64_t id, client_id, call_id, rep_id;
	enum step_kind kind;
	int64_t due_at;
	enum step_status status;
	bool auto_planned;
	const char *note, *cancel_reason;
	int64_t created_at, closed_at;
	const char *rep, *client_name, *client_phone; /* when read */
};
int store_step_insert(struct db *db, const struct step_rec *s, int64_t *id, struct nc_err *err);
int store_step_get(struct db *db, struct arena *a, int64_t id, struct step_rec *out,
		   struct nc_err *err);
/* store_step_close sets status (done, missed, cancelled) and closed_at; reason may be NULL. */
int store_step_close(struct db *db, int64_t id, enum step_status status, const char *reason,
		     int64_t now, struct nc_err *err);
int store_step_move(struct db *db, int64_t id, int64_t due_at, struct nc_err *err);
/* store_steps_close_planned closes every planned step of a client with status (optionally only
 * of kinds call and callback); *n gets how many. */
int store_steps_close_planned(struct db *db, int64_t client_id, enum step_status status,
			      bool calls_only, int64_t now, int64_t *n, struct nc_err *err);
/* store_step_next: the client's earliest planned step; 1 found, 0 none. */
int store_step_next(struct db *db, struct arena *a, int64_t client_id, struct step_rec *out,
		    struct nc_err *err);
/* store_step_list: planned steps of a rep (0: everyone) due in [from, to), by due time, at most
 * limit of them (0: all); store_steps_count counts them all. */
int store_step_list(struct db *db, struct arena *a, int64_t rep_id, int64_t from, int64_t to,
		    int limit, struct step_rec **out, size_t *n, struct nc_err *err);
int store_steps_count(struct db *db, int64_t rep_id, int64_t from, int64_t to, int64_t *n,
		      struct nc_err *err);
struct step_filter {
	int64_t rep_id;	   /* 0: any rep */
	int64_t client_id; /* 0: any client */
	int64_t after;	   /* cursor: ids greater than this */
	int limit;	   /* at most this many (<= 0: 500) */
};
/* store_step_page: planned steps matching f, by id (a page of a cursor listing). */
int store_step_page(struct db *db, struct arena *a, const struct step_filter *f,
		    struct step_rec **out, size_t *n, struct nc_err *err);
/* store_step_history: every step of a client whatever its status, latest due first, at most
 * limit (<= 0: 100). */
int store_step_history(struct db *db, struct arena *a, int64_t client_id, int limit,
		       struct step_rec **out, size_t *n, struct nc_err *err);

/* ---- plans for the agenda (q_steps.c) ---- */
struct plan_row {
	int64_t client_id;
	const char *client_name;
	enum category category;
	int64_t last_contact_at;
	int cadence_max_days;
	bool has_step;
	enum step_kind step_kind;
	int64_t step_due;
	int64_t owner_id; /* 0 when unassigned */
};
/* store_plan_rows: the clients of a rep (0: every client) whose plan needs fixing at now (their
 * plan_alert_at has come), with the earliest planned step and segment cadence, by client id. */
int store_plan_rows(struct db *db, struct arena *a, int64_t rep_id, int64_t now,
		    struct plan_row **out, size_t *n, struct nc_err *err);
/* store_client_plan_refresh recomputes the plan summary of a client (migration 0004) from his
 * steps, category, segment and last contact; store_client_plans_rebuild does it for every
 * client. The store calls them itself whenever it changes those. (q_plans.c) */
int store_client_plan_refresh(struct db *db, int64_t client_id, struct nc_err *err);
int store_client_plans_rebuild(struct db *db, struct nc_err *err);
/* store_pool_count counts a rep's (0: all) clients in category. */
int store_pool_count(struct db *db, int64_t rep_id, enum category c, int64_t *n,
		     struct nc_err *err);
/* A rep's day in numbers, for the team's day. */
struct rep_day_counts {
	int64_t planned; /* planned steps due in [from, to) */
	int64_t overdue; /* planned steps due before now */
	int64_t calls;	 /* contacts (calls and meetings) started in [from, to) */
};
/* store_rep_day_counts fills out for rep_id (one statement, by the indexes). */
int store_rep_day_counts(struct db *db, int64_t rep_id, int64_t from, int64_t to, int64_t now,
			 struct rep_day_counts *out, struct nc_err *err);

/* ---- deals (q_contacts.c) ---- */
struct deal_rec {
	int64_t id, client_id, call_id, rep_id, amount;
	enum deal_stage stage;
	int64_t created_at, updated_at, closed_at;
};
int store_deal_insert(struct db *db, const struct deal_rec *d, int64_t *id, struct nc_err *err);
int store_deal_list(struct db *db, struct arena *a, int64_t client_id, struct deal_rec **out,
		    size_t *n, struct nc_err *err);
/* store_deals_close_open marks a client's open deals (offer, pending) as stage, e.g. won. */
int store_deals_close_open(struct db *db, int64_t client_id, enum deal_stage stage, int64_t now,
			   struct nc_err *err);
/* store_deal_get: 1 found, 0 not found. */
int store_deal_get(struct db *db, struct arena *a, int64_t id, struct deal_rec *out,
		   struct nc_err *err);
/* store_deal_update writes amount, stage, updated_at and closed_at of d (by d->id). */
int store_deal_update(struct db *db, const struct deal_rec *d, struct nc_err *err);
struct deal_filter {
	int64_t client_id;  /* 0: any */
	int stage;	    /* enum deal_stage or -1 */
	int64_t after;	    /* cursor: ids greater than this */
	int limit;	    /* at most this many (<= 0: 500) */
	int64_t visible_to; /* a rep's id: deals of his clients and unassigned ones; 0 all */
};
/* store_deal_query fills *out with the deals matching f, ordered by id. */
int store_deal_query(struct db *db, struct arena *a, const struct deal_filter *f,
		     struct deal_rec **out, size_t *n, struct nc_err *err);

/* store_deal_win marks the client's newest open deal (offer or pending) won with amount; *id gets
 * its id, or 0 when the client had no open deal. (q_deals.c) */
int store_deal_win(struct db *db, int64_t client_id, int64_t amount, int64_t now, int64_t *id,
		   struct nc_err *err);
/* store_deals_set_stage moves a client's deals in stage from to stage to. (q_deals.c) */
int store_deals_set_stage(struct db *db, int64_t client_id, enum deal_stage from,
			  enum deal_stage to, int64_t now, struct nc_err *err);

/* ---- sessions, tokens, login attempts (q_auth.c) ---- */
struct session_rec {
	const char *id_hash; /* hex hash of the cookie's secret */
	int64_t user_id;
	const char *csrf;
	int64_t created_at, seen_at, expires_at;
	const char *addr, *user_agent;
};
int store_session_insert(struct db *db, const struct session_rec *s, struct nc_err *err);
/* store_session_get: 1 found, 0 not. */
int store_session_get(struct db *db, struct arena *a, const char *id_hash, struct session_rec *out,
		      struct nc_err *err);
int store_session_touch(struct db *db, const char *id_hash, int64_t now, int64_t expires_at,
			struct nc_err *err);
int store_session_delete(struct db *db, const char *id_hash, struct nc_err *err);
int store_sessions_expire(struct db *db, int64_t now, struct nc_err *err);
/* store_sessions_end_user ends every session of a user but the one whose hash is keep_hash. */
int store_sessions_end_user(struct db *db, int64_t user_id, const char *keep_hash,
			    struct nc_err *err);
int store_token_insert(struct db *db, int64_t user_id, const char *name, const char *hash,
		       int64_t now, int64_t *id, struct nc_err *err);
/* store_token_user: 1 and *user_id for a live token (its last use is recorded), 0 otherwise. */
int store_token_user(struct db *db, const char *hash, int64_t now, int64_t *user_id,
		     struct nc_err *err);
/* store_token_revoke revokes the token with id or hash; *n gets how many were revoked. */
int store_token_revoke(struct db *db, int64_t id, const char *hash, int64_t now, int64_t *n,
		       struct nc_err *err);
int store_login_attempt(struct db *db, int64_t now, const char *login, const char *addr, bool ok,
			struct nc_err *err);
/* store_login_failures counts failed attempts since a time for a login and for an address, and
 * gives the oldest of them (for Retry-After). */
int store_login_failures(struct db *db, const char *login, const char *addr, int64_t since,
			 int64_t *by_login, int64_t *by_addr, int64_t *oldest, struct nc_err *err);

/* ---- audit (q_settings.c) ---- */
int store_audit(struct db *db, int64_t now, const char *actor, const char *action,
		const char *entity, int64_t entity_id, const char *detail, struct nc_err *err);

#endif
