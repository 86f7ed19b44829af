/* json.h - the JSON shapes of nextcall's records, one builder per record, shared by the CLI's
 * --json output and the HTTP API so both print the same contract. Times are RFC 3339 in the zone
 * given (the viewer's), money in major units as a number. Builders return new references. */
#ifndef NC_APP_JSON_H
#define NC_APP_JSON_H

#include "app/app.h"

#include <jansson.h>

json_t *json_of_step(const struct step_rec *s, const char *tz);
/* json_of_client: the client card; next may be NULL (then "next_step" is null). */
json_t *json_of_client(const struct client_rec *c, const struct step_rec *next, const char *tz);
/* json_of_card: json_of_client plus "deals" and "history" (the client show --json contract). */
json_t *json_of_card(const struct client_card *card, const char *tz);
json_t *json_of_call(const struct call_rec *c, const char *tz);
json_t *json_of_deal(const struct deal_rec *d, const char *tz);
json_t *json_of_user(const struct user_rec *u);
json_t *json_of_agenda(const struct agenda *ag, const char *tz);
json_t *json_of_violations(const struct violations *v, bool warnings);
/* The reports (the CLI's report --format json and /api/v1/reports/...): counts as integers, money
 * in major units, shares 0..1, a cost with nothing to divide by as null. */
json_t *json_of_report_stats(const struct report_stats *s);
json_t *json_of_report_funnel(const struct report_funnel *f);
json_t *json_of_report_reps(const struct report_reps *r);
/* json_money gives minor units as a JSON number of major units (12345 -> 123.45). */
json_t *json_money(int64_t minor);
json_t *json_time(int64_t t, const char *tz);

#endif
