#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csvload.h"
#include "csvref.h"
#include "csvscan.h"
#include "detect.h"
#include "sumload.h"

enum row_error { ROWERR_NONE, ROWERR_CSV, ROWERR_FIELDS, ROWERR_UTF8 };

/* One thread's share of a file. */
struct job {
	struct loadjob lj;		/* records that start in [start, stop) */
	const struct load_ctx *lc;
	const char *endpos;		/* where the last record ended */
	struct table_chunk tc;
	struct buf scratch[TABLE_MAX_COLS];
	uint32_t lines;			/* LFs consumed from start to endpos */
	uint64_t skipped;
	/* The first error, or with skip_bad_rows the first WARN_MAX. */
	enum row_error err;
	enum csvscan_error csverr;
	const char *errpos;		/* start of the bad record or the bad byte */
	uint32_t errline;		/* LFs from start to errpos */
	size_t errcol, errnf;
	struct buf warnings;		/* with skip_bad_rows: lines of text */
	unsigned nwarn;
};

/* What all jobs of one file share. */
struct load_ctx {
	const char *path;
	const char *fbase;		/* the file's first byte */
	const char *base, *end;		/* the file after any BOM */
	const struct load_opts *o;
	enum lh_table table;
	uint32_t file;
	size_t ncols;			/* header columns */
	int *slot_of;			/* per header column: table slot or -1 */
	unsigned char *want;		/* per header column: slot_of >= 0 */
	/* The columns read, in header order, with their slots: a row's
	 * values are taken without walking all its columns. */
	struct { size_t col; int slot; } read[TABLE_MAX_COLS];
	size_t nread;
	int gate_col;			/* the column table_relevance names */
	const char *gate_val;
	const char *const *colnames;	/* header names, for messages */
	struct loadjob_set *set;
	const struct table_data *d;	/* summed or not */
};

static void
job_warn(struct job *j, uint32_t relline, const char *fmt, const char *detail)
{
	if (j->nwarn++ >= LOAD_WARN_MAX)
		return;
	/* The line is made absolute when the chunk is merged. */
	buf_addf(&j->warnings, "%u\t", relline);
	buf_addf(&j->warnings, fmt, detail);
	buf_addc(&j->warnings, '\n');
}

/* Returns 0 to go on, -1 to stop at an error. */
static int
job_record(struct job *j, const struct csvrec *rec, uint32_t relline)
{
	const struct load_ctx *lc = j->lc;
	struct lh_str vals[TABLE_MAX_COLS];
	size_t i, k;
	int s;

	if (rec->nf != lc->ncols) {
		if (lc->o->skip_bad_rows) {
			char n[64];
			snprintf(n, sizeof n, "%zu fields, the header has %zu", rec->nf, lc->ncols);
			job_warn(j, relline, "skipped a row with %s", n);
			j->skipped++;
			return 0;
		}
		j->err = ROWERR_FIELDS;
		j->errpos = rec->start;
		j->errline = relline;
		j->errnf = rec->nf;
		return -1;
	}
	memset(vals, 0, sizeof vals);
	if (rec->gated) {
		/* Its other fields were not located: it is only counted. */
		s = lc->slot_of[lc->gate_col];
		vals[s] = csv_field_value(&rec->f[lc->gate_col], &j->scratch[s]);
		table_chunk_row(&j->tc, vals, (uint64_t)(rec->start - lc->fbase), relline);
		return 0;
	}
	for (k = 0; k < lc->nread; k++) {
		s = lc->read[k].slot;
		vals[s] = csv_field_value(&rec->f[lc->read[k].col], &j->scratch[s]);
	}
	/* Rows the hunt never uses are only counted: their text is not
	 * checked, as nothing of it reaches a result. */
	if (table_row_relevant(lc->table, vals))
		for (k = 0; k < lc->nread; k++) {
			s = lc->read[k].slot;
			if (utf8_valid(vals[s].p, vals[s].n))
				continue;
			i = lc->read[k].col;
			if (lc->o->skip_bad_rows) {
				job_warn(j, relline, "skipped a row with invalid UTF-8 in column %s", lc->colnames[i]);
				j->skipped++;
				return 0;
			}
			j->err = ROWERR_UTF8;
			j->errpos = rec->start;
			j->errline = relline;
			j->errcol = i;
			return -1;
		}
	table_chunk_row(&j->tc, vals, (uint64_t)(rec->start - lc->fbase), relline);
	return 0;
}

