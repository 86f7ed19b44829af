#!/usr/bin/env bash
# Browser tests: Playwright (playwright-core from npm) driving Debian's Chromium against the real
# server. Usage: tests/browser/run.sh NEXTCALL_BINARY SOURCE_ROOT
# Installs the locked node modules on the first run; the last line is "N passed, M failed".
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
if [ ! -d node_modules/playwright-core ]; then
	npm ci --no-audit --no-fund >&2
fi
exec node run.mjs "$@"
