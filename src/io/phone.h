/* phone.h - telephone numbers to E.164 through libphonenumber (C++ library behind a C shim). */
#ifndef NC_PHONE_H
#define NC_PHONE_H

#include <stdbool.h>

#include "util/err.h"

#define PHONE_E164_MAX 24 /* "+" and up to 15 digits, with room */

/* phone_normalize parses input as written by a person ("8 (912) 345-67-89", "+90 532 123 45 67",
 * "0532 123 45 67") with region (ISO 3166 alpha-2, e.g. "RU", "TR", "VN", "US") as the default
 * for numbers without a country code, and writes the E.164 form ("+79123456789") into out.
 * A number that cannot be a telephone number of that country fails with NC_EINVAL and a message
 * naming field and quoting the input. Thread-safe. */
/* Details: a number is accepted when libphonenumber's metadata holds it valid (IsValidNumber),
 * not merely of a possible length, so "+7 000 000 00 00" and a US number without area code are
 * refused; so are numbers of fewer than 7 or more than 15 digits (out always matches
 * ^\+[1-9][0-9]{6,14}$). "00" followed by a country code is accepted as international even
 * where the official prefix differs (RU: 810). Refused too: an extension ("ext. 5", "доб. 12"),
 * input over 64 bytes, control characters (CR, LF, ...), invalid UTF-8, an unknown region (the
 * message names it; region is upper case). On failure out is "" and err (may be NULL) gets the
 * message, e.g. `phone: invalid phone number "abc" for region RU (not a phone number)`, where
 * "phone" is field (or "phone" when field is NULL or ""), and err->field is field. */
int phone_normalize(const char *input, const char *region, char out[PHONE_E164_MAX],
		    const char *field, struct nc_err *err);

/* phone_normalize_full is phone_normalize without its fast path: libphonenumber's Parse for every
 * input. phone_normalize_fast is the fast path alone: true with out set when it answers (the
 * answer phone_normalize_full gives), false (out "") when it leaves input to the full path. Both
 * are there for the tests that hold the two paths to the same answers. */
int phone_normalize_full(const char *input, const char *region, char out[PHONE_E164_MAX],
			 const char *field, struct nc_err *err);
bool phone_normalize_fast(const char *input, const char *region, char out[PHONE_E164_MAX]);

/* phone_region_valid says whether region is a two-letter region libphonenumber knows. */
bool phone_region_valid(const char *region);

/* struct phone_batch normalizes the many numbers of an import: each distinct input once, and
 * the inputs given to phone_batch_add on several threads at once by phone_batch_run. Results are
 * exactly those of phone_normalize with the batch's region and field. Not thread-safe itself. */
struct phone_batch;
struct phone_batch *phone_batch_new(const char *region, const char *field);
void phone_batch_free(struct phone_batch *b);
/* phone_batch_add notes input (copied) for the next phone_batch_run. */
void phone_batch_add(struct phone_batch *b, const char *input);
/* phone_batch_run normalizes the inputs added since the last run, on up to 4 threads. */
void phone_batch_run(struct phone_batch *b);
/* phone_batch_start does it in the background, leaving the calling thread (all but one core)
 * free for other work, and phone_batch_wait waits for the end; in between, b must not be used
 * (phone_batch_free waits first). */
void phone_batch_start(struct phone_batch *b);
void phone_batch_wait(struct phone_batch *b);
/* phone_batch_get gives phone_normalize's answer for input: from the batch when it was run for
 * input, else normalized now (and kept). */
int phone_batch_get(struct phone_batch *b, const char *input, char out[PHONE_E164_MAX],
		    struct nc_err *err);

#endif
