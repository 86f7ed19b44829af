#!/usr/bin/env bash
# bench/pg.sh - PostgreSQL against SQLite on the same data: fills a SQLite database with nc-gen,
# copies it into a private PostgreSQL cluster (scripts/pg.sh) with "nextcall copy-db", then on
# each database in turn starts "nextcall serve" and measures GET /api/v1/agenda and call logging
# (POST /api/v1/calls) under wrk. Prints the table with the ratios PG/SQLite and rewrites its own
# section of the results file (between the pg:begin and pg:end markers; bench/run owns the rest).
#
# usage: bench/pg.sh [--clients N] [--calls M] [--duration SECONDS] [--keep] [--out FILE] NEXTCALL
#                    [NC-GEN]
#   NEXTCALL: the nextcall binary to measure (a release build, as bench/run makes in build-bench);
#   NC-GEN: default bench/nc-gen beside it. Defaults: 100 000 clients, 1 000 000 calls, 15 s per
#   measurement; the environment's PG_BENCH_CLIENTS, PG_BENCH_CALLS and PG_BENCH_DURATION change
#   them (PG_BENCH_CLIENTS=5000 PG_BENCH_CALLS=50000 PG_BENCH_DURATION=5 for a quick run).
#   --keep leaves the temporary directory (databases, logs, wrk output) for a look afterwards.
#   --out: the results file whose section is rewritten (default bench/RESULTS.md; bench/run
#   passes its own --out).
# Needs wrk, sqlite3, curl, python3 and a PostgreSQL server (apt install postgresql wrk).
set -euo pipefail

