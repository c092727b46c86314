#!/bin/sh
# --batch end to end: hand-worked data sets, formats, options, exit status
# and error messages, and the real Defender portal export.
. "$(dirname "$0")/lib.sh"
D="$top_srcdir/tests/data/handmade"

for parser in fast libcsv; do
	expect_status 0 "$LOGONHUNT" --batch --format csv --csv-parser $parser "$D"
	expect_same "$D/expected.csv" "$WORK/out" "handmade ($parser)"
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
FABRIKAM,"smith, j",Network,2001:db8::10
CONTOSO,administrator,Network,203.0.113.
CONTOSO,guest,Network,233.252.0.1,LogonA
EOT
expect_same "$WORK/want" "$WORK/ips" "--sort RemoteIP"
expect_status 0 "$LOGONHUNT" -b -f csv -s instances:asc "$D"
tail -n 1 "$WORK/out" > "$WORK/last"
printf 'CONTOSO,administrator,Network,203.0.113.9,LogonFailed,2024-05-01T09:30:00.2500000Z,2024-05-02T11:00:00.1234567Z,3,2\n' > "$WORK/want"
expect_same "$WORK/want" "$WORK/last" "--sort instances:asc"

# JSON.
expect_status 0 "$LOGONHUNT" -b -f json "$D"
expect_grep '"AccountName": "smith, j"' "$WORK/out"
expect_grep '"EarliestEvent": null, "LatestEvent": null, "Instances": 1, "DistinctMachines": 1}' "$WORK/out"
if command -v python3 >/dev/null 2>&1; then
	if python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert len(r)==4 and r[0]["Instances"]==3' "$WORK/out"; then ok; else fail "JSON output does not parse or is wrong"; fi
fi

# Table: aligned, with the header.
expect_status 0 "$LOGONHUNT" -b -f table "$D"
expect_grep 'AccountDomain  AccountName    LogonType  RemoteIP' "$WORK/out"

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
# expected rows were read off the file by hand.
P="$REALDATA/log2timeline__plaso/advanced_hunting_test.csv"
if [ -f "$P" ]; then
	expect_status 0 "$LOGONHUNT" -b -f csv --stats --logons "$P"
	cat > "$WORK/want" <<'EOT'
AccountDomain,AccountName,LogonType,RemoteIP,ActionType,EarliestEvent,LatestEvent,Instances,DistinctMachines
,,,2a02:c0:ac::e51:1,ConnectionRequest,2023-12-21T20:00:28.4208480Z,2023-12-21T20:00:28.4208480Z,1,1
,,,51.104.176.40,ConnectionFailed,2023-12-21T19:00:49.6076967Z,2023-12-21T19:00:49.6076967Z,1,1
,,,52.113.194.132,ConnectionFailed,2023-12-21T19:35:03.2628040Z,2023-12-21T19:35:03.2628040Z,1,1
,,,52.98.149.162,ConnectionRequest,2023-12-21T20:00:25.6059050Z,2023-12-21T20:00:25.6059050Z,1,1
EOT
	expect_same "$WORK/want" "$WORK/out" "real portal export"
	expect_grep "DeviceLogonEvents rows               129" "$WORK/err"
	expect_grep 'advanced_hunting_test.csv:72: ActionType "ConnectionFailed" is not a logon' "$WORK/err"
	expect_grep '4 Public rows like it' "$WORK/err"
	expect_status 0 "$LOGONHUNT" -b -f csv --csv-parser libcsv --logons "$P"
	expect_same "$WORK/want" "$WORK/out" "real portal export (libcsv)"
else
	echo "skipping the real export: $P is absent"
fi
finish
