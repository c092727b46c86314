#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exclctl.h"
#include "exclfilter.h"
#include "savefile.h"
#include "util.h"

struct xctl *
xctl_open(const char *path, char **cause)
{
	struct xctl *x;
	struct excl_set *set = NULL;
	char *problems = NULL;

	if (excl_load_lenient(path, &set, &problems) != 0 && set == NULL) {
		*cause = problems;
		return NULL;
	}
	x = xcalloc(1, sizeof *x);
	x->set = set;
	x->problems = problems;
	return x;
}

static void
clear_undo(struct xctl *x)
{
	size_t i;

	for (i = 0; i < x->nundo; i++)
		xop_free(x->undo[i]);
	x->nundo = 0;
}

void
xctl_free(struct xctl *x)
{
	if (x == NULL)
		return;
	clear_undo(x);
	free(x->undo);
	xop_free(x->pending);
	excl_classes_free(x->cls);
	excl_matcher_free(x->m);
	excl_free(x->set);
	free(x->problems);
	free(x->off_groups);
	free(x->off_events);
	free(x->offcat_groups);
	free(x->offcat_events);
	free(x);
}

int
xctl_reload(struct xctl *x, char **cause)
{
	struct excl_set *set = NULL;
	char *problems = NULL;

	if (excl_load_lenient(excl_path(x->set), &set, &problems) != 0 &&
	    set == NULL) {
		*cause = problems;
		return -1;
	}
	excl_free(x->set);
	x->set = set;
	free(x->problems);
	x->problems = problems;
	x->unsaved = 0;
	x->cls_stale = 1;
	clear_undo(x);
	return 0;
}

/* The matcher of the set as it is now. A category switched changes no
 * rule: the rules compiled per category stay, and the filter says which
 * categories are on. */
static void
compile(struct xctl *x)
{
	time_t now = time(NULL), until;

	if (x->cls != NULL && (x->cls_stale ||
	    ((until = excl_classes_until(x->cls)) != 0 && now >= until))) {
		excl_classes_free(x->cls);
		x->cls = NULL;
	}
	if (x->cls == NULL)
		x->cls = excl_classes_compile(x->set, now);
	x->cls_stale = 0;
	excl_matcher_free(x->m);
	x->m = NULL;
	if (x->cls != NULL) {
		x->xc.c = x->cls;
		exclfilter_init_classes(&x->flt, x->set, &x->xc);
		return;
	}
	x->m = excl_compile(x->set, now);
	x->xi.m = x->m;
	exclfilter_init_ipinfo(&x->flt, x->set, &x->xi);
}

void
xctl_apply(struct xctl *x, struct hunt *h)
{
	(void)xctl_apply_stoppable(x, h, NULL, NULL);
}

int
xctl_apply_stoppable(struct xctl *x, struct hunt *h, hunt_stop_fn stop,
    void *ctx)
{
	compile(x);
	if (hunt_apply_stoppable(h, &x->flt, stop, ctx) != 0)
		return -1;
	x->off_valid = 0;
	return 0;
}

void
xctl_set_ipinfo(struct xctl *x, void (*lookup)(void *ctx, const char *ip,
    size_t n, uint32_t *asn, const char **owner, size_t *owner_len), void *ctx)
{
	x->xi.lookup = lookup;
	x->xi.ctx = ctx;
}

