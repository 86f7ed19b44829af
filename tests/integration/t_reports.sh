# t_reports.sh - the head of sales' numbers (docs/reports.md): report stats, funnel and reps on
# the demo data, every field compared with counts this file makes with its own SQL over the raw
# calls, deals and next_steps rows (never the rollups); "report verify" after logged calls, a
# call from the exchange logged through a script run, a client's new source, a deal's new stage
# and deleted calls; a corrupted rollup found and fixed; bad input refused naming the option.

# rp_bounds FROM TO: $RS, $RE the UTC epoch bounds [midnight of FROM, midnight after TO) in the
# demo team's zone, and $PS, $PE those of the previous period of the same length.
rp_bounds() {
	read -r RS RE PS PE < <(python3 - "$1" "$2" <<'EOF'
import sys, datetime as dt
from zoneinfo import ZoneInfo
z = ZoneInfo("Europe/Moscow")
f = dt.date.fromisoformat(sys.argv[1]); t = dt.date.fromisoformat(sys.argv[2])
days = (t - f).days + 1
ts = lambda d: int(dt.datetime(d.year, d.month, d.day, tzinfo=z).timestamp())
print(ts(f), ts(t + dt.timedelta(days=1)), ts(f - dt.timedelta(days=days)), ts(f))
EOF
)
}

# rp_where ALIAS: the report's filters ($RP_REP, $RP_SOURCE) on a row of calls, deals or
# next_steps, as SQL of our own.
rp_where() {
	local w=""
	[ -n "$RP_REP" ] && w="$w AND $1.rep_id = (SELECT id FROM users WHERE login = '$RP_REP')"
	[ -n "$RP_SOURCE" ] && w="$w AND $1.client_id IN (SELECT k.id FROM clients k JOIN sources s
		ON s.id = k.source_id WHERE s.name = '$RP_SOURCE')"
	echo "$w"
}

# rp_raw S E: one line of the period's numbers counted from the raw rows.
rp_raw() {
	local c d s
	c=$(rp_where c)
	d=$(rp_where d)
	s=$(rp_where s)
	sqlite3 "$DB" "SELECT
		coalesce(sum(CASE WHEN c.direction = 'in' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN c.direction = 'out' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN c.direction = 'in' AND c.missed = 1 THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN c.direction = 'in' AND c.missed = 0 THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN c.direction = 'in' AND c.missed = 0 AND c.ring_s < 15 THEN 1
			ELSE 0 END), 0),
		coalesce(sum(CASE WHEN c.result IN ('max', 'min') THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN c.result = 'max' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN c.result = 'min' THEN 1 ELSE 0 END), 0),
		coalesce(sum(c.talk_s), 0),
		coalesce(sum(CASE WHEN c.outcome = 'next_step' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN c.missed = 0 THEN 1 ELSE 0 END), 0),
		(SELECT count(*) FROM calls c WHERE c.kind = 'meeting' AND c.started_at >= $1 AND
			c.started_at < $2 $c),
		(SELECT count(DISTINCT m.id) FROM calls m JOIN calls b ON b.client_id = m.client_id AND
			b.id <> m.id AND b.kind = 'call' AND (b.direction = 'out' OR
			(b.direction = 'in' AND b.missed = 0)) AND b.started_at >= m.started_at AND
			b.started_at <= m.started_at + 900
			WHERE m.kind = 'call' AND m.direction = 'in' AND m.missed = 1 AND
			m.started_at >= $1 AND m.started_at < $2 $(rp_where m)),
		(SELECT count(*) FROM deals d WHERE d.created_at >= $1 AND d.created_at < $2 $d),
		(SELECT coalesce(sum(d.amount), 0) FROM deals d WHERE d.created_at >= $1 AND
			d.created_at < $2 $d),
		(SELECT count(*) FROM deals d WHERE d.stage = 'pending' AND d.created_at < $2 $d),
		(SELECT count(*) FROM deals d WHERE d.stage = 'won' AND d.closed_at >= $1 AND
			d.closed_at < $2 $d),
		(SELECT coalesce(sum(d.amount), 0) FROM deals d WHERE d.stage = 'won' AND
			d.closed_at >= $1 AND d.closed_at < $2 $d),
		(SELECT count(*) FROM next_steps s WHERE s.kind = 'visit' AND s.created_at >= $1 AND
			s.created_at < $2 $s)
		FROM calls c WHERE c.kind = 'call' AND c.started_at >= $1 AND c.started_at < $2 $c"
}

# rp_check KIND PREFIX...: compares the JSON in $OUT with the expectations in $TMP/want (lines
# "PATH VALUE"; PATH like incoming_calls, previous/sold, sources/NAME/calls, reps/LOGIN/sold,
# stages/KEY/count); money and shares within a cent / 1e-9.
rp_check() {
	printf '%s' "$OUT" >"$TMP/got.json"
	local why
	why=$(python3 - "$TMP/got.json" "$TMP/want" <<'EOF'

import json, sys
j = json.load(open(sys.argv[1]))
bad = []
for line in open(sys.argv[2], encoding="utf-8"):
    path, want = line.rstrip("\n").split(" ", 1)
    v, parts = j, path.split("/")
    i = 0
    while i < len(parts):
        p = parts[i]
        if isinstance(v, list):
            key = {"sources": "name", "reps": "login", "stages": "key"}[parts[i - 1]]
            m = [x for x in v if str(x[key]) == p]
            v = m[0] if m else "<missing>"
        else:
            v = v.get(p, "<missing>") if isinstance(v, dict) else "<missing>"
        i += 1
    if want == "null":
        ok = v is None
    elif want in ("true", "false"):
        ok = v == (want == "true")
    else:
        ok = isinstance(v, (int, float)) and not isinstance(v, bool) and \
            abs(v - float(want)) <= max(0.0051, abs(float(want)) * 1e-9)
    if not ok:
        bad.append("%s: want %s, got %r" % (path, want, v))
print("; ".join(bad[:8]))
EOF
)
	[ -z "$why" ] || fail "$why"
}

