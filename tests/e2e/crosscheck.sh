#!/bin/sh
# The hunt computed independently, in SQLite (sqlite_crosscheck.sh) and in
# Python (hunt_reference.py), must give byte-identical CSV to logonhunt's,
# with both CSV readers and with the file split across threads:
#   - on generated data of several shapes;
#   - on generated data with lhgen's edge cases (tests/gen/SCENARIOS.md),
#     under every option that changes the result (--identity-filter,
#     --from, --until, --since with and without --relative-to-data,
#     --exclusions), each bound met by a logon exactly on it;
#   - on one small data set per kind of IPAddresses value.
# The two references must agree with each other, and the planted cases
# must come out of them as worked out by hand from Kusto's semantics
# (SCENARIOS.md), so neither a reference nor the data can go hollow.
. "$(dirname "$0")/lib.sh"
: "${LHGEN:?LHGEN must name the generator}"
for tool in sqlite3 python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "$tool is not installed: skipping"
		exit 77
	fi
done
SQL="$top_srcdir/tests/e2e/sqlite_crosscheck.sh"
PYREF="$top_srcdir/tests/e2e/hunt_reference.py"
NATORD="$top_srcdir/tests/e2e/natural_order.py"
# No allowlist of the machine's user: only --exclusions FILE applies.
XDG_CONFIG_HOME="$WORK/config"
HOME="$WORK"
export XDG_CONFIG_HOME HOME

# refs NAME DIR [OPTIONS...]: both references on DIR into $WORK/NAME.ref.csv;
# they must agree.
refs() {
	r_name=$1 r_dir=$2
	shift 2
	sh "$SQL" "$@" "$r_dir" > "$WORK/$r_name.sql.csv" 2> "$WORK/$r_name.sqlite.err" || {
		fail "$r_name: SQLite reference failed"; sed 's/^/  /' "$WORK/$r_name.sqlite.err" >&2; return 1; }
	# SQLite orders bytes; the rows go into natural order (natural_order.py).
	python3 "$NATORD" "$WORK/$r_name.sql.csv" > "$WORK/$r_name.ref.csv" || {
		fail "$r_name: natural_order.py failed"; return 1; }
	python3 "$PYREF" "$@" "$r_dir" > "$WORK/$r_name.py.csv" || { fail "$r_name: Python reference failed"; return 1; }
	expect_same "$WORK/$r_name.ref.csv" "$WORK/$r_name.py.csv" "$r_name: Python reference against SQLite reference"
}

# hunt NAME DIR PARSERS [OPTIONS...]: logonhunt with each parser setting
# (";"-separated, each optionally led by one VAR=VALUE for the
# environment) and OPTIONS must print $WORK/NAME.ref.csv.
hunt() {
	h_name=$1 h_dir=$2 h_rest=$3
	shift 3
	while [ -n "$h_rest" ]; do
		h_p=${h_rest%%;*}
		case $h_rest in *";"*) h_rest=${h_rest#*;} ;; *) h_rest= ;; esac
		h_env=
		case $h_p in [A-Z]*=*" "*) h_env=${h_p%% *}; h_p=${h_p#* } ;; esac
		# shellcheck disable=SC2086
		expect_status 0 env $h_env "$LOGONHUNT" --batch --format csv $h_p "$@" "$h_dir"
		expect_same "$WORK/$h_name.ref.csv" "$WORK/out" "$h_name ($h_p $*)"
	done
}

# has NAME LINE-PART / hasnt NAME LINE-PART: a row of NAME's reference
# output contains (does not contain) LINE-PART, a fixed string.
has() {
	if grep -qF -- "$2" "$WORK/$1.ref.csv"; then ok; else fail "$1: no row with '$2'"; fi
}
hasnt() {
	if grep -qF -- "$2" "$WORK/$1.ref.csv"; then fail "$1: a row with '$2'"; grep -F -- "$2" "$WORK/$1.ref.csv" >&2; else ok; fi
}
# rows NAME N: NAME's reference output has N summary rows.
rows() {
	got=$(($(wc -l < "$WORK/$1.ref.csv") - 1))
	if [ "$got" -eq "$2" ]; then ok; else fail "$1: $got summary rows, wanted $2"; fi
}

# The fast parser on each path of its structural pass (LOGONHUNT_SIMD;
# a path the processor lacks falls back to the best it has).
ALL="--csv-parser fast --threads 2;--csv-parser fast --threads 1;--csv-parser libcsv;LOGONHUNT_SIMD=sse2 --csv-parser fast --threads 2;LOGONHUNT_SIMD=scalar --csv-parser fast --threads 2"
TWO="--csv-parser fast --threads 2;--csv-parser libcsv"

