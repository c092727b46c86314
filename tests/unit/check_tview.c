/* Unit tests of the console's list browser and its search: a table with
 * more columns than the screens have today is filtered, searched, laid out
 * and sorted by a click on any of its columns; the search moves forwards
 * and backwards with wrap-around, and says what each screen has always
 * said. The drawing parts run on a curses screen writing to /dev/null. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "search.h"
#include "ts.h"
#include "tview.h"

#include "testutil.h"

#define NCOLS 20
#define NROWS 10

static const char *
cell(void *ctx, uint32_t id, int col, struct buf *scratch, size_t *len)
{
	(void)ctx;
	buf_addf(scratch, "r%uc%d", id, col);
	*len = scratch->len;
	return scratch->p;
}

static const struct tview_sort *sorting;

static int
cmp_ids(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = (x > y) - (x < y);

	/* Every cell of a row sorts like its row number. */
	return sorting->desc ? -c : c;
}

static void
sort(void *ctx, uint32_t *ids, size_t n, const struct tview_sort *s)
{
	(void)ctx;
	sorting = s;
	qsort(ids, n, sizeof *ids, cmp_ids);
}

static const struct tview_ops ops = { cell, sort, NULL, NULL, NULL, NULL };

struct table {
	struct tview_col cols[NCOLS];
	char names[NCOLS][8];
	struct tview tv;
};

static void
table_init(struct table *t)
{
	uint32_t ids[NROWS];
	int c;

	memset(t, 0, sizeof *t);
	for (c = 0; c < NCOLS; c++) {
		snprintf(t->names[c], sizeof t->names[c], "col%d", c);
		t->cols[c].name = t->names[c];
		t->cols[c].natural = 6;
		t->cols[c].cap = 20;
	}
	for (c = 0; c < NROWS; c++)
		ids[c] = (uint32_t)c;
	tview_init(&t->tv, &ops, NULL, t->cols, NCOLS, NROWS, 0);
	tview_set_rows(&t->tv, ids, NROWS);
}

/* A screen for the drawing and the messages, or none without terminfo. */
static SCREEN *scr;
static FILE *devnull;

static int
curses_up(void)
{
	setenv("TERM", "xterm", 1);
	devnull = fopen("/dev/null", "w");
	ck_assert_ptr_nonnull(devnull);
	scr = newterm(NULL, devnull, stdin);
	if (scr == NULL) {
		printf("SKIP: no terminfo for xterm: drawing not tested\n");
		fclose(devnull);
		return 0;
	}
	set_term(scr);
	resizeterm(30, 400);
	return 1;
}

static void
curses_down(void)
{
	endwin();
	delscreen(scr);
	fclose(devnull);
}

/* A long list: many rows are judged in the order of their ids and taken
 * in the order shown; the search judges them once per text and again when
 * the rows change. Cells are "r<id>c<col>", plus "new" in every cell of
 * row 7 once `changed` is set. */
#define NBIG 20000
static int changed;

static const char *
big_cell(void *ctx, uint32_t id, int col, struct buf *scratch, size_t *len)
{
	(void)ctx;
	buf_addf(scratch, "r%uc%d%s", id, col, changed && id == 7 ? "new" : "");
	*len = scratch->len;
	return scratch->p;
}

static const struct tview_ops big_ops = { big_cell, sort, NULL, NULL, NULL, NULL };

