/* json_write.c - the client card and list shapes written straight into a buffer (see
 * json_write.h). The member order and every byte follow json.c's builders as jansson dumps them. */
#include "app/json_write.h"
#include "app/json.h"
#include "util/time.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The writer stages bytes in a local block and hands them to the buffer a block at a time: one
 * buf_add per byte run was a fifth of the writing. */
struct jw {
	struct buf *b;
	size_t n;
	/* the stretch of a day the last time was in (time_rfc3339_day), in zone day_tz: an
	 * answer's times fall on a few days, written so without the zone's look-up */
	const char *day_tz;
	struct rfc3339_day day;
	char s[4096];
};

/* start readies w to write into b (not zeroed: only w->s[0..n) is read) */
static inline void start(struct jw *w, struct buf *b)
{
	w->b = b;
	w->n = 0;
	w->day_tz = NULL;
	w->day.from = w->day.to = 0;
}

static void flush(struct jw *w)
{
	buf_add(w->b, w->s, w->n);
	w->n = 0;
}

static inline void put(struct jw *w, const void *p, size_t n)
{
	if (n > sizeof(w->s) - w->n) {
		flush(w);
		if (n > sizeof(w->s)) {
			buf_add(w->b, p, n);
			return;
		}
	}
	memcpy(w->s + w->n, p, n);
	w->n += n;
}

static inline void putch(struct jw *w, char c)
{
	if (w->n == sizeof(w->s))
		flush(w);
	w->s[w->n++] = c;
}

/* plain8 says whether none of the 8 bytes at p needs escaping (a control character, '"' or
 * '\\'): bytes of 0x80 and above (UTF-8) never do. One test for 8 bytes: the byte loop was most
 * of the writing of a card, whose text is mostly plain. */
static inline bool plain8(const char *p)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t x, q, bs;
	memcpy(&x, p, sizeof(x));
	q = x ^ (ones * '"');
	bs = x ^ (ones * '\\');
	/* a byte below 0x20, or one equal to 0: exact for the word as a whole */
	return !(((x - ones * 0x20) & ~x & high) | ((q - ones) & ~q & high) |
		 ((bs - ones) & ~bs & high));
}

/* plain_len gives how many of the len bytes at s need no escaping, 8 at a time: a word that
 * fails is looked at byte by byte; the last bytes of a string of 8 or more are tested as the
 * word that ends the string (overlapping bytes already tested), those of a shorter one one by
 * one. */
static inline size_t plain_len(const char *s, size_t len)
{
	size_t i = 0;
	while (len - i >= 8 && plain8(s + i))
		i += 8;
	if (i == len || (len - i < 8 && len >= 8 && plain8(s + len - 8)))
		return len;
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == '"' || c == '\\')
			break;
	}
	return i;
}

/* put_quoted writes the n bytes at s between quotes, as they are (none needs escaping). */
static inline void put_quoted(struct jw *w, const char *s, size_t n)
{
	if (n + 2 > sizeof(w->s) - w->n) {
		putch(w, '"');
		put(w, s, n);
		putch(w, '"');
		return;
	}
	char *d = w->s + w->n;
	d[0] = '"';
	memcpy(d + 1, s, n);
	d[n + 1] = '"';
	w->n += n + 2;
}

/* put_word writes a word of the program's own (an enum's name: plain ASCII letters and '_'),
 * or null for NULL, without looking for bytes to escape. */
static void put_word(struct jw *b, const char *s)
{
	if (s)
		put_quoted(b, s, strlen(s));
	else
		put(b, "null", 4);
}

/* put_string writes s as a JSON string, escaped as jansson does; mostly it needs no escaping
 * and is copied at once. */
static void put_string(struct jw *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s) {
		put(b, "null", 4);
		return;
	}
	size_t len = strlen(s);
	size_t i = plain_len(s, len);
	if (i == len) {
		put_quoted(b, s, len);
		return;
	}
	putch(b, '"');
	while (i < len) {
		put(b, s, i); /* the plain run before the byte to escape */
		unsigned char c = (unsigned char)s[i];
		char esc[6] = {'\\', 0};
		size_t n = 2;
		switch (c) {
		case '"':
		case '\\':
			esc[1] = (char)c;
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default: /* jansson: \u00XX in capitals */
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		put(b, esc, n);
		s += i + 1;
		len -= i + 1;
		i = plain_len(s, len);
	}
	put(b, s, len);
	putch(b, '"');
}