# ------------------------------------------------ generated data, no options
plain_case() {	# name, generator options...
	p_name=$1; shift
	"$LHGEN" "$@" "$WORK/$p_name" > /dev/null || { fail "lhgen $*"; return; }
	refs "$p_name" "$WORK/$p_name" || return
	hunt "$p_name" "$WORK/$p_name" "$ALL"
	n=$(($(wc -l < "$WORK/$p_name.ref.csv") - 1))
	if [ "$n" -gt 20 ]; then ok; else fail "$p_name: only $n summary rows: the data set is too small to mean much"; fi
}
plain_case sample --sample --seed 42 --logons 3000
plain_case crlf --seed 1 --logons 15000
plain_case lf-bom --seed 2 --logons 15000 --lf --bom
plain_case wide --seed 3 --logons 12000 --network 3000 --identity 6000

# ----------------------------------------------------------- hand-made data
# Both references give the results worked out by hand (README.md there).
HM="$top_srcdir/tests/data/handmade"
refs handmade "$HM" && expect_same "$HM/expected.csv" "$WORK/handmade.ref.csv" "handmade: references"
refs handmade-internal "$HM" --identity-filter internal &&
	expect_same "$HM/expected-internal.csv" "$WORK/handmade-internal.ref.csv" "handmade --identity-filter internal: references"
# Property bags in IPAddresses (see the README there).
for d in mvexpand-bag mvexpand-empty-bag; do
	refs "$d" "$HM/$d" && expect_same "$HM/$d/expected.csv" "$WORK/$d.ref.csv" "handmade $d: references"
	hunt "$d" "$HM/$d" "--csv-parser fast;--csv-parser libcsv"
done

# -------------------------------------------- edge cases, under each option
"$LHGEN" --edge --seed 5 --logons 8000 "$WORK/edge" > /dev/null || fail "lhgen --edge"
"$LHGEN" --edge --sample --seed 42 --logons 3000 --lf --bom "$WORK/edge-sample" > /dev/null ||
	fail "lhgen --edge --sample"

# edge_case NAME OPTIONS...: on both edge data sets; the first one's
# reference output is $WORK/NAME.ref.csv.
edge_case() {
	e_name=$1; shift
	refs "$e_name-sample" "$WORK/edge-sample" "$@" && hunt "$e_name-sample" "$WORK/edge-sample" "$TWO" "$@"
	refs "$e_name" "$WORK/edge" "$@" && hunt "$e_name" "$WORK/edge" "$TWO" "$@"
}

# The query as written (E1-E4 of SCENARIOS.md).
edge_case edge
for ip in 41.77.30.3 2C0F:F7A8::30 2c0f:f7a8::31; do has edge ",Network,$ip,LogonSuccess,"; done
for ip in 41.77.10.1 41.77.20.1 41.77.20.2 41.77.20.3 41.77.30.1 41.77.30.2 41.77.50.9; do
	hasnt edge ",$ip,"
done
for ip in 41.77.40.1 41.77.40.2 41.77.40.3 41.77.40.7 41.77.40.8 41.77.40.10 42 2c0f:f7a8::41; do
	has edge ",edge.mvexpand,Network,$ip,"
done
for ip in 41.77.40.4 41.77.40.5 41.77.40.6 41.77.40.9 5 true "" 2C0F:F7A8::41; do
	hasnt edge ",edge.mvexpand,Network,$ip,"
