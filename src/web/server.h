/* server.h - "nextcall serve": the HTTP server on libmicrohttpd (epoll, a small thread pool),
 * one database connection per worker thread, and a clean stop on SIGTERM or SIGINT. */
#ifndef NC_SERVER_H
#define NC_SERVER_H

#include <stdbool.h>

#include "util/err.h"

struct server_opts {
	const char *listen; /* "ADDR:PORT", "[::1]:PORT"; default 127.0.0.1:8080 */
	const char *db;	    /* the database target */
	bool tls_proxy;	    /* HTTPS is terminated in front: cookies get Secure */
	int threads;	    /* worker threads; 0: 2 */
};

/* server_run serves until SIGTERM or SIGINT, then stops accepting, finishes requests in flight
 * (closing event streams), closes the database and returns 0. -1 with err when it cannot start. */
int server_run(const struct server_opts *o, struct nc_err *err);

/* server_tls_proxy says whether cookies must be marked Secure. */
bool server_tls_proxy(void);

/* server_db gives the calling worker thread's database connection, opening it on first use;
 * NULL with err when it cannot be opened. */
struct db *server_db(struct nc_err *err);

/* server_db_target gives the database target the server was started with (not owned). */
const char *server_db_target(void);

#endif
