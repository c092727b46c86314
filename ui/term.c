#include "config.h"

#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "term.h"
#include "util.h"

static const struct {
	short fg, bg;
	attr_t colour, mono;
} colour_table[UC_COUNT] = {
#define UI_COLOUR_ENTRY(name, fg, bg, attr, mono) { fg, bg, attr, mono },
	UI_COLOURS(UI_COLOUR_ENTRY)
#undef UI_COLOUR_ENTRY
};

/* The terminal state. One owner: this file. */
static struct {
	int active;
	int mono;
	int mouse;
	int utf8;
	SCREEN *screen;
	attr_t attr[UC_COUNT];
	struct termios saved;	/* before curses touched the terminal */
	int have_saved;
	/* Escape sequences for the emergency restore in a signal handler,
	 * which may only call write() and tcsetattr(). */
	char emergency[256];
	size_t emergency_len;
} term;

static volatile sig_atomic_t pending_signal;

static void
emergency_restore(void)
{
	ssize_t unused;

	if (term.have_saved)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &term.saved);
	if (term.emergency_len)
		unused = write(STDOUT_FILENO, term.emergency, term.emergency_len);
	(void)unused;
}

static void
on_signal(int sig)
{
	if (pending_signal != 0 && term.active) {
		/* Second signal: the loop did not get to the first one. */
		emergency_restore();
		_exit(128 + sig);
	}
	pending_signal = sig;
}

/* The signals that mean the program is broken (a bad pointer, an input
 * truncated under a mapping, an assertion), and what handled them before:
 * ours restores the terminal and passes the signal on. */
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGABRT };
static struct sigaction crash_saved[3];

/* Only async-signal-safe calls: write and tcsetattr (emergency_restore),
 * sigaction and raise. The signal then does what it did before, by
 * default a core dump and death by the signal, for the shell to see. */
static void
on_crash(int sig)
{
	size_t i;

	if (term.active)
		emergency_restore();
	for (i = 0; i < 3; i++)
		if (crash_signals[i] == sig)
			sigaction(sig, &crash_saved[i], NULL);
	raise(sig);
}

static void
install_signals(void)
{
	static int crash_installed;
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a pending read returns so the loop sees the flag. */
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (crash_installed)
		return;
	crash_installed = 1;
	/* SA_NODEFER: the raise in the handler is delivered at once, to the
	 * handler put back before it. */
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_NODEFER;
	for (i = 0; i < 3; i++)
		sigaction(crash_signals[i], &sa, &crash_saved[i]);
}

static void
emergency_add(const char *cap)
{
	const char *s = tigetstr((char *)cap);
	size_t n;

	if (s == NULL || s == (char *)-1)
		return;
	n = strlen(s);
	if (term.emergency_len + n < sizeof term.emergency) {
		memcpy(term.emergency + term.emergency_len, s, n);
		term.emergency_len += n;
	}
}

static void
setup_colours(int mono)
{
	int i, defaults;
	short fg, bg;

	term.mono = mono || !has_colors();
	if (!term.mono && start_color() == ERR)
		term.mono = 1;
	if (term.mono) {
		for (i = 0; i < UC_COUNT; i++)
			term.attr[i] = colour_table[i].mono;
		return;
	}
	defaults = use_default_colors() == OK;
	for (i = 0; i < UC_COUNT; i++) {
		fg = colour_table[i].fg;
		bg = colour_table[i].bg;
		if (!defaults) {
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		init_pair((short)(i + 1), fg, bg);
		term.attr[i] = COLOR_PAIR(i + 1) | colour_table[i].colour;
	}
}

static void
restore_at_exit(void)
{
	term_restore();
}

int
term_init(const struct term_opts *o, char **cause)
{
	const char *nc = getenv("NO_COLOR");
	static int registered;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*cause = xstrdup("the console needs a terminal on standard input "
		    "and output; use --batch to print the summary instead");
		return -1;
	}
	term.have_saved = tcgetattr(STDIN_FILENO, &term.saved) == 0;
	term.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	term.screen = newterm(NULL, stdout, stdin);
	if (term.screen == NULL) {
		const char *t = getenv("TERM");
		*cause = xasprintf("cannot use the terminal type '%s'; set TERM "
		    "to one terminfo knows (e.g. xterm-256color)", t ? t : "");
		return -1;
	}
	set_term(term.screen);
	term.active = 1;
	if (!registered) {
		atexit(restore_at_exit);
		registered = 1;
	}
	util_set_oom_hook(term_restore);
	install_signals();
	term.emergency_len = 0;
	emergency_add("sgr0");
	emergency_add("cnorm");
	emergency_add("rmcup");
	/* Mouse reporting off, in case it was on (xterm protocol). */
	if (term.emergency_len + 24 < sizeof term.emergency) {
		memcpy(term.emergency + term.emergency_len,
		    "\033[?1000l\033[?1006l", 16);
		term.emergency_len += 16;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	set_escdelay(25);
	curs_set(0);
	/* NO_COLOR: https://no-color.org, any non-empty value. */
	setup_colours(o->monochrome || (nc != NULL && nc[0] != '\0'));
	term_set_mouse(o->mouse);
	return 0;
}

void
term_restore(void)
{
	if (!term.active)
		return;
	term.active = 0;
	if (term.mouse)
		mousemask(0, NULL);
	curs_set(1);
	endwin();
	fflush(stdout);
}

int
term_active(void)
{
	return term.active;
}

attr_t
term_attr(enum ui_colour c)
{
	return term.attr[c];
}

int
term_monochrome(void)
{
	return term.mono;
}

int
term_utf8(void)
{
	return term.utf8;
}

void
term_set_mouse(int on)
{
	mmask_t want = BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON4_PRESSED;

#ifdef BUTTON5_PRESSED
	want |= BUTTON5_PRESSED;
#endif
	if (on) {
		mouseinterval(0);
		term.mouse = mousemask(want, NULL) != 0;
	} else {
		mousemask(0, NULL);
		term.mouse = 0;
	}
}

int
term_mouse(void)
{
	return term.mouse;
}

int
term_signal_pending(void)
{
	return pending_signal;
}

void
term_signal_clear(void)
{
	pending_signal = 0;
}
