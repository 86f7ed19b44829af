/* test_cdr.c - the CDR reader on Asterisk's files: every cdr_csv column layout (built from the
 * captured 18-column lines), cdr_custom's legacy mapping in local time, the quoting quirks, the
 * unquoted empty answer, bad lines by number, and channel names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/cdr.h"
#include "util/buf.h"

/* Lines of tests/data/asterisk/Master.csv (captured, 18 columns): A16 and B16 are lines 1 and 2
 * without their uniqueid and userfield, A_UID/A_UF/B_UID those columns; NEWCOLS is what
 * newcdrcolumns=yes appends (peeraccount, linkedid, an unquoted sequence). */
#define A16                                                                                        \
	"\"\",\"5551001\",\"6000\",\"from-trunk\",\"\"\"Alice Customer\"\" "                       \
	"<5551001>\",\"Local/6000@from-trunk-00000000;2\",\"Local/"                                \
	"201@phones-00000001;1\",\"Dial\",\"Local/201@phones,20\",\"2026-11-22 "                   \
	"17:10:57\",\"2026-11-22 17:11:00\",\"2026-11-22 "                                         \
	"17:11:08\",11,8,\"ANSWERED\",\"DOCUMENTATION\""
#define A_UID ",\"1795367457.1\""
#define A_UF  ",\"inbound-did-6000\""
#define B16                                                                                        \
	"\"\",\"5551002\",\"6001\",\"from-trunk\",\"\"\"Bob Prospect\"\" "                         \
	"<5551002>\",\"Local/6001@from-trunk-00000002;2\",\"Local/"                                \
	"202@phones-00000003;1\",\"Dial\",\"Local/202@phones,12\",\"2026-11-22 "                   \
	"17:11:11\",,\"2026-11-22 17:11:23\",12,0,\"NO ANSWER\",\"DOCUMENTATION\""
#define B_UID	",\"1795367471.5\""
#define NEWCOLS ",\"peer\",\"1795367457.1\",7"
#define SMITH                                                                                      \
	"\"\",\"+15551007007\",\"6004\",\"from-trunk\",\"\"\"Smith, John \\\"\"JJ\\\"\"\"\" "      \
	"<+15551007007>\",\"Local/6004@from-trunk-0000000c;2\",\"\",\"Hangup\",\"\",\"2026-11-22 " \
	"17:11:56\",\"2026-11-22 17:11:56\",\"2026-11-22 "                                         \
	"17:12:01\",4,4,\"ANSWERED\",\"DOCUMENTATION\",\"1795367516.25\",\"\""
#define JOSE                                                                                       \
	"\"\",\"5551008\",\"6004\",\"from-trunk\",\"\"\"José Müller\"\" "                        \
	"<5551008>\",\"Local/6004@from-trunk-0000000d;2\",\"\",\"Hangup\",\"\",\"2026-11-22 "      \
	"17:12:03\",\"2026-11-22 17:12:03\",\"2026-11-22 "                                         \
	"17:12:07\",4,4,\"ANSWERED\",\"DOCUMENTATION\",\"1795367523.27\",\"\""
#define NONAME                                                                                     \
	"\"\",\"5551006\",\"6004\",\"from-trunk\",\"\"\"\"\" "                                     \
	"<5551006>\",\"Local/6004@from-trunk-0000000b;2\",\"\",\"Hangup\",\"\",\"2026-11-22 "      \
	"17:11:50\",\"2026-11-22 17:11:50\",\"2026-11-22 "                                         \
	"17:11:54\",4,4,\"ANSWERED\",\"DOCUMENTATION\",\"1795367510.23\",\"\""
