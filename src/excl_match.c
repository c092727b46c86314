#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "excl.h"
#include "excl_fold.h"
#include "excl_rule.h"
#include "excl_value.h"
#include "iptrie.h"
#include "sha256.h"
#include "util.h"

/* ------------------------------------------------------------ matcher */

struct pattern {
	long rule;
	int any_domain;
	uint32_t *dom, *name;
	size_t dn, nn;
};

/* Patterns indexed by their literal prefix (the characters before any
 * '*'), so that a lookup tries only patterns that can match: level k holds
 * the patterns whose prefix has k characters (k = PLEVELS: at least that
 * many), bucketed by a hash of those k; the last list holds patterns that
 * start with '*'. Every list is in rule order. */
#define PLEVELS 16
#define PBUCKETS 256
struct pindex {
	size_t *list[PLEVELS][PBUCKETS];
	size_t n[PLEVELS][PBUCKETS];
	size_t *star;
	size_t nstar;
};

/* asn and owner rules, in file order: few, and asked once per distinct
 * address, so a list is enough. */
struct info_rule {
	long rule;
	uint32_t asn;		/* 0 for an owner rule */
	struct pattern owner;
};

struct excl_matcher {
	struct iptrie *ips;
	struct pattern *acct, *dev;
	size_t nacct, ndev, nrules;
	struct pindex acct_idx, dev_idx;
	struct info_rule *info;
	size_t ninfo;
	struct iptrie_prefix *pfx;	/* the address rules, in file order */
	size_t npfx;
	/* Per kind of value (enum excl_sig), a digest of the rules compiled
	 * for it: equal digests, equal answers. */
	unsigned char sig[EXCL_SIG_N][SHA256_LEN];
};

static size_t
prefix_hash(const uint32_t *p, size_t k)
{
	size_t i, h = 2166136261u;

	for (i = 0; i < k; i++)
		h = (h ^ p[i]) * 16777619u;
	return h % PBUCKETS;
}

static void
pindex_build(struct pindex *ix, const struct pattern *pt, size_t n)
{
	/* The lists' capacities matter only while they grow: on this call's
	 * stack, so that builds share nothing and can run in parallel. */
	size_t cap[PLEVELS][PBUCKETS];
	size_t i, k, b, capstar = 0;

	memset(cap, 0, sizeof cap);
	for (i = 0; i < n; i++) {
		for (k = 0; k < pt[i].nn && k < PLEVELS && pt[i].name[k] != EXCL_STAR; k++)
			;
		if (k == 0) {
			ix->star = xgrow(ix->star, &capstar, ix->nstar + 1, sizeof (size_t));
			ix->star[ix->nstar++] = i;
			continue;
		}
		b = prefix_hash(pt[i].name, k);
		ix->list[k - 1][b] = xgrow(ix->list[k - 1][b], &cap[k - 1][b],
		    ix->n[k - 1][b] + 1, sizeof (size_t));
		ix->list[k - 1][b][ix->n[k - 1][b]++] = i;
	}
}

static void
pindex_free(struct pindex *ix)
{
	size_t k, b;

	for (k = 0; k < PLEVELS; k++)
		for (b = 0; b < PBUCKETS; b++)
			free(ix->list[k][b]);
	free(ix->star);
}

/* The first pattern in rule order that accepts the subject, trying only
 * the buckets its own first characters lead to. */
static long
pindex_match(const struct pindex *ix, const struct pattern *pt,
    const uint32_t *name, size_t nn, const uint32_t *dom, size_t dn)
{
	const size_t *l[PLEVELS + 1];
	size_t ln[PLEVELS + 1], pos[PLEVELS + 1] = { 0 }, nl = 0, k, b, best;

	l[nl] = ix->star;
	ln[nl++] = ix->nstar;
	for (k = 1; k <= PLEVELS && k <= nn; k++) {
		b = prefix_hash(name, k);
		l[nl] = ix->list[k - 1][b];
		ln[nl++] = ix->n[k - 1][b];
	}
	/* Merge the lists in rule order; the first acceptance wins. */
	for (;;) {
		best = nl;
		for (k = 0; k < nl; k++)
			if (pos[k] < ln[k] && (best == nl || l[k][pos[k]] < l[best][pos[best]]))
				best = k;
		if (best == nl)
			return -1;
		k = l[best][pos[best]++];
		if (excl_glob(pt[k].name, pt[k].nn, name, nn) &&
		    (pt[k].any_domain || excl_glob(pt[k].dom, pt[k].dn, dom, dn)))
			return pt[k].rule;
	}
}

