#!/usr/bin/env bash
# bench/import.sh - the imports against the sqlite3 shell: `nextcall import clients` (a client CSV,
# all or nothing) and `nextcall import cdr` (Asterisk's Master.csv) into a copy of the benchmark
# database, against the shell's `.import` of the same file into a plain table of a new database.
# bench/run calls it; it prints a Markdown section (and a "goal" line) on stdout.
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
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.3f", a / b; else print "-" }'; }

declare -A w c
for kind in clients cdr; do
	nw=() ncpu=() sw=() scpu=()
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
		rm -f "$f"
	done
	w[$kind.nc]=$(printf '%s\n' "${nw[@]}" | median)
	c[$kind.nc]=$(printf '%s\n' "${ncpu[@]}" | median)
	w[$kind.sh]=$(printf '%s\n' "${sw[@]}" | median)
	c[$kind.sh]=$(printf '%s\n' "${scpu[@]}" | median)
done
rm -f "$copy" "$copy-wal" "$copy-shm" "$work/shell.db"

echo "| file ($rows rows) | nextcall rows/s (wall) | sqlite3 shell rows/s (wall) | ratio wall | nextcall rows/s (CPU) | shell rows/s (CPU) | ratio CPU |"
echo "|---|---|---|---|---|---|---|"
goal=met txt=
for kind in clients cdr; do
	n_r=$(rate "$rows" "${w[$kind.nc]}") s_r=$(rate "$rows" "${w[$kind.sh]}")
	n_c=$(rate "$rows" "${c[$kind.nc]}") s_c=$(rate "$rows" "${c[$kind.sh]}")
	rw=$(ratio "$n_r" "$s_r")
	name=$([ $kind = clients ] && echo "\`import clients\` (CSV, ;, 6 columns)" ||
		echo "\`import cdr\` (Master.csv, 18 columns)")
	echo "| $name | $n_r | $s_r | $rw | $n_c | $s_c | $(ratio "$n_c" "$s_c") |"
	awk -v r="$rw" 'BEGIN { exit !(r >= 0.5) }' || goal=MISSED
	txt="$txt, $kind ${rw}x"
done
echo
echo "Each round imports a new file into a copy of the benchmark database (nextcall: every row"
echo "checked, phones normalized and looked up, the client search index, plans and report rollups"
echo "kept, one transaction, committed) and the same file with the sqlite3 shell's \`.import\` into"
echo "a plain table of a new database (no index, no check); $rounds rounds, medians; wall time of"
echo "the process and its CPU time (user + system), the CPU figure being steadier on a busy machine."
echo
echo "goal: imports >= 0.5x the sqlite3 shell: **$goal**${txt#,}"
