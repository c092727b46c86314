#!/bin/sh
# Nothing silent (issue 11, items 13 to 16): each way a run used to give a
# quiet, wrong-looking answer now ends with a clear outcome. The expected
# lint findings come from Python's ipaddress, not from the program.
. "$(dirname "$0")/lib.sh"
D="$top_srcdir/data"
XDG_CONFIG_HOME="$WORK/config"
export XDG_CONFIG_HOME
H='Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType'
ROW='2024-05-01T10:00:00Z,dev-a,ws-01,LogonSuccess,Network,CONTOSO,admin,198.51.100.9,Public'
L="$LOGONHUNT"
have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1
if [ "$have_python" = 0 ] && [ -n "${CI:-}" ]; then
	fail "python3 is needed (CI is set)"
fi

# ---- 13: an --exclusions file named but missing is an error
missing="$WORK/no/such/exclusions"
expect_status 1 "$L" --batch --exclusions "$missing" "$D"
expect_grep "$missing: no such exclusions file" "$WORK/err"
expect_grep "add CATEGORY RULE" "$WORK/err"
expect_status 1 "$L" --kql --exclusions "$missing"
expect_grep "no such exclusions file" "$WORK/err"
expect_status 2 "$L" exclusions --exclusions "$missing" check 198.51.100.9
expect_grep "no such exclusions file" "$WORK/err"
for verb in list categories kql lint; do
	want=1
	[ "$verb" = lint ] && want=2
	expect_status $want "$L" exclusions --exclusions "$missing" $verb
	expect_grep "no such exclusions file" "$WORK/err"
done
# The console refuses before it takes the terminal.
expect_status 1 "$L" --exclusions "$missing" "$D"
expect_grep "no such exclusions file" "$WORK/err"
# --no-exclusions wins; the default file may be missing (first run).
expect_status 0 "$L" --batch --no-exclusions --exclusions "$missing" "$D"
expect_status 0 "$L" --batch "$D"
expect_status 1 "$L" exclusions check 198.51.100.9
# add and import create the file they name.
newf="$WORK/new/exclusions"
mkdir -p "$WORK/new"
expect_status 0 "$L" exclusions --exclusions "$newf" add siem 198.51.100.7
[ -f "$newf" ] && ok || fail "add did not create $newf"
printf '198.51.100.0/28\n' > "$WORK/list.txt"
expect_status 0 "$L" exclusions --exclusions "$WORK/new/imported" import backup "$WORK/list.txt"
[ -f "$WORK/new/imported" ] && ok || fail "import did not create the file"

# ---- 14: a run without DeviceNetworkInfo or IdentityLogonEvents warns
printf '%s\n%s\n' "$H" "$ROW" > "$WORK/DeviceLogonEvents.csv"
expect_status 0 "$L" --batch --logons "$WORK/DeviceLogonEvents.csv"
expect_grep "no DeviceNetworkInfo loaded: every public IP counts as unknown" "$WORK/err"
expect_grep "no IdentityLogonEvents loaded" "$WORK/err"
expect_grep "--allow-missing network" "$WORK/err"
expect_status 0 "$L" --batch --allow-missing network --logons "$WORK/DeviceLogonEvents.csv"
grep -q "DeviceNetworkInfo" "$WORK/err" && fail "--allow-missing network still warns" || ok
expect_grep "no IdentityLogonEvents loaded" "$WORK/err"
expect_status 0 "$L" --batch --allow-missing network,IdentityLogonEvents --logons "$WORK/DeviceLogonEvents.csv"
[ -s "$WORK/err" ] && fail "--allow-missing both still warns: $(cat "$WORK/err")" || ok
expect_status 2 "$L" --batch --allow-missing logons --logons "$WORK/DeviceLogonEvents.csv"
expect_status 0 "$L" --batch "$D"
[ -s "$WORK/err" ] && fail "the full sample warns: $(cat "$WORK/err")" || ok

