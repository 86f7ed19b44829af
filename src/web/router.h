/* router.h - the HTTP routes as a table of data: method, path pattern, handler, who may call it,
 * and the words the OpenAPI document is made of. The dispatch, the authentication check and
 * openapi.json all read this one table. */
#ifndef NC_ROUTER_H
#define NC_ROUTER_H

#include "web/http.h"

typedef void (*handler_fn)(struct req *r);

enum route_flags {
	ROUTE_PUBLIC = 1 << 0,	     /* no authentication needed */
	ROUTE_BODY = 1 << 1,	     /* takes a JSON body */
	ROUTE_NO_LOG_QUERY = 1 << 2, /* the query string holds a secret (never logged anyway) */
	ROUTE_CACHE = 1 << 4,	     /* a hot per-user read: answers are reused while the data and
					the minute are the same (cache.c) */
	ROUTE_PAGE = 1 << 3,	     /* an HTML page: signed-out visitors go to /login, errors are
					pages, and POST forms carry the CSRF token in a field */
};

struct route {
	const char *method;  /* "GET", "POST", "PATCH", "DELETE" */
	const char *pattern; /* "/api/v1/clients/{id}"; {x} matches one non-empty segment */
	handler_fn handler;
	enum role role; /* the least role allowed (ROLE_REP for any signed-in user) */
	unsigned flags;
	const char *tag;      /* OpenAPI grouping: "clients", "calls", ... */
	const char *summary;  /* one line for the OpenAPI document */
	const char *request;  /* name of the request body schema in openapi.c, or NULL */
	const char *response; /* name of the success response schema, or NULL */
	int success;	      /* the success status: 200, 201, 204 */
};

extern const struct route routes[];

/* router_dispatch finds the route of r (404 when no path matches, 405 with Allow when the path
 * matches under another method), authenticates (401), checks the role (403) and runs it. */
void router_dispatch(struct req *r);

#endif
