/* The enrichment sources and the columns of a hunt's groups. The parsers of
 * each family of files are in enrich_geo.c, enrich_ranges.c and
 * enrich_intel.c. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "enrich_int.h"
#include "filemap.h"
#include "output.h"
#include "ts.h"
#include "util.h"

enum src_kind { SRC_GEOIP, SRC_RANGES, SRC_INTEL };

struct source {
	char *path;
	enum src_kind kind;
	const char *format;	/* static text, or the database type */
	time_t date;		/* build time (GeoIP) or modification time */
	size_t entries, skipped;
};

/* A prefix and its owner; among equal prefixes the highest rank wins, then
 * the one read first. */
struct owner_ent {
	struct iptrie_addr a;
	int pflen, rank;
	uint32_t seq, owner;	/* owner: string id */
};

struct intel_ent {
	struct iptrie_addr a;
	int pflen;
	int64_t from, until;
	uint32_t name;		/* string id, 0 for none */
	uint32_t seq;		/* file order, among equal prefixes */
};

/* One intel file: its entries sorted by prefix; the trie maps an address
 * to the first entry of the longest prefix that holds it, and parent[i]
 * of such a first entry is the first entry of the next shorter prefix
 * of the file holding it (-1 if none), so every entry covering an address
 * is found, not only the most specific. */
struct intel_file {
	const char *base;	/* the file name, into its source's path */
	struct intel_ent *ent;
	size_t n, cap;
	long *parent;
	struct iptrie *t;
};

struct enrich {
	struct strtab *st;
	struct source *src;
	size_t nsrc, capsrc;
	struct geo_db **geo;
	size_t ngeo;
	struct owner_ent *own;
	size_t nown, capown;
	struct iptrie *owners;
	struct intel_file *intel;
	size_t nintel;
	int built;
};

static const char *const col_names[EC_N] = {
	"Country", "ASN", "ASOrg", "Owner", "Intel"
};

const char *
enrich_col_name(enum enrich_col c)
{
	return c < EC_N ? col_names[c] : "";
}

const char *const enrich_geoip_dirs[] = {
	"/usr/share/GeoIP", "/var/lib/GeoIP", "/usr/local/share/GeoIP", NULL
};

/* ------------------------------------------------------------ networks */

int
enrich_parse_net(const char *s, size_t n, struct iptrie_addr *a, int *pflen,
    const char **why)
{
	const char *slash = memchr(s, '/', n);
	size_t an = slash ? (size_t)(slash - s) : n, i;
	int max, pf = 0, bits;

	if (n == 0) {
		*why = "empty";
		return -1;
	}
	if (memchr(s, '%', an) != NULL || iptrie_parse(s, an, a) != 0) {
		*why = "not an IPv4 or IPv6 address";
		return -1;
	}
	max = a->family == IPTRIE_V4 ? 32 : 128;
	if (slash == NULL) {
		*pflen = max;
		return 0;
	}
	/* A mapped address is IPv4 now; its prefix length would be IPv6's. */
	if (a->family == IPTRIE_V4 && memchr(s, ':', an) != NULL) {
		*why = "an IPv4-mapped address with a prefix length";
		return -1;
	}
	if (slash + 1 == s + n || n - an - 1 > 3) {
		*why = "a prefix length that is not a number";
		return -1;
	}
	for (i = an + 1; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			*why = "a prefix length that is not a number";
			return -1;
		}
		pf = pf * 10 + (s[i] - '0');
	}
	if (pf > max) {
		*why = a->family == IPTRIE_V4 ? "a prefix length above 32" :
		    "a prefix length above 128";
		return -1;
	}
	/* Host bits clear, so equal networks compare equal. */
	for (i = 0; i < 16; i++) {
		bits = pf - (int)i * 8;
		if (bits >= 8)
			continue;
		a->a[i] &= bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
	}
	*pflen = pf;
	return 0;
}

/* Byte order is network order: as two big-endian 64-bit halves, the
 * addresses compare as numbers (sorting 100,000 prefixes spent most of
 * its time in memcmp). */
static uint64_t
half(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return __builtin_bswap64(v);
}

static int
net_cmp(const struct iptrie_addr *a, int apf, const struct iptrie_addr *b,
    int bpf)
{
	uint64_t x, y;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if ((x = half(a->a)) != (y = half(b->a)) ||
	    (x = half(a->a + 8)) != (y = half(b->a + 8)))
		return x < y ? -1 : 1;
	return apf < bpf ? -1 : apf > bpf;
}

