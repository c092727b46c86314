#!/bin/sh
# --report end to end: the manifest against independent sources (sha256sum
# for every input and the exclusions file, the rules of the file as
# written, the command line), the funnel against --stats, the options and
# their errors, --anonymize (no account, device or IP of the data left;
# one value, one pseudonym; a new key each run), and the hostile rows
# (tests/data/report/hostile, tests/data/tui/hostile) rendered by a real
# browser (Debian's chromium, headless: the DOM it dumps is parsed by
# report_dom.py) and the Markdown by an independent renderer (cmark-gfm,
# GitHub's CommonMark), checking that no element or attribute came from the
# data and every hostile value shows as text. Without chromium or cmark-gfm
# that part is skipped, or fails when CI is set.
. "$(dirname "$0")/lib.sh"
D="$top_srcdir/data"
H="$top_srcdir/tests/data/report/hostile"
T="$top_srcdir/tests/data/tui/hostile"
DOM="$top_srcdir/tests/e2e/report_dom.py"

# need_tool NAME WHAT: 0 when NAME runs; else skip WHAT (fail under CI).
need_tool() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ -n "${CI:-}" ]; then
		fail "$2: $1 is not installed, and CI is set (.ci/run installs it)"
	else
		skip_part "$2: $1 is not installed"
	fi
	return 1
}

# --- the manifest, from the sample data with its exclusions file
expect_status 0 "$LOGONHUNT" -b --stats --exclusions "$D/exclusions" \
	--report "$WORK/r.html" "$D"
cp "$WORK/err" "$WORK/stats"
for f in DeviceLogonEvents.csv DeviceNetworkInfo.csv IdentityLogonEvents.csv exclusions; do
	sum=$(sha256sum "$D/$f" | cut -d' ' -f1)
	expect_grep "$sum" "$WORK/r.html"
done
# The rows read of each file, as Python's csv module counts its records;
# the sizes as stat gives them.
for f in DeviceLogonEvents DeviceNetworkInfo IdentityLogonEvents; do
	rows=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig"))) - 1)' "$D/$f.csv")
	size=$(stat -c %s "$D/$f.csv")
	expect_grep "<td class=\"n\" data-h=\"Bytes\">$size</td><td class=\"n\" data-h=\"Rows read\">$rows</td>" "$WORK/r.html"
done
expect_grep "--report $WORK/r.html" "$WORK/r.html"
expect_grep "<th>logonhunt version</th><td data-h=\"logonhunt version\">$("$LOGONHUNT" --version | cut -d' ' -f2)</td>" "$WORK/r.html"
# Every active rule of the file, with its note, and no disabled one
# (the file's '!' lines).
grep -E '^(ip|account|device) ' "$D/exclusions" | sed 's/ *#.*//; s/^[a-z]* //; s/ until=.*//' > "$WORK/active"
n=0
while read -r v; do
	expect_grep "<td data-h=\"Value\">$v</td>" "$WORK/r.html"
	n=$((n + 1))
done < "$WORK/active"
expect_grep "$n active rules listed" "$WORK/r.html"
grep -E '^!' "$D/exclusions" | sed 's/ *#.*//; s/^![a-z]* //; s/ until=.*//' > "$WORK/inactive"
while read -r v; do
	if grep -qF "data-h=\"Value\">$v<" "$WORK/r.html"; then fail "disabled rule $v listed"; else ok; fi
done < "$WORK/inactive"
expect_grep "public egress of the patch orchestrator (PowerShell, Task Scheduler)" "$WORK/r.html"
# The funnel's figures are those --stats prints (the hunt's own funnel,
# cross-checked against SQLite elsewhere).
for what in "Public logons" "Groups"; do
	v=$(grep "^$what " "$WORK/stats" | awk '{print $NF}')
	expect_grep ">$what</text><rect class=\"bar\"" "$WORK/r.html"
	if grep -q ">$what</text><rect [^>]*/><text [^>]*>$v</text>" "$WORK/r.html"; then ok; else fail "funnel: $what is not $v"; fi
