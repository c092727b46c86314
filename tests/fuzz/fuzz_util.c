#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "load.h"
#include "rawevent.h"
#include "strtab.h"

int fuzz_thorough;

static char scratch_dir[256];

int
fuzz_sample(const void *data, size_t size, unsigned every, unsigned which)
{
	/* Different bytes of the hash for different checks. */
	uint64_t h = util_hash(data, size) >> (8 * (which % 7));

	return fuzz_thorough || every <= 1 || h % every == 0;
}

static void
remove_scratch(void)
{
	DIR *dp;
	struct dirent *de;
	char path[512];

	if (scratch_dir[0] == '\0' || (dp = opendir(scratch_dir)) == NULL)
		return;
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", scratch_dir, de->d_name);
		unlink(path);
	}
	closedir(dp);
	rmdir(scratch_dir);
}

const char *
fuzz_dir(void)
{
	const char *base;
	struct stat st;

	if (scratch_dir[0] != '\0')
		return scratch_dir;
	if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
	    access("/dev/shm", W_OK) == 0)
		base = "/dev/shm";
	else if ((base = getenv("TMPDIR")) == NULL || base[0] == '\0')
		base = "/tmp";
	snprintf(scratch_dir, sizeof scratch_dir, "%s/lhfuzz.XXXXXX", base);
	if (mkdtemp(scratch_dir) == NULL) {
		perror(scratch_dir);
		abort();
	}
	atexit(remove_scratch);
	return scratch_dir;
}

char *
fuzz_write_file(const char *name, const void *data, size_t size)
{
	char *path = xasprintf("%s/%s", fuzz_dir(), name);
	FILE *f = fopen(path, "wb");

	if (f == NULL || (size && fwrite(data, 1, size, f) != size) ||
	    fclose(f) != 0) {
		perror(path);
		abort();
	}
	return path;
}

char *
fuzz_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	struct buf b = { 0 };
	char chunk[65536];
	size_t n;

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (b.p == NULL)
		buf_add(&b, "", 0);
	*size = b.len;
	return b.p;
}

void
fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("fuzz: invariant broken: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void
fuzz_add_escaped(struct buf *b, const void *s, size_t n)
{
	buf_add_escaped(b, s, n);
	if (b->p == NULL)
		buf_add(b, "", 0);
}

void
fuzz_add_u64(struct buf *b, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do
		tmp[sizeof tmp - 1 - n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	buf_add(b, tmp + sizeof tmp - n, (size_t)n);
	buf_addc(b, ' ');
}

void
fuzz_add_bytes(struct buf *b, const void *s, size_t n)
{
	fuzz_add_u64(b, n);
	buf_add(b, s, n);
	buf_addc(b, ' ');
}

struct flagged {
	const char *s;
	size_t n;
	unsigned flags;
};

static int
flagged_cmp(const void *a, const void *b)
{
	const struct flagged *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->s, y->s, n);

	return c ? c : (x->n > y->n) - (x->n < y->n);
}

static void
add_id(struct buf *out, const struct strtab *st, uint32_t id)
{
	fuzz_add_bytes(out, strtab_str(st, id), strtab_len(st, id));
}

/* Numbers and length-prefixed raw strings: cheap to build, and exact.
 * fuzz_add_escaped makes it readable when two renderings differ. */
void
fuzz_render_table(const struct table_data *d, struct buf *out)
{
	struct flagged *fl;
	size_t i, k, nfl = 0;
	uint32_t n = strtab_count(d->st);

	for (i = 0; i < d->nfiles; i++) {
		buf_add(out, "\nfile ", 6);
		fuzz_add_bytes(out, d->files[i].path, strlen(d->files[i].path));
		fuzz_add_u64(out, (uint64_t)d->files[i].table);
		fuzz_add_u64(out, (uint64_t)d->files[i].format);
		fuzz_add_u64(out, d->files[i].size);
		fuzz_add_u64(out, d->files[i].rows);
	}
	buf_add(out, "\nrows ", 6);
	for (i = 0; i < LH_NTABLES; i++)
		fuzz_add_u64(out, d->rows[i]);
	fuzz_add_u64(out, d->bad_ts);
	fuzz_add_u64(out, d->odd_action);
	if (d->odd_action) {
		fuzz_add_u64(out, d->odd_action_file);
		fuzz_add_u64(out, d->odd_action_line);
		fuzz_add_bytes(out, d->odd_action_text, strlen(d->odd_action_text));
	}
	for (i = 0; i < d->nev; i++) {
		const struct lh_event *e = &d->ev[i];

		buf_add(out, "\nev ", 4);
		fuzz_add_u64(out, (uint64_t)e->ts);
		fuzz_add_u64(out, e->offset);
		fuzz_add_u64(out, e->line);
		fuzz_add_u64(out, e->file);
		for (k = 0; k < K_N; k++)
			add_id(out, d->st, e->key[k]);
		add_id(out, d->st, table_event_device_id(d, e));
		add_id(out, d->st, table_event_device_name(d, e));
	}
	/* Ids depend on interning order, which is not part of the contract:
	 * compare the flagged strings themselves, sorted. */
	fl = xmalloc((n ? n : 1) * sizeof *fl);
	for (i = 0; i < n && i < d->capflags; i++)
		if (d->ipflags[i]) {
			fl[nfl].s = strtab_str(d->st, (uint32_t)i);
			fl[nfl].n = strtab_len(d->st, (uint32_t)i);
			fl[nfl].flags = d->ipflags[i];
			nfl++;
		}
	qsort(fl, nfl, sizeof *fl, flagged_cmp);
	for (i = 0; i < nfl; i++) {
		buf_add(out, "\nip ", 4);
		fuzz_add_u64(out, fl[i].flags);
		fuzz_add_bytes(out, fl[i].s, fl[i].n);
	}
	free(fl);
	for (i = 0; i < d->npresum; i++) {
		const struct lh_presummary *p = &d->presum[i];

		buf_add(out, "\nsum ", 5);
		fuzz_add_u64(out, (uint64_t)p->first);
		fuzz_add_u64(out, (uint64_t)p->last);
		fuzz_add_u64(out, p->count);
		fuzz_add_u64(out, p->devices);
		for (k = 0; k < K_N; k++)
			add_id(out, d->st, p->key[k]);
	}
	buf_addc(out, '\n');
}

void
fuzz_check_drilldown(const struct table_data *d)
{
	static const char *const cols[] = { "AccountName", "RemoteIP", "ActionType" };
	static const int keys[] = { K_NAME, K_REMOTEIP, K_ACTIONTYPE };
	struct rawevent r;
	const char *v;
	char *cause = NULL;
	size_t i, k, n;

	rawevent_forget();
	for (i = 0; i < d->nev && i < 16; i++) {
		const struct lh_event *e = &d->ev[i];

		if (d->files[e->file].format & LOAD_FMT_SUMMARY)
			continue;
		FUZZ_CHECK(rawevent_read(d, e, &r, &cause) == 0,
		    "event %zu (line %u) does not read back: %s", i, e->line,
		    cause ? cause : "?");
		for (k = 0; k < 3; k++) {
			if ((v = rawevent_get(&r, cols[k], &n)) == NULL)
				continue;
			FUZZ_CHECK(n == strtab_len(d->st, e->key[keys[k]]) &&
			    memcmp(v, strtab_str(d->st, e->key[keys[k]]), n) == 0,
			    "event %zu: drill-down %s '%.*s' differs from the hunt's '%s'",
			    i, cols[k], (int)n, v, strtab_str(d->st, e->key[keys[k]]));
		}
		rawevent_free(&r);
	}
}
