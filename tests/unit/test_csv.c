/* test_csv.c - the CSV reader on Excel and Asterisk files: delimiters, quotes, embedded
 * newlines, line numbers, errors and recovery, and the first lines of a real Master.csv. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "util/buf.h"
#include "util/file.h"

#define S(lit) lit, sizeof(lit) - 1 /* a literal with its length, NUL bytes included */

/* Records are written "line:" then each field as [text] (unquoted) or Q[text] (quoted), one per
 * line; a failed record is "line:ERR" and its message goes to errors. */
struct csv_case {
	const char *name;
	const char *in;
	size_t n;
	char delim;	  /* given to the reader, 0 to detect */
	size_t max_field; /* 0 for the default */
	char want_delim;
	const char *want;
	const char *want_errors;
};

static const struct csv_case cases[] = {
    {"test_csv__comma", S("a,b,c\n1,2,3\n"), 0, 0, ',', "1:[a][b][c]\n2:[1][2][3]\n", ""},
    {"test_csv__semicolon", S("name;phone\n\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD;+7 912\n"), 0, 0, ';',
     "1:[name][phone]\n2:[Иван][+7 912]\n", ""},
    {"test_csv__tab", S("a\tb\tc\nx y\t\t z\n"), 0, 0, '\t', "1:[a][b][c]\n2:[x y][][ z]\n", ""},
    {"test_csv__quoted", S("\"a\",\"b,c\";d\n"), ',', 0, ',', "1:Q[a]Q[b,c;d]\n", ""},
    {"test_csv__doubled_quotes", S("\"say \"\"hi\"\"\",\"\"\"\"\n"), 0, 0, ',',
     "1:Q[say \"hi\"]Q[\"]\n", ""},
    {"test_csv__quoted_newline", S("a,\"line1\nline2\",b\nc,d,e\n"), 0, 0, ',',
     "1:[a]Q[line1\nline2][b]\n3:[c][d][e]\n", ""},
    {"test_csv__quoted_newlines_then_records", S("\"1\n2\n3\"\nx\n\"\n\"\ny\n"), 0, 0, ',',
     "1:Q[1\n2\n3]\n4:[x]\n5:Q[\n]\n7:[y]\n", ""},
    {"test_csv__quoted_crlf_kept", S("\"x\r\ny\"\r\nz\r\n"), 0, 0, ',', "1:Q[x\r\ny]\n3:[z]\n", ""},
    {"test_csv__crlf", S("a;b\r\nc;d\r\n"), 0, 0, ';', "1:[a][b]\n2:[c][d]\n", ""},
    {"test_csv__lone_cr", S("a\rb\r\rc"), 0, 0, ',', "1:[a]\n2:[b]\n4:[c]\n", ""},
    {"test_csv__empty_lines_skipped", S("\n\na,b\n\n\r\nc,d\n\n"), 0, 0, ',',
     "3:[a][b]\n6:[c][d]\n", ""},
    {"test_csv__bom_skipped", S("\xEF\xBB\xBF\"a\";b\n"), 0, 0, ';', "1:Q[a][b]\n", ""},
    {"test_csv__empty_fields", S(",,\n\"\",x,\"\"\n"), 0, 0, ',', "1:[][][]\n2:Q[][x]Q[]\n", ""},
    {"test_csv__no_final_newline", S("a,b\nc,"), 0, 0, ',', "1:[a][b]\n2:[c][]\n", ""},
    {"test_csv__empty_input", S(""), 0, 0, ',', "", ""},
    {"test_csv__only_line_ends", S("\n\r\n\r"), 0, 0, ',', "", ""},
    {"test_csv__spaces_kept", S(" a , b \n"), 0, 0, ',', "1:[ a ][ b ]\n", ""},
    {"test_csv__text_after_closing_quote", S("\"ab\"c,\"x\" y\n"), 0, 0, ',', "1:Q[abc]Q[x y]\n",
     ""},
    {"test_csv__quote_inside_unquoted", S("5\" disk,a\"b\"\n"), 0, 0, ',', "1:[5\" disk][a\"b\"]\n",
     ""},
    {"test_csv__hostile_values", S("<script>alert(1)</script>;'; DROP TABLE clients;--\n"), ';', 0,
     ';', "1:[<script>alert(1)</script>]['][ DROP TABLE clients][--]\n", ""},
    {"test_csv__unterminated_quote", S("a,b\nc,\"open\nd,e\n"), 0, 0, ',',
     "1:[a][b]\n2:ERR\n3:[d][e]\n", "csv: line 2: unterminated quoted field\n"},
    {"test_csv__unterminated_quote_later_line", S("a,\"x\ny\",\"z\nq\n"), 0, 0, ',',
     "1:ERR\n2:ERR\n3:[q]\n",
     "csv: line 2: unterminated quoted field\ncsv: line 2: unterminated quoted field\n"},
    {"test_csv__field_too_long", S("ab,cd\nabcdef,x\ngh\n"), 0, 4, ',',
     "1:[ab][cd]\n2:ERR\n3:[gh]\n", "csv: line 2: field 1 is longer than 4 bytes\n"},
    {"test_csv__second_field_too_long", S("a,abcde\nb,c\n"), 0, 4, ',', "1:ERR\n2:[b][c]\n",
     "csv: line 1: field 2 is longer than 4 bytes\n"},
    {"test_csv__quoted_field_too_long", S("\"abc\"\"de\"\nok\n"), 0, 4, ',', "1:ERR\n2:[ok]\n",
     "csv: line 1: field 1 is longer than 4 bytes (is a closing quote missing?)\n"},
    {"test_csv__field_at_max", S("abcd,\"ab\"\"c\",\"ab\"cd\n"), 0, 4, ',',
     "1:[abcd]Q[ab\"c]Q[abcd]\n", ""},
    {"test_csv__tail_after_quote_too_long", S("\"ab\"cde\n"), 0, 4, ',', "1:ERR\n",
     "csv: line 1: field 1 is longer than 4 bytes (is a closing quote missing?)\n"},
    {"test_csv__detect_ignores_quoted", S("\"a;b;c\",d\n"), 0, 0, ',', "1:Q[a;b;c][d]\n", ""},
    {"test_csv__detect_tie_is_comma", S("a;b,c\n1;2;3\n"), 0, 0, ',', "1:[a;b][c]\n2:[1;2;3]\n",
     ""},
    {"test_csv__detect_semicolon_beats_tab", S("a;b\tc;d\te\n"), 0, 0, ';', "1:[a][b\tc][d\te]\n",
     ""},
    {"test_csv__detect_first_record_only", S("\n\"a,b\nc,d\";e\nf,g,h\n"), 0, 0, ';',
     "2:Q[a,b\nc,d][e]\n4:[f,g,h]\n", ""},
    {"test_csv__detect_no_delimiter", S("one\ntwo\n"), 0, 0, ',', "1:[one]\n2:[two]\n", ""},
    {"test_csv__explicit_delimiter", S("a,b;c\n"), ';', 0, ';', "1:[a,b][c]\n", ""},
    {"test_csv__explicit_tab", S("a;b\tc,d\n"), '\t', 0, '\t', "1:[a;b][c,d]\n", ""},
};

