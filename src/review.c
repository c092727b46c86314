#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "review.h"
#include "triage.h"
#include "util.h"

/* What a group had before an action: enough to set it again. */
struct undo_group {
	uint32_t g;
	int had;			/* 0: untriaged before */
	enum ledger_verdict v;
	char *note;
	struct ledger_figures fig;
	uint8_t status;			/* its status in this run before */
};

struct undo_step {
	struct undo_group *gs;
	size_t n;
	enum ledger_verdict v;		/* what the action set */
};

struct review {
	struct ledger *l;
	struct ledger_run run;
	const struct hunt *h;
	struct undo_step *undo;
	size_t nundo, capundo;
	char *notes[REVIEW_NOTES];	/* newest first */
	size_t nnotes;
	int notes_read;			/* the ledger's were looked for */
};

struct review *
review_open(const char *path, const struct hunt *h, char **cause)
{
	struct review *rv;
	struct ledger *l;

	if (ledger_load(path, &l, cause) != 0)
		return NULL;
	rv = xcalloc(1, sizeof *rv);
	rv->l = l;
	rv->h = h;
	ledger_run_match(&rv->run, l, h);
	return rv;
}

static void
undo_step_free(struct undo_step *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->gs[i].note);
	free(s->gs);
}

void
review_free(struct review *rv)
{
	size_t i;

	if (rv == NULL)
		return;
	for (i = 0; i < rv->nundo; i++)
		undo_step_free(&rv->undo[i]);
	free(rv->undo);
	for (i = 0; i < rv->nnotes; i++)
		free(rv->notes[i]);
	ledger_run_free(&rv->run);
	ledger_free(rv->l);
	free(rv);
}

const struct ledger *
review_ledger(const struct review *rv)
{
	return rv->l;
}

int
review_record(struct review *rv, int64_t now, ledger_rule_name_fn name,
    void *ctx, char **cause)
{
	ledger_run_record(&rv->run, rv->l, rv->h, now, name, ctx);
	return review_save(rv, cause);
}

int
review_save(struct review *rv, char **cause)
{
	return ledger_save(rv->l, cause);
}

long
review_record_of(const struct review *rv, uint32_t g)
{
	return rv->run.rec[g];
}

enum ledger_status
review_status(const struct review *rv, uint32_t g)
{
	return (enum ledger_status)rv->run.status[g];
}

enum ledger_verdict
review_verdict(const struct review *rv, uint32_t g)
{
	struct ledger_verdict_info vi;

	if (rv->run.rec[g] < 0 || !ledger_current(rv->l, rv->run.rec[g], &vi))
		return LV_NONE;
	return vi.verdict;
}

const char *
review_cell(const struct review *rv, uint32_t g, size_t col)
{
	return triage_cell(rv->l, &rv->run, g, col);
}

int
review_cmp(const struct review *rv, size_t col, uint32_t a, uint32_t b)
{
	if (col == 0)
		return (int)rv->run.status[a] - (int)rv->run.status[b];
	if (col == 1)
		return (int)review_verdict(rv, a) - (int)review_verdict(rv, b);
	return strcmp(review_cell(rv, a, 2), review_cell(rv, b, 2));
}

int
review_pending(const struct review *rv, uint32_t g)
{
	return rv->run.status[g] != LS_SEEN || review_verdict(rv, g) == LV_NONE;
}

long
review_next(const struct review *rv, const uint32_t *rows, size_t n,
    size_t cur)
{
	size_t k, i;

	for (k = 1; k <= n; k++) {
		i = (cur + k) % n;
		if (review_pending(rv, rows[i]))
			return (long)i;
	}
	return -1;
}

void
review_count(const struct review *rv, struct review_counts *c)
{
	size_t g;

	memset(c, 0, sizeof *c);
	for (g = 0; g < rv->h->ng; g++) {
		if (rv->h->g[g].count == 0)
			continue;
		c->shown++;
		switch (rv->run.status[g]) {
		case LS_NEW: c->fresh++; break;
		case LS_CHANGED: c->changed++; break;
		case LS_REAPPEARED: c->reappeared++; break;
		default: break;
		}
		c->untriaged += review_verdict(rv, (uint32_t)g) == LV_NONE;
	}
}

/* The ledger's notes, newest first, once: what an analyst wrote in
 * earlier sessions is offered too. */
static void
notes_read(struct review *rv)
{
	int64_t when[REVIEW_NOTES];
	struct ledger_verdict_info vi[16];
	size_t r, nr = ledger_count(rv->l), i, k, n, j;

	rv->notes_read = 1;
	for (r = 0; r < nr; r++) {
		n = ledger_history(rv->l, (long)r, vi, 16);
		if (n > 16)
			n = 16;
		for (i = 0; i < n; i++) {
			if (vi[i].note[0] == '\0')
				continue;
			for (k = 0; k < rv->nnotes; k++)
				if (strcmp(rv->notes[k], vi[i].note) == 0)
					break;
			if (k < rv->nnotes) {
				if (vi[i].when <= when[k])
					continue;
				/* Newer: moved to its place below. */
				free(rv->notes[k]);
				for (j = k; j + 1 < rv->nnotes; j++) {
					rv->notes[j] = rv->notes[j + 1];
					when[j] = when[j + 1];
				}
				rv->nnotes--;
			}
			for (k = 0; k < rv->nnotes && when[k] >= vi[i].when; k++)
				;
			if (k == REVIEW_NOTES)
				continue;
			if (rv->nnotes == REVIEW_NOTES)
				free(rv->notes[--rv->nnotes]);
			for (j = rv->nnotes; j > k; j--) {
				rv->notes[j] = rv->notes[j - 1];
				when[j] = when[j - 1];
			}
			rv->notes[k] = xstrdup(vi[i].note);
			when[k] = vi[i].when;
			rv->nnotes++;
		}
	}
}

