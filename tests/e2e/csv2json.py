#!/usr/bin/env python3
"""Rewrites the CSV exports that lhgen writes into the other shapes the same
data reaches analysts in, for tests/e2e/formats.sh:

  defender      {"Schema", "Results"} (Defender API), indented
  graph         {"schema", "results"} (Graph runHuntingQuery), one line
  graph-caps    the same with "Name"/"Type" in the schema, as some examples
  loganalytics  {"tables": [{"name", "columns", "rows"}]}, names not
                after tables, so the columns say which table each is
  eventhub      Event Hub messages {"records": [...]}, one per line, all
                tables mixed with records of other tables, in one file
  eventhub-doc  one indented Event Hub message per file
  blob-crlf     storage blob: one record per line, CRLF, in a file named
                after DeviceLogonEvents though it holds every table
  blob-lf       the same with LF, the identity ISP column spelled "Isp",
                absent values left out rather than null
  rows          JSON lines of row objects (.jsonl, .ndjson)
  array         a JSON array of row objects per table
  mixed         several files per table, each in another format

Usage: csv2json.py VARIANT SRCDIR OUTDIR [--gzip]

Only the Python 3 standard library is used. Values keep the CSV's text,
except that empty values become null where the source would have them,
integers in numeric columns become JSON numbers, and dynamic columns
become JSON (arrays/objects) where the variant says so.
"""

import csv
import gzip
import json
import os
import sys

TABLES = ("DeviceLogonEvents", "DeviceNetworkInfo", "IdentityLogonEvents")

LONG = {"RemotePort", "ReportId", "InitiatingProcessId",
        "InitiatingProcessParentId", "InitiatingProcessFileSize", "LogonId",
        "InitiatingProcessSessionId", "Port", "DestinationPort"}
BOOL = {"IsLocalAdmin", "IsInitiatingProcessRemoteSession"}
DYNAMIC = {"AdditionalFields", "IPAddresses", "ConnectedNetworks",
           "DnsAddresses", "DefaultGateways"}
DATETIME = {"Timestamp", "InitiatingProcessCreationTime",
            "InitiatingProcessParentCreationTime"}
# The columns the hunt reads stay strings whatever they look like.
HUNT = {"Timestamp", "DeviceId", "DeviceName", "ActionType", "LogonType",
        "AccountDomain", "AccountName", "RemoteIP", "RemoteIPType",
        "IPAddress", "ISP"}