/* ------------------------------------------------------------ sources */

struct enrich *
enrich_new(void)
{
	struct enrich *e = xcalloc(1, sizeof *e);

	e->st = strtab_new();
	return e;
}

void
enrich_free(struct enrich *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->ngeo; i++)
		geo_close(e->geo[i]);
	free(e->geo);
	for (i = 0; i < e->nintel; i++) {
		free(e->intel[i].ent);
		free(e->intel[i].parent);
		iptrie_free(e->intel[i].t);
	}
	free(e->intel);
	for (i = 0; i < e->nsrc; i++)
		free(e->src[i].path);
	free(e->src);
	free(e->own);
	iptrie_free(e->owners);
	strtab_free(e->st);
	free(e);
}

static struct source *
source_add(struct enrich *e, const char *path, enum src_kind kind,
    const char *format, time_t date)
{
	struct source *s;

	e->src = xgrow(e->src, &e->capsrc, e->nsrc + 1, sizeof *e->src);
	s = &e->src[e->nsrc++];
	memset(s, 0, sizeof *s);
	s->path = xstrdup(path);
	s->kind = kind;
	s->format = format;
	s->date = date;
	e->built = 0;
	return s;
}

/* Maps a list file; a missing, unreadable or damaged gzip file is refused
 * by filemap with its path and reason. */
static int
map_file(const char *path, struct filemap *m, time_t *mtime, char **cause)
{
	struct stat sb;

	if (stat(path, &sb) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		return -1;
	}
	*mtime = sb.st_mtime;
	return filemap_open(m, path, NULL, NULL, cause) == 0 ? 0 : -1;
}

int
enrich_add_geoip(struct enrich *e, const char *path, char **cause)
{
	struct geo_db *g = geo_open(path, cause);

	if (g == NULL)
		return -1;
	e->geo = xrealloc(e->geo, (e->ngeo + 1) * sizeof *e->geo);
	e->geo[e->ngeo++] = g;
	source_add(e, path, SRC_GEOIP, geo_type(g), geo_build_time(g));
	return 0;
}

struct owner_ctx {
	struct enrich *e;
	size_t seq;
};

static int
owner_add(void *ctx, const char *prefix, const char *owner, int rank,
    char **why)
{
	struct owner_ctx *oc = ctx;
	struct enrich *e = oc->e;
	struct owner_ent *o;
	const char *w;

	e->own = xgrow(e->own, &e->capown, e->nown + 1, sizeof *e->own);
	o = &e->own[e->nown];
	if (enrich_parse_net(prefix, strlen(prefix), &o->a, &o->pflen, &w) != 0) {
		*why = xasprintf("'%.40s' is not an address range: %s", prefix, w);
		return -1;
	}
	o->rank = rank;
	o->seq = (uint32_t)e->nown;
	o->owner = strtab_intern(e->st, owner, strlen(owner));
	e->nown++;
	oc->seq++;
	return 0;
}

int
enrich_add_ranges(struct enrich *e, const char *path, char **cause)
{
	struct filemap m;
	struct owner_ctx oc = { e, 0 };
	const char *format = "";
	size_t before = e->nown;
	time_t mtime;
	int rc;

	if (map_file(path, &m, &mtime, cause) != 0)
		return -1;
	rc = ranges_parse(path, m.data, m.size, owner_add, &oc, &format, cause);
	filemap_close(&m);
	if (rc != 0) {
		e->nown = before;	/* all of the file or nothing */
		return -1;
	}
	source_add(e, path, SRC_RANGES, format, mtime)->entries = oc.seq;
	return 0;
}

static void
intel_add(void *ctx, const struct intel_entry *en)
{
	struct enrich *e = ctx;
	struct intel_file *f = &e->intel[e->nintel];
	struct intel_ent *x;

	f->ent = xgrow(f->ent, &f->cap, f->n + 1, sizeof *f->ent);
	x = &f->ent[f->n++];
	x->a = en->addr;
	x->pflen = en->pflen;
	x->from = en->from;
	x->until = en->until;
	x->name = en->name_len ? strtab_intern(e->st, en->name, en->name_len) : 0;
	x->seq = (uint32_t)(f->n - 1);
}