START_TEST(test_long_list_filter_and_search)
{
	static struct tview_col cols[3] = {
		{ .name = "a", .natural = 6, .cap = 20 },
		{ .name = "b", .natural = 6, .cap = 20 },
		{ .name = "c", .natural = 6, .cap = 20 } };
	struct tview tv;
	uint32_t *ids = xmalloc(NBIG * sizeof *ids), id;
	size_t i, k, want;
	char num[16];

	for (i = 0; i < NBIG; i++)
		ids[i] = (uint32_t)(NBIG - 1 - i);	/* shown in reverse */
	changed = 0;
	tview_init(&tv, &big_ops, NULL, cols, 3, NBIG, 0);
	tview_set_rows(&tv, ids, NBIG);
	/* "r12": the ids written with a leading 12, in the order shown. */
	tview_set_filter(&tv, "r12");
	for (i = 0, want = 0; i < NBIG; i++) {
		snprintf(num, sizeof num, "%zu", NBIG - 1 - i);
		if (strncmp(num, "12", 2) == 0) {
			ck_assert_uint_lt(want, tv.p.n);
			ck_assert_uint_eq(tv.vis[want], NBIG - 1 - i);
			want++;
		}
	}
	ck_assert_uint_eq(tv.p.n, want);
	/* Narrower, then wider again, then a word that must be absent. */
	tview_set_filter(&tv, "r123");
	ck_assert_uint_eq(tv.p.n, 1 + 10 + 100);	/* 123, 123x, 123xx */
	tview_set_filter(&tv, "r1");
	ck_assert_uint_eq(tv.p.n, 1 + 10 + 100 + 1000 + 10000);
	tview_set_filter(&tv, "c1 !r1");
	ck_assert_uint_eq(tv.p.n, NBIG - 11111);
	tview_set_filter(&tv, NULL);
	ck_assert_uint_eq(tv.p.n, NBIG);
	/* The search: 19999 is shown first; "r1999" then matches 19999,
	 * 19990..19998 (shown in that order after it), then 1999. */
	tv.p.cur = 0;
	tv.find.text = xstrdup("r1999");
	ck_assert_int_eq(search_move(&tv.find, 1, 1), 1);
	ck_assert(tview_cursor(&tv, &id));
	ck_assert_uint_eq(id, 19999);
	for (k = 0; k < 10; k++)
		ck_assert_int_eq(search_move(&tv.find, 1, 0), 1);
	ck_assert(tview_cursor(&tv, &id));
	ck_assert_uint_eq(id, 1999);
	/* Typing more, from the top: 19999 matched "r1999" but not
	 * "r19995"; then only 19999 is left of "r19999". */
	tv.p.cur = 0;
	search_clear(&tv.find);
	tv.find.text = xstrdup("r19995");
	ck_assert_int_eq(search_move(&tv.find, 1, 1), 1);
	ck_assert(tview_cursor(&tv, &id));
	ck_assert_uint_eq(id, 19995);
	search_clear(&tv.find);
	tv.find.text = xstrdup("r19999");
	ck_assert_int_eq(search_move(&tv.find, 1, 0), 1);
	ck_assert(tview_cursor(&tv, &id));
	ck_assert_uint_eq(id, 19999);
	/* "new" is nowhere, until the rows change. */
	search_clear(&tv.find);
	tv.find.text = xstrdup("new");
	ck_assert_int_eq(search_move(&tv.find, 1, 1), 0);
	changed = 1;
	tview_set_rows(&tv, ids, NBIG);
	ck_assert_int_eq(search_move(&tv.find, 1, 1), 1);
	ck_assert(tview_cursor(&tv, &id));
	ck_assert_uint_eq(id, 7);
	tview_free(&tv);
	free(ids);
}
END_TEST

/* A short list is judged row by row as the search goes: typing more does
 * not keep a row that matched only the start. */
START_TEST(test_search_typing_more_short_list)
{
	struct table t;
	uint32_t id;

	table_init(&t);
	t.tv.find.text = xstrdup("r");
	ck_assert_int_eq(search_move(&t.tv.find, 1, 1), 1);
	ck_assert(tview_cursor(&t.tv, &id));
	ck_assert_uint_eq(id, 0);
	search_clear(&t.tv.find);
	t.tv.find.text = xstrdup("r5");
	ck_assert_int_eq(search_move(&t.tv.find, 1, 1), 1);
	ck_assert(tview_cursor(&t.tv, &id));
	ck_assert_uint_eq(id, 5);
	tview_free(&t.tv);
}
END_TEST

