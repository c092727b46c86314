#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "strtab.h"
#include "util.h"

struct strtab_entry {
	uint64_t off;	/* into the byte arena */
	uint32_t len;
	uint32_t hash;	/* low bits of the full hash, to skip most memcmp */
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
};

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
strtab_new(void)
{
	struct strtab *st = xcalloc(1, sizeof *st);

	strtab_rehash(st, 1024);
	strtab_intern(st, "", 0);
	return st;
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
		/* Absent values come as { NULL, 0 }: memcmp must not see
		 * the NULL, even for no bytes. */
		if (e->len == n &&
		    (n == 0 || memcmp(st->bytes + e->off, s, n) == 0))
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
	return intern_hashed(st, s, n, (uint32_t)util_hash(s, n));
}

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
	for (i = 0; i < src->nent; i++)
		map[i] = intern_hashed(dst, src->bytes + src->ent[i].off,
		    src->ent[i].len, src->ent[i].hash);
}

int
strtab_find(const struct strtab *st, const char *s, size_t n, uint32_t *id)
{
	uint32_t h = (uint32_t)util_hash(s, n);
	size_t j = strtab_lookup(st, s, n, h);

	if (st->slots[j] == 0)
		return 0;
	*id = (uint32_t)st->slots[j] - 1;
	return 1;
}

const char *
strtab_str(const struct strtab *st, uint32_t id)
{
	return st->bytes + st->ent[id].off;
}

size_t
strtab_len(const struct strtab *st, uint32_t id)
{
	return st->ent[id].len;
}

uint32_t
strtab_count(const struct strtab *st)
{
	return (uint32_t)st->nent;
}
