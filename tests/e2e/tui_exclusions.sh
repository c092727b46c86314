#!/bin/sh
# The exclusions screen: switching a category off changes the rows and the
# funnel at once and is saved; undo puts it back; a rule made from a result
# row (its /24) is previewed with the counts awk finds, saved to the
# exclusions file and removes the row; search (/ n N), a category added
# (C), a rule's value, note and expiry edited (e c t) and deleted (d), and
# a reload (R) show in the file, on the screen and in the funnel. Every
# figure is checked against --batch run on the saved file.
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
tui_keys E c C-u
tui_type "$WORK/off.csv"
tui_keys Enter
tui_expect "wrote $left summary rows" "exported after the switch"
tui_untriaged "$WORK/off.csv" >"$WORK/off.plain"
expect_same "$WORK/batch.csv" "$WORK/off.plain" "rows and order after switching a category off"

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
tui_keys E c C-u
tui_type "$WORK/undone.csv"
tui_keys Enter
tui_expect "summary rows to $WORK/undone.csv" "exported after undo"
tui_untriaged "$WORK/undone.csv" >"$WORK/undone.plain"
expect_same "$WORK/batch.csv" "$WORK/undone.plain" "rows and order after undo"

# A rule from a row: the network of the first row with an IPv4 address,
# in the second category (siem). The preview counts the groups shown in
# that /24 and their events, as awk finds them in the batch rows.
k=$(awk -F, 'NR > 1 && $4 ~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/ { print NR - 1; exit }' "$WORK/batch.csv")
if [ -z "$k" ]; then fail "no row with an IPv4 address to make a /24 from"; finish; fi
ip=$(sed -n "$((k + 1))p" "$WORK/batch.csv" | cut -d, -f4)
net=$(echo "$ip" | sed 's/\.[0-9]*$/.0\/24/')
set -- $(awk -F, -v p="${ip%.*}." 'NR > 1 && index($4, p) == 1 && $4 ~ /^[0-9.]+$/ { g++; e += $8 }
    END { print g + 0, e + 0 }' "$WORK/batch.csv")
net_groups=$1 net_events=$2
[ "$net_groups" -ge 1 ] && ok || fail "awk finds no group in $net"
tui_keys Home
i=1
while [ "$i" -lt "$k" ]; do tui_keys Down; i=$((i + 1)); done
tui_expect_status "row $k/$left" "cursor on the first IPv4 row"
tui_expect_row "$k" " $ip " "the row holds $ip"
tui_keys e
tui_expect "Exclude from now on" "menu of rules from the row"
tui_expect "its network $net" "the /24 offered"
tui_keys Down Enter
tui_expect "In which category?" "category asked"
tui_keys Down Enter
tui_expect "Note" "note asked"
tui_type "tor exit nodes"
tui_keys Enter
tui_expect "ip $net in [siem] would remove $net_groups of the groups shown ($net_events events)" "preview counts"
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
# A name that is not a valid category name is refused with the reason as
# soon as it is typed, before the description and the note, and nothing
# is made (this path once freed the new category twice).
tui_keys Home e
tui_expect "Exclude from now on" "menu for a bad category name"
tui_keys Enter
tui_expect "a new category..." "a new category offered for a bad name"
tui_keys Down Down Down Down Down Down Down Down Down Down Down Down Enter
tui_expect "New category name" "name asked for a bad name"
tui_type "Bad Name"
tui_keys Enter
tui_expect "'Bad Name' is not a valid category name" "bad name refused"
tui_expect "New category name ([a-z0-9_-]): Bad Name" "the name asked again"
tui_keys Escape
tui_expect_gone "New category name" "given up"
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

# The filter finds no row with the excluded address, and the rows with
# one that stays.
kept_ip=$(sed -n 2p "$WORK/batch.csv" | cut -d, -f4)
n=$(awk -F, -v t="$kept_ip" 'NR > 1 { for (i = 1; i <= 5; i++)
    if (index($i, t)) { n++; next } } END { print n + 0 }' "$WORK/batch.csv")
tui_keys '|'
tui_type "$ip"
tui_expect_status "/0 (of $left)" "no row with the excluded $ip"
tui_keys C-u
tui_type "$kept_ip"
tui_expect_status "/$n (of $left)" "the $n rows with $kept_ip"
tui_keys Enter
tui_expect "filter: $kept_ip" "filter kept"
tui_keys Escape
tui_expect_status "/$left " "filter cleared"

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

# The exclusions screen's own keys. Each change is checked in the file,
# on the screen, and in the funnel, which must be what --batch gives with
# the saved file.
excl_funnel() {
	_what=$1
	batch_figures "$EXCL"
	set -- $ex
	tui_expect "remove $1 events in $2 groups" "$_what"
}
# / n N: the rules whose value or note holds svc_, in the file's order
# (its sections are in the screen's order); e shows the value of the rule
# under the cursor, and Esc leaves it as it was.
grep -E '^!?(ip|account|device) ' "$EXCL" | grep -i 'svc_' | sed 's/^!//' |
    awk '{ print $1 ":" $2 }' >"$WORK/svc-rules"
r1=$(sed -n 1p "$WORK/svc-rules") r2=$(sed -n 2p "$WORK/svc-rules") rlast=$(tail -n 1 "$WORK/svc-rules")
[ "$(wc -l <"$WORK/svc-rules")" -ge 3 ] && ok || fail "the file has fewer than 3 rules with svc_"
rule_under_cursor() {
	tui_keys e
	tui_expect "Rule: $1" "$2"
	tui_keys Escape
	tui_expect_gone "Rule: " "the value left as it was"
}
tui_keys /
tui_type "svc_"
tui_keys Enter
rule_under_cursor "$r1" "search: the first rule with svc_"
tui_keys n
rule_under_cursor "$r2" "n: the next rule with svc_"
tui_keys N N
rule_under_cursor "$rlast" "N: back, and round to the last rule with svc_"
# C adds a category.
tui_keys C
tui_expect "New category name" "C asks for a category name"
tui_type "vendor-vpn"
tui_keys Enter
tui_expect "Description" "C asks for a description"
tui_type "Vendor VPN exits"
tui_keys Enter
tui_expect "category added" "C: category added"
tui_expect "vendor-vpn  (0 rules)" "the new category listed"
wait_file_grep '^\[vendor-vpn\]' "$EXCL" && grep -q '^description = Vendor VPN exits' "$EXCL" && ok ||
    { fail "C: the category is not in the file"; cat "$EXCL" >&2; }
# The rule made from the row, found by its note (the search prompt
# offers the last search: C-u clears it): c edits the note.
tui_keys / C-u
tui_type "tor exit nodes"
tui_keys Enter c
tui_expect "Note: tor exit nodes" "c offers the note of the rule found"
tui_keys C-u
tui_type "reviewed by ops"
tui_keys Enter
tui_expect "reviewed by ops" "c: the new note listed"
wait_file_grep "^ip $net  # reviewed by ops\$" "$EXCL" && ok || { fail "c: the note is not in the file"; cat "$EXCL" >&2; }
# e edits the value: the /24 becomes the one address.
tui_keys e
tui_expect "Rule: ip:$net" "e offers the rule's value"
tui_keys C-u
tui_type "ip:$ip"
tui_keys Enter
tui_expect "[x] ip      $ip " "e: the new value listed"
wait_file_grep "^ip $ip  # reviewed by ops\$" "$EXCL" && ! grep -q "^ip $net " "$EXCL" && ok ||
    { fail "e: the file does not have the new value only"; cat "$EXCL" >&2; }
excl_funnel "funnel after editing the value"
grep -q ",$ip," "$WORK/batch.csv" && fail "$ip is not excluded after e" || ok
# t sets an expiry: a date past expires the rule, and $ip comes back.
tui_keys t
tui_expect "Expires after" "t asks for a date"
tui_type "2001-01-01"
tui_keys Enter
tui_expect "2001-01-01" "t: the date listed"
tui_expect "expired" "t: the rule listed as expired"
wait_file_grep "^ip $ip until=2001-01-01  # reviewed by ops\$" "$EXCL" && ok ||
    { fail "t: the expiry is not in the file"; cat "$EXCL" >&2; }
excl_funnel "funnel after the rule expired"
grep -q ",$ip," "$WORK/batch.csv" && ok || fail "$ip is still excluded by an expired rule"
# d deletes it.
tui_keys d
tui_expect "rule deleted" "d deletes the rule"
tui_expect_gone "reviewed by ops" "d: the rule gone from the list"
wait_file_nogrep "^ip $ip " "$EXCL" && ok || { fail "d: the rule is still in the file"; cat "$EXCL" >&2; }
# R reloads the file: a rule added by hand shows, with its effect, and
# the undo list is forgotten.
hand_ip=$(sed -n 3p "$WORK/batch.csv" | cut -d, -f4)
echo "ip $hand_ip  # added by hand" >>"$EXCL"
tui_screen | grep -q "added by hand" && fail "the rule added by hand shows before R" || ok
tui_keys R
tui_expect "reloaded" "R reloads"
tui_expect "added by hand" "R: the rule added by hand listed"
tui_expect_status "0 changes to undo" "R forgets the undo list"
excl_funnel "funnel after the reload"
grep -q ",$hand_ip," "$WORK/batch.csv" && fail "$hand_ip not excluded by the rule added by hand" || ok

tui_keys Q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "exit status $st"
tui_terminal_restored && ok || fail "terminal not restored"
tui_stop

# Notes from the file are shown escaped: a RIGHT-TO-LEFT OVERRIDE and a
# bidi isolate as \u escapes, a backslash as itself (the CLI's list shows
# the same forms).
HX="$WORK/hostile-exclusions"
printf '[siem]\nip 192.0.2.1  # coll\342\200\256ector \342\201\246x\\y\n' >"$HX"
"$LOGONHUNT" exclusions --exclusions "$HX" list >"$WORK/hx.list" 2>&1 || fail "exclusions list on $HX"
grep -qF 'coll\u202eector \u2066x\y' "$WORK/hx.list" && ok || fail "the CLI list does not show the note escaped"
batch_figures "$HX"
tui_start 160 40 --exclusions "$HX" "$DATA"
tui_expect "in $left groups" "hostile exclusions loaded"
tui_keys x
tui_expect 'coll\u202eector \u2066x\y' "a note's bidi characters escaped, its backslash kept"
tui_no_leak "exclusions screen with hostile notes"
tui_keys Q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "hostile exclusions: exit status $st"
finish
