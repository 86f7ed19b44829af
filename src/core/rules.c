/* rules.c - the sales method (METHOD.md, sections 1-4) as checks over one contact report and
 * one client's plan. Each refusal says what the method wants instead. */
#include "core/rules.h"
#include "util/buf.h"
#include "util/utf8.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define HOUR	       3600
#define DAY	       86400
#define DECISION_HOURS 72 /* METHOD.md 2: the 72-hour rule */
#define QUOTE_MAX      80 /* bytes of a quoted value kept in a message */

static void add(struct violations *out, const char *rule, const char *field, bool warning,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add(struct violations *out, const char *rule, const char *field, bool warning,
		const char *fmt, ...)
{
	if (out->n >= RULES_MAX_VIOLATIONS)
		return;
	struct violation *v = &out->v[out->n++];
	va_list ap;
	v->rule = rule;
	v->field = field;
	v->warning = warning;
	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof(v->msg), fmt, ap);
	va_end(ap);
	if (!warning)
		out->nerrors++;
}

/* quote writes s between double quotes into dst, cut at a character boundary after QUOTE_MAX
 * bytes (then ending in "..."), with control characters as spaces so that no CR/LF gets into
 * a message, and bytes that are not UTF-8 as '?' so that the message stays valid for JSON.
 * NULL is written as "". */
static const char *quote(char dst[QUOTE_MAX + 8], const char *s)
{
	size_t n = s ? strlen(s) : 0;
	size_t k = n ? utf8_prefix_len(s, n, QUOTE_MAX) : 0;
	size_t o = 0;
	dst[o++] = '"';
	for (size_t i = 0; i < k;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		if (c < 0x20 || c == 0x7F ||
		    (c >= 0x80 && (i + len > k || !utf8_valid(s + i, len)))) {
			dst[o++] = c >= 0x80 ? '?' : ' ';
			i++;
			continue;
		}
		memcpy(dst + o, s + i, len);
		o += len;
		i += len;
	}
	if (k < n) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o++] = '"';
	dst[o] = 0;
	return dst;
}

/* is_outbound: the rep chose to make this contact, so it needs a purpose and goals. */
static bool is_outbound(const struct contact *c)
{
	return c->kind == CONTACT_MEETING || c->direction == DIR_OUT;
}

/* is_never: the rep filed the client as "never" (a note alone counts, to ask for the reason). */
static bool is_never(const struct contact *c)
{
	return c->never_reason != NULL || c->never_note != NULL;
}

static void check_purpose(const struct contact *c, const struct rule_ctx *ctx,
			  struct violations *out)
{
	bool meeting = c->kind == CONTACT_MEETING;
	const char *what = meeting ? "meeting" : "call";
	char q[QUOTE_MAX + 8];
	if (utf8_is_blank(c->purpose)) {
		add(out, "purpose_missing", "purpose", false,
		    "the %s has no purpose: state what the client gets from this %s", what, what);
		return;
	}
	if (rules_is_courtesy(c->purpose, ctx->courtesy, ctx->ncourtesy))
		add(out, "courtesy_call", "purpose", false,
		    "purpose %s is not a reason to %s: state what the client gets from this %s",
		    quote(q, c->purpose), meeting ? "meet" : "call", what);
}

static void check_goals(const struct contact *c, struct violations *out)
{
	if (utf8_is_blank(c->goal_max))
		add(out, "goal_missing", "goal_max", false,
		    "the maximum goal is missing: set the best result possible, such as a meeting "
		    "at a concrete date and time");
	if (utf8_is_blank(c->goal_min))
		add(out, "goal_missing", "goal_min", false,
		    "the minimum goal is missing: set the least result still worth having, such as "
		    "exchanging contacts and agreeing the next call");
}

static void check_never(const struct contact *c, struct violations *out)
{
	char q[QUOTE_MAX + 8];
	if (never_reason_parse(c->never_reason) < 0)
		add(out, "never_reason_invalid", "never.reason", false,
		    "never reason %s is not accepted: never is only for a client who physically no "
		    "longer exists (closed or gone); file the client as future instead",
		    quote(q, c->never_reason));
	if (utf8_is_blank(c->never_note))
		add(out, "never_reason_invalid", "never.note", false,
		    "never needs a note: say how you know the client no longer exists");
}

static void check_next_missing(const struct contact *c, struct violations *out)
{
	if (c->has_next || is_never(c))
		return;
	const char *what = c->kind == CONTACT_MEETING ? "meeting" : "call";
	if (c->refused)
		add(out, "next_step_missing", "next", false,
		    "a refusal needs the next planned contact: set a next step at a concrete date "
		    "and time to keep working with the client");
	else if (!c->missed && !c->has_won)
		add(out, "next_step_missing", "next", false,
		    "the %s ended without a next step: set one at a concrete date and time, or "
		    "record the sale",
		    what);
}

/* span_up gives b - a in units, rounded up, for messages that must show more than a limit. */
static long long span_up(int64_t a, int64_t b, int64_t unit)
{
	return (long long)((b - a + unit - 1) / unit);
}

