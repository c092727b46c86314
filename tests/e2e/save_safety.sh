#!/bin/sh
# save_safety.sh: nothing the user saved is lost (issue 11, items 1-6).
# Attacks on the files logonhunt writes: two writers at once, commands that
# change nothing, links, read-only files, device nodes and FIFOs where a
# file is expected, a file size limit, and full output streams. Each part
# names the figure docs/RELIABILITY.md quotes.
#
# Needs $LOGONHUNT; makes device nodes with mknod as root, and uses the
# system's /dev/null and /dev/full otherwise.

if [ -z "${LOGONHUNT:-}" ] || [ ! -x "$LOGONHUNT" ]; then
	echo "save_safety.sh: skipped: LOGONHUNT is not set to an executable"
	exit 77
fi
. "$(dirname "$0")/lib.sh"
W=$WORK
DATA="$top_srcdir/data"
# Adds per writer in the concurrency parts (each add to the large file
# reads and writes 1.6 MB with two fsyncs: fewer there by default).
SMALL_ADDS=${SAVE_SAFETY_ADDS:-100}
LARGE_ADDS=${SAVE_SAFETY_LARGE_ADDS:-30}

fail() {
	checks=$((checks + 1)); failures=$((failures + 1))
	echo "FAIL: $*" >&2
	sed 's/^/  stdout: /' "$W/out" 2>/dev/null | head -10 >&2
	sed 's/^/  stderr: /' "$W/err" 2>/dev/null | head -10 >&2
}
check() {	# check WHAT CONDITION...
	_what=$1; shift
	if "$@"; then ok; else fail "$_what"; fi
}
# ex WANT ARGS...: logonhunt ARGS with stdout in $W/out, stderr in $W/err.
ex() {
	want=$1; shift
	"$LOGONHUNT" "$@" > "$W/out" 2> "$W/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		fail "exit $got, wanted $want: logonhunt $*"; fi
}
has() {	# has FILE TEXT
	if grep -qF -- "$2" "$1"; then ok; else fail "'$2' not in $1"; fi
}
# The file's identity and modification time (an inode alone may be reused
# by the file that replaced it).
inode() { stat -c '%i %y' "$1"; }

# ---------------------------------------------------------- 1. two writers
# writer FILE NET: $ADDS adds of NET.1 .. NET.$ADDS; prints how many exited 0.
writer() {
	_n=0 _i=1
	while [ "$_i" -le "$ADDS" ]; do
		if "$LOGONHUNT" exclusions --exclusions "$1" add maintenance \
		    "ip:$2.$_i" >/dev/null 2>>"$W/writer-err"; then
			_n=$((_n + 1))
		fi
		_i=$((_i + 1))
	done
	echo "$_n"
}
# race FILE ADDS WHAT: two writers at once; every add that exited 0 must be in
# the file, and none may fail.
race() {
	_f=$1 ADDS=$2 _what=$3
	writer "$_f" 198.51.100 > "$W/a.n" &
	_pa=$!
	writer "$_f" 203.0.113 > "$W/b.n" &
	_pb=$!
	wait "$_pa" "$_pb"
	_ok=$(( $(cat "$W/a.n") + $(cat "$W/b.n") ))
	_kept=$(grep -cE '^ip (198\.51\.100|203\.0\.113)\.[0-9]+$' "$_f")
	echo "$_what: 2 writers x $ADDS adds: $_kept of $((2 * ADDS)) rules kept, $_ok adds exited 0"
	check "$_what: $_ok of $((2 * ADDS)) adds exited 0" [ "$_ok" -eq $((2 * ADDS)) ]
	check "$_what: $_kept rules kept of $_ok reported added" [ "$_kept" -eq "$_ok" ]
}
: > "$W/writer-err"
race "$W/small" "$SMALL_ADDS" "small file"
# A large file (790 KB: 40,000 generated prefixes) makes each save longer.
awk 'BEGIN { print "[imported]"; for (i = 0; i < 40000; i++)
    printf "ip 20.%d.%d.0/24\n", int(i / 256) % 256, i % 256 }' > "$W/large"
race "$W/large" "$LARGE_ADDS" "790 KB file"
check "a lock file beside the target" [ -f "$W/small.lock" ]
if [ "$failures" -gt 0 ] && [ -s "$W/writer-err" ]; then grep -v "added rule" "$W/writer-err" | sed 's/^/  writer: /' "$W/writer-err" | head -5 >&2; fi

# ---------------------------------------------------------- 2. no change, no write
E="$W/noop"
printf '[maintenance]\n!ip 192.0.2.1  # off\nip 192.0.2.2\n' > "$E"
echo "the real previous version" > "$E~"
before=$(inode "$E")
for args in "disable 1" "enable 2" "enable maintenance" "edit 2 --note ''" \
    "edit 1 --note off" "edit 2 --until never" "edit 1 --rule ip:192.0.2.1"; do
	eval "set -- $args"
	ex 0 exclusions --exclusions "$E" "$@"
	check "'$args' rewrote the file" [ "$(inode "$E")" = "$before" ]
	check "'$args' rotated the backup" [ "$(cat "$E~")" = "the real previous version" ]
