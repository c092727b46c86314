#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "exportdlg.h"
#include "natsort.h"
#include "rawevent.h"
#include "enrichview.h"
#include "screens.h"
#include "term.h"
#include "timebins.h"
#include "triageview.h"
#include "ts.h"
#include "tview.h"

/* The columns an analyst looks at first. The first three come from the
 * loaded events; the rest from the raw rows, read when needed. */
enum { EC_TIME, EC_DEVICE, EC_IP, EC_PORT, EC_PROTOCOL, EC_FAILURE, EC_ADMIN,
	EC_PROCESS, EC_CMDLINE, EC_N };
#define EC_FIRST_RAW EC_PORT
#define NRAW (EC_N - EC_FIRST_RAW)
_Static_assert(NRAW == RAWEVENT_SHOWN_N, "the raw columns are rawevent_shown");

/* The width most raw values fit in (tview_col.typical). */
#define RAW_TYPICAL 24

/* Groups up to this size have all their rows read when opened. */
#define READ_ALL_AT_ONCE 2000

struct evrow {
	char *raw[NRAW];	/* values as in the file */
	char *shown[NRAW];	/* prepared */
	int failed;
};

struct events {
	struct screen s;
	struct app *app;
	uint32_t group;
	uint32_t *evs;		/* the group's events (d->ev indices) */
	size_t n;
	struct evrow **rows;	/* per position in evs; NULL until read */
	size_t nread;
	char *read_error;	/* the first failure, for the message line */
	struct tview tv;
	struct tview_col cols[EC_N];
	int list_y;
};

static void
read_row(struct events *e, uint32_t id)
{
	struct app *app = e->app;
	struct rawevent raw;
	struct evrow *r = xcalloc(1, sizeof *r);
	struct buf b = { 0 };
	char *cause = NULL;
	const char *v;
	size_t len;
	int k, w;

	e->rows[id] = r;
	e->nread++;
	if (rawevent_read_at(app->rr, &app->d->ev[e->evs[id]], &raw, &cause) != 0) {
		r->failed = 1;
		for (k = 0; k < NRAW; k++) {
			r->raw[k] = xstrdup("");
			r->shown[k] = xstrdup("?");
		}
		if (e->read_error == NULL)
			e->read_error = cause;
		else
			free(cause);
		return;
	}
	for (k = 0; k < NRAW; k++) {
		v = rawevent_get(&raw, rawevent_shown[k], &len);
		if (v == NULL) {
			v = "";
			len = 0;
		}
		r->raw[k] = xstrndup(v, len);
		buf_reset(&b);
		text_prepare(&b, v, len);
		r->shown[k] = xstrdup(b.p);
		w = text_width(b.p, b.len);
		if (w > e->cols[EC_FIRST_RAW + k].natural)
			e->cols[EC_FIRST_RAW + k].natural = w;
	}
	buf_free(&b);
	rawevent_free(&raw);
}

/* Reads every row not read yet, showing progress; -1 if stopped. */
static int
read_all(struct events *e, struct app *app)
{
	struct busy busy = { "reading the group's events from the file:", 0, 0 };
	size_t i;

	if (e->nread == e->n)
		return 0;
	busy.last = app_now();
	for (i = 0; i < e->n; i++) {
		if (e->rows[i] == NULL)
			read_row(e, (uint32_t)i);
		if ((i & 63) == 0 && app_busy(app, &busy, e->nread, e->n)) {
			app_error(app, "stopped after reading %zu of %zu events; "
			    "sorting by the raw columns, filter and search need "
			    "them all", e->nread, e->n);
			return -1;
		}
	}
	if (e->read_error)
		app_error(app, "%s", e->read_error);
	return 0;
}

static int
events_need_all(void *ctx, struct app *app, int col)
{
	struct events *e = ctx;

	if (col >= 0 && col < EC_FIRST_RAW)
		return 0;
	return read_all(e, app);
}

static const char *
events_cell(void *ctx, uint32_t id, int col, struct buf *scratch, size_t *len)
{
	struct events *e = ctx;
	struct app *app = e->app;
	const struct lh_event *ev = &app->d->ev[e->evs[id]];

	switch (col) {
	case EC_TIME:
		return text_time(ev->ts, scratch, len);
	case EC_DEVICE:
		return strcache_get(&app->sc,
		    table_event_device_name(app->d, ev), len, NULL);
	case EC_IP:
		return strcache_get(&app->sc, ev->key[K_REMOTEIP], len, NULL);
	default:
		if (e->rows[id] == NULL)
			read_row(e, id);
		*len = strlen(e->rows[id]->shown[col - EC_FIRST_RAW]);
		return e->rows[id]->shown[col - EC_FIRST_RAW];
	}
}

