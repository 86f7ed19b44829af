# t_cdr_rollups.sh - "import cdr" keeps the report rollups by differences (docs/reports.md): the
# captured Master.csv split into files imported one after another into a database with calls,
# so that calls of a later file call back missed calls of an earlier file or of the database,
# across the team's midnight; "report verify" finds the rollups equal to a full recount after
# every file (on SQLite and, with NEXTCALL_TEST_PG=1, PostgreSQL).

CDRR_DATA="$ROOT/tests/data/asterisk"

# The capture (2026-11-22 17:10:57-17:13:12 GMT) in three files, by its lines: the inbound calls
# of 5551001-5551004 (5551002 and 5551003 missed), the outbound click-to-calls of 5552001-5552004
# (agent 204; 5552001 answered twice, 5552003 busy), and the rest (the ring group of 5551005,
# calls answered by the PBX).
cdrr_split() {
	sed -n 1,4p "$CDRR_DATA/Master.csv" >"$TMP/in.csv"
	sed -n 10,17p "$CDRR_DATA/Master.csv" >"$TMP/out.csv"
	sed -n 5,9p "$CDRR_DATA/Master.csv" >"$TMP/rest.csv"
}

# cdrr_setup: the demo team in Asia/Novosibirsk (UTC+7: 17:00 GMT is its midnight), Iceland's
# numbering (where the capture's 555xxxx are numbers), the capture's extensions, and clients with
# the capture's numbers: Bob 5551002 (missed inbound) and 5552001 (answered outbound 58 s later:
# his callback), Carla 5551003 (missed) and 5552003 (a busy outbound call: a callback too, as
# any outbound call), Eve 5551005 (the ring group). Bob already has a missed call at 23:58 local
# on 2026-11-22 (16:58 GMT), which the capture's outbound call at 00:12 the next day calls back;
# Eve has a sale on 2026-11-24 whose sales cycle the capture's earlier call of hers lengthens.
cdrr_setup() {
	nc init --demo
	[ "$RC" = 0 ] || fail "setup: init --demo failed"
	nc settings set team.timezone Asia/Novosibirsk
	nc settings set phone.region IS
	nc user set anna --extension 201
	nc user set oleg --extension 202
	nc user set mike --extension 204
	[ "$RC" = 0 ] || fail "setup: user set --extension failed"
	nc client add --name "Bob Prospect" --phone 5551002 --phone 5552001 --owner anna
	CDRR_BOB=$OUT
	nc client add --name "Carla Lead" --phone 5551003 --phone 5552003 --owner oleg
	CDRR_CARLA=$OUT
	nc client add --name "Eve Buyer" --phone 5551005 --owner anna
	CDRR_EVE=$OUT
	[ "$RC" = 0 ] || fail "setup: client add failed"
	nc log call --client "$CDRR_BOB" --rep anna --direction in --missed --at 2026-11-22T16:58:00Z
	[ "$RC" = 0 ] || fail "setup: Bob's missed call"
	NEXTCALL_NOW=2026-11-24T12:00:00Z nc log call --client "$CDRR_EVE" --rep anna \
		--direction out --purpose "Замер" --result max --talk 60 --at 2026-11-24T10:00:00Z \
		--won 50000
	[ "$RC" = 0 ] || fail "setup: Eve's sale"
	cdrr_split
	rp_verify_clean "the setup"
}

# cdrr_callbacks DATE: callbacks_in_time of that day (the team's zone).
cdrr_callbacks() {
	nc report stats --from "$1" --to "$1" --format json
	json 'j["callbacks_in_time"]'
}

# cdrr_import FILE CREATED: imports FILE, expecting CREATED new calls, then verifies.
cdrr_import() {
	nc import cdr "$TMP/$1"
	expect_rc 0
	expect_out "$2 created"
	rp_verify_clean "importing $1"
}

# The missed calls first, their callbacks in a later file.
t_cdr_rollups_callbacks() {
	cdrr_setup
	local cb22 cb23 cycles
	cb22=$(cdrr_callbacks 2026-11-22)
	cb23=$(cdrr_callbacks 2026-11-23)
	cycles=$(sqlite3 "$DB" "SELECT count(*) FROM report_cycles WHERE cycle_days = 1")
	cdrr_import in.csv 4
	expect_eq "$(cdrr_callbacks 2026-11-23)" "$cb23" "missed calls not called back yet"
	cdrr_import out.csv 5
	# Bob's call of 23:58 on the 22nd, called back after midnight; on the 23rd his missed call
	# of this capture and Carla's
	expect_eq "$(cdrr_callbacks 2026-11-22)" "$((cb22 + 1))" "a callback across midnight"
	expect_eq "$(cdrr_callbacks 2026-11-23)" "$((cb23 + 2))" "callbacks across files"
	cdrr_import rest.csv 4
	expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM report_cycles WHERE cycle_days = 1")" \
		"$((cycles + 1))" "Eve's sale: a cycle from her earlier first contact"
	# again: nothing new
	nc import cdr "$CDRR_DATA/Master.csv"
	expect_out "13 calls, 0 created, 13 already imported"
	nc import cdr "$CDRR_DATA/sales.csv"
	expect_out "0 created, 1 already imported"
	rp_verify_clean "the files again"
}
run_case cdr_rollups_callbacks t_cdr_rollups_callbacks

# The callbacks first: the missed calls of a later file find them stored.
t_cdr_rollups_callbacks_first() {
	cdrr_setup
	local cb22 cb23
	cb22=$(cdrr_callbacks 2026-11-22)
	cb23=$(cdrr_callbacks 2026-11-23)
	cdrr_import rest.csv 4
	cdrr_import out.csv 5
	expect_eq "$(cdrr_callbacks 2026-11-22)" "$((cb22 + 1))" "a callback across midnight"
	cdrr_import in.csv 4
	expect_eq "$(cdrr_callbacks 2026-11-23)" "$((cb23 + 2))" "missed calls already called back"
	# and a later file of the whole capture with a new call: Bob calls again, missed, and is
	# called back by a call logged by hand
	sed -n 2p "$CDRR_DATA/Master.csv" | sed 's/17:11:11/17:40:00/; s/17:11:23/17:40:12/;
		s/1795367471\.5/1795369200.1/' >"$TMP/again.csv"
	cdrr_import again.csv 1
	nc log call --client "$CDRR_BOB" --rep anna --direction out --purpose "Замер" --result none \
		--talk 30 --at 2026-11-22T17:45:00Z --next call@2026-11-25T10:00
	expect_rc 0
	rp_verify_clean "a call logged after the import"
	expect_eq "$(cdrr_callbacks 2026-11-23)" "$((cb23 + 3))" "the new missed call called back"
}
run_case cdr_rollups_callbacks_first t_cdr_rollups_callbacks_first
