/* What the user writes in a rule, checked and parsed: values (addresses
 * and ranges, account and device patterns), category names and notes, and
 * the key that tells two rules apart. The file reader, the rule API and
 * the import share it; nothing outside the exclusions modules includes
 * this. Dates (excl_date_parse) and kind names are public, in excl.h. */
#ifndef LH_EXCL_VALUE_H
#define LH_EXCL_VALUE_H

#include "excl.h"

struct excl_rule;
struct iptrie_addr;

static inline int
excl_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static inline const char *
excl_skip_blanks(const char *p, const char *e)
{
	while (p < e && excl_is_blank(*p))
		p++;
	return p;
}

static inline const char *
excl_trim_end(const char *p, const char *e)
{
	while (e > p && excl_is_blank(e[-1]))
		e--;
	return e;
}

/* Validates text for kind and fills the parsed parts of r (kind, addr,
 * pflen); r->text is not touched. */
int excl_value_parse(enum excl_kind kind, const char *text, struct excl_rule *r,
    char **cause);
/* Key identifying a rule's value within a category, for duplicate checks:
 * the network for ip rules, the case-folded text otherwise. Caller frees. */
char *excl_rule_key(const struct excl_rule *r);
/* Formats a network as text, "a.b.c.d" or "a.b.c.d/n" (n < full). */
char *excl_net_format(const struct iptrie_addr *a, int pflen, int always_pflen);
/* A note as it can stand on a rule's line, the one sanitiser of every note
 * and description whatever its source (--note, the console, an import's
 * tag or file name and comments): controls (utf8_cp_control: C0, DEL, C1,
 * U+2028/U+2029) and spaces become one space, none at either end; the
 * invisible and bidi characters of utf8_cp_hidden are removed. NULL and
 * *cause if it is not UTF-8. note may be NULL (""). */
char *excl_note_clean(const char *note, char **cause);
/* Category names: [a-z0-9_-], 1 to 64 characters. The problem is a
 * message for a name that is not valid. */
int excl_cat_name_valid(const char *name, size_t n);
char *excl_cat_name_problem(const char *name, size_t n);

#endif
