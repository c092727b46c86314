#!/usr/bin/env python3
"""Fixtures and an independent reference for the enrichment columns.

enrich_reference.py make DIR LOGONS.csv
    Writes into DIR, from the public addresses of LOGONS.csv (picked by
    their sorted order, so the files are the same on every run):
      extra_logons.csv  a few IPv6 and IPv4-mapped logons to add to the data
      *.spec.json       specs of three MaxMind DBs (mkmmdb.pl writes them):
                        GeoLite2-Country, GeoLite2-ASN and IPinfo Lite layouts
      aws.json, gcp.json, misp_warninglist.json   range files
      intel.txt, intel.csv, misp.csv, stix.json, tor.txt   intel files
      geoip.order, ranges.order, intel.order  the files in the order the
                        test passes them

enrich_reference.py check DIR OUT.csv LOGONS.csv... [--azure FILE]
    Reads logonhunt's summary with the enrichment columns (OUT.csv, run
    with --no-exclusions over LOGONS.csv and the fixture files) and
    computes what every row's Country, ASN, ASOrg, Owner and Intel must be,
    with Python's ipaddress module over the same source files (the specs
    for the databases). Prints every difference; exit 1 if any.

The rules, as logonhunt(1) documents them:
  * GeoIP: the databases in the order given, the first that has a field
    gives it; within one, the most specific network.
  * Owner: the most specific prefix of all range files; among equal
    prefixes the highest rank (Azure: a tag with a region +2, a tag other
    than AzureCloud* +1; AWS: a service other than AMAZON +1; GCP: a scope
    +1), then the file and entry read first.
  * Intel: per file (in the order given), every entry whose prefix holds
    the address (the most specific first); an entry counts if one of the group's events falls in
    [valid_from, valid_until) (STIX) or in [earliest - 24 h, latest + 24 h]
    of the relay's Published, LastStatus and ExitAddress times (Tor). The
    value is the file name, ": " and up to three distinct entry names in
    file order (" and N more"); files joined by "; ".
"""
import csv
import ipaddress
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hunt_reference import parse_ts, TICKS  # noqa: E402

csv.field_size_limit(1 << 30)
DAY = 86400 * TICKS
KEYS = ('AccountDomain', 'AccountName', 'LogonType', 'RemoteIP', 'ActionType')


def read_logons(paths):
    """Public logons grouped by the summary's keys: list of timestamps."""
    groups = {}
    for p in paths:
        with open(p, newline='', encoding='utf-8-sig') as f:
            for row in csv.DictReader(f):
                if row.get('RemoteIPType') != 'Public':
                    continue
                k = tuple(row[c] for c in KEYS)
                groups.setdefault(k, []).append(parse_ts(row['Timestamp']))
    return groups


def addr(text):
    try:
        a = ipaddress.ip_address(text.split('%')[0])
    except ValueError:
        return None
    if a.version == 6 and a.ipv4_mapped is not None:
        return a.ipv4_mapped
    return a


def fmt_time(t):
    """Ticks to 'YYYY-MM-DD HH:MM:SS' (the Tor list's format)."""
    import datetime
    secs = t // TICKS
    d = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=secs)
    return d.strftime('%Y-%m-%d %H:%M:%S')


def fmt_iso(t):
    import datetime
    secs = t // TICKS
    d = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=secs)
    return d.strftime('%Y-%m-%dT%H:%M:%S.000Z')


# ------------------------------------------------------------------ make

