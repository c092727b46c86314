#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "excl.h"
#include "excl_fold.h"
#include "excl_lint.h"
#include "excl_rule.h"
#include "excl_value.h"
#include "iptrie.h"
#include "util.h"

/* Ranges Defender never reports as RemoteIPType "Public" (IANA's special
 * purpose registries: not globally reachable). The hunt keeps only Public
 * logons, so a rule inside them can never hide one. The documentation
 * ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32)
 * are left out on purpose: examples and test data use them as public
 * addresses. */
static const struct never_public {
	const char *net;
	const char *what;
} never_public[] = {
	{ "0.0.0.0/8", "\"this network\"" },
	{ "10.0.0.0/8", "private (RFC 1918)" },
	{ "100.64.0.0/10", "shared address space (RFC 6598)" },
	{ "127.0.0.0/8", "loopback" },
	{ "169.254.0.0/16", "link-local" },
	{ "172.16.0.0/12", "private (RFC 1918)" },
	{ "192.168.0.0/16", "private (RFC 1918)" },
	{ "198.18.0.0/15", "benchmarking (RFC 2544)" },
	{ "224.0.0.0/4", "multicast" },
	{ "240.0.0.0/4", "reserved" },
	{ "::/128", "the unspecified address" },
	{ "::1/128", "loopback" },
	{ "fc00::/7", "unique local (RFC 4193)" },
	{ "fe80::/10", "link-local" },
	{ "ff00::/8", "multicast" },
};
#define NNEVER (sizeof never_public / sizeof never_public[0])

struct net {
	struct iptrie_addr a;
	int pflen;
};

static int
bits(int family)
{
	return family == IPTRIE_V4 ? 32 : 128;
}

/* 1 if outer contains inner: same family, outer no longer, same leading
 * outer->pflen bits. */
static int
net_covers(const struct net *outer, const struct net *inner)
{
	int full = outer->pflen / 8, rest = outer->pflen % 8;

	if (outer->a.family != inner->a.family || outer->pflen > inner->pflen)
		return 0;
	if (memcmp(outer->a.a, inner->a.a, (size_t)full) != 0)
		return 0;
	return rest == 0 ||
	    ((outer->a.a[full] ^ inner->a.a[full]) & (0xff << (8 - rest))) == 0;
}

static int
net_overlaps(const struct net *x, const struct net *y)
{
	return net_covers(x, y) || net_covers(y, x);
}

static void
never_public_net(size_t i, struct net *n)
{
	const char *s = never_public[i].net, *slash = strchr(s, '/');

	iptrie_parse(s, (size_t)(slash - s), &n->a);
	n->pflen = atoi(slash + 1);
}

/* 1 if every address of n lies in the never-Public ranges (which may take
 * several of them, as 224.0.0.0/3 does): contained in one, or split in
 * halves that both are. Only halves that straddle a range's edge recurse. */
static int
never_public_covered(const struct net *n)
{
	struct net b, half;
	size_t i;
	int overlap = 0;

	for (i = 0; i < NNEVER; i++) {
		never_public_net(i, &b);
		if (net_covers(&b, n))
			return 1;
		overlap |= net_overlaps(&b, n);
	}
	if (!overlap || n->pflen >= bits(n->a.family))
		return 0;
	half = *n;
	half.pflen++;
	if (!never_public_covered(&half))
		return 0;
	half.a.a[n->pflen / 8] |= (uint8_t)(0x80 >> (n->pflen % 8));
	return never_public_covered(&half);
}

/* The never-Public range holding n's first address, for the message. */
static const char *
never_public_name(const struct net *n, char **net)
{
	struct net b, first = *n;
	size_t i;

	first.pflen = bits(n->a.family);
	for (i = 0; i < NNEVER; i++) {
		never_public_net(i, &b);
		if (net_covers(&b, &first)) {
			*net = xstrdup(never_public[i].net);
			return never_public[i].what;
		}
	}
	*net = xstrdup("?");
	return "reserved";
}

