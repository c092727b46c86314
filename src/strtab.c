#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "strtab.h"
#include "util.h"

static uint32_t
hash_of(const struct strtab *st, const char *s, size_t n)
{
	if (st->hash != NULL)
		return st->hash(s, n);
	return (uint32_t)util_hash(s, n);
}

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

static void
strtab_rehash(struct strtab *st, size_t nslots)
{
	uint64_t *slots = xcalloc(nslots, sizeof *slots);
	size_t i, j, mask = nslots - 1;

	for (i = 0; i < st->nent; i++) {
		j = st->ent[i].hash & mask;
		while (slots[j] != 0)
			j = (j + 1) & mask;
		slots[j] = (uint64_t)st->ent[i].hash << 32 | (i + 1);
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

static size_t
strtab_lookup(const struct strtab *st, const char *s, size_t n, uint32_t h)
{
	size_t mask = st->nslots - 1, j = h & mask;
	const struct strtab_entry *e;
	uint64_t v;

	for (;; j = (j + 1) & mask) {
		v = st->slots[j];
		if (v == 0)
			return j;
		if ((uint32_t)(v >> 32) != h)
			continue;
		e = &st->ent[(uint32_t)v - 1];
		/* Absent values come as { NULL, 0 }: bytes_equal reads
		 * nothing for no bytes. */
		if (e->len == n && bytes_equal(st->bytes + e->off, s, n))
			return j;
	}
}

static uint32_t
intern_hashed(struct strtab *st, const char *s, size_t n, uint32_t h)
{
	size_t j = strtab_lookup(st, s, n, h);
	struct strtab_entry *e;

	if (st->slots[j] != 0)
		return (uint32_t)st->slots[j] - 1;
	if (n > UINT32_MAX - 1)
		n = UINT32_MAX - 1;	/* cannot happen: fields are capped far lower */
	st->bytes = xgrow(st->bytes, &st->capbytes, st->nbytes + n + 1, 1);
	memcpy(st->bytes + st->nbytes, s, n);
	st->bytes[st->nbytes + n] = '\0';
	st->ent = xgrow(st->ent, &st->capent, st->nent + 1, sizeof *st->ent);
	e = &st->ent[st->nent];
	e->off = st->nbytes;
	e->len = (uint32_t)n;
	e->hash = h;
	st->nbytes += n + 1;
	st->slots[j] = (uint64_t)h << 32 | ++st->nent;
	/* Probes compare hash tags in the slots, so a fuller table stays
	 * cheap: grow at three quarters. */
	if (st->nent * 4 > st->nslots * 3)
		strtab_rehash(st, st->nslots * 2);
	return (uint32_t)st->nent - 1;
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
	uint32_t h[MANY_BATCH], cand[MANY_BATCH];
	size_t i, j, k, m, mask;
	uint64_t slot;

	for (k = 0; k < n; k += m) {
		m = n - k < MANY_BATCH ? n - k : MANY_BATCH;
		mask = st->nslots - 1;
		/* Three rounds of requests, each for all the strings: their
		 * first slots; the entry of the first slot whose hash tag
		 * matches; that entry's bytes. Only hints: the interning
		 * below probes afresh (an earlier string of the batch may
		 * have taken a slot or grown the table). */
		for (i = 0; i < m; i++) {
			h[i] = hash_of(st, v[k + i].p, v[k + i].n);
			__builtin_prefetch(&st->slots[h[i] & mask]);
		}
		for (i = 0; i < m; i++) {
			for (j = h[i] & mask; (slot = st->slots[j]) != 0 &&
			    (uint32_t)(slot >> 32) != h[i]; j = (j + 1) & mask)
				;
			cand[i] = (uint32_t)slot;
			if (cand[i] != 0)
				__builtin_prefetch(&st->ent[cand[i] - 1]);
		}
		for (i = 0; i < m; i++)
			if (cand[i] != 0) {
				const struct strtab_entry *e = &st->ent[cand[i] - 1];

				/* A DeviceId's 40 bytes may span two lines. */
				__builtin_prefetch(st->bytes + e->off);
				__builtin_prefetch(st->bytes + e->off + e->len);
			}
		for (i = 0; i < m; i++)
			ids[k + i] = intern_hashed(st, v[k + i].p, v[k + i].n, h[i]);
	}
}

#define MERGE_AHEAD 16

void
strtab_merge(struct strtab *dst, const struct strtab *src, uint32_t *map)
{
	size_t i;

	/* Room for every string up front, and each one's hash reused:
	 * merging a thread's table costs one probe per string. */
	while ((dst->nent + src->nent) * 4 > dst->nslots * 3)
		strtab_rehash(dst, dst->nslots * 2);
	dst->bytes = xgrow(dst->bytes, &dst->capbytes, dst->nbytes + src->nbytes, 1);
	dst->ent = xgrow(dst->ent, &dst->capent, dst->nent + src->nent, sizeof *dst->ent);
	for (i = 0; i < src->nent; i++) {
		/* The slot of the string 16 ahead, and the entry of the one
		 * 8 ahead where its slot's tag matches, are asked for
		 * first: a million strings miss the cache at every probe.
		 * (Only with the same hash, the tables' own case.) */
		if (dst->hash == src->hash && i + MERGE_AHEAD < src->nent)
			__builtin_prefetch(&dst->slots[src->ent[i + MERGE_AHEAD].hash &
			    (dst->nslots - 1)]);
		if (dst->hash == src->hash && i + MERGE_AHEAD / 2 < src->nent) {
			uint32_t h = src->ent[i + MERGE_AHEAD / 2].hash;
			uint64_t slot = dst->slots[h & (dst->nslots - 1)];

			if (slot != 0 && (uint32_t)(slot >> 32) == h)
				__builtin_prefetch(&dst->ent[(uint32_t)slot - 1]);
		}
		map[i] = intern_hashed(dst, src->bytes + src->ent[i].off,
		    src->ent[i].len, dst->hash == src->hash ? src->ent[i].hash :
		    hash_of(dst, src->bytes + src->ent[i].off, src->ent[i].len));
	}
}

int
strtab_find(const struct strtab *st, const char *s, size_t n, uint32_t *id)
{
	uint32_t h = hash_of(st, s, n);
	size_t j = strtab_lookup(st, s, n, h);

	if (st->slots[j] == 0)
		return 0;
	*id = (uint32_t)st->slots[j] - 1;
	return 1;
}

uint32_t
strtab_count(const struct strtab *st)
{
	return (uint32_t)st->nent;
}
