/* catalog.c - segments (with their contact cadence), lead sources and monthly ad spend, and the
 * deals opened with clients (amount and stage, changed by hand through the API). */
#include "app/app.h"
#include "app/internal.h"
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

static int segment_insert(struct app *app, const char *name, int lo, int hi, int64_t *id,
			  struct nc_err *err)
{
	struct segment_rec s = {.name = name, .min_days = lo, .max_days = hi};
	if (db_begin(app->db, err) < 0)
		return -1;
	int rc = store_segment_insert(app->db, &s, id, err);
	if (rc < 0 && err && err->code == NC_ECONFLICT)
		nc_error_field(err, NC_ECONFLICT, "name", "segment \"%s\" already exists", name);
	return finish(app, rc, "segment.add", "segment", rc == 0 ? *id : 0, name, err);
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
	return segment_insert(app, name, lo, hi, id, err);
}

int app_segment_add_days(struct app *app, const char *name, int min_days, int max_days, int64_t *id,
			 struct nc_err *err)
{
	if (app_require_role(app, ROLE_HEAD, err) < 0 || check_name("name", name, err) < 0)
		return -1;
	if (min_days < 1 || min_days > 365)
		return nc_error_field(err, NC_EINVAL, "min_days",
				      "min_days %d: want a number of days from 1 to 365", min_days);
	if (max_days < min_days || max_days > 365)
		return nc_error_field(
		    err, NC_EINVAL, "max_days",
		    "max_days %d: want a number of days from min_days (%d) to 365", max_days,
		    min_days);
	return segment_insert(app, name, min_days, max_days, id, err);
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

/* money_field reads the amount of a deal or of a month of spend (minor units). */
static int money_field(const char *amount, int64_t *minor, struct nc_err *err)
{
	if (money_parse(amount, minor) < 0)
		return nc_error_field(err, NC_EINVAL, "amount",
				      "amount \"%.30s\": want a non-negative sum like 15000 or "
				      "15000.50",
				      amount);
	return 0;
}

/* spend_put validates month and amount and stores the spend of source s. */
static int spend_put(struct app *app, const struct source_rec *s, const char *month,
		     const char *amount, struct nc_err *err)
{
	int y, m, d;
	char date[16];
	if (!month || !amount)
		return nc_error_field(err, NC_EINVAL, month ? "amount" : "month", "%s: required",
				      month ? "amount" : "month");
	snprintf(date, sizeof(date), "%.7s-01", month);
	if (strlen(month) != 7 || time_parse_date(date, &y, &m, &d, "month", NULL) < 0)
		return nc_error_field(err, NC_EINVAL, "month", "month \"%.20s\": want YYYY-MM",
				      month);
	int64_t minor;
	if (money_field(amount, &minor, err) < 0)
		return -1;
	if (db_begin(app->db, err) < 0)
		return -1;
	int rc = store_spend_set(app->db, s->id, month, minor, err);
	return finish(app, rc, "spend.set", "source", s->id,
		      arena_printf(app->a, "%s %s", month, amount), err);
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
	return spend_put(app, &s, month, amount, err);
}

int app_spend_set_id(struct app *app, int64_t source_id, const char *month, const char *amount,
		     struct nc_err *err)
{
	if (app_require_role(app, ROLE_HEAD, err) < 0)
		return -1;
	struct source_rec s;
	int rc = store_source_by_id(app->db, app->a, source_id, &s, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return nc_error_field(err, NC_ENOTFOUND, "id", "no lead source with id %lld",
				      (long long)source_id);
	return spend_put(app, &s, month, amount, err);
}

/* ---- deals ---- */

static int deal_stage(const char *stage, enum deal_stage *out, struct nc_err *err)
{
	int s = deal_stage_parse(stage);
	if (s < 0 || s >= DEAL__COUNT)
		return nc_error_field(err, NC_EINVAL, "stage",
				      "stage \"%.20s\": want offer, pending, won or lost", stage);
	*out = (enum deal_stage)s;
	return 0;
}

static bool deal_closed(enum deal_stage s)
{
	return s == DEAL_WON || s == DEAL_LOST;
}

static const char *deal_detail(struct app *app, const struct deal_rec *d)
{
	char amount[32];
	money_format(d->amount, amount);
	return arena_printf(app->a, "client %lld %s %s", (long long)d->client_id,
			    deal_stage_name(d->stage), amount);
}

static int deal_create(struct app *app, const struct deal_input *in, int64_t *id,
		       struct nc_err *err)
{
	struct client_rec c;
	struct deal_rec d = {.stage = DEAL_OFFER, .created_at = app->now, .updated_at = app->now};
	if (in->client_id <= 0)
		return nc_error_field(err, NC_EINVAL, "client_id", "client_id: required");
	if (!in->amount)
		return nc_error_field(err, NC_EINVAL, "amount", "amount: required");
	if (app_check_client(app, in->client_id, &c, err) < 0 ||
	    money_field(in->amount, &d.amount, err) < 0 ||
	    (in->stage && deal_stage(in->stage, &d.stage, err) < 0))
		return -1;
	d.client_id = c.id;
	/* the deal counts for the client's rep; an unassigned lead's for whoever opens it */
	d.rep_id = c.owner_id ? c.owner_id : app->actor ? app->actor->id : 0;
	d.closed_at = deal_closed(d.stage) ? app->now : 0;
	if (db_begin(app->db, err) < 0)
		return -1;
	int rc = store_deal_insert(app->db, &d, id, err);
	return finish(app, rc, "deal.add", "deal", rc == 0 ? *id : 0, deal_detail(app, &d), err);
}

int app_deal_create(struct app *app, const struct deal_input *in, int64_t *id, struct nc_err *err)
{
	int rc, tries = 0;
	do
		rc = deal_create(app, in, id, err);
	while (app_retry(app, rc, &tries, "deal.add", err));
	return rc;
}

int app_deal_get(struct app *app, int64_t id, struct deal_rec *out, struct nc_err *err)
{
	struct client_rec c;
	int rc = store_deal_get(app->db, app->a, id, out, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return nc_error_field(err, NC_ENOTFOUND, "id", "deal %lld does not exist",
				      (long long)id);
	return app_check_client(app, out->client_id, &c, err);
}

/* deal_change applies in to deal id inside the caller's transaction; *d gets the result. */
static int deal_change(struct app *app, int64_t id, const struct deal_input *in, struct deal_rec *d,
		       struct nc_err *err)
{
	if (app_deal_get(app, id, d, err) < 0)
		return -1;
	enum deal_stage was = d->stage;
	if ((in->amount && money_field(in->amount, &d->amount, err) < 0) ||
	    (in->stage && deal_stage(in->stage, &d->stage, err) < 0))
		return -1;
	/* closed_at is the moment a deal reached its final stage: kept while it stays there,
	 * cleared when it is reopened */
	if (!deal_closed(d->stage))
		d->closed_at = 0;
	else if (d->stage != was || !d->closed_at)
		d->closed_at = app->now;
	d->updated_at = app->now;
	return store_deal_update(app->db, d, err);
}

static int deal_update(struct app *app, int64_t id, const struct deal_input *in, struct nc_err *err)
{
	struct deal_rec d = {0};
	/* read and write in one transaction so that two changes cannot interleave */
	if (db_begin(app->db, err) < 0)
		return -1;
	int rc = deal_change(app, id, in, &d, err);
	return finish(app, rc, "deal.set", "deal", id, rc == 0 ? deal_detail(app, &d) : NULL, err);
}

int app_deal_update(struct app *app, int64_t id, const struct deal_input *in, struct nc_err *err)
{
	int rc, tries = 0;
	do
		rc = deal_update(app, id, in, err);
	while (app_retry(app, rc, &tries, "deal.set", err));
	return rc;
}

int app_deal_list(struct app *app, const struct deal_query *q, struct deal_rec **out, size_t *n,
		  struct nc_err *err)
{
	struct deal_filter f = {
	    .client_id = q->client_id, .stage = -1, .after = q->after, .limit = q->limit};
	struct client_rec c;
	if (q->stage) {
		enum deal_stage s = DEAL_OFFER;
		if (deal_stage(q->stage, &s, err) < 0)
			return -1;
		f.stage = (int)s;
	}
	if (q->client_id && app_check_client(app, q->client_id, &c, err) < 0)
		return -1;
	if (!app_is_manager(app))
		f.visible_to = app->actor->id;
	return store_deal_query(app->db, app->a, &f, out, n, err);
}

int app_segment_list(struct app *app, struct segment_rec **out, size_t *n, struct nc_err *err)
{
	*out = NULL;
	*n = 0;
	if (app_require_role(app, ROLE_REP, err) < 0)
		return -1;
	return store_segment_list(app->db, app->a, out, n, err);
}

int app_source_list(struct app *app, struct source_rec **out, size_t *n, struct nc_err *err)
{
	*out = NULL;
	*n = 0;
	if (app_require_role(app, ROLE_REP, err) < 0)
		return -1;
	return store_source_list(app->db, app->a, out, n, err);
}
