#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load.h"
#include "loadview.h"
#include "term.h"

#define MAX_WARNINGS 1000

struct loadjob {
	pthread_mutex_t mu;
	struct app *app;
	struct load_opts opts;
	uint64_t *done;		/* bytes read, per input */
	uint64_t *size;		/* bytes, per input */
	uint64_t total;
	uint64_t rows;
	size_t current;		/* input being read */
	size_t *order;		/* per input: 1 for the first read, 2 ..., 0 not yet */
	size_t nstarted;
	double seconds;
	int cancel;
	int finished, rc;
	char *cause;
	size_t nwarn_extra;
};

static int
on_progress(void *ctx, const struct load_progress *p)
{
	struct loadjob *j = ctx;
	const struct ui_config *cfg = j->app->cfg;
	size_t i;
	int cancel;

	pthread_mutex_lock(&j->mu);
	for (i = 0; i < cfg->ninputs; i++)
		if (p->path != NULL && strcmp(cfg->inputs[i].path, p->path) == 0) {
			j->done[i] = p->bytes_done;
			if (p->bytes_total)
				j->size[i] = p->bytes_total;
			/* Inputs are read one after another, not in the
			 * order given: the one before is finished. */
			if (j->order[i] == 0) {
				if (j->nstarted > 0)
					j->done[j->current] = j->size[j->current];
				j->order[i] = ++j->nstarted;
			}
			j->current = i;
			break;
		}
	j->rows = p->rows;
	j->seconds = p->seconds;
	cancel = j->cancel;
	pthread_mutex_unlock(&j->mu);
	return cancel;
}

static void
on_warn(void *ctx, const char *msg)
{
	struct loadjob *j = ctx;
	struct app *app = j->app;

	pthread_mutex_lock(&j->mu);
	if (app->nwarnings < MAX_WARNINGS) {
		app->warnings = xrealloc(app->warnings,
		    (app->nwarnings + 1) * sizeof *app->warnings);
		app->warnings[app->nwarnings++] = xstrdup(msg);
	} else
		j->nwarn_extra++;
	pthread_mutex_unlock(&j->mu);
}

