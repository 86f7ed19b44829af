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

# NEXTCALL_TEST_PG=1: the same cases on PostgreSQL, each in a fresh database of a private
# cluster (scripts/pg.sh); sqlite3 and dump are replaced by their psql/pg_dump equivalents.
if [ -n "${NEXTCALL_TEST_PG:-}" ]; then
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
	PG_DIR="$TMP/pg"
	trap '"$ROOT/scripts/pg.sh" stop "$PG_DIR"; rm -rf "$TMP"' EXIT
	"$ROOT/scripts/pg.sh" start "$PG_DIR" >/dev/null || exit 1
	PG_CASES=0
	pg_url() { echo "postgres://postgres@/$1?host=$PG_DIR"; }
	# sqlite3 DB SQL|.dump: the queries the cases make, on PostgreSQL
	sqlite3() {
		local sql=$2
		case $sql in
		.dump)
			# rows sorted: PostgreSQL gives them in physical order, which an UPDATE changes
			"$PG_BIN/pg_dump" --data-only --no-owner -d "$1" |
				grep -v -e '^SELECT pg_catalog.setval' -e '^--' -e '^\\restrict' -e '^\\unrestrict' |
				awk '/^COPY /{print; n=0; inb=1; next} inb && /^\\\.$/{c="sort"; for(i=0;i<n;i++) print r[i] | c; close(c); print; inb=0; next} inb{r[n++]=$0; next} {print}'
			return ;;
		# the WAL check is SQLite's own business: nothing to compare on PostgreSQL
		'pragma journal_mode') echo wal; return ;;
		esac
		sql=${sql//"sqlite_master where type='table'"/"information_schema.tables where table_schema='public'"}
		"$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$sql"
	}
	# a text file is not a PostgreSQL database; the case checks SQLite's file handling
	PG_SKIP=" not_a_database "
	run_case() { # as in lib.sh, with a fresh database instead of a fresh file
		[ -n "${NC_ONLY:-}" ] && ! [[ $1 =~ $NC_ONLY ]] && return
		case $PG_SKIP in *" $1 "*) echo "ok - $1 # skip on PostgreSQL"; return ;; esac
		NC_CURRENT=$1
		NC_CASE_FAILED=0
		PG_CASES=$((PG_CASES + 1))
		"$PG_BIN/psql" -X -q -d "$(pg_url postgres)" -c "CREATE DATABASE t$PG_CASES" || exit 1
		DB=$(pg_url "t$PG_CASES")
		"$2"
		if [ "$NC_CASE_FAILED" = 0 ]; then
			NC_PASSED=$((NC_PASSED + 1))
			echo "ok - $1"
		else
			NC_FAILED=$((NC_FAILED + 1))
			echo "not ok - $1"
		fi
	}
fi

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
. "$ROOT/tests/integration/t_cdr.sh"
. "$ROOT/tests/integration/t_copydb.sh"
. "$ROOT/tests/integration/t_qa.sh"
. "$ROOT/tests/integration/t_scripts.sh"
. "$ROOT/tests/integration/t_reports.sh"
. "$ROOT/tests/integration/t_cdr_rollups.sh" # after t_reports.sh: its rp_verify_clean
. "$ROOT/tests/integration/t_backup.sh"
. "$ROOT/tests/integration/t_pg_writes.sh"
. "$ROOT/tests/integration/t_pool.sh"
. "$ROOT/tests/integration/t_hours.sh"
. "$ROOT/tests/integration/t_copies.sh"
. "$ROOT/tests/integration/t_checks.sh"
. "$ROOT/tests/integration/t_gen.sh"

echo "$NC_PASSED passed, $NC_FAILED failed"
[ "$NC_FAILED" = 0 ]
