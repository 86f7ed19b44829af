# t_hours.sh - the reps' calls per hour (rep_call_hours, migration 0020), which the agenda's "calls
# today" reads: kept by the store for an inserted call (one row per rep and hour per transaction)
# and by triggers on calls for a deleted or moved one. Checked against a fresh count(*) of the
# calls in the agenda's own day, for reps in zones off the hour (Kolkata +05:30, Kathmandu +05:45)
# and on it (Moscow), after every kind of write: calls logged at any minute, CDR files imported
# (and a dry run, rolled back), calls deleted, hand-made statements moving calls to another rep
# or time or to no rep; then a stored count gone wrong, a hand-made insert, the migration's fill
# of a database that had calls before it, and copy-db both ways.

# hr_count LOGIN START END: count(*) of LOGIN's calls started in [START, END).
hr_count() {
	local sql="SELECT count(*) FROM calls WHERE rep_id = (SELECT id FROM users WHERE login =
		'$1') AND started_at >= $2 AND started_at < $3"
	case $DB in
	postgres:*) sqlite3 "$DB" "$sql" ;;
	*) command sqlite3 "$DB" "$sql" ;;
	esac
}

# The test's span: the five days before the tests' today (NEXTCALL_NOW, run.sh), as a call must not
# be in the future; the first day's start as a time.
HR_DAYS=()
for k in 5 4 3 2 1; do HR_DAYS+=("$(date -u -d "$(date -u -d "$NEXTCALL_NOW" +%F) -$k days" +%F)"); done
HR_FROM=$(date -u -d "${HR_DAYS[0]}" +%s)

# hr_check WHAT: the agenda's calls_today of each rep on each day of the test's span equals the
# count of his calls in the agenda's [day_start, day_end), and "report verify" finds no call hour
# different (a hand-made statement moving calls leaves the rollups stale: not checked here).
hr_check() {
	local login d got start end want
	for login in anna oleg mike; do
		for d in "${HR_DAYS[@]}"; do
			nc agenda --rep "$login" --date "$d" --json
			[ "$RC" = 0 ] || {
				fail "agenda of $login on $d after $1"
				return
			}
			read -r got start end < <(json 'j["counters"]["calls_today"], j["day_start"], j["day_end"]')
			want=$(hr_count "$login" "$(date -d "$start" +%s)" "$(date -d "$end" +%s)")
			expect_eq "$got" "$want" "calls of $login on $d ($start) after $1"
		done
	done
	nc report verify
	case $OUT in
	*"match the raw rows: 0 differences"* | *", 0 call hours)"*) ;;
	*) fail "report verify after $1: $OUT" ;;
	esac
}

# hr_team: the demo team, with anna in Kolkata and oleg in Kathmandu.
hr_team() {
	nc init --demo
	expect_rc 0
	nc user set anna --timezone Asia/Kolkata
	expect_rc 0
	nc user set oleg --timezone Asia/Kathmandu
	expect_rc 0
}

# hr_when: a random time of the test's span, at a minute near the marks a day off the hour starts
# at.
hr_when() {
	local mins=(00 14 15 16 29 30 31 44 45 46 59)
	printf '%s %02d:%s' "${HR_DAYS[RANDOM % 5]}" $((RANDOM % 24)) "${mins[RANDOM % 11]}"
}

# hr_cdr FILE N: N Master.csv records (columns of Asterisk's cdr_csv) at random times, from the
# demo reps' extensions 201-203 or from 299, which is nobody's.
hr_cdr() {
	local i ext start s exts=(201 202 203 299)
	: >"$1"
	for i in $(seq 1 "$2"); do
		HR_SEQ=$((HR_SEQ + 1))
		ext=${exts[RANDOM % 4]}
		start="$(hr_when):$(printf %02d $((RANDOM % 60)))"
		s=$(date -u -d "$start" +%s)
		printf '"","%s","8915%07d","from-internal","""rep"" <%s>","PJSIP/%s-%08d","PJSIP/trunk-%08d","Dial","PJSIP/trunk/8915%07d,60","%s","%s","%s",%d,%d,"ANSWERED","DOCUMENTATION","hr.%d",""\n' \
			"$ext" "$HR_SEQ" "$ext" "$ext" "$HR_SEQ" "$HR_SEQ" "$HR_SEQ" "$start" \
			"$(date -u -d "@$((s + 5))" '+%Y-%m-%d %H:%M:%S')" \
			"$(date -u -d "@$((s + 65))" '+%Y-%m-%d %H:%M:%S')" 65 60 "$HR_SEQ" >>"$1"
	done
}

