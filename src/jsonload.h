/* JSON exports, told apart by their shape:
 *   {"Schema": [...], "Results": [{...}, ...]}   Defender advanced hunting API
 *   {"schema": [...], "results": [{...}, ...]}   Graph runHuntingQuery
 *   {"tables": [{"name", "columns", "rows": [[...], ...]}]}  Log Analytics
 *   {"records": [{"category", "properties"}, ...]}  streaming API, Event Hub
 *   {"category": ..., "properties": {...}}         streaming API record
 *   {"Timestamp": ..., ...}                        a row object
 * either as one document (or several, one after another) or as JSON lines
 * (one value per line, LF or CRLF). Streaming records go to the table their
 * category names, whatever the file is called; records of other tables are
 * skipped and counted.
 *
 * Memory: the data is a mapping that is handed back to the kernel as it is
 * read; only one record at a time is held as a cJSON tree (plus a
 * document's Schema or columns), so a large document costs no more heap
 * than a small one. JSON lines are split across cores at line breaks.
 *
 * jsonload.c tells the shapes apart and finds the records; jsonrows.c
 * turns each record's values into a row. */
#ifndef LH_JSONLOAD_H
#define LH_JSONLOAD_H

#include "loadjob.h"

/* Loads JSON held in memory (data may be a file mapping). hint: a table
 * (for row objects and documents), LOAD_DETECT or LOAD_DETECT_OPTIONAL.
 * fmtflags (LOAD_FMT_GZIP) are added to each lh_file.format. Returns 0, -1
 * with *cause, LOAD_CANCELLED, or for an optional input LOAD_UNKNOWN or
 * LOAD_SUMMARY with *cause. */
int jsonload_buffer(struct table_data *d, struct load_run *run,
    const char *path, enum lh_table hint, const char *data, size_t size,
    int fmtflags, char **cause);

#endif
