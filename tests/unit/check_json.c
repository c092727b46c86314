/* Unit tests of the input formats: the Defender, Graph and Log Analytics
 * API responses, streaming API records (Event Hub messages and blobs),
 * JSON lines, gzip, the hunt's exported summary; detection from content,
 * directory discovery, drill-down, and every error path with its message. */
#include "config.h"

#include <check.h>
#include <ctype.h>
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "detect.h"
#include "hunt.h"
#include "jsonscan.h"
#include "load.h"
#include "output.h"
#include "rawevent.h"
#include "table.h"
#include "ts.h"
#include "util.h"

#include "testutil.h"

/* gzip-compresses content into name. */
static char *
write_gz(const char *name, const char *content, size_t n)
{
	char *path = tu_path(name);
	gzFile g = gzopen(path, "wb");

	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(gzwrite(g, content, (unsigned)n), (int)n);
	ck_assert_int_eq(gzclose(g), Z_OK);
	return path;
}

static char *
read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	struct buf b = { 0 };
	char chunk[4096];
	size_t k;

	ck_assert_ptr_nonnull(f);
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, k);
	fclose(f);
	*n = b.len;
	return b.p != NULL ? b.p : xstrdup("");
}

/* Warnings, collected for assertions. */
struct warns {
	struct buf all;
	int n;
};

static void
warn_collect(void *ctx, const char *msg)
{
	struct warns *w = ctx;

	buf_addf(&w->all, "%s\n", msg);
	w->n++;
}

static struct load_opts
opts(struct warns *w)
{
	struct load_opts o;

	memset(&o, 0, sizeof o);
	o.warn = warn_collect;
	o.warn_ctx = w;
	return o;
}

static const char *
key_str(const struct table_data *d, const struct lh_event *e, int k)
{
	return strtab_str(d->st, e->key[k]);
}

static int
has_flag(const struct table_data *d, const char *ip, unsigned flag)
{
	uint32_t id;

	if (!strtab_find(d->st, ip, strlen(ip), &id))
		return 0;
	return id < d->capflags && (d->ipflags[id] & flag) != 0;
}

/* Loads one file and expects success. */
static struct table_data *
load_ok(const char *path, enum lh_table t, struct warns *w)
{
	struct table_data *d = table_data_new();
	struct load_opts o = opts(w);
	char *cause = NULL;
	int rc = load_file(d, path, t, &o, &cause);

	ck_assert_msg(rc == 0, "load %s: %s", path, cause ? cause : "?");
	return d;
}

/* Loads one file and returns the error message (which must exist). */
static char *
load_err(const char *path, enum lh_table t, int skip_bad)
{
	struct table_data *d = table_data_new();
	struct warns w = { { 0 }, 0 };
	struct load_opts o = opts(&w);
	char *cause = NULL;
	int rc;

	o.skip_bad_rows = skip_bad;
	rc = load_file(d, path, t, &o, &cause);
	ck_assert_msg(rc == -1, "load %s should fail (rc %d)", path, rc);
	ck_assert_ptr_nonnull(cause);
	table_data_free(d);
	buf_free(&w.all);
	return cause;
}

#define ck_contains(hay, needle) \
	ck_assert_msg(strstr((hay), (needle)) != NULL, \
	    "expected \"%s\" in \"%s\"", (needle), (hay))

/* ------------------------------------------------------------- scanner */

START_TEST(test_scan_skip)
{
	static const struct {
		const char *in;
		int ok;
		size_t len;
	} cases[] = {
		{ "{\"a\":[1,2,{\"b\":\"}\\\"]\"}]} tail", 1, 24 },
		{ "\"x\\\\\" , 1", 1, 5 },
		{ "-12.5e3,", 1, 7 },
		{ "{\"a\":[1,2}", 0, 0 },
		{ "{\"a\":\"b", 0, 0 },
		{ "\"line\nbreak\"", 0, 0 },
		{ "]", 0, 0 },
		{ "", 0, 0 },
	};
	struct jsonscan s;
	const char *e;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *in = cases[i].in;

		jsonscan_init(&s, in + strlen(in));
		e = jsonscan_skip(&s, in);
		if (cases[i].ok) {
			ck_assert_msg(e != NULL, "case %zu", i);
			ck_assert_uint_eq((size_t)(e - in), cases[i].len);
		} else {
			ck_assert_msg(e == NULL, "case %zu should fail", i);
		}
	}
}
END_TEST

/* A string scanned a byte at a time, as the scanner did before it looked
 * at 16 and 8 bytes at once: the length of the string (quotes included)
 * or -1 with the error and where. */
static long
ref_skip_string(const unsigned char *p, size_t n, enum jsonscan_error *err,
    size_t *at)
{
	size_t i = 1;

	while (i < n) {
		if (p[i] == '"')
			return (long)i + 1;
		if (p[i] == '\\') {
			i += 2;
			continue;
		}
		if (p[i] < 0x20) {
			*err = p[i] == '\n' || p[i] == '\r' ? JSONSCAN_TRUNCATED :
			    JSONSCAN_UNEXPECTED;
			*at = i;
			return -1;
		}
		i++;
	}
	*err = JSONSCAN_TRUNCATED;
	*at = n;
	return -1;
}

/* Strings of every length to 90 with each byte that matters (quote,
 * backslash and what it escapes, control characters, 0x1f and 0x20,
 * bytes above 0x7f) at every position, so that each falls at every place
 * in the 16- and 8-byte steps and in the bytes after them, and an input
 * that ends inside an escape; each in a buffer of its exact size. */
START_TEST(test_scan_string_positions)
{
	static const unsigned char alphabet[] = "aaaaaaaaaaaaaaaa \x7f\x80\xff\xc3"
	    "\"\\\x01\x1f\n\r\t";
	uint64_t x = 0x9e3779b97f4a7c15ull;
	enum jsonscan_error err = JSONSCAN_OK;
	size_t n, i, at = 0;
	struct jsonscan s;
	unsigned char *buf;
	const char *e;
	long want;
	int iter;

	for (iter = 0; iter < 50000; iter++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		n = 1 + x % 90;
		buf = xmalloc(n);
		buf[0] = '"';
		for (i = 1; i < n; i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			/* Mostly plain bytes, so that the special one comes
			 * late as often as early. */
			buf[i] = alphabet[(x & 3) ? (x >> 8) % 20 :
			    (x >> 8) % (sizeof alphabet - 1)];
		}
		want = ref_skip_string(buf, n, &err, &at);
		jsonscan_init(&s, (const char *)buf + n);
		e = jsonscan_skip(&s, (const char *)buf);
		if (want >= 0) {
			ck_assert_ptr_nonnull(e);
			ck_assert_int_eq(e - (const char *)buf, want);
		} else {
			ck_assert_ptr_null(e);
			ck_assert_int_eq(s.err, err);
			ck_assert_int_eq(s.errpos - (const char *)buf, (long)at);
		}
		free(buf);
	}
}
END_TEST

START_TEST(test_scan_members)
{
	const char *in = "{ \"Sch\\u0065ma\" : [1], \"results\":[{}] , \"x\":null }";
	struct jsonscan s;
	struct jsonscan_iter it;
	struct lh_str key;
	const char *v, *ve;
	int n = 0;

	jsonscan_init(&s, in + strlen(in));
	ck_assert_int_eq(jsonscan_enter(&s, &it, in, '{'), 0);
	while (jsonscan_member(&s, &it, &key, &v, &ve) > 0) {
		if (n == 0)
			ck_assert(jsonscan_key_is(&key, "schema"));
		if (n == 1)
			ck_assert(jsonscan_key_is(&key, "Results"));
		if (n == 2)
			ck_assert_int_eq(strncmp(v, "null", (size_t)(ve - v)), 0);
		n++;
	}
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(s.err, JSONSCAN_OK);
	/* A trailing comma is an error, not a silent end. */
	in = "[1,2,]";
	jsonscan_init(&s, in + strlen(in));
	jsonscan_enter(&s, &it, in, '[');
	ck_assert_int_eq(jsonscan_element(&s, &it, &v, &ve), 1);
	ck_assert_int_eq(jsonscan_element(&s, &it, &v, &ve), 1);
	ck_assert_int_eq(jsonscan_element(&s, &it, &v, &ve), -1);
}
END_TEST

/* -------------------------------------------------------------- formats */

/* The Defender advanced hunting API, as its documentation shows it, with
 * what real data has: nulls, numbers, an object in a dynamic column. */
