#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "ts.h"

struct col {
	const char *name;
	const char *alt;	/* another spelling seen in real exports */
};

static const struct col logon_cols[LC_N] = {
	[LC_TIMESTAMP] = { "Timestamp", NULL },
	[LC_DEVICEID] = { "DeviceId", NULL },
	[LC_DEVICENAME] = { "DeviceName", NULL },
	[LC_ACTIONTYPE] = { "ActionType", NULL },
	[LC_LOGONTYPE] = { "LogonType", NULL },
	[LC_ACCOUNTDOMAIN] = { "AccountDomain", NULL },
	[LC_ACCOUNTNAME] = { "AccountName", NULL },
	[LC_REMOTEIP] = { "RemoteIP", NULL },
	[LC_REMOTEIPTYPE] = { "RemoteIPType", NULL },
};
static const struct col network_cols[NC_N] = {
	[NC_IPADDRESSES] = { "IPAddresses", NULL },
};
/* The streaming API spells the identity table's ISP column "Isp". */
static const struct col identity_cols[IC_N] = {
	[IC_IPADDRESS] = { "IPAddress", NULL },
	[IC_ISP] = { "ISP", "Isp" },
};

static const struct {
	const char *name;
	const struct col *cols;
	size_t ncols;
} tables[LH_NTABLES] = {
	[LH_LOGONS] = { "DeviceLogonEvents", logon_cols, LC_N },
	[LH_NETWORK] = { "DeviceNetworkInfo", network_cols, NC_N },
	[LH_IDENTITY] = { "IdentityLogonEvents", identity_cols, IC_N },
};

const char *
table_name(enum lh_table t)
{
	return tables[t].name;
}

size_t
table_ncols(enum lh_table t)
{
	return tables[t].ncols;
}

const char *
table_col_name(enum lh_table t, size_t slot)
{
	return tables[t].cols[slot].name;
}

static int
name_is(const char *want, const char *name, size_t n)
{
	return want != NULL && strlen(want) == n && memcmp(want, name, n) == 0;
}

int
table_col_slot(enum lh_table t, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < tables[t].ncols; i++)
		if (name_is(tables[t].cols[i].name, name, n) ||
		    name_is(tables[t].cols[i].alt, name, n))
			return (int)i;
	return -1;
}

struct table_data *
table_data_new(void)
{
	struct table_data *d = xcalloc(1, sizeof *d);

	d->st = strtab_new();
	d->devices = tuptab_new(DEV_N);
	d->newest = TS_NONE;
	return d;
}

void
table_data_sum(struct table_data *d, const struct table_sum *s)
{
	d->summed = 1;
	d->sum = *s;
}

uint64_t
table_data_logons(const struct table_data *d)
{
	uint64_t n = d->window_out;
	size_t i;

	if (!d->summed)
		return d->nev;
	for (i = 0; i < d->nev; i++)
		n += d->ev[i].n;
	return n;
}

void
table_data_forget_events(struct table_data *d)
{
	free(d->ev);
	d->ev = NULL;
	d->nev = d->capev = 0;
	table_data_loaded(d);
}

void
table_data_loaded(struct table_data *d)
{
	free(d->sum_slots);
	d->sum_slots = NULL;
	d->sum_nslots = 0;
}

void
table_data_free(struct table_data *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nfiles; i++)
		free(d->files[i].path);
	free(d->files);
	free(d->ev);
	free(d->sum_slots);
	free(d->ipflags);
	free(d->presum);
	strtab_free(d->st);
	tuptab_free(d->devices);
	free(d);
}

uint32_t
table_data_add_file(struct table_data *d, const char *path, enum lh_table t,
    int format, uint64_t size)
{
	struct lh_file *f;

	d->files = xgrow(d->files, &d->capfiles, d->nfiles + 1, sizeof *d->files);
	f = &d->files[d->nfiles];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	f->table = t;
	f->format = format;
	f->size = size;
	return (uint32_t)d->nfiles++;
}

void
table_chunk_init(struct table_chunk *c, enum lh_table t, uint32_t file)
{
	memset(c, 0, sizeof *c);
	c->table = t;
	c->file = file;
	c->st = strtab_new();
	c->devices = tuptab_new(DEV_N);
}

