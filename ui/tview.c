#include "config.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "prompt.h"
#include "search.h"
#include "term.h"
#include "ts.h"
#include "tview.h"

#define MAX_TERMS 16

/* How a column fits this time (layout). */
struct tview_fit {
	int want;		/* content width wanted */
	int content;		/* content width given */
	int labw[2];		/* header width: name, abbreviation (+ arrow) */
	int lab;		/* 0 name, 1 abbreviation, 2 cut to the content */
};

#define SEP_WIDE 2
/* What a column to keep holds whole for long: an IPv4 address. */
#define KEEP_WHOLE 15
#define CUT_LABEL_MIN 4

static const int time_widths[] = { 19, 16, 11 };

struct terms {
	const char *p[MAX_TERMS];
	size_t n[MAX_TERMS];
	int neg[MAX_TERMS];
	int count;
};

static void
terms_parse(struct terms *t, const char *s)
{
	t->count = 0;
	while (*s && t->count < MAX_TERMS) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		t->neg[t->count] = *s == '!' && s[1] != '\0' && s[1] != ' ';
		if (t->neg[t->count])
			s++;
		t->p[t->count] = s;
		while (*s && *s != ' ')
			s++;
		t->n[t->count] = (size_t)(s - t->p[t->count]);
		t->count++;
	}
}

/* A row's cells, made when first needed: a cell is made for the current
 * row when its stamp is the row's. */
struct rowcells {
	uint32_t id;
	uint32_t row;		/* the current row's stamp, never 0 */
	int ncols;
	struct cellv {
		uint32_t made;	/* the stamp of the row it was made for */
		const char *p;
		size_t n;
		struct buf scratch;
	} *c;			/* per column */
};

static void
rowcells_init(struct rowcells *rc, int ncols)
{
	memset(rc, 0, sizeof *rc);
	rc->ncols = ncols;
	rc->c = xcalloc(ncols > 0 ? (size_t)ncols : 1, sizeof *rc->c);
}

static void
row_start(struct rowcells *rc, uint32_t id)
{
	int c;

	rc->id = id;
	if (++rc->row == 0) {
		for (c = 0; c < rc->ncols; c++)
			rc->c[c].made = 0;
		rc->row = 1;
	}
}

static const char *
row_cell(const struct tview *tv, struct rowcells *rc, int c, size_t *n)
{
	struct cellv *v = &rc->c[c];

	if (v->made != rc->row) {
		buf_reset(&v->scratch);
		v->p = tv->ops->cell(tv->ctx, rc->id, c, &v->scratch, &v->n);
		v->made = rc->row;
	}
	*n = v->n;
	return v->p;
}

static void
row_cells(const struct tview *tv, struct rowcells *rc, uint32_t id)
{
	size_t n;
	int c;

	row_start(rc, id);
	for (c = 0; c < tv->ncols; c++)
		row_cell(tv, rc, c, &n);
}

static void
rowcells_free(struct rowcells *rc)
{
	int c;

	for (c = 0; c < rc->ncols; c++)
		buf_free(&rc->c[c].scratch);
	free(rc->c);
	memset(rc, 0, sizeof *rc);
}

/* The match cache of a slot, made ready for word s. */
static uint8_t *
slot_cache(struct tview *tv, int slot, const char *s, size_t n)
{
	if (tv->nkeys == 0 || tv->ops->cell_key == NULL)
		return NULL;
	if (tv->keymatch[slot] == NULL)
		tv->keymatch[slot] = xmalloc(tv->nkeys);
	if (tv->keyterm[slot] == NULL || strlen(tv->keyterm[slot]) != n ||
	    memcmp(tv->keyterm[slot], s, n) != 0) {
		free(tv->keyterm[slot]);
		tv->keyterm[slot] = xstrndup(s, n);
		memset(tv->keymatch[slot], 0, tv->nkeys);
	}
	return tv->keymatch[slot];
}

const char *
tview_cell_chars(enum tview_cells k)
{
	switch (k) {
	case TVIEW_CELLS_DIGITS:
		return "0123456789";
	case TVIEW_CELLS_TIME:
		return "0123456789-: T";
	default:
		return NULL;
	}
}

static int
ascii_lower(int b)
{
	return b >= 'A' && b <= 'Z' ? b + 32 : b;
}

/* 1 if byte b, or its other case (ASCII, as text_find folds), is in set. */
static int
set_has(const char *set, unsigned char b)
{
	for (; *set; set++)
		if (ascii_lower((unsigned char)*set) == ascii_lower(b))
			return 1;
	return 0;
}

/* The columns (bit c, for the first 64) whose cells cannot hold word s:
 * it has a byte their chars lack. */
static uint64_t
cannot_hold(const struct tview *tv, const char *s, size_t n)
{
	uint64_t skip = 0;
	size_t i;
	int c;

	for (c = 0; c < tv->ncols && c < 64; c++) {
		const char *set = tv->cols[c].chars;

		if (set == NULL)
			continue;
		for (i = 0; i < n; i++)
			if (!set_has(set, (unsigned char)s[i]))
				break;
		if (i < n)
			skip |= (uint64_t)1 << c;
	}
	return skip;
}

/* A word of the filter or the search, made ready to match: the columns
 * that cannot hold it, its match cache, and how it lies in digits (see
 * ops->cell_digits). */
struct tview_word {
	const char *s;
	size_t n;
	uint8_t *cache;		/* per string id, or NULL */
	uint64_t skip;		/* the columns that cannot hold it */
	/* The places it can lie in "YYYY-MM-DD HH:MM:SS": a time's digits
	 * d hold it there if (d & tmask[i]) == tval[i]. */
	int nt;
	uint64_t tmask[20], tval[20];
	/* All digits, at most 16: the digits themselves, and their mask. */
	int alldigits;
	uint64_t dval, dmask;
};

static const char time_layout[] = "DDDD-DD-DD DD:DD:DD";
#define TIME_LEN 19
#define TIME_DIGITS 14

static void
word_time_places(struct tview_word *w)
{
	size_t o, i;
	int j;

	w->nt = 0;
	for (o = 0; o + w->n <= TIME_LEN; o++) {
		uint64_t mask = 0, val = 0;

		/* Digits of the layout before place o. */
		for (j = 0, i = 0; i < o; i++)
			j += time_layout[i] == 'D';
		for (i = 0; i < w->n; i++) {
			char ch = w->s[i], l = time_layout[o + i];

			if (l != 'D') {
				if (ch != l)
					break;
				continue;
			}
			if (ch < '0' || ch > '9')
				break;
			mask |= (uint64_t)0xf << 4 * (TIME_DIGITS - 1 - j);
			val |= (uint64_t)(ch - '0') << 4 * (TIME_DIGITS - 1 - j);
			j++;
		}
		if (i == w->n) {
			w->tmask[w->nt] = mask;
			w->tval[w->nt++] = val;
		}
	}
}

