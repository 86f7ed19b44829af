# t_gen.sh - nc-gen (bench/gen.c), the benchmarks' data generator, next to the nextcall binary
# in the build directory: a small team loaded through its bulk path (indexes dropped and rebuilt,
# CHECK constraints on) must be a database nextcall itself finds right (report verify: the
# rollups and the pool counts; the constraints), and the same seed must give the same rows.
NC_GEN="$(dirname "$NEXTCALL")/bench/nc-gen"

# gen_tables DB: the generated rows that the seed decides (the clocks come from NEXTCALL_NOW,
# fixed by run.sh), as one checksum per table; the users without their password hashes, whose
# salts are random
gen_tables() {
	local t
	printf 'users %s\n' "$(sqlite3 "$1" "SELECT id, login, name, role, timezone, extension
		FROM users ORDER BY id" | md5sum | cut -c1-32)"
	for t in clients phones calls next_steps deals script_runs; do
		printf '%s %s\n' "$t" "$(sqlite3 "$1" "SELECT * FROM $t ORDER BY id" | md5sum | cut -c1-32)"
	done
}

t_gen() {
	[ -x "$NC_GEN" ] || { fail "no nc-gen next to $NEXTCALL"; return; }
	nc init
	expect_rc 0
	"$NC_GEN" --db "$DB" --clients 2000 --calls 20000 --seed 7 >"$TMP/out" 2>"$TMP/err"
	RC=$?
	expect_rc 0
	expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM clients")" 2000 "clients generated"
	expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM calls")" 20000 "calls generated"
	nc report verify
	expect_rc 0
	expect_out "0 differences"
	if [ -z "${NEXTCALL_TEST_PG:-}" ]; then
		expect_eq "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok "integrity_check"
		expect_eq "$(sqlite3 "$DB" "PRAGMA foreign_key_check")" "" "foreign_key_check"
		# a row a CHECK refuses stays refused after the load rebuilt the schema objects
		sqlite3 "$DB" "INSERT INTO calls (client_id, kind, started_at, outcome, created_at)
			VALUES (1, 'call', 0, 'bogus', 0)" 2>"$TMP/err" &&
			fail "a bad outcome was accepted after nc-gen"
	fi
	# a team working its plan: the planned steps spread over the days ahead, no day of the
	# next week holding more than twice the mean of the next two weeks (weekends included).
	# The step drawn within the cadence after an even last contact piled them on the next
	# days, ~4x the mean on the first.
	local now day n counts="" max=0 sum=0
	now=$(date -u -d "$NEXTCALL_NOW" +%s)
	for day in $(seq 1 14); do
		n=$(sqlite3 "$DB" "SELECT count(*) FROM next_steps WHERE status = 'planned'
			AND due_at >= $((now + day * 86400)) AND due_at < $((now + (day + 1) * 86400))")
		counts="$counts $n"
		sum=$((sum + n))
		[ "$day" -le 7 ] && [ "$n" -gt "$max" ] && max=$n
	done
	[ "$sum" -gt 0 ] && [ $((max * 14)) -le $((2 * sum)) ] ||
		fail "planned steps a day over the next 14 days:$counts"
	# the same seed, the same rows (SQLite: the second database is a file next to the first)
	if [ -z "${NEXTCALL_TEST_PG:-}" ]; then
		local db2="$TMP/gen2.db"
		rm -f "$db2" "$db2-wal" "$db2-shm"
		"$NEXTCALL" --db "$db2" init >/dev/null 2>&1 || fail "init of the second database"
		"$NC_GEN" --db "$db2" --clients 2000 --calls 20000 --seed 7 >/dev/null 2>"$TMP/err" ||
			fail "the second nc-gen run"
		expect_eq "$(gen_tables "$db2")" "$(gen_tables "$DB")" "the same seed's rows"
		rm -f "$db2" "$db2-wal" "$db2-shm"
	fi
}
run_case gen t_gen
