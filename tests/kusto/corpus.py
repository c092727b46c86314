#!/usr/bin/env python3
"""Hostile allowlists through every query logonhunt emits, judged by
Microsoft's Kusto parser (tests/kusto/parse.mjs), and the watchlist CSV
read back with Python's csv module.

For each hostile string (line and paragraph separators, CR, NEL, ESC,
quotes, backslashes, comment markers, KQL that would run if a comment
ended early, very long text) an allowlist is made with every rule kind, an
expiry in the future and one in the past, a disabled rule, a switched-off
category, the hostile text as every note and description and in the
file's path; and a tame twin of it with the same rules and plain notes,
descriptions and path. Every query of `--kql` (under each combination of
the window and identity options), `exclusions kql` and
`--kql --watchlist ALIAS` (hostile aliases too) must:
  * parse and analyse without an error against the tables' schemas;
  * have the same shape (tokens, string literals aside) and the same
    string literal values as its twin's query: what is in comments stays
    in comments;
  * decode to the rule values exactly (each value is one literal or, for a
    pattern, its regex), and for the watchlist to the alias.
The watchlist CSV of each allowlist must read back with csv to the active
rules (kind, value, category, note, expiry), spreadsheet formulas
neutralised; a list over 3.8 MB must be split into files under it.

usage: corpus.py LOGONHUNT WORKDIR PARSE_MJS
"""
import csv
import ipaddress
import json
import os
import re
import subprocess
import sys

HOSTILE = [
    "line\u2028| take 0",
    "para\u2029| where false",
    "cr\r| take 0",
    "nel\u0085| take 0",
    "esc\x1b[31mred\x1b[0m bel\x07",
    'quote " and "" and \\" end',
    "backslash \\ and \\\\ and \\u2028 and \\x0a",
    "*/ /* // -- #",
    "}; let x = 1; {",
    "@\"verbatim\" 'single' h\"x\"",
    "\u202eevil\u202c \u2066iso\u2069 \u200bzw \ufeffbom",
    "=HYPERLINK(\"http://x\") +1 -1 @SUM",
    "emoji \U0001F600 and \u00e9\u00e8 \u4e2d\u6587",
    "tab\there",
    "x" * 450 + "\u2028" + "y" * 40,
]

# Options of --kql: every clause the window and the identity filter add.
KQL_OPTIONS = [
    [],
    ["--since", "7d"],
    ["--since", "90m", "--relative-to-data"],
    ["--since", "1.5h", "--from", "2024-01-01"],
    ["--from", "2024-01-01T10:00:00.1234567Z", "--until", "2024-05-31"],
    ["--until", "2024-05-31T23:59:59Z", "--identity-filter", "internal"],
    ["--since", "30s", "--relative-to-data", "--until", "2024-05-31",
     "--identity-filter", "internal"],
    ["--identity-filter", "as-written", "--since", "2d"],
]
ALIASES = ["hunt-allowlist", 'we"ird', "back\\slash\\", "line\u2028sep",
           "x'y // */"]


def quote(v):
    return '"' + v.replace('"', '""') + '"'


def one_line(s):
    """Notes and descriptions end at the end of the line: LF cannot be in
    them; CR can (it is not a line end in the middle of a line)."""
    return s.replace("\n", " ")


