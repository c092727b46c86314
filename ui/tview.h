/* A table of rows identified by number, with columns, sorting, a live
 * filter, search, marks and horizontal scrolling: the list browser under
 * both the results and the events screens (tmux's mode-tree plays this
 * part there). The owner supplies cell text and the sort through ops and
 * keeps the columns' natural widths up to date. */
#ifndef LH_UI_TVIEW_H
#define LH_UI_TVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "colvis.h"
#include "panel.h"
#include "search.h"

struct tview_col {
	const char *name;
	const char *abbrev;	/* the label when the name does not fit, or NULL */
	int natural;		/* widest cell seen (prepared text) */
	int typical;		/* most cells fit in this (0: natural) */
	int cap;		/* width limit unless in wide mode */
	unsigned right : 1;	/* right-aligned (numbers) */
	unsigned desc_first : 1;/* first sort is descending (counts, times) */
	unsigned fixed : 1;	/* never narrowed to fit (counts) */
	unsigned keep : 1;	/* narrowed only when nothing else can give */
	unsigned time : 1;	/* cells "YYYY-MM-DD HH:MM:SS", shown shorter
				 * when narrow (TVIEW_TIME_*) */
	unsigned digits : 1;	/* cells of decimal digits only (counts) */
	/* Every byte a cell of it can hold (ASCII letters in either case),
	 * or NULL: any. A filter word or search with another byte skips
	 * the column without making its cells. */
	const char *chars;
};

/* What a time column shows, from the widest to the narrowest form. */
enum tview_time_form { TVIEW_TIME_FULL, TVIEW_TIME_MINUTES, TVIEW_TIME_SHORT };

struct tview_sort {
	int col, desc;
	int col2, desc2;	/* col2 -1: none */
};

struct tview_ops {
	/* The prepared text of a cell; may be built in scratch. */
	const char *(*cell)(void *ctx, uint32_t id, int col, struct buf *scratch,
	    size_t *len);
	/* Sorts ids as s says (ties in a stable, meaningful order). */
	void (*sort)(void *ctx, uint32_t *ids, size_t n, const struct tview_sort *s);
	/* Called before the rows are sorted by col, or (col -1) before the
	 * filter or search looks at every cell, so cells that load lazily
	 * can be loaded; returns -1 if the user stopped it. May be NULL. */
	int (*need_all)(void *ctx, struct app *app, int col);
	/* An attribute for a row that is not like the others, or 0. May be
	 * NULL. */
	attr_t (*row_attr)(void *ctx, uint32_t id);
	/* For a cell holding an interned string: its id (below nkeys), so
	 * the filter matches each string once, not once per row; UINT32_MAX
	 * for other cells. May be NULL. */
	uint32_t (*cell_key)(void *ctx, uint32_t id, int col);
	/* For a time column's cell, or a digits column's: its decimal
	 * digits packed four bits each, the last in the low bits (a time's
	 * 14 are YYYYMMDDhhmmss, tview_time_digits), *ndigits of them (1 to
	 * 16). The filter and search match a word against them without
	 * making the text: at a million rows, making the two times' text per
	 * row was most of a keystroke. Returns 0 for a cell to be read as
	 * text instead (an empty time, a year past 9999). May be NULL. */
	int (*cell_digits)(void *ctx, uint32_t id, int col, uint64_t *digits,
	    int *ndigits);
};

#define TVIEW_SLOTS 17	/* filter words, and the search */
#define TVIEW_UNDO 16	/* filters Backspace takes back without work */

struct rowcells;
struct tview_word;

