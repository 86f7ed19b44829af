/* utf8.h - UTF-8 checks and the folding used for matching and search: one folded form makes
 * "ЗВОНОК  Вежливости!" equal "звонок вежливости", and "ARAMASI" equal "araması". */
#ifndef NC_UTF8_H
#define NC_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* utf8_valid says whether s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF)
 * and holds no NUL byte. */
bool utf8_valid(const char *s, size_t n);

/* utf8_fold appends to out the folded form of s[0..n): letters lowercased (ASCII, Latin-1,
 * Latin Extended-A/B as Vietnamese and Turkish use them, Latin Extended Additional, Greek,
 * Cyrillic); Turkish İ, I and ı all become i; Cyrillic ё becomes е; every character that is not
 * a letter or digit becomes a space; runs of spaces collapse to one; no leading or trailing
 * space. Invalid bytes are dropped, and so are invisible format characters that sit inside words
 * (soft hyphen, zero width joiners, direction marks, variation selectors, byte order mark).
 * "Letter" is coarse: ASCII letters and digits, and every code point from U+00C0 up except
 * punctuation and symbols (U+00D7, U+00F7, General Punctuation, U+20A0-2BFF, CJK punctuation,
 * fullwidth punctuation, emoji, private use, ...; the table is in utf8.c), so scripts without a
 * case map still form words and combining marks stay in theirs. Accents are kept (Vietnamese
 * "xã" does not equal "xa") and no Unicode normalisation is done: decomposed input folds to
 * different bytes than precomposed. Output is never longer than the input; no allocation but
 * out's growth. */
void utf8_fold(const char *s, size_t n, struct buf *out);

/* utf8_prefix_len returns the length of the longest prefix of s[0..n) that is at most max bytes
 * and does not cut a character in two. */
size_t utf8_prefix_len(const char *s, size_t n, size_t max);

/* utf8_is_blank says whether s is NULL, empty or only white space (ASCII and U+00A0). */
bool utf8_is_blank(const char *s);

#endif
