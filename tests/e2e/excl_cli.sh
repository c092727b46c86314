#!/bin/sh
# excl_cli.sh: drives `logonhunt exclusions` end to end: every verb, the
# exit statuses, the file it writes (comments kept, backup made, refusal to
# touch a broken file), imports and the KQL, in a scratch XDG_CONFIG_HOME.
#
# Needs $LOGONHUNT (the built binary); skipped (exit 77) without it.
# Reads the real Azure service tags file: that part is a SKIP when it is
# absent, and a failure when LOGONHUNT_REQUIRE_REALDATA is set.

if [ -z "${LOGONHUNT:-}" ] || [ ! -x "$LOGONHUNT" ]; then
	echo "excl_cli.sh: skipped: LOGONHUNT is not set to an executable"
	exit 77
fi
. "$(dirname "$0")/lib.sh"
TAGS="$REALDATA/jensihnow__AzurePublicIPAddressRanges/ServiceTags_Public.json"

W=$WORK
XDG_CONFIG_HOME="$W/config"
export XDG_CONFIG_HOME
F="$XDG_CONFIG_HOME/logonhunt/exclusions"
ESC=$(printf '\033')

# fail, as lib.sh's, and shows what the command printed.
fail() {
	checks=$((checks + 1)); failures=$((failures + 1))
	echo "FAIL: $*" >&2
	sed 's/^/  stdout: /' "$W/out" 2>/dev/null | head -15 >&2
	sed 's/^/  stderr: /' "$W/err" 2>/dev/null | head -15 >&2
}

# ex WANT ARGS...: runs `logonhunt exclusions ARGS`, checks the exit status.
ex() {
	want=$1; shift
	"$LOGONHUNT" exclusions "$@" > "$W/out" 2> "$W/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		fail "exit $got, wanted $want: exclusions $*"; fi
}
has() {	# has FILE TEXT
	if grep -qF -- "$2" "$1"; then ok; else fail "'$2' not in $1"; fi
}
lacks() {
	if grep -qF -- "$2" "$1"; then fail "'$2' unexpectedly in $1"; else ok; fi
}
same() {
	if cmp -s "$1" "$2"; then ok; else fail "$1 and $2 differ"; diff "$1" "$2" | head >&2; fi
}

# ---------------------------------------------------------------- usage
ex 0 --help
has "$W/out" "usage: logonhunt exclusions"
has "$W/out" "import CATEGORY FILE"
ex 0 add --help
has "$W/out" "--until"
ex 2
has "$W/err" "logonhunt: a command is needed"
ex 2 frobnicate
has "$W/err" "unknown command 'frobnicate'"
ex 2 list --bogus
has "$W/err" "unknown option '--bogus'"
ex 2 add siem
has "$W/err" "usage: logonhunt exclusions add"
ex 2 list --tag x
has "$W/err" "list does not take --tag"
ex 2 add siem 192.0.2.1 --until 2026-02-30
has "$W/err" "days 01 to 28"
ex 2 add siem 192.0.2.1 --note
has "$W/err" "--note needs a value"

# ---------------------------------------------------------------- empty
ex 0 path
has "$W/out" "$F"
ex 0 list
has "$W/out" "no rules"
has "$W/out" "maintenance"
has "$W/out" "backup"
[ ! -e "$F" ] && ok || fail "list created $F"

# ---------------------------------------------------------------- add
ex 0 add siem 157.97.109.40 --note "Splunk collector"
has "$W/err" "added rule 1 to [siem]"
has "$F" "[siem]"
has "$F" "ip 157.97.109.40  # Splunk collector"
ex 1 add maintenance 10.1.2.3/8
has "$W/err" "logonhunt: '10.1.2.3/8' has host bits set"
has "$W/err" "10.0.0.0/8"
ex 0 add maintenance 91.218.114.0/24 --until 2030-12-31
ex 0 add maintenance 'CONTOSO\svc_patch*'
ex 0 add backup device:backup-01*
ex 1 add backup backup-02
has "$W/err" "device:backup-02"
ex 1 add siem 157.97.109.40
has "$W/err" "already has this rule"
ex 1 add vpn 198.51.100.0/24
has "$W/err" "--create"
ex 0 add vpn 198.51.100.0/24 --create
has "$F" "[vpn]"
ex 0 add defender 'account:NT AUTHORITY\ANONYMOUS LOGON' --note "health checks"
has "$F" 'account "NT AUTHORITY\ANONYMOUS LOGON"  # health checks'

