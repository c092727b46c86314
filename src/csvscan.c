#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csvscan.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* 1: ends an unquoted field; everything else is field content. */
static const unsigned char stops[256] = {
	['\n'] = 1, ['\r'] = 1, [','] = 1, ['"'] = 1,
};

/* Finds the next byte that ends an unquoted field. Most fields are short,
 * so one 16-byte block's mask of such bytes serves several fields; the
 * block is kept in *blk / *mask between calls. */
static inline const char *
next_stop(const char *q, const char *end, const char **blk, uint32_t *mask)
{
#ifdef __SSE2__
	for (;;) {
		if (*blk != NULL && q >= *blk && q < *blk + 16) {
			uint32_t m = *mask & ~((1u << (q - *blk)) - 1);
			if (m)
				return *blk + __builtin_ctz(m);
			q = *blk + 16;
		}
		if (end - q < 16)
			break;
		{
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
			__m128i hit = _mm_or_si128(
			    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')),
			    _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
			    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
			    _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
			*blk = q;
			*mask = (uint32_t)_mm_movemask_epi8(hit);
		}
	}
#else
	(void)blk;
	(void)mask;
#endif
	while (q < end && !stops[(unsigned char)*q])
		q++;
	return q;
}

static void
rec_push(struct csvrec *rec, const char *p, size_t n, uint32_t flags)
{
	struct csv_field *f;

	if (rec->nf == rec->cap)
		rec->f = xgrow(rec->f, &rec->cap, rec->nf + 1, sizeof *rec->f);
	f = &rec->f[rec->nf++];
	f->p = p;
	f->n = (uint32_t)n;
	f->flags = flags;
}

#ifdef __SSE2__
/* The structural scan: 64 bytes at a time, a bit per byte for quotes,
 * commas and line ends; quoted regions come from the prefix XOR of the
 * quote bits (a bit is set from an opening quote up to the byte before
 * its closing quote), so separators inside quotes drop out with one AND.
 * A doubled quote closes and reopens the region. The record is checked a
 * block at a time: an opening quote must begin a field or follow a
 * closing one (a doubled quote), and a closing quote must be followed by
 * a separator, an opening quote or the end of the input. A record that
 * fails (an error, or a field left open at the end) makes the pass
 * return 0, and the byte-wise scanner below reads it again, so both give
 * the same records by construction. Only the fields the caller wants
 * are located; a block holding none of them is counted, not walked.
 *
 * Two builds of the pass: SSE2 (every x86-64) and AVX2 with the
 * carry-less multiply for the prefix XOR and popcnt, chosen at run time.
 * After csvrec_begin the blocks lie on 64-byte boundaries of the address
 * space and the last one classified is kept, so the block where one
 * record ends and the next begins is classified once. */
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define HAVE_AVX2_PATH 1
#include <immintrin.h>
#endif

struct blockmask {
	uint64_t quote, comma, end, lf;	/* end: CR or LF */
};

static inline uint64_t
bits16(__m128i v, char c)
{
	return (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
}

static inline void
block_masks_sse2(const char *b, struct blockmask *m)
{
	int i;

	m->quote = m->comma = m->end = m->lf = 0;
	for (i = 0; i < 4; i++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + 16 * i));
		uint64_t lf = bits16(v, '\n');

		m->quote |= bits16(v, '"') << (16 * i);
		m->comma |= bits16(v, ',') << (16 * i);
		m->lf |= lf << (16 * i);
		m->end |= (bits16(v, '\r') | lf) << (16 * i);
	}
}

/* A plain block: no quote, CR or LF. Returns nonzero if the 64 bytes at
 * b are not plain; else *comma has their comma bits. */
static inline uint64_t
block_plain_sse2(const char *b, uint64_t *comma)
{
	uint64_t sp = 0, c = 0;
	int i;

	for (i = 0; i < 4; i++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + 16 * i));
		__m128i s = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
		    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
		    _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));

		sp |= (uint64_t)(uint32_t)_mm_movemask_epi8(s) << (16 * i);
		c |= bits16(v, ',') << (16 * i);
	}
	*comma = c;
	return sp;
}

static inline uint64_t
prefix_xor(uint64_t x)
{
	x ^= x << 1;
	x ^= x << 2;
	x ^= x << 4;
	x ^= x << 8;
	x ^= x << 16;
	x ^= x << 32;
	return x;
}

