/* time.c - clock, zone conversions and time formats. A zone's offsets come from the C library
 * (localtime_r under one mutex, switching TZ only when the zone differs from the last one used),
 * once per stretch between two of the zone's transitions: see struct zone. */
#include "util/time.h"
#include "util/utf8.h"

#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
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

/* ---- zones: offsets per stretch between transitions ----
 * localtime_r costs ~2 000 instructions a time and takes the process-wide zone, hence a lock
 * that the worker threads queue on: for a time after the last transition in the zone's file
 * (Moscow since 2014) glibc parses the zone's rule string again on every call. But the offset
 * is constant between two transitions of the file (glibc's __tzfile_compute takes the type of
 * the transition before t), and after the last one when the file's rule string has no daylight
 * saving part. So the transitions are read from the zone's TZif file once, the offset of every
 * stretch asked of localtime_r once, and a time's offset is then a binary search, without the
 * lock. Anything unusual (no or an old file, leap seconds, a stretch glibc cannot convert, a
 * time after the last transition under a daylight saving rule) takes localtime_r as before. */
#define ZONES_MAX    32
#define ZONE_T_LIMIT (INT64_C(1) << 40) /* times beyond +-35 000 years: localtime_r */
#define OFF_UNKNOWN  INT_MIN

struct zone {
	char name[64];
	int64_t *at; /* transition times, ascending */
	int *off; /* off[i]: the offset from at[i - 1] (or the beginning) to at[i] (or the end) */
	size_t n; /* transitions; off has n + 1 */
	bool rule_after; /* from at[n - 1] on the rule string applies (daylight saving) */
};

static pthread_mutex_t zones_lock = PTHREAD_MUTEX_INITIALIZER;
static struct zone *zones[ZONES_MAX];
static size_t nzones;
static __thread const struct zone *last_zone;

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* tz_rule_has_dst says whether a POSIX TZ string ("MSK-3", "<+05>-5", "CET-1CEST,M3.5.0,...")
 * names a daylight saving time after its standard name and offset. */
static bool tz_rule_has_dst(const char *s, const char *end)
{
	if (s < end && *s == '<') {
		while (s < end && *s != '>')
			s++;
		s++;
	} else {
		while (s < end && isalpha((unsigned char)*s))
			s++;
	}
	if (s < end && (*s == '+' || *s == '-'))
		s++;
	while (s < end && (isdigit((unsigned char)*s) || *s == ':'))
		s++;
	return s < end;
}

/* zone_read reads the transitions of zone tz from its TZif file (version 2 or later, no leap
 * seconds) into z; false when the file is missing or not of that kind. */
static bool zone_read(const char *tz, struct zone *z)
{
	const char *dir = getenv("TZDIR");
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	unsigned char *d = NULL;
	bool ok = false;
	if (fstat(fd, &st) != 0 || st.st_size < 44 || st.st_size > (1 << 20))
		goto out;
	size_t len = (size_t)st.st_size;
	d = malloc(len);
	if (!d || read(fd, d, len) != (ssize_t)len)
		goto out;
	/* header: "TZif", version, 15 reserved, then isut, isstd, leap, time, type, char counts */
	if (memcmp(d, "TZif", 4) != 0 || d[4] < '2')
		goto out;
	size_t c[6];
	for (int i = 0; i < 6; i++)
		c[i] = be32(d + 20 + 4 * i);
	size_t v1 = 44 + c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
	if (v1 + 44 > len || memcmp(d + v1, "TZif", 4) != 0)
		goto out;
	const unsigned char *h = d + v1;
	for (int i = 0; i < 6; i++)
		c[i] = be32(h + 20 + 4 * i);
	size_t body = c[3] * 9 + c[4] * 6 + c[5] + c[2] * 12 + c[1] + c[0];
	if (c[2] != 0 || c[3] > 100000 || v1 + 44 + body > len)
		goto out;
	const unsigned char *foot = h + 44 + body, *end = d + len;
	if (foot >= end || *foot != '\n')
		goto out;
	const unsigned char *fe = memchr(foot + 1, '\n', (size_t)(end - foot - 1));
	if (!fe)
		goto out;
	z->n = c[3];
	z->at = malloc((z->n ? z->n : 1) * sizeof(*z->at));
	z->off = malloc((z->n + 1) * sizeof(*z->off));
	if (!z->at || !z->off)
		goto out;
	for (size_t i = 0; i < z->n; i++) {
		z->at[i] = be64(h + 44 + 8 * i);
		if (i && z->at[i] <= z->at[i - 1])
			goto out;
	}
	z->rule_after = tz_rule_has_dst((const char *)foot + 1, (const char *)fe);
	ok = true;
out:
	if (!ok) {
		free(z->at);
		free(z->off);
		z->at = NULL;
		z->off = NULL;
	}
	free(d);
	close(fd);
	return ok;
}

