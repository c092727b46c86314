#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
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
	rc = inflate_to(tfd, path, (const unsigned char *)raw.data, raw.size,
	    &outlen, tick, ctx, cause);
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
