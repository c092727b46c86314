#!/bin/sh
# The triage ledger from the command line, across runs with new data
# between them: statuses (new, seen, changed, reappeared) in csv, json and
# table output against files written by hand (tests/data/triage/README),
# --only and the exit status for scheduled jobs, --no-record, triage set
# from piped summary rows (columns found by name, extra columns, any
# order), list with its filters, clear, export and import, damaged ledgers
# and unknown verdicts.
. "$(dirname "$0")/lib.sh"
T="$top_srcdir/tests/data/triage"
L="$WORK/case/ledger"
XDG_DATA_HOME="$WORK/xdg-data"
export XDG_DATA_HOME
run() { "$LOGONHUNT" -b -f csv --ledger "$L" "$@"; }

# Run 1: everything new; with --with-triage, new groups exit 3.
expect_status 3 run --with-triage --exclusions "$T/exclusions1" --logons "$T/day1.csv"
expect_same "$T/run1.csv" "$WORK/out" "run 1"
cp "$L" "$WORK/ledger-run1"
# The hidden group is recorded with the rule that hid it.
if grep -q "$(printf '^group\t\tadministrator\tNetwork\t192.0.2.99\tLogonFailed\t.*\thidden=maintenance ip 192.0.2.99$')" "$L"; then ok; else
	fail "the hidden group and its rule are not in the ledger"; cat "$L" >&2; fi
[ ! -e "$XDG_DATA_HOME/logonhunt/ledger" ] && ok || fail "--ledger ignored"

# Run 2, same data: every group seen, exit 0 (nothing new).
expect_status 0 run --with-triage --exclusions "$T/exclusions1" --logons "$T/day1.csv"
sed 's/,new,,$/,seen,,/' "$T/run1.csv" > "$WORK/want2"
expect_same "$WORK/want2" "$WORK/out" "run 2"
# The second save appended to the first: its bytes are all still there,
# the new save after them, closed by its end line; no backup needed.
cmp -s -n "$(wc -c < "$WORK/ledger-run1")" "$L" "$WORK/ledger-run1" && ok ||
	fail "the second save changed what the first wrote"
[ "$(grep -c "$(printf '^end\tsize=')" "$L")" -eq 2 ] && ok || fail "not two saves in the ledger"
[ "$(tail -n 1 "$L")" = "$(printf 'end\tsize=%s' "$(wc -c < "$L")")" ] && ok ||
	fail "the last line does not give the file's size"
[ ! -e "$L~" ] && ok || fail "a backup after appending"
# --only new: nothing, exit 0, the header only.
expect_status 0 run --only new --exclusions "$T/exclusions1" --logons "$T/day1.csv"
[ "$(wc -l < "$WORK/out")" -eq 1 ] && ok || fail "--only new kept rows on a second run"

# Judge alice: summary rows piped in, as a person would from grep.
run --exclusions "$T/exclusions1" --logons "$T/day1.csv" --no-record > "$WORK/sum.csv"
{ head -1 "$WORK/sum.csv"; grep ',alice,' "$WORK/sum.csv"; } > "$WORK/alice.csv"
expect_status 0 sh -c '"$0" triage set false-positive --note "vuln scan, CHG-7" --by ana --ledger "$1" < "$2"' \
	"$LOGONHUNT" "$L" "$WORK/alice.csv"
expect_grep "false-positive for 1 group (0 new to the ledger)" "$WORK/err"
if grep -q "$(printf '^verdict\t[-0-9T:.]*Z\tfalse-positive\tby=ana\tinstances=2\tmachines=1\tearliest=2025-03-01T10:00:00.0000000Z\tlatest=2025-03-01T11:00:00.0000000Z\tnote=vuln scan, CHG-7$')" "$L"; then ok; else
	fail "the verdict line"; cat "$L" >&2; fi

# Run 3: new data, the rule disabled.
cp "$L" "$WORK/before3"
expect_status 3 run --with-triage --exclusions "$T/exclusions2" --logons "$T/day2.csv" --no-record
expect_same "$T/run3.csv" "$WORK/out" "run 3"
cmp -s "$L" "$WORK/before3" && ok || fail "--no-record changed the ledger"
# --only the alerts a scheduled job wants, in any format.
expect_status 3 run --only new,changed,reappeared --exclusions "$T/exclusions2" --logons "$T/day2.csv" --no-record
grep -v -e ',Alice,' -e ',bob,' "$T/run3.csv" | cut -d, -f1-9 > "$WORK/want3"
# (the note's comma is inside quotes, which cut does not know: compare
# the first nine fields of each row)
cut -d, -f1-9 "$WORK/out" > "$WORK/got3"
expect_same "$WORK/want3" "$WORK/got3" "--only new,changed,reappeared"
expect_status 3 "$LOGONHUNT" -b -f json --ledger "$L" --with-triage --only changed \
	--exclusions "$T/exclusions2" --logons "$T/day2.csv" --no-record
