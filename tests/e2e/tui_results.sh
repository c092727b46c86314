#!/bin/sh
# The results screen: sorting (1..9, s, S, r), search (/ n N M), the live
# filter (words and !words), paging (PgUp PgDn), sideways scrolling (Left
# Right 0) and full widths (W), redraw (Ctrl-L), help, the mouse (click,
# double click, wheel, m), warnings (w), hostile log fields shown escaped
# in the results, events and event screens, resizing down to almost
# nothing and back, quitting with the terminal restored. Expected rows
# come from sort, grep and awk over the --batch CSV, and from the
# hand-made files in tests/data/tui (see its README).
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"

DATA=$(tui_sample)
cp "$top_srcdir/data/exclusions" "$WORK/excl" 2>/dev/null || : >"$WORK/excl"
"$LOGONHUNT" --batch -f csv --exclusions "$WORK/excl" "$DATA" >"$WORK/batch.csv"
groups=$(($(wc -l <"$WORK/batch.csv") - 1))
tail -n +2 "$WORK/batch.csv" >"$WORK/rows.csv"
# The checks split the rows on commas: none may be quoted.
if grep -q '"' "$WORK/rows.csv"; then
	fail "the batch CSV has quoted fields: the checks below cannot split it"
	finish
fi
# field F of the Kth summary row
cell() { sed -n "$1p" "$WORK/rows.csv" | cut -d, -f"$2"; }
# nat_first SPEC: the first summary row sorted by SPEC, fields like "5,2r"
# (r: descending), in natural order as natural_order.py computes it
# (RemoteIP, field 4, as addresses).
nat_first() {
	PYTHONPATH="$top_srcdir/tests/e2e" python3 - "$WORK/rows.csv" "$1" <<'PY'
import sys
from natural_order import ip_key, text_key
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
for spec in reversed(sys.argv[2].split(",")):
    f = int(spec.rstrip("r")) - 1
    k = ip_key if f == 3 else text_key
    rows.sort(key=lambda r: k(r.split(",")[f]), reverse=spec.endswith("r"))
print(rows[0])
PY
}

# Wide enough for every label whole, with the triage ledger's Status and
# Verdict columns after the summary's.
tui_start 180 40 --exclusions "$WORK/excl" "$DATA"
tui_expect_status "row 1/$groups" "results shown with every group"
tui_expect "groups" "funnel in the header"
tui_expect "Instances▼" "default sort shown"
tui_expect_row 1 " $(cell 1 4) " "the first row is the batch summary's first row"

# Sorting by AccountName (column 2) puts the smallest name first, and
# pressing it again reverses: the whole name, as a natural sort of the
# batch rows gives it (case ignored: natural_order.py).
before=$(tui_row 1)
tui_keys 2
tui_expect "AccountName▲" "sorted by AccountName"
name_asc=$(nat_first 2 | cut -d, -f2)
tui_expect_row 1 " $name_asc " "ascending sort: $name_asc first"
[ "$(tui_row 1)" != "$before" ] && ok || fail "sorting did not change the order"
tui_keys 2
tui_expect "AccountName▼" "sort reversed"
name_desc=$(nat_first 2r | cut -d, -f2)
tui_expect_row 1 " $name_desc " "descending sort: $name_desc first"

# s picks the column from a menu (RemoteIP is the 4th); r reverses it and
# keeps the tie-breaker.
tui_keys s
tui_expect "Sort by" "s opens the sort menu"
tui_keys 4
tui_expect "sort RemoteIP▲, AccountName▼" "s sorts by the column picked, the old order breaks ties"
tui_expect_row 1 " $(nat_first 4 | cut -d, -f4) " "RemoteIP ascending (addresses as addresses)"
tui_keys r
tui_expect "sort RemoteIP▼, AccountName▼" "r reverses the primary order only"
# (an IPv6 address may be cut at the column's edge: its start)
tui_expect_row 1 " $(nat_first 4r | cut -d, -f4 | cut -c1-14)" "RemoteIP descending (IPv6 first)"

