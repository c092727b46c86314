#!/bin/sh
# gzip-compressed inputs give byte for byte what the plain files give: the
# bundled sample (data/), an lhgen export of 20,000 logons and the real
# data (the Defender portal export and Elastic's streaming records; SKIP
# when absent, a failure when LOGONHUNT_REQUIRE_REALDATA is set), each as
# one gzip member (gzip) and as many members (parts gzipped one by one and
# concatenated, as `cat a.gz b.gz`, pigz's part files and blob captures
# make them, an empty member first), read by libdeflate (members whole, in
# parallel) and by zlib (LOGONHUNT_INFLATE=zlib). The plain run is the
# reference: the other tests check it against independent ones.
. "$(dirname "$0")/lib.sh"
: "${LHGEN:?LHGEN must name the lhgen binary}"

if ! command -v gzip > /dev/null 2>&1 || ! command -v python3 > /dev/null 2>&1; then
	echo "gzip or python3 not found: skipped (apt-get install gzip python3)"
	exit 77
fi

run() {
	"$LOGONHUNT" --batch --format csv --no-exclusions --stats "$@"
}

# compressed_copies SRC NAME PARTSIZE: SRC's files into $WORK/NAME-one
# (gzip, one member each) and $WORK/NAME-many (split into PARTSIZE
# pieces at line ends, each gzipped, concatenated after an empty member).
compressed_copies() {
	mkdir -p "$WORK/$2-one" "$WORK/$2-many" "$WORK/parts"
	for f in "$1"/*; do
		[ -f "$f" ] || continue
		b=$(basename "$f")
		gzip -c < "$f" > "$WORK/$2-one/$b.gz"
		rm -f "$WORK/parts"/*
		split -C "$3" -d -a 5 "$f" "$WORK/parts/p"
		gzip -c < /dev/null > "$WORK/$2-many/$b.gz"
		for p in "$WORK/parts"/p*; do
			gzip -c < "$p" >> "$WORK/$2-many/$b.gz"
		done
	done
}

# same_as_plain SRC NAME WHAT ARGS...: the hunt over $WORK/NAME-one and
# $WORK/NAME-many, by both inflaters, prints what the one over SRC does.
same_as_plain() {
	_src=$1 _name=$2 _what=$3
	shift 3
	expect_status 0 run "$@" "$_src"
	cp "$WORK/out" "$WORK/plain.csv"
	for shape in one many; do
		for inflater in libdeflate zlib; do
			LOGONHUNT_INFLATE=$inflater
			export LOGONHUNT_INFLATE
			expect_status 0 run "$@" "$WORK/$_name-$shape"
			unset LOGONHUNT_INFLATE
			expect_same "$WORK/plain.csv" "$WORK/out" "$_what, $shape member(s), $inflater"
		done
	done
}

mkdir -p "$WORK/sample"
cp "$top_srcdir"/data/*.csv "$WORK/sample/"
compressed_copies "$WORK/sample" sample 300
# The members really are many (one per part), the empty one first.
members=$(python3 -c '
import sys, zlib
d = open(sys.argv[1], "rb").read()
n = 0
while d:
    o = zlib.decompressobj(31)
    o.decompress(d)
    d = o.unused_data
    n += 1
print(n)' "$WORK/sample-many/DeviceLogonEvents.csv.gz" || echo 0)
parts=$(split -C 300 -d -a 5 "$WORK/sample/DeviceLogonEvents.csv" "$WORK/count-" &&
	ls "$WORK"/count-* | wc -l)
[ "$members" -eq $((parts + 1)) ] && [ "$members" -gt 3 ] && ok ||
	fail "the many-member copy of the sample has $members members, not $((parts + 1))"
same_as_plain "$WORK/sample" sample "the sample"

# An lhgen export big enough for members of many sizes and both threads.
"$LHGEN" --seed 3 --logons 20000 "$WORK/gen" > /dev/null || fail "lhgen failed"
compressed_copies "$WORK/gen" gen 65536
same_as_plain "$WORK/gen" gen "lhgen's 20,000 logons"

# The real portal export and the real streaming records.
P="$REALDATA/log2timeline__plaso/advanced_hunting_test.csv"
if need_realdata "the real portal export, gzipped" "$P"; then
	mkdir -p "$WORK/portal"
	cp "$P" "$WORK/portal/DeviceLogonEvents.csv"
	compressed_copies "$WORK/portal" portal 4096
	same_as_plain "$WORK/portal" portal "the real portal export" \
		--allow-missing network,identity
fi
EL="$REALDATA/elastic__integrations"
if need_realdata "the real streaming records, gzipped" "$EL/test-device.log.excerpt" \
    "$EL/test-app-and-identity.log.excerpt"; then
	mkdir -p "$WORK/elastic"
	cp "$EL/test-device.log.excerpt" "$WORK/elastic/test-device.log"
	cp "$EL/test-app-and-identity.log.excerpt" "$WORK/elastic/test-app-and-identity.log"
	compressed_copies "$WORK/elastic" elastic 2048
	same_as_plain "$WORK/elastic" elastic "the real streaming records"
fi
finish
