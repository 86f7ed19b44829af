/* conn_limit.c - per-address connection counts: a chained hash table of the addresses with
 * connections open (an entry lives while its count is above zero) behind one mutex, and the
 * exempt networks as address/prefix pairs. */
#include "util/conn_limit.h"
#include "util/xmalloc.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 1024 /* a power of two */

/* key is what is counted: 4 bytes of IPv4 or the first 8 bytes (the /64) of IPv6 */
struct key {
	uint8_t family; /* 4 or 6 */
	uint8_t b[8];
};

struct entry {
	struct key k;
	unsigned n;
	struct entry *next;
};

struct net {
	uint8_t family; /* 4 or 6 */
	uint8_t a[16];
	unsigned bits;
};

struct conn_limit {
	unsigned limit, grace;
	struct net nets[CONN_LIMIT_MAX_NETS];
	size_t nnets;
	pthread_mutex_t lock;
	struct entry *buckets[NBUCKETS];
};

/* addr_of gives the family (4 or 6, 0 for others) and the 4 or 16 address bytes of sa; an
 * IPv4-mapped IPv6 address (a dual-stack socket's IPv4 client) is IPv4. */
static int addr_of(const struct sockaddr *sa, uint8_t a[16])
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (!sa)
		return 0;
	if (sa->sa_family == AF_INET) {
		memcpy(a, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 4;
	}
	if (sa->sa_family != AF_INET6)
		return 0;
	const uint8_t *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
	if (memcmp(b, mapped, sizeof(mapped)) == 0) {
		memcpy(a, b + 12, 4);
		return 4;
	}
	memcpy(a, b, 16);
	return 6;
}

static bool key_of(const struct sockaddr *sa, struct key *k, uint8_t a[16], int *family)
{
	*family = addr_of(sa, a);
	if (!*family)
		return false;
	memset(k, 0, sizeof(*k));
	k->family = (uint8_t)*family;
	memcpy(k->b, a, *family == 4 ? 4 : 8);
	return true;
}

static size_t hash(const struct key *k)
{
	uint32_t h = 2166136261u ^ k->family; /* FNV-1a */
	for (size_t i = 0; i < sizeof(k->b); i++)
		h = (h ^ k->b[i]) * 16777619u;
	return h & (NBUCKETS - 1);
}

static bool exempt(const struct conn_limit *l, int family, const uint8_t a[16])
{
	for (size_t i = 0; i < l->nnets; i++) {
		const struct net *n = &l->nets[i];
		if (n->family != family)
			continue;
		unsigned whole = n->bits / 8, rest = n->bits % 8;
		if (memcmp(n->a, a, whole) != 0)
			continue;
		if (rest && ((n->a[whole] ^ a[whole]) & (uint8_t)(0xff << (8 - rest))) != 0)
			continue;
		return true;
	}
	return false;
}

/* parse_net reads "ADDR" or "ADDR/BITS" (len bytes at s) into n. */
static int parse_net(const char *s, size_t len, struct net *n, struct nc_err *err)
{
	char text[64];
	if (len >= sizeof(text))
		goto bad;
	memcpy(text, s, len);
	text[len] = 0;
	char *slash = strchr(text, '/');
	long bits = -1;
	if (slash) {
		char *end;
		*slash = 0;
		if (slash[1] < '0' || slash[1] > '9')
			goto bad;
		bits = strtol(slash + 1, &end, 10);
		if (*end || bits > 128)
			goto bad;
	}
	memset(n, 0, sizeof(*n));
	if (inet_pton(AF_INET, text, n->a) == 1) {
		n->family = 4;
		if (bits > 32)
			goto bad;
		n->bits = bits < 0 ? 32 : (unsigned)bits;
	} else if (inet_pton(AF_INET6, text, n->a) == 1) {
		n->family = 6;
		n->bits = bits < 0 ? 128 : (unsigned)bits;
	} else {
		goto bad;
	}
	return 0;
bad:
	return nc_error_field(err, NC_EUSAGE, "per-address-exempt",
			      "--per-address-exempt: \"%.*s\" is not ADDR or ADDR/BITS", (int)len,
			      s);
}

