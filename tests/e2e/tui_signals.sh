#!/bin/sh
# Loading shows its progress and stops cleanly on Ctrl-C; SIGTERM, SIGHUP
# and Ctrl-C in the console end it with 128 + the signal and the terminal
# restored; NO_COLOR and --mono-like settings leave out colours.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"
: "${LHGEN:?LHGEN must name the generator}"

DATA=$(tui_sample)
tui_pid() {
	pgrep -P "$(tmx display-message -p '#{pane_pid}')" | head -n 1
}

# A load that takes a few seconds: a large export, one thread, libcsv.
mkdir -p "$WORK/big"
"$LHGEN" --seed 5 --logons 250000 "$WORK/big" >/dev/null
tui_start 120 30 --no-exclusions --threads 1 --csv-parser libcsv "$WORK/big"
if tui_wait "rows," 10; then
	ok
	tui_expect "MB read in" "bytes and rate shown"
	tui_expect "Ctrl-C to stop" "how to stop shown"
	tui_keys C-c
	st=$(tui_exit_status)
	if [ "$st" = 130 ]; then ok; else
		# The load may have ended just before the key arrived.
		tui_screen | grep -q "Results" && echo "load finished first" || fail "Ctrl-C while loading: status $st"
	fi
	grep -q "loading stopped" "$WORK/stderr" && ok || fail "no 'loading stopped' on stderr"
	tui_terminal_restored && ok || fail "terminal not restored after stopping the load"
else
	echo "loading was too fast to watch: progress checks skipped"
fi
tui_stop

for sig in TERM:15 HUP:1; do
	num=${sig#*:}
	sig=${sig%:*}
	tui_start 100 25 --no-exclusions "$DATA"
	tui_expect "Results" "console up for SIG$sig"
	pid=$(tui_pid)
	kill -s "$sig" "$pid"
	st=$(tui_exit_status)
	want=$((128 + num))
	[ "$st" = "$want" ] && ok || fail "SIG$sig: status $st, wanted $want"
	tui_terminal_restored && ok || fail "terminal not restored after SIG$sig"
	tui_stop
done

tui_start 100 25 --no-exclusions "$DATA"
tui_expect "Results" "console up for Ctrl-C"
tui_keys C-c
st=$(tui_exit_status)
[ "$st" = 130 ] && ok || fail "Ctrl-C: status $st, wanted 130"
tui_terminal_restored && ok || fail "terminal not restored after Ctrl-C"
tui_stop

# Colours: some without NO_COLOR, none with it (attributes only).
colours() { tmx capture-pane -e -p | grep -c "$(printf '\033')\[[0-9;]*\(3[0-7]\|4[0-7]\|38;\|48;\)[0-9;]*m"; }
tui_start 100 25 --no-exclusions "$DATA"
tui_expect "Results" "console up"
[ "$(colours)" -gt 0 ] && ok || fail "no colours on a colour terminal"
tui_keys q
tui_exit_status >/dev/null
tui_stop
q=$(printf "'%s' " "$LOGONHUNT" --no-exclusions "$DATA")
tmx new-session -d -x 100 -y 25 "env NO_COLOR=1 LANG=$TUI_LANG LC_ALL=$TUI_LANG $q; echo \$? >'$WORK/status'; sleep 3600"
tui_expect "Results" "console up with NO_COLOR"
[ "$(colours)" -eq 0 ] && ok || fail "colours shown despite NO_COLOR"
tui_keys q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok || fail "status $st"
finish
