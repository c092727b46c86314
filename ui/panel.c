#include "config.h"

#include "panel.h"

void
panel_fix(struct panel *p)
{
	size_t h = p->height > 0 ? (size_t)p->height : 1;

	if (p->n == 0) {
		p->cur = p->top = 0;
		return;
	}
	if (p->cur >= p->n)
		p->cur = p->n - 1;
	if (p->top > p->cur)
		p->top = p->cur;
	if (p->cur >= p->top + h)
		p->top = p->cur - h + 1;
	/* No empty space below the last row when the list could fill it. */
	if (p->n >= h && p->top > p->n - h)
		p->top = p->n - h;
	if (p->hscroll < 0)
		p->hscroll = 0;
}

unsigned
panel_action(struct panel *p, enum key_action a)
{
	size_t page = p->height > 1 ? (size_t)p->height - 1 : 1;
	size_t half = p->height > 1 ? (size_t)p->height / 2 : 1;
	int step = 8;

	switch (a) {
	case KA_UP:
		if (p->cur > 0)
			p->cur--;
		break;
	case KA_DOWN:
		if (p->cur + 1 < p->n)
			p->cur++;
		break;
	case KA_PGUP:
		p->cur = p->cur > page ? p->cur - page : 0;
		p->top = p->top > page ? p->top - page : 0;
		break;
	case KA_PGDN:
		p->cur += page;
		p->top += page;
		if (p->n && p->cur >= p->n)
			p->cur = p->n - 1;
		break;
	case KA_HALF_UP:
		/* As less and vim: the view and the cursor move together. */
		p->cur = p->cur > half ? p->cur - half : 0;
		p->top = p->top > half ? p->top - half : 0;
		break;
	case KA_HALF_DOWN:
		p->cur += half;
		p->top += half;
		if (p->n && p->cur >= p->n)
			p->cur = p->n - 1;
		break;
	case KA_HOME:
		p->cur = p->top = 0;
		break;
	case KA_END:
		p->cur = p->n ? p->n - 1 : 0;
		break;
	case KA_LEFT:
		p->hscroll = p->hscroll > step ? p->hscroll - step : 0;
		break;
	case KA_RIGHT:
		/* The last step stops at the edge, so the end of the widest
		 * line can always be reached. */
		if (p->hmax <= 0)
			p->hscroll += step;
		else if (p->hscroll < p->hmax)
			p->hscroll = p->hscroll + step < p->hmax ? p->hscroll + step :
			    p->hmax;
		break;
	case KA_LINE_START:
		p->hscroll = 0;
		break;
	default:
		return UI_IGNORED;
	}
	panel_fix(p);
	return UI_HANDLED | UI_REDRAW;
}

void
panel_scroll(struct panel *p, int rows)
{
	size_t h = p->height > 0 ? (size_t)p->height : 1;

	if (rows < 0) {
		size_t r = (size_t)-rows;
		p->top = p->top > r ? p->top - r : 0;
		if (p->cur >= p->top + h)
			p->cur = p->top + h - 1;
	} else {
		p->top += (size_t)rows;
		if (p->n > h && p->top > p->n - h)
			p->top = p->n - h;
		else if (p->n <= h)
			p->top = 0;
		if (p->cur < p->top)
			p->cur = p->top;
	}
	panel_fix(p);
}

unsigned
panel_click(struct panel *p, int row)
{
	size_t r;

	if (row < 0)
		return UI_IGNORED;
	r = p->top + (size_t)row;
	if (r >= p->n)
		return UI_IGNORED;
	p->cur = r;
	panel_fix(p);
	return UI_HANDLED | UI_REDRAW;
}