/* Set bits, without assuming a popcount instruction. */
static inline uint32_t
count_bits(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (uint32_t)((x * 0x0101010101010101ull) >> 56);
}

#ifdef HAVE_AVX2_PATH
__attribute__((target("avx2"))) static inline uint64_t
bits32(__m256i lo, __m256i hi, char c)
{
	__m256i k = _mm256_set1_epi8(c);

	return (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, k)) |
	    (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, k)) << 32;
}

__attribute__((target("avx2"))) static inline void
block_masks_avx2(const char *b, struct blockmask *m)
{
	__m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)b);
	__m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(b + 32));

	m->quote = bits32(lo, hi, '"');
	m->comma = bits32(lo, hi, ',');
	m->lf = bits32(lo, hi, '\n');
	m->end = bits32(lo, hi, '\r') | m->lf;
}

__attribute__((target("avx2"))) static inline uint64_t
block_plain_avx2(const char *b, uint64_t *comma)
{
	__m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)b);
	__m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(b + 32));
	__m256i q = _mm256_set1_epi8('"'), cr = _mm256_set1_epi8('\r');
	__m256i lf = _mm256_set1_epi8('\n');
	__m256i slo = _mm256_or_si256(_mm256_cmpeq_epi8(lo, q),
	    _mm256_or_si256(_mm256_cmpeq_epi8(lo, cr), _mm256_cmpeq_epi8(lo, lf)));
	__m256i shi = _mm256_or_si256(_mm256_cmpeq_epi8(hi, q),
	    _mm256_or_si256(_mm256_cmpeq_epi8(hi, cr), _mm256_cmpeq_epi8(hi, lf)));

	*comma = bits32(lo, hi, ',');
	return (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_or_si256(slo, shi));
}

/* The prefix XOR as a carry-less multiply by all ones. */
__attribute__((target("pclmul,sse2"))) static inline uint64_t
prefix_xor_clmul(uint64_t x)
{
	__m128i r = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x),
	    _mm_set1_epi8((char)0xff), 0);

	return (uint64_t)_mm_cvtsi128_si64(r);
}

__attribute__((target("popcnt"))) static inline uint32_t
count_bits_popcnt(uint64_t x)
{
	return (uint32_t)__builtin_popcountll(x);
}
#endif

/* How far ahead of the block being read the pass asks for the file's
 * bytes: the loop does enough per block that the processor's own
 * look-ahead does not keep up with memory. */
#define SCAN_AHEAD 1024

/* What a pass locates: the wanted fields (PASS_ALL), the gate field
 * alone (PASS_GATE), or the wanted fields of a record already checked,
 * stopping after the last (PASS_LOCATE). */
enum { PASS_ALL, PASS_GATE, PASS_LOCATE };

static inline __attribute__((always_inline)) int
wanted(const struct csvrec *rec, size_t fi, int mode)
{
	if (mode == PASS_GATE)
		return fi == rec->gate;
	return rec->want == NULL || (fi < rec->nwant && rec->want[fi]);
}

/* Whether a wanted field has an index in [lo, hi]. */
static inline __attribute__((always_inline)) int
wanted_in(const struct csvrec *rec, size_t lo, size_t hi, int mode)
{
	if (mode == PASS_GATE)
		return lo <= rec->gate && rec->gate <= hi;
	if (rec->want == NULL)
		return 1;
	return lo < rec->nwant && rec->next_want[lo] <= hi;
}

/* Stores field fi, [fs, e), already checked to be well formed. */
static inline void
put_field(struct csvrec *rec, size_t fi, const char *fs, const char *e)
{
	struct csv_field *f;

	if (fi >= rec->cap)
		rec->f = xgrow(rec->f, &rec->cap, fi + 1, sizeof *rec->f);
	f = &rec->f[fi];
	if (e - fs >= 2 && fs[0] == '"') {
		f->p = fs + 1;
		f->n = (uint32_t)(e - fs - 2);
		f->flags = memchr(f->p, '"', f->n) != NULL ?
		    CSVF_QUOTED | CSVF_ESCAPED : CSVF_QUOTED;
	} else {
		f->p = fs;
		f->n = (uint32_t)(e - fs);
		f->flags = 0;
	}
}

