#!/bin/sh
# Invisible and direction characters in the console (issue 11, item 9):
# U+200B and its kind drew nothing, so adm<U+200B>in looked exactly like
# admin. The results show them as escapes, nothing of them reaches the
# pane, and a note typed in the console goes through the one note
# sanitiser (bidi and invisible characters removed, controls a space).
. "$(dirname "$0")/tui_lib.sh"

D="$WORK/inv"
mkdir -p "$D"
{
	echo 'Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType'
	printf '2024-05-01T10:00:00Z,d1,ws1,LogonSuccess,Network,C\330\234D,adm\342\200\213in,203.0.113.30,Public\n'
	printf '2024-05-01T10:00:00Z,d1,ws1,LogonSuccess,Network,C,a\342\201\240b\357\273\277c\302\255d,203.0.113.31,Public\n'
	printf '2024-05-01T10:00:00Z,d1,ws1,LogonSuccess,Network,C,\341\205\237x\343\205\244y\357\277\271z\363\240\201\201,203.0.113.32,Public\n'
} >"$D/DeviceLogonEvents.csv"
EXCL="$WORK/exclusions"
printf '[maintenance]\n' >"$EXCL"

tui_start 200 30 --no-mouse --exclusions "$EXCL" "$D"
tui_expect_status "row 1/3" "rows with invisible characters loaded"
tui_keys W
tui_expect "full column widths" "full widths"
for v in 'C\u061cD' 'adm\u200bin' 'a\u2060b\ufeffc\u00add' '\u115fx\u3164y\ufff9z\U000e0041'; do
	tui_expect " $v " "results: $v shown escaped"
done
tui_no_leak "results with invisible characters"
if tmx capture-pane -p | LC_ALL=C grep -q "$(printf '\342\200\213\\|\342\201\240\\|\357\273\277\\|\302\255\\|\343\205\244\\|\363\240\201\201')"; then
	fail "an invisible character reached the pane"
else ok; fi

# A rule added in the console, its note typed with U+202E, U+200B and two
# spaces: the file gets the note without them, the spaces as one.
tui_keys x a
tui_expect "New rule in [" "add prompt"
tui_type "192.0.2.9"
tui_keys Enter
tui_expect "Note" "note asked"
tui_type "$(printf 'ops\342\200\256 ad\342\200\213min  team')"
tui_keys Enter
tui_expect "Expires" "expiry asked"
tui_keys Enter
n=0
while ! grep -q '^ip 192.0.2.9' "$EXCL" && [ $n -lt 150 ]; do n=$((n + 1)); sleep 0.1; done
if grep -qx 'ip 192.0.2.9  # ops admin team' "$EXCL"; then ok; else
	fail "the console's note is not sanitised"; cat -v "$EXCL" >&2; fi
tui_no_leak "exclusions screen"
tui_keys Q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "exit status $st"
tui_stop
finish
