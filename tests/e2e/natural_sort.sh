#!/bin/sh
# --sort in natural order: text case-insensitively (Unicode simple case
# folding, as exclusion rules fold names; names that fold the same by their
# bytes), RemoteIP as addresses (IPv4, then IPv6 with zones, by value;
# anything else after, as text). The expected orders are computed by
# Python (natural_order.py) from Unicode's CaseFolding.txt (statuses C
# and S) and the ipaddress module, not by logonhunt.
. "$(dirname "$0")/lib.sh"
CF=/usr/share/unicode/CaseFolding.txt
if [ ! -r "$CF" ]; then
	if [ -n "${CI:-}" ]; then fail "$CF missing (package unicode-data)"; else
		skip_part "$CF missing (package unicode-data)"; fi
	finish
fi

# gen KIND FILE: one Public logon per name (KIND names) or per address
# (KIND ips), so that every value is one group; the values one a line in
# FILE.values.
python3 - "$WORK" <<'PY'
import csv, sys
w = sys.argv[1]
names = ["admin", "Admin", "ADMIN", "David.nowak", "david.nowak", "bob",
    "Bob", "_svc", "1user", "zoe", "Zoë", "zoë", "Zoe", "émile", "Émile",
    "emile", "Ärger", "ärger", "azure", "Straße", "strasse", "Ωmega",
    "ωmega", "Σοφία", "σοφία", "ςοφία", "Иван", "иван", "ЁЖ", "ёж",
    "Łukasz", "łukasz", "lukasz", "Ÿves", "ÿves", "ｆｕｌｌ", "Ｆｕｌｌ", "full",
    "", "x y", "a,b", "\"quoted\"", "[bracket]", "~tilde", "Ab", "aB", "ab",
    "AB", "a", "A", "\u0130stanbul", "istanbul", "Istanbul", "\u0131x", "ix",
    "ŉ", "日本", "Ĳssel", "ĳssel", "éB", "éa", "éA", "éb", "日Z", "日a", "ſ", "s", "S", "µ", "μ", "Μ", "Աբ", "աբ", "ǅ", "ǆ", "Ǆ",
    "Ꭰ", "ꭰ"]
ips = ["4.208.13.86", "13.83.125.17", "163.1.2.3", "37.0.0.1",
    "2a03:2880::1", "2001:db8::10", "2001:DB8::10", "2001:db8:0:0::10",
    "::1", "0:0:0:0:0:0:0:1", "::", "0:0:0:0:0:ffff:102:304",
    "::ffff:1.2.3.4", "::ffff:102:304", "1.2.3.4", "fe80::1%eth0",
    "fe80::1%eth1", "fe80::1", "fe80::1%", "fe80::1%a%b", "255.255.255.255",
    "0.0.0.0", "10.0.0.1", "9.255.255.255", "", "-", "not-an-ip", "1.2.3",
    "1.2.3.4.5", "01.2.3.4", "[::1]", "1.2.3.4:80", "::ffff:999.1.1.1",
    "1.2.3.4%eth0", "ffff::", "FFFF::1", "1:2:3:4:5:6:7:8", "1::2:3:4:5:6:7",
    " 1.2.3.4", "Not-an-ip", "2001:db8::10%Z", "2001:db8::10%z"]
for kind, vals in (("names", names), ("ips", ips)):
    with open(f"{w}/{kind}.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["Timestamp", "DeviceId", "DeviceName", "ActionType",
            "LogonType", "AccountDomain", "AccountName", "RemoteIP",
            "RemoteIPType"])
        for v in vals:
            name, ip = (v, "203.0.113.1") if kind == "names" else ("u", v)
            out.writerow(["2024-06-01T10:00:00Z", "dev-1", "ws-1",
                "LogonFailed", "Network", "CONTOSO", name, ip, "Public"])
    with open(f"{w}/{kind}.values", "w", encoding="utf-8") as f:
        f.write("\n".join(vals) + "\n")
PY

# want KIND DESC: the values in the order Python gives them.
want() {
	PYTHONPATH="$top_srcdir/tests/e2e" python3 - "$WORK/$1.values" "$2" <<'PY'
import sys
from natural_order import ip_key, text_key
vals = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
key = text_key if sys.argv[1].endswith("names.values") else ip_key
for v in sorted(vals, key=key, reverse=sys.argv[2] == "desc"):
    print(v)
PY
}
# got KIND COLUMN SORT: the column of logonhunt's CSV output, in order.
got() {
	"$LOGONHUNT" -b -f csv --no-neutralise -s "$3" --logons "$WORK/$1.csv" > "$WORK/out.csv" \
	    2> "$WORK/err" || { fail "exit status $?: -s $3"; cat "$WORK/err" >&2; }
	python3 - "$WORK/out.csv" "$2" <<'PY'
import csv, sys
r = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
for row in r:
    print(row[sys.argv[2]])
PY
}
for dir in asc desc; do
	want names $dir > "$WORK/want"
	got names AccountName "AccountName:$dir" > "$WORK/got"
	expect_same "$WORK/want" "$WORK/got" "AccountName:$dir"
	want ips $dir > "$WORK/want"
	got ips RemoteIP "RemoteIP:$dir" > "$WORK/got"
	expect_same "$WORK/want" "$WORK/got" "RemoteIP:$dir"
done
# The sort with no direction: text ascending.
want names asc > "$WORK/want"
got names AccountName AccountName > "$WORK/got"
expect_same "$WORK/want" "$WORK/got" "AccountName"
finish
