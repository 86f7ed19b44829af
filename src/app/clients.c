/* clients.c - creating, changing, finding and listing clients; phones are kept in E.164 and belong
 * to one client only. */
#include "app/app.h"
#include "app/internal.h"
#include "io/phone.h"
#include "util/buf.h"
#include "util/utf8.h"

#include <string.h>

const char *app_client_search_text(struct app *app, const struct client_rec *c)
{
	struct buf b;
	buf_init(&b, 0);
	utf8_fold(c->name, strlen(c->name), &b);
	if (c->company) {
		buf_addc(&b, ' ');
		utf8_fold(c->company, strlen(c->company), &b);
	}
	/* phones without '+', so that any typed run of digits finds them */
	for (size_t i = 0; i < c->nphones; i++)
		buf_printf(&b, " %s", c->phones[i] + (c->phones[i][0] == '+'));
	const char *s = arena_strdup(app->a, b.data);
	buf_release(&b);
	return s;
}

static int check_text(const char *field, const char *s, bool required, struct nc_err *err)
{
	if (required && utf8_is_blank(s))
		return nc_error_field(err, NC_EINVAL, field, "%s: must not be empty", field);
	if (s && (strlen(s) > 300 || !utf8_valid(s, strlen(s))))
		return nc_error_field(err, NC_EINVAL, field, "%s: at most 300 bytes of valid UTF-8",
				      field);
	return 0;
}

