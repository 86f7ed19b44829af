/* conn_limit.h - open connections counted per client address (an IPv4 address, an IPv6 /64
 * network) against a cap, with a list of exempt networks; thread-safe. The server asks it on
 * accept and when a connection starts and ends (web/server.c). */
#ifndef NC_CONN_LIMIT_H
#define NC_CONN_LIMIT_H

#include <stdbool.h>
#include <sys/socket.h>

#include "util/err.h"

/* CONN_LIMIT_MAX_NETS is the most networks an exempt list may name. */
#define CONN_LIMIT_MAX_NETS 32

struct conn_limit;

/* How a connection from an address is treated. */
enum conn_verdict {
	CONN_EXEMPT, /* not counted: the limit is off, or the address is in an exempt network */
	CONN_OK,     /* counted, within the limit */
	CONN_OVER,   /* counted, over the limit: answer 503 and close */
	CONN_REFUSE, /* over the limit and the grace: close without an answer */
};

/* conn_limit_new makes a table allowing limit connections per address (0: no limit) plus grace
 * more that are only told 503, and exempting the networks of exempt: "ADDR[/BITS]" items
 * separated by commas or spaces (IPv4 or IPv6; an address alone is one host), or "" or "none"
 * for no exemption. Gives NULL with err (NC_EUSAGE, field "per-address-exempt") when the list
 * does not parse. The caller frees it with conn_limit_free. */
struct conn_limit *conn_limit_new(unsigned limit, unsigned grace, const char *exempt,
				  struct nc_err *err);

/* conn_limit_free frees l (NULL does nothing); no connection may be counted any more. */
void conn_limit_free(struct conn_limit *l);

/* conn_limit_admit says whether a new connection from sa may be accepted: CONN_REFUSE when its
 * address already has limit + grace connections open, else CONN_EXEMPT or CONN_OK. Counts
 * nothing. */
enum conn_verdict conn_limit_admit(struct conn_limit *l, const struct sockaddr *sa);

/* conn_limit_open counts a connection from sa that has started: CONN_EXEMPT (not counted; do not
 * call conn_limit_close), CONN_OK, or CONN_OVER when it is beyond the limit. *open (may be NULL)
 * gets the address's count including this one (0 when exempt). */
enum conn_verdict conn_limit_open(struct conn_limit *l, const struct sockaddr *sa, unsigned *open);

/* conn_limit_close uncounts a connection from sa that conn_limit_open counted. */
void conn_limit_close(struct conn_limit *l, const struct sockaddr *sa);

/* conn_limit_count gives how many connections from sa's address are counted now. */
unsigned conn_limit_count(struct conn_limit *l, const struct sockaddr *sa);

/* conn_limit_key writes sa's counting key as text into out (size n, at least 48): the IPv4
 * address, or the IPv6 /64 as "2001:db8:1:2::/64"; an IPv4-mapped IPv6 address counts as IPv4.
 * Gives false for other families. */
bool conn_limit_key(const struct sockaddr *sa, char *out, size_t n);

#endif