#define CUSTOM_A                                                                                   \
	"\"\"\"Alice Customer\"\" "                                                                \
	"<5551001>\",\"5551001\",\"6000\",\"from-trunk\",\"Local/"                                 \
	"6000@from-trunk-00000000;2\",\"Local/201@phones-00000001;1\",\"Dial\",\"Local/"           \
	"201@phones,20\",\"2026-11-22 12:10:57\",\"2026-11-22 12:11:00\",\"2026-11-22 "            \
	"12:11:08\",\"11\",\"8\",\"ANSWERED\",\"DOCUMENTATION\",\"\",\"1795367457.1\",\"inbound-"  \
	"did-6000\",1"
#define CUSTOM_B                                                                                   \
	"\"\"\"Bob Prospect\"\" "                                                                  \
	"<5551002>\",\"5551002\",\"6001\",\"from-trunk\",\"Local/"                                 \
	"6001@from-trunk-00000002;2\",\"Local/202@phones-00000003;1\",\"Dial\",\"Local/"           \
	"202@phones,12\",\"2026-11-22 12:11:11\",\"\",\"2026-11-22 12:11:23\",\"12\",\"0\",\"NO "  \
	"ANSWER\",\"DOCUMENTATION\",\"\",\"1795367471.5\",\"inbound-did-6001\",5"

/* Each row is dumped as "LINE:LAYOUT src>dst uid=U uf=F peer=P linked=K seq=N START ANSWER
 * DUR/BILL DISP clid=[C]", an error as "LINE:ERR message". */
struct cdr_case {
	const char *name;
	const char *in;
	enum cdr_layout layout;
	const char *tz;
	const char *want;
};

#define ROW_A "1795367457 1795367460 11/8 ANSWERED clid=[\"Alice Customer\" <5551001>]"
#define ROW_B "1795367471 0 12/0 NO ANSWER clid=[\"Bob Prospect\" <5551002>]"