static uint32_t *
fold_alloc(const char *s, size_t n, size_t *outn)
{
	uint32_t *p = xmalloc((n + 1) * sizeof *p);

	*outn = excl_fold(s, n, p, 1);
	return p;
}

static void
pattern_make(struct pattern *pt, const struct excl_rule *r, long index)
{
	const char *bs = r->kind == EXCL_ACCOUNT ? strchr(r->text, '\\') : NULL;

	memset(pt, 0, sizeof *pt);
	pt->rule = index;
	if (bs == NULL) {
		pt->any_domain = 1;
		pt->name = fold_alloc(r->text, strlen(r->text), &pt->nn);
	} else {
		pt->dom = fold_alloc(r->text, (size_t)(bs - r->text), &pt->dn);
		pt->name = fold_alloc(bs + 1, strlen(bs + 1), &pt->nn);
	}
}

/* Which rules compile_rules takes: those that apply now (excl_compile),
 * those that would if their category were on (COMPILE_ANY_CATEGORY), or
 * those of one category (cat >= 0) that would. */
#define COMPILE_ACTIVE (-1L)
#define COMPILE_ANY_CATEGORY (-2L)

static struct excl_matcher *
compile_rules(const struct excl_set *s, time_t now, long which)
{
	struct excl_matcher *m = xcalloc(1, sizeof *m);
	size_t n = excl_rule_count(s), i;

	struct sha256 sig[EXCL_SIG_N];
	enum excl_state st;
	int k;

	for (k = 0; k < EXCL_SIG_N; k++)
		sha256_init(&sig[k]);
	m->ips = iptrie_new();
	for (i = 0; i < n; i++) {
		const struct excl_rule *r = excl_rule_at(s, i);
		const char *text = excl_rule_text(s, i);
		uint64_t at = i, cat = r->cat;

		st = excl_rule_state(s, i, now);
		if (which == COMPILE_ACTIVE ? st != EXCL_ACTIVE :
		    (st != EXCL_ACTIVE && st != EXCL_CATEGORY_OFF) ||
		    (which >= 0 && r->cat != (size_t)which))
			continue;
		m->nrules++;
		/* The rule's place decides ties; its kind and text, what it
		 * matches (the text with its NUL, so texts cannot run on);
		 * matched per category, its category too. */
		k = r->kind == EXCL_ACCOUNT ? EXCL_SIG_ACCOUNT :
		    r->kind == EXCL_DEVICE ? EXCL_SIG_DEVICE : EXCL_SIG_IP;
		sha256_update(&sig[k], &at, sizeof at);
		sha256_update(&sig[k], &r->kind, sizeof r->kind);
		sha256_update(&sig[k], text, strlen(text) + 1);
		if (which != COMPILE_ACTIVE)
			sha256_update(&sig[k], &cat, sizeof cat);
		switch (r->kind) {
		case EXCL_IP:
			iptrie_add(m->ips, &r->addr, r->pflen, (long)i);
			m->pfx = xrealloc(m->pfx, (m->npfx + 1) * sizeof *m->pfx);
			m->pfx[m->npfx].addr = r->addr;
			m->pfx[m->npfx].pflen = r->pflen;
			m->pfx[m->npfx++].value = (long)i;
			break;
		case EXCL_ACCOUNT:
			m->acct = xrealloc(m->acct, (m->nacct + 1) * sizeof *m->acct);
			pattern_make(&m->acct[m->nacct++], r, (long)i);
			break;
		case EXCL_DEVICE:
			m->dev = xrealloc(m->dev, (m->ndev + 1) * sizeof *m->dev);
			pattern_make(&m->dev[m->ndev++], r, (long)i);
			break;
		case EXCL_ASN:
		case EXCL_OWNER:
			m->info = xrealloc(m->info, (m->ninfo + 1) * sizeof *m->info);
			memset(&m->info[m->ninfo], 0, sizeof *m->info);
			m->info[m->ninfo].rule = (long)i;
			if (r->kind == EXCL_ASN)
				m->info[m->ninfo].asn = r->asn;
			else
				pattern_make(&m->info[m->ninfo].owner, r, (long)i);
			m->ninfo++;
			break;
		}
	}
	iptrie_build(m->ips);
	pindex_build(&m->acct_idx, m->acct, m->nacct);
	pindex_build(&m->dev_idx, m->dev, m->ndev);
	for (k = 0; k < EXCL_SIG_N; k++)
		sha256_final(&sig[k], m->sig[k]);
	return m;
}

