/* sse.c - Server-Sent Events: a registry of streams, each a suspended connection resumed when an
 * event arrives; a background thread for heartbeats and step.due announcements; on PostgreSQL,
 * events are shared with the other instances on the same database through LISTEN/NOTIFY. */
#include "web/sse.h"
#include "app/events.h"
#include "app/json.h"
#include "core/model.h"
#include "store/notify.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/heap.h"
#include "util/log.h"
#include "util/time.h"
#include "util/xmalloc.h"
#include "web/server.h"

#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HEARTBEAT_S    15
#define SCAN_S	       20
#define HEAP_S	       15 /* free heap pages given back to the system (util/heap.h) */
#define DUE_AHEAD_S    300
#define STREAM_BACKLOG (256 * 1024) /* a client that reads nothing loses its stream */
#define CHANNEL	       "nextcall_events"
#define NOTIFY_MAX     7999 /* PostgreSQL refuses payloads of 8000 bytes and more */

struct stream {
	struct stream *next;
	int64_t user_id;
	struct MHD_Connection *conn;
	pthread_mutex_t lock;
	struct buf pending; /* bytes not yet handed to MHD */
	bool parked;	    /* suspended, waiting for bytes */
	bool closed;	    /* end the stream at the next read */
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct stream *streams;
static size_t nstreams;
static pthread_t bg;
static bool bg_running;
static pthread_mutex_t bg_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bg_cond = PTHREAD_COND_INITIALIZER;
static bool stopping;
/* sse_stop has ended the streams (under reg_lock): a stream that opens later ends at once, or it
 * would be parked, and libmicrohttpd aborts the process when it stops with a connection
 * suspended (a request for /events already under way on an open connection when SIGTERM came) */
static bool streams_ended;
static struct notify *listener;
static atomic_bool sharing; /* the sink also notifies the other instances */
static char origin[17];	    /* this process among the instances: 64 random bits in hex */

/* push appends bytes to a stream and wakes it; the caller holds reg_lock. */
static void push(struct stream *s, const char *data, size_t len)
{
	pthread_mutex_lock(&s->lock);
	if (!s->closed) {
		buf_add(&s->pending, data, len);
		if (buf_failed(&s->pending)) {
			log_warn("event stream of user %lld is not reading: closed",
				 (long long)s->user_id);
			s->closed = true;
		}
		if (s->parked) {
			s->parked = false;
			MHD_resume_connection(s->conn);
		}
	}
	pthread_mutex_unlock(&s->lock);
}

static void broadcast(int64_t user_id, const char *data, size_t len)
{
	pthread_mutex_lock(&reg_lock);
	for (struct stream *s = streams; s; s = s->next)
		if (!user_id || s->user_id == user_id)
			push(s, data, len);
	pthread_mutex_unlock(&reg_lock);
}

void sse_publish(int64_t user_id, const char *event, json_t *data)
{
	char *js = json_dumps(data, JSON_COMPACT);
	json_decref(data);
	if (!js)
		return;
	struct buf b;
	buf_init(&b, 0);
	/* event names are ours; data is one line of JSON (json_dumps escapes newlines) */
	buf_printf(&b, "event: %s\ndata: %s\n\n", event, js);
	free(js);
	broadcast(user_id, b.data, b.len);
	buf_release(&b);
}

size_t sse_count(void)
{
	pthread_mutex_lock(&reg_lock);
	size_t n = nstreams;
	pthread_mutex_unlock(&reg_lock);
	return n;
}

static ssize_t reader(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream *s = cls;
	pthread_mutex_lock(&s->lock);
	ssize_t n = 0;
	if (s->pending.len) {
		n = (ssize_t)(s->pending.len < max ? s->pending.len : max);
		memcpy(out, s->pending.data, (size_t)n);
		memmove(s->pending.data, s->pending.data + n, s->pending.len - (size_t)n);
		buf_truncate(&s->pending, s->pending.len - (size_t)n);
	} else if (s->closed) {
		n = MHD_CONTENT_READER_END_OF_STREAM;
	} else {
		/* nothing to send: park the connection until push() resumes it */
		s->parked = true;
		MHD_suspend_connection(s->conn);
	}
	pthread_mutex_unlock(&s->lock);
	return n;
}

static void stream_free(void *cls)
{
	struct stream *s = cls;
	pthread_mutex_lock(&reg_lock);
	for (struct stream **p = &streams; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			nstreams--;
			break;
		}
	}
	pthread_mutex_unlock(&reg_lock);
	buf_release(&s->pending);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

void sse_open(struct req *r)
{
	struct stream *s = xcalloc(1, sizeof(*s));
	s->user_id = r->user.id;
	s->conn = r->conn;
	pthread_mutex_init(&s->lock, NULL);
	buf_init(&s->pending, STREAM_BACKLOG);
	buf_adds(&s->pending, "retry: 3000\n: connected\n\n");
	http_header_set(r, "X-Accel-Buffering", "no");
	r->content_type = "text/event-stream; charset=utf-8";
	http_stream(r, s);
}

struct MHD_Response *sse_response(struct req *r)
{
	struct stream *s = r->stream_ctx;
	struct MHD_Response *resp =
	    MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, reader, s, stream_free);
	if (!resp) {
		stream_free(s);
		return NULL;
	}
	pthread_mutex_lock(&reg_lock);
	s->closed = streams_ended;
	s->next = streams;
	streams = s;
	nstreams++;
	pthread_mutex_unlock(&reg_lock);
	return resp;
}