done
ex 0 exclusions --exclusions "$E" disable 1
has "$W/err" "already disabled"
# A change does write, and rotates the backup.
ex 0 exclusions --exclusions "$E" disable 2
check "a real change rotated the backup" grep -q '^ip 192.0.2.2' "$E~"

# ---------------------------------------------------------- 3. rules by value
E="$W/byvalue"
printf '[maintenance]\nip 192.0.2.1\nip 203.0.113.9\naccount CONTOSO\\svc_patch\n!ip 2001:db8::/32\n[siem]\nip 192.0.2.1\ndevice web-01\n' > "$E"
ex 0 exclusions --exclusions "$E" edit ip:203.0.113.9 --note moved
has "$W/err" 'changed rule 2 [maintenance] ip:203.0.113.9: note now "moved"'
check "edit by value changed that rule" grep -qx 'ip 203.0.113.9  # moved' "$E"
# The same account in another case, the same network written otherwise.
ex 0 exclusions --exclusions "$E" disable 'account:contoso\SVC_PATCH'
has "$W/err" 'disabled rule 3 [maintenance] account:CONTOSO\svc_patch'
check "disable by value" grep -qx '!account CONTOSO\\svc_patch' "$E"
ex 0 exclusions --exclusions "$E" enable ip:2001:DB8:0::/32
has "$W/err" 'enabled rule 4 [maintenance] ip:2001:db8::/32'
# A value two categories share is refused, naming both.
cp "$E" "$W/byvalue.before"
ex 1 exclusions --exclusions "$E" remove ip:192.0.2.1
has "$W/err" 'ip:192.0.2.1 is rule 1 in [maintenance], rule 5 in [siem]'
check "an ambiguous value changed nothing" cmp -s "$E" "$W/byvalue.before"
ex 1 exclusions --exclusions "$E" edit ip:203.0.113.77 --note x
has "$W/err" 'no rule has the value ip:203.0.113.77'
ex 0 exclusions --exclusions "$E" remove device:WEB-01
has "$W/err" 'removed rule 6 [siem] device:web-01'
# remove 1, then edit 1: the numbers moved, and the echo shows which rule
# the number now names.
ex 0 exclusions --exclusions "$E" remove 1
has "$W/err" 'removed rule 1 [maintenance] ip:192.0.2.1'
ex 0 exclusions --exclusions "$E" edit 1 --note again
has "$W/err" 'changed rule 1 [maintenance] ip:203.0.113.9: note now "again"'

# ---------------------------------------------------------- 4. links, read-only
# A planted backup link: the save neither follows it for chmod nor writes
# through it.
E="$W/links"
printf '[maintenance]\nip 192.0.2.1\n' > "$E"
chmod 600 "$E"
echo "secret" > "$W/secret"
chmod 600 "$W/secret"
ln -s "$W/secret" "$E~"
chmod 644 "$E"
ex 0 exclusions --exclusions "$E" add maintenance ip:192.0.2.9
check "the planted backup link's target changed mode" \
    [ "$(stat -c %a "$W/secret")" = 600 ]
check "the planted backup link's target was written" \
    [ "$(cat "$W/secret")" = secret ]
check "the backup is a file of its own now" [ ! -L "$E~" ] && [ -f "$E~" ]
check "the backup has the file's mode" [ "$(stat -c %a "$E~")" = 644 ]

# A dangling link at the config path is written through (the man page).
ln -s "$W/dotfiles/logonhunt/exclusions" "$W/dangling"
ex 0 exclusions --exclusions "$W/dangling" add maintenance ip:192.0.2.10
check "the dangling link is still a link" [ -L "$W/dangling" ]
check "its target holds the rule" grep -q '^ip 192.0.2.10$' \
    "$W/dotfiles/logonhunt/exclusions"
ex 0 exclusions --exclusions "$W/dangling" add maintenance ip:192.0.2.11
check "a live link stays a link" [ -L "$W/dangling" ]
check "the backup sits beside the target" [ -f "$W/dotfiles/logonhunt/exclusions~" ]

# A read-only file is refused, naming it and what to do.
E="$W/readonly"
printf '[maintenance]\nip 192.0.2.1\n' > "$E"
chmod 444 "$E"
ex 1 exclusions --exclusions "$E" add maintenance ip:192.0.2.12
has "$W/err" "$E is read-only (mode 0444)"
has "$W/err" "chmod u+w"
check "the read-only file is unchanged" [ "$(cat "$E")" = "$(printf '[maintenance]\nip 192.0.2.1')" ]
check "no backup of a refused save" [ ! -e "$E~" ]
# Changing nothing needs no write, read-only or not.
ex 0 exclusions --exclusions "$E" enable 1

