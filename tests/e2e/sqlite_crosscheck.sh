#!/bin/sh
# sqlite_crosscheck.sh [OPTIONS] DIR
#
# An independent implementation of the Defender hunting query "Device Logons
# from Unknown IPs" in SQLite, used as the reference that logonhunt's
# `--batch --format csv` output is diffed against byte for byte.
#
#   DeviceLogonEvents
#   | where RemoteIPType == "Public"
#   | join kind=leftanti (DeviceNetworkInfo
#         | project NetworkInfo = todynamic(IPAddresses) | mvexpand NetworkInfo
#         | project IpAddress = tostring(parse_json(NetworkInfo).IPAddress)
#         | distinct IpAddress) on $left.RemoteIP == $right.IpAddress
#   | join kind=leftanti (IdentityLogonEvents | where ISP != "INTERNAL_NETWORK")
#         on $left.RemoteIP == $right.IPAddress
#   | summarize EarliestEvent = min(Timestamp), LatestEvent = max(Timestamp),
#         Instances = count(), DistinctMachines = dcount(DeviceId)
#         by AccountDomain, AccountName, LogonType, RemoteIP, ActionType
#
# Reads DIR/DeviceLogonEvents.csv, DIR/DeviceNetworkInfo.csv and
# DIR/IdentityLogonEvents.csv (portal exports: header row, RFC 4180, CRLF or
# LF, optional UTF-8 BOM) and prints the result as CSV on stdout:
#
#   AccountDomain,AccountName,LogonType,RemoteIP,ActionType,EarliestEvent,LatestEvent,Instances,DistinctMachines
#
# OPTIONS are logonhunt's that change the result, with the same meaning:
#   --identity-filter as-written|internal
#                    internal: the join drops the IPs seen with ISP ==
#                    "INTERNAL_NETWORK" instead of those seen with another
#   --from TIME      only Public logons at or after TIME (ISO 8601)
#   --until TIME     ... at or before TIME; a bare date is the end of that day
#   --since DURATION only Public logons at or after now - DURATION (7d, 24h,
#                    90m, 30s, decimals allowed); with --from, the later
#                    lower bound wins
#   --relative-to-data  --since counts back from the newest Public logon
#   --now TIME       what "now" is for --since (default: the clock)
# A window (any of these but --identity-filter) keeps no logon whose
# Timestamp is null.
#
# Output conventions (the contract logonhunt must match):
#   * datetimes as Kusto prints them: 7 fractional digits and Z
#     (2023-12-21T19:56:05.0000000Z);
#   * DistinctMachines is the exact count(DISTINCT DeviceId) (Kusto's dcount
#     is an estimate, exact for small cardinalities);
#   * rows ordered by Instances DESC, then the five keys ascending in byte
#     order (SQLite BINARY collation);
#   * a field is quoted only if it contains , " CR or LF (quotes doubled);
#     lines end in LF.
#
# Kusto's semantics, as this script implements them:
#   * string comparisons are exact and case-sensitive, as KQL's ==, != and
#     join, and summarize groups byte for byte: "Admin" and "admin", or
#     "INTERNAL_NETWORK" and "internal_network", differ;
#   * empty CSV fields are empty strings (never NULL), so an empty ISP is
#     "not INTERNAL_NETWORK" and an empty IPAddress takes part in the joins;
#   * IPAddresses goes through todynamic() and mv-expand: a JSON array gives
#     one row per element, an empty array or object none, an object one
#     single-entry object per member, and null, a scalar or text that is
#     not JSON (todynamic keeps it as a string; "" included) one row; then
#     .IPAddress of a row that is not an object, or has no such member, is
#     null and tostring(null) is ""; a string member is itself, any other
#     its compact JSON text;
#   * Timestamp is a datetime: YYYY-MM-DD[(T| )hh:mm[:ss[.fraction]]]
#     [Z|+hh:mm|-hh:mm|+hhmm|-hhmm], no zone meaning UTC, fraction cut to
#     100 ns ticks, years 1 to 9999 after the offset is applied; an empty
#     or unparseable one is null, which count() counts and min() and max()
#     skip (a group with no other prints them empty).
#
# Needs the sqlite3 command-line shell (3.38+ for -> and ->>; tested with
# Debian's 3.40).  Everything runs in an in-memory database.

set -eu

me=$(basename "$0")
die() {
	echo "$me: $*" >&2
	exit 2
}
usage() {
	echo "usage: $me [--identity-filter as-written|internal] [--from TIME] [--until TIME]" >&2
	echo "       [--since DURATION [--relative-to-data]] [--now TIME] DIR" >&2
	exit 2
}

# sqlstr TEXT: TEXT as an SQL string literal.
sqlstr() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"
}

