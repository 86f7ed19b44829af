/* model.h - the domain's vocabulary: roles, client categories, next-step kinds, deal stages and
 * the report of one contact (a call or a meeting). Pure data, no I/O. */
#ifndef NC_MODEL_H
#define NC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum role { ROLE_REP, ROLE_HEAD, ROLE_ADMIN, ROLE__COUNT };
enum category { CAT_NOW, CAT_FUTURE, CAT_NEVER, CAT__COUNT };
enum step_kind {
	STEP_MEETING,
	STEP_VISIT,
	STEP_CALL,
	STEP_CALLBACK,
	STEP_OFFER,
	STEP_INVOICE,
	STEP_DECISION,
	STEP__COUNT
};
enum step_status { STEP_PLANNED, STEP_DONE, STEP_MISSED, STEP_CANCELLED, STEP_STATUS__COUNT };
enum deal_stage { DEAL_OFFER, DEAL_PENDING, DEAL_WON, DEAL_LOST, DEAL__COUNT };
enum contact_kind { CONTACT_CALL, CONTACT_MEETING, CONTACT__COUNT };
enum direction { DIR_IN, DIR_OUT, DIR__COUNT };
enum result { RESULT_MAX, RESULT_MIN, RESULT_NONE, RESULT__COUNT };
/* The only objective reasons to file a client as "never": he physically no longer exists. */
enum never_reason { NEVER_CLOSED, NEVER_GONE, NEVER__COUNT };

/* *_name give the stable lowercase word stored in the database and used in the API and CLI
 * (a static string; NULL for a value out of range); *_parse give the enum value for a word,
 * ignoring ASCII case, or -1 when the word is NULL or not one of them. */
const char *role_name(enum role r);
int role_parse(const char *s);
const char *category_name(enum category c);
int category_parse(const char *s);
const char *step_kind_name(enum step_kind k);
int step_kind_parse(const char *s);
/* step_kind_of_bytes: the kind whose name is exactly the n bytes at s (as stored: lower case, no
 * NUL needed after them), or -1. */
int step_kind_of_bytes(const char *s, size_t n);
const char *step_status_name(enum step_status s);
int step_status_parse(const char *s);
const char *deal_stage_name(enum deal_stage s);
int deal_stage_parse(const char *s);
const char *contact_kind_name(enum contact_kind k);
int contact_kind_parse(const char *s);
const char *direction_name(enum direction d);
int direction_parse(const char *s);
const char *result_name(enum result r);
int result_parse(const char *s);
const char *never_reason_name(enum never_reason r);
int never_reason_parse(const char *s);

/* Money is kept in minor units (kopecks, kuruş, cents) as a 64-bit integer. money_parse reads
 * "15000", "15000.5", "15 000,50" (a space, U+00A0 or U+202F as thousands separator, then in
 * groups of three; a dot or comma as decimal mark, at most two decimals) into *minor; -1 on
 * anything else (a sign, surrounding spaces, "1,000.50") or an absurd amount (more than 10^13
 * whole units), leaving *minor untouched. */
int money_parse(const char *s, int64_t *minor);
/* money_format writes minor units as "15000.50" (or "15000" when whole, "-15000.50" when
 * negative) into out. */
void money_format(int64_t minor, char out[32]);

/* One contact as the rep reports it: a call (in or out, reached or missed) or a meeting, with
 * its purpose, goals and outcome. Strings are borrowed; NULL means "not given". */
struct contact {
	enum contact_kind kind;
	enum direction direction; /* calls only; meetings are DIR_OUT */
	bool missed;		  /* the call did not reach the client */
	int64_t at;		  /* when it started, UTC */
	const char *purpose;
	const char *goal_max;
	const char *goal_min;
	int result; /* enum result, or -1 when not given */
	int talk_s, ring_s;

	bool has_next; /* a next step was given */
	enum step_kind next_kind;
	int64_t next_due;   /* UTC */
	bool next_has_time; /* false: only a date was given (vague) */

	const char *refused;	  /* the refusal reason; NULL when the client did not refuse */
	const char *never_reason; /* the reason word as given ("closed", "gone", anything else) */
	const char *never_note;

	bool has_offer;
	int64_t offer; /* minor units */
	bool has_won;
	int64_t won; /* minor units */
};

#endif
