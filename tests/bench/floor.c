/* floor FILE...: the memory-bandwidth floor of a hunt over FILE.
 *
 * Maps each file and counts its line feeds with memchr, one thread per
 * CPU over equal parts, and prints the total. No hunt can read its input
 * faster than this program reads the same bytes, so bench.sh times both
 * in the same run and reports the hunt's time as a multiple of it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_THREADS 64

struct part {
	const char *p;
	size_t n;
	size_t lines;
};

static void *
count_lines(void *arg)
{
	struct part *pt = arg;
	const char *p = pt->p, *end = pt->p + pt->n, *q;

	while ((q = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		pt->lines++;
		p = q + 1;
	}
	return NULL;
}

static int
count_file(const char *path, long nthreads, size_t *lines)
{
	struct part parts[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	int started[MAX_THREADS];
	struct stat st;
	size_t per;
	char *map;
	long i;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) != 0) {
		fprintf(stderr, "floor: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (st.st_size == 0) {
		close(fd);
		return 0;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		fprintf(stderr, "floor: %s: %s\n", path, strerror(errno));
		return -1;
	}
	(void)madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
	per = (size_t)st.st_size / (size_t)nthreads + 1;
	for (i = 0; i < nthreads; i++) {
		size_t off = per * (size_t)i;

		parts[i].p = map + (off < (size_t)st.st_size ? off : (size_t)st.st_size);
		parts[i].n = off >= (size_t)st.st_size ? 0 :
		    ((size_t)st.st_size - off < per ? (size_t)st.st_size - off : per);
		parts[i].lines = 0;
		started[i] = pthread_create(&tid[i], NULL, count_lines, &parts[i]) == 0;
		if (!started[i])
			count_lines(&parts[i]);
	}
	for (i = 0; i < nthreads; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		*lines += parts[i].lines;
	}
	munmap(map, (size_t)st.st_size);
	return 0;
}

int
main(int argc, char **argv)
{
	long nthreads = sysconf(_SC_NPROCESSORS_ONLN);
	size_t lines = 0;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: floor FILE...\n");
		return 2;
	}
	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > MAX_THREADS)
		nthreads = MAX_THREADS;
	for (i = 1; i < argc; i++)
		if (count_file(argv[i], nthreads, &lines) != 0)
			return 1;
	printf("%zu\n", lines);
	return 0;
}
