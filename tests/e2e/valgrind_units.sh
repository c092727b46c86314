#!/bin/sh
# The unit test programs under valgrind (CK_FORK=no, so the tests run in
# the process valgrind watches): any memory error, or a definite or
# indirect leak, fails. Then the fuzz targets built with the standalone
# driver run their seed corpora and a few mutations under valgrind too:
# valgrind sees inside the system libraries (libcsv, cJSON, libcidr, zlib)
# that ASan cannot instrument. Sanitizer builds are skipped (valgrind and
# ASan cannot share a process).
#
# Needs top_builddir (as make check sets it); VALGRIND_FUZZ_RUNS (default
# 200) mutations per fuzz target.
set -u
: "${top_builddir:?top_builddir must name the build directory}"
failures=0
ran=0
if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind is not installed"; exit 77
fi
CK_FORK=no
export CK_FORK
VG="valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"
log=$(mktemp "${TMPDIR:-/tmp}/lhvg.XXXXXX")
trap 'rm -f "$log"' EXIT

run() {
	what=$1; shift
	if grep -q __asan_init "$1" 2>/dev/null; then
		echo "skip $what: a sanitizer build"
		return
	fi
	ran=$((ran + 1))
	$VG "$@" > "$log" 2>&1
	case $? in
	0) echo "ok   $what" ;;
	# A program whose real-data part is absent ends with automake's skip.
	77) echo "ok   $what (a part skipped: $(grep -m1 SKIP "$log"))" ;;
	*)
		failures=$((failures + 1))
		echo "FAIL $what"
		sed 's/^/  | /' "$log" | tail -n 40
		;;
	esac
}

for t in "$top_builddir"/tests/unit/check_*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	case "$t" in *.o|*.log|*.trs) continue ;; esac
	run "$(basename "$t")" "$t"
done
for t in "$top_builddir"/tests/fuzz/fuzz_*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	case "$t" in *.o|*.log|*.trs) continue ;; esac
	run "$(basename "$t") (seeds and ${VALGRIND_FUZZ_RUNS:-200} mutations)" \
	    "$t" -n "${VALGRIND_FUZZ_RUNS:-200}"
done
if [ $ran -eq 0 ]; then
	echo "no unit test or fuzz program to run under valgrind"; exit 77
fi
echo "$ran programs under valgrind, $failures failed"
[ $failures -eq 0 ]
