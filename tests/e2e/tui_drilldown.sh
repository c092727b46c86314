#!/bin/sh
# Enter on a result shows the events behind it (as many as Instances says,
# with the histogram), Enter on an event shows all its columns, and q, Esc
# and Backspace each go back one level with the cursor where it was.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"

DATA=$(tui_sample)
: >"$WORK/excl"
"$LOGONHUNT" --batch -f csv --exclusions "$WORK/excl" "$DATA" >"$WORK/batch.csv"
groups=$(($(wc -l <"$WORK/batch.csv") - 1))
row3=$(sed -n 4p "$WORK/batch.csv")
ip3=$(echo "$row3" | cut -d, -f4)
inst3=$(echo "$row3" | cut -d, -f8)
dev3=$(echo "$row3" | cut -d, -f9)

tui_start 160 40 --exclusions "$WORK/excl" "$DATA"
tui_expect "row 1/$groups" "results shown"
tui_keys Down Down
tui_wait_status "row 3/$groups"
tui_keys Enter
tui_expect "$inst3 events on $dev3 devices" "events screen of the third group"
tui_expect "activity " "time histogram"
tui_expect "InitiatingProcess" "raw columns"
tui_expect "RemotePort" "raw columns"
if tui_wait_status "row 1/$inst3"; then ok; else fail "events list: want $inst3 rows"; tui_status >&2; fi
case "$(tui_row 1)" in *"$ip3"*) ok ;; *) fail "event row lacks $ip3: $(tui_row 1)" ;; esac

# Sorting the events: by RemotePort (4), then reversed.
tui_keys 4
tui_expect "RemotePort▲" "events sorted by port"
tui_keys End
if tui_wait_status "row $inst3/$inst3"; then ok; else fail "End in events"; fi
tui_keys Home Down
tui_wait_status "row 2/$inst3"

# Every column of the event, scrollable.
tui_keys Enter
tui_expect "Event from " "event detail"
tui_expect "AccountSid" "all columns shown"
tui_expect "RemoteIP                          $ip3" "RemoteIP value"
tui_keys End
tui_expect "InitiatingProcessRemoteSessionIP" "scrolls to the last column" ||
    tui_expect "ReportId" "scrolls to the last columns"

# Back, back: the cursor is where it was on each level.
tui_keys q
if tui_wait_status "row 2/$inst3"; then ok; else fail "q from the event lost the events cursor"; tui_status >&2; fi
tui_expect "RemotePort▲" "events sort kept"
tui_keys Escape
if tui_wait_status "row 3/$groups"; then ok; else fail "Esc from the events lost the results cursor"; tui_status >&2; fi
tui_keys Enter
tui_expect "$inst3 events on" "events again"
tui_keys BSpace
if tui_wait_status "row 3/$groups"; then ok; else fail "Backspace from the events lost the results cursor"; tui_status >&2; fi

# Search and filter work in the events too.
tui_keys Enter
tui_expect "$inst3 events on" "events again"
tui_keys '|'
tui_type "$ip3"
tui_keys Enter
if tui_wait_status "filter: $ip3"; then ok; else fail "events filter"; fi
tui_keys Escape
tui_expect "row 3/$groups" "back once more"

tui_keys q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "exit status $st"
tui_terminal_restored && ok || fail "terminal not restored"
finish
