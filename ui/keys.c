#include "config.h"

#include <stdio.h>
#include <string.h>

#include "curs.h"
#include "keys.h"

#define KF(k) (KEYF | (k))

/* Order matters twice: the first entry for a key on a screen wins, and
 * the help lists actions in this order. */
static const struct key_def key_table[] = {
	{ KF(KEY_UP),     KS_ALL, KA_UP,   "move up" },
	{ 'k',            KS_ALL, KA_UP,   NULL },
	{ KF(KEY_DOWN),   KS_ALL, KA_DOWN, "move down" },
	{ 'j',            KS_ALL, KA_DOWN, NULL },
	{ KF(KEY_PPAGE),  KS_ALL, KA_PGUP, "page up" },
	{ KEY_CTRL('b'),  KS_ALL, KA_PGUP, NULL },
	{ KF(KEY_NPAGE),  KS_ALL, KA_PGDN, "page down" },
	{ KEY_CTRL('f'),  KS_ALL, KA_PGDN, NULL },
	{ KF(KEY_HOME),   KS_ALL, KA_HOME, "first row" },
	{ 'g',            KS_ALL, KA_HOME, NULL },
	{ KF(KEY_END),    KS_ALL, KA_END,  "last row" },
	{ 'G',            KS_ALL, KA_END,  NULL },
	{ KEY_CTRL('d'),  KS_ALL, KA_HALF_DOWN, "half a page down (as in less and vim)" },
	{ KEY_CTRL('u'),  KS_ALL, KA_HALF_UP,   "half a page up" },
	{ KF(KEY_LEFT),   KS_LISTS | KS_TEXT | KS_EXCL, KA_LEFT,  "scroll left" },
	{ 'h',            KS_LISTS | KS_TEXT | KS_EXCL, KA_LEFT,  NULL },
	{ KF(KEY_RIGHT),  KS_LISTS | KS_TEXT | KS_EXCL, KA_RIGHT,
	    "scroll right (long notes and values)" },
	{ 'l',            KS_LISTS | KS_TEXT | KS_EXCL, KA_RIGHT, NULL },
	{ '0',            KS_LISTS | KS_TEXT | KS_EXCL, KA_LINE_START,
	    "scroll back to the left edge" },

	{ '\r',           KS_RESULTS, KA_ENTER, "show the events behind the group" },
	{ '\n',           KS_RESULTS, KA_ENTER, NULL },
	{ KF(KEY_ENTER),  KS_RESULTS, KA_ENTER, NULL },
	{ '\r',           KS_EVENTS,  KA_ENTER, "show every column of the event" },
	{ '\n',           KS_EVENTS,  KA_ENTER, NULL },
	{ KF(KEY_ENTER),  KS_EVENTS,  KA_ENTER, NULL },
	{ 'q',            KS_RESULTS, KA_QUIT,  "quit" },
	{ 'q',            KS_EVENTS | KS_DETAIL | KS_EXCL | KS_TEXT, KA_BACK,
	    "back one level (the cursor stays where it was)" },
	{ KF(KEY_BACKSPACE), KS_EVENTS | KS_DETAIL | KS_EXCL | KS_TEXT, KA_BACK, NULL },
	{ 127,            KS_EVENTS | KS_DETAIL | KS_EXCL | KS_TEXT, KA_BACK, NULL },
	{ KEY_CTRL('h'),  KS_EVENTS | KS_DETAIL | KS_EXCL | KS_TEXT, KA_BACK, NULL },
	/* One rule on every screen: what was typed goes before the screen. */
	{ KEY_ESC,        KS_ALL, KA_CLEAR,
	    "clear the filter, then the search; with neither, back one level" },

	{ '/',            KS_LISTS | KS_EXCL | KS_TEXT | KS_DETAIL, KA_SEARCH,
	    "search (as you type; Enter keeps it, Esc cancels)" },
	{ KF(KEY_F(3)),   KS_LISTS | KS_EXCL | KS_TEXT | KS_DETAIL, KA_SEARCH, NULL },
	{ 'n',            KS_LISTS | KS_EXCL | KS_TEXT | KS_DETAIL, KA_NEXT, "next match" },
	{ 'N',            KS_LISTS | KS_EXCL | KS_TEXT | KS_DETAIL, KA_PREV, "previous match" },
	{ '|',            KS_LISTS, KA_FILTER,
	    "filter: keep rows containing every word (!word excludes)" },
	{ '\\',           KS_LISTS, KA_FILTER, NULL },
	{ KF(KEY_F(4)),   KS_LISTS, KA_FILTER, NULL },

	{ '1',            KS_LISTS, KA_SORT_COL, "sort by column 1..9; again reverses" },
	{ '2',            KS_LISTS, KA_SORT_COL, NULL },
	{ '3',            KS_LISTS, KA_SORT_COL, NULL },
	{ '4',            KS_LISTS, KA_SORT_COL, NULL },
	{ '5',            KS_LISTS, KA_SORT_COL, NULL },
	{ '6',            KS_LISTS, KA_SORT_COL, NULL },
	{ '7',            KS_LISTS, KA_SORT_COL, NULL },
	{ '8',            KS_LISTS, KA_SORT_COL, NULL },
	{ '9',            KS_LISTS, KA_SORT_COL, NULL },
	{ 's',            KS_LISTS, KA_SORT_PICK, "choose the sort column" },
	{ KF(KEY_F(6)),   KS_LISTS, KA_SORT_PICK, NULL },
	{ 'S',            KS_LISTS, KA_SORT2_PICK, "choose the secondary sort column" },
	{ 'r',            KS_LISTS, KA_SORT_REVERSE, "reverse the sort order" },
	/* visidata's column cursor moves with Left and Right; here those
	 * scroll sideways (wide columns need it), so Tab moves it. */
	{ '\t',           KS_LISTS, KA_COL_NEXT,
	    "column cursor to the next column (Left/Right scroll instead)" },
	{ KF(KEY_BTAB),   KS_LISTS, KA_COL_PREV, "column cursor to the previous column" },
	{ '[',            KS_LISTS, KA_SORT_ASC,
	    "sort ascending by the cursor's column (the sort before breaks ties)" },
	{ ']',            KS_LISTS, KA_SORT_DESC,
	    "sort descending by the cursor's column (as in visidata)" },
	/* visidata's - hides the cursor's column; its gv (two keys) shows
	 * them again: one key here, + as the opposite of -. */
	{ '-',            KS_LISTS, KA_HIDE_COL,
	    "hide the cursor's column (Tab moves it; kept in the session)" },
	{ '+',            KS_LISTS, KA_SHOW_COLS, "show every hidden column again" },
	{ 'W',            KS_LISTS, KA_WIDE, "full column widths on/off (scroll with Left/Right)" },
	/* V as visidata's cell view; a screen, as the row may be wide. */
	{ 'V',            KS_LISTS, KA_SHOW_ROW,
	    "show the row's cells whole (a cut one ends in \xe2\x80\xa6 or ~)" },

	{ ' ',            KS_LISTS, KA_MARK, "mark or unmark the row" },
	{ 'a',            KS_LISTS, KA_MARK_ALL, "mark every row shown" },
	{ 'u',            KS_LISTS, KA_UNMARK_ALL, "unmark every row" },
	{ 'M',            KS_LISTS, KA_MARK_SEARCH, "mark the rows matching the search" },
	{ 'E',            KS_LISTS, KA_EXPORT,
	    "export the marked rows (or all shown) to CSV or JSON" },
	{ 'P',            KS_RESULTS, KA_REPORT,
	    "write a report (HTML or Markdown) of the marked rows (or all shown)" },
	{ 'F',            KS_LISTS, KA_NEUTRALISE,
	    "CSV formula neutralisation on/off (= + - @ TAB CR prefixed with ')" },

	{ 'e',            KS_RESULTS | KS_EVENTS, KA_EXCLUDE_ROW,
	    "exclude this row's address, network, account or device (asks first)" },
	{ 'v',            KS_RESULTS, KA_VERDICT,
	    "set the verdict and note of the marked rows (or this row)" },
	{ 'J',            KS_RESULTS, KA_TRIAGE_NEXT,
	    "jump to the next untriaged, new, changed or reappeared group" },
	{ 'U',            KS_RESULTS, KA_VERDICT_UNDO,
	    "undo the last verdict (each group gets back the one it had)" },
	{ 'H',            KS_RESULTS | KS_EVENTS, KA_HISTORY,
	    "the group's verdicts and notes over time" },
	{ ' ',            KS_EXCL, KA_TOGGLE, "switch the category or rule on/off" },
	{ '\r',           KS_EXCL, KA_TOGGLE, NULL },
	{ '\n',           KS_EXCL, KA_TOGGLE, NULL },
	{ KF(KEY_ENTER),  KS_EXCL, KA_TOGGLE, NULL },
	{ 'a',            KS_EXCL, KA_ADD, "add a rule to this category" },
	{ 'C',            KS_EXCL, KA_ADD_CATEGORY, "add a category" },
	{ 'e',            KS_EXCL, KA_EDIT, "edit the rule's value" },
	/* n and N search here as everywhere; c for the note (its comment). */
	{ 'c',            KS_EXCL, KA_NOTE, "edit the rule's note (comment)" },
	{ 't',            KS_EXCL, KA_UNTIL, "edit the rule's expiry date" },
	{ 'd',            KS_EXCL, KA_DELETE, "delete the rule" },
	{ KF(KEY_DC),     KS_EXCL, KA_DELETE, NULL },
	{ 'u',            KS_EXCL, KA_UNDO, "undo the last change" },
	{ 'R',            KS_EXCL, KA_RELOAD, "reload the file from disk" },

	{ 'x',            KS_RESULTS | KS_EVENTS | KS_DETAIL | KS_TEXT, KA_EXCLUSIONS,
	    "exclusions" },
	{ 'w',            KS_RESULTS, KA_WARNINGS, "warnings from loading" },
	{ 'I',            KS_RESULTS, KA_INTEL_ONLY,
	    "only the rows threat intel knows (--intel) on/off" },
	{ 'o',            KS_RESULTS, KA_FREQ,
	    "groups, logons and machines by country, AS and network owner" },
	{ '?',            KS_ALL & ~KS_TEXT, KA_HELP, "this help" },
	{ KF(KEY_F(1)),   KS_ALL & ~KS_TEXT, KA_HELP, NULL },
	{ 'm',            KS_ALL, KA_MOUSE, "mouse on/off (click selects, wheel scrolls)" },
	{ KEY_CTRL('l'),  KS_ALL, KA_REDRAW, "redraw the screen" },
	{ 'Q',            KS_ALL, KA_QUIT, "quit from anywhere" },
	{ KF(KEY_F(10)),  KS_ALL, KA_QUIT, NULL },
};

