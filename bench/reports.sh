#!/usr/bin/env bash
# bench/reports.sh - issue 6's figure: the report statistics for a month and a year, answered by
# nextcall from its daily rollups, against the sqlite3 shell computing the same counts (incoming,
# outgoing, missed, effective calls, talk seconds) over the raw calls table. bench/run calls it
# with its running server; it prints a Markdown section (and a "goal" line) on stdout.
#
# usage: bench/reports.sh NEXTCALL DB PORT TOKEN SERVER_LOG [RUNS]
#   TOKEN: an API token of a head of sales; SERVER_LOG: the server's log (access lines with µs);
#   RUNS: requests per period and way (default 20; the sqlite3 shell runs RUNS/4, at least 3).
set -euo pipefail

[ $# -ge 5 ] || { echo "usage: bench/reports.sh NEXTCALL DB PORT TOKEN SERVER_LOG [RUNS]" >&2; exit 2; }
nc=$1 db=$2 port=$3 token=$4 log=$5 runs=${6:-20}
sq_runs=$(( runs / 4 > 3 ? runs / 4 : 3 ))
say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# ---- the periods: the last whole month and the 365 days up to the last day with calls, as days
# of the team's zone (docs/reports.md: a period is [midnight of from, midnight after to) there) ----
tz=$(sqlite3 "$db" "SELECT value FROM settings WHERE key = 'team.timezone'")
tz=${tz:-UTC}
last=$(sqlite3 "$db" "SELECT max(started_at) FROM calls WHERE kind = 'call'")
[ -n "$last" ] || die "the database has no calls"
# periods: "name from to start end" lines (start, end: the period's bounds in epoch seconds)
periods=$(python3 - "$tz" "$last" <<'EOF'
import sys, datetime as dt
from zoneinfo import ZoneInfo
z = ZoneInfo(sys.argv[1])
last = dt.datetime.fromtimestamp(int(sys.argv[2]), z).date()
def bounds(a, b):
    s = dt.datetime.combine(a, dt.time(), z)
    e = dt.datetime.combine(b + dt.timedelta(days=1), dt.time(), z)
    return int(s.timestamp()), int(e.timestamp())
m_end = last.replace(day=1) - dt.timedelta(days=1)
m_from = m_end.replace(day=1)
y_from = last - dt.timedelta(days=364)
for name, a, b in (("month", m_from, m_end), ("year", y_from, last)):
    print(name, a, b, *bounds(a, b))
EOF
)

# the same aggregate over the raw rows, as docs/reports.md defines it; a third argument (NOT
# INDEXED) makes SQLite scan the table instead of following its started_at index
raw_sql() {
	echo "SELECT sum(direction = 'in'), sum(direction = 'out'),
	sum(direction = 'in' AND missed = 1), sum(result IN ('max', 'min')), sum(talk_s)
	FROM calls ${3:-} WHERE kind = 'call' AND started_at >= $1 AND started_at < $2;"
}
ms_since() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.3f", (b - a) / 1e6 }'; }
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
maxof() { sort -g | tail -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.1f", a / b; else print "-" }'; }

rows=$(sqlite3 "$db" "SELECT count(*) FROM calls WHERE kind = 'call'")
rollups=$(sqlite3 "$db" "SELECT count(*) FROM report_daily")
echo "| period | calls in it | nextcall HTTP p50 / max ms | server p50 µs | \`report stats\` CLI p50 ms | sqlite3 shell p50 ms (query / process) | ratio HTTP | ratio server | ratio CLI |"
echo "|---|---|---|---|---|---|---|---|---|"
goal=met
goal_txt=
while read -r name from to start end; do
	url="http://127.0.0.1:$port/api/v1/reports/stats?from=$from&to=$to"
	out=$(mktemp)
	code=$(curl -s -o "$out" -w '%{http_code}' -H "Authorization: Bearer $token" "$url")
	[ "$code" = 200 ] || die "GET $url answered $code: $(head -c 300 "$out")"
	# ours and the raw rows must agree before their times mean anything
	ours=$(python3 -c 'import json, sys; j = json.load(open(sys.argv[1]))
print(*(j[k] for k in ("incoming_calls", "outgoing_calls", "missed_calls", "effective_calls",
                       "talk_seconds")), sep="|")' "$out")
	theirs=$(sqlite3 "$db" "$(raw_sql "$start" "$end")")
	rm -f "$out"
	[ "$ours" = "$theirs" ] || die "$name: nextcall says $ours, the raw rows $theirs"
	calls_in=$(sqlite3 "$db" "SELECT count(*) FROM calls WHERE kind = 'call' AND
		started_at >= $start AND started_at < $end")
	say "reports: $name ($from..$to, $calls_in calls), $runs requests, CLI and sqlite3 shell"
	from_line=$(($(wc -l <"$log") + 1))
	http=()
	for i in $(seq "$runs"); do
		http+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "$url" |
			awk '{printf "%.3f", $1 * 1000}')")
	done
	srv=$(sed -n "$from_line,\$p" "$log" | awk '$3 == "GET" && $4 == "/api/v1/reports/stats" &&
		$5 == 200 {sub(/us$/, "", $6); print $6}' | median)
	cli=()
	for i in $(seq "$runs"); do
		t=$(date +%s%N)
		"$nc" --db "$db" report stats --from "$from" --to "$to" --format json >/dev/null
		cli+=("$(ms_since "$t")")
	done
	# the shell's best: the planner's plan (the started_at index) or a scan of the table,
	# whichever is faster here (for a long period, the scan)
	sw= sqq= plan=
	for how in index scan; do
		sql=$(raw_sql "$start" "$end" "$([ $how = scan ] && echo 'NOT INDEXED')")
		t=$(date +%s%N)
		sqlite3 "$db" "$sql" >/dev/null # the raw table into the page cache, as ours is
		n=$sq_runs # a run over 5 s is timed once more only: its median would change little
		awk -v w="$(ms_since "$t")" 'BEGIN { exit !(w > 5000) }' && n=1
		sq_wall=()
		sq_query=()
		for i in $(seq "$n"); do
			t=$(date +%s%N)
			r=$(printf '.timer on\n%s\n' "$sql" | sqlite3 "$db")
			sq_wall+=("$(ms_since "$t")")
			sq_query+=("$(awk '/^Run Time:/ {printf "%.3f", $4 * 1000}' <<<"$r")")
		done
		w=$(printf '%s\n' "${sq_wall[@]}" | median)
		if [ -z "$sw" ] || awk -v a="$w" -v b="$sw" 'BEGIN { exit !(a < b) }'; then
			sw=$w
			sqq=$(printf '%s\n' "${sq_query[@]}" | median)
			plan=$how
		fi
	done
	h50=$(printf '%s\n' "${http[@]}" | median)
	hmax=$(printf '%s\n' "${http[@]}" | maxof)
	c50=$(printf '%s\n' "${cli[@]}" | median)
	srv_ms=$(awk -v u="$srv" 'BEGIN { printf "%.3f", u / 1000 }')
	echo "| $name $from..$to | $calls_in | $h50 / $hmax | $srv | $c50 | $sqq / $sw ($plan) | $(ratio "$sw" "$h50") | $(ratio "$sqq" "$srv_ms") | $(ratio "$sw" "$c50") |"
	awk -v m="$hmax" 'BEGIN { exit !(m < 100) }' || goal=MISSED
	goal_txt="$goal_txt, $name max $hmax ms"
done <<<"$periods"
echo
echo "Report rows: $rows calls in the database, $rollups rows of \`report_daily\`. HTTP: \`GET"
echo "/api/v1/reports/stats?from=..&to=..\` as the head of sales, curl's total time, $runs requests"
echo "(the period and the previous one, sources, forecast: the whole report); server: the access"
echo "log's µs; CLI: \`nextcall report stats --format json\` wall time, process start included."
echo "sqlite3 shell: only the five counts (incoming, outgoing, missed, effective calls, talk"
echo "seconds) over \`calls\`, after one run to warm the page cache, $sq_runs runs (1 when the"
echo "first took over 5 s) through the \`started_at\` index (the planner's choice) and as many as"
echo "a scan (\`NOT INDEXED\`): the faster plan, named; \`.timer\` real time / the process's wall"
echo "time. The counts were checked equal to the report's before timing. Ratio = sqlite3 /"
echo "nextcall (above 1: nextcall faster)."
echo
echo "goal: reports over $rows calls in under 100 ms: **$goal**${goal_txt#,}"
