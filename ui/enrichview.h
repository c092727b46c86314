/* The enrichment in the console: the five columns of the results, the
 * group's line on the events screen, the frequency view by country, AS
 * and owner, and the intel-only rows. The values are computed in
 * src/enrich.c (per distinct address, again after every exclusion change);
 * this only draws them. Screens call these small hooks and need not know
 * the enrichment's types. */
#ifndef LH_UI_ENRICHVIEW_H
#define LH_UI_ENRICHVIEW_H

#include <stdint.h>

#include "app.h"

#define ENRICHVIEW_MAXCOLS 5

/* After the first hunt_apply: asn and owner rules get their lookup and
 * the columns are computed. Nothing when no source is loaded. */
void enrichview_start(struct app *);
/* After the hunt was applied again. */
void enrichview_changed(struct app *);
void enrichview_free(struct app *);

/* The columns shown (those some loaded source fills), as names, in
 * order; returns how many (0: no source, the columns are hidden). */
int enrichview_columns(struct app *, const char *names[ENRICHVIEW_MAXCOLS]);
/* The prepared text of column k (of those returned above) of group g. */
const char *enrichview_cell(struct app *, uint32_t g, int k,
    struct buf *scratch, size_t *len);
/* Compares groups by column k (reversed with desc, the unknown last
 * either way); ties 0. */
int enrichview_cmp(struct app *, uint32_t a, uint32_t b, int k, int desc);
/* 1 if group g has an Intel value. */
int enrichview_intel(struct app *, uint32_t g);
/* Appends the group's values to a line: "  DE  AS8075 Microsoft ...". */
void enrichview_put_group(struct app *, struct line *, uint32_t g);
/* Appends what is known of an event's RemoteIP (d->ev index): country,
 * AS and owner, and the intel of the group it belongs to (UINT32_MAX:
 * none; intel is decided per group). */
void enrichview_put_event(struct app *, struct line *, uint32_t ev,
    uint32_t group);
/* Appends the sources and their ages to a line (the results' header). */
void enrichview_put_sources(struct app *, struct line *);
/* The five columns for a summary export (output_summary_extra), or NULL
 * when no source is loaded; x is filled. */
struct out_extra;
const struct out_extra *enrichview_extra(struct app *, struct out_extra *x);
/* Adds the asn and owner rules proposed for group g (its AS, its owner)
 * to p[0 .. n); returns the new count. */
struct proposal;
size_t enrichview_proposals(struct app *, uint32_t g, struct proposal *p,
    size_t n);
/* Opens the frequency view: groups, logons and machines per country, AS
 * and owner. */
void enrichview_show_freq(struct app *);

#endif