# ---- 15: lint, with the expected findings from Python's ipaddress
lintf="$WORK/lint"
: > "$lintf"
add() { "$L" exclusions --exclusions "$lintf" add "$@" > "$WORK/out" 2> "$WORK/err"; }
add maintenance 'account:*'
expect_grep "warning: rule 1 hides everything" "$WORK/err"
add maintenance 0.0.0.0/0
expect_grep "warning: rule 2 hides everything" "$WORK/err"
add siem ::/0
expect_grep "hides every IPv6 logon" "$WORK/err"
add rds 10.20.0.0/16
expect_grep "hides nothing: 10.20.0.0/16 lies in ranges that are never Public" "$WORK/err"
add rds 198.51.100.9 --until 2021-03-04
expect_grep "expired at the end of 2021-03-04" "$WORK/err"
: > "$WORK/shadow"
"$L" exclusions --exclusions "$WORK/shadow" add siem 198.51.0.0/16 2> /dev/null
"$L" exclusions --exclusions "$WORK/shadow" add backup 198.51.100.9 2> "$WORK/err"
expect_grep "warning: rule 2 shadowed: everything it matches is already hidden by rule 1 [siem] ip 198.51.0.0/16" "$WORK/err"
"$L" exclusions --exclusions "$WORK/shadow" add backup 198.52.0.1 2> "$WORK/err"
grep -q warning "$WORK/err" && fail "a rule outside every other warned: $(cat "$WORK/err")" || ok
# A shadow that expires first does not shadow.
"$L" exclusions --exclusions "$WORK/shadow" add siem 192.0.2.0/24 --until 2999-01-01 2> /dev/null
"$L" exclusions --exclusions "$WORK/shadow" add backup 192.0.2.1 2> "$WORK/err"
grep -q shadowed "$WORK/err" && fail "a shadow that ends first was reported" || ok
# Accounts: a pattern inside another, and one that is not.
"$L" exclusions --exclusions "$WORK/shadow" add siem 'CONTOSO\svc_*' 2> /dev/null
"$L" exclusions --exclusions "$WORK/shadow" add rds 'contoso\SVC_backup' 2> "$WORK/err"
expect_grep "already hidden by rule" "$WORK/err"
"$L" exclusions --exclusions "$WORK/shadow" add rds 'account:svc_x' 2> "$WORK/err"
grep -q shadowed "$WORK/err" && fail "any-domain account shadowed by a one-domain rule" || ok
expect_status 1 "$L" exclusions --exclusions "$WORK/shadow" lint
expect_grep "[backup] ip 198.51.100.9: shadowed" "$WORK/out"
expect_status 0 "$L" exclusions --exclusions "$D/exclusions" lint
expect_grep "no problems found in" "$WORK/out"

if [ "$have_python" = 1 ]; then
	# Ranges at and across the edges of the never-Public blocks.
	nets="10.0.0.0/8 10.1.2.3 10.0.0.0/7 11.0.0.0/8 172.16.0.0/12 172.0.0.0/11
172.31.255.255 192.168.7.0/24 192.168.0.0/15 100.64.0.0/10 100.0.0.0/9
100.128.0.0/10 127.0.0.1 169.254.9.0/24 169.254.0.0/15 0.0.0.0/8 0.0.0.0/7
198.18.0.0/15 198.16.0.0/14 224.0.0.1 239.0.0.0/8 224.0.0.0/3 192.0.0.0/2
240.0.0.0/4 255.255.255.255 192.0.2.0/24 198.51.100.0/24 203.0.113.0/24
8.8.8.8 192.0.0.0/24 ::1 ::/128 ::/127 ::/126 fe80::/10 fe80::1 fe80::/9
fc00::/7 fd12:3456::/32 fc00::/6 ff02::1 ff00::/8 fe00::/7 2001:db8::/32
2001:db8::1 2600::/12 2001::/32"
	printf '%s\n' $nets > "$WORK/nets"
	python3 - "$WORK/nets" > "$WORK/nets.expected" <<'EOF'
import ipaddress, random, sys
# The spec of "hides nothing", written with ipaddress's own notions: an
# address that is not global (private, loopback, link-local, reserved,
# shared, multicast), except the documentation blocks and 192.0.0.0/24
# that examples and Defender treat as public, and the IPv6 blocks
# ipaddress calls private that carry public traffic (mapped, discard,
# 2001::/23).
doc = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24",
       "203.0.113.0/24", "192.0.0.0/24", "2001:db8::/32", "::ffff:0:0/96",
       "100::/64", "2001::/23")]
shared = ipaddress.ip_network("100.64.0.0/10")
def never_public(a):
    if any(a in n for n in doc if n.version == a.version):
        return False
    if a.version == 4 and a in shared:
        return True
    return a.is_private or a.is_multicast or a.is_reserved and a.version == 4
random.seed(11)
for line in open(sys.argv[1]):
    net = ipaddress.ip_network(line.strip())
    if net.num_addresses <= 65536:
        addrs = list(net)
    else:
        lo, hi = int(net.network_address), int(net.broadcast_address)
        picks = {lo, hi} | {random.randint(lo, hi) for _ in range(20000)}
        addrs = [ipaddress.ip_address(x) if net.version == 4 else
                 ipaddress.IPv6Address(x) for x in picks]
    print(line.strip(), "nothing" if all(never_public(a) for a in addrs) else "-")
