# t_checks.sh - migration 0014: on SQLite the CHECK constraints of three or more constants are
# comparisons joined by OR instead of IN lists (rewritten in sqlite_schema, the tables not
# rebuilt); they still refuse what they refused, on a fresh database and on one written before
# 0014 and then migrated. PostgreSQL keeps its IN lists (0014 does nothing there): the same
# writes are refused and accepted.

# the texts 0001 and 0005 wrote, none of which may be left on SQLite after 0014
CHECK_OLD=("role IN (" "locale IN (" "category IN (" "result IN (" "outcome IN (" "kind IN ('meeting'"
	"status IN (" "stage IN (" "type IN (" "auto IN (")

# checks_refused WHAT SQL: a hand-made write the constraints must refuse (the error names a CHECK)
checks_refused() {
	local out
	if out=$(sqlite3 "$DB" "$2" 2>&1); then
		fail "$1 was accepted"
	else
		grep -qi "check constraint" <<<"$out" || fail "$1: not a CHECK's refusal: $out"
	fi
}

checks_accepted() {
	local out
	out=$(sqlite3 "$DB" "$2" 2>&1) || fail "$1 was refused: $out"
}

# checks_all WHAT: the writes of every rewritten constraint, through the product and by hand
checks_all() {
	local client=$CLIENT text
	nc log call --client "$CLIENT" --rep anna --direction out --purpose "Замер" --result min \
		--talk 60 --next visit@2026-11-24T10:00
	expect_rc 0
	checks_refused "users.role ($1)" "INSERT INTO users (login, name, role, created_at) VALUES
		('boss', 'B', 'boss', 0)"
	checks_refused "users.locale ($1)" "INSERT INTO users (login, name, role, locale, created_at)
		VALUES ('de', 'D', 'rep', 'de', 0)"
	checks_refused "clients.category ($1)" "INSERT INTO clients (name, category, category_at,
		created_at, updated_at) VALUES ('c', 'maybe', 0, 0, 0)"
	checks_refused "calls.outcome ($1)" "INSERT INTO calls (client_id, kind, started_at, outcome,
		created_at) VALUES ($client, 'call', 0, 'bogus', 0)"
	checks_refused "calls.result ($1)" "INSERT INTO calls (client_id, kind, started_at, result,
		created_at) VALUES ($client, 'call', 0, 'most', 0)"
	checks_refused "calls.outcome updated ($1)" "UPDATE calls SET outcome = 'Sale'"
	checks_refused "next_steps.kind ($1)" "INSERT INTO next_steps (client_id, kind, due_at,
		created_at) VALUES ($client, 'lunch', 0, 0)"
	checks_refused "next_steps.status ($1)" "INSERT INTO next_steps (client_id, kind, due_at,
		status, created_at) VALUES ($client, 'call', 0, 'x', 0)"
	checks_refused "deals.stage ($1)" "INSERT INTO deals (client_id, amount, stage, created_at,
		updated_at) VALUES ($client, 5, 'closed', 0, 0)"
	checks_refused "client_fields.type ($1)" "INSERT INTO client_fields (client_id, field, value,
		type, updated_at) VALUES ($client, 'f', 'v', 'date', 0)"
	checks_accepted "good values ($1)" "INSERT INTO calls (client_id, kind, started_at, result,
		outcome, created_at) VALUES ($client, 'meeting', 0, 'none', 'refused', 0);
		INSERT INTO next_steps (client_id, kind, due_at, status, created_at) VALUES
		($client, 'decision', 0, 'cancelled', 0);
		INSERT INTO deals (client_id, amount, stage, created_at, updated_at) VALUES
		($client, 5, 'pending', 0, 0)"
	[ -n "${NEXTCALL_TEST_PG:-}" ] && return
	for text in "${CHECK_OLD[@]}"; do
		[ "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_schema WHERE instr(sql, '${text//\'/\'\'}')")" = 0 ] ||
			fail "the text \"$text\" is still in the schema ($1)"
	done
	expect_eq "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok "integrity_check ($1)"
}

t_checks_fresh() {
	setup
	expect_eq "$(sqlite3 "$DB" "SELECT max(version) FROM schema_migrations")" \
		"$(ls "$ROOT"/src/store/migrations/*.sql | wc -l)" "schema version"
	checks_all "fresh database"
}
run_case checks_fresh t_checks_fresh

# a database written before 0014 (its texts put back as 0001 and 0005 wrote them, from the
# migration's own list) is migrated by "nextcall init", rows and all
t_checks_migrated() {
	[ -n "${NEXTCALL_TEST_PG:-}" ] && return # nothing to migrate there
	setup
	nc log call --client "$CLIENT" --rep anna --direction in --result max --talk 30 \
		--next call@2026-11-23T16:00
	expect_rc 0
	undo_0016 # which cannot run twice
	python3 - "$DB" "$ROOT/src/store/migrations/0014_check_lists.sql" <<'EOF' ||
import sqlite3, sys
db, mig = sys.argv[1:]
body = open(mig).read().split("-- @sqlite\n")[1].split("-- @end")[0]
mem = sqlite3.connect(":memory:")
mem.executescript(body.replace("CREATE TEMP TABLE", "CREATE TABLE"))
con = sqlite3.connect(db, isolation_level=None)
con.execute("BEGIN")
version = con.execute("PRAGMA schema_version").fetchone()[0]
con.execute("PRAGMA writable_schema = ON")
for tbl, old, new in mem.execute("SELECT tbl, old, new FROM schema_rewrite"):
    (sql,) = con.execute("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?",
                         (tbl,)).fetchone()
    assert sql.count(new) == 1, (tbl, new)
    con.execute("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?",
                (sql.replace(new, old), tbl))
con.execute("PRAGMA schema_version = %d" % (version + 1))
con.execute("PRAGMA writable_schema = RESET")
con.execute("DELETE FROM schema_migrations WHERE version >= 14")
con.execute("COMMIT")
EOF
		fail "putting the texts of schema 13 back"
	expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_schema WHERE instr(sql,
		'outcome IN (''next_step'', ''sale''')")" 1 "schema 13's text back"
	nc init
	expect_rc 0
	expect_out "10 migrations applied" # and 0015, which may run again, 0016 to 0023
	checks_all "migrated database"
	expect_eq "$(sqlite3 "$DB" "SELECT group_concat(outcome || '/' || coalesce(result, '-'), ' ')
		FROM (SELECT * FROM calls ORDER BY id)")" "next_step/max next_step/min refused/none" \
		"the calls of before and after the migration"
}
run_case checks_migrated t_checks_migrated
