#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "prompt.h"
#include "term.h"

struct editor {
	struct buf text;
	size_t pos;		/* byte offset, on a character boundary */
	int selected;		/* the text is a suggestion: typing replaces it */
};

static size_t
prev_char(const struct editor *e, size_t pos)
{
	while (pos > 0 && ((unsigned char)e->text.p[--pos] & 0xc0) == 0x80)
		;
	return pos;
}

static size_t
next_char(const struct editor *e, size_t pos)
{
	if (pos < e->text.len)
		pos++;
	while (pos < e->text.len && ((unsigned char)e->text.p[pos] & 0xc0) == 0x80)
		pos++;
	return pos;
}

static void
erase_range(struct editor *e, size_t from, size_t to)
{
	memmove(e->text.p + from, e->text.p + to, e->text.len - to + 1);
	e->text.len -= to - from;
	e->pos = from;
}

static void
insert_cp(struct editor *e, int cp)
{
	char u[4];
	size_t n = utf8_encode(u, (unsigned long)cp);

	buf_add(&e->text, u, n);	/* grow; then move into place */
	memmove(e->text.p + e->pos + n, e->text.p + e->pos, e->text.len - n - e->pos);
	memcpy(e->text.p + e->pos, u, n);
	e->pos += n;
}

/* Draws the label and the text, scrolled so the cursor shows. */
static void
draw_editor(const char *label, const struct editor *e)
{
	struct buf before = { 0 }, all = { 0 };
	int row = app_msg_row(), lw, cw, width = COLS, scroll = 0;
	struct line l;

	text_prepare_plain(&before, e->text.p, e->pos);
	text_prepare_plain(&all, e->text.p, e->text.len);
	lw = text_width(label, strlen(label));
	if (lw > width / 2)
		lw = width / 2;
	cw = text_width(before.p, before.len);
	if (cw - scroll >= width - lw - 1)
		scroll = cw - (width - lw - 1) + 1;
	text_draw(row, 0, lw, label, term_attr(UC_PROMPT), 1);
	/* A suggestion shows selected, as it is in readline's dialogues. */
	line_begin(&l, row, lw, width - lw, scroll,
	    term_attr(e->selected ? UC_CURSOR : UC_NORMAL));
	line_put(&l, all.p, all.len);
	line_end(&l);
	if (lw + cw - scroll < width)
		move(row, lw + cw - scroll);
	buf_free(&before);
	buf_free(&all);
}

/* Replaces the text being edited, the cursor at its end. */
static void
editor_set(struct editor *e, const char *s)
{
	buf_reset(&e->text);
	buf_add(&e->text, s, strlen(s));
	e->pos = e->text.len;
}

/* The line editor; with selected, the initial text is a suggestion that
 * the first character typed replaces (editing keys keep it). Up and Down
 * step through recent[0 .. nrecent) (newest first) and back to what was
 * typed. */
