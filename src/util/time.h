/* time.h - clock, time zones and the two time formats nextcall speaks: WHEN
 * ("YYYY-MM-DDTHH:MM" in a user's zone, or with an offset) and RFC 3339 for the API.
 * Storage is always UTC epoch seconds. */
#ifndef NC_TIME_H
#define NC_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* nc_now returns the current UTC epoch seconds, or the value of NEXTCALL_NOW when set (an
 * RFC 3339 time or epoch seconds), so that tests and demo data see a fixed clock. */
int64_t nc_now(void);

/* A parsed user time. has_time is false when only a date was given ("2026-11-25"): such a
 * value names a day, not a moment, and the sales rules call a next step with it vague. */
struct nc_when {
	int64_t t; /* UTC epoch seconds (midnight in the zone when !has_time) */
	bool has_time;
};

/* time_parse_when parses s as YYYY-MM-DD, YYYY-MM-DD[T ]HH:MM[:SS] in zone tz (NULL: UTC), or
 * the same with "Z" or a "+HH:MM"/"-HH:MM" offset (then tz is not used), a moment from
 * 1900-01-01T00:00Z to before 9999-12-31T00:00Z (each one time_rfc3339 writes in any zone is
 * read back). Errors name field. */
int time_parse_when(const char *s, const char *tz, const char *field, struct nc_when *out,
		    struct nc_err *err);

/* time_parse_date parses YYYY-MM-DD into its parts (1-based month). */
int time_parse_date(const char *s, int *y, int *m, int *d, const char *field, struct nc_err *err);

/* time_local_to_utc converts a wall-clock time in zone tz to UTC epoch seconds. A time that does
 * not exist (skipped by a DST change) moves forward; an ambiguous one takes the first. */
int64_t time_local_to_utc(const char *tz, int y, int mo, int d, int h, int mi, int s);

/* time_local_parts breaks t into wall-clock parts in zone tz; *offset gets seconds east of UTC. */
struct nc_tm {
	int year, month, day, hour, min, sec, wday; /* month 1-12, wday 0=Sunday */
	int offset;
};
void time_local_parts(const char *tz, int64_t t, struct nc_tm *out);

/* time_rfc3339 writes t as RFC 3339 in zone tz ("Z" when tz is NULL or "UTC") into out. */
void time_rfc3339(int64_t t, const char *tz, char out[32]);

/* struct rfc3339_day: a stretch [from, to) of one local day and one offset of a zone, in which
 * time_rfc3339 writes each moment t as date, the clock time of t - start (hh:mm:ss), zone. */
struct rfc3339_day {
	int64_t from, to, start; /* from == to: none */
	char date[12];		 /* "YYYY-MM-DDT" */
	char zone[8];		 /* "Z" or "+03:00" */
	size_t zone_len;
};

/* time_rfc3339_day writes t as time_rfc3339 does and returns the text's length; day gets the
 * stretch of t (empty for a moment written the rare way), so that a writer of many moments in
 * one zone may write those of the same stretch with time_rfc3339_in, without the zone's look-up. */
size_t time_rfc3339_day(int64_t t, const char *tz, char out[32], struct rfc3339_day *day);

/* time_rfc3339_in writes t, in [day->from, day->to), as time_rfc3339 does in the zone of day;
 * returns the length (25 at most). */
size_t time_rfc3339_in(const struct rfc3339_day *day, int64_t t, char out[32]);
/* time_parse_rfc3339 requires a full RFC 3339 date-time with Z or an offset... or is lenient
 * like time_parse_when when tz is given. Returns 0 or -1 with err naming field. */
int time_parse_rfc3339(const char *s, const char *field, int64_t *out, struct nc_err *err);

/* time_day_bounds gives [start, end) in UTC of the local day containing t in zone tz, or of the
 * given date when y > 0. */
void time_day_bounds(const char *tz, int64_t t, int y, int m, int d, int64_t *start, int64_t *end);

/* time_zone_valid says whether tz names a zone in the system's zoneinfo database. */
bool time_zone_valid(const char *tz);

/* time_format_local writes t as "YYYY-MM-DD HH:MM" in zone tz into out. */
void time_format_local(int64_t t, const char *tz, char out[24]);

#endif