static const char defender_doc[] =
    "{\n"
    "  \"Stats\": {\"ExecutionTime\": 0.1},\n"
    "  \"Schema\": [\n"
    "    {\"Name\": \"Timestamp\", \"Type\": \"DateTime\"},\n"
    "    {\"Name\": \"DeviceId\", \"Type\": \"String\"},\n"
    "    {\"Name\": \"DeviceName\", \"Type\": \"String\"},\n"
    "    {\"Name\": \"ActionType\", \"Type\": \"String\"},\n"
    "    {\"Name\": \"LogonType\", \"Type\": \"String\"},\n"
    "    {\"Name\": \"AccountDomain\", \"Type\": \"String\"},\n"
    "    {\"Name\": \"AccountName\", \"Type\": \"String\"},\n"
    "    {\"Name\": \"RemoteIP\", \"Type\": \"String\"},\n"
    "    {\"Name\": \"RemoteIPType\", \"Type\": \"String\"},\n"
    "    {\"Name\": \"RemotePort\", \"Type\": \"Int32\"},\n"
    "    {\"Name\": \"AdditionalFields\", \"Type\": \"Object\"}\n"
    "  ],\n"
    "  \"Results\": [\n"
    "    {\"Timestamp\": \"2024-03-26T09:39:50.7688641Z\", \"DeviceId\": \"d1\", "
    "\"DeviceName\": \"ws1\", \"ActionType\": \"LogonSuccess\", \"LogonType\": "
    "\"Network\", \"AccountDomain\": \"CONTOSO\", \"AccountName\": \"alice\", "
    "\"RemoteIP\": \"198.51.100.7\", \"RemoteIPType\": \"Public\", "
    "\"RemotePort\": 445, \"AdditionalFields\": {\"IsLocalLogon\": true}},\n"
    "    {\"Timestamp\": \"2024-03-26T09:40:00Z\", \"DeviceId\": \"d1\", "
    "\"DeviceName\": \"ws1\", \"ActionType\": \"LogonSuccess\", \"LogonType\": "
    "\"Network\", \"AccountDomain\": \"CONTOSO\", \"AccountName\": \"bob\", "
    "\"RemoteIP\": \"10.0.0.5\", \"RemoteIPType\": \"Private\", "
    "\"RemotePort\": 0, \"AdditionalFields\": null},\n"
    "    {\"Timestamp\": \"2024-03-26T09:41:00Z\", \"DeviceId\": \"d2\", "
    "\"DeviceName\": \"ws2\", \"ActionType\": \"LogonFailed\", \"LogonType\": "
    "\"Network\", \"AccountDomain\": null, \"AccountName\": \"caf\\u00e9\", "
    "\"RemoteIP\": \"203.0.113.9\", \"RemoteIPType\": \"Public\", "
    "\"RemotePort\": 3389, \"AdditionalFields\": \"{\\\"x\\\":1}\"}\n"
    "  ]\n"
    "}\n";

START_TEST(test_defender_doc)
{
	struct warns w = { { 0 }, 0 };
	char *path = tu_write_str("DeviceLogonEvents.json", defender_doc);
	struct table_data *d = load_ok(path, LH_LOGONS, &w);
	struct rawevent r;
	char *cause = NULL;
	int64_t t;

	ck_assert_uint_eq(d->rows[LH_LOGONS], 3);
	ck_assert_uint_eq(d->nev, 2);
	ck_assert_uint_eq(d->nfiles, 1);
	ck_assert_int_eq(d->files[0].format, LOAD_FMT_JSON_DOC);
	ck_assert_int_eq(d->files[0].table, LH_LOGONS);
	ck_assert_str_eq(key_str(d, &d->ev[0], K_NAME), "alice");
	ck_assert_str_eq(key_str(d, &d->ev[0], K_DOMAIN), "CONTOSO");
	ck_assert_str_eq(key_str(d, &d->ev[0], K_REMOTEIP), "198.51.100.7");
	ck_assert_str_eq(key_str(d, &d->ev[0], K_ACTIONTYPE), "LogonSuccess");
	ck_assert_str_eq(key_str(d, &d->ev[0], K_LOGONTYPE), "Network");
	ts_parse("2024-03-26T09:39:50.7688641Z", 28, &t);
	ck_assert(d->ev[0].ts == t);
	/* JSON null is the empty string, as Kusto has it for strings. */
	ck_assert_str_eq(key_str(d, &d->ev[1], K_DOMAIN), "");
	ck_assert_str_eq(key_str(d, &d->ev[1], K_NAME), "caf\xc3\xa9");
	ck_assert_str_eq(strtab_str(d->st, table_event_device_id(d, &d->ev[1])), "d2");
	/* Each event points at its row object, on its own line. */
	ck_assert_uint_eq(d->ev[0].line, 17);
	ck_assert_uint_eq(d->ev[1].line, 19);
	ck_assert_int_eq(defender_doc[d->ev[0].offset], '{');
	ck_assert_int_eq(strncmp(defender_doc + d->ev[1].offset,
	    "{\"Timestamp\": \"2024-03-26T09:41:00Z\"", 36), 0);

	ck_assert_int_eq(rawevent_read(d, &d->ev[0], &r, &cause), 0);
	ck_assert_uint_eq(r.n, 11);
	ck_assert_str_eq(r.names[0], "Timestamp");
	ck_assert_str_eq(rawevent_get(&r, "RemotePort", NULL), "445");
	ck_assert_str_eq(rawevent_get(&r, "AdditionalFields", NULL), "{\"IsLocalLogon\":true}");
	rawevent_free(&r);
	ck_assert_int_eq(rawevent_read(d, &d->ev[1], &r, &cause), 0);
	ck_assert_str_eq(rawevent_get(&r, "AccountDomain", NULL), "");
	ck_assert_str_eq(rawevent_get(&r, "AccountName", NULL), "caf\xc3\xa9");
	ck_assert_str_eq(rawevent_get(&r, "AdditionalFields", NULL), "{\"x\":1}");
	rawevent_free(&r);
	ck_assert_int_eq(w.n, 0);
	buf_free(&w.all);
	table_data_free(d);
	free(path);
}
END_TEST

/* Graph runHuntingQuery, lower-case keys, "Name"/"Type" in the schema as
 * one of its examples has, detected by its columns. */
START_TEST(test_graph_doc_detected)
{
	struct warns w = { { 0 }, 0 };
	const char *doc =
	    "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#"
	    "microsoft.graph.security.huntingQueryResults\",\"schema\":["
	    "{\"Name\":\"Timestamp\",\"Type\":\"DateTime\"},"
	    "{\"Name\":\"IPAddress\",\"Type\":\"String\"},"
	    "{\"Name\":\"ISP\",\"Type\":\"String\"},"
	    "{\"Name\":\"ReportId\",\"Type\":\"Int64\"}],\"results\":["
	    "{\"Timestamp\":\"2024-03-26T09:39:50Z\",\"IPAddress\":\"192.0.2.1\","
	    "\"ISP\":\"Contoso ISP\",\"ReportId\":12345678901},"
	    "{\"Timestamp\":\"2024-03-26T09:39:50Z\",\"IPAddress\":\"192.0.2.2\","
	    "\"ISP\":\"INTERNAL_NETWORK\",\"ReportId\":2}]}";
	char *path = tu_write_str("query-result.json", doc);
	struct table_data *d = load_ok(path, LOAD_DETECT, &w);

	ck_assert_uint_eq(d->rows[LH_IDENTITY], 2);
	ck_assert_int_eq(d->files[0].table, LH_IDENTITY);
	ck_assert_int_eq(d->files[0].format, LOAD_FMT_JSON_LINES);
	ck_assert(has_flag(d, "192.0.2.1", IPF_IDENT_OTHER));
	ck_assert(has_flag(d, "192.0.2.2", IPF_IDENT_INTERNAL));
	ck_assert(!has_flag(d, "192.0.2.2", IPF_IDENT_OTHER));
	buf_free(&w.all);
	table_data_free(d);
	free(path);
}
END_TEST

static const char la_doc[] =
    "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[\n"
    "{\"name\":\"TimeGenerated\",\"type\":\"datetime\"},\n"
    "{\"name\":\"Timestamp\",\"type\":\"datetime\"},\n"
    "{\"name\":\"DeviceId\",\"type\":\"string\"},\n"
    "{\"name\":\"DeviceName\",\"type\":\"string\"},\n"
    "{\"name\":\"ActionType\",\"type\":\"string\"},\n"
    "{\"name\":\"LogonType\",\"type\":\"string\"},\n"
    "{\"name\":\"AccountDomain\",\"type\":\"string\"},\n"
    "{\"name\":\"AccountName\",\"type\":\"string\"},\n"
    "{\"name\":\"RemoteIP\",\"type\":\"string\"},\n"
    "{\"name\":\"RemoteIPType\",\"type\":\"string\"},\n"
    "{\"name\":\"RemotePort\",\"type\":\"int\"}],\n"
    "\"rows\":[\n"
    "[\"2023-12-21T19:56:06Z\",\"2023-12-21T19:56:05.123Z\",\"d1\",\"ws1\","
    "\"LogonSuccess\",\"RemoteInteractive\",\"C\",\"u1\",\"192.0.2.10\","
    "\"Public\",3389],\n"
    "[\"2023-12-21T19:57:06Z\",\"2023-12-21T19:57:05Z\",\"d2\",\"ws2\","
    "\"LogonFailed\",\"Network\",\"C\",\"u2\",\"192.0.2.11\",\"Public\",null]\n"
    "]}]}\n";

