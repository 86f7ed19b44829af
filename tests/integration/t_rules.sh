# t_rules.sh - the sales rules through "nextcall log": each refusal exits 3, names its rule on
# stderr and leaves the database exactly as it was; accepted contacts plan what comes next.

# refused RULE ARGS...: the log command must be refused by RULE and change nothing.
refused() {
	local rule=$1
	shift
	local before
	before=$(dump)
	nc log "$@"
	expect_rc 3
	expect_err "$rule"
	[ "$(dump)" = "$before" ] || fail "refused input ($rule) changed the database"
}

t_refusals() {
	setup
	local c="--client $CLIENT --rep anna"
	refused purpose_missing call $c --direction out --next call@2026-11-24T10:00
	refused courtesy_call call $c --direction out --purpose "Звонок вежливости!" \
		--next call@2026-11-24T10:00
	refused courtesy_call call $c --direction out --purpose "just CHECKING in" \
		--next call@2026-11-24T10:00
	refused courtesy_call meeting $c --purpose "nezaket ARAMASI" --next call@2026-11-24T10:00
	refused courtesy_call call $c --direction out --purpose "Cuộc gọi xã giao" \
		--next call@2026-11-24T10:00
	refused goal_missing call $c --direction out --purpose "Записать на замер" --goal-max "" \
		--next call@2026-11-24T10:00
	refused next_step_missing call $c --direction in --talk 120
	refused next_step_vague call $c --direction in --next visit@2026-11-25
	refused next_step_past call $c --direction in --next call@2026-11-20T10:00
	refused decision_window_exceeded call $c --direction in --next decision@2026-11-30T10:00
	refused refusal_reason_missing call $c --direction in --refused "  " \
		--next call@2027-01-10T10:00
	refused next_step_missing call $c --direction in --refused "дорого"
	refused never_reason_invalid call $c --direction in --never moved --note "переехал"
	refused never_reason_invalid call $c --direction in --never closed
	# a refusal lists every rule broken, each with its field
	nc log call $c --direction out --purpose "keeping in touch" --goal-min ""
	expect_rc 3
	expect_err "courtesy_call"
	expect_err "goal_missing"
	expect_err "next_step_missing"
	expect_err "[field purpose]"
}
run_case refusals t_refusals

t_accepted_call_plans_next_step() {
	setup
	nc log call --client "$CLIENT" --rep anna --direction out --purpose "Записать на замер" \
		--result max --talk 180 --next visit@2026-11-24T10:00
	expect_rc 0
	nc client show "$CLIENT" --json
	expect_eq "$(json "j['next_step']['kind'], j['next_step']['due_at']")" \
		"visit 2026-11-24T10:00:00+03:00" "next step stored in the rep's zone"
	expect_eq "$(json "j['history'][0]['outcome'], j['history'][0]['goal_max']")" \
		"next_step a meeting at a concrete date and time" "goals default from settings"
	# with an explicit offset the zone is not used
	nc log call --client "$CLIENT" --rep anna --direction in \
		--next call@2026-11-24T10:00:00Z
	expect_rc 0
	nc client show "$CLIENT" --json
	expect_eq "$(json "j['next_step']['due_at']")" "2026-11-24T13:00:00+03:00" "offset honoured"
	nc next list --json
	expect_eq "$(json "len(j)")" 1 "the earlier step was closed by the new contact"
}
run_case accepted_call_plans_next_step t_accepted_call_plans_next_step

t_agenda() {
	setup
	nc log call --client "$CLIENT" --rep anna --direction in --next call@2026-11-23T15:00
	nc client add --name "Сергей" --phone "+79990000003" --owner anna
	local other=$OUT
	NEXTCALL_NOW=2026-11-20T07:00:00Z nc log call --client "$other" --rep anna --direction in \
		--at 2026-11-20T09:30 --next meeting@2026-11-23T10:00
	expect_rc 0
	nc agenda --rep anna --json
	expect_rc 0
	expect_eq "$(json "[s['client_id'] for s in j['today']]")" "[$CLIENT]" "today"
	expect_eq "$(json "[s['client_id'] for s in j['overdue']]")" "[$other]" "overdue"
	expect_eq "$(json "j['today'][0]['due_at']")" "2026-11-23T15:00:00+03:00" "due_at"
	# the counters follow from the lists when under their cap: both steps are due today
	expect_eq "$(json "j['counters']['overdue'], j['counters']['planned_today']")" "1 2" \
		"counters"
	expect_eq "$(json "[s['rep'] for s in j['overdue'] + j['today']]")" "['anna', 'anna']" \
		"rep logins"
	nc client show "$CLIENT" --json
	expect_eq "$(json "[h['rep'] for h in j['history']]")" "['anna']" "history rep login"
	nc client add --name "Без шага" --phone "+79990000004" --owner anna
	local lost=$OUT
	nc agenda --rep anna --json
	json "[v for v in j['violations'] if v['client_id']==$lost]" | grep -q next_step_missing ||
		fail "client without a next step is not reported"
	nc agenda --rep anna --date 2026-11-24 --json
	expect_eq "$(json "len(j['today'])")" 0 "another day"
	expect_eq "$(json "j['counters']['overdue'], j['counters']['planned_today']")" "1 0" \
		"counters of another day"
	nc agenda --date 2026-13-01
	expect_rc 1
	expect_err "invalid date"
}
run_case agenda t_agenda

