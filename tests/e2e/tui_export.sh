#!/bin/sh
# Marking and export: the marked summary rows (or all shown) as CSV and
# JSON, the raw events behind them, the default file name, never replacing
# a file without asking, and CSV formula neutralisation on by default and
# switchable. Contents are compared with --batch.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"

DATA=$(tui_sample)
: >"$WORK/excl"
# The console's exports carry the triage's Status, Verdict and Note (a
# first run: every group new, none judged), as --with-triage writes them.
"$LOGONHUNT" --batch -f csv --with-triage --no-record --exclusions "$WORK/excl" "$DATA" >"$WORK/batch.csv"
"$LOGONHUNT" --batch -f json --with-triage --no-record --exclusions "$WORK/excl" "$DATA" >"$WORK/batch.json"
groups=$(($(wc -l <"$WORK/batch.csv") - 1))
OUT="$WORK/cwd"

tui_start 160 40 --exclusions "$WORK/excl" "$DATA"
tui_expect "row 1/$groups" "results shown"

# Mark the first two rows; the status bar counts them.
tui_keys Space Space
tui_expect "marked 2" "two rows marked"
tui_keys E
tui_expect "Export the marked 2 groups" "export asks what to write"
tui_keys c
tui_expect "Export to file: logonhunt-export-" "default file name offered"
tui_keys C-u
tui_type "$OUT/two.csv"
tui_keys Enter
tui_expect "wrote 2 summary rows" "export done"
head -n 3 "$WORK/batch.csv" >"$WORK/want2.csv"
expect_same "$WORK/want2.csv" "$OUT/two.csv" "two marked rows as CSV"

# The default name, in the current directory.
tui_keys E c Enter
tui_expect "wrote 2 summary rows to logonhunt-export-" "default name used"
f=$(ls "$OUT"/logonhunt-export-*.csv 2>/dev/null | head -n 1)
[ -n "$f" ] && expect_same "$WORK/want2.csv" "$f" "export under the default name" || fail "no logonhunt-export-*.csv in the current directory"

# An existing file is not replaced without asking.
echo "keep me" >"$OUT/keep.csv"
tui_keys E c C-u
tui_type "$OUT/keep.csv"
tui_keys Enter
tui_expect "keep.csv exists. Replace it?" "asked before replacing"
tui_keys n
tui_expect "Export to file: $OUT/keep.csv" "asked for another name"
tui_keys Escape
tui_expect "export cancelled" "cancelled"
[ "$(cat "$OUT/keep.csv")" = "keep me" ] && ok || fail "keep.csv was changed"
tui_keys E c C-u
tui_type "$OUT/keep.csv"
tui_keys Enter
tui_expect "Replace it?" "asked again"
tui_keys y
tui_expect "wrote 2 summary rows to $OUT/keep.csv" "replaced when told to"
expect_same "$WORK/want2.csv" "$OUT/keep.csv" "replaced file"

# JSON.
tui_keys E j C-u
tui_type "$OUT/two.json"
tui_keys Enter
tui_expect "wrote 2 summary rows to $OUT/two.json" "JSON export"
if command -v python3 >/dev/null 2>&1; then
	python3 - "$WORK/batch.json" "$OUT/two.json" <<'PY' && ok || fail "JSON export differs from the batch JSON's first two objects"
import json, sys
want = json.load(open(sys.argv[1]))[:2]
got = json.load(open(sys.argv[2]))
sys.exit(0 if want == got else 1)
PY
else
	grep -q '"Instances"' "$OUT/two.json" && ok || fail "JSON export lacks Instances"
fi

# No marks: every row shown.
tui_keys u
tui_expect_gone "marked" "marks cleared"
tui_keys E
tui_expect "Export all $groups groups" "all rows when none is marked"
tui_keys c C-u
tui_type "$OUT/all.csv"
tui_keys Enter
tui_expect "wrote $groups summary rows" "all rows written"
# The sample's summary has no cell a spreadsheet would run, so the
# neutralised export equals the batch output.
expect_same "$WORK/batch.csv" "$OUT/all.csv" "every row as CSV"

