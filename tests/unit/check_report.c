/* Unit tests of the report's pieces: SHA-256 against sha256sum (coreutils)
 * over lengths around the block and padding boundaries, HMAC-SHA-256
 * against RFC 4231's test cases (the values checked with Python's hmac
 * module too), the escapes of HTML text and of a Markdown code span on
 * hostile values (expected outputs written by hand), the format told by a
 * file name, and the shared time bins of the console's histogram. The
 * rendered report is checked in a real browser by tests/e2e/report.sh. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hunt.h"
#include "output.h"
#include "report.h"
#include "sha256.h"
#include "timebins.h"
#include "ts.h"
#include "util.h"

#include "testutil.h"

static void
hex_of(const unsigned char d[SHA256_LEN], char out[2 * SHA256_LEN + 1])
{
	sha256_hex(d, out);
}

static void sha256_against_sha256sum(void);

START_TEST(test_sha256_matches_sha256sum)
{
	sha256_against_sha256sum();
}
END_TEST

/* The portable compression, also where the processor has SHA extensions
 * (each test runs in a process of its own, which reads the variable
 * once). */
START_TEST(test_sha256_portable_matches_sha256sum)
{
	setenv("LOGONHUNT_NO_SHA_NI", "1", 1);
	sha256_against_sha256sum();
}
END_TEST

static void
sha256_against_sha256sum(void)
{
	static const size_t lens[] = { 0, 1, 3, 55, 56, 57, 63, 64, 65, 119,
		120, 127, 128, 1000, 65535, 65536, 65537, 200001 };
	unsigned char *data = xmalloc(200001), d[SHA256_LEN];
	char mine[2 * SHA256_LEN + 1], theirs[2 * SHA256_LEN + 8], cmd[512];
	struct sha256 s;
	uint64_t x = 88172645463325252ULL;
	size_t i, k, step;
	FILE *p;
	char *path;

	for (i = 0; i < 200001; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		data[i] = (unsigned char)x;
	}
	for (k = 0; k < sizeof lens / sizeof lens[0]; k++) {
		path = tu_write_file("blob", data, lens[k]);
		ck_assert_int_eq(sha256_file(path, mine), 0);
		snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
		p = popen(cmd, "r");
		ck_assert_ptr_nonnull(p);
		ck_assert_ptr_nonnull(fgets(theirs, sizeof theirs, p));
		pclose(p);
		theirs[2 * SHA256_LEN] = '\0';
		ck_assert_msg(strcmp(mine, theirs) == 0, "length %zu: %s, sha256sum %s",
		    lens[k], mine, theirs);
		/* Fed in uneven pieces, the digest is the same. */
		for (step = 1; step < 100; step += 37) {
			sha256_init(&s);
			for (i = 0; i < lens[k]; i += step)
				sha256_update(&s, data + i, lens[k] - i < step ? lens[k] - i : step);
			sha256_final(&s, d);
			hex_of(d, theirs);
			ck_assert_str_eq(mine, theirs);
		}
		free(path);
	}
	ck_assert_int_eq(sha256_file("/nonexistent/file", mine), -1);
	free(data);
}

