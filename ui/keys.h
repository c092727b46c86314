/* The key table: one list of (key, screens, action, help) that drives both
 * the dispatch and the help screen, so the two cannot disagree. */
#ifndef LH_UI_KEYS_H
#define LH_UI_KEYS_H

#include "util.h"

/* Keys are Unicode code points, or curses KEY_* codes with KEYF set. */
#define KEYF 0x1000000
#define KEY_CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27
/* Pseudo keys from the input layer. */
#define KEY_SIGNAL (KEYF | 0xfff0)	/* a termination signal arrived */
#define KEY_NONE (KEYF | 0xfff1)	/* timeout, nothing pressed */

/* Screens, as bits: a key applies on the screens it names. */
enum key_screen {
	KS_RESULTS = 1, KS_EVENTS = 2, KS_DETAIL = 4, KS_EXCL = 8, KS_TEXT = 16,
	KS_LISTS = KS_RESULTS | KS_EVENTS,
	KS_ALL = 31
};

enum key_action {
	KA_NONE,
	/* moving */
	KA_UP, KA_DOWN, KA_PGUP, KA_PGDN, KA_HOME, KA_END, KA_LEFT, KA_RIGHT,
	KA_LINE_START, KA_HALF_UP, KA_HALF_DOWN,
	/* levels */
	KA_ENTER, KA_BACK, KA_QUIT, KA_HELP, KA_REDRAW, KA_MOUSE, KA_EXCLUSIONS,
	KA_WARNINGS,
	/* finding */
	KA_SEARCH, KA_NEXT, KA_PREV, KA_FILTER, KA_CLEAR,
	/* sorting */
	KA_SORT_COL, KA_SORT_PICK, KA_SORT2_PICK, KA_SORT_REVERSE, KA_WIDE,
	KA_COL_NEXT, KA_COL_PREV, KA_SORT_ASC, KA_SORT_DESC,
	KA_SHOW_ROW, KA_HIDE_COL, KA_SHOW_COLS,
	/* marking and export */
	KA_MARK, KA_MARK_ALL, KA_UNMARK_ALL, KA_MARK_SEARCH, KA_EXPORT, KA_NEUTRALISE,
	KA_REPORT,
	/* exclusions */
	KA_EXCLUDE_ROW, KA_TOGGLE, KA_ADD, KA_ADD_CATEGORY, KA_EDIT, KA_NOTE,
	KA_UNTIL, KA_DELETE, KA_UNDO, KA_RELOAD,
	/* enrichment */
	KA_INTEL_ONLY, KA_FREQ,
	/* triage */
	KA_TRIAGE_NEXT, KA_VERDICT, KA_VERDICT_UNDO, KA_HISTORY,
	KA_COUNT
};

struct key_def {
	int key;
	unsigned screens;
	enum key_action action;
	const char *help;
};

/* The whole table, for checks over it. */
const struct key_def *keys_table(size_t *n);
/* The action a key has on a screen, or KA_NONE. */
enum key_action keys_lookup(enum key_screen screen, int key);
/* The readable name of a key: "Up", "Ctrl-L", "Space", "q". */
const char *keys_name(int key, char out[16]);
/* The help text for one screen (and the keys valid everywhere), as lines
 * "  keys  what they do" under headings. */
void keys_help(struct buf *out, enum key_screen screen);
/* The first key bound to an action on a screen, for hints ("? help"). */
const char *keys_hint(enum key_screen screen, enum key_action a, char out[16]);
/* The function keys of a screen's bar, in order: fills keys[] and labels[]
 * (up to max) and returns how many there are. */
size_t keys_bar(enum key_screen screen, const char *keys[], const char *labels[],
    size_t max);

#endif
