#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include "util.h"

static void (*oom_hook)(void);

void
util_set_oom_hook(void (*hook)(void))
{
	oom_hook = hook;
}

static void
oom(size_t n)
{
	static atomic_flag once = ATOMIC_FLAG_INIT;

	/* Threads can run out together: one reports and aborts, the others
	 * wait for that to end the process. */
	if (atomic_flag_test_and_set(&once))
		for (;;)
			pause();
	if (oom_hook != NULL)
		oom_hook();
	fprintf(stderr, "logonhunt: out of memory (allocating %zu bytes); "
	    "try a smaller time window or fewer input files\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (p == NULL)
		oom(count * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (q == NULL)
		oom(n);
	return q;
}

void *
xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t ncap;

	if (need <= *cap)
		return p;
	ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / size)
			oom(SIZE_MAX);
		ncap *= 2;
	}
	p = xrealloc(p, ncap * size);
	*cap = ncap;
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	/* An absent value is { NULL, 0 }: no memcpy from NULL. */
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char *p;
	if (vasprintf(&p, fmt, ap) < 0)
		oom(strlen(fmt));
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	b->p = xgrow(b->p, &b->cap, b->len + n + 1, 1);
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	buf_add(b, s, strlen(s));
	free(s);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* inline: utf8_valid and the escaping call it for every non-ASCII
 * character, and keep it in line as when it was private. */
inline size_t
utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned char c = p[0];
	size_t len, i;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

size_t
utf8_encode(char out[4], unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Whether p[0, n) is all ASCII. Reads each byte once, eight at a time
 * (the last word overlapping the one before), without a branch per word:
 * the fields checked are short (names, addresses) and almost always
 * ASCII, so the loop's exit test would cost more than it saves. */
static inline int
ascii_only(const unsigned char *p, size_t n)
{
	uint64_t acc = 0, w;
	uint32_t a, b;
	size_t i;

	if (n >= 8) {
		for (i = 0; i + 8 <= n; i += 8) {
			memcpy(&w, p + i, 8);
			acc |= w;
		}
		memcpy(&w, p + n - 8, 8);
		acc |= w;
	} else if (n >= 4) {
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		acc = a | b;
	} else
		for (i = 0; i < n; i++)
			acc |= p[i];
	return (acc & 0x8080808080808080ull) == 0;
}

int
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	uint32_t cp;

	if (ascii_only(p, n))
		return 1;
	while (i < n) {
		if (p[i] < 0x80) {
			uint64_t w;
			/* Most log text is ASCII: skip it eight bytes at a time. */
			while (i + 8 <= n && (memcpy(&w, p + i, 8),
			    (w & 0x8080808080808080ull) == 0))
				i += 8;
			if (i < n && p[i] < 0x80)
				i++;
			continue;
		}
		len = utf8_seq(p + i, n - i, &cp);
		if (len == 0)
			return 0;
		i += len;
	}
	return 1;
}

int
utf8_cp_width(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 0x20 && cp != 0x7f ? 1 : -1;
	return wcwidth((wchar_t)cp);
}

size_t
utf8_glyph(const char *s, size_t n, int *width)
{
	uint32_t cp;
	size_t len = utf8_seq((const unsigned char *)s, n, &cp);
	int w;

	if (len == 0) {
		*width = 1;
		return 1;
	}
	w = utf8_cp_width(cp);
	*width = w < 0 ? 1 : w;
	return len;
}

int
utf8_width(const char *s, size_t n)
{
	size_t i = 0;
	int w, total = 0;

	while (i < n) {
		i += utf8_glyph(s + i, n - i, &w);
		total += w;
	}
	return total;
}

int
utf8_cp_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
	    cp == 0x2028 || cp == 0x2029;
}

int
utf8_cp_hidden(uint32_t cp)
{
	/* Bidi controls reorder the text around them; the others draw
	 * nothing, so adm<U+200B>in would look exactly like admin. Emoji
	 * sequences joined by U+200D show the escape: a small price. */
	if (cp < 0xad)
		return 0;
	return cp == 0xad || cp == 0x61c || cp == 0x115f || cp == 0x1160 ||
	    cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) ||
	    cp == 0x3164 || cp == 0xfeff || cp == 0xffa0 ||
	    (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f);
}

/* Code points a terminal could act on, or that hide or reorder text. */
static int
cp_is_dangerous(uint32_t cp)
{
	return utf8_cp_control(cp) || utf8_cp_hidden(cp);
}

static void
add_escaped(struct buf *b, const char *s, size_t n, int double_backslash);

void
buf_add_escaped(struct buf *b, const char *s, size_t n)
{
	add_escaped(b, s, n, 1);
}

