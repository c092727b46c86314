/* Fuzz target: the CSV loader, through load_file on a file of the bytes.
 *
 * The file is loaded, stopping at the first bad row and with
 * --skip-bad-rows, by three readers that must give the same result: the
 * fast scanner in one thread, the fast scanner split across threads at
 * every possible LF (split_min = 1), and libcsv. Same result means the
 * same return code, the same error message (file, line, column, reason),
 * the same warnings and the same loaded rows. Every event loaded reads
 * back in drill-down (through libcsv) with the values the hunt grouped
 * by. The standalone driver loads
 * every input as each of the three tables; under libFuzzer the table is
 * the one the header looks like, and the threaded load (which costs more
 * than the rest together) runs on one input in eight. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "load.h"

const char *const fuzz_dict[] = {
	"Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,"
	    "AccountName,RemoteIP,RemoteIPType\n",
	"IPAddresses\n", "IPAddress,ISP\n", "Public", "Private", "LogonSuccess",
	"LogonFailed", "INTERNAL_NETWORK", "\"[{\"\"IPAddress\"\":\"\"10.0.0.1\"\"}]\"",
	"\xef\xbb\xbf", "2024-05-01T09:30:00.2500000Z", ",Public\n", "\"\"\"\"",
	NULL
};

/* The driver loads each input eighteen times, threads included. */
const unsigned long fuzz_default_runs = 2000;

struct result {
	int rc;
	struct buf text;	/* cause or rendered table, then warnings */
};

static void
warn_collect(void *ctx, const char *msg)
{
	struct buf *b = ctx;

	buf_addf(b, "warning: %s\n", msg);
}

static void
load_once(const char *path, enum lh_table t, enum load_engine engine,
    int threads, int skip, struct result *res)
{
	struct table_data *d = table_data_new();
	struct load_opts o;
	struct buf warnings = { 0 };
	char *cause = NULL;

	memset(&o, 0, sizeof o);
	o.threads = threads;
	o.engine = engine;
	o.skip_bad_rows = skip;
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
		fuzz_render_table(d, &res->text);
	}
	if (warnings.len)
		buf_add(&res->text, warnings.p, warnings.len);
	if (res->text.p == NULL)
		buf_add(&res->text, "", 0);
	buf_free(&warnings);
	table_data_free(d);
}

static const char *
engine_name(int i)
{
	static const char *names[] = { "fast, 1 thread", "libcsv", "fast, split" };
	return names[i];
}

static void
check_table(const char *path, enum lh_table t, int skip,
    const uint8_t *data, size_t size)
{
	struct result r[3];
	struct buf in = { 0 }, ea = { 0 }, eb = { 0 };
	int i, n = fuzz_sample(data, size, 8, 0) ? 3 : 2;

	load_once(path, t, LOAD_ENGINE_FAST, 1, skip, &r[0]);
	load_once(path, t, LOAD_ENGINE_LIBCSV, 1, skip, &r[1]);
	if (n == 3)
		load_once(path, t, LOAD_ENGINE_FAST, 3, skip, &r[2]);
	for (i = 1; i < n; i++)
		if (r[i].rc != r[0].rc || r[i].text.len != r[0].text.len ||
		    memcmp(r[i].text.p, r[0].text.p, r[0].text.len) != 0) {
			fuzz_add_escaped(&in, data, size);
			fuzz_add_escaped(&ea, r[0].text.p, r[0].text.len);
			fuzz_add_escaped(&eb, r[i].text.p, r[i].text.len);
			fuzz_fail("%s%s: %s and %s differ on \"%s\":\n--- %s:\n%s\n"
			    "--- %s:\n%s", table_name(t), skip ?
			    " (--skip-bad-rows)" : "", engine_name(0),
			    engine_name(i), in.p, engine_name(0), ea.p,
			    engine_name(i), eb.p);
		}
	for (i = 0; i < n; i++)
		buf_free(&r[i].text);
}

/* The table whose columns the first line names. */
static enum lh_table
guess_table(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - (const char *)data) : size;

	if (memmem(data, n, "IPAddresses", 11) != NULL)
		return LH_NETWORK;
	if (memmem(data, n, "RemoteIP", 8) == NULL &&
	    memmem(data, n, "IPAddress", 9) != NULL)
		return LH_IDENTITY;
	return LH_LOGONS;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_write_file("export.csv", data, size);
	int t;

	for (t = 0; t < LH_NTABLES; t++) {
		if (!fuzz_thorough && t != (int)guess_table(data, size))
			continue;
		check_table(path, (enum lh_table)t, 0, data, size);
		check_table(path, (enum lh_table)t, 1, data, size);
	}
	free(path);
	return 0;
}
