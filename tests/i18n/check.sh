#!/usr/bin/env bash
# Checks the translation catalogs: po/nextcall.pot holds the strings the sources have now, each
# catalog is valid gettext (msgfmt --check), and every string the interface uses (extracted from
# the sources) is translated in ru, tr and vi.
# usage: check.sh SOURCE_ROOT
set -u
root=$1
cd "$root" || exit 1
passed=0 failed=0
fresh=$(mktemp)
trap 'rm -f "$fresh"' EXIT
xgettext --language=C --from-code=UTF-8 --no-wrap --keyword=T:2 --keyword=Tw:2 --keyword=N_ \
	--keyword=page_error:3 --keyword=page_tr:2 -o "$fresh" src/web/*.c src/web/*.h 2>/dev/null
want=$(grep -c '^msgid "' "$fresh")
# po/nextcall.pot must hold the strings the sources have now (scripts/po-update.sh, "make po")
msgids() { msgattrib --no-wrap --no-location --sort-output "$1" 2>/dev/null | grep -E '^(msgctxt|msgid|msgid_plural) '; }
stale=$(diff <(msgids po/nextcall.pot) <(msgids "$fresh") | grep -c '^[<>]')
if [ "$stale" = 0 ]; then
	echo "ok - nextcall.pot: the strings of the sources"
	passed=$((passed + 1))
else
	echo "not ok - nextcall.pot is stale: $stale strings differ from the sources (run make po)"
	diff <(msgids po/nextcall.pot) <(msgids "$fresh") | grep '^[<>]' | head -5
	failed=$((failed + 1))
fi
for l in ru tr vi; do
	if ! out=$(msgfmt --check --statistics -o /dev/null "po/$l.po" 2>&1); then
		echo "not ok - $l.po is not valid: $out"
		failed=$((failed + 1))
		continue
	fi
	# every msgid of the sources must have a non-empty, non-fuzzy msgstr
	missing=$(msgcmp --use-untranslated "po/$l.po" "$fresh" 2>&1 | grep -c 'this message is')
	untranslated=$(msgattrib --untranslated --no-obsolete "po/$l.po" 2>/dev/null | grep -c '^msgid "..*"')
	fuzzy=$(msgattrib --only-fuzzy --no-obsolete "po/$l.po" 2>/dev/null | grep -c '^msgid "..*"')
	if [ "$missing" = 0 ] && [ "$untranslated" = 0 ] && [ "$fuzzy" = 0 ]; then
		echo "ok - $l: all $((want - 1)) strings translated"
		passed=$((passed + 1))
	else
		echo "not ok - $l: $missing strings missing, $untranslated untranslated, $fuzzy fuzzy (run scripts/po-update.sh)"
		msgcmp --use-untranslated "po/$l.po" "$fresh" 2>&1 | head -5
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
