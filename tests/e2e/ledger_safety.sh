#!/bin/sh
# The triage ledger under kills and concurrent writers.
#
# Kills: `triage set` records a verdict for each of the ~4,000 groups of a
# generated hunt in a ledger of ~0.9 MB, and is killed (SIGKILL, its whole
# process group) at random moments, with every write, fsync, link and
# rename slowed by strace when it is at hand (the append, 64 KiB a write). The save appends its verdicts
# to the file (logonhunt-ledger(5)). After each kill the old file's bytes
# must all be there unchanged, the ledger must read back as the old version
# (what a killed save appended is left out) or as the whole new one (every
# group once, every verdict there), and the backup (ledger~) must be its
# old self or the old ledger. LEDGER_KILLS (default 40) kills.
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
"$LOGONHUNT" triage export --ledger "$WORK/v/old" > "$WORK/v/old-export"

if command -v strace >/dev/null 2>&1 && command -v setsid >/dev/null 2>&1 &&
    strace -qq -o /dev/null -e trace=write -e inject=write:delay_enter=1 true 2>/dev/null; then
	slow="strace -f -qq -o /dev/null -e trace=write,pwrite64,fsync,link,linkat,rename,renameat,renameat2 -e inject=write,pwrite64,fsync,link,linkat,rename,renameat,renameat2:delay_enter=10000"
	echo "writes slowed down by strace"
else
	slow=
fi

setup() {
	rm -f "$WORK/run/"*
	cp "$WORK/v/old" "$WORK/run/ledger"
	cp "$WORK/v/oldbackup" "$WORK/run/ledger~"
}
# judge, from a fresh copy of the old version, killed after $1 seconds;
# returns 0 when the kill landed while it ran.
judge_killed() {
	setup
	setsid $slow "$LOGONHUNT" triage set false-positive --note "kill test" \
	    --ledger "$WORK/run/ledger" < "$WORK/v/all.csv" > /dev/null 2>&1 &
	pid=$!
	sleep "$1"
	kill -KILL "-$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null
	st=$?
	while ps -e -o pgid= -o stat= | awk -v g="$pid" '$1 == g && $2 !~ /^Z/ { f = 1 } END { exit !f }'; do
		sleep 0.01
	done
	[ "$st" -eq 137 ]
}
judge() {
	setsid $slow "$LOGONHUNT" triage set false-positive --note "kill test" \
	    --ledger "$WORK/run/ledger" < "$WORK/v/all.csv" > /dev/null 2>&1
}
# The old version: its bytes untouched at the start of the file, and what
# the file reads back as is what the old file reads back as.
reads_old() {
	cmp -s -n "$(wc -c < "$WORK/v/old")" "$1" "$WORK/v/old" &&
	    "$LOGONHUNT" triage export --ledger "$1" > "$WORK/export" 2>/dev/null &&
	    cmp -s "$WORK/export" "$WORK/v/old-export"
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
	cmp -s -n "$(wc -c < "$WORK/v/old")" "$WORK/run/ledger" "$WORK/v/old" && ok ||
	    fail "the save did not append: the old file's bytes changed"
	# Appending leaves the backup alone.
	expect_same "$WORK/v/oldbackup" "$WORK/run/ledger~" "the backup after a save"
done
echo "one save takes $(echo "$d" | awk '{ printf "%.3f", $1 / 1e9 }')s; $KILLS kills"

killed=0
torn=0
i=0
for delay in $(awk -v n="$KILLS" -v d="$d" 'BEGIN { srand(13); for (i = 0; i < n; i++) printf "%.4f\n", d * 1.1 * rand() / 1e9 }'); do
	i=$((i + 1))
	judge_killed "$delay" && killed=$((killed + 1))
	if reads_old "$WORK/run/ledger"; then
		[ "$(wc -c < "$WORK/run/ledger")" -gt "$(wc -c < "$WORK/v/old")" ] && torn=$((torn + 1))
		ok
	elif whole_new "$WORK/run/ledger"; then ok; else
		fail "kill $i at ${delay}s: the ledger is neither version ($(wc -c < "$WORK/run/ledger") bytes)"; fi
	if cmp -s "$WORK/run/ledger~" "$WORK/v/oldbackup" || cmp -s "$WORK/run/ledger~" "$WORK/v/old"; then ok; else
		fail "kill $i at ${delay}s: the backup is neither version"; fi
done
echo "$killed of $KILLS runs killed while running, $torn in the middle of appending"
[ "$killed" -ge $((KILLS / 2)) ] && ok || fail "only $killed kills landed while it ran"
# A save after a kill in the middle of appending (what such a kill leaves:
# the new file cut inside its appended save, made here so that it does not
# depend on where a kill lands): the ledger reads as the old version with a
# warning, and the next save removes what was left and appends its own.
setup
judge
old_size=$(wc -c < "$WORK/v/old")
new_size=$(wc -c < "$WORK/run/ledger")
head -c $(( (old_size + new_size) / 2 )) "$WORK/run/ledger" > "$WORK/cut"
setup
cp "$WORK/cut" "$WORK/run/ledger"
reads_old "$WORK/run/ledger" && ok || fail "a save cut in the middle does not read as the old version"
"$LOGONHUNT" triage list --ledger "$WORK/run/ledger" > /dev/null 2> "$WORK/err"
expect_grep "an interrupted save" "$WORK/err"
judge
whole_new "$WORK/run/ledger" && ok || fail "the save after a kill while appending"
cmp -s -n "$old_size" "$WORK/run/ledger" "$WORK/v/old" && ok || fail "the save after the cut changed the old bytes"

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
