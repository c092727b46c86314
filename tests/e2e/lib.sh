# Shared helpers for the end-to-end tests (sourced).
set -u
: "${LOGONHUNT:?LOGONHUNT must name the logonhunt binary}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
REALDATA="${LOGONHUNT_REALDATA:-$top_srcdir/../shared/realdata}"
failures=0
checks=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lhtest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

ok() { checks=$((checks + 1)); }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*" >&2; }

# expect_status WANT CMD...: runs CMD, stores stdout/stderr in $WORK/out, $WORK/err
expect_status() {
	want=$1; shift
	"$@" > "$WORK/out" 2> "$WORK/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		fail "exit status $got, wanted $want: $*"; sed 's/^/  stderr: /' "$WORK/err" >&2; fi
}
# expect_file_eq EXPECTED ACTUAL WHAT
expect_same() {
	if cmp -s "$1" "$2"; then ok; else
		fail "$3: output differs from $1"; diff "$1" "$2" | head -20 >&2; fi
}
expect_grep() {
	if grep -qF -- "$1" "$2"; then ok; else
		fail "'$1' not found in $2"; sed 's/^/  | /' "$2" | head -20 >&2; fi
}
finish() {
	echo "$checks checks, $failures failed"
	[ "$failures" -eq 0 ]
	exit $?
}
