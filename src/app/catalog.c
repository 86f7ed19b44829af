/* catalog.c - segments (with their contact cadence), lead sources and monthly ad spend. */
#include "app/app.h"
#include "util/time.h"
#include "util/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_name(const char *field, const char *name, struct nc_err *err)
{
	if (utf8_is_blank(name))
		return nc_error_field(err, NC_EINVAL, field, "%s: a name is required", field);
	if (strlen(name) > 100 || !utf8_valid(name, strlen(name)))
		return nc_error_field(err, NC_EINVAL, field, "%s: at most 100 bytes of valid UTF-8",
				      field);
	return 0;
}

/* parse_days reads a whole number of days from 1 to 365 at *p and advances. */
static int parse_days(const char **p)
{
	int v = 0, digits = 0;
	while (isdigit((unsigned char)**p) && digits < 4) {
		v = v * 10 + (**p - '0');
		(*p)++;
		digits++;
	}
	return digits && v >= 1 && v <= 365 ? v : -1;
}

static int finish(struct app *app, int rc, const char *action, const char *entity, int64_t id,
		  const char *detail, struct nc_err *err)
{
	if (rc == 0)
		rc = store_audit(app->db, app->now, app->actor ? app->actor->login : "system",
				 action, entity, id, detail, err);
	if (rc < 0) {
		db_rollback(app->db);
		return -1;
	}
	return db_commit(app->db, err);
}

int app_segment_add(struct app *app, const char *name, const char *every, int64_t *id,
		    struct nc_err *err)
{
	if (app_require_role(app, ROLE_HEAD, err) < 0 || check_name("name", name, err) < 0)
		return -1;
	const char *p = every ? every : "";
	int lo = parse_days(&p), hi = lo;
	if (lo > 0 && *p == '-') {
		p++;
		hi = parse_days(&p);
	}
	if (lo < 0 || hi < lo || *p)
		return nc_error_field(err, NC_EINVAL, "every",
				      "every \"%.20s\": want DAYS or MIN-MAX days from 1 to 365, "
				      "e.g. 7 or 30-45",
				      every ? every : "");
	struct segment_rec s = {.name = name, .min_days = lo, .max_days = hi};
	if (db_begin(app->db, err) < 0)
		return -1;
	int rc = store_segment_insert(app->db, &s, id, err);
	if (rc < 0 && err && err->code == NC_ECONFLICT)
		nc_error_field(err, NC_ECONFLICT, "name", "segment \"%s\" already exists", name);
	return finish(app, rc, "segment.add", "segment", rc == 0 ? *id : 0, name, err);
}

int app_source_add(struct app *app, const char *name, int64_t *id, struct nc_err *err)
{
	if (app_require_role(app, ROLE_HEAD, err) < 0 || check_name("name", name, err) < 0)
		return -1;
	if (db_begin(app->db, err) < 0)
		return -1;
	int rc = store_source_insert(app->db, name, id, err);
	if (rc < 0 && err && err->code == NC_ECONFLICT)
		nc_error_field(err, NC_ECONFLICT, "name", "source \"%s\" already exists", name);
	return finish(app, rc, "source.add", "source", rc == 0 ? *id : 0, name, err);
}

int app_spend_set(struct app *app, const char *source, const char *month, const char *amount,
		  struct nc_err *err)
{
	if (app_require_role(app, ROLE_HEAD, err) < 0)
		return -1;
	struct source_rec s;
	int rc = store_source_by_name(app->db, app->a, source ? source : "", &s, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return nc_error_field(err, NC_EINVAL, "source", "source: no lead source \"%.60s\"",
				      source ? source : "");
	int y, m, d;
	char date[16];
	snprintf(date, sizeof(date), "%.7s-01", month ? month : "");
	if (!month || strlen(month) != 7 || time_parse_date(date, &y, &m, &d, "month", NULL) < 0)
		return nc_error_field(err, NC_EINVAL, "month", "month \"%.20s\": want YYYY-MM",
				      month ? month : "");
	int64_t minor;
	if (money_parse(amount ? amount : "", &minor) < 0)
		return nc_error_field(err, NC_EINVAL, "amount",
				      "amount \"%.30s\": want a non-negative sum like 15000 or "
				      "15000.50",
				      amount ? amount : "");
	if (db_begin(app->db, err) < 0)
		return -1;
	rc = store_spend_set(app->db, s.id, month, minor, err);
	return finish(app, rc, "spend.set", "source", s.id,
		      arena_printf(app->a, "%s %s", month, amount), err);
}
