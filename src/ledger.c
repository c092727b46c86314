/* The triage ledger in memory: records keyed by the five grouping columns
 * in one hash table, strings in one arena (no allocation per field), the
 * file format's parser and writer, the merge, and the status rules. */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ledger.h"
#include "ledger_int.h"
#include "ts.h"

#define NO_ENTRY UINT32_MAX

static const char *const verdict_names[LV_N] = {
	"", "true-positive", "benign-positive", "false-positive",
	"undetermined", "escalated"
};
static const char *const status_names[LS_N] = {
	"new", "reappeared", "changed", "seen"
};

const char *
ledger_verdict_name(enum ledger_verdict v)
{
	return (unsigned)v < LV_N ? verdict_names[v] : "";
}

int
ledger_verdict_parse(const char *s, enum ledger_verdict *out)
{
	int i;

	if (strcmp(s, "cleared") == 0) {
		*out = LV_NONE;
		return 0;
	}
	for (i = 1; i < LV_N; i++)
		if (strcmp(s, verdict_names[i]) == 0) {
			*out = (enum ledger_verdict)i;
			return 0;
		}
	return -1;
}

const char *
ledger_verdict_list(void)
{
	return "true-positive, benign-positive, false-positive, undetermined, "
	    "escalated";
}

const char *
ledger_status_name(enum ledger_status s)
{
	return (unsigned)s < LS_N ? status_names[s] : "";
}

int
ledger_status_parse(const char *s, enum ledger_status *out)
{
	int i;

	for (i = 0; i < LS_N; i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum ledger_status)i;
			return 0;
		}
	return -1;
}

char *
ledger_default_path(void)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	struct passwd *pw;

	/* The XDG spec says to ignore a relative XDG_DATA_HOME. */
	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/logonhunt/ledger", xdg);
	if (home == NULL || home[0] != '/') {
		pw = getpwuid(getuid());
		home = pw != NULL ? pw->pw_dir : NULL;
	}
	if (home != NULL && home[0] == '/')
		return xasprintf("%s/.local/share/logonhunt/ledger", home);
	return NULL;
}

const char *
ledger_default_analyst(void)
{
	const char *u = getenv("LOGONHUNT_USER");

	if (u == NULL || u[0] == '\0')
		u = getenv("USER");
	return u != NULL && u[0] != '\0' ? u : "unknown";
}

int64_t
ledger_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return TS_UNIX_EPOCH + (int64_t)t.tv_sec * TS_TICKS_PER_SEC +
	    t.tv_nsec / 100;
}

/* ------------------------------------------------------------ storage */

struct ledger *
ledger_new(const char *path)
{
	struct ledger *l = xcalloc(1, sizeof *l);

	l->path = xstrdup(path != NULL ? path : "(ledger)");
	return l;
}

void
ledger_free(struct ledger *l)
{
	if (l == NULL)
		return;
	free(l->path);
	free(l->arena);
	free(l->r);
	free(l->e);
	free(l->slot);
	free(l);
}

const char *
ledger_path(const struct ledger *l)
{
	return l->path;
}

size_t
ledger_torn_line(const struct ledger *l)
{
	return l->torn_line;
}

char *
ledger_torn_note(const struct ledger *l)
{
	if (l->torn_line == 0)
		return NULL;
	return xasprintf("%s:%zu: the lines from here to the end are what an "
	    "interrupted save left; they are left out, and the next save "
	    "removes them", l->path, l->torn_line);
}

size_t
ledger_count(const struct ledger *l)
{
	return l->nr;
}

/* Appends n bytes and a NUL to the arena; returns their offset. */
static size_t
arena_add(struct ledger *l, const char *p, size_t n)
{
	size_t off;

	l->arena = xgrow(l->arena, &l->acap, l->alen + n + 1, 1);
	off = l->alen;
	if (n)
		memcpy(l->arena + off, p, n);
	l->arena[off + n] = '\0';
	l->alen += n + 1;
	return off;
}

/* The hash of a key whose five fields lie one after another at p: the
 * bytes hashed once, the lengths mixed in so that ("ab","c") and ("a",
 * "bc") differ. */
static uint64_t
key_hash_flat(const char *p, const uint32_t klen[5])
{
	uint64_t h, lens = 0;
	size_t total = 0;
	int i;

	for (i = 0; i < 5; i++) {
		total += klen[i];
		lens = lens * 0x100000001b3ull + klen[i];
	}
	h = util_hash(p, total) ^ (lens * 0x9e3779b97f4a7c15ull);
	return h ^ (h >> 29);
}

/* The same hash for a key in five places. */
static uint64_t
key_hash(const struct lh_str key[5])
{
	char small[512], *flat = small, *o;
	uint32_t klen[5];
	size_t total = 0;
	uint64_t h;
	int i;

	for (i = 0; i < 5; i++) {
		klen[i] = (uint32_t)key[i].n;
		total += key[i].n;
	}
	if (total > sizeof small)
		flat = xmalloc(total);
	for (i = 0, o = flat; i < 5; o += key[i].n, i++)
		memcpy(o, key[i].p, key[i].n);
	h = key_hash_flat(flat, klen);
	if (flat != small)
		free(flat);
	return h;
}

static int
rec_has_key(const struct ledger *l, const struct lrec *r,
    const struct lh_str key[5])
{
	const char *p = l->arena + r->koff;
	int i;

	for (i = 0; i < 5; i++) {
		if (r->klen[i] != key[i].n || memcmp(p, key[i].p, key[i].n) != 0)
			return 0;
		p += r->klen[i];
	}
	return 1;
}

/* A slot holds the high half of the record's hash and the record + 1, so
 * a probe touches a record only when the hashes agree. */
#define SLOT(h, rec) (((h) & 0xffffffff00000000ull) | ((uint64_t)(rec) + 1))
#define SLOT_REC(s) ((long)((s) & 0xffffffffu) - 1)

static void
table_resize(struct ledger *l, size_t want)
{
	size_t cap = 1024, i, j;

	while (cap < want * 2 + 2)
		cap *= 2;
	if (cap <= l->nslot)
		return;
	free(l->slot);
	l->slot = xmalloc(cap * sizeof *l->slot);
	memset(l->slot, 0, cap * sizeof *l->slot);
	l->nslot = cap;
	for (i = 0; i < l->nr; i++) {
		j = l->r[i].hash & (cap - 1);
		while (l->slot[j] != 0)
			j = (j + 1) & (cap - 1);
		l->slot[j] = SLOT(l->r[i].hash, i);
	}
}

static long
find_hashed(const struct ledger *l, const struct lh_str key[5], uint64_t h,
    size_t *slot)
{
	uint64_t s, tag = h & 0xffffffff00000000ull;
	size_t j;

	if (l->nslot == 0) {
		*slot = 0;
		return -1;
	}
	for (j = h & (l->nslot - 1); (s = l->slot[j]) != 0;
	    j = (j + 1) & (l->nslot - 1))
		if ((s & 0xffffffff00000000ull) == tag &&
		    l->r[SLOT_REC(s)].hash == h &&
		    rec_has_key(l, &l->r[SLOT_REC(s)], key))
			return SLOT_REC(s);
	*slot = j;
	return -1;
}

long
ledger_find(const struct ledger *l, const struct lh_str key[5])
{
	size_t slot;

	return find_hashed(l, key, key_hash(key), &slot);
}

