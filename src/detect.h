/* Telling what an input holds from its content: CSV or JSON, and which
 * table (or the hunt's summary, exported from Sentinel or Defender) a set
 * of column names belongs to. */
#ifndef LH_DETECT_H
#define LH_DETECT_H

#include <stddef.h>

#include "load.h"
#include "table.h"

enum detect_syntax { DETECT_EMPTY, DETECT_CSV, DETECT_JSON };

/* The summary's columns, in the hunt's output order. */
enum { SC_DOMAIN, SC_NAME, SC_LOGONTYPE, SC_REMOTEIP, SC_ACTIONTYPE,
	SC_EARLIEST, SC_LATEST, SC_INSTANCES, SC_DISTINCT, SC_N };

/* What rows of one input go to. */
struct detect_target {
	int summary;		/* the hunt's result, not a table */
	enum lh_table table;	/* when not summary */
};

/* The number of bytes of UTF-8 byte order mark at the start (0 or 3). */
size_t detect_bom(const char *p, size_t n);
/* JSON if the first byte after any BOM and whitespace is '{' or '['. */
enum detect_syntax detect_syntax(const char *p, size_t n);
/* The table a file name starts with (ignoring case), or LOAD_DETECT. */
enum lh_table detect_name(const char *path);

const char *detect_summary_col(size_t i);
/* The summary column a name is (exact), or -1. */
int detect_summary_slot(const char *name, size_t n);
/* The slot name fills in the target, or -1. */
int detect_slot(const struct detect_target *tg, const char *name, size_t n);
size_t detect_ncols(const struct detect_target *tg);

/* Decides from column names what the rows are: the summary if all nine of
 * its columns are there; else the hinted table, which must have every
 * column the hunt needs; else (hint LOAD_DETECT or LOAD_DETECT_OPTIONAL)
 * the one table whose columns are all there. Returns 0, or -1 with *why
 * (a sentence to follow "path: "), or -2 with *why for a summary when the
 * hint is LOAD_DETECT_OPTIONAL: only a summary named by the user loads. */
int detect_columns(enum lh_table hint, const struct lh_str *names, size_t n,
    struct detect_target *tg, char **why);

#endif
