/* Triage around a run: the ledger's view of a hunt as output columns
 * (Status, Verdict, Note), the --only filter, the names the ledger gives
 * exclusion rules, and summary rows read back from CSV (for
 * `logonhunt triage set`). The console and the CLI share it. */
#ifndef LH_TRIAGE_H
#define LH_TRIAGE_H

#include <stddef.h>
#include <stdint.h>

#include "hunt.h"
#include "ledger.h"
#include "output.h"
#include "util.h"

/* --only: one bit per status, and one for untriaged groups. */
#define TRIAGE_ONLY_UNTRIAGED (1u << LS_N)

/* Parses "new,changed,reappeared,untriaged" (any of them, also "seen").
 * -1 if a name is unknown. */
int triage_only_parse(const char *s, unsigned *mask);
/* 1 if group g of the run passes the mask (0 passes everything). */
int triage_only_keeps(const struct ledger *l, const struct ledger_run *r,
    uint32_t g, unsigned mask);
/* Keeps the rows that pass; returns how many are left. */
size_t triage_only_filter(const struct ledger *l, const struct ledger_run *r,
    uint32_t *rows, size_t n, unsigned mask);
/* Among rows, those that are new, changed or reappeared. */
size_t triage_alerts(const struct ledger_run *r, const uint32_t *rows, size_t n);

/* The columns Status, Verdict and Note for output_summary_extra. Extra
 * columns of another source (next) follow them; next may be NULL. */
struct triage_columns {
	const struct ledger *l;
	const struct ledger_run *r;
	const struct out_extra *next;
};
void triage_out_extra(struct out_extra *x, struct triage_columns *tc);
/* The cells themselves: column 0 Status, 1 Verdict, 2 Note. */
const char *triage_cell(const struct ledger *l, const struct ledger_run *r,
    uint32_t g, size_t col);
#define TRIAGE_NCOLS 3
const char *triage_col_name(size_t col);

/* A ledger_rule_name_fn over an excl_set: "category kind value". */
void triage_rule_name(void *excl_set, long rule, struct buf *out);

/* Reads summary rows as the batch CSV output writes them: a header that
 * names AccountDomain, AccountName, LogonType, RemoteIP and ActionType (in
 * any order, with any other columns), then rows; or, when the first row
 * names none of the summary's columns (grep dropped the header), rows in
 * the batch output's column order. For each row fn gets the
 * key and, when the header has Instances, DistinctMachines, EarliestEvent
 * and LatestEvent, the figures (else fig is NULL); a non-zero return stops.
 * Returns 0, or -1 with *cause naming name and the line. */
typedef int (*triage_row_fn)(void *ctx, const struct lh_str key[5],
    const struct ledger_figures *fig);
int triage_read_rows(const char *name, const char *text, size_t len,
    triage_row_fn fn, void *ctx, char **cause);

#endif
