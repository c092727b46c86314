#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "term.h"
#include "text.h"
#include "ts.h"

/* Decodes valid UTF-8 (prepared text is valid by construction). */
static size_t
utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	if (p[0] < 0x80 || n < 2) {
		*cp = p[0];
		return 1;
	}
	if (p[0] < 0xe0) {
		*cp = ((uint32_t)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
		return 2;
	}
	if (p[0] < 0xf0 || n < 4) {
		if (n < 3) {
			*cp = '?';
			return n;
		}
		*cp = ((uint32_t)(p[0] & 0x0f) << 12) | ((uint32_t)(p[1] & 0x3f) << 6) |
		    (p[2] & 0x3f);
		return 3;
	}
	*cp = ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3f) << 12) |
	    ((uint32_t)(p[2] & 0x3f) << 6) | (p[3] & 0x3f);
	return 4;
}

void
text_prepare(struct buf *out, const char *s, size_t n)
{
	struct buf esc = { 0 };
	const unsigned char *p;
	size_t i = 0, len;
	uint32_t cp;
	int w, utf8 = term_utf8(), first = 1;

	buf_add_escaped(&esc, s, n);
	p = (const unsigned char *)esc.p;
	while (i < esc.len) {
		len = utf8_decode(p + i, esc.len - i, &cp);
		w = utf8_cp_width(cp);
		/* What the terminal cannot draw in a known width (unassigned,
		 * or a mark with nothing to combine with, or anything beyond
		 * ASCII in a non-UTF-8 locale) is shown as its code point. */
		if (cp >= 0x80 && (w < 0 || (w == 0 && first) || !utf8))
			buf_addf(out, cp > 0xffff ? "\\U%08x" : "\\u%04x", (unsigned)cp);
		else
			buf_add(out, p + i, len);
		first = 0;
		i += len;
	}
	if (out->p == NULL)
		buf_add(out, "", 0);
	buf_free(&esc);
}

void
text_prepare_plain(struct buf *out, const char *s, size_t n)
{
	const char *bs;

	while ((bs = memchr(s, '\\', n)) != NULL) {
		text_prepare(out, s, (size_t)(bs - s));
		buf_addc(out, '\\');
		n -= (size_t)(bs - s) + 1;
		s = bs + 1;
	}
	text_prepare(out, s, n);
}

size_t
text_glyph(const char *s, size_t n, int *width)
{
	return utf8_glyph(s, n, width);
}

int
text_width(const char *s, size_t n)
{
	return utf8_width(s, n);
}

/* ASCII case folding, one table lookup per byte. */
#define FOLD1(i) (unsigned char)((i) >= 'A' && (i) <= 'Z' ? (i) + 32 : (i))
#define FOLD4(i) FOLD1(i), FOLD1((i) + 1), FOLD1((i) + 2), FOLD1((i) + 3)
#define FOLD16(i) FOLD4(i), FOLD4((i) + 4), FOLD4((i) + 8), FOLD4((i) + 12)
#define FOLD64(i) FOLD16(i), FOLD16((i) + 16), FOLD16((i) + 32), FOLD16((i) + 48)
static const unsigned char fold[256] = {
	FOLD64(0), FOLD64(64), FOLD64(128), FOLD64(192)
};

const char *
text_find(const char *hay, size_t n, const char *needle, size_t nn)
{
	const unsigned char *h = (const unsigned char *)hay,
	    *nd = (const unsigned char *)needle, *f = fold;
	unsigned char first;
	size_t i, j;

	if (nn == 0)
		return hay;
	if (nn > n)
		return NULL;
	first = f[nd[0]];
	for (i = 0; i + nn <= n; i++) {
		if (f[h[i]] != first)
			continue;
		for (j = 1; j < nn; j++)
			if (f[h[i + j]] != f[nd[j]])
				break;
		if (j == nn)
			return hay + i;
	}
	return NULL;
}

void
strcache_init(struct strcache *c, const struct strtab *st)
{
	c->st = st;
	c->n = strtab_count(st);
	c->text = xcalloc(c->n ? c->n : 1, sizeof *c->text);
	c->width = xcalloc(c->n ? c->n : 1, sizeof *c->width);
}

const char *
strcache_get(struct strcache *c, uint32_t id, size_t *len, int *width)
{
	struct buf b = { 0 };
	int w;

	if (id >= c->n) {
		*len = 0;
		if (width)
			*width = 0;
		return "";
	}
	if (c->text[id] == NULL) {
		text_prepare(&b, strtab_str(c->st, id), strtab_len(c->st, id));
		c->text[id] = b.p;
		w = text_width(b.p, b.len);
		c->width[id] = (uint16_t)(w > 65535 ? 65535 : w);
	}
	*len = strlen(c->text[id]);
	if (width)
		*width = c->width[id];
	return c->text[id];
}

void
strcache_free(struct strcache *c)
{
	uint32_t i;

	for (i = 0; i < c->n; i++)
		free(c->text[i]);
	free(c->text);
	free(c->width);
	memset(c, 0, sizeof *c);
}

const char *
text_cutmark(void)
{
	return term_utf8() ? "\xe2\x80\xa6" : "~";
}

