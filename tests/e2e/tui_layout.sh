#!/bin/sh
# The layout at 80x24, 100x30 and 160x50, with and without the enrichment
# columns: the counts (Instances, DistinctMachines) on every row whatever
# the width, times in full when there is room and shorter when not
# (2025-03-03 00:15, then 03-03 00:15), RemoteIP whole, text columns
# sharing the rest, labels whole (a name or its abbreviation) even with
# no rows, V showing a cut row whole, the events screen's DeviceName and
# the event detail's column names as wide as the screen allows. Expected
# values come from the --batch CSV (read with Python's csv module) and
# from the export's own header line.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"

DATA=$(tui_sample)
"$LOGONHUNT" --batch -f csv --no-exclusions "$DATA" >"$WORK/batch.csv" 2>/dev/null ||
    fail "batch run"
groups=$(($(wc -l <"$WORK/batch.csv") - 1))

# check_rows FORM [ENRICHED]: every data row on the screen holds, after its
# text, the times of the batch's row of the same rank in FORM (full:
# 2025-03-03 00:15:14, minutes: 2025-03-03 00:15, short: 03-03 00:15),
# then its Instances and DistinctMachines; without ENRICHED nothing is
# cut off on the right (no >), an IPv4 RemoteIP shows whole, and at least
# the first five characters of the AccountName. What is wrong goes to
# $WORK/why.
check_rows() {
	tui_screen >"$WORK/screen.txt"
	python3 - "$WORK/batch.csv" "$WORK/screen.txt" "$1" "${2:-}" >"$WORK/why" <<'PY'
import csv, re, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
lines = open(sys.argv[2], encoding="utf-8").read().split("\n")
form, enriched = sys.argv[3], sys.argv[4] == "enriched"
head = next((i for i, l in enumerate(lines) if re.search(r"Dom.*Acc", l)), None)
if head is None:
    print("no column header on the screen")
    sys.exit(1)
shown = [l for l in lines[head + 1:-3] if l.strip()]
def t(v):
    v = v.replace("T", " ")[:19]
    return {"full": v, "minutes": v[:16], "short": v[5:16]}[form]
bad = []
if not shown:
    bad.append("no rows on the screen")
if not enriched and lines[head].rstrip().endswith(">"):
    bad.append("the header is cut on the right: " + lines[head])
for k, line in enumerate(shown):
    r = rows[k]
    pat = (re.escape(t(r["EarliestEvent"])) + r"\s+" + re.escape(t(r["LatestEvent"])) +
           r"\s+" + r["Instances"] + r"\s+" + r["DistinctMachines"] + r"(\s|$)")
    if not re.search(pat, line):
        bad.append("row %d lacks '%s %s %s %s': %s" % (k + 1, t(r["EarliestEvent"]),
                   t(r["LatestEvent"]), r["Instances"], r["DistinctMachines"], line))
    if not enriched and line.rstrip().endswith(">"):
        bad.append("row %d is cut on the right: %s" % (k + 1, line))
    if enriched:
        continue
    if ":" not in r["RemoteIP"] and " %s " % r["RemoteIP"] not in line:
        bad.append("row %d: RemoteIP %s not whole: %s" % (k + 1, r["RemoteIP"], line))
    if r["AccountName"][:5] not in line:
        bad.append("row %d: AccountName %s not even begun: %s" % (k + 1, r["AccountName"], line))
for b in bad[:5]:
    print(b)
sys.exit(1 if bad else 0)
PY
}

# labels_whole LINE-PATTERN: the column header line holds no cut label:
# each word is a column's name or its abbreviation (docs/console.md).
labels_whole() {
	tui_screen | grep -m 1 -- "$1" | python3 -c '
import sys
ok = {"AccountDomain", "Domain", "AccountName", "Account", "LogonType", "Type",
      "RemoteIP", "ActionType", "Action", "EarliestEvent", "Earliest",
      "LatestEvent", "Latest", "Instances", "Inst", "DistinctMachines", "Mach",
      "Country", "CC", "ASN", "ASOrg", "Owner", "Intel",
      "Status", "Stat", "Verdict", "Verd"}
line = sys.stdin.read().strip()
words = [w.rstrip("▲▼2").rstrip("▲▼") for w in line.split()]
bad = [w for w in words if w not in ok]
print(" ".join(bad) if bad else "", end="")
sys.exit(1 if bad or not words else 0)'
}

