/* i18n.h - translations of the interface: gettext PO catalogs (po/ru.po, tr.po, vi.po) compiled
 * into the binary at build time (scripts/po2c.py), looked up per request, so each user sees his
 * own language without process-wide locale state. English is the source language. */
#ifndef NC_I18N_H
#define NC_I18N_H

#include <stdbool.h>
#include <stddef.h>

struct i18n_entry {
	const char *msgid, *msgstr;
};
struct i18n_catalog {
	const char *lang;
	const struct i18n_entry *entries; /* sorted by msgid (strcmp) */
	size_t n;
};
/* Generated from the po/ catalogs; ends with an entry whose lang is NULL. */
extern const struct i18n_catalog i18n_catalogs[];

/* i18n_get gives msgid in lang ("en", "ru", "tr", "vi"); msgid itself when there is no
 * translation. Never NULL for a non-NULL msgid. */
const char *i18n_get(const char *lang, const char *msgid);

/* i18n_lang_known says whether lang has a catalog (or is "en"). */
bool i18n_lang_known(const char *lang);

#endif