static int
edit_line(struct app *app, const char *label, const char *initial, int selected,
    const char *const *recent, size_t nrecent, prompt_change_fn on_change,
    void *ctx, char **out)
{
	struct editor e = { { 0 }, 0, 0 };
	int key, done = 0, ok = 0;
	size_t at = 0;		/* 0: the typed text; k: recent[k - 1] */
	char *typed = NULL;

	buf_add(&e.text, initial ? initial : "", initial ? strlen(initial) : 0);
	if (e.text.p == NULL)
		buf_add(&e.text, "", 0);
	e.pos = e.text.len;
	e.selected = selected && e.text.len > 0;
	app->prompting++;
	while (!done) {
		app_paint(app);
		draw_editor(label, &e);
		curs_set(1);
		refresh();
		key = app_getkey(app, -1);
		curs_set(0);
		if (e.selected && !(key & KEYF) && key >= 0x20 && key != 0x7f) {
			/* Typing over the suggestion replaces it. */
			e.text.len = e.pos = 0;
			e.text.p[0] = '\0';
		}
		if (key != (KEYF | KEY_RESIZE) && key != KEY_NONE)
			e.selected = 0;
		switch (key) {
		case '\r': case '\n': case KEYF | KEY_ENTER:
			ok = done = 1;
			continue;
		case KEY_ESC: case KEY_CTRL('g'): case KEY_SIGNAL:
			done = 1;
			continue;
		case KEYF | KEY_BACKSPACE: case 127: case KEY_CTRL('h'):
			if (e.pos > 0)
				erase_range(&e, prev_char(&e, e.pos), e.pos);
			else if (e.text.len == 0) {
				done = 1;	/* backspace on nothing cancels */
				continue;
			}
			break;
		case KEYF | KEY_DC: case KEY_CTRL('d'):
			if (e.pos < e.text.len)
				erase_range(&e, e.pos, next_char(&e, e.pos));
			break;
		case KEYF | KEY_LEFT: case KEY_CTRL('b'):
			e.pos = prev_char(&e, e.pos);
			continue;
		case KEYF | KEY_RIGHT: case KEY_CTRL('f'):
			e.pos = next_char(&e, e.pos);
			continue;
		case KEYF | KEY_HOME: case KEY_CTRL('a'):
			e.pos = 0;
			continue;
		case KEYF | KEY_END: case KEY_CTRL('e'):
			e.pos = e.text.len;
			continue;
		case KEY_CTRL('u'):
			erase_range(&e, 0, e.pos);
			break;
		case KEYF | KEY_UP: case KEYF | KEY_DOWN:
			if (nrecent == 0)
				continue;
			if (at == 0) {
				free(typed);
				typed = xstrdup(e.text.p);
			}
			if (key == (KEYF | KEY_UP) && at < nrecent)
				at++;
			else if (key == (KEYF | KEY_DOWN) && at > 0)
				at--;
			editor_set(&e, at == 0 ? typed : recent[at - 1]);
			break;
		case KEY_CTRL('k'):
			e.text.len = e.pos;
			e.text.p[e.pos] = '\0';
			break;
		case KEY_CTRL('w'): {
			size_t p = e.pos;
			while (p > 0 && e.text.p[p - 1] == ' ')
				p--;
			while (p > 0 && e.text.p[p - 1] != ' ')
				p--;
			erase_range(&e, p, e.pos);
			break;
		}
		default:
			/* Printable characters only: nothing the terminal acts on. */
			if ((key & KEYF) || key < 0x20 || key == 0x7f ||
			    (key >= 0x80 && key < 0xa0) || key > 0x10ffff ||
			    (key >= 0xd800 && key <= 0xdfff))
				continue;
			insert_cp(&e, key);
			break;
		}
		if (on_change)
			on_change(app, ctx, e.text.p);
	}
	if (ok)
		*out = xstrdup(e.text.p);
	else if (on_change)
		on_change(app, ctx, initial ? initial : "");
	buf_free(&e.text);
	free(typed);
	app->prompting--;
	app_paint(app);
	return ok;
}

int
prompt_line(struct app *app, const char *label, const char *initial,
    prompt_change_fn on_change, void *ctx, char **out)
{
	return edit_line(app, label, initial, 0, NULL, 0, on_change, ctx, out);
}

int
prompt_suggest(struct app *app, const char *label, const char *suggestion,
    char **out)
{
	return edit_line(app, label, suggestion, 1, NULL, 0, NULL, NULL, out);
}

int
prompt_line_recent(struct app *app, const char *label, const char *initial,
    const char *const *recent, size_t nrecent, char **out)
{
	return edit_line(app, label, initial, 0, recent, nrecent, NULL, NULL, out);
}

int
prompt_choice(struct app *app, const char *question, const char *keys, int dflt)
{
	int key, erred = 0;
	char name[16];

	app->prompting++;
	for (;;) {
		app_paint(app);
		text_draw(app_msg_row(), 0, COLS, question, term_attr(UC_PROMPT), 1);
		refresh();
		key = app_getkey(app, -1);
		if (key == KEY_ESC || key == KEY_SIGNAL || key == KEY_CTRL('g'))
			key = 0;
		else if (dflt && (key == '\r' || key == '\n' || key == (KEYF | KEY_ENTER)))
			key = dflt;
		else if (!(key > 0 && key < 0x80 && strchr(keys, key) != NULL)) {
			/* Never ignored silently: a file name typed before its
			 * question would otherwise pick whatever letter it holds. */
			if (key != (KEYF | KEY_RESIZE) && key != KEY_NONE &&
			    key != (KEYF | KEY_MOUSE)) {
				app_error(app, "%s is not an answer here: press one of "
				    "the letters shown, or Esc", keys_name(key, name));
				erred = 1;
			}
			continue;
		}
		break;
	}
	if (erred)
		app_clear_msg(app);
	app->prompting--;
	return key;
}

