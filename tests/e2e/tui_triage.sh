#!/bin/sh
# A review in the console across runs with new data between them
# (tests/data/triage, see its README), the inputs at the same paths each
# day as a daily export would be:
# run 1 (day 1): the Status and Verdict columns, the header's counts, J to
#   the next group to review, v with a note on the row and on marked rows,
#   Up in the note prompt for a recent note, U to undo; quit with marks.
# run 2 (day 2, the exclusion disabled): the marks and cursor come back by
#   group key; alice changed (judged, grew), the administrator reappeared,
#   carol new; J walks them; a verdict again; a sort, filter and search.
# run 3: those come back; H shows a group's history (results and events).
# run 4 --fresh starts afresh; run 5 a damaged session file is said, not
#   fatal, and kept as the backup of the next save.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"
T="$top_srcdir/tests/data/triage"
L="$WORK/ledger"
IN="$WORK/DeviceLogonEvents.csv"
X="$WORK/exclusions"
SD="$WORK/xdg-state/logonhunt/sessions"
# The Nth data row under the header (narrow columns cut AccountDomain's
# name, so the header is found by its last columns).
trow_has() {
	tui_screen | awk -v n="$1" 'found && ++i == n { print; exit }
	    /AccountName.*Verdict/ { found = 1 }' | grep -qF -- "$2"
}
expect_trow() {
	if tui_until trow_has "$1" "$2"; then ok; return 0; fi
	fail "$3: row $1 lacks '$2'"; tui_dump; return 1
}
quit_ok() {
	tui_keys q
	tui_expect_that "$1: the console quits at once" eval '[ "$(tui_exit_status)" = 0 ]'
	tui_stop
}

# Run 1: day 1, the administrator hidden by an exclusion.
cp "$T/day1.csv" "$IN"
cp "$T/exclusions1" "$X"
tui_start 250 30 --ledger "$L" --exclusions "$X" --logons "$IN"
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
tui_expect "triage: 2 new, 0 changed, 0 reappeared, 2 untriaged" "header counts after one verdict"
# Marked rows: Alice and bob at once; Up offers the last note, Down goes
# back to what was typed.
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
# U takes the two verdicts back (new and untriaged again), U again the
# one before; then they are set once more, the notes found with Up.
tui_keys U
tui_expect "undone: benign-positive for 2 groups, saved in the ledger" "U undoes the last action"
tui_expect "triage: 2 new, 0 changed, 0 reappeared, 2 untriaged" "the two groups new again"
expect_trow 3 " new" "bob new again"
tui_keys U
tui_expect "undone: false-positive for 1 group" "U again undoes the one before"
tui_expect "triage: 3 new, 0 changed, 0 reappeared, 3 untriaged" "all three new again"
tui_keys v b Up
tui_expect "note (Up: recent notes): lab accounts" "Up: the newest note first"
tui_keys Enter
tui_expect "benign-positive for 2 groups" "Alice and bob judged again"
tui_keys u Home v f Up Up
tui_expect "note (Up: recent notes): vuln scan CHG-7" "Up Up reaches the older note"
tui_keys Enter
tui_expect "false-positive for 1 group" "alice judged again"
tui_expect "triage: 0 new, 0 changed, 0 reappeared, 0 untriaged" "nothing left to review again"
tui_keys Down Space Space
# Quit with Alice and bob marked and the cursor on bob (row 3).
tui_expect_status "row 3/3  marked 2" "the cursor on bob, two marks"
quit_ok "run 1"
# The ledger holds the verdicts in force and the whole history.
if grep -q "$(printf '\tfalse-positive\tby=[^\t]*\tinstances=2\tmachines=1\t.*\tnote=vuln scan CHG-7$')" "$L"; then ok; else
	fail "alice's verdict is not in the ledger"; cat "$L" >&2; fi
