#include "config.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "hunt.h"
#include "natsort.h"
#include "par.h"
#include "ts.h"

static const char *const col_names[HC_N] = {
	"AccountDomain", "AccountName", "LogonType", "RemoteIP", "ActionType",
	"EarliestEvent", "LatestEvent", "Instances", "DistinctMachines",
};

const char *
hunt_col_name(enum hunt_col c)
{
	return col_names[c];
}

/* Instances come from exported results too, where a count may be anything
 * up to 2^64 - 1: totals stop at the maximum rather than wrap. */
static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static void sort_prepare(struct hunt *h);

static uint64_t
key_hash(const uint32_t *k)
{
	return util_hash_ids(k, K_N);
}

/* How many events ahead of the one grouped its slot is asked for; its
 * group, when the slot's hash tag matches, half as far ahead. */
#define GROUP_AHEAD 16

/* Groups the kept events: gid[e] is the group of event e, or UINT32_MAX.
 * Each slot holds a group's key hash in its high half and id + 1 in its
 * low half (0 = empty): a probe compares keys only on a matching hash.
 * A million groups miss the cache at every slot: the slots, and the
 * groups of matching slots, are fetched several events ahead (their
 * hashes wait in gid until the event's turn comes). */
static void
group_events(struct hunt *h, uint32_t *gid)
{
	const struct table_data *d = h->d;
	size_t nslots = 1024, mask = nslots - 1, i, j, capg = 0, a;
	uint64_t *slots = xcalloc(nslots, sizeof *slots), s;
	unsigned ident = h->opts.identity == HUNT_IDENTITY_INTERNAL ?
	    IPF_IDENT_INTERNAL : IPF_IDENT_OTHER;
	uint32_t hash;

	for (i = 0; i < d->nev && i < GROUP_AHEAD; i++)
		gid[i] = (uint32_t)key_hash(d->ev[i].key);
	for (i = 0; i < d->nev; i++) {
		const struct lh_event *e = &d->ev[i];
		uint8_t fl = d->ipflags[e->key[K_REMOTEIP]];
		struct lh_group *g;

		a = i + GROUP_AHEAD;
		if (a < d->nev) {
			gid[a] = (uint32_t)key_hash(d->ev[a].key);
			__builtin_prefetch(&slots[gid[a] & mask]);
		}
		a = i + GROUP_AHEAD / 2;
		if (a < d->nev) {
			s = slots[gid[a] & mask];
			if (s != 0 && (uint32_t)(s >> 32) == gid[a])
				__builtin_prefetch(&h->g[(uint32_t)s - 1]);
		}
		hash = gid[i];
		gid[i] = UINT32_MAX;
		if ((h->opts.from != TS_NONE || h->opts.until != TS_NONE) &&
		    (e->ts == TS_NONE ||
		    (h->opts.from != TS_NONE && e->ts < h->opts.from) ||
		    (h->opts.until != TS_NONE && e->ts > h->opts.until))) {
			h->f.removed_window++;
			continue;
		}
		if (fl & IPF_DEVICE) {
			h->f.removed_device += table_event_count(d, e);
			continue;
		}
		if (fl & ident) {
			h->f.removed_identity += table_event_count(d, e);
			continue;
		}
		for (j = hash & mask; (s = slots[j]) != 0; j = (j + 1) & mask)
			if ((uint32_t)(s >> 32) == hash &&
			    memcmp(h->g[(uint32_t)s - 1].key, e->key, sizeof e->key) == 0)
				break;
		if (s == 0) {
			h->g = xgrow(h->g, &capg, h->ng + 1, sizeof *h->g);
			g = &h->g[h->ng];
			memset(g, 0, sizeof *g);
			memcpy(g->key, e->key, sizeof e->key);
			g->excl_rule = -1;
			slots[j] = (uint64_t)hash << 32 | ++h->ng;
			if (h->ng * 2 > nslots) {
				/* Rehash into a table twice the size, from
				 * the tags: no key is hashed again. */
				size_t k, n2 = nslots * 2;
				uint64_t *s2 = xcalloc(n2, sizeof *s2);

				for (k = 0; k < nslots; k++) {
					size_t m;

					if (slots[k] == 0)
						continue;
					for (m = (slots[k] >> 32) & (n2 - 1); s2[m];
					    m = (m + 1) & (n2 - 1))
						;
					s2[m] = slots[k];
				}
				free(slots);
				slots = s2;
				nslots = n2;
				mask = nslots - 1;
			}
			gid[i] = (uint32_t)h->ng - 1;
		} else
			gid[i] = (uint32_t)s - 1;
		h->g[gid[i]].ev_n++;
	}
	free(slots);
}

/* Recomputes a group's figures from its events, skipping those a device
 * rule excludes when keep is set. stamp[device] marks devices counted. */
static void
group_stats(struct hunt *h, struct lh_group *g, uint32_t *stamp,
    uint32_t gi, int use_device_rules)
{
	const struct table_data *d = h->d;
	uint32_t k;

	g->first = g->last = TS_NONE;
	g->count = 0;
	g->devices = 0;
	for (k = 0; k < g->ev_n; k++) {
		const struct lh_event *e = &d->ev[h->order[g->ev_off + k]];
		int64_t last = table_event_last(d, e);
		uint32_t dev;

		if (use_device_rules &&
		    h->device_rule[table_event_device_name(d, e)] >= 0)
			continue;
		g->count = sat_add(g->count, table_event_count(d, e));
		dev = table_event_device_id(d, e);
		if (stamp[dev] != gi + 1) {
			stamp[dev] = gi + 1;
			g->devices++;
		}
		if (e->ts != TS_NONE && (g->first == TS_NONE || e->ts < g->first))
			g->first = e->ts;
		if (last != TS_NONE && (g->last == TS_NONE || last > g->last))
			g->last = last;
	}
}

static void
funnel_ips(struct hunt *h)
{
	const struct table_data *d = h->d;
	uint32_t i, n = strtab_count(d->st);
	unsigned ident = h->opts.identity == HUNT_IDENTITY_INTERNAL ?
	    IPF_IDENT_INTERNAL : IPF_IDENT_OTHER;

	for (i = 0; i < n && i < d->capflags; i++) {
		h->f.device_ips += (d->ipflags[i] & IPF_DEVICE) != 0;
		h->f.identity_ips += (d->ipflags[i] & ident) != 0;
	}
}

int
hunt_duration_parse(const char *s, int64_t *ticks)
{
	char *end;
	double v;
	int64_t unit;

	v = strtod(s, &end);
	if (end == s || v < 0 || end[0] == '\0' || end[1] != '\0')
		return -1;
	switch (end[0]) {
	case 'd': unit = 86400; break;
	case 'h': unit = 3600; break;
	case 'm': unit = 60; break;
	case 's': unit = 1; break;
	default: return -1;
	}
	if (v * (double)unit > 1e11)
		return -1;
	*ticks = (int64_t)(v * (double)unit * (double)TS_TICKS_PER_SEC + 0.5);
	return 0;
}

/* The newest time of any Public logon loaded, or TS_NONE. */
static int64_t
newest_logon(const struct table_data *d)
{
	int64_t newest = TS_NONE;
	size_t i;

	if (d->summed)
		return d->newest;
	for (i = 0; i < d->nev; i++)
		if (d->ev[i].ts != TS_NONE && (newest == TS_NONE || d->ev[i].ts > newest))
			newest = d->ev[i].ts;
	return newest;
}

static int64_t
clock_now(void)
{
	return (int64_t)time(NULL) * TS_TICKS_PER_SEC + TS_UNIX_EPOCH;
}

int
hunt_load_window(struct hunt_opts *o, struct table_sum *s)
{
	int64_t from;

	if (o->since > 0 && o->since_data)
		return -1;
	s->from = o->from;
	s->until = o->until;
	if (o->since > 0) {
		/* The same now for hunt_run's bound as for this one. */
		if (o->now == 0)
			o->now = clock_now();
		from = o->now - o->since;
		if (s->from == TS_NONE || from > s->from)
			s->from = from;
	}
	return 0;
}

/* Turns --since into a lower bound, like Kusto's ago(). */
static void
resolve_since(struct hunt *h)
{
	const struct table_data *d = h->d;
	int64_t base = h->opts.now, from;

	if (h->opts.since <= 0)
		return;
	if (h->opts.since_data) {
		base = newest_logon(d);
		/* No logon has a time: ago() from a null is null, and no
		 * comparison with it holds. Any bound keeps them all out. */
		if (base == TS_NONE) {
			h->opts.from = 0;
			return;
		}
	} else if (base == 0) {
		base = clock_now();
	}
	from = base - h->opts.since;
	if (h->opts.from == TS_NONE || from > h->opts.from)
		h->opts.from = from;
}

/* Orders groups by key ids; key is the group's first member. */
static int
group_key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof ((struct lh_group *)0)->key);
}

/* An exported result is the results table: its rows are the groups, with
 * its figures; raw logons given too serve only to drill down into the
 * groups they belong to. */
static void
use_presummary(struct hunt *h)
{
	const struct table_data *d = h->d;
	struct lh_group *g = xcalloc(d->npresum, sizeof *g);
	const struct lh_group *found;
	size_t i;
	uint64_t events = 0;

	/* The event groups, by key, to find each row's raw logons. */
	if (h->ng > 0)
		qsort(h->g, h->ng, sizeof *h->g, group_key_cmp);

	for (i = 0; i < d->npresum; i++) {
		const struct lh_presummary *p = &d->presum[i];

		memcpy(g[i].key, p->key, sizeof p->key);
		g[i].first = p->first;
		g[i].last = p->last;
		g[i].count = g[i].base_count = p->count;
		g[i].devices = p->devices;
		g[i].excl_rule = -1;
		g[i].preset = 1;
		events = sat_add(events, p->count);
		found = h->ng ? bsearch(p->key, h->g, h->ng, sizeof *h->g, group_key_cmp) : NULL;
		if (found != NULL) {
			g[i].ev_off = found->ev_off;
			g[i].ev_n = found->ev_n;
		}
	}
	free(h->g);
	h->g = g;
	h->ng = d->npresum;
	h->f.events = events;
	h->f.groups = h->ng;
}