static void
word_prepare(struct tview *tv, struct tview_word *w, int slot, const char *s,
    size_t n)
{
	size_t i;

	w->s = s;
	w->n = n;
	w->cache = slot_cache(tv, slot, s, n);
	w->skip = cannot_hold(tv, s, n);
	word_time_places(w);
	w->alldigits = n <= 16;
	w->dval = 0;
	for (i = 0; i < n && w->alldigits; i++)
		if (s[i] >= '0' && s[i] <= '9')
			w->dval = w->dval << 4 | (uint64_t)(s[i] - '0');
		else
			w->alldigits = 0;
	w->dmask = n >= 16 ? UINT64_MAX : ((uint64_t)1 << 4 * n) - 1;
}

/* 1 if digits (nd of them; a time's when time is set) hold word w. */
static int
digits_have(const struct tview_word *w, int time, uint64_t d, int nd)
{
	int i, o;

	if (w->n == 0)
		return 1;
	if (time) {
		for (i = 0; i < w->nt; i++)
			if ((d & w->tmask[i]) == w->tval[i])
				return 1;
		return 0;
	}
	if (!w->alldigits || (int)w->n > nd)
		return 0;
	for (o = 0; o + (int)w->n <= nd; o++)
		if ((d >> 4 * (nd - o - (int)w->n) & w->dmask) == w->dval)
			return 1;
	return 0;
}

uint64_t
tview_time_digits(int64_t ticks)
{
	char t[TS_BUFSZ];
	uint64_t d = 0;
	size_t i;

	/* The common form only: 28 bytes, "YYYY-MM-DDTHH:MM:SS.fffffffZ". */
	if (ts_format(ticks, t) != 28)
		return TVIEW_NO_DIGITS;
	for (i = 0; i < TIME_LEN; i++)
		if (time_layout[i] == 'D')
			d = d << 4 | (uint64_t)(t[i] - '0');
	return d;
}

void
tview_digits_time(uint64_t d, char out[19])
{
	int i, j = TIME_DIGITS;

	for (i = 0; i < TIME_LEN; i++)
		out[i] = time_layout[i] == 'D' ?
		    (char)('0' + (d >> 4 * --j & 0xf)) : time_layout[i];
}

int
tview_number_digits(uint64_t v, uint64_t *digits, int *ndigits)
{
	uint64_t d = 0;
	int n = 0;

	if (v >= 10000000000000000ull)
		return 0;
	do {
		d |= (v % 10) << 4 * n++;
	} while ((v /= 10) != 0);
	*digits = d;
	*ndigits = n;
	return 1;
}

static int
row_has(struct tview *tv, struct rowcells *rc, const struct tview_word *w)
{
	const struct tview_col *col;
	const char *p;
	size_t len;
	uint64_t d;
	uint32_t key;
	uint8_t known;
	int c, found, nd;

	for (c = 0; c < tv->ncols; c++) {
		if (c < 64 && (w->skip >> c & 1))
			continue;
		col = &tv->cols[c];
		if ((col->time || col->digits) && tv->ops->cell_digits != NULL &&
		    tv->ops->cell_digits(tv->ctx, rc->id, c, &d, &nd)) {
			if (digits_have(w, col->time, d, nd))
				return 1;
			continue;
		}
		key = w->cache ? tv->ops->cell_key(tv->ctx, rc->id, c) :
		    UINT32_MAX;
		/* Two threads may judge rows at once (judge_rows): either
		 * writes the same answer. */
		if (key < tv->nkeys && (known = __atomic_load_n(&w->cache[key],
		    __ATOMIC_RELAXED)) != 0) {
			if (known == 2)
				return 1;
			continue;
		}
		p = row_cell(tv, rc, c, &len);
		found = text_find(p, len, w->s, w->n) != NULL;
		if (key < tv->nkeys)
			__atomic_store_n(&w->cache[key], (uint8_t)(found ? 2 : 1),
			    __ATOMIC_RELAXED);
		if (found)
			return 1;
	}
	return 0;
}

/* w[i]: term i made ready. */
static int
row_passes(struct tview *tv, struct rowcells *rc, uint32_t id,
    const struct terms *t, const struct tview_word *w)
{
	int i;

	if (t->count == 0)
		return 1;
	row_start(rc, id);
	for (i = 0; i < t->count; i++)
		if (row_has(tv, rc, &w[i]) == t->neg[i])
			return 0;
	return 1;
}

/* Part of a pass over many rows: the ids in [lo, hi) marked in in[] are
 * judged. For the filter (t set) in[] is cleared for those that fail;
 * for the search (t NULL) findhit gets its verdict and in[] is cleared. */
struct judging {
	struct tview *tv;
	const struct terms *t;
	const struct tview_word *w;
	uint8_t *in;
	size_t lo, hi;
};

static void
judge_part(struct judging *j)
{
	struct tview *tv = j->tv;
	struct rowcells rc;
	size_t i;

	rowcells_init(&rc, tv->ncols);
	for (i = j->lo; i < j->hi; i++) {
		if (!j->in[i])
			continue;
		if (j->t != NULL) {
			if (!row_passes(tv, &rc, (uint32_t)i, j->t, j->w))
				j->in[i] = 0;
			continue;
		}
		j->in[i] = 0;
		if (tv->findhit[i] != 1) {
			row_start(&rc, (uint32_t)i);
			tv->findhit[i] = row_has(tv, &rc, j->w) ? 2 : 1;
		}
	}
	rowcells_free(&rc);
}

static void *
judge_thread(void *arg)
{
	judge_part(arg);
	return NULL;
}

/* Below this many rows a second thread is not worth starting. */
#define JUDGE_SPLIT 65536

/* Judges the rows marked in in[], in the order of their ids (how their
 * data lies in memory). With many rows, and cells the owner lets two
 * threads make at once (tv->threads), the upper half of the ids is
 * judged on another thread meanwhile: at a million rows one pass is
 * some 40 ms of a core. */
static void
judge_rows(struct tview *tv, const struct terms *t, const struct tview_word *w,
    uint8_t *in)
{
	struct judging j[2];
	pthread_t th;

	j[0].tv = tv;
	j[0].t = t;
	j[0].w = w;
	j[0].in = in;
	j[0].lo = 0;
	j[0].hi = tv->nids;
	j[1] = j[0];
	if (tv->threads && tv->nids >= JUDGE_SPLIT) {
		j[0].hi = j[1].lo = tv->nids / 2;
		if (pthread_create(&th, NULL, judge_thread, &j[1]) == 0) {
			judge_part(&j[0]);
			pthread_join(th, NULL);
			return;
		}
		j[0].hi = tv->nids;
	}
	judge_part(&j[0]);
}

