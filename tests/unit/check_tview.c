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

#include "app.h"
#include "search.h"
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

static const struct tview_ops ops = { cell, sort, NULL, NULL, NULL };

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

static const struct tview_ops big_ops = { big_cell, sort, NULL, NULL, NULL };

START_TEST(test_long_list_filter_and_search)
{
	static struct tview_col cols[3] = { { "a", 6, 0, 20, 0, 0, 0, 0 },
		{ "b", 6, 0, 20, 0, 0, 0, 0 }, { "c", 6, 0, 20, 0, 0, 0, 0 } };
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

static const struct tview_ops typed_ops = { typed_cell, sort, NULL, NULL, NULL };

static int
typed_row_passes(uint32_t id, const char *filter)
{
	char word[64];
	const char *p = filter;
	int c, neg, found;
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
		for (c = 0, found = 0; c < 3 && !found; c++)
			found = strcasestr(typed_text[id][c], word) != NULL;
		if (found == neg)
			return 0;
	}
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
			if (typed_row_passes(ids[i], filter)) {
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
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(tview_suite());
}