START_TEST(test_filter_sees_every_column)
{
	struct table t;
	uint32_t id;

	table_init(&t);
	ck_assert_uint_eq(t.tv.p.n, NROWS);
	tview_set_filter(&t.tv, "r3c19");
	ck_assert_uint_eq(t.tv.p.n, 1);
	ck_assert(tview_cursor(&t.tv, &id));
	ck_assert_uint_eq(id, 3);
	tview_set_filter(&t.tv, "c19");
	ck_assert_uint_eq(t.tv.p.n, NROWS);
	tview_set_filter(&t.tv, "!r3c17");
	ck_assert_uint_eq(t.tv.p.n, NROWS - 1);
	tview_set_filter(&t.tv, "r5c16 r5c2");
	ck_assert_uint_eq(t.tv.p.n, 1);
	tview_set_filter(&t.tv, NULL);
	ck_assert_uint_eq(t.tv.p.n, NROWS);
	tview_free(&t.tv);
}
END_TEST

START_TEST(test_search_sees_every_column)
{
	struct table t;
	uint32_t id;

	table_init(&t);
	t.tv.find.text = xstrdup("r7c18");
	ck_assert_int_eq(search_move(&t.tv.find, 1, 1), 1);
	ck_assert(tview_cursor(&t.tv, &id));
	ck_assert_uint_eq(id, 7);
	/* The only match: n and N come round to it. */
	ck_assert_int_eq(search_move(&t.tv.find, 1, 0), 1);
	ck_assert_uint_eq(t.tv.p.cur, 7);
	ck_assert_int_eq(search_move(&t.tv.find, -1, 0), 1);
	ck_assert_uint_eq(t.tv.p.cur, 7);
	search_clear(&t.tv.find);
	t.tv.find.text = xstrdup("c21");
	ck_assert_int_eq(search_move(&t.tv.find, 1, 1), 0);
	ck_assert_uint_eq(t.tv.p.cur, 7);
	tview_free(&t.tv);
}
END_TEST

START_TEST(test_layout_and_click_every_column)
{
	struct table t;
	int c;

	if (!curses_up())
		return;
	table_init(&t);
	tview_draw(&t.tv, 0, 0, 12, 400);
	for (c = 0; c < NCOLS; c++) {
		ck_assert_int_ge(t.tv.colw[c], 4);
		if (c > 0)
			ck_assert_int_eq(t.tv.colx[c], t.tv.colx[c - 1] +
			    t.tv.colw[c - 1] + 2);
	}
	/* A click on the last column's header sorts by it. */
	tview_click(&t.tv, NULL, 0, t.tv.gutter + t.tv.colx[NCOLS - 1] + 1);
	ck_assert_int_eq(t.tv.sort.col, NCOLS - 1);
	ck_assert_int_eq(t.tv.sort.col2, 0);
	/* Narrowed to fit a small screen, every column still has a place. */
	tview_draw(&t.tv, 0, 0, 12, 60);
	for (c = 1; c < NCOLS; c++)
		ck_assert_int_gt(t.tv.colx[c], t.tv.colx[c - 1]);
	tview_free(&t.tv);
	curses_down();
}
END_TEST

/* Rows 0..9 of a panel; the even ones match. */
static int
even(void *ctx, size_t row, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
	return row % 2 == 0;
}

START_TEST(test_search_wraps)
{
	struct panel p = { NROWS, 3, 0, 5, 0, 0 };
	struct search s;

	search_init(&s, SEARCH_TEXT, &p, even, NULL);
	ck_assert_int_eq(search_move(&s, 1, 1), 0);	/* no text yet */
	s.text = xstrdup("x");
	ck_assert_int_eq(search_move(&s, 1, 1), 1);
	ck_assert_uint_eq(p.cur, 4);
	ck_assert_int_eq(search_move(&s, 1, 1), 1);	/* here: stays */
	ck_assert_uint_eq(p.cur, 4);
	ck_assert_int_eq(search_move(&s, -1, 0), 1);
	ck_assert_uint_eq(p.cur, 2);
	p.cur = 8;
	ck_assert_int_eq(search_move(&s, 1, 0), 1);	/* round to the top */
	ck_assert_uint_eq(p.cur, 0);
	ck_assert_int_eq(search_move(&s, -1, 0), 1);	/* round to the end */
	ck_assert_uint_eq(p.cur, 8);
	search_clear(&s);
	ck_assert_ptr_null(s.text);
}
END_TEST

