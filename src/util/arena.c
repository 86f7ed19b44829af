/* arena.c - region allocator made of a chain of blocks. */
#include "util/arena.h"
#include "util/xmalloc.h"

#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
	struct arena_block *next;
	size_t size, used;
	alignas(max_align_t) unsigned char mem[];
};

#define BLOCK_MIN 8192

struct arena_cleanup {
	struct arena_cleanup *next;
	void (*fn)(void *);
	void *p;
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->cleanups = NULL;
	a->total = 0;
}

void arena_on_release(struct arena *a, void (*fn)(void *), void *p)
{
	struct arena_cleanup *c = ARENA_NEW(a, struct arena_cleanup);
	c->fn = fn;
	c->p = p;
	c->next = a->cleanups;
	a->cleanups = c;
}

void arena_release(struct arena *a)
{
	for (struct arena_cleanup *c = a->cleanups; c; c = c->next)
		c->fn(c->p);
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	arena_init(a);
}

/* take gives n bytes aligned for any type, not zeroed. */
static void *take(struct arena *a, size_t n)
{
	const size_t al = alignof(max_align_t);
	n = (n + al - 1) & ~(al - 1);
	struct arena_block *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t size = n > BLOCK_MIN / 2 ? n : BLOCK_MIN;
		if (b && b->size * 2 > size && size == BLOCK_MIN && b->size < (1u << 20))
			size = b->size * 2;
		struct arena_block *nb = xmalloc(sizeof(*nb) + size);
		nb->size = size;
		nb->used = 0;
		a->total += size;
		if (b && n > BLOCK_MIN / 2) {
			/* a large one-off allocation goes behind the current block */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = b->mem + b->used;
	b->used += n;
	return p;
}

void *arena_alloc(struct arena *a, size_t n)
{
	void *p = take(a, n);
	memset(p, 0, n);
	return p;
}

/* copy: len bytes of s and a NUL (a read's many column strings: not zeroed first) */
static char *copy(struct arena *a, const char *s, size_t len)
{
	char *p = take(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	return s ? copy(a, s, strnlen(s, n)) : NULL;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? copy(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	if (!fmt)
		fmt = ""; /* also keeps GCC's -Wformat-truncation quiet when it inlines this */
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

static void *grow(struct arena *a, void *arr, size_t *cap, size_t n, size_t size, bool zero)
{
	if (n < *cap)
		return arr;
	size_t ncap = *cap ? *cap * 2 : 16;
	unsigned char *p = take(a, ncap * size);
	if (n)
		memcpy(p, arr, n * size);
	if (zero)
		memset(p + n * size, 0, (ncap - n) * size);
	*cap = ncap;
	return p;
}

void *arena_grow(struct arena *a, void *arr, size_t *cap, size_t n, size_t size)
{
	return grow(a, arr, cap, n, size, true);
}

void *arena_grow_raw(struct arena *a, void *arr, size_t *cap, size_t n, size_t size)
{
	return grow(a, arr, cap, n, size, false);
}
