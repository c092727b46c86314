/* Exporting what the analyst picked: the marked rows (or every row shown
 * when none is marked), as summary rows or as the raw events behind them,
 * in CSV or JSON, to a file named at a prompt. */
#ifndef LH_UI_EXPORT_H
#define LH_UI_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "tview.h"

/* From the results screen: ids are group indices. */
void export_results(struct app *, struct tview *);
/* From the events screen: ids index evs[], the group's event indices. */
void export_events(struct app *, struct tview *, const uint32_t *evs);

#endif
