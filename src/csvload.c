#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "csvref.h"
#include "csvscan.h"
#include "csvload.h"

/* Below this a file is read by one thread: splitting costs more than it
 * saves. */
#define SPLIT_MIN_BYTES (8u << 20)
/* How often a thread hands parsed pages back to the kernel, so a large
 * file never sits in memory whole. */
#define RELEASE_EVERY (32u << 20)
/* Warnings printed per file before they are only counted. */
#define WARN_MAX 5

enum row_error { ROWERR_NONE, ROWERR_CSV, ROWERR_FIELDS, ROWERR_UTF8 };

/* One thread's share of a file. */
struct job {
	const struct load_ctx *lc;
	const char *start, *stop;	/* records that start in [start, stop) */
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
	_Atomic uint64_t done;		/* bytes parsed, for progress */
	_Atomic uint64_t rows;
	pthread_t thread;
	int started;			/* on a thread of its own, to join */
	_Atomic int finished;
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
	const char *const *colnames;	/* header names, for messages */
	_Atomic int *cancel;
	pthread_mutex_t *mu;
	pthread_cond_t *cv;
};

static uint32_t
count_lf(const char *p, const char *end)
{
	uint32_t n = 0;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

static void
job_warn(struct job *j, uint32_t relline, const char *fmt, const char *detail)
{
	if (j->nwarn++ >= WARN_MAX)
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
	size_t i;
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
	for (i = 0; i < lc->ncols; i++)
		if ((s = lc->slot_of[i]) >= 0)
			vals[s] = csv_field_value(&rec->f[i], &j->scratch[s]);
	/* Rows the hunt never uses are only counted: their text is not
	 * checked, as nothing of it reaches a result. */
	if (table_row_relevant(lc->table, vals))
		for (i = 0; i < lc->ncols; i++) {
			if ((s = lc->slot_of[i]) < 0 || utf8_valid(vals[s].p, vals[s].n))
				continue;
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
job_release(struct job *j, const char *upto, const char **released)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t a = ((uintptr_t)*released + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
	uintptr_t b = (uintptr_t)upto & ~((uintptr_t)page - 1);

	if (b > a)
		madvise((void *)a, b - a, MADV_DONTNEED);
	*released = upto;
	(void)j;
}

static void
job_finish(struct job *j)
{
	pthread_mutex_lock(j->lc->mu);
	atomic_store(&j->finished, 1);
	pthread_cond_broadcast(j->lc->cv);
	pthread_mutex_unlock(j->lc->mu);
}

static void
job_run_fast(struct job *j)
{
	const struct load_ctx *lc = j->lc;
	const char *p = j->start, *next, *released = j->start;
	struct csvrec rec = { 0 };
	enum csvscan_result r;
	uint32_t lines = 0;
	unsigned tick = 0;

	for (;;) {
		/* Blank lines belong to no record: skip them first, so that a
		 * record is this part's exactly when it starts before stop. */
		while (p < lc->end && (*p == '\n' || *p == '\r'))
			lines += *p++ == '\n';
		if (p >= j->stop || p == lc->end)
			break;
		r = csvscan_next(p, lc->end, 1, &rec, &next, &j->csverr);
		if (r == CSVSCAN_ERROR) {
			j->err = ROWERR_CSV;
			j->errpos = next;
			j->errline = lines + count_lf(p, next);
			break;
		}
		if (job_record(j, &rec, lines) != 0)
			break;
		lines += rec.body_nl;
		p = next;
		if ((++tick & 1023) == 0) {
			atomic_store_explicit(&j->done, (uint64_t)(p - j->start), memory_order_relaxed);
			atomic_store_explicit(&j->rows, j->tc.rows, memory_order_relaxed);
			if (atomic_load_explicit(lc->cancel, memory_order_relaxed))
				break;
			if ((size_t)(p - released) >= RELEASE_EVERY)
				job_release(j, rec.start, &released);
		}
	}
	j->endpos = p;
	j->lines = lines;
	atomic_store(&j->done, (uint64_t)(j->stop - j->start));
	csvrec_free(&rec);
}

struct ref_state {
	struct job *j;
	uint32_t lines;
	int stopped;
	const char *released;
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
	if ((j->tc.rows & 1023) == 0) {
		atomic_store_explicit(&j->done, (uint64_t)(rec->start - j->start), memory_order_relaxed);
		atomic_store_explicit(&j->rows, j->tc.rows, memory_order_relaxed);
		if (atomic_load_explicit(j->lc->cancel, memory_order_relaxed)) {
			rs->stopped = 1;
			return 1;
		}
		if ((size_t)(rec->start - rs->released) >= RELEASE_EVERY)
			job_release(j, rec->start, &rs->released);
	}
	return 0;
}

static void
job_run_libcsv(struct job *j)
{
	struct ref_state rs = { j, 0, 0, j->start };
	const char *errpos = NULL;

	if (csvref_scan(j->start, j->lc->end, ref_record, &rs, &j->csverr, &errpos) != 0) {
		j->err = ROWERR_CSV;
		j->errpos = errpos;
		j->errline = count_lf(j->start, errpos);
	}
	j->endpos = j->lc->end;
	j->lines = rs.lines;
}

static void *
job_thread(void *arg)
{
	struct job *j = arg;

	if (j->lc->o->engine == LOAD_ENGINE_LIBCSV)
		job_run_libcsv(j);
	else
		job_run_fast(j);
	job_finish(j);
	return NULL;
}

/* Runs the job on a thread of its own or, when none can be created (too
 * little memory for its stack, a thread limit), right here: slower, but
 * it finishes instead of being waited for forever. */
static void
job_start(struct job *j)
{
	if (pthread_create(&j->thread, NULL, job_thread, j) == 0)
		j->started = 1;
	else
		job_thread(j);
}

static void
job_init(struct job *j, const struct load_ctx *lc, const char *start,
    const char *stop)
{
	memset(j, 0, sizeof *j);
	j->lc = lc;
	j->start = start;
	j->stop = stop;
	table_chunk_init(&j->tc, lc->table, lc->file);
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

static int
ncpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

double
load_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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
		if ((*shown)++ >= WARN_MAX)
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
		    1 + count_lf(lc->base, next), csvscan_strerror(err));
		csvrec_free(&rec);
		return -1;
	}
	names = xcalloc(rec.nf, sizeof *names);
	lc->slot_of = xmalloc(rec.nf * sizeof *lc->slot_of);
	seen = xcalloc(nslots, sizeof *seen);
	for (i = 0; i < rec.nf; i++) {
		struct lh_str v = csv_field_value(&rec.f[i], &scratch);
		names[i] = xstrndup(v.p, v.n);
		s = table_col_slot(lc->table, v.p, v.n);
		lc->slot_of[i] = s;
		if (s < 0)
			continue;
		if (seen[s]) {
			*cause = xasprintf("%s:%u: column %zu (%s) repeats column "
			    "%d; a header must name each column once", lc->path,
			    1 + rec.lead_nl, i + 1, names[i], seen[s]);
			goto fail;
		}
		seen[s] = (int)i + 1;
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
	buf_free(&scratch);
	buf_free(&missing);
	csvrec_free(&rec);
	return -1;
}

/* Splits [body, end) into n parts, each starting just after an LF. */
static size_t
split_body(const char *body, const char *end, size_t n, const char **starts)
{
	size_t k = 0, i;
	size_t len = (size_t)(end - body);
	const char *p;

	starts[k++] = body;
	for (i = 1; i < n; i++) {
		p = body + len / n * i;
		if (p <= starts[k - 1])
			continue;
		p = memchr(p, '\n', (size_t)(end - p));
		if (p == NULL || p + 1 >= end)
			break;
		starts[k++] = p + 1;
	}
	return k;
}

static int
csv_buffer(struct table_data *d, struct load_ctx *lc, struct load_progress *pr,
    double t0, char **cause)
{
	const char *body, *starts[64];
	struct job *jobs;
	size_t njobs, want, i, k;
	uint32_t line, line_base;
	unsigned shown = 0;
	char **names = NULL;
	int rc = 0, nthreads;
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
	_Atomic int cancel = 0;
	uint64_t skipped = 0, bad_ts = 0, rows_before = pr->rows;
	uint32_t bad_ts_line = 0;
	const char *bad_ts_text = "";

	lc->mu = &mu;
	lc->cv = &cv;
	lc->cancel = &cancel;
	if (parse_header(lc, &body, &line, &names, cause) != 0)
		return -1;
	nthreads = lc->o->threads > 0 ? lc->o->threads : ncpus();
	want = lc->o->engine == LOAD_ENGINE_LIBCSV ? 1 :
	    (size_t)(lc->end - body) / (lc->o->split_min ? lc->o->split_min :
	    SPLIT_MIN_BYTES) + 1;
	if (want > (size_t)nthreads)
		want = (size_t)nthreads;
	if (want > 64)
		want = 64;
	njobs = split_body(body, lc->end, want, starts);
	jobs = xcalloc(njobs, sizeof *jobs);
	for (i = 0; i < njobs; i++) {
		job_init(&jobs[i], lc, starts[i], i + 1 < njobs ? starts[i + 1] : lc->end);
		if (njobs > 1)
			job_start(&jobs[i]);
	}
	if (njobs == 1 && lc->o->progress == NULL) {
		job_thread(&jobs[0]);
	} else {
		if (njobs == 1)
			job_start(&jobs[0]);
		pthread_mutex_lock(&mu);
		for (;;) {
			struct timespec ts;
			int all = 1;
			uint64_t done = 0, rows = 0;

			for (i = 0; i < njobs; i++) {
				all &= atomic_load(&jobs[i].finished);
				done += atomic_load_explicit(&jobs[i].done, memory_order_relaxed);
				rows += atomic_load_explicit(&jobs[i].rows, memory_order_relaxed);
			}
			if (all)
				break;
			if (lc->o->progress != NULL) {
				pr->bytes_done = done + (uint64_t)(body - lc->fbase);
				pr->rows = rows_before + rows;
				pr->seconds = load_now() - t0;
				pthread_mutex_unlock(&mu);
				if (lc->o->progress(lc->o->progress_ctx, pr))
					atomic_store(&cancel, 1);
				pthread_mutex_lock(&mu);
			}
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 100 * 1000 * 1000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&cv, &mu, &ts);
		}
		pthread_mutex_unlock(&mu);
		for (i = 0; i < njobs; i++)
			if (jobs[i].started)
				pthread_join(jobs[i].thread, NULL);
	}
	if (atomic_load(&cancel)) {
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
			const char *first = j->start;

			/* Where this part's first record starts, blank lines
			 * skipped, as the previous part's loop skips them. */
			while (first < lc->end && (*first == '\n' || *first == '\r'))
				first++;
			if (prev->endpos == first) {
				/* The previous part counted LFs up to first;
				 * this one from its own start. */
				line_base -= count_lf(j->start, first);
			} else {
				const char *from = prev->endpos;
				const char *stop = j->stop > from ? j->stop : from;

				job_free(j);
				job_init(j, lc, from, stop);
				job_thread(j);
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
	pr->rows = rows_before + d->files[lc->file].rows;
	if (skipped && lc->o->warn) {
		char *msg = xasprintf("%s: skipped %llu malformed row%s", lc->path,
		    (unsigned long long)skipped, skipped == 1 ? "" : "s");
		lc->o->warn(lc->o->warn_ctx, msg);
		free(msg);
	}
	if (bad_ts && lc->o->warn) {
		char *msg = xasprintf("%s:%u: Timestamp \"%s\" is not an ISO 8601 "
		    "timestamp; %llu such Public logon%s counted but not used for "
		    "EarliestEvent/LatestEvent", lc->path, bad_ts_line, bad_ts_text,
		    (unsigned long long)bad_ts, bad_ts == 1 ? " is" : "s are");
		lc->o->warn(lc->o->warn_ctx, msg);
		free(msg);
	}
out:
	for (i = 0; i < njobs; i++)
		job_free(&jobs[i]);
	free(jobs);
	for (i = 0; i < lc->ncols; i++)
		free(names[i]);
	free(names);
	free(lc->slot_of);
	lc->slot_of = NULL;
	return rc;
}

int
csvload_buffer(struct table_data *d, struct load_run *run, const char *path,
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
	if (size >= 3 && memcmp(lc.base, "\xef\xbb\xbf", 3) == 0)
		lc.base += 3;
	run->pr.path = path;
	run->pr.bytes_total = size;
	run->pr.bytes_done = 0;
	return csv_buffer(d, &lc, &run->pr, run->t0, cause);
}
