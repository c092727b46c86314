/* The console's state, the contract between the loop and its screens, and
 * the services every screen calls (app.c): messages, the screen stack,
 * painting, keys, progress. The top (ui.c) creates and frees the struct
 * app; screens get it as an argument and change only what their own
 * functions are for. */
#ifndef LH_UI_APP_H
#define LH_UI_APP_H

#include <stddef.h>

#include "hunt.h"
#include "rawevent.h"
#include "keys.h"
#include "panel.h"
#include "table.h"
#include "text.h"
#include "uiconfig.h"

struct app;
struct enrich_view;
struct screen;
struct triageview;
struct xctl;

struct screen_ops {
	enum key_screen kind;
	const char *name;	/* for the status bar */
	/* Draws the screen into rows [y, y + h) of a w-column terminal. */
	void (*draw)(struct app *, struct screen *, int y, int h, int w);
	/* A key's action; key is the key itself (for 1..9 and such). */
	unsigned (*action)(struct app *, struct screen *, enum key_action, int key);
	/* A click at (y, x) relative to the screen's top; dbl: second click
	 * on the same spot. NULL: clicks are ignored. */
	unsigned (*click)(struct app *, struct screen *, int y, int x, int dbl);
	struct panel *(*panel)(struct screen *);	/* for the wheel */
	/* The middle of the status bar: position, marks, filter. */
	void (*status)(struct app *, struct screen *, struct buf *);
	/* The hunt was re-applied (exclusions changed). */
	void (*changed)(struct app *, struct screen *);
	void (*free)(struct app *, struct screen *);
};

struct screen {
	const struct screen_ops *ops;
};

#define APP_MAX_DEPTH 8

/* A line of the exclusions screen by name (category, and the rule's kind
 * and text), so it is found again after rules were added or removed. */
struct excl_place {
	char *cat;		/* NULL: no line */
	int kind;
	char *text;		/* NULL: the category's own line */
	size_t pos, top;	/* the line's index and the first line shown */
	int height;
};

struct app {
	const struct ui_config *cfg;
	struct table_data *d;
	struct rawevent_reader *rr;	/* raw rows for drill-down and export */
	struct hunt h;
	struct strcache sc;	/* prepared text of interned strings */
	struct xctl *x;		/* exclusions; NULL when there are none */
	struct enrich_view *ev;	/* the enrichment's columns, or NULL */
	struct triageview *tri;	/* the triage ledger; NULL without one */
	struct screen *stack[APP_MAX_DEPTH];
	int depth;
	struct buf msg;		/* the message line */
	int msg_error;
	int prompting;		/* a prompt owns the message line: the
				 * message shows in the status bar */
	char **warnings;	/* from loading */
	size_t nwarnings;
	unsigned out_flags;	/* OUT_NEUTRALISE or 0, for CSV exports */
	struct {		/* the last click, to tell a double click */
		double time;
		int y, x;	/* -1: none yet */
	} click;
	int exit_status;
	double load_seconds;
	/* Where the exclusions screen was left, for the next visit: owned
	 * by exclview.c (exclview_forget frees it). */
	struct excl_place excl_at;
};

void app_msg(struct app *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_error(struct app *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_clear_msg(struct app *);

void app_push(struct app *, struct screen *);
/* Closes the screen on top, unless it is the last one. */
void app_pop(struct app *);
struct screen *app_top(struct app *);

/* Paints every part of the screen into curses' buffer, without showing
 * it; app_draw also shows it. */
void app_paint(struct app *);
void app_draw(struct app *);
/* The row of the message line (prompts draw there). */
int app_msg_row(void);

/* Waits up to timeout_ms (-1: for ever) for a key. Returns the key (see
 * keys.h), KEY_SIGNAL when a termination signal arrived, KEY_NONE on
 * timeout. Resizes are handled here: the screen is redrawn. */
int app_getkey(struct app *, int timeout_ms);

/* The exclusions changed: the hunt was re-applied; every screen updates. */
void app_changed(struct app *);

/* Progress of a long task on the message line; returns 1 if the user
 * asked to stop (Esc, q, Ctrl-C). Checks the keyboard at most every 100 ms. */
struct busy {
	const char *what;
	double last;
	int cancelled;
};
int app_busy(struct app *, struct busy *, size_t done, size_t total);

double app_now(void);

#endif
