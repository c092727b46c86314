/* Writing results: the summary as CSV, JSON or an aligned table, the
 * funnel, and the field encoders the exports share. */
#ifndef LH_OUTPUT_H
#define LH_OUTPUT_H

#include <stdio.h>

#include "hunt.h"
#include "util.h"

enum out_format { OUT_CSV, OUT_JSON, OUT_TABLE };

/* Output options. */
#define OUT_NEUTRALISE 1u	/* CSV: defuse cells a spreadsheet would run */
#define OUT_TERMINAL 2u		/* CSV, JSON: for a terminal, see below */

int output_format_parse(const char *s, enum out_format *out);

/* Appends a CSV field, quoted only if it holds , " CR or LF (RFC 4180).
 * With OUT_NEUTRALISE a value starting with = + - @ (or TAB/CR) gets a
 * leading apostrophe, as OWASP advises against formula injection.
 * With OUT_TERMINAL the field's text is escaped first as buf_add_escaped
 * does (\x1b, \u200b, a backslash doubled): for a terminal, not a program. */
void output_csv_field(struct buf *b, const char *s, size_t n, unsigned flags);
/* Appends a JSON string literal (exact: only what JSON requires is
 * escaped). */
void output_json_string(struct buf *b, const char *s, size_t n);

/* The summary rows, in the order given. flags: OUT_NEUTRALISE for CSV;
 * OUT_TERMINAL when the text goes to a terminal: CSV fields escaped as
 * above, and JSON strings with C1 controls, bidi and invisible characters
 * (utf8_cp_control, utf8_cp_hidden) as \u escapes, the same JSON value.
 * The table is always escaped, and aligned by display width (utf8_width). */
void output_summary(struct buf *b, struct hunt *h, const uint32_t *rows,
    size_t n, enum out_format fmt, unsigned flags);
/* Columns appended after the summary's (the enrichment's, triage's), so
 * that the summary's writer knows nothing of where they come from. cell
 * gets the group's index in h->g and a buffer of TS_BUFSZ bytes. */
struct out_extra {
	size_t ncols;
	const char *(*name)(void *ctx, size_t col);
	const char *(*cell)(void *ctx, uint32_t group, size_t col, char *buf,
	    size_t *len);
	void *ctx;
};
/* The summary with the extra columns (x may be NULL); extra cells are
 * strings in JSON. */
void output_summary_extra(struct buf *b, struct hunt *h, const uint32_t *rows,
    size_t n, enum out_format fmt, unsigned flags, const struct out_extra *x);
/* Where a summary goes as it is made, so that a million rows never sit
 * whole in memory: write gets the text in pieces of about OUT_CHUNK bytes
 * and returns 0, or -1 to stop (the summary is then cut short). */
#define OUT_CHUNK (1u << 20)
struct out_sink {
	int (*write)(void *ctx, const char *p, size_t n);
	void *ctx;
};
/* output_summary_extra through sink (NULL: all of it in b, as there).
 * With a sink, b is scratch, left empty. The table (OUT_TABLE) is made
 * whole, its widths being those of every row, then given to the sink.
 * Returns 0, or -1 when the sink stopped it. */
int output_summary_sink(struct buf *b, struct hunt *h, const uint32_t *rows,
    size_t n, enum out_format fmt, unsigned flags, const struct out_extra *x,
    const struct out_sink *sink);
/* The funnel, as lines of text for stderr. */
void output_funnel(struct buf *b, const struct hunt *h);

#endif