EOF
	[ "$(wc -l < "$WORK/nets.expected")" -eq "$(wc -l < "$WORK/nets")" ] && ok ||
		fail "ipaddress gave no answer for every range"
	while read -r net want; do
		f="$WORK/one"
		rm -f "$f"
		"$L" exclusions --exclusions "$f" add --create lintcheck "ip:$net" 2> "$WORK/err" > /dev/null
		if grep -q "hides nothing" "$WORK/err"; then got=nothing; else got=-; fi
		[ "$got" = "$want" ] && ok || fail "lint of $net: got '$got', ipaddress says '$want'"
	done < "$WORK/nets.expected"
	# Shadowing: random pairs of prefixes, lint against subnet_of.
	python3 - > "$WORK/pairs" <<'EOF'
import ipaddress, random
random.seed(15)
for _ in range(60):
    base = random.choice(["198.51.", "203.0.", "2001:db8:"])
    if base.startswith("2001"):
        a = ipaddress.ip_network("2001:db8:%x::/%d" % (random.randint(0, 3), random.randint(33, 48)), strict=False)
        b = ipaddress.ip_network("2001:db8:%x::/%d" % (random.randint(0, 3), random.randint(33, 48)), strict=False)
    else:
        a = ipaddress.ip_network("%s%d.%d/%d" % (base, random.randint(100, 101), random.randint(0, 255), random.randint(16, 32)), strict=False)
        b = ipaddress.ip_network("%s%d.%d/%d" % (base, random.randint(100, 101), random.randint(0, 255), random.randint(16, 32)), strict=False)
    if a == b:
        continue
    print(a, b, "shadowed" if b.subnet_of(a) else "-")
EOF
	[ "$(grep -c shadowed "$WORK/pairs")" -ge 5 ] && [ "$(grep -c -- ' -$' "$WORK/pairs")" -ge 5 ] && ok ||
		fail "too few pairs of each kind: $(wc -l < "$WORK/pairs")"
	while read -r a b want; do
		f="$WORK/pair"
		rm -f "$f"
		"$L" exclusions --exclusions "$f" add siem "ip:$a" 2> /dev/null > /dev/null
		"$L" exclusions --exclusions "$f" add backup "ip:$b" 2> "$WORK/err" > /dev/null
		if grep -q "shadowed" "$WORK/err"; then got=shadowed; else got=-; fi
		[ "$got" = "$want" ] && ok || fail "$b after $a: got '$got', subnet_of says '$want'"
	done < "$WORK/pairs"
else
	skip_part "lint against Python's ipaddress: python3 not found"
fi

# ---- 16: check's exit statuses, --from after --until, the --since hint,
# what --recursive leaves out, gzip bombs
cf="$D/exclusions"
expect_status 0 "$L" exclusions --exclusions "$cf" check 157.97.109.40
expect_status 1 "$L" exclusions --exclusions "$cf" check 198.51.100.200
expect_status 2 "$L" exclusions --exclusions "$cf" check not-an-ip
expect_grep "is not an IP address" "$WORK/err"
expect_status 2 "$L" exclusions --exclusions "$cf" check
printf '[siem]\nip 300.1.1.1\n' > "$WORK/bad-excl"
expect_status 2 "$L" exclusions --exclusions "$WORK/bad-excl" check 198.51.100.200
expect_status 2 "$L" exclusions --exclusions "$WORK/bad-excl" lint
mkdir -p "$WORK/unreadable-dir"
expect_status 2 "$L" exclusions --exclusions "$WORK/unreadable-dir" check 198.51.100.200

expect_status 2 "$L" --batch --from 2024-05-02 --until 2024-05-01 "$D"
expect_grep "is after --until" "$WORK/err"
expect_status 2 "$L" --kql --from 2024-05-02T00:00:00Z --until 2024-05-01T23:59:59Z
expect_status 0 "$L" --batch --from 2024-05-01 --until 2024-05-01 "$D"

expect_status 0 "$L" --batch --since 7d "$D"
expect_grep "no Public logon in the --since window" "$WORK/err"
expect_grep "--relative-to-data" "$WORK/err"
expect_status 0 "$L" --batch --since 7d --relative-to-data "$D"
grep -q "since window" "$WORK/err" && fail "hint with --relative-to-data" || ok