/* ------------------------------------------------------------ candidates */

/* A rule as lint sees it: its own or a candidate's. */
struct cand {
	long index;		/* -1: not in the set */
	enum excl_kind kind;
	const char *text;
	time_t until;
	struct net net;		/* EXCL_IP */
	uint32_t *dom, *name;	/* EXCL_ACCOUNT (dom NULL: any), EXCL_DEVICE */
	size_t dn, nn;
	int any_domain;
};

static int
all_stars(const uint32_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != EXCL_STAR)
			return 0;
	return 1;
}

static void
cand_fill(struct cand *c, long index, enum excl_kind kind, const char *text,
    time_t until, const struct iptrie_addr *a, int pflen)
{
	const char *bs;
	size_t n = strlen(text);

	memset(c, 0, sizeof *c);
	c->index = index;
	c->kind = kind;
	c->text = text;
	c->until = until;
	if (kind == EXCL_IP) {
		c->net.a = *a;
		c->net.pflen = pflen;
		return;
	}
	bs = kind == EXCL_ACCOUNT ? strchr(text, '\\') : NULL;
	if (bs != NULL) {
		c->dom = xmalloc(((size_t)(bs - text) + 1) * sizeof *c->dom);
		c->dn = excl_fold(text, (size_t)(bs - text), c->dom, 1);
		/* *\name matches any domain, an empty one too. */
		c->any_domain = all_stars(c->dom, c->dn);
		text = bs + 1;
		n = strlen(text);
	} else
		c->any_domain = 1;
	c->name = xmalloc((n + 1) * sizeof *c->name);
	c->nn = excl_fold(text, n, c->name, 1);
}

static void
cand_free(struct cand *c)
{
	free(c->dom);
	free(c->name);
}

/* 1 if every value q matches, p matches too: p's '*' may stand for any
 * run of q's characters and stars; a literal only for the same literal. */
static int
cand_covers(const struct cand *p, const struct cand *q)
{
	if (p->kind != q->kind)
		return 0;
	if (p->kind == EXCL_IP)
		return net_covers(&p->net, &q->net);
	if (!p->any_domain && (q->any_domain ||
	    !excl_glob(p->dom, p->dn, q->dom, q->dn)))
		return 0;
	return excl_glob(p->name, p->nn, q->name, q->nn);
}

/* p lasts at least as long as q: no expiry, or not before q's. */
static int
lasts_as_long(const struct cand *p, const struct cand *q)
{
	return p->until == 0 || (q->until != 0 && q->until <= p->until);
}

static void
add_finding(struct excl_lint **out, size_t *n, size_t *cap, long rule,
    enum excl_lint_kind kind, long other, char *why)
{
	*out = xgrow(*out, cap, *n + 1, sizeof **out);
	(*out)[*n].rule = rule;
	(*out)[*n].kind = kind;
	(*out)[*n].other = other;
	(*out)[*n].why = why;
	(*n)++;
}

