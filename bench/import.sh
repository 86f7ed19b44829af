#!/usr/bin/env bash
# bench/import.sh - the imports against the sqlite3 shell: `nextcall import clients` (a client CSV,
# all or nothing) and `nextcall import cdr` (Asterisk's Master.csv) into a copy of the benchmark
# database, against the shell storing the same rows into the same tables of a copy of the same
# database (the same-schema reference, which the goal is judged by: see ref_clients and ref_cdr
# below) and, for scale, against the shell's `.import` of the same file into a plain table of a
# new database (no index, no check: the storage's bare append rate, not the same work).
# bench/run calls it; it prints a Markdown section (and "goal" lines) on stdout.
#
# usage: bench/import.sh NEXTCALL DB WORKDIR [ROWS] [ROUNDS]
#   DB: an nc-gen database (not changed: the imports go into a copy in WORKDIR); ROWS per file
#   (default 100 000); ROUNDS (default 3): each round imports new files (other numbers, other
#   uniqueids) into the growing copy and the same files into new shell databases; medians.
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: bench/import.sh NEXTCALL DB WORKDIR [ROWS] [ROUNDS]" >&2; exit 2; }
nc=$1 db=$2 work=$3 rows=${4:-100000} rounds=${5:-3}
here=$(cd "$(dirname "$0")" && pwd)
say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

mkdir -p "$work"
copy=$work/import.db
say "import: copying the database ($(du -m "$db" | cut -f1) MB)"
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null 2>&1 || true
cp --reflink=auto "$db" "$copy"
rm -f "$copy-wal" "$copy-shm"
# a database of an older schema is brought to this nextcall's first (not timed)
"$nc" --db "$copy" init >/dev/null || die "nextcall init on the copy failed"
ref=$work/ref.db # the same-schema reference's copy, growing round by round like nextcall's
cp --reflink=auto "$copy" "$ref"
# the clients' numbers, for calls that find their client
sqlite3 "$copy" "SELECT e164 FROM phones ORDER BY id LIMIT 200000" >"$work/phones.txt"
now=$(date +%s)
# the CDR reference reads the files' times as UTC and takes the report days from the C library's
# zone of report_params.timezone (TZ for its shell)
ctz=$(sqlite3 "$ref" "SELECT coalesce((SELECT value FROM settings WHERE key = 'cdr.timezone'), 'UTC')")
[ "$ctz" = UTC ] || die "the CDR reference reads the files as UTC: the database's cdr.timezone is $ctz"
rtz=$(sqlite3 "$ref" "SELECT coalesce((SELECT timezone FROM report_params WHERE id = 1), 'UTC')")
[ "$rtz" = UTC ] || [ -f "/usr/share/zoneinfo/$rtz" ] ||
	die "no /usr/share/zoneinfo/$rtz for the report zone of the CDR reference"
callbacks=0

