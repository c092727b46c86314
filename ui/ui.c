/* The console's top: loads the inputs, runs the hunt, opens the first
 * screen and runs the loop that gives keys and clicks to the screen on top
 * (and the keys every screen shares to itself), until the user quits. */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "enrichview.h"
#include "exclctl.h"
#include "loadview.h"
#include "output.h"
#include "screens.h"
#include "session.h"
#include "term.h"
#include "triageview.h"
#include "ui.h"

static void
show_help(struct app *app)
{
	struct screen *s = app_top(app);
	struct buf text = { 0 };

	keys_help(&text, s->ops->kind);
	/* Where a habit from another tool met a key of this console's own,
	 * what was chosen and why. */
	buf_addf(&text, "\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n",
	    "Keys from other tools, and what was chosen where they clash",
	    "  Esc                clears what was typed (the filter, then the search)"
	    " before it",
	    "                     leaves a screen, so one Esc too many never loses "
	    "a filter",
	    "  q                  back one level, and quits on Results, as in less",
	    "  Ctrl-D Ctrl-U      half pages, as in less and vim",
	    "  F1 F3 F4 F6 F10    as htop's bottom bar: help, search, filter, sort by,"
	    " quit",
	    "  [ ]                sort by the column cursor's column, as in visidata;"
	    " Tab moves",
	    "                     that cursor because Left/Right scroll sideways here"
	    " (cut values",
	    "                     need it); the sort before breaks ties, as with "
	    "1..9, so no order is lost",
	    "  n N                as in vim, they say \"match 3 of 17\" and "
	    "\", wrapped\" past the end");
	buf_addf(&text, "\n%s\n  %s\n  %s\n", "About the text shown",
	    "Log data appears with control characters, invalid UTF-8 and bidi",
	    "overrides as visible escapes (\\x1b, \\u202e); a backslash shows as \\\\.");
	app_push(app, textview_new(app, "logonhunt help: every key, for this "
	    "screen first", text.p));
	buf_free(&text);
}

static void
show_warnings(struct app *app)
{
	struct buf text = { 0 };
	size_t i;

	if (app->nwarnings == 0) {
		app_msg(app, "loading gave no warnings");
		return;
	}
	for (i = 0; i < app->nwarnings; i++) {
		buf_add(&text, "  ", 2);
		/* Warnings quote values already escaped (a backslash of the
		 * data doubled): made safe again, but not escaped twice. */
		text_prepare_plain(&text, app->warnings[i], strlen(app->warnings[i]));
		buf_addc(&text, '\n');
	}
	app_push(app, textview_new(app, "Warnings from loading", text.p));
	buf_free(&text);
}

/* Keys every screen shares, when the screen itself did not take them. */
static unsigned
global_action(struct app *app, enum key_action a)
{
	switch (a) {
	case KA_HELP:
		show_help(app);
		return UI_HANDLED | UI_REDRAW;
	case KA_QUIT:
		return UI_QUIT;
	case KA_BACK:
		return UI_POP;
	case KA_CLEAR:
		/* Nothing typed to clear: Esc goes back, but never out. */
		if (app->depth > 1)
			return UI_POP;
		app_msg(app, "no filter or search to clear; q quits");
		return UI_HANDLED | UI_REDRAW;
	case KA_REDRAW:
		clearok(curscr, TRUE);
		return UI_HANDLED | UI_REDRAW;
	case KA_MOUSE:
		term_set_mouse(!term_mouse());
		app_msg(app, "mouse %s", term_mouse() ? "on: click selects, "
		    "double click opens, the wheel scrolls" : "off");
		return UI_HANDLED | UI_REDRAW;
	case KA_EXCLUSIONS:
		if (app_top(app)->ops->kind != KS_EXCL)
			app_push(app, exclview_new(app));
		return UI_HANDLED | UI_REDRAW;
	case KA_WARNINGS:
		show_warnings(app);
		return UI_HANDLED | UI_REDRAW;
	case KA_NEUTRALISE:
		app->out_flags ^= OUT_NEUTRALISE;
		app_msg(app, "CSV exports: %s", app->out_flags & OUT_NEUTRALISE ?
		    "cells starting with = + - @ get a leading ' (formula "
		    "neutralisation on)" : "cells are written as they are "
		    "(formula neutralisation OFF)");
		return UI_HANDLED | UI_REDRAW;
	default:
		return UI_IGNORED;
	}
}

static unsigned
handle_mouse(struct app *app)
{
	struct screen *s = app_top(app);
	struct panel *p;
	MEVENT ev;
	int dbl;

	if (getmouse(&ev) != OK)
		return UI_IGNORED;
	if (ev.bstate & BUTTON4_PRESSED) {
		if (s->ops->panel && (p = s->ops->panel(s)) != NULL)
			panel_scroll(p, -3);
		return UI_REDRAW;
	}
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED) {
		if (s->ops->panel && (p = s->ops->panel(s)) != NULL)
			panel_scroll(p, 3);
		return UI_REDRAW;
	}