def allowlist(h, tame):
    """The file's text and the rules it holds, as (kind, value, category,
    note, expiry, active)."""
    note = "n" if tame else one_line(h)
    desc = "d" if tame else one_line(h)
    # Values hostile in both twins (they are literals, not comments):
    # quotes, backslashes, separators, regex metacharacters, formulas.
    rules = [
        ("maintenance", "ip", "192.0.2.0/24", "", True),
        ("maintenance", "ip", "2001:db8::/32", "2099-12-31", True),
        ("maintenance", "ip", "198.51.100.7", "2000-01-01", False),
        ("maintenance", "ip", "203.0.113.9", "", True),
        ("maintenance", "account", 'CONTOSO\\svc "quoted" \u2028x', "", True),
        ("maintenance", "account", "=cmd|' /C calc'!A0", "2099-01-01", True),
        ("maintenance", "account", "*\\adm*in.(x)+[y]{2}^$|?", "", True),
        ("siem", "device", "-build-\u202e*.contoso.com", "", True),
        ("siem", "device", "@dev \U0001F600 " + "z" * 400, "2099-06-30", True),
        ("siem", "account", "svc_backup'", "", True),
        ("siem", "ip", "fe80::/10", "", True),
        ("custom-1", "device", "x" * 500, "", True),
    ]
    lines = ["[maintenance]", "description = " + desc]
    out = []
    cat = "maintenance"
    for c, kind, value, until, active in rules:
        if c != cat:
            lines += ["", "[%s]" % c, "description = " + desc]
            cat = c
        line = "%s %s" % (kind, quote(value))
        if until:
            line += " until=" + until
        line += " # " + note
        lines.append(line)
        out.append((kind, value, c, note, until, active))
    lines += ["!device disabled-one # " + note,
              "", "[rds]", "enabled = no", "device rds-gw # " + note]
    return "\n".join(lines) + "\n", out


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, check=False, **kw)


def parse_all(parse_mjs, files):
    """{file: (shape, [literals])}; errors are returned as a list."""
    res = run(["node", parse_mjs, "--literals"] + files)
    got, errors, cur = {}, [], None
    for line in res.stdout.decode("utf-8").split("\n"):
        kind, _, rest = line.partition(" ")
        if kind == "ok":
            cur = rest
            got[cur] = [None, []]
        elif kind == "shape":
            got[cur][0] = rest
        elif kind == "literal":
            got[cur][1].append(json.loads(rest))
        elif kind == "error":
            errors.append(rest)
    if res.returncode not in (0, 1):
        sys.exit("parse.mjs failed: " + res.stderr.decode())
    return got, errors


def glob_regex(g):
    out = "(?i)^"
    for ch in g:
        out += ".*" if ch == "*" else ("\\" + ch if ch in "\\.+?()|[]{}^$"
                                       else ch)
    return out + "$"


def expected_literals(rules):
    """Literals that must decode exactly: the rule values (a pattern as
    its regex; an account's domain and name apart)."""
    want = []
    for kind, value, _, _, _, active in rules:
        if not active:
            continue
        if kind == "ip":
            want.append(str(ipaddress.ip_network(value)))
            continue
        parts = value.split("\\", 1) if kind == "account" else [value]
        for p in parts:
            want.append(glob_regex(p) if "*" in p else p)
    return want


def check_watchlist(lh, work, path, rules, fail):
    out = os.path.join(work, "wl.csv")
    res = run([lh, "exclusions", "--exclusions", path, "watchlist", out])
    if res.returncode != 0:
        fail("watchlist failed: %r" % res.stderr)
        return 0
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if rows[0] != ["Kind", "Value", "Category", "Note", "Expiry"]:
        fail("watchlist header %r" % rows[0])

    def cell(v):
        if v[:1] in ("=", "+", "-", "@", "\t", "\r"):
            fail("formula not neutralised: %r" % v)
        return v[1:] if v.startswith("'") else v
    got = [[cell(v) for v in r] for r in rows[1:]]
    want = []
    for kind, value, cat, note, until, active in rules:
        if active:
            v = (str(ipaddress.ip_network(value)) if kind == "ip" else value)
            want.append([kind, v, cat, note, until])
    # A note with controls may be shown differently by the file reader;
    # everything else must come back exactly.
    def key(r):
        return r[:3] + [r[4]] + ([r[3]] if r[3].isprintable() else [])
    if sorted(map(key, got)) != sorted(map(key, want)):
        fail("watchlist rows differ:\n got %r\nwant %r" % (got, want))
    return len(got)


