/* Text on screen: every piece of log data goes through text_prepare (the
 * core's escaping, plus anything this terminal could not show in one
 * predictable width), and lines are drawn through a clipping writer that
 * knows display widths, horizontal scroll and cut-off marks. */
#ifndef LH_UI_TEXT_H
#define LH_UI_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "colours.h"
#include "curs.h"
#include "strtab.h"
#include "util.h"

/* Appends s, made safe and predictable for the terminal, to out. */
void text_prepare(struct buf *out, const char *s, size_t n);
/* The same for the program's own text and the user's (messages, paths,
 * exclusion rules and notes): control characters are still escaped, but a
 * backslash stays one backslash, so CONTOSO\svc reads as typed. */
void text_prepare_plain(struct buf *out, const char *s, size_t n);
/* Display columns of prepared text. */
int text_width(const char *s, size_t n);
/* Decodes one UTF-8 character of prepared text: its length in bytes (at
 * least 1) and its display width (0 for combining marks). */
size_t text_glyph(const char *s, size_t n, int *width);
/* Case-insensitive (ASCII) substring search; NULL if absent. */
const char *text_find(const char *hay, size_t n, const char *needle, size_t nn);

/* Prepared text of interned strings, made once per string. */
struct strcache {
	const struct strtab *st;
	char **text;
	uint16_t *width;
	uint32_t n;
};
void strcache_init(struct strcache *c, const struct strtab *st);
const char *strcache_get(struct strcache *c, uint32_t id, size_t *len, int *width);
void strcache_free(struct strcache *c);

/* A line being drawn: a virtual line of unlimited width, of which the
 * columns [scroll, scroll + width) appear at (y, x). */
struct line {
	int y, x, width;
	int scroll;
	int col;		/* virtual column reached */
	int more_right;		/* something did not fit on the right */
	attr_t attr;		/* current attribute */
};

void line_begin(struct line *l, int y, int x, int width, int scroll, attr_t attr);
/* Puts prepared text in the current attribute. */
void line_put(struct line *l, const char *s, size_t n);
void line_puts(struct line *l, const char *s);
void line_putf(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void line_spaces(struct line *l, int n);
/* Puts prepared text in a cell of exactly `width` columns: padded, or cut
 * with a mark in the last column. Matches of hl (if any) use hl_attr. */
void line_cell(struct line *l, const char *s, size_t n, int width, int right,
    const char *hl, attr_t hl_attr);
/* Fills the rest of the visible line and draws the scroll marks. */
void line_end(struct line *l);

/* A timestamp without its fraction, "2025-03-03 00:15:14", appended to b
 * (empty for TS_NONE). Returns b->p and sets *len to the length added. */
const char *text_time(int64_t ts, struct buf *b, size_t *len);

/* The glyph for a cut-off cell and for text continuing past the edge. */
const char *text_cutmark(void);

/* Draws s (not log data: program text) at y, x clipped to width columns,
 * padding with spaces to the end when pad is set. */
void text_draw(int y, int x, int width, const char *s, attr_t attr, int pad);

#endif
