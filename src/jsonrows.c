#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonrows.h"
#include "loadjob.h"
#include "sumload.h"

/* Values per row: the most columns of a table or of the summary. */
#define VALS_MAX 9

_Static_assert(TABLE_MAX_COLS <= VALS_MAX && SC_N <= VALS_MAX,
    "a row's values fit in vals[VALS_MAX]");

struct presum_store {
	char *key[K_N];
	struct sumload_row r;
};

struct jsonrows {
	const char *base;		/* offsets count from here */
	struct table_chunk tc[LH_NTABLES];
	uint32_t seen[LH_NTABLES];	/* slots present in schemaless records */
	uint64_t schemaless[LH_NTABLES];
	struct presum_store *ps;
	size_t nps, capps;
	uint64_t ps_bad_ts;
	uint32_t ps_bad_ts_line;
	uint64_t rows;			/* rows handed to chunks or presummary */
	struct buf scratch[VALS_MAX];
	struct buf keybuf, textbuf;
	/* Member name -> slot, per table and the summary: names repeat in
	 * every record, so each is matched against the columns once. */
	struct slotmemo {
		uint32_t hash;
		uint16_t len;	/* 0: empty entry */
		int16_t slot;
		char name[44];
	} memo[LH_NTABLES + 1][128];
};

struct jsonrows_file {
	struct table_data *d;
	const char *path;
	int format;
	size_t size;
	uint32_t files[LH_NTABLES], sumfile;	/* UINT32_MAX: none yet */
	uint64_t bad_ts, ps_bad_ts, schemaless[LH_NTABLES];
	uint32_t bad_ts_line, ps_bad_ts_line, seen[LH_NTABLES];
	char bad_ts_text[40];
};

struct jsonrows *
jsonrows_new(const char *base)
{
	struct jsonrows *r = xcalloc(1, sizeof *r);
	int t;

	r->base = base;
	for (t = 0; t < LH_NTABLES; t++)
		table_chunk_init(&r->tc[t], (enum lh_table)t, UINT32_MAX);
	return r;
}

void
jsonrows_free(struct jsonrows *r)
{
	size_t i;
	int t;

	if (r == NULL)
		return;
	for (t = 0; t < LH_NTABLES; t++)
		table_chunk_free(&r->tc[t]);
	for (i = 0; i < VALS_MAX; i++)
		buf_free(&r->scratch[i]);
	buf_free(&r->keybuf);
	buf_free(&r->textbuf);
	for (i = 0; i < r->nps; i++)
		for (t = 0; t < K_N; t++)
			free(r->ps[i].key[t]);
	free(r->ps);
	free(r);
}

uint64_t
jsonrows_count(const struct jsonrows *r)
{
	return r->rows;
}

/* Refuses the record for msg (taken). */
static int
fault(struct jsonrows_fault *f, char *msg)
{
	f->msg = msg;
	return -1;
}