void
buf_add_safe(struct buf *b, const char *s, size_t n)
{
	add_escaped(b, s, n, 0);
}

void
util_fput_message(FILE *f, const char *prefix, const char *msg)
{
	struct buf b = { 0 };

	buf_add(&b, prefix, strlen(prefix));
	buf_add_safe(&b, msg, strlen(msg));
	buf_addc(&b, '\n');
	fwrite(b.p, 1, b.len, f);
	buf_free(&b);
}

static void
add_escaped(struct buf *b, const char *s, size_t n, int double_backslash)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	uint32_t cp;

	while (i < n) {
		len = utf8_seq(p + i, n - i, &cp);
		if (len == 0) {
			buf_addf(b, "\\x%02x", p[i]);
			i++;
			continue;
		}
		if (cp_is_dangerous(cp) && !(cp == '\n' && !double_backslash)) {
			switch (cp) {
			case '\t': buf_add(b, "\\t", 2); break;
			case '\n': buf_add(b, "\\n", 2); break;
			case '\r': buf_add(b, "\\r", 2); break;
			default:
				if (cp < 0xa0)
					buf_addf(b, "\\x%02x", (unsigned)cp);
				else if (cp < 0x10000)
					buf_addf(b, "\\u%04x", (unsigned)cp);
				else
					buf_addf(b, "\\U%08x", (unsigned)cp);
			}
		} else if (cp == '\\' && double_backslash) {
			buf_add(b, "\\\\", 2);
		} else
			buf_add(b, p + i, len);
		i += len;
	}
}

size_t
util_fput_escaped(FILE *f, const char *s, size_t n)
{
	struct buf b = { 0 };
	size_t w;

	buf_add_escaped(&b, s, n);
	w = b.len;
	if (b.len)
		fwrite(b.p, 1, b.len, f);
	buf_free(&b);
	return w;
}

/* The mode of the file being replaced, or for a new file what
 * open(O_CREAT, 0666) would give: mkstemp's 0600 must not stick. */
