/* fuzz_phone.c - libFuzzer target for phone_normalize: the first byte picks the default region
 * (or, below 16, takes the next two bytes as a region as they are), the rest is the number as
 * typed. Checked: an accepted number is E.164 (^\+[1-9][0-9]{6,14}$) and normalises to itself
 * under every region; a refused one leaves out empty and gets one line of valid UTF-8 naming
 * the field; the fast path gives exactly the full path's answer (phone_normalize_full), message
 * included, and alone answers only with it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/phone.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const regions[] = {"RU", "TR", "VN", "US", "KZ", "GB", "DE", "UA"};
#define NREGIONS (sizeof(regions) / sizeof(regions[0]))

static bool is_e164(const char *s)
{
	size_t n = strlen(s);
	return n >= 8 && n <= 16 && s[0] == '+' && s[1] >= '1' && s[1] <= '9' &&
	       strspn(s + 1, "0123456789") == n - 1;
}

static void check_refused(const char *out, const struct nc_err *err)
{
	if (out[0] || err->code != NC_EINVAL || strcmp(err->field, "phone") != 0 ||
	    strncmp(err->msg, "phone: ", 7) != 0 || strpbrk(err->msg, "\r\n") ||
	    !utf8_valid(err->msg, strlen(err->msg)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char region[3] = {0};
	if (size < 1)
		return 0;
	if (data[0] < 16 && size >= 3) {
		memcpy(region, data + 1, 2);
		data += 3;
		size -= 3;
	} else {
		memcpy(region, regions[data[0] % NREGIONS], 2);
		data++;
		size--;
	}
	char *in = malloc(size + 1);
	if (!in)
		abort();
	memcpy(in, data, size);
	in[size] = 0;

	char out[PHONE_E164_MAX], full[PHONE_E164_MAX], fast[PHONE_E164_MAX];
	struct nc_err err = {0}, ferr = {0};
	int rc = phone_normalize(in, region, out, "phone", &err);
	int frc = phone_normalize_full(in, region, full, "phone", &ferr);
	if (rc != frc || strcmp(out, full) != 0 || err.code != ferr.code ||
	    strcmp(err.msg, ferr.msg) != 0 || strcmp(err.field, ferr.field) != 0)
		abort();
	if (phone_normalize_fast(in, region, fast) ? frc != 0 || strcmp(fast, full) != 0 : fast[0])
		abort();
	if (rc < 0) {
		check_refused(out, &err);
	} else {
		if (!is_e164(out) || !phone_region_valid(region))
			abort();
		/* E.164 names the country: it reads back to itself whatever the default region */
		for (size_t i = 0; i < NREGIONS; i++) {
			char again[PHONE_E164_MAX];
			if (phone_normalize(out, regions[i], again, "phone", &err) < 0 ||
			    strcmp(again, out) != 0)
				abort();
		}
	}
	free(in);
	return 0;
}