# times_alike: the two times are labelled alike, both by their names or
# both by their abbreviations (never Earliest beside LatestEvent).
times_alike() {
	_h=$(tui_screen | grep -m 1 -- "Dom.*Acc")
	_e=0 _l=0
	case "$_h" in *EarliestEvent*) _e=1 ;; esac
	case "$_h" in *LatestEvent*) _l=1 ;; esac
	[ "$_e" = "$_l" ] && case "$_h" in *Earliest*Latest*) true ;; *) false ;; esac
}

# The summary's own columns are laid out without the triage ledger
# (--no-ledger); its Status and Verdict are checked at 80x24 below. Each
# console starts afresh (--fresh): no session puts back a sort, a cursor
# or W from the one before.
name1=$(python3 -c 'import csv,sys; print(list(csv.DictReader(open(sys.argv[1])))[0]["AccountName"])' "$WORK/batch.csv")
for size in "80 24 short" "100 30 minutes" "160 50 full"; do
	set -- $size
	tui_start "$1" "$2" --fresh --no-ledger --no-exclusions "$DATA"
	tui_expect_status "row 1/$groups" "$1x$2: results"
	tui_expect_that "$1x$2: counts, times ($3), addresses on every row" check_rows "$3" ||
	    cat "$WORK/why" >&2
	tui_expect_that "$1x$2: every label whole" labels_whole "Domain.*Account"
	tui_expect_that "$1x$2: the times labelled alike" times_alike
	# Full widths show everything, scrolled sideways.
	if [ "$1" -lt 160 ]; then
		tui_keys W
		tui_expect "full column widths" "$1x$2: W"
		tui_expect_that "$1x$2: W: $name1 whole, the table cut on the right" eval \
		    'tui_row 1 | grep -q " $name1 .*>\$"'
		tui_keys W
		tui_expect "columns cut to fit" "$1x$2: W again"
		tui_expect_that "$1x$2: fitted again" check_rows "$3" || cat "$WORK/why" >&2
	fi
	tui_keys Q
	tui_exit_status >/dev/null
	tui_stop
done

# With the triage ledger at 80x24: Status and Verdict under their short
# labels at the right edge, the counts and the addresses still whole, the
# names cut shorter to make the room.
tui_start 80 24 --fresh --no-exclusions "$DATA"
tui_expect_status "row 1/$groups" "80x24 with the triage"
tui_expect_that "80x24: the counts, then Stat and Verd, nothing cut on the right" eval \
    'tui_screen | grep -qE "Inst▼ +Mach +Stat +Verd *\$"'
ip1=$(python3 -c 'import csv,sys; print(list(csv.DictReader(open(sys.argv[1])))[0]["RemoteIP"])' "$WORK/batch.csv")
# (The labels of the names are cut, so the first row is found under the
# counts' labels.)
trow1() { tui_screen | awk '/Inst▼/ { getline; print; exit }'; }
tui_expect_that "80x24: RemoteIP $ip1 whole beside the triage's columns" eval \
    'trow1 | grep -qF " $ip1 "'
tui_expect_that "80x24: the first row's status" eval 'trow1 | grep -qE " (new|seen) *\$"'
tui_expect_that "80x24 with the triage: the times labelled alike" times_alike
tui_keys Q
tui_exit_status >/dev/null
tui_stop

# A cut cell ends in the mark, and V shows the row whole: at 80 columns
# the first row's AccountName (administrator) is cut.
tui_start 80 24 --fresh --no-ledger --no-exclusions "$DATA"
tui_expect_status "row 1/$groups" "80x24 for V"
tui_expect_that "row 1 shows $name1 cut, with the mark" eval \
    'tui_row 1 | grep -q " ${name1%"${name1#?????}"}[^ ]*… " && ! tui_row 1 | grep -q " $name1 "'
tui_keys V
tui_expect "Row 1 of $groups, every cell whole" "V opens the row"
python3 - "$WORK/batch.csv" >"$WORK/cells" <<'PY'
import csv, sys
r = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))[0]
for k, v in r.items():
    if k in ("EarliestEvent", "LatestEvent"):
        v = v.replace("T", " ")[:19]
    print("%s\t%s" % (k, v))
