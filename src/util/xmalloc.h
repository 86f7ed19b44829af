/* xmalloc.h - allocation that aborts on out-of-memory, so callers never check for NULL. */
#ifndef NC_XMALLOC_H
#define NC_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* xstrdup copies s (NULL gives NULL); xstrndup copies at most n bytes and NUL-terminates. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
