#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "enrichview.h"
#include "exportdlg.h"
#include "output.h"
#include "exclctl.h"
#include "ledger.h"
#include "screens.h"
#include "session.h"
#include "term.h"
#include "triageview.h"
#include "ts.h"
#include "tview.h"

struct results {
	struct screen s;
	struct app *app;
	struct tview tv;
	/* The summary's columns, the triage's (Status, Verdict) with a
	 * ledger, then the enrichment's with a source. */
	struct tview_col cols[HC_N + UT_NCOLS + ENRICHVIEW_MAXCOLS];
	int ntri;		/* triage columns after the summary's */
	int nenrich;		/* enrichment columns after those */
	int intel_only;		/* show only the rows intel knows */
	/* Per group, the digits of its first and last time at its base
	 * figures (tview_time_digits; 0: not made yet): no exclusion changes
	 * them, and a group whose figures a device rule changed has its
	 * made afresh. */
	uint64_t (*times)[2];
	int base;		/* tv.all was sorted with every group at base */
};

/* Decimal digits of v at the end of out[24]; returns where they start. */
static char *
format_u64(uint64_t v, char out[24])
{
	char *p = out + 23;

	*p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	return p;
}

/* The digits of group id's first (k 0) or last (k 1) time. */
static uint64_t
time_digits(struct results *r, uint32_t id, int k)
{
	const struct lh_group *g = &r->app->h.g[id];
	uint64_t *d = &r->times[id][k];

	if (g->count != g->base_count)
		return tview_time_digits(k ? g->last : g->first);
	if (*d == 0)
		*d = tview_time_digits(k ? g->last : g->first);
	return *d;
}

static const char *
results_cell(void *ctx, uint32_t id, int col, struct buf *scratch, size_t *len)
{
	struct results *r = ctx;
	struct hunt *h = &r->app->h;
	const struct lh_group *g = &h->g[id];
	uint64_t d;

	if (col >= HC_N + r->ntri)
		return enrichview_cell(r->app, id, col - HC_N - r->ntri, scratch,
		    len);
	if (col >= HC_N) {
		const char *t = triageview_cell(r->app->tri, id, col - HC_N);

		*len = strlen(t);
		return t;
	}
	switch (col) {
	case HC_DOMAIN: case HC_NAME: case HC_LOGONTYPE: case HC_REMOTEIP:
	case HC_ACTIONTYPE:
		return strcache_get(&r->app->sc, g->key[col], len, NULL);
	case HC_EARLIEST:
	case HC_LATEST:
		d = time_digits(r, id, col - HC_EARLIEST);
		if (d == TVIEW_NO_DIGITS)
			return text_time(col == HC_EARLIEST ? g->first : g->last,
			    scratch, len);
		{
			char t[19];

			tview_digits_time(d, t);
			buf_add(scratch, t, sizeof t);
		}
		break;
	case HC_INSTANCES:
	case HC_DISTINCT: {
		char num[24], *p = format_u64(col == HC_INSTANCES ? g->count :
		    g->devices, num);
		buf_add(scratch, p, (size_t)(num + 23 - p));
		break;
	}
	}
	*len = scratch->len;
	return scratch->p;
}

/* The times' digits, and the counts', for the filter and the search. */
static int
results_cell_digits(void *ctx, uint32_t id, int col, uint64_t *digits,
    int *ndigits)
{
	struct results *r = ctx;
	const struct lh_group *g = &r->app->h.g[id];

	if (col == HC_EARLIEST || col == HC_LATEST) {
		*digits = time_digits(r, id, col - HC_EARLIEST);
		*ndigits = 14;
		return *digits != TVIEW_NO_DIGITS;
	}
	if (col != HC_INSTANCES && col != HC_DISTINCT)
		return 0;
	return tview_number_digits(col == HC_INSTANCES ? g->count : g->devices,
	    digits, ndigits);
}

struct sort_arg {
	struct hunt *h;
	struct hunt_sort s;
	struct app *app;
	int tcol, tdesc;	/* a triage column first, or -1 */
	int ecol, edesc;	/* an enrichment column first, or -1 */
};

