#!/bin/sh
# Every query logonhunt emits (--kql under each window and identity option,
# exclusions kql, --kql --watchlist) for a corpus of hostile allowlists
# parses and analyses clean with Microsoft's Kusto parser, comments stay
# comments and literals decode to the values; the watchlist CSV reads back
# with Python's csv module (tests/kusto/corpus.py says how).
#
# The parser is the npm package @kusto/language-service-next, run by node.
# It is installed into node_modules at the top of the source tree
# (git-ignored) when missing. Without node the test is skipped, unless CI
# is set: CI installs node, and a check that silently stops running there
# is a failure.
. "$(dirname "$0")/lib.sh"

KUSTO_PKG=@kusto/language-service-next@12.4.1
if ! command -v node > /dev/null 2>&1; then
	if [ -n "${CI:-}" ]; then
		fail "node is not installed, and CI is set"
	else
		skip_part "the Kusto parser: node is not installed"
	fi
	finish
fi
if [ ! -f "$top_srcdir/node_modules/@kusto/language-service-next/Kusto.Language.Bridge.js" ]; then
	echo "installing $KUSTO_PKG into $top_srcdir/node_modules"
	if ! npm install --prefix "$top_srcdir" --no-save --no-audit --no-fund \
	    "$KUSTO_PKG" > "$WORK/npm.log" 2>&1; then
		fail "npm install $KUSTO_PKG failed"
		tail -n 20 "$WORK/npm.log" >&2
		finish
	fi
fi

if python3 "$top_srcdir/tests/kusto/corpus.py" "$LOGONHUNT" "$WORK" \
    "$top_srcdir/tests/kusto/parse.mjs" > "$WORK/log" 2>&1; then
	ok
else
	fail "the KQL corpus"
fi
grep -v '^FAIL' "$WORK/log"
grep '^FAIL' "$WORK/log" | head -30 >&2
finish
