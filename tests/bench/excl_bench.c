/* Exclusion matching at scale: 100,000 address rules (as after importing
 * large service tag lists) against 100,000 distinct addresses. Writes the
 * rules as an exclusions file, loads and compiles it, then times lookups
 * and prints lookups per second. Run by hand or with `make bench`; the
 * numbers depend on the machine, so nothing here passes or fails. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "excl.h"
#include "util.h"

#define NRULES 100000
#define NADDRS 100000
#define MIN_SECONDS 1.0

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift64*: reproducible across runs and machines. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static void
v4_text(char *out, size_t n, uint32_t a, int pflen)
{
	if (pflen < 32)
		a &= pflen ? ~(uint32_t)0 << (32 - pflen) : 0;
	if (pflen == 32)
		snprintf(out, n, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
		    (a >> 8) & 255, a & 255);
	else
		snprintf(out, n, "%u.%u.%u.%u/%d", a >> 24, (a >> 16) & 255,
		    (a >> 8) & 255, a & 255, pflen);
}

/* 2001:db8-style addresses with the first 64 bits random; prefixes up to
 * /64 so the text is easy to produce. */
static void
v6_text(char *out, size_t n, uint64_t hi, uint64_t lo, int pflen)
{
	if (pflen <= 64) {
		hi &= pflen ? ~(uint64_t)0 << (64 - pflen) : 0;
		snprintf(out, n, "%x:%x:%x:%x::/%d", (unsigned)(hi >> 48),
		    (unsigned)(hi >> 32) & 0xffff, (unsigned)(hi >> 16) & 0xffff,
		    (unsigned)hi & 0xffff, pflen);
	} else
		snprintf(out, n, "%x:%x:%x:%x:%x:%x:%x:%x", (unsigned)(hi >> 48),
		    (unsigned)(hi >> 32) & 0xffff, (unsigned)(hi >> 16) & 0xffff,
		    (unsigned)hi & 0xffff, (unsigned)(lo >> 48),
		    (unsigned)(lo >> 32) & 0xffff, (unsigned)(lo >> 16) & 0xffff,
		    (unsigned)lo & 0xffff);
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/excl_bench.XXXXXX", *path, *cause = NULL, txt[64];
	struct buf file = { 0 };
	struct excl_set *s;
	struct excl_matcher *m;
	char **addrs;
	size_t *alen, i, hits = 0, rounds = 0, v4rules = 0;
	double t0, t_load, t_compile, t_lookup;
	volatile long sink = 0;

	(void)argc;
	(void)argv;
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	path = xasprintf("%s/exclusions", dir);

	/* 90% IPv4 prefixes of /16 to /32, 10% IPv6 /32 to /64 and hosts;
	 * repeats are possible and kept, as they would be in a real file. */
	buf_addf(&file, "[defender]\n");
	for (i = 0; i < NRULES; i++) {
		uint64_t r = rng();
		if (r % 10 != 0) {
			v4_text(txt, sizeof txt, (uint32_t)(rng() >> 32),
			    16 + (int)((r >> 8) % 17));
			v4rules++;
		} else
			v6_text(txt, sizeof txt, 0x20010db800000000ull |
			    (rng() >> 32), rng(), r % 3 ? 32 + (int)((r >> 8) % 33) :
			    128);
		buf_addf(&file, "ip %s  # servicetag:Bench changeNumber 1\n", txt);
	}
	if (util_write_atomic(path, file.p, file.len, &cause) != 0) {
		fprintf(stderr, "excl_bench: %s\n", cause);
		return 1;
	}
	buf_free(&file);

	t0 = now_s();
	if (excl_load(path, &s, &cause) != 0) {
		fprintf(stderr, "excl_bench: %s\n", cause);
		return 1;
	}
	t_load = now_s() - t0;
	t0 = now_s();
	m = excl_compile(s, time(NULL));
	t_compile = now_s() - t0;

	/* Distinct addresses: every tenth is IPv6, the rest IPv4; a few are
	 * log junk that must match nothing. */
	addrs = xmalloc(NADDRS * sizeof *addrs);
	alen = xmalloc(NADDRS * sizeof *alen);
	for (i = 0; i < NADDRS; i++) {
		if (i % 1000 == 999)
			addrs[i] = xasprintf("-%zu", i);
		else if (i % 10 == 0) {
			v6_text(txt, sizeof txt, 0x20010db800000000ull |
			    (rng() >> 32), i, 128);
			addrs[i] = xstrdup(txt);
		} else {
			v4_text(txt, sizeof txt, (uint32_t)i * 2654435761u ^
			    (uint32_t)(rng() >> 40), 32);
			addrs[i] = xstrdup(txt);
		}
		alen[i] = strlen(addrs[i]);
	}
	for (i = 0; i < NADDRS; i++)
		hits += excl_match_ip(m, addrs[i], alen[i]) >= 0;

	t0 = now_s();
	do {
		for (i = 0; i < NADDRS; i++)
			sink += excl_match_ip(m, addrs[i], alen[i]);
		rounds++;
		t_lookup = now_s() - t0;
	} while (t_lookup < MIN_SECONDS);

	printf("rules:     %zu (%zu IPv4, %zu IPv6) in %s\n", excl_rule_count(s),
	    v4rules, excl_rule_count(s) - v4rules, path);
	printf("load:      %.3f s   compile: %.3f s\n", t_load, t_compile);
	printf("addresses: %d distinct, %zu excluded\n", NADDRS, hits);
	printf("lookups:   %.2f million/s (%.0f ns each, %zu rounds)\n",
	    (double)rounds * NADDRS / t_lookup / 1e6,
	    t_lookup * 1e9 / ((double)rounds * NADDRS), rounds);

	for (i = 0; i < NADDRS; i++)
		free(addrs[i]);
	free(addrs);
	free(alen);
	excl_matcher_free(m);
	excl_free(s);
	unlink(path);
	free(path);
	path = xasprintf("%s/exclusions~", dir);
	unlink(path);
	free(path);
	rmdir(dir);
	return sink == 42 ? 2 : 0;
}
