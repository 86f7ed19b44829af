/* csv.h - a CSV reader for files as Excel and Asterisk write them: comma, semicolon or tab,
 * fields quoted with '"' and doubled quotes inside, embedded newlines in quoted fields, CRLF or
 * LF line ends. Works on an in-memory UTF-8 text; every record knows the line it started on. */
#ifndef NC_CSV_H
#define NC_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

struct csv_field {
	const char *s; /* NUL-terminated, owned by the reader, valid until the next csv_next */
	size_t n;
	bool quoted; /* the field was written in quotes ("" is quoted-empty, nothing is not) */
};

struct csv_record {
	struct csv_field *f;
	size_t n;  /* number of fields */
	long line; /* 1-based line number where the record starts */
};

struct csv_reader;

/* csv_reader_new reads text[0..len) (UTF-8, a BOM is skipped). delim is ',', ';', '\t' or 0 to
 * detect it from the first record (the candidate that appears most outside quotes, ',' on a tie,
 * then ';' before '\t'). The reader borrows text: keep it alive until csv_reader_free. max_field
 * caps one field's bytes (0: 1 MiB). The caller owns the reader (never NULL: OOM aborts). */
struct csv_reader *csv_reader_new(const char *text, size_t len, char delim, size_t max_field);
/* csv_reader_free frees r and the fields it handed out; NULL is ignored. */
void csv_reader_free(struct csv_reader *r);

/* csv_delimiter returns the delimiter in use (after detection). */
char csv_delimiter(const struct csv_reader *r);

/* csv_next reads the next record into rec: 1 a record, 0 end of input, -1 error (an unterminated
 * quoted field, a field over max_field) with err naming the line (NC_EINVAL, message
 * "csv: line N: ...", err->ref the line the record started on, rec->line too, rec->n 0).
 * Text after a closing quote is kept as Excel keeps it ("ab"c reads as abc); a quote inside an
 * unquoted field is kept literally. A lone CR also ends a line. Empty lines are skipped. After an
 * error the reader continues at the line after the one the failed record started on. */
int csv_next(struct csv_reader *r, struct csv_record *rec, struct nc_err *err);

#endif
