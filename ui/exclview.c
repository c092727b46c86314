#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "enrichview.h"
#include "excl_lint.h"
#include "excl_value.h"
#include "exclctl.h"
#include "proposal.h"
#include "prompt.h"
#include "screens.h"
#include "search.h"
#include "term.h"

/* A line of the screen: a category, or one of its rules. */
struct xentry {
	size_t cat;
	long rule;		/* -1: the category line */
};

struct exclview {
	struct screen s;
	struct xctl *x;
	struct xentry *e;
	size_t n, cap;
	struct panel p;
	struct search find;
	int body_y;
};

static void
rebuild(struct exclview *v, struct xctl *x)
{
	size_t c, i, nc = excl_category_count(x->set), nr = excl_rule_count(x->set);

	v->n = 0;
	for (c = 0; c < nc; c++) {
		v->e = xgrow(v->e, &v->cap, v->n + 1, sizeof *v->e);
		v->e[v->n].cat = c;
		v->e[v->n++].rule = -1;
		for (i = 0; i < nr; i++)
			if (excl_rule_category(x->set, i) == c) {
				v->e = xgrow(v->e, &v->cap, v->n + 1, sizeof *v->e);
				v->e[v->n].cat = c;
				v->e[v->n++].rule = (long)i;
			}
	}
	v->p.n = v->n;
	panel_fix(&v->p);
}

static void
spot_save(struct exclview *v, struct xctl *x, struct excl_place *sp)
{
	memset(sp, 0, sizeof *sp);
	sp->pos = v->p.cur;
	sp->top = v->p.top;
	sp->height = v->p.height;
	if (v->n == 0)
		return;
	sp->cat = xstrdup(excl_category_name(x->set, v->e[v->p.cur].cat));
	if (v->e[v->p.cur].rule >= 0) {
		sp->kind = (int)excl_rule_kind(x->set, (size_t)v->e[v->p.cur].rule);
		sp->text = xstrdup(excl_rule_text(x->set, (size_t)v->e[v->p.cur].rule));
	}
}

/* Puts the cursor back on the line saved, by name (else where it was);
 * frees what spot_save kept. */
static void
spot_restore(struct exclview *v, struct xctl *x, struct excl_place *sp)
{
	long c = sp->cat ? excl_category_find(x->set, sp->cat) : -1, r = -2;
	size_t i;

	if (c >= 0 && sp->text)
		r = xctl_find_rule(x, sp->cat, (enum excl_kind)sp->kind, sp->text);
	else if (c >= 0)
		r = -1;
	v->p.cur = sp->pos;
	for (i = 0; i < v->n && r >= -1; i++)
		if ((long)v->e[i].cat == c && v->e[i].rule == r) {
			v->p.cur = i;
			break;
		}
	panel_fix(&v->p);
	free(sp->cat);
	free(sp->text);
	sp->cat = sp->text = NULL;
}

static void
goto_rule(struct exclview *v, long rule)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (v->e[i].rule == rule) {
			v->p.cur = i;
			panel_fix(&v->p);
			return;
		}
}

static struct exclview *
find_view(struct app *app)
{
	int i;

	for (i = app->depth - 1; i >= 0; i--)
		if (app->stack[i]->ops->kind == KS_EXCL)
			return (struct exclview *)app->stack[i];
	return NULL;
}

/* The progress of applying the exclusions, for app_busy. */
struct apply_busy {
	struct app *app;
	struct busy b;
};

static int
apply_busy(void *ctx, size_t done, size_t total)
{
	struct apply_busy *ab = ctx;

	return app_busy(ab->app, &ab->b, done, total);
}

/* xctl_apply, showing its progress when it takes longer than a tenth of
 * a second (a switch over millions of groups); -1 if Esc stopped it. */
static int
apply_or_stop(struct app *app, struct xctl *x)
{
	struct apply_busy ab = { app, { "applying the exclusions: addresses "
		"and accounts asked", 0, 0 } };

	ab.b.last = app_now();
	return xctl_apply_stoppable(x, &app->h, apply_busy, &ab);
}

/* Makes op (or undoes it), re-runs the hunt and saves. When the save
 * fails, asks the question xctl_save reports: reload the file and make
 * the change again, or keep it unsaved. Takes op. Returns 0 if the change
 * was made. */
