#include "config.h"

#include <stdlib.h>

#include "timebins.h"
#include "ts.h"

size_t
timebins_index(const struct timebins *tb, int64_t t)
{
	double span = (double)(tb->hi - tb->lo) + 1;
	size_t k = (size_t)((double)(t - tb->lo) / span * (double)tb->nb);

	return k >= tb->nb ? tb->nb - 1 : k;
}

int
timebins_fill(struct timebins *tb, const struct table_data *d,
    const uint32_t *evs, size_t n, size_t nb)
{
	size_t i, k;
	int64_t t;

	tb->lo = tb->hi = TS_NONE;
	tb->count = NULL;
	tb->nb = nb;
	tb->peak = 0;
	for (i = 0; i < n; i++) {
		t = d->ev[evs[i]].ts;
		if (t == TS_NONE)
			continue;
		if (tb->lo == TS_NONE || t < tb->lo)
			tb->lo = t;
		if (tb->hi == TS_NONE || t > tb->hi)
			tb->hi = t;
	}
	if (tb->lo == TS_NONE || nb == 0)
		return -1;
	tb->count = xcalloc(nb, sizeof *tb->count);
	for (i = 0; i < n; i++) {
		t = d->ev[evs[i]].ts;
		if (t == TS_NONE)
			continue;
		k = timebins_index(tb, t);
		if (++tb->count[k] > tb->peak)
			tb->peak = tb->count[k];
	}
	return 0;
}

unsigned
timebins_level(const struct timebins *tb, size_t k, unsigned top)
{
	uint64_t level;

	if (tb->count[k] == 0)
		return 0;
	level = 1 + (uint64_t)(tb->count[k] - 1) * top / (tb->peak ? tb->peak : 1);
	return level > top ? top : (unsigned)level;
}

void
timebins_free(struct timebins *tb)
{
	free(tb->count);
	tb->count = NULL;
}