/* The findings about the value alone. */
static void
lint_value(const struct cand *c, struct excl_lint **out, size_t *n,
    size_t *cap)
{
	const char *what;
	char *net;

	switch (c->kind) {
	case EXCL_IP:
		if (c->net.pflen == 0) {
			add_finding(out, n, cap, c->index, EXCL_LINT_HIDES_ALL, -1,
			    xasprintf("%s matches every %s address: it hides "
			    "every %s logon", c->text, c->net.a.family ==
			    IPTRIE_V4 ? "IPv4" : "IPv6", c->net.a.family ==
			    IPTRIE_V4 ? "IPv4" : "IPv6"));
		} else if (never_public_covered(&c->net)) {
			what = never_public_name(&c->net, &net);
			add_finding(out, n, cap, c->index,
			    EXCL_LINT_HIDES_NOTHING, -1, xasprintf("%s lies in "
			    "ranges that are never Public (%s is %s): the hunt "
			    "keeps only Public logons, so it can never match one",
			    c->text, net, what));
			free(net);
		}
		break;
	case EXCL_ACCOUNT:
		if (c->any_domain && all_stars(c->name, c->nn))
			add_finding(out, n, cap, c->index, EXCL_LINT_HIDES_ALL, -1,
			    xasprintf("%s matches every account: it hides every "
			    "logon", c->text));
		break;
	case EXCL_DEVICE:
		if (all_stars(c->name, c->nn))
			add_finding(out, n, cap, c->index, EXCL_LINT_HIDES_ALL, -1,
			    xasprintf("%s matches every device: it hides every "
			    "logon", c->text));
		break;
	case EXCL_ASN:
	case EXCL_OWNER:
		/* What they match depends on the enrichment's files, which
		 * the lint does not read: nothing to say of the value alone. */
		break;
	}
}

static void
lint_expired(const struct cand *c, time_t now, struct excl_lint **out,
    size_t *n, size_t *cap)
{
	char date[11];

	if (c->until == 0 || now < c->until + 86400)
		return;
	excl_date_format(c->until, date);
	add_finding(out, n, cap, c->index, EXCL_LINT_HIDES_NOTHING, -1,
	    xasprintf("it expired at the end of %s (until=), so it hides "
	    "nothing; give a later date or remove it", date));
}

static void
rule_cand(const struct excl_set *s, size_t i, struct cand *c)
{
	const struct excl_rule *r = excl_rule_at(s, i);

	cand_fill(c, (long)i, r->kind, r->text, r->until, &r->addr, r->pflen);
}

/* The rules active at now, and their ip rules sorted by network, so that
 * the ranges holding an address are found by one search per prefix
 * length instead of a pass over every rule (files of service tags hold
 * tens of thousands). */
struct active {
	struct cand *c;
	size_t n;
	const struct cand **ip;
	size_t nip;
};

static int
net_order(const struct cand *x, const struct cand *y)
{
	int r;

	if (x->net.a.family != y->net.a.family)
		return x->net.a.family < y->net.a.family ? -1 : 1;
	if ((r = memcmp(x->net.a.a, y->net.a.a, sizeof x->net.a.a)) != 0)
		return r;
	return (x->net.pflen > y->net.pflen) - (x->net.pflen < y->net.pflen);
}

static int
ip_cmp(const void *a, const void *b)
{
	const struct cand *x = *(const struct cand *const *)a;
	const struct cand *y = *(const struct cand *const *)b;
	int r = net_order(x, y);

	return r ? r : (x->index > y->index) - (x->index < y->index);
}

static void
active_init(struct active *a, const struct excl_set *s, time_t now)
{
	size_t i, n = excl_rule_count(s);

	memset(a, 0, sizeof *a);
	a->c = xcalloc(n ? n : 1, sizeof *a->c);
	a->ip = xcalloc(n ? n : 1, sizeof *a->ip);
	for (i = 0; i < n; i++)
		if (excl_rule_state(s, i, now) == EXCL_ACTIVE)
			rule_cand(s, i, &a->c[a->n++]);
	for (i = 0; i < a->n; i++)
		if (a->c[i].kind == EXCL_IP)
			a->ip[a->nip++] = &a->c[i];
	qsort(a->ip, a->nip, sizeof *a->ip, ip_cmp);
}

static void
active_free(struct active *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		cand_free(&a->c[i]);
	free(a->c);
	free(a->ip);
}

/* 1 if o hides all c matches (and is not its equal that comes later). */
static int
shadows(const struct cand *o, const struct cand *c)
{
	if (o->index == c->index || !cand_covers(o, c) || !lasts_as_long(o, c))
		return 0;
	/* Two rules that hide the same for as long: the later one is the
	 * repeat. */
	return !(c->index >= 0 && o->index > c->index && cand_covers(c, o) &&
	    lasts_as_long(c, o));
}

