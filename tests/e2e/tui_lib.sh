# Helpers for the console tests (sourced): the real binary in a detached
# tmux session of a fixed size, keys sent with send-keys, the screen read
# with capture-pane and polled until the expected text shows (no fixed
# sleeps). Each test has its own tmux socket, killed on exit.
command -v tmux >/dev/null 2>&1 || { echo "tmux not found: skipped"; exit 77; }
. "${top_srcdir:?}/tests/e2e/lib.sh"

TUI_SOCK="lhtui$$"
TUI_TIMEOUT=${TUI_TIMEOUT:-15}
# tui_kill_server: ends the tmux server and, at the latest five seconds
# later, the programs its panes ran. A program the hangup finds still
# running may not end on its own: under the sanitizers LeakSanitizer's exit
# check was seen spinning on sched_yield for over fifteen minutes once its
# terminal was gone, taking a core from every test after it.
tui_kill_server() {
	_tk=""
	for _tp in $(tmux -L "$TUI_SOCK" list-panes -a -F '#{pane_pid}' 2>/dev/null); do
		_tk="$_tk $(pgrep -P "$_tp" 2>/dev/null | tr '\n' ' ')"
	done
	tmux -L "$TUI_SOCK" kill-server 2>/dev/null
	for _tp in $_tk; do
		_tn=0
		# Alive and not a zombie (its reaping may take a while).
		while grep -qs '^State:[[:space:]]*[^Z]' "/proc/$_tp/status" &&
		    [ "$_tn" -lt 100 ]; do
			_tn=$((_tn + 1))
			sleep 0.05
		done
		kill -9 "$_tp" 2>/dev/null
	done
	return 0
}
tui_cleanup() {
	tui_kill_server
	rm -rf "$WORK"
}
trap tui_cleanup EXIT
trap 'exit 1' INT TERM HUP

# A UTF-8 locale, so wide characters and the escapes are what users see.
TUI_LANG=C.UTF-8
locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || TUI_LANG=en_US.UTF-8

mkdir -p "$WORK/cwd" "$WORK/xdg"
# A hostile row leaking OSC 52 would land in a paste buffer: set before
# the first pane starts, so nothing it prints comes too early for it.
printf 'set-option -g set-clipboard on\n' >"$WORK/tmux.conf"

# The sample export (data/), or one made by the generator.
tui_sample() {
	if [ -r "$top_srcdir/data/DeviceLogonEvents.csv" ]; then
		echo "$top_srcdir/data"
	else
		: "${LHGEN:?LHGEN must name the generator when data/ is missing}"
		mkdir -p "$WORK/sample"
		"$LHGEN" --sample --seed 42 --logons 3000 "$WORK/sample" >/dev/null
		echo "$WORK/sample"
	fi
}

# tui_enrich_fixtures DIR DATA: the databases, range and intel files
# enrich_reference.py makes for DATA, the .mmdb written by mkmmdb.pl
# (skipped without Perl's writer, as need_mmdb_writer says).
tui_enrich_fixtures() {
	need_mmdb_writer
	python3 "$top_srcdir/tests/e2e/enrich_reference.py" make "$1" \
	    "$2/DeviceLogonEvents.csv" || { fail "fixtures"; finish; }
	for _db in country asn; do
		perl "$top_srcdir/tests/e2e/mkmmdb.pl" "$1/$_db.spec.json" \
		    "$1/$_db.mmdb" || fail "mkmmdb $_db"
	done
}

tmx() { tmux -L "$TUI_SOCK" -f "$WORK/tmux.conf" "$@"; }

# tui_start COLS ROWS ARGS...: runs logonhunt ARGS in the session. Its exit
# status goes to $WORK/status and its stderr to $WORK/stderr.
tui_start() {
	_tc=$1 _tr=$2
	shift 2
	rm -f "$WORK/status"
	_tq=""
	for _ta in "$LOGONHUNT" "$@"; do
		_tq="$_tq '$(printf %s "$_ta" | sed "s/'/'\\\\''/g")'"
	done
	tmx new-session -d -x "$_tc" -y "$_tr" -c "$WORK/cwd" \
	    "env LANG=$TUI_LANG LC_ALL=$TUI_LANG XDG_CONFIG_HOME='$WORK/xdg' XDG_STATE_HOME='$WORK/xdg-state' HOME='$WORK' $_tq 2>'$WORK/stderr'; echo \$? >'$WORK/status'; sleep 3600"
}

