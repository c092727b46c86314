#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "iptrie.h"
#include "proposal.h"
#include "util.h"

/* The address as the matcher reads it, written by inet_ntop, with the
 * family's prefix length for a network (0: the address itself). */
static char *
address_text(const char *ip, int network)
{
	struct iptrie_addr a;
	char out[INET6_ADDRSTRLEN];
	int v4;

	if (iptrie_parse(ip, strlen(ip), &a) != 0)
		return NULL;
	v4 = a.family == IPTRIE_V4;
	if (network)
		memset(a.a + (v4 ? 3 : 8), 0, v4 ? 1 : 8);
	if (inet_ntop(v4 ? AF_INET : AF_INET6, a.a, out, sizeof out) == NULL)
		return NULL;
	if (!network)
		return xstrdup(out);
	return xasprintf("%s/%d", out, v4 ? 24 : 64);
}

char *
proposal_network(const char *ip)
{
	return address_text(ip, 1);
}

/* The address as written when the matcher reads it the same way as a rule
 * (no zone, not IPv4 written as IPv6), else as inet_ntop writes it. */
static char *
this_address(const char *ip)
{
	struct iptrie_addr a;

	if (iptrie_parse(ip, strlen(ip), &a) != 0)
		return NULL;
	if (strchr(ip, '%') == NULL &&
	    (a.family != IPTRIE_V4 || strchr(ip, ':') == NULL))
		return xstrdup(ip);
	return address_text(ip, 0);
}

/* s with every backslash a '*': a rule splits DOMAIN\name at its first
 * backslash and has no escape, so a '*' is the narrowest rule that still
 * covers the value. */
static char *
star_backslashes(const char *s)
{
	char *t = xstrdup(s), *p;

	for (p = t; (p = strchr(p, '\\')) != NULL; p++)
		*p = '*';
	return t;
}

/* Takes text (NULL: nothing to propose). */
static void
propose(struct proposal *out, size_t *n, enum excl_kind kind, char *text,
    const char *what)
{
	char *cause = NULL;

	if (text == NULL)
		return;
	if (excl_rule_validate(kind, text, &cause) != 0) {
		free(cause);
		free(text);
		return;
	}
	out[*n].kind = kind;
	out[*n].text = text;
	out[(*n)++].what = what;
}

size_t
proposal_for_row(const char *ip, const char *domain, const char *name,
    const char *device, struct proposal out[PROPOSAL_MAX])
{
	size_t n = 0;
	char *d, *nm;

	propose(out, &n, EXCL_IP, this_address(ip), "this address");
	propose(out, &n, EXCL_IP, proposal_network(ip), "its network");
	d = star_backslashes(domain);
	nm = star_backslashes(name);
	if (name[0] && domain[0])
		propose(out, &n, EXCL_ACCOUNT, xasprintf("%s\\%s", d, nm),
		    "this account");
	/* A name alone with a '*' in it would read as DOMAIN\name only if
	 * it held a backslash, which it no longer does. */
	if (name[0])
		propose(out, &n, EXCL_ACCOUNT, strchr(name, '\\') != NULL ?
		    xasprintf("*\\%s", nm) : xstrdup(name),
		    "the account in any domain:");
	free(d);
	free(nm);
	if (device != NULL && device[0])
		propose(out, &n, EXCL_DEVICE, xstrdup(device), "this device");
	return n;
}

size_t
proposal_add_ipinfo(uint32_t asn, const char *owner,
    struct proposal out[PROPOSAL_MAX], size_t n)
{
	if (asn != 0 && n < PROPOSAL_MAX)
		propose(out, &n, EXCL_ASN, xasprintf("%u", (unsigned)asn),
		    "its AS");
	/* A '*' in an owner would be a wildcard: such an owner is not
	 * proposed, rather than proposed as a wider rule than it looks. */
	if (owner != NULL && owner[0] && strchr(owner, '*') == NULL &&
	    n < PROPOSAL_MAX)
		propose(out, &n, EXCL_OWNER, xstrdup(owner), "its network owner");
	return n;
}

size_t
proposal_for_group(const struct hunt *h, uint32_t group, long event,
    struct proposal out[PROPOSAL_MAX])
{
	const struct lh_group *g = &h->g[group];
	const struct table_data *d = h->d;
	const char *device = NULL;
	uint32_t i, dn;

	if (event >= 0)
		device = strtab_str(d->st,
		    table_event_device_name(d, &d->ev[event]));
	else if (g->ev_n > 0) {
		/* A device rule removes the group only when every one of its
		 * events has that device name. */
		dn = table_event_device_name(d, &d->ev[h->order[g->ev_off]]);
		for (i = 1; i < g->ev_n; i++)
			if (table_event_device_name(d,
			    &d->ev[h->order[g->ev_off + i]]) != dn)
				break;
		if (i == g->ev_n)
			device = strtab_str(d->st, dn);
	}
	return proposal_for_row(strtab_str(d->st, g->key[K_REMOTEIP]),
	    strtab_str(d->st, g->key[K_DOMAIN]),
	    strtab_str(d->st, g->key[K_NAME]), device, out);
}

void
proposal_free(struct proposal *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(p[i].text);
}
