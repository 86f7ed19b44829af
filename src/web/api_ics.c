/* api_ics.c - the agenda as an iCalendar feed (RFC 5545) that calendar programs subscribe to:
 * one event per planned next step of a user, built with libical. The route is public: the API
 * token comes in the query string (calendar programs send no headers) and is never logged. */
#include "web/api.h"
#include "util/log.h"

#include <libical/ical.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINUTE 60

/* Meetings and visits take an hour on the calendar; calls, offers and the rest half an hour. */
static int event_minutes(enum step_kind k)
{
	return k == STEP_MEETING || k == STEP_VISIT ? 60 : 30;
}

static struct icaltimetype utc(int64_t t)
{
	return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

static void add_x(icalcomponent *c, const char *name, const char *value)
{
	icalproperty *p = icalproperty_new_x(value);
	icalproperty_set_x_name(p, name);
	icalcomponent_add_property(c, p);
}

/* text copies s into the arena for a property value: control characters become spaces, as
 * RFC 5545 allows none of them, except LF when keep_lf (libical writes it as \n in TEXT values;
 * an X- property is not escaped, so there it must go); CR is dropped. */
static const char *text(struct arena *a, const char *s, bool keep_lf)
{
	char *t = arena_strdup(a, s ? s : "");
	char *w = t;
	for (const char *p = t; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\r')
			continue;
		*w++ = (c < 0x20 && !(c == '\n' && keep_lf)) || c == 0x7f ? ' ' : (char)c;
	}
	*w = 0;
	return t;
}

/* step_event makes the VEVENT of one step; now stamps it. Strings go through libical, which
 * escapes commas, semicolons, backslashes and newlines in TEXT values. */
static icalcomponent *step_event(struct arena *a, const struct step_rec *s, int64_t now)
{
	const char *client = text(a, s->client_name, false);
	const char *desc =
	    text(a,
		 arena_printf(a, "phone: %s%s%s", s->client_phone ? s->client_phone : "-",
			      s->note ? "\n" : "", s->note ? s->note : ""),
		 true);
	icalcomponent *ev = icalcomponent_vanew(
	    ICAL_VEVENT_COMPONENT,
	    icalproperty_new_uid(arena_printf(a, "step-%lld@nextcall", (long long)s->id)),
	    icalproperty_new_dtstamp(utc(now)), icalproperty_new_dtstart(utc(s->due_at)),
	    icalproperty_new_duration(icaldurationtype_from_int(event_minutes(s->kind) * MINUTE)),
	    icalproperty_new_summary(arena_printf(a, "%s: %s", step_kind_name(s->kind), client)),
	    icalproperty_new_description(desc), icalproperty_new_status(ICAL_STATUS_CONFIRMED),
	    (void *)0);
	return ev;
}

/* calendar_text gives the feed as iCalendar text (CRLF, folded lines); free() it. */
static char *calendar_text(struct req *r, const struct step_calendar *cal)
{
	icalcomponent *vc = icalcomponent_new_vcalendar();
	icalcomponent_add_property(vc, icalproperty_new_version("2.0"));
	icalcomponent_add_property(vc, icalproperty_new_prodid("-//nextcall//EN"));
	icalcomponent_add_property(vc, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(vc, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	const char *who = cal->user.name && *cal->user.name ? cal->user.name : cal->user.login;
	add_x(vc, "X-WR-CALNAME", text(&r->a, arena_printf(&r->a, "nextcall: %s", who), false));
	add_x(vc, "X-PUBLISHED-TTL", "PT15M");
	for (size_t i = 0; i < cal->n; i++)
		icalcomponent_add_component(vc, step_event(&r->a, &cal->steps[i], r->app.now));
	char *out = icalcomponent_as_ical_string_r(vc);
	icalcomponent_free(vc);
	return out;
}

void api_agenda_ics(struct req *r)
{
	struct nc_err err = {0};
	/* a public route: act as nobody until the token names the user */
	app_begin(&r->app, r->db, &r->a, NULL);
	int rc = app_token_check(&r->app, http_query(r, "token"), &r->user, &err);
	if (rc == 0)
		nc_error_field(&err, NC_EAUTH, "token",
			       "token: give a live API token as ?token= (nextcall token create)");
	if (rc <= 0) {
		http_fail(r, &err);
		return;
	}
	r->auth = AUTH_TOKEN;
	app_begin(&r->app, r->db, &r->a, &r->user);
	struct step_calendar cal;
	if (app_step_calendar(&r->app, http_query(r, "rep"), &cal, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	char *feed = calendar_text(r, &cal);
	if (!feed) {
		log_error("agenda.ics: libical could not write the calendar of %s", cal.user.login);
		http_error(r, 500, "internal", NULL, "the server failed; the error is logged");
		return;
	}
	http_header_set(r, "Content-Disposition", "inline; filename=\"nextcall.ics\"");
	http_body(r, 200, "text/calendar; charset=utf-8", feed, strlen(feed));
	free(feed);
}