void
hunt_run(struct hunt *h, const struct table_data *d, const struct hunt_opts *o)
{
	uint32_t *gid, *fill, *stamp;
	size_t i, off = 0;

	memset(h, 0, sizeof *h);
	h->d = d;
	h->opts = *o;
	resolve_since(h);
	memcpy(h->f.rows, d->rows, sizeof h->f.rows);
	h->f.other_records = d->other_records;
	h->f.public_logons = table_data_logons(d);
	h->f.removed_window = d->window_out;
	funnel_ips(h);
	gid = xmalloc((d->nev ? d->nev : 1) * sizeof *gid);
	group_events(h, gid);
	/* Lay each group's events out together, in input order. */
	for (i = 0; i < h->ng; i++) {
		h->g[i].ev_off = (uint32_t)off;
		off += h->g[i].ev_n;
	}
	h->order = xmalloc((off ? off : 1) * sizeof *h->order);
	fill = xcalloc(h->ng ? h->ng : 1, sizeof *fill);
	for (i = 0; i < d->nev; i++)
		if (gid[i] != UINT32_MAX)
			h->order[h->g[gid[i]].ev_off + fill[gid[i]]++] = (uint32_t)i;
	free(fill);
	free(gid);
	stamp = xcalloc(strtab_count(d->st), sizeof *stamp);
	h->f.events = 0;
	for (i = 0; i < h->ng; i++) {
		group_stats(h, &h->g[i], stamp, (uint32_t)i, 0);
		h->g[i].base_count = h->g[i].count;
		h->f.events = sat_add(h->f.events, h->g[i].count);
	}
	free(stamp);
	h->norder = off;
	h->f.groups = h->ng;
	if (d->npresum > 0)
		use_presummary(h);
	/* A batch run prepares its one sort when it comes, once the events
	 * may be gone (hunt_forget_events). */
	if (!h->opts.once)
		sort_prepare(h);
}

/* 1 if a memo made under digest have still answers for want (NULL: the
 * filter cannot say, so nothing is kept). */
static int
memo_fresh(int valid, const unsigned char *have, const unsigned char *want)
{
	return valid && want != NULL && memcmp(have, want, HUNT_SIG_LEN) == 0;
}

static void
memo_keep(int *valid, unsigned char *have, const unsigned char *want)
{
	*valid = want != NULL;
	if (want != NULL)
		memcpy(have, want, HUNT_SIG_LEN);
}

/* The distinct accounts (domain, name) of the groups, once per hunt:
 * acct_of[g] is g's. */
static void
acct_index(struct hunt *h)
{
	size_t slots = 64, cap = 0, i, j;
	uint32_t *tab;

	while (slots < h->ng * 2)
		slots *= 2;
	tab = xcalloc(slots, sizeof *tab);
	h->acct_of = xmalloc((h->ng ? h->ng : 1) * sizeof *h->acct_of);
	for (i = 0; i < h->ng; i++) {
		const uint32_t *k = h->g[i].key;
		uint64_t key = (uint64_t)k[K_DOMAIN] << 32 | k[K_NAME];

		j = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & (slots - 1);
		while (tab[j] != 0 && h->acct_key[tab[j] - 1] != key)
			j = (j + 1) & (slots - 1);
		if (tab[j] == 0) {
			h->acct_key = xgrow(h->acct_key, &cap, h->nacct + 1,
			    sizeof *h->acct_key);
			h->acct_key[h->nacct] = key;
			tab[j] = (uint32_t)++h->nacct;
		}
		h->acct_of[i] = tab[j] - 1;
	}
	free(tab);
}

/* The distinct device names of the events, and each grouped event's
 * device name in the order of h->order, once per hunt. */
static void
device_index(struct hunt *h)
{
	const struct table_data *d = h->d;
	uint8_t *seen = xcalloc(strtab_count(d->st) ? strtab_count(d->st) : 1, 1);
	size_t i, cap = 0;

	for (i = 0; i < d->nev; i++) {
		uint32_t dn = table_event_device_name(d, &d->ev[i]);
		if (!seen[dn]) {
			seen[dn] = 1;
			h->devnames = xgrow(h->devnames, &cap, h->ndevnames + 1,
			    sizeof *h->devnames);
			h->devnames[h->ndevnames++] = dn;
		}
	}
	free(seen);
	h->order_dev = xmalloc((h->norder ? h->norder : 1) * sizeof *h->order_dev);
	for (i = 0; i < h->norder; i++)
		h->order_dev[i] = table_event_device_name(d, &d->ev[h->order[i]]);
}

/* An IPv6 address of the groups, for the address index. */
struct hunt_aix6 {
	uint8_t a[16];
	uint32_t id;
};

static int
aix6_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

static uint32_t
v4_of(const struct iptrie_addr *a)
{
	return (uint32_t)a->a[0] << 24 | (uint32_t)a->a[1] << 16 |
	    (uint32_t)a->a[2] << 8 | a->a[3];
}

/* A row being sorted: its key for the current pass and its group. */
struct rkey {
	uint64_t k;
	uint32_t id;
};

static struct rkey *radix_sort(struct rkey *a, struct rkey *b, size_t n);

/* The groups' distinct addresses that parse, in address order: built
 * once per hunt, with the first answers asked of every address. */
static void
addr_index(struct hunt *h)
{
	const struct strtab *st = h->d->st;
	uint32_t nstr = strtab_count(st);
	uint8_t *seen = xcalloc(nstr ? nstr : 1, 1);
	size_t i, cap6 = 0;
	struct rkey *a, *b, *r;
	struct iptrie_addr ad;

	a = xmalloc((h->ng ? h->ng : 1) * sizeof *a);
	h->naix4 = h->naix6 = 0;
	for (i = 0; i < h->ng; i++) {
		uint32_t id = h->g[i].key[K_REMOTEIP];

		if (seen[id])
			continue;
		seen[id] = 1;
		if (iptrie_parse(strtab_str(st, id), strtab_len(st, id), &ad) != 0)
			continue;	/* matches no rule, ever */
		if (ad.family == IPTRIE_V4) {
			a[h->naix4].k = v4_of(&ad);
			a[h->naix4++].id = id;
		} else {
			h->aix6 = xgrow(h->aix6, &cap6, h->naix6 + 1, sizeof *h->aix6);
			memcpy(h->aix6[h->naix6].a, ad.a, 16);
			h->aix6[h->naix6++].id = id;
		}
	}
	free(seen);
	b = xmalloc((h->naix4 ? h->naix4 : 1) * sizeof *b);
	r = radix_sort(a, b, h->naix4);
	free(r == a ? b : a);
	h->aix4 = r;
	if (h->naix6 > 1)
		qsort(h->aix6, h->naix6, sizeof *h->aix6, aix6_cmp);
	h->aix_built = 1;
}

/* Where the addresses inside prefix p lie in the index: [*lo, *hi) of
 * aix4 or of aix6, by its family. */
static void
prefix_span(const struct hunt *h, const struct iptrie_prefix *p, size_t *lo,
    size_t *hi)
{
	size_t l, r, mid;
	int b, end;

	if (p->addr.family == IPTRIE_V4) {
		uint32_t first = v4_of(&p->addr), last;
		int len = p->pflen < 0 ? 0 : p->pflen > 32 ? 32 : p->pflen;

		if (len < 32) {
			first &= len ? ~(uint32_t)0 << (32 - len) : 0;
			last = first | (len ? ~(~(uint32_t)0 << (32 - len)) : ~(uint32_t)0);
		} else
			last = first;
		/* The first address not below first, then the first above last. */
		for (end = 0; end < 2; end++) {
			for (l = 0, r = h->naix4; l < r;) {
				mid = l + (r - l) / 2;
				if (end ? h->aix4[mid].k <= last : h->aix4[mid].k < first)
					l = mid + 1;
				else
					r = mid;
			}
			*(end ? hi : lo) = l;
		}
	} else {
		uint8_t k[2][16];
		int len = p->pflen < 0 ? 0 : p->pflen > 128 ? 128 : p->pflen;

		memcpy(k[0], p->addr.a, 16);
		for (b = len; b < 128; b++)
			k[0][b / 8] &= (uint8_t)~(0x80 >> (b % 8));
		memcpy(k[1], k[0], 16);
		for (b = len; b < 128; b++)
			k[1][b / 8] |= (uint8_t)(0x80 >> (b % 8));
		for (end = 0; end < 2; end++) {
			for (l = 0, r = h->naix6; l < r;) {
				int c;

				mid = l + (r - l) / 2;
				c = memcmp(h->aix6[mid].a, k[end], 16);
				if (end ? c <= 0 : c < 0)
					l = mid + 1;
				else
					r = mid;
			}
			*(end ? hi : lo) = l;
		}
	}
}

/* ------------------------------------------------- answers per class */

/* Among the classes on that match (mask, a rule per bit), the rule of the
 * lowest precedence, or -1. */
static int32_t
class_pick(const struct hunt_filter *flt, uint64_t on, uint64_t mask,
    const uint32_t *rules)
{
	int32_t best = -1;
	size_t k = 0;

	for (; mask != 0; mask &= mask - 1, k++)
		if ((on & mask & -mask) != 0 && (best < 0 ||
		    flt->prec[rules[k]] < flt->prec[best]))
			best = (int32_t)rules[k];
	return best;
}

