#!/bin/sh
# The exclusions screen: switching a category off changes the rows and the
# funnel at once and is saved; undo puts it back; a rule made from a result
# row (its /24) is previewed, saved to the exclusions file and removes the
# row. Every figure is checked against --batch run on the saved file.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"
# The console saves just after it redraws: wait for the file to say so.
wait_file_nogrep() { _n=0; while grep -q "$1" "$2"; do _n=$((_n + 1)); [ $_n -gt 150 ] && return 1; sleep 0.1; done; }
wait_file_grep() { _n=0; while ! grep -q "$1" "$2"; do _n=$((_n + 1)); [ $_n -gt 150 ] && return 1; sleep 0.1; done; }

DATA=$(tui_sample)
EXCL="$WORK/xdg/logonhunt/exclusions"
mkdir -p "$WORK/xdg/logonhunt"
if [ -r "$top_srcdir/data/exclusions" ] && [ "$DATA" = "$top_srcdir/data" ]; then
	cp "$top_srcdir/data/exclusions" "$EXCL"
else
	printf '[maintenance]\nip 91.218.114.0/24  # patch servers\n[siem]\nip 157.97.109.40  # collector\n' >"$EXCL"
fi

# batch_figures FILE: "EVENTS GROUPS-REMOVED" excluded, and the groups left.
batch_figures() {
	"$LOGONHUNT" --batch --stats -f csv --exclusions "$1" "$DATA" 2>"$WORK/stats" >"$WORK/batch.csv"
	ex=$(sed -n 's/^ *removed: exclusions *\([0-9]*\) *(\([0-9]*\) groups).*/\1 \2/p' "$WORK/stats")
	left=$(($(wc -l <"$WORK/batch.csv") - 1))
}

batch_figures "$EXCL"
set -- $ex
tui_start 160 40 "$DATA"
tui_expect "$1 excluded ($2 groups)" "funnel with the exclusions (default file under XDG_CONFIG_HOME)"
tui_expect "in $left groups" "groups left"

# Switch the first category off.
tui_keys x
tui_expect "Category / rule" "exclusions screen"
tui_expect "[x] maintenance" "maintenance on"
tui_keys Space
tui_expect "[ ] maintenance" "maintenance switched off"
tui_expect "switched off" "message"
wait_file_grep '^enabled = no' "$EXCL" && ok || fail "the file does not say enabled = no"
batch_figures "$EXCL"
set -- $ex
tui_keys q
tui_expect "$1 excluded ($2 groups)" "funnel updated at once"
tui_expect "in $left groups" "rows updated at once"
if tui_wait_status "/$left"; then ok; else fail "row count not $left"; tui_status >&2; fi
# The rows, in order, are what --batch gives with the saved file.
tui_keys E s C-u
tui_type "$WORK/off.csv"
tui_keys Enter
tui_expect "wrote $left summary rows" "exported after the switch"
expect_same "$WORK/batch.csv" "$WORK/off.csv" "rows and order after switching a category off"

# Undo switches it on again, in the file too.
tui_keys x
tui_expect "[ ] maintenance" "still off"
tui_keys u
tui_expect "[x] maintenance" "undo switched it back on"
wait_file_nogrep '^enabled = no' "$EXCL" && ok || fail "the file still says enabled = no"
batch_figures "$EXCL"
set -- $ex
tui_keys Escape
tui_expect "$1 excluded ($2 groups)" "funnel after undo"
tui_keys E s C-u
tui_type "$WORK/undone.csv"
tui_keys Enter
tui_expect "summary rows to $WORK/undone.csv" "exported after undo"
expect_same "$WORK/batch.csv" "$WORK/undone.csv" "rows and order after undo"

# A rule from a row: the first row's network, in the second category.
ip=$(sed -n 2p "$WORK/batch.csv" | cut -d, -f4)
net=$(echo "$ip" | sed 's/\.[0-9]*$/.0\/24/')
case "$ip" in *.*.*.*) ;; *) echo "first row has no IPv4 address: skipped"; finish ;; esac
grep -c ",$ip," "$WORK/batch.csv" >/dev/null
tui_keys Home e
tui_expect "Exclude from now on" "menu of rules from the row"
tui_expect "its network $net" "the /24 offered"
tui_keys Down Enter
tui_expect "In which category?" "category asked"
tui_keys Down Enter
tui_expect "Note" "note asked"
tui_type "tor exit nodes"
tui_keys Enter
tui_expect "ip $net in [" "preview"
tui_expect "would remove" "preview counts"
tui_keys y
tui_expect "excluded ip $net" "saved"
wait_file_grep "^ip $net  # tor exit nodes" "$EXCL" && ok || { fail "rule not in the file"; cat "$EXCL" >&2; }
batch_figures "$EXCL"
set -- $ex
tui_expect "$1 excluded ($2 groups)" "funnel with the new rule"
if grep -q ",$ip," "$WORK/batch.csv"; then fail "batch still shows $ip"; else ok; fi
# A rule from a row into a new category: the category is made for the
# preview and saved as a change of its own; undo takes back the rule, then
# the category, and the file is as it was.
cp "$EXCL" "$WORK/before-new"
ip2=$(sed -n 2p "$WORK/batch.csv" | cut -d, -f4)
tui_keys Home e
tui_expect "Exclude from now on" "menu for a new category"
tui_keys Enter
tui_expect "a new category..." "a new category offered"
tui_keys Down Down Down Down Down Down Down Down Down Down Down Down Enter
tui_expect "New category name" "name asked"
tui_type "partner-vpn"
tui_keys Enter
tui_expect "Description" "description asked"
tui_type "Partner VPN exits"
tui_keys Enter
tui_expect "Note" "note asked for the new category's rule"
tui_type "partner"
tui_keys Enter
tui_expect "ip $ip2 in [partner-vpn] would remove" "preview in the new category"
tui_keys y
tui_expect "excluded ip $ip2" "saved in the new category"
wait_file_grep "^ip $ip2  # partner" "$EXCL" && ok || { fail "rule not in the file"; cat "$EXCL" >&2; }
grep -q '^\[partner-vpn\]' "$EXCL" && grep -q '^description = Partner VPN exits' "$EXCL" && ok ||
    { fail "new category not in the file"; cat "$EXCL" >&2; }
