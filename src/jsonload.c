#include "config.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "detect.h"
#include "jsonload.h"
#include "jsonrows.h"
#include "jsonscan.h"

/* Other tables' categories named in the message about skipped records. */
#define OTHER_MAX 8
#define NO_INDEX ((size_t)-1)

/* cJSON reports running out of memory as a parse failure; this flag, set
 * by its allocator, tells the two apart. */
static _Thread_local int json_oom;

static void *
json_malloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL)
		json_oom = 1;
	return p;
}

static void
json_hooks_init(void)
{
	cJSON_Hooks h = { json_malloc, free };

	cJSON_InitHooks(&h);
}

/* Where a record is, for messages. */
struct where {
	const char *array;	/* "Results", "tables[0].rows", "records", "" */
	size_t index;		/* in that array, or NO_INDEX */
};

struct jwarn {
	uint32_t line;
	int ignored;		/* the record was read; only the rest ignored */
	char array[48];
	size_t index;
	char *msg;
};

/* What all jobs of one file share; read-only while jobs run. */
struct jfile {
	const char *path;
	const char *base, *end;		/* offsets count from base */
	const char *body;		/* after any byte order mark */
	const struct load_opts *o;
	enum lh_table hint;
	int lines;			/* JSON lines, else documents */
	int row_known;			/* what row objects are, once decided */
	struct detect_target row_tg;
};

/* One thread's share of a file (all of it for documents). */
struct jjob {
	struct loadjob lj;		/* lines starting in [start, stop) */
	const struct jfile *jf;
	int row_known;
	struct detect_target row_tg;
	struct jsonrows *rows;

	/* Records of tables the hunt does not read. */
	struct {
		char name[80];
		uint64_t n;
	} other[OTHER_MAX];
	size_t nother;
	uint64_t other_total;

	uint64_t skipped;		/* malformed records, with skip_bad_rows */
	struct jwarn warn[LOAD_WARN_MAX];
	unsigned nwarn;

	/* The first error. */
	char *err;
	uint32_t errline;
	char errarray[48];
	size_t errindex;
	int unknown;			/* optional input: 1 not an export we
					 * know, 2 the hunt's summary */
	int cancelled;

	/* Where line numbering stands (lp is on line lpline), and where
	 * the current document began, to number records. */
	const char *lp;
	uint32_t lpline;
	const char *doc;
	uint32_t docline;

	uint32_t lines;			/* LFs from start to where it stopped */
	unsigned tick;
};

/* The line (relative to the job) where q is; q mostly moves forward. */
static uint32_t
line_at(struct jjob *j, const char *q)
{
	if (q < j->lp) {
		j->lp = j->doc;
		j->lpline = j->docline;
	}
	j->lpline += loadjob_count_lf(j->lp, q);
	j->lp = q;
	return j->lpline;
}

static unsigned long long
offset_of(const struct jjob *j, const char *p)
{
	return (unsigned long long)(p - j->jf->base);
}

static void
copy_array(char *dst, size_t n, const struct where *w)
{
	snprintf(dst, n, "%s", w != NULL && w->array != NULL ? w->array : "");
}

/* Records a problem with a record. Skippable ones are skipped and counted
 * with --skip-bad-rows (IGNORABLE ones are only shown: the record itself
 * was read); the rest stop the file. Returns 0 to go on, -1 to stop. Takes
 * msg. */
#define IGNORABLE 2
static int
job_fail(struct jjob *j, const struct where *w, uint32_t line, int skippable,
    char *msg)
{
	struct jwarn *wn;

	if (skippable && j->jf->o->skip_bad_rows) {
		j->skipped += skippable != IGNORABLE;
		if (j->nwarn < LOAD_WARN_MAX) {
			wn = &j->warn[j->nwarn++];
			wn->line = line;
			wn->ignored = skippable == IGNORABLE;
			copy_array(wn->array, sizeof wn->array, w);
			wn->index = w != NULL ? w->index : NO_INDEX;
			wn->msg = msg;
		} else {
			free(msg);
		}
		return 0;
	}
	if (j->err == NULL) {
		j->err = msg;
		j->errline = line;
		copy_array(j->errarray, sizeof j->errarray, w);
		j->errindex = w != NULL ? w->index : NO_INDEX;
	} else {
		free(msg);
	}
	return -1;
}

