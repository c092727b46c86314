#!/usr/bin/env python3
"""An independent implementation of the hunt with exclusions, for testing.

hunt_reference.py DIR [EXCLUSIONS] prints the summary CSV that
`logonhunt --batch --format csv --exclusions EXCLUSIONS DIR` must print.
It reads the three CSV exports with Python's csv module, runs the query's
filter, joins and summarize, drops the logons an active exclusion rule
matches, and formats the rows as Kusto prints them. Only the parts of the
exclusions format the tests use are understood: sections, `enabled = no`,
rules `[!]ip|account|device VALUE [until=YYYY-MM-DD] [# note]`.
"""
import csv
import datetime
import ipaddress
import json
import re
import sys

csv.field_size_limit(1 << 30)


def read_table(path):
    with open(path, newline='', encoding='utf-8-sig') as f:
        return list(csv.DictReader(f))


def norm_ts(s):
    if not s:
        return ''
    m = re.fullmatch(r'(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z', s)
    if not m:
        raise ValueError('unexpected timestamp ' + s)
    return m.group(1) + '.' + (m.group(2) or '').ljust(7, '0')[:7] + 'Z'


def wildcard(pattern):
    return re.compile('.*'.join(re.escape(p) for p in pattern.split('*')),
                      re.IGNORECASE | re.DOTALL)


def load_rules(path):
    rules = []
    enabled = {}
    cat = None
    today = datetime.datetime.now(datetime.timezone.utc).date()
    for line in open(path, encoding='utf-8'):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        m = re.fullmatch(r'\[([a-z0-9_-]+)\]', line)
        if m:
            cat = m.group(1)
            enabled.setdefault(cat, True)
            continue
        m = re.fullmatch(r'enabled\s*=\s*(yes|no)', line)
        if m:
            enabled[cat] = m.group(1) == 'yes'
            continue
        line = line.split('#', 1)[0].strip()
        active = not line.startswith('!')
        words = line.lstrip('!').split()
        kind, value = words[0], words[1]
        for w in words[2:]:
            if w.startswith('until='):
                if datetime.date.fromisoformat(w[6:]) < today:
                    active = False
        rules.append((cat, kind, value, active))
    return [(k, v) for c, k, v, a in rules if a and enabled[c]]


def excluded(rules, ev):
    for kind, value in rules:
        if kind == 'ip':
            try:
                if ipaddress.ip_address(ev['RemoteIP']) in ipaddress.ip_network(value):
                    return True
            except ValueError:
                pass
        elif kind == 'account':
            dom, _, name = value.rpartition('\\')
            if '\\' not in value:
                dom = '*'
            if wildcard(dom).fullmatch(ev['AccountDomain']) and \
                    wildcard(name).fullmatch(ev['AccountName']):
                return True
        elif kind == 'device':
            if wildcard(value).fullmatch(ev['DeviceName']):
                return True
    return False


def csv_field(s):
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def main():
    d = sys.argv[1]
    rules = load_rules(sys.argv[2]) if len(sys.argv) > 2 else []
    device_ips = set()
    for row in read_table(d + '/DeviceNetworkInfo.csv'):
        for el in json.loads(row['IPAddresses']):
            device_ips.add(el.get('IPAddress', '') if isinstance(el, dict) else '')
    ident = {r['IPAddress'] for r in read_table(d + '/IdentityLogonEvents.csv')
             if r['ISP'] != 'INTERNAL_NETWORK'}
    groups = {}
    for ev in read_table(d + '/DeviceLogonEvents.csv'):
        if ev['RemoteIPType'] != 'Public' or ev['RemoteIP'] in device_ips \
                or ev['RemoteIP'] in ident or excluded(rules, ev):
            continue
        key = (ev['AccountDomain'], ev['AccountName'], ev['LogonType'],
               ev['RemoteIP'], ev['ActionType'])
        g = groups.setdefault(key, [None, None, 0, set()])
        t = norm_ts(ev['Timestamp'])
        if t:
            g[0] = t if g[0] is None or t < g[0] else g[0]
            g[1] = t if g[1] is None or t > g[1] else g[1]
        g[2] += 1
        g[3].add(ev['DeviceId'])
    out = sys.stdout
    out.write('AccountDomain,AccountName,LogonType,RemoteIP,ActionType,'
              'EarliestEvent,LatestEvent,Instances,DistinctMachines\n')
    for key, g in sorted(groups.items(), key=lambda kv: (-kv[1][2], kv[0])):
        out.write(','.join(csv_field(k) for k in key) + ',%s,%s,%d,%d\n'
                  % (g[0] or '', g[1] or '', g[2], len(g[3])))


main()
