#!/usr/bin/env bash
# pg.sh - a throwaway PostgreSQL cluster for the tests: initdb into DIR, listen only on a unix
# socket there, create database DB (default nextcall); "stop" removes DIR's cluster again.
# usage: pg.sh start DIR [DB]   (prints the connection URL)
#        pg.sh stop DIR
#        pg.sh createdb DIR DB  (another database in a running cluster; prints its URL)
#        pg.sh dropdb DIR DB
# PostgreSQL refuses to run as root: as root, the cluster runs as user "nobody".
set -eu
bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bindir/initdb" ] || { echo "pg.sh: no PostgreSQL server found (apt install postgresql)" >&2; exit 1; }

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u nobody -- "$@"
	else
		"$@"
	fi
}

url() {
	echo "postgres://postgres@/$2?host=$1"
}

psql_do() { # DIR SQL
	as_owner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$1" -d postgres -c "$2" >/dev/null
}

cmd=${1:-}
dir=${2:-}
[ -n "$dir" ] || { echo "usage: pg.sh start|stop|createdb|dropdb DIR [DB]" >&2; exit 2; }
case $cmd in
start)
	db=${3:-nextcall}
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	if [ "$(id -u)" = 0 ]; then
		chown nobody "$dir"
		# nobody must reach DIR: open the search bit of a private parent (e.g. mktemp -d)
		runuser -u nobody -- test -x "$dir" || chmod o+x "$(dirname "$dir")"
	fi
	as_owner "$bindir/initdb" -D "$dir/data" -A trust -E UTF8 --locale=C -U postgres \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
		-o "-k $dir -h '' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start || { cat "$dir/server.log" >&2; exit 1; }
	as_owner "$bindir/createdb" -h "$dir" -U postgres "$db"
	url "$dir" "$db"
	;;
createdb)
	db=${3:?database name}
	as_owner "$bindir/createdb" -h "$dir" -U postgres "$db"
	url "$dir" "$db"
	;;
dropdb)
	db=${3:?database name}
	as_owner "$bindir/dropdb" -h "$dir" -U postgres --if-exists "$db"
	;;
stop)
	dir=$(cd "$dir" 2>/dev/null && pwd) || exit 0
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -s stop
	fi
	rm -rf "$dir/data" "$dir/initdb.log" "$dir/server.log"
	rmdir "$dir" 2>/dev/null || true
	;;
*)
	echo "usage: pg.sh start|stop|createdb|dropdb DIR [DB]" >&2
	exit 2
	;;
esac
