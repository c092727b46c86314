/* The exclusions file as a lossless list of lines: rules, category
 * options, and the user's comments and blank lines, kept byte for byte
 * until an edit touches them. The reader (excl_file.c) builds it, the rule
 * and category API (excl.c) edits it, the import adds to it; the matcher
 * never sees it. Nothing outside the exclusions modules includes this. */
#ifndef LH_EXCL_LINES_H
#define LH_EXCL_LINES_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "excl_rule.h"

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
	int blank_added;	/* appended after a blank line it wrote */
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

/* Rebuilds what is derived from the lines: rules[], each rule's line,
 * index and category, each category's section line and rule count. */
void excl_reindex(struct excl_set *);

/* Inserts count zeroed lines at pos and returns the first; the caller
 * fills them in and reindexes. */
struct excl_line *excl_lines_insert(struct excl_set *, size_t pos, size_t count);
/* Removes line pos and the rule it holds; the caller reindexes. */
void excl_lines_delete(struct excl_set *, size_t pos);

/* The text of a rule's line: [!]kind value [until=DATE] [  # note]. */
char *excl_rule_format(const struct excl_rule *r);
void excl_rule_free(struct excl_rule *r);

/* Adds a category (no line is written) and returns its index. */
size_t excl_cat_add(struct excl_set *, const char *name, size_t n, int builtin,
    const char *description);
/* Index of the category called name[0..n), or -1. */
long excl_cat_find(const struct excl_set *, const char *name, size_t n);
/* The description a built-in category has when the file gives none. */
const char *excl_cat_builtin_description(size_t cat);
/* Appends "[name]" (and a description) for category cat at the end of the
 * file and returns the line index just after what it wrote. */
size_t excl_section_append(struct excl_set *, size_t cat);
/* Where a new rule for category cat goes (its section is appended if the
 * file has none). */
size_t excl_rule_insert_pos(struct excl_set *, size_t cat);
/* Inserts count new rule lines for category cat in one pass (import).
 * rules[] ownership passes to the set. */
void excl_insert_rules(struct excl_set *, size_t cat, struct excl_rule **rules,
    size_t count);

#endif
