#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "enrich.h"
#include "exclctl.h"
#include "export.h"
#include "enrichview.h"
#include "exportdlg.h"
#include "triageview.h"
#include "output.h"
#include "prompt.h"
#include "report.h"

enum what { SUMMARY_CSV, SUMMARY_JSON, EVENTS_CSV, EVENTS_JSON };

/* Asks for the file name; NULL if the user gave up. Never overwrites a
 * file without asking. */
static char *
ask_path(struct app *app, const char *label, const char *kind, const char *ext)
{
	char *dflt = export_default_name(kind, ext, time(NULL)), *path = NULL, *q;
	struct stat st;
	const char *home;

	for (;;) {
		/* The suggested name is replaced by what is typed; a name
		 * asked again (it exists, it is a directory) is edited. */
		if (!(path ? prompt_line(app, label, path, NULL, NULL, &q) :
		    prompt_suggest(app, label, dflt, &q))) {
			free(path);
			path = NULL;
			break;
		}
		free(path);
		path = q;
		if (path[0] == '\0') {
			app_error(app, "give a file name (Esc cancels)");
			continue;
		}
		if (strncmp(path, "~/", 2) == 0 && (home = getenv("HOME")) != NULL) {
			q = xasprintf("%s/%s", home, path + 2);
			free(path);
			path = q;
		}
		if (stat(path, &st) == 0) {
			char *question;
			int k;

			if (S_ISDIR(st.st_mode)) {
				app_error(app, "%s is a directory: give a file name", path);
				continue;
			}
			question = xasprintf("%s exists. Replace it? y: yes, n: choose "
			    "another name, Esc: cancel", path);
			k = prompt_choice(app, question, "yYnN", 0);
			free(question);
			if (k == 'y' || k == 'Y')
				break;
			if (k == 0) {
				free(path);
				path = NULL;
				break;
			}
			continue;
		}
		break;
	}
	free(dflt);
	return path;
}

/* What a write to path (the core's, as it is made: a file atomically, a
 * device or FIFO in place, a FIFO nobody reads an error rather than a
 * frozen console) came to: rc and cause. */
static void
written(struct app *app, int rc, char *cause, const char *path, size_t rows,
    const char *what)
{
	if (rc != 0) {
		/* A stop (Esc, an event that cannot be read back) says so
		 * itself. */
		app_error(app, "%s%s", strncmp(cause, "export stopped", 14) == 0 ?
		    "" : "export failed: ", cause);
		free(cause);
		return;
	}
	app_msg(app, "wrote %zu %s to %s", rows, what, path);
}

struct progress {
	struct app *app;
	struct busy busy;
	int started;
};

static int
show_progress(void *ctx, size_t done, size_t total)
{
	struct progress *p = ctx;

	/* The clock starts with the first event, once the columns are known. */
	if (!p->started) {
		p->started = 1;
		p->busy.last = app_now();
	}
	return app_busy(p->app, &p->busy, done, total);
}

/* Writes the raw rows of evs to path, each with the triage's columns of
 * its group (groups[i]), and says how it went. */
static void
write_events(struct app *app, const char *path, const uint32_t *evs,
    const uint32_t *groups, size_t n, int json)
{
	struct progress p = { app, { "reading events for the export:", 0, 0 }, 0 };
	struct out_extra tx;
	char *cause = NULL;
	int rc;

	rc = export_events_file(path, 1, app->d, app->rr, evs, groups, n, json ?
	    OUT_JSON : OUT_CSV, app->out_flags, triageview_extra(app, &tx, NULL),
	    show_progress, &p, &cause);
	written(app, rc, cause, path, n, n == 1 ? "event" : "events");
}

/* The events of groups ids[0 .. n), as export_group_events gives them,
 * and in *groups the group of each. */
static uint32_t *
group_events(const struct hunt *h, const uint32_t *ids, size_t n,
    uint32_t **groups, size_t *nev)
{
	uint32_t *evs = NULL, *one;
	size_t i, k, j, cap = 0, gcap = 0;

	*nev = 0;
	*groups = NULL;
	for (i = 0; i < n; i++) {
		if ((one = export_group_events(h, &ids[i], 1, &k)) == NULL)
			continue;
		evs = xgrow(evs, &cap, *nev + k, sizeof *evs);
		*groups = xgrow(*groups, &gcap, *nev + k, sizeof **groups);
		memcpy(evs + *nev, one, k * sizeof *evs);
		for (j = 0; j < k; j++)
			(*groups)[*nev + j] = ids[i];
		*nev += k;
		free(one);
	}
	return evs;
}

static const char *
formulas(const struct app *app)
{
	return app->out_flags & OUT_NEUTRALISE ? "formulas neutralised" :
	    "formulas NOT neutralised";
}