# timed CMD...: runs it, prints "wall_s cpu_s" (cpu: user + system of the process)
timed() {
	local t0 t1 out=$work/time.txt
	t0=$(date +%s%N)
	/usr/bin/time -f '%U %S' -o "$out" "$@" >"$work/cmd.out" 2>"$work/cmd.err" ||
		die "$* failed: $(tail -3 "$work/cmd.err")"
	t1=$(date +%s%N)
	awk -v a="$t0" -v b="$t1" '{ printf "%.4f %.4f\n", (b - a) / 1e9, $1 + $2 }' "$out"
}
# ref_settings: the connection settings of both same-schema references, nextcall's (foreign keys,
# temp_store, mmap) with the page cache of an import (db_bulk, DB_BULK_CACHE_KB in src/store/db.h)
ref_settings() {
	cat <<-EOF
	PRAGMA foreign_keys = ON;
	PRAGMA temp_store = MEMORY;
	PRAGMA cache_size = -1048576;
	PRAGMA mmap_size = 1073741824;
	EOF
}
# ref_clients FILE: the SQL part of what `nextcall import clients` stores, by the sqlite3 shell
# into ref.db: the file into a staging table, then in one transaction the clients rows (owner,
# segment and source by name, the search text lower(name company) digits), the agenda's pool
# counts (client_pool, one grouped upsert, as nextcall's import does), their phones rows and
# their client_terms rows (the words of the search text and every suffix of >= 3 digits of the
# phone, split by recursive CTEs, inserted in key order), with nextcall's foreign key and CHECK
# constraints on and the connection settings nextcall uses (temp_store, mmap, and the page cache
# of an import: db_bulk, DB_BULK_CACHE_KB in src/store/db.h). It leaves
# out: phone normalization (the digits of the typed number stand for its E.164, a Russian trunk
# 8 of 11 digits made 7, else "8 (495) ..." would be a Vietnamese mobile of nc-gen's), Unicode case
# folding (SQLite's lower() folds ASCII only), the checks of every field, the duplicate look-ups,
# the plan columns and the audit row.
ref_clients() {
	ref_settings
	cat <<-EOF
	.mode csv
	.separator ;
	CREATE TEMP TABLE s (name, phone, company, segment, source, owner);
	.import --skip 1 $1 s
	BEGIN;
	CREATE TEMP TABLE n AS SELECT id, name, phone, company, segment, source, owner,
	  iif(length(d) = 11 AND d LIKE '8%', '7' || substr(d, 2), d) AS d FROM (
	    SELECT s.rowid + (SELECT coalesce(max(id), 0) FROM main.clients) AS id, s.*,
	    replace(replace(replace(replace(replace(s.phone, ' ', ''), '(', ''), ')', ''), '-', ''), '+', '') AS d
	    FROM s);
	INSERT INTO clients (id, name, company, category, owner_id, segment_id, source_id, search, category_at,
	  created_at, updated_at)
	SELECT n.id, n.name, nullif(n.company, ''), 'now', (SELECT id FROM users WHERE login = n.owner),
	  (SELECT id FROM segments WHERE name = n.segment), (SELECT id FROM sources WHERE name = n.source),
	  lower(n.name || iif(n.company <> '', ' ' || n.company, '')) || ' ' || n.d, $now, $now, $now
	FROM n ORDER BY n.id;
	INSERT INTO client_pool (owner_id, category, n) SELECT coalesce(c.owner_id, 0), c.category,
	  count(*) FROM clients c JOIN n ON n.id = c.id WHERE true GROUP BY 1, 2
	  ON CONFLICT (owner_id, category) DO UPDATE SET n = client_pool.n + excluded.n;
	INSERT INTO phones (client_id, e164, raw) SELECT id, '+' || d, phone FROM n ORDER BY id;
	WITH RECURSIVE w(id, word, rest) AS (
	  SELECT n.id, '', c.search || ' ' FROM n JOIN clients c ON c.id = n.id
	  UNION ALL SELECT id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
	  FROM w WHERE rest <> ''),
	d(id, t) AS (SELECT id, word FROM w WHERE length(word) >= 3 AND word NOT GLOB '*[^0-9]*'
	  UNION ALL SELECT id, substr(t, 2) FROM d WHERE length(t) > 3)
	INSERT OR IGNORE INTO client_terms (term, client_id)
	SELECT * FROM (SELECT word, id FROM w WHERE word GLOB '*[^0-9]*' UNION ALL SELECT t, id FROM d)
	ORDER BY 1, 2;
	COMMIT;
	EOF
}
# peer EXPR: the SQL of cdr_channel_peer (src/io/cdr.c) of the channel name EXPR: what follows the
# technology's '/' up to an '@' or ';'; without the '@', less its last '-' suffix (the sequence)
peer() {
	local a="substr($1, instr($1, '/') + 1)" b
	b="iif(instr($a, ';') > 0, substr($a, 1, instr($a, ';') - 1), $a)"
	echo "CASE WHEN instr($a, '@') > 0 AND (instr($a, ';') = 0 OR instr($a, '@') < instr($a, ';'))" \
		"THEN substr($a, 1, instr($a, '@') - 1) WHEN instr($b, '-') > 0" \
		"THEN substr($b, 1, length(rtrim($b, replace($b, '-', ''))) - 1) ELSE $b END"
}
# ext EXPR: the id of the active user whose extension is EXPR (rep_by_ext of src/app/cdr.c)
ext() { echo "(SELECT id FROM users WHERE extension = $1 AND active = 1 AND extension <> '')"; }
# ref_cdr FILE: the SQL part of what `nextcall import cdr` stores (src/app/cdr.c, and
# store_call_insert with the rollup differences of src/store/q_reports.c), by the sqlite3 shell
# into ref.db: the file (18 columns) into a staging table, then in one transaction: the rows
# whose uniqueid no call has (calls.pbx_id), their direction and rep as direction_of finds them
# (the rep by the src extension or the calling channel's peer, through users.extension: outbound;
# an "internal" context: outbound without a rep; else inbound, the rep by the dialled channel's
# peer), started_at, answered_at, ended_at, ring_s and talk_s from the times and durations,
# missed for a disposition other than ANSWERED (the outcome stays 'none', as the import leaves
# it), the other party's number in phone and the client by its E.164 in phones.e164, the calls
# rows inserted in uniqueid order (nextcall's: the same ids); then the report rollups the import
# keeps when report_params.built is set, as grouped upserts: the new calls' counters by cell
# (day in the report zone, rep, source, segment; incoming, outgoing, missed, answered,
# answered_in_time under ring_limit_s, callbacks_in_time, connected, talk_s), the older missed
# inbound calls of the same clients that a new call now calls back within callback_delay_s
# (+1 callbacks_in_time), all of them added to report_daily, report_monthly,
# report_daily_team and report_monthly_team and a report_locks count per (day, rep); the sales
# cycles of the clients' won deals whose first contact a new call moved (report_cycles and
# report_cycles_monthly, -1 at the old cycle and +1 at the new, rows brought to 0 deleted); and
# the audit row. With nextcall's foreign key and CHECK constraints on and the connection
# settings nextcall uses (temp_store, mmap, and the page cache of an import: db_bulk,
# DB_BULK_CACHE_KB in src/store/db.h). The report days come from the C library's zone (TZ set to
# report_params.timezone for the shell), the file's times are read as UTC (cdr.timezone must be
# UTC). It leaves out: phone normalization (the typed number stands for its E.164, a Russian
# trunk's 8 of 11 digits made +7), the checks of every field and the reasons of bad lines, the
# column layout detection (18 columns only), the grouping of several records of one call and
# the choice of the one that describes it (one record per uniqueid), --since, and the callbacks
# a recent missed inbound call of a known client gets (its next_steps row, the client's plan
# columns, its steps_callback count, the notification after the commit).
ref_cdr() {
	ref_settings
	cat <<-EOF
	CREATE TEMP TABLE s (accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp,
	  lastdata, start, answer, "end", duration, billsec, disposition, amaflags, uniqueid, userfield);
	.import --csv $1 s
	BEGIN;
	CREATE TEMP TABLE p AS SELECT built, ring_limit_s AS ring, callback_delay_s AS delay
	  FROM report_params WHERE id = 1;
	CREATE TEMP TABLE r AS SELECT uniqueid, src, dst, dcontext, dstchannel, start, answer, "end",
	  duration, billsec, disposition, coalesce($(ext s.src), $(ext "$(peer s.channel)")) AS o
	  FROM s WHERE NOT EXISTS (SELECT 1 FROM calls WHERE pbx_id = s.uniqueid);
	CREATE TEMP TABLE n AS SELECT (SELECT coalesce(max(id), 0) FROM main.calls)
	    + row_number() OVER (ORDER BY uniqueid) AS id, uniqueid, dir, rep, started_at, answered_at,
	  ended_at, ring_s, talk_s, missed, phone, (SELECT client_id FROM phones WHERE e164 =
	    iif(length(phone) = 11 AND phone LIKE '8%', '+7' || substr(phone, 2), phone)) AS client_id
	  FROM (SELECT uniqueid, dir, iif(o IS NOT NULL OR dir = 'in', rep, NULL) AS rep,
	    unixepoch(start) AS started_at, iif(missed, NULL, unixepoch(answer)) AS answered_at,
	    unixepoch("end") AS ended_at, max(0, iif(missed, d, d - b)) AS ring_s,
	    iif(missed, 0, b) AS talk_s, missed, nullif(iif(dir = 'in', src, dst), '') AS phone
	    FROM (SELECT *, iif(o IS NOT NULL OR instr(dcontext, 'internal') > 0, 'out', 'in') AS dir,
	      iif(o IS NOT NULL, o, $(ext "$(peer dstchannel)")) AS rep,
	      disposition <> 'ANSWERED' AS missed, CAST(round(duration) AS INTEGER) AS d,
	      CAST(round(billsec) AS INTEGER) AS b FROM r));
	-- what the rollups watch before the calls go in: the older missed inbound calls a new call
	-- may call back (those not called back yet), the won deals of the new calls' clients
	CREATE TEMP TABLE wc AS SELECT DISTINCT c.id FROM n, p JOIN calls c ON c.client_id = n.client_id
	  AND c.started_at >= n.started_at - p.delay AND c.started_at <= n.started_at
	  AND c.kind = 'call' AND c.direction = 'in' AND c.missed = 1
	  WHERE p.built = 1 AND NOT EXISTS (SELECT 1 FROM calls b WHERE b.client_id = c.client_id
	    AND b.started_at >= c.started_at AND b.started_at <= c.started_at + p.delay AND b.id <> c.id
	    AND b.kind = 'call' AND (b.direction = 'out' OR (b.direction = 'in' AND b.missed = 0)));
	CREATE TEMP TABLE wd AS SELECT d.id, d.client_id, d.closed_at, coalesce(d.rep_id, 0) AS rep,
	  coalesce(k.source_id, 0) AS src, coalesce(k.segment_id, 0) AS seg, (d.closed_at -
	    coalesce((SELECT min(c.started_at) FROM calls c WHERE c.client_id = d.client_id),
	    k.created_at)) / 86400 AS cyc
	  FROM deals d JOIN clients k ON k.id = d.client_id, p WHERE p.built = 1
	  AND d.client_id IN (SELECT client_id FROM n) AND d.stage = 'won' AND d.closed_at IS NOT NULL;
	INSERT INTO calls (id, client_id, rep_id, kind, direction, started_at, answered_at, ended_at,
	  ring_s, talk_s, missed, outcome, phone, pbx_id, logged, created_at)
	SELECT id, client_id, rep, 'call', dir, started_at, answered_at, ended_at, ring_s, talk_s,
	  missed, 'none', phone, uniqueid, 0, $now FROM n ORDER BY id;
	-- the differences by cell: the new calls, and the older ones now called back in time
	CREATE TEMP TABLE dl AS SELECT unixepoch(dt) / 86400 AS day,
	  (CAST(substr(dt, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(dt, 6, 2) AS INTEGER) - 1 AS month,
	  rep, src, seg, sum(i) AS i, sum(o) AS o, sum(m) AS m, sum(a) AS a, sum(ait) AS ait,
	  sum(cb) AS cb, sum(con) AS con, sum(talk) AS talk FROM (
	    SELECT date(c.started_at, 'unixepoch', 'localtime') AS dt, coalesce(c.rep_id, 0) AS rep,
	      coalesce(k.source_id, 0) AS src, coalesce(k.segment_id, 0) AS seg,
	      c.direction = 'in' AS i, c.direction = 'out' AS o, c.direction = 'in' AND c.missed AS m,
	      c.direction = 'in' AND NOT c.missed AS a,
	      c.direction = 'in' AND NOT c.missed AND c.ring_s < p.ring AS ait,
	      CASE WHEN c.direction = 'in' AND c.missed THEN EXISTS (SELECT 1 FROM calls b
	        WHERE b.client_id = c.client_id AND b.started_at >= c.started_at
	        AND b.started_at <= c.started_at + p.delay AND b.id <> c.id AND b.kind = 'call'
	        AND (b.direction = 'out' OR (b.direction = 'in' AND b.missed = 0))) ELSE 0 END AS cb,
	      NOT c.missed AS con, c.talk_s AS talk
	    FROM n JOIN calls c ON c.id = n.id LEFT JOIN clients k ON k.id = c.client_id, p
	    WHERE p.built = 1
	    UNION ALL
	    SELECT date(c.started_at, 'unixepoch', 'localtime'), coalesce(c.rep_id, 0),
	      coalesce(k.source_id, 0), coalesce(k.segment_id, 0), 0, 0, 0, 0, 0, 1, 0, 0
	    FROM wc JOIN calls c ON c.id = wc.id LEFT JOIN clients k ON k.id = c.client_id, p
	    WHERE EXISTS (SELECT 1 FROM calls b WHERE b.client_id = c.client_id
	      AND b.started_at >= c.started_at AND b.started_at <= c.started_at + p.delay AND b.id <> c.id
	      AND b.kind = 'call' AND (b.direction = 'out' OR (b.direction = 'in' AND b.missed = 0))))
	  GROUP BY dt, rep, src, seg;
	-- the cycles moved: -1 at the old one, +1 at the new one, by (day closed, rep, src, seg, cycle)
	CREATE TEMP TABLE dy AS SELECT unixepoch(dt) / 86400 AS day,
	  (CAST(substr(dt, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(dt, 6, 2) AS INTEGER) - 1 AS month,
	  rep, src, seg, cyc, sum(n) AS n FROM (
	    SELECT date(closed_at, 'unixepoch', 'localtime') AS dt, rep, src, seg, cyc, n FROM (
	      SELECT wd.*, -1 AS n FROM wd UNION ALL
	      SELECT wd.id, wd.client_id, closed_at, rep, src, seg, (closed_at - coalesce((SELECT
	        min(c.started_at) FROM calls c WHERE c.client_id = wd.client_id), k.created_at)) / 86400,
	        1 FROM wd JOIN clients k ON k.id = wd.client_id))
	  GROUP BY dt, rep, src, seg, cyc HAVING sum(n) <> 0;
	INSERT INTO report_locks (day, rep_id, n) SELECT day, rep, 1 FROM (SELECT day, rep FROM dl
	  UNION SELECT day, rep FROM dy) WHERE true ORDER BY 1, 2
	  ON CONFLICT (day, rep_id) DO UPDATE SET n = report_locks.n + 1;
	INSERT INTO report_daily (day, rep_id, source_id, segment_id, incoming, outgoing, missed,
	  answered, answered_in_time, callbacks_in_time, connected, talk_s)
	SELECT day, rep, src, seg, i, o, m, a, ait, cb, con, talk FROM dl WHERE true ORDER BY 1, 2, 3, 4
	  ON CONFLICT (day, rep_id, source_id, segment_id) DO UPDATE SET $(adds report_daily);
	INSERT INTO report_monthly (month, rep_id, source_id, segment_id, incoming, outgoing, missed,
	  answered, answered_in_time, callbacks_in_time, connected, talk_s)
	SELECT month, rep, src, seg, $(sums) FROM dl GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
	  ON CONFLICT (month, rep_id, source_id, segment_id) DO UPDATE SET $(adds report_monthly);
	INSERT INTO report_daily_team (day, source_id, segment_id, incoming, outgoing, missed,
	  answered, answered_in_time, callbacks_in_time, connected, talk_s)
	SELECT day, src, seg, $(sums) FROM dl GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
	  ON CONFLICT (day, source_id, segment_id) DO UPDATE SET $(adds report_daily_team);
	INSERT INTO report_monthly_team (month, source_id, segment_id, incoming, outgoing, missed,
	  answered, answered_in_time, callbacks_in_time, connected, talk_s)
	SELECT month, src, seg, $(sums) FROM dl GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
	  ON CONFLICT (month, source_id, segment_id) DO UPDATE SET $(adds report_monthly_team);
	INSERT INTO report_cycles (day, rep_id, source_id, segment_id, cycle_days, n)
	SELECT day, rep, src, seg, cyc, n FROM dy WHERE true ORDER BY 1, 2, 3, 4, 5
	  ON CONFLICT (day, rep_id, source_id, segment_id, cycle_days) DO UPDATE
	  SET n = report_cycles.n + excluded.n;
	DELETE FROM report_cycles WHERE n = 0 AND (day, rep_id, source_id, segment_id, cycle_days)
	  IN (SELECT day, rep, src, seg, cyc FROM dy WHERE n < 0);
	INSERT INTO report_cycles_monthly (month, rep_id, source_id, segment_id, cycle_days, n)
	SELECT month, rep, src, seg, cyc, sum(n) FROM dy GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0
	  ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (month, rep_id, source_id, segment_id, cycle_days)
	  DO UPDATE SET n = report_cycles_monthly.n + excluded.n;
	DELETE FROM report_cycles_monthly WHERE n = 0
	  AND (month, rep_id, source_id, segment_id, cycle_days) IN (SELECT month, rep, src, seg, cyc
	  FROM dy WHERE n < 0);
	INSERT INTO audit_log (at, actor, action, entity, detail) SELECT $now, 'system', 'import.cdr',
	  'call', count(*) || ' created, ' || ((SELECT count(*) FROM s) - count(*))
	  || ' already imported, 0 bad' FROM n;
	COMMIT;
	EOF
}
# the eight counters a call moves, summed (sums) and added to a rollup table's row (adds T)
sums() { echo "sum(i), sum(o), sum(m), sum(a), sum(ait), sum(cb), sum(con), sum(talk)"; }
adds() {
	local t=$1 c out=
	for c in incoming outgoing missed answered answered_in_time callbacks_in_time connected talk_s; do
		out="$out${out:+, }$c = $t.$c + excluded.$c"
	done
	echo "$out"
}
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.3f", a / b; else print "-" }'; }

declare -A w c
for kind in clients cdr; do
	nw=() ncpu=() sw=() scpu=() rw=() rcpu=() cbs=()
	for r in $(seq "$rounds"); do
		f=$work/$kind-$r.csv
		first=$(( (r - 1) * rows ))
		if [ $kind = clients ]; then
			python3 "$here/import_files.py" clients "$rows" "$f" "$first"
			cols="a, b, c, d, e, f"
			shell=(".mode csv" ".separator ;" ".import --skip 1 $f t")
		else
			python3 "$here/import_files.py" cdr "$rows" "$work/phones.txt" "$now" "$f" "$first"
			cols="a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r"
			shell=(".import --csv $f t")
		fi
		cat "$f" >/dev/null # both read it from the page cache
		say "import $kind, round $r of $rounds: $rows rows, nextcall then the sqlite3 shell"
		read -r a b <<<"$(timed "$nc" --db "$copy" import "$kind" "$f")"
		grep -q "^imported: $rows rows" "$work/cmd.out" ||
			die "import $kind: $(cat "$work/cmd.out") $(tail -3 "$work/cmd.err")"
		[ $kind = clients ] && ! grep -q " $rows created" "$work/cmd.out" &&
			die "import clients did not create every row: $(cat "$work/cmd.out")"
		[ $kind = cdr ] && ! grep -q "$rows calls, $rows created" "$work/cmd.out" &&
			die "import cdr did not create every call: $(cat "$work/cmd.out")"
		nw+=("$a") ncpu+=("$b")
		[ $kind = cdr ] && cbs+=("$(sed -n 's/.* \([0-9]*\) callbacks planned.*/\1/p' "$work/cmd.out")")
		rm -f "$work/shell.db"
		sqlite3 "$work/shell.db" "CREATE TABLE t ($cols)"
		read -r a b <<<"$(timed sqlite3 "$work/shell.db" "${shell[@]}")"
		got=$(sqlite3 "$work/shell.db" "SELECT count(*) FROM t")
		[ "$got" = "$rows" ] || die "the shell imported $got rows of $rows"
		sw+=("$a") scpu+=("$b")
		if [ $kind = clients ]; then
			before=$(sqlite3 "$ref" "SELECT count(*) FROM clients")
			ref_clients "$f" >"$work/ref.sql"
			read -r a b <<<"$(timed sqlite3 -bail "$ref" ".read $work/ref.sql")"
			got=$(sqlite3 "$ref" "SELECT count(*) FROM clients")
			[ "$((got - before))" = "$rows" ] ||
				die "the same-schema reference stored $((got - before)) clients of $rows"
			rw+=("$a") rcpu+=("$b")
		else
			before=$(sqlite3 "$ref" "SELECT count(*) || ' ' || coalesce(max(id), 0) FROM calls")
			ref_cdr "$f" >"$work/ref.sql"
			read -r a b <<<"$(timed env TZ="$rtz" sqlite3 -bail "$ref" ".read $work/ref.sql")"
			got=$(sqlite3 "$ref" "SELECT count(*) FROM calls")
			[ "$((got - ${before% *}))" = "$rows" ] ||
				die "the same-schema reference stored $((got - ${before% *})) calls of $rows"
			# the same calls as nextcall's, column by column (ids included: both insert in
			# uniqueid order), or the two did not do the same work
			cols="id, client_id, rep_id, kind, direction, started_at, answered_at, ended_at,
				ring_s, talk_s, missed, outcome, phone, pbx_id, logged"
			got=$(sqlite3 "$ref" "ATTACH '$copy' AS nc; SELECT count(*) FROM (SELECT $cols
				FROM main.calls WHERE id > ${before#* } EXCEPT SELECT $cols FROM nc.calls
				WHERE id > ${before#* })")
			[ "$got" = 0 ] || die "the same-schema reference stored $got of its $rows calls" \
				"otherwise than nextcall (compare $ref with $copy, calls of id > ${before#* })"
			rw+=("$a") rcpu+=("$b")
		fi
		rm -f "$f"
	done
	w[$kind.nc]=$(printf '%s\n' "${nw[@]}" | median)
	c[$kind.nc]=$(printf '%s\n' "${ncpu[@]}" | median)
	w[$kind.sh]=$(printf '%s\n' "${sw[@]}" | median)
	c[$kind.sh]=$(printf '%s\n' "${scpu[@]}" | median)
	w[$kind.ref]=- c[$kind.ref]=-
	[ ${#cbs[@]} -gt 0 ] && callbacks=$(printf '%s\n' "${cbs[@]}" | median)
	if [ ${#rw[@]} -gt 0 ]; then
		w[$kind.ref]=$(printf '%s\n' "${rw[@]}" | median)
		c[$kind.ref]=$(printf '%s\n' "${rcpu[@]}" | median)
	fi
done
rm -f "$copy" "$copy-wal" "$copy-shm" "$ref" "$ref-wal" "$ref-shm" "$work/shell.db"

rate_or() { [ "$2" = - ] && echo - || rate "$1" "$2"; }
echo "| file ($rows rows) | nextcall rows/s (wall) | shell .import rows/s (wall) | shell same schema rows/s (wall) | ratio wall: .import | ratio wall: same schema | nextcall rows/s (CPU) | shell .import rows/s (CPU) | shell same schema rows/s (CPU) | ratio CPU: .import | ratio CPU: same schema |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
goal=met txt= txt2= txt3=
for kind in clients cdr; do
	n_r=$(rate "$rows" "${w[$kind.nc]}") s_r=$(rate "$rows" "${w[$kind.sh]}")
	n_c=$(rate "$rows" "${c[$kind.nc]}") s_c=$(rate "$rows" "${c[$kind.sh]}")
	f_r=$(rate_or "$rows" "${w[$kind.ref]}") f_c=$(rate_or "$rows" "${c[$kind.ref]}")
	rw=$(ratio "$n_r" "$s_r") rf=$(ratio "$n_r" "$f_r")
	name=$([ $kind = clients ] && echo "\`import clients\` (CSV, ;, 6 columns)" ||
		echo "\`import cdr\` (Master.csv, 18 columns)")
	echo "| $name | $n_r | $s_r | $f_r | $rw | $rf | $n_c | $s_c | $f_c | $(ratio "$n_c" "$s_c") | $(ratio "$n_c" "$f_c") |"
	# the goal: at least 0.5x the shell doing the same work (a missing reference misses it)
	awk -v r="$rf" 'BEGIN { exit !(r != "-" && r >= 0.5) }' || goal=MISSED
	txt="$txt, $kind ${rf}x wall / $(ratio "$n_c" "$f_c")x CPU"
	txt2="$txt2, $kind ${rw}x wall / $(ratio "$n_c" "$s_c")x CPU"
	[ "$f_r" != - ] && txt3="$txt3, $kind $(ratio "$f_r" "$s_r")x"
done
echo
echo "Each round imports a new file into a copy of the benchmark database (nextcall: every row"
echo "checked, phones normalized and looked up, the client search index, plans and report rollups"
echo "kept, one transaction, committed) and the same file with the sqlite3 shell's \`.import\` into"
echo "a plain table of a new database (no index, no check: the storage's bare append rate). The shell also"
echo "stores the same rows into the same tables of a second copy of the database, with its indexes,"
echo "foreign keys and checks, the same page cache as nextcall's import, the file into a staging"
echo "table by \`.import\`, then one transaction of INSERT ... SELECT (same schema). Clients: the"
echo "clients, phones and client_terms rows (the terms split by recursive CTEs) and the pool counts;"
echo "it leaves out phone normalization (the typed digits stand for the E.164), Unicode case"
echo "folding, field checks, duplicate look-ups, plans and the audit row. CDR: the calls (the"
echo "uniqueid looked up, direction and rep by the users' extensions, the client by phones.e164,"
echo "times, durations, missed), then the report rollups the import keeps, as grouped upserts (the"
echo "cells of the new calls and of the older missed calls they call back, by day, month and team,"
echo "the report locks, the sales cycles their first contacts move) and the audit row, the calls"
echo "checked equal to nextcall's; it leaves out phone normalization, field checks, layout"
echo "detection, the grouping of several records of one call, and the callbacks of recent missed"
echo "inbound calls (next step, plan, its count: $callbacks a file here)."
echo "$rounds rounds, medians; wall time of the process and its CPU time (user + system), the CPU"
echo "figure being steadier on a busy machine."
echo
echo "The goal is judged against the shell storing the same rows into the same tables: that is"
echo "the practical limit for this work. The plain \`.import\` appends to a table with no index and"
echo "checks nothing; the shell itself, storing the same rows into the same tables, runs at a"
echo "small fraction of its plain \`.import\` here (${txt3#, }), so that"
echo "figure is shown for scale, not as the goal's reference."
echo
echo "goal: imports >= 0.5x the sqlite3 shell's \`.import\` of the same rows into the same tables: **$goal** (${txt#, })"
echo "against the shell's plain \`.import\` into a table with no index (for scale): ${txt2#, }"
