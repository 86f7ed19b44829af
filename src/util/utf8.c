/* utf8.c - UTF-8 validation, cutting without splitting a character, and the folded form used
 * for matching: a small hand-written lowercase map for the scripts our clients write in (Latin,
 * Vietnamese, Turkish, Greek, Cyrillic) and a coarse split of characters into word and not. */
#include "util/utf8.h"

#include <stdint.h>
#include <string.h>

/* What a character is to the folded form. */
enum cls {
	C_WORD,	  /* a letter or digit: kept, lowercased */
	C_SPACE,  /* punctuation, symbol, space, control: separates words */
	C_IGNORE, /* invisible format character inside words: dropped without a trace */
};

struct range {
	uint32_t lo, hi;
	enum cls cls;
};

/* Every code point from U+0080 up not listed here counts as a letter: scripts we do not map
 * (Armenian, Hebrew, Arabic, Indic, CJK, ...) then still form words, and combining marks stay
 * inside the word they belong to. Sorted by lo, no overlaps. */
static const struct range nonword[] = {
    {0x0080, 0x00AC, C_SPACE},	  /* C1 controls, Latin-1 punctuation and symbols */
    {0x00AD, 0x00AD, C_IGNORE},	  /* soft hyphen */
    {0x00AE, 0x00BF, C_SPACE},	  /* more Latin-1 symbols */
    {0x00D7, 0x00D7, C_SPACE},	  /* multiplication sign */
    {0x00F7, 0x00F7, C_SPACE},	  /* division sign */
    {0x02C2, 0x02C5, C_SPACE},	  /* modifier arrowheads */
    {0x02D2, 0x02DF, C_SPACE},	  /* spacing accents: breve, ring, tilde, ... */
    {0x02E5, 0x02EB, C_SPACE},	  /* tone letters */
    {0x02ED, 0x02ED, C_SPACE},	  /* unaspirated */
    {0x02EF, 0x02FF, C_SPACE},	  /* more modifier symbols */
    {0x0375, 0x0375, C_SPACE},	  /* Greek lower numeral sign */
    {0x037E, 0x037E, C_SPACE},	  /* Greek question mark */
    {0x0384, 0x0385, C_SPACE},	  /* Greek spacing tonos */
    {0x0387, 0x0387, C_SPACE},	  /* Greek ano teleia */
    {0x03F6, 0x03F6, C_SPACE},	  /* Greek reversed lunate epsilon symbol */
    {0x0482, 0x0482, C_SPACE},	  /* Cyrillic thousands sign */
    {0x055A, 0x055F, C_SPACE},	  /* Armenian punctuation */
    {0x0589, 0x058A, C_SPACE},	  /* Armenian full stop, hyphen */
    {0x05BE, 0x05BE, C_SPACE},	  /* Hebrew maqaf */
    {0x05C0, 0x05C0, C_SPACE},	  /* Hebrew paseq */
    {0x05C3, 0x05C3, C_SPACE},	  /* Hebrew sof pasuq */
    {0x05F3, 0x05F4, C_SPACE},	  /* Hebrew geresh, gershayim */
    {0x060C, 0x060D, C_SPACE},	  /* Arabic comma, date separator */
    {0x061B, 0x061B, C_SPACE},	  /* Arabic semicolon */
    {0x061C, 0x061C, C_IGNORE},	  /* Arabic letter mark */
    {0x061F, 0x061F, C_SPACE},	  /* Arabic question mark */
    {0x066A, 0x066D, C_SPACE},	  /* Arabic percent, separators, star */
    {0x06D4, 0x06D4, C_SPACE},	  /* Arabic full stop */
    {0x0964, 0x0965, C_SPACE},	  /* Devanagari danda */
    {0x0E3F, 0x0E3F, C_SPACE},	  /* Thai baht */
    {0x0E4F, 0x0E4F, C_SPACE},	  /* Thai fongman */
    {0x0E5A, 0x0E5B, C_SPACE},	  /* Thai angkhankhu, khomut */
    {0x10FB, 0x10FB, C_SPACE},	  /* Georgian paragraph separator */
    {0x1680, 0x1680, C_SPACE},	  /* Ogham space */
    {0x2000, 0x200B, C_SPACE},	  /* spaces, zero width space */
    {0x200C, 0x200F, C_IGNORE},	  /* zero width (non-)joiner, direction marks */
    {0x2010, 0x2029, C_SPACE},	  /* dashes, quotes, bullets, line separators */
    {0x202A, 0x202E, C_IGNORE},	  /* bidirectional embeddings */
    {0x202F, 0x205F, C_SPACE},	  /* narrow no-break space, more punctuation */
    {0x2060, 0x2064, C_IGNORE},	  /* word joiner, invisible operators */
    {0x2065, 0x2065, C_SPACE},	  /* unassigned */
    {0x2066, 0x206F, C_IGNORE},	  /* bidirectional isolates, deprecated format */
    {0x20A0, 0x2BFF, C_SPACE},	  /* currency, letterlike, numbers, arrows, math, shapes */
    {0x2E00, 0x2E7F, C_SPACE},	  /* supplemental punctuation */
    {0x3000, 0x303F, C_SPACE},	  /* CJK symbols and punctuation */
    {0xD800, 0xF8FF, C_SPACE},	  /* surrogates (never decoded), private use */
    {0xFE00, 0xFE0F, C_IGNORE},	  /* variation selectors */
    {0xFE10, 0xFE6F, C_SPACE},	  /* vertical, compatibility and small forms */
    {0xFEFF, 0xFEFF, C_IGNORE},	  /* byte order mark */
    {0xFF00, 0xFF0F, C_SPACE},	  /* fullwidth punctuation */
    {0xFF1A, 0xFF20, C_SPACE},	  /* fullwidth punctuation */
    {0xFF3B, 0xFF40, C_SPACE},	  /* fullwidth punctuation */
    {0xFF5B, 0xFF65, C_SPACE},	  /* fullwidth and halfwidth punctuation */
    {0xFFE0, 0xFFFF, C_SPACE},	  /* fullwidth symbols, specials */
    {0x1F000, 0x1FAFF, C_SPACE},  /* game symbols, enclosed forms, emoji */
    {0xE0000, 0xE01EF, C_IGNORE}, /* tags, variation selectors supplement */
    {0xF0000, 0x10FFFF, C_SPACE}, /* private use planes */
};

