/* script.h - a call script (METHOD.md §5): the graph of lines a rep follows live, the validator
 * that checks it against the method, and the runner's state machine. Pure: no I/O, no database,
 * no clock of its own (times and random draws are arguments). io/yaml.h reads a script from the
 * YAML text a head of sales writes; docs/scripts.md documents the format. */
#ifndef NC_CORE_SCRIPT_H
#define NC_CORE_SCRIPT_H

#include "util/arena.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCRIPT_MAX_NEEDS_QUESTIONS  7	/* the method's limit on needs questions in one call */
#define SCRIPT_DEFAULT_PRICE_ANSWER 3	/* the price is named at the third direct question */
#define SCRIPT_MAX_NODES	    500 /* a bigger graph is refused (and bounds the checks) */
#define SCRIPT_MAX_BYTES	    (256 * 1024)
#define SCRIPT_HOLD_LIMIT_S	    30 /* the client is put on hold at most this long */

/* Where a key or value is in the YAML text, 1-based; {0, 0} when not from a text. */
struct script_pos {
	int line, col;
};

/* The stages of an inbound call (METHOD.md §5), plus custom ones. YAML names in order:
 * greeting, question, consent, intro, needs, summary, presentation, side, closing, custom. */
enum script_stage {
	STAGE_GREETING,
	STAGE_QUESTION,
	STAGE_CONSENT,
	STAGE_INTRO,
	STAGE_NEEDS,
	STAGE_SUMMARY,
	STAGE_PRESENTATION,
	STAGE_SIDE,
	STAGE_CLOSING,
	STAGE_CUSTOM,
};
enum field_type { FIELD_TEXT, FIELD_NUMBER, FIELD_CHOICE, FIELD_DATETIME };
/* The three kinds of needs questions: technical, showing expertise, finding reasons to decide. */
enum question_kind { QKIND_NONE, QKIND_TECHNICAL, QKIND_EXPERTISE, QKIND_MOTIVATION };
/* An end node ends the run: with the maximum or minimum goal, or without a goal (the client
 * refused or the call broke off; the contact is then logged with a refusal or a next step). */
enum script_goal { GOAL_NONE, GOAL_MAX, GOAL_MIN };

/* One wording of a line; a line with several is an A/B test, drawn by weight. */
struct script_text {
	const char *text;
	int weight; /* >= 1 */
	struct script_pos pos;
};

struct script_option {
	const char *label;
	const char *target_id; /* as written */
	int target;	       /* node index, -1 when target_id names no node */
	struct script_pos pos;
};

/* A question captures an answer into the client card. field "client.name", "client.company",
 * "client.phone" and "client.email" write the card's own fields; any other name (letters, digits,
 * '_', at most 64 bytes) is a captured field of the card. */
struct script_question {
	const char *field;
	enum field_type type;
	enum question_kind kind; /* QKIND_NONE outside the needs stage */
	const char **choices;	 /* FIELD_CHOICE */
	size_t nchoices;
	struct script_pos pos;
};

struct script_node {
	const char *id;
	struct script_pos pos;
	enum script_stage stage;
	const char *stage_label; /* the custom stage's name; NULL otherwise */
	struct script_text *say; /* at least one; several are variants */
	size_t nsay;
	struct script_option *options;
	size_t noptions;
	bool has_question;
	struct script_question question;
	bool end;		 /* an end node (goal set, or `end: true`) */
	enum script_goal goal;	 /* of an end node */
	const char **next_kinds; /* next step kinds the goal node captures (model.h kind names) */
	size_t nnext_kinds;	 /* 0: the node captures no next step */
	bool next_time;		 /* the next step is captured with its date and time */
	struct script_pos next_pos; /* of next_step, or of the node when absent */
	bool names_price; /* the line names the price (`price: true` or a {price} placeholder) */
	struct script_pos price_pos; /* of `price: true` or of the wording holding {price} */
};

/* An objection handler, open from any node; closing it returns to where the rep was. The
 * method's four have the ids expensive, discount, think, boss; any other id is custom. */
struct script_objection {
	const char *id, *label;
	struct script_text *say;
	size_t nsay;
	struct script_pos pos;
};

struct script {
	const char *name;
	bool outbound; /* kind: inbound (false) or outbound */
	const char *task_max, *task_min;
	const char **extra;
	size_t nextra;
	struct script_pos name_pos, tasks_pos;
	int price_answer_on;  /* the Nth direct price question gets the price (default 3) */
	const char **deflect; /* lines for the questions before it (the last one repeats) */
	size_t ndeflect;
	const char *price_answer; /* the line that names the price; NULL: the rep says it himself */
	struct script_pos price_pos;
	int start; /* node index */
	struct script_pos start_pos;
	struct script_node *nodes;
	size_t nnodes;
	struct script_objection *objections;
	size_t nobjections;
};

