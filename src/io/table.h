/* table.h - a report as tables of typed cells, written as CSV (RFC 4180), an aligned text table
 * for the terminal, or an XLSX workbook (io/xlsx.c, libxlsxwriter) with one sheet per table. The
 * CSV and the XLSX hold the same values in the same format, so a spreadsheet's own CSV export of
 * the XLSX equals our CSV. */
#ifndef NC_IO_TABLE_H
#define NC_IO_TABLE_H

#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

#include <stddef.h>
#include <stdint.h>

enum cell_type {
	CELL_EMPTY,
	CELL_TEXT,  /* s */
	CELL_INT,   /* i */
	CELL_NUM,   /* d, two decimals */
	CELL_SHARE, /* d in 0..1, shown as a percentage with one decimal */
	CELL_MONEY, /* i in minor units, shown with two decimals */
};
struct cell {
	enum cell_type t;
	const char *s;
	int64_t i;
	double d;
};
struct table {
	const char *title; /* the sheet's name (at most 31 bytes are used) */
	const char **cols;
	size_t ncols;
	struct cell *cells; /* nrows * ncols, row by row */
	size_t nrows, cap;
	struct arena *a;
};
void table_init(struct table *t, struct arena *a, const char *title, const char *const *cols,
		size_t ncols);
/* table_row appends a row of ncols empty cells and gives it to fill. */
struct cell *table_row(struct table *t);
/* Cell makers. */
struct cell cell_text(const char *s);
struct cell cell_int(int64_t i);
struct cell cell_num(double d);
struct cell cell_share(double d);
struct cell cell_money(int64_t minor);
/* table_cell_str appends cell c as every output shows it: CELL_INT "1234", CELL_NUM "12.50",
 * CELL_SHARE "15.2%", CELL_MONEY "1234.50" (rounded half away from zero, as a spreadsheet shows
 * the XLSX cell's format); text made safe: invalid bytes as U+FFFD, control characters other than
 * tab and newline as spaces, a leading = + - @ neutralised by an apostrophe, at most 32767
 * characters. CELL_EMPTY appends nothing. */
void table_cell_str(const struct cell *c, struct buf *out);
/* table_cell_value gives a number cell's value as the XLSX stores it (rounded as shown, money in
 * major units); 0 for text and empty cells. */
double table_cell_value(const struct cell *c);
/* table_csv appends the header and the rows as CSV (comma, CRLF, quoted when needed). Several
 * tables in one CSV are separated by an empty line, each with its title line first; a single
 * table is the header and the rows alone (what a spreadsheet writes for a one-sheet workbook). */
void table_csv(const struct table *t, size_t ntables, struct buf *out);
/* table_text appends an aligned table (UTF-8 width aware) for the terminal. */
void table_text(const struct table *t, size_t ntables, struct buf *out);
/* table_xlsx writes the tables as sheets of an XLSX file at path. */
int table_xlsx(const struct table *t, size_t ntables, const char *path, struct nc_err *err);
/* table_xlsx_bytes writes them to a temporary file and reads it back into out (for HTTP). */
int table_xlsx_bytes(const struct table *t, size_t ntables, struct buf *out, struct nc_err *err);

#endif
