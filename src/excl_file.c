/* Reading and saving the exclusions file: the text to the line model and
 * back, with the checks that keep a save from losing anyone's edits. */
#include "config.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "excl.h"
#include "excl_file.h"
#include "excl_lines.h"
#include "excl_value.h"
#include "savefile.h"
#include "util.h"

/* A file this large is not an exclusions list someone wrote; refuse it
 * rather than exhaust memory. */
#define MAX_FILE_SIZE ((size_t)256 << 20)

#define MAX_ERRORS_SHOWN 20

char *
excl_default_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct passwd *pw;

	/* The XDG spec says to ignore a relative XDG_CONFIG_HOME. */
	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/logonhunt/exclusions", xdg);
	if (home == NULL || home[0] != '/') {
		pw = getpwuid(getuid());
		home = pw != NULL ? pw->pw_dir : NULL;
	}
	if (home != NULL && home[0] == '/')
		return xasprintf("%s/.config/logonhunt/exclusions", home);
	return NULL;
}

int
excl_read_file(const char *path, char **data, size_t *len, int *missing,
    struct stat *stp, char **cause)
{
	char *err = NULL;

	if (savefile_read(path, MAX_FILE_SIZE, data, len, missing, stp,
	    &err) == 0)
		return 0;
	/* A FIFO or a device would hang the read or never end: say what
	 * to give instead. */
	*cause = xasprintf("%s; point --exclusions at a text file", err);
	free(err);
	return -1;
}