void
table_chunk_free(struct table_chunk *c)
{
	strtab_free(c->st);
	tuptab_free(c->devices);
	free(c->ev);
	free(c->ips);
	free(c->sum_slots);
	buf_free(&c->scratch);
	memset(c, 0, sizeof *c);
}

#define SUM_SLOTS_MIN 1024

static uint64_t
sum_hash(const struct lh_event *e)
{
	uint32_t t[K_N + 1];

	memcpy(t, e->key, sizeof e->key);
	t[K_N] = e->device;
	return util_hash_ids(t, K_N + 1);
}

/* Sums looked up or indexed together: their slots are asked for at once,
 * so that their misses overlap (a million sums outgrow the caches). */
#define SUM_BATCH 16

/* An index of sums: per slot, ev index + 1 or 0, open addressing. */
static uint32_t *
sum_index(const struct lh_event *ev, size_t nev, size_t nslots)
{
	uint32_t *slots = xcalloc(nslots, sizeof *slots);
	uint64_t h[SUM_BATCH];
	size_t i, j, k, m, mask = nslots - 1;

	util_hugepages(slots, nslots * sizeof *slots);

	for (k = 0; k < nev; k += m) {
		m = nev - k < SUM_BATCH ? nev - k : SUM_BATCH;
		for (i = 0; i < m; i++) {
			h[i] = sum_hash(&ev[k + i]);
			__builtin_prefetch(&slots[h[i] & mask], 1);
		}
		for (i = 0; i < m; i++) {
			for (j = h[i] & mask; slots[j]; j = (j + 1) & mask)
				;
			slots[j] = (uint32_t)(k + i) + 1;
		}
	}
	return slots;
}

static void
sum_rehash(struct table_chunk *c, size_t nslots)
{
	free(c->sum_slots);
	c->sum_slots = sum_index(c->ev, c->nfold, nslots);
	c->sum_nslots = nslots;
}

void
table_chunk_sum(struct table_chunk *c, const struct table_data *d)
{
	if (!d->summed || c->table != LH_LOGONS)
		return;
	c->summed = 1;
	c->sum = d->sum;
	c->newest = TS_NONE;
	c->nfold = c->nev;
	sum_rehash(c, SUM_SLOTS_MIN);
}

/* 1 if the hunt's time window leaves out a logon of time ts (one without
 * a time whenever there is a window), as hunt_run would. */
static int
sum_outside(const struct table_sum *s, int64_t ts)
{
	return (s->from != TS_NONE || s->until != TS_NONE) &&
	    (ts == TS_NONE || (s->from != TS_NONE && ts < s->from) ||
	    (s->until != TS_NONE && ts > s->until));
}

/* Adds n logons from first to last (TS_NONE: none had a time) to a sum. */
static void
sum_add(struct lh_event *p, int64_t first, int64_t last, uint64_t n)
{
	p->n = p->n > UINT64_MAX - n ? UINT64_MAX : p->n + n;
	if (first != TS_NONE && (p->ts == TS_NONE || first < p->ts))
		p->ts = first;
	if (last != TS_NONE && (p->last == TS_NONE || last > p->last))
		p->last = last;
}

static int64_t
newer(int64_t a, int64_t b)
{
	return b != TS_NONE && (a == TS_NONE || b > a) ? b : a;
}

/* Folds the logons added since the last fold (ev[nfold .. nev)), in
 * order, into the sums of their keys and device, or makes each the first
 * of a new one: the same sums, in the same order, as folding each as it
 * came. Their slots are asked for first, then the sums those slots name:
 * the misses of the batch overlap instead of following one another. */
