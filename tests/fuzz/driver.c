/* A standalone fuzz driver, for builds without libFuzzer (gcc, make check).
 *
 *   fuzz_NAME [-n RUNS] [-s SEED] [-m MAXLEN] [PATH...]
 *
 * Runs LLVMFuzzerTestOneInput on every file of the seed corpus (PATHs, or
 * $top_srcdir/tests/fuzz/corpus/NAME), then on RUNS inputs made from them
 * by deterministic pseudo-random mutations: bit flips, bytes and tokens that
 * matter to the parsers (quotes, commas, line ends, braces, NUL, invalid
 * UTF-8), deletions, duplications, truncations and splices of two seeds.
 * The same seed gives the same inputs, so a failure in CI reproduces.
 * RUNS defaults to $FUZZ_RUNS, else to the target's fuzz_default_runs,
 * else 20000. Each input sits in a buffer of
 * exactly its size, so the sanitizers see any read past its end.
 *
 * When a target crashes or breaks an invariant, the input is written to
 * crash-NAME-RUN in the current directory ($FUZZ_CRASH_DIR if set); run
 * "fuzz_NAME -n 0 crash-NAME-RUN" to replay it. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#define DEFAULT_RUNS 20000
#define DEFAULT_MAXLEN 65536

struct input {
	char *path;
	unsigned char *p;
	size_t n;
};

static struct input *seeds;
static size_t nseeds, capseeds;
static const char *target = "fuzz";

/* What is running now, for the crash handlers. */
static const unsigned char *cur_data;
static size_t cur_size;
static unsigned long cur_run;
static int cur_is_seed;

static uint64_t rng_state;

static uint64_t
rng(void)
{
	/* splitmix64: tiny, and good enough to pick mutations. */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static size_t
below(size_t n)
{
	return n ? (size_t)(rng() % n) : 0;
}

/* ------------------------------------------------------------ crashes */

static void
put(int fd, const char *s)
{
	ssize_t r = write(fd, s, strlen(s));
	(void)r;
}

static void
ulong_str(unsigned long v, char *out)
{
	char tmp[24];
	int n = 0, i;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

/* Async-signal-safe: builds the name by hand and uses only write(). */
static void
save_crash(void)
{
	static int saved;
	const char *dir = getenv("FUZZ_CRASH_DIR");
	char path[512], num[24];
	size_t off = 0;
	int fd;

	if (saved || cur_data == NULL)
		return;
	saved = 1;
	path[0] = '\0';
	if (dir != NULL && strlen(dir) < 256) {
		strcpy(path, dir);
		strcat(path, "/");
	}
	strncat(path, "crash-", sizeof path - strlen(path) - 1);
	strncat(path, target, 64);
	strcat(path, cur_is_seed ? "-seed" : "-");
	ulong_str(cur_run, num);
	strcat(path, num);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd == -1) {
		put(2, "fuzz: cannot save the crashing input\n");
		return;
	}
	while (off < cur_size) {
		ssize_t w = write(fd, cur_data + off, cur_size - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fd);
	put(2, "fuzz: the failing input is saved as ");
	put(2, path);
	put(2, "; replay it with: ");
	put(2, target);
	put(2, " -n 0 ");
	put(2, path);
	put(2, "\n");
}

static void
on_fatal_signal(int sig)
{
	save_crash();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Provided by the sanitizer runtimes when they are linked in. */
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static void
install_crash_handlers(void)
{
	static const int sigs[] = { SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL };
	size_t i;

	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], on_fatal_signal);
	if (__sanitizer_set_death_callback != NULL)
		__sanitizer_set_death_callback(save_crash);
}

/* ------------------------------------------------------------ seeds */

static void
add_seed(const char *path)
{
	struct input *in;
	size_t n;
	char *p = fuzz_read_file(path, &n);

	if (p == NULL) {
		fprintf(stderr, "%s: %s: cannot read: %s\n", target, path, strerror(errno));
		exit(1);
	}
	seeds = xgrow(seeds, &capseeds, nseeds + 1, sizeof *seeds);
	in = &seeds[nseeds++];
	in->path = xstrdup(path);
	in->p = (unsigned char *)p;
	in->n = n;
}

static int
path_cmp(const void *a, const void *b)
{
	return strcmp(((const struct input *)a)->path, ((const struct input *)b)->path);
}

static void
add_path(const char *path)
{
	struct stat st;
	DIR *dp;
	struct dirent *de;
	size_t first = nseeds;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "%s: %s: %s\n", target, path, strerror(errno));
		exit(1);
	}
	if (!S_ISDIR(st.st_mode)) {
		add_seed(path);
		return;
	}
	if ((dp = opendir(path)) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", target, path, strerror(errno));
		exit(1);
	}
	while ((de = readdir(dp)) != NULL) {
		char *sub;

		if (de->d_name[0] == '.')
			continue;
		sub = xasprintf("%s/%s", path, de->d_name);
		if (stat(sub, &st) == 0 && S_ISREG(st.st_mode))
			add_seed(sub);
		free(sub);
	}
	closedir(dp);
	/* Directory order varies between file systems; runs must not. */
	qsort(seeds + first, nseeds - first, sizeof *seeds, path_cmp);
}