START_TEST(test_log_analytics_doc)
{
	struct warns w = { { 0 }, 0 };
	char *path = tu_write_str("sentinel.json", la_doc);
	struct table_data *d = load_ok(path, LOAD_DETECT, &w);
	struct rawevent r;
	char *cause = NULL;
	char out[TS_BUFSZ];

	ck_assert_uint_eq(d->rows[LH_LOGONS], 2);
	ck_assert_uint_eq(d->nev, 2);
	ck_assert_str_eq(key_str(d, &d->ev[0], K_LOGONTYPE), "RemoteInteractive");
	ts_format(d->ev[0].ts, out);
	ck_assert_str_eq(out, "2023-12-21T19:56:05.1230000Z");
	ck_assert_uint_eq(d->ev[1].line, 15);
	ck_assert_int_eq(la_doc[d->ev[1].offset], '[');
	ck_assert_int_eq(rawevent_read(d, &d->ev[1], &r, &cause), 0);
	ck_assert_uint_eq(r.n, 11);
	ck_assert_str_eq(r.names[0], "TimeGenerated");
	ck_assert_str_eq(rawevent_get(&r, "AccountName", NULL), "u2");
	ck_assert_str_eq(rawevent_get(&r, "RemotePort", NULL), "");
	rawevent_free(&r);
	ck_assert_int_eq(rawevent_read(d, &d->ev[0], &r, &cause), 0);
	ck_assert_str_eq(rawevent_get(&r, "RemotePort", NULL), "3389");
	rawevent_free(&r);
	buf_free(&w.all);
	table_data_free(d);
	free(path);
}
END_TEST

/* Streaming records as storage blobs write them, all tables in one file,
 * with records of other tables; the file is named after one table. */
static const char stream_lines[] =
    "{\"category\":\"AdvancedHunting-DeviceLogonEvents\",\"time\":\"t\","
    "\"properties\":{\"AccountDomain\":null,\"AccountName\":\"administrator\","
    "\"ActionType\":\"LogonFailed\",\"DeviceId\":\"999b\",\"DeviceName\":"
    "\"testmachine6\",\"LogonType\":\"Network\",\"RemoteIP\":\"67.43.156.1\","
    "\"RemoteIPType\":\"Public\",\"RemotePort\":0,\"ReportId\":3551,"
    "\"Timestamp\":\"2022-11-09T17:47:28.8167685Z\"}}\r\n"
    "{\"category\":\"AdvancedHunting-DeviceProcessEvents\",\"properties\":{}}\r\n"
    "\r\n"
    "{\"category\":\"AdvancedHunting-DeviceNetworkInfo\",\"properties\":{"
    "\"IPAddresses\":\"[{\\\"IPAddress\\\":\\\"67.43.156.0\\\",\\\"SubnetPrefix"
    "\\\":26},{\\\"IPAddress\\\":\\\"67.43.156.1\\\",\\\"SubnetPrefix\\\":26}]\","
    "\"ReportId\":4700}}\r\n"
    "{\"category\":\"AdvancedHunting-DeviceNetworkInfo\",\"properties\":{"
    "\"IPAddresses\":[{\"IPAddress\":\"198.51.100.1\",\"SubnetPrefix\":24}]}}\r\n"
    "{\"category\":\"AdvancedHunting-IdentityLogonEvents\",\"properties\":{"
    "\"IPAddress\":\"89.160.20.112\",\"Isp\":\"\",\"ReportId\":\"1234\"}}\r\n"
    "{\"category\":\"AdvancedHunting-IdentityLogonEvents\",\"properties\":{"
    "\"IPAddress\":\"89.160.20.113\",\"Isp\":\"INTERNAL_NETWORK\"}}\r\n"
    "{\"category\":\"AdvancedHunting-AlertEvidence\",\"properties\":{\"x\":1}}\r\n"
    "{\"category\":\"AdvancedHunting-DeviceProcessEvents\",\"properties\":{}}\r\n";

START_TEST(test_stream_lines)
{
	struct warns w = { { 0 }, 0 };
	char *path = tu_write_str("DeviceLogonEvents.json", stream_lines);
	struct table_data *d = load_ok(path, LH_LOGONS, &w);
	struct rawevent r;
	char *cause = NULL;
	size_t i;

	ck_assert_uint_eq(d->rows[LH_LOGONS], 1);
	ck_assert_uint_eq(d->rows[LH_NETWORK], 2);
	ck_assert_uint_eq(d->rows[LH_IDENTITY], 2);
	ck_assert_uint_eq(d->nfiles, 3);
	for (i = 0; i < d->nfiles; i++) {
		ck_assert_str_eq(d->files[i].path, path);
		ck_assert_int_eq(d->files[i].format, LOAD_FMT_JSON_LINES);
	}
	ck_assert_uint_eq(d->nev, 1);
	ck_assert_str_eq(key_str(d, &d->ev[0], K_DOMAIN), "");
	ck_assert_uint_eq(d->ev[0].line, 1);
	ck_assert_uint_eq(d->ev[0].offset, 0);
	/* IPAddresses as a string holding JSON and as a real array. */
	ck_assert(has_flag(d, "67.43.156.1", IPF_DEVICE));
	ck_assert(has_flag(d, "67.43.156.0", IPF_DEVICE));
	ck_assert(has_flag(d, "198.51.100.1", IPF_DEVICE));
	/* Isp, the streaming API's spelling of ISP. */
	ck_assert(has_flag(d, "89.160.20.112", IPF_IDENT_OTHER));
	ck_assert(has_flag(d, "89.160.20.113", IPF_IDENT_INTERNAL));
	ck_contains(w.all.p, "skipped 3 streaming records of tables the hunt "
	    "does not read (AdvancedHunting-DeviceProcessEvents: 2, "
	    "AdvancedHunting-AlertEvidence: 1)");
	ck_assert_int_eq(rawevent_read(d, &d->ev[0], &r, &cause), 0);
	ck_assert_str_eq(rawevent_get(&r, "RemotePort", NULL), "0");
	ck_assert_str_eq(rawevent_get(&r, "ReportId", NULL), "3551");
	ck_assert_str_eq(rawevent_get(&r, "AccountDomain", NULL), "");
	ck_assert_ptr_null(rawevent_get(&r, "category", NULL));
	rawevent_free(&r);
	buf_free(&w.all);
	table_data_free(d);
	free(path);
}
END_TEST

/* Event Hub messages: one per line, and one indented document. */
START_TEST(test_eventhub_messages)
{
	const char *rec =
	    "{\"time\":\"t\",\"category\":\"AdvancedHunting-DeviceLogonEvents\","
	    "\"properties\":{\"Timestamp\":\"2022-11-09T17:47:28Z\",\"DeviceId\":"
	    "\"d%d\",\"DeviceName\":\"n\",\"ActionType\":\"LogonSuccess\","
	    "\"LogonType\":\"Network\",\"AccountDomain\":\"C\",\"AccountName\":"
	    "\"u%d\",\"RemoteIP\":\"192.0.2.%d\",\"RemoteIPType\":\"Public\"}}";
	struct warns w = { { 0 }, 0 };
	struct buf lines = { 0 }, doc = { 0 };
	struct table_data *d;
	struct rawevent r;
	char *path, *cause = NULL;
	int m, k, n = 0;

	for (m = 0; m < 3; m++) {
		buf_addf(&lines, "{\"records\":[");
		for (k = 0; k < 4; k++, n++) {
			buf_addf(&lines, "%s", k ? "," : "");
			buf_addf(&lines, rec, n, n, n);
		}
		buf_addf(&lines, "]}\n");
	}
	path = tu_write_str("eventhub.json", lines.p);
	d = load_ok(path, LOAD_DETECT, &w);
	ck_assert_uint_eq(d->nev, 12);
	ck_assert_uint_eq(d->ev[5].line, 2);
	ck_assert_str_eq(key_str(d, &d->ev[5], K_NAME), "u5");
	ck_assert_int_eq(lines.p[d->ev[5].offset], '{');
	ck_assert_int_eq(rawevent_read(d, &d->ev[5], &r, &cause), 0);
	ck_assert_str_eq(rawevent_get(&r, "RemoteIP", NULL), "192.0.2.5");
	rawevent_free(&r);
	table_data_free(d);
	free(path);

	buf_addf(&doc, "{\n  \"records\": [\n");
	for (k = 0; k < 3; k++) {
		buf_addf(&doc, "%s    ", k ? ",\n" : "");
		buf_addf(&doc, rec, k, k, k);
	}
	buf_addf(&doc, "\n  ]\n}\n");
	path = tu_write_str("message.json", doc.p);
	d = load_ok(path, LOAD_DETECT, &w);
	ck_assert_uint_eq(d->nev, 3);
	ck_assert_int_eq(d->files[0].format, LOAD_FMT_JSON_DOC);
	ck_assert_uint_eq(d->ev[2].line, 5);
	ck_assert_int_eq(rawevent_read(d, &d->ev[2], &r, &cause), 0);
	ck_assert_str_eq(rawevent_get(&r, "AccountName", NULL), "u2");
	rawevent_free(&r);
	ck_assert_int_eq(w.n, 0);
	table_data_free(d);
	free(path);
	buf_free(&lines);
	buf_free(&doc);
	buf_free(&w.all);
}
END_TEST

