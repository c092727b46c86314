/* Interning of fixed-width tuples of string ids: each distinct tuple (a
 * device's DeviceId and DeviceName) gets a small integer id, so a Public
 * logon keeps one id where it kept two strings'. Thread-local tables
 * merge like string tables (strtab_merge). */
#ifndef LH_TUPTAB_H
#define LH_TUPTAB_H

#include <stddef.h>
#include <stdint.h>

/* Exposed only so tuptab_get is inline: the hunt reads a tuple per
 * logon. Use the functions. */
struct tuptab {
	unsigned width;		/* ids per tuple */
	uint32_t *v;		/* tuple i is v[i * width ..] */
	size_t n, cap;
	/* Open addressing: each slot holds the tuple's hash in its high
	 * half and id + 1 in its low half (0 = empty). */
	uint64_t *slots;
	size_t nslots;		/* power of two */
};

struct tuptab *tuptab_new(unsigned width);
void tuptab_free(struct tuptab *t);
/* Returns the id of the tuple v[0 .. width), adding it if new. */
uint32_t tuptab_intern(struct tuptab *t, const uint32_t *v);
/* Interns every tuple of src into dst with each of its string ids i
 * replaced by strmap[i] (strtab_merge's map); map[j] becomes the id in
 * dst of src's tuple j (map has tuptab_count(src) entries). */
void tuptab_merge(struct tuptab *dst, const struct tuptab *src,
    const uint32_t *strmap, uint32_t *map);
uint32_t tuptab_count(const struct tuptab *t);

static inline const uint32_t *
tuptab_get(const struct tuptab *t, uint32_t id)
{
	return t->v + (size_t)id * t->width;
}

#endif
