/* A group's events counted into equal time bins: the console's histogram
 * of a group and the report's timelines draw the same figure. */
#ifndef LH_TIMEBINS_H
#define LH_TIMEBINS_H

#include <stddef.h>
#include <stdint.h>

#include "table.h"

struct timebins {
	int64_t lo, hi;		/* the first and last timestamp */
	size_t nb;
	uint32_t *count;	/* nb bins, to free */
	uint32_t peak;
};

/* Counts the events evs[0..n) (indices into d->ev) with a timestamp into
 * nb bins spanning their first to last. Returns 0, or -1 (nothing
 * allocated) when none has a timestamp or nb is 0. */
int timebins_fill(struct timebins *tb, const struct table_data *d,
    const uint32_t *evs, size_t n, size_t nb);
/* The bin of time t (lo <= t <= hi). */
size_t timebins_index(const struct timebins *tb, int64_t t);
/* The height of bin k on a scale of 0 to top: 0 only for an empty bin,
 * top for the peak. */
unsigned timebins_level(const struct timebins *tb, size_t k, unsigned top);
void timebins_free(struct timebins *tb);

#endif
