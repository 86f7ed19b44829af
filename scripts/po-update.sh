#!/usr/bin/env bash
# Extracts the interface's English strings from the C sources (T, Tw, N_, page_error) into
# po/nextcall.pot and merges them into po/ru.po, tr.po, vi.po (new strings untranslated).
# "make po" runs it; tests/i18n/check.sh fails while nextcall.pot is not what it extracts.
# Needs xgettext and msgmerge (Debian's gettext, installed by scripts/deps.sh).
set -eu
cd "$(dirname "$0")/.."
xgettext --language=C --from-code=UTF-8 --no-wrap --sort-by-file --add-comments=TRANSLATORS: \
	--keyword=T:2 --keyword=Tw:2 --keyword=N_ --keyword=page_error:3 --keyword=page_tr:2 \
	--package-name=nextcall --msgid-bugs-address=none -o po/nextcall.pot \
	$(ls src/web/*.c src/web/*.h | LC_ALL=C sort)
sed -i 's/charset=CHARSET/charset=UTF-8/' po/nextcall.pot
for l in ru tr vi; do
	msgmerge --quiet --no-wrap --no-fuzzy-matching --update --backup=none "po/$l.po" po/nextcall.pot
	msgattrib --no-wrap --no-obsolete -o "po/$l.po" "po/$l.po"
done
for l in ru tr vi; do
	printf '%s: ' "$l"
	msgfmt --check --statistics -o /dev/null "po/$l.po"
done