static int
job_failf(struct jjob *j, const struct where *w, uint32_t line, int skippable,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
job_failf(struct jjob *j, const struct where *w, uint32_t line, int skippable,
    const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	return job_fail(j, w, line, skippable, msg);
}

/* A structural error from the scanner. */
static int
job_fail_scan(struct jjob *j, const struct where *w, uint32_t line,
    int skippable, const struct jsonscan *s)
{
	char *d = jsonscan_describe(s, j->jf->base);
	int at_end = s->err == JSONSCAN_TRUNCATED && s->errpos >= j->jf->end;
	int rc;

	if (at_end && j->jf->lines)
		rc = job_failf(j, w, line, skippable, "%s (the end of the file): "
		    "the last line is incomplete, so the file is truncated (was it "
		    "still being written?)", d);
	else if (at_end)
		rc = job_failf(j, w, line, 0, "%s (the end of the file): the file "
		    "is truncated; download or export it again", d);
	else if (s->err == JSONSCAN_TRUNCATED && j->jf->lines)
		rc = job_failf(j, w, line, skippable, "%s (the end of the line): "
		    "each line must hold one complete JSON value", d);
	else
		rc = job_failf(j, w, line, skippable, "malformed JSON: %s", d);
	free(d);
	return rc;
}

/* Content that does not identify: for an optional input seen before any
 * row, "not ours" rather than an error. Takes why. */
static int
job_fail_detect(struct jjob *j, uint32_t line, int rc, char *why)
{
	if (j->jf->hint == LOAD_DETECT_OPTIONAL &&
	    jsonrows_count(j->rows) == 0 && j->other_total == 0)
		j->unknown = rc == -2 ? 2 : 1;
	return job_fail(j, NULL, line, 0, why);
}

static cJSON *
parse_span(struct jjob *j, const char *p, const char *e, const struct where *w,
    uint32_t line, int skippable, int *rc)
{
	const char *endp = NULL;
	cJSON *v;

	json_oom = 0;
	v = cJSON_ParseWithLengthOpts(p, (size_t)(e - p), &endp, 0);
	if (v != NULL) {
		*rc = 0;
		return v;
	}
	if (json_oom)
		*rc = job_failf(j, w, line, 0, "out of memory parsing a record of "
		    "%llu bytes at byte %llu", (unsigned long long)(e - p),
		    offset_of(j, p));
	else
		*rc = job_failf(j, w, line, skippable, "invalid JSON at byte %llu",
		    offset_of(j, endp != NULL && endp >= p && endp <= e ? endp : p));
	return NULL;
}

static const char *
cjson_kind(const cJSON *v)
{
	if (cJSON_IsObject(v))
		return "an object";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	return "null";
}

/* A record refused by jsonrows: skipped and counted with
 * --skip-bad-rows, else the file stops. */
static int
job_fault(struct jjob *j, const struct where *w, uint32_t line,
    struct jsonrows_fault *f)
{
	if (f->msg == NULL)
		return job_fail_scan(j, w, line, 1, &f->scan);
	return job_fail(j, w, line, 1, f->msg);
}

/* A row whose members are its columns: {"Timestamp": ..., ...}. */
static int
sink_object(struct jjob *j, const struct detect_target *tg, const char *p,
    const char *e, int schemaless, uint64_t off, uint32_t line,
    const struct where *w, const char **end)
{
	struct jsonrows_fault f;

	if (jsonrows_object(j->rows, tg, p, e, schemaless, off, line, end,
	    &f) != 0)
		return job_fault(j, w, line, &f);
	return 0;
}

/* Progress and cancel, every 256 records. Returns -1 to stop. */
static int
job_tick(struct jjob *j, const char *pos)
{
	if ((++j->tick & 255) != 0)
		return 0;
	if (loadjob_tick(&j->lj, pos, jsonrows_count(j->rows), pos) != 0) {
		j->cancelled = 1;
		return -1;
	}
	return 0;
}

static int
category_table(const char *name)
{
	int t;

	if (strncasecmp(name, "AdvancedHunting-", 16) == 0)
		name += 16;
	for (t = 0; t < LH_NTABLES; t++)
		if (strcasecmp(name, table_name((enum lh_table)t)) == 0)
			return t;
	return -1;
}

static void
count_other(struct jjob *j, const char *name, uint64_t n)
{
	size_t i;

	j->other_total += n;
	for (i = 0; i < j->nother; i++)
		if (strcmp(j->other[i].name, name) == 0) {
			j->other[i].n += n;
			return;
		}
	if (j->nother < OTHER_MAX) {
		snprintf(j->other[j->nother].name, sizeof j->other[0].name, "%s",
		    name);
		j->other[j->nother++].n = n;
	}
}

/* The table a streaming record's category names: 1 with *tg; 0 if it is
 * another table's (counted) or the record was skipped as malformed; -1 to
 * stop. */
static int
stream_table(struct jjob *j, const char *cat, const char *cate,
    uint32_t line, const struct where *w, struct detect_target *tg)
{
	struct jsonrows_fault f;
	struct lh_str c;
	char name[80];
	int t;

	if (cat == NULL)
		return job_failf(j, w, line, 1, "the streaming record has no "
		    "\"category\"; expected one such as "
		    "\"AdvancedHunting-DeviceLogonEvents\"");
	if (*cat != '"')
		return job_failf(j, w, line, 1, "\"category\" is %s; expected a "
		    "string such as \"AdvancedHunting-DeviceLogonEvents\"",
		    jsonscan_kind(cat, cate));
	if (jsonrows_text(j->rows, "category", cat, cate, &c, &f) != 0)
		return job_fault(j, w, line, &f);
	snprintf(name, sizeof name, "%.*s", (int)(c.n < 79 ? c.n : 79), c.p);
	if ((t = category_table(name)) < 0) {
		count_other(j, name, 1);
		return 0;
	}
	tg->summary = 0;
	tg->table = (enum lh_table)t;
	return 1;
}

/* A streaming record whose "category" and "properties" values have been
 * found (either may be NULL). */
static int
job_stream_spans(struct jjob *j, const char *p, const char *cat,
    const char *cate, const char *props, const char *propse,
    const struct where *w)
{
	struct detect_target tg;
	uint32_t line = line_at(j, p);
	int r;

	if ((r = stream_table(j, cat, cate, line, w, &tg)) <= 0)
		return r;
	if (props == NULL || *props != '{')
		return job_failf(j, w, line, 1, "the %s record's \"properties\" is "
		    "%s; expected an object holding the table's columns",
		    table_name(tg.table), props == NULL ? "missing" :
		    jsonscan_kind(props, propse));
	return sink_object(j, &tg, props, propse, 1, offset_of(j, p), line, w,
	    NULL);
}

/* {"category": "AdvancedHunting-<Table>", "properties": {...}, ...} */
static int
job_stream_record(struct jjob *j, const char *p, const char *e,
    const struct where *w)
{
	struct jsonscan s;
	struct jsonscan_iter it;
	struct lh_str key;
	const char *v, *ve, *cat = NULL, *cate = NULL, *props = NULL, *propse = NULL;
	int r;

	jsonscan_init(&s, e);
	if (jsonscan_enter(&s, &it, p, '{') != 0)
		return job_failf(j, w, line_at(j, p), 1, "the record is %s; "
		    "expected a streaming record {\"category\": ..., "
		    "\"properties\": {...}}", jsonscan_kind(p, e));
	while ((r = jsonscan_member(&s, &it, &key, &v, &ve)) > 0) {
		if (cat == NULL && jsonscan_key_is(&key, "category")) {
			cat = v;
			cate = ve;
		} else if (props == NULL && jsonscan_key_is(&key, "properties")) {
			props = v;
			propse = ve;
		}
	}
	if (r < 0)
		return job_fail_scan(j, w, line_at(j, p), 1, &s);
	return job_stream_spans(j, p, cat, cate, props, propse, w);
}

/* The member names of the object at [p, e), as written, for detection;
 * NULL if it is malformed. */
static struct lh_str *
object_names(const char *p, const char *e, size_t *n)
{
	struct jsonscan s;
	struct jsonscan_iter it;
	struct lh_str key, *names = NULL;
	const char *v, *ve;
	size_t cap = 0;
	int r;

	*n = 0;
	jsonscan_init(&s, e);
	if (jsonscan_enter(&s, &it, p, '{') != 0)
		return NULL;
	while ((r = jsonscan_member(&s, &it, &key, &v, &ve)) > 0) {
		names = xgrow(names, &cap, *n + 1, sizeof *names);
		names[(*n)++] = key;
	}
	if (r < 0) {
		free(names);
		return NULL;
	}
	return names != NULL ? names : xcalloc(1, sizeof *names);
}

/* A row object on its own (a line, or an element of a top-level array):
 * the first one decides, from its members, what they all are. */
static int
job_row_object(struct jjob *j, const char *p, const char *e,
    const struct where *w)
{
	uint32_t line = line_at(j, p);
	struct lh_str *names;
	size_t n;
	char *why = NULL;
	int rc;

	if (!j->row_known) {
		if (j->jf->lines && j->lj.start != j->jf->body) {
			/* Another thread may meet row objects first: only the
			 * file name can decide consistently. */
			if (j->jf->hint >= LH_NTABLES) {
				return job_failf(j, w, line, 1, "a row object among "
				    "streaming records, and the file name does not "
				    "say its table; name the file after it");
			}
			j->row_tg.summary = 0;
			j->row_tg.table = j->jf->hint;
		} else {
			/* A malformed first row is reported by sink_object. */
			if ((names = object_names(p, e, &n)) == NULL)
				return sink_object(j, &j->row_tg, p, e, 1,
				    offset_of(j, p), line, w, NULL);
			rc = detect_columns(j->jf->hint, names, n, &j->row_tg, &why);
			free(names);
			if (rc != 0)
				return job_fail_detect(j, line, rc, why);
		}
		j->row_known = 1;
	}
	return sink_object(j, &j->row_tg, p, e, 1, offset_of(j, p), line, w,
	    NULL);
}

/* Column names from a Schema / columns array of {"name": ...} objects. */
static int
column_names(struct jjob *j, const char *p, const char *e, const char *what,
    uint32_t line, char ***names_out, size_t *n_out)
{
	const cJSON *el, *m;
	char **names;
	size_t n, k = 0;
	cJSON *arr;
	int rc;

	if ((arr = parse_span(j, p, e, NULL, line, 0, &rc)) == NULL)
		return -1;
	if (!cJSON_IsArray(arr)) {
		rc = job_failf(j, NULL, line, 0, "\"%s\" is %s; expected an array "
		    "of {\"name\": ..., \"type\": ...} objects", what,
		    cjson_kind(arr));
		cJSON_Delete(arr);
		return rc;
	}
	n = (size_t)cJSON_GetArraySize(arr);
	names = xcalloc(n ? n : 1, sizeof *names);
	cJSON_ArrayForEach(el, arr) {
		const cJSON *name = NULL;

		if (cJSON_IsObject(el))
			cJSON_ArrayForEach(m, el)
				if (m->string != NULL && strcasecmp(m->string, "name") == 0) {
					name = m;
					break;
				}
		if (name == NULL || !cJSON_IsString(name)) {
			rc = job_failf(j, NULL, line, 0, "%s[%zu] has no \"name\" "
			    "string; expected {\"name\": ..., \"type\": ...}", what, k);
			while (k > 0)
				free(names[--k]);
			free(names);
			cJSON_Delete(arr);
			return rc;
		}
		names[k++] = xstrdup(name->valuestring);
	}
	cJSON_Delete(arr);
	*names_out = names;
	*n_out = k;
	return 0;
}

static void
names_free(char **names, size_t n)
{
	while (n > 0)
		free(names[--n]);
	free(names);
}

static int
detect_names(struct jjob *j, char **names, size_t n, uint32_t line,
    const char *what, struct detect_target *tg)
{
	struct lh_str *v = xcalloc(n ? n : 1, sizeof *v);
	char *why = NULL, *msg;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		v[i].p = names[i];
		v[i].n = strlen(names[i]);
	}
	rc = detect_columns(j->jf->hint, v, n, tg, &why);
	free(v);
	if (rc == 0)
		return 0;
	msg = xasprintf("%s: %s", what, why);
	free(why);
	return job_fail_detect(j, line, rc, msg);
}

