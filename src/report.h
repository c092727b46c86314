/* The handoff report: one self-contained HTML file (inline CSS, inline
 * SVG, no script, nothing fetched) or Markdown with the same content,
 * saying what was found (the funnel, charts of the top accounts and IPs,
 * the groups with a timeline each, optionally their raw events) and how
 * (a manifest: version, command line, time, inputs with SHA-256, window,
 * identity filter, exclusions with every active rule and its hits), so a
 * second analyst can rerun the hunt and compare.
 *
 * Every field from the data is hostile: each is escaped for the context
 * it lands in (HTML text or attribute, SVG text, a Markdown code span),
 * after the terminal escaping that makes controls and bidirectional
 * overrides visible. Features that add a column to the groups (the triage
 * ledger's Status, Verdict and Note; an enrichment's Country) or a line to
 * the manifest (an enrichment source and its date) pass them in as
 * report_extra and report_fact, without this module knowing them. */
#ifndef LH_REPORT_H
#define LH_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "excl.h"
#include "hunt.h"
#include "rawevent.h"
#include "util.h"

enum report_format { REPORT_HTML, REPORT_MD };

#define REPORT_EVENTS 1u	/* the raw events of the reported groups */
#define REPORT_ANONYMIZE 2u	/* accounts, devices, IPs as pseudonyms */

/* Groups beyond these get no timeline / no place in the charts, so that
 * 50,000 groups stay a file a browser opens in seconds. */
#define REPORT_MAX_TIMELINES 1000
#define REPORT_TOP_N 10
/* Long tables are written in pieces of this many rows, each laid out by
 * the browser only when scrolled to. */
#define REPORT_CHUNK 500
/* Extra columns beyond these are left out. */
#define REPORT_MAX_EXTRA 8

/* Columns added to the groups table after DistinctMachines, in the shape
 * of the summary writer's extra columns (the triage ledger's Status,
 * Verdict and Note, an enrichment's Country), so that one set of
 * callbacks serves both: name gives column col's name (ours), cell the
 * text for group g (an index into h->g) in buf (TS_BUFSZ bytes) or
 * elsewhere, which the report escapes. */
struct report_extra {
	size_t ncols;
	const char *(*name)(void *ctx, size_t col);
	const char *(*cell)(void *ctx, uint32_t g, size_t col, char *buf,
	    size_t *len);
	void *ctx;
};

/* A line added to the manifest: name (ours) and value (escaped). */
struct report_fact {
	const char *name;
	const char *value;
};

struct report_input {
	const char *version;
	const char *cmdline;	/* as run; NULL from the console */
	time_t started;		/* when the run began */
	double elapsed;		/* seconds, up to the report (the console:
				 * the loading) */
	struct hunt *h;
	const uint32_t *rows;	/* the reported groups, in order */
	size_t n;
	int marked;		/* 1: the analyst's marked rows, not all shown */
	const struct excl_set *excl;	/* NULL: no exclusions */
	time_t now;		/* the moment the exclusions were compiled for */
	struct rawevent_reader *rr;	/* for REPORT_EVENTS */
	const struct report_extra *extra;	/* NULL: none */
	const struct report_fact *facts;
	size_t nfacts;
};

/* Splits text (lines ending in '\n', changed in place) into facts named
 * name, after the nfacts already in facts, up to max in all; returns the
 * new count. For the enrichment's sources, one line each. */
size_t report_facts_from_lines(char *text, const char *name,
    struct report_fact *facts, size_t nfacts, size_t max);

/* "html" or "md"; -1 if neither. */
int report_format_parse(const char *s, enum report_format *out);
/* The format a file name asks for (.html, .htm, .md, .markdown, any
 * case); -1 if its name says neither. */
int report_format_from_name(const char *path, enum report_format *out);

/* Builds the report into b. Returns 0, or -1 with *cause when an input
 * file or an event cannot be read back (b then holds a part). */
int report_build(struct buf *b, const struct report_input *in,
    enum report_format fmt, unsigned flags, char **cause);
/* Writes the report to path as it is made, in pieces, never whole in
 * memory (savefile_out: a regular file replaced atomically and untouched
 * when anything fails, a character device or FIFO written in place;
 * nowait as savefile_output has it). Returns 0, or -1 with *cause. */
int report_write(const char *path, int nowait, const struct report_input *in,
    enum report_format fmt, unsigned flags, char **cause);

/* The escapes, exposed for the tests: HTML text (also SVG text and a
 * quoted attribute value) and a Markdown code span (table cell when
 * in_table, where a pipe must be escaped too). Both first make controls,
 * invalid UTF-8 and bidirectional overrides visible as buf_add_escaped
 * does. */
void report_html_text(struct buf *b, const char *s, size_t n);
void report_md_code(struct buf *b, const char *s, size_t n, int in_table);

#endif
