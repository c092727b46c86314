#!/usr/bin/env bash
# groups.sh [--max-rows N] [--quick] [--workdir DIR] [--runs N] [--duckdb]
#
# The cost curve of the hunt in rows and in groups: logonhunt --batch
# --format csv --no-record over 10,000, 100,000, 1,000,000 and 10,000,000
# Public logons (up to --max-rows, default 10,000,000) that form 10, 1,000,
# 100,000 and 1,000,000 groups per million rows (never more groups than
# rows). Prints a Markdown table of the median wall time, the CPU time
# (user + system) and the peak RSS of each, the time per row, and a text
# plot of time per row and of memory, so that growth faster than linear,
# or memory that follows the rows rather than the groups, shows at a
# glance. With --duckdb (and @duckdb/node-api in WORKDIR/duckdb-node, as
# bench.sh installs it), DuckDB runs the same hunt on the 1,000,000-row
# files too, and the table gives logonhunt's time as a fraction of it.
#
# The data: a 9-column DeviceLogonEvents.csv per case, made by the awk
# program below into WORKDIR/groups-ROWS-GPM (kept for the next run), with
# header-only DeviceNetworkInfo.csv and IdentityLogonEvents.csv. Row i
# belongs to group g = i mod G (G = ROWS * GPM / 1,000,000); a group is
# its own public address (11-90.x.y.z, x.y.z a bijection of g mod 2^24),
# its account user(g mod 200,000) in CORP, LogonType Network, ActionType
# LogonFailed; 1,000 devices; timestamps spread over a month. With one
# group per row this is the "1,000,000 distinct groups" case of issue 16
# (random public addresses, user%200000).
#
# Exit status: 0 when every run succeeded, 1 otherwise, 2 on bad usage.

set -euo pipefail

max_rows=10000000
workdir=/tmp/lh-bench
runs=1
duck=0
while [ $# -gt 0 ]; do
	case "$1" in
	--max-rows) max_rows=${2:?}; shift 2 ;;
	--workdir) workdir=${2:?}; shift 2 ;;
	--runs) runs=${2:?}; shift 2 ;;
	--duckdb) duck=1; shift ;;
	--quick) max_rows=1000000; shift ;;
	-h | --help) sed -n '2,3p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "groups.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