/* Adds a record whose keys are already at koff in the arena, without
 * entering it in the table. */
static long
rec_append(struct ledger *l, size_t koff, const uint32_t klen[5], uint64_t h)
{
	struct lrec *r;

	l->r = xgrow(l->r, &l->capr, l->nr + 1, sizeof *l->r);
	r = &l->r[l->nr];
	memset(r, 0, sizeof *r);
	r->hash = h;
	r->koff = koff;
	memcpy(r->klen, klen, sizeof r->klen);
	r->fig.earliest = r->fig.latest = TS_NONE;
	r->head = r->tail = NO_ENTRY;
	return (long)l->nr++;
}

/* The same, entered at slot (from find_hashed). */
static long
rec_insert(struct ledger *l, size_t koff, const uint32_t klen[5], uint64_t h,
    size_t slot)
{
	long rec = rec_append(l, koff, klen, h);

	if (l->nr * 2 > l->nslot)
		table_resize(l, l->nr * 2);
	else
		l->slot[slot] = SLOT(h, rec);
	return rec;
}

/* Builds the table for records read from a file, the probes of the next
 * records prefetched so that their cache misses overlap. Returns -1 with
 * *dup and *first set when two records have the same key. */
static int
table_build(struct ledger *l, size_t *dup, size_t *first)
{
	size_t cap = 1024, i, j, mask;
	uint64_t s;
	struct lh_str key[5];

	while (cap < l->nr * 2 + 2)
		cap *= 2;
	free(l->slot);
	l->slot = xmalloc(cap * sizeof *l->slot);
	memset(l->slot, 0, cap * sizeof *l->slot);
	l->nslot = cap;
	mask = cap - 1;
	for (i = 0; i < l->nr; i++) {
		if (i + 16 < l->nr)
			__builtin_prefetch(&l->slot[l->r[i + 16].hash & mask], 1);
		for (j = l->r[i].hash & mask; (s = l->slot[j]) != 0; j = (j + 1) & mask)
			if ((s & 0xffffffff00000000ull) ==
			    (l->r[i].hash & 0xffffffff00000000ull) &&
			    l->r[SLOT_REC(s)].hash == l->r[i].hash) {
				ledger_key(l, (long)i, key);
				if (rec_has_key(l, &l->r[SLOT_REC(s)], key)) {
					*dup = i;
					*first = (size_t)SLOT_REC(s);
					return -1;
				}
			}
		l->slot[j] = SLOT(l->r[i].hash, i);
	}
	return 0;
}

long
ledger_add(struct ledger *l, const struct lh_str key[5], int64_t when)
{
	uint64_t h = key_hash(key);
	uint32_t klen[5];
	size_t slot, koff, total = 0;
	long rec;
	int i;

	if ((rec = find_hashed(l, key, h, &slot)) >= 0)
		return rec;
	for (i = 0; i < 5; i++) {
		klen[i] = (uint32_t)key[i].n;
		total += key[i].n;
	}
	l->arena = xgrow(l->arena, &l->acap, l->alen + total + 1, 1);
	koff = l->alen;
	for (i = 0; i < 5; i++) {
		memcpy(l->arena + l->alen, key[i].p, key[i].n);
		l->alen += key[i].n;
	}
	l->arena[l->alen++] = '\0';
	rec = rec_insert(l, koff, klen, h, slot);
	l->r[rec].first = l->r[rec].seen = when;
	l->r[rec].dirty = 1;
	l->ndirty++;
	return rec;
}

void
ledger_key(const struct ledger *l, long rec, struct lh_str key[5])
{
	const struct lrec *r = &l->r[rec];
	const char *p = l->arena + r->koff;
	int i;

	for (i = 0; i < 5; i++) {
		key[i].p = p;
		key[i].n = r->klen[i];
		p += r->klen[i];
	}
}

int64_t
ledger_first_seen(const struct ledger *l, long rec)
{
	return l->r[rec].first;
}

int64_t
ledger_last_seen(const struct ledger *l, long rec)
{
	return l->r[rec].seen;
}

const struct ledger_figures *
ledger_snapshot(const struct ledger *l, long rec)
{
	return &l->r[rec].fig;
}

const char *
ledger_hidden_by(const struct ledger *l, long rec)
{
	return l->r[rec].hidden_len ? l->arena + l->r[rec].hidden_off : NULL;
}

static void
entry_info(const struct ledger *l, const struct lent *e,
    struct ledger_verdict_info *out)
{
	out->verdict = (enum ledger_verdict)e->verdict;
	out->when = e->when;
	out->who = l->arena + e->who_off;
	out->note = l->arena + e->note_off;
	out->fig = e->fig;
}

int
ledger_current(const struct ledger *l, long rec, struct ledger_verdict_info *out)
{
	uint32_t t = l->r[rec].tail;

	if (t == NO_ENTRY || l->e[t].verdict == LV_NONE)
		return 0;
	if (out != NULL)
		entry_info(l, &l->e[t], out);
	return 1;
}

size_t
ledger_history(const struct ledger *l, long rec, struct ledger_verdict_info *out,
    size_t max)
{
	size_t n = 0;
	uint32_t e;

	for (e = l->r[rec].head; e != NO_ENTRY; e = l->e[e].next, n++)
		if (n < max)
			entry_info(l, &l->e[e], &out[n]);
	return n;
}

/* Links entry ei into rec's history in time order, after any entry of the
 * same time (so of two verdicts set in one tick, the later-added wins). */
static void
entry_link(struct ledger *l, struct lrec *r, uint32_t ei)
{
	struct lent *e = &l->e[ei];
	uint32_t p, prev = NO_ENTRY;

	if (r->tail == NO_ENTRY || l->e[r->tail].when <= e->when) {
		e->next = NO_ENTRY;
		if (r->tail == NO_ENTRY)
			r->head = ei;
		else
			l->e[r->tail].next = ei;
		r->tail = ei;
		return;
	}
	for (p = r->head; p != NO_ENTRY && l->e[p].when <= e->when; p = l->e[p].next)
		prev = p;
	e->next = p;
	if (prev == NO_ENTRY)
		r->head = ei;
	else
		l->e[prev].next = ei;
}

/* A record to write with the next save. */
static void
mark(struct ledger *l, struct lrec *r)
{
	l->ndirty += !r->dirty;
	r->dirty = 1;
}

static uint32_t
entry_new(struct ledger *l)
{
	l->e = xgrow(l->e, &l->cape, l->ne + 1, sizeof *l->e);
	memset(&l->e[l->ne], 0, sizeof l->e[l->ne]);
	return (uint32_t)l->ne++;
}

void
ledger_set_verdict(struct ledger *l, long rec, enum ledger_verdict v,
    const char *note, const char *who, int64_t when,
    const struct ledger_figures *fig)
{
	uint32_t ei = entry_new(l);
	struct lent *e = &l->e[ei];
	size_t woff, noff;

	woff = arena_add(l, who != NULL ? who : "", who != NULL ? strlen(who) : 0);
	noff = arena_add(l, note != NULL ? note : "", note != NULL ? strlen(note) : 0);
	e = &l->e[ei];
	e->when = when;
	e->verdict = (uint8_t)v;
	e->who_off = woff;
	e->who_len = who != NULL ? (uint32_t)strlen(who) : 0;
	e->note_off = noff;
	e->note_len = note != NULL ? (uint32_t)strlen(note) : 0;
	if (fig != NULL)
		e->fig = *fig;
	else
		e->fig = l->r[rec].fig;
	e->fresh = 1;
	entry_link(l, &l->r[rec], ei);
	mark(l, &l->r[rec]);
}