/* Row objects one per line, and a JSON array of them. */
START_TEST(test_row_objects)
{
	const char *lines =
	    "{\"Timestamp\":\"2024-01-01T00:00:00Z\",\"DeviceId\":\"d\",\"DeviceName\":"
	    "\"n\",\"ActionType\":\"LogonSuccess\",\"LogonType\":\"Network\","
	    "\"AccountDomain\":\"C\",\"AccountName\":\"a\",\"RemoteIP\":\"192.0.2.1\","
	    "\"RemoteIPType\":\"Public\"}\n"
	    "{\"Timestamp\":\"2024-01-01T00:00:01Z\",\"DeviceId\":\"d\",\"DeviceName\":"
	    "\"n\",\"ActionType\":\"LogonSuccess\",\"LogonType\":\"Network\","
	    "\"AccountName\":\"b\",\"RemoteIP\":\"192.0.2.2\","
	    "\"RemoteIPType\":\"Public\"}\n";
	const char *array =
	    "[\n {\"IPAddress\":\"192.0.2.9\",\"ISP\":\"x\"},\n"
	    " {\"IPAddress\":\"192.0.2.10\",\"ISP\":\"INTERNAL_NETWORK\"}\n]\n";
	struct warns w = { { 0 }, 0 };
	char *path = tu_write_str("rows.jsonl", lines);
	struct table_data *d = load_ok(path, LOAD_DETECT, &w);

	ck_assert_uint_eq(d->nev, 2);
	ck_assert_str_eq(key_str(d, &d->ev[1], K_DOMAIN), "");
	ck_assert_uint_eq(d->ev[1].line, 2);
	ck_assert_int_eq(w.n, 0);
	table_data_free(d);
	free(path);
	path = tu_write_str("IdentityLogonEvents.json", array);
	d = load_ok(path, LH_IDENTITY, &w);
	ck_assert_uint_eq(d->rows[LH_IDENTITY], 2);
	ck_assert(has_flag(d, "192.0.2.9", IPF_IDENT_OTHER));
	ck_assert(has_flag(d, "192.0.2.10", IPF_IDENT_INTERNAL));
	table_data_free(d);
	free(path);
	buf_free(&w.all);
}
END_TEST

/* Values: numbers and booleans are their JSON text, escapes decode, names
 * written with escapes match, and a column never present is reported. */
START_TEST(test_values)
{
	const char *lines =
	    "{\"category\":\"AdvancedHunting-DeviceLogonEvents\",\"properties\":{"
	    "\"Timestamp\":\"2024-01-01T00:00:00Z\",\"DeviceId\":7,\"DeviceName\":true,"
	    "\"ActionType\":\"Logon\\u0053uccess\",\"Logon\\u0054ype\":\"Net\\twork\","
	    "\"AccountName\":-1.5e3,\"RemoteIP\":\"192.0.2.1\","
	    "\"RemoteIPType\":\"Public\"}}\n";
	struct warns w = { { 0 }, 0 };
	char *path = tu_write_str("s.log", lines);
	struct table_data *d = load_ok(path, LOAD_DETECT, &w);

	ck_assert_uint_eq(d->nev, 1);
	ck_assert_str_eq(strtab_str(d->st, table_event_device_id(d, &d->ev[0])), "7");
	ck_assert_str_eq(strtab_str(d->st, table_event_device_name(d, &d->ev[0])), "true");
	ck_assert_str_eq(key_str(d, &d->ev[0], K_ACTIONTYPE), "LogonSuccess");
	ck_assert_str_eq(key_str(d, &d->ev[0], K_LOGONTYPE), "Net\twork");
	ck_assert_str_eq(key_str(d, &d->ev[0], K_NAME), "-1.5e3");
	ck_contains(w.all.p, "no DeviceLogonEvents record has AccountDomain; "
	    "the hunt reads it as empty");
	table_data_free(d);
	free(path);
	buf_free(&w.all);
}
END_TEST

/* A \u0000 escape is a NUL byte in the value, as a NUL byte is in a CSV
 * field: the same account from the two forms of an export groups
 * together (cJSON's strings end at the NUL, which cut the value), and
 * drill-down shows all of it. */
START_TEST(test_nul_escape_kept)
{
	const char *line =
	    "{\"category\":\"AdvancedHunting-DeviceLogonEvents\",\"properties\":{"
	    "\"Timestamp\":\"2024-01-01T00:00:00Z\",\"ActionType\":\"LogonSuccess\","
	    "\"X\\q\":[1, 2],\"N\\u00e9\":\"\\ud800\",\"Half\":\"ab\\ud800\","
	    "\"LogonType\":\"Network\",\"AccountDomain\":\"C\",\"AccountName\":\"a\\u0000b\\u0000\","
	    "\"RemoteIP\":\"192.0.2.1\",\"RemoteIPType\":\"Public\"}}\n";
	static const char csv[] =
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,"
	    "AccountName,RemoteIP,RemoteIPType\n"
	    "2024-01-01T00:00:00Z,d1,ws1,LogonSuccess,Network,C,a\0b\0,192.0.2.1,Public\n";
	struct warns w = { { 0 }, 0 };
	char *jpath = tu_write_str("nul.log", line);
	char *cpath = tu_write_file("DeviceLogonEvents.csv", csv, sizeof csv - 1);
	struct table_data *dj = load_ok(jpath, LOAD_DETECT, &w);
	struct table_data *dc = load_ok(cpath, LH_LOGONS, &w);
	uint32_t j, c;
	int k;

	ck_assert_uint_eq(dj->nev, 1);
	ck_assert_uint_eq(dc->nev, 1);
	j = dj->ev[0].key[K_NAME];
	c = dc->ev[0].key[K_NAME];
	ck_assert_uint_eq(strtab_len(dj->st, j), 4);
	ck_assert_uint_eq(strtab_len(dc->st, c), 4);
	ck_assert(memcmp(strtab_str(dj->st, j), "a\0b\0", 4) == 0);
	ck_assert(memcmp(strtab_str(dc->st, c), "a\0b\0", 4) == 0);
	/* Drill-down shows the whole value too. */
	for (k = 0; k < 2; k++) {
		struct table_data *d = k ? dc : dj;
		struct rawevent r;
		const char *v;
		size_t n;
		char *cause = NULL;

		ck_assert_int_eq(rawevent_read(d, &d->ev[0], &r, &cause), 0);
		v = rawevent_get(&r, "AccountName", &n);
		ck_assert_ptr_nonnull(v);
		ck_assert_uint_eq(n, 4);
		ck_assert(memcmp(v, "a\0b\0", 5) == 0);
		v = rawevent_get(&r, "RemoteIP", &n);
		ck_assert_uint_eq(n, 9);
		ck_assert_str_eq(v, "192.0.2.1");
		if (k == 0) {
			/* Columns the hunt ignores, which cJSON would refuse
			 * (a bad escape, a lone surrogate): shown as written. */
			ck_assert_str_eq(rawevent_get(&r, "X\\q", NULL), "[1,2]");
			ck_assert_str_eq(rawevent_get(&r, "N\xc3\xa9", NULL), "\"\\ud800\"");
			ck_assert_str_eq(rawevent_get(&r, "Half", NULL), "\"ab\\ud800\"");
		}
		rawevent_free(&r);
	}
	table_data_free(dj);
	table_data_free(dc);
	free(jpath);
	free(cpath);
	buf_free(&w.all);
}
END_TEST

/* jsonscan_string decodes as cJSON does, bar \u0000: the same strings
 * are refused, the same bytes come out. Random strings of escapes, good
 * and bad, against cJSON_ParseWithLength. */
START_TEST(test_string_decode_vs_cjson)
{
	static const char *piece[] = {
		"a", "Z9 ", "caf\xc3\xa9", "\xff", "\x01", "\t", "\\\"", "\\\\",
		"\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0041", "\\u00e9",
		"\\u20AC", "\\uD83D\\uDE00", "\\ud800", "\\udc00", "\\uDBFF\\uDFFF",
		"\\ud800\\u0041", "\\ud800\\", "\\u12", "\\u12G4", "\\x", "\\'",
		"\\", "\\u0000", "\\U0041", "\\ud800\\n",
	};
	const size_t np = sizeof piece / sizeof piece[0];
	struct buf in = { 0 }, out = { 0 };
	uint64_t r = 0x9e3779b97f4a7c15ull;
	size_t i, k, n, cut;
	int rc, nul, badhex;
	cJSON *c;

	for (i = 0; i < 100000; i++) {
		buf_reset(&in);
		buf_reset(&out);
		buf_add(&in, "\"", 1);
		n = (size_t)(r >> 60);
		for (k = 0; k < n; k++) {
			r = r * 6364136223846793005ull + 1442695040888963407ull;
			buf_add(&in, piece[(r >> 33) % np], strlen(piece[(r >> 33) % np]));
		}
		buf_add(&in, "\"", 1);
		r = r * 6364136223846793005ull + 1442695040888963407ull;
		/* A lone trailing backslash escapes the closing quote: not a
		 * string token jsonscan would hand over. */
		if (in.len >= 2 && in.p[in.len - 2] == '\\') {
			for (cut = in.len - 2; cut > 0 && in.p[cut - 1] == '\\'; cut--)
				;
			if ((in.len - 1 - cut) % 2 == 1)
				continue;
		}
		/* cJSON reads a \u escape with a non-hex digit (\u12G4) as
		 * U+0000; it is malformed, and refused. */
		badhex = nul = 0;
		for (k = 1; k + 1 < in.len; k++) {
			if (in.p[k] != '\\')
				continue;
			if (in.p[k + 1] == 'u') {
				for (cut = k + 2; cut < k + 6; cut++)
					badhex |= cut >= in.len - 1 || !isxdigit((unsigned char)in.p[cut]);
				nul |= k + 6 < in.len && memcmp(in.p + k + 2, "0000", 4) == 0;
			}
			k++;
		}
		rc = jsonscan_string(in.p, in.p + in.len, &out);
		/* Nothing but the terminating NUL may follow the string:
		 * cJSON would otherwise take "a\\"x" for the string "a\\". */
		buf_add(&in, "", 1);
		c = cJSON_ParseWithLengthOpts(in.p, in.len--, NULL, 1);
		if (badhex) {
			ck_assert_msg(rc != 0, "%.*s: bad \\u accepted", (int)in.len, in.p);
			cJSON_Delete(c);
			continue;
		}
		ck_assert_msg((rc == 0) == (c != NULL && cJSON_IsString(c)),
		    "%.*s: jsonscan_string %d, cJSON %s", (int)in.len, in.p, rc,
		    c != NULL ? "parsed it" : "refused it");
		if (rc == 0 && !nul) {
			ck_assert_uint_eq(out.len, strlen(c->valuestring));
			ck_assert(memcmp(out.p, c->valuestring, out.len) == 0);
		} else if (rc == 0) {
			ck_assert_uint_gt(out.len, strlen(c->valuestring));
			ck_assert(memcmp(out.p, c->valuestring, strlen(c->valuestring)) == 0);
		}
		cJSON_Delete(c);
	}
	buf_free(&in);
	buf_free(&out);
}
END_TEST

