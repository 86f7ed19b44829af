/* test_buf.c - unit tests of util/buf.c: appending, the size cap and its sticky failure, printf,
 * reset, truncate and detach. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"

static void test_buf__init_is_empty(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, BUF_DEFAULT_CAP);
	assert_false(buf_failed(&b));
	buf_release(&b);
}

static void test_buf__appends(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	buf_add(&b, "ab", 2);
	buf_adds(&b, "cd");
	buf_addc(&b, 'e');
	buf_add(&b, "", 0);
	buf_add(&b, "x\0y", 3); /* binary data keeps its NUL */
	assert_int_equal(b.len, 8);
	assert_memory_equal(b.data, "abcdex\0y", 9);
	buf_release(&b);
}

static void test_buf__grows_large(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	for (int i = 0; i < 100000; i++)
		buf_addc(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 100000);
	assert_int_equal(b.data[100000], 0);
	assert_int_equal(b.data[99999], 'a' + 99999 % 26);
	assert_false(buf_failed(&b));
	buf_release(&b);
}

static void test_buf__printf(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	buf_adds(&b, "id=");
	buf_printf(&b, "%d %s %05.1f", 42, "ok", 3.14159);
	assert_string_equal(b.data, "id=42 ok 003.1");
	assert_int_equal(b.len, strlen("id=42 ok 003.1"));
	buf_printf(&b, "%s", "");
	assert_int_equal(b.len, strlen("id=42 ok 003.1"));
	buf_reset(&b);
	/* longer than the first allocation */
	buf_printf(&b, "%300s|", "x");
	assert_int_equal(b.len, 301);
	assert_int_equal(b.data[299], 'x');
	assert_int_equal(b.data[300], '|');
	buf_release(&b);
}

static void test_buf__cap_exact_fits(void **state)
{
	struct buf b;
	buf_init(&b, 5);
	buf_adds(&b, "12345");
	assert_false(buf_failed(&b));
	assert_string_equal(b.data, "12345");
	buf_add(&b, "", 0);
	assert_false(buf_failed(&b));
	buf_addc(&b, '6');
	assert_true(buf_failed(&b));
	assert_string_equal(b.data, "12345");
	buf_release(&b);
}

static void test_buf__cap_failure_is_sticky(void **state)
{
	struct buf b;
	buf_init(&b, 8);
	buf_adds(&b, "12345");
	buf_adds(&b, "6789"); /* would make 9 > 8 */
	assert_true(buf_failed(&b));
	assert_string_equal(b.data, "12345");
	buf_addc(&b, 'a'); /* would fit, but the buffer has failed */
	buf_printf(&b, "%d", 7);
	buf_add(&b, "b", 1);
	assert_true(buf_failed(&b));
	assert_string_equal(b.data, "12345");
	assert_int_equal(b.len, 5);
	buf_reset(&b); /* reset clears the failure */
	assert_false(buf_failed(&b));
	assert_string_equal(b.data, "");
	buf_adds(&b, "abcdefgh");
	assert_false(buf_failed(&b));
	assert_string_equal(b.data, "abcdefgh");
	buf_release(&b);
}

static void test_buf__reserve(void **state)
{
	struct buf b;
	buf_init(&b, 100);
	buf_adds(&b, "ab");
	buf_reserve(&b, 60); /* room for 60 more at once, the contents kept */
	assert_true(b.alloc >= 63);
	size_t alloc = b.alloc;
	char *data = b.data;
	for (int i = 0; i < 60; i++)
		buf_addc(&b, 'x');
	assert_ptr_equal(b.data, data); /* no growing while it fills the room */
	assert_int_equal(b.alloc, alloc);
	assert_int_equal(b.len, 62);
	assert_int_equal(strncmp(b.data, "abx", 3), 0);
	buf_reserve(&b, 50); /* past the cap: nothing, and not a failure */
	assert_false(buf_failed(&b));
	assert_int_equal(b.alloc, alloc);
	buf_reserve(&b, SIZE_MAX);
	assert_false(buf_failed(&b));
	buf_adds(&b, "0123456789"); /* what does fit still goes in */
	assert_false(buf_failed(&b));
	assert_int_equal(b.len, 72);
	buf_release(&b);
}

static void test_buf__printf_over_cap_fails(void **state)
{
	struct buf b;
	buf_init(&b, 10);
	buf_adds(&b, "abc");
	buf_printf(&b, "%s", "12345678");
	assert_true(buf_failed(&b));
	assert_string_equal(b.data, "abc");
	buf_release(&b);
}

static void test_buf__huge_add_fails_without_overflow(void **state)
{
	struct buf b;
	buf_init(&b, 16);
	buf_adds(&b, "abc");
	buf_add(&b, "x", SIZE_MAX); /* never read: the cap refuses it first */
	assert_true(buf_failed(&b));
	assert_string_equal(b.data, "abc");
	buf_release(&b);
}

static void test_buf__truncate(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	buf_truncate(&b, 3); /* on an empty buffer: nothing */
	assert_string_equal(b.data, "");
	buf_adds(&b, "abcdef");
	buf_truncate(&b, 10); /* longer: nothing */
	assert_string_equal(b.data, "abcdef");
	buf_truncate(&b, 2);
	assert_string_equal(b.data, "ab");
	assert_int_equal(b.len, 2);
	buf_adds(&b, "z");
	assert_string_equal(b.data, "abz");
	buf_release(&b);
}

static void test_buf__detach(void **state)
{
	struct buf b;
	size_t len = 99;
	buf_init(&b, 100);
	buf_adds(&b, "hello");
	char *p = buf_detach(&b, &len);
	assert_string_equal(p, "hello");
	assert_int_equal(len, 5);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 100); /* the cap survives */
	free(p);
	buf_adds(&b, "again");
	assert_string_equal(b.data, "again");
	buf_release(&b);
}

static void test_buf__detach_empty_gives_heap_string(void **state)
{
	struct buf b;
	size_t len = 99;
	buf_init(&b, 0);
	char *p = buf_detach(&b, &len);
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p); /* the caller owns it even when nothing was added */
	p = buf_detach(&b, NULL);
	free(p);
	buf_release(&b);
}

static void test_buf__release_leaves_usable(void **state)
{
	struct buf b;
	buf_init(&b, 7);
	buf_adds(&b, "abc");
	buf_release(&b);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 7);
	buf_release(&b); /* twice is harmless */
	buf_adds(&b, "1234567");
	assert_false(buf_failed(&b));
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_buf__init_is_empty),
	    cmocka_unit_test(test_buf__appends),
	    cmocka_unit_test(test_buf__grows_large),
	    cmocka_unit_test(test_buf__printf),
	    cmocka_unit_test(test_buf__cap_exact_fits),
	    cmocka_unit_test(test_buf__cap_failure_is_sticky),
	    cmocka_unit_test(test_buf__reserve),
	    cmocka_unit_test(test_buf__printf_over_cap_fails),
	    cmocka_unit_test(test_buf__huge_add_fails_without_overflow),
	    cmocka_unit_test(test_buf__truncate),
	    cmocka_unit_test(test_buf__detach),
	    cmocka_unit_test(test_buf__detach_empty_gives_heap_string),
	    cmocka_unit_test(test_buf__release_leaves_usable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
