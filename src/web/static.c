/* static.c - embedded assets with content-hash URLs and ETags. */
#include "web/static.h"
#include "util/embed.h"

#include <stdio.h>
#include <string.h>

extern const struct embedded_file embedded_assets[];

static const struct embedded_file *find(const char *name)
{
	for (const struct embedded_file *f = embedded_assets; name && f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static void etag(const struct embedded_file *f, char out[24])
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < f->len; i++)
		h = (h ^ (unsigned char)f->data[i]) * 1099511628211ull;
	snprintf(out, 24, "%016llx", (unsigned long long)h);
}

const char *static_url(struct req *r, const char *name)
{
	const struct embedded_file *f = find(name);
	if (!f)
		return name;
	char tag[24];
	etag(f, tag);
	return arena_printf(&r->a, "/static/%s?v=%.12s", name, tag);
}

static const char *type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (dot && strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (dot && strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (dot && strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	return "application/octet-stream";
}

void api_static(struct req *r)
{
	const struct embedded_file *f = r->nparams ? find(r->params[0]) : NULL;
	if (!f) {
		http_error(r, 404, "not_found", NULL, "no such file");
		return;
	}
	char tag[24], quoted[32];
	etag(f, tag);
	snprintf(quoted, sizeof(quoted), "\"%s\"", tag);
	http_header_set(r, "ETag", quoted);
	http_header_set(r, "Cache-Control",
			http_query(r, "v") ? "public, max-age=31536000, immutable"
					   : "public, max-age=300");
	const char *inm = http_header(r, "If-None-Match");
	if (inm && strcmp(inm, quoted) == 0) {
		http_body(r, 304, NULL, "", 0);
		return;
	}
	http_body(r, 200, type_of(f->name), f->data, f->len);
}

void api_favicon(struct req *r)
{
	static char name[] = "icon.svg";
	r->params[0] = name;
	r->nparams = 1;
	api_static(r);
}
