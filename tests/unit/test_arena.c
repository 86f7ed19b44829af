/* test_arena.c - unit tests of util/arena.c: copies of strings (cut, ended with a NUL, NULL
 * kept), zeroed allocations beside them, alignment, blocks larger than the usual one, and arrays
 * grown by doubling (the rows kept, the new room zeroed or, raw, left as it is). */
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/arena.h"

static void test_strdup_copies(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_null(arena_strdup(&a, NULL));
	assert_null(arena_strndup(&a, NULL, 5));
	char src[] = "Иван Петров";
	char *p = arena_strdup(&a, src);
	assert_string_equal(p, src);
	assert_ptr_not_equal(p, src);
	src[0] = 'X'; /* a copy, not the caller's bytes */
	assert_string_equal(p, "Иван Петров");
	assert_string_equal(arena_strdup(&a, ""), "");
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	assert_string_equal(arena_strndup(&a, "ab", 10), "ab"); /* n past the end */
	arena_release(&a);
}

/* the bytes after a copy are the arena's again: what is allocated next reads as zero, even
 * where a longer string stood in a released block */
static void test_alloc_zeroed_after_copies(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	char big[300];
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 100; i++)
			assert_int_equal(strlen(arena_strndup(&a, big, (size_t)i * 3)),
					 (size_t)i * 3 < 299 ? (size_t)i * 3 : 299);
		unsigned char *z = arena_alloc(&a, 4096);
		for (size_t i = 0; i < 4096; i++)
			assert_int_equal(z[i], 0);
		arena_release(&a);
		/* a new block, likely where the released one was (or, under AddressSanitizer,
		 * filled with its malloc byte): zero all the same */
		z = arena_alloc(&a, 256);
		for (size_t i = 0; i < 256; i++)
			assert_int_equal(z[i], 0);
		arena_release(&a);
	}
}

static void test_alignment_and_large(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	for (int i = 0; i < 50; i++) {
		arena_strdup(&a, "x"); /* odd lengths between */
		void *p = arena_alloc(&a, (size_t)i + 1);
		assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
	}
	size_t n = 1 << 20; /* larger than any usual block */
	char *s = malloc(n + 1);
	assert_non_null(s);
	memset(s, 'q', n);
	s[n] = '\0';
	char *c = arena_strdup(&a, s);
	assert_int_equal(strlen(c), n);
	assert_int_equal(memcmp(c, s, n), 0);
	assert_string_equal(arena_strdup(&a, "after"), "after");
	assert_true(a.total >= n);
	free(s);
	arena_release(&a);
	assert_int_equal(a.total, 0);
}

static void test_grow_keeps_rows(void **state)
{
	(void)state;
	/* a block filled and freed first: malloc hands it to the next arena of the same block
	 * size, so that a grown array not zeroed would show its bytes */
	struct arena a, dirty;
	arena_init(&dirty);
	memset(arena_alloc(&dirty, 6000), 0xAB, 6000);
	arena_release(&dirty);
	arena_init(&a);
	int64_t *v = NULL, *raw = NULL;
	size_t cap = 0, rcap = 0;
	for (size_t n = 0; n < 100; n++) {
		v = arena_grow(&a, v, &cap, n, sizeof(*v));
		for (size_t k = n; k < cap; k++) /* arena_grow: the room past n is zeroed */
			assert_int_equal(v[k], 0);
		v[n] = (int64_t)n * 3;
		raw = arena_grow_raw(&a, raw, &rcap, n, sizeof(*raw));
		raw[n] = -(int64_t)n;
		assert_true(cap > n && rcap > n);
	}
	assert_int_equal(cap, 128); /* 16, doubled three times */
	assert_int_equal(rcap, 128);
	for (size_t n = 0; n < 100; n++) {
		assert_int_equal(v[n], (int64_t)n * 3);
		assert_int_equal(raw[n], -(int64_t)n);
	}
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strdup_copies),
	    cmocka_unit_test(test_alloc_zeroed_after_copies),
	    cmocka_unit_test(test_alignment_and_large),
	    cmocka_unit_test(test_grow_keeps_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
