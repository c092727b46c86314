/* Fuzz target: gzip inputs, the member splitter and its fallback, by
 * differential testing of filemap's two inflaters on the same file: the
 * fast path (members found by their headers, sized by their ISIZE
 * trailers, inflated whole by libdeflate, in parallel) and zlib's stream
 * (LOGONHUNT_INFLATE=zlib), the reference.
 *
 * The first byte chooses the input's shape. Even: the rest is the file as
 * it is (the seeds are real gzip files). Odd: the rest is cut into parts
 * at each 0xfe byte, each part compressed as its own member (levels 0 to
 * 9, so stored parts carry the fuzzer's bytes, false headers included,
 * verbatim), the members concatenated; bit 1 then flips a byte, bit 2
 * cuts the file short and bit 3 appends bytes, at places the next bytes
 * give.
 *
 * Invariants: whatever zlib reads, the fast path reads to the same bytes;
 * whatever the fast path rejects, zlib rejects with the same message (the
 * fast path hands every doubt to zlib); the fast path may load a file
 * zlib stops as a decompression bomb only within the ratio limit (it
 * judges the whole file's declared size, zlib the ratio so far). An
 * undamaged built file loads as the parts' concatenation, its members
 * counted (or 0, when a stored part's false header sent it to zlib). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "filemap.h"
#include "fuzz.h"

const unsigned long fuzz_default_runs = 4000;

const char *const fuzz_dict[] = {
	"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", "\x1f\x8b\x08\x08",
	"\x03\x00", "\x00\x00\xff\xff", "\xfe", "\x00\x00\x00\x00", NULL
};

struct opened {
	int rc;
	char *cause;
	struct buf data;
	size_t members;
};

static void
open_with(const char *path, const char *inflater, struct opened *o)
{
	struct filemap m;

	if (inflater != NULL)
		setenv("LOGONHUNT_INFLATE", inflater, 1);
	else
		unsetenv("LOGONHUNT_INFLATE");
	memset(o, 0, sizeof *o);
	o->rc = filemap_open(&m, path, NULL, NULL, &o->cause);
	unsetenv("LOGONHUNT_INFLATE");
	FUZZ_CHECK(o->rc == 0 || o->rc == -1, "filemap_open returned %d", o->rc);
	FUZZ_CHECK((o->rc == 0) == (o->cause == NULL),
	    "filemap_open returned %d with%s a message", o->rc,
	    o->cause == NULL ? "out" : "");
	if (o->rc != 0)
		return;
	buf_add(&o->data, m.data, m.size);
	o->members = m.members;
	filemap_close(&m);
}

static void
member_add(struct buf *gz, const uint8_t *p, size_t n, int level)
{
	z_stream z;
	size_t cap = compressBound((uLong)n) + 64;
	unsigned char *out = xmalloc(cap);

	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		fuzz_fail("deflateInit2 failed");
	z.next_in = (unsigned char *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		fuzz_fail("deflate did not finish");
	buf_add(gz, out, z.total_out);
	deflateEnd(&z);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf file = { 0 }, plain = { 0 };
	struct opened fast, ref;
	size_t i, from, parts = 0, at;
	unsigned mode;
	int damaged = 0;
	char *path;

	if (size < 1 || size > (64u << 10))
		return 0;
	mode = data[0];
	data++;
	size--;
	if (!(mode & 1)) {
		buf_add(&file, data, size);
	} else {
		for (i = from = 0; i <= size; i++) {
			if (i < size && data[i] != 0xfe)
				continue;
			member_add(&file, data + from, i - from, (int)(parts % 10));
			buf_add(&plain, data + from, i - from);
			parts++;
			from = i + 1;
		}
		/* The places for the damage: the input's first bytes again. */
		at = size >= 2 ? ((size_t)data[0] << 8 | data[1]) : 0;
		if ((mode & 2) && file.len > 0) {
			file.p[at % file.len] ^= (char)(mode | 1);
			damaged = 1;
		}
		if ((mode & 4) && file.len > 0) {
			file.len = at % file.len;
			damaged = 1;
		}
		if (mode & 8) {
			buf_add(&file, data, size < 24 ? size : 24);
			damaged = 1;
		}
	}
	path = fuzz_write_file("in.gz", file.p != NULL ? file.p : "", file.len);
	open_with(path, NULL, &fast);
	open_with(path, "zlib", &ref);
	FUZZ_CHECK(ref.members == 0, "the zlib stream counted %zu members",
	    ref.members);
	if (ref.rc == 0) {
		FUZZ_CHECK(fast.rc == 0, "zlib reads the file, the fast path "
		    "says: %s", fast.cause);
		FUZZ_CHECK(fast.data.len == ref.data.len &&
		    memcmp(fast.data.p != NULL ? fast.data.p : "",
		    ref.data.p != NULL ? ref.data.p : "", ref.data.len) == 0,
		    "the fast path read %zu bytes unlike zlib's %zu",
		    fast.data.len, ref.data.len);
	} else if (fast.rc != 0) {
		FUZZ_CHECK(strcmp(fast.cause, ref.cause) == 0,
		    "the two inflaters say different things: %s | %s",
		    fast.cause, ref.cause);
	} else {
		FUZZ_CHECK(strstr(ref.cause, "decompression bomb") != NULL &&
		    fast.data.len / (file.len ? file.len : 1) <= 200,
		    "the fast path read %zu bytes from %zu where zlib says: %s",
		    fast.data.len, file.len, ref.cause);
	}
	if ((mode & 1) && !damaged) {
		FUZZ_CHECK(fast.rc == 0 && fast.data.len == plain.len &&
		    memcmp(fast.data.p != NULL ? fast.data.p : "",
		    plain.p != NULL ? plain.p : "", plain.len) == 0,
		    "%zu members did not read back as their parts", parts);
		FUZZ_CHECK(fast.members == parts || fast.members == 0,
		    "%zu members counted as %zu", parts, fast.members);
	}
	free(fast.cause);
	free(ref.cause);
	buf_free(&fast.data);
	buf_free(&ref.data);
	buf_free(&file);
	buf_free(&plain);
	free(path);
	return 0;
}
