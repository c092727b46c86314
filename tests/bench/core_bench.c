/* Times the core operations behind the console: the summary, re-applying
 * exclusions, and every key the results list offers, at 100,000 and at
 * 1,000,000 groups (or the sizes given): sort by each column (the first
 * press of a column and later ones), reverse, each keystroke of a filter
 * and of a search, search next, switching one exclusion rule and a whole
 * category off and on, a filter on the ledger's status, page down. Each
 * key's work runs as the console runs it (the list browser, ui/tview.c,
 * over the hunt) and is followed by drawing the screen into curses'
 * buffer; what the terminal then shows is timed by tests/bench/keys_tmux.sh.
 * The table gives, per key, the 95th percentile and the worst of its
 * presses, wall and CPU time (of the thread that ran the key, and the
 * 95th percentile of the process's, both threads of a filter or search
 * pass), against the targets: 16 ms at 100,000
 * groups, 50 ms at 1,000,000. Then, at the first size, a report of 50,000
 * groups and SHA-256's speed, which the report's manifest pays per input.
 *
 * core_bench [--quick] [--verbose] [GROUPS ...]
 *   --quick: 100,000 groups only; --verbose: each filter and search press
 *
 * Not a test: `make bench` runs it and docs/PERFORMANCE.md keeps figures. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "excl.h"
#include "exclctl.h"
#include "exclfilter.h"
#include "hunt.h"
#include "ledger.h"
#include "report.h"
#include "sha256.h"
#include "table.h"
#include "text.h"
#include "triage.h"
#include "ts.h"
#include "tview.h"

/* CPU time of this thread: on a shared, loaded machine the wall clock
 * says little. */
