#!/bin/sh
# Enter on a result shows the events behind it (as many as Instances says,
# with the histogram), sorted and filtered like the results; Enter on an
# event shows all its columns; q, Esc and Backspace each go back one level
# with the cursor where it was. The group's events, ports and devices are
# counted with awk in the export itself.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"

DATA=$(tui_sample)
: >"$WORK/excl"
"$LOGONHUNT" --batch -f csv --exclusions "$WORK/excl" "$DATA" >"$WORK/batch.csv"
groups=$(($(wc -l <"$WORK/batch.csv") - 1))
row3=$(sed -n 4p "$WORK/batch.csv")
dom3=$(echo "$row3" | cut -d, -f1)
name3=$(echo "$row3" | cut -d, -f2)
type3=$(echo "$row3" | cut -d, -f3)
ip3=$(echo "$row3" | cut -d, -f4)
act3=$(echo "$row3" | cut -d, -f5)
inst3=$(echo "$row3" | cut -d, -f8)
dev3=$(echo "$row3" | cut -d, -f9)

# The third group's events in the export: COLUMN of each, one a line. The
# columns the hunt reads and the port are never quoted in the sample.
group_events() {
	awk -F, -v col="$1" -v dom="$dom3" -v name="$name3" -v type="$type3" \
	    -v ip="$ip3" -v act="$act3" '
	    NR == 1 { sub(/\r$/, ""); sub(/^\357\273\277/, "")
		for (i = 1; i <= NF; i++) c[$i] = i; next }
	    $c["RemoteIPType"] == "Public" && $c["RemoteIP"] == ip &&
	    $c["AccountDomain"] == dom && $c["AccountName"] == name &&
	    $c["LogonType"] == type && $c["ActionType"] == act { print $c[col] }' \
	    "$DATA/DeviceLogonEvents.csv"
}
group_events DeviceName >"$WORK/devices"
[ "$(wc -l <"$WORK/devices")" -eq "$inst3" ] && ok ||
    fail "awk finds $(wc -l <"$WORK/devices") events of the third group, the batch $inst3"
# A device that some of the group's events have, and others not.
dev=$(sort "$WORK/devices" | uniq -c | sort -rn | awk '{ print $2; exit }')
kept=$(grep -ciF -- "$dev" "$WORK/devices")
[ "$kept" -gt 0 ] && [ "$kept" -lt "$inst3" ] && ok || fail "no device in some of the group's events only"
group_events RemotePort | sort -n >"$WORK/ports"
port_min=$(head -n 1 "$WORK/ports") port_max=$(tail -n 1 "$WORK/ports")
[ "$port_min" != "$port_max" ] && ok || fail "the group's ports are all $port_min: sorting is not tested"
ncols=$(head -n 1 "$DATA/DeviceLogonEvents.csv" | tr -d '\r' | awk -F, '{ print NF }')
lastcol=$(head -n 1 "$DATA/DeviceLogonEvents.csv" | tr -d '\r' | awk -F, '{ print $NF }')

tui_start 160 40 --exclusions "$WORK/excl" "$DATA"
tui_expect_status "row 1/$groups" "results shown"
tui_keys Down Down
tui_expect_status "row 3/$groups" "cursor on the third row"
tui_keys Enter
tui_expect "$inst3 events on $dev3 devices" "events screen of the third group"
tui_expect "activity " "time histogram"
tui_expect "InitiatingProcess" "raw columns"
tui_expect "RemotePort" "raw columns"
tui_expect_status "row 1/$inst3" "events list: $inst3 rows"
tui_expect_row 1 "$ip3" "event rows show the group's address"

# Sorting the events: by RemotePort (4) as numbers, then reversed.
tui_keys 4
tui_expect "RemotePort▲" "events sorted by port"
tui_expect_row 1 " $port_min " "the lowest port first"
tui_keys 4
tui_expect "RemotePort▼" "port order reversed"
tui_expect_row 1 " $port_max " "the highest port first"
tui_keys 4
tui_expect "RemotePort▲" "ports ascending again"
tui_keys End
tui_expect_status "row $inst3/$inst3" "End in events"
tui_keys Home Down
tui_expect_status "row 2/$inst3" "second event"

# Every column of the event, scrollable: End reaches the export's last
# column, which does not fit on the first screen.
tui_keys Enter
tui_expect "Event from " "event detail"
tui_expect "AccountSid" "all columns shown"
tui_expect_that "RemoteIP value" eval 'tui_screen | grep -q "^RemoteIP  *$ip3 *\$"'
tui_expect_status "$ncols columns  at 1" "every column counted, the cursor on the first"
tui_screen | grep -q "^$lastcol\( \|\$\)" && fail "$lastcol shown before End: End is not tested" || ok
tui_keys End
tui_expect_status "$ncols columns  at $ncols" "End goes to the last column"
tui_expect_that "End shows $lastcol" eval 'tui_screen | grep -q "^$lastcol\\( \\|\$\\)"'

# Back, back: the cursor is where it was on each level.
tui_keys q
tui_expect_status "row 2/$inst3" "q from the event keeps the events cursor"
tui_expect "RemotePort▲" "events sort kept"
tui_keys Escape
tui_expect_status "row 3/$groups" "Esc from the events keeps the results cursor"
tui_keys Enter
tui_expect "$inst3 events on" "events again"
tui_keys BSpace
tui_expect_status "row 3/$groups" "Backspace from the events keeps the results cursor"

# The filter in the events: a device some events have keeps those and
# drops the others; !device the other way round.
tui_keys Enter
tui_expect "$inst3 events on" "events again"
tui_keys '|'
tui_type "$dev"
tui_keys Enter
tui_expect_status "row 1/$kept (of $inst3)" "filter $dev keeps its $kept events"
tui_expect_that "every event shown is on $dev" eval \
    '[ "$(tui_rows | grep -c .)" -eq "$kept" ] && ! tui_rows | grep -viqF -- "$dev"'
tui_keys '|' C-u
tui_type "!$dev"
tui_keys Enter
tui_expect_status "/$((inst3 - kept)) (of $inst3)" "filter !$dev keeps the other $((inst3 - kept))"
tui_expect_that "no event shown is on $dev" eval '! tui_rows | grep -qiF -- "$dev"'
# Esc clears the filter first (the rows come back), and only then goes back.
tui_keys Escape
tui_expect "filter cleared" "Esc clears the events' filter first"
tui_expect_status "/$inst3" "every event again"
tui_expect_that "the status bar has no filter" eval '! tui_status | grep -qF "(of"'
tui_keys Escape
tui_expect_status "row 3/$groups" "back once more"

tui_keys q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "exit status $st"
tui_terminal_restored && ok || fail "terminal not restored"
finish
