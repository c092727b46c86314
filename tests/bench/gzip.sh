#!/usr/bin/env bash
# gzip.sh [--rows N] [--workdir DIR] [--runs N] [--quick]
#
# The hunt over gzip-compressed exports against the plain files: logonhunt
# --batch --format csv --no-record --no-neutralise over lhgen's N-row
# export (WORKDIR/data-N, made by bench.sh; default 1,000,000 rows)
# and over compressed copies of it in WORKDIR/gzip-N:
#
#   single   gzip -6, one member per file
#   pigz     pigz -i (independent blocks, still ONE member; when pigz is
#            installed)
#   multi    each file split into 16 MiB parts at line ends, each part
#            gzipped, the parts concatenated: a multi-member file, as
#            `cat a.gz b.gz` and blob captures make them
#
# each read by libdeflate (members whole, in parallel: the default) and by
# zlib's stream (LOGONHUNT_INFLATE=zlib). Every output must be byte-
# identical with the plain run's. Prints a Markdown table of the median
# wall time, CPU time (user + system) and peak RSS over --runs runs
# (default 3; --quick: 1) under /usr/bin/time, and the load average.
# The inflated copies go to $TMPDIR (default /tmp): set TMPDIR=/dev/shm to
# leave the disk's write-back out of the figures.
#
# Exit status: 0 when every run succeeded and matched, 1 otherwise, 2 on
# bad usage.

set -euo pipefail

rows=1000000
workdir=/tmp/lh-bench
runs=3
while [ $# -gt 0 ]; do
	case "$1" in
	--rows) rows=${2:?--rows needs a number}; shift 2 ;;
	--workdir) workdir=${2:?--workdir needs a directory}; shift 2 ;;
	--runs) runs=${2:?--runs needs a number}; shift 2 ;;
	--quick) runs=1; shift ;;
	-h | --help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "gzip.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
case "$runs" in '' | *[!0-9]* | 0) echo "gzip.sh: --runs must be a positive number" >&2; exit 2 ;; esac

note() { printf '%s\n' "$*" >&2; }
logonhunt=${LOGONHUNT:-./logonhunt}
[ -x "$logonhunt" ] || { note "gzip.sh: no logonhunt at $logonhunt (set LOGONHUNT)"; exit 1; }
[ -x /usr/bin/time ] || { note "gzip.sh: /usr/bin/time missing (Debian package 'time')"; exit 1; }

mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)
data=$workdir/data-$rows
# The data is bench.sh's, which make bench runs first.
if [ "$(cat "$data/.complete" 2>/dev/null || true)" != "lhgen --seed 1 --logons $rows" ]; then
	note "gzip.sh: no complete $data: run tests/bench/bench.sh --rows $rows --workdir $workdir --no-keys first"
	exit 1
fi

# The compressed copies, made once (the stamp says they are whole).
gz=$workdir/gzip-$rows
shapes="single multi"
command -v pigz >/dev/null 2>&1 && shapes="single pigz multi" ||
	note "pigz not found: the pigz -i shape is skipped (apt-get install pigz)"
if [ "$(cat "$gz/.complete" 2>/dev/null || true)" != "$shapes" ]; then
	note "compressing $data into $gz ..."
	rm -rf "$gz"
	mkdir -p "$gz/single" "$gz/multi" "$gz/parts"
	for f in "$data"/*.csv; do
		b=$(basename "$f")
		gzip -6 -c "$f" >"$gz/single/$b.gz"
		if [ "${shapes#*pigz}" != "$shapes" ]; then
			mkdir -p "$gz/pigz"
			pigz -6 -i -c "$f" >"$gz/pigz/$b.gz"
		fi
		rm -f "$gz/parts"/*
		split -C 16M -d -a 5 "$f" "$gz/parts/p"
		: >"$gz/multi/$b.gz"
		for p in "$gz/parts"/p*; do
			gzip -6 -c "$p" >>"$gz/multi/$b.gz"
		done
	done
	rm -rf "$gz/parts"
	printf '%s\n' "$shapes" >"$gz/.complete"
fi

out=$workdir/out
mkdir -p "$out"
status=0
# measure NAME DIR: median "wall cpu rss" of --runs runs, output kept in
# $out/gzip-NAME.csv.
measure() {
	local i t
	: >"$out/gzip-$1.times"
	for ((i = 0; i < runs; i++)); do
		if ! /usr/bin/time -o "$out/gzip-$1.t" -f '%e %U %S %M' "$logonhunt" \
		    --batch --format csv --no-record --no-neutralise "$2" \
		    >"$out/gzip-$1.csv" 2>"$out/gzip-$1.err"; then
			note "gzip.sh: $1 failed: $(tail -1 "$out/gzip-$1.err")"
			status=1
		fi
		t=$(tail -1 "$out/gzip-$1.t")
		awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 / 1024 }' <<<"$t" >>"$out/gzip-$1.times"
	done
	sort -n "$out/gzip-$1.times" | awk -v n="$runs" 'NR == int((n + 1) / 2)'
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
plain=$(measure plain "$data")
read -r pw pc pm <<<"$plain"
printf '\n%s rows, %s run(s) each, medians; load average before: %s; TMPDIR=%s\n\n' \
	"$rows" "$runs" "$load" "${TMPDIR:-/tmp}"
printf '| input | inflater | wall s | CPU s | peak RSS MiB | wall / plain |\n'
printf '|---|---|---:|---:|---:|---:|\n'
printf '| plain | - | %s | %s | %s | 1.00 |\n' "$pw" "$pc" "$pm"
for shape in $shapes; do
	for inflater in libdeflate zlib; do
		r=$(LOGONHUNT_INFLATE=$inflater measure "$shape-$inflater" "$gz/$shape")
		read -r w c m <<<"$r"
		if ! cmp -s "$out/gzip-plain.csv" "$out/gzip-$shape-$inflater.csv"; then
			note "gzip.sh: $shape by $inflater differs from the plain run"
			status=1
		fi
		printf '| %s | %s | %s | %s | %s | %s |\n' "$shape" "$inflater" "$w" "$c" "$m" \
			"$(awk -v a="$w" -v b="$pw" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
	done
done
printf '\nload average after: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
