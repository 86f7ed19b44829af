/* server.c - the libmicrohttpd daemon: request lifecycle (body up to 1 MiB, the response queued
 * on the second call so keep-alive works in MHD 0.9.75), security headers, access log, per-thread
 * database connections, and the orderly stop. */
#include "web/server.h"
#include "pbx/ami_link.h"
#include "store/db.h"
#include "util/conn_limit.h"
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
/* connections of an address past --per-address-limit that are still accepted to be told 503;
 * past this many more the connection is closed at once (a client trickling its request must
 * not hold more than limit + grace) */
#define PER_ADDRESS_GRACE 16
#define OVER_TIMEOUT_S	  5 /* the idle timeout of such a connection */
#define REFUSED_LOG_US	  (10 * 1000000)

static const char *db_target;
static bool tls_proxy;
static unsigned per_address_limit;
static pthread_mutex_t dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *dbs[MAX_DBS];
static size_t ndbs;
static __thread struct db *thread_db;
/* On SQLite the requests that may write (any method but GET and HEAD) run one at a time on one
 * connection, the writer, instead of each on its worker's. SQLite discards a connection's page
 * cache and its map of the file whenever another connection has committed since its last
 * transaction: with two workers writing in turn each write began cold, re-reading every B-tree
 * page it descended (~120 preads a logged call) and unmapping and faulting the map again. On
 * the 10 M-call database a logged call took 1.44 ms of CPU with two workers and 0.66 ms with
 * one (611-726 against 1 177 calls/s, bench/FINDINGS.md). The writer's cache stays warm: no other
 * connection of the server writes, but for a read's occasional note of a token's or session's
 * last use and the PBX link. SQLite takes one writer at a time anyway; waiting here is for the
 * whole request instead of polling its lock (sq_busy), and up to the same 10 s. The readers'
 * connections still start cold after each commit, as before. */
#define WRITER_WAIT_S 10
static bool serial_writes;
static pthread_mutex_t writer_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *writer_db;
static atomic_int in_flight;
static struct conn_limit *limits;
static char mark_counted, mark_over; /* socket contexts: counted, counted and over the limit */
static pthread_mutex_t refused_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t refused_logged_us;
static unsigned refused_since;

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
	if (db_reads_mostly(db, err) < 0) { /* its GETs: the writes run on writer_db */
		db_close(db);
		return NULL;
	}
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

/* note_refused logs refused connections, at most once per 10 s whatever their number. */
static void note_refused(const struct sockaddr *sa)
{
	pthread_mutex_lock(&refused_lock);
	refused_since++;
	int64_t now = now_us();
	unsigned n = 0;
	if (refused_logged_us == 0 || now - refused_logged_us >= REFUSED_LOG_US) {
		n = refused_since;
		refused_since = 0;
		refused_logged_us = now;
	}
	pthread_mutex_unlock(&refused_lock);
	if (n) {
		char key[64];
		conn_limit_key(sa, key, sizeof(key));
		log_warn("http: %u connection(s) refused (503 or closed) since the last such line: "
			 "over --per-address-limit %u, the last from %s",
			 n, server_per_address_limit(), key);
	}
}

/* on_accept closes a connection at once when its address is past the limit and the grace. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *sa, socklen_t len)
{
	if (conn_limit_admit(limits, sa) != CONN_REFUSE)
		return MHD_YES;
	note_refused(sa);
	return MHD_NO;
}

/* on_connection counts connections per address; one over the limit gets a short idle timeout
 * and a 503 for its first request (on_request). */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		enum conn_verdict v = conn_limit_open(limits, sa, NULL);
		*socket_context = v == CONN_EXEMPT ? NULL
				  : v == CONN_OVER ? &mark_over
						   : &mark_counted;
		if (v == CONN_OVER) {
			MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT,
						  (unsigned)OVER_TIMEOUT_S);
			note_refused(sa);
		}
	} else if (*socket_context) {
		conn_limit_close(limits, sa);
		*socket_context = NULL;
	}
}

/* refuse_over answers 503 on a connection past the per-address limit; queued on the first call,
 * so MHD closes the connection after it. */
