#!/bin/sh
# Peak memory of a batch hunt over a large export: 200,000 logons (a
# 157 MB lhgen export, about 40,000 Public logons) on one and two threads
# peak under 32 MiB resident (15 and 24 MiB measured), where the parsed
# pages stayed mapped 32 MiB per thread and the merged chunks stayed in
# the threads' arenas (40 and 63 MiB before). The peak is read by
# Python's resource module (ru_maxrss of the child), not by the program
# itself; the summary is the same on both thread counts.
. "$(dirname "$0")/lib.sh"
XDG_CONFIG_HOME="$WORK/config"
export XDG_CONFIG_HOME
: "${LHGEN:?LHGEN must name the generator}"
if ! command -v python3 >/dev/null 2>&1; then
	[ -n "${CI:-}" ] && { echo "FAIL: python3 missing under CI" >&2; exit 1; }
	echo "python3 not found"; exit 77
fi
if grep -q __asan_init "$LOGONHUNT" 2>/dev/null; then
	echo "ASan build: its shadow memory is no measure"; exit 77
fi

"$LHGEN" --seed 1 --logons 200000 "$WORK/d" > /dev/null

# peak_kib ARGS...: runs logonhunt, its summary in $WORK/out.N, and prints
# its peak resident set in KiB.
peak_kib() {
	python3 - "$LOGONHUNT" "$@" <<'PY'
import resource, subprocess, sys
with open(sys.argv[-1], "wb") as out:
    rc = subprocess.run(sys.argv[1:-1], stdout=out).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if rc == 0 else -1)
PY
}

for t in 1 2; do
	kib=$(peak_kib --batch --no-exclusions --no-record -f csv --threads $t "$WORK/d" "$WORK/out.$t")
	if [ "$kib" -gt 0 ] 2>/dev/null; then ok; else fail "$t thread(s): the hunt failed"; continue; fi
	echo "$t thread(s): peak $kib KiB"
	if [ "$kib" -lt $((32 * 1024)) ]; then ok; else
		fail "$t thread(s): peak resident $kib KiB, over 32 MiB"; fi
done
expect_same "$WORK/out.1" "$WORK/out.2" "the summary on two threads"
if [ "$(wc -l < "$WORK/out.1")" -gt 1000 ]; then ok; else fail "only $(wc -l < "$WORK/out.1") lines of summary"; fi
finish
