/* Unit tests of the core: timestamps, the CSV readers, the IPAddresses
 * expansion, the loader's checks and every semantic rule of the hunt. */
#include "config.h"

#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvref.h"
#include "excl.h"
#include "exclfilter.h"
#include "csvscan.h"
#include "hunt.h"
#include "load.h"
#include "natsort.h"
#include "output.h"
#include "par.h"
#include "rawevent.h"
#include "strtab.h"
#include "table.h"
#include "tuptab.h"
#include "ts.h"
#include "util.h"

#include "testutil.h"

/* ------------------------------------------------------------ timestamps */

static int64_t
ts(const char *s)
{
	int64_t t;

	ck_assert_msg(ts_parse(s, strlen(s), &t) == 0, "should parse: %s", s);
	return t;
}

static void
ck_ts_roundtrip(const char *in, const char *want)
{
	char out[TS_BUFSZ];

	ts_format(ts(in), out);
	ck_assert_str_eq(out, want);
}

START_TEST(test_ts_formats)
{
	ck_ts_roundtrip("2023-12-21T19:56:05Z", "2023-12-21T19:56:05.0000000Z");
	ck_ts_roundtrip("2023-12-21T07:42:51.9463944Z", "2023-12-21T07:42:51.9463944Z");
	ck_ts_roundtrip("2023-12-21T18:11:09.574492Z", "2023-12-21T18:11:09.5744920Z");
	ck_ts_roundtrip("2023-12-21T18:11:09.5Z", "2023-12-21T18:11:09.5000000Z");
	/* Digits past the seventh are dropped, not rounded. */
	ck_ts_roundtrip("2023-12-21T18:11:09.123456789Z", "2023-12-21T18:11:09.1234567Z");
	ck_ts_roundtrip("2023-12-21 18:11:09Z", "2023-12-21T18:11:09.0000000Z");
	ck_ts_roundtrip("2023-12-21T18:11:09", "2023-12-21T18:11:09.0000000Z");
	ck_ts_roundtrip("2023-12-21", "2023-12-21T00:00:00.0000000Z");
	ck_ts_roundtrip("2023-12-21T01:30:00+02:00", "2023-12-20T23:30:00.0000000Z");
	ck_ts_roundtrip("2023-12-21T23:30:00-0130", "2023-12-22T01:00:00.0000000Z");
	ck_ts_roundtrip("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.0000000Z");
	ck_ts_roundtrip("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.0000000Z");
	ck_ts_roundtrip("9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999Z");
	ck_ts_roundtrip("1970-01-01T00:00:00Z", "1970-01-01T00:00:00.0000000Z");
	ck_assert(ts("1970-01-01T00:00:00Z") == TS_UNIX_EPOCH);
	ck_assert(ts("2023-12-21T19:56:05.0000001Z") - ts("2023-12-21T19:56:05Z") == 1);
}
END_TEST

/* ts_format against the C library's calendar (gmtime_r, strftime) on
 * 50,000 random instants over the whole range, year 1 to 9999. */
START_TEST(test_ts_format_vs_gmtime)
{
	char out[TS_BUFSZ], want[64];
	uint64_t x = 88172645463325252ull;
	int64_t lo = ts("0001-01-01T00:00:00Z"), hi = ts("9999-12-31T23:59:59.9999999Z");
	int64_t t, secs;
	time_t tt;
	struct tm tm;
	int i;

	for (i = 0; i < 50000; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		t = lo + (int64_t)(x % (uint64_t)(hi - lo + 1));
		secs = (t - TS_UNIX_EPOCH) / TS_TICKS_PER_SEC;
		if ((t - TS_UNIX_EPOCH) % TS_TICKS_PER_SEC < 0)
			secs--;
		tt = (time_t)secs;
		ck_assert(gmtime_r(&tt, &tm) != NULL);
		snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%07lldZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, (long long)((t - TS_UNIX_EPOCH) -
		    secs * TS_TICKS_PER_SEC));
		ck_assert_uint_eq(ts_format(t, out), strlen(want));
		ck_assert_str_eq(out, want);
	}
}
END_TEST

/* Tuples of ids interned: equal tuples one id, ids in order of first
 * sight, through many growths; a merge maps each tuple through the
 * strings' map, and tuples that become equal there become one. The
 * oracle is the tuples' own values. */
START_TEST(test_tuptab)
{
	struct tuptab *a = tuptab_new(2), *b = tuptab_new(2);
	uint32_t v[2], *map, strmap[1000], i;

	for (i = 0; i < 60000; i++) {
		v[0] = i / 1000;
		v[1] = i % 1000;
		ck_assert_uint_eq(tuptab_intern(a, v), i);
	}
	for (i = 0; i < 60000; i += 7) {
		v[0] = i / 1000;
		v[1] = i % 1000;
		ck_assert_uint_eq(tuptab_intern(a, v), i);
		ck_assert_uint_eq(tuptab_get(a, i)[0], v[0]);
		ck_assert_uint_eq(tuptab_get(a, i)[1], v[1]);
	}
	/* (1, 2) and (2, 1) differ. */
	v[0] = 1000; v[1] = 2;
	ck_assert_uint_eq(tuptab_intern(a, v), 60000);
	v[0] = 2; v[1] = 1000;
	ck_assert_uint_eq(tuptab_intern(a, v), 60001);
	ck_assert_uint_eq(tuptab_count(a), 60002);
	/* b's ids i map to i / 2: (2k, x) and (2k + 1, x) become one. */
	for (i = 0; i < 1000; i++)
		strmap[i] = i / 2;
	for (i = 0; i < 400; i++) {
		v[0] = i % 100;
		v[1] = 999 - i;
		tuptab_intern(b, v);
	}
	map = xmalloc(tuptab_count(b) * sizeof *map);
	tuptab_merge(a, b, strmap, map);
	for (i = 0; i < tuptab_count(b); i++) {
		const uint32_t *s = tuptab_get(b, i), *t = tuptab_get(a, map[i]);

		ck_assert_uint_eq(t[0], s[0] / 2);
		ck_assert_uint_eq(t[1], s[1] / 2);
		/* Every mapped tuple was in a already: its id there. */
		ck_assert_uint_eq(map[i], s[0] / 2 * 1000 + s[1] / 2);
	}
	/* (0, 999) and (1, 998) are both (0, 499) in a. */
	ck_assert_uint_eq(map[0], map[1]);
	ck_assert_uint_eq(tuptab_count(a), 60002);
	free(map);
	tuptab_free(a);
	tuptab_free(b);
}
END_TEST

/* Interning and merging: ids stable, each string once, through many
 * growths of the table (the slots carry hash tags). */
START_TEST(test_strtab_merge)
{
	struct strtab *a = strtab_new(), *b = strtab_new();
	char s[32];
	uint32_t *map, id;
	int i;

	for (i = 0; i < 50000; i++) {
		snprintf(s, sizeof s, "v%d", i);
		ck_assert_uint_eq(strtab_intern(a, s, strlen(s)), (uint32_t)i + 1);
	}
	for (i = 0; i < 50000; i++) {
		snprintf(s, sizeof s, "v%d", i);
		ck_assert_uint_eq(strtab_intern(a, s, strlen(s)), (uint32_t)i + 1);
	}
	ck_assert_uint_eq(strtab_count(a), 50001);
	/* b: every other string of a, then 30000 new ones. */
	for (i = 0; i < 80000; i++) {
		snprintf(s, sizeof s, "v%d", i < 50000 ? i * 2 : 100000 + i);
		strtab_intern(b, s, strlen(s));
	}
	map = xmalloc(strtab_count(b) * sizeof *map);
	strtab_merge(a, b, map);
	ck_assert_uint_eq(map[0], 0);
	for (id = 0; id < strtab_count(b); id++) {
		ck_assert_uint_eq(strtab_len(a, map[id]), strtab_len(b, id));
		ck_assert_str_eq(strtab_str(a, map[id]), strtab_str(b, id));
	}
	/* v0 .. v49998 even were in a already: same ids. */
	ck_assert_uint_eq(map[1], 1);
	ck_assert_uint_eq(map[2], 3);
	ck_assert_uint_eq(strtab_count(a), 50001 + 25000 + 30000);
	ck_assert(strtab_find(a, "v179999", 7, &id) && map[80000] == id);
	ck_assert(!strtab_find(a, "v180000x", 8, &id));
	free(map);
	strtab_free(a);
	strtab_free(b);
}
END_TEST

/* Hash hooks that make strings collide: every lookup walks a chain of
 * slots with equal hash tags and must tell the strings apart by their
 * bytes. */
static uint32_t
hash_all_same(const char *s, size_t n)
{
	(void)s;
	(void)n;
	return 0x5a5a5a5a;
}

static uint32_t
hash_by_length(const char *s, size_t n)
{
	(void)s;
	return (uint32_t)n * 2654435761u;
}

/* The strings of the batch tests: of every length 0 .. 70 (the word
 * compares change at 4, 8 and 64 bytes), one of a single letter repeated
 * and then each that differs from it in one byte only, at each position
 * in turn. All distinct; the first is "". */
static size_t
many_strings(char (*out)[80], size_t max)
{
	size_t n = 0, len, pos;

	for (len = 0; len <= 70 && n < max; len++)
		for (pos = 0; pos <= len && n < max; pos++) {
			memset(out[n], 'a' + (int)(len % 26), len);
			out[n][len] = '\0';
			if (pos < len)
				out[n][pos] = 'Z';
			n++;
		}
	return n;
}

/* strtab_intern_many gives the ids the oracle gives, for batches of
 * every length 0 .. 40 (the batch is cut at 16 inside), with repeats
 * inside a batch, the table growing in the middle of a batch, and every
 * hash: the real one and two that collide. */
START_TEST(test_strtab_intern_many)
{
	static char str[2600][80];
	static uint32_t want[2600];
	static uint32_t (*const hashes[])(const char *, size_t) = {
		NULL, hash_all_same, hash_by_length,
	};
	size_t nstr = many_strings(str, 2600), nuse, h, batch, k, i, next;
	size_t idx[40];
	struct lh_str v[40];
	uint32_t ids[41], nseen;
	struct strtab *st;

	ck_assert_uint_eq(nstr, 2556);
	for (h = 0; h < sizeof hashes / sizeof *hashes; h++)
		for (batch = 0; batch <= 40; batch++) {
			/* One hash for all makes every lookup walk all the
			 * strings: only the short ones (lengths 0 .. 23) for
			 * it. */
			nuse = hashes[h] == hash_all_same ? 300 : nstr;
			st = strtab_new_hashed(hashes[h]);
			/* The oracle knows nothing of hashing: the strings
			 * are distinct, and ids go in order of first
			 * appearance (str[0] is "", id 0 from the start). */
			memset(want, 0xff, sizeof want);
			want[0] = 0;
			nseen = 1;
			/* Pass 1 adds each string (growing the table past
			 * 768 and 1536 entries mid-batch, but for the one
			 * hash for all); pass 2 finds them; a batch also
			 * repeats a string of its own and one from long
			 * before. */
			for (next = 0; next < 2 * nuse && batch > 0;) {
				for (i = 0; i < batch && next < 2 * nuse; i++) {
					idx[i] = next % nuse;
					if (i % 5 == 3)
						idx[i] = idx[i - 1];
					else if (i % 7 == 6)
						idx[i] = (next * 31) % nuse;
					else
						next++;
					v[i].p = str[idx[i]];
					v[i].n = strlen(str[idx[i]]);
				}
				/* Each passing ck_assert costs a message to
				 * the test runner: asserted only on failure. */
				ids[i] = 0xdeadbeef;
				strtab_intern_many(st, v, i, ids);
				if (ids[i] != 0xdeadbeef)
					ck_abort_msg("batch %zu wrote past its end", batch);
				for (k = 0; k < i; k++) {
					if (want[idx[k]] == UINT32_MAX)
						want[idx[k]] = nseen++;
					if (ids[k] != want[idx[k]])
						ck_abort_msg("hash %zu batch %zu: \"%s\" got %u, want %u",
						    h, batch, v[k].p, ids[k], want[idx[k]]);
				}
			}
			/* No strings at all: nothing read, nothing written. */
			ids[0] = 0xdeadbeef;
			strtab_intern_many(st, NULL, 0, ids);
			ck_assert_uint_eq(ids[0], 0xdeadbeef);
			ck_assert_uint_eq(strtab_count(st), batch ? nuse : 1);
			ck_assert_uint_eq(nseen, batch ? nuse : 1);
			for (i = 0; batch && i < nuse; i++) {
				uint32_t id;

				if (!strtab_find(st, str[i], strlen(str[i]), &id) ||
				    id != want[i] || strlen(str[i]) != strtab_len(st, id) ||
				    strcmp(strtab_str(st, id), str[i]) != 0)
					ck_abort_msg("hash %zu batch %zu: \"%s\" not found as %u",
					    h, batch, str[i], want[i]);
			}
			strtab_free(st);
		}
}
END_TEST

/* A table merged into one that hashes otherwise: every string found. */
START_TEST(test_strtab_merge_other_hash)
{
	struct strtab *a = strtab_new_hashed(hash_by_length), *b = strtab_new();
	static char str[600][80];
	size_t n = many_strings(str, 600), i;
	uint32_t *map, id;

	for (i = 0; i < n; i += 2)
		strtab_intern(a, str[i], strlen(str[i]));
	for (i = 0; i < n; i++)
		strtab_intern(b, str[i], strlen(str[i]));
	map = xmalloc(strtab_count(b) * sizeof *map);
	strtab_merge(a, b, map);
	ck_assert_uint_eq(strtab_count(a), strtab_count(b));
	for (i = 0; i < n; i++) {
		ck_assert(strtab_find(b, str[i], strlen(str[i]), &id));
		ck_assert_str_eq(strtab_str(a, map[id]), str[i]);
		ck_assert(strtab_find(a, str[i], strlen(str[i]), &id));
		ck_assert_str_eq(strtab_str(a, id), str[i]);
	}
	free(map);
	strtab_free(a);
	strtab_free(b);
}
END_TEST

/* The records: strings that are prefixes of one another, and strings of
 * every length (the records are padded to 4 bytes after the NUL), with
 * every string's hash the same, are told apart by their lengths and
 * bytes; each comes back NUL-terminated, its length right, after the
 * table has grown many times. */
START_TEST(test_strtab_records)
{
	static const char *pre[] = { "a", "ab", "abc", "abcd", "abcde", "abcdefgh",
		"abcdefghi", "10.0.0.1", "10.0.0.10", "10.0.0.100" };
	struct strtab *st = strtab_new_hashed(hash_all_same), *big = strtab_new();
	char s[80];
	uint32_t id, i, j, len, n = sizeof pre / sizeof *pre;

	for (i = 0; i < n; i++)
		ck_assert_uint_eq(strtab_intern(st, pre[i], strlen(pre[i])), i + 1);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(strtab_intern(st, pre[i], strlen(pre[i])), i + 1);
		ck_assert_uint_eq(strtab_len(st, i + 1), strlen(pre[i]));
		ck_assert_str_eq(strtab_str(st, i + 1), pre[i]);
	}
	/* A prefix of a stored string, and a stored string with more. */
	ck_assert(!strtab_find(st, "abcdef", 6, &id));
	ck_assert(!strtab_find(st, "10.0.0.1000", 11, &id));
	ck_assert(strtab_find(st, "", 0, &id) && id == 0);
	ck_assert_uint_eq(strtab_len(st, 0), 0);
	ck_assert_str_eq(strtab_str(st, 0), "");
	/* Every length 0 .. 70, 700 strings each, then all read back. */
	for (i = 0; i < 71 * 700; i++) {
		len = i / 700;
		/* From 3 bytes on, 700 different starts per length. */
		if (len >= 3)
			snprintf(s, 4, "%03u", i % 700);
		for (j = len >= 3 ? 3 : 0; j < len; j++)
			s[j] = (char)('a' + (i + j) % 26);
		s[len] = '\0';
		strtab_intern(big, s, len);
	}
	for (id = 0; id < strtab_count(big); id++)
		if (strlen(strtab_str(big, id)) != strtab_len(big, id) ||
		    !strtab_find(big, strtab_str(big, id), strtab_len(big, id), &j) ||
		    j != id)
			ck_abort_msg("id %u: \"%s\" (length %zu) not itself", id,
			    strtab_str(big, id), strtab_len(big, id));
	/* Lengths 0, 1 and 2 have 1, 26 and 26 strings; 3 and up 700. */
	ck_assert_uint_eq(strtab_count(big), 1 + 26 + 26 + 68 * 700);
	strtab_free(st);
	strtab_free(big);
}
END_TEST

/* strtab_merge_take: into a table that holds only "" (and hashes alike)
 * the source's table is taken as it is, ids unchanged, and the source is
 * left empty but usable; into one that holds strings, or hashes
 * otherwise, it merges as strtab_merge does. */
START_TEST(test_strtab_merge_take)
{
	struct strtab *a = strtab_new(), *b = strtab_new();
	struct strtab *o = strtab_new_hashed(hash_by_length);
	static char str[600][80];
	size_t n = many_strings(str, 600), i;
	uint32_t *map, id;

	map = xmalloc((n + 1) * sizeof *map);
	for (i = 0; i < n; i++)
		strtab_intern(b, str[i], strlen(str[i]));
	strtab_merge_take(a, b, map);
	ck_assert_uint_eq(strtab_count(a), n);
	ck_assert_uint_eq(strtab_count(b), 1);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(map[i], i);
		ck_assert(strtab_find(a, str[i], strlen(str[i]), &id) && id == i);
		ck_assert(!strtab_find(b, str[i], strlen(str[i]), &id) || i == 0);
	}
	/* A table of strings a holds already (the other loading thread's,
	 * where both saw the same addresses) is merged without growing a:
	 * no room is made for strings that never come. */
	for (i = 0; i < n; i++)
		strtab_intern(b, str[n - 1 - i], strlen(str[n - 1 - i]));
	{
		size_t nslots = a->nslots, capbytes = a->capbytes, capent = a->capent;

		strtab_merge(a, b, map);
		ck_assert_uint_eq(a->nslots, nslots);
		ck_assert_uint_eq(a->capbytes, capbytes);
		ck_assert_uint_eq(a->capent, capent);
	}
	/* b's ids: "" 0, then str[n - 1] .. str[1] as 1 .. n - 1. */
	ck_assert_uint_eq(strtab_count(b), n);
	ck_assert_uint_eq(map[0], 0);
	for (i = 1; i < n; i++)
		ck_assert_uint_eq(map[i], n - i);
	strtab_free(b);
	b = strtab_new();
	ck_assert_uint_eq(strtab_intern(b, "x", 1), 1);
	/* a holds strings now: b's "" and "x" are merged, not taken. */
	strtab_merge_take(a, b, map);
	ck_assert_uint_eq(map[0], 0);
	ck_assert_uint_eq(map[1], n);
	ck_assert_uint_eq(strtab_count(a), n + 1);
	ck_assert(strtab_find(a, str[5], strlen(str[5]), &id) && id == 5);
	/* o hashes otherwise: a's strings are merged into it, found there. */
	strtab_merge_take(o, a, map);
	ck_assert_uint_eq(strtab_count(o), n + 1);
	for (i = 0; i < n; i++) {
		ck_assert(strtab_find(o, str[i], strlen(str[i]), &id));
		ck_assert_uint_eq(id, map[i]);
		ck_assert_str_eq(strtab_str(o, id), str[i]);
	}
	free(map);
	strtab_free(a);
	strtab_free(b);
	strtab_free(o);
}
END_TEST

START_TEST(test_ts_invalid)
{
	static const char *bad[] = {
		"", "2023", "2023-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
		"2023-04-31", "2023-12-21T24:00:00Z", "2023-12-21T10:60:00Z",
		"2023-12-21T10:00:60Z", "2023-12-21T10:00:00.Z", "2023-12-21T10:00:00ZZ",
		"2023-12-21T10:00:00+2:00", "21/12/2023", "0000-01-01T00:00:00Z",
		"0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-02:00",
		"2023-12-21T10:00:00 Z", " 2023-12-21", "2023-12-21x", "abc",
	};
	size_t i;
	int64_t t;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(ts_parse(bad[i], strlen(bad[i]), &t) == -1,
		    "should not parse: '%s'", bad[i]);
}
END_TEST

