/* Saving kept files safely between processes, and writing exports without
 * replacing what is not a file (see savefile.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "savefile.h"
#include "util.h"

/* As the kernel's own limit on links followed in one lookup. */
#define MAX_LINKS 40

struct savefile_lock {
	struct savefile_lock *next;
	char *path;		/* the lock file */
	int fd;
	dev_t dev;
	ino_t ino;
	unsigned depth;		/* savefile_lock calls not yet unlocked */
};

/* The locks this process holds: flock conflicts between two opens of one
 * file even in one process, so a second savefile_lock on a held lock
 * (excl_save inside the CLI's locked load-save) must find the first. */
static struct savefile_lock *held;
static pthread_mutex_t held_mutex = PTHREAD_MUTEX_INITIALIZER;

static char *
dir_of(const char *path)
{
	char *copy = xstrdup(path), *d = xstrdup(dirname(copy));

	free(copy);
	return d;
}

char *
savefile_target(const char *path, char **cause)
{
	char *cur = xstrdup(path), *next, *dir, link[PATH_MAX];
	struct stat st;
	ssize_t n;
	int i;

	for (i = 0; i <= MAX_LINKS; i++) {
		if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
			return cur;
		n = readlink(cur, link, sizeof link - 1);
		if (n < 0) {
			*cause = xasprintf("%s: cannot read the symbolic link: %s",
			    cur, strerror(errno));
			free(cur);
			return NULL;
		}
		link[n] = '\0';
		if (link[0] == '/')
			next = xstrdup(link);
		else {
			dir = dir_of(cur);
			next = xasprintf("%s/%s", dir, link);
			free(dir);
		}
		free(cur);
		cur = next;
	}
	*cause = xasprintf("%s: more than %d symbolic links (a loop?); point "
	    "it at a file", path, MAX_LINKS);
	free(cur);
	return NULL;
}

/* Creates the directories above path (mode 0700, as a config directory
 * should be) when they are missing. */
static int
mkdir_parents(const char *path, char **cause)
{
	char *dir = dir_of(path), *p;
	struct stat st;

	if (stat(dir, &st) == 0) {
		free(dir);
		return 0;
	}
	for (p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			*cause = xasprintf("cannot create directory %s: %s; "
			    "create it yourself or choose another file", dir,
			    strerror(errno));
			free(dir);
			return -1;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(dir);
	return 0;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int
savefile_lock(const char *path, struct savefile_lock **out, char **cause)
{
	struct savefile_lock *lk;
	struct stat st = { 0 };
	char *target, *lockpath;
	long waited = 0, step = 1;
	int fd;

	*out = NULL;
	if ((target = savefile_target(path, cause)) == NULL)
		return -1;
	lockpath = xasprintf("%s.lock", target);
	free(target);
	if (mkdir_parents(lockpath, cause) != 0) {
		free(lockpath);
		return -1;
	}
	/* Read-only is enough for flock, so a lock file another user
	 * created (root saving with sudo) still serves. No link is
	 * followed, and O_NONBLOCK keeps a planted FIFO from hanging us. */
	fd = open(lockpath, O_RDONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	    O_NOCTTY | O_CLOEXEC, 0644);
	if (fd == -1) {
		*cause = xasprintf("cannot open the lock file %s: %s; nothing "
		    "was written", lockpath, strerror(errno));
		free(lockpath);
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*cause = xasprintf("the lock file %s is %s; remove it and try "
		    "again (nothing was written)", lockpath,
		    util_file_type(st.st_mode));
		goto fail;
	}
	pthread_mutex_lock(&held_mutex);
	for (lk = held; lk != NULL; lk = lk->next)
		if (lk->dev == st.st_dev && lk->ino == st.st_ino)
			break;
	if (lk != NULL) {
		lk->depth++;
		pthread_mutex_unlock(&held_mutex);
		close(fd);
		free(lockpath);
		*out = lk;
		return 0;
	}
	pthread_mutex_unlock(&held_mutex);
	/* Polled rather than blocking, so a writer that hangs holding the
	 * lock costs a message, not a hung command. */
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			*cause = xasprintf("cannot lock %s: %s; nothing was "
			    "written", lockpath, strerror(errno));
			goto fail;
		}
		if (waited >= SAVEFILE_LOCK_WAIT_MS) {
			*cause = xasprintf("another program has held the lock "
			    "%s for %d seconds; nothing was written. Try again "
			    "when it is done (if no logonhunt is running, the "
			    "lock is stale: remove the file)", lockpath,
			    SAVEFILE_LOCK_WAIT_MS / 1000);
			goto fail;
		}
		sleep_ms(step);
		waited += step;
		if (step < 50)
			step *= 2;
	}
	lk = xcalloc(1, sizeof *lk);
	lk->path = lockpath;
	lk->fd = fd;
	lk->dev = st.st_dev;
	lk->ino = st.st_ino;
	lk->depth = 1;
	pthread_mutex_lock(&held_mutex);
	lk->next = held;
	held = lk;
	pthread_mutex_unlock(&held_mutex);
	*out = lk;
	return 0;
fail:
	close(fd);
	free(lockpath);
	return -1;
}