#endif
	if (!(ev.bstate & BUTTON1_PRESSED) || s->ops->click == NULL)
		return UI_IGNORED;
	dbl = ev.y == app->click.y && ev.x == app->click.x &&
	    app_now() - app->click.time < 0.4;
	app->click.time = dbl ? 0 : app_now();
	app->click.y = ev.y;
	app->click.x = ev.x;
	if (ev.y >= (LINES >= 3 ? LINES - 2 : LINES - 1))
		return UI_IGNORED;
	return s->ops->click(app, s, ev.y, ev.x, dbl);
}

static int
run_loop(struct app *app)
{
	struct screen *s;
	enum key_action a;
	unsigned fl;
	char name[16];
	int key, sig;

	for (;;) {
		app_draw(app);
		key = app_getkey(app, -1);
		if (key == KEY_SIGNAL) {
			sig = term_signal_pending();
			term_signal_clear();
			return 128 + sig;
		}
		if (key == (KEYF | KEY_RESIZE) || key == KEY_NONE)
			continue;
		s = app_top(app);
		if (key == (KEYF | KEY_MOUSE)) {
			fl = handle_mouse(app);
		} else {
			app_clear_msg(app);
			a = keys_lookup(s->ops->kind, key);
			if (a == KA_NONE) {
				app_error(app, "%s does nothing here; ? lists the keys",
				    keys_name(key, name));
				continue;
			}
			fl = s->ops->action(app, s, a, key);
			if (fl == UI_IGNORED)
				fl = global_action(app, a);
		}
		if (term_signal_pending())
			continue;
		if (fl & UI_QUIT)
			return 0;
		if (fl & UI_POP)
			app_pop(app);
	}
}

/* The session of these inputs (session.h): its file, and what it held. */
static char *
session_of(struct app *app, struct session *now)
{
	const char **paths = xcalloc(app->cfg->ninputs + 1, sizeof *paths);
	size_t i;
	char *path;

	for (i = 0; i < app->cfg->ninputs; i++)
		paths[i] = app->cfg->inputs[i].path;
	session_init(now, paths, app->cfg->ninputs, app->cfg->excl_path);
	free(paths);
	path = session_path(now);
	return path;
}

/* Puts the results back as they were when these inputs were last closed,
 * unless --fresh. A damaged file is said and left for the quit to replace
 * (its old text kept as FILE~). */
static void
session_restore(struct app *app, const char *path, const struct session *now)
{
	struct session old;
	char *cause = NULL;
	size_t found;
	unsigned lost;
	int rc, nhidden;
	char hid[64] = "";

	if (path == NULL || app->cfg->fresh)
		return;
	rc = session_load(path, &old, &cause);
	if (rc < 0) {
		app_error(app, "the last session is not restored: %s (quitting "
		    "saves a new one and keeps this one as its ~ backup)", cause);
		free(cause);
		return;
	}
	if (rc > 0)
		return;
	if (!session_same_inputs(&old, now)) {
		session_free(&old);
		return;
	}
	lost = session_yield_to_cli(&old, app->cfg->view_given);
	/* Drawn once first, so the list knows its height and the cursor
	 * goes back with the rows above it in view. */
	app_draw(app);
	found = results_session_put(app->stack[0], &old);
	nhidden = results_hidden_count(app->stack[0]);
	if (nhidden > 0)
		snprintf(hid, sizeof hid, "; %d column%s hidden (+ shows %s)",
		    nhidden, nhidden == 1 ? "" : "s", nhidden == 1 ? "it" : "them");
	if (app->msg.len != 0)
		;	/* a problem said already matters more */
	else if (old.nmarks > found)
		app_msg(app, "session restored: %zu of %zu marked groups are "
		    "here%s%s (--fresh starts afresh)", found, old.nmarks,
		    lost & SESSION_CLI_SORT ? "; sort from the command line" : "",
		    hid);
	else if (lost & SESSION_CLI_SORT)
		app_msg(app, "session restored%s; sort from the command line%s "
		    "(--fresh starts afresh)", old.nmarks ?
		    ": marks, filter and cursor" : ": filter and cursor", hid);
	else
		app_msg(app, "session restored%s%s (--fresh starts afresh)",
		    old.nmarks ? ": marks, sort, filter and cursor" :
		    ": sort, filter and cursor", hid);
	session_free(&old);
}

/* Keeps what the results look like for the next session on the inputs.
 * Returns -1 with *cause if it could not. */