/* {"Schema": [...], "Results": [...]} or Graph's lower-case spelling. */
static int
job_results(struct jjob *j, const char *schema, const char *schema_e,
    const char *schema_key, const char *res, const char *res_e,
    const char *res_key, const char **end)
{
	struct jsonscan s;
	struct jsonscan_iter it;
	struct detect_target tg;
	struct where w = { res_key, 0 };
	char **names = NULL, what[64];
	size_t n = 0;
	const char *v, *ve;
	uint32_t line;
	int r, rc = 0, decided = 0;

	if (schema != NULL) {
		line = line_at(j, schema);
		if (column_names(j, schema, schema_e, schema_key, line, &names, &n) != 0)
			return -1;
		snprintf(what, sizeof what, "\"%s\"", schema_key);
		rc = detect_names(j, names, n, line, what, &tg);
		names_free(names, n);
		if (rc != 0)
			return -1;
		decided = 1;
	}
	line = line_at(j, res);
	if (*res != '[')
		return job_failf(j, NULL, line, 0, "\"%s\" is %s; expected an array "
		    "of row objects", res_key, jsonscan_kind(res, res_e));
	jsonscan_init(&s, res_e);
	jsonscan_enter(&s, &it, res, '[');
	while ((r = jsonscan_element(&s, &it, &v, &ve)) > 0) {
		line = line_at(j, v);
		if (*v != '{') {
			if (job_failf(j, &w, line, 1, "the row is %s; expected an object "
			    "of column values", jsonscan_kind(v, ve)) != 0)
				return -1;
			w.index++;
			continue;
		}
		if (!decided) {
			/* No schema: the first row's members are the columns. */
			struct lh_str *kn = object_names(v, ve, &n);
			char *why = NULL;

			if (kn == NULL) {
				/* Malformed: let sink_object say how. */
				if (job_failf(j, &w, line, 1, "malformed JSON in the "
				    "row at byte %llu", offset_of(j, v)) != 0)
					return -1;
				w.index++;
				continue;
			}
			rc = detect_columns(j->jf->hint, kn, n, &tg, &why);
			free(kn);
			if (rc != 0)
				return job_fail_detect(j, line, rc, why);
			decided = 1;
		}
		rc = sink_object(j, &tg, v, ve, schema == NULL, offset_of(j, v), line,
		    &w, NULL);
		if (rc != 0 || job_tick(j, ve) != 0)
			return -1;
		w.index++;
	}
	if (r < 0)
		return job_fail_scan(j, &w, line_at(j, s.errpos), 0, &s);
	*end = it.p;
	return 0;
}

