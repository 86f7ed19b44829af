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
	/* open connections per client address (IPv4 address, IPv6 /64); 0: no limit. The CLI's
	 * default is SERVER_PER_ADDRESS_LIMIT. */
	unsigned per_address_limit;
	const char *per_address_exempt; /* networks the limit skips; NULL: the default */
};

/* 50 reps behind one NAT address, a browser opening at most 6 connections to a host: 300, with
 * room for API scripts and phones. */
#define SERVER_PER_ADDRESS_LIMIT 512 /* also in the help of "serve" (main.c) */
/* a reverse proxy or load balancer on the same host carries the whole team */
#define SERVER_PER_ADDRESS_EXEMPT "127.0.0.0/8,::1"

/* server_run serves until SIGTERM or SIGINT, then stops accepting, finishes requests in flight
 * (closing event streams), closes the database and returns 0. -1 with err when it cannot start. */
int server_run(const struct server_opts *o, struct nc_err *err);

/* server_per_address_limit gives the open connections allowed per client address (0: none). */
unsigned server_per_address_limit(void);

/* server_tls_proxy says whether cookies must be marked Secure. */
bool server_tls_proxy(void);

/* server_db gives the calling worker thread's database connection, opening it on first use;
 * NULL with err when it cannot be opened. */
struct db *server_db(struct nc_err *err);

/* server_db_target gives the database target the server was started with (not owned). */
const char *server_db_target(void);

#endif