# rp_want_numbers PREFIX RAW: the expected numbers of one period (a line of rp_raw), each
# derived share included, as "PATH VALUE" lines.
rp_want_numbers() {
	python3 - "$1" "$2" <<'EOF'
import sys, math
p, raw = sys.argv[1], [int(x) for x in sys.argv[2].split("|")]
(inc, out, missed, ans, intime, eff, mx, mn, talk, steps, conn, meet, cb, offers, offamt,
 pending, sold, soldamt, visits) = raw
r = lambda a, b: a / b if b else 0
base = ans + out
w = dict(incoming_calls=inc, outgoing_calls=out, missed_calls=missed, answered_calls=ans,
         answered_in_time=intime, callbacks_in_time=cb, effective_calls=eff, max_calls=mx,
         min_calls=mn, talk_seconds=talk, step_calls=steps, meetings=meet, offers=offers,
         offers_amount=offamt / 100, pending=pending, sold=sold, sold_amount=soldamt / 100,
         average_check=math.floor(r(soldamt, sold) + 0.5) / 100, talk_per_call=r(talk, conn),
         answered_in_time_share=r(intime, ans), callbacks_in_time_share=r(cb, missed),
         max_rate=r(mx, base), min_rate=r(mn, base), call_to_step=r(steps, base),
         step_to_sale=r(sold, steps), call_to_sale=r(sold, base))
for k, v in w.items():
    print("%s%s %r" % (p, k, v))
EOF
}