done
# group NAME DOMAIN ACCOUNT LOGONTYPE REMOTEIP ACTIONTYPE INSTANCES: NAME's
# reference output has that group (fields compared exactly).
group() {
	if awk -F, -v d="$2" -v a="$3" -v l="$4" -v i="$5" -v t="$6" -v c="$7" '
		$1 == d && $2 == a && $3 == l && $4 == i && $5 == t && $8 == c { found = 1 }
		END { exit !found }' "$WORK/$1.ref.csv"; then ok
	else fail "$1: no group $2|$3|$4|$5|$6 with $7 logons"; fi
}
group edge "" Admin Network 41.77.50.1 LogonFailed 3
group edge "" admin Network 41.77.50.1 LogonFailed 2
group edge "" ADMIN Network 41.77.50.1 LogonFailed 1
group edge "" "admin " Network 41.77.50.1 LogonFailed 1
group edge CONTOSO svc_edge Network 41.77.50.2 LogonSuccess 3
group edge contoso svc_edge Network 41.77.50.2 LogonSuccess 2
group edge Contoso svc_edge Network 41.77.50.2 LogonSuccess 1
group edge CONTOSO edge.case Network 41.77.50.3 LogonSuccess 2
group edge CONTOSO edge.case network 41.77.50.3 LogonSuccess 2
group edge CONTOSO edge.case Network 41.77.50.3 logonsuccess 1
group edge CONTOSO edge.case Network 2c0f:f7a8::50 LogonSuccess 2
group edge CONTOSO edge.case Network 2C0F:F7A8::50 LogonSuccess 2
T=",LogonSuccess,"
has edge "CONTOSO,edge.time,Network,41.77.60.1${T}2025-03-04T20:00:00.0000000Z,2025-03-05T00:30:00.5000000Z,4,"
has edge "CONTOSO,edge.time,Network,41.77.60.2${T}2025-03-06T07:59:59.0000000Z,2025-03-06T08:01:00.0000000Z,6,"
has edge "CONTOSO,edge.time,Network,41.77.60.3${T},,3,"
has edge "CONTOSO,edge.time,Network,41.77.60.4${T}2025-03-06T12:00:00.0000000Z,2025-03-06T12:00:00.0000000Z,9,"
has edge "CONTOSO,edge.time,Network,41.77.60.5${T}2025-02-28T22:00:00.0000000Z,2025-03-01T01:00:00.0000000Z,2,"
has edge "CONTOSO,edge.time,Network,41.77.60.6${T}2024-02-29T23:30:00.0000000Z,2024-03-01T01:00:00.0000000Z,2,"
has edge ",41.77.73.3${T}2025-03-11T21:30:00.0000000Z,"

edge_case internal --identity-filter internal
for ip in 41.77.20.1 41.77.20.2 41.77.20.3 2C0F:F7A8::30 2c0f:f7a8::31; do has internal ",Network,$ip,LogonSuccess,"; done
for ip in 41.77.10.1 41.77.30.1 41.77.30.2 41.77.30.3; do hasnt internal ",$ip,"; done
# Only the empty IPAddresses values put "" among the device IPs here: the
# identity rows with an empty address have an empty ISP.
hasnt internal ",edge.mvexpand,Network,,"

# Window bounds (E5): each bound has a logon exactly on it, one 100 ns
# tick inside and one outside.
edge_case from --from 2025-03-06T12:00:00Z
for ip in 41.77.70.1 41.77.70.2 41.77.70.4 41.77.71.1; do has from ",$ip,"; done
for ip in 41.77.70.3 41.77.60.3 41.77.60.5; do hasnt from ",$ip,"; done
edge_case from-until --from 2025-03-06T14:00:00+02:00 --until 2025-03-08T12:00:00Z
for ip in 41.77.70.1 41.77.70.2 41.77.70.4 41.77.71.1 41.77.71.2 41.77.71.4; do has from-until ",$ip,"; done
for ip in 41.77.70.3 41.77.71.3 41.77.72.1 41.77.60.3; do hasnt from-until ",$ip,"; done
edge_case until --until 2025-03-08T07:00:00-05:00
for ip in 41.77.71.1 41.77.71.2 41.77.71.4 41.77.60.5 41.77.60.6; do has until ",$ip,"; done
for ip in 41.77.71.3 41.77.60.3; do hasnt until ",$ip,"; done
edge_case until-day --until 2025-03-08
for ip in 41.77.72.1 41.77.71.3; do has until-day ",$ip,"; done
for ip in 41.77.72.2 41.77.72.3 41.77.73.1; do hasnt until-day ",$ip,"; done
edge_case since-data --since 1.5h --relative-to-data
has since-data ",41.77.73.1,"
has since-data ",41.77.73.3,"
rows since-data 2
edge_case since-5d --since 5d --relative-to-data
for ip in 41.77.73.5 41.77.73.1 41.77.71.1; do has since-5d ",$ip,"; done
for ip in 41.77.73.6 41.77.70.4; do hasnt since-5d ",$ip,"; done
# With --from too, the later lower bound wins, whichever it is.
edge_case since-from --since 5d --relative-to-data --from 2025-03-08T12:00:00Z
has since-from ",41.77.71.1,"
hasnt since-from ",41.77.71.4,"
edge_case since-from-earlier --since 5d --relative-to-data --from 2025-03-06T12:00:00Z
has since-from-earlier ",41.77.73.5,"
hasnt since-from-earlier ",41.77.70.1,"
edge_case internal-window --identity-filter internal --from 2025-03-06T12:00:00Z --until 2025-03-08
has internal-window ",41.77.72.1,"
hasnt internal-window ",41.77.70.3,"
hasnt internal-window ",41.77.72.2,"