static int
commit(struct app *app, struct xop *op, int undo)
{
	struct xctl *x = app->x;
	char *cause = NULL;
	struct exclview *v;
	int k;

	if (xctl_change(x, op, undo, &cause) != 0) {
		app_error(app, "%s", cause);
		free(cause);
		return -1;
	}
	/* Show the new results first; the save (fsync) follows. Applying
	 * it to many groups shows its progress, and Esc takes it back. */
	if (apply_or_stop(app, x) != 0) {
		xctl_take_back(x);
		app_error(app, "stopped: the change was not made, the results "
		    "are as they were");
		if ((v = find_view(app)) != NULL)
			rebuild(v, x);
		return -1;
	}
	app_changed(app);
	if ((v = find_view(app)) != NULL)
		rebuild(v, x);
	app_draw(app);
	switch (xctl_save(x, &cause)) {
	case XCTL_SAVED:
		return 0;
	case XCTL_UNSAVABLE:
		app_error(app, "not saved: %s. The change applies until you quit.",
		    cause);
		free(cause);
		return 0;
	case XCTL_ASK_RELOAD:
		break;
	}
	app_error(app, "Not saved: %s", cause);
	free(cause);
	k = prompt_choice(app, "r: reload the file and make this change again, "
	    "k: keep the change unsaved", "rk", 0);
	app_clear_msg(app);
	if (xctl_resolve(x, k == 'r', &cause) != 0) {
		app_error(app, "%s", cause);
		free(cause);
		xctl_apply(x, &app->h);
		app_changed(app);
		return -1;
	}
	if (k == 'r') {
		app_msg(app, "reloaded %s and saved the change", excl_path(x->set));
		xctl_apply(x, &app->h);
		app_changed(app);
	} else
		app_error(app, "the change is not saved; R in the exclusions "
		    "screen reloads the file");
	return 0;
}

static const char *
state_text(struct xctl *x, size_t i, time_t now)
{
	return excl_state_name(excl_rule_state(x->set, i, now));
}

static void
put_prepared(struct line *l, const char *s, int width)
{
	struct buf b = { 0 };

	text_prepare_plain(&b, s, strlen(s));
	if (width > 0)
		line_cell(l, b.p, b.len, width, 0, NULL, 0);
	else
		line_put(l, b.p, b.len);
	buf_free(&b);
}

/* The Groups and Events cells. What something that is off would remove
 * if switched on shows in parentheses, dimmed (unless under the cursor,
 * cursor_attr), so it is never read as what it removes now. */
static void
put_hits(struct line *l, uint64_t groups, uint64_t events, int off,
    attr_t cursor_attr)
{
	attr_t was = l->attr;
	char num[32];
	int n;

	if (off)
		l->attr = cursor_attr ? cursor_attr : term_attr(UC_DIM);
	n = snprintf(num, sizeof num, off ? "(%" PRIu64 ")" : "%" PRIu64, groups);
	line_cell(l, num, (size_t)n, 7, 1, NULL, 0);
	n = snprintf(num, sizeof num, off ? "(%" PRIu64 ")" : "%" PRIu64, events);
	line_cell(l, num, (size_t)n, 9, 1, NULL, 0);
	l->attr = was;
}

/* A category's line matches by its name or description, a rule's by its
 * category's name, its value or its note. */
static int
line_matches(void *ctx, size_t i, const char *s, size_t n)
{
	struct exclview *v = ctx;
	const struct excl_set *set = v->x->set;
	const struct xentry *e = &v->e[i];
	const char *t[3];
	int j;

	t[0] = excl_category_name(set, e->cat);
	t[1] = e->rule >= 0 ? excl_rule_text(set, (size_t)e->rule) : "";
	t[2] = e->rule >= 0 ? excl_rule_note(set, (size_t)e->rule) :
	    (excl_category_description(set, e->cat) ?
	    excl_category_description(set, e->cat) : "");
	for (j = 0; j < 3; j++)
		if (text_find(t[j], strlen(t[j]), s, n))
			return 1;
	return 0;
}

