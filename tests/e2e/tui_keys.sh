#!/bin/sh
# One rule for Esc and q on every screen (issue 12): Esc clears what was
# typed first (the filter, then the search) and only then goes back; q
# goes back; the cursor is where it was when a screen comes back, the
# exclusions screen included when it is opened again with x. Habits from
# other tools: Ctrl-D/Ctrl-U half pages, [ and ] sort by the column
# cursor's column (Tab), the search says "match 3 of 17" and ", wrapped",
# and htop's function-key bar, whose keys work, at 80x24.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"
SAMPLE=$(tui_sample)
"$LOGONHUNT" -b -f csv --no-neutralise "$SAMPLE" > "$WORK/batch.csv" 2>/dev/null
groups=$(($(wc -l < "$WORK/batch.csv") - 1))
# A name that is in some rows only, and how many (any column, any case,
# as the search matches the cells).
word=lnowak43
nword=$(grep -ic -- "$word" "$WORK/batch.csv")
[ "$nword" -gt 2 ] || fail "the sample should have '$word' in several rows"

tui_start 80 24 "$SAMPLE"
tui_expect_status "row 1/$groups" "results"

# The function-key bar at 80 columns, on the message line once it is free.
tui_keys Down
tui_expect "F1Help F3Search F4Filter F6SortBy F10Quit" "htop's bar at 80x24"
tui_keys F1
tui_expect "logonhunt help" "F1 opens the help"
tui_expect "F3Search F10Quit" "the bar on the help screen: its own keys" && \
    tui_expect_that "no F4 on the help (nothing to filter)" eval '! tui_message | grep -qF F4Filter'
tui_keys q
tui_expect_status "row 2/$groups" "q goes back from the help, the cursor kept"
tui_keys F4
tui_expect "Filter (words, !word):" "F4 filters"
tui_keys Escape
tui_keys F6
tui_expect "Sort by" "F6 chooses the sort"
tui_keys Escape
tui_keys F3
tui_expect "Search:" "F3 searches"
tui_keys Escape

# Half pages: 24 rows less the status and message lines, the three header
# lines and the column labels leave 18; half is 9.
tui_keys Home C-d
tui_expect_status "row 10/$groups" "Ctrl-D: half a page down"
tui_keys C-d
tui_expect_status "row 19/$groups" "Ctrl-D again"
tui_keys C-u
tui_expect_status "row 10/$groups" "Ctrl-U: half a page up"
tui_keys C-u C-u
tui_expect_status "row 1/$groups" "Ctrl-U stops at the top"

# The search counts its matches and says when it went round.
tui_keys /
tui_type "$word"
tui_keys Enter
tui_expect "match 1 of $nword" "the search counts the rows ($nword in --batch)"
tui_keys N
tui_expect "match $nword of $nword, wrapped" "N from the first match goes round to the last"
tui_keys n
tui_expect "match 1 of $nword, wrapped" "n from the last goes round to the first"
tui_keys n
tui_expect "match 2 of $nword" "n to the second"
tui_expect_that "no wrap said when there was none" eval '! tui_message | grep -qF wrapped'
# The second row (a group of many events) from here on.
tui_keys Home Down
r=2

# Results: Esc clears the filter, then the search, then has nothing to do.
tui_keys '|'
tui_type "giulia"
tui_keys Enter
tui_expect_status "(of $groups)" "filter on (the row under the cursor kept)"
tui_keys Escape
tui_expect "filter cleared; Esc again clears the search" "Esc clears the filter first"
tui_expect_that "the filter is gone" eval '! tui_status | grep -qF "(of"'
tui_keys Escape
tui_expect "search cleared" "then the search"
tui_keys Escape
tui_expect "no filter or search to clear; q quits" "then Esc says what q does"
tui_expect_status "row $r/$groups" "the cursor did not move"

# Events: the same, and then back, with the results' cursor where it was.
tui_keys Enter
tui_expect "Timestamp" "events"
tui_keys Down Down
tui_expect_status "row 3/" "third event"
ev=$(tui_status | sed -n 's/.*row 3\/\([0-9]*\).*/\1/p')
tui_keys '|'
tui_type "zzz-nothing"
tui_keys Enter
tui_expect_status "(of $ev)" "events filtered"
tui_keys /
tui_type "Kerberos"
tui_keys Enter
tui_keys Escape
tui_expect "filter cleared" "events: Esc clears the filter first"
tui_expect_status " Events " "still on the events"
tui_keys Escape
tui_expect "search cleared" "events: then the search"
tui_expect_status " Events " "still on the events"
tui_keys Escape
tui_expect_status "row $r/$groups" "events: then back, the results' cursor kept"

