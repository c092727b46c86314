#!/bin/sh
# Crash safety of what logonhunt writes: SIGKILL at random moments while
# it saves a large exclusions file (`exclusions add` and `import`) and
# while it writes a summary with `--batch -o FILE`. After every kill the
# file must be the old version or the new one, byte for byte: never a mix,
# never truncated or empty; the exclusions backup (FILE~) must be its old
# self or the previous version of FILE.
#
# Writing a megabyte takes a millisecond, too short a window for random
# kills to hit often; with strace at hand, every write, fsync and rename
# is delayed 10 ms, so that many kills land while the files are written
# (a writer that truncates the file in place fails within a few dozen kills).
# CRASH_KILLS (default 80) kills per scenario; the three scenarios take
# about half a minute together. Leftover temporary files (a kill between
# mkstemp and rename leaves one) are counted and kept; after each scenario
# one uninterrupted run must remove them all and write the new version.
. "$(dirname "$0")/lib.sh"
XDG_CONFIG_HOME="$WORK/config"
export XDG_CONFIG_HOME
KILLS=${CRASH_KILLS:-80}
TAGS="$REALDATA/jensihnow__AzurePublicIPAddressRanges/ServiceTags_Public.json"

now_ns() { date +%s%N; }

# Runs CMD... in a process group of its own, so that a kill of the group
# also takes strace's tracee.
if command -v strace >/dev/null 2>&1 && command -v setsid >/dev/null 2>&1 &&
    strace -qq -o /dev/null -e trace=write -e inject=write:delay_enter=1 true 2>/dev/null; then
	slow="strace -f -qq -o /dev/null -e trace=write,fsync,fdatasync,rename,renameat,renameat2 -e inject=write,fsync,fdatasync,rename,renameat,renameat2:delay_enter=10000"
	echo "writes slowed down by strace"
else
	slow=
fi

# The run time in seconds of CMD..., the fastest of three.
duration() {
	best=
	for i in 1 2 3; do
		setup
		t0=$(now_ns)
		setsid $slow "$@" > /dev/null 2>&1
		t=$(( $(now_ns) - t0 ))
		if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
	done
	echo "$best" | awk '{ printf "%.4f", $1 / 1e9 }'
}

# KILLS delays: half spread over the whole run, half near its end, where
# the writing happens; a fixed seed per scenario.
delays() {
	awk -v n="$KILLS" -v d="$1" -v seed="$2" 'BEGIN {
		srand(seed)
		for (i = 0; i < n; i++)
			printf "%.4f\n", (i % 2) ? d * (0.6 + 0.6 * rand()) : d * 1.2 * rand()
	}'
}

killed=0
finished=0
leftovers=0
removed=0

# torture NAME CMD...: runs CMD KILLS times, each time from setup, killing
# it after the next delay; then verify NAME checks the files.
torture() {
	name=$1; shift
	d=$(duration "$@")
	echo "$name: one run takes ${d}s; $KILLS kills"
	seed=$(printf '%s' "$name" | cksum | cut -d' ' -f1)
	for delay in $(delays "$d" "$seed"); do
		setup
		# Not through a function: $! must be setsid's own pid, which
		# names the new process group.
		setsid $slow "$@" > /dev/null 2>&1 &
		pid=$!
		sleep "$delay"
		kill -KILL "-$pid" 2>/dev/null
		# The shell's "Killed" notice is noise here.
		{ wait "$pid"; } 2>/dev/null
		if [ $? -eq 137 ]; then killed=$((killed + 1)); else finished=$((finished + 1)); fi
		# Nothing of the group may outlive the kill and write later
		# (strace's tracee is reaped by init: zombies do not count).
		while ps -e -o pgid= -o stat= | awk -v g="$pid" '$1 == g && $2 !~ /^Z/ { f = 1 } END { exit !f }'; do
			sleep 0.01
		done
		verify "$name after a kill at ${delay}s"
		n=$(find "$WORK/run" -name '*.tmp.*' | wc -l)
		leftovers=$((leftovers + n))
		find "$WORK/run" -name '*.tmp.*' -exec mv {} "$WORK/left/" \;
	done
	# The next uninterrupted write removes what the killed ones left
	# (their processes are gone): put them all back, run once.
	setup
	held=$(find "$WORK/left" -name '*.tmp.*' | wc -l)
	find "$WORK/left" -name '*.tmp.*' -exec mv {} "$WORK/run/" \;
	"$@" > /dev/null 2>&1
	n=$(find "$WORK/run" -name '*.tmp.*' | wc -l)
	if [ "$n" -eq 0 ]; then ok; else
		fail "$name: $n of $held temporary files left by kills remain after a full run"
		find "$WORK/run" -name '*.tmp.*' >&2
	fi
	removed=$((removed + held - n))
	verify "$name after the run that cleans up"
}

# one_of FILE WHAT A B: FILE is byte for byte A or B (B may be "-": absent).
one_of() {
	if [ "$4" = - ] && [ ! -e "$1" ]; then ok; return; fi
	if [ -e "$1" ] && { cmp -s "$1" "$3" || { [ "$4" != - ] && cmp -s "$1" "$4"; }; }; then ok; else
		fail "$2: $(basename "$1") is neither version ($(wc -c < "$1" 2>/dev/null || echo missing) bytes)"
	fi
}

mkdir -p "$WORK/run" "$WORK/v" "$WORK/left"