/* One table of a Log Analytics response: {"name", "columns", "rows"}. */
static int
job_la_table(struct jjob *j, const char *p, const char *e, size_t ti)
{
	struct jsonscan s;
	struct jsonscan_iter it;
	struct lh_str key;
	struct detect_target tg;
	const char *v, *ve, *cols = NULL, *cols_e = NULL, *rows = NULL, *rows_e = NULL;
	char label[48], what[48], **names = NULL;
	struct where w = { label, 0 };
	struct jsonrows_fault f;
	size_t n = 0, i;
	int *slot_of = NULL, r, rc = -1;
	uint32_t line = line_at(j, p);

	snprintf(label, sizeof label, "tables[%zu].rows", ti);
	snprintf(what, sizeof what, "tables[%zu].columns", ti);
	if (*p != '{')
		return job_failf(j, NULL, line, 0, "tables[%zu] is %s; expected an "
		    "object with \"name\", \"columns\" and \"rows\"", ti,
		    jsonscan_kind(p, e));
	jsonscan_init(&s, e);
	jsonscan_enter(&s, &it, p, '{');
	while ((r = jsonscan_member(&s, &it, &key, &v, &ve)) > 0) {
		if (cols == NULL && jsonscan_key_is(&key, "columns")) {
			cols = v;
			cols_e = ve;
		} else if (rows == NULL && jsonscan_key_is(&key, "rows")) {
			rows = v;
			rows_e = ve;
		}
	}
	if (r < 0)
		return job_fail_scan(j, NULL, line, 0, &s);
	if (cols == NULL || rows == NULL)
		return job_failf(j, NULL, line, 0, "tables[%zu] has no \"%s\"; "
		    "expected a Log Analytics table {\"name\", \"columns\", "
		    "\"rows\"}", ti, cols == NULL ? "columns" : "rows");
	if (column_names(j, cols, cols_e, what, line_at(j, cols), &names, &n) != 0)
		return -1;
	if (detect_names(j, names, n, line_at(j, cols), what, &tg) != 0)
		goto out;
	slot_of = xcalloc(n ? n : 1, sizeof *slot_of);
	for (i = 0; i < n; i++)
		slot_of[i] = detect_slot(&tg, names[i], strlen(names[i]));
	line = line_at(j, rows);
	if (*rows != '[') {
		job_failf(j, NULL, line, 0, "tables[%zu].rows is %s; expected an "
		    "array of rows, each an array of values", ti,
		    jsonscan_kind(rows, rows_e));
		goto out;
	}
	jsonscan_init(&s, rows_e);
	jsonscan_enter(&s, &it, rows, '[');
	while ((r = jsonscan_element(&s, &it, &v, &ve)) > 0) {
		line = line_at(j, v);
		if (*v != '[') {
			if (job_failf(j, &w, line, 1, "the row is %s; expected an array "
			    "of %zu values", jsonscan_kind(v, ve), n) != 0)
				goto out;
		} else {
			rc = jsonrows_array(j->rows, &tg, slot_of, names, n, v,
			    ve, offset_of(j, v), line, &f) != 0 ?
			    job_fault(j, &w, line, &f) : 0;
			if (rc != 0 || job_tick(j, ve) != 0) {
				rc = -1;
				goto out;
			}
		}
		w.index++;
	}
	if (r < 0) {
		job_fail_scan(j, &w, line_at(j, s.errpos), 0, &s);
		goto out;
	}
	rc = 0;
out:
	free(slot_of);
	names_free(names, n);
	return rc == 0 ? 0 : -1;
}

