/* static.h - the interface's CSS and JavaScript, embedded in the binary at build time and served
 * with a content hash in the URL (so they can be cached for a year) and an ETag. */
#ifndef NC_STATIC_H
#define NC_STATIC_H

#include "web/http.h"

/* static_url gives "/static/NAME?v=HASH" for an embedded asset (NAME unchanged if unknown). */
const char *static_url(struct req *r, const char *name);

/* api_static answers GET /static/{name}: 200 with cache headers, 304 when If-None-Match
 * matches, 404 for any other name (no file system access, so no path traversal). */
void api_static(struct req *r);

/* api_favicon answers /favicon.ico, which browsers ask for by themselves, with the SVG icon. */
void api_favicon(struct req *r);

#endif