static void
exclview_draw(struct app *app, struct screen *s, int y, int h, int w)
{
	struct exclview *v = (struct exclview *)s;
	struct xctl *x = app->x;
	struct line l;
	struct buf b = { 0 };
	time_t now = time(NULL);
	uint64_t groups, events;
	int r, namew = 34, head = 0, widest = 0;
	size_t i, k;
	char date[11];

	if (h <= 0)
		return;
	rebuild(v, x);
	xctl_off_hits(x, &app->h);
	if (h >= 6) {
		line_begin(&l, y + head++, 0, w, 0, term_attr(UC_TITLE));
		line_puts(&l, "Exclusions  ");
		put_prepared(&l, excl_path(x->set), 0);
		if (x->problems) {
			l.attr = term_attr(UC_MSG_ERROR);
			line_puts(&l, "  read-only: the file has lines that could not be read");
		} else if (x->unsaved) {
			l.attr = term_attr(UC_MSG_ERROR);
			line_puts(&l, "  unsaved changes");
		}
		line_end(&l);
		line_begin(&l, y + head++, 0, w, 0, term_attr(UC_FUNNEL));
		line_putf(&l, "%zu rules in %zu categories remove %" PRIu64 " events in %"
		    PRIu64 " groups; (n): what is off would remove if switched on.  "
		    "Space switches, a adds, e edits, d deletes, u undoes.",
		    excl_rule_count(x->set), excl_category_count(x->set),
		    app->h.f.removed_excl_events, app->h.f.removed_excl_groups);
		line_end(&l);
		if (x->problems && h >= 10) {
			/* The first problem, so the user knows what to fix. */
			const char *nl = strchr(x->problems, '\n');
			buf_reset(&b);
			text_prepare_plain(&b, x->problems, nl ? (size_t)(nl - x->problems) :
			    strlen(x->problems));
			text_draw(y + head++, 0, w, b.p, term_attr(UC_MSG_ERROR), 1);
		}
	}
	if (h - head >= 2) {
		line_begin(&l, y + head++, 0, w, v->p.hscroll, term_attr(UC_COLHEAD));
		line_cell(&l, "On", 2, 4, 0, NULL, 0);
		line_cell(&l, "Category / rule", 15, namew + 1, 0, NULL, 0);
		line_cell(&l, "Until", 5, 12, 0, NULL, 0);
		line_cell(&l, "State", 5, 13, 0, NULL, 0);
		line_cell(&l, "Groups", 6, 7, 1, NULL, 0);
		line_cell(&l, "Events", 6, 9, 1, NULL, 0);
		line_puts(&l, "  Note");
		l.more_right = 0;
		line_end(&l);
	}
	v->body_y = y + head;
	v->p.height = h - head > 0 ? h - head : 1;
	panel_fix(&v->p);
	for (r = 0; r < h - head; r++) {
		attr_t base;

		i = v->p.top + (size_t)r;
		line_begin(&l, y + head + r, 0, w, v->p.hscroll, term_attr(UC_NORMAL));
		if (i >= v->n) {
			line_end(&l);
			continue;
		}
		if (v->e[i].rule < 0) {
			size_t c = v->e[i].cat;
			int on = excl_category_enabled(x->set, c);

			base = term_attr(i == v->p.cur ? UC_CURSOR : UC_NORMAL);
			l.attr = i == v->p.cur ? base : term_attr(on ? UC_CAT_ON : UC_CAT_OFF);
			line_cell(&l, on ? "[x]" : "[ ]", 3, 4, 0, NULL, 0);
			l.attr = i == v->p.cur ? base : term_attr(UC_TITLE);
			buf_reset(&b);
			text_prepare_plain(&b, excl_category_name(x->set, c),
			    strlen(excl_category_name(x->set, c)));
			k = excl_category_rule_count(x->set, c);
			buf_addf(&b, "  (%zu rule%s)", k, k == 1 ? "" : "s");
			line_cell(&l, b.p, b.len, namew, 0, NULL, 0);
			l.attr = base;
			line_cell(&l, "", 0, 13, 0, NULL, 0);
			line_cell(&l, on ? "on" : "off", on ? 2 : 3, 13, 0, NULL, 0);
			if (on)
				xctl_category_hits(x, &app->h, c, &groups, &events);
			else {
				groups = x->offcat_groups[c];
				events = x->offcat_events[c];
			}
			put_hits(&l, groups, events, !on, i == v->p.cur ? base : 0);
			line_puts(&l, "  ");
			l.attr = i == v->p.cur ? base : term_attr(UC_DIM);
			put_prepared(&l, excl_category_description(x->set, c) ?
			    excl_category_description(x->set, c) : "", 0);
		} else {
			size_t ri = (size_t)v->e[i].rule;
			enum excl_state st = excl_rule_state(x->set, ri, now);
			int on = excl_rule_enabled(x->set, ri);
			time_t until = excl_rule_until(x->set, ri);

			base = term_attr(i == v->p.cur ? UC_CURSOR :
			    st == EXCL_ACTIVE ? UC_NORMAL : UC_RULE_OFF);
			l.attr = base;
			line_cell(&l, "", 0, 4, 0, NULL, 0);
			buf_reset(&b);
			buf_addf(&b, "%s %-7s ", on ? "[x]" : "[ ]",
			    excl_kind_name(excl_rule_kind(x->set, ri)));
			text_prepare_plain(&b, excl_rule_text(x->set, ri),
			    strlen(excl_rule_text(x->set, ri)));
			line_cell(&l, b.p, b.len, namew, 0, NULL, 0);
			line_spaces(&l, 1);
			if (until) {
				excl_date_format(until, date);
				line_cell(&l, date, strlen(date), 12, 0, NULL, 0);
			} else
				line_cell(&l, "never", 5, 12, 0, NULL, 0);
			line_cell(&l, state_text(x, ri, now), strlen(state_text(x, ri, now)),
			    13, 0, NULL, 0);
			if (st == EXCL_DISABLED || st == EXCL_CATEGORY_OFF)
				put_hits(&l, x->off_groups[ri], x->off_events[ri], 1,
				    i == v->p.cur ? base : 0);
			else
				put_hits(&l, ri < app->h.nrules ? app->h.rule_groups[ri] : 0,
				    ri < app->h.nrules ? app->h.rule_events[ri] : 0, 0, 0);
			l.attr = base;
			line_puts(&l, "  ");
			buf_reset(&b);
			text_prepare_plain(&b, excl_rule_note(x->set, ri),
			    strlen(excl_rule_note(x->set, ri)));
			line_put(&l, b.p, b.len);
		}
		if (l.col > widest)
			widest = l.col;
		line_end(&l);
	}
	/* Right scrolls until the longest note on screen shows whole. */
	v->p.hmax = widest - w > 0 ? widest - w : 1;
	buf_free(&b);
}

