/* buf.c - the growable, capped, sticky-error byte buffer. */
#include "util/buf.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char empty[1];

void buf_init(struct buf *b, size_t cap)
{
	b->data = empty;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap ? cap : BUF_DEFAULT_CAP;
	b->failed = false;
}

void buf_release(struct buf *b)
{
	size_t cap = b->cap;
	if (b->alloc)
		free(b->data);
	buf_init(b, cap);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->alloc)
		b->data[0] = 0;
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->alloc ? b->data : xstrdup("");
	if (len)
		*len = b->len;
	buf_init(b, b->cap);
	return p;
}

/* grow makes room for n more bytes plus the NUL; false when the cap forbids it. */
static bool grow(struct buf *b, size_t n)
{
	if (b->failed)
		return false;
	if (n > b->cap || b->len > b->cap - n) {
		b->failed = true;
		return false;
	}
	size_t need = b->len + n + 1;
	if (need <= b->alloc)
		return true;
	size_t na = b->alloc ? b->alloc : 64;
	while (na < need)
		na = na < ((size_t)1 << 40) ? na * 2 : need;
	if (b->alloc) {
		b->data = xrealloc(b->data, na);
	} else {
		b->data = xmalloc(na);
		b->data[0] = 0;
	}
	b->alloc = na;
	return true;
}

void buf_reserve(struct buf *b, size_t n)
{
	if (!b->failed && n <= b->cap && b->len <= b->cap - n)
		grow(b, n);
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	if (!grow(b, n))
		return;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || !grow(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = 0;
	}
}