#define NKEYS (sizeof key_table / sizeof key_table[0])

const struct key_def *
keys_table(size_t *n)
{
	*n = NKEYS;
	return key_table;
}

enum key_action
keys_lookup(enum key_screen screen, int key)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (key_table[i].key == key && (key_table[i].screens & screen))
			return key_table[i].action;
	return KA_NONE;
}

/* A curses key as keyboards label it (F3, Insert, Shift-Tab), else the
 * name ncurses gives it without its KEY_ prefix, else its number. */
static void
curses_key_name(int k, char out[16])
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{ KEY_IC, "Insert" }, { KEY_BTAB, "Shift-Tab" },
		{ KEY_SLEFT, "Shift-Left" }, { KEY_SRIGHT, "Shift-Right" },
		{ KEY_SHOME, "Shift-Home" }, { KEY_SEND, "Shift-End" },
		{ KEY_SDC, "Shift-Delete" }, { KEY_SIC, "Shift-Insert" },
		{ KEY_B2, "keypad 5" }, { KEY_RESIZE, "resize" },
	};
	const char *kn;
	size_t i;

	if (k >= KEY_F(0) && k <= KEY_F(63)) {
		snprintf(out, 16, "F%d", k - KEY_F(0));
		return;
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].key == k) {
			snprintf(out, 16, "%s", names[i].name);
			return;
		}
	kn = keyname(k);
	if (kn != NULL && strncmp(kn, "KEY_", 4) == 0)
		kn += 4;
	if (kn != NULL && kn[0] != '\0')
		snprintf(out, 16, "%s", kn);
	else
		snprintf(out, 16, "key %d", k);
}