/* probe_offset asks localtime_r for the offset at t; OFF_UNKNOWN when it cannot say. The
 * caller holds tz_lock with the zone set. */
static int probe_offset(int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (t < -ZONE_T_LIMIT || t > ZONE_T_LIMIT || !localtime_r(&tt, &tm))
		return OFF_UNKNOWN;
	return (int)tm.tm_gmtoff;
}

/* zone_find gives the offsets of zone tz (not UTC), reading them the first time; NULL when they
 * cannot be had (then localtime_r answers). */
static const struct zone *zone_find(const char *tz)
{
	const struct zone *lz = last_zone;
	if (lz && strcmp(lz->name, tz) == 0)
		return lz;
	if (strlen(tz) >= sizeof(lz->name) || tz[0] == '/' || tz[0] == ':' || strstr(tz, ".."))
		return NULL;
	struct zone *z = NULL;
	pthread_mutex_lock(&zones_lock);
	for (size_t i = 0; i < nzones && !z; i++)
		if (strcmp(zones[i]->name, tz) == 0)
			z = zones[i];
	if (!z && nzones < ZONES_MAX && (z = calloc(1, sizeof(*z))) != NULL) {
		snprintf(z->name, sizeof(z->name), "%s", tz);
		if (zone_read(tz, z)) {
			pthread_mutex_lock(&tz_lock);
			use_zone(tz);
			for (size_t i = 0; i <= z->n; i++)
				z->off[i] =
				    probe_offset(i == 0 ? (z->n ? z->at[0] - 1 : 0) : z->at[i - 1]);
			pthread_mutex_unlock(&tz_lock);
		} else {
			z->at = NULL; /* kept, so that the file is not read again */
		}
		zones[nzones++] = z;
	}
	pthread_mutex_unlock(&zones_lock);
	if (z && !z->off)
		z = NULL;
	if (z)
		last_zone = z;
	return z;
}

/* zone_stretch gives the offset of z at t from its stretches, and in [*from, *to) the stretch
 * around t that has it; false when localtime_r must. */
static bool zone_stretch(const struct zone *z, int64_t t, int *off, int64_t *from, int64_t *to)
{
	if (t < -ZONE_T_LIMIT || t > ZONE_T_LIMIT)
		return false;
	size_t lo = 0, hi = z->n; /* the first transition after t */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->at[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == z->n && z->rule_after)
		return false;
	*off = z->off[lo];
	*from = lo > 0 ? z->at[lo - 1] : -ZONE_T_LIMIT;
	*to = lo < z->n ? z->at[lo] : ZONE_T_LIMIT;
	return *off != OFF_UNKNOWN;
}

/* zone_offset gives the offset of z at t from its stretches; false when localtime_r must. */
static bool zone_offset(const struct zone *z, int64_t t, int *off)
{
	int64_t from, to;
	return zone_stretch(z, t, off, &from, &to);
}

/* offset_of gives the offset east of UTC of zone tz at t. */
static int64_t offset_of(const char *tz, int64_t t)
{
	const struct zone *z = zone_find(tz);
	int off;
	if (z && zone_offset(z, t, &off))
		return off;
	pthread_mutex_lock(&tz_lock);
	use_zone(tz);
	int64_t o = offset_at(t);
	pthread_mutex_unlock(&tz_lock);
	return o;
}

