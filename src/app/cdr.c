/* cdr.c (app) - "import cdr": Asterisk's Master.csv into calls from the exchange (logged = 0),
 * one call per uniqueid, idempotent, bad records reported by line and skipped while the good ones
 * go in one transaction; a recent missed inbound call gets a callback for the client's owner. */
#include "app/cdr.h"
#include "app/internal.h"
#include "io/cdr.h"
#include "io/phone.h"
#include "util/buf.h"
#include "util/time.h"

#include <stdlib.h>
#include <string.h>

struct cdr_import {
	struct app *app;
	struct team_settings ts;
	struct cdr_import_report *rep;
	struct ext *exts; /* the extension map: active users with one, by extension */
	size_t nexts;
	struct buf issues;	    /* struct import_issue */
	struct buf changed;	    /* int64_t pairs: client, owner with a new callback */
	struct phone_batch *phones; /* the numbers of the calls being stored, normalized */
};

/* One call: the rows sharing a key, in file order. */
struct group {
	const char *key;
	struct cdr_row **rows;
	size_t n;
	bool stored;	    /* stored by an earlier import (found before its phone is normalized) */
	enum direction dir; /* of the row that describes it, and the rep (found with the phone) */
	int64_t rep;
};

/* An extension and its user; the first of the user list wins when several share one. */
struct ext {
	const char *ext;
	size_t order; /* in the user list */
	int64_t id;
};

static int ext_cmp(const void *a, const void *b)
{
	const struct ext *x = a, *y = b;
	int c = strcmp(x->ext, y->ext);
	return c ? c : x->order < y->order ? -1 : x->order > y->order;
}

/* ext_map keeps the active users that have an extension, sorted: a call looks up to three
 * extensions, among hundreds of users on a big team */
static void ext_map(struct cdr_import *im, const struct user_rec *u, size_t n)
{
	im->exts = ARENA_ARRAY(im->app->a, struct ext, n ? n : 1);
	im->nexts = 0;
	for (size_t i = 0; i < n; i++)
		if (u[i].active && u[i].extension && *u[i].extension)
			im->exts[im->nexts++] = (struct ext){u[i].extension, i, u[i].id};
	if (im->nexts)
		qsort(im->exts, im->nexts, sizeof(*im->exts), ext_cmp);
}

static void add_issue(struct cdr_import *im, long line, const char *reason)
{
	struct import_issue is = {.line = line, .reason = arena_strdup(im->app->a, reason)};
	buf_add(&im->issues, &is, sizeof(is));
}

/* rep_by_ext gives the id of the active user whose extension is ext, 0 when none. */
static int64_t rep_by_ext(const struct cdr_import *im, const char *ext)
{
	size_t lo = 0, hi = im->nexts; /* the first entry >= ext */
	while (*ext && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(im->exts[mid].ext, ext) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return *ext && lo < im->nexts && strcmp(im->exts[lo].ext, ext) == 0 ? im->exts[lo].id : 0;
}

static const char *row_key(struct app *app, const struct cdr_row *r)
{
	if (*r->uniqueid)
		return r->uniqueid;
	/* no uniqueid column: the start second and the calling channel name one call */
	return arena_printf(app->a, "cdr:%lld:%s", (long long)r->start, r->channel);
}

struct keyed {
	const char *key;
	struct cdr_row *row;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	return x->row->line < y->row->line ? -1 : x->row->line > y->row->line;
}

/* pick chooses the row that describes the call (PROTOCOL.md pitfall 6): an ANSWERED row with a
 * dstchannel; else an ANSWERED row with billsec (the PBX itself answered: no Dial); else the
 * dial attempt (a row with a dstchannel); else the first. The ANSWERED 0/0 row without a
 * dstchannel that a failed Dial from an answered channel adds is thus never chosen over it. */
static const struct cdr_row *pick(const struct group *g)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->rows[i]->disposition == CDR_ANSWERED && *g->rows[i]->dstchannel)
			return g->rows[i];
	for (size_t i = 0; i < g->n; i++)
		if (g->rows[i]->disposition == CDR_ANSWERED && g->rows[i]->billsec > 0)
			return g->rows[i];
	for (size_t i = 0; i < g->n; i++)
		if (*g->rows[i]->dstchannel)
			return g->rows[i];
	return g->rows[0];
}