static int
cmp_groups(const void *a, const void *b, void *arg)
{
	struct sort_arg *sa = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c;

	if (sa->tcol >= 0 && (c = triageview_cmp(sa->app->tri, sa->tcol, x,
	    y)) != 0)
		return sa->tdesc ? -c : c;
	if (sa->ecol >= 0 && (c = enrichview_cmp(sa->app, x, y, sa->ecol,
	    sa->edesc)) != 0)
		return c;
	return hunt_cmp(sa->h, &sa->s, x, y);
}

/* A triage or enrichment column sorts first by itself, then by the
 * secondary sort if it is a summary column, else as Instances does. */
static void
sort_arg_init(struct sort_arg *sa, struct results *r, const struct tview_sort *s)
{
	struct hunt_sort *hs = &sa->s;
	int extra = s->col >= HC_N, tri = extra && s->col < HC_N + r->ntri;

	sa->h = &r->app->h;
	sa->app = r->app;
	sa->tcol = tri ? s->col - HC_N : -1;
	sa->tdesc = s->desc;
	sa->ecol = extra && !tri ? s->col - HC_N - r->ntri : -1;
	sa->edesc = s->desc;
	hs->col = extra ? HC_INSTANCES : (enum hunt_col)s->col;
	hs->desc = extra ? 1 : s->desc;
	hs->col2 = s->col2 >= HC_N ? -1 : s->col2;
	hs->desc2 = s->desc2;
	if (extra && hs->col2 >= 0) {
		hs->col = (enum hunt_col)hs->col2;
		hs->desc = s->desc2;
		hs->col2 = -1;
	}
}

static void
results_sort(void *ctx, uint32_t *ids, size_t n, const struct tview_sort *s)
{
	struct results *r = ctx;
	struct sort_arg sa;

	sort_arg_init(&sa, r, s);
	if (sa.ecol >= 0 || sa.tcol >= 0)
		qsort_r(ids, n, sizeof *ids, cmp_groups, &sa);
	else
		hunt_sort_ids(sa.h, &sa.s, ids, n);
}

static uint32_t
results_cell_key(void *ctx, uint32_t id, int col)
{
	struct results *r = ctx;

	return col <= HC_ACTIONTYPE ? r->app->h.g[id].key[col] : UINT32_MAX;
}

static const struct tview_ops results_tview_ops = {
	results_cell, results_sort, NULL, NULL, results_cell_key,
	results_cell_digits,
};

/* Natural and typical (95th percentile) widths of the columns. */
static void
measure(struct results *r)
{
	struct hunt *h = &r->app->h;
	size_t i, len, seen, want;
	uint32_t hist[HC_N][65];
	int c, w;
	uint64_t maxc = 0;
	uint32_t maxd = 0;
	char tmp[32];

	memset(hist, 0, sizeof hist);
	for (c = 0; c < HC_N; c++)
		r->cols[c].natural = 0;
	for (i = 0; i < h->ng; i++) {
		for (c = HC_DOMAIN; c <= HC_ACTIONTYPE; c++) {
			strcache_get(&r->app->sc, h->g[i].key[c], &len, &w);
			if (w > r->cols[c].natural)
				r->cols[c].natural = w;
			hist[c][w > 64 ? 64 : w]++;
		}
		if (h->g[i].base_count > maxc)
			maxc = h->g[i].base_count;
		if (h->g[i].devices > maxd)
			maxd = h->g[i].devices;
	}
	want = h->ng - h->ng / 20;
	for (c = HC_DOMAIN; c <= HC_ACTIONTYPE; c++) {
		for (w = 0, seen = 0; w < 64 && seen + hist[c][w] < want; w++)
			seen += hist[c][w];
		r->cols[c].typical = w < 8 ? 8 : w;
	}
	/* Without rows the labels alone set the widths. */
	r->cols[HC_EARLIEST].natural = r->cols[HC_LATEST].natural =
	    h->ng ? 19 : 0;
	/* As wide as the names in use: a first run (every group new, none
	 * judged) costs the other columns little. */
	for (c = HC_N; c < HC_N + r->ntri; c++) {
		r->cols[c].natural = (int)strlen(r->cols[c].name);
		for (i = 0; i < h->ng; i++) {
			if (h->g[i].count == 0)
				continue;
			w = (int)strlen(triageview_cell(r->app->tri, (uint32_t)i,
			    c - HC_N));
			if (w > r->cols[c].natural)
				r->cols[c].natural = w;
		}
	}
	for (c = HC_N + r->ntri; c < HC_N + r->ntri + r->nenrich; c++) {
		struct buf sb = { 0 };

		r->cols[c].natural = (int)strlen(r->cols[c].name);
		for (i = 0; i < h->ng; i++) {
			const char *t = enrichview_cell(r->app, (uint32_t)i,
			    c - HC_N - r->ntri, &sb, &len);
			w = text_width(t, len);
			if (w > r->cols[c].natural)
				r->cols[c].natural = w;
		}
		buf_free(&sb);
	}
	r->cols[HC_INSTANCES].natural = snprintf(tmp, sizeof tmp, "%" PRIu64, maxc);
	r->cols[HC_DISTINCT].natural = snprintf(tmp, sizeof tmp, "%u", maxd);
}