static double
cpu(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of the whole process: the filter and the search judge many
 * rows on two threads. */
static double
cpu_all(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int verbose;		/* --verbose: every filter and search press */

/* ------------------------------------------------------------ the data */

/* Three logons per group, from 1,000 devices. */
static struct table_data *
make_data(size_t ngroups)
{
	struct table_data *d = table_data_new();
	struct table_chunk c;
	struct lh_str v[LC_N];
	char buf[LC_N][64];
	size_t i;
	int k;

	table_data_add_file(d, "(synthetic)", LH_LOGONS, 0, 0);
	table_chunk_init(&c, LH_LOGONS, 0);
	for (i = 0; i < ngroups * 3; i++) {
		size_t g = i % ngroups;
		snprintf(buf[LC_TIMESTAMP], 64, "2025-03-%02zuT%02zu:%02zu:00Z", 1 + i % 28, i % 24, i % 60);
		snprintf(buf[LC_DEVICEID], 64, "%040zx", i % 1000);
		snprintf(buf[LC_DEVICENAME], 64, "ws-%04zu.contoso.com", i % 1000);
		snprintf(buf[LC_ACTIONTYPE], 64, "%s", g % 3 ? "LogonFailed" : "LogonSuccess");
		snprintf(buf[LC_LOGONTYPE], 64, "%s", g % 5 ? "Network" : "RemoteInteractive");
		snprintf(buf[LC_ACCOUNTDOMAIN], 64, "%s", g % 2 ? "CONTOSO" : "FABRIKAM");
		snprintf(buf[LC_ACCOUNTNAME], 64, "user%zu", g % 20011);
		snprintf(buf[LC_REMOTEIP], 64, "%zu.%zu.%zu.%zu", 11 + g % 200, (g / 200) % 256, (g * 7) % 256, g % 251);
		snprintf(buf[LC_REMOTEIPTYPE], 64, "Public");
		for (k = 0; k < LC_N; k++) {
			v[k].p = buf[k];
			v[k].n = strlen(buf[k]);
		}
		table_chunk_row(&c, v, 0, 1);
	}
	table_data_merge(d, &c, 0);
	table_chunk_free(&c);
	return d;
}

/* 1,000 rules of each kind, as a big allowlist would have: address
 * ranges in category 0, accounts in 1, one device pattern in 2; and
 * rules that overlap them in 3 (narrower ranges inside those of 0,
 * accounts some of 1's also take) and 4 (devices, accounts, ranges). The
 * console's own exclusions (exclctl) hold them, as the exclusions screen
 * switches them. */
static struct xctl *
make_rules(void)
{
	struct xctl *x;
	struct excl_set *set;
	char *cause = NULL;
	size_t i;

	x = xctl_open("/nonexistent/core_bench/exclusions", &cause);
	if (x == NULL) {
		fprintf(stderr, "core_bench: %s\n", cause);
		exit(1);
	}
	set = x->set;
	for (i = 0; i < 1000; i++) {
		char r[64];
		snprintf(r, sizeof r, "%zu.%zu.0.0/16", 11 + i % 200, i % 256);
		excl_rule_add(set, 0, EXCL_IP, r, NULL, 0, &cause);
		snprintf(r, sizeof r, "CONTOSO\\user%zu*", i * 17);
		excl_rule_add(set, 1, EXCL_ACCOUNT, r, NULL, 0, &cause);
	}
	excl_rule_add(set, 2, EXCL_DEVICE, "ws-000*", NULL, 0, &cause);
	for (i = 0; i < 200; i++) {
		char r[64];
		snprintf(r, sizeof r, "%zu.%zu.%zu.0/24", 11 + i % 200, i % 256,
		    i % 7);
		excl_rule_add(set, 3, EXCL_IP, r, NULL, 0, &cause);
		snprintf(r, sizeof r, "*\\user%zu", i * 97);
		excl_rule_add(set, 3, EXCL_ACCOUNT, r, NULL, 0, &cause);
	}
	excl_rule_add(set, 4, EXCL_DEVICE, "ws-09*", NULL, 0, &cause);
	excl_rule_add(set, 4, EXCL_ACCOUNT, "FABRIKAM\\user3*", NULL, 0, &cause);
	excl_rule_add(set, 4, EXCL_IP, "12.0.0.0/8", NULL, 0, &cause);
	free(cause);
	return x;
}

/* ------------------------------------------------- the list, as shown */

struct view {
	struct hunt h;
	struct tview tv;
	struct tview_col cols[HC_N];
	uint64_t (*times)[2];	/* per group at base, its times' digits */
	int base;		/* tv.all sorted with every group at base */
	struct xctl *x;
	struct ledger *led;
	struct ledger_run run;
	int screen;		/* curses is up: draw after each key */
};

/* As ui/results.c keeps a group's times: their digits at its base
 * figures, made at load; a group a device rule changed has them made
 * afresh. */
static uint64_t
view_time(struct view *v, uint32_t id, int k)
{
	const struct lh_group *g = &v->h.g[id];
	uint64_t *d = &v->times[id][k];

	if (g->count != g->base_count)
		return tview_time_digits(k ? g->last : g->first);
	if (*d == 0)
		*d = tview_time_digits(k ? g->last : g->first);
	return *d;
}

/* As ui/results.c shows a cell (the times as text_time writes them). */
static const char *
view_cell(void *ctx, uint32_t id, int col, struct buf *scratch, size_t *len)
{
	struct view *v = ctx;
	const struct lh_group *g = &v->h.g[id];
	char tmp[TS_BUFSZ];
	const char *p;

	if (col == HC_EARLIEST || col == HC_LATEST) {
		uint64_t d = view_time(v, id, col - HC_EARLIEST);

		if (d == TVIEW_NO_DIGITS)
			return text_time(col == HC_EARLIEST ? g->first : g->last,
			    scratch, len);
		tview_digits_time(d, tmp);
		buf_add(scratch, tmp, 19);
		*len = 19;
		return scratch->p;
	}
	p = hunt_cell(&v->h, g, (enum hunt_col)col, tmp, len);
	if (p == tmp) {
		buf_add(scratch, tmp, *len);
		return scratch->p;
	}
	return p;
}

/* As ui/results.c gives the times' and the counts' digits. */
static int
view_cell_digits(void *ctx, uint32_t id, int col, uint64_t *digits,
    int *ndigits)
{
	struct view *v = ctx;
	const struct lh_group *g = &v->h.g[id];

	if (col == HC_EARLIEST || col == HC_LATEST) {
		*digits = view_time(v, id, col - HC_EARLIEST);
		*ndigits = 14;
		return *digits != TVIEW_NO_DIGITS;
	}
	if (col != HC_INSTANCES && col != HC_DISTINCT)
		return 0;
	return tview_number_digits(col == HC_INSTANCES ? g->count : g->devices,
	    digits, ndigits);
}

static void
view_sort(void *ctx, uint32_t *ids, size_t n, const struct tview_sort *s)
{
	struct view *v = ctx;
	struct hunt_sort hs = { (enum hunt_col)s->col, s->desc, s->col2, s->desc2 };

	hunt_sort_ids(&v->h, &hs, ids, n);
}

static uint32_t
view_cell_key(void *ctx, uint32_t id, int col)
{
	struct view *v = ctx;

	return col <= HC_ACTIONTYPE ? v->h.g[id].key[col] : UINT32_MAX;
}

static const struct tview_ops view_ops = {
	view_cell, view_sort, NULL, NULL, view_cell_key, view_cell_digits,
};

static void
view_draw(struct view *v)
{
	if (v->screen) {
		tview_draw(&v->tv, 3, 0, LINES - 5, COLS);
		wnoutrefresh(stdscr);
	}
}

static struct hunt_sort
view_hunt_sort(const struct view *v)
{
	struct hunt_sort hs = { (enum hunt_col)v->tv.sort.col, v->tv.sort.desc,
		v->tv.sort.col2, v->tv.sort.desc2 };
	return hs;
}

/* Never stops; looks at the clock as app_busy does. */
static int
view_stop(void *ctx, size_t done, size_t total)
{
	(void)ctx;
	(void)done;
	(void)total;
	return now() < 0;
}

/* The exclusions changed: apply them and take the rows shown now, as
 * the exclusions screen and ui/results.c do. */
static void
view_apply(struct view *v, int merge)
{
	struct hunt_sort hs = view_hunt_sort(v);
	uint32_t *rows = xmalloc((v->h.ng ? v->h.ng : 1) * sizeof *rows);
	size_t n;
	double t[5];

	t[0] = t[1] = cpu();
	/* As the exclusions screen applies a change: stoppable, asking
	 * (as app_busy does) the clock each time. */
	xctl_apply_stoppable(v->x, &v->h, view_stop, NULL);
	t[2] = cpu();
	n = merge ? hunt_rows_update(&v->h, &hs, v->tv.all, v->tv.nall,
	    v->base, rows) : hunt_rows(&v->h, &hs, rows);
	t[3] = cpu();
	tview_set_rows(&v->tv, rows, n);
	v->base = hunt_at_base(&v->h);
	free(rows);
	t[4] = cpu();
	if (verbose)
		printf("    exclusions applied: compiled and hunt_apply %.1f, "
		    "rows %.1f, the list %.1f ms of CPU\n",
		    (t[2] - t[0]) * 1e3, (t[3] - t[2]) * 1e3, (t[4] - t[3]) * 1e3);
}

/* A ledger that has seen every other group, with a verdict on one in
 * ten of those, as after a few weeks of triage. */
static void
view_ledger(struct view *v)
{
	struct lh_str key[K_N];
	struct ledger_figures fig;
	size_t i;
	long rec;

	v->led = ledger_new("/tmp/core_bench.ledger");
	for (i = 0; i < v->h.ng; i += 2) {
		ledger_hunt_key(&v->h, &v->h.g[i], key);
		rec = ledger_add(v->led, key, 1);
		ledger_group_figures(&v->h.g[i], &fig);
		ledger_record_shown(v->led, rec, &fig, 1);
		if (i % 20 == 0)
			ledger_set_verdict(v->led, rec, LV_BENIGN_POSITIVE, NULL,
			    "bench", 2, &fig);
	}
}

/* ------------------------------------------------------------ the keys */

enum bench_key {
	BK_SORT_FIRST, BK_SORT_LATER, BK_REVERSE, BK_FILTER, BK_FILTER_BACK,
	BK_SEARCH, BK_NEXT, BK_RULE, BK_CATEGORY, BK_CAT0, BK_CAT1, BK_CAT2,
	BK_CAT3, BK_CAT4, BK_STATUS, BK_PGDN,
	BK_N
};

static const char *const key_names[BK_N] = {
	"sort by a column, first press", "sort by a column, later",
	"reverse (r)", "filter, a keystroke", "filter, backspace",
	"search, a keystroke", "search next (n)", "exclusion rule on/off",
	"exclusion category on/off", "  maintenance (addresses)",
	"  siem (accounts)", "  rds (a device)", "  defender (overlaps)",
	"  backup (mixed)", "status filter (ledger)", "page down",
};

#define MAXPRESS 256

struct presses {
	double wall[MAXPRESS], cpu[MAXPRESS], all[MAXPRESS];
	size_t n;
};

static struct presses pr[BK_N];
static double t_wall, t_cpu, t_all;
static const char *pressing;	/* its text */

static void
press_begin(void)
{
	t_wall = now();
	t_cpu = cpu();
	t_all = cpu_all();
}

static void
press_end(struct view *v, enum bench_key k)
{
	view_draw(v);
	if (pr[k].n < MAXPRESS) {
		pr[k].wall[pr[k].n] = (now() - t_wall) * 1e3;
		pr[k].cpu[pr[k].n] = (cpu() - t_cpu) * 1e3;
		pr[k].all[pr[k].n] = (cpu_all() - t_all) * 1e3;
		pr[k].n++;
		if (verbose && pressing != NULL)
			printf("    %-28s %-16s %7.1f ms, CPU %7.1f ms, both "
			    "threads %7.1f ms\n", key_names[k], pressing,
			    pr[k].wall[pr[k].n - 1], pr[k].cpu[pr[k].n - 1],
			    pr[k].all[pr[k].n - 1]);
	}
	pressing = NULL;
}

/* The last press of one key counted under another too. */
static void
press_copy(enum bench_key from, enum bench_key to)
{
	size_t i = pr[from].n - 1;

	if (pr[to].n < MAXPRESS) {
		pr[to].wall[pr[to].n] = pr[from].wall[i];
		pr[to].cpu[pr[to].n] = pr[from].cpu[i];
		pr[to].all[pr[to].n] = pr[from].all[i];
		pr[to].n++;
	}
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The 95th percentile (nearest rank) and the worst. */
static void
p95_worst(double *v, size_t n, double *p95, double *worst)
{
	size_t r;

	qsort(v, n, sizeof *v, dbl_cmp);
	r = (95 * n + 99) / 100;
	*p95 = v[r ? r - 1 : 0];
	*worst = v[n - 1];
}

static void
type_filter(struct view *v, const char *word)
{
	char text[64];
	size_t i, n = strlen(word);

	for (i = 1; i <= n; i++) {
		memcpy(text, word, i);
		text[i] = '\0';
		press_begin();
		tview_set_filter(&v->tv, text);
		pressing = text;
		press_end(v, BK_FILTER);
	}
	for (i = n; i-- > 0;) {
		memcpy(text, word, i);
		text[i] = '\0';
		press_begin();
		tview_set_filter(&v->tv, i ? text : NULL);
		pressing = text;
		press_end(v, BK_FILTER_BACK);
	}
}

static void
type_search(struct view *v, const char *word, int nexts)
{
	size_t i, n = strlen(word), origin = v->tv.p.cur;
	int k;

	for (i = 1; i <= n; i++) {
		press_begin();
		search_clear(&v->tv.find);
		v->tv.find.text = xstrndup(word, i);
		v->tv.p.cur = origin;
		search_move(&v->tv.find, 1, 1);
		pressing = v->tv.find.text;
		press_end(v, BK_SEARCH);
	}
	for (k = 0; k < nexts; k++) {
		press_begin();
		search_move(&v->tv.find, 1, 0);
		press_end(v, BK_NEXT);
	}
	search_clear(&v->tv.find);
}

static void
keys_run(size_t ngroups)
{
	static const char *const filters[] = { "user12", "CONTOSO", "11.3",
		"2025-03-0", "RemoteI", "!Failed" };
	static const char *const searches[] = { "user1999", "FABRIKAM",
		"203.0.113", "2025-03-28 23" };
	struct view v;
	struct table_data *d = make_data(ngroups);
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0, 1, 0 };
	double target = ngroups <= 100000 ? 16 : 50, w0, c0;
	uint32_t *rows, *all;
	size_t i, n, f, nall;
	char *cause = NULL;
	int col, round;
	enum bench_key k;

	memset(&v, 0, sizeof v);
	memset(pr, 0, sizeof pr);
	v.screen = stdscr != NULL;
	w0 = now();
	c0 = cpu();
	hunt_run(&v.h, d, &ho);
	printf("\n%zu groups (%zu logons)\n", v.h.ng, d->nev);
	printf("  the hunt, with sorting prepared (at load): %.1f ms (CPU %.1f ms)\n",
	    (now() - w0) * 1e3, (cpu() - c0) * 1e3);
	for (col = 0; col < HC_N; col++) {
		v.cols[col].name = hunt_col_name((enum hunt_col)col);
		v.cols[col].natural = col <= HC_ACTIONTYPE ? 20 : 19;
		v.cols[col].cap = 24;
		v.cols[col].right = col >= HC_INSTANCES;
		v.cols[col].desc_first = col >= HC_EARLIEST;
		v.cols[col].fixed = col >= HC_EARLIEST;
		v.cols[col].time = col == HC_EARLIEST || col == HC_LATEST;
		v.cols[col].digits = col >= HC_INSTANCES;
		v.cols[col].chars = tview_cell_chars(col >= HC_INSTANCES ?
		    TVIEW_CELLS_DIGITS : v.cols[col].time ? TVIEW_CELLS_TIME :
		    TVIEW_CELLS_ANY);
	}
	v.times = xcalloc(v.h.ng ? v.h.ng : 1, sizeof *v.times);
	w0 = now();
	c0 = cpu();
	for (i = 0; i < v.h.ng; i++) {
		view_time(&v, (uint32_t)i, 0);
		view_time(&v, (uint32_t)i, 1);
	}
	printf("  the times' digits (at load): %.1f ms (CPU %.1f ms)\n",
	    (now() - w0) * 1e3, (cpu() - c0) * 1e3);
	tview_init(&v.tv, &view_ops, &v, v.cols, HC_N, v.h.ng, strtab_count(d->st));
	/* As ui/results.c: the cells are read-only (hunt_cell, the times
	 * made above). */
	v.tv.threads = 1;
	v.tv.sort.col = HC_INSTANCES;
	v.tv.sort.desc = 1;
	v.x = make_rules();
	w0 = now();
	c0 = cpu();
	view_apply(&v, 0);
	printf("  exclusions (%zu rules) and the first rows shown: %.1f ms (CPU %.1f ms), %zu groups shown\n",
	    excl_rule_count(v.x->set), (now() - w0) * 1e3, (cpu() - c0) * 1e3, v.tv.p.n);
	view_ledger(&v);
	w0 = now();
	c0 = cpu();
	ledger_run_match(&v.run, v.led, &v.h);
	printf("  the ledger's status of every group (at load): %.1f ms (CPU %.1f ms)\n",
	    (now() - w0) * 1e3, (cpu() - c0) * 1e3);
	view_draw(&v);

	/* Each column once (the first press), then again, twice round. */
	for (col = HC_N - 1; col >= 0; col--) {
		press_begin();
		tview_action(&v.tv, NULL, KA_SORT_COL, '1' + col);
		press_end(&v, BK_SORT_FIRST);
	}
	for (round = 0; round < 2; round++)
		for (col = 0; col < HC_N; col++) {
			press_begin();
			tview_action(&v.tv, NULL, KA_SORT_COL, '1' + col);
			press_end(&v, BK_SORT_LATER);
			press_begin();
			tview_action(&v.tv, NULL, KA_SORT_REVERSE, 'r');
			press_end(&v, BK_REVERSE);
		}
	for (f = 0; f < sizeof filters / sizeof *filters; f++)
		type_filter(&v, filters[f]);
	for (f = 0; f < sizeof searches / sizeof *searches; f++)
		type_search(&v, searches[f], 5);
	/* Each of ten address rules off and on again, then each category,
	 * as the exclusions screen makes the change (not saved here). */
	for (i = 0; i < 20; i += 2) {
		for (round = 0; round < 2; round++) {
			struct xop *op = xop_for_rule(v.x, XOP_RULE_ENABLE, i);

			op->on = round;
			press_begin();
			if (xctl_change(v.x, op, 0, &cause) != 0)
				abort();
			view_apply(&v, 1);
			press_end(&v, BK_RULE);
		}
	}
	for (round = 0; round < 4 * 5; round++) {
		size_t cat = (size_t)round / 4;

		press_begin();
		if (xctl_change(v.x, xop_toggle_category(v.x, cat), 0,
		    &cause) != 0)
			abort();
		view_apply(&v, 1);
		press_end(&v, BK_CATEGORY);
		press_copy(BK_CATEGORY, (enum bench_key)(BK_CAT0 + cat));
	}
	/* Only the new groups, only those seen before, every group: the
	 * rows in the order shown, kept whole aside. */
	rows = xmalloc((v.h.ng ? v.h.ng : 1) * sizeof *rows);
	all = xmalloc((v.h.ng ? v.h.ng : 1) * sizeof *all);
	nall = v.tv.nall;
	memcpy(all, v.tv.all, nall * sizeof *all);
	for (round = 0; round < 6; round++) {
		unsigned mask = round % 3 == 0 ? 1u << LS_NEW :
		    round % 3 == 1 ? 1u << LS_SEEN | TRIAGE_ONLY_UNTRIAGED : 0;

		press_begin();
		memcpy(rows, all, nall * sizeof *rows);
		n = triage_only_filter(v.led, &v.run, rows, nall, mask);
		tview_set_rows(&v.tv, rows, n);
		press_end(&v, BK_STATUS);
	}
	free(all);
	free(rows);
	for (i = 0; i < 50; i++) {
		press_begin();
		tview_action(&v.tv, NULL, KA_PGDN, 0);
		press_end(&v, BK_PGDN);
	}

	printf("  %-28s %7s %9s %9s %9s %9s %9s  %s\n", "key", "presses",
	    "p95 ms", "worst ms", "p95 CPU", "worst CPU", "p95 both", "target");
	for (k = 0; k < BK_N; k++) {
		double wp, ww, cp, cw, ap, aw;
		if (pr[k].n == 0)
			continue;
		p95_worst(pr[k].wall, pr[k].n, &wp, &ww);
		p95_worst(pr[k].cpu, pr[k].n, &cp, &cw);
		p95_worst(pr[k].all, pr[k].n, &ap, &aw);
		printf("  %-28s %7zu %9.1f %9.1f %9.1f %9.1f %9.1f  %.0f ms: %s\n",
		    key_names[k], pr[k].n, wp, ww, cp, cw, ap, target,
		    ww <= target ? "fits" : cp <= target ? "fits in CPU, not in wall" :
		    "SLOW");
	}
	free(cause);
	ledger_run_free(&v.run);
	ledger_free(v.led);
	tview_free(&v.tv);
	free(v.times);
	xctl_free(v.x);
	hunt_free(&v.h);
	table_data_free(d);
}

/* ------------------------------------------- a report, and its hashing */

static void
report_run(void)
{
	struct table_data *d = make_data(100000);
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0, 1, 0 };
	struct hunt h;
	struct hunt_sort s;
	struct report_input in;
	struct buf out = { 0 };
	enum report_format f;
	unsigned char *big = malloc(256u << 20), dg[SHA256_LEN];
	uint32_t *rows;
	char *cause = NULL;
	size_t n;
	double t0, t;

	hunt_run(&h, d, &ho);
	hunt_apply(&h, NULL);
	rows = malloc(h.ng * sizeof *rows);
	hunt_sort_parse("Instances", &s);
	n = hunt_rows(&h, &s, rows);
	/* The input is synthetic: no file to hash; sha256 is timed apart. */
	memset(&in, 0, sizeof in);
	in.version = "bench";
	in.cmdline = "core_bench";
	in.h = &h;
	in.rows = rows;
	in.n = n < 50000 ? n : 50000;
	in.now = time(NULL);
	printf("\n");
	for (f = REPORT_HTML; f <= REPORT_MD; f++) {
		double c0 = cpu();

		t0 = now();
		report_build(&out, &in, f, 0, &cause);
		printf("report of %zu groups as %s: %.1f ms (CPU %.1f ms), %.1f MB\n",
		    in.n, f == REPORT_HTML ? "HTML" : "Markdown",
		    (now() - t0) * 1e3, (cpu() - c0) * 1e3, out.len / 1e6);
		buf_reset(&out);
		free(cause);
		cause = NULL;
	}
	buf_free(&out);
	memset(big, 0x5a, 256u << 20);
	t0 = cpu();
	sha256_digest(big, 256u << 20, dg);
	t = cpu() - t0;
	printf("SHA-256 of 256 MiB: CPU %.1f ms (%.0f MB/s)\n", t * 1e3,
	    (256u << 20) / 1e6 / t);
	free(big);
	free(rows);
	hunt_free(&h);
	table_data_free(d);
}

int
main(int argc, char **argv)
{
	size_t sizes[16], nsizes = 0;
	SCREEN *scr = NULL;
	FILE *devnull;
	int i, quick = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			quick = 1;
		else if (strcmp(argv[i], "--verbose") == 0)
			verbose = 1;
		else if (nsizes < 16)
			sizes[nsizes++] = strtoul(argv[i], NULL, 10);
	}
	if (nsizes == 0) {
		sizes[nsizes++] = 100000;
		if (!quick)
			sizes[nsizes++] = 1000000;
	}
	/* A 50-line screen drawn into curses' buffer, written to nowhere. */
	setenv("TERM", "xterm", 1);
	if ((devnull = fopen("/dev/null", "w")) != NULL &&
	    (scr = newterm(NULL, devnull, stdin)) != NULL) {
		set_term(scr);
		resizeterm(50, 200);
	} else
		printf("no terminfo for xterm: keys timed without drawing\n");
	printf("keys of the results list: each key's work and the draw into "
	    "curses' buffer\n");
	for (i = 0; i < (int)nsizes; i++)
		keys_run(sizes[i]);
	if (scr != NULL) {
		endwin();
		delscreen(scr);
	}
	if (devnull != NULL)
		fclose(devnull);
	report_run();
	return 0;
}