/* One answer's check: 0, or -1 and *cause. */
typedef int (*answer_check_fn)(void *ctx, const char *text, char **cause);

/* Asks until check accepts the answer: again and again with the text as
 * typed and the reason shown, so each field is checked as it is entered.
 * 0 and *out, or -1 if the user gave up (Esc). */
static int
ask_checked(struct app *app, const char *label, const char *initial,
    answer_check_fn check, void *ctx, char **out)
{
	char *in = initial ? xstrdup(initial) : NULL, *text, *cause = NULL;

	for (;;) {
		if (!prompt_line(app, label, in, NULL, NULL, &text)) {
			free(in);
			return -1;
		}
		free(in);
		in = text;
		if (check(ctx, in, &cause) == 0) {
			app_clear_msg(app);
			*out = in;
			return 0;
		}
		app_error(app, "%s", cause);
		free(cause);
		cause = NULL;
	}
}

struct rule_answer {
	enum excl_kind kind;
	char *text;
};

static int
check_rule(void *ctx, const char *text, char **cause)
{
	struct rule_answer *ra = ctx;

	return excl_rule_parse_spec(text, &ra->kind, &ra->text, cause);
}

/* Reads a rule value ("ip:..", "account:..", an address, DOMAIN\name). */
static int
ask_rule(struct app *app, const char *label, const char *initial,
    enum excl_kind *kind, char **text)
{
	struct rule_answer ra = { EXCL_IP, NULL };
	char *typed;