tui_screen() { tmx capture-pane -p; }

# tui_wait TEXT [SECONDS]: until TEXT is on the screen; 1 on timeout.
tui_wait() {
	_tn=0 _tl=$(( ${2:-$TUI_TIMEOUT} * 20 ))
	while ! tui_screen | grep -qF -- "$1"; do
		_tn=$((_tn + 1))
		[ "$_tn" -ge "$_tl" ] && return 1
		sleep 0.05
	done
	return 0
}

# tui_wait_gone TEXT: until TEXT is no longer on the screen.
tui_wait_gone() {
	_tn=0 _tl=$(( ${2:-$TUI_TIMEOUT} * 20 ))
	while tui_screen | grep -qF -- "$1"; do
		_tn=$((_tn + 1))
		[ "$_tn" -ge "$_tl" ] && return 1
		sleep 0.05
	done
	return 0
}

# tui_until CMD...: until CMD succeeds (it is run again every 50 ms);
# 1 on timeout.
tui_until() {
	_tn=0
	while ! "$@"; do
		_tn=$((_tn + 1))
		[ "$_tn" -ge $((TUI_TIMEOUT * 20)) ] && return 1
		sleep 0.05
	done
	return 0
}

# tui_dump: the screen, for a failure's explanation.
tui_dump() { tui_screen | sed 's/^/  | /' >&2; }

# tui_expect TEXT WHAT: waits for TEXT, counting a check; 1 if it failed.
tui_expect() {
	if tui_wait "$1"; then ok; return 0; fi
	fail "$2: '$1' did not appear"; tui_dump; return 1
}
# tui_expect_gone TEXT WHAT: waits for TEXT to leave the screen (the key
# that removes it may not have been read yet), counting a check.
tui_expect_gone() {
	if tui_wait_gone "$1"; then ok; return 0; fi
	fail "$2: '$1' is still on the screen"; tui_dump; return 1
}
# tui_expect_that WHAT CMD...: waits for CMD to succeed, counting a check.
tui_expect_that() {
	_tw=$1; shift
	if tui_until "$@"; then ok; return 0; fi
	fail "$_tw"; tui_dump; return 1
}

tui_keys() { tmx send-keys "$@"; }
tui_type() { tmx send-keys -l -- "$1"; }

# The status bar (second line from the bottom) and the message line.
tui_status() { tui_screen | tail -n 2 | head -n 1; }
tui_message() { tui_screen | tail -n 1; }

# tui_untriaged EXPORT: a summary CSV exported from the console without
# the triage's Status, Verdict and Note, which end each line when no
# enrichment source is loaded: in the header their names, on a group not
# judged its status and two empty cells. A line without them stays whole,
# so the comparison that follows notices. (tui_triage.sh checks them.)
tui_untriaged() {
	sed -e 's/,Status,Verdict,Note$//' \
	    -e 's/,\(new\|seen\|changed\|reappeared\),,$//' "$1"
}

# tui_row N: the Nth data row under the column header line (1-based).
tui_row() {
	tui_screen | awk -v n="$1" 'found && ++i == n { print; exit }
	    /Domain.*Account|Time.*Device/ { found = 1 }'
}

# tui_wait_status TEXT: until the status bar shows TEXT.
tui_wait_status() {
	_tn=0 _tl=$(( ${2:-$TUI_TIMEOUT} * 20 ))
	while ! tui_status | grep -qF -- "$1"; do
		_tn=$((_tn + 1))
		[ "$_tn" -ge "$_tl" ] && return 1
		sleep 0.05
	done
}
# tui_expect_status TEXT WHAT: waits for the status bar to show TEXT,
# counting a check; 1 if it failed.
tui_expect_status() {
	if tui_wait_status "$1"; then ok; return 0; fi
	fail "$2: the status bar lacks '$1'"; tui_dump; return 1
}