START_TEST(test_ts_none)
{
	char out[TS_BUFSZ];

	ck_assert_uint_eq(ts_format(TS_NONE, out), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

/* ------------------------------------------------------------ CSV readers */

/* Renders the records a reader yields as text, for comparison. */
struct render {
	struct buf out;
};

static void
render_rec(struct buf *out, const struct csvrec *rec, int unescape)
{
	struct buf scratch = { 0 };
	size_t i;

	buf_addf(out, "[%zu@%u+%u]", rec->nf, rec->lead_nl, rec->body_nl);
	for (i = 0; i < rec->nf; i++) {
		struct lh_str v = unescape ? csv_field_value(&rec->f[i], &scratch) :
		    (struct lh_str){ rec->f[i].p, rec->f[i].n };
		buf_addc(out, '<');
		buf_add(out, v.p, v.n);
		buf_addc(out, '>');
	}
	buf_addc(out, '\n');
	buf_free(&scratch);
}

static int
render_cb(void *ctx, const struct csvrec *rec)
{
	render_rec(ctx, rec, 0);
	return 0;
}

/* Every test of the fast reader runs on each of its paths (the loop
 * index: path * 2 + reading as the loader reads, after csvrec_begin: the
 * blocks on the 64-byte grid of addresses, the last one kept). */
static const struct {
	const char *name;
	enum csvscan_path path;
} scan_paths[] = {
	{ "avx2", CSVSCAN_AVX2 }, { "sse2", CSVSCAN_SSE2 },
	{ "scalar", CSVSCAN_SCALAR },
};
#define SCAN_MODES (2 * (int)(sizeof scan_paths / sizeof scan_paths[0]))
static int scan_begin;

/* Chooses the mode; 0 when the processor or the build lacks the path
 * (under CI, where every path must be tested, that fails). */
static int
scan_mode(int i)
{
	const char *name = scan_paths[i / 2].name;

	setenv("LOGONHUNT_SIMD", name, 1);
	scan_begin = i % 2;
	/* The byte-wise scanner keeps no blocks: once is enough. */
	if (scan_paths[i / 2].path == CSVSCAN_SCALAR && scan_begin)
		return 0;
	if (csvscan_path_chosen() == scan_paths[i / 2].path)
		return 1;
	ck_assert_msg(getenv("CI") == NULL, "the %s path is not available", name);
	return 0;
}

static int
render_scan(const char *s, size_t n, struct buf *out)
{
	struct csvrec rec = { 0 };
	const char *p = s, *next;
	enum csvscan_error err;
	enum csvscan_result r;

	if (scan_begin)
		csvrec_begin(&rec, s, s + n);
	for (;;) {
		r = csvscan_next(p, s + n, 1, &rec, &next, &err);
		if (r == CSVSCAN_END)
			break;
		if (r == CSVSCAN_ERROR) {
			buf_add(out, "ERROR\n", 6);
			csvrec_free(&rec);
			return -1;
		}
		render_rec(out, &rec, 1);
		p = next;
	}
	csvrec_free(&rec);
	return 0;
}

static int
render_ref(const char *s, size_t n, struct buf *out)
{
	enum csvscan_error err;
	const char *errpos;

	if (csvref_scan(s, s + n, render_cb, out, &err, &errpos) != 0) {
		buf_add(out, "ERROR\n", 6);
		return -1;
	}
	return 0;
}

static void
ck_same_records(const char *s, size_t n)
{
	struct buf a = { 0 }, b = { 0 };
	int ra = render_scan(s, n, &a), rb = render_ref(s, n, &b);

	ck_assert_msg(ra == rb && a.len == b.len &&
	    (a.len == 0 || memcmp(a.p, b.p, a.len) == 0),
	    "readers differ on [%.*s]:\nscan:\n%s\nlibcsv:\n%s", (int)n, s,
	    a.p ? a.p : "", b.p ? b.p : "");
	buf_free(&a);
	buf_free(&b);
}

START_TEST(test_csv_cases)
{
	static const char *cases[] = {
		"a,b,c\r\n1,2,3\r\n",
		"a,b,c\n1,2,3",
		"a,b\n\n\n1,2\n",
		"a,\"b,c\",\"d\"\"e\"\n",
		"\"multi\nline\",x\r\n\"more\r\nlines\"\r\n",
		"a,b,\n,,\n",
		"\"\",\"\"\"\"\n",
		" a , b \n",
		"a\rb\rc\r",
		"\r\n\r\na\r\n",
		"a,b\"c\n",
		"\"a\"b,c\n",
		"\"unterminated\n",
		"x,\"y\" ,z\n",
		"\"a\"\"\"\n",
		"",
		"\n",
		"a,\xff\x00z,c\n",
	};
	size_t i;

	if (!scan_mode(_i))
		return;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_same_records(cases[i], strlen(cases[i]));
	/* The NUL byte case, with its real length. */
	ck_same_records("a,\xff\x00z,c\n", 9);
}
END_TEST

START_TEST(test_csv_fields)
{
	struct buf out = { 0 };

	if (!scan_mode(_i))
		return;

	/* A CRLF record ends at the CR; its LF counts as a blank line
	 * before the next record. */
	render_scan("a,\"b,c\",\"d\"\"e\",\"x\ny\"\r\nz", 23, &out);
	ck_assert_str_eq(out.p, "[4@0+1]<a><b,c><d\"e><x\ny>\n[1@1+0]<z>\n");
	buf_free(&out);
	render_scan("\n\nq\n", 4, &out);
	ck_assert_str_eq(out.p, "[1@2+1]<q>\n");
	buf_free(&out);
}
END_TEST

START_TEST(test_csv_errors)
{
	struct csvrec rec = { 0 };
	enum csvscan_error err;
	const char *next, *s;

	if (!scan_mode(_i))
		return;

	s = "ab\"c\n";
	ck_assert_int_eq(csvscan_next(s, s + strlen(s), 1, &rec, &next, &err), CSVSCAN_ERROR);
	ck_assert_int_eq(err, CSVERR_QUOTE_IN_FIELD);
	ck_assert_ptr_eq(next, s + 2);
	s = "\"ab\"c\n";
	ck_assert_int_eq(csvscan_next(s, s + strlen(s), 1, &rec, &next, &err), CSVSCAN_ERROR);
	ck_assert_int_eq(err, CSVERR_AFTER_QUOTE);
	s = "x,\"ab\n";
	ck_assert_int_eq(csvscan_next(s, s + strlen(s), 1, &rec, &next, &err), CSVSCAN_ERROR);
	ck_assert_int_eq(err, CSVERR_UNTERMINATED);
	ck_assert_ptr_eq(next, s + 2);
	/* Without eof an unfinished record asks for more. */
	ck_assert_int_eq(csvscan_next(s, s + strlen(s), 0, &rec, &next, &err), CSVSCAN_MORE);
	s = "a,b";
	ck_assert_int_eq(csvscan_next(s, s + 3, 0, &rec, &next, &err), CSVSCAN_MORE);
	s = "\"a\"";
	ck_assert_int_eq(csvscan_next(s, s + 3, 0, &rec, &next, &err), CSVSCAN_MORE);
	csvrec_free(&rec);
}
END_TEST

/* Random inputs over the bytes that matter: both readers must agree. */
START_TEST(test_csv_differential)
{
	static const char alphabet[] = "ab,,\"\"\r\n \x00\xc3";
	uint64_t x = 0x1234567u;
	char s[48];
	int iter;
	size_t n, i;

	if (!scan_mode(_i))
		return;

	for (iter = 0; iter < 200000; iter++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		n = x % sizeof s;
		for (i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			s[i] = alphabet[x % (sizeof alphabet - 1)];
		}
		ck_same_records(s, n);
	}
}
END_TEST

/* Long random inputs, mostly plain text so that records and fields, and
 * the quotes around them, straddle the fast scanner's 64-byte blocks. */
START_TEST(test_csv_differential_long)
{
	static const char alphabet[] = "aaaaaaaaaaaaaaab,,,,\"\"\"\r\n\n";
	uint64_t x = 0x9e3779b97f4a7c15ull;
	char s[400];
	int iter;
	size_t n, i, run;

	if (!scan_mode(_i))
		return;

	for (iter = 0; iter < 40000; iter++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		n = x % sizeof s;
		for (i = 0; i < n;) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* Runs of one byte, up to 80 long, give long fields. */
			run = 1 + (x >> 32) % ((x & 7) == 0 ? 80 : 3);
			for (; run > 0 && i < n; run--)
				s[i++] = alphabet[x % (sizeof alphabet - 1)];
		}
		ck_same_records(s, n);
	}
}
END_TEST

/* Reads s[0, n) twice, all fields and only the wanted ones with the gate
 * (as the loader does, after csvrec_begin when scan_begin is set), and
 * checks that both give the same records, counts and located fields. A
 * record is gated only if its gate field's value differs from the gate's;
 * with exact (the structural pass), exactly then, unless that value holds
 * doubled quotes. A gated record still has its gate field located. */
static void
ck_same_wanted(const char *s, size_t n, const unsigned char *want,
    size_t nwant, size_t g, const char *gate, int exact)
{
	struct csvrec all = { 0 }, some = { 0 };
	struct buf scratch = { 0 };
	const char *na, *ns, *p, *end = s + n;
	enum csvscan_error ea, es;
	enum csvscan_result ra, rs;
	struct lh_str v;
	size_t i;

	csvrec_want(&some, want, nwant);
	csvrec_gate(&some, g, gate);
	if (scan_begin) {
		csvrec_begin(&all, s, end);
		csvrec_begin(&some, s, end);
	}
	for (p = s;; p = na) {
		ra = csvscan_next(p, end, 1, &all, &na, &ea);
		rs = csvscan_next(p, end, 1, &some, &ns, &es);
		ck_assert_int_eq(ra, rs);
		ck_assert_ptr_eq(na, ns);
		if (ra != CSVSCAN_RECORD)
			break;
		ck_assert_uint_eq(all.nf, some.nf);
		ck_assert_uint_eq(all.body_nl, some.body_nl);
		ck_assert_uint_eq(all.lead_nl, some.lead_nl);
		if (gate != NULL && g < all.nf && exact) {
			v = csv_field_value(&all.f[g], &scratch);
			ck_assert_int_eq(some.gated,
			    !(all.f[g].flags & CSVF_ESCAPED) &&
			    !(v.n == strlen(gate) && memcmp(v.p, gate, v.n) == 0));
		}
		if (some.gated) {
			ck_assert_ptr_nonnull(gate);
			ck_assert_uint_lt(g, all.nf);
			v = csv_field_value(&all.f[g], &scratch);
			ck_assert(v.n != strlen(gate) || memcmp(v.p, gate, v.n) != 0);
			ck_assert_ptr_eq(all.f[g].p, some.f[g].p);
			ck_assert_uint_eq(all.f[g].n, some.f[g].n);
			continue;
		}
		for (i = 0; i < all.nf && i < nwant; i++) {
			if (!want[i])
				continue;
			ck_assert_ptr_eq(all.f[i].p, some.f[i].p);
			ck_assert_uint_eq(all.f[i].n, some.f[i].n);
			ck_assert_uint_eq(all.f[i].flags, some.f[i].flags);
		}
	}
	csvrec_free(&all);
	csvrec_free(&some);
	buf_free(&scratch);
}

/* Reading only some fields (as the loader does) locates the same values
 * and counts the same fields as reading them all: random wide records,
 * random sets of wanted columns. With a gate (one input in two), a record
 * is gated exactly when its gate field's value differs from the gate's
 * (or, when that value holds doubled quotes, never), and a gated record
 * still has its fields counted and its gate field located. */
START_TEST(test_csv_wanted_fields)
{
	static const char alphabet[] = "aaaaaaaaaaaaaaaaaaab,,,,,,,\"\"\r\n";
	uint64_t x = 0x2545f4914f6cdd1dull;
	unsigned char want[64];
	static const char *gates[] = { "a", "aa", "aaa", "b", "" };
	const char *gate;
	char s[700];
	int iter;
	size_t n, i, run, g;

	if (!scan_mode(_i))
		return;

	for (iter = 0; iter < 20000; iter++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		n = x % sizeof s;
		for (i = 0; i < sizeof want; i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			want[i] = (x & 3) == 0;
		}
		for (i = 0; i < n;) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			run = 1 + (x >> 32) % ((x & 7) == 0 ? 40 : 3);
			for (; run > 0 && i < n; run--)
				s[i++] = alphabet[x % (sizeof alphabet - 1)];
		}
		g = (x >> 20) % 8;
		gate = (x >> 24) & 1 ? gates[(x >> 25) % 5] : NULL;
		ck_same_wanted(s, n, want, 1 + (x >> 40) % sizeof want, g, gate,
		    scan_paths[_i / 2].path != CSVSCAN_SCALAR);
	}
}
END_TEST

/* Records like the exports': long, mostly plain text (no quote and no
 * line end in most 64-byte blocks, which the pass only counts), with
 * quoted fields (commas, line feeds and doubled quotes inside, some over
 * several plain blocks), empty fields and runs of commas, so that a comma
 * falls at each bit of a block and a wanted field starts in a counted
 * block after its last comma. Every alignment of the buffer, which is
 * allocated to its exact size; random wanted columns and gates. */
START_TEST(test_csv_plain_blocks)
{
	static const char *gates[] = { "Public", "x", "" };
	uint64_t x = 0x853c49e6748fea9bull;
	unsigned char want[64];
	struct buf b = { 0 };
	size_t iter, i, k, nf, len, a, g;
	const char *gate;
	char *copy;

	if (!scan_mode(_i))
		return;
#define NEXT() (x ^= x << 13, x ^= x >> 7, x ^= x << 17)
	for (iter = 0; iter < 3000; iter++) {
		buf_reset(&b);
		for (k = 1 + iter % 3; k > 0; k--) {
			nf = 1 + NEXT() % 60;
			for (i = 0; i < nf; i++) {
				if (i > 0)
					buf_addc(&b, ',');
				NEXT();
				len = (x & 3) == 0 ? (x >> 8) % 200 : (x >> 8) % 12;
				if ((x >> 4) % 9 == 0) {
					/* Quoted: separators and quotes inside,
					 * first or last, or none. */
					buf_addc(&b, '"');
					while (len-- > 0) {
						NEXT();
						buf_add(&b, (x & 31) == 0 ? "\n" :
						    (x & 31) == 1 ? "\"\"" :
						    (x & 31) == 2 ? "," :
						    (x & 31) == 3 ? "\r" : "q",
						    (x & 31) == 1 ? 2 : 1);
					}
					buf_addc(&b, '"');
				} else if ((x >> 4) % 9 == 1) {
					buf_add(&b, "Public", 6);
				} else {
					while (len-- > 0)
						buf_addc(&b, 'a' + (char)(len % 26));
				}
			}
			NEXT();
			buf_add(&b, (x & 1) ? "\r\n" : "\n", (x & 1) ? 2 : 1);
		}
		for (i = 0; i < sizeof want; i++)
			want[i] = (NEXT() & 7) == 0;
		NEXT();
		g = (x >> 8) % 40;
		gate = (x & 1) ? gates[(x >> 1) % 3] : NULL;
		a = iter % 64;
		copy = xmalloc(a + b.len);
		memset(copy, '"', a);
		memcpy(copy + a, b.p, b.len);
		ck_same_wanted(copy + a, b.len, want, 1 + (x >> 16) % sizeof want,
		    g, gate, scan_paths[_i / 2].path != CSVSCAN_SCALAR);
		ck_same_records(copy + a, b.len);
		free(copy);
	}
#undef NEXT
	buf_free(&b);
}
END_TEST

/* The plain-block shapes at each bit: a run of plain text of every
 * length from 0 to 200 before a wanted field (which then starts at each
 * position of a block, after the last comma of a counted one, or at its
 * first byte after a comma at bit 63), a quoted field holding commas that
 * spans plain blocks, and a gate field after it. */
START_TEST(test_csv_plain_edges)
{
	static const char *tails[] = {
		",w1,w2,\"in,side,of,quotes,well,past,one,block,of,sixty,four,"
		"bytes,plain,plain,plain,plain,plain,plain,plain,plain\",Public,z\r\n",
		",,\"\"\"\",Priv,\"\n\",z\n",
		",\"x\nx\",Public\n",
		/* Malformed after a plain run (a quote inside an unquoted
		 * field), and a quoted field with text after its end. */
		"\"x\",Public,\"y\"z\n",
	};
	unsigned char want[16];
	size_t k, lead, n, len, w;
	char *buf;
	int exact = scan_paths[_i / 2].path != CSVSCAN_SCALAR;

	if (!scan_mode(_i))
		return;
	for (k = 0; k < sizeof tails / sizeof tails[0]; k++)
		for (lead = 0; lead <= 200; lead++)
			for (w = 1; w < 5; w++) {
				len = strlen(tails[k]);
				n = lead + len;
				buf = xmalloc(n);
				memset(buf, 'p', lead);
				/* A comma before the plain run too: the
				 * record's fields move by one. */
				if (lead > 70)
					buf[lead - 70] = ',';
				memcpy(buf + lead, tails[k], len);
				memset(want, 0, sizeof want);
				want[w] = 1;
				want[w + 2] = 1;
				ck_same_wanted(buf, n, want, sizeof want, w + 1,
				    NULL, 0);
				ck_same_wanted(buf, n, want, sizeof want, w + 1,
				    "Public", exact);
				ck_same_wanted(buf, n, want, sizeof want, 5, "Public",
				    exact);
				if (w == 1)
					ck_same_records(buf, n);
				free(buf);
			}
}
END_TEST

/* The shapes the fast scanner takes at each position in a block: a
 * quoted field holding separators, its quotes, a doubled quote and the
 * record's end placed at every offset from 0 to 130. */
START_TEST(test_csv_block_edges)
{
	static const char *shapes[] = {
		"\"q,\nr\",z\r\nw,\"\"\n",
		"\"x\"\"y\",1\n2,3",
		"\"open,\n",
		"ab\"c,d\n",
		"\"ab\"c,d\n",
		",\"\",\"\"\r",
	};
	char s[256];
	size_t k, off, n;

	if (!scan_mode(_i))
		return;

	for (k = 0; k < sizeof shapes / sizeof shapes[0]; k++)
		for (off = 0; off <= 130; off++) {
			memset(s, 'p', off);
			if (off > 0)
				s[off - 1] = ',';
			n = strlen(shapes[k]);
			memcpy(s + off, shapes[k], n);
			ck_same_records(s, off + n);
		}
}
END_TEST

/* Read as the loader reads (csvrec_begin), blocks lie on the 64-byte grid
 * of addresses: the buffer's first block begins before it, its last ends
 * after it, and a record that starts inside a block reuses the bits kept
 * from the record before. Each shape (a quoted field with separators, a
 * doubled quote, CR LF, a comma then a quote, errors) at every alignment
 * of the buffer, after a first record of every length, so that each of
 * its bytes falls on each bit of a block, bits 0 and 63 included. The
 * buffer is allocated to its exact size, so that a read past its end
 * shows under the sanitizers. */
START_TEST(test_csv_grid)
{
	static const char *shapes[] = {
		"\"a,\nb\",\"c\"\"d\"\r\ne,f\n",
		",\"\"\",\"\"\"\r\n\"x\"\n",
		"q,\"r\"s\n",
		"q\"r\n",
		"\"open,\r\n",
		"z\r\n\r\n,\n",
	};
	size_t k, a, lead, n, len;
	char *buf;

	if (!scan_mode(_i))
		return;
	for (k = 0; k < sizeof shapes / sizeof shapes[0]; k++)
		for (a = 0; a < 64; a++)
			for (lead = 0; lead < 80; lead += 1 + (a & 1)) {
				len = strlen(shapes[k]);
				n = a + lead + len;
				buf = xmalloc(n);
				/* Before the buffer: bytes that would matter. */
				memset(buf, '"', a);
				memset(buf + a, 'x', lead);
				if (lead > 0)
					buf[a + lead - 1] = '\n';
				if (lead > 2)
					buf[a + lead / 2] = ',';
				memcpy(buf + a + lead, shapes[k], len);
				ck_same_records(buf + a, lead + len);
				free(buf);
			}
}
END_TEST

/* One csvrec over a buffer read, rewritten in place and read again (as
 * the console's re-reads do with a new file mapped at the same address):
 * csvrec_begin forgets the block kept from the first reading. */
START_TEST(test_csv_begin_again)
{
	static const char *firsts[] = { "a,b,c\nd,e,f\n", "\"a\",b,c\nd,e,f\n" };
	static const char *again = "\"x,y\",\"\"\"z\"\n1,2\n";
	struct csvrec rec = { 0 };
	struct buf a = { 0 }, b = { 0 };
	const char *p, *next;
	enum csvscan_error err;
	char *s;
	size_t k, n;

	if (!scan_mode(_i))
		return;
	s = xmalloc(64);
	for (k = 0; k < sizeof firsts / sizeof firsts[0]; k++) {
		n = strlen(again);
		memset(s, ',', 64);
		memcpy(s, firsts[k], strlen(firsts[k]));
		csvrec_begin(&rec, s, s + n);
		for (p = s; csvscan_next(p, s + n, 1, &rec, &next, &err) == CSVSCAN_RECORD; p = next)
			;
		memcpy(s, again, n);
		csvrec_begin(&rec, s, s + n);
		buf_reset(&a);
		for (p = s; csvscan_next(p, s + n, 1, &rec, &next, &err) == CSVSCAN_RECORD; p = next)
			render_rec(&a, &rec, 1);
		buf_reset(&b);
		render_ref(s, n, &b);
		ck_assert_str_eq(a.p, b.p);
	}
	csvrec_free(&rec);
	buf_free(&a);
	buf_free(&b);
	free(s);
}
END_TEST

/* LOGONHUNT_SIMD chooses the path; without it, or with a path the
 * processor lacks, the best one there is. */
