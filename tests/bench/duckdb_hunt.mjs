// duckdb_hunt.mjs DIR OUT.csv
//
// The "Device Logons from Unknown IPs" hunt in DuckDB, used by bench.sh as a
// third implementation to time against logonhunt and the SQLite crosscheck.
// Reads DIR/DeviceLogonEvents.csv, DIR/DeviceNetworkInfo.csv and
// DIR/IdentityLogonEvents.csv with read_csv(..., all_varchar=true,
// header=true) and writes the result to OUT.csv in the same format as
// tests/e2e/sqlite_crosscheck.sh: header
//   AccountDomain,AccountName,LogonType,RemoteIP,ActionType,EarliestEvent,LatestEvent,Instances,DistinctMachines
// datetimes with 7 fractional digits and Z, exact distinct device counts,
// ordered by Instances DESC then the keys in byte order, RFC 4180 quoting
// only where needed, LF line ends.
//
// The @duckdb/node-api package is looked up in the directory named by the
// LH_DUCKDB_NODE_DIR environment variable (bench.sh installs it there) and
// otherwise through Node's normal resolution.

import { createRequire } from 'node:module';
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

function usage() {
  process.stderr.write('usage: node duckdb_hunt.mjs DIR OUT.csv\n');
  process.exit(2);
}

async function loadDuckDB() {
  const dir = process.env.LH_DUCKDB_NODE_DIR;
  if (dir) {
    // ESM import ignores NODE_PATH, so resolve from the install directory.
    const req = createRequire(join(resolve(dir), 'package.json'));
    return import(pathToFileURL(req.resolve('@duckdb/node-api')).href);
  }
  return import('@duckdb/node-api');
}

// SQL string literal.
const lit = (s) => `'${s.replace(/'/g, "''")}'`;

// Explicit dialect so the sniffer never guesses differently on odd data;
// every column is text, as in the CSV.  The strict reader is parallel and is
// what gets timed; the lenient one (single-threaded, since DuckDB's parallel
// reader cannot do a non-strict read of files with quoted newlines) is only
// a fallback for inputs that mix CRLF and LF line ends.
const csvStrict = (path) =>
  `read_csv(${lit(path)}, all_varchar = true, header = true, delim = ',', quote = '"', escape = '"')`;
const csvLenient = (path) =>
  `read_csv(${lit(path)}, all_varchar = true, header = true, delim = ',', quote = '"', escape = '"', strict_mode = false, parallel = false)`;