void
ledger_record_shown(struct ledger *l, long rec, const struct ledger_figures *fig,
    int64_t when)
{
	struct lrec *r = &l->r[rec];

	r->fig = *fig;
	r->seen = when;
	r->hidden_len = 0;
	mark(l, r);
}

/* ------------------------------------------------------------ status */

static int
grew(const struct ledger_figures *now, const struct ledger_figures *then)
{
	return now->instances > then->instances ||
	    now->machines > then->machines ||
	    (now->latest != TS_NONE && now->latest > then->latest);
}

enum ledger_status
ledger_status_of(const struct ledger *l, long rec, const struct ledger_figures *fig)
{
	const struct lrec *r;
	uint32_t t;

	if (rec < 0)
		return LS_NEW;
	r = &l->r[rec];
	if (r->hidden_len)
		return LS_REAPPEARED;
	t = r->tail;
	if (t != NO_ENTRY && l->e[t].verdict != LV_NONE)
		return grew(fig, &l->e[t].fig) ? LS_CHANGED : LS_SEEN;
	return grew(fig, &r->fig) ? LS_CHANGED : LS_SEEN;
}

/* ------------------------------------------------------------ a hunt */

void
ledger_hunt_key(const struct hunt *h, const struct lh_group *g,
    struct lh_str key[5])
{
	int i;

	for (i = 0; i < 5; i++) {
		key[i].p = strtab_str(h->d->st, g->key[i]);
		key[i].n = strtab_len(h->d->st, g->key[i]);
	}
}

void
ledger_group_figures(const struct lh_group *g, struct ledger_figures *out)
{
	out->instances = g->count;
	out->machines = g->devices;
	out->earliest = g->first;
	out->latest = g->last;
}

void
ledger_run_match(struct ledger_run *r, const struct ledger *l,
    const struct hunt *h)
{
	struct ledger_figures fig;
	struct lh_str key[5];
	uint64_t *hash = xmalloc((h->ng ? h->ng : 1) * sizeof *hash);
	size_t i, slot;
	enum ledger_status s;

	memset(r, 0, sizeof *r);
	r->ng = h->ng;
	r->rec = xmalloc((h->ng ? h->ng : 1) * sizeof *r->rec);
	r->status = xmalloc(h->ng ? h->ng : 1);
	for (i = 0; i < h->ng; i++) {
		ledger_hunt_key(h, &h->g[i], key);
		hash[i] = key_hash(key);
	}
	for (i = 0; i < h->ng; i++) {
		const struct lh_group *g = &h->g[i];

		/* The probes of the next groups go ahead, so that a million
		 * random lookups wait for memory together, not one by one. */
		if (i + 16 < h->ng && l->nslot)
			__builtin_prefetch(&l->slot[hash[i + 16] & (l->nslot - 1)]);
		ledger_hunt_key(h, g, key);
		r->rec[i] = find_hashed(l, key, hash[i], &slot);
		ledger_group_figures(g, &fig);
		s = ledger_status_of(l, r->rec[i], &fig);
		r->status[i] = (uint8_t)s;
		if (g->count == 0)
			continue;
		r->count[s]++;
		if (r->rec[i] < 0 || !ledger_current(l, r->rec[i], NULL))
			r->untriaged++;
	}
	free(hash);
}

void
ledger_run_record(struct ledger_run *r, struct ledger *l, const struct hunt *h,
    int64_t when, ledger_rule_name_fn name, void *ctx)
{
	struct lh_str key[5];
	struct buf rule = { 0 };
	struct ledger_figures fig;
	struct lrec *rec;
	size_t i, nnew = 0;
	long ri;

	/* Room for the new groups at once, not by doubling. */
	for (i = 0; i < h->ng; i++)
		nnew += r->rec[i] < 0;
	if (nnew) {
		table_resize(l, l->nr + nnew);
		l->r = xgrow(l->r, &l->capr, l->nr + nnew, sizeof *l->r);
		l->arena = xgrow(l->arena, &l->acap, l->alen + nnew * 48, 1);
	}
	for (i = 0; i < h->ng; i++) {
		const struct lh_group *g = &h->g[i];

		ri = r->rec[i];
		if (ri < 0) {
			ledger_hunt_key(h, g, key);
			ri = r->rec[i] = ledger_add(l, key, when);
		}
		rec = &l->r[ri];
		/* seen= is when last recorded, shown or hidden, so that a
		 * merge knows which record of the group is newer. */
		rec->seen = when;
		mark(l, rec);
		if (g->count == 0) {
			/* Hidden: remember by what; the figures stay those
			 * last seen, which is what a verdict compares with. */
			buf_reset(&rule);
			if (name != NULL && g->excl_rule >= 0)
				name(ctx, g->excl_rule, &rule);
			if (rule.len == 0)
				buf_add(&rule, "excluded", 8);
			rec->hidden_off = arena_add(l, rule.p, rule.len);
			l->r[ri].hidden_len = (uint32_t)rule.len;
			continue;
		}
		ledger_group_figures(g, &fig);
		ledger_record_shown(l, ri, &fig, when);
	}
	buf_free(&rule);
}

void
ledger_run_free(struct ledger_run *r)
{
	free(r->rec);
	free(r->status);
	memset(r, 0, sizeof *r);
}

/* ------------------------------------------------------------ merge */

static int
entry_same(const struct ledger *a, const struct lent *x, const struct ledger *b,
    const struct lent *y)
{
	return x->when == y->when && x->verdict == y->verdict &&
	    x->who_len == y->who_len && x->note_len == y->note_len &&
	    memcmp(&x->fig, &y->fig, sizeof x->fig) == 0 &&
	    memcmp(a->arena + x->who_off, b->arena + y->who_off, x->who_len) == 0 &&
	    memcmp(a->arena + x->note_off, b->arena + y->note_off, x->note_len) == 0;
}

/* Merges src into dst; what src brings is to be written (marked) unless
 * it comes from the file itself. */