	if (ask_checked(app, label, initial, check_rule, &ra, &typed) != 0)
		return -1;
	free(typed);
	*kind = ra.kind;
	*text = ra.text;
	return 0;
}

/* A note or a description: what the file can hold on one line. */
static int
check_note(void *ctx, const char *text, char **cause)
{
	char *clean = excl_note_clean(text, cause);

	(void)ctx;
	free(clean);
	return clean != NULL ? 0 : -1;
}

static int
ask_note(struct app *app, const char *label, const char *initial, char **out)
{
	return ask_checked(app, label, initial ? initial : "", check_note, NULL, out);
}

static int
check_until(void *ctx, const char *text, char **cause)
{
	time_t *until = ctx;

	if (text[0] == '\0') {
		*until = 0;
		return 0;
	}
	return excl_date_parse(text, until, cause);
}

/* Reads an expiry date; *until 0 for none. */
static int
ask_until(struct app *app, time_t current, time_t *until)
{
	char date[11] = "", *typed;

	if (current)
		excl_date_format(current, date);
	if (ask_checked(app, "Expires after (YYYY-MM-DD, empty: never): ", date,
	    check_until, until, &typed) != 0)
		return -1;
	free(typed);
	return 0;
}

/* What lint says about a rule before it is added (the command line warns
 * the same way), or NULL. */
static char *
lint_warning(struct xctl *x, enum excl_kind kind, const char *text,
    time_t until)
{
	struct excl_lint *f;
	size_t n = excl_lint_candidate(x->set, kind, text, until, time(NULL), &f);
	char *w = NULL;

	if (n > 0)
		w = xasprintf("warning: it %s: %s%s", f[0].kind ==
		    EXCL_LINT_SHADOWED ? "is shadowed" :
		    excl_lint_kind_name(f[0].kind), f[0].why, n > 1 ?
		    " (and more: exclusions lint lists all)" : "");
	excl_lint_free(f, n);
	return w;
}

static char *
spec_of(struct xctl *x, size_t i)
{
	return xasprintf("%s:%s", excl_kind_name(excl_rule_kind(x->set, i)),
	    excl_rule_text(x->set, i));
}

static void
add_rule(struct app *app, struct exclview *v, size_t cat)
{
	struct xctl *x = app->x;
	struct xop *op;
	char *label, *text, *note, *warn;
	enum excl_kind kind;
	time_t until;

	label = xasprintf("New rule in [%s]: ", excl_category_name(x->set, cat));
	app_msg(app, "an address or CIDR (ip), DOMAIN\\name (account), or a value "
	    "after ip:, account: or device:; '*' is a wildcard in names");
	if (ask_rule(app, label, NULL, &kind, &text) != 0) {
		free(label);
		return;
	}
	free(label);
	app_msg(app, "a note for whoever reads the rule later (may be empty)");
	if (ask_note(app, "Note (why it is known-good): ", "", &note) != 0) {
		free(text);
		return;
	}
	app_clear_msg(app);
	if (ask_until(app, 0, &until) != 0) {
		free(text);
		free(note);
		return;
	}
	op = xop_add_rule(excl_category_name(x->set, cat), kind, text, note, until);
	free(note);
	app_clear_msg(app);
	warn = lint_warning(x, kind, text, until);
	if (commit(app, op, 0) == 0) {
		long r = xctl_find_rule(x, excl_category_name(x->set, cat), kind, text);
		rebuild(v, x);
		goto_rule(v, r);
		if (r >= 0 && app->msg.len == 0 && warn != NULL)
			app_error(app, "added, but %s. u undoes", warn);
		else if (r >= 0 && app->msg.len == 0)
			app_msg(app, "added; it removes %" PRIu64 " groups (%" PRIu64
			    " events). u undoes", app->h.rule_groups[r], app->h.rule_events[r]);
	}
	free(warn);
	free(text);
}

static int
check_category_name(void *ctx, const char *text, char **cause)
{
	return excl_category_name_check(ctx, text, cause);
}

/* Asks for a new category's name and description, each checked as soon
 * as it is typed (the name's form and that it is free, before the
 * description is asked) and asked again with the reason: the operation
 * that adds it, or NULL if the user cancelled. */