# rp_want_sources FROM TO: each source's calls, spend (prorated by days) and costs.
rp_want_sources() {
	local spend calls sold
	spend=$(sqlite3 "$DB" "SELECT s.name, a.month, a.amount FROM ad_spend a JOIN sources s ON
		s.id = a.source_id")
	calls=$(sqlite3 "$DB" "SELECT s.name, count(*) FROM calls c JOIN clients k ON
		k.id = c.client_id JOIN sources s ON s.id = k.source_id WHERE c.kind = 'call' AND
		c.direction = 'in' AND c.started_at >= $RS AND c.started_at < $RE $(rp_where c)
		GROUP BY s.name")
	sold=$(sqlite3 "$DB" "SELECT s.name, count(*) FROM deals d JOIN clients k ON
		k.id = d.client_id JOIN sources s ON s.id = k.source_id WHERE d.stage = 'won' AND
		d.closed_at >= $RS AND d.closed_at < $RE $(rp_where d) GROUP BY s.name")
	python3 - "$1" "$2" "$spend" "$calls" "$sold" "$RP_SOURCE" <<'EOF'
import sys, calendar, math, datetime as dt
half = lambda x: math.floor(x + 0.5)  # rounding half away from zero, as llround
f = dt.date.fromisoformat(sys.argv[1]); t = dt.date.fromisoformat(sys.argv[2])
rows = lambda s: [l.split("|") for l in s.splitlines() if l]
spend = {}
for name, month, amount in rows(sys.argv[3]):
    y, m = map(int, month.split("-"))
    n = calendar.monthrange(y, m)[1]
    a, b = max(f, dt.date(y, m, 1)), min(t, dt.date(y, m, n))
    days = (b - a).days + 1 if a <= b else 0
    spend[name] = spend.get(name, 0) + int(amount) * days / n
calls = {n: int(c) for n, c in rows(sys.argv[4])}
sold = {n: int(c) for n, c in rows(sys.argv[5])}
for name in sorted(set(spend) | set(calls)):
    if sys.argv[6] and name != sys.argv[6]:
        continue
    s = half(spend.get(name, 0))
    c, k = calls.get(name, 0), sold.get(name, 0)
    print("sources/%s/calls %d" % (name, c))
    print("sources/%s/sold %d" % (name, k))
    print("sources/%s/spend %r" % (name, s / 100))
    print("sources/%s/cost_per_call %s" % (name, repr(half(s / c) / 100) if c else "null"))
    print("sources/%s/cost_per_sale %s" % (name, repr(half(s / k) / 100) if k else "null"))
EOF
}

# rp_stats_check FROM TO: report stats --format json with $RP_REP / $RP_SOURCE against the raw
# rows, this period and the previous one.
rp_stats_check() {
	local args=(report stats --from "$1" --to "$2" --format json)
	[ -n "$RP_REP" ] && args+=(--rep "$RP_REP")
	[ -n "$RP_SOURCE" ] && args+=(--source "$RP_SOURCE")
	nc "${args[@]}"
	expect_rc 0
	rp_bounds "$1" "$2"
	{
		rp_want_numbers "" "$(rp_raw "$RS" "$RE")"
		rp_want_numbers "previous/" "$(rp_raw "$PS" "$RS")"
		rp_want_sources "$1" "$2"
	} >"$TMP/want"
	rp_check
	# the chart: a point per day up to 92 days, per month (the period's days in it) beyond
	local pts
	pts=$(json '"months" if "months" in j else "days"')
	if [ "$(json 'j["period"]["days"]')" -le 92 ]; then
		expect_eq "$pts" days "a short period is charted by day"
	else
		expect_eq "$pts" months "a long period is charted by month"
	fi
	expect_eq "$(json "'%d %d' % (sum(d['incoming'] for d in j['$pts']), len(j['$pts']) if '$pts' == 'days' else sum(d['days'] for d in j['$pts']))")" \
		"$(json 'j["incoming_calls"]') $(json 'j["period"]["days"]')" "the chart's $pts add up"
	if [ "$pts" = months ]; then
		# every month from the raw rows: from, to and its calls of each kind
		local m want="" got
		got=$(json '" ".join("%s:%s:%s:%d:%d:%d:%d:%d" % (m["month"], m["from"], m["to"], m["incoming"], m["outgoing"], m["missed"], m["effective"], m["sold"]) for m in j["months"])')
		for m in $(json '" ".join("%s:%s" % (m["from"], m["to"]) for m in j["months"])'); do
			rp_bounds "${m%%:*}" "${m##*:}"
			local t
			IFS='|' read -ra t <<<"$(rp_raw "$RS" "$RE")"
			want="$want ${m:0:7}:$m:${t[0]}:${t[1]}:${t[2]}:${t[5]}:${t[16]}"
		done
		expect_eq "$got" "${want# }" "each month of the chart"
		expect_eq "$(json 'j["months"][0]["from"] + " " + j["months"][-1]["to"]')" \
			"$1 $2" "the chart's months span the period"
	fi
}

# rp_median_check FROM TO: report stats' median sales cycle against the raw deals won in the 365
# days ending with TO.
rp_median_check() {
	nc report stats --from "$1" --to "$2" --format json
	expect_rc 0
	rp_bounds "$1" "$2"
	local cycles median
	cycles=$(sqlite3 "$DB" "SELECT d.closed_at - coalesce((SELECT min(c.started_at) FROM calls c
		WHERE c.client_id = d.client_id), k.created_at) FROM deals d JOIN clients k ON
		k.id = d.client_id WHERE d.stage = 'won' AND d.closed_at >= $RE - 365 * 86400 AND
		d.closed_at < $RE")
	median=$(python3 -c "import statistics,sys; v=[int(int(x)/86400) for x in sys.argv[1].split()]; print(statistics.median(v) if v else 0)" "$cycles")
	expect_eq "$(json "abs(j['median_cycle_days'] - $median) < 1e-6")" True "median cycle to $2 ($median)"
}

t_report_stats_demo() {
	nc init --demo
	expect_rc 0
	RP_REP="" RP_SOURCE="" rp_stats_check 2026-11-01 2026-11-22
	local incoming
	incoming=$(json 'j["incoming_calls"]')
	[ "$incoming" -gt 50 ] || fail "the demo month has calls: $incoming"
	[ "$(json 'j["sold"]')" -gt 0 ] || fail "the demo month has sales"
	RP_REP="" RP_SOURCE="" rp_stats_check 2026-10-01 2026-10-31
	RP_REP=anna RP_SOURCE="" rp_stats_check 2026-11-01 2026-11-22
	RP_REP=oleg RP_SOURCE="Авито" rp_stats_check 2026-09-15 2026-11-22
	# over 92 days: whole months from the monthly rollups, the edge days from the daily ones,
	# and the chart by month
	RP_REP="" RP_SOURCE="" rp_stats_check 2026-08-15 2026-11-22
	RP_REP=anna RP_SOURCE="" rp_stats_check 2026-09-25 2027-01-10
	nc report stats --from 2026-08-15 --to 2026-11-22 --format csv
	expect_rc 0
	expect_out "Month,From,To,Incoming,Outgoing,Missed,Effective,Sold"
	expect_out "2026-08,2026-08-15,2026-08-31,"
	RP_REP="" RP_SOURCE="Яндекс.Директ" rp_stats_check 2026-11-01 2026-11-22
	expect_eq "$(json '[s["name"] for s in j["sources"]]')" "['Яндекс.Директ']" \
		"the sources of a source filter"
	# the median sales cycle and the forecast, from the raw rows
	RP_REP="" RP_SOURCE="" rp_stats_check 2026-11-01 2026-11-22
	rp_bounds 2026-11-01 2026-11-22
	local cycles
	cycles=$(sqlite3 "$DB" "SELECT d.closed_at - coalesce((SELECT min(c.started_at) FROM calls c
		WHERE c.client_id = d.client_id), k.created_at) FROM deals d JOIN clients k ON
		k.id = d.client_id WHERE d.stage = 'won' AND d.closed_at >= $RE - 365 * 86400 AND
		d.closed_at < $RE")
	local median window
	# whole days, truncated as integer division does
	median=$(python3 -c "import statistics,sys; v=[int(int(x)/86400) for x in sys.argv[1].split()]; print(statistics.median(v) if v else 0)" "$cycles")
	expect_eq "$(json "abs(j['median_cycle_days'] - $median) < 1e-6")" True "median cycle"
	# windows whose first month is partial and holds sales (2026-10-16..2027-10-15: the days of
	# October from the daily rollups, the rest by month), or none (a year before the data)
	rp_median_check 2026-10-01 2027-10-15
	rp_median_check 2027-01-01 2027-01-31
	rp_median_check 2027-10-24 2027-10-24
	rp_median_check 2025-01-01 2025-12-31
	window=$(python3 -c "import math; print(max(math.ceil($median), 22))")
	local trail
	trail=$(RP_REP="" RP_SOURCE="" rp_raw "$((RE - window * 86400))" "$RE")
	local fc
	fc=$(python3 -c "
import sys
t = [int(x) for x in sys.argv[1].split('|')]
base = t[3] + t[1]
rate = t[16] / base if base else 0
print($(json 'j["answered_calls"] + j["outgoing_calls"]') * rate)" "$trail")
	expect_eq "$(json "abs(j['forecast']['sold'] - $fc) < 1e-6")" True "forecast ($fc)"
}
run_case report_stats_demo t_report_stats_demo

t_report_funnel_reps_demo() {
	nc init --demo
	rp_bounds 2026-11-01 2026-11-22
	local raw prev
	raw=$(RP_REP="" RP_SOURCE="" rp_raw "$RS" "$RE")
	prev=$(RP_REP="" RP_SOURCE="" rp_raw "$PS" "$RS")
	nc report funnel --from 2026-11-01 --to 2026-11-22 --format json
	expect_rc 0
	python3 - "$raw" "$prev" >"$TMP/want" <<'EOF'
import sys
def stages(raw):
    t = [int(x) for x in raw.split("|")]
    return [t[3] + t[1], t[18], t[16]]  # calls, visits agreed, won
cur, prev = stages(sys.argv[1]), stages(sys.argv[2])
r = lambda a, b: a / b if b else 0
for i, k in enumerate(["calls", "visit", "won"]):
    print("stages/%s/count %d" % (k, cur[i]))
    print("stages/%s/previous %d" % (k, prev[i]))
    print("stages/%s/share %r" % (k, 1 if i == 0 else r(cur[i], cur[i - 1])))
    print("stages/%s/previous_share %r" % (k, 1 if i == 0 else r(prev[i], prev[i - 1])))
EOF
	rp_check
	# the head's own stages
	nc settings set report.funnel '["incoming", "effective", "step:meeting", "offer", "pending", "won"]'
	expect_rc 0
	nc report funnel --from 2026-11-01 --to 2026-11-22 --format json
	expect_eq "$(json '[s["key"] for s in j["stages"]]')" \
		"['incoming', 'effective', 'step:meeting', 'offer', 'pending', 'won']" "stages"
	local t meet
	IFS='|' read -ra t <<<"$raw"
	meet=$(sqlite3 "$DB" "SELECT count(*) FROM next_steps WHERE kind = 'meeting' AND
		created_at >= $RS AND created_at < $RE")
	expect_eq "$(json '[s["count"] for s in j["stages"]]')" \
		"[${t[0]}, ${t[5]}, $meet, ${t[13]}, ${t[15]}, ${t[16]}]" "counts of the head's stages"
	nc settings set report.funnel '["calls", "teleport"]'
	expect_rc 1
	expect_err 'unknown stage "teleport"'

	# one row per rep, the total of the team, the allowed conversion highlighted
	nc settings set report.allowed_conversion 8
	nc report reps --from 2026-11-01 --to 2026-11-22 --format json
	expect_rc 0
	expect_eq "$(json 'j["allowed_conversion"]')" 0.08 "allowed conversion"
	expect_eq "$(json '[r["login"] for r in j["reps"]]')" "['anna', 'mike', 'oleg']" "rows"
	: >"$TMP/want"
	local rep line
	for rep in anna mike oleg; do
		line=$(RP_REP=$rep RP_SOURCE="" rp_raw "$RS" "$RE")
		RP_REP=$rep rp_want_numbers "reps/$rep/" "$line" >>"$TMP/want"
		python3 -c "
t = [int(x) for x in '$line'.split('|')]
base = t[3] + t[1]
conv = t[16] / base if base else 0
print('reps/$rep/conversion %r' % conv)
print('reps/$rep/below %s' % ('true' if base and conv < 0.08 else 'false'))" >>"$TMP/want"
	done
	rp_want_numbers "total/" "$raw" >>"$TMP/want"
	rp_check
	# a rep sees his own row only, and may not ask for another's
	nc --as anna report reps --from 2026-11-01 --to 2026-11-22 --format json
	expect_rc 0
	expect_eq "$(json '[r["login"] for r in j["reps"]]')" "['anna']" "a rep's own row"
	nc --as anna report stats --from 2026-11-01 --to 2026-11-22 --rep oleg --format json
	expect_rc 1
	expect_err "rep"
	nc --as anna report stats --from 2026-11-01 --to 2026-11-22 --format json
	expect_rc 0
	RP_REP=anna RP_SOURCE="" rp_want_numbers "" "$(RP_REP=anna RP_SOURCE="" rp_raw "$RS" "$RE")" >"$TMP/want"
	rp_check
	# the other formats come from the same numbers
	nc report reps --from 2026-11-01 --to 2026-11-22 --format csv
	expect_rc 0
	expect_out "anna"
	nc report stats --from 2026-11-01 --to 2026-11-22 --format xlsx --output "$TMP/r.xlsx"
	expect_rc 0
	[ -s "$TMP/r.xlsx" ] || fail "no XLSX written"
}
run_case report_funnel_reps_demo t_report_funnel_reps_demo

# ---- the rollups stay equal to a full recount ----

rp_verify_clean() {
	nc report verify
	[ "$RC" = 0 ] || fail "rollups differ after $1"
	expect_out "0 differences"
}

# rp_api TOKEN METHOD PATH [JSON]: the answer's body in $OUT, its status in $RC.
rp_api() {
	local args=(-s -o "$TMP/out" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $1")
	[ $# -ge 4 ] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
	RC=$(curl "${args[@]}" "$RP_BASE$3")
	OUT=$(cat "$TMP/out")
	: >"$TMP/err"
}

rp_step() {
	rp_api "$RP_T_ANNA" POST "/script-runs/$1/steps" "{\"seq\": $2, $3}"
	[ "$RC" = 200 ] || fail "step $2 of run $1 ($3): status $RC $OUT"
}

t_report_rollups_follow() {
	nc init --demo
	rp_verify_clean "the demo"
	local client anna_id
	anna_id=$(sqlite3 "$DB" "SELECT id FROM users WHERE login = 'anna'")
	client=$(sqlite3 "$DB" "SELECT min(id) FROM clients WHERE owner_id = $anna_id AND
		category = 'now'")
	nc report stats --from 2026-11-23 --to 2026-11-23 --format json
	local cb0
	cb0=$(json 'j["callbacks_in_time"]')
	# a missed inbound call called back ten minutes later: a callback in time on its day
	nc log call --client "$client" --rep anna --direction in --missed --at 2026-11-23T11:00
	expect_rc 0
	rp_verify_clean "a missed call"
	nc log call --client "$client" --rep anna --direction out --purpose "Записать на замер" \
		--result max --talk 120 --at 2026-11-23T11:10 --next visit@2026-11-25T10:00 \
		--offer 50000
	expect_rc 0
	rp_verify_clean "a callback with an offer"
	nc report stats --from 2026-11-23 --to 2026-11-23 --format json
	expect_eq "$(json 'j["callbacks_in_time"]')" "$((cb0 + 1))" "the callback counted"
	RP_REP="" RP_SOURCE="" rp_stats_check 2026-11-23 2026-11-23
	# a sale wins the open deal
	nc log call --client "$client" --rep anna --direction out --purpose "Договор" \
		--result max --talk 200 --won 48000
	expect_rc 0
	rp_verify_clean "a sale"
	# November less its days after the 22nd, which now hold calls and a sale
	RP_REP="" RP_SOURCE="" rp_stats_check 2026-11-01 2026-11-22
	rp_median_check 2026-11-01 2026-11-22
	rp_median_check 2026-11-01 2026-11-23
	RP_REP=anna RP_SOURCE="" rp_stats_check 2026-08-20 2026-11-22

	RP_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	RP_BASE="http://127.0.0.1:$RP_PORT/api/v1"
	"$NEXTCALL" --db "$DB" serve --listen "127.0.0.1:$RP_PORT" >"$TMP/serve.log" 2>&1 &
	local pid=$! i
	for i in $(seq 1 100); do
		curl -s -o /dev/null "$RP_BASE/openapi.json" && break
		sleep 0.1
	done
	RP_T_ANNA=$("$NEXTCALL" --db "$DB" token create anna)
	local t_head t_admin
	t_head=$("$NEXTCALL" --db "$DB" token create elena)
	t_admin=$("$NEXTCALL" --db "$DB" token create admin)
	# the client moves to another source: his rows move with him
	local src
	src=$(sqlite3 "$DB" "SELECT name FROM sources WHERE id <> (SELECT coalesce(source_id, 0)
		FROM clients WHERE id = $client) ORDER BY id LIMIT 1")
	rp_api "$t_head" PATCH "/clients/$client" "{\"source\": \"$src\"}"
	expect_eq "$RC" 200 "source changed"
	rp_verify_clean "a client's new source"
	# a deal's stage changed by hand
	local deal
	deal=$(sqlite3 "$DB" "SELECT min(id) FROM deals WHERE stage = 'offer'")
	rp_api "$t_head" PATCH "/deals/$deal" '{"stage": "won", "amount": 77000}'
	expect_eq "$RC" 200 "deal won"
	rp_verify_clean "a deal won by hand"
	deal=$(sqlite3 "$DB" "SELECT min(id) FROM deals WHERE stage = 'won'")
	rp_api "$t_head" PATCH "/deals/$deal" '{"stage": "lost"}'
	expect_eq "$RC" 200 "deal lost"
	rp_verify_clean "a won deal lost"
	# deleted calls: by the CLI and by the API (admin only)
	local call
	call=$(sqlite3 "$DB" "SELECT max(id) FROM calls WHERE kind = 'call' AND missed = 0")
	nc call delete "$call"
	expect_rc 0
	expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM calls WHERE id = $call")" 0 "deleted"
	rp_verify_clean "a deleted call"
	call=$(sqlite3 "$DB" "SELECT min(id) FROM calls WHERE kind = 'call' AND missed = 1")
	rp_api "$t_head" DELETE "/calls/$call"
	expect_eq "$RC" 403 "a head may not delete calls"
	rp_api "$t_admin" DELETE "/calls/$call"
	expect_eq "$RC" 204 "the admin deletes a call"
	rp_verify_clean "a call deleted over the API"
	nc call delete "$call"
	expect_rc 1
	expect_err "no call with id"
	# a call from the exchange, logged later through a script run: written behind the store's
	# back here, so verify first finds it and --fix counts it; the logging then keeps them equal
	sqlite3 "$DB" "INSERT INTO calls (client_id, rep_id, kind, direction, started_at, talk_s,
		phone, pbx_id, logged, created_at) VALUES ($client, $anna_id, 'call', 'in', 1795420800,
		95, '+79123456789', 'pbx-r1', 0, 1795420800)"
	nc report verify
	expect_rc 1
	expect_out "differences"
	nc report verify --fix
	expect_rc 0
	rp_verify_clean "verify --fix"
	nc script add "$ROOT/tests/data/scripts/ab.yaml"
	expect_rc 0
	local pbx run sid
	sid=$(printf '%s\n' "$OUT" | awk '$1 == "script" { print $2; exit }') # "script N version V: NAME"
	pbx=$(sqlite3 "$DB" "SELECT id FROM calls WHERE pbx_id = 'pbx-r1'")
	rp_api "$RP_T_ANNA" POST /script-runs "{\"script_id\": $sid, \"client_id\": $client, \"call_id\": $pbx}"
	expect_eq "$RC" 201 "run started"
	run=$(json 'j["id"]')
	rp_step "$run" 0 '"action": "option", "option": 0'
	rp_step "$run" 1 '"action": "answer", "answer": "Пётр Сидоров"'
	rp_step "$run" 2 '"action": "option", "option": 0'
	rp_step "$run" 3 '"action": "answer", "answer": "42,5"'
	rp_step "$run" 4 '"action": "option", "option": 0'
	rp_step "$run" 5 '"action": "answer", "answer": "yes"'
	rp_step "$run" 6 '"action": "option", "option": 0'
	rp_step "$run" 7 '"action": "answer", "answer": "2026-12-01T10:00:00Z"'
	rp_step "$run" 8 '"action": "option", "option": 0'
	rp_step "$run" 9 '"action": "answer", "answer": "+7 912 000-11-22"'
	rp_step "$run" 10 '"action": "option", "option": 0'
	rp_step "$run" 11 '"action": "option", "option": 1'
	rp_step "$run" 12 '"action": "finish", "next_step": {"kind": "callback", "due_at": "2026-11-24T10:00"}'
	expect_eq "$(sqlite3 "$DB" "SELECT logged || ' ' || result FROM calls WHERE id = $pbx")" \
		"1 min" "the exchange's call logged"
	rp_verify_clean "a call from the exchange logged"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# the team's zone changes every day's bounds: the rollups are recounted with it
	nc settings set team.timezone Asia/Vladivostok
	expect_rc 0
	rp_verify_clean "a new time zone"
	nc settings set callback.delay_min 30
	rp_verify_clean "a new callback delay"
	# a corrupted rollup row is found and repaired
	sqlite3 "$DB" "UPDATE report_daily SET incoming = incoming + 5 WHERE day = (SELECT max(day)
		FROM report_daily WHERE incoming > 0) AND incoming > 0"
	nc report verify
	expect_rc 1
	expect_out "0 pool counts, 0 step copies, 0 script counts, 0 call hours) between the raw rows"
	nc report verify --fix
	expect_rc 0
	expect_out "fixed"
	rp_verify_clean "the fix"
	# so is a corrupted month of the rollups (the sums of its days)
	sqlite3 "$DB" "UPDATE report_monthly SET talk_s = talk_s + 7 WHERE month = (SELECT max(month)
		FROM report_monthly WHERE talk_s > 0) AND talk_s > 0"
	nc report verify
	expect_rc 1
	expect_out "differences"
	nc report verify --fix
	expect_rc 0
	expect_out "fixed"
	rp_verify_clean "the month's fix"
	# and a month of the sales-cycle histogram
	sqlite3 "$DB" "UPDATE report_cycles_monthly SET n = n + 2 WHERE month = (SELECT max(month)
		FROM report_cycles_monthly)"
	nc report verify
	expect_rc 1
	expect_out "differences"
	nc report verify --fix
	expect_rc 0
	expect_out "fixed"
	rp_verify_clean "the cycles month's fix"
	# and the team's rows (migration 0011: the sums over the reps, read by a report of no rep):
	# a day's and a month's; the year's report reads the month's, a rep's does not
	nc report stats --from 2026-01-01 --to 2026-12-31 --format json
	expect_rc 0
	local year=$OUT
	nc report stats --from 2026-01-01 --to 2026-12-31 --rep anna --format json
	local anna=$OUT
	sqlite3 "$DB" "UPDATE report_daily_team SET missed = missed + 3 WHERE day = (SELECT max(day)
		FROM report_daily_team WHERE missed > 0) AND missed > 0"
	sqlite3 "$DB" "UPDATE report_monthly_team SET sold = sold + 4 WHERE month = (SELECT
		max(month) FROM report_monthly_team WHERE sold > 0) AND sold > 0"
	nc report stats --from 2026-01-01 --to 2026-12-31 --format json
	[ "$OUT" != "$year" ] || fail "the year's report did not read the team's months"
	nc report stats --from 2026-01-01 --to 2026-12-31 --rep anna --format json
	expect_eq "$OUT" "$anna" "a rep's report, from his own rows"
	nc report verify
	expect_rc 1
	expect_out "differences"
	nc report verify --fix
	expect_rc 0
	expect_out "fixed"
	rp_verify_clean "the team rows' fix"
	nc report stats --from 2026-01-01 --to 2026-12-31 --format json
	expect_eq "$OUT" "$year" "the year's report after the team rows' fix"
	nc --as anna report verify
	expect_rc 1
	expect_err "admin"
}
run_case report_rollups_follow t_report_rollups_follow

