/* A list's cursor and scroll position: the part of a list widget every
 * screen shares (results, events, one event's columns, exclusions, help). */
#ifndef LH_UI_PANEL_H
#define LH_UI_PANEL_H

#include <stddef.h>

#include "keys.h"

/* What a handler did, for the loop. */
#define UI_IGNORED 0u
#define UI_HANDLED 1u
#define UI_REDRAW  2u
#define UI_POP     4u	/* close this screen */
#define UI_QUIT    8u

struct panel {
	size_t n;		/* rows */
	size_t cur, top;
	int height;		/* rows shown at the last draw */
	int hscroll;		/* columns scrolled to the right */
	int hmax;		/* widest line, for scrolling limits */
};

/* Keeps cur and top inside the list and cur on screen. */
void panel_fix(struct panel *p);
/* Moves for KA_UP..KA_LINE_START; UI_IGNORED for other actions. */
unsigned panel_action(struct panel *p, enum key_action a);
/* The wheel: moves the view (and the cursor with it). */
void panel_scroll(struct panel *p, int rows);
/* A click on the row'th line of the visible rows. */
unsigned panel_click(struct panel *p, int row);

#endif
