#!/bin/sh
# Too little memory: `--batch` under a ladder of `ulimit -v` ceilings must,
# at every step, either finish with the right summary or stop with a clear
# message (the core's "out of memory (allocating N bytes)", or an input
# that cannot be mapped) and a non-zero status: never hang, never crash
# with a signal other than the OOM path's abort, never print half a
# summary, never print raw bytes. CSV split across threads and JSON lines
# are both tried, as thread stacks are the first thing a ceiling refuses.
# Sanitizer builds reserve terabytes of address space: skipped there.
. "$(dirname "$0")/lib.sh"
XDG_CONFIG_HOME="$WORK/config"
export XDG_CONFIG_HOME
if grep -q __asan_init "$LOGONHUNT" 2>/dev/null; then
	echo "ASan build: cannot run under ulimit -v"; exit 77
fi
if ! (ulimit -v 1000000) 2>/dev/null; then
	echo "ulimit -v is not supported here"; exit 77
fi
: "${LHGEN:?LHGEN must name the generator}"

"$LHGEN" --seed 3 --logons 40000 "$WORK/csv" > /dev/null
mkdir -p "$WORK/jsonl"
# 27 MB of JSON lines, so that the JSON loader splits them too.
awk 'BEGIN { for (i = 0; i < 120000; i++)
	printf "{\"Timestamp\":\"2024-05-01T10:%02d:%02dZ\",\"DeviceId\":\"d%d\",\"DeviceName\":\"n%d\",\"ActionType\":\"LogonFailed\",\"LogonType\":\"Network\",\"AccountDomain\":\"C\",\"AccountName\":\"u%d\",\"RemoteIP\":\"203.0.%d.%d\",\"RemoteIPType\":\"Public\"}\n", i / 60 % 60, i % 60, i % 50, i % 50, i % 300, i % 200, i % 250 }' \
	> "$WORK/jsonl/DeviceLogonEvents.jsonl"

oom=0
steps=0
finished=0
unmapped=0
hung=0
# ladder NAME ARGS...: the unlimited summary, then each ceiling.
ladder() {
	name=$1; shift
	"$LOGONHUNT" --batch --no-exclusions -f csv "$@" > "$WORK/want" 2> "$WORK/err"
	if [ -s "$WORK/want" ] && [ "$(wc -l < "$WORK/want")" -gt 1 ]; then ok; else
		fail "$name: no summary without a ceiling"; return; fi
	for mb in 200 120 90 75 60 50 45 40 35 30 25 20 15 10; do
		steps=$((steps + 1))
		# The status goes through a file: then dash does not turn the
		# subshell into timeout itself, and the "Aborted" notice lands
		# in err rather than in the test log.
		( ulimit -v $((mb * 1024)); timeout 20 "$LOGONHUNT" --batch \
		    --no-exclusions -f csv "$@"; echo $? > "$WORK/rc" ) > "$WORK/out" 2> "$WORK/err"
		rc=$(cat "$WORK/rc")
		what="$name under ${mb} MB"
		case $rc in
		0)
			finished=$((finished + 1))
			if cmp -s "$WORK/want" "$WORK/out"; then ok; else
				fail "$what: exit 0 but a different summary"; fi ;;
		124)
			hung=$((hung + 1))
			fail "$what: still running after 20 s (hung?)"; continue ;;
		*)
			if grep -q 'out of memory (allocating [0-9]* bytes); try a smaller time window or fewer input files' "$WORK/err"; then
				oom=$((oom + 1)); ok
			elif grep -q 'Cannot allocate memory\|cannot allocate memory\|error while loading shared libraries' "$WORK/err"; then
				unmapped=$((unmapped + 1)); ok
			else
				fail "$what: exit $rc without an out-of-memory message"
				sed 's/^/  | /' "$WORK/err" | head -5 >&2
			fi
			# 134 is the OOM path's abort(); any other signal is a crash.
			if [ $rc -gt 128 ] && [ $rc -ne 134 ]; then fail "$what: killed by signal $((rc - 128))"; else ok; fi
			if [ -s "$WORK/out" ]; then fail "$what: failed but printed $(wc -c < "$WORK/out") bytes of summary"; else ok; fi
			;;
		esac
		# The message, and the subshell's "Aborted" notice.
		if [ "$(wc -l < "$WORK/err")" -le 2 ]; then ok; else
			fail "$what: $(wc -l < "$WORK/err") lines on stderr"; sed 's/^/  | /' "$WORK/err" | head -5 >&2; fi
		if command -v python3 >/dev/null 2>&1; then
			if python3 "$top_srcdir/tests/e2e/termsafe.py" "$WORK/err" >&2; then ok; else
				fail "$what: stderr not safe for a terminal"; fi
		fi
	done
}

ladder "CSV, 4 threads" --threads 4 "$WORK/csv"
ladder "CSV, 1 thread" --threads 1 "$WORK/csv"
ladder "JSON lines, 4 threads" --threads 4 --logons "$WORK/jsonl/DeviceLogonEvents.jsonl"

echo "$steps ceilings tried: $finished finished with the right summary, $oom ended in the out-of-memory message, $unmapped could not map or load, $hung hung"
if [ $oom -gt 0 ]; then ok; else fail "no ceiling reached the out-of-memory path"; fi
finish