static void
chunk_fold(struct table_chunk *c)
{
	uint64_t h[SUM_BATCH];
	size_t i, j, k, m = c->nev - c->nfold, mask = c->sum_nslots - 1;
	struct lh_event e, *p;
	uint32_t s;

	for (i = 0; i < m; i++) {
		h[i] = sum_hash(&c->ev[c->nfold + i]);
		__builtin_prefetch(&c->sum_slots[h[i] & mask]);
	}
	for (i = 0; i < m; i++)
		if ((s = c->sum_slots[h[i] & mask]) != 0)
			__builtin_prefetch(&c->ev[s - 1]);
	/* Each sum added goes to ev[nfold], never past the logon being
	 * folded: the logons still waiting stay where they are. */
	for (i = 0, k = c->nfold; i < m; i++, k++) {
		e = c->ev[k];
		c->newest = newer(c->newest, e.ts);
		if (sum_outside(&c->sum, e.ts)) {
			c->window_out++;
			continue;
		}
		mask = c->sum_nslots - 1;
		for (j = h[i] & mask; c->sum_slots[j]; j = (j + 1) & mask) {
			p = &c->ev[c->sum_slots[j] - 1];
			if (p->device == e.device &&
			    memcmp(p->key, e.key, sizeof e.key) == 0) {
				sum_add(p, e.ts, e.ts, 1);
				break;
			}
		}
		if (c->sum_slots[j] != 0)
			continue;
		e.last = e.ts;
		e.n = 1;
		c->ev[c->nfold++] = e;
		c->sum_slots[j] = (uint32_t)c->nfold;
		if (c->nfold * 2 > c->sum_nslots)
			sum_rehash(c, c->sum_nslots * 2);
	}
	c->nev = c->nfold;
}

static void
chunk_add_ip(struct table_chunk *c, const char *ip, size_t n, unsigned flag)
{
	c->ips = xgrow(c->ips, &c->capips, c->nips + 1, sizeof *c->ips);
	c->ips[c->nips++] = strtab_intern(c->st, ip, n) << 3 | flag;
}

static void
add_device_ip(void *ctx, const char *ip, size_t n)
{
	chunk_add_ip(ctx, ip, n, IPF_DEVICE);
}

/* tostring() of a dynamic value: strings as they are, null as empty,
 * everything else as its compact JSON text. */
static void
expand_tostring(const cJSON *v, void (*add)(void *, const char *, size_t),
    void *ctx)
{
	char *text;

	if (v == NULL || cJSON_IsNull(v)) {
		add(ctx, "", 0);
	} else if (cJSON_IsString(v)) {
		add(ctx, v->valuestring, strlen(v->valuestring));
	} else {
		text = cJSON_PrintUnformatted(v);
		if (text == NULL) {
			add(ctx, "", 0);
			return;
		}
		add(ctx, text, strlen(text));
		cJSON_free(text);
	}
}

void
table_expand_ipaddresses(const char *json, size_t n,
    void (*add)(void *ctx, const char *ip, size_t len), void *ctx)
{
	cJSON *root = cJSON_ParseWithLength(json, n);
	const cJSON *el;

	/* mvexpand splits a property bag into one-member bags (none for
	 * {}): only the IPAddress member has an .IPAddress. */
	if (root != NULL && cJSON_IsObject(root)) {
		cJSON_ArrayForEach(el, root) {
			if (strcmp(el->string, "IPAddress") == 0)
				expand_tostring(el, add, ctx);
			else
				add(ctx, "", 0);
		}
		cJSON_Delete(root);
		return;
	}
	/* Anything else but an array yields the value itself once; the
	 * .IPAddress of a non-object is null, and tostring(null) is "". */
	if (root == NULL || !cJSON_IsArray(root)) {
		add(ctx, "", 0);
		cJSON_Delete(root);
		return;
	}
	cJSON_ArrayForEach(el, root) {
		if (cJSON_IsObject(el))
			expand_tostring(cJSON_GetObjectItemCaseSensitive(el,
			    "IPAddress"), add, ctx);
		else
			add(ctx, "", 0);
	}
	cJSON_Delete(root);
}

static int
str_eq(const struct lh_str *s, const char *lit)
{
	size_t n = strlen(lit);
	return s->n == n && memcmp(s->p, lit, n) == 0;
}

/* The ActionType values DeviceLogonEvents has. */
static int
is_logon_action(const struct lh_str *a)
{
	return str_eq(a, "LogonSuccess") || str_eq(a, "LogonFailed") ||
	    str_eq(a, "LogonAttempted");
}

/* The start of a value for a message: escaped, and cut to fit out only
 * between whole escapes and whole UTF-8 sequences, so the cut can neither
 * leave half an escape ("\x0") nor a stray byte for the terminal. */
