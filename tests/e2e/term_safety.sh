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

# ---------------------------------------------------------------------------
# Issue 11, items 7 to 9: nothing raw reaches a terminal or a spreadsheet.

# on_tty WHAT OUT CMD...: runs CMD with its output on a pseudo-terminal
# (tests/e2e/ptyrun.py), everything the terminal received in OUT. Without
# python3 the part is skipped, unless CI is set.
on_tty() {
	_what=$1; _out=$2; shift 2
	if [ $have_python = 0 ]; then
		if [ -n "${CI:-}" ]; then fail "$_what: python3 is needed for the pty"
		else skip_part "$_what: no python3 for the pty"; fi
		return 1
	fi
	python3 "$top_srcdir/tests/e2e/ptyrun.py" "$_out" "$@" ||
		fail "$_what: exit status $?"
	return 0
}
# no_esc WHAT FILE: not one ESC byte or C1 CSI/OSC in FILE, and termsafe.
no_esc() {
	if LC_ALL=C grep -q "$(printf '\033')" "$2" ||
	    LC_ALL=C grep -q "$(printf '\302[\233\235]')" "$2"; then
		fail "$1: an escape sequence reached the terminal"
	else ok; fi
	safe "$1" "$2"
}

# 7. -f csv and -f json to a terminal: escaped (the hostile row of the
# console's tests sets the clipboard with OSC 52 and clears the screen).
HOSTILE="$top_srcdir/tests/data/tui/hostile"
for f in csv json table; do
	if on_tty "-f $f on a terminal" "$WORK/tty.$f" "$LOGONHUNT" --batch --no-exclusions -f $f "$HOSTILE"; then
		no_esc "-f $f on a terminal" "$WORK/tty.$f"
	fi
done
if on_tty "default format on a terminal" "$WORK/tty.default" "$LOGONHUNT" --batch --no-exclusions "$D"; then
	no_esc "default format on a terminal" "$WORK/tty.default"
fi
if [ -f "$WORK/tty.csv" ]; then
	expect_grep '\x1b]52;c;QQ==\x07,a\x1b[2J,Network,203.0.113.10' "$WORK/tty.csv"
	expect_grep '\u2066D\u2069,b\u202eexe.txt,' "$WORK/tty.csv"
	# JSON stays JSON: the same strings, C1 and bidi as \u escapes.
	expect_grep '"AccountName": "c\u0085n\u009b6n"' "$WORK/tty.json"
	expect_grep '"AccountDomain": "\u2066D\u2069", "AccountName": "b\u202eexe.txt"' "$WORK/tty.json"
	if [ $have_python = 1 ]; then
		python3 -c 'import json,sys; t = open(sys.argv[1], encoding="utf-8").read(); json.loads(t[t.index("\n[") + 1:])' "$WORK/tty.json" &&
			ok || fail "-f json on a terminal is not JSON"
	fi
fi
# To a pipe or a file the data stays exact: the bytes of the export.
expect_status 0 "$LOGONHUNT" --batch --no-exclusions -f csv "$HOSTILE"
if LC_ALL=C grep -q "$(printf '^\033]52;c;QQ==\007,a\033\\[2J,')" "$WORK/out"; then ok; else
	fail "-f csv to a pipe changed the data"; fi
expect_status 0 "$LOGONHUNT" --batch --no-exclusions -f json "$HOSTILE"
expect_grep "$(printf '"AccountName": "c\302\205n\302\2336n"')" "$WORK/out"
expect_grep "$(printf '"AccountName": "b\342\200\256exe.txt"')" "$WORK/out"

# 8. CSV neutralises spreadsheet formulas by default (OWASP: a leading '
# for = + - @ TAB CR), on standard output and with -o; --no-neutralise
# keeps the values exact.
{
	echo "$H"
	printf '2024-05-01T10:00:00Z,d1,ws1,LogonSuccess,Network,"=HYPERLINK(""http://x"",""y"")",+cmd,203.0.113.20,Public\n'
	printf '2024-05-01T10:00:00Z,d1,ws1,LogonSuccess,Network,@SUM(A1),-2+3,203.0.113.21,Public\n'
	printf '2024-05-01T10:00:00Z,d1,ws1,LogonSuccess,Network,CONTOSO,a=b,203.0.113.22,Public\n'
} > "$WORK/formulas.csv"
expect_status 0 "$LOGONHUNT" --batch --no-exclusions -f csv -s RemoteIP:asc --logons "$WORK/formulas.csv"
expect_grep "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+cmd,Network,203.0.113.20," "$WORK/out"
expect_grep "'@SUM(A1),'-2+3,Network,203.0.113.21," "$WORK/out"
expect_grep "CONTOSO,a=b,Network,203.0.113.22," "$WORK/out"
expect_status 0 "$LOGONHUNT" --batch --no-exclusions -s RemoteIP:asc -o "$WORK/formulas.out.csv" --logons "$WORK/formulas.csv"
expect_grep "'@SUM(A1),'-2+3,Network,203.0.113.21," "$WORK/formulas.out.csv"
expect_status 0 "$LOGONHUNT" --batch --no-exclusions --no-neutralise -f csv -s RemoteIP:asc --logons "$WORK/formulas.csv"
expect_grep '"=HYPERLINK(""http://x"",""y"")",+cmd,Network,203.0.113.20,' "$WORK/out"
expect_grep '@SUM(A1),-2+3,Network,203.0.113.21,' "$WORK/out"
# JSON and the table are not for spreadsheets: values as they are.
expect_status 0 "$LOGONHUNT" --batch --no-exclusions -f json --logons "$WORK/formulas.csv"
expect_grep '"AccountDomain": "@SUM(A1)", "AccountName": "-2+3"' "$WORK/out"

