#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "iptrie.h"
#include "util.h"

typedef unsigned __int128 u128;

/* Below this many IPv4 intervals a plain binary search is as fast as the
 * bucket index and saves its 256 KiB. */
#define BUCKET_MIN 1024

/* One family's prefixes before the build, and its intervals after: the
 * interval i covers [start[i], end[i]] and maps to value[i] (IPv4 moves
 * them into iv4[] at the end of the build). */
struct prefix {
	u128 lo, hi;
	int pflen;
	long value;
};

struct iv4 {
	uint32_t start, end;
	long value;
};

struct family_table {
	int bits;		/* 32 or 128 */
	struct prefix *pfx;
	size_t npfx, cappfx;
	u128 *start, *end;	/* used for IPv6 */
	struct iv4 *iv4;	/* IPv4 after the build: one cache line per hit */
	/* IPv4 with many intervals: bucket[b] is the first interval starting
	 * at or after b << 16, so a lookup searches one /16's worth. */
	uint32_t *bucket;
	long *value;
	size_t n, cap;
};

struct iptrie {
	struct family_table v4, v6;
};

struct iptrie *
iptrie_new(void)
{
	struct iptrie *t = xcalloc(1, sizeof *t);

	t->v4.bits = 32;
	t->v6.bits = 128;
	return t;
}

static void
table_clear_intervals(struct family_table *ft)
{
	free(ft->start);
	free(ft->end);
	free(ft->iv4);
	free(ft->bucket);
	free(ft->value);
	ft->start = ft->end = NULL;
	ft->iv4 = NULL;
	ft->bucket = NULL;
	ft->value = NULL;
	ft->n = ft->cap = 0;
}

void
iptrie_free(struct iptrie *t)
{
	if (t == NULL)
		return;
	table_clear_intervals(&t->v4);
	table_clear_intervals(&t->v6);
	free(t->v4.pfx);
	free(t->v6.pfx);
	free(t);
}

static u128
addr_key(const struct iptrie_addr *a)
{
	u128 k = 0;
	int i, len = a->family == IPTRIE_V4 ? 4 : 16;

	for (i = 0; i < len; i++)
		k = (k << 8) | a->a[i];
	return k;
}

/* Mask of the host bits of a prefix of length pflen in a bits-wide space. */
static u128
host_mask(int bits, int pflen)
{
	int host = bits - pflen;

	if (host <= 0)
		return 0;
	if (host >= 128)
		return ~(u128)0;
	return ((u128)1 << host) - 1;
}

void
iptrie_add(struct iptrie *t, const struct iptrie_addr *a, int pflen, long value)
{
	struct family_table *ft = a->family == IPTRIE_V4 ? &t->v4 : &t->v6;
	struct prefix *p;
	u128 hm;

	if (pflen < 0)
		pflen = 0;
	if (pflen > ft->bits)
		pflen = ft->bits;
	hm = host_mask(ft->bits, pflen);
	ft->pfx = xgrow(ft->pfx, &ft->cappfx, ft->npfx + 1, sizeof *ft->pfx);
	p = &ft->pfx[ft->npfx++];
	p->lo = addr_key(a) & ~hm;
	p->hi = p->lo | hm;
	p->pflen = pflen;
	p->value = value;
}

/* Outer prefixes first, so a sweep meets a container before its contents;
 * among equal prefixes the smallest value first, so it wins the dedup. */
static int
prefix_cmp(const void *va, const void *vb)
{
	const struct prefix *a = va, *b = vb;

	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if (a->pflen != b->pflen)
		return a->pflen < b->pflen ? -1 : 1;
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	return 0;
}

