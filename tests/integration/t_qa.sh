# t_qa.sh - quality control from the command line: the method's QA form, scoring a call (items
# data answers prefilled, the rest required), scores by week, a mystery shopper campaign whose
# plan is refused when it breaks the method's rules, the shopper's form, the leak rate and the
# alarm at 30%.

t_qa_review() {
	setup
	nc qa form list
	expect_rc 0
	expect_out "Method call review"
	nc qa form show 1
	expect_rc 0
	expect_out "8. [w3 ] Proposed a concrete next step (from data: next_step)"
	nc log call --client "$CLIENT" --rep anna --direction in --purpose "Записать на замер" \
		--result max --talk 180 --next visit@2026-11-24T10:00
	local call=$OUT
	# no script run: the script items must be answered; nothing is stored
	local before
	before=$(dump)
	nc qa review "$call" --yes 1,2,3 --no 6,9
	expect_rc 1
	expect_err "answers.4: answer yes or no to item 4"
	[ "$(dump)" = "$before" ] || fail "a refused review changed the database"
	nc --as anna qa review "$call" --yes 1,2,3,4,5,6,9
	expect_rc 1
	expect_err "this needs the head role"
	# 1 2 3 4 5 yes (1+1+2+1+2), 6 and 9 no, 7 and 8 from data: a phone and a next step (2+3)
	nc qa review "$call" --yes 1,2,3,4,5 --no 6,9 --note "слишком длинное приветствие"
	expect_rc 0
	expect_out "12/15 = 80%"
	expect_out "yes Proposed a concrete next step (from data)"
	expect_out "no  Summed up"
	nc qa review "$call" --yes 1,2,3,4,5 --no 6,9
	expect_rc 1
	expect_err "already reviewed with this form"
	nc qa review "$call" --yes 1,22
	expect_rc 2
	expect_eq "$(sqlite3 "$DB" 'select count(*) from qa_reviews')" 1 "one review stored"
	expect_eq "$(sqlite3 "$DB" 'select count(*) from qa_review_answers where from_data = 1')" \
		2 "two answers from data"
	nc qa scores --from 2026-11-16 --to 2026-11-29
	expect_rc 0
	expect_out "QA scores 2026-11-16 to 2026-11-29"
	expect_out "anna                   1     80%          -        80%"
	nc --as oleg qa scores --rep anna
	expect_rc 1
	expect_err "a rep sees only his own reviews"
	nc qa scores --from 2026-11-31
	expect_rc 1
	expect_err "from"
}
run_case qa_review t_qa_review

t_qa_campaign() {
	setup
	local sc="$ROOT/examples/scripts/mystery_shopper.yaml"
	local ok="--call anna@2026-11-24T10:00 --call oleg@2026-11-24T11:00 --call anna@2026-11-24T14:00"
	ok="$ok --call oleg@2026-11-25T10:00 --call anna@2026-11-25T16:30"
	local before
	before=$(dump)
	nc qa campaign add "Ноябрь" --scenario "$sc" --call anna@2026-11-24T10:00 \
		--call oleg@2026-11-24T11:00 --call anna@2026-11-24T14:00 --call oleg@2026-11-25T10:00
	expect_rc 1
	expect_err "calls: plan 5 to 50 test calls, not 4"
	nc qa campaign add "Ноябрь" --scenario "$sc" $ok --call anna@2026-11-24T10:45
	expect_rc 1
	expect_err "calls[5].at: in the same hour as calls[0]"
	nc qa campaign add "Ноябрь" --scenario "$sc" --call anna@2026-11-24T10:00 \
		--call anna@2026-11-24T11:00 --call anna@2026-11-24T14:00 --call anna@2026-11-25T10:00 \
		--call anna@2026-11-25T16:30
	expect_rc 1
	expect_err "at least 2 different reps"
	nc qa campaign add "Ноябрь" --scenario "$sc" $ok --call elena@2026-11-26T10:00
	expect_rc 1
	expect_err "calls[5].rep: \"elena\" is a head"
	nc qa campaign add "Ноябрь" --scenario "$sc" $ok --call anna@2026-11-27
	expect_rc 1
	expect_err "give the hour of the test call"
	nc qa campaign add "Ноябрь" --scenario "no such script" $ok
	expect_rc 1
	expect_err "scenario: no script"
	[ "$(dump)" = "$before" ] || fail "a refused plan changed the database"
	nc --as anna qa campaign add "Ноябрь" --scenario "$sc" $ok
	expect_rc 1
	nc qa campaign add "Ноябрь" --scenario "$sc" $ok
	expect_rc 0
	local id=$OUT
	local all="product,price,expensive,discount,think,boss,next_step,contacts"
	nc qa campaign fill "$id" 1 --yes "$all"
	expect_rc 0
	expect_out "filled 1 of 5, leaks 0, leak rate 0%"
	nc qa campaign fill "$id" 2 --yes product,price --no next_step
	expect_rc 1
	expect_err "answers.expensive: answer yes or no"
	nc qa campaign fill "$id" 2 --yes product,price,expensive,discount,boss,contacts \
		--no think,next_step
	expect_rc 0
	expect_out "filled 2 of 5, leaks 1, leak rate 50%"
	expect_out "ALARM: 50% of test calls ended without a next step"
	nc qa campaign fill "$id" 3 --yes "$all"
	nc qa campaign fill "$id" 4 --yes "$all"
	expect_out "leak rate 25%"
	[ "$(printf '%s' "$OUT" | grep -c ALARM)" = 0 ] || fail "alarm under 30%"
	nc qa campaign fill "$id" 5 --yes product,price,expensive,discount,boss \
		--no think,next_step,contacts
	expect_rc 0
	expect_out "filled 5 of 5, leaks 2, leak rate 40%"
	expect_out "the moves that failed most: think (2), next_step (2), contacts (1)"
	expect_out "train the reps: anna, oleg"
	nc qa campaign fill "$id" 6 --yes "$all"
	expect_rc 1
	expect_err "has no test call 6"
	nc qa campaign show "$id"
	expect_rc 0
	expect_out "5. 2026-11-25 16:30 anna         LEAK: no next step"
	nc qa campaign list
	expect_out "filled 5 of 5, leaks 2"
}
run_case qa_campaign t_qa_campaign
