/* err.c - filling struct nc_err. */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void scrub(char *s)
{
	for (; *s; s++)
		if (*s == '\r' || *s == '\n')
			*s = ' ';
}

static void copy(char *dst, size_t n, const char *src)
{
	if (!src)
		src = "";
	snprintf(dst, n, "%s", src);
}

static int fill(struct nc_err *err, enum nc_code code, const char *rule, const char *field,
		const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	err->code = code;
	err->ref = 0;
	err->retry = false;
	copy(err->rule, sizeof(err->rule), rule);
	copy(err->field, sizeof(err->field), field);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	scrub(err->msg);
	return -1;
}

int nc_error(struct nc_err *err, enum nc_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fill(err, code, NULL, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

int nc_error_field(struct nc_err *err, enum nc_code code, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fill(err, code, NULL, field, fmt, ap);
	va_end(ap);
	return -1;
}

int nc_error_rule(struct nc_err *err, const char *rule, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fill(err, NC_ERULE, rule, field, fmt, ap);
	va_end(ap);
	return -1;
}

void nc_err_clear(struct nc_err *err)
{
	memset(err, 0, sizeof(*err));
}

const char *nc_code_name(enum nc_code code)
{
	static const char *const names[] = {
	    [NC_OK] = "ok",
	    [NC_EINVAL] = "invalid",
	    [NC_EUSAGE] = "usage",
	    [NC_ERULE] = "rule",
	    [NC_ENOTFOUND] = "not_found",
	    [NC_ECONFLICT] = "conflict",
	    [NC_EFORBIDDEN] = "forbidden",
	    [NC_EAUTH] = "unauthorized",
	    [NC_EDB] = "database",
	    [NC_EIO] = "io",
	    [NC_EVERSION] = "version",
	    [NC_EBUSY] = "busy",
	};
	if ((unsigned)code < sizeof(names) / sizeof(names[0]) && names[code])
		return names[code];
	return "error";
}
