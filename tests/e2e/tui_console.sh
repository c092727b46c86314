#!/bin/sh
# The console as a new user meets it (issue 12): e proposes rules that
# remove the row they were made from (an IPv4-mapped address, a zone, an
# account with a backslash), offers a device rule, and works on the
# events screen. Every removal is checked with --batch on the saved file.
# q (or Q) with marked rows asks before quitting.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"
wait_file_grep() { _n=0; while ! grep -qF -- "$1" "$2"; do _n=$((_n + 1)); [ $_n -gt 150 ] && return 1; sleep 0.1; done; }

# Four groups, one a row; each row is the only one of its group, and the
# devices differ so a device rule removes only its row.
mkdir -p "$WORK/odd" "$WORK/xdg/logonhunt"
cat > "$WORK/odd/DeviceLogonEvents.csv" <<'EOT'
Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType
2024-06-01T10:00:00Z,d1,ws-1,LogonFailed,Network,C,alice,0:0:0:0:0:ffff:102:304,Public
2024-06-01T11:00:00Z,d2,ws-2,LogonFailed,Network,C,bob,::1,Public
2024-06-01T12:00:00Z,d3,ws-3,LogonFailed,Network,C,carol,2a03:2880::1%eth0,Public
2024-06-01T13:00:00Z,d4,ws-4,LogonFailed,Network,D\x,a\b,198.51.100.7,Public
EOT
EXCL="$WORK/xdg/logonhunt/exclusions"
printf '[maintenance]\ndescription = known-good\n' > "$EXCL"
batch() { "$LOGONHUNT" -b -f csv --exclusions "$EXCL" --logons "$WORK/odd/DeviceLogonEvents.csv" > "$WORK/batch.csv"; }
gone() {	# gone TEXT WHAT RULE: once RULE is in the file, no --batch row holds TEXT
	wait_file_grep "$3" "$EXCL" || { fail "$2: '$3' never saved"; cat "$EXCL" >&2; }
	batch
	if grep -qF -- "$1" "$WORK/batch.csv"; then fail "$2: $1 still in --batch"; cat "$WORK/batch.csv" >&2; else ok; fi
}

tui_start 160 30 --logons "$WORK/odd/DeviceLogonEvents.csv"
tui_expect_status "row 1/4" "four groups"
# Labels say what they count, one in the singular.
tui_expect "4 groups from 4 logons. ? lists the keys." "the first message counts logons"
tui_expect "− 0 logons from device IPs − 0 from identity IPs − 0 excluded (0 groups)" "the funnel's figures are logons"
# goto_row TEXT N: moves the cursor to the row holding TEXT (of N rows).
goto_row() {
	tui_keys Home
	tui_wait_status "row 1/$2"
	_i=1
	while ! tui_row_has "$_i" "$1" && [ "$_i" -lt "$2" ]; do _i=$((_i + 1)); tui_keys Down; done
	tui_expect_status "row $_i/$2" "cursor on the row of $1"
}
# The mapped address (an IPv6 address to the sort, as to Python's
# ipaddress: between ::1 and 2a03:2880::1).
tui_keys 4
tui_expect "RemoteIP▲" "sorted by address"
tui_expect_row 2 "::1 " "::1 second, after the IPv4 address"
tui_expect_row 3 "0:0:0:0:0:ffff:102:304" "the mapped address third"
goto_row "ffff:102:304" 4
tui_keys e
tui_expect "Exclude from now on" "e on the mapped address"
tui_expect "this address 1.2.3.4" "the address as the matcher reads it"
tui_expect "its network 1.2.3.0/24" "its IPv4 /24, not ::/64"
tui_expect "this device ws-1" "a device rule offered"
tui_keys Enter
tui_expect "In which category?" "category asked"
tui_keys Enter
tui_expect "Note" "note asked"
tui_type "mapped"
tui_keys Enter
tui_expect "ip 1.2.3.4 in [maintenance] would remove 1 of the groups shown (1 events)" "the preview counts the row"
tui_keys y
tui_expect "excluded ip 1.2.3.4" "saved"
tui_expect "− 1 excluded (1 group) → 3 events in 3 groups" "one group in the singular"
tui_expect_status "/3" "one group fewer"
wait_file_grep "ip 1.2.3.4  # mapped" "$EXCL" && ok || { fail "rule not saved"; cat "$EXCL" >&2; }
gone "ffff:102:304" "the mapped row" "ip 1.2.3.4"
grep -qF "::1," "$WORK/batch.csv" && ok || fail "::1 was removed with the mapped row"

