/* fuzz_cdr.c - libFuzzer target for the CDR reader: every record of any input, in auto layout or
 * one picked by the first byte, in UTC or a zone, checking cdr.h's promises on the way. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/cdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* check_row aborts when a row breaks cdr.h's contract. */
static void check_row(const struct cdr_row *r)
{
	const char *s[] = {r->accountcode, r->src,	  r->dst,	  r->dcontext, r->clid,
			   r->channel,	   r->dstchannel, r->lastapp,	  r->lastdata, r->amaflags,
			   r->uniqueid,	   r->userfield,  r->peeraccount, r->linkedid};
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (!s[i])
			abort();
	if (r->duration < 0 || r->billsec < 0 || r->sequence < -1 || r->layout <= CDR_AUTO ||
	    r->layout >= CDR__LAYOUTS || r->disposition > CDR_UNKNOWN)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a);
	/* the first byte picks the layout and the zone, so that fixed layouts are fuzzed too */
	enum cdr_layout layout = size ? (enum cdr_layout)(data[0] % CDR__LAYOUTS) : CDR_AUTO;
	const char *tz = size && (data[0] & 0x80) ? "America/New_York" : NULL;
	struct cdr_reader *r = cdr_reader_new((const char *)data, size, layout, tz, &a);
	struct cdr_row row;
	struct nc_err err;
	long last_line = 0;
	int rc;
	while ((rc = cdr_next(r, &row, &err)) != 0) {
		if (row.line <= last_line)
			abort();
		last_line = row.line;
		if (rc > 0)
			check_row(&row);
		else if (err.code != NC_EINVAL || err.ref != row.line || strpbrk(err.msg, "\r\n"))
			abort();
		arena_release(&a); /* rows live in the arena; the next one needs none of them */
	}
	cdr_reader_free(r);
	arena_release(&a);
	return 0;
}