static void
merge(struct ledger *dst, const struct ledger *src, int from_file)
{
	struct lh_str key[5];
	struct lrec *d;
	const struct lrec *s;
	const struct lent *se;
	uint32_t e, de, ei;
	size_t i, woff, noff;
	long ri;
	int dup;

	for (i = 0; i < src->nr; i++) {
		s = &src->r[i];
		ledger_key(src, (long)i, key);
		ri = ledger_find(dst, key);
		if (ri < 0) {
			ri = ledger_add(dst, key, s->first);
			d = &dst->r[ri];
			d->seen = INT64_MIN;
			if (from_file) {
				d->dirty = 0;
				dst->ndirty--;
			}
		}
		d = &dst->r[ri];
		if (s->first < d->first) {
			d->first = s->first;
			if (!from_file)
				mark(dst, d);
		}
		if (s->seen > d->seen) {
			d->seen = s->seen;
			d->fig = s->fig;
			d->hidden_len = s->hidden_len;
			if (s->hidden_len)
				d->hidden_off = arena_add(dst,
				    src->arena + s->hidden_off, s->hidden_len);
			d = &dst->r[ri];
			if (!from_file)
				mark(dst, d);
		}
		for (e = s->head; e != NO_ENTRY; e = se->next) {
			se = &src->e[e];
			dup = 0;
			for (de = dst->r[ri].head; de != NO_ENTRY && !dup;
			    de = dst->e[de].next)
				dup = entry_same(dst, &dst->e[de], src, se);
			if (dup)
				continue;
			woff = arena_add(dst, src->arena + se->who_off, se->who_len);
			noff = arena_add(dst, src->arena + se->note_off, se->note_len);
			ei = entry_new(dst);
			dst->e[ei] = *se;
			dst->e[ei].who_off = woff;
			dst->e[ei].note_off = noff;
			dst->e[ei].fresh = !from_file;
			entry_link(dst, &dst->r[ri], ei);
			if (!from_file)
				mark(dst, &dst->r[ri]);
		}
	}
}

void
ledger_merge(struct ledger *dst, const struct ledger *src)
{
	merge(dst, src, 0);
}

void
ledger_merge_read(struct ledger *l, const struct ledger *disk)
{
	merge(l, disk, 1);
}

size_t
ledger_text_lines(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t n = 0;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/* ------------------------------------------------------------ writing */

static const char hexd[] = "0123456789abcdef";

/* The writer reserves room for a whole record, then writes through a
 * pointer: a million records make tens of millions of small pieces. */
static char *
reserve(struct buf *b, size_t n)
{
	b->p = xgrow(b->p, &b->cap, b->len + n + 1, 1);
	return b->p + b->len;
}

static char *
put_str(char *o, const char *s, size_t n)
{
	memcpy(o, s, n);
	return o + n;
}

/* A field as the file holds it: backslash, controls, DEL and bytes that
 * are not UTF-8 as escapes, so a field is one line without tabs and a
 * person's terminal shows it as it is. Writes at most 4 * n bytes. */
static char *
put_escaped(char *o, const char *s, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			*o++ = (char)c;
			i++;
			continue;
		}
		if (c >= 0x80 && (k = utf8_seq((const unsigned char *)s + i,
		    n - i, &cp)) != 0 && !(cp >= 0x80 && cp < 0xa0)) {
			o = put_str(o, s + i, k);
			i += k;
			continue;
		}
		*o++ = '\\';
		switch (c) {
		case '\\': *o++ = '\\'; break;
		case '\t': *o++ = 't'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		default:
			*o++ = 'x';
			*o++ = hexd[c >> 4];
			*o++ = hexd[c & 15];
		}
		i++;
	}
	return o;
}

/* Writes ticks as ts_format does (28 bytes at most), without printf and
 * with the date of the previous call kept: a million records have four
 * timestamps each, and most share a few dates. */
static char *
put_ts(char *o, int64_t t)
{
	static __thread int64_t last_days = -1;
	static __thread char last_date[10];
	int64_t secs, days, sod, z, era, doe, yoe, y, doy, mp, d, m, f;
	int i;

	if (t == TS_NONE || t < 0)
		return o;
	secs = t / TS_TICKS_PER_SEC;
	f = t % TS_TICKS_PER_SEC;
	days = secs / 86400;
	sod = secs % 86400;
	if (days != last_days) {
		/* Days since 0001-01-01 to a civil date (H. Hinnant's
		 * algorithm, shifted from 1970 to year 1). */
		z = days - 719162 + 719468;
		era = (z >= 0 ? z : z - 146096) / 146097;
		doe = z - era * 146097;
		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		y = yoe + era * 400;
		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		mp = (5 * doy + 2) / 153;
		d = doy - (153 * mp + 2) / 5 + 1;
		m = mp < 10 ? mp + 3 : mp - 9;
		y += m <= 2;
		if (y < 1 || y > 9999) {
			char tmp[TS_BUFSZ];

			return put_str(o, tmp, ts_format(t, tmp));
		}
		last_date[0] = (char)('0' + y / 1000);
		last_date[1] = (char)('0' + y / 100 % 10);
		last_date[2] = (char)('0' + y / 10 % 10);
		last_date[3] = (char)('0' + y % 10);
		last_date[4] = '-';
		last_date[5] = (char)('0' + m / 10);
		last_date[6] = (char)('0' + m % 10);
		last_date[7] = '-';
		last_date[8] = (char)('0' + d / 10);
		last_date[9] = (char)('0' + d % 10);
		last_days = days;
	}
	memcpy(o, last_date, 10);
	o[10] = 'T';
	o[11] = (char)('0' + sod / 36000);
	o[12] = (char)('0' + sod / 3600 % 10);
	o[13] = ':';
	o[14] = (char)('0' + sod / 60 % 60 / 10);
	o[15] = (char)('0' + sod / 60 % 10);
	o[16] = ':';
	o[17] = (char)('0' + sod % 60 / 10);
	o[18] = (char)('0' + sod % 10);
	o[19] = '.';
	for (i = 26; i >= 20; i--) {
		o[i] = (char)('0' + f % 10);
		f /= 10;
	}
	o[27] = 'Z';
	return o + 28;
}

static char *
put_u64(char *o, uint64_t v)
{
	char t[24];
	int i = 24;

	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return put_str(o, t + i, (size_t)(24 - i));
}

#define put_label(o, label) put_str(o, label, sizeof label - 1)

/* At most 4 * 28 + 2 * 20 + 40 bytes. */
static char *
put_figures(char *o, const struct ledger_figures *f)
{
	o = put_label(o, "\tinstances=");
	o = put_u64(o, f->instances);
	o = put_label(o, "\tmachines=");
	o = put_u64(o, f->machines);
	o = put_label(o, "\tearliest=");
	o = put_ts(o, f->earliest);
	o = put_label(o, "\tlatest=");
	return put_ts(o, f->latest);
}

/* Room for a line's fixed parts: labels, numbers and timestamps. */
#define LINE_FIXED 320

/* A group line and its verdicts (only the fresh ones if fresh_only). */
static void
put_record(struct buf *b, const struct ledger *l, const struct lrec *r,
    int fresh_only)
{
	const struct lent *e;
	const char *k, *vn;
	size_t klen = 0;
	uint32_t ei;
	char *o;
	int j;

	for (j = 0; j < 5; j++)
		klen += r->klen[j];
	o = reserve(b, LINE_FIXED + 4 * ((size_t)klen + r->hidden_len));
	o = put_label(o, "group");
	k = l->arena + r->koff;
	for (j = 0; j < 5; j++) {
		*o++ = '\t';
		o = put_escaped(o, k, r->klen[j]);
		k += r->klen[j];
	}
	o = put_label(o, "\tfirst=");
	o = put_ts(o, r->first);
	o = put_label(o, "\tseen=");
	o = put_ts(o, r->seen);
	o = put_figures(o, &r->fig);
	if (r->hidden_len) {
		o = put_label(o, "\thidden=");
		o = put_escaped(o, l->arena + r->hidden_off, r->hidden_len);
	}
	*o++ = '\n';
	b->len = (size_t)(o - b->p);
	for (ei = r->head; ei != NO_ENTRY; ei = e->next) {
		e = &l->e[ei];
		if (fresh_only && !e->fresh)
			continue;
		o = reserve(b, LINE_FIXED + 4 * ((size_t)e->who_len + e->note_len));
		o = put_label(o, "verdict\t");
		o = put_ts(o, e->when);
		*o++ = '\t';
		vn = e->verdict == LV_NONE ? "cleared" : verdict_names[e->verdict];
		o = put_str(o, vn, strlen(vn));
		o = put_label(o, "\tby=");
		o = put_escaped(o, l->arena + e->who_off, e->who_len);
		o = put_figures(o, &e->fig);
		o = put_label(o, "\tnote=");
		o = put_escaped(o, l->arena + e->note_off, e->note_len);
		*o++ = '\n';
		b->len = (size_t)(o - b->p);
	}
}

