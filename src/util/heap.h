/* heap.h - giving the memory malloc keeps free back to the system. */
#ifndef NC_HEAP_H
#define NC_HEAP_H

#include <stdbool.h>

/* heap_release hands the whole free pages of malloc's arenas back to the kernel (glibc's
 * malloc_trim), and tells whether any were. glibc gives memory back on free only from the top of
 * an arena: a long-running server whose threads free pages below a chunk still in use (SQLite's
 * page caches, which a connection empties when another has written, refilled page by page)
 * keeps them resident until this runs. It locks each arena while it walks its free lists: call it
 * from a background thread, every few seconds at most. Elsewhere than glibc it does nothing and
 * says false. */
bool heap_release(void);

#endif
