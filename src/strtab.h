/* String interning: every distinct string gets a small integer id, so the
 * hunt compares and hashes integers, and each value is stored once. */
#ifndef LH_STRTAB_H
#define LH_STRTAB_H

#include <stddef.h>
#include <stdint.h>

struct lh_str;

/* Exposed only so strtab_str and strtab_len are inline: sorting and
 * writing a million groups read them tens of millions of times. Use the
 * functions. */
struct strtab_entry {
	uint64_t off;	/* into the byte arena */
	uint32_t len;
	uint32_t hash;	/* low bits of the full hash, to skip most compares */
};

struct strtab {
	char *bytes;		/* all strings, each NUL-terminated */
	size_t nbytes, capbytes;
	struct strtab_entry *ent;
	size_t nent, capent;
	/* Open addressing; each slot holds the entry's hash in its high
	 * half and id + 1 in its low half (0 = empty), so a probe rejects
	 * other strings without touching their entries or bytes. */
	uint64_t *slots;
	size_t nslots;		/* power of two */
	uint32_t (*hash)(const char *, size_t);	/* NULL: util_hash */
};

struct strtab *strtab_new(void);
/* For the tests: a table whose strings are hashed by hash instead, to
 * force collisions. Tables merged together must hash alike. */
struct strtab *strtab_new_hashed(uint32_t (*hash)(const char *s, size_t n));
void strtab_free(struct strtab *st);
/* Returns the id of the string, adding it if new. Id 0 is always "". */
uint32_t strtab_intern(struct strtab *st, const char *s, size_t n);
/* ids[i] = strtab_intern(st, v[i].p, v[i].n) for i < n, in that order:
 * the same ids, sooner, since the memory each lookup waits for (its slot,
 * its entry, its bytes) is requested for all of them before any is read. */
void strtab_intern_many(struct strtab *st, const struct lh_str *v, size_t n,
    uint32_t *ids);
/* Interns every string of src into dst; map[i] becomes the id in dst of
 * src's id i (map has strtab_count(src) entries). */
void strtab_merge(struct strtab *dst, const struct strtab *src, uint32_t *map);
/* Returns 1 and sets *id if the string is present. */
int strtab_find(const struct strtab *st, const char *s, size_t n, uint32_t *id);
uint32_t strtab_count(const struct strtab *st);

/* The NUL-terminated string of an id; valid until the next intern. */
static inline const char *
strtab_str(const struct strtab *st, uint32_t id)
{
	return st->bytes + st->ent[id].off;
}

static inline size_t
strtab_len(const struct strtab *st, uint32_t id)
{
	return st->ent[id].len;
}

/* Asks for an id's entry (bytes = 0) or, once that has come, its bytes
 * (bytes = 1) to be fetched into the cache: for loops that will read
 * many strings in an order of their own (writing sorted groups). */
static inline void
strtab_prefetch(const struct strtab *st, uint32_t id, int bytes)
{
	if (bytes)
		__builtin_prefetch(st->bytes + st->ent[id].off);
	else
		__builtin_prefetch(&st->ent[id]);
}

#endif
