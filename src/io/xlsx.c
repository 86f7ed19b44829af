/* xlsx.c - reports as XLSX workbooks (libxlsxwriter), one sheet per table: a bold header row,
 * number formats that show each cell exactly as table_cell_str writes it in the CSV, and columns
 * wide enough for their contents. */
#include "io/table.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define SHEET_NAME_MAX 31 /* bytes; a spreadsheet allows 31 characters */
#define COL_WIDTH_MIN  8
#define COL_WIDTH_MAX  60

struct formats {
	lxw_format *head, *integer, *num, *share, *money;
};

/* sheet_name makes t's title a valid, unused sheet name: no []:*?/\ characters, no apostrophe at
 * either end, at most 31 bytes cut at a character, "Sheet N" when empty, "~2"... when taken. */
static char *sheet_name(lxw_workbook *wb, const struct table *t, size_t k)
{
	char base[SHEET_NAME_MAX + 1], *name = xmalloc(SHEET_NAME_MAX + 1);
	const char *title = t->title ? t->title : "";
	size_t n = strlen(title);
	if (!utf8_valid(title, n))
		n = 0;
	n = utf8_prefix_len(title, n, SHEET_NAME_MAX);
	memcpy(base, title, n);
	base[n] = 0;
	for (char *p = base; *p; p++)
		if (strchr("[]:*?/\\", *p) || (unsigned char)*p < 0x20)
			*p = '_';
	if (base[0] == '\'')
		base[0] = '_';
	if (n && base[n - 1] == '\'')
		base[n - 1] = '_';
	if (!base[0])
		snprintf(base, sizeof(base), "Sheet %zu", k + 1);
	snprintf(name, SHEET_NAME_MAX + 1, "%s", base);
	for (int i = 2; workbook_get_worksheet_by_name(wb, name); i++) {
		char suffix[16];
		int sl = snprintf(suffix, sizeof(suffix), "~%d", i);
		size_t keep = utf8_prefix_len(base, strlen(base), SHEET_NAME_MAX - (size_t)sl);
		snprintf(name, SHEET_NAME_MAX + 1, "%.*s%s", (int)keep, base, suffix);
	}
	return name;
}

/* chars counts the characters of UTF-8 s (for column widths). */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static lxw_format *format_of(const struct formats *f, enum cell_type t)
{
	switch (t) {
	case CELL_INT:
		return f->integer;
	case CELL_NUM:
		return f->num;
	case CELL_SHARE:
		return f->share;
	case CELL_MONEY:
		return f->money;
	default:
		return NULL;
	}
}

/* sheet writes table t into ws; the first libxlsxwriter error is returned. */
static lxw_error sheet(lxw_worksheet *ws, const struct table *t, const struct formats *f,
		       struct buf *tmp)
{
	lxw_error e = LXW_NO_ERROR;
	size_t *w = xcalloc(t->ncols, sizeof(*w));
	for (size_t i = 0; i < t->ncols && !e; i++) {
		struct cell c = cell_text(t->cols[i]);
		buf_reset(tmp);
		table_cell_str(&c, tmp);
		e = worksheet_write_string(ws, 0, (lxw_col_t)i, tmp->data, f->head);
		w[i] = chars(tmp->data);
	}
	for (size_t r = 0; r < t->nrows && !e; r++) {
		for (size_t i = 0; i < t->ncols && !e; i++) {
			const struct cell *c = &t->cells[r * t->ncols + i];
			lxw_row_t row = (lxw_row_t)(r + 1);
			buf_reset(tmp);
			table_cell_str(c, tmp);
			if (c->t == CELL_TEXT)
				e = worksheet_write_string(ws, row, (lxw_col_t)i, tmp->data, NULL);
			else if (c->t != CELL_EMPTY)
				e = worksheet_write_number(ws, row, (lxw_col_t)i,
							   table_cell_value(c), format_of(f, c->t));
			size_t cw = chars(tmp->data);
			if (cw > w[i])
				w[i] = cw;
		}
	}
	for (size_t i = 0; i < t->ncols && !e; i++) {
		size_t width = w[i] + 2;
		width = width < COL_WIDTH_MIN ? COL_WIDTH_MIN : width;
		width = width > COL_WIDTH_MAX ? COL_WIDTH_MAX : width;
		e = worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, (double)width, NULL);
	}
	free(w);
	return e;
}

int table_xlsx(const struct table *t, size_t ntables, const char *path, struct nc_err *err)
{
	if (ntables == 0)
		return nc_error(err, NC_EINVAL, "a workbook needs at least one table");
	for (size_t k = 0; k < ntables; k++)
		if (t[k].nrows + 1 > LXW_ROW_MAX || t[k].ncols > LXW_COL_MAX)
			return nc_error(err, NC_EINVAL, "table \"%s\" is larger than a sheet",
					t[k].title ? t[k].title : "");
	/* libxlsxwriter only opens the file when closing the workbook, and then prints the error
	 * itself: find out first whether the file can be written */
	FILE *probe = fopen(path, "wb");
	if (!probe)
		return nc_error(err, NC_EIO, "cannot create \"%s\": %s", path, strerror(errno));
	fclose(probe);
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return nc_error(err, NC_EIO, "cannot create \"%s\": %s", path, strerror(errno));
	struct formats f = {
	    .head = workbook_add_format(wb),
	    .integer = workbook_add_format(wb),
	    .num = workbook_add_format(wb),
	    .share = workbook_add_format(wb),
	    .money = workbook_add_format(wb),
	};
	format_set_bold(f.head);
	format_set_num_format(f.integer, "0");
	format_set_num_format(f.num, "0.00");
	format_set_num_format(f.share, "0.0%");
	format_set_num_format(f.money, "0.00");
	struct buf tmp;
	buf_init(&tmp, 0);
	lxw_error e = LXW_NO_ERROR;
	for (size_t k = 0; k < ntables && !e; k++) {
		char *name = sheet_name(wb, &t[k], k);
		lxw_worksheet *ws = workbook_add_worksheet(wb, name);
		free(name);
		e = ws ? sheet(ws, &t[k], &f, &tmp) : LXW_ERROR_SHEETNAME_ALREADY_USED;
	}
	buf_release(&tmp);
	lxw_error closed = workbook_close(wb); /* frees wb even after an error */
	if (!e)
		e = closed;
	if (e) {
		unlink(path);
		return nc_error(err, NC_EIO, "cannot write \"%s\": %s", path, lxw_strerror(e));
	}
	return 0;
}

int table_xlsx_bytes(const struct table *t, size_t ntables, struct buf *out, struct nc_err *err)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof(path), "%s/nextcall-XXXXXX.xlsx", dir && *dir ? dir : "/tmp");
	int fd = mkstemps(path, 5);
	if (fd < 0)
		return nc_error(err, NC_EIO, "cannot create a temporary file in \"%s\": %s",
				dir && *dir ? dir : "/tmp", strerror(errno));
	close(fd);
	int rc = -1;
	FILE *fp = NULL;
	if (table_xlsx(t, ntables, path, err) < 0)
		goto out;
	fp = fopen(path, "rb");
	if (!fp) {
		nc_error(err, NC_EIO, "cannot read \"%s\": %s", path, strerror(errno));
		goto out;
	}
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(out, chunk, n);
	if (ferror(fp) || buf_failed(out)) {
		nc_error(err, NC_EIO, "cannot read \"%s\"", path);
		goto out;
	}
	rc = 0;
out:
	if (fp)
		fclose(fp);
	unlink(path);
	return rc;
}