# --exclusions before or after the verb
ex 0 --exclusions "$W/other" add rds 194.153.110.20/31
ex 0 list --exclusions="$W/other"
has "$W/out" "194.153.110.20/31"
lacks "$W/out" "157.97.109.40"
lacks "$F" "194.153.110.20"

# ---------------------------------------------------------------- list
ex 0 list
has "$W/out" "ID  CATEGORY"
has "$W/out" "2030-12-31"
has "$W/out" 'CONTOSO\svc_patch*'
has "$W/out" "Splunk collector"
ex 0 list siem
has "$W/out" "157.97.109.40"
lacks "$W/out" "91.218.114.0"
ex 1 list nosuch
ex 0 categories
has "$W/out" "vpn"
has "$W/out" "Backup and restore jobs"

# ---------------------------------------------------------------- check
ex 0 check 157.97.109.40
has "$W/out" "157.97.109.40 is 157.97.109.40 (active)"
has "$W/out" "excluded by rule"
ex 1 check 8.8.8.8
has "$W/out" "not excluded"
ex 0 check 91.218.114.77
has "$W/out" "is in 91.218.114.0/24"
ex 0 check ::ffff:91.218.114.77
ex 0 check - 'contoso\SVC_PATCH7'
has "$W/out" "matches CONTOSO\\svc_patch*"
ex 0 check - 'NT AUTHORITY\anonymous logon'
ex 0 check 8.8.8.8 --device BACKUP-01.contoso.com
ex 2 check not-an-address
has "$W/err" "not an IP address"

# disabled rule, category off, expiry
ex 0 disable 1
has "$F" "!ip 157.97.109.40"
ex 1 check 157.97.109.40
has "$W/out" "(disabled)"
ex 0 enable 1
ex 0 check 157.97.109.40
ex 0 disable siem
has "$F" "enabled = no"
ex 1 check 157.97.109.40
has "$W/out" "(category off)"
ex 0 list
has "$W/out" "cat-off"
ex 0 enable siem
has "$F" "enabled = yes"
ex 0 check 157.97.109.40
ex 0 add rds 194.153.110.20/31 --until 2001-01-01
ex 1 check 194.153.110.21
has "$W/out" "(expired)"
ex 0 list rds
has "$W/out" "expired"
ex 1 enable 99
has "$W/err" "no rule 99"
ex 1 disable nosuchcat

# ---------------------------------------------------------------- edit, remove
id=$("$LOGONHUNT" exclusions list rds | awk '$3 == "ip" && $6 == "194.153.110.20/31" { print $1 }')
[ -n "$id" ] && ok || fail "no id for the rds rule"
ex 0 edit "$id" --until never --note "RDS gateways"
ex 0 check 194.153.110.21
ex 0 edit "$id" --rule 194.153.110.20/30
ex 0 check 194.153.110.22
ex 1 edit "$id" --rule 194.153.110.21/30
ex 2 edit "$id"
before=$(grep -c '^!*ip\|^!*account\|^!*device' "$F")
ex 1 remove 1 99
after=$(grep -c '^!*ip\|^!*account\|^!*device' "$F")
[ "$before" -eq "$after" ] && ok || fail "a failed remove changed the file"
ex 0 remove "$id"
after=$(grep -c '^!*ip\|^!*account\|^!*device' "$F")
[ "$after" -eq $((before - 1)) ] && ok || fail "remove: $before -> $after rules"
ex 1 check 194.153.110.22

