/* table.c - reports as tables of typed cells: building them, and writing them as CSV (RFC 4180)
 * or as an aligned text table for the terminal. Every cell is shown through table_cell_str, so the
 * CSV, the terminal, the pages and the XLSX (io/xlsx.c) agree to the character. */
#include "io/table.h"
#include "util/utf8.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define CELL_MAX_CHARS 32767 /* a spreadsheet cell holds at most this many characters */

void table_init(struct table *t, struct arena *a, const char *title, const char *const *cols,
		size_t ncols)
{
	assert(ncols > 0);
	memset(t, 0, sizeof(*t));
	t->a = a;
	t->title = title;
	t->cols = ARENA_ARRAY(a, const char *, ncols);
	for (size_t i = 0; i < ncols; i++)
		t->cols[i] = cols[i];
	t->ncols = ncols;
}

struct cell *table_row(struct table *t)
{
	if (t->nrows == t->cap) {
		/* arena_grow counts elements: one element here is one row of ncols cells */
		size_t cap = t->cap;
		struct cell *grown =
		    arena_grow(t->a, t->cells, &cap, t->nrows, sizeof(struct cell) * t->ncols);
		t->cells = grown;
		t->cap = cap;
	}
	struct cell *row = t->cells + t->nrows * t->ncols;
	memset(row, 0, sizeof(*row) * t->ncols);
	t->nrows++;
	return row;
}

struct cell cell_text(const char *s)
{
	return (struct cell){.t = s ? CELL_TEXT : CELL_EMPTY, .s = s};
}

struct cell cell_int(int64_t i)
{
	return (struct cell){.t = CELL_INT, .i = i};
}

struct cell cell_num(double d)
{
	return (struct cell){.t = isfinite(d) ? CELL_NUM : CELL_EMPTY, .d = d};
}

struct cell cell_share(double d)
{
	return (struct cell){.t = isfinite(d) ? CELL_SHARE : CELL_EMPTY, .d = d};
}

struct cell cell_money(int64_t minor)
{
	return (struct cell){.t = CELL_MONEY, .i = minor};
}

/* ---- one cell as shown ---- */

/* decode reads one UTF-8 character of s[0..n) into *cp; 0 when the bytes are not one. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
	if (len == 0 || s[0] > 0xF4 || len > n || !utf8_valid((const char *)s, len))
		return 0;
	uint32_t c = s[0] & (0x7F >> len);
	for (size_t i = 1; i < len; i++)
		c = c << 6 | (s[i] & 0x3F);
	*cp = c;
	return len;
}

/* safe_text appends s with invalid bytes as U+FFFD, control characters other than tab and
 * newline as spaces (XML cannot hold them, terminals act on them), a leading = + - @ tab or CR
 * neutralised by an apostrophe (a spreadsheet would run it as a formula), and at most
 * CELL_MAX_CHARS characters. */
static void safe_text(const char *s, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), chars = 0;
	if (n && strchr("=+-@\t\r", s[0]))
		buf_addc(out, '\''), chars++;
	while (n && chars < CELL_MAX_CHARS) {
		uint32_t c;
		size_t k = decode(p, n, &c);
		if (k == 0) {
			buf_adds(out, "\xEF\xBF\xBD");
			k = 1;
		} else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F ||
			   (c >= 0x80 && c < 0xA0)) {
			buf_addc(out, ' ');
		} else {
			buf_add(out, p, k);
		}
		p += k, n -= k, chars++;
	}
}

/* fixed appends units / 10^decimals with exactly that many decimals ("-12.50"). */
static void fixed(struct buf *out, int64_t units, int decimals)
{
	int64_t scale = decimals == 1 ? 10 : 100;
	uint64_t mag = units < 0 ? (uint64_t)0 - (uint64_t)units : (uint64_t)units;
	buf_printf(out, "%s%" PRIu64 ".%0*" PRIu64, units < 0 ? "-" : "", mag / (uint64_t)scale,
		   decimals, mag % (uint64_t)scale);
}

/* rounded gives d rounded half away from zero to units of 10^-decimals, as a whole number of
 * them (what a spreadsheet shows and what the XLSX stores, so both agree on ties). */
static int64_t rounded(double d, int decimals)
{
	double v = d * (decimals == 1 ? 10.0 : decimals == 3 ? 1000.0 : 100.0);
	if (v > 9e15)
		v = 9e15;
	if (v < -9e15)
		v = -9e15;
	return (int64_t)llround(v);
}

double table_cell_value(const struct cell *c)
{
	switch (c->t) {
	case CELL_INT:
		return (double)c->i;
	case CELL_NUM:
		return (double)rounded(c->d, 2) / 100.0;
	case CELL_SHARE:
		return (double)rounded(c->d, 3) / 1000.0;
	case CELL_MONEY:
		return (double)c->i / 100.0;
	default:
		return 0;
	}
}

void table_cell_str(const struct cell *c, struct buf *out)
{
	switch (c->t) {
	case CELL_EMPTY:
		break;
	case CELL_TEXT:
		safe_text(c->s ? c->s : "", out);
		break;
	case CELL_INT:
		buf_printf(out, "%" PRId64, c->i);
		break;
	case CELL_NUM:
		fixed(out, rounded(c->d, 2), 2);
		break;
	case CELL_SHARE:
		fixed(out, rounded(c->d, 3), 1);
		buf_addc(out, '%');
		break;
	case CELL_MONEY:
		fixed(out, c->i, 2);
		break;
	}
}

/* ---- CSV ---- */

static void csv_field(const char *s, size_t n, struct buf *out)
{
	if (strcspn(s, ",\"\r\n") == n) {
		buf_add(out, s, n);
		return;
	}
	buf_addc(out, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_addc(out, '"');
		buf_addc(out, s[i]);
	}
	buf_addc(out, '"');
}