async function main() {
  const [dir, out] = process.argv.slice(2);
  if (!dir || !out || process.argv.length !== 4) usage();
  const { DuckDBInstance } = await loadDuckDB();
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();

  // DuckDB reads empty CSV fields as NULL; the hunt treats them as empty
  // strings (an empty ISP is "not INTERNAL_NETWORK"), hence the coalesce()s.
  await conn.run(`
    CREATE MACRO csvq(x) AS
      CASE WHEN contains(x, ',') OR contains(x, '"') OR contains(x, chr(13)) OR contains(x, chr(10))
           THEN '"' || replace(x, '"', '""') || '"' ELSE x END;
    CREATE MACRO tsbase(t) AS
      replace(CASE WHEN ends_with(t, 'Z') THEN substr(t, 1, length(t) - 1) ELSE t END, ' ', 'T');
    CREATE MACRO tsnorm(t) AS
      CASE WHEN strpos(tsbase(t), '.') = 0 THEN tsbase(t) || '.0000000Z'
           ELSE substr(tsbase(t), 1, strpos(tsbase(t), '.'))
                || substr(substr(tsbase(t), strpos(tsbase(t), '.') + 1) || '0000000', 1, 7) || 'Z' END;
  `);

  const huntSql = (csv) => `
    WITH
    device_ips AS (
      -- mvexpand of IPAddresses: one row per array element; an object
      -- counts as a one-element array, invalid or empty JSON as none.
      SELECT DISTINCT coalesce(json_extract_string(e, '$.IPAddress'), '') AS IpAddress
      FROM (
        SELECT unnest(CASE
                 WHEN json_valid(IPAddresses) AND json_type(IPAddresses::JSON) = 'ARRAY'
                   THEN json_extract(IPAddresses::JSON, '$[*]')
                 WHEN json_valid(IPAddresses) THEN [IPAddresses::JSON]
                 ELSE []::JSON[] END) AS e
        FROM ${csv(join(dir, 'DeviceNetworkInfo.csv'))}
        WHERE IPAddresses IS NOT NULL
      )
    ),
    identity_ips AS (
      SELECT DISTINCT coalesce(IPAddress, '') AS IPAddress
      FROM ${csv(join(dir, 'IdentityLogonEvents.csv'))}
      WHERE coalesce(ISP, '') <> 'INTERNAL_NETWORK'
    ),
    logons AS (
      SELECT coalesce(AccountDomain, '') AS AccountDomain, coalesce(AccountName, '') AS AccountName,
             coalesce(LogonType, '') AS LogonType, coalesce(RemoteIP, '') AS RemoteIP,
             coalesce(ActionType, '') AS ActionType, coalesce(DeviceId, '') AS DeviceId,
             tsnorm(Timestamp) AS ts
      FROM ${csv(join(dir, 'DeviceLogonEvents.csv'))}
      WHERE RemoteIPType = 'Public'
    ),
    hits AS (
      SELECT * FROM logons AS l
      WHERE NOT EXISTS (SELECT 1 FROM device_ips AS d WHERE d.IpAddress = l.RemoteIP)
        AND NOT EXISTS (SELECT 1 FROM identity_ips AS i WHERE i.IPAddress = l.RemoteIP)
    ),
    agg AS (
      SELECT AccountDomain, AccountName, LogonType, RemoteIP, ActionType,
             min(ts) AS EarliestEvent, max(ts) AS LatestEvent,
             count(*) AS Instances, count(DISTINCT DeviceId) AS DistinctMachines
      FROM hits
      GROUP BY ALL
    )
    SELECT csvq(AccountDomain) || ',' || csvq(AccountName) || ',' || csvq(LogonType) || ','
           || csvq(RemoteIP) || ',' || csvq(ActionType) || ',' || EarliestEvent || ',' || LatestEvent
           || ',' || Instances || ',' || DistinctMachines AS line
    FROM agg
    -- DuckDB's default string order is byte order, like SQLite's BINARY.
    ORDER BY Instances DESC, AccountDomain, AccountName, LogonType, RemoteIP, ActionType
  `;

  // Start the query before creating the output, so a failing query leaves
  // no half-written file behind.
  let result;
  try {
    result = await conn.stream(huntSql(csvStrict));
  } catch (err) {
    process.stderr.write(`duckdb_hunt: strict CSV read failed, retrying leniently: ${String(err).split('\n')[0]}\n`);
    result = await conn.stream(huntSql(csvLenient));
  }
  const ws = createWriteStream(out);
  const write = (s) =>
    new Promise((ok, fail) => {
      ws.once('error', fail);
      if (ws.write(s)) ok();
      else ws.once('drain', ok);
    });
  await write('AccountDomain,AccountName,LogonType,RemoteIP,ActionType,EarliestEvent,LatestEvent,Instances,DistinctMachines\n');
  let rows = 0;
  // Stream chunk by chunk: the result can have tens of thousands of groups.
  for await (const chunk of result.yieldRows()) {
    let buf = '';
    for (const [line] of chunk) {
      buf += String(line) + '\n';
      rows++;
    }
    await write(buf);
  }
  await new Promise((ok, fail) => ws.end((err) => (err ? fail(err) : ok())));
  conn.closeSync();
  instance.closeSync();
  process.stderr.write(`duckdb_hunt: ${rows} rows\n`);
}

main().catch((err) => {
  process.stderr.write(`duckdb_hunt: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
