/* What the loaders share, and only they include (load.h is the API the
 * rest of the program uses): one load_all call's progress as it goes from
 * file to file, and the jobs a file is read by: the body split at line
 * breaks, each part on a thread of its own (or in place when no thread can
 * be had), the calling thread waiting and reporting progress about every
 * 100 ms, parsed pages handed back to the kernel, and cancel. */
#ifndef LH_LOADJOB_H
#define LH_LOADJOB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "load.h"

/* Returned by a loader, with *cause saying why, for an optional input
 * (LOAD_DETECT_OPTIONAL) that is not an export logonhunt knows, or that
 * holds the hunt's summary; nothing was added to the table_data. load.c
 * turns both into a warning and skips the file. */
#define LOAD_UNKNOWN (-3)
#define LOAD_SUMMARY (-4)

/* Warnings shown per file before further ones are only counted. */
#define LOAD_WARN_MAX 5

/* What one load_all call carries from file to file. */
struct load_run {
	const struct load_opts *o;
	struct load_progress pr;
	double t0;
};

double load_now(void);
/* 1 if the progress callback is due: there is one, and 100 ms passed
 * since *last (which it then updates). */
int load_progress_due(const struct load_run *run, double *last);
/* Calls the progress callback with run->pr, its seconds brought up to
 * date. Nonzero: the user cancelled. */
int load_progress_report(struct load_run *run);
/* Hands msg (which it frees) to the warning callback, if there is one. */
void load_warn(const struct load_opts *o, char *msg);

uint32_t loadjob_count_lf(const char *p, const char *end);

/* Parts of one file, at most. */
#define LOADJOB_MAX 64

/* One part of a file, read by fn(arg); a loader keeps one in its own job
 * structure. */
struct loadjob {
	struct loadjob_set *set;
	void (*fn)(void *arg);
	void *arg;
	const char *start, *stop;	/* the part */
	const char *released;		/* pages before this are handed back */
	int report;			/* on the calling thread: it reports
					 * progress itself */
	double last_report;
	_Atomic uint64_t done, rows;	/* published for progress */
	_Atomic int finished;
	pthread_t thread;
	int started;			/* has a thread of its own to join */
};

/* The jobs of one file. */
struct loadjob_set {
	struct load_run *run;
	const char *fbase;		/* the file's first byte */
	uint64_t rows_before;		/* rows of earlier files and of this
					 * file's jobs already run */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	_Atomic int cancel;
	struct loadjob *jobs[LOADJOB_MAX];	/* added, not yet run */
	size_t njobs;
};

void loadjob_set_init(struct loadjob_set *s, struct load_run *run,
    const char *fbase);
void loadjob_set_free(struct loadjob_set *s);
/* 1 once the user cancelled the load. */
int loadjob_cancelled(struct loadjob_set *s);

/* Splits [from, end) into parts that each start just after an LF, as many
 * as load_opts.threads (or the online CPUs) and max allow, none smaller
 * than load_opts.split_min bytes (or a default of 8 MiB). Returns how many,
 * with their starts; the first is from. */
size_t loadjob_split(const struct load_opts *o, const char *from,
    const char *end, size_t max, const char **starts);

void loadjob_init(struct loadjob *j, struct loadjob_set *s,
    void (*fn)(void *), void *arg, const char *start, const char *stop);
/* Adds j to the jobs loadjob_run runs next. */
void loadjob_add(struct loadjob_set *s, struct loadjob *j);
/* Runs the jobs added since the last call and returns when all are done:
 * one on the calling thread, which it lets report progress itself; more
 * on threads of their own, the calling thread waiting and reporting. */
void loadjob_run(struct loadjob_set *s);
/* Runs j on the calling thread, without reporting progress. */
void loadjob_run_here(struct loadjob *j);

/* Called by a job every so many records: publishes how far it got (pos)
 * and its rows, hands pages before release_upto back to the kernel every
 * 32 MiB, reports progress if the job runs on the calling thread. Returns
 * -1 if the load was cancelled: the job then stops. */
int loadjob_tick(struct loadjob *j, const char *pos, uint64_t rows,
    const char *release_upto);
/* Publishes how far a job got, without the rest of a tick. */
void loadjob_publish(struct loadjob *j, const char *pos, uint64_t rows);

#endif