static void
escaped_prefix(char *out, size_t size, const struct lh_str *v)
{
	struct buf esc = { 0 };
	size_t i = 0, step;
	unsigned char c;

	buf_add_escaped(&esc, v->p, v->n < 32 ? v->n : 32);
	while (i < esc.len) {
		c = (unsigned char)esc.p[i];
		if (c == '\\')
			step = esc.p[i + 1] == 'x' ? 4 : esc.p[i + 1] == 'u' ? 6 : 2;
		else
			step = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		if (i + step >= size)
			break;
		i += step;
	}
	if (i)
		memcpy(out, esc.p, i);
	out[i] = '\0';
	buf_free(&esc);
}

int
table_relevance(enum lh_table t, const char **value)
{
	if (t != LH_LOGONS)
		return -1;
	*value = "Public";
	return LC_REMOTEIPTYPE;
}

int
table_row_relevant(enum lh_table t, const struct lh_str *v)
{
	const char *value;
	int s = table_relevance(t, &value);

	return s < 0 || str_eq(&v[s], value);
}

void
table_chunk_row(struct table_chunk *c, const struct lh_str *v,
    uint64_t offset, uint32_t line)
{
	struct lh_event *e;
	struct lh_str str[7];
	uint32_t dev[DEV_N], id[7];

	c->rows++;
	switch (c->table) {
	case LH_LOGONS:
		if (!str_eq(&v[LC_REMOTEIPTYPE], "Public"))
			return;
		if (!is_logon_action(&v[LC_ACTIONTYPE]) && c->odd_action++ == 0) {
			c->odd_action_line = line;
			escaped_prefix(c->odd_action_text, sizeof c->odd_action_text,
			    &v[LC_ACTIONTYPE]);
		}
		if (c->nev == c->capev) {
			/* Sums are looked up at random: huge pages. */
			c->ev = xgrow(c->ev, &c->capev, c->nev + 1, sizeof *c->ev);
			util_hugepages(c->ev, c->capev * sizeof *c->ev);
		}
		e = &c->ev[c->nev++];
		if (v[LC_TIMESTAMP].n == 0) {
			e->ts = TS_NONE;
		} else if (ts_parse(v[LC_TIMESTAMP].p, v[LC_TIMESTAMP].n, &e->ts) != 0) {
			e->ts = TS_NONE;
			if (c->bad_ts++ == 0) {
				c->bad_ts_line = line;
				escaped_prefix(c->bad_ts_text, sizeof c->bad_ts_text,
				    &v[LC_TIMESTAMP]);
			}
		}
		e->offset = offset;
		e->line = line;
		e->file = c->file;
		/* The seven strings in one call, in the order that gives
		 * each its id: their lookups wait for memory together. */
		str[0] = v[LC_ACCOUNTDOMAIN];
		str[1] = v[LC_ACCOUNTNAME];
		str[2] = v[LC_LOGONTYPE];
		str[3] = v[LC_REMOTEIP];
		str[4] = v[LC_ACTIONTYPE];
		str[5] = v[LC_DEVICEID];
		str[6] = v[LC_DEVICENAME];
		strtab_intern_many(c->st, str, 7, id);
		e->key[K_DOMAIN] = id[0];
		e->key[K_NAME] = id[1];
		e->key[K_LOGONTYPE] = id[2];
		e->key[K_REMOTEIP] = id[3];
		e->key[K_ACTIONTYPE] = id[4];
		dev[DEV_ID] = id[5];
		dev[DEV_NAME] = id[6];
		e->device = tuptab_intern(c->devices, dev);
		if (c->summed && c->nev - c->nfold == SUM_BATCH)
			chunk_fold(c);
		break;
	case LH_NETWORK:
		table_expand_ipaddresses(v[NC_IPADDRESSES].p, v[NC_IPADDRESSES].n,
		    add_device_ip, c);
		break;
	case LH_IDENTITY:
		chunk_add_ip(c, v[IC_IPADDRESS].p, v[IC_IPADDRESS].n,
		    str_eq(&v[IC_ISP], "INTERNAL_NETWORK") ? IPF_IDENT_INTERNAL
		    : IPF_IDENT_OTHER);
		break;
	case LH_NTABLES:
		break;
	}
}

/* A merged chunk of at least this many strings hands the memory it freed
 * back at once: glibc keeps it in the loading thread's arena otherwise. */
#define TRIM_STRINGS 65536

/* ipflags covers every string id; new entries start clear. */
static void
flags_cover(struct table_data *d, size_t n)
{
	size_t old = d->capflags;

	if (n <= old)
		return;
	d->ipflags = xgrow(d->ipflags, &d->capflags, n, 1);
	memset(d->ipflags + old, 0, d->capflags - old);
}