/* ------------------------------------------------------------ mutations */

static const char *const generic_dict[] = {
	"\"", "\"\"", ",", "\n", "\r\n", "\r", "{", "}", "[", "]", ":", "\\",
	"null", "true", "[]", "{}", "\"\":", "\\u0000", "\\ud800", "#", "=",
	"\xe2\x80\xae", "\xc3\xa9", "\xf0\x9f\x98\x80", "\xff", "\xc0\xaf",
	"\xed\xa0\x80", "\x1b[31m", "\x1b]52;c;AAAA\x07", "\x00",
	"0", "-1", "9999", "18446744073709551616", "2147483648", "1e999",
	"2024-05-01T09:30:00Z", "+14:00", ".1234567890",
	"255.255.255.255", "::", "::ffff:1.2.3.4", "/0", "/33", "/129",
	NULL
};

static const unsigned char special[] = {
	'"', ',', '\n', '\r', '{', '}', '[', ']', ':', '\\', '\0', 0xff, 0x80,
	0xc3, 0xe2, ' ', '\t', '-', 'T', 'Z', '.', '/', '#', '=', '0', '9',
	'*', '!', 0x1b, 0x7f,
};

struct mbuf {
	unsigned char *p;
	size_t n, cap, max;
};

static void
mb_insert(struct mbuf *b, size_t at, const void *s, size_t n)
{
	if (b->n + n > b->max)
		n = b->max - b->n;
	if (n == 0)
		return;
	memmove(b->p + at + n, b->p + at, b->n - at);
	memcpy(b->p + at, s, n);
	b->n += n;
}

static const char *
dict_pick(size_t *len)
{
	const char *const *d = generic_dict;
	size_t nd = 0, nt = 0, i;
	const char *s;

	while (generic_dict[nd] != NULL)
		nd++;
	if (fuzz_dict != NULL)
		while (fuzz_dict[nt] != NULL)
			nt++;
	i = below(nd + 2 * nt);		/* the target's own tokens count double */
	if (i >= nd) {
		d = fuzz_dict;
		i = (i - nd) % nt;
	}
	s = d[i];
	/* "\x00" is one NUL byte, not an empty string. */
	*len = s[0] == '\0' ? 1 : strlen(s);
	return s;
}

static void
mutate_once(struct mbuf *b)
{
	size_t at, len, n, i;
	const char *tok;
	unsigned char c;
	const struct input *o;

	switch (below(12)) {
	case 0:		/* flip a bit */
		if (b->n)
			b->p[below(b->n)] ^= (unsigned char)(1u << below(8));
		break;
	case 1:		/* any byte */
		if (b->n)
			b->p[below(b->n)] = (unsigned char)rng();
		break;
	case 2:		/* a byte that matters to a parser */
		if (b->n)
			b->p[below(b->n)] = special[below(sizeof special)];
		break;
	case 3:
		c = special[below(sizeof special)];
		mb_insert(b, below(b->n + 1), &c, 1);
		break;
	case 4:
	case 5:
		tok = dict_pick(&len);
		mb_insert(b, below(b->n + 1), tok, len);
		break;
	case 6:		/* delete a run */
		if (b->n) {
			at = below(b->n);
			len = 1 + below(b->n - at < 16 ? b->n - at : 16);
			memmove(b->p + at, b->p + at + len, b->n - at - len);
			b->n -= len;
		}
		break;
	case 7:		/* duplicate a run elsewhere */
		if (b->n) {
			unsigned char tmp[64];
			at = below(b->n);
			len = 1 + below(b->n - at < sizeof tmp ? b->n - at : sizeof tmp);
			memcpy(tmp, b->p + at, len);
			mb_insert(b, below(b->n + 1), tmp, len);
		}
		break;
	case 8:		/* truncate */
		b->n = below(b->n + 1);
		break;
	case 9:		/* splice: our head, another seed's tail */
		o = &seeds[below(nseeds)];
		at = below(b->n + 1);
		i = below(o->n + 1);
		n = o->n - i;
		if (at + n > b->max)
			n = b->max - at;
		memcpy(b->p + at, o->p + i, n);
		b->n = at + n;
		break;
	case 10:	/* swap two bytes */
		if (b->n > 1) {
			at = below(b->n);
			i = below(b->n);
			c = b->p[at];
			b->p[at] = b->p[i];
			b->p[i] = c;
		}
		break;
	case 11:	/* repeat a byte many times (long fields, deep nesting) */
		if (b->n) {
			unsigned char run[512];
			len = 1 + below(sizeof run);
			memset(run, b->p[below(b->n)], len);
			mb_insert(b, below(b->n + 1), run, len);
		}
		break;
	}
}