void
line_begin(struct line *l, int y, int x, int width, int scroll, attr_t attr)
{
	l->y = y;
	l->x = x;
	l->width = width < 0 ? 0 : width;
	l->scroll = scroll < 0 ? 0 : scroll;
	l->col = 0;
	l->more_right = 0;
	l->attr = attr;
}

/* Puts one glyph of width w at the current virtual column. */
static void
put_glyph(struct line *l, const char *s, size_t n, int w)
{
	int start = l->col, end = l->col + w, vis0 = l->scroll,
	    vis1 = l->scroll + l->width, c;

	l->col = end;
	if (w == 0) {
		/* A combining mark joins the glyph drawn just before it. */
		if (start > vis0 && start <= vis1) {
			attrset(l->attr);
			addnstr(s, (int)n);
		}
		return;
	}
	if (end <= vis0)
		return;
	if (start >= vis1) {
		l->more_right = 1;
		return;
	}
	attrset(l->attr);
	if (start >= vis0 && end <= vis1) {
		mvaddnstr(l->y, l->x + start - vis0, s, (int)n);
		return;
	}
	/* A wide glyph cut by an edge: blank the part that shows. */
	for (c = start; c < end; c++)
		if (c >= vis0 && c < vis1)
			mvaddch(l->y, l->x + c - vis0, ' ');
	if (end > vis1)
		l->more_right = 1;
}

void
line_put(struct line *l, const char *s, size_t n)
{
	size_t i = 0, len;
	int w;

	while (i < n) {
		len = text_glyph(s + i, n - i, &w);
		put_glyph(l, s + i, len, w);
		i += len;
	}
}

void
line_puts(struct line *l, const char *s)
{
	line_put(l, s, strlen(s));
}

void
line_putf(struct line *l, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	line_put(l, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void
line_spaces(struct line *l, int n)
{
	while (n-- > 0)
		put_glyph(l, " ", 1, 1);
}

/* Puts [s, s+n) with the matches of hl in hl_attr. */
static void
put_highlighted(struct line *l, const char *s, size_t n, const char *hl,
    attr_t hl_attr)
{
	size_t hn = hl ? strlen(hl) : 0, i = 0;
	const char *m;
	attr_t base = l->attr;

	while (i < n) {
		m = hn ? text_find(s + i, n - i, hl, hn) : NULL;
		if (m == NULL) {
			line_put(l, s + i, n - i);
			break;
		}
		line_put(l, s + i, (size_t)(m - (s + i)));
		l->attr = hl_attr;
		line_put(l, m, hn);
		l->attr = base;
		i = (size_t)(m - s) + hn;
	}
}

void
line_cell(struct line *l, const char *s, size_t n, int width, int right,
    const char *hl, attr_t hl_attr)
{
	int w = text_width(s, n), used = 0, gw;
	size_t i = 0, len;
	attr_t base = l->attr;

	if (width <= 0)
		return;
	if (w <= width) {
		if (right)
			line_spaces(l, width - w);
		put_highlighted(l, s, n, hl, hl_attr);
		if (!right)
			line_spaces(l, width - w);
		return;
	}
	/* Too wide: keep what fits in width - 1, then the cut mark. */
	while (i < n) {
		len = text_glyph(s + i, n - i, &gw);
		if (used + gw > width - 1)
			break;
		used += gw;
		i += len;
	}
	while (i < n) {
		/* Combining marks of the last glyph kept. */
		len = text_glyph(s + i, n - i, &gw);
		if (gw != 0)
			break;
		i += len;
	}
	put_highlighted(l, s, i, hl, hl_attr);
	line_spaces(l, width - 1 - used);
	l->attr = term_attr(UC_CUTMARK) | (base & A_REVERSE);
	if (base == term_attr(UC_CURSOR) || base == term_attr(UC_CURSOR_MARK))
		l->attr = base;
	line_puts(l, text_cutmark());
	l->attr = base;
}

void
line_end(struct line *l)
{
	int used = l->col - l->scroll, c;
	attr_t mark = term_attr(UC_CUTMARK);

	if (used < 0)
		used = 0;
	attrset(l->attr);
	for (c = used; c < l->width; c++)
		mvaddch(l->y, l->x + c, ' ');
	if (l->width >= 3 && l->scroll > 0) {
		attrset(mark | (l->attr & A_REVERSE));
		mvaddch(l->y, l->x, '<');
	}
	if (l->width >= 3 && l->more_right) {
		attrset(mark | (l->attr & A_REVERSE));
		mvaddch(l->y, l->x + l->width - 1, '>');
	}
	attrset(A_NORMAL);
}

void
text_draw(int y, int x, int width, const char *s, attr_t attr, int pad)
{
	struct line l;

	if (width <= 0 || y < 0 || y >= LINES)
		return;
	line_begin(&l, y, x, width, 0, attr);
	line_puts(&l, s);
	if (pad) {
		l.more_right = 0;
		line_end(&l);
	}
	attrset(A_NORMAL);
}

const char *
text_time(int64_t ts, struct buf *b, size_t *len)
{
	char t[TS_BUFSZ];
	size_t n = ts_format(ts, t);

	if (n >= 19) {
		t[10] = ' ';
		n = 19;
	}
	buf_add(b, t, n);
	if (b->p == NULL)
		buf_add(b, "", 0);
	*len = n;
	return b->p;
}