# S picks the tie-breaker: ActionType, then AccountName ascending instead
# of the RemoteIP descending it inherits. The two orders must put
# different rows first, or the check would prove nothing.
tui_keys s
tui_expect "Sort by" "sort menu again"
tui_keys 5
tui_expect "sort ActionType▲, RemoteIP▼" "ActionType, RemoteIP breaking ties"
tui_keys S
tui_expect "Then sort by" "S opens the secondary sort menu"
tui_keys 3
tui_expect "sort ActionType▲, AccountName▲" "S sets the secondary column"
tui_expect "AccountName▲2" "secondary column marked in the header"
want=$(nat_first 5,2,1,3,4)
other=$(nat_first 5,4r,1,2,3)
[ "$want" != "$other" ] && ok || fail "the sample cannot tell the secondary sorts apart"
tui_expect_row 1 " $(echo "$want" | cut -d, -f2) " "secondary sort: the account of $want"
tui_expect_row 1 " $(echo "$want" | cut -d, -f4) " "secondary sort: the address of $want"

# Back to the batch order: Instances, and no secondary column (S, none).
tui_keys s
tui_expect "Sort by" "sort menu once more"
tui_keys 8
tui_expect "sort Instances▼, ActionType▲" "Instances again"
tui_keys S
tui_expect "Then sort by" "secondary sort menu again"
tui_keys 1
tui_expect "sort Instances▼   " "no secondary column"

# shown_from K: 0 if the rows on the screen are the summary rows from the
# Kth on, in order, by their addresses (whole, or cut with the mark).
shown_from() {
	tui_rows >"$WORK/shown.txt"
	tail -n +"$1" "$WORK/rows.csv" | cut -d, -f4 >"$WORK/want-ips"
	awk 'NR == FNR { ip[FNR] = $0; next }
	    NF {
		n++
		if (index($0, " " ip[n] " ")) next
		for (k = length(ip[n]) - 1; k >= 8; k--)
			if (index($0, " " substr(ip[n], 1, k) "…")) next
		bad = 1
	    }
	    END { exit bad || n == 0 }' "$WORK/want-ips" "$WORK/shown.txt"
}
tui_expect_that "the rows shown are the batch rows in order" shown_from 1

# PgDn: one page on, the page's last row staying in view as the new top;
# PgUp: back.
page=$(tui_rows | grep -c .)
[ "$page" -gt 2 ] && [ "$page" -lt "$groups" ] && ok || fail "$page rows shown of $groups: cannot page"
tui_keys PageDown
tui_expect_status "row $page/$groups" "PgDn moves the cursor a page down"
tui_expect_that "PgDn shows the rows from $page on" shown_from "$page"
tui_keys PageDown
tui_expect_status "row $((2 * page - 1))/$groups" "PgDn again"
tui_keys PageUp
tui_expect_status "row $page/$groups" "PgUp moves the cursor a page up"
tui_expect_that "PgUp shows the rows from $page on" shown_from "$page"
tui_keys PageUp
tui_expect_status "row 1/$groups" "PgUp back to the top"
tui_expect_that "PgUp shows the first page again" shown_from 1

# Search: the cursor lands on the first row holding the text (in any
# column, ignoring case, as awk finds it in the batch rows), n goes to the
# next one, N back, and both wrap around.
term=$(cut -d, -f4 "$WORK/rows.csv" | sort | uniq -c | sort -rn | awk '$1 >= 3 { print $2; exit }')
awk -F, -v t="$term" '{ for (i = 1; i <= 5; i++)
    if (index(tolower($i), tolower(t))) { print NR; next } }' "$WORK/rows.csv" >"$WORK/matches"
nmatch=$(wc -l <"$WORK/matches")
m1=$(sed -n 1p "$WORK/matches") m2=$(sed -n 2p "$WORK/matches")
m3=$(sed -n 3p "$WORK/matches") mlast=$(tail -n 1 "$WORK/matches")
[ "$nmatch" -ge 3 ] && [ "$mlast" -gt "$m3" ] && ok || fail "no address in 4 rows to search for"
tui_keys /
tui_type "$term"
tui_keys Enter
tui_expect_status "row $m1/$groups" "search for $term lands on its first row"
tui_expect_status "search: $term" "search shown in the status bar"
tui_keys n
tui_expect_status "row $m2/$groups" "n goes to the next match"
tui_keys n
tui_expect_status "row $m3/$groups" "n again"
tui_keys N
tui_expect_status "row $m2/$groups" "N goes to the previous match"
tui_keys N N
tui_expect_status "row $mlast/$groups" "N wraps around to the last match"
tui_keys n
tui_expect_status "row $m1/$groups" "n wraps around to the first match"
# M marks every row the search finds.
tui_keys M
tui_expect "marked $nmatch more rows" "M marks the rows matching the search"
tui_expect_status "marked $nmatch" "the marks counted"
tui_keys u
tui_expect_that "u unmarks them" eval '! tui_status | grep -q marked'
tui_keys Escape
tui_expect_status "row $m1/$groups " "Esc clears the search"