done
v=$(sed -n 's/^  removed: device IP join *//p' "$WORK/stats")
if grep -q "device IP join (DeviceNetworkInfo)</text><rect [^>]*/><text [^>]*>$v</text>" "$WORK/r.html"; then ok; else fail "funnel: device join is not $v"; fi
v=$(sed -n 's/^  backup *on *[0-9]* groups *\([0-9]*\) logons$/\1/p' "$WORK/stats")
if grep -q "exclusions: backup</text><rect [^>]*/><text [^>]*>$v</text>" "$WORK/r.html"; then ok; else fail "funnel: backup is not $v"; fi
# As many group rows as the summary has.
groups=$("$LOGONHUNT" -b -f csv --exclusions "$D/exclusions" "$D" | tail -n +2 | wc -l)
got=$(grep -c '<td class="n" data-h="#">' "$WORK/r.html")
if [ "$got" -eq "$groups" ]; then ok; else fail "$got group rows, the summary has $groups"; fi
got=$(grep -o '<svg class="tl"' "$WORK/r.html" | wc -l)
if [ "$got" -eq "$groups" ]; then ok; else fail "$got timelines for $groups groups"; fi
# Nothing fetched, nothing run: no src, href, url( or script anywhere.
if grep -Eiq '<script|src=|href=|url\(|@import' "$WORK/r.html"; then fail "the HTML refers to something outside it"; else ok; fi

# --- Markdown: by the name, or --report-format whatever the name
expect_status 0 "$LOGONHUNT" -b --exclusions "$D/exclusions" --report "$WORK/r.md" "$D"
expect_grep "## Funnel" "$WORK/r.md"
expect_grep "| Public logons | $(grep '^Public logons ' "$WORK/stats" | awk '{print $NF}') |" "$WORK/r.md"
expect_status 0 "$LOGONHUNT" -b --report-format md --report "$WORK/r.txt" "$D"
expect_grep "# logonhunt report" "$WORK/r.txt"
expect_status 0 "$LOGONHUNT" --report-format html --report "$WORK/r2.md" "$D"
expect_grep "<!DOCTYPE html>" "$WORK/r2.md"

# --- options and their errors
expect_status 2 "$LOGONHUNT" -b --report "$WORK/r.pdf" "$D"
expect_grep "--report-format" "$WORK/err"
expect_status 2 "$LOGONHUNT" -b --report-format pdf --report "$WORK/x.html" "$D"
expect_status 2 "$LOGONHUNT" -b --anonymize "$D"
expect_grep "go with --report" "$WORK/err"
expect_status 1 "$LOGONHUNT" -b --report "$WORK/no/such/dir/r.html" "$D"
expect_grep "--report" "$WORK/err"
# An empty result still gives a whole report.
expect_status 0 "$LOGONHUNT" -b --from 2001-01-01 --until 2001-01-02 --report "$WORK/empty.html" "$D"
expect_grep "0 groups reported" "$WORK/empty.html"
expect_grep "</html>" "$WORK/empty.html"

# --- --report-events: one row per logon of the groups
expect_status 0 "$LOGONHUNT" -b --exclusions "$D/exclusions" --report-events --report "$WORK/ev.html" "$D"
events=$(sed -n 's/^Events in the summary *//p' "$WORK/stats")
got=$(grep -c '<td class="n" data-h="#">[0-9]*</td><td data-h="Timestamp">' "$WORK/ev.html")
if [ "$got" -eq "$events" ]; then ok; else fail "$got event rows, the summary counts $events"; fi

# --- --anonymize
expect_status 0 "$LOGONHUNT" -b --anonymize --report-events --report "$WORK/a1.html" "$D"
expect_status 0 "$LOGONHUNT" -b --anonymize --report "$WORK/a2.md" "$D"
"$LOGONHUNT" -b -f csv --no-exclusions "$D" | tail -n +2 > "$WORK/sum.csv"
leaks=0
for v in $(cut -d, -f2,4 "$WORK/sum.csv" | tr ',' '\n' | sort -u | grep -v '^$'); do
	if grep -qF -- ">$v<" "$WORK/a1.html" || grep -qF -- "\` $v \`" "$WORK/a2.md"; then
		leaks=$((leaks + 1)); echo "  leaked: $v" >&2
	fi
