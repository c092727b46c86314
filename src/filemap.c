#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "filemap.h"
#include "util.h"

/* Inflated bytes are written out in blocks of this size. */
#define OUT_BLOCK (256u << 10)

/* A decompression bomb must not fill the disk and take minutes before its
 * content is judged. Text exports deflate 5 to 20 times (the sample: 5 to
 * 11), where zlib's ceiling is about 1032, so past a floor a ratio above
 * RATIO_MAX stops the inflating. Exports are text: when a NUL shows among
 * the first bytes the floor drops to SUSPECT_FLOOR, so a bomb of zeros
 * stops at once. The data is still loaded as it is otherwise (a NUL in a
 * field is valid): a small file loads the same compressed or not. */
#define SNIFF_BYTES 4096
#define RATIO_FLOOR ((uint64_t)256 << 20)
#define SUSPECT_FLOOR ((uint64_t)1 << 20)
#define RATIO_MAX 200

/* The whole-buffer path gives up on files of more members than this (tiny
 * members cost more to track than to inflate one after another). */
#define MEMBERS_MAX ((size_t)1 << 20)
/* libdeflate holds a whole member in memory while it inflates it, so a
 * file with a member larger than this (one gzip of a whole export: 743 MB
 * for the 1M-row benchmark's logons) is streamed by zlib instead, in
 * blocks: 11% slower there, and 130 MiB at the peak instead of the
 * member's size. Multi-member files (parts, blob captures) keep the fast
 * path. */
#define MEMBER_WHOLE_MAX ((uint64_t)32 << 20)
/* At most this many threads inflate members at once. */
#define INFLATE_THREADS_MAX 16
/* The smallest gzip member: a 10-byte header, an empty deflate block (2)
 * and the 8-byte trailer. */
#define MEMBER_MIN 20

int
filemap_is_gzip(const void *p, size_t n)
{
	const unsigned char *b = p;

	return n >= 3 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8;
}

static const char *
tmp_dir(void)
{
	const char *d = secure_getenv("TMPDIR");

	return d != NULL && *d != '\0' ? d : "/tmp";
}

/* An unnamed file for the inflated copy: O_TMPFILE where the file system
 * has it, else a named one unlinked at once. */
static int
tmp_open(char **cause, const char *path)
{
	const char *dir = tmp_dir();
	char *name;
	int fd;

#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd != -1)
		return fd;
#endif
	name = xasprintf("%s/logonhunt-XXXXXX", dir);
	fd = mkostemp(name, O_CLOEXEC);
	if (fd == -1) {
		*cause = xasprintf("%s: cannot create a temporary file in %s to "
		    "inflate it into: %s; set TMPDIR to a writable directory",
		    path, dir, strerror(errno));
		free(name);
		return -1;
	}
	unlink(name);
	free(name);
	return fd;
}

static int
write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Only zero bytes may follow the last gzip member (tar and some blob
 * stores pad files that way); anything else means damage. */
static int
only_zeros(const unsigned char *p, size_t n)
{
	while (n > 0 && *p == 0) {
		p++;
		n--;
	}
	return n == 0;
}

/* The offset of a NUL among the first inflated bytes, or -1. UTF-16
 * text, full of them, is left for the loader to explain. */
static long
sniff_nul(const unsigned char *p, size_t n)
{
	const unsigned char *nul;

	if (n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) ||
	    (p[0] == 0xfe && p[1] == 0xff)))
		return -1;
	nul = memchr(p, 0, n < SNIFF_BYTES ? n : SNIFF_BYTES);
	return nul != NULL ? (long)(nul - p) : -1;
}

