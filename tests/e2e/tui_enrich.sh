#!/bin/sh
# The enrichment in the console, on the sample with the databases, range
# and intel files enrich_reference.py makes (enrich.sh checks their values
# against the reference): the columns are hidden without a source and
# shown with them, as --batch gives them; I keeps the rows intel knows; o
# counts groups, logons and machines per country, checked against a
# computation from the raw export; the events screen names the group's
# country and intel; a summary export carries the columns.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"
DATA=$(tui_sample)
FX="$WORK/fx"

tui_enrich_fixtures "$FX" "$DATA"
# The console's allowlist is $WORK/xdg/logonhunt/exclusions, empty at
# first.
EXCL="$WORK/xdg/logonhunt/exclusions"
mkdir -p "$WORK/xdg/logonhunt" && : > "$EXCL"
set -- --geoip "$FX/country.mmdb" --geoip "$FX/asn.mmdb" \
	--ranges "$FX/aws.json" --intel "$FX/stix.json" --intel "$FX/tor.txt"
"$LOGONHUNT" -b -f csv --exclusions "$EXCL" "$@" "$DATA" > "$WORK/batch.csv" 2>/dev/null || fail "batch run"

# No source: no enrichment column.
tui_start 220 30 --no-exclusions "$DATA"
tui_expect "DistinctMachines" "results without enrichment"
tui_screen | grep -q "Country" && fail "a Country column without any source" || ok
tui_keys Q
tui_stop

tui_start 220 30 "$@" "$DATA"
tui_expect_that "the enrichment columns" eval 'tui_screen | grep -qE "Country +ASN "'
tui_expect "enrichment: country.mmdb 0 d, asn.mmdb 0 d, aws.json 0 d, stix.json 0 d, tor.txt 0 d" "the sources and their age"
# The first rows hold what --batch gives them (same order: Instances, keys).
for n in 1 2 3 4 5; do
	want=$(python3 -c '
import csv, sys
r = list(csv.DictReader(open(sys.argv[1], newline="")))[int(sys.argv[2]) - 1]
print(" ".join(x for x in (r["Country"], r["ASN"]) if x) or r["RemoteIP"])' "$WORK/batch.csv" "$n")
	got=$(tui_row "$n" | tr -s ' ')
	case "$got" in *"$want"*) ok ;; *) fail "row $n: '$want' not in '$got'" ;; esac
done

