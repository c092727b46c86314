#!/bin/sh
# A review in the console across two runs with new data between them
# (tests/data/triage, see its README): the Status and Verdict columns, the
# header's counts, J walking to the next group to review, v setting a
# verdict with a note on the row and on marked rows (the note offered
# again), the filter on a status; then a second run on the next day's
# data with the exclusion disabled: alice changed (judged, grew), the
# administrator reappeared, carol new; the verdicts in the ledger file.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"
T="$top_srcdir/tests/data/triage"
L="$WORK/ledger"
# The Nth data row under the header (narrow columns cut AccountDomain's
# name, so the header is found by its last two columns).
trow_has() {
	tui_screen | awk -v n="$1" 'found && ++i == n { print; exit }
	    /AccountName.*Status *Verdict/ { found = 1 }' | grep -qF -- "$2"
}
expect_trow() {
	if tui_until trow_has "$1" "$2"; then ok; return 0; fi
	fail "$3: row $1 lacks '$2'"; tui_dump; return 1
}

# Run 1: day 1, the administrator hidden by an exclusion.
tui_start 250 30 --ledger "$L" --exclusions "$T/exclusions1" --logons "$T/day1.csv"
tui_expect_status "row 1/3" "three groups shown"
tui_expect "triage: 3 new, 0 changed, 0 reappeared, 3 untriaged" "header counts, run 1"
expect_trow 1 "alice" "alice first (2 instances)"
tui_expect_that "the Status and Verdict columns" eval 'tui_screen | grep -q "DistinctMachines *Status *Verdict"'
expect_trow 1 " new" "alice new"
# v on the row: the verdict, then a note.
tui_keys v
tui_expect "verdict for 1 group: t true-positive" "the verdict prompt"
tui_keys f
tui_expect "note (Up: recent notes):" "the note prompt"
tui_type "vuln scan CHG-7"
tui_keys Enter
tui_expect "false-positive for 1 group, saved in the ledger" "verdict set"
expect_trow 1 "false-positive" "alice's verdict shown"
expect_trow 1 " seen " "alice judged: seen"
# Judged, it is no longer new: seen against its verdict.
tui_expect "triage: 2 new, 0 changed, 0 reappeared, 2 untriaged" "header counts after one verdict"
# Marked rows: Alice and bob at once, the last note offered again.
tui_keys Down Space Space
tui_expect_status "marked 2" "two rows marked"
tui_keys v
tui_expect "verdict for 2 groups" "the verdict prompt for the marked rows"
tui_keys b
tui_expect "note (Up: recent notes):" "the note prompt, empty"
tui_keys Up
tui_expect "note (Up: recent notes): vuln scan CHG-7" "Up offers the last note"
tui_keys Down
tui_expect_that "Down comes back to what was typed" eval \
    'tui_message | grep -q "recent notes): *$"'
tui_type "lab accounts"
tui_keys Enter
tui_expect "benign-positive for 2 groups, saved in the ledger" "verdict on marked rows"
tui_expect "triage: 0 new, 0 changed, 0 reappeared, 0 untriaged" "no group left to review"
tui_keys J
tui_expect "nothing left to review" "J with nothing to review"
tui_keys q
tui_expect_that "the console quits" eval '[ "$(tui_exit_status)" = 0 ]'
tmx kill-server 2>/dev/null
if grep -q "$(printf '\tfalse-positive\tby=[^\t]*\tinstances=2\tmachines=1\t.*\tnote=vuln scan CHG-7$')" "$L"; then ok; else
	fail "alice's verdict is not in the ledger"; cat "$L" >&2; fi
[ "$(grep -c "$(printf '\tbenign-positive\t.*\tnote=lab accounts$')" "$L")" -eq 2 ] && ok || fail "the two benign-positive verdicts are not in the ledger"
grep -q "$(printf '\thidden=maintenance ip 192.0.2.99$')" "$L" && ok || fail "the hidden group is not recorded"

# Run 2: day 2, the rule disabled.
tui_start 250 30 --ledger "$L" --exclusions "$T/exclusions2" --logons "$T/day2.csv"
tui_expect_status "row 1/5" "five groups shown"
tui_expect "triage: 1 new, 1 changed, 1 reappeared, 2 untriaged" "header counts, run 2"
expect_trow 1 "changed" "alice changed"
expect_trow 1 "false-positive" "alice keeps her verdict"
expect_trow 2 "reappeared" "the administrator reappeared"
expect_trow 5 "carol" "carol last"
expect_trow 5 " new" "carol new"
# J walks the groups to review, wrapping: administrator, carol, alice.
tui_keys J
tui_expect "reappeared, untriaged" "J to the administrator"
tui_expect_status "row 2/5" "J moved to row 2"
tui_keys J
tui_expect_status "row 5/5" "J to carol"
tui_keys J
tui_expect_status "row 1/5" "J wraps to alice (changed)"
tui_expect "changed, false-positive" "J says why"
# Judged again: alice is seen.
tui_keys v f Enter
tui_expect "false-positive for 1 group" "alice judged again"
tui_expect "triage: 1 new, 0 changed, 1 reappeared, 2 untriaged" "alice no longer changed"
# The filter finds a status.
tui_keys '|'
tui_type "reappeared"
tui_keys Enter
tui_expect_status "/1 (of 5)" "filter on a status"
tui_keys Escape
tui_keys q
tui_expect_that "the console quits" eval '[ "$(tui_exit_status)" = 0 ]'
finish