# The live filter narrows as it is typed: compare with grep on the batch
# rows (no timestamp or count holds these letters). One filter keeps some
# rows and drops others; !word keeps the others.
n=$(grep -ci "svc_" "$WORK/rows.csv")
[ "$n" -gt 0 ] && [ "$n" -lt "$groups" ] && ok || fail "the sample needs some rows with svc_ and some without"
tui_keys '|'
tui_type "svc_"
tui_expect_status "/$n (of $groups)" "filter svc_: $n rows"
tui_type "p"
n=$(grep -ci "svc_p" "$WORK/rows.csv")
tui_expect_status "/$n (of $groups)" "filter svc_p: $n rows"
tui_keys Enter
tui_expect "filter: svc_p" "filter kept"
tui_keys Escape
tui_expect_status "/$groups " "Esc clears the filter"
n=$(grep -vci "svc_" "$WORK/rows.csv")
tui_keys '|'
tui_type "!svc_"
tui_keys Enter
tui_expect_status "/$n (of $groups)" "filter !svc_: the $n rows without svc_"
tui_expect_that "no row shown holds svc_" eval '! tui_rows | grep -qi svc_'
tui_keys Escape
n=$(grep -i "svc_" "$WORK/rows.csv" | grep -vci "network")
[ "$n" -gt 0 ] && ok || fail "the sample needs svc_ rows that are not Network logons"
tui_keys '|'
tui_type "svc_ !network"
tui_keys Enter
tui_expect_status "/$n (of $groups)" "filter svc_ !network: $n rows"
tui_keys Escape
tui_expect_status "/$groups " "filter cleared again"

# Times and counts are matched through their digits, not their text: a
# filter of a day and a minute (as the list shows a time, "YYYY-MM-DD
# HH:MM:SS") and one of digits that counts hold too keep exactly the rows
# awk finds in the batch rows' cells, the times rewritten as shown.
shown_has() {
	awk -F, -v w="$1" '{ for (i = 1; i <= 9; i++) { c = $i
	    if (i == 6 || i == 7) c = substr(c, 1, 10) " " substr(c, 12, 8)
	    if (index(tolower(c), tolower(w))) { n++; next } } }
	    END { print n + 0 }' "$WORK/rows.csv"
}
t=$(cell 1 6)
for word in "$(echo "$t" | cut -c6-13 | tr T ' ' | cut -d' ' -f1)" \
    "$(echo "$t" | cut -c12-16)" "1" "$(cell 1 8)" \
    "$(cut -d, -f8 "$WORK/rows.csv" | sort -n | tail -n 1)"; do
	n=$(shown_has "$word")
	tui_keys '|'
	tui_type "$word"
	tui_keys Enter
	tui_expect_status "/$n " "filter $word (times and counts): $n rows"
	tui_keys Escape
	tui_expect_status "/$groups " "filter $word cleared"
done

# Sideways: with full widths (W) the table is wider than 100 columns;
# Right scrolls it 8 columns left (< marks the cut), Left back, 0 to the
# edge.
colpos() {
	tui_screen | awk '/countName/ { print index($0, "countName"); exit }'
}
at_col() { [ "$(colpos)" = "$1" ]; }
tui_keys Home
tui_expect_status "row 1/$groups " "Home"
tui_keys W
tui_expect "full column widths" "W: full column widths"
tmx resize-window -x 100 -y 40
tui_expect_that "the table is cut on the right at 100 columns" eval \
    'tui_screen | grep "ccountName" | grep -q ">\$"'
