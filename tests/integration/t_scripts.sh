# t_scripts.sh - call scripts: "script check" on the examples and on broken files (exit codes
# 0/3/2, findings with line:col), versions, list/show/archive; then live runs over HTTP against
# a real "nextcall serve" (answers in the card, steps out of order, to a finished run or for
# another rep's run refused, the finish logged through the sales rules, on the exchange's own
# call when the run was taken on one) and the analytics checked against counts made from the
# raw rows with SQL of our own.

SCRIPTS="$ROOT/tests/data/scripts"

t_script_check() {
	local f
	for f in "$ROOT"/examples/scripts/*.yaml "$SCRIPTS/ab.yaml"; do
		nc script check "$f"
		[ "$RC" = 0 ] || fail "$f: expected valid"
		expect_out "valid"
	done
	nc script check "$SCRIPTS/bad.yaml"
	expect_rc 3
	expect_err "bad.yaml:11:37: error: unknown_target:"
	expect_err "bad.yaml:12:3: error: unreachable_node:"
	expect_err "bad.yaml:10:11: error: undefined_placeholder:"
	expect_err "error: goal_min_missing:"
	expect_err "warning: name_not_asked:"
	nc script check "$SCRIPTS/syntax.yaml"
	expect_rc 3
	expect_err "syntax.yaml:3:1: error: yaml_syntax:"
	nc script check "$TMP/no-such-file.yaml"
	expect_rc 2
	expect_err "cannot open"
	printf '\377\376 not yaml \000' >"$TMP/binary.yaml"
	nc script check "$TMP/binary.yaml"
	expect_rc 3
}

t_script_versions() {
	setup
	local before
	before=$(dump)
	nc script add "$SCRIPTS/bad.yaml"
	expect_rc 3
	expect_err "bad.yaml:11:37: error: unknown_target:"
	expect_err "nothing stored"
	expect_eq "$(dump)" "$before" "an invalid script stores nothing"
	nc --as anna script add "$SCRIPTS/ab.yaml"
	expect_rc 1
	expect_err "this needs the head role"
	nc --as elena script add "$SCRIPTS/ab.yaml"
	expect_rc 0
	expect_out "script 1 version 1: A/B test script"
	nc script add "$SCRIPTS/ab.yaml"
	expect_rc 0
	expect_out "script 1 version 2: A/B test script"
	nc script add "$ROOT/examples/scripts/outbound_future.yaml"
	expect_out "script 2 version 1"
	expect_eq "$(sqlite3 "$DB" "select s.name, v.version, coalesce(u.login, '-') from
		script_versions v join scripts s on s.id = v.script_id left join users u on
		u.id = v.author_id order by v.id")" "A/B test script|1|elena
A/B test script|2|-
Outbound call to a future client, stretch ceilings|1|-" "versions and authors"
	expect_eq "$(sqlite3 "$DB" "select outbound from scripts order by id" | tr '\n' ' ')" \
		"0 1 " "kinds from the YAML"
	nc --as anna script list --json
	expect_rc 0
	expect_eq "$(json '[(s["name"], s["version"], s["kind"]) for s in j]')" \
		"[('A/B test script', 2, 'inbound'), ('Outbound call to a future client, stretch ceilings', 1, 'outbound')]" \
		"list"
	nc script show "A/B test script" --version 1
	expect_rc 0
	expect_eq "$OUT" "$(cat "$SCRIPTS/ab.yaml")" "show gives the source verbatim"
	nc script show "A/B test script" --version 3
	expect_rc 1
	expect_err "has no version 3"
	nc script show "No such script"
	expect_rc 1
	expect_err "no script named"
	nc --as anna script archive "A/B test script"
	expect_rc 1
	nc script archive "A/B test script"
	expect_rc 0
	nc script list
	grep -q "A/B" "$TMP/out" && fail "an archived script is listed"
	nc script list --all
	expect_out "(archived)"
	nc script archive "A/B test script" --undo
	nc script list
	expect_out "A/B test script"
}

# ---- runs over HTTP ----

# serve_start: "nextcall serve" on a free port of the loopback, $BASE its URL, and API tokens
# $T_ANNA, $T_OLEG, $T_ELENA.
serve_start() {
	serve_bg
	BASE=$SERVE_BASE
	T_ANNA=$("$NEXTCALL" --db "$DB" token create anna)
	T_OLEG=$("$NEXTCALL" --db "$DB" token create oleg)
	T_ELENA=$("$NEXTCALL" --db "$DB" token create elena)
}

serve_stop() {
	kill "$SERVE_PID" 2>/dev/null
	wait "$SERVE_PID" 2>/dev/null
}

# api TOKEN METHOD PATH [JSON]: the answer's body in $OUT, its status in $RC.
api() {
	local args=(-s -o "$TMP/out" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $1")
	[ $# -ge 4 ] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
	RC=$(curl "${args[@]}" "$BASE$3")
	OUT=$(cat "$TMP/out")
	: >"$TMP/err"
}

# step RUN SEQ JSON-MEMBERS: one step of anna's run; fails the case unless it is answered 200.
step() {
	api "$T_ANNA" POST "/script-runs/$1/steps" "{\"seq\": $2, $3}"
	[ "$RC" = 200 ] || fail "step $2 of run $1 ($3): status $RC"
}

# run_new: anna starts a run of script 1 on $CLIENT; $RUN gets its id.
run_new() {
	api "$T_ANNA" POST /script-runs "{\"script_id\": 1, \"client_id\": $CLIENT${1:+, \"call_id\": $1}}"
	[ "$RC" = 201 ] || fail "start a run: status $RC"
	RUN=$(json 'j["id"]')
}

# run_to_close: the run $RUN from the greeting to the closing line, answering every question.
run_to_close() {
	step "$RUN" 0 '"action": "option", "option": 0'
	step "$RUN" 1 '"action": "answer", "answer": "Пётр Сидоров"'
	step "$RUN" 2 '"action": "option", "option": 0'
	step "$RUN" 3 '"action": "answer", "answer": "42,5"'
	step "$RUN" 4 '"action": "option", "option": 0'
	step "$RUN" 5 '"action": "answer", "answer": "yes"'
	step "$RUN" 6 '"action": "option", "option": 0'
	step "$RUN" 7 '"action": "answer", "answer": "2026-12-01T10:00:00Z"'
	step "$RUN" 8 '"action": "option", "option": 0'
	step "$RUN" 9 '"action": "answer", "answer": "+7 912 000-11-22"'
	step "$RUN" 10 '"action": "option", "option": 0'
}

# runs_state: what a step may change, as text (tokens record their last use: not compared).
runs_state() {
	sqlite3 "$DB" "select * from script_runs order by id"
	sqlite3 "$DB" "select * from script_run_steps order by run_id, seq"
	sqlite3 "$DB" "select * from calls order by id"
	sqlite3 "$DB" "select * from next_steps order by id"
	sqlite3 "$DB" "select * from clients order by id"
}

scripts_setup() {
	setup
	nc settings set team.name "Потолки <Плюс>"
	nc script add "$SCRIPTS/ab.yaml"
	[ "$RC" = 0 ] || fail "setup: script add failed"
	serve_start
}

t_script_run() {
	scripts_setup
	run_new
	expect_eq "$(json 'j["seq"], j["status"], j["node"]["id"]')" "0 open greeting" "start"
	json 'j["node"]["line"]' | grep -q "Потолки <Плюс>, .*Анна" || fail "the line is not rendered"
	# out of order, another rep, bad option: refused with the field named, nothing stored
	api "$T_ANNA" POST "/script-runs/$RUN/steps" '{"seq": 3, "action": "option", "option": 0}'
	expect_eq "$RC" 409 "a step out of order"
	expect_eq "$(json 'j["error"]["field"]')" "seq" "the field of a step out of order"
	expect_out "expects seq 0"
	api "$T_OLEG" POST "/script-runs/$RUN/steps" '{"seq": 0, "action": "option", "option": 0}'
	expect_eq "$RC" 403 "another rep's run"
	api "$T_OLEG" GET "/script-runs/$RUN"
	expect_eq "$RC" 403 "another rep reads the run"
	api "$T_ELENA" GET "/script-runs/$RUN"
	expect_eq "$RC" 200 "the head reads the run"
	api "$T_ANNA" POST "/script-runs/$RUN/steps" '{"seq": 0, "action": "option", "option": 7}'
	expect_eq "$RC" 422 "an option the node does not have"
	expect_eq "$(json 'j["error"]["field"]')" "option" "its field"
	expect_eq "$(sqlite3 "$DB" "select steps from script_runs where id = $RUN")" 0 "nothing stored"
	run_to_close
	# every answer is in the card
	nc client show "$CLIENT" --json
	expect_out "Пётр Сидоров"
	expect_out "+79120001122"
	expect_eq "$(sqlite3 "$DB" "select field || '=' || value || ':' || type from client_fields
		where client_id = $CLIENT order by field" | tr '\n' ' ')" \
		"area_m2=42.5:number deadline=2026-12-01T10:00:00Z:datetime lights=yes:choice " \
		"captured fields"
	# a phone of another client is refused, naming the answers
	nc client add --name "Другой" --phone "+7 912 555-00-00"
	step "$RUN" 11 '"action": "back"'
	api "$T_ANNA" POST "/script-runs/$RUN/steps" '{"seq": 12, "action": "answer", "answer": "+79125550000"}'
	expect_eq "$RC" 409 "a phone of another client"
	expect_eq "$(json 'j["error"]["field"]')" "answers" "its field"
	step "$RUN" 12 '"action": "option", "option": 0'
	step "$RUN" 13 '"action": "objection", "objection": "expensive"'
	step "$RUN" 14 '"action": "resume"'
	step "$RUN" 15 '"action": "option", "option": 0'
	# the finish goes through the sales rules: no next step is refused and stores nothing
	local before
	before=$(runs_state)
	api "$T_ANNA" POST "/script-runs/$RUN/steps" '{"seq": 16, "action": "finish"}'
	expect_eq "$RC" 422 "a finish without the next step"
	expect_out "next_step_missing"
	expect_eq "$(runs_state)" "$before" "a refused finish stores nothing"
	api "$T_ANNA" POST "/script-runs/$RUN/steps" \
		'{"seq": 16, "action": "finish", "next_step": {"kind": "call", "due_at": "2026-11-24T10:00"}}'
	expect_eq "$RC" 422 "a next step the node does not capture"
	expect_eq "$(json 'j["error"]["field"]')" "next_step.kind" "its field"
	step "$RUN" 16 '"action": "finish", "next_step": {"kind": "visit", "due_at": "2026-11-24T10:00"}'
	expect_eq "$(json 'j["status"], j["result"]')" "finished max" "finished"
	local call
	call=$(json 'j["logged"]["call_id"]')
	expect_eq "$(sqlite3 "$DB" "select c.direction || ' ' || c.result || ' ' || c.outcome || ' ' ||
		c.purpose || ' ' || c.script_run_id || ' ' || r.call_id from calls c join script_runs r
		on r.id = c.script_run_id where c.id = $call")" \
		"in max next_step Measurement visit at a concrete time $RUN $call" "the logged call"
	expect_eq "$(sqlite3 "$DB" "select kind from next_steps where call_id = $call")" "visit" \
		"the next step"
	api "$T_ANNA" POST "/script-runs/$RUN/steps" '{"seq": 17, "action": "back"}'
	expect_eq "$RC" 409 "a step to a finished run"
	expect_eq "$(json 'j["error"]["field"]')" "run" "its field"
	api "$T_ANNA" POST "/script-runs/$RUN/abandon"
	expect_eq "$RC" 409 "abandoning a finished run"
	serve_stop
}

t_script_run_pbx_call() {
	scripts_setup
	sqlite3 "$DB" "insert into calls (client_id, rep_id, kind, direction, started_at, talk_s,
		phone, pbx_id, logged, created_at) values ($CLIENT, (select id from users where login = 'anna'), 'call', 'in', 1795424000, 95,
		'+79123456789', 'pbx-1', 0, 1795424000)"
	local pbx
	pbx=$(sqlite3 "$DB" "select id from calls where pbx_id = 'pbx-1'")
	local ncalls
	ncalls=$(sqlite3 "$DB" "select count(*) from calls")
	run_new "$pbx"
	expect_eq "$(json 'j["call_id"]')" "$pbx" "the run is on the exchange's call"
	run_to_close
	step "$RUN" 11 '"action": "option", "option": 1'
	step "$RUN" 12 '"action": "finish", "next_step": {"kind": "callback", "due_at": "2026-11-24T10:00"}'
	expect_eq "$(json 'j["logged"]["call_id"]')" "$pbx" "the finish logged that call"
	expect_eq "$(sqlite3 "$DB" "select count(*) from calls")" "$ncalls" "no second call"
	expect_eq "$(sqlite3 "$DB" "select logged || ' ' || result || ' ' || talk_s || ' ' ||
		pbx_id || ' ' || script_run_id from calls where id = $pbx")" "1 min 95 pbx-1 $RUN" \
		"the exchange's call logged"
	api "$T_ANNA" POST /script-runs "{\"script_id\": 1, \"client_id\": $CLIENT, \"call_id\": $pbx}"
	expect_eq "$RC" 409 "a run on a logged call"
	expect_eq "$(json 'j["error"]["field"]')" "call_id" "its field"
	serve_stop
}

# runs_for_stats: runs with known ends: max, min, a refusal, an abandoned one, a stale one, an
# open one, each opening the objection on the way or not.
runs_for_stats() {
	local i
	for i in 1 2 3 4 5 6; do
		run_new
		run_to_close
		step "$RUN" 11 '"action": "option", "option": 0'
		[ "$i" -le 2 ] && step "$RUN" 12 '"action": "back"'
		[ "$i" -le 2 ] && step "$RUN" 13 '"action": "option", "option": 0'
		[ "$i" = 1 ] && { step "$RUN" 14 '"action": "objection", "objection": "expensive"'
			step "$RUN" 15 '"action": "resume"'; }
		local seq
		seq=$(sqlite3 "$DB" "select steps from script_runs where id = $RUN")
		step "$RUN" "$seq" '"action": "finish", "next_step": {"kind": "visit", "due_at": "2026-11-24T10:00"}'
	done
	for i in 1 2; do
		run_new
		run_to_close
		step "$RUN" 11 '"action": "option", "option": 1'
		step "$RUN" 12 '"action": "finish", "next_step": {"kind": "call", "due_at": "2026-11-24T11:00"}'
	done
	run_new
	run_to_close
	step "$RUN" 11 '"action": "objection", "objection": "expensive"'
	step "$RUN" 12 '"action": "option", "option": 2'
	step "$RUN" 13 '"action": "finish", "refused": "too expensive for now",
		"next_step": {"kind": "call", "due_at": "2026-12-01T11:00"}'
	run_new
	step "$RUN" 0 '"action": "option", "option": 0'
	api "$T_ANNA" POST "/script-runs/$RUN/abandon"
	[ "$RC" = 200 ] || fail "abandon: status $RC"
	run_new
	step "$RUN" 0 '"action": "option", "option": 0'
	step "$RUN" 1 '"action": "answer", "answer": "Пётр"'
	sqlite3 "$DB" "update script_runs set updated_at = updated_at - 90000 where id = $RUN"
	run_new
}

t_script_stats() {
	scripts_setup
	runs_for_stats
	serve_stop
	nc --as anna script stats "A/B test script"
	expect_rc 1
	nc script stats "A/B test script" --json
	expect_rc 0
	local v=1 # stats of the latest version: the runs were on version 1
	expect_eq "$(json 'j["version"], j["runs"], j["finished"], j["abandoned"], j["open"]')" \
		"1 12 9 2 1" "totals"
	expect_eq "$(json 'j["max"]["k"], j["min"]["k"]')" "6 2" "goals"
	# per node, from the raw rows: distinct runs that entered it, those ended max / min
	local want got
	want=$(sqlite3 "$DB" "select s.entered || ' ' || count(distinct s.run_id) || ' ' ||
		count(distinct case when r.result = 'max' then s.run_id end) || ' ' ||
		count(distinct case when r.result = 'min' then s.run_id end) from script_run_steps s
		join script_runs r on r.id = s.run_id where r.version_id = $v and s.entered
		not like 'objection:%' group by s.entered order by s.entered")
	got=$(json '"\n".join("%s %d %d %d" % (n["node"], n["reached"], n["max"]["k"], n["min"]["k"]) for n in sorted(j["nodes"], key=lambda n: n["node"]) if n["reached"])')
	expect_eq "$got" "$want" "per node"
	expect_eq "$(json '[(n["node"], n["abandoned"]) for n in j["nodes"] if n["abandoned"]]')" \
		"[('name', 2)]" "where runs were abandoned"
	expect_eq "$(json '[n["reached"] for n in j["nodes"] if n["node"] in ("greeting", "booked", "callback", "refused")]')" \
		"[12, 6, 2, 1]" "reached"
	# per wording: runs shown it, of those ended max; the p-value and P(best) recomputed
	want=$(sqlite3 "$DB" "select s.entered || ' ' || s.variant || ' ' || count(distinct s.run_id)
		|| ' ' || count(distinct case when r.result = 'max' then s.run_id end) from
		script_run_steps s join script_runs r on r.id = s.run_id where r.version_id = $v and
		s.entered in ('greeting', 'close', 'objection:expensive') group by s.entered,
		s.variant order by s.entered, s.variant")
	got=$(json '"\n".join("%s %d %d %d" % (x["node"], x["variant"], x["max"]["n"], x["max"]["k"]) for x in sorted(j["variants"], key=lambda x: (x["node"], x["variant"])) if x["max"]["n"])')
	expect_eq "$got" "$want" "per wording"
	json 'json.dumps(j["variants"])' >"$TMP/variants.json"
	python3 - "$TMP/variants.json" <<'EOF' >"$TMP/out" 2>&1 || fail "p-values or P(best) do not match"
import json, math, sys
vs = json.load(open(sys.argv[1]))
def p2(k1, n1, k2, n2):
    if not n1 or not n2: return 1.0
    p = (k1 + k2) / (n1 + n2)
    se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    if se == 0: return 1.0
    z = abs(k1 / n1 - k2 / n2) / se
    return math.erfc(z / math.sqrt(2))
for node in {v["node"] for v in vs}:
    arms = [v for v in vs if v["node"] == node]
    assert abs(sum(v["prob_best"] for v in arms) - 1) < 0.01, node
    for v in arms:
        others = [o for o in arms if o is not v and o["max"]["n"]]
        if not others:
            assert v["p_value"] == 1, (node, v)
            continue
        b = max(others, key=lambda o: o["max"]["k"] / o["max"]["n"])
        want = p2(v["max"]["k"], v["max"]["n"], b["max"]["k"], b["max"]["n"])
        assert abs(v["p_value"] - want) < 1e-6, (node, v, want)
EOF
	nc script stats "A/B test script"
	expect_rc 0
	expect_out "12 runs, 9 finished, 2 abandoned, 1 open"
	expect_out "P(best)"
	# the numbers above are read from script_counts (migration 0018), kept as the runs went:
	# they equal a recount from the runs and steps
	nc report verify
	expect_rc 0
	expect_out "0 differences"
	local kept
	kept=$(sqlite3 "$DB" "select * from script_counts order by 1, 2, 3")
	[ "$(echo "$kept" | wc -l)" -gt 20 ] || fail "script_counts has too few rows: $kept"
	# a count damaged by hand is found, named, and rewritten from the raw rows
	sqlite3 "$DB" "update script_counts set runs = runs + 5 where entered = 'greeting' and
		variant = -1; delete from script_counts where entered = ''"
	nc script stats "A/B test script" --json
	expect_eq "$(json '[n["reached"] for n in j["nodes"] if n["node"] == "greeting"], j["runs"]')" \
		"[17] 0" "stats read the kept counts"
	nc report verify
	expect_rc 1
	expect_out "2 differences (0 rollup cells, 0 pool counts, 0 step copies, 2 script counts, 0 call hours)"
	nc report verify --fix
	expect_rc 0
	expect_out "2 differences found and fixed (0 rollup cells, 0 pool counts, 0 step copies, 2 script counts, 0 call hours)"
	expect_eq "$(sqlite3 "$DB" "select * from script_counts order by 1, 2, 3")" "$kept" \
		"counts after --fix"
	nc script stats "A/B test script" --json
	expect_eq "$(json '[n["reached"] for n in j["nodes"] if n["node"] == "greeting"], j["runs"]')" \
		"[12] 12" "stats after --fix"
}

run_case script_check t_script_check
run_case script_versions t_script_versions
run_case script_run t_script_run
run_case script_run_pbx_call t_script_run_pbx_call
run_case script_stats t_script_stats