static struct xop *
ask_category(struct app *app)
{
	struct xop *op;
	char *name, *desc;

	if (ask_checked(app, "New category name ([a-z0-9_-]): ", NULL,
	    check_category_name, app->x->set, &name) != 0)
		return NULL;
	if (ask_note(app, "Description (one line, optional): ", "", &desc) != 0) {
		free(name);
		return NULL;
	}
	op = xop_add_category(name, desc);
	free(name);
	free(desc);
	return op;
}

static void
add_category(struct app *app, struct exclview *v)
{
	struct xop *op = ask_category(app);

	(void)v;
	if (op != NULL && commit(app, op, 0) == 0)
		app_msg(app, "category added; a adds rules to it, u undoes");
}

static unsigned
exclview_action(struct app *app, struct screen *s, enum key_action a, int key)
{
	struct exclview *v = (struct exclview *)s;
	struct xctl *x = app->x;
	struct xentry *cur = v->n ? &v->e[v->p.cur] : NULL;
	struct xop *op;
	struct excl_place sp;
	char *spec, *text, *cause = NULL;
	enum excl_kind kind;
	time_t until;
	int k;

	(void)key;
	switch (a) {
	case KA_BACK:
		return UI_POP;
	case KA_TOGGLE:
		if (cur == NULL)
			return UI_HANDLED;
		if (cur->rule < 0)
			op = xop_toggle_category(x, cur->cat);
		else {
			op = xop_for_rule(x, XOP_RULE_ENABLE, (size_t)cur->rule);
			op->on = !op->oon;
		}
		spot_save(v, x, &sp);
		k = op->on;
		app_clear_msg(app);
		if (commit(app, op, 0) == 0 && !x->unsaved && app->msg.len == 0)
			app_msg(app, "switched %s: now %" PRIu64 " groups shown",
			    k ? "on" : "off", app->h.f.groups);
		rebuild(v, x);
		spot_restore(v, x, &sp);
		return UI_HANDLED | UI_REDRAW;
	case KA_ADD:
		if (cur != NULL)
			add_rule(app, v, cur->cat);
		return UI_HANDLED | UI_REDRAW;
	case KA_ADD_CATEGORY:
		add_category(app, v);
		return UI_HANDLED | UI_REDRAW;
	case KA_EDIT:
	case KA_NOTE:
	case KA_UNTIL:
	case KA_DELETE:
		if (cur == NULL || cur->rule < 0) {
			app_error(app, "put the cursor on a rule first");
			return UI_HANDLED | UI_REDRAW;
		}
		op = xop_for_rule(x, a == KA_EDIT ? XOP_EDIT : a == KA_NOTE ? XOP_NOTE :
		    a == KA_UNTIL ? XOP_UNTIL : XOP_REMOVE, (size_t)cur->rule);
		if (a == KA_EDIT) {
			spec = spec_of(x, (size_t)cur->rule);
			k = ask_rule(app, "Rule: ", spec, &kind, &text);
			free(spec);
			if (k != 0) {
				xop_free(op);
				return UI_HANDLED | UI_REDRAW;
			}
			op->rkind = kind;
			free(op->text);
			op->text = text;
		} else if (a == KA_NOTE) {
			if (ask_note(app, "Note: ", op->onote, &text) != 0) {
				xop_free(op);
				return UI_HANDLED | UI_REDRAW;
			}
			free(op->note);
			op->note = text;
		} else if (a == KA_UNTIL) {
			if (ask_until(app, op->ountil, &until) != 0) {
				xop_free(op);
				return UI_HANDLED | UI_REDRAW;
			}
			op->until = until;
		}
		spot_save(v, x, &sp);
		if (a == KA_EDIT) {
			free(sp.text);
			sp.text = xstrdup(op->text);
			sp.kind = op->rkind;
		}
		app_clear_msg(app);
		if (commit(app, op, 0) == 0 && a == KA_DELETE && app->msg.len == 0)
			app_msg(app, "rule deleted; u undoes");
		rebuild(v, x);
		spot_restore(v, x, &sp);
		return UI_HANDLED | UI_REDRAW;
	case KA_UNDO:
		op = xctl_pop_undo(x);
		if (op == NULL) {
			app_error(app, "nothing to undo");
			return UI_HANDLED | UI_REDRAW;
		}
		spot_save(v, x, &sp);
		app_clear_msg(app);
		if (commit(app, op, 1) == 0 && app->msg.len == 0)
			app_msg(app, "undone (%zu more change%s to undo)", x->nundo,
			    x->nundo == 1 ? "" : "s");
		rebuild(v, x);
		spot_restore(v, x, &sp);
		return UI_HANDLED | UI_REDRAW;
	case KA_RELOAD:
		if (x->unsaved && prompt_choice(app, "Reloading drops the changes "
		    "that were not saved. Reload? y/n", "yn", 0) != 'y')
			return UI_HANDLED | UI_REDRAW;
		spot_save(v, x, &sp);
		if (xctl_reload(x, &cause) != 0) {
			app_error(app, "%s", cause);
			free(cause);
		} else {
			xctl_apply(x, &app->h);
			app_changed(app);
			app_msg(app, "reloaded %s", excl_path(x->set));
		}
		rebuild(v, x);
		spot_restore(v, x, &sp);
		return UI_HANDLED | UI_REDRAW;
	case KA_CLEAR:
		return search_forget(&v->find, app) ? UI_HANDLED | UI_REDRAW :
		    UI_IGNORED;
	case KA_SEARCH:
		search_prompt(&v->find, app);
		return UI_HANDLED | UI_REDRAW;
	case KA_NEXT:
	case KA_PREV:
		search_again(&v->find, app, a == KA_NEXT ? 1 : -1);
		return UI_HANDLED | UI_REDRAW;
	default:
		return panel_action(&v->p, a);
	}
}

