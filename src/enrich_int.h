/* What the enrichment modules share: the sources, the parsers of each
 * family of files (each works on bytes in memory, so the fuzz targets can
 * call them), and the network parser. Nothing outside enrich*.c includes
 * this but the fuzz targets and unit tests. */
#ifndef LH_ENRICH_INT_H
#define LH_ENRICH_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "enrich.h"
#include "iptrie.h"
#include "strtab.h"

/* Parses "a.b.c.d", "a.b.c.d/n", an IPv6 address or prefix. Host bits are
 * allowed (the lookups ignore them). 0, or -1 and *why (static text). */
int enrich_parse_net(const char *s, size_t n, struct iptrie_addr *a,
    int *pflen, const char **why);

/* ------------------------------------------------------------ GeoIP */

struct geo_db;
/* Opens a MaxMind DB; refuses a file libmaxminddb cannot read (its own
 * message) and a database that holds neither countries nor AS numbers. */
struct geo_db *geo_open(const char *path, char **cause);
void geo_close(struct geo_db *);
const char *geo_type(const struct geo_db *);
time_t geo_build_time(const struct geo_db *);
/* Fills the fields of out that are still empty. A lookup error is kept
 * (the first one) for geo_error. */
void geo_lookup(struct geo_db *, const struct iptrie_addr *a,
    struct strtab *st, char country[4], uint32_t *asn, uint32_t *asorg);
const char *geo_error(const struct geo_db *);

/* ------------------------------------------------------------ ranges */

/* Called once per prefix: the prefix text as the file has it, the owner
 * and a rank (among equal prefixes the highest rank names the owner: a
 * regional service over the whole cloud). */
typedef int (*ranges_add_fn)(void *ctx, const char *prefix,
    const char *owner, int rank, char **why);
/* Parses a ranges document, telling its kind by content (*format: a name
 * such as "AWS ip-ranges.json"). 0, or -1 and *cause naming path. */
int ranges_parse(const char *path, const char *data, size_t len,
    ranges_add_fn add, void *ctx, const char **format, char **cause);

/* ------------------------------------------------------------ intel */

/* One indicator: a network, the time it holds ([from, until), TS_NONE
 * for open ends) and its name or id ("" when the format has none). */
struct intel_entry {
	struct iptrie_addr addr;
	int pflen;
	int64_t from, until;
	const char *name;
	size_t name_len;
};
typedef void (*intel_add_fn)(void *ctx, const struct intel_entry *e);
/* Parses an intel file, telling its format by content (*format). The
 * number of records that were passed over (not addresses: a STIX file
 * indicator, a MISP domain) goes to *skipped. 0, or -1 and *cause. */
int intel_parse(const char *path, const char *data, size_t len,
    intel_add_fn add, void *ctx, const char **format, size_t *skipped,
    char **cause);

/* The Tor exit window: an exit address counts from this long before the
 * earliest time its relay was seen to this long after the latest. */
#define INTEL_TOR_MARGIN_SEC (24 * 3600)

#endif
