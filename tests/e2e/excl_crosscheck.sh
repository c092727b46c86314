#!/bin/sh
# --batch with exclusions equals the same hunt computed independently
# (tests/e2e/hunt_reference.py) with the exclusions applied: the bundled
# example file on the sample, and rules of every kind and state on
# generated data.
. "$(dirname "$0")/lib.sh"
: "${LHGEN:?LHGEN must name the generator}"
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed: skipping"; exit 77; }
REF="$top_srcdir/tests/e2e/hunt_reference.py"

check() {	# data dir, exclusions file, what
	python3 "$REF" "$1" "$2" > "$WORK/ref.csv" || { fail "reference hunt on $3"; return; }
	expect_status 0 "$LOGONHUNT" --batch --format csv --exclusions "$2" "$1"
	expect_same "$WORK/ref.csv" "$WORK/out" "$3"
}

# The bundled example on the bundled sample: the five scenarios go.
check "$top_srcdir/data" "$top_srcdir/data/exclusions" "data/ with data/exclusions"
for ip in 91.218.114. 157.97.109.40 194.153.110.2 88.198.201.1 92.204.51.77; do
	if grep -q ",$ip" "$WORK/out"; then fail "$ip should be excluded by data/exclusions"; else ok; fi
done
expect_status 0 "$LOGONHUNT" --batch --format csv --no-exclusions "$top_srcdir/data"
expect_grep ",91.218.114.10," "$WORK/out"

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
# --stats credits each rule.
expect_status 0 "$LOGONHUNT" --batch --stats --exclusions "$WORK/rules" "$WORK/gen"
expect_grep "$net1" "$WORK/err"
expect_grep "rds            off        0 groups          0 logons" "$WORK/err"
echo "kept $b of $a lines" >&2
finish
