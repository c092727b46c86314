#!/bin/sh
# The hunt computed independently in SQLite must give byte-identical CSV,
# on generated data of several shapes, with both CSV readers and with the
# file split across threads.
. "$(dirname "$0")/lib.sh"
: "${LHGEN:?LHGEN must name the generator}"
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "sqlite3 is not installed: skipping"
	exit 77
fi
SQL="$top_srcdir/tests/e2e/sqlite_crosscheck.sh"

run_case() {	# name, generator options...
	name=$1; shift
	dir="$WORK/$name"
	"$LHGEN" "$@" "$dir" > /dev/null || { fail "lhgen $*"; return; }
	sh "$SQL" "$dir" > "$WORK/$name.sqlite.csv" || { fail "sqlite cross-check on $name"; return; }
	for opts in "--csv-parser fast --threads 2" "--csv-parser fast --threads 1" "--csv-parser libcsv"; do
		# shellcheck disable=SC2086
		expect_status 0 "$LOGONHUNT" --batch --format csv $opts "$dir"
		expect_same "$WORK/$name.sqlite.csv" "$WORK/out" "$name ($opts)"
	done
	rows=$(wc -l < "$WORK/$name.sqlite.csv")
	if [ "$rows" -gt 20 ]; then ok; else fail "$name: only $rows summary lines: the data set is too small to mean much"; fi
}

run_case sample --sample --seed 42 --logons 3000
run_case crlf --seed 1 --logons 15000
run_case lf-bom --seed 2 --logons 15000 --lf --bom
run_case wide --seed 3 --logons 12000 --network 3000 --identity 6000
finish