/* The line that closes a save: the size of the file once the line is
 * written, b->p[0] being byte `at` of it, so that the next save can tell
 * the file is still the one it wrote. */
static void
put_end(struct buf *b, off_t at)
{
	char *o = reserve(b, 80), *start = o;
	uint64_t size;
	size_t len = 0, fixed;

	o = put_label(o, "end\tsize=");
	fixed = (size_t)(o - start) + 1;	/* and the newline */
	/* The number counts its own digits. */
	do {
		size = (uint64_t)at + b->len + fixed + len;
		len = 1;
		for (uint64_t v = size; v >= 10; v /= 10)
			len++;
	} while ((uint64_t)at + b->len + fixed + len != size);
	o = put_u64(o, size);
	*o++ = '\n';
	b->len = (size_t)(o - b->p);
	b->p[b->len] = '\0';
}

void
ledger_serialize(const struct ledger *l, struct buf *b)
{
	static const char head[] = LEDGER_MAGIC "\n"
	    "# logonhunt's triage ledger (logonhunt-ledger(5)): one \"group\" "
	    "line per\n# group of the hunt, each followed by its verdicts, "
	    "oldest first; an\n# \"end\" line closes each save.\n";
	size_t i, start = b->len;

	buf_add(b, head, sizeof head - 1);
	for (i = 0; i < l->nr; i++)
		put_record(b, l, &l->r[i], 0);
	put_end(b, -(off_t)start);
}

size_t
ledger_serialize_changes(const struct ledger *l, off_t at, struct buf *b)
{
	size_t i, n = 0, start = b->len;

	for (i = 0; i < l->nr; i++)
		if (l->r[i].dirty) {
			put_record(b, l, &l->r[i], 1);
			n++;
		}
	put_end(b, at - (off_t)start);
	return n;
}

void
ledger_clean(struct ledger *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		l->r[i].dirty = 0;
	for (i = 0; i < l->ne; i++)
		l->e[i].fresh = 0;
	l->ndirty = 0;
}

/* ------------------------------------------------------------ reading */

/* The file is a first save followed by the saves appended to it, each
 * closed by an "end" line. The first is read into the records as they
 * come, and indexed at its end; a later save is merged into them line by
 * line as a save merges. What follows the last "end" line (found before
 * reading, see last_end) is an interrupted save: it is read into a
 * ledger of its own only to check its lines, and left out. */
struct pstate {
	const char *name;
	size_t line;
	char **cause;
	int header;		/* the format line was read */
	size_t *lines;		/* per record, the line of its last group line */
	size_t caplines;
	int esc;		/* the line being parsed has a backslash */
	struct ledger *base;	/* the ledger being read */
	int in_first;		/* no "end" line read yet */
	uint64_t pos;		/* bytes read, at the start of the next line */
	uint64_t last_end;	/* after the file's last "end" line; 0: none */
	uint64_t committed;	/* after the last "end" line read */
	size_t committed_lines;
	size_t save_line;	/* the line after the last "end" line read */
	long cur;		/* the record of the save's last group line */
	size_t groups;		/* group lines before last_end */
	struct ledger *tail;	/* the interrupted save's lines, or NULL */
	size_t tail_line;
	int torn;		/* the rest of the file is an interrupted save */
};

static void
pstate_init(struct pstate *ps, struct ledger *l, char **cause)
{
	memset(ps, 0, sizeof *ps);
	ps->name = l->path;
	ps->cause = cause;
	ps->base = l;
	ps->in_first = 1;
	ps->cur = -1;
}

/* Whether the current line is after the last "end" line. */
static int
in_tail(const struct pstate *ps)
{
	return ps->last_end != 0 && ps->pos >= ps->last_end;
}

/* The ledger the interrupted save's lines go to. */
static struct ledger *
tail_ledger(struct pstate *ps)
{
	if (ps->tail == NULL) {
		ps->tail = ledger_new(ps->name);
		ps->tail_line = ps->line;
	}
	return ps->tail;
}

/* The offset after the last whole line of [text, text+len) that is an
 * "end" line, 0 if none. When cut, the text's first line may be the end
 * of a longer one, so it does not count. */
static uint64_t
last_end_in(const char *text, size_t len, int cut)
{
	const char *e = text + len, *nl, *start;

	while ((nl = memrchr(text, '\n', (size_t)(e - text))) != NULL) {
		start = memrchr(text, '\n', (size_t)(nl - text));
		if (start == NULL && cut)
			return 0;
		start = start != NULL ? start + 1 : text;
		if (nl - start >= 4 && memcmp(start, "end\t", 4) == 0)
			return (uint64_t)(nl + 1 - text);
		e = nl;
	}
	return 0;
}

/* The same for the file behind fd (size bytes), from the end backward in
 * growing windows: an interrupted save is rarely long. */
static uint64_t
last_end_fd(int fd, uint64_t size)
{
	size_t win = 65536, cap = 0, n;
	char *buf = NULL;
	uint64_t at, r = 0;
	ssize_t got;

	for (;;) {
		if (win > size)
			win = (size_t)size;
		at = size - win;
		buf = xgrow(buf, &cap, win + 1, 1);
		for (n = 0; n < win; n += (size_t)got)
			if ((got = pread(fd, buf + n, win - n, (off_t)(at + n))) <= 0)
				break;
		if (n == win && (r = last_end_in(buf, win, at > 0)) != 0)
			r += at;
		if (r != 0 || n < win || at == 0)
			break;
		win *= 2;
	}
	free(buf);
	return r;
}

static int
perr(struct pstate *ps, const char *what)
{
	*ps->cause = xasprintf("%s:%zu: %s; the ledger was not changed (fix "
	    "or remove that line, or restore %s~)", ps->name, ps->line, what,
	    ps->name);
	return -1;
}

/* Undoes put_escaped from [p, end) to w (w <= p); returns the length. */
static long
unescape(char *w, const char *p, const char *end)
{
	char *w0 = w;
	int hi, lo;

	while (p < end) {
		if (*p != '\\') {
			*w++ = *p++;
			continue;
		}
		if (p + 1 >= end)
			return -1;
		switch (p[1]) {
		case '\\': *w++ = '\\'; p += 2; break;
		case 't': *w++ = '\t'; p += 2; break;
		case 'n': *w++ = '\n'; p += 2; break;
		case 'r': *w++ = '\r'; p += 2; break;
		case 'x':
			if (p + 3 >= end || (hi = util_hexval(p[2])) < 0 ||
			    (lo = util_hexval(p[3])) < 0)
				return -1;
			*w++ = (char)(hi << 4 | lo);
			p += 4;
			break;
		default:
			return -1;
		}
	}
	return w - w0;
}