static void *
load_thread(void *arg)
{
	struct loadjob *j = arg;
	char *cause = NULL;
	int rc;

	rc = load_all(j->app->d, j->app->cfg->inputs, j->app->cfg->ninputs,
	    &j->opts, &cause);
	pthread_mutex_lock(&j->mu);
	j->rc = rc;
	j->cause = cause;
	j->finished = 1;
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

static void
human_bytes(char *out, size_t n, double b)
{
	if (b >= 1e9)
		snprintf(out, n, "%.2f GB", b / 1e9);
	else
		snprintf(out, n, "%.1f MB", b / 1e6);
}

static void
draw(struct loadjob *j)
{
	const struct ui_config *cfg = j->app->cfg;
	uint64_t done = 0, fdone, fsize;
	double secs, frac, rate;
	char a[32], b[32], c[32];
	const char *path, *base;
	int y = 0, w = COLS, barw, fill, i;
	struct buf line = { 0 };
	size_t k, cur;
	uint64_t rows;
	int cancel;

	pthread_mutex_lock(&j->mu);
	for (k = 0; k < cfg->ninputs; k++)
		done += j->done[k];
	cur = j->current;
	fdone = j->done[cur];
	fsize = j->size[cur];
	rows = j->rows;
	secs = j->seconds;
	cancel = j->cancel;
	pthread_mutex_unlock(&j->mu);

	erase();
	if (LINES < 1 || COLS < 1)
		return;
	human_bytes(a, sizeof a, (double)j->total);
	buf_addf(&line, "logonhunt %s: loading %zu file%s (%s)", PACKAGE_VERSION,
	    cfg->ninputs, cfg->ninputs == 1 ? "" : "s", a);
	text_draw(y++, 0, w, line.p, term_attr(UC_TITLE), 1);
	if (y < LINES) {
		path = cfg->ninputs ? cfg->inputs[cur].path : "";
		base = strrchr(path, '/');
		buf_reset(&line);
		buf_addf(&line, "file %zu of %zu: ", j->order[cur] ? j->order[cur] : 1,
		    cfg->ninputs);
		text_prepare(&line, base ? base + 1 : path, strlen(base ? base + 1 : path));
		text_draw(y++, 0, w, line.p, term_attr(UC_NORMAL), 1);
	}
	if (y < LINES) {
		frac = j->total ? (double)done / (double)j->total : 0;
		if (frac > 1)
			frac = 1;
		barw = w - 8;
		if (barw > 60)
			barw = 60;
		if (barw > 0) {
			fill = (int)(frac * barw);
			attrset(term_attr(UC_BAR));
			for (i = 0; i < fill; i++)
				mvaddch(y, i, term_monochrome() ? '#' : ' ');
			attrset(term_attr(UC_DIM));
			for (; i < barw; i++)
				mvaddch(y, i, '.');
			attrset(term_attr(UC_NORMAL));
			mvprintw(y, barw + 1, "%3d%%", (int)(frac * 100));
		}
		y++;
	}
	if (y < LINES) {
		human_bytes(a, sizeof a, (double)done);
		rate = secs > 0 ? (double)done / secs : 0;
		human_bytes(b, sizeof b, rate);
		human_bytes(c, sizeof c, (double)fdone);
		buf_reset(&line);
		buf_addf(&line, "%llu rows, %s read in %.1f s (%s/s), all files; "
		    "this file %s", (unsigned long long)rows, a, secs, b, c);
		if (fsize) {
			human_bytes(c, sizeof c, (double)fsize);
			buf_addf(&line, " of %s", c);
		}
		text_draw(y++, 0, w, line.p, term_attr(UC_NORMAL), 1);
	}
	if (y + 1 < LINES) {
		y++;
		text_draw(y++, 0, w, cancel ? "stopping..." :
		    "Press q, Esc or Ctrl-C to stop loading.",
		    term_attr(cancel ? UC_MSG_ERROR : UC_DIM), 1);
	}
	buf_free(&line);
	refresh();
}

int
loadview_run(struct app *app, char **cause)
{
	const struct ui_config *cfg = app->cfg;
	struct loadjob j;
	pthread_t tid;
	struct stat st;
	size_t i, n = cfg->ninputs;
	int key, finished, rc;

	memset(&j, 0, sizeof j);
	pthread_mutex_init(&j.mu, NULL);
	j.app = app;
	j.opts = cfg->load;
	j.opts.progress = on_progress;
	j.opts.progress_ctx = &j;
	j.opts.warn = on_warn;
	j.opts.warn_ctx = &j;
	j.done = xcalloc(n ? n : 1, sizeof *j.done);
	j.size = xcalloc(n ? n : 1, sizeof *j.size);
	j.order = xcalloc(n ? n : 1, sizeof *j.order);
	for (i = 0; i < n; i++)
		if (stat(cfg->inputs[i].path, &st) == 0) {
			j.size[i] = (uint64_t)st.st_size;
			j.total += j.size[i];
		}
	if (pthread_create(&tid, NULL, load_thread, &j) != 0) {
		/* No thread: load here, without a live screen. */
		draw(&j);
		load_thread(&j);
	} else {
		for (;;) {
			pthread_mutex_lock(&j.mu);
			finished = j.finished;
			pthread_mutex_unlock(&j.mu);
			if (finished)
				break;
			draw(&j);
			key = app_getkey(app, 100);
			if (key == KEY_SIGNAL || key == 'q' || key == KEY_ESC ||
			    key == KEY_CTRL('c')) {
				pthread_mutex_lock(&j.mu);
				j.cancel = 1;
				pthread_mutex_unlock(&j.mu);
			}
		}
		pthread_join(tid, NULL);
	}
	rc = j.rc;
	if (rc == 0 && j.cancel)
		rc = LOAD_CANCELLED;	/* finished just as the user stopped it */
	if (rc == -1)
		*cause = j.cause;
	else
		free(j.cause);
	if (j.nwarn_extra)
		on_warn(&j, "(more warnings were left out)");
	app->load_seconds = j.seconds;
	free(j.done);
	free(j.order);
	free(j.size);
	pthread_mutex_destroy(&j.mu);
	return rc;
}
