#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rawevent.h"
#include "enrichview.h"
#include "screens.h"
#include "search.h"
#include "term.h"

/* Every column of one event (or the cells of a row, detail_cells_new),
 * the values wrapped to the screen's width. */
struct detail {
	struct screen s;
	uint32_t ev;		/* UINT32_MAX: not an event */
	uint32_t group;		/* the group it was opened from */
	char *where;		/* "file:line", or the title */
	char **name, **value;	/* prepared */
	size_t n;
	char *error;
	int namew;		/* the longest name */
	int shownw;		/* the name column as drawn */
	/* Display lines for the current width: field, byte offset, length. */
	struct dline {
		size_t field, off, len;
	} *lines;
	size_t nlines, caplines;
	int wrapw;
	size_t focus;		/* the field the cursor starts on (first wrap) */
	struct panel p;
	struct search find;
	int body_y;
};

static void
wrap(struct detail *t, int w)
{
	size_t f, off, len, start;
	int used, gw, avail;

	/* Names as wide as the longest, up to half the screen: the values
	 * wrap in the rest. */
	t->shownw = t->namew < w / 2 ? t->namew : w / 2;
	if (t->shownw < 8)
		t->shownw = t->namew < 8 ? t->namew : 8;
	avail = w - t->shownw - 2;
	if (avail < 8)
		avail = 8;
	t->nlines = 0;
	t->wrapw = w;
	for (f = 0; f < t->n; f++) {
		const char *v = t->value[f];
		size_t n = strlen(v);

		off = 0;
		do {
			start = off;
			used = 0;
			while (off < n) {
				len = text_glyph(v + off, n - off, &gw);
				if (used + gw > avail)
					break;
				used += gw;
				off += len;
			}
			t->lines = xgrow(t->lines, &t->caplines, t->nlines + 1,
			    sizeof *t->lines);
			t->lines[t->nlines].field = f;
			t->lines[t->nlines].off = start;
			t->lines[t->nlines].len = off - start;
			t->nlines++;
		} while (off < n);
	}
	t->p.n = t->nlines;
	for (f = 0; t->focus != 0 && f < t->nlines; f++)
		if (t->lines[f].field == t->focus) {
			t->p.cur = f;
			break;
		}
	t->focus = 0;
}

static void
detail_draw(struct app *app, struct screen *s, int y, int h, int w)
{
	struct detail *t = (struct detail *)s;
	struct line l;
	int r;
	size_t i;

	(void)app;
	if (h <= 0)
		return;
	if (t->wrapw != w)
		wrap(t, w);
	line_begin(&l, y, 0, w, 0, term_attr(UC_TITLE));
	if (t->ev != UINT32_MAX) {
		line_puts(&l, "Event from ");
		line_puts(&l, t->where);
		enrichview_put_event(app, &l, t->ev, t->group);
	} else
		line_puts(&l, t->where);
	if (t->error) {
		l.attr = term_attr(UC_MSG_ERROR);
		line_puts(&l, "  ");
		line_puts(&l, t->error);
	}
	line_end(&l);
	t->body_y = y + 1;
	t->p.height = h - 1 > 0 ? h - 1 : 1;
	panel_fix(&t->p);
	for (r = 0; r < h - 1; r++) {
		const struct dline *dl;

		i = t->p.top + (size_t)r;
		line_begin(&l, y + 1 + r, 0, w, 0,
		    term_attr(i == t->p.cur ? UC_CURSOR : UC_NORMAL));
		if (i < t->nlines) {
			dl = &t->lines[i];
			if (i != t->p.cur)
				l.attr = term_attr(UC_HELP_KEY);
			if (dl->off == 0)
				line_cell(&l, t->name[dl->field], strlen(t->name[dl->field]),
				    t->shownw, 0, NULL, 0);
			else
				line_spaces(&l, t->shownw);
			line_spaces(&l, 2);
			l.attr = term_attr(i == t->p.cur ? UC_CURSOR : UC_NORMAL);
			line_cell(&l, t->value[dl->field] + dl->off, dl->len,
			    text_width(t->value[dl->field] + dl->off, dl->len), 0,
			    t->find.text, term_attr(UC_MATCH));
		}
		l.more_right = 0;
		line_end(&l);
	}
}

/* A display line matches by its part of the value, or, the first line of
 * a column, by the column's name. */
static int
line_matches(void *ctx, size_t i, const char *s, size_t n)
{
	struct detail *t = ctx;
	const struct dline *dl = &t->lines[i];

	return text_find(t->value[dl->field] + dl->off, dl->len, s, n) != NULL ||
	    (dl->off == 0 && text_find(t->name[dl->field],
	    strlen(t->name[dl->field]), s, n) != NULL);
}