static int
job_tables(struct jjob *j, const char *p, const char *e, const char **end)
{
	struct jsonscan s;
	struct jsonscan_iter it;
	const char *v, *ve;
	size_t ti = 0;
	int r;

	if (*p != '[')
		return job_failf(j, NULL, line_at(j, p), 0, "\"tables\" is %s; "
		    "expected an array of tables", jsonscan_kind(p, e));
	jsonscan_init(&s, e);
	jsonscan_enter(&s, &it, p, '[');
	while ((r = jsonscan_element(&s, &it, &v, &ve)) > 0)
		if (job_la_table(j, v, ve, ti++) != 0)
			return -1;
	if (r < 0)
		return job_fail_scan(j, NULL, line_at(j, s.errpos), 0, &s);
	*end = it.p;
	return 0;
}

/* {"records": [...]}: an Event Hub message. */
static int
job_records(struct jjob *j, const char *p, const char *e, const char *key,
    const char **end)
{
	struct jsonscan s;
	struct jsonscan_iter it;
	struct where w = { key, 0 };
	const char *v, *ve;
	int r;

	if (*p != '[')
		return job_failf(j, NULL, line_at(j, p), 0, "\"%s\" is %s; expected "
		    "an array of streaming records", key, jsonscan_kind(p, e));
	jsonscan_init(&s, e);
	jsonscan_enter(&s, &it, p, '[');
	while ((r = jsonscan_element(&s, &it, &v, &ve)) > 0) {
		if (job_stream_record(j, v, ve, &w) != 0 || job_tick(j, ve) != 0)
			return -1;
		w.index++;
	}
	if (r < 0)
		return job_fail_scan(j, &w, line_at(j, s.errpos), 0, &s);
	*end = it.p;
	return 0;
}

/* Copies a raw member name for messages (names here are plain ASCII). */
static void
key_copy(char *dst, size_t n, const struct lh_str *key)
{
	snprintf(dst, n, "%.*s", (int)(key->n < n - 1 ? key->n : n - 1), key->p);
}

/* An object: told apart by its members. top: a whole document (or line),
 * where API responses may be; else an element of a top-level array. The
 * big arrays (records, Results once the schema is known, tables) are
 * walked where they are met, so a document is read once, front to back,
 * and its pages can be handed back behind the reader. */
