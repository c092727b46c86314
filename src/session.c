#include "config.h"

#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "savefile.h"
#include "session.h"

#define SESSION_HEADER "logonhunt-session 1"
/* A session names marks by key: even a million marks fit. */
#define SESSION_MAX_BYTES ((size_t)1 << 30)

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* path made absolute, its links resolved when it exists. */
static char *
absolute(const char *path)
{
	char *r, cwd[PATH_MAX];

	if ((r = realpath(path, NULL)) != NULL)
		return r;
	if (path[0] == '/' || getcwd(cwd, sizeof cwd) == NULL)
		return xstrdup(path);
	return xasprintf("%s/%s", cwd, path);
}

void
session_init(struct session *s, const char *const *inputs, size_t n,
    const char *excl)
{
	size_t i, k;

	memset(s, 0, sizeof *s);
	s->inputs = xcalloc(n ? n : 1, sizeof *s->inputs);
	for (i = 0; i < n; i++)
		s->inputs[i] = absolute(inputs[i]);
	qsort(s->inputs, n, sizeof *s->inputs, cmp_str);
	for (i = k = 0; i < n; i++) {
		if (k > 0 && strcmp(s->inputs[k - 1], s->inputs[i]) == 0)
			free(s->inputs[i]);
		else
			s->inputs[k++] = s->inputs[i];
	}
	s->ninputs = k;
	s->exclusions = excl != NULL ? absolute(excl) : NULL;
}

void
session_free(struct session *s)
{
	size_t i;

	util_strv_free(s->inputs, s->ninputs);
	free(s->exclusions);
	for (i = 0; i < s->nsort; i++)
		free(s->sort[i].col);
	free(s->filter);
	free(s->search);
	util_strv_free(s->hidden, s->nhidden);
	free(s->cursor);
	util_strv_free(s->marks, s->nmarks);
	memset(s, 0, sizeof *s);
}

int
session_same_inputs(const struct session *a, const struct session *b)
{
	size_t i;

	if (a->ninputs != b->ninputs ||
	    (a->exclusions == NULL) != (b->exclusions == NULL) ||
	    (a->exclusions != NULL && strcmp(a->exclusions, b->exclusions) != 0))
		return 0;
	for (i = 0; i < a->ninputs; i++)
		if (strcmp(a->inputs[i], b->inputs[i]) != 0)
			return 0;
	return 1;
}

char *
session_path(const struct session *s)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	struct passwd *pw;
	struct buf b = { 0 };
	uint64_t h;
	size_t i;

	for (i = 0; i < s->ninputs; i++)
		buf_add(&b, s->inputs[i], strlen(s->inputs[i]) + 1);
	buf_addc(&b, '\n');
	if (s->exclusions != NULL)
		buf_add(&b, s->exclusions, strlen(s->exclusions) + 1);
	h = util_hash(b.p, b.len);
	buf_free(&b);
	/* The XDG spec says to ignore a relative XDG_STATE_HOME. */
	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/logonhunt/sessions/%016llx", xdg,
		    (unsigned long long)h);
	if (home == NULL || home[0] != '/') {
		pw = getpwuid(getuid());
		home = pw != NULL ? pw->pw_dir : NULL;
	}
	if (home != NULL && home[0] == '/')
		return xasprintf("%s/.local/state/logonhunt/sessions/%016llx",
		    home, (unsigned long long)h);
	return NULL;
}

/* ------------------------------------------------------------ fields */

static void
put_field(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\')
			buf_add(b, "\\\\", 2);
		else if (c == '\t')
			buf_add(b, "\\t", 2);
		else if (c == '\n')
			buf_add(b, "\\n", 2);
		else if (c == '\r')
			buf_add(b, "\\r", 2);
		else if (c < 0x20 || c == 0x7f) {
			char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
			buf_add(b, e, 4);
		} else
			buf_addc(b, (char)c);
	}
}

void
session_group_key(const struct lh_str key[5], struct buf *out)
{
	int i;

	buf_reset(out);
	for (i = 0; i < 5; i++) {
		if (i > 0)
			buf_addc(out, '\t');
		put_field(out, key[i].p, key[i].n);
	}
	if (out->p == NULL)
		buf_add(out, "", 0);
}

/* Decodes the escapes of p[0, n) into an allocated string; NULL if an
 * escape is malformed or decodes to a NUL (no field holds one). */
static char *
get_field(const char *p, size_t n)
{
	char *o = xmalloc(n + 1), *w = o;
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (p[i] != '\\') {
			*w++ = p[i];
			continue;
		}
		if (++i == n)
			goto bad;
		switch (p[i]) {
		case '\\': *w++ = '\\'; break;
		case 't': *w++ = '\t'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case 'x':
			if (n - i < 3 || (hi = util_hexval(p[i + 1])) < 0 ||
			    (lo = util_hexval(p[i + 2])) < 0 || (hi | lo) == 0)
				goto bad;
			*w++ = (char)(hi << 4 | lo);
			i += 2;
			break;
		default:
			goto bad;
		}
	}
	*w = '\0';
	return o;
