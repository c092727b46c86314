#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csvref.h"
#include "sumload.h"
#include "ts.h"

/* A count as Kusto prints a long: digits only. */
static int
parse_count(const struct lh_str *v, uint64_t max, uint64_t *out)
{
	uint64_t n = 0;
	size_t i;

	if (v->n == 0)
		return -1;
	for (i = 0; i < v->n; i++) {
		if (v->p[i] < '0' || v->p[i] > '9')
			return -1;
		if (n > (max - (uint64_t)(v->p[i] - '0')) / 10)
			return -1;
		n = n * 10 + (uint64_t)(v->p[i] - '0');
	}
	*out = n;
	return 0;
}

static char *
bad_value(const char *col, const struct lh_str *v, const char *want)
{
	struct buf esc = { 0 };
	char *s;

	buf_add_escaped(&esc, v->p, v->n < 40 ? v->n : 40);
	s = xasprintf("%s \"%s\" is not %s", col, esc.p ? esc.p : "", want);
	buf_free(&esc);
	return s;
}

int
sumload_values(const struct lh_str vals[SC_N], struct sumload_row *out,
    char **why)
{
	uint64_t n;
	int i;

	memset(out, 0, sizeof *out);
	for (i = SC_EARLIEST; i <= SC_LATEST; i++) {
		int64_t *ts = i == SC_EARLIEST ? &out->first : &out->last;

		*ts = TS_NONE;
		if (vals[i].n > 0 && ts_parse(vals[i].p, vals[i].n, ts) != 0) {
			/* Counted and shown, like an event's bad Timestamp. */
			*ts = TS_NONE;
			out->bad_ts = 1;
		}
	}
	if (parse_count(&vals[SC_INSTANCES], UINT64_MAX, &out->count) != 0) {
		*why = bad_value("Instances", &vals[SC_INSTANCES], "a count "
		    "(digits only)");
		return -1;
	}
	if (parse_count(&vals[SC_DISTINCT], UINT32_MAX, &n) != 0) {
		*why = bad_value("DistinctMachines", &vals[SC_DISTINCT], "a count "
		    "(digits only, below 2^32)");
		return -1;
	}
	out->devices = (uint32_t)n;
	for (i = 0; i < SC_N; i++)
		if (!utf8_valid(vals[i].p, vals[i].n)) {
			*why = xasprintf("column %s: invalid UTF-8; exports are UTF-8: "
			    "export the result again", detect_summary_col((size_t)i));
			return -1;
		}
	return 0;
}

struct sumcsv {
	struct table_data *d;
	const struct load_opts *o;
	const char *path;
	uint32_t line;		/* where the current record starts */
	int header_done;
	int slot_of[64];	/* per header column, for the first 64 */
	size_t ncols;
	uint64_t rows, skipped, bad_ts;
	uint32_t bad_ts_line;
	unsigned nwarn;
	char *err;
};

static void
sum_warn(struct sumcsv *s, const char *msg)
{
	if (s->o->warn != NULL && s->nwarn++ < LOAD_WARN_MAX)
		s->o->warn(s->o->warn_ctx, msg);
}

static int
sum_record(void *ctx, const struct csvrec *rec)
{
	struct sumcsv *s = ctx;
	struct lh_str vals[SC_N], names[64];
	struct sumload_row row;
	struct detect_target tg;
	struct lh_str key[K_N];
	size_t i;
	char *why = NULL, *msg;

	s->line += rec->lead_nl;
	if (!s->header_done) {
		s->header_done = 1;
		s->ncols = rec->nf;
		for (i = 0; i < rec->nf && i < 64; i++) {
			names[i].p = rec->f[i].p;
			names[i].n = rec->f[i].n;
			s->slot_of[i] = detect_summary_slot(names[i].p, names[i].n);
		}
		if (detect_columns(LOAD_DETECT, names, i, &tg, &why) != 0 ||
		    !tg.summary) {
			s->err = xasprintf("%s:%u: %s", s->path, s->line,
			    why != NULL ? why : "not the hunt's summary");
			free(why);
			return 1;
		}
		s->line += rec->body_nl;
		return 0;
	}
	memset(vals, 0, sizeof vals);
	if (rec->nf != s->ncols) {
		why = xasprintf("the row has %zu fields but the header has %zu",
		    rec->nf, s->ncols);
	} else {
		for (i = 0; i < rec->nf && i < 64; i++)
			if (s->slot_of[i] >= 0) {
				vals[s->slot_of[i]].p = rec->f[i].p;
				vals[s->slot_of[i]].n = rec->f[i].n;
			}
		if (sumload_values(vals, &row, &why) == 0) {
			for (i = 0; i < K_N; i++)
				key[i] = vals[i];
			table_data_add_presummary(s->d, key, row.first, row.last,
			    row.count, row.devices);
			s->rows++;
			if (row.bad_ts && s->bad_ts++ == 0)
				s->bad_ts_line = s->line;
		}
	}
	if (why != NULL) {
		if (!s->o->skip_bad_rows) {
			s->err = xasprintf("%s:%u: %s; fix the row or run again with "
			    "--skip-bad-rows to skip and count such rows", s->path,
			    s->line, why);
			free(why);
			return 1;
		}
		msg = xasprintf("%s:%u: skipped a row: %s", s->path, s->line, why);
		sum_warn(s, msg);
		free(msg);
		free(why);
		s->skipped++;
	}
	s->line += rec->body_nl;
	return 0;
}

int
sumload_csv(struct table_data *d, struct load_run *run, const char *path,
    const char *data, size_t size, int fmtflags, char **cause)
{
	struct sumcsv s;
	enum csvscan_error err;
	const char *errpos = NULL, *base = data;
	uint32_t file;
	char *msg;
	size_t bom = detect_bom(data, size);

	memset(&s, 0, sizeof s);
	s.d = d;
	s.o = run->o;
	s.path = path;
	s.line = 1;
	run->pr.path = path;
	run->pr.bytes_total = size;
	if (csvref_scan(base + bom, base + size, sum_record, &s, &err,
	    &errpos) != 0 && s.err == NULL)
		s.err = xasprintf("%s:%u: malformed CSV: %s", path,
		    1 + loadjob_count_lf(base, errpos), csvscan_strerror(err));
	if (s.err != NULL) {
		*cause = s.err;
		return -1;
	}
	if (!s.header_done) {
		*cause = xasprintf("%s: the file is empty", path);
		return -1;
	}
	file = table_data_add_file(d, path, LH_LOGONS,
	    LOAD_FMT_CSV | LOAD_FMT_SUMMARY | fmtflags, size);
	d->files[file].rows = s.rows;
	run->pr.bytes_done = size;
	run->pr.rows += s.rows;
	if (s.skipped) {
		msg = xasprintf("%s: skipped %llu malformed row%s", path,
		    (unsigned long long)s.skipped, s.skipped == 1 ? "" : "s");
		sum_warn(&s, msg);
		free(msg);
	}
	if (s.bad_ts)
		load_warn(run->o, xasprintf("%s:%u: EarliestEvent or LatestEvent "
		    "is not an ISO 8601 timestamp in %llu row%s; such times are "
		    "left empty", path, s.bad_ts_line, (unsigned long long)s.bad_ts,
		    s.bad_ts == 1 ? "" : "s"));
	return 0;
}
