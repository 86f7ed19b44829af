/* cdr.c - Asterisk CDR files (cdr_csv Master.csv in every column layout, cdr_custom's legacy
 * mapping) read into rows on top of the CSV reader; see PROTOCOL.md section 2 of the captures. */
#include "io/cdr.h"
#include "io/csv.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum fld {
	F_ACCOUNT,
	F_SRC,
	F_DST,
	F_DCONTEXT,
	F_CLID,
	F_CHANNEL,
	F_DSTCHANNEL,
	F_LASTAPP,
	F_LASTDATA,
	F_START,
	F_ANSWER,
	F_END,
	F_DURATION,
	F_BILLSEC,
	F_DISP,
	F_AMA,
	F_UNIQUEID,
	F_USERFIELD,
	F_PEERACCOUNT,
	F_LINKEDID,
	F_SEQUENCE,
	F__N
};

#define BASE 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15

/* Column of each field per layout, -1 when the layout lacks it (cdr_csv.c build_csv_record and
 * cdr_custom.conf.sample). */
static const struct {
	const char *name;
	int ncols;
	signed char col[F__N];
} layouts[CDR__LAYOUTS] = {
    [CDR_AUTO] = {"auto", 0, {0}},
    [CDR_16] = {"16", 16, {BASE, -1, -1, -1, -1, -1}},
    [CDR_17] = {"17", 17, {BASE, 16, -1, -1, -1, -1}},
    [CDR_17_UF] = {"17-userfield", 17, {BASE, -1, 16, -1, -1, -1}},
    [CDR_18] = {"18", 18, {BASE, 16, 17, -1, -1, -1}},
    [CDR_19] = {"19", 19, {BASE, -1, -1, 16, 17, 18}},
    [CDR_20] = {"20", 20, {BASE, 16, -1, 17, 18, 19}},
    [CDR_20_UF] = {"20-userfield", 20, {BASE, -1, 16, 17, 18, 19}},
    [CDR_21] = {"21", 21, {BASE, 16, 17, 18, 19, 20}},
    [CDR_CUSTOM] = {"custom", 19, {15, 1,  2,  3,  0,  4,  5,  6,  7,  8, 9,
				   10, 11, 12, 13, 14, 16, 17, -1, -1, 18}},
};

static const char *const disp_names[] = {
    [CDR_ANSWERED] = "ANSWERED", [CDR_NO_ANSWER] = "NO ANSWER",	  [CDR_BUSY] = "BUSY",
    [CDR_FAILED] = "FAILED",	 [CDR_CONGESTION] = "CONGESTION", [CDR_CANCEL] = "CANCEL",
    [CDR_UNKNOWN] = "UNKNOWN",
};

struct cdr_reader {
	struct csv_reader *csv;
	enum cdr_layout layout;
	const char *tz;
	struct arena *a;
};

int cdr_layout_parse(const char *s, enum cdr_layout *out, struct nc_err *err)
{
	for (int l = 0; s && l < CDR__LAYOUTS; l++)
		if (strcmp(s, layouts[l].name) == 0)
			return *out = (enum cdr_layout)l, 0;
	return nc_error_field(err, NC_EINVAL, "cdr.columns",
			      "cdr.columns \"%.20s\": want auto, 16 to 21, 17-userfield, "
			      "20-userfield or custom",
			      s ? s : "");
}

const char *cdr_layout_name(enum cdr_layout l)
{
	return l >= 0 && l < CDR__LAYOUTS ? layouts[l].name : "?";
}

const char *cdr_disposition_name(enum cdr_disposition d)
{
	return d <= CDR_UNKNOWN ? disp_names[d] : "UNKNOWN";
}

struct cdr_reader *cdr_reader_new(const char *text, size_t len, enum cdr_layout layout,
				  const char *tz, struct arena *a)
{
	struct cdr_reader *r = xcalloc(1, sizeof(*r));
	/* cdr_csv drops records over 1024 bytes, so 64 KiB per field is generous */
	r->csv = csv_reader_new(text, len, ',', 65536);
	r->layout = layout;
	r->tz = tz;
	r->a = a;
	return r;
}

