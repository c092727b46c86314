#!/bin/sh
# The local hunt and the KQL read RemoteIP the same way: a table of about
# 9,000 spellings (IPv4-mapped IPv6 in every spelling, zones, case, leading
# zeros, near misses) checked against Python's ipaddress, logonhunt --batch
# and the emitted query's own regexes (tests/kusto/remoteip.py says how).
. "$(dirname "$0")/lib.sh"

if python3 "$top_srcdir/tests/kusto/remoteip.py" "$LOGONHUNT" "$WORK" > "$WORK/log" 2>&1; then
	ok
else
	fail "RemoteIP normalisation differs between the sides"
fi
grep -v '^DISAGREE' "$WORK/log"
grep '^DISAGREE' "$WORK/log" | head -20 >&2
finish
