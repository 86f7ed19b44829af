# lib.sh - helpers for the integration tests: run nextcall against a private database, check exit
# codes and output, count results. Sourced by run.sh.
NC_FAILED=0
NC_PASSED=0
NC_CURRENT=""

# nc ARGS...: runs nextcall on $DB, stdout to $OUT, stderr to $ERR, exit code to $RC.
nc() {
	"$NEXTCALL" --db "$DB" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

fail() {
	echo "  FAIL [$NC_CURRENT]: $*" >&2
	echo "    exit $RC; stdout: $(head -c 600 "$TMP/out")" >&2
	echo "    stderr: $(head -c 600 "$TMP/err")" >&2
	NC_CASE_FAILED=1
}

expect_rc() { [ "$RC" = "$1" ] || fail "expected exit $1, got $RC"; }
expect_out() { grep -qF -- "$1" "$TMP/out" || fail "stdout lacks: $1"; }
expect_err() { grep -qF -- "$1" "$TMP/err" || fail "stderr lacks: $1"; }
expect_eq() { [ "$1" = "$2" ] || fail "expected '$2', got '$1' ($3)"; }

# json EXPR: evaluates a Python expression over the JSON in $OUT bound to j.
json() { printf '%s' "$OUT" | python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"; }

# dump: a textual dump of the database, to prove that a refused input changed nothing.
dump() { sqlite3 "$DB" .dump; }

# run_case NAME FUNCTION: runs one test case with a fresh database.
run_case() {
	# NC_ONLY (a regular expression) runs only the matching cases, while developing
	[ -n "${NC_ONLY:-}" ] && ! [[ $1 =~ $NC_ONLY ]] && return
	NC_CURRENT=$1
	NC_CASE_FAILED=0
	DB="$TMP/$1.db"
	rm -f "$DB" "$DB-wal" "$DB-shm"
	"$2"
	if [ "$NC_CASE_FAILED" = 0 ]; then
		NC_PASSED=$((NC_PASSED + 1))
		echo "ok - $1"
	else
		NC_FAILED=$((NC_FAILED + 1))
		echo "not ok - $1"
	fi
}

# serve_bg: "nextcall serve" on $DB in the background, on a free port of the loopback, its log in
# $TMP/serve.log; SERVE_PID its pid, SERVE_BASE the API's URL (.../api/v1), ready when it returns.
serve_bg() {
	local port i
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	SERVE_BASE="http://127.0.0.1:$port/api/v1"
	"$NEXTCALL" --db "$DB" serve --listen "127.0.0.1:$port" >"$TMP/serve.log" 2>&1 &
	SERVE_PID=$!
	for i in $(seq 1 100); do
		curl -s -o /dev/null "$SERVE_BASE/openapi.json" && break
		sleep 0.1
	done
}

# undo_0016: takes migration 0016 (the planned steps' copies of their client's name and first
# phone: two columns of next_steps, their triggers, on SQLite the agenda's index that holds them)
# off $DB, as if the database had been written before it; "nextcall init" then runs it again.
# The index goes with it on SQLite (0016 builds it again; 0015, when run again, too), and the
# triggers of 0023, which read the copies for the steps' lines (0023, run again, makes them).
undo_0016() {
	if [ -n "${NEXTCALL_TEST_PG:-}" ]; then
		sqlite3 "$DB" "DROP TRIGGER next_steps_line ON next_steps; DROP TRIGGER
			next_steps_copies ON next_steps; DROP TRIGGER clients_name_steps ON clients; DROP FUNCTION next_steps_copies();
			DROP FUNCTION clients_name_steps(); ALTER TABLE next_steps DROP COLUMN
			client_name, DROP COLUMN client_phone;
			DELETE FROM schema_migrations WHERE version >= 16"
	else
		sqlite3 "$DB" "DROP TRIGGER next_steps_line_insert; DROP TRIGGER
			next_steps_line_update; DROP TRIGGER next_steps_copies_insert; DROP TRIGGER
			next_steps_copies_update; DROP TRIGGER clients_name_steps;
			DROP INDEX next_steps_planned; ALTER TABLE next_steps DROP COLUMN client_name;
			ALTER TABLE next_steps DROP COLUMN client_phone;
			DELETE FROM schema_migrations WHERE version >= 16"
	fi
}

# undo_0012: takes migrations 0012 (client_pool, its triggers) and 0013 (which dropped the insert
# trigger) off $DB, as if the database had been written before them (and 0016, which cannot run
# twice); "nextcall init" then runs them again (and 0014, which finds the CHECKs' texts rewritten
# already, and 0015).
undo_0012() {
	undo_0016
	if [ -n "${NEXTCALL_TEST_PG:-}" ]; then
		sqlite3 "$DB" "DROP TRIGGER client_pool_delete ON clients; DROP TRIGGER
			client_pool_update ON clients; DROP FUNCTION client_pool_trigger();
			DROP TABLE client_pool; DELETE FROM schema_migrations WHERE version >= 12"
	else
		sqlite3 "$DB" "DROP TRIGGER client_pool_delete; DROP TRIGGER client_pool_update;
			DROP TABLE client_pool; DELETE FROM schema_migrations WHERE version >= 12"
	fi
}