static void
job_run_fast(struct job *j)
{
	const struct load_ctx *lc = j->lc;
	const char *p = j->lj.start, *next;
	struct csvrec rec = { 0 };
	enum csvscan_result r;
	uint32_t lines = 0;
	unsigned tick = 0;

	/* Only the columns the hunt reads are located in each record. */
	csvrec_want(&rec, lc->want, lc->ncols);
	csvrec_begin(&rec, lc->fbase, lc->end);
	/* Rows that cannot be relevant (most logons are not Public) are
	 * checked and counted with their deciding field alone located. */
	if (lc->gate_col >= 0)
		csvrec_gate(&rec, (size_t)lc->gate_col, lc->gate_val);

	for (;;) {
		/* Blank lines belong to no record: skip them first, so that a
		 * record is this part's exactly when it starts before stop. */
		while (p < lc->end && (*p == '\n' || *p == '\r'))
			lines += *p++ == '\n';
		if (p >= j->lj.stop || p == lc->end)
			break;
		r = csvscan_next(p, lc->end, 1, &rec, &next, &j->csverr);
		if (r == CSVSCAN_ERROR) {
			j->err = ROWERR_CSV;
			j->errpos = next;
			j->errline = lines + loadjob_count_lf(p, next);
			break;
		}
		if (job_record(j, &rec, lines) != 0)
			break;
		lines += rec.body_nl;
		p = next;
		if ((++tick & 1023) == 0 &&
		    loadjob_tick(&j->lj, p, j->tc.rows, rec.start) != 0)
			break;
	}
	j->endpos = p;
	j->lines = lines;
	csvrec_free(&rec);
}

struct ref_state {
	struct job *j;
	uint32_t lines;
	int stopped;
};

static int
ref_record(void *ctx, const struct csvrec *rec)
{
	struct ref_state *rs = ctx;
	struct job *j = rs->j;

	rs->lines += rec->lead_nl;
	if (job_record(j, rec, rs->lines) != 0) {
		rs->stopped = 1;
		return 1;
	}
	rs->lines += rec->body_nl;
	if ((j->tc.rows & 1023) == 0 &&
	    loadjob_tick(&j->lj, rec->start, j->tc.rows, rec->start) != 0) {
		rs->stopped = 1;
		return 1;
	}
	return 0;
}

static void
job_run_libcsv(struct job *j)
{
	struct ref_state rs = { j, 0, 0 };
	const char *errpos = NULL;

	if (csvref_scan(j->lj.start, j->lc->end, ref_record, &rs, &j->csverr,
	    &errpos) != 0) {
		j->err = ROWERR_CSV;
		j->errpos = errpos;
		j->errline = loadjob_count_lf(j->lj.start, errpos);
	}
	j->endpos = j->lc->end;
	j->lines = rs.lines;
}

static void
job_run(void *arg)
{
	struct job *j = arg;

	if (j->lc->o->engine == LOAD_ENGINE_LIBCSV)
		job_run_libcsv(j);
	else
		job_run_fast(j);
}

static void
job_init(struct job *j, const struct load_ctx *lc, const char *start,
    const char *stop)
{
	memset(j, 0, sizeof *j);
	loadjob_init(&j->lj, lc->set, job_run, j, start, stop);
	j->lc = lc;
	table_chunk_init(&j->tc, lc->table, lc->file);
	table_chunk_sum(&j->tc, lc->d);
}

static void
job_free(struct job *j)
{
	size_t i;

	table_chunk_free(&j->tc);
	for (i = 0; i < TABLE_MAX_COLS; i++)
		buf_free(&j->scratch[i]);
	buf_free(&j->warnings);
}

