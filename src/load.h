/* Loading exported tables into table_data: finding the files, reading CSV
 * (the fast scanner split across cores, or libcsv), progress and cancel. */
#ifndef LH_LOAD_H
#define LH_LOAD_H

#include <stdint.h>

#include "table.h"

enum load_engine { LOAD_ENGINE_FAST, LOAD_ENGINE_LIBCSV };

/* File formats, as kept in lh_file.format. */
enum load_format { LOAD_FMT_CSV };

struct load_progress {
	const char *path;
	uint64_t bytes_done, bytes_total;	/* of this file */
	uint64_t rows;				/* of all files so far */
	double seconds;				/* since the load began */
};

struct load_opts {
	int threads;		/* 0: one per online CPU */
	enum load_engine engine;
	int skip_bad_rows;	/* skip (and count) malformed rows, not stop */
	size_t split_min;	/* bytes per thread below which a file is not
				 * split; 0: the default (tests set it low) */
	/* Called about every 100 ms from the loading thread; return nonzero
	 * to cancel. */
	int (*progress)(void *ctx, const struct load_progress *p);
	void *progress_ctx;
	/* Non-fatal problems (skipped rows, bad timestamps), one per call. */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
};

struct load_input {
	char *path;
	enum lh_table table;
};

#define LOAD_CANCELLED (-2)

/* Lists the input files in dir, by table name prefix, sorted by name.
 * Returns -1 and sets *cause if dir cannot be read or holds no logons. */
int load_find_inputs(const char *dir, struct load_input **out, size_t *n,
    char **cause);
void load_inputs_free(struct load_input *in, size_t n);

/* Loads every input. Returns 0, -1 with *cause, or LOAD_CANCELLED. */
int load_all(struct table_data *d, const struct load_input *in, size_t n,
    const struct load_opts *o, char **cause);
int load_file(struct table_data *d, const char *path, enum lh_table t,
    const struct load_opts *o, char **cause);

#endif
