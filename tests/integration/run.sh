#!/usr/bin/env bash
# Integration tests: drive the real nextcall binary against real SQLite files.
# usage: run.sh PATH/TO/nextcall SOURCE_ROOT
set -u
NEXTCALL=$(realpath "$1")
ROOT=$(realpath "$2")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export NEXTCALL_NOW=2026-11-23T09:00:00Z # Monday, 12:00 in Moscow
export NEXTCALL_SYNC=normal               # speed; durability is tested separately
unset NEXTCALL_DB
. "$ROOT/tests/integration/lib.sh"

# setup: an initialised team: a head, two reps, a segment, a source, one client.
setup() {
	nc init >/dev/null
	nc settings set team.timezone Europe/Moscow
	nc settings set phone.region RU
	nc user add elena --name "Елена" --role head --timezone Europe/Moscow
	nc user add anna --name "Анна" --role rep --timezone Europe/Moscow
	nc user add oleg --name "Олег" --role rep --timezone Europe/Moscow
	nc segment add "Частные" --every 3-7
	nc source add "Авито"
	nc client add --name "Иван Петров" --phone "8 (912) 345-67-89" --company "ООО Ромашка" \
		--segment "Частные" --source "Авито" --owner anna
	CLIENT=$OUT
	[ "$RC" = 0 ] || fail "setup: client add failed"
}

. "$ROOT/tests/integration/t_foundation.sh"
. "$ROOT/tests/integration/t_rules.sh"
. "$ROOT/tests/integration/t_import.sh"

echo "$NC_PASSED passed, $NC_FAILED failed"
[ "$NC_FAILED" = 0 ]
