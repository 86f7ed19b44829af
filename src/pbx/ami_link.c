/* ami_link.c - the AMI session of "nextcall serve" (see ami_link.h).
 *
 * Two threads: the reader owns the socket and the correlator and never waits on the database
 * longer than a phone look-up (Asterisk drops a session that does not read within 100 ms,
 * PROTOCOL.md §1); the writer stores each completed call from a queue. Calls survive a dropped
 * session: the correlator is kept, and after the next login CoreShowChannels tells which calls
 * ended meanwhile (they are completed) and which began (they are tracked). Storing is idempotent
 * by Linkedid, so a call is never counted twice. On PostgreSQL with several instances, only the
 * one holding an advisory lock keeps a session. */
#include "pbx/ami_link.h"
#include "app/events.h"
#include "store/db.h"
#include "tel/ami.h"
#include "tel/pbx.h"
#include "util/log.h"
#include "util/md5.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define PING_EVERY_S	  20
#define PONG_WAIT_S	  10
#define LOGIN_WAIT_S	  10
#define BACKOFF_MAX_S	  60
#define IDLE_CHECK_S	  5
#define ORIGINATE_QUEUE	  32
#define ORIGINATE_PENDING 64
#define LEADER_LOCK	  7262001 /* pg_try_advisory_lock key of the AMI session */

struct originate_req {
	char action_id[64];
	char channel[128], context[80], number[40], callerid[160];
	int64_t rep_id, client_id;
};

struct pending {
	char action_id[64];
	int64_t rep_id, client_id;
};

struct call_item {
	struct pbx_call call;
	char rep[64];
	struct call_item *next;
};

static struct {
	const char *target;
	pthread_t reader, writer;
	bool started;
	atomic_bool stop;
	int wake[2]; /* a byte written here wakes the reader (stop, originate queued) */

	pthread_mutex_t lock; /* guards the fields below */
	pthread_cond_t cond;
	struct originate_req queue[ORIGINATE_QUEUE];
	size_t nqueue;
	struct call_item *calls, **calls_tail;
	struct ami_link_status status;
	struct ami_ids ids;
} L = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

/* ---- configuration, read at each connection ---- */
struct config {
	struct arena a;
	bool enabled;
	const char *host, *port, *user, *secret;
	struct pbx_config pbx;
};

static void config_release(struct config *c)
{
	arena_release(&c->a);
	memset(c, 0, sizeof(*c));
}

static int config_load(struct db *db, struct config *c, struct nc_err *err)
{
	arena_init(&c->a);
	struct app app;
	app_begin(&app, db, &c->a, NULL);
	const char *enabled, *ctxs;
	if (app_setting_get(&app, "ami.enabled", &enabled, err) < 0 ||
	    app_setting_get(&app, "ami.host", &c->host, err) < 0 ||
	    app_setting_get(&app, "ami.port", &c->port, err) < 0 ||
	    app_setting_get(&app, "ami.user", &c->user, err) < 0 ||
	    app_setting_get(&app, "ami.secret", &c->secret, err) < 0 ||
	    app_setting_get(&app, "ami.external_contexts", &ctxs, err) < 0)
		return -1;
	c->enabled = strcmp(enabled, "true") == 0 || strcmp(enabled, "1") == 0;
	json_t *j = json_loads(ctxs, 0, NULL);
	size_t n = json_is_array(j) ? json_array_size(j) : 0;
	const char **ext = arena_alloc(&c->a, (n + 1) * sizeof(*ext));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (json_is_string(json_array_get(j, i)))
			ext[k++] = arena_strdup(&c->a, json_string_value(json_array_get(j, i)));
	json_decref(j);
	c->pbx.external = ext;
	c->pbx.n_external = k;
	/* the extension map is read only for a link that will connect: the idle check runs every
	 * IDLE_CHECK_S seconds, and a team's users are hundreds of rows */
	if (!c->enabled || !*c->user)
		return 0;
	struct user_rec *users;
	size_t nu;
	if (app_user_list(&app, &users, &nu, err) < 0)
		return -1;
	struct pbx_ext *map = arena_alloc(&c->a, (nu + 1) * sizeof(*map));
	k = 0;
	for (size_t i = 0; i < nu; i++)
		if (users[i].active && users[i].extension && *users[i].extension)
			map[k++] = (struct pbx_ext){users[i].extension, users[i].login};
	c->pbx.exts = map;
	c->pbx.n_exts = k;
	return 0;
}

