/* The exclusions as the hunt sees them: a hunt_filter over a compiled
 * matcher, and the per-category hit report for --stats. */
#ifndef LH_EXCLFILTER_H
#define LH_EXCLFILTER_H

#include "excl.h"
#include "hunt.h"

/* Fills f so that hunt_apply asks m; rule indices are the set's. */
void exclfilter_init(struct hunt_filter *f, const struct excl_set *set,
    const struct excl_matcher *m);
/* What asn and owner rules need to know of an address: its AS number (0
 * when unknown) and network owner ("" when unknown, valid until the next
 * call). The enrichment provides it; the exclusions know nothing of its
 * files. */
struct exclfilter_ipinfo {
	const struct excl_matcher *m;
	void (*lookup)(void *ctx, const char *ip, size_t n, uint32_t *asn,
	    const char **owner, size_t *owner_len);
	void *ctx;
};
/* Like exclfilter_init, with asn and owner rules asked through x (which
 * must outlive f): an address rule wins, then the first asn or owner rule
 * in file order. */
void exclfilter_init_ipinfo(struct hunt_filter *f, const struct excl_set *set,
    struct exclfilter_ipinfo *x);
/* Appends, per category and per rule, the groups and logons removed. */
void exclfilter_report(struct buf *b, const struct hunt *h,
    const struct excl_set *set, time_t now);

#endif