static mode_t
replace_mode(const char *path)
{
	struct stat st;
	mode_t mask;

	/* lstat: a link's target lends nothing to the file replacing it. */
	if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
		return st.st_mode & 07777;
	mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

/* The state (field 3) of process pid and when it started (field 22, in
 * clock ticks since boot), from /proc/PID/stat; -1 when that cannot be
 * read. With the PID, the start names a process for good: a PID alone is
 * soon reused. */
static int
process_stat(long pid, char *state, unsigned long long *start)
{
	char path[64], buf[1024], *p;
	size_t n;
	FILE *f;
	int field;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: fields are
	 * counted from the last ')', which ends field 2. */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ' || p[2] == '\0')
		return -1;
	*state = p[2];
	for (field = 2; field < 22 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL)
		return -1;
	*start = strtoull(p + 1, NULL, 10);
	return 0;
}

/* If name is base.tmp.PID-START.XXXXXX (what util_write_atomic creates),
 * sets *pid and *start and returns 1; else 0. */
static int
leftover_writer(const char *name, const char *base, long *pid,
    unsigned long long *start)
{
	size_t n = strlen(base);
	const char *p;
	char *end;

	if (strncmp(name, base, n) != 0 || strncmp(name + n, ".tmp.", 5) != 0)
		return 0;
	p = name + n + 5;
	if (*p < '1' || *p > '9')
		return 0;
	errno = 0;
	*pid = strtol(p, &end, 10);
	if (errno != 0 || *end != '-' || end[1] < '0' || end[1] > '9')
		return 0;
	*start = strtoull(end + 1, &end, 10);
	if (errno != 0 || *end != '.' || strlen(end + 1) != 6)
		return 0;
	return 1;
}

/* Removes the temporary files that writers of path killed before their
 * rename left in dir: those whose process is gone (no such PID, a zombie,
 * or a PID now used by a process that started at another time). A live
 * writer's file stays, and so does any other name. */
static void
remove_leftovers(const char *dir, const char *path)
{
	char *basecopy = xstrdup(path), *base = basename(basecopy);
	unsigned long long start, now;
	DIR *d = opendir(dir);
	char state;
	struct dirent *e;
	long pid;
	int gone;

	if (d == NULL) {
		free(basecopy);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (!leftover_writer(e->d_name, base, &pid, &start) ||
		    pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == -1 && errno == ESRCH)
			gone = 1;
		else if (process_stat(pid, &state, &now) == 0)
			gone = state == 'Z' || state == 'X' ||
			    (start != 0 && now != start);
		else
			gone = 0;
		if (gone)
			(void)unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
	free(basecopy);
}

/* What a file type is called in messages. */
const char *
util_file_type(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "a regular file";
	case S_IFDIR: return "a directory";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFIFO: return "a FIFO";
	case S_IFSOCK: return "a socket";
	case S_IFLNK: return "a symbolic link";
	}
	return "not a regular file";
}

int
util_write_atomic(const char *path, const char *data, size_t len, char **cause)
{
	return util_write_atomic_mode(path, data, len, (mode_t)-1, cause);
}

int
util_write_atomic_mode(const char *path, const char *data, size_t len,
    mode_t mode, char **cause)
{
	struct util_atomic *a;

	if (util_atomic_open(path, mode, &a, cause) != 0)
		return -1;
	if (util_atomic_write(a, data, len, cause) != 0) {
		util_atomic_abort(a);
		return -1;
	}
	return util_atomic_commit(a, cause);
}

struct util_atomic {
	char *path, *tmp, *dircopy;
	const char *dir;	/* in dircopy */
	int fd;
	int slot;		/* in atomic_live, -1 if not there */
};

/* The temporary files being written, for the signal handler to remove:
 * a Ctrl-C in the middle of a long save must not leave one behind. Slots
 * are set and cleared with the signals blocked in the writing thread. */
#define ATOMIC_LIVE_MAX 8
static char *volatile atomic_live[ATOMIC_LIVE_MAX];
static int atomic_nlive;
static pthread_mutex_t atomic_mutex = PTHREAD_MUTEX_INITIALIZER;
static const int atomic_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define ATOMIC_NSIGNALS (sizeof atomic_signals / sizeof atomic_signals[0])
static struct sigaction atomic_saved[ATOMIC_NSIGNALS];

/* Only async-signal-safe calls: unlink, sigaction, raise. The signal
 * then does what it did before (by default, ends the process), the
 * temporary files gone. */
static void
atomic_on_signal(int sig)
{
	int saved = errno;
	size_t i;
	char *p;

	for (i = 0; i < ATOMIC_LIVE_MAX; i++)
		if ((p = atomic_live[i]) != NULL)
			(void)unlink(p);
	for (i = 0; i < ATOMIC_NSIGNALS; i++)
		if (atomic_signals[i] == sig)
			sigaction(sig, &atomic_saved[i], NULL);
	/* Blocked until the handler returns, then delivered to what was
	 * there before. */
	raise(sig);
	errno = saved;
}

static void
atomic_block(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < ATOMIC_NSIGNALS; i++)
		sigaddset(&set, atomic_signals[i]);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

/* Puts tmp where the handler finds it; the first one installs the
 * handler, except for a signal that is ignored (nohup): it stays so. */
static int
atomic_track(char *tmp)
{
	struct sigaction sa;
	sigset_t old;
	size_t i;
	int slot = -1;

	atomic_block(&old);
	pthread_mutex_lock(&atomic_mutex);
	for (i = 0; i < ATOMIC_LIVE_MAX; i++)
		if (atomic_live[i] == NULL) {
			atomic_live[i] = tmp;
			slot = (int)i;
			break;
		}
	if (slot >= 0 && atomic_nlive++ == 0) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = atomic_on_signal;
		sigemptyset(&sa.sa_mask);
		for (i = 0; i < ATOMIC_NSIGNALS; i++) {
			sigaction(atomic_signals[i], NULL, &atomic_saved[i]);
			if (atomic_saved[i].sa_handler != SIG_IGN)
				sigaction(atomic_signals[i], &sa, NULL);
		}
	}
	pthread_mutex_unlock(&atomic_mutex);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return slot;
}

