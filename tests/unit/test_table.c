/* test_table.c - unit tests of io/table.c and io/xlsx.c: how each cell type is shown, CSV quoting
 * and layout, the aligned text table with wide and combining characters, and the XLSX writer's
 * files and errors. (That LibreOffice reads the XLSX back as our CSV is tests/http's check.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <math.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/table.h"

static const char *shown(struct buf *b, struct cell c)
{
	buf_reset(b);
	table_cell_str(&c, b);
	return b->data;
}

static void test_table__cells_shown(void **state)
{
	static const struct {
		struct cell c;
		const char *want;
	} cases[] = {
	    {{CELL_INT, NULL, 1234, 0}, "1234"},
	    {{CELL_INT, NULL, -7, 0}, "-7"},
	    {{CELL_INT, NULL, INT64_MIN, 0}, "-9223372036854775808"},
	    {{CELL_NUM, NULL, 0, 12.5}, "12.50"},
	    {{CELL_NUM, NULL, 0, 0.125}, "0.13"}, /* half away from zero, as a spreadsheet */
	    {{CELL_NUM, NULL, 0, -0.125}, "-0.13"},
	    {{CELL_NUM, NULL, 0, -0.001}, "0.00"},
	    {{CELL_NUM, NULL, 0, 0}, "0.00"},
	    {{CELL_SHARE, NULL, 0, 0.152}, "15.2%"},
	    {{CELL_SHARE, NULL, 0, 0.0005}, "0.1%"},
	    {{CELL_SHARE, NULL, 0, 1}, "100.0%"},
	    {{CELL_SHARE, NULL, 0, -0.25}, "-25.0%"},
	    {{CELL_SHARE, NULL, 0, 0}, "0.0%"},
	    {{CELL_MONEY, NULL, 123450, 0}, "1234.50"},
	    {{CELL_MONEY, NULL, -5, 0}, "-0.05"},
	    {{CELL_MONEY, NULL, 0, 0}, "0.00"},
	    {{CELL_EMPTY, NULL, 0, 0}, ""},
	    {{CELL_TEXT, "Анна", 0, 0}, "Анна"},
	    {{CELL_TEXT, "=1+1", 0, 0}, "'=1+1"}, /* formula starts are neutralised */
	    {{CELL_TEXT, "+7 912", 0, 0}, "'+7 912"},
	    {{CELL_TEXT, "-5", 0, 0}, "'-5"},
	    {{CELL_TEXT, "@SUM(A1)", 0, 0}, "'@SUM(A1)"},
	    {{CELL_TEXT, "a=b", 0, 0}, "a=b"},
	    {{CELL_TEXT, "bad\xff", 0, 0}, "bad\xEF\xBF\xBD"},
	    {{CELL_TEXT, "x\x01y\rz", 0, 0}, "x y z"},
	    {{CELL_TEXT, "tab\there\nnl", 0, 0}, "tab\there\nnl"},
	    {{CELL_TEXT, "", 0, 0}, ""},
	};
	struct buf b;
	buf_init(&b, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(shown(&b, cases[i].c), cases[i].want);
	buf_release(&b);
}

static void test_table__makers(void **state)
{
	assert_int_equal(cell_text(NULL).t, CELL_EMPTY);
	assert_int_equal(cell_text("x").t, CELL_TEXT);
	assert_int_equal(cell_num(NAN).t, CELL_EMPTY);
	assert_int_equal(cell_share(INFINITY).t, CELL_EMPTY);
	assert_int_equal(cell_money(5).i, 5);
	/* the value the XLSX stores is rounded as shown */
	struct cell n = cell_num(0.125), s = cell_share(0.15249), m = cell_money(123450);
	assert_true(table_cell_value(&n) == 0.13);
	assert_true(table_cell_value(&s) == 0.152);
	assert_true(table_cell_value(&m) == 1234.5);
}

static void test_table__csv_quotes_and_layout(void **state)
{
	struct arena a;
	arena_init(&a);
	static const char *const cols[] = {"name", "n"};
	struct table t[2];
	table_init(&t[0], &a, "First", cols, 2);
	const char *names[] = {"a,b", "say \"hi\"", "two\nlines", "plain"};
	for (int i = 0; i < 4; i++) {
		struct cell *row = table_row(&t[0]);
		row[0] = cell_text(names[i]);
		row[1] = cell_int(i);
	}
	table_init(&t[1], &a, "Second, too", cols, 2);
	struct buf b;
	buf_init(&b, 0);
	table_csv(t, 1, &b); /* one table: no title line */
	assert_string_equal(b.data, "name,n\r\n\"a,b\",0\r\n\"say \"\"hi\"\"\",1\r\n"
				    "\"two\nlines\",2\r\nplain,3\r\n");
	buf_reset(&b);
	table_csv(t, 2, &b); /* several: each titled, an empty line between */
	assert_string_equal(b.data,
			    "First\r\nname,n\r\n\"a,b\",0\r\n\"say \"\"hi\"\"\",1\r\n"
			    "\"two\nlines\",2\r\nplain,3\r\n\r\n\"Second, too\"\r\nname,n\r\n");
	buf_release(&b);
	arena_release(&a);
}