/* civil_parts breaks t + off into the parts of out (H. Hinnant's civil_from_days). */
static void civil_parts(int64_t t, int off, struct nc_tm *out)
{
	int64_t local = t + off;
	int64_t days = local / 86400, secs = local % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	out->year = (int)(yoe + era * 400 + (m <= 2));
	out->month = m;
	out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	out->hour = (int)(secs / 3600);
	out->min = (int)(secs / 60 % 60);
	out->sec = (int)(secs % 60);
	int64_t wd = (days + 4) % 7; /* 1970-01-01 was a Thursday */
	out->wday = (int)(wd < 0 ? wd + 7 : wd);
	out->offset = off;
}

int64_t time_local_to_utc(const char *tz, int y, int mo, int d, int h, int mi, int s)
{
	int64_t naive = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	if (is_utc(tz))
		return naive;
	/* At most one transition lies within a day: try the offsets in force a day before and a
	 * day after. Both fit: ambiguous, take the earlier; none fits: skipped, move forward. */
	int64_t before = offset_of(tz, naive - 86400), after = offset_of(tz, naive + 86400);
	int64_t ta = naive - before, tb = naive - after;
	bool oka = ta + offset_of(tz, ta) == naive, okb = tb + offset_of(tz, tb) == naive;
	if (oka && okb)
		return ta < tb ? ta : tb;
	if (okb)
		return tb;
	return ta;
}

/* local_parts is time_local_parts that also gives in [*from, *to) a stretch around t with the
 * same offset; an empty one (from = to = t) when it cannot say. */