# The raw events behind the first group, from the events screen.
inst=$(sed -n 2p "$WORK/batch.csv" | cut -d, -f8)
ip=$(sed -n 2p "$WORK/batch.csv" | cut -d, -f4)
tui_keys Home Enter
tui_expect "$inst events on" "events screen"
tui_keys a
tui_expect "marked $inst" "all events marked"
tui_keys E
tui_expect "Export the marked $inst events" "events export asks"
tui_keys c C-u
tui_type "$OUT/events.csv"
tui_keys Enter
tui_expect "wrote $inst events" "events written"
head -n 1 "$OUT/events.csv" | grep -q '^Timestamp,DeviceId,DeviceName,' && ok || fail "events.csv header"
if command -v python3 >/dev/null 2>&1; then
	# Each event carries its group's Status, Verdict and Note, last.
	python3 - "$OUT/events.csv" "$ip" "$inst" <<'PY' && ok || fail "events.csv rows"
import csv, sys
rd = csv.DictReader(open(sys.argv[1], newline=''))
rows = list(rd)
sys.exit(0 if len(rows) == int(sys.argv[3]) and rd.fieldnames[-3:] == ["Status", "Verdict", "Note"] and all(r["RemoteIP"] == sys.argv[2] and r["Status"] == "new" and r["Verdict"] == "" for r in rows) else 1)
PY
fi
tui_keys q q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "exit status $st"
tui_stop

# Formula neutralisation, on hand-made rows a spreadsheet would run.
mkdir -p "$WORK/fx"
printf '%s\r\n' \
    'Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType,RemotePort,InitiatingProcessCommandLine' \
    '2024-05-01T10:00:00Z,d1,ws-01,LogonFailed,Network,CONTOSO,"=HYPERLINK(""http://evil/x"")",203.0.113.9,Public,445,"=cmd|'"'"' /C calc'"'"'!A0"' \
    '2024-05-01T10:05:00Z,d2,ws-02,LogonFailed,Network,CONTOSO,"=HYPERLINK(""http://evil/x"")",203.0.113.9,Public,445,+SUM(1)' \
    '2024-05-01T11:00:00Z,d1,ws-01,LogonSuccess,Network,@corp,alice,198.51.100.20,Public,3389,-2+3' \
    >"$WORK/fx/DeviceLogonEvents.csv"
"$LOGONHUNT" --batch -f csv --with-triage --no-record --no-neutralise --no-exclusions "$WORK/fx" >"$WORK/fx.csv"
"$LOGONHUNT" --batch -f csv --with-triage --no-record --no-exclusions "$WORK/fx" >"$WORK/fx-batch.csv"
tui_start 120 30 --no-exclusions "$WORK/fx"
tui_expect "row 1/2" "formula rows shown"
tui_expect "formulas neutralised" "neutralisation on by default"
tui_keys E
tui_expect "formulas neutralised" "said in the export question"
tui_keys c C-u
tui_type "$OUT/fx1.csv"
tui_keys Enter
tui_expect "wrote 2 summary rows" "neutralised export"
sed -e "s/^@corp/'@corp/" -e "s/,\"=HYPERLINK/,\"'=HYPERLINK/" "$WORK/fx.csv" >"$WORK/fx-neutral.csv"
expect_same "$WORK/fx-neutral.csv" "$OUT/fx1.csv" "formulas prefixed with '"
# --batch neutralises by default too, the same way (run before the
# console recorded the groups, so they are new there too).
expect_same "$WORK/fx-neutral.csv" "$WORK/fx-batch.csv" "--batch neutralises as the console's export"
tui_keys F
tui_expect "formula neutralisation OFF" "switched off"
tui_keys E c C-u
tui_type "$OUT/fx2.csv"
tui_keys Enter
tui_expect "wrote 2 summary rows" "plain export"
expect_same "$WORK/fx.csv" "$OUT/fx2.csv" "formulas kept when switched off"
tui_keys F Enter
tui_expect "events on" "events of the formula group"
tui_keys E c C-u
tui_type "$OUT/fxev.csv"
tui_keys Enter
tui_expect "wrote 2 events" "events written"
grep -q ",'+SUM(1)" "$OUT/fxev.csv" && grep -q ",'=cmd|" "$OUT/fxev.csv" && ok ||
    { fail "raw events not neutralised"; cat "$OUT/fxev.csv" >&2; }
tui_keys Q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "exit status $st"
tui_terminal_restored && ok || fail "terminal not restored"
finish