/* ---- findings of the loader and the validator ---- */
struct script_finding {
	const char *code; /* stable snake_case id, listed in docs/scripts.md */
	const char *message;
	struct script_pos pos;
	bool warning; /* reported, but the script is valid */
};
struct script_findings {
	struct script_finding *v;
	size_t n, cap;
	size_t nerrors;
};
/* script_finding_add appends a finding (arena-allocated message, printf format). */
void script_finding_add(struct script_findings *f, struct arena *a, bool warning, const char *code,
			struct script_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* script_validate checks a parsed script against the method and adds findings: errors
 * unknown_target, unreachable_node, no_path_to_end, undefined_placeholder, too_many_questions
 * (more than SCRIPT_MAX_NEEDS_QUESTIONS needs questions on some path), needs_kind_missing,
 * goal_next_step_missing (a goal node that does not capture a next step with date and time),
 * price_too_early, goal_max_missing, goal_min_missing, no_start; warnings name_not_asked,
 * contacts_after_price. Bounded work on any graph, cycles included. */
void script_validate(const struct script *s, struct arena *a, struct script_findings *f);

/* script_quote returns s[0..n) between double quotes for a finding's message, in the arena: cut
 * after 60 bytes (at a character boundary, then "..."), control characters as spaces, bytes that
 * are not UTF-8 as '?'. */
const char *script_quote(struct arena *a, const char *s, size_t n);

const char *script_stage_name(enum script_stage s);
const char *script_goal_name(enum script_goal g); /* "none", "max", "min" */
int script_node_find(const struct script *s, const char *id);
int script_objection_find(const struct script *s, const char *id);
/* script_placeholder_known: a placeholder name the renderer fills: client.name, client.company,
 * client.phone, client.email, rep.name, company, price, or a field some question captures. */
bool script_placeholder_known(const struct script *s, const char *name, size_t len);

/* ---- the runner (core/script_run.c) ---- */
struct run_answer {
	const char *field, *value; /* value normalised by its type (number as written by %.15g,
				      datetime as RFC 3339 UTC) */
};

/* The state of one run: everything needed to show the panel and take the next step. */
struct run_state {
	int node;      /* current node index */
	int objection; /* open objection index, -1 none */
	int *path;     /* node indices entered, in order; back pops the last */
	size_t npath, path_cap;
	int *variant; /* per node index: the wording drawn when first entered, -1 not yet */
	int *objection_variant;	    /* per objection index, -1 not yet */
	int questions;		    /* needs questions answered (of SCRIPT_MAX_NEEDS_QUESTIONS) */
	int price_asks;		    /* direct price questions so far */
	struct run_answer *answers; /* latest value per field */
	size_t nanswers, answers_cap;
	bool finished;
	enum script_goal result;
	int64_t started_at, hold_since; /* hold_since 0: not on hold */
};

enum run_action {
	RUN_OPTION,    /* follow option `option` of the current node */
	RUN_OBJECTION, /* open objection `objection` (id) over the current node */
	RUN_RESUME,    /* close the open objection: back to the node */
	RUN_ANSWER,    /* answers to the current node's question */
	RUN_PRICE,     /* the client asked the price directly */
	RUN_BACK,      /* back to the previous node */
	RUN_HOLD,      /* put the client on hold; RUN_RESUME (or any step) takes him off */
	RUN_FINISH,    /* at an end node: end the run with its goal */
};
struct run_step {
	enum run_action action;
	int option;
	const char *objection;
	const struct run_answer *answers; /* RUN_ANSWER: field (NULL = the node's) and raw value */
	size_t nanswers;
};

/* What a step produced besides the new state, for the panel and the log. */
struct run_effect {
	const char *line;    /* the line to say now, not yet rendered (a price deflection or the
				price answer after RUN_PRICE; NULL: the node's or objection's line) */
	bool price_answered; /* RUN_PRICE reached price_answer_on */
	const struct run_answer *captured; /* the answers RUN_ANSWER accepted (normalised) */
	size_t ncaptured;
	int entered; /* node entered by this step, -1 none */
};

/* script_run_start sets up a run at the start node, drawing its wording with rnd. */
void script_run_start(const struct script *s, struct arena *a, int64_t now, uint32_t rnd,
		      struct run_state *st);
/* script_run_apply applies step to st (in place). A step that does not fit the state (an option
 * out of range, an unknown objection, an answer without a question or of the wrong type, back at
 * the start, finish away from an end node, anything after the run finished) returns -1 with a
 * message in *why naming the input ("option", "objection", "answers", ...) and leaves st as it
 * was. rnd draws the wording of a node entered for the first time. */
int script_run_apply(const struct script *s, struct arena *a, struct run_state *st,
		     const struct run_step *step, int64_t now, uint32_t rnd, struct run_effect *eff,
		     const char **why, const char **field);
/* script_price_line gives the line for the asks-th direct price question under s's price
 * policy (NULL: none written); *answered tells whether that question gets the price. */
const char *script_price_line(const struct script *s, int asks, bool *answered);
/* script_pick_variant draws a wording index by weight: rnd modulo the total weight (a weight
 * below 1 counts as 1); -1 when n is 0. */
int script_pick_variant(const struct script_text *say, size_t n, uint32_t rnd);

/* Values for the placeholders of a line. */
struct render_ctx {
	const char *client_name, *client_company, *client_phone, *client_email;
	const char *rep_name, *company, *price;
	const struct run_answer *answers;
	size_t nanswers;
};
/* script_render replaces every {name} in text; a placeholder without a value becomes "[name]"
 * so the rep sees what is missing. "{{" is a literal "{". */
const char *script_render(const char *text, const struct render_ctx *ctx, struct arena *a);

#endif