static int
inflate_to(int fd, const char *path, const unsigned char *in, size_t n,
    uint64_t *outlen, filemap_tick tick, void *ctx, char **cause)
{
	z_stream z;
	unsigned char *out = xmalloc(OUT_BLOCK);
	size_t avail;
	int zr, rc = -1;
	uint64_t total = 0, floor = RATIO_FLOOR;
	unsigned long long at;
	long nul = -1;

	memset(&z, 0, sizeof z);
	/* 16 + MAX_WBITS: gzip framing only, with its CRC and length checks. */
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		*cause = xasprintf("%s: cannot start inflating: out of memory", path);
		free(out);
		return -1;
	}
	z.next_in = (unsigned char *)(uintptr_t)in;
	for (;;) {
		/* zlib counts avail_in in uInt: feed at most 1 GiB at a time. */
		avail = n - (size_t)(z.next_in - in);
		if (z.avail_in == 0 && avail > 0)
			z.avail_in = avail > (1u << 30) ? (1u << 30) : (uInt)avail;
		z.next_out = out;
		z.avail_out = OUT_BLOCK;
		zr = inflate(&z, Z_NO_FLUSH);
		at = (unsigned long long)(z.next_in - in);
		if (z.avail_out < OUT_BLOCK) {
			if (total == 0 && (nul = sniff_nul(out,
			    OUT_BLOCK - z.avail_out)) >= 0)
				floor = SUSPECT_FLOOR;
			if (write_all(fd, out, OUT_BLOCK - z.avail_out) != 0) {
				*cause = xasprintf("%s: cannot write its inflated copy "
				    "to %s after %llu bytes: %s; set TMPDIR to a file "
				    "system with more room (the copy takes as much "
				    "space as the data uncompressed)", path, tmp_dir(),
				    (unsigned long long)total, strerror(errno));
				goto out;
			}
			total += OUT_BLOCK - z.avail_out;
			if (total > floor && at > 0 && total / at > RATIO_MAX &&
			    nul >= 0) {
				*cause = xasprintf("%s: not an export: the gzip data "
				    "inflates to binary bytes (a NUL byte at inflated "
				    "byte %ld) and grew more than %d times over (%llu "
				    "bytes from the first %llu compressed); stopped "
				    "inflating, as this looks like a decompression "
				    "bomb. If it is an archive (tar, zip), extract the "
				    "export from it first", path, nul, RATIO_MAX,
				    (unsigned long long)total, at);
				goto out;
			}
			if (total > floor && at > 0 && total / at > RATIO_MAX) {
				*cause = xasprintf("%s: stopped inflating: the gzip "
				    "data grew more than %d times over (%llu bytes "
				    "from the first %llu compressed), where exports "
				    "grow 5 to 20 times; it looks like a "
				    "decompression bomb. If the file is genuine, "
				    "inflate it yourself (gunzip -k) and give the "
				    "plain file", path, RATIO_MAX,
				    (unsigned long long)total, at);
				goto out;
			}
		}
		if (tick != NULL && tick(ctx, at, n)) {
			rc = FILEMAP_CANCELLED;
			goto out;
		}
		if (zr == Z_STREAM_END) {
			avail = n - (size_t)(z.next_in - in);
			if (avail == 0 || only_zeros(z.next_in, avail))
				break;
			if (!filemap_is_gzip(z.next_in, avail)) {
				*cause = xasprintf("%s: corrupt gzip data at compressed "
				    "byte %llu: bytes that are not gzip follow the "
				    "compressed stream; the file is damaged: fetch or "
				    "export it again", path, at);
				goto out;
			}
			/* Another member: gzip files may be concatenated. */
			inflateReset(&z);
			continue;
		}
		if (zr == Z_BUF_ERROR && z.avail_in == 0 &&
		    (size_t)(z.next_in - in) == n) {
			*cause = xasprintf("%s: the gzip data ends early, at compressed "
			    "byte %llu (%llu bytes inflated); the file is truncated: "
			    "fetch or export it again", path, at,
			    (unsigned long long)total);
			goto out;
		}
		if (zr == Z_MEM_ERROR) {
			*cause = xasprintf("%s: out of memory while inflating", path);
			goto out;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			*cause = xasprintf("%s: corrupt gzip data at compressed byte "
			    "%llu (%s); the file is damaged: fetch or export it "
			    "again", path, at, z.msg != NULL ? z.msg : "bad data");
			goto out;
		}
	}
	*outlen = total;
	rc = 0;
out:
	inflateEnd(&z);
	free(out);
	return rc;
}

/* One gzip member: where it lies in the file and, by its ISIZE trailer,
 * where its bytes go in the inflated copy. */
