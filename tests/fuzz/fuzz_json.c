/* Fuzz target: the JSON inputs (Defender and Graph hunting API documents,
 * Log Analytics tables, streaming API records and Event Hub messages, row
 * objects, JSON lines, the exported summary) and gzip, through load_file
 * on a file of the bytes with the format and table detected from content.
 *
 * The file is loaded in one thread and in three: JSON lines are read
 * first line alone, then the rest in parts, and with split_min = 1 (as
 * fuzz_csvload sets it for CSV) the rest of any input of three lines or
 * more is split, up to three parts each on a thread of its own, so the
 * threaded path runs here. Both loads must give the same return code,
 * message, warnings and rows. The same bytes gzip-compressed must load to
 * the same result (offsets count in the inflated data). The load as an
 * optional input and with an explicit table hint must not crash. Every
 * event loaded must read back in drill-down with the values the hunt
 * grouped by. Under
 * libFuzzer the threaded, gzip and extra loads run on a sample of the
 * inputs; the standalone driver runs them all on every input. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "filemap.h"
#include "fuzz.h"
#include "load.h"

/* The driver loads each input five times, threads included. */
const unsigned long fuzz_default_runs = 6000;

const char *const fuzz_dict[] = {
	"\"Schema\":", "\"Results\":", "\"schema\":", "\"results\":",
	"\"tables\":", "\"columns\":", "\"rows\":", "\"records\":",
	"\"category\":", "\"properties\":", "\"AdvancedHunting-DeviceLogonEvents\"",
	"\"AdvancedHunting-DeviceNetworkInfo\"", "\"AdvancedHunting-IdentityLogonEvents\"",
	"\"Timestamp\":", "\"RemoteIPType\":\"Public\"", "\"RemoteIP\":",
	"\"IPAddresses\":", "\"IPAddress\":", "\"ISP\":", "\"Isp\":",
	"\"Instances\":", "\"EarliestEvent\":", "{\"Name\":\"Timestamp\",\"Type\":\"DateTime\"}",
	"\"\\u0000\"", "\"\\ud800\"", "\\\"", "null", "1e400", "-0", "\n{", "}\n",
	"\xef\xbb\xbf", "\x1f\x8b\x08", NULL
};

struct result {
	int rc;
	struct buf text;
};

static void
warn_collect(void *ctx, const char *msg)
{
	buf_addf(ctx, "warning: %s\n", msg);
}

static void
load_once(const char *path, enum lh_table t, int threads, struct result *res)
{
	struct table_data *d = table_data_new();
	struct load_opts o;
	struct buf warnings = { 0 };
	char *cause = NULL;
	size_t i;

	memset(&o, 0, sizeof o);
	o.threads = threads;
	o.split_min = 1;
	o.warn = warn_collect;
	o.warn_ctx = &warnings;
	memset(&res->text, 0, sizeof res->text);
	res->rc = load_file(d, path, t, &o, &cause);
	if (res->rc != 0) {
		FUZZ_CHECK(cause != NULL && cause[0] != '\0',
		    "load_file failed (%d) without a message", res->rc);
		buf_addf(&res->text, "error %d: %s\n", res->rc, cause);
		free(cause);
	} else {
		FUZZ_CHECK(cause == NULL, "load_file succeeded but set a message");
		fuzz_check_drilldown(d);
		/* Whether the bytes were compressed is the one difference
		 * allowed between the plain and the gzip load. */
		for (i = 0; i < d->nfiles; i++)
			d->files[i].format &= ~LOAD_FMT_GZIP;
		fuzz_render_table(d, &res->text);
	}
	if (warnings.len)
		buf_add(&res->text, warnings.p, warnings.len);
	if (res->text.p == NULL)
		buf_add(&res->text, "", 0);
	buf_free(&warnings);
	table_data_free(d);
}

static void
same(const struct result *a, const struct result *b, const char *what,
    const uint8_t *data, size_t size)
{
	struct buf in = { 0 }, ea = { 0 }, eb = { 0 };

	if (a->rc == b->rc && a->text.len == b->text.len &&
	    memcmp(a->text.p, b->text.p, a->text.len) == 0)
		return;
	fuzz_add_escaped(&in, data, size > 2000 ? 2000 : size);
	fuzz_add_escaped(&ea, a->text.p, a->text.len);
	fuzz_add_escaped(&eb, b->text.p, b->text.len);
	fuzz_fail("%s differ on \"%s\":\n--- the first:\n%s\n--- the other:\n%s",
	    what, in.p, ea.p, eb.p);
}

static uint8_t *
gzip_bytes(const uint8_t *data, size_t size, size_t *outlen)
{
	z_stream z;
	size_t cap = compressBound((uLong)size) + 64;
	uint8_t *out = xmalloc(cap);

	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		fuzz_fail("deflateInit2");
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)size;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		fuzz_fail("deflate");
	*outlen = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_write_file("export.json", data, size);
	struct result one, split, gz, other;
	uint8_t *packed;
	size_t plen;

	load_once(path, LOAD_DETECT, 1, &one);
	if (fuzz_sample(data, size, 4, 0)) {
		load_once(path, LOAD_DETECT, 3, &split);
		same(&one, &split, "one thread and three threads", data, size);
		buf_free(&split.text);
	}
	if (fuzz_sample(data, size, 2, 1)) {
		load_once(path, LOAD_DETECT_OPTIONAL, 1, &other);
		buf_free(&other.text);
		load_once(path, LH_LOGONS, 1, &other);
		buf_free(&other.text);
	}
	if (!filemap_is_gzip(data, size) && size < (1u << 20) &&
	    fuzz_sample(data, size, 4, 2)) {
		packed = gzip_bytes(data, size, &plen);
		free(path);
		path = fuzz_write_file("export.json", packed, plen);
		free(packed);
		load_once(path, LOAD_DETECT, 1, &gz);
		same(&one, &gz, "the plain and the gzip load", data, size);
		buf_free(&gz.text);
	}
	buf_free(&one.text);
	free(path);
	return 0;
}
