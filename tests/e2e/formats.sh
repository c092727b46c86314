#!/bin/sh
# Every way analysts get the tables gives the right hunt: the hand-made
# tables and lhgen's CSV export, rewritten into each JSON shape
# (tests/e2e/csv2json.py), JSON lines, streaming records, mixed
# directories and gzip, must print the summary that was worked out
# independently: by hand for the hand-made tables
# (tests/data/handmade/expected.csv), by the Python reference
# (tests/e2e/hunt_reference.py) for lhgen's data. Then the real streaming
# records of the Elastic integration (SKIP when absent; a failure when
# LOGONHUNT_REQUIRE_REALDATA is set), and --input.
. "$(dirname "$0")/lib.sh"
: "${LHGEN:?LHGEN must name the lhgen binary}"

if ! command -v python3 > /dev/null 2>&1; then
	echo "python3 not found: skipped (apt-get install python3)"
	exit 77
fi

run() {
	"$LOGONHUNT" --batch --format csv --no-exclusions "$@"
}

# in_every_shape SRC PREFIX EXPECTED WHAT LOGONS NETWORK IDENTITY: the CSV
# tables in SRC rewritten in every shape, plain and gzip-compressed, into
# $WORK/PREFIX<shape>[-gz]; each must give the summary EXPECTED, and
# every row of every table must arrive (the row counts given).
in_every_shape() {
	for variant in defender graph graph-caps loganalytics eventhub eventhub-doc \
	    blob-crlf blob-lf rows array mixed; do
		for gz in "" --gzip; do
			dir="$WORK/$2$variant${gz:+-gz}"
			python3 "$top_srcdir/tests/e2e/csv2json.py" "$variant" \
			    "$1" "$dir" $gz || { fail "csv2json.py $variant $gz ($4)"; continue; }
			expect_status 0 run --stats "$dir"
			expect_same "$3" "$WORK/out" "$4, $variant${gz:+ (gzip)}"
			expect_grep "DeviceLogonEvents rows      $(printf %12d "$5")" "$WORK/err"
			expect_grep "DeviceNetworkInfo rows      $(printf %12d "$6")" "$WORK/err"
			expect_grep "IdentityLogonEvents rows    $(printf %12d "$7")" "$WORK/err"
		done
	done
}

# The hand-made tables give the summary worked out by hand, in every
# shape. (Their logons header ends in CR CR LF, a blank line to logonhunt
# but an empty record to csv2json.py: the copy ends it in CR LF.)
D="$top_srcdir/tests/data/handmade"
mkdir "$WORK/hm"
sed '1s/\r\r$/\r/' "$D/DeviceLogonEvents.csv" > "$WORK/hm/DeviceLogonEvents.csv"
cp "$D/DeviceNetworkInfo.csv" "$D/IdentityLogonEvents.csv" "$WORK/hm/"
expect_status 0 run "$WORK/hm"
expect_same "$D/expected.csv" "$WORK/out" "hand-made tables"
in_every_shape "$WORK/hm" hm- "$D/expected.csv" "hand-made tables" 11 2 2
expect_status 0 run --identity-filter=internal "$WORK/hm-loganalytics-gz"
expect_same "$D/expected-internal.csv" "$WORK/out" "hand-made tables, loganalytics (gzip), --identity-filter=internal"
expect_status 0 run --identity-filter=internal "$WORK/hm-blob-lf"
expect_same "$D/expected-internal.csv" "$WORK/out" "hand-made tables, blob-lf (Isp), --identity-filter=internal"

# lhgen's data, against the Python reference's summary.
"$LHGEN" --seed 7 --logons 3000 "$WORK/csv" > /dev/null || {
	echo "lhgen failed" >&2; exit 99; }
python3 "$top_srcdir/tests/e2e/hunt_reference.py" "$WORK/csv" > "$WORK/base.csv" ||
	fail "hunt_reference.py on lhgen's data"
# The baseline must have found something to compare.
if [ "$(wc -l < "$WORK/base.csv")" -lt 50 ]; then
	fail "the reference summary has too few groups"
fi
expect_status 0 run "$WORK/csv"
expect_same "$WORK/base.csv" "$WORK/out" "lhgen's CSV export"
in_every_shape "$WORK/csv" "" "$WORK/base.csv" "lhgen's data" 3000 150 300