# 9. Invisible and direction characters are shown as escapes wherever text
# reaches a terminal: U+200B (adm<U+200B>in looks like admin), U+2060,
# U+FEFF, U+00AD, U+115F, U+3164, U+FFF9, U+061C and the tag U+E0041.
{
	echo "$H"
	printf '2024-05-01T10:00:00Z,d1,ws1,LogonSuccess,Network,C\330\234D,adm\342\200\213in,203.0.113.30,Public\n'
	printf '2024-05-01T10:00:00Z,d1,ws1,LogonSuccess,Network,C,a\342\201\240b\357\273\277c\302\255d,203.0.113.31,Public\n'
	printf '2024-05-01T10:00:00Z,d1,ws1,LogonSuccess,Network,C,\341\205\237x\343\205\244y\357\277\271z\363\240\201\201,203.0.113.32,Public\n'
	printf '2024-05-01T10:00:00Z,d1,ws1,Logon\342\200\213Success,Network,C,w,203.0.113.33,Public\n'
} > "$WORK/invisible.csv"
expect_status 0 "$LOGONHUNT" --batch --no-exclusions -f table -s RemoteIP:asc --logons "$WORK/invisible.csv"
safe "invisible characters, -f table" "$WORK/out" "$WORK/err"
expect_grep 'C\u061cD       adm\u200bin  ' "$WORK/out"
expect_grep 'a\u2060b\ufeffc\u00add' "$WORK/out"
expect_grep '\u115fx\u3164y\ufff9z\U000e0041' "$WORK/out"
expect_grep 'ActionType "Logon\u200bSuccess"' "$WORK/err"
if on_tty "invisible characters, -f csv on a terminal" "$WORK/tty.inv" "$LOGONHUNT" --batch --no-exclusions -f csv --logons "$WORK/invisible.csv"; then
	safe "invisible characters, -f csv on a terminal" "$WORK/tty.inv"
	expect_grep 'adm\u200bin' "$WORK/tty.inv"
fi

# One sanitiser for every note: --note, an imported list's file name and
# comments, a service tag's name. Controls (ESC, BEL, C1, U+2028) become a
# space, runs of spaces one; bidi and invisible characters go.
XN="$WORK/notes"
expect_status 0 "$LOGONHUNT" exclusions --exclusions "$XN" add maintenance ip:192.0.2.1 --create \
	--note "$(printf 'ticket\342\200\256 42 ad\342\200\213min \033[2Jdone\007')"
L="$(printf 'list\302\233x\342\200\250y.txt')"
printf '192.0.2.2  # from \033]52;c;eA==\007 ops\302\205team\n192.0.2.3\n' > "$WORK/$L"
expect_status 0 "$LOGONHUNT" exclusions --exclusions "$XN" import maintenance "$WORK/$L"
TAG="$(printf 'Evil\033]0;t\007\302\233Tag\342\200\217')"
printf '{"changeNumber": 3, "cloud": "Public", "values": [{"name": "%s", "id": "%s", "properties": {"changeNumber": 3, "addressPrefixes": ["198.51.100.0/24"]}}]}\n' "$TAG" "$TAG" > "$WORK/tags.json"
expect_status 0 "$LOGONHUNT" exclusions --exclusions "$XN" import maintenance "$WORK/tags.json" --tag "$TAG"
safe "notes in the exclusions file" "$XN"
expect_grep 'ip 192.0.2.1  # ticket 42 admin [2Jdone' "$XN"
expect_grep 'ip 192.0.2.2  # import:list x y.txt: from ]52;c;eA== ops team' "$XN"
expect_grep 'ip 192.0.2.3  # import:list x y.txt' "$XN"
expect_grep 'ip 198.51.100.0/24  # servicetag:Evil ]0;t Tag changeNumber 3' "$XN"
expect_status 0 "$LOGONHUNT" exclusions --exclusions "$XN" list
safe "exclusions list of sanitised notes" "$WORK/out" "$WORK/err"

# -f table pads by display width, as the console does: East Asian wide
# characters take two columns, combining marks none. The expected columns
# come from Python's unicodedata, not from logonhunt.
{
	echo "$H"
	printf '2024-05-01T10:00:00Z,d1,ws1,LogonSuccess,Network,C,\347\256\241\347\220\206\350\200\205,203.0.113.40,Public\n'
	printf '2024-05-01T10:00:00Z,d1,ws1,LogonSuccess,Network,C,Jose\314\201 Mu\314\210ller,203.0.113.41,Public\n'
	printf '2024-05-01T10:00:00Z,d1,ws1,LogonSuccess,Network,C,plain,203.0.113.42,Public\n'
} > "$WORK/wide.csv"
expect_status 0 env LC_ALL=C.UTF-8 "$LOGONHUNT" --batch --no-exclusions -f table -s RemoteIP:asc --logons "$WORK/wide.csv"
if [ $have_python = 1 ]; then
	python3 - "$WORK/out" <<'PY' && ok || fail "-f table: columns not aligned by display width"
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
cols = set()
for line in open(sys.argv[1], encoding="utf-8").read().splitlines():
    i = line.find("LogonType") if not cols else line.find("Network")
    cols.add(width(line[:i]))
    if len(cols) > 1:
        print("misaligned:", repr(line)); sys.exit(1)
PY
fi

finish