bad:
	free(o);
	return NULL;
}

void
session_set(char **field, const char *text)
{
	free(*field);
	*field = text != NULL ? xstrdup(text) : NULL;
}

unsigned
session_yield_to_cli(struct session *s, unsigned given)
{
	unsigned lost = 0;
	size_t i;

	if ((given & SESSION_CLI_SORT) && s->nsort > 0) {
		for (i = 0; i < s->nsort; i++)
			free(s->sort[i].col);
		s->nsort = 0;
		lost |= SESSION_CLI_SORT;
	}
	return lost;
}

void
session_add_mark(struct session *s, const char *key)
{
	s->marks = xrealloc(s->marks, (s->nmarks + 1) * sizeof *s->marks);
	s->marks[s->nmarks++] = xstrdup(key);
}

void
session_add_hidden(struct session *s, const char *col)
{
	s->hidden = xrealloc(s->hidden, (s->nhidden + 1) * sizeof *s->hidden);
	s->hidden[s->nhidden++] = xstrdup(col);
}

static void
put_line(struct buf *b, const char *label, const char *v)
{
	buf_add(b, label, strlen(label));
	buf_addc(b, '\t');
	put_field(b, v, strlen(v));
	buf_addc(b, '\n');
}

void
session_serialize(const struct session *s, struct buf *b)
{
	size_t i;

	buf_reset(b);
	buf_add(b, SESSION_HEADER "\n", sizeof SESSION_HEADER);
	for (i = 0; i < s->ninputs; i++)
		put_line(b, "input", s->inputs[i]);
	if (s->exclusions != NULL)
		put_line(b, "exclusions", s->exclusions);
	for (i = 0; i < s->nsort; i++) {
		buf_add(b, "sort\t", 5);
		put_field(b, s->sort[i].col, strlen(s->sort[i].col));
		buf_addf(b, "\t%s\n", s->sort[i].desc ? "desc" : "asc");
	}
	if (s->filter != NULL)
		put_line(b, "filter", s->filter);
	if (s->search != NULL)
		put_line(b, "search", s->search);
	buf_addf(b, "wide\t%d\n", s->wide ? 1 : 0);
	for (i = 0; i < s->nhidden; i++)
		put_line(b, "hide", s->hidden[i]);
	/* Keys are kept in the file's form already. */
	if (s->cursor != NULL)
		buf_addf(b, "cursor\t%s\n", s->cursor);
	for (i = 0; i < s->nmarks; i++)
		buf_addf(b, "mark\t%s\n", s->marks[i]);
}

/* ------------------------------------------------------------ parsing */

/* Splits p[0, n) at tabs: up to max fields; returns how many, or max + 1
 * if there are more. */
static size_t
split_tabs(const char *p, size_t n, const char **f, size_t *fl, size_t max)
{
	size_t k = 0;
	const char *end = p + n, *t;

	for (;;) {
		t = memchr(p, '\t', (size_t)(end - p));
		if (k == max)
			return max + 1;
		f[k] = p;
		fl[k++] = t != NULL ? (size_t)(t - p) : (size_t)(end - p);
		if (t == NULL)
			return k;
		p = t + 1;
	}
}

/* A key: five fields whose escapes are valid; kept as written. */
static char *
get_key(const char *p, size_t n)
{
	const char *f[6];
	size_t fl[6], i;
	char *v;

	if (split_tabs(p, n, f, fl, 5) != 5)
		return NULL;
	for (i = 0; i < 5; i++) {
		if ((v = get_field(f[i], fl[i])) == NULL)
			return NULL;
		free(v);
	}
	return xstrndup(p, n);
}