[ "$(grep -c "$(printf '\tbenign-positive\t.*\tnote=lab accounts$')" "$L")" -eq 4 ] && ok || fail "the benign-positive verdicts are not in the ledger"
[ "$(grep -c "$(printf '^verdict\t.*\tcleared\t')" "$L")" -eq 3 ] && ok || fail "the undos are not in the ledger's history"
grep -q "$(printf '\thidden=maintenance ip 192.0.2.99$')" "$L" && ok || fail "the hidden group is not recorded"
[ "$(ls "$SD" | grep -vc '\.lock$')" -eq 1 ] && ok || fail "one session file for the inputs"

# Run 2: day 2 at the same paths, the rule disabled.
cp "$T/day2.csv" "$IN"
cp "$T/exclusions2" "$X"
tui_start 250 30 --ledger "$L" --exclusions "$X" --logons "$IN"
tui_expect "triage: 1 new, 1 changed, 1 reappeared, 2 untriaged" "header counts, run 2"
tui_expect "session restored" "the session is restored on the same inputs"
# Sorted by Instances, ties by key bytes: alice (3), administrator (no
# domain), Alice, bob, carol. The cursor is on bob again, by its key.
tui_expect_status "row 4/5  marked 2" "the cursor on bob, the marks kept"
expect_trow 1 "changed" "alice changed"
expect_trow 1 "false-positive" "alice keeps her verdict"
expect_trow 2 "reappeared" "the administrator reappeared"
expect_trow 3 "*CONTOSO" "Alice still marked"
expect_trow 4 "*CONTOSO" "bob still marked"
expect_trow 5 "carol" "carol last"
expect_trow 5 " new" "carol new"
# J walks the groups to review after the cursor, wrapping: carol, alice,
# the administrator.
tui_keys J
tui_expect_status "row 5/5" "J to carol"
tui_expect "new, untriaged" "J says why"
tui_keys J
tui_expect_status "row 1/5" "J wraps to alice (changed)"
tui_expect "changed, false-positive" "J says why"
tui_keys J
tui_expect "reappeared, untriaged" "J to the administrator"
tui_expect_status "row 2/5" "J moved to row 2"
# Judged again: alice is seen (the marks first cleared, so v is hers).
tui_keys u Home v f Enter
tui_expect "false-positive for 1 group" "alice judged again"
tui_expect "triage: 1 new, 0 changed, 1 reappeared, 2 untriaged" "alice no longer changed"
# The filter finds a status.
tui_keys '|'
tui_type "reappeared"
tui_keys Enter
tui_expect_status "/1 (of 5)" "filter on a status"
tui_keys Escape
# Sort by Status (the s menu), a filter, a search, a mark; quit.
tui_keys s
tui_expect "Sort by" "the sort menu"
tui_keys End Up Enter
tui_expect "sort Status▲" "sorted by Status"
expect_trow 1 "carol" "new first"
expect_trow 2 "administrator" "then reappeared"
tui_keys '|'
tui_type "CONTOSO"
tui_keys Enter
tui_keys /
tui_type "bob"
tui_keys Enter
tui_keys Space
tui_expect_status "row 3/3 (of 5)  marked 1  filter: CONTOSO  search: bob" "bob found and marked"
quit_ok "run 2"

# Run 3: the same inputs, not recorded: the view comes back.
tui_start 250 30 --ledger "$L" --exclusions "$X" --logons "$IN" --no-record
tui_expect "session restored" "restored again"
tui_expect "sort Status▲, Instances▼" "the sort keys restored"
tui_expect_status "row 3/3 (of 5)  marked 1  filter: CONTOSO  search: bob" "cursor, mark, filter, search restored"
expect_trow 3 "*CONTOSO" "bob marked"
tui_keys n
tui_expect_status "row 3/3" "n searches for bob again"
# The marked row exported: bob's row of the day-2 summary (run3.csv) with
# his status, verdict and note now.
tui_keys E c C-u
tui_type "$WORK/rows.csv"
tui_keys Enter
tui_expect "wrote 1 summary row" "the marked row exported"
{ head -n 1 "$T/run3.csv"; grep '^CONTOSO,bob,' "$T/run3.csv" |
    sed 's/,seen,,$/,seen,benign-positive,lab accounts/'; } >"$WORK/rows.want"