/* Two digits at p, or -1. */
static int
dig2(const char *p)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* A timestamp as put_ts writes it, fast; other ISO 8601 forms through
 * ts_parse. Empty is TS_NONE. */
static int
get_ts(const char *p, size_t n, int64_t *out)
{
	/* Most timestamps of a ledger share a few dates, and the first= and
	 * seen= of the groups one run recorded share the second too. */
	static __thread char last_date[10], last_sec[19];
	static __thread int64_t last_days = -1, last_secs = -1;
	int y1, y2, mo, d, hh, mi, ss, i;
	int64_t f = 0, days, secs;

	if (n == 0) {
		*out = TS_NONE;
		return 0;
	}
	if (n != 28 || p[10] != 'T' || p[13] != ':' || p[16] != ':' ||
	    p[19] != '.' || p[27] != 'Z')
		return ts_parse(p, n, out);
	if (last_secs >= 0 && memcmp(p, last_sec, 19) == 0)
		secs = last_secs;
	else {
		if (last_days >= 0 && memcmp(p, last_date, 10) == 0)
			days = last_days;
		else {
			if (p[4] != '-' || p[7] != '-' || (y1 = dig2(p)) < 0 ||
			    (y2 = dig2(p + 2)) < 0 || y1 * 100 + y2 == 0 ||
			    (mo = dig2(p + 5)) < 1 || mo > 12 ||
			    (d = dig2(p + 8)) < 1 ||
			    d > ts_days_in_month(y1 * 100 + y2, mo))
				return ts_parse(p, n, out);
			days = ts_days_from_civil(y1 * 100 + y2, (unsigned)mo,
			    (unsigned)d);
			memcpy(last_date, p, 10);
			last_days = days;
		}
		if ((hh = dig2(p + 11)) < 0 || hh > 23 || (mi = dig2(p + 14)) < 0 ||
		    mi > 59 || (ss = dig2(p + 17)) < 0 || ss > 59)
			return ts_parse(p, n, out);
		secs = days * 86400 + hh * 3600 + mi * 60 + ss;
		memcpy(last_sec, p, 19);
		last_secs = secs;
	}
	for (i = 20; i < 27; i++) {
		if (p[i] < '0' || p[i] > '9')
			return ts_parse(p, n, out);
		f = f * 10 + (p[i] - '0');
	}
	*out = secs * TS_TICKS_PER_SEC + f;
	return 0;
}

static int
get_u64(const char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 19)
		return -1;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*out = v;
	return 0;
}

#define MAX_FIELDS 14

/* Splits [p, end) at tabs; returns the count, or -1 if more than max.
 * *esc tells whether the line holds a backslash anywhere, so that fields
 * of the (usual) lines without one are copied without looking at them
 * again. Sixteen bytes at a time where SSE2 is there: a ledger line is
 * a few hundred bytes of short fields. */
static int
split(const char *p, const char *end, const char **f, size_t *fl, int max,
    int *esc)
{
	const char *q = p;
	int n = 0;

	*esc = 0;
	f[0] = p;
#ifdef __SSE2__
	{
		const __m128i tab = _mm_set1_epi8('\t'), bs = _mm_set1_epi8('\\');
		unsigned m;

		for (; end - q >= 16; q += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);

			*esc |= _mm_movemask_epi8(_mm_cmpeq_epi8(v, bs)) != 0;
			for (m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, tab));
			    m != 0; m &= m - 1) {
				const char *t = q + __builtin_ctz(m);

				if (n + 1 == max)
					return -1;
				fl[n] = (size_t)(t - f[n]);
				f[++n] = t + 1;
			}
		}
	}
#endif
	for (; q < end; q++) {
		if (*q == '\\')
			*esc = 1;
		else if (*q == '\t') {
			if (n + 1 == max)
				return -1;
			fl[n] = (size_t)(q - f[n]);
			f[++n] = q + 1;
		}
	}
	fl[n] = (size_t)(end - f[n]);
	return n + 1;
}

/* The value of field f if it starts with label, else NULL. */
static const char *
labelled(const char *f, size_t *fl, const char *label)
{
	size_t n = strlen(label);

	if (*fl < n || memcmp(f, label, n) != 0)
		return NULL;
	*fl -= n;
	return f + n;
}

/* Unescapes [p, p+n) onto the end of the arena, NUL-terminated if nul;
 * returns the length, or -1. *off receives where it starts. */
static long
arena_unescape(struct ledger *l, const char *p, size_t n, int nul, size_t *off,
    int esc)
{
	char *w;
	size_t i = n;
	long len;

	if (l->alen + n + 1 > l->acap)
		l->arena = xgrow(l->arena, &l->acap, l->alen + n + 1, 1);
	w = l->arena + l->alen;
	/* Most lines have no escape at all; in the others copy until one
	 * shows up. */
	if (!esc)
		memcpy(w, p, n);
	else
		for (i = 0; i < n && p[i] != '\\'; i++)
			w[i] = p[i];
	if (i == n)
		len = (long)n;
	else if ((len = unescape(w + i, p + i, p + n)) < 0)
		return -1;
	else
		len += (long)i;
	*off = l->alen;
	l->alen += (size_t)len;
	if (nul)
		l->arena[l->alen++] = '\0';
	return len;
}

static int
get_figures(struct pstate *ps, const char **f, size_t *fl,
    struct ledger_figures *fig)
{
	static const char *const labels[4] = {
		"instances=", "machines=", "earliest=", "latest="
	};
	const char *v[4];
	size_t n[4];
	int i;

	for (i = 0; i < 4; i++) {
		n[i] = fl[i];
		if ((v[i] = labelled(f[i], &n[i], labels[i])) == NULL) {
			char *m = xasprintf("expected %s... in field %d", labels[i], i + 1);
			perr(ps, m);
			free(m);
			return -1;
		}
	}
	if (get_u64(v[0], n[0], &fig->instances) != 0 ||
	    get_u64(v[1], n[1], &fig->machines) != 0)
		return perr(ps, "instances= and machines= take a whole number");
	if (get_ts(v[2], n[2], &fig->earliest) != 0 ||
	    get_ts(v[3], n[3], &fig->latest) != 0)
		return perr(ps, "earliest= and latest= take a timestamp such as "
		    "2025-03-09T21:05:26.0000000Z, or nothing");
	return 0;
}

/* The fields of a group line after its keys, into r; hidden= onto the
 * arena only if keep_hidden (else *has_hidden tells it was there). */
static int
group_fields(struct ledger *l, struct pstate *ps, const char **f, size_t *fl,
    int nf, struct lrec *r)
{
	const char *v;
	size_t n, off;
	long len;

	n = fl[6];
	if ((v = labelled(f[6], &n, "first=")) == NULL || get_ts(v, n, &r->first) != 0)
		return perr(ps, "expected first=TIMESTAMP in field 7");
	n = fl[7];
	if ((v = labelled(f[7], &n, "seen=")) == NULL || get_ts(v, n, &r->seen) != 0)
		return perr(ps, "expected seen=TIMESTAMP in field 8");
	if (get_figures(ps, f + 8, fl + 8, &r->fig) != 0)
		return -1;
	r->hidden_len = 0;
	if (nf == 13) {
		n = fl[12];
		if ((v = labelled(f[12], &n, "hidden=")) == NULL || n == 0)
			return perr(ps, "expected hidden=RULE in field 13");
		if ((len = arena_unescape(l, v, n, 1, &off, ps->esc)) < 0)
			return perr(ps, "a bad escape in hidden=");
		r->hidden_off = off;
		r->hidden_len = (uint32_t)len;
	}
	return 0;
}