struct excl_matcher *
excl_compile(const struct excl_set *s, time_t now)
{
	return compile_rules(s, now, COMPILE_ACTIVE);
}

const unsigned char *
excl_matcher_sig(const struct excl_matcher *m, enum excl_sig what)
{
	return m != NULL ? m->sig[what] : NULL;
}

void
excl_matcher_free(struct excl_matcher *m)
{
	size_t i;

	if (m == NULL)
		return;
	iptrie_free(m->ips);
	for (i = 0; i < m->nacct; i++) {
		free(m->acct[i].dom);
		free(m->acct[i].name);
	}
	for (i = 0; i < m->ndev; i++)
		free(m->dev[i].name);
	for (i = 0; i < m->ninfo; i++)
		free(m->info[i].owner.name);
	free(m->info);
	free(m->pfx);
	free(m->acct);
	free(m->dev);
	pindex_free(&m->acct_idx);
	pindex_free(&m->dev_idx);
	free(m);
}

const struct iptrie_prefix *
excl_matcher_ip_prefixes(const struct excl_matcher *m, size_t *n)
{
	*n = 0;
	if (m == NULL || m->ninfo > 0)
		return NULL;
	*n = m->npfx;
	/* Not NULL when there is none: no address rule is known too. */
	return m->pfx != NULL ? m->pfx : (const struct iptrie_prefix *)m;
}

size_t
excl_matcher_size(const struct excl_matcher *m)
{
	return m->nrules;
}

long
excl_match_ip(const struct excl_matcher *m, const char *ip, size_t n)
{
	struct iptrie_addr a;

	if (m == NULL || iptrie_parse(ip, n, &a) != 0)
		return -1;
	return iptrie_lookup(m->ips, &a);
}

/* Folded input in a stack buffer when it fits; the matcher itself is never
 * written to, so lookups can run in parallel. */
struct folded {
	uint32_t small[128];
	uint32_t *p;
	size_t n;
};

static void
folded_init(struct folded *f, const char *s, size_t n)
{
	f->p = n <= sizeof f->small / sizeof f->small[0] ? f->small :
	    xmalloc(n * sizeof *f->p);
	f->n = excl_fold(s != NULL ? s : "", s != NULL ? n : 0, f->p, 0);
}

static void
folded_free(struct folded *f)
{
	if (f->p != f->small)
		free(f->p);
}

long
excl_match_account(const struct excl_matcher *m, const char *domain, size_t dn,
    const char *name, size_t nn)
{
	struct folded d, nm;
	long hit;

	if (m == NULL || m->nacct == 0)
		return -1;
	folded_init(&d, domain, dn);
	folded_init(&nm, name, nn);
	hit = pindex_match(&m->acct_idx, m->acct, nm.p, nm.n, d.p, d.n);
	folded_free(&d);
	folded_free(&nm);
	return hit;
}