/* decimal_len: the number of decimal digits of u (1 for 0), from its bit length. */
static inline int decimal_len(uint64_t u)
{
	static const uint64_t pow10[20] = {1u,
					   10u,
					   100u,
					   1000u,
					   10000u,
					   100000u,
					   1000000u,
					   10000000u,
					   100000000u,
					   1000000000u,
					   10000000000u,
					   100000000000u,
					   1000000000000u,
					   10000000000000u,
					   100000000000000u,
					   1000000000000000u,
					   10000000000000000u,
					   100000000000000000u,
					   1000000000000000000u,
					   10000000000000000000u};
	u |= 1; /* the same count for every u but 0, which has one digit */
	int t = ((64 - __builtin_clzll(u)) * 1233) >> 12; /* log10(2) ~ 1233 / 4096 */
	return t + (u >= pow10[t]);
}

/* jw_int writes v in decimal, two digits at a time, backward from its end in place (copying
 * the digits from a scratch array was a third of the cost of a number). */
static void jw_int(struct jw *b, int64_t v)
{
	static const char pairs[201] =
	    "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142"
	    "43444546474849505152535455565758596061626364656667686970717273747576777879808182838485"
	    "8687888990919293949596979899";
	if (sizeof(b->s) - b->n < 20) /* '-' and 19 digits at most */
		flush(b);
	char *d = b->s + b->n;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	if (v < 0)
		*d++ = '-';
	char *e = d + decimal_len(u), *p = e;
	for (; u >= 100; u /= 100) {
		p -= 2;
		memcpy(p, pairs + 2 * (u % 100), 2);
	}
	if (u >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * u, 2);
	} else {
		*--p = (char)('0' + u);
	}
	b->n = (size_t)(e - b->s);
}

/* key writes ,"name": (without the comma for the first member); name is a literal. */
#define key(b, k, first)                                                                           \
	((first) ? put(b, "\"" k "\":", sizeof(k) + 2) : put(b, ",\"" k "\":", sizeof(k) + 3))

static void vbool(struct jw *b, bool v)
{
	if (v)
		put(b, "true", 4);
	else
		put(b, "false", 5);
}

/* vtime: json_time, an RFC 3339 string in tz or null for 0 (digits, '-', ':', 'T', '+', 'Z':
 * nothing to escape), written in place. */
static void vtime(struct jw *b, int64_t t, const char *tz)
{
	if (!t) {
		put(b, "null", 4);
		return;
	}
	if (sizeof(b->s) - b->n < 34) /* the quotes and time_rfc3339's 32 bytes */
		flush(b);
	char *d = b->s + b->n;
	size_t n;
	d[0] = '"';
	if (tz == b->day_tz && t >= b->day.from && t < b->day.to) {
		n = time_rfc3339_in(&b->day, t, d + 1);
	} else {
		n = time_rfc3339_day(t, tz, d + 1, &b->day);
		b->day_tz = tz;
	}
	d[n + 1] = '"';
	b->n += n + 2;
}

/* vmoney: json_money; a fractional amount is a real, dumped by jansson itself. */
static void vmoney(struct jw *b, int64_t minor)
{
	if (minor % 100 == 0) {
		jw_int(b, minor / 100);
		return;
	}
	json_t *j = json_money(minor);
	char *s = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	json_decref(j);
	const char *v = s ? s : "null";
	put(b, v, strlen(v));
	free(s);
}

/* members after the first: ,"k":value */
#define kstr(b, k, v)	    (key(b, k, false), put_string(b, v))
#define kword(b, k, v)	    (key(b, k, false), put_word(b, v))
#define kint(b, k, v)	    (key(b, k, false), jw_int(b, v))
#define kbool(b, k, v)	    (key(b, k, false), vbool(b, v))
#define ktime(b, k, t, tz)  (key(b, k, false), vtime(b, t, tz))
#define kmoney(b, k, minor) (key(b, k, false), vmoney(b, minor))

static void w_client_open(struct jw *b, const struct client_rec *c, const struct step_rec *next,
			  bool without_next, const char *tz)
{
	putch(b, '{');
	key(b, "id", true);
	jw_int(b, c->id);
	kstr(b, "name", c->name);
	kstr(b, "company", c->company);
	kword(b, "category", category_name(c->category));
	key(b, "phones", false);
	putch(b, '[');
	for (size_t i = 0; i < c->nphones; i++) {
		if (i)
			putch(b, ',');
		put_string(b, c->phones[i]);
	}
	putch(b, ']');
	kstr(b, "owner", c->owner);
	kstr(b, "segment", c->segment);
	kstr(b, "source", c->source);
	kstr(b, "refusal_reason", c->refusal_reason);
	kstr(b, "never_reason", c->never_reason);
	kstr(b, "never_note", c->never_note);
	if (!without_next) {
		key(b, "next_step", false);
		if (next) {
			putch(b, '{');
			key(b, "id", true);
			jw_int(b, next->id);
			kword(b, "kind", step_kind_name(next->kind));
			ktime(b, "due_at", next->due_at, tz);
			putch(b, '}');
		} else {
			put(b, "null", 4);
		}
	}
	ktime(b, "last_contact_at", c->last_contact_at, tz);
	ktime(b, "created_at", c->created_at, tz);
	ktime(b, "updated_at", c->updated_at, tz);
}

