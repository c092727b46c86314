/* The screens, each a struct screen with its own ops. */
#ifndef LH_UI_SCREENS_H
#define LH_UI_SCREENS_H

#include <stdint.h>

#include "app.h"

/* The summary, one row per group. */
struct screen *results_new(struct app *);
/* The state a session keeps (session.h), from the results (s), into ss:
 * the sort, filter, search, column mode, cursor and marks. */
struct session;
void results_session_get(const struct screen *s, struct session *ss);
/* Puts it back; groups are found by key. Returns how many marked groups
 * were found. */
size_t results_session_put(struct screen *s, const struct session *ss);
/* How many of the results' columns are hidden. */
int results_hidden_count(const struct screen *s);
/* The events behind one group. */
struct screen *events_new(struct app *, uint32_t group);
/* Every column of one event (an index into d->ev). */
/* The detail of event ev, opened from the events of group. */
struct screen *detail_new(struct app *, uint32_t ev, uint32_t group);
/* Named values on a screen of the same kind, the cursor on value focus:
 * title is program text, names and values prepared text; they are
 * copied. */
struct screen *detail_cells_new(struct app *, const char *title,
    const char *const *names, const char *const *values, size_t n,
    size_t focus);
/* Categories and rules. */
struct screen *exclview_new(struct app *);
/* Frees where the exclusions screen was left (app->excl_at). */
void exclview_forget(struct app *);
/* Scrollable text: help, warnings. title is program text, text is
 * prepared lines separated by '\n'. */
struct screen *textview_new(struct app *, const char *title, const char *text);

/* Proposes an exclusion built from a result row (event -1) or one of its
 * events (an index into the loaded events) and saves it if wanted. */
void exclview_from_group(struct app *, uint32_t group, long event);

#endif
