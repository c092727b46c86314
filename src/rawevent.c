#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csvref.h"
#include "detect.h"
#include "filemap.h"
#include "jsonscan.h"
#include "load.h"
#include "rawevent.h"

const char *const rawevent_shown[RAWEVENT_SHOWN_N] = {
	"RemotePort", "Protocol", "FailureReason", "IsLocalAdmin",
	"InitiatingProcessFileName", "InitiatingProcessCommandLine",
};

/* Drill-down reads the events of a group one after another, mostly from
 * the same file: a reader keeps what it learnt of the last file so that
 * each event costs only the parsing of its own record. A plain CSV file
 * stays mapped with its header parsed; the inflated copy of the last .gz
 * file read stays mapped (its temporary file is unlinked and goes when the
 * reader is closed); the column names of the last Log Analytics document
 * stay known. */
struct gz_cache {
	char *path;
	struct file_id id;	/* of the .gz file */
	off_t size;
	struct filemap m;
};

struct la_table {
	uint64_t start, end;	/* the table object's span in the data */
	char **names;
	size_t n;
};

struct la_cache {
	char *path;
	uint64_t size, doc;	/* the data's size; the document's offset */
	struct la_table *t;
	size_t nt;
};

struct grab {
	char **vals;
	size_t *lens;
	size_t n;
};

/* Used by one thread at a time; readers of the same data are independent
 * of each other. */
struct rawevent_reader {
	const struct table_data *d;
	uint32_t file;		/* the plain CSV file m maps, when mapped */
	int mapped;
	struct filemap m;
	struct grab head;	/* its CSV header, when parsed */
	int have_head;
	struct gz_cache gz;
	struct la_cache la;
};

static int
grab_first(void *ctx, const struct csvrec *rec)
{
	struct grab *g = ctx;
	size_t i;

	g->n = rec->nf;
	g->vals = xcalloc(rec->nf ? rec->nf : 1, sizeof *g->vals);
	g->lens = xcalloc(rec->nf ? rec->nf : 1, sizeof *g->lens);
	for (i = 0; i < rec->nf; i++) {
		g->vals[i] = xstrndup(rec->f[i].p, rec->f[i].n);
		g->lens[i] = rec->f[i].n;
	}
	return 1;
}

static void
grab_free(struct grab *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->vals[i]);
	free(g->vals);
	free(g->lens);
}

static char *
changed(const struct lh_file *f, uint32_t line)
{
	return xasprintf("%s:%u: this record no longer reads as it did; the "
	    "file changed since it was loaded: run logonhunt on it again to see "
	    "its events", f->path, line);
}

/* The header of the CSV data [base, base + size) into head; -1 if it does
 * not read. */
static int
csv_head(const char *base, size_t size, struct grab *head)
{
	enum csvscan_error err;
	const char *errpos;
	size_t skip = detect_bom(base, size);

	if (csvref_scan(base + skip, base + size, grab_first, head, &err,
	    &errpos) != 0) {
		grab_free(head);
		memset(head, 0, sizeof *head);
		return -1;
	}
	return 0;
}

/* The CSV row of e in [base, base + size), named by head, into out. */
static int
csv_row(const struct lh_file *f, const struct lh_event *e, const char *base,
    size_t size, const struct grab *head, struct rawevent *out, char **cause)
{
	struct grab row = { 0 };
	enum csvscan_error err;
	const char *errpos;
	size_t i;

	if (e->offset >= size ||
	    csvref_scan(base + e->offset, base + size, grab_first, &row, &err,
	    &errpos) != 0 || row.n != head->n) {
		grab_free(&row);
		*cause = changed(f, e->line);
		return -1;
	}
	out->n = row.n;
	out->names = xcalloc(row.n ? row.n : 1, sizeof *out->names);
	for (i = 0; i < row.n; i++)
		out->names[i] = xstrdup(head->vals[i]);
	out->values = row.vals;
	out->lens = row.lens;
	return 0;
}

static int
csv_record(const struct lh_file *f, const struct lh_event *e,
    const char *base, size_t size, struct rawevent *out, char **cause)
{
	struct grab head = { 0 };
	int rc;

	if (csv_head(base, size, &head) != 0) {
		*cause = changed(f, e->line);
		return -1;
	}
	rc = csv_row(f, e, base, size, &head, out, cause);
	grab_free(&head);
	return rc;
}

/* Adds a field to out (grown as needed; *cap its room). The value at
 * [v, ve) as text: a string decoded (a \u0000 stays a NUL byte, as the
 * hunt reads it), null empty, a number or boolean as written, an array or
 * object as its compact JSON; a string or container that does not decode
 * as written. */