internal=0 from=NULL until=NULL since=NULL reldata=0 now=NULL
while [ $# -gt 0 ]; do
	case $1 in
	--*=*)
		opt=${1%%=*} val=${1#*=}
		shift
		set -- "$opt" "$val" "$@"
		continue ;;
	--identity-filter)
		[ $# -ge 2 ] || usage
		case $2 in
		as-written) internal=0 ;;
		internal) internal=1 ;;
		*) die "--identity-filter: '$2' is not as-written or internal" ;;
		esac
		shift 2 ;;
	--from | --until | --since | --now)
		[ $# -ge 2 ] || usage
		v=$(sqlstr "$2")
		case $1 in
		--from) from=$v ;;
		--until) until=$v ;;
		--since) since=$v ;;
		--now) now=$v ;;
		esac
		shift 2 ;;
	--relative-to-data)
		reldata=1
		shift ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || usage
dir=$1
[ "$reldata" -eq 0 ] || [ "$since" != NULL ] || die "--relative-to-data goes with --since"
command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 not found (Debian package sqlite3)"

tables="DeviceLogonEvents DeviceNetworkInfo IdentityLogonEvents"
imports=""
for t in $tables; do
	f="$dir/$t.csv"
	[ -r "$f" ] || die "cannot read $f"
	# Dot-command arguments are single-quoted (taken literally), so a path
	# with a single quote or a newline cannot be passed safely.
	case "$f" in
	*"'"* | *'