static int parse_nets(struct conn_limit *l, const char *list, struct nc_err *err)
{
	if (!list || strcmp(list, "none") == 0)
		return 0;
	const char *p = list;
	for (;;) {
		p += strspn(p, ", ");
		if (!*p)
			return 0;
		size_t len = strcspn(p, ", ");
		if (l->nnets == CONN_LIMIT_MAX_NETS)
			return nc_error_field(err, NC_EUSAGE, "per-address-exempt",
					      "--per-address-exempt: more than %d networks",
					      CONN_LIMIT_MAX_NETS);
		if (parse_net(p, len, &l->nets[l->nnets], err) < 0)
			return -1;
		l->nnets++;
		p += len;
	}
}

struct conn_limit *conn_limit_new(unsigned limit, unsigned grace, const char *exempt_list,
				  struct nc_err *err)
{
	struct conn_limit *l = xcalloc(1, sizeof(*l));
	l->limit = limit;
	l->grace = grace;
	if (parse_nets(l, exempt_list, err) < 0) {
		free(l);
		return NULL;
	}
	pthread_mutex_init(&l->lock, NULL);
	return l;
}

void conn_limit_free(struct conn_limit *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < NBUCKETS; i++)
		for (struct entry *e = l->buckets[i], *next; e; e = next) {
			next = e->next;
			free(e);
		}
	pthread_mutex_destroy(&l->lock);
	free(l);
}

/* find gives the entry slot of k (the caller holds the lock): *slot is NULL when absent. */
static struct entry **find(struct conn_limit *l, const struct key *k)
{
	struct entry **slot = &l->buckets[hash(k)];
	while (*slot && memcmp(&(*slot)->k, k, sizeof(*k)) != 0)
		slot = &(*slot)->next;
	return slot;
}

unsigned conn_limit_count(struct conn_limit *l, const struct sockaddr *sa)
{
	struct key k;
	uint8_t a[16];
	int family;
	if (!key_of(sa, &k, a, &family))
		return 0;
	pthread_mutex_lock(&l->lock);
	struct entry *e = *find(l, &k);
	unsigned n = e ? e->n : 0;
	pthread_mutex_unlock(&l->lock);
	return n;
}

enum conn_verdict conn_limit_admit(struct conn_limit *l, const struct sockaddr *sa)
{
	struct key k;
	uint8_t a[16];
	int family;
	if (l->limit == 0 || !key_of(sa, &k, a, &family) || exempt(l, family, a))
		return CONN_EXEMPT;
	return conn_limit_count(l, sa) >= l->limit + l->grace ? CONN_REFUSE : CONN_OK;
}

enum conn_verdict conn_limit_open(struct conn_limit *l, const struct sockaddr *sa, unsigned *open)
{
	struct key k;
	uint8_t a[16];
	int family;
	if (open)
		*open = 0;
	if (l->limit == 0 || !key_of(sa, &k, a, &family) || exempt(l, family, a))
		return CONN_EXEMPT;
	pthread_mutex_lock(&l->lock);
	struct entry **slot = find(l, &k);
	if (!*slot) {
		*slot = xcalloc(1, sizeof(**slot));
		(*slot)->k = k;
	}
	unsigned n = ++(*slot)->n;
	pthread_mutex_unlock(&l->lock);
	if (open)
		*open = n;
	return n > l->limit ? CONN_OVER : CONN_OK;
}

void conn_limit_close(struct conn_limit *l, const struct sockaddr *sa)
{
	struct key k;
	uint8_t a[16];
	int family;
	if (!key_of(sa, &k, a, &family))
		return;
	pthread_mutex_lock(&l->lock);
	struct entry **slot = find(l, &k);
	struct entry *e = *slot;
	if (e && --e->n == 0) {
		*slot = e->next;
		free(e);
	}
	pthread_mutex_unlock(&l->lock);
}

bool conn_limit_key(const struct sockaddr *sa, char *out, size_t n)
{
	uint8_t a[16];
	int family = addr_of(sa, a);
	char text[INET6_ADDRSTRLEN];
	if (family == 4 && inet_ntop(AF_INET, a, text, sizeof(text))) {
		snprintf(out, n, "%s", text);
		return true;
	}
	if (family == 6) {
		memset(a + 8, 0, 8);
		if (inet_ntop(AF_INET6, a, text, sizeof(text))) {
			snprintf(out, n, "%s/64", text);
			return true;
		}
	}
	if (n)
		out[0] = 0;
	return false;
}
