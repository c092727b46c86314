#!/bin/sh
# The console's questions (issue 12). The export question has the same
# letters on every screen (c CSV, j JSON; e switches the results to the
# events behind them), says so when a key is not one of its answers
# instead of ignoring it, and the file name it suggests is replaced by
# what is typed (editing keys keep it to be edited). A new category's name
# is checked as soon as it is typed, from C and from e's "a new
# category", before the description or the note is asked.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"
SAMPLE=$(tui_sample)
OUT="$WORK/cwd"
mkdir -p "$WORK/xdg/logonhunt"
EXCL="$WORK/xdg/logonhunt/exclusions"
printf '[maintenance]\ndescription = known-good\n' > "$EXCL"
"$LOGONHUNT" -b -f csv --exclusions "$EXCL" "$SAMPLE" > "$WORK/batch.csv" 2>/dev/null
groups=$(($(wc -l < "$WORK/batch.csv") - 1))
inst=$(sed -n 2p "$WORK/batch.csv" | awk -F, '{ print $(NF - 1) }')
# The console's summary export carries the triage's columns (every group
# new on this first run), as --with-triage writes them.
"$LOGONHUNT" -b -f csv --with-triage --no-record --exclusions "$EXCL" "$SAMPLE" > "$WORK/batch-triage.csv" 2>/dev/null

tui_start 160 30 "$SAMPLE"
tui_expect_status "row 1/$groups" "results"

# A path typed before the question is answered: each key that is not an
# answer says so, and none picks a format.
tui_keys E
tui_expect "Export all $groups groups as  c: CSV  j: JSON  (e: their events instead: no" "the results' question"
tui_type "/tmp/x"
tui_expect "x is not an answer here: press one of the letters shown, or Esc" "an unknown letter is refused aloud"
tui_expect "Export all $groups groups as" "and the question is still asked"
tui_keys Escape
tui_expect_gone "Export all" "Esc cancels"
tui_expect_that "the error is gone with the question" eval '! tui_screen | grep -qF "is not an answer here"'

# c: the summary as CSV; the suggested name is replaced by what is typed.
tui_keys E c
tui_expect "Export to file: logonhunt-export-" "a name is suggested"
tui_type "sum.csv"
tui_expect "Export to file: sum.csv" "typing replaced the suggestion"
tui_keys Enter
tui_expect "wrote $groups summary rows to sum.csv" "summary CSV"
expect_same "$WORK/batch-triage.csv" "$OUT/sum.csv" "the summary CSV is --batch's"

# An editing key keeps the suggestion: End, then Backspace edits its end.
tui_keys E j
tui_expect "Export to file: logonhunt-export-" "a JSON name suggested"
tui_keys End BSpace BSpace BSpace BSpace
tui_type "txt"
tui_expect_that "the suggestion was edited, not replaced" eval \
    'tui_message | grep -q "^Export to file: logonhunt-export-[0-9-]*\.txt *\$"'
tui_keys C-u
tui_type "sum.json"
tui_keys Enter
tui_expect "wrote $groups summary rows to sum.json" "j: summary JSON"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d)==int(sys.argv[2]) else 1)' \
    "$OUT/sum.json" "$groups" && ok || fail "sum.json holds $groups objects"

# e switches to the events behind the groups; c is still CSV.
tui_keys Home Space
tui_expect_status "marked 1" "first row marked"
tui_keys E e
tui_expect "Export the marked 1 group's events as  c: CSV  j: JSON  (e: their events instead: yes" "e: the events instead"
tui_keys c
tui_type "ev.csv"
tui_keys Enter
tui_expect "wrote $inst events to ev.csv" "the group's $inst events as CSV"
[ "$(($(wc -l < "$OUT/ev.csv") - 1))" = "$inst" ] && ok || fail "ev.csv holds $inst events"
tui_keys u

# The events screen: the same letters; e is not one of its answers.
tui_keys Home Enter
tui_expect "Timestamp" "events"
tui_keys E
tui_expect "Export all $inst events as  c: CSV  j: JSON" "the events' question"
tui_keys e
tui_expect "e is not an answer here" "e refused where there is nothing to switch"
tui_keys j
tui_type "ev.json"
tui_keys Enter
tui_expect "wrote $inst events to ev.json" "j: JSON on the events screen too"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d)==int(sys.argv[2]) else 1)' \
    "$OUT/ev.json" "$inst" && ok || fail "ev.json holds $inst events"
tui_keys q

# The report's question refuses unknown keys the same way.
tui_keys P
tui_expect "h: HTML  m: Markdown" "the report's question"
tui_keys z
tui_expect "z is not an answer here" "the report refuses z"
tui_keys Escape

# C: the name is checked as soon as it is typed and asked again.
tui_keys x
tui_expect_status " Exclusions " "exclusions"
tui_keys C
tui_expect "New category name" "C asks for the name"
tui_type "Jump Hosts"
tui_keys Enter
tui_expect "'Jump Hosts' is not a valid category name" "the name refused at once"
tui_expect "New category name ([a-z0-9_-]): Jump Hosts" "the name asked again, as typed"
tui_expect_that "no description asked before the name is right" eval '! tui_screen | grep -qF "Description"'
tui_keys C-u
tui_type "Jump"
tui_keys Enter
tui_expect "category names are lower case: write 'jump' instead of 'Jump'" "the case said"
tui_keys C-u
tui_type "maintenance"
tui_keys Enter
tui_expect "category 'maintenance' already exists" "a name taken"
tui_keys C-u
tui_type "jump"
tui_keys Enter
tui_expect "Description (one line, optional):" "a good name: the description next"
tui_type "bastions"
tui_keys Enter
tui_expect "category added" "added"
tui_keys q

# e → a new category: the same check, before the note.
tui_keys Home e
tui_expect "Exclude from now on" "e proposes"
tui_keys Enter
tui_expect "In which category?" "category asked"
tui_keys End Enter
tui_expect "New category name" "a new category"
tui_type "vpn egress"
tui_keys Enter
tui_expect "'vpn egress' is not a valid category name" "refused before the note"
tui_expect_that "no note asked yet" eval '! tui_screen | grep -qF "Note (why"'
tui_keys C-u
tui_type "jump"
tui_keys Enter
tui_expect "category 'jump' already exists" "the category C added is taken"
tui_keys C-u
tui_type "vpn-egress"
tui_keys Enter
tui_expect "Description (one line, optional):" "then the description"
tui_keys Enter
tui_expect "Note (why it is known-good):" "then the note"
tui_keys Escape
tui_keys Q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "exit status $st"
grep -q '^\[jump\]' "$EXCL" && ok || fail "[jump] not saved"
grep -q 'vpn' "$EXCL" && fail "a cancelled category was saved" || ok
finish