# --since from now: the bound lands at 2025-03-11T12:00:00Z, nine hours
# from the nearest logon, so the seconds logonhunt starts later than the
# references are told "now" change nothing.
now=$(date -u +%s)
since=$((now - $(date -u -d 2025-03-11T12:00:00Z +%s)))
nowtext=$(date -u -d "@$now" +%Y-%m-%dT%H:%M:%SZ)
[ "$since" -gt 0 ] || fail "the clock says $nowtext, before the data: --since from now cannot be checked"
refs since-now "$WORK/edge" --since "${since}s" --now "$nowtext" &&
	hunt since-now "$WORK/edge" "$TWO" --since "${since}s"
for ip in 41.77.73.1 41.77.73.2 41.77.73.3 41.77.73.4; do has since-now ",$ip,"; done
rows since-now 4

# --exclusions (the Python reference only): account rules ignore case,
# a trailing space still counts.
cat > "$WORK/rules" <<EOT
[edge]
account admin
ip 41.77.70.0/24
EOT
python3 "$PYREF" "$WORK/edge" "$WORK/rules" > "$WORK/excl.ref.csv" || fail "excl: Python reference failed"
hunt excl "$WORK/edge" "$TWO" --exclusions "$WORK/rules"
has excl ",admin ,Network,41.77.50.1,"
hasnt excl ",Admin,Network,41.77.50.1,"
hasnt excl ",41.77.70.1,"
has excl ",41.77.71.1,"

# ------------------------------------- one IPAddresses value per data set
# Logons from "", 192.0.2.7, 5 and true; one DeviceNetworkInfo row with the
# value; no identity rows. "removed" is what Kusto's mv-expand and
# tostring(.IPAddress) make of the value, worked out by hand.
mvcase=0
mvexpand_case() {	# IPAddresses value, the RemoteIPs it removes (| separated)
	mvcase=$((mvcase + 1))
	d="$WORK/mv$mvcase"
	mkdir -p "$d"
	{
		echo "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType"
		for ip in "" 192.0.2.7 5 true; do
			echo "2025-03-05T10:00:00Z,d1,h1,LogonSuccess,Network,C,a,$ip,Public"
		done
	} > "$d/DeviceLogonEvents.csv"
	printf 'Timestamp,DeviceId,DeviceName,IPAddresses\n2025-03-05T00:00:00Z,d1,h1,"%s"\n' \
		"$(printf '%s' "$1" | sed 's/"/""/g')" > "$d/DeviceNetworkInfo.csv"
	echo "Timestamp,IPAddress,ISP" > "$d/IdentityLogonEvents.csv"
	refs "mv$mvcase" "$d" && hunt "mv$mvcase" "$d" "--csv-parser fast;--csv-parser libcsv"
	for ip in "" 192.0.2.7 5 true; do
		case "|$2|" in
		*"|$ip|"*) hasnt "mv$mvcase" "C,a,Network,$ip,LogonSuccess," ;;
		*) has "mv$mvcase" "C,a,Network,$ip,LogonSuccess," ;;
		esac
	done
}
mvexpand_case '' ''
mvexpand_case 'not json' ''
mvexpand_case 'null' ''
mvexpand_case '[]' '-'
mvexpand_case '42' ''
mvexpand_case '"192.0.2.7"' ''
mvexpand_case '["192.0.2.7"]' ''
mvexpand_case '[[]]' ''
mvexpand_case '[{}]' ''
mvexpand_case '[{"IPAddress":"192.0.2.7"}]' '192.0.2.7'
mvexpand_case ' [ {"IPAddress" : "192.0.2.7"} ] ' '192.0.2.7'
mvexpand_case '[{"IPAddress":"192.0.2.\u0037"}]' '192.0.2.7'
mvexpand_case '[{"ipAddress":"192.0.2.7"}]' ''
mvexpand_case '[{"IPAddress":null}]' ''
mvexpand_case '[{"IPAddress":5}]' '5'
mvexpand_case '[{"IPAddress":true},{"IPAddress":"192.0.2.7"}]' 'true|192.0.2.7'
mvexpand_case '{"IPAddress":"192.0.2.7"}' '192.0.2.7'
# A property bag: one single-member bag per member, the others giving "";
# {} expands to nothing.
mvexpand_case '{"SubnetPrefix":24,"IPAddress":"192.0.2.7"}' '|192.0.2.7'
mvexpand_case '{"IPAddress":"192.0.2.7","x":null}' '192.0.2.7|'
mvexpand_case '{}' '-'
finish
