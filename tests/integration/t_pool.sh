# t_pool.sh - the agenda's pool counters (migration 0012): client_pool, kept by the store for an
# inserted client (0013) and by triggers on clients for a deleted or moved one, against a fresh
# count(*) after every kind of write the product makes (clients added, imported, given to another
# rep or to nobody, moved between now, future and never by the outcome of a call), hand-made SQL
# (a delete, a statement moving many clients; a hand-made insert is not counted: "report verify
# --fix" mends it), a failed import, the migrations' fill of a database that had clients before
# them, and copy-db both ways.

# pool_count LOGIN CATEGORY: count(*) of the clients, of LOGIN ("" for the whole team); $DB may
# be a SQLite file in the PostgreSQL round too (the copy back).
pool_count() {
	local owner="" sql
	[ -n "$1" ] && owner="AND owner_id = (SELECT id FROM users WHERE login = '$1')"
	sql="SELECT count(*) FROM clients WHERE category = '$2' $owner"
	case $DB in
	postgres:*) sqlite3 "$DB" "$sql" ;;
	*) command sqlite3 "$DB" "$sql" ;;
	esac
}

# pool_check WHAT: the agenda's counters of every rep and of the team equal a recount, and
# "report verify" finds client_pool equal to it, key by key.
pool_check() {
	local login want got
	for login in anna oleg mike ""; do
		if [ -n "$login" ]; then
			nc agenda --rep "$login" --json
		else
			nc agenda --json
		fi
		[ "$RC" = 0 ] || {
			fail "agenda of '$login' after $1"
			return
		}
		got=$(json 'j["counters"]["pool_now"], j["counters"]["pool_future"]')
		want="$(pool_count "$login" now) $(pool_count "$login" future)"
		expect_eq "$got" "$want" "pool of '$login' (now future) after $1"
	done
	nc report verify
	[ "$RC" = 0 ] || fail "report verify after $1"
	expect_out "0 differences"
}

# pool_serve: "nextcall serve" on $DB in the background (pid in PL_PID), API base in PL_BASE.
pool_serve() {
	serve_bg
	PL_BASE=$SERVE_BASE
	PL_PID=$SERVE_PID
}

# pool_patch TOKEN CLIENT JSON: PATCH /clients/CLIENT; status in $RC.
pool_patch() {
	RC=$(curl -s -o "$TMP/out" -w '%{http_code}' -X PATCH -H "Authorization: Bearer $1" \
		-H 'Content-Type: application/json' --data-binary "$3" "$PL_BASE/clients/$2")
	OUT=$(cat "$TMP/out")
}

# pool_import N OWNER BAD: imports N new clients (owner column: a random rep, nobody or the
# --owner default OWNER); BAD=1 adds a row without a name, which refuses the whole file.
pool_import() {
	local i f="$TMP/pool.csv" owners=(anna oleg mike "")
	printf 'name,phone,owner\n' >"$f"
	for i in $(seq 1 "$1"); do
		PL_PHONE=$((PL_PHONE + 1))
		printf 'Импорт %s,+7999%07d,%s\n' "$PL_PHONE" "$PL_PHONE" "${owners[RANDOM % 4]}" >>"$f"
	done
	if [ "$3" = 1 ]; then
		PL_PHONE=$((PL_PHONE + 1))
		printf ',+7999%07d,anna\n' "$PL_PHONE" >>"$f"
	fi
	if [ -n "$2" ]; then nc import clients "$f" --owner "$2"; else nc import clients "$f"; fi
}