x0=$(colpos)
tui_keys Right
tui_expect_that "Right scrolls the table 8 columns" at_col $((x0 - 8))
tui_screen | grep "ccountName" | grep -q "^ <" && ok || fail "no < after scrolling right"
tui_keys Left
tui_expect_that "Left scrolls back" at_col "$x0"
tui_keys Right Right
tui_expect_that "Right twice" at_col $((x0 - 16))
tui_keys 0
tui_expect_that "0 goes back to the left edge" at_col "$x0"
tui_screen | grep "ccountName" | grep -q "^ <" && fail "< left after 0" || ok
tui_keys W
tui_expect "columns cut to fit" "W again: columns cut to fit"
tmx resize-window -x 160 -y 40
# Redrawn at the new width: the status bar is wider than 100 columns.
tui_expect_that "redrawn at 160 columns" eval '[ "$(tui_status | wc -c)" -gt 101 ]'
tui_expect_status "row 1/$groups" "back to 160 columns"

# Ctrl-L: text written to the terminal behind the program's back stays
# through an ordinary redraw and goes with Ctrl-L.
# (The cursor is saved and restored around it, so that what the program
# draws next lands where it means it to.)
printf '\0337\033[30;40HXYZZY-NOT-DRAWN\0338' >"$(tui_pane_tty)"
tui_expect "XYZZY-NOT-DRAWN" "text written behind the program's back"
tui_keys j
tui_expect_status "row 2/$groups" "j moves down"
tui_screen | grep -q "XYZZY-NOT-DRAWN" && ok || fail "an ordinary redraw already cleared the text: Ctrl-L is not tested"
tui_keys C-l
tui_expect_gone "XYZZY-NOT-DRAWN" "Ctrl-L redraws the whole screen"
tui_expect_row 2 " $(cell 2 4) " "the rows are back after Ctrl-L"

# Help comes from the key table: every screen's keys.
tui_keys '?'
tui_expect "logonhunt help" "help opens"
tui_expect "export the marked rows" "help lists export"
tui_keys G
tui_expect "undo the last change" "help lists the other screens' keys"
tui_keys q
tui_expect "Instances▼" "help closes"

# The mouse (xterm reports, as tmux passes them): a click selects a row,
# a double click opens it, a click on a column name sorts by it, the
# wheel scrolls; m switches the reports off and on. The program acts on
# one report a read (a press and its release read at once are lost), so a
# press is sent alone and its effect awaited before the release, which may
# go with what follows.
mouse() { printf '\033[M%s%s%s' "$1" "$(printf "\\$(printf %o $(($2 + 33)))")" "$(printf "\\$(printf %o $(($3 + 33)))")"; }
press() { tui_type "$(mouse ' ' "$1" "$2")"; }
release() { tui_type "$(mouse '#' "$1" "$2")"; }
tui_mouse_reported && ok || fail "mouse reports not asked for by default"
tui_keys Home
tui_expect_status "row 1/$groups" "Home"
hy=$(tui_screen | grep -En "Acc[^ ]* +Acc[^ ]* " | head -n 1 | cut -d: -f1)
press 5 $((hy + 4))
tui_expect_status "row 5/" "click selects the fifth row"
release 5 $((hy + 4))
# A double click is two presses within 0.4 s: on a loaded machine the
# wait between them may take longer, so it is tried up to three times.
events2="$(cell 2 8) events on $(cell 2 9) devices"
for try in 1 2 3; do
	press 5 $((hy + 1))
	tui_expect_status "row 2/" "click selects the second row"
	tui_type "$(mouse '#' 5 $((hy + 1)))$(mouse ' ' 5 $((hy + 1)))"
	tui_wait "$events2" 2 && break
	release 5 $((hy + 1))
done
tui_expect "$events2" "double click opens the second row's events"
release 5 $((hy + 1))
tui_keys Escape
tui_expect_status "row 2/$groups" "back from the double-clicked events"
tui_keys m
tui_expect "mouse off" "m: mouse off"
tui_expect_that "m stops the mouse reports" eval '! tui_mouse_reported'
tui_keys m
tui_expect "mouse on" "m: mouse on"
tui_expect_that "m asks for mouse reports again" tui_mouse_reported
press 20 $((hy - 1))
tui_expect "AccountName▲" "click on a column name sorts"
release 20 $((hy - 1))
# The wheel (button 5, no release) scrolls three rows, the cursor (on the
# first row since the sort) kept on the screen.
tui_type "$(mouse 'a' 5 10)"
tui_expect_status "row 4/" "the wheel scrolls"
tui_type "$(mouse 'a' 5 10)"
tui_expect_status "row 7/" "the wheel scrolls again"
tui_keys 8

# Resize to tiny sizes and back: nothing breaks and keys still work.
for size in "20 4" "3 1" "1 1" "40 2" "80 10" "160 40"; do
	set -- $size
	tmx resize-window -x "$1" -y "$2"
