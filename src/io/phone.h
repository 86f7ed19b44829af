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
 * refused. "00" followed by a country code is accepted as international even where the official
 * prefix differs (RU: 810). Refused too: an extension ("ext. 5", "доб. 12"), input over 64 bytes,
 * control characters (CR, LF, ...), invalid UTF-8, an unknown region (the message names it; region
 * is upper case). On failure out is "" and err (may be NULL) gets the message, e.g.
 * `phone: invalid phone number "abc" for region RU (not a phone number)`, where "phone" is field
 * (or "phone" when field is NULL or ""), and err->field is field. */
int phone_normalize(const char *input, const char *region, char out[PHONE_E164_MAX],
		    const char *field, struct nc_err *err);

/* phone_region_valid says whether region is a two-letter region libphonenumber knows. */
bool phone_region_valid(const char *region);

#endif
