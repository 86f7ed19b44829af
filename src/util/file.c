/* file.c - reading a whole file into a buffer (see file.h). */
#include "util/file.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int file_read(const char *path, const char *field, struct buf *b, struct nc_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		int e = errno;
		nc_error_field(err, NC_EIO, field, "cannot open \"%s\": %s", path, strerror(e));
		errno = e; /* formatting the message may have changed it */
		return -1;
	}
	static_assert(FILE_READ_CHUNK <= 65536, "the chunk lives on the stack");
	char chunk[FILE_READ_CHUNK];
	size_t n;
	while (!buf_failed(b) && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return nc_error_field(err, NC_EIO, field, "cannot read \"%s\"", path);
	if (buf_failed(b))
		return nc_error_field(err, NC_EINVAL, field, "\"%s\" is larger than %zu KiB", path,
				      b->cap >> 10);
	return 0;
}
