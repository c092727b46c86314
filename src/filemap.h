/* An input file in memory, whatever its container: mapped as it is, or, if
 * it holds gzip data, inflated once into an unlinked temporary file under
 * $TMPDIR (default /tmp) and mapped from there: each gzip member inflated
 * whole by libdeflate, the members of a multi-member file in parallel,
 * or, when a member's declared size cannot be trusted, the file streamed
 * through zlib. Every reader (the CSV and
 * JSON loaders, drill-down) then sees plain bytes at stable offsets, and
 * the kernel, not the heap, holds them. The temporary file takes as much
 * disk as the inflated data and disappears when the map is closed (or the
 * process ends). */
#ifndef LH_FILEMAP_H
#define LH_FILEMAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#define FILEMAP_CANCELLED (-2)	/* the same value as LOAD_CANCELLED */

/* Which file on disk, as it was when read: a file rewritten in place keeps
 * its device and inode but not its modification time. */
struct file_id {
	uint64_t dev, ino;
	int64_t mtime_ns;
};

struct filemap {
	const char *data;	/* the content, "" when empty */
	size_t size;
	int gzip;		/* the file held gzip data */
	size_t members;		/* gzip members inflated whole (libdeflate);
				 * 0 when zlib streamed the file */
	uint64_t file_size;	/* of the file on disk */
	struct file_id id;	/* of the file on disk */
	void *map;		/* for munmap */
	size_t maplen;
};

/* Called while inflating with the compressed bytes read so far; return
 * nonzero to cancel. */
typedef int (*filemap_tick)(void *ctx, uint64_t done, uint64_t total);

/* 1 if the bytes start like gzip data (RFC 1952 magic and method). */
int filemap_is_gzip(const void *p, size_t n);
/* The identity of the file sb describes. */
struct file_id filemap_id(const struct stat *sb);
/* 1 if a and b name the same file, unchanged: equal, or a unknown (zero). */
int filemap_same(const struct file_id *a, const struct file_id *b);
/* Returns 0, -1 with *cause (naming the file, and for damaged gzip data the
 * compressed byte offset), or FILEMAP_CANCELLED. tick may be NULL. */
int filemap_open(struct filemap *m, const char *path, filemap_tick tick,
    void *ctx, char **cause);
void filemap_close(struct filemap *m);
/* Waits for the threads that a cancel left inflating gzip members to end
 * (each ends with the member it holds, writing nothing more): for tests,
 * and for whoever must know no file is read any more. */
void filemap_settle(void);

#endif
