#!/bin/bash
# The long fuzz run: every target for RUNS executions with libFuzzer (ASan
# and UBSan), two at a time (one per core), at low priority.
#
#   tests/fuzz/run-libfuzzer.sh BUILDDIR OUTDIR [RUNS [TARGET...]]
#
# BUILDDIR holds the targets built by tests/fuzz/build.sh. Each target
# starts from its seed corpus (tests/fuzz/corpus/NAME) and grows its own
# in OUTDIR/corpus/NAME; logs go to OUTDIR/logs, crashes to
# OUTDIR/crashes/NAME. RUNS defaults to 10000000; MAX_SECONDS (default
# 7200) caps each target's time, JOBS (default 2) the parallel runs and
# MAX_LEN (default 4096) the input size.
# Ends with a table of executions, speed, coverage and crashes per target;
# SUMMARY_ONLY=1 prints that table for runs already done in OUTDIR.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: run-libfuzzer.sh BUILDDIR OUTDIR [RUNS [TARGET...]]}" && pwd)
mkdir -p "${2:?usage: run-libfuzzer.sh BUILDDIR OUTDIR [RUNS [TARGET...]]}"
out=$(cd "$2" && pwd)
runs=${3:-10000000}
[ $# -gt 3 ] && shift 3 || set --
targets=${*:-"csvload json excl rule csvdiff expand ts"}
max=${MAX_SECONDS:-7200}
jobs=${JOBS:-2}

run_target() {
	t=$1
	mkdir -p "$out/corpus/$t" "$out/crashes/$t" "$out/logs"
	log="$out/logs/$t.log"
	start=$(date +%s)
	# -runs stops at exactly RUNS executions; a crash stops it earlier.
	nice -n 19 "$build/fuzz_$t" -runs="$runs" -max_total_time="$max" \
		-timeout=20 -rss_limit_mb=4096 -max_len="${MAX_LEN:-4096}" -print_final_stats=1 \
		-artifact_prefix="$out/crashes/$t/" \
		"$out/corpus/$t" "$top/tests/fuzz/corpus/$t" > "$log" 2>&1
	echo "exit $? seconds $(( $(date +%s) - start ))" >> "$log"
}

# Two at a time, slowest first.
running=0
[ "${SUMMARY_ONLY:-0}" = 1 ] && targets_to_run= || targets_to_run=$targets
for t in $targets_to_run; do
	run_target "$t" &
	running=$((running + 1))
	if [ $running -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

printf '%-8s %12s %8s %7s %7s %8s %8s %s\n' target executions exec/s cov ft corpus seconds crashes
for t in $targets; do
	log="$out/logs/$t.log"
	ex=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p')
	secs=$(sed -n 's/^exit [0-9]* seconds //p' "$log")
	crashes=$(find "$out/crashes/$t" -type f | wc -l)
	printf '%-8s %12s %8s %7s %7s %8s %8s %s\n' "$t" "${ex:-?}" "${rate:-?}" \
		"${cov:-?}" "${ft:-?}" "${corp:-?}" "${secs:-?}" "$crashes"
done
