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

/* A reader for many events in a row (a group's events, an export): it
 * keeps what it read of the last file (a plain CSV file mapped with its
 * header parsed, the inflated copy of a .gz input, the column names of a
 * Log Analytics document), so each event costs only the parsing of its
 * own record. Whoever holds the data set owns its reader. A reader is
 * used by one thread at a time; readers are independent of each other. */
struct rawevent_reader;
struct rawevent_reader *rawevent_open(const struct table_data *d);
/* Returns 0, or -1 with *cause (file gone or changed since loading). */
int rawevent_read_at(struct rawevent_reader *r, const struct lh_event *e,
    struct rawevent *out, char **cause);
void rawevent_close(struct rawevent_reader *r);
/* One event, through a reader of its own that keeps nothing afterwards. */
int rawevent_read(const struct table_data *d, const struct lh_event *e,
    struct rawevent *out, char **cause);

/* The raw columns the console's events screen and the report's events
 * show after Timestamp, DeviceName and RemoteIP, in order. */
enum { RAWEVENT_PORT, RAWEVENT_PROTOCOL, RAWEVENT_FAILURE, RAWEVENT_ADMIN,
	RAWEVENT_PROCESS, RAWEVENT_CMDLINE, RAWEVENT_SHOWN_N };
extern const char *const rawevent_shown[RAWEVENT_SHOWN_N];

/* The value of a named column (its length in *len, if len is not NULL),
 * or NULL. */
const char *rawevent_get(const struct rawevent *r, const char *name,
    size_t *len);
void rawevent_free(struct rawevent *r);
/* Does nothing: nothing is kept between rawevent_read calls since the
 * caches moved into the readers. Left for the fuzz targets, which still
 * call it; remove it with their call. */
void rawevent_forget(void);

#endif
