/* imports.c - clients from a CSV file as Excel writes it (UTF-8 or Windows-1251, comma,
 * semicolon or tab, a header row in English or Russian). All or nothing per file: one bad row
 * rejects the file, and every bad row is reported with its line; duplicates by phone are skipped
 * and reported. */
#include "app/app.h"
#include "app/internal.h"
#include "io/charset.h"
#include "io/csv.h"
#include "io/phone.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum col { COL_NAME, COL_PHONE, COL_COMPANY, COL_SEGMENT, COL_SOURCE, COL_OWNER, COL__COUNT };

/* Header names, folded (see utf8_fold), by column; a header starting with a phone name followed
 * by a number ("phone 2", "телефон 2") is a further phone column. */
static const char *const col_names[COL__COUNT][12] = {
    [COL_NAME] = {"name", "client", "contact", "full name", "имя", "фио", "клиент", "контакт", "ad",
		  "ad soyad", "tên", "họ tên"},
    [COL_PHONE] = {"phone", "phones", "tel", "telephone", "mobile", "телефон", "тел", "телефоны",
		   "мобильный", "telefon", "điện thoại", "sđt"},
    [COL_COMPANY] = {"company", "organization", "organisation", "компания", "организация", "фирма",
		     "firma", "şirket", "sirket", "công ty"},
    [COL_SEGMENT] = {"segment", "сегмент", "группа", "phân khúc"},
    [COL_SOURCE] = {"source", "lead source", "источник", "kaynak", "nguồn"},
    [COL_OWNER] = {"owner", "rep", "manager", "ответственный", "менеджер", "sorumlu",
		   "người phụ trách"},
};

#define MAX_COLS       64
#define MAX_ROW_PHONES 8
#define MAX_KNOWN      64 /* names resolve keeps */

struct import {
	struct app *app;
	struct team_settings ts;
	const struct import_opts *opts;
	struct import_report *rep;
	int cols[MAX_COLS]; /* enum col per file column, -1 ignored */
	size_t ncols;
	struct buf issues;	  /* struct import_issue array */
	struct client_bulk *bulk; /* the new clients' terms and pool counts, written at the end */
	struct known {		  /* resolve's answers */
		enum col col;
		const char *name;
		int64_t id;
		const char *why; /* NULL: found */
	} known[MAX_KNOWN];
	size_t nknown;
};

/* CHUNK rows are read, their phones normalized together (on other threads), then stored */
#define CHUNK 2048

/* One read record of a chunk: a client to store, or a bad row (why). */
struct pending {
	long line;
	const char *why;
	struct client_rec c;
	const char *raw[MAX_ROW_PHONES];
	size_t nraw;
};

static int header_col(const char *s, size_t n)
{
	struct buf b;
	buf_init(&b, 1024);
	utf8_fold(s, n, &b);
	int found = -1;
	for (int c = 0; c < COL__COUNT && found < 0; c++) {
		for (int i = 0; i < 12 && col_names[c][i] && found < 0; i++) {
			size_t k = strlen(col_names[c][i]);
			if (strcmp(b.data, col_names[c][i]) == 0)
				found = c;
			else if (c == COL_PHONE && strncmp(b.data, col_names[c][i], k) == 0 &&
				 b.data[k] == ' ' && b.data[k + 1] >= '0' && b.data[k + 1] <= '9')
				found = c;
		}
	}
	buf_release(&b);
	return found;
}