/* The chunk's entries as sums, as d keeps them: a chunk that kept each
 * logon (a JSON file's) is summed now, one entry per logon, its window
 * applied. */
static void
merge_sums(struct table_data *d, struct table_chunk *c)
{
	size_t k, n = 0;
	struct lh_event *e;

	if (c->summed) {
		d->window_out += c->window_out;
		d->newest = newer(d->newest, c->newest);
		return;
	}
	for (k = 0; k < c->nev; k++) {
		e = &c->ev[k];
		d->newest = newer(d->newest, e->ts);
		if (sum_outside(&d->sum, e->ts)) {
			d->window_out++;
			continue;
		}
		e->last = e->ts;
		e->n = 1;
		c->ev[n++] = *e;
	}
	c->nev = n;
}

/* d's entry for (keys, device) as e, or where its slot goes (*slot). */
static struct lh_event *
sum_lookup(struct table_data *d, const struct lh_event *e, size_t *slot)
{
	size_t j, mask = d->sum_nslots - 1;
	struct lh_event *p;

	for (j = sum_hash(e) & mask; d->sum_slots[j]; j = (j + 1) & mask) {
		p = &d->ev[d->sum_slots[j] - 1];
		if (p->device == e->device &&
		    memcmp(p->key, e->key, sizeof e->key) == 0)
			return p;
	}
	*slot = j;
	return NULL;
}

static void
sum_data_rehash(struct table_data *d, size_t nslots)
{
	free(d->sum_slots);
	d->sum_slots = sum_index(d->ev, d->nev, nslots);
	d->sum_nslots = nslots;
}

/* How many entries ahead of the one folded its slot is asked for, and
 * its sum, when the slot is taken, half as far ahead. */
#define FOLD_AHEAD 16

/* Adds the chunk's sums (ids already d's) to d's: a (keys, device) both
 * halves of a file have is one entry, not two. The first chunk's array
 * is taken over: a summed chunk holds each (keys, device) once, so its
 * entries are d's as they are, only indexed; another is folded in place. */
static void
fold_sums(struct table_data *d, struct table_chunk *c)
{
	struct lh_event *src = c->ev, e, *p;
	size_t k, slot, n = c->nev, nslots, mask;
	int in_place = d->capev == 0;
	uint32_t s;

	if (in_place) {
		free(d->ev);
		d->ev = c->ev;
		d->capev = c->capev;
		d->nev = 0;
		if (c->summed) {
			for (nslots = SUM_SLOTS_MIN; n * 2 > nslots; nslots *= 2)
				;
			d->nev = n;
			sum_data_rehash(d, nslots);
			return;
		}
	}
	if (d->sum_slots == NULL)
		sum_data_rehash(d, SUM_SLOTS_MIN);
	if (!in_place)
		d->ev = xgrow(d->ev, &d->capev, d->nev + n, sizeof *d->ev);
	for (k = 0; k < n; k++) {
		/* A million sums miss the cache at every probe: the slot of
		 * the entry some ahead, and the sum its slot holds, are asked
		 * for before they are needed. */
		mask = d->sum_nslots - 1;
		if (k + FOLD_AHEAD < n)
			__builtin_prefetch(&d->sum_slots[sum_hash(&src[k + FOLD_AHEAD]) & mask]);
		if (k + FOLD_AHEAD / 2 < n &&
		    (s = d->sum_slots[sum_hash(&src[k + FOLD_AHEAD / 2]) & mask]) != 0)
			__builtin_prefetch(&d->ev[s - 1]);
		e = src[k];
		if ((p = sum_lookup(d, &e, &slot)) != NULL) {
			sum_add(p, e.ts, e.last, e.n);
			continue;
		}
		if (!in_place)
			d->ev = xgrow(d->ev, &d->capev, d->nev + 1, sizeof *d->ev);
		d->ev[d->nev++] = e;
		d->sum_slots[slot] = (uint32_t)d->nev;
		if (d->nev * 2 > d->sum_nslots)
			sum_data_rehash(d, d->sum_nslots * 2);
	}
	if (!in_place)
		free(src);
}