/* Takes the groups the hunt shows now, in the view's order (merged into
 * the order shown when only whole groups came or went). */
static void
reload_rows(struct results *r, int merge)
{
	struct hunt *h = &r->app->h;
	struct sort_arg sa;
	uint32_t *rows = xmalloc((h->ng ? h->ng : 1) * sizeof *rows);
	size_t n, k, i;

	sort_arg_init(&sa, r, &r->tv.sort);
	if (merge && sa.ecol < 0 && sa.tcol < 0 && !r->intel_only) {
		n = hunt_rows_update(h, &sa.s, r->tv.all, r->tv.nall, r->base,
		    rows);
	} else {
		n = hunt_rows(h, &sa.s, rows);
		if (r->intel_only) {
			for (i = k = 0; i < n; i++)
				if (enrichview_intel(r->app, rows[i]))
					rows[k++] = rows[i];
			n = k;
		}
		if (sa.ecol >= 0 || sa.tcol >= 0)
			qsort_r(rows, n, sizeof *rows, cmp_groups, &sa);
	}
	tview_set_rows(&r->tv, rows, n);
	r->base = hunt_at_base(h);
	free(rows);
}

/* Draws "label value" pairs with the values stand out. */
static void
put_num(struct line *l, const char *label, uint64_t v)
{
	l->attr = term_attr(UC_FUNNEL);
	line_puts(l, label);
	l->attr = term_attr(UC_FUNNEL_NUM);
	line_putf(l, "%" PRIu64, v);
}

/* What would otherwise leave the list silently wide or empty. */
static void
draw_quiet_problems(struct app *app, struct line *l)
{
	unsigned missing = hunt_missing_tables(&app->h) & ~app->cfg->allow_missing;
	char *hint;
	int t;

	l->attr = term_attr(UC_MSG_ERROR);
	if (app->h.f.groups == 0 && (hint = hunt_since_hint(&app->h)) != NULL) {
		line_puts(l, "   no logon in the --since window: try "
		    "--relative-to-data");
		free(hint);
	}
	for (t = LH_NETWORK; t <= LH_IDENTITY; t++)
		if (missing & (1u << t)) {
			line_puts(l, "   ");
			line_puts(l, hunt_missing_note((enum lh_table)t));
		}
}

