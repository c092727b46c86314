#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "screens.h"
#include "search.h"
#include "term.h"

/* Help, warnings: lines of prepared text to scroll through. */
struct textview {
	struct screen s;
	char *title;
	char *text;
	char **lines;
	size_t *len;
	struct panel p;
	struct search find;
	int body_y;
};

static void
tv_draw(struct app *app, struct screen *s, int y, int h, int w)
{
	struct textview *t = (struct textview *)s;
	struct line l;
	int r;
	size_t i;
	const char *hl = t->find.text;

	(void)app;
	if (h <= 0)
		return;
	text_draw(y, 0, w, t->title, term_attr(UC_TITLE), 1);
	t->body_y = y + 1;
	t->p.height = h - 1 > 0 ? h - 1 : 1;
	panel_fix(&t->p);
	t->p.hmax = 0;
	for (i = 0; i < t->p.n; i++) {
		int lw = text_width(t->lines[i], t->len[i]) - w + 1;
		if (lw > t->p.hmax)
			t->p.hmax = lw;
	}
	for (r = 0; r < h - 1; r++) {
		i = t->p.top + (size_t)r;
		line_begin(&l, y + 1 + r, 0, w, t->p.hscroll,
		    term_attr(i == t->p.cur ? UC_CURSOR : UC_NORMAL));
		if (i < t->p.n) {
			/* Headings (no indent) stand out. */
			if (i != t->p.cur && t->len[i] && t->lines[i][0] != ' ')
				l.attr = term_attr(UC_HELP_KEY);
			line_cell(&l, t->lines[i], t->len[i], text_width(t->lines[i], t->len[i]),
			    0, hl, term_attr(UC_MATCH));
		}
		line_end(&l);
	}
}

static int
line_matches(void *ctx, size_t i, const char *s, size_t n)
{
	struct textview *t = ctx;

	return text_find(t->lines[i], t->len[i], s, n) != NULL;
}

static unsigned
tv_action(struct app *app, struct screen *s, enum key_action a, int key)
{
	struct textview *t = (struct textview *)s;

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
tv_click(struct app *app, struct screen *s, int y, int x, int dbl)
{
	struct textview *t = (struct textview *)s;

	(void)app;
	(void)x;
	(void)dbl;
	return panel_click(&t->p, y - t->body_y);
}

static struct panel *
tv_panel(struct screen *s)
{
	return &((struct textview *)s)->p;
}

static void
tv_status(struct app *app, struct screen *s, struct buf *b)
{
	struct textview *t = (struct textview *)s;

	(void)app;
	buf_addf(b, "line %zu/%zu", t->p.n ? t->p.cur + 1 : 0, t->p.n);
}

static void
tv_free(struct app *app, struct screen *s)
{
	struct textview *t = (struct textview *)s;

	(void)app;
	free(t->title);
	free(t->text);
	free(t->lines);
	free(t->len);
	search_clear(&t->find);
	free(t);
}

static const struct screen_ops textview_ops = {
	KS_TEXT, "Text", tv_draw, tv_action, tv_click, tv_panel, tv_status,
	NULL, tv_free,
};

struct screen *
textview_new(struct app *app, const char *title, const char *text)
{
	struct textview *t = xcalloc(1, sizeof *t);
	size_t cap = 0, n = 0;
	char *p, *nl;

	(void)app;
	t->s.ops = &textview_ops;
	search_init(&t->find, SEARCH_TEXT, &t->p, line_matches, t);
	t->title = xstrdup(title);
	t->text = xstrdup(text);
	for (p = t->text; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		t->lines = xgrow(t->lines, &cap, n + 1, sizeof *t->lines);
		t->lines[n++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
	}
	t->len = xcalloc(n ? n : 1, sizeof *t->len);
	for (cap = 0; cap < n; cap++)
		t->len[cap] = strlen(t->lines[cap]);
	t->p.n = n;
	return &t->s;
}