/* dump reads every record of c's input into out (see the format above) and errs. */
static void dump(const struct csv_case *c, struct buf *out, struct buf *errs)
{
	struct csv_reader *r = csv_reader_new(c->in, c->n, c->delim, c->max_field);
	struct csv_record rec;
	struct nc_err err;
	int rc;

	assert_int_equal(csv_delimiter(r), c->want_delim);
	while ((rc = csv_next(r, &rec, &err)) != 0) {
		buf_printf(out, "%ld:", rec.line);
		if (rc < 0) {
			assert_int_equal(err.code, NC_EINVAL);
			assert_int_equal(err.ref, rec.line);
			assert_int_equal(rec.n, 0);
			buf_printf(errs, "%s\n", err.msg);
			buf_adds(out, "ERR\n");
			continue;
		}
		for (size_t i = 0; i < rec.n; i++) {
			assert_int_equal(rec.f[i].s[rec.f[i].n], '\0');
			buf_adds(out, rec.f[i].quoted ? "Q[" : "[");
			buf_add(out, rec.f[i].s, rec.f[i].n);
			buf_adds(out, "]");
		}
		buf_adds(out, "\n");
	}
	assert_int_equal(csv_next(r, &rec, &err), 0); /* and stays at the end */
	csv_reader_free(r);
}

static void run_case(void **state)
{
	const struct csv_case *c = *state;
	struct buf out, errs;
	buf_init(&out, 0);
	buf_init(&errs, 0);
	dump(c, &out, &errs);
	assert_string_equal(out.data, c->want);
	assert_string_equal(errs.data, c->want_errors);
	buf_release(&out);
	buf_release(&errs);
}

static void test_csv__nul_byte_in_field(void **state)
{
	struct csv_reader *r = csv_reader_new("a\0b,c\n", 6, 0, 0);
	struct csv_record rec;
	assert_int_equal(csv_next(r, &rec, NULL), 1);
	assert_int_equal(rec.n, 2);
	assert_int_equal(rec.f[0].n, 3);
	assert_memory_equal(rec.f[0].s, "a\0b", 4);
	assert_string_equal(rec.f[1].s, "c");
	assert_int_equal(csv_next(r, &rec, NULL), 0);
	csv_reader_free(r);
}

