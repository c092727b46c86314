#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "excl.h"
#include "excl_file.h"
#include "excl_lines.h"
#include "excl_value.h"
#include "util.h"

#define MAX_ERRORS_SHOWN 20

/* A set of rule keys for duplicate detection during one import. */
struct keyset {
	char **keys;
	size_t *slots;		/* index + 1 into keys, 0 = empty */
	size_t n, nslots;
};

static void
keyset_grow(struct keyset *ks)
{
	size_t i, j, nslots = ks->nslots ? ks->nslots * 2 : 1024;

	free(ks->slots);
	ks->slots = xcalloc(nslots, sizeof *ks->slots);
	ks->nslots = nslots;
	for (i = 0; i < ks->n; i++) {
		j = util_hash(ks->keys[i], strlen(ks->keys[i])) & (nslots - 1);
		while (ks->slots[j] != 0)
			j = (j + 1) & (nslots - 1);
		ks->slots[j] = i + 1;
	}
}

/* Takes ownership of key. Returns 1 if it was new, 0 if already there. */
static int
keyset_add(struct keyset *ks, char *key)
{
	size_t j;

	if ((ks->n + 1) * 2 > ks->nslots)
		keyset_grow(ks);
	j = util_hash(key, strlen(key)) & (ks->nslots - 1);
	while (ks->slots[j] != 0) {
		if (strcmp(ks->keys[ks->slots[j] - 1], key) == 0) {
			free(key);
			return 0;
		}
		j = (j + 1) & (ks->nslots - 1);
	}
	ks->keys = xrealloc(ks->keys, (ks->n + 1) * sizeof *ks->keys);
	ks->keys[ks->n++] = key;
	ks->slots[j] = ks->n;
	return 1;
}

static void
keyset_free(struct keyset *ks)
{
	size_t i;

	for (i = 0; i < ks->n; i++)
		free(ks->keys[i]);
	free(ks->keys);
	free(ks->slots);
}

static void
keyset_init_from(struct keyset *ks, const struct excl_set *s, size_t cat)
{
	size_t i;

	memset(ks, 0, sizeof *ks);
	for (i = 0; i < excl_rule_count(s); i++)
		if (excl_rule_category(s, i) == cat &&
		    excl_rule_kind(s, i) == EXCL_IP)
			keyset_add(ks, excl_rule_key(excl_rule_at(s, i)));
}

/* Imported rules wait here until the whole input proved valid. */
struct pending {
	struct excl_rule **rules;
	size_t n, cap;
};

static void
pending_free(struct pending *pd)
{
	size_t i;

	for (i = 0; i < pd->n; i++)
		excl_rule_free(pd->rules[i]);
	free(pd->rules);
}

/* Parses one prefix; on success queues it unless it is a duplicate. */
static int
pending_add(struct pending *pd, struct keyset *ks, const char *text,
    const char *note, struct excl_import_stats *st, char **cause)
{
	struct excl_rule *r = xcalloc(1, sizeof *r);
	char *why = NULL;

	if (excl_value_parse(EXCL_IP, text, r, cause) != 0) {
		free(r);
		return -1;
	}
	st->read++;
	if (!keyset_add(ks, excl_rule_key(r))) {
		st->duplicates++;
		free(r);
		return 0;
	}
	r->text = xstrdup(text);
	/* Free text from someone else's file or from a tag's name: the
	 * sanitiser of every other note. */
	if ((r->note = excl_note_clean(note, &why)) == NULL) {
		free(why);
		r->note = xstrdup("imported (the source's name is not UTF-8)");
	}
	r->enabled = 1;
	pd->rules = xgrow(pd->rules, &pd->cap, pd->n + 1, sizeof *pd->rules);
	pd->rules[pd->n++] = r;
	return 0;
}

static void
error_add(struct buf *errs, size_t *nerr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
error_add(struct buf *errs, size_t *nerr, const char *fmt, ...)
{
	va_list ap;
	char *m;

	if (*nerr < MAX_ERRORS_SHOWN) {
		va_start(ap, fmt);
		m = xvasprintf(fmt, ap);
		va_end(ap);
		if (errs->len)
			buf_addc(errs, '\n');
		buf_add(errs, m, strlen(m));
		free(m);
	}
	(*nerr)++;
}

static const char *
base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b != NULL ? b + 1 : path;
}