/* A group line. In the first save the record is added as it comes (the
 * table is built at its end); in a later one it is merged into the
 * record of its key as a save merges, or added. */
static int
parse_group(struct ledger *l, struct pstate *ps, const char **f, size_t *fl,
    int nf, int merging)
{
	uint32_t klen[5];
	size_t koff, off, i, slot, mark;
	struct lh_str key[5];
	struct lrec got = { 0 }, *r;
	uint64_t h;
	long len, rec;

	if (nf != 12 && nf != 13)
		return perr(ps, "a group line has the five key fields, first=, "
		    "seen=, instances=, machines=, earliest=, latest= and "
		    "optionally hidden=, separated by tabs");
	/* The keys, unescaped one after another onto the arena. */
	koff = l->alen;
	for (i = 0; i < 5; i++) {
		if ((len = arena_unescape(l, f[1 + i], fl[1 + i], 0, &off, ps->esc)) < 0)
			return perr(ps, "a bad escape in a key field (\\\\, \\t, "
			    "\\n, \\r or \\xHH)");
		klen[i] = (uint32_t)len;
	}
	h = key_hash_flat(l->arena + koff, klen);
	if (!merging)
		rec = rec_append(l, koff, klen, h);
	else {
		for (i = 0, off = koff; i < 5; off += klen[i++]) {
			key[i].p = l->arena + off;
			key[i].n = klen[i];
		}
		rec = find_hashed(l, key, h, &slot);
		if (rec >= 0 && ps->lines[rec] >= ps->save_line) {
			char *m = xasprintf("the group is already recorded on "
			    "line %zu of the same save", ps->lines[rec]);

			perr(ps, m);
			free(m);
			return -1;
		}
		if (rec < 0)
			rec = rec_insert(l, koff, klen, h, slot);
		else {
			/* Known: its keys need not be kept twice. */
			l->alen = koff;
			mark = l->alen;
			if (group_fields(l, ps, f, fl, nf, &got) != 0)
				return -1;
			r = &l->r[rec];
			if (got.first < r->first)
				r->first = got.first;
			if (got.seen > r->seen) {
				r->seen = got.seen;
				r->fig = got.fig;
				r->hidden_len = got.hidden_len;
				r->hidden_off = got.hidden_off;
			} else
				l->alen = mark;
			goto found;
		}
	}
	if (group_fields(l, ps, f, fl, nf, &l->r[rec]) != 0)
		return -1;
found:
	/* Where it was, should another record have the same key. */
	ps->lines = xgrow(ps->lines, &ps->caplines, l->nr, sizeof *ps->lines);
	ps->lines[rec] = ps->line;
	ps->cur = rec;
	return 0;
}

/* A verdict line, for the group line above it. In a later save a verdict
 * the group already has is not added again. */
static int
parse_verdict(struct ledger *l, struct pstate *ps, const char **f, size_t *fl,
    int nf, int merging)
{
	char name[24];
	const char *v;
	size_t n, off, mark = l->alen;
	uint32_t ei, d;
	struct lent *e;
	enum ledger_verdict vd;
	long len;

	if (ps->cur < 0)
		return perr(ps, ps->in_first ? "a verdict line comes before any "
		    "group line" : "a verdict line comes before any group line "
		    "of its save (the lines after an \"end\" line are another "
		    "save, whose verdicts follow their own group lines)");
	if (nf != 9)
		return perr(ps, "a verdict line has the time, the verdict, by=, "
		    "instances=, machines=, earliest=, latest= and note=, "
		    "separated by tabs");
	ei = entry_new(l);
	e = &l->e[ei];
	if (get_ts(f[1], fl[1], &e->when) != 0 || e->when == TS_NONE)
		return perr(ps, "expected the time of the verdict in field 2");
	n = fl[2] < sizeof name ? fl[2] : sizeof name - 1;
	memcpy(name, f[2], n);
	name[n] = '\0';
	if (fl[2] >= sizeof name || ledger_verdict_parse(name, &vd) != 0) {
		char *m = xasprintf("not a verdict (valid: %s, cleared)",
		    ledger_verdict_list());
		perr(ps, m);
		free(m);
		return -1;
	}
	e->verdict = (uint8_t)vd;
	if (get_figures(ps, f + 4, fl + 4, &e->fig) != 0)
		return -1;
	n = fl[3];
	if ((v = labelled(f[3], &n, "by=")) == NULL ||
	    (len = arena_unescape(l, v, n, 1, &off, ps->esc)) < 0)
		return perr(ps, "expected by=NAME in field 4");
	e = &l->e[ei];
	e->who_off = off;
	e->who_len = (uint32_t)len;
	n = fl[8];
	if ((v = labelled(f[8], &n, "note=")) == NULL ||
	    (len = arena_unescape(l, v, n, 1, &off, ps->esc)) < 0)
		return perr(ps, "expected note=TEXT in field 9");
	e->note_off = off;
	e->note_len = (uint32_t)len;
	if (merging)
		for (d = l->r[ps->cur].head; d != NO_ENTRY; d = l->e[d].next)
			if (entry_same(l, &l->e[d], l, e)) {
				l->ne--;
				l->alen = mark;
				return 0;
			}
	entry_link(l, &l->r[ps->cur], ei);
	return 0;
}

/* Builds l's table; two records with one key are an error. */
static int
index_save(struct ledger *l, struct pstate *ps)
{
	size_t dup, first;
	char *m;

	if (table_build(l, &dup, &first) != 0) {
		ps->line = ps->lines[dup];
		m = xasprintf("the group is already recorded on line %zu",
		    ps->lines[first]);
		perr(ps, m);
		free(m);
		return -1;
	}
	return 0;
}

/* An "end" line: the save read since the last one is whole. */
static int
parse_end(struct pstate *ps, const char **f, size_t *fl, int nf, size_t len)
{
	const char *v;
	uint64_t size;
	size_t n = fl[1];

	if (nf != 2 || (v = labelled(f[1], &n, "size=")) == NULL ||
	    get_u64(v, n, &size) != 0)
		return perr(ps, "an end line is \"end\", a tab and size=BYTES");
	if (ps->in_first) {
		if (index_save(ps->base, ps) != 0)
			return -1;
		ps->in_first = 0;
	}
	ps->committed = ps->pos + len + 1;
	ps->committed_lines = ps->line;
	ps->save_line = ps->line + 1;
	ps->cur = -1;
	return 0;
}