static enum cls classify(uint32_t c)
{
	if (c < 0x80) {
		bool alnum = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
		return alnum ? C_WORD : C_SPACE;
	}
	if ((c >= 0x0100 && c < 0x02C2) || (c >= 0x0400 && c < 0x0482))
		return C_WORD; /* the common case for our scripts, without a search */
	size_t lo = 0, hi = sizeof(nonword) / sizeof(nonword[0]);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c < nonword[mid].lo)
			hi = mid;
		else if (c > nonword[mid].hi)
			lo = mid + 1;
		else
			return nonword[mid].cls;
	}
	return C_WORD;
}

/* pair lowercases c in a block where capitals and small letters alternate; upper_even says
 * whether the capital has the even code point. */
static uint32_t pair(uint32_t c, bool upper_even)
{
	bool even = (c & 1) == 0;
	return even == upper_even ? c + 1 : c;
}

static uint32_t lower_latin_ext(uint32_t c)
{
	if (c < 0x0180) { /* Latin Extended-A */
		if (c == 0x0130 || c == 0x0131)
			return 'i'; /* Turkish İ and ı meet I and i */
		if (c == 0x0178)
			return 0x00FF;
		if (c == 0x017F)
			return 's'; /* long s */
		if (c == 0x0138 || c == 0x0149)
			return c; /* kra, n preceded by apostrophe: small only */
		if ((c >= 0x0139 && c <= 0x0148) || c >= 0x0179)
			return pair(c, false);
		return pair(c, true);
	}
	/* Latin Extended-B: Vietnamese Ơ Ư, Azerbaijani Ə and the blocks of regular pairs (pinyin
	 * Ǎ, Romanian Ș Ț, ...); the other irregular letters stay as they are. */
	if (c == 0x01A0 || c == 0x01AF)
		return c + 1;
	if (c == 0x018F)
		return 0x0259;
	if (c >= 0x01CD && c <= 0x01DC)
		return pair(c, false);
	if ((c >= 0x01DE && c <= 0x01EF) || c == 0x01F4 || (c >= 0x01F8 && c <= 0x021F) ||
	    (c >= 0x0222 && c <= 0x0233) || (c >= 0x0246 && c <= 0x024F))
		return pair(c, true);
	return c;
}