static void
draw_header(struct results *r, int y, int lines, int w)
{
	struct app *app = r->app;
	const struct hunt_funnel *f = &app->h.f;
	struct line l;
	struct buf b = { 0 };
	const char *minus = term_utf8() ? " \xe2\x88\x92 " : " - ";
	const char *arrowr = term_utf8() ? " \xe2\x86\x92 " : " -> ";

	if (lines >= 3) {
		line_begin(&l, y++, 0, w, 0, term_attr(UC_TITLE));
		line_puts(&l, "logonhunt: Device Logons from Unknown IPs");
		l.attr = term_attr(UC_DIM);
		if (app->cfg->ninputs == 1 || app->d->nfiles == 0) {
			const char *p = app->cfg->ninputs ? app->cfg->inputs[0].path : "";
			line_puts(&l, "   ");
			text_prepare(&b, p, strlen(p));
			line_put(&l, b.p, b.len);
		} else
			line_putf(&l, "   %zu files", app->cfg->ninputs);
		line_putf(&l, ", loaded in %.1f s", app->load_seconds);
		draw_quiet_problems(app, &l);
		/* The sources are inputs too; line 3 is the review's. */
		l.attr = term_attr(UC_DIM);
		enrichview_put_sources(app, &l);
		line_end(&l);
	}
	if (lines >= 1) {
		line_begin(&l, y++, 0, w, 0, term_attr(UC_FUNNEL));
		put_num(&l, "DeviceLogonEvents ", f->rows[LH_LOGONS]);
		l.attr = term_attr(UC_FUNNEL);
		line_puts(&l, arrowr);
		put_num(&l, "Public logons ", f->public_logons);
		if (app->h.opts.from != TS_NONE || app->h.opts.until != TS_NONE) {
			put_num(&l, minus, f->removed_window);
			line_puts(&l, " outside the window");
		}
		/* Each figure counts logons: say so, in the singular for one. */
		put_num(&l, minus, f->removed_device);
		line_puts(&l, f->removed_device == 1 ? " logon from a device IP" :
		    " logons from device IPs");
		put_num(&l, minus, f->removed_identity);
		line_puts(&l, f->removed_identity == 1 ? " from an identity IP" :
		    " from identity IPs");
		put_num(&l, minus, f->removed_excl_events);
		line_puts(&l, " excluded (");
		put_num(&l, "", f->removed_excl_groups);
		line_puts(&l, f->removed_excl_groups == 1 ? " group)" : " groups)");
		line_puts(&l, arrowr);
		put_num(&l, "", f->events);
		line_puts(&l, f->events == 1 ? " event in " : " events in ");
		put_num(&l, "", f->groups);
		line_puts(&l, f->groups == 1 ? " group" : " groups");
		if (r->tv.p.n != f->groups) {
			put_num(&l, ", ", r->tv.p.n);
			line_puts(&l, " shown");
		}
		line_end(&l);
	}
	if (lines >= 2) {
		struct buf counts = { 0 };
		int sortw;

		line_begin(&l, y++, 0, w, 0, term_attr(UC_DIM));
		buf_reset(&b);
		tview_sort_text(&r->tv, &b);
		/* A review reads the triage's counts first: they follow the
		 * sort in the longest form that fits, and when even the
		 * shortest does not, the sort is cut for them. What follows
		 * (the exclusions) goes off the edge, where the last column
		 * shows that more follows. */
		sortw = 5 + text_width(b.p, b.len);
		triageview_counts(app->tri, w - 1 - sortw, &counts);
		line_puts(&l, "sort ");
		if (counts.len > 0 && sortw + (int)counts.len > w - 1)
			line_cell(&l, b.p, b.len, w - 6 - (int)counts.len, 0, NULL, 0);
		else
			line_put(&l, b.p, b.len);
		line_put(&l, counts.p, counts.len);
		buf_free(&counts);
		if (app->x) {
			size_t c, on = 0, nc = excl_category_count(app->x->set);
			for (c = 0; c < nc; c++)
				on += excl_category_enabled(app->x->set, c) != 0;
			line_putf(&l, "   exclusions: %zu rules, %zu of %zu categories on",
			    excl_rule_count(app->x->set), on, nc);
			if (app->x->problems)
				line_puts(&l, " (file has errors: read-only)");
		} else
			line_puts(&l, "   exclusions: none");
		line_putf(&l, "   CSV formulas %s",
		    app->out_flags & OUT_NEUTRALISE ? "neutralised" : "kept as they are");
		if (r->intel_only)
			line_puts(&l, "   intel rows only");
		line_end(&l);
	}
	buf_free(&b);
}