static int read_header(struct import *im, const struct csv_record *r, struct nc_err *err)
{
	bool have[COL__COUNT] = {0};
	if (r->n > MAX_COLS)
		return nc_error_field(err, NC_EINVAL, "header", "line %ld: more than %d columns",
				      r->line, MAX_COLS);
	im->ncols = r->n;
	for (size_t i = 0; i < r->n; i++) {
		im->cols[i] = header_col(r->f[i].s, r->f[i].n);
		if (im->cols[i] >= 0) {
			if (have[im->cols[i]] && im->cols[i] != COL_PHONE)
				return nc_error_field(err, NC_EINVAL, "header",
						      "line %ld: column \"%.40s\" appears twice",
						      r->line, r->f[i].s);
			have[im->cols[i]] = true;
		}
	}
	if (!have[COL_NAME] || !have[COL_PHONE])
		return nc_error_field(err, NC_EINVAL, "header",
				      "line %ld: the header needs a name column (name/имя) and a "
				      "phone column (phone/телефон)",
				      r->line);
	return 0;
}

static void add_issue(struct import *im, long line, const char *reason, int64_t existing)
{
	struct import_issue is = {
	    .line = line, .reason = arena_strdup(im->app->a, reason), .existing_id = existing};
	buf_add(&im->issues, &is, sizeof(is));
}

/* split_phones splits a phone cell on ',' ';' '/' and newlines into out (at most max). */
static size_t split_phones(struct app *app, const char *s, const char **out, size_t max)
{
	size_t n = 0;
	const char *p = s;
	while (*p && n < max) {
		size_t len = strcspn(p, ",;/\n\r");
		const char *q = p;
		size_t l = len;
		while (l && (*q == ' ' || *q == '\t'))
			q++, l--;
		while (l && (q[l - 1] == ' ' || q[l - 1] == '\t'))
			l--;
		if (l)
			out[n++] = arena_strndup(app->a, q, l);
		p += len;
		if (*p)
			p++;
	}
	return n;
}

static int resolve_db(struct import *im, enum col c, const char *name, int64_t *id,
		      const char **why, struct nc_err *err);

/* resolve looks up a name among users, segments or sources; 0 fills *id, -1 sets *why. The
 * answers are kept for the file's other rows (a file names few owners, segments, sources). */
static int resolve(struct import *im, enum col c, const char *name, int64_t *id, const char **why,
		   struct nc_err *err)
{
	struct app *app = im->app;
	for (size_t i = 0; i < im->nknown; i++) {
		if (im->known[i].col == c && strcmp(im->known[i].name, name) == 0) {
			*id = im->known[i].id;
			*why = im->known[i].why;
			return *why ? -1 : 0;
		}
	}
	int rc = resolve_db(im, c, name, id, why, err);
	if (rc > -2 && im->nknown < MAX_KNOWN)
		im->known[im->nknown++] =
		    (struct known){c, arena_strdup(app->a, name), *id, rc == -1 ? *why : NULL};
	return rc;
}

/* resolve_db is resolve without the kept answers. */
static int resolve_db(struct import *im, enum col c, const char *name, int64_t *id,
		      const char **why, struct nc_err *err)
{
	struct app *app = im->app;
	int rc;
	if (c == COL_OWNER) {
		struct user_rec u;
		rc = store_user_by_login(app->db, app->a, name, &u, err);
		*id = rc == 1 ? u.id : 0;
	} else if (c == COL_SEGMENT) {
		struct segment_rec s;
		rc = store_segment_by_name(app->db, app->a, name, &s, err);
		*id = rc == 1 ? s.id : 0;
	} else {
		struct source_rec s;
		rc = store_source_by_name(app->db, app->a, name, &s, err);
		*id = rc == 1 ? s.id : 0;
	}
	if (rc < 0)
		return -2;
	if (rc == 0) {
		*why = arena_printf(app->a, "unknown %s \"%.60s\"",
				    c == COL_OWNER     ? "owner"
				    : c == COL_SEGMENT ? "segment"
						       : "source",
				    name);
		return -1;
	}
	return 0;
}

/* unix_lines gives a copy of s with CR LF (as Excel writes line breaks inside a cell on Windows)
 * as LF (a copy: the reader's cells last until the next record only). */