static int
parse_bool(const char *p, size_t n, int *out)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strlen(yes[i]) == n && strncasecmp(p, yes[i], n) == 0) {
			*out = 1;
			return 0;
		}
		if (strlen(no[i]) == n && strncasecmp(p, no[i], n) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

static int
parse_section(struct excl_set *s, struct excl_line *l, const char *p,
    const char *e, size_t lineno, long *cur, char **cause)
{
	const char *close = memchr(p, ']', (size_t)(e - p)), *q, *ne;
	long c;

	if (close == NULL) {
		*cause = xstrdup("missing ']' at the end of the category header; "
		    "write it as [name]");
		return -1;
	}
	q = excl_skip_blanks(close + 1, e);
	if (q < e && *q != '#') {
		*cause = xasprintf("unexpected '%.*s' after the category header",
		    (int)(e - q), q);
		return -1;
	}
	q = excl_skip_blanks(p + 1, close);
	ne = excl_trim_end(q, close);
	if (!excl_cat_name_valid(q, (size_t)(ne - q))) {
		*cause = excl_cat_name_problem(q, (size_t)(ne - q));
		return -1;
	}
	c = excl_cat_find(s, q, (size_t)(ne - q));
	if (c >= 0 && s->cats[c].section_line >= 0) {
		*cause = xasprintf("[%s] appears twice (first on line %ld); merge "
		    "the two sections into one", s->cats[c].name,
		    s->cats[c].section_line + 1);
		return -1;
	}
	if (c < 0)
		c = (long)excl_cat_add(s, q, (size_t)(ne - q), 0, NULL);
	s->cats[c].section_line = (long)(lineno - 1);
	l->kind = LINE_SECTION;
	l->cat = (size_t)c;
	*cur = c;
	return 0;
}

static int
parse_option(struct excl_set *s, struct excl_line *l, const char *key,
    const char *p, const char *e, size_t lineno, long cur, char **cause)
{
	struct excl_cat *c = &s->cats[cur];
	const char *q, *ve;
	int on;

	if (strcmp(key, "description") == 0) {
		q = excl_skip_blanks(p, e);
		ve = excl_trim_end(q, e);
		free(c->description);
		if (q == ve && c->builtin)
			c->description = xstrdup(excl_cat_builtin_description((size_t)cur));
		else
			c->description = xstrndup(q, (size_t)(ve - q));
		l->kind = LINE_DESCRIPTION;
		l->cat = (size_t)cur;
		return 0;
	}
	if (c->enabled_line >= 0) {
		*cause = xasprintf("a second 'enabled' line for [%s] (the first "
		    "is on line %ld); keep one", c->name, c->enabled_line + 1);
		return -1;
	}
	q = excl_skip_blanks(p, e);
	ve = q;
	while (ve < e && !excl_is_blank(*ve) && *ve != '#')
		ve++;
	if (parse_bool(q, (size_t)(ve - q), &on) != 0) {
		*cause = xasprintf("'enabled = %.*s': expected yes or no",
		    (int)(ve - q), q);
		return -1;
	}
	q = excl_skip_blanks(ve, e);
	if (q < e && *q != '#') {
		*cause = xasprintf("unexpected '%.*s' after 'enabled = %s'",
		    (int)(e - q), q, on ? "yes" : "no");
		return -1;
	}
	c->enabled = on;
	c->enabled_line = (long)(lineno - 1);
	l->kind = LINE_ENABLED;
	l->cat = (size_t)cur;
	return 0;
}

static int
parse_rule(struct excl_line *l, enum excl_kind kind, int enabled,
    const char *p, const char *e, long cur, char **cause)
{
	struct excl_rule *r;
	struct buf v = { 0 };
	const char *q = p, *t;
	int have_until = 0;
	char *date;

	if (q >= e || *q == '#') {
		*cause = xasprintf("the %s rule has no value; write for example "
		    "%s", excl_kind_name(kind), kind == EXCL_IP ?
		    "ip 192.0.2.0/24" : kind == EXCL_ACCOUNT ?
		    "account CONTOSO\\svc_backup" : kind == EXCL_ASN ?
		    "asn 8075" : kind == EXCL_OWNER ? "owner \"Azure *\"" :
		    "device backup-01*");
		return -1;
	}
	if (*q == '"') {
		for (q++; ; q++) {
			if (q >= e) {
				*cause = xstrdup("the quoted value has no closing "
				    "'\"'");
				buf_free(&v);
				return -1;
			}
			if (*q == '"') {
				if (q + 1 < e && q[1] == '"') {
					buf_addc(&v, '"');
					q++;
					continue;
				}
				q++;
				break;
			}
			buf_addc(&v, *q);
		}
		if (q < e && !excl_is_blank(*q) && *q != '#') {
			*cause = xasprintf("unexpected '%.*s' right after the "
			    "closing '\"'", (int)(e - q), q);
			buf_free(&v);
			return -1;
		}
		if (v.p == NULL)
			buf_add(&v, "", 0);
	} else {
		t = q;
		while (q < e && !excl_is_blank(*q) && *q != '#')
			q++;
		buf_add(&v, t, (size_t)(q - t));
	}

	r = xcalloc(1, sizeof *r);
	r->enabled = enabled;
	r->text = v.p;
	if (excl_value_parse(kind, r->text, r, cause) != 0)
		goto fail;
	for (;;) {
		q = excl_skip_blanks(q, e);
		if (q >= e)
			break;
		if (*q == '#') {
			t = excl_skip_blanks(q + 1, e);
			r->note = xstrndup(t, (size_t)(excl_trim_end(t, e) - t));
			break;
		}
		t = q;
		while (q < e && !excl_is_blank(*q) && *q != '#')
			q++;
		if (q - t > 6 && strncmp(t, "until=", 6) == 0) {
			char *err = NULL;
			if (have_until) {
				*cause = xstrdup("the rule has two until= dates; "
				    "keep one");
				goto fail;
			}
			date = xstrndup(t + 6, (size_t)(q - t - 6));
			if (excl_date_parse(date, &r->until, &err) != 0) {
				*cause = xasprintf("bad until= date: %s", err);
				free(err);
				free(date);
				goto fail;
			}
			free(date);
			have_until = 1;
			continue;
		}
		*cause = xasprintf("unexpected '%.*s' after the value; expected "
		    "until=YYYY-MM-DD or a '#' note (put a value that contains "
		    "spaces or '#' in double quotes)", (int)(q - t), t);
		goto fail;
	}
	if (r->note == NULL)
		r->note = xstrdup("");
	l->kind = LINE_RULE;
	l->cat = (size_t)cur;
	l->rule = r;
	return 0;
fail:
	free(r->text);
	free(r->note);
	free(r);
	return -1;
}

static int
parse_line(struct excl_set *s, struct excl_line *l, size_t lineno, long *cur,
    char **cause)
{
	static const struct {
		const char *word;
		enum excl_kind kind;
	} kinds[] = {
		{ "ip", EXCL_IP }, { "account", EXCL_ACCOUNT },
		{ "device", EXCL_DEVICE }, { "asn", EXCL_ASN },
		{ "owner", EXCL_OWNER },
	};
	const char *p = l->text, *e = p + strlen(p), *w, *we;
	char word[16];
	int enabled = 1;
	size_t i, wn;

	l->kind = LINE_TEXT;
	p = excl_skip_blanks(p, e);
	if (p == e || *p == '#')
		return 0;
	if (*p == '[')
		return parse_section(s, l, p, e, lineno, cur, cause);
	if (*p == '!') {
		enabled = 0;
		p = excl_skip_blanks(p + 1, e);
	}
	w = p;
	while (p < e && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	    *p == '_'))
		p++;
	we = p;
	wn = (size_t)(we - w);
	if (wn == 0 || wn >= sizeof word) {
		*cause = xasprintf("cannot read '%.*s': a line is a rule (ip, "
		    "account, device, asn or owner followed by a value), an option "
		    "(enabled = yes|no, description = text), a [category] "
		    "header, a '#' comment, or blank", (int)(e - w), w);
		return -1;
	}
	for (i = 0; i < wn; i++)
		word[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] - 'A' + 'a' : w[i]);
	word[wn] = '\0';

	if (strcmp(word, "enabled") == 0 || strcmp(word, "description") == 0) {
		p = excl_skip_blanks(p, e);
		if (p >= e || *p != '=') {
			*cause = xasprintf("expected '=' after '%s'", word);
			return -1;
		}
		if (!enabled) {
			*cause = xstrdup("'!' disables rules, not options; write "
			    "enabled = no to switch a category off");
			return -1;
		}
		if (*cur < 0) {
			*cause = xasprintf("option '%s' outside a section: put it "
			    "under a category header such as [maintenance]",
			    word);
			return -1;
		}
		return parse_option(s, l, word, p + 1, e, lineno, *cur, cause);
	}
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (strcmp(word, kinds[i].word) != 0)
			continue;
		if (*cur < 0) {
			*cause = xstrdup("rule outside a section: put it under a "
			    "category header such as [maintenance] or [siem]");
			return -1;
		}
		if (p < e && !excl_is_blank(*p)) {
			*cause = xasprintf("expected a space after '%s'", word);
			return -1;
		}
		return parse_rule(l, kinds[i].kind, enabled, excl_skip_blanks(p, e),
		    e, *cur, cause);
	}
	*cause = xasprintf("unknown rule kind '%.*s'; expected ip, account, "
	    "device, asn or owner (or an option: enabled = yes|no, description = text)",
	    (int)wn, w);
	return -1;
}

