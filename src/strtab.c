#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "strtab.h"
#include "util.h"

static inline uint64_t
load8(const char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static inline uint32_t
load4(const char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static inline uint64_t
mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* util_hash's folding, with the last bytes read as bytes_equal reads
 * them (overlapping word loads inside the string): util_hash copies a
 * tail of 1 to 7 bytes one byte at a time into a word it then reads
 * whole, which stalls the load on the stores, on every key. Every byte
 * counts, and the length, so equal-length strings that differ anywhere
 * differ in the word hashed. */
static uint32_t
short_hash(const char *p, size_t n)
{
	uint64_t h = 0x243f6a8885a308d3ull ^ n, w = 0;
	size_t i;

	if (n >= 8) {
		for (i = 0; i + 8 < n; i += 8)
			h = mix(h ^ load8(p + i), 0x9e3779b97f4a7c15ull);
		w = load8(p + n - 8);
	} else if (n >= 4) {
		w = (uint64_t)load4(p) << 32 | load4(p + n - 4);
	} else if (n > 0) {
		/* The first, the middle and the last are all of them. */
		w = (uint64_t)(unsigned char)p[0] << 16 |
		    (uint64_t)(unsigned char)p[n / 2] << 8 | (unsigned char)p[n - 1];
	}
	h = mix(h ^ w, 0xbf58476d1ce4e5b9ull);
	return (uint32_t)(h ^ h >> 32);
}

static uint32_t
hash_of(const struct strtab *st, const char *s, size_t n)
{
	if (st->hash != NULL)
		return st->hash(s, n);
	return short_hash(s, n);
}

/* memcmp(a, b, n) == 0 for the short strings interned here (addresses,
 * names, ids) without a call: overlapping word loads inside the n bytes. */
static inline int
bytes_equal(const char *a, const char *b, size_t n)
{
	size_t i;

	if (n >= 8) {
		if (n > 64)
			return memcmp(a, b, n) == 0;
		for (i = 0; i + 8 < n; i += 8)
			if (load8(a + i) != load8(b + i))
				return 0;
		return load8(a + n - 8) == load8(b + n - 8);
	}
	if (n >= 4)
		return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
	/* 1 to 3 bytes: the first, the middle and the last are all of them. */
	return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] &&
	    a[n - 1] == b[n - 1]);
}

static inline uint32_t
rec_u32(const char *rec, size_t at)
{
	uint32_t v;

	memcpy(&v, rec + at, sizeof v);
	return v;
}

/* The record a slot names. */
static inline const char *
slot_rec(const struct strtab *st, uint64_t slot)
{
	return st->bytes + (size_t)(uint32_t)slot * 4;
}

/* The slot's record holds s: its length, then its bytes. */
static inline int
slot_holds(const struct strtab *st, uint64_t slot, const char *s, size_t n)
{
	const char *rec = slot_rec(st, slot);

	/* Absent values come as { NULL, 0 }: bytes_equal reads nothing
	 * for no bytes. */
	return rec_u32(rec, 4) == n && bytes_equal(rec + STRTAB_REC_HDR, s, n);
}

/* Room for need bytes of records, or need entries: the records and
 * entries of a large table are read at random (lookups, sorts), so they
 * get huge pages where the kernel offers them, as the slots do. */
static void
arena_grow(struct strtab *st, size_t need)
{
	st->bytes = xgrow(st->bytes, &st->capbytes, need, 1);
	util_hugepages(st->bytes, st->capbytes);
}

static void
entries_grow(struct strtab *st, size_t need)
{
	st->ent = xgrow(st->ent, &st->capent, need, sizeof *st->ent);
	util_hugepages(st->ent, st->capent * sizeof *st->ent);
}

