/* form.h - HTML form bodies (application/x-www-form-urlencoded) decoded into name/value pairs. */
#ifndef NC_FORM_H
#define NC_FORM_H

#include "util/arena.h"
#include "util/err.h"

#include <stddef.h>

#define FORM_MAX_FIELDS 200

struct form_field {
	const char *name, *value; /* decoded, NUL-terminated, valid UTF-8, in the arena */
};
struct form {
	struct form_field *f;
	size_t n;
};

/* form_parse decodes body[0..len): '&'-separated name=value pairs, '+' as space, %XX escapes.
 * A bad escape, invalid UTF-8, a NUL byte or more than FORM_MAX_FIELDS fields fail with
 * NC_EINVAL naming the field. */
int form_parse(struct arena *a, const char *body, size_t len, struct form *out, struct nc_err *err);

/* form_get gives the first value of name, or NULL. */
const char *form_get(const struct form *f, const char *name);
/* form_all collects up to max values of a repeated name into out; returns how many. */
size_t form_all(const struct form *f, const char *name, const char **out, size_t max);

#endif
