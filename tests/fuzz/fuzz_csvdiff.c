/* Fuzz target: the fast CSV scanner against libcsv (differential).
 *
 * Both readers get the same bytes as a whole input and must yield the
 * same records (field count, blank lines before, LFs inside, field values
 * after unescaping, where each record starts) and agree on whether the
 * input is malformed, and if so on the kind of error and the byte it
 * points at (the loader's message names both). The scanner must also behave as a streaming reader:
 * without eof it may only answer "more" for a record that touches the end,
 * and any record it does return must be the one it returns with eof.
 * Odd-sized inputs take the SSE2 pass, even-sized ones the best there is
 * (AVX2). Read again as the loader reads, with only some columns located
 * and a gate (both chosen by the first byte), the input must give the
 * same records, counts and located fields. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvref.h"
#include "csvscan.h"
#include "fuzz.h"

const char *const fuzz_dict[] = {
	"\"\"", "\",\"", "\"\r\n", "\r\n\r\n", ",,", "\"\"\"", "\n\"", NULL
};

/* Counts, offsets and raw values with their lengths: exact, and cheap
 * enough for libFuzzer's rates. Escaped only to show a difference. */
static void
render_rec(struct buf *out, const char *base, const struct csvrec *rec,
    int unescape, struct buf *scratch)
{
	size_t i;

	buf_addc(out, '[');
	fuzz_add_u64(out, rec->nf);
	fuzz_add_u64(out, rec->lead_nl);
	fuzz_add_u64(out, rec->body_nl);
	fuzz_add_u64(out, (uint64_t)(rec->start - base));
	for (i = 0; i < rec->nf; i++) {
		struct lh_str v = unescape ? csv_field_value(&rec->f[i], scratch) :
		    (struct lh_str){ rec->f[i].p, rec->f[i].n };
		fuzz_add_bytes(out, v.p, v.n);
	}
	buf_add(out, "]\n", 2);
}

struct ref_ctx {
	struct buf *out;
	const char *base;
	struct buf scratch;
};

static int
ref_cb(void *ctx, const struct csvrec *rec)
{
	struct ref_ctx *rc = ctx;

	render_rec(rc->out, rc->base, rec, 0, &rc->scratch);
	return 0;
}

static void
same_record(const struct csvrec *a, const struct csvrec *b, const char *base)
{
	size_t i;

	FUZZ_CHECK(a->nf == b->nf && a->start == b->start &&
	    a->lead_nl == b->lead_nl && a->body_nl == b->body_nl,
	    "streaming scan differs at offset %td", a->start - base);
	for (i = 0; i < a->nf; i++)
		FUZZ_CHECK(a->f[i].p == b->f[i].p && a->f[i].n == b->f[i].n &&
		    a->f[i].flags == b->f[i].flags,
		    "streaming scan: field %zu of the record at %td differs", i,
		    a->start - base);
}

/* Only the columns the first byte's bits name located, and with a gate on
 * one of the first eight: the blocks before, between and after them are
 * only counted, which must change nothing a caller reads. */
