/* Rules that do not do what their author thinks: ones that hide every
 * logon, ones that can never hide one, and ones that only repeat what
 * another active rule already hides. Used when a rule is added (the
 * command line and the console warn, and still add it) and by
 * "exclusions lint". logonhunt-exclusions(5) describes each finding. */
#ifndef LH_EXCL_LINT_H
#define LH_EXCL_LINT_H

#include <stddef.h>
#include <time.h>

#include "excl.h"

enum excl_lint_kind {
	EXCL_LINT_HIDES_ALL,	/* account:*, device:*, 0.0.0.0/0, ::/0 */
	EXCL_LINT_HIDES_NOTHING,	/* a never-Public range, or expired */
	EXCL_LINT_SHADOWED	/* all it matches, another active rule hides */
};

struct excl_lint {
	long rule;		/* the rule, or -1 for a candidate */
	enum excl_lint_kind kind;
	long other;		/* EXCL_LINT_SHADOWED: the rule that hides it */
	char *why;		/* one sentence, quoting the values */
};

/* "hides everything", "hides nothing", "shadowed". */
const char *excl_lint_kind_name(enum excl_lint_kind);

/* Every finding in the set at now, in rule order. The value checks apply
 * whatever the rule's state (a disabled 0.0.0.0/0 is one keypress from
 * hiding everything); expiry only to enabled rules; shadowing only between
 * rules active at now, when the hiding rule lasts at least as long. */
size_t excl_lint_all(const struct excl_set *, time_t now,
    struct excl_lint **out);
/* The findings for a rule about to be added (enabled, in an enabled
 * category): what it would do among the rules already in the set. The
 * value must be valid; an invalid one gives no findings. */
size_t excl_lint_candidate(const struct excl_set *, enum excl_kind kind,
    const char *text, time_t until, time_t now, struct excl_lint **out);
void excl_lint_free(struct excl_lint *, size_t n);

#endif