static int
parse_line(struct session *s, const char *p, size_t n, const char **why)
{
	const char *f[3], *rest;
	size_t fl[3], nf, rl;
	const char *tab = memchr(p, '\t', n);
	char *v = NULL;

	*why = "a line is a word, a tab and a value";
	if (tab == NULL)
		return -1;
	rest = tab + 1;
	rl = n - (size_t)(rest - p);
#define IS(w) ((size_t)(tab - p) == sizeof w - 1 && memcmp(p, w, sizeof w - 1) == 0)
	if (IS("cursor") || IS("mark")) {
		*why = "a group is five tab-separated fields with valid escapes";
		if ((v = get_key(rest, rl)) == NULL)
			return -1;
		if (IS("mark")) {
			s->marks = xrealloc(s->marks, (s->nmarks + 1) *
			    sizeof *s->marks);
			s->marks[s->nmarks++] = v;
		} else {
			*why = "the cursor is given twice";
			if (s->cursor != NULL) {
				free(v);
				return -1;
			}
			s->cursor = v;
		}
		return 0;
	}
	if (IS("sort")) {
		*why = "sort is a column name, a tab and asc or desc, at most twice";
		nf = split_tabs(rest, rl, f, fl, 2);
		if (nf != 2 || s->nsort == SESSION_MAX_SORT || fl[0] == 0 ||
		    !((fl[1] == 3 && memcmp(f[1], "asc", 3) == 0) ||
		    (fl[1] == 4 && memcmp(f[1], "desc", 4) == 0)) ||
		    (v = get_field(f[0], fl[0])) == NULL)
			return -1;
		s->sort[s->nsort].col = v;
		s->sort[s->nsort++].desc = fl[1] == 4;
		return 0;
	}
	if (IS("wide")) {
		*why = "wide is 0 or 1";
		if (rl != 1 || (rest[0] != '0' && rest[0] != '1'))
			return -1;
		s->wide = rest[0] == '1';
		return 0;
	}
	*why = "a value has an invalid escape or a tab";
	if (memchr(rest, '\t', rl) != NULL || (v = get_field(rest, rl)) == NULL)
		return -1;
	if (IS("input")) {
		s->inputs = xrealloc(s->inputs, (s->ninputs + 1) * sizeof *s->inputs);
		s->inputs[s->ninputs++] = v;
	} else if (IS("hide")) {
		s->hidden = xrealloc(s->hidden, (s->nhidden + 1) * sizeof *s->hidden);
		s->hidden[s->nhidden++] = v;
	} else if (IS("exclusions") || IS("filter") || IS("search")) {
		char **slot = IS("exclusions") ? &s->exclusions :
		    IS("filter") ? &s->filter : &s->search;

		*why = "a line is given twice";
		if (*slot != NULL) {
			free(v);
			return -1;
		}
		*slot = v;
	} else {
		*why = "unknown line (expected input, exclusions, sort, filter, "
		    "search, wide, hide, cursor or mark)";
		free(v);
		return -1;
	}
#undef IS
	return 0;
}

int
session_parse(const char *name, const char *text, size_t len,
    struct session *out, char **cause)
{
	const char *p = text, *end = text + len, *nl, *why;
	size_t line = 1, n;

	memset(out, 0, sizeof *out);
	nl = memchr(p, '\n', len);
	if (nl == NULL || (size_t)(nl - p) != sizeof SESSION_HEADER - 1 ||
	    memcmp(p, SESSION_HEADER, sizeof SESSION_HEADER - 1) != 0) {
		*cause = xasprintf("%s: line 1: not a logonhunt session (expected "
		    "'" SESSION_HEADER "')", name);
		return -1;
	}
	for (p = nl + 1; p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			*cause = xasprintf("%s: line %zu: cut short (no newline at "
			    "the end)", name, line);
			goto bad;
		}
		n = (size_t)(nl - p);
		if (memchr(p, '\0', n) != NULL) {
			*cause = xasprintf("%s: line %zu: a NUL byte", name, line);
			goto bad;
		}
		if (parse_line(out, p, n, &why) != 0) {
			*cause = xasprintf("%s: line %zu: %s", name, line, why);
			goto bad;
		}
	}
	if (out->ninputs > 1)
		qsort(out->inputs, out->ninputs, sizeof *out->inputs, cmp_str);
	return 0;
bad:
	session_free(out);
	return -1;
}

int
session_load(const char *path, struct session *out, char **cause)
{
	char *text = NULL;
	size_t len;
	int missing, rc;

	memset(out, 0, sizeof *out);
	if (savefile_read(path, SESSION_MAX_BYTES, &text, &len, &missing, NULL,
	    cause) != 0)
		return -1;
	if (missing)
		return 1;
	rc = session_parse(path, text, len, out, cause);
	free(text);
	return rc;
}

int
session_save(const char *path, const struct session *s, char **cause)
{
	struct savefile_lock *lk;
	struct buf b = { 0 };
	char *target = NULL, *old = NULL;
	size_t oldlen = 0;
	struct stat st;
	int missing = 1, rc = -1;

	session_serialize(s, &b);
	if (savefile_lock(path, &lk, cause) != 0) {
		buf_free(&b);
		return -1;
	}
	if ((target = savefile_target(path, cause)) != NULL &&
	    savefile_check(target, &st, &missing, cause) == 0 &&
	    (missing || savefile_read(target, SESSION_MAX_BYTES, &old, &oldlen,
	    &missing, &st, cause) == 0) &&
	    savefile_replace(target, b.p, b.len, missing ? NULL : old, oldlen,
	    missing ? NULL : &st, cause) >= 0)
		rc = 0;
	savefile_unlock(lk);
	free(old);
	free(target);
	buf_free(&b);
	return rc;
}
