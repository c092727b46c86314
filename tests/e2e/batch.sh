#!/bin/sh
# --batch end to end: hand-worked data sets, each output format against
# output written by hand (tests/data/expected), the default format on a
# terminal and off it, every sort direction, the time window's bounds to
# the tick, options, exit status and error messages, and the real
# Defender portal export (SKIP when it is absent; a failure when
# LOGONHUNT_REQUIRE_REALDATA is set).
. "$(dirname "$0")/lib.sh"
D="$top_srcdir/tests/data/handmade"

for parser in fast libcsv; do
	expect_status 0 "$LOGONHUNT" --batch --format csv --csv-parser $parser "$D"
	expect_same "$D/expected.csv" "$WORK/out" "handmade ($parser)"
done
# The fast parser's structural pass on each of its paths.
for simd in avx2 sse2 scalar; do
	expect_status 0 env LOGONHUNT_SIMD=$simd "$LOGONHUNT" --batch --format csv "$D"
	expect_same "$D/expected.csv" "$WORK/out" "handmade (LOGONHUNT_SIMD=$simd)"
done
expect_status 0 "$LOGONHUNT" -b -f csv --identity-filter=internal "$D"
expect_same "$D/expected-internal.csv" "$WORK/out" "handmade, --identity-filter=internal"

# Files named one by one give the same result as the directory.
expect_status 0 "$LOGONHUNT" -b -f csv --logons "$D/DeviceLogonEvents.csv" \
	--network "$D/DeviceNetworkInfo.csv" --identity "$D/IdentityLogonEvents.csv"
expect_same "$D/expected.csv" "$WORK/out" "handmade via --logons/--network/--identity"

# --input tells each file's table by its content; -r finds exports below DIR.
expect_status 0 "$LOGONHUNT" -b -f csv --input "$D/IdentityLogonEvents.csv" \
	--input "$D/DeviceLogonEvents.csv" --input "$D/DeviceNetworkInfo.csv"
