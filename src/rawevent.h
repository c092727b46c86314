/* Reading back the raw row behind an event, every column of it, from the
 * file it came from: the hunt keeps only where each row is. */
#ifndef LH_RAWEVENT_H
#define LH_RAWEVENT_H

#include "table.h"

struct rawevent {
	size_t n;
	char **names;
	char **values;		/* each ends in a NUL byte, and may hold more */
	size_t *lens;		/* the length of each value */
};

/* Returns 0, or -1 with *cause (file gone or changed since loading). */
int rawevent_read(const struct table_data *d, const struct lh_event *e,
    struct rawevent *out, char **cause);
/* A reader for many events in a row (a group's events, an export): it
 * keeps the last file mapped and its CSV header parsed, so each event
 * costs only the parsing of its own record. */
struct rawevent_reader;
struct rawevent_reader *rawevent_open(const struct table_data *d);
int rawevent_read_at(struct rawevent_reader *r, const struct lh_event *e,
    struct rawevent *out, char **cause);
void rawevent_close(struct rawevent_reader *r);

/* The value of a named column (its length in *len, if len is not NULL),
 * or NULL. */
const char *rawevent_get(const struct rawevent *r, const char *name,
    size_t *len);
void rawevent_free(struct rawevent *r);
/* Forgets the inflated copy of the last .gz input and the column names of
 * the last Log Analytics document read, kept between calls: for a caller
 * that rewrites an input in place within the file system's time
 * granularity (the fuzz targets). */
void rawevent_forget(void);

#endif