static enum MHD_Result refuse_over(struct MHD_Connection *c)
{
	static const char text[] = "503 too many connections from your address: close some "
				   "tabs or programs, or ask the administrator to raise "
				   "--per-address-limit\n";
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(sizeof(text) - 1, (void *)text, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
	MHD_add_response_header(resp, "Retry-After", "10");
	MHD_add_response_header(resp, "Connection", "close");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	enum MHD_Result rc = MHD_queue_response(c, 503, resp);
	MHD_destroy_response(resp);
	return rc;
}

static bool over_limit(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci && ci->socket_context == &mark_over;
}

static void req_free(struct req *r)
{
	arena_release(&r->a);
	buf_release(&r->body);
	buf_release(&r->out);
	http_shared_unref(r->shared);
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

static void shared_free(void *cls)
{
	http_shared_unref(cls);
}

static enum MHD_Result respond(struct req *r)
{
	struct MHD_Response *resp;
	if (r->streaming) {
		resp = sse_response(r);
	} else if (r->shared) { /* kept bytes: the response holds a reference until it is freed */
		resp = MHD_create_response_from_buffer_with_free_callback_cls(
		    r->shared->len, r->shared->data, shared_free, r->shared);
		if (resp)
			r->shared = NULL; /* the reference is the response's now */
	} else { /* the body handed over, not copied: libmicrohttpd frees it once sent */
		size_t len;
		char *body = buf_detach(&r->out, &len);
		resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
		if (!resp)
			free(body);
	}
	if (!resp)
		return MHD_NO;
	add_headers(r, resp);
	enum MHD_Result rc = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* writer_take locks the writer (see writer_db) and gives its connection, opened on first use;
 * NULL with err when it cannot (the lock not had within WRITER_WAIT_S: NC_EBUSY). */
static struct db *writer_take(struct nc_err *err)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += WRITER_WAIT_S;
	if (pthread_mutex_timedlock(&writer_lock, &until) != 0) {
		nc_error(err, NC_EBUSY, "the database is busy: writes waited %d s", WRITER_WAIT_S);
		return NULL;
	}
	if (!writer_db) {
		writer_db = db_open(db_target, err);
		if (writer_db) {
			pthread_mutex_lock(&dbs_lock);
			if (ndbs < MAX_DBS)
				dbs[ndbs++] = writer_db;
			pthread_mutex_unlock(&dbs_lock);
		}
	}
	if (!writer_db)
		pthread_mutex_unlock(&writer_lock);
	return writer_db;
}

static void handle(struct req *r)
{
	struct nc_err err = {0};
	bool writer =
	    serial_writes && strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0;
	r->db = writer ? writer_take(&err) : server_db(&err);
	if (!r->db) {
		log_error("database: %s", err.msg);
		http_error(r, 503, "unavailable", NULL,
			   err.code == NC_EBUSY ? "the database is busy: try again"
						: "the database is not available");
		return;
	}
	app_begin(&r->app, r->db, &r->a, NULL);
	r->app.anonymous = true;
	router_dispatch(r);
	if (db_in_tx(r->db)) { /* a handler must never leave one open */
		log_error("%s %s left a transaction open: rolled back", r->method, r->path);
		db_rollback(r->db);
	}
	if (writer)
		pthread_mutex_unlock(&writer_lock);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **state)
{
	struct req *r = *state;
	if (!r) {
		if (over_limit(c))
			return refuse_over(c);
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
	const char *exempt =
	    o->per_address_exempt ? o->per_address_exempt : SERVER_PER_ADDRESS_EXEMPT;
	limits = conn_limit_new(o->per_address_limit, PER_ADDRESS_GRACE, exempt, err);
	if (!limits)
		return -1;
	per_address_limit = o->per_address_limit;
	struct db *probe = server_db(err); /* fail early when the database is unusable */
	if (!probe)
		goto fail;
	serial_writes = strcmp(db_driver_name(probe), "sqlite") == 0;
	raise_fd_limit();
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* every thread started now inherits this */
	signal(SIGPIPE, SIG_IGN);
	if (sse_start(err) < 0)
		goto fail;
	/* the AMI link idles until the ami.* settings enable it */
	if (ami_link_start(db_target, err) < 0) {
		sse_stop();
		goto fail;
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	/* an idle connection is closed after 30 s; event streams send a heartbeat every 15 s */
	struct MHD_Daemon *d = MHD_start_daemon(
	    flags, 0, on_accept, NULL, on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned)(o->threads > 0 ? o->threads : 2), MHD_OPTION_NOTIFY_COMPLETED, on_completed,
	    NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)20000, MHD_OPTION_CONNECTION_MEMORY_LIMIT, HTTP_CONN_MEMORY,
	    MHD_OPTION_UNESCAPE_CALLBACK, http_unescape, NULL, MHD_OPTION_END);
	if (!d) {
		ami_link_stop();
		sse_stop();
		nc_error_field(err, NC_EIO, "listen", "cannot listen on %s (in use?)",
			       o->listen ? o->listen : "127.0.0.1:8080");
		goto fail;
	}
	log_info("serving on http://%s (database %s)", o->listen ? o->listen : "127.0.0.1:8080",
		 o->db);
	if (o->per_address_limit)
		log_info("at most %u connections per client address (exempt: %s)",
			 o->per_address_limit, *exempt ? exempt : "none");
	else
		log_info("no limit of connections per client address");
	int sig = 0;
	sigwait(&sigs, &sig);
	log_info("signal %d: stopping", sig);
	MHD_quiesce_daemon(d); /* no new connections */
	ami_link_stop();       /* Logoff; the calls completed so far are stored */
	sse_stop();	       /* ends every event stream so its request completes */
	drain();
	MHD_stop_daemon(d);
	conn_limit_free(limits);
	limits = NULL;
	cache_free_all();
	pthread_mutex_lock(&dbs_lock);
	for (size_t i = 0; i < ndbs; i++)
		db_close(dbs[i]);
	ndbs = 0;
	pthread_mutex_unlock(&dbs_lock);
	thread_db = NULL;
	writer_db = NULL;
	log_info("stopped");
	return 0;
fail:
	conn_limit_free(limits);
	limits = NULL;
	return -1;
}

unsigned server_per_address_limit(void)
{
	return per_address_limit;
}