static unsigned
exclview_click(struct app *app, struct screen *s, int y, int x, int dbl)
{
	struct exclview *v = (struct exclview *)s;
	unsigned fl;

	(void)x;
	fl = panel_click(&v->p, y - v->body_y);
	if (dbl && fl != UI_IGNORED)
		return exclview_action(app, s, KA_TOGGLE, ' ');
	return fl;
}

static struct panel *
exclview_panel(struct screen *s)
{
	return &((struct exclview *)s)->p;
}

static void
exclview_status(struct app *app, struct screen *s, struct buf *b)
{
	struct exclview *v = (struct exclview *)s;

	buf_addf(b, "line %zu/%zu  %zu change%s to undo", v->n ? v->p.cur + 1 : 0,
	    v->n, app->x->nundo, app->x->nundo == 1 ? "" : "s");
}

static void
exclview_free(struct app *app, struct screen *s)
{
	struct exclview *v = (struct exclview *)s;

	/* The next visit opens where this one was left. */
	exclview_forget(app);
	spot_save(v, app->x, &app->excl_at);
	free(v->e);
	search_clear(&v->find);
	free(v);
}

static const struct screen_ops exclview_ops = {
	KS_EXCL, "Exclusions", exclview_draw, exclview_action, exclview_click,
	exclview_panel, exclview_status, NULL, exclview_free,
};

struct screen *
exclview_new(struct app *app)
{
	struct exclview *v;

	if (app->x == NULL) {
		app_error(app, "no exclusions in this run (--no-exclusions, or no "
		    "HOME to find them in); --exclusions FILE names a file");
		return NULL;
	}
	v = xcalloc(1, sizeof *v);
	v->s.ops = &exclview_ops;
	v->x = app->x;
	search_init(&v->find, SEARCH_RULES, &v->p, line_matches, v);
	rebuild(v, app->x);
	if (app->excl_at.cat != NULL) {
		/* The first line shown too, so the screen looks as it was
		 * left; panel_fix keeps the cursor on it. */
		v->p.top = app->excl_at.top;
		v->p.height = app->excl_at.height;
		spot_restore(v, app->x, &app->excl_at);
	}
	return &v->s;
}

void
exclview_forget(struct app *app)
{
	free(app->excl_at.cat);
	free(app->excl_at.text);
	memset(&app->excl_at, 0, sizeof app->excl_at);
}

/* ------------------------------------------------------------ from a row */

