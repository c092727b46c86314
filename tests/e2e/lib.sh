# Shared helpers for the end-to-end tests (sourced).
set -u
: "${LOGONHUNT:?LOGONHUNT must name the logonhunt binary}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
REALDATA="${LOGONHUNT_REALDATA:-$top_srcdir/../shared/realdata}"
failures=0
checks=0
skips=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lhtest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# Batch runs record what they saw in the triage ledger: never the user's.
XDG_DATA_HOME="$WORK/xdg-data"
export XDG_DATA_HOME

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
# skip_part WHAT: a part of the test could not run (WHAT says which and
# why). The test goes on; finish then exits 77 (automake's SKIP) unless a
# check failed, which wins.
skip_part() {
	skips=$((skips + 1))
	echo "SKIP: $*"
}
# need_realdata WHAT FILE...: 0 when every FILE (of the real data under
# $REALDATA) is readable. Otherwise the part WHAT is skipped, or fails when
# LOGONHUNT_REQUIRE_REALDATA is set (CI sets it: there the data is beside
# the clone, and a part that silently stops running is a failure).
need_realdata() {
	_nw=$1; shift
	for _nf in "$@"; do
		[ -r "$_nf" ] && continue
		if [ -n "${LOGONHUNT_REQUIRE_REALDATA:-}" ] && [ "$LOGONHUNT_REQUIRE_REALDATA" != 0 ]; then
			fail "$_nw: $_nf not found, and LOGONHUNT_REQUIRE_REALDATA is set"
		else
			skip_part "$_nw: $_nf not found (set LOGONHUNT_REALDATA to the real data's directory)"
		fi
		return 1
	done
	return 0
}
# need_mmdb_writer: 0 if Perl's MaxMind::DB::Writer::Tree (Debian:
# libmaxmind-db-writer-perl), which writes the test databases, is there.
# Otherwise the test is skipped (exit 77), or fails when CI is set: CI
# installs it, so its absence there is a broken setup.
need_mmdb_writer() {
	perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null && return 0
	if [ -n "${CI:-}" ]; then
		fail "MaxMind::DB::Writer::Tree is missing (Debian: libmaxmind-db-writer-perl), and CI is set"
		finish
	fi
	echo "SKIP: MaxMind::DB::Writer::Tree is missing (Debian: libmaxmind-db-writer-perl)"
	exit 77
}
# finish: the counts; exit 1 if a check failed, else 77 if a part was
# skipped, else 0.
finish() {
	echo "$checks checks, $failures failed, $skips parts skipped"
	[ "$failures" -eq 0 ] || exit 1
	[ "$skips" -eq 0 ] || exit 77
	exit 0
}
# distinct_groups DIR N: an export in DIR of N Public logons that form N
# groups (addresses 11.0.0.1 upwards), with empty join tables: no address
# is known.
distinct_groups() {
	mkdir -p "$1"
	awk -v n="$2" 'BEGIN {
		print "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType"
		for (i = 0; i < n; i++)
			printf "2025-03-%02dT%02d:%02d:00Z,dev%d,ws-%d,LogonFailed,Network,CONTOSO,user%d,11.%d.%d.%d,Public\n", \
			    1 + i % 28, i % 24, i % 60, i % 50, i % 50, i % 997, int(i / 65536), int(i / 256) % 256, i % 256 + 1
	}' >"$1/DeviceLogonEvents.csv"
	echo "DeviceId,IPAddresses" >"$1/DeviceNetworkInfo.csv"
	echo "IPAddress,ISP" >"$1/IdentityLogonEvents.csv"
}