# Random writes keep the rollups equal to a full recount (issue 9: each write adds its difference
# to the cells): calls in, out and missed around midnight (a missed call called back on the next
# day), results, next steps, offers, sales, deals changed by hand, clients moved between sources,
# segments and owners, deleted calls. Seeded: the same writes every run.
t_report_rollups_random() {
	nc init --demo
	rp_verify_clean "the demo"
	RANDOM=9
	local clients reps=(anna oleg mike elena) kinds=(call callback meeting visit offer invoice decision)
	local sources segments owners=(anna oleg mike)
	mapfile -t clients < <(sqlite3 "$DB" "SELECT id FROM clients ORDER BY id LIMIT 8")
	mapfile -t sources < <(sqlite3 "$DB" "SELECT name FROM sources ORDER BY id")
	mapfile -t segments < <(sqlite3 "$DB" "SELECT name FROM segments ORDER BY id")
	RP_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	RP_BASE="http://127.0.0.1:$RP_PORT/api/v1"
	"$NEXTCALL" --db "$DB" serve --listen "127.0.0.1:$RP_PORT" >"$TMP/serve.log" 2>&1 &
	local pid=$! i
	for i in $(seq 1 100); do
		curl -s -o /dev/null "$RP_BASE/openapi.json" && break
		sleep 0.1
	done
	local t_head
	t_head=$("$NEXTCALL" --db "$DB" token create elena)
	local n logged=0 moved=0 deals=0 deleted=0
	for n in $(seq 1 300); do
		local op=$((RANDOM % 20)) c=${clients[RANDOM % ${#clients[@]}]}
		# 2026-11-22 18:00 .. 2026-11-23 08:59 UTC: both sides of midnight in Moscow
		local at
		at=$(date -u -d "@$((1795370400 + (RANDOM % 900) * 60))" +%Y-%m-%dT%H:%M:%SZ)
		if [ "$op" -lt 12 ]; then
			local args=(log call --client "$c" --rep "${reps[RANDOM % 4]}" --at "$at")
			if [ $((RANDOM % 3)) = 0 ]; then
				args+=(--direction in --missed)
			else
				args+=(--direction "$([ $((RANDOM % 2)) = 0 ] && echo in || echo out)"
					--purpose "Замер" --talk $((RANDOM % 600)))
				args+=(--result "$(printf 'max\nmin\nnone' | sed -n "$((RANDOM % 3 + 1))p")")
				[ $((RANDOM % 4)) = 0 ] && args+=(--offer $((1000 + RANDOM)))
				if [ $((RANDOM % 6)) = 0 ]; then
					args+=(--won $((1000 + RANDOM)))
				else
					args+=(--next "${kinds[RANDOM % 7]}@2026-11-2$((4 + RANDOM % 5))T1$((RANDOM % 8)):00")
				fi
			fi
			nc "${args[@]}"
			[ "$RC" = 0 ] && logged=$((logged + 1))
		elif [ "$op" -lt 15 ]; then
			local body
			case $((RANDOM % 3)) in
			0) body="{\"source\": \"${sources[RANDOM % ${#sources[@]}]}\"}" ;;
			1) body="{\"segment\": \"${segments[RANDOM % ${#segments[@]}]}\"}" ;;
			*) body="{\"owner\": \"${owners[RANDOM % 3]}\"}" ;;
			esac
			rp_api "$t_head" PATCH "/clients/$c" "$body"
			[ "$RC" = 200 ] || fail "client $c $body: status $RC $OUT"
			moved=$((moved + 1))
		elif [ "$op" -lt 18 ]; then
			local deal stage
			deal=$(sqlite3 "$DB" "SELECT id FROM deals ORDER BY id DESC LIMIT 1 OFFSET $((RANDOM % 6))")
			stage=$(printf 'won\nlost\npending\noffer' | sed -n "$((RANDOM % 4 + 1))p")
			[ -n "$deal" ] || continue
			rp_api "$t_head" PATCH "/deals/$deal" "{\"stage\": \"$stage\", \"amount\": $((RANDOM + 1))}"
			[ "$RC" = 200 ] && deals=$((deals + 1))
		else
			local call
			call=$(sqlite3 "$DB" "SELECT id FROM calls ORDER BY id DESC LIMIT 1 OFFSET $((RANDOM % 10))")
			nc call delete "$call"
			[ "$RC" = 0 ] || fail "call delete $call"
			deleted=$((deleted + 1))
		fi
		[ $((n % 100)) = 0 ] && rp_verify_clean "$n random writes"
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ "$logged" -gt 100 ] && [ "$moved" -gt 20 ] && [ "$deals" -gt 10 ] && [ "$deleted" -gt 10 ] ||
		fail "too few writes of a kind: $logged calls, $moved moves, $deals deals, $deleted deletions"
	rp_verify_clean "the random writes"
}
run_case report_rollups_random t_report_rollups_random

