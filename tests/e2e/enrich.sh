#!/bin/sh
# --enrich end to end: MaxMind DB files built here with Debian's
# libmaxmind-db-writer-perl (GeoLite2-Country, GeoLite2-ASN and IPinfo
# Lite layouts), AWS, GCP and MISP range files, and intel as a plain list,
# CSV, MISP CSV, STIX 2.1 and a Tor exit list, all made by
# enrich_reference.py from the sample's addresses; every row's Country,
# ASN, ASOrg, Owner and Intel checked against that script's own
# computation with Python's ipaddress (with the real Azure service tags
# file too where present). Then the formats, the sources report, and
# corrupt, truncated and wrong-type inputs refused with path and reason.
. "$(dirname "$0")/lib.sh"
REF="$top_srcdir/tests/e2e/enrich_reference.py"
MK="$top_srcdir/tests/e2e/mkmmdb.pl"
DATA="$top_srcdir/data"
FX="$WORK/fx"
AZURE="$REALDATA/jensihnow__AzurePublicIPAddressRanges/ServiceTags_Public.json"

need_mmdb_writer

python3 "$REF" make "$FX" "$DATA/DeviceLogonEvents.csv" || { fail "fixtures"; finish; }
for db in country asn ipinfo; do
	perl "$MK" "$FX/$db.spec.json" "$FX/$db.mmdb" || fail "mkmmdb $db"
done
set --
for f in $(cat "$FX/geoip.order"); do set -- "$@" --geoip "$FX/$f"; done
for f in $(cat "$FX/ranges.order"); do set -- "$@" --ranges "$FX/$f"; done
for f in $(cat "$FX/intel.order"); do set -- "$@" --intel "$FX/$f"; done
INPUTS="--logons $DATA/DeviceLogonEvents.csv --logons $FX/extra_logons.csv
	--network $DATA/DeviceNetworkInfo.csv --identity $DATA/IdentityLogonEvents.csv"

# Every column of every row against the reference.
expect_status 0 "$LOGONHUNT" -b -f csv --no-exclusions $INPUTS "$@"
cp "$WORK/out" "$WORK/enriched.csv"
cp "$WORK/err" "$WORK/enriched.err"
if python3 "$REF" check "$FX" "$WORK/enriched.csv" "$DATA/DeviceLogonEvents.csv" \
    "$FX/extra_logons.csv" > "$WORK/check" 2>&1; then ok; else
	fail "enrichment differs from the reference"; head -30 "$WORK/check" >&2; fi
grep 'rows checked' "$WORK/check"

# The header: the summary's columns, then the five, in that order.
head -n 1 "$WORK/enriched.csv" > "$WORK/header"
echo "AccountDomain,AccountName,LogonType,RemoteIP,ActionType,EarliestEvent,LatestEvent,Instances,DistinctMachines,Country,ASN,ASOrg,Owner,Intel" > "$WORK/want"
expect_same "$WORK/want" "$WORK/header" "header with --enrich"

# Without --enrich nothing changes: the same rows as before, no columns.
expect_status 0 "$LOGONHUNT" -b -f csv --no-exclusions $INPUTS
cp "$WORK/out" "$WORK/plain.csv"
cut -d, -f1-9 "$WORK/enriched.csv" > /dev/null
python3 - "$WORK/enriched.csv" "$WORK/out" <<'EOF' && ok || fail "--enrich changed the summary's own columns or rows"
import csv, sys
a = [r[:9] for r in csv.reader(open(sys.argv[1], newline=''))]
b = list(csv.reader(open(sys.argv[2], newline='')))
sys.exit(0 if a == b else 1)
EOF

# Every source named, with what it is and its age.
for f in country.mmdb asn.mmdb ipinfo.mmdb aws.json gcp.json misp_warninglist.json \
    intel.txt intel.csv misp.csv stix.json tor.txt; do
	expect_grep "$FX/$f:" "$WORK/enriched.err"
