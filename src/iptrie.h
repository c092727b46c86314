/* Compiled prefix table: longest-prefix lookup of IPv4 and IPv6 addresses
 * against tens of thousands of ranges.
 *
 * Prefixes are added with a value (the exclusions use the rule index), then
 * iptrie_build() flattens them into sorted, disjoint intervals, each labelled
 * with the value of the most specific prefix covering it (ties between equal
 * prefixes go to the smallest value). A lookup is one binary search, and the
 * built table is read-only, so any number of threads may query it. */
#ifndef LH_IPTRIE_H
#define LH_IPTRIE_H

#include <stddef.h>
#include <stdint.h>

#define IPTRIE_V4 4
#define IPTRIE_V6 6

/* An address as parsed from text: family IPTRIE_V4 uses a[0..3], IPTRIE_V6
 * all 16 bytes, both in network order. */
struct iptrie_addr {
	int family;
	uint8_t a[16];
};

/* A prefix with its value, as iptrie_add takes them. */
struct iptrie_prefix {
	struct iptrie_addr addr;
	int pflen;
	long value;
};

struct iptrie;

struct iptrie *iptrie_new(void);
void iptrie_free(struct iptrie *);

/* Adds prefix a/pflen (host bits are ignored). value must be >= 0. Lookups
 * are undefined until iptrie_build() is called; adding after a build
 * requires another build. */
void iptrie_add(struct iptrie *, const struct iptrie_addr *a, int pflen, long value);
void iptrie_build(struct iptrie *);

/* The value of the longest prefix containing a, or -1. */
long iptrie_lookup(const struct iptrie *, const struct iptrie_addr *a);

/* Number of disjoint intervals after the build (for tests and the bench). */
size_t iptrie_intervals(const struct iptrie *, int family);

/* Parses an address as it appears in log data, without allocating:
 * dotted-quad IPv4 (no leading zeros; text without ':'), or IPv6 text with
 * an optional non-empty zone suffix ("%eth0", ignored, any length). An
 * IPv4-mapped IPv6 address (::ffff:0:0/96, in any spelling) becomes the
 * IPv4 address it carries, so it matches IPv4 prefixes. The KQL reads
 * RemoteIP the same way (excl_kql.c; logonhunt-exclusions(5)).
 * Returns 0 on success, -1 for anything else (empty, "-", garbage). */
int iptrie_parse(const char *s, size_t n, struct iptrie_addr *out);

#endif
