/* i18n.c - lookups in the compiled catalogs. */
#include "web/i18n.h"

#include <string.h>

static const struct i18n_catalog *find(const char *lang)
{
	for (const struct i18n_catalog *c = i18n_catalogs; lang && c->lang; c++)
		if (strcmp(c->lang, lang) == 0)
			return c;
	return NULL;
}

const char *i18n_get(const char *lang, const char *msgid)
{
	const struct i18n_catalog *c = find(lang);
	if (!c || !msgid)
		return msgid;
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(msgid, c->entries[mid].msgid);
		if (cmp == 0)
			return c->entries[mid].msgstr;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return msgid;
}

bool i18n_lang_known(const char *lang)
{
	return lang && (strcmp(lang, "en") == 0 || find(lang));
}