clients=${PG_BENCH_CLIENTS:-100000}
calls=${PG_BENCH_CALLS:-1000000}
duration=${PG_BENCH_DURATION:-15}
keep=0
results=
usage() {
	echo "usage: bench/pg.sh [--clients N] [--calls M] [--duration SECONDS] [--keep] [--out FILE] NEXTCALL [NC-GEN]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--clients) clients=$2; shift 2 ;;
	--calls) calls=$2; shift 2 ;;
	--duration) duration=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	--out) results=$2; shift 2 ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] && [ $# -le 2 ] || usage
nc=$(realpath "$1")
gen=$(realpath "${2:-$(dirname "$nc")/bench/nc-gen}")
[ -x "$nc" ] || { echo "bench/pg.sh: $nc is not executable" >&2; exit 2; }
[ -x "$gen" ] || { echo "bench/pg.sh: $gen is not executable (pass NC-GEN)" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
rep=rep01     # the rep whose token, agenda and clients are measured, as in bench/run
conns=64      # agenda: as bench/run
log_conns=32  # call logging: 32 reps' browsers at once
threads=2
nids=1000     # call logging spreads over this many of the rep's clients
# Neither database syncs to disk on commit, so that the figures compare the engines, not the
# disk: scripts/pg.sh runs PostgreSQL with fsync and synchronous_commit off, and SQLite in WAL
# mode with synchronous=NORMAL syncs only at checkpoints. The default SQLite setting (FULL, an
# fsync per commit) is measured once more for call logging, as a separate line.
export NEXTCALL_SYNC=normal

say() { printf 'bench/pg: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

for t in wrk sqlite3 curl python3; do
	command -v "$t" >/dev/null || die "$t is missing (apt install wrk sqlite3 curl python3)"
done

# ---- everything started here is stopped on the way out, failure or not ----
tmp=$(mktemp -d /tmp/nc-bench-pg.XXXXXX)
server_pid=
pg_started=0
stop() { # stop PID: TERM, then KILL after five seconds
	local pid=$1 i
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}
cleanup() {
	stop "$server_pid"
	if [ "$pg_started" = 1 ]; then
		if [ "$keep" = 1 ]; then cp "$tmp/pg/server.log" "$tmp/pg-server.log" 2>/dev/null || true; fi
		"$root/scripts/pg.sh" stop "$tmp/pg" || true
	fi
	if [ "$keep" = 1 ]; then say "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
now_s() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.0f", b - a }'; }

# ---- data: SQLite from nc-gen, then the same rows copied into PostgreSQL ----
sqlite_db=$tmp/bench.db
"$nc" --db "$sqlite_db" init >/dev/null
say "generating $clients clients and $calls calls"
gen_line=$("$gen" --db "$sqlite_db" --clients "$clients" --calls "$calls" 2>"$tmp/gen.log")
echo "$gen_line" >&2
db_mb=$(du -m "$sqlite_db" | cut -f1)

say "starting PostgreSQL"
pg_url=$("$root/scripts/pg.sh" start "$tmp/pg")
pg_started=1
pg_bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
pg_version=$("$pg_bindir/postgres" --version | awk '{print $3}')
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
psql_pg() { as_pg "$pg_bindir/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$tmp/pg" -U postgres -d nextcall -c "$1"; }

say "copying into PostgreSQL (nextcall copy-db)"
t0=$(now_s)
"$nc" copy-db --from "sqlite:$sqlite_db" --to "$pg_url" >"$tmp/copy-db.log" 2>&1 ||
	die "copy-db failed: $(tail -5 "$tmp/copy-db.log")"
copy_s=$(elapsed "$t0")
copy_line=$(tail -1 "$tmp/copy-db.log")
say "$copy_line ($copy_s s)"
# copy-db leaves the report rollups to be counted on the target's first report; count them now,
# or PostgreSQL would log calls without the rollup upkeep that SQLite does (nc-gen built them)
today=$(date +%F)
"$nc" --db "$pg_url" --as admin report stats --from "$today" --to "$today" >/dev/null
[ "$(psql_pg "SELECT built FROM report_params")" = 1 ] || die "the report rollups were not built on PostgreSQL"
[ "$(sqlite3 "$sqlite_db" "SELECT built FROM report_params")" = 1 ] || die "the report rollups were not built on SQLite"
psql_pg "VACUUM ANALYZE" # what autovacuum would do soon after a bulk load anyway
pg_mb=$(psql_pg "SELECT pg_database_size('nextcall') / 1048576")

# the rep's clients that calls are logged on (the same ids on both databases: copy-db keeps ids)
sqlite3 "$sqlite_db" "SELECT c.id FROM clients c JOIN users u ON u.id = c.owner_id
	WHERE u.login = '$rep' ORDER BY c.id LIMIT $nids" >"$tmp/ids.txt"
[ -s "$tmp/ids.txt" ] || die "rep $rep has no clients"

# ---- the call logging script for wrk: a valid call with its next step (tests/http/lib.py's
# good_call), on the rep's clients in turn; counts the answers by status ----
# next step: the next weekday at 10:00 Moscow time, so no working-hours rule can refuse it
due=
for d in 1 2 3 4; do
	if [ "$(TZ=Europe/Moscow date -d "+$d day" +%u)" -le 5 ]; then
		due=$(TZ=Europe/Moscow date -d "+$d day" +%Y-%m-%dT10:00:00+03:00)
		break
	fi
done
{
	echo "local ids = {$(paste -sd, "$tmp/ids.txt")}"
	cat <<EOF
local fmt = '{"client_id":%d,"direction":"out",'
	.. '"purpose":"Записать на бесплатный замер и рассчитать смету",'
	.. '"goal_max":"замер в среду в 10:00","goal_min":"договориться о звонке в четверг",'
	.. '"result":"max","talk_s":120,"next":{"kind":"visit","due_at":"$due"}}'
local threads = {}
local nthreads = 0
function setup(thread)
	thread:set("tid", nthreads)
	nthreads = nthreads + 1
	table.insert(threads, thread)
end
function init(args)
	i = tid * 7919
	created = 0
	other = 0
	first_bad = ""
	wrk.headers["Content-Type"] = "application/json"
end
function request()
	i = i + 1
	local body = string.format(fmt, ids[i % #ids + 1])
	return wrk.format("POST", nil, nil, body)
end
function response(status, headers, body)
	if status == 201 then
		created = created + 1
	else
		other = other + 1
		if first_bad == "" then first_bad = status .. " " .. string.sub(body, 1, 200) end
	end
end
function done(summary, latency, requests)
	local c, o, b = 0, 0, ""
	for _, t in ipairs(threads) do
		c = c + t:get("created")
		o = o + t:get("other")
		if b == "" then b = t:get("first_bad") end
	end
	io.write(string.format("created: %d\nother: %d\nfirst_bad: %s\n", c, o, b))
end
EOF
} >"$tmp/call.lua"

# ---- measurement helpers ----
to_ms() { # "750.00us" / "1.20ms" / "1.01s" -> milliseconds
	awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.3f", n }'
}
# wrk_out FILE: "req/s p50_ms p99_ms errors" (errors: non-2xx, socket errors and timeouts)
wrk_out() {
	local rps p50 p99 bad
	rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$1")
	p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$1")")
	p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$1")")
	bad=$(awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10}
		END {print n + 0}' "$1")
	echo "$rps $p50 $p99 $bad"
}
# cpu_ticks PID...: user + system clock ticks of the processes (gone ones count 0)
cpu_ticks() {
	local n=0 p
	for p in "$@"; do
		[ -r "/proc/$p/stat" ] && n=$((n + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$n"
}
pg_pids() { # the postmaster and its children (backends, writers)
	local pm
	pm=$(head -1 "$tmp/pg/data/postmaster.pid")
	echo "$pm" $(ps -o pid= --ppid "$pm")
}
machine_busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $5 + $6}' /proc/stat; } # busy idle
hz=$(getconf CLK_TCK)
quiet() { # wait until the server used less than 5% of a CPU over a second
	local a b i
	for i in $(seq 300); do
		a=$(cpu_ticks "$server_pid")
		sleep 1
		b=$(cpu_ticks "$server_pid")
		[ $((b - a)) -le 5 ] && return 0
	done
	say "the server was still busy after five minutes"
}

port=$(free_port)
start_server() { # start_server DB
	"$nc" --db "$1" serve --listen "127.0.0.1:$port" --threads 2 2>"$tmp/server-$2.log" &
	server_pid=$!
	local i
	for i in $(seq 100); do
		curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
		kill -0 "$server_pid" 2>/dev/null || die "the server did not start: $(tail -3 "$tmp/server-$2.log")"
		sleep 0.1
	done
	die "the server did not answer /healthz in ten seconds"
}

# measure NAME URL TOKEN CONNS LUA: one wrk run; stores res[NAME] ("req/s p50 p99 errors"),
# res[NAME.cpu] (CPU ms per 1000 requests: nextcall, postgres; idle % of the machine)
declare -A res
measure() {
	local name=$1 url=$2 token=$3 c=$4 lua=${5:-} out=$tmp/wrk-$1.txt
	local s0 p0 m0 s1 p1 m1 pids=
	[ -f "$tmp/pg/data/postmaster.pid" ] && pids=$(pg_pids)
	s0=$(cpu_ticks "$server_pid")
	p0=$(cpu_ticks $pids)
	m0=$(machine_busy)
	wrk -t$threads -c"$c" -d"${duration}s" --timeout 30s --latency ${lua:+-s "$lua"} \
		-H "Authorization: Bearer $token" "$url" >"$out"
	s1=$(cpu_ticks "$server_pid")
	p1=$(cpu_ticks $pids)
	m1=$(machine_busy)
	res[$name]=$(wrk_out "$out")
	local n
	n=$(awk '/requests in/ {print $1}' "$out")
	res[$name.cpu]=$(awk -v s=$((s1 - s0)) -v p=$((p1 - p0)) -v n="$n" -v hz="$hz" \
		-v m0="$m0" -v m1="$m1" 'BEGIN { split(m0, a, " "); split(m1, b, " ")
		busy = b[1] - a[1]; idle = b[2] - a[2]
		printf "%.1f %.1f %.0f", s * 1e6 / hz / n, p * 1e6 / hz / n, 100 * idle / (busy + idle) }')
	if [ -n "$lua" ]; then
		local created other
		created=$(awk '/^created:/ {print $2}' "$out")
		other=$(awk '/^other:/ {print $2}' "$out")
		[ "$other" = 0 ] || say "$name: $other answers were not 201, the first: $(sed -n 's/^first_bad: //p' "$out")"
		res[$name.created]=$created
	fi
}

# pg_round_trips: statements the server sends PostgreSQL for one agenda request and one logged
# call (after warm-up, so the statement cache is full), from PostgreSQL's own log with
# log_min_duration_statement=0: "parse" lines are statements prepared (two round trips each:
# prepare and describe), "execute" lines run a prepared statement (one), "statement" lines are
# plain queries such as BEGIN and COMMIT (one); with the time PostgreSQL spent on them.
# seq_ms N PATH TOKEN [BODY]: median milliseconds of N requests one after another on one
# keep-alive connection (GET, or POST of BODY), client included
seq_ms() {
	python3 - "$port" "$@" <<'PY'
import http.client, sys, time
port, n, path, token = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
body = sys.argv[5].encode() if len(sys.argv) > 5 else None
c = http.client.HTTPConnection("127.0.0.1", port)
h = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
ts = []
for _ in range(n):
    t = time.perf_counter()
    c.request("POST" if body else "GET", path, body=body, headers=h)
    r = c.getresponse()
    r.read()
    if r.status not in (200, 201):
        sys.exit("%s answered %d" % (path, r.status))
    ts.append((time.perf_counter() - t) * 1000)
ts.sort()
print("%.2f" % ts[len(ts) // 2])
PY
}
pg_round_trips() { # NAME PATH TOKEN [BODY]
	local name=$1 from n=20
	shift
	psql_pg "ALTER SYSTEM SET log_min_duration_statement = 0"
	psql_pg "SELECT pg_reload_conf()" >/dev/null
	sleep 0.5
	from=$(($(wc -l <"$tmp/pg/server.log") + 1))
	local wall_ms
	wall_ms=$(seq_ms $n "$@")
	sleep 0.5
	psql_pg "ALTER SYSTEM RESET log_min_duration_statement"
	psql_pg "SELECT pg_reload_conf()" >/dev/null
	sed -n "$from,\$p" "$tmp/pg/server.log" | grep -v 'pg_reload_conf\|ALTER SYSTEM' >"$tmp/pg-log-$name.txt" || true
	res[$name.trips]=$(awk -v n=$n -v wall="$wall_ms" '
		/duration: .* ms  parse / { parse++ }
		/duration: .* ms  execute / { exec++ }
		/duration: .* ms  statement: / { plain++ }
		/duration: / { match($0, /duration: [0-9.]+ ms/); ms += substr($0, RSTART + 10, RLENGTH - 13) }
		END { printf "%.1f %.1f %.1f %.1f %.3f %s", parse / n, exec / n, plain / n,
		      (2 * parse + exec + plain) / n, ms / n, wall }' "$tmp/pg-log-$name.txt")
}

# ---- the runs: SQLite, then PostgreSQL, each on the data as generated ----
run_db() { # run_db LABEL DB
	local label=$1 db=$2 token
	token=$("$nc" --db "$db" token create "$rep" --name bench 2>/dev/null)
	start_server "$db" "$label"
	local base=http://127.0.0.1:$port
	local code
	code=$(curl -s -o "$tmp/agenda-$label.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
		"$base/api/v1/agenda")
	[ "$code" = 200 ] || die "$label: GET /api/v1/agenda answered $code"
	say "$label: warming up (agenda and call logging, 3 s each)"
	wrk -t$threads -c$conns -d3s -H "Authorization: Bearer $token" "$base/api/v1/agenda" >/dev/null
	wrk -t$threads -c$log_conns -d3s -s "$tmp/call.lua" -H "Authorization: Bearer $token" \
		"$base/api/v1/calls" >/dev/null
	quiet
	say "$label: wrk GET /api/v1/agenda, ${duration}s, $conns connections"
	measure "agenda.$label" "$base/api/v1/agenda" "$token" $conns
	quiet
	say "$label: wrk POST /api/v1/calls, ${duration}s, $log_conns connections"
	measure "calls.$label" "$base/api/v1/calls" "$token" $log_conns "$tmp/call.lua"
	quiet
	local body
	body=$(printf '{"client_id":%s,"direction":"out","purpose":"Записать на бесплатный замер и рассчитать смету","goal_max":"замер в среду в 10:00","goal_min":"договориться о звонке в четверг","result":"max","talk_s":120,"next":{"kind":"visit","due_at":"%s"}}' "$(head -1 "$tmp/ids.txt")" "$due")
	res[agenda.$label.seq]=$(seq_ms 50 /api/v1/agenda "$token")
	res[calls.$label.seq]=$(seq_ms 20 /api/v1/calls "$token" "$body")
	if [ "$label" = pg ]; then
		pg_round_trips agenda.pg /api/v1/agenda "$token"
		pg_round_trips calls.pg /api/v1/calls "$token" "$body"
	fi
	stop "$server_pid"
	server_pid=
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
run_db sqlite "$sqlite_db"
run_db pg "$pg_url"
# SQLite's default durability: an fsync per commit, the figure a team on SQLite has today
NEXTCALL_SYNC=full
export NEXTCALL_SYNC
token=$("$nc" --db "$sqlite_db" token create "$rep" --name bench-full 2>/dev/null)
start_server "$sqlite_db" sqlite-full
wrk -t$threads -c$log_conns -d3s -s "$tmp/call.lua" -H "Authorization: Bearer $token" \
	"http://127.0.0.1:$port/api/v1/calls" >/dev/null
quiet
say "sqlite (synchronous=FULL): wrk POST /api/v1/calls, ${duration}s, $log_conns connections"
measure "calls.sqlite-full" "http://127.0.0.1:$port/api/v1/calls" "$token" $log_conns "$tmp/call.lua"
stop "$server_pid"
server_pid=
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report ----
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
errs() { [ "$1" = 0 ] && echo "" || echo " ($1 errors)"; }
table() {
	echo "| measure | SQLite req/s | PostgreSQL req/s | **PG/SQLite req/s** | SQLite p50 / p99 ms | PostgreSQL p50 / p99 ms | **PG/SQLite p99** | one at a time, SQLite / PG ms |"
	echo "|---|---|---|---|---|---|---|---|"
	local m label
	for m in agenda calls; do
		read -r s_rps s_p50 s_p99 s_bad <<<"${res[$m.sqlite]}"
		read -r p_rps p_p50 p_p99 p_bad <<<"${res[$m.pg]}"
		if [ $m = agenda ]; then
			label="\`GET /api/v1/agenda\`, $conns connections"
		else
			label="\`POST /api/v1/calls\` (call + next step), $log_conns connections"
		fi
		echo "| $label | $s_rps$(errs "$s_bad") | $p_rps$(errs "$p_bad") | **$(ratio "$p_rps" "$s_rps")** | $s_p50 / $s_p99 | $p_p50 / $p_p99 | **$(ratio "$p_p99" "$s_p99")** | ${res[$m.sqlite.seq]} / ${res[$m.pg.seq]} |"
	done
}
cpu_table() {
	echo "| measure | nextcall CPU µs/request, SQLite | nextcall CPU µs/request, PG | postgres CPU µs/request | machine idle, SQLite / PG |"
	echo "|---|---|---|---|---|"
	local m
	for m in agenda calls; do
		read -r s_nc _ s_idle <<<"${res[$m.sqlite.cpu]}"
		read -r p_nc p_pg p_idle <<<"${res[$m.pg.cpu]}"
		echo "| $m | $s_nc | $p_nc | $p_pg | $s_idle % / $p_idle % |"
	done
}
trips_line() { # NAME LABEL
	local parse exec plain trips ms wall
	read -r parse exec plain trips ms wall <<<"${res[$1.trips]}"
	echo "- $2: $trips round trips to PostgreSQL per request ($exec prepared statements run, $plain plain" \
		"statements such as BEGIN/COMMIT, $parse statements prepared anew), $ms ms of PostgreSQL's own" \
		"statement time."
}
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo none)
[ -n "$(git -C "$root" status --porcelain -- src 2>/dev/null)" ] && commit="$commit + uncommitted changes in src/"
mem=$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
read -r f_rps _ f_p99 f_bad <<<"${res[calls.sqlite-full]}"
read -r n_rps _ _ _ <<<"${res[calls.sqlite]}"
section() {
	echo "## PostgreSQL against SQLite, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Written by \`bench/pg.sh\` (this section only). Machine: $(nproc) CPUs ($cpu), $mem;"
	echo "$(uname -sr). nextcall $commit, \`$(basename "$nc")\` from \`$(basename "$(dirname "$nc")")\`,"
	echo "\`serve --threads 2\`; SQLite $(sqlite3 --version | cut -d' ' -f1) (WAL, synchronous=NORMAL), PostgreSQL $pg_version"
	echo "(\`scripts/pg.sh\`: unix socket, fsync and synchronous_commit off), on the same machine as"
	echo "nextcall and wrk. Neither database syncs on commit, so the ratios compare the engines and the"
	echo "driver, not the disk. wrk $threads threads ${duration}s \`--latency --timeout 30s\`, as rep"
	echo "\`$rep\` (Bearer token); after a 3 s warm-up of both endpoints. Load average before:"
	echo "$load_before, after: $load_after."
	echo
	echo "Data: \`$gen_line\`; SQLite $db_mb MB, PostgreSQL $pg_mb MB after \`copy-db\`"
	echo "(\`$copy_line\`, ${copy_s} s)."
	echo
	table
	echo
	echo "Call logging posts tests/http/lib.py's valid call with a next step on $nids of the rep's"
	echo "clients in turn; ${res[calls.sqlite.created]} (SQLite) and ${res[calls.pg.created]} (PostgreSQL) calls were created (201)."
	echo "With SQLite's default synchronous=FULL (an fsync per commit): $f_rps calls/s$(errs "$f_bad"), p99 $f_p99 ms"
	echo "($(ratio "$f_rps" "$n_rps")× the NORMAL figure above)."
	echo
	echo "Where the time goes on PostgreSQL (CPU from /proc during the wrk runs; statements from"
	echo "PostgreSQL's log with log_min_duration_statement=0 over 20 requests after the runs; \"one at a"
	echo "time\": the median of requests sent one after another on one keep-alive connection):"
	echo
	cpu_table
	echo
	trips_line agenda.pg "Agenda"
	trips_line calls.pg "Call logging"
	echo
	echo "Reading (from the code as of this script; check it again when they change): on SQLite the"
	echo "agenda is served from the per-thread answer cache (src/web/cache.c), valid while SQLite's"
	echo "data_version stays the same; the PostgreSQL driver has no data_version (src/store/db_pg.c), so"
	echo "every agenda runs its statements in a REPEATABLE READ transaction, each a round trip. Call"
	echo "logging on both keeps the report rollups by differences, applied once per transaction just"
	echo "before its commit (store_rollup_delta_apply and the commit hook in src/store/q_reports.c);"
	echo "SQLite runs every write under its one writer lock, PostgreSQL locks the rollup rows it changes."
}
report=$(section)
echo
echo "$report"
results=${results:-$root/bench/RESULTS.md}
python3 - "$results" "$report" <<'EOF'
import re, sys
path, body = sys.argv[1], sys.argv[2]
begin, end = "<!-- pg:begin -->", "<!-- pg:end -->"
try:
    text = open(path, encoding="utf-8").read()
except FileNotFoundError:
    text = "# nextcall benchmark results\n"
block = begin + "\n" + body + "\n" + end
if begin in text and end in text:
    text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda m: block, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
open(path, "w", encoding="utf-8").write(text)
EOF
say "wrote its section of $results"
