#!/usr/bin/env python3
"""An independent implementation of the hunt with exclusions, for testing.

hunt_reference.py [OPTIONS] DIR [EXCLUSIONS] prints the summary CSV that
`logonhunt --batch --format csv [OPTIONS] --exclusions EXCLUSIONS DIR` must
print. It reads the three CSV exports with Python's csv module, runs the
query's filter, joins and summarize as Kusto does, drops the logons an
active exclusion rule matches, and formats the rows as Kusto prints them.

Options (those of logonhunt that change the result):
  --identity-filter as-written|internal
  --from TIME, --until TIME (ISO 8601; a bare date for --until is the
      end of that day)
  --since DURATION (7d, 24h, 90m, 30s, decimals allowed), counted back
      from --now (default: the clock) or, with --relative-to-data, from
      the newest Public logon
  --now TIME: what "now" is for --since (for tests)

Kusto semantics followed, independently of logonhunt's code:
  * DeviceNetworkInfo: todynamic(IPAddresses), then mv-expand: an array
    gives one row per element, an empty array or property bag none, a
    property bag one single-entry bag per key, null or any other value one
    row with the value; then tostring(parse_json(NetworkInfo).IPAddress):
    a string as it is, null (no such key, or not a bag) "", anything else
    its compact JSON text. A value that is not JSON is a string.
  * ISP != "INTERNAL_NETWORK", the joins and summarize's keys compare
    strings exactly (case and spaces count).
  * Timestamp is a datetime: ISO 8601 with or without a zone (Z, +hh:mm,
    +hhmm; none is UTC), 100 ns ticks; an empty or unparseable one is
    null: it counts in Instances but min() and max() skip it, and no time
    window keeps it.

Only the parts of the exclusions format the tests use are understood:
sections, `enabled = no`, rules `[!]ip|account|device VALUE [until=DATE]
[# note]`.
"""
import argparse
import csv
import datetime
import ipaddress
import json
import re
import sys

import natural_order

csv.field_size_limit(1 << 30)

TICKS = 10_000_000
# Ticks between 0001-01-01 and 1970-01-01; the datetime range, in ticks
# since 1970-01-01.
EPOCH_ORD = datetime.date(1970, 1, 1).toordinal()
MIN_TICKS = (1 - EPOCH_ORD) * 86400 * TICKS
END_TICKS = (datetime.date(9999, 12, 31).toordinal() + 1 - EPOCH_ORD) * 86400 * TICKS

TS_RE = re.compile(
    r'([0-9]{4})-([0-9]{2})-([0-9]{2})'
    r'(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?'
    r'(Z|[+-][0-9]{2}:?[0-9]{2})?)?')


def read_table(path):
    with open(path, newline='', encoding='utf-8-sig') as f:
        return list(csv.DictReader(f))


def parse_ts(s):
    """Ticks since 1970-01-01T00:00:00Z, or None for a null datetime."""
    m = TS_RE.fullmatch(s)
    if not m:
        return None
    y, mo, d, hh, mi, ss, frac, zone = m.groups()
    try:
        days = datetime.date(int(y), int(mo), int(d)).toordinal() - EPOCH_ORD
    except ValueError:
        return None
    hh, mi, ss = int(hh or 0), int(mi or 0), int(ss or 0)
    if hh > 23 or mi > 59 or ss > 59:
        return None
    secs = days * 86400 + hh * 3600 + mi * 60 + ss
    if zone and zone != 'Z':
        oh, om = int(zone[1:3]), int(zone[-2:])
        if oh > 23 or om > 59:
            return None
        secs -= (1 if zone[0] == '+' else -1) * (oh * 3600 + om * 60)
    t = secs * TICKS + int((frac or '').ljust(7, '0')[:7])
    if t < MIN_TICKS or t >= END_TICKS:
        return None
    return t


def format_ts(t):
    if t is None:
        return ''
    secs, frac = divmod(t, TICKS)
    days, sod = divmod(secs, 86400)
    date = datetime.date.fromordinal(days + EPOCH_ORD)
    return '%04d-%02d-%02dT%02d:%02d:%02d.%07dZ' % (
        date.year, date.month, date.day, sod // 3600, sod // 60 % 60,
        sod % 60, frac)


def parse_duration(s):
    m = re.fullmatch(r'([0-9]+(?:\.[0-9]*)?|\.[0-9]+)([dhms])', s)
    if not m:
        raise ValueError('not a duration: ' + s)
    unit = {'d': 86400, 'h': 3600, 'm': 60, 's': 1}[m.group(2)]
    return int(float(m.group(1)) * unit * TICKS + 0.5)


