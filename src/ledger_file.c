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
	l->size = st->st_size;
	l->mtime = st->st_mtim;
}

static int
same_file(const struct ledger *l, const struct stat *st)
{
	return l->loaded && l->dev == st->st_dev && l->ino == st->st_ino &&
	    l->size == st->st_size && l->mtime.tv_sec == st->st_mtim.tv_sec &&
	    l->mtime.tv_nsec == st->st_mtim.tv_nsec;
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

int
ledger_save(struct ledger *l, char **cause)
{
	struct savefile_lock *lk;
	struct ledger *disk;
	struct buf out = { 0 };
	struct stat st;
	char *err = NULL;
	int exists, rc = -1;

	/* One lock (savefile's, on PATH.lock, which also makes the
	 * directories) across load-merge-write. */
	if (savefile_lock(l->path, &lk, cause) != 0)
		return -1;
	exists = stat(l->path, &st) == 0;
	/* What others saved since we read it comes in first. */
	if (exists && !same_file(l, &st)) {
		if (ledger_load(l->path, &disk, &err) != 0) {
			*cause = xasprintf("%s; the ledger on disk cannot be read, "
			    "so it was not overwritten and your changes are not "
			    "saved", err);
			free(err);
			goto out;
		}
		ledger_merge(l, disk);
		ledger_free(disk);
	}
	if (exists && keep_backup(l->path, cause) != 0)
		goto out;
	ledger_serialize(l, &out);
	if (util_write_atomic(l->path, out.p, out.len, cause) != 0)
		goto out;
	if (stat(l->path, &st) == 0)
		remember_file(l, &st);
	rc = 0;
out:
	buf_free(&out);
	savefile_unlock(lk);
	return rc;
}
