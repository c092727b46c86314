#!/bin/sh
# Columns in the console: - hides the column cursor's column (Tab moves
# it), + shows them all again, never the last one shown; the status bar
# says how many are hidden; 1..9 count the columns shown; exports keep
# every column (they are the --batch formats, which triage set reads
# back); the hidden columns are kept in the session and restored, and the
# message says how many. Then [ and ] on the events screen sort by the
# column cursor's column, the order checked against the group's events
# read from the export with Python's csv module.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"

DATA=$(tui_sample)
"$LOGONHUNT" --batch -f csv --no-exclusions --no-ledger "$DATA" >"$WORK/batch.csv" ||
    fail "batch run"
groups=$(($(wc -l <"$WORK/batch.csv") - 1))
SD="$WORK/xdg-state/logonhunt/sessions"
# header: the column header line of the results.
header() { tui_screen | grep -m 1 -E "^ *(AccountDomain|AccountName)"; }
# row1: the first row under it.
row1() { tui_screen | awk 'f { print; exit } /^ *(AccountDomain|AccountName)/ { f = 1 }'; }
# session: the session file (not its ~ backup, not its lock).
session() { ls "$SD"/* | grep -v '[~]$' | grep -v '[.]lock$'; }

tui_start 200 30 --fresh --no-ledger --no-exclusions "$DATA"
tui_expect_status "row 1/$groups" "results"
tui_expect_that "every column at 200 columns" eval \
    'header | grep -qE "^ *AccountDomain +AccountName .* Instances▼ +DistinctMachines *$"'
# The column cursor starts on the sort's column (Instances): Tab moves it
# to DistinctMachines, - hides it.
tui_keys Tab -
tui_expect "column DistinctMachines hidden: 1 hidden, + shows them again" "- hides the cursor's column"
tui_expect_status "1 column hidden" "the status bar counts it"
tui_expect_that "DistinctMachines is gone, Instances ends the header" eval \
    'header | grep -qE " Instances▼ *$"'
# The cursor went on to the next column shown, wrapping: AccountDomain.
tui_keys -
tui_expect "column AccountDomain hidden: 2 hidden" "- again hides the next column"
tui_expect_status "2 columns hidden" "two hidden"
tui_expect_that "AccountName begins the header" eval 'header | grep -qE "^ *AccountName "'
name1=$(python3 -c 'import csv,sys; print(list(csv.DictReader(open(sys.argv[1])))[0]["AccountName"])' "$WORK/batch.csv")
tui_expect_that "row 1 begins with its AccountName ($name1)" eval \
    '[ "$(row1 | awk "{ print \$1 }")" = "$name1" ]'
# 1 sorts by the first column shown, AccountName.
tui_keys 1
tui_expect "sort AccountName▲, Instances▼" "1: the first column shown"
# An export keeps every column: the --batch header.
tui_keys E c C-u
tui_type "$WORK/cwd/hidden.csv"
tui_keys Enter
tui_expect "wrote $groups summary rows" "export with hidden columns"
expect_same_line() {
	if [ "$(head -n 1 "$1")" = "$(head -n 1 "$2")" ]; then ok; else
		fail "$3: '$(head -n 1 "$2")' is not '$(head -n 1 "$1")'"; fi
}
expect_same_line "$WORK/batch.csv" "$WORK/cwd/hidden.csv" "the export's header holds every column"
tui_keys q
tui_expect_that "quit" eval '[ "$(tui_exit_status)" = 0 ]'
tui_stop
# The session names them (the file format of src/session.h).
grep -qx "$(printf 'hide\tDistinctMachines')" "$(session)" && ok || fail "the session lacks hide DistinctMachines"
grep -qx "$(printf 'hide\tAccountDomain')" "$(session)" && ok || fail "the session lacks hide AccountDomain"

# Restored: the message and the status bar say so; + shows them again.
tui_start 200 30 --no-ledger --no-exclusions "$DATA"
tui_expect "2 columns hidden (+ shows them)" "the restore says how many are hidden"
tui_expect_status "2 columns hidden" "restored hidden"
tui_expect_that "restored: AccountDomain and DistinctMachines not shown" eval \
    'header | grep -qE "^ *AccountName▲ .* Instances▼2 *$"'
tui_keys +
tui_expect "2 hidden columns shown again" "+ shows them"
tui_expect_that "every column again" eval \
    'header | grep -qE "^ *AccountDomain +AccountName▲ .* DistinctMachines *$"'
tui_expect_gone "columns hidden" "the status bar counts none"
tui_keys +
tui_expect "no column is hidden" "+ with nothing hidden"
# Never the last column: nine columns, eight hidden at most.
tui_keys - - - - - - - - - - -
tui_expect "is the last column shown: it stays" "the last column is kept"
tui_expect_status "8 columns hidden" "eight hidden, one shown"
tui_keys +
tui_expect "8 hidden columns shown again" "+ again"
tui_keys q
tui_expect_that "quit" eval '[ "$(tui_exit_status)" = 0 ]'
tui_stop
grep -q "^hide" "$(session)" && fail "the session still hides columns after +" || ok

# [ and ] on the events screen: the first group's events in the order
# Python gives them (DeviceName compared without regard to case, then by
# bytes, ties in time order, the sort before).
python3 - "$WORK/batch.csv" "$DATA/DeviceLogonEvents.csv" <<'PY' >"$WORK/events.txt"
import csv, sys
keys = ("AccountDomain", "AccountName", "LogonType", "RemoteIP", "ActionType")
g = next(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
ev = [r for r in csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8"))
      if all(r[k] == g[k] for k in keys) and r["RemoteIPType"] == "Public"]
ev.sort(key=lambda r: r["Timestamp"])
for name, desc in (("desc", True), ("asc", False)):
    s = sorted(ev, key=lambda r: (r["DeviceName"].casefold(), r["DeviceName"]), reverse=desc)
    for r in s[:20]:
        print(name, r["Timestamp"].replace("T", " ")[:19], r["DeviceName"])
PY
# events_in ORDER: the first 20 event rows are those Python gave for ORDER.
events_in() {
	tui_screen | awk '/Timestamp/ { f = 1; next } f && NF >= 2 && $1 ~ /^20/ { print $1, $2, $3 }' |
	    head -n 20 >"$WORK/shown.txt"
	grep "^$1 " "$WORK/events.txt" | cut -d' ' -f2- | diff - "$WORK/shown.txt" >"$WORK/why"
}
tui_start 160 40 --fresh --no-ledger --no-exclusions "$DATA"
tui_expect_status "row 1/$groups" "results for the events"
tui_keys Enter
tui_expect "Timestamp▲" "the first group's events, by time"
# The column cursor starts on Timestamp (the sort): Tab moves it to
# DeviceName.
tui_keys Tab
tui_expect "column DeviceName: [ sorts ascending by it, ] descending" "Tab on the events"
tui_keys ']'
tui_expect "DeviceName▼" "] sorts descending by DeviceName"
tui_expect "Timestamp▲2" "the time breaks ties"
tui_expect_that "] : the events in descending DeviceName order" events_in desc ||
    cat "$WORK/why" >&2
tui_keys '['
tui_expect "DeviceName▲" "[ sorts ascending by DeviceName"
tui_expect_that "[ : the events in ascending DeviceName order" events_in asc ||
    cat "$WORK/why" >&2
tui_keys Q
tui_exit_status >/dev/null
finish
