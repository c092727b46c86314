#include "config.h"

#include <stdlib.h>

#include "colvis.h"
#include "util.h"

void
colvis_init(struct colvis *v, int ncols)
{
	v->ncols = ncols > 0 ? ncols : 0;
	v->nhidden = 0;
	v->hidden = xcalloc(v->ncols ? (size_t)v->ncols : 1, 1);
}

void
colvis_free(struct colvis *v)
{
	free(v->hidden);
	v->hidden = NULL;
	v->ncols = v->nhidden = 0;
}

int
colvis_hidden(const struct colvis *v, int col)
{
	return col >= 0 && col < v->ncols && v->hidden[col];
}

int
colvis_hide(struct colvis *v, int col)
{
	if (col < 0 || col >= v->ncols)
		return -1;
	if (v->hidden[col])
		return 1;
	/* An empty table would leave nothing to bring the columns back
	 * with the column cursor on, and nothing to read. */
	if (v->nhidden + 1 >= v->ncols)
		return -1;
	v->hidden[col] = 1;
	v->nhidden++;
	return 0;
}

int
colvis_show_all(struct colvis *v)
{
	int n = v->nhidden, c;

	for (c = 0; c < v->ncols; c++)
		v->hidden[c] = 0;
	v->nhidden = 0;
	return n;
}

int
colvis_step(const struct colvis *v, int col, int step)
{
	int i, c;

	if (v->ncols == 0)
		return -1;
	if (col < 0 || col >= v->ncols)
		col = 0;
	for (i = step == 0 ? 0 : 1; i <= v->ncols; i++) {
		c = ((col + (step < 0 ? -i : i)) % v->ncols + v->ncols) % v->ncols;
		if (!v->hidden[c])
			return c;
	}
	return -1;
}

int
colvis_nth(const struct colvis *v, int nth)
{
	int c;

	for (c = 0; c < v->ncols; c++)
		if (!v->hidden[c] && nth-- == 0)
			return c;
	return -1;
}
