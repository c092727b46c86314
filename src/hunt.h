/* The hunt: the two anti-joins and the summarize, then the analyst's
 * exclusions on top, then sorting for display and output. */
#ifndef LH_HUNT_H
#define LH_HUNT_H

#include <stddef.h>
#include <stdint.h>

#include "iptrie.h"
#include "table.h"

enum hunt_identity_filter {
	HUNT_IDENTITY_AS_WRITTEN,	/* ISP != "INTERNAL_NETWORK", the query */
	HUNT_IDENTITY_INTERNAL		/* ISP == "INTERNAL_NETWORK", its comment */
};

struct hunt_opts {
	enum hunt_identity_filter identity;
	int64_t from, until;	/* time window on Timestamp, TS_NONE = open */
	int64_t since;		/* ticks; > 0 keeps the last `since` only, */
	int since_data;		/* ... before the newest Public logon, not now */
	int64_t now;		/* ticks; 0: the clock (tests fix it) */
	int keys;		/* a console: prepare every sort at load */
	int once;		/* a batch run: one hunt_apply, so nothing is
				 * kept for a next one (the address index) */
};

/* Parses a Kusto-style timespan: 7d, 24h, 90m, 30s, 1.5h. */
int hunt_duration_parse(const char *s, int64_t *ticks);

/* The summary columns, in output order. */
enum hunt_col {
	HC_DOMAIN, HC_NAME, HC_LOGONTYPE, HC_REMOTEIP, HC_ACTIONTYPE,
	HC_EARLIEST, HC_LATEST, HC_INSTANCES, HC_DISTINCT, HC_N
};

struct hunt_sort {
	enum hunt_col col;
	int desc;
	int col2;		/* secondary column, or -1 */
	int desc2;
};

/* The 32-bit fields come first: 80 bytes, not the 88 that padding made
 * of them in the order they are read. */
struct lh_group {
	uint32_t key[K_N];
	uint32_t devices;	/* exact distinct DeviceId */
	uint32_t ev_off, ev_n;	/* its events: hunt.order[ev_off ..+ev_n]
				 * (of a summed load: its sums per device) */
	int preset;		/* figures loaded from an exported result */
	int64_t first, last;	/* TS_NONE when no event had a timestamp */
	uint64_t count;		/* 0: removed by an exclusion */
	uint64_t base_count;	/* before exclusions */
	long excl_rule;		/* the rule that removed it, or -1 */
};

struct hunt_funnel {
	uint64_t rows[LH_NTABLES];
	uint64_t other_records;		/* streaming records of other tables */
	uint64_t public_logons;
	uint64_t removed_window;
	uint64_t removed_device;
	uint64_t removed_identity;
	uint64_t removed_excl_events, removed_excl_groups;
	uint64_t events, groups;	/* what remains */
	uint64_t device_ips, identity_ips;	/* distinct, in the join sets */
};

/* What the exclusions look like to the hunt: one index per rule. Each
 * match function returns the matching rule or -1. */
#define HUNT_SIG_LEN 32

struct hunt_filter {
	long (*match_ip)(void *ctx, const char *ip, size_t n);
	long (*match_account)(void *ctx, const char *domain, size_t dn,
	    const char *name, size_t nn);
	long (*match_device)(void *ctx, const char *device, size_t n);
	void *ctx;
	size_t nrules;
	/* Digests (HUNT_SIG_LEN bytes) of what each match function answers,
	 * or NULL when unknown: while a digest stays the same from one
	 * hunt_apply to the next, the hunt keeps that function's answers. */
	const unsigned char *sig_ip, *sig_account, *sig_device;
	/* The address rules (value: the rule) in the order of their
	 * indices, when they alone answer match_ip (no asn or owner rule),
	 * else NULL. When the address digest changes, the hunt asks again
	 * only about the addresses inside the prefixes that differ from
	 * those its answers were given under. */
	const struct iptrie_prefix *ip_prefixes;
	size_t nip_prefixes;
	/* Optional: the rules fall into classes (the exclusions' categories,
	 * at most HUNT_CLASSES_MAX) and those in `on` (a bit per class)
	 * apply. A kind whose classes_ function is set is asked through it:
	 * which classes have a rule that matches the value, and each one's
	 * rule (what that class alone would answer) into rules[], one per
	 * bit in class order; among the classes on, the rule with the lowest
	 * prec[] answers (match_ gives that answer too). Then sig_ covers the
	 * rules of every class, on or off, and ip_prefix_class gives each of
	 * ip_prefixes its class: while a digest stays, switching classes asks
	 * no rule again, the answers are worked out from what was kept. */
	uint64_t on;
	const uint64_t *prec;
	uint64_t (*classes_ip)(void *ctx, const char *ip, size_t n,
	    int32_t *rules);
	uint64_t (*classes_account)(void *ctx, const char *domain, size_t dn,
	    const char *name, size_t nn, int32_t *rules);
	uint64_t (*classes_device)(void *ctx, const char *device, size_t n,
	    int32_t *rules);
	const uint8_t *ip_prefix_class;
};
#define HUNT_CLASSES_MAX 64