long
excl_match_device(const struct excl_matcher *m, const char *device, size_t n)
{
	struct folded d;
	long hit;

	if (m == NULL || m->ndev == 0)
		return -1;
	folded_init(&d, device, n);
	hit = pindex_match(&m->dev_idx, m->dev, d.p, d.n, NULL, 0);
	folded_free(&d);
	return hit;
}

int
excl_matcher_needs_ipinfo(const struct excl_matcher *m)
{
	return m != NULL && m->ninfo > 0;
}

long
excl_match_ipinfo(const struct excl_matcher *m, uint32_t asn,
    const char *owner, size_t n)
{
	struct folded f;
	size_t i;
	long hit = -1;

	if (m == NULL || m->ninfo == 0)
		return -1;
	folded_init(&f, owner, n);
	for (i = 0; i < m->ninfo && hit < 0; i++) {
		const struct info_rule *ir = &m->info[i];

		if (ir->asn != 0 ? ir->asn == asn :
		    n > 0 && excl_glob(ir->owner.name, ir->owner.nn, f.p, f.n))
			hit = ir->rule;
	}
	folded_free(&f);
	return hit;
}

/* ------------------------------------------------------------ per category */

/* The rules of every category, on or off, and each category's alone: a
 * value is asked of the first, and only when some rule takes it, of each
 * category that has rules of its kind. */
struct excl_classes {
	struct excl_matcher *any;
	struct excl_matcher *cat[EXCL_CLASSES_MAX];	/* NULL: no rule */
	size_t ncat;
	uint8_t kcat[EXCL_SIG_N][EXCL_CLASSES_MAX];	/* with rules of a kind */
	size_t nkcat[EXCL_SIG_N];
	uint8_t *rule_cat;	/* per rule of the set */
	uint64_t *prec;		/* per rule of the set */
	uint8_t *pfx_cat;	/* per address rule of any, its category */
	time_t until;		/* 0, or when a rule compiled may expire */
};

static int
sig_of_kind(enum excl_kind k)
{
	return k == EXCL_ACCOUNT ? EXCL_SIG_ACCOUNT :
	    k == EXCL_DEVICE ? EXCL_SIG_DEVICE : EXCL_SIG_IP;
}

