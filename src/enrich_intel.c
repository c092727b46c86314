/* Threat intelligence files, told apart by content:
 *   STIX 2.1 bundle   JSON {"type": "bundle", "objects": [...]}: indicators
 *                     whose pattern only compares ipv4-addr:value or
 *                     ipv6-addr:value (= or ISSUBSET, joined by OR);
 *                     valid_from and valid_until bound them in time
 *   Tor exit list     ExitNode / Published / LastStatus / ExitAddress lines
 *   MISP CSV export   a header with uuid/event_id, type and value: the
 *                     ip-src, ip-dst (|port) and domain|ip attributes
 *   CSV               a header naming an address column (ip, address,
 *                     indicator, value, ...)
 *   a plain list      one address or range per line, '#' comments
 * A line or record that should hold an address and does not refuses the
 * file, naming the line: a half-read feed would hide what it misses. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "enrich_int.h"
#include "ts.h"
#include "util.h"

#define MAX_SHOWN 5

struct errs {
	const char *path;
	struct buf b;
	size_t n;
};

static void errs_add(struct errs *e, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
errs_add(struct errs *e, size_t line, const char *fmt, ...)
{
	va_list ap;
	char *m;

	if (e->n++ >= MAX_SHOWN)
		return;
	va_start(ap, fmt);
	m = xvasprintf(fmt, ap);
	va_end(ap);
	if (line)
		buf_addf(&e->b, "%s%s:%zu: %s", e->b.len ? "\n" : "", e->path,
		    line, m);
	else
		buf_addf(&e->b, "%s%s: %s", e->b.len ? "\n" : "", e->path, m);
	free(m);
}

static int
errs_finish(struct errs *e, char **cause)
{
	if (e->n == 0) {
		buf_free(&e->b);
		return 0;
	}
	if (e->n > MAX_SHOWN)
		buf_addf(&e->b, "\n%s: ... and %zu more", e->path, e->n - MAX_SHOWN);
	buf_addf(&e->b, "\n%s: refused: fix or remove the bad entries", e->path);
	*cause = e->b.p;
	return -1;
}

/* A value as text for a message: at most 40 bytes, made safe later. */
#define SHOW(s, n) (int)((n) > 40 ? 40 : (n)), (s)

static void
entry_init(struct intel_entry *en)
{
	memset(en, 0, sizeof *en);
	en->from = en->until = TS_NONE;
	en->name = "";
}

/* ------------------------------------------------------------ lines */

struct lines {
	const char *p, *e;
	size_t no;
};

static void
lines_init(struct lines *l, const char *data, size_t len)
{
	l->p = data;
	l->e = data + len;
	l->no = 0;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		l->p += 3;
}