/* The first (widest) active ip rule that shadows c, or NULL. */
static const struct cand *
ip_shadow(const struct active *a, const struct cand *c)
{
	struct cand key;
	size_t lo, hi, mid;
	int p;

	key = *c;
	for (p = 0; p <= c->net.pflen; p++) {
		key.net = c->net;
		key.net.pflen = p;
		memset(key.net.a.a + (p + 7) / 8, 0, sizeof key.net.a.a - (size_t)(p + 7) / 8);
		if (p % 8)
			key.net.a.a[p / 8] &= (uint8_t)(0xff << (8 - p % 8));
		for (lo = 0, hi = a->nip; lo < hi;) {
			mid = lo + (hi - lo) / 2;
			if (net_order(a->ip[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < a->nip && net_order(a->ip[lo], &key) == 0; lo++)
			if (shadows(a->ip[lo], c))
				return a->ip[lo];
	}
	return NULL;
}

static void
lint_shadow(const struct excl_set *s, const struct cand *c,
    const struct active *a, struct excl_lint **out, size_t *n, size_t *cap)
{
	const struct cand *o = NULL;
	size_t j;

	if (c->kind == EXCL_IP)
		o = ip_shadow(a, c);
	else
		for (j = 0; j < a->n && o == NULL; j++)
			if (shadows(&a->c[j], c))
				o = &a->c[j];
	if (o == NULL)
		return;
	add_finding(out, n, cap, c->index, EXCL_LINT_SHADOWED, o->index,
	    xasprintf("everything it matches is already hidden by rule %ld "
	    "[%s] %s %s", o->index + 1,
	    excl_category_name(s, excl_rule_category(s, (size_t)o->index)),
	    excl_kind_name(o->kind), o->text));
}

size_t
excl_lint_all(const struct excl_set *s, time_t now, struct excl_lint **out)
{
	size_t i, n = 0, cap = 0;
	struct active act;
	struct cand c;

	active_init(&act, s, now);
	*out = NULL;
	for (i = 0; i < excl_rule_count(s); i++) {
		rule_cand(s, i, &c);
		lint_value(&c, out, &n, &cap);
		if (excl_rule_enabled(s, i))
			lint_expired(&c, now, out, &n, &cap);
		if (excl_rule_state(s, i, now) == EXCL_ACTIVE)
			lint_shadow(s, &c, &act, out, &n, &cap);
		cand_free(&c);
	}
	active_free(&act);
	return n;
}

size_t
excl_lint_candidate(const struct excl_set *s, enum excl_kind kind,
    const char *text, time_t until, time_t now, struct excl_lint **out)
{
	struct excl_rule r;
	struct cand c;
	struct active act;
	size_t n = 0, cap = 0;
	char *cause = NULL;

	*out = NULL;
	memset(&r, 0, sizeof r);
	if (excl_value_parse(kind, text, &r, &cause) != 0) {
		free(cause);
		return 0;
	}
	cand_fill(&c, -1, kind, text, until, &r.addr, r.pflen);
	lint_value(&c, out, &n, &cap);
	lint_expired(&c, now, out, &n, &cap);
	/* A rule born expired shadows nothing worth saying. */
	if (until == 0 || now < until + 86400) {
		active_init(&act, s, now);
		lint_shadow(s, &c, &act, out, &n, &cap);
		active_free(&act);
	}
	cand_free(&c);
	return n;
}

void
excl_lint_free(struct excl_lint *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(f[i].why);
	free(f);
}

const char *
excl_lint_kind_name(enum excl_lint_kind k)
{
	switch (k) {
	case EXCL_LINT_HIDES_ALL: return "hides everything";
	case EXCL_LINT_HIDES_NOTHING: return "hides nothing";
	case EXCL_LINT_SHADOWED: return "shadowed";
	}
	return "?";
}