def read_table(src, table):
    with open(os.path.join(src, table + ".csv"), newline="",
              encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def kusto_type(col):
    if col in DATETIME:
        return "DateTime"
    if col in LONG:
        return "Int64"
    if col in BOOL:
        return "Boolean"
    if col in DYNAMIC:
        return "Object"
    return "String"


def typed(col, val, dynamic_json, null_empty):
    """The JSON value for one CSV field."""
    if col in HUNT:
        if val == "" and null_empty and col not in ("RemoteIPType",):
            return None
        return val
    if val == "":
        return None if null_empty or kusto_type(col) != "String" else ""
    if col in LONG:
        try:
            return int(val)
        except ValueError:
            return val
    if col in BOOL and val in ("true", "false", "True", "False"):
        return val.lower() == "true"
    if col in DYNAMIC and dynamic_json:
        try:
            return json.loads(val)
        except ValueError:
            return val
    return val


def row_object(header, row, dynamic_json=False, null_empty=False,
               drop_null=False, rename=None):
    obj = {}
    for col, val in zip(header, row):
        v = typed(col, val, dynamic_json, null_empty)
        if drop_null and v is None:
            continue
        obj[rename.get(col, col) if rename else col] = v
    return obj


def opener(path, gz):
    if gz:
        return gzip.open(path + ".gz", "wt", encoding="utf-8", newline="")
    return open(path, "w", encoding="utf-8", newline="")


def write_json(path, value, gz, indent=None):
    with opener(path, gz) as f:
        json.dump(value, f, indent=indent, ensure_ascii=False)
        f.write("\n")


def write_lines(path, values, gz, eol="\n"):
    with opener(path, gz) as f:
        for v in values:
            f.write(json.dumps(v, ensure_ascii=False, separators=(",", ":")))
            f.write(eol)


def schema(header, key_name="Name", key_type="Type"):
    return [{key_name: c, key_type: kusto_type(c)} for c in header]


def stream_records(src, drop_null=False, isp_key="ISP"):
    """Every row of every table as streaming records, interleaved, with
    records of tables the hunt does not read among them."""
    per_table = []
    for t in TABLES:
        header, rows = read_table(src, t)
        rename = {"ISP": isp_key} if t == "IdentityLogonEvents" else None
        recs = []
        for row in rows:
            props = row_object(header, row, dynamic_json=False,
                               null_empty=True, drop_null=drop_null,
                               rename=rename)
            recs.append({"time": row[0], "tenantId": "tenant-0",
                         "operationName": "Publish",
                         "category": "AdvancedHunting-" + t,
                         "properties": props})
        per_table.append(recs)
    out = []
    i = 0
    while any(per_table):
        for recs in per_table:
            if recs:
                out.append(recs.pop(0))
        if i % 7 == 0:
            out.append({"time": "2025-03-03T00:00:00Z",
                        "tenantId": "tenant-0", "operationName": "Publish",
                        "category": "AdvancedHunting-DeviceProcessEvents",
                        "properties": {"Timestamp": "2025-03-03T00:00:00Z",
                                       "RemoteIP": "203.0.113.9",
                                       "RemoteIPType": "Public"}})
        i += 1
    return out


def variant(name, src, out, gz):
    os.makedirs(out, exist_ok=True)
    if name in ("defender", "graph", "graph-caps", "array", "rows"):
        for t in TABLES:
            header, rows = read_table(src, t)
            if name == "defender":
                doc = {"Stats": {"ExecutionTime": 0.1},
                       "Schema": schema(header),
                       "Results": [row_object(header, r, dynamic_json=True)
                                   for r in rows]}
                write_json(os.path.join(out, t + ".json"), doc, gz, indent=2)
            elif name in ("graph", "graph-caps"):
                kn, kt = ("Name", "Type") if name == "graph-caps" else \
                    ("name", "type")
                doc = {"@odata.context": "https://graph.microsoft.com/v1.0/"
                       "$metadata#microsoft.graph.security.huntingQueryResults",
                       "schema": schema(header, kn, kt),
                       "results": [row_object(header, r, null_empty=True)
                                   for r in rows]}
                write_json(os.path.join(out, t + ".json"), doc, gz)
            elif name == "array":
                write_json(os.path.join(out, t + ".json"),
                           [row_object(header, r, dynamic_json=True)
                            for r in rows], gz, indent=1)
            else:
                ext = ".ndjson" if t == "DeviceNetworkInfo" else ".jsonl"
                write_lines(os.path.join(out, t + ext),
                            [row_object(header, r, null_empty=True)
                             for r in rows], gz)
    elif name == "loganalytics":
        for i, t in enumerate(TABLES):
            header, rows = read_table(src, t)
            doc = {"tables": [{
                "name": "PrimaryResult",
                "columns": [{"name": c, "type": kusto_type(c).lower()}
                            for c in header],
                "rows": [[typed(c, v, False, False) for c, v in zip(header, r)]
                         for r in rows]}]}
            write_json(os.path.join(out, "la-query-%d.json" % (i + 1)), doc,
                       gz, indent=2)
    elif name == "eventhub":
        recs = stream_records(src)
        msgs = [{"records": recs[i:i + 50]} for i in range(0, len(recs), 50)]
        write_lines(os.path.join(out, "eventhub-capture.json"), msgs, gz)
    elif name == "eventhub-doc":
        recs = stream_records(src)
        for k, i in enumerate(range(0, len(recs), 1000)):
            write_json(os.path.join(out, "message-%02d.json" % k),
                       {"records": recs[i:i + 1000]}, gz, indent=4)
    elif name == "blob-crlf":
        write_lines(os.path.join(out, "DeviceLogonEvents.json"),
                    stream_records(src), gz, eol="\r\n")
    elif name == "blob-lf":
        write_lines(os.path.join(out, "PT1H.log"),
                    stream_records(src, drop_null=True, isp_key="Isp"), gz)
    elif name == "mixed":
        header, rows = read_table(src, "DeviceLogonEvents")
        third = len(rows) // 3
        with opener(os.path.join(out, "DeviceLogonEvents-1.csv"), gz) as f:
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(header)
            w.writerows(rows[:third])
        write_json(os.path.join(out, "DeviceLogonEvents-2.json"),
                   {"Schema": schema(header),
                    "Results": [row_object(header, r, dynamic_json=True)
                                for r in rows[third:2 * third]]}, gz)
        write_lines(os.path.join(out, "DeviceLogonEvents-3.jsonl"),
                    [row_object(header, r, null_empty=True)
                     for r in rows[2 * third:]], gz)
        header, rows = read_table(src, "DeviceNetworkInfo")
        write_json(os.path.join(out, "network.json"),
                   {"tables": [{"name": "PrimaryResult",
                                "columns": [{"name": c, "type": "string"}
                                            for c in header],
                                "rows": rows}]}, gz)
        header, rows = read_table(src, "IdentityLogonEvents")
        half = len(rows) // 2
        write_json(os.path.join(out, "IdentityLogonEvents-a.json"),
                   {"schema": schema(header, "name", "type"),
                    "results": [row_object(header, r)
                                for r in rows[:half]]}, gz)
        recs = []
        for r in rows[half:]:
            recs.append({"category": "AdvancedHunting-IdentityLogonEvents",
                         "properties": row_object(header, r, null_empty=True)})
        write_lines(os.path.join(out, "identity-stream.log"), recs, gz)
    else:
        sys.exit("csv2json.py: unknown variant " + name)


def main():
    args = [a for a in sys.argv[1:] if a != "--gzip"]
    if len(args) != 3:
        sys.exit(__doc__)
    variant(args[0], args[1], args[2], "--gzip" in sys.argv[1:])


if __name__ == "__main__":
    main()
