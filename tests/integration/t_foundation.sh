# t_foundation.sh - schema, migrations, users, settings, clients and phones.

t_init_empty() {
	nc init
	expect_rc 0
	expect_out "schema version $(ls "$ROOT"/src/store/migrations/*.sql | wc -l)"
	nc init
	expect_rc 0
	expect_out "0 migrations applied"
	local tables
	tables=$(sqlite3 "$DB" "select count(*) from sqlite_master where type='table'")
	[ "$tables" -ge 10 ] || fail "expected the schema's tables, found $tables"
	[ "$(sqlite3 "$DB" 'pragma journal_mode')" = wal ] || fail "not in WAL mode"
}
run_case init_empty t_init_empty

# The card's history (store_call_list by client, src/store/q_contacts.c) reads every column from
# calls_card (migration 0022) in its own order, without a descent into calls per call or a sort;
# calls_client, which it replaced, is gone. The statement is read from the source, so that a
# column the card comes to read and the index lacks fails here. PostgreSQL keeps calls_client.
t_card_index() {
	nc init >/dev/null
	if [ -n "${NEXTCALL_TEST_PG:-}" ]; then
		expect_eq "$(sqlite3 "$DB" "SELECT string_agg(indexname, ' ' ORDER BY indexname)
			FROM pg_indexes WHERE indexname IN ('calls_client', 'calls_card')")" \
			calls_client "the indexes of calls by client on PostgreSQL"
		return
	fi
	local src=$ROOT/src/store/q_contacts.c cols where plan
	# the string literals of the CALL_LIST_COLS macro and of the by-client text after it
	cols=$(sed -n '/^#define CALL_LIST_COLS /,/[^\\]$/p' "$src" | grep -o '"[^"]*"' |
		sed 's/^"//; s/"$//' | tr -d '\n')
	where=$(sed -n '/sql = CALL_LIST_COLS " WHERE c.client_id/,/;$/p' "$src" |
		grep -o '"[^"]*"' | sed 's/^"//; s/"$//' | tr -d '\n')
	case "$cols$where" in
	"SELECT c.id, "*" FROM calls c WHERE c.client_id = \$1 "*"ORDER BY c.started_at DESC"*) ;;
	*) fail "the card's statement not found in $src: '$cols$where'" ;;
	esac
	plan=$(sqlite3 "$DB" "EXPLAIN QUERY PLAN $cols$where")
	case "$plan" in
	*"COVERING INDEX calls_card (client_id=?)"*) ;;
	*) fail "the card's calls are not read from calls_card alone: $plan" ;;
	esac
	case "$plan" in *"TEMP B-TREE"*) fail "the card's calls are sorted: $plan" ;; esac
	expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_schema WHERE name = 'calls_client'")" \
		0 "calls_client after 0022"
}
run_case card_index t_card_index

t_uninitialised_refused() {
	nc client list
	expect_rc 1
	expect_err 'not initialised: run "nextcall init"'
}
run_case uninitialised_refused t_uninitialised_refused

t_newer_database_refused() {
	nc init >/dev/null
	sqlite3 "$DB" "insert into schema_migrations values (999, '0999_future.sql', 0)"
	nc client list
	expect_rc 1
	expect_err "written by a newer nextcall"
	nc init
	expect_rc 1
	expect_err "upgrade nextcall"
}
run_case newer_database_refused t_newer_database_refused

t_not_a_database() {
	printf 'this is not a database, just text\n%.0s' {1..200} >"$DB"
	nc init
	expect_rc 1
	expect_err "cannot use"
}
run_case not_a_database t_not_a_database

t_users() {
	nc init >/dev/null
	printf 's3cret-pass\n' | "$NEXTCALL" --db "$DB" user add anna --name "Анна" --role rep \
		--timezone Europe/Moscow --password-stdin >/dev/null
	local hash
	hash=$(sqlite3 "$DB" "select password_hash from users where login='anna'")
	case "$hash" in '$argon2id$'*) ;; *) fail "password not hashed with argon2id: $hash" ;; esac
	nc user add anna --name "Другая" --role rep
	expect_rc 1
	expect_err 'already taken'
	nc user add "Bad Login" --name x --role rep
	expect_rc 1
	expect_err 'login'
	nc user add bob --name Bob --role boss
	expect_rc 1
	expect_err 'role "boss"'
	nc user add bob --name Bob --role rep --timezone Mars/Olympus
	expect_rc 1
	expect_err 'unknown zone'
	nc user set anna --locale ru --extension 201
	expect_rc 0
	nc user list --json
	expect_eq "$(json "j[0]['locale'], j[0]['extension']")" "ru 201" "user set"
	nc user add bob --name Bob
	expect_rc 2
}
run_case users t_users

t_settings() {
	nc init >/dev/null
	nc settings list
	expect_rc 0
	expect_out "rules.courtesy_phrases"
	nc settings set callback.delay_min 0
	expect_rc 1
	expect_err "callback.delay_min"
	nc settings set phone.region XX
	expect_rc 1
	expect_err 'unknown region "XX"'
	nc settings set no.such.key 1
	expect_rc 1
	expect_err 'unknown setting'
	nc settings set rules.courtesy_phrases 'not json'
	expect_rc 1
	expect_err 'JSON array'
	nc settings add rules.courtesy_phrases "дружеский звонок"
	expect_rc 0
	nc settings list --json
	json "[s['value'] for s in j if s['key']=='rules.courtesy_phrases'][0]" | grep -q "дружеский звонок" ||
		fail "phrase not added"
	nc settings remove rules.courtesy_phrases "no such phrase"
	expect_rc 1
}
run_case settings t_settings

