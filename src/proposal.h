/* Proposals: the exclusion rules that could name a result row, as the
 * console's e key offers them (its address, its network, its account, the
 * account in any domain, its device). Every rule proposed removes the row
 * it was made from: values are written as the matcher reads the row. */
#ifndef LH_PROPOSAL_H
#define LH_PROPOSAL_H

#include <stddef.h>
#include <stdint.h>

#include "excl.h"
#include "hunt.h"

#define PROPOSAL_MAX 7

struct proposal {
	enum excl_kind kind;
	char *text;		/* the rule's value */
	const char *what;	/* what it names, for a menu: "this address" */
};

/* Fills out with the rules built from a row's RemoteIP, AccountDomain,
 * AccountName and DeviceName (NUL-terminated, any content; device NULL
 * when the row has no single device), in this order: this address and its
 * network, as the matcher reads the address (an IPv4-mapped address as
 * IPv4, a zone dropped; proposal_network); DOMAIN\name when both are
 * there; the name in any domain; the device. A backslash inside a domain
 * or name, which the rule syntax cannot hold, becomes the wildcard '*'. A
 * value the exclusions would refuse (excl_rule_validate) is left out.
 * Returns how many, 0 to PROPOSAL_MAX; free them with proposal_free. */
size_t proposal_for_row(const char *ip, const char *domain, const char *name,
    const char *device, struct proposal out[PROPOSAL_MAX]);
/* The same for a group of the hunt; event (an index into the loaded
 * events, or -1) names the device, else the group's one device name when
 * all its events share it. */
size_t proposal_for_group(const struct hunt *h, uint32_t group, long event,
    struct proposal out[PROPOSAL_MAX]);
/* Adds to out[0 .. n) the rules built from what the enrichment knows of
 * the row's address: its AS (asn:N, when asn is not 0), then its network
 * owner exactly (owner:TEXT, when known). Returns the new count, at most
 * PROPOSAL_MAX. */
size_t proposal_add_ipinfo(uint32_t asn, const char *owner,
    struct proposal out[PROPOSAL_MAX], size_t n);
void proposal_free(struct proposal *, size_t n);

/* The /24 (IPv4) or /64 (IPv6) network holding ip, as the matcher reads
 * it (an IPv4-mapped address as IPv4, a zone dropped), written by
 * inet_ntop with its prefix length; NULL if ip is not an address. To
 * free. */
char *proposal_network(const char *ip);

#endif