static void
results_draw(struct app *app, struct screen *s, int y, int h, int w)
{
	struct results *r = (struct results *)s;
	int head = h >= 9 ? 3 : h >= 6 ? 2 : h >= 4 ? 1 : 0;

	(void)app;
	draw_header(r, y, head, w);
	tview_draw(&r->tv, y + head, 0, h - head, w);
	r->tv.draw_y = y + head;
}

static unsigned
results_action(struct app *app, struct screen *s, enum key_action a, int key)
{
	struct results *r = (struct results *)s;
	uint32_t g;

	switch (a) {
	case KA_ENTER:
		if (tview_cursor(&r->tv, &g))
			app_push(app, events_new(app, g));
		return UI_HANDLED | UI_REDRAW;
	case KA_QUIT:
		return UI_QUIT;
	case KA_EXCLUDE_ROW:
		if (tview_cursor(&r->tv, &g))
			exclview_from_group(app, g, -1);
		return UI_HANDLED | UI_REDRAW;
	case KA_EXPORT:
		exportdlg_results(app, &r->tv);
		return UI_HANDLED | UI_REDRAW;
	case KA_REPORT:
		exportdlg_report(app, &r->tv);
		return UI_HANDLED | UI_REDRAW;
	case KA_INTEL_ONLY:
		if (app->ev == NULL || r->nenrich == 0) {
			app_error(app, "no threat intel is loaded (--intel FILE)");
			return UI_HANDLED | UI_REDRAW;
		}
		r->intel_only = !r->intel_only;
		reload_rows(r, 0);
		app_msg(app, r->intel_only ? "only the rows threat intel knows: "
		    "%zu (I shows all)" : "every row again: %zu", r->tv.p.n);
		return UI_HANDLED | UI_REDRAW;
	case KA_FREQ:
		enrichview_show_freq(app);
		return UI_HANDLED | UI_REDRAW;
	case KA_TRIAGE_NEXT:
		triageview_next(app, app->tri, &r->tv);
		return UI_HANDLED | UI_REDRAW;
	case KA_VERDICT:
		triageview_set(app, app->tri, &r->tv);
		measure(r);
		return UI_HANDLED | UI_REDRAW;
	case KA_VERDICT_UNDO:
		triageview_undo(app, app->tri);
		measure(r);
		return UI_HANDLED | UI_REDRAW;
	case KA_HISTORY:
		if (tview_cursor(&r->tv, &g))
			triageview_show_history(app, app->tri, g);
		return UI_HANDLED | UI_REDRAW;
	default:
		return tview_action(&r->tv, app, a, key);
	}
}

static unsigned
results_click(struct app *app, struct screen *s, int y, int x, int dbl)
{
	struct results *r = (struct results *)s;
	int row = y - r->tv.draw_y;
	unsigned fl;

	if (row < 0)
		return UI_HANDLED;
	fl = tview_click(&r->tv, app, row, x);
	if (dbl && row > 0)
		return results_action(app, s, KA_ENTER, 0);
	return fl;
}

static struct panel *
results_panel(struct screen *s)
{
	return &((struct results *)s)->tv.p;
}

static void
results_status(struct app *app, struct screen *s, struct buf *b)
{
	(void)app;
	tview_status(&((struct results *)s)->tv, b);
}

static void
results_changed(struct app *app, struct screen *s)
{
	struct results *r = (struct results *)s;

	(void)app;
	reload_rows(r, 1);
}

static void
results_free(struct app *app, struct screen *s)
{
	struct results *r = (struct results *)s;

	(void)app;
	tview_free(&r->tv);
	free(r->times);
	free(r);
}

static const struct screen_ops results_ops = {
	KS_RESULTS, "Results", results_draw, results_action, results_click,
	results_panel, results_status, results_changed, results_free,
};