/* ---- status ---- */
static void set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void set_error(const char *fmt, ...)
{
	va_list ap;
	pthread_mutex_lock(&L.lock);
	va_start(ap, fmt);
	vsnprintf(L.status.last_error, sizeof(L.status.last_error), fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&L.lock);
	log_warn("ami: %s", L.status.last_error);
}

void ami_link_status(struct ami_link_status *out)
{
	pthread_mutex_lock(&L.lock);
	*out = L.status;
	pthread_mutex_unlock(&L.lock);
}

/* sleep_wake waits up to seconds, returning early when stopping. */
static void sleep_wake(int seconds)
{
	for (int i = 0; i < seconds * 10 && !atomic_load(&L.stop); i++) {
		struct pollfd p = {.fd = L.wake[0], .events = POLLIN};
		if (poll(&p, 1, 100) > 0) {
			char b[16];
			if (read(L.wake[0], b, sizeof(b)) < 0 && errno != EAGAIN)
				break;
		}
	}
}

/* ---- the writer thread: completed calls into the database ---- */
static void store_call(struct db *db, const struct call_item *it)
{
	const struct pbx_call *pc = &it->call;
	if (pc->dir == PBX_INTERNAL)
		return; /* rep to rep: not a contact with a client */
	struct arena a;
	arena_init(&a);
	struct app app;
	app_begin(&app, db, &a, NULL);
	struct pbx_call_in in = {.pbx_id = pc->linkedid,
				 .direction = pc->dir == PBX_INBOUND ? "in" : "out",
				 .number = pc->number[0] ? pc->number : NULL,
				 .rep = it->rep[0] ? it->rep : NULL,
				 .missed = pc->missed,
				 .ring_s = (int)(pc->ring_s + 0.5),
				 .talk_s = (int)(pc->talk_s + 0.5),
				 .started_at = (int64_t)pc->start,
				 .ended_at = (int64_t)(pc->end + 0.5),
				 .uniqueid = pc->linkedid};
	if (pc->answered && pc->talk_s > 0)
		in.answered_at = in.ended_at - in.talk_s;
	if (in.ended_at < in.started_at)
		in.ended_at = in.started_at;
	struct pbx_call_out out;
	struct nc_err err = {0};
	if (app_pbx_call(&app, &in, &out, &err) < 0)
		log_error("ami: call %s not stored: %s", pc->linkedid, err.msg);
	else if (!out.existed)
		log_info("ami: call %s stored (%s, %s%s)", pc->linkedid, in.direction,
			 pc->missed ? "missed" : "answered",
			 out.step_id ? ", callback planned" : "");
	arena_release(&a);
}

static void *writer_main(void *arg)
{
	(void)arg;
	struct db *db = NULL;
	for (;;) {
		pthread_mutex_lock(&L.lock);
		while (!L.calls && !atomic_load(&L.stop))
			pthread_cond_wait(&L.cond, &L.lock);
		struct call_item *it = L.calls;
		if (it) {
			L.calls = it->next;
			if (!L.calls)
				L.calls_tail = &L.calls;
		}
		pthread_mutex_unlock(&L.lock);
		if (!it)
			break; /* stopping, and the queue is empty */
		struct nc_err err = {0};
		if (!db && !(db = db_open(L.target, &err)))
			log_error("ami: database: %s", err.msg);
		if (db)
			store_call(db, it);
		free(it);
	}
	db_close(db);
	return NULL;
}

/* ---- the reader thread: one session at a time ---- */
struct session {
	int fd;
	struct db *db; /* look-ups for pop-ups */
	struct config *cfg;
	struct pbx *pbx;
	struct ami_parser *parser;
	struct buf out;
	char challenge[128];
	char login_id[64], challenge_id[64], csc_id[64], ping_id[64];
	enum { S_CHALLENGE, S_LOGIN, S_UP } state;
	bool failed, resyncing;
	time_t ping_sent, pong_seen;
	struct pending pending[ORIGINATE_PENDING];
	size_t npending;
};

static void emit_to(int64_t rep_id, const char *event, json_t *data)
{
	events_emit(rep_id, event, data);
}

/* the reader thread's connection, for the look-ups of pop-ups */
static struct db *ring_db;

