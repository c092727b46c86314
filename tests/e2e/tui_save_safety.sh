#!/bin/sh
# The console's export onto what is not a regular file (issue 11, item 5):
# a FIFO nobody reads is an error, not a frozen console; a FIFO with a
# reader and a character device node are written in place, never renamed
# over; a directory is refused. Compared with --batch.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"

DATA=$(tui_sample)
: >"$WORK/excl"
"$LOGONHUNT" --batch -f csv --exclusions "$WORK/excl" "$DATA" >"$WORK/batch.csv"
groups=$(($(wc -l <"$WORK/batch.csv") - 1))

mkfifo "$WORK/fifo"
tui_start 160 40 --exclusions "$WORK/excl" "$DATA"
tui_expect "row 1/$groups" "results shown"

# export_to PATH: all rows as summary CSV to PATH, replacing when asked.
export_to() {
	tui_keys E c C-u
	tui_type "$1"
	tui_keys Enter
	tui_wait "Replace it?" 5 && tui_keys y
}

# No reader: an error at once, the console still answers.
export_to "$WORK/fifo"
tui_expect "no program is reading" "a FIFO without a reader is refused"
[ -p "$WORK/fifo" ] && ok || fail "the FIFO was replaced"

# A reader: the summary arrives through the FIFO.
timeout 20 cat "$WORK/fifo" >"$WORK/fromfifo" &
catpid=$!
export_to "$WORK/fifo"
tui_expect "wrote $groups summary rows to $WORK/fifo" "export into a FIFO"
wait "$catpid"
[ -p "$WORK/fifo" ] && ok || fail "the FIFO was replaced"
tui_untriaged "$WORK/fromfifo" >"$WORK/fromfifo.plain"
expect_same "$WORK/batch.csv" "$WORK/fromfifo.plain" "the summary read from the FIFO"

# A /dev/null node of our own (mknod needs root), else the system's.
NULL="$WORK/null"
mknod "$NULL" c 1 3 2>/dev/null || NULL=/dev/null
export_to "$NULL"
tui_expect "wrote $groups summary rows to $NULL" "export onto a device node"
[ -c "$NULL" ] && ok || fail "the device node was replaced by a file"

mkdir "$WORK/adir"
tui_keys E c C-u
tui_type "$WORK/adir"
tui_keys Enter
tui_expect "is a directory" "a directory refused"
tui_keys Escape

tui_stop
finish
