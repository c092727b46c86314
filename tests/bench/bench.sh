#!/usr/bin/env bash
# bench.sh [--rows N] [--workdir DIR] [--runs N] [--quick] [--no-keys]
#          [--skip TOOL]...
#
# Times the "Device Logons from Unknown IPs" hunt over lhgen data in three
# implementations and checks that they agree:
#
#   logonhunt   $LOGONHUNT (default ./logonhunt) --batch --format csv
#               --no-record --no-neutralise DIR (the hunt alone: no triage
#               ledger written, values exact as the other tools write them)
#   sqlite      tests/e2e/sqlite_crosscheck.sh DIR   (sqlite3, in memory)
#   duckdb      node tests/bench/duckdb_hunt.mjs DIR OUT   (@duckdb/node-api)
#   floor       $FLOOR (tests/bench/floor) DIR/*.csv: maps the same files
#               and counts their line feeds with memchr on every core, the
#               memory-bandwidth floor no hunt can beat; the table gives
#               logonhunt's time as a multiple of it and of DuckDB's.
#
# Each runs --runs times (default 3) under /usr/bin/time -f '%e %M'; the
# table shows the median wall time and the median peak RSS (for the two
# scripts that is the largest process they ran: sqlite3 or node).
#
# Then, unless --no-keys, the console's key-to-screen latency on the same
# data with one other process keeping a core busy: tests/bench/keys_tmux.py
# in tmux (skipped when tmux or python3 is missing). --quick: one run of
# each tool and one round of keys. --skip TOOL (logonhunt, sqlite, duckdb
# or floor; repeatable) leaves a tool out: SQLite's in-memory import needs
# about 1 GB and 20 s per million rows, too much at ten million.
#
# Data: lhgen --seed 1 --logons N into WORKDIR/data-N, generated only when
# that directory is not already complete.  lhgen is $LHGEN, else
# ./tests/lhgen (a build tree), else compiled from tests/gen/lhgen.c into
# WORKDIR.  @duckdb/node-api is installed with npm into WORKDIR/duckdb-node
# when missing.  A tool that is not available is reported and skipped.
#
# Exit status: 0 when every available tool ran and the outputs agree, 1 on a
# mismatch or failure, 2 on bad usage.

set -euo pipefail

rows=1000000
workdir=/tmp/lh-bench
runs=3
keys=1
key_rounds=2
skip=' '

usage() {
	sed -n '2,3p' "$0" | sed 's/^# \{0,1\}//'
	exit "${1:-2}"
}

while [ $# -gt 0 ]; do
	case "$1" in
	--rows) rows=${2:?--rows needs a number}; shift 2 ;;
	--rows=*) rows=${1#*=}; shift ;;
	--workdir) workdir=${2:?--workdir needs a directory}; shift 2 ;;
	--workdir=*) workdir=${1#*=}; shift ;;
	--runs) runs=${2:?--runs needs a number}; shift 2 ;;
	--runs=*) runs=${1#*=}; shift ;;
	--quick) runs=1; key_rounds=1; shift ;;
	--no-keys) keys=0; shift ;;
	--skip)
		case "${2:-}" in
		logonhunt | sqlite | duckdb | floor) skip="$skip$2 "; shift 2 ;;
		*) echo "bench.sh: --skip takes logonhunt, sqlite, duckdb or floor" >&2; exit 2 ;;
		esac ;;
	-h | --help) usage 0 ;;
	*) echo "bench.sh: unknown argument '$1'" >&2; usage ;;
	esac
done
case "$rows" in '' | *[!0-9]*) echo "bench.sh: --rows must be a number" >&2; exit 2 ;; esac
case "$runs" in '' | *[!0-9]* | 0) echo "bench.sh: --runs must be a positive number" >&2; exit 2 ;; esac

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)
outdir=$workdir/out
mkdir -p "$outdir"
status=0

note() { printf '%s\n' "$*" >&2; }

[ -x /usr/bin/time ] || { note "bench.sh: /usr/bin/time missing (Debian package 'time')"; exit 1; }

