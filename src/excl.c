/* The category and rule API over the line model: what the command line
 * and the console call to read and edit an exclusions set. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "excl.h"
#include "excl_lines.h"
#include "excl_rule.h"
#include "excl_value.h"
#include "util.h"

const char *
excl_state_name(enum excl_state st)
{
	switch (st) {
	case EXCL_ACTIVE: return "active";
	case EXCL_DISABLED: return "disabled";
	case EXCL_EXPIRED: return "expired";
	case EXCL_CATEGORY_OFF: return "category off";
	}
	return "?";
}

size_t
excl_category_count(const struct excl_set *s)
{
	return s->ncats;
}

const char *
excl_category_name(const struct excl_set *s, size_t c)
{
	return c < s->ncats ? s->cats[c].name : "";
}

const char *
excl_category_description(const struct excl_set *s, size_t c)
{
	return c < s->ncats ? s->cats[c].description : "";
}

int
excl_category_enabled(const struct excl_set *s, size_t c)
{
	return c < s->ncats && s->cats[c].enabled;
}

int
excl_category_builtin(const struct excl_set *s, size_t c)
{
	return c < s->ncats && s->cats[c].builtin;
}

size_t
excl_category_rule_count(const struct excl_set *s, size_t c)
{
	return c < s->ncats ? s->cats[c].nrules : 0;
}

long
excl_category_find(const struct excl_set *s, const char *name)
{
	return excl_cat_find(s, name, strlen(name));
}

int
excl_category_name_check(const struct excl_set *s, const char *name,
    char **cause)
{
	if (!excl_cat_name_valid(name, strlen(name))) {
		*cause = excl_cat_name_problem(name, strlen(name));
		return -1;
	}
	if (excl_cat_find(s, name, strlen(name)) >= 0) {
		*cause = xasprintf("category '%s' already exists", name);
		return -1;
	}
	return 0;
}

long
excl_category_add(struct excl_set *s, const char *name, const char *description,
    char **cause)
{
	char *desc;
	size_t c;

	if (excl_category_name_check(s, name, cause) != 0)
		return -1;
	desc = excl_note_clean(description, cause);
	if (desc == NULL)
		return -1;
	c = excl_cat_add(s, name, strlen(name), 0, desc);
	free(desc);
	excl_section_append(s, c);
	s->modified = 1;
	return (long)c;
}

int
excl_category_remove(struct excl_set *s, size_t c, char **cause)
{
	struct excl_cat *cat;
	size_t i;
	long sec;

	if (c >= s->ncats) {
		*cause = xasprintf("there is no category number %zu", c);
		return -1;
	}
	cat = &s->cats[c];
	if (cat->builtin) {
		*cause = xasprintf("[%s] is built in and stays; switch it off "
		    "instead", cat->name);
		return -1;
	}
	if (cat->nrules > 0) {
		*cause = xasprintf("[%s] still has %zu rule%s; remove %s first",
		    cat->name, cat->nrules, cat->nrules == 1 ? "" : "s",
		    cat->nrules == 1 ? "it" : "them");
		return -1;
	}
	/* Its [name], enabled = and description = lines; comments stay. */
	sec = cat->section_line;
	for (i = s->nlines; i-- > 0;) {
		enum line_kind k = s->lines[i].kind;
		if (s->lines[i].cat == c && (k == LINE_SECTION ||
		    k == LINE_ENABLED || k == LINE_DESCRIPTION))
			excl_lines_delete(s, i);
	}
	/* The blank line that adding the section at the end wrote goes with
	 * it (one the user wrote stays). */
	if (cat->blank_added && sec > 0 && (size_t)sec == s->nlines &&
	    s->lines[sec - 1].kind == LINE_TEXT &&
	    s->lines[sec - 1].text[0] == '\0')
		excl_lines_delete(s, (size_t)sec - 1);
	free(cat->name);
	free(cat->description);
	memmove(cat, cat + 1, (s->ncats - c - 1) * sizeof *cat);
	s->ncats--;
	for (i = 0; i < s->nlines; i++)
		if (s->lines[i].cat > c)
			s->lines[i].cat--;
	excl_reindex(s);
	s->modified = 1;
	return 0;
}

