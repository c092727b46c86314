/* Which of a table's columns are shown: the console hides the column
 * under its column cursor and shows them all again (visidata's - and
 * gv), and the session names the hidden ones. Kept out of the curses
 * code so the rules (never the last column shown, where the column
 * cursor goes next) are tested on their own. */
#ifndef LH_COLVIS_H
#define LH_COLVIS_H

#include <stddef.h>

struct colvis {
	int ncols, nhidden;
	unsigned char *hidden;	/* per column: 1 hidden */
};

void colvis_init(struct colvis *, int ncols);
void colvis_free(struct colvis *);

int colvis_hidden(const struct colvis *, int col);
/* Hides col: 0, or 1 if it was hidden already, or -1 (nothing done) if
 * it is the last column shown or not a column. */
int colvis_hide(struct colvis *, int col);
/* Shows every column again; returns how many were hidden. */
int colvis_show_all(struct colvis *);
/* The first shown column from col (included, unless step is not 0: then
 * excluded) going by step (+1 or -1, wrapping; 0 counts as +1 from col
 * itself); -1 if none is shown. */
int colvis_step(const struct colvis *, int col, int step);
/* The column shown nth (0-based) from the left, or -1. */
int colvis_nth(const struct colvis *, int nth);

#endif