static int
import_list(struct pending *pd, struct keyset *ks, const char *path,
    const char *data, size_t len, struct excl_import_stats *st, char **cause)
{
	const char *p = data, *e = data + len, *nl, *le, *v, *ve, *hash;
	struct buf errs = { 0 };
	size_t lineno = 0, nerr = 0;
	char *text, *note, *err;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		le = nl != NULL ? nl : e;
		lineno++;
		v = p;
		while (v < le && (*v == ' ' || *v == '\t'))
			v++;
		for (hash = v; hash < le && *hash != '#'; hash++)
			;
		ve = hash;
		if (hash == le)
			hash = NULL;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t' ||
		    ve[-1] == '\r'))
			ve--;
		if (ve > v) {
			text = xstrndup(v, (size_t)(ve - v));
			if (hash != NULL) {
				const char *c = hash + 1, *ce = le;
				while (c < ce && (*c == ' ' || *c == '\t'))
					c++;
				while (ce > c && (ce[-1] == ' ' || ce[-1] == '\t' ||
				    ce[-1] == '\r'))
					ce--;
				note = ce > c ? xasprintf("import:%s: %.*s",
				    base_name(path), (int)(ce - c), c) :
				    xasprintf("import:%s", base_name(path));
			} else
				note = xasprintf("import:%s", base_name(path));
			/* A comment that is not UTF-8 is left out of the note. */
			if (!utf8_valid(note, strlen(note))) {
				free(note);
				note = xasprintf("import:%s", base_name(path));
			}
			err = NULL;
			if (memchr(v, '\0', (size_t)(ve - v)) != NULL ||
			    pending_add(pd, ks, text, note, st, &err) != 0) {
				error_add(&errs, &nerr, "%s:%zu: %s", path, lineno,
				    err ? err : "not an address");
				free(err);
			}
			free(text);
			free(note);
		}
		p = nl != NULL ? nl + 1 : e;
	}
	if (nerr > 0) {
		if (nerr > MAX_ERRORS_SHOWN)
			buf_addf(&errs, "\n%s: ... and %zu more bad lines", path,
			    nerr - MAX_ERRORS_SHOWN);
		buf_addf(&errs, "\n%s: nothing was imported; fix or remove the "
		    "%zu bad line%s and import again", path, nerr,
		    nerr == 1 ? "" : "s");
		*cause = errs.p;
		return -1;
	}
	buf_free(&errs);
	return 0;
}

static int
looks_like_json(const char *data, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' ||
	    data[i] == '\r' || data[i] == '\n'))
		i++;
	return i < len && data[i] == '{';
}