done
if [ "$leaks" -eq 0 ]; then ok; else fail "--anonymize: $leaks values of the data in the report"; fi
for v in 185.220.101.47 ws-; do
	if grep -qF -- "$v" "$WORK/a1.html"; then fail "--anonymize: $v is in the report"; else ok; fi
done
# One IP, one pseudonym: as many distinct ip- names as distinct IPs.
ips=$(cut -d, -f4 "$WORK/sum.csv" | sort -u | wc -l)
got=$(grep -o 'data-h="RemoteIP">ip-[0-9a-f]\{12\}<' "$WORK/a1.html" | sort -u | wc -l)
if [ "$got" -eq "$ips" ]; then ok; else fail "--anonymize: $got IP pseudonyms for $ips IPs"; fi
# The events name their group's IP by the same pseudonym: each event
# row's RemoteIP is among the groups' pseudonyms.
grep -o 'data-h="RemoteIP">ip-[0-9a-f]\{12\}<' "$WORK/a1.html" | sort -u > "$WORK/p1"
expect_status 0 "$LOGONHUNT" -b --anonymize --report "$WORK/a3.html" "$D"
grep -o 'data-h="RemoteIP">ip-[0-9a-f]\{12\}<' "$WORK/a3.html" | sort -u > "$WORK/p3"
if cmp -s "$WORK/p1" "$WORK/p3"; then fail "--anonymize: the same pseudonyms in two runs (the key is not random)"; else ok; fi
expect_grep "Anonymised</th><td data-h=\"Anonymised\">yes" "$WORK/a1.html"
# Command lines name users and hosts: withheld, every one.
expect_grep 'data-h="InitiatingProcessCommandLine">(withheld)</td>' "$WORK/a1.html"
if grep -q 'data-h="InitiatingProcessCommandLine">[^(<]' "$WORK/a1.html"; then
	fail "--anonymize: a command line is in the report"; else ok; fi
# Paths cut to their last component.
if grep -qF "$D/" "$WORK/a1.html"; then fail "--anonymize: a directory is in the report"; else ok; fi

