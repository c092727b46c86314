/* The exclusions file's line model: lines, categories and the rules they
 * hold, and the edits that keep every untouched line as it was. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "excl.h"
#include "excl_lines.h"
#include "excl_value.h"
#include "util.h"

/* Descriptions follow Microsoft's guidance on what to exclude from this
 * hunting query. */
static const struct {
	const char *name, *description;
} builtin_cats[] = {
	{ "maintenance", "Scheduled maintenance and automation (PowerShell, "
	    "Task Scheduler) and internal management ranges" },
	{ "siem", "SIEM and log collectors (Splunk, ELK, Windows Event "
	    "Collector)" },
	{ "rds", "Remote Desktop Services and Remote Assistance servers, "
	    "workstations and users" },
	{ "defender", "Defender for Endpoint's own health checks and Microsoft "
	    "cloud service addresses" },
	{ "backup", "Backup and restore jobs (Veeam, Commvault, Veritas)" },
};
#define NBUILTIN (sizeof builtin_cats / sizeof builtin_cats[0])

const char *
excl_cat_builtin_description(size_t cat)
{
	return cat < NBUILTIN ? builtin_cats[cat].description : "";
}

static int
value_needs_quotes(const char *v)
{
	return *v == '\0' || *v == '"' || strpbrk(v, " \t#\"") != NULL;
}

char *
excl_rule_format(const struct excl_rule *r)
{
	struct buf b = { 0 };
	const char *p;
	char date[11];

	if (!r->enabled)
		buf_addc(&b, '!');
	buf_addf(&b, "%s ", excl_kind_name(r->kind));
	if (value_needs_quotes(r->text)) {
		buf_addc(&b, '"');
		for (p = r->text; *p != '\0'; p++) {
			if (*p == '"')
				buf_addc(&b, '"');
			buf_addc(&b, *p);
		}
		buf_addc(&b, '"');
	} else
		buf_add(&b, r->text, strlen(r->text));
	if (r->until != 0) {
		excl_date_format(r->until, date);
		buf_addf(&b, " until=%s", date);
	}
	if (r->note[0] != '\0')
		buf_addf(&b, "  # %s", r->note);
	return b.p;
}

void
excl_rule_free(struct excl_rule *r)
{
	if (r == NULL)
		return;
	free(r->text);
	free(r->note);
	free(r);
}

struct excl_line *
excl_lines_insert(struct excl_set *s, size_t pos, size_t count)
{
	s->lines = xgrow(s->lines, &s->caplines, s->nlines + count,
	    sizeof *s->lines);
	memmove(s->lines + pos + count, s->lines + pos,
	    (s->nlines - pos) * sizeof *s->lines);
	memset(s->lines + pos, 0, count * sizeof *s->lines);
	s->nlines += count;
	return s->lines + pos;
}

void
excl_lines_delete(struct excl_set *s, size_t pos)
{
	free(s->lines[pos].text);
	excl_rule_free(s->lines[pos].rule);
	memmove(s->lines + pos, s->lines + pos + 1,
	    (s->nlines - pos - 1) * sizeof *s->lines);
	s->nlines--;
}

size_t
excl_cat_add(struct excl_set *s, const char *name, size_t n, int builtin,
    const char *description)
{
	struct excl_cat *c;

	s->cats = xgrow(s->cats, &s->capcats, s->ncats + 1, sizeof *s->cats);
	c = &s->cats[s->ncats];
	memset(c, 0, sizeof *c);
	c->name = xstrndup(name, n);
	c->description = xstrdup(description ? description : "");
	c->builtin = builtin;
	c->enabled = 1;
	c->section_line = -1;
	c->enabled_line = -1;
	return s->ncats++;
}

long
excl_cat_find(const struct excl_set *s, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < s->ncats; i++)
		if (strlen(s->cats[i].name) == n &&
		    memcmp(s->cats[i].name, name, n) == 0)
			return (long)i;
	return -1;
}