'*) die "unsupported character in path: $f" ;;
	esac
	# A UTF-8 BOM would otherwise end up in the first column name on
	# shells that do not strip it themselves; feed such files through tail.
	if [ "$(head -c 3 "$f" | od -An -tx1 | tr -d ' \n')" = "efbbbf" ]; then
		# The command goes through sh -c inside sqlite3: keep the path
		# free of anything the shell would expand inside double quotes.
		case "$f" in *'"'* | *'\'* | *'$'* | *'`'*) die "unsupported character in path: $f" ;; esac
		src="'|tail -c +4 \"$f\"'"
	else
		src="'$f'"
	fi
	imports="$imports
.import --csv $src $t"
done

# csvq EXPR: RFC 4180 quoting of a text expression, only when needed.
csvq() {
	printf "CASE WHEN instr(%s, ',') OR instr(%s, '\"') OR instr(%s, char(13)) OR instr(%s, char(10)) THEN '\"' || replace(%s, '\"', '\"\"') || '\"' ELSE %s END" \
		"$1" "$1" "$1" "$1" "$1" "$1"
}

# tostr JSON PATH: Kusto's tostring() of the value at PATH in JSON: "" for
# null or nothing there, a string as it is, anything else its JSON text.
tostr() {
	printf "CASE coalesce(json_type(%s, %s), 'null') WHEN 'null' THEN '' WHEN 'text' THEN %s ->> (%s) ELSE %s -> (%s) END" \
		"$1" "$2" "$1" "$2" "$1" "$2"
}

# ts_fmt TICKS: ticks since 1970 as Kusto prints a datetime, or "" for null.
ts_fmt() {
	fr="((($1) % 10000000 + 10000000) % 10000000)"
	printf "coalesce(strftime('%%Y-%%m-%%dT%%H:%%M:%%S', (%s - %s) / 10000000, 'unixepoch') || printf('.%%07dZ', %s), '')" \
		"$1" "$fr" "$fr"
}

printf '%s\n' "AccountDomain,AccountName,LogonType,RemoteIP,ActionType,EarliestEvent,LatestEvent,Instances,DistinctMachines"

sqlite3 -batch -bail -init /dev/null :memory: <<EOF
.bail on
PRAGMA temp_store = MEMORY;
$imports

CREATE TEMP TABLE opts AS
SELECT $internal AS internal, $from AS from_text, $until AS until_text,
       $since AS since_text, $reldata AS reldata, $now AS now_text;

-- Every Timestamp of a Public logon and every time option, as ticks
-- (100 ns) since 1970-01-01T00:00:00Z; NULL where Kusto's datetime is null.
CREATE TEMP TABLE ts_text AS
SELECT DISTINCT Timestamp AS t FROM DeviceLogonEvents WHERE RemoteIPType = 'Public'
UNION SELECT from_text FROM opts WHERE from_text IS NOT NULL
UNION SELECT until_text FROM opts WHERE until_text IS NOT NULL
UNION SELECT now_text FROM opts WHERE now_text IS NOT NULL;

CREATE TEMP TABLE ts_ticks AS
WITH
d AS (SELECT t, substr(t, 1, 10) AS day, substr(t, 11) AS r FROM ts_text),
-- [T or space]hh:mm, or nothing at all after the date
hm AS (SELECT t, day,
    -- date() takes 02-30 as written; from a day number it is 03-02
    day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(julianday(day)) IS day
        AS day_ok,
    r = '' OR (substr(r, 1, 1) IN ('T', ' ') AND substr(r, 2, 5) GLOB '[0-9][0-9]:[0-9][0-9]'
        AND CAST(substr(r, 2, 2) AS INTEGER) <= 23 AND CAST(substr(r, 5, 2) AS INTEGER) <= 59)
        AS hm_ok,
    CASE WHEN r = '' THEN '00:00' ELSE substr(r, 2, 5) END AS hm,
    CASE WHEN r = '' THEN '' ELSE substr(r, 7) END AS r
    FROM d),
-- :ss, and .fraction after it
ss AS (SELECT t, day, day_ok, hm_ok, hm,
    substr(r, 1, 1) != ':' OR substr(r, 2, 2) GLOB '[0-5][0-9]' AS ss_ok,
    CASE WHEN substr(r, 1, 1) = ':' THEN substr(r, 2, 2) ELSE '00' END AS ss,
    CASE WHEN substr(r, 1, 1) = ':' AND substr(r, 4, 1) = '.' THEN substr(r, 5) END AS fr,
    CASE WHEN substr(r, 1, 1) = ':' THEN substr(r, 4) ELSE r END AS r
    FROM hm),
fr AS (SELECT t, day, day_ok, hm_ok, hm, ss_ok, ss,
    fr IS NULL OR length(ltrim(fr, '0123456789')) < length(fr) AS fr_ok,
    CASE WHEN fr IS NULL THEN '' ELSE substr(fr, 1, length(fr) - length(ltrim(fr, '0123456789'))) END AS fr,
    CASE WHEN fr IS NULL THEN r ELSE ltrim(fr, '0123456789') END AS z
    FROM ss),
-- the zone: nothing, Z, +hh:mm or +hhmm
z AS (SELECT t, day, hm, ss, fr, day_ok AND hm_ok AND ss_ok AND fr_ok AND (
        z IN ('', 'Z') OR (substr(z, 1, 1) IN ('+', '-')
            AND (substr(z, 2) GLOB '[0-9][0-9]:[0-9][0-9]' OR substr(z, 2) GLOB '[0-9][0-9][0-9][0-9]')
            AND CAST(substr(z, 2, 2) AS INTEGER) <= 23 AND CAST(substr(z, -2) AS INTEGER) <= 59)) AS ok,
    CASE WHEN substr(z, 1, 1) IN ('+', '-')
        THEN (CASE substr(z, 1, 1) WHEN '+' THEN 1 ELSE -1 END)
            * (CAST(substr(z, 2, 2) AS INTEGER) * 3600 + CAST(substr(z, -2) AS INTEGER) * 60)
        ELSE 0 END AS offset
    FROM fr),
s AS (SELECT t, ok, CAST(strftime('%s', day || ' ' || hm || ':' || ss) AS INTEGER) - offset AS secs,
    CAST(substr(fr || '0000000', 1, 7) AS INTEGER) AS frac
    FROM z)
SELECT t, CASE WHEN ok AND secs >= CAST(strftime('%s', '0001-01-01') AS INTEGER)
    AND secs < CAST(strftime('%s', '9999-12-31') AS INTEGER) + 86400
    THEN secs * 10000000 + frac END AS ticks
FROM s;
CREATE UNIQUE INDEX temp.ts_ticks_t ON ts_ticks (t);

-- The time window: lo and hi in ticks (NULL: open), windowed if any
-- option sets one.
CREATE TEMP TABLE win (
    lo INTEGER, hi INTEGER, windowed INTEGER,
    option_times_are_iso_8601 INTEGER CHECK (option_times_are_iso_8601),
    since_is_a_duration INTEGER CHECK (since_is_a_duration));
INSERT INTO win
WITH
o AS (SELECT *,
    (SELECT ticks FROM ts_ticks WHERE t = from_text) AS from_ticks,
    (SELECT ticks FROM ts_ticks WHERE t = until_text)
        + CASE WHEN length(until_text) = 10 THEN 86400 * 10000000 - 1 ELSE 0 END AS until_ticks,
    CASE WHEN now_text IS NOT NULL THEN (SELECT ticks FROM ts_ticks WHERE t = now_text)
        ELSE CAST(strftime('%s', 'now') AS INTEGER) * 10000000 END AS now_ticks,
    substr(since_text, 1, length(since_text) - 1) AS since_num,
    CASE substr(since_text, -1) WHEN 'd' THEN 86400 WHEN 'h' THEN 3600 WHEN 'm' THEN 60 WHEN 's' THEN 1 END
        AS since_unit
    FROM opts),
b AS (SELECT *,
    CAST(CAST(since_num AS REAL) * since_unit * 10000000 + 0.5 AS INTEGER) AS since_ticks,
    -- max(Timestamp) of nothing but nulls is null, and so is the bound
    CASE WHEN reldata THEN (SELECT max(k.ticks) FROM DeviceLogonEvents AS l
        JOIN ts_ticks AS k ON k.t = l.Timestamp WHERE l.RemoteIPType = 'Public')
        ELSE now_ticks END AS base
    FROM o),
c AS (SELECT *, CASE WHEN since_text IS NULL THEN from_ticks
        -- a bound later than every datetime keeps nothing
        WHEN base IS NULL THEN 9223372036854775807
        WHEN from_ticks IS NULL OR base - since_ticks > from_ticks THEN base - since_ticks
        ELSE from_ticks END AS lo
    FROM b)
SELECT lo, until_ticks,
    from_text IS NOT NULL OR until_text IS NOT NULL OR since_text IS NOT NULL,
    (from_text IS NULL OR from_ticks IS NOT NULL) AND (until_text IS NULL OR until_ticks IS NOT NULL)
        AND (now_text IS NULL OR now_ticks IS NOT NULL),
    since_text IS NULL OR (since_unit IS NOT NULL AND since_num != '' AND since_num NOT GLOB '*[^0-9.]*'
        AND since_num NOT GLOB '*.*.*' AND since_num != '.')
FROM c;

-- Addresses assigned to devices: todynamic(IPAddresses) | mv-expand, then
-- tostring(.IPAddress) of each row.
CREATE TEMP TABLE device_ips AS
WITH n AS (SELECT IPAddresses AS v,
    CASE WHEN json_valid(IPAddresses) THEN json_type(IPAddresses) END AS type
    FROM DeviceNetworkInfo)
SELECT DISTINCT IpAddress FROM (
    -- an array: one row per element; .IPAddress of a non-object is null
    SELECT CASE WHEN j.type = 'object' THEN $(tostr n.v "j.fullkey || '.IPAddress'") ELSE '' END AS IpAddress
    FROM n, json_each(CASE WHEN n.type = 'array' THEN n.v ELSE '[]' END) AS j
    UNION ALL
    -- an object (property bag): one single-entry bag per member
    SELECT CASE WHEN j.key = 'IPAddress' THEN $(tostr n.v "'\$.IPAddress'") ELSE '' END
    FROM n, json_each(CASE WHEN n.type = 'object' THEN n.v ELSE '{}' END) AS j
    UNION ALL
    -- null, a scalar, or not JSON (a string): the value itself, once
    SELECT '' FROM n WHERE n.type IS NULL OR n.type NOT IN ('array', 'object')
);
CREATE INDEX temp.device_ips_ip ON device_ips (IpAddress);

-- Addresses the identity join removes: as written, those Defender for
-- Identity saw with an ISP other than INTERNAL_NETWORK (an empty ISP
-- included); with --identity-filter internal, those it saw with exactly
-- INTERNAL_NETWORK.
CREATE TEMP TABLE identity_ips AS
SELECT DISTINCT coalesce(IPAddress, '') AS IPAddress
FROM IdentityLogonEvents
WHERE (coalesce(ISP, '') = 'INTERNAL_NETWORK') = (SELECT internal FROM opts);
CREATE INDEX temp.identity_ips_ip ON identity_ips (IPAddress);

CREATE TEMP TABLE result AS
WITH hits AS (
    SELECT l.AccountDomain, l.AccountName, l.LogonType, l.RemoteIP, l.ActionType, l.DeviceId,
           k.ticks AS ts
    FROM DeviceLogonEvents AS l
    JOIN ts_ticks AS k ON k.t = l.Timestamp, win AS w
    WHERE l.RemoteIPType = 'Public'
      AND (NOT w.windowed OR (k.ticks IS NOT NULL AND (w.lo IS NULL OR k.ticks >= w.lo)
                              AND (w.hi IS NULL OR k.ticks <= w.hi)))
      AND NOT EXISTS (SELECT 1 FROM device_ips AS d WHERE d.IpAddress = l.RemoteIP)
      AND NOT EXISTS (SELECT 1 FROM identity_ips AS i WHERE i.IPAddress = l.RemoteIP)
)
SELECT AccountDomain, AccountName, LogonType, RemoteIP, ActionType,
       min(ts) AS first, max(ts) AS last,
       count(*) AS Instances, count(DISTINCT DeviceId) AS DistinctMachines
FROM hits
GROUP BY AccountDomain, AccountName, LogonType, RemoteIP, ActionType;

.headers off
.mode list
.nullvalue ''
SELECT $(csvq AccountDomain) || ',' || $(csvq AccountName) || ',' || $(csvq LogonType) || ','
       || $(csvq RemoteIP) || ',' || $(csvq ActionType) || ','
       || $(ts_fmt first) || ',' || $(ts_fmt last) || ',' || Instances || ',' || DistinctMachines
FROM result
ORDER BY Instances DESC, AccountDomain, AccountName, LogonType, RemoteIP, ActionType;
EOF