static void on_ringing(const struct pbx_ringing *r, void *ctx)
{
	(void)ctx;
	struct arena a;
	arena_init(&a);
	struct app app;
	app_begin(&app, ring_db, &a, NULL);
	struct ringing_out out;
	struct nc_err err = {0};
	if (r->login && app_telephony_ringing(&app, r->linkedid, *r->number ? r->number : "unknown",
					      r->login, &out, &err) < 0)
		log_warn("ami: pop-up for %s not sent: %s", r->login, err.msg);
	arena_release(&a);
}

static void on_call(const struct pbx_call *c, void *ctx)
{
	(void)ctx;
	struct call_item *it = xcalloc(1, sizeof(*it));
	it->call = *c;
	it->call.rep = NULL;
	if (c->rep)
		snprintf(it->rep, sizeof(it->rep), "%s", c->rep);
	pthread_mutex_lock(&L.lock);
	*L.calls_tail = it;
	L.calls_tail = &it->next;
	L.status.calls++;
	pthread_cond_signal(&L.cond);
	pthread_mutex_unlock(&L.lock);
}

static int send_all(struct session *s)
{
	size_t off = 0;
	while (off < s->out.len) {
		ssize_t k = send(s->fd, s->out.data + off, s->out.len - off, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd p = {.fd = s->fd, .events = POLLOUT};
			if (poll(&p, 1, 1000) <= 0)
				return -1;
			continue;
		}
		if (k <= 0)
			return -1;
		off += (size_t)k;
	}
	buf_reset(&s->out);
	return 0;
}

static void send_login(struct session *s)
{
	char key[33];
	size_t n = strlen(s->challenge), m = strlen(s->cfg->secret);
	char *both = xmalloc(n + m + 1);
	memcpy(both, s->challenge, n);
	memcpy(both + n, s->cfg->secret, m + 1);
	md5_hex(both, n + m, key);
	sodium_memzero(both, n + m);
	free(both);
	ami_next_id(&L.ids, s->login_id, sizeof(s->login_id));
	if (ami_action(&s->out, "Login", "ActionID", s->login_id, "AuthType", "MD5", "Username",
		       s->cfg->user, "Key", key, "Events", "call", NULL) < 0)
		s->failed = true;
	s->state = S_LOGIN;
}

static void send_resync(struct session *s)
{
	ami_next_id(&L.ids, s->csc_id, sizeof(s->csc_id));
	ami_action(&s->out, "CoreShowChannels", "ActionID", s->csc_id, NULL);
	pbx_resync_begin(s->pbx);
	s->resyncing = true;
}

static struct pending *pending_take(struct session *s, const char *id)
{
	for (size_t i = 0; id && i < s->npending; i++)
		if (strcmp(s->pending[i].action_id, id) == 0)
			return &s->pending[i];
	return NULL;
}

static void pending_drop(struct session *s, struct pending *p)
{
	*p = s->pending[--s->npending];
}

static void originate_result(struct session *s, const struct ami_msg *m, bool event)
{
	struct pending *p = pending_take(s, ami_get(m, "ActionID"));
	if (!p)
		return;
	const char *resp = event ? ami_get(m, "Response") : m->name;
	bool ok = resp && strcasecmp(resp, "Success") == 0;
	if (!event && ok)
		return; /* "Originate successfully queued": the result comes as OriginateResponse */
	const char *reason = event ? ami_get(m, "Reason") : ami_get(m, "Message");
	json_t *data = json_pack("{s:s, s:I, s:s, s:s}", "action_id", p->action_id, "client_id",
				 (json_int_t)p->client_id, "result",
				 ok ? "ringing_client" : "failed", "reason", reason ? reason : "");
	emit_to(p->rep_id, "call.originate", data);
	pending_drop(s, p);
}

