#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "par.h"
#include "ts.h"

int
output_format_parse(const char *s, enum out_format *out)
{
	if (strcmp(s, "csv") == 0)
		*out = OUT_CSV;
	else if (strcmp(s, "json") == 0)
		*out = OUT_JSON;
	else if (strcmp(s, "table") == 0)
		*out = OUT_TABLE;
	else
		return -1;
	return 0;
}

/* Bytes that make a CSV field need quotes; first bytes OUT_NEUTRALISE
 * defuses (NUL among them: output_csv_field's strchr finds the
 * terminator). */
static const unsigned char csv_quoted[256] = {
	[','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1,
};
static const unsigned char csv_defused[256] = {
	['\0'] = 1, ['='] = 1, ['+'] = 1, ['-'] = 1, ['@'] = 1, ['\t'] = 1,
	['\r'] = 1,
};

/* output_csv_field for the common field, which needs neither quotes nor
 * a defusing quote nor escapes: copied as it is, without a call. */
static inline void
csv_put(struct buf *b, const char *s, size_t n, unsigned flags)
{
	size_t i;

	if ((flags & OUT_TERMINAL) ||
	    ((flags & OUT_NEUTRALISE) && n > 0 && csv_defused[(unsigned char)s[0]])) {
		output_csv_field(b, s, n, flags);
		return;
	}
	for (i = 0; i < n; i++)
		if (csv_quoted[(unsigned char)s[i]]) {
			output_csv_field(b, s, n, flags);
			return;
		}
	/* Room for a separator and the terminating NUL after it. */
	if (b->len + n + 2 > b->cap)
		b->p = xgrow(b->p, &b->cap, b->len + n + 2, 1);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* A separator or line end after csv_put: the NUL follows at the end. */
static inline void
csv_sep(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		b->p = xgrow(b->p, &b->cap, b->len + 2, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

/* How many rows ahead of the one written the prefetches of its group,
 * its strings' entries and their bytes are asked for (hunt_prefetch). */
#define AHEAD_GROUP 12
#define AHEAD_ENTRY 8
#define AHEAD_BYTES 4

void
output_csv_field(struct buf *b, const char *s, size_t n, unsigned flags)
{
	int quote = 0, defuse = 0;
	struct buf esc = { 0 };
	size_t i;

	if ((flags & OUT_NEUTRALISE) && n > 0 && strchr("=+-@\t\r", s[0]) != NULL)
		defuse = 1;
	if (flags & OUT_TERMINAL) {
		/* For eyes, not programs: what a terminal would act on is
		 * shown as the table shows it. */
		buf_add_escaped(&esc, s, n);
		s = esc.p;
		n = esc.len;
	}
	for (i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (quote)
		buf_addc(b, '"');
	if (defuse)
		buf_addc(b, '\'');
	if (!quote)
		buf_add(b, s, n);
	else
		/* Runs up to and including each quote, which is then
		 * doubled. */
		for (i = 0; i < n;) {
			const char *q = memchr(s + i, '"', n - i);
			size_t run = q != NULL ? (size_t)(q - (s + i)) + 1 : n - i;

			buf_add(b, s + i, run);
			if (q != NULL)
				buf_addc(b, '"');
			i += run;
		}
	if (quote)
		buf_addc(b, '"');
	buf_free(&esc);
}

/* Appends \uXXXX for cp, as a surrogate pair beyond the BMP. */
static void
json_u(struct buf *b, uint32_t cp)
{
	if (cp > 0xffff) {
		cp -= 0x10000;
		buf_addf(b, "\\u%04x\\u%04x", (unsigned)(0xd800 + (cp >> 10)),
		    (unsigned)(0xdc00 + (cp & 0x3ff)));
	} else
		buf_addf(b, "\\u%04x", (unsigned)cp);
}

static void
json_string(struct buf *b, const char *s, size_t n, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, run = 0, len = 1;
	uint32_t cp;

	buf_addc(b, '"');
	for (i = 0; i < n; i += len) {
		unsigned char c = p[i];

		len = 1;
		if (c >= 0x80 && (flags & OUT_TERMINAL)) {
			/* Same text, but no C1 control, bidi or invisible
			 * character reaches the terminal raw; a stray byte,
			 * which JSON cannot hold, shows as U+FFFD. */
			len = utf8_seq(p + i, n - i, &cp);
			if (len == 0) {
				len = 1;
				cp = 0xfffd;
			} else if (!utf8_cp_control(cp) && !utf8_cp_hidden(cp))
				continue;
			buf_add(b, s + run, i - run);
			run = i + len;
			json_u(b, cp);
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		buf_add(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		default: json_u(b, c);
		}
	}
	buf_add(b, s + run, n - run);
	buf_addc(b, '"');
}

void
output_json_string(struct buf *b, const char *s, size_t n)
{
	json_string(b, s, n, 0);
}

/* Column c of the summary and then of the extra columns. */
static const char *
col_name(size_t c, const struct out_extra *x)
{
	return c < HC_N ? hunt_col_name((enum hunt_col)c) :
	    x->name(x->ctx, c - HC_N);
}

static const char *
col_cell(struct hunt *h, uint32_t row, size_t c, const struct out_extra *x,
    char *tmp, size_t *len)
{
	return c < HC_N ? hunt_cell(h, &h->g[row], (enum hunt_col)c, tmp, len) :
	    x->cell(x->ctx, row, c - HC_N, tmp, len);
}

static void
summary_table(struct buf *b, struct hunt *h, const uint32_t *rows, size_t n,
    const struct out_extra *x, size_t ncol)
{
	size_t *width = xcalloc(ncol, sizeof *width), i, c, len, w;
	struct buf cell = { 0 };
	char tmp[TS_BUFSZ];
	const char *s;

	for (c = 0; c < ncol; c++)
		width[c] = strlen(col_name(c, x));
	for (i = 0; i < n; i++)
		for (c = 0; c < ncol; c++) {
			s = col_cell(h, rows[i], c, x, tmp, &len);
			buf_reset(&cell);
			buf_add_escaped(&cell, s, len);
			w = (size_t)utf8_width(cell.p, cell.len);
			if (w > width[c])
				width[c] = w;
		}
	for (c = 0; c < ncol; c++)
		buf_addf(b, "%s%-*s", c ? "  " : "",
		    c + 1 < ncol ? (int)width[c] : 0, col_name(c, x));
	buf_addc(b, '\n');
	for (i = 0; i < n; i++) {
		for (c = 0; c < ncol; c++) {
			s = col_cell(h, rows[i], c, x, tmp, &len);
			buf_reset(&cell);
			buf_add_escaped(&cell, s, len);
			w = (size_t)utf8_width(cell.p, cell.len);
			if (c)
				buf_add(b, "  ", 2);
			/* Numbers line up on the right. */
			if (c >= HC_INSTANCES && c < HC_N)
				for (; w < width[c]; w++)
					buf_addc(b, ' ');
			buf_add(b, cell.p, cell.len);
			if (c + 1 < ncol)
				for (; w < width[c]; w++)
					buf_addc(b, ' ');
		}
		buf_addc(b, '\n');
	}
	buf_free(&cell);
	free(width);
}

void
output_summary(struct buf *b, struct hunt *h, const uint32_t *rows, size_t n,
    enum out_format fmt, unsigned flags)
{
	output_summary_extra(b, h, rows, n, fmt, flags, NULL);
}

/* Gives b's text to the sink once there is enough of it (all of it when
 * last); -1 when the sink stops. */
static int
sink_flush(struct buf *b, const struct out_sink *sink, int last)
{
	int rc = 0;

	if (sink == NULL || (!last && b->len < OUT_CHUNK) || b->len == 0)
		return 0;
	rc = sink->write(sink->ctx, b->p, b->len);
	buf_reset(b);
	return rc;
}

/* Rows [from, to) of the n in rows, as CSV or JSON, appended to b and
 * given to the sink as b fills (sink NULL: kept in b); -1 when the sink
 * stops. */
static int
summary_rows(struct buf *b, struct hunt *h, const uint32_t *rows, size_t n,
    size_t from, size_t to, enum out_format fmt, unsigned flags,
    const struct out_extra *x, const struct out_sink *sink)
{
	char tmp[TS_BUFSZ];
	const char *s = "";
	size_t i, c, len = 0, ncol = HC_N + (x != NULL ? x->ncols : 0);

	for (i = from; i < to; i++) {
		const struct lh_group *g = &h->g[rows[i]];

		if (fmt == OUT_JSON) {
			buf_add(b, i ? ",\n {" : "\n {", i ? 4 : 3);
			for (c = 0; c < ncol; c++) {
				s = col_cell(h, rows[i], c, x, tmp, &len);
				buf_addf(b, "%s\"%s\": ", c ? ", " : "", col_name(c, x));
				if (c >= HC_INSTANCES && c < HC_N)
					buf_add(b, s, len);
				else if ((c == HC_EARLIEST || c == HC_LATEST) && len == 0)
					buf_add(b, "null", 4);
				else
					json_string(b, s, len, flags);
			}
			buf_addc(b, '}');
		} else {
			if (i + AHEAD_GROUP < n)
				hunt_prefetch(h, rows[i + AHEAD_GROUP], 0);
			if (i + AHEAD_ENTRY < n)
				hunt_prefetch(h, rows[i + AHEAD_ENTRY], 1);
			if (i + AHEAD_BYTES < n)
				hunt_prefetch(h, rows[i + AHEAD_BYTES], 2);
			for (c = 0; c < ncol; c++) {
				if (c)
					csv_sep(b, ',');
				/* A group of one logon (or of one time)
				 * ends when it starts: the same text. */
				if (!(c == HC_LATEST && g->last == g->first))
					s = col_cell(h, rows[i], c, x, tmp, &len);
				csv_put(b, s, len, flags);
			}
			csv_sep(b, '\n');
		}
		if (sink_flush(b, sink, 0) != 0)
			return -1;
	}
	return 0;
}

/* A piece of the rows for one of two threads. */
struct rows_part {
	struct buf *b;
	struct hunt *h;
	const uint32_t *rows;
	size_t n, from, to;
	enum out_format fmt;
	unsigned flags;
	const struct out_sink *sink;
	int rc;
};

static void
rows_part_run(void *arg)
{
	struct rows_part *p = arg;

	p->rc = summary_rows(p->b, p->h, p->rows, p->n, p->from, p->to,
	    p->fmt, p->flags, NULL, p->sink);
}

/* summary_rows on two threads: pieces of rows two at a time, the first
 * made here into b (and given to the sink), the second meanwhile on
 * another thread into a buffer of its own, then given or appended after
 * it: the same bytes in the same order. Formatting a million rows took a
 * fifth of a batch run with one core idle. */
static int
summary_rows_two(struct buf *b, struct hunt *h, const uint32_t *rows,
    size_t n, enum out_format fmt, unsigned flags,
    const struct out_sink *sink)
{
	size_t per = par_min() / 2, i;
	struct buf other = { 0 };
	struct rows_part here, there;
	int rc = 0;

	if (per == 0)
		per = 1;
	here.b = b;
	here.sink = sink;
	there.b = &other;
	there.sink = NULL;
	here.h = there.h = h;
	here.rows = there.rows = rows;
	here.n = there.n = n;
	here.fmt = there.fmt = fmt;
	here.flags = there.flags = flags;
	for (i = 0; i < n && rc == 0; i += 2 * per) {
		here.from = i;
		here.to = there.from = n - i < per ? n : i + per;
		there.to = n - there.from < per ? n : there.from + per;
		buf_reset(&other);
		if (there.from < there.to)
			par_two(rows_part_run, &here, rows_part_run, &there);
		else
			rows_part_run(&here);
		if ((rc = here.rc) != 0)
			break;
		if (sink == NULL) {
			if (other.len > 0)
				buf_add(b, other.p, other.len);
		}
		else if ((rc = sink_flush(b, sink, 1)) == 0 && other.len > 0)
			rc = sink->write(sink->ctx, other.p, other.len);
	}
	buf_free(&other);
	return rc;
}

int
output_summary_sink(struct buf *b, struct hunt *h, const uint32_t *rows,
    size_t n, enum out_format fmt, unsigned flags, const struct out_extra *x,
    const struct out_sink *sink)
{
	size_t c, ncol = HC_N + (x != NULL ? x->ncols : 0);
	int rc;

	switch (fmt) {
	case OUT_CSV:
	case OUT_JSON:
		if (fmt == OUT_CSV) {
			for (c = 0; c < ncol; c++)
				buf_addf(b, "%s%s", c ? "," : "", col_name(c, x));
			buf_addc(b, '\n');
		} else
			buf_add(b, "[", 1);
		/* The extra columns' cells come from callbacks that may
		 * keep state: those are made on this thread alone. */
		if (x == NULL && par_use(n))
			rc = summary_rows_two(b, h, rows, n, fmt, flags, sink);
		else
			rc = summary_rows(b, h, rows, n, 0, n, fmt, flags, x, sink);
		if (rc != 0)
			return -1;
		if (fmt == OUT_JSON)
			buf_add(b, n ? "\n]\n" : "]\n", n ? 3 : 2);
		break;
	case OUT_TABLE:
		summary_table(b, h, rows, n, x, ncol);
		break;
	}
	return sink_flush(b, sink, 1);
}

void
output_summary_extra(struct buf *b, struct hunt *h, const uint32_t *rows,
    size_t n, enum out_format fmt, unsigned flags, const struct out_extra *x)
{
	output_summary_sink(b, h, rows, n, fmt, flags, x, NULL);
}

void
output_funnel(struct buf *b, const struct hunt *h)
{
	const struct hunt_funnel *f = &h->f;

	buf_addf(b, "DeviceLogonEvents rows      %12" PRIu64 "\n", f->rows[LH_LOGONS]);
	buf_addf(b, "DeviceNetworkInfo rows      %12" PRIu64 "  (%" PRIu64 " distinct device IPs)\n",
	    f->rows[LH_NETWORK], f->device_ips);
	buf_addf(b, "IdentityLogonEvents rows    %12" PRIu64 "  (%" PRIu64 " distinct IPs %s)\n",
	    f->rows[LH_IDENTITY], f->identity_ips,
	    h->opts.identity == HUNT_IDENTITY_INTERNAL ? "with ISP == INTERNAL_NETWORK" :
	    "with ISP != INTERNAL_NETWORK");
	if (f->other_records)
		buf_addf(b, "Other tables' records       %12" PRIu64 "  (streaming export; skipped)\n",
		    f->other_records);
	buf_addf(b, "Public logons               %12" PRIu64 "\n", f->public_logons);
	if (h->opts.from != TS_NONE || h->opts.until != TS_NONE)
		buf_addf(b, "  outside the time window   %12" PRIu64 "\n", f->removed_window);
	buf_addf(b, "  removed: device IP join   %12" PRIu64 "\n", f->removed_device);
	buf_addf(b, "  removed: identity join    %12" PRIu64 "\n", f->removed_identity);
	buf_addf(b, "  removed: exclusions       %12" PRIu64 "  (%" PRIu64 " groups)\n",
	    f->removed_excl_events, f->removed_excl_groups);
	buf_addf(b, "Events in the summary       %12" PRIu64 "\n", f->events);
	buf_addf(b, "Groups                      %12" PRIu64 "\n", f->groups);
}