/* direction: outbound when the caller is a rep's extension (by src or by the calling channel)
 * or the call entered an internal context; inbound otherwise (from a trunk). */
static enum direction direction_of(struct cdr_import *im, const struct cdr_row *r, int64_t *rep)
{
	struct app *app = im->app;
	int64_t by_src = rep_by_ext(im, r->src);
	int64_t by_chan = rep_by_ext(im, cdr_channel_peer(r->channel, app->a));
	if (by_src || by_chan) {
		*rep = by_src ? by_src : by_chan;
		return DIR_OUT;
	}
	if (strstr(r->dcontext, "internal")) {
		*rep = 0;
		return DIR_OUT;
	}
	*rep = rep_by_ext(im, cdr_channel_peer(r->dstchannel, app->a));
	return DIR_IN;
}

/* plan_callback gives a recent missed inbound call from a known client a callback due
 * callback.delay_min after its end, for the client's owner (unassigned when he has none),
 * unless the client already has a planned callback. */
static int plan_callback(struct cdr_import *im, const struct call_rec *c, int64_t call_id,
			 struct nc_err *err)
{
	struct app *app = im->app;
	if (c->started_at < app->now - CDR_CALLBACK_WINDOW_S)
		return 0;
	/* one planned callback is enough, whatever else is planned for him */
	int rc = store_step_has_planned(app->db, c->client_id, STEP_CALLBACK, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	struct client_rec cl;
	rc = store_client_get(app->db, app->a, c->client_id, &cl, err);
	if (rc <= 0)
		return rc;
	struct step_rec s = {.client_id = c->client_id,
			     .call_id = call_id,
			     .rep_id = cl.owner_id,
			     .kind = STEP_CALLBACK,
			     .due_at = c->ended_at + (int64_t)im->ts.callback_delay_min * 60,
			     .status = STEP_PLANNED,
			     .auto_planned = true,
			     .created_at = app->now};
	int64_t id;
	if (store_step_insert(app->db, &s, &id, err) < 0)
		return -1;
	int64_t pair[2] = {c->client_id, cl.owner_id};
	buf_add(&im->changed, pair, sizeof(pair));
	im->rep->callbacks++;
	return 0;
}

/* call_phone gives the other party's number of a call described by r, NULL when none. */
static const char *call_phone(enum direction d, const struct cdr_row *r)
{
	const char *phone = d == DIR_IN ? r->src : r->dst;
	return *phone ? phone : NULL;
}

/* store_group turns one group of rows into a call and stores it (unless already stored). */
static int store_group(struct cdr_import *im, const struct group *g, struct nc_err *err)
{
	struct app *app = im->app;
	if (g->stored) {
		im->rep->already++;
		return 0;
	}
	const struct cdr_row *r = pick(g);
	struct call_rec c = {.kind = CONTACT_CALL, .result = -1, .logged = false};
	c.direction = g->dir; /* direction_of(im, r, &c.rep_id), by add_phones */
	c.rep_id = g->rep;
	c.missed = r->disposition != CDR_ANSWERED;
	c.started_at = g->rows[0]->start;
	c.ended_at = r->end;
	for (size_t i = 0; i < g->n; i++) {
		if (g->rows[i]->start < c.started_at)
			c.started_at = g->rows[i]->start;
		if (g->rows[i]->end > c.ended_at)
			c.ended_at = g->rows[i]->end;
	}
	c.answered_at = c.missed ? 0 : r->answer;
	/* billsec runs from party A's answer: for a click-to-call it holds the customer's ringing
	 * too (pitfall 5), so it is talk time only for an answered row */
	c.talk_s = c.missed ? 0 : (int)r->billsec;
	c.ring_s = (int)(c.missed ? r->duration : r->duration - r->billsec);
	if (c.ring_s < 0)
		c.ring_s = 0;
	c.phone = call_phone(c.direction, r);
	char e164[PHONE_E164_MAX];
	if (c.phone && phone_batch_get(im->phones, c.phone, e164, NULL) == 0 &&
	    store_phone_owner(app->db, e164, &c.client_id, err) < 0)
		return -1;
	c.pbx_id = g->key;
	c.created_at = app->now;
	/* store_call_insert watches the rows the call may change before it writes it (a missed
	 * call of its client it calls back, across midnight or from an earlier file too, and his
	 * won deals, whose cycle runs from his first contact): inside the import's transaction
	 * the difference of every call (and of every callback step planned) goes to the
	 * transaction's one, applied once, merged by cell, by the commit (docs/reports.md) */
	int64_t id;
	if (store_call_insert(app->db, &c, &id, err) < 0)
		return -1;
	im->rep->created++;
	if (c.direction == DIR_IN && c.missed) {
		im->rep->missed_in++;
		if (c.client_id && plan_callback(im, &c, id, err) < 0)
			return -1;
	}
	return 0;
}

/* read_rows reads every record of the file; bad ones become issues. */
static struct keyed *read_rows(struct cdr_import *im, struct cdr_reader *rd, size_t *n)
{
	struct app *app = im->app;
	struct keyed *k = NULL;
	size_t cap = 0;
	*n = 0;
	struct cdr_row row;
	struct nc_err rerr;
	int rc;
	while ((rc = cdr_next(rd, &row, &rerr)) != 0) {
		im->rep->rows++;
		if (rc < 0) {
			im->rep->bad++;
			add_issue(im, rerr.ref, rerr.msg);
			continue;
		}
		struct cdr_row *copy = arena_alloc(app->a, sizeof(*copy));
		*copy = row;
		k = arena_grow(app->a, k, &cap, *n, sizeof(*k));
		k[(*n)++] = (struct keyed){row_key(app, copy), copy};
	}
	return k;
}

/* CHUNK calls at a time: the numbers of the next chunk are normalized on other threads while
 * the calls of this one are stored */
#define CHUNK 2048

/* add_phones finds which calls of gs[from, to) are already stored and notes the numbers of the
 * others in b. The groups' keys differ, so storing the calls of one chunk cannot store those of
 * the next. */
static int add_phones(struct cdr_import *im, struct phone_batch *b, struct group *gs, size_t from,
		      size_t to, struct nc_err *err)
{
	for (size_t i = from; i < to; i++) {
		/* look before inserting: a unique violation would abort the whole transaction on
		 * PostgreSQL */
		int64_t id;
		int rc = store_call_by_pbx_id(im->app->db, gs[i].key, &id, err);
		if (rc < 0)
			return -1;
		gs[i].stored = rc == 1;
		if (gs[i].stored)
			continue;
		const struct cdr_row *r = pick(&gs[i]);
		gs[i].dir = direction_of(im, r, &gs[i].rep);
		const char *phone = call_phone(gs[i].dir, r);
		if (phone)
			phone_batch_add(b, phone);
	}
	return 0;
}

/* run groups the rows by key and stores each call started at or after since. */
static int run(struct cdr_import *im, struct keyed *k, size_t n, int64_t since, struct nc_err *err)
{
	struct app *app = im->app;
	qsort(k, n, sizeof(*k), keyed_cmp);
	struct group *gs = NULL;
	size_t ng = 0, cap = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && strcmp(k[j].key, k[i].key) == 0)
			j++;
		struct group g = {.key = k[i].key, .n = j - i};
		g.rows = ARENA_ARRAY(app->a, struct cdr_row *, g.n);
		int64_t first = k[i].row->start;
		for (size_t x = 0; x < g.n; x++) {
			g.rows[x] = k[i + x].row;
			if (g.rows[x]->start < first)
				first = g.rows[x]->start;
		}
		i = j;
		if (first < since) {
			im->rep->before_since += g.n;
			continue;
		}
		gs = arena_grow(app->a, gs, &cap, ng, sizeof(*gs));
		gs[ng++] = g;
	}
	struct phone_batch *b[2] = {phone_batch_new(im->ts.region, "phone"),
				    phone_batch_new(im->ts.region, "phone")};
	int rc = add_phones(im, b[0], gs, 0, ng < CHUNK ? ng : CHUNK, err);
	if (rc == 0)
		phone_batch_start(b[0]);
	for (size_t from = 0; from < ng && rc == 0; from += CHUNK) {
		int cur = (int)(from / CHUNK % 2);
		size_t to = ng - from < CHUNK ? ng : from + CHUNK;
		phone_batch_wait(b[cur]);
		if (to < ng) {
			rc = add_phones(im, b[1 - cur], gs, to, ng - to < CHUNK ? ng : to + CHUNK,
					err);
			if (rc < 0)
				break;
			phone_batch_start(b[1 - cur]);
		}
		im->phones = b[cur];
		for (size_t i = from; i < to && rc == 0; i++) {
			im->rep->calls++;
			rc = store_group(im, &gs[i], err);
		}
	}
	im->phones = NULL;
	phone_batch_free(b[0]); /* after its threads end */
	phone_batch_free(b[1]);
	return rc;
}

