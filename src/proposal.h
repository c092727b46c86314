/* Proposals: the exclusion rules that could name a result row, as the
 * console's e key offers them (its address, its network, its account, the
 * account in any domain). */
#ifndef LH_PROPOSAL_H
#define LH_PROPOSAL_H

#include <stddef.h>
#include <stdint.h>

#include "excl.h"

#define PROPOSAL_MAX 6

struct proposal {
	enum excl_kind kind;
	char *text;		/* the rule's value */
	const char *what;	/* what it names, for a menu: "this address" */
};

/* Fills out with the rules built from a row's RemoteIP, AccountDomain and
 * AccountName (NUL-terminated, any content), in this order: this address;
 * its network (proposal_network); DOMAIN\name when both are there; the
 * name in any domain when there is a name. A value the exclusions would
 * refuse (excl_rule_validate) is left out. Returns how many, 0 to
 * PROPOSAL_MAX; free them with proposal_free. */
size_t proposal_for_row(const char *ip, const char *domain, const char *name,
    struct proposal out[PROPOSAL_MAX]);
/* Adds to out[0 .. n) the rules built from what the enrichment knows of
 * the row's address: its AS (asn:N, when asn is not 0), then its network
 * owner exactly (owner:TEXT, when known). Returns the new count, at most
 * PROPOSAL_MAX. */
size_t proposal_add_ipinfo(uint32_t asn, const char *owner,
    struct proposal out[PROPOSAL_MAX], size_t n);
void proposal_free(struct proposal *, size_t n);

/* The /24 (IPv4) or /64 (IPv6) network holding ip, as inet_pton reads it
 * (no zone, no leading zeros), written by inet_ntop with its prefix
 * length; NULL if ip is not such an address. To free. */
char *proposal_network(const char *ip);

#endif
