#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "exclctl.h"
#include "ledger.h"
#include "output.h"
#include "prompt.h"
#include "review.h"
#include "screens.h"
#include "text.h"
#include "triage.h"
#include "triageview.h"
#include "ts.h"

struct triageview {
	struct review *rv;
	struct triage_columns tc;	/* for exports */
};

struct triageview *
triageview_open(struct app *app)
{
	struct triageview *t;
	struct review *rv;
	char *cause = NULL;

	if (app->cfg->ledger_path == NULL)
		return NULL;
	if ((rv = review_open(app->cfg->ledger_path, &app->h, &cause)) == NULL) {
		app_error(app, "triage ledger not used: %s", cause);
		free(cause);
		return NULL;
	}
	t = xcalloc(1, sizeof *t);
	t->rv = rv;
	if ((cause = ledger_torn_note(review_ledger(rv))) != NULL) {
		app_msg(app, "%s", cause);
		free(cause);
		cause = NULL;
	}
	if (!app->cfg->no_record && review_record(rv, ledger_now(),
	    triage_rule_name, app->x != NULL ? app->x->set : NULL, &cause) != 0) {
		app_error(app, "this run is not recorded: %s", cause);
		free(cause);
	}
	return t;
}

void
triageview_free(struct triageview *t)
{
	if (t == NULL)
		return;
	review_free(t->rv);
	free(t);
}

const char *
triageview_col_name(int col)
{
	return triage_col_name((size_t)col);
}

const char *
triageview_cell(const struct triageview *t, uint32_t g, int col)
{
	return review_cell(t->rv, g, (size_t)col);
}

int
triageview_cmp(const struct triageview *t, int col, uint32_t a, uint32_t b)
{
	return review_cmp(t->rv, (size_t)col, a, b);
}

/* From the longest to the shortest: the first that fits is drawn. */
static const char *const count_forms[] = {
	"   triage: %zu new, %zu changed, %zu reappeared, %zu untriaged",
	"   %zu new, %zu changed, %zu reappeared, %zu untriaged",
	"   %zu new, %zu chg, %zu reap, %zu untri",
};

void
triageview_counts(const struct triageview *t, int room, struct buf *out)
{
	struct review_counts c;
	size_t f, n = sizeof count_forms / sizeof *count_forms;

	buf_reset(out);
	if (t == NULL)
		return;
	review_count(t->rv, &c);
	for (f = 0; f < n; f++) {
		buf_reset(out);
		buf_addf(out, count_forms[f], c.fresh, c.changed, c.reappeared,
		    c.untriaged);
		if (out->len <= (size_t)(room > 0 ? room : 0))
			return;
	}
}

static int
no_ledger(struct app *app, const struct triageview *t)
{
	if (t != NULL)
		return 0;
	app_error(app, "no triage ledger (see --ledger)");
	return 1;
}

void
triageview_next(struct app *app, struct triageview *t, struct tview *tv)
{
	enum ledger_verdict v;
	uint32_t g;
	long i;

	if (no_ledger(app, t))
		return;
	if (tv->p.n == 0 ||
	    (i = review_next(t->rv, tv->vis, tv->p.n, tv->p.cur)) < 0) {
		app_msg(app, "nothing left to review: every group shown is "
		    "judged and unchanged");
		return;
	}
	g = tv->vis[i];
	tview_goto(tv, g);
	v = review_verdict(t->rv, g);
	app_msg(app, "%s, %s", ledger_status_name(review_status(t->rv, g)),
	    v == LV_NONE ? "untriaged" : ledger_verdict_name(v));
}

static void
saved(struct app *app, struct triageview *t, const char *what, size_t n)
{
	char *cause = NULL;

	if (review_save(t->rv, &cause) != 0) {
		app_error(app, "%s, but the ledger is not saved: %s", what, cause);
		free(cause);
		return;
	}
	app_msg(app, "%s for %zu group%s, saved in the ledger", what, n,
	    n == 1 ? "" : "s");
}