/* options resolves the layout, the file's zone and --since. */
static int options(struct cdr_import *im, const struct cdr_import_opts *o, enum cdr_layout *l,
		   const char **tz, int64_t *since, struct nc_err *err)
{
	struct app *app = im->app;
	const char *cols = o->columns;
	if (!cols && app_setting_get(app, "cdr.columns", &cols, err) < 0)
		return -1;
	if (cdr_layout_parse(cols, l, err) < 0)
		return -1;
	*tz = o->timezone;
	if (!*tz && app_setting_get(app, "cdr.timezone", tz, err) < 0)
		return -1;
	if (!time_zone_valid(*tz))
		return nc_error_field(err, NC_EINVAL, "timezone", "unknown time zone \"%.60s\"",
				      *tz);
	*since = INT64_MIN;
	if (o->since) {
		struct nc_when w;
		if (time_parse_when(o->since, im->ts.timezone, "since", &w, err) < 0)
			return -1;
		*since = w.t;
	}
	return 0;
}

static int finish(struct cdr_import *im, const struct cdr_import_opts *o, struct nc_err *err)
{
	struct app *app = im->app;
	struct cdr_import_report *rep = im->rep;
	if (o->dry_run) {
		db_rollback(app->db);
		return 0;
	}
	if (store_audit(app->db, app->now, actor_login(app), "import.cdr", "call", 0,
			arena_printf(app->a, "%zu created, %zu already imported, %zu bad",
				     rep->created, rep->already, rep->bad),
			err) < 0 ||
	    db_commit(app->db, err) < 0) {
		db_rollback(app->db);
		return -1;
	}
	const int64_t *p = (const int64_t *)im->changed.data;
	for (size_t i = 0; i + 1 < im->changed.len / sizeof(int64_t); i += 2)
		client_changed(app, p[i], p[i + 1], "callback");
	return 0;
}

