#!/usr/bin/env python3
"""RemoteIP is read the same way by the local hunt and by the KQL it emits.

A table of spellings of addresses (IPv4 with leading zeros or a zone,
IPv4-mapped IPv6 in every spelling, zones, case, near misses) is checked
three ways against one allowlist:

  expected  Python's ipaddress module, with the normalisation written down
            in logonhunt-exclusions(5) ("HOW REMOTEIP IS READ"): independent
            of logonhunt;
  local     logonhunt --batch over a DeviceLogonEvents export with one row
            per spelling: the rows missing from the result were excluded;
  KQL       logonhunt --kql, evaluated here by a re-implementation of the
            few Kusto functions the normalisation uses (tolower, contains,
            matches regex, replace_regex, extract, case, iff, strcat,
            substring, strlen, indexof) and of ipv4_/ipv6_is_in_any_range,
            with the regexes and the rule lists taken from the emitted
            query. The normalisation's clauses must appear in the query
            exactly as below, so a change to them fails here until this
            re-implementation follows.

usage: remoteip.py LOGONHUNT WORKDIR
Prints one line per disagreement and a summary; exit status 1 on any.
"""
import csv
import ipaddress
import random
import re
import subprocess
import sys

# The clauses of the normalisation as the query must hold them; the names
# refer to the lets (regexes, ExclHexQuad) read from the query itself.
CLAUSES = [
    '| extend ExclText = tolower(RemoteIP)',
    '| extend ExclV6 = iff(ExclText contains ":", replace_regex(ExclText, '
    '@"(?s)^([^%]*)%.+$", @"\\1"), "")',
    '| extend ExclV6 = iff(ExclV6 matches regex ExclV6Re, ExclV6, "")',
    '| extend ExclMapped = replace_regex(replace_regex(replace_regex(ExclV6, '
    'ExclTail1Re, @"\\1:0:0"), ExclTail2Re, @"\\1:0:\\2"), ExclTail3Re, '
    '@"\\1:\\2:0")',
    '| extend ExclIp4 = case(\n'
    '    ExclText !contains ":", iff(ExclText matches regex ExclV4Re, '
    'ExclText, ""),\n'
    '    not(ExclMapped matches regex ExclMappedRe), "",\n'
    '    isnotempty(extract(ExclMappedRe, 3, ExclMapped)), '
    'extract(ExclMappedRe, 3, ExclMapped),\n'
    '    ExclHexQuad(extract(ExclMappedRe, 1, ExclMapped), '
    'extract(ExclMappedRe, 2, ExclMapped)))',
    '| extend ExclIp6 = iff(isempty(ExclIp4), ExclV6, "")',
]
HEXQUAD = (
    'let ExclHexByte = (h:string, i:int) { 16 * indexof("0123456789abcdef", '
    'substring(h, i, 1)) + indexof("0123456789abcdef", substring(h, i + 1, '
    '1)) };\n'
    'let ExclHexQuad = (x:string, y:string) {\n'
    '    let a = strcat(substring("000", 0, 4 - strlen(x)), x);\n'
    '    let b = strcat(substring("000", 0, 4 - strlen(y)), y);\n'
    '    strcat(ExclHexByte(a, 0), ".", ExclHexByte(a, 2), ".", '
    'ExclHexByte(b, 0), ".", ExclHexByte(b, 2))\n'
    '};\n')

RULES_V4 = ["1.2.3.0/24", "203.0.113.9", "0.0.0.0/32", "255.255.255.0/24",
            "10.0.0.0/8"]
RULES_V6 = ["2001:db8::/32", "fe80::/10", "::/8"]