/* One line, without its newline. */
static int
parse_line(struct pstate *ps, const char *p, const char *eol)
{
	const char *f[MAX_FIELDS];
	size_t fl[MAX_FIELDS];
	struct ledger *l = ps->base;
	int nf, tail = in_tail(ps);

	if (eol > p && eol[-1] == '\r')
		return perr(ps, "a carriage return ends the line (the file was "
		    "converted to CRLF)");
	if (p == eol || *p == '#')
		return 0;
	if (!ps->header) {
		if ((size_t)(eol - p) != sizeof LEDGER_MAGIC - 1 ||
		    (memcmp(p, LEDGER_MAGIC, sizeof LEDGER_MAGIC - 1) != 0 &&
		    memcmp(p, LEDGER_MAGIC_V1, sizeof LEDGER_MAGIC - 1) != 0))
			return perr(ps, "expected \"" LEDGER_MAGIC "\" (not a "
			    "logonhunt ledger, or a newer version)");
		ps->header = 1;
		return 0;
	}
	nf = split(p, eol, f, fl, MAX_FIELDS, &ps->esc);
	if (tail) {
		/* Read to check it, into a ledger of its own. */
		l = tail_ledger(ps);
		if (l->nr == 0)
			ps->cur = -1;
	}
	if (fl[0] == 5 && memcmp(f[0], "group", 5) == 0) {
		ps->groups += !tail;
		return parse_group(l, ps, f, fl, nf, !ps->in_first && !tail);
	}
	if (fl[0] == 7 && memcmp(f[0], "verdict", 7) == 0)
		return parse_verdict(l, ps, f, fl, nf, !ps->in_first && !tail);
	if (fl[0] == 3 && memcmp(f[0], "end", 3) == 0)
		return parse_end(ps, f, fl, nf, (size_t)(eol - p));
	return perr(ps, "expected a \"group\", \"verdict\" or \"end\" line, "
	    "or too many fields");
}

/* Parses the lines in [p, end); a last line without a newline is left
 * (*rest points to it) for the next piece, or, when final, is an error,
 * unless it follows the last "end" line: then it is what an interrupted
 * save left, as is everything after a NUL byte there. */
static int
parse_piece(struct pstate *ps, const char *p, size_t n, int final, size_t *rest)
{
	const char *end = p + n, *eol, *z = memchr(p, '\0', n), *start = p;

	while (p < end && !ps->torn) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			break;
		ps->line++;
		if (z != NULL && z < eol) {
			if (!in_tail(ps))
				return perr(ps, "a NUL byte (this is not a text file)");
			ps->torn = 1;
			break;
		}
		if (parse_line(ps, p, eol) != 0)
			return -1;
		ps->pos += (uint64_t)(eol - p) + 1;
		p = eol + 1;
	}
	*rest = ps->torn ? n : (size_t)(p - start);
	if (final && p < end && !ps->torn) {
		ps->line++;
		if (in_tail(ps))
			ps->torn = 1;
		else if (z != NULL)
			return perr(ps, "a NUL byte (this is not a text file)");
		else
			return perr(ps, "the last line is cut short (no newline at its "
			    "end: a write was interrupted?)");
	}
	return 0;
}

/* The end of the file: a ledger without "end" lines (version 1) is whole;
 * after the last one, lines are an interrupted save, left out. */
static int
parse_done(struct pstate *ps)
{
	struct ledger *l = ps->base;

	if (!ps->header && ps->line > 0) {
		ps->line = 1;
		return perr(ps, "expected \"" LEDGER_MAGIC "\" (the file has "
		    "only comments)");
	}
	if (ps->in_first) {
		if (index_save(l, ps) != 0)
			return -1;
	} else {
		if (ps->tail != NULL || ps->torn)
			l->torn_line = ps->tail != NULL ? ps->tail_line :
			    ps->committed_lines + 1;
		l->committed = (off_t)ps->committed;
		l->committed_lines = ps->committed_lines;
	}
	l->file_groups += ps->groups;
	return 0;
}

static void
pstate_free(struct pstate *ps)
{
	ledger_free(ps->tail);
	free(ps->lines);
}

int
ledger_parse(const char *name, const char *text, size_t len,
    struct ledger **out, char **cause)
{
	struct ledger *l = ledger_new(name);
	struct pstate ps;
	size_t used;
	int rc;

	pstate_init(&ps, l, cause);
	ps.last_end = last_end_in(text, len, 0);
	rc = parse_piece(&ps, text, len, 1, &used) != 0 || parse_done(&ps) != 0;
	pstate_free(&ps);
	if (rc) {
		ledger_free(l);
		l = NULL;
	}
	*out = l;
	return rc ? -1 : 0;
}

/* Reads fd (size bytes when its caller looked) from where ps stands in
 * pieces through a buffer that stays in the cache: only the fields a
 * record keeps are copied, into the arena. It reads no further than
 * size: the last "end" line was looked for up to there, and a save
 * another program appends meanwhile (a reader holds no lock) is read by
 * the next save, not taken for the rest of an interrupted one. */
static int
parse_stream(struct pstate *ps, int fd, off_t from, uint64_t size)
{
	uint64_t left = size > (uint64_t)from ? size - (uint64_t)from : 0;
	size_t cap = left < ((uint64_t)1 << 20) ? (size_t)left + 4096 : (size_t)1 << 20;
	size_t have = 0, used;
	char *buf = xmalloc(cap);
	ssize_t n;
	int eof = 0, rc = -1;

	if (left > 0)
		ps->last_end = last_end_fd(fd, size);
	while (!eof) {
		if (have == cap)	/* a line longer than the buffer */
			buf = xgrow(buf, &cap, cap + 1, 1);
		n = (uint64_t)from >= size ? 0 : pread(fd, buf + have,
		    (uint64_t)(cap - have) < size - (uint64_t)from ? cap - have :
		    (size_t)(size - (uint64_t)from), from);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*ps->cause = xasprintf("%s: read failed: %s", ps->name,
			    strerror(errno));
			goto out;
		}
		from += n;
		eof = n == 0;
		have += (size_t)n;
		if (parse_piece(ps, buf, have, eof, &used) != 0)
			goto out;
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	rc = parse_done(ps);
out:
	free(buf);
	return rc;
}

int
ledger_parse_fd(const char *name, int fd, size_t size_hint,
    struct ledger **out, char **cause)
{
	struct ledger *l = ledger_new(name);
	struct pstate ps;
	int rc;

	/* The keys, names and notes are about a third of the file. */
	l->acap = size_hint / 3 + 64;
	l->arena = xmalloc(l->acap);
	l->capr = size_hint / 200 + 16;
	l->r = xmalloc(l->capr * sizeof *l->r);
	pstate_init(&ps, l, cause);
	ps.caplines = l->capr;
	ps.lines = xmalloc(ps.caplines * sizeof *ps.lines);
	rc = parse_stream(&ps, fd, 0, size_hint);
	pstate_free(&ps);
	if (rc != 0) {
		ledger_free(l);
		l = NULL;
	}
	*out = l;
	return rc;
}

int
ledger_parse_more(struct ledger *l, int fd, off_t from, off_t size,
    size_t lines, char **cause)
{
	struct pstate ps;
	int rc;

	pstate_init(&ps, l, cause);
	ps.header = 1;
	ps.in_first = 0;
	ps.line = ps.committed_lines = lines;
	ps.save_line = lines + 1;
	ps.pos = ps.committed = (uint64_t)from;
	/* Every record known so far is from before this save. */
	ps.caplines = l->nr + 16;
	ps.lines = xcalloc(ps.caplines, sizeof *ps.lines);
	rc = parse_stream(&ps, fd, from, (uint64_t)size);
	pstate_free(&ps);
	return rc;
}