/* gzip of any format, and drill-down into it. */
START_TEST(test_gzip)
{
	struct warns w = { { 0 }, 0 };
	char *path = write_gz("DeviceLogonEvents.json.gz", defender_doc,
	    strlen(defender_doc));
	struct table_data *d = load_ok(path, LH_LOGONS, &w);
	struct rawevent r;
	char *cause = NULL, *csvpath;
	const char *csv =
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,"
	    "AccountName,RemoteIP,RemoteIPType\r\n"
	    "2024-01-01T00:00:00Z,d,n,LogonSuccess,Network,C,a,192.0.2.1,Public\r\n";

	ck_assert_uint_eq(d->nev, 2);
	ck_assert_int_eq(d->files[0].format, LOAD_FMT_JSON_DOC | LOAD_FMT_GZIP);
	ck_assert_uint_eq(d->files[0].size, strlen(defender_doc));
	ck_assert_int_eq(rawevent_read(d, &d->ev[1], &r, &cause), 0);
	ck_assert_str_eq(rawevent_get(&r, "RemotePort", NULL), "3389");
	rawevent_free(&r);
	/* Read again: from the inflated copy kept since. */
	ck_assert_int_eq(rawevent_read(d, &d->ev[0], &r, &cause), 0);
	ck_assert_str_eq(rawevent_get(&r, "AccountName", NULL), "alice");
	rawevent_free(&r);
	table_data_free(d);
	/* A CSV under any name, detected as gzip by its content. */
	csvpath = write_gz("logons.data.csv", csv, strlen(csv));
	d = load_ok(csvpath, LOAD_DETECT, &w);
	ck_assert_uint_eq(d->nev, 1);
	ck_assert_int_eq(d->files[0].format, LOAD_FMT_CSV | LOAD_FMT_GZIP);
	ck_assert_int_eq(rawevent_read(d, &d->ev[0], &r, &cause), 0);
	ck_assert_str_eq(rawevent_get(&r, "RemoteIP", NULL), "192.0.2.1");
	rawevent_free(&r);
	table_data_free(d);
	free(csvpath);
	free(path);
	buf_free(&w.all);
}
END_TEST

START_TEST(test_gzip_errors)
{
	char *path, *cause, *gz;
	size_t n;

	path = write_gz("a.json.gz", defender_doc, strlen(defender_doc));
	gz = read_all(path, &n);
	free(path);
	/* Cut short: the stream ends before its end. */
	path = tu_write_file("short.json.gz", gz, n / 2);
	cause = load_err(path, LH_LOGONS, 0);
	ck_contains(cause, path);
	ck_contains(cause, "the gzip data ends early, at compressed byte");
	ck_contains(cause, "truncated");
	free(cause);
	free(path);
	/* A damaged byte in the deflate data. */
	gz[n / 2] ^= 0x55;
	gz[n / 2 + 1] ^= 0xaa;
	path = tu_write_file("bad.json.gz", gz, n);
	cause = load_err(path, LH_LOGONS, 0);
	ck_contains(cause, path);
	ck_contains(cause, "corrupt gzip data at compressed byte");
	ck_contains(cause, "damaged");
	free(cause);
	free(path);
	free(gz);
}
END_TEST

/* The hunt's summary, exported as CSV and as Graph JSON. */
START_TEST(test_presummary)
{
	const char *csv =
	    "AccountDomain,AccountName,LogonType,RemoteIP,ActionType,EarliestEvent,"
	    "LatestEvent,Instances,DistinctMachines\n"
	    "CONTOSO,alice,Network,198.51.100.7,LogonSuccess,"
	    "2023-12-21T19:56:05.0000000Z,2023-12-22T01:00:00Z,84,29\n"
	    ",bob,Network,2001:db8::1,LogonFailed,,,1,1\n";
	const char *graph =
	    "{\"schema\":[{\"name\":\"AccountDomain\"},{\"name\":\"AccountName\"},"
	    "{\"name\":\"LogonType\"},{\"name\":\"RemoteIP\"},{\"name\":\"ActionType\"},"
	    "{\"name\":\"EarliestEvent\"},{\"name\":\"LatestEvent\"},"
	    "{\"name\":\"Instances\"},{\"name\":\"DistinctMachines\"}],\"results\":["
	    "{\"AccountDomain\":\"C\",\"AccountName\":\"x\",\"LogonType\":\"Network\","
	    "\"RemoteIP\":\"192.0.2.1\",\"ActionType\":\"LogonSuccess\","
	    "\"EarliestEvent\":\"2024-01-01T00:00:00Z\",\"LatestEvent\":"
	    "\"2024-01-02T00:00:00Z\",\"Instances\":12,\"DistinctMachines\":3}]}";
	struct warns w = { { 0 }, 0 };
	char *path = tu_write_str("result.csv", csv), *cause;
	struct table_data *d = load_ok(path, LOAD_DETECT, &w);
	int64_t t;

	ck_assert_uint_eq(d->npresum, 2);
	ck_assert_uint_eq(d->nev, 0);
	ck_assert_int_eq(d->files[0].format, LOAD_FMT_CSV | LOAD_FMT_SUMMARY);
	ck_assert_uint_eq(d->files[0].rows, 2);
	ck_assert_str_eq(strtab_str(d->st, d->presum[0].key[K_NAME]), "alice");
	ck_assert_str_eq(strtab_str(d->st, d->presum[0].key[K_REMOTEIP]), "198.51.100.7");
	ck_assert_uint_eq(d->presum[0].count, 84);
	ck_assert_uint_eq(d->presum[0].devices, 29);
	ts_parse("2023-12-21T19:56:05Z", 20, &t);
	ck_assert(d->presum[0].first == t);
	ck_assert(d->presum[1].first == TS_NONE);
	ck_assert_str_eq(strtab_str(d->st, d->presum[1].key[K_DOMAIN]), "");
	table_data_free(d);
	free(path);
	/* Named after a table, still the summary by its header. */
	path = tu_write_str("DeviceLogonEvents.json", graph);
	d = load_ok(path, LH_LOGONS, &w);
	ck_assert_uint_eq(d->npresum, 1);
	ck_assert_uint_eq(d->presum[0].count, 12);
	ck_assert_int_eq(d->files[0].format & LOAD_FMT_SUMMARY, LOAD_FMT_SUMMARY);
	table_data_free(d);
	free(path);
	path = tu_write_str("bad.csv", "AccountDomain,AccountName,LogonType,"
	    "RemoteIP,ActionType,EarliestEvent,LatestEvent,Instances,"
	    "DistinctMachines\nC,a,N,1.2.3.4,L,,,many,1\n");
	cause = load_err(path, LOAD_DETECT, 0);
	ck_contains(cause, ":2: Instances \"many\" is not a count");
	free(cause);
	free(path);
	buf_free(&w.all);
}
END_TEST

/* ---------------------------------------------------------------- errors */