# --- hostile data in a real browser
expect_status 0 "$LOGONHUNT" -b --report-events --report "$WORK/h.html" "$H"
expect_status 0 "$LOGONHUNT" -b --report-events --report "$WORK/h.md" "$H"
expect_status 0 "$LOGONHUNT" -b --report-events --report "$WORK/t.html" "$T"
expect_status 0 "$LOGONHUNT" -b --report-events --report "$WORK/t.md" "$T"
# What the console shows for tests/data/tui/hostile (its README).
cat > "$WORK/t.expected" <<'EOT'
\x1b]52;c;QQ==\x07
a\x1b[2J
\u2066D\u2069
b\u202eexe.txt
c\x85n\x9b6n
ws\x1b]2;pwned\x07
NTLM\x1b[5m
Bad\x1b[?1049l
cmd\x9b.exe
run \x1b]52;c;Qg==\x07 x\u202egpj.exe
i\u2067s\u2068o
lit\\x1b
EOT
if need_tool chromium "the hostile reports in a browser"; then
	for r in h t; do
		want="$H/expected-text"
		[ $r = t ] && want="$WORK/t.expected"
		timeout 120 chromium --headless --no-sandbox --disable-gpu \
		    --user-data-dir="$WORK/chrome" --dump-dom "file://$WORK/$r.html" \
		    > "$WORK/$r.dom" 2> "$WORK/chrome.err"
		if [ -s "$WORK/$r.dom" ] && grep -q '</html>' "$WORK/$r.dom"; then ok; else
			fail "chromium dumped no DOM for $r.html"; tail -5 "$WORK/chrome.err" >&2; fi
		if python3 "$DOM" html "$WORK/$r.dom" "$want"; then ok; else fail "$r.html in chromium"; fi
	done
	timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
	    --user-data-dir="$WORK/chrome" --window-size=1200,1600 \
	    --screenshot="$WORK/h.png" "file://$WORK/h.html" > /dev/null 2>&1
	if [ -s "$WORK/h.png" ]; then ok; else fail "no screenshot"; fi
	# For a look by hand: REPORT_SCREENSHOT=dir keeps it.
	[ -n "${REPORT_SCREENSHOT:-}" ] && cp "$WORK/h.png" "$WORK/h.html" "$REPORT_SCREENSHOT/"
fi
if need_tool cmark-gfm "the hostile Markdown rendered"; then
	for r in h t; do
		want="$H/expected-text"
		[ $r = t ] && want="$WORK/t.expected"
		# --unsafe: raw HTML passes as GitHub's renderer would pass
		# what it allows, so an escape that fails shows.
		cmark-gfm --unsafe -e table -e autolink -e strikethrough \
		    "$WORK/$r.md" > "$WORK/$r.md.html"
		if python3 "$DOM" md "$WORK/$r.md.html" "$want"; then ok; else fail "$r.md rendered"; fi
	done
fi

# --- the real portal export (4 groups, read off the file by hand in
# batch.sh): its SHA-256 as sha256sum gives it, and its 4 events.
P="$REALDATA/log2timeline__plaso/advanced_hunting_test.csv"
if need_realdata "the report of the real portal export" "$P"; then
	expect_status 0 "$LOGONHUNT" -b --no-exclusions --report-events --report "$WORK/real.md" --logons "$P"
	expect_grep "| $(sha256sum "$P" | cut -d' ' -f1) |" "$WORK/real.md"
	expect_grep '| Reported | ` 4 groups (every row shown) ` |' "$WORK/real.md"
	got=$(grep -c '^| [1-4] | 2023-12-21T' "$WORK/real.md")
	if [ "$got" -eq 4 ]; then ok; else fail "real export: $got events, not 4"; fi
	expect_grep '` "/Applications/Microsoft Word.app/Contents/MacOS/Microsoft Word" `' "$WORK/real.md"
fi

# --- with the triage: Status, Verdict and Note after DistinctMachines, as
# the summary has them (every group new on a first run: exit status 3).
expect_status 3 "$LOGONHUNT" -b -f csv --no-exclusions --with-triage --ledger "$WORK/ledger" \
    --report "$WORK/tr.html" "$D"
expect_grep '<th class="n">DistinctMachines</th><th>Status</th><th>Verdict</th><th>Note</th><th>Timeline</th>' "$WORK/tr.html"
want=$(tail -n +2 "$WORK/out" | grep -c ',new,')
got=$(grep -o 'data-h="Status">new<' "$WORK/tr.html" | wc -l)
if [ "$want" -gt 0 ] && [ "$got" -eq "$want" ]; then ok; else fail "triage: $got new in the report, $want in the summary"; fi
if python3 "$DOM" html "$WORK/tr.html"; then ok; else fail "the report with the triage"; fi

# --- with the enrichment: its columns after DistinctMachines, each cell as
# the summary has it, and each source with its date in the manifest.
AZ="$REALDATA/jensihnow__AzurePublicIPAddressRanges/ServiceTags_Public.json"
if need_realdata "the report with the enrichment" "$AZ"; then
	expect_status 0 "$LOGONHUNT" -b -f csv --no-exclusions --enrich --ranges "$AZ" \
	    --report "$WORK/en.html" "$D"
	expect_grep '<th class="n">DistinctMachines</th><th>Country</th><th>ASN</th><th>ASOrg</th><th>Owner</th><th>Intel</th><th>Timeline</th>' "$WORK/en.html"
	expect_grep '<th>Enrichment source</th><td data-h="Enrichment source">ranges ' "$WORK/en.html"
	expect_grep ": Azure service tags, " "$WORK/en.html"
	want=$(tail -n +2 "$WORK/out" | cut -d, -f13 | grep -c .)
	got=$(grep -o 'data-h="Owner">[^<][^<]*<' "$WORK/en.html" | wc -l)
	if [ "$got" -eq "$want" ]; then ok; else fail "enrichment: $got Owner cells, the summary has $want"; fi
	if python3 "$DOM" html "$WORK/en.html"; then ok; else fail "the enriched report"; fi
fi

finish