/* Splits data into lines and parses each; problems are appended to errs as
 * "path:line: reason" lines. Returns the number of bad lines. */
static size_t
set_parse(struct excl_set *s, const char *data, size_t len, struct buf *errs)
{
	const char *p = data, *e = data + len, *nl, *le;
	size_t lineno = 0, nerr = 0;
	long cur = -1;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		s->bom = 1;
		p += 3;
	}
	while (p < e) {
		struct excl_line *l;
		char *cause = NULL;

		nl = memchr(p, '\n', (size_t)(e - p));
		le = nl != NULL ? nl : e;
		if (le > p && le[-1] == '\r') {
			le--;
			if (lineno == 0)
				s->crlf = 1;
			/* More CRs at the end are invisible, and a save, which
			 * ends the line with one line end, would turn the next
			 * into part of it: "x\r\r\n" would be saved as "x\r\n",
			 * read back as "x". Drop them now, so saves are stable. */
			while (le > p && le[-1] == '\r')
				le--;
		}
		lineno++;
		l = excl_lines_insert(s, s->nlines, 1);
		l->text = xstrndup(p, (size_t)(le - p));
		if (memchr(p, '\0', (size_t)(le - p)) != NULL)
			cause = xstrdup("the line contains a NUL byte; this does "
			    "not look like a text file");
		else if (parse_line(s, l, lineno, &cur, &cause) == 0)
			cause = NULL;
		if (cause != NULL) {
			l->kind = LINE_BAD;
			l->rule = NULL;
			if (nerr < MAX_ERRORS_SHOWN) {
				if (errs->len)
					buf_addc(errs, '\n');
				buf_addf(errs, "%s:%zu: %s", s->path, lineno, cause);
			}
			nerr++;
			free(cause);
		}
		p = nl != NULL ? nl + 1 : e;
	}
	if (nerr > MAX_ERRORS_SHOWN)
		buf_addf(errs, "\n%s: ... and %zu more problems", s->path,
		    nerr - MAX_ERRORS_SHOWN);
	return nerr;
}