struct sort_arg {
	struct events *e;
	const struct tview_sort *s;
};

static int
cmp_col(struct events *e, uint32_t a, uint32_t b, int col)
{
	const struct table_data *d = e->app->d;
	const struct lh_event *x = &d->ev[e->evs[a]], *y = &d->ev[e->evs[b]];
	const char *p, *q;
	struct natsort_ip ka, kb;
	long pa, pb;
	uint32_t ia, ib;

	switch (col) {
	case EC_TIME:
		return (x->ts > y->ts) - (x->ts < y->ts);
	case EC_DEVICE:
		ia = table_event_device_name(d, x);
		ib = table_event_device_name(d, y);
		return natsort_text_cmp(strtab_str(d->st, ia), strtab_len(d->st, ia),
		    strtab_str(d->st, ib), strtab_len(d->st, ib));
	case EC_IP:
		p = strtab_str(d->st, x->key[K_REMOTEIP]);
		q = strtab_str(d->st, y->key[K_REMOTEIP]);
		natsort_ip_key(p, strlen(p), &ka);
		natsort_ip_key(q, strlen(q), &kb);
		return natsort_ip_cmp(&ka, p, strlen(p), &kb, q, strlen(q));
	default:
		if (e->rows[a] == NULL || e->rows[b] == NULL)
			return (e->rows[a] != NULL) - (e->rows[b] != NULL);
		p = e->rows[a]->raw[col - EC_FIRST_RAW];
		q = e->rows[b]->raw[col - EC_FIRST_RAW];
		if (col == EC_PORT) {
			/* Ports as numbers; empty ones first. */
			pa = *p ? strtol(p, NULL, 10) : -1;
			pb = *q ? strtol(q, NULL, 10) : -1;
			return (pa > pb) - (pa < pb);
		}
		return natsort_text_cmp(p, strlen(p), q, strlen(q));
	}
}

static int
cmp_events(const void *pa, const void *pb, void *arg)
{
	struct sort_arg *sa = arg;
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	int c;

	if ((c = cmp_col(sa->e, a, b, sa->s->col)) != 0)
		return sa->s->desc ? -c : c;
	if (sa->s->col2 >= 0 && (c = cmp_col(sa->e, a, b, sa->s->col2)) != 0)
		return sa->s->desc2 ? -c : c;
	if ((c = cmp_col(sa->e, a, b, EC_TIME)) != 0)
		return c;
	return (a > b) - (a < b);
}

static void
events_sort(void *ctx, uint32_t *ids, size_t n, const struct tview_sort *s)
{
	struct sort_arg sa = { ctx, s };

	qsort_r(ids, n, sizeof *ids, cmp_events, &sa);
}

static attr_t
events_row_attr(void *ctx, uint32_t id)
{
	struct events *e = ctx;

	return hunt_event_kept(&e->app->h, e->evs[id]) ? 0 : term_attr(UC_DIM);
}

static uint32_t
events_cell_key(void *ctx, uint32_t id, int col)
{
	struct events *e = ctx;
	const struct lh_event *ev = &e->app->d->ev[e->evs[id]];

	if (col == EC_DEVICE)
		return table_event_device_name(e->app->d, ev);
	if (col == EC_IP)
		return ev->key[K_REMOTEIP];
	return UINT32_MAX;
}

static const struct tview_ops events_tview_ops = {
	events_cell, events_sort, events_need_all, events_row_attr,
	events_cell_key, NULL,
};

