#!/bin/sh
# --batch with exclusions equals the same hunt computed independently
# (tests/e2e/hunt_reference.py) with the exclusions applied: the bundled
# example file on the sample, and rules of every kind and state on
# generated data. The groups and logons --stats credits to each rule and
# category are what the reference hunt loses when the rule is added.
. "$(dirname "$0")/lib.sh"
: "${LHGEN:?LHGEN must name the generator}"
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed: skipping"; exit 77; }
REF="$top_srcdir/tests/e2e/hunt_reference.py"

check() {	# data dir, exclusions file, what
	python3 "$REF" "$1" "$2" > "$WORK/ref.csv" || { fail "reference hunt on $3"; return; }
	expect_status 0 "$LOGONHUNT" --batch --format csv --exclusions "$2" "$1"
	expect_same "$WORK/ref.csv" "$WORK/out" "$3"
}

# check_hits DIR EXCLUSIONS WHAT: --stats credits each rule (and category)
# with the groups and logons that the reference hunt loses when the rule,
# as written (so the reference judges whether it is active), is added to
# the rules that take precedence over it: address rules first (here no two
# overlap, which is checked), then account rules, then device rules, each
# kind in file order.
check_hits() {
	# The rules, one a line: category, on or off, kind, the line itself.
	awk '/^[ \t]*(#|$)/ || /^[ \t]*description[ \t]*=/ { next }
	    /^[ \t]*\[/ { cat = $0; gsub(/[][ \t]/, "", cat); next }
	    /^[ \t]*enabled[ \t]*=/ { off[cat] = $0 ~ /no[ \t]*$/; next }
	    { sub(/^[ \t]+/, ""); kind = $1; sub(/^!/, "", kind)
	      n++; c[n] = cat; k[n] = kind; l[n] = $0 }
	    END { for (i = 1; i <= n; i++)
		printf "%s\t%s\t%s\t%s\n", c[i], off[c[i]] ? "off" : "on", k[i], l[i] }' \
	    "$2" >"$WORK/rule-table"
	python3 - "$REF" "$1" "$WORK/rule-table" "$WORK/subset" > "$WORK/hits-want" <<'PY' ||
import csv, subprocess, sys

ref, data, table, subset = sys.argv[1:5]
rules = [dict(zip(('cat', 'state', 'kind', 'line'), l.rstrip('\n').split('\t', 3)))
         for l in open(table, encoding='utf-8')]
cats = ['maintenance', 'siem', 'rds', 'defender', 'backup']
cats += [c for c in dict.fromkeys(r['cat'] for r in rules) if c not in cats]
cache = {}

def hunt(ids):
    key = tuple(sorted(ids))
    if key not in cache:
        with open(subset, 'w', encoding='utf-8') as out:
            for i in key:
                r = rules[i]
                out.write('[%s]\n%s%s\n' % (r['cat'],
                          'enabled = no\n' if r['state'] == 'off' else '', r['line']))
        res = subprocess.run([sys.executable, ref, data, subset], check=True,
                             capture_output=True, text=True).stdout
        cache[key] = {tuple(row[k] for k in ('AccountDomain', 'AccountName',
                      'LogonType', 'RemoteIP', 'ActionType')): int(row['Instances'])
                      for row in csv.DictReader(res.splitlines())}
    return cache[key]

def lost(before, after):
    a, b = hunt(before), hunt(after)
    return [len(set(a) - set(b)), sum(a.values()) - sum(b.values())]

hits, first = {}, []
for kind in ('ip', 'account', 'device'):
    ids = [i for i, r in enumerate(rules) if r['kind'] == kind]
    for n, i in enumerate(ids):
        prior = first if kind == 'ip' else first + ids[:n]
        hits[i] = lost(prior, prior + [i])
    if kind == 'ip' and [sum(hits[i][k] for i in ids) for k in (0, 1)] != lost([], ids):
        sys.exit('address rules overlap: their hits cannot be told apart')
    first += ids
for c in cats:
    ids = [i for i, r in enumerate(rules) if r['cat'] == c]
    print(c, sum(hits[i][0] for i in ids), sum(hits[i][1] for i in ids))
    for n, i in enumerate(ids):
        print('%s#%d %d %d  %s' % (c, n + 1, hits[i][0], hits[i][1], rules[i]['line']))
PY
	    { fail "$3: reference hits"; return; }
	expect_status 0 "$LOGONHUNT" --batch --stats --exclusions "$2" "$1"
	awk '/^Exclusions \(/ { on = 1; next }
	    on && /^  [^ ]/ { cat = $1; k = 0; print cat, $(NF - 3), $(NF - 1); next }
	    on && /^    [^ ]/ { k++; print cat "#" k, $(NF - 3), $(NF - 1) }' "$WORK/err" >"$WORK/hits-got"
	# The rule's text is for the reader of a failure, not compared.
	sed 's/  .*//' "$WORK/hits-want" >"$WORK/hits-want-cmp"
	if cmp -s "$WORK/hits-want-cmp" "$WORK/hits-got"; then ok; else
		fail "$3: --stats hits differ from the reference's (want, got)"
		paste -d'|' "$WORK/hits-want" "$WORK/hits-got" | sed 's/^/  /' >&2
	fi
	# Something was credited, or the comparison proves little.
	awk '$1 ~ /#/ && $2 > 0 { n++ } END { exit n < 2 }' "$WORK/hits-want-cmp" && ok ||
	    fail "$3: fewer than two rules remove anything"
}

# The bundled example on the bundled sample: the five scenarios go.
check "$top_srcdir/data" "$top_srcdir/data/exclusions" "data/ with data/exclusions"
for ip in 91.218.114. 157.97.109.40 194.153.110.2 88.198.201.1 92.204.51.77; do
	if grep -q ",$ip" "$WORK/out"; then fail "$ip should be excluded by data/exclusions"; else ok; fi
done
expect_status 0 "$LOGONHUNT" --batch --format csv --no-exclusions "$top_srcdir/data"
expect_grep ",91.218.114.10," "$WORK/out"
check_hits "$top_srcdir/data" "$top_srcdir/data/exclusions" "data/exclusions hits on data/"

# Generated data, with the rules built from addresses and names it holds.
"$LHGEN" --seed 11 --logons 20000 "$WORK/gen" > /dev/null
expect_status 0 "$LOGONHUNT" --batch --format csv --no-exclusions "$WORK/gen"
cp "$WORK/out" "$WORK/all.csv"
# A few real hits to aim the rules at: the top group's IP as a /24, the
# second's account with a wildcard, an IPv6 address's /64.
ip1=$(sed -n '2p' "$WORK/all.csv" | awk -F, '{print $4}')
net1=$(echo "$ip1" | awk -F. '{print $1"."$2"."$3".0/24"}')
acct=$(sed -n '3p' "$WORK/all.csv" | awk -F, '{print $2}')
v6=$(awk -F, 'NR > 1 && $4 ~ /:/ {print $4; exit}' "$WORK/all.csv")
dev=$(awk -F, 'NR > 1 && $15 == "Public" {print $3; exit}' "$WORK/gen/DeviceLogonEvents.csv")
case "$ip1" in *.*.*.*) ok ;; *) fail "no IPv4 in the top group: $ip1" ;; esac
cat > "$WORK/rules" <<EOT
# every kind and state of rule
[maintenance]
ip $net1  # the top group's /24
[siem]
account *\\$(echo "$acct" | cut -c1-3)*  # an account prefix, any domain
[rds]
enabled = no
ip 0.0.0.0/0  # a whole switched-off category
[backup]
!ip ::/0  # disabled
ip 0.0.0.0/1 until=2001-01-01  # expired
[custom-team]
device $(echo "$dev" | tr 'a-z' 'A-Z')  # devices match without case
EOT
if [ -n "$v6" ]; then
	echo "[defender]" >> "$WORK/rules"
	echo "ip $(python3 -c "import ipaddress,sys; print(ipaddress.ip_network(sys.argv[1]+'/64', strict=False))" "$v6")" >> "$WORK/rules"
fi
check "$WORK/gen" "$WORK/rules" "generated data with every kind of rule"
# The rules did remove something, and not everything.
a=$(wc -l < "$WORK/all.csv"); b=$(wc -l < "$WORK/out")
if [ "$b" -lt "$a" ] && [ "$b" -gt 1 ]; then ok; else fail "exclusions kept $b of $a lines"; fi
# --stats credits each rule and category.
check_hits "$WORK/gen" "$WORK/rules" "hits of every kind of rule on generated data"
expect_grep "rds            off        0 groups          0 logons" "$WORK/err"
echo "kept $b of $a lines" >&2
finish
