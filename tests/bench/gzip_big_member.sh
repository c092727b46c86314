#!/usr/bin/env bash
# gzip_big_member.sh [--workdir DIR] [--keep]
#
# A gzip member of 4 GiB or more is read exactly (issue 16): its ISIZE
# trailer holds the size modulo 2^32, so the member splitter reads a false,
# small size for it. Writes into WORKDIR (default a new directory under
# $TMPDIR or /tmp) a DeviceLogonEvents.csv.gz of three members: a small
# one (the header and 6,000 rows), one that inflates to 4 GiB + 5 MiB of
# rows (ISIZE says about 5 MiB), and another small one, made without ever
# holding or writing the inflated bytes: a 3 MB block of rows deflated
# once (Z_FULL_FLUSH: it refers to nothing before it) and repeated, the
# CRC-32 and size of the whole computed by Python's zlib. The file is
# about 100 MB (the rows deflate about 43 times, under the 200 times
# that stops a bomb). The whole is 8,598,000 logons of one group, with
# times from 10:00:00 to 10:59:59: the expected summary line is written
# by hand below, not by logonhunt.
#
# logonhunt inflates the file into its temporary copy under $TMPDIR
# (4 GiB of disk, or of memory on a tmpfs), then loads it: about a minute
# on the 2-core reference machine. Too heavy for make check: run by make
# bench, or by hand. Prints the time, CPU and peak RSS (/usr/bin/time) and
# the load average. Exit status 0 when the summary is right, 1 otherwise.

set -euo pipefail

workdir=
keep=0
while [ $# -gt 0 ]; do
	case "$1" in
	--workdir) workdir=${2:?--workdir needs a directory}; shift 2 ;;
	--keep) keep=1; shift ;;
	-h | --help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "gzip_big_member.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
logonhunt=${LOGONHUNT:-./logonhunt}
[ -x "$logonhunt" ] || { echo "gzip_big_member.sh: no logonhunt at $logonhunt (set LOGONHUNT)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "gzip_big_member.sh: python3 missing" >&2; exit 1; }
if [ -z "$workdir" ]; then
	workdir=$(mktemp -d "${TMPDIR:-/tmp}/lh-bigmember.XXXXXX")
	[ "$keep" = 1 ] || trap 'rm -rf "$workdir"' EXIT
fi
mkdir -p "$workdir/d"

python3 - "$workdir/d/DeviceLogonEvents.csv.gz" <<'PY'
import random, struct, sys, zlib
rng = random.Random(1)
head = (b"Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,"
        b"AccountName,RemoteIP,RemoteIPType,Filler\n")
rows = "".join("2025-01-01T10:%02d:%02dZ,dev1,ws-1.contoso.com,LogonFailed,"
               "Network,CONTOSO,alice,198.51.100.7,Public,%s%03d\n"
               % (i % 3600 // 60, i % 60, "x" * 400, rng.randrange(1000))
               for i in range(6000)).encode()

def member(f, parts):
    """Writes one gzip member: each (bytes, times) deflated once, then
    repeated; returns the inflated size."""
    crc = size = 0
    f.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03")
    for raw, times in parts:
        c = zlib.compressobj(1, zlib.DEFLATED, -15)
        block = c.compress(raw) + c.flush(zlib.Z_FULL_FLUSH)
        for _ in range(times):
            f.write(block)
            crc = zlib.crc32(raw, crc)
            size += len(raw)
    f.write(b"\x03\x00")        # the final block: empty, fixed Huffman
    f.write(struct.pack("<II", crc, size & 0xffffffff))
    return size

k = -(-((4 << 30) + (5 << 20)) // len(rows))
with open(sys.argv[1], "wb") as f:
    member(f, [(head, 1), (rows, 1)])
    size = member(f, [(rows, k)])
    member(f, [(rows, 1)])
print("the middle member: %d bytes inflated, ISIZE %d; %d logons in all"
      % (size, size & 0xffffffff, (k + 2) * 6000), file=sys.stderr)
with open(sys.argv[1] + ".rows", "w") as f:
    f.write("%d\n" % ((k + 2) * 6000))
PY
gz=$workdir/d/DeviceLogonEvents.csv.gz
n=$(cat "$gz.rows")
rm -f "$gz.rows"
ls -l "$gz" >&2

{
	echo "AccountDomain,AccountName,LogonType,RemoteIP,ActionType,EarliestEvent,LatestEvent,Instances,DistinctMachines"
	echo "CONTOSO,alice,Network,198.51.100.7,LogonFailed,2025-01-01T10:00:00.0000000Z,2025-01-01T10:59:59.0000000Z,$n,1"
} >"$workdir/expected.csv"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "wall %e s, user %U s, sys %S s, peak RSS %M KiB" \
    "$logonhunt" --batch -f csv --no-exclusions --no-record \
    --allow-missing network,identity "$workdir/d" >"$workdir/out.csv" 2>"$workdir/err" || {
	echo "FAIL: logonhunt failed:"; cat "$workdir/err"; exit 1; }
tail -1 "$workdir/err"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if cmp -s "$workdir/expected.csv" "$workdir/out.csv"; then
	echo "PASS: a 4 GiB + 5 MiB member (ISIZE modulo 2^32) gives the summary of its $n logons"
else
	echo "FAIL: the summary differs:"
	diff "$workdir/expected.csv" "$workdir/out.csv" | head
	exit 1
fi
