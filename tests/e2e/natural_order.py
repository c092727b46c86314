#!/usr/bin/env python3
"""The natural order of logonhunt's sort, computed independently of it.

Text: each character replaced by its simple case folding from Unicode's
CaseFolding.txt (statuses C and S), compared by code points; equal folds by
their UTF-8 bytes. RemoteIP: what Python's ipaddress reads as an address,
IPv4 before IPv6, by value (a zone is ignored), then the text; anything
else after every address, as text.

Imported by hunt_reference.py and the sort tests. Run as a program,
`natural_order.py FILE` re-sorts a summary CSV (Instances descending, then
the five keys) keeping every record's bytes: the SQLite reference's
ORDER BY can only sort bytes.
"""
import csv
import ipaddress
import os
import sys

CASEFOLDING = os.environ.get('CASEFOLDING',
                             '/usr/share/unicode/CaseFolding.txt')


def _load_fold():
    fold = {}
    try:
        f = open(CASEFOLDING, encoding='utf-8')
    except OSError as e:
        sys.exit('natural_order.py: %s (Debian package unicode-data)' % e)
    with f:
        for line in f:
            p = line.split('#')[0].split(';')
            if len(p) >= 3 and p[1].strip() in ('C', 'S'):
                fold[chr(int(p[0], 16))] = chr(int(p[2].strip(), 16))
    return fold


_FOLD = None


def text_key(s):
    global _FOLD
    if _FOLD is None:
        _FOLD = _load_fold()
    return (''.join(_FOLD.get(c, c) for c in s), s.encode())


def ip_key(s):
    try:
        a = ipaddress.ip_address(s)
    except ValueError:
        return (2, 0, text_key(s))
    return (0 if a.version == 4 else 1, int(a), text_key(s))


def group_key(domain, name, logontype, ip, action, instances):
    """Instances descending, then the keys in natural order."""
    return (-instances, text_key(domain), text_key(name),
            text_key(logontype), ip_key(ip), text_key(action))


def resort(path):
    with open(path, encoding='utf-8', newline='') as f:
        text = f.read()
    # Records kept byte for byte: a record ends at a line end outside
    # quotes (a field may hold a line break).
    records, cur = [], ''
    for line in text.splitlines(keepends=True):
        cur += line
        if cur.count('"') % 2 == 0:
            records.append(cur)
            cur = ''
    if cur:
        records.append(cur)
    head, body = records[0], records[1:]

    def key(rec):
        r = next(csv.reader([rec]))
        return group_key(r[0], r[1], r[2], r[3], r[4], int(r[7]))
    sys.stdout.write(head + ''.join(sorted(body, key=key)))


if __name__ == '__main__':
    resort(sys.argv[1])