int
excl_category_set_enabled(struct excl_set *s, size_t c, int on, char **cause)
{
	struct excl_cat *cat;
	struct excl_line *l;
	const char *hash;
	char *old;

	if (c >= s->ncats) {
		*cause = xasprintf("there is no category number %zu", c);
		return -1;
	}
	cat = &s->cats[c];
	on = on != 0;
	if (cat->enabled == on)
		return 0;
	cat->enabled = on;
	s->modified = 1;
	if (cat->enabled_line >= 0) {
		/* Keep the user's comment at the end of the line. */
		l = &s->lines[cat->enabled_line];
		old = l->text;
		hash = strchr(old, '#');
		l->text = hash ? xasprintf("enabled = %s  %s", on ? "yes" : "no",
		    hash) : xasprintf("enabled = %s", on ? "yes" : "no");
		free(old);
		return 0;
	}
	if (cat->section_line < 0)
		excl_section_append(s, c);
	l = excl_lines_insert(s, (size_t)cat->section_line + 1, 1);
	l->text = xasprintf("enabled = %s", on ? "yes" : "no");
	l->kind = LINE_ENABLED;
	l->cat = c;
	excl_reindex(s);
	return 0;
}

size_t
excl_rule_count(const struct excl_set *s)
{
	return s->nrules;
}

const struct excl_rule *
excl_rule_at(const struct excl_set *s, size_t i)
{
	return s->rules[i];
}

size_t
excl_rule_category(const struct excl_set *s, size_t i)
{
	return i < s->nrules ? s->rules[i]->cat : 0;
}

enum excl_kind
excl_rule_kind(const struct excl_set *s, size_t i)
{
	return i < s->nrules ? s->rules[i]->kind : EXCL_IP;
}

const char *
excl_rule_text(const struct excl_set *s, size_t i)
{
	return i < s->nrules ? s->rules[i]->text : "";
}

const char *
excl_rule_note(const struct excl_set *s, size_t i)
{
	return i < s->nrules ? s->rules[i]->note : "";
}

time_t
excl_rule_until(const struct excl_set *s, size_t i)
{
	return i < s->nrules ? s->rules[i]->until : 0;
}

int
excl_rule_enabled(const struct excl_set *s, size_t i)
{
	return i < s->nrules && s->rules[i]->enabled;
}

int
excl_rule_expired(const struct excl_set *s, size_t i, time_t now)
{
	time_t until = excl_rule_until(s, i);

	return until != 0 && now >= until + 86400;
}

enum excl_state
excl_rule_state(const struct excl_set *s, size_t i, time_t now)
{
	if (!excl_rule_enabled(s, i))
		return EXCL_DISABLED;
	if (excl_rule_expired(s, i, now))
		return EXCL_EXPIRED;
	if (!excl_category_enabled(s, excl_rule_category(s, i)))
		return EXCL_CATEGORY_OFF;
	return EXCL_ACTIVE;
}

size_t
excl_rule_line(const struct excl_set *s, size_t i)
{
	return i < s->nrules ? s->rules[i]->line + 1 : 0;
}

static int
rule_index_ok(const struct excl_set *s, size_t i, char **cause)
{
	if (i < s->nrules)
		return 1;
	*cause = xasprintf("there is no rule number %zu (the file has %zu)",
	    i + 1, s->nrules);
	return 0;
}

/* The index of the first rule from index from on, in cat (or any
 * category: SIZE_MAX), with the same meaning as r, other than skip.
 * Networks compare directly: categories can hold tens of thousands. */
static long
find_same(const struct excl_set *s, size_t cat, const struct excl_rule *r,
    long skip, size_t from)
{
	char *key = NULL, *k;
	size_t i;
	long found = -1;

	for (i = from; i < s->nrules && found < 0; i++) {
		const struct excl_rule *o = s->rules[i];
		if ((cat != SIZE_MAX && o->cat != cat) || (long)i == skip ||
		    o->kind != r->kind)
			continue;
		if (r->kind == EXCL_IP) {
			if (o->pflen == r->pflen && o->addr.family == r->addr.family &&
			    memcmp(o->addr.a, r->addr.a, sizeof r->addr.a) == 0)
				found = (long)i;
			continue;
		}
		if (key == NULL)
			key = excl_rule_key(r);
		k = excl_rule_key(o);
		if (strcmp(k, key) == 0)
			found = (long)i;
		free(k);
	}
	free(key);
	return found;
}

static long
find_duplicate(const struct excl_set *s, size_t cat, const struct excl_rule *r,
    long skip)
{
	return find_same(s, cat, r, skip, 0);
}

