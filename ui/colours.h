/* Every colour the console uses, in one table: the enum, the colour pairs
 * and the monochrome fallbacks all come from it (ncdu's way). Foreground
 * and background -1 mean the terminal's own defaults. */
#ifndef LH_UI_COLOURS_H
#define LH_UI_COLOURS_H

/*        name         fg              bg            colour attr  mono attr */
#define UI_COLOURS(X) \
	X(NORMAL,      -1,             -1,           A_NORMAL,    A_NORMAL) \
	X(TITLE,       COLOR_CYAN,     -1,           A_BOLD,      A_BOLD) \
	X(FUNNEL,      -1,             -1,           A_NORMAL,    A_NORMAL) \
	X(FUNNEL_NUM,  COLOR_YELLOW,   -1,           A_BOLD,      A_BOLD) \
	X(COLHEAD,     COLOR_BLACK,    COLOR_GREEN,  A_NORMAL,    A_REVERSE) \
	X(COLHEAD_SORT,COLOR_BLACK,    COLOR_CYAN,   A_BOLD,      A_REVERSE | A_BOLD) \
	X(CURSOR,      COLOR_BLACK,    COLOR_CYAN,   A_NORMAL,    A_REVERSE) \
	X(MARKED,      COLOR_YELLOW,   -1,           A_BOLD,      A_BOLD) \
	X(CURSOR_MARK, COLOR_YELLOW,   COLOR_BLUE,   A_BOLD,      A_REVERSE | A_BOLD) \
	X(MATCH,       COLOR_BLACK,    COLOR_YELLOW, A_NORMAL,    A_UNDERLINE) \
	X(CUTMARK,     COLOR_MAGENTA,  -1,           A_BOLD,      A_BOLD) \
	X(DIM,         COLOR_BLUE,     -1,           A_BOLD,      A_DIM) \
	X(STATUS,      COLOR_BLACK,    COLOR_WHITE,  A_NORMAL,    A_REVERSE) \
	X(STATUS_KEY,  COLOR_BLUE,     COLOR_WHITE,  A_BOLD,      A_REVERSE | A_BOLD) \
	X(MSG_INFO,    COLOR_GREEN,    -1,           A_NORMAL,    A_NORMAL) \
	X(MSG_ERROR,   COLOR_WHITE,    COLOR_RED,    A_BOLD,      A_BOLD | A_REVERSE) \
	X(PROMPT,      -1,             -1,           A_BOLD,      A_BOLD) \
	X(HISTOGRAM,   COLOR_GREEN,    -1,           A_NORMAL,    A_NORMAL) \
	X(CAT_ON,      COLOR_GREEN,    -1,           A_BOLD,      A_BOLD) \
	X(CAT_OFF,     COLOR_RED,      -1,           A_BOLD,      A_DIM) \
	X(RULE_OFF,    COLOR_BLUE,     -1,           A_BOLD,      A_DIM) \
	X(BAR,         COLOR_BLACK,    COLOR_GREEN,  A_NORMAL,    A_REVERSE) \
	X(HELP_KEY,    COLOR_CYAN,     -1,           A_BOLD,      A_BOLD)

enum ui_colour {
#define UI_COLOUR_ENUM(name, fg, bg, attr, mono) UC_##name,
	UI_COLOURS(UI_COLOUR_ENUM)
#undef UI_COLOUR_ENUM
	UC_COUNT
};

#endif
