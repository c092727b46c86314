/* CSV exports: the header decides whether the file holds a table (and
 * which, when the caller does not say) or the hunt's summary; a table's
 * header is mapped to the columns the hunt needs, the body split across
 * cores at record boundaries (or read by libcsv), each row checked and
 * handed to the table. */
#ifndef LH_CSVLOAD_H
#define LH_CSVLOAD_H

#include "loadjob.h"

/* Loads one CSV export held in memory (data may be a file mapping; pages
 * already parsed are handed back to the kernel as it goes). t: a table,
 * LOAD_DETECT or LOAD_DETECT_OPTIONAL. fmtflags (LOAD_FMT_GZIP) are added
 * to its lh_file.format. Returns 0, -1 with *cause, LOAD_CANCELLED, or
 * for an optional input LOAD_UNKNOWN or LOAD_SUMMARY with *cause. */
int csvload_file(struct table_data *d, struct load_run *run,
    const char *path, enum lh_table t, const char *data, size_t size,
    int fmtflags, char **cause);

#endif