t_pool_random() {
	nc init --demo
	expect_rc 0
	pool_check "the demo"
	RANDOM=12
	PL_PHONE=0
	pool_serve
	local t_head
	t_head=$("$NEXTCALL" --db "$DB" token create elena)
	local reps=(anna oleg mike) n op c login
	local added=0 imported=0 refused=0 calls=0 given=0 raw=0 cats kinds=(0 0 0 0 0)
	for n in $(seq 1 240); do
		op=$((RANDOM % 20))
		c=$(sqlite3 "$DB" "SELECT id FROM clients ORDER BY id DESC LIMIT 1 OFFSET $((RANDOM % 40))")
		login=${reps[RANDOM % 3]}
		if [ "$op" -lt 4 ]; then
			PL_PHONE=$((PL_PHONE + 1))
			local args=(client add --name "Клиент $PL_PHONE" --phone "+7999$(printf %07d "$PL_PHONE")")
			[ $((RANDOM % 4)) != 0 ] && args+=(--owner "$login")
			nc "${args[@]}"
			[ "$RC" = 0 ] || fail "client add: ${args[*]}"
			added=$((added + 1))
		elif [ "$op" -lt 6 ]; then
			if [ $((RANDOM % 4)) = 0 ]; then
				pool_import 3 "$login" 1
				[ "$RC" = 1 ] || fail "an import with a bad row was not refused"
				refused=$((refused + 1))
			else
				pool_import $((1 + RANDOM % 5)) "$([ $((RANDOM % 2)) = 0 ] && echo "$login")" 0
				[ "$RC" = 0 ] || fail "import"
				imported=$((imported + 1))
			fi
		elif [ "$op" -lt 13 ]; then
			# the outcome moves the client: refused -> future, never -> never, max -> now;
			# a call to a client of nobody makes him the caller's
			local args=(log call --client "$c" --rep "$login" --direction out --purpose "Замер")
			local k=$((RANDOM % 5))
			case $k in
			0) args+=(--refused "дорого" --talk 60 --next "call@2026-12-0$((1 + RANDOM % 5))T10:00") ;;
			1) args+=(--never closed --note "закрылись" --talk 30) ;;
			2) args+=(--result max --talk 200 --next "call@2026-11-2$((4 + RANDOM % 5))T10:00") ;;
			3) args+=(--missed) ;;
			*) args+=(--result min --talk 90 --next "callback@2026-11-25T12:00") ;;
			esac
			nc "${args[@]}"
			[ "$RC" = 0 ] && calls=$((calls + 1)) && kinds[k]=$((kinds[k] + 1))
		elif [ "$op" -lt 18 ]; then
			local body="{\"owner\": \"$login\"}"
			[ $((RANDOM % 4)) = 0 ] && body='{"owner": ""}'
			pool_patch "$t_head" "$c" "$body"
			[ "$RC" = 200 ] || fail "client $c $body: status $RC $OUT"
			given=$((given + 1))
		elif [ "$op" = 18 ]; then
			# by hand: one statement moving several clients to nobody and to future
			sqlite3 "$DB" "UPDATE clients SET owner_id = NULL, category = 'future' WHERE id IN
				(SELECT id FROM clients WHERE owner_id = (SELECT id FROM users WHERE
				login = '$login') ORDER BY id DESC LIMIT 3)" >/dev/null
			raw=$((raw + 1))
		else
			# by hand: the newest client that nothing refers to but his phones and terms,
			# deleted (the product itself never deletes a client)
			c=$(sqlite3 "$DB" "SELECT max(id) FROM clients WHERE id NOT IN (SELECT client_id
				FROM calls WHERE client_id IS NOT NULL) AND id NOT IN (SELECT client_id FROM
				next_steps) AND id NOT IN (SELECT client_id FROM deals) AND id NOT IN (SELECT
				client_id FROM script_runs) AND id NOT IN (SELECT client_id FROM client_fields)")
			[ -n "$c" ] || continue
			sqlite3 "$DB" "DELETE FROM client_terms WHERE client_id = $c; DELETE FROM phones
				WHERE client_id = $c; DELETE FROM clients WHERE id = $c" >/dev/null
			raw=$((raw + 1))
		fi
		[ $((n % 30)) = 0 ] && pool_check "$n random writes"
	done
	kill "$PL_PID" 2>/dev/null
	wait "$PL_PID" 2>/dev/null
	[ "$added" -gt 20 ] && [ "$imported" -gt 5 ] && [ "$refused" -gt 0 ] && [ "$calls" -gt 50 ] &&
		[ "$given" -gt 30 ] && [ "$raw" -gt 10 ] ||
		fail "too few writes of a kind: $added added, $imported imports, $refused refused, $calls calls, $given given, $raw by hand"
	# each outcome (refused, never, max, missed, min) logged more than a few times
	[ "$(printf '%s\n' "${kinds[@]}" | sort -n | head -1)" -gt 5 ] ||
		fail "too few calls of an outcome: ${kinds[*]}"
	# every category and nobody's clients were met
	cats=$(sqlite3 "$DB" "SELECT count(DISTINCT category) FROM clients WHERE owner_id IS NULL")
	[ "$cats" -ge 2 ] || fail "clients of nobody in $cats categories only"
	pool_check "the random writes"
	# a stored count gone wrong is found, and --fix mends it
	sqlite3 "$DB" "UPDATE client_pool SET n = n + 5 WHERE owner_id = (SELECT id FROM users
		WHERE login = 'anna') AND category = 'now'; DELETE FROM client_pool WHERE owner_id = 0
		AND category = 'future'" >/dev/null
	nc report verify
	expect_rc 1
	expect_out "2 differences (0 rollup cells, 2 pool counts, 0 step copies, 0 script counts, 0 call hours)"
	nc report verify --fix
	expect_rc 0
	expect_out "2 differences found and fixed (0 rollup cells, 2 pool counts, 0 step copies, 0 script counts, 0 call hours)"
	pool_check "report verify --fix"
	# a client inserted by hand is not counted (no trigger since 0013): verify finds his
	# (owner, category), --fix counts him
	sqlite3 "$DB" "INSERT INTO clients (name, category, owner_id, category_at, created_at,
		updated_at) VALUES ('Вручную', 'future', (SELECT id FROM users WHERE login = 'oleg'),
		0, 0, 0)" >/dev/null
	nc report verify
	expect_rc 1
	expect_out "1 differences"
	nc report verify --fix
	expect_rc 0
	pool_check "a hand-made insert and report verify --fix"
}
run_case pool_random t_pool_random

