/* What the unit test programs share: a temporary directory per test, files
 * written into it, the real data lookup with its skip count, and the run
 * that turns the results into automake's exit codes. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <check.h>
#include <stddef.h>

#include "util.h"

/* Checked fixture: a fresh directory under /tmp for each test, removed
 * with everything in it after the test passed. */
void tu_tmp_setup(void);
void tu_tmp_teardown(void);
/* The current test's directory. */
const char *tu_tmpdir(void);
/* NAME inside that directory (to free). */
char *tu_path(const char *name);
/* Writes N bytes of DATA (or the string TEXT) to PATH, replacing it; fails
 * the test on error. */
void tu_write_at(const char *path, const void *data, size_t n);
void tu_write_text(const char *path, const char *text);
/* Writes NAME in the directory; returns its path (to free). */
char *tu_write_file(const char *name, const void *data, size_t n);
char *tu_write_str(const char *name, const char *text);
/* The whole content of path, NUL-terminated, to free; NULL if it cannot
 * be opened. */
char *tu_read_file(const char *path);

/* Fills PATH with the real data file REL; 1 if it is readable, else 0
 * after printing a SKIP line and counting the skip (or fails the test when
 * LOGONHUNT_REQUIRE_REALDATA is set). */
int tu_realdata_file(char *path, size_t size, const char *rel);

/* Runs the suite (CK_FORK and CK_VERBOSITY apply) and returns the exit
 * code: 0 all passed, 1 a test failed, 77 (SKIP) none failed but a real
 * data part was skipped, 99 the runner could not start. */
int tu_run(Suite *s);

/* A group's key, the five grouping columns in the query's order (the
 * strings are not copied). */
void tu_key(struct lh_str *k, const char *domain, const char *name,
    const char *logontype, const char *ip, const char *action);

#endif