static void
field_add(struct rawevent *out, size_t *cap, char *name, const char *v,
    const char *ve)
{
	struct buf b = { 0 };
	char *t = NULL;
	cJSON *c;
	int done = 0;

	if (*v == 'n') {
		done = 1;
	} else if (*v == '"') {
		done = jsonscan_string(v, ve, &b) == 0;
	} else if (*v == '{' || *v == '[') {
		c = cJSON_ParseWithLength(v, (size_t)(ve - v));
		if (c != NULL && (t = cJSON_PrintUnformatted(c)) != NULL) {
			buf_add(&b, t, strlen(t));
			cJSON_free(t);
			done = 1;
		}
		cJSON_Delete(c);
	}
	if (!done) {
		/* A failed decode may have written part of the value. */
		buf_reset(&b);
		buf_add(&b, v, (size_t)(ve - v));
	}
	if (out->n == *cap) {
		out->names = xgrow(out->names, cap, out->n + 1, sizeof *out->names);
		out->values = xrealloc(out->values, *cap * sizeof *out->values);
		out->lens = xrealloc(out->lens, *cap * sizeof *out->lens);
	}
	out->names[out->n] = name;
	out->values[out->n] = xstrndup(b.len ? b.p : "", b.len);
	out->lens[out->n++] = b.len;
	buf_free(&b);
}

/* A member name as text, decoded. */
static char *
key_text(const struct lh_str *key)
{
	struct buf b = { 0 };
	char *t;

	if (jsonscan_string(key->p - 1, key->p + key->n + 1, &b) != 0) {
		buf_reset(&b);
		buf_add(&b, key->p, key->n);
	}
	t = xstrndup(b.len ? b.p : "", b.len);
	buf_free(&b);
	return t;
}

/* The members of the object at p as fields; -1 if it does not scan. */
static int
fields_from_object(struct jsonscan *s, const char *p, struct rawevent *out,
    size_t *cap)
{
	struct jsonscan_iter it;
	struct lh_str key;
	const char *v, *ve;
	int r;

	if (jsonscan_enter(s, &it, p, '{') != 0)
		return -1;
	while ((r = jsonscan_member(s, &it, &key, &v, &ve)) > 0)
		field_add(out, cap, key_text(&key), v, ve);
	return r;
}

static void
la_clear(struct la_cache *la)
{
	size_t i, k;

	for (i = 0; i < la->nt; i++) {
		for (k = 0; k < la->t[i].n; k++)
			free(la->t[i].names[k]);
		free(la->t[i].names);
	}
	free(la->t);
	free(la->path);
	memset(la, 0, sizeof *la);
}

/* Column names of a "columns" array of {"name": ...}. */
static int
la_names(const char *p, const char *e, struct la_table *t)
{
	cJSON *arr = cJSON_ParseWithLength(p, (size_t)(e - p));
	const cJSON *el, *m;
	size_t n;

	if (arr == NULL || !cJSON_IsArray(arr)) {
		cJSON_Delete(arr);
		return -1;
	}
	n = (size_t)cJSON_GetArraySize(arr);
	t->names = xcalloc(n ? n : 1, sizeof *t->names);
	cJSON_ArrayForEach(el, arr) {
		const char *name = "";

		cJSON_ArrayForEach(m, el)
			if (m->string != NULL && strcasecmp(m->string, "name") == 0 &&
			    cJSON_IsString(m)) {
				name = m->valuestring;
				break;
			}
		if (t->n < n)
			t->names[t->n++] = xstrdup(name);
	}
	cJSON_Delete(arr);
	return 0;
}

/* Reads the layout of the Log Analytics document at doc into the cache:
 * where each table is and its column names. */
static int
la_load(struct la_cache *la, const char *path, const char *base, size_t size, const char *doc,
    const char *limit)
{
	struct jsonscan s;
	struct jsonscan_iter it, ti, mi;
	struct lh_str key, key2;
	const char *v, *ve, *tv, *tve, *mv, *mve;
	size_t cap = 0;
	int r;

	la_clear(la);
	la->path = xstrdup(path);
	la->size = size;
	la->doc = (uint64_t)(doc - base);
	jsonscan_init(&s, limit);
	if (jsonscan_enter(&s, &it, doc, '{') != 0)
		return -1;
	while ((r = jsonscan_member(&s, &it, &key, &v, &ve)) > 0) {
		if (!jsonscan_key_is(&key, "tables") ||
		    jsonscan_enter(&s, &ti, v, '[') != 0)
			continue;
		while (jsonscan_element(&s, &ti, &tv, &tve) > 0) {
			struct la_table *t;

			la->t = xgrow(la->t, &cap, la->nt + 1, sizeof *la->t);
			t = &la->t[la->nt++];
			memset(t, 0, sizeof *t);
			t->start = (uint64_t)(tv - base);
			t->end = (uint64_t)(tve - base);
			if (jsonscan_enter(&s, &mi, tv, '{') != 0)
				continue;
			while (jsonscan_member(&s, &mi, &key2, &mv, &mve) > 0)
				if (t->names == NULL && jsonscan_key_is(&key2, "columns"))
					la_names(mv, mve, t);
		}
		break;
	}
	return 0;
}