tui_keys x
tui_expect "partner-vpn" "new category listed"
tui_keys u
tui_expect "more change" "rule undone"
more=$(tui_message | sed -n 's/.*undone (\([0-9]*\) more change.*/\1/p')
wait_file_grep "^\\[partner-vpn\\]" "$EXCL" && ! grep -q "^ip $ip2  # partner" "$EXCL" && ok ||
    { fail "after one undo the category stays, the rule goes"; cat "$EXCL" >&2; }
tui_keys u
tui_expect "undone ($((more - 1)) more change" "category undone"
tui_expect_gone "partner-vpn" "category gone from the list"
_n=0
while ! cmp -s "$WORK/before-new" "$EXCL" && [ $_n -lt 50 ]; do _n=$((_n + 1)); sleep 0.1; done
if cmp -s "$WORK/before-new" "$EXCL"; then ok; else
	fail "undoing both did not give the file back"; diff "$WORK/before-new" "$EXCL" >&2; fi
tui_keys Escape
tui_expect "Results" "back to the results"
# A name that is not a valid category name is refused with the reason,
# and nothing is made (this path once freed the new category twice).
tui_keys Home e
tui_expect "Exclude from now on" "menu for a bad category name"
tui_keys Enter
tui_expect "a new category..." "a new category offered for a bad name"
tui_keys Down Down Down Down Down Down Down Down Down Down Down Down Enter
tui_expect "New category name" "name asked for a bad name"
tui_type "Bad Name"
tui_keys Enter
tui_expect "Description" "description asked for a bad name"
tui_keys Enter
tui_expect "Note" "note asked for a bad name"
tui_keys Enter
tui_expect "'Bad Name' is not a valid category name" "bad name refused"
cmp -s "$WORK/before-new" "$EXCL" && ok || fail "a refused category name changed the file"
# Declined at the preview: no category is left behind.
tui_keys Home e
tui_expect "Exclude from now on" "menu again"
tui_keys Enter
tui_expect "a new category..." "a new category offered again"
tui_keys Down Down Down Down Down Down Down Down Down Down Down Down Enter
tui_expect "New category name" "name asked again"
tui_type "dropme"
tui_keys Enter
tui_expect "Description" "description asked again"
tui_keys Enter
tui_expect "Note" "note asked again"
tui_keys Enter
tui_expect "in [dropme] would remove" "preview in the unsaved category"
tui_keys n
tui_expect "nothing was excluded" "declined"
tui_keys x
tui_expect "Category / rule" "exclusions screen"
tui_expect_gone "dropme" "the declined category is not listed"
cmp -s "$WORK/before-new" "$EXCL" && ok || fail "declining changed the file"
tui_keys Escape
tui_expect "Results" "back to the results again"

tui_keys '|'
tui_type "$ip"
if tui_wait_status "/0 (of $left)"; then ok; else fail "the row with $ip is still shown"; tui_status >&2; fi
tui_keys Enter Escape

# A bad rule is refused with a message in the status bar, the text kept.
tui_keys x a
tui_expect "New rule in [" "add prompt"
tui_type "10.0.0.1/8"
tui_keys Enter
tui_expect "host bits" "validation message"
tui_expect "New rule in [maintenance]: 10.0.0.1/8" "text kept for correction"
tui_keys C-u
tui_type "device:jump-*"
tui_keys Enter
tui_expect "Note" "note asked"
tui_keys Enter
tui_expect "Expires" "expiry asked"
tui_type "2099-12-31"
tui_keys Enter
tui_expect "device  jump-*" "rule listed"
wait_file_grep '^device jump-\* until=2099-12-31' "$EXCL" && ok || { fail "device rule not saved"; cat "$EXCL" >&2; }

# Someone else edits the file: the next change is refused with a reason
# and the offer to reload and redo it.
echo "# edited by hand" >>"$EXCL"
tui_keys Home Space
tui_expect "changed by another program" "conflict reported"
tui_expect "r: reload" "reload offered"
tui_keys r
tui_expect "reloaded" "reloaded and redone"
wait_file_grep "# edited by hand" "$EXCL" && ok || fail "the other edit was lost"
wait_file_grep '^enabled = no' "$EXCL" && ok || fail "the change was not redone"

tui_keys Q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "exit status $st"
tui_terminal_restored && ok || fail "terminal not restored"
finish
