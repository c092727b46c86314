/* Exclusions: the user's list of known-good sources (maintenance, SIEM
 * collectors, RDS, Defender's own traffic, backups) that the hunt must not
 * report. The file format is described in logonhunt-exclusions(5).
 *
 * An excl_set is the file as an editable list of lines: rules, category
 * options, and the user's comments and blank lines, which a save writes back
 * untouched. An excl_matcher is a read-only compiled snapshot of the rules
 * that apply at one moment; it is safe to query from several threads.
 *
 * Functions that can fail return -1 and set *cause to an allocated message
 * (the caller frees it). Messages quote what the user wrote, so escape them
 * for display (util_fput_escaped) like any other text from a file. */
#ifndef LH_EXCL_H
#define LH_EXCL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "util.h"

struct excl_set;
struct excl_matcher;

enum excl_kind {
	EXCL_IP,	/* IPv4/IPv6 address or CIDR range, matched on RemoteIP */
	EXCL_ACCOUNT,	/* DOMAIN\name or name, '*' wildcards, no case */
	EXCL_DEVICE,	/* DeviceName, '*' wildcards, no case */
	EXCL_ASN,	/* the RemoteIP's AS number, from the enrichment */
	EXCL_OWNER	/* the RemoteIP's network owner, '*' wildcards, no case */
};

/* Why a rule does or does not apply right now; the first that holds wins. */
enum excl_state {
	EXCL_ACTIVE,
	EXCL_DISABLED,		/* the rule itself is switched off */
	EXCL_EXPIRED,		/* its until= date has passed */
	EXCL_CATEGORY_OFF	/* its category is switched off */
};

/* "ip", "account", "device", "asn", "owner" */
const char *excl_kind_name(enum excl_kind);
const char *excl_state_name(enum excl_state);	/* "active", "disabled", ... */

/* $XDG_CONFIG_HOME/logonhunt/exclusions, else ~/.config/logonhunt/exclusions;
 * NULL if neither variable gives an absolute directory. Caller frees. */
char *excl_default_path(void);

/* ------------------------------------------------------------ file */

/* Reads path. A missing file is an empty set, not an error. On any invalid
 * line returns -1 with every problem in *cause (one "file:line: reason" per
 * line of text) and *out = NULL. */
int excl_load(const char *path, struct excl_set **out, char **cause);
/* Like excl_load, but when the file is readable *out always receives the
 * set: the lines that parsed are usable and the bad ones are kept as they
 * are. Returns -1 with *cause if there were bad lines; such a set refuses
 * to be saved (excl_has_errors) so a half-understood file is never
 * rewritten. */
int excl_load_lenient(const char *path, struct excl_set **out, char **cause);
struct excl_set *excl_new_empty(const char *path);
void excl_free(struct excl_set *);

/* Writes the set back to its path: comments, blank lines and untouched
 * rules keep their exact text. The previous file is kept as "PATH~"; the
 * new one replaces it atomically (temp file, fsync, rename), so a crash
 * leaves either the old or the new file complete. Refuses (-1, *cause) if
 * the set has unparsed lines or the file changed on disk since it was
 * loaded or last saved (modification time, size or content). */
int excl_save(struct excl_set *, char **cause);

const char *excl_path(const struct excl_set *);
int excl_has_errors(const struct excl_set *);
/* 1 if edited since loaded or last saved. */
int excl_is_modified(const struct excl_set *);

/* ------------------------------------------------------------ categories */

/* Built-in categories always exist, in this order: maintenance, siem, rds,
 * defender, backup; custom ones follow in the order the file names them. */
size_t excl_category_count(const struct excl_set *);
const char *excl_category_name(const struct excl_set *, size_t cat);
const char *excl_category_description(const struct excl_set *, size_t cat);
int excl_category_enabled(const struct excl_set *, size_t cat);
int excl_category_builtin(const struct excl_set *, size_t cat);
size_t excl_category_rule_count(const struct excl_set *, size_t cat);
/* Index of the category called name, or -1. */
long excl_category_find(const struct excl_set *, const char *name);
/* 0 if name can name a new category: valid ([a-z0-9_-], 1 to 64
 * characters) and not taken; else -1 and *cause says why. Asked as soon
 * as a name is typed, before anything else is. */
int excl_category_name_check(const struct excl_set *, const char *name,
    char **cause);
/* Creates a custom category (a name excl_category_name_check accepts)
 * with an optional one-line description. Returns its index, or -1 and
 * *cause. */
long excl_category_add(struct excl_set *, const char *name,
    const char *description, char **cause);
/* Removes a custom category that has no rules: its [name], enabled = and
 * description = lines (and the blank line that adding it at the end of the
 * file wrote before it); comments stay. Later categories move
 * down one index. 0, or -1 and *cause. */