static void test_table__many_rows(void **state)
{
	struct arena a;
	arena_init(&a);
	static const char *const cols[] = {"day", "calls", "share"};
	struct table t;
	table_init(&t, &a, "Days", cols, 3);
	for (int i = 0; i < 366; i++) {
		struct cell *row = table_row(&t);
		row[0] = cell_text(arena_printf(&a, "d%03d", i));
		row[1] = cell_int(i);
		row[2] = cell_share(i / 366.0);
	}
	assert_int_equal(t.nrows, 366);
	assert_string_equal(t.cells[365 * 3].s, "d365");
	assert_int_equal(t.cells[200 * 3 + 1].i, 200);
	struct buf b;
	buf_init(&b, 0);
	table_csv(&t, 1, &b);
	assert_non_null(strstr(b.data, "\r\nd365,365,99.7%\r\n"));
	buf_release(&b);
	arena_release(&a);
}

static void test_table__text_aligns_by_display_width(void **state)
{
	struct arena a;
	arena_init(&a);
	static const char *const cols[] = {"Rep", "Calls", "Conv"};
	struct table t;
	table_init(&t, &a, "Reps", cols, 3);
	const char *names[] = {"Анна", "日本", "e\xCC\x81t\xC3\xA9", "x\ty"};
	for (int i = 0; i < 4; i++) {
		struct cell *row = table_row(&t);
		row[0] = cell_text(names[i]);
		row[1] = cell_int(i * 100);
		row[2] = cell_share(0.5);
	}
	struct buf b;
	buf_init(&b, 0);
	table_text(&t, 1, &b);
	/* Анна is 4 columns, 日本 4 (wide), "ét" with a combining accent 3, tab shown as space */
	assert_string_equal(b.data, "Reps\n"
				    "Rep   Calls   Conv\n"
				    "------------------\n"
				    "Анна      0  50.0%\n"
				    "日本    100  50.0%\n"
				    "e\xCC\x81t\xC3\xA9     200  50.0%\n"
				    "x y     300  50.0%\n");
	buf_release(&b);
	arena_release(&a);
}

static void test_table__text_empty_table(void **state)
{
	struct arena a;
	arena_init(&a);
	static const char *const cols[] = {"Source", "Calls"};
	struct table t;
	table_init(&t, &a, NULL, cols, 2);
	struct buf b;
	buf_init(&b, 0);
	table_text(&t, 1, &b);
	assert_string_equal(b.data, "Source  Calls\n-------------\n");
	buf_release(&b);
	arena_release(&a);
}

/* sample builds two tables with every cell type, a hostile sheet name and a duplicate one. */
static void sample(struct arena *a, struct table *t)
{
	static const char *const cols[] = {"Metric", "Count", "Share", "Amount", "Avg"};
	table_init(&t[0], a, "Summary: [all]/*?", cols, 5);
	struct cell *row = table_row(&t[0]);
	row[0] = cell_text("=cmd|' /C calc'!A0");
	row[1] = cell_int(42);
	row[2] = cell_share(0.152);
	row[3] = cell_money(123450);
	row[4] = cell_num(2.5);
	table_init(&t[1], a, "Summary: [all]/*?", cols, 2);
}

static void test_table__xlsx_file(void **state)
{
	struct arena a;
	arena_init(&a);
	struct table t[2];
	sample(&a, t);
	char dir[] = "/tmp/nc-test-table-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof(path), "%s/r.xlsx", dir);
	struct nc_err err = {0};
	assert_int_equal(table_xlsx(t, 2, path, &err), 0);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char magic[4] = {0};
	assert_int_equal(fread(magic, 1, 4, f), 4);
	fclose(f);
	assert_memory_equal(magic, "PK\x03\x04", 4); /* a ZIP container */
	unlink(path);
	rmdir(dir);
	arena_release(&a);
}

static void test_table__xlsx_bytes_leaves_no_file(void **state)
{
	struct arena a;
	arena_init(&a);
	struct table t[2];
	sample(&a, t);
	char dir[] = "/tmp/nc-test-table-XXXXXX";
	assert_non_null(mkdtemp(dir));
	setenv("TMPDIR", dir, 1);
	struct buf b;
	buf_init(&b, 0);
	struct nc_err err = {0};
	assert_int_equal(table_xlsx_bytes(t, 2, &b, &err), 0);
	assert_true(b.len > 1000);
	assert_memory_equal(b.data, "PK\x03\x04", 4);
	DIR *d = opendir(dir);
	assert_non_null(d);
	int files = 0;
	for (struct dirent *e; (e = readdir(d));)
		files += e->d_name[0] != '.';
	closedir(d);
	assert_int_equal(files, 0); /* the temporary file is gone */
	unsetenv("TMPDIR");
	rmdir(dir);
	buf_release(&b);
	arena_release(&a);
}

static void test_table__xlsx_errors(void **state)
{
	struct arena a;
	arena_init(&a);
	struct table t[2];
	sample(&a, t);
	struct nc_err err = {0};
	assert_int_equal(table_xlsx(t, 2, "/nonexistent-dir/r.xlsx", &err), -1);
	assert_int_equal(err.code, NC_EIO);
	assert_non_null(strstr(err.msg, "/nonexistent-dir/r.xlsx"));
	nc_err_clear(&err);
	assert_int_equal(table_xlsx(t, 0, "/tmp/never.xlsx", &err), -1);
	assert_int_equal(err.code, NC_EINVAL);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table__cells_shown),
	    cmocka_unit_test(test_table__makers),
	    cmocka_unit_test(test_table__csv_quotes_and_layout),
	    cmocka_unit_test(test_table__many_rows),
	    cmocka_unit_test(test_table__text_aligns_by_display_width),
	    cmocka_unit_test(test_table__text_empty_table),
	    cmocka_unit_test(test_table__xlsx_file),
	    cmocka_unit_test(test_table__xlsx_bytes_leaves_no_file),
	    cmocka_unit_test(test_table__xlsx_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