void
savefile_unlock(struct savefile_lock *lk)
{
	struct savefile_lock **pp;

	if (lk == NULL)
		return;
	pthread_mutex_lock(&held_mutex);
	if (--lk->depth > 0) {
		pthread_mutex_unlock(&held_mutex);
		return;
	}
	for (pp = &held; *pp != NULL; pp = &(*pp)->next)
		if (*pp == lk) {
			*pp = lk->next;
			break;
		}
	pthread_mutex_unlock(&held_mutex);
	/* Closing the last descriptor releases the flock. */
	close(lk->fd);
	free(lk->path);
	free(lk);
}

int
savefile_open_read(const char *path, int *fd, struct stat *stp, char **cause)
{
	struct stat st = { 0 };
	int flags;

	/* O_NONBLOCK: opening a FIFO for reading would wait for a writer,
	 * forever; the type is checked on what was opened, not on a name
	 * that could change in between. */
	*fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (*fd == -1) {
		if (errno == ENOENT)
			return 1;
		*cause = xasprintf("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s is %s, not a regular file", path,
		    util_file_type(st.st_mode));
		close(*fd);
		*fd = -1;
		return -1;
	}
	flags = fcntl(*fd, F_GETFL);
	if (flags != -1)
		(void)fcntl(*fd, F_SETFL, flags & ~O_NONBLOCK);
	if (stp != NULL)
		*stp = st;
	return 0;
}