static void check_next(const struct contact *c, const struct rule_ctx *ctx, struct violations *out)
{
	int64_t at = c->at ? c->at : ctx->now;
	int64_t due = c->next_due;
	int hours = ctx->decision_hours > 0 ? ctx->decision_hours : DECISION_HOURS;
	if (!c->next_has_time)
		add(out, "next_step_vague", "next.due_at", false,
		    "the next step has a date but no time: agree a concrete time with the client");
	/* A date without a time names the whole day: it is past only once that day is over. */
	if (c->next_has_time ? due < ctx->now : due + DAY <= ctx->now)
		add(out, "next_step_past", "next.due_at", false,
		    "the next step is due in the past: set a time after now");
	if (c->next_kind == STEP_DECISION && due > at + (int64_t)hours * HOUR)
		add(out, "decision_window_exceeded", "next.due_at", false,
		    "the decision is due %lld hours after the contact: a client ready to decide "
		    "gets at most %d hours",
		    span_up(at, due, HOUR), hours);
	if (ctx->cadence_max_days > 0 && due > at + (int64_t)ctx->cadence_max_days * DAY)
		add(out, "cadence_exceeded", "next.due_at", true,
		    "the next step is %lld days after the contact, more than the %d days this "
		    "client's segment allows: contacts this rare make each one a first meeting "
		    "again",
		    span_up(at, due, DAY), ctx->cadence_max_days);
}

size_t rules_check_contact(const struct contact *c, const struct rule_ctx *ctx,
			   struct violations *out)
{
	assert(c && ctx && out);
	if (is_outbound(c)) {
		check_purpose(c, ctx, out);
		check_goals(c, out);
	}
	if (c->refused && utf8_is_blank(c->refused))
		add(out, "refusal_reason_missing", "refused", false,
		    "the refusal has no reason: say why the client refused, what value you did not "
		    "convey");
	if (is_never(c))
		check_never(c, out);
	check_next_missing(c, out);
	if (c->has_next)
		check_next(c, ctx, out);
	return out->nerrors;
}

/* has_words says whether the folded text t holds the folded phrase p as whole words; both are
 * words joined by single spaces. */
static bool has_words(const char *t, size_t tn, const char *p, size_t pn)
{
	const char *end = t + tn;
	for (const char *h = t; (h = memmem(h, (size_t)(end - h), p, pn)) != NULL; h++) {
		bool starts = h == t || h[-1] == ' ';
		bool ends = h + pn == end || h[pn] == ' ';
		if (starts && ends)
			return true;
	}
	return false;
}

bool rules_is_courtesy(const char *purpose, const char *const *phrases, size_t n)
{
	struct buf text, phrase;
	bool found = false;
	if (!purpose || !phrases)
		return false;
	buf_init(&text, 0);
	buf_init(&phrase, 0);
	utf8_fold(purpose, strlen(purpose), &text);
	for (size_t i = 0; i < n && !found && text.len; i++) {
		if (!phrases[i])
			continue;
		buf_reset(&phrase);
		utf8_fold(phrases[i], strlen(phrases[i]), &phrase);
		found = phrase.len && has_words(text.data, text.len, phrase.data, phrase.len);
	}
	buf_release(&text);
	buf_release(&phrase);
	return found;
}

enum category rules_category_after(const struct contact *c, enum category current)
{
	if (is_never(c))
		return CAT_NEVER;
	if (c->refused)
		return CAT_FUTURE;
	if (c->result == RESULT_MAX || c->has_offer || c->has_won)
		return CAT_NOW;
	return current;
}

bool rules_auto_step(const struct contact *c, int callback_min, int retry_days,
		     struct auto_step *step)
{
	if (c->kind != CONTACT_CALL || !c->missed)
		return false;
	if (c->direction == DIR_IN) {
		step->kind = STEP_CALLBACK;
		step->due = c->at + (int64_t)(callback_min > 0 ? callback_min : 0) * 60;
	} else {
		step->kind = STEP_CALL;
		step->due = c->at + (int64_t)(retry_days > 0 ? retry_days : 0) * DAY;
	}
	return true;
}

unsigned rules_plan_problems(const struct client_plan *p, int64_t now)
{
	unsigned bits = 0;
	if (p->category == CAT_NEVER)
		return 0;
	if (!p->has_step)
		bits |= PLAN_NO_NEXT_STEP;
	if (p->cadence_max_days > 0 && p->last_contact) {
		int64_t limit = p->last_contact + (int64_t)p->cadence_max_days * DAY;
		if (p->has_step ? p->step_due > limit : now > limit)
			bits |= PLAN_CADENCE_EXCEEDED;
	}
	if (p->has_step && p->step_kind == STEP_DECISION && p->step_due < now)
		bits |= PLAN_DECISION_PASSED;
	return bits;
}

int64_t rules_plan_alert_at(const struct client_plan *p)
{
	if (p->category == CAT_NEVER)
		return -1;
	if (!p->has_step)
		return 0;
	if (p->cadence_max_days > 0 && p->last_contact &&
	    p->step_due > p->last_contact + (int64_t)p->cadence_max_days * DAY)
		return 0;
	if (p->step_kind == STEP_DECISION)
		return p->step_due;
	return -1;
}

const char *plan_problem_rule(enum plan_problem bit)
{
	switch (bit) {
	case PLAN_NO_NEXT_STEP:
		return "next_step_missing";
	case PLAN_CADENCE_EXCEEDED:
		return "cadence_exceeded";
	case PLAN_DECISION_PASSED:
		return "decision_window_passed";
	}
	return NULL;
}
