/* What the unit test programs share (see testutil.h). */
#include "config.h"

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"

static char tmpdir[64];

/* Skips counted in memory shared with the runner: with CK_FORK (the
 * default) each test runs in a child of its own. */
static int *realdata_skipped;

void
tu_tmp_setup(void)
{
	strcpy(tmpdir, "/tmp/lhunit.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) == 0 ? 0 : -1;
}

/* Runs in the test's own process, only after the test passed. */
void
tu_tmp_teardown(void)
{
	if (tmpdir[0] != '\0')
		ck_assert_msg(nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) == 0,
		    "could not remove %s", tmpdir);
	tmpdir[0] = '\0';
}

const char *
tu_tmpdir(void)
{
	ck_assert_msg(tmpdir[0] != '\0', "no temporary directory: the test "
	    "case lacks the tu_tmp_setup fixture");
	return tmpdir;
}

char *
tu_path(const char *name)
{
	return xasprintf("%s/%s", tu_tmpdir(), name);
}

void
tu_write_at(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	ck_assert_msg(f != NULL, "cannot write %s", path);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

void
tu_write_text(const char *path, const char *text)
{
	tu_write_at(path, text, strlen(text));
}

char *
tu_write_file(const char *name, const void *data, size_t n)
{
	char *path = tu_path(name);

	tu_write_at(path, data, n);
	return path;
}

char *
tu_write_str(const char *name, const char *text)
{
	return tu_write_file(name, text, strlen(text));
}

/* Real data (not redistributed) is under $LOGONHUNT_REALDATA, else beside
 * the source tree in ../shared/realdata, as tests/e2e/lib.sh looks. With
 * LOGONHUNT_REQUIRE_REALDATA set, as CI sets it, an absent file fails. */
int
tu_realdata_file(char *path, size_t size, const char *rel)
{
	const char *real = getenv("LOGONHUNT_REALDATA"), *top = getenv("top_srcdir");
	const char *req = getenv("LOGONHUNT_REQUIRE_REALDATA");

	if (real != NULL)
		snprintf(path, size, "%s/%s", real, rel);
	else
		snprintf(path, size, "%s/../shared/realdata/%s",
		    top != NULL ? top : "..", rel);
	if (access(path, R_OK) == 0)
		return 1;
	ck_assert_msg(req == NULL || req[0] == '\0' || strcmp(req, "0") == 0,
	    "%s not found, and LOGONHUNT_REQUIRE_REALDATA is set", path);
	ck_assert_msg(realdata_skipped != NULL, "tu_realdata_file outside tu_run");
	printf("SKIP: %s not found: the test that reads it did not run "
	    "(set LOGONHUNT_REALDATA to the real data's directory)\n", path);
	(*realdata_skipped)++;
	return 0;
}

int
tu_run(Suite *s)
{
	SRunner *sr;
	int failed, skipped;

	realdata_skipped = mmap(NULL, sizeof *realdata_skipped, PROT_READ |
	    PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (realdata_skipped == MAP_FAILED) {
		perror("mmap");
		realdata_skipped = NULL;
		return 99;
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	skipped = *realdata_skipped;
	munmap(realdata_skipped, sizeof *realdata_skipped);
	realdata_skipped = NULL;
	if (failed == 0 && skipped > 0) {
		printf("SKIP: %d test(s) without their real data\n", skipped);
		return 77;
	}
	return failed == 0 ? 0 : 1;
}

char *
tu_read_file(const char *path)
{
	struct buf b = { 0 };
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (b.p == NULL)
		buf_add(&b, "", 0);
	return b.p;
}

void
tu_key(struct lh_str *k, const char *domain, const char *name,
    const char *logontype, const char *ip, const char *action)
{
	const char *v[5] = { domain, name, logontype, ip, action };
	int i;

	for (i = 0; i < 5; i++) {
		k[i].p = v[i];
		k[i].n = strlen(v[i]);
	}
}
