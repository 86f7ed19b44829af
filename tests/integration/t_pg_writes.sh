# t_pg_writes.sh - concurrent writes over many reps on PostgreSQL, short: bench/pg_writes.py for
# 10 s with 8 HTTP clients over 8 reps (10 clients each, and the demo team's), mixing calls with
# next steps, refusals, missed calls through the PBX webhook, and clients moved between reps and
# to other segments and sources by the head; every write also changes the team's report rows that
# all reps share. The driver checks: no 5xx and no unexpected answer, every call answered 2xx
# stored and no other, owners and categories as the last accepted write left them, no client
# with two planned steps, no deadlock or serialization error the server did not retry, and
# "nextcall report verify" exits 0. bench/pg_writes.sh runs the full length (60 s, 48 clients,
# 40 reps). The PostgreSQL round only (NEXTCALL_TEST_PG=1): SQLite runs one writer at a time.

t_pg_writes_short() {
	python3 "$ROOT/bench/pg_writes.py" --nextcall "$NEXTCALL" --db-url "$DB" --seconds 10 \
		--clients 8 --reps 8 --per-rep 10 --workdir "$TMP" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	expect_rc 0
	expect_out " 0 answers 5xx, 0 unexpected"
	expect_out "report verify exit 0"
	# the load did write: calls were stored, clients moved (the figures line counts them)
	local calls moves
	calls=$(sed -n 's/^# \([0-9]*\) calls stored.*/\1/p' "$TMP/out")
	moves=$(sed -n 's/^#   move: \([0-9]*\),.*/\1/p' "$TMP/out")
	[ "${calls:-0}" -gt 50 ] || fail "only ${calls:-0} calls stored in 10 s"
	[ "${moves:-0}" -gt 5 ] || fail "only ${moves:-0} clients moved in 10 s"
}

if [ -n "${NEXTCALL_TEST_PG:-}" ]; then
	run_case pg_writes_short t_pg_writes_short
elif [ -z "${NC_ONLY:-}" ] || [[ pg_writes_short =~ $NC_ONLY ]]; then
	echo "ok - pg_writes_short # skip: PostgreSQL only (NEXTCALL_TEST_PG=1)"
fi
