# t_backup.sh - "nextcall backup" while others write, and "nextcall restore" (SQLite only;
# PostgreSQL teams use pg_dump: the commands say so).

# writers N: N calls logged one after another by separate processes, in the background.
backup_writers() {
	local i
	for i in $(seq 1 "$1"); do
		"$NEXTCALL" --db "$DB" log call --client "$CLIENT" --rep anna --direction in \
			--talk 60 --next call@2026-11-24T10:00 >/dev/null 2>&1 || echo "writer $i failed"
	done
}

t_backup_while_writing() {
	setup
	if [ -n "${NEXTCALL_TEST_PG:-}" ]; then
		nc backup "$TMP/b.db"
		expect_rc 1
		expect_err "pg_dump"
		return
	fi
	local before after inb fails
	before=$(sqlite3 "$DB" "SELECT count(*) FROM calls")
	backup_writers 40 >"$TMP/writers" &
	local wpid=$!
	sleep 0.3
	nc backup "$TMP/b.db"
	expect_rc 0
	expect_out "written to $TMP/b.db"
	wait "$wpid"
	fails=$(cat "$TMP/writers")
	expect_eq "$fails" "" "every writer succeeded while the backup ran"
	after=$(sqlite3 "$DB" "SELECT count(*) FROM calls")
	expect_eq "$after" "$((before + 40))" "calls after the writers"
	expect_eq "$(sqlite3 "$TMP/b.db" "PRAGMA integrity_check")" "ok" "the copy's integrity"
	inb=$(sqlite3 "$TMP/b.db" "SELECT count(*) FROM calls")
	[ "$inb" -ge "$before" ] && [ "$inb" -le "$after" ] ||
		fail "the copy holds $inb calls, not between $before and $after"
	# one snapshot: the copy's rollups equal its own recount, and one planned step per call
	"$NEXTCALL" --db "$TMP/b.db" report verify >"$TMP/out" 2>"$TMP/err" ||
		fail "report verify on the copy: $(cat "$TMP/out" "$TMP/err")"
	expect_eq "$(sqlite3 "$TMP/b.db" "SELECT count(*) FROM next_steps WHERE status =
		'planned' AND client_id = $CLIENT")" 1 "one planned step in the copy"
	# a backup never overwrites a file
	nc backup "$TMP/b.db"
	expect_rc 1
	expect_err "exists"
}

t_restore() {
	setup
	[ -n "${NEXTCALL_TEST_PG:-}" ] && return
	nc log call --client "$CLIENT" --rep anna --direction in --next call@2026-11-24T10:00
	nc backup "$TMP/r.db"
	expect_rc 0
	local want
	want=$(sqlite3 "$TMP/r.db" .dump)
	# into a new machine's empty database
	"$NEXTCALL" --db "$TMP/rnew.db" restore "$TMP/r.db" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	expect_rc 0
	expect_out "restored $TMP/rnew.db from $TMP/r.db"
	expect_eq "$(sqlite3 "$TMP/rnew.db" .dump | grep -v "db.restore")" \
		"$(printf '%s\n' "$want" | grep -v "db.restore")" "the restored database equals the copy"
	# over a database that changed since: it is back as it was
	nc client add --name "После копии" --phone "+14155550199"
	nc restore "$TMP/r.db"
	expect_rc 0
	expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM clients WHERE name = 'После копии'")" 0 \
		"the client added after the backup is gone"
	# refusals change nothing: not a database, not nextcall's, newer than this nextcall
	local keep
	keep=$(dump)
	printf 'name;phone\n' >"$TMP/text.csv"
	nc restore "$TMP/text.csv"
	expect_rc 1
	expect_err "text.csv"
	sqlite3 "$TMP/other.db" "CREATE TABLE t (x); INSERT INTO t VALUES (1);"
	nc restore "$TMP/other.db"
	expect_rc 1
	expect_err "is not a nextcall database"
	cp "$TMP/r.db" "$TMP/rnewer.db"
	sqlite3 "$TMP/rnewer.db" "INSERT INTO schema_migrations (version, name, applied_at)
		VALUES (99, '0099_future.sql', 0)"
	nc restore "$TMP/rnewer.db"
	expect_rc 1
	expect_err "newer nextcall"
	nc restore "$TMP/missing.db"
	expect_rc 1
	expect_err "missing.db"
	expect_eq "$(dump)" "$keep" "the refusals changed nothing"
}

run_case backup_while_writing t_backup_while_writing
run_case restore t_restore