/* What the classes of a filter answer for the values of one kind, kept
 * while its digest stays: an entry per value some rule matches (its id,
 * the mask of classes, a rule per bit), and the classes the answers of
 * the kind were worked out for. */
struct hunt_classmemo {
	uint32_t *e;
	size_t n, cap, dead;	/* uint32s used, and of entries forgotten */
	uint64_t on;
};

struct rkey;

struct hunt {
	const struct table_data *d;
	struct hunt_opts opts;	/* with from resolved from since */
	struct lh_group *g;
	size_t ng;
	uint32_t *order;	/* event indices, grouped */
	size_t norder;
	int32_t *device_rule;	/* per device-name id: rule or -1; NULL: no
				 * device rules (points into dev_memo) */
	uint64_t *rule_groups, *rule_events;	/* hits per rule */
	size_t nrules;
	/* Per string id, two ranks side by side (one cache line for both):
	 * [2 id] in the natural order of text, [2 id + 1] as addresses, for
	 * RemoteIP. */
	uint32_t *rank;
	/* Per group, its place when all are ordered by their keys (ranked):
	 * the last tie-breaker of every sort, worked out once. */
	uint32_t *pos;
	/* hunt_apply's answers of the filter, kept while its digests stay
	 * (per string id for devices and addresses, -2 not asked yet; per
	 * distinct account, acct_of[g] being group g's). */
	uint32_t *order_dev;	/* device name of each order[] event */
	uint32_t *devnames, ndevnames;	/* the distinct device names */
	uint32_t *ipnames, nipnames;	/* the groups' distinct addresses
					 * (a stoppable apply asks them) */
	int32_t *dev_memo, *ip_memo, *acct_memo;
	uint32_t *acct_of, nacct;
	uint64_t *acct_key;	/* per account: domain id << 32 | name id */
	unsigned char dev_sig[HUNT_SIG_LEN], ip_sig[HUNT_SIG_LEN],
	    acct_sig[HUNT_SIG_LEN];
	int dev_ok, ip_ok, acct_ok, dev_any;
	/* The address rules ip_memo's answers were given under (ip_pfx_ok:
	 * known), and the groups' distinct addresses in address order
	 * (IPv4 as rkeys of the address, IPv6 apart), to find those inside
	 * a prefix. */
	struct iptrie_prefix *ip_pfx;
	uint8_t *ip_pfx_class;	/* each one's class (classes_ip), or NULL */
	size_t nip_pfx;
	int ip_pfx_ok;
	/* Per kind, what its classes answered (filters with classes_). */
	struct hunt_classmemo cm_ip, cm_acct, cm_dev;
	/* A bit per group: its first, last and devices are those of its
	 * events that device_rule keeps (cleared whenever the device
	 * answers change), so a switch of other rules does not work them
	 * out again from the events. */
	uint8_t *fig_cur;
	struct rkey *aix4;
	struct hunt_aix6 *aix6;
	size_t naix4, naix6;
	int aix_built;
	size_t off_base;	/* groups shown whose figures are not their base */
	uint32_t *colrank[K_N];	/* per group, a text column's rank; lazily */
	/* Per group, the dense rank of its base figure (before exclusions)
	 * in Earliest, Latest, Instances and Distinct, made when first
	 * sorted by; nfigrank[i] is how many ranks there are. */
	uint32_t *figrank[HC_N - HC_EARLIEST];
	uint32_t nfigrank[HC_N - HC_EARLIEST];
	uint32_t *bypos;	/* per place, the group there (pos inverted) */
	struct rkey *sort_a, *sort_b;	/* the sort's scratch, per group */
	uint64_t *sort_kg;
	uint32_t *sort_u, *sort_k, *sort_cnt;	/* the counting sort's */
	size_t sort_ncnt;
	uint8_t *sort_in;	/* per group: among the rows being sorted */
	struct hunt_funnel f;
	int events_gone;	/* hunt_forget_events */
};

/* The time window a summed load (table_data_sum) applies while loading,
 * the one hunt_run will apply: --since counted from now is resolved here
 * (fixing o->now, so hunt_run resolves it alike). -1 when the window
 * depends on the data (--since --relative-to-data): load every logon. */