done
tui_expect "/$groups " "screen redrawn after resizing"
tui_keys 3
tui_expect "LogonType▲" "keys answered after resizing"
[ -z "$(cat "$WORK/status" 2>/dev/null)" ] && ok || fail "the program ended while resizing"

tui_keys q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "q: exit status $st, wanted 0"
tui_terminal_restored && ok || fail "terminal not restored after q"
[ ! -s "$WORK/stderr" ] && ok || { fail "stderr not empty"; cat "$WORK/stderr" >&2; }
tui_stop

# Hostile fields (tests/data/tui/hostile): ESC sequences, OSC 52 and 2,
# C1 controls, U+202E and the bidi isolates show as the escapes ui/text.c
# makes of them (\x1b, \x9b, \u202e), whole, in the results, the events
# and the event screens, and nothing of them reaches the terminal.
HOSTILE="$top_srcdir/tests/data/tui/hostile"
tui_start 200 30 --no-exclusions --no-mouse "$HOSTILE"
tui_expect_status "row 1/4" "hostile rows loaded"
tui_mouse_reported && fail "--no-mouse: mouse reports asked for" || ok
tui_keys W
tui_expect "full column widths" "full widths for the hostile rows"
for v in '\x1b]52;c;QQ==\x07' 'a\x1b[2J' 'c\x85n\x9b6n' '\u2066D\u2069' 'b\u202eexe.txt'; do
	tui_expect " $v " "results: $v shown escaped"
done
tui_no_leak "results screen"
tui_keys '|'
tui_type '\u202e'
tui_keys Enter
tui_expect_status "row 1/1 (of 4)" "filter on the escaped form of U+202E"
tui_expect_row 1 'b\u202eexe.txt' "the row with U+202E kept"
tui_keys Escape
tui_expect_status "/4 " "filter cleared"
tui_keys '|'
tui_type '!\x1b'
tui_keys Enter
tui_expect_status "/3 (of 4)" "filter !\\x1b drops the row with ESC"
tui_expect_gone 'a\x1b[2J' "the row with ESC dropped"
tui_keys Escape
tui_expect_status "/4 " "filter cleared"
# The group with ESC sequences has two events: its screen and an event.
tui_keys Home
tui_expect_status "row 1/4 " "back on the first row"
tui_keys Enter
tui_expect '\x1b]52;c;QQ==\x07\a\x1b[2J  Network  203.0.113.10' "events title escaped"
tui_keys W
tui_expect "full column widths" "full widths for the events"
for v in 'ws\x1b]2;pwned\x07' 'NTLM\x1b[5m' 'Bad\x1b[?1049l' 'cmd\x9b.exe'; do
	tui_expect " $v " "events: $v shown escaped"
done
tui_expect_that "events: the command line shown escaped, to its end" eval \
    'tui_screen | grep -q " run \\\\x1b]52;c;Qg==\\\\x07 x\\\\u202egpj\\.exe *\$"'
tui_no_leak "events screen"
tui_keys Enter
tui_expect "Event from $HOSTILE/DeviceLogonEvents.csv:2" "event screen"
for v in 'DeviceName  *ws\\x1b]2;pwned\\x07 *$' 'AccountDomain  *\\x1b]52;c;QQ==\\x07 *$' \
    'AccountName  *a\\x1b\[2J *$' 'Protocol  *NTLM\\x1b\[5m *$' \
    'InitiatingProcessCommandLine  *run \\x1b]52;c;Qg==\\x07 x\\u202egpj\.exe *$'; do
	tui_expect_that "event: $v" eval 'tui_screen | grep -q -- "$v"'
done
tui_no_leak "event screen"
tui_keys BSpace BSpace
tui_expect_status "row 1/4 " "back to the results"
# The group with bidi isolates in its command line, and with C1 controls
# and a literal backslash.
tui_keys End Enter
tui_expect 'i\u2067s\u2068o' "events: bidi isolates shown escaped"
tui_keys Enter
tui_expect_that "event: the domain's isolates" eval \
    'tui_screen | grep -q "^AccountDomain  *\\\\u2066D\\\\u2069 *\$"'