static unsigned
detail_action(struct app *app, struct screen *s, enum key_action a, int key)
{
	struct detail *t = (struct detail *)s;

	(void)key;
	switch (a) {
	case KA_BACK:
		return UI_POP;
	case KA_CLEAR:
		return search_forget(&t->find, app) ? UI_HANDLED | UI_REDRAW :
		    UI_IGNORED;
	case KA_SEARCH:
		search_prompt(&t->find, app);
		return UI_HANDLED | UI_REDRAW;
	case KA_NEXT:
	case KA_PREV:
		search_again(&t->find, app, a == KA_NEXT ? 1 : -1);
		return UI_HANDLED | UI_REDRAW;
	default:
		return panel_action(&t->p, a);
	}
}

static unsigned
detail_click(struct app *app, struct screen *s, int y, int x, int dbl)
{
	struct detail *t = (struct detail *)s;

	(void)app;
	(void)x;
	(void)dbl;
	return panel_click(&t->p, y - t->body_y);
}

static struct panel *
detail_panel(struct screen *s)
{
	return &((struct detail *)s)->p;
}

static void
detail_status(struct app *app, struct screen *s, struct buf *b)
{
	struct detail *t = (struct detail *)s;

	(void)app;
	buf_addf(b, "%zu columns", t->n);
	if (t->nlines && t->p.cur < t->nlines)
		buf_addf(b, "  at %zu", t->lines[t->p.cur].field + 1);
}

static void
detail_free(struct app *app, struct screen *s)
{
	struct detail *t = (struct detail *)s;
	size_t i;

	(void)app;
	for (i = 0; i < t->n; i++) {
		free(t->name[i]);
		free(t->value[i]);
	}
	free(t->name);
	free(t->value);
	free(t->lines);
	free(t->where);
	free(t->error);
	search_clear(&t->find);
	free(t);
}

static const struct screen_ops detail_ops = {
	KS_DETAIL, "Event", detail_draw, detail_action, detail_click,
	detail_panel, detail_status, NULL, detail_free,
};

/* The same screen showing a row's cells (V) names itself so. */
static const struct screen_ops cells_ops = {
	KS_DETAIL, "Row", detail_draw, detail_action, detail_click,
	detail_panel, detail_status, NULL, detail_free,
};

static void
set_namew(struct detail *t)
{
	size_t i;
	int w;

	for (i = 0; i < t->n; i++) {
		w = text_width(t->name[i], strlen(t->name[i]));
		if (w > t->namew)
			t->namew = w;
	}
}

struct screen *
detail_cells_new(struct app *app, const char *title, const char *const *names,
    const char *const *values, size_t n, size_t focus)
{
	struct detail *t = xcalloc(1, sizeof *t);
	size_t i;

	(void)app;
	t->s.ops = &cells_ops;
	t->ev = UINT32_MAX;
	t->group = UINT32_MAX;
	search_init(&t->find, SEARCH_TEXT, &t->p, line_matches, t);
	t->where = xstrdup(title);
	t->focus = focus;
	t->n = n;
	t->name = xcalloc(n ? n : 1, sizeof *t->name);
	t->value = xcalloc(n ? n : 1, sizeof *t->value);
	for (i = 0; i < n; i++) {
		t->name[i] = xstrdup(names[i]);
		t->value[i] = xstrdup(values[i]);
	}
	set_namew(t);
	return &t->s;
}

struct screen *
detail_new(struct app *app, uint32_t ev, uint32_t group)
{
	struct detail *t = xcalloc(1, sizeof *t);
	const struct lh_event *e = &app->d->ev[ev];
	const char *path = app->d->files[e->file].path;
	struct rawevent raw;
	struct buf b = { 0 };
	char *cause = NULL;
	size_t i;

	t->s.ops = &detail_ops;
	t->ev = ev;
	t->group = group;
	search_init(&t->find, SEARCH_TEXT, &t->p, line_matches, t);
	text_prepare(&b, path, strlen(path));
	buf_addf(&b, ":%u", e->line);
	t->where = b.p;
	if (rawevent_read_at(app->rr, e, &raw, &cause) != 0) {
		b.p = NULL;
		b.len = b.cap = 0;
		text_prepare(&b, cause, strlen(cause));
		t->error = b.p;
		app_error(app, "%s", cause);
		free(cause);
		return &t->s;
	}
	t->n = raw.n;
	t->name = xcalloc(raw.n ? raw.n : 1, sizeof *t->name);
	t->value = xcalloc(raw.n ? raw.n : 1, sizeof *t->value);
	for (i = 0; i < raw.n; i++) {
		b.p = NULL;
		b.len = b.cap = 0;
		text_prepare(&b, raw.names[i], strlen(raw.names[i]));
		t->name[i] = b.p;
		b.p = NULL;
		b.len = b.cap = 0;
		text_prepare(&b, raw.values[i], raw.lens[i]);
		t->value[i] = b.p;
	}
	set_namew(t);
	rawevent_free(&raw);
	return &t->s;
}