static int
none(void *ctx, size_t row, const char *s, size_t n)
{
	(void)ctx;
	(void)row;
	(void)s;
	(void)n;
	return 0;
}

/* n without a search, and n finding nothing, in each kind of screen. */
START_TEST(test_search_messages)
{
	static const struct {
		enum search_kind kind;
		const char *none, *missing;
	} want[] = {
		{ SEARCH_TEXT, "not found", "not found" },
		{ SEARCH_ROWS, "no search: press / first", "no row contains \"q\\x\"" },
		{ SEARCH_RULES, "", "not found: q\\x" },
	};
	struct panel p = { NROWS, 0, 0, 5, 0, 0 };
	struct search s;
	struct app app;
	size_t i;

	if (!curses_up())
		return;
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		memset(&app, 0, sizeof app);
		search_init(&s, want[i].kind, &p, none, NULL);
		search_again(&s, &app, 1);
		ck_assert_str_eq(app.msg.p ? app.msg.p : "", want[i].none);
		s.text = xstrdup("q\\x");
		search_again(&s, &app, -1);
		ck_assert_str_eq(app.msg.p, want[i].missing);
		ck_assert_int_eq(app.msg_error, 1);
		search_clear(&s);
		buf_free(&app.msg);
	}
	curses_down();
}
END_TEST

/* Typing and Backspace at random over a long list: after every key the
 * rows shown are those an independent matcher picks (every word found in
 * some cell, ASCII case aside; a !word in none), in the order of the
 * rows, whether the list narrowed what it showed, took back what a
 * shorter filter showed, or filtered afresh. Column 1 holds digits only
 * and says so: a word with a letter never makes its cells; column 2
 * says "T:" and digits, and a lower-case t still looks there. */
#define NTYPE 4500
static unsigned long digit_cells;

static char typed_text[NTYPE][3][16];

static void
typed_texts(void)
{
	static const char *const words[] = { "ab", "ba", "cab", "a", "bc",
		"abc", "cc", "b" };
	uint32_t id;

	for (id = 0; id < NTYPE; id++) {
		snprintf(typed_text[id][0], 16, "%s",
		    words[(id * 2654435761u >> 7) % 8]);
		snprintf(typed_text[id][1], 16, "%u", id * 7 % 1000);
		snprintf(typed_text[id][2], 16, "T%u:%u", id % 13, id % 7);
	}
}

static const char *
typed_cell(void *ctx, uint32_t id, int col, struct buf *scratch, size_t *len)
{
	(void)ctx;
	(void)scratch;
	digit_cells += col == 1;
	*len = strlen(typed_text[id][col]);
	return typed_text[id][col];
}

static const struct tview_ops typed_ops = { typed_cell, sort, NULL, NULL, NULL, NULL };

/* The independent matcher of a filter: every word found in some cell
 * of the row by has(), a !word in none. */
static int
oracle_passes(uint32_t id, const char *filter,
    int (*has)(uint32_t id, const char *word))
{
	char word[64];
	const char *p = filter;
	int neg;
	size_t n;

	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return 1;
		n = strcspn(p, " ");
		neg = p[0] == '!' && n > 1;
		snprintf(word, sizeof word, "%.*s", (int)(n - neg), p + neg);
		p += n;
		if (has(id, word) == neg)
			return 0;
	}
}

static int
typed_has(uint32_t id, const char *word)
{
	int c;

	for (c = 0; c < 3; c++)
		if (strcasestr(typed_text[id][c], word) != NULL)
			return 1;
	return 0;
}