/* The bits of the block at b (64 bytes, aligned with the scan) of which
 * only [lo, end) may be read. */
static inline __attribute__((always_inline)) void
block_get(const char *b, const char *lo, const char *end, struct blockmask *m,
    int avx2)
{
	char pad[64];
	const char *from = b;

	if ((uintptr_t)b < (uintptr_t)lo || end - b < 64) {
		/* A block reaching outside the buffer: its bytes there are
		 * zeros, which are none of the four. */
		size_t skip = (uintptr_t)b < (uintptr_t)lo ?
		    (size_t)((uintptr_t)lo - (uintptr_t)b) : 0;
		size_t n = (size_t)((uintptr_t)end - (uintptr_t)b) < 64 ?
		    (size_t)((uintptr_t)end - (uintptr_t)b) : 64;

		memset(pad, 0, sizeof pad);
		memcpy(pad + skip, b + skip, n - skip);
		from = pad;
	}
#ifdef HAVE_AVX2_PATH
	if (avx2)
		block_masks_avx2(from, m);
	else
#endif
		block_masks_sse2(from, m);
}

static inline __attribute__((always_inline)) uint64_t
pass_plain(const char *b, uint64_t *comma, int avx2)
{
#ifdef HAVE_AVX2_PATH
	if (avx2)
		return block_plain_avx2(b, comma);
#endif
	return block_plain_sse2(b, comma);
}

/* The first field from fi on that the pass locates, or SIZE_MAX. */
static inline __attribute__((always_inline)) size_t
next_wanted(const struct csvrec *rec, size_t fi, size_t last, int mode)
{
	if (fi > last)
		return SIZE_MAX;
	if (mode == PASS_GATE)
		return rec->gate;
	if (rec->want == NULL)
		return fi;
	if (fi >= rec->nwant || rec->next_want[fi] == UINT32_MAX)
		return SIZE_MAX;
	return rec->next_want[fi];
}

static inline __attribute__((always_inline)) uint64_t
pass_prefix_xor(uint64_t x, int avx2)
{
#ifdef HAVE_AVX2_PATH
	if (avx2)
		return prefix_xor_clmul(x);
#endif
	return prefix_xor(x);
}

static inline __attribute__((always_inline)) uint32_t
pass_count(uint64_t x, int avx2)
{
#ifdef HAVE_AVX2_PATH
	if (avx2)
		return count_bits_popcnt(x);
#endif
	return count_bits(x);
}