/* The next line without its end (LF or CRLF); 0 at the end. */
static int
lines_next(struct lines *l, const char **s, size_t *n)
{
	const char *nl;

	if (l->p >= l->e)
		return 0;
	nl = memchr(l->p, '\n', (size_t)(l->e - l->p));
	*s = l->p;
	*n = (size_t)((nl ? nl : l->e) - l->p);
	if (*n > 0 && (*s)[*n - 1] == '\r')
		(*n)--;
	l->p = nl ? nl + 1 : l->e;
	l->no++;
	return 1;
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* ------------------------------------------------------------ plain list */

static int
parse_plain(struct errs *er, const char *data, size_t len, intel_add_fn add,
    void *ctx)
{
	struct lines l;
	struct intel_entry en;
	const char *s, *hash, *why;
	size_t n;

	lines_init(&l, data, len);
	while (lines_next(&l, &s, &n)) {
		if ((hash = memchr(s, '#', n)) != NULL)
			n = (size_t)(hash - s);
		trim(&s, &n);
		if (n == 0)
			continue;
		entry_init(&en);
		if (enrich_parse_net(s, n, &en.addr, &en.pflen, &why) != 0) {
			errs_add(er, l.no, "'%.*s' is not an address or range: %s",
			    SHOW(s, n), why);
			continue;
		}
		add(ctx, &en);
	}
	return 0;
}

/* ------------------------------------------------------------ CSV */

/* One CSV record (RFC 4180: quoted fields may hold commas, quotes and
 * line breaks). Fields are copied unquoted into f->text. */
struct record {
	struct buf text;
	size_t *off, *len;
	size_t n, cap;
	size_t line;		/* where the record starts */
};

static void
record_field_end(struct record *r, size_t start)
{
	r->off = xgrow(r->off, &r->cap, r->n + 1, sizeof *r->off);
	r->len = xrealloc(r->len, r->cap * sizeof *r->len);
	r->off[r->n] = start;
	r->len[r->n] = r->text.len - start;
	r->n++;
}

/* Reads the next record from l; 0 at the end, -1 if a quote never ends. */
static int
record_next(struct lines *l, struct record *r)
{
	const char *p = l->p, *e = l->e;
	size_t start;
	int quoted = 0;

	buf_reset(&r->text);
	r->n = 0;
	if (p >= e)
		return 0;
	r->line = ++l->no;
	start = 0;
	while (p < e) {
		char c = *p++;

		if (quoted) {
			if (c == '"') {
				if (p < e && *p == '"') {
					buf_addc(&r->text, '"');
					p++;
				} else
					quoted = 0;
			} else {
				if (c == '\n')
					l->no++;
				buf_addc(&r->text, c);
			}
			continue;
		}
		if (c == '"')
			quoted = 1;
		else if (c == ',') {
			record_field_end(r, start);
			start = r->text.len;
		} else if (c == '\n')
			break;
		else if (c != '\r' || (p < e && *p != '\n'))
			buf_addc(&r->text, c);
	}
	l->p = p;
	if (quoted)
		return -1;
	record_field_end(r, start);
	return 1;
}

static const char *
field(const struct record *r, size_t i, size_t *n)
{
	if (i >= r->n) {
		*n = 0;
		return "";
	}
	*n = r->len[i];
	return r->text.len ? r->text.p + r->off[i] : "";
}

static long
column_named(const struct record *h, const char *const *names)
{
	size_t i, k, n;
	const char *s;

	for (k = 0; names[k] != NULL; k++)
		for (i = 0; i < h->n; i++) {
			s = field(h, i, &n);
			trim(&s, &n);
			if (n == strlen(names[k]) && strncasecmp(s, names[k], n) == 0)
				return (long)i;
		}
	return -1;
}

static void
record_free(struct record *r)
{
	buf_free(&r->text);
	free(r->off);
	free(r->len);
}

/* The address part of a MISP attribute value, or n = 0 if the type holds
 * none: ip-src, ip-dst, ip-src|port, ip-dst|port, domain|ip. */
static void
misp_address(const char *type, size_t tn, const char **v, size_t *n)
{
	const char *bar = memchr(*v, '|', *n);

	if (tn >= 3 && strncmp(type, "ip-", 3) == 0) {
		if (bar != NULL)
			*n = (size_t)(bar - *v);
	} else if (tn == 9 && memcmp(type, "domain|ip", 9) == 0 && bar != NULL) {
		*n -= (size_t)(bar + 1 - *v);
		*v = bar + 1;
	} else
		*n = 0;
}

static int
parse_csv(struct errs *er, const char *data, size_t len, intel_add_fn add,
    void *ctx, int *misp, size_t *skipped)
{
	static const char *const addr_names[] = { "ip", "ip_address",
		"ipaddress", "ip-address", "address", "addr", "ipv4", "ipv6",
		"ip_addr", "remoteip", "src_ip", "dst_ip", "indicator", "ioc",
		"network", "cidr", "value", NULL };
	static const char *const type_names[] = { "type", NULL };
	static const char *const event_names[] = { "event_id", NULL };
	static const char *const uuid_names[] = { "uuid", NULL };
	struct lines l;
	struct record h = { 0 }, r = { 0 };
	struct intel_entry en;
	long ca, ct, ce;
	const char *v, *t, *ev, *why;
	size_t vn, tn, evn;
	char *name;
	int rc;

	lines_init(&l, data, len);
	if (record_next(&l, &h) != 1) {
		errs_add(er, 1, "a CSV header that does not end");
		record_free(&h);
		return -1;
	}
	ct = column_named(&h, type_names);
	ce = column_named(&h, event_names);
	*misp = ct >= 0 && (ce >= 0 || column_named(&h, uuid_names) >= 0) &&
	    column_named(&h, (const char *const[]){ "value", NULL }) >= 0;
	ca = *misp ? column_named(&h, (const char *const[]){ "value", NULL }) :
	    column_named(&h, addr_names);
	if (ca < 0) {
		errs_add(er, 1, "a CSV header without an address column (one "
		    "named ip, address, indicator, value or the like)");
		record_free(&h);
		return -1;
	}
	while ((rc = record_next(&l, &r)) == 1) {
		if (r.n == 1 && r.len[0] == 0)
			continue;	/* a blank line */
		v = field(&r, (size_t)ca, &vn);
		trim(&v, &vn);
		entry_init(&en);
		if (*misp) {
			t = field(&r, (size_t)ct, &tn);
			misp_address(t, tn, &v, &vn);
			if (vn == 0) {
				(*skipped)++;
				continue;
			}
		}
		if (enrich_parse_net(v, vn, &en.addr, &en.pflen, &why) != 0) {
			errs_add(er, r.line, "'%.*s' is not an address or range: %s",
			    SHOW(v, vn), why);
			continue;
		}
		name = NULL;
		if (*misp && ce >= 0) {
			ev = field(&r, (size_t)ce, &evn);
			name = xasprintf("event %.*s", (int)evn, ev);
			en.name = name;
			en.name_len = strlen(name);
		}
		add(ctx, &en);
		free(name);
	}
	if (rc < 0)
		errs_add(er, r.line, "a quoted field that never ends");
	record_free(&h);
	record_free(&r);
	return 0;
}

/* ------------------------------------------------------------ Tor */

struct tor_node {
	char fp[48];
	int64_t published, last_status;
};

static int
tor_time(const char *s, size_t n, int64_t *t)
{
	trim(&s, &n);
	return ts_parse(s, n, t);
}

static int
parse_tor(struct errs *er, const char *data, size_t len, intel_add_fn add,
    void *ctx)
{
	struct lines l;
	struct tor_node node;
	struct intel_entry en;
	const char *s, *sp, *why;
	size_t n, an;
	int64_t t, lo, hi, margin = (int64_t)INTEL_TOR_MARGIN_SEC * TS_TICKS_PER_SEC;
	char name[64];

	memset(&node, 0, sizeof node);
	node.published = node.last_status = TS_NONE;
	lines_init(&l, data, len);
	while (lines_next(&l, &s, &n)) {
		if (n >= 9 && memcmp(s, "ExitNode ", 9) == 0) {
			memset(&node, 0, sizeof node);
			node.published = node.last_status = TS_NONE;
			s += 9, n -= 9;
			trim(&s, &n);
			snprintf(node.fp, sizeof node.fp, "%.*s",
			    (int)(n < 40 ? n : 40), s);
			for (char *c = node.fp; *c; c++)
				if (!((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'F') ||
				    (*c >= 'a' && *c <= 'f')))
					*c = '?';
		} else if (n >= 10 && memcmp(s, "Published ", 10) == 0) {
			if (tor_time(s + 10, n - 10, &node.published) != 0)
				errs_add(er, l.no, "Published without a time");
		} else if (n >= 11 && memcmp(s, "LastStatus ", 11) == 0) {
			if (tor_time(s + 11, n - 11, &node.last_status) != 0)
				errs_add(er, l.no, "LastStatus without a time");
		} else if (n >= 12 && memcmp(s, "ExitAddress ", 12) == 0) {
			s += 12, n -= 12;
			sp = memchr(s, ' ', n);
			an = sp ? (size_t)(sp - s) : n;
			entry_init(&en);
			if (enrich_parse_net(s, an, &en.addr, &en.pflen, &why) != 0) {
				errs_add(er, l.no, "'%.*s' is not an address: %s",
				    SHOW(s, an), why);
				continue;
			}
			if (sp == NULL || tor_time(sp, n - an, &t) != 0) {
				errs_add(er, l.no, "ExitAddress without the time it "
				    "was seen");
				continue;
			}
			/* The window: every time the relay was seen, widened
			 * by the margin on both sides. */
			lo = hi = t;
			if (node.published != TS_NONE) {
				lo = node.published < lo ? node.published : lo;
				hi = node.published > hi ? node.published : hi;
			}
			if (node.last_status != TS_NONE) {
				lo = node.last_status < lo ? node.last_status : lo;
				hi = node.last_status > hi ? node.last_status : hi;
			}
			en.from = lo - margin;
			en.until = hi + margin + 1;
			snprintf(name, sizeof name, "Tor exit %s",
			    node.fp[0] ? node.fp : "?");
			en.name = name;
			en.name_len = strlen(name);
			add(ctx, &en);
		}
	}
	return 0;
}

static int
looks_like_tor(const char *data, size_t len)
{
	size_t k = len < 4096 ? len : 4096;

	return (k >= 9 && memcmp(data, "ExitNode ", 9) == 0) ||
	    memmem(data, k, "\nExitNode ", 10) != NULL;
}

/* ------------------------------------------------------------ STIX */

static const char *
skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

static int
word_at(const char *p, const char *e, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(e - p) >= n && memcmp(p, w, n) == 0 &&
	    ((size_t)(e - p) == n || !((p[n] >= 'A' && p[n] <= 'Z') ||
	    (p[n] >= 'a' && p[n] <= 'z') || p[n] == '_'));
}

/* Calls got for each address of a pattern that is nothing but address
 * comparisons: [ipv4-addr:value = 'x' OR ipv6-addr:value ISSUBSET 'y']
 * OR [...]. Returns the number of addresses, 0 if the pattern is anything
 * else (other objects, AND, FOLLOWEDBY, qualifiers), -1 with *why if an
 * address does not parse. */
static int
stix_addresses(const char *pat, struct iptrie_addr *a, int *pf, size_t max,
    const char **why)
{
	const char *p = pat, *e = pat + strlen(pat), *q;
	size_t n = 0;

	p = skip_ws(p, e);
	while (p < e) {
		if (*p++ != '[')
			return 0;
		for (;;) {
			p = skip_ws(p, e);
			if (word_at(p, e, "ipv4-addr:value"))
				p += 15;
			else if (word_at(p, e, "ipv6-addr:value"))
				p += 15;
			else
				return 0;
			p = skip_ws(p, e);
			if (p < e && *p == '=')
				p++;
			else if (word_at(p, e, "ISSUBSET"))
				p += 8;
			else
				return 0;
			p = skip_ws(p, e);
			if (p >= e || *p != '\'')
				return 0;
			q = memchr(p + 1, '\'', (size_t)(e - p - 1));
			if (q == NULL || n == max)
				return 0;
			if (enrich_parse_net(p + 1, (size_t)(q - p - 1), &a[n],
			    &pf[n], why) != 0)
				return -1;
			n++;
			p = skip_ws(q + 1, e);
			if (p < e && *p == ']') {
				p++;
				break;
			}
			if (!word_at(p, e, "OR"))
				return 0;
			p += 2;
		}
		p = skip_ws(p, e);
		if (p == e)
			break;
		if (!word_at(p, e, "OR"))
			return 0;
		p = skip_ws(p + 2, e);
	}
	return (int)n;
}

static int
stix_time(const cJSON *o, const char *key, int64_t *t, int *bad)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*t = TS_NONE;
	if (v == NULL)
		return 0;
	if (!cJSON_IsString(v) || ts_parse(v->valuestring,
	    strlen(v->valuestring), t) != 0) {
		*bad = 1;
		return -1;
	}
	return 0;
}

