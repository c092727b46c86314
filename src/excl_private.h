/* Internals shared by excl.c, excl_match.c, excl_import.c and excl_kql.c.
 * Nothing outside the exclusions module includes this. */
#ifndef LH_EXCL_PRIVATE_H
#define LH_EXCL_PRIVATE_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "excl.h"
#include "iptrie.h"

struct excl_rule {
	enum excl_kind kind;
	char *text;		/* value, unquoted */
	char *note;		/* "" when none */
	time_t until;
	int enabled;
	size_t cat;
	size_t line;		/* index into lines[] (kept by reindex) */
	size_t index;		/* position in rules[] (kept by reindex) */
	/* EXCL_IP: the network, host bits clear */
	struct iptrie_addr addr;
	int pflen;
};

enum line_kind {
	LINE_TEXT,		/* blank line or comment */
	LINE_SECTION,		/* [name] */
	LINE_ENABLED,		/* enabled = yes|no */
	LINE_DESCRIPTION,	/* description = text */
	LINE_RULE,
	LINE_BAD		/* could not be parsed; kept verbatim */
};

struct excl_line {
	char *text;		/* without the line ending */
	enum line_kind kind;
	size_t cat;		/* for all but LINE_TEXT/LINE_BAD before a section */
	struct excl_rule *rule;	/* LINE_RULE only */
};

struct excl_cat {
	char *name;
	char *description;
	int builtin;
	int enabled;
	/* derived by reindex */
	long section_line;	/* -1 if the file has no [name] */
	long enabled_line;	/* -1 if the section has no enabled = line */
	size_t nrules;
	int blank_added;	/* section_append set it off with a blank line */
};

struct excl_set {
	char *path;
	struct excl_line *lines;
	size_t nlines, caplines;
	struct excl_rule **rules;	/* derived: rule lines in file order */
	size_t nrules, caprules;
	struct excl_cat *cats;
	size_t ncats, capcats;
	int has_errors;
	int modified;
	int bom;		/* the file started with a UTF-8 byte order mark */
	int crlf;		/* its lines ended in CR LF */
	/* The file as loaded or last saved, to detect edits by others. */
	int existed;
	struct timespec mtime;
	off_t size;
	uint64_t hash;
};

/* excl.c */
void excl_reindex(struct excl_set *);
/* Validates text for kind and fills the parsed parts of r (kind, addr,
 * pflen); r->text is not touched. */
int excl_value_parse(enum excl_kind kind, const char *text, struct excl_rule *r,
    char **cause);
/* Key identifying a rule's value within a category, for duplicate checks:
 * the network for ip rules, the case-folded text otherwise. Caller frees. */
char *excl_rule_key(const struct excl_rule *r);
/* Inserts count new rule lines for category cat in one pass (import).
 * rules[] ownership passes to the set. */
void excl_insert_rules(struct excl_set *, size_t cat, struct excl_rule **rules,
    size_t count);
/* Formats a network as text, "a.b.c.d" or "a.b.c.d/n" (n < full). */
char *excl_net_format(const struct iptrie_addr *a, int pflen, int always_pflen);
/* Reads a whole file; *missing = 1 (and 0 returned) if it does not exist.
 * st may be NULL. */
struct stat;
int excl_read_file(const char *path, char **data, size_t *len, int *missing,
    struct stat *st, char **cause);

/* excl_match.c */
/* Decodes UTF-8 (invalid bytes kept as distinct values) and case-folds
 * into out[] (room for n values). With pattern set, '*' becomes EXCL_STAR. */
size_t excl_fold(const char *s, size_t n, uint32_t *out, int pattern);
/* '*'-glob match of folded code points; '*' in the pattern is a wildcard. */
int excl_glob(const uint32_t *pat, size_t pn, const uint32_t *s, size_t sn);

#define EXCL_STAR 0xffffffffu	/* a '*' in a folded pattern */

#endif