void
exportdlg_results(struct app *app, struct tview *tv)
{
	struct hunt *h = &app->h;
	uint32_t *ids, *evs = NULL, *groups = NULL;
	size_t n, nev = 0;
	int marked, key, events = 0;
	char *question, *path;
	enum what w;

	ids = tview_selection(tv, &n, &marked);
	if (n == 0) {
		app_error(app, "nothing to export: no rows are shown");
		free(ids);
		return;
	}
	/* The same letters on every screen: c CSV, j JSON, F the formulas;
	 * e switches to the events behind the groups (as in the report). */
	for (;;) {
		question = xasprintf("Export %s %zu %s as  c: CSV  j: JSON  "
		    "(e: their events instead: %s  F: CSV %s)",
		    marked ? "the marked" : "all", n, events ? (n == 1 ?
		    "group's events" : "groups' events") : n == 1 ? "group" :
		    "groups", events ? "yes" : "no", formulas(app));
		key = prompt_choice(app, question, "cjeF", 0);
		free(question);
		if (key == 'F')
			app->out_flags ^= OUT_NEUTRALISE;
		else if (key == 'e')
			events = !events;
		else
			break;
	}
	if (key == 0) {
		free(ids);
		return;
	}
	w = events ? (key == 'c' ? EVENTS_CSV : EVENTS_JSON) :
	    (key == 'c' ? SUMMARY_CSV : SUMMARY_JSON);
	path = ask_path(app, "Export to file: ", w <= SUMMARY_JSON ? "export" : "events",
	    w == SUMMARY_CSV || w == EVENTS_CSV ? "csv" : "json");
	if (path == NULL) {
		app_msg(app, "export cancelled");
		free(ids);
		return;
	}
	if (w <= SUMMARY_JSON) {
		struct out_extra x, tx;
		char *cause = NULL;
		int rc;

		/* Status, Verdict and Note after DistinctMachines, then the
		 * enrichment's columns, as the batch writes them. */
		rc = export_summary_file(path, 1, h, ids, n, w == SUMMARY_CSV ?
		    OUT_CSV : OUT_JSON, app->out_flags, triageview_extra(app,
		    &tx, enrichview_extra(app, &x)), &cause);
		written(app, rc, cause, path, n, n == 1 ? "summary row" :
		    "summary rows");
	} else {
		evs = group_events(h, ids, n, &groups, &nev);
		write_events(app, path, evs, groups, nev, w == EVENTS_JSON);
	}
	free(evs);
	free(groups);
	free(path);
	free(ids);
}

void
exportdlg_events(struct app *app, struct tview *tv, const uint32_t *group_evs,
    uint32_t group)
{
	uint32_t *ids, *groups;
	size_t n, i;
	int marked, key;
	char *question, *path;

	ids = tview_selection(tv, &n, &marked);
	if (n == 0) {
		app_error(app, "nothing to export");
		free(ids);
		return;
	}
	for (;;) {
		question = xasprintf("Export %s %zu event%s as  c: CSV  j: JSON  "
		    "(F: CSV %s)", marked ? "the marked" : "all", n,
		    n == 1 ? "" : "s", formulas(app));
		key = prompt_choice(app, question, "cjF", 0);
		free(question);
		if (key != 'F')
			break;
		app->out_flags ^= OUT_NEUTRALISE;
	}
	if (key == 0) {
		free(ids);
		return;
	}
	path = ask_path(app, "Export to file: ", "events", key == 'c' ? "csv" : "json");
	if (path == NULL) {
		app_msg(app, "export cancelled");
		free(ids);
		return;
	}
	groups = xmalloc(n * sizeof *groups);
	for (i = 0; i < n; i++) {
		ids[i] = group_evs[ids[i]];
		groups[i] = group;
	}
	write_events(app, path, ids, groups, n, key == 'j');
	free(groups);
	free(path);
	free(ids);
}

void
exportdlg_report(struct app *app, struct tview *tv)
{
	struct report_input in;
	struct report_extra rx;
	struct out_extra ox, tx;
	const struct out_extra *x;
	struct report_fact facts[16];
	struct buf src = { 0 };
	unsigned flags = 0;
	uint32_t *ids;
	size_t n;
	int marked, key;
	char *question, *path, *cause = NULL;

	ids = tview_selection(tv, &n, &marked);
	for (;;) {
		question = xasprintf("Report on %s %zu group%s as  h: HTML  m: Markdown"
		    "  (e: with their events: %s  a: anonymised: %s)",
		    marked ? "the marked" : "all", n, n == 1 ? "" : "s",
		    flags & REPORT_EVENTS ? "yes" : "no",
		    flags & REPORT_ANONYMIZE ? "yes" : "no");
		key = prompt_choice(app, question, "hmea", 0);
		free(question);
		if (key == 'e')
			flags ^= REPORT_EVENTS;
		else if (key == 'a')
			flags ^= REPORT_ANONYMIZE;
		else
			break;
	}
	if (key == 0 || (path = ask_path(app, "Report to file: ", "report",
	    key == 'h' ? "html" : "md")) == NULL) {
		app_msg(app, "report cancelled");
		free(ids);
		return;
	}
	memset(&in, 0, sizeof in);
	in.version = PACKAGE_VERSION;
	in.started = time(NULL);
	in.elapsed = app->load_seconds;
	in.h = &app->h;
	in.rows = ids;
	in.n = n;
	in.marked = marked;
	in.excl = app->x ? app->x->set : NULL;
	/* The matcher was compiled when the rules last changed; their state
	 * (expired or not) is told for now, as a new run would. */
	in.now = time(NULL);
	in.rr = app->rr;
	/* The triage's and the enrichment's columns, as the exports have
	 * them. */
	if ((x = triageview_extra(app, &tx, enrichview_extra(app, &ox))) != NULL) {
		rx.ncols = x->ncols;
		rx.name = x->name;
		rx.cell = x->cell;
		rx.ctx = x->ctx;
		in.extra = &rx;
	}
	/* Each enrichment source, as the batch's report lists them. */
	if (app->cfg->enrich != NULL) {
		enrich_describe(&src, app->cfg->enrich, in.now);
		in.nfacts = report_facts_from_lines(src.p, "Enrichment source",
		    facts, 0, sizeof facts / sizeof facts[0]);
		in.facts = facts;
	}
	if (report_write(path, 1, &in, key == 'h' ? REPORT_HTML : REPORT_MD,
	    flags, &cause) != 0) {
		app_error(app, "report failed: %s", cause);
		free(cause);
	} else
		app_msg(app, "wrote %zu %s to %s", n, n == 1 ?
		    "group in a report" : "groups in a report", path);
	buf_free(&src);
	free(path);
	free(ids);
}