const char *
keys_name(int key, char out[16])
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{ KF(KEY_UP), "Up" }, { KF(KEY_DOWN), "Down" },
		{ KF(KEY_LEFT), "Left" }, { KF(KEY_RIGHT), "Right" },
		{ KF(KEY_PPAGE), "PgUp" }, { KF(KEY_NPAGE), "PgDn" },
		{ KF(KEY_HOME), "Home" }, { KF(KEY_END), "End" },
		{ KF(KEY_ENTER), "Enter" }, { KF(KEY_BACKSPACE), "Backspace" },
		{ KF(KEY_DC), "Delete" }, { KF(KEY_F(1)), "F1" },
		{ '\r', "Enter" }, { '\n', "Ctrl-J" }, { KEY_ESC, "Esc" },
		{ ' ', "Space" }, { 127, "Backspace" }, { KEY_CTRL('h'), "Ctrl-H" },
		{ '\t', "Tab" },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].key == key) {
			snprintf(out, 16, "%s", names[i].name);
			return out;
		}
	if (key < 32)
		snprintf(out, 16, "Ctrl-%c", key + 'A' - 1);
	else if (key < 127)
		snprintf(out, 16, "%c", key);
	else if (key & KEYF)
		curses_key_name(key & ~KEYF, out);
	else
		snprintf(out, 16, "U+%04X", (unsigned)key);
	return out;
}