static void
emit(struct family_table *ft, u128 s, u128 e, long v)
{
	/* Neighbouring pieces of one rule merge, keeping the table small. */
	if (ft->n > 0 && ft->value[ft->n - 1] == v && ft->end[ft->n - 1] + 1 == s) {
		ft->end[ft->n - 1] = e;
		return;
	}
	if (ft->n == ft->cap) {
		ft->cap = ft->cap ? ft->cap * 2 : 64;
		ft->start = xrealloc(ft->start, ft->cap * sizeof *ft->start);
		ft->end = xrealloc(ft->end, ft->cap * sizeof *ft->end);
		ft->value = xrealloc(ft->value, ft->cap * sizeof *ft->value);
	}
	ft->start[ft->n] = s;
	ft->end[ft->n] = e;
	ft->value[ft->n] = v;
	ft->n++;
}

/* Prefixes nest or are disjoint, never partly overlap, so a stack sweep over
 * them in start order yields the disjoint pieces, each owned by the
 * innermost (longest) prefix covering it. */
static void
table_build(struct family_table *ft)
{
	struct prefix **stack;
	size_t i, j, sp = 0;
	u128 cur = 0;
	int cur_valid = 0;	/* 0 once cur wrapped past the top address */

	table_clear_intervals(ft);
	if (ft->npfx == 0)
		return;
	qsort(ft->pfx, ft->npfx, sizeof *ft->pfx, prefix_cmp);
	/* Drop repeats of the same prefix; the first (smallest value) stays. */
	for (i = 1, j = 1; i < ft->npfx; i++) {
		if (ft->pfx[i].lo == ft->pfx[j - 1].lo &&
		    ft->pfx[i].pflen == ft->pfx[j - 1].pflen)
			continue;
		ft->pfx[j++] = ft->pfx[i];
	}
	ft->npfx = j;

	stack = xmalloc((size_t)(ft->bits + 1) * sizeof *stack);
	for (i = 0; i <= ft->npfx; i++) {
		struct prefix *p = i < ft->npfx ? &ft->pfx[i] : NULL;

		/* Close every open prefix that ends before p starts. */
		while (sp > 0 && (p == NULL || stack[sp - 1]->hi < p->lo)) {
			struct prefix *top = stack[--sp];
			if (cur_valid && cur <= top->hi)
				emit(ft, cur, top->hi, top->value);
			if (top->hi == ~(u128)0 >> (128 - ft->bits))
				cur_valid = 0;
			else {
				cur = top->hi + 1;
				cur_valid = 1;
			}
		}
		if (p == NULL)
			break;
		if (sp > 0 && cur_valid && cur < p->lo)
			emit(ft, cur, p->lo - 1, stack[sp - 1]->value);
		cur = p->lo;
		cur_valid = 1;
		stack[sp++] = p;
	}
	free(stack);

	if (ft->bits == 32) {
		ft->iv4 = xmalloc(ft->n * sizeof *ft->iv4);
		for (i = 0; i < ft->n; i++) {
			ft->iv4[i].start = (uint32_t)ft->start[i];
			ft->iv4[i].end = (uint32_t)ft->end[i];
			ft->iv4[i].value = ft->value[i];
		}
		free(ft->start);
		free(ft->end);
		free(ft->value);
		ft->start = ft->end = NULL;
		ft->value = NULL;
		if (ft->n >= BUCKET_MIN) {
			uint64_t b;
			ft->bucket = xmalloc((((size_t)1 << 16) + 1) *
			    sizeof *ft->bucket);
			for (b = 0, j = 0; b <= 1u << 16; b++) {
				while (j < ft->n && ft->iv4[j].start < b << 16)
					j++;
				ft->bucket[b] = (uint32_t)j;
			}
		}
	}
	/* The prefixes are not needed for lookups; keep memory to the table. */
	free(ft->pfx);
	ft->pfx = NULL;
	ft->npfx = ft->cappfx = 0;
}

void
iptrie_build(struct iptrie *t)
{
	table_build(&t->v4);
	table_build(&t->v6);
}

size_t
iptrie_intervals(const struct iptrie *t, int family)
{
	return family == IPTRIE_V4 ? t->v4.n : t->v6.n;
}

/* The searches below are branch-free (the compiler turns the conditional
 * step into a conditional move): with random addresses a branch would be
 * mispredicted at every other step. Each returns the last index in
 * [lo, hi) whose start is <= k, or lo - 1 if there is none. */