START_TEST(test_csv_path_choice)
{
	enum csvscan_path best;

	unsetenv("LOGONHUNT_SIMD");
	best = csvscan_path_chosen();
	setenv("LOGONHUNT_SIMD", "scalar", 1);
	ck_assert_int_eq(csvscan_path_chosen(), CSVSCAN_SCALAR);
	ck_assert_str_eq(csvscan_path_name(csvscan_path_chosen()), "scalar");
	setenv("LOGONHUNT_SIMD", "avx2", 1);
	ck_assert_int_eq(csvscan_path_chosen(), best);
	setenv("LOGONHUNT_SIMD", "sse2", 1);
	ck_assert_int_eq(csvscan_path_chosen(), best >= CSVSCAN_SSE2 ? CSVSCAN_SSE2 : best);
	setenv("LOGONHUNT_SIMD", "bogus", 1);
	ck_assert_int_eq(csvscan_path_chosen(), best);
#if defined(__x86_64__)
	ck_assert_int_ge(best, CSVSCAN_SSE2);
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul"))
		ck_assert_int_eq(best, CSVSCAN_AVX2);
#endif
	unsetenv("LOGONHUNT_SIMD");
}
END_TEST

static void
scan_mode_reset(void)
{
	unsetenv("LOGONHUNT_SIMD");
	scan_begin = 0;
}

/* --------------------------------------------------- IPAddresses expansion */

static void
collect(void *ctx, const char *ip, size_t n)
{
	struct buf *b = ctx;

	buf_addc(b, '<');
	buf_add(b, ip, n);
	buf_addc(b, '>');
}

static void
ck_expand(const char *json, const char *want)
{
	struct buf b = { 0 };

	table_expand_ipaddresses(json, strlen(json), collect, &b);
	ck_assert_msg(b.len == strlen(want) && (b.len == 0 || memcmp(b.p, want, b.len) == 0),
	    "expand %s: got %s, want %s", json, b.p ? b.p : "(nothing)", want);
	buf_free(&b);
}

START_TEST(test_expand)
{
	ck_expand("[{\"IPAddress\":\"10.1.2.3\",\"SubnetPrefix\":24},{\"IPAddress\":\"fe80::1\"}]",
	    "<10.1.2.3><fe80::1>");
	ck_expand("[]", "");
	ck_expand("", "<>");
	ck_expand("null", "<>");
	ck_expand("not json", "<>");
	ck_expand("5", "<>");
	ck_expand("\"1.2.3.4\"", "<>");
	ck_expand("[{\"SubnetPrefix\":24}]", "<>");
	ck_expand("[\"1.2.3.4\", 7, null]", "<><><>");
	ck_expand("[{\"IPAddress\":null}]", "<>");
	ck_expand("[{\"IPAddress\":17}]", "<17>");
	ck_expand("[{\"IPAddress\":true}]", "<true>");
	ck_expand("[{\"IPAddress\":{\"a\":1}}]", "<{\"a\":1}>");
	ck_expand("[{\"ipaddress\":\"1.1.1.1\"}]", "<>");	/* keys are case-sensitive */
	ck_expand("{\"IPAddress\":\"9.9.9.9\"}", "<9.9.9.9>");
	/* A property bag expands into one-member bags: each member other
	 * than IPAddress has a null .IPAddress, and {} expands to nothing. */
	ck_expand("{\"SubnetPrefix\":24,\"IPAddress\":\"9.9.9.9\",\"x\":null}", "<><9.9.9.9><>");
	ck_expand("{}", "");
	ck_expand("{\"ipaddress\":\"9.9.9.9\"}", "<>");
	ck_expand("[{\"IPAddress\":\"1.1.1.1\"}", "<>");	/* truncated: not JSON */
}
END_TEST

/* ---------------------------------------------------------------- loading */

static const char logon_head[] =
    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,"
    "AccountName,RemoteIP,RemoteIPType\n";

/* Loads logons (and optional network/identity CSV), runs the hunt, and
 * returns the summary CSV. */
static char *
hunt_csv_sorted(const char *logons, const char *network, const char *identity,
    const struct load_opts *lo, const struct hunt_opts *ho, const char *sort,
    enum out_format fmt, struct hunt_funnel *funnel, char **cause)
{
	struct load_opts o = { 0 };
	struct hunt_opts hopts = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct table_data *d = table_data_new();
	struct hunt h;
	struct hunt_sort s;
	struct buf out = { 0 };
	struct load_input in[3];
	size_t n = 0;
	uint32_t *rows;
	char *p;

	if (lo)
		o = *lo;
	if (ho)
		hopts = *ho;
	in[n].path = tu_write_file("DeviceLogonEvents.csv", logons, strlen(logons));
	in[n++].table = LH_LOGONS;
	if (network) {
		in[n].path = tu_write_file("DeviceNetworkInfo.csv", network, strlen(network));
		in[n++].table = LH_NETWORK;
	}
	if (identity) {
		in[n].path = tu_write_file("IdentityLogonEvents.csv", identity, strlen(identity));
		in[n++].table = LH_IDENTITY;
	}
	*cause = NULL;
	if (load_all(d, in, n, &o, cause) != 0) {
		while (n)
			free(in[--n].path);
		table_data_free(d);
		return NULL;
	}
	while (n)
		free(in[--n].path);
	hunt_run(&h, d, &hopts);
	hunt_apply(&h, NULL);
	ck_assert_int_eq(hunt_sort_parse(sort ? sort : "Instances", &s), 0);
	if (funnel)
		*funnel = h.f;
	rows = xmalloc((h.ng + 1) * sizeof *rows);
	n = hunt_rows(&h, &s, rows);
	output_summary(&out, &h, rows, n, fmt, 0);
	free(rows);
	hunt_free(&h);
	table_data_free(d);
	p = xstrdup(out.p);
	buf_free(&out);
	return p;
}

static char *
hunt_csv(const char *logons, const char *network, const char *identity,
    const struct load_opts *lo, const struct hunt_opts *ho, char **cause)
{
	return hunt_csv_sorted(logons, network, identity, lo, ho, NULL, OUT_CSV,
	    NULL, cause);
}

static const char summary_head[] =
    "AccountDomain,AccountName,LogonType,RemoteIP,ActionType,EarliestEvent,"
    "LatestEvent,Instances,DistinctMachines\n";

static void
ck_hunt(const char *logons, const char *network, const char *identity,
    const char *want_rows)
{
	char *cause, *got = hunt_csv(logons, network, identity, NULL, NULL, &cause);
	char *want = xasprintf("%s%s", summary_head, want_rows);

	ck_assert_msg(got != NULL, "load failed: %s", cause);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
}

START_TEST(test_hunt_public_exact)
{
	/* Only exactly "Public" counts: not "public", not " Public". */
	ck_hunt(
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,public\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,\" Public\"\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Private\n",
	    NULL, NULL,
	    "C,a,Network,1.1.1.1,LogonSuccess,2023-01-01T00:00:00.0000000Z,2023-01-01T00:00:00.0000000Z,1,1\n");
}
END_TEST

START_TEST(test_hunt_summary)
{
	/* Columns in another order, CRLF, extra columns, quoted newline. */
	ck_hunt(
	    "RemoteIPType,Extra,AccountName,AccountDomain,RemoteIP,DeviceId,DeviceName,Timestamp,LogonType,ActionType\r\n"
	    "Public,\"x\r\ny\",bob,C,2.2.2.2,d1,n1,2023-01-02T00:00:00Z,Network,LogonFailed\r\n"
	    "Public,,bob,C,2.2.2.2,d2,n2,2023-01-01T00:00:00.5Z,Network,LogonFailed\r\n"
	    "Public,,bob,C,2.2.2.2,d1,n1,2023-01-03T00:00:00Z,Network,LogonFailed\r\n"
	    "Public,,bob,C,2.2.2.2,d1,n1,garbage,Network,LogonFailed\r\n"
	    "Public,,bob,c,2.2.2.2,d1,n1,2023-01-03T00:00:00Z,Network,LogonFailed\r\n"
	    "Public,,bob,C,2.2.2.2,d1,n1,,Network,LogonSuccess\r\n",
	    NULL, NULL,
	    "C,bob,Network,2.2.2.2,LogonFailed,2023-01-01T00:00:00.5000000Z,2023-01-03T00:00:00.0000000Z,4,2\n"
	    /* A group whose only timestamp is empty prints empty min/max. */
	    "C,bob,Network,2.2.2.2,LogonSuccess,,,1,1\n"
	    /* AccountDomain is compared exactly: "c" is its own group. */
	    "c,bob,Network,2.2.2.2,LogonFailed,2023-01-03T00:00:00.0000000Z,2023-01-03T00:00:00.0000000Z,1,1\n");
}
END_TEST

START_TEST(test_hunt_joins)
{
	const char *logons =
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n"	/* device IP */
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,2.2.2.2,Public\n"	/* identity, ISP other */
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,3.3.3.3,Public\n"	/* identity, ISP empty */
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,4.4.4.4,Public\n"	/* identity INTERNAL */
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,FE80::1,Public\n"	/* no case folding */
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,,Public\n"		/* "" matches "" */
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,5.5.5.5,Public\n";
	const char *network =
	    "DeviceId,IPAddresses\n"
	    "d1,\"[{\"\"IPAddress\"\":\"\"1.1.1.1\"\"},{\"\"IPAddress\"\":\"\"fe80::1\"\"}]\"\n"
	    "d2,\"[{\"\"SubnetPrefix\"\":24}]\"\n";
	const char *identity =
	    "Timestamp,IPAddress,Isp\n"
	    "x,2.2.2.2,Contoso ISP\n"
	    "x,3.3.3.3,\n"
	    "x,4.4.4.4,INTERNAL_NETWORK\n";
	struct hunt_opts ho = { HUNT_IDENTITY_INTERNAL, TS_NONE, TS_NONE, 0, 0, 0 };
	char *cause, *got;

	ck_hunt(logons, network, identity,
	    "C,a,Network,4.4.4.4,LogonSuccess,2023-01-01T00:00:00.0000000Z,2023-01-01T00:00:00.0000000Z,1,1\n"
	    "C,a,Network,5.5.5.5,LogonSuccess,2023-01-01T00:00:00.0000000Z,2023-01-01T00:00:00.0000000Z,1,1\n"
	    "C,a,Network,FE80::1,LogonSuccess,2023-01-01T00:00:00.0000000Z,2023-01-01T00:00:00.0000000Z,1,1\n");
	/* The comment's intent: only INTERNAL_NETWORK IPs are dropped. */
	got = hunt_csv(logons, network, identity, NULL, &ho, &cause);
	ck_assert_ptr_nonnull(got);
	ck_assert_ptr_nonnull(strstr(got, ",2.2.2.2,"));
	ck_assert_ptr_nonnull(strstr(got, ",3.3.3.3,"));
	ck_assert_ptr_null(strstr(got, ",4.4.4.4,"));
	ck_assert_ptr_null(strstr(got, ",1.1.1.1,"));
	free(got);
}
END_TEST

START_TEST(test_hunt_sort_ties)
{
	/* Equal counts fall back to the keys, in natural order: case
	 * ignored (a before B), then bytes (B before b). */
	ck_hunt(
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,b,x,1.1.1.1,Public\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,B,x,1.1.1.1,Public\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,a,x,1.1.1.1,Public\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,a,x,9.9.9.9,Public\n"
	    "2023-01-01T00:00:00Z,d2,n1,LogonSuccess,Network,a,x,9.9.9.9,Public\n",
	    NULL, NULL,
	    "a,x,Network,9.9.9.9,LogonSuccess,2023-01-01T00:00:00.0000000Z,2023-01-01T00:00:00.0000000Z,2,2\n"
	    "a,x,Network,1.1.1.1,LogonSuccess,2023-01-01T00:00:00.0000000Z,2023-01-01T00:00:00.0000000Z,1,1\n"
	    "B,x,Network,1.1.1.1,LogonSuccess,2023-01-01T00:00:00.0000000Z,2023-01-01T00:00:00.0000000Z,1,1\n"
	    "b,x,Network,1.1.1.1,LogonSuccess,2023-01-01T00:00:00.0000000Z,2023-01-01T00:00:00.0000000Z,1,1\n");
}
END_TEST

/* An IP both a device's and an identity logon's keeps both marks, from
 * two files or from two rows of one: the device join removes it whatever
 * the identity rows say, and one ISP other than INTERNAL_NETWORK among
 * several rows removes it under the query as written. */
START_TEST(test_hunt_join_marks_accumulate)
{
	const char *logons =
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,6.6.6.6,Public\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,7.7.7.7,Public\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,8.8.8.8,Public\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,9.9.9.9,Public\n";
	const char *network =
	    "DeviceId,IPAddresses\n"
	    "d1,\"[{\"\"IPAddress\"\":\"\"6.6.6.6\"\"}]\"\n";
	/* 6.6.6.6: device IP and internal identity IP; 7.7.7.7 and 8.8.8.8:
	 * an internal row and another ISP's, in both orders. */
	const char *identity =
	    "Timestamp,IPAddress,Isp\n"
	    "x,6.6.6.6,INTERNAL_NETWORK\n"
	    "x,7.7.7.7,Contoso ISP\n"
	    "x,7.7.7.7,INTERNAL_NETWORK\n"
	    "x,8.8.8.8,INTERNAL_NETWORK\n"
	    "x,8.8.8.8,Contoso ISP\n";
	struct hunt_opts ho = { HUNT_IDENTITY_INTERNAL, TS_NONE, TS_NONE, 0, 0, 0 };
	struct hunt_funnel f;
	char *cause, *got;

	ck_hunt(logons, network, identity,
	    "C,a,Network,9.9.9.9,LogonSuccess,2023-01-01T00:00:00.0000000Z,2023-01-01T00:00:00.0000000Z,1,1\n");
	/* With the comment's filter the internal rows remove 7.7.7.7 and
	 * 8.8.8.8 too; 6.6.6.6 goes by the device join first. */
	got = hunt_csv_sorted(logons, network, identity, NULL, &ho, NULL, OUT_CSV, &f, &cause);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got + strlen(summary_head),
	    "C,a,Network,9.9.9.9,LogonSuccess,2023-01-01T00:00:00.0000000Z,2023-01-01T00:00:00.0000000Z,1,1\n");
	ck_assert_uint_eq(f.removed_device, 1);
	ck_assert_uint_eq(f.removed_identity, 2);
	free(got);
}
END_TEST

/* Kusto's != is case-sensitive: "internal_network" is another ISP, so
 * the query as written removes its IP, and --identity-filter internal
 * keeps it. */
START_TEST(test_hunt_isp_case)
{
	const char *logons =
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,7.7.7.7,Public\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,8.8.8.8,Public\n";
	const char *identity =
	    "Timestamp,IPAddress,Isp\n"
	    "x,7.7.7.7,internal_network\n"
	    "x,8.8.8.8,Internal_Network\n";
	struct hunt_opts ho = { HUNT_IDENTITY_INTERNAL, TS_NONE, TS_NONE, 0, 0, 0 };
	char *cause, *got;

	ck_hunt(logons, NULL, identity, "");
	got = hunt_csv(logons, NULL, identity, NULL, &ho, &cause);
	ck_assert_ptr_nonnull(got);
	ck_assert_ptr_nonnull(strstr(got, ",7.7.7.7,"));
	ck_assert_ptr_nonnull(strstr(got, ",8.8.8.8,"));
	free(got);
}
END_TEST

/* The window's bounds are both inclusive, to the tick; an event without a
 * Timestamp is outside any window (Kusto's comparisons with null are
 * false), and the funnel counts what the window removed. */
START_TEST(test_hunt_window_bounds)
{
	const char *logons =
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2023-01-01T09:59:59.9999999Z,d1,n1,LogonSuccess,Network,C,before,1.1.1.1,Public\n"
	    "2023-01-01T10:00:00Z,d1,n1,LogonSuccess,Network,C,atfrom,1.1.1.1,Public\n"
	    "2023-01-01T12:00:00+02:00,d1,n1,LogonSuccess,Network,C,inside,1.1.1.1,Public\n"
	    "2023-01-02T10:00:00Z,d1,n1,LogonSuccess,Network,C,atuntil,1.1.1.1,Public\n"
	    "2023-01-02T10:00:00.0000001Z,d1,n1,LogonSuccess,Network,C,after,1.1.1.1,Public\n"
	    ",d1,n1,LogonSuccess,Network,C,untimed,1.1.1.1,Public\n";
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct hunt_funnel f;
	char *cause, *got;

	ho.from = ts("2023-01-01T10:00:00Z");
	ho.until = ts("2023-01-02T10:00:00Z");
	got = hunt_csv_sorted(logons, NULL, NULL, NULL, &ho, "AccountName", OUT_CSV, &f, &cause);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got + strlen(summary_head),
	    "C,atfrom,Network,1.1.1.1,LogonSuccess,2023-01-01T10:00:00.0000000Z,2023-01-01T10:00:00.0000000Z,1,1\n"
	    "C,atuntil,Network,1.1.1.1,LogonSuccess,2023-01-02T10:00:00.0000000Z,2023-01-02T10:00:00.0000000Z,1,1\n"
	    "C,inside,Network,1.1.1.1,LogonSuccess,2023-01-01T10:00:00.0000000Z,2023-01-01T10:00:00.0000000Z,1,1\n");
	ck_assert_uint_eq(f.public_logons, 6);
	ck_assert_uint_eq(f.removed_window, 3);
	ck_assert_uint_eq(f.events, 3);
	free(got);
	/* Open at one end: only the other bound applies. */
	ho.until = TS_NONE;
	got = hunt_csv_sorted(logons, NULL, NULL, NULL, &ho, "AccountName", OUT_CSV, &f, &cause);
	ck_assert_ptr_nonnull(got);
	ck_assert_ptr_nonnull(strstr(got, ",after,"));
	ck_assert_ptr_null(strstr(got, ",before,"));
	ck_assert_ptr_null(strstr(got, ",untimed,"));
	ck_assert_uint_eq(f.removed_window, 2);
	free(got);
}
END_TEST

/* --since is ago(): now minus the span, inclusive; with --from too, the
 * later of the two bounds wins. */
START_TEST(test_hunt_since)
{
	const char *logons =
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2023-01-07T23:59:59Z,d1,n1,LogonSuccess,Network,C,old,1.1.1.1,Public\n"
	    "2023-01-08T00:00:00Z,d1,n1,LogonSuccess,Network,C,edge,1.1.1.1,Public\n"
	    "2023-01-08T12:00:00Z,d1,n1,LogonSuccess,Network,C,mid,1.1.1.1,Public\n"
	    "2023-01-09T12:00:00Z,d1,n1,LogonSuccess,Network,C,new,1.1.1.1,Public\n";
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct hunt_funnel f;
	char *cause, *got;

	ck_assert_int_eq(hunt_duration_parse("2d", &ho.since), 0);
	ho.now = ts("2023-01-10T00:00:00Z");
	got = hunt_csv_sorted(logons, NULL, NULL, NULL, &ho, "AccountName", OUT_CSV, &f, &cause);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got + strlen(summary_head),
	    "C,edge,Network,1.1.1.1,LogonSuccess,2023-01-08T00:00:00.0000000Z,2023-01-08T00:00:00.0000000Z,1,1\n"
	    "C,mid,Network,1.1.1.1,LogonSuccess,2023-01-08T12:00:00.0000000Z,2023-01-08T12:00:00.0000000Z,1,1\n"
	    "C,new,Network,1.1.1.1,LogonSuccess,2023-01-09T12:00:00.0000000Z,2023-01-09T12:00:00.0000000Z,1,1\n");
	ck_assert_uint_eq(f.removed_window, 1);
	free(got);
	/* An earlier --from does not widen it; a later one narrows it. */
	ho.from = ts("2023-01-01T00:00:00Z");
	got = hunt_csv_sorted(logons, NULL, NULL, NULL, &ho, "AccountName", OUT_CSV, &f, &cause);
	ck_assert_ptr_nonnull(got);
	ck_assert_ptr_null(strstr(got, ",old,"));
	ck_assert_ptr_nonnull(strstr(got, ",edge,"));
	free(got);
	ho.from = ts("2023-01-09T00:00:00Z");
	got = hunt_csv_sorted(logons, NULL, NULL, NULL, &ho, "AccountName", OUT_CSV, &f, &cause);
	ck_assert_ptr_nonnull(got);
	ck_assert_ptr_null(strstr(got, ",mid,"));
	ck_assert_ptr_nonnull(strstr(got, ",new,"));
	free(got);
	/* Relative to the data with no timed logon: the bound is null and
	 * keeps nothing. */
	ho.from = TS_NONE;
	ho.since_data = 1;
	got = hunt_csv_sorted(
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    ",d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
	    "garbage,d1,n1,LogonSuccess,Network,C,b,1.1.1.1,Public\n",
	    NULL, NULL, NULL, &ho, "AccountName", OUT_CSV, &f, &cause);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, summary_head);
	ck_assert_uint_eq(f.removed_window, 2);
	free(got);
	/* Relative to the data: from the newest Public logon, not now, and
	 * the bound itself is in. */
	ho.from = TS_NONE;
	ho.since_data = 1;
	ck_assert_int_eq(hunt_duration_parse("1d", &ho.since), 0);
	got = hunt_csv_sorted(logons, NULL, NULL, NULL, &ho, "AccountName", OUT_CSV, &f, &cause);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got + strlen(summary_head),
	    "C,mid,Network,1.1.1.1,LogonSuccess,2023-01-08T12:00:00.0000000Z,2023-01-08T12:00:00.0000000Z,1,1\n"
	    "C,new,Network,1.1.1.1,LogonSuccess,2023-01-09T12:00:00.0000000Z,2023-01-09T12:00:00.0000000Z,1,1\n");
	free(got);
}
END_TEST