t_missed_calls_plan_callbacks() {
	setup
	nc log call --client "$CLIENT" --rep anna --direction in --missed --at 2026-11-23T11:50
	expect_rc 0
	nc next list --json
	expect_eq "$(json "j[0]['kind'], j[0]['due_at'], j[0]['auto']")" \
		"callback 2026-11-23T12:05:00+03:00 True" "missed inbound: callback in 15 min"
	nc settings set retry.delay_days 3
	nc log call --client "$CLIENT" --rep anna --direction out --purpose "Перезвонить по смете" \
		--missed --at 2026-11-23T11:55
	nc next list --json
	expect_eq "$(json "[(s['kind'], s['due_at']) for s in j]")" \
		"[('call', '2026-11-26T11:55:00+03:00')]" "missed outbound: retry in 3 days"
	nc log call --client "$CLIENT" --rep anna --direction in --missed --next call@2026-11-24T10:00
	expect_rc 1
	expect_err "missed"
}
run_case missed_calls_plan_callbacks t_missed_calls_plan_callbacks

t_categories_and_deals() {
	setup
	nc log call --client "$CLIENT" --rep anna --direction in --offer 45000 \
		--next decision@2026-11-25T12:00
	expect_rc 0
	nc client show "$CLIENT" --json
	expect_eq "$(json "[(d['stage'], d['amount']) for d in j['deals']]")" \
		"[('pending', 45000)]" "offer awaiting a decision is pending"
	nc log call --client "$CLIENT" --rep anna --direction in --won 47000.50
	expect_rc 0
	nc client show "$CLIENT" --json
	expect_eq "$(json "[(d['stage'], d['amount']) for d in j['deals']]")" \
		"[('won', 47000.5)]" "sale wins the open deal"
	expect_eq "$(json "j['next_step']")" "None" "a sale needs no next step"
	nc log call --client "$CLIENT" --rep anna --direction in --refused "дорого, сравнивает" \
		--next call@2027-01-15T11:00
	expect_rc 0
	expect_err "cadence_exceeded"
	nc client show "$CLIENT" --json
	expect_eq "$(json "j['category'], j['refusal_reason']")" "future дорого, сравнивает" \
		"refusal files the client as future"
	nc log call --client "$CLIENT" --rep anna --direction in --never closed \
		--note "компания ликвидирована"
	expect_rc 0
	nc client show "$CLIENT" --json
	expect_eq "$(json "j['category'], j['never_reason'], j['next_step']")" "never closed None" \
		"never: gone for good, steps cancelled"
}
run_case categories_and_deals t_categories_and_deals

t_next_steps_edit() {
	setup
	nc log call --client "$CLIENT" --rep anna --direction in --next call@2026-11-24T10:00
	nc next list --json
	local id
	id=$(json "j[0]['id']")
	nc next move "$id" 2026-11-24
	expect_rc 3
	expect_err next_step_vague
	nc next move "$id" 2026-11-25T16:30
	expect_rc 0
	nc next list --json
	expect_eq "$(json "j[0]['due_at']")" "2026-11-25T16:30:00+03:00" "moved"
	nc next cancel "$id"
	expect_rc 2
	nc next cancel "$id" --reason " "
	expect_rc 1
	nc next cancel "$id" --reason "клиент перезвонит сам"
	expect_rc 0
	nc next done "$id"
	expect_rc 1
	expect_err "already cancelled"
	nc next done 99999
	expect_rc 1
	expect_err "does not exist"
}
run_case next_steps_edit t_next_steps_edit

t_rep_permissions() {
	setup
	nc --as oleg log call --client "$CLIENT" --rep oleg --direction in \
		--next call@2026-11-24T10:00
	expect_rc 1
	expect_err "belongs to another rep"
	nc --as anna log call --client "$CLIENT" --rep oleg --direction in \
		--next call@2026-11-24T10:00
	expect_rc 1
	expect_err "acts only for himself"
	nc --as anna settings set callback.delay_min 5
	expect_rc 1
	expect_err "head"
	nc --as anna log call --client "$CLIENT" --direction in --next call@2026-11-24T10:00
	expect_rc 0
}
run_case rep_permissions t_rep_permissions