tui_no_leak "event screen with bidi isolates"
tui_keys BSpace BSpace
tui_expect_status "row 4/4 " "back to the last row"
tui_keys Home Down Enter
tui_expect 'lit\\x1b' "a backslash in the data shows doubled"
tui_keys Enter
tui_expect_that "event: C1 controls" eval 'tui_screen | grep -q "^AccountName  *c\\\\x85n\\\\x9b6n *\$"'
tui_no_leak "event screen with C1 controls"
tui_keys BSpace BSpace
tui_expect_status "row 2/4 " "back to the second row"
# w: the warning names the line of the bad timestamp; the ESC it quotes
# does not reach the terminal.
tui_keys w
line=$(grep -n '^bad' "$HOSTILE/DeviceLogonEvents.csv" | cut -d: -f1)
tui_expect "Warnings from loading" "w shows the warnings"
tui_expect "DeviceLogonEvents.csv:$line: Timestamp \"bad\\x1b[2Jtime\"" "the warning names the line and quotes the value escaped once"
tui_no_leak "warnings screen"
tui_keys BSpace
tui_expect_status "/4 " "back from the warnings"
tui_keys Q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "hostile rows: exit status $st"
tui_stop

# A file name from a directory scan is attacker-chosen too: the warnings
# screen quotes it escaped, and it sets no window title.
HN="$WORK/hostname"
mkdir -p "$HN"
hfile="$HN/DeviceLogonEvents$(printf '\033]2;pwned\007').csv"
cp "$HOSTILE/DeviceLogonEvents.csv" "$hfile"
tui_start 200 30 --no-exclusions "$HN"
tui_expect_status "row 1/4" "rows from a hostile file name loaded"
tui_keys w
tui_expect "DeviceLogonEvents\x1b]2;pwned\x07.csv:$line: Timestamp \"bad\x1b[2Jtime\"" \
    "w quotes the hostile file name escaped"
tui_no_leak "warnings screen with a hostile file name"
tui_keys Q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "hostile file name: exit status $st"
tui_stop

# Wide and combining characters keep the columns lined up: the column
# after the names starts at the same display column on every row. A value
# wider than its column is cut (…) until W shows full widths (at 100
# columns: a wider screen has the room for it).
mkdir -p "$WORK/wide"
{
	echo 'Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType'
	echo '2024-05-01T10:00:00Z,d1,ws-01,LogonFailed,Network,CONTOSO,田中太郎,203.0.113.1,Public'
	echo '2024-05-01T10:00:00Z,d1,ws-01,LogonFailed,Network,CONTOSO,émile,203.0.113.2,Public'
	echo '2024-05-01T10:00:00Z,d1,ws-01,LogonFailed,Network,CONTOSO,ＡＢＣ,203.0.113.3,Public'
	echo '2024-05-01T10:00:00Z,d1,ws-01,LogonFailed,Network,ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰ,x,203.0.113.4,Public'
	echo '2024-05-01T10:00:00Z,d1,ws-01,LogonFailed,Network,CONTOSO,plain,203.0.113.5,Public'
} >"$WORK/wide/DeviceLogonEvents.csv"
tui_start 100 20 --no-exclusions "$WORK/wide"
tui_expect "row 1/5" "wide names loaded"
if command -v python3 >/dev/null 2>&1; then
	tui_screen >"$WORK/wide.txt"
	python3 - "$WORK/wide.txt" <<'PY' && ok || { fail "columns not lined up"; cat "$WORK/wide.txt" >&2; }
import sys, unicodedata
def width(s):
    w = 0
    for c in s:
        if unicodedata.combining(c):
            continue
        w += 2 if unicodedata.east_asian_width(c) in "WF" else 1
    return w
cols = set()
for line in open(sys.argv[1], encoding="utf-8"):
    i = line.find("Network")
    # The action may be cut (LogonFa…) to leave room for the triage's
    # columns at 100 columns.
    if i >= 0 and "LogonFa" in line:
        cols.add(width(line[:i]))
sys.exit(0 if len(cols) == 1 else 1)
PY
fi
tui_expect_that "a domain wider than its column is cut" eval \
    'tui_screen | grep " 203.0.113.4 " | grep -q "…"'
tui_screen | grep -q "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰ" && fail "the wide domain is not cut" || ok
tui_keys W
tui_expect " ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰ  x " "W shows the whole domain"
tui_keys W
tui_expect_gone "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰ" "W again cuts it"
tui_keys q
tui_exit_status >/dev/null
finish