struct screen *
results_new(struct app *app)
{
	struct results *r = xcalloc(1, sizeof *r);
	static const int caps[HC_N] = { 20, 24, 18, 39, 14, 19, 19, 12, 12 };
	static const int ecaps[ENRICHVIEW_MAXCOLS] = { 7, 10, 24, 28, 32 };
	/* The labels of a narrow screen (docs/console.md lists them). */
	static const char *const abbrevs[HC_N] = { "Domain", "Account",
		"Type", NULL, "Action", "Earliest", "Latest", "Inst", "Mach" };
	const char *enames[ENRICHVIEW_MAXCOLS];
	size_t i;
	int c, e;

	r->s.ops = &results_ops;
	r->app = app;
	for (c = 0; c < HC_N; c++) {
		r->cols[c].name = hunt_col_name((enum hunt_col)c);
		r->cols[c].cap = caps[c];
		r->cols[c].right = c >= HC_INSTANCES;
		r->cols[c].desc_first = c >= HC_EARLIEST;
		r->cols[c].abbrev = abbrevs[c];
		/* Counts are never cut; times shorten (TVIEW_TIME_*). */
		r->cols[c].fixed = c >= HC_INSTANCES;
		r->cols[c].time = c == HC_EARLIEST || c == HC_LATEST;
		r->cols[c].digits = c >= HC_INSTANCES;
		r->cols[c].chars = tview_cell_chars(c >= HC_INSTANCES ?
		    TVIEW_CELLS_DIGITS : r->cols[c].time ? TVIEW_CELLS_TIME :
		    TVIEW_CELLS_ANY);
		/* The address is what an analyst reads first: cut it last. */
		r->cols[c].keep = c == HC_REMOTEIP;
	}
	/* Without a ledger, no triage columns. */
	r->ntri = app->tri != NULL ? UT_NCOLS : 0;
	for (c = 0; c < r->ntri; c++) {
		r->cols[HC_N + c].name = triageview_col_name(c);
		r->cols[HC_N + c].cap = c == UT_STATUS ? 10 : 15;
		/* Short labels, so that at 80 columns they cost the address
		 * and the names little. */
		r->cols[HC_N + c].abbrev = c == UT_STATUS ? "Stat" : "Verd";
	}
	/* Hidden when no source is loaded. */
	r->nenrich = enrichview_columns(app, enames);
	for (c = 0; c < r->nenrich; c++) {
		e = HC_N + r->ntri + c;
		r->cols[e].name = enames[c];
		r->cols[e].cap = strcmp(enames[c], "Country") == 0 ? 7 :
		    strcmp(enames[c], "ASN") == 0 ? 10 : ecaps[c];
		/* Two-letter codes: a label as short as they are. */
		if (strcmp(enames[c], "Country") == 0) {
			r->cols[e].abbrev = "CC";
			r->cols[e].keep = 1;
		}
	}
	r->times = xcalloc(app->h.ng ? app->h.ng : 1, sizeof *r->times);
	/* Made now rather than by the first word typed that has a digit. */
	for (i = 0; i < app->h.ng; i++) {
		time_digits(r, (uint32_t)i, 0);
		time_digits(r, (uint32_t)i, 1);
	}
	tview_init(&r->tv, &results_tview_ops, r, r->cols,
	    HC_N + r->ntri + r->nenrich,
	    app->h.ng, strtab_count(app->d->st));
	r->tv.cells_screen = detail_cells_new;
	r->tv.sort.col = app->cfg->sort.col;
	r->tv.sort.desc = app->cfg->sort.desc;
	r->tv.sort.col2 = app->cfg->sort.col2;
	r->tv.sort.desc2 = app->cfg->sort.desc2;
	measure(r);
	/* measure made every key column's text: the cells are only read
	 * from here on, so two threads may judge rows at once. */
	r->tv.threads = 1;
	reload_rows(r, 0);
	return &r->s;
}

