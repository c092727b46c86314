/* Times the triage ledger at the scale of its promise: a hunt of 1,000,000
 * logons in 1,000,000 groups (the worst case: one logon each), recorded
 * into a ledger, saved, loaded back and matched, with a verdict on every
 * tenth group. Not a test: `make bench` runs it and docs/PERFORMANCE.md
 * keeps the figures. Usage: ledger_bench [GROUPS] [FILE]. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hunt.h"
#include "ledger.h"
#include "table.h"
#include "ts.h"

/* CPU time of the process (this program has one thread): on a shared,
 * loaded machine wall time measures the neighbours. The wall time of the
 * whole program is printed at the end for comparison. */
static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double
wall(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static off_t
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_size : 0;
}

/* A save, its CPU and wall time (a save waits for the disk), and how
 * much the file grew. */
static void
timed_save(struct ledger *l, const char *what, const char *path)
{
	off_t before = file_size(path);
	double t0 = now(), w0 = wall();
	char *cause = NULL;

	if (ledger_save(l, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		exit(1);
	}
	printf("%s: %.1f ms CPU, %.1f ms wall, %+.1f MB\n", what,
	    (now() - t0) * 1e3, (wall() - w0) * 1e3,
	    (double)(file_size(path) - before) / 1e6);
}

int
main(int argc, char **argv)
{
	size_t ngroups = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000, i, sub;
	const char *path = argc > 2 ? argv[2] : "/tmp/ledger_bench.ledger";
	struct table_data *d = table_data_new();
	struct table_chunk c;
	struct lh_str v[LC_N];
	char buf[LC_N][64], *cause = NULL;
	struct hunt h;
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct ledger *l, *back;
	struct ledger_run r;
	struct ledger_figures f;
	struct stat st;
	char *bak, *lock;
	double t0, w0 = wall();
	int k;

	table_data_add_file(d, "(synthetic)", LH_LOGONS, 0, 0);
	table_chunk_init(&c, LH_LOGONS, 0);
	for (i = 0; i < ngroups; i++) {
		snprintf(buf[LC_TIMESTAMP], 64, "2025-03-%02zuT%02zu:%02zu:00.1234567Z", 1 + i % 28, i % 24, i % 60);
		snprintf(buf[LC_DEVICEID], 64, "%040zx", i % 1000);
		snprintf(buf[LC_DEVICENAME], 64, "ws-%04zu.contoso.com", i % 1000);
		snprintf(buf[LC_ACTIONTYPE], 64, "%s", i % 3 ? "LogonFailed" : "LogonSuccess");
		snprintf(buf[LC_LOGONTYPE], 64, "%s", i % 5 ? "Network" : "RemoteInteractive");
		snprintf(buf[LC_ACCOUNTDOMAIN], 64, "%s", i % 2 ? "CONTOSO" : "FABRIKAM");
		snprintf(buf[LC_ACCOUNTNAME], 64, "user%zu", i);
		snprintf(buf[LC_REMOTEIP], 64, "%zu.%zu.%zu.%zu", 11 + i % 200, (i / 200) % 256, (i * 7) % 256, i % 251);
		snprintf(buf[LC_REMOTEIPTYPE], 64, "Public");
		for (k = 0; k < LC_N; k++) {
			v[k].p = buf[k];
			v[k].n = strlen(buf[k]);
		}
		table_chunk_row(&c, v, 0, 1);
	}
	table_data_merge(d, &c, 0);
	table_chunk_free(&c);
	hunt_run(&h, d, &ho);
	hunt_apply(&h, NULL);
	printf("hunt: %zu logons in %zu groups\n", d->nev, h.ng);

	unlink(path);
	l = ledger_new(path);
	t0 = now();
	ledger_run_match(&r, l, &h);
	ledger_run_record(&r, l, &h, ledger_now(), NULL, NULL);
	printf("first run, record %zu new groups: %.1f ms\n", ledger_count(l), (now() - t0) * 1e3);
	for (i = 0; i < h.ng; i += 10) {
		ledger_group_figures(&h.g[i], &f);
		ledger_set_verdict(l, r.rec[i], LV_BENIGN_POSITIVE,
		    "scheduled scan from the vulnerability scanner", "analyst",
		    ledger_now(), &f);
	}
	ledger_run_free(&r);
	t0 = now();
	if (ledger_save(l, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	stat(path, &st);
	printf("save (no file yet): %.1f ms, %.1f MB\n", (now() - t0) * 1e3,
	    (double)st.st_size / 1e6);
	ledger_free(l);

	t0 = now();
	if (ledger_load(path, &l, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	printf("load %zu groups: %.1f ms\n", ledger_count(l), (now() - t0) * 1e3);
	t0 = now();
	ledger_run_match(&r, l, &h);
	printf("match %zu hunt groups: %.1f ms (%zu seen)\n", h.ng,
	    (now() - t0) * 1e3, r.count[LS_SEEN]);
	/* The next run shows a fraction of the groups (the 1M-row benchmark
	 * export forms 65,512), some of them grown: the save appends just
	 * those. */
	sub = h.ng < 65536 ? h.ng : 65536;
	for (i = 0; i < sub; i++) {
		size_t g = i * (h.ng / sub);

		ledger_group_figures(&h.g[g], &f);
		f.instances += i % 7 == 0;
		ledger_record_shown(l, r.rec[g], &f, ledger_now());
	}
	timed_save(l, "save a run of 65,536 of them (appended)", path);
	timed_save(l, "save with nothing changed", path);
	t0 = now();
	ledger_run_record(&r, l, &h, ledger_now(), NULL, NULL);
	printf("record a run of all %zu groups: %.1f ms\n", h.ng, (now() - t0) * 1e3);
	timed_save(l, "save that run (appended)", path);
	/* Another writer appended verdicts meanwhile: the save reads and
	 * merges its save, then appends its own. */
	if (ledger_load(path, &back, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	for (i = 1; i < h.ng; i += 100)
		ledger_set_verdict(back, r.rec[i], LV_FALSE_POSITIVE, "other",
		    "colleague", ledger_now(), NULL);
	timed_save(back, "another writer's save of 1% verdicts (appended)", path);
	for (i = 2; i < h.ng; i += 100)
		ledger_set_verdict(l, r.rec[i], LV_ESCALATED, "mine", "analyst",
		    ledger_now(), NULL);
	timed_save(l, "save 1% verdicts after it (read theirs, append)", path);
	ledger_free(back);
	t0 = now();
	if (ledger_load(path, &back, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	printf("load %zu groups from the %.1f MB file those saves made: %.1f ms\n",
	    ledger_count(back), (double)file_size(path) / 1e6, (now() - t0) * 1e3);
	ledger_free(back);
	ledger_run_free(&r);
	ledger_free(l);
	hunt_free(&h);
	table_data_free(d);
	printf("(CPU times; the whole program took %.1f s of wall time)\n",
	    wall() - w0);
	bak = xasprintf("%s~", path);
	lock = xasprintf("%s.lock", path);
	if (getenv("LEDGER_BENCH_KEEP") == NULL)
		unlink(path);
	unlink(bak);
	unlink(lock);
	free(bak);
	free(lock);
	return 0;
}