/* Grows the table from its own slots: the hashes are in them. */
static void
strtab_rehash(struct strtab *st, size_t nslots)
{
	uint64_t *slots = xcalloc(nslots, sizeof *slots), v;
	size_t i, j, mask = nslots - 1;

	util_hugepages(slots, nslots * sizeof *slots);
	for (i = 0; i < st->nslots; i++) {
		if ((v = st->slots[i]) == 0)
			continue;
		for (j = (v >> 32) & mask; slots[j] != 0; j = (j + 1) & mask)
			;
		slots[j] = v;
	}
	free(st->slots);
	st->slots = slots;
	st->nslots = nslots;
}

struct strtab *
strtab_new_hashed(uint32_t (*hash)(const char *s, size_t n))
{
	struct strtab *st = xcalloc(1, sizeof *st);

	st->hash = hash;
	strtab_rehash(st, 1024);
	/* Offset 0 is no record's: a slot of 0 is an empty one. */
	st->bytes = xgrow(st->bytes, &st->capbytes, 4, 1);
	memset(st->bytes, 0, 4);
	st->nbytes = 4;
	strtab_intern(st, "", 0);
	return st;
}

struct strtab *
strtab_new(void)
{
	return strtab_new_hashed(NULL);
}

void
strtab_free(struct strtab *st)
{
	if (st == NULL)
		return;
	free(st->bytes);
	free(st->ent);
	free(st->slots);
	free(st);
}

/* The slot holding the string, or the empty one where it would go. */
static size_t
strtab_lookup(const struct strtab *st, const char *s, size_t n, uint32_t h)
{
	size_t mask = st->nslots - 1, j = h & mask;
	uint64_t v;

	for (;; j = (j + 1) & mask) {
		v = st->slots[j];
		if (v == 0)
			return j;
		if ((uint32_t)(v >> 32) == h && slot_holds(st, v, s, n))
			return j;
	}
}

static uint32_t
intern_hashed(struct strtab *st, const char *s, size_t n, uint32_t h)
{
	size_t j = strtab_lookup(st, s, n, h), size;
	uint32_t id, len;
	char *rec;

	if (st->slots[j] != 0)
		return rec_u32(slot_rec(st, st->slots[j]), 0);
	if (n > UINT32_MAX - 1)
		n = UINT32_MAX - 1;	/* cannot happen: fields are capped far lower */
	/* The header, the bytes and the NUL, to the next 4 bytes. */
	size = (STRTAB_REC_HDR + n + 1 + 3) & ~(size_t)3;
	/* Offsets / 4 must fit the slots' 32 bits: 16 GiB of strings. */
	if ((st->nbytes + size) / 4 > UINT32_MAX)
		abort();
	if (st->nbytes + size > st->capbytes)
		arena_grow(st, st->nbytes + size);
	rec = st->bytes + st->nbytes;
	id = (uint32_t)st->nent;
	len = (uint32_t)n;
	memcpy(rec, &id, sizeof id);
	memcpy(rec + 4, &len, sizeof len);
	if (n)
		memcpy(rec + STRTAB_REC_HDR, s, n);
	memset(rec + STRTAB_REC_HDR + n, 0, size - STRTAB_REC_HDR - n);
	if (st->nent + 1 > st->capent)
		entries_grow(st, st->nent + 1);
	st->ent[id].rec = (uint32_t)(st->nbytes / 4);
	st->ent[id].hash = h;
	st->slots[j] = (uint64_t)h << 32 | st->ent[id].rec;
	st->nbytes += size;
	st->nent++;
	/* Probes compare hash tags in the slots, so a fuller table stays
	 * cheap: grow at three quarters. */
	if (st->nent * 4 > st->nslots * 3)
		strtab_rehash(st, st->nslots * 2);
	return id;
}

uint32_t
strtab_intern(struct strtab *st, const char *s, size_t n)
{
	return intern_hashed(st, s, n, hash_of(st, s, n));
}

/* Strings looked up together: enough to keep the memory busy, few enough
 * that the first one's lines are still cached when it is interned. */
#define MANY_BATCH 16

