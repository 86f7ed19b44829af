/* html.h - the page writer. Escaping is the default: text and attribute values go through
 * html_text / html_attr, and the only unescaped output, HTML(), takes string literals alone (the
 * macro refuses anything else at compile time). */
#ifndef NC_HTML_H
#define NC_HTML_H

#include "util/buf.h"

#include <stdint.h>

struct html {
	struct buf *out;
	const char *lang; /* en, ru, tr, vi: for translations (T) */
};

/* HTML writes a string literal as markup; a variable does not compile ("" s ""). */
#define HTML(h, s) html_raw_((h), "" s "")
void html_raw_(struct html *h, const char *literal);

/* html_text writes s escaped for element content (& < > " ' escaped; NULL writes nothing);
 * invalid UTF-8 bytes become U+FFFD. */
void html_text(struct html *h, const char *s);
/* html_textf formats, then writes the result escaped. */
void html_textf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* html_attr writes ` name="value"` with value escaped; NULL value writes nothing. name must be a
 * literal-like identifier (checked: letters, digits, '-'). */
void html_attr(struct html *h, const char *name, const char *value);
void html_attrf(struct html *h, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* html_int writes a number. */
void html_int(struct html *h, int64_t v);
/* html_url_part writes s percent-encoded for a URL query value, then escaped for HTML. */
void html_url_part(struct html *h, const char *s);

/* html_option writes <option value="value">label</option>, selected when value equals current
 * (which may be NULL); both escaped. */
void html_option(struct html *h, const char *value, const char *label, const char *current);

/* N_ marks a string literal for translation where it is defined (in a table) and translated
 * later with T or i18n_get; it expands to the literal itself. */
#define N_(s) s

/* T gives msgid translated into the page's language (English when missing); the result is
 * plain text: write it with html_text. Tw writes it escaped. */
const char *T(const struct html *h, const char *msgid);
void Tw(struct html *h, const char *msgid);

#endif
