/* Turning the values of JSON records into rows, for jsonload.c, which
 * finds the records (it knows the shapes: Results, tables, streaming
 * records, row objects) and hands each here: values are read in place as
 * the hunt sees them (Kusto's tostring()), member names are mapped to
 * column slots, and each row is checked and added to one job's table
 * chunks or summary rows; when the job is done they go into table_data.
 * What a record is refused for comes back as a jsonrows_fault, for the
 * caller to place (file, line, record) and to skip or stop on. */
#ifndef LH_JSONROWS_H
#define LH_JSONROWS_H

#include <stdint.h>

#include "detect.h"
#include "jsonscan.h"
#include "load.h"
#include "table.h"

/* Why a record was refused; every such record can be skipped with
 * --skip-bad-rows. */
struct jsonrows_fault {
	char *msg;		/* the reason, or NULL for a structural error: */
	struct jsonscan scan;	/* the scanner's, to be described */
};

/* One job's rows. base: where byte offsets count from. */
struct jsonrows *jsonrows_new(const char *base);
void jsonrows_free(struct jsonrows *r);
/* Rows added so far (to tables or the summary). */
uint64_t jsonrows_count(const struct jsonrows *r);

/* A row whose members are its columns, {"Timestamp": ..., ...}, at
 * [p, e): 0 with the row added (and *end, if not NULL, past the object),
 * or -1 with *f. schemaless: no schema said which columns there are, so
 * the ones seen are tracked (jsonrows_report warns about those never
 * seen). off and line: where the record is, for drill-down. */
int jsonrows_object(struct jsonrows *r, const struct detect_target *tg,
    const char *p, const char *e, int schemaless, uint64_t off, uint32_t line,
    const char **end, struct jsonrows_fault *f);
/* A row of values in column order, [..., ...], of a table whose ncols
 * columns are colnames and fill slot_of[i] (or -1): 0, or -1 with *f. */
int jsonrows_array(struct jsonrows *r, const struct detect_target *tg,
    const int *slot_of, char **colnames, size_t ncols, const char *p,
    const char *e, uint64_t off, uint32_t line, struct jsonrows_fault *f);
/* The JSON string at [v, ve) as text, escapes decoded (valid until the
 * next call); col names it in a fault. 0, or -1 with *f. */
int jsonrows_text(struct jsonrows *r, const char *col, const char *v,
    const char *ve, struct lh_str *out, struct jsonrows_fault *f);

/* Where one file's rows go in table_data: an lh_file per table that has
 * rows (and one for summary rows), made as they first come. */
struct jsonrows_file *jsonrows_file_new(struct table_data *d,
    const char *path, int format, size_t size);
void jsonrows_file_free(struct jsonrows_file *f);
/* Moves a finished job's rows into table_data, in job order; line_base is
 * added to their line numbers. */
void jsonrows_merge(struct jsonrows_file *f, struct jsonrows *r,
    uint32_t line_base);
/* After the last job: lists the file under hint, when that is a table,
 * if it added no rows and held no records of other tables (other: how
 * many it held); then warns about bad timestamps and about columns that no
 * schemaless record had. */
void jsonrows_report(struct jsonrows_file *f, enum lh_table hint,
    uint64_t other, const struct load_opts *o);
/* Rows of tables (not of the summary) the file added. */
uint64_t jsonrows_file_rows(const struct jsonrows_file *f);

#endif
