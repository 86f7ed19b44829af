#!/usr/bin/env bash
# bench/pg_writes.sh - concurrent writes over many reps on PostgreSQL, checked, against SQLite:
# 40 reps with 20 clients each, 48 HTTP clients (one rep's token each, Python asyncio) logging
# calls with next steps and refusals (category -> future), missed calls through the PBX webhook,
# and, as the head, moving clients between reps and changing their segment and source, for 60 s.
# These writes all add differences to the report rollups, and every one of them to the team's
# rows (report_daily_team, report_monthly_team) that all reps share. Runs on a private
# PostgreSQL cluster (scripts/pg.sh) with "serve --threads 2", again with --threads 4, then on
# SQLite with --threads 2, each on a fresh database. The driver is bench/pg_writes.py; after
# each run it checks: no 5xx and no unexpected answer, every call answered 201 (and every call
# the webhook stored) is in the database and no other, owners and categories as the last
# accepted write left them, no second planned step, no "deadlock detected", "could not
# serialize" or "gave up after" in the server log, and "nextcall report verify" exits 0.
# Prints each run's figures and a markdown table (writes/s, p50/p99, 5xx, transactions run
# again, verify) on standard output. Not part of CI (about 4 minutes); the short variant (10 s,
# 8 clients) is the integration case pg_writes_short.
#
# usage: bench/pg_writes.sh [--seconds S] [--clients C] [--reps R] [--per-rep N]
#                           [--nextcall PATH] [--only pg|sqlite] [--keep]
#   the binary is $NC_BENCH_BUILD/nextcall (default build-bench, built for speed like bench/run
#   when missing); --keep leaves each run's database and server logs in /tmp/nc-pgw.*.
# Exit status: 0 every run passed its checks, 1 a check failed.
# Needs python3, psql and a PostgreSQL server (apt install postgresql), sqlite3.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${NC_BENCH_BUILD:-$root/build-bench}
nc=
only=
args=()
usage() {
	echo "usage: bench/pg_writes.sh [--seconds S] [--clients C] [--reps R] [--per-rep N] [--nextcall PATH] [--only pg|sqlite] [--keep]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--seconds | --clients | --reps | --per-rep) args+=("$1" "$2"); shift 2 ;;
	--nextcall) nc=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	--keep) args+=(--keep); shift ;;
	*) usage ;;
	esac
done
case $only in '' | pg | sqlite) ;; *) usage ;; esac

if [ -z "$nc" ]; then
	nc=$build/nextcall
	if [ ! -x "$nc" ]; then
		echo "pg_writes: building $nc (release)" >&2
		if [ -f "$build/build.ninja" ]; then
			meson configure "$build" --buildtype=release -Db_ndebug=true -Db_sanitize=none >/dev/null
		else
			meson setup "$build" "$root" --buildtype=release -Db_ndebug=true -Db_sanitize=none >/dev/null
		fi
		ninja -C "$build" nextcall >/dev/null
	fi
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
run() { # run DB THREADS
	local rc=0
	python3 "$root/bench/pg_writes.py" --nextcall "$nc" --db "$1" --threads "$2" --json \
		${args[@]+"${args[@]}"} >"$out.txt" || rc=$?
	grep -v '^{' "$out.txt"
	grep '^{' "$out.txt" >>"$out" || true
	[ "$rc" = 0 ] || status=1
}
if [ "$only" != sqlite ]; then
	run postgres 2
	run postgres 4
fi
[ "$only" = pg ] || run sqlite 2
rm -f "$out.txt"

echo
echo "| database | serve --threads | clients / reps | writes/s | p50 ms | p99 ms | calls stored | 5xx | unexpected | run again | report verify | problems |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
python3 - "$out" <<'EOF'
import json, sys
for ln in open(sys.argv[1], encoding="utf-8"):
    f = json.loads(ln)
    print(f"| {f['db']} | {f['threads']} | {f['clients']} / {f['reps']} | {f['req_s']} | "
          f"{f['p50_ms']} | {f['p99_ms']} | {f['calls_stored']} | {f['status_5xx']} | "
          f"{f['unexpected']} | {f['retries']} | {f['verify'].split(':')[0]} | "
          f"{len(f['problems'])} |")
EOF
exit $status
