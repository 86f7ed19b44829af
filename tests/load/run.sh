#!/usr/bin/env bash
# tests/load/run.sh - the "load" suite: tests/load/load.py for 20 s (NC_LOAD_DURATION) against
# the build's nextcall: 1 000 event streams over 50 reps, 64 clients of mixed reads and writes.
# Fails on any failed request, a dropped or deaf stream, a missing or misdirected event, memory
# growing from the middle to the last third of the run beyond the ASan margin, p99 >= 10 x p50,
# or an unclean stop. Skipped (77) when the file descriptor limit cannot be raised high enough.
# usage: run.sh NEXTCALL SOURCE_ROOT
set -euo pipefail

nextcall=$1
root=$2
streams=${NC_LOAD_STREAMS:-1000}
need=$((streams + 64 + 64))

# 1 000 streams need as many descriptors in this process and in the server: raise the soft
# limit up to the hard one
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ]; then
	ulimit -n 65536 2>/dev/null || true
elif [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$hard" ]; then
	ulimit -n "$hard" 2>/dev/null || true
fi
soft=$(ulimit -n)
if [ "$soft" != unlimited ] && [ "$soft" -lt "$need" ]; then
	echo "load: SKIP: $streams event streams need $need file descriptors; the limit is $soft" \
		"(hard $hard): raise it (ulimit -Hn, LimitNOFILE=) to run this test" >&2
	exit 77
fi

# ASan holds freed memory in a quarantine (256 MiB by default) that would fill through the
# whole run and read as growth: keep it small so that the RSS reaches its plateau in the warm-up
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16"

exec python3 "$root/tests/load/load.py" --nextcall "$nextcall" \
	--duration "${NC_LOAD_DURATION:-20}" --streams "$streams" --clients 64 --reps 50 \
	--rss-margin-pct 6 --rss-margin-mib 8 \
	--title "Load test (CI): $streams event streams + 64 clients, ${NC_LOAD_DURATION:-20} s"