static void w_client(struct jw *b, const struct client_rec *c, const struct step_rec *next,
		     bool without_next, const char *tz)
{
	w_client_open(b, c, next, without_next, tz);
	putch(b, '}');
}

static void w_call(struct jw *b, const struct call_rec *c, const char *tz)
{
	putch(b, '{');
	key(b, "id", true);
	jw_int(b, c->id);
	key(b, "client_id", false);
	if (c->client_id)
		jw_int(b, c->client_id);
	else
		put(b, "null", 4);
	kword(b, "kind", contact_kind_name(c->kind));
	kword(b, "direction",
	      c->direction >= 0 ? direction_name((enum direction)c->direction) : NULL);
	ktime(b, "at", c->started_at, tz);
	kbool(b, "missed", c->missed);
	kint(b, "ring_s", c->ring_s);
	kint(b, "talk_s", c->talk_s);
	kstr(b, "purpose", c->purpose);
	kstr(b, "goal_max", c->goal_max);
	kstr(b, "goal_min", c->goal_min);
	kword(b, "result", c->result >= 0 ? result_name((enum result)c->result) : NULL);
	kstr(b, "outcome", c->outcome ? c->outcome : "none");
	kstr(b, "refusal_reason", c->refusal_reason);
	kstr(b, "rep", c->rep);
	kstr(b, "phone", c->phone);
	kstr(b, "phone_e164", c->phone_e164);
	kstr(b, "pbx_id", c->pbx_id);
	kstr(b, "recording_url", c->recording_url);
	kbool(b, "logged", c->logged);
	putch(b, '}');
}

static void w_deal(struct jw *b, const struct deal_rec *d, const char *tz)
{
	putch(b, '{');
	key(b, "id", true);
	jw_int(b, d->id);
	kint(b, "client_id", d->client_id);
	kmoney(b, "amount", d->amount);
	kword(b, "stage", deal_stage_name(d->stage));
	ktime(b, "created_at", d->created_at, tz);
	ktime(b, "closed_at", d->closed_at, tz);
	putch(b, '}');
}

/* fields: {field: {value, type, run_id, updated_at}}; a field named twice keeps its first place
 * with the last value, as json_object_set_new does. */
static void fields(struct jw *b, const struct client_card *card, const char *tz)
{
	putch(b, '{');
	bool first = true;
	for (size_t i = 0; i < card->nfields; i++) {
		const struct client_field *f = &card->fields[i];
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(card->fields[j].field, f->field) == 0;
		if (seen)
			continue;
		for (size_t j = i + 1; j < card->nfields; j++)
			if (strcmp(card->fields[j].field, f->field) == 0)
				f = &card->fields[j];
		if (!first)
			putch(b, ',');
		first = false;
		put_string(b, f->field);
		put(b, ":{", 2);
		key(b, "value", true);
		put_string(b, f->value);
		kstr(b, "type", f->type);
		key(b, "run_id", false);
		if (f->run_id)
			jw_int(b, f->run_id);
		else
			put(b, "null", 4);
		ktime(b, "updated_at", f->updated_at, tz);
		putch(b, '}');
	}
	putch(b, '}');
}

static void w_card(struct jw *b, const struct client_card *card, bool with_fields, const char *tz)
{
	w_client_open(b, &card->c, card->has_next ? &card->next : NULL, false, tz);
	key(b, "deals", false);
	putch(b, '[');
	for (size_t i = 0; i < card->ndeals; i++) {
		if (i)
			putch(b, ',');
		w_deal(b, &card->deals[i], tz);
	}
	putch(b, ']');
	key(b, "history", false);
	putch(b, '[');
	for (size_t i = 0; i < card->ncalls; i++) {
		if (i)
			putch(b, ',');
		w_call(b, &card->calls[i], tz);
	}
	putch(b, ']');
	if (with_fields) {
		key(b, "fields", false);
		fields(b, card, tz);
	}
	putch(b, '}');
}

/* A list's steps have one rep (store_step_list gives a rep's steps his login, one string):
 * ,"rep":"login" is made once and copied for the next steps with the same string. */
struct rep_memo {
	const char *of; /* the login the member was made of, or NULL */
	size_t n;	/* its bytes; 0: written by kstr each time (long, or to escape) */
	char json[72];
};

static void put_rep(struct jw *b, struct rep_memo *m, const char *rep)
{
	if (rep != m->of) {
		size_t len = strlen(rep);
		m->of = rep;
		m->n = 0;
		if (len + 9 <= sizeof(m->json) && plain_len(rep, len) == len) {
			memcpy(m->json, ",\"rep\":\"", 8);
			memcpy(m->json + 8, rep, len);
			m->json[8 + len] = '"';
			m->n = len + 9;
		}
	}
	if (m->n)
		put(b, m->json, m->n);
	else
		kstr(b, "rep", rep);
}

