/* The services every screen calls: the message line, the screen stack,
 * painting the frame (the top screen, its status bar, the message line),
 * reading keys and showing progress. Nothing here knows which screens
 * exist. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "enrichview.h"
#include "term.h"

double
app_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
set_msg(struct app *app, int error, const char *fmt, va_list ap)
{
	char *s = xvasprintf(fmt, ap);

	buf_reset(&app->msg);
	text_prepare_plain(&app->msg, s, strlen(s));
	app->msg_error = error;
	free(s);
}

void
app_msg(struct app *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_msg(app, 0, fmt, ap);
	va_end(ap);
}

void
app_error(struct app *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_msg(app, 1, fmt, ap);
	va_end(ap);
	beep();
}

void
app_clear_msg(struct app *app)
{
	buf_reset(&app->msg);
	app->msg_error = 0;
}

void
app_push(struct app *app, struct screen *s)
{
	if (s == NULL)
		return;
	if (app->depth == APP_MAX_DEPTH) {
		s->ops->free(app, s);
		app_error(app, "too many screens open: go back first");
		return;
	}
	app->stack[app->depth++] = s;
}

struct screen *
app_top(struct app *app)
{
	return app->depth ? app->stack[app->depth - 1] : NULL;
}

void
app_pop(struct app *app)
{
	struct screen *s;

	if (app->depth <= 1)
		return;
	s = app->stack[--app->depth];
	s->ops->free(app, s);
}

int
app_msg_row(void)
{
	return LINES - 1;
}

static void
draw_status(struct app *app, struct screen *s, int y)
{
	struct buf mid = { 0 };
	struct line l;
	char k1[16], k2[16];
	int right_w;

	if (s->ops->status)
		s->ops->status(app, s, &mid);
	keys_hint(s->ops->kind, KA_HELP, k1);
	keys_hint(s->ops->kind, s->ops->kind == KS_RESULTS ? KA_QUIT : KA_BACK, k2);
	line_begin(&l, y, 0, COLS, 0, term_attr(UC_STATUS_KEY));
	line_putf(&l, " %s ", s->ops->name);
	l.attr = term_attr(UC_STATUS);
	line_puts(&l, " ");
	if (mid.p)
		line_put(&l, mid.p, mid.len);
	/* The key hints on the right, when there is room. */
	right_w = (int)strlen(k2) + 6 + (k1[0] ? (int)strlen(k1) + 7 : 0);
	if (COLS - l.col > right_w + 2) {
		line_spaces(&l, COLS - l.col - right_w);
		if (k1[0]) {
			l.attr = term_attr(UC_STATUS_KEY);
			line_puts(&l, k1);
			l.attr = term_attr(UC_STATUS);
			line_puts(&l, " help  ");
		}
		l.attr = term_attr(UC_STATUS_KEY);
		line_puts(&l, k2);
		l.attr = term_attr(UC_STATUS);
		line_puts(&l, s->ops->kind == KS_RESULTS ? " quit" : " back");
	}
	l.more_right = 0;
	line_end(&l);
	buf_free(&mid);
}

/* htop's bottom line: the function keys of this screen with their labels
 * ("F1Help  F3Search"), on the message line while it has nothing to say.
 * Where that is too wide the keys alone, where even that is, nothing. */
static void
draw_fkey_bar(struct screen *s, int y)
{
	const char *keys[8], *labels[8];
	size_t n = keys_bar(s->ops->kind, keys, labels, 8), i;
	int full = 0, bare = 0, with_labels;
	struct line l;

	for (i = 0; i < n; i++) {
		full += (int)(strlen(keys[i]) + strlen(labels[i])) + 1;
		bare += (int)strlen(keys[i]) + 1;
	}
	if (n == 0 || bare > COLS)
		return;
	with_labels = full <= COLS;
	line_begin(&l, y, 0, COLS, 0, term_attr(UC_MSG_INFO));
	for (i = 0; i < n; i++) {
		l.attr = term_attr(UC_MSG_INFO);
		if (i > 0)
			line_puts(&l, " ");
		line_puts(&l, keys[i]);
		if (with_labels) {
			l.attr = term_attr(UC_STATUS_KEY);
			line_puts(&l, labels[i]);
		}
	}
	l.more_right = 0;
	line_end(&l);
}

void
app_paint(struct app *app)
{
	struct screen *s = app_top(app);
	int body = LINES >= 3 ? LINES - 2 : LINES - 1;

	erase();
	if (s == NULL || LINES < 1 || COLS < 1)
		return;
	if (body > 0)
		s->ops->draw(app, s, 0, body, COLS);
	if (LINES >= 3 && app->prompting && app->msg.len)
		text_draw(LINES - 2, 0, COLS, app->msg.p,
		    term_attr(app->msg_error ? UC_MSG_ERROR : UC_STATUS), 1);
	else if (LINES >= 3)
		draw_status(app, s, LINES - 2);
	text_draw(LINES - 1, 0, COLS, app->msg.p ? app->msg.p : "",
	    term_attr(app->msg_error ? UC_MSG_ERROR : UC_MSG_INFO), 1);
	if (app->msg.len == 0 && !app->prompting && LINES >= 3)
		draw_fkey_bar(s, LINES - 1);
}

void
app_draw(struct app *app)
{
	app_paint(app);
	refresh();
}

int
app_getkey(struct app *app, int timeout_ms)
{
	double end = app_now() + timeout_ms / 1000.0;
	wint_t wc;
	int r, wait;

	(void)app;
	for (;;) {
		if (term_signal_pending())
			return KEY_SIGNAL;
		/* Short waits, so a signal is seen even if the read is
		 * restarted underneath. */
		wait = 200;
		if (timeout_ms >= 0) {
			int left = (int)((end - app_now()) * 1000);
			if (left <= 0)
				left = 0;
			if (left < wait)
				wait = left;
		}
		timeout(wait);
		r = get_wch(&wc);
		if (r == ERR) {
			if (term_signal_pending())
				return KEY_SIGNAL;
			if (timeout_ms >= 0 && app_now() >= end)
				return KEY_NONE;
			continue;
		}
		if (r == KEY_CODE_YES)
			return KEYF | (int)wc;
		return (int)wc;
	}
}

void
app_changed(struct app *app)
{
	int i;

	enrichview_changed(app);
	for (i = 0; i < app->depth; i++)
		if (app->stack[i]->ops->changed)
			app->stack[i]->ops->changed(app, app->stack[i]);
}

int
app_busy(struct app *app, struct busy *b, size_t done, size_t total)
{
	double now = app_now();
	char line[256];
	int key;

	if (b->cancelled)
		return 1;
	if (now - b->last < 0.1)
		return 0;
	b->last = now;
	snprintf(line, sizeof line, "%s %zu of %zu (%d%%)  Esc stops", b->what,
	    done, total, total ? (int)(done * 100 / total) : 100);
	app_paint(app);
	text_draw(app_msg_row(), 0, COLS, line, term_attr(UC_PROMPT), 1);
	refresh();
	while ((key = app_getkey(app, 0)) != KEY_NONE) {
		if (key == KEY_ESC || key == 'q' || key == KEY_SIGNAL ||
		    key == KEY_CTRL('c')) {
			b->cancelled = 1;
			return 1;
		}
	}
	return 0;
}