#define STIX_MAX_ADDRS 64

static int
parse_stix(struct errs *er, const char *data, size_t len, intel_add_fn add,
    void *ctx, size_t *skipped)
{
	cJSON *root = cJSON_ParseWithLength(data, len);
	const cJSON *objs, *o, *v;
	const char *type, *pattern, *ptype, *id, *name, *why = NULL;
	struct iptrie_addr a[STIX_MAX_ADDRS];
	int pf[STIX_MAX_ADDRS], k, i, bad;
	struct intel_entry en;
	int64_t from, until;

	v = cJSON_GetObjectItemCaseSensitive(root, "type");
	objs = cJSON_GetObjectItemCaseSensitive(root, "objects");
	if (!cJSON_IsString(v) || strcmp(v->valuestring, "bundle") != 0 ||
	    !cJSON_IsArray(objs)) {
		errs_add(er, 0, root == NULL ? "not valid JSON" : "JSON that is "
		    "not a STIX 2.1 bundle (type \"bundle\" with \"objects\")");
		cJSON_Delete(root);
		return -1;
	}
	cJSON_ArrayForEach(o, objs) {
		v = cJSON_GetObjectItemCaseSensitive(o, "type");
		type = cJSON_IsString(v) ? v->valuestring : "";
		if (strcmp(type, "indicator") != 0)
			continue;
		v = cJSON_GetObjectItemCaseSensitive(o, "id");
		id = cJSON_IsString(v) ? v->valuestring : "(no id)";
		v = cJSON_GetObjectItemCaseSensitive(o, "pattern_type");
		ptype = cJSON_IsString(v) ? v->valuestring : "stix";
		v = cJSON_GetObjectItemCaseSensitive(o, "pattern");
		pattern = cJSON_IsString(v) ? v->valuestring : NULL;
		if (strcmp(ptype, "stix") != 0 || pattern == NULL) {
			(*skipped)++;
			continue;
		}
		k = stix_addresses(pattern, a, pf, STIX_MAX_ADDRS, &why);
		if (k < 0) {
			errs_add(er, 0, "indicator %.*s: %s", SHOW(id, strlen(id)), why);
			continue;
		}
		if (k == 0) {
			(*skipped)++;
			continue;
		}
		bad = 0;
		stix_time(o, "valid_from", &from, &bad);
		stix_time(o, "valid_until", &until, &bad);
		if (bad) {
			errs_add(er, 0, "indicator %.*s: valid_from or valid_until "
			    "is not a timestamp", SHOW(id, strlen(id)));
			continue;
		}
		/* STIX requires valid_until later than valid_from: such an
		 * indicator never holds. */
		if (from != TS_NONE && until != TS_NONE && until <= from) {
			(*skipped)++;
			continue;
		}
		v = cJSON_GetObjectItemCaseSensitive(o, "name");
		name = cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : id;
		for (i = 0; i < k; i++) {
			entry_init(&en);
			en.addr = a[i];
			en.pflen = pf[i];
			en.from = from;
			en.until = until;
			en.name = name;
			en.name_len = strlen(name);
			add(ctx, &en);
		}
	}
	cJSON_Delete(root);
	return 0;
}