static cJSON *
tags_parse(const char *path, const char *data, size_t len, cJSON **values,
    char **cause)
{
	cJSON *root;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	root = cJSON_ParseWithLength(data, len);
	if (root == NULL) {
		/* The data need not end in a NUL (a mapped file): quote at
		 * most 40 bytes of what is left, up to a line break. */
		const char *at = cJSON_GetErrorPtr(), *nl;
		size_t n = 0;

		if (at != NULL && at >= data && at <= data + len) {
			n = (size_t)(data + len - at);
			n = n > 40 ? 40 : n;
			if ((nl = memchr(at, '\n', n)) != NULL)
				n = (size_t)(nl - at);
		} else
			at = NULL;
		*cause = xasprintf("%s: not valid JSON%s%.*s; download the "
		    "service tags file again", path, at ? " near: " : "",
		    (int)n, at ? at : "");
		return NULL;
	}
	*values = cJSON_GetObjectItemCaseSensitive(root, "values");
	if (!cJSON_IsArray(*values)) {
		*cause = xasprintf("%s: JSON without a \"values\" array; expected "
		    "Microsoft's \"Azure IP Ranges and Service Tags\" file", path);
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

static cJSON *
tag_prefixes(const cJSON *v)
{
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(v, "properties");

	return cJSON_GetObjectItemCaseSensitive(props, "addressPrefixes");
}

static long
tag_change_number(const cJSON *root, const cJSON *v)
{
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(v, "properties");
	const cJSON *cn = cJSON_GetObjectItemCaseSensitive(props, "changeNumber");

	if (!cJSON_IsNumber(cn))
		cn = cJSON_GetObjectItemCaseSensitive(root, "changeNumber");
	/* A double outside long's range (1e130, inf, NaN) cannot be cast:
	 * undefined behaviour. Such a number is no change number anyway. */
	if (!cJSON_IsNumber(cn) || !(cn->valuedouble >= 0 &&
	    cn->valuedouble < 2147483648.0))
		return -1;
	return (long)cn->valuedouble;
}

static const char *
tag_name(const cJSON *v)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(v, "name");

	return cJSON_IsString(name) ? name->valuestring : NULL;
}

static char *
tag_suggestions(const cJSON *values, const char *want)
{
	const cJSON *v;
	struct buf b = { 0 };
	size_t n = 0;
	const char *name;

	cJSON_ArrayForEach(v, values) {
		name = tag_name(v);
		if (name == NULL || (strcasecmp(name, want) != 0 &&
		    strcasestr(name, want) == NULL))
			continue;
		if (n < 5)
			buf_addf(&b, "%s%s", n ? ", " : "", name);
		n++;
	}
	if (n > 5)
		buf_addf(&b, " and %zu more", n - 5);
	return b.p;
}

static int
import_tags(struct pending *pd, struct keyset *ks, const char *path,
    const char *data, size_t len, const char *const *tags, size_t ntags,
    struct excl_import_stats *st, char **cause)
{
	cJSON *root, *values, *v, *pfx, *p;
	struct buf errs = { 0 };
	size_t t, nerr = 0;
	const char *name;
	char *note, *err, *sugg;
	int found;

	if (ntags == 0) {
		*cause = xasprintf("%s is a service tags file: choose the tags to "
		    "import with --tag NAME (list them with --list-tags)", path);
		return -1;
	}
	root = tags_parse(path, data, len, &values, cause);
	if (root == NULL)
		return -1;
	for (t = 0; t < ntags; t++) {
		found = 0;
		cJSON_ArrayForEach(v, values) {
			name = tag_name(v);
			if (name == NULL || strcmp(name, tags[t]) != 0)
				continue;
			found = 1;
			pfx = tag_prefixes(v);
			if (!cJSON_IsArray(pfx)) {
				error_add(&errs, &nerr, "%s: service tag %s has no "
				    "addressPrefixes list", path, name);
				break;
			}
			note = xasprintf("servicetag:%s changeNumber %ld", name,
			    tag_change_number(root, v));
			cJSON_ArrayForEach(p, pfx) {
				err = NULL;
				if (!cJSON_IsString(p)) {
					error_add(&errs, &nerr, "%s: service tag %s: "
					    "a prefix is not a string", path, name);
					continue;
				}
				if (pending_add(pd, ks, p->valuestring, note, st,
				    &err) != 0) {
					error_add(&errs, &nerr, "%s: service tag %s: "
					    "%s", path, name, err);
					free(err);
				}
			}
			free(note);
			break;
		}
		if (!found) {
			sugg = tag_suggestions(values, tags[t]);
			error_add(&errs, &nerr, "%s: no service tag named '%s' "
			    "(names are exact and case-sensitive)%s%s; "
			    "--list-tags shows them all", path, tags[t],
			    sugg ? "; similar: " : "", sugg ? sugg : "");
			free(sugg);
		}
	}
	cJSON_Delete(root);
	if (nerr > 0) {
		if (nerr > MAX_ERRORS_SHOWN)
			buf_addf(&errs, "\n%s: ... and %zu more problems", path,
			    nerr - MAX_ERRORS_SHOWN);
		buf_addf(&errs, "\n%s: nothing was imported", path);
		*cause = errs.p;
		return -1;
	}
	return 0;
}

int
excl_import(struct excl_set *s, size_t cat, const char *path,
    const char *const *tags, size_t ntags, struct excl_import_stats *stats,
    char **cause)
{
	struct pending pd = { 0 };
	struct keyset ks;
	struct excl_import_stats st = { 0, 0, 0 };
	char *data;
	size_t len;
	int missing, rc;

	if (stats != NULL)
		*stats = st;
	if (cat >= excl_category_count(s)) {
		*cause = xasprintf("there is no category number %zu", cat);
		return -1;
	}
	if (excl_read_file(path, &data, &len, &missing, NULL, cause) != 0)
		return -1;
	if (missing) {
		*cause = xasprintf("%s: no such file", path);
		return -1;
	}
	keyset_init_from(&ks, s, cat);
	if (looks_like_json(data, len))
		rc = import_tags(&pd, &ks, path, data, len, tags, ntags, &st, cause);
	else if (ntags > 0) {
		*cause = xasprintf("%s is a plain list, not a service tags JSON "
		    "file; --tag applies only to service tags", path);
		rc = -1;
	} else
		rc = import_list(&pd, &ks, path, data, len, &st, cause);
	free(data);
	keyset_free(&ks);
	if (rc != 0) {
		pending_free(&pd);
		return -1;
	}
	excl_insert_rules(s, cat, pd.rules, pd.n);
	st.added = pd.n;
	free(pd.rules);	/* the rules now belong to the set */
	if (stats != NULL)
		*stats = st;
	return 0;
}

int
excl_servicetags_each(const char *path, const char *data, size_t len,
    void (*each)(void *ctx, const char *tag, const char *prefix), void *ctx,
    char **cause)
{
	cJSON *root, *values, *v, *pfx, *p;
	const char *name;

	if (!looks_like_json(data, len)) {
		*cause = xasprintf("%s is not a service tags JSON file", path);
		return -1;
	}
	root = tags_parse(path, data, len, &values, cause);
	if (root == NULL)
		return -1;
	cJSON_ArrayForEach(v, values) {
		name = tag_name(v);
		pfx = tag_prefixes(v);
		if (name == NULL || !cJSON_IsArray(pfx))
			continue;
		cJSON_ArrayForEach(p, pfx)
			if (cJSON_IsString(p))
				each(ctx, name, p->valuestring);
	}
	cJSON_Delete(root);
	return 0;
}

int
excl_servicetags_detect(const char *path, char **cause)
{
	char *data;
	size_t len;
	int missing, r;

	if (excl_read_file(path, &data, &len, &missing, NULL, cause) != 0)
		return -1;
	if (missing) {
		*cause = xasprintf("%s: no such file", path);
		return -1;
	}
	r = looks_like_json(data, len);
	free(data);
	return r;
}

int
excl_servicetags_list(const char *path, struct excl_tag **tags, size_t *n,
    char **cause)
{
	cJSON *root, *values, *v, *pfx, *p;
	struct excl_tag *out = NULL;
	size_t cnt = 0, cap = 0;
	char *data;
	size_t len;
	int missing;
	const char *name;

	*tags = NULL;
	*n = 0;
	if (excl_read_file(path, &data, &len, &missing, NULL, cause) != 0)
		return -1;
	if (missing) {
		*cause = xasprintf("%s: no such file", path);
		return -1;
	}
	if (!looks_like_json(data, len)) {
		*cause = xasprintf("%s is not a service tags JSON file", path);
		free(data);
		return -1;
	}
	root = tags_parse(path, data, len, &values, cause);
	free(data);
	if (root == NULL)
		return -1;
	cJSON_ArrayForEach(v, values) {
		name = tag_name(v);
		if (name == NULL)
			continue;
		out = xgrow(out, &cap, cnt + 1, sizeof *out);
		memset(&out[cnt], 0, sizeof out[cnt]);
		out[cnt].name = xstrdup(name);
		out[cnt].change_number = tag_change_number(root, v);
		pfx = tag_prefixes(v);
		cJSON_ArrayForEach(p, pfx) {
			if (!cJSON_IsString(p))
				continue;
			if (strchr(p->valuestring, ':') != NULL)
				out[cnt].v6++;
			else
				out[cnt].v4++;
		}
		cnt++;
	}
	cJSON_Delete(root);
	*tags = out;
	*n = cnt;
	return 0;
}

void
excl_tags_free(struct excl_tag *tags, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(tags[i].name);
	free(tags);
}