long
prompt_menu(struct app *app, const char *title, const char *const *items,
    size_t n, size_t initial)
{
	struct panel p = { 0 };
	int key, w, h, y0, x0, i, tw;
	size_t k;
	enum key_action a;
	struct line l;

	if (n == 0)
		return -1;
	p.n = n;
	p.cur = initial < n ? initial : 0;
	for (;;) {
		app_paint(app);
		tw = text_width(title, strlen(title));
		w = tw + 4;
		for (k = 0; k < n; k++) {
			int iw = text_width(items[k], strlen(items[k])) + 4;
			if (iw > w)
				w = iw;
		}
		if (w > COLS)
			w = COLS;
		h = (int)n + 2;
		if (h > LINES - 1)
			h = LINES - 1;
		if (h < 1)
			h = 1;
		p.height = h - 2 > 0 ? h - 2 : 1;
		panel_fix(&p);
		y0 = (LINES - 1 - h) / 2;
		x0 = (COLS - w) / 2;
		if (y0 < 0)
			y0 = 0;
		if (x0 < 0)
			x0 = 0;
		/* The frame, with the title in its top edge. */
		attrset(term_attr(UC_NORMAL));
		for (i = 0; i < h; i++) {
			text_draw(y0 + i, x0, w, "", term_attr(UC_NORMAL), 1);
			if (w >= 2) {
				mvaddch(y0 + i, x0, (i == 0 || i == h - 1) ? ACS_PLUS : ACS_VLINE);
				mvaddch(y0 + i, x0 + w - 1, (i == 0 || i == h - 1) ? ACS_PLUS : ACS_VLINE);
			}
		}
		if (w > 2) {
			mvhline(y0, x0 + 1, ACS_HLINE, w - 2);
			if (h > 1)
				mvhline(y0 + h - 1, x0 + 1, ACS_HLINE, w - 2);
			mvaddch(y0, x0, ACS_ULCORNER);
			mvaddch(y0, x0 + w - 1, ACS_URCORNER);
			if (h > 1) {
				mvaddch(y0 + h - 1, x0, ACS_LLCORNER);
				mvaddch(y0 + h - 1, x0 + w - 1, ACS_LRCORNER);
			}
		}
		text_draw(y0, x0 + 2, w - 4, title, term_attr(UC_TITLE), 0);
		for (i = 0; i < p.height && p.top + (size_t)i < n && i + 1 < h; i++) {
			k = p.top + (size_t)i;
			line_begin(&l, y0 + 1 + i, x0 + 1, w - 2, 0,
			    term_attr(k == p.cur ? UC_CURSOR : UC_NORMAL));
			line_puts(&l, " ");
			line_puts(&l, items[k]);
			line_end(&l);
		}
		text_draw(app_msg_row(), 0, COLS,
		    "Up/Down choose, Enter accepts, Esc cancels", term_attr(UC_PROMPT), 1);
		refresh();
		key = app_getkey(app, -1);
		if (key == KEY_ESC || key == KEY_SIGNAL || key == 'q')
			return -1;
		if (key == '\r' || key == '\n' || key == (KEYF | KEY_ENTER))
			return (long)p.cur;
		if (key >= '1' && key <= '9' && (size_t)(key - '1') < n)
			return key - '1';
		if (key == (KEYF | KEY_MOUSE)) {
			MEVENT ev;
			if (getmouse(&ev) == OK) {
				int row = ev.y - y0 - 1;
				if ((ev.bstate & BUTTON1_PRESSED) && row >= 0 && row < p.height &&
				    ev.x > x0 && ev.x < x0 + w - 1 && p.top + (size_t)row < n)
					return (long)(p.top + (size_t)row);
				if (ev.bstate & BUTTON4_PRESSED)
					panel_scroll(&p, -3);
#ifdef BUTTON5_PRESSED
				if (ev.bstate & BUTTON5_PRESSED)
					panel_scroll(&p, 3);
#endif
			}
			continue;
		}
		a = keys_lookup(KS_TEXT, key);
		panel_action(&p, a);
	}
}
