#!/bin/sh
# Loading shows its progress and stops cleanly on Ctrl-C; SIGTERM, SIGHUP
# and Ctrl-C in the console end it with 128 + the signal and the terminal
# restored; NO_COLOR and --mono leave out colours.
. "${top_srcdir:?}/tests/e2e/tui_lib.sh"
: "${LHGEN:?LHGEN must name the generator}"

DATA=$(tui_sample)
tui_pid() {
	pgrep -P "$(tmx display-message -p '#{pane_pid}')" | head -n 1
}

# A load that takes seconds even on a fast machine: a large export's
# logons read six times over (five more names for the one file; the join
# tables left out, so that the first file read is a long one), on one
# thread, with libcsv. As soon as its progress shows, the program is frozen (SIGSTOP)
# and let run a fifth of a second at a time (SIGCONT) until the count of
# rows read rises: however loaded the machine, the load advances only
# while the test lets it, so it cannot end between the checks and Ctrl-C
# (it did once, under load, when the checks took as long as the load).
# The screen is checked frozen; Ctrl-C is typed while frozen and read
# when the program runs again.
mkdir -p "$WORK/big"
"$LHGEN" --seed 5 --logons 250000 "$WORK/big" >/dev/null
rm -f "$WORK/big/DeviceNetworkInfo.csv" "$WORK/big/IdentityLogonEvents.csv"
for i in 2 3 4 5 6; do ln -s DeviceLogonEvents.csv "$WORK/big/DeviceLogonEvents-$i.csv"; done
tui_start 120 30 --no-exclusions --threads 1 --csv-parser libcsv "$WORK/big"
tui_expect "rows," "the progress screen while loading"
pid=$(tui_pid)
kill -STOP "$pid" && ok || fail "cannot freeze the load (pid '$pid')"
rows_read() { tui_screen | awk '/ rows, .* read in / { print $1; exit }'; }
# A fifth of a second of running, then frozen again and the screen
# settled (tmux has drawn what the program wrote).
run_a_little() { kill -CONT "$pid"; sleep 0.2; kill -STOP "$pid"; sleep 0.1; }
n=$(rows_read)
_steps=0 rose=0
while [ "$_steps" -lt 100 ]; do
	run_a_little
	m=$(rows_read)
	if [ -n "$m" ] && [ -n "$n" ] && [ "$m" -gt "$n" ]; then
		rose=1
		break
	fi
	[ -n "$n" ] || n=$m
	_steps=$((_steps + 1))
done
[ "$rose" = 1 ] && ok || { fail "the count of rows read does not go up ($n, then $m)"; tui_dump; }
tui_expect "MB read in" "bytes and rate shown"
# Files are numbered in the order they are read, and the rows are those of
# all files (they outgrow any one file).
tui_expect "file 1 of " "the first file read is file 1"
tui_expect "all files; this file" "the row count says it is of all files"
tui_expect "Ctrl-C to stop" "how to stop shown"
tui_screen | grep -q "Results" && fail "the load ended before Ctrl-C: it stops nothing" || ok
tui_keys C-c
sleep 0.2
kill -CONT "$pid"
st=$(tui_exit_status)
[ "$st" = 130 ] && ok || fail "Ctrl-C while loading: status $st, wanted 130"
grep -q "loading stopped" "$WORK/stderr" && ok || { fail "no 'loading stopped' on stderr"; cat "$WORK/stderr" >&2; }
tui_terminal_restored && ok || fail "terminal not restored after stopping the load"
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

# SIGSEGV, SIGBUS (an input truncated under the load's mapping) and
# SIGABRT: the terminal is restored (normal screen, cursor shown) and the
# signal passed on, so the program dies of it (status 128 + the signal).
for sig in SEGV:11 BUS:7 ABRT:6; do
	num=${sig#*:}
	sig=${sig%:*}
	tui_start 100 25 --no-exclusions "$DATA"
	tui_expect "Results" "console up for SIG$sig"
	pid=$(tui_pid)
	kill -s "$sig" "$pid"
	st=$(tui_exit_status)
	want=$((128 + num))
	# A sanitizer build passes SEGV and BUS to the sanitizer, which
	# reports them and exits with 1: the handler put back was its.
	if [ "$st" = 1 ] && grep -q 'AddressSanitizer' "$WORK/stderr"; then
		ok
	else
		[ "$st" = "$want" ] && ok || fail "SIG$sig: status $st, wanted $want (death by the signal)"
	fi
	tui_terminal_restored && ok || fail "terminal not restored after SIG$sig"
	tui_stop
done
rm -f "$WORK"/cwd/core*

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
tui_start 100 25 --no-exclusions --mono "$DATA"
tui_expect "Results" "console up with --mono"
[ "$(colours)" -eq 0 ] && ok || fail "colours shown despite --mono"
tmx capture-pane -e -p | grep -q "$(printf '\033')\[[0-9;]*7[0-9;]*m" && ok || fail "--mono: no reverse video for the cursor"
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
tui_stop

# The library's teardown ends what a pane ran even when the hangup does
# not (a program stuck in a sanitizer's exit check ignores it in effect):
# nothing outlives its test to slow the ones after it.
tmx new-session -d -x 80 -y 24 "trap '' HUP; sleep 297; :"
_tn=0
while ! pgrep -f '^sleep 297$' >/dev/null && [ "$_tn" -lt 100 ]; do
	_tn=$((_tn + 1))
	sleep 0.05
done
pgrep -f '^sleep 297$' >/dev/null && ok || fail "the pane's program never started"
tui_stop
pgrep -f '^sleep 297$' >/dev/null && fail "a pane's program outlived tui_stop" || ok
finish