# ------------------------------------------------------------------ lhgen
find_lhgen() {
	if [ -n "${LHGEN:-}" ]; then
		printf '%s\n' "$LHGEN"
	elif [ -x ./tests/lhgen ]; then
		printf '%s\n' "$PWD/tests/lhgen"
	else
		local bin=$workdir/lhgen
		# Rebuild when the source is newer than the cached binary.
		if [ ! -x "$bin" ] || [ "$srcdir/tests/gen/lhgen.c" -nt "$bin" ]; then
			"${CC:-cc}" -std=gnu11 -O2 -o "$bin.tmp" "$srcdir/tests/gen/lhgen.c"
			mv -f "$bin.tmp" "$bin"
		fi
		printf '%s\n' "$bin"
	fi
}

data=$workdir/data-$rows
# The stamp records how the data was made; anything else means regenerate
# (an interrupted run leaves no stamp).
stamp_want="lhgen --seed 1 --logons $rows"
if [ "$(cat "$data/.complete" 2>/dev/null || true)" != "$stamp_want" ]; then
	lhgen=$(find_lhgen)
	note "generating $rows logons into $data ..."
	rm -rf "$data.tmp" "$data"
	"$lhgen" --seed 1 --logons "$rows" "$data.tmp"
	printf '%s\n' "$stamp_want" >"$data.tmp/.complete"
	mv "$data.tmp" "$data"
fi
note "data: $data ($(du -sh "$data" | cut -f1))"

# ----------------------------------------------------------------- duckdb
duck_dir=$workdir/duckdb-node
have_duckdb=0
if command -v node >/dev/null 2>&1; then
	if [ ! -f "$duck_dir/node_modules/@duckdb/node-api/package.json" ]; then
		if command -v npm >/dev/null 2>&1; then
			note "installing @duckdb/node-api into $duck_dir ..."
			mkdir -p "$duck_dir"
			[ -f "$duck_dir/package.json" ] || printf '{ "name": "lh-bench-duckdb", "private": true }\n' >"$duck_dir/package.json"
			(cd "$duck_dir" && npm install --no-audit --no-fund --loglevel=error @duckdb/node-api >&2) ||
				note "npm install failed; skipping duckdb"
		else
			note "npm not found; skipping duckdb"
		fi
	fi
	[ -f "$duck_dir/node_modules/@duckdb/node-api/package.json" ] && have_duckdb=1
else
	note "node not found; skipping duckdb"
fi

# ------------------------------------------------------------------ tools
logonhunt=${LOGONHUNT:-./logonhunt}
tools=()
if [ -x "$logonhunt" ]; then
	tools+=(logonhunt)
else
	note "logonhunt not found at '$logonhunt' (set LOGONHUNT); skipping it"
fi
if command -v sqlite3 >/dev/null 2>&1; then
	tools+=(sqlite)
else
	note "sqlite3 not found; skipping sqlite"
fi
[ "$have_duckdb" = 1 ] && tools+=(duckdb)
floor=${FLOOR:-./tests/bench/floor}
if [ -x "$floor" ]; then
	tools+=(floor)
else
	note "floor not found at '$floor' (set FLOOR, or make tests/bench/floor); skipping it"
fi

# Tools left out with --skip.
kept=()
for t in "${tools[@]}"; do
	case "$skip" in
	*" $t "*) note "$t: skipped (--skip)" ;;
	*) kept+=("$t") ;;
	esac
done
tools=("${kept[@]}")