void
excl_reindex(struct excl_set *s)
{
	size_t i, k = 0;

	for (i = 0; i < s->ncats; i++) {
		s->cats[i].section_line = -1;
		s->cats[i].enabled_line = -1;
		s->cats[i].nrules = 0;
	}
	s->nrules = 0;
	for (i = 0; i < s->nlines; i++)
		if (s->lines[i].kind == LINE_RULE)
			s->nrules++;
	s->rules = xgrow(s->rules, &s->caprules, s->nrules, sizeof *s->rules);
	for (i = 0; i < s->nlines; i++) {
		struct excl_line *l = &s->lines[i];
		switch (l->kind) {
		case LINE_SECTION:
			s->cats[l->cat].section_line = (long)i;
			break;
		case LINE_ENABLED:
			s->cats[l->cat].enabled_line = (long)i;
			break;
		case LINE_RULE:
			l->rule->line = i;
			l->rule->index = k;
			l->rule->cat = l->cat;
			s->cats[l->cat].nrules++;
			s->rules[k++] = l->rule;
			break;
		default:
			break;
		}
	}
}

struct excl_set *
excl_new_empty(const char *path)
{
	struct excl_set *s = xcalloc(1, sizeof *s);
	size_t i;

	s->path = xstrdup(path);
	for (i = 0; i < NBUILTIN; i++)
		excl_cat_add(s, builtin_cats[i].name, strlen(builtin_cats[i].name), 1,
		    builtin_cats[i].description);
	return s;
}

void
excl_free(struct excl_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nlines; i++) {
		free(s->lines[i].text);
		excl_rule_free(s->lines[i].rule);
	}
	for (i = 0; i < s->ncats; i++) {
		free(s->cats[i].name);
		free(s->cats[i].description);
	}
	free(s->lines);
	free(s->rules);
	free(s->cats);
	free(s->path);
	free(s);
}

size_t
excl_section_append(struct excl_set *s, size_t c)
{
	struct excl_cat *cat = &s->cats[c];
	struct excl_line *l;
	size_t n = 0;

	if (s->nlines > 0 && s->lines[s->nlines - 1].text[0] != '\0') {
		l = excl_lines_insert(s, s->nlines, 1);
		l->text = xstrdup("");
		l->kind = LINE_TEXT;
		cat->blank_added = 1;
	}
	if (cat->builtin) {
		l = excl_lines_insert(s, s->nlines, 1);
		l->text = xasprintf("# %s", cat->description);
		l->kind = LINE_TEXT;
	}
	l = excl_lines_insert(s, s->nlines, 1);
	l->text = xasprintf("[%s]", cat->name);
	l->kind = LINE_SECTION;
	l->cat = c;
	n = s->nlines;
	if (!cat->builtin && cat->description[0] != '\0') {
		l = excl_lines_insert(s, s->nlines, 1);
		l->text = xasprintf("description = %s", cat->description);
		l->kind = LINE_DESCRIPTION;
		l->cat = c;
		n = s->nlines;
	}
	excl_reindex(s);
	return n;
}

/* Where a new rule for category c goes: after the last rule or option of
 * its section, so comments between sections stay with the next one. */
size_t
excl_rule_insert_pos(struct excl_set *s, size_t c)
{
	size_t i, last;

	if (s->cats[c].section_line < 0)
		return excl_section_append(s, c);
	last = (size_t)s->cats[c].section_line;
	for (i = last + 1; i < s->nlines; i++) {
		enum line_kind k = s->lines[i].kind;
		if (k == LINE_SECTION)
			break;
		if (k != LINE_TEXT)
			last = i;
	}
	return last + 1;
}

void
excl_insert_rules(struct excl_set *s, size_t cat, struct excl_rule **rules,
    size_t count)
{
	struct excl_line *l;
	size_t pos, i;

	if (count == 0)
		return;
	pos = excl_rule_insert_pos(s, cat);
	l = excl_lines_insert(s, pos, count);
	for (i = 0; i < count; i++) {
		l[i].kind = LINE_RULE;
		l[i].cat = cat;
		l[i].rule = rules[i];
		l[i].text = excl_rule_format(rules[i]);
	}
	excl_reindex(s);
	s->modified = 1;
}