/* The default direction of each column kind and the :asc/:desc suffixes;
 * the order itself on a hunt's rows. */
START_TEST(test_hunt_sort_directions)
{
	static const struct {
		const char *spec;
		enum hunt_col col;
		int desc;
	} cases[] = {
		{ "AccountDomain", HC_DOMAIN, 0 }, { "accountname", HC_NAME, 0 },
		{ "LogonType", HC_LOGONTYPE, 0 }, { "RemoteIP", HC_REMOTEIP, 0 },
		{ "ActionType", HC_ACTIONTYPE, 0 }, { "EarliestEvent", HC_EARLIEST, 1 },
		{ "LatestEvent", HC_LATEST, 1 }, { "Instances", HC_INSTANCES, 1 },
		{ "DistinctMachines", HC_DISTINCT, 1 },
		{ "RemoteIP:desc", HC_REMOTEIP, 1 }, { "Instances:asc", HC_INSTANCES, 0 },
		{ "LatestEvent:ASC", HC_LATEST, 0 }, { "AccountName:Desc", HC_NAME, 1 },
		{ "Instances:desc", HC_INSTANCES, 1 }, { "AccountName:asc", HC_NAME, 0 },
	};
	static const char *bad[] = { "Instance", "Instances:", "Instances:up", ":asc", "" };
	const char *logons =
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,b,1.1.1.1,Public\n"
	    "2023-01-03T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
	    "2023-01-02T00:00:00Z,d1,n1,LogonSuccess,Network,C,c,1.1.1.1,Public\n"
	    "2023-01-02T00:00:00Z,d2,n1,LogonSuccess,Network,C,c,1.1.1.1,Public\n";
	struct hunt_sort s;
	char *cause, *got;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_msg(hunt_sort_parse(cases[i].spec, &s) == 0, "%s", cases[i].spec);
		ck_assert_msg(s.col == cases[i].col && s.desc == cases[i].desc,
		    "%s: column %d desc %d", cases[i].spec, s.col, s.desc);
		ck_assert_int_eq(s.col2, -1);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(hunt_sort_parse(bad[i], &s) == -1, "'%s' accepted", bad[i]);
	/* Newest first by default: c (Jan 2) sits between a and b. */
	got = hunt_csv_sorted(logons, NULL, NULL, NULL, NULL, "EarliestEvent", OUT_CSV, NULL, &cause);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got + strlen(summary_head),
	    "C,a,Network,1.1.1.1,LogonSuccess,2023-01-03T00:00:00.0000000Z,2023-01-03T00:00:00.0000000Z,1,1\n"
	    "C,c,Network,1.1.1.1,LogonSuccess,2023-01-02T00:00:00.0000000Z,2023-01-02T00:00:00.0000000Z,2,2\n"
	    "C,b,Network,1.1.1.1,LogonSuccess,2023-01-01T00:00:00.0000000Z,2023-01-01T00:00:00.0000000Z,1,1\n");
	free(got);
	got = hunt_csv_sorted(logons, NULL, NULL, NULL, NULL, "AccountName:desc", OUT_CSV, NULL, &cause);
	ck_assert_ptr_nonnull(got);
	ck_assert_ptr_nonnull(strstr(got, "\nC,c,"));
	ck_assert(strstr(got, "\nC,c,") < strstr(got, "\nC,b,") &&
	    strstr(got, "\nC,b,") < strstr(got, "\nC,a,"));
	free(got);
	got = hunt_csv_sorted(logons, NULL, NULL, NULL, NULL, "DistinctMachines:asc", OUT_CSV, NULL, &cause);
	ck_assert_ptr_nonnull(got);
	/* 1, 1, 2: ties by the keys, ascending. */
	ck_assert(strstr(got, "\nC,a,") < strstr(got, "\nC,b,") &&
	    strstr(got, "\nC,b,") < strstr(got, "\nC,c,"));
	free(got);
}
END_TEST

/* The funnel's distinct IP counts: IPs in the join sets, each once. */
START_TEST(test_hunt_funnel_ips)
{
	const char *logons =
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,2.2.2.2,Public\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,3.3.3.3,Private\n";
	const char *network =
	    "DeviceId,IPAddresses\n"
	    "d1,\"[{\"\"IPAddress\"\":\"\"1.1.1.1\"\"},{\"\"IPAddress\"\":\"\"10.0.0.1\"\"}]\"\n"
	    "d2,\"[{\"\"IPAddress\"\":\"\"1.1.1.1\"\"}]\"\n";
	const char *identity =
	    "Timestamp,IPAddress,Isp\n"
	    "x,2.2.2.2,Contoso ISP\n"
	    "x,2.2.2.2,Contoso ISP\n"
	    "x,4.4.4.4,Fabrikam\n"
	    "x,5.5.5.5,INTERNAL_NETWORK\n";
	struct hunt_funnel f;
	char *cause, *got;

	got = hunt_csv_sorted(logons, network, identity, NULL, NULL, NULL, OUT_CSV, &f, &cause);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(f.rows[LH_LOGONS], 4);
	ck_assert_uint_eq(f.rows[LH_NETWORK], 2);
	ck_assert_uint_eq(f.rows[LH_IDENTITY], 4);
	ck_assert_uint_eq(f.public_logons, 3);
	ck_assert_uint_eq(f.device_ips, 2);	/* 1.1.1.1, 10.0.0.1 */
	ck_assert_uint_eq(f.identity_ips, 2);	/* 2.2.2.2, 4.4.4.4 */
	ck_assert_uint_eq(f.removed_device, 2);
	ck_assert_uint_eq(f.removed_identity, 1);
	ck_assert_uint_eq(f.events, 0);
	ck_assert_uint_eq(f.groups, 0);
	free(got);
}
END_TEST

/* A stand-in for the exclusions, through the hunt's own filter interface:
 * rules by IP, account and device name, fixed here, so the accounting of
 * hunt_apply is checked against figures worked out by hand. */
static long
fake_match_ip(void *ctx, const char *ip, size_t n)
{
	(void)ctx;
	return n == 7 && memcmp(ip, "1.1.1.1", 7) == 0 ? 0 : -1;
}

static long
fake_match_account(void *ctx, const char *dom, size_t dn, const char *name,
    size_t nn)
{
	(void)ctx;
	(void)dom;
	(void)dn;
	return nn == 1 && (name[0] == 'a' || name[0] == 'b') ? 1 : -1;
}

static long
fake_match_device(void *ctx, const char *dev, size_t n)
{
	(void)ctx;
	if (n == 2 && memcmp(dev, "n4", 2) == 0)
		return 2;
	if (n == 2 && memcmp(dev, "n5", 2) == 0)
		return 3;
	return -1;
}

static struct table_data *
load_logons(const char *csv)
{
	struct load_opts o = { 0 };
	struct table_data *d = table_data_new();
	struct load_input in = { tu_write_file("DeviceLogonEvents.csv", csv, strlen(csv)),
	    LH_LOGONS };
	char *cause = NULL;

	ck_assert_msg(load_all(d, &in, 1, &o, &cause) == 0, "%s", cause);
	free(in.path);
	return d;
}

START_TEST(test_hunt_apply_accounting)
{
	struct table_data *d = load_logons(
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    /* a@1.1.1.1: IP rule 0 and account rule 1; the IP rule wins */
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
	    "2023-01-01T00:00:00Z,d2,n2,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
	    /* b@2.2.2.2: account rule 1 */
	    "2023-01-01T00:00:00Z,d3,n3,LogonSuccess,Network,C,b,2.2.2.2,Public\n"
	    "2023-01-01T00:00:00Z,d3,n3,LogonSuccess,Network,C,b,2.2.2.2,Public\n"
	    /* c@3.3.3.3: every event on an excluded device, n4 first */
	    "2023-01-02T00:00:00Z,d4,n4,LogonSuccess,Network,C,c,3.3.3.3,Public\n"
	    "2023-01-01T00:00:00Z,d5,n5,LogonSuccess,Network,C,c,3.3.3.3,Public\n"
	    /* d@4.4.4.4: untouched */
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,d,4.4.4.4,Public\n"
	    /* e@5.5.5.5: one of three events on an excluded device */
	    "2023-01-05T00:00:00Z,d4,n4,LogonSuccess,Network,C,e,5.5.5.5,Public\n"
	    "2023-01-03T00:00:00Z,d6,n6,LogonSuccess,Network,C,e,5.5.5.5,Public\n"
	    "2023-01-04T00:00:00Z,d6,n6,LogonSuccess,Network,C,e,5.5.5.5,Public\n");
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct hunt_filter flt = { fake_match_ip, fake_match_account,
	    fake_match_device, NULL, 4, NULL, NULL, NULL };
	struct hunt_sort s = { HC_INSTANCES, 1, -1, 0 };
	struct buf out = { 0 };
	struct hunt h;
	uint32_t rows[8];
	size_t n;

	hunt_run(&h, d, &ho);
	hunt_apply(&h, &flt);
	ck_assert_uint_eq(h.nrules, 4);
	ck_assert_uint_eq(h.rule_groups[0], 1);
	ck_assert_uint_eq(h.rule_groups[1], 1);
	ck_assert_uint_eq(h.rule_groups[2], 1);	/* c: its first event's rule */
	ck_assert_uint_eq(h.rule_groups[3], 0);
	ck_assert_uint_eq(h.rule_events[0], 3);
	ck_assert_uint_eq(h.rule_events[1], 2);
	ck_assert_uint_eq(h.rule_events[2], 2);	/* c's n4 and e's n4 */
	ck_assert_uint_eq(h.rule_events[3], 1);
	ck_assert_uint_eq(h.f.removed_excl_groups, 3);
	ck_assert_uint_eq(h.f.removed_excl_events, 8);
	ck_assert_uint_eq(h.f.events, 3);
	ck_assert_uint_eq(h.f.groups, 2);
	n = hunt_rows(&h, &s, rows);
	output_summary(&out, &h, rows, n, OUT_CSV, 0);
	/* e keeps its two events on n6, and their times only. */
	ck_assert_str_eq(out.p + strlen(summary_head),
	    "C,e,Network,5.5.5.5,LogonSuccess,2023-01-03T00:00:00.0000000Z,2023-01-04T00:00:00.0000000Z,2,1\n"
	    "C,d,Network,4.4.4.4,LogonSuccess,2023-01-01T00:00:00.0000000Z,2023-01-01T00:00:00.0000000Z,1,1\n");
	/* Applying nothing brings every group back whole. */
	hunt_apply(&h, NULL);
	ck_assert_uint_eq(h.f.removed_excl_events, 0);
	ck_assert_uint_eq(h.f.events, 11);
	ck_assert_uint_eq(h.f.groups, 5);
	buf_reset(&out);
	n = hunt_rows(&h, &s, rows);
	output_summary(&out, &h, rows, n, OUT_CSV, 0);
	ck_assert_ptr_nonnull(strstr(out.p, "C,e,Network,5.5.5.5,LogonSuccess,2023-01-03T00:00:00.0000000Z,2023-01-05T00:00:00.0000000Z,3,2\n"));
	buf_free(&out);
	hunt_free(&h);
	table_data_free(d);
}
END_TEST

/* The summary's CSV rows as a spreadsheet must get them: each value that
 * needs quotes quoted, each that starts a formula defused, plain ones as
 * they are; a group's LatestEvent its own even where it equals the
 * EarliestEvent; over more rows than the writer fetches ahead. Expected
 * rows written by hand (RFC 4180 and the defusing rule of
 * logonhunt(1)). */
START_TEST(test_output_summary_rows)
{
	static const char *const dom_in[] = {
		"=cmd", "+x", "-y", "@z", "\"\tt\"", "plain", "\"has,comma\"",
		"\"q\"\"uote\"", "\"nl\nx\"", "", "\"-a,b\"",
	};
	static const char *const dom_out[] = {
		"'=cmd", "'+x", "'-y", "'@z", "'\tt", "plain", "\"has,comma\"",
		"\"q\"\"uote\"", "\"nl\nx\"", "", "\"'-a,b\"",
	};
	const size_t nspecial = sizeof dom_in / sizeof *dom_in, nrows = 50;
	struct buf csv = { 0 }, want = { 0 }, out = { 0 };
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct hunt_sort srt = { HC_NAME, 0, -1, 0 };
	struct table_data *d;
	struct hunt h;
	uint32_t rows[64];
	size_t i, n;

	buf_addf(&csv, "Timestamp,DeviceId,DeviceName,ActionType,LogonType,"
	    "AccountDomain,AccountName,RemoteIP,RemoteIPType\n");
	buf_add(&want, summary_head, strlen(summary_head));
	for (i = 0; i < nrows; i++) {
		const char *din = i < nspecial ? dom_in[i] : "C";
		const char *dout = i < nspecial ? dom_out[i] : "C";

		if (i == 2) {
			/* Two logons: it ends after it starts. */
			buf_addf(&csv, "2023-01-0%zuT00:00:00Z,d1,n1,LogonSuccess,"
			    "Network,%s,a%02zu,1.1.1.1,Public\n", i % 9 + 1, din, i);
			buf_addf(&csv, "2023-02-0%zuT00:00:00Z,d2,n2,LogonSuccess,"
			    "Network,%s,a%02zu,1.1.1.1,Public\n", i % 9 + 1, din, i);
			buf_addf(&want, "%s,a%02zu,Network,1.1.1.1,LogonSuccess,"
			    "2023-01-03T00:00:00.0000000Z,2023-02-03T00:00:00.0000000Z,2,2\n",
			    dout, i);
		} else if (i == 3) {
			/* No time at all: both times empty. */
			buf_addf(&csv, ",d1,n1,LogonSuccess,Network,%s,a%02zu,"
			    "1.1.1.1,Public\n", din, i);
			buf_addf(&want, "%s,a%02zu,Network,1.1.1.1,LogonSuccess,,,1,1\n",
			    dout, i);
		} else {
			buf_addf(&csv, "2023-01-0%zuT00:00:00Z,d1,n1,LogonSuccess,"
			    "Network,%s,a%02zu,1.1.1.1,Public\n", i % 9 + 1, din, i);
			buf_addf(&want, "%s,a%02zu,Network,1.1.1.1,LogonSuccess,"
			    "2023-01-0%zuT00:00:00.0000000Z,2023-01-0%zuT00:00:00.0000000Z,1,1\n",
			    dout, i, i % 9 + 1, i % 9 + 1);
		}
	}
	d = load_logons(csv.p);
	hunt_run(&h, d, &ho);
	n = hunt_rows(&h, &srt, rows);
	ck_assert_uint_eq(n, nrows);
	output_summary(&out, &h, rows, n, OUT_CSV, OUT_NEUTRALISE);
	/* Line by line: the whole is too long for a message. */
	{
		const char *a = out.p, *b = want.p;

		while (*a != '\0' && *b != '\0') {
			size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");

			ck_assert_msg(la == lb && memcmp(a, b, la) == 0,
			    "got %.*s, want %.*s", (int)la, a, (int)lb, b);
			a += la + (a[la] != '\0');
			b += lb + (b[lb] != '\0');
		}
		ck_assert_str_eq(a, b);
	}
	/* Fewer rows than the writer looks ahead, and none. */
	for (i = 0; i <= 5; i++) {
		const char *end = want.p + strlen(summary_head);
		size_t k;

		for (k = 0; k < i; k++)
			end = strchr(end, '\n') + 1;
		buf_reset(&out);
		output_summary(&out, &h, rows, i, OUT_CSV, OUT_NEUTRALISE);
		ck_assert_uint_eq(out.len, (size_t)(end - want.p));
		ck_assert_int_eq(memcmp(out.p, want.p, out.len), 0);
	}
	buf_free(&csv);
	buf_free(&want);
	buf_free(&out);
	hunt_free(&h);
	table_data_free(d);
}
END_TEST

/* Grouping over thousands of groups: the table of groups grows several
 * times while the events ahead are being fetched, and every key comes
 * three times, far apart (ascending, descending, then shuffled), from
 * three devices at three times. Each group must come out once, with its
 * three logons (the expected figures follow from how the rows were
 * made). */
START_TEST(test_hunt_many_groups)
{
	const size_t n = 3000;
	struct buf csv = { 0 };
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct table_data *d;
	struct hunt h;
	size_t i, k, u;
	char *seen = xcalloc(n, 1), *end;
	int64_t t0, t2;

	buf_addf(&csv, "Timestamp,DeviceId,DeviceName,ActionType,LogonType,"
	    "AccountDomain,AccountName,RemoteIP,RemoteIPType\n");
	for (k = 0; k < 3; k++)
		for (i = 0; i < n; i++) {
			u = k == 0 ? i : k == 1 ? n - 1 - i : (i * 7919) % n;
			buf_addf(&csv, "2023-01-01T00:00:0%zuZ,d%zu,n%zu,LogonSuccess,"
			    "Network,C,u%zu,10.%zu.%zu.1,Public\n", k, k, k, u,
			    u / 250, u % 250);
		}
	d = load_logons(csv.p);
	hunt_run(&h, d, &ho);
	ck_assert_uint_eq(h.ng, n);
	ck_assert_uint_eq(h.f.events, 3 * n);
	t0 = ts("2023-01-01T00:00:00Z");
	t2 = ts("2023-01-01T00:00:02Z");
	for (i = 0; i < h.ng; i++) {
		const struct lh_group *g = &h.g[i];
		const char *name = strtab_str(d->st, g->key[K_NAME]);

		u = strtoul(name + 1, &end, 10);
		if (name[0] != 'u' || *end != '\0' || u >= n || seen[u] ||
		    g->ev_n != 3 || g->count != 3 || g->devices != 3 ||
		    g->first != t0 || g->last != t2)
			ck_abort_msg("group %zu (%s): %u events, %" PRIu64
			    " logons, %u devices", i, name, g->ev_n, g->count,
			    g->devices);
		seen[u] = 1;
	}
	buf_free(&csv);
	free(seen);
	hunt_free(&h);
	table_data_free(d);
}
END_TEST

/* A secondary sort orders the ties of the first, in its own direction. */
START_TEST(test_hunt_sort_secondary)
{
	struct table_data *d = load_logons(
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
	    "2023-01-03T00:00:00Z,d1,n1,LogonSuccess,Network,C,b,1.1.1.1,Public\n"
	    "2023-01-02T00:00:00Z,d1,n1,LogonSuccess,Network,C,c,1.1.1.1,Public\n"
	    "2023-01-02T00:00:00Z,d1,n1,LogonSuccess,Network,C,z,9.9.9.9,Public\n"
	    "2023-01-02T00:00:00Z,d1,n1,LogonSuccess,Network,C,z,9.9.9.9,Public\n");
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct hunt_sort s = { HC_INSTANCES, 1, HC_LATEST, 0 };
	struct hunt h;
	uint32_t rows[8];
	char buf[TS_BUFSZ];
	const char *want[] = { "z", "a", "c", "b" }, *v;
	size_t n, i, len;

	hunt_run(&h, d, &ho);
	hunt_apply(&h, NULL);
	n = hunt_rows(&h, &s, rows);
	ck_assert_uint_eq(n, 4);
	for (i = 0; i < n; i++) {
		v = hunt_cell(&h, &h.g[rows[i]], HC_NAME, buf, &len);
		ck_assert_msg(len == 1 && v[0] == want[i][0], "row %zu: %.*s", i, (int)len, v);
	}
	s.desc2 = 1;
	n = hunt_rows(&h, &s, rows);
	v = hunt_cell(&h, &h.g[rows[1]], HC_NAME, buf, &len);
	ck_assert(len == 1 && v[0] == 'b');
	hunt_free(&h);
	table_data_free(d);
}
END_TEST

/* Adds a logon whose values are the strings of buf. */
static void
chunk_row_text(struct table_chunk *c, char buf[LC_N][64], uint32_t line)
{
	struct lh_str v[LC_N];
	int k;

	for (k = 0; k < LC_N; k++) {
		v[k].p = buf[k];
		v[k].n = strlen(buf[k]);
	}
	table_chunk_row(c, v, 0, line);
}

/* Two halves of a file merged in order: the first chunk's events are taken
 * over, the second's copied after them; each event keeps its own
 * strings (keys and the device pair, through the merged ids), its time
 * and its line plus the chunk's base; each chunk is left empty with its
 * counts, so it never sits in memory beside d's copy. */