static void on_msg(const struct ami_msg *m, void *ctx)
{
	struct session *s = ctx;
	const char *id = ami_get(m, "ActionID");
	pthread_mutex_lock(&L.lock);
	L.status.events++;
	pthread_mutex_unlock(&L.lock);
	if (!m->is_event) {
		bool ok = strcasecmp(m->name, "Success") == 0;
		if (s->state == S_CHALLENGE && id && strcmp(id, s->challenge_id) == 0) {
			const char *ch = ami_get(m, "Challenge");
			if (!ok || !ch || strlen(ch) >= sizeof(s->challenge)) {
				set_error("the MD5 challenge was refused: %s",
					  ami_get(m, "Message") ? ami_get(m, "Message")
								: "no reason");
				s->failed = true;
				return;
			}
			strcpy(s->challenge, ch);
			send_login(s);
		} else if (s->state == S_LOGIN && id && strcmp(id, s->login_id) == 0) {
			if (!ok) {
				set_error("login as \"%s\" failed: %s", s->cfg->user,
					  ami_get(m, "Message") ? ami_get(m, "Message")
								: "no reason");
				s->failed = true;
				return;
			}
			s->state = S_UP;
			s->pong_seen = time(NULL);
			pthread_mutex_lock(&L.lock);
			L.status.connected = true;
			L.status.connected_since = nc_now();
			L.status.last_error[0] = '\0';
			pthread_mutex_unlock(&L.lock);
			log_info("ami: signed in to %s:%s as %s", s->cfg->host, s->cfg->port,
				 s->cfg->user);
			send_resync(s);
		} else if (id && strcmp(id, s->ping_id) == 0) {
			s->pong_seen = time(NULL);
		} else if (id && strcmp(id, s->csc_id) == 0 && !ok) {
			pbx_resync_end(s->pbx, (double)nc_now());
			s->resyncing = false;
		} else if (id) {
			originate_result(s, m, false);
		}
		return;
	}
	if (strcasecmp(m->name, "OriginateResponse") == 0) {
		originate_result(s, m, true);
		return;
	}
	if (strcasecmp(m->name, "CoreShowChannelsComplete") == 0) {
		if (s->resyncing && id && strcmp(id, s->csc_id) == 0) {
			pbx_resync_end(s->pbx, (double)nc_now());
			s->resyncing = false;
			log_info("ami: resynchronised, %zu calls in progress", pbx_active(s->pbx));
		}
		return;
	}
	if (strcasecmp(m->name, "CoreShowChannel") == 0 &&
	    !(s->resyncing && id && strcmp(id, s->csc_id) == 0))
		return; /* another session's list */
	struct timeval tv;
	gettimeofday(&tv, NULL);
	pbx_feed(s->pbx, m, (double)tv.tv_sec + tv.tv_usec / 1e6);
}

static void on_drop(const char *why, void *ctx)
{
	(void)ctx;
	log_warn("ami: message dropped: %s", why);
}

static int dial(const struct config *c)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res;
	int rc = getaddrinfo(c->host, c->port, &hints, &res);
	if (rc != 0) {
		set_error("cannot resolve %s: %s", c->host, gai_strerror(rc));
		return -1;
	}
	int fd = -1;
	for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS) {
			close(fd);
			fd = -1;
			continue;
		}
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		int soerr = 0;
		socklen_t len = sizeof(soerr);
		if (poll(&p, 1, 5000) <= 0 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 || soerr) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		set_error("cannot connect to %s:%s", c->host, c->port);
	return fd;
}

/* take_queue moves queued Originates into actions on the wire. */
static void take_queue(struct session *s)
{
	struct originate_req q[ORIGINATE_QUEUE];
	size_t n;
	pthread_mutex_lock(&L.lock);
	n = L.nqueue;
	memcpy(q, L.queue, n * sizeof(q[0]));
	L.nqueue = 0;
	pthread_mutex_unlock(&L.lock);
	for (size_t i = 0; i < n; i++) {
		if (ami_action(&s->out, "Originate", "ActionID", q[i].action_id, "Channel",
			       q[i].channel, "Context", q[i].context, "Exten", q[i].number,
			       "Priority", "1", "CallerID", q[i].callerid, "Timeout", "30000",
			       "Async", "true", NULL) < 0) {
			json_t *data =
			    json_pack("{s:s, s:I, s:s, s:s}", "action_id", q[i].action_id,
				      "client_id", (json_int_t)q[i].client_id, "result", "failed",
				      "reason", "invalid originate request");
			emit_to(q[i].rep_id, "call.originate", data);
			continue;
		}
		if (s->npending == ORIGINATE_PENDING)
			pending_drop(s, &s->pending[0]); /* the oldest never got an answer */
		struct pending *p = &s->pending[s->npending++];
		_Static_assert(sizeof(p->action_id) == sizeof(q[i].action_id),
			       "same ActionID size");
		memcpy(p->action_id, q[i].action_id, sizeof(p->action_id));
		p->rep_id = q[i].rep_id;
		p->client_id = q[i].client_id;
	}
}

/* run_session speaks AMI on fd until the connection fails or the link stops: 1 when the
 * session had signed in (the backoff starts again), 0 when not. */
