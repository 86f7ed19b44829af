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
/* store_user_login sets *login to user id's login (an arena copy), NULL when there is no such
 * user: what "LEFT JOIN users" gives a row; 0 or -1. */
int store_user_login(struct db *db, struct arena *a, int64_t id, const char **login,
		     struct nc_err *err);
/* store_user_by_extension: the active user whose phone is ext; 1 found, 0 not, -1 error. */
int store_user_by_extension(struct db *db, struct arena *a, const char *ext, struct user_rec *out,
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
/* struct client_bulk: many new clients of one transaction (an import) whose search terms and
 * pool counts are gathered and written together by store_client_bulk_flush, the terms in key
 * order (one pass over the term index instead of a random page a term; a big list is written
 * as it grows). Until then those clients are missing from client_terms and client_pool: flush
 * before the commit, before reading them, or drop the transaction. (q_terms.c) */
struct client_bulk;
struct client_bulk *store_client_bulk_new(void);
void store_client_bulk_free(struct client_bulk *b); /* NULL is fine; unwritten work is lost */
/* store_client_insert_bulk is store_client_insert with the terms and pool count left in b */
int store_client_insert_bulk(struct db *db, struct client_bulk *b, const struct client_rec *c,
			     const char *search, int64_t *id, struct nc_err *err);
/* store_client_bulk_add notes client id's terms and pool count in b (store_client_insert_bulk) */
int store_client_bulk_add(struct db *db, struct client_bulk *b, int64_t id, int64_t owner_id,
			  enum category c, const char *search, struct nc_err *err);
int store_client_bulk_flush(struct db *db, struct client_bulk *b, struct nc_err *err);
/* store_client_lock locks client id's row until the end of the caller's write transaction
 * (PostgreSQL: a row lock; SQLite: the write lock is already the whole database), so that the
 * writes of one client's contacts and steps run one after the other; a missing client is no
 * error (the caller's read says so). Lock it first, then read what will be written back. */
int store_client_lock(struct db *db, int64_t id, struct nc_err *err);
/* store_client_update writes every field of c (by c->id) and its search text. */
int store_client_update(struct db *db, const struct client_rec *c, const char *search,
			struct nc_err *err);
/* store_client_get: 1 found (with phones and names), 0 not found. */
int store_client_get(struct db *db, struct arena *a, int64_t id, struct client_rec *out,
		     struct nc_err *err);
struct step_rec;
/* store_client_get_next is store_client_get with the client's earliest planned step in next
 * (without rep, client_name and client_phone: NULL) and *has_next set when he has one. */
int store_client_get_next(struct db *db, struct arena *a, int64_t id, struct client_rec *out,
			  struct step_rec *next, bool *has_next, struct nc_err *err);
/* store_phone_insert adds a phone to a client (and refreshes his planned steps' copy of his
 * first phone, migration 0016). */
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
	const char *term2;  /* another reading of term matched as well (digits typed in a way the
			       team's country reads two ways), or NULL */
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

/* store_client_terms indexes a client's folded search text: old_search NULL for a new client,
 * else the text his terms were made of, whose terms the new text lacks are dropped;
 * store_client_terms_rebuild indexes every client again. (q_terms.c) */
int store_client_terms(struct db *db, int64_t id, const char *old_search, const char *search,
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
	int64_t client_owner;	 /* that client's owner (0: nobody), read with client_name */
	bool client_hidden;	 /* app_calls_unlogged: another rep's client, name left out */
	const char *phone_e164;	 /* phone in E.164 when it normalises (app_call_get/_list) */
};
int store_call_insert(struct db *db, const struct call_rec *c, int64_t *id, struct nc_err *err);
/* store_call_by_pbx_id: 1 and *id when a call with that PBX id (Linkedid, CDR uniqueid) is
 * stored, 0 when not. */
int store_call_by_pbx_id(struct db *db, const char *pbx_id, int64_t *id, struct nc_err *err);
/* store_call_list: a client's contacts newest first (client_id > 0), or a rep's (rep_id > 0);
 * no list shows answered_at, ended_at or created_at: they are left 0. */
int store_call_list(struct db *db, struct arena *a, int64_t client_id, int64_t rep_id, int limit,
		    struct call_rec **out, size_t *n, struct nc_err *err);
/* store_calls_count counts a rep's (0: everyone's, those without a rep too) contacts started in
 * [from, to): a rep's from rep_call_hours (migration 0020) for the whole hours of the period and
 * from calls for its part hours. */
int store_calls_count(struct db *db, int64_t rep_id, int64_t from, int64_t to, int64_t *n,
		      struct nc_err *err);
/* store_call_hour is the hour since 1970-01-01 00:00 UTC that time t falls in (rounded down). */
int64_t store_call_hour(int64_t t);
/* store_call_hours_verify recounts each rep's calls per hour and compares with rep_call_hours
 * (migration 0020): the store adds each call it inserts (store_rollup_call_new), triggers on
 * calls count a deleted or moved one, a call inserted by hand is not counted; *diffs gets the
 * (rep, hour) rows that differ, and fix refills the table when there are any.
 * store_call_hours_rebuild refills it from the calls (after a load that went without the store:
 * copy-db, nc-gen). */
int store_call_hours_verify(struct db *db, bool fix, int64_t *diffs, struct nc_err *err);
int store_call_hours_rebuild(struct db *db, struct nc_err *err);
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
 * started at or after since, newest first, at most limit, each with its client's name and
 * owner, whoever owns him: the caller decides what the actor may see. */
int store_calls_unlogged(struct db *db, struct arena *a, int64_t rep_id, int64_t since, int limit,
			 struct call_rec **out, size_t *n, struct nc_err *err);
/* store_call_set_handled marks call id logged (handed to its client's owner, q_handover.c)
 * when it is not yet, keeping the report rollups right; *changed 1 when it was marked, 0 when
 * it was logged already. */
int store_call_set_handled(struct db *db, int64_t id, int *changed, struct nc_err *err);
/* store_call_was_handed: 1 when call id (of client_id, answered by rep_id, 0 none) was handed
 * over: its client has a callback step of that call planned by hand for another rep; else 0. */
int store_call_was_handed(struct db *db, int64_t client_id, int64_t id, int64_t rep_id,
			  struct nc_err *err);

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
/* The copies of migration 0016: every planned step carries its client's name and the e164 of
 * his phone of lowest id (client_name, client_phone), which the rep's step lists read instead of
 * joining clients and phones. A step's INSERT writes them and triggers keep them under a rename
 * or a step made planned again; the store refreshes them after a change of phones
 * (store_phone_insert and store_phones_replace call store_step_copies_refresh for the client).
 * store_step_copies_verify counts the planned steps whose copies differ (*diffs) and with fix
 * rewrites them (store_step_copies_rebuild: after a load that wrote steps without them, as
 * nc-gen's, or a hand-made change of phones). (q_steps.c) */
int store_step_copies_refresh(struct db *db, int64_t client_id, struct nc_err *err);
int store_step_copies_rebuild(struct db *db, struct nc_err *err);
int store_step_copies_verify(struct db *db, bool fix, int64_t *diffs, struct nc_err *err);
/* store_steps_reassign gives every planned step of a client to rep_id (his new owner). */
int store_steps_reassign(struct db *db, int64_t client_id, int64_t rep_id, struct nc_err *err);
/* store_steps_close_planned closes every planned step of a client with status (optionally only
 * of kinds call and callback); *n gets how many. */
int store_steps_close_planned(struct db *db, int64_t client_id, enum step_status status,
			      bool calls_only, int64_t now, int64_t *n, struct nc_err *err);
/* store_step_has_planned: 1 when the client has a planned step of kind, 0 when not. */
int store_step_has_planned(struct db *db, int64_t client_id, enum step_kind kind,
			   struct nc_err *err);
/* store_step_list: planned steps of a rep (0: everyone) due in [from, to), by due time, at most
 * limit of them (0: all); store_steps_count counts them all. A rep's steps come without
 * created_at (0), which no reader of these lists shows. */
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
/* store_plans_defer puts off the plan refreshes of the open transaction until
 * store_plans_flush, which refreshes each client once: for a sequence of writes that changes a
 * client's steps and row several times and reads no plan meanwhile (a logged contact). (q_plans.c)
 */
void store_plans_defer(struct db *db);
int store_plans_flush(struct db *db, struct nc_err *err);
/* store_pool_count gives the number of a rep's (0: all) clients in category, from client_pool. */
int store_pool_count(struct db *db, int64_t rep_id, enum category c, int64_t *n,
		     struct nc_err *err);
/* store_client_pool_verify recounts the clients of each (owner, category) and compares with
 * client_pool, which store_pool_count reads: store_client_pool_add counts each client the store
 * inserts (delta +1, owner_id 0 for nobody; migration 0013), the triggers of 0012 the deleted
 * and moved ones. *diffs gets the (owner, category) pairs that differ; fix refills the table.
 * store_client_pool_rebuild refills it from the clients (after a load that went without the
 * store: copy-db, nc-gen, a hand-made INSERT). (q_pool.c) */
int store_client_pool_add(struct db *db, int64_t owner_id, enum category c, int64_t delta,
			  struct nc_err *err);
int store_client_pool_verify(struct db *db, bool fix, int64_t *diffs, struct nc_err *err);
int store_client_pool_rebuild(struct db *db, struct nc_err *err);
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
/* store_token_user: 1 and its user (strings in a) for a live token (its last use is recorded,
 * to the minute: *used gets the time recorded), 0 otherwise. */
int store_token_user(struct db *db, struct arena *a, const char *hash, int64_t now,
		     struct user_rec *user, int64_t *used, struct nc_err *err);
/* store_token_revoke revokes the token with id or hash; *n gets how many were revoked. */
int store_token_revoke(struct db *db, int64_t id, const char *hash, int64_t now, int64_t *n,
		       struct nc_err *err);
int store_login_attempt(struct db *db, int64_t now, const char *login, const char *addr, bool ok,
			struct nc_err *err);
/* store_login_failures counts failed attempts since a time for a login and for an address, and
 * gives the oldest of them (for Retry-After). */
int store_login_failures(struct db *db, const char *login, const char *addr, int64_t since,
			 int64_t *by_login, int64_t *by_addr, int64_t *oldest, struct nc_err *err);

/* ---- call scripts (q_scripts.c) ---- */
/* A script and one of its versions: every upload of a script with the same name is a new
 * version; a run keeps the version it used. */
struct script_rec {
	int64_t id; /* the script */
	const char *name;
	bool outbound;
	bool archived;
	int64_t version_id; /* this version (lists: the latest) */
	int version;	    /* 1, 2, ... */
	const char *source; /* the YAML text (NULL in lists) */
	const char *author; /* login of who uploaded this version, NULL: the system */
	int64_t created_at; /* of this version */
	int nversions;
	int64_t runs; /* runs of every version (lists) */
};
struct script_run_rec {
	int64_t id, script_id, version_id;
	int version;
	const char *script_name;
	int64_t client_id;
	int64_t call_id; /* 0: none (the call logged on finishing, or the PBX call it ran on) */
	int64_t rep_id;
	const char *rep;    /* login */
	const char *status; /* open, finished, abandoned */
	int result;	    /* enum script_goal when finished, -1 otherwise */
	int steps;	    /* steps taken so far (the next step must say seq = steps) */
	int64_t started_at, updated_at, finished_at;
};
/* A captured answer kept in the client card. */
struct client_field {
	const char *field, *value, *type; /* type: text, number, choice, datetime */
	int64_t run_id;			  /* the run that captured it, 0: typed by hand */
	int64_t updated_at;
};
/* One stored step of a run. Row seq 0 is the start (the draw of the start node's wording);
 * the rep's steps follow from 1, so the step the API numbers N is row N + 1. */
struct run_step_rec {
	int seq;
	const char
	    *action;	 /* start, option, objection, resume, answer, price, back, hold, finish */
	const char *arg; /* option index, objection id, answers as JSON; NULL none */
	uint32_t rnd;
	const char *entered; /* node id or "objection:ID" entered by the step; NULL none */
	int variant;	     /* the wording shown there, -1 none */
	int64_t at;
};

/* store_script_by_name / store_script_get load a script with one version (version 0: the
 * latest) and its source: 1 found, 0 not (no such script, or no such version). */
int store_script_by_name(struct db *db, struct arena *a, const char *name, int version,
			 struct script_rec *out, struct nc_err *err);
int store_script_get(struct db *db, struct arena *a, int64_t id, int version,
		     struct script_rec *out, struct nc_err *err);
/* store_script_version_get loads the version with that row id (and its script). 1/0. */
int store_script_version_get(struct db *db, struct arena *a, int64_t version_id,
			     struct script_rec *out, struct nc_err *err);
int store_script_insert(struct db *db, const char *name, bool outbound, int64_t now, int64_t *id,
			struct nc_err *err);
/* store_script_set sets a script's kind and archived flag. */
int store_script_set(struct db *db, int64_t id, bool outbound, bool archived, struct nc_err *err);
/* store_script_version_add stores source as the script's next version (1 + the latest);
 * *version_id and *version get it. A concurrent upload of the same script: NC_ECONFLICT. */
int store_script_version_add(struct db *db, int64_t script_id, const char *source,
			     int64_t author_id, int64_t now, int64_t *version_id, int *version,
			     struct nc_err *err);
/* store_script_list: the scripts (archived too when all) with their latest version, by name,
 * and their runs (of every version, from script_counts). */
int store_script_list(struct db *db, struct arena *a, bool all, struct script_rec **out, size_t *n,
		      struct nc_err *err);
/* store_script_versions: a script's versions, newest first, without sources. */
int store_script_versions(struct db *db, struct arena *a, int64_t id, struct script_rec **out,
			  size_t *n, struct nc_err *err);

/* store_run_insert stores a new run (its id, status, result, steps ignored) and its start row. */
int store_run_insert(struct db *db, const struct script_run_rec *r, const char *node,
		     const struct run_step_rec *start, int64_t *id, struct nc_err *err);
/* store_run_get: 1 and the run (with script name, version and rep login), 0 when none. */
int store_run_get(struct db *db, struct arena *a, int64_t id, struct script_run_rec *out,
		  struct nc_err *err);
/* store_run_steps: the rows of a run by seq (the start first). */
int store_run_steps(struct db *db, struct arena *a, int64_t run_id, struct run_step_rec **out,
		    size_t *n, struct nc_err *err);
/* store_run_step_add stores one step row of a run of version_id, and counts it in script_counts
 * when it entered a node or wording the run had not; a row with that seq already there (a
 * concurrent step) is NC_ECONFLICT naming "seq". */
int store_run_step_add(struct db *db, int64_t run_id, int64_t version_id,
		       const struct run_step_rec *s, struct nc_err *err);
/* store_run_step_row stores the row alone, uncounted (a bulk load, which rebuilds the counts
 * after: store_script_counts_rebuild). */
int store_run_step_row(struct db *db, int64_t run_id, const struct run_step_rec *s,
		       struct nc_err *err);
/* store_run_update writes steps, node, status, result (-1: none), call_id, updated_at and
 * finished_at of r, if its stored steps are still prev_steps (else NC_ECONFLICT naming "seq"). */
int store_run_update(struct db *db, const struct script_run_rec *r, const char *node,
		     int prev_steps, struct nc_err *err);
/* store_runs_open: open runs of a rep (0: any) and a client (0: any), newest first. */
int store_runs_open(struct db *db, struct arena *a, int64_t rep_id, int64_t client_id,
		    struct script_run_rec **out, size_t *n, struct nc_err *err);
/* store_client_field_put sets (inserts or replaces) one captured answer of a client. */
int store_client_field_put(struct db *db, int64_t client_id, const struct client_field *f,
			   struct nc_err *err);
/* store_client_fields: a client's captured answers by field name. */
int store_client_fields(struct db *db, struct arena *a, int64_t client_id,
			struct client_field **out, size_t *n, struct nc_err *err);
/* store_call_log_pbx writes what logging gives (client, rep, direction, talk, purpose, goals,
 * result, outcome, refusal, the script run; logged = 1, missed = 0) onto the exchange's call c->id,
 * which must still be unlogged (else NC_ECONFLICT naming "call_id"). Its times, phone, pbx_id
 * and recording stay the exchange's. */
int store_call_log_pbx(struct db *db, const struct call_rec *c, int64_t script_run_id,
		       struct nc_err *err);
/* store_call_set_script_run records on call id the run it was made with. */
int store_call_set_script_run(struct db *db, int64_t call_id, int64_t run_id, struct nc_err *err);

/* Analytics of one version, aggregated in SQL. stale: an open run not touched since then
 * counts as abandoned. */
struct script_run_totals {
	int64_t runs, finished, abandoned, open, max, min;
};
struct script_entered_stat {
	const char *entered; /* node id or "objection:ID" */
	int variant;	     /* -1 in the per-node query */
	int64_t runs, max, min;
};
struct script_last_node {
	const char *node;
	int64_t abandoned;
};
int store_script_run_totals(struct db *db, int64_t version_id, int64_t stale,
			    struct script_run_totals *out, struct nc_err *err);
/* by_variant false: distinct runs per entered node; true: per entered node and wording. */
int store_script_entered(struct db *db, struct arena *a, int64_t version_id, bool by_variant,
			 struct script_entered_stat **out, size_t *n, struct nc_err *err);
int store_script_abandoned_at(struct db *db, struct arena *a, int64_t version_id, int64_t stale,
			      struct script_last_node **out, size_t *n, struct nc_err *err);
/* The counts these read (script_counts, migration 0018), kept by the store as runs go:
 * store_run_insert and store_run_step_add count a run and what it entered; the caller of
 * store_run_update that ends run r (status now "finished" or "abandoned", node its last) calls
 * store_script_count_end once, in the same transaction. _rebuild recounts them all from the
 * runs and steps; _verify counts the (version, entered, variant) rows that differ from a
 * recount, and with fix rebuilds when one does. */
int store_script_count_end(struct db *db, const struct script_run_rec *r, const char *node,
			   struct nc_err *err);
int store_script_counts_rebuild(struct db *db, struct nc_err *err);
int store_script_counts_verify(struct db *db, bool fix, int64_t *diffs, struct nc_err *err);

/* ---- quality control (q_qa.c): QA forms and their versions, call reviews, mystery shopper
 * campaigns (migration 0007) ---- */
struct qa_item_rec {
	int64_t id; /* unique across versions: a review's answers name it */
	int pos;    /* 1.. in the form */
	const char *text;
	int weight;	      /* 1..10 */
	const char *auto_src; /* needs_questions, price_late, next_step, contacts; NULL: none */
};
/* A form at one version (lists: the latest, without items). */
struct qa_form_rec {
	int64_t id;
	const char *name;
	int64_t version_id;
	int version, nversions;
	const char *author; /* login of who stored this version, NULL: the system */
	int64_t created_at; /* of this version */
	int64_t reviews;    /* of every version */
	struct qa_item_rec *items;
	size_t nitems;
};
struct qa_review_rec {
	int64_t id, call_id, form_id, version_id, rep_id, client_id;
	const char *form_name, *rep, *reviewer, *client_name, *note;
	int version;
	int64_t call_at, created_at;
	int yes_weight, total_weight;
};
struct qa_answer_rec {
	int64_t item_id;
	bool yes, from_data;
};
struct qa_review_filter {
	int64_t rep_id;	  /* 0: any */
	int64_t call_id;  /* 0: any */
	int64_t from, to; /* call_at in [from, to) */
	int limit;	  /* <= 0: 500 */
};
/* A call as the reviewer picks it: newest first, with its review count. */
struct qa_call_row {
	int64_t id, client_id, started_at, run_id;
	const char *rep, *client_name, *outcome, *recording_url;
	int result; /* enum result or -1 */
	int talk_s;
	int64_t reviews;
};
/* The script run a call was made with (calls.script_run_id, else the run whose call_id it is). */
struct qa_run_rec {
	int64_t id;
	const char *status, *script_name, *source;
	int version;
};
/* One (rep, call time, score) for scores over time. */
struct qa_score_row {
	int64_t rep_id;
	const char *rep, *rep_name;
	int64_t call_at;
	int yes_weight, total_weight;
};
struct qa_campaign_rec {
	int64_t id;
	const char *name, *scenario, *scenario_text; /* text NULL in lists */
	const char *author;
	int64_t created_at;
	int64_t planned, filled, leaks;
};
struct qa_ccall_rec {
	int64_t id, campaign_id, rep_id;
	int n;
	const char *rep, *rep_name, *reviewer, *note;
	int64_t planned_at, filled_at; /* filled_at 0: not filled */
	int leak;		       /* 1, 0, -1 not filled */
};
struct qa_move_rec {
	int64_t call_id; /* the campaign call */
	const char *move;
	bool yes;
};

/* store_qa_form_list: every form at its latest version (without items), by name. */
int store_qa_form_list(struct db *db, struct arena *a, struct qa_form_rec **out, size_t *n,
		       struct nc_err *err);
/* store_qa_form_get loads form id at version (0: the latest) with its items by position:
 * 1 found, 0 not (no such form or version). */
int store_qa_form_get(struct db *db, struct arena *a, int64_t id, int version,
		      struct qa_form_rec *out, struct nc_err *err);
/* store_qa_form_by_version loads the form version with that row id, items included. 1/0. */
int store_qa_form_by_version(struct db *db, struct arena *a, int64_t version_id,
			     struct qa_form_rec *out, struct nc_err *err);
/* store_qa_form_insert creates a form without versions; a taken name is NC_ECONFLICT. */
int store_qa_form_insert(struct db *db, const char *name, int64_t now, int64_t *id,
			 struct nc_err *err);
int store_qa_form_rename(struct db *db, int64_t id, const char *name, struct nc_err *err);
/* store_qa_version_add stores items[0..n) (ids ignored; positions 1..n in that order) as the
 * form's next version; *version_id and *version get it. */
int store_qa_version_add(struct db *db, int64_t form_id, int64_t author_id, int64_t now,
			 const struct qa_item_rec *items, size_t n, int64_t *version_id,
			 int *version, struct nc_err *err);
/* store_qa_review_insert stores r (id, names ignored) and its answers; a second review of the
 * call with the same form is NC_ECONFLICT naming "call_id" (err->ref: the existing review). */
int store_qa_review_insert(struct db *db, const struct qa_review_rec *r,
			   const struct qa_answer_rec *ans, size_t n, int64_t reviewer_id,
			   int64_t *id, struct nc_err *err);
/* store_qa_review_get: 1 and the review with its names, 0 when none. */
int store_qa_review_get(struct db *db, struct arena *a, int64_t id, struct qa_review_rec *out,
			struct nc_err *err);
int store_qa_review_answers(struct db *db, struct arena *a, int64_t review_id,
			    struct qa_answer_rec **out, size_t *n, struct nc_err *err);
/* store_qa_review_list: reviews matching f, newest call first. */
int store_qa_review_list(struct db *db, struct arena *a, const struct qa_review_filter *f,
			 struct qa_review_rec **out, size_t *n, struct nc_err *err);
/* store_qa_recent_calls: a rep's (0: everyone's) answered calls, newest first, at most limit. */
int store_qa_recent_calls(struct db *db, struct arena *a, int64_t rep_id, int limit,
			  struct qa_call_row **out, size_t *n, struct nc_err *err);
/* store_qa_call_run: 1 and the script run call_id was made with (source of its version), 0 none. */
int store_qa_call_run(struct db *db, struct arena *a, int64_t call_id, struct qa_run_rec *out,
		      struct nc_err *err);
/* store_qa_call_facts: whether call_id planned a next step (outcome next_step or a step linked
 * to it), and how many phones its client has. */
int store_qa_call_facts(struct db *db, int64_t call_id, bool *next_step, int64_t *phones,
			struct nc_err *err);
/* store_qa_scores: the reviews of a rep (0: everyone) with call_at in [from, to), by rep login
 * then call time. */
int store_qa_scores(struct db *db, struct arena *a, int64_t rep_id, int64_t from, int64_t to,
		    struct qa_score_row **out, size_t *n, struct nc_err *err);
/* store_qa_campaign_insert stores a campaign and its calls (numbered 1.. in order). */
int store_qa_campaign_insert(struct db *db, const struct qa_campaign_rec *c, int64_t author_id,
			     const struct qa_ccall_rec *calls, size_t n, int64_t *id,
			     struct nc_err *err);
/* store_qa_campaign_get: 1 and the campaign with its counts, 0 none. */
int store_qa_campaign_get(struct db *db, struct arena *a, int64_t id, struct qa_campaign_rec *out,
			  struct nc_err *err);
/* store_qa_campaign_list: every campaign with its counts (no text), newest first. */
int store_qa_campaign_list(struct db *db, struct arena *a, struct qa_campaign_rec **out, size_t *n,
			   struct nc_err *err);
/* store_qa_campaign_calls: a campaign's calls by n; store_qa_campaign_moves: their answers. */
int store_qa_campaign_calls(struct db *db, struct arena *a, int64_t campaign_id,
			    struct qa_ccall_rec **out, size_t *n, struct nc_err *err);
int store_qa_campaign_moves(struct db *db, struct arena *a, int64_t campaign_id,
			    struct qa_move_rec **out, size_t *n, struct nc_err *err);
/* store_qa_campaign_fill writes the shopper's form onto campaign call id (replacing an earlier
 * one): its answers, leak, note, who and when. */
int store_qa_campaign_fill(struct db *db, int64_t id, int64_t reviewer_id, int64_t now, bool leak,
			   const char *note, const struct qa_move_rec *moves, size_t n,
			   struct nc_err *err);
/* store_qa_script_source: 1 and the latest version's text of the script called name, 0 none. */
int store_qa_script_source(struct db *db, struct arena *a, const char *name, const char **source,
			   struct nc_err *err);
/* store_qa_campaign_latest: 1 and the id of the newest campaign with a filled call, 0 none. */
int store_qa_campaign_latest(struct db *db, int64_t *id, struct nc_err *err);

/* ---- the exchange (q_pbx.c) ---- */
/* store_run_link_call links call_id to the newest open script run of rep with client that has no
 * call yet (and the call to it); nothing when there is none. */
int store_run_link_call(struct db *db, int64_t client_id, int64_t rep_id, int64_t call_id,
			struct nc_err *err);

/* ---- report rollups (q_reports.c, migration 0006): daily counters per (day, rep, source,
 * segment) kept by the difference of every write that moves them, in its transaction. The
 * write functions of q_contacts.c, q_deals.c, q_steps.c and q_clients.c call the hooks
 * themselves; code that writes rows in bulk calls store_report_rebuild at its end. ---- */
enum report_counter {
	RC_INCOMING,
	RC_OUTGOING,
	RC_MISSED,
	RC_ANSWERED,
	RC_ANSWERED_IN_TIME,
	RC_CALLBACKS_IN_TIME,
	RC_CONNECTED,
	RC_EFFECTIVE,
	RC_MAX,
	RC_MIN,
	RC_TALK_S,
	RC_STEP_CALLS,
	RC_MEETINGS,
	RC_OFFERS,
	RC_OFFERS_AMOUNT,
	RC_SOLD,
	RC_SOLD_AMOUNT,
	RC_STEPS_MEETING,
	RC_STEPS_VISIT,
	RC_STEPS_CALL,
	RC_STEPS_CALLBACK,
	RC_STEPS_OFFER,
	RC_STEPS_INVOICE,
	RC_STEPS_DECISION,
	RC_PENDING,
	RC__COUNT
};
/* report_counter_name gives the rollup column of c ("incoming", "steps_visit", ...). */
const char *report_counter_name(enum report_counter c);
/* What the rollups are counted with (the team's settings when they were built). */
struct report_params {
	const char *timezone;
	int ring_limit_s, callback_delay_s;
	bool built;
};
int store_report_params(struct db *db, struct arena *a, struct report_params *out,
			struct nc_err *err);
/* report_day_of gives the local day number (days since 1970-01-01) of t in zone tz;
 * report_day_bounds gives the UTC [start, end) of a day number; report_day_date writes it as
 * YYYY-MM-DD. */
int64_t report_day_of(const char *tz, int64_t t);
void report_day_bounds(const char *tz, int64_t day, int64_t *start, int64_t *end);
void report_day_date(int64_t day, char out[16]);
int64_t report_day_number(int y, int m, int d);
/* report_day_civil gives the date of a day number. */
void report_day_civil(int64_t day, int *y, int *m, int *d);

/* The parts of a client's raw rows (store_rollup_watch_client, store_rollup_delta_new). */
enum { ROLLUP_CALLS = 1, ROLLUP_DEALS = 2, ROLLUP_STEPS = 4 };
/* The difference a write makes to the rollups, applied instead of a recount (issue 9): the
 * raw rows a write may change are watched before it (their contributions to the daily cells
 * and the sales cycles subtracted as they are then), the rows it creates are added after it,
 * and store_rollup_delta_apply adds every watched row's contribution as it is now, adding the
 * net differences to the cells (report_daily, report_cycles and their months). The cost is
 * that of the rows watched, not of the rows already in a cell. The rows whose contribution
 * depends on the changed ones are the missed calls of the same client a call may call back and
 * the client's won deals (their cycle from his first contact): the watch functions add them. A
 * write must not change rows it did not watch. Lives on the caller's stack, zeroed;
 * store_rollup_delta_apply (or _free) frees it. */
struct rollup_watch;
struct rollup_contrib;
struct rollup_cycle;
struct call_hour;
struct rollup_delta {
	int state; /* 0: params not read; 1: built; 2: not built (nothing to keep) */
	char tz[64];
	int ring_s, delay_s;
	struct rollup_watch *w; /* the rows watched, in the order watched */
	size_t nw, capw;
	size_t *wh;		  /* an open-addressing index of w: 1 + its position, 0 empty */
	size_t caph;		  /* a power of 2 above twice nw, 0 before the first */
	struct rollup_contrib *c; /* signed contributions to daily cells */
	size_t nc, capc;
	struct rollup_cycle *y; /* signed contributions to the sales cycles */
	size_t ny, capy;
	/* the calls inserted, by (rep, hour), for rep_call_hours (migration 0020): kept whether
	 * the rollups are built or not; the first hmerged are sorted and summed by key */
	struct call_hour *h;
	size_t nh, caphours, hmerged;
};
/* store_rollup_watch_call watches call id, the missed calls of its client it may call back and
 * his won deals; also_client (0: none) is a client the write gives the call: the same rows of
 * his at the call's time are watched too. */
int store_rollup_watch_call(struct db *db, struct rollup_delta *d, int64_t id, int64_t also_client,
			    struct nc_err *err);
/* store_rollup_watch_window watches, before a call of client_id at `at` is written, the missed
 * calls of his it may call back and his won deals (0: no client, nothing to watch). */
int store_rollup_watch_window(struct db *db, struct rollup_delta *d, int64_t client_id, int64_t at,
			      struct nc_err *err);
/* store_rollup_watch_deal watches deal id. */
int store_rollup_watch_deal(struct db *db, struct rollup_delta *d, int64_t id, struct nc_err *err);
/* store_rollup_watch_client watches every row of a client's of parts (ROLLUP_*: his calls,
 * deals, next steps), before his source, segment or rows change. */
int store_rollup_watch_client(struct db *db, struct rollup_delta *d, int64_t client_id,
			      unsigned parts, struct nc_err *err);
/* store_rollup_delta_new adds a row the write created (part: ROLLUP_CALLS, _DEALS or _STEPS):
 * it counts after. A new call needs store_rollup_watch_window before it is written. */
int store_rollup_delta_new(struct db *db, struct rollup_delta *d, unsigned part, int64_t id,
			   struct nc_err *err);
/* store_rollup_call_new counts a call the write inserted for rep_id (0: none, nothing to count)
 * at started_at in rep_call_hours: written with the rollups' differences, once per transaction
 * (a CDR import's file: one row per rep and hour). */
void store_rollup_call_new(struct db *db, struct rollup_delta *d, int64_t rep_id,
			   int64_t started_at);
/* store_rollup_delta_apply adds the watched rows' contributions as they now are and writes the
 * net differences, locking their (day, rep) rows of report_locks in key order first; frees d.
 * Inside a write transaction the watch functions and store_rollup_delta_new put everything in one
 * delta of the transaction's instead of d, and db_commit applies it once, just before COMMIT
 * (db_rollback discards it): a transaction of several writes then locks the rollup rows in one
 * order, over the union of its writes (docs/reports.md, "Concurrency"). There it only frees d (and
 * applies d when it was watched before the transaction began). */
int store_rollup_delta_apply(struct db *db, struct rollup_delta *d, struct nc_err *err);
void store_rollup_delta_free(struct rollup_delta *d);
/* store_rollup_flush applies the open transaction's differences now (nothing when there are
 * none): the rollup reads and "report verify" call it first, so that they see the transaction's
 * own writes. */
int store_rollup_flush(struct db *db, struct nc_err *err);
/* store_report_rebuild recounts every rollup with params p (stored as the new params). */
int store_report_rebuild(struct db *db, const struct report_params *p, int64_t now,
			 struct nc_err *err);
/* store_report_months_rebuild sums report_monthly and report_cycles_monthly again from the daily
 * rows, when the rollups are built (migration 0008's hook). */
int store_report_months_rebuild(struct db *db, struct nc_err *err);
/* store_report_verify recounts every day from the raw rows and compares with the rollups cell
 * by cell: *diffs gets the cells that differ; fix rewrites the days that differ. */
int store_report_verify(struct db *db, bool fix, int64_t *diffs, struct nc_err *err);

/* Sums of the rollups over [day_from, day_to] for a rep, source, segment (-1: all; 0: none),
 * grouped by day, rep, source or month (months since 1970-01; a month's sum covers only its days
 * in the period) (key; 0 rows when nothing, a month may have a row of zeros). */
enum report_group { RG_NONE, RG_DAY, RG_REP, RG_SOURCE, RG_MONTH };
struct report_sel {
	int64_t day_from, day_to;
	int64_t rep_id, source_id, segment_id;
};
struct report_sum {
	int64_t key;
	int64_t c[RC__COUNT];
};
int store_report_sums(struct db *db, struct arena *a, const struct report_sel *sel,
		      enum report_group g, struct report_sum **out, size_t *n, struct nc_err *err);
/* store_report_sums_of is store_report_sums for the counters in mask only (bit 1 << RC_*; the
 * others are 0): summing 25 columns over a year of cells is most of a report's time. */
int store_report_sums_of(struct db *db, struct arena *a, const struct report_sel *sel,
			 enum report_group g, uint32_t mask, struct report_sum **out, size_t *n,
			 struct nc_err *err);
/* store_report_pending sums the deals pending now that were created up to sel->day_to (of
 * sel's rep, source and segment; day_from unused), grouped as store_report_sums does (RG_NONE
 * or RG_REP): the key and c[RC_PENDING] of each row. */
int store_report_pending(struct db *db, struct arena *a, const struct report_sel *sel,
			 enum report_group g, struct report_sum **out, size_t *n,
			 struct nc_err *err);
/* store_report_cycles gives the sales cycles (whole days from the client's first contact to the
 * sale) of the deals won in sel's days, as a histogram: days[i] taken by count[i] deals, by
 * days ascending (arena arrays). */
int store_report_cycles(struct db *db, struct arena *a, const struct report_sel *sel,
			int64_t **days, int64_t **count, size_t *n, struct nc_err *err);
/* store_call_delete deletes a call: its steps and deals keep their rows without the link. */
int store_call_delete(struct db *db, int64_t id, struct nc_err *err);

/* ---- audit (q_settings.c) ---- */
int store_audit(struct db *db, int64_t now, const char *actor, const char *action,
		const char *entity, int64_t entity_id, const char *detail, struct nc_err *err);

#endif