START_TEST(test_filter_typing_and_backspace)
{
	static struct tview_col cols[3];
	static const char keys[] = "abcT t0123!: ";
	struct tview tv;
	uint32_t *ids = xmalloc(NTYPE * sizeof *ids);
	char filter[16] = "";
	size_t i, k, n, len = 0;
	unsigned seed = 7;
	int step;

	typed_texts();
	memset(cols, 0, sizeof cols);
	cols[0].name = "word";
	cols[1].name = "num";
	cols[1].chars = "0123456789";
	cols[2].name = "t";
	cols[2].chars = "T:0123456789";
	for (i = 0; i < NTYPE; i++)
		ids[i] = (uint32_t)(NTYPE - 1 - i);
	tview_init(&tv, &typed_ops, NULL, cols, 3, NTYPE, 0);
	tview_set_rows(&tv, ids, NTYPE);
	for (step = 0; step < 160; step++) {
		seed = seed * 1103515245u + 12345u;
		if (len > 0 && ((seed >> 16) % 5 < 2 || len == 8))
			filter[--len] = '\0';
		else {
			filter[len++] = keys[(seed >> 8) % (sizeof keys - 1)];
			filter[len] = '\0';
		}
		digit_cells = 0;
		tview_set_filter(&tv, filter);
		for (i = n = 0; i < NTYPE; i++)
			if (oracle_passes(ids[i], filter, typed_has)) {
				ck_assert_msg(n < tv.p.n, "filter \"%s\": too few rows",
				    filter);
				ck_assert_msg(tv.vis[n] == ids[i],
				    "filter \"%s\": row %zu differs", filter, n);
				n++;
			}
		ck_assert_msg(n == tv.p.n, "filter \"%s\": %zu rows, want %zu",
		    filter, tv.p.n, n);
		/* Only letters and spaces (no digit, no '!'): the digits'
		 * column is never asked. */
		for (k = 0; k < len && strchr("abcTt ", filter[k]); k++)
			;
		if (k == len && strspn(filter, " ") < len)
			ck_assert_msg(digit_cells == 0, "filter \"%s\" made %lu "
			    "cells of digits", filter, digit_cells);
	}
	tview_free(&tv);
	free(ids);
}
END_TEST


/* Times and counts matched through their digits (ops->cell_digits), on
 * two threads (more rows than one thread judges alone), as they would be
 * in their text: after every random keystroke of a filter, and for each
 * random search, the rows are those an independent matcher finds in the
 * text strftime makes of the same seconds. A time column's text is never
 * made for a row whose digits are given; an empty time, a year past 9999
 * and a count of 17 digits are read as text. */
#define NDIG 70000
#define DCOLS 4
static char (*dig_text)[DCOLS][24];
static int64_t (*dig_ticks)[2];
static uint64_t *dig_count;
static unsigned long dig_text_made;	/* text of a cell with digits */

static void
dig_rows(void)
{
	uint32_t id;
	int k;

	dig_text = xcalloc(NDIG, sizeof *dig_text);
	dig_ticks = xcalloc(NDIG, sizeof *dig_ticks);
	dig_count = xcalloc(NDIG, sizeof *dig_count);
	for (id = 0; id < NDIG; id++) {
		snprintf(dig_text[id][0], 24, "w%u", id % 97);
		for (k = 0; k < 2; k++) {
			/* 2024-12-25 to 2025-03-14, down to the second. */
			time_t t = 1735084800 + (time_t)((id * 2654435761u +
			    (unsigned)k * 40503u) % 6912000u);
			struct tm tm;

			if (id % 1000 == 5 + (unsigned)k) {
				dig_ticks[id][k] = TS_NONE;
				continue;
			}
			if (id % 1000 == 9) {
				/* text_time's text of a year past 9999 */
				t = 253402300800 + 86400 * 40 + 3723;
				dig_ticks[id][k] = TS_UNIX_EPOCH +
				    (int64_t)t * TS_TICKS_PER_SEC;
				snprintf(dig_text[id][1 + 2 * k], 24,
				    "10000-02-10T01:02:0");
				continue;
			}
			dig_ticks[id][k] = TS_UNIX_EPOCH + (int64_t)t *
			    TS_TICKS_PER_SEC + id % 7;
			gmtime_r(&t, &tm);
			strftime(dig_text[id][1 + 2 * k], 24, "%Y-%m-%d %H:%M:%S",
			    &tm);
		}
		dig_count[id] = id % 500 == 3 ? 12345678901234567ull :
		    (uint64_t)(id * 7919u % 100003u);
		snprintf(dig_text[id][2], 24, "%llu",
		    (unsigned long long)dig_count[id]);
	}
}