done
expect_grep "GeoLite2-Country, built $(date -u +%Y-%m-%d), 0 days old" "$WORK/enriched.err"
expect_grep "AWS ip-ranges, " "$WORK/enriched.err"
expect_grep "Google IP ranges, " "$WORK/enriched.err"
expect_grep "MISP warninglist, " "$WORK/enriched.err"
expect_grep "STIX 2.1 bundle, " "$WORK/enriched.err"
expect_grep "(2 other records passed over)" "$WORK/enriched.err"
expect_grep "Tor exit list, " "$WORK/enriched.err"
expect_grep "MISP CSV, " "$WORK/enriched.err"
touch -d '2025-01-01 12:00' "$FX/intel.txt"
expect_status 0 "$LOGONHUNT" -b --no-exclusions --intel "$FX/intel.txt" "$DATA"
days=$(( ($(date -u +%s) - $(date -u -d '2025-01-01 12:00' +%s)) / 86400 ))
expect_grep "intel.txt: address list, " "$WORK/err"
expect_grep "file dated 2025-01-01, $days days old" "$WORK/err"

# JSON and the table carry the columns too.
expect_status 0 "$LOGONHUNT" -b -f json --no-exclusions $INPUTS "$@"
python3 - "$WORK/out" "$WORK/enriched.csv" <<'EOF' && ok || fail "JSON columns differ from CSV"
import csv, json, sys
j = json.load(open(sys.argv[1]))
c = list(csv.DictReader(open(sys.argv[2], newline='')))
cols = ('Country', 'ASN', 'ASOrg', 'Owner', 'Intel')
sys.exit(0 if [[r[k] for k in cols] for r in j] == [[r[k] for k in cols] for r in c] else 1)
EOF
expect_status 0 "$LOGONHUNT" -b -f table --no-exclusions $INPUTS "$@"
expect_grep "Country  ASN" "$WORK/out"

# The real Azure service tags file, with the others.
if need_realdata "Azure service tags" "$AZURE"; then
	expect_status 0 "$LOGONHUNT" -b -f csv --no-exclusions $INPUTS "$@" --ranges "$AZURE"
	if python3 "$REF" check "$FX" "$WORK/out" "$DATA/DeviceLogonEvents.csv" \
	    "$FX/extra_logons.csv" --azure "$AZURE" > "$WORK/check" 2>&1; then ok; else
		fail "enrichment with the Azure file differs"; head -30 "$WORK/check" >&2; fi
	expect_grep ",Azure " "$WORK/out"
	expect_grep "Azure service tags, " "$WORK/err"
fi

# --enrich alone looks in the usual places; here none has a database.
XDG_CONFIG_HOME="$WORK/cfg" expect_status 0 "$LOGONHUNT" -b --no-exclusions --enrich "$DATA"
mkdir -p "$WORK/cfg/logonhunt/geoip"
cp "$FX/country.mmdb" "$WORK/cfg/logonhunt/geoip/"
XDG_CONFIG_HOME="$WORK/cfg" expect_status 0 "$LOGONHUNT" -b -f csv --no-exclusions --enrich "$DATA"
expect_grep "$WORK/cfg/logonhunt/geoip/country.mmdb: GeoLite2-Country" "$WORK/err"

# asn and owner exclusion rules: the rows removed are exactly those whose
# ASN or Owner (checked against the reference above) a rule names, each
# credited to the first rule in file order, and --stats counts them.
python3 - "$WORK/enriched.csv" "$WORK/rules" <<'PY'
import collections, csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
asn = collections.Counter(r['ASN'] for r in rows if r['ASN']).most_common(1)[0][0]
open(sys.argv[2], 'w').write(
    '[maintenance]\nasn AS%s  # the commonest\nowner "aws ec2 *"\n'
    '[siem]\n!owner "GCP *"\nowner "gcp europe-west1"\nasn %s\n' % (asn, asn))