void
strtab_intern_many(struct strtab *st, const struct lh_str *v, size_t n,
    uint32_t *ids)
{
	uint32_t h[MANY_BATCH];
	size_t i, j, k, m, mask;
	uint64_t slot;
	const char *rec;

	for (k = 0; k < n; k += m) {
		m = n - k < MANY_BATCH ? n - k : MANY_BATCH;
		mask = st->nslots - 1;
		/* Two rounds of requests, each for all the strings: their
		 * first slots; the record of the first slot whose hash tag
		 * matches (its start, and where the string would end: a
		 * DeviceId's 40 bytes may span two lines). Only hints: the
		 * interning below probes afresh (an earlier string of the
		 * batch may have taken a slot or grown the table). */
		for (i = 0; i < m; i++) {
			h[i] = hash_of(st, v[k + i].p, v[k + i].n);
			__builtin_prefetch(&st->slots[h[i] & mask]);
		}
		for (i = 0; i < m; i++) {
			for (j = h[i] & mask; (slot = st->slots[j]) != 0 &&
			    (uint32_t)(slot >> 32) != h[i]; j = (j + 1) & mask)
				;
			if (slot != 0) {
				rec = slot_rec(st, slot);
				__builtin_prefetch(rec);
				__builtin_prefetch(rec + STRTAB_REC_HDR + v[k + i].n);
			}
		}
		for (i = 0; i < m; i++)
			ids[k + i] = intern_hashed(st, v[k + i].p, v[k + i].n, h[i]);
	}
}

#define MERGE_AHEAD 16

void
strtab_merge(struct strtab *dst, const struct strtab *src, uint32_t *map)
{
	int same = dst->hash == src->hash;
	size_t i, mask;
	uint64_t slot;
	uint32_t h;

	/* Each string's hash is reused: merging a thread's table costs one
	 * probe per string. The table grows only as strings are added:
	 * room for all of src's up front would be a second table's worth
	 * where the two threads saw the same strings (the peak of a load of
	 * a million groups). */
	for (i = 0; i < src->nent; i++) {
		mask = dst->nslots - 1;
		/* The slot of the string 16 ahead, and the record of the one
		 * 8 ahead where its slot's tag matches, are asked for
		 * first: a million strings miss the cache at every probe.
		 * (Only with the same hash, the tables' own case.) */
		if (same && i + MERGE_AHEAD < src->nent)
			__builtin_prefetch(&dst->slots[src->ent[i + MERGE_AHEAD].hash & mask]);
		if (same && i + MERGE_AHEAD / 2 < src->nent) {
			h = src->ent[i + MERGE_AHEAD / 2].hash;
			slot = dst->slots[h & mask];
			if (slot != 0 && (uint32_t)(slot >> 32) == h)
				__builtin_prefetch(slot_rec(dst, slot));
		}
		map[i] = intern_hashed(dst, strtab_str(src, (uint32_t)i),
		    strtab_len(src, (uint32_t)i), same ? src->ent[i].hash :
		    hash_of(dst, strtab_str(src, (uint32_t)i), strtab_len(src, (uint32_t)i)));
	}
}

void
strtab_merge_take(struct strtab *dst, struct strtab *src, uint32_t *map)
{
	struct strtab t;
	uint32_t i;

	if (dst->nent == 1 && dst->hash == src->hash) {
		/* dst holds only "": src's table becomes dst's as it is,
		 * with its ids, and src is left dst's empty one. */
		t = *dst;
		*dst = *src;
		*src = t;
		for (i = 0; i < dst->nent; i++)
			map[i] = i;
		return;
	}
	strtab_merge(dst, src, map);
}

int
strtab_find(const struct strtab *st, const char *s, size_t n, uint32_t *id)
{
	uint32_t h = hash_of(st, s, n);
	size_t j = strtab_lookup(st, s, n, h);

	if (st->slots[j] == 0)
		return 0;
	*id = rec_u32(slot_rec(st, st->slots[j]), 0);
	return 1;
}

uint32_t
strtab_count(const struct strtab *st)
{
	return (uint32_t)st->nent;
}