static void local_parts(const char *tz, int64_t t, struct nc_tm *out, int64_t *from, int64_t *to)
{
	struct tm tm;
	time_t tt = (time_t)t;
	const struct zone *z;
	int off;
	*from = *to = t;
	if (is_utc(tz)) {
		/* no zone switch: UTC times (logs, the API in UTC) must not make the process
		 * re-read another zone's file the next time it needs it */
		if (t >= -ZONE_T_LIMIT && t <= ZONE_T_LIMIT) {
			civil_parts(t, 0, out);
			*from = -ZONE_T_LIMIT;
			*to = ZONE_T_LIMIT;
			return;
		}
		gmtime_r(&tt, &tm);
		tm.tm_gmtoff = 0;
	} else if ((z = zone_find(tz)) != NULL && zone_stretch(z, t, &off, from, to)) {
		civil_parts(t, off, out);
		return;
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

void time_local_parts(const char *tz, int64_t t, struct nc_tm *out)
{
	int64_t from, to;
	local_parts(tz, t, out, &from, &to);
}

/* two writes v (0..99) as two digits at p and returns the end. */
static char *two(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/* A thread's last days written by time_rfc3339, in one slot per UTC day modulo DAY_SLOTS: an
 * answer's times fall on a few days (the agenda's twenty on two or three), and within a slot's
 * [from, to), inside one local day and one stretch of the zone, the date and the offset stay
 * the same, so a time there is written from its seconds since the local midnight
 * (start) instead of being broken into parts again (~550 instructions a time before). */
#define DAY_SLOTS 8

struct day_slot {
	char tz[64]; /* the zone asked for ("UTC" for none); "" while the slot is empty */
	struct rfc3339_day day;
};

static __thread struct day_slot day_slots[DAY_SLOTS];

size_t time_rfc3339_in(const struct rfc3339_day *d, int64_t t, char out[32])
{
	int s = (int)(t - d->start);
	memcpy(out, d->date, 11);
	char *p = two(out + 11, s / 3600);
	*p++ = ':';
	p = two(p, s / 60 % 60);
	*p++ = ':';
	p = two(p, s % 60);
	memcpy(p, d->zone, d->zone_len + 1);
	return (size_t)(p - out) + d->zone_len;
}

size_t time_rfc3339_day(int64_t t, const char *tz, char out[32], struct rfc3339_day *keep)
{
	struct nc_tm tm;
	bool utc = is_utc(tz);
	const char *name = utc ? "UTC" : tz;
	bool in_range = t > -ZONE_T_LIMIT && t < ZONE_T_LIMIT; /* no overflow about the day below */
	int64_t day = in_range ? t / 86400 - (t % 86400 < 0) : 0;
	struct day_slot *d = &day_slots[(uint64_t)day % DAY_SLOTS];
	if (in_range && t >= d->day.from && t < d->day.to && strcmp(d->tz, name) == 0) {
		*keep = d->day;
		return time_rfc3339_in(&d->day, t, out);
	}
	keep->from = keep->to = 0; /* until a day is found below */
	int64_t from, to;
	local_parts(name, t, &tm, &from, &to);
	if (!utc && tm.offset % 60 != 0) {
		/* a local mean time (+02:30:17 in Moscow until 1916): RFC 3339 offsets have no
		 * seconds, so the moment is said in UTC rather than 17 seconds off */
		utc = true;
		/* a slot kept below then writes this whole stretch of the zone in UTC too */
		time_local_parts("UTC", t, &tm);
	}
	if (tm.year < 0 || tm.year > 9999) { /* the rare path keeps printf's widths */
		int off = tm.offset < 0 ? -tm.offset : tm.offset, n;
		if (utc || tm.offset == 0)
			n = snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.year, tm.month,
				     tm.day, tm.hour, tm.min, tm.sec);
		else
			n = snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.year,
				     tm.month, tm.day, tm.hour, tm.min, tm.sec,
				     tm.offset < 0 ? '-' : '+', off / 3600, off / 60 % 60);
		return n < 0 ? 0 : (size_t)n < 32 ? (size_t)n : 31;
	}
	/* by hand: snprintf was two thirds of the cost of a time in the API's answers */
	struct rfc3339_day fresh;
	char *p = fresh.date;
	p = two(two(p, tm.year / 100), tm.year % 100);
	*p++ = '-';
	p = two(p, tm.month);
	*p++ = '-';
	p = two(p, tm.day);
	*p++ = 'T';
	*p = 0;
	p = fresh.zone;
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
	fresh.zone_len = (size_t)(p - fresh.zone);
	int64_t secs = tm.hour * 3600 + tm.min * 60 + tm.sec;
	/* keep the day where the date and the offset hold: the local day within the stretch
	 * [from, to) of the offset (in the slot of t's UTC day, where it is looked for) */
	fresh.start = t - secs;
	fresh.from = from > fresh.start ? from : fresh.start;
	fresh.to = to < fresh.start + 86400 ? to : fresh.start + 86400;
	size_t n = time_rfc3339_in(&fresh, t, out);
	if (in_range && fresh.from < fresh.to) {
		*keep = fresh;
		if (strlen(name) < sizeof(d->tz)) {
			memcpy(d->tz, name, strlen(name) + 1);
			d->day = fresh;
		}
	}
	return n;
}

void time_rfc3339(int64_t t, const char *tz, char out[32])
{
	struct rfc3339_day day;
	time_rfc3339_day(t, tz, out, &day);
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

/* The moments a parser takes: from 1900-01-01T00:00:00Z to the start of 9999-12-31 UTC, so that
 * each prints (time_rfc3339) in every zone, 14 hours off UTC at most, as a text the parsers take
 * back: the written year may be 1899 (1900-01-01T00:00Z is 1899-12-31T19:00-05:00), and no
 * moment prints as year 10000. Found by fuzz_time: 1900-01-01Z printed in New York as a year
 * that was refused. */
#define MOMENT_MIN INT64_C(-2208988800)	 /* 1900-01-01T00:00:00Z */
#define MOMENT_END INT64_C(253402214400) /* 9999-12-31T00:00:00Z */

/* parse_moment does the work of the two parsers; tz NULL with require_zone demands an offset. */
static int parse_moment(const char *s, const char *tz, bool require_zone, const char *field,
			struct nc_when *out, struct nc_err *err)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	bool has_time = false;
	y = num(&p, 4);
	if (y < 1899 || *p++ != '-')
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
	if (out->t < MOMENT_MIN || out->t >= MOMENT_END)
		return nc_error_field(err, NC_EINVAL, field,
				      "%s: time \"%.*s\" out of range (1900-01-01T00:00Z to "
				      "9999-12-30T23:59:59Z)",
				      field, quote_len(s), s);
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
