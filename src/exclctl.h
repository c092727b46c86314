/* The exclusions as the console edits them: the set being edited, the
 * matcher compiled from it, the hunt_filter adapter, and each change as an
 * operation that can be undone, previewed and saved under one policy. No
 * curses and no printing: the screen (ui/exclview.c) prompts, draws, and
 * passes the user's answers back. */
#ifndef LH_EXCLCTL_H
#define LH_EXCLCTL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "excl.h"
#include "exclfilter.h"
#include "hunt.h"

/* One change to the set. Rules are named by category, kind and text (a
 * category never holds the same rule twice), not by index, because
 * indices move when rules come and go. */
enum xop_kind {
	XOP_CAT_ENABLE, XOP_RULE_ENABLE, XOP_ADD, XOP_REMOVE, XOP_EDIT,
	XOP_NOTE, XOP_UNTIL, XOP_ADD_CATEGORY
};

struct xop {
	enum xop_kind kind;
	char *cat;
	enum excl_kind rkind;	/* the rule, as it is after the change */
	char *text;
	enum excl_kind okind;	/* XOP_EDIT: as it was before */
	char *otext;
	char *note, *onote;	/* XOP_ADD/REMOVE: the rule's note;
				 * XOP_ADD_CATEGORY: the description */
	time_t until, ountil;
	int on, oon;
};

struct xctl {
	struct excl_set *set;
	/* The rules compiled per category (cls, kept until a change other
	 * than a category switch marks it stale, or a rule may have
	 * expired), or, when the set cannot be (asn or owner rules, more
	 * than 64 categories), compiled as they apply now (m). */
	struct excl_classes *cls;
	struct exclfilter_classes xc;
	int cls_stale;
	struct excl_matcher *m;
	struct hunt_filter flt;
	struct exclfilter_ipinfo xi;	/* lookup NULL: no enrichment */
	char *problems;		/* bad lines found when loading, or NULL */
	struct xop **undo;
	size_t nundo, capundo;
	int unsaved;		/* changes the last save could not write */
	struct xop *pending;	/* made, not yet through xctl_save */
	int pending_undo;
	/* What what is off would remove if switched on (xctl_off_hits), per
	 * rule and per category; valid until the next xctl_apply. */
	uint64_t *off_groups, *off_events;
	uint64_t *offcat_groups, *offcat_events;
	int off_valid;
};

/* Loads path (a missing file is an empty set). The set is kept even when
 * some lines are bad: those are reported in x->problems and the set is
 * then read-only. Returns NULL with *cause only if the file is unreadable. */
struct xctl *xctl_open(const char *path, char **cause);
void xctl_free(struct xctl *);
/* Reads the file again, dropping the undo history. */
int xctl_reload(struct xctl *, char **cause);
/* Compiles the matcher for now and re-applies the hunt. */
void xctl_apply(struct xctl *, struct hunt *);
/* xctl_apply asking stop now and then while the hunt judges the groups
 * (hunt_apply_stoppable): -1 when it was stopped, the hunt as it was;
 * the caller then takes the pending change back (xctl_take_back). */
int xctl_apply_stoppable(struct xctl *, struct hunt *, hunt_stop_fn stop,
    void *ctx);
/* What asn and owner rules ask about an address (the enrichment's
 * enrich_ipinfo); applies from the next xctl_apply and preview. */
void xctl_set_ipinfo(struct xctl *, void (*lookup)(void *ctx, const char *ip,
    size_t n, uint32_t *asn, const char **owner, size_t *owner_len), void *ctx);

/* Finds a rule by category name, kind and text; -1 if absent. */
long xctl_find_rule(const struct xctl *, const char *cat, enum excl_kind kind,
    const char *text);

/* Operations: one describing rule i as it is (for toggles, edits and
 * removal: the caller then sets what changes), one switching category cat
 * over, one adding a rule (switched on, no expiry), one adding a category.
 * The strings are copied. */