# run_tool NAME: one run, result in $outdir/NAME.csv, stderr in NAME.err
run_tool() {
	local name=$1 out=$outdir/$1.csv err=$outdir/$1.err
	case "$name" in
	logonhunt)
		/usr/bin/time -f '%e %M' -o "$outdir/$name.time" "$logonhunt" --batch --format csv --no-record --no-neutralise "$data" >"$out" 2>"$err" ;;
	sqlite)
		/usr/bin/time -f '%e %M' -o "$outdir/$name.time" sh "$srcdir/tests/e2e/sqlite_crosscheck.sh" "$data" >"$out" 2>"$err" ;;
	duckdb)
		LH_DUCKDB_NODE_DIR=$duck_dir /usr/bin/time -f '%e %M' -o "$outdir/$name.time" \
			node "$srcdir/tests/bench/duckdb_hunt.mjs" "$data" "$out" >/dev/null 2>"$err" ;;
	floor)
		/usr/bin/time -f '%e %M' -o "$outdir/$name.time" "$floor" "$data"/*.csv >"$out" 2>"$err" ;;
	esac
}

# median of the numbers on stdin (lower middle for an even count)
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

declare -A med_wall med_rss ok
for t in "${tools[@]}"; do
	walls=() rsss=()
	ok[$t]=1
	for ((i = 1; i <= runs; i++)); do
		if ! run_tool "$t"; then
			note "$t failed (run $i):"
			tail -n 5 "$outdir/$t.err" >&2 || true
			ok[$t]=0
			status=1
			break
		fi
		read -r w m <"$outdir/$t.time"
		walls+=("$w")
		rsss+=("$m")
		note "$t run $i: ${w}s ${m} KiB"
	done
	if [ "${ok[$t]}" = 1 ]; then
		med_wall[$t]=$(printf '%s\n' "${walls[@]}" | median)
		med_rss[$t]=$(printf '%s\n' "${rsss[@]}" | median)
	fi
done

# ------------------------------------------------------------------ table
echo
echo "hunt over $rows logons ($(nproc) cores), median of $runs runs"
printf '%-10s %14s %20s\n' tool "median wall s" "median peak RSS MiB"
for t in "${tools[@]}"; do
	if [ "${ok[$t]}" = 1 ]; then
		printf '%-10s %14.2f %20.1f\n' "$t" "${med_wall[$t]}" "$(awk -v k="${med_rss[$t]}" 'BEGIN { print k / 1024 }')"
	else
		printf '%-10s %14s %20s\n' "$t" failed failed
	fi
done
ratio() {
	[ "${ok[$1]:-0}" = 1 ] && [ "${ok[$2]:-0}" = 1 ] || return 0
	awk -v a="${med_wall[$1]}" -v b="${med_wall[$2]}" -v na="$1" -v nb="$2" \
		'BEGIN { if (b > 0) printf "%s / %s (median wall): %.2fx\n", na, nb, a / b }'
}
ratio logonhunt floor
ratio logonhunt duckdb
echo

# ------------------------------------------------------------ agreement
# Rows are compared as lines: a result line holding a quoted newline splits
# the same way in both files, so equal sorted line sets mean equal rows.
compare() {
	local a=$1 b=$2 fa=$outdir/$1.csv fb=$outdir/$2.csv
	[ "${ok[$a]:-0}" = 1 ] && [ "${ok[$b]:-0}" = 1 ] || return 0
	local na nb
	na=$(($(wc -l <"$fa") - 1))
	nb=$(($(wc -l <"$fb") - 1))
	if cmp -s "$fa" "$fb"; then
		echo "$a vs $b: identical ($na rows)"
	elif [ "$na" -ne "$nb" ]; then
		echo "$a vs $b: DIFFERENT row counts: $na vs $nb"
		status=1
	elif cmp -s <(LC_ALL=C sort "$fa") <(LC_ALL=C sort "$fb"); then
		echo "$a vs $b: same $na rows, different order"
	else
		echo "$a vs $b: DIFFERENT rows ($na each); first differences:"
		diff <(LC_ALL=C sort "$fa") <(LC_ALL=C sort "$fb") | head -n 10
		status=1
	fi
}
compare logonhunt duckdb
compare sqlite duckdb
compare logonhunt sqlite

# ------------------------------------------------------------------- keys
if [ "$keys" = 1 ]; then
	echo
	if [ "${ok[logonhunt]:-0}" != 1 ]; then
		note "keys: logonhunt did not run; skipped"
	elif ! command -v tmux >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
		note "keys: tmux or python3 not found; skipped"
	else
		echo "console keys over $rows logons, in tmux:"
		python3 "$srcdir/tests/bench/keys_tmux.py" --busy 1 --rounds "$key_rounds" \
			"$logonhunt" "$data" || status=1
	fi
fi

exit "$status"