/* The column names of the Log Analytics table holding the row at p. */
static struct la_table *
la_find(struct la_cache *la, const char *path, const char *base, size_t size, const char *doc,
    const char *limit, const char *p)
{
	uint64_t off = (uint64_t)(p - base);
	size_t i;

	if (la->path == NULL || strcmp(la->path, path) != 0 || la->size != size ||
	    la->doc != (uint64_t)(doc - base))
		la_load(la, path, base, size, doc, limit);
	for (i = 0; i < la->nt; i++)
		if (la->t[i].start <= off && off < la->t[i].end)
			return &la->t[i];
	return NULL;
}

static int
json_record(struct la_cache *la, const struct lh_file *f, const struct lh_event *e,
    const char *base, size_t size, struct rawevent *out, char **cause)
{
	const char *p = base + e->offset, *end = base + size, *doc, *limit;
	const char *v, *vend, *props = NULL;
	struct jsonscan s;
	struct jsonscan_iter it;
	struct lh_str key;
	struct la_table *t;
	size_t cap = 0;
	int r, has_cat = 0;

	/* A record on a line stays within its line; in a document it may
	 * span lines. */
	if (LOAD_FMT_BASE(f->format) == LOAD_FMT_JSON_LINES) {
		doc = p;
		while (doc > base && doc[-1] != '\n')
			doc--;
		limit = memchr(p, '\n', (size_t)(end - p));
		if (limit == NULL)
			limit = end;
	} else {
		doc = base + detect_bom(base, size);
		limit = end;
	}
	doc = jsonscan_ws(doc, limit);
	jsonscan_init(&s, limit);
	/* The fields are read from the text with the scanner the loader
	 * uses, so that a value keeps its NUL bytes, and a record the loader
	 * took (it checks the structure and the hunt's columns) reads back
	 * even where cJSON would refuse a column the hunt ignores. */
	if ((*p != '{' && *p != '[') || jsonscan_skip(&s, p) == NULL) {
		*cause = changed(f, e->line);
		return -1;
	}
	if (*p == '{') {
		/* A streaming record: its columns are its properties. */
		if (jsonscan_enter(&s, &it, p, '{') != 0)
			goto bad;
		while ((r = jsonscan_member(&s, &it, &key, &v, &vend)) > 0) {
			if (!has_cat && jsonscan_key_is(&key, "category"))
				has_cat = 1;
			else if (props == NULL && jsonscan_key_is(&key, "properties"))
				props = v;
		}
		if (r < 0 || fields_from_object(&s, has_cat && props != NULL &&
		    *props == '{' ? props : p, out, &cap) < 0)
			goto bad;
		return 0;
	}
	/* A Log Analytics row: the names are its table's columns. */
	t = la_find(la, f->path, base, size, doc, limit, p);
	if (t == NULL || jsonscan_enter(&s, &it, p, '[') != 0)
		goto bad;
	while ((r = jsonscan_element(&s, &it, &v, &vend)) > 0 && out->n < t->n)
		field_add(out, &cap, xstrdup(t->names[out->n]), v, vend);
	if (r != 0 || out->n != t->n)
		goto bad;
	return 0;
bad:
	rawevent_free(out);
	*cause = changed(f, e->line);
	return -1;
}

static void
gz_clear(struct gz_cache *gz)
{
	filemap_close(&gz->m);
	free(gz->path);
	memset(gz, 0, sizeof *gz);
}

static char *
changed_since_loading(const struct lh_file *f)
{
	return xasprintf("%s: the file changed since it was loaded; run "
	    "logonhunt on it again to see its events", f->path);
}

/* The data of a .gz input, inflated once and kept while it is read; -1
 * if the .gz file is not the one loaded. */
static int
gz_map(struct gz_cache *gz, const struct lh_file *f, const char **data, size_t *size, char **cause)
{
	struct file_id id;
	struct stat sb;

	if (stat(f->path, &sb) != 0) {
		*cause = xasprintf("%s: cannot open: %s", f->path, strerror(errno));
		return -1;
	}
	id = filemap_id(&sb);
	if (!filemap_same(&f->id, &id)) {
		*cause = changed_since_loading(f);
		return -1;
	}
	if (gz->path == NULL || strcmp(gz->path, f->path) != 0 ||
	    !filemap_same(&gz->id, &id) || gz->size != sb.st_size) {
		gz_clear(gz);
		if (filemap_open(&gz->m, f->path, NULL, NULL, cause) != 0)
			return -1;
		gz->path = xstrdup(f->path);
		gz->id = gz->m.id;
		gz->size = sb.st_size;
	}
	*data = gz->m.data;
	*size = gz->m.size;
	return 0;
}