# Deeper than 16 levels: said, with the first directory left out.
deep="$WORK/deep"
p="$deep"
i=0
while [ $i -lt 18 ]; do p="$p/d$i"; i=$((i + 1)); done
mkdir -p "$p"
cp "$D/DeviceLogonEvents.csv" "$deep/"
cp "$D/DeviceLogonEvents.csv" "$p/DeviceLogonEvents-deep.csv"
expect_status 0 "$L" --batch -r --allow-missing network,identity "$deep"
expect_grep "1 directory more than 16 levels down was not searched" "$WORK/err"
expect_grep "d16" "$WORK/err"
# A path longer than PATH_MAX (4096 on Linux): built from a relative walk.
if [ "$have_python" = 1 ]; then
	long="$WORK/long"
	mkdir -p "$long"
	cp "$D/DeviceLogonEvents.csv" "$long/"
	python3 - "$long" <<'EOF'
import os, sys
os.chdir(sys.argv[1])
name = "x" * 250
for _ in range(17):
    os.mkdir(name)
    os.chdir(name)
open("DeviceLogonEvents-far.csv", "w").write("x\n")
EOF
	expect_status 0 "$L" --batch -r --allow-missing network,identity "$long"
	expect_grep "path is longer than the system allows" "$WORK/err"
fi

# A gzip bomb: 2 GiB of zeros in 2 MB, and 2 GiB of one repeated row
# behind a real header. Both stop within seconds with a message.
if [ "$have_python" = 1 ]; then
	python3 - "$WORK" <<'EOF'
import sys, zlib
d = sys.argv[1]
def member(data, level):
    c = zlib.compressobj(level, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()
z = member(bytes(64 << 20), 1)
with open(d + "/zeros.csv.gz", "wb") as f:
    for _ in range(32):
        f.write(z)
hdr = b"Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
row = b"2024-05-01T10:00:00Z,dev-a,ws-01,LogonSuccess,Network,CONTOSO,admin,198.51.100.9,Public\n"
rows = member(row * ((64 << 20) // len(row)), 9)
with open(d + "/DeviceLogonEvents.csv.gz", "wb") as f:
    f.write(member(hdr, 9))
    for _ in range(24):
        f.write(rows)
EOF
	s=$(date +%s)
	expect_status 1 "$L" --batch --logons "$WORK/zeros.csv.gz"
	e=$(date +%s)
	expect_grep "not an export: the gzip data inflates to binary bytes" "$WORK/err"
	[ $((e - s)) -le 3 ] && ok || fail "the zeros bomb took $((e - s)) s"
	s=$(date +%s)
	expect_status 1 "$L" --batch --logons "$WORK/DeviceLogonEvents.csv.gz"
	e=$(date +%s)
	expect_grep "looks like a decompression bomb" "$WORK/err"
	[ $((e - s)) -le 10 ] && ok || fail "the rows bomb took $((e - s)) s"
	# A real export still loads gzip-compressed.
	gzip -c "$D/DeviceLogonEvents.csv" > "$WORK/real.csv.gz"
	expect_status 0 "$L" --batch --allow-missing network,identity --logons "$WORK/real.csv.gz"
fi

# Instances near 2^64: the total saturates, the rows sort as numbers.
S='AccountDomain,AccountName,LogonType,RemoteIP,ActionType,EarliestEvent,LatestEvent,Instances,DistinctMachines'
{ echo "$S"
  echo 'C,a,Network,198.51.100.1,LogonSuccess,2024-05-01T00:00:00Z,2024-05-01T00:00:00Z,18446744073709551615,1'
  echo 'C,b,Network,198.51.100.2,LogonSuccess,2024-05-01T00:00:00Z,2024-05-01T00:00:00Z,9223372036854775809,1'
  echo 'C,c,Network,198.51.100.3,LogonSuccess,2024-05-01T00:00:00Z,2024-05-01T00:00:00Z,5,1'
} > "$WORK/summary.csv"
expect_status 0 "$L" --batch --stats --input "$WORK/summary.csv"
expect_grep "18446744073709551615" "$WORK/err"
grep -q "Events in the summary *18446744073709551615" "$WORK/err" && ok || fail "total not saturated: $(grep Events "$WORK/err")"
sed -n 2p "$WORK/out" | grep -q ',a,' && ok || fail "largest count not first: $(sed -n 2p "$WORK/out")"
sed -n 3p "$WORK/out" | grep -q ',b,' && ok || fail "2^63+1 did not sort second: $(sed -n 3p "$WORK/out")"

finish