static int
job_object(struct jjob *j, const char *p, const char *limit, int top,
    const struct where *w, const char **after)
{
	struct jsonscan s;
	struct jsonscan_iter it;
	struct lh_str key;
	const char *v, *ve;
	const char *rec = NULL, *rec_e = NULL, *cat = NULL, *cat_e = NULL;
	const char *props = NULL, *props_e = NULL;
	const char *sch = NULL, *sch_e = NULL, *res = NULL, *res_e = NULL;
	const char *tab = NULL, *tab_e = NULL;
	char rec_key[32] = "", sch_key[32] = "", res_key[32] = "";
	struct detect_target tg;
	int r, done = 0;

	/* Past the whole value when it is skipped as malformed. */
	*after = limit;
	jsonscan_init(&s, limit);
	jsonscan_enter(&s, &it, p, '{');
	while ((r = jsonscan_member_start(&s, &it, &key, &v)) > 0) {
		ve = NULL;
		if (rec == NULL && jsonscan_key_is(&key, "records")) {
			key_copy(rec_key, sizeof rec_key, &key);
			if (*v == '[' && cat == NULL && props == NULL) {
				if (job_records(j, v, limit, rec_key, &ve) != 0)
					return -1;
				done = 1;
			}
			rec = v;
		} else if (res == NULL && top && jsonscan_key_is(&key, "results")) {
			key_copy(res_key, sizeof res_key, &key);
			if (*v == '[' && sch != NULL) {
				if (job_results(j, sch, sch_e, sch_key, v, limit,
				    res_key, &ve) != 0)
					return -1;
				done = 1;
			}
			res = v;
		} else if (tab == NULL && top && jsonscan_key_is(&key, "tables")) {
			if (*v == '[') {
				if (job_tables(j, v, limit, &ve) != 0)
					return -1;
				done = 1;
			}
			tab = v;
		} else if (props == NULL && cat != NULL && rec == NULL &&
		    *v == '{' && jsonscan_key_is(&key, "properties")) {
			/* The category came first, as it does in exports:
			 * read the columns where they are. */
			r = stream_table(j, cat, cat_e, line_at(j, p), w, &tg);
			if (r < 0 || (r > 0 && sink_object(j, &tg, v, limit, 1,
			    offset_of(j, p), line_at(j, p), w, &ve) != 0))
				return -1;
			done = 1;
			props = v;
		}
		if (ve == NULL && (ve = jsonscan_skip(&s, v)) == NULL)
			break;
		jsonscan_member_done(&it, ve);
		if (v == rec)
			rec_e = ve;
		else if (v == props)
			props_e = ve;
		else if (v == res)
			res_e = ve;
		else if (v == tab)
			tab_e = ve;
		else if (cat == NULL && jsonscan_key_is(&key, "category")) {
			cat = v;
			cat_e = ve;
		} else if (props == NULL && jsonscan_key_is(&key, "properties")) {
			props = v;
			props_e = ve;
		} else if (sch == NULL && jsonscan_key_is(&key, "schema")) {
			sch = v;
			sch_e = ve;
			key_copy(sch_key, sizeof sch_key, &key);
		}
	}
	if (r < 0 || s.err != JSONSCAN_OK)
		return job_fail_scan(j, w, line_at(j, s.errpos), !top || j->jf->lines,
		    &s);
	*after = it.p;
	if (done)
		return 0;
	if (rec != NULL && cat == NULL && props == NULL)
		return job_records(j, rec, rec_e, rec_key, &ve);
	if (cat != NULL || props != NULL)
		return job_stream_spans(j, p, cat, cat_e, props, props_e, w);
	if (top && res != NULL)
		return job_results(j, sch, sch_e, sch_key, res, res_e, res_key, &ve);
	if (top && sch != NULL)
		return job_failf(j, NULL, line_at(j, sch), 0, "there is a \"%s\" but "
		    "no \"Results\" array of rows", sch_key);
	if (top && tab != NULL)
		return job_tables(j, tab, tab_e, &ve);
	return job_row_object(j, p, it.p, w);
}

/* One top-level value: a document, or the value on a line. */
static int
job_value(struct jjob *j, const char *p, const char *limit, const char **after)
{
	struct jsonscan s;
	struct jsonscan_iter it;
	struct where w = { "", 0 };
	const char *v, *ve;
	uint32_t line = line_at(j, p);
	int r;

	*after = limit;
	if (*p == '{')
		return job_object(j, p, limit, 1, NULL, after);
	if (*p != '[') {
		char *why = xasprintf("expected a JSON object or array at byte %llu, "
		    "found %s: an export from the Defender or Graph hunting API "
		    "({\"Results\": ...}), Log Analytics ({\"tables\": ...}), the "
		    "streaming API ({\"records\": ...} or one record per line), or "
		    "one row object per line", offset_of(j, p),
		    jsonscan_kind(p, limit));
		if (j->jf->hint == LOAD_DETECT_OPTIONAL || !j->jf->lines)
			return job_fail_detect(j, line, -1, why);
		return job_fail(j, NULL, line, 1, why);
	}
	jsonscan_init(&s, limit);
	jsonscan_enter(&s, &it, p, '[');
	while ((r = jsonscan_element(&s, &it, &v, &ve)) > 0) {
		if (*v != '{') {
			if (job_failf(j, &w, line_at(j, v), 1, "the element is %s; "
			    "expected an object (a row or a streaming record)",
			    jsonscan_kind(v, ve)) != 0)
				return -1;
		} else if (job_object(j, v, ve, 0, &w, &ve) != 0 ||
		    job_tick(j, ve) != 0) {
			return -1;
		}
		w.index++;
	}
	if (r < 0)
		return job_fail_scan(j, NULL, line_at(j, s.errpos),
		    j->jf->lines, &s);
	*after = it.p;
	return 0;
}