struct tview {
	const struct tview_ops *ops;
	void *ctx;
	struct tview_col *cols;
	int ncols;
	struct tview_sort sort;
	uint32_t *all;		/* every row, sorted */
	size_t nall;
	uint32_t *vis;		/* rows passing the filter, sorted */
	struct panel p;		/* over vis; p.n is the count shown */
	uint8_t *mark;		/* per id */
	size_t nids, nmarked;
	char *filter;		/* NULL: none */
	struct search find;	/* find.text NULL: none */
	struct rowcells *scan;	/* the cells of the row the search looks at */
	/* Set by the owner when ops->cell, cell_key and cell_digits may be
	 * called from two threads at once for different rows: the filter and
	 * the search then judge many rows on two cores. */
	int threads;
	int wide;
	int ccol;		/* the column cursor (Tab) for [ and ]; -1: not
				 * moved yet, the sort column */
	struct colvis cv;	/* the columns hidden (- and +); the filter,
				 * search, sort and V still see them */
	/* Per filter word (and the search, last slot): per string id, 0 not
	 * known yet, 1 absent, 2 present; keyterm is the word it is for. */
	size_t nkeys;
	uint8_t *keymatch[TVIEW_SLOTS];
	char *keyterm[TVIEW_SLOTS];
	/* Per row id, the search's verdict on the whole row for findterm: 0
	 * not judged yet, 1 no match, 2 a match. Cleared with new rows. */
	uint8_t *findhit;
	char *findterm;
	struct tview_word *findword;	/* findterm, made ready to match */
	size_t viscap;		/* vis holds this many */
	uint8_t *idmark;	/* per row id, scratch kept all 0 between uses */
	/* The rows each shorter filter showed, while typing lengthened it:
	 * a bitmap per row id for each, so Backspace takes them back. */
	struct tview_undo {
		char *filter;
		uint8_t *bits;
	} undo[TVIEW_UNDO];
	int nundo;
	/* Where the last draw put things, for clicks. */
	int draw_y, draw_x, draw_w, gutter;
	int *colx, *colw;	/* per column */
	/* How the last layout fitted the table: the gap between columns,
	 * the form of the times, per column its content width, header
	 * widths and which label it shows (see layout in tview.c). */
	int sep, time_form;
	struct tview_fit *fit;
	/* Makes the screen V shows a row's cells in, the cursor on the
	 * column cursor's (detail_cells_new); set by the owner, NULL: V
	 * does nothing. */
	struct screen *(*cells_screen)(struct app *, const char *title,
	    const char *const *names, const char *const *values, size_t n,
	    size_t focus);
};

/* What tview_col.chars says of cells of decimal digits, of times as
 * text_time writes them (a year past 9999 keeps a 'T'), or of anything. */
enum tview_cells { TVIEW_CELLS_ANY, TVIEW_CELLS_DIGITS, TVIEW_CELLS_TIME };
const char *tview_cell_chars(enum tview_cells);

/* A time's digits as ops->cell_digits gives them (YYYYMMDDhhmmss, as
 * text_time writes it), or TVIEW_NO_DIGITS when its text is not of that
 * form (no time, a year past 9999). */
#define TVIEW_NO_DIGITS UINT64_MAX
uint64_t tview_time_digits(int64_t ticks);
/* The text of such digits: "YYYY-MM-DD HH:MM:SS" in out[0, 19). */
void tview_digits_time(uint64_t digits, char out[19]);
/* A count's digits as ops->cell_digits gives them; 0 above 16 digits. */
int tview_number_digits(uint64_t v, uint64_t *digits, int *ndigits);

/* nkeys: how many string ids ops->cell_key may return. */
void tview_init(struct tview *, const struct tview_ops *, void *ctx,
    struct tview_col *cols, int ncols, size_t nids, size_t nkeys);
void tview_free(struct tview *);

/* Replaces the rows with ids (already sorted) and filters them again; the
 * cursor stays on the same row if it is still there. */
void tview_set_rows(struct tview *, const uint32_t *ids, size_t n);
/* Sorts again (after a sort change); the cursor goes to the top. */
void tview_resort(struct tview *);
void tview_set_filter(struct tview *, const char *filter);

/* The row under the cursor; 0 if the view is empty. */
int tview_cursor(const struct tview *, uint32_t *id);
/* Puts the cursor on a row if it is shown. */
void tview_goto(struct tview *, uint32_t id);
/* The marked rows that are shown, in display order, or every row shown
 * when none is: what an export takes. *n is the count; caller frees. */
uint32_t *tview_selection(const struct tview *, size_t *n, int *marked);
size_t tview_marked_shown(const struct tview *);

/* Header line and rows in [y, y + h). */
void tview_draw(struct tview *, int y, int x, int h, int w);
/* Movement, sorting, marks, search and filter prompts. */
unsigned tview_action(struct tview *, struct app *, enum key_action, int key);
/* A click at a row of the drawn area (0 is the header line: sorts). */
unsigned tview_click(struct tview *, struct app *, int row, int x);
/* Hides the column named name (a session's), unless it is the last
 * shown; 0 if it is hidden now. */
int tview_hide_named(struct tview *, const char *name);
/* "Instances v, AccountName ^" */
void tview_sort_text(const struct tview *, struct buf *);
/* Status-bar part: row, marks, filter. */
void tview_status(const struct tview *, struct buf *);

#endif