static int
faultf(struct jsonrows_fault *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
faultf(struct jsonrows_fault *f, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	return fault(f, msg);
}

/* Refuses the record for the scanner's error. */
static int
fault_scan(struct jsonrows_fault *f, const struct jsonscan *s)
{
	f->msg = NULL;
	f->scan = *s;
	return -1;
}

static unsigned long long
offset_of(const struct jsonrows *r, const char *p)
{
	return (unsigned long long)(p - r->base);
}

/* A JSON number as written: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
valid_number(const char *p, const char *e)
{
	if (p < e && *p == '-')
		p++;
	if (p >= e || *p < '0' || *p > '9')
		return 0;
	if (*p == '0')
		p++;
	else
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	if (p < e && *p == '.') {
		if (++p >= e || *p < '0' || *p > '9')
			return 0;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		if (++p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || *p < '0' || *p > '9')
			return 0;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	return p == e;
}

/* A string with escapes, decoded into scratch (a \u0000 escape stays a
 * NUL byte, as in CSV). 0, or -2 if it is malformed. */
static int
decode_string(const char *v, const char *ve, struct buf *scratch,
    struct lh_str *out)
{
	buf_reset(scratch);
	if (jsonscan_string(v, ve, scratch) != 0)
		return -2;
	out->p = scratch->len ? scratch->p : "";
	out->n = scratch->len;
	return 0;
}

/* The value at [v, ve), read in place, as the hunt sees it: tostring() as
 * Kusto does. Strings are their text (only those with escapes are copied,
 * decoded), null is empty, numbers and booleans are their JSON text as
 * written, and arrays or objects are their JSON text where the column is
 * dynamic. Returns 0; -1 for an array or object in a string column; -2
 * for a malformed value. */
static int
raw_value(const char *v, const char *ve, int dynamic, struct buf *scratch,
    struct lh_str *out)
{
	size_t n = (size_t)(ve - v);

	out->p = "";
	out->n = 0;
	switch (*v) {
	case '"':
		if (n < 2 || ve[-1] != '"')
			return -2;
		if (memchr(v + 1, '\\', n - 2) != NULL)
			return decode_string(v, ve, scratch, out);
		out->p = v + 1;
		out->n = n - 2;
		return 0;
	case 'n':
		return n == 4 && memcmp(v, "null", 4) == 0 ? 0 : -2;
	case 't':
	case 'f':
		if (!(n == 4 && memcmp(v, "true", 4) == 0) &&
		    !(n == 5 && memcmp(v, "false", 5) == 0))
			return -2;
		break;
	case '{':
	case '[':
		if (!dynamic)
			return -1;
		break;
	default:
		if (!valid_number(v, ve))
			return -2;
		break;
	}
	out->p = v;
	out->n = n;
	return 0;
}

/* memo_slot's answer for a name written with escapes: it is decoded
 * first (detect_slot answers -1 or a slot, never this). */
#define MEMO_ESCAPED (-2)

/* The slot a raw member name fills, remembered per name. */
static int
memo_slot(struct jsonrows *r, const struct detect_target *tg,
    const char *name, size_t n)
{
	struct slotmemo *m = r->memo[tg->summary ? LH_NTABLES : tg->table];
	uint32_t h;
	size_t k;
	int slot;

	if (n == 0 || n > sizeof m->name)
		return memchr(name, '\\', n) != NULL ? MEMO_ESCAPED :
		    detect_slot(tg, name, n);
	/* Eight bytes at a time: a byte at a time this was a tenth of a
	 * JSON load. */
	h = (uint32_t)util_hash(name, n);
	/* A bounded probe: a full table only costs the direct lookup. */
	for (k = 0; k < 8; k++) {
		struct slotmemo *e = &m[(h + k) & 127];

		if (e->len == 0) {
			/* Only names without escapes are kept, so a name
			 * found here has none: a new one is looked at. */
			if (memchr(name, '\\', n) != NULL)
				return MEMO_ESCAPED;
			slot = detect_slot(tg, name, n);
			e->hash = h;
			e->len = (uint16_t)n;
			e->slot = (int16_t)slot;
			memcpy(e->name, name, n);
			return slot;
		}
		if (e->hash == h && e->len == n && memcmp(e->name, name, n) == 0)
			return e->slot;
	}
	return memchr(name, '\\', n) != NULL ? MEMO_ESCAPED :
	    detect_slot(tg, name, n);
}

/* The slot a member name fills; names written with escapes are decoded. */
static int
raw_slot(struct jsonrows *r, const struct detect_target *tg,
    const struct lh_str *key)
{
	struct lh_str d;
	int slot = memo_slot(r, tg, key->p, key->n);

	if (slot != MEMO_ESCAPED)
		return slot;
	if (decode_string(key->p - 1, key->p + key->n + 1, &r->keybuf, &d) != 0)
		return -1;
	return detect_slot(tg, d.p, d.n);
}

/* IPAddresses is dynamic in the schema; every other column the hunt
 * reads is a string. */
static int
slot_dynamic(const struct detect_target *tg, int s)
{
	return !tg->summary && tg->table == LH_NETWORK && s == NC_IPADDRESSES;
}

static int
sink_summary(struct jsonrows *r, const struct lh_str *vals, uint32_t line,
    struct jsonrows_fault *f)
{
	struct sumload_row sr;
	struct presum_store *ps;
	char *why = NULL;
	int i;

	if (sumload_values(vals, &sr, &why) != 0)
		return fault(f, why);
	r->ps = xgrow(r->ps, &r->capps, r->nps + 1, sizeof *r->ps);
	ps = &r->ps[r->nps++];
	for (i = 0; i < K_N; i++)
		ps->key[i] = xstrndup(vals[i].p, vals[i].n);
	ps->r = sr;
	if (sr.bad_ts && r->ps_bad_ts++ == 0)
		r->ps_bad_ts_line = line;
	r->rows++;
	return 0;
}

static int
sink_vals(struct jsonrows *r, const struct detect_target *tg,
    const struct lh_str *vals, uint64_t off, uint32_t line,
    struct jsonrows_fault *f)
{
	size_t s, n;

	if (tg->summary)
		return sink_summary(r, vals, line, f);
	if (table_row_relevant(tg->table, vals)) {
		n = table_ncols(tg->table);
		for (s = 0; s < n; s++)
			if (!utf8_valid(vals[s].p, vals[s].n))
				return faultf(f, "column %s: invalid UTF-8; exports "
				    "are UTF-8: export the table again, or run again "
				    "with --skip-bad-rows to skip and count such "
				    "records", table_col_name(tg->table, s));
	}
	table_chunk_row(&r->tc[tg->table], vals, off, line);
	r->rows++;
	return 0;
}

/* Refuses a record over a value raw_value refused. */
static int
raw_fail(const struct jsonrows *r, const char *col, const char *v,
    const char *ve, int rv, struct jsonrows_fault *f)
{
	if (rv == -1)
		return faultf(f, "column %s is %s; expected a string (or null)",
		    col, jsonscan_kind(v, ve));
	return faultf(f, "column %s: invalid JSON value at byte %llu", col,
	    offset_of(r, v));
}

static const char *
slot_name(const struct detect_target *tg, int s)
{
	return tg->summary ? detect_summary_col((size_t)s) :
	    table_col_name(tg->table, (size_t)s);
}

/* Reads the value at [v, ve) into vals[sl], which *seen tracks; of two
 * spellings of a column (ISP, Isp) a null never hides a value. col names
 * the column in a fault (NULL: the slot's name). 0, or -1 with *f. */
static int
take_value(struct jsonrows *r, const struct detect_target *tg, int sl,
    const char *col, const char *v, const char *ve, struct lh_str *vals,
    uint32_t *seen, struct jsonrows_fault *f)
{
	int rv;

	if ((*seen & 1u << sl) && *v == 'n')
		return 0;
	*seen |= 1u << sl;
	rv = raw_value(v, ve, slot_dynamic(tg, sl), &r->scratch[sl], &vals[sl]);
	if (rv != 0)
		return raw_fail(r, col != NULL ? col : slot_name(tg, sl), v, ve,
		    rv, f);
	return 0;
}

int
jsonrows_object(struct jsonrows *r, const struct detect_target *tg,
    const char *p, const char *e, int schemaless, uint64_t off, uint32_t line,
    const char **end, struct jsonrows_fault *f)
{
	struct jsonscan s;
	struct jsonscan_iter it;
	struct lh_str key, vals[VALS_MAX], first[VALS_MAX];
	const char *v, *ve;
	uint32_t seen = 0;
	int rc, sl;

	memset(vals, 0, sizeof vals);
	jsonscan_init(&s, e);
	if (jsonscan_enter(&s, &it, p, '{') != 0)
		return fault_scan(f, &s);
	while ((rc = jsonscan_member(&s, &it, &key, &v, &ve)) > 0) {
		if ((sl = raw_slot(r, tg, &key)) < 0)
			continue;
		/* A column named twice is refused, as in a CSV header:
		 * which value counts would be a guess. */
		if ((seen & 1u << sl) && first[sl].n == key.n &&
		    memcmp(first[sl].p, key.p, key.n) == 0)
			return faultf(f, "the record names %s twice; a record "
			    "must name each column once", slot_name(tg, sl));
		if (!(seen & 1u << sl))
			first[sl] = key;
		if (take_value(r, tg, sl, NULL, v, ve, vals, &seen, f) != 0)
			return -1;
	}
	if (rc < 0)
		return fault_scan(f, &s);
	if (end != NULL)
		*end = it.p;
	if (schemaless && !tg->summary) {
		r->seen[tg->table] |= seen;
		r->schemaless[tg->table]++;
	}
	return sink_vals(r, tg, vals, off, line, f);
}

int
jsonrows_array(struct jsonrows *r, const struct detect_target *tg,
    const int *slot_of, char **colnames, size_t ncols, const char *p,
    const char *e, uint64_t off, uint32_t line, struct jsonrows_fault *f)
{
	struct jsonscan s;
	struct jsonscan_iter it;
	struct lh_str vals[VALS_MAX];
	const char *v, *ve;
	uint32_t seen = 0;
	size_t i = 0, firstcol[VALS_MAX];
	int rc, sl;

	memset(vals, 0, sizeof vals);
	jsonscan_init(&s, e);
	if (jsonscan_enter(&s, &it, p, '[') != 0)
		return fault_scan(f, &s);
	for (; (rc = jsonscan_element(&s, &it, &v, &ve)) > 0; i++) {
		if (i >= ncols || (sl = slot_of[i]) < 0)
			continue;
		if ((seen & 1u << sl) && strcmp(colnames[firstcol[sl]], colnames[i]) == 0)
			return faultf(f, "columns %zu and %zu are both named %s; "
			    "a table must name each column once", firstcol[sl] + 1,
			    i + 1, colnames[i]);
		if (!(seen & 1u << sl))
			firstcol[sl] = i;
		if (take_value(r, tg, sl, colnames[i], v, ve, vals, &seen,
		    f) != 0)
			return -1;
	}
	if (rc < 0)
		return fault_scan(f, &s);
	if (i != ncols)
		return faultf(f, "the row has %zu values but the table has %zu "
		    "columns", i, ncols);
	return sink_vals(r, tg, vals, off, line, f);
}

int
jsonrows_text(struct jsonrows *r, const char *col, const char *v,
    const char *ve, struct lh_str *out, struct jsonrows_fault *f)
{
	int rv = raw_value(v, ve, 0, &r->textbuf, out);

	return rv != 0 ? raw_fail(r, col, v, ve, rv, f) : 0;
}

struct jsonrows_file *
jsonrows_file_new(struct table_data *d, const char *path, int format,
    size_t size)
{
	struct jsonrows_file *f = xcalloc(1, sizeof *f);
	int t;

	f->d = d;
	f->path = path;
	f->format = format;
	f->size = size;
	for (t = 0; t < LH_NTABLES; t++)
		f->files[t] = UINT32_MAX;
	f->sumfile = UINT32_MAX;
	return f;
}

void
jsonrows_file_free(struct jsonrows_file *f)
{
	free(f);
}

/* The lh_file for this table, made on first use. */
static uint32_t
file_for(struct jsonrows_file *f, enum lh_table t)
{
	if (f->files[t] == UINT32_MAX)
		f->files[t] = table_data_add_file(f->d, f->path, t, f->format,
		    f->size);
	return f->files[t];
}

void
jsonrows_merge(struct jsonrows_file *f, struct jsonrows *r, uint32_t line_base)
{
	struct table_data *d = f->d;
	struct lh_str key[K_N];
	uint32_t fi;
	size_t i, k;
	int t;

	for (t = 0; t < LH_NTABLES; t++) {
		struct table_chunk *c = &r->tc[t];

		if (c->rows == 0)
			continue;
		fi = file_for(f, (enum lh_table)t);
		c->file = fi;
		for (k = 0; k < c->nev; k++)
			c->ev[k].file = fi;
		if (c->bad_ts && f->bad_ts == 0) {
			f->bad_ts_line = line_base + c->bad_ts_line;
			memcpy(f->bad_ts_text, c->bad_ts_text, sizeof f->bad_ts_text);
		}
		f->bad_ts += c->bad_ts;
		table_data_merge(d, c, line_base);
		f->seen[t] |= r->seen[t];
		f->schemaless[t] += r->schemaless[t];
	}
	if (r->nps > 0) {
		if (f->sumfile == UINT32_MAX)
			f->sumfile = table_data_add_file(d, f->path, LH_LOGONS,
			    f->format | LOAD_FMT_SUMMARY, f->size);
		for (i = 0; i < r->nps; i++) {
			for (t = 0; t < K_N; t++) {
				key[t].p = r->ps[i].key[t];
				key[t].n = strlen(r->ps[i].key[t]);
			}
			table_data_add_presummary(d, key, r->ps[i].r.first,
			    r->ps[i].r.last, r->ps[i].r.count, r->ps[i].r.devices);
		}
		d->files[f->sumfile].rows += r->nps;
		if (r->ps_bad_ts && f->ps_bad_ts == 0)
			f->ps_bad_ts_line = line_base + r->ps_bad_ts_line;
		f->ps_bad_ts += r->ps_bad_ts;
	}
}

void
jsonrows_report(struct jsonrows_file *f, enum lh_table hint, uint64_t other,
    const struct load_opts *o)
{
	struct buf b = { 0 };
	size_t s;
	int t;

	/* A file given as one table's export is listed even when empty. */
	if (hint < LH_NTABLES && f->files[hint] == UINT32_MAX &&
	    f->sumfile == UINT32_MAX && other == 0)
		file_for(f, hint);
	if (f->bad_ts)
		load_warn(o, xasprintf("%s:%u: Timestamp \"%s\" is not an ISO 8601 "
		    "timestamp; %llu such Public logon%s counted but not used for "
		    "EarliestEvent/LatestEvent", f->path, f->bad_ts_line,
		    f->bad_ts_text, (unsigned long long)f->bad_ts,
		    f->bad_ts == 1 ? " is" : "s are"));
	if (f->ps_bad_ts)
		load_warn(o, xasprintf("%s:%u: EarliestEvent or LatestEvent is not "
		    "an ISO 8601 timestamp in %llu row%s; such times are left "
		    "empty", f->path, f->ps_bad_ts_line,
		    (unsigned long long)f->ps_bad_ts, f->ps_bad_ts == 1 ? "" : "s"));
	/* Records without a schema may leave columns out; if one never
	 * appears the hunt silently sees it empty, so say so. */
	for (t = 0; t < LH_NTABLES; t++) {
		if (f->schemaless[t] == 0)
			continue;
		buf_reset(&b);
		for (s = 0; s < table_ncols((enum lh_table)t); s++)
			if (!(f->seen[t] & 1u << s))
				buf_addf(&b, "%s%s", b.len ? ", " : "",
				    table_col_name((enum lh_table)t, s));
		if (b.len)
			load_warn(o, xasprintf("%s: no %s record has %s; the hunt "
			    "reads %s as empty", f->path, table_name((enum lh_table)t),
			    b.p, strchr(b.p, ',') ? "them" : "it"));
	}
	buf_free(&b);
}

uint64_t
jsonrows_file_rows(const struct jsonrows_file *f)
{
	uint64_t n = 0;
	int t;

	for (t = 0; t < LH_NTABLES; t++)
		if (f->files[t] != UINT32_MAX)
			n += f->d->files[f->files[t]].rows;
	return n;
}