# A database that had clients before 0012: the migration counts them, and after 0013 (no insert
# trigger) the store counts the clients it adds.
t_pool_migration_fill() {
	nc init --demo
	expect_rc 0
	RANDOM=3
	PL_PHONE=500
	pool_import 20 "" 0
	expect_rc 0
	nc client add --name "Ничей" --phone "+79990009999"
	expect_rc 0
	undo_0012
	nc agenda --json
	expect_rc 1
	expect_err "nextcall init"
	nc init
	expect_rc 0
	expect_out "(12 migrations applied)" # and 0014, on texts rewritten already, 0015-0023
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM client_pool WHERE owner_id = 0")" -gt 0 ] ||
		fail "the fill counted no client of nobody"
	[ "$(sqlite3 "$DB" "SELECT sum(n) FROM client_pool")" = \
		"$(sqlite3 "$DB" "SELECT count(*) FROM clients")" ] || fail "the fill missed clients"
	pool_check "the migration"
	# the insert trigger is gone, the others in place
	local catalog="sqlite_master WHERE type = 'trigger' AND name"
	[ -n "${NEXTCALL_TEST_PG:-}" ] && catalog="pg_trigger WHERE tgname"
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM $catalog IN ('client_pool_insert',
		'client_pool_delete', 'client_pool_update')")" = 2 ] ||
		fail "not the triggers of 0012 less 0013's"
	pool_import 4 oleg 0
	expect_rc 0
	pool_check "an import after the migration"
}
run_case pool_migration_fill t_pool_migration_fill

# copy-db: the copied clients counted once on the target (SQLite -> the case's database, then
# back from it into a new SQLite file).
t_pool_copydb() {
	local src="$TMP/pool-src.db" back="$TMP/pool-back.db" keep=$DB
	rm -f "$src" "$src-wal" "$src-shm" "$back" "$back-wal" "$back-shm"
	DB=$src
	nc init --demo
	expect_rc 0
	RANDOM=5
	PL_PHONE=800
	pool_import 12 "" 0
	expect_rc 0
	nc log call --client "$(command sqlite3 "$src" "SELECT max(id) FROM clients")" --rep mike \
		--direction out --purpose "Замер" --refused "дорого" --talk 40 \
		--next call@2026-12-01T10:00
	expect_rc 0
	pool_check "the source"
	DB=$keep
	nc copy-db --from "sqlite:$src" --to "$DB"
	expect_rc 0
	expect_out "all 28 tables match"
	pool_check "copy-db"
	nc copy-db --from "$DB" --to "sqlite:$back"
	expect_rc 0
	expect_out "all 28 tables match"
	[ "$(command sqlite3 "$back" "SELECT owner_id, category, n FROM client_pool WHERE n <> 0
		ORDER BY 1, 2")" = "$(command sqlite3 "$src" "SELECT owner_id, category, n FROM
		client_pool WHERE n <> 0 ORDER BY 1, 2")" ] || fail "the copy back differs"
	DB=$back
	pool_check "copy-db back"
	DB=$keep
}
run_case pool_copydb t_pool_copydb
