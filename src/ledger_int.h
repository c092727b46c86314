/* The ledger's records, shared by ledger.c (memory, format) and
 * ledger_file.c (disk, locking); private to the two. */
#ifndef LH_LEDGER_INT_H
#define LH_LEDGER_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "ledger.h"

#define LEDGER_MAGIC "logonhunt-ledger 1"

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
};

/* A verdict of one group's history. */
struct lent {
	int64_t when;
	size_t who_off, note_off;
	uint32_t who_len, note_len;
	uint32_t next;
	uint8_t verdict;
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
	/* The file as loaded, to skip reading it again when saving. */
	int loaded;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

/* Parses what fd holds (about size_hint bytes). */
int ledger_parse_fd(const char *name, int fd, size_t size_hint,
    struct ledger **out, char **cause);

#endif
