/* String interning: every distinct string gets a small integer id, so the
 * hunt compares and hashes integers, and each value is stored once. */
#ifndef LH_STRTAB_H
#define LH_STRTAB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct lh_str;

/* Exposed only so strtab_str and strtab_len are inline: sorting and
 * writing a million groups read them tens of millions of times. Use the
 * functions.
 *
 * Each string is a record in the byte arena, 4-aligned: its id (4
 * bytes), its length (4), its bytes and a NUL. A slot of the hash table
 * holds the string's hash in its high half and its record's offset / 4
 * in its low half (0 = empty: the arena starts with 4 unused bytes), so a
 * lookup reads the slot, then the record, where the id, the length and
 * the bytes are together: two waits for memory where a slot, an entry
 * and the bytes were three. */
#define STRTAB_REC_HDR 8

struct strtab_entry {
	uint32_t rec;	/* the record's offset / 4 */
	uint32_t hash;	/* kept for merging without hashing again */
};

struct strtab {
	char *bytes;		/* the records */
	size_t nbytes, capbytes;
	struct strtab_entry *ent;	/* per id */
	size_t nent, capent;
	uint64_t *slots;	/* open addressing, hash << 32 | rec */
	size_t nslots;		/* power of two */
	uint32_t (*hash)(const char *, size_t);	/* NULL: the table's own */
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
/* As strtab_merge, but where dst holds nothing yet ("" only) src's
 * storage is taken over instead of copied (no second copy of a large
 * table beside the first), leaving src empty; src is to be freed. */
void strtab_merge_take(struct strtab *dst, struct strtab *src, uint32_t *map);
/* Returns 1 and sets *id if the string is present. */
int strtab_find(const struct strtab *st, const char *s, size_t n, uint32_t *id);
uint32_t strtab_count(const struct strtab *st);

/* An id's record (for the functions below). */
static inline const char *
strtab_record(const struct strtab *st, uint32_t id)
{
	return st->bytes + (size_t)st->ent[id].rec * 4;
}

/* The NUL-terminated string of an id; valid until the next intern. */
static inline const char *
strtab_str(const struct strtab *st, uint32_t id)
{
	return strtab_record(st, id) + STRTAB_REC_HDR;
}

static inline size_t
strtab_len(const struct strtab *st, uint32_t id)
{
	uint32_t n;

	memcpy(&n, strtab_record(st, id) + 4, sizeof n);
	return n;
}

/* Asks for an id's entry (bytes = 0) or, once that has come, its record
 * (bytes = 1: the length and the string) to be fetched into the cache:
 * for loops that will read many strings in an order of their own
 * (writing sorted groups). */
static inline void
strtab_prefetch(const struct strtab *st, uint32_t id, int bytes)
{
	if (bytes)
		__builtin_prefetch(strtab_record(st, id));
	else
		__builtin_prefetch(&st->ent[id]);
}

#endif
