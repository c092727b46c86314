/* The export dialogue: what to export of what the analyst picked (the
 * marked rows, or every row shown when none is marked: summary rows or the
 * raw events behind them, in CSV or JSON), the file to write it to, and
 * what came of it. The exports themselves are built by the core
 * (output_summary, export_events). */
#ifndef LH_UI_EXPORTDLG_H
#define LH_UI_EXPORTDLG_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "tview.h"

/* From the results screen: ids are group indices. */
void exportdlg_results(struct app *, struct tview *);
/* From the results screen: the report (report_build) of the groups. */
void exportdlg_report(struct app *, struct tview *);
/* From the events screen: ids index evs[], the event indices of group. */
void exportdlg_events(struct app *, struct tview *, const uint32_t *evs,
    uint32_t group);

#endif