void
triageview_set(struct app *app, struct triageview *t, struct tview *tv)
{
	static const char keys[] = "tbfuec";
	static const enum ledger_verdict verdicts[] = {
		LV_TRUE_POSITIVE, LV_BENIGN_POSITIVE, LV_FALSE_POSITIVE,
		LV_UNDETERMINED, LV_ESCALATED, LV_NONE
	};
	const char *recent[REVIEW_NOTES];
	uint32_t *ids;
	size_t n, nrecent;
	char q[200], *note = NULL;
	int marked, k;
	enum ledger_verdict v;

	if (no_ledger(app, t))
		return;
	ids = tview_selection(tv, &n, &marked);
	if (n == 0) {
		free(ids);
		return;
	}
	if (!marked)
		n = tview_cursor(tv, &ids[0]);
	snprintf(q, sizeof q, "verdict for %zu group%s: t true-positive, "
	    "b benign-positive, f false-positive, u undetermined, e escalated, "
	    "c clear", n, n == 1 ? "" : "s");
	k = prompt_choice(app, q, keys, 0);
	if (k == 0) {
		free(ids);
		return;
	}
	v = verdicts[strchr(keys, k) - keys];
	nrecent = review_notes(t->rv, recent, REVIEW_NOTES);
	if (prompt_line_recent(app, "note (Up: recent notes): ", "", recent,
	    nrecent, &note) == 0) {
		free(ids);
		return;
	}
	review_set(t->rv, ids, n, v, note, ledger_default_analyst(),
	    ledger_now());
	free(note);
	free(ids);
	saved(app, t, v == LV_NONE ? "cleared" : ledger_verdict_name(v), n);
}

void
triageview_undo(struct app *app, struct triageview *t)
{
	enum ledger_verdict v;
	size_t n;
	char *what;

	if (no_ledger(app, t))
		return;
	n = review_undo(t->rv, ledger_default_analyst(), ledger_now(), &v);
	if (n == 0) {
		app_msg(app, "no verdict to undo");
		return;
	}
	what = xasprintf("undone: %s", v == LV_NONE ? "cleared" :
	    ledger_verdict_name(v));
	saved(app, t, what, n);
	free(what);
}

void
triageview_show_history(struct app *app, struct triageview *t, uint32_t g)
{
	struct ledger_verdict_info *vi;
	struct buf text = { 0 }, tmp = { 0 };
	struct lh_str key[5];
	char when[TS_BUFSZ];
	size_t n, i;
	long rec;

	if (no_ledger(app, t))
		return;
	rec = review_record_of(t->rv, g);
	n = review_history(t->rv, g, NULL, 0);
	vi = xcalloc(n ? n : 1, sizeof *vi);
	review_history(t->rv, g, vi, n);
	ledger_hunt_key(&app->h, &app->h.g[g], key);
	buf_addf(&text, "Group:");
	for (i = 0; i < 5; i++) {
		buf_reset(&tmp);
		text_prepare(&tmp, key[i].p, key[i].n);
		buf_addf(&text, "  %s %.*s", hunt_col_name((enum hunt_col)i),
		    (int)tmp.len, tmp.p);
	}
	buf_addf(&text, "\nStatus in this run: %s\n",
	    ledger_status_name(review_status(t->rv, g)));
	if (rec >= 0) {
		ts_format(ledger_first_seen(review_ledger(t->rv), rec), when);
		buf_addf(&text, "First seen: %s\n", when);
	}
	if (n == 0)
		buf_addf(&text, "No verdict yet.\n");
	/* Newest first: the verdict in force on top. */
	for (i = n; i-- > 0;) {
		ts_format(vi[i].when, when);
		buf_addf(&text, "\n%s  %s  by ", when, vi[i].verdict == LV_NONE ?
		    "cleared" : ledger_verdict_name(vi[i].verdict));
		buf_reset(&tmp);
		text_prepare(&tmp, vi[i].who, strlen(vi[i].who));
		buf_add(&text, tmp.p, tmp.len);
		buf_addf(&text, "  (Instances %llu, DistinctMachines %llu)\n",
		    (unsigned long long)vi[i].fig.instances,
		    (unsigned long long)vi[i].fig.machines);
		if (vi[i].note[0] != '\0') {
			buf_reset(&tmp);
			text_prepare(&tmp, vi[i].note, strlen(vi[i].note));
			buf_addf(&text, "    note: ");
			buf_add(&text, tmp.p, tmp.len);
			buf_addc(&text, '\n');
		}
	}
	app_push(app, textview_new(app, "Verdicts and notes of the group, newest "
	    "first", text.p));
	buf_free(&tmp);
	buf_free(&text);
	free(vi);
}

const struct out_extra *
triageview_extra(struct app *app, struct out_extra *x,
    const struct out_extra *next)
{
	struct triageview *t = app->tri;

	if (t == NULL)
		return next;
	review_export_columns(t->rv, &t->tc, next);
	triage_out_extra(x, &t->tc);
	return x;
}