static void undo_clear(struct tview *);

/* A byte per row id, all 0, to be left all 0 again. */
static uint8_t *
id_marks(struct tview *tv)
{
	if (tv->idmark == NULL)
		tv->idmark = xcalloc(tv->nids ? tv->nids : 1, 1);
	return tv->idmark;
}

/* Makes findhit ready for the search s: with many rows shown, judges
 * them all at once in the order of their ids (as refilter does). Typing
 * more of the same text can only lose matches: rows that did not match
 * stay so. */
static void
find_prepare(struct tview *tv, const char *s, size_t n)
{
	uint8_t *in;
	int narrow;
	size_t i;

	if (tv->findterm != NULL && strlen(tv->findterm) == n &&
	    memcmp(tv->findterm, s, n) == 0)
		return;
	narrow = tv->findterm != NULL &&
	    text_find(s, n, tv->findterm, strlen(tv->findterm)) != NULL;
	if (tv->findhit == NULL)
		tv->findhit = xcalloc(tv->nids ? tv->nids : 1, 1);
	for (i = 0; i < tv->nids; i++)
		if (!narrow || tv->findhit[i] != 1)
			tv->findhit[i] = 0;
	free(tv->findterm);
	tv->findterm = xstrndup(s, n);
	if (tv->findword == NULL)
		tv->findword = xmalloc(sizeof *tv->findword);
	word_prepare(tv, tv->findword, TVIEW_SLOTS - 1, tv->findterm, n);
	if (tv->p.n <= 4096)
		return;
	in = id_marks(tv);
	for (i = 0; i < tv->p.n; i++)
		in[tv->vis[i]] = 1;
	judge_rows(tv, NULL, tv->findword, in);
}

/* The search's test of a row, by its place in the rows shown. */
static int
row_matches(void *ctx, size_t row, const char *s, size_t n)
{
	struct tview *tv = ctx;
	uint32_t id = tv->vis[row];

	find_prepare(tv, s, n);
	if (tv->findhit[id] == 0) {
		row_start(tv->scan, id);
		tv->findhit[id] = row_has(tv, tv->scan, tv->findword) ? 2 : 1;
	}
	return tv->findhit[id] == 2;
}

void
tview_init(struct tview *tv, const struct tview_ops *ops, void *ctx,
    struct tview_col *cols, int ncols, size_t nids, size_t nkeys)
{
	memset(tv, 0, sizeof *tv);
	tv->ops = ops;
	tv->ctx = ctx;
	tv->cols = cols;
	tv->ncols = ncols;
	tv->colx = xcalloc(ncols > 0 ? (size_t)ncols : 1, sizeof *tv->colx);
	tv->colw = xcalloc(ncols > 0 ? (size_t)ncols : 1, sizeof *tv->colw);
	tv->fit = xcalloc(ncols > 0 ? (size_t)ncols : 1, sizeof *tv->fit);
	tv->sep = SEP_WIDE;
	tv->nids = nids;
	tv->mark = xcalloc(nids ? nids : 1, 1);
	tv->sort.col2 = -1;
	tv->ccol = -1;
	colvis_init(&tv->cv, ncols);
	tv->nkeys = nkeys;
	tv->scan = xmalloc(sizeof *tv->scan);
	rowcells_init(tv->scan, ncols);
	search_init(&tv->find, SEARCH_ROWS, &tv->p, row_matches, tv);
}

void
tview_free(struct tview *tv)
{
	int i;

	free(tv->all);
	free(tv->vis);
	free(tv->mark);
	free(tv->filter);
	free(tv->findhit);
	free(tv->findterm);
	free(tv->findword);
	free(tv->idmark);
	undo_clear(tv);
	search_clear(&tv->find);
	if (tv->scan != NULL)
		rowcells_free(tv->scan);
	free(tv->scan);
	free(tv->colx);
	free(tv->colw);
	free(tv->fit);
	colvis_free(&tv->cv);
	for (i = 0; i < TVIEW_SLOTS; i++) {
		free(tv->keymatch[i]);
		free(tv->keyterm[i]);
	}
	memset(tv, 0, sizeof *tv);
}

/* Backspace's bitmaps are of the rows as they are: gone with new ones. */
static void
undo_clear(struct tview *tv)
{
	while (tv->nundo > 0) {
		tv->nundo--;
		free(tv->undo[tv->nundo].filter);
		free(tv->undo[tv->nundo].bits);
	}
}

/* vis made able to hold every row (not while it is the source). */
static void
vis_room(struct tview *tv)
{
	if (tv->viscap < tv->nall || tv->vis == NULL) {
		free(tv->vis);
		tv->viscap = tv->nall;
		tv->vis = xmalloc((tv->viscap ? tv->viscap : 1) * sizeof *tv->vis);
	}
}

/* Takes into vis the rows of src that pass (pass(id) != 0, or all when
 * pass is NULL), keeping the cursor on keep if it survives. src may be
 * vis itself. */
static void
take_rows(struct tview *tv, const uint32_t *src, size_t n, const uint8_t *pass,
    int bits, int have_keep, uint32_t keep)
{
	size_t i, out = 0, oldpos = tv->p.cur;
	uint32_t *dst;
	int found = 0;

	if (src != tv->vis)
		vis_room(tv);
	dst = tv->vis;
	for (i = 0; i < n; i++) {
		uint32_t id = src[i];

		if (pass != NULL && !(bits ? pass[id >> 3] >> (id & 7) & 1 :
		    pass[id]))
			continue;
		if (have_keep && id == keep) {
			tv->p.cur = out;
			found = 1;
		}
		dst[out++] = id;
	}
	tv->p.n = out;
	if (!found)
		tv->p.cur = oldpos;
	panel_fix(&tv->p);
}

/* Filters from src (all, or the current rows when the new filter can only
 * narrow them: then src is vis), keeping the cursor on keep if it
 * survives. */
