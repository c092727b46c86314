/* CSV exports: the header mapped to the columns the hunt needs, the body
 * split across cores at record boundaries (or read by libcsv), each row
 * checked and handed to the table. */
#ifndef LH_CSVLOAD_H
#define LH_CSVLOAD_H

#include "load.h"

/* What one load_all call carries from file to file. */
struct load_run {
	const struct load_opts *o;
	struct load_progress pr;
	double t0;
};

double load_now(void);

/* Loads one CSV export held in memory (data may be a file mapping; pages
 * already parsed are handed back to the kernel as it goes). */
int csvload_buffer(struct table_data *d, struct load_run *run,
    const char *path, enum lh_table t, const char *data, size_t size,
    char **cause);

#endif
