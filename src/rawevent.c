#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvref.h"
#include "rawevent.h"

struct grab {
	char **vals;
	size_t n;
};

static int
grab_first(void *ctx, const struct csvrec *rec)
{
	struct grab *g = ctx;
	size_t i;

	g->n = rec->nf;
	g->vals = xcalloc(rec->nf, sizeof *g->vals);
	for (i = 0; i < rec->nf; i++)
		g->vals[i] = xstrndup(rec->f[i].p, rec->f[i].n);
	return 1;
}

static void
grab_free(struct grab *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->vals[i]);
	free(g->vals);
}

int
rawevent_read(const struct table_data *d, const struct lh_event *e,
    struct rawevent *out, char **cause)
{
	const struct lh_file *f = &d->files[e->file];
	struct grab head = { 0 }, row = { 0 };
	enum csvscan_error err;
	const char *errpos, *base;
	struct stat sb;
	void *map;
	int fd;
	size_t skip = 0;

	memset(out, 0, sizeof *out);
	fd = open(f->path, O_RDONLY);
	if (fd == -1) {
		*cause = xasprintf("%s: cannot open: %s", f->path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || (uint64_t)sb.st_size != f->size ||
	    e->offset >= f->size) {
		*cause = xasprintf("%s: the file changed since it was loaded; "
		    "reload to see its events", f->path);
		close(fd);
		return -1;
	}
	map = mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		*cause = xasprintf("%s: cannot map: %s", f->path, strerror(errno));
		return -1;
	}
	base = map;
	if (f->size >= 3 && memcmp(base, "\xef\xbb\xbf", 3) == 0)
		skip = 3;
	if (csvref_scan(base + skip, base + f->size, grab_first, &head, &err, &errpos) != 0 ||
	    csvref_scan(base + e->offset, base + f->size, grab_first, &row, &err, &errpos) != 0 ||
	    head.n != row.n) {
		*cause = xasprintf("%s:%u: this row no longer reads as it did; "
		    "the file changed since it was loaded", f->path, e->line);
		munmap(map, f->size);
		grab_free(&head);
		grab_free(&row);
		return -1;
	}
	munmap(map, f->size);
	out->n = head.n;
	out->names = head.vals;
	out->values = row.vals;
	return 0;
}

const char *
rawevent_get(const struct rawevent *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			return r->values[i];
	return NULL;
}

void
rawevent_free(struct rawevent *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->names[i]);
		free(r->values[i]);
	}
	free(r->names);
	free(r->values);
	memset(r, 0, sizeof *r);
}
