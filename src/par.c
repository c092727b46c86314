#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

#include "par.h"

/* Below this, a second thread's start and join cost about as much as it
 * saves (a few thousand rows formatted, strings ranked). */
#define PAR_MIN_DEFAULT 16384

static size_t min_items;	/* 0: the default, by the cores */
static size_t min_default;
static pthread_once_t min_once = PTHREAD_ONCE_INIT;

struct par_job {
	par_fn fn;
	void *ctx;
};

static void *
par_thread(void *arg)
{
	struct par_job *j = arg;

	j->fn(j->ctx);
	return NULL;
}

void
par_two(par_fn a, void *ca, par_fn b, void *cb)
{
	struct par_job j = { b, cb };
	pthread_t t;
	int started = pthread_create(&t, NULL, par_thread, &j) == 0;

	a(ca);
	if (started)
		pthread_join(t, NULL);
	else
		b(cb);
}

static void
min_init(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	min_default = n > 1 ? PAR_MIN_DEFAULT : SIZE_MAX;
}

size_t
par_min(void)
{
	/* Once, whichever thread asks first (a console's load and its
	 * keys may). */
	pthread_once(&min_once, min_init);
	return min_items != 0 ? min_items : min_default;
}

int
par_use(size_t n)
{
	return n >= par_min();
}

void
par_set_min(size_t n)
{
	min_items = n;
}