#define CM_DEAD UINT32_MAX
#define CM_MASK(e) ((uint64_t)(e)[1] | (uint64_t)(e)[2] << 32)
#define CM_SIZE(e) (3 + (size_t)__builtin_popcountll(CM_MASK(e)))

/* Keeps what the classes answered for value id; returns its answer for
 * the classes on. */
static int32_t
cmemo_add(struct hunt_classmemo *cm, const struct hunt_filter *flt,
    uint32_t id, uint64_t mask, const int32_t *rules)
{
	size_t k = (size_t)__builtin_popcountll(mask);
	uint32_t *e;

	if (mask == 0)
		return -1;
	cm->e = xgrow(cm->e, &cm->cap, cm->n + 3 + k, sizeof *cm->e);
	e = cm->e + cm->n;
	e[0] = id;
	e[1] = (uint32_t)mask;
	e[2] = (uint32_t)(mask >> 32);
	memcpy(e + 3, rules, k * sizeof *e);
	cm->n += 3 + k;
	return class_pick(flt, cm->on, mask, e + 3);
}

static void
cmemo_reset(struct hunt_classmemo *cm, uint64_t on)
{
	cm->n = cm->dead = 0;
	cm->on = on;
}

/* Drops the entries of the values whose answers were forgotten (memo
 * -2), and, once they are most of it, squeezes them out. */
static void
cmemo_forget(struct hunt_classmemo *cm, const int32_t *memo)
{
	size_t i, j, sz;

	for (i = 0; i < cm->n; i += CM_SIZE(cm->e + i))
		if (cm->e[i] != CM_DEAD && memo[cm->e[i]] == -2) {
			cm->e[i] = CM_DEAD;
			cm->dead += CM_SIZE(cm->e + i);
		}
	if (cm->dead * 2 <= cm->n)
		return;
	for (i = j = 0; i < cm->n; i += sz) {
		sz = CM_SIZE(cm->e + i);
		if (cm->e[i] != CM_DEAD) {
			memmove(cm->e + j, cm->e + i, sz * sizeof *cm->e);
			j += sz;
		}
	}
	cm->n = j;
	cm->dead = 0;
}

/* The classes on are now on: works out again into memo (per value id)
 * the answer of each value that a class switched matches; no rule is
 * asked. Returns CM_ANY if some value kept is excluded under on, with
 * CM_CHANGED if some answer changed. */
#define CM_ANY 1
#define CM_CHANGED 2

static int
cmemo_switch(const struct hunt_classmemo *cm, const struct hunt_filter *flt,
    uint64_t on, int32_t *memo)
{
	uint64_t changed = cm->on ^ on, mask;
	size_t i;
	int32_t r;
	int res = 0;

	for (i = 0; i < cm->n; i += CM_SIZE(cm->e + i)) {
		const uint32_t *e = cm->e + i;

		if (e[0] == CM_DEAD)
			continue;
		mask = CM_MASK(e);
		if ((mask & changed) != 0) {
			r = class_pick(flt, on, mask, e + 3);
			if (memo[e[0]] != r)
				res |= CM_CHANGED;
			memo[e[0]] = r;
		}
		if ((mask & on) != 0)
			res |= CM_ANY;
	}
	return res;
}

static void
cmemo_free(struct hunt_classmemo *cm)
{
	free(cm->e);
	memset(cm, 0, sizeof *cm);
}

static int
prefix_same(const struct iptrie_prefix *a, const struct iptrie_prefix *b)
{
	return a->value == b->value && a->pflen == b->pflen &&
	    a->addr.family == b->addr.family &&
	    memcmp(a->addr.a, b->addr.a, a->addr.family == IPTRIE_V4 ? 4 : 16) == 0;
}

/* The address rules changed from h->ip_pfx to the filter's: forgets the
 * answers of the addresses inside a prefix in one list and not the other
 * (any other address is inside the same prefixes of the same rules, so
 * its answer stands). Returns 0 if it cannot tell, or if those addresses
 * would be more than half of all (a category of rules switched, a rule
 * added before others shifts their indices): then ask every address. */
static int
forget_changed(struct hunt *h, const struct hunt_filter *flt)
{
	const struct iptrie_prefix *o = h->ip_pfx, *n = flt->ip_prefixes, **diff;
	size_t i = 0, j = 0, no = h->nip_pfx, nn = flt->nip_prefixes, nd = 0, k;
	size_t lo, hi, total = 0;

	const uint8_t *oc = h->ip_pfx_class, *nc = flt->ip_prefix_class;

	/* Answers given with classes and without are not comparable. */
	if (!h->ip_ok || !h->ip_pfx_ok || n == NULL || !h->aix_built ||
	    (oc == NULL) != (nc == NULL) || (flt->classes_ip == NULL) !=
	    (nc == NULL))
		return 0;
	diff = xmalloc((no + nn + 1) * sizeof *diff);
	while (i < no || j < nn) {
		if (j == nn || (i < no && o[i].value < n[j].value))
			diff[nd++] = &o[i++];
		else if (i == no || n[j].value < o[i].value)
			diff[nd++] = &n[j++];
		else if (prefix_same(&o[i], &n[j]) &&
		    (oc == NULL || oc[i] == nc[j])) {
			i++;
			j++;
		} else {
			diff[nd++] = &o[i++];
			diff[nd++] = &n[j++];
		}
	}
	for (k = 0; k < nd; k++) {
		prefix_span(h, diff[k], &lo, &hi);
		total += hi - lo;
	}
	if (total > (h->naix4 + h->naix6) / 2) {
		free(diff);
		return 0;
	}
	for (k = 0; k < nd; k++) {
		int v4 = diff[k]->addr.family == IPTRIE_V4;

		prefix_span(h, diff[k], &lo, &hi);
		for (; lo < hi; lo++)
			h->ip_memo[v4 ? h->aix4[lo].id : h->aix6[lo].id] = -2;
	}
	free(diff);
	return 1;
}

/* Keeps the filter's address rules with the answers given under them. */
static void
keep_prefixes(struct hunt *h, const struct hunt_filter *flt)
{
	h->ip_pfx_ok = flt->ip_prefixes != NULL;
	h->nip_pfx = h->ip_pfx_ok ? flt->nip_prefixes : 0;
	free(h->ip_pfx);
	h->ip_pfx = xmalloc((h->nip_pfx ? h->nip_pfx : 1) * sizeof *h->ip_pfx);
	if (h->nip_pfx)
		memcpy(h->ip_pfx, flt->ip_prefixes, h->nip_pfx * sizeof *h->ip_pfx);
	free(h->ip_pfx_class);
	h->ip_pfx_class = NULL;
	if (h->ip_pfx_ok && flt->classes_ip != NULL &&
	    flt->ip_prefix_class != NULL) {
		h->ip_pfx_class = xmalloc(h->nip_pfx + 1);
		memcpy(h->ip_pfx_class, flt->ip_prefix_class, h->nip_pfx);
	}
}

/* The device names' answers of flt, per string id: dev_memo while its
 * digest stays, else a new table (*made set) that hunt_apply keeps when
 * it finishes, so that one stopped leaves the answers its groups were
 * judged by. With classes, *cm is what they answered: h->cm_dev, or a new
 * one when every name was asked again (kept with the table). *any: some
 * name is excluded; *changed: some answer may differ from dev_memo's. */
static int32_t *
device_answers(struct hunt *h, const struct hunt_filter *flt, int *any,
    int *made, int *changed, struct hunt_classmemo *cm)
{
	const struct strtab *st = h->d->st;
	uint32_t nstr = strtab_count(st), k;
	int32_t *m, rules[HUNT_CLASSES_MAX];
	int cls = flt->classes_device != NULL, res;

	if (h->order_dev == NULL)
		device_index(h);
	*made = *changed = 0;
	*cm = h->cm_dev;
	if (h->dev_memo != NULL &&
	    memo_fresh(h->dev_ok, h->dev_sig, flt->sig_device)) {
		if (!cls || cm->on == flt->on) {
			*any = h->dev_any;
			return h->dev_memo;
		}
		/* Classes switched: the names they match, worked out
		 * again from what they answered. */
		m = xmalloc((nstr ? nstr : 1) * sizeof *m);
		memcpy(m, h->dev_memo, (nstr ? nstr : 1) * sizeof *m);
		res = cmemo_switch(cm, flt, flt->on, m);
		*any = (res & CM_ANY) != 0;
		*changed = (res & CM_CHANGED) != 0;
		cm->on = flt->on;
		*made = 1;
		return m;
	}
	m = xmalloc((nstr ? nstr : 1) * sizeof *m);
	*any = 0;
	*made = *changed = 1;
	if (cls) {
		memset(cm, 0, sizeof *cm);
		cm->on = flt->on;
	}
	for (k = 0; k < nstr; k++)
		m[k] = -1;
	for (k = 0; k < h->ndevnames; k++) {
		uint32_t dn = h->devnames[k];
		long r;

		if (cls)
			r = cmemo_add(cm, flt, dn, flt->classes_device(flt->ctx,
			    strtab_str(st, dn), strtab_len(st, dn), rules), rules);
		else
			r = flt->match_device(flt->ctx, strtab_str(st, dn),
			    strtab_len(st, dn));
		m[dn] = (int32_t)r;
		*any |= r >= 0;
	}
	return m;
}

/* Makes ready to ask the filter about each address and account the
 * groups have, once each, keeping the answers while the filter's rules of
 * that kind stay the same: switching an account rule does not match a
 * million addresses again (device names: device_answers). */
