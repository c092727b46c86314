#!/bin/sh
# Nothing silent in the console (issue 11, items 13 to 16): a missing
# named exclusions file stops it before it takes the terminal; a run
# without DeviceNetworkInfo or IdentityLogonEvents, and a --since window
# that leaves an old export empty, say so in the title line; a rule that
# can hide nothing is added with a warning.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"
DATA="$top_srcdir/data"
[ -r "$DATA/DeviceLogonEvents.csv" ] || { echo "no sample data: skipped"; exit 77; }
EXCL="$WORK/exclusions"
cp "$DATA/exclusions" "$EXCL"

# 13: the console refuses a named file that does not exist.
tui_start 160 30 --exclusions "$WORK/no-such-file" "$DATA"
st=$(tui_exit_status)
[ "$st" = 1 ] && ok || fail "missing --exclusions: exit status $st, wanted 1"
grep -qF "no such exclusions file" "$WORK/stderr" && ok || fail "no message: $(cat "$WORK/stderr")"
tui_stop

# 14 and 16: logons alone, --since counted from now on a 2025 export (a
# short relative path, so the title line has room).
cp "$DATA/DeviceLogonEvents.csv" "$WORK/cwd/L.csv"
tui_start 220 30 --exclusions "$EXCL" --logons L.csv --since 7d
tui_expect "no logon in the --since window: try --relative-to-data" "--since hint in the title line"
tui_expect "no DeviceNetworkInfo loaded: every public IP counts as unknown" "missing network table in the title line"
tui_expect "the newest in the data is 2025-03-10" "--since hint as the first message"
tui_stop
tui_start 220 30 --exclusions "$EXCL" --allow-missing network,identity --logons L.csv
tui_expect "in 2" "results"
tui_screen | grep -q "loaded:" && fail "--allow-missing still warns" || ok
tui_stop

# 15: a private range added in the exclusions screen.
tui_start 200 30 --exclusions "$EXCL" "$DATA"
tui_expect "in 212 groups" "results with all three tables"
tui_screen | grep -q "loaded:" && fail "warning with all three tables" || ok
tui_keys x
tui_expect "Category / rule" "exclusions screen"
tui_keys a
tui_expect "New rule in [maintenance]" "rule prompt"
tui_type "10.0.0.0/8"
tui_keys Enter
tui_expect "Note (why" "note prompt"
tui_keys Enter
tui_expect "Expires after" "expiry prompt"
tui_keys Enter
tui_expect "added, but warning: it hides nothing: 10.0.0.0/8 lies in ranges that are never Public" "lint warning on add"
grep -q '^ip 10.0.0.0/8' "$EXCL" && ok || fail "the rule was not saved"
tui_stop
finish
