/* heap.c - giving the memory malloc keeps free back to the system (see heap.h). */
#include "util/heap.h"

#include <stdlib.h> /* before the test: a C library header defines __GLIBC__ */
#ifdef __GLIBC__
#include <malloc.h>
#endif

bool heap_release(void)
{
#ifdef __GLIBC__
	return malloc_trim(0) == 1;
#else
	return false;
#endif
}