#define MEMO_IP 1u		/* apply_memo forgot some addresses' answers */
#define MEMO_ACCOUNT 2u		/* ... every account's */

static unsigned
apply_memo(struct hunt *h, const struct hunt_filter *flt)
{
	const struct strtab *st = h->d->st;
	uint32_t nstr = strtab_count(st), k;
	unsigned forgot = 0;

	if (flt != NULL && flt->match_ip != NULL) {
		if (h->ip_memo == NULL)
			h->ip_memo = xmalloc((nstr ? nstr : 1) * sizeof *h->ip_memo);
		if (!memo_fresh(h->ip_ok, h->ip_sig, flt->sig_ip)) {
			if (!forget_changed(h, flt)) {
				for (k = 0; k < nstr; k++)
					h->ip_memo[k] = -2;
				cmemo_reset(&h->cm_ip, flt->on);
				/* Asking every address anyway: the index that
				 * lets a switch ask only some costs little more. */
				if (flt->sig_ip != NULL && flt->ip_prefixes != NULL &&
				    !h->aix_built && !h->opts.once)
					addr_index(h);
			} else
				cmemo_forget(&h->cm_ip, h->ip_memo);
			memo_keep(&h->ip_ok, h->ip_sig, flt->sig_ip);
			keep_prefixes(h, flt);
			forgot |= MEMO_IP;
		}
		/* The answers kept under other classes on: each value a
		 * class switched matches, worked out again. */
		if (flt->classes_ip != NULL && h->cm_ip.on != flt->on) {
			cmemo_switch(&h->cm_ip, flt, flt->on, h->ip_memo);
			h->cm_ip.on = flt->on;
		}
	}
	if (flt != NULL && flt->match_account != NULL) {
		if (h->acct_of == NULL)
			acct_index(h);
		if (h->acct_memo == NULL)
			h->acct_memo = xmalloc((h->nacct ? h->nacct : 1) *
			    sizeof *h->acct_memo);
		if (!memo_fresh(h->acct_ok, h->acct_sig, flt->sig_account)) {
			for (k = 0; k < h->nacct; k++)
				h->acct_memo[k] = -2;
			cmemo_reset(&h->cm_acct, flt->on);
			memo_keep(&h->acct_ok, h->acct_sig, flt->sig_account);
			forgot |= MEMO_ACCOUNT;
		}
		if (flt->classes_account != NULL && h->cm_acct.on != flt->on) {
			cmemo_switch(&h->cm_acct, flt, flt->on, h->acct_memo);
			h->cm_acct.on = flt->on;
		}
	}
	return forgot;
}

/* What the filter answers for address ip (a string id) and account a
 * (an index into acct_key); with classes, what they answered is kept. */
static int32_t
ask_ip(struct hunt *h, const struct hunt_filter *flt, uint32_t ip)
{
	const struct strtab *st = h->d->st;
	int32_t rules[HUNT_CLASSES_MAX];

	if (flt->classes_ip == NULL)
		return (int32_t)flt->match_ip(flt->ctx, strtab_str(st, ip),
		    strtab_len(st, ip));
	return cmemo_add(&h->cm_ip, flt, ip, flt->classes_ip(flt->ctx,
	    strtab_str(st, ip), strtab_len(st, ip), rules), rules);
}

static int32_t
ask_account(struct hunt *h, const struct hunt_filter *flt, uint32_t a)
{
	const struct strtab *st = h->d->st;
	uint32_t dom = (uint32_t)(h->acct_key[a] >> 32);
	uint32_t name = (uint32_t)h->acct_key[a];
	int32_t rules[HUNT_CLASSES_MAX];

	if (flt->classes_account == NULL)
		return (int32_t)flt->match_account(flt->ctx, strtab_str(st, dom),
		    strtab_len(st, dom), strtab_str(st, name),
		    strtab_len(st, name));
	return cmemo_add(&h->cm_acct, flt, a, flt->classes_account(flt->ctx,
	    strtab_str(st, dom), strtab_len(st, dom), strtab_str(st, name),
	    strtab_len(st, name), rules), rules);
}

/* The rule that excludes group g as a whole, or -1. */
static long
group_rule(struct hunt *h, const struct hunt_filter *flt, size_t gi)
{
	const struct lh_group *g = &h->g[gi];
	long r = -1;

	if (flt->match_ip != NULL) {
		uint32_t ip = g->key[K_REMOTEIP];
		if (h->ip_memo[ip] == -2)
			h->ip_memo[ip] = ask_ip(h, flt, ip);
		r = h->ip_memo[ip];
	}
	if (r < 0 && flt->match_account != NULL) {
		uint32_t a = h->acct_of[gi];
		if (h->acct_memo[a] == -2)
			h->acct_memo[a] = ask_account(h, flt, a);
		r = h->acct_memo[a];
	}
	return r;
}

/* How often hunt_apply_stoppable asks whether to stop: every so many
 * values asked (a few hundred microseconds of work at most, mostly). */
#define APPLY_ASK_EVERY 1024

/* The distinct addresses of the groups (string ids), once per hunt. */
static void
ip_index(struct hunt *h)
{
	uint32_t nstr = strtab_count(h->d->st);
	uint8_t *seen = xcalloc(nstr ? nstr : 1, 1);
	size_t i, cap = 0;

	for (i = 0; i < h->ng; i++) {
		uint32_t ip = h->g[i].key[K_REMOTEIP];

		if (!seen[ip]) {
			seen[ip] = 1;
			h->ipnames = xgrow(h->ipnames, &cap, h->nipnames + 1,
			    sizeof *h->ipnames);
			h->ipnames[h->nipnames++] = ip;
		}
	}
	free(seen);
}

/* Asks the filter every address and account of the groups whose answers
 * apply_memo forgot (forgot: MEMO_*) and not asked since: what group_rule
 * would ask, and the accounts of groups an address rule takes too. Asks
 * stop every 1,024 values; -1 if it said stop. */
static int
ask_all(struct hunt *h, const struct hunt_filter *flt, unsigned forgot,
    hunt_stop_fn stop, void *ctx)
{
	int ips = flt->match_ip != NULL && (forgot & MEMO_IP);
	int accts = flt->match_account != NULL && (forgot & MEMO_ACCOUNT);
	size_t i, done = 0, total;

	if (ips && h->ipnames == NULL)
		ip_index(h);
	total = (ips ? h->nipnames : 0) + (accts ? h->nacct : 0);
	for (i = 0; ips && i < h->nipnames; i++, done++) {
		uint32_t ip = h->ipnames[i];

		if (done % APPLY_ASK_EVERY == 0 && stop(ctx, done, total))
			return -1;
		if (h->ip_memo[ip] == -2)
			h->ip_memo[ip] = ask_ip(h, flt, ip);
	}
	for (i = 0; accts && i < h->nacct; i++, done++) {
		if (done % APPLY_ASK_EVERY == 0 && stop(ctx, done, total))
			return -1;
		if (h->acct_memo[i] == -2)
			h->acct_memo[i] = ask_account(h, flt, (uint32_t)i);
	}
	return 0;
}

int
hunt_apply_stoppable(struct hunt *h, const struct hunt_filter *flt,
    hunt_stop_fn stop, void *ctx)
{
	const struct table_data *d = h->d;
	uint32_t *stamp = NULL, ndev = strtab_count(d->st), k;
	int32_t *dev = NULL;
	size_t i;
	int any_device = 0, dev_made = 0, dev_changed = 0;
	unsigned forgot;
	struct hunt_classmemo cm_dev = h->cm_dev;

	if (flt != NULL && flt->match_device != NULL)
		dev = device_answers(h, flt, &any_device, &dev_made,
		    &dev_changed, &cm_dev);
	forgot = apply_memo(h, flt);
	/* The questions first, where the time goes: every address and
	 * account not answered under the filter's digests yet, each asked
	 * once; nothing the hunt shows changes until all are answered. The
	 * answers are kept under the digests either way. Then the pass over
	 * the groups below only looks them up. */
	if (stop != NULL && flt != NULL && ask_all(h, flt, forgot, stop,
	    ctx) != 0) {
		if (dev_made)
			free(dev);
		if (dev_made && cm_dev.e != h->cm_dev.e)
			free(cm_dev.e);
		return -1;
	}
	if (dev_made) {
		free(h->dev_memo);
		h->dev_memo = dev;
		h->dev_any = any_device;
		memo_keep(&h->dev_ok, h->dev_sig, flt->sig_device);
		if (cm_dev.e != h->cm_dev.e)
			free(h->cm_dev.e);
		h->cm_dev = cm_dev;
	}
	/* Figures worked out under other device answers are not current. */
	if (h->fig_cur == NULL)
		h->fig_cur = xcalloc(h->ng / 8 + 1, 1);
	else if (dev_changed || (dev == NULL) != (h->device_rule == NULL))
		memset(h->fig_cur, 0, h->ng / 8 + 1);
	h->device_rule = dev;
	any_device = dev != NULL && any_device;
	free(h->rule_groups);
	free(h->rule_events);
	h->nrules = flt ? flt->nrules : 0;
	h->rule_groups = xcalloc(h->nrules + 1, sizeof *h->rule_groups);
	h->rule_events = xcalloc(h->nrules + 1, sizeof *h->rule_events);
	h->f.removed_excl_events = h->f.removed_excl_groups = 0;
	h->f.events = h->f.groups = 0;
	h->off_base = 0;
	for (i = 0; i < h->ng; i++) {
		struct lh_group *g = &h->g[i];
		long r = flt != NULL ? group_rule(h, flt, i) : -1;

		g->excl_rule = r;
		if (r >= 0) {
			g->count = 0;
			h->rule_groups[r]++;
			h->rule_events[r] = sat_add(h->rule_events[r], g->base_count);
			h->f.removed_excl_groups++;
			h->f.removed_excl_events = sat_add(h->f.removed_excl_events,
			    g->base_count);
			continue;
		}
		if (g->preset) {
			/* No raw events to judge by device: figures stay. */
			g->count = g->base_count;
		} else {
			long first_rule = -1;
			uint64_t hits = 0;

			/* The device names of its events lie side by side. */
			for (k = 0; any_device && k < g->ev_n; k++) {
				int32_t dr = h->device_rule[h->order_dev[g->ev_off + k]];
				if (dr >= 0) {
					uint64_t n = table_event_count(d,
					    &d->ev[h->order[g->ev_off + k]]);

					h->rule_events[dr] = sat_add(h->rule_events[dr], n);
					hits = sat_add(hits, n);
					if (first_rule < 0)
						first_rule = dr;
				}
			}
			h->f.removed_excl_events = sat_add(h->f.removed_excl_events, hits);
			/* An earlier apply may have changed it: its figures are
			 * made again whenever they are not its base ones,
			 * unless they were made under these device answers
			 * (then its count is what they leave: no sum ran
			 * over when the whole did not). */
			if ((hits > 0 || g->count != g->base_count) &&
			    (h->fig_cur[i / 8] & (1u << (i % 8))) != 0 &&
			    g->base_count != UINT64_MAX)
				g->count = g->base_count - hits;
			else if (hits > 0 || g->count != g->base_count) {
				if (stamp == NULL)
					stamp = xcalloc(ndev ? ndev : 1, sizeof *stamp);
				group_stats(h, g, stamp, (uint32_t)i, hits > 0);
			}
			h->fig_cur[i / 8] |= (uint8_t)(1u << (i % 8));
			if (g->count == 0) {
				/* Removed wholly by device rules: credit the rule
				 * that excluded its first event. */
				g->excl_rule = first_rule;
				h->rule_groups[first_rule]++;
				h->f.removed_excl_groups++;
				continue;
			}
		}
		h->f.events = sat_add(h->f.events, g->count);
		h->f.groups++;
		h->off_base += g->count != g->base_count;
	}
	free(stamp);
	return 0;
}