def re2(pattern):
    """An RE2 pattern as Python's re: '$' at the end of RE2 text matches
    only at the very end (Python's would match before a final newline)."""
    if pattern.endswith("$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


class Kql:
    """The normalisation as the emitted query does it."""

    def __init__(self, query):
        for clause in CLAUSES + [HEXQUAD]:
            if clause not in query:
                sys.exit("the query does not hold the clause:\n" + clause)
        lets = dict(re.findall(r'^let (\w+) = @"((?:[^"]|"")*)";$', query,
                               re.M))
        self.re = {k: re2(v.replace('""', '"')) for k, v in lets.items()}
        lists = re.findall(r'(ipv[46])_is_in_any_range\((ExclIp[46]), '
                           r'dynamic\(\[(.*?)\]\)\)', query, re.S)
        self.v4 = []
        self.v6 = []
        for fn, col, body in lists:
            assert fn[3] == col[-1]
            nets = [ipaddress.ip_network(s) for s in
                    re.findall(r'"([^"]*)"', body)]
            (self.v4 if fn == "ipv4" else self.v6).extend(nets)

    @staticmethod
    def hexquad(x, y):
        def byte(h, i):
            d = "0123456789abcdef"
            return 16 * d.find(h[i:i + 1]) + d.find(h[i + 1:i + 2])
        a = "000"[0:4 - len(x)] + x
        b = "000"[0:4 - len(y)] + y
        return "%d.%d.%d.%d" % (byte(a, 0), byte(a, 2), byte(b, 0),
                                byte(b, 2))

    def extract(self, name, group, s):
        m = self.re[name].search(s)
        return (m.group(group) or "") if m else ""

    def sub(self, name, rewrite, s):
        return self.re[name].sub(rewrite, s)

    def excluded(self, remote_ip):
        text = remote_ip.lower()
        v6 = re2(r"(?s)^([^%]*)%.+$").sub(r"\1", text) if ":" in text else ""
        v6 = v6 if self.re["ExclV6Re"].search(v6) else ""
        mapped = self.sub("ExclTail3Re", r"\1:\2:0",
                          self.sub("ExclTail2Re", r"\1:0:\2",
                                   self.sub("ExclTail1Re", r"\1:0:0", v6)))
        if ":" not in text:
            ip4 = text if self.re["ExclV4Re"].search(text) else ""
        elif not self.re["ExclMappedRe"].search(mapped):
            ip4 = ""
        elif self.extract("ExclMappedRe", 3, mapped):
            ip4 = self.extract("ExclMappedRe", 3, mapped)
        else:
            ip4 = self.hexquad(self.extract("ExclMappedRe", 1, mapped),
                               self.extract("ExclMappedRe", 2, mapped))
        ip6 = v6 if not ip4 else ""
        if ip4:
            a = ipaddress.IPv4Address(ip4)
            return any(a in n for n in self.v4)
        if ip6:
            a = ipaddress.IPv6Address(ip6)
            return any(a in n for n in self.v6)
        return False


def expected(remote_ip):
    """The documented normalisation, with Python's ipaddress as parser."""
    s = remote_ip
    if ":" in s:
        if "%" in s:
            s, zone = s.split("%", 1)
            if zone == "":
                return False
        try:
            a = ipaddress.IPv6Address(s)
        except ValueError:
            return False
        if "%" in str(a) or not re.fullmatch(r"[0-9A-Fa-f:.]+", s):
            return False
        if a.ipv4_mapped is not None:
            a = a.ipv4_mapped
    else:
        if not re.fullmatch(r"[0-9.]+", s):
            return False
        try:
            a = ipaddress.IPv4Address(s)
        except ValueError:
            return False
    nets = RULES_V4 if a.version == 4 else RULES_V6
    return any(a in ipaddress.ip_network(n) for n in nets)


def spellings_of_mapped(v4, rng):
    """Every way to write ::ffff:v4 (and some at random)."""
    b = ipaddress.IPv4Address(v4).packed
    hi, lo = (b[0] << 8) | b[1], (b[2] << 8) | b[3]
    out = set()
    for z in ("0", "00", "000", "0000"):
        for f in ("ffff", "FFFF", "fFfF"):
            for tail in ("%x:%x" % (hi, lo), "%04x:%04x" % (hi, lo),
                         "%X:%X" % (hi, lo), v4):
                out.add(":".join([z] * 5 + [f, tail]))
                out.add("::%s:%s" % (f, tail))
                for left in range(0, 5):
                    for right in range(0, 5 - left):
                        out.add(":".join([z] * left) + "::" +
                                "".join(z + ":" for _ in range(right)) +
                                f + ":" + tail)
    groups5 = "0:0:0:0:0:ffff"
    if hi == 0 and lo == 0:
        out.add(groups5 + "::")
    if hi == 0:
        out.add(groups5 + "::%x" % lo)
    if lo == 0:
        out.add(groups5 + ":%x::" % hi)
    extra = set()
    for s in sorted(out)[:40]:
        extra.add(s + "%eth0")
        extra.add(s + "%")
        extra.add(s + "%%x")
        extra.add(" " + s)
        extra.add(s + "\n")
    return out | extra


def near_misses(s, rng):
    out = set()
    for _ in range(4):
        i = rng.randrange(len(s) + 1)
        out.add(s[:i] + rng.choice(":.0f%g") + s[i:])
        if s:
            j = rng.randrange(len(s))
            out.add(s[:j] + s[j + 1:])
    return out


def table():
    rng = random.Random(11)
    v4s = ["1.2.3.4", "203.0.113.9", "0.0.0.0", "255.255.255.255",
           "10.20.30.40", "198.51.100.7", "1.2.0.0", "0.0.0.5"]
    s = set()
    for v4 in v4s:
        s.add(v4)
        parts = v4.split(".")
        s.add(".".join("0" + p for p in parts))
        s.add(".".join(parts[:3] + ["0" + parts[3]]))
        s.add(v4 + "%eth0")
        s.add(v4 + "%a:b")
        s.add(v4 + ".")
        s.add("." + v4)
        s |= spellings_of_mapped(v4, rng)
    for v6 in ("2001:db8::1", "fe80::1", "2001:db8:0:0:0:0:0:1",
               "2001:DB8::A", "::1", "::", "::1.2.3.4", "64:ff9b::1.2.3.4",
               "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "fe80::1%eth0",
               "fe80::1%", "FE80::1%ETH0", "2001:0db8:0000::0001",
               "0:0:0:0:0:fffe:102:304", "::fffe:1.2.3.4",
               "::ffff:0:1.2.3.4", "0:0:0:0:ffff:0:102:304",
               "::ffff:1.2.3.04", "::ffff:256.2.3.4", "::ffff:1.2.3",
               "::ffff:102:304:5", "::ffff:10203:4", "0:0:0:0:0:0:ffff:102:304",
               "0:0:0::0:0:ffff:1:2", ":::ffff:1.2.3.4", "::ffff::1.2.3.4",
               "1::2::3", "-", "", "garbage", "1.2.3.4/24",
               "::ffff:1.2.3.4/120", "::ffff:1.2.3.4%" + "z" * 300,
               "fe80::1%" + "\u00e9" * 100, "1.2.3.4%" + "z" * 300):
        s.add(v6)
    base = sorted(s)
    for x in base[:400]:
        s |= near_misses(x, rng)
    return sorted(s)


LOGON_HEADER = ["Timestamp", "DeviceId", "DeviceName", "ActionType",
                "LogonType", "AccountDomain", "AccountName", "RemoteIP",
                "RemoteIPType"]


def run_local(logonhunt, work, spellings, excl):
    logons = work + "/DeviceLogonEvents.csv"
    with open(logons, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(LOGON_HEADER)
        for i, ip in enumerate(spellings):
            w.writerow(["2025-03-03T00:00:00Z", "d%d" % i, "dev", "LogonSuccess",
                        "Network", "DOM", "u%d" % i, ip, "Public"])
    with open(work + "/DeviceNetworkInfo.csv", "w") as f:
        f.write("Timestamp,DeviceId,DeviceName,IPAddresses\n")
    with open(work + "/IdentityLogonEvents.csv", "w") as f:
        f.write("Timestamp,IPAddress,ISP\n")
    out = subprocess.run(
        [logonhunt, "--batch", "-f", "csv", "--exclusions", excl,
         "--logons", logons, "--network", work + "/DeviceNetworkInfo.csv",
         "--identity", work + "/IdentityLogonEvents.csv"],
        capture_output=True, check=False)
    if out.returncode != 0:
        sys.exit("logonhunt --batch failed: " + out.stderr.decode())
    kept = set()
    for row in csv.DictReader(out.stdout.decode("utf-8").splitlines(True)):
        kept.add(int(row["AccountName"][1:]))
    return [i not in kept for i in range(len(spellings))]


def main():
    logonhunt, work = sys.argv[1], sys.argv[2]
    excl = work + "/exclusions"
    with open(excl, "w") as f:
        f.write("[maintenance]\n")
        for r in RULES_V4 + RULES_V6:
            f.write("ip %s\n" % r)
    spellings = table()
    local = run_local(logonhunt, work, spellings, excl)
    q = subprocess.run([logonhunt, "--kql", "--exclusions", excl],
                       capture_output=True, check=True).stdout.decode()
    kql = Kql(q)
    assert sorted(map(str, kql.v4 + kql.v6)) == sorted(
        str(ipaddress.ip_network(r)) for r in RULES_V4 + RULES_V6)
    bad = 0
    counts = [0, 0]
    for i, ip in enumerate(spellings):
        want = expected(ip)
        got_kql = kql.excluded(ip)
        counts[want] += 1
        if not (want == local[i] == got_kql):
            bad += 1
            print("DISAGREE %r: expected %s, local %s, KQL %s" %
                  (ip, want, local[i], got_kql))
    print("%d spellings (%d excluded, %d not), %d disagreements" %
          (len(spellings), counts[1], counts[0], bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