PY
expect_status 0 "$LOGONHUNT" -b -f csv --stats --exclusions "$WORK/rules" $INPUTS "$@"
cp "$WORK/out" "$WORK/excluded.csv"
if python3 - "$WORK/enriched.csv" "$WORK/excluded.csv" "$WORK/err" "$WORK/rules" <<'PY'
import csv, fnmatch, re, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
kept = [r[:9] for r in csv.reader(open(sys.argv[2], newline=''))][1:]
asn = re.search(r'^asn AS(\d+)', open(sys.argv[4]).read(), re.M).group(1)
def glob(p, s):
    return fnmatch.fnmatchcase(s.lower(), p.lower())
rules = [('asn', asn), ('owner', 'aws ec2 *'), ('owner', 'gcp europe-west1'), ('asn', asn)]
hits = [[0, 0] for _ in rules]
want = []
for r in rows:
    for i, (k, v) in enumerate(rules):
        if (k == 'asn' and r['ASN'] == v) or (k == 'owner' and r['Owner'] and glob(v, r['Owner'])):
            hits[i][0] += 1
            hits[i][1] += int(r['Instances'])
            break
    else:
        want.append([r[c] for c in list(r)[:9]])
ok = want == kept and hits[0][0] > 0 and hits[1][0] > 0 and hits[2][0] > 0
err = open(sys.argv[3]).read()
texts = ['AS' + asn, 'aws ec2 *', 'gcp europe-west1', asn]
for t, (g, e) in zip(texts, hits):
    line = re.search(r'^    %s +active +(\d+) groups +(\d+) logons$' % re.escape(t), err, re.M)
    if not line or (int(line.group(1)), int(line.group(2))) != (g, e):
        print('stats for %s: %s, expected %d groups %d logons' % (t, line and line.group(0), g, e))
        ok = False
print('%d rows kept of %d; hits %s' % (len(kept), len(rows), hits))
sys.exit(0 if ok else 1)
PY
then ok; else fail "asn and owner rules removed other rows than the reference"; fi
# Without sources the rules match nothing, and say so; with sources but
# no --enrich option (an asn rule and the default places), no columns.
XDG_CONFIG_HOME="$WORK/empty" expect_status 0 "$LOGONHUNT" -b -f csv --exclusions "$WORK/rules" $INPUTS
expect_grep "$WORK/rules: asn and owner rules match nothing without a GeoIP ASN database (--geoip) or a ranges file (--ranges)" "$WORK/err"
cmp -s "$WORK/out" "$WORK/plain.csv" && ok || fail "rules without sources changed the summary"
mkdir -p "$WORK/cfg2/logonhunt/geoip" && cp "$FX/asn.mmdb" "$WORK/cfg2/logonhunt/geoip/"
XDG_CONFIG_HOME="$WORK/cfg2" expect_status 0 "$LOGONHUNT" -b -f csv --exclusions "$WORK/rules" $INPUTS
expect_grep "$WORK/cfg2/logonhunt/geoip/asn.mmdb: GeoLite2-ASN" "$WORK/err"
head -n 1 "$WORK/out" > "$WORK/header"
echo "AccountDomain,AccountName,LogonType,RemoteIP,ActionType,EarliestEvent,LatestEvent,Instances,DistinctMachines" > "$WORK/want"
expect_same "$WORK/want" "$WORK/header" "header without --enrich"
[ "$(wc -l < "$WORK/out")" -lt "$(wc -l < "$WORK/plain.csv")" ] && ok || fail "the asn rule removed nothing through the default database"
expect_status 0 "$LOGONHUNT" --kql --exclusions "$WORK/rules"
expect_grep "// not expressed: owner aws ec2 * (Kusto has no network owner lookup)" "$WORK/out"

