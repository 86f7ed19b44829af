/* form.c - decoding urlencoded form bodies with a cursor over the bytes. */
#include "web/form.h"
#include "util/utf8.h"

#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* decode copies s[0..n) into the arena with '+' and %XX decoded; NULL on a bad escape. */
static char *decode(struct arena *a, const char *s, size_t n, size_t *outlen)
{
	char *out = arena_alloc(a, n + 1), *w = out;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			*w++ = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= n)
				return NULL;
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			*w++ = (char)(hi * 16 + lo);
			i += 2;
		} else {
			*w++ = s[i];
		}
	}
	*w = 0;
	*outlen = (size_t)(w - out);
	return out;
}

/* bad refuses the form naming field name, when it is a name a message can hold (valid UTF-8,
 * short enough for err->field), else naming "form". */
static int bad(struct nc_err *err, const char *name, const char *why)
{
	if (!name || !*name || strlen(name) > 40 || !utf8_valid(name, strlen(name)))
		name = "form";
	return nc_error_field(err, NC_EINVAL, name, "%s: %s", name, why);
}

int form_parse(struct arena *a, const char *body, size_t len, struct form *out, struct nc_err *err)
{
	out->f = NULL;
	out->n = 0;
	size_t cap = 0;
	const char *p = body, *end = body + len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		size_t nl, vl;
		char *name = decode(a, p, (size_t)((eq ? eq : stop) - p), &nl);
		char *value = eq ? decode(a, eq + 1, (size_t)(stop - eq - 1), &vl) : (vl = 0, "");
		if (!name || !value)
			return bad(err, name, "bad %-escape");
		if (strlen(name) != nl || strlen(value) != vl)
			return bad(err, name, "NUL bytes are not allowed");
		if (!utf8_valid(name, nl) || !utf8_valid(value, vl))
			return bad(err, name, "not valid UTF-8");
		if (nl) {
			if (out->n >= FORM_MAX_FIELDS)
				return bad(err, NULL, "too many fields");
			out->f = arena_grow(a, out->f, &cap, out->n, sizeof(*out->f));
			out->f[out->n++] = (struct form_field){name, value};
		}
		p = amp ? amp + 1 : end;
	}
	return 0;
}

const char *form_get(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->f[i].name, name) == 0)
			return f->f[i].value;
	return NULL;
}

size_t form_all(const struct form *f, const char *name, const char **out, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < f->n && k < max; i++)
		if (strcmp(f->f[i].name, name) == 0)
			out[k++] = f->f[i].value;
	return k;
}