struct member {
	size_t in_off, in_len;
	uint64_t out_off, out_len;
};

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* A member header as gzip, pigz, zlib and the other writers make it: the
 * magic, deflate, no reserved flag bits, a defined XFL and operating
 * system. Checking them all makes it unlikely (about once in 2^37 bytes)
 * that deflate data inside a member passes for the start of the next; a
 * false start, or a real one missed, only costs the fast path (see
 * members_inflate). */
static int
member_start(const unsigned char *p, size_t n)
{
	return n >= MEMBER_MIN && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8 &&
	    (p[3] & 0xe0) == 0 && (p[8] == 0 || p[8] == 2 || p[8] == 4) &&
	    (p[9] <= 13 || p[9] == 255);
}

/* Splits the gzip data in[0, n) into members by their headers, reading
 * each one's inflated size from the ISIZE field that ends it (the four
 * bytes before the next header, or the file's last four). Returns the
 * number of members, with their places in *out and the inflated total in
 * *total, or 0 when there are too many. The sizes are claims: the caller
 * checks each against what inflating it gives. */
static size_t
members_find(const unsigned char *in, size_t n, struct member **out,
    uint64_t *total)
{
	struct member *m = NULL;
	size_t count = 0, cap = 0, start = 0, at;
	const unsigned char *p;

	*total = 0;
	for (;;) {
		/* The next header at least one minimal member further on. */
		at = start + MEMBER_MIN;
		while (at + MEMBER_MIN <= n) {
			p = memchr(in + at, 0x1f, n - MEMBER_MIN + 1 - at);
			if (p == NULL) {
				at = n;
				break;
			}
			at = (size_t)(p - in);
			if (member_start(p, n - at))
				break;
			at++;
		}
		if (at + MEMBER_MIN > n)
			at = n;
		if (count == MEMBERS_MAX) {
			free(m);
			return 0;
		}
		m = xgrow(m, &cap, count + 1, sizeof *m);
		m[count].in_off = start;
		m[count].in_len = at - start;
		m[count].out_off = *total;
		m[count].out_len = le32(in + at - 4);
		*total += m[count].out_len;
		count++;
		if (at == n)
			break;
		start = at;
	}
	*out = m;
	return count;
}

/* The members of one file and the threads that inflate them. The caller
 * polls for a cancel while they work; on a cancel it returns at once and
 * leaves the job to the threads, which end with the member each holds
 * (libdeflate cannot stop inside one) and write nothing more; the last
 * one out frees it all, the input's map included. */
struct inflate_job {
	const unsigned char *in;
	size_t n;
	int fd;			/* the temporary file (a duplicate, the job's) */
	struct member *m;
	size_t count;
	size_t next;		/* the next member to take (atomic) */
	size_t in_done;		/* compressed bytes inflated (atomic) */
	int stop;		/* a member failed, or cancelled (atomic) */
	pthread_mutex_t mu;
	pthread_cond_t cv;	/* a thread ended */
	int refs;		/* the caller, and each thread still running */
	int running;		/* threads still running */
	int failed;		/* a member did not come out as promised */
	void *map;		/* the input's map, once the caller left it */
	size_t maplen;
};

/* Jobs that a cancel left to their threads, for filemap_settle. */
static int jobs_left;
static pthread_mutex_t jobs_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t jobs_cv = PTHREAD_COND_INITIALIZER;

/* Inflates one member into buf (of its size) and writes it to its place
 * in the file; 0 when it is exactly what its header and trailer promised
 * and ends where the next one starts, or when a stop came while it was
 * inflated (then the rest is not written). Written with pwrite rather
 * than inflated into the file mapped writable: dirtying a large member's
 * pages through a shared map cost a disk-backed /tmp twice the wall time
 * (the kernel's work per page fault), and a full disk under a map is
 * SIGBUS where pwrite says ENOSPC. In blocks: one pwrite of hundreds of
 * MB spent ten times as long in the kernel's copy as the same bytes
 * 256 KiB at a time. */