/* resolve_refs looks up the owner, segment and source names of in into c. */
static int resolve_refs(struct app *app, const struct client_input *in, struct client_rec *c,
			struct nc_err *err)
{
	if (in->owner && *in->owner) {
		struct user_rec u;
		if (app_resolve_user(app, in->owner, "owner", &u, err) < 0)
			return -1;
		c->owner_id = u.id;
		c->owner = u.login;
	} else if (app->actor && app->actor->role == ROLE_REP) {
		c->owner_id = app->actor->id;
		c->owner = app->actor->login;
	}
	if (in->segment && *in->segment) {
		struct segment_rec s;
		int rc = store_segment_by_name(app->db, app->a, in->segment, &s, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return nc_error_field(err, NC_EINVAL, "segment",
					      "segment: no segment \"%.60s\"", in->segment);
		c->segment_id = s.id;
		c->segment = s.name;
	}
	if (in->source && *in->source) {
		struct source_rec s;
		int rc = store_source_by_name(app->db, app->a, in->source, &s, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return nc_error_field(err, NC_EINVAL, "source",
					      "source: no lead source \"%.60s\"", in->source);
		c->source_id = s.id;
		c->source = s.name;
	}
	return 0;
}

/* check_phone_free fails with NC_ECONFLICT naming the client that already has e164. */
static int check_phone_free(struct app *app, const char *e164, const char *raw, struct nc_err *err)
{
	int64_t other;
	int rc = store_phone_owner(app->db, e164, &other, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return 0;
	struct client_rec o;
	const char *who = NULL;
	if (store_client_get(app->db, app->a, other, &o, NULL) == 1 && app_can_see_client(app, &o))
		who = o.name; /* another rep's client is named by his id only */
	if (who)
		nc_error_field(err, NC_ECONFLICT, "phones",
			       "phone \"%.40s\" (%s) already belongs to client %lld \"%.80s\"", raw,
			       e164, (long long)other, who);
	else
		nc_error_field(err, NC_ECONFLICT, "phones",
			       "phone \"%.40s\" (%s) already belongs to client %lld of another rep",
			       raw, e164, (long long)other);
	if (err)
		err->ref = other;
	return -1;
}

/* normalize_phones turns the typed phones of in into c's distinct E.164 forms. */
static int normalize_phones(struct app *app, const struct client_input *in, struct client_rec *c,
			    struct nc_err *err)
{
	struct team_settings ts;
	if (in->nphones == 0)
		return nc_error_field(err, NC_EINVAL, "phones", "phones: at least one is required");
	if (in->nphones > CLIENT_MAX_PHONES)
		return nc_error_field(err, NC_EINVAL, "phones", "phones: at most %d",
				      CLIENT_MAX_PHONES);
	if (app_settings_load(app, &ts, err) < 0)
		return -1;
	c->phones = ARENA_ARRAY(app->a, const char *, in->nphones);
	c->nphones = 0;
	for (size_t i = 0; i < in->nphones; i++) {
		char *e = arena_alloc(app->a, PHONE_E164_MAX);
		if (phone_normalize(in->phones[i], ts.region, e, "phones", err) < 0)
			return -1;
		for (size_t j = 0; j < c->nphones; j++)
			if (strcmp(c->phones[j], e) == 0)
				return nc_error_field(err, NC_EINVAL, "phones",
						      "phone \"%.40s\" is given twice",
						      in->phones[i]);
		c->phones[c->nphones++] = e;
	}
	return 0;
}

int client_insert_new(struct app *app, struct client_bulk *bulk, struct client_rec *c,
		      const char *const *raw, int64_t *id, struct nc_err *err)
{
	if (store_client_insert_bulk(app->db, bulk, c, app_client_search_text(app, c), id, err) < 0)
		return -1;
	c->id = *id;
	for (size_t i = 0; i < c->nphones; i++)
		if (store_phone_insert(app->db, *id, c->phones[i], raw[i], err) < 0)
			return -1;
	return 0;
}

int app_client_add(struct app *app, const struct client_input *in, int64_t *id, struct nc_err *err)
{
	if (check_text("name", in->name, true, err) < 0 ||
	    check_text("company", in->company, false, err) < 0)
		return -1;
	struct client_rec c = {.name = in->name,
			       .company = in->company,
			       .category = CAT_NOW,
			       .created_at = app->now,
			       .updated_at = app->now,
			       .category_at = app->now};
	if (c.company && !*c.company)
		c.company = NULL;
	if (resolve_refs(app, in, &c, err) < 0 || normalize_phones(app, in, &c, err) < 0)
		return -1;
	if (db_begin(app->db, err) < 0)
		return -1;
	for (size_t i = 0; i < c.nphones; i++)
		if (check_phone_free(app, c.phones[i], in->phones[i], err) < 0)
			goto fail;
	if (client_insert_new(app, NULL, &c, in->phones, id, err) < 0 ||
	    store_audit(app->db, app->now, actor_login(app), "client.add", "client", *id, c.name,
			err) < 0)
		goto fail;
	if (db_commit(app->db, err) < 0)
		return -1;
	client_changed(app, *id, c.owner_id, "created");
	return 0;
fail:
	db_rollback(app->db);
	return -1;
}

int app_client_get(struct app *app, int64_t id, struct client_rec *out, struct nc_err *err)
{
	return app_check_client(app, id, out, err);
}

/* e164_shaped: s is written as E.164 already ("+", 7 to 15 digits, the first not 0), as the
 * exchange and the stored phones write numbers. */
static bool e164_shaped(const char *s)
{
	size_t n = 0;
	if (s[0] != '+' || s[1] < '1' || s[1] > '9')
		return false;
	for (const char *p = s + 1; *p; p++, n++)
		if (*p < '0' || *p > '9')
			return false;
	return n >= 7 && n <= 15;
}

int app_client_find_phone(struct app *app, const char *phone, struct client_rec *out,
			  struct nc_err *err)
{
	struct team_settings ts;
	char e164[PHONE_E164_MAX];
	int64_t id;
	int rc = 0;
	/* the caller ID look-up's fast path: a number written as E.164 that is stored is its own
	 * normal form (phones are stored as phone_normalize wrote them), so the parse, a tenth of
	 * a millisecond, is only needed for the other writings and for numbers not stored */
	if (e164_shaped(phone) && (rc = store_phone_owner(app->db, phone, &id, err)) < 0)
		return -1;
	if (rc == 0) {
		if (app_settings_load(app, &ts, err) < 0 ||
		    phone_normalize(phone, ts.region, e164, "phone", err) < 0)
			return -1;
		rc = store_phone_owner(app->db, e164, &id, err);
		if (rc <= 0)
			return rc;
	}
	if (app_check_client(app, id, out, err) < 0)
		return -1;
	return 1;
}

/* phone_digits sets the digits to look up for a phone typed in any format: the E.164 digits
 * of a whole number, else the typed digits without a national trunk prefix ("0532 1" in Turkey
 * is "5321"), so that any run of them is found. In Russia and Kazakhstan a leading 8 is read both
 * ways: "8 912 34" is the start of a number ("7912 34") and "845 67" may be a run from its
 * middle, so both are looked up (f->term2). */
static void phone_digits(struct app *app, const char *q, size_t ndigits, struct client_filter *f)
{
	struct team_settings ts;
	char e164[PHONE_E164_MAX];
	if (app_settings_load(app, &ts, NULL) < 0)
		ts.region = "";
	if (phone_normalize(q, ts.region, e164, "q", NULL) == 0) {
		f->term = arena_strdup(app->a, e164 + 1);
		return;
	}
	char *d = arena_alloc(app->a, ndigits + 2), *w = d;
	for (const char *p = q; *p; p++)
		if (*p >= '0' && *p <= '9')
			*w++ = *p;
	bool plus = strchr(q, '+') != NULL;
	if (!plus && d[0] == '8' && (!strcmp(ts.region, "RU") || !strcmp(ts.region, "KZ"))) {
		f->term2 = arena_strdup(app->a, d);
		d[0] = '7';
	} else if (!plus && d[0] == '0' && d[1] != '0' && ndigits > 3) {
		memmove(d, d + 1, ndigits); /* the trunk 0 of most countries */
	}
	f->term = d;
}

/* search_terms turns what was typed into the index term (the first word, or a phone's digits)
 * and up to two more words the search text must contain. */
static void search_terms(struct app *app, const char *q, struct client_filter *f)
{
	size_t digits = 0, other = 0;
	for (const char *p = q; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr(" ()+-./", *p))
			other++;
	}
	if (digits >= 3 && other == 0) {
		phone_digits(app, q, digits, f);
		return;
	}
	struct buf b;
	buf_init(&b, 4096);
	utf8_fold(q, strlen(q), &b);
	char *words = arena_strdup(app->a, b.data);
	buf_release(&b);
	const char **slot[] = {&f->term, &f->q, &f->q2};
	for (size_t i = 0; i < 3 && *words; i++) {
		char *sp = strchr(words, ' ');
		if (sp && i < 2)
			*sp = 0;
		*slot[i] = words; /* the third takes the rest of the words as a phrase */
		words = sp && i < 2 ? sp + 1 : words + strlen(words);
	}
}

int app_client_list(struct app *app, const struct client_query *q, struct client_rec **out,
		    size_t *n, struct nc_err *err)
{
	struct client_filter f = {.category = -1, .after = q->after, .limit = q->limit};
	if (app_require_role(app, ROLE_REP, err) < 0)
		return -1;
	if (q->limit < 0 || q->limit > 501) /* the API asks one more than it shows */
		return nc_error_field(err, NC_EINVAL, "limit", "limit: from 1 to 500");
	if (q->category && *q->category) {
		f.category = category_parse(q->category);
		if (f.category < 0)
			return nc_error_field(err, NC_EINVAL, "category",
					      "category \"%.20s\": want now, future or never",
					      q->category);
	}
	if (q->owner && *q->owner) {
		struct user_rec u;
		int rc = store_user_by_login(app->db, app->a, q->owner, &u, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return nc_error_field(err, NC_EINVAL, "owner", "owner: no user \"%.40s\"",
					      q->owner);
		f.owner_id = u.id;
	}
	struct client_input refs = {.segment = q->segment, .source = q->source};
	struct client_rec tmp = {0};
	struct user_rec *saved = (struct user_rec *)app->actor;
	app->actor = NULL; /* resolve names only; visibility is applied below */
	int rc = resolve_refs(app, &refs, &tmp, err);
	app->actor = saved;
	if (rc < 0)
		return -1;
	f.segment_id = tmp.segment_id;
	f.source_id = tmp.source_id;
	if (q->q && *q->q)
		search_terms(app, q->q, &f);
	if (!app_is_manager(app))
		f.visible_to = app->actor->id;
	return store_client_list(app->db, app->a, &f, out, n, err);
}

int app_client_deals(struct app *app, int64_t client_id, struct deal_rec **out, size_t *n,
		     struct nc_err *err)
{
	return store_deal_list(app->db, app->a, client_id, out, n, err);
}

/* patch_owner applies a new owner (login, "" for none): managers give clients to anyone; a rep
 * may only take an unassigned client for himself. */
static int patch_owner(struct app *app, const char *owner, struct client_rec *c, struct nc_err *err)
{
	if (!*owner) {
		if (c->owner_id && !app_is_manager(app))
			return nc_error_field(err, NC_EFORBIDDEN, "owner",
					      "owner: only a head of sales gives a client away");
		c->owner_id = 0;
		c->owner = NULL;
		return 0;
	}
	struct user_rec u;
	if (app_resolve_user(app, owner, "owner", &u, err) < 0)
		return -1;
	/* app_check_client let a rep load only his own or an unassigned client, and
	 * app_resolve_user let him name only himself: taking it is all he can do */
	c->owner_id = u.id;
	c->owner = u.login;
	return 0;
}

/* patch_fields applies the fields of in that are set to c. */
static int patch_fields(struct app *app, const struct client_input *in, struct client_rec *c,
			struct nc_err *err)
{
	struct client_input refs = {.segment = in->segment, .source = in->source};
	struct client_rec tmp = {0};
	if (in->name)
		c->name = in->name;
	if (in->company)
		c->company = *in->company ? in->company : NULL;
	if (in->owner && patch_owner(app, in->owner, c, err) < 0)
		return -1;
	if (resolve_refs(app, &refs, &tmp, err) < 0)
		return -1;
	if (in->segment) {
		c->segment_id = tmp.segment_id;
		c->segment = tmp.segment;
	}
	if (in->source) {
		c->source_id = tmp.source_id;
		c->source = tmp.source;
	}
	return 0;
}

static int client_update(struct app *app, int64_t id, const struct client_input *in,
			 struct nc_err *err)
{
	struct client_rec c, fresh = {0};
	int64_t old_owner;
	if ((in->name && check_text("name", in->name, true, err) < 0) ||
	    check_text("company", in->company, false, err) < 0)
		return -1;
	if (in->phones && normalize_phones(app, in, &fresh, err) < 0)
		return -1;
	/* locked and read inside the transaction: the whole row is written back */
	if (db_begin(app->db, err) < 0)
		return -1;
	if (store_client_lock(app->db, id, err) < 0 || app_check_client(app, id, &c, err) < 0)
		goto fail;
	old_owner = c.owner_id;
	if (patch_fields(app, in, &c, err) < 0)
		goto fail;
	if (in->phones) {
		for (size_t i = 0; i < fresh.nphones; i++) {
			int64_t other;
			int rc = store_phone_owner(app->db, fresh.phones[i], &other, err);
			if (rc < 0 ||
			    (rc == 1 && other != id &&
			     check_phone_free(app, fresh.phones[i], in->phones[i], err) < 0))
				goto fail;
		}
		if (store_phones_replace(app->db, id, fresh.phones, in->phones, fresh.nphones,
					 err) < 0)
			goto fail;
		c.phones = fresh.phones;
		c.nphones = fresh.nphones;
	}
	c.updated_at = app->now;
	/* his planned steps follow a client to his new owner, off the previous one's agenda; the
	   previous one's open script runs of him end */
	if (c.owner_id && c.owner_id != old_owner &&
	    (store_steps_reassign(app->db, id, c.owner_id, err) < 0 ||
	     runs_client_moved(app, id, c.owner_id, err) < 0))
		goto fail;
	if (store_client_update(app->db, &c, app_client_search_text(app, &c), err) < 0 ||
	    store_audit(app->db, app->now, actor_login(app), "client.update", "client", id, c.name,
			err) < 0)
		goto fail;
	if (db_commit(app->db, err) < 0)
		return -1;
	client_changed(app, id, c.owner_id, "updated");
	if (old_owner != c.owner_id) /* the previous owner's screens show him too */
		client_changed(app, id, old_owner, "updated");
	return 0;
fail:
	db_rollback(app->db);
	return -1;
}

int app_client_update(struct app *app, int64_t id, const struct client_input *in,
		      struct nc_err *err)
{
	int rc, tries = 0;
	do
		rc = client_update(app, id, in, err);
	while (app_retry(app, rc, &tries, "client.update", err));
	return rc;
}

int app_client_card(struct app *app, int64_t id, struct client_card *out, struct nc_err *err)
{
	memset(out, 0, sizeof(*out));
	/* the client and his next step in one read */
	int rc =
	    store_client_get_next(app->db, app->a, id, &out->c, &out->next, &out->has_next, err);
	if (app_check_client_read(app, id, rc, &out->c, err) < 0 ||
	    store_call_list(app->db, app->a, id, 0, CLIENT_CARD_HISTORY, &out->calls, &out->ncalls,
			    err) < 0 ||
	    app_client_deals(app, id, &out->deals, &out->ndeals, err) < 0 ||
	    store_client_fields(app->db, app->a, id, &out->fields, &out->nfields, err) < 0)
		return -1;
	return 0;
}

int app_client_steps(struct app *app, int64_t client_id, struct step_rec **out, size_t *n,
		     struct nc_err *err)
{
	struct client_rec c;
	*out = NULL;
	*n = 0;
	if (app_check_client(app, client_id, &c, err) < 0)
		return -1;
	return store_step_history(app->db, app->a, client_id, CLIENT_STEPS_HISTORY, out, n, err);
}

int app_client_lost(struct app *app, const char *category, struct client_rec **out, size_t *n,
		    struct nc_err *err)
{
	enum category c1 = CAT_NEVER, c2 = CAT_FUTURE;
	*out = NULL;
	*n = 0;
	if (app_require_role(app, ROLE_HEAD, err) < 0)
		return -1;
	if (category && *category) {
		int c = category_parse(category);
		if (c != CAT_NEVER && c != CAT_FUTURE)
			return nc_error_field(err, NC_EINVAL, "category",
					      "category \"%.20s\": want never or future", category);
		c1 = c2 = (enum category)c;
	}
	return store_client_lost(app->db, app->a, c1, c2, app->now - (int64_t)LOST_DAYS * 86400,
				 LOST_LIMIT, out, n, err);
}