void
hunt_apply(struct hunt *h, const struct hunt_filter *flt)
{
	(void)hunt_apply_stoppable(h, flt, NULL, NULL);
}

int
hunt_forget_events(struct hunt *h)
{
	/* A device rule's changes to a group's figures are undone from its
	 * events when it is sorted by its base figures. Without one, a
	 * group's figures are its base ones, or it was excluded whole and
	 * kept them. */
	if (h->device_rule != NULL && h->dev_any)
		return -1;
	h->events_gone = 1;
	free(h->order);
	free(h->order_dev);
	free(h->devnames);
	h->order = h->order_dev = h->devnames = NULL;
	h->norder = 0;
	h->ndevnames = 0;
	/* The filter's answers too: no hunt_apply follows. */
	free(h->dev_memo);
	free(h->ip_memo);
	free(h->acct_memo);
	free(h->acct_of);
	free(h->acct_key);
	h->dev_memo = h->ip_memo = h->acct_memo = NULL;
	cmemo_free(&h->cm_ip);
	cmemo_free(&h->cm_acct);
	cmemo_free(&h->cm_dev);
	h->acct_of = NULL;
	h->acct_key = NULL;
	h->device_rule = NULL;
	h->nacct = 0;
	h->dev_ok = h->ip_ok = h->acct_ok = 0;
	return 0;
}

int
hunt_event_kept(const struct hunt *h, uint32_t ev)
{
	return h->device_rule == NULL ||
	    h->device_rule[table_event_device_name(h->d, &h->d->ev[ev])] < 0;
}

void
hunt_free(struct hunt *h)
{
	free(h->g);
	free(h->order);
	free(h->order_dev);
	free(h->devnames);
	free(h->ipnames);
	free(h->dev_memo);
	free(h->ip_memo);
	free(h->acct_of);
	free(h->acct_key);
	free(h->acct_memo);
	free(h->ip_pfx);
	free(h->ip_pfx_class);
	cmemo_free(&h->cm_ip);
	cmemo_free(&h->cm_acct);
	cmemo_free(&h->cm_dev);
	free(h->fig_cur);
	free(h->aix4);
	free(h->aix6);
	free(h->rule_groups);
	free(h->rule_events);
	free(h->rank);
	free(h->pos);
	free(h->bypos);
	hunt_sort_done(h);
	memset(h, 0, sizeof *h);
}

static int
rank_cmp(const void *a, const void *b, void *st)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return natsort_text_cmp(strtab_str(st, x), strtab_len(st, x),
	    strtab_str(st, y), strtab_len(st, y));
}

struct ip_ranked {
	struct natsort_ip k;
	uint32_t id;
};

static int
ip_rank_cmp(const void *a, const void *b, void *st)
{
	const struct ip_ranked *x = a, *y = b;

	return natsort_ip_cmp(&x->k, strtab_str(st, x->id),
	    strtab_len(st, x->id), &y->k, strtab_str(st, y->id),
	    strtab_len(st, y->id));
}

/* Strings to rank: ids[0..n) (string ids), sorted in place. */
struct rank_job {
	const struct strtab *st;
	uint32_t *ids;
	uint32_t n;
};

static int
text_id_cmp(const void *a, const void *b, void *st)
{
	uint32_t x = ((const struct rkey *)a)->id, y = ((const struct rkey *)b)->id;

	return natsort_text_cmp(strtab_str(st, x), strtab_len(st, x),
	    strtab_str(st, y), strtab_len(st, y));
}

/* The addresses read as natsort_ip_key reads them, in blocks that either
 * thread takes as it comes free (a quarter of what is worth a thread):
 * k[i] is ids[i]'s IPv4 address, or IP_NOT_V4. */
#define IP_NOT_V4 UINT64_MAX

struct ip_keys {
	struct rank_job *j;
	uint64_t *k;
	size_t block;
	atomic_size_t next;
};

static void
ip_keys_take(void *arg)
{
	struct ip_keys *x = arg;
	const struct strtab *st = x->j->st;
	struct natsort_ip k;
	size_t lo, i;

	while ((lo = atomic_fetch_add(&x->next, x->block)) < x->j->n)
		for (i = lo; i < x->j->n && i - lo < x->block; i++) {
			uint32_t id = x->j->ids[i];

			natsort_ip_key(strtab_str(st, id), strtab_len(st, id), &k);
			x->k[i] = k.kind != 0 ? IP_NOT_V4 :
			    (uint64_t)k.addr[0] << 24 | (uint64_t)k.addr[1] << 16 |
			    (uint64_t)k.addr[2] << 8 | k.addr[3];
		}
}

/* The addresses' order from their keys, as natsort_ip_cmp orders them:
 * IPv4, first in that order, by a radix sort of the address (inet_pton
 * reads each in one spelling only, but equal ones would go by their
 * text, as in the comparison); IPv6 and the rest by comparison. A
 * million addresses compared pairwise took most of a batch run's sort. */
static void
ip_rank_sort(struct rank_job *j, const uint64_t *keys)
{
	const struct strtab *st = j->st;
	struct rkey *a = xmalloc((j->n ? j->n : 1) * sizeof *a), *b, *r;
	struct ip_ranked *rest = NULL;
	size_t cap = 0, nrest = 0, n4 = 0, i, run;

	for (i = 0; i < j->n; i++) {
		uint32_t id = j->ids[i];

		if (keys[i] != IP_NOT_V4) {
			a[n4].k = keys[i];
			a[n4++].id = id;
		} else {
			rest = xgrow(rest, &cap, nrest + 1, sizeof *rest);
			natsort_ip_key(strtab_str(st, id), strtab_len(st, id),
			    &rest[nrest].k);
			rest[nrest++].id = id;
		}
	}
	b = xmalloc((n4 ? n4 : 1) * sizeof *b);
	r = radix_sort(a, b, n4);
	for (i = 0; i < n4; i += run) {
		for (run = 1; i + run < n4 && r[i + run].k == r[i].k; run++)
			;
		if (run > 1)
			qsort_r(r + i, run, sizeof *r, text_id_cmp, (void *)st);
	}
	if (nrest > 1)
		qsort_r(rest, nrest, sizeof *rest, ip_rank_cmp, (void *)st);
	for (i = 0; i < n4; i++)
		j->ids[i] = r[i].id;
	for (i = 0; i < nrest; i++)
		j->ids[n4 + i] = rest[i].id;
	free(rest);
	free(b);
	free(a);
}

/* The text strings' order, natsort_text_cmp's. */
static void
text_rank_sort(struct rank_job *j)
{
	qsort_r(j->ids, j->n, sizeof *j->ids, rank_cmp, (void *)j->st);
}

/* The second thread's part of build_rank: the text, then addresses. */
struct rank_two {
	struct rank_job *text;
	struct ip_keys *ips;
};

static void
rank_text_then_ips(void *arg)
{
	struct rank_two *r = arg;

	text_rank_sort(r->text);
	ip_keys_take(r->ips);
}

/* Ranks every key string once, so sorting compares integers: the text
 * columns in natural order, RemoteIP's strings apart as addresses (parsed
 * once each here, never in a comparison of groups). On two threads: one
 * reads the addresses while the other sorts the text, then helps it. */
