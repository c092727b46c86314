#!/bin/sh
# The command line against a restored session: a view option given on
# the command line (--sort) wins over the session's, the rest of the
# session (here a mark) is still restored, and without the option the
# session's sort comes back. Expected orders come from --batch --sort
# runs on the same data.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"

DATA=$(tui_sample)
# first_row SORT: "AccountName LogonType RemoteIP" of the batch's first
# row.
first_row() {
	"$LOGONHUNT" --batch -f csv --no-exclusions --no-ledger --sort "$1" "$DATA" |
	    python3 -c 'import csv, sys; r = next(csv.DictReader(sys.stdin)); print(r["AccountName"], r["LogonType"], r["RemoteIP"])'
}
row1_is() {
	tui_row 1 | tr -s ' ' | grep -qF " $1 $2 $3 "
}
groups=$(($("$LOGONHUNT" --batch -f csv --no-exclusions --no-ledger "$DATA" | wc -l) - 1))

# Run 1: sorted by AccountName, the first row marked; the quit keeps it.
tui_start 200 30 --no-ledger --no-exclusions "$DATA"
tui_expect_status "row 1/$groups" "run 1"
tui_keys 2
tui_expect "sort AccountName▲, Instances▼" "run 1: sorted by AccountName"
tui_keys Space
tui_expect_status "marked 1" "run 1: a mark"
tui_keys q
tui_exit_status >/dev/null
tui_stop

# Run 2: --sort LogonType wins over the session's sort; the mark is back.
set -- $(first_row LogonType)
tui_start 200 30 --no-ledger --no-exclusions --sort LogonType "$DATA"
tui_expect "session restored: marks, filter and cursor; sort from the command line" \
    "run 2: the message says the command line's sort won"
tui_expect_that "run 2: sorted by LogonType, not the session's AccountName" eval \
    'tui_screen | sed -n 3p | grep -q "^sort LogonType▲ "'
tui_expect_status "marked 1" "run 2: the session's mark restored"
# (The cursor is restored too, on its group wherever it now is: Home
# shows the top.)
tui_keys Home
tui_expect_status "row 1/$groups" "run 2: Home"
tui_expect_that "run 2: the first row is the batch's with --sort LogonType ($*)" \
    row1_is "$@"
# Another sort before quitting: the session keeps it.
tui_keys 4
tui_expect "sort RemoteIP▲, LogonType▲" "run 2: sorted by RemoteIP"
tui_keys q
tui_exit_status >/dev/null
tui_stop

# Run 3: without --sort the session's sort is restored.
tui_start 200 30 --no-ledger --no-exclusions "$DATA"
tui_expect "session restored: marks, sort, filter and cursor" "run 3: restored"
tui_expect "sort RemoteIP▲, LogonType▲" "run 3: the session's sort"
set -- $(first_row RemoteIP)
tui_keys Home
tui_expect_status "row 1/$groups" "run 3: Home"
tui_expect_that "run 3: the first row is the batch's with --sort RemoteIP ($*)" \
    row1_is "$@"
tui_keys q
tui_exit_status >/dev/null
tui_stop

# --sort with --fresh: the command line's sort, nothing restored.
tui_start 200 30 --no-ledger --no-exclusions --fresh --sort EarliestEvent "$DATA"
tui_expect_status "row 1/$groups" "run 4 --fresh"
tui_expect_that "run 4: sorted by EarliestEvent" eval \
    'tui_screen | sed -n 3p | grep -q "^sort EarliestEvent▼ "'
tui_screen | grep -q "marked" && fail "run 4: a mark restored despite --fresh" || ok
tui_keys q
tui_exit_status >/dev/null
tui_stop
finish