static int
member_inflate(struct libdeflate_decompressor *d, struct inflate_job *j,
    const struct member *m, unsigned char *buf)
{
	size_t in_used = 0, out_made = 0, done;
	enum libdeflate_result r;
	ssize_t w;

	r = libdeflate_gzip_decompress_ex(d, j->in + m->in_off, m->in_len,
	    buf, (size_t)m->out_len, &in_used, &out_made);
	if (!(r == LIBDEFLATE_SUCCESS && in_used == m->in_len &&
	    out_made == m->out_len))
		return -1;
	for (done = 0; done < out_made; done += (size_t)w) {
		if (__atomic_load_n(&j->stop, __ATOMIC_RELAXED))
			return 0;
		w = pwrite(j->fd, buf + done, out_made - done < OUT_BLOCK ?
		    out_made - done : OUT_BLOCK, (off_t)(m->out_off + done));
		if (w < 0 && errno == EINTR)
			w = 0;
		else if (w <= 0)
			return -1;
	}
	return 0;
}

/* Takes members off the job until none is left, one fails (-1) or a stop
 * comes. tick (NULL in the threads) is called after each member, for
 * when the caller inflates alone. */
static int
members_work(struct inflate_job *j, filemap_tick tick, void *ctx)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	unsigned char *buf = NULL;
	size_t i, done, cap = 0;
	int rc = 0;

	if (d == NULL) {
		__atomic_store_n(&j->stop, 1, __ATOMIC_RELAXED);
		return -1;
	}
	while (!__atomic_load_n(&j->stop, __ATOMIC_RELAXED)) {
		i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
		if (i >= j->count)
			break;
		/* One buffer per thread, grown to the largest member yet;
		 * a claim too large for memory goes to zlib. */
		if (j->m[i].out_len > cap) {
			free(buf);
			cap = (size_t)j->m[i].out_len;
			buf = malloc(cap);
		}
		if ((buf == NULL && cap > 0) ||
		    member_inflate(d, j, &j->m[i], buf != NULL ? buf :
		    (unsigned char *)"") != 0) {
			__atomic_store_n(&j->stop, 1, __ATOMIC_RELAXED);
			rc = -1;
			break;
		}
		done = __atomic_add_fetch(&j->in_done, j->m[i].in_len,
		    __ATOMIC_RELAXED);
		if (tick != NULL && tick(ctx, done, j->n)) {
			__atomic_store_n(&j->stop, 1, __ATOMIC_RELAXED);
			rc = FILEMAP_CANCELLED;
			break;
		}
	}
	free(buf);
	libdeflate_free_decompressor(d);
	return rc;
}

static void
job_free(struct inflate_job *j)
{
	if (j->map != NULL) {
		munmap(j->map, j->maplen);
		pthread_mutex_lock(&jobs_mu);
		if (--jobs_left == 0)
			pthread_cond_broadcast(&jobs_cv);
		pthread_mutex_unlock(&jobs_mu);
	}
	close(j->fd);
	free(j->m);
	pthread_mutex_destroy(&j->mu);
	pthread_cond_destroy(&j->cv);
	free(j);
}

/* Gives up a reference to the job (a thread's when running); the last
 * one frees it. */
static void
job_leave(struct inflate_job *j, int running, int failed)
{
	int last;

	pthread_mutex_lock(&j->mu);
	if (failed)
		j->failed = 1;
	if (running)
		j->running--;
	last = --j->refs == 0;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
	if (last)
		job_free(j);
}

static void *
members_thread(void *arg)
{
	struct inflate_job *j = arg;

	job_leave(j, 1, members_work(j, NULL, NULL) == -1);
	return NULL;
}

static int
inflate_threads(size_t members)
{
	cpu_set_t set;
	int n = 1;

	/* The processors this process may run on (taskset narrows them). */
	if (sched_getaffinity(0, sizeof set, &set) == 0)
		n = CPU_COUNT(&set);
	if (n > INFLATE_THREADS_MAX)
		n = INFLATE_THREADS_MAX;
	if ((size_t)n > members)
		n = (int)members;
	return n < 1 ? 1 : n;
}

/* Starts up to nth detached threads on the job; returns how many. */
static int
job_start(struct inflate_job *j, int nth)
{
	pthread_attr_t attr;
	pthread_t th;
	int started = 0;

	if (pthread_attr_init(&attr) != 0)
		return 0;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (; started < nth; started++) {
		pthread_mutex_lock(&j->mu);
		j->refs++;
		j->running++;
		pthread_mutex_unlock(&j->mu);
		if (pthread_create(&th, &attr, members_thread, j) != 0) {
			pthread_mutex_lock(&j->mu);
			j->refs--;
			j->running--;
			pthread_mutex_unlock(&j->mu);
			break;
		}
	}
	pthread_attr_destroy(&attr);
	return started;
}