static void
refilter(struct tview *tv, const uint32_t *src, size_t n, int have_keep,
    uint32_t keep)
{
	struct terms t;
	struct rowcells rc;
	size_t i;
	uint8_t *pass;
	struct tview_word w[MAX_TERMS];
	int k;

	terms_parse(&t, tv->filter ? tv->filter : "");
	if (t.count == 0) {
		take_rows(tv, src, n, NULL, 0, have_keep, keep);
		return;
	}
	rowcells_init(&rc, tv->ncols);
	for (k = 0; k < t.count; k++)
		word_prepare(tv, &w[k], k, t.p[k], t.n[k]);
	/* The rows are judged in the order of their ids, which is how their
	 * data lies in memory (rows in display order would jump about it);
	 * then taken in display order. */
	pass = id_marks(tv);
	if (n > 4096 && n >= tv->nids / 8) {
		for (i = 0; i < n; i++)
			pass[src[i]] = 1;
		judge_rows(tv, &t, w, pass);
	} else
		for (i = 0; i < n; i++)
			if (row_passes(tv, &rc, src[i], &t, w))
				pass[src[i]] = 1;
	take_rows(tv, src, n, pass, 0, have_keep, keep);
	for (i = 0; i < tv->p.n; i++)
		pass[tv->vis[i]] = 0;
	rowcells_free(&rc);
}

static int
cursor_id(const struct tview *tv, uint32_t *id)
{
	if (tv->p.n == 0)
		return 0;
	*id = tv->vis[tv->p.cur];
	return 1;
}

void
tview_set_rows(struct tview *tv, const uint32_t *ids, size_t n)
{
	uint32_t keep = 0;
	int have = cursor_id(tv, &keep);

	free(tv->all);
	tv->all = xmalloc((n ? n : 1) * sizeof *tv->all);
	memcpy(tv->all, ids, n * sizeof *ids);
	/* New rows may have new cells: the search judges them afresh. */
	free(tv->findterm);
	tv->findterm = NULL;
	tv->nall = n;
	undo_clear(tv);
	refilter(tv, tv->all, tv->nall, have, keep);
}

void
tview_resort(struct tview *tv)
{
	undo_clear(tv);
	tv->ops->sort(tv->ctx, tv->all, tv->nall, &tv->sort);
	/* A new order is read from its top. */
	tv->p.cur = tv->p.top = 0;
	refilter(tv, tv->all, tv->nall, 0, 0);
}

/* Keeps the rows shown for the filter old, before typing narrows them. */
static void
undo_push(struct tview *tv, const char *old)
{
	size_t i, nb = (tv->nids + 7) / 8;
	struct tview_undo *u;

	if (tv->nundo == TVIEW_UNDO) {
		free(tv->undo[0].filter);
		free(tv->undo[0].bits);
		memmove(tv->undo, tv->undo + 1, (TVIEW_UNDO - 1) * sizeof *tv->undo);
		tv->nundo--;
	}
	u = &tv->undo[tv->nundo++];
	u->filter = xstrdup(old);
	u->bits = xcalloc(nb ? nb : 1, 1);
	for (i = 0; i < tv->p.n; i++)
		u->bits[tv->vis[i] >> 3] |= (uint8_t)(1u << (tv->vis[i] & 7));
}

void
tview_set_filter(struct tview *tv, const char *filter)
{
	uint32_t keep = 0;
	int have = cursor_id(tv, &keep), narrow;
	const char *old = tv->filter ? tv->filter : "";
	struct tview_undo *u;

	if (filter == NULL || filter[strspn(filter, " ")] == '\0')
		filter = NULL;
	/* Typing more can only narrow the rows, unless a !word grows. */
	narrow = filter != NULL && strncmp(filter, old, strlen(old)) == 0 &&
	    strchr(filter, '!') == NULL;
	if (narrow && tv->filter != NULL && strcmp(filter, old) != 0)
		undo_push(tv, old);
	else if (!narrow && filter != NULL && tv->nundo > 0 &&
	    strcmp(tv->undo[tv->nundo - 1].filter, filter) == 0) {
		/* Backspace to a filter shown before: its rows again. */
		u = &tv->undo[--tv->nundo];
		free(tv->filter);
		tv->filter = xstrdup(filter);
		take_rows(tv, tv->all, tv->nall, u->bits, 1, have, keep);
		free(u->filter);
		free(u->bits);
		return;
	} else if (!narrow)
		undo_clear(tv);
	free(tv->filter);
	tv->filter = filter ? xstrdup(filter) : NULL;
	if (narrow)
		refilter(tv, tv->vis, tv->p.n, have, keep);
	else
		refilter(tv, tv->all, tv->nall, have, keep);
}

int
tview_cursor(const struct tview *tv, uint32_t *id)
{
	return cursor_id(tv, id);
}

void
tview_goto(struct tview *tv, uint32_t id)
{
	size_t i;

	for (i = 0; i < tv->p.n; i++)
		if (tv->vis[i] == id) {
			tv->p.cur = i;
			panel_fix(&tv->p);
			return;
		}
}

size_t
tview_marked_shown(const struct tview *tv)
{
	size_t i, n = 0;

	if (tv->nmarked == 0)
		return 0;
	for (i = 0; i < tv->p.n; i++)
		n += tv->mark[tv->vis[i]];
	return n;
}

uint32_t *
tview_selection(const struct tview *tv, size_t *n, int *marked)
{
	uint32_t *out = xmalloc((tv->p.n ? tv->p.n : 1) * sizeof *out);
	size_t i, k = 0;

	*marked = tview_marked_shown(tv) > 0;
	for (i = 0; i < tv->p.n; i++)
		if (!*marked || tv->mark[tv->vis[i]])
			out[k++] = tv->vis[i];
	*n = k;
	return out;
}

static const char *
arrow(int desc)
{
	if (term_utf8())
		return desc ? "\xe2\x96\xbc" : "\xe2\x96\xb2";
	return desc ? "v" : "^";
}

void
tview_sort_text(const struct tview *tv, struct buf *b)
{
	buf_addf(b, "%s%s", tv->cols[tv->sort.col].name, arrow(tv->sort.desc));
	if (tv->sort.col2 >= 0)
		buf_addf(b, ", %s%s", tv->cols[tv->sort.col2].name,
		    arrow(tv->sort.desc2));
}

void
tview_status(const struct tview *tv, struct buf *b)
{
	size_t shown = tview_marked_shown(tv);

	buf_addf(b, "row %zu/%zu", tv->p.n ? tv->p.cur + 1 : 0, tv->p.n);
	if (tv->p.n != tv->nall)
		buf_addf(b, " (of %zu)", tv->nall);
	if (tv->cv.nhidden)
		buf_addf(b, "  %d column%s hidden", tv->cv.nhidden,
		    tv->cv.nhidden == 1 ? "" : "s");
	if (tv->nmarked) {
		buf_addf(b, "  marked %zu", shown);
		if (shown != tv->nmarked)
			buf_addf(b, " (+%zu hidden)", tv->nmarked - shown);
	}
	if (tv->filter) {
		buf_add(b, "  filter: ", 10);
		text_prepare_plain(b, tv->filter, strlen(tv->filter));
	}
	if (tv->find.text) {
		buf_add(b, "  search: ", 10);
		text_prepare_plain(b, tv->find.text, strlen(tv->find.text));
	}
}

