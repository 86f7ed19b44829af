/* test_heap.c - unit tests of util/heap.c: free pages below a chunk still in use stay resident
 * after free, and heap_release gives them back. It is about glibc's malloc: tests/meson.build
 * builds it without the sanitizers, whose allocators keep their own heap that malloc_trim does
 * not touch; under valgrind (or a sanitizer all the same) it is skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/heap.h"

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define OTHER_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                         \
    __has_feature(memory_sanitizer)
#define OTHER_MALLOC 1
#endif
#endif
#if !defined(__GLIBC__)
#define OTHER_MALLOC 1
#endif

#define BLOCKS 128
#define BLOCK  (64 * 1024) /* below glibc's mmap threshold (128 KiB): from the arena */

#ifndef OTHER_MALLOC
/* called through volatile pointers, so that an optimizing compiler cannot drop a block that the
 * test writes and frees without reading */
static void *(*volatile alloc)(size_t) = malloc;
static void (*volatile release)(void *) = free;

/* rss_anon gives the process's resident anonymous memory in KiB (/proc/self/status). */
static long rss_anon(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	assert_non_null(f);
	char line[256];
	long kib = -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "RssAnon: %ld kB", &kib) == 1)
			break;
	fclose(f);
	assert_true(kib >= 0);
	return kib;
}
#endif

static void test_heap__free_pages_below_a_live_chunk_given_back(void **state)
{
	(void)state;
#ifdef OTHER_MALLOC
	heap_release(); /* it runs, but the heap it could trim is not the one malloc uses here */
	skip();
#else
	if (RUNNING_ON_VALGRIND) {
		skip();
		return;
	}
	heap_release(); /* start from a trimmed heap */
	/* 8 MiB in blocks, each followed by a small chunk that stays: no freed block can join the
	 * arena's top, which is all that free itself gives back */
	void *b[BLOCKS], *pin[BLOCKS];
	for (int i = 0; i < BLOCKS; i++) {
		b[i] = alloc(BLOCK);
		pin[i] = alloc(64);
		assert_non_null(b[i]);
		assert_non_null(pin[i]);
		memset(b[i], i + 1, BLOCK); /* resident */
	}
	long full = rss_anon();
	for (int i = 0; i < BLOCKS; i++)
		release(b[i]);
	long freed = rss_anon();
	assert_true(full - freed < BLOCKS * (BLOCK / 1024) / 2);
	assert_true(heap_release());
	long released = rss_anon();
	/* most of the 8 MiB leave: the whole pages inside each freed block */
	assert_true(freed - released > BLOCKS * (BLOCK / 1024) * 3 / 4);
	/* a second call right after takes nothing back in */
	heap_release();
	assert_true(rss_anon() <= released + 64);
	for (int i = 0; i < BLOCKS; i++)
		release(pin[i]);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_heap__free_pages_below_a_live_chunk_given_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