PY
while IFS="$(printf '\t')" read -r k v; do
	tui_expect_that "V: $k is '$v' whole" eval \
	    'tui_screen | grep -qE "^$k +$(printf %s "$v" | sed "s/[.]/[.]/g")\$|^$k\$"'
done <"$WORK/cells"
tui_expect_status "Row  9 columns" "the status bar names the screen"
tui_keys q
tui_expect_status "row 1/$groups" "q goes back to the row"
# With the column cursor (Tab, from the sort's column, Instances, to the
# second) V opens on that column's cell.
tui_keys Tab Tab Tab V
tui_expect_status "Row  9 columns  at 2" "V opens on the column cursor's cell"
tui_keys q
tui_expect_status "row 1/$groups" "back again"
# With no rows shown (a filter matching nothing) the labels stay.
before=$(tui_screen | grep -m 1 "Domain.*Account")
tui_keys '|'
tui_type "zzzz-no-such"
tui_keys Enter
tui_expect_status "row 0/0 (of $groups)" "a filter matching nothing"
tui_expect_that "the same labels without rows" eval \
    '[ "$(tui_screen | grep -m 1 "Domain.*Account")" = "$before" ]'
tui_keys Q
tui_exit_status >/dev/null
tui_stop

# No logon in the --since window: the labels whole at 80 columns, the
# full names at 160.
for size in "80 24" "160 30"; do
	set -- $size
	tui_start "$1" "$2" --fresh --no-ledger --no-exclusions --since 1h "$DATA"
	tui_expect_status "row 0/0" "$1x$2: an empty window"
	tui_expect_that "$1x$2: no row, every label whole" labels_whole "Domain.*Account"
	if [ "$1" = 160 ]; then
		tui_expect "AccountDomain  AccountName  LogonType  RemoteIP  ActionType  EarliestEvent  LatestEvent  Instances▼  DistinctMachines" \
		    "160 columns: every name in full"
	fi
	tui_keys Q
	tui_exit_status >/dev/null
	tui_stop
done

# The events screen: DeviceName as wide as its widest value at 160
# columns (the names of the first group's events, from the export).
python3 - "$WORK/batch.csv" "$DATA/DeviceLogonEvents.csv" >"$WORK/devices" <<'PY'
import csv, sys
g = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))[0]
keys = ("AccountDomain", "AccountName", "LogonType", "RemoteIP", "ActionType")
for r in csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")):
    if all(r[k] == g[k] for k in keys):
        print(r["DeviceName"])
PY
ip1=$(python3 -c 'import csv,sys; print(list(csv.DictReader(open(sys.argv[1])))[0]["RemoteIP"])' "$WORK/batch.csv")
long=$(awk '{ print length($0), $0 }' "$WORK/devices" | sort -rn | awk '{ print $2; exit }')
[ "${#long}" -gt 20 ] && ok || fail "the first group's longest device name ($long) is short: nothing is tested"
devices_whole() {
	tui_rows | awk -v ip="$ip1" '$0 ~ ip { for (i = 1; i < NF; i++) if ($(i + 1) == ip) print $i }' >"$WORK/shown"
	[ -s "$WORK/shown" ] && ! grep -vxFf "$WORK/devices" "$WORK/shown" >/dev/null
}
tui_start 160 50 --fresh --no-ledger --no-exclusions "$DATA"
tui_expect_status "row 1/$groups" "160x50"
tui_keys Enter
tui_expect "Timestamp▲" "the first group's events"
tui_expect_that "every DeviceName shown whole" devices_whole
tui_keys G
tui_expect_that "DeviceName whole at the end too" devices_whole
tui_keys g
# V on an event row shows its cells whole.
tui_keys V
tui_expect "Row 1 of " "V on an event"
tui_keys q
# The event detail: every column name of the export whole (60 rows
# hold them all).
tmx resize-window -x 160 -y 60
tui_keys Enter
tui_expect "Event from " "the event detail"
head -n 1 "$DATA/DeviceLogonEvents.csv" | tr -d '\r' | tr , '\n' >"$WORK/names"
names_whole() {
	tui_screen | awk '{ print $1 }' >"$WORK/detail"
	! grep -vxFf "$WORK/detail" "$WORK/names" >/dev/null
}
tui_expect_that "every column name whole (the longest is $(awk '{ print length }' "$WORK/names" | sort -n | tail -n 1))" names_whole
tui_screen | grep -q "…" && fail "a cut name on the event detail" || ok
tui_keys Q
tui_exit_status >/dev/null
tui_stop