START_TEST(test_errors_documents)
{
	static const struct {
		const char *name, *content, *want;
	} cases[] = {
		{ "DeviceLogonEvents.json", "{\n\"Stats\": {},\n"
		    "\"Results\": [{\"Timestamp\": \"2024",
		    ":3: the JSON ends inside a value at byte 46 (the end of the "
		    "file): the file is truncated; download or export it again" },
		{ "DeviceLogonEvents.json", "[\n42\n]\n",
		    ": record 1 ([0], line 2): the element is a number; expected an "
		    "object (a row or a streaming record)" },
		{ "DeviceLogonEvents.json", "{\n\"Results\": \"none\"\n}\n",
		    ":2: \"Results\" is a string; expected an array of row objects" },
		{ "DeviceLogonEvents.json", "{\n\"Schema\": {},\n\"Results\": []\n}\n",
		    ":2: \"Schema\" is an object; expected an array of "
		    "{\"name\": ..., \"type\": ...} objects" },
		{ "DeviceLogonEvents.json", "{\"Schema\":[{\"Name\":\"Timestamp\"},"
		    "{\"Name\":\"RemoteIP\"}],\n\"Results\":[]}",
		    "\"Schema\": the columns lack DeviceId, DeviceName, ActionType, "
		    "LogonType, AccountDomain, AccountName, RemoteIPType that the "
		    "hunt needs; is this a DeviceLogonEvents export?" },
		{ "x.json", "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":"
		    "[{\"name\":\"IPAddresses\",\"type\":\"dynamic\"}],\n\"rows\":[\n"
		    "[\"[]\"],\n[\"a\",\"b\"]]}]}",
		    ": record 2 (tables[0].rows[1], line 4): the row has 2 values but "
		    "the table has 1 columns" },
		{ "x.json", "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":"
		    "[{\"name\":\"IPAddress\"},{\"name\":\"ISP\"}],\n\"rows\":[\n"
		    "[\"192.0.2.1\", {\"a\": 1}]]}]}",
		    ": record 1 (tables[0].rows[0], line 3): column ISP is an object; "
		    "expected a string (or null)" },
		{ "x.json", "{\"tables\": 5}", "\"tables\" is a number; expected an "
		    "array of tables" },
		{ "x.json", "{\"records\":[\n{\"properties\":{}}\n]}",
		    ": record 1 (records[0], line 2): the streaming record has no "
		    "\"category\"" },
		{ "x.json", "{\"records\":[\n{\"category\":"
		    "\"AdvancedHunting-DeviceLogonEvents\",\"properties\":\"x\"}]}",
		    "the DeviceLogonEvents record's \"properties\" is a string; "
		    "expected an object holding the table's columns" },
		{ "x.json", "{\"foo\": 1}", "its columns (foo) are not those of a "
		    "DeviceLogonEvents, DeviceNetworkInfo or IdentityLogonEvents "
		    "export, nor of the hunt's summary" },
		{ "DeviceNetworkInfo.json", "[\n{\"IPAddresses\": \"[]\"},\n"
		    "{\"IPAddresses\": [1,}\n]",
		    ":3: malformed JSON: expected ']' to close the array at byte 44, "
		    "found '}'" },
		{ "DeviceLogonEvents.json", "", "the file is empty" },
		{ "x.json", "\xff\xfe{\0}\0", "the file is UTF-16 text; exports are "
		    "read as UTF-8: convert it (iconv -f UTF-16 -t UTF-8)" },
		{ "x.json", "   \n", "the file is empty; expected a DeviceLogonEvents, "
		    "DeviceNetworkInfo or IdentityLogonEvents export (CSV or JSON)" },
	};
	char *path, *cause;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		path = tu_write_str(cases[i].name, cases[i].content);
		cause = load_err(path, detect_name(path), 0);
		ck_assert_msg(strncmp(cause, path, strlen(path)) == 0,
		    "case %zu: \"%s\" should start with the path", i, cause);
		ck_assert_msg(strstr(cause, cases[i].want) != NULL,
		    "case %zu: expected \"%s\" in \"%s\"", i, cases[i].want, cause);
		free(cause);
		free(path);
	}
}
END_TEST

START_TEST(test_errors_lines)
{
	static const char good[] =
	    "{\"category\":\"AdvancedHunting-IdentityLogonEvents\",\"properties\":"
	    "{\"IPAddress\":\"192.0.2.1\",\"ISP\":\"x\"}}";
	static const struct {
		const char *bad, *want;
		int skippable;
	} cases[] = {
		{ "{\"category\":\"AdvancedHunting-IdentityLogonEvents\",\"properties\":"
		    "{\"IPAddress\":\"192.0.2.1\" \"ISP\":\"x\"}}",
		    ":2: malformed JSON: expected ',' or '}' after an object member "
		    "at byte", 1 },
		{ "{\"category\":\"AdvancedHunting-IdentityLogonEvents\",\"properties\":"
		    "{\"IPAddress\":[\"192.0.2.1\"]}}",
		    ":2: column IPAddress is an array; expected a string (or null)", 1 },
		{ "{\"category\":\"AdvancedHunting-IdentityLogonEvents\",\"properties\":"
		    "{\"IPAddress\":1.2.3}}",
		    ":2: column IPAddress: invalid JSON value at byte", 1 },
		{ "{\"category\":\"AdvancedHunting-IdentityLogonEvents\",\"properties\":"
		    "{\"IPAddress\":\"\xff\"}}",
		    ":2: column IPAddress: invalid UTF-8", 1 },
		{ "\"a string\"",
		    ":2: expected a JSON object or array at byte 100, found a string",
		    1 },
		{ "{\"category\":7,\"properties\":{}}",
		    ":2: \"category\" is a number; expected a string", 1 },
		{ "{\"category\":\"AdvancedHunting-IdentityLogonEvents\",\"properties\":"
		    "{\"IPAddress\":\"192.0.2.1\"}} extra",
		    ":2: more after the JSON value at byte", 1 },
		{ "{\"category\":\"AdvancedHunting-IdentityLogonEvents\",\"prop",
		    ":2: the JSON ends inside a value at byte", 1 },
	};
	struct buf b = { 0 };
	struct warns w = { { 0 }, 0 };
	struct table_data *d;
	struct load_opts o;
	char *path, *cause;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		buf_addf(&b, "%s\n%s\n%s\n", good, cases[i].bad, good);
		path = tu_write_str("stream.log", b.p);
		cause = load_err(path, LOAD_DETECT, 0);
		ck_assert_msg(strstr(cause, cases[i].want) != NULL,
		    "case %zu: expected \"%s\" in \"%s\"", i, cases[i].want, cause);
		ck_contains(cause, path);
		free(cause);
		/* With --skip-bad-rows the line is skipped and counted. */
		d = table_data_new();
		buf_reset(&w.all);
		w.n = 0;
		o = opts(&w);
		o.skip_bad_rows = 1;
		cause = NULL;
		ck_assert_int_eq(load_file(d, path, LOAD_DETECT, &o, &cause), 0);
		ck_contains(w.all.p, cases[i].want + 4);
		if (strstr(cases[i].want, "more after") != NULL) {
			/* The record was whole: only the rest is ignored. */
			ck_assert_uint_eq(d->rows[LH_IDENTITY], 3);
			ck_contains(w.all.p, ":2: ignored: more after");
		} else {
			ck_assert_uint_eq(d->rows[LH_IDENTITY], 2);
			ck_contains(w.all.p, ":2: skipped a record: ");
			ck_contains(w.all.p, "skipped 1 malformed record");
		}
		table_data_free(d);
		free(path);
	}
	/* The last line cut short: a blob still being written. */
	buf_reset(&b);
	buf_addf(&b, "%s\n%.40s", good, good);
	path = tu_write_str("stream.log", b.p);
	cause = load_err(path, LOAD_DETECT, 0);
	ck_contains(cause, ":2: the JSON ends inside a value at byte");
	ck_contains(cause, "the last line is incomplete, so the file is truncated");
	free(cause);
	free(path);
	/* A row object among records, in a file whose name says nothing. */
	buf_free(&b);
	buf_free(&w.all);
}
END_TEST

/* Whether an input is ours: optional inputs that are not are skipped with
 * a warning; load_all insists on some DeviceLogonEvents data. */
START_TEST(test_detect_optional)
{
	struct warns w = { { 0 }, 0 };
	struct load_opts o = opts(&w);
	struct table_data *d = table_data_new();
	struct load_input in[3];
	char *cause = NULL;

	in[0].path = tu_write_str("notes.json", "{\"owner\": \"soc\"}");
	in[0].table = LOAD_DETECT_OPTIONAL;
	in[1].path = tu_write_str("DeviceProcessEvents.csv", "Timestamp,FileName\n"
	    "2024-01-01,a.exe\n");
	in[1].table = LOAD_DETECT_OPTIONAL;
	in[2].path = tu_write_str("stream.log", stream_lines);
	in[2].table = LOAD_DETECT_OPTIONAL;
	ck_assert_int_eq(load_all(d, in, 3, &o, &cause), 0);
	ck_contains(w.all.p, "notes.json: skipped: its columns (owner) are not "
	    "those of");
	ck_contains(w.all.p, "DeviceProcessEvents.csv: skipped: its columns "
	    "(Timestamp, FileName) are not those of");
	ck_assert_uint_eq(d->nev, 1);
	table_data_free(d);
	/* A summary found in a directory is not loaded. */
	free(in[0].path);
	in[0].path = tu_write_str("results.csv", "AccountDomain,AccountName,"
	    "LogonType,RemoteIP,ActionType,EarliestEvent,LatestEvent,Instances,"
	    "DistinctMachines\nC,a,N,192.0.2.1,LogonSuccess,,,3,1\n");
	d = table_data_new();
	ck_assert_int_eq(load_all(d, in, 3, &o, &cause), 0);
	ck_assert_uint_eq(d->npresum, 0);
	ck_contains(w.all.p, "results.csv: skipped: it holds the hunt's summary");
	table_data_free(d);
	/* Without the stream there is no logon data at all. */
	d = table_data_new();
	ck_assert_int_eq(load_all(d, in, 2, &o, &cause), -1);
	ck_contains(cause, "no DeviceLogonEvents data in the 2 input files");
	ck_contains(cause, "summaries found in a directory are skipped: give "
	    "one with --input FILE");
	free(cause);
	table_data_free(d);
	free(in[0].path);
	free(in[1].path);
	free(in[2].path);
	buf_free(&w.all);
}
END_TEST