/* ------------------------------------------------------------ running */

static void
run_one(const unsigned char *p, size_t n)
{
	/* A buffer of exactly n bytes: reading past it is an ASan error. */
	unsigned char *copy = malloc(n ? n : 1);

	if (copy == NULL)
		abort();
	if (n)
		memcpy(copy, p, n);
	cur_data = copy;
	cur_size = n;
	LLVMFuzzerTestOneInput(copy, n);
	cur_data = NULL;
	free(copy);
}

static const char *
target_name(const char *argv0)
{
	const char *b = strrchr(argv0, '/');

	b = b ? b + 1 : argv0;
	if (strncmp(b, "lt-", 3) == 0)
		b += 3;
	if (strncmp(b, "fuzz_", 5) == 0)
		b += 5;
	return b;
}

static void
usage(void)
{
	fprintf(stderr, "usage: fuzz_%s [-n RUNS] [-s SEED] [-m MAXLEN] [PATH...]\n",
	    target);
	exit(2);
}

int
main(int argc, char **argv)
{
	unsigned long runs = DEFAULT_RUNS, seed = 1;
	size_t maxlen = DEFAULT_MAXLEN, i;
	const char *env;
	struct mbuf b = { 0 };
	struct timespec t0, t1;
	int ch;

	target = target_name(argv[0]);
	fuzz_thorough = 1;
	if (&fuzz_default_runs != NULL)
		runs = fuzz_default_runs;
	if ((env = getenv("FUZZ_RUNS")) != NULL && *env)
		runs = strtoul(env, NULL, 10);
	while ((ch = getopt(argc, argv, "n:s:m:h")) != -1) {
		switch (ch) {
		case 'n':
			runs = strtoul(optarg, NULL, 10);
			break;
		case 's':
			seed = strtoul(optarg, NULL, 10);
			break;
		case 'm':
			maxlen = strtoul(optarg, NULL, 10);
			if (maxlen == 0)
				usage();
			break;
		default:
			usage();
		}
	}
	for (i = (size_t)optind; i < (size_t)argc; i++)
		add_path(argv[i]);
	if (optind == argc) {
		const char *top = getenv("top_srcdir");
		char *dir = xasprintf("%s/tests/fuzz/corpus/%s", top ? top : ".", target);
		struct stat st;

		if (stat(dir, &st) != 0) {
			fprintf(stderr, "%s: no seed corpus at %s (set top_srcdir or "
			    "name the seed files)\n", target, dir);
			free(dir);
			return 77;
		}
		add_path(dir);
		free(dir);
	}
	if (nseeds == 0)
		add_seed("/dev/null");
	install_crash_handlers();
	clock_gettime(CLOCK_MONOTONIC, &t0);

	cur_is_seed = 1;
	for (i = 0; i < nseeds; i++) {
		cur_run = i;
		run_one(seeds[i].p, seeds[i].n);
	}
	cur_is_seed = 0;

	/* Each target gets its own stream, so adding a seed to one corpus
	 * does not change what the others run. */
	rng_state = seed;
	for (env = target; *env; env++)
		rng_state = rng_state * 31 + (unsigned char)*env;
	for (i = 0; i < nseeds; i++)
		if (seeds[i].n * 2 > maxlen && seeds[i].n * 2 <= DEFAULT_MAXLEN * 16)
			maxlen = seeds[i].n * 2;
	b.max = maxlen;
	b.p = xmalloc(maxlen);
	for (cur_run = 0; cur_run < runs; cur_run++) {
		const struct input *s;
		size_t k, nmut;

		/* Usually start from a seed; sometimes keep mutating the last
		 * input, to get further from the seeds. */
		if (cur_run == 0 || below(4) != 0) {
			s = &seeds[below(nseeds)];
			b.n = s->n < maxlen ? s->n : maxlen;
			memcpy(b.p, s->p, b.n);
		}
		nmut = 1 + below(below(2) ? 3 : 8);
		for (k = 0; k < nmut; k++)
			mutate_once(&b);
		run_one(b.p, b.n);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("fuzz_%s: %zu seeds and %lu mutated inputs in %.2f s, no failure\n",
	    target, nseeds, runs, (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(b.p);
	for (i = 0; i < nseeds; i++) {
		free(seeds[i].p);
		free(seeds[i].path);
	}
	free(seeds);
	return 0;
}
