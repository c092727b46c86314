#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "exclfilter.h"

static long
match_ip(void *ctx, const char *ip, size_t n)
{
	return excl_match_ip(ctx, ip, n);
}

static long
match_account(void *ctx, const char *d, size_t dn, const char *name, size_t nn)
{
	return excl_match_account(ctx, d, dn, name, nn);
}

static long
match_device(void *ctx, const char *dev, size_t n)
{
	return excl_match_device(ctx, dev, n);
}

void
exclfilter_init(struct hunt_filter *f, const struct excl_set *set,
    const struct excl_matcher *m)
{
	memset(f, 0, sizeof *f);
	f->match_ip = match_ip;
	f->match_account = match_account;
	f->match_device = match_device;
	f->ctx = (void *)m;
	f->nrules = excl_rule_count(set);
	f->sig_ip = excl_matcher_sig(m, EXCL_SIG_IP);
	f->sig_account = excl_matcher_sig(m, EXCL_SIG_ACCOUNT);
	f->sig_device = excl_matcher_sig(m, EXCL_SIG_DEVICE);
	f->ip_prefixes = excl_matcher_ip_prefixes(m, &f->nip_prefixes);
}

static long
match_ip_info(void *ctx, const char *ip, size_t n)
{
	struct exclfilter_ipinfo *x = ctx;
	long r = excl_match_ip(x->m, ip, n);
	uint32_t asn = 0;
	const char *owner = "";
	size_t on = 0;

	if (r >= 0 || !excl_matcher_needs_ipinfo(x->m) || x->lookup == NULL)
		return r;
	x->lookup(x->ctx, ip, n, &asn, &owner, &on);
	return excl_match_ipinfo(x->m, asn, owner, on);
}

static long
match_account_info(void *ctx, const char *d, size_t dn, const char *name,
    size_t nn)
{
	return excl_match_account(((struct exclfilter_ipinfo *)ctx)->m, d, dn,
	    name, nn);
}

static long
match_device_info(void *ctx, const char *dev, size_t n)
{
	return excl_match_device(((struct exclfilter_ipinfo *)ctx)->m, dev, n);
}

void
exclfilter_init_ipinfo(struct hunt_filter *f, const struct excl_set *set,
    struct exclfilter_ipinfo *x)
{
	memset(f, 0, sizeof *f);
	f->match_ip = match_ip_info;
	f->match_account = match_account_info;
	f->match_device = match_device_info;
	f->ctx = x;
	f->nrules = set != NULL ? excl_rule_count(set) : 0;
	/* asn and owner rules also depend on what the lookup knows, which
	 * may change (the enrichment loads after the hunt): not kept. */
	f->sig_ip = excl_matcher_needs_ipinfo(x->m) ? NULL :
	    excl_matcher_sig(x->m, EXCL_SIG_IP);
	f->sig_account = excl_matcher_sig(x->m, EXCL_SIG_ACCOUNT);
	f->sig_device = excl_matcher_sig(x->m, EXCL_SIG_DEVICE);
	f->ip_prefixes = excl_matcher_ip_prefixes(x->m, &f->nip_prefixes);
}

static uint64_t
classes_ip(void *ctx, const char *ip, size_t n, int32_t *rules)
{
	return excl_classes_match_ip(((struct exclfilter_classes *)ctx)->c, ip,
	    n, rules);
}

static uint64_t
classes_account(void *ctx, const char *d, size_t dn, const char *name,
    size_t nn, int32_t *rules)
{
	return excl_classes_match_account(((struct exclfilter_classes *)ctx)->c,
	    d, dn, name, nn, rules);
}

static uint64_t
classes_device(void *ctx, const char *dev, size_t n, int32_t *rules)
{
	return excl_classes_match_device(((struct exclfilter_classes *)ctx)->c,
	    dev, n, rules);
}

/* The answers of the categories that are on, as a matcher compiled with
 * them would give. */
static long
classes_match_ip(void *ctx, const char *ip, size_t n)
{
	struct exclfilter_classes *x = ctx;
	int32_t rules[EXCL_CLASSES_MAX];
	uint64_t mask = excl_classes_match_ip(x->c, ip, n, rules);

	return excl_classes_pick(x->c, x->on, mask, rules);
}

static long
classes_match_account(void *ctx, const char *d, size_t dn, const char *name,
    size_t nn)
{
	struct exclfilter_classes *x = ctx;
	int32_t rules[EXCL_CLASSES_MAX];
	uint64_t mask = excl_classes_match_account(x->c, d, dn, name, nn, rules);

	return excl_classes_pick(x->c, x->on, mask, rules);
}

static long
classes_match_device(void *ctx, const char *dev, size_t n)
{
	struct exclfilter_classes *x = ctx;
	int32_t rules[EXCL_CLASSES_MAX];
	uint64_t mask = excl_classes_match_device(x->c, dev, n, rules);

	return excl_classes_pick(x->c, x->on, mask, rules);
}

uint64_t
exclfilter_categories_on(const struct excl_set *set)
{
	uint64_t on = 0;
	size_t c;

	for (c = 0; c < excl_category_count(set) && c < EXCL_CLASSES_MAX; c++)
		if (excl_category_enabled(set, c))
			on |= (uint64_t)1 << c;
	return on;
}

void
exclfilter_init_classes(struct hunt_filter *f, const struct excl_set *set,
    struct exclfilter_classes *x)
{
	memset(f, 0, sizeof *f);
	x->on = exclfilter_categories_on(set);
	f->match_ip = classes_match_ip;
	f->match_account = classes_match_account;
	f->match_device = classes_match_device;
	f->classes_ip = classes_ip;
	f->classes_account = classes_account;
	f->classes_device = classes_device;
	f->ctx = x;
	f->nrules = excl_rule_count(set);
	f->on = x->on;
	f->prec = excl_classes_prec(x->c);
	f->sig_ip = excl_classes_sig(x->c, EXCL_SIG_IP);
	f->sig_account = excl_classes_sig(x->c, EXCL_SIG_ACCOUNT);
	f->sig_device = excl_classes_sig(x->c, EXCL_SIG_DEVICE);
	f->ip_prefixes = excl_classes_ip_prefixes(x->c, &f->nip_prefixes,
	    &f->ip_prefix_class);
}

void
exclfilter_report(struct buf *b, const struct hunt *h,
    const struct excl_set *set, time_t now)
{
	size_t c, r, nr = excl_rule_count(set);
	uint64_t groups, events;

	/* No file, or one without rules: nothing to credit. */
	if (excl_category_count(set) == 0 || nr == 0)
		return;
	buf_addf(b, "Exclusions (%s):\n", excl_path(set));
	for (c = 0; c < excl_category_count(set); c++) {
		groups = events = 0;
		for (r = 0; r < nr && r < h->nrules; r++)
			if (excl_rule_category(set, r) == c) {
				groups += h->rule_groups[r];
				events += h->rule_events[r];
			}
		buf_addf(b, "  %-14s %-3s %8" PRIu64 " groups %10" PRIu64 " logons\n",
		    excl_category_name(set, c),
		    excl_category_enabled(set, c) ? "on" : "off", groups, events);
		for (r = 0; r < nr; r++) {
			if (excl_rule_category(set, r) != c)
				continue;
			buf_addf(b, "    %-34s %-8s %8" PRIu64 " groups %10" PRIu64 " logons\n",
			    excl_rule_text(set, r), excl_state_name(excl_rule_state(set, r, now)),
			    r < h->nrules ? h->rule_groups[r] : 0,
			    r < h->nrules ? h->rule_events[r] : 0);
		}
	}
}