static const struct cdr_case cases[] = {
    {"test_cdr__16_columns", A16 "\n" B16 "\n", CDR_AUTO, NULL,
     "1:16 5551001>6000 uid= uf= peer= linked= seq=-1 " ROW_A "\n"
     "2:16 5551002>6001 uid= uf= peer= linked= seq=-1 " ROW_B "\n"},
    {"test_cdr__17_columns_uniqueid", A16 A_UID "\n", CDR_AUTO, NULL,
     "1:17 5551001>6000 uid=1795367457.1 uf= peer= linked= seq=-1 " ROW_A "\n"},
    {"test_cdr__17_columns_userfield", A16 A_UF "\n", CDR_AUTO, NULL,
     "1:17-userfield 5551001>6000 uid= uf=inbound-did-6000 peer= linked= seq=-1 " ROW_A "\n"},
    {"test_cdr__18_columns", A16 A_UID A_UF "\n" B16 B_UID ",\"\"\n", CDR_AUTO, "UTC",
     "1:18 5551001>6000 uid=1795367457.1 uf=inbound-did-6000 peer= linked= seq=-1 " ROW_A "\n"
     "2:18 5551002>6001 uid=1795367471.5 uf= peer= linked= seq=-1 " ROW_B "\n"},
    {"test_cdr__19_columns", A16 NEWCOLS "\n", CDR_AUTO, NULL,
     "1:19 5551001>6000 uid= uf= peer=peer linked=1795367457.1 seq=7 " ROW_A "\n"},
    {"test_cdr__20_columns_uniqueid", A16 A_UID NEWCOLS "\n", CDR_AUTO, NULL,
     "1:20 5551001>6000 uid=1795367457.1 uf= peer=peer linked=1795367457.1 seq=7 " ROW_A "\n"},
    {"test_cdr__20_columns_userfield", A16 A_UF NEWCOLS "\n", CDR_AUTO, NULL,
     "1:20-userfield 5551001>6000 uid= uf=inbound-did-6000 peer=peer linked=1795367457.1 "
     "seq=7 " ROW_A "\n"},
    {"test_cdr__21_columns", A16 A_UID A_UF NEWCOLS "\n", CDR_AUTO, NULL,
     "1:21 5551001>6000 uid=1795367457.1 uf=inbound-did-6000 peer=peer "
     "linked=1795367457.1 seq=7 " ROW_A "\n"},
    {"test_cdr__layouts_mixed_after_cdr_conf_change", A16 "\n" A16 A_UID A_UF NEWCOLS "\n",
     CDR_AUTO, NULL,
     "1:16 5551001>6000 uid= uf= peer= linked= seq=-1 " ROW_A "\n"
     "2:21 5551001>6000 uid=1795367457.1 uf=inbound-did-6000 peer=peer "
     "linked=1795367457.1 seq=7 " ROW_A "\n"},
    {"test_cdr__configured_17_reads_userfield_as_uniqueid", A16 A_UF "\n", CDR_17, NULL,
     "1:17 5551001>6000 uid=inbound-did-6000 uf= peer= linked= seq=-1 " ROW_A "\n"},
    {"test_cdr__configured_layout_refuses_other_counts", A16 "\n" A16 A_UID A_UF "\n", CDR_18, NULL,
     "1:ERR line 1: 16 columns, want 18 (cdr.columns 18)\n"
     "2:18 5551001>6000 uid=1795367457.1 uf=inbound-did-6000 peer= linked= seq=-1 " ROW_A "\n"},
    {"test_cdr__uniqueid_with_systemname", A16 ",\"pbx1-1795367457.1\"\n", CDR_AUTO, NULL,
     "1:17 5551001>6000 uid=pbx1-1795367457.1 uf= peer= linked= seq=-1 " ROW_A "\n"},
    {"test_cdr__custom_legacy_local_time", CUSTOM_A "\n" CUSTOM_B "\n", CDR_AUTO,
     "America/New_York",
     "1:custom 5551001>6000 uid=1795367457.1 uf=inbound-did-6000 peer= linked= seq=1 " ROW_A "\n"
     "2:custom 5551002>6001 uid=1795367471.5 uf=inbound-did-6001 peer= linked= seq=5 " ROW_B "\n"},
    {"test_cdr__local_time_zone", A16 "\n", CDR_16, "Europe/Moscow",
     "1:16 5551001>6000 uid= uf= peer= linked= seq=-1 1795356657 1795356660 11/8 ANSWERED "
     "clid=[\"Alice Customer\" <5551001>]\n"},
    {"test_cdr__quoting_comma_and_escaped_quotes", SMITH "\n", CDR_AUTO, NULL,
     "1:18 +15551007007>6004 uid=1795367516.25 uf= peer= linked= seq=-1 1795367516 "
     "1795367516 4/4 ANSWERED clid=[\"Smith, John \\\"JJ\\\"\" <+15551007007>]\n"},
    {"test_cdr__utf8_name_and_no_name", JOSE "\n" NONAME "\n", CDR_AUTO, NULL,
     "1:18 5551008>6004 uid=1795367523.27 uf= peer= linked= seq=-1 1795367523 1795367523 "
     "4/4 ANSWERED clid=[\"José Müller\" <5551008>]\n"
     "2:18 5551006>6004 uid=1795367510.23 uf= peer= linked= seq=-1 1795367510 1795367510 "
     "4/4 ANSWERED clid=[\"\" <5551006>]\n"},
    {"test_cdr__hires_duration_rounded",
     "\"x\",\"1\",\"2\",\"c\",\"ch\",\"dch\",\"Dial\",\"\",\"2026-11-22 12:10:57\",\"\","
     "\"2026-11-22 12:11:08\",\"11.517085\",\"0.4\",\"CANCEL\",\"DOCUMENTATION\",\"\",\"1.2\","
     "\"\",3\n",
     CDR_CUSTOM, NULL,
     "1:custom 1>2 uid=1.2 uf= peer= linked= seq=3 1795349457 0 12/0 CANCEL clid=[x]\n"},
    {"test_cdr__unknown_disposition_kept",
     "\"\",\"1\",\"2\",\"c\",\"\",\"ch\",\"\",\"\",\"\",\"2026-01-01 00:00:00\",,"
     "\"2026-01-01 00:00:01\",1,0,\"SOMETHING\",\"\"\n",
     CDR_AUTO, NULL, "1:16 1>2 uid= uf= peer= linked= seq=-1 1767225600 0 1/0 UNKNOWN clid=[]\n"},
    {"test_cdr__bad_lines_by_number",
     A16 "\n"
	 "\"a\",\"b\"\n" /* 2: too few columns */
	 "\"\",\"1\",\"2\",\"c\",\"\",\"ch\",\"\",\"\",\"\",\"2026-13-01 00:00:00\",,"
	 "\"2026-01-01 00:00:01\",1,0,\"BUSY\",\"\"\n" /* 3: month 13 */
	 "\"\",\"1\",\"2\",\"c\",\"\",\"ch\",\"\",\"\",\"\",\"2026-01-01 00:00:00\",,"
	 "\"2026-01-01 00:00:01\",abc,0,\"BUSY\",\"\"\n" /* 4: duration */
	 "\"\",\"1\",\"2\",\"c\",\"\",\"ch\",\"\",\"\",\"\",\"2026-01-01 00:00:00\",\"noon\","
	 "\"2026-01-01 00:00:01\",1,0,\"BUSY\",\"\"\n" /* 5: answer */
	 "\"\",\"1\",\"2\",\"c\",\"\",\"ch\",\"\",\"\",\"\",\"2026-01-01 00:00:00\",,"
	 "\"2026-01-01 00:00:01\",1,-1,\"BUSY\",\"\"\n" /* 6: billsec */
	 "\"\",\"1\",\"2\",\"c\",\"\",\"ch\",\"\",\"\",\"\",\"2026-01-01 00:00:00\",,"
	 "\"2026-01-01 00:00:01\",1,0,\"\",\"\"\n" /* 7: no disposition */
     B16 "\n"					   /* 8: good again */
	 "\"open\n",				   /* 9: unterminated quote */
     CDR_AUTO, NULL,
     "1:16 5551001>6000 uid= uf= peer= linked= seq=-1 " ROW_A "\n"
     "2:ERR line 2: 2 columns, want 16 to 21\n"
     "3:ERR line 3: start is not a date (YYYY-MM-DD HH:MM:SS)\n"
     "4:ERR line 4: duration is not a number of seconds\n"
     "5:ERR line 5: answer is not a date (YYYY-MM-DD HH:MM:SS) or empty\n"
     "6:ERR line 6: billsec is not a number of seconds\n"
     "7:ERR line 7: the disposition is empty\n"
     "8:16 5551002>6001 uid= uf= peer= linked= seq=-1 " ROW_B "\n"
     "9:ERR line 9: unterminated quoted field\n"},
    {"test_cdr__empty_input", "", CDR_AUTO, NULL, ""},
    {"test_cdr__hostile_values",
     "\"<script>\",\"'; DROP TABLE calls;--\",\"\xff\",\"c\",\"\",\"ch\",\"\",\"\",\"\","
     "\"2026-01-01 00:00:00\",,\"2026-01-01 00:00:01\",1,0,\"BUSY\",\"\"\n",
     CDR_AUTO, NULL,
     "1:16 '; DROP TABLE calls;-->\xff uid= uf= peer= linked= seq=-1 1767225600 0 1/0 BUSY "
     "clid=[]\n"},
};

