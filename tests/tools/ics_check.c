/* ics_check.c - validates an iCalendar file the way calendar programs read it, for the HTTP
 * tests of /api/v1/agenda.ics: CRLF line endings, lines of at most 75 octets folded without
 * splitting UTF-8, parsed by libical as one VCALENDAR with VERSION 2.0 and PRODID whose every
 * VEVENT has UID, DTSTAMP, DTSTART and SUMMARY. Prints the number of events; exits 1 on a fault.
 * Usage: ics_check FILE ("-" for standard input). */
#include <libical/ical.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, long line)
{
	if (line > 0)
		fprintf(stderr, "ics_check: line %ld: %s\n", line, what);
	else
		fprintf(stderr, "ics_check: %s\n", what);
	return -1;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, got;
	char *s = malloc(cap + 1);
	while (s && (got = fread(s + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *t = realloc(s, 2 * cap + 1);
			if (!t)
				free(s);
			s = t;
			cap *= 2;
		}
	}
	if (f != stdin)
		fclose(f);
	if (s)
		s[n] = 0;
	*len = n;
	return s;
}

/* utf8_ok says whether s[0..n) is well-formed UTF-8 (a fold inside a character breaks it). */
static bool utf8_ok(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t k = 9; /* continuation bytes; 9: not a lead byte */
		if (c < 0x80)
			k = 0;
		else if ((c & 0xE0) == 0xC0 && c >= 0xC2)
			k = 1;
		else if ((c & 0xF0) == 0xE0)
			k = 2;
		else if ((c & 0xF8) == 0xF0 && c <= 0xF4)
			k = 3;
		if (k == 9 || i + k >= n)
			return false;
		for (size_t j = 1; j <= k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
		i += k + 1;
	}
	return true;
}

/* check_lines checks the physical lines: CRLF endings, at most 75 octets, valid UTF-8. */
static int check_lines(const char *s, size_t len)
{
	long line = 1;
	for (size_t i = 0; i < len; line++) {
		const char *nl = memchr(s + i, '\n', len - i);
		if (!nl)
			return fail("the last line does not end with CRLF", line);
		size_t end = (size_t)(nl - s);
		if (end == i || s[end - 1] != '\r')
			return fail("line ends with LF, not CRLF", line);
		size_t n = end - 1 - i;
		if (n > 75)
			return fail("line longer than 75 octets (not folded)", line);
		if (!utf8_ok((const unsigned char *)s + i, n))
			return fail("invalid UTF-8 (or a fold splitting a character)", line);
		i = end + 1;
	}
	return 0;
}

static int check_event(icalcomponent *ev, int n)
{
	static const icalproperty_kind need[] = {ICAL_UID_PROPERTY, ICAL_DTSTAMP_PROPERTY,
						 ICAL_DTSTART_PROPERTY, ICAL_SUMMARY_PROPERTY};
	static const char *const names[] = {"UID", "DTSTAMP", "DTSTART", "SUMMARY"};
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (!icalcomponent_get_first_property(ev, need[i])) {
			fprintf(stderr, "ics_check: event %d has no %s\n", n, names[i]);
			return -1;
		}
	}
	return 0;
}

static int check_calendar(const char *text)
{
	icalcomponent *cal = icalparser_parse_string(text);
	int events = -1;
	if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		fail("not one VCALENDAR", 0);
		goto out;
	}
	icalproperty *v = icalcomponent_get_first_property(cal, ICAL_VERSION_PROPERTY);
	if (!v || strcmp(icalproperty_get_version(v), "2.0") != 0) {
		fail("VERSION is not 2.0", 0);
		goto out;
	}
	if (!icalcomponent_get_first_property(cal, ICAL_PRODID_PROPERTY)) {
		fail("no PRODID", 0);
		goto out;
	}
	if (icalcomponent_count_errors(cal) > 0) {
		fail("libical found errors (X-LIC-ERROR properties)", 0);
		goto out;
	}
	int n = 0;
	for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		if (check_event(ev, ++n) < 0)
			goto out;
	events = n;
out:
	if (cal)
		icalcomponent_free(cal);
	return events;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: ics_check FILE\n");
		return 2;
	}
	size_t len = 0;
	char *text = slurp(argv[1], &len);
	if (!text) {
		fprintf(stderr, "ics_check: cannot read %s\n", argv[1]);
		return 1;
	}
	int events = -1;
	if (memchr(text, 0, len))
		fail("NUL byte in the file", 0);
	else if (check_lines(text, len) == 0)
		events = check_calendar(text);
	free(text);
	if (events < 0)
		return 1;
	printf("%d\n", events);
	return 0;
}