# A report by rep over part of a month reads the month's row less the days outside the period
# only when those days hold no row (store_report_sums_of): a deactivated rep gets a line exactly
# when he has rows in the period, whichever way the period is read.
t_report_reps_split() {
	nc init --demo
	local c at rep p
	# anna (active) on the 5th; oleg on the 2nd and mike on the 20th, both deactivated after
	for p in "anna 2025-03-05T10:00" "oleg 2025-03-02T10:00" "mike 2025-03-20T10:00"; do
		read -r rep at <<<"$p"
		c=$(sqlite3 "$DB" "SELECT id FROM clients WHERE owner_id = (SELECT id FROM users WHERE
			login = '$rep') ORDER BY id LIMIT 1")
		nc log call --client "$c" --rep "$rep" --at "$at" --direction out --purpose "Замер" \
			--talk 60 --result max --won 1000
		expect_rc 0
	done
	sqlite3 "$DB" "UPDATE users SET active = 0 WHERE login IN ('mike', 'oleg')"
	# most of the month: the month less the days outside, read so only when those days hold no
	# row (the 26th to the 31st); else the period's days (mike's 20th after the 19th, oleg's 2nd
	# before the 4th)
	for p in "2025-03-01 2025-03-19 [('anna', 1), ('oleg', 1)]" \
		"2025-03-01 2025-03-25 [('anna', 1), ('mike', 1), ('oleg', 1)]" \
		"2025-03-04 2025-03-31 [('anna', 1), ('mike', 1)]" \
		"2025-03-04 2025-03-25 [('anna', 1), ('mike', 1)]" \
		"2025-03-01 2025-03-10 [('anna', 1), ('oleg', 1)]" \
		"2025-03-01 2025-03-31 [('anna', 1), ('mike', 1), ('oleg', 1)]"; do
		read -r from to want <<<"$p"
		nc report reps --from "$from" --to "$to" --format json
		expect_rc 0
		expect_eq "$(json '[(r["login"], r["outgoing_calls"]) for r in j["reps"]]')" "$want" \
			"reps $from..$to"
	done
}
run_case report_reps_split t_report_reps_split

