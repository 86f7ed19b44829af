/* card.h - what the client card (page_client.c: the card, its history and next-step actions) and
 * its log-a-call/meeting form (page_log.c) share: the view the card is written from and the
 * labels of the model's words both show. */
#ifndef NC_CARD_H
#define NC_CARD_H

#include "web/page.h"

#include <stdbool.h>
#include <stdint.h>

/* What the log form shows: as typed, or the defaults. */
struct log_form {
	const char *kind, *direction, *purpose, *goal_max, *goal_min, *result, *talk, *at;
	const char *outcome, *next_kind, *next_due, *offer, *won, *refused, *never_reason;
	const char *never_note;
	bool missed, offer_on;
};

/* A refused action on a next step, shown beside that step's form. */
struct step_refusal {
	int64_t step_id;
	const char *field; /* "when", "reason", or "" for the step as a whole */
	const char *msg;   /* translated */
	const char *value; /* as typed */
};

/* What the card page is written from. */
struct card_view {
	struct client_card card;
	struct step_rec *steps; /* every step, latest due first */
	size_t nsteps;
	struct log_form lf;
	const struct violations *v; /* the log form's rule refusals */
	const struct nc_err *err;   /* the log form's refusal */
	const struct step_refusal *sr;
	const char *warn; /* a warning rule after a contact was saved */
	bool called;	  /* click-to-call was placed: the rep's phone rings */
};

/* The msgids of the kinds of step, the results of a contact and the reasons a client is filed as
 * never, indexed by their enums; translate them with T. */
extern const char *const card_step_kind_labels[STEP__COUNT];
extern const char *const card_result_labels[RESULT__COUNT];
extern const char *const card_never_labels[NEVER__COUNT];

/* card_load fills cv->card and cv->steps (in r's arena) with the card and the steps of client
 * id, one the user may see; the rest of cv is left as it is. Returns 0, or -1 with err. */
int card_load(struct req *r, int64_t id, struct card_view *cv, struct nc_err *err);

/* card_render answers the card page of cv with status (0: 200). */
void card_render(struct req *r, const struct card_view *cv, int status);

/* card_log_defaults fills lf for a new contact: an outbound call now, the team's default goals,
 * a next call; its strings are owned by the request. Returns 0, or -1 with err (database). */
int card_log_defaults(struct req *r, struct log_form *lf, struct nc_err *err);

/* card_log_section writes the log-a-call/meeting form of cv's client, with cv->lf in it and the
 * refusals cv->err and cv->v beside their fields. */
void card_log_section(struct page *p, const struct card_view *cv);

#endif