START_TEST(test_hmac_rfc4231)
{
	unsigned char key[131], msg[50], d[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];
	static const char big[] = "This is a test using a larger than block-size "
	    "key and a larger than block-size data. The key needs to be hashed "
	    "before being used by the HMAC algorithm.";

	memset(key, 0x0b, 20);
	sha256_hmac(key, 20, "Hi There", 8, d);
	hex_of(d, hex);
	ck_assert_str_eq(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	sha256_hmac("Jefe", 4, "what do ya want for nothing?", 28, d);
	hex_of(d, hex);
	ck_assert_str_eq(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	memset(key, 0xaa, 20);
	memset(msg, 0xdd, 50);
	sha256_hmac(key, 20, msg, 50, d);
	hex_of(d, hex);
	ck_assert_str_eq(hex, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
	memset(key, 0xaa, 131);
	sha256_hmac(key, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 54, d);
	hex_of(d, hex);
	ck_assert_str_eq(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	sha256_hmac(key, 131, big, strlen(big), d);
	hex_of(d, hex);
	ck_assert_str_eq(hex, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}
END_TEST

static char *
html(const char *s)
{
	struct buf b = { 0 };

	report_html_text(&b, s, strlen(s));
	buf_addc(&b, '\0');
	return b.p;
}

static char *
md(const char *s, int in_table)
{
	struct buf b = { 0 };

	report_md_code(&b, s, strlen(s), in_table);
	buf_addc(&b, '\0');
	return b.p;
}

START_TEST(test_html_escape)
{
	static const char *const cases[][2] = {
		{ "plain 10.0.0.1", "plain 10.0.0.1" },
		{ "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
		{ "\"><svg onload=x>", "&quot;&gt;&lt;svg onload=x&gt;" },
		{ "<img src=x onerror=y x=", "&lt;img src=x onerror=y x=" },
		{ "x' onmouseover='y", "x&#39; onmouseover=&#39;y" },
		{ "&lt;b&gt;", "&amp;lt;b&amp;gt;" },
		{ "a\\b", "a\\\\b" },
		{ "line\nbreak\r", "line\\nbreak\\r" },
		{ "\x1b]2;t\x07", "\\x1b]2;t\\x07" },
		{ "b\xe2\x80\xae" "exe", "b\\u202eexe" },
		{ "bad \xff utf8", "bad \\xff utf8" },
		{ "caf\xc3\xa9 <", "caf\xc3\xa9 &lt;" },
		{ "", "" },
	};
	size_t i;
	char *got;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = html(cases[i][0]);
		ck_assert_msg(strcmp(got ? got : "", cases[i][1]) == 0,
		    "case %zu: '%s', wanted '%s'", i, got, cases[i][1]);
		free(got);
	}
}
END_TEST

START_TEST(test_md_code)
{
	static const struct {
		const char *in;
		int table;
		const char *out;
	} cases[] = {
		{ "plain", 1, "` plain `" },
		{ "a | b", 1, "` a \\| b `" },
		{ "a | b", 0, "` a | b `" },
		{ "`x`", 1, "`` `x` ``" },
		{ "a ``` b ` c", 1, "```` a ``` b ` c ````" },
		{ "[l](javascript:x) <b> # h", 1, "` [l](javascript:x) <b> # h `" },
		{ "new\nline", 1, "` new\\nline `" },
		{ "back\\|", 1, "` back\\\\\\| `" },
		{ "", 1, "" },
	};
	size_t i;
	char *got;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = md(cases[i].in, cases[i].table);
		ck_assert_msg(strcmp(got ? got : "", cases[i].out) == 0,
		    "case %zu: '%s', wanted '%s'", i, got, cases[i].out);
		free(got);
	}
}
END_TEST

START_TEST(test_format_names)
{
	enum report_format f;

	ck_assert_int_eq(report_format_from_name("a/b.html", &f), 0);
	ck_assert_int_eq(f, REPORT_HTML);
	ck_assert_int_eq(report_format_from_name("R.HTM", &f), 0);
	ck_assert_int_eq(f, REPORT_HTML);
	ck_assert_int_eq(report_format_from_name("x.md", &f), 0);
	ck_assert_int_eq(f, REPORT_MD);
	ck_assert_int_eq(report_format_from_name("x.Markdown", &f), 0);
	ck_assert_int_eq(f, REPORT_MD);
	ck_assert_int_eq(report_format_from_name("x.txt", &f), -1);
	ck_assert_int_eq(report_format_from_name("dir.html/x", &f), -1);
	ck_assert_int_eq(report_format_from_name("noext", &f), -1);
	ck_assert_int_eq(report_format_parse("md", &f), 0);
	ck_assert_int_eq(f, REPORT_MD);
	ck_assert_int_eq(report_format_parse("pdf", &f), -1);
}
END_TEST

/* Ten events at 0, 1, ..., 9 s and one at 99 s, in ten bins of 10 s:
 * bin 0 holds ten, bin 9 one, the rest none (worked by hand). */
START_TEST(test_timebins)
{
	struct table_data *d = table_data_new();
	uint32_t evs[12];
	struct timebins tb;
	size_t i;

	d->ev = xcalloc(12, sizeof *d->ev);
	d->nev = d->capev = 12;
	for (i = 0; i < 10; i++)
		d->ev[i].ts = TS_UNIX_EPOCH + (int64_t)i * TS_TICKS_PER_SEC;
	d->ev[10].ts = TS_UNIX_EPOCH + 99 * TS_TICKS_PER_SEC;
	d->ev[11].ts = TS_NONE;
	for (i = 0; i < 12; i++)
		evs[i] = (uint32_t)i;
	ck_assert_int_eq(timebins_fill(&tb, d, evs, 12, 10), 0);
	ck_assert_uint_eq(tb.peak, 10);
	ck_assert_uint_eq(tb.count[0], 10);
	ck_assert_uint_eq(tb.count[9], 1);
	for (i = 1; i < 9; i++)
		ck_assert_uint_eq(tb.count[i], 0);
	ck_assert_uint_eq(timebins_level(&tb, 0, 8), 8);
	ck_assert_uint_eq(timebins_level(&tb, 9, 8), 1);
	ck_assert_uint_eq(timebins_level(&tb, 5, 8), 0);
	ck_assert_uint_eq(timebins_index(&tb, tb.hi), 9);
	timebins_free(&tb);
	ck_assert_int_eq(timebins_fill(&tb, d, evs + 11, 1, 10), -1);
	table_data_free(d);
}
END_TEST

/* Two groups from hand-made logons; the caller frees with hunt_free and
 * table_data_free. */
static struct table_data *
two_groups(struct hunt *h)
{
	static const char *const rows[][LC_N] = {
		{ "2024-05-01T10:00:00Z", "d1", "ws-1", "LogonFailed", "Network",
		  "CONTOSO", "alice", "203.0.113.1", "Public" },
		{ "2024-05-01T11:00:00Z", "d2", "ws-2", "LogonFailed", "Network",
		  "CONTOSO", "alice", "203.0.113.1", "Public" },
		{ "2024-05-02T10:00:00Z", "d1", "ws-1", "LogonSuccess", "Network",
		  "CONTOSO", "bob", "198.51.100.2", "Public" },
	};
	struct table_data *d = table_data_new();
	struct hunt_opts o = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct table_chunk c;
	struct lh_str v[LC_N];
	size_t i, k;

	table_data_add_file(d, "/nonexistent/DeviceLogonEvents.csv", LH_LOGONS, 0, 0);
	table_chunk_init(&c, LH_LOGONS, 0);
	for (i = 0; i < 3; i++) {
		for (k = 0; k < LC_N; k++) {
			v[k].p = rows[i][k];
			v[k].n = strlen(rows[i][k]);
		}
		table_chunk_row(&c, v, 0, (uint32_t)i + 2);
	}
	table_data_merge(d, &c, 0);
	table_chunk_free(&c);
	hunt_run(h, d, &o);
	hunt_apply(h, NULL);
	return d;
}

/* n groups, one logon each from its own address; freed as two_groups'. */
static struct table_data *
many_groups(struct hunt *h, size_t n)
{
	struct table_data *d = table_data_new();
	struct hunt_opts o = { .identity = HUNT_IDENTITY_AS_WRITTEN,
	    .from = TS_NONE, .until = TS_NONE };
	const char *row[LC_N] = { "2024-05-01T10:00:00Z", "d1", "ws-1",
	    "LogonFailed", "Network", "CONTOSO", "alice", NULL, "Public" };
	struct table_chunk c;
	struct lh_str v[LC_N];
	char ip[32];
	size_t i, k;

	table_data_add_file(d, "/nonexistent/DeviceLogonEvents.csv", LH_LOGONS, 0, 0);
	table_chunk_init(&c, LH_LOGONS, 0);
	for (i = 0; i < n; i++) {
		snprintf(ip, sizeof ip, "11.%zu.%zu.%zu", i >> 16, (i >> 8) & 255,
		    (i & 255) + 1);
		row[LC_REMOTEIP] = ip;
		for (k = 0; k < LC_N; k++) {
			v[k].p = row[k];
			v[k].n = strlen(row[k]);
		}
		table_chunk_row(&c, v, 0, (uint32_t)i + 2);
	}
	table_data_merge(d, &c, 0);
	table_chunk_free(&c);
	hunt_run(h, d, &o);
	hunt_apply(h, NULL);
	return d;
}

/* A report written to a file as it is made, in pieces (it is several of
 * them here), holds the bytes of the same report built whole, in both
 * formats. */
START_TEST(test_report_written_in_pieces)
{
	static const enum report_format fmts[] = { REPORT_HTML, REPORT_MD };
	struct hunt h;
	struct table_data *d = many_groups(&h, 20000);
	struct report_input in;
	struct hunt_sort sort;
	struct buf b = { 0 };
	uint32_t *rows = xmalloc(20000 * sizeof *rows);
	char *path = tu_path("report.out"), *cause = NULL, *got;
	size_t f;

	hunt_sort_parse("Instances", &sort);
	ck_assert_uint_eq(hunt_rows(&h, &sort, rows), 20000);
	memset(&in, 0, sizeof in);
	in.version = "test";
	in.cmdline = "logonhunt --report x";
	in.h = &h;
	in.rows = rows;
	in.n = 20000;
	for (f = 0; f < 2; f++) {
		buf_reset(&b);
		ck_assert_int_eq(report_build(&b, &in, fmts[f], 0, &cause), 0);
		ck_assert_uint_gt(b.len, 3 * OUT_CHUNK);
		ck_assert_int_eq(report_write(path, 0, &in, fmts[f], 0, &cause), 0);
		got = tu_read_file(path);
		ck_assert_uint_eq(strlen(got), b.len);
		ck_assert(memcmp(got, b.p, b.len) == 0);
		free(got);
	}
	buf_free(&b);
	free(path);
	free(rows);
	hunt_free(&h);
	table_data_free(d);
}
END_TEST

static const char *
extra_name(void *ctx, size_t col)
{
	(void)ctx;
	return col == 0 ? "Verdict" : "Country";
}

static const char *
extra_cell(void *ctx, uint32_t g, size_t col, char *buf, size_t *len)
{
	const struct hunt *h = ctx;
	const char *s;

	if (col == 1) {
		*len = (size_t)snprintf(buf, TS_BUFSZ, "C%u", (unsigned)h->g[g].count);
		return buf;
	}
	s = h->g[g].count == 2 ? "<b>bad</b> | `x`" : "";
	*len = strlen(s);
	return s;
}

/* Extra columns (as the triage ledger and the enrichment give the
 * summary's writer) and manifest facts reach the report, escaped. */
START_TEST(test_extra_columns_and_facts)
{
	struct hunt h;
	struct table_data *d = two_groups(&h);
	struct report_extra x = { 2, extra_name, extra_cell, &h };
	struct report_fact f = { "Enrichment sources", "GeoLite2-Country 2024-05-01 <i>" };
	struct report_input in;
	struct hunt_sort sort;
	struct buf b = { 0 };
	uint32_t rows[2];
	char *cause = NULL;

	hunt_sort_parse("Instances", &sort);
	ck_assert_uint_eq(hunt_rows(&h, &sort, rows), 2);
	memset(&in, 0, sizeof in);
	in.version = "test";
	in.cmdline = "logonhunt --report x.html";
	in.h = &h;
	in.rows = rows;
	in.n = 2;
	in.extra = &x;
	in.facts = &f;
	in.nfacts = 1;
	ck_assert_int_eq(report_build(&b, &in, REPORT_HTML, 0, &cause), 0);
	buf_addc(&b, '\0');
	ck_assert_ptr_nonnull(strstr(b.p, "<th class=\"n\">DistinctMachines</th><th>Verdict</th>"
	    "<th>Country</th><th>Timeline</th>"));
	ck_assert_ptr_nonnull(strstr(b.p, "<td data-h=\"Verdict\">&lt;b&gt;bad&lt;/b&gt; "
	    "| `x`</td><td data-h=\"Country\">C2</td>"));
	ck_assert_ptr_nonnull(strstr(b.p, "<td data-h=\"Verdict\"></td><td "
	    "data-h=\"Country\">C1</td>"));
	ck_assert_ptr_nonnull(strstr(b.p, "<th>Enrichment sources</th><td data-h=\""
	    "Enrichment sources\">GeoLite2-Country 2024-05-01 &lt;i&gt;</td>"));
	/* The input that cannot be read is said so, not hashed. */
	ck_assert_ptr_nonnull(strstr(b.p, "unreadable: No such file or directory"));
	buf_reset(&b);
	ck_assert_int_eq(report_build(&b, &in, REPORT_MD, 0, &cause), 0);
	buf_addc(&b, '\0');
	ck_assert_ptr_nonnull(strstr(b.p, "| DistinctMachines | Verdict | Country | Timeline |"));
	ck_assert_ptr_nonnull(strstr(b.p, "| `` <b>bad</b> \\| `x` `` | ` C2 ` |"));
	ck_assert_ptr_nonnull(strstr(b.p, "| Enrichment sources | ` GeoLite2-Country 2024-05-01 <i> ` |"));
	buf_free(&b);
	hunt_free(&h);
	table_data_free(d);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("pieces");

	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_add_test(tc, test_sha256_matches_sha256sum);
	tcase_add_test(tc, test_sha256_portable_matches_sha256sum);
	tcase_add_test(tc, test_hmac_rfc4231);
	tcase_add_test(tc, test_html_escape);
	tcase_add_test(tc, test_md_code);
	tcase_add_test(tc, test_format_names);
	tcase_add_test(tc, test_timebins);
	tcase_add_test(tc, test_extra_columns_and_facts);
	tcase_add_test(tc, test_report_written_in_pieces);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(report_suite());
}
