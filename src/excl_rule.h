/* A rule as the exclusions modules keep it once its line is parsed, and
 * read access to a set's rules by index for the modules that do not need
 * the file's line model (matching, KQL). Nothing outside the exclusions
 * modules includes this. */
#ifndef LH_EXCL_RULE_H
#define LH_EXCL_RULE_H

#include <stddef.h>
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
	uint32_t asn;		/* EXCL_ASN */
};

/* Rule i (i < excl_rule_count) in file order (excl.c). */
const struct excl_rule *excl_rule_at(const struct excl_set *, size_t i);

#endif
