/* buf.h - the one growable byte buffer: always NUL-terminated, capped in size, and "sticky" on
 * failure: once an append would pass the cap, the buffer is marked failed and further appends do
 * nothing, so a caller checks buf_failed() once at the end. Embedded: buf_init/buf_release. */
#ifndef NC_BUF_H
#define NC_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define BUF_DEFAULT_CAP ((size_t)256 << 20) /* 256 MiB unless the caller sets a smaller cap */

struct buf {
	char *data;   /* NUL-terminated; never NULL after buf_init */
	size_t len;   /* bytes in use, not counting the NUL */
	size_t alloc; /* bytes allocated */
	size_t cap;   /* largest len allowed */
	bool failed;  /* an append passed the cap */
};

/* buf_init makes b empty with the given cap (0 means BUF_DEFAULT_CAP). */
void buf_init(struct buf *b, size_t cap);
/* buf_release frees b's memory and leaves it empty and usable. */
void buf_release(struct buf *b);
/* buf_reset empties b (keeps memory, clears failed). */
void buf_reset(struct buf *b);
/* buf_detach returns b's data, which the caller then owns and frees, and leaves b empty. */
char *buf_detach(struct buf *b, size_t *len);

/* buf_reserve makes room for n more bytes at once, when a writer knows about how many it will
 * add: appends then do not grow the buffer step by step (each a copy of what it holds). Beyond
 * the cap it does nothing; the append that passes it fails as usual. */
void buf_reserve(struct buf *b, size_t n);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* buf_truncate shortens b to len bytes (no-op if already shorter). */
void buf_truncate(struct buf *b, size_t len);

static inline bool buf_failed(const struct buf *b)
{
	return b->failed;
}

#endif
