#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "loadjob.h"

/* Below this many bytes a part is not split off: splitting costs more
 * than it saves. */
#define SPLIT_MIN_BYTES (8u << 20)
/* How often a job hands parsed pages back to the kernel, so a large file
 * never sits in memory whole. Up to this much per thread stays resident
 * until the file is closed, through the merge of its chunks (the peak of
 * a large load): 8 MiB costs about a thousand madvise calls for 7 GB. */
#define RELEASE_EVERY (8u << 20)

double
load_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
load_progress_due(const struct load_run *run, double *last)
{
	double now;

	if (run->o->progress == NULL)
		return 0;
	now = load_now();
	if (now - *last < 0.1)
		return 0;
	*last = now;
	return 1;
}

int
load_progress_report(struct load_run *run)
{
	const struct load_opts *o = run->o;

	run->pr.seconds = load_now() - run->t0;
	return o->progress(o->progress_ctx, &run->pr);
}

void
load_warn(const struct load_opts *o, char *msg)
{
	if (o->warn != NULL)
		o->warn(o->warn_ctx, msg);
	free(msg);
}

uint32_t
loadjob_count_lf(const char *p, const char *end)
{
	uint32_t n = 0;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

static int
ncpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > LOADJOB_MAX ? LOADJOB_MAX : (int)n;
}

size_t
loadjob_split(const struct load_opts *o, const char *from, const char *end,
    size_t max, const char **starts)
{
	size_t len = (size_t)(end - from), n, k = 0, i;
	size_t nthreads = (size_t)(o->threads > 0 ? o->threads : ncpus());
	const char *p;

	n = len / (o->split_min ? o->split_min : SPLIT_MIN_BYTES) + 1;
	if (n > nthreads)
		n = nthreads;
	if (n > max)
		n = max;
	if (n > LOADJOB_MAX)
		n = LOADJOB_MAX;
	starts[k++] = from;
	for (i = 1; i < n; i++) {
		p = from + len / n * i;
		if (p <= starts[k - 1])
			continue;
		p = memchr(p, '\n', (size_t)(end - p));
		if (p == NULL || p + 1 >= end)
			break;
		starts[k++] = p + 1;
	}
	return k;
}

void
loadjob_set_init(struct loadjob_set *s, struct load_run *run,
    const char *fbase)
{
	memset(s, 0, sizeof *s);
	s->run = run;
	s->fbase = fbase;
	s->rows_before = run->pr.rows;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	atomic_init(&s->cancel, 0);
}

void
loadjob_set_free(struct loadjob_set *s)
{
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
}

int
loadjob_cancelled(struct loadjob_set *s)
{
	return atomic_load(&s->cancel);
}

void
loadjob_init(struct loadjob *j, struct loadjob_set *s, void (*fn)(void *),
    void *arg, const char *start, const char *stop)
{
	memset(j, 0, sizeof *j);
	j->set = s;
	j->fn = fn;
	j->arg = arg;
	j->start = j->released = start;
	j->stop = stop;
	atomic_init(&j->done, 0);
	atomic_init(&j->rows, 0);
	atomic_init(&j->finished, 0);
}

void
loadjob_add(struct loadjob_set *s, struct loadjob *j)
{
	if (s->njobs == LOADJOB_MAX)
		abort();	/* loadjob_split makes no more */
	s->jobs[s->njobs++] = j;
}

void
loadjob_publish(struct loadjob *j, const char *pos, uint64_t rows)
{
	atomic_store_explicit(&j->done, (uint64_t)(pos - j->start),
	    memory_order_relaxed);
	atomic_store_explicit(&j->rows, rows, memory_order_relaxed);
}

int
loadjob_tick(struct loadjob *j, const char *pos, uint64_t rows,
    const char *release_upto)
{
	struct loadjob_set *s = j->set;
	struct load_run *run = s->run;
	long page;
	uintptr_t a, b;

	loadjob_publish(j, pos, rows);
	if ((size_t)(release_upto - j->released) >= RELEASE_EVERY) {
		page = sysconf(_SC_PAGESIZE);
		a = ((uintptr_t)j->released + (uintptr_t)page - 1) &
		    ~((uintptr_t)page - 1);
		b = (uintptr_t)release_upto & ~((uintptr_t)page - 1);
		if (b > a)
			madvise((void *)a, b - a, MADV_DONTNEED);
		j->released = release_upto;
	}
	if (j->report && load_progress_due(run, &j->last_report)) {
		run->pr.bytes_done = (uint64_t)(pos - s->fbase);
		run->pr.rows = s->rows_before + rows;
		if (load_progress_report(run))
			atomic_store(&s->cancel, 1);
	}
	return atomic_load_explicit(&s->cancel, memory_order_relaxed) ? -1 : 0;
}

static void
job_finish(struct loadjob *j)
{
	struct loadjob_set *s = j->set;

	atomic_store(&j->done, (uint64_t)(j->stop - j->start));
	pthread_mutex_lock(&s->mu);
	atomic_store(&j->finished, 1);
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

void
loadjob_run_here(struct loadjob *j)
{
	j->fn(j->arg);
	job_finish(j);
}

static void *
job_thread(void *arg)
{
	loadjob_run_here(arg);
	return NULL;
}

/* Waits for the jobs, reporting progress every 100 ms. */
static void
wait_jobs(struct loadjob_set *s)
{
	struct load_run *run = s->run;
	uint64_t before = (uint64_t)(s->jobs[0]->start - s->fbase);
	uint64_t done, rows;
	struct timespec ts;
	size_t i;
	int all;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		all = 1;
		done = rows = 0;
		for (i = 0; i < s->njobs; i++) {
			all &= atomic_load(&s->jobs[i]->finished);
			done += atomic_load_explicit(&s->jobs[i]->done,
			    memory_order_relaxed);
			rows += atomic_load_explicit(&s->jobs[i]->rows,
			    memory_order_relaxed);
		}
		if (all)
			break;
		if (run->o->progress != NULL) {
			run->pr.bytes_done = before + done;
			run->pr.rows = s->rows_before + rows;
			pthread_mutex_unlock(&s->mu);
			if (load_progress_report(run))
				atomic_store(&s->cancel, 1);
			pthread_mutex_lock(&s->mu);
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&s->cv, &s->mu, &ts);
	}
	pthread_mutex_unlock(&s->mu);
	for (i = 0; i < s->njobs; i++)
		if (s->jobs[i]->started)
			pthread_join(s->jobs[i]->thread, NULL);
}

void
loadjob_run(struct loadjob_set *s)
{
	size_t i;

	if (s->njobs == 1) {
		s->jobs[0]->report = s->run->o->progress != NULL;
		loadjob_run_here(s->jobs[0]);
	} else if (s->njobs > 1) {
		for (i = 0; i < s->njobs; i++)
			s->jobs[i]->started = pthread_create(&s->jobs[i]->thread,
			    NULL, job_thread, s->jobs[i]) == 0;
		/* A part whose thread cannot start (too little memory for
		 * its stack, a thread limit) is read here instead: slower,
		 * but it finishes instead of being waited for forever. */
		for (i = 0; i < s->njobs; i++)
			if (!s->jobs[i]->started)
				loadjob_run_here(s->jobs[i]);
		wait_jobs(s);
	}
	s->njobs = 0;
}