t_hours_random() {
	hr_team
	hr_check "the demo"
	RANDOM=20
	HR_SEQ=0
	local reps=(anna oleg mike) n op c login id
	local logged=0 imported=0 dry=0 deleted=0 moved=0
	for n in $(seq 1 150); do
		op=$((RANDOM % 20))
		login=${reps[RANDOM % 3]}
		if [ "$op" -lt 9 ]; then
			c=$(sqlite3 "$DB" "SELECT id FROM clients ORDER BY id LIMIT 1 OFFSET $((RANDOM % 40))")
			nc log call --client "$c" --rep "$login" --direction out --purpose "Замер" \
				--result min --talk 60 --at "$(hr_when)" --next "call@$(date -u -d "$(date -u -d "$NEXTCALL_NOW" +%F) +7 days" +%F)T10:00"
			[ "$RC" = 0 ] || fail "log call: $ERR"
			logged=$((logged + 1))
		elif [ "$op" -lt 12 ]; then
			hr_cdr "$TMP/hr.csv" $((1 + RANDOM % 8))
			if [ "$op" = 11 ]; then
				nc import cdr "$TMP/hr.csv" --dry-run
				dry=$((dry + 1))
			else
				nc import cdr "$TMP/hr.csv"
				imported=$((imported + 1))
			fi
			[ "$RC" = 0 ] || fail "import cdr: $ERR"
		elif [ "$op" -lt 15 ]; then
			id=$(sqlite3 "$DB" "SELECT id FROM calls ORDER BY id DESC LIMIT 1 OFFSET $((RANDOM % 30))")
			nc call delete "$id"
			[ "$RC" = 0 ] && deleted=$((deleted + 1))
		else
			# by hand: one statement moving calls to another rep, time or to no rep, and
			# calls without a rep to one
			local set="rep_id = (SELECT id FROM users WHERE login = '$login')"
			case $((RANDOM % 4)) in
			0) set="started_at = started_at + $((RANDOM % 7200 - 3600))" ;;
			1) set="$set, started_at = started_at - 1800" ;;
			2) set="rep_id = NULL" ;;
			esac
			sqlite3 "$DB" "UPDATE calls SET $set WHERE id IN (SELECT id FROM calls WHERE
				started_at >= $HR_FROM ORDER BY id DESC LIMIT $((1 + RANDOM % 4))
				OFFSET $((RANDOM % 20)))" >/dev/null
			sqlite3 "$DB" "UPDATE calls SET rep_id = (SELECT id FROM users WHERE login =
				'$login') WHERE id = (SELECT max(id) FROM calls WHERE rep_id IS NULL)" >/dev/null
			moved=$((moved + 1))
		fi
		[ $((n % 30)) = 0 ] && hr_check "$n random writes"
	done
	[ "$logged" -gt 40 ] && [ "$imported" -gt 5 ] && [ "$dry" -gt 0 ] && [ "$deleted" -gt 10 ] &&
		[ "$moved" -gt 10 ] ||
		fail "too few writes of a kind: $logged logged, $imported imports, $dry dry runs, $deleted deleted, $moved by hand"
	# the days off the hour had calls in their part hours (the edges counted from calls)
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM calls WHERE rep_id = (SELECT id FROM users WHERE
		login = 'anna') AND started_at % 3600 >= 1800 AND started_at >= $HR_FROM")" -gt 5 ] ||
		fail "too few of anna's calls in the second half of an hour"
	hr_check "the random writes"
	# the rollups the hand-made moves left stale are mended first
	nc report verify --fix
	expect_rc 0
	expect_out " 0 call hours)"
	# stored counts gone wrong are found, and --fix mends them
	sqlite3 "$DB" "UPDATE rep_call_hours SET n = n + 3 WHERE (rep_id, hour) = (SELECT rep_id,
		hour FROM rep_call_hours ORDER BY hour DESC LIMIT 1); DELETE FROM rep_call_hours WHERE
		(rep_id, hour) = (SELECT rep_id, hour FROM rep_call_hours WHERE n > 0 ORDER BY hour
		LIMIT 1)" >/dev/null
	nc report verify
	expect_rc 1
	expect_out "2 differences (0 rollup cells, 0 pool counts, 0 step copies, 0 script counts, 2 call hours)"
	nc report verify --fix
	expect_rc 0
	expect_out "2 differences found and fixed (0 rollup cells, 0 pool counts, 0 step copies, 0 script counts, 2 call hours)"
	hr_check "report verify --fix"
	# a call inserted by hand is not counted (no insert trigger): verify finds its hour, --fix
	# counts it
	sqlite3 "$DB" "INSERT INTO calls (client_id, rep_id, kind, direction, started_at,
		created_at) VALUES ((SELECT min(id) FROM clients), (SELECT id FROM users WHERE login =
		'mike'), 'call', 'out', $((HR_FROM + 108000)), $((HR_FROM + 108000)))" >/dev/null
	nc report verify
	expect_rc 1
	expect_out ", 1 call hours)" # and the rollup cells of its day, which no store write made
	nc report verify --fix
	expect_rc 0
	hr_check "a hand-made insert and report verify --fix"
}
run_case hours_random t_hours_random