static void dump(const struct cdr_case *c, struct buf *out)
{
	struct arena a;
	arena_init(&a);
	struct cdr_reader *r = cdr_reader_new(c->in, strlen(c->in), c->layout, c->tz, &a);
	struct cdr_row row;
	struct nc_err err;
	int rc;
	while ((rc = cdr_next(r, &row, &err)) != 0) {
		if (rc < 0) {
			assert_int_equal(err.code, NC_EINVAL);
			assert_int_equal(err.ref, row.line);
			buf_printf(out, "%ld:ERR %s\n", row.line, err.msg);
			continue;
		}
		buf_printf(
		    out,
		    "%ld:%s %s>%s uid=%s uf=%s peer=%s linked=%s seq=%ld %lld %lld %ld/%ld %s "
		    "clid=[%s]\n",
		    row.line, cdr_layout_name(row.layout), row.src, row.dst, row.uniqueid,
		    row.userfield, row.peeraccount, row.linkedid, row.sequence,
		    (long long)row.start, (long long)row.answer, row.duration, row.billsec,
		    cdr_disposition_name(row.disposition), row.clid);
	}
	assert_int_equal(cdr_next(r, &row, &err), 0); /* and stays at the end */
	cdr_reader_free(r);
	arena_release(&a);
}

static void run_case(void **state)
{
	const struct cdr_case *c = *state;
	struct buf out;
	buf_init(&out, 0);
	dump(c, &out);
	assert_string_equal(out.data, c->want);
	buf_release(&out);
}