START_TEST(test_merge_chunks)
{
	struct table_data *d = table_data_new();
	struct table_chunk c[2];
	char buf[LC_N][64], want[600][3][64];
	size_t i, n = 0, pairs;
	int h;
	const struct lh_event *e;

	table_data_add_file(d, "(test)", LH_LOGONS, 0, 0);
	for (h = 0; h < 2; h++) {
		table_chunk_init(&c[h], LH_LOGONS, 0);
		for (i = 0; i < 300; i++) {
			snprintf(buf[LC_TIMESTAMP], 64, "2025-03-01T00:%02zu:%02zuZ", i / 60, i % 60);
			/* Devices and names shared between the halves, and not. */
			snprintf(buf[LC_DEVICEID], 64, "id%zu", (i * 7 + (size_t)h) % 40);
			snprintf(buf[LC_DEVICENAME], 64, "ws%zu", (i * 3) % 25);
			snprintf(buf[LC_ACTIONTYPE], 64, "LogonFailed");
			snprintf(buf[LC_LOGONTYPE], 64, "Network");
			snprintf(buf[LC_ACCOUNTDOMAIN], 64, "D%d", h);
			snprintf(buf[LC_ACCOUNTNAME], 64, "u%zu", i % 90);
			snprintf(buf[LC_REMOTEIP], 64, "203.0.113.%zu", i % 200);
			snprintf(buf[LC_REMOTEIPTYPE], 64, i % 5 ? "Public" : "Private");
			chunk_row_text(&c[h], buf, (uint32_t)i + 1);
			if (i % 5 == 0)
				continue;
			memcpy(want[n][0], buf[LC_DEVICEID], 64);
			memcpy(want[n][1], buf[LC_DEVICENAME], 64);
			memcpy(want[n][2], buf[LC_ACCOUNTNAME], 64);
			n++;
		}
	}
	for (h = 0; h < 2; h++) {
		table_data_merge(d, &c[h], h ? 1000 : 0);
		ck_assert_uint_eq(c[h].nev, 0);
		ck_assert_ptr_null(c[h].ev);
		ck_assert_uint_eq(c[h].rows, 300);
		ck_assert_uint_eq(strtab_count(c[h].st), 1);
		ck_assert_uint_eq(d->nev, (size_t)(h + 1) * 240);
	}
	ck_assert_uint_eq(d->rows[LH_LOGONS], 600);
	for (i = 0; i < n; i++) {
		size_t local = i % 240;
		uint32_t line = (uint32_t)(local + local / 4 + 2);
		char ts[40];

		e = &d->ev[i];
		ck_assert_str_eq(strtab_str(d->st, table_event_device_id(d, e)), want[i][0]);
		ck_assert_str_eq(strtab_str(d->st, table_event_device_name(d, e)), want[i][1]);
		ck_assert_str_eq(strtab_str(d->st, e->key[K_NAME]), want[i][2]);
		ck_assert_str_eq(strtab_str(d->st, e->key[K_DOMAIN]), i < 240 ? "D0" : "D1");
		ck_assert_uint_eq(e->line, (i < 240 ? 0 : 1000) + line);
		ts_format(e->ts, ts);
		ck_assert_int_eq(strncmp(ts, "2025-03-01T00:", 14), 0);
	}
	/* Each distinct (DeviceId, DeviceName) pair kept once: counted here
	 * by comparing the strings. */
	for (i = 0, pairs = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			if (strcmp(want[j][0], want[i][0]) == 0 &&
			    strcmp(want[j][1], want[i][1]) == 0)
				break;
		pairs += j == i;
	}
	ck_assert_uint_eq(tuptab_count(d->devices), pairs);
	for (h = 0; h < 2; h++)
		table_chunk_free(&c[h]);
	table_data_free(d);
}
END_TEST

/* A row for the summing tests: time (empty: none), account, device id and
 * name, address type. */
static void
sum_row(struct table_chunk *c, const char *ts, const char *user,
    const char *devid, const char *devname, const char *type)
{
	char buf[LC_N][64];

	snprintf(buf[LC_TIMESTAMP], 64, "%s", ts);
	snprintf(buf[LC_DEVICEID], 64, "%s", devid);
	snprintf(buf[LC_DEVICENAME], 64, "%s", devname);
	snprintf(buf[LC_ACTIONTYPE], 64, "LogonFailed");
	snprintf(buf[LC_LOGONTYPE], 64, "Network");
	snprintf(buf[LC_ACCOUNTDOMAIN], 64, "CORP");
	snprintf(buf[LC_ACCOUNTNAME], 64, "%s", user);
	snprintf(buf[LC_REMOTEIP], 64, "203.0.113.1");
	snprintf(buf[LC_REMOTEIPTYPE], 64, "%s", type);
	chunk_row_text(c, buf, 2);
}

static int64_t
tick(const char *s)
{
	int64_t t;

	ck_assert_int_eq(ts_parse(s, strlen(s), &t), 0);
	return t;
}

/* The entry of d for an account and a device name, or NULL. */
static const struct lh_event *
sum_find(const struct table_data *d, const char *user, const char *devname)
{
	size_t i;

	for (i = 0; i < d->nev; i++)
		if (strcmp(strtab_str(d->st, d->ev[i].key[K_NAME]), user) == 0 &&
		    strcmp(strtab_str(d->st, table_event_device_name(d, &d->ev[i])),
		    devname) == 0)
			return &d->ev[i];
	return NULL;
}

static long
match_ws2(void *ctx, const char *device, size_t n)
{
	return n == 3 && memcmp(device, "ws2", 3) == 0 ? 0 : -1;
}

/* A summed load keeps one entry per (keys, device) of a chunk: its count,
 * its earliest and latest time; logons outside the window (or without a
 * time, given a window) only counted, as the newest time of all. A chunk
 * that kept each logon (a JSON file's) is summed as it is merged. The
 * hunt over the sums gives the figures worked out by hand below, a device
 * rule takes whole sums, and the sums are forgotten only when no device
 * rule took any. */
START_TEST(test_sum_load)
{
	struct table_data *d = table_data_new();
	struct table_sum win = { 0, 0 };
	struct table_chunk c[2];
	const struct lh_event *e;
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct hunt_filter flt;
	struct hunt h;
	size_t i, u1, u2;

	win.from = tick("2025-03-01T00:01:00Z");
	win.until = tick("2025-03-01T00:08:59Z");
	table_data_sum(d, &win);
	table_data_add_file(d, "(test)", LH_LOGONS, 0, 0);
	table_chunk_init(&c[0], LH_LOGONS, 0);
	table_chunk_sum(&c[0], d);
	ck_assert_int_eq(c[0].summed, 1);
	sum_row(&c[0], "2025-03-01T00:02:00Z", "u1", "id1", "ws1", "Public");
	sum_row(&c[0], "2025-03-01T00:05:00Z", "u1", "id1", "ws1", "Public");
	sum_row(&c[0], "2025-03-01T00:03:00Z", "u1", "id1", "ws1", "Public");
	sum_row(&c[0], "2025-03-01T00:04:00Z", "u1", "id2", "ws2", "Public");
	sum_row(&c[0], "2025-03-01T00:04:30Z", "u1", "id2", "ws2", "Public");
	sum_row(&c[0], "", "u1", "id2", "ws2", "Public");
	sum_row(&c[0], "2025-03-01T00:09:30Z", "u1", "id1", "ws1", "Public");
	sum_row(&c[0], "2025-03-01T00:00:30Z", "u2", "id1", "ws1", "Public");
	sum_row(&c[0], "2025-03-01T00:06:00Z", "u2", "id1", "ws1b", "Public");
	/* The window's bounds are in it. */
	sum_row(&c[0], "2025-03-01T00:08:59Z", "u2", "id1", "ws1b", "Public");
	sum_row(&c[0], "2025-03-01T00:01:00Z", "u2", "id1", "ws1b", "Public");
	sum_row(&c[0], "2025-03-01T00:07:00Z", "u2", "id1", "ws1", "Private");
	/* Not summed while loading, as a JSON file's chunk. */
	table_chunk_init(&c[1], LH_LOGONS, 0);
	sum_row(&c[1], "2025-03-01T00:01:30Z", "u1", "id1", "ws1", "Public");
	sum_row(&c[1], "2025-03-01T00:10:00Z", "u1", "id1", "ws1", "Public");
	ck_assert_uint_eq(c[1].nev, 2);
	ck_assert_uint_eq(c[1].window_out, 0);
	for (i = 0; i < 2; i++) {
		/* A line base is no part of a sum. */
		table_data_merge(d, &c[i], 1000);
		/* The first chunk's three sums (the logons still waiting
		 * for their batch are folded by the merge) are d's; its
		 * three logons outside the window were only counted. */
		if (i == 0) {
			ck_assert_uint_eq(d->nev, 3);
			ck_assert_uint_eq(c[0].window_out, 3);
		}
		table_chunk_free(&c[i]);
	}
	/* A (u1, ws1) of both chunks, one entry; B (u1, ws2), C (u2, ws1b). */
	ck_assert_uint_eq(d->nev, 3);
	ck_assert_uint_eq(d->window_out, 4);
	ck_assert_int_eq(d->newest, tick("2025-03-01T00:10:00Z"));
	ck_assert_uint_eq(table_data_logons(d), 13);
	e = sum_find(d, "u1", "ws1");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(table_event_count(d, e), 4);
	ck_assert_int_eq(e->ts, tick("2025-03-01T00:01:30Z"));
	ck_assert_int_eq(table_event_last(d, e), tick("2025-03-01T00:05:00Z"));
	e = sum_find(d, "u1", "ws2");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->n, 2);
	ck_assert_int_eq(e->ts, tick("2025-03-01T00:04:00Z"));
	ck_assert_int_eq(e->last, tick("2025-03-01T00:04:30Z"));
	e = sum_find(d, "u2", "ws1b");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->n, 3);
	ck_assert_int_eq(e->ts, tick("2025-03-01T00:01:00Z"));
	ck_assert_int_eq(e->last, tick("2025-03-01T00:08:59Z"));

	ho.from = win.from;
	ho.until = win.until;
	hunt_run(&h, d, &ho);
	ck_assert_uint_eq(h.f.public_logons, 13);
	ck_assert_uint_eq(h.f.removed_window, 4);
	ck_assert_uint_eq(h.f.events, 9);
	ck_assert_uint_eq(h.ng, 2);
	u1 = strcmp(strtab_str(d->st, h.g[0].key[K_NAME]), "u1") == 0 ? 0 : 1;
	u2 = 1 - u1;
	ck_assert_uint_eq(h.g[u1].count, 6);
	ck_assert_uint_eq(h.g[u1].devices, 2);
	ck_assert_int_eq(h.g[u1].first, tick("2025-03-01T00:01:30Z"));
	ck_assert_int_eq(h.g[u1].last, tick("2025-03-01T00:05:00Z"));
	ck_assert_uint_eq(h.g[u2].count, 3);
	ck_assert_uint_eq(h.g[u2].devices, 1);
	ck_assert_int_eq(h.g[u2].first, tick("2025-03-01T00:01:00Z"));
	ck_assert_int_eq(h.g[u2].last, tick("2025-03-01T00:08:59Z"));
	/* ws2's two logons go, and with them id2. */
	memset(&flt, 0, sizeof flt);
	flt.match_device = match_ws2;
	flt.nrules = 1;
	hunt_apply(&h, &flt);
	ck_assert_uint_eq(h.g[u1].count, 4);
	ck_assert_uint_eq(h.g[u1].devices, 1);
	ck_assert_uint_eq(h.rule_events[0], 2);
	ck_assert_uint_eq(h.f.events, 7);
	ck_assert_uint_eq(h.f.removed_excl_events, 2);
	ck_assert_int_eq(hunt_forget_events(&h), -1);
	ck_assert_ptr_nonnull(h.order);
	hunt_apply(&h, NULL);
	ck_assert_uint_eq(h.g[u1].count, 6);
	ck_assert_int_eq(hunt_forget_events(&h), 0);
	ck_assert_ptr_null(h.order);
	hunt_free(&h);
	table_data_free(d);

	/* Without a window, logons without a time are summed too: they
	 * count, and leave the earliest and latest as they are. */
	d = table_data_new();
	win.from = win.until = TS_NONE;
	table_data_sum(d, &win);
	table_data_add_file(d, "(test)", LH_LOGONS, 0, 0);
	table_chunk_init(&c[0], LH_LOGONS, 0);
	table_chunk_sum(&c[0], d);
	sum_row(&c[0], "", "u1", "id1", "ws1", "Public");
	sum_row(&c[0], "2025-03-01T00:02:00Z", "u1", "id1", "ws1", "Public");
	sum_row(&c[0], "", "u1", "id1", "ws1", "Public");
	sum_row(&c[0], "", "u2", "id1", "ws1", "Public");
	table_data_merge(d, &c[0], 0);
	table_chunk_free(&c[0]);
	ck_assert_uint_eq(d->nev, 2);
	ck_assert_uint_eq(d->window_out, 0);
	e = sum_find(d, "u1", "ws1");
	ck_assert_uint_eq(e->n, 3);
	ck_assert_int_eq(e->ts, tick("2025-03-01T00:02:00Z"));
	ck_assert_int_eq(e->last, tick("2025-03-01T00:02:00Z"));
	e = sum_find(d, "u2", "ws1");
	ck_assert_uint_eq(e->n, 1);
	ck_assert_int_eq(e->ts, TS_NONE);
	ck_assert_int_eq(e->last, TS_NONE);
	table_data_free(d);
}
END_TEST

/* Logons are folded into their sums a batch at a time: the sums, their
 * order (of first appearance) and their figures are those of folding
 * each logon as it comes, whatever the number of logons (the last,
 * short batch is folded by the merge), with the table of sums growing in
 * the middle of a batch and logons outside the window among the others.
 * The oracle folds the same logons one by one, by their names alone. */
START_TEST(test_sum_fold_batches)
{
	static const size_t counts[] = { 1, 15, 16, 17, 33, 700, 2500 };
	static char name[2600][16];
	static uint64_t want_n[2600];
	static int64_t want_first[2600], want_last[2600];
	static size_t order[2600];
	struct table_sum win;
	struct table_data *d;
	struct table_chunk c;
	char user[16], when[32];
	size_t ci, i, k, nwant, out;
	uint64_t x;
	int64_t t;
	unsigned p, sec;

	for (ci = 0; ci < sizeof counts / sizeof *counts; ci++) {
		d = table_data_new();
		win.from = tick("2025-03-01T00:00:10Z");
		win.until = tick("2025-03-01T00:59:50Z");
		table_data_sum(d, &win);
		table_data_add_file(d, "(test)", LH_LOGONS, 0, 0);
		table_chunk_init(&c, LH_LOGONS, 0);
		table_chunk_sum(&c, d);
		nwant = out = 0;
		x = 88172645463325252ull;
		for (i = 0; i < counts[ci]; i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			/* Up to 1,500 users: new ones all along, repeats
			 * near and far. */
			p = (unsigned)(x % (i < 1500 ? i + 1 : 1500));
			sec = (unsigned)(x >> 20) % 3600;
			snprintf(user, sizeof user, "u%u", p);
			snprintf(when, sizeof when, "2025-03-01T00:%02u:%02uZ",
			    sec / 60, sec % 60);
			sum_row(&c, when, user, "id1", "ws1", "Public");
			t = tick(when);
			if (t < win.from || t > win.until) {
				out++;
				continue;
			}
			for (k = 0; k < nwant && strcmp(name[k], user) != 0; k++)
				;
			if (k == nwant) {
				snprintf(name[nwant], sizeof name[nwant], "%s", user);
				want_n[nwant] = 0;
				want_first[nwant] = want_last[nwant] = t;
				order[nwant] = nwant;
				nwant++;
			}
			want_n[k]++;
			if (t < want_first[k])
				want_first[k] = t;
			if (t > want_last[k])
				want_last[k] = t;
		}
		table_data_merge(d, &c, 0);
		table_chunk_free(&c);
		ck_assert_uint_eq(d->window_out, out);
		ck_assert_uint_eq(d->nev, nwant);
		for (k = 0; k < nwant; k++) {
			const struct lh_event *e = &d->ev[k];

			if (strcmp(strtab_str(d->st, e->key[K_NAME]), name[order[k]]) != 0 ||
			    e->n != want_n[k] || e->ts != want_first[k] ||
			    e->last != want_last[k])
				ck_abort_msg("%zu logons: sum %zu is %s n=%llu, want %s n=%llu",
				    counts[ci], k, strtab_str(d->st, e->key[K_NAME]),
				    (unsigned long long)e->n, name[order[k]],
				    (unsigned long long)want_n[k]);
		}
		table_data_free(d);
	}
}
END_TEST

/* Many (keys, device) pairs in one chunk: the table of sums grows and
 * still finds each, so every pair is one entry with its count. */
START_TEST(test_sum_many_pairs)
{
	struct table_data *d = table_data_new();
	struct table_sum win = { TS_NONE, TS_NONE };
	struct table_chunk c;
	char user[16], dev[16];
	size_t i;

	table_data_sum(d, &win);
	table_data_add_file(d, "(test)", LH_LOGONS, 0, 0);
	table_chunk_init(&c, LH_LOGONS, 0);
	table_chunk_sum(&c, d);
	for (i = 0; i < 30000; i++) {
		snprintf(user, sizeof user, "u%zu", i % 5000);
		snprintf(dev, sizeof dev, "ws%zu", i % 3);
		sum_row(&c, "2025-03-01T00:02:00Z", user, dev, dev, "Public");
	}
	/* i % 5000 and i % 3 together: 15,000 pairs, two logons each. */
	ck_assert_uint_eq(c.nev, 15000);
	table_data_merge(d, &c, 0);
	table_chunk_free(&c);
	/* A second chunk with the same pairs and 15,000 others, two logons
	 * each: they are added to d's, not kept beside them. */
	table_chunk_init(&c, LH_LOGONS, 0);
	table_chunk_sum(&c, d);
	for (i = 0; i < 60000; i++) {
		snprintf(user, sizeof user, "u%zu", i % 10000);
		snprintf(dev, sizeof dev, "ws%zu", i % 3);
		sum_row(&c, "2025-03-01T00:02:00Z", user, dev, dev, "Public");
	}
	table_data_merge(d, &c, 0);
	table_chunk_free(&c);
	ck_assert_uint_eq(d->nev, 30000);
	for (i = 0; i < d->nev; i++) {
		unsigned long u = strtoul(strtab_str(d->st, d->ev[i].key[K_NAME]) + 1, NULL, 10);

		ck_assert_uint_eq(d->ev[i].n, u < 5000 ? 4 : 2);
	}
	ck_assert_uint_eq(table_data_logons(d), 90000);
	table_data_loaded(d);
	ck_assert_ptr_null(d->sum_slots);
	table_data_free(d);
}
END_TEST

/* The sort by comparisons, written out from the documented order (each
 * column as natsort orders text and addresses, numbers and times by value,
 * then the five keys ascending), as the oracle of the radix sort. */
static struct hunt *oracle_h;
static const struct hunt_sort *oracle_s;

static int
oracle_col(uint32_t ia, uint32_t ib, int c)
{
	const struct lh_group *a = &oracle_h->g[ia], *b = &oracle_h->g[ib];
	const struct strtab *st = oracle_h->d->st;
	struct natsort_ip ka, kb;
	uint32_t x, y;

	switch (c) {
	case HC_EARLIEST:
		return (a->first > b->first) - (a->first < b->first);
	case HC_LATEST:
		return (a->last > b->last) - (a->last < b->last);
	case HC_INSTANCES:
		return (a->count > b->count) - (a->count < b->count);
	case HC_DISTINCT:
		return (a->devices > b->devices) - (a->devices < b->devices);
	case HC_REMOTEIP:
		x = a->key[c];
		y = b->key[c];
		natsort_ip_key(strtab_str(st, x), strtab_len(st, x), &ka);
		natsort_ip_key(strtab_str(st, y), strtab_len(st, y), &kb);
		return natsort_ip_cmp(&ka, strtab_str(st, x), strtab_len(st, x),
		    &kb, strtab_str(st, y), strtab_len(st, y));
	default:
		x = a->key[c];
		y = b->key[c];
		return natsort_text_cmp(strtab_str(st, x), strtab_len(st, x),
		    strtab_str(st, y), strtab_len(st, y));
	}
}

static int
oracle_cmp(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	int c, k;

	if ((c = oracle_col(a, b, oracle_s->col)) != 0)
		return oracle_s->desc ? -c : c;
	if (oracle_s->col2 >= 0 && (c = oracle_col(a, b, oracle_s->col2)) != 0)
		return oracle_s->desc2 ? -c : c;
	for (k = 0; k < K_N; k++)
		if ((c = oracle_col(a, b, k)) != 0)
			return c;
	return 0;
}

static long
odd_device(void *ctx, const char *dev, size_t n)
{
	(void)ctx;
	return n > 0 && (dev[n - 1] - '0') % 3 == 0 ? 0 : -1;
}

/* The radix sort orders the groups exactly as comparing them does, for
 * every column as first and second key in both directions, over values
 * with ties everywhere, empty and unparseable times, IPv4, IPv6 and junk
 * addresses, text that differs only in case, and counts that device rules
 * changed; a subset sorts the same; rows merged after an exclusion change
 * are the rows sorted afresh. The device rules come first, so the ranks
 * of the groups' base figures (the sort by counting, taken while every
 * row has its base figures) are first worked out while some groups have
 * others; the pass without rules then sorts every group by them. */
