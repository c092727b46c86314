#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "export.h"
#include "output.h"
#include "prompt.h"
#include "rawevent.h"

enum what { SUMMARY_CSV, SUMMARY_JSON, EVENTS_CSV, EVENTS_JSON };

static char *
default_name(const char *kind, const char *ext)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	return xasprintf("logonhunt-%s-%s.%s", kind, stamp, ext);
}

/* Asks for the file name; NULL if the user gave up. Never overwrites a
 * file without asking. */
static char *
ask_path(struct app *app, const char *kind, const char *ext)
{
	char *dflt = default_name(kind, ext), *path = NULL, *q;
	struct stat st;
	const char *home;

	for (;;) {
		if (!prompt_line(app, "Export to file: ", path ? path : dflt, NULL,
		    NULL, &q)) {
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

static void
write_out(struct app *app, const char *path, const struct buf *b, size_t rows,
    const char *what)
{
	char *cause = NULL;

	if (util_write_atomic(path, b->p ? b->p : "", b->len, &cause) != 0) {
		app_error(app, "export failed: %s", cause);
		free(cause);
		return;
	}
	app_msg(app, "wrote %zu %s to %s", rows, what, path);
}

/* The union of the raw columns of the files the events come from, in the
 * order the first file has them. */
static int
collect_names(struct app *app, const uint32_t *evs, size_t n, char ***names,
    size_t *nnames)
{
	uint8_t *seen = xcalloc(app->d->nfiles ? app->d->nfiles : 1, 1);
	struct rawevent raw;
	size_t i, k, j, cap = 0;
	char *cause = NULL;

	*names = NULL;
	*nnames = 0;
	for (i = 0; i < n; i++) {
		uint32_t f = app->d->ev[evs[i]].file;

		if (seen[f])
			continue;
		seen[f] = 1;
		if (rawevent_read_at(app->rr, &app->d->ev[evs[i]], &raw, &cause) != 0) {
			app_error(app, "export stopped: %s", cause);
			free(cause);
			free(seen);
			return -1;
		}
		for (k = 0; k < raw.n; k++) {
			for (j = 0; j < *nnames; j++)
				if (strcmp((*names)[j], raw.names[k]) == 0)
					break;
			if (j == *nnames) {
				*names = xgrow(*names, &cap, *nnames + 1, sizeof **names);
				(*names)[(*nnames)++] = xstrdup(raw.names[k]);
			}
		}
		rawevent_free(&raw);
	}
	free(seen);
	return 0;
}

static void
free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Writes the raw rows of evs; returns -1 (message set) if stopped. */
static int
build_events(struct app *app, const uint32_t *evs, size_t n, int json,
    struct buf *b)
{
	struct busy busy = { "reading events for the export:", 0, 0 };
	struct rawevent raw;
	char **names;
	size_t nnames, i, k, len;
	char *cause = NULL;
	const char *v;

	if (collect_names(app, evs, n, &names, &nnames) != 0)
		return -1;
	busy.last = app_now();
	if (json)
		buf_addc(b, '[');
	else {
		for (k = 0; k < nnames; k++) {
			if (k)
				buf_addc(b, ',');
			output_csv_field(b, names[k], strlen(names[k]), 0);
		}
		buf_addc(b, '\n');
	}
	for (i = 0; i < n; i++) {
		if (app_busy(app, &busy, i, n)) {
			app_error(app, "export stopped: nothing was written");
			free_names(names, nnames);
			return -1;
		}
		if (rawevent_read_at(app->rr, &app->d->ev[evs[i]], &raw, &cause) != 0) {
			app_error(app, "export stopped, nothing was written: %s", cause);
			free(cause);
			free_names(names, nnames);
			return -1;
		}
		if (json)
			buf_add(b, i ? ",\n {" : "\n {", i ? 4 : 3);
		for (k = 0; k < nnames; k++) {
			v = rawevent_get(&raw, names[k], &len);
			if (json) {
				if (k)
					buf_add(b, ", ", 2);
				output_json_string(b, names[k], strlen(names[k]));
				buf_add(b, ": ", 2);
				if (v)
					output_json_string(b, v, len);
				else
					buf_add(b, "null", 4);
			} else {
				if (k)
					buf_addc(b, ',');
				if (v)
					output_csv_field(b, v, len, app->out_flags);
			}
		}
		buf_add(b, json ? "}" : "\n", 1);
		rawevent_free(&raw);
	}
	if (json)
		buf_add(b, n ? "\n]\n" : "]\n", n ? 3 : 2);
	free_names(names, nnames);
	return 0;
}

static const char *
formulas(const struct app *app)
{
	return app->out_flags & OUT_NEUTRALISE ? "formulas neutralised" :
	    "formulas NOT neutralised";
}

void
export_results(struct app *app, struct tview *tv)
{
	struct hunt *h = &app->h;
	struct buf b = { 0 };
	uint32_t *ids, *evs = NULL;
	size_t n, nev = 0, cap = 0, i, k;
	int marked, key;
	char *question, *path;
	enum what w;

	ids = tview_selection(tv, &n, &marked);
	if (n == 0) {
		app_error(app, "nothing to export: no rows are shown");
		free(ids);
		return;
	}
	for (;;) {
		question = xasprintf("Export %s %zu group%s as  s: summary CSV  "
		    "j: summary JSON  e: their events CSV  J: events JSON  "
		    "(F: CSV %s)", marked ? "the marked" : "all", n,
		    n == 1 ? "" : "s", formulas(app));
		key = prompt_choice(app, question, "sjeJF", 0);
		free(question);
		if (key != 'F')
			break;
		app->out_flags ^= OUT_NEUTRALISE;
	}
	switch (key) {
	case 's': w = SUMMARY_CSV; break;
	case 'j': w = SUMMARY_JSON; break;
	case 'e': w = EVENTS_CSV; break;
	case 'J': w = EVENTS_JSON; break;
	default:
		free(ids);
		return;
	}
	path = ask_path(app, w <= SUMMARY_JSON ? "export" : "events",
	    w == SUMMARY_CSV || w == EVENTS_CSV ? "csv" : "json");
	if (path == NULL) {
		app_msg(app, "export cancelled");
		free(ids);
		return;
	}
	if (w <= SUMMARY_JSON) {
		output_summary(&b, h, ids, n, w == SUMMARY_CSV ? OUT_CSV : OUT_JSON,
		    app->out_flags);
		write_out(app, path, &b, n, n == 1 ? "summary row" : "summary rows");
	} else {
		/* The events still counted in those groups, group by group. */
		for (i = 0; i < n; i++) {
			const struct lh_group *g = &h->g[ids[i]];
			for (k = 0; k < g->ev_n; k++) {
				uint32_t ev = h->order[g->ev_off + k];
				if (!hunt_event_kept(h, ev))
					continue;
				evs = xgrow(evs, &cap, nev + 1, sizeof *evs);
				evs[nev++] = ev;
			}
		}
		if (build_events(app, evs, nev, w == EVENTS_JSON, &b) == 0)
			write_out(app, path, &b, nev, nev == 1 ? "event" : "events");
	}
	buf_free(&b);
	free(evs);
	free(path);
	free(ids);
}

void
export_events(struct app *app, struct tview *tv, const uint32_t *group_evs)
{
	struct buf b = { 0 };
	uint32_t *ids;
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
	path = ask_path(app, "events", key == 'c' ? "csv" : "json");
	if (path == NULL) {
		app_msg(app, "export cancelled");
		free(ids);
		return;
	}
	for (i = 0; i < n; i++)
		ids[i] = group_evs[ids[i]];
	if (build_events(app, ids, n, key == 'j', &b) == 0)
		write_out(app, path, &b, n, n == 1 ? "event" : "events");
	buf_free(&b);
	free(path);
	free(ids);
}