/* Describes a job's error as "path:line: ...". */
static char *
job_error(const struct job *j, uint32_t line_base)
{
	const struct load_ctx *lc = j->lc;
	uint32_t line = line_base + j->errline;
	const char *hint = "fix the row or run again with --skip-bad-rows to "
	    "skip and count such rows";

	switch (j->err) {
	case ROWERR_CSV:
		return xasprintf("%s:%u: malformed CSV: %s; %s", lc->path,
		    line, csvscan_strerror(j->csverr),
		    j->csverr == CSVERR_UNTERMINATED ? "check that the export "
		    "finished (a truncated file cannot be loaded)" :
		    "the file is not valid CSV (RFC 4180)");
	case ROWERR_FIELDS:
		return xasprintf("%s:%u: the row has %zu fields but the header "
		    "has %zu; %s", lc->path, line, j->errnf, lc->ncols, hint);
	case ROWERR_UTF8:
		return xasprintf("%s:%u: column %zu (%s): invalid UTF-8; "
		    "exports are UTF-8: re-export the table, or %s", lc->path,
		    line, j->errcol + 1, lc->colnames[j->errcol], hint);
	case ROWERR_NONE:
		break;
	}
	return xstrdup("no error");
}

static void
report_warnings(const struct load_ctx *lc, const struct job *j,
    uint32_t line_base, unsigned *shown)
{
	const char *p = j->warnings.p, *nl;
	char *msg;
	unsigned long rel;

	if (lc->o->warn == NULL || p == NULL)
		return;
	for (; *p && (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		if ((*shown)++ >= LOAD_WARN_MAX)
			return;
		rel = strtoul(p, (char **)&p, 10);
		msg = xasprintf("%s:%lu: %.*s", lc->path, line_base + rel,
		    (int)(nl - p - 1), p + 1);
		lc->o->warn(lc->o->warn_ctx, msg);
		free(msg);
	}
}

/* Parses the header; fills lc's column map. */
static int
parse_header(struct load_ctx *lc, const char **body, uint32_t *body_line,
    char ***names_out, char **cause)
{
	struct csvrec rec = { 0 };
	enum csvscan_error err;
	enum csvscan_result r;
	const char *next;
	struct buf scratch = { 0 };
	char **names;
	int *seen, s;
	size_t i, nslots = table_ncols(lc->table);
	struct buf missing = { 0 };

	r = csvscan_next(lc->base, lc->end, 1, &rec, &next, &err);
	if (r == CSVSCAN_END) {
		*cause = xasprintf("%s: the file is empty; expected a %s CSV "
		    "export with a header row naming the columns", lc->path,
		    table_name(lc->table));
		return -1;
	}
	if (r == CSVSCAN_ERROR) {
		*cause = xasprintf("%s:%u: malformed CSV header: %s", lc->path,
		    1 + loadjob_count_lf(lc->base, next), csvscan_strerror(err));
		csvrec_free(&rec);
		return -1;
	}
	names = xcalloc(rec.nf, sizeof *names);
	lc->slot_of = xmalloc(rec.nf * sizeof *lc->slot_of);
	lc->want = xmalloc(rec.nf);
	seen = xcalloc(nslots, sizeof *seen);
	for (i = 0; i < rec.nf; i++) {
		struct lh_str v = csv_field_value(&rec.f[i], &scratch);
		names[i] = xstrndup(v.p, v.n);
		s = table_col_slot(lc->table, v.p, v.n);
		lc->slot_of[i] = s;
		lc->want[i] = s >= 0;
		if (s < 0)
			continue;
		if (seen[s]) {
			*cause = xasprintf("%s:%u: column %zu (%s) repeats column "
			    "%d; a header must name each column once", lc->path,
			    1 + rec.lead_nl, i + 1, names[i], seen[s]);
			goto fail;
		}
		seen[s] = (int)i + 1;
		lc->read[lc->nread].col = i;
		lc->read[lc->nread++].slot = s;
	}
	for (s = 0; (size_t)s < nslots; s++)
		if (!seen[s])
			buf_addf(&missing, "%s%s", missing.len ? ", " : "",
			    table_col_name(lc->table, (size_t)s));
	if (missing.len) {
		/* The name is the file's text: escaped, it cannot drive the
		 * terminal the message is printed on. */
		struct buf first = { 0 };

		if (rec.nf)
			buf_add_escaped(&first, names[0], strlen(names[0]));
		*cause = xasprintf("%s:%u: the header lacks the column%s %s that "
		    "the hunt needs; is this a %s export? Its header starts "
		    "with \"%s\"", lc->path, 1 + rec.lead_nl,
		    strchr(missing.p, ',') ? "s" : "", missing.p,
		    table_name(lc->table), first.p ? first.p : "");
		buf_free(&first);
		goto fail;
	}
	lc->ncols = rec.nf;
	lc->colnames = (const char *const *)names;
	lc->gate_col = -1;
	if ((s = table_relevance(lc->table, &lc->gate_val)) >= 0)
		for (i = 0; i < rec.nf; i++)
			if (lc->slot_of[i] == s)
				lc->gate_col = (int)i;
	*names_out = names;
	*body = next;
	*body_line = 1 + rec.lead_nl + rec.body_nl;
	free(seen);
	buf_free(&scratch);
	buf_free(&missing);
	csvrec_free(&rec);
	return 0;
fail:
	for (i = 0; i < rec.nf; i++)
		free(names[i]);
	free(names);
	free(seen);
	free(lc->slot_of);
	lc->slot_of = NULL;
	free(lc->want);
	lc->want = NULL;
	buf_free(&scratch);
	buf_free(&missing);
	csvrec_free(&rec);
	return -1;
}

static int
csv_buffer(struct table_data *d, struct load_ctx *lc, struct load_run *run,
    char **cause)
{
	const char *body, *starts[LOADJOB_MAX];
	struct loadjob_set set;
	struct job *jobs;
	size_t njobs, i, k;
	uint32_t line, line_base;
	unsigned shown = 0;
	char **names = NULL;
	int rc = 0;
	uint64_t skipped = 0, bad_ts = 0, rows_before = run->pr.rows;
	uint32_t bad_ts_line = 0;
	const char *bad_ts_text = "";

	if (parse_header(lc, &body, &line, &names, cause) != 0)
		return -1;
	loadjob_set_init(&set, run, lc->fbase);
	lc->set = &set;
	lc->d = d;
	/* libcsv reads the file whole, front to back. */
	njobs = loadjob_split(lc->o, body, lc->end,
	    lc->o->engine == LOAD_ENGINE_LIBCSV ? 1 : LOADJOB_MAX, starts);
	jobs = xcalloc(njobs, sizeof *jobs);
	for (i = 0; i < njobs; i++) {
		job_init(&jobs[i], lc, starts[i], i + 1 < njobs ? starts[i + 1] : lc->end);
		loadjob_add(&set, &jobs[i].lj);
	}
	loadjob_run(&set);
	if (loadjob_cancelled(&set)) {
		rc = LOAD_CANCELLED;
		goto out;
	}
	/* Each part assumed it began at a record boundary. That holds if the
	 * part before it ended exactly there; where a quoted field spanned the
	 * split, parse the part again from where the previous one ended. */
	line_base = line;
	for (k = 0; k < njobs; k++) {
		struct job *j = &jobs[k];

		if (k > 0) {
			const struct job *prev = &jobs[k - 1];
			const char *first = j->lj.start;

			/* Where this part's first record starts, blank lines
			 * skipped, as the previous part's loop skips them. */
			while (first < lc->end && (*first == '\n' || *first == '\r'))
				first++;
			if (prev->endpos == first) {
				/* The previous part counted LFs up to first;
				 * this one from its own start. */
				line_base -= loadjob_count_lf(j->lj.start, first);
			} else {
				const char *from = prev->endpos;
				const char *stop = j->lj.stop > from ? j->lj.stop : from;

				job_free(j);
				job_init(j, lc, from, stop);
				loadjob_run_here(&j->lj);
			}
		}
		report_warnings(lc, j, line_base, &shown);
		skipped += j->skipped;
		if (j->err != ROWERR_NONE) {
			*cause = job_error(j, line_base);
			rc = -1;
			goto out;
		}
		if (j->tc.bad_ts && bad_ts == 0) {
			bad_ts_line = line_base + j->tc.bad_ts_line;
			bad_ts_text = j->tc.bad_ts_text;
		}
		bad_ts += j->tc.bad_ts;
		table_data_merge(d, &j->tc, line_base);
		line_base += j->lines;
	}
	run->pr.rows = rows_before + d->files[lc->file].rows;
	if (skipped)
		load_warn(lc->o, xasprintf("%s: skipped %llu malformed row%s",
		    lc->path, (unsigned long long)skipped, skipped == 1 ? "" : "s"));
	if (bad_ts)
		load_warn(lc->o, xasprintf("%s:%u: Timestamp \"%s\" is not an ISO "
		    "8601 timestamp; %llu such Public logon%s counted but not used "
		    "for EarliestEvent/LatestEvent", lc->path, bad_ts_line,
		    bad_ts_text, (unsigned long long)bad_ts,
		    bad_ts == 1 ? " is" : "s are"));
out:
	for (i = 0; i < njobs; i++)
		job_free(&jobs[i]);
	free(jobs);
	loadjob_set_free(&set);
	for (i = 0; i < lc->ncols; i++)
		free(names[i]);
	free(names);
	free(lc->slot_of);
	lc->slot_of = NULL;
	free(lc->want);
	lc->want = NULL;
	return rc;
}

/* Loads one table's CSV export. */
static int
csv_table(struct table_data *d, struct load_run *run, const char *path,
    enum lh_table t, const char *data, size_t size, char **cause)
{
	struct load_ctx lc = { 0 };

	lc.path = path;
	lc.fbase = lc.base = size ? data : "";
	lc.end = lc.base + size;
	lc.o = run->o;
	lc.table = t;
	lc.file = table_data_add_file(d, path, t, LOAD_FMT_CSV, size);
	/* A UTF-8 byte order mark is not part of the first column's name. */
	lc.base += detect_bom(lc.base, size);
	run->pr.path = path;
	run->pr.bytes_total = size;
	run->pr.bytes_done = 0;
	return csv_buffer(d, &lc, run, cause);
}

/* The header of a CSV file, as names pointing into rec. */
static int
csv_header(const char *data, size_t size, struct csvrec *rec,
    struct lh_str **names, size_t *n)
{
	size_t bom = detect_bom(data, size), i;
	enum csvscan_error err;
	const char *next;

	if (csvscan_next(data + bom, data + size, 1, rec, &next, &err) !=
	    CSVSCAN_RECORD)
		return -1;
	*names = xcalloc(rec->nf ? rec->nf : 1, sizeof **names);
	for (i = 0; i < rec->nf; i++) {
		/* Names with doubled quotes are not ours: leave them raw. */
		(*names)[i].p = rec->f[i].p;
		(*names)[i].n = rec->f[i].n;
	}
	*n = rec->nf;
	return 0;
}

int
csvload_file(struct table_data *d, struct load_run *run, const char *path,
    enum lh_table t, const char *data, size_t size, int fmtflags,
    char **cause)
{
	struct csvrec rec = { 0 };
	struct lh_str *names = NULL;
	struct detect_target tg;
	size_t n = 0, before = d->nfiles, i;
	char *why = NULL;
	int rc, have_header;

	have_header = csv_header(data, size, &rec, &names, &n) == 0;
	if (have_header && detect_columns(LOAD_DETECT, names, n, &tg, &why) == 0 &&
	    tg.summary) {
		if (t == LOAD_DETECT_OPTIONAL)
			detect_columns(t, names, n, &tg, cause);
		free(names);
		csvrec_free(&rec);
		if (t == LOAD_DETECT_OPTIONAL)
			return LOAD_SUMMARY;
		return sumload_csv(d, run, path, data, size, fmtflags, cause);
	}
	free(why);
	why = NULL;
	if (t >= LH_NTABLES) {
		rc = have_header ? detect_columns(t, names, n, &tg, &why) : -1;
		if (rc != 0) {
			if (why == NULL)
				why = xstrdup("not a CSV file with a header row");
			free(names);
			csvrec_free(&rec);
			if (t == LOAD_DETECT_OPTIONAL) {
				*cause = why;
				return LOAD_UNKNOWN;
			}
			*cause = xasprintf("%s: %s", path, why);
			free(why);
			return -1;
		}
		t = tg.table;
	}
	free(names);
	csvrec_free(&rec);
	rc = csv_table(d, run, path, t, data, size, cause);
	for (i = before; i < d->nfiles; i++)
		d->files[i].format |= fmtflags;
	return rc;
}