expect_grep '"DistinctMachines": 2, "Status": "changed", "Verdict": "false-positive", "Note": "vuln scan, CHG-7"}' "$WORK/out"
expect_status 3 "$LOGONHUNT" -b -f table --ledger "$L" --with-triage --only reappeared \
	--exclusions "$T/exclusions2" --logons "$T/day2.csv" --no-record
expect_grep 'DistinctMachines  Status      Verdict  Note' "$WORK/out"
expect_grep '1                 1  reappeared' "$WORK/out"
# Without --with-triage and --only the exit status stays 0.
expect_status 0 run --exclusions "$T/exclusions2" --logons "$T/day2.csv" --no-record
cut -d, -f1-9 "$T/run3.csv" | sed 's/,"vuln scan$//' > "$WORK/want9"
cut -d, -f1-9 "$WORK/out" > "$WORK/got9"
expect_same "$WORK/want9" "$WORK/got9" "no triage columns without --with-triage"
# Recorded: the next run has only alice, which stays changed until it is
# judged again (it grew since its verdict).
expect_status 3 run --only new,changed,reappeared --exclusions "$T/exclusions2" --logons "$T/day2.csv"
expect_status 3 run --only new,changed,reappeared --exclusions "$T/exclusions2" --logons "$T/day2.csv"
[ "$(wc -l < "$WORK/out")" -eq 2 ] && ok || fail "new or reappeared again after they were recorded"
expect_grep 'CONTOSO,alice,' "$WORK/out"

# triage list: filters by verdict, status and date.
expect_status 0 "$LOGONHUNT" triage list -f csv --ledger "$L" --verdict false-positive
[ "$(wc -l < "$WORK/out")" -eq 2 ] && ok || fail "list --verdict"
expect_grep 'CONTOSO,alice,Network,203.0.113.10,LogonSuccess,changed,false-positive,"vuln scan, CHG-7",ana,' "$WORK/out"
expect_status 0 "$LOGONHUNT" triage list -f csv --ledger "$L" --status untriaged
[ "$(wc -l < "$WORK/out")" -eq 5 ] && ok || fail "list --status untriaged: $(cat "$WORK/out")"
expect_status 0 "$LOGONHUNT" triage list -f csv --ledger "$L" --until 2000-01-01
[ "$(wc -l < "$WORK/out")" -eq 1 ] && ok || fail "list --until"
expect_status 0 "$LOGONHUNT" triage list -f csv --ledger "$L" --since 2000-01-01
[ "$(wc -l < "$WORK/out")" -eq 6 ] && ok || fail "list --since"
expect_status 2 "$LOGONHUNT" triage list --ledger "$L" --status nonsense
expect_status 0 "$LOGONHUNT" triage list -f table --ledger "$L" --verdict false-positive
expect_grep 'AccountDomain  AccountName  LogonType  RemoteIP      ActionType    Status   Verdict         By   JudgedAt' "$WORK/out"

# triage set with the key columns in another order, extra columns, no
# figures, CRLF: carol.
printf 'RemoteIP,Country,AccountName,ActionType,LogonType,AccountDomain\r\n203.0.113.77,NL,carol,LogonFailed,RemoteInteractive,FABRIKAM\r\n' > "$WORK/carol.csv"
expect_status 0 sh -c '"$0" triage set escalated --ledger "$1" < "$2"' "$LOGONHUNT" "$L" "$WORK/carol.csv"
expect_status 0 "$LOGONHUNT" triage list -f csv --ledger "$L" --verdict escalated
expect_grep 'FABRIKAM,carol,RemoteInteractive,203.0.113.77,LogonFailed,triaged,escalated,,' "$WORK/out"
# Rows without their header (grep dropped it) are read in the batch
# output's column order: bob, with his figures.
grep ',bob,' "$WORK/sum.csv" > "$WORK/bob.csv"
expect_status 0 sh -c '"$0" triage set undetermined --ledger "$1" < "$2"' "$LOGONHUNT" "$L" "$WORK/bob.csv"
expect_status 0 "$LOGONHUNT" triage list -f csv --ledger "$L" --verdict undetermined
expect_grep 'CONTOSO,bob,Network,198.51.100.20,LogonFailed,triaged,undetermined,' "$WORK/out"
if grep -q "$(printf '^verdict	[-0-9T:.]*Z	undetermined	by=[^	]*	instances=1	machines=1	earliest=2025-03-01T12:00:00.0000000Z	')" "$L"; then ok; else
	fail "bob's verdict has not the figures of his row"; fi
# A header without a key column is refused, naming it.
printf 'AccountName,RemoteIP\nx,1.2.3.4\n' > "$WORK/nokey.csv"
expect_status 1 sh -c '"$0" triage set escalated --ledger "$1" < "$2"' "$LOGONHUNT" "$L" "$WORK/nokey.csv"
expect_grep 'standard input:1: the header has no AccountDomain column' "$WORK/err"
# Unknown verdicts are refused with the valid ones.
expect_status 2 sh -c '"$0" triage set benign --ledger "$1" < "$2"' "$LOGONHUNT" "$L" "$WORK/carol.csv"
expect_grep "'benign' is not a verdict: give true-positive, benign-positive, false-positive, undetermined or escalated" "$WORK/err"

