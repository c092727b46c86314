#!/bin/sh
# The triage ledger under kills and concurrent writers.
#
# Kills: `triage set` records a verdict for each of the ~4,000 groups of a
# generated hunt in a ledger of ~0.9 MB, and is killed (SIGKILL, its whole
# process group) at random moments, with every write, fsync, link and
# rename slowed by strace when it is at hand. After each kill the ledger
# must be the old file byte for byte or the whole new one (it reads back,
# every group once, every verdict there), and the backup (ledger~) its old
# self or the old ledger. LEDGER_KILLS (default 40) kills.
#
# Concurrent writers: two loops of `triage set`, each judging its own 15
# groups one at a time, and a loop of batch runs recording the hunt, all on
# one ledger at once: at the end every one of the 30 verdicts is there and
# the file reads back (no writer lost another's verdicts).
. "$(dirname "$0")/lib.sh"
KILLS=${LEDGER_KILLS:-40}
: "${LHGEN:?LHGEN must name the generator}"

"$LHGEN" --seed 11 --logons 60000 "$WORK/data" > /dev/null
mkdir -p "$WORK/v" "$WORK/run"
"$LOGONHUNT" -b -f csv --no-exclusions --ledger "$WORK/v/old" "$WORK/data" > "$WORK/v/all.csv"
groups=$(( $(wc -l < "$WORK/v/all.csv") - 1 ))
echo "ledger: $groups groups, $(wc -c < "$WORK/v/old") bytes"
[ "$groups" -gt 1000 ] && ok || fail "only $groups groups"
printf 'previous version\n' > "$WORK/v/oldbackup"

if command -v strace >/dev/null 2>&1 && command -v setsid >/dev/null 2>&1 &&
    strace -qq -o /dev/null -e trace=write -e inject=write:delay_enter=1 true 2>/dev/null; then
	slow="strace -f -qq -o /dev/null -e trace=write,fsync,link,linkat,rename,renameat,renameat2 -e inject=write,fsync,link,linkat,rename,renameat,renameat2:delay_enter=10000"
	echo "writes slowed down by strace"
else
	slow=
fi

setup() {
	rm -f "$WORK/run/"*
	cp "$WORK/v/old" "$WORK/run/ledger"
	cp "$WORK/v/oldbackup" "$WORK/run/ledger~"
}
judge() {
	setsid $slow "$LOGONHUNT" triage set false-positive --note "kill test" \
	    --ledger "$WORK/run/ledger" < "$WORK/v/all.csv" > /dev/null 2>&1
}
# The new version is whole: it reads back, with every group once and one
# verdict each.
whole_new() {
	"$LOGONHUNT" triage export --ledger "$1" > "$WORK/export" 2>/dev/null &&
	    [ "$(grep -c "$(printf '^group\t')" "$WORK/export")" -eq "$groups" ] &&
	    [ "$(grep -c "$(printf '^verdict\t[^\t]*\tfalse-positive\t')" "$WORK/export")" -eq "$groups" ]
}

# The kills are spread over the time one save takes: the shortest of three
# uninterrupted saves, so that a first slow run on a busy machine does not
# send most kills after the saves have finished.
d=
for _ in 1 2 3; do
	setup
	t0=$(date +%s%N)
	judge
	t=$(( $(date +%s%N) - t0 ))
	[ -z "$d" ] || [ "$t" -lt "$d" ] && d=$t
	whole_new "$WORK/run/ledger" && ok || fail "an uninterrupted triage set did not write the new version"
	expect_same "$WORK/v/old" "$WORK/run/ledger~" "the backup after a save"
done
echo "one save takes $(echo "$d" | awk '{ printf "%.3f", $1 / 1e9 }')s; $KILLS kills"

killed=0
i=0
for delay in $(awk -v n="$KILLS" -v d="$d" 'BEGIN { srand(13); for (i = 0; i < n; i++) printf "%.4f\n", d * 1.1 * rand() / 1e9 }'); do
	i=$((i + 1))
	setup
	setsid $slow "$LOGONHUNT" triage set false-positive --note "kill test" \
	    --ledger "$WORK/run/ledger" < "$WORK/v/all.csv" > /dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -KILL "-$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null
	[ $? -eq 137 ] && killed=$((killed + 1))
	while ps -e -o pgid= -o stat= | awk -v g="$pid" '$1 == g && $2 !~ /^Z/ { f = 1 } END { exit !f }'; do
		sleep 0.01
	done
	if cmp -s "$WORK/run/ledger" "$WORK/v/old" || whole_new "$WORK/run/ledger"; then ok; else
		fail "kill $i at ${delay}s: the ledger is neither version ($(wc -c < "$WORK/run/ledger") bytes)"; fi
	if cmp -s "$WORK/run/ledger~" "$WORK/v/oldbackup" || cmp -s "$WORK/run/ledger~" "$WORK/v/old"; then ok; else
		fail "kill $i at ${delay}s: the backup is neither version"; fi
done
echo "$killed of $KILLS runs killed while running"
[ "$killed" -ge $((KILLS / 2)) ] && ok || fail "only $killed kills landed while it ran"
# A save after the kills: whatever they left, the next save is whole.
judge
whole_new "$WORK/run/ledger" && ok || fail "the save after the kills"

# ------------------------------------------------ concurrent writers
L="$WORK/shared/ledger"
mkdir -p "$WORK/shared"
head -1 "$WORK/v/all.csv" > "$WORK/head.csv"
sed -n '2,31p' "$WORK/v/all.csv" > "$WORK/rows.csv"
writer() {
	first=$1
	for k in $(seq "$first" $((first + 14))); do
		{ cat "$WORK/head.csv"; sed -n "${k}p" "$WORK/rows.csv"; } |
		    "$LOGONHUNT" triage set "$2" --note "writer $first row $k" --ledger "$L" 2>> "$WORK/writer.err" ||
		    echo "writer $first row $k failed" >> "$WORK/writer.err"
	done
}
recorder() {
	for k in 1 2 3 4; do
		"$LOGONHUNT" -b -f csv --no-exclusions --ledger "$L" "$WORK/data" > /dev/null 2>> "$WORK/writer.err" ||
		    echo "batch run $k failed" >> "$WORK/writer.err"
	done
}
writer 1 true-positive &
p1=$!
writer 16 escalated &
p2=$!
recorder &
p3=$!
wait $p1 $p2 $p3
if grep -q failed "$WORK/writer.err"; then fail "a concurrent writer failed"; cat "$WORK/writer.err" >&2; else ok; fi
expect_status 0 "$LOGONHUNT" triage list -f csv --ledger "$L" --verdict true-positive
[ "$(grep -c 'writer 1 row' "$WORK/out")" -eq 15 ] && ok || fail "writer 1: $(grep -c 'writer 1 row' "$WORK/out") of 15 verdicts kept"
expect_status 0 "$LOGONHUNT" triage list -f csv --ledger "$L" --verdict escalated
[ "$(grep -c 'writer 16 row' "$WORK/out")" -eq 15 ] && ok || fail "writer 16: $(grep -c 'writer 16 row' "$WORK/out") of 15 verdicts kept"
expect_status 0 "$LOGONHUNT" triage export --ledger "$L"
[ "$(grep -c "$(printf '^group\t')" "$WORK/out")" -eq "$groups" ] && ok || fail "the shared ledger lost groups"
finish
