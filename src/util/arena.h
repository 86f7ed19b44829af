/* arena.h - a region allocator: one request, CLI command, imported file or AMI message owns an
 * arena and frees everything in it at once with arena_release. Allocation aborts on OOM. */
#ifndef NC_ARENA_H
#define NC_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;
struct arena_cleanup;

struct arena {
	struct arena_block *head;
	struct arena_cleanup *cleanups;
	size_t total; /* bytes allocated from the system, for limits and statistics */
};

void arena_init(struct arena *a);
/* arena_release frees every block; the arena is empty and usable afterwards. */
void arena_release(struct arena *a);

/* arena_on_release registers fn(p) to run when the arena is released (last registered first),
 * for objects that live as long as the arena but are freed otherwise (a parsed JSON body). */
void arena_on_release(struct arena *a, void (*fn)(void *), void *p);

/* arena_alloc returns n bytes aligned for any type, zeroed. Owned by the arena. */
void *arena_alloc(struct arena *a, size_t n);
/* arena_strdup/strndup copy into the arena (NULL gives NULL). */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* arena_printf formats into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* arena_grow returns arr (n elements of size bytes, in the arena) with room for at least one more
 * element: when n reaches *cap it copies arr into a block twice as large, zeroes the room past
 * the n copied elements and updates *cap. The old block stays in the arena until it is
 * released. */
void *arena_grow(struct arena *a, void *arr, size_t *cap, size_t n, size_t size);
/* arena_grow_raw is arena_grow without zeroing the new room, for a caller that writes each
 * element whole as it adds it (collect_rows: zeroing the doubled block each time cost a
 * planned-step list 4 % of its instructions). */
void *arena_grow_raw(struct arena *a, void *arr, size_t *cap, size_t n, size_t size);

#define ARENA_NEW(a, type)	((type *)arena_alloc((a), sizeof(type)))
#define ARENA_ARRAY(a, type, n) ((type *)arena_alloc((a), sizeof(type) * (n)))

#endif