void
table_data_merge(struct table_data *d, struct table_chunk *c,
    uint32_t line_base)
{
	uint32_t nlocal = strtab_count(c->st), i, g, *map, *dmap;
	size_t k;
	struct lh_event *e;

	if (c->summed)
		chunk_fold(c);
	free(c->sum_slots);
	c->sum_slots = NULL;
	c->sum_nslots = 0;
	map = xmalloc((size_t)nlocal * sizeof *map);
	strtab_merge_take(d->st, c->st, map);
	dmap = xmalloc(((size_t)tuptab_count(c->devices) + 1) * sizeof *dmap);
	tuptab_merge(d->devices, c->devices, map, dmap);
	/* What the chunk holds goes as soon as it is d's, the strings before
	 * d's events grow, and the events are taken over rather than copied
	 * when d has none yet: merging the halves of a large file then never
	 * holds two copies of either beside the other half (the peak of a
	 * 10M-row load). The chunk keeps its counts and stays usable, empty. */
	strtab_free(c->st);
	c->st = strtab_new();
	tuptab_free(c->devices);
	c->devices = tuptab_new(DEV_N);
	if (nlocal >= TRIM_STRINGS)
		util_heap_trim();
	flags_cover(d, strtab_count(d->st));
	for (k = 0; k < c->nips; k++) {
		g = map[c->ips[k] >> 3];
		d->ipflags[g] |= (uint8_t)(c->ips[k] & 7u);
	}
	free(c->ips);
	c->ips = NULL;
	c->nips = c->capips = 0;
	for (k = 0; k < c->nev; k++) {
		e = &c->ev[k];
		for (i = 0; i < K_N; i++)
			e->key[i] = map[e->key[i]];
		e->device = dmap[e->device];
		if (!c->summed)
			e->line += line_base;
	}
	if (d->summed) {
		merge_sums(d, c);
		fold_sums(d, c);
	} else if (d->capev == 0) {
		free(d->ev);
		d->ev = c->ev;
		d->nev = c->nev;
		d->capev = c->capev;
	} else {
		d->ev = xgrow(d->ev, &d->capev, d->nev + c->nev, sizeof *d->ev);
		if (c->nev > 0)
			memcpy(d->ev + d->nev, c->ev, c->nev * sizeof *c->ev);
		d->nev += c->nev;
		free(c->ev);
	}
	c->ev = NULL;
	c->nev = c->capev = c->nfold = 0;
	d->rows[c->table] += c->rows;
	d->files[c->file].rows += c->rows;
	d->bad_ts += c->bad_ts;
	if (c->odd_action && d->odd_action == 0) {
		d->odd_action_file = c->file;
		d->odd_action_line = line_base + c->odd_action_line;
		memcpy(d->odd_action_text, c->odd_action_text, sizeof d->odd_action_text);
	}
	d->odd_action += c->odd_action;
	free(map);
	free(dmap);
}

void
table_data_warnings(const struct table_data *d,
    void (*warn)(void *ctx, const char *msg), void *ctx)
{
	char *msg;

	if (d->odd_action == 0 || warn == NULL)
		return;
	msg = xasprintf("%s:%u: ActionType \"%s\" is not a logon's "
	    "(LogonSuccess, LogonFailed, LogonAttempted); %llu Public row%s "
	    "like it may come from other tables (a union export?). They are "
	    "hunted as given, as Kusto would if they were in DeviceLogonEvents",
	    d->files[d->odd_action_file].path, d->odd_action_line,
	    d->odd_action_text, (unsigned long long)d->odd_action,
	    d->odd_action == 1 ? "" : "s");
	warn(ctx, msg);
	free(msg);
}

void
table_data_add_presummary(struct table_data *d, const struct lh_str key[K_N],
    int64_t first, int64_t last, uint64_t count, uint32_t devices)
{
	struct lh_presummary *p;
	int i;

	d->presum = xgrow(d->presum, &d->cappresum, d->npresum + 1,
	    sizeof *d->presum);
	p = &d->presum[d->npresum++];
	for (i = 0; i < K_N; i++)
		p->key[i] = strtab_intern(d->st, key[i].p, key[i].n);
	p->first = first;
	p->last = last;
	p->count = count;
	p->devices = devices;
	/* Every string id has an ipflags entry, as after a merge. */
	flags_cover(d, strtab_count(d->st));
}
