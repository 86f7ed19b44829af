/* notify.c - LISTEN/NOTIFY over libpq: one listening connection per process, polled with a
 * timeout so that the thread notices a stop request, reconnected when it drops. */
#include "store/notify.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <libpq-fe.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define POLL_MS	    500
#define BACKOFF_MAX 30

struct notify {
	char *target, *channel;
	notify_cb cb;
	void *arg;
	PGconn *c;
	pthread_t thread;
	atomic_bool stop;
};

static void quiet(void *arg, const char *msg)
{
}

/* first_line gives the length of msg up to its first CR or LF (messages never carry them). */
static int first_line(const char *msg)
{
	return (int)strcspn(msg, "\r\n");
}

/* connect_listen opens a connection and runs LISTEN; NULL with err on failure. */
static PGconn *connect_listen(const struct notify *n, struct nc_err *err)
{
	PGconn *c = PQconnectdb(n->target);
	if (PQstatus(c) != CONNECTION_OK) {
		const char *msg = PQerrorMessage(c);
		nc_error(err, NC_EDB, "listen: cannot connect: %.*s", first_line(msg), msg);
		PQfinish(c);
		return NULL;
	}
	PQsetNoticeProcessor(c, quiet, NULL);
	char *id = PQescapeIdentifier(c, n->channel, strlen(n->channel));
	size_t len = strlen(id) + 8;
	char *sql = xmalloc(len);
	snprintf(sql, len, "LISTEN %s", id);
	PQfreemem(id);
	PGresult *r = PQexec(c, sql);
	free(sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok) {
		const char *msg = PQerrorMessage(c);
		nc_error(err, NC_EDB, "listen: %.*s", first_line(msg), msg);
		PQfinish(c);
		return NULL;
	}
	return c;
}

/* pump waits for notifications and delivers them; returns when stopping (0) or the connection
 * is broken (-1). */
static int pump(struct notify *n)
{
	while (!atomic_load(&n->stop)) {
		struct pollfd p = {.fd = PQsocket(n->c), .events = POLLIN};
		if (p.fd < 0)
			return -1;
		int rc = poll(&p, 1, POLL_MS);
		if (rc == 0 || (rc < 0 && errno == EINTR))
			continue;
		if (rc < 0 || !PQconsumeInput(n->c))
			return -1;
		PGnotify *m;
		while ((m = PQnotifies(n->c))) {
			n->cb(m->extra, n->arg);
			PQfreemem(m);
		}
		if (PQstatus(n->c) != CONNECTION_OK)
			return -1;
	}
	return 0;
}

static void *listener(void *arg)
{
	struct notify *n = arg;
	int pause = 1;
	while (!atomic_load(&n->stop)) {
		if (!n->c) {
			struct nc_err err = {0};
			n->c = connect_listen(n, &err);
			if (!n->c) {
				log_warn("%s; retrying in %d s", err.msg, pause);
				for (int i = 0; i < pause * 10 && !atomic_load(&n->stop); i++)
					usleep(100000);
				pause = pause * 2 > BACKOFF_MAX ? BACKOFF_MAX : pause * 2;
				continue;
			}
			log_info("listen: connected again");
			pause = 1;
		}
		if (pump(n) < 0) {
			const char *msg = PQerrorMessage(n->c);
			log_warn("listen: connection lost: %.*s", first_line(msg), msg);
			PQfinish(n->c);
			n->c = NULL;
		}
	}
	return NULL;
}

struct notify *notify_listen(const char *target, const char *channel, notify_cb cb, void *arg,
			     struct nc_err *err)
{
	struct notify *n = xcalloc(1, sizeof(*n));
	n->target = xstrdup(target);
	n->channel = xstrdup(channel);
	n->cb = cb;
	n->arg = arg;
	atomic_init(&n->stop, false);
	n->c = connect_listen(n, err);
	if (!n->c)
		goto fail;
	if (pthread_create(&n->thread, NULL, listener, n) != 0) {
		nc_error(err, NC_EIO, "cannot start the listen thread");
		goto fail;
	}
	return n;
fail:
	if (n->c)
		PQfinish(n->c);
	free(n->target);
	free(n->channel);
	free(n);
	return NULL;
}

void notify_stop(struct notify *n)
{
	if (!n)
		return;
	atomic_store(&n->stop, true);
	pthread_join(n->thread, NULL);
	if (n->c)
		PQfinish(n->c);
	free(n->target);
	free(n->channel);
	free(n);
}

int notify_send(struct db *db, const char *channel, const char *payload, struct nc_err *err)
{
	if (strcmp(db_driver_name(db), "postgres") != 0)
		return 0;
	int64_t ignored;
	return db_get_int(db, err, &ignored, "SELECT 0 FROM pg_notify($1, $2)", "tt", channel,
			  payload) < 0
		   ? -1
		   : 0;
}