static int
load(const char *path, struct excl_set **out, char **cause, int lenient)
{
	struct excl_set *s;
	struct stat st;
	struct buf errs = { 0 };
	char *data;
	size_t len, nerr;
	int missing;

	*out = NULL;
	if (excl_read_file(path, &data, &len, &missing, &st, cause) != 0)
		return -1;
	s = excl_new_empty(path);
	if (missing) {
		*out = s;
		return 0;
	}
	s->existed = 1;
	s->mtime = st.st_mtim;
	s->size = st.st_size;
	s->hash = util_hash(data, len);
	nerr = set_parse(s, data, len, &errs);
	free(data);
	excl_reindex(s);
	if (nerr > 0) {
		s->has_errors = 1;
		*cause = errs.p;
		if (lenient)
			*out = s;
		else
			excl_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

int
excl_load(const char *path, struct excl_set **out, char **cause)
{
	return load(path, out, cause, 0);
}

int
excl_load_lenient(const char *path, struct excl_set **out, char **cause)
{
	return load(path, out, cause, 1);
}

static void
set_serialize(const struct excl_set *s, struct buf *b)
{
	const char *eol = s->crlf ? "\r\n" : "\n";
	size_t i;

	if (s->bom)
		buf_add(b, "\xef\xbb\xbf", 3);
	for (i = 0; i < s->nlines; i++) {
		buf_add(b, s->lines[i].text, strlen(s->lines[i].text));
		buf_add(b, eol, strlen(eol));
	}
	if (b->p == NULL)
		buf_add(b, "", 0);
}

int
excl_save(struct excl_set *s, char **cause)
{
	struct savefile_lock *lk;
	struct buf out = { 0 };
	struct stat st, now;
	char *target = NULL, *cur = NULL, *err = NULL;
	size_t curlen = 0;
	int missing, changed, rc = -1, gone;

	if (s->has_errors) {
		*cause = xasprintf("%s has lines that could not be read; fix them "
		    "in a text editor first (nothing was written)", s->path);
		return -1;
	}
	/* Checking that nobody changed the file since it was loaded and
	 * replacing it must be one step for every writer: under the lock. */
	if (savefile_lock(s->path, &lk, cause) != 0)
		return -1;
	if ((target = savefile_target(s->path, cause)) == NULL)
		goto out;
	if (excl_read_file(target, &cur, &curlen, &missing, &st, &err) != 0) {
		*cause = xasprintf("%s (nothing was written)", err);
		free(err);
		goto out;
	}
	if (s->existed)
		changed = missing || st.st_size != s->size ||
		    st.st_mtim.tv_sec != s->mtime.tv_sec ||
		    st.st_mtim.tv_nsec != s->mtime.tv_nsec ||
		    util_hash(cur, curlen) != s->hash;
	else
		changed = !missing;
	if (changed) {
		*cause = xasprintf("%s was %s by another program since it was "
		    "loaded; nothing was written. Reload it and make your "
		    "changes again", s->path, missing ? "removed" : "changed");
		goto out;
	}
	set_serialize(s, &out);
	/* A change that changes nothing writes nothing: the backup keeps
	 * the real previous version, and a read-only file is no obstacle. */
	if (!missing && out.len == curlen && memcmp(out.p, cur, curlen) == 0) {
		s->modified = 0;
		rc = 0;
		goto out;
	}
	if (savefile_check(target, &now, &gone, cause) != 0)
		goto out;
	if (savefile_replace(target, out.p, out.len, missing ? NULL : cur,
	    curlen, missing ? NULL : &st, cause) < 0)
		goto out;
	if (stat(target, &st) == 0) {
		s->mtime = st.st_mtim;
		s->size = st.st_size;
	}
	s->hash = util_hash(out.p, out.len);
	s->existed = 1;
	s->modified = 0;
	rc = 0;
out:
	savefile_unlock(lk);
	buf_free(&out);
	free(cur);
	free(target);
	return rc;
}

const char *
excl_path(const struct excl_set *s)
{
	return s->path;
}

int
excl_has_errors(const struct excl_set *s)
{
	return s->has_errors;
}

int
excl_is_modified(const struct excl_set *s)
{
	return s->modified;
}