static inline __attribute__((always_inline)) int
scan_pass(const char *p, const char *end, struct csvrec *rec,
    const char **next, int avx2, int mode)
{
	/* With csvrec_begin's buffer, blocks lie on the 64-byte grid so
	 * that the next record finds its first block kept. */
	int keep = end == rec->hi && (uintptr_t)p >= (uintptr_t)rec->lo;
	const char *b = keep ? (const char *)((uintptr_t)p & ~(uintptr_t)63) : p;
	const char *fs = p;
	/* Carried from the block before: inside quotes; a field starts at
	 * this bit; a closing quote was its last byte. */
	uint64_t inq = 0, start0 = 1ull << (p - b), closer0 = 0;
	uint64_t valid = ~0ull << (p - b);
	/* Past the last wanted field, blocks are only counted. */
	size_t last = mode == PASS_GATE ? rec->gate :
	    rec->want == NULL ? SIZE_MAX : rec->want_last;
	uint32_t nl = 0;
	size_t fi = 0;
	struct blockmask m;

	if (keep && rec->blk == b) {
		m.quote = rec->blk_quote;
		m.comma = rec->blk_comma;
		m.end = rec->blk_end;
		m.lf = rec->blk_lf;
	} else
		block_get(b, keep ? rec->lo : p, end, &m, avx2);
	for (;;) {
		uint64_t quote, inside, close = 0, commas, stop, rec_bits;
		uint32_t ncommas;

		if (end - b < 64)
			valid &= (1ull << (end - b)) - 1;
		quote = m.quote & valid;
		inside = inq;
		if (quote)
			inside ^= pass_prefix_xor(quote, avx2);
		commas = m.comma & ~inside & valid;
		stop = m.end & ~inside & valid;
		/* This record's bytes: up to its end, if it is in this block
		 * (an end at bit 63 wraps to all ones, as it should). */
		rec_bits = (stop ? (stop & -stop) * 2 - 1 : ~0ull) & valid;
		if (quote | closer0) {
			uint64_t open = quote & inside, bad;

			close = quote & ~inside;
			bad = open & ~(commas << 1 | start0 | close << 1 | closer0);
			bad |= (close << 1 | closer0) & ~(commas | stop | open) & valid;
			if (bad & rec_bits)
				return 0;
		}
		if (stop)
			commas &= rec_bits;
		ncommas = pass_count(commas, avx2);
		if (fi <= last && wanted_in(rec, fi, fi + ncommas, mode)) {
			for (; commas != 0; commas &= commas - 1) {
				const char *e = b + __builtin_ctzll(commas);

				if (wanted(rec, fi, mode))
					put_field(rec, fi, fs, e);
				fi++;
				fs = e + 1;
			}
		} else {
			/* fs stays wrong here: it is only read for the field
			 * after the last comma, which wanted_in found unwanted. */
			fi += ncommas;
		}
		if (stop) {
			const char *e = b + __builtin_ctzll(stop);

			if (fi <= last && wanted(rec, fi, mode))
				put_field(rec, fi, fs, e);
			if (mode == PASS_LOCATE)
				return 1;
			rec->nf = fi + 1;
			rec->body_nl = nl + pass_count(m.lf & rec_bits, avx2);
			*next = e + 1;
			if (keep) {
				rec->blk = b;
				rec->blk_quote = m.quote;
				rec->blk_comma = m.comma;
				rec->blk_end = m.end;
				rec->blk_lf = m.lf;
			}
			return 1;
		}
		/* Outside quotes a line feed ends the record: one here is
		 * inside a quoted field. */
		if (m.lf & valid)
			nl += pass_count(m.lf & valid, avx2);
		/* The record was checked whole before: its fields are all
		 * located. */
		if (mode == PASS_LOCATE && fi > last)
			return 1;
		inq = (uint64_t)0 - (inside >> 63);
		start0 = m.comma & ~inside & 1ull << 63 ? 1 : 0;
		closer0 = close >> 63;
		b += 64;
		if (b >= end)
			break;
		valid = ~0ull;
		/* Most blocks (86% of an lhgen export's) hold no quote and no
		 * line end, and none of the fields located: outside quotes,
		 * such a block only adds its commas to the count. What is
		 * left for the general step above is the rest. */
		if (!(inq | closer0) && end - b >= 64) {
			size_t want_at = next_wanted(rec, fi, last, mode);
			uint64_t c;

			while (end - b >= 64) {
				__builtin_prefetch(b + SCAN_AHEAD);
				if (pass_plain(b, &c, avx2))
					break;
				ncommas = pass_count(c, avx2);
				if (fi + ncommas >= want_at)
					break;
				fi += ncommas;
				start0 = c >> 63;
				b += 64;
			}
			if (b >= end)
				break;
		}
		__builtin_prefetch(b + SCAN_AHEAD);
		block_get(b, b, end, &m, avx2);
	}
	/* The input ends the record (the caller said eof): the last field
	 * must not be left open. */
	if (inq)
		return 0;
	if (wanted(rec, fi, mode))
		put_field(rec, fi, fs, end);
	if (mode == PASS_LOCATE)
		return 1;
	rec->nf = fi + 1;
	rec->body_nl = nl;
	*next = end;
	return 1;
}

/* With a gate, the record is checked and counted locating only the gate
 * field; the other wanted fields are located (by a pass that stops after
 * the last) only if it lets the record through. */
static inline __attribute__((always_inline)) int
scan_record(const char *p, const char *end, struct csvrec *rec,
    const char **next, int avx2)
{
	struct csv_field *g;

	if (rec->gate_val == NULL)
		return scan_pass(p, end, rec, next, avx2, PASS_ALL);
	if (rec->gate >= rec->cap)
		rec->f = xgrow(rec->f, &rec->cap, rec->gate + 1, sizeof *rec->f);
	g = &rec->f[rec->gate];
	g->p = NULL;
	if (!scan_pass(p, end, rec, next, avx2, PASS_GATE))
		return 0;
	/* A field with doubled quotes is unescaped by the caller, who
	 * decides. */
	if (g->p != NULL && !(g->flags & CSVF_ESCAPED) &&
	    (g->n != rec->gate_len || memcmp(g->p, rec->gate_val, g->n) != 0)) {
		rec->gated = 1;
		return 1;
	}
	return scan_pass(p, end, rec, next, avx2, PASS_LOCATE);
}

