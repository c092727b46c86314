#!/bin/sh
# The console's report key (P on the results): the marked rows, or every
# row shown, as HTML or Markdown, with their events and anonymised when
# asked; the same groups and manifest as --report gives in batch, and
# nothing from the data as markup (report_dom.py on the file).
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"

DATA=$(tui_sample)
cp "$top_srcdir/data/exclusions" "$WORK/excl" 2>/dev/null || : >"$WORK/excl"
"$LOGONHUNT" --batch -f csv --exclusions "$WORK/excl" "$DATA" >"$WORK/batch.csv"
groups=$(($(wc -l <"$WORK/batch.csv") - 1))
OUT="$WORK/cwd"
DOM="$top_srcdir/tests/e2e/report_dom.py"

tui_start 160 40 --exclusions "$WORK/excl" "$DATA"
tui_expect "row 1/$groups" "results shown"

# Two marked rows as HTML.
tui_keys Space Space
tui_expect "marked 2" "two rows marked"
tui_keys P
tui_expect "Report on the marked 2 groups" "the report asks what to write"
tui_keys h
tui_expect "Report to file: logonhunt-report-" "default report name offered"
tui_keys C-u
tui_type "$OUT/two.html"
tui_keys Enter
tui_expect "wrote 2 groups in a report to $OUT/two.html" "report written"
expect_grep "2 groups reported (marked)" "$OUT/two.html"
expect_grep "Command line</th><td data-h=\"Command line\">(the console: the rows marked)" "$OUT/two.html"
# The two rows are the first two of the summary, in its order.
for i in 2 3; do
	ip=$(sed -n "${i}p" "$WORK/batch.csv" | cut -d, -f4)
	n=$((i - 1))
	if grep -q "<td class=\"n\" data-h=\"#\">$n</td>.*data-h=\"RemoteIP\">$ip</td>" "$OUT/two.html"; then ok; else fail "row $n is not $ip"; fi
done
got=$(grep -c '<td class="n" data-h="#">' "$OUT/two.html")
[ "$got" -eq 2 ] && ok || fail "$got group rows in the report of 2 marked"
for f in DeviceLogonEvents.csv exclusions; do
	p="$DATA/$f"
	[ $f = exclusions ] && p="$WORK/excl"
	expect_grep "$(sha256sum "$p" | cut -d' ' -f1)" "$OUT/two.html"
done
if python3 "$DOM" html "$OUT/two.html"; then ok; else fail "the console's HTML report"; fi

# Every row shown, with events, anonymised, as Markdown; Esc cancels.
tui_keys u P
tui_expect "Report on all $groups groups" "all rows when none is marked"
tui_keys Escape
tui_expect "report cancelled" "Esc cancels"
tui_keys P e a
tui_expect "with their events: yes  a: anonymised: yes" "events and anonymisation switched on"
tui_keys m
tui_expect "Report to file: logonhunt-report-" "default Markdown name offered"
tui_keys C-u
tui_type "$OUT/all.md"
tui_keys Enter
tui_expect "wrote $groups groups in a report to $OUT/all.md" "Markdown report written"
expect_grep "$groups groups reported (all shown)" "$OUT/all.md"
expect_grep "## Events" "$OUT/all.md"
expect_grep "| Anonymised | \` yes:" "$OUT/all.md"
ip=$(sed -n 2p "$WORK/batch.csv" | cut -d, -f4)
if grep -qF "$ip" "$OUT/all.md"; then fail "anonymised report holds $ip"; else ok; fi

tui_keys Q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "exit status $st"
tui_terminal_restored && ok || fail "terminal not restored"

# With the enrichment, its columns are in the report as on screen.
AZ="$REALDATA/jensihnow__AzurePublicIPAddressRanges/ServiceTags_Public.json"
if need_realdata "the console's report with the enrichment" "$AZ"; then
	# --fresh: the first console's cursor is not wanted back.
	tui_start 160 40 --exclusions "$WORK/excl" --enrich --ranges "$AZ" \
	    --fresh "$DATA"
	tui_expect "row 1/$groups" "results shown, enriched"
	tui_keys P h C-u
	tui_type "$OUT/en.html"
	tui_keys Enter
	tui_expect "wrote $groups groups in a report to $OUT/en.html" "enriched report written"
	expect_grep '<th class="n">DistinctMachines</th><th>Status</th><th>Verdict</th><th>Note</th><th>Country</th><th>ASN</th><th>ASOrg</th><th>Owner</th><th>Intel</th><th>Timeline</th>' "$OUT/en.html"
	# The manifest names each source, as the batch's report does.
	expect_grep '<th>Enrichment source</th><td data-h="Enrichment source">ranges ' "$OUT/en.html"
	if python3 "$DOM" html "$OUT/en.html"; then ok; else fail "the console's enriched report"; fi
	tui_keys Q
fi
finish
