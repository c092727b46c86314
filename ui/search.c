#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "prompt.h"
#include "search.h"

/* The three ways the screens have always searched. The lists and the
 * event's columns follow the typing (Esc goes back to where the search
 * started); the exclusions search once the text is entered. */
static const struct search_words {
	int live;
	const char *before, *after;	/* around the text: nothing matches */
	const char *again;	/* n or N found nothing; NULL: as above */
	const char *none;	/* n or N before any search; NULL: nothing */
	const char *hint;	/* once a search is entered; NULL: nothing */
} words[] = {
	[SEARCH_TEXT] = { 1, "not found: ", "", "not found", "not found", NULL },
	[SEARCH_ROWS] = { 1, "no row contains \"", "\"", NULL,
		"no search: press / first",
		"n: next match, N: previous, M: mark all matches" },
	[SEARCH_RULES] = { 0, "not found: ", "", NULL, NULL, NULL },
};

void
search_init(struct search *s, enum search_kind kind, struct panel *p,
    search_match_fn match, void *ctx)
{
	s->kind = kind;
	s->text = NULL;
	s->p = p;
	s->match = match;
	s->ctx = ctx;
}

void
search_clear(struct search *s)
{
	free(s->text);
	s->text = NULL;
}

int
search_forget(struct search *s, struct app *app)
{
	if (s->text == NULL)
		return 0;
	search_clear(s);
	app_msg(app, "search cleared");
	return 1;
}

static void
search_set(struct search *s, const char *text)
{
	free(s->text);
	s->text = text[0] ? xstrdup(text) : NULL;
}

int
search_move(struct search *s, int dir, int here)
{
	struct panel *p = s->p;
	size_t k, i, n = p->n, len;

	s->wrapped = 0;
	if (s->text == NULL || n == 0)
		return 0;
	len = strlen(s->text);
	for (k = here ? 0 : 1; k <= n; k++) {
		i = dir > 0 ? (p->cur + k) % n : (p->cur + n - k % n) % n;
		if (s->match(s->ctx, i, s->text, len)) {
			s->wrapped = k > 0 && (dir > 0 ? i <= p->cur : i >= p->cur);
			p->cur = i;
			panel_fix(p);
			return 1;
		}
	}
	return 0;
}

size_t
search_count(const struct search *s, size_t *which)
{
	size_t i, n = 0, len;

	*which = 0;
	if (s->text == NULL)
		return 0;
	len = strlen(s->text);
	for (i = 0; i < s->p->n; i++)
		if (s->match(s->ctx, i, s->text, len)) {
			n++;
			if (i == s->p->cur)
				*which = n;
		}
	return n;
}

/* As vim says it: "match 3 of 17", ", wrapped" when the search went
 * round the end of the list. */
static void
say_where(struct app *app, const struct search *s, const char *hint)
{
	size_t which, n = search_count(s, &which);

	app_msg(app, "match %zu of %zu%s%s%s", which, n,
	    s->wrapped ? ", wrapped" : "", hint ? "  " : "", hint ? hint : "");
}

static void
say_missing(struct app *app, const struct search_words *w, const char *text)
{
	app_error(app, "%s%s%s", w->before, text, w->after);
}

struct live {
	struct search *s;
	size_t origin;		/* the cursor when the prompt opened */
};

static void
live_search(struct app *app, void *ctx, const char *text)
{
	struct live *lv = ctx;
	struct search *s = lv->s;

	search_set(s, text);
	s->p->cur = lv->origin;
	panel_fix(s->p);
	if (s->text != NULL && !search_move(s, 1, 1))
		say_missing(app, &words[s->kind], text);
	else
		app_clear_msg(app);
}

void
search_prompt(struct search *s, struct app *app)
{
	const struct search_words *w = &words[s->kind];
	struct live lv = { s, s->p->cur };
	/* A copy: the prompt gives its initial text back to the live search
	 * on Esc, after typing has replaced s->text. */
	char *initial = s->text ? xstrdup(s->text) : NULL, *text;
	int ok;

	ok = prompt_line(app, "Search: ", initial, w->live ? live_search : NULL,
	    &lv, &text);
	free(initial);
	if (!ok)
		return;
	if (!w->live) {
		search_set(s, text);
		if (s->text != NULL && !search_move(s, 1, 1))
			say_missing(app, w, s->text);
	}
	free(text);
	if (s->text != NULL && s->p->cur < s->p->n &&
	    s->match(s->ctx, s->p->cur, s->text, strlen(s->text)))
		say_where(app, s, w->hint);
}

void
search_again(struct search *s, struct app *app, int dir)
{
	const struct search_words *w = &words[s->kind];

	if (s->text == NULL) {
		if (w->none != NULL)
			app_error(app, "%s", w->none);
	} else if (search_move(s, dir, 0)) {
		say_where(app, s, NULL);
	} else if (w->again != NULL) {
		app_error(app, "%s", w->again);
	} else {
		say_missing(app, w, s->text);
	}
}
