/* testdata.h - reading a file of tests/data in a unit test: from $NC_TEST_DATA when set, else
 * next to this header (__FILE__ is relative to where the compiler ran, as is the test's cwd). */
#ifndef NC_TESTDATA_H
#define NC_TESTDATA_H

#include "util/buf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* test_data reads tests/data/REL into b (initialised here); the test fails when it is missing. */
static inline void test_data(const char *rel, struct buf *b)
{
	char path[512];
	const char *dir = getenv("NC_TEST_DATA");
	if (dir)
		snprintf(path, sizeof(path), "%s/%s", dir, rel);
	else
		snprintf(path, sizeof(path), "%.*sdata/%s",
			 (int)(strlen(__FILE__) - strlen("unit/testdata.h")), __FILE__, rel);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (set NC_TEST_DATA to tests/data)", path);
	buf_init(b, 0);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	fclose(f);
}

#endif
