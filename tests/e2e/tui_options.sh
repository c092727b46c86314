#!/bin/sh
# The console's options against what the man page promises: a CSV export
# neutralises formulas by default (a value starting with = + - @ TAB or CR
# gets a leading ', each tried once) and --no-neutralise writes every value
# as it is; a JSON export is exact either way; --mono and NO_COLOR draw
# without colours; --no-mouse starts with mouse reporting off and m turns
# it on. The expected exports are written by hand from the input
# (tests/data/expected/README.md), not taken from --batch.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"
E="$top_srcdir/tests/data/expected"
FX="$E/formulas/DeviceLogonEvents.csv"
OUT="$WORK/cwd"
ESC=$(printf '\033')

# export_all KEY FILE: exports the 11 rows, KEY choosing the format (c
# CSV, j JSON), to FILE.
export_all() {
	tui_keys E
	tui_expect "Export all 11 groups" "export asks what to write"
	tui_keys "$1" C-u
	tui_type "$2"
	tui_keys Enter
	tui_expect "wrote 11 summary rows to $2" "export to $2"
}
# quit: Q, then the exit status must be 0.
quit() {
	tui_keys Q
	st=$(tui_exit_status)
	[ "$st" = 0 ] && ok || fail "exit status $st"
	tui_stop
}
# mouse_flags: tmux's view of the mouse reporting the program asked for,
# one digit per mode (standard, button, any, all): 0000 when off.
mouse_flags() {
	tmx display-message -p '#{mouse_standard_flag}#{mouse_button_flag}#{mouse_any_flag}#{mouse_all_flag}'
}
# has_colour: 0 if the screen, with its attributes, sets a colour (SGR
# 30-37, 40-47, 90-97, 100-107, or 38/48 for 256 colours and RGB).
has_colour() {
	tmx capture-pane -e -p > "$WORK/screen"
	grep -qE "$ESC\\[([0-9]*;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9]*)*m" "$WORK/screen"
}
# has_reverse: 0 if some of the screen is in reverse video.
has_reverse() {
	tmx capture-pane -e -p | grep -qE "$ESC\\[([0-9]*;)*7(;[0-9]*)*m"
}

# Defaults: formulas neutralised, colours, mouse on.
tui_start 160 40 --no-exclusions --logons "$FX"
tui_expect "row 1/11" "formula rows shown"
tui_expect "CSV formulas neutralised" "neutralisation on by default"
export_all c "$OUT/default.csv"
tui_untriaged "$OUT/default.csv" >"$OUT/default.plain"
expect_same "$E/formulas-neutralised.csv" "$OUT/default.plain" "CSV export, default"
export_all j "$OUT/default.json"
if ! command -v python3 >/dev/null 2>&1; then
	skip_part "the JSON export's values: python3 is not installed"
else python3 - "$OUT/default.json" "$E/formulas.csv" <<'PY' && ok || fail "the JSON export's values differ from formulas.csv"
import csv, json, sys
got = json.load(open(sys.argv[1], encoding="utf-8"))
rows = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))
want = [r[1] for r in rows[1:]]
names = [o["AccountName"] for o in got]
if names != want:
    print("JSON names %r, wanted %r" % (names, want), file=sys.stderr)
    sys.exit(1)
PY
fi
if has_colour; then ok; else fail "no colour on the default screen"; sed 's/^/  | /' "$WORK/screen" | cat -v | head -5 >&2; fi
case $(mouse_flags) in *1*) ok ;; *) fail "mouse reporting is off by default ($(mouse_flags))" ;; esac
quit

# --no-neutralise: every value exactly as in the data; F still switches.
tui_start 160 40 --no-neutralise --no-exclusions --logons "$FX"
tui_expect "row 1/11" "formula rows shown"
tui_expect "CSV formulas kept as they are" "--no-neutralise shown in the header"
export_all c "$OUT/kept.csv"
tui_untriaged "$OUT/kept.csv" >"$OUT/kept.plain"
expect_same "$E/formulas.csv" "$OUT/kept.plain" "CSV export, --no-neutralise"
tui_keys F
tui_expect "CSV formulas neutralised" "F switches neutralisation on"
export_all c "$OUT/switched.csv"
tui_untriaged "$OUT/switched.csv" >"$OUT/switched.plain"
expect_same "$E/formulas-neutralised.csv" "$OUT/switched.plain" "CSV export, --no-neutralise then F"
quit

# --mono, and NO_COLOR (any non-empty value): no colour at all; reverse
# video still marks the cursor and the column header.
tui_start 160 40 --mono --no-exclusions --logons "$FX"
tui_expect "row 1/11" "--mono: rows shown"
if has_colour; then fail "--mono: colours on the screen"; sed 's/^/  | /' "$WORK/screen" | cat -v | grep -m 3 . >&2; else ok; fi
has_reverse && ok || fail "--mono: nothing in reverse video"
quit
NO_COLOR=1
export NO_COLOR
tui_start 160 40 --no-exclusions --logons "$FX"
tui_expect "row 1/11" "NO_COLOR: rows shown"
if has_colour; then fail "NO_COLOR=1: colours on the screen"; else ok; fi
quit
unset NO_COLOR

# --no-mouse: no mouse reporting until m.
tui_start 160 40 --no-mouse --no-exclusions --logons "$FX"
tui_expect "row 1/11" "--no-mouse: rows shown"
[ "$(mouse_flags)" = 0000 ] && ok || fail "--no-mouse: mouse reporting on ($(mouse_flags))"
tui_keys m
tui_expect "mouse on" "m turns the mouse on"
case $(mouse_flags) in *1*) ok ;; *) fail "m: mouse reporting still off" ;; esac
tui_keys m
tui_expect "mouse off" "m turns the mouse off again"
[ "$(mouse_flags)" = 0000 ] && ok || fail "m: mouse reporting still on ($(mouse_flags))"
quit
finish
