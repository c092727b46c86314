#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csvload.h"
#include "detect.h"
#include "filemap.h"
#include "jsonload.h"
#include "load.h"
#include "loadjob.h"

/* Directory levels descended with LOAD_FIND_RECURSIVE: a storage account
 * download nests blobs about eight deep (container/tenant/y/m/d/h/m). */
#define FIND_MAX_DEPTH 16

struct inflate_state {
	struct load_run *run;
	double last;
};

/* Progress while a .gz file is inflated: compressed bytes read. */
static int
inflate_tick(void *ctx, uint64_t done, uint64_t total)
{
	struct inflate_state *is = ctx;

	if (!load_progress_due(is->run, &is->last))
		return 0;
	is->run->pr.bytes_done = done;
	is->run->pr.bytes_total = total;
	return load_progress_report(is->run);
}

static int
load_file_at(struct table_data *d, const char *path, enum lh_table t,
    struct load_run *run, size_t *summaries, char **cause)
{
	struct inflate_state is = { run, load_now() };
	struct filemap m;
	size_t i, before = d->nfiles;
	int rc, fmtflags;

	run->pr.path = path;
	run->pr.bytes_done = 0;
	run->pr.bytes_total = 0;
	rc = filemap_open(&m, path, inflate_tick, &is, cause);
	if (rc != 0)
		return rc == FILEMAP_CANCELLED ? LOAD_CANCELLED : rc;
	fmtflags = m.gzip ? LOAD_FMT_GZIP : 0;
	/* A name that starts with a table's still says what rows are. */
	if (t == LOAD_DETECT)
		t = detect_name(path);
	if (m.size >= 2 && (memcmp(m.data, "\xff\xfe", 2) == 0 ||
	    memcmp(m.data, "\xfe\xff", 2) == 0)) {
		/* Windows PowerShell's Out-File and > write UTF-16. */
		*cause = xasprintf("%s: the file is UTF-16 text; exports are read "
		    "as UTF-8: convert it (iconv -f UTF-16 -t UTF-8), or save it "
		    "with -Encoding utf8 in PowerShell", path);
		filemap_close(&m);
		return -1;
	}
	switch (detect_syntax(m.data, m.size)) {
	case DETECT_EMPTY:
		if (t == LOAD_DETECT_OPTIONAL) {
			*cause = xstrdup("the file is empty");
			rc = LOAD_UNKNOWN;
		} else if (t < LH_NTABLES) {
			/* The CSV loader says what an empty export lacks. */
			rc = csvload_file(d, run, path, t, m.data, m.size,
			    fmtflags, cause);
		} else {
			*cause = xasprintf("%s: the file is empty; expected a "
			    "DeviceLogonEvents, DeviceNetworkInfo or "
			    "IdentityLogonEvents export (CSV or JSON)", path);
			rc = -1;
		}
		break;
	case DETECT_CSV:
		rc = csvload_file(d, run, path, t, m.data, m.size, fmtflags,
		    cause);
		break;
	case DETECT_JSON:
	default:
		rc = jsonload_buffer(d, run, path, t, m.data, m.size, fmtflags,
		    cause);
		break;
	}
	/* Drill-down checks the file is still the one loaded. */
	for (i = before; i < d->nfiles; i++)
		d->files[i].id = m.id;
	filemap_close(&m);
	/* The file's chunks, merged and freed, would otherwise stay
	 * resident in the loading threads' arenas through the hunt. */
	util_heap_trim();
	if (rc == LOAD_SUMMARY && summaries != NULL)
		(*summaries)++;
	if (rc == LOAD_UNKNOWN || rc == LOAD_SUMMARY) {
		/* Only optional inputs come back as unknown. */
		load_warn(run->o, xasprintf("%s: skipped: %s", path, *cause));
		free(*cause);
		*cause = NULL;
		rc = 0;
	}
	return rc;
}

int
load_file(struct table_data *d, const char *path, enum lh_table t,
    const struct load_opts *o, char **cause)
{
	struct load_run run = { o, { 0 }, load_now() };

	return load_file_at(d, path, t, &run, NULL, cause);
}

/* 0: table files other than logons, 1: logons, 2: detected from content;
 * the small tables first, as the logons are the bulk of the time. */
static int
load_pass(enum lh_table t)
{
	return t == LH_LOGONS ? 1 : t < LH_NTABLES ? 0 : 2;
}

int
load_all(struct table_data *d, const struct load_input *in, size_t n,
    const struct load_opts *o, char **cause)
{
	struct load_run run = { o, { 0 }, load_now() };
	size_t i, ndetect = 0, summaries = 0;
	int rc, pass;

	for (pass = 0; pass < 3; pass++)
		for (i = 0; i < n; i++) {
			if (load_pass(in[i].table) != pass)
				continue;
			ndetect += pass == 2;
			rc = load_file_at(d, in[i].path, in[i].table, &run,
			    &summaries, cause);
			if (rc != 0)
				return rc;
		}
	if (ndetect > 0) {
		for (i = 0; i < d->nfiles; i++)
			if (d->files[i].table == LH_LOGONS)
				return 0;
		*cause = xasprintf("no DeviceLogonEvents data in the %zu input "
		    "file%s: none is a DeviceLogonEvents export, the hunt's "
		    "summary, or a streaming export with records of category "
		    "AdvancedHunting-DeviceLogonEvents%s", n, n == 1 ? "" : "s",
		    summaries ? " (summaries found in a directory are skipped: "
		    "give one with --input FILE)" : "");
		return -1;
	}
	return 0;
}

