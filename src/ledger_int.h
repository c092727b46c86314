/* The ledger's records, shared by ledger.c (memory, format) and
 * ledger_file.c (disk, locking); private to the two. */
#ifndef LH_LEDGER_INT_H
#define LH_LEDGER_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "ledger.h"

/* Version 2 files end each save with an "end" line; version 1 files,
 * without them, are still read. */
#define LEDGER_MAGIC "logonhunt-ledger 2"
#define LEDGER_MAGIC_V1 "logonhunt-ledger 1"

/* A group: its keys lie one after another at koff in the arena. */
struct lrec {
	uint64_t hash;
	size_t koff;
	uint32_t klen[5];
	uint32_t hidden_len;	/* 0: shown when last recorded */
	size_t hidden_off;
	int64_t first, seen;
	struct ledger_figures fig;
	uint32_t head, tail;	/* its verdicts, oldest first */
	uint8_t dirty;		/* changed since the file was read or written */
};

/* A verdict of one group's history. */
struct lent {
	int64_t when;
	size_t who_off, note_off;
	uint32_t who_len, note_len;
	uint32_t next;
	uint8_t verdict;
	uint8_t fresh;		/* not in the file yet */
	struct ledger_figures fig;
};

struct ledger {
	char *path;
	char *arena;		/* every string, NUL-terminated except keys */
	size_t alen, acap;
	struct lrec *r;
	size_t nr, capr;
	struct lent *e;
	size_t ne, cape;
	uint64_t *slot;		/* see SLOT(); 0 empty; open addressing */
	size_t nslot;
	/* The file as loaded or last written, to append to it when saving. */
	int loaded;
	dev_t dev;
	ino_t ino;
	/* Where the last whole save in the file ends (after its "end"
	 * line), and its line count; 0 when the file has none (version 1,
	 * or not read): then the next save writes the whole file. */
	off_t committed;
	size_t committed_lines;
	size_t file_groups;	/* group lines in the file, superseded ones too */
	size_t torn_line;	/* first line of an interrupted save, or 0 */
	size_t ndirty;		/* records with dirty set */
};

/* Parses [from, fd's end) of a file of size bytes whose first `from`
 * bytes (lines lines) l already holds, merging each whole save found
 * there into l as read from disk (not dirty). Sets l->committed to the
 * end of the last one. */
int ledger_parse_more(struct ledger *l, int fd, off_t from, off_t size,
    size_t lines, char **cause);
/* The records and verdicts changed since the file was read or written,
 * as one save to append: their group lines, the new verdicts, and an
 * "end" line giving the file's size once this is appended at `at`.
 * Returns the number of group lines. */
size_t ledger_serialize_changes(const struct ledger *l, off_t at, struct buf *out);
/* Marks everything as written. */
void ledger_clean(struct ledger *l);
/* Merges what was read from the file into l (nothing marked to write). */
void ledger_merge_read(struct ledger *l, const struct ledger *disk);
/* The number of lines (newlines) in text. */
size_t ledger_text_lines(const char *text, size_t len);

/* Parses what fd holds (about size_hint bytes). */
int ledger_parse_fd(const char *name, int fd, size_t size_hint,
    struct ledger **out, char **cause);

#endif