/* Laying a table out: each column gets its content width (the natural
 * width up to its cap, all of it in wide mode or when the screen has the
 * room) and its name as the label.
 * When that is wider than the screen, the table gives up, in this order
 * and only as much as it needs: text beyond what most cells need (the
 * typical width), names for their abbreviations, the seconds of the times, one of the two spaces
 * between columns, text down to 8 columns (the columns to keep, such as
 * RemoteIP, to 15), the year of the times, the labels still wider than
 * their cells, text down to 4, the columns to keep down to 8, and last
 * any text down to 3. Counts (fixed) are never narrowed, so they stay on screen; what is
 * left over goes back to the cut cells, then to the labels. */

static int
label_width(const struct tview *tv, int c)
{
	const struct tview_fit *f = &tv->fit[c];

	return f->lab == 2 ? (f->labw[1] < CUT_LABEL_MIN ? f->labw[1] :
	    CUT_LABEL_MIN) : f->labw[f->lab];
}

static int
col_width(const struct tview *tv, int c)
{
	const struct tview_fit *f = &tv->fit[c];
	int lw = label_width(tv, c), cw = f->content;

	if (tv->cols[c].time && cw > time_widths[tv->time_form])
		cw = time_widths[tv->time_form];
	return cw > lw ? cw : lw;
}

/* A hidden column takes no room: the layout passes it by. */
static int
hidden(const struct tview *tv, int c)
{
	return colvis_hidden(&tv->cv, c);
}

static int
table_width(const struct tview *tv)
{
	int c, x = 0, any = 0;

	for (c = 0; c < tv->ncols; c++)
		if (!hidden(tv, c)) {
			x += col_width(tv, c) + (any ? tv->sep : 0);
			any = 1;
		}
	return x;
}

#define SHRINK_TYPICAL (-1)	/* a floor: the column's typical width */
#define SHRINK_NOT INT_MAX	/* a floor: the column is left alone */

/* Narrows the widest content one column at a time, text columns to no
 * less than text_floor and columns to keep to no less than keep_floor,
 * until the table fits in avail: the fair share of what is left. With
 * SHRINK_TYPICAL the column furthest over its typical width goes first.
 * Content hidden under a label is narrowed too (the label may give way
 * next; give_back restores what was not needed). Returns the width still
 * over. */
static int
shrink(struct tview *tv, int text_floor, int keep_floor, int avail)
{
	int c, best, score, o, floor, excess;

	while ((excess = table_width(tv) - avail) > 0) {
		best = -1;
		score = 0;
		for (c = 0; c < tv->ncols; c++) {
			const struct tview_col *col = &tv->cols[c];

			if (col->fixed || col->time || hidden(tv, c))
				continue;
			floor = col->keep ? keep_floor : text_floor;
			if (floor == SHRINK_TYPICAL)
				floor = col->typical > 0 ? col->typical : SHRINK_NOT;
			if (floor == SHRINK_NOT || tv->fit[c].content <= floor)
				continue;
			o = text_floor == SHRINK_TYPICAL ? tv->fit[c].content - floor :
			    tv->fit[c].content;
			/* Ties: the rightmost. */
			if (o >= score) {
				best = c;
				score = o;
			}
		}
		if (best < 0)
			break;
		tv->fit[best].content--;
	}
	return excess;
}

/* Labels to a narrower form (to), the biggest gain first, while the table
 * is too wide; only text columns' labels are ever cut (to 2). */
static int
shorten_labels(struct tview *tv, int to, int avail)
{
	int c, best, gain, g, was, excess = table_width(tv) - avail;

	while (excess > 0) {
		best = -1;
		gain = 0;
		for (c = 0; c < tv->ncols; c++) {
			if (tv->fit[c].lab >= to || (to == 2 && tv->cols[c].fixed) ||
			    hidden(tv, c))
				continue;
			was = col_width(tv, c);
			tv->fit[c].lab++;
			g = was - col_width(tv, c);
			tv->fit[c].lab--;
			if (g > gain) {
				best = c;
				gain = g;
			}
		}
		if (best < 0)
			break;
		tv->fit[best].lab++;
		excess -= gain;
	}
	return excess;
}

/* The width column c gets back in a pass: its typical width first, then
 * all it wants. */
static int
give_target(const struct tview *tv, int c, int pass)
{
	int typ = tv->cols[c].typical, want = tv->fit[c].want;

	if (pass == 0 && typ > 0 && typ < want)
		return typ;
	if (pass == 1 && tv->cols[c].cap > 0 && tv->cols[c].cap < want)
		return tv->cols[c].cap;
	return want;
}

/* What is left over goes back: to the narrowest cut cell first (up to
 * its typical width, then its cap, then all of it), then to the labels,
 * the cheapest first. */
static void
give_back(struct tview *tv, int avail)
{
	int c, best, cost, k, pass, spare = avail - table_width(tv);

	for (pass = 0; pass < 3; pass++)
		while (spare > 0) {
			best = -1;
			for (c = 0; c < tv->ncols; c++)
				if (tv->fit[c].content < give_target(tv, c, pass) &&
				    !tv->cols[c].time && !hidden(tv, c) &&
				    col_width(tv, c) == tv->fit[c].content &&
				    (best < 0 ||
				    tv->fit[c].content < tv->fit[best].content))
					best = c;
			if (best < 0)
				break;
			tv->fit[best].content++;
			spare--;
		}
	/* A content under its label widens for free. */
	for (c = 0; c < tv->ncols; c++)
		while (tv->fit[c].content < tv->fit[c].want &&
		    col_width(tv, c) > tv->fit[c].content)
			tv->fit[c].content++;
	while (spare > 0) {
		best = -1;
		cost = 0;
		for (c = 0; c < tv->ncols; c++) {
			if (tv->fit[c].lab == 0 || hidden(tv, c))
				continue;
			k = col_width(tv, c);
			tv->fit[c].lab--;
			k = col_width(tv, c) - k;
			tv->fit[c].lab++;
			if (k <= spare && (best < 0 || k < cost)) {
				best = c;
				cost = k;
			}
		}
		if (best < 0)
			break;
		tv->fit[best].lab--;
		spare -= cost;
	}
}