# ------------------------------------------------ exclusions: add, import
if [ -f "$TAGS" ]; then
	src="$TAGS"
	import_args="--tag AzureMonitor --tag LogicApps"
	big_args="--tag AzureCloud"
else
	# Without the real file: plain lists of /24s and addresses.
	seq 0 19999 | awk '{ printf "10.%d.%d.0/24\n", int($1 / 256), $1 % 256 }' > "$WORK/v/big.txt"
	seq 0 4999 | awk '{ printf "172.16.%d.%d\n", int($1 / 250), $1 % 250 + 1 }' > "$WORK/v/more.txt"
	src=
	import_args=
	big_args=
fi
# The versions each scenario expects are made by uninterrupted runs, which
# must succeed and change the file.
if [ -n "$src" ]; then
	expect_status 0 "$LOGONHUNT" exclusions --exclusions "$WORK/v/old" import defender "$src" $big_args
else
	expect_status 0 "$LOGONHUNT" exclusions --exclusions "$WORK/v/old" import defender "$WORK/v/big.txt"
fi
rules=$(grep -c '^ip ' "$WORK/v/old")
echo "exclusions file: $rules rules, $(wc -c < "$WORK/v/old") bytes"
if [ "$rules" -ge 10000 ]; then ok; else fail "the big exclusions file has only $rules rules"; fi
printf 'previous version\n' > "$WORK/v/oldbackup"

setup() {
	rm -f "$WORK/run/"*
	cp "$WORK/v/old" "$WORK/run/exclusions"
	cp "$WORK/v/oldbackup" "$WORK/run/exclusions~"
}
verify() {
	one_of "$WORK/run/exclusions" "$1" "$WORK/v/old" "$WORK/v/new"
	one_of "$WORK/run/exclusions~" "$1 (backup)" "$WORK/v/oldbackup" "$WORK/v/old"
}

# add: the new version, made once without interruption: the old file with
# the rule in [siem], the old file as the backup.
setup
expect_status 0 "$LOGONHUNT" exclusions --exclusions "$WORK/run/exclusions" add siem 192.0.2.1 --note crash-test
cp "$WORK/run/exclusions" "$WORK/v/new"
if cmp -s "$WORK/v/old" "$WORK/v/new"; then fail "add changed nothing"; else ok; fi
awk '/^\[/ { cat = $0 } $0 == "ip 192.0.2.1  # crash-test" && cat == "[siem]" { f = 1 } END { exit !f }' "$WORK/v/new" &&
    ok || fail "add: no 'ip 192.0.2.1  # crash-test' in [siem]"
[ "$(grep -c '^ip ' "$WORK/v/new")" -eq $((rules + 1)) ] && ok || fail "add: not one rule more than the $rules of the old file"
expect_same "$WORK/v/old" "$WORK/run/exclusions~" "add: the backup is the old file"
torture "exclusions add" "$LOGONHUNT" exclusions --exclusions "$WORK/run/exclusions" add siem 192.0.2.1 --note crash-test

setup
if [ -n "$src" ]; then
	expect_status 0 "$LOGONHUNT" exclusions --exclusions "$WORK/run/exclusions" import backup "$src" $import_args
	cp "$WORK/run/exclusions" "$WORK/v/new"
	torture "exclusions import" "$LOGONHUNT" exclusions --exclusions "$WORK/run/exclusions" import backup "$src" $import_args
else
	expect_status 0 "$LOGONHUNT" exclusions --exclusions "$WORK/run/exclusions" import backup "$WORK/v/more.txt"
	cp "$WORK/run/exclusions" "$WORK/v/new"
	torture "exclusions import" "$LOGONHUNT" exclusions --exclusions "$WORK/run/exclusions" import backup "$WORK/v/more.txt"
fi
if cmp -s "$WORK/v/old" "$WORK/v/new"; then fail "import changed nothing"; else ok; fi

# ------------------------------------------------ --batch -o FILE
if [ -n "${LHGEN:-}" ] && [ -x "$LHGEN" ]; then
	"$LHGEN" --seed 11 --logons 60000 "$WORK/data" > /dev/null
else
	mkdir -p "$WORK/data"
	cp "$top_srcdir"/data/*.csv "$WORK/data/"
fi
expect_status 0 "$LOGONHUNT" --batch --no-exclusions -f json -o "$WORK/v/summary-new" "$WORK/data"
expect_status 0 "$LOGONHUNT" --batch --no-exclusions -f csv -s RemoteIP -o "$WORK/v/summary-old" "$WORK/data"
echo "summary: $(wc -c < "$WORK/v/summary-new") bytes"
if [ -s "$WORK/v/summary-new" ] && ! cmp -s "$WORK/v/summary-new" "$WORK/v/summary-old"; then ok; else
	fail "the two summaries should exist and differ"; fi
setup() {
	rm -f "$WORK/run/"*
	cp "$WORK/v/summary-old" "$WORK/run/summary"
}
verify() {
	one_of "$WORK/run/summary" "$1" "$WORK/v/summary-old" "$WORK/v/summary-new"
}
torture "--batch -o" "$LOGONHUNT" --batch --no-exclusions -f json -o "$WORK/run/summary" "$WORK/data"

echo "$killed runs killed, $finished finished before the kill, $leftovers temporary files left by kills, $removed removed by the next full run"
# Most kills must land while it runs, or the test proves little.
if [ "$killed" -ge "$KILLS" ]; then ok; else fail "only $killed of $((KILLS * 3)) runs were killed while running"; fi
finish