def check_glob(lh, fail):
    """The watchlist query's '*' test (no regex: Kusto wants a constant
    one) evaluated in Python as Kusto would run it, against a regex made
    from the pattern, on random patterns and strings over a small alphabet
    (so that pieces overlap and repeat)."""
    q = run([lh, "--kql", "--watchlist", "x"]).stdout.decode()
    step = re.search(r"let ExclGlobStep = .*?\n\};\n", q, re.S).group(0)
    glob = re.search(r"let ExclGlob = .*?\n\};\n", q, re.S).group(0)
    if step != (
            "let ExclGlobStep = (s:string, q:dynamic, k:int, e:long) {\n"
            "    let part = tostring(q[k]);\n"
            "    iff(e < 0 or k >= array_length(q) - 1 or strlen(part) == 0,"
            " e,\n"
            "        iff(indexof(s, part, e) < 0, -1, indexof(s, part, e) +"
            " strlen(part)))\n};\n"):
        fail("ExclGlobStep is not what check_glob re-implements:\n" + step)
        return 0
    steps = re.findall(r"let e(\d+) = ExclGlobStep\(s, q, (\d+), e(\d+)\);",
                       glob)
    if not steps or any(int(a) != int(b) or int(c) != int(a) - 1
                        for a, b, c in steps):
        fail("ExclGlob's steps are not e1..eN:\n" + glob)
        return 0
    last = len(steps)
    if ("iff(n == 1, s == p, e%d >= 0 and s endswith_cs pn and e%d <= "
            "strlen(s) - strlen(pn))" % (last, last)) not in glob or \
            "let e0 = iff(s startswith_cs p0, strlen(p0), -1);" not in glob:
        fail("ExclGlob's ends are not what check_glob re-implements:\n" +
             glob)
        return 0

    def kusto_glob(s, p):
        parts = p.split("*")
        n = len(parts)
        e = len(parts[0]) if s.startswith(parts[0]) else -1
        for k in range(1, last + 1):
            part = parts[k] if k < n else ""
            if not (e < 0 or k >= n - 1 or len(part) == 0):
                i = s.find(part, e)
                e = -1 if i < 0 else i + len(part)
        if n == 1:
            return s == p
        return e >= 0 and s.endswith(parts[-1]) and \
            e <= len(s) - len(parts[-1])

    rng = __import__("random").Random(15)
    tried = 0
    for _ in range(30000):
        p = "".join(rng.choice("ab*") for _ in range(rng.randrange(20)))
        if p.count("*") > last + 1:
            continue
        s = "".join(rng.choice("ab") for _ in range(rng.randrange(12)))
        want = re.fullmatch("(?s)" + ".*".join(map(re.escape, p.split("*"))),
                            s) is not None
        tried += 1
        if kusto_glob(s, p) != want:
            fail("glob %r on %r: the query says %s" % (p, s, not want))
            break
    return tried


