/* test_time.c - unit tests of util/time.c: WHEN and RFC 3339 parsing in the zones our users
 * live in (with a DST gap and an ambiguous hour), output formats, day bounds, zone names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "util/time.h"
#include "util/utf8.h"

struct when_case {
	const char *s;
	const char *tz;
	int64_t t;
	bool has_time;
};

static void test_time__parse_when(void **state)
{
	static const struct when_case cases[] = {
	    /* 2026-11-25T07:00:00Z */
	    {"2026-11-25T10:00", "Europe/Moscow", 1795590000, true},
	    {"2026-11-25 10:00", "Europe/Moscow", 1795590000, true},
	    {"2026-11-25t10:00:00", "Europe/Moscow", 1795590000, true},
	    {"2026-11-25T10:00:00.250", "Europe/Moscow", 1795590000, true},
	    {"2026-11-25T07:00", NULL, 1795590000, true},
	    {"2026-11-25T07:00", "UTC", 1795590000, true},
	    /* Istanbul: +03 all year; 2026-07-01T06:30:00Z */
	    {"2026-07-01T09:30", "Europe/Istanbul", 1782887400, true},
	    /* Ho Chi Minh City: +07; 2026-01-15T01:00:00Z */
	    {"2026-01-15T08:00", "Asia/Ho_Chi_Minh", 1768438800, true},
	    /* New York in winter (-05) and summer (-04) */
	    {"2026-01-15T08:00", "America/New_York", 1768482000, true},
	    {"2026-07-01T08:00", "America/New_York", 1782907200, true},
	    /* 2026-03-08 02:30 does not exist in New York: moves forward to 03:30 EDT = 07:30Z */
	    {"2026-03-08T02:30", "America/New_York", 1772955000, true},
	    /* 2026-11-01 01:30 happens twice in New York: the first, EDT, 05:30Z */
	    {"2026-11-01T01:30", "America/New_York", 1793511000, true},
	    /* an offset or Z wins over the zone */
	    {"2026-11-25T10:00+03:00", "America/New_York", 1795590000, true},
	    {"2026-11-25T10:00+0300", NULL, 1795590000, true},
	    {"2026-11-25T01:30-05:30", "Europe/Moscow", 1795590000, true},
	    {"2026-11-25T07:00Z", "Europe/Moscow", 1795590000, true},
	    {"2026-11-25T10:00:30z", NULL, 1795600830, true},
	    /* a date alone names a day: midnight in the zone, and no time */
	    {"2026-11-25", "Europe/Moscow", 1795554000, false},
	    {"2026-11-25", NULL, 1795564800, false},
	    {"2026-11-25", "Asia/Ho_Chi_Minh", 1795564800 - 7 * 3600, false},
	    {"2024-02-29", NULL, 1709164800, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nc_when w = {-1, true};
		struct nc_err err;
		nc_err_clear(&err);
		int rc = time_parse_when(cases[i].s, cases[i].tz, "due_at", &w, &err);
		if (rc != 0 || w.t != cases[i].t || w.has_time != cases[i].has_time)
			print_message("case %zu \"%s\" %s: %s\n", i, cases[i].s,
				      cases[i].tz ? cases[i].tz : "(null)", err.msg);
		assert_int_equal(rc, 0);
		assert_int_equal(w.t, cases[i].t);
		assert_int_equal(w.has_time, cases[i].has_time);
	}
}

static void test_time__parse_when_bad(void **state)
{
	static const char *const bad[] = {
	    "",
	    "tomorrow",
	    "2026-11-25T",
	    "2026-11-25T10",
	    "2026-11-25T10:0",
	    "2026-11-25T24:00",
	    "2026-11-25T10:60",
	    "2026-11-25T10:00:61",
	    "2026-13-01",
	    "2026-00-10",
	    "2026-02-29",
	    "2026-04-31",
	    "2026-11-5",
	    "26-11-25",
	    "1899-12-31",
	    "2026/11/25",
	    "2026-11-25T10:00+3",
	    "2026-11-25T10:00+24:00",
	    "2026-11-25T10:00+03:60",
	    "2026-11-25T10:00 extra",
	    "2026-11-25T10:00Zx",
	    "2026-11-25T10:00\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nc_when w = {0};
		struct nc_err err;
		nc_err_clear(&err);
		int rc = time_parse_when(bad[i], "Europe/Moscow", "next.due_at", &w, &err);
		if (rc != -1)
			print_message("accepted \"%s\"\n", bad[i]);
		assert_int_equal(rc, -1);
		assert_int_equal(err.code, NC_EINVAL);
		assert_string_equal(err.field, "next.due_at");
		assert_non_null(strstr(err.msg, "next.due_at"));
		assert_null(strchr(err.msg, '\n'));
	}
}

