/* A fast RFC 4180 record scanner over a memory buffer.
 *
 * It accepts exactly what libcsv accepts with CSV_STRICT | CSV_STRICT_FINI
 * and no space trimming (see csvref.c, the reference reader), and yields the
 * same fields: fields point into the buffer instead of being copied, and a
 * quoted field that holds doubled quotes is flagged so that only the fields
 * a caller actually reads get unescaped. tests/unit proves the two agree on
 * every test file and on random inputs. */
#ifndef LH_CSVSCAN_H
#define LH_CSVSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define CSVF_QUOTED 1u	/* the field was in quotes */
#define CSVF_ESCAPED 2u	/* ... and holds "" pairs still to be undoubled */

struct csv_field {
	const char *p;	/* raw bytes, without the enclosing quotes */
	uint32_t n;
	uint32_t flags;
};

struct csvrec {
	struct csv_field *f;
	size_t nf, cap;
	const char *start;	/* first byte of the record */
	uint32_t lead_nl;	/* blank-line LFs skipped before the record */
	uint32_t body_nl;	/* LFs inside the record and its terminator */
	/* Set with csvrec_want: want[i] says field i is read; the others
	 * may be left unset in f (nf still counts them). NULL: every field. */
	const unsigned char *want;
	size_t nwant;
	/* The scanner's own, kept between calls. */
	uint32_t *next_want;	/* per field: the first wanted one from it */
	size_t want_last;	/* the last wanted field (0: none, or 0) */
	int path;		/* enum csvscan_path; 0 until the first call */
	const char *lo, *hi;	/* csvrec_begin's buffer */
	const char *blk;	/* the last 64-byte block classified in it */
	uint64_t blk_quote, blk_comma, blk_end, blk_lf;	/* and its bits */
	/* Set with csvrec_gate. */
	size_t gate;
	const char *gate_val;
	size_t gate_len;
	/* Set by the scanner: the gate field is there and is not gate_val,
	 * and it alone of the wanted fields was located (f[gate]). */
	int gated;
};

/* The structural pass's instruction sets. LOGONHUNT_SIMD=avx2|sse2|scalar
 * chooses one (a set the processor lacks gives the best one it has);
 * without it, the best is used. scalar is the byte-wise scanner alone. */
enum csvscan_path { CSVSCAN_SCALAR = 1, CSVSCAN_SSE2, CSVSCAN_AVX2 };

enum csvscan_result {
	CSVSCAN_RECORD,		/* *rec holds a record; *next is past it */
	CSVSCAN_MORE,		/* the record continues past end: supply more */
	CSVSCAN_END,		/* only blank lines were left (eof set) */
	CSVSCAN_ERROR		/* malformed: *next points at the bad byte */
};

/* The error kinds, for messages. */
enum csvscan_error {
	CSVERR_NONE,
	CSVERR_QUOTE_IN_FIELD,	/* a quote inside an unquoted field */
	CSVERR_AFTER_QUOTE,	/* a character after a closing quote */
	CSVERR_UNTERMINATED	/* end of file inside a quoted field */
};

/* Scans one record from p. With eof set, end is the end of the input.
 * On CSVSCAN_ERROR *err says why. */
enum csvscan_result csvscan_next(const char *p, const char *end, int eof,
    struct csvrec *rec, const char **next, enum csvscan_error *err);
void csvrec_free(struct csvrec *rec);
/* Reads only the fields i < n with want[i] (want is kept, not copied). */
void csvrec_want(struct csvrec *rec, const unsigned char *want, size_t n);
/* A record whose field col is not exactly value (after unquoting) is
 * one the caller only counts: for it the scanner locates that field
 * alone and sets gated. value NULL: no gate. The record is checked and
 * its fields counted as any other. */
void csvrec_gate(struct csvrec *rec, size_t col, const char *value);
/* Declares that the calls that follow read records from [lo, hi), which
 * does not change meanwhile, with hi as end and eof set: each 64-byte
 * block is then classified once, not once per record that touches it. */
void csvrec_begin(struct csvrec *rec, const char *lo, const char *hi);
/* The path LOGONHUNT_SIMD and the processor give, and its name. */
enum csvscan_path csvscan_path_chosen(void);
const char *csvscan_path_name(enum csvscan_path path);
const char *csvscan_strerror(enum csvscan_error err);

/* Returns the field's value, undoubling quotes into scratch if needed. */
struct lh_str csv_field_value(const struct csv_field *f, struct buf *scratch);

#endif
