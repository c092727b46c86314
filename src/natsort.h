/* The order people expect when they sort a column: text without regard
 * to case, addresses as addresses. The hunt's sort, --sort and the
 * console's lists all use it, so the same column reads the same way
 * everywhere. */
#ifndef LH_NATSORT_H
#define LH_NATSORT_H

#include <stddef.h>
#include <stdint.h>

/* Text: the code points compared after the case folding exclusion rules
 * use for names (excl_fold), so "admin" < "David.nowak" < "eve"; strings
 * that fold the same are ordered by their bytes, so the order is total. */
int natsort_text_cmp(const char *a, size_t la, const char *b, size_t lb);

/* An address as a sort key: IPv4 first, then IPv6 (a zone suffix such as
 * %eth0 allowed), by numeric value; anything else after both, as text. */
struct natsort_ip {
	uint8_t kind;		/* 0 IPv4, 1 IPv6, 2 not an address */
	uint8_t addr[16];	/* IPv4 in the first four bytes */
};
void natsort_ip_key(const char *s, size_t n, struct natsort_ip *k);
/* Compares two addresses with their keys; equal values (::1 and 0::1)
 * fall back to natsort_text_cmp, then bytes. */
int natsort_ip_cmp(const struct natsort_ip *ka, const char *a, size_t la,
    const struct natsort_ip *kb, const char *b, size_t lb);

#endif
