/* Loading exported tables into table_data: finding the files, telling
 * their format from their content (CSV, the JSON of the Defender, Graph and
 * Log Analytics APIs, streaming API records, any of them gzip-compressed),
 * reading them (CSV split across cores, or libcsv; JSON lines split across
 * cores; JSON documents record by record), progress and cancel. */
#ifndef LH_LOAD_H
#define LH_LOAD_H

#include <stdint.h>

#include "table.h"

enum load_engine { LOAD_ENGINE_FAST, LOAD_ENGINE_LIBCSV };

/* File formats, as kept in lh_file.format: what lh_event.offset points
 * into, for rawevent.
 *   LOAD_FMT_CSV         the first byte of the CSV record.
 *   LOAD_FMT_JSON_LINES  the first byte of the record's JSON value in its
 *                        line: a streaming record {"category", "properties"}
 *                        (alone on the line or inside {"records": [...]}),
 *                        a row object, or a row of a document on one line.
 *   LOAD_FMT_JSON_DOC    the first byte of the record's JSON value in a
 *                        document that spans lines: a row object of
 *                        Results, a positional row array of a Log Analytics
 *                        table, or a streaming record.
 * Flags on top:
 *   LOAD_FMT_GZIP        offsets count in the inflated data (and
 *                        lh_file.size is its inflated size).
 *   LOAD_FMT_SUMMARY     the file held the hunt's summary, added to
 *                        table_data's presummary (no events, no offsets). */
enum load_format { LOAD_FMT_CSV, LOAD_FMT_JSON_LINES, LOAD_FMT_JSON_DOC };
#define LOAD_FMT_GZIP 0x100
#define LOAD_FMT_SUMMARY 0x200
#define LOAD_FMT_BASE(f) ((f) & 0xff)

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
	enum lh_table table;	/* a table, LOAD_DETECT or LOAD_DETECT_OPTIONAL */
};

/* load_input.table for a file whose content decides what it holds (its
 * name, if it starts with a table's, is only a hint): it must turn out to
 * be an export logonhunt knows. */
#define LOAD_DETECT ((enum lh_table)LH_NTABLES)
/* The same, for a file found in a directory: if it is not such an export
 * it is skipped with a warning. */
#define LOAD_DETECT_OPTIONAL ((enum lh_table)(LH_NTABLES + 1))

#define LOAD_CANCELLED (-2)

/* Lists the input files in dir, sorted by table and name: files whose
 * names end in .csv, .json, .jsonl, .ndjson or .log, each optionally
 * followed by .gz (any case). A name starting with a table's name gives
 * that table (a streaming export in it is still dispatched per record);
 * any other such file gets LOAD_DETECT_OPTIONAL. Returns -1 and sets
 * *cause if dir cannot be read or holds no candidate at all. */
int load_find_inputs(const char *dir, struct load_input **out, size_t *n,
    char **cause);
#define LOAD_FIND_RECURSIVE 1	/* descend into subdirectories too */
int load_find_inputs_flags(const char *dir, int flags,
    struct load_input **out, size_t *n, char **cause);
/* The same, saying through warn (when not NULL) what the walk left out:
 * directories below the depth limit (16) and paths too long to open. */
int load_find_inputs_warn(const char *dir, int flags,
    void (*warn)(void *ctx, const char *msg), void *ctx,
    struct load_input **out, size_t *n, char **cause);
void load_inputs_free(struct load_input *in, size_t n);

/* Loads every input. Returns 0, -1 with *cause, or LOAD_CANCELLED. When
 * some input was to be detected, it is an error if none of them turned out
 * to hold DeviceLogonEvents rows (or the summary). */
int load_all(struct table_data *d, const struct load_input *in, size_t n,
    const struct load_opts *o, char **cause);
/* t: a table, LOAD_DETECT or LOAD_DETECT_OPTIONAL. */
int load_file(struct table_data *d, const char *path, enum lh_table t,
    const struct load_opts *o, char **cause);

#endif