/* The group's activity over its time span, one bucket per column. */
static void
draw_histogram(struct events *e, int y, int w, int lines)
{
	static const char *const blocks[] = { " ", "\xe2\x96\x81", "\xe2\x96\x82",
		"\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
		"\xe2\x96\x87", "\xe2\x96\x88" };
	static const char ascii[] = " .:-=+*#@";
	const struct table_data *d = e->app->d;
	struct timebins tb;
	uint32_t sel = UINT32_MAX;
	struct buf b = { 0 };
	struct line l;
	size_t len;
	int nb = w - 2, k;
	unsigned level;
	double hours;
	uint32_t cur;

	if (nb < 4 || lines < 1)
		return;
	if (timebins_fill(&tb, d, e->evs, e->n, (size_t)nb) != 0)
		return;
	if (tview_cursor(&e->tv, &cur) && d->ev[e->evs[cur]].ts != TS_NONE)
		sel = (uint32_t)timebins_index(&tb, d->ev[e->evs[cur]].ts);
	hours = (double)(tb.hi - tb.lo + 1) / TS_TICKS_PER_SEC / 3600.0 / nb;
	if (lines >= 2) {
		line_begin(&l, y++, 0, w, 0, term_attr(UC_DIM));
		line_puts(&l, "activity ");
		text_time(tb.lo, &b, &len);
		line_put(&l, b.p, len);
		line_puts(&l, " to ");
		buf_reset(&b);
		text_time(tb.hi, &b, &len);
		line_put(&l, b.p, len);
		if (hours >= 1)
			line_putf(&l, "   one column = %.1f h, highest %u events", hours, tb.peak);
		else
			line_putf(&l, "   one column = %.0f min, highest %u events",
			    hours * 60 < 1 ? 1 : hours * 60, tb.peak);
		line_puts(&l, "   highlighted: the cursor's event");
		line_end(&l);
	}
	line_begin(&l, y, 0, w, 0, term_attr(UC_HISTOGRAM));
	line_puts(&l, "|");
	for (k = 0; k < nb; k++) {
		level = timebins_level(&tb, (size_t)k, 8);
		l.attr = term_attr((uint32_t)k == sel ? UC_CURSOR : UC_HISTOGRAM);
		if ((uint32_t)k == sel && level == 0)
			line_puts(&l, "^");
		else if (term_utf8())
			line_puts(&l, blocks[level]);
		else
			line_putf(&l, "%c", ascii[level]);
	}
	l.attr = term_attr(UC_HISTOGRAM);
	line_puts(&l, "|");
	line_end(&l);
	timebins_free(&tb);
	buf_free(&b);
}

static void
events_draw(struct app *app, struct screen *s, int y, int h, int w)
{
	struct events *e = (struct events *)s;
	const struct lh_group *g = &app->h.g[e->group];
	struct line l;
	size_t len, kept = 0, i;
	const char *t;
	int head = h >= 10 ? 3 : h >= 6 ? 1 : 0, k;

	if (head >= 1) {
		line_begin(&l, y, 0, w, 0, term_attr(UC_TITLE));
		for (k = 0; k < K_N; k++) {
			t = strcache_get(&app->sc, g->key[k], &len, NULL);
			if (k == K_NAME)
				line_puts(&l, "\\");
			else if (k > 0)
				line_puts(&l, "  ");
			line_put(&l, t, len);
		}
		for (i = 0; i < e->n; i++)
			kept += hunt_event_kept(&app->h, e->evs[i]);
		l.attr = term_attr(UC_FUNNEL);
		line_putf(&l, "   %zu event%s on %u device%s", e->n, e->n == 1 ? "" : "s",
		    g->devices, g->devices == 1 ? "" : "s");
		if (kept != e->n)
			line_putf(&l, " (%zu excluded by device rules, dimmed)", e->n - kept);
		if (g->count == 0 && kept == e->n)
			line_puts(&l, " (the whole group is excluded now)");
		enrichview_put_group(app, &l, e->group);
		line_end(&l);
	}
	if (head >= 3)
		draw_histogram(e, y + 1, w, 2);
	e->list_y = y + head;
	tview_draw(&e->tv, y + head, 0, h - head, w);
}

static unsigned
events_action(struct app *app, struct screen *s, enum key_action a, int key)
{
	struct events *e = (struct events *)s;
	uint32_t id;

	switch (a) {
	case KA_ENTER:
		if (tview_cursor(&e->tv, &id))
			app_push(app, detail_new(app, e->evs[id], e->group));
		return UI_HANDLED | UI_REDRAW;
	case KA_BACK:
		return UI_POP;
	case KA_EXCLUDE_ROW:
		if (tview_cursor(&e->tv, &id))
			exclview_from_group(app, e->group, (long)e->evs[id]);
		return UI_HANDLED | UI_REDRAW;
	case KA_EXPORT:
		exportdlg_events(app, &e->tv, e->evs, e->group);
		return UI_HANDLED | UI_REDRAW;
	case KA_HISTORY:
		triageview_show_history(app, app->tri, e->group);
		return UI_HANDLED | UI_REDRAW;
	default:
		return tview_action(&e->tv, app, a, key);
	}
}