# A custom category goes once its rules are gone, named with them or
# after; a built-in one, or one still holding rules, stays, and then
# nothing is removed.
ex 0 add partner-vpn 198.51.100.7 --create --note "partner VPN"
has "$F" "[partner-vpn]"
cp "$F" "$W/with-partner-vpn"
ex 1 remove partner-vpn
has "$W/err" "[partner-vpn] still has 1 rule; remove it first; nothing was removed"
cmp -s "$F" "$W/with-partner-vpn" && ok || fail "a refused category removal changed the file"
ex 1 remove siem
has "$W/err" "[siem] is built in and stays"
ex 1 remove nosuchcat
has "$W/err" "neither a rule number"
vid=$("$LOGONHUNT" exclusions list partner-vpn | awk '$3 == "ip" { print $1 }')
[ -n "$vid" ] && ok || fail "no id for the partner-vpn rule"
ex 0 remove partner-vpn "$vid"
has "$W/err" "removed 1 rule and 1 category"
if grep -q '^\[partner-vpn\]' "$F"; then fail "[partner-vpn] is still in the file"; else ok; fi
ex 1 list partner-vpn

# ---------------------------------------------------------------- the file
# The user's comments survive; the previous version is kept as FILE~.
{ echo "# hand-written header"; echo; cat "$F"; echo "# tail note"; } > "$W/edited"
cp "$W/edited" "$F"
ex 0 add backup 92.204.51.77 --note CommServe
has "$F" "# hand-written header"
has "$F" "# tail note"
same "$W/edited" "$F~"
head -1 "$F" > "$W/first"
echo "# hand-written header" > "$W/want"
same "$W/want" "$W/first"

# A broken line: every command refuses, and nothing is written.
cp "$F" "$W/good"
printf '[siem]\nip 10.1.2.3/8\n' >> "$F"
cp "$F" "$W/broken"
ex 1 list
has "$W/err" "exclusions:"
has "$W/err" "host bits"
ex 1 add siem 192.0.2.55
same "$W/broken" "$F"
cp "$W/good" "$F"

# Control characters given in a note are flattened to spaces; ones a user
# typed into the file are shown escaped, never raw.
ex 0 add siem 192.0.2.66 --note "evil ${ESC}[2J note"
has "$F" "ip 192.0.2.66  # evil [2J note"
lacks "$F" "$ESC"
printf '[hostile]\nip 192.0.2.67  # raw %s]52;c;eA==\007 note\n' "$ESC" >> "$F"
ex 0 list
lacks "$W/out" "$ESC"
has "$W/out" 'raw \x1b]52;c;eA==\x07 note'
cp "$W/good" "$F"

# ---------------------------------------------------------------- import
printf '# collectors\n203.0.113.10\n203.0.113.0/28  # lab\n\n2001:db8:5::/48\n' > "$W/list.txt"
ex 0 import siem "$W/list.txt"
has "$W/err" "imported 3 of 3 addresses into [siem] (0 already present)"
has "$F" "ip 203.0.113.10  # import:list.txt"
has "$F" "# import:list.txt: lab"
ex 0 import siem "$W/list.txt"
has "$W/err" "imported 0 of 3 addresses into [siem] (3 already present)"
cp "$F" "$W/before-import"
printf '203.0.113.99\n203.0.113.1/24\n' > "$W/bad.txt"
ex 1 import siem "$W/bad.txt"
has "$W/err" "bad.txt:2:"
same "$W/before-import" "$F"
ex 1 import siem "$W/missing.txt"

cat > "$W/tags.json" <<'EOF'
{"changeNumber": 3, "cloud": "Public", "values": [
 {"name": "MicrosoftDefenderForEndpoint", "id": "MicrosoftDefenderForEndpoint",
  "properties": {"changeNumber": 7, "addressPrefixes": ["13.83.125.0/24", "2603:1000::/40"]}},
 {"name": "AzureCloud", "id": "AzureCloud",
  "properties": {"changeNumber": 2, "addressPrefixes": ["4.0.0.0/8"]}}]}