long
excl_rule_find(const struct excl_set *s, enum excl_kind kind,
    const char *text, size_t from)
{
	struct excl_rule r;
	char *cause = NULL;
	long found;

	memset(&r, 0, sizeof r);
	if (excl_value_parse(kind, text, &r, &cause) != 0) {
		free(cause);
		return -1;
	}
	r.text = (char *)text;
	found = find_same(s, SIZE_MAX, &r, -1, from);
	return found;
}

static void
rule_refresh_line(struct excl_set *s, struct excl_rule *r)
{
	free(s->lines[r->line].text);
	s->lines[r->line].text = excl_rule_format(r);
	s->modified = 1;
}

long
excl_rule_add(struct excl_set *s, size_t cat, enum excl_kind kind,
    const char *text, const char *note, time_t until, char **cause)
{
	struct excl_rule *r;
	struct excl_line *l;
	char *clean;
	long dup;
	size_t pos;

	if (cat >= s->ncats) {
		*cause = xasprintf("there is no category number %zu", cat);
		return -1;
	}
	if (until < 0 || until % 86400 != 0) {
		*cause = xstrdup("the expiry must be a date (00:00 UTC)");
		return -1;
	}
	clean = excl_note_clean(note, cause);
	if (clean == NULL)
		return -1;
	r = xcalloc(1, sizeof *r);
	if (excl_value_parse(kind, text, r, cause) != 0) {
		free(clean);
		free(r);
		return -1;
	}
	r->text = xstrdup(text);
	r->note = clean;
	r->until = until;
	r->enabled = 1;
	dup = find_duplicate(s, cat, r, -1);
	if (dup >= 0) {
		*cause = xasprintf("[%s] already has this rule (number %ld, %s "
		    "%s)%s", s->cats[cat].name, dup + 1, excl_kind_name(kind),
		    s->rules[dup]->text, s->rules[dup]->enabled ? "" :
		    "; it is disabled: enable it instead");
		excl_rule_free(r);
		return -1;
	}
	pos = excl_rule_insert_pos(s, cat);
	l = excl_lines_insert(s, pos, 1);
	l->kind = LINE_RULE;
	l->cat = cat;
	l->rule = r;
	l->text = excl_rule_format(r);
	excl_reindex(s);
	s->modified = 1;
	return (long)r->index;
}

int
excl_rule_edit(struct excl_set *s, size_t i, enum excl_kind kind,
    const char *text, char **cause)
{
	struct excl_rule tmp, *r;
	long dup;

	if (!rule_index_ok(s, i, cause))
		return -1;
	r = s->rules[i];
	memset(&tmp, 0, sizeof tmp);
	if (excl_value_parse(kind, text, &tmp, cause) != 0)
		return -1;
	tmp.text = (char *)text;
	dup = find_duplicate(s, r->cat, &tmp, (long)i);
	if (dup >= 0) {
		*cause = xasprintf("[%s] already has this rule (number %ld)",
		    s->cats[r->cat].name, dup + 1);
		return -1;
	}
	free(r->text);
	r->text = xstrdup(text);
	r->kind = kind;
	r->addr = tmp.addr;
	r->pflen = tmp.pflen;
	rule_refresh_line(s, r);
	return 0;
}

int
excl_rule_set_note(struct excl_set *s, size_t i, const char *note, char **cause)
{
	char *clean;

	if (!rule_index_ok(s, i, cause))
		return -1;
	clean = excl_note_clean(note, cause);
	if (clean == NULL)
		return -1;
	free(s->rules[i]->note);
	s->rules[i]->note = clean;
	rule_refresh_line(s, s->rules[i]);
	return 0;
}

int
excl_rule_set_until(struct excl_set *s, size_t i, time_t until, char **cause)
{
	if (!rule_index_ok(s, i, cause))
		return -1;
	if (until < 0 || until % 86400 != 0) {
		*cause = xstrdup("the expiry must be a date (00:00 UTC)");
		return -1;
	}
	s->rules[i]->until = until;
	rule_refresh_line(s, s->rules[i]);
	return 0;
}

int
excl_rule_set_enabled(struct excl_set *s, size_t i, int on, char **cause)
{
	if (!rule_index_ok(s, i, cause))
		return -1;
	if (s->rules[i]->enabled == (on != 0))
		return 0;
	s->rules[i]->enabled = on != 0;
	rule_refresh_line(s, s->rules[i]);
	return 0;
}

int
excl_rule_remove(struct excl_set *s, size_t i, char **cause)
{
	if (!rule_index_ok(s, i, cause))
		return -1;
	excl_lines_delete(s, s->rules[i]->line);
	excl_reindex(s);
	s->modified = 1;
	return 0;
}
