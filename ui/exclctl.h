/* The console's hold on the exclusions: the set being edited, the matcher
 * compiled from it, the hunt_filter adapter, and changes as undoable
 * operations. No curses here; exclview.c is the screen. */
#ifndef LH_UI_EXCLCTL_H
#define LH_UI_EXCLCTL_H

#include <stddef.h>
#include <time.h>

#include "excl.h"
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
	char *note, *onote;	/* XOP_ADD/REMOVE: the rule's note */
	time_t until, ountil;
	int on, oon;
};

struct xctl {
	struct excl_set *set;
	struct excl_matcher *m;
	struct hunt_filter flt;
	char *problems;		/* bad lines found when loading, or NULL */
	struct xop **undo;
	size_t nundo, capundo;
	int unsaved;		/* changes the last save could not write */
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

/* Finds a rule by category name, kind and text; -1 if absent. */
long xctl_find_rule(const struct xctl *, const char *cat, enum excl_kind kind,
    const char *text);

/* Does (or undoes) an operation on the set, without saving. */
int xop_do(struct xctl *, const struct xop *, char **cause);
int xop_undo(struct xctl *, const struct xop *, char **cause);
void xop_free(struct xop *);
/* An operation describing rule i as it is, for toggles, edits, removal. */
struct xop *xop_for_rule(const struct xctl *, enum xop_kind, size_t i);
void xctl_push_undo(struct xctl *, struct xop *);
struct xop *xctl_pop_undo(struct xctl *);

/* Hits of a category: the sum over its rules. */
void xctl_category_hits(const struct xctl *, const struct hunt *, size_t cat,
    uint64_t *groups, uint64_t *events);

/* Groups shown now that rule would remove, given a matcher with it. */
void xctl_preview(const struct xctl *, const struct excl_matcher *,
    const struct hunt *, long rule, uint64_t *groups, uint64_t *events);

#endif