static void
check_wanted(const char *s, size_t size)
{
	const char *p = s, *end = s + size, *na, *ns;
	uint32_t h = size ? (unsigned char)s[0] * 2654435761u : 0;
	const char *gate = (h >> 3) & 1 ? "Public" : NULL;
	struct csvrec all = { 0 }, some = { 0 };
	enum csvscan_error ea, es;
	enum csvscan_result r1, r2;
	unsigned char want[16];
	size_t i, g = (h >> 4) % 8;

	for (i = 0; i < sizeof want; i++)
		want[i] = (h >> (i + 8)) & 1;
	csvrec_want(&some, want, sizeof want);
	csvrec_gate(&some, g, gate);
	csvrec_begin(&all, s, end);
	csvrec_begin(&some, s, end);
	for (;; p = na) {
		r1 = csvscan_next(p, end, 1, &all, &na, &ea);
		r2 = csvscan_next(p, end, 1, &some, &ns, &es);
		FUZZ_CHECK(r1 == r2 && na == ns, "reading some columns: %d at "
		    "%td, all: %d at %td", (int)r2, ns - s, (int)r1, na - s);
		if (r1 != CSVSCAN_RECORD)
			break;
		FUZZ_CHECK(all.nf == some.nf && all.lead_nl == some.lead_nl &&
		    all.body_nl == some.body_nl, "reading some columns counts "
		    "otherwise at %td", p - s);
		if (some.gated) {
			FUZZ_CHECK(gate != NULL && g < all.nf &&
			    all.f[g].p == some.f[g].p && all.f[g].n == some.f[g].n,
			    "gated record at %td: its gate field differs", p - s);
			continue;
		}
		for (i = 0; i < all.nf && i < sizeof want; i++)
			FUZZ_CHECK(!want[i] || (all.f[i].p == some.f[i].p &&
			    all.f[i].n == some.f[i].n &&
			    all.f[i].flags == some.f[i].flags),
			    "reading some columns: field %zu of the record at "
			    "%td differs", i, p - s);
	}
	csvrec_free(&all);
	csvrec_free(&some);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size, *p = s, *next, *next2;
	const char *errpos = NULL;
	struct csvrec rec = { 0 }, rec2 = { 0 };
	struct buf a = { 0 }, b = { 0 }, in = { 0 }, ea = { 0 }, eb = { 0 };
	struct buf scratch = { 0 };
	struct ref_ctx rc = { &b, s, { 0 } };
	enum csvscan_error err = CSVERR_NONE, err2, referr = CSVERR_NONE;
	enum csvscan_result r, r2;
	int ra = 0, rb;

	/* Both builds of the structural pass, one input in two each, reading
	 * as the loader reads: blocks on the grid of addresses, each kept
	 * from one record for the next. */
	setenv("LOGONHUNT_SIMD", size & 1 ? "sse2" : "avx2", 1);
	csvrec_begin(&rec, s, end);
	for (;;) {
		r = csvscan_next(p, end, 1, &rec, &next, &err);
		FUZZ_CHECK(next >= p && next <= end, "next outside the input");
		/* Without eof: "more" only if the record reaches the end;
		 * otherwise the very same answer. */
		r2 = csvscan_next(p, end, 0, &rec2, &next2, &err2);
		if (r2 == CSVSCAN_MORE)
			FUZZ_CHECK(r == CSVSCAN_END || next == end ||
			    (r == CSVSCAN_ERROR && err == CSVERR_UNTERMINATED),
			    "more wanted for a record that ends at %td of %zu",
			    next - s, size);
		else {
			FUZZ_CHECK(r2 == r, "streaming scan: %d, with eof: %d at %td",
			    (int)r2, (int)r, p - s);
			if (r == CSVSCAN_RECORD) {
				FUZZ_CHECK(next2 == next, "streaming scan ends elsewhere");
				same_record(&rec, &rec2, s);
			}
		}
		if (r == CSVSCAN_END)
			break;
		if (r == CSVSCAN_ERROR) {
			buf_add(&a, "ERROR\n", 6);
			ra = -1;
			break;
		}
		FUZZ_CHECK(next > p, "no progress at %td", p - s);
		render_rec(&a, s, &rec, 1, &scratch);
		p = next;
	}
	check_wanted(s, size);
	rb = csvref_scan(s, end, ref_cb, &rc, &referr, &errpos);
	if (rb != 0)
		buf_add(&b, "ERROR\n", 6);
	/* The loader's messages name the kind of error and its line. */
	if (ra != 0 && rb != 0) {
		fuzz_add_u64(&a, (uint64_t)err);
		fuzz_add_u64(&a, (uint64_t)(next - s));
		fuzz_add_u64(&b, (uint64_t)referr);
		fuzz_add_u64(&b, (uint64_t)(errpos - s));
	}
	if (ra != rb || a.len != b.len || (a.len && memcmp(a.p, b.p, a.len) != 0)) {
		fuzz_add_escaped(&in, s, size);
		fuzz_add_escaped(&ea, a.p, a.len);
		fuzz_add_escaped(&eb, b.p, b.len);
		fuzz_fail("the readers differ on \"%s\":\nscan:\n%s\nlibcsv:\n%s",
		    in.p, ea.p, eb.p);
	}
	csvrec_free(&rec);
	csvrec_free(&rec2);
	buf_free(&a);
	buf_free(&b);
	buf_free(&scratch);
	buf_free(&rc.scratch);
	return 0;
}