# Refused inputs: path and reason, exit 1, never a crash.
head -c 600 "$FX/country.mmdb" > "$WORK/truncated.mmdb"
expect_status 1 "$LOGONHUNT" -b --no-exclusions --geoip "$WORK/truncated.mmdb" "$DATA"
expect_grep "$WORK/truncated.mmdb: not a usable MaxMind DB file: " "$WORK/err"
expect_status 1 "$LOGONHUNT" -b --no-exclusions --geoip "$FX/aws.json" "$DATA"
expect_grep "$FX/aws.json: not a usable MaxMind DB file: The MaxMind DB file contains invalid metadata" "$WORK/err"
expect_status 1 "$LOGONHUNT" -b --no-exclusions --geoip "$WORK/missing.mmdb" "$DATA"
expect_grep "$WORK/missing.mmdb: not a usable MaxMind DB file: Error opening the specified MaxMind DB file" "$WORK/err"
sed 's/GeoLite2-Country/GeoIP2-Anonymous-IP/' "$FX/country.spec.json" > "$WORK/anon.spec.json"
perl "$MK" "$WORK/anon.spec.json" "$WORK/anon.mmdb"
expect_status 1 "$LOGONHUNT" -b --no-exclusions --geoip "$WORK/anon.mmdb" "$DATA"
expect_grep "$WORK/anon.mmdb: a MaxMind DB of type 'GeoIP2-Anonymous-IP', which holds neither countries nor AS numbers" "$WORK/err"
# Damage in the data section: the database opens, lookups fail and say so.
python3 - "$FX/country.mmdb" "$WORK/damaged.mmdb" <<'EOF'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
meta = b.rfind(b'\xab\xcd\xefMaxMind.com')
# Overwrite the search tree's records with pointers past the data section.
for i in range(0, min(meta, 400)):
    b[i] = 0xff
open(sys.argv[2], 'wb').write(b)
EOF
expect_status 0 "$LOGONHUNT" -b --no-exclusions --geoip "$WORK/damaged.mmdb" "$DATA"
expect_grep "$WORK/damaged.mmdb: lookup failed: " "$WORK/err"

printf '{"prefixes": "x"}' > "$WORK/odd.json"
expect_status 1 "$LOGONHUNT" -b --no-exclusions --ranges "$WORK/odd.json" "$DATA"
expect_grep "$WORK/odd.json: JSON that is none of the range files known" "$WORK/err"
head -c 3000 "$FX/aws.json" > "$WORK/aws-truncated.json"
expect_status 1 "$LOGONHUNT" -b --no-exclusions --ranges "$WORK/aws-truncated.json" "$DATA"
expect_grep "$WORK/aws-truncated.json: not a JSON object" "$WORK/err"
printf '{"name": "Hosts", "type": "hostname", "list": ["a.example"]}' > "$WORK/wl.json"
expect_status 1 "$LOGONHUNT" -b --no-exclusions --ranges "$WORK/wl.json" "$DATA"
expect_grep "$WORK/wl.json: warninglist 'Hosts' is of type 'hostname', not cidr" "$WORK/err"
printf '{"prefixes": [{"ip_prefix": "10.0.0.0/33", "region": "r", "service": "EC2"}]}' > "$WORK/bad.json"
expect_status 1 "$LOGONHUNT" -b --no-exclusions --ranges "$WORK/bad.json" "$DATA"
expect_grep "$WORK/bad.json: AWS EC2 r: '10.0.0.0/33' is not an address range: a prefix length above 32" "$WORK/err"
printf '1.2.3.4\nevil.example\n5.6.7.8/24\n' > "$WORK/list.txt"
expect_status 1 "$LOGONHUNT" -b --no-exclusions --intel "$WORK/list.txt" "$DATA"
expect_grep "$WORK/list.txt:2: 'evil.example' is not an address or range: not an IPv4 or IPv6 address" "$WORK/err"
expect_status 1 "$LOGONHUNT" -b --no-exclusions --intel "$FX/country.mmdb" "$DATA"
expect_grep "$FX/country.mmdb: binary data, not an intel list" "$WORK/err"
printf '{"type": "report", "objects": []}' > "$WORK/stix.json"
expect_status 1 "$LOGONHUNT" -b --no-exclusions --intel "$WORK/stix.json" "$DATA"
expect_grep "$WORK/stix.json: JSON that is not a STIX 2.1 bundle" "$WORK/err"
expect_status 1 "$LOGONHUNT" -b --no-exclusions --intel "$WORK/nope.txt" "$DATA"
expect_grep "$WORK/nope.txt: No such file or directory" "$WORK/err"

finish
