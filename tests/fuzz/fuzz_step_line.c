/* fuzz_step_line.c - libFuzzer target for the parse of a planned step's agenda line
 * (store/step_line.c, migration 0023), which reads what the database holds: a line written by
 * hand or damaged must be refused, not read past its end. Checked: a refused line leaves the
 * step as it was; a taken one has its texts inside the line's bytes (each of its length, NULL for
 * -1), and written again in the canonical form (as 0023's SQL writes it) reads back the same. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "store/step_line.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t len_of(const char *s)
{
	return s ? strlen(s) : 0;
}

/* canonical writes s as LINE_OF's SQL would (the kind by its name, no leading zeros) */
static void canonical(const struct step_rec *s, struct buf *b)
{
	const char *texts[] = {s->note, s->cancel_reason, s->client_name, s->client_phone};
	buf_printf(b, "%" PRId64 ",%" PRId64 ",%" PRId64 ",", s->id, s->due_at, s->client_id);
	if (s->call_id)
		buf_printf(b, "%" PRId64, s->call_id);
	buf_printf(b, ",%s,%d", step_kind_name(s->kind), s->auto_planned ? 1 : 0);
	for (int i = 0; i < 4; i++)
		buf_printf(b, ",%lld", texts[i] ? (long long)strlen(texts[i]) : -1LL);
	buf_adds(b, ":");
	for (int i = 0; i < 4; i++)
		if (texts[i])
			buf_adds(b, texts[i]);
}

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly size bytes: a read past the end is ASan's to find */
	char *line = malloc(size ? size : 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	struct arena a;
	arena_init(&a);
	struct step_rec s, was;
	memset(&s, 0x5a, sizeof(s));
	memcpy(&was, &s, sizeof(s));
	if (!step_line_parse(line, size, &a, &s)) {
		if (memcmp(&s, &was, sizeof(s)) != 0)
			abort();
		goto out;
	}
	if (s.status != STEP_PLANNED || s.kind < 0 || s.kind >= STEP__COUNT || s.rep || s.rep_id)
		abort();
	/* the texts came from the line: no more bytes than it has after its header */
	size_t texts = len_of(s.note) + len_of(s.cancel_reason) + len_of(s.client_name) +
		       len_of(s.client_phone);
	const char *colon = memchr(line, ':', size);
	if (!colon || texts > size - (size_t)(colon + 1 - line))
		abort();
	struct buf b;
	buf_init(&b, 0);
	canonical(&s, &b);
	struct step_rec t;
	if (!buf_failed(&b) && !memchr(b.data, 0, b.len)) {
		/* a text holding a NUL reads shorter than its length: not canonical then */
		if (!step_line_parse(b.data, b.len, &a, &t) || t.id != s.id ||
		    t.due_at != s.due_at || t.client_id != s.client_id || t.call_id != s.call_id ||
		    t.kind != s.kind || t.auto_planned != s.auto_planned ||
		    !same_text(t.note, s.note) || !same_text(t.cancel_reason, s.cancel_reason) ||
		    !same_text(t.client_name, s.client_name) ||
		    !same_text(t.client_phone, s.client_phone))
			abort();
	}
	buf_release(&b);
out:
	arena_release(&a);
	free(line);
	return 0;
}
