/* page_scripts.h - what the script pages (page_scripts.c) and the live script panel beside the
 * client card (page_run.c) share: small readers of form and query values, and writers of
 * translated text with placeholders, numbers and stage names. Defined in page_scripts.c. */
#ifndef NC_PAGE_SCRIPTS_H
#define NC_PAGE_SCRIPTS_H

#include "core/script.h"
#include "web/page.h"

#include <stdbool.h>

/* scripts_is tells whether a and b are both set and the same string. */
bool scripts_is(const char *a, const char *b);

/* scripts_whole reads a whole number within [lo, hi] into *out: false when s is not one (then
 * *out is left alone). */
bool scripts_whole(const char *s, long lo, long hi, long *out);

/* scripts_fill writes msgid translated, with "{1}" and "{2}" replaced by a1 and a2 (NULL: empty),
 * escaped. The values are placeholders rather than printf conversions, so that no translation
 * can make the page read arguments that are not there. */
void scripts_fill(struct html *h, const char *msgid, const char *a1, const char *a2);

/* scripts_num gives v in decimal, in the arena of p's request. */
const char *scripts_num(struct page *p, long long v);

/* scripts_stage_label gives the msgid of a stage's name, or NULL for a stage it does not know. */
const char *scripts_stage_label(enum script_stage stage);

#endif