EOF
ex 0 import --list-tags "$W/tags.json"
has "$W/out" "MicrosoftDefenderForEndpoint"
ex 1 import defender "$W/tags.json"
has "$W/err" "--tag"
ex 1 import defender "$W/tags.json" --tag NoSuchTag
ex 0 import defender "$W/tags.json" --tag MicrosoftDefenderForEndpoint
has "$F" "servicetag:MicrosoftDefenderForEndpoint changeNumber 7"
ex 0 check 13.83.125.17
ex 1 check 4.1.2.3

if need_realdata "the real service tags" "$TAGS"; then
	ex 0 import --list-tags "$TAGS"
	has "$W/out" "AzureCloud"
	ex 0 import azure "$TAGS" --tag AzureCloud --tag MicrosoftDefenderForEndpoint --create
	has "$W/err" "into [azure]"
	ex 0 check 20.10.127.33
	ex 0 list azure
fi

# ---------------------------------------------------------------- KQL
ex 0 kql
has "$W/out" "DeviceLogonEvents"
has "$W/out" "| where not(isnotempty(ExclIp4) and coalesce(ipv4_is_in_any_range(ExclIp4, dynamic(["
has "$W/out" "ipv6_is_in_any_range"
has "$W/out" "])), false))"
has "$W/out" 'AccountName matches regex "(?i)^svc_patch.*$"'
has "$W/out" "DeviceName matches regex"
has "$W/out" "// [siem]"
has "$W/out" "by AccountDomain, AccountName, LogonType, RemoteIP, ActionType"

# --kql keeps the hunt's options; --watchlist reads the rules from Sentinel.
lh() {
	want=$1; shift
	"$LOGONHUNT" "$@" > "$W/out" 2> "$W/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else fail "exit $got, wanted $want: $*"; fi
}
lh 0 --kql --since 36h --from 2024-05-01 --until 2024-05-31 --identity-filter internal
has "$W/out" "| where Timestamp >= ago(36h) // --since"
has "$W/out" "| where Timestamp >= datetime(2024-05-01T00:00:00.0000000Z) // --from"
has "$W/out" "| where Timestamp <= datetime(2024-05-31T23:59:59.9999999Z) // --until"
has "$W/out" '| where ISP == "INTERNAL_NETWORK"'
has "$W/out" "ipv4_is_in_any_range(ExclIp4"
lh 0 --kql --since 7d --relative-to-data
has "$W/out" "| where Timestamp >= HuntNewest - 7d"
lh 2 --kql --relative-to-data
has "$W/err" "--relative-to-data goes with --since"
lh 0 --kql --watchlist hunt-allow
has "$W/out" "_GetWatchlist(\"hunt-allow\")"
lacks "$W/out" "svc_patch"
lh 2 --watchlist hunt-allow
has "$W/err" "--watchlist goes with --kql"
lh 2 --kql --watchlist ""
ex 0 watchlist
has "$W/out" "Kind,Value,Category,Note,Expiry"
has "$W/out" "account,CONTOSO\\svc_patch*,"
ex 0 watchlist "$W/wl.csv"
has "$W/err" "to the watchlist file"
has "$W/wl.csv" "Kind,Value,Category,Note,Expiry"
ex 2 watchlist a b
# On a terminal the watchlist is for a person: a direction override is
# shown as an escape; into a pipe the bytes stay.
printf '[maintenance]\ndevice "x\342\200\256y" # n\n' > "$W/tt"
python3 "$top_srcdir/tests/e2e/ptyrun.py" "$W/tty.out" "$LOGONHUNT" exclusions \
    --exclusions "$W/tt" watchlist > /dev/null 2>&1
has "$W/tty.out" 'device,x\u202ey,maintenance,n,'
lacks "$W/tty.out" "$(printf 'x\342\200\256y')"
ex 0 --exclusions "$W/tt" watchlist
has "$W/out" "$(printf 'x\342\200\256y')"

finish
