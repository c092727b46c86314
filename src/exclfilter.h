/* The exclusions as the hunt sees them: a hunt_filter over a compiled
 * matcher, and the per-category hit report for --stats. */
#ifndef LH_EXCLFILTER_H
#define LH_EXCLFILTER_H

#include "excl.h"
#include "hunt.h"

/* Fills f so that hunt_apply asks m; rule indices are the set's. */
void exclfilter_init(struct hunt_filter *f, const struct excl_set *set,
    const struct excl_matcher *m);
/* Appends, per category and per rule, the groups and logons removed. */
void exclfilter_report(struct buf *b, const struct hunt *h,
    const struct excl_set *set, time_t now);

#endif