struct xop *xop_for_rule(const struct xctl *, enum xop_kind, size_t i);
struct xop *xop_toggle_category(const struct xctl *, size_t cat);
struct xop *xop_add_rule(const char *cat, enum excl_kind kind,
    const char *text, const char *note, time_t until);
struct xop *xop_add_category(const char *name, const char *description);
void xop_free(struct xop *);
/* Does (or undoes) an operation on the set, without saving. */
int xop_do(struct xctl *, const struct xop *, char **cause);
int xop_undo(struct xctl *, const struct xop *, char **cause);

/* Making a change, in three steps so that the caller can show the new
 * results between the change and its save (which syncs to disk):
 *
 * 1. xctl_change makes op (undo: reverses it) in the set. It takes op: on
 *    failure (-1, *cause) op is freed and nothing changed; on success op is
 *    the pending change. Then the caller re-applies the hunt (xctl_apply).
 * 2. xctl_save saves the set and settles the pending change: a change goes
 *    on the undo list, an undo is done with.
 * 3. Only after XCTL_ASK_RELOAD: the caller asks whether to reload the
 *    file and make the change again, and passes the answer to
 *    xctl_resolve. */
enum xctl_saved {
	XCTL_SAVED,		/* written; x->unsaved is 0 */
	XCTL_UNSAVABLE,		/* the file has lines that could not be read,
				 * so it is never rewritten: *cause; the
				 * change applies until the program ends
				 * (x->unsaved is 1) */
	XCTL_ASK_RELOAD		/* the save failed (*cause), typically
				 * because someone else changed the file */
};
int xctl_change(struct xctl *, struct xop *op, int undo, char **cause);
enum xctl_saved xctl_save(struct xctl *, char **cause);
/* reload 1: re-reads the file (dropping the undo history), makes the
 * pending change again and saves; then 0 and the change is the only one
 * on the undo list, or -1 with *cause when any of the three failed: the
 * change is then dropped: the set is the file as reloaded (x->unsaved 0),
 * or, when the reload itself failed, as it was: with the change made but
 * on no undo list.
 * reload 0: the change is kept unsaved (x->unsaved is 1); returns 0.
 * Either way, the caller re-applies the hunt afterwards. */
int xctl_resolve(struct xctl *, int reload, char **cause);
/* Takes back the pending change (made by xctl_change, not yet saved) when
 * applying it was stopped: the set is as before it (an undo taken back
 * goes on the undo list again) and so is the matcher; the hunt, which
 * the stopped apply left as it was, matches them. */
void xctl_take_back(struct xctl *);

/* The undo list, newest last: takes the newest change off (NULL if none),
 * to be undone with xctl_change(x, op, 1, ...). */
struct xop *xctl_pop_undo(struct xctl *);

/* Hits of a category: the sum over its rules. */
void xctl_category_hits(const struct xctl *, const struct hunt *, size_t cat,
    uint64_t *groups, uint64_t *events);

/* What is off would remove from the groups h shows now if it were
 * switched on, into x->off_groups/off_events (per rule) and
 * x->offcat_groups/offcat_events (per category): a rule that is switched
 * off or in a category that is, switched on with its category (as
 * xctl_preview counts a new rule, and as the hunt would count it: a group
 * another rule of the category takes first counts there); a category that
 * is off, with every rule of it that is on (a group once; a device rule
 * adds what it takes alone). What is on, and expired rules, count 0.
 * Worked out once after each xctl_apply; later calls return at once. */
void xctl_off_hits(struct xctl *, const struct hunt *h);
/* What adding a rule would remove from the groups h shows now, counted
 * without keeping it: add is an XOP_ADD op, and newcat the XOP_ADD_CATEGORY
 * op of the category it goes in when that is new, or NULL. The rule is
 * counted as if its category were on; *category_on tells whether it is.
 * A device rule counts every event it would take and the groups it would
 * leave with none.
 * Returns 0, or -1 and *cause when the category or the rule would be
 * refused. */
int xctl_preview(struct xctl *, const struct hunt *h, const struct xop *newcat,
    const struct xop *add, uint64_t *groups, uint64_t *events,
    int *category_on, char **cause);

#endif
