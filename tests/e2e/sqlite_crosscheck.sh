#!/bin/sh
# sqlite_crosscheck.sh DIR
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
# Output conventions (the contract logonhunt must match):
#   * datetimes as Kusto prints them: 7 fractional digits and Z
#     (2023-12-21T19:56:05.0000000Z); input may have 0-7 digits;
#   * DistinctMachines is the exact count(DISTINCT DeviceId) (Kusto's dcount
#     is an estimate, exact for small cardinalities);
#   * rows ordered by Instances DESC, then the five keys ascending in byte
#     order (SQLite BINARY collation);
#   * a field is quoted only if it contains , " CR or LF (quotes doubled);
#     lines end in LF.
#
# Semantics chosen where KQL leaves room:
#   * string comparisons are exact and case-sensitive, as KQL's == and join;
#   * empty CSV fields are empty strings (never NULL), so an empty ISP is
#     "not INTERNAL_NETWORK" and an empty IPAddress takes part in the joins;
#   * IPAddresses that is empty or not valid JSON expands to nothing; a JSON
#     object (instead of an array) counts as a one-element array; an element
#     without an IPAddress member (or not an object) yields IpAddress "".
#
# Needs the sqlite3 command-line shell (3.33+ for .import --csv; tested with
# Debian's 3.40).  Everything runs in an in-memory database.

set -eu

me=$(basename "$0")
die() {
	echo "$me: $*" >&2
	exit 2
}

[ $# -eq 1 ] || {
	echo "usage: $me DIR" >&2
	exit 2
}
dir=$1
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

# Kusto datetime text with 7 fractional digits.  Accepts ...SS, ...SS.f to
# ...SS.fffffff, with or without the trailing Z, T or space separator.
ts_norm() {
	b="replace(CASE WHEN substr($1, -1) = 'Z' THEN substr($1, 1, length($1) - 1) ELSE $1 END, ' ', 'T')"
	printf "CASE WHEN instr(%s, '.') = 0 THEN %s || '.0000000Z' ELSE substr(%s, 1, instr(%s, '.')) || substr(substr(%s, instr(%s, '.') + 1) || '0000000', 1, 7) || 'Z' END" \
		"$b" "$b" "$b" "$b" "$b" "$b"
}

printf '%s\n' "AccountDomain,AccountName,LogonType,RemoteIP,ActionType,EarliestEvent,LatestEvent,Instances,DistinctMachines"

sqlite3 -batch -bail -init /dev/null :memory: <<EOF
.bail on
PRAGMA temp_store = MEMORY;
$imports

-- Addresses assigned to devices: one row per IPAddresses array element.
CREATE TEMP TABLE device_ips AS
SELECT DISTINCT
    CASE WHEN j.type = 'object'
         THEN coalesce(CAST(json_extract(j.value, '\$.IPAddress') AS TEXT), '')
         ELSE '' END AS IpAddress
FROM DeviceNetworkInfo AS n,
     json_each(CASE
         WHEN json_valid(n.IPAddresses) AND json_type(n.IPAddresses) = 'array' THEN n.IPAddresses
         WHEN json_valid(n.IPAddresses) THEN json_array(json(n.IPAddresses))
         ELSE '[]' END) AS j;
CREATE INDEX temp.device_ips_ip ON device_ips (IpAddress);

-- Addresses Defender for Identity saw outside the internal network
-- (an empty ISP is not INTERNAL_NETWORK).
CREATE TEMP TABLE identity_ips AS
SELECT DISTINCT coalesce(IPAddress, '') AS IPAddress
FROM IdentityLogonEvents
WHERE coalesce(ISP, '') != 'INTERNAL_NETWORK';
CREATE INDEX temp.identity_ips_ip ON identity_ips (IPAddress);

CREATE TEMP TABLE result AS
WITH hits AS (
    SELECT l.AccountDomain, l.AccountName, l.LogonType, l.RemoteIP, l.ActionType, l.DeviceId,
           $(ts_norm l.Timestamp) AS ts
    FROM DeviceLogonEvents AS l
    WHERE l.RemoteIPType = 'Public'
      AND NOT EXISTS (SELECT 1 FROM device_ips AS d WHERE d.IpAddress = l.RemoteIP)
      AND NOT EXISTS (SELECT 1 FROM identity_ips AS i WHERE i.IPAddress = l.RemoteIP)
)
SELECT AccountDomain, AccountName, LogonType, RemoteIP, ActionType,
       min(ts) AS EarliestEvent, max(ts) AS LatestEvent,
       count(*) AS Instances, count(DISTINCT DeviceId) AS DistinctMachines
FROM hits
GROUP BY AccountDomain, AccountName, LogonType, RemoteIP, ActionType;

.headers off
.mode list
.nullvalue ''
SELECT $(csvq AccountDomain) || ',' || $(csvq AccountName) || ',' || $(csvq LogonType) || ','
       || $(csvq RemoteIP) || ',' || $(csvq ActionType) || ','
       || EarliestEvent || ',' || LatestEvent || ',' || Instances || ',' || DistinctMachines
FROM result
ORDER BY Instances DESC, AccountDomain, AccountName, LogonType, RemoteIP, ActionType;
EOF