static void
build_rank(struct hunt *h)
{
	const struct strtab *st = h->d->st;
	uint32_t n = strtab_count(st), *ids, *ips, nids = 0, nips = 0, i;
	uint8_t *used = xcalloc(n, 1);
	struct rank_job tj, ij;
	struct ip_keys keys;
	struct rank_two two;
	size_t gi;
	int k;

	for (gi = 0; gi < h->ng; gi++)
		for (k = 0; k < K_N; k++)
			used[h->g[gi].key[k]] |= k == K_REMOTEIP ? 2 : 1;
	for (i = 0; i < n; i++) {
		nids += (used[i] & 1) != 0;
		nips += (used[i] & 2) != 0;
	}
	ids = xmalloc((nids ? nids : 1) * sizeof *ids);
	ips = xmalloc((nips ? nips : 1) * sizeof *ips);
	nids = nips = 0;
	for (i = 0; i < n; i++) {
		if (used[i] & 1)
			ids[nids++] = i;
		if (used[i] & 2)
			ips[nips++] = i;
	}
	free(used);
	tj.st = ij.st = st;
	tj.ids = ids;
	tj.n = nids;
	ij.ids = ips;
	ij.n = nips;
	keys.j = &ij;
	keys.k = xmalloc((nips ? nips : 1) * sizeof *keys.k);
	keys.block = par_min() / 4;
	keys.block = keys.block < 1 ? 1 : keys.block > 65536 ? 65536 : keys.block;
	atomic_init(&keys.next, 0);
	two.text = &tj;
	two.ips = &keys;
	if (par_use((size_t)nids + nips))
		par_two(ip_keys_take, &keys, rank_text_then_ips, &two);
	else
		rank_text_then_ips(&two);
	ip_rank_sort(&ij, keys.k);
	free(keys.k);
	h->rank = xcalloc(2 * (size_t)n, sizeof *h->rank);
	for (i = 0; i < nids; i++)
		h->rank[2 * (size_t)ids[i]] = i;
	for (i = 0; i < nips; i++)
		h->rank[2 * (size_t)ips[i] + 1] = i;
	free(ips);
	free(ids);
}

/* A column's value as an unsigned key whose order is the column's order
 * (descending: reversed), for the radix sort. */
static uint64_t
col_key(const struct hunt *h, const struct lh_group *g, enum hunt_col c,
    int desc)
{
	uint64_t v;

	switch (c) {
	case HC_DOMAIN: case HC_NAME: case HC_LOGONTYPE: case HC_REMOTEIP:
	case HC_ACTIONTYPE:
		v = h->rank[2 * (size_t)g->key[c] + (c == HC_REMOTEIP)];
		break;
	case HC_EARLIEST:
		v = (uint64_t)g->first ^ (1ull << 63);
		break;
	case HC_LATEST:
		v = (uint64_t)g->last ^ (1ull << 63);
		break;
	case HC_INSTANCES:
		v = g->count;
		break;
	case HC_DISTINCT:
		v = g->devices;
		break;
	default:
		v = 0;
		break;
	}
	return desc ? ~v : v;
}


#define RADIX_BITS 11
#define RADIX_PASSES ((64 + RADIX_BITS - 1) / RADIX_BITS)
#define RADIX_MASK ((1u << RADIX_BITS) - 1)

/* One of two threads' part of a radix pass: its half [lo, hi) of a,
 * counted by the digit at sh, then moved into b from the places in cnt. */
struct radix_half {
	const struct rkey *a;
	struct rkey *b;
	size_t lo, hi;
	unsigned sh;
	size_t cnt[1u << RADIX_BITS];
};

static void
radix_count(void *arg)
{
	struct radix_half *p = arg;
	size_t i;

	memset(p->cnt, 0, sizeof p->cnt);
	for (i = p->lo; i < p->hi; i++)
		p->cnt[(p->a[i].k >> p->sh) & RADIX_MASK]++;
}

static void
radix_move(void *arg)
{
	struct radix_half *p = arg;
	size_t i;

	for (i = p->lo; i < p->hi; i++)
		p->b[p->cnt[(p->a[i].k >> p->sh) & RADIX_MASK]++] = p->a[i];
}

/* The passes on two threads: each counts and moves its half, the first
 * half's keys of a digit placed before the second's, so each pass stays
 * stable. */
static struct rkey *
radix_passes_two(struct rkey *a, struct rkey *b, size_t n, const unsigned *sh,
    unsigned np)
{
	struct radix_half *h = xmalloc(2 * sizeof *h);
	struct rkey *tmp;
	size_t d, sum, t;
	unsigned p;

	for (p = 0; p < np; p++) {
		h[0].a = h[1].a = a;
		h[0].b = h[1].b = b;
		h[0].lo = 0;
		h[0].hi = h[1].lo = n / 2;
		h[1].hi = n;
		h[0].sh = h[1].sh = sh[p];
		par_two(radix_count, &h[0], radix_count, &h[1]);
		for (d = 0, sum = 0; d <= RADIX_MASK; d++) {
			t = h[0].cnt[d];
			h[0].cnt[d] = sum;
			sum += t;
			t = h[1].cnt[d];
			h[1].cnt[d] = sum;
			sum += t;
		}
		par_two(radix_move, &h[0], radix_move, &h[1]);
		tmp = a;
		a = b;
		b = tmp;
	}
	free(h);
	return a;
}

/* Sorts a[0..n) stably by k, least significant digit first, only over the
 * digits in which the keys differ (a column of small numbers takes a pass
 * or two); b is scratch of n. Returns where the result is, a or b. On two
 * threads when n is worth it. */
static struct rkey *
radix_sort(struct rkey *a, struct rkey *b, size_t n)
{
	size_t (*cnt)[1u << RADIX_BITS], i, sum, t;
	uint64_t any = 0, all = ~(uint64_t)0, vary;
	unsigned p, d, np = 0, sh[RADIX_PASSES];
	struct rkey *tmp;

	for (i = 0; i < n; i++) {
		any |= a[i].k;
		all &= a[i].k;
	}
	vary = any ^ all;
	for (p = 0; p < RADIX_PASSES; p++)
		if ((vary >> (p * RADIX_BITS)) & RADIX_MASK)
			sh[np++] = p * RADIX_BITS;
	if (np == 0)
		return a;
	if (par_use(n))
		return radix_passes_two(a, b, n, sh, np);
	cnt = xcalloc(np, sizeof *cnt);
	for (i = 0; i < n; i++)
		for (p = 0; p < np; p++)
			cnt[p][(a[i].k >> sh[p]) & RADIX_MASK]++;
	for (p = 0; p < np; p++) {
		for (d = 0, sum = 0; d <= RADIX_MASK; d++) {
			t = cnt[p][d];
			cnt[p][d] = sum;
			sum += t;
		}
		for (i = 0; i < n; i++)
			b[cnt[p][(a[i].k >> sh[p]) & RADIX_MASK]++] = a[i];
		tmp = a;
		a = b;
		b = tmp;
	}
	free(cnt);
	return a;
}

static const uint32_t *rank_keys(struct hunt *h, enum hunt_col c,
    uint32_t *nkeys);

/* Per group, the key of column c in direction desc, into kg. The text
 * columns' ranks per group are kept once worked out (a column sorted once
 * is sorted again), the figures are read afresh: exclusions change them. */
static void
col_keys(struct hunt *h, enum hunt_col c, int desc, uint64_t *kg)
{
	const uint32_t *r;
	uint32_t nr;
	size_t i;

	if (c <= HC_ACTIONTYPE) {
		r = rank_keys(h, c, &nr);
		for (i = 0; i < h->ng; i++)
			kg[i] = desc ? ~(uint64_t)r[i] : r[i];
		return;
	}
	for (i = 0; i < h->ng; i++)
		kg[i] = col_key(h, &h->g[i], c, desc);
}

/* Part of build_pos for one of two threads: the ranks of every column
 * of groups [lo, hi), in the groups' order; or the keys of column k of
 * a[lo, hi) from them. */
struct pos_part {
	struct hunt *h;
	struct rkey *a;
	size_t lo, hi;
	int k;
};

static void
pos_ranks(void *arg)
{
	struct pos_part *p = arg;
	size_t i;
	int k;

	for (i = p->lo; i < p->hi; i++)
		for (k = 0; k < K_N; k++)
			p->h->colrank[k][i] = (uint32_t)col_key(p->h, &p->h->g[i],
			    (enum hunt_col)k, 0);
}

static void
pos_keys(void *arg)
{
	struct pos_part *p = arg;
	const uint32_t *r = p->h->colrank[p->k];
	size_t i;

	for (i = p->lo; i < p->hi; i++)
		p->a[i].k = r[p->a[i].id];
}

/* fn over [0, n) in two halves, on two threads when n is worth it. */
static void
pos_run(struct hunt *h, struct rkey *a, int k, size_t n, par_fn fn)
{
	struct pos_part p[2] = { { h, a, 0, n / 2, k }, { h, a, n / 2, n, k } };

	if (par_use(n))
		par_two(fn, &p[0], fn, &p[1]);
	else {
		p[0].hi = n;
		fn(&p[0]);
	}
}

/* The groups in the order of their keys (the sort's last tie-breaker, a
 * total order since each group's keys differ): pos[g] is g's place. The
 * columns' ranks per group are kept for the sorts. */
static void
build_pos(struct hunt *h)
{
	size_t n = h->ng, i;
	struct rkey *a = xmalloc((n ? n : 1) * sizeof *a);
	struct rkey *b = xmalloc((n ? n : 1) * sizeof *b), *r;
	int k;

	for (k = 0; k < K_N; k++) {
		free(h->colrank[k]);
		h->colrank[k] = xmalloc((n ? n : 1) * sizeof **h->colrank);
	}
	/* Each group read once, in order, for all its columns. */
	pos_run(h, a, 0, n, pos_ranks);
	for (i = 0; i < n; i++)
		a[i].id = (uint32_t)i;
	for (k = K_N - 1; k >= 0; k--) {
		pos_run(h, a, k, n, pos_keys);
		r = radix_sort(a, b, n);
		if (r != a) {
			b = a;
			a = r;
		}
	}
	h->pos = xmalloc((n ? n : 1) * sizeof *h->pos);
	h->bypos = xmalloc((n ? n : 1) * sizeof *h->bypos);
	for (i = 0; i < n; i++) {
		h->pos[a[i].id] = (uint32_t)i;
		h->bypos[i] = a[i].id;
	}
	free(b);
	free(a);
}

