/* Two pieces of work at once, on the machine's two cores or more: the
 * caller's and one on a thread of its own, joined before returning. For
 * the single-threaded tail of a hunt (ranks, sorts, output), whose parts
 * split in two without sharing anything they write. */
#ifndef LH_PAR_H
#define LH_PAR_H

#include <stddef.h>

typedef void (*par_fn)(void *ctx);

/* Runs b on a new thread and a here, and returns when both are done.
 * When no thread can be started, b runs here after a: the same result,
 * later. */
void par_two(par_fn a, void *ca, par_fn b, void *cb);
/* 1 if work of n items is worth a second thread: at least par_min()
 * items (a thread costs tens of microseconds) and more than one core. */
int par_use(size_t n);
/* The least number of items worth a thread; parts of parallel work
 * (rows formatted per piece) are sized from it. */
size_t par_min(void);
/* For the tests: n items and more go on two threads, whatever the
 * cores (1 makes everything parallel, (size_t)-1 nothing); 0 restores
 * the default. Not to be called while parallel work runs. */
void par_set_min(size_t n);

#endif
