/* Offline enrichment: for every remote IP of the hunt, its country, AS
 * number and organisation (MaxMind DB files), its network owner (cloud and
 * service range files) and what threat intelligence says of it (address
 * lists, CSV, STIX 2.1, MISP, Tor exit lists). Everything comes from local
 * files; nothing is fetched.
 *
 * Sources are added one file at a time (each refused with its path and the
 * reason if it cannot be used), then enrich_build() prepares the lookups.
 * Lookups are per distinct address: enrich_hunt() computes the columns of
 * a hunt's groups, looking each address up once. */
#ifndef LH_ENRICH_H
#define LH_ENRICH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "hunt.h"
#include "util.h"

struct enrich;
struct enrich_view;

/* The columns, in output order. */
enum enrich_col { EC_COUNTRY, EC_ASN, EC_ASORG, EC_OWNER, EC_INTEL, EC_N };

const char *enrich_col_name(enum enrich_col);

struct enrich *enrich_new(void);
void enrich_free(struct enrich *);

/* A MaxMind DB file (GeoLite2 Country, City or ASN, DB-IP Lite, IPinfo
 * Lite). The first file that knows a field gives it. */
int enrich_add_geoip(struct enrich *, const char *path, char **cause);
/* Network owners: an Azure service tags file, AWS ip-ranges.json, Google
 * cloud.json (or goog.json) or a MISP warninglist, told by content. */
int enrich_add_ranges(struct enrich *, const char *path, char **cause);
/* Threat intelligence: a list of addresses and ranges, CSV with an address
 * column, a MISP CSV export, a STIX 2.1 bundle, or a Tor exit list. */
int enrich_add_intel(struct enrich *, const char *path, char **cause);

/* The directories geoipupdate and distributions put databases in. */
extern const char *const enrich_geoip_dirs[];
/* Adds every readable *.mmdb in dirs (NULL-terminated), in name order;
 * one that cannot be used is reported through warn and passed over.
 * Returns how many were added. */
size_t enrich_add_geoip_dirs(struct enrich *, const char *const *dirs,
    void (*warn)(void *ctx, const char *msg), void *ctx);

/* Prepares the lookups; call once after the last add. */
void enrich_build(struct enrich *);
size_t enrich_source_count(const struct enrich *);
/* Which columns some source can fill (bit 1 << enrich_col). */
unsigned enrich_columns(const struct enrich *);
/* One line per source: its path, what it is, how many entries, and its
 * age (a database's build date, otherwise the file's modification time)
 * in days before now. */
void enrich_describe(struct buf *b, const struct enrich *, time_t now);

/* What is known of one address, whatever the time. */
struct enrich_ip {
	char country[4];	/* ISO 3166 code, "" when unknown */
	uint32_t asn;		/* 0 when unknown */
	const char *asorg;	/* "" when unknown; valid until enrich_free */
	const char *owner;	/* "" when unknown; valid until enrich_free */
};
/* Looks one address up (not thread-safe: strings are interned). Anything
 * that is not an address gets nothing. */
void enrich_lookup(struct enrich *, const char *ip, size_t n,
    struct enrich_ip *out);

/* enrich_lookup in the shape exclfilter_ipinfo.lookup takes (ctx is the
 * struct enrich), for asn and owner exclusion rules. */
void enrich_ipinfo(void *ctx, const char *ip, size_t n, uint32_t *asn,
    const char **owner, size_t *owner_len);

/* The columns of every group of h, looking each distinct RemoteIP up once.
 * Intel entries that hold only for a time (STIX valid_from/valid_until, a
 * Tor exit's window) count only if one of the group's events still in the
 * summary falls in that time. */
struct enrich_view *enrich_hunt(struct enrich *, const struct hunt *h);
void enrich_view_free(struct enrich_view *);
/* The text of a cell of group g (an index into h->g); buf must hold
 * TS_BUFSZ bytes. */
const char *enrich_cell(const struct enrich_view *, uint32_t g,
    enum enrich_col c, char *buf, size_t *len);
/* Fills x so that output_summary_extra appends the five columns from v. */
struct out_extra;
void enrich_out_extra(struct enrich_view *v, struct out_extra *x);
/* Compares groups a and b by column c: ASN as a number, the others as
 * text, reversed with desc; an empty cell sorts after every value either
 * way (the unknown are not what a sort looks for). */
int enrich_cmp(const struct enrich_view *, uint32_t a, uint32_t b,
    enum enrich_col c, int desc);
/* 1 if group g has an Intel value. */
int enrich_has_intel(const struct enrich_view *, uint32_t g);

/* How many groups, logons and distinct machines of the summary (groups
 * still shown, logons still counted) each value of column c has: the
 * frequency view. Rows sorted by groups, then logons, most first, then by
 * value; the unknown value ("") is a row too. */
struct enrich_freq {
	const char *value;	/* valid while the view is */
	const char *label;	/* ASOrg for an ASN row, else "" */
	uint64_t groups, events, machines;
};
size_t enrich_freq(const struct enrich_view *, const struct hunt *h,
    enum enrich_col c, struct enrich_freq **out);
/* The sources on one line: each file's name and age in days. */
void enrich_describe_short(struct buf *b, const struct enrich *, time_t now);

/* Lookup problems met so far (a damaged database), once per source. */
void enrich_warnings(const struct enrich *, void (*warn)(void *ctx,
    const char *msg), void *ctx);

#endif
