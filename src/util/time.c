/* time.c - clock, zone conversions and time formats. Zone conversions use the C library under
 * one mutex, switching TZ only when the zone differs from the last one used. */
#include "util/time.h"
#include "util/utf8.h"

#include <ctype.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define QUOTE_MAX 40 /* bytes of a bad value quoted in a message */

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static char tz_current[64] = "";

static bool is_utc(const char *tz)
{
	return !tz || !*tz || strcmp(tz, "UTC") == 0;
}

/* use_zone sets the process zone to tz; the caller holds tz_lock. */
static void use_zone(const char *tz)
{
	if (!tz || !*tz)
		tz = "UTC";
	if (strcmp(tz, tz_current) == 0)
		return;
	snprintf(tz_current, sizeof(tz_current), "%s", tz);
	setenv("TZ", tz_current, 1);
	tzset();
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int64_t nc_now(void)
{
	const char *fixed = getenv("NEXTCALL_NOW");
	if (fixed && *fixed) {
		int64_t t;
		if (all_digits(fixed))
			return strtoll(fixed, NULL, 10);
		if (time_parse_rfc3339(fixed, "NEXTCALL_NOW", &t, NULL) == 0)
			return t;
	}
	return (int64_t)time(NULL);
}

/* days_from_civil: days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's method). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* offset_at gives the zone's offset east of UTC at t; the caller holds tz_lock. */
static int64_t offset_at(int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	localtime_r(&tt, &tm);
	return tm.tm_gmtoff;
}

int64_t time_local_to_utc(const char *tz, int y, int mo, int d, int h, int mi, int s)
{
	int64_t naive = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	if (is_utc(tz))
		return naive;
	pthread_mutex_lock(&tz_lock);
	use_zone(tz);
	/* At most one transition lies within a day: try the offsets in force a day before and a
	 * day after. Both fit: ambiguous, take the earlier; none fits: skipped, move forward. */
	int64_t before = offset_at(naive - 86400), after = offset_at(naive + 86400);
	int64_t ta = naive - before, tb = naive - after;
	bool oka = ta + offset_at(ta) == naive, okb = tb + offset_at(tb) == naive;
	pthread_mutex_unlock(&tz_lock);
	if (oka && okb)
		return ta < tb ? ta : tb;
	if (okb)
		return tb;
	return ta;
}

void time_local_parts(const char *tz, int64_t t, struct nc_tm *out)
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (is_utc(tz)) {
		/* no zone switch: UTC times (logs, the API in UTC) must not make the process
		 * re-read another zone's file the next time it needs it */
		gmtime_r(&tt, &tm);
		tm.tm_gmtoff = 0;
	} else {
		pthread_mutex_lock(&tz_lock);
		use_zone(tz);
		localtime_r(&tt, &tm);
		pthread_mutex_unlock(&tz_lock);
	}
	out->year = tm.tm_year + 1900;
	out->month = tm.tm_mon + 1;
	out->day = tm.tm_mday;
	out->hour = tm.tm_hour;
	out->min = tm.tm_min;
	out->sec = tm.tm_sec;
	out->wday = tm.tm_wday;
	out->offset = (int)tm.tm_gmtoff;
}

/* two writes v (0..99) as two digits at p and returns the end. */
static char *two(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

void time_rfc3339(int64_t t, const char *tz, char out[32])
{
	struct nc_tm tm;
	bool utc = is_utc(tz);
	time_local_parts(utc ? "UTC" : tz, t, &tm);
	if (!utc && tm.offset % 60 != 0) {
		/* a local mean time (+02:30:17 in Moscow until 1916): RFC 3339 offsets have no
		 * seconds, so the moment is said in UTC rather than 17 seconds off */
		utc = true;
		time_local_parts("UTC", t, &tm);
	}
	if (tm.year < 0 || tm.year > 9999) { /* the rare path keeps printf's widths */
		int off = tm.offset < 0 ? -tm.offset : tm.offset;
		if (utc || tm.offset == 0)
			snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.year, tm.month,
				 tm.day, tm.hour, tm.min, tm.sec);
		else
			snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.year,
				 tm.month, tm.day, tm.hour, tm.min, tm.sec,
				 tm.offset < 0 ? '-' : '+', off / 3600, off / 60 % 60);
		return;
	}
	/* by hand: snprintf was two thirds of the cost of a time in the API's answers */
	char *p = out;
	p = two(two(p, tm.year / 100), tm.year % 100);
	*p++ = '-';
	p = two(p, tm.month);
	*p++ = '-';
	p = two(p, tm.day);
	*p++ = 'T';
	p = two(p, tm.hour);
	*p++ = ':';
	p = two(p, tm.min);
	*p++ = ':';
	p = two(p, tm.sec);
	if (utc || tm.offset == 0) {
		*p++ = 'Z';
	} else {
		int off = tm.offset < 0 ? -tm.offset : tm.offset;
		*p++ = tm.offset < 0 ? '-' : '+';
		p = two(p, off / 3600 % 100);
		*p++ = ':';
		p = two(p, off / 60 % 60);
	}
	*p = 0;
}

void time_format_local(int64_t t, const char *tz, char out[24])
{
	struct nc_tm tm;
	time_local_parts(tz, t, &tm);
	snprintf(out, 24, "%04d-%02d-%02d %02d:%02d", tm.year % 10000, tm.month, tm.day, tm.hour,
		 tm.min);
}

