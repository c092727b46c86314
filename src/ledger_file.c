/* The ledger on disk: reading, and saving under an advisory lock as
 * load-merge-write, with a backup and an atomic replace, so that two
 * consoles or batch runs on one ledger never lose each other's verdicts
 * and a kill at any moment leaves the old or the new file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger.h"
#include "ledger_int.h"
#include "savefile.h"

/* A ledger of 10 million groups is about 2 GB; refuse what cannot be one
 * rather than exhaust memory. */
#define MAX_FILE_SIZE ((off_t)8 << 30)

/* Opens the ledger for reading: the descriptor, 0 with *fd = -1 when
 * there is no file, or -1 and *cause. */
static int
open_ledger(const char *path, int *fd, struct stat *st, char **cause)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd == -1) {
		if (errno == ENOENT)
			return 0;
		*cause = xasprintf("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(*fd, st) != 0 || !S_ISREG(st->st_mode))
		*cause = xasprintf("%s: not a regular file", path);
	else if (st->st_size > MAX_FILE_SIZE)
		*cause = xasprintf("%s: %lld bytes is too large for a ledger",
		    path, (long long)st->st_size);
	else
		return 0;
	close(*fd);
	*fd = -1;
	return -1;
}

static void
remember_file(struct ledger *l, const struct stat *st)
{
	l->loaded = 1;
	l->dev = st->st_dev;
	l->ino = st->st_ino;
}

int
ledger_load(const char *path, struct ledger **out, char **cause)
{
	struct stat st;
	int fd, rc;

	*out = NULL;
	if (open_ledger(path, &fd, &st, cause) != 0)
		return -1;
	if (fd == -1) {
		*out = ledger_new(path);
		return 0;
	}
	rc = ledger_parse_fd(path, fd, (size_t)st.st_size, out, cause);
	close(fd);
	if (rc == 0)
		remember_file(*out, &st);
	return rc;
}

/* Copies path to its backup where a hard link is not possible. */
static int
copy_backup(const char *path, const char *backup, char **cause)
{
	struct buf b = { 0 };
	struct stat st;
	char chunk[65536];
	ssize_t n;
	int fd, rc = -1;

	if (open_ledger(path, &fd, &st, cause) != 0)
		return -1;
	if (fd == -1)
		return 0;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*cause = xasprintf("%s: read failed: %s", path, strerror(errno));
			goto out;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	rc = util_write_atomic(backup, b.p != NULL ? b.p : "", b.len, cause);
out:
	close(fd);
	buf_free(&b);
	return rc;
}

/* Keeps the file being replaced as PATH~: a hard link, so a large ledger
 * is not copied, made under a temporary name and renamed, so PATH~ is
 * always a whole version; a copy where links are not possible. The
 * temporary name is fixed: saves hold the lock, and a killed save's
 * leftover is removed by the next. */
static int
keep_backup(const char *path, char **cause)
{
	char *backup = xasprintf("%s~", path);
	char *tmp = xasprintf("%s~.tmp", path);
	char *err = NULL;
	int rc = 0;

	(void)unlink(tmp);
	if (link(path, tmp) == 0) {
		if (rename(tmp, backup) != 0) {
			err = xstrdup(strerror(errno));
			(void)unlink(tmp);
		}
	} else
		(void)copy_backup(path, backup, &err);
	if (err != NULL) {
		*cause = xasprintf("cannot keep the previous version as %s: %s; "
		    "nothing was written", backup, err);
		free(err);
		rc = -1;
	}
	free(tmp);
	free(backup);
	return rc;
}

/* Whether the file at fd (st) is still the one l read or wrote, grown at
 * most by saves appended to it since, so that l's changes can be
 * appended too: the same file, at least as long, not also PATH~ (a
 * killed save's link), and ending at l->committed in the end line that
 * l read or wrote (which gives that size: nobody rewrote it in place). */
static int
can_append(const struct ledger *l, int fd, const struct stat *st)
{
	char tail[64], want[32], *bak;
	struct stat bs;
	ssize_t n;
	size_t w;
	off_t from;
	int same_as_backup;

	if (l->committed == 0 || !l->loaded || st->st_dev != l->dev ||
	    st->st_ino != l->ino || st->st_size < l->committed)
		return 0;
	bak = xasprintf("%s~", l->path);
	same_as_backup = stat(bak, &bs) == 0 && bs.st_dev == st->st_dev &&
	    bs.st_ino == st->st_ino;
	free(bak);
	if (same_as_backup)
		return 0;
	from = l->committed > (off_t)sizeof tail ? l->committed - (off_t)sizeof tail : 0;
	n = pread(fd, tail, (size_t)(l->committed - from), from);
	w = (size_t)snprintf(want, sizeof want, "\tsize=%lld\n",
	    (long long)l->committed);
	return n == l->committed - from && (size_t)n >= w &&
	    memcmp(tail + n - (ssize_t)w, want, w) == 0;
}

/* Writes all of data at offset at, 64 KiB at a time (a kill between
 * two writes leaves what an interrupted save leaves anyway). */
static int
write_at(int fd, const char *data, size_t len, off_t at)
{
	ssize_t n;

	while (len > 0) {
		n = pwrite(fd, data, len < (1u << 16) ? len : 1u << 16, at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
		at += n;
	}
	return 0;
}

/* Appends l's changes as one save closed by its "end" line, after merging
 * the saves others appended since l read the file. 1 when the file must
 * be written whole instead (too many superseded lines), 0 when done, -1
 * and *cause on an error (the file then holds what it held). */
static int
append_changes(struct ledger *l, int fd, const struct stat *st, char **cause)
{
	struct buf out = { 0 };
	struct stat now;
	size_t groups;
	int rc = -1;

	if (st->st_size > l->committed &&
	    ledger_parse_more(l, fd, l->committed, st->st_size, l->committed_lines,
	    cause) != 0)
		return -1;
	/* Rewrite when most of the file is superseded group lines. */
	if (l->file_groups + l->ndirty > 2 * l->nr + 4096)
		return 1;
	if (l->ndirty == 0 && st->st_size == l->committed)
		return 0;
	/* An interrupted save's remains go first. */
	if (st->st_size > l->committed && ftruncate(fd, l->committed) != 0) {
		*cause = xasprintf("%s: cannot remove what an interrupted save "
		    "left: %s; your changes are not saved", l->path, strerror(errno));
		return -1;
	}
	groups = ledger_serialize_changes(l, l->committed, &out);
	if (write_at(fd, out.p, out.len, l->committed) != 0 || fsync(fd) != 0) {
		*cause = xasprintf("%s: cannot append to it: %s; your changes "
		    "are not saved", l->path, strerror(errno));
		/* What was written is not closed by an end line, so it is
		 * not read; take it away if we can. */
		(void)ftruncate(fd, l->committed);
		goto out;
	}
	l->committed += (off_t)out.len;
	l->committed_lines += ledger_text_lines(out.p, out.len);
	l->file_groups += groups;
	l->torn_line = 0;
	ledger_clean(l);
	if (fstat(fd, &now) == 0)
		remember_file(l, &now);
	rc = 0;
out:
	buf_free(&out);
	return rc;
}

/* Writes l whole, replacing the file, the old one kept as PATH~. */
static int
write_whole(struct ledger *l, int exists, char **cause)
{
	struct buf out = { 0 };
	struct stat st;
	int rc = -1;

	if (exists && keep_backup(l->path, cause) != 0)
		return -1;
	ledger_serialize(l, &out);
	if (util_write_atomic(l->path, out.p, out.len, cause) != 0)
		goto out;
	if (stat(l->path, &st) == 0)
		remember_file(l, &st);
	l->committed = (off_t)out.len;
	l->committed_lines = ledger_text_lines(out.p, out.len);
	l->file_groups = l->nr;
	l->torn_line = 0;
	ledger_clean(l);
	rc = 0;
out:
	buf_free(&out);
	return rc;
}

int
ledger_save(struct ledger *l, char **cause)
{
	struct savefile_lock *lk;
	struct ledger *disk;
	struct stat st;
	char *err = NULL;
	int fd, rc = -1, exists;

	/* One lock (savefile's, on PATH.lock, which also makes the
	 * directories) across read-merge-write. */
	if (savefile_lock(l->path, &lk, cause) != 0)
		return -1;
	/* Not through a link planted at the path: that is written whole,
	 * replacing the link, as before appending existed. */
	fd = open(l->path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	exists = fd != -1 || errno != ENOENT;
	if (fd != -1 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    can_append(l, fd, &st)) {
		rc = append_changes(l, fd, &st, cause);
		if (rc <= 0)
			goto out;
		rc = write_whole(l, exists, cause);
		goto out;
	}
	/* Another program wrote the file another way since we read it (or
	 * we never did): what it holds comes in first. */
	if (exists) {
		if (ledger_load(l->path, &disk, &err) != 0) {
			*cause = xasprintf("%s; the ledger on disk cannot be read, "
			    "so it was not overwritten and your changes are not "
			    "saved", err);
			free(err);
			goto out;
		}
		ledger_merge_read(l, disk);
		ledger_free(disk);
	}
	rc = write_whole(l, exists, cause);
out:
	if (fd != -1)
		close(fd);
	savefile_unlock(lk);
	return rc;
}
