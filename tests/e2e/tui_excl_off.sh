#!/bin/sh
# The exclusions screen shows what a rule or category that is off would
# remove if it were switched on, in parentheses, instead of 0 (issue 12).
# The figures are summed with awk from --batch's groups; once switched on,
# the rule removes what was announced. Right scrolls to a long note's end.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"
SAMPLE=$(tui_sample)
mkdir -p "$WORK/xdg/logonhunt"
EXCL="$WORK/xdg/logonhunt/exclusions"
long="a note too long for the screen: $(printf 'words %.0s' $(seq 1 16))tail-of-the-note"
printf '[maintenance]\n!ip 91.218.114.0/24  # patch servers\n[siem]\nenabled = no\nip 157.97.109.40  # collector\n[rds]\nip 192.0.2.1  # %s\n' "$long" > "$EXCL"
"$LOGONHUNT" -b -f csv --exclusions "$EXCL" "$SAMPLE" > "$WORK/batch.csv" 2>/dev/null
# groups and events of the rows whose RemoteIP the rule holds
set -- $(awk -F, 'NR > 1 && $4 ~ /^91\.218\.114\./ { g++; e += $8 }
    NR > 1 && $4 == "157.97.109.40" { g2++; e2 += $8 }
    END { print g + 0, e + 0, g2 + 0, e2 + 0 }' "$WORK/batch.csv")
g1=$1 e1=$2 g2=$3 e2=$4
[ "$g1" -gt 0 ] && [ "$g2" -gt 0 ] && ok || fail "the sample should have both addresses: $*"

tui_start 160 30 "$SAMPLE"
tui_expect_status "row 1/" "results"
tui_keys x
tui_expect "(n): what is off would remove if switched on" "the legend"
# rule_line TEXT: the screen line of the rule or category holding TEXT,
# blanks squeezed.
line() { tui_screen | grep -F -- "$1" | tr -s ' '; }
tui_expect_that "the disabled rule: ($g1) groups ($e1) events" eval \
    'line "91.218.114.0/24" | grep -qF "disabled ($g1) ($e1) patch servers"'
tui_expect_that "the rule in the category that is off: ($g2) ($e2)" eval \
    'line "157.97.109.40" | grep -qF "category off ($g2) ($e2) collector"'
tui_expect_that "the category that is off: ($g2) ($e2)" eval \
    'line "siem  (1 rule)" | grep -qF "off ($g2) ($e2)"'
tui_expect_that "the category that is on still counts what it removes: 0" eval \
    'line "maintenance  (1 rule)" | grep -qF " on 0 0 "'
# A long note is read by scrolling sideways (Right did nothing here).
tui_expect_that "the note is cut at first" eval '! tui_screen | grep -qF tail-of-the-note'
tui_keys Right Right Right Right Right Right Right Right Right Right
tui_expect "tail-of-the-note" "Right scrolls to the end of the long note"
tui_expect_that "Right is a key of this screen" eval '! tui_screen | grep -qF "does nothing here"'
tui_keys 0
tui_expect "On  Category / rule" "0 scrolls back"
# Switched on: the rule removes what it said, now without parentheses.
tui_keys Down Space
tui_expect "switched on" "the rule switched on"
tui_expect_that "the rule now removes $g1 groups, $e1 events" eval \
    'line "91.218.114.0/24" | grep -qF "active $g1 $e1 patch servers"'
tui_expect_that "and its category counts them" eval \
    'line "maintenance  (1 rule)" | grep -qF " on $g1 $e1 "'
tui_keys Q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "exit status $st"
finish