void
results_session_get(const struct screen *s, struct session *ss)
{
	const struct results *r = (const struct results *)s;
	const struct tview *tv = &r->tv;
	const struct hunt *h = &r->app->h;
	struct lh_str key[5];
	struct buf b = { 0 };
	uint32_t g;
	size_t i;
	int c;

	ss->nsort = 0;
	if (tv->sort.col >= 0 && tv->sort.col < tv->ncols) {
		ss->sort[ss->nsort].col = xstrdup(tv->cols[tv->sort.col].name);
		ss->sort[ss->nsort++].desc = tv->sort.desc;
		if (tv->sort.col2 >= 0 && tv->sort.col2 < tv->ncols) {
			ss->sort[ss->nsort].col = xstrdup(tv->cols[tv->sort.col2].name);
			ss->sort[ss->nsort++].desc = tv->sort.desc2;
		}
	}
	session_set(&ss->filter, tv->filter);
	session_set(&ss->search, tv->find.text);
	ss->wide = tv->wide;
	for (c = 0; c < tv->ncols; c++)
		if (colvis_hidden(&tv->cv, c))
			session_add_hidden(ss, tv->cols[c].name);
	if (tview_cursor(tv, &g)) {
		ledger_hunt_key(h, &h->g[g], key);
		session_group_key(key, &b);
		session_set(&ss->cursor, b.p);
	}
	/* Marks of groups the exclusions hide now are kept too. */
	for (i = 0; i < h->ng && tv->nmarked; i++)
		if (tv->mark[i]) {
			ledger_hunt_key(h, &h->g[i], key);
			session_group_key(key, &b);
			session_add_mark(ss, b.p);
		}
	buf_free(&b);
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
column_named(const struct results *r, const char *name)
{
	int c;

	for (c = 0; c < r->tv.ncols; c++)
		if (strcmp(r->cols[c].name, name) == 0)
			return c;
	return -1;
}

size_t
results_session_put(struct screen *s, const struct session *ss)
{
	struct results *r = (struct results *)s;
	struct tview *tv = &r->tv;
	const struct hunt *h = &r->app->h;
	struct lh_str key[5];
	struct buf b = { 0 };
	char **marks = NULL, *k;
	size_t i, found = 0;
	int c, c2, have_cursor = 0;
	uint32_t cursor = 0;

	/* A column that is gone (no source, no ledger) leaves the sort. */
	if (ss->nsort > 0 && (c = column_named(r, ss->sort[0].col)) >= 0) {
		tv->sort.col = c;
		tv->sort.desc = ss->sort[0].desc;
		tv->sort.col2 = -1;
		if (ss->nsort > 1 && (c2 = column_named(r, ss->sort[1].col)) >= 0 &&
		    c2 != c) {
			tv->sort.col2 = c2;
			tv->sort.desc2 = ss->sort[1].desc;
		}
		reload_rows(r, 0);
	}
	tv->wide = ss->wide;
	/* A column that is gone is not hidden; nor is the last one shown. */
	for (i = 0; i < ss->nhidden; i++)
		tview_hide_named(tv, ss->hidden[i]);
	if (ss->nmarks > 0) {
		marks = xmalloc(ss->nmarks * sizeof *marks);
		memcpy(marks, ss->marks, ss->nmarks * sizeof *marks);
		qsort(marks, ss->nmarks, sizeof *marks, cmp_strp);
	}
	for (i = 0; i < h->ng && (marks != NULL || ss->cursor != NULL); i++) {
		ledger_hunt_key(h, &h->g[i], key);
		session_group_key(key, &b);
		k = b.p;
		if (marks != NULL && bsearch(&k, marks, ss->nmarks, sizeof *marks,
		    cmp_strp) != NULL && !tv->mark[i]) {
			tv->mark[i] = 1;
			tv->nmarked++;
			found++;
		}
		if (ss->cursor != NULL && !have_cursor && strcmp(k, ss->cursor) == 0) {
			cursor = (uint32_t)i;
			have_cursor = 1;
		}
	}
	free(marks);
	buf_free(&b);
	if (ss->filter != NULL)
		tview_set_filter(tv, ss->filter);
	if (ss->search != NULL) {
		free(tv->find.text);
		tv->find.text = xstrdup(ss->search);
	}
	if (have_cursor)
		tview_goto(tv, cursor);
	return found;
}

int
results_hidden_count(const struct screen *s)
{
	return ((const struct results *)s)->tv.cv.nhidden;
}
