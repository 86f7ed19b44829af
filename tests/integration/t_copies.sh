# t_copies.sh - the planned steps' copies of their client's name and first phone (migration
# 0016), which a rep's agenda reads instead of clients and phones: written with a step logged
# through the CLI, kept under a rename and a change of phones made through the API, under
# hand-made SQL by the triggers (a rename, an inserted step, a step made planned again, a copy
# written over), found stale after a hand-made change of phones by "report verify" and mended by
# "--fix", filled by the migration of a database that had planned steps before it; and their
# lines (0023), kept by triggers, read in their place by the agenda, mended by "--fix".

# copies_serve: "nextcall serve" on $DB in the background (pid in CP_PID, API base in CP_BASE)
# and anna's token in CP_T_ANNA.
copies_serve() {
	CP_T_ANNA=$("$NEXTCALL" --db "$DB" token create anna 2>/dev/null)
	serve_bg
	CP_BASE=$SERVE_BASE
	CP_PID=$SERVE_PID
}

# copies_api METHOD PATH [JSON]: the API as anna; the status in $RC, the body in $OUT.
copies_api() {
	local args=(-s -o "$TMP/out" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $CP_T_ANNA")
	[ -n "${3:-}" ] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
	RC=$(curl "${args[@]}" "$CP_BASE$2")
	OUT=$(cat "$TMP/out")
}

# copies_agenda WHAT WANT: anna's agenda for today, from the CLI (JSON and text, as anna) and
# from GET /api/v1/agenda, lists her steps as WANT: "name/phone" per step in order, ";"
# between them, "-" for no phone.
copies_agenda() {
	local got line name phone
	local py="';'.join(s['client_name'] + '/' + (s.get('phone') or '-') for s in j['today'])"
	nc --as anna agenda --json
	[ "$RC" = 0 ] || {
		fail "agenda after $1"
		return
	}
	expect_eq "$(json "$py")" "$2" "the CLI's agenda (JSON) after $1"
	nc --as anna agenda
	got=""
	while IFS= read -r line; do
		name=${line%/*}
		phone=${line##*/}
		[ "$phone" = - ] && phone=""
		# the step's line: "... #CLIENT  NAME PHONE"; without a phone the name ends it
		if [ -n "$phone" ]; then
			grep -qF -- " $name $phone" "$TMP/out" ||
				fail "the CLI's agenda (text) after $1 lacks '$name $phone'"
		else
			grep -qE -- " $name ?\$" "$TMP/out" ||
				fail "the CLI's agenda (text) after $1 lacks '$name' without a phone"
		fi
		got=x
	done < <(printf '%s\n' "${2//;/$'\n'}")
	[ -n "$got" ] || fail "nothing to look for in the text agenda"
	copies_api GET /agenda
	[ "$RC" = 200 ] || fail "GET /agenda after $1: status $RC $OUT"
	expect_eq "$(json "$py")" "$2" "GET /agenda after $1"
}

# copies_verify WHAT N: "report verify" finds N differences (0: none, exit 0).
copies_verify() {
	nc report verify
	if [ "$2" = 0 ]; then
		[ "$RC" = 0 ] || fail "report verify after $1: exit $RC"
		expect_out "0 differences"
	else
		[ "$RC" = 1 ] || fail "report verify after $1: exit $RC"
		expect_out "$2 differences"
	fi
}

# copies_stale: the planned steps whose copies differ from their client's name and first phone,
# counted in SQL (the hand-made steps below make "report verify" find differences in the
# rollups too, which it counts with these).
copies_stale() {
	sqlite3 "$DB" "SELECT count(*) FROM next_steps s WHERE s.status = 'planned' AND
		(s.client_name IS DISTINCT FROM (SELECT c.name FROM clients c WHERE c.id = s.client_id)
		OR s.client_phone IS DISTINCT FROM (SELECT p.e164 FROM phones p WHERE
		p.client_id = s.client_id ORDER BY p.id LIMIT 1))"
}

# copies_of STEP: the step's copies as stored, "name|phone" ("" for NULL).
copies_of() { sqlite3 "$DB" "SELECT client_name, client_phone FROM next_steps WHERE id = $1"; }

t_copies() {
	setup
	local ivan=$CLIENT maria s1 s2 s3 anna
	nc client add --name "Мария Соколова" --phone "+7 999 000-00-02" --phone "+79990000001" \
		--owner anna
	expect_rc 0
	maria=$OUT
	# a call logged through the CLI plans a step today for each: the step carries the copies,
	# the first phone being the first added (lowest id), not the lowest number
	nc log call --client "$maria" --rep anna --direction out --purpose "Замер" --result min \
		--talk 60 --next call@2026-11-23T15:00
	expect_rc 0
	nc log call --client "$ivan" --rep anna --direction out --purpose "Замер" --result min \
		--talk 60 --next call@2026-11-23T16:00
	expect_rc 0
	s1=$(sqlite3 "$DB" "SELECT id FROM next_steps WHERE client_id = $maria AND status = 'planned'")
	s2=$(sqlite3 "$DB" "SELECT id FROM next_steps WHERE client_id = $ivan AND status = 'planned'")
	expect_eq "$(copies_of "$s1")" "Мария Соколова|+79990000002" "the logged step's copies"
	expect_eq "$(copies_of "$s2")" "Иван Петров|+79123456789" "the other step's copies"
	copies_serve
	copies_agenda "the calls" "Мария Соколова/+79990000002;Иван Петров/+79123456789"
	copies_verify "the calls" 0

	# renamed through the API: her step follows, his does not move
	copies_api PATCH "/clients/$maria" '{"name": "Мария Иванова"}'
	[ "$RC" = 200 ] || fail "rename: status $RC $OUT"
	copies_agenda "a rename" "Мария Иванова/+79990000002;Иван Петров/+79123456789"
	# her phones replaced: the first one now is the one given first
	copies_api PATCH "/clients/$maria" '{"phones": ["+79990000003", "+79990000001"]}'
	[ "$RC" = 200 ] || fail "phones: status $RC $OUT"
	copies_agenda "new phones" "Мария Иванова/+79990000003;Иван Петров/+79123456789"
	# the same numbers in another order: the first one follows the order given
	copies_api PATCH "/clients/$maria" '{"phones": ["+79990000001", "+79990000003"]}'
	[ "$RC" = 200 ] || fail "phones reordered: status $RC $OUT"
	copies_agenda "phones reordered" "Мария Иванова/+79990000001;Иван Петров/+79123456789"
	# no phone at all is refused (a client has at least one): nothing changes
	copies_api PATCH "/clients/$maria" '{"phones": []}'
	[ "$RC" = 400 ] || fail "no phones: status $RC $OUT"
	copies_agenda "a refused edit" "Мария Иванова/+79990000001;Иван Петров/+79123456789"
	# a step moved to later keeps its copies
	nc next move "$s1" 2026-11-23T17:00
	expect_rc 0
	copies_agenda "a step moved" "Иван Петров/+79123456789;Мария Иванова/+79990000001"
	copies_verify "the edits" 0

	# her phones removed by hand (no trigger on phones): the copy is stale until --fix
	sqlite3 "$DB" "DELETE FROM phones WHERE client_id = $maria" >/dev/null
	copies_verify "her phones removed by hand" 1
	nc report verify --fix
	expect_rc 0
	expect_out "1 differences found and fixed (0 rollup cells, 0 pool counts, 1 step copies, 0 script counts, 0 call hours)"
	copies_verify "report verify --fix" 0
	copies_agenda "report verify --fix" "Иван Петров/+79123456789;Мария Иванова/-"
	expect_eq "$(copies_of "$s1")" "Мария Иванова|" "no phone: NULL"
	# his number changed by hand: the same
	sqlite3 "$DB" "UPDATE phones SET e164 = '+79123456700' WHERE client_id = $ivan" >/dev/null
	copies_verify "his phone changed by hand" 1
	nc report verify --fix
	expect_rc 0
	copies_agenda "report verify --fix again" "Иван Петров/+79123456700;Мария Иванова/-"
	# a phone given back through the API: the copy follows at once
	copies_api PATCH "/clients/$maria" '{"phones": ["+79990000005"]}'
	[ "$RC" = 200 ] || fail "a phone back: status $RC $OUT"
	copies_agenda "a phone back" "Иван Петров/+79123456700;Мария Иванова/+79990000005"

	# hand-made SQL the triggers catch: a copy written over is set back, a rename followed
	sqlite3 "$DB" "UPDATE next_steps SET client_name = 'Кто-то', client_phone = NULL WHERE
		id = $s2" >/dev/null
	expect_eq "$(copies_of "$s2")" "Иван Петров|+79123456700" "a copy written over by hand"
	sqlite3 "$DB" "UPDATE clients SET name = 'Иван Сидоров' WHERE id = $ivan" >/dev/null
	copies_agenda "a rename by hand" "Иван Сидоров/+79123456700;Мария Иванова/+79990000005"
	# a step inserted by hand without copies gets them; one with wrong ones, the right ones
	anna=$(sqlite3 "$DB" "SELECT id FROM users WHERE login = 'anna'")
	sqlite3 "$DB" "INSERT INTO next_steps (client_id, rep_id, kind, due_at, status, created_at)
		VALUES ($ivan, $anna, 'call', $(date -d 2026-11-23T15:30:00Z +%s), 'planned', 0)" \
		>/dev/null
	sqlite3 "$DB" "INSERT INTO next_steps (client_id, rep_id, kind, due_at, status, created_at,
		client_name, client_phone) VALUES ($maria, $anna, 'call',
		$(date -d 2026-11-23T15:40:00Z +%s), 'planned', 0, 'Не она', '+70000000000')" >/dev/null
	copies_agenda "steps inserted by hand" \
		"Иван Сидоров/+79123456700;Мария Иванова/+79990000005;Иван Сидоров/+79123456700;Мария Иванова/+79990000005"
	# a step closed through the CLI, renamed while closed, made planned again by hand
	nc next done "$s1"
	expect_rc 0
	copies_api PATCH "/clients/$maria" '{"name": "Мария Петрова"}'
	[ "$RC" = 200 ] || fail "rename: status $RC $OUT"
	sqlite3 "$DB" "UPDATE next_steps SET status = 'planned', closed_at = NULL WHERE id = $s1" \
		>/dev/null
	expect_eq "$(copies_of "$s1")" "Мария Петрова|+79990000005" "a step made planned again"
	copies_agenda "a step made planned again" \
		"Иван Сидоров/+79123456700;Мария Петрова/+79990000005;Иван Сидоров/+79123456700;Мария Петрова/+79990000005"
	expect_eq "$(copies_stale)" 0 "stale copies after the hand-made SQL"
	# the steps inserted by hand are not in the report rollups: --fix counts them
	nc report verify --fix
	expect_rc 0
	copies_verify "the hand-made SQL" 0

	# a new step logged through the CLI after all that carries the current copies
	nc log call --client "$maria" --rep anna --direction out --purpose "Замер" --result min \
		--talk 60 --next meeting@2026-11-24T11:00
	expect_rc 0
	s3=$(sqlite3 "$DB" "SELECT max(id) FROM next_steps WHERE client_id = $maria AND
		status = 'planned'")
	expect_eq "$(copies_of "$s3")" "Мария Петрова|+79990000005" "a step logged at the end"
	copies_verify "the last call" 0
	# her steps of today were closed by the call: his two are left
	copies_agenda "the last call" "Иван Сидоров/+79123456700;Иван Сидоров/+79123456700"
	kill "$CP_PID" 2>/dev/null
	wait "$CP_PID" 2>/dev/null

	# the migration fills the steps of a database written before it
	local planned
	planned=$(sqlite3 "$DB" "SELECT id, client_name, coalesce(client_phone, '-') FROM next_steps
		WHERE status = 'planned' ORDER BY id")
	[ "$(printf '%s\n' "$planned" | wc -l)" = 3 ] || fail "not 3 planned steps: $planned"
	undo_0016
	nc agenda --rep anna --json
	expect_rc 1
	expect_err "nextcall init"
	nc init
	expect_rc 0
	expect_out "(8 migrations applied)" # and 0017 to 0023, which may run again
	expect_eq "$(sqlite3 "$DB" "SELECT id, client_name, coalesce(client_phone, '-') FROM
		next_steps WHERE status = 'planned' ORDER BY id")" "$planned" \
		"the copies filled by the migration"
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM next_steps WHERE status <> 'planned' AND
		(client_name IS NOT NULL OR client_phone IS NOT NULL)")" = 0 ] ||
		fail "the migration filled closed steps"
	copies_verify "the migration" 0
	copies_serve
	copies_agenda "the migration" "Иван Сидоров/+79123456700;Иван Сидоров/+79123456700"
	# and its triggers are back
	sqlite3 "$DB" "UPDATE clients SET name = 'Иван Петров' WHERE id = $ivan" >/dev/null
	copies_agenda "a rename after the migration" "Иван Петров/+79123456700;Иван Петров/+79123456700"
	kill "$CP_PID" 2>/dev/null
	wait "$CP_PID" 2>/dev/null

	# copy-db does not copy the copies: the copy's triggers derive them from its clients and
	# phones, so a source whose copies went stale (a phone changed by hand) gives a right copy
	sqlite3 "$DB" "UPDATE phones SET e164 = '+79123456711' WHERE e164 = '+79123456700'"
	expect_eq "$(copies_stale)" "2" "the source's stale copies before copy-db"
	local copy="$TMP/copies-copy.db" keep=$DB
	rm -f "$copy" "$copy-wal" "$copy-shm"
	nc copy-db --from "$DB" --to "sqlite:$copy"
	expect_rc 0
	expect_out "tables match"
	DB=$copy
	copies_verify "copy-db" 0
	nc --as anna agenda --json
	expect_eq "$(json "';'.join(s['client_name'] + '/' + (s.get('phone') or '-') for s in j['today'])")" \
		"Иван Петров/+79123456711;Иван Петров/+79123456711" "the agenda of the copy"
	DB=$keep
	# the source is left as it was: its stale copies still found, and mended by --fix
	copies_verify "copy-db, on the source" 2
	nc report verify --fix
	copies_verify "the source's --fix" 0

	# the steps' lines (0023), which the agenda reads: kept by the triggers under hand-made SQL
	# (a note holding the line's separators, a move); a line that does not parse (its trigger
	# dropped) makes the agenda read the columns, "report verify" count it and "--fix" mend it;
	# 0023 run again brings the trigger back
	local step want
	step=$(sqlite3 "$DB" "SELECT id FROM next_steps WHERE client_id = $ivan AND
		status = 'planned' ORDER BY due_at, id LIMIT 1")
	sqlite3 "$DB" "UPDATE next_steps SET note = 'перезвонить, в 10:00; -1,2:' WHERE id = $step;
		UPDATE next_steps SET due_at = due_at + 60 WHERE id = $step" >/dev/null
	copies_verify "a note and a move by hand" 0
	local py="';'.join('%s/%s/%s/%s' % (s['id'], s['due_at'], s['client_name'], s.get('note')) for s in j['today'])"
	nc --as anna agenda --json
	expect_rc 0
	want=$(json "$py")
	expect_eq "$(printf '%s' "$want" | grep -c 'перезвонить, в 10:00; -1,2:')" 1 \
		"the note written by hand in the agenda"
	if [ -n "${NEXTCALL_TEST_PG:-}" ]; then
		sqlite3 "$DB" "DROP TRIGGER next_steps_line ON next_steps" >/dev/null
	else
		sqlite3 "$DB" "DROP TRIGGER next_steps_line_update" >/dev/null
	fi
	sqlite3 "$DB" "UPDATE next_steps SET line = '$step,broken' WHERE id = $step" >/dev/null
	nc --as anna agenda --json
	expect_rc 0
	expect_eq "$(json "$py")" "$want" "the agenda read from the columns (a broken line)"
	copies_verify "a broken line" 1
	nc report verify --fix
	copies_verify "the broken line's --fix" 0
	sqlite3 "$DB" "DELETE FROM schema_migrations WHERE version = 23" >/dev/null
	nc init
	expect_rc 0
	expect_out "(1 migration applied)"
	sqlite3 "$DB" "UPDATE next_steps SET line = NULL WHERE id = $step" >/dev/null
	copies_verify "a line put back by the trigger of 0023 run again" 0
	nc --as anna agenda --json
	expect_eq "$(json "$py")" "$want" "the agenda after 0023 ran again"
}
run_case copies t_copies
