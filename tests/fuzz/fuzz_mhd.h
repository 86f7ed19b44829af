/* fuzz_mhd.h - for the fuzz targets of what libmicrohttpd decodes for us (the query string,
 * cookies, headers): one daemon without a listening socket, to which each input is handed as a
 * request over a socket pair; the check runs inside the request handler with a struct req around
 * the connection, as the router's handlers see it. Nothing listens on the network. */
#ifndef NC_FUZZ_MHD_H
#define NC_FUZZ_MHD_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "web/http.h"

typedef void (*mhd_check_fn)(struct req *r, void *ctx);

static struct {
	struct MHD_Daemon *d;
	mhd_check_fn fn;
	void *ctx;
	int ran; /* how many times the handler ran for the current input */
} mhd_state;

static enum MHD_Result mhd_on_request(void *cls, struct MHD_Connection *c, const char *url,
				      const char *method, const char *version,
				      const char *upload_data, size_t *upload_size, void **con_cls)
{
	(void)cls, (void)version, (void)upload_data, (void)con_cls;
	if (*upload_size)
		abort(); /* the requests carry no body */
	struct req r;
	memset(&r, 0, sizeof(r));
	r.conn = c;
	r.method = method;
	r.path = url;
	arena_init(&r.a);
	buf_init(&r.body, 0);
	buf_init(&r.out, 0);
	mhd_state.fn(&r, mhd_state.ctx);
	mhd_state.ran++;
	arena_release(&r.a);
	buf_release(&r.body);
	buf_release(&r.out);
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	enum MHD_Result rc = MHD_queue_response(c, MHD_HTTP_NO_CONTENT, resp);
	MHD_destroy_response(resp);
	return rc;
}

static unsigned mhd_connections(void)
{
	const union MHD_DaemonInfo *i =
	    MHD_get_daemon_info(mhd_state.d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return i ? i->num_connections : 0;
}

/* mhd_request hands the request text[0..n) to the daemon, running fn(r, ctx) in its handler,
 * and returns how many times the handler ran (0 when the daemon refused the request itself). */
static int mhd_request(const char *text, size_t n, mhd_check_fn fn, void *ctx)
{
	if (!mhd_state.d) {
		/* the options of server_run that concern decoding a request */
		mhd_state.d = MHD_start_daemon(
		    MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL, mhd_on_request, NULL,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, HTTP_CONN_MEMORY,
		    MHD_OPTION_UNESCAPE_CALLBACK, http_unescape, NULL, MHD_OPTION_END);
		if (!mhd_state.d)
			abort();
	}
	mhd_state.fn = fn;
	mhd_state.ctx = ctx;
	mhd_state.ran = 0;
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		abort();
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	for (size_t off = 0; off < n;) {
		ssize_t w = write(sv[1], text + off, n - off);
		if (w <= 0)
			abort(); /* the inputs are kept well below a socket buffer */
		off += (size_t)w;
	}
	struct sockaddr_in peer = {.sin_family = AF_INET, .sin_port = htons(40000)};
	peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (MHD_add_connection(mhd_state.d, sv[0], (struct sockaddr *)&peer, sizeof(peer)) !=
	    MHD_YES)
		abort();
	char sink[4096];
	for (int i = 0; i < 64; i++) {
		MHD_run(mhd_state.d);
		ssize_t got = read(sv[1], sink, sizeof(sink));
		if (got == 0)
			break; /* answered and closed ("Connection: close") */
		if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			break;
	}
	close(sv[1]);
	for (int i = 0; i < 64 && mhd_connections() > 0; i++)
		MHD_run(mhd_state.d);
	if (mhd_connections() > 0)
		abort(); /* a connection the daemon does not let go of */
	return mhd_state.ran;
}

#endif