# A database upgraded to 0008 with its rollups built: the migration sums the months from the days
# (a database migrated before report_monthly existed has neither table); 0009 brings back the
# per-rep indexes of the recount (added to 0006 after databases had run it).
t_report_months_migration() {
	nc init --demo
	expect_rc 0
	nc report stats --from 2026-08-15 --to 2026-11-22 --format json
	expect_rc 0
	local before=$OUT
	undo_0012
	sqlite3 "$DB" "DROP TABLE report_monthly; DROP TABLE report_cycles_monthly;
		DROP TABLE report_daily_team; DROP TABLE report_monthly_team;
		DROP INDEX next_steps_rep_created; DROP INDEX deals_rep_created;
		DROP INDEX deals_rep_closed; DELETE FROM schema_migrations WHERE version >= 8"
	nc report stats --from 2026-08-15 --to 2026-11-22 --format json
	expect_rc 1
	expect_err "nextcall init"
	nc init
	expect_rc 0
	# 0008, 0009, 0010 (which rebuilds client_terms as it was), 0011 (the team's rows, summed
	# from the rollups 0008 rebuilt), 0012 (the pool counts), 0013 (its insert trigger dropped)
	# 0014 (the CHECKs' texts, rewritten already: nothing to do), 0015 (the read indexes) and
	# 0016 (the planned steps' copies), 0017 (the indexes by call), 0018 (the script counts)
	# 0019 (the rollups' indexes by rep), 0020 (the calls per hour), 0021 (the search
	# index's index by client dropped), 0022 (the card's index of calls) and 0023 (the
	# planned steps' lines)
	expect_out "16 migrations applied"
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM report_monthly_team")" -gt 0 ] ||
		fail "0011 summed no team month"
	local catalog="sqlite_master WHERE name"
	[ -n "${NEXTCALL_TEST_PG:-}" ] && catalog="pg_indexes WHERE indexname"
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM $catalog IN ('next_steps_rep_created',
		'deals_rep_created', 'deals_rep_closed')")" = 3 ] ||
		fail "0009 did not bring back the per-rep indexes of the rollup recount"
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM report_cycles_monthly")" -gt 0 ] ||
		fail "the migration summed no sales-cycle month"
	rp_verify_clean "the migration to 0008"
	nc report stats --from 2026-08-15 --to 2026-11-22 --format json
	expect_rc 0
	expect_eq "$OUT" "$before" "the same report after the migration"
}
run_case report_months_migration t_report_months_migration