# clear: untriaged again, the history kept.
expect_status 0 sh -c '"$0" triage clear --ledger "$1" < "$2"' "$LOGONHUNT" "$L" "$WORK/alice.csv"
expect_status 0 "$LOGONHUNT" triage list -f csv --ledger "$L" --verdict untriaged
expect_grep 'CONTOSO,alice,' "$WORK/out"
# alice's two verdicts, in order, right after her group line.
awk -F'\t' '$1 == "group" { g = $3 } $1 == "verdict" && g == "alice" { print $3 }' "$L" > "$WORK/hist"
printf 'false-positive\ncleared\n' > "$WORK/want-hist"
expect_same "$WORK/want-hist" "$WORK/hist" "alice's history after clear"

# export and import: a colleague's ledger merged into a fresh one.
# The export is the ledger as one save: the same groups and verdicts
# (triage list shows every field of them), its saves merged.
expect_status 0 "$LOGONHUNT" triage export --ledger "$L" -o "$WORK/handover"
[ "$(grep -c "$(printf '^end\t')" "$WORK/handover")" -eq 1 ] && ok || fail "the export is not one save"
[ "$(grep -c "$(printf '^end\t')" "$L")" -gt 1 ] && ok || fail "the ledger has only one save"
"$LOGONHUNT" triage list -f csv --ledger "$L" > "$WORK/list-ledger"
"$LOGONHUNT" triage list -f csv --ledger "$WORK/handover" > "$WORK/list-handover"
expect_same "$WORK/list-ledger" "$WORK/list-handover" "the export's groups and verdicts"
[ "$(grep -c "$(printf '^verdict\t')" "$WORK/handover")" -eq "$(grep -c "$(printf '^verdict\t')" "$L")" ] && ok ||
	fail "the export has not every verdict of the ledger"
expect_status 0 "$LOGONHUNT" triage import "$WORK/handover" --ledger "$WORK/other"
expect_grep 'merged 5 groups from' "$WORK/err"
expect_status 0 "$LOGONHUNT" triage export --ledger "$WORK/other"
expect_same "$WORK/handover" "$WORK/out" "import into an empty ledger"

# A damaged ledger: named with its line, the run stops before any output,
# and the file is never overwritten.
cp "$L" "$WORK/good"
nl=$(( $(grep -n "$(printf '^group\t')" "$L" | head -1 | cut -d: -f1) + 1 ))
sed -i "${nl}i\\
$(printf 'verdict\tyesterday')" "$L"
cp "$L" "$WORK/damaged"
expect_status 1 run --with-triage --exclusions "$T/exclusions2" --logons "$T/day2.csv"
expect_grep "$L:$nl: a verdict line has the time, the verdict, by=" "$WORK/err"
[ ! -s "$WORK/out" ] && ok || fail "output despite a damaged ledger"
expect_status 1 sh -c '"$0" triage set escalated --ledger "$1" < "$2"' "$LOGONHUNT" "$L" "$WORK/carol.csv"
cmp -s "$L" "$WORK/damaged" && ok || fail "a damaged ledger was overwritten"
# A bad --only is a usage error.
expect_status 2 run --only fresh --logons "$T/day2.csv"
expect_grep "--only: 'fresh' is not a list of new, changed, reappeared, seen and untriaged" "$WORK/err"

# The default ledger is in XDG_DATA_HOME.
expect_status 0 "$LOGONHUNT" -b -f csv --no-exclusions --logons "$T/day1.csv"
[ -s "$XDG_DATA_HOME/logonhunt/ledger" ] && ok || fail "no ledger in XDG_DATA_HOME"
# A link planted at the ledger's path is replaced by the next save, never
# appended through: the file it points to stays as it was.
mkdir -p "$WORK/lnk"
for _ in 1 2; do
	"$LOGONHUNT" -b -f csv --ledger "$WORK/lnk/target" --exclusions "$T/exclusions1" \
	    --logons "$T/day1.csv" > /dev/null 2>&1
done
cp "$WORK/lnk/target" "$WORK/lnk/before"
ln -s target "$WORK/lnk/ledger"
"$LOGONHUNT" -b -f csv --ledger "$WORK/lnk/ledger" --exclusions "$T/exclusions1" \
    --logons "$T/day1.csv" > /dev/null 2>&1
expect_same "$WORK/lnk/before" "$WORK/lnk/target" "the file a planted link points to"
[ -f "$WORK/lnk/ledger" ] && [ ! -L "$WORK/lnk/ledger" ] && ok || fail "the planted link was not replaced by the ledger"
finish
