/* rules.h - the sales method as pure functions: what a contact report must contain, which
 * category a client moves to, what is planned automatically after a missed call, and what is
 * wrong with a client's plan. No I/O: every input comes in as a value. */
#ifndef NC_RULES_H
#define NC_RULES_H

#include "core/model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A refusal or a warning: a stable snake_case rule id, the input field it concerns (CLI option
 * or API field name without prefix: "purpose", "goal_max", "goal_min", "next", "next.due_at",
 * "refused", "never.reason", "never.note"), and an English message (lowercase, no period). */
struct violation {
	const char *rule;
	const char *field;
	char msg[240];
	bool warning; /* accepted but reported (cadence_exceeded) */
};

#define RULES_MAX_VIOLATIONS 16

struct violations {
	struct violation v[RULES_MAX_VIOLATIONS];
	size_t n;	/* all entries */
	size_t nerrors; /* entries that refuse the input (warning == false) */
};

/* What the rules need to know besides the contact itself. */
struct rule_ctx {
	int64_t now;		     /* the clock, UTC */
	const char *const *courtesy; /* courtesy/keep-in-touch phrases as the head wrote them */
	size_t ncourtesy;
	int cadence_max_days; /* the client's segment allows at most this gap; 0: no limit */
	int decision_hours;   /* the decision window, 72 by default; 0 means 72 */
};

/* rules_check_contact checks one contact report and appends to out (which the caller zeroes)
 * every refusal and warning, in this order of ids:
 *   purpose_missing      outbound call (reached or missed) or meeting without a purpose (blank
 *                        counts as none); inbound calls need none
 *   courtesy_call        outbound call or meeting whose purpose contains a courtesy phrase of
 *                        ctx (see rules_is_courtesy)
 *   goal_missing         outbound call or meeting with a blank maximum or minimum goal: one
 *                        entry per missing goal, field "goal_max" first, then "goal_min"
 *   refusal_reason_missing  refused given but blank
 *   never_reason_invalid    never given (never_reason or never_note not NULL) with a reason
 *                        other than closed/gone (field "never.reason"), or with a blank note
 *                        (field "never.note"): one entry each
 *   next_step_missing    a contact that reached the client ended with no next step, no sale and
 *                        no "never"; or a refusal without a next planned contact (not "never")
 *   next_step_vague      the next step has a date but no time
 *   next_step_past       the next step is due before ctx->now (a date without a time: the whole
 *                        day is over)
 *   decision_window_exceeded  a "decision" step more than decision_hours after the contact
 *   cadence_exceeded (warning)  next step later than cadence_max_days after the contact
 * The contact time is c->at, or ctx->now when c->at is 0. A missed call needs no outcome.
 * Nothing is allocated that outlives the call; out's messages are its own. Returns
 * out->nerrors. */
size_t rules_check_contact(const struct contact *c, const struct rule_ctx *ctx,
			   struct violations *out);

/* rules_is_courtesy says whether purpose contains one of the phrases as whole words, comparing
 * folded text: case ignored (Cyrillic and Turkish dotted/dotless i included), punctuation and
 * extra spaces ignored. An empty phrase matches nothing. */
bool rules_is_courtesy(const char *purpose, const char *const *phrases, size_t n);

/* rules_category_after gives the client's category after the contact: never when filed so,
 * future when refused, now when the contact reached the maximum goal, made an offer or a sale;
 * otherwise the current one. */
enum category rules_category_after(const struct contact *c, enum category current);

/* An automatic next step planned after a missed call. */
struct auto_step {
	enum step_kind kind;
	int64_t due;
};

/* rules_auto_step fills step for a missed call: inbound gives a callback due callback_min minutes
 * after the call, outbound a retry call due retry_days days after it (negative counts as 0).
 * Returns false (nothing to plan, step untouched) for a contact that is not a missed call. */
bool rules_auto_step(const struct contact *c, int callback_min, int retry_days,
		     struct auto_step *step);

/* What the agenda knows of one client to find what is wrong with his plan. */
struct client_plan {
	enum category category;
	bool has_step;		  /* a planned next step exists */
	enum step_kind step_kind; /* the earliest planned step */
	int64_t step_due;
	int64_t last_contact; /* 0 when never contacted */
	int cadence_max_days; /* 0: no limit */
};

enum plan_problem {
	PLAN_NO_NEXT_STEP = 1 << 0,	/* now/future client without a planned step */
	PLAN_CADENCE_EXCEEDED = 1 << 1, /* next contact later than the cadence allows after the
					   last one, or no step and the cadence already passed */
	PLAN_DECISION_PASSED = 1 << 2,	/* a decision step's time has passed */
};

/* rules_plan_problems returns the plan_problem bits for the client at now ("never" clients have
 * none). The cadence is not checked for a client never contacted (last_contact 0). */
unsigned rules_plan_problems(const struct client_plan *p, int64_t now);
/* rules_plan_alert_at gives the earliest time at which rules_plan_problems of p is not zero, so
 * that the agenda reads only the clients whose time has come: 0 when it already has a problem
 * whatever the time (no next step, or the step is later than the cadence allows), the step's
 * due time for a decision step (the window passes then), and -1 when it never will as things
 * stand ("never" clients, a plan that is in order). */
int64_t rules_plan_alert_at(const struct client_plan *p);

/* plan_problem_rule gives the rule id of one bit: next_step_missing, cadence_exceeded,
 * decision_window_passed; NULL for anything that is not exactly one of the bits. */
const char *plan_problem_rule(enum plan_problem bit);

#endif