expect_same "$WORK/rows.want" "$WORK/rows.csv" "the export carries Status, Verdict and Note"
# H: alice's history, newest first.
tui_keys Home H
tui_expect "Verdicts and notes of the group" "H opens the history"
tui_expect "AccountName alice" "the history names the group"
tui_expect_that "three false-positive verdicts, one clear" eval \
    '[ "$(tui_screen | grep -c "false-positive  by ")" -eq 3 ] && [ "$(tui_screen | grep -c "cleared  by ")" -eq 1 ]'
tui_expect "note: vuln scan CHG-7" "the note shown"
tui_keys q Enter
tui_expect "Timestamp" "alice's events"
tui_keys H
tui_expect "AccountName alice" "H from the events screen"
tui_keys q
# Her three events exported, each with her status, verdict and (empty)
# note last.
tui_keys E c C-u
tui_type "$WORK/events.csv"
tui_keys Enter
tui_expect "wrote 3 events" "alice's events exported"
head -n 1 "$WORK/events.csv" | grep -q ',Status,Verdict,Note$' && ok || fail "the events' header lacks Status,Verdict,Note"
[ "$(grep -c ',alice,.*,seen,false-positive,$' "$WORK/events.csv")" -eq 3 ] && ok || fail "the events lack alice's status and verdict"
tui_keys q
tui_expect_status "row 1/3" "back on the results"
tui_keys U
tui_expect "no verdict to undo" "U with nothing to undo"
quit_ok "run 3"

# Run 4: --fresh: the default sort, no marks, no filter.
tui_start 250 30 --ledger "$L" --exclusions "$X" --logons "$IN" --no-record --fresh
tui_expect "sort Instances▼" "--fresh: the default sort"
tui_expect_status "row 1/5" "--fresh: no filter, the cursor on top"
tui_expect_that "--fresh: no marks" eval '! tui_screen | grep -q "marked"'
tui_expect_that "--fresh: not restored" eval '! tui_screen | grep -q "session restored"'
quit_ok "run 4"
tui_start 250 30 --ledger "$L" --exclusions "$X" --logons "$IN" --no-record
tui_expect "sort Instances▼" "the fresh run's view was kept"
quit_ok "after --fresh"

# Run 5: a damaged session file is said, the console runs, and the quit
# replaces it keeping it as its backup.
S=$(ls "$SD"/* | grep -v '\.lock$\|~$')
printf 'logonhunt-session 1\nwide\tmaybe\n' >"$S"
tui_start 250 30 --ledger "$L" --exclusions "$X" --logons "$IN" --no-record
tui_expect "the last session is not restored" "the damage is said"
tui_expect "line 2: wide is 0 or 1" "with its line"
tui_expect_status "row 1/5" "the console runs"
quit_ok "run 5"
[ "$(cat "$S~")" = "$(printf 'logonhunt-session 1\nwide\tmaybe')" ] && ok || fail "the damaged session is not the backup"
head -n 1 "$S" | grep -qx "logonhunt-session 1" && ok || fail "a new session was not written"

# Run 6: what an interrupted save left after the ledger's last end line is
# said with its line and left out; the run's record at the start removes it.
cp "$L" "$WORK/ledger-before"
lines=$(wc -l < "$L")
printf 'group\tX\ty\tNetwork\t1.2.3.4\tLogonFailed\tfirst=2026-' >> "$L"
tui_start 250 30 --ledger "$L" --exclusions "$X" --logons "$IN"
tui_expect "ledger:$((lines + 1)): the lines from here to the end are what an interrupted save left" "the remains are said"
tui_expect_status "row 1/5" "the console runs on the ledger before them"
quit_ok "run 6"
tail -n 1 "$L" | grep -q "$(printf '^end\tsize=%s$' "$(wc -c < "$L")")" && ok || fail "the remains are still in the ledger"
cmp -s -n "$(wc -c < "$WORK/ledger-before")" "$L" "$WORK/ledger-before" && ok || fail "the ledger before the remains was changed"
finish
