#!/bin/sh
# The results screen: sorting, search, the live filter, help, hostile log
# fields shown escaped, resizing down to almost nothing and back, quitting
# with the terminal restored. Expected values come from --batch.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"

DATA=$(tui_sample)
cp "$top_srcdir/data/exclusions" "$WORK/excl" 2>/dev/null || : >"$WORK/excl"
"$LOGONHUNT" --batch -f csv --exclusions "$WORK/excl" "$DATA" >"$WORK/batch.csv"
groups=$(($(wc -l <"$WORK/batch.csv") - 1))

tui_start 160 40 --exclusions "$WORK/excl" "$DATA"
tui_expect "row 1/$groups" "results shown with every group"
tui_expect "groups" "funnel in the header"
tui_expect "Instances▼" "default sort shown"

# The first row is the batch summary's first row.
first_ip=$(sed -n 2p "$WORK/batch.csv" | cut -d, -f4)
case "$(tui_row 1)" in *" $first_ip "*) ok ;; *) fail "first row is not $first_ip: $(tui_row 1)" ;; esac

# Sorting by AccountName (column 2) puts the smallest name first, and
# pressing it again reverses.
before=$(tui_row 1)
tui_keys 2
tui_expect "AccountName▲" "sorted by AccountName"
name_asc=$(tail -n +2 "$WORK/batch.csv" | cut -d, -f2 | LC_ALL=C sort | head -n 1)
case "$(tui_row 1)" in *" $name_asc "*) ok ;; *) fail "ascending sort: want $name_asc first, got: $(tui_row 1)" ;; esac
[ "$(tui_row 1)" != "$before" ] && ok || fail "sorting did not change the order"
tui_keys 2
tui_expect "AccountName▼" "sort reversed"
name_desc=$(tail -n +2 "$WORK/batch.csv" | cut -d, -f2 | LC_ALL=C sort | tail -n 1)
case "$(tui_row 1)" in *"$(printf %s "$name_desc" | cut -c1-8)"*) ok ;; *) fail "descending sort: want $name_desc first, got: $(tui_row 1)" ;; esac
tui_keys 8
tui_expect "Instances▼" "back to Instances"

# Search: the cursor lands on the row holding the text; n goes on.
target=$(sed -n 6p "$WORK/batch.csv" | cut -d, -f4)
want=$(tail -n +2 "$WORK/batch.csv" | grep -n -F ",$target," | head -n 1 | cut -d: -f1)
tui_keys /
tui_type "$target"
tui_keys Enter
if tui_wait_status "row $want/$groups"; then ok; else fail "search for $target: want row $want"; tui_status >&2; fi
tui_expect "search: $target" "search shown in the status bar"

# The live filter narrows as it is typed: compare with grep on the batch
# output (no timestamp or count holds these letters).
tui_keys '|'
tui_type "svc_"
n=$(tail -n +2 "$WORK/batch.csv" | grep -ci "svc_")
if tui_wait_status "/$n (of $groups)"; then ok; else fail "filter svc_: want $n rows"; tui_status >&2; fi
tui_type "p"
n=$(tail -n +2 "$WORK/batch.csv" | grep -ci "svc_p")
if tui_wait_status "/$n (of $groups)"; then ok; else fail "filter svc_p: want $n rows"; tui_status >&2; fi
tui_keys Enter
tui_expect "filter: svc_p" "filter kept"
tui_keys Escape
if tui_wait_status "/$groups " 5; then ok; else fail "Esc did not clear the filter"; tui_status >&2; fi

# Hostile fields: ESC sequences, OSC 52 and BEL appear as text, and
# nothing reached the terminal (no clear, no clipboard write).
if grep -q "$(printf '\033')" "$DATA/DeviceLogonEvents.csv"; then
	tui_keys '|'
	tui_type 'x\x1b'
	tui_keys Enter
	tui_expect 'x\x1b[2J\x1b]52' "escape sequence shown escaped"
	tui_expect "filter: x\x1b" "filter shown as typed"
	tui_expect "DeviceLogonEvents" "screen not cleared by the row"
	if [ -z "$(tmx list-buffers 2>/dev/null)" ]; then ok; else fail "OSC 52 reached the terminal: $(tmx list-buffers)"; fi
	tui_keys Escape
fi

# Help comes from the key table: every screen's keys.
tui_keys '?'
tui_expect "logonhunt help" "help opens"
tui_expect "export the marked rows" "help lists export"
tui_keys G
tui_expect "undo the last change" "help lists the other screens' keys"
tui_keys q
tui_expect "Instances▼" "help closes"

# The mouse (xterm reports, as tmux passes them): a click selects a row,
# a click on a column name sorts by it, the wheel scrolls.
click() { tui_type "$(printf '\033[M%s%s%s' "$1" "$(printf "\\$(printf %o $(($2 + 33)))")" "$(printf "\\$(printf %o $(($3 + 33)))")")"; }
tui_keys Home
tui_wait_status "row 1/"
hy=$(tui_screen | grep -n "AccountDomain.*AccountName" | head -n 1 | cut -d: -f1)
click ' ' 5 $((hy + 4))
click '#' 5 $((hy + 4))
if tui_wait_status "row 5/"; then ok; else fail "click did not select the fifth row"; tui_status >&2; fi
click ' ' 20 $((hy - 1))
click '#' 20 $((hy - 1))
tui_expect "AccountName▲" "click on a column name sorts"
click 'a' 5 10
click 'a' 5 10
if tui_wait_status "row 7/"; then ok; else fail "wheel did not scroll"; tui_status >&2; fi
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

# Wide and combining characters keep the columns lined up: the column
# after the names starts at the same display column on every row.
if command -v python3 >/dev/null 2>&1; then
	mkdir -p "$WORK/wide"
	{
		echo 'Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType'
		echo '2024-05-01T10:00:00Z,d1,ws-01,LogonFailed,Network,CONTOSO,田中太郎,203.0.113.1,Public'
		echo '2024-05-01T10:00:00Z,d1,ws-01,LogonFailed,Network,CONTOSO,émile,203.0.113.2,Public'
		echo '2024-05-01T10:00:00Z,d1,ws-01,LogonFailed,Network,CONTOSO,ＡＢＣ,203.0.113.3,Public'
		echo '2024-05-01T10:00:00Z,d1,ws-01,LogonFailed,Network,ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰ,x,203.0.113.4,Public'
		echo '2024-05-01T10:00:00Z,d1,ws-01,LogonFailed,Network,CONTOSO,plain,203.0.113.5,Public'
	} >"$WORK/wide/DeviceLogonEvents.csv"
	tui_start 160 20 --no-exclusions "$WORK/wide"
	tui_expect "row 1/5" "wide names loaded"
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
    if i >= 0 and "LogonFailed" in line:
        cols.add(width(line[:i]))
sys.exit(0 if len(cols) == 1 else 1)
PY
	tui_keys q
	tui_exit_status >/dev/null
fi
finish
