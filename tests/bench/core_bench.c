/* Times the core operations behind the console on 100,000 groups: the
 * summary, re-applying exclusions (a toggle), sorting by each column, and
 * a report of 50,000 groups (and SHA-256's speed, which the report's
 * manifest pays for each input).
 * Not a test: `make bench` runs it and docs/PERFORMANCE.md keeps figures. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "excl.h"
#include "exclfilter.h"
#include "hunt.h"
#include "report.h"
#include "sha256.h"
#include "table.h"
#include "ts.h"

/* CPU time: on a shared, loaded machine the wall clock says little. */
static double
cpu(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	size_t ngroups = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000, i, n;
	struct table_data *d = table_data_new();
	struct table_chunk c;
	struct lh_str v[LC_N];
	char buf[LC_N][64];
	struct hunt h;
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct hunt_sort s;
	struct hunt_filter flt;
	struct excl_set *set;
	struct excl_matcher *m;
	uint32_t *rows;
	char *cause = NULL;
	double t0, t;
	int col, k;

	table_data_add_file(d, "(synthetic)", LH_LOGONS, 0, 0);
	table_chunk_init(&c, LH_LOGONS, 0);
	/* Three logons per group, from 1,000 devices. */
	for (i = 0; i < ngroups * 3; i++) {
		size_t g = i % ngroups;
		snprintf(buf[LC_TIMESTAMP], 64, "2025-03-%02zuT%02zu:%02zu:00Z", 1 + i % 28, i % 24, i % 60);
		snprintf(buf[LC_DEVICEID], 64, "%040zx", i % 1000);
		snprintf(buf[LC_DEVICENAME], 64, "ws-%04zu.contoso.com", i % 1000);
		snprintf(buf[LC_ACTIONTYPE], 64, "%s", g % 3 ? "LogonFailed" : "LogonSuccess");
		snprintf(buf[LC_LOGONTYPE], 64, "%s", g % 5 ? "Network" : "RemoteInteractive");
		snprintf(buf[LC_ACCOUNTDOMAIN], 64, "%s", g % 2 ? "CONTOSO" : "FABRIKAM");
		snprintf(buf[LC_ACCOUNTNAME], 64, "user%zu", g % 20011);
		snprintf(buf[LC_REMOTEIP], 64, "%zu.%zu.%zu.%zu", 11 + g % 200, (g / 200) % 256, (g * 7) % 256, g % 251);
		snprintf(buf[LC_REMOTEIPTYPE], 64, "Public");
		for (k = 0; k < LC_N; k++) {
			v[k].p = buf[k];
			v[k].n = strlen(buf[k]);
		}
		table_chunk_row(&c, v, 0, 1);
	}
	table_data_merge(d, &c, 0);
	table_chunk_free(&c);

	t0 = now();
	hunt_run(&h, d, &ho);
	hunt_apply(&h, NULL);
	printf("summary of %zu logons into %zu groups: %.1f ms\n", d->nev, h.ng, (now() - t0) * 1e3);

	/* 1,000 rules of each kind, as a big allowlist would have. */
	set = excl_new_empty("/tmp/core_bench.exclusions");
	for (i = 0; i < 1000; i++) {
		char r[64];
		snprintf(r, sizeof r, "%zu.%zu.0.0/16", 11 + i % 200, i % 256);
		excl_rule_add(set, 0, EXCL_IP, r, NULL, 0, &cause);
		snprintf(r, sizeof r, "CONTOSO\\user%zu*", i * 17);
		excl_rule_add(set, 1, EXCL_ACCOUNT, r, NULL, 0, &cause);
	}
	excl_rule_add(set, 2, EXCL_DEVICE, "ws-000*", NULL, 0, &cause);
	m = excl_compile(set, time(NULL));
	exclfilter_init(&flt, set, m);
	t0 = now();
	for (k = 0; k < 10; k++)
		hunt_apply(&h, &flt);
	t = (now() - t0) / 10;
	printf("apply %zu rules (a toggle): %.1f ms, %llu groups left\n", excl_rule_count(set), t * 1e3,
	    (unsigned long long)h.f.groups);

	rows = malloc(h.ng * sizeof *rows);
	for (col = 0; col < HC_N; col++) {
		hunt_sort_parse(hunt_col_name((enum hunt_col)col), &s);
		t0 = now();
		n = hunt_rows(&h, &s, rows);
		printf("sort %zu rows by %-16s %.1f ms\n", n, hunt_col_name((enum hunt_col)col), (now() - t0) * 1e3);
	}
	/* A report of the first 50,000 groups as sorted last (the input is
	 * synthetic: no file to hash; sha256 is timed apart below). */
	{
		struct report_input in;
		struct buf out = { 0 };
		enum report_format f;
		unsigned char *big = malloc(256u << 20), dg[SHA256_LEN];

		memset(&in, 0, sizeof in);
		in.version = "bench";
		in.cmdline = "core_bench";
		in.h = &h;
		in.rows = rows;
		in.n = n < 50000 ? n : 50000;
		in.excl = set;
		in.now = time(NULL);
		for (f = REPORT_HTML; f <= REPORT_MD; f++) {
			double c0 = cpu();

			t0 = now();
			report_build(&out, &in, f, 0, &cause);
			printf("report of %zu groups as %s: %.1f ms (CPU %.1f ms), %.1f MB\n",
			    in.n, f == REPORT_HTML ? "HTML" : "Markdown",
			    (now() - t0) * 1e3, (cpu() - c0) * 1e3, out.len / 1e6);
			buf_reset(&out);
			free(cause);
			cause = NULL;
		}
		buf_free(&out);
		memset(big, 0x5a, 256u << 20);
		t0 = cpu();
		sha256_digest(big, 256u << 20, dg);
		t = cpu() - t0;
		printf("SHA-256 of 256 MiB: CPU %.1f ms (%.0f MB/s)\n", t * 1e3,
		    (256u << 20) / 1e6 / t);
		free(big);
	}
	free(rows);
	excl_matcher_free(m);
	excl_free(set);
	hunt_free(&h);
	table_data_free(d);
	return 0;
}