int excl_category_remove(struct excl_set *, size_t cat, char **cause);
int excl_category_set_enabled(struct excl_set *, size_t cat, int on, char **cause);

/* ------------------------------------------------------------ rules */

/* Rules are numbered 0..n-1 in file order. Adding or removing a rule
 * renumbers the rules after it. */
size_t excl_rule_count(const struct excl_set *);
size_t excl_rule_category(const struct excl_set *, size_t i);
enum excl_kind excl_rule_kind(const struct excl_set *, size_t i);
/* The rule's value as written, e.g. "203.0.113.0/24" or "CONTOSO\svc_*". */
const char *excl_rule_text(const struct excl_set *, size_t i);
/* The note, "" if none. */
const char *excl_rule_note(const struct excl_set *, size_t i);
/* 00:00 UTC of the last day the rule applies, or 0 for no expiry. */
time_t excl_rule_until(const struct excl_set *, size_t i);
int excl_rule_enabled(const struct excl_set *, size_t i);
/* 1 once now is past the end (24:00 UTC) of the until date. */
int excl_rule_expired(const struct excl_set *, size_t i, time_t now);
enum excl_state excl_rule_state(const struct excl_set *, size_t i, time_t now);
/* 1-based line number of the rule in the file as it would be saved. */
size_t excl_rule_line(const struct excl_set *, size_t i);

/* Checks a value for a kind without adding it; fills *cause on error, e.g.
 * a CIDR with host bits set names the network the user probably meant. */
int excl_rule_validate(enum excl_kind, const char *text, char **cause);
/* Turns a command-line RULE into a kind and value: "ip:", "account:" or
 * "device:" prefixes choose the kind; without one an address or CIDR is an
 * ip rule and a value containing '\' an account rule. *text is allocated. */
int excl_rule_parse_spec(const char *spec, enum excl_kind *kind, char **text,
    char **cause);

/* The first rule from index from on, in any category, with the same
 * meaning as the value kind:text (the same network however written, an
 * account or device pattern in any case): how a command finds a rule by
 * value, which does not move when others come and go. -1 if none. */
long excl_rule_find(const struct excl_set *, enum excl_kind kind,
    const char *text, size_t from);

/* Adds a rule at the end of its category's section (creating the section
 * if needed). note may be NULL; control characters in it become spaces so
 * it stays on one line. until is 0 or a date from excl_date_parse. Returns
 * the new rule's index, or -1 and *cause (invalid value, or the same rule
 * already exists in that category). */
long excl_rule_add(struct excl_set *, size_t cat, enum excl_kind kind,
    const char *text, const char *note, time_t until, char **cause);
/* Replaces the kind and value of rule i, keeping note, expiry and state. */
int excl_rule_edit(struct excl_set *, size_t i, enum excl_kind kind,
    const char *text, char **cause);
int excl_rule_set_note(struct excl_set *, size_t i, const char *note, char **cause);
int excl_rule_set_until(struct excl_set *, size_t i, time_t until, char **cause);
int excl_rule_set_enabled(struct excl_set *, size_t i, int on, char **cause);
int excl_rule_remove(struct excl_set *, size_t i, char **cause);

/* "YYYY-MM-DD" (a real date, years 2000-9999) to 00:00 UTC of that day. */
int excl_date_parse(const char *s, time_t *out, char **cause);
/* Writes "YYYY-MM-DD" (UTC) into out[11]. */
void excl_date_format(time_t t, char out[11]);

/* ------------------------------------------------------------ matching */

/* Compiles the rules that are enabled, unexpired at now, and in an enabled
 * category. The matcher does not refer back to the set. */
struct excl_matcher *excl_compile(const struct excl_set *, time_t now);
void excl_matcher_free(struct excl_matcher *);
/* Number of rules compiled in. */
size_t excl_matcher_size(const struct excl_matcher *);

/* Each returns the index of the rule that excludes, or -1. Strings are
 * counted, need not be NUL-terminated, and may hold anything.
 *
 * excl_match_ip: the most specific (longest) matching prefix wins, ties go
 * to the earliest rule. Anything that is not an address ("-", "", junk)
 * matches nothing. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is matched
 * as the IPv4 address it carries; a zone suffix (fe80::1%eth0) is ignored. */
long excl_match_ip(const struct excl_matcher *, const char *ip, size_t n);
/* The first account rule in file order whose domain pattern matches domain
 * (a rule without '\' matches any domain) and whose name pattern matches
 * name. Case-insensitive for ASCII and common Latin, Greek and Cyrillic
 * letters. */