static const char *
dig_cell(void *ctx, uint32_t id, int col, struct buf *scratch, size_t *len)
{
	(void)ctx;
	(void)scratch;
	if ((col == 1 && tview_time_digits(dig_ticks[id][0]) != TVIEW_NO_DIGITS) ||
	    (col == 3 && tview_time_digits(dig_ticks[id][1]) != TVIEW_NO_DIGITS) ||
	    (col == 2 && dig_count[id] < 10000000000000000ull))
		__atomic_add_fetch(&dig_text_made, 1, __ATOMIC_RELAXED);
	*len = strlen(dig_text[id][col]);
	return dig_text[id][col];
}

static int
dig_digits(void *ctx, uint32_t id, int col, uint64_t *digits, int *ndigits)
{
	const char *t = dig_text[id][col];
	uint64_t d = 0;
	size_t i;

	(void)ctx;
	if (col == 1 || col == 3) {
		*digits = tview_time_digits(dig_ticks[id][col == 3]);
		*ndigits = 14;
		return *digits != TVIEW_NO_DIGITS;
	}
	if (col != 2 || strlen(t) > 16)
		return 0;
	for (i = 0; t[i]; i++)
		d = d << 4 | (uint64_t)(t[i] - '0');
	*digits = d;
	*ndigits = (int)i;
	return 1;
}

static const struct tview_ops dig_ops = { dig_cell, sort, NULL, NULL, NULL,
	dig_digits };

static int
dig_has(uint32_t id, const char *word)
{
	int c;

	for (c = 0; c < DCOLS; c++)
		if (strcasestr(dig_text[id][c], word) != NULL)
			return 1;
	return 0;
}

