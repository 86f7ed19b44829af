/* fuzz_csv.c - libFuzzer target for the import path: detect the charset, convert to UTF-8 and
 * read every record with a small field cap, checking the reader's promises on the way. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/charset.h"
#include "io/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* check_record aborts when a record breaks csv.h's contract. */
static void check_record(const struct csv_record *rec, size_t max_field)
{
	if (rec->n == 0)
		abort();
	for (size_t i = 0; i < rec->n; i++)
		if (rec->f[i].n > max_field || rec->f[i].s[rec->f[i].n] != '\0')
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	const size_t max_field = 32;
	struct buf text;
	struct csv_record rec;
	struct nc_err err;
	long last_line = 0;
	int rc;

	buf_init(&text, 0);
	charset_to_utf8(charset_detect(in, size), in, size, &text);
	if (charset_detect(text.data, text.len) != CHARSET_UTF8 || memchr(text.data, 0, text.len))
		abort();

	/* the first byte picks the delimiter so that fixed ones are fuzzed too */
	static const char delims[] = {0, ',', ';', '\t'};
	char delim = size ? delims[data[0] % 4] : 0;
	struct csv_reader *r = csv_reader_new(text.data, text.len, delim, max_field);
	while ((rc = csv_next(r, &rec, &err)) != 0) {
		/* every record, good or failed, starts on a later line than the one before */
		if (rec.line <= last_line)
			abort();
		last_line = rec.line;
		if (rc > 0)
			check_record(&rec, max_field);
		else if (err.code != NC_EINVAL || err.ref != rec.line || strpbrk(err.msg, "\r\n"))
			abort();
	}
	csv_reader_free(r);
	buf_release(&text);
	return 0;
}
