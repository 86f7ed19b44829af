#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for SECONDS over its seed
# corpus in tests/fuzz/corpus/NAME. Prints "N passed, N failed" (one per target).
# usage: scripts/fuzz.sh [SECONDS] [BUILD_DIR]
set -u
secs=${1:-20}
build=${2:-build-fuzz}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -f "$build/build.ninja" ]; then
	CC=clang CXX=clang++ meson setup "$build" --buildtype=debugoptimized -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null || exit 1
fi
ninja -C "$build" >/dev/null || exit 1
passed=0 failed=0
for exe in "$build"/tests/fuzz_*; do
	[ -f "$exe" ] && [ -x "$exe" ] || continue
	name=${exe##*/fuzz_}
	work=$(mktemp -d)
	cp -r "tests/fuzz/corpus/$name/." "$work/" 2>/dev/null
	if "$exe" -max_total_time="$secs" -rss_limit_mb=1024 -timeout=10 "$work" \
		>"$work.log" 2>&1; then
		passed=$((passed + 1))
		echo "ok - fuzz $name: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$work.log")"
	else
		failed=$((failed + 1))
		echo "not ok - fuzz $name"
		tail -40 "$work.log"
	fi
	rm -rf "$work" "$work.log"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
