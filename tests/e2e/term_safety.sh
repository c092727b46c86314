#!/bin/sh
# Terminal safety of --batch: data holding ESC, CSI, OSC (window title,
# OSC 52 clipboard writes), DCS, BEL, backspace, CR, DEL, C1 controls and
# bidi overrides must come out of `-f table`, and out of every message,
# escaped; invalid UTF-8 in a column the hunt reads stops the load with a
# message naming the line and column, and elsewhere loads and is never
# printed raw. (The console's own test of this runs it in tmux.)
. "$(dirname "$0")/lib.sh"
XDG_CONFIG_HOME="$WORK/config"
export XDG_CONFIG_HOME
H='Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType'
have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1

# safe WHAT FILE...: nothing a terminal would act on.
safe() {
	what=$1; shift
	if [ $have_python = 1 ]; then
		if python3 "$top_srcdir/tests/e2e/termsafe.py" "$@" >&2; then ok; else
			fail "$what: output not safe for a terminal"; fi
	elif LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$@"; then
		fail "$what: raw control characters"
	else ok; fi
}

# Hostile text in every column the summary shows. printf's \033 is ESC,
# \007 BEL, \010 backspace, \r CR, \177 DEL, \302\233 the C1 CSI,
# \342\200\256 U+202E RIGHT-TO-LEFT OVERRIDE.
D="$WORK/data"
mkdir -p "$D"
{
	echo "$H,InitiatingProcessCommandLine"
	printf '2024-05-01T10:00:00Z,d1,ws1,LogonSuccess,Network,"CON\033[2JTOSO","adm\033]52;c;aGVsbG8=\007in","203.0.113.9\342\200\256",Public,"cmd \377\376 /c"\n'
	printf '2024-05-01T10:00:00Z,d2,ws2,"Logon\033]0;owned\033\\Failed","Net\010\010work","C\rD","x\033P+q\033\\y\302\233z\177",198.51.100.7,Public,\n'
	# Not Public: never used, so its bytes are not even checked.
	printf '2024-05-01T10:00:00Z,d3,ws3,LogonSuccess,Network,C,"bad\377",10.0.0.1,Private,\n'
} > "$D/DeviceLogonEvents.csv"

expect_status 0 "$LOGONHUNT" --batch --no-exclusions -f table "$D"
safe "table output" "$WORK/out" "$WORK/err"
expect_grep 'CON\x1b[2JTOSO  adm\x1b]52;c;aGVsbG8=\x07in' "$WORK/out"
expect_grep '203.0.113.9\u202e' "$WORK/out"
expect_grep 'C\rD ' "$WORK/out"
expect_grep ' x\x1bP+q\x1b\\y\x9bz\x7f ' "$WORK/out"
expect_grep ' Net\x08\x08work ' "$WORK/out"
expect_grep 'Logon\x1b]0;owned\x1b\\Failed' "$WORK/out"
# The warning about the odd ActionType quotes it escaped too.
expect_grep 'ActionType "Logon\x1b]0;owned\x1b\\Failed" is not a logon'"'"'s' "$WORK/err"
if [ "$(wc -l < "$WORK/out")" -eq 3 ]; then ok; else fail "table: expected a header and two rows"; fi

# The same through --stats, with an exclusions file whose description
# and note hold escape sequences too.
printf '[maintenance]\ndescription = evil\033]52;c;eA==\007 desc\nip 198.51.100.7  # note \033[2J\342\200\256\n' > "$WORK/excl"
expect_status 0 "$LOGONHUNT" --batch --stats -f table --exclusions "$WORK/excl" "$D"
safe "table and --stats with exclusions" "$WORK/out" "$WORK/err"
expect_grep 'removed: exclusions                  1' "$WORK/err"
expect_status 0 "$LOGONHUNT" exclusions --exclusions "$WORK/excl" list
safe "exclusions list" "$WORK/out" "$WORK/err"
expect_grep 'note \x1b[2J\u202e' "$WORK/out"

# Invalid UTF-8 in a hunted column of a Public row: an error that names
# the line and the column.
{
	echo "$H"
	printf '2024-05-01T10:00:00Z,d1,ws1,LogonSuccess,Network,C,ok,203.0.113.9,Public\n'
	printf '2024-05-01T10:00:00Z,d1,ws1,LogonSuccess,Network,"C\033[31m",\377\033]52;c;eA==\007,203.0.113.9,Public\n'
} > "$WORK/utf8.csv"
expect_status 1 "$LOGONHUNT" --batch --no-exclusions -f table --logons "$WORK/utf8.csv"
expect_grep 'utf8.csv:3: column 7 (AccountName): invalid UTF-8' "$WORK/err"
safe "invalid UTF-8 error" "$WORK/out" "$WORK/err"

# A bad timestamp is quoted in a warning: escaped.
{
	echo "$H"
	printf '"\033]52;c;eA==\007\342\200\256",d1,ws1,LogonSuccess,Network,C,a,203.0.113.9,Public\n'
} > "$WORK/ts.csv"
expect_status 0 "$LOGONHUNT" --batch --no-exclusions -f table --logons "$WORK/ts.csv"
expect_grep 'Timestamp "\x1b]52;c;eA==\x07\u202e" is not an ISO 8601 timestamp' "$WORK/err"
safe "bad timestamp warning" "$WORK/out" "$WORK/err"

# A header naming nothing the hunt knows is quoted in the error: escaped.
printf '\033]52;c;eA==\007\033[2J,DeviceId\n' > "$WORK/header.csv"
expect_status 1 "$LOGONHUNT" --batch --no-exclusions --logons "$WORK/header.csv"
expect_grep 'Its header starts with "\x1b]52;c;eA==\x07\x1b[2J"' "$WORK/err"
safe "header error" "$WORK/out" "$WORK/err"

# A damaged exclusions file is quoted in the error: escaped.
printf '[maintenance]\nfoo\033]52;c;eA==\007 bar\n' > "$WORK/badexcl"
expect_status 1 "$LOGONHUNT" --batch -f table --exclusions "$WORK/badexcl" "$D"
expect_grep "badexcl:2: unknown rule kind 'foo'" "$WORK/err"
safe "exclusions error" "$WORK/out" "$WORK/err"
expect_status 1 "$LOGONHUNT" --kql --exclusions "$WORK/badexcl"
safe "exclusions error (--kql)" "$WORK/out" "$WORK/err"

# JSON: escapes decode to the same controls, which come out escaped.
printf '%s\n' '{"Timestamp":"2024-05-01T10:00:00Z","DeviceId":"d","DeviceName":"n","ActionType":"LogonSuccess","LogonType":"Network","AccountDomain":"A\u001b]52;c;eA==\u0007","AccountName":"b\u202e\u0008\u009b","RemoteIP":"1.2.3.4","RemoteIPType":"Public"}' > "$WORK/rows.jsonl"
expect_status 0 "$LOGONHUNT" --batch --no-exclusions -f table --logons "$WORK/rows.jsonl"
expect_grep 'A\x1b]52;c;eA==\x07  b\u202e\x08\x9b' "$WORK/out"
safe "table from JSON" "$WORK/out" "$WORK/err"

finish
