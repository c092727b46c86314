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
/* The rules matched per category (excl_classes_compile): hunt_apply
 * keeps what each category answers, so that switching categories asks no
 * rule again. x->c must be set and outlive f; x->on is set to the
 * categories on in set. */
struct exclfilter_classes {
	const struct excl_classes *c;
	uint64_t on;
};
void exclfilter_init_classes(struct hunt_filter *f, const struct excl_set *set,
    struct exclfilter_classes *x);
/* A bit per category that is on (the first EXCL_CLASSES_MAX). */
uint64_t exclfilter_categories_on(const struct excl_set *set);
/* Appends, per category and per rule, the groups and logons removed. */
void exclfilter_report(struct buf *b, const struct hunt *h,
    const struct excl_set *set, time_t now);

#endif