/* Waits for the threads, asking tick every POLL_MS whether to cancel: 0
 * once they are done, or FILEMAP_CANCELLED at once (the job and raw's
 * map are then left to the threads still running). */
#define POLL_MS 20
static int
job_wait(struct inflate_job *j, struct filemap *raw, filemap_tick tick,
    void *ctx)
{
	struct timespec ts;
	int cancel;

	pthread_mutex_lock(&j->mu);
	while (j->running > 0) {
		if (tick != NULL) {
			pthread_mutex_unlock(&j->mu);
			cancel = tick(ctx, __atomic_load_n(&j->in_done,
			    __ATOMIC_RELAXED), j->n);
			pthread_mutex_lock(&j->mu);
			if (cancel) {
				__atomic_store_n(&j->stop, 1, __ATOMIC_RELAXED);
				/* They read the input to the end of their
				 * member. */
				if (j->running > 0) {
					j->map = raw->map;
					j->maplen = raw->maplen;
					raw->map = NULL;
					pthread_mutex_lock(&jobs_mu);
					jobs_left++;
					pthread_mutex_unlock(&jobs_mu);
				}
				pthread_mutex_unlock(&j->mu);
				return FILEMAP_CANCELLED;
			}
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += POLL_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		(void)pthread_cond_timedwait(&j->cv, &j->mu, &ts);
	}
	pthread_mutex_unlock(&j->mu);
	return 0;
}

void
filemap_settle(void)
{
	pthread_mutex_lock(&jobs_mu);
	while (jobs_left > 0)
		pthread_cond_wait(&jobs_cv, &jobs_mu);
	pthread_mutex_unlock(&jobs_mu);
}

/* The fast path: each member inflated whole by libdeflate (about twice as
 * fast as zlib's streaming inflate) into memory and written to its place
 * in the temporary file, the members shared among the processors. It
 * needs every member's size before it starts, which only the ISIZE
 * trailers give and which a crafted or damaged file, or a member of 4 GiB
 * or more (ISIZE counts modulo 2^32), can get wrong: then a member does
 * not come out at its size, and the caller inflates the file again with
 * zlib, which judges it byte by byte (bombs, NUL bytes, truncation, CRC
 * errors, garbage after the end) with the messages that name the
 * compressed byte. While the threads inflate, the caller asks tick every
 * POLL_MS, so that a cancel is taken at once whatever the size of the
 * members. Returns 0 with *outlen and the number of *members, 1 to fall
 * back, -1 with errno, or FILEMAP_CANCELLED (raw's map may then have gone
 * to the threads: raw->map NULL). */
static int
members_inflate(int fd, struct filemap *raw, uint64_t *outlen,
    size_t *members, filemap_tick tick, void *ctx)
{
	const unsigned char *in = (const unsigned char *)raw->data;
	size_t n = raw->size, count, i;
	struct inflate_job *j;
	struct member *m = NULL;
	uint64_t total;
	int rc, failed;

	if (n < MEMBER_MIN)
		return 1;
	count = members_find(in, n, &m, &total);
	/* A bomb must be judged as it inflates: leave the files that would
	 * grow past the ratio to zlib, which stops them early. */
	if (count == 0 || total > SIZE_MAX ||
	    (total > SUSPECT_FLOOR && total / n > RATIO_MAX)) {
		free(m);
		return 1;
	}
	for (i = 0; i < count; i++)
		if (m[i].out_len > MEMBER_WHOLE_MAX) {
			free(m);
			return 1;
		}
	j = xcalloc(1, sizeof *j);
	if ((j->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) == -1) {
		free(m);
		free(j);
		return -1;
	}
	j->in = in;
	j->n = n;
	j->m = m;
	j->count = count;
	j->refs = 1;
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	if (job_start(j, inflate_threads(count)) > 0)
		rc = job_wait(j, raw, tick, ctx);
	else if ((rc = members_work(j, tick, ctx)) == -1) {
		j->failed = 1;
		rc = 0;
	}
	pthread_mutex_lock(&j->mu);
	failed = j->failed;
	pthread_mutex_unlock(&j->mu);
	job_leave(j, 0, 0);
	/* Once more at the end: a file inflated between two polls is
	 * reported done before the loading starts. */
	if (rc == 0 && !failed && tick != NULL && tick(ctx, n, n))
		rc = FILEMAP_CANCELLED;
	if (rc == FILEMAP_CANCELLED)
		return rc;
	if (failed) {
		/* Start the file again for zlib. */
		if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
			return -1;
		return 1;
	}
	*outlen = total;
	*members = count;
	return 0;
}

/* LOGONHUNT_INFLATE=zlib keeps to zlib's streaming inflate (to compare the
 * two, or where the fast path's memory use matters). */
static int
use_zlib_only(void)
{
	const char *e = secure_getenv("LOGONHUNT_INFLATE");

	return e != NULL && strcmp(e, "zlib") == 0;
}

static int
map_fd(struct filemap *m, int fd, size_t size, const char *path, char **cause)
{
	m->size = size;
	m->data = "";
	if (size == 0)
		return 0;
	m->map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m->map == MAP_FAILED) {
		m->map = NULL;
		*cause = xasprintf("%s: cannot map: %s", path, strerror(errno));
		return -1;
	}
	m->maplen = size;
	m->data = m->map;
	madvise(m->map, size, MADV_SEQUENTIAL);
	return 0;
}