# tui_rows: the data rows on the screen (under the column header line,
# above the status bar), empty ones left out.
tui_rows() {
	tui_screen | head -n -2 | awk 'found && NF
	    /Domain.*Account|Time.*Device/ { found = 1 }'
}

# tui_row_has N TEXT: 0 if the Nth data row holds TEXT.
tui_row_has() { tui_row "$1" | grep -qF -- "$2"; }
# tui_expect_row N TEXT WHAT: waits for the Nth data row to hold TEXT,
# counting a check.
tui_expect_row() {
	if tui_until tui_row_has "$1" "$2"; then ok; return 0; fi
	fail "$3: row $1 lacks '$2': $(tui_row "$1")"; tui_dump; return 1
}

# tui_no_leak WHAT: nothing the program drew acted on the terminal: the
# pane holds only SGR attributes (capture-pane -e), none of the control,
# C1 or bidirectional characters the log data holds, no paste buffer (OSC
# 52) and no title (OSC 0/2) of the data's making. Counts four checks.
tui_no_leak() {
	tmx capture-pane -p -e >"$WORK/leak.txt"
	if LC_ALL=C sed "s/$(printf '\033')\[[0-9;]*m//g" "$WORK/leak.txt" |
	    LC_ALL=C grep -q "$(printf '\033')"; then
		fail "$1: an escape sequence other than colours reached the pane"
		cat -v "$WORK/leak.txt" | sed 's/^/  | /' >&2
	else ok; fi
	# BEL, C1 (UTF-8 C2 80 to C2 9F), U+200E/F, U+202A-E, U+2066-9.
	if LC_ALL=C grep -q "$(printf '\007\\|\302[\200-\237]\\|\342\200[\216\217\252-\256]\\|\342\201[\246-\251]')" "$WORK/leak.txt"; then
		fail "$1: a control or bidirectional character reached the pane"
		cat -v "$WORK/leak.txt" | sed 's/^/  | /' >&2
	else ok; fi
	if [ -z "$(tmx list-buffers 2>/dev/null)" ]; then ok; else
		fail "$1: OSC 52 reached the terminal: $(tmx list-buffers)"; fi
	case "$(tmx display-message -p '#{pane_title}')" in
	*pwned*) fail "$1: the data set the window title" ;;
	*) ok ;;
	esac
}

# tui_pane_tty: the terminal the program draws on (to write to it behind
# the program's back).
tui_pane_tty() { tmx display-message -p '#{pane_tty}'; }

# tui_mouse_reported: 0 if the program asked the terminal for mouse reports.
tui_mouse_reported() {
	[ "$(tmx display-message -p '#{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag}')" != 000 ]
}

# tui_exit_status: waits for the program to end; prints its status.
tui_exit_status() {
	_tn=0
	while [ ! -s "$WORK/status" ]; do
		_tn=$((_tn + 1))
		[ "$_tn" -ge $((TUI_TIMEOUT * 20)) ] && { echo timeout; return 1; }
		sleep 0.05
	done
	cat "$WORK/status"
}

# 1 if the terminal is back to normal: alternate screen off, cursor shown.
tui_terminal_restored() {
	[ "$(tmx display-message -p '#{alternate_on}')" = 0 ] &&
	    [ "$(tmx display-message -p '#{cursor_flag}')" = 1 ]
}

# tui_wait_file PATH: until PATH exists.
tui_wait_file() {
	_tn=0
	while [ ! -e "$1" ]; do
		_tn=$((_tn + 1))
		[ "$_tn" -ge $((TUI_TIMEOUT * 20)) ] && return 1
		sleep 0.05
	done
}

# tui_stop: ends the session (and the program, if still running).
tui_stop() {
	tui_kill_server
	_tn=0
	while tmx has-session 2>/dev/null && [ "$_tn" -lt 100 ]; do
		_tn=$((_tn + 1))
		sleep 0.05
	done
	rm -f "$WORK/status"
}