# Streams hold other tables' records: skipped, and counted once per file.
expect_status 0 run "$WORK/blob-crlf"
expect_grep "DeviceLogonEvents.json: skipped 429 streaming records of tables the hunt does not read (AdvancedHunting-DeviceProcessEvents: 429)" "$WORK/err"
expect_status 0 run --stats "$WORK/blob-crlf"
expect_grep "Other tables' records                429  (streaming export; skipped)" "$WORK/err"
# ... and not as Public logons: those are counted from the CSV by Python.
pub=$(python3 -c '
import csv, glob, sys
n = 0
for f in glob.glob(sys.argv[1] + "/DeviceLogonEvents*.csv"):
    with open(f, newline="", encoding="utf-8-sig") as fh:
        n += sum(1 for r in csv.DictReader(fh) if r["RemoteIPType"] == "Public")
print(n)' "$WORK/csv")
expect_grep "$(printf 'Public logons               %12s' "$pub")" "$WORK/err"

# All variants in one directory count every row once per copy: here the
# point is only that mixed formats side by side load, so compare counts.
mkdir "$WORK/all"
for variant in defender loganalytics-gz blob-lf; do
	for f in "$WORK/$variant"/*; do
		cp "$f" "$WORK/all/$variant-$(basename "$f")"
	done
done
expect_status 0 run --stats "$WORK/all"
expect_grep "DeviceLogonEvents rows              9000" "$WORK/err"

# The multi-threaded JSON lines reader and one thread agree.
expect_status 0 run --threads 1 "$WORK/blob-lf"
expect_same "$WORK/base.csv" "$WORK/out" "blob-lf, --threads 1"

# A corrupt gzip stream names the file and the byte.
mkdir "$WORK/badgz"
cp "$WORK/blob-lf-gz/PT1H.log.gz" "$WORK/badgz/DeviceLogonEvents.log.gz"
size=$(wc -c < "$WORK/badgz/DeviceLogonEvents.log.gz")
head -c $((size / 2)) "$WORK/blob-lf-gz/PT1H.log.gz" > "$WORK/badgz/DeviceLogonEvents.log.gz"
expect_status 1 run "$WORK/badgz"
expect_grep "DeviceLogonEvents.log.gz: the gzip data ends early, at compressed byte" "$WORK/err"

# The hunt's result exported from Sentinel or Defender loads as the
# results table: CSV, and Log Analytics JSON, gzip-compressed.
expect_status 0 run --logons "$WORK/base.csv"
expect_same "$WORK/base.csv" "$WORK/out" "summary CSV as the result"
python3 - "$WORK/base.csv" "$WORK/summary.json" <<'EOT'
import csv, gzip, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
head = rows[0]
num = ("Instances", "DistinctMachines")
doc = {"tables": [{"name": "PrimaryResult",
                   "columns": [{"name": c, "type": "long" if c in num else "string"}
                               for c in head],
                   "rows": [[int(v) if c in num else v for c, v in zip(head, r)]
                            for r in rows[1:]]}]}
with gzip.open(sys.argv[2] + ".gz", "wt") as f:
    json.dump(doc, f, indent=1)
EOT
expect_status 0 run --logons "$WORK/summary.json.gz"
expect_same "$WORK/base.csv" "$WORK/out" "summary as Log Analytics JSON, gzip"
# Found in a directory, a summary is skipped: it may be last run's output.
cp "$WORK/base.csv" "$WORK/csv/results.csv"
expect_status 0 run "$WORK/csv"
expect_same "$WORK/base.csv" "$WORK/out" "directory with a summary in it"
expect_grep "results.csv: skipped: it holds the hunt's summary" "$WORK/err"
rm "$WORK/csv/results.csv"

# The real streaming records (not redistributed). The one logon comes
# from 67.43.156.1, which DeviceNetworkInfo assigns to the device itself,
# so the first anti-join removes it (read off the records by hand).
EL="$REALDATA/elastic__integrations"
if need_realdata "the Elastic streaming records" "$EL/test-device.log.excerpt" \
    "$EL/test-app-and-identity.log.excerpt"; then
	mkdir "$WORK/elastic"
	cp "$EL/test-device.log.excerpt" "$WORK/elastic/test-device.log"
	cp "$EL/test-app-and-identity.log.excerpt" "$WORK/elastic/test-app-and-identity.log"
	expect_status 0 run --stats "$WORK/elastic"
	printf 'AccountDomain,AccountName,LogonType,RemoteIP,ActionType,EarliestEvent,LatestEvent,Instances,DistinctMachines\n' > "$WORK/want"
	expect_same "$WORK/want" "$WORK/out" "elastic streaming records"
	expect_grep "DeviceLogonEvents rows                 1" "$WORK/err"
	expect_grep "DeviceNetworkInfo rows                 1  (4 distinct device IPs)" "$WORK/err"
	expect_grep "IdentityLogonEvents rows               1" "$WORK/err"
	expect_grep "Public logons                          1" "$WORK/err"
	expect_grep "removed: device IP join              1" "$WORK/err"
	expect_grep "Events in the summary                  0" "$WORK/err"
	# Given as files, whatever their names.
	expect_status 0 run --stats --input "$EL/test-device.log.excerpt" \
	    --input "$EL/test-app-and-identity.log.excerpt"
	expect_grep "removed: device IP join              1" "$WORK/err"
fi

# A column named twice is refused in JSON as in a CSV header.
mkdir -p "$WORK/dup"
printf '{"Timestamp":"2024-01-01T00:00:00Z","DeviceId":"d","DeviceName":"n","ActionType":"LogonFailed","LogonType":"Network","AccountDomain":"C","AccountName":"a","AccountName":"b","RemoteIP":"1.1.1.1","RemoteIPType":"Public"}\n' > "$WORK/dup/DeviceLogonEvents.jsonl"
expect_status 1 "$LOGONHUNT" -b "$WORK/dup"
expect_grep "DeviceLogonEvents.jsonl:1: the record names AccountName twice" "$WORK/err"
printf '{"tables":[{"name":"PrimaryResult","columns":[{"name":"Timestamp","type":"datetime"},{"name":"DeviceId","type":"string"},{"name":"DeviceName","type":"string"},{"name":"ActionType","type":"string"},{"name":"LogonType","type":"string"},{"name":"AccountDomain","type":"string"},{"name":"AccountName","type":"string"},{"name":"RemoteIP","type":"string"},{"name":"RemoteIPType","type":"string"},{"name":"RemoteIP","type":"string"}],"rows":[["2024-01-01T00:00:00Z","d","n","LogonFailed","Network","C","a","1.1.1.1","Public","2.2.2.2"]]}]}' > "$WORK/dup/DeviceLogonEvents.jsonl"
expect_status 1 "$LOGONHUNT" -b "$WORK/dup"
expect_grep "columns 8 and 10 are both named RemoteIP" "$WORK/err"
finish