static const struct load_input *
find_input(const struct load_input *in, size_t n, const char *suffix)
{
	size_t i, k = strlen(suffix);

	for (i = 0; i < n; i++)
		if (strlen(in[i].path) >= k &&
		    strcmp(in[i].path + strlen(in[i].path) - k, suffix) == 0)
			return &in[i];
	return NULL;
}

START_TEST(test_find_inputs)
{
	static const char *const names[] = {
		"DeviceLogonEvents.csv", "DeviceLogonEvents-2.JSON.GZ",
		"devicenetworkinfo.ndjson", "IdentityLogonEvents_a.jsonl.gz",
		"PT1H.json", "capture.log", "notes.txt", "DeviceLogonEvents.csv~",
		".hidden.json", "x.gz", "report.csv",
	};
	struct load_input *in;
	size_t n, i;
	char *cause = NULL, *sub;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		free(tu_write_str(names[i], "x"));
	sub = tu_path("y=2024");
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	free(tu_write_str("y=2024/PT1H.json", "x"));
	ck_assert_int_eq(load_find_inputs(tu_tmpdir(), &in, &n, &cause), 0);
	ck_assert_uint_eq(n, 7);
	ck_assert_int_eq(find_input(in, n, "/DeviceLogonEvents.csv")->table, LH_LOGONS);
	ck_assert_int_eq(find_input(in, n, "/DeviceLogonEvents-2.JSON.GZ")->table, LH_LOGONS);
	ck_assert_int_eq(find_input(in, n, "/devicenetworkinfo.ndjson")->table, LH_NETWORK);
	ck_assert_int_eq(find_input(in, n, "/IdentityLogonEvents_a.jsonl.gz")->table, LH_IDENTITY);
	ck_assert_int_eq(find_input(in, n, "/PT1H.json")->table, LOAD_DETECT_OPTIONAL);
	ck_assert_int_eq(find_input(in, n, "/capture.log")->table, LOAD_DETECT_OPTIONAL);
	ck_assert_int_eq(find_input(in, n, "/report.csv")->table, LOAD_DETECT_OPTIONAL);
	ck_assert_ptr_null(find_input(in, n, "notes.txt"));
	ck_assert_ptr_null(find_input(in, n, "/x.gz"));
	/* Sorted: tables first, then what the content decides. */
	ck_assert_int_eq(in[0].table, LH_LOGONS);
	ck_assert_int_eq(in[n - 1].table, LOAD_DETECT_OPTIONAL);
	load_inputs_free(in, n);
	ck_assert_int_eq(load_find_inputs_flags(tu_tmpdir(), LOAD_FIND_RECURSIVE, &in,
	    &n, &cause), 0);
	ck_assert_uint_eq(n, 8);
	ck_assert_ptr_nonnull(find_input(in, n, "/y=2024/PT1H.json"));
	load_inputs_free(in, n);
	free(sub);
	/* Nothing that could hold logons. */
	sub = tu_path("empty");
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(load_find_inputs(sub, &in, &n, &cause), -1);
	ck_contains(cause, "no DeviceLogonEvents export here");
	free(cause);
	free(sub);
}
END_TEST

/* JSON lines split across threads read exactly as by one. */
START_TEST(test_lines_threads)
{
	struct buf b = { 0 };
	struct warns w = { { 0 }, 0 };
	struct table_data *d1 = table_data_new(), *d4 = table_data_new();
	struct load_opts o = opts(&w);
	char *path, *cause = NULL;
	size_t i;

	for (i = 0; b.len < (20u << 20); i++)
		buf_addf(&b, "{\"category\":\"AdvancedHunting-DeviceLogonEvents\","
		    "\"properties\":{\"Timestamp\":\"2024-01-01T00:00:%02zuZ\","
		    "\"DeviceId\":\"d%zu\",\"DeviceName\":\"n\",\"ActionType\":"
		    "\"LogonSuccess\",\"LogonType\":\"Network\",\"AccountDomain\":\"C\","
		    "\"AccountName\":\"u%zu\",\"RemoteIP\":\"192.0.2.%zu\","
		    "\"RemoteIPType\":\"%s\",\"Pad\":\"%0200d\"}}%s", i % 60, i % 97,
		    i % 13, i % 250, i % 3 ? "Public" : "Private", 0,
		    i % 2 ? "\r\n" : "\n");
	path = tu_write_str("big.json", b.p);
	o.threads = 1;
	ck_assert_int_eq(load_file(d1, path, LOAD_DETECT, &o, &cause), 0);
	o.threads = 4;
	ck_assert_int_eq(load_file(d4, path, LOAD_DETECT, &o, &cause), 0);
	ck_assert_uint_eq(d1->nev, d4->nev);
	ck_assert_uint_eq(d1->rows[LH_LOGONS], i);
	for (i = 0; i < d1->nev; i++) {
		ck_assert_uint_eq(d1->ev[i].offset, d4->ev[i].offset);
		ck_assert_uint_eq(d1->ev[i].line, d4->ev[i].line);
		ck_assert_str_eq(key_str(d1, &d1->ev[i], K_NAME),
		    key_str(d4, &d4->ev[i], K_NAME));
		ck_assert(d1->ev[i].ts == d4->ev[i].ts);
	}
	ck_assert_uint_eq(d4->ev[d4->nev - 1].line, d4->rows[LH_LOGONS]);
	table_data_free(d1);
	table_data_free(d4);
	free(path);
	buf_free(&b);
	buf_free(&w.all);
}
END_TEST

/* Loads path with o and returns the hunt's summary CSV, followed by the
 * warnings; or NULL with *cause. */
static char *
hunt_summary(const char *path, const struct load_opts *lo, char **cause)
{
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct table_data *d = table_data_new();
	struct warns w = { { 0 }, 0 };
	struct load_opts o = *lo;
	struct buf out = { 0 };
	struct hunt_sort sort;
	struct hunt h;
	uint32_t *rows;
	size_t n;

	o.warn = warn_collect;
	o.warn_ctx = &w;
	*cause = NULL;
	if (load_file(d, path, LOAD_DETECT, &o, cause) != 0) {
		table_data_free(d);
		buf_free(&w.all);
		return NULL;
	}
	hunt_run(&h, d, &ho);
	hunt_apply(&h, NULL);
	ck_assert_int_eq(hunt_sort_parse("Instances", &sort), 0);
	rows = xmalloc((h.ng + 1) * sizeof *rows);
	n = hunt_rows(&h, &sort, rows);
	output_summary(&out, &h, rows, n, OUT_CSV, 0);
	buf_addf(&out, "--- %zu events, %llu other records\n", d->nev,
	    (unsigned long long)d->other_records);
	if (w.all.len)
		buf_add(&out, w.all.p, w.all.len);
	free(rows);
	hunt_free(&h);
	table_data_free(d);
	buf_free(&w.all);
	return out.p;
}

/* JSON lines honour split_min as CSV does: a small file split across two
 * threads gives the same table, warnings and error lines as one thread. */
START_TEST(test_lines_split_equivalence)
{
	struct buf b = { 0 };
	struct load_opts one, two;
	char *path, *a, *c, *cause = NULL, want[64];
	int i;

	for (i = 0; i < 3000; i++) {
		if (i % 5 == 4)
			buf_addf(&b, "{\"category\":\"AdvancedHunting-DeviceNetworkInfo\","
			    "\"properties\":{\"Timestamp\":\"2024-01-01T00:00:00Z\","
			    "\"DeviceId\":\"d%d\",\"IPAddresses\":[{\"IPAddress\":"
			    "\"203.0.113.%d\"}]}}", i % 7, 20 + i % 11);
		else if (i % 7 == 3)
			buf_addf(&b, "{\"category\":\"AdvancedHunting-IdentityLogonEvents\","
			    "\"properties\":{\"IPAddress\":\"203.0.113.%d\",\"ISP\":\"%s\"}}",
			    i % 3, i % 2 ? "INTERNAL_NETWORK" : "Contoso \\\"ISP\\\"");
		else if (i % 97 == 0)
			buf_addf(&b, "{\"category\":\"AdvancedHunting-DeviceEvents\","
			    "\"properties\":{}}");
		else
			buf_addf(&b, "{\"category\":\"AdvancedHunting-DeviceLogonEvents\","
			    "\"properties\":{\"Timestamp\":\"2024-01-%02dT00:00:%02dZ\","
			    "\"DeviceId\":\"d%d\",\"DeviceName\":\"n%d\",\"ActionType\":"
			    "\"%s\",\"LogonType\":\"Network\",\"AccountDomain\":\"C\","
			    "\"AccountName\":\"u\\n%d\",\"RemoteIP\":\"203.0.113.%d\","
			    "\"RemoteIPType\":\"%s\"}}", 1 + i % 28, i % 60, i % 7, i % 7,
			    i % 3 ? "LogonFailed" : "LogonSuccess", i % 11, i % 31,
			    i % 4 ? "Public" : "Private");
		buf_addf(&b, "%s", i % 2 ? "\r\n" : "\n");
		if (i % 500 == 0)
			buf_addf(&b, "\n");	/* blank lines count too */
	}
	path = tu_write_str("stream.json", b.p);
	memset(&one, 0, sizeof one);
	one.threads = 1;
	two = one;
	two.threads = 2;
	two.split_min = 1000;
	a = hunt_summary(path, &one, &cause);
	ck_assert_msg(a != NULL, "%s", cause);
	c = hunt_summary(path, &two, &cause);
	ck_assert_msg(c != NULL, "%s", cause);
	/* The summary is too long for ck_assert_str_eq's message. */
	ck_assert_msg(strcmp(a, c) == 0, "one thread:\n%.2000s\ntwo:\n%.2000s",
	    a, c);
	ck_contains(a, "\"u\n3\",Network,203.0.113.");
	ck_contains(a, "--- 1527 events, 21 other records\n");
	ck_contains(a, "skipped 21 streaming records of tables");
	free(a);
	free(c);
	free(path);
	/* A bad record near the end: the same line either way. */
	buf_addf(&b, "{\"category\":\"AdvancedHunting-DeviceLogonEvents\","
	    "\"properties\":{\"Timestamp\":1,}}\n");
	path = tu_write_str("stream.json", b.p);
	snprintf(want, sizeof want, "stream.json:%d: ", 3000 + 6 + 1);
	ck_assert_ptr_null(hunt_summary(path, &one, &cause));
	ck_contains(cause, want);
	a = cause;
	ck_assert_ptr_null(hunt_summary(path, &two, &cause));
	ck_assert_str_eq(a, cause);
	free(a);
	free(cause);
	free(path);
	buf_free(&b);
}
END_TEST