struct file_id
filemap_id(const struct stat *sb)
{
	struct file_id id;

	id.dev = (uint64_t)sb->st_dev;
	id.ino = (uint64_t)sb->st_ino;
	id.mtime_ns = (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
	return id;
}

int
filemap_same(const struct file_id *a, const struct file_id *b)
{
	if (a->dev == 0 && a->ino == 0 && a->mtime_ns == 0)
		return 1;
	return a->dev == b->dev && a->ino == b->ino && a->mtime_ns == b->mtime_ns;
}

int
filemap_open(struct filemap *m, const char *path, filemap_tick tick, void *ctx,
    char **cause)
{
	struct stat sb;
	struct filemap raw;
	uint64_t outlen = 0;
	int fd, tfd, rc;

	memset(m, 0, sizeof *m);
	m->data = "";
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		*cause = xasprintf("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		close(fd);
		return -1;
	}
	memset(&raw, 0, sizeof raw);
	rc = map_fd(&raw, fd, (size_t)sb.st_size, path, cause);
	close(fd);
	if (rc != 0)
		return -1;
	m->file_size = (uint64_t)sb.st_size;
	m->id = filemap_id(&sb);
	if (!filemap_is_gzip(raw.data, raw.size)) {
		m->data = raw.data;
		m->size = raw.size;
		m->map = raw.map;
		m->maplen = raw.maplen;
		return 0;
	}
	m->gzip = 1;
	if ((tfd = tmp_open(cause, path)) == -1) {
		filemap_close(&raw);
		return -1;
	}
	rc = use_zlib_only() ? 1 : members_inflate(tfd, &raw, &outlen,
	    &m->members, tick, ctx);
	if (rc == -1)
		*cause = xasprintf("%s: cannot reuse the temporary file in %s: "
		    "%s", path, tmp_dir(), strerror(errno));
	if (rc == 1)
		rc = inflate_to(tfd, path, (const unsigned char *)raw.data,
		    raw.size, &outlen, tick, ctx, cause);
	filemap_close(&raw);
	if (rc == 0 && outlen > SIZE_MAX) {
		*cause = xasprintf("%s: too large to map once inflated", path);
		rc = -1;
	}
	if (rc == 0)
		rc = map_fd(m, tfd, (size_t)outlen, path, cause);
	close(tfd);
	if (rc != 0)
		filemap_close(m);
	return rc;
}

void
filemap_close(struct filemap *m)
{
	if (m->map != NULL)
		munmap(m->map, m->maplen);
	m->map = NULL;
	m->maplen = 0;
	m->data = "";
	m->size = 0;
}