def kusto_tostring(v):
    """tostring() of a dynamic value."""
    if v is None:
        return ''
    if isinstance(v, str):
        return v
    return json.dumps(v, separators=(',', ':'), ensure_ascii=False)


def expand_ipaddresses(text):
    """The IpAddress values one IPAddresses cell gives."""
    try:
        value = json.loads(text)
    except ValueError:
        value = text    # todynamic() of a non-JSON string: that string
    if isinstance(value, list):
        elements = value
    elif isinstance(value, dict):
        # mv-expand's default bagexpansion=bag: one single-entry bag per key.
        elements = [{k: v} for k, v in value.items()]
    else:
        elements = [value]
    return [kusto_tostring(el.get('IPAddress')) if isinstance(el, dict) else ''
            for el in elements]


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


def option_time(text, what, end_of_day=False):
    t = parse_ts(text)
    if t is None:
        sys.exit('hunt_reference.py: %s: not a time: %s' % (what, text))
    if end_of_day and len(text) == 10:
        t += 86400 * TICKS - 1
    return t


def window(args, logons):
    """The time window: (lower, upper) bounds in ticks (None: open), or
    None when no window option is given."""
    if not (args.from_ or args.until or args.since):
        return None
    lo = option_time(args.from_, '--from') if args.from_ else None
    hi = option_time(args.until, '--until', True) if args.until else None
    if args.since:
        if args.relative_to_data:
            stamps = [ev['ts'] for ev in logons if ev['ts'] is not None]
            base = max(stamps) if stamps else None
        elif args.now:
            base = option_time(args.now, '--now')
        else:
            now = datetime.datetime.now(datetime.timezone.utc)
            base = parse_ts(now.strftime('%Y-%m-%dT%H:%M:%SZ'))
        # max() of nothing but nulls is null, and so is the bound it gives:
        # "Timestamp >= null" keeps no logon.
        since_lo = END_TICKS if base is None else base - parse_duration(args.since)
        lo = since_lo if lo is None else max(lo, since_lo)
    return lo, hi


def in_window(w, t):
    if w is None:
        return True
    lo, hi = w
    return t is not None and (lo is None or t >= lo) and (hi is None or t <= hi)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('dir')
    ap.add_argument('exclusions', nargs='?')
    ap.add_argument('--identity-filter', choices=('as-written', 'internal'),
                    default='as-written')
    ap.add_argument('--from', dest='from_')
    ap.add_argument('--until')
    ap.add_argument('--since')
    ap.add_argument('--relative-to-data', action='store_true')
    ap.add_argument('--now')
    args = ap.parse_args()
    if args.relative_to_data and not args.since:
        ap.error('--relative-to-data goes with --since')

    d = args.dir
    rules = load_rules(args.exclusions) if args.exclusions else []
    device_ips = set()
    for row in read_table(d + '/DeviceNetworkInfo.csv'):
        device_ips.update(expand_ipaddresses(row['IPAddresses']))
    internal = args.identity_filter == 'internal'
    ident = set()
    for r in read_table(d + '/IdentityLogonEvents.csv'):
        isp = r['ISP'] if 'ISP' in r else r['Isp']
        if (isp == 'INTERNAL_NETWORK') == internal:
            ident.add(r['IPAddress'])

    logons = [ev for ev in read_table(d + '/DeviceLogonEvents.csv')
              if ev['RemoteIPType'] == 'Public']
    for ev in logons:
        ev['ts'] = parse_ts(ev['Timestamp'])
    win = window(args, logons)
    groups = {}
    for ev in logons:
        t = ev['ts']
        if not in_window(win, t):
            continue
        if ev['RemoteIP'] in device_ips or ev['RemoteIP'] in ident \
                or excluded(rules, ev):
            continue
        key = (ev['AccountDomain'], ev['AccountName'], ev['LogonType'],
               ev['RemoteIP'], ev['ActionType'])
        g = groups.setdefault(key, [None, None, 0, set()])
        if t is not None:
            g[0] = t if g[0] is None or t < g[0] else g[0]
            g[1] = t if g[1] is None or t > g[1] else g[1]
        g[2] += 1
        g[3].add(ev['DeviceId'])
    out = sys.stdout
    out.write('AccountDomain,AccountName,LogonType,RemoteIP,ActionType,'
              'EarliestEvent,LatestEvent,Instances,DistinctMachines\n')
    # Instances descending, then the keys ascending in natural order.
    for key, g in sorted(groups.items(),
                         key=lambda kv: natural_order.group_key(*kv[0],
                                                                kv[1][2])):
        out.write(','.join(csv_field(k) for k in key) + ',%s,%s,%d,%d\n'
                  % (format_ts(g[0]), format_ts(g[1]), g[2], len(g[3])))


if __name__ == '__main__':
    main()