static int run_session(struct session *s)
{
	char rbuf[16384];
	buf_init(&s->out, 1024);
	s->state = S_CHALLENGE;
	ami_next_id(&L.ids, s->challenge_id, sizeof(s->challenge_id));
	ami_action(&s->out, "Challenge", "ActionID", s->challenge_id, "AuthType", "MD5", NULL);
	time_t started = time(NULL);
	bool was_up = false;
	while (!atomic_load(&L.stop) && !s->failed) {
		if (s->state == S_UP) {
			was_up = true;
			take_queue(s);
			time_t now = time(NULL);
			if (now - s->ping_sent >= PING_EVERY_S) {
				ami_next_id(&L.ids, s->ping_id, sizeof(s->ping_id));
				ami_action(&s->out, "Ping", "ActionID", s->ping_id, NULL);
				s->ping_sent = now;
			} else if (s->ping_sent > s->pong_seen &&
				   now - s->ping_sent > PONG_WAIT_S) {
				set_error("no answer to Ping for %d s", PONG_WAIT_S);
				break;
			}
		} else if (time(NULL) - started > LOGIN_WAIT_S) {
			set_error("no login answer within %d s", LOGIN_WAIT_S);
			break;
		}
		if (s->out.len && send_all(s) < 0) {
			set_error("write to the AMI failed");
			break;
		}
		struct pollfd p[2] = {{.fd = s->fd, .events = POLLIN},
				      {.fd = L.wake[0], .events = POLLIN}};
		int k = poll(p, 2, 1000);
		if (k < 0 && errno != EINTR)
			break;
		if (p[1].revents & POLLIN) {
			char b[64];
			if (read(L.wake[0], b, sizeof(b)) < 0 && errno != EAGAIN)
				break;
		}
		if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		ssize_t got = recv(s->fd, rbuf, sizeof(rbuf), 0);
		if (got < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (got <= 0) {
			set_error("the AMI closed the connection");
			break;
		}
		ami_feed(s->parser, rbuf, (size_t)got, on_msg, on_drop, s);
		if (*ami_banner(s->parser)) {
			pthread_mutex_lock(&L.lock);
			snprintf(L.status.server, sizeof(L.status.server), "%s",
				 ami_banner(s->parser));
			pthread_mutex_unlock(&L.lock);
		}
	}
	if (s->state == S_UP && atomic_load(&L.stop)) {
		char id[64];
		ami_next_id(&L.ids, id, sizeof(id));
		ami_action(&s->out, "Logoff", "ActionID", id, NULL);
		send_all(s);
	}
	buf_release(&s->out);
	return was_up;
}

/* leader: on PostgreSQL only the instance holding the lock keeps an AMI session. */
static bool leader(struct db *db)
{
	if (strcmp(db_driver_name(db), "postgres") != 0)
		return true;
	int64_t got = 0;
	struct nc_err err = {0};
	if (db_get_int(db, &err, &got,
		       "SELECT CASE WHEN pg_try_advisory_lock($1) THEN 1 ELSE 0 END", "i",
		       (int64_t)LEADER_LOCK) < 0)
		log_warn("ami: leader lock: %s", err.msg);
	return got == 1;
}

static void *reader_main(void *arg)
{
	(void)arg;
	struct db *db = NULL;
	struct pbx *pbx = NULL;
	struct config cfg = {0}, *live = NULL;
	struct pbx_config pcfg = {0}; /* the correlator's view, updated at each connection */
	int backoff = 1;
	bool is_leader = false;
	while (!atomic_load(&L.stop)) {
		struct nc_err err = {0};
		if (!db && !(db = db_open(L.target, &err))) {
			set_error("database: %s", err.msg);
			sleep_wake(IDLE_CHECK_S);
			continue;
		}
		struct config next = {0};
		if (config_load(db, &next, &err) < 0) {
			config_release(&next);
			set_error("settings: %s", err.msg);
			db_close(db);
			db = NULL;
			is_leader = false;
			sleep_wake(IDLE_CHECK_S);
			continue;
		}
		if (live)
			config_release(live);
		cfg = next;
		live = &cfg;
		pcfg = cfg.pbx;
		pthread_mutex_lock(&L.lock);
		L.status.enabled = cfg.enabled;
		pthread_mutex_unlock(&L.lock);
		if (!cfg.enabled || !*cfg.user) {
			sleep_wake(IDLE_CHECK_S);
			continue;
		}
		if (!is_leader && !(is_leader = leader(db))) {
			sleep_wake(IDLE_CHECK_S * 2);
			continue;
		}
		if (!pbx)
			pbx = pbx_new(&pcfg, on_call, on_ringing, NULL);
		int fd = dial(&cfg);
		if (fd < 0) {
			sleep_wake(backoff);
			backoff = backoff * 2 > BACKOFF_MAX_S ? BACKOFF_MAX_S : backoff * 2;
			continue;
		}
		struct session s = {.fd = fd, .db = db, .cfg = &cfg, .pbx = pbx};
		s.parser = ami_parser_new();
		ring_db = db;
		int up = run_session(&s);
		ami_parser_free(s.parser);
		close(fd);
		pthread_mutex_lock(&L.lock);
		if (L.status.connected)
			L.status.reconnects++;
		L.status.connected = false;
		pthread_mutex_unlock(&L.lock);
		if (up)
			backoff = 1;
		if (!atomic_load(&L.stop)) {
			sleep_wake(backoff);
			backoff = backoff * 2 > BACKOFF_MAX_S ? BACKOFF_MAX_S : backoff * 2;
		}
	}
	pbx_free(pbx);
	if (live)
		config_release(live);
	db_close(db);
	return NULL;
}

int ami_link_start(const char *db_target, struct nc_err *err)
{
	if (L.started)
		return 0;
	L.target = db_target;
	atomic_store(&L.stop, false);
	L.calls = NULL;
	L.calls_tail = &L.calls;
	if (pipe2(L.wake, O_CLOEXEC | O_NONBLOCK) < 0)
		return nc_error(err, NC_EIO, "ami: pipe: %s", strerror(errno));
	char prefix[32];
	snprintf(prefix, sizeof(prefix), "nc%ld-%08x", (long)getpid(), randombytes_random());
	ami_ids_init(&L.ids, prefix);
	if (pthread_create(&L.writer, NULL, writer_main, NULL) != 0) {
		close(L.wake[0]);
		close(L.wake[1]);
		return nc_error(err, NC_EIO, "ami: cannot start a thread");
	}
	if (pthread_create(&L.reader, NULL, reader_main, NULL) != 0) {
		atomic_store(&L.stop, true);
		pthread_cond_signal(&L.cond);
		pthread_join(L.writer, NULL);
		close(L.wake[0]);
		close(L.wake[1]);
		return nc_error(err, NC_EIO, "ami: cannot start a thread");
	}
	L.started = true;
	return 0;
}

void ami_link_stop(void)
{
	if (!L.started)
		return;
	atomic_store(&L.stop, true);
	if (write(L.wake[1], "x", 1) < 0)
		log_warn("ami: wake: %s", strerror(errno));
	pthread_join(L.reader, NULL);
	pthread_mutex_lock(&L.lock);
	pthread_cond_signal(&L.cond);
	pthread_mutex_unlock(&L.lock);
	pthread_join(L.writer, NULL);
	close(L.wake[0]);
	close(L.wake[1]);
	L.started = false;
}

int ami_link_originate(const struct originate_out *o, char *action_id, size_t size,
		       struct nc_err *err)
{
	pthread_mutex_lock(&L.lock);
	bool up = L.started && L.status.connected;
	if (!up || L.nqueue == ORIGINATE_QUEUE) {
		pthread_mutex_unlock(&L.lock);
		return nc_error(
		    err, NC_EBUSY,
		    up ? "too many calls being placed: try again in a moment"
		       : "the telephone exchange is not connected (see the ami.* settings)");
	}
	struct originate_req *q = &L.queue[L.nqueue++];
	memset(q, 0, sizeof(*q));
	ami_next_id(&L.ids, q->action_id, sizeof(q->action_id));
	snprintf(q->channel, sizeof(q->channel), "%s", o->channel);
	snprintf(q->context, sizeof(q->context), "%s", o->context);
	snprintf(q->number, sizeof(q->number), "%s", o->number);
	snprintf(q->callerid, sizeof(q->callerid), "%s", o->callerid);
	q->rep_id = o->rep_id;
	q->client_id = o->client_id;
	snprintf(action_id, size, "%s", q->action_id);
	pthread_mutex_unlock(&L.lock);
	if (write(L.wake[1], "o", 1) < 0)
		log_warn("ami: wake: %s", strerror(errno));
	return 0;
}