struct excl_classes *
excl_classes_compile(const struct excl_set *s, time_t now)
{
	size_t nc = excl_category_count(s), n = excl_rule_count(s), i, j;
	struct excl_classes *c;
	int has[EXCL_SIG_N];
	enum excl_state st;

	if (nc > EXCL_CLASSES_MAX)
		return NULL;
	/* asn and owner rules answer through the enrichment, asked afresh
	 * at each apply: nothing is kept per category. */
	for (i = 0; i < n; i++) {
		enum excl_kind k = excl_rule_kind(s, i);

		st = excl_rule_state(s, i, now);
		if ((k == EXCL_ASN || k == EXCL_OWNER) &&
		    (st == EXCL_ACTIVE || st == EXCL_CATEGORY_OFF))
			return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->ncat = nc;
	c->any = compile_rules(s, now, COMPILE_ANY_CATEGORY);
	c->rule_cat = xcalloc(n + 1, sizeof *c->rule_cat);
	c->prec = xcalloc(n + 1, sizeof *c->prec);
	for (i = 0; i < n; i++) {
		const struct excl_rule *r = excl_rule_at(s, i);

		c->rule_cat[i] = (uint8_t)r->cat;
		/* The longest prefix first, then the earliest rule: as
		 * excl_match_ip; other kinds, the earliest rule. */
		c->prec[i] = r->kind == EXCL_IP ?
		    (uint64_t)(255 - r->pflen) << 32 | i : i;
		st = excl_rule_state(s, i, now);
		if ((st == EXCL_ACTIVE || st == EXCL_CATEGORY_OFF) &&
		    r->until != 0 && (c->until == 0 || r->until < c->until))
			c->until = r->until;
	}
	for (j = 0; j < nc; j++) {
		memset(has, 0, sizeof has);
		for (i = 0; i < n; i++) {
			const struct excl_rule *r = excl_rule_at(s, i);

			st = excl_rule_state(s, i, now);
			if (r->cat == j && (st == EXCL_ACTIVE ||
			    st == EXCL_CATEGORY_OFF))
				has[sig_of_kind(r->kind)] = 1;
		}
		if (!has[0] && !has[1] && !has[2])
			continue;
		c->cat[j] = compile_rules(s, now, (long)j);
		for (i = 0; i < EXCL_SIG_N; i++)
			if (has[i])
				c->kcat[i][c->nkcat[i]++] = (uint8_t)j;
	}
	c->pfx_cat = xmalloc((c->any->npfx + 1) * sizeof *c->pfx_cat);
	for (i = 0; i < c->any->npfx; i++)
		c->pfx_cat[i] = c->rule_cat[c->any->pfx[i].value];
	return c;
}

void
excl_classes_free(struct excl_classes *c)
{
	size_t j;

	if (c == NULL)
		return;
	excl_matcher_free(c->any);
	for (j = 0; j < c->ncat; j++)
		excl_matcher_free(c->cat[j]);
	free(c->rule_cat);
	free(c->prec);
	free(c->pfx_cat);
	free(c);
}

const uint64_t *
excl_classes_prec(const struct excl_classes *c)
{
	return c->prec;
}

const unsigned char *
excl_classes_sig(const struct excl_classes *c, enum excl_sig what)
{
	return c->any->sig[what];
}

const struct iptrie_prefix *
excl_classes_ip_prefixes(const struct excl_classes *c, size_t *n,
    const uint8_t **cats)
{
	*cats = c->pfx_cat;
	return excl_matcher_ip_prefixes(c->any, n);
}

time_t
excl_classes_until(const struct excl_classes *c)
{
	return c->until;
}

uint64_t
excl_classes_match_ip(const struct excl_classes *c, const char *ip, size_t n,
    int32_t *rules)
{
	struct iptrie_addr a;
	uint64_t mask = 0;
	size_t k, j = 0, cat;
	long r, rr;

	if (iptrie_parse(ip, n, &a) != 0 || (r = iptrie_lookup(c->any->ips,
	    &a)) < 0)
		return 0;
	for (k = 0; k < c->nkcat[EXCL_SIG_IP]; k++) {
		cat = c->kcat[EXCL_SIG_IP][k];
		/* The best of all is the best of its own category. */
		rr = cat == c->rule_cat[r] ? r : iptrie_lookup(c->cat[cat]->ips,
		    &a);
		if (rr >= 0) {
			mask |= (uint64_t)1 << cat;
			rules[j++] = (int32_t)rr;
		}
	}
	return mask;
}

/* A value of a pattern kind (what: EXCL_SIG_ACCOUNT or _DEVICE), folded. */
static uint64_t
classes_match_pattern(const struct excl_classes *c, int what,
    const struct folded *nm, const struct folded *d, int32_t *rules)
{
	const struct excl_matcher *m = c->any;
	uint64_t mask = 0;
	size_t k, j = 0, cat;
	long r, rr;

	r = what == EXCL_SIG_ACCOUNT ?
	    pindex_match(&m->acct_idx, m->acct, nm->p, nm->n, d->p, d->n) :
	    pindex_match(&m->dev_idx, m->dev, nm->p, nm->n, NULL, 0);
	if (r < 0)
		return 0;
	for (k = 0; k < c->nkcat[what]; k++) {
		cat = c->kcat[what][k];
		m = c->cat[cat];
		rr = cat == c->rule_cat[r] ? r : what == EXCL_SIG_ACCOUNT ?
		    pindex_match(&m->acct_idx, m->acct, nm->p, nm->n, d->p, d->n) :
		    pindex_match(&m->dev_idx, m->dev, nm->p, nm->n, NULL, 0);
		if (rr >= 0) {
			mask |= (uint64_t)1 << cat;
			rules[j++] = (int32_t)rr;
		}
	}
	return mask;
}

uint64_t
excl_classes_match_account(const struct excl_classes *c, const char *domain,
    size_t dn, const char *name, size_t nn, int32_t *rules)
{
	struct folded d, nm;
	uint64_t mask;

	if (c->any->nacct == 0)
		return 0;
	folded_init(&d, domain, dn);
	folded_init(&nm, name, nn);
	mask = classes_match_pattern(c, EXCL_SIG_ACCOUNT, &nm, &d, rules);
	folded_free(&d);
	folded_free(&nm);
	return mask;
}

uint64_t
excl_classes_match_device(const struct excl_classes *c, const char *device,
    size_t n, int32_t *rules)
{
	struct folded d, none;
	uint64_t mask;

	if (c->any->ndev == 0)
		return 0;
	folded_init(&d, device, n);
	none.p = NULL;
	none.n = 0;
	mask = classes_match_pattern(c, EXCL_SIG_DEVICE, &d, &none, rules);
	folded_free(&d);
	return mask;
}

long
excl_classes_pick(const struct excl_classes *c, uint64_t on, uint64_t mask,
    const int32_t *rules)
{
	long best = -1;
	size_t k = 0;

	for (; mask != 0; mask &= mask - 1, k++)
		if ((on & mask & -mask) != 0 &&
		    (best < 0 || c->prec[rules[k]] < c->prec[best]))
			best = rules[k];
	return best;
}

/* ------------------------------------------------------------ check */

static int
prefix_contains(const struct excl_rule *r, const struct iptrie_addr *a)
{
	int full = r->pflen / 8, rest = r->pflen % 8;
	uint8_t mask;

	if (r->addr.family != a->family)
		return 0;
	if (memcmp(r->addr.a, a->a, (size_t)full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (r->addr.a[full] & mask) == (a->a[full] & mask);
}

static void
hit_add(struct excl_hit **hits, size_t *n, size_t *cap, const struct excl_set *s,
    size_t i, time_t now, char *reason)
{
	*hits = xgrow(*hits, cap, *n + 1, sizeof **hits);
	(*hits)[*n].rule = i;
	(*hits)[*n].state = excl_rule_state(s, i, now);
	(*hits)[*n].reason = reason;
	(*n)++;
}

size_t
excl_check(const struct excl_set *s, time_t now, const char *ip,
    const char *domain, const char *name, const char *device,
    struct excl_hit **hits)
{
	struct iptrie_addr a;
	int have_ip = ip != NULL && iptrie_parse(ip, strlen(ip), &a) == 0;
	struct folded fd, fn, fdev;
	struct pattern pt;
	size_t i, n = 0, cap = 0;

	*hits = NULL;
	folded_init(&fd, domain, domain ? strlen(domain) : 0);
	folded_init(&fn, name, name ? strlen(name) : 0);
	folded_init(&fdev, device, device ? strlen(device) : 0);
	for (i = 0; i < excl_rule_count(s); i++) {
		const struct excl_rule *r = excl_rule_at(s, i);
		char *net;

		switch (r->kind) {
		case EXCL_IP:
			if (!have_ip || !prefix_contains(r, &a))
				break;
			net = excl_net_format(&r->addr, r->pflen, 0);
			hit_add(hits, &n, &cap, s, i, now, xasprintf("%s %s %s",
			    ip, strchr(net, '/') ? "is in" : "is", net));
			free(net);
			break;
		case EXCL_ACCOUNT:
			if (name == NULL)
				break;
			pattern_make(&pt, r, (long)i);
			if (excl_glob(pt.name, pt.nn, fn.p, fn.n) &&
			    (pt.any_domain || domain == NULL ||
			    excl_glob(pt.dom, pt.dn, fd.p, fd.n))) {
				hit_add(hits, &n, &cap, s, i, now,
				    domain == NULL ? xasprintf("account name %s "
				    "matches %s%s", name, r->text, pt.any_domain ?
				    "" : " (domain not checked)") :
				    xasprintf("account %s\\%s matches %s%s",
				    domain, name, r->text, pt.any_domain ?
				    " (any domain)" : ""));
			}
			free(pt.dom);
			free(pt.name);
			break;
		case EXCL_DEVICE:
			if (device == NULL)
				break;
			pattern_make(&pt, r, (long)i);
			if (excl_glob(pt.name, pt.nn, fdev.p, fdev.n))
				hit_add(hits, &n, &cap, s, i, now, xasprintf(
				    "device %s matches %s", device, r->text));
			free(pt.name);
			break;
		case EXCL_ASN:
		case EXCL_OWNER:
			/* They need the enrichment's sources, which a check
			 * of values alone does not have. */
			break;
		}
	}
	folded_free(&fd);
	folded_free(&fn);
	folded_free(&fdev);
	return n;
}

void
excl_hits_free(struct excl_hit *hits, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(hits[i].reason);
	free(hits);
}

/* ------------------------------------------------------------ address index */

/* The family first, so that one memcmp orders by family, then address. */
struct aix_entry {
	uint8_t key[17];
	uint64_t weight;
};

struct excl_addr_index {
	struct aix_entry *e;
	size_t n, cap;
	uint64_t *sum;		/* sum[k]: the weight of entries before k */
};

struct excl_addr_index *
excl_addr_index_new(void)
{
	return xcalloc(1, sizeof(struct excl_addr_index));
}

static void
aix_key(uint8_t key[17], const struct iptrie_addr *a)
{
	memset(key, 0, 17);
	key[0] = (uint8_t)a->family;
	memcpy(key + 1, a->a, a->family == IPTRIE_V4 ? 4 : 16);
}

void
excl_addr_index_add(struct excl_addr_index *ix, const char *ip, size_t n,
    uint64_t weight)
{
	struct iptrie_addr a;

	if (iptrie_parse(ip, n, &a) != 0)
		return;
	ix->e = xgrow(ix->e, &ix->cap, ix->n + 1, sizeof *ix->e);
	aix_key(ix->e[ix->n].key, &a);
	ix->e[ix->n].weight = weight;
	ix->n++;
}

static int
aix_cmp(const void *a, const void *b)
{
	return memcmp(((const struct aix_entry *)a)->key,
	    ((const struct aix_entry *)b)->key, 17);
}

void
excl_addr_index_build(struct excl_addr_index *ix)
{
	size_t k;

	if (ix->n > 1)	/* qsort takes no NULL, even for nothing */
		qsort(ix->e, ix->n, sizeof *ix->e, aix_cmp);
	ix->sum = xmalloc((ix->n + 1) * sizeof *ix->sum);
	ix->sum[0] = 0;
	for (k = 0; k < ix->n; k++)
		ix->sum[k + 1] = ix->sum[k] + ix->e[k].weight;
}

/* The first entry whose key is above key (with above), or not below it
 * (without). */
static size_t
aix_bound(const struct excl_addr_index *ix, const uint8_t key[17], int above)
{
	size_t lo = 0, hi = ix->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = memcmp(ix->e[mid].key, key, 17);
		if (c < 0 || (above && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
excl_addr_index_count(const struct excl_addr_index *ix,
    const struct excl_set *s, size_t i, uint64_t *values, uint64_t *weight)
{
	const struct excl_rule *r = excl_rule_at(s, i);
	uint8_t first[17], last[17];
	int len, b;
	size_t lo, hi;

	*values = *weight = 0;
	if (r == NULL || r->kind != EXCL_IP)
		return;
	/* The network's first address (host bits are clear in a rule) and
	 * its last, as keys. */
	aix_key(first, &r->addr);
	memcpy(last, first, sizeof last);
	len = r->addr.family == IPTRIE_V4 ? 32 : 128;
	for (b = r->pflen; b < len; b++)
		last[1 + b / 8] |= (uint8_t)(0x80 >> (b % 8));
	lo = aix_bound(ix, first, 0);
	hi = aix_bound(ix, last, 1);
	if (hi <= lo)
		return;
	*values = hi - lo;
	*weight = ix->sum[hi] - ix->sum[lo];
}

void
excl_addr_index_free(struct excl_addr_index *ix)
{
	if (ix == NULL)
		return;
	free(ix->e);
	free(ix->sum);
	free(ix);
}
