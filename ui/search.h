/* Searching a list: the / prompt, n and N to the next and previous
 * matching row (wrapping around), and what the message line says. One
 * implementation behind the results and events lists, an event's columns,
 * the help and warnings, and the exclusions; each screen says what a row
 * holds through a callback. */
#ifndef LH_UI_SEARCH_H
#define LH_UI_SEARCH_H

#include <stddef.h>

#include "app.h"
#include "panel.h"

/* How a screen's search behaves and words its messages (see search.c). */
enum search_kind {
	SEARCH_TEXT,		/* an event's columns, help, warnings */
	SEARCH_ROWS,		/* the results and events lists */
	SEARCH_RULES		/* the exclusions */
};

/* 1 if row (an index into the panel's rows) holds s[0, n), ignoring ASCII
 * case as text_find does. */
typedef int (*search_match_fn)(void *ctx, size_t row, const char *s, size_t n);

struct search {
	enum search_kind kind;
	char *text;		/* what is searched for; NULL: nothing */
	struct panel *p;	/* the rows; a match moves its cursor */
	search_match_fn match;
	void *ctx;
	int wrapped;		/* the last search_move went round the end */
};

void search_init(struct search *, enum search_kind, struct panel *,
    search_match_fn, void *ctx);
/* Forgets the text (and frees it). */
void search_clear(struct search *);
/* Esc: forgets the text and says so; 0 if there was none. */
int search_forget(struct search *, struct app *);

/* Moves the cursor to the next (dir 1) or previous (-1) matching row,
 * starting at the cursor itself when here is set. 0 if no row matches.
 * Sets wrapped if it went past the last row to the first (or back). */
int search_move(struct search *, int dir, int here);
/* How many rows match, and which of them (from 1) the cursor is on: 0
 * when it is on none. */
size_t search_count(const struct search *, size_t *which);
/* The search key: asks for the text and goes to the first match. */
void search_prompt(struct search *, struct app *);
/* n (dir 1) and N (dir -1). */
void search_again(struct search *, struct app *, int dir);

#endif
