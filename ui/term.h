/* The terminal's lifecycle: curses on and off, colours, mouse, and making
 * sure the user's terminal is restored however the program ends (normal
 * exit, error, signal, out of memory). */
#ifndef LH_UI_TERM_H
#define LH_UI_TERM_H

#include "colours.h"
#include "curs.h"

struct term_opts {
	int monochrome;		/* no colours, whatever the terminal offers */
	int mouse;		/* report clicks and the wheel */
};

/* Starts curses. Returns -1 with *cause if the terminal cannot be used. */
int term_init(const struct term_opts *o, char **cause);
/* Ends curses and gives the terminal back; safe to call more than once
 * and from the out-of-memory hook or atexit. */
void term_restore(void);
int term_active(void);

attr_t term_attr(enum ui_colour c);
int term_monochrome(void);
/* 1 if the locale's charset is UTF-8 (so wide text and box glyphs work). */
int term_utf8(void);

void term_set_mouse(int on);
int term_mouse(void);

/* The signal (SIGINT, SIGTERM, SIGHUP) received and not yet handled, or 0.
 * Handlers only record it; the main loop decides what to do. A second
 * termination signal while one is pending restores the terminal and exits
 * at once, in case the program is stuck. */
int term_signal_pending(void);
void term_signal_clear(void);

#endif