/* The record of e read through r's caches of .gz data and Log Analytics
 * layouts, any plain file mapped for this record only. */
static int
read_record(struct rawevent_reader *r, const struct lh_event *e,
    struct rawevent *out, char **cause)
{
	const struct lh_file *f = &r->d->files[e->file];
	struct filemap m;
	const char *data;
	size_t size;
	int rc, gzip = (f->format & LOAD_FMT_GZIP) != 0;

	memset(out, 0, sizeof *out);
	memset(&m, 0, sizeof m);
	if (f->format & LOAD_FMT_SUMMARY) {
		*cause = xasprintf("%s: a summary row has no raw records behind "
		    "it", f->path);
		return -1;
	}
	if (gzip) {
		if (gz_map(&r->gz, f, &data, &size, cause) != 0)
			return -1;
	} else {
		if (filemap_open(&m, f->path, NULL, NULL, cause) != 0)
			return -1;
		data = m.data;
		size = m.size;
		if (m.gzip || !filemap_same(&f->id, &m.id)) {
			filemap_close(&m);
			size = 0;	/* it was plain when loaded, or another */
		}
	}
	if ((uint64_t)size != f->size || e->offset >= f->size) {
		*cause = changed_since_loading(f);
		rc = -1;
	} else if (LOAD_FMT_BASE(f->format) == LOAD_FMT_CSV) {
		rc = csv_record(f, e, data, size, out, cause);
	} else {
		rc = json_record(&r->la, f, e, data, size, out, cause);
	}
	if (!gzip)
		filemap_close(&m);
	return rc;
}

struct rawevent_reader *
rawevent_open(const struct table_data *d)
{
	struct rawevent_reader *r = xcalloc(1, sizeof *r);

	r->d = d;
	return r;
}

static void
reader_drop(struct rawevent_reader *r)
{
	if (r->mapped)
		filemap_close(&r->m);
	if (r->have_head)
		grab_free(&r->head);
	r->mapped = r->have_head = 0;
	memset(&r->head, 0, sizeof r->head);
}

void
rawevent_close(struct rawevent_reader *r)
{
	if (r == NULL)
		return;
	reader_drop(r);
	gz_clear(&r->gz);
	la_clear(&r->la);
	free(r);
}

int
rawevent_read(const struct table_data *d, const struct lh_event *e,
    struct rawevent *out, char **cause)
{
	struct rawevent_reader *r = rawevent_open(d);
	int rc = read_record(r, e, out, cause);

	rawevent_close(r);
	return rc;
}

void
rawevent_forget(void)
{
}

/* 1 if the file at f's path is still the one loaded (same size, device,
 * inode and modification time). */
static int
still_loaded(const struct lh_file *f)
{
	struct file_id id;
	struct stat sb;

	if (stat(f->path, &sb) != 0 || (uint64_t)sb.st_size != f->size)
		return 0;
	id = filemap_id(&sb);
	return filemap_same(&f->id, &id);
}

int
rawevent_read_at(struct rawevent_reader *r, const struct lh_event *e,
    struct rawevent *out, char **cause)
{
	const struct lh_file *f = &r->d->files[e->file];

	/* Only plain CSV is worth keeping open; the rest has its own caches. */
	if ((f->format & (LOAD_FMT_GZIP | LOAD_FMT_SUMMARY)) ||
	    LOAD_FMT_BASE(f->format) != LOAD_FMT_CSV)
		return read_record(r, e, out, cause);
	memset(out, 0, sizeof *out);
	/* A mapping kept while the file is rewritten in place would read
	 * other bytes, or fault past a new end: each read checks the file is
	 * still the one loaded. */
	if (r->mapped && r->file == e->file && !still_loaded(f)) {
		reader_drop(r);
		*cause = changed_since_loading(f);
		return -1;
	}
	if (!r->mapped || r->file != e->file) {
		reader_drop(r);
		if (filemap_open(&r->m, f->path, NULL, NULL, cause) != 0)
			return -1;
		r->mapped = 1;
		r->file = e->file;
		if (r->m.gzip || (uint64_t)r->m.size != f->size ||
		    !filemap_same(&f->id, &r->m.id)) {
			reader_drop(r);
			*cause = changed_since_loading(f);
			return -1;
		}
		if (csv_head(r->m.data, r->m.size, &r->head) != 0) {
			reader_drop(r);
			*cause = changed(f, 1);
			return -1;
		}
		r->have_head = 1;
	}
	return csv_row(f, e, r->m.data, r->m.size, &r->head, out, cause);
}

const char *
rawevent_get(const struct rawevent *r, const char *name, size_t *len)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0) {
			if (len != NULL)
				*len = r->lens[i];
			return r->values[i];
		}
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
	free(r->lens);
	memset(r, 0, sizeof *r);
}