static long
search4(const struct iv4 *iv, size_t lo, size_t hi, uint32_t k)
{
	const struct iv4 *base;
	size_t len = hi - lo, half;

	/* An empty table has iv == NULL, and NULL + 0 is undefined. */
	if (len == 0)
		return (long)lo - 1;
	base = iv + lo;
	while (len > 1) {
		half = len / 2;
		base = base[half].start <= k ? base + half : base;
		len -= half;
	}
	return base->start <= k ? (long)(base - iv) : (long)lo - 1;
}

static long
search6(const u128 *start, size_t n, u128 k)
{
	const u128 *base = start;
	size_t len = n, half;

	if (len == 0)
		return -1;
	while (len > 1) {
		half = len / 2;
		base = base[half] <= k ? base + half : base;
		len -= half;
	}
	return *base <= k ? (long)(base - start) : -1;
}

long
iptrie_lookup(const struct iptrie *t, const struct iptrie_addr *a)
{
	long i;

	if (a->family == IPTRIE_V4) {
		const struct family_table *ft = &t->v4;
		uint32_t k = (uint32_t)a->a[0] << 24 | (uint32_t)a->a[1] << 16 |
		    (uint32_t)a->a[2] << 8 | a->a[3];

		if (ft->bucket != NULL)
			i = search4(ft->iv4, ft->bucket[k >> 16],
			    ft->bucket[(k >> 16) + 1], k);
		else
			i = search4(ft->iv4, 0, ft->n, k);
		/* Nothing starts in k's bucket at or before k: the candidate
		 * is the interval before the bucket (i == bucket - 1). */
		return i >= 0 && k <= ft->iv4[i].end ? ft->iv4[i].value : -1;
	}
	if (a->family == IPTRIE_V6) {
		const struct family_table *ft = &t->v6;
		u128 k = addr_key(a);

		i = search6(ft->start, ft->n, k);
		return i >= 0 && k <= ft->end[i] ? ft->value[i] : -1;
	}
	return -1;
}

/* Strict dotted quad: four decimal octets, no leading zeros, nothing else. */
static int
parse_v4(const char *s, size_t n, uint8_t out[4])
{
	size_t i = 0;
	int octet, digits, part;

	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= n || s[i] != '.')
				return -1;
			i++;
		}
		octet = 0;
		digits = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (digits == 1 && octet == 0)
				return -1;	/* leading zero */
			octet = octet * 10 + (s[i] - '0');
			if (++digits > 3 || octet > 255)
				return -1;
			i++;
		}
		if (digits == 0)
			return -1;
		out[part] = (uint8_t)octet;
	}
	return i == n ? 0 : -1;
}

static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

int
iptrie_parse(const char *s, size_t n, struct iptrie_addr *out)
{
	char tmp[INET6_ADDRSTRLEN + 1];
	const char *pct;
	size_t i;

	/* No limit on the length: a zone suffix may be as long as it likes
	 * (the KQL cannot measure bytes as this does), and what is left
	 * before it is bounded below. */
	if (s == NULL || n == 0)
		return -1;
	if (s[0] >= '0' && s[0] <= '9' && memchr(s, ':', n) == NULL) {
		if (parse_v4(s, n, out->a) != 0)
			return -1;
		out->family = IPTRIE_V4;
		memset(out->a + 4, 0, 12);
		return 0;
	}
	/* A zone index names an interface, not part of the address. */
	pct = memchr(s, '%', n);
	if (pct != NULL) {
		if (pct + 1 == s + n)
			return -1;
		n = (size_t)(pct - s);
	}
	if (n == 0 || n >= sizeof tmp)
		return -1;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F') || c == ':' || c == '.'))
			return -1;
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (inet_pton(AF_INET6, tmp, out->a) != 1)
		return -1;
	if (memcmp(out->a, v4mapped_prefix, 12) == 0) {
		memmove(out->a, out->a + 12, 4);
		memset(out->a + 4, 0, 12);
		out->family = IPTRIE_V4;
	} else
		out->family = IPTRIE_V6;
	return 0;
}