/* Puts note first, once. */
static void
notes_push(struct review *rv, const char *note)
{
	size_t k, j;
	char *s;

	if (note == NULL || note[0] == '\0')
		return;
	for (k = 0; k < rv->nnotes; k++)
		if (strcmp(rv->notes[k], note) == 0)
			break;
	if (k < rv->nnotes)
		s = rv->notes[k];
	else {
		s = xstrdup(note);
		if (rv->nnotes == REVIEW_NOTES)
			free(rv->notes[--rv->nnotes]);
		k = rv->nnotes++;
	}
	for (j = k; j > 0; j--)
		rv->notes[j] = rv->notes[j - 1];
	rv->notes[0] = s;
}

size_t
review_notes(struct review *rv, const char **out, size_t max)
{
	size_t i;

	if (!rv->notes_read)
		notes_read(rv);
	for (i = 0; i < rv->nnotes && i < max; i++)
		out[i] = rv->notes[i];
	return i;
}

/* The record of group g, added (with its figures now) if it has none,
 * as when the run was not recorded. */
static long
record_of(struct review *rv, uint32_t g, const struct ledger_figures *fig,
    int64_t now)
{
	struct lh_str key[5];
	long rec = rv->run.rec[g];

	if (rec < 0) {
		ledger_hunt_key(rv->h, &rv->h->g[g], key);
		rec = rv->run.rec[g] = ledger_add(rv->l, key, now);
		ledger_record_shown(rv->l, rec, fig, now);
	}
	return rec;
}

void
review_set(struct review *rv, const uint32_t *ids, size_t n,
    enum ledger_verdict v, const char *note, const char *who, int64_t now)
{
	struct ledger_verdict_info vi;
	struct ledger_figures fig;
	struct undo_step *st;
	size_t i;
	long rec;

	if (!rv->notes_read)
		notes_read(rv);
	rv->undo = xgrow(rv->undo, &rv->capundo, rv->nundo + 1, sizeof *rv->undo);
	st = &rv->undo[rv->nundo++];
	st->gs = xcalloc(n ? n : 1, sizeof *st->gs);
	st->n = n;
	st->v = v;
	for (i = 0; i < n; i++) {
		struct undo_group *u = &st->gs[i];

		ledger_group_figures(&rv->h->g[ids[i]], &fig);
		rec = record_of(rv, ids[i], &fig, now);
		u->g = ids[i];
		u->status = rv->run.status[ids[i]];
		if ((u->had = ledger_current(rv->l, rec, &vi)) != 0) {
			u->v = vi.verdict;
			u->note = xstrdup(vi.note);
			u->fig = vi.fig;
		}
		ledger_set_verdict(rv->l, rec, v, note, who, now, &fig);
		rv->run.status[ids[i]] = (uint8_t)ledger_status_of(rv->l, rec, &fig);
	}
	notes_push(rv, note);
}

size_t
review_undo(struct review *rv, const char *who, int64_t now,
    enum ledger_verdict *v)
{
	struct undo_step *st;
	struct ledger_figures fig;
	size_t i, n;
	long rec;

	if (rv->nundo == 0)
		return 0;
	st = &rv->undo[--rv->nundo];
	for (i = 0; i < st->n; i++) {
		const struct undo_group *u = &st->gs[i];

		rec = rv->run.rec[u->g];
		ledger_group_figures(&rv->h->g[u->g], &fig);
		if (u->had)
			ledger_set_verdict(rv->l, rec, u->v, u->note, who, now,
			    &u->fig);
		else
			ledger_set_verdict(rv->l, rec, LV_NONE, NULL, who, now, &fig);
		/* As the run found it, not as the record now says: a new group
		 * recorded when the console opened is new again. */
		rv->run.status[u->g] = u->status;
	}
	*v = st->v;
	n = st->n;
	undo_step_free(st);
	return n;
}

size_t
review_undo_depth(const struct review *rv)
{
	return rv->nundo;
}

size_t
review_history(const struct review *rv, uint32_t g,
    struct ledger_verdict_info *out, size_t max)
{
	if (rv->run.rec[g] < 0)
		return 0;
	return ledger_history(rv->l, rv->run.rec[g], out, max);
}

void
review_export_columns(const struct review *rv, struct triage_columns *tc,
    const struct out_extra *next)
{
	tc->l = rv->l;
	tc->r = &rv->run;
	tc->next = next;
}