static void test_time__parse_when_error_quotes_value(void **state)
{
	struct nc_when w;
	struct nc_err err;
	int y, m, d;
	nc_err_clear(&err);
	assert_int_equal(time_parse_when("soon", NULL, "at", &w, &err), -1);
	assert_string_equal(err.msg, "at: invalid time \"soon\" (want YYYY-MM-DDTHH:MM, optionally "
				     "with an offset such as +03:00)");
	/* a long value is cut between characters, never inside one */
	char in[128] = "x";
	for (int i = 0; i < 30; i++)
		memcpy(in + 1 + 2 * i, "я", 3); /* я, and the NUL */
	assert_int_equal(time_parse_when(in, NULL, "at", &w, &err), -1);
	assert_true(utf8_valid(err.msg, strlen(err.msg)));
	assert_string_equal(err.msg, "at: invalid time \"xяяяяяяяяяяяяяяяяяяя\" (want "
				     "YYYY-MM-DDTHH:MM, optionally with an offset such as +03:00)");
	assert_int_equal(time_parse_date(in, &y, &m, &d, "day", &err), -1);
	assert_true(utf8_valid(err.msg, strlen(err.msg)));
	assert_string_equal(err.field, "day");
	/* found by fuzz_time: invalid UTF-8 (cp1251 typed in) is not quoted */
	assert_int_equal(time_parse_when("24/11/202\xca\xe3 10:00", NULL, "at", &w, &err), -1);
	assert_string_equal(err.msg, "at: invalid time \"24/11/202\" (want YYYY-MM-DDTHH:MM, "
				     "optionally with an offset such as +03:00)");
	/* NULL err is allowed */
	assert_int_equal(time_parse_when("soon", NULL, "at", &w, NULL), -1);
}

struct rfc_parse_case {
	const char *s;
	int rc;
	int64_t t;
};