def make(out, logons):
    groups = read_logons([logons])
    ips = sorted({k[3] for k in groups if addr(k[3]) is not None},
                 key=lambda s: (addr(s).version, int(addr(s))))
    times = {}
    for k, ts in groups.items():
        times.setdefault(k[3], []).extend(t for t in ts if t is not None)
    os.makedirs(out, exist_ok=True)

    def net(ip, pf):
        return str(ipaddress.ip_network('%s/%d' % (ip, pf), strict=False))

    # Extra logons: IPv6 and IPv4-mapped addresses.
    v6 = ['2001:db8:aa::17', '2001:db8:aa::18', '2a01:111:f400::5',
          '::ffff:' + ips[0]]
    with open(os.path.join(out, 'extra_logons.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['Timestamp', 'DeviceId', 'DeviceName', 'ActionType',
                    'LogonType', 'AccountDomain', 'AccountName', 'RemoteIP',
                    'RemoteIPType'])
        for i, ip in enumerate(v6):
            for j in range(3):
                w.writerow(['2025-03-0%dT1%d:00:00Z' % (4 + j, i), 'dev%d' % j,
                            'host%d' % j, 'LogonFailed', 'Network', '',
                            'v6user%d' % i, ip, 'Public'])

    # GeoIP specs. Country: a /16 for every fourth address, then /24s
    # for every other one (inside some of the /16s: the /24 wins).
    cc = ['DE', 'NL', 'FR', 'US', 'BR', 'JP', 'CN', 'RU', 'GB']
    country = []
    for i, ip in enumerate(ips):
        if i % 4 == 0:
            country.append([net(ip, 16), {'country': {'iso_code': 'FR'}}])
    for i, ip in enumerate(ips):
        if i % 2 == 0:
            country.append([net(ip, 24), {'country': {'iso_code': cc[i % 9]},
                            'registered_country': {'iso_code': 'SE'}}])
        elif i % 7 == 1:
            # Only the registered country is known.
            country.append([net(ip, 24), {'registered_country':
                                          {'iso_code': 'IE'}}])
    country.append(['2001:db8::/32', {'country': {'iso_code': 'NL'}}])
    asn = []
    for i, ip in enumerate(ips):
        if i % 3 == 0:
            asn.append([net(ip, 24), {'autonomous_system_number': 64500 + i,
                        'autonomous_system_organization': 'Org %d, Inc.' % i}])
    asn.append(['2001:db8:aa::/48', {'autonomous_system_number': 65001,
                'autonomous_system_organization': 'Six "Quoted" Net'}])
    ipinfo = []
    for i, ip in enumerate(ips):
        if i % 5 == 1:
            ipinfo.append([net(ip, 24), {'country_code': 'CA',
                           'country': 'Canada', 'asn': 'AS%d' % (70000 + i),
                           'as_name': 'IPinfo Org %d' % i,
                           'as_domain': 'example.org'}])
    specs = [('country', 'GeoLite2-Country', country),
             ('asn', 'GeoLite2-ASN', asn),
             ('ipinfo', 'ipinfo lite.mmdb', ipinfo)]
    for name, typ, nets in specs:
        with open(os.path.join(out, name + '.spec.json'), 'w') as f:
            json.dump({'type': typ, 'ip_version': 6, 'networks': nets}, f)
    with open(os.path.join(out, 'geoip.order'), 'w') as f:
        f.write('country.mmdb\nasn.mmdb\nipinfo.mmdb\n')

    # Ranges.
    aws = {'syncToken': '1', 'createDate': '2025-03-01-00-00-00',
           'prefixes': [], 'ipv6_prefixes': []}
    for i, ip in enumerate(ips):
        if i % 4 == 0:
            aws['prefixes'].append({'ip_prefix': net(ip, 16), 'region':
                                    'us-east-1', 'service': 'AMAZON'})
            aws['prefixes'].append({'ip_prefix': net(ip, 24), 'region':
                                    'eu-west-1', 'service': 'AMAZON'})
            aws['prefixes'].append({'ip_prefix': net(ip, 24), 'region':
                                    'eu-west-1', 'service': 'EC2'})
    aws['ipv6_prefixes'].append({'ipv6_prefix': '2001:db8:aa::/48', 'region':
                                 'eu-central-1', 'service': 'S3'})
    gcp = {'syncToken': '1', 'creationTime': '2025-03-01T00:00:00',
           'prefixes': []}
    for i, ip in enumerate(ips):
        if i % 4 == 1:
            gcp['prefixes'].append({'ipv4Prefix': net(ip, 20), 'service':
                                    'Google Cloud', 'scope': 'europe-west%d' % (i % 5)})
        if i % 8 == 0:
            # The same /16 as AWS's: equal prefix, equal rank; AWS first.
            gcp['prefixes'].append({'ipv4Prefix': net(ip, 16), 'service':
                                    'Google Cloud', 'scope': 'us-central1'})
    misp = {'name': 'List of known test hosting ranges', 'type': 'cidr',
            'version': 1, 'description': 'test', 'matching_attributes':
            ['ip-src', 'ip-dst'], 'list': []}
    for i, ip in enumerate(ips):
        if i % 4 == 2:
            misp['list'].append(ip)
        if i % 4 == 0 and i % 8 == 4:
            misp['list'].append(net(ip, 28))
    misp['list'].append('2001:db8:aa::17/128')
    for name, doc in (('aws.json', aws), ('gcp.json', gcp),
                      ('misp_warninglist.json', misp)):
        with open(os.path.join(out, name), 'w') as f:
            json.dump(doc, f, indent=1)
    with open(os.path.join(out, 'ranges.order'), 'w') as f:
        f.write('aws.json\ngcp.json\nmisp_warninglist.json\n')

    # Intel.
    with open(os.path.join(out, 'intel.txt'), 'w') as f:
        f.write('# test list\n\n')
        for i, ip in enumerate(ips):
            if i % 6 == 0:
                f.write('%s   # seen scanning\r\n' % ip)
            if i % 12 == 1:
                f.write(net(ip, 24) + '\n')
        f.write('2001:db8:aa::/64\n')
    with open(os.path.join(out, 'intel.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['first_seen', 'IP_Address', 'comment'])
        for i, ip in enumerate(ips):
            if i % 6 == 1:
                w.writerow(['2025-01-01', ip, 'multi\nline, "quoted"'])
    with open(os.path.join(out, 'misp.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['uuid', 'event_id', 'category', 'type', 'value',
                    'comment', 'to_ids', 'date', 'object_relation',
                    'attribute_tag', 'object_uuid', 'object_name',
                    'object_meta_category'])
        for i, ip in enumerate(ips):
            if i % 6 == 2:
                w.writerow(['u%d' % i, str(100 + i), 'Network activity',
                            'ip-dst|port', ip + '|3389', '', '1',
                            '1700000000', '', '', '', '', ''])
                w.writerow(['v%d' % i, str(200 + i), 'Network activity',
                            'ip-src', ip, '', '1', '1700000000', '', '',
                            '', '', ''])
                w.writerow(['w%d' % i, str(300 + i), 'Network activity',
                            'domain', 'evil%d.example' % i, '', '1',
                            '1700000000', '', '', '', '', ''])
            if i % 6 == 5:
                w.writerow(['x%d' % i, str(400 + i), 'Network activity',
                            'domain|ip', 'x.example|' + ip, '', '1',
                            '1700000000', '', '', '', '', ''])
    objs = [{'type': 'identity', 'spec_version': '2.1', 'id':
             'identity--0', 'name': 'test'}]
    for i, ip in enumerate(ips):
        if i % 6 != 3:
            continue
        ts = sorted(times[ip])
        mid = ts[len(ts) // 2]
        ind = {'type': 'indicator', 'spec_version': '2.1',
               'id': 'indicator--%08d-0000-4000-8000-000000000000' % i,
               'pattern_type': 'stix'}
        if i % 4 == 3:
            # Valid from the middle of its events: groups with a later
            # event are flagged.
            ind.update(name='Brute force source %d' % i,
                       pattern="[ipv4-addr:value = '%s']" % ip,
                       valid_from=fmt_iso(mid))
        else:
            # Expired before the first event: never flagged.
            ind.update(pattern="[ipv4-addr:value = '%s' OR "
                       "ipv4-addr:value = '198.51.100.7']" % ip,
                       valid_from='2020-01-01T00:00:00Z',
                       valid_until=fmt_iso(ts[0] - TICKS))
        objs.append(ind)
        objs.append({'type': 'indicator', 'spec_version': '2.1',
                     'id': 'indicator--range-%d' % i, 'name': 'Range %d' % i,
                     'pattern_type': 'stix', 'valid_from': '2020-01-01T00:00:00Z',
                     'pattern': "[ipv4-addr:value ISSUBSET '%s']" % net(ip, 24)})
    objs.append({'type': 'indicator', 'spec_version': '2.1', 'id':
                 'indicator--file', 'pattern_type': 'stix', 'valid_from':
                 '2020-01-01T00:00:00Z', 'pattern':
                 "[file:hashes.'SHA-256' = 'aa']"})
    objs.append({'type': 'indicator', 'spec_version': '2.1', 'id':
                 'indicator--and', 'pattern_type': 'stix', 'valid_from':
                 '2020-01-01T00:00:00Z', 'pattern':
                 "[ipv4-addr:value = '%s' AND network-traffic:dst_port = 22]"
                 % ips[0]})
    objs.append({'type': 'indicator', 'spec_version': '2.1', 'id':
                 'indicator--v6', 'name': 'Six', 'pattern_type': 'stix',
                 'valid_from': '2020-01-01T00:00:00Z', 'pattern':
                 "[ipv6-addr:value = '2001:db8:aa::18']"})
    # The bounds to the tick, on the extra logons (v6user0 at 10:00 on
    # March 4, 5 and 6; v6user1 at 11:00): valid_until is exclusive,
    # valid_from inclusive.
    objs.append({'type': 'indicator', 'spec_version': '2.1', 'id':
                 'indicator--until', 'name': 'Ended at the first event',
                 'pattern_type': 'stix', 'valid_from': '2025-03-01T00:00:00Z',
                 'valid_until': '2025-03-04T10:00:00Z', 'pattern':
                 "[ipv6-addr:value = '2001:db8:aa::17']"})
    objs.append({'type': 'indicator', 'spec_version': '2.1', 'id':
                 'indicator--from', 'name': 'From the last event',
                 'pattern_type': 'stix', 'valid_from': '2025-03-06T11:00:00Z',
                 'pattern': "[ipv6-addr:value = '2001:db8:aa::18/128' OR "
                 "ipv4-addr:value = '192.0.2.1']"})
    with open(os.path.join(out, 'stix.json'), 'w') as f:
        json.dump({'type': 'bundle', 'id': 'bundle--1', 'objects': objs}, f,
                  indent=1)
    with open(os.path.join(out, 'tor.txt'), 'w') as f:
        f.write('@type tordnsel 1.0\nDownloaded 2025-03-10 00:00:00\n')
        for i, ip in enumerate(ips):
            if i % 6 != 4:
                continue
            ts = sorted(times[ip])
            # One relay seen around the last event (the window reaches
            # back 24 h before Published), one long before every event.
            f.write('ExitNode %040X\n' % (i + 1))
            f.write('Published %s\n' % fmt_time(ts[-1] - DAY // 2))
            f.write('LastStatus %s\n' % fmt_time(ts[-1]))
            f.write('ExitAddress %s %s\n' % (ip, fmt_time(ts[-1])))
            f.write('ExitNode %040X\n' % (i + 1000))
            f.write('Published 2024-01-01 00:00:00\n')
            f.write('LastStatus 2024-01-02 00:00:00\n')
            f.write('ExitAddress %s 2024-01-01 12:00:00\n' % ip)
        # The window's bounds: 2a01:111:f400::5 logs on at 12:00 on March
        # 4 to 6, exactly 24 h after this relay was last seen (flagged);
        # ::ffff:ips[0] at 13:00, one second before 24 h ahead of the
        # other relay (not flagged).
        f.write('ExitNode %040X\n' % 5000)
        f.write('Published 2025-03-03 11:00:00\n')
        f.write('LastStatus 2025-03-03 12:00:00\n')
        f.write('ExitAddress 2a01:111:f400::5 2025-03-03 12:00:00\n')
        f.write('ExitNode %040X\n' % 5001)
        f.write('Published 2025-03-07 13:00:01\n')
        f.write('LastStatus 2025-03-07 13:30:00\n')
        f.write('ExitAddress %s 2025-03-07 13:00:01\n' % ips[0])
    with open(os.path.join(out, 'intel.order'), 'w') as f:
        f.write('intel.txt\nintel.csv\nmisp.csv\nstix.json\ntor.txt\n')


# ------------------------------------------------------------------ check

class Prefixes:
    """Longest-prefix lookup by trying every prefix length."""

    def __init__(self):
        self.by = {}

    def add(self, network, value):
        n = ipaddress.ip_network(network, strict=False)
        self.by.setdefault((n.version, n.prefixlen, int(n.network_address)),
                           []).append(value)

    def lookup(self, a):
        bits = 32 if a.version == 4 else 128
        for pf in range(bits, -1, -1):
            k = (a.version, pf, int(a) >> (bits - pf) << (bits - pf))
            if k in self.by:
                return self.by[k]
        return None

    def lookup_all(self, a):
        """The values of every prefix holding a, the longest first."""
        bits = 32 if a.version == 4 else 128
        out = []
        for pf in range(bits, -1, -1):
            k = (a.version, pf, int(a) >> (bits - pf) << (bits - pf))
            out.extend(self.by.get(k, []))
        return out


def load_geo(spec_path):
    with open(spec_path) as f:
        spec = json.load(f)
    p = Prefixes()
    for network, data in spec['networks']:
        n = ipaddress.ip_network(network)
        p.by[(n.version, n.prefixlen, int(n.network_address))] = [data]
    return p


def geo_fields(data):
    country = asn = org = None
    c = data.get('country')
    if isinstance(c, dict) and c.get('iso_code'):
        country = c['iso_code']
    elif data.get('country_code'):
        country = data['country_code']
    elif isinstance(c, str) and len(c) == 2:
        country = c
    elif isinstance(data.get('registered_country'), dict):
        country = data['registered_country'].get('iso_code')
    if 'autonomous_system_number' in data:
        asn = str(data['autonomous_system_number'])
    elif isinstance(data.get('asn'), str) and data['asn'][:2] == 'AS':
        asn = data['asn'][2:]
    org = data.get('autonomous_system_organization') or data.get('as_name')
    return country, asn, org


def geo_lookup(dbs, a):
    out = [None, None, None]
    for db in dbs:
        v = db.lookup(a)
        if v is None:
            continue
        for i, x in enumerate(geo_fields(v[0])):
            if out[i] is None and x:
                out[i] = x
    return ['' if x is None else x for x in out]


def load_ranges(paths, azure):
    """(rank, order, owner) per prefix: the best is min by (-rank, order)."""
    p = Prefixes()
    order = 0
    files = list(paths)
    if azure:
        files.append(azure)
    for path in files:
        with open(path, encoding='utf-8-sig') as f:
            doc = json.load(f)
        if 'values' in doc:
            for v in doc['values']:
                tag = v['name']
                rank = ('.' in tag) * 2 + (not tag.startswith('AzureCloud'))
                for pf in v['properties'].get('addressPrefixes', []):
                    p.add(pf, (-rank, order, 'Azure ' + tag))
                    order += 1
        elif 'ipv6_prefixes' in doc or 'ip_prefix' in (doc.get('prefixes') or [{}])[0]:
            for key, lst in (('ip_prefix', doc['prefixes']),
                             ('ipv6_prefix', doc.get('ipv6_prefixes', []))):
                for e in lst:
                    rank = 1 if e['service'] != 'AMAZON' else 0
                    p.add(e[key], (-rank, order, 'AWS %s %s' % (e['service'],
                                                               e['region'])))
                    order += 1
        elif 'prefixes' in doc:
            for e in doc['prefixes']:
                pf = e.get('ipv4Prefix') or e.get('ipv6Prefix')
                if 'scope' in e:
                    p.add(pf, (-1, order, 'GCP ' + e['scope']))
                else:
                    p.add(pf, (0, order, 'Google'))
                order += 1
        else:
            for e in doc['list']:
                p.add(e, (0, order, doc['name']))
                order += 1
    return p


def load_intel(path):
    """A Prefixes of (name, from, until) in file order."""
    p = Prefixes()
    name = os.path.basename(path)
    with open(path, newline='', encoding='utf-8-sig') as f:
        text = f.read()
    if name.endswith('.json'):
        for o in json.loads(text)['objects']:
            pat = o.get('pattern', '')
            if o['type'] != 'indicator' or 'AND' in pat or \
                    '-addr:value' not in pat:
                continue
            frm = parse_ts(o['valid_from']) if 'valid_from' in o else None
            until = parse_ts(o['valid_until']) if 'valid_until' in o else None
            for part in pat.split("'")[1::2]:
                p.add(part, (o.get('name') or o['id'], frm, until))
    elif name.startswith('tor'):
        node = None
        for line in text.splitlines():
            w = line.split(' ', 1)
            if w[0] == 'ExitNode':
                node = {'fp': w[1], 'times': []}
            elif w[0] in ('Published', 'LastStatus'):
                node['times'].append(parse_ts(w[1]))
            elif w[0] == 'ExitAddress':
                ip, t = w[1].split(' ', 1)
                ts = node['times'] + [parse_ts(t)]
                p.add(ip, ('Tor exit ' + node['fp'], min(ts) - DAY,
                           max(ts) + DAY + 1))
    elif name == 'misp.csv':
        for row in csv.DictReader(text.splitlines(True)):
            v = row['value']
            if row['type'].startswith('ip-'):
                v = v.split('|')[0]
            elif row['type'] == 'domain|ip':
                v = v.split('|')[1]
            else:
                continue
            p.add(v, ('event ' + row['event_id'], None, None))
    elif name.endswith('.csv'):
        for row in csv.DictReader(text.splitlines(True)):
            p.add(row['IP_Address'], ('', None, None))
    else:
        for line in text.splitlines():
            line = line.split('#')[0].strip()
            if line:
                p.add(line, ('', None, None))
    return name, p


def intel_value(intel, a, times):
    parts = []
    for name, p in intel:
        entries = p.lookup_all(a)
        if not entries:
            continue
        names, hit = [], False
        for n, frm, until in entries:
            if frm is None and until is None:
                ok = True
            else:
                ok = any(t is not None and (frm is None or t >= frm) and
                         (until is None or t < until) for t in times)
            if not ok:
                continue
            hit = True
            if n and n not in names:
                names.append(n)
        if not hit:
            continue
        s = name
        if names:
            s += ': ' + ', '.join(names[:3])
            if len(names) > 3:
                s += ' and %d more' % (len(names) - 3)
        parts.append(s)
    return '; '.join(parts)


def check(fx, out_csv, logons, azure):
    groups = read_logons(logons)
    order = lambda n: [os.path.join(fx, x) for x in  # noqa: E731
                       open(os.path.join(fx, n)).read().split()]
    dbs = [load_geo(p.replace('.mmdb', '.spec.json'))
           for p in order('geoip.order')]
    owners = load_ranges(order('ranges.order'), azure)
    intel = [load_intel(p) for p in order('intel.order')]
    bad = rows = 0
    seen = {c: 0 for c in ('Country', 'ASN', 'ASOrg', 'Owner', 'Intel')}
    with open(out_csv, newline='') as f:
        for row in csv.DictReader(f):
            rows += 1
            k = tuple(row[c] for c in KEYS)
            a = addr(row['RemoteIP'])
            want = {c: '' for c in seen}
            if a is not None:
                want['Country'], want['ASN'], want['ASOrg'] = geo_lookup(dbs, a)
                o = owners.lookup(a)
                want['Owner'] = min(o)[2] if o else ''
                want['Intel'] = intel_value(intel, a, groups.get(k, []))
            for c in want:
                if want[c]:
                    seen[c] += 1
                if row[c] != want[c]:
                    bad += 1
                    print('%s %s: %s is %r, expected %r' % (
                        row['RemoteIP'], row['AccountName'], c, row[c],
                        want[c]))
    print('%d rows checked; values expected per column: %s' % (
        rows, ', '.join('%s %d' % kv for kv in seen.items())))
    if rows == 0 or min(seen.values()) == 0:
        print('a column was never filled: the check proves nothing')
        return 1
    return 1 if bad else 0


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == 'make':
        make(sys.argv[2], sys.argv[3])
        return 0
    if len(sys.argv) >= 5 and sys.argv[1] == 'check':
        args = sys.argv[2:]
        azure = None
        if '--azure' in args:
            i = args.index('--azure')
            azure = args[i + 1]
            del args[i:i + 2]
        return check(args[0], args[1], args[2:], azure)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main())