static int
scan_sse2(const char *p, const char *end, struct csvrec *rec,
    const char **next)
{
	return scan_record(p, end, rec, next, 0);
}

#ifdef HAVE_AVX2_PATH
__attribute__((target("avx2,pclmul,popcnt"))) static int
scan_avx2(const char *p, const char *end, struct csvrec *rec,
    const char **next)
{
	return scan_record(p, end, rec, next, 1);
}
#endif
#endif

enum csvscan_path
csvscan_path_chosen(void)
{
	const char *e = secure_getenv("LOGONHUNT_SIMD");
	enum csvscan_path best = CSVSCAN_SCALAR;

#ifdef __SSE2__
	best = CSVSCAN_SSE2;
#ifdef HAVE_AVX2_PATH
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") &&
	    __builtin_cpu_supports("popcnt"))
		best = CSVSCAN_AVX2;
#endif
#endif
	if (e != NULL && strcmp(e, "scalar") == 0)
		return CSVSCAN_SCALAR;
	if (e != NULL && strcmp(e, "sse2") == 0 && best >= CSVSCAN_SSE2)
		return CSVSCAN_SSE2;
	return best;
}

const char *
csvscan_path_name(enum csvscan_path path)
{
	switch (path) {
	case CSVSCAN_AVX2:
		return "avx2";
	case CSVSCAN_SSE2:
		return "sse2";
	case CSVSCAN_SCALAR:
		break;
	}
	return "scalar";
}

void
csvrec_want(struct csvrec *rec, const unsigned char *want, size_t n)
{
	size_t i;
	uint32_t at = UINT32_MAX;

	rec->want = want;
	rec->nwant = n;
	rec->want_last = 0;
	free(rec->next_want);
	rec->next_want = NULL;
	if (want == NULL)
		return;
	rec->next_want = xmalloc((n ? n : 1) * sizeof *rec->next_want);
	for (i = n; i-- > 0;) {
		if (want[i])
			at = (uint32_t)i;
		if (want[i] && rec->want_last == 0)
			rec->want_last = i;
		rec->next_want[i] = at;
	}
}

void
csvrec_gate(struct csvrec *rec, size_t col, const char *value)
{
	rec->gate = col;
	rec->gate_val = value;
	rec->gate_len = value != NULL ? strlen(value) : 0;
}

void
csvrec_begin(struct csvrec *rec, const char *lo, const char *hi)
{
	rec->lo = lo;
	rec->hi = hi;
	rec->blk = NULL;
}

