# t_cdr.sh - "import cdr": the captured Asterisk Master.csv imported twice (the second run adds
# nothing), --since, a missed inbound call planning a callback, local-time files, bad lines.

CDR_DATA="$ROOT/tests/data/asterisk"

# cdr_setup: the team of setup(), with anna on extension 201 and oleg on 204.
cdr_setup() {
	setup
	nc user set anna --extension 201
	nc user set oleg --extension 204
	[ "$RC" = 0 ] || fail "setup: user set --extension failed"
}

# call_of UNIQUEID: "direction rep ring talk missed logged phone" of the call with that pbx_id.
call_of() {
	sqlite3 "$DB" "select c.direction, coalesce(u.login, '-'), c.ring_s, c.talk_s, c.missed,
		c.logged, c.phone from calls c left join users u on u.id = c.rep_id
		where c.pbx_id = '$1'"
}

# cdr_state: what an import may change (the audit log aside), as text.
cdr_state() {
	sqlite3 "$DB" "select * from calls order by id"
	sqlite3 "$DB" "select * from next_steps order by id"
	sqlite3 "$DB" "select id, updated_at from clients order by id"
}

t_cdr_import_twice() {
	cdr_setup
	nc import cdr "$CDR_DATA/Master.csv"
	expect_rc 0
	expect_out "17 rows, 13 calls, 13 created, 0 already imported"
	expect_out "columns auto, zone UTC"
	expect_eq "$(sqlite3 "$DB" "select count(*) from calls where logged = 0")" 13 "calls"
	expect_eq "$(call_of 1795367457.1)" "in|anna|3|8|0|0|5551001" "inbound answered"
	expect_eq "$(call_of 1795367471.5)" "in|-|12|0|1|0|5551002" "inbound missed"
	expect_eq "$(call_of 1795367496.17)" "in|anna|3|8|0|0|5551005" "ring group: answered leg"
	expect_eq "$(call_of 1795367510.23)" "in|-|0|4|0|0|5551006" "answered by the PBX"
	expect_eq "$(call_of 1795367543.32)" "out|oleg|16|0|1|0|5552002" \
		"click-to-call no answer: the ANSWERED 0/0 row is not the call"
	expect_eq "$(call_of 1795367529.28)" "out|oleg|1|10|0|0|5552001" "click-to-call answered"
	expect_eq "$(sqlite3 "$DB" "select started_at, answered_at, ended_at from calls
		where pbx_id = '1795367457.1'")" "1795367457|1795367460|1795367468" "GMT times"
	local before
	before=$(cdr_state)
	nc import cdr "$CDR_DATA/Master.csv"
	expect_rc 0
	expect_out "17 rows, 13 calls, 0 created, 13 already imported"
	expect_eq "$(sqlite3 "$DB" "select count(*) from calls")" 13 "second run adds nothing"
	[ "$(cdr_state)" = "$before" ] || fail "the second import changed calls or steps"
	nc import cdr "$CDR_DATA/sales.csv"
	expect_rc 0
	expect_out "2 rows, 1 calls, 0 created, 1 already imported"
}
run_case cdr_import_twice t_cdr_import_twice

t_cdr_since() {
	cdr_setup
	# the team's zone is Moscow: 20:11:30 there is 17:11:30 GMT
	nc import cdr "$CDR_DATA/Master.csv" --since "2026-11-22 20:11:30"
	expect_rc 0
	expect_out "17 rows, 10 calls, 10 created, 0 already imported, 3 before --since"
	nc import cdr "$CDR_DATA/Master.csv"
	expect_out "13 calls, 3 created, 10 already imported"
	nc import cdr "$CDR_DATA/Master.csv" --since yesterday-ish
	expect_rc 1
	expect_err "since"
}
run_case cdr_since t_cdr_since

# mkcdr FILE LINES...: writes 16-column cdr_csv records.
cdr_row() { # SRC DST START ANSWER END DUR BILL DISP UNIQUEID
	local answer=
	[ -n "$4" ] && answer="\"$4\""
	printf '"","%s","%s","from-trunk","""Ivan"" <%s>","PJSIP/trunk-00000001","PJSIP/201-00000002","Dial","PJSIP/201,20","%s",%s,"%s",%s,%s,"%s","DOCUMENTATION","%s"\n' \
		"$1" "$2" "$1" "$3" "$answer" "$5" "$6" "$7" "$8" "$9"
}