static void
header_text(const struct tview *tv, int c, int abbrev, struct buf *b)
{
	const struct tview_col *col = &tv->cols[c];

	buf_reset(b);
	buf_addf(b, "%s", abbrev && col->abbrev ? col->abbrev : col->name);
	if (c == tv->sort.col)
		buf_addf(b, "%s", arrow(tv->sort.desc));
	else if (c == tv->sort.col2)
		buf_addf(b, "%s2", arrow(tv->sort.desc2));
}

/* The steps of the comment above, each taken only while the table is
 * still too wide. Narrowing content hidden under a label gains nothing
 * until the label gives way, so the labels are abbreviated after each. */
static void
fit_narrow(struct tview *tv, int avail)
{
	if (shrink(tv, SHRINK_TYPICAL, SHRINK_TYPICAL, avail) <= 0 ||
	    shorten_labels(tv, 1, avail) <= 0)
		return;
	tv->time_form = TVIEW_TIME_MINUTES;
	if (table_width(tv) <= avail)
		return;
	tv->sep = 1;
	if (table_width(tv) <= avail)
		return;
	if (shrink(tv, 8, KEEP_WHOLE, avail) <= 0 ||
	    shorten_labels(tv, 1, avail) <= 0)
		return;
	tv->time_form = TVIEW_TIME_SHORT;
	if (shorten_labels(tv, 1, avail) <= 0 ||
	    shorten_labels(tv, 2, avail) <= 0)
		return;
	if (shrink(tv, CUT_LABEL_MIN, KEEP_WHOLE, avail) <= 0 ||
	    shorten_labels(tv, 2, avail) <= 0)
		return;
	if (shrink(tv, CUT_LABEL_MIN, 8, avail) <= 0 ||
	    shorten_labels(tv, 2, avail) <= 0)
		return;
	shrink(tv, 3, 3, avail);
	shorten_labels(tv, 2, avail);
}

/* The times read as a pair (EarliestEvent, LatestEvent): one abbreviated
 * beside the other in full ("Earliest  LatestEvent") looks like two
 * kinds of column, so they share the shortest label either needed. A
 * shorter label never widens a column, so the table still fits. */
static void
same_time_labels(struct tview *tv)
{
	int c, lab = 0;

	for (c = 0; c < tv->ncols; c++)
		if (tv->cols[c].time && !hidden(tv, c) && tv->fit[c].lab > lab)
			lab = tv->fit[c].lab;
	for (c = 0; c < tv->ncols; c++)
		if (tv->cols[c].time && tv->fit[c].lab < lab &&
		    (lab < 2 || tv->cols[c].abbrev != NULL))
			tv->fit[c].lab = lab;
}

static void
layout(struct tview *tv, int avail, int *total)
{
	struct buf b = { 0 };
	int c, x, floor;

	tv->sep = SEP_WIDE;
	tv->time_form = TVIEW_TIME_FULL;
	for (c = 0; c < tv->ncols; c++) {
		const struct tview_col *col = &tv->cols[c];
		struct tview_fit *f = &tv->fit[c];

		header_text(tv, c, 0, &b);
		f->labw[0] = text_width(b.p, b.len);
		header_text(tv, c, 1, &b);
		f->labw[1] = text_width(b.p, b.len);
		f->lab = 0;
		f->want = f->content = col->natural;
		/* A cap holds only while the table is too wide (give_back). */
		if (!tv->wide && !col->fixed && !col->time && f->content > col->cap)
			f->content = col->cap;
	}
	buf_free(&b);
	if (!tv->wide) {
		if (table_width(tv) > avail)
			fit_narrow(tv, avail);
		give_back(tv, avail);
		same_time_labels(tv);
	}
	x = 0;
	for (c = 0; c < tv->ncols; c++) {
		floor = hidden(tv, c) ? 0 : col_width(tv, c);
		tv->colx[c] = x;
		tv->colw[c] = floor;
		if (!hidden(tv, c))
			x += floor + tv->sep;
	}
	*total = x > tv->sep ? x - tv->sep : 0;
}

/* The part of a time cell the column's form shows. */
static const char *
time_part(const struct tview *tv, const char *p, size_t *n)
{
	if (*n != 19 || tv->time_form == TVIEW_TIME_FULL)
		return p;
	*n = 16;
	if (tv->time_form == TVIEW_TIME_MINUTES)
		return p;
	*n = 11;
	return p + 5;
}

void
tview_draw(struct tview *tv, int y, int x, int h, int w)
{
	struct line l;
	struct rowcells rc;
	struct buf head = { 0 };
	int c, r, total, vw, any;
	size_t i;
	attr_t a;
	uint32_t id;

	if (h <= 0 || w <= 0)
		return;
	tv->gutter = w > 10 ? 1 : 0;
	vw = w - tv->gutter;
	/* The rows about to be shown are made first: cells read lazily
	 * (the events' raw columns) widen their columns before the layout,
	 * not one frame late. */
	tv->p.height = h - 1 > 0 ? h - 1 : 1;
	panel_fix(&tv->p);
	rowcells_init(&rc, tv->ncols);
	for (i = tv->p.top; i < tv->p.n && i < tv->p.top + (size_t)tv->p.height; i++)
		row_cells(tv, &rc, tv->vis[i]);
	layout(tv, vw, &total);
	tv->p.hmax = total - vw;
	if (tv->p.hscroll > 0 && tv->p.hscroll > tv->p.hmax)
		tv->p.hscroll = tv->p.hmax > 0 ? tv->p.hmax : 0;
	tv->draw_y = y;
	tv->draw_x = x;
	tv->draw_w = w;
	/* Header. */
	if (tv->gutter)
		text_draw(y, x, 1, " ", term_attr(UC_COLHEAD), 1);
	line_begin(&l, y, x + tv->gutter, vw, tv->p.hscroll, term_attr(UC_COLHEAD));
	for (c = 0, any = 0; c < tv->ncols; c++) {
		int sorted = c == tv->sort.col || c == tv->sort.col2;

		if (hidden(tv, c))
			continue;
		if (any++)
			line_spaces(&l, tv->sep);
		header_text(tv, c, tv->fit[c].lab != 0, &head);
		l.attr = term_attr(sorted ? UC_COLHEAD_SORT : UC_COLHEAD);
		if (c == tv->ccol)
			l.attr |= A_UNDERLINE | A_BOLD;
		line_cell(&l, head.p, head.len, tv->colw[c], tv->cols[c].right, NULL, 0);
		l.attr = term_attr(UC_COLHEAD);
	}
	line_end(&l);
	buf_free(&head);
	/* Rows. */
	for (r = 0; r < h - 1; r++) {
		i = tv->p.top + (size_t)r;
		if (i >= tv->p.n) {
			text_draw(y + 1 + r, x, w, "", term_attr(UC_NORMAL), 1);
			continue;
		}
		id = tv->vis[i];
		if (i == tv->p.cur)
			a = term_attr(tv->mark[id] ? UC_CURSOR_MARK : UC_CURSOR);
		else if (tv->mark[id])
			a = term_attr(UC_MARKED);
		else if (tv->ops->row_attr && tv->ops->row_attr(tv->ctx, id))
			a = tv->ops->row_attr(tv->ctx, id);
		else
			a = term_attr(UC_NORMAL);
		if (tv->gutter)
			text_draw(y + 1 + r, x, 1, tv->mark[id] ? "*" : " ", a, 1);
		row_cells(tv, &rc, id);
		line_begin(&l, y + 1 + r, x + tv->gutter, vw, tv->p.hscroll, a);
		for (c = 0, any = 0; c < tv->ncols; c++) {
			const char *p = rc.c[c].p;
			size_t n = rc.c[c].n;

			if (hidden(tv, c))
				continue;
			if (any++)
				line_spaces(&l, tv->sep);
			if (tv->cols[c].time)
				p = time_part(tv, p, &n);
			line_cell(&l, p, n, tv->colw[c], tv->cols[c].right,
			    tv->find.text, term_attr(UC_MATCH));
		}
		line_end(&l);
	}
	rowcells_free(&rc);
}