/* What sorting needs, worked out once per hunt (at load, not on a key). */
static const uint32_t *fig_ranks(struct hunt *h, enum hunt_col c,
    uint32_t *nranks);

static void
sort_prepare(struct hunt *h)
{
	uint32_t nr;
	int c;

	if (h->rank == NULL)
		build_rank(h);
	if (h->pos == NULL) {
		build_pos(h);
		/* The figures' ranks too, for a console: a first sort by a
		 * time would take most of a frame ranking a million groups'
		 * times. A batch run sorts once and ranks what it sorts by. */
		for (c = HC_EARLIEST; c < HC_N && h->opts.keys; c++)
			fig_ranks(h, (enum hunt_col)c, &nr);
	}
}

static int
cmp_col(const struct hunt *h, const struct lh_group *a,
    const struct lh_group *b, enum hunt_col c)
{
	int64_t x, y;

	switch (c) {
	case HC_DOMAIN: case HC_NAME: case HC_LOGONTYPE: case HC_REMOTEIP:
	case HC_ACTIONTYPE:
		/* RemoteIP's rank is the second of the pair. */
		x = h->rank[2 * (size_t)a->key[c] + (c == HC_REMOTEIP)];
		y = h->rank[2 * (size_t)b->key[c] + (c == HC_REMOTEIP)];
		break;
	case HC_EARLIEST:
		x = a->first;
		y = b->first;
		break;
	case HC_LATEST:
		x = a->last;
		y = b->last;
		break;
	case HC_INSTANCES:
		/* Unsigned: a count from an exported result may pass 2^63. */
		return (a->count > b->count) - (a->count < b->count);
	case HC_DISTINCT:
		x = a->devices;
		y = b->devices;
		break;
	default:
		return 0;
	}
	return (x > y) - (x < y);
}

int
hunt_cmp(struct hunt *h, const struct hunt_sort *s, uint32_t ia, uint32_t ib)
{
	const struct lh_group *a = &h->g[ia], *b = &h->g[ib];
	int c;

	sort_prepare(h);
	if ((c = cmp_col(h, a, b, s->col)) != 0)
		return s->desc ? -c : c;
	if (s->col2 >= 0 && (c = cmp_col(h, a, b, (enum hunt_col)s->col2)) != 0)
		return s->desc2 ? -c : c;
	/* The keys in order, as their ranks compare: their place. */
	return (h->pos[ia] > h->pos[ib]) - (h->pos[ia] < h->pos[ib]);
}

/* The sort's scratch, kept from one sort to the next: a key press does
 * not pay for fresh pages. */
static void
sort_scratch(struct hunt *h)
{
	size_t n = h->ng ? h->ng : 1;

	if (h->sort_a != NULL)
		return;
	h->sort_a = xmalloc(n * sizeof *h->sort_a);
	h->sort_b = xmalloc(n * sizeof *h->sort_b);
	h->sort_kg = xmalloc(n * sizeof *h->sort_kg);
	h->sort_u = xmalloc(n * sizeof *h->sort_u);
	h->sort_k = xmalloc(n * sizeof *h->sort_k);
	h->sort_in = xcalloc(n, 1);
}

void
hunt_sort_done(struct hunt *h)
{
	int k;

	for (k = 0; k < K_N; k++) {
		free(h->colrank[k]);
		h->colrank[k] = NULL;
	}
	for (k = 0; k < HC_N - HC_EARLIEST; k++) {
		free(h->figrank[k]);
		h->figrank[k] = NULL;
	}
	free(h->sort_a);
	free(h->sort_b);
	free(h->sort_kg);
	free(h->sort_u);
	free(h->sort_k);
	free(h->sort_cnt);
	free(h->sort_in);
	h->sort_a = h->sort_b = NULL;
	h->sort_kg = NULL;
	h->sort_u = h->sort_k = h->sort_cnt = NULL;
	h->sort_ncnt = 0;
	h->sort_in = NULL;
}

/* Sorts a (ids with their places) by the column s says, then by the
 * first: least significant first, each pass stable. */
static void
sort_keyed(struct hunt *h, const struct hunt_sort *s, struct rkey *a,
    size_t n, uint32_t *ids)
{
	struct rkey *b, *r;
	uint64_t *kg;
	size_t i;
	int pass;

	sort_scratch(h);
	b = a == h->sort_a ? h->sort_b : h->sort_a;
	kg = h->sort_kg;

	r = radix_sort(a, b, n);
	for (pass = 0; pass < 2; pass++) {
		if (pass == 0 && s->col2 < 0)
			continue;
		if (pass == 0)
			col_keys(h, (enum hunt_col)s->col2, s->desc2, kg);
		else
			col_keys(h, s->col, s->desc, kg);
		for (i = 0; i < n; i++)
			r[i].k = kg[r[i].id];
		r = radix_sort(r, r == a ? b : a, n);
	}
	for (i = 0; i < n; i++)
		ids[i] = r[i].id;
}

/* Per group, the dense ranks of base figures of column c (Earliest and
 * after): the figures every group has when no device rule takes any of
 * its events, which a shown group at its base count has now. Worked out
 * once, by a radix sort of every group. */
static const uint32_t *
fig_ranks(struct hunt *h, enum hunt_col c, uint32_t *nranks)
{
	int f = (int)c - HC_EARLIEST;
	size_t i, n = h->ng;
	uint32_t *stamp = NULL, r = 0, *out;
	struct rkey *a, *b, *z;

	if (h->figrank[f] != NULL) {
		*nranks = h->nfigrank[f];
		return h->figrank[f];
	}
	sort_scratch(h);
	a = h->sort_a;
	b = h->sort_b;
	for (i = 0; i < n; i++) {
		struct lh_group t = h->g[i];

		if (!t.preset && t.count != t.base_count && !h->events_gone) {
			/* Excluded, or some events taken by a device rule: its
			 * base figures are those of all its events (without
			 * them, hunt_forget_events, only whole groups were
			 * excluded, their figures left as they were). */
			if (stamp == NULL)
				stamp = xcalloc(strtab_count(h->d->st) ?
				    strtab_count(h->d->st) : 1, sizeof *stamp);
			group_stats(h, &t, stamp, (uint32_t)i, 0);
		}
		t.count = t.base_count;
		a[i].k = col_key(h, &t, c, 0);
		a[i].id = (uint32_t)i;
	}
	free(stamp);
	z = radix_sort(a, b, n);
	out = xmalloc((n ? n : 1) * sizeof *out);
	for (i = 0; i < n; i++) {
		if (i > 0 && z[i].k != z[i - 1].k)
			r++;
		out[z[i].id] = r;
	}
	h->figrank[f] = out;
	h->nfigrank[f] = n ? r + 1 : 0;
	*nranks = h->nfigrank[f];
	return out;
}

/* Per group, a key of column c whose order is the column's (ascending),
 * all below *nkeys: the rank of its text, or of its base figure. */
static const uint32_t *
rank_keys(struct hunt *h, enum hunt_col c, uint32_t *nkeys)
{
	size_t i;

	if (c >= HC_EARLIEST)
		return fig_ranks(h, c, nkeys);
	if (h->colrank[c] == NULL) {
		h->colrank[c] = xmalloc((h->ng ? h->ng : 1) * sizeof **h->colrank);
		for (i = 0; i < h->ng; i++)
			h->colrank[c][i] = h->rank[2 * (size_t)h->g[i].key[c] +
			    (c == HC_REMOTEIP)];
	}
	*nkeys = strtab_count(h->d->st);
	return h->colrank[c];
}

/* Stable counting sort of src[0..n) into dst by key[id], descending when
 * desc (ties keep their order either way). */
static void
count_sort(struct hunt *h, const uint32_t *key, uint32_t nkeys, int desc,
    const uint32_t *src, uint32_t *dst, size_t n)
{
	uint32_t *cnt, *kk = h->sort_k, sum = 0, t;
	size_t i, d;

	if (h->sort_ncnt < (size_t)nkeys + 1) {
		free(h->sort_cnt);
		h->sort_ncnt = (size_t)nkeys + 1;
		h->sort_cnt = xmalloc(h->sort_ncnt * sizeof *h->sort_cnt);
	}
	cnt = h->sort_cnt;
	memset(cnt, 0, ((size_t)nkeys + 1) * sizeof *cnt);
	for (i = 0; i < n; i++) {
		kk[i] = key[src[i]];
		cnt[kk[i]]++;
	}
	for (d = 0; d < nkeys; d++) {
		size_t b = desc ? nkeys - 1 - d : d;
		t = cnt[b];
		cnt[b] = sum;
		sum += t;
	}
	for (i = 0; i < n; i++)
		dst[cnt[kk[i]]++] = src[i];
}

/* The sort by counting: the rows in the order of their places (the last
 * tie-breaker), then stably by the second column, then by the first,
 * each over dense ranks, so a sort is a few linear passes. Figures are
 * ranked as they were before any exclusion, so this is used only when
 * every row has those; returns 0 (ids untouched) when one has not. */
