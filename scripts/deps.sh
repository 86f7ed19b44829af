#!/usr/bin/env bash
# Installs the Debian packages nextcall needs to build, run and test. Idempotent: installs only
# what is missing. Usage: scripts/deps.sh [run|test]   (run: build + runtime; test: also test tools)
set -eu
mode=${1:-run}
pkgs="build-essential pkg-config meson ninja-build gettext
  libsqlite3-dev sqlite3 libpq-dev libmicrohttpd-dev libjansson-dev libfyaml-dev libsodium-dev
  libphonenumber-dev libprotobuf-dev libicu-dev libxlsxwriter-dev libical-dev"
if [ "$mode" = test ]; then
  pkgs="$pkgs libcmocka-dev postgresql clang libclang-rt-14-dev valgrind chromium curl wrk
    libreoffice-calc-nogui"
  command -v npm >/dev/null 2>&1 || pkgs="$pkgs nodejs npm"
fi
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