def check_split(lh, work, fail):
    """A list over 3.8 MB is split into files under it, header in each."""
    path = os.path.join(work, "big")
    n = 9000
    with open(path, "w", encoding="utf-8") as f:
        f.write("[maintenance]\n")
        for i in range(n):
            f.write("account big\\user%05d # %s\n" % (i, "=n" * 200))
    res = run([lh, "exclusions", "--exclusions", path, "watchlist"])
    if res.returncode != 1 or b"give a FILE" not in res.stderr:
        fail("an oversized watchlist on stdout was not refused: %r" %
             res.stderr)
    res = run([lh, "exclusions", "--exclusions", path, "watchlist",
               os.path.join(work, "big.csv")])
    if res.returncode != 0:
        fail("split watchlist failed: %r" % res.stderr)
        return 0
    parts = sorted(f for f in os.listdir(work)
                   if re.fullmatch(r"big-\d+\.csv", f))
    users = []
    for p in parts:
        full = os.path.join(work, p)
        if os.path.getsize(full) > 3800000:
            fail("%s is %d bytes" % (p, os.path.getsize(full)))
        with open(full, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        if rows[0] != ["Kind", "Value", "Category", "Note", "Expiry"]:
            fail("%s has no header" % p)
        users += [r[1] for r in rows[1:]]
    if len(parts) < 2 or users != ["big\\user%05d" % i for i in range(n)]:
        fail("split into %d parts holding %d rules" % (len(parts),
                                                        len(users)))
    if os.path.exists(os.path.join(work, "big.csv")):
        fail("big.csv written although the rules were split")
    return len(parts)


def main():
    lh, work, parse_mjs = sys.argv[1:4]
    failures = []

    def fail(m):
        failures.append(m)
        print("FAIL: " + m)

    queries = []        # (hostile file, twin file, literals wanted, alias)
    qn = 0
    nlists = 0
    rows = 0

    def emit(args, name):
        nonlocal qn
        qn += 1
        f = os.path.join(work, "q%04d-%s.kql" % (qn, name))
        res = run(args)
        if res.returncode != 0:
            fail("%r exited %d: %r" % (args, res.returncode, res.stderr))
        with open(f, "wb") as out:
            out.write(res.stdout)
        return f

    for i, h in enumerate(HOSTILE):
        files = {}
        for tame in (False, True):
            d = os.path.join(work, "tame%d" % i if tame else
                             "dir%d %s \" \\ */ //" % (i, one_line(h)[:60]))
            os.makedirs(d, exist_ok=True)
            path = os.path.join(d, "exclusions")
            text, rules = allowlist(h, tame)
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            files[tame] = (path, rules)
        nlists += 1
        path, rules = files[False]
        tpath, _ = files[True]
        want = expected_literals(rules)
        # Every option combination on the first two lists, the plain
        # query on the others (the options add the same clauses whatever
        # the rules; Kusto's parser is slow enough to count).
        for opts in KQL_OPTIONS if i < 2 else KQL_OPTIONS[:1]:
            a = emit([lh, "--kql", "--exclusions", path] + opts, "kql")
            b = emit([lh, "--kql", "--exclusions", tpath] + opts, "twin")
            queries.append((a, b, want, None))
        a = emit([lh, "exclusions", "--exclusions", path, "kql"], "excl")
        b = emit([lh, "exclusions", "--exclusions", tpath, "kql"], "twin")
        queries.append((a, b, want, None))
        rows += check_watchlist(lh, work, path, rules, fail)

    for j, opts in enumerate(KQL_OPTIONS[::4]):
        b = emit([lh, "--kql", "--watchlist", "tame"] + opts, "twin")
        for alias in ALIASES:
            a = emit([lh, "--kql", "--watchlist", alias] + opts, "wl")
            queries.append((a, b, [], alias))
    files = sorted({q for a, b, _, _ in queries for q in (a, b)})
    parsed, errors = parse_all(parse_mjs, files)
    for e in errors:
        fail("Kusto: " + e)
    for a, b, want, alias in queries:
        if a not in parsed or b not in parsed:
            continue
        (sa, la), (sb, lb) = parsed[a], parsed[b]
        if sa != sb:
            fail("%s and its twin %s differ in shape" % (a, b))
        if alias is None and la != lb:
            fail("%s and its twin %s differ in literals" % (a, b))
        if alias is not None and [x for x in la if x != alias] != \
                [x for x in lb if x != "tame"]:
            fail("%s: literals other than the alias differ" % a)
        if alias is not None and alias not in la:
            fail("%s: the alias %r is not a literal" % (a, alias))
        for w in want:
            if w not in la:
                fail("%s: %r is not among its string literals" % (a, w))
    parts = check_split(lh, work, fail)
    globs = check_glob(lh, fail)
    print("%d hostile allowlists (and their twins), %d queries parsed by "
          "Kusto's parser: %d clean; %d watchlist rows read back; a large "
          "list split into %d files; the watchlist's '*' test agrees with a "
          "regex on %d patterns; %d failures" %
          (nlists, len(files), len(parsed), rows, parts, globs,
           len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
