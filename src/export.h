/* Exports of what the analyst picked: the raw events behind summary rows
 * or in a group, every column of them, as CSV or JSON, built in memory for
 * the caller to write or written to a file as they are made (the summary
 * rows themselves are output_summary's). */
#ifndef LH_EXPORT_H
#define LH_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "hunt.h"
#include "output.h"
#include "rawevent.h"
#include "table.h"
#include "util.h"

/* The events of groups ids[0..n) (groups shown: an address or account
 * rule removes a group whole) that no device rule took out, group by group,
 * each group's in its order. Their number goes in *nev; the array is to
 * free (NULL when there are none). */
uint32_t *export_group_events(const struct hunt *h, const uint32_t *ids,
    size_t n, size_t *nev);

/* Called before each event is read, with the number done and the total;
 * returns nonzero to stop the export. */
typedef int (*export_progress)(void *ctx, size_t done, size_t total);

/* Appends the raw rows of events evs[0..n) (indices into d->ev), read
 * back through rr. The columns are the union of those of the files the
 * events come from, in the order the first file has them. OUT_CSV: a
 * header line, then a line per event, a column its file lacks empty,
 * formulas neutralised when flags has OUT_NEUTRALISE. OUT_JSON: an array
 * of one object per event, a missing column null. progress may be NULL.
 * Returns 0, or -1 with *cause (an event could not be read back, or
 * progress stopped the export), b then holding a part. */
int export_events(struct buf *b, const struct table_data *d,
    struct rawevent_reader *rr, const uint32_t *evs, size_t n,
    enum out_format fmt, unsigned flags, export_progress progress, void *ctx,
    char **cause);

/* The same with extra columns after the file's (x may be NULL): cell
 * gets groups[i], the group of evs[i], so a group's Status, Verdict and
 * Note go with each of its events. */
int export_events_extra(struct buf *b, const struct table_data *d,
    struct rawevent_reader *rr, const uint32_t *evs, const uint32_t *groups,
    size_t n, enum out_format fmt, unsigned flags, const struct out_extra *x,
    export_progress progress, void *ctx, char **cause);

/* The same written to path as they are made (savefile_out: a regular
 * file replaced atomically, untouched when anything fails; a character
 * device or FIFO written in place; nowait as savefile_output has it), so
 * that a large export is never whole in memory. Returns 0, or -1 with
 * *cause (naming the file, or why the export stopped). */
int export_events_file(const char *path, int nowait, const struct table_data *d,
    struct rawevent_reader *rr, const uint32_t *evs, const uint32_t *groups,
    size_t n, enum out_format fmt, unsigned flags, const struct out_extra *x,
    export_progress progress, void *ctx, char **cause);
/* The summary rows (output_summary_extra) written to path the same way. */
int export_summary_file(const char *path, int nowait, struct hunt *h,
    const uint32_t *rows, size_t n, enum out_format fmt, unsigned flags,
    const struct out_extra *x, char **cause);

/* The name an export is offered under: logonhunt-KIND-YYYYmmdd-HHMMSS.EXT,
 * in local time. To free. */
char *export_default_name(const char *kind, const char *ext, time_t now);

#endif