int app_import_cdr(struct app *app, const char *data, size_t len,
		   const struct cdr_import_opts *opts, struct cdr_import_report *rep,
		   struct nc_err *err)
{
	struct cdr_import im = {.app = app, .rep = rep};
	struct user_rec *users;
	size_t nusers;
	memset(rep, 0, sizeof(*rep));
	enum cdr_layout layout;
	const char *tz;
	int64_t since = INT64_MIN;
	if (app_require_role(app, ROLE_HEAD, err) < 0 || app_settings_load(app, &im.ts, err) < 0 ||
	    options(&im, opts, &layout, &tz, &since, err) < 0 ||
	    store_user_list(app->db, app->a, &users, &nusers, err) < 0)
		return -1;
	ext_map(&im, users, nusers);
	rep->layout = cdr_layout_name(layout);
	rep->timezone = tz;
	buf_init(&im.issues, 0);
	buf_init(&im.changed, 0);
	struct cdr_reader *rd = cdr_reader_new(data, len, layout, tz, app->a);
	size_t n;
	struct keyed *k = read_rows(&im, rd, &n);
	int rc = -1;
	rep->issues = arena_alloc(app->a, im.issues.len + 1);
	memcpy(rep->issues, im.issues.data, im.issues.len);
	rep->nissues = im.issues.len / sizeof(struct import_issue);
	if (rep->rows == 0 || rep->bad == rep->rows) {
		nc_error_field(err, NC_EINVAL, "file",
			       rep->rows ? "every record is bad: nothing was imported"
					 : "the file has no records");
		goto out;
	}
	/* the file is one transaction: its dirty pages stay in memory until the commit */
	if (db_bulk(app->db, true, err) < 0)
		goto out;
	if (db_begin(app->db, err) < 0) {
		db_bulk(app->db, false, NULL);
		goto out;
	}
	if (run(&im, k, n, since, err) < 0)
		db_rollback(app->db);
	else
		rc = finish(&im, opts, err);
	db_bulk(app->db, false, NULL);
out:
	cdr_reader_free(rd);
	buf_release(&im.issues);
	buf_release(&im.changed);
	return rc;
}