long
xctl_find_rule(const struct xctl *x, const char *cat, enum excl_kind kind,
    const char *text)
{
	long c = excl_category_find(x->set, cat);
	size_t i, n = excl_rule_count(x->set);

	if (c < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (excl_rule_category(x->set, i) == (size_t)c &&
		    excl_rule_kind(x->set, i) == kind &&
		    strcmp(excl_rule_text(x->set, i), text) == 0)
			return (long)i;
	return -1;
}

static long
need_rule(const struct xctl *x, const char *cat, enum excl_kind kind,
    const char *text, char **cause)
{
	long i = xctl_find_rule(x, cat, kind, text);

	if (i < 0)
		*cause = xasprintf("[%s] no longer has the rule %s %s", cat,
		    excl_kind_name(kind), text);
	return i;
}

static int
add_rule(struct xctl *x, const struct xop *op, char **cause)
{
	long c = excl_category_find(x->set, op->cat), i;

	if (c < 0) {
		*cause = xasprintf("there is no category [%s]", op->cat);
		return -1;
	}
	i = excl_rule_add(x->set, (size_t)c, op->rkind, op->text, op->note,
	    op->until, cause);
	if (i < 0)
		return -1;
	if (!op->on && excl_rule_set_enabled(x->set, (size_t)i, 0, cause) != 0)
		return -1;
	return 0;
}

static int
remove_rule(struct xctl *x, const struct xop *op, char **cause)
{
	long i = need_rule(x, op->cat, op->rkind, op->text, cause);

	return i < 0 ? -1 : excl_rule_remove(x->set, (size_t)i, cause);
}

/* Does op forwards (undo 0) or backwards (undo 1). */
static int
apply(struct xctl *x, const struct xop *op, int undo, char **cause)
{
	long i, c;

	/* Any change but a category switched changes the rules compiled. */
	if (op->kind != XOP_CAT_ENABLE)
		x->cls_stale = 1;
	switch (op->kind) {
	case XOP_CAT_ENABLE:
		c = excl_category_find(x->set, op->cat);
		if (c < 0) {
			*cause = xasprintf("there is no category [%s]", op->cat);
			return -1;
		}
		return excl_category_set_enabled(x->set, (size_t)c,
		    undo ? op->oon : op->on, cause);
	case XOP_RULE_ENABLE:
		i = need_rule(x, op->cat, op->rkind, op->text, cause);
		return i < 0 ? -1 : excl_rule_set_enabled(x->set, (size_t)i,
		    undo ? op->oon : op->on, cause);
	case XOP_ADD:
		return undo ? remove_rule(x, op, cause) : add_rule(x, op, cause);
	case XOP_REMOVE:
		return undo ? add_rule(x, op, cause) : remove_rule(x, op, cause);
	case XOP_EDIT:
		if (undo) {
			i = need_rule(x, op->cat, op->rkind, op->text, cause);
			return i < 0 ? -1 : excl_rule_edit(x->set, (size_t)i,
			    op->okind, op->otext, cause);
		}
		i = need_rule(x, op->cat, op->okind, op->otext, cause);
		return i < 0 ? -1 : excl_rule_edit(x->set, (size_t)i, op->rkind,
		    op->text, cause);
	case XOP_NOTE:
		i = need_rule(x, op->cat, op->rkind, op->text, cause);
		return i < 0 ? -1 : excl_rule_set_note(x->set, (size_t)i,
		    undo ? op->onote : op->note, cause);
	case XOP_UNTIL:
		i = need_rule(x, op->cat, op->rkind, op->text, cause);
		return i < 0 ? -1 : excl_rule_set_until(x->set, (size_t)i,
		    undo ? op->ountil : op->until, cause);
	case XOP_ADD_CATEGORY:
		if (undo) {
			c = excl_category_find(x->set, op->cat);
			if (c < 0) {
				*cause = xasprintf("there is no category [%s]", op->cat);
				return -1;
			}
			return excl_category_remove(x->set, (size_t)c, cause);
		}
		return excl_category_add(x->set, op->cat, op->note, cause) < 0 ? -1 : 0;
	}
	*cause = xstrdup("unknown change");
	return -1;
}

int
xop_do(struct xctl *x, const struct xop *op, char **cause)
{
	return apply(x, op, 0, cause);
}

int
xop_undo(struct xctl *x, const struct xop *op, char **cause)
{
	return apply(x, op, 1, cause);
}

void
xop_free(struct xop *op)
{
	if (op == NULL)
		return;
	free(op->cat);
	free(op->text);
	free(op->otext);
	free(op->note);
	free(op->onote);
	free(op);
}

struct xop *
xop_for_rule(const struct xctl *x, enum xop_kind kind, size_t i)
{
	struct xop *op = xcalloc(1, sizeof *op);

	op->kind = kind;
	op->cat = xstrdup(excl_category_name(x->set, excl_rule_category(x->set, i)));
	op->rkind = op->okind = excl_rule_kind(x->set, i);
	op->text = xstrdup(excl_rule_text(x->set, i));
	op->otext = xstrdup(op->text);
	op->note = xstrdup(excl_rule_note(x->set, i));
	op->onote = xstrdup(op->note);
	op->until = op->ountil = excl_rule_until(x->set, i);
	op->on = op->oon = excl_rule_enabled(x->set, i);
	return op;
}

struct xop *
xop_toggle_category(const struct xctl *x, size_t cat)
{
	struct xop *op = xcalloc(1, sizeof *op);

	op->kind = XOP_CAT_ENABLE;
	op->cat = xstrdup(excl_category_name(x->set, cat));
	op->oon = excl_category_enabled(x->set, cat);
	op->on = !op->oon;
	return op;
}

struct xop *
xop_add_rule(const char *cat, enum excl_kind kind, const char *text,
    const char *note, time_t until)
{
	struct xop *op = xcalloc(1, sizeof *op);

	op->kind = XOP_ADD;
	op->cat = xstrdup(cat);
	op->rkind = kind;
	op->text = xstrdup(text);
	op->note = note ? xstrdup(note) : NULL;
	op->until = until;
	op->on = 1;
	return op;
}

struct xop *
xop_add_category(const char *name, const char *description)
{
	struct xop *op = xcalloc(1, sizeof *op);

	op->kind = XOP_ADD_CATEGORY;
	op->cat = xstrdup(name);
	op->note = description ? xstrdup(description) : NULL;
	return op;
}

static void
push_undo(struct xctl *x, struct xop *op)
{
	x->undo = xgrow(x->undo, &x->capundo, x->nundo + 1, sizeof *x->undo);
	x->undo[x->nundo++] = op;
}

/* The pending change is through: a change can be undone, an undo is
 * done with. */
static void
settle(struct xctl *x)
{
	if (x->pending == NULL)
		return;
	if (x->pending_undo)
		xop_free(x->pending);
	else
		push_undo(x, x->pending);
	x->pending = NULL;
}

int
xctl_change(struct xctl *x, struct xop *op, int undo, char **cause)
{
	settle(x);
	if (apply(x, op, undo, cause) != 0) {
		xop_free(op);
		return -1;
	}
	x->pending = op;
	x->pending_undo = undo;
	return 0;
}

void
xctl_take_back(struct xctl *x)
{
	struct xop *op = x->pending;
	char *cause = NULL;

	if (op == NULL)
		return;
	x->pending = NULL;
	/* The reverse of what was just made in the same set. */
	if (apply(x, op, !x->pending_undo, &cause) != 0)
		free(cause);
	/* An undo taken back can be undone again later. */
	if (x->pending_undo)
		push_undo(x, op);
	else
		xop_free(op);
	compile(x);
	x->off_valid = 0;
}

enum xctl_saved
xctl_save(struct xctl *x, char **cause)
{
	if (excl_save(x->set, cause) == 0) {
		x->unsaved = 0;
		settle(x);
		return XCTL_SAVED;
	}
	if (excl_has_errors(x->set)) {
		x->unsaved = 1;
		settle(x);
		return XCTL_UNSAVABLE;
	}
	return XCTL_ASK_RELOAD;
}

int
xctl_resolve(struct xctl *x, int reload, char **cause)
{
	struct xop *op = x->pending;
	struct savefile_lock *lk;
	int ok;

	*cause = NULL;
	if (!reload) {
		x->unsaved = 1;
		settle(x);
		return 0;
	}
	/* Under the lock, so that no other writer comes between the reload
	 * and the save (excl_save takes it again, which a holder may). */
	if (op != NULL && savefile_lock(excl_path(x->set), &lk, cause) == 0) {
		ok = xctl_reload(x, cause) == 0 &&
		    apply(x, op, x->pending_undo, cause) == 0 &&
		    excl_save(x->set, cause) == 0;
		savefile_unlock(lk);
		if (ok) {
			x->unsaved = 0;
			settle(x);
			return 0;
		}
	}
	x->pending = NULL;
	xop_free(op);
	if (*cause == NULL)
		*cause = xstrdup("the reload failed");
	return -1;
}

struct xop *
xctl_pop_undo(struct xctl *x)
{
	return x->nundo ? x->undo[--x->nundo] : NULL;
}

void
xctl_category_hits(const struct xctl *x, const struct hunt *h, size_t cat,
    uint64_t *groups, uint64_t *events)
{
	size_t i, n = excl_rule_count(x->set);

	*groups = *events = 0;
	for (i = 0; i < n && i < h->nrules; i++)
		if (excl_rule_category(x->set, i) == cat) {
			*groups += h->rule_groups[i];
			*events += h->rule_events[i];
		}
}

/* For a device rule: the events still counted whose device it matches
 * (each name matched once), and the groups left with none. */
static void
count_removed_device(const struct excl_matcher *m, const struct hunt *h,
    long rule, uint64_t *groups, uint64_t *events)
{
	const struct strtab *st = h->d->st;
	int8_t *hit = xcalloc(strtab_count(st), 1);	/* 0 unknown, 1 no, 2 yes */
	uint64_t lost;
	uint32_t dn, k;
	size_t i;

	for (i = 0; i < h->ng; i++) {
		const struct lh_group *g = &h->g[i];

		if (g->count == 0)
			continue;
		lost = 0;
		for (k = 0; k < g->ev_n; k++) {
			uint32_t ev = h->order[g->ev_off + k];

			if (!hunt_event_kept(h, ev))
				continue;
			dn = table_event_device_name(h->d, &h->d->ev[ev]);
			if (hit[dn] == 0)
				hit[dn] = excl_match_device(m, strtab_str(st, dn),
				    strtab_len(st, dn)) == rule ? 2 : 1;
			if (hit[dn] == 2)
				lost += table_event_count(h->d, &h->d->ev[ev]);
		}
		*events += lost;
		*groups += lost > 0 && lost >= g->count;
	}
	free(hit);
}

/* Groups shown now that rule would remove (and their events; for a device
 * rule, every event it removes), given a matcher with it. With rule -1,
 * those any ip or account rule of category cat would remove. */
static void
count_removed_by(const struct excl_matcher *m, const struct exclfilter_ipinfo *xi,
    const struct hunt *h, long rule, const struct excl_set *set, size_t cat,
    enum excl_kind kind, uint64_t *groups, uint64_t *events,
    uint64_t *rule_groups, uint64_t *rule_events)
{
	struct exclfilter_ipinfo with = *xi;
	struct hunt_filter f;
	const struct strtab *st = h->d->st;
	size_t i;
	long r;

	*groups = *events = 0;
	if (kind == EXCL_DEVICE) {
		count_removed_device(m, h, rule, groups, events);
		return;
	}
	/* Asked as the hunt asks: asn and owner rules too. */
	with.m = m;
	f.match_ip = NULL;
	exclfilter_init_ipinfo(&f, NULL, &with);
	for (i = 0; i < h->ng; i++) {
		const struct lh_group *g = &h->g[i];

		if (g->count == 0)
			continue;
		r = f.match_ip(f.ctx, strtab_str(st, g->key[K_REMOTEIP]),
		    strtab_len(st, g->key[K_REMOTEIP]));
		if (r < 0)
			r = excl_match_account(m, strtab_str(st, g->key[K_DOMAIN]),
			    strtab_len(st, g->key[K_DOMAIN]),
			    strtab_str(st, g->key[K_NAME]), strtab_len(st, g->key[K_NAME]));
		if (rule >= 0 ? r == rule : r >= 0 &&
		    excl_rule_category(set, (size_t)r) == cat) {
			(*groups)++;
			*events += g->count;
			/* With rule -1, what each rule of cat takes. */
			if (rule_groups != NULL) {
				rule_groups[r]++;
				rule_events[r] += g->count;
			}
		}
	}
}

static void
count_removed(const struct excl_matcher *m, const struct exclfilter_ipinfo *xi,
    const struct hunt *h, long rule, enum excl_kind kind, uint64_t *groups,
    uint64_t *events)
{
	count_removed_by(m, xi, h, rule, NULL, 0, kind, groups, events, NULL, NULL);
}

/* What category c, switched on for the count, would remove, and what
 * each of its rules that are on would remove then (the figures a rule
 * counted alone with its category switched on gets: the same matcher),
 * marked in done. */
static void
count_off_category(struct xctl *x, const struct hunt *h, size_t c, time_t now,
    uint8_t *done)
{
	struct excl_matcher *m;
	char *ignored = NULL;
	uint64_t g, e;
	size_t i, nr = excl_rule_count(x->set);

	excl_category_set_enabled(x->set, c, 1, &ignored);
	m = excl_compile(x->set, now);
	count_removed_by(m, &x->xi, h, -1, x->set, c, EXCL_IP,
	    &x->offcat_groups[c], &x->offcat_events[c], x->off_groups,
	    x->off_events);
	for (i = 0; i < nr; i++)
		if (excl_rule_category(x->set, i) == c &&
		    excl_rule_state(x->set, i, now) == EXCL_ACTIVE) {
			done[i] = 1;
			if (excl_rule_kind(x->set, i) != EXCL_DEVICE)
				continue;
			g = e = 0;
			count_removed_device(m, h, (long)i, &g, &e);
			x->off_groups[i] = g;
			x->off_events[i] = e;
			x->offcat_groups[c] += g;
			x->offcat_events[c] += e;
		}
	excl_matcher_free(m);
	excl_category_set_enabled(x->set, c, 0, &ignored);
	free(ignored);
}

/* The addresses of the groups shown now, each weighing its events. */
static struct excl_addr_index *
shown_addresses(const struct hunt *h)
{
	struct excl_addr_index *ix = excl_addr_index_new();
	const struct strtab *st = h->d->st;
	size_t i;

	for (i = 0; i < h->ng; i++)
		if (h->g[i].count > 0)
			excl_addr_index_add(ix, strtab_str(st, h->g[i].key[K_REMOTEIP]),
			    strtab_len(st, h->g[i].key[K_REMOTEIP]), h->g[i].count);
	excl_addr_index_build(ix);
	return ix;
}

void
xctl_off_hits(struct xctl *x, const struct hunt *h)
{
	size_t i, c, nr = excl_rule_count(x->set), nc = excl_category_count(x->set);
	time_t now = time(NULL);
	struct excl_matcher *m;
	enum excl_state st;
	char *ignored = NULL;
	int rule_on, cat_on;
	struct excl_addr_index *ix = NULL;
	uint8_t *done;

	if (x->off_valid)
		return;
	free(x->off_groups);
	free(x->off_events);
	free(x->offcat_groups);
	free(x->offcat_events);
	x->off_groups = xcalloc(nr + 1, sizeof *x->off_groups);
	x->off_events = xcalloc(nr + 1, sizeof *x->off_events);
	x->offcat_groups = xcalloc(nc + 1, sizeof *x->offcat_groups);
	x->offcat_events = xcalloc(nc + 1, sizeof *x->offcat_events);
	/* Categories that are off, switched on one at a time: their totals,
	 * and the figures of their rules that are on. */
	done = xcalloc(nr + 1, 1);
	for (c = 0; c < nc; c++)
		if (!excl_category_enabled(x->set, c))
			count_off_category(x, h, c, now, done);
	/* Each other rule alone: switched on (with its category) for the
	 * count and back, as xctl_preview does with a new one. */
	for (i = 0; i < nr; i++) {
		st = excl_rule_state(x->set, i, now);
		if ((st != EXCL_DISABLED && st != EXCL_CATEGORY_OFF) || done[i])
			continue;
		if (excl_rule_kind(x->set, i) == EXCL_IP &&
		    excl_category_enabled(x->set, excl_rule_category(x->set, i))) {
			/* No rule that is on matches a group shown now, so
			 * switched on alone an address rule removes exactly
			 * the groups its network contains (none once it has
			 * expired): two binary searches, not a hunt. In a
			 * category that is off, the rules switched on with
			 * it may take some of those groups first: the
			 * count below asks as the hunt would. */
			if (ix == NULL)
				ix = shown_addresses(h);
			if (!excl_rule_expired(x->set, i, now))
				excl_addr_index_count(ix, x->set, i,
				    &x->off_groups[i], &x->off_events[i]);
			continue;
		}
		c = excl_rule_category(x->set, i);
		rule_on = excl_rule_enabled(x->set, i);
		cat_on = excl_category_enabled(x->set, c);
		if (!rule_on)
			excl_rule_set_enabled(x->set, i, 1, &ignored);
		if (!cat_on)
			excl_category_set_enabled(x->set, c, 1, &ignored);
		m = excl_compile(x->set, now);
		count_removed(m, &x->xi, h, (long)i, excl_rule_kind(x->set, i),
		    &x->off_groups[i], &x->off_events[i]);
		excl_matcher_free(m);
		if (!cat_on)
			excl_category_set_enabled(x->set, c, 0, &ignored);
		if (!rule_on)
			excl_rule_set_enabled(x->set, i, 0, &ignored);
	}
	free(ignored);
	free(done);
	excl_addr_index_free(ix);
	x->off_valid = 1;
}

/* Removes a category made for a preview (it has no rules, so this cannot
 * fail). */
static void
unmake_category(struct xctl *x, long cat)
{
	char *cause = NULL;

	excl_category_remove(x->set, (size_t)cat, &cause);
	free(cause);
}

int
xctl_preview(struct xctl *x, const struct hunt *h, const struct xop *newcat,
    const struct xop *add, uint64_t *groups, uint64_t *events,
    int *category_on, char **cause)
{
	struct excl_matcher *m;
	char *ignored = NULL;
	long cat, rule;
	int on;

	/* The rule, and a new category, are made in the set for the count
	 * and taken out again. */
	if (newcat != NULL)
		cat = excl_category_add(x->set, newcat->cat, newcat->note, cause);
	else if ((cat = excl_category_find(x->set, add->cat)) < 0)
		*cause = xasprintf("there is no category [%s]", add->cat);
	if (cat < 0)
		return -1;
	rule = excl_rule_add(x->set, (size_t)cat, add->rkind, add->text,
	    add->note, add->until, cause);
	if (rule < 0) {
		if (newcat != NULL)
			unmake_category(x, cat);
		return -1;
	}
	/* None of these can fail: the category and the rule exist. */
	on = excl_category_enabled(x->set, (size_t)cat);
	if (!on)
		excl_category_set_enabled(x->set, (size_t)cat, 1, &ignored);
	m = excl_compile(x->set, time(NULL));
	count_removed(m, &x->xi, h, rule, add->rkind, groups, events);
	excl_matcher_free(m);
	if (!on)
		excl_category_set_enabled(x->set, (size_t)cat, 0, &ignored);
	excl_rule_remove(x->set, (size_t)rule, &ignored);
	free(ignored);
	if (newcat != NULL)
		unmake_category(x, cat);
	*category_on = on;
	return 0;
}
