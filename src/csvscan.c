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

enum csvscan_result
csvscan_next(const char *p, const char *end, int eof, struct csvrec *rec,
    const char **next, enum csvscan_error *err)
{
	const char *q, *fs, *blk = NULL;
	uint32_t flags, mask = 0;

	*err = CSVERR_NONE;
	rec->nf = 0;
	rec->lead_nl = rec->body_nl = 0;
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
	struct lh_str s = { f->p, f->n };
	size_t i;

	if (!(f->flags & CSVF_ESCAPED))
		return s;
	buf_reset(scratch);
	for (i = 0; i < f->n;) {
		const char *q = memchr(f->p + i, '"', f->n - i);
		size_t run = q ? (size_t)(q - (f->p + i)) + 1 : f->n - i;

		/* Copy up to and including a quote, then skip its twin. */
		buf_add(scratch, f->p + i, run);
		i += run + (q != NULL);
	}
	s.p = scratch->p;
	s.n = scratch->len;
	return s;
}
