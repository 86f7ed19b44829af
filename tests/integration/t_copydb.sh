# t_copydb.sh - "copy-db": the demo team copied from SQLite into the case's fresh database (a
# PostgreSQL database of the test cluster under NEXTCALL_TEST_PG, else another SQLite file), every
# table matching and the CLI answering the same on both; a target that holds a team is refused.

# copydb_source: a SQLite file with the demo team, in $SRC.
copydb_source() {
	SRC="$TMP/copydb-source.db"
	rm -f "$SRC" "$SRC-wal" "$SRC-shm"
	"$NEXTCALL" --db "$SRC" init --demo >/dev/null || fail "setup: init --demo failed"
}

t_copydb_demo() {
	copydb_source
	nc copy-db --from "sqlite:$SRC" --to "$DB"
	expect_rc 0
	expect_out "copied: all 28 tables match"
	expect_out "client_terms"
	grep -q DIFF "$TMP/out" && fail "a table differs"
	local want
	want=$("$NEXTCALL" --db "$SRC" client list --json --limit 500)
	nc client list --json --limit 500
	expect_rc 0
	expect_eq "$OUT" "$want" "client list on the copy"
	want=$("$NEXTCALL" --db "$SRC" agenda --rep anna --json)
	nc agenda --rep anna --json
	expect_eq "$OUT" "$want" "anna's agenda on the copy"
	# new rows continue after the copied ids (the identity sequences on PostgreSQL)
	local max
	max=$(command sqlite3 "$SRC" "select max(id) from clients")
	nc client add --name "После копии" --phone "+14155550199"
	expect_rc 0
	expect_eq "$OUT" "$((max + 1))" "the next client id"
}

t_copydb_refuses_team() {
	setup
	copydb_source
	local before
	before=$(dump)
	nc copy-db --from "sqlite:$SRC" --to "$DB"
	expect_rc 1
	expect_err "is not empty (3 users, 1 clients)"
	expect_eq "$(dump)" "$before" "the target is unchanged"
}

run_case copydb_demo t_copydb_demo
run_case copydb_refuses_team t_copydb_refuses_team
