/* charset.h - the text encodings Excel writes CSV in: UTF-8 (with or without BOM) and
 * Windows-1251 (Russian Windows), converted to UTF-8. */
#ifndef NC_CHARSET_H
#define NC_CHARSET_H

#include <stddef.h>

#include "util/buf.h"

enum charset { CHARSET_AUTO, CHARSET_UTF8, CHARSET_CP1251 };

/* charset_parse reads "auto", "utf-8"/"utf8", "cp1251"/"windows-1251" (any case); -1 when
 * unknown or NULL. */
int charset_parse(const char *s);
/* charset_name gives "auto", "utf-8" or "cp1251" (static strings, accepted by charset_parse). */
const char *charset_name(enum charset c);

/* charset_detect: a UTF-8 BOM or valid UTF-8 gives CHARSET_UTF8, anything else CHARSET_CP1251. */
enum charset charset_detect(const char *s, size_t n);

/* charset_to_utf8 appends s[0..n) in encoding c to out as UTF-8, dropping a leading UTF-8 BOM
 * (CHARSET_AUTO runs charset_detect first). Invalid UTF-8 input bytes (one U+FFFD per maximal
 * invalid subsequence), cp1251's undefined byte 0x98 and NUL bytes become U+FFFD, so the output
 * is always valid UTF-8 without NUL. out's cap applies: check buf_failed(out) afterwards. */
void charset_to_utf8(enum charset c, const char *s, size_t n, struct buf *out);

#endif
