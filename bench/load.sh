#!/usr/bin/env bash
# bench/load.sh - the load benchmark: 1 000 open event streams (GET /api/v1/events) spread over
# 50 reps, and 64 clients of mixed reads (agenda, client card, phone lookup, client search) and
# writes (a call with its next step) for 60 s against "nextcall serve --threads 2" on a fresh
# database; the driver is tests/load/load.py (Python asyncio, one process). Prints a markdown
# section (figures, then one row per check and "Result: **PASS**" or "**FAIL**") on standard
# output, progress on standard error.
#
# usage: bench/load.sh [--duration S] [--warmup S] [--streams N] [--clients C] [--reps R]
#                      [--threads T] [--nextcall PATH] [--keep]
#   defaults: 60 s after a warm-up of 30 s (the writer's page cache fills in 30-50 s here, and
#   the memory check compares the last third with the middle one), 1 000 streams, 64 clients,
#   50 reps, 2 server threads; the binary is
#   $NC_BENCH_BUILD/nextcall (default build-bench, built for speed like bench/run when missing);
#   --keep leaves the database and the server log in /tmp/nc-load.*.
# Exit status: 0 every check passed, 1 a check failed, 77 the file descriptor limit is too low.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${NC_BENCH_BUILD:-$root/build-bench}
nc=
args=(--warmup 30)
while [ $# -gt 0 ]; do
	case $1 in
	--duration | --warmup | --streams | --clients | --reps | --threads)
		args+=("$1" "$2"); shift 2 ;;
	--nextcall) nc=$2; shift 2 ;;
	--keep) args+=(--keep); shift ;;
	*) echo "usage: bench/load.sh [--duration S] [--warmup S] [--streams N] [--clients C] [--reps R] [--threads T] [--nextcall PATH] [--keep]" >&2
	   exit 2 ;;
	esac
done

if [ -z "$nc" ]; then
	nc=$build/nextcall
	if [ ! -x "$nc" ]; then
		echo "load: building $nc (release)" >&2
		if [ -f "$build/build.ninja" ]; then
			meson configure "$build" --buildtype=release -Db_ndebug=true -Db_sanitize=none >/dev/null
		else
			meson setup "$build" "$root" --buildtype=release -Db_ndebug=true -Db_sanitize=none >/dev/null
		fi
		ninja -C "$build" nextcall >/dev/null
	fi
fi

# the streams need descriptors: the soft limit up to the hard one (the driver checks the rest)
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ]; then
	ulimit -n 65536 2>/dev/null || true
else
	ulimit -n "$hard" 2>/dev/null || true
fi

exec python3 "$root/tests/load/load.py" --nextcall "$nc" "${args[@]}"