static void csv_line(const struct cell *cells, size_t n, struct buf *out, struct buf *tmp)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addc(out, ',');
		buf_reset(tmp);
		table_cell_str(&cells[i], tmp);
		csv_field(tmp->data, tmp->len, out);
	}
	buf_adds(out, "\r\n");
}

void table_csv(const struct table *t, size_t ntables, struct buf *out)
{
	struct buf tmp;
	buf_init(&tmp, 0);
	for (size_t k = 0; k < ntables; k++) {
		const struct table *tb = &t[k];
		struct cell *head = arena_alloc(tb->a, sizeof(*head) * tb->ncols);
		for (size_t i = 0; i < tb->ncols; i++)
			head[i] = cell_text(tb->cols[i]);
		if (ntables > 1) {
			if (k)
				buf_adds(out, "\r\n");
			struct cell title = cell_text(tb->title);
			csv_line(&title, 1, out, &tmp);
		}
		csv_line(head, tb->ncols, out, &tmp);
		for (size_t r = 0; r < tb->nrows; r++)
			csv_line(tb->cells + r * tb->ncols, tb->ncols, out, &tmp);
	}
	buf_release(&tmp);
}

/* ---- text ---- */

/* wide says whether c takes two columns on a terminal (East Asian wide and fullwidth). */
static bool wide(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
	       (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
	       (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
	       (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
	       (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
}

/* zero_width says whether c takes no column (combining marks, joiners, variation selectors). */
static bool zero_width(uint32_t c)
{
	return (c >= 0x0300 && c <= 0x036F) || (c >= 0x0483 && c <= 0x0489) ||
	       (c >= 0x0591 && c <= 0x05BD) || (c >= 0x0610 && c <= 0x061A) ||
	       (c >= 0x064B && c <= 0x065F) ||
	       (c >= 0x0E31 && c <= 0x0E3A && c != 0x0E32 && c != 0x0E33) ||
	       (c >= 0x0E47 && c <= 0x0E4E) || (c >= 0x1AB0 && c <= 0x1AFF) ||
	       (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x200B && c <= 0x200F) ||
	       (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE00 && c <= 0xFE0F) ||
	       (c >= 0xFE20 && c <= 0xFE2F) || c == 0x00AD || c == 0xFEFF;
}

/* width gives the terminal columns of valid UTF-8 s[0..n) (safe_text's output). */
static size_t width(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;
	while (n) {
		uint32_t c;
		size_t k = decode(p, n, &c);
		if (k == 0)
			k = 1, c = '?';
		w += zero_width(c) ? 0 : wide(c) ? 2 : 1;
		p += k, n -= k;
	}
	return w;
}

/* shown gives cell c as one terminal line (newlines and tabs as spaces), in the arena. */
static const char *shown(struct arena *a, const struct cell *c, struct buf *tmp)
{
	buf_reset(tmp);
	table_cell_str(c, tmp);
	for (size_t i = 0; i < tmp->len; i++)
		if (tmp->data[i] == '\n' || tmp->data[i] == '\t')
			tmp->data[i] = ' ';
	return arena_strndup(a, tmp->data, tmp->len);
}

static void pad(struct buf *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_addc(out, ' ');
}

static void text_one(const struct table *t, struct buf *out, struct buf *tmp)
{
	size_t nc = t->ncols, nr = t->nrows + 1;
	const char **s = ARENA_ARRAY(t->a, const char *, nr *nc);
	size_t *w = ARENA_ARRAY(t->a, size_t, nr * nc), *colw = ARENA_ARRAY(t->a, size_t, nc);
	bool *right = ARENA_ARRAY(t->a, bool, nc);
	for (size_t i = 0; i < nc; i++) {
		struct cell h = cell_text(t->cols[i]);
		s[i] = shown(t->a, &h, tmp);
		right[i] = t->nrows > 0;
	}
	for (size_t r = 1; r < nr; r++)
		for (size_t i = 0; i < nc; i++) {
			const struct cell *c = &t->cells[(r - 1) * nc + i];
			s[r * nc + i] = shown(t->a, c, tmp);
			if (c->t == CELL_TEXT)
				right[i] = false; /* a text column reads better left-aligned */
		}
	for (size_t k = 0; k < nr * nc; k++) {
		w[k] = width(s[k], strlen(s[k]));
		if (w[k] > colw[k % nc])
			colw[k % nc] = w[k];
	}
	for (size_t r = 0; r < nr; r++) {
		size_t end = out->len;
		for (size_t i = 0; i < nc; i++) {
			size_t gap = colw[i] - w[r * nc + i];
			if (i)
				buf_adds(out, "  ");
			if (right[i])
				pad(out, gap);
			buf_adds(out, s[r * nc + i]);
			if (!right[i])
				pad(out, gap);
		}
		while (out->len > end && out->data[out->len - 1] == ' ')
			buf_truncate(out, out->len - 1);
		buf_addc(out, '\n');
		if (r == 0) {
			size_t total = 0;
			for (size_t i = 0; i < nc; i++)
				total += colw[i] + (i ? 2 : 0);
			for (size_t i = 0; i < total; i++)
				buf_addc(out, '-');
			buf_addc(out, '\n');
		}
	}
}

void table_text(const struct table *t, size_t ntables, struct buf *out)
{
	struct buf tmp;
	buf_init(&tmp, 0);
	for (size_t k = 0; k < ntables; k++) {
		if (k)
			buf_addc(out, '\n');
		if (t[k].title) {
			struct cell title = cell_text(t[k].title);
			buf_adds(out, shown(t[k].a, &title, &tmp));
			buf_addc(out, '\n');
		}
		text_one(&t[k], out, &tmp);
	}
	buf_release(&tmp);
}