# A database that had calls before 0020: the migration counts them, with its two triggers.
t_hours_migration_fill() {
	hr_team
	RANDOM=7
	HR_SEQ=100
	hr_cdr "$TMP/hr.csv" 12
	nc import cdr "$TMP/hr.csv"
	expect_rc 0
	sqlite3 "$DB" "DROP TABLE rep_call_hours; DROP TRIGGER rep_call_hours_delete$([ -n \
		"${NEXTCALL_TEST_PG:-}" ] && echo " ON calls"); DROP TRIGGER rep_call_hours_update$([ \
		-n "${NEXTCALL_TEST_PG:-}" ] && echo " ON calls"); DELETE FROM schema_migrations WHERE
		version >= 20" >/dev/null
	nc agenda --json
	expect_rc 1
	expect_err "nextcall init"
	nc init
	expect_rc 0
	expect_out "(4 migrations applied)" # 0020 to 0023, which may run again
	[ "$(sqlite3 "$DB" "SELECT sum(n) FROM rep_call_hours")" = \
		"$(sqlite3 "$DB" "SELECT count(*) FROM calls WHERE rep_id IS NOT NULL")" ] ||
		fail "the fill missed calls"
	local catalog="sqlite_master WHERE type = 'trigger' AND name"
	[ -n "${NEXTCALL_TEST_PG:-}" ] && catalog="pg_trigger WHERE tgname"
	expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM $catalog IN ('rep_call_hours_delete',
		'rep_call_hours_update')")" 2 "the triggers of 0020"
	hr_check "the migration"
	# run again (as the tests of older migrations do): the same counts
	local before
	before=$(sqlite3 "$DB" "SELECT rep_id, hour, n FROM rep_call_hours ORDER BY 1, 2")
	sqlite3 "$DB" "DELETE FROM schema_migrations WHERE version >= 20" >/dev/null
	nc init
	expect_rc 0
	expect_out "(4 migrations applied)"
	expect_eq "$(sqlite3 "$DB" "SELECT rep_id, hour, n FROM rep_call_hours ORDER BY 1, 2")" \
		"$before" "the counts after 0020 ran again"
	hr_check "0020 run again"
}
run_case hours_migration_fill t_hours_migration_fill

# copy-db: the copied calls counted on the target (SQLite -> the case's database, then back from
# it into a new SQLite file).
t_hours_copydb() {
	local src="$TMP/hr-src.db" back="$TMP/hr-back.db" keep=$DB
	rm -f "$src" "$src-wal" "$src-shm" "$back" "$back-wal" "$back-shm"
	DB=$src
	hr_team
	RANDOM=9
	HR_SEQ=200
	hr_cdr "$TMP/hr.csv" 10
	nc import cdr "$TMP/hr.csv"
	expect_rc 0
	hr_check "the source"
	DB=$keep
	nc copy-db --from "sqlite:$src" --to "$DB"
	expect_rc 0
	expect_out "all 28 tables match"
	hr_check "copy-db"
	nc copy-db --from "$DB" --to "sqlite:$back"
	expect_rc 0
	[ "$(command sqlite3 "$back" "SELECT rep_id, hour, n FROM rep_call_hours WHERE n <> 0
		ORDER BY 1, 2")" = "$(command sqlite3 "$src" "SELECT rep_id, hour, n FROM
		rep_call_hours WHERE n <> 0 ORDER BY 1, 2")" ] || fail "the copy back differs"
	DB=$back
	hr_check "copy-db back"
	DB=$keep
}
run_case hours_copydb t_hours_copydb