t_phones_normalised() {
	setup
	nc client show "$CLIENT" --json
	expect_eq "$(json "j['phones']")" "['+79123456789']" "RU phone to E.164"
	expect_eq "$(json "j['owner'], j['segment'], j['source'], j['category']")" \
		"anna Частные Авито now" "client refs"
	nc settings set phone.region TR
	nc client add --name "Mehmet Yılmaz" --phone "0532 123 45 67"
	expect_rc 0
	nc client show "+905321234567" --json
	expect_eq "$(json "j['name']")" "Mehmet Yılmaz" "found by TR phone"
	nc client show "0532 123 45 67" --json
	expect_eq "$(json "j['phones'][0]")" "+905321234567" "found by the phone as typed"
}
run_case phones_normalised t_phones_normalised

t_duplicate_phone_names_client() {
	setup
	local before
	before=$(dump)
	nc client add --name "Двойник" --phone "+7 912 345 67 89"
	expect_rc 1
	expect_err "already belongs to client $CLIENT"
	expect_err "Иван Петров"
	[ "$(dump)" = "$before" ] || fail "a refused client changed the database"
	nc client add --name "Без телефона" --phone "abc"
	expect_rc 1
	expect_err 'abc'
	nc client add --name "X" --phone "+79123450000" --segment "Нет такого"
	expect_rc 1
	expect_err 'no segment "Нет такого"'
}
run_case duplicate_phone_names_client t_duplicate_phone_names_client

t_hostile_text_verbatim() {
	setup
	local name="<script>alert('x')</script>'; DROP TABLE clients;--"
	nc client add --name "$name" --phone "+79990001122" --company '"; DELETE FROM users; --'
	expect_rc 0
	local id=$OUT
	nc client show "$id" --json
	expect_eq "$(json "j['name']")" "$name" "name stored verbatim"
	expect_eq "$(json "j['company']")" '"; DELETE FROM users; --' "company verbatim"
	nc user list --json
	expect_eq "$(json "len(j)")" 3 "users intact"
	nc client add --name "$(printf 'bad\xff\xfename')" --phone "+79990001123"
	expect_rc 1
	expect_err "UTF-8"
}
run_case hostile_text_verbatim t_hostile_text_verbatim

t_client_list_filters() {
	setup
	nc client add --name "Пётр Сидоров" --phone "+79990000001" --owner oleg
	nc client add --name "ПЁТР ИВАНОВ" --phone "+79990000002"
	nc client list --owner oleg --json
	expect_eq "$(json "[c['name'] for c in j]")" "['Пётр Сидоров']" "owner filter"
	nc client list --q "пётр" --json
	expect_eq "$(json "len(j)")" 3 "Cyrillic search ignores case and ё (Петров too)"
	nc client list --q "петр иванов" --json
	expect_eq "$(json "[c['name'] for c in j]")" "['ПЁТР ИВАНОВ']" "several words"
	nc client list --q "345-67-89" --json
	expect_eq "$(json "[c['id'] for c in j]")" "[$CLIENT]" "search by part of a phone"
	nc --as anna client list --json
	expect_eq "$(json "sorted(c['name'] for c in j)")" "['Иван Петров', 'ПЁТР ИВАНОВ']" \
		"a rep sees his clients and unassigned leads"
	nc client list --category maybe
	expect_rc 1
	expect_err 'category "maybe"'
}
run_case client_list_filters t_client_list_filters

t_usage_errors() {
	nc init >/dev/null
	nc frobnicate
	expect_rc 2
	nc log call --client 1
	expect_rc 2
	expect_err "usage: nextcall log call"
	nc client add --name x --phone
	expect_rc 2
	nc next done abc
	expect_rc 2
}
run_case usage_errors t_usage_errors

t_demo_deterministic() {
	nc init --demo
	expect_rc 0
	expect_out "demo1234"
	local a b
	a=$(NEXTCALL_NOW=$NEXTCALL_NOW "$NEXTCALL" --db "$DB" client list --json)
	DB2="$TMP/demo2.db"
	"$NEXTCALL" --db "$DB2" init --demo >/dev/null
	b=$("$NEXTCALL" --db "$DB2" client list --json)
	[ "$a" = "$b" ] || fail "demo data differs between two runs with the same clock"
	nc client list --json --limit 500
	[ "$(json "len(j)")" -ge 200 ] || fail "demo has too few clients"
	nc agenda --rep anna --json
	[ "$(json "len(j['overdue'])")" -ge 1 ] || fail "demo agenda has no overdue steps"
	[ "$(json "len(j['today'])")" -ge 1 ] || fail "demo agenda has nothing today"
	nc init --demo
	expect_rc 1
	expect_err "already has users"
}
run_case demo_deterministic t_demo_deterministic

t_manual_page_current() {
	"$NEXTCALL" help --man | diff -u "$ROOT/docs/nextcall.1" - >"$TMP/man.diff" ||
		fail "docs/nextcall.1 is stale: run 'nextcall help --man > docs/nextcall.1' ($(head -5 "$TMP/man.diff"))"
}
run_case manual_page_current t_manual_page_current