START_TEST(test_digits_filter_and_search)
{
	static struct tview_col cols[DCOLS];
	static const char keys[] = "0123456789-: 2025-03-1 1:0!T";
	struct tview tv;
	uint32_t *ids = xmalloc(NDIG * sizeof *ids);
	char text[24] = "";
	size_t i, n, len = 0, which, want;
	unsigned seed = 11;
	int step;

	dig_rows();
	memset(cols, 0, sizeof cols);
	cols[0].name = "word";
	cols[1].name = "first";
	cols[1].time = 1;
	cols[1].chars = tview_cell_chars(TVIEW_CELLS_TIME);
	cols[2].name = "count";
	cols[2].digits = 1;
	cols[2].chars = tview_cell_chars(TVIEW_CELLS_DIGITS);
	cols[3].name = "last";
	cols[3].time = 1;
	cols[3].chars = tview_cell_chars(TVIEW_CELLS_TIME);
	for (i = 0; i < NDIG; i++)
		ids[i] = (uint32_t)(NDIG - 1 - i);
	tview_init(&tv, &dig_ops, NULL, cols, DCOLS, NDIG, 0);
	tv.threads = 1;
	tview_set_rows(&tv, ids, NDIG);
	dig_text_made = 0;
	for (step = 0; step < 50; step++) {
		seed = seed * 1103515245u + 12345u;
		if (len > 0 && ((seed >> 16) % 5 < 2 || len == 12))
			text[--len] = '\0';
		else {
			text[len++] = keys[(seed >> 8) % (sizeof keys - 1)];
			text[len] = '\0';
		}
		tview_set_filter(&tv, text);
		for (i = n = 0; i < NDIG; i++)
			if (oracle_passes(ids[i], text, dig_has)) {
				ck_assert_msg(n < tv.p.n && tv.vis[n] == ids[i],
				    "filter \"%s\": row %zu differs", text, n);
				n++;
			}
		ck_assert_msg(n == tv.p.n, "filter \"%s\": %zu rows, want %zu",
		    text, tv.p.n, n);
	}
	tview_set_filter(&tv, NULL);
	/* Searches: words of the same keys, spaces inside. */
	for (step = 0; step < 20; step++) {
		seed = seed * 1103515245u + 12345u;
		len = 1 + (seed >> 8) % 10;
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			text[i] = keys[(seed >> 8) % (sizeof keys - 1)];
		}
		text[len] = '\0';
		search_clear(&tv.find);
		tv.find.text = xstrdup(text);
		tv.p.cur = 0;
		for (i = want = 0; i < NDIG; i++)
			want += dig_has(ids[i], text);
		ck_assert_msg(search_count(&tv.find, &which) == want,
		    "search \"%s\": want %zu", text, want);
		if (want > 0) {
			ck_assert_int_eq(search_move(&tv.find, 1, 1), 1);
			for (i = 0; !dig_has(ids[i], text); i++)
				;
			ck_assert_msg(tv.p.cur == i, "search \"%s\": at %zu, want "
			    "%zu", text, tv.p.cur, i);
		}
	}
	ck_assert_msg(dig_text_made == 0, "%lu cells with digits made as text",
	    dig_text_made);
	tview_free(&tv);
	free(ids);
	free(dig_text);
	free(dig_ticks);
	free(dig_count);
}
END_TEST

/* A time's digits and their text, against strftime. */
START_TEST(test_time_digits)
{
	static const time_t secs[] = { 0, 1, 951782400, 1743206399,
		253402300799 };
	char want[32], got[20];
	struct tm tm;
	size_t i;

	for (i = 0; i < sizeof secs / sizeof *secs; i++) {
		uint64_t d = tview_time_digits(TS_UNIX_EPOCH +
		    (int64_t)secs[i] * TS_TICKS_PER_SEC + 9999999);

		gmtime_r(&secs[i], &tm);
		strftime(want, sizeof want, "%Y-%m-%d %H:%M:%S", &tm);
		tview_digits_time(d, got);
		got[19] = '\0';
		ck_assert_str_eq(got, want);
	}
	ck_assert(tview_time_digits(TS_NONE) == TVIEW_NO_DIGITS);
	ck_assert(tview_time_digits(-1) == TVIEW_NO_DIGITS);
	ck_assert(tview_time_digits(TS_UNIX_EPOCH + 253402300800 *
	    TS_TICKS_PER_SEC) == TVIEW_NO_DIGITS);
	/* 0001-01-01 00:00:00, the first tick. */
	ck_assert(tview_time_digits(0) == 0x00010101000000ull);
}
END_TEST

static Suite *
tview_suite(void)
{
	Suite *s = suite_create("tview");
	TCase *tc = tcase_create("tview");

	tcase_add_test(tc, test_filter_sees_every_column);
	tcase_add_test(tc, test_search_sees_every_column);
	tcase_add_test(tc, test_layout_and_click_every_column);
	tcase_add_test(tc, test_search_wraps);
	tcase_add_test(tc, test_search_messages);
	tcase_add_test(tc, test_long_list_filter_and_search);
	tcase_add_test(tc, test_search_typing_more_short_list);
	tcase_add_test(tc, test_filter_typing_and_backspace);
	tcase_add_test(tc, test_digits_filter_and_search);
	/* 70,000 rows judged against an independent matcher, on a loaded
	 * machine too. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_time_digits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(tview_suite());
}
