/* The hunt's own result, run in Sentinel or Defender and exported (the nine
 * summary columns AccountDomain ... DistinctMachines), loaded as it is into
 * table_data's presummary instead of being computed from events. The
 * columns are recognised by name in any order; other columns are ignored. */
#ifndef LH_SUMLOAD_H
#define LH_SUMLOAD_H

#include <stdint.h>

#include "detect.h"
#include "loadjob.h"

struct sumload_row {
	int64_t first, last;	/* TS_NONE if empty or not ISO 8601 */
	uint64_t count;
	uint32_t devices;
	int bad_ts;		/* a timestamp was there but did not parse */
};

/* Converts one row's values (vals[SC_*], as text: JSON numbers as their
 * text). Returns 0, or -1 with *why naming the column and what it needs. */
int sumload_values(const struct lh_str vals[SC_N], struct sumload_row *out,
    char **why);
/* Loads a CSV summary held in memory; fmtflags (LOAD_FMT_GZIP) go to its
 * lh_file.format along with LOAD_FMT_CSV | LOAD_FMT_SUMMARY. */
int sumload_csv(struct table_data *d, struct load_run *run, const char *path,
    const char *data, size_t size, int fmtflags, char **cause);

#endif
