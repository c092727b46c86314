#!/bin/sh
# Line coverage of the core by each fuzz target's corpus.
#
#   tests/fuzz/coverage.sh BUILDDIR [CORPUSROOT]
#
# BUILDDIR is made by `tests/fuzz/build.sh --coverage BUILDDIR`. Each target
# runs once over its seeds (tests/fuzz/corpus/NAME) and, if given, the
# corpus a libFuzzer run grew (CORPUSROOT/NAME); then gcov reports the
# lines run in every core source file, all targets together.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: coverage.sh BUILDDIR [CORPUSROOT]}" && pwd)
root=${2:-}
find "$build/obj" -name '*.gcda' -delete
for t in "$build"/fuzz_*; do
	name=${t##*/fuzz_}
	set -- "$top/tests/fuzz/corpus/$name"
	[ -n "$root" ] && [ -d "$root/$name" ] && set -- "$@" "$root/$name"
	FUZZ_CRASH_DIR="$build" "$t" -n 0 "$@" | sed 's/, no failure//'
done
cd "$build/obj"
printf '%-16s %8s %8s\n' file lines covered
for s in $(cd "$top" && ls src/*.c | grep -v '^src/main\.c$'); do
	b=$(basename "$s" .c)
	[ -f "$b.gcda" ] || { printf '%-16s %8s %8s\n' "$b.c" - "not run"; continue; }
	gcov -n -o . "$top/$s" 2>/dev/null | awk -v f="$b.c" '
		/^File / { want = index($0, "/" f "'"'"'") > 0 }
		want && /^Lines executed:/ { split($2, a, ":"); sub(/%/, "", a[2]);
			printf "%-16s %8s %7s%%\n", f, $4, a[2]; want = 0 }'
done