# Sorting by Country (chosen with s, whose menu starts at the current
# sort, Instances, four above it: DistinctMachines and the triage's
# Status and Verdict come between): the smallest code
# first, reversed the largest, the unknown last either way.
read -r lo hi <<EOF2
$(python3 -c '
import csv, sys
c = sorted({r["Country"] for r in csv.DictReader(open(sys.argv[1], newline="")) if r["Country"]})
print(c[0], c[-1])' "$WORK/batch.csv")
EOF2
tui_keys s Down Down Down Down Enter
tui_expect "sort Country" "s chooses Country"
tui_expect_row 1 "  $lo  " "sorted by Country"
tui_keys r Home
tui_expect "sort Country▼" "r reverses"
tui_expect_row 1 "  $hi  " "sorted by Country, reversed"
tui_keys End
tui_screen | head -n -2 | tail -n 1 > "$WORK/lastrow"
grep -q "  $hi  \|  $lo  " "$WORK/lastrow" && fail "the unknown do not sort last: $(cat "$WORK/lastrow")" || ok
tui_keys 8 Home
tui_expect "sort Instances" "back to Instances"

# I: the rows intel knows, as many as --batch has with an Intel value.
nintel=$(python3 -c '
import csv, sys
print(sum(1 for r in csv.DictReader(open(sys.argv[1], newline="")) if r["Intel"]))' "$WORK/batch.csv")
tui_keys I
tui_expect "only the rows threat intel knows: $nintel (I shows all)" "I"
tui_expect_status "row 1/$nintel" "I: the rows counted"
# The event detail of an intel row shows the group's Intel value.
intel1=$(python3 -c '
import csv, sys
r = [r for r in csv.DictReader(open(sys.argv[1], newline="")) if r["Intel"]][0]
print(r["Intel"][:20])' "$WORK/batch.csv")
tui_keys Enter
tui_expect "Intel! $intel1" "the events screen's intel"
tui_keys Enter
tui_expect "Intel! $intel1" "the event detail's intel"
tui_keys q q
tui_keys I
tui_expect "every row again: " "I again"

# o: groups, logons and machines per country, from the raw export.
tui_keys o
tui_expect "Groups, logons and machines by country, AS and network owner" "o"
python3 - "$WORK/batch.csv" "$DATA/DeviceLogonEvents.csv" > "$WORK/freq" <<'PY'
import csv, sys
keys = ('AccountDomain', 'AccountName', 'LogonType', 'RemoteIP', 'ActionType')
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
country = {tuple(r[k] for k in keys): r['Country'] for r in rows}
g, e, m = {}, {}, {}
for r in rows:
    g[r['Country']] = g.get(r['Country'], 0) + 1
    e[r['Country']] = e.get(r['Country'], 0) + int(r['Instances'])
for ev in csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8-sig')):
    k = tuple(ev[c] for c in keys)
    if ev['RemoteIPType'] == 'Public' and k in country:
        m.setdefault(country[k], set()).add(ev['DeviceId'])
for c in sorted(g, key=lambda c: (-g[c], -e[c], c)):
    print('%10d %10d %10d  %s' % (g[c], e[c], len(m.get(c, ())), c or '(unknown)'))
PY
head -n 8 "$WORK/freq" | while IFS= read -r line; do
	if tui_wait "$line" 2; then echo ok; else echo "fail $line"; fi
done > "$WORK/freqcheck"
grep -q '^fail' "$WORK/freqcheck" && { fail "frequency view: $(grep '^fail' "$WORK/freqcheck" | head -3)"; tui_dump; } || ok
[ "$(grep -c '^ok' "$WORK/freqcheck")" -ge 5 ] && ok || fail "too few countries to check"
tui_keys q

# The events screen names the group's country and intel.
want=$(python3 -c '
import csv, sys
r = list(csv.DictReader(open(sys.argv[1], newline="")))[0]
print("Country " + r["Country"])' "$WORK/batch.csv")
tui_keys Home
tui_expect_row 1 "$(head -n 2 "$WORK/batch.csv" | tail -n 1 | cut -d, -f4)" "Home"
tui_keys Enter
tui_expect "$want" "the events screen's line"
tui_keys q

# e proposes the row's AS; saved, the asn rule removes every group of that
# AS, as many as --batch shows with it, in the preview and after.
read -r asn downs ngr nall <<EOF2
$(python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
r = rows[0]
n = sum(1 for x in rows if x["ASN"] == r["ASN"])
# this address, its network, [this account], the account in any domain
print(r["ASN"], 3 if r["AccountDomain"] else 2, n, len(rows))' "$WORK/batch.csv")
EOF2
tui_keys Home e
tui_expect "its AS $asn" "e proposes the AS"
i=0; while [ $i -lt "$downs" ]; do tui_keys Down; i=$((i + 1)); done
tui_keys Down Enter
tui_expect "a new category..." "the categories"
tui_keys Enter
tui_expect "Note (why it is known-good):" "the note"
tui_keys Enter
tui_expect "asn $asn in [maintenance] would remove $ngr of the groups shown" "the preview counts the AS's groups"
tui_keys y
tui_expect "excluded asn $asn: $ngr group" "saved"
tui_expect "events in $((nall - ngr)) groups" "the groups left"
grep -qx "asn $asn" "$EXCL" && ok || fail "the file lacks 'asn $asn'"
tui_keys x
tui_expect "asn" "the rule in the exclusions screen"
tui_keys q

# A summary export carries the columns, as --batch writes them.
tui_keys E
tui_expect "Export all" "export asks"
tui_keys c C-u
tui_type "$WORK/export.csv"
tui_keys Enter
tui_wait_file "$WORK/export.csv" || fail "no export"
"$LOGONHUNT" -b -f csv --exclusions "$EXCL" "$@" "$DATA" > "$WORK/batch2.csv" 2>/dev/null
# The triage's Status, Verdict and Note come first after DistinctMachines
# (as --with-triage writes them; tui_triage.sh checks their values);
# without them the rest is the batch's.
python3 - "$WORK/export.csv" "$WORK/export-notriage.csv" <<'PY' && ok || fail "the export's triage columns"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
ok = rows[0][8:12] == ["DistinctMachines", "Status", "Verdict", "Note"]
w = csv.writer(open(sys.argv[2], "w", newline=""), lineterminator="\n")
for r in rows:
    w.writerow(r[:9] + r[12:])
sys.exit(0 if ok else 1)
PY
expect_same "$WORK/batch2.csv" "$WORK/export-notriage.csv" "the console's summary export"
tui_keys Q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "exit status $st"
tui_stop
finish