static uint32_t lower_greek(uint32_t c)
{
	if (c >= 0x0391 && c <= 0x03AB && c != 0x03A2)
		return c + 0x20;
	if (c == 0x03C2)
		return 0x03C3; /* final sigma matches sigma */
	if (c == 0x0386)
		return 0x03AC;
	if (c >= 0x0388 && c <= 0x038A)
		return c + 0x25;
	if (c == 0x038C)
		return 0x03CC;
	if (c == 0x038E || c == 0x038F)
		return c + 0x3F;
	if (c <= 0x0373 || c == 0x0376 || (c >= 0x03D8 && c <= 0x03EF))
		return pair(c, true);
	if (c == 0x037F)
		return 0x03F3;
	if (c == 0x03CF)
		return 0x03D7;
	if (c == 0x03F4)
		return 0x03B8;
	if (c == 0x03F7 || c == 0x03FA)
		return c + 1;
	if (c == 0x03F9)
		return 0x03F2;
	if (c >= 0x03FD)
		return c - 0x82;
	return c;
}

static uint32_t lower_cyrillic(uint32_t c)
{
	if (c >= 0x0410 && c <= 0x042F)
		return c + 0x20;
	if (c == 0x0401 || c == 0x0451)
		return 0x0435; /* ё is written as е as often as not */
	if (c <= 0x040F)
		return c + 0x50;
	if ((c >= 0x0460 && c <= 0x0481) || (c >= 0x048A && c <= 0x04BF) || c >= 0x04D0)
		return pair(c, true);
	if (c == 0x04C0)
		return 0x04CF;
	if (c >= 0x04C1 && c <= 0x04CE)
		return pair(c, false);
	return c;
}

/* lower gives the folded (lowercase) form of a letter; other code points come back as given. */
static uint32_t lower(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 0x20 : c;
	if (c < 0x0100)
		return c >= 0x00C0 && c <= 0x00DE && c != 0x00D7 ? c + 0x20 : c;
	if (c < 0x0250)
		return lower_latin_ext(c);
	if (c >= 0x0370 && c < 0x0400)
		return lower_greek(c);
	if (c >= 0x0400 && c < 0x0530)
		return lower_cyrillic(c);
	if (c >= 0x1E00 && c < 0x1F00) { /* Latin Extended Additional */
		if (c == 0x1E9E)
			return 0x00DF; /* capital sharp s */
		if (c >= 0x1E96 && c <= 0x1E9F)
			return c; /* small only */
		return pair(c, true);
	}
	return c;
}

/* decode reads the character at s[0..n), n >= 1, into *cp and returns its length in bytes, or
 * 0 when the bytes there are not well-formed UTF-8. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, v = c & 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, v = c & 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, v = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

/* encode writes c as UTF-8 at out (room for 4 bytes) and returns the length. */
static size_t encode(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3F));
	out[2] = (char)(0x80 | (c >> 6 & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

bool utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		uint32_t cp;
		if (*p >= 0x01 && *p < 0x80) {
			p++;
			continue;
		}
		size_t k = *p ? decode(p, (size_t)(end - p), &cp) : 0;
		if (k == 0)
			return false;
		p += k;
	}
	return true;
}

void utf8_fold(const char *s, size_t n, struct buf *out)
{
	/* Folding never lengthens a character, but the output goes through a stack chunk so that
	 * the buffer grows a few times per string, not once per character. */
	char chunk[512];
	size_t len = 0;
	bool any = false, space = false;
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		uint32_t cp;
		size_t k = decode(p, (size_t)(end - p), &cp);
		if (k == 0) {
			p++; /* an invalid byte is dropped */
			continue;
		}
		p += k;
		enum cls cls = classify(cp);
		if (cls == C_SPACE)
			space = any;
		if (cls != C_WORD)
			continue;
		if (len > sizeof(chunk) - 5) {
			buf_add(out, chunk, len);
			len = 0;
		}
		if (space)
			chunk[len++] = ' ';
		len += encode(lower(cp), chunk + len);
		any = true;
		space = false;
	}
	buf_add(out, chunk, len);
}

size_t utf8_prefix_len(const char *s, size_t n, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n <= max)
		return n;
	size_t i = max;
	while (i > 0 && max - i < 3 && (u[i] & 0xC0) == 0x80)
		i--;
	if (i == max)
		return max;
	/* i is where the character reaching past max starts, unless the bytes are not UTF-8:
	 * then cutting at max splits nothing that was a character. */
	size_t len = u[i] >= 0xF0 ? 4 : u[i] >= 0xE0 ? 3 : u[i] >= 0xC0 ? 2 : 1;
	return i + len > max ? i : max;
}

bool utf8_is_blank(const char *s)
{
	if (!s)
		return true;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
			p++;
		else if (p[0] == 0xC2 && p[1] == 0xA0)
			p += 2;
		else
			return false;
	}
	return true;
}
