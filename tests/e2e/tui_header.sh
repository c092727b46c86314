#!/bin/sh
# The results' header keeps the triage's counts (new, changed, reappeared,
# untriaged) on screen at 80x24, 100x30 and 160x50, with and without the
# enrichment (whose sources are on the title line, with the inputs), and
# with a sort on two columns: the counts get shorter before they go.
# The data is tests/data/triage (see its README): day 1 recorded by a
# batch run, alice judged false-positive, then day 2 with the exclusion
# disabled gives, worked out by hand from the README: carol new, alice
# changed (grew since her verdict), the administrator reappeared, and
# four groups untriaged (the administrator, Alice, bob, carol).
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"
T="$top_srcdir/tests/data/triage"
L="$WORK/ledger"
IN="$WORK/DeviceLogonEvents.csv"
X="$WORK/exclusions"

cp "$T/day1.csv" "$IN"
cp "$T/exclusions1" "$X"
"$LOGONHUNT" -b -f csv --ledger "$L" --exclusions "$X" --logons "$IN" \
    >"$WORK/day1.csv" 2>"$WORK/err" || fail "the day 1 batch run"
{ head -n 1 "$WORK/day1.csv"; grep ',alice,' "$WORK/day1.csv"; } |
    "$LOGONHUNT" triage set false-positive --note "scanner" --ledger "$L" \
    >/dev/null 2>>"$WORK/err" || { fail "triage set"; cat "$WORK/err" >&2; }
cp "$T/day2.csv" "$IN"
cp "$T/exclusions2" "$X"

# Enrichment sources that need no database writer: a range file and two
# intel files (enrich_reference.py makes them for the data).
FX="$WORK/fx"
python3 "$top_srcdir/tests/e2e/enrich_reference.py" make "$FX" "$IN" ||
    fail "enrichment fixtures"
ENRICH="--ranges $FX/aws.json --intel $FX/stix.json --intel $FX/tor.txt"

# counts_shown: the header's third line holds the four counts, in any of
# their forms, whole (the edge's > may follow them: the last count is
# whole, since > would stand in for its last letter).
counts_shown() {
	tui_screen | sed -n 3p >"$WORK/line3"
	grep -qE '(^| )1 new, 1 (changed|chg), 1 (reappeared|reap), 4 (untriaged|untri)( |>|$)' "$WORK/line3"
}

for size in "80 24" "100 30" "160 50"; do
	set -- $size
	for enrich in no yes; do
		what="$1x$2, enrichment $enrich"
		if [ "$enrich" = yes ]; then
			# shellcheck disable=SC2086
			tui_start "$1" "$2" --fresh --no-record --ledger "$L" \
			    --exclusions "$X" $ENRICH --allow-missing network,identity \
			    --logons "$IN"
		else
			tui_start "$1" "$2" --fresh --no-record --ledger "$L" \
			    --exclusions "$X" --logons "$IN"
		fi
		tui_expect_status "row 1/5" "$what: five groups"
		tui_expect_that "$what: the counts after the sort" counts_shown ||
		    cat "$WORK/line3" >&2
		tui_expect_that "$what: the sort first" eval \
		    'tui_screen | sed -n 3p | grep -q "^sort Instances▼ "'
		if [ "$enrich" = yes ] && [ "$1" = 160 ]; then
			tui_expect "triage: 1 new, 1 changed, 1 reappeared, 4 untriaged   exclusions:" \
			    "$what: the counts in full, the rest after them"
			tui_expect_that "$what: the sources on the title line" eval \
			    'tui_screen | sed -n 1p | grep -q "loaded in [0-9.]* s   enrichment: aws.json 0 d, stix.json 0 d, tor.txt 0 d *\$"'
		fi
		# A sort on two columns takes more of the line: the counts stay.
		tui_keys 5
		tui_expect "sort ActionType▲, Instances▼" "$what: sorted by two columns"
		tui_expect_that "$what: the counts beside two sort keys" counts_shown ||
		    cat "$WORK/line3" >&2
		tui_keys Q
		tui_exit_status >/dev/null
		tui_stop
	done
done

# Narrower than the shortest form and the sort together: the sort is cut,
# the counts stay whole.
tui_start 50 24 --fresh --no-record --ledger "$L" --exclusions "$X" --logons "$IN"
tui_expect_status "row 1/5" "50x24"
tui_keys 5
tui_expect_that "50x24: the counts whole, the sort cut for them" counts_shown ||
    cat "$WORK/line3" >&2
tui_expect_that "50x24: the sort cut with the mark" eval \
    'tui_screen | sed -n 3p | grep -q "^sort ActionType▲…   1 new"'
tui_keys Q
tui_exit_status >/dev/null
tui_stop

# Without a ledger no counts, and the line begins with the sort as ever.
tui_start 80 24 --fresh --no-ledger --exclusions "$X" --logons "$IN"
tui_expect_status "row 1/5" "80x24 without a ledger"
tui_expect_that "no counts without a ledger" eval \
    'tui_screen | sed -n 3p | grep -q "^sort Instances▼   exclusions:"'
tui_keys Q
tui_exit_status >/dev/null
finish