int
enrich_add_intel(struct enrich *e, const char *path, char **cause)
{
	struct filemap m;
	struct intel_file *f;
	struct source *s;
	const char *format = "";
	size_t skipped = 0;
	time_t mtime;
	int rc;

	if (map_file(path, &m, &mtime, cause) != 0)
		return -1;
	e->intel = xrealloc(e->intel, (e->nintel + 1) * sizeof *e->intel);
	f = &e->intel[e->nintel];
	memset(f, 0, sizeof *f);
	rc = intel_parse(path, m.data, m.size, intel_add, e, &format, &skipped,
	    cause);
	filemap_close(&m);
	if (rc != 0) {
		free(f->ent);
		return -1;
	}
	s = source_add(e, path, SRC_INTEL, format, mtime);
	s->entries = f->n;
	s->skipped = skipped;
	f->base = strrchr(s->path, '/') ? strrchr(s->path, '/') + 1 : s->path;
	e->nintel++;
	return 0;
}

static int
mmdb_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".mmdb") == 0;
}

size_t
enrich_add_geoip_dirs(struct enrich *e, const char *const *dirs,
    void (*warn)(void *ctx, const char *msg), void *ctx)
{
	struct dirent **names;
	size_t added = 0, d;
	int n, i;
	char *path, *cause;

	for (d = 0; dirs[d] != NULL; d++) {
		n = scandir(dirs[d], &names, mmdb_name, alphasort);
		if (n < 0)
			continue;
		for (i = 0; i < n; i++) {
			path = xasprintf("%s/%s", dirs[d], names[i]->d_name);
			cause = NULL;
			if (enrich_add_geoip(e, path, &cause) == 0)
				added++;
			else if (warn != NULL)
				warn(ctx, cause);
			free(cause);
			free(path);
			free(names[i]);
		}
		free(names);
	}
	return added;
}

