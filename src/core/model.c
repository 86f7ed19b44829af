/* model.c - the domain's words (roles, categories, step kinds, ...) in both directions, and
 * money read from and written as text. */
#include "core/model.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const role_names[] = {"rep", "head", "admin"};
static const char *const category_names[] = {"now", "future", "never"};
#define STEP_KINDS(X)                                                                              \
	X("meeting") X("visit") X("call") X("callback") X("offer") X("invoice") X("decision")
#define NAME(w) w,
#define LEN(w)	(unsigned char)(sizeof(w) - 1),
static const char *const step_kind_names[] = {STEP_KINDS(NAME)};
static const unsigned char step_kind_lens[] = {STEP_KINDS(LEN)};
#undef NAME
#undef LEN
static const char *const step_status_names[] = {"planned", "done", "missed", "cancelled"};
static const char *const deal_stage_names[] = {"offer", "pending", "won", "lost"};
static const char *const contact_kind_names[] = {"call", "meeting"};
static const char *const direction_names[] = {"in", "out"};
static const char *const result_names[] = {"max", "min", "none"};
static const char *const never_reason_names[] = {"closed", "gone"};

_Static_assert(COUNT(role_names) == ROLE__COUNT, "role_names");
_Static_assert(COUNT(category_names) == CAT__COUNT, "category_names");
_Static_assert(COUNT(step_kind_names) == STEP__COUNT, "step_kind_names");
_Static_assert(COUNT(step_kind_lens) == STEP__COUNT, "step_kind_lens");
_Static_assert(COUNT(step_status_names) == STEP_STATUS__COUNT, "step_status_names");
_Static_assert(COUNT(deal_stage_names) == DEAL__COUNT, "deal_stage_names");
_Static_assert(COUNT(contact_kind_names) == CONTACT__COUNT, "contact_kind_names");
_Static_assert(COUNT(direction_names) == DIR__COUNT, "direction_names");
_Static_assert(COUNT(result_names) == RESULT__COUNT, "result_names");
_Static_assert(COUNT(never_reason_names) == NEVER__COUNT, "never_reason_names");

static const char *word(const char *const *names, size_t n, int v)
{
	return v >= 0 && (size_t)v < n ? names[v] : NULL;
}

/* lookup gives the index of s among names (lower-case ASCII words) in any case, or -1. The
 * words read back from every stored row pass here: the first letter, folded by hand (| 0x20
 * makes an ASCII capital small), spares strcasecmp for all but the word that begins alike. */
static int lookup(const char *const *names, size_t n, const char *s)
{
	if (!s)
		return -1;
	char first = (char)(s[0] | 0x20);
	for (size_t i = 0; i < n; i++)
		if (names[i][0] == first && strcasecmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

const char *role_name(enum role r)
{
	return word(role_names, COUNT(role_names), (int)r);
}

int role_parse(const char *s)
{
	return lookup(role_names, COUNT(role_names), s);
}

const char *category_name(enum category c)
{
	return word(category_names, COUNT(category_names), (int)c);
}

int category_parse(const char *s)
{
	return lookup(category_names, COUNT(category_names), s);
}

const char *step_kind_name(enum step_kind k)
{
	return word(step_kind_names, COUNT(step_kind_names), (int)k);
}

int step_kind_parse(const char *s)
{
	return lookup(step_kind_names, COUNT(step_kind_names), s);
}

int step_kind_of_bytes(const char *s, size_t n)
{
	for (int i = 0; i < STEP__COUNT; i++)
		if (step_kind_lens[i] == n && memcmp(step_kind_names[i], s, n) == 0)
			return i;
	return -1;
}

const char *step_status_name(enum step_status s)
{
	return word(step_status_names, COUNT(step_status_names), (int)s);
}

int step_status_parse(const char *s)
{
	return lookup(step_status_names, COUNT(step_status_names), s);
}

const char *deal_stage_name(enum deal_stage s)
{
	return word(deal_stage_names, COUNT(deal_stage_names), (int)s);
}

int deal_stage_parse(const char *s)
{
	return lookup(deal_stage_names, COUNT(deal_stage_names), s);
}

const char *contact_kind_name(enum contact_kind k)
{
	return word(contact_kind_names, COUNT(contact_kind_names), (int)k);
}

int contact_kind_parse(const char *s)
{
	return lookup(contact_kind_names, COUNT(contact_kind_names), s);
}

const char *direction_name(enum direction d)
{
	return word(direction_names, COUNT(direction_names), (int)d);
}

int direction_parse(const char *s)
{
	return lookup(direction_names, COUNT(direction_names), s);
}

const char *result_name(enum result r)
{
	return word(result_names, COUNT(result_names), (int)r);
}

int result_parse(const char *s)
{
	return lookup(result_names, COUNT(result_names), s);
}

const char *never_reason_name(enum never_reason r)
{
	return word(never_reason_names, COUNT(never_reason_names), (int)r);
}

int never_reason_parse(const char *s)
{
	return lookup(never_reason_names, COUNT(never_reason_names), s);
}

#define MONEY_MAX_WHOLE 10000000000000LL /* 10^13 whole units */

/* group_sep gives the length of a thousands separator at p (space, U+00A0 or U+202F, as
 * spreadsheets in Russian and Turkish locales write them), 0 when there is none. */
static size_t group_sep(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	if (u[0] == ' ')
		return 1;
	if (u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAF)
		return 3;
	return 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* parse_whole reads the integer part with optional thousands separators (then every group
 * after the first has three digits) and advances *p; -1 when malformed or too large. */
static int parse_whole(const char **p, int64_t *whole)
{
	const char *s = *p;
	int64_t v = 0;
	int group = 0; /* digits in the current group */
	bool grouped = false;
	for (;;) {
		if (is_digit(*s)) {
			v = v * 10 + (*s++ - '0');
			group++;
			if (v > MONEY_MAX_WHOLE)
				return -1;
			continue;
		}
		size_t sep = group_sep(s);
		if (!sep || !is_digit(s[sep]) || group == 0 || group > 3 || (grouped && group != 3))
			break;
		grouped = true;
		group = 0;
		s += sep;
	}
	if (group == 0 || (grouped && group != 3))
		return -1;
	*p = s;
	*whole = v;
	return 0;
}

int money_parse(const char *s, int64_t *minor)
{
	int64_t whole, frac = 0;
	if (!s || parse_whole(&s, &whole) < 0)
		return -1;
	if (*s == '.' || *s == ',') {
		s++;
		int nd = 0;
		for (; is_digit(*s) && nd < 3; s++, nd++)
			frac = frac * 10 + (*s - '0');
		if (nd == 0 || nd > 2)
			return -1;
		if (nd == 1)
			frac *= 10;
	}
	if (*s)
		return -1;
	int64_t v = whole * 100 + frac;
	if (v > MONEY_MAX_WHOLE * 100)
		return -1;
	*minor = v;
	return 0;
}

void money_format(int64_t minor, char out[32])
{
	/* The magnitude in unsigned arithmetic, so that INT64_MIN does not overflow. */
	uint64_t m = minor < 0 ? 0 - (uint64_t)minor : (uint64_t)minor;
	const char *sign = minor < 0 ? "-" : "";
	if (m % 100 == 0)
		snprintf(out, 32, "%s%llu", sign, (unsigned long long)(m / 100));
	else
		snprintf(out, 32, "%s%llu.%02llu", sign, (unsigned long long)(m / 100),
			 (unsigned long long)(m % 100));
}