/* Keys that only repeat another binding are left out of the help. */
static int
hidden_in_help(int key)
{
	return key == '\n' || key == KF(KEY_ENTER) || key == KEY_CTRL('h') ||
	    key == 127;
}

static void
help_section(struct buf *out, const char *title, unsigned screens, unsigned not)
{
	size_t i, j;
	char name[16];
	int any = 0, shared = 0;

	for (i = 0; i < NKEYS; i++)
		shared |= key_table[i].help != NULL && (key_table[i].screens & screens) &&
		    (key_table[i].screens & not) != 0;
	for (i = 0; i < NKEYS; i++) {
		struct buf keys = { 0 };

		/* A key also valid on the screen already listed was shown
		 * there. */
		if (key_table[i].help == NULL || !(key_table[i].screens & screens) ||
		    (key_table[i].screens & not) != 0)
			continue;
		/* This entry and the helpless ones after it with the same
		 * action are one line. */
		for (j = i; j < NKEYS; j++) {
			if (j > i && (key_table[j].help != NULL ||
			    key_table[j].action != key_table[i].action))
				break;
			if (!(key_table[j].screens & screens) || hidden_in_help(key_table[j].key))
				continue;
			if (key_table[j].action == KA_SORT_COL && j > i)
				continue;
			buf_addf(&keys, "%s%s", keys.len ? " " : "",
			    keys_name(key_table[j].key, name));
		}
		if (key_table[i].action == KA_SORT_COL) {
			buf_reset(&keys);
			buf_add(&keys, "1..9", 4);
		}
		if (!any) {
			buf_addf(out, "%s%s\n", out->len ? "\n" : "", title);
			if (shared)
				buf_addf(out, "  %-18s %s\n", "",
				    "(with the keys above that apply here)");
			any = 1;
		}
		buf_addf(out, "  %-18s %s\n", keys.p ? keys.p : "", key_table[i].help);
		buf_free(&keys);
	}
}

void
keys_help(struct buf *out, enum key_screen screen)
{
	static const struct {
		enum key_screen s;
		const char *title;
	} titles[] = {
		{ KS_RESULTS, "Results" }, { KS_EVENTS, "Events of a group" },
		{ KS_DETAIL, "One event" }, { KS_EXCL, "Exclusions" },
		{ KS_TEXT, "Help and text views" },
	};
	size_t i;

	/* The screen asked about first, then every other screen, so the
	 * help is complete wherever it is opened. */
	for (i = 0; i < sizeof titles / sizeof titles[0]; i++)
		if (titles[i].s == screen)
			help_section(out, titles[i].title, screen, 0);
	for (i = 0; i < sizeof titles / sizeof titles[0]; i++)
		if (titles[i].s != screen)
			help_section(out, titles[i].title, titles[i].s, screen);
}

const char *
keys_hint(enum key_screen screen, enum key_action a, char out[16])
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (key_table[i].action == a && (key_table[i].screens & screen))
			return keys_name(key_table[i].key, out);
	out[0] = '\0';
	return out;
}

/* The function-key bar, as htop shows it: the keys in order, each shown
 * on the screens where it is bound. */
static const struct {
	int key;
	const char *label;
} bar_keys[] = {
	{ KF(KEY_F(1)), "Help" }, { KF(KEY_F(3)), "Search" },
	{ KF(KEY_F(4)), "Filter" }, { KF(KEY_F(6)), "SortBy" },
	{ KF(KEY_F(10)), "Quit" },
};

size_t
keys_bar(enum key_screen screen, const char *keys[], const char *labels[],
    size_t max)
{
	static char names[sizeof bar_keys / sizeof bar_keys[0]][16];
	size_t i, n = 0;

	for (i = 0; i < sizeof bar_keys / sizeof bar_keys[0] && n < max; i++)
		if (keys_lookup(screen, bar_keys[i].key) != KA_NONE) {
			keys[n] = keys_name(bar_keys[i].key, names[i]);
			labels[n++] = bar_keys[i].label;
		}
	return n;
}