static unsigned
events_click(struct app *app, struct screen *s, int y, int x, int dbl)
{
	struct events *e = (struct events *)s;
	int row = y - e->list_y;
	unsigned fl;

	if (row < 0)
		return UI_HANDLED;
	fl = tview_click(&e->tv, app, row, x);
	if (dbl && row > 0)
		return events_action(app, s, KA_ENTER, 0);
	return fl;
}

static struct panel *
events_panel(struct screen *s)
{
	return &((struct events *)s)->tv.p;
}

static void
events_status(struct app *app, struct screen *s, struct buf *b)
{
	struct events *e = (struct events *)s;

	(void)app;
	tview_status(&e->tv, b);
	if (e->nread < e->n)
		buf_addf(b, "  read %zu/%zu", e->nread, e->n);
}

static void
events_free(struct app *app, struct screen *s)
{
	struct events *e = (struct events *)s;
	size_t i;
	int k;

	(void)app;
	for (i = 0; i < e->n; i++)
		if (e->rows[i]) {
			for (k = 0; k < NRAW; k++) {
				free(e->rows[i]->raw[k]);
				free(e->rows[i]->shown[k]);
			}
			free(e->rows[i]);
		}
	free(e->rows);
	free(e->evs);
	free(e->read_error);
	tview_free(&e->tv);
	free(e);
}

static const struct screen_ops events_ops = {
	KS_EVENTS, "Events", events_draw, events_action, events_click,
	events_panel, events_status, NULL, events_free,
};

struct screen *
events_new(struct app *app, uint32_t group)
{
	static const char *const names[EC_N] = {
		"Timestamp", "DeviceName", "RemoteIP", "RemotePort", "Protocol",
		"FailureReason", "IsLocalAdmin", "InitiatingProcessFileName",
		"InitiatingProcessCommandLine",
	};
	static const int caps[EC_N] = { 19, 28, 39, 10, 10, 24, 12, 26, 80 };
	static const char *const abbrevs[EC_N] = { "Time", "Device", NULL,
		"Port", NULL, "Failure", "Admin", "Process", "CommandLine" };
	struct events *e = xcalloc(1, sizeof *e);
	const struct lh_group *g = &app->h.g[group];
	uint32_t *ids;
	size_t i, len;
	int c, w;

	e->s.ops = &events_ops;
	e->app = app;
	e->group = group;
	e->n = g->ev_n;
	e->evs = xmalloc((e->n ? e->n : 1) * sizeof *e->evs);
	memcpy(e->evs, app->h.order + g->ev_off, e->n * sizeof *e->evs);
	e->rows = xcalloc(e->n ? e->n : 1, sizeof *e->rows);
	for (c = 0; c < EC_N; c++) {
		e->cols[c].name = names[c];
		e->cols[c].cap = caps[c];
		e->cols[c].abbrev = abbrevs[c];
		/* A port is a number: never cut. */
		e->cols[c].right = e->cols[c].fixed = c == EC_PORT;
		e->cols[c].time = c == EC_TIME;
		/* The address is what an analyst reads first: cut it last. */
		e->cols[c].keep = c == EC_IP;
		/* The raw columns are read lazily, so not measured: past this,
		 * a long value (a command line) gives way before the others. */
		if (c >= EC_FIRST_RAW)
			e->cols[c].typical = RAW_TYPICAL;
	}
	e->cols[EC_TIME].natural = 19;
	for (i = 0; i < e->n; i++) {
		strcache_get(&app->sc,
		    table_event_device_name(app->d, &app->d->ev[e->evs[i]]), &len, &w);
		if (w > e->cols[EC_DEVICE].natural)
			e->cols[EC_DEVICE].natural = w;
	}
	strcache_get(&app->sc, g->key[K_REMOTEIP], &len, &w);
	if (w > e->cols[EC_IP].natural)
		e->cols[EC_IP].natural = w;
	tview_init(&e->tv, &events_tview_ops, e, e->cols, EC_N, e->n,
	    strtab_count(app->d->st));
	e->tv.cells_screen = detail_cells_new;
	e->tv.sort.col = EC_TIME;
	ids = xmalloc((e->n ? e->n : 1) * sizeof *ids);
	for (i = 0; i < e->n; i++)
		ids[i] = (uint32_t)i;
	if (e->n <= READ_ALL_AT_ONCE)
		read_all(e, app);
	events_sort(e, ids, e->n, &e->tv.sort);
	tview_set_rows(&e->tv, ids, e->n);
	free(ids);
	return &e->s;
}
