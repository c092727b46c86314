/* The triage ledger: what an analyst concluded about each group of the
 * hunt, and what each group looked like when last seen, kept between runs
 * in a plain-text file (logonhunt-ledger(5)).
 *
 * A group is keyed by the query's grouping columns (AccountDomain,
 * AccountName, LogonType, RemoteIP, ActionType), compared byte for byte as
 * Kusto compares them. Each record holds when the group was first seen, a
 * snapshot of its figures when last seen, whether the exclusions hid it
 * then (and which rule), and its verdicts, oldest first; the newest is the
 * current one ("cleared" makes a group untriaged again).
 *
 * Functions that can fail return -1 and set *cause to an allocated
 * message naming the file and line. */
#ifndef LH_LEDGER_H
#define LH_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "hunt.h"
#include "util.h"

enum ledger_verdict {
	LV_NONE,		/* untriaged, or cleared */
	LV_TRUE_POSITIVE,
	LV_BENIGN_POSITIVE,
	LV_FALSE_POSITIVE,
	LV_UNDETERMINED,
	LV_ESCALATED,
	LV_N
};

enum ledger_status {
	LS_NEW,			/* never recorded */
	LS_REAPPEARED,		/* hidden by an exclusion when last recorded */
	LS_CHANGED,		/* grew since its verdict (or its last record) */
	LS_SEEN,
	LS_N
};

/* Figures of a group at one moment. */
struct ledger_figures {
	uint64_t instances;
	uint64_t machines;
	int64_t earliest, latest;	/* ticks, TS_NONE when unknown */
};

struct ledger;

/* "true-positive" ... "escalated"; "" for LV_NONE. */
const char *ledger_verdict_name(enum ledger_verdict v);
/* Parses a verdict name (also "cleared" for LV_NONE). -1 if unknown. */
int ledger_verdict_parse(const char *s, enum ledger_verdict *out);
/* The valid names, comma-separated, for messages. */
const char *ledger_verdict_list(void);
const char *ledger_status_name(enum ledger_status s);
int ledger_status_parse(const char *s, enum ledger_status *out);

/* $XDG_DATA_HOME/logonhunt/ledger, else ~/.local/share/logonhunt/ledger;
 * NULL if neither gives an absolute directory. Caller frees. */
char *ledger_default_path(void);
/* $LOGONHUNT_USER, else $USER, else "unknown". */
const char *ledger_default_analyst(void);
/* The current time in ticks. */
int64_t ledger_now(void);

/* Reads path; a missing file is an empty ledger. A damaged file is an
 * error naming its line, and the ledger is NULL. */
int ledger_load(const char *path, struct ledger **out, char **cause);
/* Parses a ledger held in memory (name is used in messages). */
int ledger_parse(const char *name, const char *text, size_t len,
    struct ledger **out, char **cause);
/* The first line of an interrupted save (lines after the file's last
 * "end" line) that reading left out, or 0. The next save removes it. */
size_t ledger_torn_line(const struct ledger *l);
/* A warning about that for the user (to free), or NULL. */
char *ledger_torn_note(const struct ledger *l);
struct ledger *ledger_new(const char *path);
void ledger_free(struct ledger *l);
const char *ledger_path(const struct ledger *l);

/* Writes the ledger back under savefile's lock (PATH.lock). When the
 * file is the one l read or last wrote, grown at most by saves appended
 * since, those are read and merged and l's changes (the groups recorded
 * or judged since) are appended as one save closed by an "end" line;
 * nothing is written when nothing changed. Otherwise (another program
 * replaced the file, a version 1 file, or superseded lines making up most
 * of it) the file on disk is read again and merged with this one (per
 * group the newer snapshot and the newer verdict win; the histories are
 * united), the previous version is kept as PATH~ and the result replaces
 * the file atomically. The merge is also kept in l. A damaged file on
 * disk is never overwritten. */
int ledger_save(struct ledger *l, char **cause);
/* Merges src into dst as a save does (import). */
void ledger_merge(struct ledger *dst, const struct ledger *src);
/* The file's text. */
void ledger_serialize(const struct ledger *l, struct buf *out);

size_t ledger_count(const struct ledger *l);
/* The record of a group, or -1. key[i].p need not be NUL-terminated. */
long ledger_find(const struct ledger *l, const struct lh_str key[5]);
/* Adds an empty record (first seen at `when`) if absent; returns it. */
long ledger_add(struct ledger *l, const struct lh_str key[5], int64_t when);
void ledger_key(const struct ledger *l, long rec, struct lh_str key[5]);

/* The record's facts. */
int64_t ledger_first_seen(const struct ledger *l, long rec);
int64_t ledger_last_seen(const struct ledger *l, long rec);
const struct ledger_figures *ledger_snapshot(const struct ledger *l, long rec);
/* The rule that hid the group when last recorded, or NULL if shown. */
const char *ledger_hidden_by(const struct ledger *l, long rec);

/* One verdict of a group's history. */
struct ledger_verdict_info {
	enum ledger_verdict verdict;
	int64_t when;
	const char *who, *note;	/* valid until the ledger changes */
	struct ledger_figures fig;	/* the group's figures then */
};
/* The current verdict: 1 and *out filled, or 0 if untriaged. */
int ledger_current(const struct ledger *l, long rec,
    struct ledger_verdict_info *out);
/* The history, oldest first; returns its length (fills up to max). */
size_t ledger_history(const struct ledger *l, long rec,
    struct ledger_verdict_info *out, size_t max);

/* Records a verdict (LV_NONE clears). who and note may be NULL; control
 * characters are kept (the file escapes them). */
void ledger_set_verdict(struct ledger *l, long rec, enum ledger_verdict v,
    const char *note, const char *who, int64_t when,
    const struct ledger_figures *fig);

/* Records that the group was shown at `when` with figures fig. */
void ledger_record_shown(struct ledger *l, long rec,
    const struct ledger_figures *fig, int64_t when);

/* The status of a group shown now with figures fig, against record rec
 * (-1: not recorded). */
enum ledger_status ledger_status_of(const struct ledger *l, long rec,
    const struct ledger_figures *fig);

/* ------------------------------------------------------------ a hunt */

/* How an exclusion rule is named in the ledger (hidden=), given by the
 * caller so the ledger need not know the exclusions. */
typedef void (*ledger_rule_name_fn)(void *ctx, long rule, struct buf *out);

/* The ledger's view of one hunt, taken before recording it. */
struct ledger_run {
	long *rec;		/* per hunt group: its record, or -1 */
	uint8_t *status;	/* per hunt group: enum ledger_status */
	size_t ng;
	/* Among the groups shown: */
	size_t count[LS_N];
	size_t untriaged;
};

void ledger_group_figures(const struct lh_group *g, struct ledger_figures *out);
/* Finds each group of h in l and gives it a status. */
void ledger_run_match(struct ledger_run *r, const struct ledger *l,
    const struct hunt *h);
/* Records what the run saw at `when`: a snapshot of every group shown
 * (adding those never seen), and which rule hid the groups the exclusions
 * removed. name may be NULL (hidden=excluded). r is updated with the
 * records added. */
void ledger_run_record(struct ledger_run *r, struct ledger *l,
    const struct hunt *h, int64_t when, ledger_rule_name_fn name, void *ctx);
void ledger_run_free(struct ledger_run *r);
/* The key of hunt group g as the ledger keys it. */
void ledger_hunt_key(const struct hunt *h, const struct lh_group *g,
    struct lh_str key[5]);

#endif