/* quote_len gives how much of s to quote: at most QUOTE_MAX bytes, cut between characters and
 * before any invalid UTF-8 (typed in cp1251, say), so that the message stays valid UTF-8 (JSON
 * encoders refuse anything else). */
static int quote_len(const char *s)
{
	size_t n = utf8_prefix_len(s, strlen(s), QUOTE_MAX);
	while (n > 0 && !utf8_valid(s, n))
		n--;
	return (int)n;
}

/* num reads exactly n digits at *p and advances; -1 if not digits. */
static int num(const char **p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return v;
}

int time_parse_date(const char *s, int *y, int *m, int *d, const char *field, struct nc_err *err)
{
	const char *p = s;
	int yy = num(&p, 4);
	if (yy < 0 || *p++ != '-')
		goto bad;
	int mm = num(&p, 2);
	if (mm < 1 || mm > 12 || *p++ != '-')
		goto bad;
	int dd = num(&p, 2);
	if (dd < 1 || dd > days_in_month(yy, mm) || *p)
		goto bad;
	*y = yy, *m = mm, *d = dd;
	return 0;
bad:
	return nc_error_field(err, NC_EINVAL, field, "%s: invalid date \"%.*s\" (want YYYY-MM-DD)",
			      field, quote_len(s), s);
}

/* parse_moment does the work of the two parsers; tz NULL with require_zone demands an offset. */
static int parse_moment(const char *s, const char *tz, bool require_zone, const char *field,
			struct nc_when *out, struct nc_err *err)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	bool has_time = false;
	y = num(&p, 4);
	if (y < 1900 || *p++ != '-')
		goto bad;
	mo = num(&p, 2);
	if (mo < 1 || mo > 12 || *p++ != '-')
		goto bad;
	d = num(&p, 2);
	if (d < 1 || d > days_in_month(y, mo))
		goto bad;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		h = num(&p, 2);
		if (h < 0 || h > 23 || *p++ != ':')
			goto bad;
		mi = num(&p, 2);
		if (mi < 0 || mi > 59)
			goto bad;
		if (*p == ':') {
			p++;
			sec = num(&p, 2);
			if (sec < 0 || sec > 60)
				goto bad;
			if (*p == '.') /* fractional seconds are accepted and dropped */
				for (p++; isdigit((unsigned char)*p); p++)
					;
		}
		has_time = true;
	}
	int64_t naive = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	if (*p == 'Z' || *p == 'z') {
		p++;
		out->t = naive;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1;
		int oh = num(&p, 2);
		if (oh < 0 || oh > 23)
			goto bad;
		if (*p == ':')
			p++;
		int om = num(&p, 2);
		if (om < 0 || om > 59)
			goto bad;
		out->t = naive - sign * (oh * 3600 + om * 60);
	} else if (*p == 0 && !require_zone) {
		out->t = time_local_to_utc(tz, y, mo, d, h, mi, sec);
	} else {
		goto bad;
	}
	if (*p)
		goto bad;
	out->has_time = has_time;
	return 0;
bad:
	if (require_zone)
		return nc_error_field(err, NC_EINVAL, field,
				      "%s: invalid time \"%.*s\" (want RFC 3339, e.g. "
				      "2026-11-25T10:00:00+03:00)",
				      field, quote_len(s), s);
	return nc_error_field(err, NC_EINVAL, field,
			      "%s: invalid time \"%.*s\" (want YYYY-MM-DDTHH:MM, optionally with "
			      "an offset such as +03:00)",
			      field, quote_len(s), s);
}

int time_parse_when(const char *s, const char *tz, const char *field, struct nc_when *out,
		    struct nc_err *err)
{
	return parse_moment(s, tz, false, field, out, err);
}

int time_parse_rfc3339(const char *s, const char *field, int64_t *out, struct nc_err *err)
{
	struct nc_when w;
	if (parse_moment(s, NULL, true, field, &w, err) < 0)
		return -1;
	*out = w.t;
	return 0;
}

void time_day_bounds(const char *tz, int64_t t, int y, int m, int d, int64_t *start, int64_t *end)
{
	if (y <= 0) {
		struct nc_tm tm;
		time_local_parts(tz, t, &tm);
		y = tm.year, m = tm.month, d = tm.day;
	}
	*start = time_local_to_utc(tz, y, m, d, 0, 0, 0);
	int64_t next = days_from_civil(y, m, d) + 1;
	/* civil from days for the next day */
	int64_t z = next + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int nd = (int)(doy - (153 * mp + 2) / 5 + 1);
	int nm = (int)(mp < 10 ? mp + 3 : mp - 9);
	int ny = (int)(yoe + era * 400 + (nm <= 2));
	*end = time_local_to_utc(tz, ny, nm, nd, 0, 0, 0);
}

bool time_zone_valid(const char *tz)
{
	if (!tz || !*tz || strlen(tz) > 60 || tz[0] == '/' || strstr(tz, ".."))
		return false;
	if (strcmp(tz, "UTC") == 0)
		return true;
	for (const char *p = tz; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/_-+", *p))
			return false;
	char path[128], magic[4];
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	/* The directory also holds data files that are no zones ("leapseconds"): a zone file
	 * starts with the TZif magic. */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, magic, sizeof(magic));
	close(fd);
	return n == (ssize_t)sizeof(magic) && memcmp(magic, "TZif", sizeof(magic)) == 0;
}
