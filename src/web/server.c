/* server.c - the libmicrohttpd daemon: request lifecycle (body up to 1 MiB, the response queued
 * on the second call so keep-alive works in MHD 0.9.75), security headers, access log, per-thread
 * database connections, and the orderly stop. */
#include "web/server.h"
#include "pbx/ami_link.h"
#include "store/db.h"
#include "util/log.h"
#include "util/time.h"
#include "util/xmalloc.h"
#include "web/cache.h"
#include "web/router.h"
#include "web/sse.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#define MAX_DBS 64

static const char *db_target;
static bool tls_proxy;
static pthread_mutex_t dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *dbs[MAX_DBS];
static size_t ndbs;
static __thread struct db *thread_db;
static atomic_int in_flight;

bool server_tls_proxy(void)
{
	return tls_proxy;
}

const char *server_db_target(void)
{
	return db_target;
}

struct db *server_db(struct nc_err *err)
{
	if (thread_db)
		return thread_db;
	struct db *db = db_open(db_target, err);
	if (!db)
		return NULL;
	pthread_mutex_lock(&dbs_lock);
	if (ndbs < MAX_DBS)
		dbs[ndbs++] = db;
	pthread_mutex_unlock(&dbs_lock);
	thread_db = db;
	return db;
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static struct req *req_new(struct MHD_Connection *c, const char *url, const char *method)
{
	struct req *r = xcalloc(1, sizeof(*r));
	arena_init(&r->a);
	buf_init(&r->body, HTTP_MAX_BODY);
	buf_init(&r->out, 0);
	r->conn = c;
	r->method = arena_strdup(&r->a, method);
	r->path = arena_strdup(&r->a, url);
	r->start_us = now_us();
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char addr[INET6_ADDRSTRLEN] = "?";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr,
				  sizeof(addr));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr,
				  sizeof(addr));
	}
	r->remote_addr = arena_strdup(&r->a, addr);
	atomic_fetch_add(&in_flight, 1);
	return r;
}

static void req_free(struct req *r)
{
	arena_release(&r->a);
	buf_release(&r->body);
	buf_release(&r->out);
	free(r);
	atomic_fetch_sub(&in_flight, 1);
}

static void add_headers(struct req *r, struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; frame-ancestors 'none'; base-uri 'none'");
	if (strncmp(r->path, "/api/", 5) == 0)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->content_type)
		MHD_add_response_header(resp, "Content-Type", r->content_type);
	for (size_t i = 0; i < r->nhdr; i++)
		MHD_add_response_header(resp, r->hdr_names[i], r->hdr_values[i]);
}