static int
cancel_now(void *ctx, const struct load_progress *p)
{
	int *calls = ctx;

	(*calls)++;
	return p->rows > 0;
}

START_TEST(test_cancel)
{
	struct buf b = { 0 };
	struct warns w = { { 0 }, 0 };
	struct load_opts o = opts(&w);
	struct table_data *d;
	char *path, *cause = NULL;
	int calls = 0, i;

	o.progress = cancel_now;
	o.progress_ctx = &calls;
	buf_addf(&b, "{\n\"Results\": [\n");
	for (i = 0; i < 5000; i++)
		buf_addf(&b, "%s{\"IPAddress\": \"192.0.2.%d\", \"ISP\": \"x\"}\n",
		    i ? "," : "", i % 250);
	buf_addf(&b, "]}\n");
	path = tu_write_str("IdentityLogonEvents.json", b.p);
	d = table_data_new();
	ck_assert_int_eq(load_file(d, path, LH_IDENTITY, &o, &cause), LOAD_CANCELLED);
	ck_assert_int_gt(calls, 0);
	table_data_free(d);
	free(path);
	/* And as JSON lines. */
	buf_reset(&b);
	for (i = 0; i < 5000; i++)
		buf_addf(&b, "{\"IPAddress\": \"192.0.2.%d\", \"ISP\": \"x\"}\n", i % 250);
	path = tu_write_str("IdentityLogonEvents.jsonl", b.p);
	d = table_data_new();
	calls = 0;
	ck_assert_int_eq(load_file(d, path, LH_IDENTITY, &o, &cause), LOAD_CANCELLED);
	ck_assert_int_gt(calls, 0);
	table_data_free(d);
	free(path);
	buf_free(&b);
	buf_free(&w.all);
}
END_TEST

/* The real streaming records of the Elastic integration's test data. */
START_TEST(test_real_streaming_records)
{
	struct warns w = { { 0 }, 0 };
	struct load_opts o = opts(&w);
	struct table_data *d;
	struct load_input in[2];
	struct rawevent r;
	char *cause = NULL, dev[4096], ident[4096];

	if (!tu_realdata_file(dev, sizeof dev, "elastic__integrations/test-device.log.excerpt") ||
	    !tu_realdata_file(ident, sizeof ident,
	    "elastic__integrations/test-app-and-identity.log.excerpt"))
		return;
	in[0].path = dev;
	in[1].path = ident;
	in[0].table = in[1].table = LOAD_DETECT;
	d = table_data_new();
	ck_assert_int_eq(load_all(d, in, 2, &o, &cause), 0);
	ck_assert_uint_eq(d->rows[LH_LOGONS], 1);
	ck_assert_uint_eq(d->rows[LH_NETWORK], 1);
	ck_assert_uint_eq(d->rows[LH_IDENTITY], 1);
	ck_assert_uint_eq(d->nev, 1);
	ck_assert_str_eq(key_str(d, &d->ev[0], K_REMOTEIP), "67.43.156.1");
	ck_assert_str_eq(key_str(d, &d->ev[0], K_NAME), "administrator");
	ck_assert_str_eq(key_str(d, &d->ev[0], K_DOMAIN), "");
	/* The logon's RemoteIP is one of the device's own addresses. */
	ck_assert(has_flag(d, "67.43.156.1", IPF_DEVICE));
	ck_assert(has_flag(d, "fe80::39f0:832a:89a1:f6e1", IPF_DEVICE));
	/* Isp is empty, which is not INTERNAL_NETWORK. */
	ck_assert(has_flag(d, "89.160.20.112", IPF_IDENT_OTHER));
	ck_assert_int_eq(rawevent_read(d, &d->ev[0], &r, &cause), 0);
	ck_assert_str_eq(rawevent_get(&r, "FailureReason", NULL), "InvalidUserNameOrPassword");
	ck_assert_str_eq(rawevent_get(&r, "ReportId", NULL), "3551");
	ck_assert_str_eq(rawevent_get(&r, "AccountSid", NULL), "");
	rawevent_free(&r);
	ck_assert_int_eq(w.n, 0);
	table_data_free(d);
	buf_free(&w.all);
}
END_TEST

/* Mutated inputs never crash the loader or drill-down: random byte
 * changes, cuts and insertions of JSON punctuation into each format. Run
 * longer with LH_FUZZ_ITERATIONS=N (and under the sanitizers). */
static uint64_t
fuzz_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

START_TEST(test_fuzz_mutations)
{
	static const char punct[] = "{}[]\",:\\ \n\r0n\xff\x00";
	const char *seeds[] = { defender_doc, la_doc, stream_lines, NULL };
	const char *env = getenv("LH_FUZZ_ITERATIONS");
	long iterations = env != NULL ? atol(env) : 600, it;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	struct buf b = { 0 };
	struct warns w = { { 0 }, 0 };
	struct load_opts o = opts(&w);
	struct rawevent r;
	struct table_data *d;
	char *path, *cause;
	size_t i, n, k, changes;
	int rc;

	for (it = 0; it < iterations; it++) {
		const char *seed = seeds[it % 3];

		n = strlen(seed);
		buf_reset(&b);
		buf_add(&b, seed, n);
		changes = 1 + fuzz_next(&x) % 4;
		for (k = 0; k < changes && b.len > 0; k++) {
			i = fuzz_next(&x) % b.len;
			switch (fuzz_next(&x) % 4) {
			case 0:
				b.p[i] = punct[fuzz_next(&x) % (sizeof punct - 1)];
				break;
			case 1:
				b.len = i;	/* cut */
				break;
			case 2:
				b.p[i] = (char)(fuzz_next(&x) & 0xff);
				break;
			default:
				memmove(b.p + i, b.p + i + 1, b.len - i - 1);
				b.len--;
				break;
			}
		}
		path = tu_write_file(it % 2 ? "f.json" : "DeviceLogonEvents.json",
		    b.p, b.len);
		d = table_data_new();
		o.skip_bad_rows = (int)(it / 3 % 2);
		o.threads = 1 + (int)(it % 3);
		cause = NULL;
		rc = load_file(d, path, it % 2 ? LOAD_DETECT : LH_LOGONS, &o, &cause);
		ck_assert(rc == 0 || rc == -1);
		ck_assert(rc == 0 || cause != NULL);
		free(cause);
		for (i = 0; rc == 0 && i < d->nev; i++) {
			cause = NULL;
			if (rawevent_read(d, &d->ev[i], &r, &cause) == 0)
				rawevent_free(&r);
			free(cause);
		}
		table_data_free(d);
		buf_reset(&w.all);
		free(path);
	}
	buf_free(&b);
	buf_free(&w.all);
}
END_TEST

static Suite *
json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc;

	tc = tcase_create("scan");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_scan_skip);
	tcase_add_test(tc, test_scan_string_positions);
	tcase_add_test(tc, test_scan_members);
	suite_add_tcase(s, tc);

	tc = tcase_create("formats");
	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_defender_doc);
	tcase_add_test(tc, test_graph_doc_detected);
	tcase_add_test(tc, test_log_analytics_doc);
	tcase_add_test(tc, test_stream_lines);
	tcase_add_test(tc, test_eventhub_messages);
	tcase_add_test(tc, test_row_objects);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_nul_escape_kept);
	tcase_add_test(tc, test_string_decode_vs_cjson);
	tcase_add_test(tc, test_gzip);
	tcase_add_test(tc, test_presummary);
	tcase_add_test(tc, test_lines_threads);
	tcase_add_test(tc, test_lines_split_equivalence);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_real_streaming_records);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_add_test(tc, test_errors_documents);
	tcase_add_test(tc, test_errors_lines);
	tcase_add_test(tc, test_gzip_errors);
	tcase_add_test(tc, test_detect_optional);
	tcase_add_test(tc, test_find_inputs);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_fuzz_mutations);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(json_suite());
}
