/* Saving files that users keep and that other processes may write too
 * (the exclusions file, the triage ledger) and writing exports: an
 * advisory lock held across read-check-write, the file a save really goes
 * to (through symbolic links), the checks on what is there before anything
 * is opened or replaced, and the atomic replacement with a backup.
 *
 * A writer of a kept file does, under one lock:
 *
 *	savefile_lock(path, &lk, &cause);
 *	target = savefile_target(path, &cause);
 *	savefile_read(target, max, &old, &oldlen, &missing, &st, &cause);
 *	... check old is what was loaded, build the new text ...
 *	savefile_replace(target, new, newlen, old, oldlen, &st or NULL, &cause);
 *	savefile_unlock(lk);
 *
 * Every function returns -1 with *cause (a whole sentence naming the
 * file and what to do) on failure. */
#ifndef LH_SAVEFILE_H
#define LH_SAVEFILE_H

#include <stddef.h>
#include <sys/stat.h>

/* How long savefile_lock waits for another writer before giving up. */
#define SAVEFILE_LOCK_WAIT_MS 10000

struct savefile_lock;

/* Takes an exclusive advisory lock (flock) on the lock file beside the
 * file path saves to: TARGET.lock, created if needed (and the directories
 * above it, mode 0700). Waits up to SAVEFILE_LOCK_WAIT_MS for another
 * holder. Re-entrant within a process: taking a lock the process already
 * holds counts up, and each savefile_lock needs its savefile_unlock. Not
 * for concurrent use by threads of one process. The lock file is left in
 * place: removing it would let two writers lock two different files. */
int savefile_lock(const char *path, struct savefile_lock **out, char **cause);
void savefile_unlock(struct savefile_lock *);

/* The file a save of path replaces: path itself, or the file at the end
 * of its chain of symbolic links, also when that does not exist yet (a
 * dangling link is written through, creating its target), so a managed
 * dotfile stays a link. NULL and *cause for a loop or too many links. */
char *savefile_target(const char *path, char **cause);

/* Opens path for reading without ever blocking on it: 0 and *fd for a
 * regular file (st filled, may be NULL), 1 if nothing is there, -1 and
 * *cause for anything else (a FIFO, a device, a directory: named). */
int savefile_open_read(const char *path, int *fd, struct stat *st,
    char **cause);
/* Reads the whole of path (opened as above) into *data (NUL-terminated,
 * to free); *missing = 1 (and 0 returned) if it does not exist. Refuses a
 * file larger than max bytes. st may be NULL. */
int savefile_read(const char *path, size_t max, char **data, size_t *len,
    int *missing, struct stat *st, char **cause);

/* Whether target may be replaced by a save: nothing there (*missing 1),
 * or a regular file that is not read-only (*st filled). Looks at target
 * itself (lstat): a link, FIFO, device, socket or directory is refused,
 * and so is a file without any write permission bit, also for root, with
 * what to do about it. */
int savefile_check(const char *target, struct stat *st, int *missing,
    char **cause);

/* Replaces target with data (util_write_atomic: a temporary file, fsync,
 * rename). When old is not NULL, it is the current content, first kept as
 * TARGET~ with the mode of cur (the file's stat, or NULL for the umask's);
 * the backup is itself written atomically and never through a link a
 * planted TARGET~ may be. When old holds exactly data, nothing is written
 * and no backup rotates: returns 1. Returns 0 once written. */
int savefile_replace(const char *target, const char *data, size_t len,
    const char *old, size_t oldlen, const struct stat *cur, char **cause);

/* Writes an export to path: nothing there or a regular file is replaced
 * atomically; a character device (/dev/null, a terminal) or a FIFO is
 * written in place, never renamed over; anything else (a directory, a
 * block device, a socket) is refused. With nowait, a FIFO nobody reads is
 * an error instead of a wait (for the console). Links are followed. */
int savefile_output(const char *path, const char *data, size_t len,
    int nowait, char **cause);

/* The same written as it is made, so that a large export never sits whole
 * in memory: savefile_out_open decides as savefile_output does (a regular
 * file or nothing: a temporary file beside it, util_atomic_open; a
 * character device or FIFO: opened in place), savefile_out_write appends,
 * savefile_out_finish completes it (the rename; for a device or FIFO the
 * close) and savefile_out_abort gives up, a regular file untouched and the
 * temporary file removed. After a failed write call savefile_out_abort;
 * finish and abort free the writer. What went to a device or FIFO before
 * a failure stays written. */
struct savefile_out;
int savefile_out_open(const char *path, int nowait, struct savefile_out **out,
    char **cause);
int savefile_out_write(struct savefile_out *o, const char *data, size_t len,
    char **cause);
int savefile_out_finish(struct savefile_out *o, char **cause);
void savefile_out_abort(struct savefile_out *o);

/* An out_sink's write (output.h) onto a savefile_out: the first failure's
 * message is kept in cause (NULL until then; to free) and every later
 * piece refused. */
struct savefile_out_sink {
	struct savefile_out *out;
	char *cause;
};
int savefile_out_sink(void *ctx, const char *p, size_t n);
/* Ends what was written through s: finished (renamed into place) when
 * the producer succeeded (rc 0) and no write failed, else given up. With
 * rc -1, *cause is the producer's reason (it may be NULL when the sink
 * stopped it); a write's failure wins over it. Returns 0, or -1 with
 * *cause. */
int savefile_out_end(struct savefile_out_sink *s, int rc, char **cause);

#endif
