/* test_file.c - unit tests of util/file.c: whole files read into a buffer, empty and larger
 * than one read chunk, and the errors (missing file, unreadable, larger than the cap). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/file.h"

struct dir {
	char path[64];
	char file[128];
};

/* setup makes a private directory; each test writes its file at d->file. */
static int setup(void **state)
{
	struct dir *d = calloc(1, sizeof(*d));
	if (!d)
		return -1;
	snprintf(d->path, sizeof(d->path), "/tmp/nc_test_file.XXXXXX");
	if (!mkdtemp(d->path)) {
		free(d);
		return -1;
	}
	snprintf(d->file, sizeof(d->file), "%s/data", d->path);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct dir *d = *state;
	unlink(d->file);
	rmdir(d->path);
	free(d);
	return 0;
}

/* write_file puts n bytes at path: byte i is (i * 7 + i / 251) & 0xff, so that a chunk read
 * twice or out of order shows. */
static void write_file(const char *path, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(fputc((int)((i * 7 + i / 251) & 0xff), f), EOF);
	assert_int_equal(fclose(f), 0);
}

static void test_file__empty_file_reads_as_nothing(void **state)
{
	struct dir *d = *state;
	write_file(d->file, 0);
	struct buf b;
	struct nc_err err = {0};
	buf_init(&b, 0);
	assert_int_equal(file_read(d->file, "file", &b, &err), 0);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_int_equal(err.code, NC_OK);
	buf_release(&b);
}

static void test_file__larger_than_one_chunk_is_read_whole_and_appended(void **state)
{
	struct dir *d = *state;
	size_t n = 3 * FILE_READ_CHUNK + 17;
	write_file(d->file, n);
	struct buf b;
	struct nc_err err = {0};
	buf_init(&b, 0);
	buf_adds(&b, "head:");
	assert_int_equal(file_read(d->file, "file", &b, &err), 0);
	assert_int_equal(b.len, 5 + n);
	assert_memory_equal(b.data, "head:", 5);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)b.data[5 + i] != ((i * 7 + i / 251) & 0xff))
			fail_msg("byte %zu differs", i);
	assert_int_equal(b.data[b.len], '\0');
	buf_release(&b);
}

static void test_file__missing_file_refused_with_errno(void **state)
{
	struct dir *d = *state;
	char want[300];
	snprintf(want, sizeof(want), "cannot open \"%s\": No such file or directory", d->file);
	struct buf b;
	struct nc_err err = {0};
	buf_init(&b, 0);
	errno = 0;
	assert_int_equal(file_read(d->file, "file", &b, &err), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(err.code, NC_EIO);
	assert_string_equal(err.field, "file");
	assert_string_equal(err.msg, want);
	assert_int_equal(b.len, 0);
	/* without an error value or field: still -1 and errno */
	errno = 0;
	assert_int_equal(file_read(d->file, NULL, &b, NULL), -1);
	assert_int_equal(errno, ENOENT);
	buf_release(&b);
}

static void test_file__unreadable_path_refused(void **state)
{
	struct dir *d = *state; /* a directory opens but does not read (EISDIR) */
	char want[300];
	snprintf(want, sizeof(want), "cannot read \"%s\"", d->path);
	struct buf b;
	struct nc_err err = {0};
	buf_init(&b, 0);
	assert_int_equal(file_read(d->path, "scenario", &b, &err), -1);
	assert_int_equal(err.code, NC_EIO);
	assert_string_equal(err.field, "scenario");
	assert_string_equal(err.msg, want);
	buf_release(&b);
}

static void test_file__larger_than_the_cap_refused(void **state)
{
	struct dir *d = *state;
	write_file(d->file, 4096);
	char want[300];
	snprintf(want, sizeof(want), "\"%s\" is larger than 2 KiB", d->file);
	struct buf b;
	struct nc_err err = {0};
	buf_init(&b, 2048);
	assert_int_equal(file_read(d->file, "file", &b, &err), -1);
	assert_int_equal(err.code, NC_EINVAL);
	assert_string_equal(err.field, "file");
	assert_string_equal(err.msg, want);
	buf_release(&b);
	/* exactly the cap fits */
	write_file(d->file, 2048);
	buf_init(&b, 2048);
	assert_int_equal(file_read(d->file, "file", &b, &err), 0);
	assert_int_equal(b.len, 2048);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_file__empty_file_reads_as_nothing, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		test_file__larger_than_one_chunk_is_read_whole_and_appended, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file__missing_file_refused_with_errno, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_file__unreadable_path_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file__larger_than_the_cap_refused, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
