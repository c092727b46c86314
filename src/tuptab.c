#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tuptab.h"
#include "util.h"

#define TUPTAB_MAX_WIDTH 8

static uint32_t
tuple_hash(const uint32_t *v, unsigned width)
{
	uint64_t h = util_hash_ids(v, width);

	return (uint32_t)(h ^ h >> 32);
}

static void
tuptab_rehash(struct tuptab *t, size_t nslots)
{
	uint64_t *slots = xcalloc(nslots, sizeof *slots);
	size_t i, j, mask = nslots - 1;
	uint32_t h;

	for (i = 0; i < t->n; i++) {
		h = tuple_hash(tuptab_get(t, (uint32_t)i), t->width);
		j = h & mask;
		while (slots[j] != 0)
			j = (j + 1) & mask;
		slots[j] = (uint64_t)h << 32 | (i + 1);
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = nslots;
}

struct tuptab *
tuptab_new(unsigned width)
{
	struct tuptab *t = xcalloc(1, sizeof *t);

	if (width == 0 || width > TUPTAB_MAX_WIDTH)
		abort();
	t->width = width;
	tuptab_rehash(t, 1024);
	return t;
}

void
tuptab_free(struct tuptab *t)
{
	if (t == NULL)
		return;
	free(t->v);
	free(t->slots);
	free(t);
}

static uint32_t
intern_hashed(struct tuptab *t, const uint32_t *v, uint32_t h)
{
	size_t mask = t->nslots - 1, j = h & mask, bytes = t->width * sizeof *v;
	uint64_t s;

	for (;; j = (j + 1) & mask) {
		s = t->slots[j];
		if (s == 0)
			break;
		if ((uint32_t)(s >> 32) == h &&
		    memcmp(tuptab_get(t, (uint32_t)s - 1), v, bytes) == 0)
			return (uint32_t)s - 1;
	}
	t->v = xgrow(t->v, &t->cap, (t->n + 1) * t->width, sizeof *t->v);
	memcpy(t->v + t->n * t->width, v, bytes);
	t->slots[j] = (uint64_t)h << 32 | ++t->n;
	if (t->n * 4 > t->nslots * 3)
		tuptab_rehash(t, t->nslots * 2);
	return (uint32_t)t->n - 1;
}

uint32_t
tuptab_intern(struct tuptab *t, const uint32_t *v)
{
	return intern_hashed(t, v, tuple_hash(v, t->width));
}

void
tuptab_merge(struct tuptab *dst, const struct tuptab *src,
    const uint32_t *strmap, uint32_t *map)
{
	uint32_t v[TUPTAB_MAX_WIDTH];
	const uint32_t *s;
	size_t i;
	unsigned k;

	if (src->width != dst->width)
		abort();
	while ((dst->n + src->n) * 4 > dst->nslots * 3)
		tuptab_rehash(dst, dst->nslots * 2);
	for (i = 0; i < src->n; i++) {
		s = tuptab_get(src, (uint32_t)i);
		for (k = 0; k < src->width; k++)
			v[k] = strmap[s[k]];
		map[i] = tuptab_intern(dst, v);
	}
}

uint32_t
tuptab_count(const struct tuptab *t)
{
	return (uint32_t)t->n;
}
