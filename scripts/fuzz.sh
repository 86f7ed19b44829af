#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan, every library instrumented for coverage)
# and runs each for SECONDS over its seed corpus in tests/fuzz/corpus/NAME, JOBS targets at a time
# (FUZZ_JOBS, default 2: the CI machine has 2 cores), so the whole takes about
# targets / JOBS * SECONDS. Prints one "ok - fuzz NAME: Done N runs in S second(s)" line per
# target (a failing one with the end of its log) and "N passed, N failed".
# usage: scripts/fuzz.sh [SECONDS] [BUILD_DIR]
set -u
secs=${1:-20}
build=${2:-build-fuzz}
jobs=${FUZZ_JOBS:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -f "$build/build.ninja" ]; then
	CC=clang CXX=clang++ meson setup "$build" --buildtype=debugoptimized -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null || exit 1
fi
ninja -C "$build" >/dev/null || exit 1
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# run_target NAME EXE: one run in a scratch copy of the corpus (crash files land there too);
# leaves NAME.ok or NAME.fail (the end of the log) in $results.
run_target() {
	local name=$1 exe=$2 work
	work=$(mktemp -d)
	cp -r "tests/fuzz/corpus/$name/." "$work/" 2>/dev/null
	if (cd "$work" && "$exe" -max_total_time="$secs" -rss_limit_mb=1024 -timeout=10 \
		-artifact_prefix="$work/" "$work" >"$work.log" 2>&1); then
		grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$work.log" >"$results/$name.ok"
	else
		tail -40 "$work.log" >"$results/$name.fail"
	fi
	rm -rf "$work" "$work.log"
}

names=()
for exe in "$build"/tests/fuzz_*; do
	[ -f "$exe" ] && [ -x "$exe" ] || continue
	name=${exe##*/fuzz_}
	names+=("$name")
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	run_target "$name" "$root/$exe" &
done
wait

passed=0 failed=0
for name in "${names[@]}"; do
	if [ -f "$results/$name.ok" ]; then
		passed=$((passed + 1))
		echo "ok - fuzz $name: $(cat "$results/$name.ok")"
	else
		failed=$((failed + 1))
		echo "not ok - fuzz $name"
		cat "$results/$name.fail" 2>/dev/null
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
