#!/usr/bin/env python3
"""Checks a rendered report: the DOM a browser dumped from the HTML report,
or the HTML an independent Markdown renderer made of the Markdown one.

usage: report_dom.py html|md FILE [EXPECTED]

Fails (exit 1, a line per problem) when any element or attribute is not
one the report itself writes (so none came from the data: no script, link,
image, style, event handler), when an attribute value is not one of ours,
when text holds a raw control or bidirectional character, or when a line
of EXPECTED (a value as the report must show it, with \\n for a newline
escape written as the two characters) is not the whole text of some cell.
Parsing is Python's html.parser: independent of the program under test.
"""
import sys
from html.parser import HTMLParser

HTML_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2",
    "h3", "p", "div", "table", "thead", "tbody", "tr", "th", "td", "code",
    "figure", "svg", "text", "rect", "path", "footer",
}
MD_TAGS = {"h1", "h2", "h3", "p", "table", "thead", "tbody", "tr", "th",
           "td", "code", "hr"}
# The attributes the report writes, and the values they may have (None:
# a number or path data, checked by pattern).
HTML_ATTRS = {
    "lang": {"en"}, "charset": {"utf-8"},
    "http-equiv": {"Content-Security-Policy"},
    "name": {"viewport", "referrer"},
    "content": None, "class": {"wrap", "wrap chunk", "kv", "rt inputs", "rt rules",
                               "rt groups", "rt events", "n", "chart",
                               "bar", "rm", "tl", ""},
    "id": {"manifest", "inputs", "exclusions", "funnel", "top-accounts",
           "top-ips", "groups", "events"},
    "data-h": None, "viewbox": None, "role": {"img"}, "aria-label": None,
    "x": None, "y": None, "width": None, "height": None,
    "text-anchor": {"end"}, "d": None,
}
MD_ATTRS = {"align": {"right", "left", "center"}}
META_CONTENT = {
    "width=device-width, initial-scale=1", "no-referrer",
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'",
}
LABELS = {"The funnel", "Top accounts by logons", "Top remote IPs by logons"}
HEADS = {"#", "File", "Table", "Bytes", "Rows read", "SHA-256", "Category",
         "Kind", "Value", "Note", "Expires", "Groups", "Logons",
         "AccountDomain", "AccountName", "LogonType", "RemoteIP",
         "ActionType", "EarliestEvent", "LatestEvent", "Instances",
         "DistinctMachines", "Timeline", "Timestamp", "DeviceName",
         "RemotePort", "Protocol", "FailureReason", "IsLocalAdmin",
         "InitiatingProcessFileName", "InitiatingProcessCommandLine",
         "logonhunt version", "Command line", "Started",
         "Elapsed until the report", "Loading took", "Exclusions evaluated at",
         "Time window", "Identity filter", "Reported", "Anonymised",
         "Enrichment source", "Country", "ASN", "ASOrg", "Owner", "Intel",
         "Status", "Verdict"}
NUMERIC = set("0123456789.-ehvzMh ")


def bad_char(c):
    o = ord(c)
    return (o < 0x20 and c not in "\n\t") or 0x7f <= o < 0xa0 or \
        0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069 or o == 0x200f \
        or o == 0x200e or o == 0x061c


class Check(HTMLParser):
    def __init__(self, md):
        super().__init__(convert_charrefs=True)
        self.md = md
        self.problems = []
        self.cells = []
        self.stack = []
        self.cell = None
        self.styles = 0

    def problem(self, s):
        if len(self.problems) < 50:
            self.problems.append(s)

    def handle_starttag(self, tag, attrs):
        tags = MD_TAGS if self.md else HTML_TAGS
        allowed = MD_ATTRS if self.md else HTML_ATTRS
        if tag not in tags:
            self.problem("element <%s> is not one the report writes" % tag)
        if tag == "style":
            self.styles += 1
        for name, value in attrs:
            value = value or ""
            if name not in allowed:
                self.problem("attribute %s=%r on <%s>" % (name, value, tag))
                continue
            ok = allowed[name]
            if ok is not None and value not in ok:
                self.problem("attribute %s has a value not ours: %r" % (name, value))
            elif name == "content" and value not in META_CONTENT:
                self.problem("meta content not ours: %r" % value)
            elif name == "data-h" and value not in HEADS:
                self.problem("data-h not a column name: %r" % value)
            elif name == "aria-label" and value not in LABELS:
                self.problem("aria-label not ours: %r" % value)
            elif name in ("x", "y", "width", "height", "viewbox", "d") and \
                    not set(value) <= NUMERIC:
                self.problem("%s is not a number: %r" % (name, value))
        if tag not in ("meta",) and tag not in ("rect", "path"):
            self.stack.append(tag)
        if tag in ("td", "th", "code"):
            self.cell = []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in ("td", "th", "code") and self.cell is not None:
            self.cells.append("".join(self.cell))
            self.cell = None
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        for c in data:
            if bad_char(c):
                self.problem("raw U+%04X in the text" % ord(c))
                break
        if self.cell is not None:
            self.cell.append(data)

    def handle_comment(self, data):
        self.problem("a comment: %r" % data)

    def handle_pi(self, data):
        self.problem("a processing instruction: %r" % data)

    def unknown_decl(self, data):
        self.problem("a declaration: %r" % data)


def main():
    mode, path = sys.argv[1], sys.argv[2]
    c = Check(mode == "md")
    with open(path, encoding="utf-8") as f:
        c.feed(f.read())
    c.close()
    if mode == "html" and c.styles != 1:
        c.problem("%d <style> elements, not the report's one" % c.styles)
    if len(sys.argv) > 3:
        cells = set(x.strip() for x in c.cells)
        with open(sys.argv[3], encoding="utf-8") as f:
            for line in f:
                want = line.rstrip("\n")
                if want and want not in cells:
                    c.problem("no cell shows %r" % want)
    for p in c.problems:
        print("FAIL: %s: %s" % (path, p))
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())
