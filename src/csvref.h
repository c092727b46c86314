/* The reference CSV reader, built on libcsv (strict mode, no space
 * trimming). It yields the same records as csvscan; the loader can use
 * either (--csv-parser), drill-down reads raw events with it, and the
 * differential tests hold csvscan to it. */
#ifndef LH_CSVREF_H
#define LH_CSVREF_H

#include "csvscan.h"

/* Called per record; fields hold unescaped values (flags are 0). Return
 * nonzero to stop early. */
typedef int (*csvref_cb)(void *ctx, const struct csvrec *rec);

/* Parses [p, end) as a complete input. Returns 0 when all was read or the
 * callback stopped it, -1 on malformed input (then *err and *errpos say
 * what and where). */
int csvref_scan(const char *p, const char *end, csvref_cb cb, void *ctx,
    enum csvscan_error *err, const char **errpos);

#endif