/* ------------------------------------------------------------ entry */

static int
first_char(const char *data, size_t len, size_t *at)
{
	size_t i = len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;

	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
	    data[i] == '\n'))
		i++;
	*at = i;
	return i < len ? (unsigned char)data[i] : -1;
}

/* 1 if the first line that is not blank or a comment holds a comma. */
static int
looks_like_csv(const char *data, size_t len)
{
	struct lines l;
	const char *s;
	size_t n;

	lines_init(&l, data, len);
	while (lines_next(&l, &s, &n)) {
		const char *hash = memchr(s, '#', n);

		if (hash != NULL)
			n = (size_t)(hash - s);
		trim(&s, &n);
		if (n == 0)
			continue;
		return memchr(s, ',', n) != NULL;
	}
	return 0;
}

int
intel_parse(const char *path, const char *data, size_t len, intel_add_fn add,
    void *ctx, const char **format, size_t *skipped, char **cause)
{
	struct errs er = { path, { 0 }, 0 };
	size_t at;
	int misp = 0, c;

	*skipped = 0;
	if (memchr(data, '\0', len) != NULL) {
		*cause = xasprintf("%s: binary data, not an intel list (a plain "
		    "list, CSV, STIX 2.1 JSON, or a Tor exit list)", path);
		return -1;
	}
	c = first_char(data, len, &at);
	if (c == '{' || c == '[') {
		*format = "STIX 2.1 bundle";
		parse_stix(&er, data + at, len - at, add, ctx, skipped);
	} else if (looks_like_tor(data, len)) {
		*format = "Tor exit list";
		parse_tor(&er, data, len, add, ctx);
	} else if (looks_like_csv(data, len)) {
		parse_csv(&er, data, len, add, ctx, &misp, skipped);
		*format = misp ? "MISP CSV" : "CSV";
	} else {
		*format = "address list";
		parse_plain(&er, data, len, add, ctx);
	}
	return errs_finish(&er, cause);
}
