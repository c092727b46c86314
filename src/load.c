#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvload.h"
#include "load.h"

static int
load_file_at(struct table_data *d, const char *path, enum lh_table t,
    struct load_run *run, char **cause)
{
	struct stat sb;
	void *map = NULL;
	int fd, rc;
	size_t size;

	fd = open(path, O_RDONLY);
	if (fd == -1) {
		*cause = xasprintf("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		close(fd);
		return -1;
	}
	size = (size_t)sb.st_size;
	if (size > 0) {
		map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			*cause = xasprintf("%s: cannot map: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		madvise(map, size, MADV_SEQUENTIAL);
	}
	close(fd);
	rc = csvload_buffer(d, run, path, t, map, size, cause);
	if (map != NULL)
		munmap(map, size);
	return rc;
}

int
load_file(struct table_data *d, const char *path, enum lh_table t,
    const struct load_opts *o, char **cause)
{
	struct load_run run = { o, { 0 }, load_now() };

	return load_file_at(d, path, t, &run, cause);
}

int
load_all(struct table_data *d, const struct load_input *in, size_t n,
    const struct load_opts *o, char **cause)
{
	struct load_run run = { o, { 0 }, load_now() };
	size_t i;
	int rc;

	/* The small tables first: the logons are the bulk of the time. */
	for (i = 0; i < n; i++)
		if (in[i].table != LH_LOGONS &&
		    (rc = load_file_at(d, in[i].path, in[i].table, &run, cause)) != 0)
			return rc;
	for (i = 0; i < n; i++)
		if (in[i].table == LH_LOGONS &&
		    (rc = load_file_at(d, in[i].path, in[i].table, &run, cause)) != 0)
			return rc;
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

int
load_find_inputs(const char *dir, struct load_input **out, size_t *n,
    char **cause)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	struct load_input *in = NULL;
	size_t nin = 0, cap = 0, len, have[LH_NTABLES] = { 0 };
	int t;

	if (dp == NULL) {
		*cause = xasprintf("%s: cannot open directory: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		len = strlen(de->d_name);
		if (len == 0 || de->d_name[len - 1] == '~')
			continue;	/* editor backups */
		for (t = 0; t < LH_NTABLES; t++) {
			const char *tn = table_name((enum lh_table)t);
			if (strncasecmp(de->d_name, tn, strlen(tn)) != 0)
				continue;
			if (len < 4 || strcasecmp(de->d_name + len - 4, ".csv") != 0)
				continue;
			in = xgrow(in, &cap, nin + 1, sizeof *in);
			in[nin].path = xasprintf("%s/%s", dir, de->d_name);
			in[nin].table = (enum lh_table)t;
			nin++;
			have[t]++;
		}
	}
	closedir(dp);
	if (have[LH_LOGONS] == 0) {
		*cause = xasprintf("%s: no DeviceLogonEvents*.csv file here; name "
		    "the exports after their tables, or give them with --logons, "
		    "--network and --identity", dir);
		load_inputs_free(in, nin);
		return -1;
	}
	qsort(in, nin, sizeof *in, input_cmp);
	*out = in;
	*n = nin;
	return 0;
}