START_TEST(test_hunt_radix_sort_oracle)
{
	static const char *const ips[] = { "10.0.0.1", "9.0.0.1", "::1",
		"0::1", "2001:db8::5", "fe80::1%eth0", "-", "", "x.y",
		"255.255.255.255", "1.2.3.4", "::ffff:1.2.3.4" };
	static const char *const names[] = { "admin", "Admin", "ADMIN", "eve",
		"David.nowak", "", "z", "\xc3\xa9lise", "user10", "user9" };
	static const char *const times[] = { "", "junk", "2023-01-01T00:00:00Z",
		"2023-01-01T00:00:00.5Z", "1999-12-31T23:59:59Z",
		"2030-06-01T12:00:00Z" };
	struct table_data *d = table_data_new();
	struct table_chunk c;
	char buf[LC_N][64];
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct hunt_filter flt = { NULL, NULL, odd_device, NULL, 1, NULL, NULL, NULL };
	struct hunt_sort s;
	struct hunt h;
	uint32_t *got, *want, *sub;
	size_t i, n, nw, nsub, pass;
	unsigned seed = 12345;
	int k;

	table_data_add_file(d, "(test)", LH_LOGONS, 0, 0);
	table_chunk_init(&c, LH_LOGONS, 0);
	for (i = 0; i < 1500; i++) {
#define PICK(a) (a)[(seed = seed * 1103515245u + 12345u, (seed >> 16) % (sizeof (a) / sizeof *(a)))]
		snprintf(buf[LC_TIMESTAMP], 64, "%s", PICK(times));
		snprintf(buf[LC_DEVICEID], 64, "dev%u", (seed >> 8) % 7);
		snprintf(buf[LC_DEVICENAME], 64, "n%u", (seed >> 12) % 9);
		snprintf(buf[LC_ACTIONTYPE], 64, "%s", (seed >> 4) % 2 ? "LogonFailed" : "LogonSuccess");
		snprintf(buf[LC_LOGONTYPE], 64, "%s", (seed >> 5) % 3 ? "Network" : "network");
		snprintf(buf[LC_ACCOUNTDOMAIN], 64, "%s", PICK(names));
		snprintf(buf[LC_ACCOUNTNAME], 64, "%s", PICK(names));
		snprintf(buf[LC_REMOTEIP], 64, "%s", PICK(ips));
		snprintf(buf[LC_REMOTEIPTYPE], 64, "Public");
#undef PICK
		chunk_row_text(&c, buf, (uint32_t)i + 2);
	}
	table_data_merge(d, &c, 0);
	table_chunk_free(&c);
	hunt_run(&h, d, &ho);
	ck_assert_uint_gt(h.ng, 400);
	got = xmalloc(h.ng * sizeof *got);
	want = xmalloc(h.ng * sizeof *want);
	sub = xmalloc(h.ng * sizeof *sub);
	oracle_h = &h;
	oracle_s = &s;
	for (pass = 0; pass < 3; pass++) {
		/* The first and last pass with device rules: counts, devices
		 * and times of some groups change, some groups go. */
		hunt_apply(&h, pass != 1 ? &flt : NULL);
		/* Ranks worked out again now, not at load. */
		if (pass == 0)
			hunt_sort_done(&h);
		for (s.col = 0; s.col < HC_N; s.col++)
			for (s.col2 = -1; s.col2 < HC_N; s.col2++)
				for (k = 0; k < 4; k++) {
					s.desc = k & 1;
					s.desc2 = k >> 1;
					/* The groups at their base figures. */
					for (i = h.ng, nsub = 0; i-- > 0;)
						if (h.g[i].count == h.g[i].base_count)
							sub[nsub++] = (uint32_t)i;
					hunt_sort_ids(&h, &s, sub, nsub);
					for (i = 1; i < nsub; i++)
						ck_assert_int_lt(oracle_cmp(&sub[i - 1], &sub[i]), 0);
					n = hunt_rows(&h, &s, got);
					for (i = nw = 0; i < h.ng; i++)
						if (h.g[i].count)
							want[nw++] = (uint32_t)i;
					qsort(want, nw, sizeof *want, oracle_cmp);
					ck_assert_uint_eq(n, nw);
					ck_assert_msg(memcmp(got, want, n * sizeof *got) == 0,
					    "sort %d/%d then %d/%d differs", s.col, s.desc,
					    s.col2, s.desc2);
					/* Every third group, in reverse: the same order. */
					for (i = h.ng, nsub = 0; i-- > 0;)
						if (i % 3 == 0)
							sub[nsub++] = (uint32_t)i;
					hunt_sort_ids(&h, &s, sub, nsub);
					for (i = 1; i < nsub; i++)
						ck_assert_int_lt(oracle_cmp(&sub[i - 1], &sub[i]), 0);
				}
	}
	ck_assert_uint_lt(h.f.groups, h.ng);
	/* Merged after groups came back (no device rule: at base again),
	 * under every sort: a quarter of the rows (the lists walked) or one
	 * in fifty (each placed by halving), some others gone. */
	for (s.col = 0; s.col < HC_N; s.col++)
		for (s.col2 = -1; s.col2 < HC_N; s.col2 += 2)
			for (k = 0; k < 8; k++) {
				size_t every = k < 4 ? 4 : 50;

				s.desc = k & 1;
				s.desc2 = k >> 1 & 1;
				hunt_apply(&h, NULL);
				n = hunt_rows(&h, &s, got);
				for (i = nw = 0; i < n; i++)
					if (i % every != 0)
						want[nw++] = got[i];
				for (i = 0; i < h.ng; i++)
					if (i % 5 == 0)
						h.g[i].count = 0;
				n = hunt_rows_update(&h, &s, want, nw, 1, sub);
				ck_assert_uint_eq(n, hunt_rows(&h, &s, got));
				ck_assert_msg(memcmp(got, sub, n * sizeof *got) == 0,
				    "merge under sort %d/%d then %d/%d, one in %zu "
				    "back", s.col, s.desc, s.col2, s.desc2, every);
			}
	free(sub);
	free(want);
	free(got);
	hunt_free(&h);
	table_data_free(d);
}
END_TEST

/* A sink that keeps what it is given, or stops after stop_after pieces. */
struct keep_sink {
	struct buf b;
	size_t pieces, stop_after;
};

static int
keep_write(void *ctx, const char *p, size_t n)
{
	struct keep_sink *k = ctx;

	if (k->pieces++ == k->stop_after)
		return -1;
	buf_add(&k->b, p, n);
	return 0;
}

/* n groups of random keys: IPv4 addresses (some spelled as IPv6-mapped),
 * IPv6, junk; names that differ only in case; times and counts with ties;
 * a summed load when summed (two chunks, pairs in both). */
static struct table_data *
tail_data(size_t n, unsigned seed, int summed)
{
	static const char *const odd[] = { "::1", "0::1", "2001:db8::5",
		"fe80::1%eth0", "-", "", "x.y", "::ffff:1.2.3.4", "1.2.3.4" };
	static const char *const names[] = { "admin", "Admin", "ADMIN", "eve",
		"David.nowak", "", "z", "\xc3\xa9lise", "user10", "user9" };
	struct table_data *d = table_data_new();
	struct table_sum win = { TS_NONE, TS_NONE };
	struct table_chunk c[2];
	char buf[LC_N][64];
	size_t i, h;

	if (summed)
		table_data_sum(d, &win);
	table_data_add_file(d, "(test)", LH_LOGONS, 0, 0);
	for (h = 0; h < 2; h++) {
		table_chunk_init(&c[h], LH_LOGONS, 0);
		table_chunk_sum(&c[h], d);
	}
	for (i = 0; i < n; i++) {
		unsigned r;
#define RND() (seed = seed * 1103515245u + 12345u, seed >> 8)
		r = RND();
		snprintf(buf[LC_TIMESTAMP], 64, "2023-01-%02uT%02u:00:00Z",
		    r % 28 + 1, (r >> 5) % 24);
		snprintf(buf[LC_DEVICEID], 64, "dev%u", RND() % 5);
		snprintf(buf[LC_DEVICENAME], 64, "n%u", RND() % 4);
		snprintf(buf[LC_ACTIONTYPE], 64, "%s", RND() % 2 ? "LogonFailed" : "LogonSuccess");
		snprintf(buf[LC_LOGONTYPE], 64, "%s", RND() % 3 ? "Network" : "network");
		snprintf(buf[LC_ACCOUNTDOMAIN], 64, "%s", names[RND() % 10]);
		r = RND();
		if (r % 4 == 0)
			snprintf(buf[LC_ACCOUNTNAME], 64, "%s", names[(r >> 3) % 10]);
		else
			snprintf(buf[LC_ACCOUNTNAME], 64, "%s%u", r % 3 ? "u" : "U", (r >> 4) % 997);
		r = RND();
		if (r % 16 == 0)
			snprintf(buf[LC_REMOTEIP], 64, "%s", odd[(r >> 4) % 9]);
		else if (r % 16 == 1)
			snprintf(buf[LC_REMOTEIP], 64, "2001:db8::%x", (r >> 4) % 4096);
		else
			/* Few enough that addresses repeat, spread over every
			 * byte (the radix sort's digits). */
			snprintf(buf[LC_REMOTEIP], 64, "%u.%u.%u.%u", (r >> 4) % 3 * 100,
			    (r >> 6) % 256, (r >> 14) % 7, RND() % 256);
		snprintf(buf[LC_REMOTEIPTYPE], 64, "Public");
#undef RND
		/* A pair now and then in both chunks: summed, folded. */
		chunk_row_text(&c[i % 7 == 0 ? 0 : i % 2], buf, (uint32_t)i + 2);
		if (i % 11 == 0)
			chunk_row_text(&c[1], buf, (uint32_t)i + 2);
	}
	for (h = 0; h < 2; h++) {
		table_data_merge(d, &c[h], 0);
		table_chunk_free(&c[h]);
	}
	table_data_loaded(d);
	return d;
}

/* What the tail of a hunt gives: the rows under a sort, written as CSV
 * and JSON whole and through a sink (which then stops after a piece). */
static void
tail_output(struct table_data *d, const struct hunt_sort *s, int once,
    int check_order, struct buf *out)
{
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0, 0, 0 };
	struct keep_sink k = { { 0 }, 0, (size_t)-1 };
	struct out_sink sink = { keep_write, &k };
	struct buf b = { 0 };
	struct hunt h;
	uint32_t *rows;
	size_t n, i;

	ho.once = once;
	ho.keys = !once;
	hunt_run(&h, d, &ho);
	hunt_apply(&h, NULL);
	rows = xmalloc((h.ng ? h.ng : 1) * sizeof *rows);
	n = hunt_rows(&h, s, rows);
	/* The order itself, by the documented comparison. */
	oracle_h = &h;
	oracle_s = s;
	for (i = 1; check_order && i < n; i++)
		ck_assert_int_lt(oracle_cmp(&rows[i - 1], &rows[i]), 0);
	output_summary(out, &h, rows, n, OUT_CSV, OUT_NEUTRALISE);
	output_summary(out, &h, rows, n, OUT_JSON, 0);
	ck_assert_int_eq(output_summary_sink(&b, &h, rows, n, OUT_CSV, 0, NULL,
	    &sink), 0);
	ck_assert_uint_eq(b.len, 0);
	buf_add(out, k.b.p ? k.b.p : "", k.b.len);
	buf_reset(&k.b);
	k.pieces = 0;
	ck_assert_int_eq(output_summary_sink(&b, &h, rows, n, OUT_JSON, 0, NULL,
	    &sink), 0);
	buf_add(out, k.b.p ? k.b.p : "", k.b.len);
	/* A sink that stops at its second piece stops the summary. */
	buf_reset(&k.b);
	k.pieces = 0;
	k.stop_after = 1;
	if (output_summary_sink(&b, &h, rows, n, OUT_CSV, 0, NULL, &sink) != 0)
		ck_assert_uint_eq(k.pieces, 2);
	else
		ck_assert_uint_le(k.pieces, 1);
	buf_free(&b);
	buf_free(&k.b);
	free(rows);
	hunt_free(&h);
}

/* The tail's parallel paths give what one thread gives: the ranks (text
 * and addresses ranked on two threads), the summed merge and the summary
 * formatted on two threads into two buffers, at sizes from nothing to
 * thousands of groups, the split thresholds around and inside them. */
START_TEST(test_tail_parallel)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 5, 33, 257, 2049 };
	static const struct hunt_sort sorts[] = {
		{ HC_REMOTEIP, 0, -1, 0 }, { HC_INSTANCES, 1, -1, 0 },
		{ HC_NAME, 1, HC_REMOTEIP, 1 }, { HC_LATEST, 0, HC_DOMAIN, 0 },
	};
	struct buf one = { 0 }, two = { 0 };
	size_t i, m, k, mins[6];
	int once, summed;

	for (i = 0; i < sizeof sizes / sizeof *sizes; i++)
		for (summed = 0; summed < 2; summed++) {
			struct table_data *d = tail_data(sizes[i], (unsigned)i + 7, summed);

			/* Two threads from the first row (a piece of one row
			 * each: not for thousands), and around the size. */
			mins[0] = sizes[i] > 300 ? 100 : 1;
			mins[1] = sizes[i] > 300 ? 201 : 3;
			mins[2] = sizes[i] > 1 ? sizes[i] - 1 : 2;
			mins[3] = sizes[i] ? sizes[i] : 4;
			mins[4] = sizes[i] + 1;
			mins[5] = 2 * sizes[i] + 1;
			for (k = 0; k < sizeof sorts / sizeof *sorts; k++)
				for (once = k > 1; once < 2; once++) {
					par_set_min((size_t)-1);
					buf_reset(&one);
					tail_output(d, &sorts[k], once, 1, &one);
					for (m = 0; m < sizeof mins / sizeof *mins; m++) {
						par_set_min(mins[m]);
						buf_reset(&two);
						tail_output(d, &sorts[k], once, 0, &two);
						ck_assert_msg(one.len == two.len &&
						    memcmp(one.p, two.p, one.len) == 0,
						    "%zu rows, threads from %zu, sort %zu, "
						    "once %d, summed %d: not as one thread",
						    sizes[i], mins[m], k, once, summed);
					}
				}
			table_data_free(d);
		}
	par_set_min(0);
	buf_free(&one);
	buf_free(&two);
}
END_TEST

/* The summed merge against the logons merged one by one: every (keys,
 * device) once with its count, whichever chunk had it. */
START_TEST(test_tail_merge_sums)
{
	static const size_t sizes[] = { 0, 1, 2, 17, 1000, 1500 };
	size_t i, e;

	for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		struct table_data *a = tail_data(sizes[i], 99u + (unsigned)i, 1);
		struct table_data *b = tail_data(sizes[i], 99u + (unsigned)i, 0);
		uint64_t total = 0, want = 0;

		/* b keeps each logon: a's sums are b's logons counted per
		 * (keys, device). */
		for (e = 0; e < a->nev; e++)
			total += a->ev[e].n;
		want = b->nev;
		ck_assert_uint_eq(total, want);
		for (e = 0; e < a->nev; e++) {
			size_t f, cnt = 0, same = 0;

			for (f = 0; f < a->nev; f++)
				same += a->ev[f].device == a->ev[e].device &&
				    memcmp(a->ev[f].key, a->ev[e].key, sizeof a->ev[e].key) == 0;
			ck_assert_uint_eq(same, 1);
			for (f = 0; f < b->nev; f++)
				cnt += strcmp(strtab_str(b->st, b->ev[f].key[K_REMOTEIP]),
				    strtab_str(a->st, a->ev[e].key[K_REMOTEIP])) == 0 &&
				    strcmp(strtab_str(b->st, b->ev[f].key[K_NAME]),
				    strtab_str(a->st, a->ev[e].key[K_NAME])) == 0 &&
				    strcmp(strtab_str(b->st, b->ev[f].key[K_DOMAIN]),
				    strtab_str(a->st, a->ev[e].key[K_DOMAIN])) == 0 &&
				    strcmp(strtab_str(b->st, b->ev[f].key[K_LOGONTYPE]),
				    strtab_str(a->st, a->ev[e].key[K_LOGONTYPE])) == 0 &&
				    strcmp(strtab_str(b->st, b->ev[f].key[K_ACTIONTYPE]),
				    strtab_str(a->st, a->ev[e].key[K_ACTIONTYPE])) == 0 &&
				    strcmp(strtab_str(b->st, table_event_device_id(b, &b->ev[f])),
				    strtab_str(a->st, table_event_device_id(a, &a->ev[e]))) == 0 &&
				    strcmp(strtab_str(b->st, table_event_device_name(b, &b->ev[f])),
				    strtab_str(a->st, table_event_device_name(a, &a->ev[e]))) == 0;
			ck_assert_uint_eq(a->ev[e].n, cnt);
		}
		table_data_free(a);
		table_data_free(b);
	}
}
END_TEST

/* Rows for the tests of switching rules: three logons a group, 37
 * devices, 101 accounts in two domains, addresses in 11-17.x.1.y. */
static void
switch_rows(struct table_chunk *c, char buf[LC_N][64], size_t nrows,
    size_t ngroups)
{
	size_t i;

	for (i = 0; i < nrows; i++) {
		size_t g = i % ngroups;
		snprintf(buf[LC_TIMESTAMP], 64, "2025-03-%02zuT%02zu:00:00Z", 1 + i % 28, i % 24);
		snprintf(buf[LC_DEVICEID], 64, "id%zu", i % 37);
		snprintf(buf[LC_DEVICENAME], 64, "ws-%02zu", i % 37);
		snprintf(buf[LC_ACTIONTYPE], 64, "%s", g % 3 ? "LogonFailed" : "LogonSuccess");
		snprintf(buf[LC_LOGONTYPE], 64, "Network");
		snprintf(buf[LC_ACCOUNTDOMAIN], 64, "%s", g % 2 ? "CONTOSO" : "FABRIKAM");
		snprintf(buf[LC_ACCOUNTNAME], 64, "user%zu", g % 101);
		snprintf(buf[LC_REMOTEIP], 64, "%zu.%zu.1.%zu", 11 + g % 7, g % 13, g % 250);
		snprintf(buf[LC_REMOTEIPTYPE], 64, "Public");
		chunk_row_text(c, buf, (uint32_t)i + 2);
	}
}

/* Stopping hunt_apply_stoppable halfway through a switch of address,
 * account and device rules leaves the hunt as it was: every group's
 * figures and rule, the hits per rule, the funnel and which events count
 * (the device answers); applied to the end, the same switch gives what a
 * fresh hunt gives, and so does switching back. */
struct stop_at {
	size_t at, calls, last_done, total;
};

static int
stop_when(void *ctx, size_t done, size_t total)
{
	struct stop_at *s = ctx;

	ck_assert_uint_ge(done, s->last_done);
	s->last_done = done;
	s->total = total;
	s->calls++;
	return done >= s->at;
}

struct apply_state {
	struct lh_group *g;
	uint64_t *rule_groups, *rule_events;
	struct hunt_funnel f;
	uint8_t *kept;
	int at_base;
};

static void
apply_state_take(struct apply_state *st, const struct hunt *h)
{
	size_t i;

	st->g = xmalloc(h->ng * sizeof *st->g);
	memcpy(st->g, h->g, h->ng * sizeof *st->g);
	st->rule_groups = xmalloc((h->nrules + 1) * sizeof *st->rule_groups);
	st->rule_events = xmalloc((h->nrules + 1) * sizeof *st->rule_events);
	memcpy(st->rule_groups, h->rule_groups, (h->nrules + 1) *
	    sizeof *st->rule_groups);
	memcpy(st->rule_events, h->rule_events, (h->nrules + 1) *
	    sizeof *st->rule_events);
	st->f = h->f;
	st->kept = xmalloc(h->norder ? h->norder : 1);
	for (i = 0; i < h->norder; i++)
		st->kept[i] = (uint8_t)hunt_event_kept(h, h->order[i]);
	st->at_base = hunt_at_base(h);
}

/* strict: every byte of every group; else what the groups show (an
 * excluded group's figures are whatever an earlier apply left). */
static void
apply_state_same(const struct apply_state *st, const struct hunt *h,
    int strict)
{
	size_t i;

	if (strict)
		ck_assert(memcmp(st->g, h->g, h->ng * sizeof *st->g) == 0);
	for (i = 0; i < h->ng; i++) {
		ck_assert_uint_eq(st->g[i].count, h->g[i].count);
		ck_assert_int_eq(st->g[i].excl_rule, h->g[i].excl_rule);
		if (h->g[i].count == 0)
			continue;
		ck_assert_int_eq(st->g[i].first, h->g[i].first);
		ck_assert_int_eq(st->g[i].last, h->g[i].last);
		ck_assert_uint_eq(st->g[i].devices, h->g[i].devices);
	}
	ck_assert(memcmp(st->rule_groups, h->rule_groups, (h->nrules + 1) *
	    sizeof *st->rule_groups) == 0);
	ck_assert(memcmp(st->rule_events, h->rule_events, (h->nrules + 1) *
	    sizeof *st->rule_events) == 0);
	ck_assert(memcmp(&st->f, &h->f, sizeof h->f) == 0);
	for (i = 0; i < h->norder; i++)
		ck_assert_int_eq(st->kept[i], hunt_event_kept(h, h->order[i]));
	ck_assert_int_eq(st->at_base, hunt_at_base(h));
}