void cdr_reader_free(struct cdr_reader *r)
{
	if (!r)
		return;
	csv_reader_free(r->csv);
	free(r);
}

/* uniqueid_like: "[system-]DIGITS.DIGITS", the shape of an Asterisk uniqueid. */
static bool uniqueid_like(const char *s, size_t n)
{
	size_t i = n, frac = 0, whole = 0;
	while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
		i--, frac++;
	if (!frac || i == 0 || s[--i] != '.')
		return false;
	while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
		i--, whole++;
	return whole > 0 && (i == 0 || s[i - 1] == '-');
}

static int detect(const struct csv_record *rec)
{
	switch (rec->n) {
	case 16:
		return CDR_16;
	case 17:
		return uniqueid_like(rec->f[16].s, rec->f[16].n) ? CDR_17 : CDR_17_UF;
	case 18:
		return CDR_18;
	case 19:
		/* cdr_csv writes duration unquoted; cdr_custom's mapping quotes every number */
		return rec->f[12].quoted ? CDR_CUSTOM : CDR_19;
	case 20:
		return uniqueid_like(rec->f[16].s, rec->f[16].n) ? CDR_20 : CDR_20_UF;
	case 21:
		return CDR_21;
	}
	return -1;
}

/* parse_secs reads "11" or a hi-res "11.517085" (rounded) into *out. */
static bool parse_secs(const char *s, size_t n, long *out)
{
	long v = 0;
	size_t i = 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (i >= 9)
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (i == 0)
		return false;
	if (i < n) {
		if (s[i] != '.' || i + 1 == n)
			return false;
		bool up = s[i + 1] >= '5';
		for (size_t j = i + 1; j < n; j++)
			if (s[j] < '0' || s[j] > '9')
				return false;
		v += up;
	}
	*out = v;
	return true;
}

static int num2(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* parse_date reads "YYYY-MM-DD HH:MM:SS" in zone tz. */
static bool parse_date(const char *s, size_t n, const char *tz, int64_t *out)
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd";
	if (n != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; i < n; i++)
		if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
			return false;
	int y = num2(s) * 100 + num2(s + 2), mo = num2(s + 5), d = num2(s + 8);
	int h = num2(s + 11), mi = num2(s + 14), sec = num2(s + 17);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return false;
	*out = time_local_to_utc(tz, y, mo, d, h, mi, sec);
	return true;
}

static enum cdr_disposition parse_disp(const char *s)
{
	for (int d = 0; d < CDR_UNKNOWN; d++)
		if (strcmp(s, disp_names[d]) == 0)
			return (enum cdr_disposition)d;
	return CDR_UNKNOWN;
}

static const char *text(struct cdr_reader *r, const struct csv_record *rec, int col)
{
	return col < 0 ? "" : arena_strndup(r->a, rec->f[col].s, rec->f[col].n);
}