static int
input_cmp(const void *a, const void *b)
{
	const struct load_input *x = a, *y = b;

	if (x->table != y->table)
		return (int)x->table - (int)y->table;
	return strcmp(x->path, y->path);
}

void
load_inputs_free(struct load_input *in, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(in[i].path);
	free(in);
}

static int
ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && strncasecmp(s + len - n, suffix, n) == 0;
}

/* .csv .json .jsonl .ndjson .log, each maybe followed by .gz */
static int
candidate_name(const char *name)
{
	static const char *const exts[] = { ".csv", ".json", ".jsonl",
	    ".ndjson", ".log" };
	size_t len = strlen(name), i;

	if (ends_with(name, len, ".gz"))
		len -= 3;
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++)
		if (ends_with(name, len, exts[i]) && len > strlen(exts[i]))
			return 1;
	return 0;
}

struct finder {
	struct load_input *in;
	size_t n, cap;
	int flags;
	/* What the walk could not enter, said once at the end. */
	size_t too_deep, too_long;
	char *first_deep, *first_long;
};

static void
skipped(size_t *count, char **first, const char *path)
{
	if ((*count)++ == 0)
		*first = xstrdup(path);
}

static int
find_in(struct finder *f, const char *dir, int depth, char **cause)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	struct stat sb;
	char *path;
	size_t len;
	int rc = 0;

	if (dp == NULL) {
		*cause = xasprintf("%s: cannot open directory: %s", dir,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		len = strlen(de->d_name);
		if (len == 0 || de->d_name[len - 1] == '~')
			continue;	/* editor backups */
		path = xasprintf("%s/%s", dir, de->d_name);
		/* A longer path cannot be opened by name later: said, not
		 * silently left out. */
		if (strlen(path) >= PATH_MAX) {
			if ((f->flags & LOAD_FIND_RECURSIVE) ||
			    candidate_name(de->d_name))
				skipped(&f->too_long, &f->first_long, path);
			free(path);
			continue;
		}
		/* Symbolic links to files count; to directories they are not
		 * followed, so that a loop cannot trap the walk. */
		if ((f->flags & LOAD_FIND_RECURSIVE) &&
		    lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (depth >= FIND_MAX_DEPTH) {
				skipped(&f->too_deep, &f->first_deep, path);
				free(path);
				continue;
			}
			rc = find_in(f, path, depth + 1, cause);
			free(path);
			if (rc != 0)
				break;
			continue;
		}
		if (!candidate_name(de->d_name) || stat(path, &sb) != 0 ||
		    !S_ISREG(sb.st_mode)) {
			free(path);
			continue;
		}
		f->in = xgrow(f->in, &f->cap, f->n + 1, sizeof *f->in);
		f->in[f->n].path = path;
		f->in[f->n].table = detect_name(de->d_name);
		if (f->in[f->n].table == LOAD_DETECT)
			f->in[f->n].table = LOAD_DETECT_OPTIONAL;
		f->n++;
	}
	closedir(dp);
	return rc;
}

static void
finder_report(struct finder *f, const char *dir,
    void (*warn)(void *, const char *), void *ctx)
{
	char *m;

	if (f->too_deep > 0 && warn != NULL) {
		m = xasprintf("%s: %zu director%s more than %d levels down %s not "
		    "searched (the first: %s); give a deeper directory as DIR, "
		    "or its files with --input", dir, f->too_deep,
		    f->too_deep == 1 ? "y" : "ies", FIND_MAX_DEPTH,
		    f->too_deep == 1 ? "was" : "were", f->first_deep);
		warn(ctx, m);
		free(m);
	}
	if (f->too_long > 0 && warn != NULL) {
		m = xasprintf("%s: %zu entr%s skipped: %s path is longer than the "
		    "system allows (%d bytes) (the first: %.200s...); move the "
		    "files to a shorter path", dir, f->too_long,
		    f->too_long == 1 ? "y was" : "ies were",
		    f->too_long == 1 ? "its" : "their", PATH_MAX, f->first_long);
		warn(ctx, m);
		free(m);
	}
	free(f->first_deep);
	free(f->first_long);
}

int
load_find_inputs_flags(const char *dir, int flags, struct load_input **out,
    size_t *n, char **cause)
{
	return load_find_inputs_warn(dir, flags, NULL, NULL, out, n, cause);
}

int
load_find_inputs_warn(const char *dir, int flags,
    void (*warn)(void *ctx, const char *msg), void *ctx,
    struct load_input **out, size_t *n, char **cause)
{
	struct finder f = { NULL, 0, 0, flags, 0, 0, NULL, NULL };
	size_t i, logons = 0;
	int rc = find_in(&f, dir, 0, cause);

	finder_report(&f, dir, warn, ctx);
	if (rc != 0) {
		load_inputs_free(f.in, f.n);
		return -1;
	}
	for (i = 0; i < f.n; i++)
		if (f.in[i].table == LH_LOGONS || f.in[i].table >= LH_NTABLES)
			logons++;
	if (logons == 0) {
		*cause = xasprintf("%s: no DeviceLogonEvents export here: expected "
		    "a file such as DeviceLogonEvents.csv, DeviceLogonEvents.json "
		    "(either maybe .gz), or a streaming export (*.json, *.log); "
		    "or give the files with --logons, --network and --identity",
		    dir);
		load_inputs_free(f.in, f.n);
		return -1;
	}
	qsort(f.in, f.n, sizeof *f.in, input_cmp);
	*out = f.in;
	*n = f.n;
	return 0;
}

int
load_find_inputs(const char *dir, struct load_input **out, size_t *n,
    char **cause)
{
	return load_find_inputs_flags(dir, 0, out, n, cause);
}