static void test_csv__null_text(void **state)
{
	struct csv_reader *r = csv_reader_new(NULL, 0, 0, 0);
	struct csv_record rec;
	assert_int_equal(csv_delimiter(r), ',');
	assert_int_equal(csv_next(r, &rec, NULL), 0);
	assert_int_equal(rec.n, 0);
	csv_reader_free(r);
	csv_reader_free(NULL);
}

static void test_csv__many_records(void **state)
{
	struct buf in;
	buf_init(&in, 0);
	for (int i = 1; i <= 5000; i++)
		buf_printf(&in, "%d;\"name %d\";\"multi\nline\";%d\n", i, i, i * 2);
	struct csv_reader *r = csv_reader_new(in.data, in.len, 0, 0);
	struct csv_record rec;
	struct nc_err err;
	long want_line = 1;
	int count = 0;
	while (csv_next(r, &rec, &err) == 1) {
		char want[32];
		count++;
		assert_int_equal(rec.line, want_line);
		assert_int_equal(rec.n, 4);
		snprintf(want, sizeof(want), "name %d", count);
		assert_string_equal(rec.f[1].s, want);
		want_line += 2;
	}
	assert_int_equal(count, 5000);
	csv_reader_free(r);
	buf_release(&in);
}

/* read_sample loads tests/data/cdr_master_sample.csv: from $NC_TEST_DATA when set, else next to
 * this source file (__FILE__ is relative to where the compiler ran, as is the test's cwd). */
static char *read_sample(size_t *len)
{
	char path[512];
	const char *dir = getenv("NC_TEST_DATA");
	if (dir)
		snprintf(path, sizeof(path), "%s/cdr_master_sample.csv", dir);
	else
		snprintf(path, sizeof(path), "%.*sdata/cdr_master_sample.csv",
			 (int)(strlen(__FILE__) - strlen("unit/test_csv.c")), __FILE__);
	struct buf b;
	struct nc_err err;
	buf_init(&b, 0);
	if (file_read(path, NULL, &b, &err) < 0)
		fail_msg("%s (set NC_TEST_DATA to tests/data)", err.msg);
	return buf_detach(&b, len);
}

static void test_csv__asterisk_master_sample(void **state)
{
	size_t len;
	char *text = read_sample(&len);
	struct csv_reader *r = csv_reader_new(text, len, 0, 0);
	struct csv_record rec;
	struct nc_err err;

	assert_int_equal(csv_delimiter(r), ','); /* despite ";2" inside the channel names */
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_int_equal(rec.line, 1);
	assert_int_equal(rec.n, 18);
	assert_string_equal(rec.f[0].s, "");
	assert_true(rec.f[0].quoted);
	assert_string_equal(rec.f[1].s, "5551001");
	assert_string_equal(rec.f[4].s, "\"Alice Customer\" <5551001>");
	assert_string_equal(rec.f[5].s, "Local/6000@from-trunk-00000000;2");
	assert_string_equal(rec.f[8].s, "Local/201@phones,20");
	assert_string_equal(rec.f[10].s, "2026-11-22 17:11:00");
	assert_string_equal(rec.f[12].s, "11");
	assert_false(rec.f[12].quoted);
	assert_string_equal(rec.f[13].s, "8");
	assert_false(rec.f[13].quoted);
	assert_string_equal(rec.f[14].s, "ANSWERED");
	assert_string_equal(rec.f[16].s, "1795367457.1");
	assert_string_equal(rec.f[17].s, "inbound-did-6000");

	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_int_equal(rec.line, 2);
	assert_int_equal(rec.n, 18);
	assert_string_equal(rec.f[4].s, "\"Bob Prospect\" <5551002>");
	assert_string_equal(rec.f[10].s, ""); /* no answer: an empty unquoted field */
	assert_false(rec.f[10].quoted);
	assert_string_equal(rec.f[14].s, "NO ANSWER");

	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_int_equal(rec.line, 3);
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_int_equal(rec.line, 4);
	assert_string_equal(rec.f[14].s, "BUSY");
	assert_string_equal(rec.f[17].s, "");
	assert_true(rec.f[17].quoted);
	assert_int_equal(csv_next(r, &rec, &err), 0);
	csv_reader_free(r);
	free(text);
}

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

int main(void)
{
	struct CMUnitTest tests[N_CASES + 4];
	size_t n = 0;
	for (size_t i = 0; i < N_CASES; i++)
		tests[n++] = (struct CMUnitTest){.name = cases[i].name,
						 .test_func = run_case,
						 .initial_state = (void *)&cases[i]};
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_csv__nul_byte_in_field);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_csv__null_text);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_csv__many_records);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_csv__asterisk_master_sample);
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL) ? 1 : 0;
}