# ---------------------------------------------------------- 5. FIFOs, devices
mkfifo "$W/xfifo"
for cmd in "exclusions list" "exclusions add maintenance ip:192.0.2.1" \
    "exclusions check 192.0.2.1" "--kql" "--batch $DATA"; do
	# shellcheck disable=SC2086
	timeout 10 "$LOGONHUNT" $cmd --exclusions "$W/xfifo" > "$W/out" 2> "$W/err"
	got=$?
	# check answers 0 or 1; it cannot answer is 2.
	want=1
	case "$cmd" in "exclusions check"*) want=2 ;; esac
	check "'$cmd' with a FIFO as the exclusions file: exit $got, not $want" [ "$got" -eq "$want" ]
	has "$W/err" "is a FIFO"
done

"$LOGONHUNT" --batch -f csv "$DATA" > "$W/summary.csv" 2>/dev/null
# Nodes of our own (mknod needs root); without root, the system's own,
# which a rename could not replace anyway but which must be written.
if mknod "$W/null" c 1 3 2>/dev/null && mknod "$W/full" c 1 7 2>/dev/null; then
	NULL="$W/null" FULL="$W/full"
else
	NULL=/dev/null FULL=/dev/full
fi
if [ -c "$FULL" ]; then
	ex 0 --batch -o "$NULL" "$DATA"
	check "-o onto a /dev/null node left a character device" [ -c "$NULL" ]
	ex 1 --batch -o "$FULL" "$DATA"
	has "$W/err" "No space left on device"
	check "-o onto a /dev/full node left a character device" [ -c "$FULL" ]
	ex 0 --batch -f csv -o "$W/with-report.csv" --report "$NULL" --report-format md "$DATA"
	check "--report onto a /dev/null node left a character device" [ -c "$NULL" ]
	ln -s "$NULL" "$W/null-link"
	ex 0 --batch -o "$W/null-link" "$DATA"
	check "-o through a link to a device kept the link" [ -L "$W/null-link" ]
	check "... and the device" [ -c "$NULL" ]
else
	skip_part "device nodes: no mknod and no /dev/full"
fi
mkfifo "$W/ofifo"
timeout 20 cat "$W/ofifo" > "$W/fromfifo" &
catpid=$!
ex 0 --batch -f csv -o "$W/ofifo" "$DATA"
wait "$catpid"
check "-o onto a FIFO is still a FIFO" [ -p "$W/ofifo" ]
check "-o onto a FIFO wrote the summary into it" cmp -s "$W/fromfifo" "$W/summary.csv"
mkdir "$W/adir"
ex 1 --batch -o "$W/adir" "$DATA"
has "$W/err" "is a directory"

# ---------------------------------------------------------- 6. size limit, full streams
# ulimit -f counts blocks of 512 (dash) or 1024 bytes (bash): 2 is under the
# summary's 28 KB either way.
(ulimit -f 2; exec "$LOGONHUNT" --batch -f csv -o "$W/limited.csv" "$DATA") > "$W/out" 2> "$W/err"
got=$?
check "-o under ulimit -f: exit $got, wanted 1 (153 is SIGXFSZ)" [ "$got" -eq 1 ]
has "$W/err" "File too large"
check "no temporary file left by the size limit" [ -z "$(ls "$W" | grep 'limited.csv.tmp')" ]
check "no partial file" [ ! -e "$W/limited.csv" ]
(ulimit -f 2; exec "$LOGONHUNT" --batch -f csv "$DATA") > "$W/limited-stdout.csv" 2> "$W/err"
got=$?
check "stdout under ulimit -f: exit $got, wanted 1" [ "$got" -eq 1 ]
has "$W/err" "File too large"
cp "$W/large" "$W/large-limited"
(ulimit -f 100; exec "$LOGONHUNT" exclusions --exclusions "$W/large-limited" add maintenance ip:192.0.2.77) > "$W/out" 2> "$W/err"
got=$?
check "exclusions add under ulimit -f: exit $got, wanted 1" [ "$got" -eq 1 ]
has "$W/err" "File too large"
check "the exclusions file unchanged by the size limit" cmp -s "$W/large" "$W/large-limited"
check "no temporary file left by the size limit" [ -z "$(ls "$W" | grep 'large-limited.*tmp')" ]

if [ -w /dev/full ]; then
	for args in "--kql" "--help" "-V" "--batch -f csv $DATA" \
	    "exclusions --exclusions $DATA/exclusions list" "exclusions --help"; do
		# shellcheck disable=SC2086
		"$LOGONHUNT" $args > /dev/full 2> "$W/err"
		got=$?
		check "'$args' > /dev/full: exit $got, wanted 1" [ "$got" -eq 1 ]
		check "'$args' > /dev/full said so on stderr" grep -q "No space left on device" "$W/err"
	done
	"$LOGONHUNT" --batch --stats -f csv -o "$W/stats.csv" "$DATA" 2> /dev/full
	got=$?
	check "--stats 2> /dev/full: exit $got, wanted 1" [ "$got" -eq 1 ]
else
	skip_part "full output streams: no /dev/full"
fi

finish