int hunt_load_window(struct hunt_opts *o, struct table_sum *s);
/* Runs the joins and the summarize over d. */
void hunt_run(struct hunt *h, const struct table_data *d,
    const struct hunt_opts *o);
/* Applies exclusions (NULL: none), updating groups, hits and funnel. */
void hunt_apply(struct hunt *h, const struct hunt_filter *flt);
/* Asked now and then by a long task: done of total so far; returns
 * nonzero to stop it. */
typedef int (*hunt_stop_fn)(void *ctx, size_t done, size_t total);
/* hunt_apply that first asks the filter about every address and account
 * not answered yet (the part that takes long), asking stop every 1,024
 * of them, and changes what the hunt shows only after: returns -1 when
 * stopped, the groups, hits, funnel and device answers as they were (the
 * filter's answers are kept for a later apply), else 0. */
int hunt_apply_stoppable(struct hunt *h, const struct hunt_filter *flt,
    hunt_stop_fn stop, void *ctx);
void hunt_free(struct hunt *h);
/* Frees the events' order and the filter's answers (the groups keep
 * ev_n, but nothing may read their events again: no hunt_apply,
 * drill-down, report or export, nor ask the answers), for
 * a batch run done with them after its one hunt_apply; the caller may
 * then free d's events.
 * Returns -1, keeping them, when a device rule took some of a group's
 * events: sorting by a figure needs them to work out its base figures. */
int hunt_forget_events(struct hunt *h);

/* Fills rows with the indices of the groups still shown, sorted. Returns
 * the count; rows must hold h->ng entries. */
size_t hunt_rows(struct hunt *h, const struct hunt_sort *s, uint32_t *rows);
/* Sorts ids (groups) as the sort says, as hunt_cmp orders them: the ids
 * taken in the order of their keys, then counting sorts by the ranks of
 * the second and the first column (worked out at load), so a sort of a
 * million groups takes a few passes over them rather than twenty million
 * comparisons; when a row's figures are not its base ones (a device rule
 * took some of its events) and a figure is sorted by, a radix sort on the
 * figures as they are. */
void hunt_sort_ids(struct hunt *h, const struct hunt_sort *s, uint32_t *ids,
    size_t n);
/* Frees what sorting keeps for the next sort (about 90 bytes a group),
 * when no other sort will follow. */
void hunt_sort_done(struct hunt *h);
/* 1 if every group shown has the figures it had before any exclusion:
 * then an order worked out once stays right as groups come and go (device
 * rules that drop some of a group's events change its figures). */
int hunt_at_base(const struct hunt *h);
/* hunt_rows after hunt_apply, given the rows shown before (prev, sorted
 * by s; prev_base: the hunt was at its base figures then). When only
 * whole groups came or went, the rows kept keep their order and the new
 * ones are sorted and merged in: switching a rule on a million groups
 * does not sort them all again. rows must hold h->ng entries. */
size_t hunt_rows_update(struct hunt *h, const struct hunt_sort *s,
    const uint32_t *prev, size_t nprev, int prev_base, uint32_t *rows);
/* Compares two groups as the sort says (then by the keys ascending). */
int hunt_cmp(struct hunt *h, const struct hunt_sort *s, uint32_t a,
    uint32_t b);
/* 1 if an event of a group is still counted after the exclusions. */
int hunt_event_kept(const struct hunt *h, uint32_t ev);

/* When --since, counted from now, left no Public logon although the data
 * has some (an old export), a sentence saying so and pointing to
 * --relative-to-data; else NULL. Caller frees. */
char *hunt_since_hint(const struct hunt *h);
/* The join tables of which no row was loaded, as bits 1 << LH_NETWORK and
 * 1 << LH_IDENTITY (0 for an exported result, which needs none). Without
 * them the anti-joins remove nothing, silently widening the result. */
unsigned hunt_missing_tables(const struct hunt *h);
/* What a missing table means for the result, in one line. */
const char *hunt_missing_note(enum lh_table t);

const char *hunt_col_name(enum hunt_col c);
/* Parses "Instances", "instances:asc", "RemoteIP:desc"; -1 if unknown. */
int hunt_sort_parse(const char *s, struct hunt_sort *out);
/* The text of a cell, for output and display. buf must hold TS_BUFSZ. */
const char *hunt_cell(const struct hunt *h, const struct lh_group *g,
    enum hunt_col c, char *buf, size_t *len);
/* Asks for what hunt_cell will read of group gi to be fetched into the
 * cache, in three steps a few rows apart (stage 0: the group; 1: its
 * strings' entries; 2: their bytes): writing a million groups in sorted
 * order then waits on memory once per several rows, not several times
 * per row. */
void hunt_prefetch(const struct hunt *h, uint32_t gi, int stage);

#endif