/* Steps already announced, so that each is announced once per server. */
struct announced {
	int64_t id, due;
};
static struct announced *seen;
static size_t nseen, capseen;

static bool announce_once(int64_t id, int64_t due, int64_t now)
{
	size_t w = 0;
	bool found = false;
	for (size_t i = 0; i < nseen; i++) {
		if (seen[i].due < now - 3600)
			continue; /* forget steps long past */
		if (seen[i].id == id && seen[i].due == due)
			found = true;
		seen[w++] = seen[i];
	}
	nseen = w;
	if (found)
		return false;
	if (nseen == capseen) {
		capseen = capseen ? capseen * 2 : 64;
		seen = xrealloc(seen, capseen * sizeof(*seen));
	}
	seen[nseen++] = (struct announced){id, due};
	return true;
}

/* peer_gone: whether the client of c has closed its end (or reset it). A suspended stream is
 * out of the event loop, so nothing else notices before a write to it fails: up to two
 * heartbeats, 30 s of a connection held for nothing (and counted against its address). An event
 * stream's client sends nothing after its request, so a peek that reads end of file means gone;
 * the peek consumes nothing. */
static bool peer_gone(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (!ci)
		return false;
	char byte;
	ssize_t n = recv(ci->connect_fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
	return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

/* reap ends the streams whose client has gone: they are resumed to end at their next read. */
static void reap(void)
{
	pthread_mutex_lock(&reg_lock);
	for (struct stream *s = streams; s; s = s->next) {
		pthread_mutex_lock(&s->lock);
		if (!s->closed && s->parked && peer_gone(s->conn)) {
			s->closed = true;
			s->parked = false;
			MHD_resume_connection(s->conn);
		}
		pthread_mutex_unlock(&s->lock);
	}
	pthread_mutex_unlock(&reg_lock);
}

/* scan_due announces planned steps due from a minute ago to five minutes ahead. */
static void scan_due(void)
{
	struct nc_err err = {0};
	struct db *db = server_db(&err);
	if (!db) {
		log_warn("step.due: %s", err.msg);
		return;
	}
	struct arena a;
	arena_init(&a);
	int64_t now = nc_now();
	struct step_rec *s;
	size_t n;
	if (store_step_list(db, &a, 0, now - 60, now + DUE_AHEAD_S, 1000, &s, &n, &err) < 0)
		log_warn("step.due: %s", err.msg);
	else
		for (size_t i = 0; i < n; i++)
			if (s[i].rep_id && announce_once(s[i].id, s[i].due_at, now))
				sse_publish(s[i].rep_id, "step.due", json_of_step(&s[i], NULL));
	arena_release(&a);
}

/* release_heap gives the heap's free pages back to the system: without it, the arenas of the
 * workers keep the steps they made under load (bench/FINDINGS.md, the load run's memory). */
static void release_heap(void)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bool released = heap_release();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_debug("heap: free pages %s in %lld us", released ? "given back" : "none to give back",
		  (long long)(t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000);
}

static void *background(void *arg)
{
	int64_t last_beat = 0, last_scan = 0, last_heap = (int64_t)time(NULL);
	/* tests shorten the scan period with NEXTCALL_SCAN_S */
	const char *env = getenv("NEXTCALL_SCAN_S");
	long scan_s = env ? strtol(env, NULL, 10) : 0;
	if (scan_s < 1 || scan_s > 3600)
		scan_s = SCAN_S;
	pthread_mutex_lock(&bg_lock);
	while (!stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&bg_cond, &bg_lock, &until);
		if (stopping)
			break;
		pthread_mutex_unlock(&bg_lock);
		int64_t t = (int64_t)time(NULL);
		reap(); /* every second: a closed tab frees its connection at once */
		if (t - last_beat >= HEARTBEAT_S) {
			broadcast(0, ": ping\n\n", 8);
			last_beat = t;
		}
		if (t - last_scan >= scan_s) {
			scan_due();
			last_scan = t;
		}
		if (t - last_heap >= HEAP_S) {
			release_heap();
			last_heap = t;
		}
		pthread_mutex_lock(&bg_lock);
	}
	pthread_mutex_unlock(&bg_lock);
	return NULL;
}

/* share sends an event to the other instances: {"origin", "user_id", "event", "data"}, on the
 * calling worker's own connection. Use cases emit after their commit; one emitted inside a
 * read transaction (telephony) leaves when the request ends it. */
static void share(int64_t user_id, const char *event, json_t *data)
{
	json_t *m = json_pack("{s:s, s:I, s:s, s:O}", "origin", origin, "user_id",
			      (json_int_t)user_id, "event", event, "data", data);
	char *js = m ? json_dumps(m, JSON_COMPACT) : NULL;
	json_decref(m);
	if (!js)
		return;
	struct nc_err err = {0};
	struct db *db;
	if (strlen(js) > NOTIFY_MAX)
		log_warn("event %s of %zu bytes is too big for other instances: not shared", event,
			 strlen(js));
	else if (!(db = server_db(&err)) || notify_send(db, CHANNEL, js, &err) < 0)
		log_warn("event %s not shared with other instances: %s", event, err.msg);
	free(js);
}

static void sink(int64_t user_id, const char *event, json_t *data)
{
	if (atomic_load(&sharing))
		share(user_id, event, data);
	sse_publish(user_id, event, data);
}

/* valid_event accepts the names we give events ("call.incoming"), nothing that could break an
 * event stream's lines. */
static bool valid_event(const char *e)
{
	if (!*e || strlen(e) > 64)
		return false;
	for (; *e; e++)
		if (!((*e >= 'a' && *e <= 'z') || *e == '.' || *e == '_'))
			return false;
	return true;
}

/* on_notify delivers an event published by another instance to this one's streams. */
static void on_notify(const char *payload, void *arg)
{
	json_t *m = json_loads(payload, 0, NULL);
	const char *from = json_string_value(json_object_get(m, "origin"));
	const char *event = json_string_value(json_object_get(m, "event"));
	json_t *uid = json_object_get(m, "user_id");
	json_t *data = json_object_get(m, "data");
	if (!from || !event || !json_is_integer(uid) || !data || !valid_event(event))
		log_warn("an event from another instance is malformed: ignored");
	else if (strcmp(from, origin) != 0)
		sse_publish((int64_t)json_integer_value(uid), event, json_incref(data));
	json_decref(m);
}

/* start_listener listens for the other instances' events when the database is PostgreSQL. */
static int start_listener(struct nc_err *err)
{
	struct db *db = server_db(err);
	if (!db)
		return -1;
	if (strcmp(db_driver_name(db), "postgres") != 0)
		return 0;
	uint64_t id;
	if (sodium_init() < 0)
		return nc_error(err, NC_EIO, "libsodium cannot start");
	randombytes_buf(&id, sizeof(id));
	snprintf(origin, sizeof(origin), "%016llx", (unsigned long long)id);
	listener = notify_listen(server_db_target(), CHANNEL, on_notify, NULL, err);
	if (!listener)
		return -1;
	atomic_store(&sharing, true);
	return 0;
}

int sse_start(struct nc_err *err)
{
	stopping = false;
	pthread_mutex_lock(&reg_lock);
	streams_ended = false;
	pthread_mutex_unlock(&reg_lock);
	atomic_store(&sharing, false);
	if (start_listener(err) < 0)
		return -1;
	events_set_sink(sink);
	if (pthread_create(&bg, NULL, background, NULL) != 0) {
		events_set_sink(NULL);
		notify_stop(listener);
		listener = NULL;
		return nc_error(err, NC_EIO, "cannot start the events thread");
	}
	bg_running = true;
	return 0;
}

void sse_stop(void)
{
	events_set_sink(NULL);
	atomic_store(&sharing, false);
	notify_stop(listener);
	listener = NULL;
	if (bg_running) {
		pthread_mutex_lock(&bg_lock);
		stopping = true;
		pthread_cond_signal(&bg_cond);
		pthread_mutex_unlock(&bg_lock);
		pthread_join(bg, NULL);
		bg_running = false;
	}
	pthread_mutex_lock(&reg_lock);
	streams_ended = true;
	for (struct stream *s = streams; s; s = s->next) {
		pthread_mutex_lock(&s->lock);
		s->closed = true;
		if (s->parked) {
			s->parked = false;
			MHD_resume_connection(s->conn);
		}
		pthread_mutex_unlock(&s->lock);
	}
	pthread_mutex_unlock(&reg_lock);
	free(seen);
	seen = NULL;
	nseen = capseen = 0;
}
