#!/usr/bin/env bash
# Builds nextcall with -Werror under AddressSanitizer + UndefinedBehaviorSanitizer and runs every
# test suite; ends with one line "N passed, N failed" over all suites.
set -u
build=${1:-build-test}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" --buildtype=debug -Dwerror=true -Db_sanitize=address,undefined \
		-Db_lundef=false || exit 1
fi
ninja -C "$build" || exit 1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
meson test -C "$build" --print-errorlogs --num-processes 2
status=$?
# the database suites a second time on PostgreSQL: each starts its own private cluster
# (scripts/pg.sh) when NEXTCALL_TEST_PG is set; the log goes to meson-logs/testlog-pg.json
logs=("$build/meson-logs/testlog.json")
if [ -x "$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)/initdb" ]; then
	NEXTCALL_TEST_PG=1 meson test -C "$build" --print-errorlogs --no-rebuild --logbase testlog-pg \
		--suite integration --suite http --suite multi --suite crash || status=1
	logs+=("$build/meson-logs/testlog-pg.json")
else
	echo "test.sh: PostgreSQL server not installed: the PostgreSQL runs are skipped" >&2
fi
# the fuzz targets, 60 s each, two at a time (longer runs: scripts/fuzz.sh 600)
fuzz_line="0 passed, 0 failed"
if command -v clang >/dev/null; then
	scripts/fuzz.sh "${FUZZ_SECONDS:-60}" >"$build/fuzz.log" 2>&1 || status=1
	cat "$build/fuzz.log"
	fuzz_line=$(tail -1 "$build/fuzz.log")
fi
export FUZZ_LINE=$fuzz_line
# one closing line over all suites, from meson's machine-readable log
python3 - "${logs[@]}" <<'PY'
import json, sys
passed = failed = skipped = 0
for line in (ln for path in sys.argv[1:] for ln in open(path)):
    r = json.loads(line)
    # suites that count their own cases print "N passed, N failed" as their last line
    counted = None
    text = (r.get("stdout") or "") + "\n" + (r.get("stderr") or "")
    # cmocka: "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)..."
    cp = [int(l.split("]")[1].split()[0]) for l in text.splitlines() if l.startswith("[  PASSED  ]")]
    cf = [int(l.split("]")[1].split()[0]) for l in text.splitlines() if l.startswith("[  FAILED  ]") and "test(s)" in l]
    if cp or cf:
        counted = (sum(cp), sum(cf))
    for out in text.splitlines()[::-1]:
        if counted:
            break
        parts = out.replace(",", "").split()
        if len(parts) == 4 and parts[1] == "passed" and parts[3] == "failed":
            counted = (int(parts[0]), int(parts[2]))
            break
    if r["result"] == "SKIP":
        skipped += 1
    elif counted:
        passed += counted[0]; failed += counted[1] + (0 if r["result"] == "OK" or counted[1] else 1)
    elif r["result"] == "OK":
        passed += 1
    else:
        failed += 1
import os
fp = os.environ.get("FUZZ_LINE", "0 passed, 0 failed").replace(",", "").split()
if len(fp) == 4 and fp[1] == "passed":
    passed += int(fp[0]); failed += int(fp[2])
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
exit $status