# A zone: 2a03:2880::1, its /64 (a public network: the linter warns that
# a link-local one can never match a Public logon).
goto_row "2a03:2880::1%eth0" 3
tui_keys e
tui_expect "this address 2a03:2880::1" "the zone dropped"
tui_keys Down Enter
tui_expect "In which category?" "category asked for the network"
tui_keys Enter
tui_expect "Note" "note asked for the network"
tui_keys Enter
tui_expect "ip 2a03:2880::/64 in [maintenance] would remove 1 of the groups shown" "the /64 holds the zone's row"
tui_keys y
tui_expect_status "/2" "the zone's row gone"
gone "2a03:2880::1%eth0" "the zone's row" "ip 2a03:2880::/64"

# The account with backslashes: D*x\a*b.
goto_row "198.51.100.7" 2
tui_keys e
tui_expect 'this account D*x\a*b' "backslashes offered as *"
tui_keys Down Down Enter
tui_expect "In which category?" "category asked for the account"
tui_keys Enter
tui_expect "Note" "note asked for the account"
tui_keys Enter
tui_expect 'account D*x\a*b in [maintenance] would remove 1 of the groups shown' "the account rule holds its row"
tui_keys y
tui_expect_status "/1" "the account's row gone"
gone "198.51.100.7" "the backslash account's row" 'account D*x\a*b'

# e on the events screen: the event's device.
tui_keys Home Enter
tui_expect "Timestamp" "events screen"
tui_expect "1 event on 1 device" "events and devices in the singular"
tui_expect "highlighted: the cursor's event" "the histogram's legend says what is drawn"
tui_keys e
tui_expect "Exclude from now on" "e works on the events screen"
tui_expect "this device ws-2" "the event's device offered"
tui_keys Down Down Down Down Enter
tui_expect "In which category?" "category asked for the device"
tui_keys Enter
tui_expect "Note" "note asked for the device"
tui_keys Enter
tui_expect "device ws-2 in [maintenance] would remove 1 of the groups shown (1 events)" "the device rule holds its event"
tui_keys y
tui_expect "excluded device ws-2" "device rule saved"
gone "::1," "the device's row" "device ws-2"
tui_keys Q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "Q without marks: status $st"
tui_stop

# q with marked rows quits at once: the marks are kept for the next
# session on the same inputs, so nothing is lost and nothing is asked.
tui_start 120 30 --no-exclusions "$(tui_sample)"
tui_expect_status "row 1/" "results for the quit"
# Unknown keys are named as the keyboard labels them.
tui_keys F7
tui_expect "F7 does nothing here" "F7 named, not 'key 271'"
tui_keys C-x
tui_expect "Ctrl-X does nothing here" "Ctrl-X named"
tui_keys Space Space
tui_expect_status "marked 2" "two rows marked"
tui_keys q
tui_expect_that "q with marked rows quits without a question" eval \
    '[ "$(tui_exit_status)" = 0 ]'
tui_stop
tui_start 120 30 --no-exclusions "$(tui_sample)"
tui_expect_status "marked 2" "the marks are back on the same inputs"
tui_expect "session restored" "the restore is said"
tui_keys Enter
tui_expect "Timestamp" "Q from the events screen"
tui_keys Q
tui_expect_that "Q quits at once too" eval '[ "$(tui_exit_status)" = 0 ]'
finish