static int
owner_cmp(const void *pa, const void *pb)
{
	const struct owner_ent *a = pa, *b = pb;
	int c = net_cmp(&a->a, a->pflen, &b->a, b->pflen);

	if (c != 0)
		return c;
	if (a->rank != b->rank)
		return a->rank > b->rank ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int
intel_net_cmp(const struct intel_ent *a, const struct intel_ent *b)
{
	return net_cmp(&a->a, a->pflen, &b->a, b->pflen);
}

/* 1 if network a/apf holds b/bpf. */
static int
net_holds(const struct iptrie_addr *a, int apf, const struct iptrie_addr *b,
    int bpf)
{
	int full = apf / 8, rest = apf % 8;

	if (a->family != b->family || apf > bpf)
		return 0;
	if (memcmp(a->a, b->a, (size_t)full) != 0)
		return 0;
	return rest == 0 || ((a->a[full] ^ b->a[full]) &
	    (uint8_t)(0xff << (8 - rest))) == 0;
}

static int
intel_cmp(const void *pa, const void *pb)
{
	const struct intel_ent *a = pa, *b = pb;
	int c = intel_net_cmp(a, b);

	if (c != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void
enrich_build(struct enrich *e)
{
	size_t i, k, w;

	if (e->built)
		return;
	/* Owners: one per prefix, the best ranked. */
	if (e->nown > 0)
		qsort(e->own, e->nown, sizeof *e->own, owner_cmp);
	for (i = w = 0; i < e->nown; i++)
		if (w == 0 || net_cmp(&e->own[w - 1].a, e->own[w - 1].pflen,
		    &e->own[i].a, e->own[i].pflen) != 0)
			e->own[w++] = e->own[i];
	e->nown = w;
	iptrie_free(e->owners);
	e->owners = iptrie_new();
	for (i = 0; i < e->nown; i++)
		iptrie_add(e->owners, &e->own[i].a, e->own[i].pflen, (long)i);
	iptrie_build(e->owners);
	/* Intel: the entries of a prefix side by side, the trie pointing at
	 * the first of them. */
	for (k = 0; k < e->nintel; k++) {
		struct intel_file *f = &e->intel[k];

		long *stack;
		size_t top = 0;

		if (f->n > 0)
			qsort(f->ent, f->n, sizeof *f->ent, intel_cmp);
		iptrie_free(f->t);
		free(f->parent);
		f->t = iptrie_new();
		f->parent = xmalloc((f->n ? f->n : 1) * sizeof *f->parent);
		/* Sorted by address then length, a prefix comes after every
		 * prefix holding it, and the prefixes still open form a chain:
		 * its parent is the innermost of them that holds it. */
		stack = xmalloc((f->n ? f->n : 1) * sizeof *stack);
		for (i = 0; i < f->n; i++) {
			if (i > 0 && intel_net_cmp(&f->ent[i - 1], &f->ent[i]) == 0)
				continue;
			while (top > 0 && !net_holds(&f->ent[stack[top - 1]].a,
			    f->ent[stack[top - 1]].pflen, &f->ent[i].a,
			    f->ent[i].pflen))
				top--;
			f->parent[i] = top > 0 ? stack[top - 1] : -1;
			stack[top++] = (long)i;
			iptrie_add(f->t, &f->ent[i].a, f->ent[i].pflen, (long)i);
		}
		free(stack);
		iptrie_build(f->t);
	}
	e->built = 1;
}

size_t
enrich_source_count(const struct enrich *e)
{
	return e != NULL ? e->nsrc : 0;
}

unsigned
enrich_columns(const struct enrich *e)
{
	unsigned c = 0;

	if (e == NULL)
		return 0;
	if (e->ngeo)
		c |= 1u << EC_COUNTRY | 1u << EC_ASN | 1u << EC_ASORG;
	if (e->nown)
		c |= 1u << EC_OWNER;
	if (e->nintel)
		c |= 1u << EC_INTEL;
	return c;
}

void
enrich_describe(struct buf *b, const struct enrich *e, time_t now)
{
	static const char *const kinds[] = { "geoip", "ranges", "intel" };
	const struct source *s;
	char date[11];
	struct tm tm;
	long days;
	size_t i;

	for (i = 0; e != NULL && i < e->nsrc; i++) {
		s = &e->src[i];
		gmtime_r(&s->date, &tm);
		strftime(date, sizeof date, "%Y-%m-%d", &tm);
		days = s->date <= now ? (long)((now - s->date) / 86400) : 0;
		buf_addf(b, "%-6s %s: %s", kinds[s->kind], s->path,
		    s->format ? s->format : "?");
		if (s->kind == SRC_RANGES)
			buf_addf(b, ", %zu prefixes", s->entries);
		else if (s->kind == SRC_INTEL) {
			buf_addf(b, ", %zu address%s", s->entries,
			    s->entries == 1 ? "" : "es");
			if (s->skipped)
				buf_addf(b, " (%zu other record%s passed over)",
				    s->skipped, s->skipped == 1 ? "" : "s");
		}
		buf_addf(b, ", %s %s, %ld day%s old\n", s->kind == SRC_GEOIP ?
		    "built" : "file dated", date, days, days == 1 ? "" : "s");
	}
}

void
enrich_warnings(const struct enrich *e, void (*warn)(void *ctx,
    const char *msg), void *ctx)
{
	size_t i;

	for (i = 0; e != NULL && i < e->ngeo; i++)
		if (geo_error(e->geo[i]) != NULL)
			warn(ctx, geo_error(e->geo[i]));
}

/* ------------------------------------------------------------ lookups */

struct ipinfo {
	char country[4];
	uint32_t asn, asorg, owner;
};

static void
lookup_addr(struct enrich *e, const struct iptrie_addr *a, struct ipinfo *out)
{
	size_t i;
	long o;

	memset(out, 0, sizeof *out);
	for (i = 0; i < e->ngeo; i++)
		geo_lookup(e->geo[i], a, e->st, out->country, &out->asn,
		    &out->asorg);
	if (e->nown && (o = iptrie_lookup(e->owners, a)) >= 0)
		out->owner = e->own[o].owner;
}

void
enrich_lookup(struct enrich *e, const char *ip, size_t n, struct enrich_ip *out)
{
	struct iptrie_addr a;
	struct ipinfo in;

	memset(out, 0, sizeof *out);
	out->asorg = out->owner = "";
	if (iptrie_parse(ip, n, &a) != 0)
		return;
	enrich_build(e);
	lookup_addr(e, &a, &in);
	memcpy(out->country, in.country, sizeof out->country);
	out->asn = in.asn;
	out->asorg = strtab_str(e->st, in.asorg);
	out->owner = strtab_str(e->st, in.owner);
}

void
enrich_ipinfo(void *ctx, const char *ip, size_t n, uint32_t *asn,
    const char **owner, size_t *owner_len)
{
	struct enrich_ip in;

	enrich_lookup(ctx, ip, n, &in);
	*asn = in.asn;
	*owner = in.owner;
	*owner_len = strlen(in.owner);
}

struct enrich_view {
	struct enrich *e;
	struct ipinfo *info;	/* per group */
	uint32_t *intel;	/* per group: string id of the Intel text */
	size_t ng;
};

/* 1 if an event of g still in the summary falls in [from, until). */
static int
group_in_window(const struct hunt *h, const struct lh_group *g, int64_t from,
    int64_t until)
{
	uint32_t k, ev;
	int64_t t;

	if (from == TS_NONE && until == TS_NONE)
		return 1;
	if (g->ev_n == 0) {
		/* A loaded summary has no events: its first and last. */
		if (g->first == TS_NONE)
			return 0;
		return (until == TS_NONE || g->first < until) &&
		    (from == TS_NONE || g->last >= from);
	}
	for (k = 0; k < g->ev_n; k++) {
		ev = h->order[g->ev_off + k];
		t = h->d->ev[ev].ts;
		if (t == TS_NONE || !hunt_event_kept(h, ev))
			continue;
		if ((from == TS_NONE || t >= from) && (until == TS_NONE || t < until))
			return 1;
	}
	return 0;
}

#define INTEL_NAMES_SHOWN 3

/* Distinct entry names of one file's hits, in the order met. */
struct names {
	uint32_t *id;
	size_t n, cap;
};

/* Walks the entries of f holding the address, from the prefix at first
 * out to the shortest; 1 if one holds in the group's time. */
static int
intel_hits(const struct intel_file *f, long first, const struct hunt *h,
    const struct lh_group *g, struct names *nm)
{
	const struct intel_ent *x;
	size_t i, j;
	int hit = 0;

	nm->n = 0;
	for (; first >= 0; first = f->parent[first]) {
		for (i = (size_t)first; i < f->n && (i == (size_t)first ||
		    intel_net_cmp(&f->ent[first], &f->ent[i]) == 0); i++) {
			x = &f->ent[i];
			if (!group_in_window(h, g, x->from, x->until))
				continue;
			hit = 1;
			for (j = 0; j < nm->n && nm->id[j] != x->name; j++)
				;
			if (x->name == 0 || j < nm->n)
				continue;
			nm->id = xgrow(nm->id, &nm->cap, nm->n + 1, sizeof *nm->id);
			nm->id[nm->n++] = x->name;
		}
	}
	return hit;
}

/* The Intel text of group g: per file with a hit in the group's time, the
 * file's name and the first indicators' names. firsts[k] is the longest
 * prefix of file k holding the group's address, or -1. */
static uint32_t
intel_text(struct enrich *e, const struct hunt *h, const struct lh_group *g,
    const long *firsts, struct buf *b, struct names *nm)
{
	size_t k, j;

	buf_reset(b);
	for (k = 0; k < e->nintel; k++) {
		if (firsts[k] < 0 || !intel_hits(&e->intel[k], firsts[k], h, g, nm))
			continue;
		buf_addf(b, "%s%s", b->len ? "; " : "", e->intel[k].base);
		for (j = 0; j < nm->n && j < INTEL_NAMES_SHOWN; j++)
			buf_addf(b, "%s%s", j ? ", " : ": ", strtab_str(e->st,
			    nm->id[j]));
		if (nm->n > INTEL_NAMES_SHOWN)
			buf_addf(b, " and %zu more", nm->n - INTEL_NAMES_SHOWN);
	}
	return b->len ? strtab_intern(e->st, b->p, b->len) : 0;
}

struct enrich_view *
enrich_hunt(struct enrich *e, const struct hunt *h)
{
	struct enrich_view *v = xcalloc(1, sizeof *v);
	uint32_t nstr = strtab_count(h->d->st), *slot, ip;
	struct ipinfo *cache = NULL;
	long *firsts = NULL;	/* per cache entry, per intel file */
	size_t ncache = 0, capcache = 0, capfirsts = 0, i, k, ni = e->nintel;
	struct iptrie_addr a;
	struct buf b = { 0 };
	struct names nm = { 0 };
	const struct lh_group *g;

	enrich_build(e);
	v->e = e;
	v->ng = h->ng;
	v->info = xcalloc(h->ng ? h->ng : 1, sizeof *v->info);
	v->intel = xcalloc(h->ng ? h->ng : 1, sizeof *v->intel);
	/* One lookup per distinct address: slot[id] is 1 + its cache index. */
	slot = xcalloc(nstr ? nstr : 1, sizeof *slot);
	for (i = 0; i < h->ng; i++) {
		g = &h->g[i];
		ip = g->key[K_REMOTEIP];
		if (ip >= nstr)
			continue;
		if (slot[ip] == 0) {
			cache = xgrow(cache, &capcache, ncache + 1, sizeof *cache);
			if (ni)
				firsts = xgrow(firsts, &capfirsts, (ncache + 1) * ni,
				    sizeof *firsts);
			for (k = 0; k < ni; k++)
				firsts[ncache * ni + k] = -1;
			memset(&cache[ncache], 0, sizeof *cache);
			if (iptrie_parse(strtab_str(h->d->st, ip),
			    strtab_len(h->d->st, ip), &a) == 0) {
				lookup_addr(e, &a, &cache[ncache]);
				for (k = 0; k < ni; k++)
					firsts[ncache * ni + k] =
					    iptrie_lookup(e->intel[k].t, &a);
			}
			slot[ip] = (uint32_t)++ncache;
		}
		v->info[i] = cache[slot[ip] - 1];
		if (ni)
			v->intel[i] = intel_text(e, h, g,
			    &firsts[(slot[ip] - 1) * ni], &b, &nm);
	}
	buf_free(&b);
	free(nm.id);
	free(cache);
	free(firsts);
	free(slot);
	return v;
}

void
enrich_view_free(struct enrich_view *v)
{
	if (v == NULL)
		return;
	free(v->info);
	free(v->intel);
	free(v);
}

const char *
enrich_cell(const struct enrich_view *v, uint32_t g, enum enrich_col c,
    char *buf, size_t *len)
{
	const struct ipinfo *in;
	uint32_t id;

	*len = 0;
	if (v == NULL || g >= v->ng)
		return "";
	in = &v->info[g];
	switch (c) {
	case EC_COUNTRY:
		*len = strlen(in->country);
		return in->country;
	case EC_ASN:
		if (in->asn == 0)
			return "";
		*len = (size_t)snprintf(buf, TS_BUFSZ, "%" PRIu32, in->asn);
		return buf;
	case EC_ASORG:
		id = in->asorg;
		break;
	case EC_OWNER:
		id = in->owner;
		break;
	case EC_INTEL:
		id = v->intel[g];
		break;
	default:
		return "";
	}
	*len = strtab_len(v->e->st, id);
	return strtab_str(v->e->st, id);
}

static const char *
extra_name(void *ctx, size_t col)
{
	return enrich_col_name((enum enrich_col)col);
}

static const char *
extra_cell(void *ctx, uint32_t g, size_t col, char *buf, size_t *len)
{
	return enrich_cell(ctx, g, (enum enrich_col)col, buf, len);
}

void
enrich_out_extra(struct enrich_view *v, struct out_extra *x)
{
	x->ncols = EC_N;
	x->name = extra_name;
	x->cell = extra_cell;
	x->ctx = v;
}

int
enrich_has_intel(const struct enrich_view *v, uint32_t g)
{
	return v != NULL && g < v->ng && v->intel[g] != 0;
}

int
enrich_cmp(const struct enrich_view *v, uint32_t a, uint32_t b,
    enum enrich_col c, int desc)
{
	char ba[TS_BUFSZ], bb[TS_BUFSZ];
	const char *sa, *sb;
	size_t la, lb;
	int r;

	if (c == EC_ASN) {
		uint32_t x = v->info[a].asn, y = v->info[b].asn;

		if (x == y)
			return 0;
		if (x == 0 || y == 0)
			return x == 0 ? 1 : -1;
		r = x < y ? -1 : 1;
		return desc ? -r : r;
	}
	sa = enrich_cell(v, a, c, ba, &la);
	sb = enrich_cell(v, b, c, bb, &lb);
	if (la == 0 || lb == 0)
		return la == lb ? 0 : la == 0 ? 1 : -1;
	r = memcmp(sa, sb, la < lb ? la : lb);
	if (r == 0)
		r = la < lb ? -1 : la > lb;
	return desc ? -r : r;
}

/* The value of column c for group g, as a key: a string id of the
 * enrichment's table (the ASN's text interned). */
static uint32_t
freq_key(const struct enrich_view *v, uint32_t g, enum enrich_col c)
{
	char buf[TS_BUFSZ];
	const char *s;
	size_t n;

	s = enrich_cell(v, g, c, buf, &n);
	return strtab_intern(v->e->st, s, n);
}

static int
freq_cmp(const void *pa, const void *pb)
{
	const struct enrich_freq *a = pa, *b = pb;

	if (a->groups != b->groups)
		return a->groups > b->groups ? -1 : 1;
	if (a->events != b->events)
		return a->events > b->events ? -1 : 1;
	return strcmp(a->value, b->value);
}

size_t
enrich_freq(const struct enrich_view *v, const struct hunt *h,
    enum enrich_col c, struct enrich_freq **out)
{
	uint32_t nkeys, *row, key, dev, k, ev;
	uint32_t ndev = strtab_count(h->d->st);
	uint32_t *seen;		/* per device id: 1 + the row it was counted in */
	struct enrich_freq *f = NULL;
	size_t n = 0, cap = 0, i, m, shown = 0, *start;
	uint32_t *order;

	*out = NULL;
	if (v == NULL)
		return 0;
	/* Intern every value first: then the table's ids stay put. */
	for (i = 0; i < h->ng; i++)
		if (h->g[i].count != 0)
			freq_key(v, (uint32_t)i, c);
	nkeys = strtab_count(v->e->st);
	row = xmalloc(nkeys * sizeof *row);
	for (k = 0; k < nkeys; k++)
		row[k] = UINT32_MAX;
	/* Groups in order of their value, so a machine is counted once per
	 * value with one stamp array. */
	order = xmalloc((h->ng ? h->ng : 1) * sizeof *order);
	for (i = 0; i < h->ng; i++) {
		if (h->g[i].count == 0)
			continue;
		key = freq_key(v, (uint32_t)i, c);
		if (row[key] == UINT32_MAX) {
			f = xgrow(f, &cap, n + 1, sizeof *f);
			memset(&f[n], 0, sizeof f[n]);
			f[n].value = strtab_str(v->e->st, key);
			f[n].label = c == EC_ASN ? strtab_str(v->e->st,
			    v->info[i].asorg) : "";
			row[key] = (uint32_t)n++;
		}
		f[row[key]].groups++;
		f[row[key]].events += h->g[i].count;
		shown++;
	}
	/* The groups by row (a counting sort), so that seen[dev], the last
	 * row that counted a machine, tells whether this row has it. */
	start = xcalloc(n + 1, sizeof *start);
	for (i = 0; i < h->ng; i++)
		if (h->g[i].count != 0)
			start[row[freq_key(v, (uint32_t)i, c)] + 1]++;
	for (k = 0; k < n; k++)
		start[k + 1] += start[k];
	for (i = 0; i < h->ng; i++)
		if (h->g[i].count != 0)
			order[start[row[freq_key(v, (uint32_t)i, c)]]++] = (uint32_t)i;
	free(start);
	seen = xcalloc(ndev ? ndev : 1, sizeof *seen);
	for (m = 0; m < shown; m++) {
		const struct lh_group *g = &h->g[order[m]];
		uint32_t r = row[freq_key(v, order[m], c)];

		for (k = 0; k < g->ev_n; k++) {
			ev = h->order[g->ev_off + k];
			if (!hunt_event_kept(h, ev))
				continue;
			dev = table_event_device_id(h->d, &h->d->ev[ev]);
			if (seen[dev] == r + 1)
				continue;
			seen[dev] = r + 1;
			f[r].machines++;
		}
	}
	free(seen);
	free(order);
	free(row);
	qsort(f, n, sizeof *f, freq_cmp);
	*out = f;
	return n;
}

void
enrich_describe_short(struct buf *b, const struct enrich *e, time_t now)
{
	const struct source *s;
	const char *base;
	size_t i;

	for (i = 0; e != NULL && i < e->nsrc; i++) {
		s = &e->src[i];
		base = strrchr(s->path, '/') ? strrchr(s->path, '/') + 1 : s->path;
		buf_addf(b, "%s%s %ld d", i ? ", " : "", base,
		    s->date <= now ? (long)((now - s->date) / 86400) : 0L);
	}
}
