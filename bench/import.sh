#!/usr/bin/env bash
# bench/import.sh - the imports against the sqlite3 shell: `nextcall import clients` (a client CSV,
# all or nothing) and `nextcall import cdr` (Asterisk's Master.csv) into a copy of the benchmark
# database, against the shell's `.import` of the same file into a plain table of a new database
# (the issue's reference) and, for clients, against the shell storing the same rows into the same
# tables of a copy of the same database (the same-schema reference: see ref_clients below).
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

# timed CMD...: runs it, prints "wall_s cpu_s" (cpu: user + system of the process)
timed() {
	local t0 t1 out=$work/time.txt
	t0=$(date +%s%N)
	/usr/bin/time -f '%U %S' -o "$out" "$@" >"$work/cmd.out" 2>"$work/cmd.err" ||
		die "$* failed: $(tail -3 "$work/cmd.err")"
	t1=$(date +%s%N)
	awk -v a="$t0" -v b="$t1" '{ printf "%.4f %.4f\n", (b - a) / 1e9, $1 + $2 }' "$out"
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
	cat <<-EOF
	PRAGMA foreign_keys = ON;
	PRAGMA temp_store = MEMORY;
	PRAGMA cache_size = -1048576;
	PRAGMA mmap_size = 1073741824;
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
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.3f", a / b; else print "-" }'; }

declare -A w c
for kind in clients cdr; do
	nw=() ncpu=() sw=() scpu=() rw=() rcpu=()
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
		fi
		rm -f "$f"
	done
	w[$kind.nc]=$(printf '%s\n' "${nw[@]}" | median)
	c[$kind.nc]=$(printf '%s\n' "${ncpu[@]}" | median)
	w[$kind.sh]=$(printf '%s\n' "${sw[@]}" | median)
	c[$kind.sh]=$(printf '%s\n' "${scpu[@]}" | median)
	w[$kind.ref]=- c[$kind.ref]=-
	if [ ${#rw[@]} -gt 0 ]; then
		w[$kind.ref]=$(printf '%s\n' "${rw[@]}" | median)
		c[$kind.ref]=$(printf '%s\n' "${rcpu[@]}" | median)
	fi
done
rm -f "$copy" "$copy-wal" "$copy-shm" "$ref" "$ref-wal" "$ref-shm" "$work/shell.db"

rate_or() { [ "$2" = - ] && echo - || rate "$1" "$2"; }
echo "| file ($rows rows) | nextcall rows/s (wall) | shell .import rows/s (wall) | shell same schema rows/s (wall) | ratio wall: .import | ratio wall: same schema | nextcall rows/s (CPU) | shell .import rows/s (CPU) | shell same schema rows/s (CPU) | ratio CPU: .import | ratio CPU: same schema |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
goal=met txt= txt2=
for kind in clients cdr; do
	n_r=$(rate "$rows" "${w[$kind.nc]}") s_r=$(rate "$rows" "${w[$kind.sh]}")
	n_c=$(rate "$rows" "${c[$kind.nc]}") s_c=$(rate "$rows" "${c[$kind.sh]}")
	f_r=$(rate_or "$rows" "${w[$kind.ref]}") f_c=$(rate_or "$rows" "${c[$kind.ref]}")
	rw=$(ratio "$n_r" "$s_r") rf=$(ratio "$n_r" "$f_r")
	name=$([ $kind = clients ] && echo "\`import clients\` (CSV, ;, 6 columns)" ||
		echo "\`import cdr\` (Master.csv, 18 columns)")
	echo "| $name | $n_r | $s_r | $f_r | $rw | $rf | $n_c | $s_c | $f_c | $(ratio "$n_c" "$s_c") | $(ratio "$n_c" "$f_c") |"
	awk -v r="$rw" 'BEGIN { exit !(r >= 0.5) }' || goal=MISSED
	txt="$txt, $kind ${rw}x"
	[ "$f_r" != - ] && txt2="$txt2, $kind ${rf}x (CPU $(ratio "$n_c" "$f_c")x)"
done
echo
echo "Each round imports a new file into a copy of the benchmark database (nextcall: every row"
echo "checked, phones normalized and looked up, the client search index, plans and report rollups"
echo "kept, one transaction, committed) and the same file with the sqlite3 shell's \`.import\` into"
echo "a plain table of a new database (no index, no check: the issue's reference). For clients the"
echo "shell also stores the same rows into the same tables of a second copy of the database, with"
echo "its indexes, foreign keys and checks (same schema): a staging table, then the clients, phones"
echo "and client_terms rows by INSERT ... SELECT (the terms split by recursive CTEs), one"
echo "transaction; it leaves out phone normalization (the typed digits stand for the E.164),"
echo "Unicode case folding, field checks, duplicate look-ups, plans and the audit row. CDR has no"
echo "same-schema reference (its calls need the phone look-up, the extension map and the rollups)."
echo "$rounds rounds, medians; wall time of the process and its CPU time (user + system), the CPU"
echo "figure being steadier on a busy machine."
echo
echo "goal: imports >= 0.5x the sqlite3 shell's plain \`.import\`: **$goal**${txt#,}"
echo "against the shell storing the same rows into the same schema: ${txt2#, }"