static const char *unix_lines(struct app *app, const char *s)
{
	if (!strchr(s, '\r'))
		return arena_strdup(app->a, s);
	char *out = arena_strdup(app->a, s), *w = out;
	for (const char *p = s; *p; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			*w++ = *p;
	*w = 0;
	return out;
}

/* fill_row reads one record into c and its typed phones into raw (*nraw of them, normalized
 * later by normalize_row); returns 0, -1 for a bad row (*why says why), -2 on a database
 * error. */
static int fill_row(struct import *im, const struct csv_record *r, struct client_rec *c,
		    const char **raw, size_t *nraw, const char **why, struct nc_err *err)
{
	struct app *app = im->app;
	const char *phones[MAX_ROW_PHONES];
	size_t np = 0;
	for (size_t i = 0; i < r->n && i < im->ncols; i++) {
		int col = im->cols[i];
		const char *v = r->f[i].s;
		if (col < 0 || utf8_is_blank(v))
			continue;
		if (r->f[i].n > 300)
			return *why = arena_printf(app->a, "column %zu is longer than 300 bytes",
						   i + 1),
			       -1;
		int rc = 0;
		switch (col) {
		case COL_NAME:
			c->name = unix_lines(app, v);
			break;
		case COL_COMPANY:
			c->company = unix_lines(app, v);
			break;
		case COL_PHONE:
			np += split_phones(app, v, phones + np, MAX_ROW_PHONES - np);
			break;
		default:
			rc = resolve(im, (enum col)col, v,
				     col == COL_OWNER	  ? &c->owner_id
				     : col == COL_SEGMENT ? &c->segment_id
							  : &c->source_id,
				     why, err);
		}
		if (rc < 0)
			return rc;
	}
	if (!c->name)
		return *why = "the name is empty", -1;
	if (np == 0)
		return *why = "no phone", -1;
	memcpy(raw, phones, np * sizeof(*phones));
	*nraw = np;
	return 0;
}

/* normalize_row turns the typed phones raw of c into E.164 (see fill_row). */
static int normalize_row(struct import *im, struct phone_batch *phones, struct client_rec *c,
			 const char *const *raw, size_t nraw, const char **why)
{
	struct app *app = im->app;
	c->phones = ARENA_ARRAY(app->a, const char *, nraw);
	for (size_t i = 0; i < nraw; i++) {
		char *e = arena_alloc(app->a, PHONE_E164_MAX);
		struct nc_err perr;
		if (phone_batch_get(phones, raw[i], e, &perr) < 0)
			return *why = arena_strdup(app->a, perr.msg), -1;
		c->phones[c->nphones++] = e;
	}
	return 0;
}

/* insert_row stores one client unless a phone already exists (then it is a duplicate). */
static int insert_row(struct import *im, struct client_rec *c, const char **raw, long line,
		      struct nc_err *err)
{
	struct app *app = im->app;
	for (size_t i = 0; i < c->nphones; i++) {
		/* a number the row gives twice is kept once, in its first place (the rest keep
		 * their order and raw texts, and the one moved into place i is checked too) */
		size_t j = 0;
		while (j < i && strcmp(c->phones[i], c->phones[j]) != 0)
			j++;
		if (j < i) {
			c->nphones--;
			memmove(&c->phones[i], &c->phones[i + 1],
				(c->nphones - i) * sizeof(*c->phones));
			memmove(&raw[i], &raw[i + 1], (c->nphones - i) * sizeof(*raw));
			i--;
			continue;
		}
		int64_t other;
		int rc = store_phone_owner(app->db, c->phones[i], &other, err);
		if (rc < 0)
			return -1;
		if (rc == 1) {
			add_issue(im, line,
				  arena_printf(app->a,
					       "duplicate: phone %s already belongs to client %lld",
					       c->phones[i], (long long)other),
				  other);
			im->rep->duplicates++;
			return 0;
		}
	}
	int64_t id;
	if (client_insert_new(app, im->bulk, c, raw, &id, err) < 0)
		return -1;
	im->rep->created++;
	return 0;
}

static int parse_delimiter(const char *s, char *out, struct nc_err *err)
{
	if (!s || !strcmp(s, "auto"))
		*out = 0;
	else if (!strcmp(s, ",") || !strcmp(s, ";"))
		*out = s[0];
	else if (!strcmp(s, "tab") || !strcmp(s, "\t"))
		*out = '\t';
	else
		return nc_error_field(err, NC_EINVAL, "delimiter",
				      "delimiter \"%.10s\": want auto, \",\", \";\" or tab", s);
	return 0;
}

/* struct chunk: up to CHUNK read records and their phones. */
struct chunk {
	struct pending *p;
	size_t n;
	struct phone_batch *phones;
};

/* read_chunk reads up to CHUNK records into ch and notes their phones; 1: ch is full (there may
 * be more), 0: the file is read to its end, -1 on a database error. */
static int read_chunk(struct import *im, struct csv_reader *r, int64_t owner, struct chunk *ch,
		      struct nc_err *err)
{
	struct app *app = im->app;
	struct csv_record rec;
	struct nc_err rerr;
	int rc;
	ch->n = 0;
	while (ch->n < CHUNK && (rc = csv_next(r, &rec, &rerr)) != 0) {
		im->rep->rows++;
		struct pending *q = &ch->p[ch->n++];
		*q = (struct pending){.line = rec.line};
		if (rc < 0) {
			/* a CSV framing error: reported without a line, as before */
			q->line = 0;
			q->why = arena_strdup(app->a, rerr.msg);
			continue;
		}
		q->c = (struct client_rec){.category = CAT_NOW,
					   .owner_id = owner,
					   .created_at = app->now,
					   .updated_at = app->now,
					   .category_at = app->now};
		rc = fill_row(im, &rec, &q->c, q->raw, &q->nraw, &q->why, err);
		if (rc == -2)
			return -1;
		for (size_t i = 0; rc == 0 && i < q->nraw; i++)
			phone_batch_add(ch->phones, q->raw[i]);
	}
	return ch->n == CHUNK ? 1 : 0;
}

/* store_chunk stores the rows of a chunk in file order, once their phones are normalized. */
static int store_chunk(struct import *im, struct chunk *ch, struct nc_err *err)
{
	for (size_t i = 0; i < ch->n; i++) {
		struct pending *p = &ch->p[i];
		if (!p->why)
			normalize_row(im, ch->phones, &p->c, p->raw, p->nraw, &p->why);
		if (p->why) {
			im->rep->bad++;
			add_issue(im, p->line, p->why, 0);
		} else if (insert_row(im, &p->c, p->raw, p->line, err) < 0) {
			return -1;
		}
	}
	return 0;
}

/* run_rows reads every record after the header; -1 only on a database error. A pipeline: while
 * the rows of one chunk are stored, other threads normalize the phones of the next. */
static int run_rows(struct import *im, struct csv_reader *r, int64_t owner, struct nc_err *err)
{
	struct chunk ch[2];
	for (int i = 0; i < 2; i++)
		ch[i] = (struct chunk){.p = xcalloc(CHUNK, sizeof(struct pending)),
				       .phones = phone_batch_new(im->ts.region, "phone")};
	int cur = 0, out = -1;
	int rc = read_chunk(im, r, owner, &ch[cur], err);
	if (rc < 0)
		goto done;
	phone_batch_start(ch[cur].phones);
	for (;;) {
		phone_batch_wait(ch[cur].phones);
		bool next = rc == 1;
		if (next) {
			rc = read_chunk(im, r, owner, &ch[1 - cur], err);
			if (rc < 0)
				goto done;
			phone_batch_start(ch[1 - cur].phones);
		}
		if (store_chunk(im, &ch[cur], err) < 0)
			goto done;
		if (!next)
			break;
		cur = 1 - cur;
	}
	out = 0;
done:
	for (int i = 0; i < 2; i++) {
		phone_batch_free(ch[i].phones); /* after its threads end */
		free(ch[i].p);
	}
	return out;
}

/* default_owner gives the owner of rows without one: the option, or the acting rep. */
static int default_owner(struct import *im, int64_t *owner, struct nc_err *err)
{
	struct app *app = im->app;
	*owner = 0;
	if (im->opts->owner && *im->opts->owner) {
		struct user_rec u;
		if (app_resolve_user(app, im->opts->owner, "owner", &u, err) < 0)
			return -1;
		*owner = u.id;
	} else if (app->actor && app->actor->role == ROLE_REP) {
		*owner = app->actor->id;
	}
	return 0;
}

int app_import_clients(struct app *app, const char *data, size_t len,
		       const struct import_opts *opts, struct import_report *rep,
		       struct nc_err *err)
{
	struct import im = {.app = app, .opts = opts, .rep = rep};
	memset(rep, 0, sizeof(*rep));
	char delim = 0;
	int cs = opts->encoding ? charset_parse(opts->encoding) : CHARSET_AUTO;
	if (cs < 0)
		return nc_error_field(err, NC_EINVAL, "encoding",
				      "encoding \"%.20s\": want auto, utf-8 or cp1251",
				      opts->encoding);
	if (parse_delimiter(opts->delimiter, &delim, err) < 0 ||
	    app_settings_load(app, &im.ts, err) < 0)
		return -1;
	if (cs == CHARSET_AUTO)
		cs = charset_detect(data, len);
	rep->encoding = charset_name((enum charset)cs);
	struct buf text;
	buf_init(&text, 0);
	buf_init(&im.issues, 0);
	charset_to_utf8((enum charset)cs, data, len, &text);
	struct csv_reader *r = csv_reader_new(text.data, text.len, delim, 0);
	rep->delimiter = csv_delimiter(r);
	int64_t owner;
	struct csv_record hdr;
	int rc = -1;
	bool bulk = false;
	if (default_owner(&im, &owner, err) < 0)
		goto out;
	int h = csv_next(r, &hdr, err);
	if (h <= 0) {
		if (h == 0)
			nc_error_field(err, NC_EINVAL, "file", "the file is empty");
		goto out;
	}
	/* the file is one transaction: its dirty pages stay in memory until the commit */
	if (read_header(&im, &hdr, err) < 0 || db_bulk(app->db, true, err) < 0)
		goto out;
	bulk = true;
	im.bulk = store_client_bulk_new();
	if (db_begin(app->db, err) < 0)
		goto out;
	if (run_rows(&im, r, owner, err) < 0) {
		db_rollback(app->db);
		goto out;
	}
	rep->issues = arena_alloc(app->a, im.issues.len + 1);
	memcpy(rep->issues, im.issues.data, im.issues.len);
	rep->nissues = im.issues.len / sizeof(struct import_issue);
	if (rep->bad) {
		db_rollback(app->db);
		rep->created = 0;
		nc_error_field(err, NC_EINVAL, "file",
			       "%zu of %zu rows are bad: nothing was imported", rep->bad,
			       rep->rows);
		goto out;
	}
	if (opts->dry_run) {
		db_rollback(app->db);
		rc = 0;
		goto out;
	}
	if (store_client_bulk_flush(app->db, im.bulk, err) < 0 ||
	    store_audit(
		app->db, app->now, actor_login(app), "import.clients", "client", 0,
		arena_printf(app->a, "%zu created, %zu duplicates", rep->created, rep->duplicates),
		err) < 0) {
		db_rollback(app->db);
		goto out;
	}
	rc = db_commit(app->db, err);
out:
	if (bulk)
		db_bulk(app->db, false, NULL);
	store_client_bulk_free(im.bulk);
	csv_reader_free(r);
	buf_release(&text);
	buf_release(&im.issues);
	return rc;
}
