/* cdr.h (app) - the CDR import use case: Asterisk's Master.csv into calls from the exchange,
 * idempotent by uniqueid, with callbacks planned for recent missed inbound calls. */
#ifndef NC_APP_CDR_H
#define NC_APP_CDR_H

#include "app/app.h"

struct cdr_import_opts {
	const char *since;    /* WHEN (team zone): skip calls that started before; NULL: none */
	const char *columns;  /* layout (see cdr_layout_parse); NULL: setting cdr.columns */
	const char *timezone; /* zone of the file's times; NULL: setting cdr.timezone */
	bool dry_run;	      /* do everything, then roll back */
};

struct cdr_import_report {
	size_t rows;		     /* records read, bad ones included */
	size_t bad;		     /* records skipped as bad (issues say which and why) */
	size_t before_since;	     /* records of calls that started before --since */
	size_t calls;		     /* calls found (rows grouped by uniqueid) */
	size_t created;		     /* calls stored */
	size_t already;		     /* calls already stored by an earlier import */
	size_t missed_in;	     /* missed inbound calls among those stored */
	size_t callbacks;	     /* callbacks planned for them */
	struct import_issue *issues; /* bad records by line (existing_id 0) */
	size_t nissues;
	const char *layout, *timezone; /* what was used */
};

/* CDR_CALLBACK_WINDOW_S: a missed inbound call older than this (before now) gets no callback,
 * so that importing history does not flood the agenda. */
#define CDR_CALLBACK_WINDOW_S (24 * 3600)

/* app_import_cdr imports the cdr_csv records in data[0..len) as calls with logged = 0, every
 * good one in one transaction; bad records are reported by line in rep and skipped. Needs the
 * head or admin role. Rows of one call (same uniqueid, or same start and channel when the layout
 * has no uniqueid) become one call whose pbx_id is the uniqueid ("cdr:START:CHANNEL" without
 * one); a call already stored is counted in rep->already. -1 on a bad option, a database error,
 * or a file of only bad records (err NC_EINVAL field "file"; rep is filled). rep's strings are
 * in app's arena. */
int app_import_cdr(struct app *app, const char *data, size_t len,
		   const struct cdr_import_opts *opts, struct cdr_import_report *rep,
		   struct nc_err *err);

#endif
