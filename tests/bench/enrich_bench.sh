#!/usr/bin/env bash
# enrich_bench.sh [--rows N] [--workdir DIR] [--runs N]
#
# What --enrich costs on the hunt over lhgen data (lhgen --seed 1 --logons
# N, default 1,000,000, shared with bench.sh in WORKDIR/data-N): the hunt
# alone, then the same with a country and an ASN MaxMind DB, the full
# Azure service tags file and a 100,000-entry intel list, each --runs
# times (default 5); prints the medians and the overhead.
#
# The databases are written with libmaxmind-db-writer-perl (100,000
# networks each, every /24 of the data's public addresses among them, the
# rest random), the intel list holds every 20th public address of the data
# and random others; both are cached in WORKDIR. The Azure file is the real
# one ($LOGONHUNT_REALDATA, default ../shared/realdata beside the source);
# without it the run is reported as such.
set -euo pipefail

rows=1000000
workdir=/tmp/lh-bench
runs=5
while [ $# -gt 0 ]; do
	case "$1" in
	--rows) rows=${2:?}; shift 2 ;;
	--workdir) workdir=${2:?}; shift 2 ;;
	--runs) runs=${2:?}; shift 2 ;;
	*) sed -n '2,3p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
	esac
done
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
logonhunt=${LOGONHUNT:-./logonhunt}
lhgen=${LHGEN:-./tests/lhgen}
mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)
note() { printf '%s\n' "$*" >&2; }

data=$workdir/data-$rows
stamp_want="lhgen --seed 1 --logons $rows"
if [ "$(cat "$data/.complete" 2>/dev/null || true)" != "$stamp_want" ]; then
	note "generating $rows logons into $data ..."
	rm -rf "$data.tmp" "$data"
	"$lhgen" --seed 1 --logons "$rows" "$data.tmp"
	printf '%s\n' "$stamp_want" >"$data.tmp/.complete"
	mv "$data.tmp" "$data"
fi

src=$workdir/enrich-$rows
if [ ! -f "$src/.complete" ]; then
	note "writing the databases and the intel list into $src ..."
	rm -rf "$src" && mkdir -p "$src"
	"$logonhunt" --batch --format csv --no-exclusions "$data" | python3 -c '
import csv, ipaddress, json, random, sys
out = sys.argv[1]
random.seed(1)
ips = sorted({r["RemoteIP"] for r in csv.DictReader(sys.stdin)})
v4 = []
for s in ips:
    try:
        a = ipaddress.ip_address(s)
    except ValueError:
        continue
    if a.version == 4:
        v4.append(a)
nets = {str(ipaddress.ip_network("%s/24" % a, strict=False)) for a in v4}
while len(nets) < 100000:
    nets.add(str(ipaddress.ip_network("%d.%d.%d.0/24" % (random.randint(1, 223),
        random.randint(0, 255), random.randint(0, 255)))))
nets = sorted(nets)
cc = ["DE", "NL", "FR", "US", "BR", "JP", "CN", "RU", "GB", "IE"]
json.dump({"type": "GeoLite2-Country", "ip_version": 6, "networks":
    [[n, {"country": {"iso_code": cc[i % 10]}}] for i, n in enumerate(nets)]},
    open(out + "/country.spec.json", "w"))
json.dump({"type": "GeoLite2-ASN", "ip_version": 6, "networks":
    [[n, {"autonomous_system_number": 64512 + i % 1000,
          "autonomous_system_organization": "Org %d" % (i % 1000)}]
     for i, n in enumerate(nets)]}, open(out + "/asn.spec.json", "w"))
intel = {str(a) for a in v4[::20]}
while len(intel) < 100000:
    intel.add("%d.%d.%d.%d" % (random.randint(1, 223), random.randint(0, 255),
        random.randint(0, 255), random.randint(1, 254)))
open(out + "/intel.txt", "w").write("\n".join(sorted(intel)) + "\n")
' "$src"
	perl "$srcdir/tests/e2e/mkmmdb.pl" "$src/country.spec.json" "$src/country.mmdb"
	perl "$srcdir/tests/e2e/mkmmdb.pl" "$src/asn.spec.json" "$src/asn.mmdb"
	touch "$src/.complete"
fi

realdata=${LOGONHUNT_REALDATA:-$srcdir/../shared/realdata}
azure=$realdata/jensihnow__AzurePublicIPAddressRanges/ServiceTags_Public.json
enrich=(--geoip "$src/country.mmdb" --geoip "$src/asn.mmdb" --intel "$src/intel.txt")
if [ -r "$azure" ]; then
	enrich+=(--ranges "$azure")
else
	note "the Azure service tags file is missing ($azure): measured without it"
fi

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
# run NAME ARGS...: one run; appends "wall cpu rss" to WORKDIR/enrich-NAME.times
run() {
	local name=$1; shift
	/usr/bin/time -f '%e %U %S %M' -o "$workdir/enrich.time" "$logonhunt" \
		--batch --format csv --no-exclusions "$@" "$data" \
		>"$workdir/enrich-$name.csv" 2>"$workdir/enrich-$name.err"
	read -r w u sy m <"$workdir/enrich.time"
	echo "$w $(awk -v u="$u" -v s="$sy" 'BEGIN { print u + s }') $m" >>"$workdir/enrich-$name.times"
	note "$name: ${w}s wall, ${u}+${sy}s CPU, ${m} KiB"
}
rm -f "$workdir"/enrich-plain.times "$workdir"/enrich-enriched.times
# Alternate, so that the machine's load falls on both alike.
for ((i = 1; i <= runs; i++)); do
	run plain
	run enriched "${enrich[@]}"
done
col() { cut -d' ' -f"$2" "$workdir/enrich-$1.times" | median; }
base_w=$(col plain 1) base_c=$(col plain 2) base_m=$(col plain 3)
enr_w=$(col enriched 1) enr_c=$(col enriched 2) enr_m=$(col enriched 3)
cut -d, -f1-9 "$workdir/enrich-enriched.csv" | cmp -s - "$workdir/enrich-plain.csv" ||
	{ note "the enriched summary's own columns differ from the plain one"; exit 1; }
hits=$(python3 -c '
import csv, sys
r = list(csv.DictReader(open(sys.argv[1], newline="")))
print(len(r), sum(1 for x in r if x["Country"]), sum(1 for x in r if x["Owner"]),
      sum(1 for x in r if x["Intel"]))' "$workdir/enrich-enriched.csv")
echo
echo "hunt over $rows logons ($(nproc) cores), median of $runs runs"
printf '%-30s %8s %8s %10s\n' run "wall s" "CPU s" "peak MiB"
printf '%-30s %8.2f %8.2f %10.1f\n' "--batch" "$base_w" "$base_c" "$(awk -v k="$base_m" 'BEGIN { print k / 1024 }')"
printf '%-30s %8.2f %8.2f %10.1f\n' "--batch with the enrichment" "$enr_w" "$enr_c" "$(awk -v k="$enr_m" 'BEGIN { print k / 1024 }')"
awk -v a="$base_w" -v b="$enr_w" -v c="$base_c" -v d="$enr_c" \
	'BEGIN { printf "overhead: %+.1f%% wall, %+.1f%% CPU\n", (b - a) * 100 / a, (d - c) * 100 / c }'
read -r n c o i <<<"$hits"
echo "$n groups: Country in $c, Owner in $o, Intel in $i"
sed -n '/enrichment sources/,$p' "$workdir/enrich-enriched.err" | head -n 6