static void
apply_state_free(struct apply_state *st)
{
	free(st->g);
	free(st->rule_groups);
	free(st->rule_events);
	free(st->kept);
}

/* h's groups, hits and funnel as a hunt of its own gives them under flt
 * (asking everything). */
static void
apply_same_as_fresh(const struct hunt *h, const struct table_data *d,
    const struct hunt_opts *ho, const struct hunt_filter *flt)
{
	struct hunt_filter fresh = *flt;
	struct hunt h2;
	size_t i;

	fresh.sig_ip = fresh.sig_account = fresh.sig_device = NULL;
	hunt_run(&h2, d, ho);
	hunt_apply(&h2, &fresh);
	ck_assert_uint_eq(h->ng, h2.ng);
	for (i = 0; i < h->ng; i++) {
		ck_assert_uint_eq(h->g[i].count, h2.g[i].count);
		ck_assert_int_eq(h->g[i].excl_rule, h2.g[i].excl_rule);
		if (h2.g[i].count == 0)
			continue;
		ck_assert_int_eq(h->g[i].first, h2.g[i].first);
		ck_assert_int_eq(h->g[i].last, h2.g[i].last);
	}
	for (i = 0; i <= h->nrules; i++) {
		ck_assert_uint_eq(h->rule_groups[i], h2.rule_groups[i]);
		ck_assert_uint_eq(h->rule_events[i], h2.rule_events[i]);
	}
	ck_assert(memcmp(&h->f, &h2.f, sizeof h->f) == 0);
	for (i = 0; i < h->norder; i++)
		ck_assert_int_eq(hunt_event_kept(h, h->order[i]),
		    hunt_event_kept(&h2, h2.order[i]));
	hunt_free(&h2);
}

START_TEST(test_hunt_apply_stopped)
{
	struct table_data *d = table_data_new();
	struct table_chunk c;
	char buf[LC_N][64], r[64], *cause = NULL;
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0,
		0, 0, 0 };
	struct excl_set *set = excl_new_empty("/nonexistent/excl");
	struct excl_matcher *m;
	struct hunt_filter flt;
	struct apply_state before;
	struct stop_at st;
	struct hunt h;
	size_t i, total;

	table_data_add_file(d, "(test)", LH_LOGONS, 0, 0);
	table_chunk_init(&c, LH_LOGONS, 0);
	switch_rows(&c, buf, 15000, 5000);
	table_data_merge(d, &c, 0);
	table_chunk_free(&c);
	for (i = 0; i < 10; i++) {
		snprintf(r, sizeof r, "%zu.%zu.0.0/16", 11 + i % 7, i);
		excl_rule_add(set, 0, EXCL_IP, r, NULL, 0, &cause);
		snprintf(r, sizeof r, "CONTOSO\\user%zu*", i);
		excl_rule_add(set, 1, EXCL_ACCOUNT, r, NULL, 0, &cause);
		snprintf(r, sizeof r, "ws-%zu*", i);
		excl_rule_add(set, 2, EXCL_DEVICE, r, NULL, 0, &cause);
	}
	ck_assert_ptr_null(cause);
	/* Half of each kind on. */
	for (i = 0; i < excl_rule_count(set); i += 2)
		excl_rule_set_enabled(set, i, 0, &cause);
	hunt_run(&h, d, &ho);
	ck_assert_uint_gt(h.ng, 4 * 1024);
	m = excl_compile(set, time(NULL));
	exclfilter_init(&flt, set, m);
	memset(&st, 0, sizeof st);
	st.at = SIZE_MAX;
	ck_assert_int_eq(hunt_apply_stoppable(&h, &flt, stop_when, &st), 0);
	/* Each distinct address and account, then the groups. */
	ck_assert_uint_gt(st.total, 1024);
	ck_assert_uint_ge(st.calls, st.total / 1024);
	ck_assert_uint_lt(h.f.groups, h.ng);
	ck_assert_uint_gt(h.f.removed_excl_events, h.f.removed_excl_groups);
	apply_state_take(&before, &h);
	/* Every rule the other way: each kind's answers change. */
	for (i = 0; i < excl_rule_count(set); i++)
		excl_rule_set_enabled(set, i, i % 2 == 0, &cause);
	excl_matcher_free(m);
	m = excl_compile(set, time(NULL));
	exclfilter_init(&flt, set, m);
	total = st.total;
	memset(&st, 0, sizeof st);
	st.at = total / 2;
	ck_assert_int_eq(hunt_apply_stoppable(&h, &flt, stop_when, &st), -1);
	ck_assert_uint_ge(st.last_done, st.at);
	/* At the first question past it: among the addresses. */
	ck_assert_uint_lt(st.last_done, st.at + 1024);
	apply_state_same(&before, &h, 1);
	/* To the end, then back. */
	memset(&st, 0, sizeof st);
	st.at = SIZE_MAX;
	ck_assert_int_eq(hunt_apply_stoppable(&h, &flt, stop_when, &st), 0);
	apply_same_as_fresh(&h, d, &ho, &flt);
	for (i = 0; i < excl_rule_count(set); i++)
		excl_rule_set_enabled(set, i, i % 2 != 0, &cause);
	excl_matcher_free(m);
	m = excl_compile(set, time(NULL));
	exclfilter_init(&flt, set, m);
	/* Stopped at the very start too. */
	memset(&st, 0, sizeof st);
	st.at = 0;
	ck_assert_int_eq(hunt_apply_stoppable(&h, &flt, stop_when, &st), -1);
	ck_assert_uint_eq(st.last_done, 0);
	hunt_apply(&h, &flt);
	apply_same_as_fresh(&h, d, &ho, &flt);
	apply_state_same(&before, &h, 0);
	ck_assert_ptr_null(cause);
	apply_state_free(&before);
	excl_matcher_free(m);
	excl_free(set);
	hunt_free(&h);
	table_data_free(d);
}
END_TEST

/* Switching rules and categories on and off, hunt_apply keeps the answers
 * of the kinds of rules that did not change: after every switch each
 * group's figures and rule, the hits per rule and the funnel are those of
 * a hunt that asks the filter afresh; an unchanged kind is not asked
 * again, a changed one is. */
static size_t ip_asked;

static long
counting_ip(void *ctx, const char *ip, size_t n)
{
	ip_asked++;
	return excl_match_ip(ctx, ip, n);
}

START_TEST(test_hunt_apply_keeps_answers)
{
	struct table_data *d = table_data_new();
	struct table_chunk c;
	char buf[LC_N][64], r[64], *cause = NULL;
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct excl_set *set = excl_new_empty("/nonexistent/excl");
	struct excl_matcher *m = NULL;
	struct hunt_filter flt, fresh;
	struct hunt h, h2;
	static const char *const edges[] = { "11.0.0.0", "11.0.255.255",
		"11.1.1.255", "11.1.2.0", "10.255.255.255", "2001:db8::",
		"2001:db8::ffff:ffff:ffff:ffff", "2001:db8:0:1::", "::ffff:11.1.1.7" };
	size_t i, step, asked, acct, inside;
	unsigned seed = 99;

	table_data_add_file(d, "(test)", LH_LOGONS, 0, 0);
	table_chunk_init(&c, LH_LOGONS, 0);
	switch_rows(&c, buf, 3000, 1000);
	/* Addresses at the edges of the prefixes, and IPv6 ones. */
	for (i = 0; i < sizeof edges / sizeof *edges; i++) {
		snprintf(buf[LC_REMOTEIP], 64, "%s", edges[i]);
		chunk_row_text(&c, buf, (uint32_t)(3002 + i));
	}
	table_data_merge(d, &c, 0);
	table_chunk_free(&c);
	/* Categories 0: addresses, 1: accounts, 2: devices. */
	for (i = 0; i < 10; i++) {
		snprintf(r, sizeof r, "%zu.%zu.0.0/16", 11 + i % 7, i);
		excl_rule_add(set, 0, EXCL_IP, r, NULL, 0, &cause);
		snprintf(r, sizeof r, "%zu.%zu.1.0/24", 11 + i % 7, i + 1);
		excl_rule_add(set, 0, EXCL_IP, r, NULL, 0, &cause);
		snprintf(r, sizeof r, "CONTOSO\\user%zu*", i);
		excl_rule_add(set, 1, EXCL_ACCOUNT, r, NULL, 0, &cause);
		snprintf(r, sizeof r, "ws-%zu*", i);
		excl_rule_add(set, 2, EXCL_DEVICE, r, NULL, 0, &cause);
	}
	excl_rule_add(set, 0, EXCL_IP, "2001:db8::/64", NULL, 0, &cause);
	excl_rule_add(set, 0, EXCL_IP, "11.1.1.255/32", NULL, 0, &cause);
	ck_assert_ptr_null(cause);
	hunt_run(&h, d, &ho);
	for (step = 0; step < 40; step++) {
		seed = seed * 1103515245u + 12345u;
		/* The same rule, another prefix length, and back. */
		if (step == 10 || step == 20)
			excl_rule_edit(set, 0, EXCL_IP, step == 10 ? "11.0.0.0/8" :
			    "11.0.0.0/16", &cause);
		else if (step % 7 == 6)
			excl_category_set_enabled(set, (seed >> 8) % 3,
			    (seed >> 4) & 1, &cause);
		else
			excl_rule_set_enabled(set, (seed >> 8) % 42,
			    (seed >> 4) & 1, &cause);
		ck_assert_ptr_null(cause);
		excl_matcher_free(m);
		m = excl_compile(set, time(NULL));
		exclfilter_init(&flt, set, m);
		flt.match_ip = counting_ip;
		hunt_apply(&h, &flt);
		/* The oracle: a hunt of its own, asking everything. */
		fresh = flt;
		fresh.sig_ip = fresh.sig_account = fresh.sig_device = NULL;
		hunt_run(&h2, d, &ho);
		hunt_apply(&h2, &fresh);
		ck_assert_uint_eq(h.ng, h2.ng);
		/* The figures of the groups shown (an excluded group's are
		 * whatever an earlier apply left, as they always were). */
		for (i = 0; i < h.ng; i++) {
			ck_assert_uint_eq(h.g[i].count, h2.g[i].count);
			ck_assert_int_eq(h.g[i].excl_rule, h2.g[i].excl_rule);
			if (h2.g[i].count == 0)
				continue;
			ck_assert_int_eq(h.g[i].first, h2.g[i].first);
			ck_assert_int_eq(h.g[i].last, h2.g[i].last);
			ck_assert_uint_eq(h.g[i].devices, h2.g[i].devices);
		}
		for (i = 0; i <= h.nrules; i++) {
			ck_assert_uint_eq(h.rule_groups[i], h2.rule_groups[i]);
			ck_assert_uint_eq(h.rule_events[i], h2.rule_events[i]);
		}
		ck_assert(memcmp(&h.f, &h2.f, sizeof h.f) == 0);
		hunt_free(&h2);
	}
	/* An account rule switched: no address is asked again. */
	excl_category_set_enabled(set, 0, 1, &cause);
	excl_category_set_enabled(set, 1, 1, &cause);
	for (acct = 0; excl_rule_kind(set, acct) != EXCL_ACCOUNT; acct++)
		;
	excl_rule_set_enabled(set, acct, 0, &cause);
	excl_matcher_free(m);
	m = excl_compile(set, time(NULL));
	exclfilter_init(&flt, set, m);
	flt.match_ip = counting_ip;
	hunt_apply(&h, &flt);
	excl_rule_set_enabled(set, acct, 1, &cause);
	excl_matcher_free(m);
	m = excl_compile(set, time(NULL));
	exclfilter_init(&flt, set, m);
	flt.match_ip = counting_ip;
	asked = ip_asked;
	hunt_apply(&h, &flt);
	ck_assert_uint_eq(ip_asked, asked);
	/* An address rule switched (11.0.0.0/16): the addresses inside it
	 * are asked again, each once, and no other. */
	ck_assert_int_eq(excl_rule_kind(set, 0), EXCL_IP);
	ck_assert_str_eq(excl_rule_text(set, 0), "11.0.0.0/16");
	for (i = 0, inside = 0; i < h.ng; i++) {
		const char *ip = strtab_str(d->st, h.g[i].key[K_REMOTEIP]);
		size_t j;

		if (strncmp(ip, "11.0.", 5) != 0)
			continue;
		for (j = 0; j < i; j++)
			if (h.g[j].key[K_REMOTEIP] == h.g[i].key[K_REMOTEIP])
				break;
		inside += j == i;
	}
	ck_assert_uint_gt(inside, 5);
	excl_rule_set_enabled(set, 0, !excl_rule_enabled(set, 0), &cause);
	excl_matcher_free(m);
	m = excl_compile(set, time(NULL));
	exclfilter_init(&flt, set, m);
	flt.match_ip = counting_ip;
	hunt_apply(&h, &flt);
	ck_assert_uint_eq(ip_asked, asked + inside);
	/* With an asn rule the answers are not the prefixes' alone: a
	 * switch asks every address again. */
	excl_rule_add(set, 0, EXCL_ASN, "AS64500", NULL, 0, &cause);
	ck_assert_ptr_null(cause);
	excl_matcher_free(m);
	m = excl_compile(set, time(NULL));
	exclfilter_init(&flt, set, m);
	ck_assert_ptr_null(flt.ip_prefixes);
	flt.match_ip = counting_ip;
	asked = ip_asked;
	hunt_apply(&h, &flt);
	ck_assert_uint_gt(ip_asked, asked + 100);
	excl_matcher_free(m);
	excl_free(set);
	hunt_free(&h);
	table_data_free(d);
}
END_TEST

START_TEST(test_load_bom_noeol)
{
	char *cause, *got;

	got = hunt_csv("\xef\xbb\xbfTimestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\r\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public", NULL, NULL, NULL, NULL, &cause);
	ck_assert_msg(got != NULL, "%s", cause);
	ck_assert_ptr_nonnull(strstr(got, "C,a,Network,1.1.1.1,LogonSuccess"));
	free(got);
}
END_TEST

static void
ck_load_error(const char *logons, const char *want1, const char *want2)
{
	char *cause = NULL, *got = hunt_csv(logons, NULL, NULL, NULL, NULL, &cause);

	ck_assert_msg(got == NULL, "should fail: %s", got);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strstr(cause, want1) != NULL, "'%s' lacks '%s'", cause, want1);
	if (want2)
		ck_assert_msg(strstr(cause, want2) != NULL, "'%s' lacks '%s'", cause, want2);
	free(cause);
}

START_TEST(test_load_errors)
{
	ck_load_error("", "is empty", "header");
	ck_load_error("Timestamp,DeviceId\n", "DeviceLogonEvents.csv:1:", "lacks the columns DeviceName, ActionType");
	ck_load_error("Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType,RemoteIP\n",
	    ":1: column 10 (RemoteIP) repeats column 8", NULL);
	ck_load_error("Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
	    "\"x\ny\",d1,n1,LogonSuccess,Network,C,a,1.1.1.1\n",
	    "DeviceLogonEvents.csv:3: the row has 8 fields but the header has 9", "--skip-bad-rows");
	ck_load_error("Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,\"a\n",
	    "DeviceLogonEvents.csv:3: malformed CSV: a quoted field is never closed", "truncated");
	ck_load_error("Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "\n2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a\"b,1.1.1.1,Public\n",
	    "DeviceLogonEvents.csv:3: malformed CSV: a double quote inside an unquoted field", NULL);
	ck_load_error("Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a\xff,1.1.1.1,Public\n",
	    "DeviceLogonEvents.csv:2: column 7 (AccountName): invalid UTF-8", NULL);
	/* Columns in another order, one the hunt does not read among them:
	 * the first bad column in the header's order is named, by its place
	 * in the header. */
	ck_load_error("Extra,AccountName,Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,RemoteIP,RemoteIPType\n"
	    "x,a\xff,2023-01-01T00:00:00Z,d1,n\xff,LogonSuccess,Network,C,1.1.1.1,Public\n",
	    "DeviceLogonEvents.csv:2: column 2 (AccountName): invalid UTF-8", NULL);
}
END_TEST

/* The fast reader locates only RemoteIPType in a row that cannot be
 * Public: such rows still count, fail and are reported as before, and
 * only an exact Public (quoted or not) makes a row relevant; on every
 * path of the reader. */