static void
sort_by(struct tview *tv, int col)
{
	if (col < 0 || col >= tv->ncols)
		return;
	if (col == tv->sort.col)
		tv->sort.desc = !tv->sort.desc;
	else {
		/* The previous order becomes the tie-breaker. */
		tv->sort.col2 = tv->sort.col;
		tv->sort.desc2 = tv->sort.desc;
		tv->sort.col = col;
		tv->sort.desc = tv->cols[col].desc_first;
	}
	tview_resort(tv);
}

static int
need_all(struct tview *tv, struct app *app, int col)
{
	return tv->ops->need_all ? tv->ops->need_all(tv->ctx, app, col) : 0;
}

/* Tab and Shift-Tab: the column cursor moves, and the view scrolls so
 * the column shows. */
static void
move_column_cursor(struct tview *tv, struct app *app, int step)
{
	int c = tv->ccol >= 0 ? tv->ccol : tv->sort.col, vw = tv->draw_w - tv->gutter;

	/* Hidden columns are passed over. */
	if ((c = colvis_step(&tv->cv, c, step)) < 0)
		return;
	tv->ccol = c;
	if (tv->colx[c] < tv->p.hscroll)
		tv->p.hscroll = tv->colx[c];
	else if (vw > 0 && tv->colx[c] + tv->colw[c] > tv->p.hscroll + vw)
		tv->p.hscroll = tv->colx[c] + tv->colw[c] - vw;
	app_msg(app, "column %s: [ sorts ascending by it, ] descending",
	    tv->cols[c].name);
}

/* [ and ]: the column cursor's column becomes the sort, in the order
 * asked; the sort before it breaks ties, as with 1..9. */
static void
sort_column_cursor(struct tview *tv, int desc)
{
	int c = tv->ccol >= 0 ? tv->ccol : tv->sort.col;

	if (c != tv->sort.col) {
		tv->sort.col2 = tv->sort.col;
		tv->sort.desc2 = tv->sort.desc;
		tv->sort.col = c;
	}
	tv->sort.desc = desc;
	tview_resort(tv);
}

/* -: the column cursor's column goes, and the cursor to the next one
 * shown, as in visidata; never the last column shown. */
static void
hide_column_cursor(struct tview *tv, struct app *app)
{
	int c = colvis_step(&tv->cv, tv->ccol >= 0 ? tv->ccol : tv->sort.col, 0);

	if (c < 0)
		return;
	if (colvis_hide(&tv->cv, c) != 0) {
		app_error(app, "%s is the last column shown: it stays", tv->cols[c].name);
		return;
	}
	tv->ccol = colvis_step(&tv->cv, c, 1);
	app_msg(app, "column %s hidden: %d hidden, + shows them again",
	    tv->cols[c].name, tv->cv.nhidden);
}

int
tview_hide_named(struct tview *tv, const char *name)
{
	int c;

	for (c = 0; c < tv->ncols; c++)
		if (strcmp(tv->cols[c].name, name) == 0)
			return colvis_hide(&tv->cv, c) >= 0 ? 0 : -1;
	return -1;
}

static void
live_filter(struct app *app, void *ctx, const char *text)
{
	tview_set_filter(ctx, text);
	(void)app;
}

static void
pick_sort(struct tview *tv, struct app *app, int secondary)
{
	const char **items = xcalloc((size_t)tv->ncols + 1, sizeof *items);
	int c, n = 0;
	long k;

	if (secondary)
		items[n++] = "(none)";
	for (c = 0; c < tv->ncols; c++)
		items[n++] = tv->cols[c].name;
	k = prompt_menu(app, secondary ? "Then sort by" : "Sort by", items,
	    (size_t)n, secondary ? (size_t)(tv->sort.col2 + 1) : (size_t)tv->sort.col);
	free(items);
	if (k < 0)
		return;
	if (!secondary) {
		sort_by(tv, (int)k);
		return;
	}
	tv->sort.col2 = (int)k - 1;
	if (tv->sort.col2 == tv->sort.col)
		tv->sort.col2 = -1;
	if (tv->sort.col2 >= 0)
		tv->sort.desc2 = tv->cols[tv->sort.col2].desc_first;
	tview_resort(tv);
}

/* The cells of the row under the cursor whole, each under its column's
 * name, on the owner's screen for it. */
static void
show_row(struct tview *tv, struct app *app)
{
	const char **names, **values, *p;
	struct rowcells rc;
	struct buf title = { 0 };
	size_t n;
	uint32_t id;
	int c;

	if (tv->cells_screen == NULL)
		return;
	if (!cursor_id(tv, &id)) {
		app_error(app, "no row to show");
		return;
	}
	names = xcalloc((size_t)tv->ncols + 1, sizeof *names);
	values = xcalloc((size_t)tv->ncols + 1, sizeof *values);
	rowcells_init(&rc, tv->ncols);
	row_start(&rc, id);
	for (c = 0; c < tv->ncols; c++) {
		names[c] = tv->cols[c].name;
		/* Cells end at their length, not always at a '\0'. */
		p = row_cell(tv, &rc, c, &n);
		values[c] = xstrndup(p, n);
	}
	buf_addf(&title, "Row %zu of %zu, every cell whole", tv->p.cur + 1, tv->p.n);
	app_push(app, tv->cells_screen(app, title.p, names, values,
	    (size_t)tv->ncols, tv->ccol > 0 ? (size_t)tv->ccol : 0));
	buf_free(&title);
	rowcells_free(&rc);
	for (c = 0; c < tv->ncols; c++)
		free((char *)values[c]);
	free(names);
	free(values);
}