long excl_match_account(const struct excl_matcher *, const char *domain,
    size_t dn, const char *name, size_t nn);
long excl_match_device(const struct excl_matcher *, const char *device, size_t n);
/* A digest of the rules compiled for one kind of value: two matchers with
 * the same digest for addresses (address, asn and owner rules) answer
 * excl_match_ip and excl_match_ipinfo alike, and so for accounts and
 * devices; the hunt keeps its answers across a change of other kinds.
 * NULL for a NULL matcher. */
enum excl_sig { EXCL_SIG_IP, EXCL_SIG_ACCOUNT, EXCL_SIG_DEVICE, EXCL_SIG_N };
const unsigned char *excl_matcher_sig(const struct excl_matcher *m,
    enum excl_sig what);
/* The address rules compiled, in file order (value: the rule's index),
 * when they alone answer excl_match_ip and excl_match_ipinfo (no asn or
 * owner rule), else NULL; *n is how many. */
const struct iptrie_prefix *excl_matcher_ip_prefixes(
    const struct excl_matcher *m, size_t *n);
/* 1 if the matcher holds asn or owner rules: they need what the
 * enrichment knows of an address (exclfilter_init_ipinfo). */
int excl_matcher_needs_ipinfo(const struct excl_matcher *);
/* The first asn or owner rule in file order that names asn (0: unknown,
 * matches nothing) or whose pattern matches owner (n bytes; "" matches
 * nothing), or -1. */
long excl_match_ipinfo(const struct excl_matcher *, uint32_t asn,
    const char *owner, size_t n);

/* The rules matched per category, for the console, where switching a
 * category must not ask every value again: every rule that is enabled and
 * unexpired at now is compiled, whether its category is on or not, and a
 * value's answer is asked per category. NULL when the set has more than
 * EXCL_CLASSES_MAX categories or asn or owner rules (they answer through
 * the enrichment): then compile as usual. */
#define EXCL_CLASSES_MAX 64
struct excl_classes;
struct excl_classes *excl_classes_compile(const struct excl_set *, time_t now);
void excl_classes_free(struct excl_classes *);
/* The categories whose rules match a value (a bit per category index),
 * and each one's rule (that category's answer were it alone on) into
 * rules[], one per bit in category order; rules must hold
 * EXCL_CLASSES_MAX. */
uint64_t excl_classes_match_ip(const struct excl_classes *, const char *ip,
    size_t n, int32_t *rules);
uint64_t excl_classes_match_account(const struct excl_classes *,
    const char *domain, size_t dn, const char *name, size_t nn,
    int32_t *rules);
uint64_t excl_classes_match_device(const struct excl_classes *,
    const char *device, size_t n, int32_t *rules);
/* Per rule of the set: among the rules of the categories that are on that
 * match a value, the one with the lowest wins (the longest prefix, then
 * the earliest rule; the earliest for accounts and devices), so the
 * answer is excl_match_*'s of a matcher compiled with those categories
 * on. */
const uint64_t *excl_classes_prec(const struct excl_classes *);
/* That answer: on is a bit per category that is on; mask and rules as
 * excl_classes_match_* gave them. -1 if none. */
long excl_classes_pick(const struct excl_classes *, uint64_t on,
    uint64_t mask, const int32_t *rules);
/* Digests as excl_matcher_sig, of the rules of every category (and which
 * category each is in), on or off. */
const unsigned char *excl_classes_sig(const struct excl_classes *,
    enum excl_sig what);
/* The address rules of every category, as excl_matcher_ip_prefixes, and
 * each one's category in *cats. */
const struct iptrie_prefix *excl_classes_ip_prefixes(
    const struct excl_classes *, size_t *n, const uint8_t **cats);
/* 0, or the until date (00:00 UTC) of the first rule compiled that will
 * expire: from then on, compile again before each use. */
time_t excl_classes_until(const struct excl_classes *);

/* What address rules would take from a list of values, without a lookup
 * per rule and value: the values' addresses sorted once, then two binary
 * searches per rule. Values that are not addresses are left out. Used to
 * show what rules that are off would remove. */
struct excl_addr_index;
struct excl_addr_index *excl_addr_index_new(void);
/* Adds a value (n bytes, parsed as the matcher parses log data) with a
 * weight (for example the events of a group). */
void excl_addr_index_add(struct excl_addr_index *, const char *ip, size_t n,
    uint64_t weight);
/* Sorts what was added; call once, after the last add. */
void excl_addr_index_build(struct excl_addr_index *);
/* The values that rule i of s (an address rule) contains, whatever its
 * state: their number and the sum of their weights. */
void excl_addr_index_count(const struct excl_addr_index *,
    const struct excl_set *s, size_t i, uint64_t *values, uint64_t *weight);
