/* err.h - the error value every fallible function fills: a code, a message, the field it
 * concerns and, for sales-rule refusals, the stable rule id. */
#ifndef NC_ERR_H
#define NC_ERR_H

#include <stdbool.h>

enum nc_code {
	NC_OK = 0,
	NC_EINVAL,     /* bad input: a value or field is wrong (CLI exit 1, API 400) */
	NC_EUSAGE,     /* the command was called wrongly (CLI exit 2) */
	NC_ERULE,      /* refused by a sales rule (CLI exit 3, API 422); rule names it */
	NC_ENOTFOUND,  /* the named thing does not exist (API 404) */
	NC_ECONFLICT,  /* a unique thing already exists (API 409) */
	NC_EFORBIDDEN, /* the actor may not do this (API 403) */
	NC_EAUTH,      /* not authenticated (API 401) */
	NC_EDB,	       /* the database failed */
	NC_EIO,	       /* a file or socket failed */
	NC_EVERSION,   /* the database was written by a newer nextcall */
	NC_EBUSY,      /* retry later (locked, throttled) */
};

struct nc_err {
	enum nc_code code;
	char rule[40];	/* rule id for NC_ERULE, "" otherwise */
	char field[48]; /* the input field concerned, "" when none */
	char msg[400];	/* lowercase, no final period, no CR/LF */
	long long ref;	/* a related id (e.g. the existing client on NC_ECONFLICT), 0 if none */
	bool retry;	/* the database gave up on a transaction that may succeed if run again
			   (deadlock, serialization failure, lock timeout): app/ retries it */
};

/* nc_error fills err (when not NULL) with code and a printf-formatted message and returns -1,
 * so that callers write "return nc_error(err, NC_EINVAL, "...", ...)". CR and LF in the result
 * are replaced by spaces. */
int nc_error(struct nc_err *err, enum nc_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* nc_error_field is nc_error that also names the input field. */
int nc_error_field(struct nc_err *err, enum nc_code code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* nc_error_rule fills a sales-rule refusal (NC_ERULE) with its rule id and field. */
int nc_error_rule(struct nc_err *err, const char *rule, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* nc_err_clear resets err to NC_OK with empty strings. */
void nc_err_clear(struct nc_err *err);

/* nc_code_name gives a stable snake_case name for code ("invalid", "conflict", ...). */
const char *nc_code_name(enum nc_code code);

#endif
