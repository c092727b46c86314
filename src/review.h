/* A review of one run against the triage ledger, as the console does it:
 * the groups' statuses and verdicts, what is left to review, verdicts set
 * on several groups at once with a note, undo, the notes given recently
 * and a group's history. Nothing here draws or asks: the console
 * (ui/triageview.c) does that and calls these.
 *
 * Groups are the hunt's group numbers. Functions that can fail return -1
 * and set *cause to an allocated sentence. */
#ifndef LH_REVIEW_H
#define LH_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "hunt.h"
#include "ledger.h"
#include "triage.h"

/* How many recent notes are offered again. */
#define REVIEW_NOTES 10

struct review;

/* Loads the ledger at path and gives each group of h its status. h must
 * outlive the review. NULL and *cause if the ledger cannot be read. */
struct review *review_open(const char *path, const struct hunt *h,
    char **cause);
void review_free(struct review *);
const struct ledger *review_ledger(const struct review *);

/* Records the run (ledger_run_record) and saves the ledger. The statuses
 * stay those found before recording. */
int review_record(struct review *, int64_t now, ledger_rule_name_fn name,
    void *ctx, char **cause);
/* Saves the ledger (merged with what others saved meanwhile). */
int review_save(struct review *, char **cause);

enum ledger_status review_status(const struct review *, uint32_t g);
/* LV_NONE when untriaged. */
enum ledger_verdict review_verdict(const struct review *, uint32_t g);
/* Status, Verdict or Note of group g (triage_cell's columns). */
const char *review_cell(const struct review *, uint32_t g, size_t col);
/* Orders by column 0 (status, in a review's order: new, reappeared,
 * changed, seen) or 1 (verdict, untriaged first) or 2 (note, bytes);
 * 0 on a tie. */
int review_cmp(const struct review *, size_t col, uint32_t a, uint32_t b);

/* 1 if group g is still to review: untriaged, or not seen (new,
 * reappeared, changed). */
int review_pending(const struct review *, uint32_t g);
/* The position in rows[0 .. n) of the next group to review after
 * position cur, wrapping around (cur itself last); -1 if none is. */
long review_next(const struct review *, const uint32_t *rows, size_t n,
    size_t cur);

struct review_counts {
	size_t shown, fresh, changed, reappeared, untriaged;
};
/* Among the groups h shows now. */
void review_count(const struct review *, struct review_counts *);

/* Sets verdict v (LV_NONE clears) with note on groups ids[0 .. n), each
 * with its figures now, as one action that review_undo takes back; the
 * note becomes the most recent one. Does not save. */
void review_set(struct review *, const uint32_t *ids, size_t n,
    enum ledger_verdict v, const char *note, const char *who, int64_t now);
/* Takes back the last action of review_set not yet taken back: each group
 * it touched gets again the verdict it had before (its note and its
 * figures then), or is cleared if it had none. The ledger keeps both in
 * its history. Returns how many groups (0: nothing to undo; *v is then
 * untouched), and in *v the verdict that was taken back. Does not save. */
size_t review_undo(struct review *, const char *who, int64_t now,
    enum ledger_verdict *v);
/* How many actions can be taken back. */
size_t review_undo_depth(const struct review *);

/* The notes given most recently (in this console or found in the
 * ledger), newest first, without repeats or empty ones: up to max of
 * them into out (valid until the next review_set); returns how many. */
size_t review_notes(struct review *, const char **out, size_t max);

/* The verdict history of group g, oldest first, up to max into out
 * (valid until the ledger changes); returns its whole length. */
size_t review_history(const struct review *, uint32_t g,
    struct ledger_verdict_info *out, size_t max);
/* Status, Verdict and Note as output columns (triage_out_extra), then
 * next (may be NULL). */
void review_export_columns(const struct review *, struct triage_columns *tc,
    const struct out_extra *next);
/* The record of group g in the ledger, or -1. */
long review_record_of(const struct review *, uint32_t g);

#endif