static int
sort_counted(struct hunt *h, const struct hunt_sort *s, uint32_t *ids,
    size_t n)
{
	const uint32_t *k1, *k2 = NULL;
	uint32_t n1, n2 = 0, *u;
	uint8_t *in;
	int figs = s->col >= HC_EARLIEST || s->col2 >= HC_EARLIEST;
	size_t i, m = 0;

	sort_scratch(h);
	in = h->sort_in;
	u = h->sort_u;
	for (i = 0; i < n; i++) {
		const struct lh_group *g = &h->g[ids[i]];

		/* (A row given twice is sorted the other way.) */
		if ((figs && g->count != g->base_count) || in[ids[i]])
			break;
		in[ids[i]] = 1;
	}
	if (i < n) {
		while (i-- > 0)
			in[ids[i]] = 0;
		return 0;
	}
	k1 = rank_keys(h, s->col, &n1);
	if (s->col2 >= 0)
		k2 = rank_keys(h, (enum hunt_col)s->col2, &n2);
	/* In place order into ids (then sorted into u by the second column)
	 * or straight into u. */
	for (i = 0; i < h->ng; i++) {
		uint32_t g = h->bypos[i];

		if (in[g]) {
			in[g] = 0;
			(k2 ? ids : u)[m++] = g;
		}
	}
	if (k2 != NULL)
		count_sort(h, k2, n2, s->desc2, ids, u, n);
	count_sort(h, k1, n1, s->desc, u, ids, n);
	return 1;
}

void
hunt_sort_ids(struct hunt *h, const struct hunt_sort *s, uint32_t *ids,
    size_t n)
{
	struct rkey *a;
	size_t i;

	sort_prepare(h);
	if (n < 2 || sort_counted(h, s, ids, n))
		return;
	sort_scratch(h);
	a = h->sort_a;
	for (i = 0; i < n; i++) {
		a[i].id = ids[i];
		a[i].k = h->pos[ids[i]];
	}
	sort_keyed(h, s, a, n, ids);
}

size_t
hunt_rows(struct hunt *h, const struct hunt_sort *s, uint32_t *rows)
{
	struct rkey *a;
	size_t i, n = 0;

	sort_prepare(h);
	/* Taken in the keys' order, the first pass has nothing to do. */
	for (i = 0; i < h->ng; i++)
		if (h->g[h->bypos[i]].count > 0)
			rows[n++] = h->bypos[i];
	if (n < 2 || sort_counted(h, s, rows, n))
		return n;
	sort_scratch(h);
	a = h->sort_a;
	for (i = 0; i < n; i++) {
		a[i].id = rows[i];
		a[i].k = 0;
	}
	sort_keyed(h, s, a, n, rows);
	return n;
}

int
hunt_at_base(const struct hunt *h)
{
	/* Counted by hunt_apply, which alone changes figures. */
	return h->off_base == 0;
}

/* The order sort_counted gives, as a comparison of two groups at their
 * base figures: the first column's rank, the second's, then the place. */
struct rank_order {
	const uint32_t *k1, *k2, *pos;
	int desc1, desc2;
};

static int
ranks_cmp(const struct rank_order *o, uint32_t a, uint32_t b)
{
	if (o->k1[a] != o->k1[b])
		return (o->k1[a] < o->k1[b]) == !o->desc1 ? -1 : 1;
	if (o->k2 != NULL && o->k2[a] != o->k2[b])
		return (o->k2[a] < o->k2[b]) == !o->desc2 ? -1 : 1;
	return (o->pos[a] > o->pos[b]) - (o->pos[a] < o->pos[b]);
}

size_t
hunt_rows_update(struct hunt *h, const struct hunt_sort *s,
    const uint32_t *prev, size_t nprev, int prev_base, uint32_t *rows)
{
	struct rank_order o;
	uint32_t *add, *kept, n1, n2;
	uint8_t *was;
	size_t n = 0, k = 0, i, a, b, m;

	if (!prev_base || !hunt_at_base(h))
		return hunt_rows(h, s, rows);
	sort_prepare(h);
	was = xcalloc(h->ng ? h->ng : 1, 1);
	add = xmalloc((h->ng ? h->ng : 1) * sizeof *add);
	kept = xmalloc((h->ng ? h->ng : 1) * sizeof *kept);
	for (i = 0; i < nprev; i++) {
		was[prev[i]] = 1;
		if (h->g[prev[i]].count)
			kept[n++] = prev[i];
	}
	for (i = 0; i < h->ng; i++)
		if (!was[i] && h->g[i].count)
			add[k++] = (uint32_t)i;
	hunt_sort_ids(h, s, add, k);
	/* Every row is at its base figures: the rows compare by their
	 * ranks, worked out at load, not by their text. */
	o.k1 = rank_keys(h, s->col, &n1);
	o.k2 = s->col2 >= 0 ? rank_keys(h, (enum hunt_col)s->col2, &n2) : NULL;
	o.pos = h->pos;
	o.desc1 = s->desc;
	o.desc2 = s->desc2;
	/* Each new row goes after the kept rows not above it: found by
	 * halving when a few come back among a million, by walking both
	 * lists when many do (a category switched). */
	for (a = b = m = 0; b < k; b++) {
		size_t lo = a, hi = n, mid;

		if (k > n / 16)
			while (lo < n && ranks_cmp(&o, kept[lo], add[b]) <= 0)
				lo++;
		else
			while (lo < hi) {
				mid = lo + (hi - lo) / 2;
				if (ranks_cmp(&o, kept[mid], add[b]) <= 0)
					lo = mid + 1;
				else
					hi = mid;
			}
		memcpy(rows + m, kept + a, (lo - a) * sizeof *rows);
		m += lo - a;
		a = lo;
		rows[m++] = add[b];
	}
	memcpy(rows + m, kept + a, (n - a) * sizeof *rows);
	m += n - a;
	free(kept);
	free(add);
	free(was);
	return m;
}

int
hunt_sort_parse(const char *s, struct hunt_sort *out)
{
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	int c;

	for (c = 0; c < HC_N; c++)
		if (strlen(col_names[c]) == n && strncasecmp(col_names[c], s, n) == 0)
			break;
	if (c == HC_N)
		return -1;
	out->col = (enum hunt_col)c;
	/* Counts read best largest first, text in alphabetical order. */
	out->desc = c >= HC_EARLIEST;
	out->col2 = -1;
	out->desc2 = 0;
	if (colon != NULL) {
		if (strcasecmp(colon + 1, "asc") == 0)
			out->desc = 0;
		else if (strcasecmp(colon + 1, "desc") == 0)
			out->desc = 1;
		else
			return -1;
	}
	return 0;
}

/* Decimal digits of v (at most 20, NUL-terminated); by hand, since
 * printf dominated writing a summary of a million groups. */
static size_t
format_u64(char *buf, uint64_t v)
{
	char tmp[20];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

const char *
hunt_cell(const struct hunt *h, const struct lh_group *g, enum hunt_col c,
    char *buf, size_t *len)
{
	switch (c) {
	case HC_DOMAIN: case HC_NAME: case HC_LOGONTYPE: case HC_REMOTEIP:
	case HC_ACTIONTYPE:
		*len = strtab_len(h->d->st, g->key[c]);
		return strtab_str(h->d->st, g->key[c]);
	case HC_EARLIEST:
		*len = ts_format(g->first, buf);
		return buf;
	case HC_LATEST:
		*len = ts_format(g->last, buf);
		return buf;
	case HC_INSTANCES:
		*len = format_u64(buf, g->count);
		return buf;
	case HC_DISTINCT:
		*len = format_u64(buf, g->devices);
		return buf;
	default:
		*len = 0;
		return "";
	}
}

void
hunt_prefetch(const struct hunt *h, uint32_t gi, int stage)
{
	const struct lh_group *g = &h->g[gi];
	int k;

	if (stage == 0) {
		/* 80 bytes: the figures may lie on the next line. */
		__builtin_prefetch(g);
		__builtin_prefetch((const char *)(g + 1) - 1);
		return;
	}
	for (k = 0; k < K_N; k++)
		strtab_prefetch(h->d->st, g->key[k], stage == 2);
}

char *
hunt_since_hint(const struct hunt *h)
{
	const struct table_data *d = h->d;
	int64_t newest = TS_NONE;
	char from[TS_BUFSZ], last[TS_BUFSZ];

	if (h->opts.since <= 0 || h->opts.since_data || d->npresum > 0 ||
	    h->f.public_logons == 0 || h->f.removed_window != h->f.public_logons)
		return NULL;
	newest = newest_logon(d);
	if (newest == TS_NONE)
		return NULL;
	ts_format(h->opts.from, from);
	ts_format(newest, last);
	if (newest >= h->opts.from)
		return NULL;	/* emptied by --until or --from, not --since */
	return xasprintf("no Public logon in the --since window (from %s, "
	    "counted from now); the newest in the data is %s: add "
	    "--relative-to-data to count --since from the newest logon", from,
	    last);
}

unsigned
hunt_missing_tables(const struct hunt *h)
{
	unsigned m = 0;

	/* An exported result was summarised where the joins ran. */
	if (h->d->npresum > 0)
		return 0;
	if (h->d->rows[LH_NETWORK] == 0)
		m |= 1u << LH_NETWORK;
	if (h->d->rows[LH_IDENTITY] == 0)
		m |= 1u << LH_IDENTITY;
	return m;
}

const char *
hunt_missing_note(enum lh_table t)
{
	switch (t) {
	case LH_NETWORK:
		return "no DeviceNetworkInfo loaded: every public IP counts as "
		    "unknown";
	case LH_IDENTITY:
		return "no IdentityLogonEvents loaded: no public IP is cleared by "
		    "identity logons";
	default:
		return "";
	}
}
