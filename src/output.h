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

int output_format_parse(const char *s, enum out_format *out);

/* Appends a CSV field, quoted only if it holds , " CR or LF (RFC 4180).
 * With OUT_NEUTRALISE a value starting with = + - @ (or TAB/CR) gets a
 * leading apostrophe, as OWASP advises against formula injection. */
void output_csv_field(struct buf *b, const char *s, size_t n, unsigned flags);
/* Appends a JSON string literal. */
void output_json_string(struct buf *b, const char *s, size_t n);

/* The summary rows, in the order given. */
void output_summary(struct buf *b, struct hunt *h, const uint32_t *rows,
    size_t n, enum out_format fmt, unsigned flags);
/* The funnel, as lines of text for stderr. */
void output_funnel(struct buf *b, const struct hunt *h);

#endif