static enum MHD_Result respond(struct req *r)
{
	struct MHD_Response *resp;
	if (r->streaming)
		resp = sse_response(r);
	else
		resp =
		    MHD_create_response_from_buffer(r->out.len, r->out.data, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	add_headers(r, resp);
	enum MHD_Result rc = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static void handle(struct req *r)
{
	struct nc_err err = {0};
	r->db = server_db(&err);
	if (!r->db) {
		log_error("database: %s", err.msg);
		http_error(r, 503, "unavailable", NULL, "the database is not available");
		return;
	}
	app_begin(&r->app, r->db, &r->a, NULL);
	r->app.anonymous = true;
	router_dispatch(r);
	if (db_in_tx(r->db)) { /* a handler must never leave one open */
		log_error("%s %s left a transaction open: rolled back", r->method, r->path);
		db_rollback(r->db);
	}
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **state)
{
	struct req *r = *state;
	if (!r) {
		/* answer on a later call: queuing on the first one disables keep-alive */
		*state = req_new(c, url, method);
		return MHD_YES;
	}
	if (*upload_size) {
		buf_add(&r->body, upload, *upload_size);
		if (buf_failed(&r->body))
			r->body_too_large = true;
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->status) /* already answered (a resumed stream) */
		return MHD_YES;
	handle(r);
	if (!r->status)
		http_error(r, 500, "internal", NULL, "no response");
	return respond(r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
			 enum MHD_RequestTerminationCode toe)
{
	struct req *r = *state;
	if (!r)
		return;
	/* one line per request; the path never has the query string, where secrets may be */
	log_info("%s %s %d %lldus%s", r->method, r->path, r->status,
		 (long long)(now_us() - r->start_us),
		 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (cut short)");
	req_free(r);
	*state = NULL;
}

/* parse_listen reads "ADDR:PORT" or "[V6ADDR]:PORT" into ss. */
static int parse_listen(const char *s, struct sockaddr_storage *ss, struct nc_err *err)
{
	char host[128];
	const char *colon = strrchr(s, ':');
	long port = colon ? strtol(colon + 1, NULL, 10) : 0;
	size_t hl = colon ? (size_t)(colon - s) : 0;
	if (!colon || port < 1 || port > 65535 || hl == 0 || hl >= sizeof(host))
		goto bad;
	if (s[0] == '[' && colon[-1] == ']') {
		snprintf(host, sizeof(host), "%.*s", (int)hl - 2, s + 1);
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		memset(a, 0, sizeof(*a));
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			goto bad;
		return 0;
	}
	snprintf(host, sizeof(host), "%.*s", (int)hl, s);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
		goto bad;
	return 0;
bad:
	return nc_error_field(err, NC_EINVAL, "listen",
			      "--listen \"%.60s\": want ADDR:PORT, e.g. 127.0.0.1:8080", s);
}

/* raise_fd_limit lets a thousand event streams and more stay open. */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max > 65536 ? 65536 : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = 0;
	log_warn("http: %s", msg);
}

/* drain waits up to ten seconds for requests in flight to finish. */
static void drain(void)
{
	for (int i = 0; i < 1000 && atomic_load(&in_flight) > 0; i++)
		usleep(10000);
	if (atomic_load(&in_flight) > 0)
		log_warn("stopping with %d requests still open", atomic_load(&in_flight));
}

int server_run(const struct server_opts *o, struct nc_err *err)
{
	struct sockaddr_storage ss;
	if (parse_listen(o->listen ? o->listen : "127.0.0.1:8080", &ss, err) < 0)
		return -1;
	db_target = o->db;
	tls_proxy = o->tls_proxy;
	struct db *probe = server_db(err); /* fail early when the database is unusable */
	if (!probe)
		return -1;
	raise_fd_limit();
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* every thread started now inherits this */
	signal(SIGPIPE, SIG_IGN);
	if (sse_start(err) < 0)
		return -1;
	/* the AMI link idles until the ami.* settings enable it */
	if (ami_link_start(db_target, err) < 0) {
		sse_stop();
		return -1;
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	struct MHD_Daemon *d = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned)(o->threads > 0 ? o->threads : 2), MHD_OPTION_NOTIFY_COMPLETED, on_completed,
	    NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)20000, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	    MHD_OPTION_UNESCAPE_CALLBACK, http_unescape, NULL, MHD_OPTION_END);
	if (!d) {
		ami_link_stop();
		sse_stop();
		return nc_error_field(err, NC_EIO, "listen", "cannot listen on %s (in use?)",
				      o->listen ? o->listen : "127.0.0.1:8080");
	}
	log_info("serving on http://%s (database %s)", o->listen ? o->listen : "127.0.0.1:8080",
		 o->db);
	int sig = 0;
	sigwait(&sigs, &sig);
	log_info("signal %d: stopping", sig);
	MHD_quiesce_daemon(d); /* no new connections */
	ami_link_stop();       /* Logoff; the calls completed so far are stored */
	sse_stop();	       /* ends every event stream so its request completes */
	drain();
	MHD_stop_daemon(d);
	cache_free_all();
	pthread_mutex_lock(&dbs_lock);
	for (size_t i = 0; i < ndbs; i++)
		db_close(dbs[i]);
	ndbs = 0;
	pthread_mutex_unlock(&dbs_lock);
	thread_db = NULL;
	log_info("stopped");
	return 0;
}