/* The last one out puts back what handled the signals before. */
static void
atomic_untrack(int slot)
{
	sigset_t old;
	size_t i;

	if (slot < 0)
		return;
	atomic_block(&old);
	pthread_mutex_lock(&atomic_mutex);
	atomic_live[slot] = NULL;
	if (--atomic_nlive == 0)
		for (i = 0; i < ATOMIC_NSIGNALS; i++)
			if (atomic_saved[i].sa_handler != SIG_IGN)
				sigaction(atomic_signals[i], &atomic_saved[i], NULL);
	pthread_mutex_unlock(&atomic_mutex);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

int
util_atomic_open(const char *path, mode_t mode, struct util_atomic **out,
    char **cause)
{
	struct util_atomic *a;
	unsigned long long start = 0;
	struct stat st;
	char state;

	*out = NULL;
	/* A rename over a device node or a FIFO would replace the node
	 * itself (as root, -o /dev/full made /dev/full a regular file). A
	 * link is fine: the rename replaces the link, not what it names. */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
	    !S_ISLNK(st.st_mode)) {
		*cause = xasprintf("%s is %s, not a regular file; nothing was "
		    "written", path, util_file_type(st.st_mode));
		return -1;
	}
	a = xcalloc(1, sizeof *a);
	a->path = xstrdup(path);
	a->dircopy = xstrdup(path);
	a->dir = dirname(a->dircopy);
	if (process_stat((long)getpid(), &state, &start) != 0)
		start = 0;
	a->tmp = xasprintf("%s.tmp.%ld-%llu.XXXXXX", path, (long)getpid(), start);
	remove_leftovers(a->dir, path);
	/* Tracked before it exists, so that no signal comes between the
	 * file's creation and its name being known to the handler. */
	a->slot = atomic_track(a->tmp);
	/* mkstemp: O_CREAT | O_EXCL, mode 0600 until the fchmod. */
	a->fd = mkstemp(a->tmp);
	if (a->fd == -1) {
		*cause = xasprintf("%s: cannot create a temporary file in %s: %s",
		    path, a->dir, strerror(errno));
		atomic_untrack(a->slot);
		free(a->tmp);
		free(a->dircopy);
		free(a->path);
		free(a);
		return -1;
	}
	/* Not fatal: the data matters more than its permissions. */
	(void)fchmod(a->fd, mode != (mode_t)-1 ? mode & 07777 : replace_mode(path));
	*out = a;
	return 0;
}

int
util_atomic_write(struct util_atomic *a, const void *data, size_t len,
    char **cause)
{
	const char *p = data;
	size_t off = 0;
	ssize_t w;

	while (off < len) {
		w = write(a->fd, p + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			/* EFBIG (a file size limit; SIGXFSZ is ignored)
			 * and ENOSPC alike: the half-written temporary
			 * file goes (util_atomic_abort). */
			*cause = xasprintf("%s: write failed: %s (the original "
			    "file is unchanged; the partial copy %s was "
			    "removed)", a->path, strerror(errno), a->tmp);
			return -1;
		}
		off += (size_t)w;
	}
	return 0;
}

static void
atomic_free(struct util_atomic *a)
{
	atomic_untrack(a->slot);
	free(a->tmp);
	free(a->dircopy);
	free(a->path);
	free(a);
}

void
util_atomic_abort(struct util_atomic *a)
{
	if (a == NULL)
		return;
	if (a->fd != -1)
		close(a->fd);
	(void)unlink(a->tmp);
	atomic_free(a);
}

int
util_atomic_commit(struct util_atomic *a, char **cause)
{
	int fd = a->fd, dfd;

	a->fd = -1;
	if (fsync(fd) != 0) {
		*cause = xasprintf("%s: fsync failed: %s (the original file is "
		    "unchanged)", a->tmp, strerror(errno));
		close(fd);
		goto fail;
	}
	if (close(fd) != 0) {
		*cause = xasprintf("%s: close failed: %s", a->tmp, strerror(errno));
		goto fail;
	}
	if (rename(a->tmp, a->path) != 0) {
		*cause = xasprintf("%s: cannot rename %s over it: %s", a->path,
		    a->tmp, strerror(errno));
		goto fail;
	}
	dfd = open(a->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd != -1) {
		fsync(dfd);
		close(dfd);
	}
	atomic_free(a);
	return 0;
fail:
	util_atomic_abort(a);
	return -1;
}

/* A fast, well-mixing hash for short strings (wyhash-style folding). */
static inline uint64_t
mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

void
util_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

uint64_t
util_hash_ids(const uint32_t *v, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= v[i];
		h *= 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
	}
	return h;
}

#define HUGE_PAGE ((uintptr_t)2 << 20)

void
util_hugepages(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t b = ((uintptr_t)p + n) & ~(HUGE_PAGE - 1);

	if (n >= 4 * HUGE_PAGE && b > a)
		(void)madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

void
util_malloc_tune(void)
{
#ifdef __GLIBC__
	/* glibc's threshold otherwise rises to the size of the largest
	 * block freed (up to 32 MiB), and the string and sum tables, which
	 * double as they grow, then come from the heap: each growth copies
	 * and leaves the old block behind as free space that later blocks,
	 * all larger, do not fit. A 10M-row load peaked 30-40 MiB higher. */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}

void
util_heap_trim(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

uint64_t
util_hash(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = 0x243f6a8885a308d3ull ^ n, w;

	while (n >= 8) {
		memcpy(&w, p, 8);
		h = mix(h ^ w, 0x9e3779b97f4a7c15ull);
		p += 8;
		n -= 8;
	}
	w = 0;
	if (n)
		memcpy(&w, p, n);
	return mix(h ^ w, 0xbf58476d1ce4e5b9ull);
}