int
savefile_read(const char *path, size_t max, char **data, size_t *len,
    int *missing, struct stat *st, char **cause)
{
	struct buf b = { 0 };
	char chunk[65536];
	ssize_t r;
	int fd, rc;

	*missing = 0;
	*data = NULL;
	*len = 0;
	rc = savefile_open_read(path, &fd, st, cause);
	if (rc == 1)
		*missing = 1;
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	for (;;) {
		r = read(fd, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*cause = xasprintf("%s: read failed: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		if (b.len + (size_t)r > max) {
			*cause = xasprintf("%s: larger than %zu MiB; this does "
			    "not look like a file logonhunt wrote", path,
			    max >> 20);
			goto fail;
		}
		buf_add(&b, chunk, (size_t)r);
	}
	close(fd);
	if (b.p == NULL)
		buf_add(&b, "", 0);
	*data = b.p;
	*len = b.len;
	return 0;
fail:
	close(fd);
	buf_free(&b);
	return -1;
}

int
savefile_check(const char *target, struct stat *st, int *missing,
    char **cause)
{
	*missing = 0;
	if (lstat(target, st) != 0) {
		if (errno == ENOENT) {
			*missing = 1;
			return 0;
		}
		*cause = xasprintf("%s: %s; nothing was written", target,
		    strerror(errno));
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		*cause = xasprintf("%s is %s, not a regular file; nothing was "
		    "written", target, util_file_type(st->st_mode));
		return -1;
	}
	/* A rename needs no write permission on the file, only on its
	 * directory, and root has every permission: the mode bits are
	 * what says the owner meant it read-only. */
	if ((st->st_mode & 0222) == 0 || access(target, W_OK) != 0) {
		*cause = xasprintf("%s is read-only (mode %04o); nothing was "
		    "written. Make it writable (chmod u+w) to save changes to "
		    "it, or use another file", target,
		    (unsigned)(st->st_mode & 07777));
		return -1;
	}
	return 0;
}

int
savefile_replace(const char *target, const char *data, size_t len,
    const char *old, size_t oldlen, const struct stat *cur, char **cause)
{
	char *backup, *err = NULL;
	mode_t mode = cur != NULL ? cur->st_mode & 07777 : (mode_t)-1;

	if (old != NULL && oldlen == len && memcmp(old, data, len) == 0)
		return 1;
	/* The previous version first; if it cannot be kept, the file stays
	 * as it is. The backup takes the file's mode (it holds the same
	 * text), given to its temporary file: no chmod on a name that a
	 * planted link could point anywhere. */
	if (old != NULL) {
		backup = xasprintf("%s~", target);
		if (util_write_atomic_mode(backup, old, oldlen, mode, &err) != 0) {
			*cause = xasprintf("cannot keep the previous version as "
			    "%s: %s; nothing was written", backup, err);
			free(err);
			free(backup);
			return -1;
		}
		free(backup);
	}
	if (mkdir_parents(target, cause) != 0)
		return -1;
	return util_write_atomic_mode(target, data, len, mode, cause);
}

/* An export being written: to a temporary file renamed over the target at
 * the end (atomic), or in place to a character device or FIFO (fd). */
struct savefile_out {
	struct util_atomic *atomic;
	int fd;
	char *path;
};

/* Opens a character device or FIFO for writing in place. */
static int
open_in_place(const char *path, const struct stat *st, int nowait,
    char **cause)
{
	int fd, flags = O_WRONLY | O_NOCTTY | O_CLOEXEC;

	if (S_ISFIFO(st->st_mode) && nowait)
		flags |= O_NONBLOCK;
	fd = open(path, flags);
	if (fd == -1) {
		if (errno == ENXIO)
			*cause = xasprintf("%s is a FIFO that no program is "
			    "reading; start the reader first", path);
		else
			*cause = xasprintf("%s: cannot open: %s", path,
			    strerror(errno));
		return -1;
	}
	/* Open, the FIFO has a reader: from here on wait for it to read. */
	if ((flags & O_NONBLOCK) && (flags = fcntl(fd, F_GETFL)) != -1)
		(void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	return fd;
}

int
savefile_out_open(const char *path, int nowait, struct savefile_out **out,
    char **cause)
{
	struct savefile_out *o;
	struct stat st;
	int rc = 0;

	*out = NULL;
	o = xcalloc(1, sizeof *o);
	o->fd = -1;
	/* A device or FIFO at the end of the links is opened by its name:
	 * /dev/stdout onto a pipe ends in /proc/self/fd/1, a link to
	 * "pipe:[N]" that names no file, which the kernel's open follows
	 * where reading the links cannot. */
	if (stat(path, &st) == 0 && (S_ISCHR(st.st_mode) ||
	    S_ISFIFO(st.st_mode))) {
		o->path = xstrdup(path);
		rc = (o->fd = open_in_place(path, &st, nowait, cause)) == -1 ?
		    -1 : 0;
	} else if ((o->path = savefile_target(path, cause)) == NULL)
		rc = -1;
	else if (lstat(o->path, &st) != 0 || S_ISREG(st.st_mode))
		rc = util_atomic_open(o->path, (mode_t)-1, &o->atomic, cause);
	else {
		*cause = xasprintf("%s is %s; give a file name (nothing was "
		    "written)", path, util_file_type(st.st_mode));
		rc = -1;
	}
	if (rc != 0) {
		free(o->path);
		free(o);
		return -1;
	}
	*out = o;
	return 0;
}

int
savefile_out_write(struct savefile_out *o, const char *data, size_t len,
    char **cause)
{
	size_t off = 0;
	ssize_t w;

	if (o->atomic != NULL)
		return util_atomic_write(o->atomic, data, len, cause);
	while (off < len) {
		w = write(o->fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			*cause = xasprintf("%s: write failed: %s", o->path,
			    strerror(errno));
			return -1;
		}
		off += (size_t)w;
	}
	return 0;
}

int
savefile_out_finish(struct savefile_out *o, char **cause)
{
	int rc = 0;

	if (o->atomic != NULL)
		rc = util_atomic_commit(o->atomic, cause);
	else if (close(o->fd) != 0) {
		*cause = xasprintf("%s: write failed: %s", o->path,
		    strerror(errno));
		rc = -1;
	}
	free(o->path);
	free(o);
	return rc;
}

void
savefile_out_abort(struct savefile_out *o)
{
	if (o == NULL)
		return;
	if (o->atomic != NULL)
		util_atomic_abort(o->atomic);
	else
		close(o->fd);
	free(o->path);
	free(o);
}

int
savefile_out_sink(void *ctx, const char *p, size_t n)
{
	struct savefile_out_sink *s = ctx;

	if (s->cause != NULL)
		return -1;
	return savefile_out_write(s->out, p, n, &s->cause);
}

int
savefile_out_end(struct savefile_out_sink *s, int rc, char **cause)
{
	if (s->cause != NULL) {
		if (rc != 0)
			free(*cause);
		savefile_out_abort(s->out);
		*cause = s->cause;
		s->cause = NULL;
		return -1;
	}
	if (rc != 0) {
		savefile_out_abort(s->out);
		return -1;
	}
	return savefile_out_finish(s->out, cause);
}

int
savefile_output(const char *path, const char *data, size_t len, int nowait,
    char **cause)
{
	struct savefile_out *o;

	if (savefile_out_open(path, nowait, &o, cause) != 0)
		return -1;
	if (savefile_out_write(o, data, len, cause) != 0) {
		savefile_out_abort(o);
		return -1;
	}
	return savefile_out_finish(o, cause);
}
