/* A structural JSON scanner: finds where values, object members and array
 * elements begin and end without building them, so that a large document
 * is walked record by record and only one record at a time goes to cJSON.
 * It checks the structure (brackets, strings, separators) of the containers
 * it walks; the details of a record's scalars are cJSON's job. */
#ifndef LH_JSONSCAN_H
#define LH_JSONSCAN_H

#include <stddef.h>

#include "util.h"

/* Deeper nesting is refused; cJSON refuses it too. */
#define JSONSCAN_MAX_DEPTH 1000

enum jsonscan_error {
	JSONSCAN_OK,
	JSONSCAN_TRUNCATED,	/* the input ended inside a value */
	JSONSCAN_UNEXPECTED,	/* a byte that cannot be there */
	JSONSCAN_DEEP		/* nested deeper than JSONSCAN_MAX_DEPTH */
};

struct jsonscan {
	const char *end;	/* where the input ends */
	enum jsonscan_error err;
	const char *errpos;	/* with err: where it went wrong */
	const char *want;	/* with JSONSCAN_UNEXPECTED: what was expected */
};

/* Walks the members of an object or the elements of an array. */
struct jsonscan_iter {
	const char *p;		/* the next byte to look at */
	char close;		/* '}' or ']' */
	int started;
};

void jsonscan_init(struct jsonscan *s, const char *end);
/* The first byte at or after p that is not JSON whitespace (or end). */
const char *jsonscan_ws(const char *p, const char *end);
/* Returns the end of the value that starts at p (after whitespace), or
 * NULL with s->err set. Inside containers it only balances brackets and
 * strings; cJSON checks the rest when the value is parsed. */
const char *jsonscan_skip(struct jsonscan *s, const char *p);
/* p at '{' (or '['): starts iterating; -1 with s->err if it is not one. */
int jsonscan_enter(struct jsonscan *s, struct jsonscan_iter *it,
    const char *p, char open);
/* Each returns 1 with the next item, 0 after the closing bracket (it->p is
 * then just past it), or -1 with s->err set. key is the member name as
 * written, without its quotes and undecoded. */
int jsonscan_member(struct jsonscan *s, struct jsonscan_iter *it,
    struct lh_str *key, const char **val, const char **val_end);
int jsonscan_element(struct jsonscan *s, struct jsonscan_iter *it,
    const char **val, const char **val_end);
/* Like jsonscan_member, but stops at the start of the value, so that a
 * caller can walk a large value as it goes instead of skipping it first;
 * it then calls jsonscan_member_done with where the value ended. */
int jsonscan_member_start(struct jsonscan *s, struct jsonscan_iter *it,
    struct lh_str *key, const char **val);
void jsonscan_member_done(struct jsonscan_iter *it, const char *val_end);
/* 1 if a raw member name equals name, ignoring ASCII case. Names written
 * with escapes are decoded first (ASCII escapes only). */
int jsonscan_key_is(const struct lh_str *key, const char *name);
/* Decodes the JSON string [v, ve) (with its quotes) onto out, as cJSON
 * does, except that \u0000 is kept as a NUL byte where cJSON's strings end
 * (a CSV field keeps its NUL bytes, so the two forms of one export agree).
 * Returns 0, or -1 if it is not a well-formed string: an unknown escape, a
 * cut \u escape, a lone or reversed surrogate, an unescaped quote. */
int jsonscan_string(const char *v, const char *ve, struct buf *out);
/* What went wrong and where, for messages: "expected ':' after a member
 * name at byte 120, found 'x'"; byte offsets count from base. */
char *jsonscan_describe(const struct jsonscan *s, const char *base);
/* A short name of the JSON type that starts at p: "an object", "a string",
 * "a number", ... for messages. */
const char *jsonscan_kind(const char *p, const char *end);

#endif