/* fill converts rec by layout l into row; NULL or the reason it is bad. */
static const char *fill(struct cdr_reader *r, const struct csv_record *rec, enum cdr_layout l,
			struct cdr_row *row)
{
	const signed char *c = layouts[l].col;
	const struct csv_field *f = rec->f;
	row->layout = l;
	row->accountcode = text(r, rec, c[F_ACCOUNT]);
	row->src = text(r, rec, c[F_SRC]);
	row->dst = text(r, rec, c[F_DST]);
	row->dcontext = text(r, rec, c[F_DCONTEXT]);
	row->clid = text(r, rec, c[F_CLID]);
	row->channel = text(r, rec, c[F_CHANNEL]);
	row->dstchannel = text(r, rec, c[F_DSTCHANNEL]);
	row->lastapp = text(r, rec, c[F_LASTAPP]);
	row->lastdata = text(r, rec, c[F_LASTDATA]);
	row->amaflags = text(r, rec, c[F_AMA]);
	row->uniqueid = text(r, rec, c[F_UNIQUEID]);
	row->userfield = text(r, rec, c[F_USERFIELD]);
	row->peeraccount = text(r, rec, c[F_PEERACCOUNT]);
	row->linkedid = text(r, rec, c[F_LINKEDID]);
	row->sequence = -1;
	if (c[F_SEQUENCE] >= 0 &&
	    !parse_secs(f[c[F_SEQUENCE]].s, f[c[F_SEQUENCE]].n, &row->sequence))
		return "sequence is not a number";
	if (!parse_date(f[c[F_START]].s, f[c[F_START]].n, r->tz, &row->start))
		return "start is not a date (YYYY-MM-DD HH:MM:SS)";
	if (!parse_date(f[c[F_END]].s, f[c[F_END]].n, r->tz, &row->end))
		return "end is not a date (YYYY-MM-DD HH:MM:SS)";
	row->answer = 0;
	if (f[c[F_ANSWER]].n &&
	    !parse_date(f[c[F_ANSWER]].s, f[c[F_ANSWER]].n, r->tz, &row->answer))
		return "answer is not a date (YYYY-MM-DD HH:MM:SS) or empty";
	if (!parse_secs(f[c[F_DURATION]].s, f[c[F_DURATION]].n, &row->duration))
		return "duration is not a number of seconds";
	if (!parse_secs(f[c[F_BILLSEC]].s, f[c[F_BILLSEC]].n, &row->billsec))
		return "billsec is not a number of seconds";
	if (!*text(r, rec, c[F_DISP]))
		return "the disposition is empty";
	row->disposition = parse_disp(f[c[F_DISP]].s);
	return NULL;
}

int cdr_next(struct cdr_reader *r, struct cdr_row *row, struct nc_err *err)
{
	struct csv_record rec = {0};
	struct nc_err local;
	if (!err)
		err = &local;
	memset(row, 0, sizeof(*row));
	int rc = csv_next(r->csv, &rec, err);
	row->line = rec.line;
	if (rc < 0) {
		/* the CSV reader says "csv: line N: why"; a CDR file has no other kind of line */
		char why[sizeof(err->msg)];
		const char *m = strncmp(err->msg, "csv: ", 5) == 0 ? err->msg + 5 : err->msg;
		memcpy(why, m, strlen(m) + 1);
		nc_error(err, NC_EINVAL, "%s", why);
		err->ref = rec.line;
	}
	if (rc <= 0)
		return rc;
	int l = r->layout;
	if (l == CDR_AUTO)
		l = detect(&rec);
	else if ((int)rec.n != layouts[l].ncols)
		l = -1;
	const char *why = NULL;
	if (l < 0)
		why = arena_printf(r->a, "%zu columns, want %s", rec.n,
				   r->layout == CDR_AUTO ? "16 to 21"
							 : arena_printf(r->a, "%d (cdr.columns %s)",
									layouts[r->layout].ncols,
									layouts[r->layout].name));
	else
		why = fill(r, &rec, (enum cdr_layout)l, row);
	if (why) {
		nc_error(err, NC_EINVAL, "line %ld: %s", rec.line, why);
		err->ref = rec.line;
		return -1;
	}
	return 1;
}

const char *cdr_channel_peer(const char *channel, struct arena *a)
{
	const char *p = strchr(channel, '/');
	p = p ? p + 1 : channel;
	size_t n = strcspn(p, "@;");
	if (p[n] != '@') {
		/* Tech/peer-suffix: the suffix after the last '-' is the channel's sequence */
		const char *dash = NULL;
		for (const char *q = p; q < p + n; q++)
			if (*q == '-')
				dash = q;
		if (dash)
			n = (size_t)(dash - p);
	}
	return arena_strndup(a, p, n);
}