static void w_step(struct jw *b, const struct step_rec *s, const char *tz, struct rep_memo *m)
{
	putch(b, '{');
	key(b, "id", true);
	jw_int(b, s->id);
	kint(b, "client_id", s->client_id);
	kword(b, "kind", step_kind_name(s->kind));
	ktime(b, "due_at", s->due_at, tz);
	kword(b, "status", step_status_name(s->status));
	kbool(b, "auto", s->auto_planned);
	if (s->rep)
		put_rep(b, m, s->rep);
	if (s->client_name)
		kstr(b, "client_name", s->client_name);
	if (s->client_phone)
		kstr(b, "phone", s->client_phone);
	if (s->call_id)
		kint(b, "call_id", s->call_id);
	if (s->note)
		kstr(b, "note", s->note);
	if (s->cancel_reason)
		kstr(b, "cancel_reason", s->cancel_reason);
	putch(b, '}');
}

static void w_steps(struct jw *b, const struct step_rec *s, size_t n, const char *tz)
{
	struct rep_memo m = {NULL, 0, {0}};
	putch(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			putch(b, ',');
		w_step(b, &s[i], tz, &m);
	}
	putch(b, ']');
}

static void w_agenda(struct jw *b, const struct agenda *ag, const char *tz)
{
	putch(b, '{');
	key(b, "rep", true);
	put_string(b, ag->rep);
	kstr(b, "timezone", ag->timezone);
	ktime(b, "day_start", ag->day_start, tz);
	ktime(b, "day_end", ag->day_end, tz);
	key(b, "overdue", false);
	w_steps(b, ag->overdue, ag->noverdue, tz);
	key(b, "today", false);
	w_steps(b, ag->today, ag->ntoday, tz);
	key(b, "violations", false);
	putch(b, '[');
	for (size_t i = 0; i < ag->nviolations; i++) {
		const struct agenda_violation *x = &ag->violations[i];
		if (i)
			putch(b, ',');
		putch(b, '{');
		key(b, "client_id", true);
		jw_int(b, x->client_id);
		kstr(b, "client_name", x->client_name);
		kword(b, "rule", x->rule);
		if (x->due_at)
			ktime(b, "due_at", x->due_at, tz);
		putch(b, '}');
	}
	putch(b, ']');
	key(b, "counters", false);
	putch(b, '{');
	key(b, "calls_today", true);
	jw_int(b, ag->calls_today);
	kint(b, "planned_today", ag->planned_today);
	kint(b, "overdue", ag->overdue_total);
	kint(b, "pool_now", ag->pool_now);
	kint(b, "pool_future", ag->pool_future);
	put(b, "}}", 2);
}

/* the public writers: stage, then hand over */
void jw_string(struct buf *b, const char *s)
{
	struct jw w;
	start(&w, b);
	put_string(&w, s);
	flush(&w);
}

void jw_client_open(struct buf *b, const struct client_rec *c, const struct step_rec *next,
		    bool without_next, const char *tz)
{
	struct jw w;
	start(&w, b);
	w_client_open(&w, c, next, without_next, tz);
	flush(&w);
}

void jw_client(struct buf *b, const struct client_rec *c, const struct step_rec *next,
	       bool without_next, const char *tz)
{
	struct jw w;
	start(&w, b);
	w_client(&w, c, next, without_next, tz);
	flush(&w);
}

void jw_call(struct buf *b, const struct call_rec *c, const char *tz)
{
	struct jw w;
	start(&w, b);
	w_call(&w, c, tz);
	flush(&w);
}

void jw_deal(struct buf *b, const struct deal_rec *d, const char *tz)
{
	struct jw w;
	start(&w, b);
	w_deal(&w, d, tz);
	flush(&w);
}

void jw_card(struct buf *b, const struct client_card *card, bool with_fields, const char *tz)
{
	struct jw w;
	start(&w, b);
	w_card(&w, card, with_fields, tz);
	flush(&w);
}

void jw_step(struct buf *b, const struct step_rec *s, const char *tz)
{
	struct jw w;
	start(&w, b);
	struct rep_memo m = {NULL, 0, {0}};
	w_step(&w, s, tz, &m);
	flush(&w);
}

void jw_agenda(struct buf *b, const struct agenda *ag, const char *tz)
{
	struct jw w;
	/* a step is ~230 bytes, a violation ~100: room at once rather than ten doublings, whose
	 * copies were a tenth of this writer's instructions on an agenda of 238 steps */
	buf_reserve(b, 512 + 256 * (ag->noverdue + ag->ntoday) + 128 * ag->nviolations);
	start(&w, b);
	w_agenda(&w, ag, tz);
	flush(&w);
}