/* Documents: one or more values one after another, by one job. */
static void
job_documents(void *arg)
{
	struct jjob *j = arg;
	const struct jfile *jf = j->jf;
	const char *p = jsonscan_ws(jf->body, jf->end), *after;

	while (p < jf->end) {
		j->doc = p;
		j->docline = line_at(j, p);
		if (job_value(j, p, jf->end, &after) != 0)
			break;
		p = jsonscan_ws(after, jf->end);
	}
	/* Lines are numbered absolutely here, and nothing follows. */
	j->lines = 0;
}

/* JSON lines: each line one value. */
static void
job_lines(void *arg)
{
	struct jjob *j = arg;
	const struct jfile *jf = j->jf;
	const char *p = j->lj.start, *nl, *le, *q, *after;
	uint32_t line = 0;

	while (p < j->lj.stop) {
		nl = memchr(p, '\n', (size_t)(jf->end - p));
		le = nl != NULL ? nl : jf->end;
		q = jsonscan_ws(p, le);
		if (q < le) {
			j->lp = j->doc = p;
			j->lpline = j->docline = line;
			if (job_value(j, q, le, &after) != 0) {
				if (j->err != NULL || j->cancelled)
					break;
			} else if ((after = jsonscan_ws(after, le)) < le &&
			    job_failf(j, NULL, line, IGNORABLE, "more after the JSON "
			    "value at byte %llu; each line must hold one JSON value",
			    offset_of(j, after)) != 0) {
				break;
			}
		}
		if (nl == NULL)
			break;
		line++;
		p = nl + 1;
		if (job_tick(j, p) != 0)
			break;
	}
	j->lines = line;
	/* The rows counted while other parts are still read. */
	loadjob_publish(&j->lj, j->lj.stop, jsonrows_count(j->rows));
}

static void
job_init(struct jjob *j, const struct jfile *jf, struct loadjob_set *set,
    void (*fn)(void *), const char *start, const char *stop)
{
	memset(j, 0, sizeof *j);
	loadjob_init(&j->lj, set, fn, j, start, stop);
	j->jf = jf;
	j->lp = j->doc = start;
	j->lpline = j->docline = jf->lines ? 0 : 1;
	j->row_known = jf->row_known;
	j->row_tg = jf->row_tg;
	j->rows = jsonrows_new(jf->base);
	j->errindex = NO_INDEX;
}

static void
job_free(struct jjob *j)
{
	size_t i;

	jsonrows_free(j->rows);
	for (i = 0; i < j->nwarn; i++)
		free(j->warn[i].msg);
	free(j->err);
}

/* "path:line: msg" or, for a record of a document, "path: record 12
 * (Results[11], line 40): msg". */
static char *
locate(const struct jfile *jf, uint32_t line, const char *array, size_t index,
    const char *msg)
{
	if (index == NO_INDEX)
		return xasprintf("%s:%u: %s", jf->path, line, msg);
	if (jf->lines)
		return xasprintf("%s:%u: record %zu (%s[%zu]): %s", jf->path, line,
		    index + 1, array, index, msg);
	return xasprintf("%s: record %zu (%s[%zu], line %u): %s", jf->path,
	    index + 1, array, index, line, msg);
}

/* What the jobs of one file add up to, beyond their rows. */
struct jtotals {
	uint64_t skipped, other_total;
	struct {
		char name[80];
		uint64_t n;
	} other[OTHER_MAX];
	size_t nother;
	unsigned shown;
};

/* Moves a finished job's rows into d. */
static void
job_merge(struct jsonrows_file *rf, struct jjob *j, uint32_t line_base,
    struct jtotals *tot)
{
	const struct jfile *jf = j->jf;
	size_t i, k;

	for (i = 0; i < j->nwarn; i++) {
		char *m;

		if (tot->shown++ >= LOAD_WARN_MAX)
			break;
		m = xasprintf("%s%s", j->warn[i].ignored ? "ignored: " :
		    "skipped a record: ", j->warn[i].msg);
		load_warn(jf->o, locate(jf, line_base + j->warn[i].line,
		    j->warn[i].array, j->warn[i].index, m));
		free(m);
	}
	jsonrows_merge(rf, j->rows, line_base);
	tot->skipped += j->skipped;
	for (i = 0; i < j->nother; i++) {
		for (k = 0; k < tot->nother; k++)
			if (strcmp(tot->other[k].name, j->other[i].name) == 0)
				break;
		if (k == tot->nother) {
			if (tot->nother == OTHER_MAX)
				continue;
			memcpy(tot->other[k].name, j->other[i].name,
			    sizeof tot->other[k].name);
			tot->other[k].n = 0;
			tot->nother++;
		}
		tot->other[k].n += j->other[i].n;
	}
	tot->other_total += j->other_total;
}

static void
report_totals(struct table_data *d, const struct jfile *jf,
    struct jsonrows_file *rf, struct jtotals *tot)
{
	const struct load_opts *o = jf->o;
	struct buf b = { 0 };
	size_t i;