case "$max_rows$runs" in *[!0-9]*) echo "groups.sh: numbers wanted" >&2; exit 2 ;; esac
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
logonhunt=${LOGONHUNT:-./logonhunt}
[ -x "$logonhunt" ] || { echo "groups.sh: logonhunt not found at '$logonhunt' (set LOGONHUNT)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "groups.sh: /usr/bin/time missing (Debian package 'time')" >&2; exit 1; }
mkdir -p "$workdir"
status=0

# make_data ROWS GPM DIR
make_data() {
	local rows=$1 gpm=$2 dir=$3 stamp="groups rows=$1 gpm=$2 v1"
	[ "$(cat "$dir/.complete" 2>/dev/null || true)" = "$stamp" ] && return 0
	rm -rf "$dir.tmp" "$dir"
	mkdir -p "$dir.tmp"
	awk -v rows="$rows" -v gpm="$gpm" 'BEGIN {
		ng = int(rows * gpm / 1000000); if (ng < 1) ng = 1; if (ng > rows) ng = rows
		print "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType"
		for (i = 0; i < rows; i++) {
			g = i % ng
			p = (g * 40503 + 12345) % 16777216
			s = i % 2592000
			printf "2026-11-%02dT%02d:%02d:%02d.%03dZ,dev%05d,host%d.corp.example,LogonFailed,Network,CORP,user%06d,%d.%d.%d.%d,Public\n", \
			    1 + int(s / 86400), int(s / 3600) % 24, int(s / 60) % 60, s % 60, i % 1000, \
			    i % 1000, i % 1000, g % 200000, 11 + g % 80, int(p / 65536), int(p / 256) % 256, p % 256
		}
	}' >"$dir.tmp/DeviceLogonEvents.csv"
	echo "DeviceId,IPAddresses" >"$dir.tmp/DeviceNetworkInfo.csv"
	echo "IPAddress,ISP" >"$dir.tmp/IdentityLogonEvents.csv"
	printf '%s\n' "$stamp" >"$dir.tmp/.complete"
	mv "$dir.tmp" "$dir"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# measure CMD...: median wall, CPU and peak RSS (KiB) of runs, as "w c m"
measure() {
	local i ws=() cs=() ms=() w u s m
	for ((i = 0; i < runs; i++)); do
		if ! /usr/bin/time -f '%e %U %S %M' -o "$workdir/groups.time" "$@" >/dev/null 2>"$workdir/groups.err"; then
			echo "groups.sh: failed: $*" >&2
			tail -n 3 "$workdir/groups.err" >&2
			return 1
		fi
		read -r w u s m <"$workdir/groups.time"
		ws+=("$w")
		cs+=("$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')")
		ms+=("$m")
	done
	echo "$(printf '%s\n' "${ws[@]}" | median) $(printf '%s\n' "${cs[@]}" | median) $(printf '%s\n' "${ms[@]}" | median)"
}

declare -A W C M
row_list=()
for rows in 10000 100000 1000000 10000000; do
	[ "$rows" -le "$max_rows" ] && row_list+=("$rows")
done
gpm_list=(10 1000 100000 1000000)
for rows in "${row_list[@]}"; do
	for gpm in "${gpm_list[@]}"; do
		dir=$workdir/groups-$rows-$gpm
		make_data "$rows" "$gpm" "$dir"
		if r=$(measure "$logonhunt" --batch --format csv --no-record "$dir"); then
			read -r W[$rows,$gpm] C[$rows,$gpm] M[$rows,$gpm] <<<"$r"
			echo "rows $rows, $gpm groups per million: ${W[$rows,$gpm]} s wall, ${C[$rows,$gpm]} s CPU, ${M[$rows,$gpm]} KiB" >&2
		else
			status=1
		fi
	done
done

groups_of() { awk -v r="$1" -v g="$2" 'BEGIN { n = int(r * g / 1000000); if (n < 1) n = 1; if (n > r) n = r; print n }'; }

echo
echo "logonhunt --batch over ROWS logons in GROUPS groups (median of $runs run(s), $(nproc) cores)"
echo
echo "| rows | groups per 1M rows | groups | wall s | CPU s | CPU ns per row | peak RSS MiB |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for rows in "${row_list[@]}"; do
	for gpm in "${gpm_list[@]}"; do
		[ -n "${W[$rows,$gpm]:-}" ] || continue
		awk -v r="$rows" -v g="$gpm" -v n="$(groups_of "$rows" "$gpm")" -v w="${W[$rows,$gpm]}" \
		    -v c="${C[$rows,$gpm]}" -v m="${M[$rows,$gpm]}" \
		    'BEGIN { printf "| %d | %d | %d | %.2f | %.2f | %.0f | %.1f |\n", r, g, n, w, c, c * 1e9 / r, m / 1024 }'
	done
done

# Text plots: one bar per case, scaled to the largest value.
plot() {
	local title=$1 what=$2
	echo
	echo "$title"
	echo '```'
	for gpm in "${gpm_list[@]}"; do
		for rows in "${row_list[@]}"; do
			[ -n "${W[$rows,$gpm]:-}" ] || continue
			case $what in
			nsrow) v=$(awk -v c="${C[$rows,$gpm]}" -v r="$rows" 'BEGIN { print c * 1e9 / r }') ;;
			rss) v=$(awk -v m="${M[$rows,$gpm]}" 'BEGIN { print m / 1024 }') ;;
			esac
			printf '%s %s %s\n' "$gpm" "$rows" "$v"
		done
	done | awk -v what="$what" '{ g[NR] = $1; r[NR] = $2; v[NR] = $3; if ($3 > max) max = $3 }
		END { for (i = 1; i <= NR; i++) {
			n = max > 0 ? int(v[i] * 50 / max + 0.5) : 0
			bar = ""; for (k = 0; k < n; k++) bar = bar "#"
			printf "%7d groups/M %9d rows %9.1f %s |%s\n", g[i], r[i], v[i],
			    what == "rss" ? "MiB" : "ns ", bar } }'
	echo '```'
}
plot "CPU time per row (flat along the rows where the cost is linear)" nsrow
plot "Peak RSS" rss

if [ "$duck" = 1 ] && [ -f "$workdir/duckdb-node/node_modules/@duckdb/node-api/package.json" ] && command -v node >/dev/null 2>&1; then
	echo
	echo "| 1,000,000 rows, groups per 1M rows | logonhunt wall s | DuckDB wall s | ratio | logonhunt MiB | DuckDB MiB |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
	for gpm in "${gpm_list[@]}"; do
		[ -n "${W[1000000,$gpm]:-}" ] || continue
		dir=$workdir/groups-1000000-$gpm
		if r=$(LH_DUCKDB_NODE_DIR=$workdir/duckdb-node measure node "$srcdir/tests/bench/duckdb_hunt.mjs" "$dir" "$workdir/groups-duck.csv"); then
			read -r dw dc dm <<<"$r"
			awk -v g="$gpm" -v lw="${W[1000000,$gpm]}" -v dw="$dw" -v lm="${M[1000000,$gpm]}" -v dm="$dm" \
			    'BEGIN { printf "| %d | %.2f | %.2f | %.2fx | %.1f | %.1f |\n", g, lw, dw, lw / dw, lm / 1024, dm / 1024 }'
		else
			status=1
		fi
	done
fi
exit "$status"