void excl_addr_index_free(struct excl_addr_index *);

/* For "check": every rule that would match, whatever its state. */
struct excl_hit {
	size_t rule;
	enum excl_state state;
	char *reason;		/* e.g. "203.0.113.7 is in 203.0.113.0/24" */
};
/* Any of ip, name, device may be NULL to skip that test; domain NULL means
 * any domain. Returns the number of hits, stored in *hits in file order
 * (free with excl_hits_free). */
size_t excl_check(const struct excl_set *, time_t now, const char *ip,
    const char *domain, const char *name, const char *device,
    struct excl_hit **hits);
void excl_hits_free(struct excl_hit *, size_t n);

/* ------------------------------------------------------------ import */

struct excl_import_stats {
	size_t read;		/* addresses/prefixes found in the input */
	size_t added;		/* new rules */
	size_t duplicates;	/* already in the category (or repeated) */
};

/* Imports a plain list (one address or CIDR per line, '#' comments, blank
 * lines) or, detected from the content, Microsoft's Azure IP ranges and
 * service tags JSON, into category cat. For the JSON, tags names the
 * service tags to take (exact names, at least one). Every imported rule
 * gets a note naming its origin. Nothing is added if any line or prefix is
 * invalid; *cause then lists them with line numbers. */
int excl_import(struct excl_set *, size_t cat, const char *path,
    const char *const *tags, size_t ntags, struct excl_import_stats *stats,
    char **cause);

struct excl_tag {
	char *name;
	size_t v4, v6;		/* prefix counts */
	long change_number;
};
/* 1 if the file looks like a service tags JSON document, 0 if not, -1 and
 * *cause if it cannot be read. */
int excl_servicetags_detect(const char *path, char **cause);
/* Lists the tags in a service tags file, in file order. */
int excl_servicetags_list(const char *path, struct excl_tag **tags, size_t *n,
    char **cause);
void excl_tags_free(struct excl_tag *, size_t n);
/* Calls each once per address prefix of every named tag of a service tags
 * document in memory (the enrichment's owner table reads it this way, so
 * the file has one parser). Tags without a prefix list, and prefixes that
 * are not strings, are passed over; each checks the prefixes. -1 and
 * *cause (naming path) if data is not such a document. */
int excl_servicetags_each(const char *path, const char *data, size_t len,
    void (*each)(void *ctx, const char *tag, const char *prefix), void *ctx,
    char **cause);

/* ------------------------------------------------------------ KQL */

/* The "Device Logons from Unknown IPs" hunting query with the rules active
 * at now compiled in as filters right after the RemoteIPType filter. */
void excl_kql_buf(struct buf *out, const struct excl_set *, time_t now);
void excl_kql_write(FILE *out, const struct excl_set *, time_t now);

/* What the query covers besides the rules: the hunt's time window and
 * identity filter (the command line's --since, --from, --until,
 * --relative-to-data, --identity-filter), and where the rules come from. */
struct excl_kql_opts {
	int64_t from, until;	/* Timestamp bounds in ticks (ts.h); TS_NONE: open */
	int64_t since;		/* ticks; > 0 keeps the last `since`, like ago() */
	int since_data;		/* ... counted from the newest Public logon */
	int identity_internal;	/* ISP == "INTERNAL_NETWORK" instead of != */
	const char *watchlist;	/* rules read from _GetWatchlist(alias), or NULL */
};
void excl_kql_opts_init(struct excl_kql_opts *);
/* The query for o; rules are inline unless o->watchlist is set. Rules that
 * apply at now are written with their expiry tested at query time (now()),
 * each with its note as a comment. */
void excl_kql_query(struct buf *out, const struct excl_set *, time_t now,
    const struct excl_kql_opts *o);

/* Microsoft Sentinel's limit for a watchlist file uploaded from the
 * portal (local file): 3.8 MB. */
#define EXCL_WATCHLIST_MAX_BYTES 3800000
/* The rules a watchlist carries (enabled, in an enabled category, not
 * expired at now; each keeps its expiry) as Sentinel watchlist CSV: a
 * header, then one row per rule (Kind,Value,Category,Note,Expiry), fields
 * quoted as RFC 4180 says, a field that a spreadsheet would take for a
 * formula (or that starts with ') prefixed with '. Split into parts of at
 * most max bytes, each with the header: *parts (free each with buf_free,
 * then the array) and their count are returned; *nrules is the number of
 * rows. -1 and *cause if a rule cannot be carried (see the man page). */
int excl_watchlist_csv(const struct excl_set *, time_t now, size_t max,
    struct buf **parts, size_t *nparts, size_t *nrules, char **cause);

#endif
