/* fuzz_ami.c - libFuzzer target for the AMI read path: parse the input in chunks whose sizes
 * come from the first byte, feed every message to the call correlator, and check the parser's
 * promises (header count and line caps) on the way. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tel/ami.h"
#include "tel/pbx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct pbx_ext exts[] = {{"201", "ann"}, {"202", "bob"}};
static const char *const external[] = {"from-trunk"};
static const struct pbx_config cfg = {exts, 2, external, 1};

static void on_call(const struct pbx_call *c, void *ctx)
{
	(void)ctx;
	if (c->linkedid[0] == '\0' || strlen(c->number) >= sizeof(c->number) ||
	    strlen(c->rang_ext) >= sizeof(c->rang_ext))
		abort();
}

static void on_ringing(const struct pbx_ringing *r, void *ctx)
{
	(void)ctx;
	if (!r->ext || !r->login || !r->number || !r->linkedid)
		abort();
}

static void on_msg(const struct ami_msg *m, void *ctx)
{
	if (m->n == 0 || m->n > AMI_HEADERS_MAX || !m->name)
		abort();
	for (size_t i = 0; i < m->n; i++)
		if (strlen(m->h[i].val) > AMI_LINE_MAX || strchr(m->h[i].val, '\n'))
			abort();
	pbx_feed(ctx, m, 1000.0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t chunk = 1 + data[0] % 64;
	data++;
	size--;
	struct ami_parser *p = ami_parser_new();
	struct pbx *x = pbx_new(&cfg, on_call, on_ringing, NULL);
	for (size_t off = 0; off < size; off += chunk) {
		size_t k = size - off < chunk ? size - off : chunk;
		ami_feed(p, (const char *)data + off, k, on_msg, NULL, x);
	}
	if (pbx_active(x) > PBX_MAX_CALLS)
		abort();
	pbx_free(x);
	ami_parser_free(p);
	return 0;
}