unsigned
tview_action(struct tview *tv, struct app *app, enum key_action a, int key)
{
	uint32_t id;
	size_t i, n, len;
	char *initial, *text;
	int ok, c;

	switch (a) {
	case KA_SORT_COL:
		/* The nth column shown: hidden ones are not counted. */
		if ((c = colvis_nth(&tv->cv, key - '1')) < 0)
			return UI_HANDLED;
		if (need_all(tv, app, c) != 0)
			return UI_HANDLED | UI_REDRAW;
		sort_by(tv, c);
		return UI_HANDLED | UI_REDRAW;
	case KA_SORT_PICK:
	case KA_SORT2_PICK:
		if (need_all(tv, app, -1) != 0)
			return UI_HANDLED | UI_REDRAW;
		pick_sort(tv, app, a == KA_SORT2_PICK);
		return UI_HANDLED | UI_REDRAW;
	case KA_SORT_REVERSE:
		if (need_all(tv, app, tv->sort.col) != 0 ||
		    (tv->sort.col2 >= 0 && need_all(tv, app, tv->sort.col2) != 0))
			return UI_HANDLED | UI_REDRAW;
		tv->sort.desc = !tv->sort.desc;
		tview_resort(tv);
		return UI_HANDLED | UI_REDRAW;
	case KA_COL_NEXT:
	case KA_COL_PREV:
		if (tv->ncols > 0)
			move_column_cursor(tv, app, a == KA_COL_NEXT ? 1 : -1);
		return UI_HANDLED | UI_REDRAW;
	case KA_SORT_ASC:
	case KA_SORT_DESC:
		if (need_all(tv, app, tv->ccol >= 0 ? tv->ccol : tv->sort.col) != 0)
			return UI_HANDLED | UI_REDRAW;
		sort_column_cursor(tv, a == KA_SORT_DESC);
		return UI_HANDLED | UI_REDRAW;
	case KA_WIDE:
		tv->wide = !tv->wide;
		app_msg(app, tv->wide ? "full column widths: Left/Right scroll" :
		    "columns cut to fit (marked %s)", text_cutmark());
		return UI_HANDLED | UI_REDRAW;
	case KA_SHOW_ROW:
		show_row(tv, app);
		return UI_HANDLED | UI_REDRAW;
	case KA_HIDE_COL:
		hide_column_cursor(tv, app);
		return UI_HANDLED | UI_REDRAW;
	case KA_SHOW_COLS:
		c = colvis_show_all(&tv->cv);
		if (c > 0)
			app_msg(app, "%d hidden column%s shown again", c, c == 1 ? "" : "s");
		else
			app_msg(app, "no column is hidden (- hides the cursor's column)");
		return UI_HANDLED | UI_REDRAW;
	case KA_MARK:
		if (!cursor_id(tv, &id))
			return UI_HANDLED;
		tv->mark[id] = !tv->mark[id];
		tv->nmarked += tv->mark[id] ? 1 : (size_t)-1;
		panel_action(&tv->p, KA_DOWN);
		return UI_HANDLED | UI_REDRAW;
	case KA_MARK_ALL:
		for (i = 0; i < tv->p.n; i++)
			if (!tv->mark[tv->vis[i]]) {
				tv->mark[tv->vis[i]] = 1;
				tv->nmarked++;
			}
		return UI_HANDLED | UI_REDRAW;
	case KA_UNMARK_ALL:
		memset(tv->mark, 0, tv->nids);
		tv->nmarked = 0;
		return UI_HANDLED | UI_REDRAW;
	case KA_MARK_SEARCH:
		if (tv->find.text == NULL) {
			app_error(app, "no search: press / first, then M marks the matching rows");
			return UI_HANDLED | UI_REDRAW;
		}
		len = strlen(tv->find.text);
		for (i = 0, n = 0; i < tv->p.n; i++)
			if (row_matches(tv, i, tv->find.text, len) &&
			    !tv->mark[tv->vis[i]]) {
				tv->mark[tv->vis[i]] = 1;
				tv->nmarked++;
				n++;
			}
		app_msg(app, "marked %zu more rows", n);
		return UI_HANDLED | UI_REDRAW;
	case KA_SEARCH:
		if (need_all(tv, app, -1) != 0)
			return UI_HANDLED | UI_REDRAW;
		search_prompt(&tv->find, app);
		return UI_HANDLED | UI_REDRAW;
	case KA_NEXT:
	case KA_PREV:
		search_again(&tv->find, app, a == KA_NEXT ? 1 : -1);
		return UI_HANDLED | UI_REDRAW;
	case KA_FILTER:
		if (need_all(tv, app, -1) != 0)
			return UI_HANDLED | UI_REDRAW;
		/* A copy: Esc gives it back to live_filter, after typing has
		 * replaced tv->filter. */
		initial = tv->filter ? xstrdup(tv->filter) : NULL;
		ok = prompt_line(app, "Filter (words, !word): ", initial, live_filter,
		    tv, &text);
		free(initial);
		if (ok) {
			tview_set_filter(tv, text);
			free(text);
		}
		return UI_HANDLED | UI_REDRAW;
	case KA_CLEAR:
		/* The filter first, then the search; with neither the loop
		 * goes back. */
		if (tv->filter != NULL) {
			tview_set_filter(tv, NULL);
			app_msg(app, "filter cleared%s", tv->find.text ?
			    "; Esc again clears the search" : "");
			return UI_HANDLED | UI_REDRAW;
		}
		return search_forget(&tv->find, app) ? UI_HANDLED | UI_REDRAW :
		    UI_IGNORED;
	default:
		return panel_action(&tv->p, a);
	}
}

unsigned
tview_click(struct tview *tv, struct app *app, int row, int x)
{
	int c, vx;

	if (row == 0) {
		vx = x - tv->draw_x - tv->gutter + tv->p.hscroll;
		for (c = 0; c < tv->ncols; c++)
			if (!hidden(tv, c) && vx >= tv->colx[c] &&
			    vx < tv->colx[c] + tv->colw[c] + tv->sep) {
				if (need_all(tv, app, c) != 0)
					return UI_HANDLED | UI_REDRAW;
				sort_by(tv, c);
				return UI_HANDLED | UI_REDRAW;
			}
		return UI_HANDLED;
	}
	return panel_click(&tv->p, row - 1);
}
