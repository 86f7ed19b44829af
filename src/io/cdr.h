/* cdr.h - a reader of Asterisk call detail records: cdr_csv's Master.csv in each of its column
 * layouts (16 to 21 columns, chosen by cdr.conf: loguniqueid, loguserfield, newcdrcolumns) and
 * cdr_custom's legacy 19-column mapping. Dates are read in GMT or in a configured zone. */
#ifndef NC_CDR_H
#define NC_CDR_H

#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

/* The column layout. Numbers are cdr_csv column counts; _UF are the variants where the optional
 * column is the userfield rather than the uniqueid (loguniqueid=no, loguserfield=yes). */
enum cdr_layout {
	CDR_AUTO,    /* per line, by its column count (17 and 20 by the shape of column 17) */
	CDR_16,	     /* the 16 base columns */
	CDR_17,	     /* + uniqueid */
	CDR_17_UF,   /* + userfield */
	CDR_18,	     /* + uniqueid, userfield (the sample cdr.conf) */
	CDR_19,	     /* + peeraccount, linkedid, sequence */
	CDR_20,	     /* + uniqueid + the three new columns */
	CDR_20_UF,   /* + userfield + the three new columns */
	CDR_21,	     /* everything */
	CDR_CUSTOM,  /* cdr_custom's legacy mapping: clid first, every field quoted, 19 columns */
	CDR__LAYOUTS /* count */
};

enum cdr_disposition {
	CDR_ANSWERED,
	CDR_NO_ANSWER,
	CDR_BUSY,
	CDR_FAILED,
	CDR_CONGESTION,
	CDR_CANCEL,
	CDR_UNKNOWN /* "UNKNOWN" or any other word */
};

/* One record. Strings are NUL-terminated, never NULL ("" when absent from the layout), and live
 * in the arena given to cdr_reader_new. */
struct cdr_row {
	long line; /* 1-based line where the record starts */
	enum cdr_layout layout;
	const char *accountcode, *src, *dst, *dcontext, *clid, *channel, *dstchannel, *lastapp,
	    *lastdata, *amaflags, *uniqueid, *userfield, *peeraccount, *linkedid;
	int64_t start, answer, end; /* UTC epoch seconds; answer 0 when not answered */
	long duration, billsec;	    /* seconds (hi-res values are rounded) */
	long sequence;		    /* -1 when absent */
	enum cdr_disposition disposition;
};

struct cdr_reader;

/* cdr_layout_parse reads "auto", "16".."21", "17-userfield", "20-userfield" or "custom";
 * -1 (NC_EINVAL, field "cdr.columns") for anything else. */
int cdr_layout_parse(const char *s, enum cdr_layout *out, struct nc_err *err);
/* cdr_layout_name gives the name cdr_layout_parse reads. */
const char *cdr_layout_name(enum cdr_layout l);
/* cdr_disposition_name gives the word Asterisk writes ("NO ANSWER", ...). */
const char *cdr_disposition_name(enum cdr_disposition d);

/* cdr_reader_new reads text[0..len) (UTF-8, as cdr_csv writes it) with layout (CDR_AUTO to
 * detect per line); tz is the zone of the dates (NULL or "UTC" for usegmtime=yes files). The
 * reader borrows text and tz, and copies the fields of each row into a (the caller's arena).
 * The caller owns the reader (never NULL) and frees it with cdr_reader_free. */
struct cdr_reader *cdr_reader_new(const char *text, size_t len, enum cdr_layout layout,
				  const char *tz, struct arena *a);
/* cdr_reader_free frees r; NULL is ignored. Rows already read stay valid (they are in a). */
void cdr_reader_free(struct cdr_reader *r);

/* cdr_next reads the next record: 1 a row, 0 end of input, -1 a bad record (wrong column count,
 * a date, number or disposition that does not parse, broken quoting) with err NC_EINVAL,
 * message "line N: ...", err->ref and row->line the line (err may be NULL); reading continues
 * after it. */
int cdr_next(struct cdr_reader *r, struct cdr_row *row, struct nc_err *err);

/* cdr_channel_peer extracts the endpoint of a channel name: "PJSIP/201-0000000a" -> "201",
 * "Local/201@phones-00000001;1" -> "201", "SIP/trunk-0001" -> "trunk"; "" for "". The result is
 * in a. */
const char *cdr_channel_peer(const char *channel, struct arena *a);

#endif
