#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "savefile.h"
#include "ts.h"

uint32_t *
export_group_events(const struct hunt *h, const uint32_t *ids, size_t n,
    size_t *nev)
{
	uint32_t *evs = NULL;
	size_t cap = 0, i, k;

	*nev = 0;
	for (i = 0; i < n; i++) {
		const struct lh_group *g = &h->g[ids[i]];

		for (k = 0; k < g->ev_n; k++) {
			uint32_t ev = h->order[g->ev_off + k];

			if (!hunt_event_kept(h, ev))
				continue;
			evs = xgrow(evs, &cap, *nev + 1, sizeof *evs);
			evs[(*nev)++] = ev;
		}
	}
	return evs;
}

/* The union of the raw columns of the files the events come from, in the
 * order the first file has them. */
static int
collect_names(const struct table_data *d, struct rawevent_reader *rr,
    const uint32_t *evs, size_t n, char ***names, size_t *nnames,
    char **cause)
{
	uint8_t *seen = xcalloc(d->nfiles ? d->nfiles : 1, 1);
	struct rawevent raw;
	size_t i, k, j, cap = 0;
	char *why = NULL;

	*names = NULL;
	*nnames = 0;
	for (i = 0; i < n; i++) {
		uint32_t f = d->ev[evs[i]].file;

		if (seen[f])
			continue;
		seen[f] = 1;
		if (rawevent_read_at(rr, &d->ev[evs[i]], &raw, &why) != 0) {
			*cause = xasprintf("export stopped: %s", why);
			free(why);
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

int
export_events(struct buf *b, const struct table_data *d,
    struct rawevent_reader *rr, const uint32_t *evs, size_t n,
    enum out_format fmt, unsigned flags, export_progress progress, void *ctx,
    char **cause)
{
	return export_events_extra(b, d, rr, evs, NULL, n, fmt, flags, NULL,
	    progress, ctx, cause);
}

/* Column k of a row: the file's value v (NULL: the file lacks it). */
static void
put_cell(struct buf *b, int json, size_t k, const char *name, const char *v,
    size_t len, unsigned flags)
{
	if (json) {
		if (k)
			buf_add(b, ", ", 2);
		output_json_string(b, name, strlen(name));
		buf_add(b, ": ", 2);
		if (v)
			output_json_string(b, v, len);
		else
			buf_add(b, "null", 4);
	} else {
		if (k)
			buf_addc(b, ',');
		if (v)
			output_csv_field(b, v, len, flags);
	}
}

/* Hands b to sink once it holds a piece's worth (or at the end, with
 * all), so that a large export never sits whole in memory; without a
 * sink b keeps it all. -1 when the sink refused it. */
static int
flush(struct buf *b, const struct out_sink *sink, int end)
{
	int rc = 0;

	if (sink == NULL || (!end && b->len < OUT_CHUNK))
		return 0;
	if (b->len > 0)
		rc = sink->write(sink->ctx, b->p, b->len);
	buf_reset(b);
	return rc;
}

static int
events_sink(struct buf *b, const struct table_data *d,
    struct rawevent_reader *rr, const uint32_t *evs, const uint32_t *groups,
    size_t n, enum out_format fmt, unsigned flags, const struct out_extra *x,
    export_progress progress, void *ctx, const struct out_sink *sink,
    char **cause)
{
	int json = fmt == OUT_JSON;
	struct rawevent raw;
	char **names, *why = NULL, cbuf[TS_BUFSZ];
	size_t nnames, i, k, len, nx = x != NULL && groups != NULL ? x->ncols : 0;
	const char *v, *name;

	if (collect_names(d, rr, evs, n, &names, &nnames, cause) != 0)
		return -1;
	if (json)
		buf_addc(b, '[');
	else {
		for (k = 0; k < nnames + nx; k++) {
			name = k < nnames ? names[k] : x->name(x->ctx, k - nnames);
			if (k)
				buf_addc(b, ',');
			output_csv_field(b, name, strlen(name), 0);
		}
		buf_addc(b, '\n');
	}
	for (i = 0; i < n; i++) {
		if (progress != NULL && progress(ctx, i, n)) {
			*cause = xstrdup("export stopped: nothing was written");
			util_strv_free(names, nnames);
			return -1;
		}
		if (rawevent_read_at(rr, &d->ev[evs[i]], &raw, &why) != 0) {
			*cause = xasprintf("export stopped, nothing was written: %s",
			    why);
			free(why);
			util_strv_free(names, nnames);
			return -1;
		}
		if (json)
			buf_add(b, i ? ",\n {" : "\n {", i ? 4 : 3);
		for (k = 0; k < nnames; k++) {
			v = rawevent_get(&raw, names[k], &len);
			put_cell(b, json, k, names[k], v, len, flags);
		}
		for (k = 0; k < nx; k++) {
			v = x->cell(x->ctx, groups[i], k, cbuf, &len);
			put_cell(b, json, nnames + k, x->name(x->ctx, k), v, len, flags);
		}
		buf_add(b, json ? "}" : "\n", 1);
		rawevent_free(&raw);
		if (flush(b, sink, 0) != 0)
			break;
	}
	util_strv_free(names, nnames);
	if (i < n)
		return -1;
	if (json)
		buf_add(b, n ? "\n]\n" : "]\n", n ? 3 : 2);
	return flush(b, sink, 1);
}

int
export_events_extra(struct buf *b, const struct table_data *d,
    struct rawevent_reader *rr, const uint32_t *evs, const uint32_t *groups,
    size_t n, enum out_format fmt, unsigned flags, const struct out_extra *x,
    export_progress progress, void *ctx, char **cause)
{
	return events_sink(b, d, rr, evs, groups, n, fmt, flags, x, progress,
	    ctx, NULL, cause);
}

int
export_summary_file(const char *path, int nowait, struct hunt *h,
    const uint32_t *rows, size_t n, enum out_format fmt, unsigned flags,
    const struct out_extra *x, char **cause)
{
	struct savefile_out_sink fs = { NULL, NULL };
	struct out_sink sink = { savefile_out_sink, &fs };
	struct buf b = { 0 };

	if (savefile_out_open(path, nowait, &fs.out, cause) != 0)
		return -1;
	output_summary_sink(&b, h, rows, n, fmt, flags, x, &sink);
	buf_free(&b);
	return savefile_out_end(&fs, 0, cause);
}

int
export_events_file(const char *path, int nowait, const struct table_data *d,
    struct rawevent_reader *rr, const uint32_t *evs, const uint32_t *groups,
    size_t n, enum out_format fmt, unsigned flags, const struct out_extra *x,
    export_progress progress, void *ctx, char **cause)
{
	struct savefile_out_sink fs = { NULL, NULL };
	struct out_sink sink = { savefile_out_sink, &fs };
	struct buf b = { 0 };
	int rc;

	if (savefile_out_open(path, nowait, &fs.out, cause) != 0)
		return -1;
	*cause = NULL;
	rc = events_sink(&b, d, rr, evs, groups, n, fmt, flags, x, progress,
	    ctx, &sink, cause);
	buf_free(&b);
	/* The sink's refusal is not the producer's reason. */
	if (rc != 0 && *cause == NULL)
		rc = 0;
	return savefile_out_end(&fs, rc, cause);
}

char *
export_default_name(const char *kind, const char *ext, time_t now)
{
	char stamp[32];
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	return xasprintf("logonhunt-%s-%s.%s", kind, stamp, ext);
}