	if (tot->skipped)
		load_warn(o, xasprintf("%s: skipped %llu malformed record%s",
		    jf->path, (unsigned long long)tot->skipped,
		    tot->skipped == 1 ? "" : "s"));
	d->other_records += tot->other_total;
	if (tot->other_total) {
		for (i = 0; i < tot->nother; i++)
			buf_addf(&b, "%s%s: %llu", i ? ", " : "", tot->other[i].name,
			    (unsigned long long)tot->other[i].n);
		load_warn(o, xasprintf("%s: skipped %llu streaming record%s of "
		    "tables the hunt does not read (%s%s)", jf->path,
		    (unsigned long long)tot->other_total,
		    tot->other_total == 1 ? "" : "s", b.p != NULL ? b.p : "",
		    tot->nother == OTHER_MAX ? ", ..." : ""));
		buf_free(&b);
	}
	jsonrows_report(rf, jf->hint, tot->other_total, o);
}

/* JSON lines if the first value ends on its first line. */
static int
is_json_lines(const char *body, const char *end)
{
	struct jsonscan s;
	const char *p = jsonscan_ws(body, end), *nl, *e;

	nl = memchr(p, '\n', (size_t)(end - p));
	if (nl == NULL)
		return 1;	/* one line: either way the same */
	jsonscan_init(&s, nl);
	e = jsonscan_skip(&s, p);
	return e != NULL;
}

int
jsonload_buffer(struct table_data *d, struct load_run *run, const char *path,
    enum lh_table hint, const char *data, size_t size, int fmtflags,
    char **cause)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	const struct load_opts *o = run->o;
	struct jfile jf;
	struct jtotals tot;
	struct jsonrows_file *rf;
	struct loadjob_set set;
	struct jjob *jobs = NULL;
	const char *starts[LOADJOB_MAX], *first_end, *p;
	size_t njobs = 1, i, k;
	uint64_t rows_before = run->pr.rows;
	uint32_t line_base;
	int format, rc = 0;

	pthread_once(&once, json_hooks_init);
	memset(&jf, 0, sizeof jf);
	jf.path = path;
	jf.base = size ? data : "";
	jf.end = jf.base + size;
	jf.body = jf.base + detect_bom(jf.base, size);
	jf.o = o;
	jf.hint = hint;
	jf.lines = is_json_lines(jf.body, jf.end);
	format = (jf.lines ? LOAD_FMT_JSON_LINES : LOAD_FMT_JSON_DOC) | fmtflags;
	run->pr.path = path;
	run->pr.bytes_total = size;
	run->pr.bytes_done = 0;
	memset(&tot, 0, sizeof tot);
	rf = jsonrows_file_new(d, path, format, size);
	loadjob_set_init(&set, run, jf.base);

	if (!jf.lines) {
		jobs = xcalloc(1, sizeof *jobs);
		job_init(&jobs[0], &jf, &set, job_documents, jf.body, jf.end);
		loadjob_add(&set, &jobs[0].lj);
		loadjob_run(&set);
	} else {
		/* The first line alone first: it decides what row objects
		 * are (and whether an optional input is ours at all) before
		 * the other threads start. */
		p = jsonscan_ws(jf.body, jf.end);
		first_end = memchr(p, '\n', (size_t)(jf.end - p));
		first_end = first_end != NULL ? first_end + 1 : jf.end;
		njobs = 1 + (first_end < jf.end ? loadjob_split(o, first_end,
		    jf.end, LOADJOB_MAX - 1, starts) : 0);
		jobs = xcalloc(njobs, sizeof *jobs);
		job_init(&jobs[0], &jf, &set, job_lines, jf.body, first_end);
		loadjob_add(&set, &jobs[0].lj);
		loadjob_run(&set);
		if (jobs[0].err == NULL && !jobs[0].cancelled && njobs > 1) {
			jf.row_known = jobs[0].row_known;
			jf.row_tg = jobs[0].row_tg;
			set.rows_before += jsonrows_count(jobs[0].rows);
			for (i = 1; i < njobs; i++) {
				job_init(&jobs[i], &jf, &set, job_lines,
				    starts[i - 1], i < njobs - 1 ? starts[i] : jf.end);
				loadjob_add(&set, &jobs[i].lj);
			}
			loadjob_run(&set);
		} else {
			njobs = 1;
		}
	}

	line_base = jf.lines ? 1 : 0;
	for (k = 0; k < njobs; k++) {
		struct jjob *j = &jobs[k];

		if (j->cancelled || loadjob_cancelled(&set)) {
			rc = LOAD_CANCELLED;
			break;
		}
		if (j->err != NULL) {
			rc = k > 0 || !j->unknown ? -1 : j->unknown == 2 ?
			    LOAD_SUMMARY : LOAD_UNKNOWN;
			/* Unknown: the caller says "path: skipped: why". */
			*cause = rc != -1 ? xstrdup(j->err) :
			    locate(&jf, line_base + j->errline, j->errarray,
			    j->errindex, j->err);
			break;
		}
		job_merge(rf, j, line_base, &tot);
		line_base += j->lines;
	}
	if (rc == 0) {
		report_totals(d, &jf, rf, &tot);
		run->pr.rows = rows_before + jsonrows_file_rows(rf);
		run->pr.bytes_done = size;
	}
	for (k = 0; k < njobs; k++)
		job_free(&jobs[k]);
	free(jobs);
	loadjob_set_free(&set);
	jsonrows_file_free(rf);
	return rc;
}
