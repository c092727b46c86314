/* Small shared helpers: checked allocation, growable buffers, messages. */
#ifndef LH_UTIL_H
#define LH_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* A counted string that points into someone else's memory. */
struct lh_str {
	const char *p;
	size_t n;
};

/* Called before the process aborts on out-of-memory, so the program can
 * restore the terminal first. The core never prints for itself otherwise. */
void util_set_oom_hook(void (*hook)(void));

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of `size`-byte items to hold at least `need` items. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* A growable byte buffer, always NUL-terminated when non-empty. */
struct buf {
	char *p;
	size_t len, cap;
};
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

/* 1 if [p, p+n) is valid UTF-8 (no overlongs, no surrogates). */
int utf8_valid(const char *p, size_t n);
/* Decodes the sequence at p (n >= 1 bytes available) into *cp and returns
 * its length, 1 to 4; 0 if it is not valid UTF-8 (an overlong form, a
 * surrogate, past U+10FFFF, cut short, or a stray byte). */
size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp);
/* Writes code point cp (below 0x110000) as UTF-8 into out; returns its
 * length, 1 to 4. */
size_t utf8_encode(char out[4], unsigned long cp);

/* Display columns of code point cp on a terminal, by the locale's wcwidth
 * (LC_CTYPE must be set from the environment): 2 for East Asian wide, 0
 * for a combining mark, -1 for a control or what the locale cannot draw. */
int utf8_cp_width(uint32_t cp);
/* Decodes one character of escaped text (utf8_valid; a stray byte is taken
 * alone): its length in bytes (at least 1) and its display width, 0 for a
 * combining mark, 1 for what has no width of its own. */
size_t utf8_glyph(const char *s, size_t n, int *width);
/* Display columns of escaped text, the sum of its utf8_glyph widths: what
 * the console and `-f table` align by. */
int utf8_width(const char *s, size_t n);

/* 1 for the controls: C0, DEL, C1, and U+2028/U+2029 (they end a line). */
int utf8_cp_control(uint32_t cp);
/* 1 for the code points that hide or reorder text without drawing
 * anything: U+00AD, U+061C, U+115F, U+1160, U+180E, U+200B-U+200F,
 * U+202A-U+202E, U+2060-U+206F, U+3164, U+FEFF, U+FFA0, U+FFF9-U+FFFB and
 * the tags U+E0000-U+E007F. */
int utf8_cp_hidden(uint32_t cp);

/* Writes s to f with anything a terminal would act on or that hides or
 * reorders text (utf8_cp_control, utf8_cp_hidden, invalid UTF-8) shown as
 * visible escapes: \x1b below U+00A0 and for a stray byte, else \u202e
 * or \U000e0001; a backslash doubled so that an escape is never
 * ambiguous. Returns the number of bytes written. */
size_t util_fput_escaped(FILE *f, const char *s, size_t n);
/* The same escaping into a buffer. */
void buf_add_escaped(struct buf *b, const char *s, size_t n);
/* The same, but a backslash stays single: for messages that may already
 * hold escaped pieces (a file name, say, is not escaped where a message is
 * built; this makes the whole message safe where it is printed). */
void buf_add_safe(struct buf *b, const char *s, size_t n);
/* Prints prefix and msg (made safe) and a newline. */
void util_fput_message(FILE *f, const char *prefix, const char *msg);

/* Writes all of buf to path atomically: temp file in the same directory
 * (path.tmp.PID-START.XXXXXX: the writer's PID and start time), fsync,
 * rename, fsync of the directory. Returns -1 and sets *cause. First
 * removes the temporary files of path that writers killed before their
 * rename left behind (their process is gone). */
int util_write_atomic(const char *path, const char *data, size_t len, char **cause);
/* The same with the new file's mode given, rather than taken from the file
 * replaced (or the umask): (mode_t)-1 for that default. Both refuse to
 * replace anything but a regular file or a symbolic link (the link itself
 * is replaced): a device node or FIFO at path is never renamed over. */
int util_write_atomic_mode(const char *path, const char *data, size_t len,
    mode_t mode, char **cause);
/* The same written as it is made, so that a large file never sits whole
 * in memory: util_atomic_open creates the temporary file (O_EXCL, the
 * mode as above), util_atomic_write appends to it, util_atomic_commit
 * fsyncs it, renames it over path and fsyncs the directory, and
 * util_atomic_abort removes it, path untouched. Each returns -1 with
 * *cause naming the file; after a failed write call util_atomic_abort;
 * commit frees the writer whatever it returns (on failure the temporary
 * file is gone). While it is written, SIGINT, SIGTERM, SIGHUP and
 * SIGQUIT remove the temporary file before doing what they did before
 * (an ignored signal stays ignored). */
struct util_atomic;
int util_atomic_open(const char *path, mode_t mode, struct util_atomic **out,
    char **cause);
int util_atomic_write(struct util_atomic *a, const void *p, size_t n,
    char **cause);
int util_atomic_commit(struct util_atomic *a, char **cause);
void util_atomic_abort(struct util_atomic *a);
/* "a directory", "a FIFO", ...: what a file of this mode is, for messages. */
const char *util_file_type(mode_t mode);

uint64_t util_hash(const void *p, size_t n);
/* A hash of n integer ids (string ids, say) as one key. */
uint64_t util_hash_ids(const uint32_t *v, size_t n);

/* Asks for huge pages under [p, p + n) where the kernel leaves that to
 * the program (transparent huge pages in "madvise" mode): for a large
 * table read at random, whose lookups would otherwise miss the TLB as
 * well as the cache. Only the whole 2 MiB pages inside are affected;
 * nothing for less than a few of them, or where the call fails. */
void util_hugepages(void *p, size_t n);

/* Sets the allocator up for the large tables of a load (call first in
 * main): every block of 1 MiB or more is a mapping of its own, so that
 * growing one moves no bytes and freeing one hands it back at once. */
void util_malloc_tune(void);

/* Hands memory freed since to the kernel where the allocator keeps it
 * (glibc keeps what the loading threads freed in their arenas). */
void util_heap_trim(void);

/* Frees v[0 .. n) and v. */
void util_strv_free(char **v, size_t n);

/* The value of a hexadecimal digit, or -1. */
static inline int
util_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