t_report_bad_input() {
	nc init --demo
	nc report stats --from 2026-11-30 --to 2026-11-01
	expect_rc 1
	expect_err "from 2026-11-30 is after to 2026-11-01"
	nc report stats --from 2026-13-01 --to 2026-12-01
	expect_rc 1
	expect_err "from"
	nc report funnel --from 2026-11-01 --to yesterday
	expect_rc 1
	expect_err "to"
	nc report reps --from 2026-11-01
	expect_rc 2
	expect_err "--to"
	nc report stats --from 2026-11-01 --to 2026-11-22 --rep nobody
	expect_rc 1
	expect_err 'no user "nobody"'
	nc report stats --from 2026-11-01 --to 2026-11-22 --source Nowhere
	expect_rc 1
	expect_err 'no source "Nowhere"'
	nc report stats --from 2026-11-01 --to 2026-11-22 --segment Nothing
	expect_rc 1
	expect_err 'no segment "Nothing"'
	nc report stats --from 2026-11-01 --to 2026-11-22 --format pdf
	expect_rc 2
	expect_err "--format"
	nc report stats --from 2000-01-01 --to 2026-11-22
	expect_rc 1
	expect_err "to"
	nc call delete abc
	expect_rc 2
}
run_case report_bad_input t_report_bad_input