static void test_cdr__channel_peer(void **state)
{
	static const char *const peers[][2] = {
	    {"Local/201@phones-00000001;1", "201"},
	    {"PJSIP/201-0000000a", "201"},
	    {"SIP/trunk-provider-00000001", "trunk-provider"},
	    {"DAHDI/1-1", "1"},
	    {"PJSIP/204", "204"},
	    {"", ""},
	};
	struct arena a;
	arena_init(&a);
	for (size_t i = 0; i < sizeof(peers) / sizeof(peers[0]); i++)
		assert_string_equal(cdr_channel_peer(peers[i][0], &a), peers[i][1]);
	arena_release(&a);
}

static void test_cdr__layout_names(void **state)
{
	static const char *const good[] = {"auto", "16", "17",		 "17-userfield", "18",
					   "19",   "20", "20-userfield", "21",		 "custom"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		enum cdr_layout l;
		assert_int_equal(cdr_layout_parse(good[i], &l, NULL), 0);
		assert_string_equal(cdr_layout_name(l), good[i]);
	}
	struct nc_err err;
	enum cdr_layout l;
	assert_int_equal(cdr_layout_parse("22", &l, &err), -1);
	assert_string_equal(err.field, "cdr.columns");
	assert_int_equal(cdr_layout_parse(NULL, &l, NULL), -1);
}

/* The whole captured file: 17 rows, every one good, in the 18-column layout. */
static void test_cdr__captured_master_csv(void **state)
{
	char path[512];
	const char *dir = getenv("NC_TEST_DATA");
	if (dir)
		snprintf(path, sizeof(path), "%s/asterisk/Master.csv", dir);
	else /* next to this source file, as test_csv.c does */
		snprintf(path, sizeof(path), "%.*sdata/asterisk/Master.csv",
			 (int)(strlen(__FILE__) - strlen("unit/test_cdr.c")), __FILE__);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (set NC_TEST_DATA to tests/data)", path);
	static char data[65536];
	size_t n = fread(data, 1, sizeof(data), f);
	fclose(f);
	struct arena a;
	arena_init(&a);
	struct cdr_reader *r = cdr_reader_new(data, n, CDR_AUTO, "UTC", &a);
	struct cdr_row row;
	size_t rows = 0, answered = 0;
	while (cdr_next(r, &row, NULL) == 1) {
		rows++;
		assert_int_equal(row.layout, CDR_18);
		answered += row.disposition == CDR_ANSWERED;
	}
	assert_int_equal(rows, 17);
	assert_int_equal(answered, 10);
	cdr_reader_free(r);
	arena_release(&a);
}

int main(void)
{
	struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 3];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tests[n++] = (struct CMUnitTest){.name = cases[i].name,
						 .test_func = run_case,
						 .initial_state = (void *)&cases[i]};
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_cdr__channel_peer);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_cdr__layout_names);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_cdr__captured_master_csv);
	return _cmocka_run_group_tests("cdr", tests, n, NULL, NULL) ? 1 : 0;
}
