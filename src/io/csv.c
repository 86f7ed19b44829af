/* csv.c - the CSV reader: a cursor over borrowed text that copies each record's fields,
 * unquoted and NUL-terminated, into one reader-owned buffer. */
#include "io/csv.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>

#define CSV_DEFAULT_MAX_FIELD ((size_t)1 << 20)

struct csv_reader {
	const char *p, *end; /* cursor into the borrowed text */
	long line;	     /* line of the byte at p */
	char delim;
	size_t max_field;

	char *data; /* the current record's fields, each followed by a NUL */
	size_t len, alloc;

	struct csv_field *f; /* f[i].s is only set once the record is complete (data moves) */
	size_t *off;	     /* where f[i] starts in data */
	size_t nf, af;
};

static bool is_eol(char c)
{
	return c == '\n' || c == '\r';
}

/* eol_len is the length of the line end at p (CRLF, LF or a lone CR), 0 when none. */
static size_t eol_len(const char *p, const char *end)
{
	if (p >= end || !is_eol(*p))
		return 0;
	return (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
}

/* count_lines counts the line ends in s[0..n), a CRLF counting once. */
static long count_lines(const char *s, size_t n)
{
	long lines = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
			lines++;
	return lines;
}

static bool is_candidate(char c)
{
	return c == ',' || c == ';' || c == '\t';
}

/* detect_delim counts ',', ';' and '\t' outside quotes in the first record of p[0..end). A quote
 * opens a quoted section only where a field can start (line start or after a candidate), as the
 * parser does. */
static char detect_delim(const char *p, const char *end)
{
	size_t comma = 0, semi = 0, tab = 0;
	bool quoted = false, field_start = true;

	while (p < end && is_eol(*p))
		p++;
	for (; p < end; p++) {
		char c = *p;
		if (quoted) {
			if (c == '"' && p + 1 < end && p[1] == '"')
				p++;
			else if (c == '"')
				quoted = false;
			continue;
		}
		if (is_eol(c))
			break;
		if (c == '"' && field_start)
			quoted = true;
		comma += c == ',';
		semi += c == ';';
		tab += c == '\t';
		field_start = is_candidate(c);
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

struct csv_reader *csv_reader_new(const char *text, size_t len, char delim, size_t max_field)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));
	if (!text) {
		text = "";
		len = 0;
	}
	r->p = text;
	r->end = text + len;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		r->p += 3;
	r->line = 1;
	r->delim = is_candidate(delim) ? delim : detect_delim(r->p, r->end);
	r->max_field = max_field ? max_field : CSV_DEFAULT_MAX_FIELD;
	return r;
}

void csv_reader_free(struct csv_reader *r)
{
	if (!r)
		return;
	free(r->data);
	free(r->f);
	free(r->off);
	free(r);
}

char csv_delimiter(const struct csv_reader *r)
{
	return r->delim;
}

static void append(struct csv_reader *r, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (n > r->alloc - r->len) {
		size_t na = r->alloc ? r->alloc : 256;
		while (na - r->len < n)
			na *= 2;
		r->data = xrealloc(r->data, na);
		r->alloc = na;
	}
	memcpy(r->data + r->len, s, n);
	r->len += n;
}

static void start_field(struct csv_reader *r, bool quoted)
{
	if (r->nf == r->af) {
		r->af = r->af ? r->af * 2 : 16;
		r->f = xrealloc(r->f, r->af * sizeof(*r->f));
		r->off = xrealloc(r->off, r->af * sizeof(*r->off));
	}
	r->f[r->nf].s = NULL;
	r->f[r->nf].n = 0;
	r->f[r->nf].quoted = quoted;
	r->off[r->nf] = r->len;
	r->nf++;
}

static void end_field(struct csv_reader *r)
{
	r->f[r->nf - 1].n = r->len - r->off[r->nf - 1];
	append(r, "", 1);
}

static int too_long(struct csv_reader *r, long line, bool quoted, struct nc_err *err)
{
	nc_error(err, NC_EINVAL, "csv: line %ld: field %zu is longer than %zu bytes%s", line, r->nf,
		 r->max_field, quoted ? " (is a closing quote missing?)" : "");
	return -1;
}

/* read_plain appends the unquoted text at the cursor up to the delimiter, a line end or the end
 * of input to the current field (the whole field, or what follows a closing quote). */
static int read_plain(struct csv_reader *r, long line, bool quoted, struct nc_err *err)
{
	const char *s = r->p;
	while (s < r->end && *s != r->delim && !is_eol(*s))
		s++;
	size_t n = (size_t)(s - r->p);
	if (n > r->max_field - (r->len - r->off[r->nf - 1]))
		return too_long(r, line, quoted, err);
	append(r, r->p, n);
	r->p = s;
	return 0;
}

/* read_quoted reads a quoted field from its opening quote to its closing one, turning "" into ",
 * keeping line ends and counting them. */
static int read_quoted(struct csv_reader *r, struct nc_err *err)
{
	long open_line = r->line;
	size_t start = r->off[r->nf - 1];

	r->p++;
	for (;;) {
		const char *q = memchr(r->p, '"', (size_t)(r->end - r->p));
		const char *seg_end = q ? q : r->end;
		size_t n = (size_t)(seg_end - r->p);
		if (n > r->max_field - (r->len - start))
			return too_long(r, open_line, true, err);
		r->line += count_lines(r->p, n);
		append(r, r->p, n);
		if (!q)
			return nc_error(err, NC_EINVAL, "csv: line %ld: unterminated quoted field",
					open_line);
		r->p = q + 1;
		if (r->p == r->end || *r->p != '"')
			return 0;
		if (r->len - start >= r->max_field)
			return too_long(r, open_line, true, err);
		append(r, "\"", 1);
		r->p++;
	}
}

/* read_record reads fields up to the end of the record's last line, consuming the line end. */
static int read_record(struct csv_reader *r, struct nc_err *err)
{
	for (;;) {
		long line = r->line;
		bool quoted = r->p < r->end && *r->p == '"';
		start_field(r, quoted);
		if (quoted && read_quoted(r, err) < 0)
			return -1;
		/* after a closing quote, text up to the delimiter is kept as Excel keeps it */
		if (read_plain(r, line, quoted, err) < 0)
			return -1;
		end_field(r);
		if (r->p < r->end && *r->p == r->delim) {
			r->p++;
			continue;
		}
		size_t eol = eol_len(r->p, r->end);
		if (eol) {
			r->p += eol;
			r->line++;
		}
		return 0;
	}
}

/* resync moves the cursor to the start of the line after the one at start (line). */
static void resync(struct csv_reader *r, const char *start, long line)
{
	const char *s = start;
	while (s < r->end && !is_eol(*s))
		s++;
	r->p = s + eol_len(s, r->end);
	r->line = line + 1;
}

int csv_next(struct csv_reader *r, struct csv_record *rec, struct nc_err *err)
{
	size_t eol;

	rec->f = NULL;
	rec->n = 0;
	while ((eol = eol_len(r->p, r->end)) > 0) {
		r->p += eol;
		r->line++;
	}
	rec->line = r->line;
	if (r->p >= r->end)
		return 0;

	const char *start = r->p;
	r->len = 0;
	r->nf = 0;
	if (read_record(r, err) < 0) {
		if (err)
			err->ref = rec->line;
		resync(r, start, rec->line);
		return -1;
	}
	for (size_t i = 0; i < r->nf; i++)
		r->f[i].s = r->data + r->off[i];
	rec->f = r->f;
	rec->n = r->nf;
	return 1;
}
