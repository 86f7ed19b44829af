/* fuzz_time.c - libFuzzer target for the time and money fields people type (the "at" and
 * "due_at" of calls and steps, report ranges, amounts): the first byte picks the viewer's zone,
 * the rest is the text. Checked: a time time_parse_when or time_parse_rfc3339 takes prints as
 * RFC 3339 that reads back to the same moment; a date time_parse_date takes is a calendar date
 * that prints back as itself; an amount money_parse takes prints as one it reads back; every
 * refusal is one line of valid UTF-8 naming the field. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "util/time.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const zones[] = {"Europe/Moscow",
				    "Europe/Istanbul",
				    "Asia/Ho_Chi_Minh",
				    "America/New_York",
				    "Asia/Kolkata",
				    "Australia/Lord_Howe",
				    "UTC",
				    NULL};
#define NZONES (sizeof(zones) / sizeof(zones[0]))

static void check_refused(const struct nc_err *err, const char *field)
{
	if (err->code != NC_EINVAL || strcmp(err->field, field) != 0 || strpbrk(err->msg, "\r\n") ||
	    !utf8_valid(err->msg, strlen(err->msg)))
		abort();
}

/* check_moment: t prints as RFC 3339 in tz (and in UTC) that reads back to t; the stretch of
 * the day time_rfc3339_day gives writes its first and last second and t's neighbours as
 * time_rfc3339 does, with the length returned. */
static void check_moment(int64_t t, const char *tz)
{
	const char *in[] = {tz, NULL};
	for (size_t i = 0; i < 2; i++) {
		char out[32];
		int64_t back;
		struct nc_err err = {0};
		time_rfc3339(t, in[i], out);
		if (time_parse_rfc3339(out, "at", &back, &err) < 0 || back != t)
			abort();
		struct rfc3339_day day;
		char kept[32];
		if (time_rfc3339_day(t, in[i], kept, &day) != strlen(out) || strcmp(kept, out) != 0)
			abort();
		if (day.from == day.to)
			continue;
		if (t < day.from || t >= day.to)
			abort();
		const int64_t probes[] = {day.from, day.to - 1, t - 1, t + 1};
		for (size_t k = 0; k < sizeof(probes) / sizeof(probes[0]); k++) {
			if (probes[k] < day.from || probes[k] >= day.to)
				continue;
			size_t n = time_rfc3339_in(&day, probes[k], kept);
			time_rfc3339(probes[k], in[i], out);
			if (n != strlen(out) || strcmp(kept, out) != 0)
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 256)
		return 0;
	const char *tz = zones[data[0] % NZONES];
	char *s = malloc(size);
	if (!s)
		abort();
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;

	struct nc_err err = {0};
	struct nc_when w;
	if (time_parse_when(s, tz, "at", &w, &err) < 0)
		check_refused(&err, "at");
	else
		check_moment(w.t, tz);

	int64_t t;
	nc_err_clear(&err);
	if (time_parse_rfc3339(s, "due_at", &t, &err) < 0)
		check_refused(&err, "due_at");
	else
		check_moment(t, tz);

	int y, m, d;
	nc_err_clear(&err);
	if (time_parse_date(s, &y, &m, &d, "from", &err) < 0) {
		check_refused(&err, "from");
	} else {
		static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		char again[16];
		int y2, m2, d2;
		if (y < 0 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
			abort();
		snprintf(again, sizeof(again), "%04d-%02d-%02d", y, m, d);
		if (time_parse_date(again, &y2, &m2, &d2, "from", NULL) < 0 || y2 != y || m2 != m ||
		    d2 != d)
			abort();
	}

	int64_t minor, back;
	char out[32];
	if (money_parse(s, &minor) == 0) {
		money_format(minor, out);
		if (minor < 0 || money_parse(out, &back) < 0 || back != minor)
			abort();
	}
	free(s);
	return 0;
}