expect_same "$D/expected.csv" "$WORK/out" "handmade via --input"
mkdir -p "$WORK/tree/a/b" && cp "$D"/*.csv "$WORK/tree/a/b/"
expect_status 0 "$LOGONHUNT" -b -f csv -r "$WORK/tree"
expect_same "$D/expected.csv" "$WORK/out" "handmade via --recursive"

# A second logons file is one table with the first: counts double.
expect_status 0 "$LOGONHUNT" -b -f csv --logons "$D/DeviceLogonEvents.csv" "$D"
expect_grep 'CONTOSO,administrator,Network,203.0.113.9,LogonFailed,2024-05-01T09:30:00.2500000Z,2024-05-02T11:00:00.1234567Z,6,2' "$WORK/out"

# Sorting.
expect_status 0 "$LOGONHUNT" -b -f csv -s RemoteIP "$D"
cut -c1-40 "$WORK/out" > "$WORK/ips"
cat > "$WORK/want" <<'EOT'
AccountDomain,AccountName,LogonType,Remo
CONTOSO,administrator,Network,100.64.1.1
CONTOSO,administrator,Network,203.0.113.
CONTOSO,guest,Network,233.252.0.1,LogonA
FABRIKAM,"smith, j",Network,2001:db8::10
EOT
expect_same "$WORK/want" "$WORK/ips" "--sort RemoteIP (addresses as addresses, IPv4 first)"
expect_status 0 "$LOGONHUNT" -b -f csv -s instances:asc "$D"
tail -n 1 "$WORK/out" > "$WORK/last"
printf 'CONTOSO,administrator,Network,203.0.113.9,LogonFailed,2024-05-01T09:30:00.2500000Z,2024-05-02T11:00:00.1234567Z,3,2\n' > "$WORK/want"
expect_same "$WORK/want" "$WORK/last" "--sort instances:asc"

# Every column sorted both ways, and each column's default direction
# (man page: counts and timestamps descending, text ascending; ties
# broken by the five keys ascending, whatever the direction). Four
# groups, one per AccountName, worked out by hand:
#   name   domain    type               RemoteIP      action          n dev earliest     latest
#   alice  CONTOSO   Network            203.0.113.1   LogonFailed     1  1  06-01 10:00  06-01 10:00
#   bob    CONTOSO   Network            203.0.113.2   LogonFailed     3  3  06-03 08:00  06-04 09:00
#   carol  FABRIKAM  Network            198.51.100.3  LogonSuccess    2  1  05-30 12:00  06-05 12:00
#   dave   ADATUM    RemoteInteractive  192.0.2.4     LogonAttempted  4  2  06-02 00:00  06-02 12:00
mkdir "$WORK/sort"
cat > "$WORK/sort/DeviceLogonEvents.csv" <<'EOT'
Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType
2024-06-02T06:00:00Z,dev-2,ws-2,LogonAttempted,RemoteInteractive,ADATUM,dave,192.0.2.4,Public
2024-06-01T10:00:00Z,dev-1,ws-1,LogonFailed,Network,CONTOSO,alice,203.0.113.1,Public
2024-06-03T08:00:00Z,dev-1,ws-1,LogonFailed,Network,CONTOSO,bob,203.0.113.2,Public
2024-06-05T12:00:00Z,dev-4,ws-4,LogonSuccess,Network,FABRIKAM,carol,198.51.100.3,Public
2024-06-03T09:00:00Z,dev-2,ws-2,LogonFailed,Network,CONTOSO,bob,203.0.113.2,Public
2024-06-02T00:00:00Z,dev-1,ws-1,LogonAttempted,RemoteInteractive,ADATUM,dave,192.0.2.4,Public
2024-06-04T09:00:00Z,dev-3,ws-3,LogonFailed,Network,CONTOSO,bob,203.0.113.2,Public
2024-05-30T12:00:00Z,dev-4,ws-4,LogonSuccess,Network,FABRIKAM,carol,198.51.100.3,Public
2024-06-02T12:00:00Z,dev-2,ws-2,LogonAttempted,RemoteInteractive,ADATUM,dave,192.0.2.4,Public
2024-06-02T06:00:00Z,dev-1,ws-1,LogonAttempted,RemoteInteractive,ADATUM,dave,192.0.2.4,Public
EOT
# names_in_order WANT ARGS...: the AccountNames of the rows, in order.
names_in_order() {
	_nw=$1; shift
	"$LOGONHUNT" -b -f csv "$@" --logons "$WORK/sort/DeviceLogonEvents.csv" \
	    > "$WORK/sorted" 2> "$WORK/err" || { fail "exit status $?: $*"; return; }
	_ng=$(tail -n +2 "$WORK/sorted" | cut -d, -f2 | tr '\n' ' ')
	if [ "$_ng" = "$_nw " ]; then ok; else fail "$*: order '$_ng', wanted '$_nw '"; fi
}
names_in_order "dave bob carol alice"
names_in_order "dave bob carol alice" -s Instances
names_in_order "dave bob carol alice" -s Instances:desc
names_in_order "alice carol bob dave" -s Instances:asc
names_in_order "bob dave alice carol" -s DistinctMachines
names_in_order "bob dave alice carol" -s DistinctMachines:desc
names_in_order "alice carol dave bob" -s DistinctMachines:asc
names_in_order "bob dave alice carol" -s EarliestEvent
names_in_order "bob dave alice carol" -s EarliestEvent:desc
names_in_order "carol alice dave bob" -s EarliestEvent:asc
names_in_order "carol bob dave alice" -s LatestEvent
names_in_order "carol bob dave alice" -s LatestEvent:desc
names_in_order "alice dave bob carol" -s LatestEvent:asc
names_in_order "dave alice bob carol" -s AccountDomain
names_in_order "dave alice bob carol" -s AccountDomain:asc
names_in_order "carol alice bob dave" -s AccountDomain:desc
names_in_order "alice bob carol dave" -s AccountName
names_in_order "alice bob carol dave" -s AccountName:asc
names_in_order "dave carol bob alice" -s AccountName:desc
names_in_order "alice bob carol dave" -s LogonType
names_in_order "dave alice bob carol" -s LogonType:desc
names_in_order "dave carol alice bob" -s RemoteIP
names_in_order "bob alice carol dave" -s RemoteIP:desc
names_in_order "dave alice bob carol" -s ActionType
names_in_order "carol alice bob dave" -s ActionType:desc
names_in_order "alice carol bob dave" -s instances:asc
names_in_order "bob alice carol dave" -s remoteip:desc
expect_status 2 "$LOGONHUNT" -b -s Instances:up "$D"

# Every output format against expected output written by hand
# (tests/data/expected/README.md says how each file was made).
E="$top_srcdir/tests/data/expected"
# JSON: parsed, every value compared with the hand-worked expected.csv:
# the keys in the CSV header's order, the counts as numbers, an empty
# timestamp as null.
json_matches_csv() {	# json_matches_csv JSON CSV
	python3 - "$1" "$2" <<'PY'
import csv, json, sys
got = json.load(open(sys.argv[1], encoding="utf-8"))
rows = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))
head, want = rows[0], []
for r in rows[1:]:
    o = dict(zip(head, r))
    for k in ("Instances", "DistinctMachines"):
        o[k] = int(o[k])
    for k in ("EarliestEvent", "LatestEvent"):
        o[k] = o[k] or None
    want.append(o)
ok = got == want and all(list(o) == head for o in got)
if not ok:
    print("JSON: %r\nwanted: %r" % (got, want), file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}
expect_status 0 "$LOGONHUNT" -b -f json "$D"
expect_grep '"AccountName": "smith, j"' "$WORK/out"
if command -v python3 >/dev/null 2>&1; then
	if json_matches_csv "$WORK/out" "$D/expected.csv"; then ok; else fail "JSON output differs from expected.csv"; fi
	# Control characters, quotes, a backslash, U+202E: the JSON string
	# escapes must decode back to the exact values.
	expect_status 0 "$LOGONHUNT" -b -f json --logons "$E/formulas/DeviceLogonEvents.csv"
	if json_matches_csv "$WORK/out" "$E/formulas.csv"; then ok; else fail "JSON output of formulas/ differs from formulas.csv"; fi
else
	skip_part "JSON values: python3 is not installed"
fi

# Table: aligned, the header, escapes.
for f in "$E/handmade.table" "$E/formulas.table"; do
	if awk -v w="$(head -n 1 "$f" | awk '{ print length }')" 'length != w { exit 1 }' "$f"; then ok; else fail "$f: lines of unequal length"; fi
done
expect_status 0 "$LOGONHUNT" -b -f table "$D"
expect_same "$E/handmade.table" "$WORK/out" "handmade as a table"
expect_status 0 "$LOGONHUNT" -b -f table --logons "$E/formulas/DeviceLogonEvents.csv"
expect_same "$E/formulas.table" "$WORK/out" "formulas/ as a table"

# CSV neutralises formulas by default, as the console's export does (the
# README's example writes `> hits.csv`); --no-neutralise keeps every value
# exact.
expect_status 0 "$LOGONHUNT" -b -f csv --logons "$E/formulas/DeviceLogonEvents.csv"
expect_same "$E/formulas-neutralised.csv" "$WORK/out" "formulas/ as CSV"
expect_status 0 "$LOGONHUNT" -b -f csv --no-neutralise --logons "$E/formulas/DeviceLogonEvents.csv"
expect_same "$E/formulas.csv" "$WORK/out" "formulas/ as CSV, --no-neutralise"

# The default format: CSV into a pipe or file, the table on a terminal;
# with -o FILE, CSV (man page: "Without --format, CSV") even when
# standard output is a terminal. script(1) gives the program a terminal.
mkdir "$WORK/hm" && cp "$D"/DeviceLogonEvents.csv "$D"/DeviceNetworkInfo.csv "$D"/IdentityLogonEvents.csv "$WORK/hm/"
expect_status 0 "$LOGONHUNT" -b "$WORK/hm"
expect_same "$D/expected.csv" "$WORK/out" "default format into a file"
"$LOGONHUNT" -b "$WORK/hm" 2>/dev/null | cat > "$WORK/piped"
expect_same "$D/expected.csv" "$WORK/piped" "default format into a pipe"
# on_tty OUT ARGS...: logonhunt ARGS with standard output on a terminal;
# what it printed there (CR LF made LF) goes to OUT, stderr to $WORK/err.
on_tty() {
	_to=$1; shift
	_tq=""
	for _ta in "$LOGONHUNT" "$@"; do
		_tq="$_tq '$(printf %s "$_ta" | sed "s/'/'\\\\''/g")'"
	done
	script -qec "$_tq 2>'$WORK/err'" /dev/null < /dev/null > "$WORK/tty.raw"
	_tr=$?
	tr -d '\r' < "$WORK/tty.raw" > "$_to"
	return $_tr
}
if command -v script >/dev/null 2>&1 &&
    script -qec 'test -t 1' /dev/null < /dev/null > /dev/null 2>&1; then
	if on_tty "$WORK/tty" -b "$WORK/hm"; then ok; else fail "logonhunt on a terminal: exit status $?"; fi
	expect_same "$E/handmade.table" "$WORK/tty" "default format on a terminal"
	rm -f "$WORK/o.out"
	if on_tty "$WORK/tty" -b -o "$WORK/o.out" "$WORK/hm"; then ok; else fail "-o on a terminal: exit status $?"; fi
	expect_same "$D/expected.csv" "$WORK/o.out" "-o FILE without -f, stdout a terminal"
	if [ -s "$WORK/tty" ]; then fail "-o FILE also printed to the terminal"; else ok; fi
	if on_tty "$WORK/tty" -b -f table -o "$WORK/o.out" "$WORK/hm"; then ok; else fail "-o -f table: exit status $?"; fi
	expect_same "$E/handmade.table" "$WORK/o.out" "-o FILE -f table"
	if on_tty "$WORK/tty" -b -f csv "$WORK/hm"; then ok; else fail "-f csv on a terminal: exit status $?"; fi
	expect_same "$D/expected.csv" "$WORK/tty" "-f csv on a terminal"
else
	skip_part "the default format on a terminal: script(1) cannot give logonhunt a terminal here"
fi
rm -f "$WORK/o.out"
expect_status 0 "$LOGONHUNT" -b -o "$WORK/o.out" "$WORK/hm"
expect_same "$D/expected.csv" "$WORK/o.out" "-o FILE without -f"
if [ -s "$WORK/out" ]; then fail "-o FILE also printed to standard output"; else ok; fi

# The funnel.
expect_status 0 "$LOGONHUNT" -b --stats "$D"
expect_grep 'DeviceLogonEvents rows                11' "$WORK/err"
expect_grep 'Public logons                          9' "$WORK/err"
expect_grep 'removed: device IP join              1' "$WORK/err"
expect_grep 'removed: identity join               1' "$WORK/err"
expect_grep 'Events in the summary                  7' "$WORK/err"
expect_grep 'Groups                                 4' "$WORK/err"

# Time window: applied to DeviceLogonEvents before the summary.
expect_status 0 "$LOGONHUNT" -b -f csv --stats --from 2024-05-02 "$D"
cat > "$WORK/want" <<'EOT'
AccountDomain,AccountName,LogonType,RemoteIP,ActionType,EarliestEvent,LatestEvent,Instances,DistinctMachines
CONTOSO,administrator,Network,203.0.113.9,LogonFailed,2024-05-02T11:00:00.1234567Z,2024-05-02T11:00:00.1234567Z,1,1
FABRIKAM,"smith, j",Network,2001:db8::10,LogonSuccess,2024-05-03T14:00:00.0000000Z,2024-05-03T14:00:00.0000000Z,1,1
EOT
expect_same "$WORK/want" "$WORK/out" "--from"
expect_grep 'outside the time window              7' "$WORK/err"
expect_status 0 "$LOGONHUNT" -b -f csv --until 2024-05-01 "$D"
expect_grep 'CONTOSO,administrator,Network,203.0.113.9,LogonFailed,2024-05-01T09:30:00.2500000Z,2024-05-01T10:00:00.0000000Z,2,2' "$WORK/out"
expect_status 0 "$LOGONHUNT" -b -f csv --since 1d --relative-to-data "$D"
if [ "$(wc -l < "$WORK/out")" -eq 2 ]; then ok; else fail "--since 1d --relative-to-data kept $(wc -l < "$WORK/out") lines"; fi
expect_grep 'FABRIKAM,"smith, j",Network,2001:db8::10,LogonSuccess,2024-05-03T14:00:00.0000000Z' "$WORK/out"
# Relative to now (2026 or later), the 2024 data is all outside a week.
expect_status 0 "$LOGONHUNT" -b -f csv --since 7d "$D"
if [ "$(wc -l < "$WORK/out")" -eq 1 ]; then ok; else fail "--since 7d should leave only the header"; fi
expect_status 2 "$LOGONHUNT" -b --since 7x "$D"
expect_status 2 "$LOGONHUNT" -b --from yesterday "$D"
expect_status 2 "$LOGONHUNT" -b --relative-to-data "$D"

# The window's bounds to the tick: --from and --until are both inclusive
# ("at or after, at or before"), a bare date given to --until is the whole
# day, --since is Kusto's Timestamp >= ago(DURATION), and a logon without
# a timestamp is outside every window. One logon per AccountName; the
# names sort in time order.
mkdir "$WORK/window"
{
	echo "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType"
	for e in ,t00-no-ts 2024-06-09T23:59:59.9999999Z,t01-day-before-end \
	    2024-06-10T00:00:00Z,t02-day-start 2024-06-10T07:59:59Z,t03-from-1s \
	    2024-06-10T07:59:59.9999999Z,t04-from-1tick 2024-06-10T08:00:00Z,t05-at-from \
	    2024-06-10T08:00:01Z,t06-from+1s 2024-06-10T17:59:59Z,t07-until-1s \
	    2024-06-10T18:00:00Z,t08-at-until 2024-06-10T18:00:00.0000001Z,t09-until+1tick \
	    2024-06-10T18:00:01Z,t10-until+1s 2024-06-10T23:59:59.9999999Z,t11-day-end \
	    2024-06-11T00:00:00Z,t12-next-day; do
		echo "${e%%,*},dev-1,ws-1,LogonFailed,Network,CONTOSO,${e#*,},203.0.113.7,Public"
	done
} > "$WORK/window/DeviceLogonEvents.csv"
# in_window WANT ARGS...: the logons (by number) that ARGS keep.
in_window() {
	_ww=$1; shift
	"$LOGONHUNT" -b -f csv --stats -s AccountName "$@" --logons "$WORK/window/DeviceLogonEvents.csv" \
	    > "$WORK/kept" 2> "$WORK/err" || { fail "exit status $?: $*"; return; }
	_wg=$(tail -n +2 "$WORK/kept" | cut -d, -f2 | cut -c2-3 | tr '\n' ' ')
	if [ "$_wg" = "$_ww " ]; then ok; else fail "$*: kept '$_wg', wanted '$_ww '"; fi
	_wn=$(printf '%s\n' $_ww | grep -c .)
	expect_grep "outside the time window   $(printf '%12d' $((13 - _wn)))" "$WORK/err"
}
in_window "05 06 07 08" --from 2024-06-10T08:00:00Z --until 2024-06-10T18:00:00Z
in_window "05 06 07 08 09 10 11 12" --from 2024-06-10T08:00:00Z
in_window "05 06 07 08 09 10 11 12" --from 2024-06-10T10:00:00+02:00
in_window "01 02 03 04 05 06 07 08" --until 2024-06-10T18:00:00Z
in_window "01 02 03 04 05 06 07 08 09 10 11" --until 2024-06-10
in_window "02 03 04 05 06 07 08 09 10 11 12" --from 2024-06-10
in_window "02 03 04 05 06 07 08 09 10 11" --from 2024-06-10 --until 2024-06-10
in_window "08" --from 2024-06-10T18:00:00Z --until 2024-06-10T18:00:00Z
# The newest logon is t12 (06-11 00:00): 16 hours back is t05's time.
in_window "05 06 07 08 09 10 11 12" --since 16h --relative-to-data
in_window "05 06 07 08 09 10 11 12" --since 960m --relative-to-data
in_window "04 05 06 07 08 09 10 11 12" --since 57600.0000001s --relative-to-data
# With --from as well, the later lower bound wins.
in_window "05 06 07 08 09 10 11 12" --since 16h --relative-to-data --from 2024-06-10T00:00:00Z
in_window "08 09 10 11 12" --since 16h --relative-to-data --from 2024-06-10T18:00:00Z
# --since from now: a logon a minute inside the hour is in, one a minute
# outside is out (and one in the future is in: no upper bound).
now=$(date -u +%s)
for t in "$((now - 3660)):out" "$((now - 3540)):in" "$((now + 600)):later"; do
	echo "$(date -u -d "@${t%%:*}" +%Y-%m-%dT%H:%M:%SZ),dev-1,ws-1,LogonFailed,Network,CONTOSO,${t#*:},203.0.113.8,Public"
done > "$WORK/recent.rows"
{ head -n 1 "$WORK/window/DeviceLogonEvents.csv"; cat "$WORK/recent.rows"; } > "$WORK/recent.csv"
expect_status 0 "$LOGONHUNT" -b -f csv -s AccountName --since 1h --logons "$WORK/recent.csv"
if [ "$(tail -n +2 "$WORK/out" | cut -d, -f2 | tr '\n' ' ')" = "in later " ]; then ok; else
	fail "--since 1h from now kept: $(tail -n +2 "$WORK/out" | cut -d, -f2 | tr '\n' ' ')"; fi

# Usage errors: exit 2 with a pointer to --help.
expect_status 2 "$LOGONHUNT" -b
expect_grep "no input" "$WORK/err"
expect_status 2 "$LOGONHUNT" -b --format xml "$D"
expect_grep "--format: 'xml' is not csv, json or table" "$WORK/err"
expect_status 2 "$LOGONHUNT" -b --sort Nope "$D"
expect_status 2 "$LOGONHUNT" -b --bogus "$D"
expect_status 2 "$LOGONHUNT" -b --threads 0 "$D"
expect_status 0 "$LOGONHUNT" --help
expect_grep "--identity-filter" "$WORK/out"
expect_status 0 "$LOGONHUNT" --version
expect_grep "logonhunt " "$WORK/out"

# A hostile file name never reaches the terminal raw, nor does an argument.
evil="$WORK/$(printf 'x\033]52;c;aGk=\007')"
mkdir -p "$evil"
expect_status 1 "$LOGONHUNT" -b "$evil"
if tr -d '\n' < "$WORK/err" | grep -q "$(printf '\033')"; then fail "ESC from a file name reached stderr"; else ok; fi
expect_grep 'x\x1b]52;c;aGk=\x07' "$WORK/err"
expect_status 2 "$LOGONHUNT" -b --format "$(printf '\033[2J')" "$D"
expect_grep "--format: '\x1b[2J' is not csv" "$WORK/err"

# Input errors: exit 1, naming file, line and column.
expect_status 1 "$LOGONHUNT" -b "$WORK/nonexistent"
expect_grep "nonexistent: cannot open directory" "$WORK/err"
mkdir "$WORK/empty"
expect_status 1 "$LOGONHUNT" -b "$WORK/empty"
expect_grep "no DeviceLogonEvents export here" "$WORK/err"
mkdir "$WORK/bad"
printf 'Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP\n' > "$WORK/bad/DeviceLogonEvents.csv"
expect_status 1 "$LOGONHUNT" -b "$WORK/bad"
expect_grep "DeviceLogonEvents.csv:1: the header lacks the column RemoteIPType" "$WORK/err"
head -c 300 "$D/DeviceLogonEvents.csv" > "$WORK/bad/DeviceLogonEvents.csv"
printf '2024-05-01T10:00:00Z,d,"unterminated\r\n' >> "$WORK/bad/DeviceLogonEvents.csv"
expect_status 1 "$LOGONHUNT" -b "$WORK/bad"
expect_grep "a quoted field is never closed" "$WORK/err"
# The summary is not printed at all when the input is bad.
if [ -s "$WORK/out" ]; then fail "output written despite an input error"; else ok; fi

# --skip-bad-rows goes on, and says what it skipped.
cp "$D/DeviceLogonEvents.csv" "$WORK/bad/DeviceLogonEvents.csv"
printf '2024-05-01T10:00:00Z,too,few,fields\r\n' >> "$WORK/bad/DeviceLogonEvents.csv"
expect_status 1 "$LOGONHUNT" -b "$WORK/bad"
expect_grep "DeviceLogonEvents.csv:14: the row has 4 fields but the header has 12" "$WORK/err"
expect_status 0 "$LOGONHUNT" -b -f csv --skip-bad-rows "$WORK/bad"
expect_grep "skipped 1 malformed row" "$WORK/err"

# The real Defender portal export (a union of several tables, 96 columns,
# CRLF). Its 4 Public rows come from network events in the union; the
# expected rows were read off the file by hand (equal counts: addresses in
# natural order, IPv4 by value before IPv6).
P="$REALDATA/log2timeline__plaso/advanced_hunting_test.csv"
if need_realdata "the real portal export" "$P"; then
	expect_status 0 "$LOGONHUNT" -b -f csv --stats --logons "$P"
	cat > "$WORK/want" <<'EOT'
AccountDomain,AccountName,LogonType,RemoteIP,ActionType,EarliestEvent,LatestEvent,Instances,DistinctMachines
,,,51.104.176.40,ConnectionFailed,2023-12-21T19:00:49.6076967Z,2023-12-21T19:00:49.6076967Z,1,1
,,,52.98.149.162,ConnectionRequest,2023-12-21T20:00:25.6059050Z,2023-12-21T20:00:25.6059050Z,1,1
,,,52.113.194.132,ConnectionFailed,2023-12-21T19:35:03.2628040Z,2023-12-21T19:35:03.2628040Z,1,1
,,,2a02:c0:ac::e51:1,ConnectionRequest,2023-12-21T20:00:28.4208480Z,2023-12-21T20:00:28.4208480Z,1,1
EOT
	expect_same "$WORK/want" "$WORK/out" "real portal export"
	expect_grep "DeviceLogonEvents rows               129" "$WORK/err"
	expect_grep 'advanced_hunting_test.csv:72: ActionType "ConnectionFailed" is not a logon' "$WORK/err"
	expect_grep '4 Public rows like it' "$WORK/err"
	expect_status 0 "$LOGONHUNT" -b -f csv --csv-parser libcsv --logons "$P"
	expect_same "$WORK/want" "$WORK/out" "real portal export (libcsv)"
	for simd in sse2 scalar; do
		expect_status 0 env LOGONHUNT_SIMD=$simd "$LOGONHUNT" -b -f csv --logons "$P"
		expect_same "$WORK/want" "$WORK/out" "real portal export (LOGONHUNT_SIMD=$simd)"
	done
fi
finish