START_TEST(test_load_gate)
{
	static const char head[] = "Timestamp,DeviceId,DeviceName,ActionType,"
	    "LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType,Extra\n";
	static const char ok[] = "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public,x\n";
	struct hunt_funnel fu;
	char *cause, *got, *in;
	size_t k;

	for (k = 0; k < sizeof scan_paths / sizeof scan_paths[0]; k++) {
		setenv("LOGONHUNT_SIMD", scan_paths[k].name, 1);
		in = xasprintf("%s%s%s", head,
		    "2023-01-02T00:00:00Z,d1,n1,LogonSuccess,Network,C,b,1.1.1.2,\"Public\",x\n"
		    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,c,1.1.1.3,\"Pub\"\"lic\",x\n"
		    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,d,1.1.1.4,Private,\"x\"\n"
		    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,e\xff,1.1.1.5,Private,x\n", ok);
		got = hunt_csv_sorted(in, NULL, NULL, NULL, NULL, NULL, OUT_CSV, &fu, &cause);
		ck_assert_msg(got != NULL, "%s: %s", scan_paths[k].name, cause);
		ck_assert_str_eq(got, "AccountDomain,AccountName,LogonType,RemoteIP,"
		    "ActionType,EarliestEvent,LatestEvent,Instances,DistinctMachines\n"
		    "C,a,Network,1.1.1.1,LogonSuccess,2023-01-01T00:00:00.0000000Z,2023-01-01T00:00:00.0000000Z,1,1\n"
		    "C,b,Network,1.1.1.2,LogonSuccess,2023-01-02T00:00:00.0000000Z,2023-01-02T00:00:00.0000000Z,1,1\n");
		ck_assert_uint_eq(fu.rows[LH_LOGONS], 5);
		ck_assert_uint_eq(fu.public_logons, 2);
		free(got);
		free(in);
		/* Rows that are not Public, malformed after RemoteIPType. */
		in = xasprintf("%s%s%s", head, ok,
		    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Private,x\"y\n");
		ck_load_error(in, "DeviceLogonEvents.csv:3: malformed CSV: a double quote inside an unquoted field", NULL);
		free(in);
		in = xasprintf("%s%s%s", head, ok,
		    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,\"Pri\nvate\",\"x\"y\n");
		ck_load_error(in, "DeviceLogonEvents.csv:4: malformed CSV: a character after the closing quote", NULL);
		free(in);
		in = xasprintf("%s%s%s", head, ok,
		    "\n2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Private,x,y\n");
		ck_load_error(in, "DeviceLogonEvents.csv:4: the row has 11 fields but the header has 10", NULL);
		free(in);
	}
	unsetenv("LOGONHUNT_SIMD");
}
END_TEST

static void
count_warn(void *ctx, const char *msg)
{
	struct buf *b = ctx;

	buf_add(b, msg, strlen(msg));
	buf_addc(b, '\n');
}

START_TEST(test_load_skip_bad_rows)
{
	struct buf warnings = { 0 };
	struct load_opts o = { 0 };
	char *cause, *got;

	o.skip_bad_rows = 1;
	o.warn = count_warn;
	o.warn_ctx = &warnings;
	got = hunt_csv("Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,\xc3,1.1.1.1,Public\n"
	    "2023-01-02T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n",
	    NULL, NULL, &o, NULL, &cause);
	ck_assert_msg(got != NULL, "%s", cause);
	ck_assert_ptr_nonnull(strstr(got, "2023-01-02T00:00:00.0000000Z,2,1\n"));
	ck_assert_ptr_nonnull(strstr(warnings.p, "DeviceLogonEvents.csv:3: skipped a row with 8 fields"));
	ck_assert_ptr_nonnull(strstr(warnings.p, "DeviceLogonEvents.csv:4: skipped a row with invalid UTF-8 in column AccountName"));
	ck_assert_ptr_nonnull(strstr(warnings.p, "skipped 2 malformed rows"));
	free(got);
	buf_free(&warnings);
}
END_TEST

START_TEST(test_load_bad_timestamp_warns)
{
	struct buf warnings = { 0 };
	struct load_opts o = { 0 };
	char *cause, *got;

	o.warn = count_warn;
	o.warn_ctx = &warnings;
	got = hunt_csv("Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
	    "yesterday,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n",
	    NULL, NULL, &o, NULL, &cause);
	ck_assert_ptr_nonnull(got);
	ck_assert_ptr_nonnull(strstr(got, ",2,1\n"));
	ck_assert_ptr_nonnull(strstr(warnings.p, "DeviceLogonEvents.csv:3: Timestamp \"yesterday\""));
	free(got);
	buf_free(&warnings);
}
END_TEST

/* Splitting a file across threads must not change a thing, even where a
 * quoted field with newlines straddles the split point. */
START_TEST(test_load_split_equivalence)
{
	struct buf csv = { 0 };
	struct load_opts one = { 0 }, many = { 0 }, ref = { 0 };
	char *cause, *a, *b, *c;
	int i;

	buf_add(&csv, logon_head, strlen(logon_head));
	for (i = 0; i < 3000; i++)
		buf_addf(&csv, "2023-01-%02dT00:00:%02d.%dZ,d%d,n%d,%s,Network,C,\"u%d\n\"\"x\"\"\n\",%d.0.0.%d,Public\r\n\r\n",
		    1 + i % 28, i % 60, i % 10, i % 7, i % 7, i % 3 ? "LogonFailed" : "LogonSuccess",
		    i % 11, 1 + i % 5, i % 13);
	one.threads = 1;
	many.threads = 7;
	many.split_min = 1000;
	ref.engine = LOAD_ENGINE_LIBCSV;
	a = hunt_csv(csv.p, NULL, NULL, &one, NULL, &cause);
	b = hunt_csv(csv.p, NULL, NULL, &many, NULL, &cause);
	c = hunt_csv(csv.p, NULL, NULL, &ref, NULL, &cause);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(a, b);
	ck_assert_str_eq(a, c);
	ck_assert_ptr_nonnull(strstr(a, "\"u3\n\"\"x\"\"\n\""));
	free(a);
	free(b);
	free(c);
	buf_free(&csv);
}
END_TEST

/* Line numbers in errors stay right when the file is split. */
START_TEST(test_load_split_error_line)
{
	struct buf csv = { 0 };
	struct load_opts many = { 0 };
	char *cause = NULL, *got;
	int i;

	buf_add(&csv, logon_head, strlen(logon_head));
	for (i = 0; i < 2000; i++)
		buf_addf(&csv, "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,\"a\nb\",1.1.1.1,Public\r\n");
	buf_addf(&csv, "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1\r\n");
	many.threads = 4;
	many.split_min = 4096;
	got = hunt_csv(csv.p, NULL, NULL, &many, NULL, &cause);
	ck_assert_ptr_null(got);
	/* Each good row spans two lines: the bad one is on line 4002. */
	ck_assert_msg(strstr(cause, "DeviceLogonEvents.csv:4002: the row has 8 fields") != NULL, "%s", cause);
	free(cause);
	buf_free(&csv);
}
END_TEST

/* The raw row behind an event reads back whole. */
START_TEST(test_rawevent)
{
	struct table_data *d = table_data_new();
	struct load_opts o = { 0 };
	struct rawevent r;
	char *cause = NULL, *path;
	const char *csv = "\xef\xbb\xbfTimestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType,Cmd\r\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,10.0.0.1,Private,x\r\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public,\"run \"\"it\"\"\r\nnow\"\r\n";

	path = tu_write_file("DeviceLogonEvents.csv", csv, strlen(csv));
	ck_assert_int_eq(load_file(d, path, LH_LOGONS, &o, &cause), 0);
	ck_assert_uint_eq(d->nev, 1);
	ck_assert_uint_eq(d->ev[0].line, 3);
	ck_assert_int_eq(rawevent_read(d, &d->ev[0], &r, &cause), 0);
	ck_assert_uint_eq(r.n, 10);
	ck_assert_str_eq(r.names[0], "Timestamp");
	ck_assert_str_eq(rawevent_get(&r, "Cmd", NULL), "run \"it\"\r\nnow");
	ck_assert_str_eq(rawevent_get(&r, "RemoteIP", NULL), "1.1.1.1");
	rawevent_free(&r);
	/* The reader that keeps the file open gives the same record. */
	{
		struct rawevent_reader *rr = rawevent_open(d);
		int k;

		for (k = 0; k < 3; k++) {
			ck_assert_int_eq(rawevent_read_at(rr, &d->ev[0], &r, &cause), 0);
			ck_assert_uint_eq(r.n, 10);
			ck_assert_str_eq(r.names[9], "Cmd");
			ck_assert_str_eq(rawevent_get(&r, "Cmd", NULL), "run \"it\"\r\nnow");
			rawevent_free(&r);
		}
		rawevent_close(rr);
	}
	/* A file changed since loading is reported, not misread. */
	free(tu_write_file("DeviceLogonEvents.csv", "short", 5));
	ck_assert_int_eq(rawevent_read(d, &d->ev[0], &r, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "changed since it was loaded"));
	free(cause);
	{
		struct rawevent_reader *rr = rawevent_open(d);
		ck_assert_int_eq(rawevent_read_at(rr, &d->ev[0], &r, &cause), -1);
		ck_assert_ptr_nonnull(strstr(cause, "changed since it was loaded"));
		free(cause);
		rawevent_close(rr);
	}
	free(path);
	table_data_free(d);
}
END_TEST

/* The file rewritten in place with the same size, while a reader keeps
 * it mapped: the next read says it changed (its modification time is not
 * the one loaded) instead of showing another record; truncated under the
 * mapping, the next read says so instead of faulting past the new end. */
START_TEST(test_rawevent_rewritten_in_place)
{
	struct table_data *d = table_data_new();
	struct load_opts o = { 0 };
	struct rawevent_reader *rr;
	struct rawevent r;
	struct timespec t[2];
	char *cause = NULL, *path, *other;
	const char *csv = "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2023-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,alice,1.1.1.1,Public\n";
	FILE *f;

	path = tu_write_file("DeviceLogonEvents.csv", csv, strlen(csv));
	ck_assert_int_eq(load_file(d, path, LH_LOGONS, &o, &cause), 0);
	rr = rawevent_open(d);
	ck_assert_int_eq(rawevent_read_at(rr, &d->ev[0], &r, &cause), 0);
	ck_assert_str_eq(rawevent_get(&r, "AccountName", NULL), "alice");
	rawevent_free(&r);
	/* Same size, other bytes, written in place (same inode). */
	other = xstrdup(csv);
	memcpy(strstr(other, "alice"), "mallo", 5);
	f = fopen(path, "r+");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(other, 1, strlen(other), f), strlen(other));
	ck_assert_int_eq(fclose(f), 0);
	/* A time the load cannot have seen, whatever the clock's grain. */
	t[0].tv_sec = t[1].tv_sec = 1000000000;
	t[0].tv_nsec = t[1].tv_nsec = 0;
	ck_assert_int_eq(utimensat(AT_FDCWD, path, t, 0), 0);
	ck_assert_int_eq(rawevent_read_at(rr, &d->ev[0], &r, &cause), -1);
	ck_assert_msg(strstr(cause, "changed since it was loaded") != NULL, "%s", cause);
	free(cause);
	ck_assert_int_eq(rawevent_read(d, &d->ev[0], &r, &cause), -1);
	ck_assert_msg(strstr(cause, "changed since it was loaded") != NULL, "%s", cause);
	free(cause);
	rawevent_close(rr);

	/* Truncated while mapped. */
	free(tu_write_file("DeviceLogonEvents.csv", csv, strlen(csv)));
	table_data_free(d);
	d = table_data_new();
	ck_assert_int_eq(load_file(d, path, LH_LOGONS, &o, &cause), 0);
	rr = rawevent_open(d);
	ck_assert_int_eq(rawevent_read_at(rr, &d->ev[0], &r, &cause), 0);
	rawevent_free(&r);
	ck_assert_int_eq(truncate(path, 10), 0);
	ck_assert_int_eq(rawevent_read_at(rr, &d->ev[0], &r, &cause), -1);
	ck_assert_msg(strstr(cause, "changed since it was loaded") != NULL, "%s", cause);
	free(cause);
	rawevent_close(rr);
	free(other);
	free(path);
	table_data_free(d);
}
END_TEST

/* ----------------------------------------------------------------- output */

START_TEST(test_output_fields)
{
	struct buf b = { 0 };

	output_csv_field(&b, "plain", 5, 0);
	buf_addc(&b, '|');
	output_csv_field(&b, "a,b", 3, 0);
	buf_addc(&b, '|');
	output_csv_field(&b, "say \"hi\"", 8, 0);
	buf_addc(&b, '|');
	output_csv_field(&b, "=1+2", 4, OUT_NEUTRALISE);
	buf_addc(&b, '|');
	output_csv_field(&b, "-x,y", 4, OUT_NEUTRALISE);
	buf_addc(&b, '|');
	output_csv_field(&b, "=1+2", 4, 0);
	ck_assert_str_eq(b.p, "plain|\"a,b\"|\"say \"\"hi\"\"\"|'=1+2|\"'-x,y\"|=1+2");
	buf_reset(&b);
	output_json_string(&b, "a\"b\\c\n\x1b", 7);
	ck_assert_str_eq(b.p, "\"a\\\"b\\\\c\\n\\u001b\"");
	/* DEL and every C0 control are escaped; \r and \t by name. */
	buf_reset(&b);
	output_json_string(&b, "\x7f\r\t\x01\x1f ", 6);
	ck_assert_str_eq(b.p, "\"\\u007f\\r\\t\\u0001\\u001f \"");
	/* Each character that starts a formula is defused, a CR or LF
	 * anywhere quotes the field, and a value starting otherwise is
	 * kept. */
	{
		static const char *const lead[] = { "=", "+", "-", "@", "\t", "\r" };
		size_t i;

		for (i = 0; i < sizeof lead / sizeof lead[0]; i++) {
			char *v = xasprintf("%sSUM(A1)", lead[i]);
			int q = lead[i][0] == '\r';
			char *defused = xasprintf("%s'%s%s", q ? "\"" : "", v, q ? "\"" : "");
			char *kept = xasprintf("%s%s%s", q ? "\"" : "", v, q ? "\"" : "");

			buf_reset(&b);
			output_csv_field(&b, v, strlen(v), OUT_NEUTRALISE);
			ck_assert_str_eq(b.p, defused);
			buf_reset(&b);
			output_csv_field(&b, v, strlen(v), 0);
			ck_assert_str_eq(b.p, kept);
			free(defused);
			free(kept);
			free(v);
		}
	}
	buf_reset(&b);
	output_csv_field(&b, "a\rb", 3, 0);
	ck_assert_str_eq(b.p, "\"a\rb\"");
	buf_reset(&b);
	output_csv_field(&b, "a\nb", 3, 0);
	ck_assert_str_eq(b.p, "\"a\nb\"");
	buf_reset(&b);
	output_csv_field(&b, "x=1", 3, OUT_NEUTRALISE);
	ck_assert_str_eq(b.p, "x=1");
	buf_free(&b);
}
END_TEST

START_TEST(test_escape)
{
	struct buf b = { 0 };

	const char *hostile = "ok \x1b[2J\x07\xc2\x9b\xe2\x80\xae\xff\\ é";

	buf_add_escaped(&b, hostile, strlen(hostile));
	ck_assert_str_eq(b.p, "ok \\x1b[2J\\x07\\x9b\\u202e\\xff\\\\ é");
	buf_free(&b);
	ck_assert(utf8_valid("héllo wörld, 日本", strlen("héllo wörld, 日本")));
	ck_assert(!utf8_valid("\xc0\xaf", 2));		/* overlong */
	ck_assert(!utf8_valid("\xed\xa0\x80", 3));	/* surrogate */
	ck_assert(!utf8_valid("abcdefgh\xe2\x82", 10));	/* truncated */
}
END_TEST

/* UTF-8 checked a byte at a time by the rules of RFC 3629 (no overlong
 * forms, no surrogates, nothing above U+10FFFF), apart from the code. */
static int
ref_utf8_valid(const unsigned char *p, size_t n)
{
	size_t i = 0, k, len;
	uint32_t cp;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xc0 && p[i] < 0xe0) {
			len = 2;
			cp = p[i] & 0x1fu;
		} else if (p[i] >= 0xe0 && p[i] < 0xf0) {
			len = 3;
			cp = p[i] & 0x0fu;
		} else if (p[i] >= 0xf0 && p[i] < 0xf8) {
			len = 4;
			cp = p[i] & 0x07u;
		} else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3fu);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

/* utf8_valid against the reference on strings of every length to 70,
 * mostly ASCII, with one or more bytes that are not (lead bytes of each
 * length, continuation bytes, bytes that are never UTF-8) at every
 * position, so that the eight-byte ASCII check sees a high bit in each
 * byte of its words and of the last word that overlaps the one before;
 * each string in a buffer of its exact size. */
START_TEST(test_utf8_positions)
{
	static const unsigned char high[] = { 0x80, 0xbf, 0xc2, 0xc0, 0xdf,
	    0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0xa0, 0x82 };
	uint64_t x = 0x2545f4914f6cdd1dull;
	unsigned char *buf;
	size_t n, i;
	int iter;

	for (iter = 0; iter < 60000; iter++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		n = x % 71;
		buf = xmalloc(n ? n : 1);
		for (i = 0; i < n; i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			buf[i] = (x & 15) ? (unsigned char)(0x20 + x % 0x5f) :
			    high[(x >> 8) % sizeof high];
		}
		/* Some strings all ASCII, but for one byte at a known place. */
		if (n > 0 && (x >> 20) % 3 == 0) {
			for (i = 0; i < n; i++)
				buf[i] = 'a';
			buf[(x >> 24) % n] = high[(x >> 32) % sizeof high];
		}
		ck_assert_int_eq(utf8_valid((const char *)buf, n),
		    ref_utf8_valid(buf, n));
		free(buf);
	}
}
END_TEST

/* JSON output: a group whose events have no Timestamp has null bounds,
 * not empty strings; numbers are bare. */
START_TEST(test_hunt_json_nulls)
{
	char *cause, *got;

	got = hunt_csv_sorted(
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    ",d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n",
	    NULL, NULL, NULL, NULL, NULL, OUT_JSON, NULL, &cause);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, "[\n {\"AccountDomain\": \"C\", \"AccountName\": \"a\", "
	    "\"LogonType\": \"Network\", \"RemoteIP\": \"1.1.1.1\", \"ActionType\": "
	    "\"LogonSuccess\", \"EarliestEvent\": null, \"LatestEvent\": null, "
	    "\"Instances\": 1, \"DistinctMachines\": 1}\n]\n");
	free(got);
}
END_TEST

/* Every class of the set a terminal could act on, or that reorders the
 * text around it, is shown as an escape; its neighbours are not. */
START_TEST(test_escape_classes)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "\x01", "\\x01" }, { "\x1b", "\\x1b" }, { "\x1f", "\\x1f" },
		{ "\t", "\\t" }, { "\n", "\\n" }, { "\r", "\\r" }, { "\x7f", "\\x7f" },
		{ "\xc2\x80", "\\x80" }, { "\xc2\x9b", "\\x9b" }, { "\xc2\x9d", "\\x9d" },
		{ "\xc2\x9f", "\\x9f" }, { "\xc2\xa0", "\xc2\xa0" },
		{ "\xe2\x80\x8b", "\\u200b" },		/* invisible: issue 11 */
		{ "\xe2\x80\x8d", "\\u200d" },		/* U+200D ZWJ too */
		{ "\xc2\xad", "\\u00ad" }, { "\xf3\xa0\x80\x81", "\\U000e0001" },
		{ "\xf3\xa0\x82\x80", "\xf3\xa0\x82\x80" },	/* U+E0080: not a tag */
		{ "\xe2\x80\x8e", "\\u200e" }, { "\xe2\x80\x8f", "\\u200f" },
		{ "\xe2\x80\xa8", "\\u2028" }, { "\xe2\x80\xa9", "\\u2029" },
		{ "\xe2\x80\xaa", "\\u202a" }, { "\xe2\x80\xab", "\\u202b" },
		{ "\xe2\x80\xac", "\\u202c" }, { "\xe2\x80\xad", "\\u202d" },
		{ "\xe2\x80\xae", "\\u202e" }, { "\xe2\x80\xaf", "\xe2\x80\xaf" },
		{ "\xe2\x81\xa6", "\\u2066" }, { "\xe2\x81\xa7", "\\u2067" },
		{ "\xe2\x81\xa8", "\\u2068" }, { "\xe2\x81\xa9", "\\u2069" },
		{ "\xe2\x81\xaa", "\\u206a" }, { "\xe2\x81\xb0", "\xe2\x81\xb0" },
		{ "\xff", "\\xff" }, { "\x9b", "\\x9b" }, { "a\xc2", "a\\xc2" },
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80" },		/* a surrogate */
		{ "\\", "\\\\" }, { "~", "~" }, { " ", " " },
	};
	struct buf b = { 0 };
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		buf_add_escaped(&b, cases[i].in, strlen(cases[i].in));
		ck_assert_msg(b.p != NULL && strcmp(b.p, cases[i].want) == 0,
		    "case %zu: got '%s', want '%s'", i, b.p ? b.p : "", cases[i].want);
	}
	/* The form for messages keeps one backslash and the line break. */
	buf_reset(&b);
	buf_add_safe(&b, "DOM\\user\n\x1b", 10);
	ck_assert_str_eq(b.p, "DOM\\user\n\\x1b");
	buf_free(&b);
}
END_TEST

static Suite *
core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc;

	tc = tcase_create("timestamps");
	tcase_add_test(tc, test_ts_formats);
	tcase_add_test(tc, test_ts_format_vs_gmtime);
	tcase_add_test(tc, test_ts_invalid);
	tcase_add_test(tc, test_ts_none);
	suite_add_tcase(s, tc);

	tc = tcase_create("strtab");
	/* Tens of thousands of strings, colliding hashes on purpose: slow
	 * under the sanitizers and on a busy machine. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_strtab_merge);
	tcase_add_test(tc, test_tuptab);
	tcase_add_test(tc, test_strtab_intern_many);
	tcase_add_test(tc, test_strtab_merge_other_hash);
	tcase_add_test(tc, test_strtab_records);
	tcase_add_test(tc, test_strtab_merge_take);
	suite_add_tcase(s, tc);

	tc = tcase_create("csv");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_csv_cases, 0, SCAN_MODES);
	tcase_add_loop_test(tc, test_csv_fields, 0, SCAN_MODES);
	tcase_add_loop_test(tc, test_csv_errors, 0, SCAN_MODES);
	tcase_add_loop_test(tc, test_csv_differential, 0, SCAN_MODES);
	tcase_add_loop_test(tc, test_csv_differential_long, 0, SCAN_MODES);
	tcase_add_loop_test(tc, test_csv_block_edges, 0, SCAN_MODES);
	tcase_add_loop_test(tc, test_csv_wanted_fields, 0, SCAN_MODES);
	tcase_add_loop_test(tc, test_csv_plain_blocks, 0, SCAN_MODES);
	tcase_add_loop_test(tc, test_csv_plain_edges, 0, SCAN_MODES);
	tcase_add_loop_test(tc, test_csv_grid, 0, SCAN_MODES);
	tcase_add_loop_test(tc, test_csv_begin_again, 0, SCAN_MODES);
	tcase_add_test(tc, test_csv_path_choice);
	tcase_add_checked_fixture(tc, NULL, scan_mode_reset);
	suite_add_tcase(s, tc);

	tc = tcase_create("expand");
	tcase_add_test(tc, test_expand);
	suite_add_tcase(s, tc);

	tc = tcase_create("hunt");
	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_hunt_public_exact);
	tcase_add_test(tc, test_load_gate);
	tcase_add_test(tc, test_merge_chunks);
	tcase_add_test(tc, test_hunt_summary);
	tcase_add_test(tc, test_output_summary_rows);
	tcase_add_test(tc, test_hunt_many_groups);
	tcase_add_test(tc, test_hunt_joins);
	tcase_add_test(tc, test_hunt_sort_ties);
	tcase_add_test(tc, test_hunt_join_marks_accumulate);
	tcase_add_test(tc, test_hunt_isp_case);
	tcase_add_test(tc, test_hunt_window_bounds);
	tcase_add_test(tc, test_hunt_since);
	tcase_add_test(tc, test_hunt_sort_directions);
	tcase_add_test(tc, test_hunt_funnel_ips);
	tcase_add_test(tc, test_hunt_json_nulls);
	tcase_add_test(tc, test_hunt_apply_accounting);
	tcase_add_test(tc, test_hunt_sort_secondary);
	tcase_add_test(tc, test_hunt_radix_sort_oracle);
	tcase_add_test(tc, test_tail_parallel);
	tcase_add_test(tc, test_tail_merge_sums);
	tcase_add_test(tc, test_hunt_apply_keeps_answers);
	tcase_add_test(tc, test_hunt_apply_stopped);
	tcase_add_test(tc, test_sum_load);
	tcase_add_test(tc, test_sum_many_pairs);
	tcase_add_test(tc, test_sum_fold_batches);
	tcase_add_test(tc, test_load_bom_noeol);
	tcase_add_test(tc, test_load_errors);
	tcase_add_test(tc, test_load_skip_bad_rows);
	tcase_add_test(tc, test_load_bad_timestamp_warns);
	tcase_add_test(tc, test_load_split_equivalence);
	tcase_add_test(tc, test_load_split_error_line);
	tcase_add_test(tc, test_rawevent);
	tcase_add_test(tc, test_rawevent_rewritten_in_place);
	suite_add_tcase(s, tc);

	tc = tcase_create("output");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_output_fields);
	tcase_add_test(tc, test_escape);
	tcase_add_test(tc, test_utf8_positions);
	tcase_add_test(tc, test_escape_classes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(core_suite());
}