enum csvscan_result
csvscan_next(const char *p, const char *end, int eof, struct csvrec *rec,
    const char **next, enum csvscan_error *err)
{
	const char *q, *fs, *blk = NULL;
	uint32_t flags, mask = 0;

	*err = CSVERR_NONE;
	rec->nf = 0;
	rec->lead_nl = rec->body_nl = 0;
	rec->gated = 0;
	/* Blank lines between records are not records (libcsv without
	 * CSV_REPALL_NL skips them too). */
	while (p < end && (*p == '\n' || *p == '\r')) {
		rec->lead_nl += *p == '\n';
		p++;
	}
	*next = p;
	if (p == end)
		return eof ? CSVSCAN_END : CSVSCAN_MORE;
	rec->start = p;
	if (rec->path == 0)
		rec->path = (int)csvscan_path_chosen();
#ifdef __SSE2__
	if (eof && rec->path != CSVSCAN_SCALAR) {
#ifdef HAVE_AVX2_PATH
		if (rec->path == CSVSCAN_AVX2 ? scan_avx2(p, end, rec, next) :
		    scan_sse2(p, end, rec, next))
#else
		if (scan_sse2(p, end, rec, next))
#endif
			return CSVSCAN_RECORD;
		rec->nf = 0;
		rec->body_nl = 0;
		*next = p;
	}
#endif
	q = p;
	for (;;) {
		if (q < end && *q == '"') {
			/* Quoted field: runs to a quote not followed by another. */
			fs = ++q;
			flags = CSVF_QUOTED;
			for (;;) {
				const char *qq = memchr(q, '"', (size_t)(end - q));
				const char *nl;

				for (nl = q; (nl = memchr(nl, '\n', (size_t)((qq ? qq : end) - nl))) != NULL; nl++)
					rec->body_nl++;
				if (qq == NULL) {
					if (!eof)
						return CSVSCAN_MORE;
					*next = fs - 1;
					*err = CSVERR_UNTERMINATED;
					return CSVSCAN_ERROR;
				}
				if (qq + 1 == end && !eof)
					return CSVSCAN_MORE;
				if (qq + 1 < end && qq[1] == '"') {
					flags |= CSVF_ESCAPED;
					q = qq + 2;
					continue;
				}
				rec_push(rec, fs, (size_t)(qq - fs), flags);
				q = qq + 1;
				break;
			}
			if (q < end && *q != ',' && *q != '\n' && *q != '\r') {
				*next = q;
				*err = CSVERR_AFTER_QUOTE;
				return CSVSCAN_ERROR;
			}
		} else {
			fs = q;
			q = next_stop(q, end, &blk, &mask);
			if (q < end && *q == '"') {
				*next = q;
				*err = CSVERR_QUOTE_IN_FIELD;
				return CSVSCAN_ERROR;
			}
			if (q == end && !eof)
				return CSVSCAN_MORE;
			rec_push(rec, fs, (size_t)(q - fs), 0);
		}
		if (q == end) {
			*next = q;
			return CSVSCAN_RECORD;
		}
		if (*q == ',') {
			q++;
			continue;
		}
		/* CR or LF ends the record; a following LF is a blank line
		 * for the next call, which counts it. */
		rec->body_nl += *q == '\n';
		*next = q + 1;
		return CSVSCAN_RECORD;
	}
}

void
csvrec_free(struct csvrec *rec)
{
	free(rec->f);
	rec->f = NULL;
	rec->nf = rec->cap = 0;
	free(rec->next_want);
	rec->next_want = NULL;
	rec->want = NULL;
	rec->nwant = 0;
	rec->blk = NULL;
}

const char *
csvscan_strerror(enum csvscan_error err)
{
	switch (err) {
	case CSVERR_QUOTE_IN_FIELD:
		return "a double quote inside an unquoted field (a field that "
		    "contains quotes must be enclosed in quotes, with inner "
		    "quotes doubled)";
	case CSVERR_AFTER_QUOTE:
		return "a character after the closing quote of a field (inner "
		    "quotes must be doubled)";
	case CSVERR_UNTERMINATED:
		return "a quoted field is never closed (the file may be "
		    "truncated)";
	case CSVERR_NONE:
		break;
	}
	return "no error";
}

struct lh_str
csv_field_value(const struct csv_field *f, struct buf *scratch)
{
	const uint64_t ones = 0x0101010101010101ull;
	struct lh_str s = { f->p, f->n };
	uint64_t w, m;
	size_t i = 0, k;
	char *o;

	if (!(f->flags & CSVF_ESCAPED))
		return s;
	/* The scanner paired every quote inside: each is kept and its twin
	 * skipped. Eight bytes are copied at a time up to the next quote
	 * (the lowest bit of the zero-byte test marks it exactly), as the
	 * runs between quotes are short in the JSON columns that have them:
	 * a memchr and a copy call per run cost more than the bytes. Room
	 * once for the value and a word past it. */
	buf_reset(scratch);
	scratch->p = xgrow(scratch->p, &scratch->cap, (size_t)f->n + 9, 1);
	o = scratch->p;
	while (i + 8 <= f->n) {
		memcpy(&w, f->p + i, 8);
		memcpy(o, &w, 8);
		w ^= ones * '"';
		m = (w - ones) & ~w & (ones << 7);
		if (m == 0) {
			i += 8;
			o += 8;
			continue;
		}
		k = (size_t)__builtin_ctzll(m) / 8;
		o += k + 1;
		i += k + 2;
	}
	for (; i < f->n; i++) {
		*o++ = f->p[i];
		i += f->p[i] == '"';
	}
	scratch->len = (size_t)(o - scratch->p);
	*o = '\0';
	s.p = scratch->p;
	s.n = scratch->len;
	return s;
}
