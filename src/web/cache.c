/* cache.c - per-thread answer cache validated by the database version and the minute. */
#include "web/cache.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS	    64	   /* answers per thread */
#define MAX_BODY    262144 /* larger answers are not kept */
#define MAX_THREADS 64

struct slot {
	char *key, *ctype;
	struct http_shared *body; /* a reference of the slot's, shared with the answers sent */
	int64_t version, minute;
};

struct cache {
	struct slot s[SLOTS];
	unsigned next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct cache *all[MAX_THREADS];
static size_t nall;
static __thread struct cache *mine;
/* the key of the request that cache_answer just missed, for its cache_keep (the router calls
 * both on the same thread): made once per request instead of twice */
static __thread struct {
	const struct req *r;
	char *key;
} missed;

static struct cache *thread_cache(void)
{
	if (mine)
		return mine;
	pthread_mutex_lock(&lock);
	if (nall < MAX_THREADS)
		mine = all[nall++] = xcalloc(1, sizeof(struct cache));
	pthread_mutex_unlock(&lock);
	return mine;
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
	buf_printf(cls, "&%s=%s", k, v ? v : "");
	return MHD_YES;
}

/* key names the answer: who asks, for which path and arguments. */
static char *key(struct req *r)
{
	struct buf b;
	buf_init(&b, 256);
	buf_printf(&b, "%lld %s", (long long)r->user.id, r->path);
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, &b);
	char *k = buf_failed(&b) ? NULL : buf_detach(&b, NULL);
	buf_release(&b);
	return k;
}

static void drop(struct slot *s)
{
	free(s->key);
	free(s->ctype);
	http_shared_unref(s->body);
	memset(s, 0, sizeof(*s));
}

bool cache_answer(struct req *r, int64_t version)
{
	struct cache *c = thread_cache();
	free(missed.key);
	missed.key = NULL;
	missed.r = NULL;
	if (!c || !version)
		return false;
	char *k = key(r);
	bool hit = false;
	for (size_t i = 0; k && i < SLOTS && !hit; i++) {
		struct slot *s = &c->s[i];
		if (!s->key || strcmp(s->key, k) != 0)
			continue;
		if (s->version == version && s->minute == r->app.now / 60) {
			http_body_shared(r, 200, arena_strdup(&r->a, s->ctype), s->body);
			hit = true;
		} else {
			drop(s);
		}
	}
	if (hit || !k) {
		free(k);
	} else {
		missed.r = r;
		missed.key = k;
	}
	return hit;
}

void cache_keep(struct req *r, int64_t version)
{
	char *k = missed.key;
	if (missed.r != r) { /* not the request missed last: its key is of no use here */
		free(k);
		k = NULL;
	}
	missed.key = NULL;
	missed.r = NULL;
	struct cache *c = thread_cache();
	if (!c || !version || r->status != 200 || r->streaming || r->nhdr || r->shared ||
	    r->out.len > MAX_BODY) {
		free(k);
		return;
	}
	if (!k)
		k = key(r);
	if (!k)
		return;
	struct http_shared *body = http_share(r); /* r sends the bytes it keeps: no copy */
	if (!body) {
		free(k);
		return;
	}
	struct slot *s = &c->s[c->next++ % SLOTS];
	drop(s);
	s->key = k;
	s->ctype = xstrdup(r->content_type ? r->content_type : "application/octet-stream");
	s->body = body;
	s->version = version;
	s->minute = r->app.now / 60;
}

void cache_free_all(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < nall; i++) {
		for (size_t j = 0; j < SLOTS; j++)
			drop(&all[i]->s[j]);
		free(all[i]);
		all[i] = NULL;
	}
	nall = 0;
	pthread_mutex_unlock(&lock);
	mine = NULL;
}
