/* step_line.c - a planned step's agenda line (see step_line.h). */
#include "store/step_line.h"
#include "core/model.h"

#include <stdint.h>
#include <string.h>

/* number reads a decimal integer of at most 18 digits (below 10^18: every id and time, and no
 * overflow to test a digit) ending at sep from *p: false for no digit, more than 18 or another
 * byte than sep after it. */
static inline bool number(const char **p, const char *end, char sep, int64_t *v)
{
	const char *s = *p;
	bool neg = s < end && *s == '-';
	s += neg;
	const char *digits = s, *last = end - s > 18 ? s + 18 : end;
	int64_t u = 0;
	for (; s < last && (unsigned)(*s - '0') < 10; s++)
		u = u * 10 + (*s - '0');
	if (s == digits || s == end || *s != sep)
		return false;
	*v = neg ? -u : u;
	*p = s + 1;
	return true;
}

/* kind reads a step kind's word ending at ',': an unknown word reads as a call, as the stored
 * column does (store/q_steps.c kind_of). */
static bool kind(const char **p, const char *end, enum step_kind *k)
{
	const char *s = *p, *comma = memchr(s, ',', (size_t)(end - s));
	if (!comma)
		return false;
	int i = step_kind_of_bytes(s, (size_t)(comma - s));
	*k = i < 0 ? STEP_CALL : (enum step_kind)i;
	*p = comma + 1;
	return true;
}

bool step_line_parse(const char *line, size_t len, struct arena *a, struct step_rec *s)
{
	const char *p = line, *end = line + len;
	int64_t id, due, client, call = 0, autov, lens[4];
	enum step_kind k;
	if (!number(&p, end, ',', &id) || !number(&p, end, ',', &due) ||
	    !number(&p, end, ',', &client))
		return false;
	if (p < end && *p == ',')
		p++;
	else if (!number(&p, end, ',', &call))
		return false;
	if (!kind(&p, end, &k) || !number(&p, end, ',', &autov))
		return false;
	size_t total = 0;
	for (int i = 0; i < 4; i++) {
		if (!number(&p, end, i < 3 ? ',' : ':', &lens[i]) || lens[i] < -1)
			return false;
		if (lens[i] > 0) {
			if ((uint64_t)lens[i] > (uint64_t)(end - p) - total)
				return false;
			total += (size_t)lens[i];
		}
	}
	if (total != (size_t)(end - p))
		return false;
	/* the texts, each with its NUL, in one block of the arena */
	char *d = arena_alloc(a, total + 4);
	const char *texts[4];
	for (int i = 0; i < 4; i++) {
		if (lens[i] < 0) {
			texts[i] = NULL;
			continue;
		}
		memcpy(d, p, (size_t)lens[i]);
		texts[i] = d;
		d += lens[i] + 1; /* the arena's zero ends it */
		p += lens[i];
	}
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->due_at = due;
	s->client_id = client;
	s->call_id = call;
	s->kind = k;
	s->auto_planned = autov == 1;
	s->status = STEP_PLANNED;
	s->note = texts[0];
	s->cancel_reason = texts[1];
	s->client_name = texts[2];
	s->client_phone = texts[3];
	return true;
}
