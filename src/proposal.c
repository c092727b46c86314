#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "proposal.h"
#include "util.h"

char *
proposal_network(const char *ip)
{
	unsigned char a[16];
	char out[INET6_ADDRSTRLEN];

	if (inet_pton(AF_INET, ip, a) == 1) {
		a[3] = 0;
		if (inet_ntop(AF_INET, a, out, sizeof out) == NULL)
			return NULL;
		return xasprintf("%s/24", out);
	}
	if (inet_pton(AF_INET6, ip, a) == 1) {
		memset(a + 8, 0, 8);
		if (inet_ntop(AF_INET6, a, out, sizeof out) == NULL)
			return NULL;
		return xasprintf("%s/64", out);
	}
	return NULL;
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
    struct proposal out[PROPOSAL_MAX])
{
	size_t n = 0;

	propose(out, &n, EXCL_IP, xstrdup(ip), "this address");
	propose(out, &n, EXCL_IP, proposal_network(ip), "its network");
	if (name[0] && domain[0])
		propose(out, &n, EXCL_ACCOUNT, xasprintf("%s\\%s", domain, name),
		    "this account");
	if (name[0])
		propose(out, &n, EXCL_ACCOUNT, xstrdup(name),
		    "the account in any domain:");
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

void
proposal_free(struct proposal *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(p[i].text);
}