void
exclview_from_group(struct app *app, uint32_t group, long event)
{
	struct xctl *x = app->x;
	struct proposal ch[PROPOSAL_MAX];
	const char *items[PROPOSAL_MAX], **cats;
	struct xop *op = NULL, *catop = NULL;
	size_t n = 0, i, nc;
	long pick, cat;
	uint64_t groups, events;
	char *note, *q, *warn, *cause = NULL;
	int k, on;

	if (x == NULL) {
		app_error(app, "no exclusions in this run (--no-exclusions, or no "
		    "HOME to find them in); --exclusions FILE names a file");
		return;
	}
	n = proposal_for_group(&app->h, group, event, ch);
	n = enrichview_proposals(app, group, ch, n);
	if (n == 0) {
		app_error(app, "this row has no address, account or device a rule "
		    "could name");
		return;
	}
	for (i = 0; i < n; i++) {
		struct buf b = { 0 };
		buf_addf(&b, "%s ", ch[i].what);
		text_prepare_plain(&b, ch[i].text, strlen(ch[i].text));
		items[i] = b.p;
	}
	pick = prompt_menu(app, "Exclude from now on", items, n, 0);
	if (pick < 0)
		goto out;
	nc = excl_category_count(x->set);
	cats = xcalloc(nc + 1, sizeof *cats);
	for (i = 0; i < nc; i++) {
		const char *d = excl_category_description(x->set, i);
		struct buf b = { 0 };
		text_prepare_plain(&b, excl_category_name(x->set, i),
		    strlen(excl_category_name(x->set, i)));
		if (d && d[0]) {
			buf_add(&b, "  ", 2);
			text_prepare_plain(&b, d, strlen(d));
		}
		if (!excl_category_enabled(x->set, i))
			buf_add(&b, "  (off)", 7);
		cats[i] = b.p;
	}
	cats[nc] = xstrdup("a new category...");
	cat = prompt_menu(app, "In which category?", cats, nc + 1, 0);
	for (i = 0; i <= nc; i++)
		free((char *)cats[i]);
	free(cats);
	if (cat < 0)
		goto out;
	if ((size_t)cat == nc && (catop = ask_category(app)) == NULL)
		goto out;
	if (ask_note(app, "Note (why it is known-good): ", "", &note) != 0)
		goto out;
	op = xop_add_rule(catop != NULL ? catop->cat :
	    excl_category_name(x->set, (size_t)cat), ch[pick].kind, ch[pick].text,
	    note, 0);
	free(note);
	/* A new category is tried in the set with the rule, for the preview
	 * only; if the rule is saved, the category is saved first, as a
	 * change of its own (undone on its own). */
	if (xctl_preview(x, &app->h, catop, op, &groups, &events, &on,
	    &cause) != 0) {
		app_error(app, "%s", cause);
		free(cause);
		goto out;
	}
	warn = lint_warning(x, ch[pick].kind, ch[pick].text, 0);
	q = xasprintf("%s%s%s %s in [%s] would remove %" PRIu64 " of the groups "
	    "shown (%" PRIu64 " events)%s. Save it? y/n", warn ? warn : "",
	    warn ? ". " : "", excl_kind_name(ch[pick].kind),
	    ch[pick].text, op->cat, groups, events,
	    on ? "" : ", once the category is switched on");
	free(warn);
	k = prompt_choice(app, q, "yYnN", 0);
	free(q);
	if (k != 'y' && k != 'Y') {
		app_msg(app, "nothing was excluded");
		goto out;
	}
	if (catop != NULL) {
		k = commit(app, catop, 0);
		catop = NULL;	/* commit took it */
		if (k != 0)
			goto out;
	}
	k = commit(app, op, 0);
	op = NULL;		/* commit took it */
	if (k == 0) {
		struct exclview *v = find_view(app);
		if (v)
			rebuild(v, x);
		app_msg(app, "excluded %s %s: %" PRIu64 " group%s fewer; x shows the "
		    "exclusions, u there undoes", excl_kind_name(ch[pick].kind),
		    ch[pick].text, groups, groups == 1 ? "" : "s");
	}
out:
	xop_free(op);
	xop_free(catop);
	for (i = 0; i < n; i++)
		free((char *)items[i]);
	proposal_free(ch, n);
}
