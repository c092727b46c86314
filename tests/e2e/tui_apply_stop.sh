#!/bin/sh
# A switch in the exclusions screen that takes long (every account asked
# again of thousands of rules that match by a substring) shows its
# progress on the message line, and Esc stops it: the change is taken
# back, the file and the results are as they were. Let run, the same
# switch is made, saved, and the funnel says so, as --batch does on the
# saved file.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"

# 20,000 accounts, one group each; [lab] excludes one of them, [vendors]
# has 4,000 rules like *q17z* that match none but must each be tried.
mkdir -p "$WORK/data"
awk -v n=20000 'BEGIN {
	print "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType"
	for (i = 0; i < n; i++)
		printf "2025-03-%02dT%02d:%02d:00Z,dev%03d,host%d,LogonFailed,Network,CORP,user%06d,%d.%d.%d.%d,Public\n", \
		    1 + i % 28, i % 24, i % 60, i % 50, i % 50, i, 20 + i % 150, \
		    int(i / 150) % 256, (i * 7) % 256, 1 + i % 250 }' \
    >"$WORK/data/DeviceLogonEvents.csv"
EXCL="$WORK/excl"
{
	printf '[lab]\naccount CORP\\user000001\n[vendors]\n'
	awk 'BEGIN { for (i = 1; i <= 4000; i++) printf "account *q%dz*\n", i }'
} >"$EXCL"
cp "$EXCL" "$WORK/excl.orig"
# The funnel's count of excluded groups, as --batch gives it for FILE.
excluded() {
	"$LOGONHUNT" --batch --stats -f csv --exclusions "$1" "$WORK/data" \
	    2>"$WORK/stats" >/dev/null
	sed -n 's/^ *removed: exclusions *[0-9]* *(\([0-9]*\) groups).*/\1/p' \
	    "$WORK/stats"
}
before=$(excluded "$EXCL")
[ "$before" = 1 ] && ok || fail "[lab] should exclude one group, --batch says $before"

tui_start 160 40 --exclusions "$EXCL" "$WORK/data"
tui_wait "row 1/" 120 && ok || { fail "the results did not show"; tui_dump; finish; }
tui_expect "excluded (1 group)" "one group excluded at the start"
tui_keys x
tui_expect "[x] account CORP\\user000001" "lab's rule is on"
# To the rule: a search for it.
tui_keys /
tui_type "user000001"
tui_keys Enter
tui_expect_that "the cursor on lab's rule" eval \
    'tui_status | grep -q "line 7/"'
tui_keys Space
if tui_wait "applying the exclusions: addresses and accounts asked" 60; then
	ok
	# The 20,000 accounts (no address rule changed).
	tui_expect_that "the progress says how far it is" eval \
	    'tui_message | grep -q "asked [0-9]* of 20000 ([0-9]*%)  Esc stops"'
else
	fail "no progress line while the switch is applied"
	tui_dump
fi
tui_keys Escape
tui_expect "stopped: the change was not made" "Esc stops the switch"
tui_expect "[x] account CORP\\user000001" "the rule is still on"
cmp -s "$EXCL" "$WORK/excl.orig" && ok || fail "the file changed after the stopped switch"
tui_keys q
tui_expect "excluded (1 group)" "the funnel as it was"
tui_expect_status "row 1/19999 " "the rows as they were"

# Let run: switched off, saved, and the results follow.
tui_keys x
tui_expect "[x] account CORP\\user000001" "back in the exclusions"
tui_expect_that "the cursor still on lab's rule" eval \
    'tui_status | grep -q "line 7/"'
tui_keys Space
tui_wait "[ ] account CORP\\user000001" 120 && ok ||
    { fail "the switch did not finish"; tui_dump; }
tui_expect "switched off" "the switch made"
wait_saved() { _n=0; while cmp -s "$EXCL" "$WORK/excl.orig"; do _n=$((_n + 1)); [ $_n -gt 150 ] && return 1; sleep 0.1; done; }
wait_saved && ok || fail "the switch was not saved"
after=$(excluded "$EXCL")
[ "$after" = 0 ] && ok || fail "--batch on the saved file excludes $after groups"
tui_keys q
tui_expect "excluded (0 groups)" "the funnel after the switch"
tui_expect_status "row 1/20000 " "every row shown"
tui_keys Q
finish
