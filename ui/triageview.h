/* The triage ledger in the console: the Status and Verdict columns of
 * the results, the header's counts, the walk to the next group to
 * review, setting verdicts with a note, undo, and a group's history. The
 * review itself is src/review.c; this only asks and draws. */
#ifndef LH_UI_TRIAGEVIEW_H
#define LH_UI_TRIAGEVIEW_H

#include <stdint.h>

#include "app.h"
#include "tview.h"

struct triageview;

/* The results' columns after the summary's. */
enum { UT_STATUS, UT_VERDICT, UT_NCOLS };

/* Loads the ledger (cfg->ledger_path), matches the hunt and, unless
 * cfg->no_record, records the run. NULL (with a message) when there is
 * no ledger or it cannot be read. */
struct triageview *triageview_open(struct app *);
void triageview_free(struct triageview *);

const char *triageview_col_name(int col);
/* The text of a cell. */
const char *triageview_cell(const struct triageview *, uint32_t group, int col);
/* Compares two groups by a triage column (0 on a tie). */
int triageview_cmp(const struct triageview *, int col, uint32_t a, uint32_t b);
/* The header's counts into out, "   triage: 3 new, 1 changed, 0
 * reappeared, 12 untriaged" or a shorter form of them, the longest of
 * at most room bytes (else the shortest); empty without a ledger. The
 * forms are ASCII, so bytes are columns. */
void triageview_counts(const struct triageview *, int room, struct buf *out);

/* Moves the cursor to the next shown group (after the cursor, wrapping)
 * that is still to review. */
void triageview_next(struct app *, struct triageview *, struct tview *);
/* Asks for a verdict and a note (Up and Down go through the recent
 * notes) and records it for the marked rows, or the row under the
 * cursor; saves the ledger. */
void triageview_set(struct app *, struct triageview *, struct tview *);
/* Takes back the last verdict action; saves the ledger. */
void triageview_undo(struct app *, struct triageview *);
/* Opens a screen with group g's verdicts and notes over time. */
void triageview_show_history(struct app *, struct triageview *, uint32_t g);

/* Status, Verdict and Note as extra export columns, followed by next
 * (may be NULL); NULL without a ledger (then next is returned). */
struct out_extra;
const struct out_extra *triageview_extra(struct app *, struct out_extra *x,
    const struct out_extra *next);

#endif
