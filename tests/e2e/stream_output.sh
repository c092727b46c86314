#!/bin/sh
# The batch summary on standard output is written as it is made, in
# pieces of about 1 MiB, not built whole: a summary of 30,000 groups
# (3.4 MB of CSV, 8 MB of JSON) on standard output is exactly the one
# Python's reference implementation computes (CSV, sorted as documented)
# and the one -o writes (also as it is made, into a temporary file renamed
# at the end), in both formats; the JSON summary saved with -o peaks
# within 2 MiB of the same summary on standard output (it was built whole
# for -o: 8 MB of JSON, 6 MB and more above); a full device stops it at the first piece with
# one clear message and exit status 1; a reader that goes away early gets
# what it read.
. "$(dirname "$0")/lib.sh"

# 30,000 groups of one logon each: addresses 11.0.0.1 upwards.
distinct_groups "$WORK/d" 30000

for fmt in csv json; do
	expect_status 0 "$LOGONHUNT" -b -f $fmt "$WORK/d"
	mv "$WORK/out" "$WORK/stdout.$fmt"
	expect_status 0 "$LOGONHUNT" -b -f $fmt -o "$WORK/file.$fmt" "$WORK/d"
	expect_same "$WORK/file.$fmt" "$WORK/stdout.$fmt" "-f $fmt on standard output"
	size=$(wc -c <"$WORK/stdout.$fmt")
	if [ "$size" -gt 3000000 ]; then ok; else fail "-f $fmt: only $size bytes: one piece, nothing streamed"; fi
done

if command -v python3 >/dev/null 2>&1; then
	python3 "$top_srcdir/tests/e2e/hunt_reference.py" "$WORK/d" >"$WORK/ref.csv" 2>"$WORK/ref.err" ||
		fail "hunt_reference.py failed: $(cat "$WORK/ref.err")"
	# The reference leaves the order to the caller: compare the rows.
	LC_ALL=C sort "$WORK/ref.csv" >"$WORK/ref.sorted"
	LC_ALL=C sort "$WORK/stdout.csv" >"$WORK/out.sorted"
	expect_same "$WORK/ref.sorted" "$WORK/out.sorted" "30,000 groups against the reference"
elif [ -n "${CI:-}" ]; then
	fail "python3 not found (CI must have it)"
else
	skip_part "python3 not found: no reference"
fi

# Peak memory (the operating system's figure for the finished child).
peak() {
	python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}
if command -v python3 >/dev/null 2>&1; then
	streamed=$(peak "$LOGONHUNT" -b -f json "$WORK/d")
	saved=$(peak "$LOGONHUNT" -b -f json -o "$WORK/peak.json" "$WORK/d")
	echo "peak: $streamed KiB on standard output, $saved KiB with -o"
	if [ "$saved" -le $((streamed + 2048)) ]; then ok; else
		fail "JSON with -o peaked at $saved KiB, on standard output at $streamed KiB: -o not streamed"
	fi
fi

if [ -w /dev/full ]; then
	"$LOGONHUNT" -b -f csv "$WORK/d" >/dev/full 2>"$WORK/err"
	got=$?
	if [ "$got" -eq 1 ]; then ok; else fail "onto /dev/full: exit $got, wanted 1"; fi
	expect_grep "cannot write the summary to standard output: No space left on device" "$WORK/err"
	n=$(grep -c "cannot write" "$WORK/err")
	if [ "$n" -eq 1 ]; then ok; else fail "onto /dev/full: $n messages, wanted 1"; fi
else
	skip_part "no writable /dev/full"
fi

# A reader that stops after 1,000 bytes: the first bytes are the summary's.
("$LOGONHUNT" -b -f csv "$WORK/d" 2>/dev/null; echo $? >"$WORK/status") |
	head -c 1000 >"$WORK/head"
head -c 1000 "$WORK/stdout.csv" | cmp -s - "$WORK/head" && ok || fail "the first 1,000 bytes differ"
got=$(cat "$WORK/status")
case "$got" in 0 | 1 | 141) ok ;; *) fail "a reader gone early: exit $got" ;; esac
finish