t_cdr_missed_callback() {
	cdr_setup
	{
		cdr_row 89123456789 6000 "2026-11-01 10:00:00" "" "2026-11-01 10:00:20" 20 0 \
			"NO ANSWER" 1761991200.1
		cdr_row 89123456789 6000 "2026-11-23 08:50:00" "" "2026-11-23 08:50:12" 12 0 \
			"NO ANSWER" 1795423800.7
		cdr_row 89123456789 6000 "2026-11-23 08:55:00" "" "2026-11-23 08:55:05" 5 0 \
			"BUSY" 1795424100.9
	} >"$TMP/missed.csv"
	nc import cdr "$TMP/missed.csv"
	expect_rc 0
	expect_out "3 created"
	expect_out "3 missed inbound, 1 callbacks planned"
	expect_eq "$(sqlite3 "$DB" "select count(*) from calls where client_id = $CLIENT
		and phone = '89123456789' and rep_id = (select id from users where login = 'anna')")" \
		3 "calls matched to the client by E.164, rep by the dialled extension"
	# one callback, for the client's owner, 15 minutes after the recent call ended; the old
	# call plans none and the second recent one finds the callback already planned
	expect_eq "$(sqlite3 "$DB" "select s.kind, u.login, s.due_at, s.auto, s.status
		from next_steps s join users u on u.id = s.rep_id where s.client_id = $CLIENT")" \
		"callback|anna|$((1795423812 + 900))|1|planned" "callback"
}
run_case cdr_missed_callback t_cdr_missed_callback

t_cdr_local_time_custom() {
	cdr_setup
	nc settings set cdr.columns 22
	expect_rc 1
	nc settings set cdr.timezone America/New_York
	expect_rc 0
	nc import cdr "$CDR_DATA/cdr-custom-Master.csv"
	expect_rc 0
	expect_out "13 calls, 13 created"
	expect_out "zone America/New_York"
	# the same instants as the GMT Master.csv, so importing that one adds nothing
	nc settings set cdr.timezone UTC
	nc import cdr "$CDR_DATA/Master.csv"
	expect_out "0 created, 13 already imported"
	expect_eq "$(sqlite3 "$DB" "select started_at from calls where pbx_id = '1795367457.1'")" \
		1795367457 "local time read in the configured zone"
}
run_case cdr_local_time_custom t_cdr_local_time_custom

t_cdr_bad_lines() {
	cdr_setup
	{
		cdr_row "<script>" 6000 "2026-11-23 08:50:00" "2026-11-23 08:50:02" \
			"2026-11-23 08:51:00" 60 58 ANSWERED 1795423800.1
		echo '"only","three","columns"'
		cdr_row 5551 6000 "2026-11-23 25:00:00" "" "2026-11-23 08:50:12" 12 0 BUSY 1.2
		cdr_row "'; DROP TABLE calls;--" 6000 "2026-11-23 08:52:00" "" \
			"2026-11-23 08:52:12" 12 0 "NO ANSWER" 1795423920.3
	} >"$TMP/bad.csv"
	nc import cdr "$TMP/bad.csv" --dry-run
	expect_rc 0
	expect_out "dry run: 4 rows, 2 calls, 2 would be created"
	expect_eq "$(sqlite3 "$DB" "select count(*) from calls")" 0 "dry run stores nothing"
	nc import cdr "$TMP/bad.csv"
	expect_rc 0
	expect_out "4 rows, 2 calls, 2 created, 0 already imported, 0 before --since, 2 bad lines"
	expect_err "line 2: 3 columns, want 16 to 21"
	expect_err "line 3: start is not a date"
	expect_eq "$(sqlite3 "$DB" "select phone from calls order by started_at")" \
		"<script>
'; DROP TABLE calls;--" "hostile numbers stored verbatim"
	printf 'not a cdr\n\x01\x02\n' >"$TMP/garbage.csv"
	nc import cdr "$TMP/garbage.csv"
	expect_rc 1
	expect_err "every record is bad"
	: >"$TMP/empty.csv"
	nc import cdr "$TMP/empty.csv"
	expect_rc 1
	expect_err "no records"
	nc import cdr "$TMP/no-such-file.csv"
	expect_rc 1
	expect_err "cannot open"
}
run_case cdr_bad_lines t_cdr_bad_lines
