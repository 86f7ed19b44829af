/* charset.c - telling UTF-8 from Windows-1251 and converting both to clean UTF-8: invalid
 * sequences and NUL bytes become U+FFFD, a leading UTF-8 BOM is dropped. */
#include "io/charset.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

static const char bom[3] = {'\xEF', '\xBB', '\xBF'};
static const char replacement[3] = {'\xEF', '\xBF', '\xBD'}; /* U+FFFD */

/* Windows-1251 bytes 0x80..0xBF; 0xC0..0xFF are U+0410..U+044F and computed. 0 is undefined. */
static const uint16_t cp1251_high[64] = {
    /* 0x80 */ 0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
    /* 0x88 */ 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
    /* 0x90 */ 0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    /* 0x98 */ 0x0000, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
    /* 0xA0 */ 0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
    /* 0xA8 */ 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
    /* 0xB0 */ 0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
    /* 0xB8 */ 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
};

int charset_parse(const char *s)
{
	static const struct {
		const char *name;
		enum charset c;
	} names[] = {
	    {"auto", CHARSET_AUTO},	{"utf-8", CHARSET_UTF8},	  {"utf8", CHARSET_UTF8},
	    {"cp1251", CHARSET_CP1251}, {"windows-1251", CHARSET_CP1251},
	};
	if (!s)
		return -1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i].name) == 0)
			return (int)names[i].c;
	return -1;
}

const char *charset_name(enum charset c)
{
	switch (c) {
	case CHARSET_AUTO:
		return "auto";
	case CHARSET_UTF8:
		return "utf-8";
	case CHARSET_CP1251:
		return "cp1251";
	}
	return "unknown";
}

/* seq_len looks at the UTF-8 sequence starting s[0] (n >= 1 bytes available). It returns the
 * bytes it covers and sets *ok: a whole valid sequence (no overlong form, no surrogate, at most
 * U+10FFFF), or else the longest invalid prefix (at least 1 byte), which stands for one U+FFFD. */
static size_t seq_len(const unsigned char *s, size_t n, bool *ok)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t need;

	*ok = false;
	if (c < 0x80) {
		*ok = true;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		need = 1;
	else if (c >= 0xE0 && c <= 0xEF)
		need = 2;
	else if (c >= 0xF0 && c <= 0xF4)
		need = 3;
	else
		return 1;
	if (c == 0xE0)
		lo = 0xA0; /* overlong below U+0800 */
	else if (c == 0xED)
		hi = 0x9F; /* surrogates */
	else if (c == 0xF0)
		lo = 0x90; /* overlong below U+10000 */
	else if (c == 0xF4)
		hi = 0x8F; /* above U+10FFFF */
	for (size_t k = 1; k <= need; k++) {
		if (k >= n || s[k] < lo || s[k] > hi)
			return k;
		lo = 0x80;
		hi = 0xBF;
	}
	*ok = true;
	return need + 1;
}

enum charset charset_detect(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	if (n >= 3 && memcmp(s, bom, 3) == 0)
		return CHARSET_UTF8;
	while (i < n) {
		bool ok;
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		i += seq_len(u + i, n - i, &ok);
		if (!ok)
			return CHARSET_CP1251;
	}
	return CHARSET_UTF8;
}

static void add_code_point(struct buf *out, unsigned cp)
{
	char b[3];
	if (cp < 0x80) {
		buf_addc(out, (char)cp);
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		buf_add(out, b, 2);
	} else {
		/* cp1251 maps only into the Basic Multilingual Plane */
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		buf_add(out, b, 3);
	}
}

/* ascii_run counts the bytes from s[0] that are ASCII and not NUL, so they can be copied in one
 * append. */
static size_t ascii_run(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] < 0x80 && s[i] != 0)
		i++;
	return i;
}

static void cp1251_to_utf8(const unsigned char *s, size_t n, struct buf *out)
{
	size_t i = 0;
	while (i < n) {
		size_t run = ascii_run(s + i, n - i);
		buf_add(out, s + i, run);
		i += run;
		if (i == n)
			break;
		unsigned char c = s[i++];
		if (c == 0)
			buf_add(out, replacement, 3);
		else if (c >= 0xC0)
			add_code_point(out, 0x0410 + (unsigned)(c - 0xC0));
		else if (cp1251_high[c - 0x80])
			add_code_point(out, cp1251_high[c - 0x80]);
		else
			buf_add(out, replacement, 3);
	}
}

static void utf8_clean(const unsigned char *s, size_t n, struct buf *out)
{
	size_t i = 0;
	while (i < n) {
		size_t run = ascii_run(s + i, n - i);
		buf_add(out, s + i, run);
		i += run;
		if (i == n)
			break;
		bool ok = false;
		size_t len = s[i] ? seq_len(s + i, n - i, &ok) : 1;
		if (ok)
			buf_add(out, s + i, len);
		else
			buf_add(out, replacement, 3);
		i += len;
	}
}

void charset_to_utf8(enum charset c, const char *s, size_t n, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	if (c == CHARSET_AUTO)
		c = charset_detect(s, n);
	/* Dropped in both encodings: in cp1251 these bytes would read "п»ї", never real text. */
	if (n >= 3 && memcmp(s, bom, 3) == 0) {
		u += 3;
		n -= 3;
	}
	if (c == CHARSET_CP1251)
		cp1251_to_utf8(u, n, out);
	else
		utf8_clean(u, n, out);
}
