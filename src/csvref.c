#include "config.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "csvref.h"

struct csvref_state {
	struct buf bytes;	/* the current record's field values */
	size_t *offs;		/* value offsets into bytes (it may move) */
	size_t noffs, capoffs;
	struct csvrec rec;
	int have_record;
};

static int
never_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void
on_field(void *data, size_t len, void *ctx)
{
	struct csvref_state *st = ctx;
	struct csv_field *f;

	st->offs = xgrow(st->offs, &st->capoffs, st->noffs + 1, sizeof *st->offs);
	st->offs[st->noffs++] = st->bytes.len;
	buf_add(&st->bytes, data, len);
	buf_addc(&st->bytes, '\0');
	if (st->rec.nf == st->rec.cap)
		st->rec.f = xgrow(st->rec.f, &st->rec.cap, st->rec.nf + 1,
		    sizeof *st->rec.f);
	f = &st->rec.f[st->rec.nf++];
	f->n = (uint32_t)len;
	f->flags = 0;
}

static void
on_record(int term, void *ctx)
{
	struct csvref_state *st = ctx;
	size_t i;

	(void)term;
	for (i = 0; i < st->rec.nf; i++)
		st->rec.f[i].p = st->bytes.p + st->offs[i];
	st->have_record = 1;
}

/* libcsv does not say where the unclosed quoted field began. Everything
 * from p parsed, so outside quotes a '"' can only open a field: the last
 * one opened and never closed is it. */
static const char *
open_quote(const char *p, const char *end)
{
	const char *open = p;
	int quoted = 0;

	for (; p < end; p++) {
		if (*p != '"')
			continue;
		if (!quoted) {
			open = p;
			quoted = 1;
		} else if (p + 1 < end && p[1] == '"')
			p++;
		else
			quoted = 0;
	}
	return open;
}

static void
rec_clear(struct csvref_state *st)
{
	buf_reset(&st->bytes);
	st->noffs = 0;
	st->rec.nf = 0;
	st->have_record = 0;
}

int
csvref_scan(const char *p, const char *end, csvref_cb cb, void *ctx,
    enum csvscan_error *err, const char **errpos)
{
	struct csv_parser parser;
	struct csvref_state st = { 0 };
	const char *piece = p, *nl, *rec_start = NULL;
	uint32_t nl_before = 0;	/* LFs seen before the current record */
	size_t len, used;
	int rc = 0, stop = 0;

	*err = CSVERR_NONE;
	csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_space_func(&parser, never_space);
	/* Feeding line by line lets us know where each record starts,
	 * which libcsv itself does not report. */
	while (piece < end && !stop) {
		if (rec_start == NULL) {
			/* Between records: blank lines are skipped by both readers. */
			while (piece < end && (*piece == '\n' || *piece == '\r')) {
				nl_before += *piece == '\n';
				piece++;
			}
			if (piece == end)
				break;
			rec_start = piece;
			st.rec.lead_nl = nl_before;
			st.rec.body_nl = 0;
			nl_before = 0;
		}
		/* Pieces end at each CR or LF, so one piece completes at most
		 * one record. */
		for (nl = piece; nl < end && *nl != '\n' && *nl != '\r'; nl++)
			;
		len = nl < end ? (size_t)(nl - piece) + 1 : (size_t)(end - piece);
		used = csv_parse(&parser, piece, len, on_field, on_record, &st);
		if (used != len) {
			*errpos = piece + used;
			*err = parser.quoted ? CSVERR_AFTER_QUOTE : CSVERR_QUOTE_IN_FIELD;
			rc = -1;
			break;
		}
		if (nl < end && *nl == '\n')
			st.rec.body_nl++;
		piece += len;
		if (st.have_record) {
			st.rec.start = rec_start;
			stop = cb(ctx, &st.rec);
			rec_clear(&st);
			rec_start = NULL;
		}
	}
	if (rc == 0 && !stop) {
		if (csv_fini(&parser, on_field, on_record, &st) != 0) {
			*errpos = open_quote(rec_start, end);
			*err = CSVERR_UNTERMINATED;
			rc = -1;
		} else if (st.have_record) {
			st.rec.start = rec_start;
			cb(ctx, &st.rec);
		}
	}
	csv_free(&parser);
	buf_free(&st.bytes);
	free(st.offs);
	free(st.rec.f);
	return rc;
}