# Long IPv6 addresses on every row: RemoteIP is cut last but shares too
# (down to 15 columns before the text goes under 8), so at 80 columns the
# account names still show their first 6 characters.
mkdir -p "$WORK/v6"
awk 'BEGIN {
	print "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType"
	for (i = 0; i < 20; i++)
		printf "2024-05-01T10:00:%02dZ,d1,ws-01,LogonFailed,Network,CONTOSO,analyst.user%02d,2001:db8:aaaa:bbbb:cccc:dddd:eeee:%04x,Public\n", i, i, i
}' >"$WORK/v6/DeviceLogonEvents.csv"
tui_start 80 24 --fresh --no-ledger --no-exclusions "$WORK/v6"
tui_expect_status "row 1/20" "20 groups from IPv6 addresses"
tui_expect_that "the account names keep 6 characters beside IPv6" eval \
    '[ "$(tui_rows | grep -c " analys")" -ge 15 ]'
tui_expect_that "the counts stay" eval \
    '[ "$(tui_rows | grep -cE " 1 +1 *\$")" -ge 15 ]'
tui_keys Q
tui_exit_status >/dev/null
tui_stop

# A group too big to be read when opened (12,000 events, over 2,000): the raw
# columns of the rows on the screen are read before the layout, so the
# first frame already gives a long FailureReason its width.
mkdir -p "$WORK/big"
reason=AccountRestrictionPreventsThisLogonNow
awk -v r="$reason" 'BEGIN {
	print "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType,RemotePort,Protocol,FailureReason"
	for (i = 0; i < 12000; i++)
		printf "2024-05-01T%02d:%02d:%02dZ,d1,ws-01,LogonFailed,Network,CONTOSO,bob,203.0.113.9,Public,%d,NTLM,%s\n", 10 + i / 3600, i / 60 % 60, i % 60, 1024 + i % 60000, r
}' >"$WORK/big/DeviceLogonEvents.csv"
tui_start 160 30 --fresh --no-ledger --no-exclusions "$WORK/big"
tui_expect_status "row 1/1" "one big group"
tui_keys Enter
tui_expect "12000 events on 1 device" "its events"
tui_expect_that "the first frame shows $reason whole" eval \
    'tui_row 1 | grep -q " $reason *\$"'
tui_keys Q
tui_exit_status >/dev/null
tui_stop
# At 66 columns the text is down to three characters, but the count,
# wider than its label (Inst, with the sort on two other columns), is
# never cut (12000, not 120…).
tui_start 66 24 --no-exclusions "$WORK/big"
tui_expect_status "row 1/1" "66 columns"
tui_keys 1 2
tui_expect "sort AccountName▲, AccountDomain▲" "sorted by two text columns"
tui_expect_that "66 columns: Instances 12000 whole" eval \
    'tui_screen | grep " 203[.]0[.]1" | grep -q " 12000"'
tui_keys Q
tui_exit_status >/dev/null
tui_stop

# With the enrichment columns (databases written as tui_enrich.sh does):
# the counts on every row at every size, and at 160 columns the columns
# fit.
FX="$WORK/fx"
tui_enrich_fixtures "$FX" "$DATA"
for size in "80 24 short" "100 30 short" "160 50 minutes"; do
	set -- $size
	tui_start "$1" "$2" --fresh --no-ledger --no-exclusions --geoip "$FX/country.mmdb" \
	    --geoip "$FX/asn.mmdb" --ranges "$FX/aws.json" --intel "$FX/stix.json" \
	    --intel "$FX/tor.txt" "$DATA"
	tui_expect_status "row 1/$groups" "$1x$2 with enrichment"
	tui_expect_that "$1x$2 with enrichment: the counts on every row" \
	    check_rows "$3" enriched || cat "$WORK/why" >&2
	tui_expect_that "$1x$2 with enrichment: the times labelled alike" times_alike
	if [ "$1" = 160 ]; then
		tui_expect_that "160x50: every enrichment column on the screen" eval \
		    'tui_screen | grep -m 1 "Domain.*Account" | grep -qE "(Country|CC) +ASN +ASOrg +Owner +Intel *\$"'
	fi
	tui_keys Q
	tui_exit_status >/dev/null
	tui_stop
done
finish