static void test_time__parse_rfc3339(void **state)
{
	static const struct rfc_parse_case cases[] = {
	    {"2026-11-25T07:00:00Z", 0, 1795590000},
	    {"2026-11-25T10:00:00+03:00", 0, 1795590000},
	    {"2026-11-25T02:00:00-05:00", 0, 1795590000},
	    {"2026-11-25T07:00:00.123Z", 0, 1795590000},
	    {"2026-11-25T10:00:00", -1, 0}, /* needs Z or an offset */
	    {"2026-11-25", -1, 0},
	    {"yesterday", -1, 0},
	    /* the range: 1900-01-01T00:00Z, which New York writes in 1899, to 9999-12-31 UTC */
	    {"1899-12-31T19:00:00-05:00", 0, -2208988800},
	    {"1900-01-01T00:00:00Z", 0, -2208988800},
	    {"1899-12-31T18:59:59-05:00", -1, 0},
	    {"1899-12-31T23:59:59Z", -1, 0},
	    {"9999-12-30T23:59:59Z", 0, 253402214399},
	    {"9999-12-31T13:59:59+14:00", 0, 253402214399},
	    {"9999-12-31T00:00:00Z", -1, 0},
	    {"9999-12-30T23:00:00-05:00", -1, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t t = 0;
		struct nc_err err;
		nc_err_clear(&err);
		int rc = time_parse_rfc3339(cases[i].s, "at", &t, &err);
		if (rc != cases[i].rc)
			print_message("case %zu \"%s\"\n", i, cases[i].s);
		assert_int_equal(rc, cases[i].rc);
		if (rc == 0)
			assert_int_equal(t, cases[i].t);
		else
			assert_string_equal(err.field, "at");
	}
}

struct rfc_case {
	int64_t t;
	const char *tz;
	const char *want;
};

static void test_time__rfc3339_output(void **state)
{
	static const struct rfc_case cases[] = {
	    {1795590000, NULL, "2026-11-25T07:00:00Z"},
	    {1795590000, "", "2026-11-25T07:00:00Z"},
	    {1795590000, "UTC", "2026-11-25T07:00:00Z"},
	    {1795590000, "Europe/Moscow", "2026-11-25T10:00:00+03:00"},
	    {1795590000, "Europe/Istanbul", "2026-11-25T10:00:00+03:00"},
	    {1795590000, "Asia/Ho_Chi_Minh", "2026-11-25T14:00:00+07:00"},
	    {1795590000, "America/New_York", "2026-11-25T02:00:00-05:00"},
	    {1782907200, "America/New_York", "2026-07-01T08:00:00-04:00"},
	    {1795590000, "Asia/Kolkata", "2026-11-25T12:30:00+05:30"},
	    {1795590000, "America/St_Johns", "2026-11-25T03:30:00-03:30"},
	    {1795590000, "Europe/London", "2026-11-25T07:00:00Z"}, /* offset 0 */
	    {1795600830, NULL, "2026-11-25T10:00:30Z"},
	    {0, NULL, "1970-01-01T00:00:00Z"},
	    /* found by fuzz_json: Moscow's local mean time (+02:30:17) has no RFC 3339 offset */
	    {-1865505617, "Europe/Moscow", "1910-11-20T11:59:43Z"},
	    /* found by fuzz_time: the first moment taken, written in 1899 west of UTC, and the
	     * last, 14 hours east of it, are read back */
	    {-2208988800, "America/New_York", "1899-12-31T19:00:00-05:00"},
	    {-2208988800, "Pacific/Pago_Pago", "1900-01-01T00:00:00Z"}, /* its mean time */
	    {253402214399, "Pacific/Kiritimati", "9999-12-31T13:59:59+14:00"},
	    {253402214399, "Pacific/Pago_Pago", "9999-12-30T12:59:59-11:00"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[32];
		time_rfc3339(cases[i].t, cases[i].tz, out);
		assert_string_equal(out, cases[i].want);
		/* what we write, we read back */
		int64_t back = -1;
		assert_int_equal(time_parse_rfc3339(out, "at", &back, NULL), 0);
		assert_int_equal(back, cases[i].t);
	}
}

/* ref_rfc3339 writes t as time_rfc3339 must, from time_local_parts and snprintf alone. */
static void ref_rfc3339(int64_t t, const char *tz, char out[48])
{
	struct nc_tm tm;
	bool utc = !tz || !*tz || strcmp(tz, "UTC") == 0;
	time_local_parts(utc ? "UTC" : tz, t, &tm);
	if (!utc && tm.offset % 60 != 0) {
		utc = true;
		time_local_parts("UTC", t, &tm);
	}
	int off = tm.offset < 0 ? -tm.offset : tm.offset;
	if (utc || tm.offset == 0)
		snprintf(out, 48, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.year, tm.month, tm.day,
			 tm.hour, tm.min, tm.sec);
	else
		snprintf(out, 48, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.year, tm.month,
			 tm.day, tm.hour, tm.min, tm.sec, tm.offset < 0 ? '-' : '+', off / 3600,
			 off / 60 % 60);
}

/* time_rfc3339 keeps a thread's last days (date and offset) and writes the next time of one
 * from its seconds: walked across daylight saving changes, a 30-minute change (Lord Howe), a day
 * that a zone skipped (Apia, 2011-12-30), a change of the standard offset (Moscow 2011 and 2014)
 * and local mean times, backward and forward, with the zones taking turns in the same slots,
 * every time must be what the parts say. */
static void test_time__rfc3339_days_kept(void **state)
{
	static const char *zones[] = {
	    NULL,
	    "Europe/Moscow",
	    "America/New_York",
	    "Europe/Berlin",
	    "Australia/Lord_Howe",
	    "Pacific/Apia",
	    "Asia/Kolkata",
	    "America/St_Johns",
	    "Asia/Ho_Chi_Minh",
	    "Europe/Istanbul",
	};
	static const int64_t centers[] = {
	    1772949600,	 /* 2026-03-08T06:00Z: New York springs forward */
	    1793512800,	 /* 2026-11-01T06:00Z: and falls back */
	    1774746000,	 /* 2026-03-29T01:00Z: Berlin */
	    1792890000,	 /* 2026-10-25T01:00Z */
	    1775318400,	 /* 2026-04-05: Lord Howe, half an hour back */
	    1791129600,	 /* 2026-10-04: and forward */
	    1325239200,	 /* 2011-12-30: the day Apia skipped */
	    1301180400,	 /* 2011-03-27: Moscow's last change to summer time, kept */
	    1414274400,	 /* 2014-10-26: Moscow back to +03:00 */
	    -1688265017, /* 1916-07-03: Moscow leaves its mean time */
	    0,
	};
	size_t nz = sizeof(zones) / sizeof(zones[0]);
	size_t checked = 0;
	for (size_t c = 0; c < sizeof(centers) / sizeof(centers[0]); c++) {
		for (int dir = 1; dir >= -1; dir -= 2) {
			for (int64_t k = 0; k <= 2 * 3 * 86400; k += 613) {
				int64_t t = centers[c] + dir * (k - 3 * 86400);
				for (size_t z = 0; z < nz; z++) {
					char got[32], want[48];
					time_rfc3339(t, zones[z], got);
					ref_rfc3339(t, zones[z], want);
					if (strcmp(got, want) != 0)
						fail_msg("%lld in %s: %s, want %s", (long long)t,
							 zones[z] ? zones[z] : "NULL", got, want);
					checked++;
				}
			}
		}
	}
	/* the last seconds before a change and the first after it, each asked first */
	for (int64_t t = 1772953200 - 3; t < 1772953200 + 3; t++) {
		char got[32], want[48];
		time_rfc3339(t, "America/New_York", got);
		ref_rfc3339(t, "America/New_York", want);
		assert_string_equal(got, want);
	}
	char out[32];
	time_rfc3339(1772953199, "America/New_York", out);
	assert_string_equal(out, "2026-03-08T01:59:59-05:00");
	time_rfc3339(1772953200, "America/New_York", out);
	assert_string_equal(out, "2026-03-08T03:00:00-04:00");
	time_rfc3339(1325239199, "Pacific/Apia", out);
	assert_string_equal(out, "2011-12-29T23:59:59-10:00");
	time_rfc3339(1325239200, "Pacific/Apia", out);
	assert_string_equal(out, "2011-12-31T00:00:00+14:00");
	assert_true(checked > 100000);
	(void)state;
}

/* A writer of many times keeps the stretch of the last (time_rfc3339_day) and writes the times
 * that fall in it with time_rfc3339_in, as the JSON writer does: walked across the same changes
 * as above, each zone with its own stretch, every time and length must be what the parts say,
 * and most times must come from a kept stretch. The rare path (year 10000) keeps none. */
static void test_time__rfc3339_stretch_kept_by_the_caller(void **state)
{
	static const char *zones[] = {
	    NULL,	    "Europe/Moscow",	"America/New_York", "Australia/Lord_Howe",
	    "Pacific/Apia", "America/St_Johns", "Asia/Ho_Chi_Minh"};
	static const int64_t centers[] = {1772949600, 1793512800, 1775318400, 1791129600,
					  1325239200, 1414274400, -1688265017};
	enum { NZ = sizeof(zones) / sizeof(zones[0]) };
	size_t kept = 0, fresh = 0;
	for (size_t c = 0; c < sizeof(centers) / sizeof(centers[0]); c++) {
		for (int dir = 1; dir >= -1; dir -= 2) {
			struct rfc3339_day days[NZ];
			memset(days, 0, sizeof(days));
			for (int64_t k = 0; k <= 2 * 3 * 86400; k += 397) {
				int64_t t = centers[c] + dir * (k - 3 * 86400);
				for (size_t z = 0; z < NZ; z++) {
					char got[32], want[48];
					size_t n;
					if (t >= days[z].from && t < days[z].to) {
						n = time_rfc3339_in(&days[z], t, got);
						kept++;
					} else {
						n = time_rfc3339_day(t, zones[z], got, &days[z]);
						fresh++;
					}
					ref_rfc3339(t, zones[z], want);
					if (strcmp(got, want) != 0 || n != strlen(want))
						fail_msg("%lld in %s: %s (%zu bytes), want %s",
							 (long long)t, zones[z] ? zones[z] : "NULL",
							 got, n, want);
				}
			}
		}
	}
	assert_true(kept > 20 * fresh);
	struct rfc3339_day day;
	char out[32];
	int64_t y10000 = INT64_C(253402300800); /* 10000-01-01T00:00:00Z */
	size_t n = time_rfc3339_day(y10000, NULL, out, &day);
	assert_int_equal(n, strlen(out));
	assert_string_equal(out, "10000-01-01T00:00:00Z");
	assert_true(day.from == day.to);
	(void)state;
}

static void test_time__format_local_and_parts(void **state)
{
	char out[24];
	struct nc_tm tm;
	time_format_local(1795590000, "Europe/Moscow", out);
	assert_string_equal(out, "2026-11-25 10:00");
	time_format_local(1795590000, "Asia/Ho_Chi_Minh", out);
	assert_string_equal(out, "2026-11-25 14:00");
	time_local_parts("America/New_York", 1772955000, &tm);
	assert_int_equal(tm.year, 2026);
	assert_int_equal(tm.month, 3);
	assert_int_equal(tm.day, 8);
	assert_int_equal(tm.hour, 3);
	assert_int_equal(tm.min, 30);
	assert_int_equal(tm.wday, 0); /* a Sunday */
	assert_int_equal(tm.offset, -4 * 3600);
}

struct bounds_case {
	const char *tz;
	int64_t t;
	int y, m, d;
	int64_t start, end;
};

static void test_time__day_bounds(void **state)
{
	static const struct bounds_case cases[] = {
	    /* the Moscow day holding 2026-11-25T07:00Z */
	    {"Europe/Moscow", 1795590000, 0, 0, 0, 1795554000, 1795554000 + 86400},
	    /* 2026-11-24T22:00Z is already the 25th in Moscow */
	    {"Europe/Moscow", 1795557600, 0, 0, 0, 1795554000, 1795554000 + 86400},
	    {NULL, 1795590000, 0, 0, 0, 1795564800, 1795651200},
	    {"UTC", 0, 2026, 11, 25, 1795564800, 1795651200},
	    {"Asia/Ho_Chi_Minh", 0, 2026, 11, 25, 1795564800 - 25200, 1795651200 - 25200},
	    /* New York's spring-forward day has 23 hours, the fall-back day 25 */
	    {"America/New_York", 0, 2026, 3, 8, 1772946000, 1772946000 + 23 * 3600},
	    {"America/New_York", 0, 2026, 11, 1, 1793505600, 1793505600 + 25 * 3600},
	    /* the last day of a year ends at the next year's first midnight */
	    {"UTC", 0, 2026, 12, 31, 1798675200, 1798761600},
	    /* a leap day */
	    {"UTC", 0, 2024, 2, 29, 1709164800, 1709251200},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t start = -1, end = -1;
		const struct bounds_case *c = &cases[i];
		time_day_bounds(c->tz, c->t, c->y, c->m, c->d, &start, &end);
		if (start != c->start || end != c->end)
			print_message("case %zu: %lld %lld\n", i, (long long)start, (long long)end);
		assert_int_equal(start, c->start);
		assert_int_equal(end, c->end);
	}
}

struct zone_case {
	const char *tz;
	bool valid;
};

static void test_time__zone_valid(void **state)
{
	static const struct zone_case cases[] = {
	    {"Europe/Moscow", true},
	    {"Europe/Istanbul", true},
	    {"Asia/Ho_Chi_Minh", true},
	    {"America/New_York", true},
	    {"UTC", true},
	    {"Etc/GMT+3", true},
	    {"leapseconds", false}, /* a regular file in zoneinfo, but no zone */
	    {"../etc/passwd", false},
	    {"Europe/../../etc/passwd", false},
	    {"/etc/passwd", false},
	    {"Europe", false}, /* a directory */
	    {"Nowhere/City", false},
	    {"Europe/Moscow;rm -rf", false},
	    {"Europe/Moscow ", false},
	    {"", false},
	    {NULL, false},
	    {"Europe/Moscow\nX", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool got = time_zone_valid(cases[i].tz);
		if (got != cases[i].valid)
			print_message("zone case %zu\n", i);
		assert_int_equal(got, cases[i].valid);
	}
}

static void test_time__now_fixed_by_environment(void **state)
{
	setenv("NEXTCALL_NOW", "1795590000", 1);
	assert_int_equal(nc_now(), 1795590000);
	setenv("NEXTCALL_NOW", "2026-11-25T10:00:00+03:00", 1);
	assert_int_equal(nc_now(), 1795590000);
	unsetenv("NEXTCALL_NOW");
	assert_true(nc_now() > 1700000000);
}

/* The parts of a time come from the zone's stretches between transitions (read from its file
 * once) rather than from localtime_r: they must be what localtime_r says, before the first
 * transition, around every change (the second before, of and after it), after the last one
 * (with and without daylight saving rules), in zones with offsets of minutes and seconds (local
 * mean time). */
static void expect_parts(const char *tz, int64_t u)
{
	struct nc_tm got;
	struct tm want;
	time_t tt = (time_t)u;
	time_local_parts(tz, u, &got);
	assert_non_null(localtime_r(&tt, &want)); /* TZ is tz: set by the caller or time.c */
	if (got.year != want.tm_year + 1900 || got.month != want.tm_mon + 1 ||
	    got.day != want.tm_mday || got.hour != want.tm_hour || got.min != want.tm_min ||
	    got.sec != want.tm_sec || got.wday != want.tm_wday || got.offset != want.tm_gmtoff)
		fail_msg("%s at %lld: %04d-%02d-%02d %02d:%02d:%02d %+d, the C library: "
			 "%04d-%02d-%02d %02d:%02d:%02d %+ld",
			 tz, (long long)u, got.year, got.month, got.day, got.hour, got.min, got.sec,
			 got.offset, want.tm_year + 1900, want.tm_mon + 1, want.tm_mday,
			 want.tm_hour, want.tm_min, want.tm_sec, want.tm_gmtoff);
}

static long c_offset(int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	localtime_r(&tt, &tm);
	return tm.tm_gmtoff;
}

static void test_time__parts_match_the_c_library(void **state)
{
	static const char *const zones[] = {"Europe/Moscow",
					    "Europe/Berlin",
					    "America/New_York",
					    "Asia/Kolkata",
					    "Australia/Lord_Howe",
					    "America/Sao_Paulo",
					    "Asia/Kathmandu",
					    "Pacific/Apia",
					    "Etc/GMT-3",
					    "Europe/Dublin",
					    "UTC"};
	char saved[64] = "";
	const char *old = getenv("TZ");
	size_t changes = 0;
	if (old)
		snprintf(saved, sizeof(saved), "%s", old);
	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		setenv("TZ", zones[z], 1);
		tzset();
		/* every 2 days 1 h 10 min 11 s from 1850 to 2150 */
		int64_t step = 2 * 86400 + 4211, prev = -3786825600;
		for (int64_t t = prev; t < 5680281600; prev = t, t += step) {
			expect_parts(zones[z], t);
			if (c_offset(prev) == c_offset(t))
				continue;
			int64_t lo = prev,
				hi = t; /* the change: the first second of the new offset */
			while (hi - lo > 1) {
				int64_t mid = lo + (hi - lo) / 2;
				if (c_offset(mid) == c_offset(prev))
					lo = mid;
				else
					hi = mid;
			}
			for (int64_t u = hi - 1; u <= hi + 1; u++)
				expect_parts(zones[z], u);
			changes++;
			/* a wall-clock time near the change maps back to itself, or to the first
			 * of an ambiguous pair */
			struct nc_tm got, again;
			time_local_parts(zones[z], hi + 3600, &got);
			int64_t back = time_local_to_utc(zones[z], got.year, got.month, got.day,
							 got.hour, got.min, got.sec);
			time_local_parts(zones[z], back, &again);
			assert_true(back <= hi + 3600);
			assert_int_equal(again.hour, got.hour);
			assert_int_equal(again.min, got.min);
		}
	}
	assert_true(changes > 500);
	if (*saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_time__parse_when),
	    cmocka_unit_test(test_time__parse_when_bad),
	    cmocka_unit_test(test_time__parse_when_error_quotes_value),
	    cmocka_unit_test(test_time__parse_rfc3339),
	    cmocka_unit_test(test_time__rfc3339_output),
	    cmocka_unit_test(test_time__rfc3339_days_kept),
	    cmocka_unit_test(test_time__rfc3339_stretch_kept_by_the_caller),
	    cmocka_unit_test(test_time__format_local_and_parts),
	    cmocka_unit_test(test_time__parts_match_the_c_library),
	    cmocka_unit_test(test_time__day_bounds),
	    cmocka_unit_test(test_time__zone_valid),
	    cmocka_unit_test(test_time__now_fixed_by_environment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
