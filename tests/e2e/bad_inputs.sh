#!/bin/sh
# Damaged inputs (tests/bad/expected): each must end with its exit status
# and message, print nothing raw to the terminal, and trip no sanitizer.
# The big ones (a 10 MB field, 100,000 columns, 100,000-deep JSON) are
# generated here rather than committed.
. "$(dirname "$0")/lib.sh"
B="$top_srcdir/tests/bad"
H='Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType'
ROW='2024-05-01T10:00:00Z,dev-a,ws-01,LogonSuccess,Network,CONTOSO,admin,203.0.113.9,Public'
# No user's exclusions file: only --exclusions FILE counts.
XDG_CONFIG_HOME="$WORK/config"
export XDG_CONFIG_HOME
have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1

# N copies of the string S, without a shell loop over N.
repeat() { head -c "$1" /dev/zero | tr '\0' "$2"; }

generate() {
	f="$WORK/gen/$1"
	mkdir -p "$WORK/gen"
	case "$1" in
	field-10mb.csv)
		{ echo "$H"; printf '2024-05-01T10:00:00Z,dev-a,ws-01,LogonSuccess,Network,CONTOSO,'
		  repeat 10485761 a; echo ',203.0.113.9,Public'; } > "$f" ;;
	field-10mb-quoted.csv)
		# Doubled quotes all along: the unescaping path.
		{ echo "$H"; printf '2024-05-01T10:00:00Z,dev-a,ws-01,LogonSuccess,Network,CONTOSO,"'
		  repeat 10485762 '"'; echo '",203.0.113.9,Public'; } > "$f" ;;
	field-10mb-other-column.csv)
		{ echo "$H,InitiatingProcessCommandLine"; printf '%s,' "$ROW"
		  repeat 10485760 x; echo; } > "$f" ;;
	columns-100000.csv)
		{ printf '%s' "$H"; seq -f ',Extra%g' 1 100000 | tr -d '\n'; echo
		  printf '%s' "$ROW"; repeat 100000 ,; echo; } > "$f" ;;
	columns-100000-header-only.csv)
		{ seq -f 'Column%g' 1 100000 | tr '\n' , ; echo; } > "$f" ;;
	field-10mb.jsonl)
		{ printf '{"Timestamp":"2024-05-01T10:00:00Z","DeviceId":"d","DeviceName":"n","ActionType":"LogonSuccess","LogonType":"Network","AccountDomain":"CONTOSO","AccountName":"'
		  repeat 10485761 a; echo '","RemoteIP":"203.0.113.9","RemoteIPType":"Public"}'; } > "$f" ;;
	members-100000.jsonl)
		{ printf '{"Timestamp":"2024-05-01T10:00:00Z","DeviceId":"d","DeviceName":"n","ActionType":"LogonSuccess","LogonType":"Network","AccountDomain":"CONTOSO","AccountName":"admin","RemoteIP":"203.0.113.9","RemoteIPType":"Public"'
		  seq -f ',"Extra%g":1' 1 100000 | tr -d '\n'; echo '}'; } > "$f" ;;
	deep-nesting.json)
		{ repeat 100000 '['; repeat 100000 ']'; } > "$f" ;;
	deep-nesting-record.jsonl)
		{ printf '{"category":"AdvancedHunting-DeviceLogonEvents","properties":{"Timestamp":'
		  repeat 100000 '['; repeat 100000 ']'; echo '}}'; } > "$f" ;;
	deep-nesting-ipaddresses.csv)
		# A JSON bomb in DeviceNetworkInfo's JSON column, quoted as CSV.
		{ echo 'Timestamp,IPAddresses'; printf '2024-05-01T10:00:00Z,"'
		  repeat 100000 '['; repeat 100000 ']'; echo '"'; } > "$f" ;;
	*)
		echo "bad_inputs.sh: no generator for $1" >&2; return 1 ;;
	esac
	echo "$f"
}

# check_clean WHAT FILE: nothing raw for the terminal, no sanitizer report.
check_clean() {
	if grep -qE 'runtime error:|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer' "$2"; then
		fail "$1: sanitizer report"; sed 's/^/  | /' "$2" | head -20 >&2
	else ok; fi
	if [ $have_python = 1 ]; then
		if python3 "$top_srcdir/tests/e2e/termsafe.py" "$2" >&2; then ok; else
			fail "$1: stderr is not safe for a terminal"; fi
	fi
}

ALONE='--allow-missing network,identity'
n=0
while IFS='|' read -r file mode status errpart outpart; do
	case "$file" in ''|'#'*) continue ;; esac
	n=$((n + 1))
	case "$file" in
	gen:*) path=$(generate "${file#gen:}") || { fail "$file: not generated"; continue; } ;;
	*) path="$B/$file" ;;
	esac
	what="$file ($mode)"
	case "$mode" in
	logons|network|identity)
		# One table alone on purpose: no warning about the others.
		expect_status "$status" "$LOGONHUNT" --batch --no-exclusions $ALONE -f csv "--$mode" "$path" ;;
	logons-table)
		expect_status "$status" "$LOGONHUNT" --batch --no-exclusions $ALONE -f table --logons "$path" ;;
	dir)
		rm -rf "$WORK/dir"; mkdir -p "$WORK/dir"
		cp "$path" "$WORK/dir/DeviceLogonEvents_$(basename "$path")"
		expect_status "$status" "$LOGONHUNT" --batch --no-exclusions $ALONE -f csv "$WORK/dir" ;;
	exclusions)
		expect_status "$status" "$LOGONHUNT" --kql --exclusions "$path" ;;
	*)
		fail "$what: unknown mode"; continue ;;
	esac
	if [ "$errpart" = - ]; then
		if [ -s "$WORK/err" ]; then fail "$what: unexpected stderr"; sed 's/^/  | /' "$WORK/err" | head -5 >&2; else ok; fi
	else
		expect_grep "$errpart" "$WORK/err"
	fi
	case "$outpart" in
	-) ;;
	header)
		if [ "$(wc -l < "$WORK/out")" -eq 1 ] && grep -q '^AccountDomain,AccountName,' "$WORK/out"; then ok; else
			fail "$what: expected only the header line"; fi ;;
	size\>*)
		size=$(wc -c < "$WORK/out")
		if [ "$size" -gt "${outpart#size>}" ]; then ok; else
			fail "$what: output is $size bytes, expected more than ${outpart#size>}"; fi ;;
	*)
		expect_grep "$outpart" "$WORK/out" ;;
	esac
	check_clean "$what" "$WORK/err"
	rm -f "$WORK/gen/"* 2>/dev/null
done < "$B/expected"
echo "$n damaged inputs tried"
finish
