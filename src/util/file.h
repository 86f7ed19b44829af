/* file.h - reading a whole file into a buffer, the one fopen/fread loop of the program (CLI
 * file arguments, tests, benchmarks). */
#ifndef NC_FILE_H
#define NC_FILE_H

#include "util/buf.h"
#include "util/err.h"

/* FILE_READ_CHUNK is how many bytes file_read asks fread for at a time. */
#define FILE_READ_CHUNK ((size_t)65536)

/* file_read appends the whole file at path to b, which the caller made (buf_init) and keeps
 * owning; b's cap bounds the size read. Returns 0, or -1 and fills err (may be NULL) naming
 * field (may be NULL): NC_EIO "cannot open "path": reason" (errno is left as fopen set it),
 * NC_EIO "cannot read "path"", or NC_EINVAL ""path" is larger than N KiB" when the file
 * passes b's cap. On error b holds what was read so far (the caller releases it). */
int file_read(const char *path, const char *field, struct buf *b, struct nc_err *err);

#endif