# One event: Esc clears the search, then goes back; q goes back too.
tui_keys Enter
tui_expect_status " Events " "events again"
tui_keys Down Down Enter
tui_expect_status " Event " "one event"
tui_keys /
tui_type "RemoteIP"
tui_keys Enter
tui_keys Escape
tui_expect "search cleared" "event: Esc clears the search"
tui_expect_status " Event " "still on the event"
tui_keys Escape
tui_expect_status "row 3/$ev" "event: then back to the events, on the third"
tui_keys Enter
tui_expect_status " Event " "the event again"
tui_keys q
tui_expect_status "row 3/$ev" "q goes back from the event"
tui_keys q
tui_expect_status "row $r/$groups" "q goes back from the events"

# Help: Esc clears its search, then goes back.
tui_keys '?'
tui_expect "logonhunt help" "help"
tui_keys /
tui_type "half a page"
tui_keys Enter
tui_keys Escape
tui_expect "search cleared" "help: Esc clears the search"
tui_expect "logonhunt help" "still the help"
tui_keys Escape
tui_expect_status "row $r/$groups" "help: then back"

# Exclusions: the cursor is where it was left when x opens it again.
tui_keys x
tui_expect_status "line 1/" "exclusions"
tui_keys /
tui_type "maintenance"
tui_keys Enter
tui_keys Down
tui_expect "Exclusions" "exclusions searched"
l=$(tui_status | sed -n 's/.*line \([0-9]*\)\/.*/\1/p')
[ "${l:-0}" -gt 1 ] && ok || fail "the search moved the cursor down: line $l"
tui_keys Escape
tui_expect "search cleared" "exclusions: Esc clears the search"
tui_expect_status " Exclusions " "still the exclusions"
tui_keys q
tui_expect_status "row $r/$groups" "q leaves the exclusions"
tui_keys x
tui_expect_status "line $l/" "x again: the cursor where it was left"
tui_keys Up Escape
tui_expect_status "row $r/$groups" "Esc leaves the exclusions (nothing typed)"
tui_keys x
tui_expect_status "line $((l - 1))/" "and the cursor is kept again"
tui_keys Escape

# [ and ]: Tab moves the column cursor from the sort's column (Instances)
# past DistinctMachines, the triage's Status and Verdict and AccountDomain
# to AccountName.
tui_keys Tab Tab Tab Tab Tab
tui_expect "column AccountName: [ sorts ascending by it, ] descending" "Tab moves the column cursor"
tui_keys '['
tui_expect "AccountName▲" "[ sorts ascending"
tui_expect "sort AccountName▲, Instances▼ " "the sort before breaks ties"
PYTHONPATH="$top_srcdir/tests/e2e" python3 - "$WORK/batch.csv" > "$WORK/names" <<'PY'
import csv, sys
from natural_order import text_key
names = [r["AccountName"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8", newline=""))]
s = sorted(names, key=text_key)
print(s[0]); print(s[-1])
PY
first=$(sed -n 1p "$WORK/names") last=$(sed -n 2p "$WORK/names")
# With the triage's Status and Verdict the names are cut to a few
# letters at 80 columns: V shows row 1 whole.
tui_keys Home V
tui_expect_that "row 1 holds the first name in natural order ($first)" eval \
    'tui_screen | grep -qF -- " $first"'
tui_keys q ']'
tui_expect "AccountName▼" "] sorts descending"
tui_keys Home V
tui_expect_that "row 1 holds the last name in natural order ($last)" eval \
    'tui_screen | grep -qF -- " $last"'
tui_keys q

# The bar shortened, then gone, where it does not fit; F10 quits.
tui_stop
tui_start 40 24 "$SAMPLE"
tui_expect_status "row 1/" "40 columns"
tui_keys Down
tui_expect_that "keys without labels at 40 columns" eval \
    '[ "$(tui_message | sed "s/ *\$//")" = "F1 F3 F4 F6 F10" ]'
tui_keys F10
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "F10 quits: exit status $st"

# Warnings (a bad timestamp): q and Esc go back from them as from the help.
tui_stop
tui_start 80 24 --no-exclusions "$top_srcdir/tests/data/tui/hostile"
tui_expect_status "row 1/4" "the hostile rows"
tui_keys w
tui_expect "Warnings from loading" "warnings"
tui_keys /
tui_type "bad"
tui_keys Enter
tui_keys Escape
tui_expect "search cleared" "warnings: Esc clears the search"
tui_expect "Warnings from loading" "still the warnings"
tui_keys Escape
tui_expect_gone "Warnings from loading" "warnings: then back"
tui_keys w
tui_expect "Warnings from loading" "warnings again"
tui_keys q
tui_expect_gone "Warnings from loading" "q goes back from the warnings"
finish