static int
session_keep(struct app *app, const char *path, struct session *now,
    char **cause)
{
	if (path == NULL || app->depth == 0)
		return 0;
	results_session_get(app->stack[0], now);
	return session_save(path, now, cause);
}

static void
open_exclusions(struct app *app)
{
	const char *path = app->cfg->excl_path;
	char *cause = NULL;

	if (path == NULL)
		return;
	app->x = xctl_open(path, &cause);
	if (app->x == NULL) {
		app_error(app, "exclusions not used: %s", cause);
		free(cause);
	} else if (app->x->problems) {
		char *nl = strchr(app->x->problems, '\n');
		app_error(app, "%.*s%s (the exclusions file is read-only until it "
		    "is fixed; x shows it)", nl ? (int)(nl - app->x->problems) :
		    (int)strlen(app->x->problems), app->x->problems,
		    nl && nl[1] ? " and more" : "");
	}
}

static void
app_free(struct app *app)
{
	size_t i;

	while (app->depth > 0) {
		struct screen *s = app->stack[--app->depth];
		s->ops->free(app, s);
	}
	exclview_forget(app);
	triageview_free(app->tri);
	xctl_free(app->x);
	enrichview_free(app);
	strcache_free(&app->sc);
	hunt_free(&app->h);
	rawevent_close(app->rr);
	table_data_free(app->d);
	for (i = 0; i < app->nwarnings; i++)
		free(app->warnings[i]);
	free(app->warnings);
	buf_free(&app->msg);
}

int
ui_run(const struct ui_config *cfg)
{
	struct term_opts to;
	struct hunt_opts ho;
	struct app app;
	struct session sess;
	char *cause = NULL, *spath;
	int rc, sig;

	setlocale(LC_ALL, "");
	memset(&app, 0, sizeof app);
	app.cfg = cfg;
	app.click.y = app.click.x = -1;
	app.out_flags = cfg->keep_formulas ? 0 : OUT_NEUTRALISE;
	to.monochrome = cfg->monochrome;
	to.mouse = !cfg->no_mouse;
	if (term_init(&to, &cause) != 0) {
		fprintf(stderr, "logonhunt: %s\n", cause);
		free(cause);
		return 1;
	}
	app.d = table_data_new();
	rc = loadview_run(&app, &cause);
	if (rc != 0) {
		sig = term_signal_pending();
		term_restore();
		if (rc == LOAD_CANCELLED) {
			fprintf(stderr, "logonhunt: loading stopped%s\n",
			    sig ? " by a signal" : "");
			rc = 128 + (sig ? sig : SIGINT);
		} else {
			/* The reason may quote the file: keep it from acting on
			 * the terminal. */
			struct buf b = { 0 };
			text_prepare_plain(&b, cause ? cause : "", cause ? strlen(cause) : 0);
			fprintf(stderr, "logonhunt: %s\n", b.p);
			buf_free(&b);
			rc = 1;
		}
		free(cause);
		app_free(&app);
		return rc;
	}
	text_draw(LINES - 1, 0, COLS, "running the hunt...", term_attr(UC_PROMPT), 1);
	refresh();
	ho = cfg->hunt;
	ho.keys = 1;
	hunt_run(&app.h, app.d, &ho);
	app.rr = rawevent_open(app.d);
	strcache_init(&app.sc, app.d->st);
	open_exclusions(&app);
	if (app.x)
		xctl_apply(app.x, &app.h);
	else
		hunt_apply(&app.h, NULL);
	enrichview_start(&app);
	app.tri = triageview_open(&app);
	app_push(&app, results_new(&app));
	spath = session_of(&app, &sess);
	session_restore(&app, spath, &sess);
	if ((cause = hunt_since_hint(&app.h)) != NULL) {
		app_error(&app, "%s", cause);
		free(cause);
		cause = NULL;
	}
	if (app.msg.len == 0 && app.nwarnings)
		app_msg(&app, "%zu warning%s while loading: w shows them",
		    app.nwarnings, app.nwarnings == 1 ? "" : "s");
	else if (app.msg.len == 0)
		app_msg(&app, "%llu group%s from %llu logon%s%s. ? lists the keys.",
		    (unsigned long long)app.h.f.groups,
		    app.h.f.groups == 1 ? "" : "s",
		    (unsigned long long)app.h.f.events,
		    app.h.f.events == 1 ? "" : "s",
		    app.h.f.removed_excl_groups ? " after the exclusions" : "");
	rc = run_loop(&app);
	term_restore();
	if (session_keep(&app, spath, &sess, &cause) != 0) {
		util_fput_message(stderr, "logonhunt: the session is not kept: ",
		    cause);
		free(cause);
	}
	session_free(&sess);
	free(spath);
	app_free(&app);
	return rc;
}
