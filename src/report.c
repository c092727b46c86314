#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include "export.h"
#include "report.h"
#include "savefile.h"
#include "sha256.h"
#include "timebins.h"
#include "ts.h"

/* Timeline bins: an HTML one is a small SVG, a Markdown one a line of
 * block characters in a table cell. */
#define TL_BINS_HTML 48
#define TL_BINS_MD 24
/* Chart labels are cut to this many characters. */
#define LABEL_MAX 40
#define MINUS "\xe2\x88\x92 "

#define NRAW RAWEVENT_SHOWN_N

enum pseudo_kind { PS_DOMAIN, PS_ACCOUNT, PS_DEVICE, PS_IP, PS_RULE };

struct rep {
	struct buf *b;
	const struct report_input *in;
	const struct hunt *h;
	enum report_format fmt;
	unsigned flags;
	unsigned char key[32];	/* the pseudonyms' key, never written */
	char pseudo[32];
	struct buf tmp, msg;
	const struct out_sink *sink;	/* NULL: all of it stays in b */
	int stopped;		/* the sink refused a piece */
};

size_t
report_facts_from_lines(char *text, const char *name,
    struct report_fact *facts, size_t nfacts, size_t max)
{
	char *line, *nl;

	for (line = text; line != NULL && *line && nfacts < max; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		facts[nfacts].name = name;
		facts[nfacts++].value = line;
	}
	return nfacts;
}

int
report_format_parse(const char *s, enum report_format *out)
{
	if (strcmp(s, "html") == 0)
		*out = REPORT_HTML;
	else if (strcmp(s, "md") == 0 || strcmp(s, "markdown") == 0)
		*out = REPORT_MD;
	else
		return -1;
	return 0;
}

int
report_format_from_name(const char *path, enum report_format *out)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (dot == NULL || (slash != NULL && dot < slash))
		return -1;
	if (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0)
		*out = REPORT_HTML;
	else if (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0)
		*out = REPORT_MD;
	else
		return -1;
	return 0;
}

/* ------------------------------------------------------------ escapes */

/* Bytes that pass into HTML text and quoted attributes as they are:
 * printable ASCII but for the five HTML specials (and the backslash, which
 * the terminal escaping doubles). */
static int
html_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '&' && c != '<' && c != '>' &&
	    c != '"' && c != '\'' && c != '\\';
}

/* Entities for text already made visible by buf_add_escaped. */
static void
html_entities(struct buf *b, const char *s, size_t n)
{
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		const char *e;

		switch (s[i]) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: continue;
		}
		buf_add(b, s + run, i - run);
		buf_add(b, e, strlen(e));
		run = i + 1;
	}
	buf_add(b, s + run, n - run);
}

void
report_html_text(struct buf *b, const char *s, size_t n)
{
	struct buf vis = { 0 };
	size_t i;

	for (i = 0; i < n && html_plain((unsigned char)s[i]); i++)
		;
	if (i == n) {
		buf_add(b, s, n);
		return;
	}
	buf_add_escaped(&vis, s, n);
	html_entities(b, vis.p, vis.len);
	buf_free(&vis);
}

/* A code span is the one Markdown construct inside which nothing is
 * interpreted: no HTML, no link, no emphasis, no autolink, no entity. Its
 * fence is one backtick longer than the longest run inside. */
static void
md_code_visible(struct buf *b, const char *s, size_t n, int in_table)
{
	size_t i, run = 0, longest = 0, k;

	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (k = 0; k <= longest; k++)
		buf_addc(b, '`');
	/* A space each side, which the renderer strips: a value starting
	 * or ending with a backtick cannot join the fence. */
	buf_addc(b, ' ');
	for (i = 0; i < n; i++) {
		/* A table row is split at every pipe not escaped, even
		 * inside a code span (GFM). */
		if (in_table && s[i] == '|')
			buf_addc(b, '\\');
		buf_addc(b, s[i]);
	}
	buf_addc(b, ' ');
	for (k = 0; k <= longest; k++)
		buf_addc(b, '`');
}

void
report_md_code(struct buf *b, const char *s, size_t n, int in_table)
{
	struct buf vis = { 0 };
	size_t i;

	/* Printable ASCII but the backslash is already as it shows. */
	for (i = 0; i < n && s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\'; i++)
		;
	if (i == n) {
		md_code_visible(b, s, n, in_table);
		return;
	}
	buf_add_escaped(&vis, s, n);
	md_code_visible(b, vis.p ? vis.p : "", vis.len, in_table);
	buf_free(&vis);
}

/* ------------------------------------------------------------ writing */

static void
add_uint(struct buf *b, uint64_t v)
{
	char d[24];
	size_t i = sizeof d;

	do
		d[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	buf_add(b, d + i, sizeof d - i);
}

static void
lit(struct rep *r, const char *s)
{
	buf_add(r->b, s, strlen(s));
}

/* A value from the data, in a table cell or in running text. */
static void
val(struct rep *r, const char *s, size_t n)
{
	if (r->fmt == REPORT_HTML)
		report_html_text(r->b, s, n);
	else
		report_md_code(r->b, s, n, 1);
}

static void
valz(struct rep *r, const char *s)
{
	val(r, s, strlen(s));
}

/* A value cut to max characters (after making it visible, unless it is
 * already), for labels. */
static void
val_short(struct rep *r, const char *s, size_t n, size_t max, int visible)
{
	size_t i, cps = 0;

	buf_reset(&r->tmp);
	if (visible)
		buf_add(&r->tmp, s, n);
	else
		buf_add_escaped(&r->tmp, s, n);
	for (i = 0; i < r->tmp.len; i++)
		if (((unsigned char)r->tmp.p[i] & 0xc0) != 0x80 && ++cps > max)
			break;
	if (i < r->tmp.len) {
		r->tmp.len = i;
		buf_add(&r->tmp, "\xe2\x80\xa6", 3);
	}
	if (r->fmt == REPORT_HTML)
		html_entities(r->b, r->tmp.p ? r->tmp.p : "", r->tmp.len);
	else
		md_code_visible(r->b, r->tmp.p ? r->tmp.p : "", r->tmp.len, 1);
}

static void
cell_begin(struct rep *r, const char *head, int numeric)
{
	if (r->fmt == REPORT_MD) {
		lit(r, " ");
		return;
	}
	/* The column's name is ours; the narrow-screen layout shows it
	 * before each value. */
	lit(r, numeric ? "<td class=\"n\" data-h=\"" : "<td data-h=\"");
	html_entities(r->b, head, strlen(head));
	lit(r, "\">");
}

static void
cell_end(struct rep *r)
{
	lit(r, r->fmt == REPORT_MD ? " |" : "</td>");
}

static void
row_begin(struct rep *r)
{
	lit(r, r->fmt == REPORT_MD ? "|" : "<tr>");
}

/* Hands what is built to the sink, at the end or once it holds a piece's
 * worth: a report of a million groups and their events is never whole in
 * memory. After a refusal the rest is made and dropped. */
static void
flush(struct rep *r, int end)
{
	if (r->sink == NULL || (!end && r->b->len < OUT_CHUNK))
		return;
	if (r->b->len > 0 && !r->stopped &&
	    r->sink->write(r->sink->ctx, r->b->p, r->b->len) != 0)
		r->stopped = 1;
	buf_reset(r->b);
}

static void
row_end(struct rep *r)
{
	lit(r, r->fmt == REPORT_MD ? "\n" : "</tr>\n");
	flush(r, 0);
}

/* The table head: n column names (ours), numeric ones right-aligned. */
static void
table_begin(struct rep *r, const char *cls, const char *const *names,
    const int *numeric, size_t n)
{
	size_t i;

	if (r->fmt == REPORT_MD) {
		lit(r, "\n|");
		for (i = 0; i < n; i++)
			buf_addf(r->b, " %s |", names[i]);
		lit(r, "\n|");
		for (i = 0; i < n; i++)
			lit(r, numeric && numeric[i] ? " ---: |" : " --- |");
		lit(r, "\n");
		return;
	}
	/* The browser lays out a chunk of a long table only when it comes
	 * into view. */
	buf_addf(r->b, "<div class=\"wrap%s\"><table class=\"%s\">",
	    strncmp(cls, "rt ", 3) == 0 ? " chunk" : "", cls);
	/* A table of names and values needs no head. */
	if (names[0][0] == '\0') {
		lit(r, "<tbody>\n");
		return;
	}
	lit(r, "<thead><tr>");
	for (i = 0; i < n; i++) {
		lit(r, numeric && numeric[i] ? "<th class=\"n\">" : "<th>");
		html_entities(r->b, names[i], strlen(names[i]));
		lit(r, "</th>");
	}
	lit(r, "</tr></thead>\n<tbody>\n");
}

static void
table_end(struct rep *r)
{
	lit(r, r->fmt == REPORT_MD ? "\n" : "</tbody></table></div>\n");
}

static void
heading(struct rep *r, int level, const char *id, const char *text)
{
	if (r->fmt == REPORT_MD)
		buf_addf(r->b, "\n%.*s %s\n", level, "######", text);
	else
		buf_addf(r->b, "<h%d id=\"%s\">%s</h%d>\n", level, id, text, level);
}

static void
para(struct rep *r, const char *text)
{
	if (r->fmt == REPORT_MD)
		buf_addf(r->b, "\n%s\n", text);
	else
		buf_addf(r->b, "<p>%s</p>\n", text);
}

/* ------------------------------------------------------------ pseudonyms */

static int
key_init(struct rep *r)
{
	size_t got = 0;
	ssize_t k;

	while (got < sizeof r->key) {
		k = getrandom(r->key + got, sizeof r->key - got, 0);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)k;
	}
	return 0;
}

/* The value, or its pseudonym in an anonymised report: the first 48 bits
 * of HMAC-SHA-256 under the report's random key, so the same value always
 * gives the same name within the report and no name can be traced back
 * once the key is gone. Empty stays empty. */
static const char *
pseudo(struct rep *r, enum pseudo_kind kind, const char *s, size_t n,
    size_t *len)
{
	static const char *const prefix[] = { "domain-", "account-", "device-",
		"ip-", "rule-" };
	unsigned char d[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];

	if (!(r->flags & REPORT_ANONYMIZE) || n == 0) {
		*len = n;
		return s;
	}
	/* The kind is part of the message: an account and a device of the
	 * same name get unrelated pseudonyms. */
	buf_reset(&r->msg);
	buf_addc(&r->msg, (char)('0' + kind));
	buf_add(&r->msg, s, n);
	sha256_hmac(r->key, sizeof r->key, r->msg.p, r->msg.len, d);
	sha256_hex(d, hex);
	*len = (size_t)snprintf(r->pseudo, sizeof r->pseudo, "%s%.12s",
	    prefix[kind], hex);
	return r->pseudo;
}

static const char *
group_cell(struct rep *r, const struct lh_group *g, enum hunt_col c,
    char tmp[TS_BUFSZ], size_t *len)
{
	const char *s = hunt_cell(r->h, g, c, tmp, len);

	switch (c) {
	case HC_DOMAIN: return pseudo(r, PS_DOMAIN, s, *len, len);
	case HC_NAME: return pseudo(r, PS_ACCOUNT, s, *len, len);
	case HC_REMOTEIP: return pseudo(r, PS_IP, s, *len, len);
	default: return s;
	}
}

/* A path as the report shows it: anonymised, only its last component,
 * since directories name people and customers. */
static const char *
shown_path(const struct rep *r, const char *path)
{
	const char *slash = strrchr(path, '/');

	return (r->flags & REPORT_ANONYMIZE) && slash ? slash + 1 : path;
}

/* ------------------------------------------------------------ manifest */

static void
utc_time(time_t t, char out[32])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "%lld", (long long)t);
}

static void
kv_row(struct rep *r, const char *name)
{
	row_begin(r);
	if (r->fmt == REPORT_MD)
		buf_addf(r->b, " %s |", name);
	else
		buf_addf(r->b, "<th>%s</th>", name);
	cell_begin(r, name, 0);
}

static void
kv_text(struct rep *r, const char *name, const char *value)
{
	kv_row(r, name);
	valz(r, value);
	cell_end(r);
	row_end(r);
}

static void
duration_text(int64_t ticks, char out[48])
{
	int64_t s = ticks / TS_TICKS_PER_SEC;

	if (s % 86400 == 0)
		snprintf(out, 48, "%" PRId64 "d", s / 86400);
	else if (s % 3600 == 0)
		snprintf(out, 48, "%" PRId64 "h", s / 3600);
	else if (s % 60 == 0)
		snprintf(out, 48, "%" PRId64 "m", s / 60);
	else
		snprintf(out, 48, "%" PRId64 "s", s);
}

/* The command line an anonymised report shows: arguments holding a path
 * cut to their last component. */
static char *
shown_cmdline(const struct rep *r)
{
	const char *c = r->in->cmdline, *sp, *word, *slash;
	struct buf b = { 0 };

	if (!(r->flags & REPORT_ANONYMIZE))
		return xstrdup(c);
	for (; *c; c = sp) {
		sp = strchr(c, ' ');
		if (sp == NULL)
			sp = c + strlen(c);
		word = c;
		slash = NULL;
		for (; c < sp; c++)
			if (*c == '/')
				slash = c;
		if (slash != NULL)
			word = slash + 1;
		buf_add(&b, word, (size_t)(sp - word));
		if (*sp == ' ') {
			buf_addc(&b, ' ');
			sp++;
		}
	}
	buf_addc(&b, '\0');
	return b.p;
}

static void
manifest_run(struct rep *r)
{
	static const char *const kv_head[] = { "", "" };
	const struct hunt *h = r->h;
	const struct hunt_opts *o = &h->opts;
	char t[32], t2[TS_BUFSZ], dur[48];
	struct buf s = { 0 };
	char *cmd;
	size_t i;

	heading(r, 2, "manifest", "Manifest");
	table_begin(r, "kv", kv_head, NULL, 2);
	kv_text(r, "logonhunt version", r->in->version);
	if (r->in->cmdline != NULL) {
		cmd = shown_cmdline(r);
		kv_text(r, "Command line", cmd);
		free(cmd);
	} else
		kv_text(r, "Command line", r->in->marked ?
		    "(the console: the rows marked)" : "(the console: the rows shown)");
	utc_time(r->in->started, t);
	kv_text(r, "Started", t);
	buf_addf(&s, "%.3f s", r->in->elapsed);
	kv_text(r, r->in->cmdline ? "Elapsed until the report" :
	    "Loading took", s.p);
	buf_reset(&s);
	utc_time(r->in->now, t);
	kv_text(r, "Exclusions evaluated at", t);
	if (o->from == TS_NONE && o->until == TS_NONE)
		buf_addf(&s, "none (every Public logon)");
	else {
		ts_format(o->from, t2);
		buf_addf(&s, "from %s", o->from == TS_NONE ? "the start" : t2);
		ts_format(o->until, t2);
		buf_addf(&s, " until %s", o->until == TS_NONE ? "the end" : t2);
		if (o->since > 0) {
			duration_text(o->since, dur);
			buf_addf(&s, " (--since %s, counted from %s)", dur,
			    o->since_data ? "the newest Public logon" : "the clock");
		}
	}
	kv_text(r, "Time window", s.p);
	kv_text(r, "Identity filter", o->identity == HUNT_IDENTITY_INTERNAL ?
	    "internal: drops IPs seen in identity logons with ISP == \"INTERNAL_NETWORK\"" :
	    "as-written: drops IPs seen in identity logons with ISP != \"INTERNAL_NETWORK\"");
	buf_reset(&s);
	buf_addf(&s, "%zu group%s (%s)", r->in->n, r->in->n == 1 ? "" : "s",
	    r->in->marked ? "the rows marked in the console" : "every row shown");
	kv_text(r, "Reported", s.p);
	kv_text(r, "Anonymised", r->flags & REPORT_ANONYMIZE ?
	    "yes: accounts, domains, devices and IPs are pseudonyms under a key "
	    "that was not kept; notes, command lines and directories withheld" : "no");
	for (i = 0; i < r->in->nfacts; i++)
		kv_text(r, r->in->facts[i].name, r->in->facts[i].value);
	table_end(r);
	buf_free(&s);
}

static void
manifest_inputs(struct rep *r)
{
	static const char *const names[] = { "File", "Table", "Bytes",
		"Rows read", "SHA-256" };
	static const int numeric[] = { 0, 0, 1, 1, 0 };
	const struct table_data *d = r->h->d;
	char hex[2 * SHA256_LEN + 1];
	size_t i;

	heading(r, 3, "inputs", "Input files");
	table_begin(r, "rt inputs", names, numeric, 5);
	for (i = 0; i < d->nfiles; i++) {
		const struct lh_file *f = &d->files[i];

		row_begin(r);
		cell_begin(r, names[0], 0);
		valz(r, shown_path(r, f->path));
		cell_end(r);
		cell_begin(r, names[1], 0);
		lit(r, table_name(f->table));
		cell_end(r);
		cell_begin(r, names[2], 1);
		buf_addf(r->b, "%" PRIu64, f->size);
		cell_end(r);
		cell_begin(r, names[3], 1);
		buf_addf(r->b, "%" PRIu64, f->rows);
		cell_end(r);
		cell_begin(r, names[4], 0);
		if (sha256_file(f->path, hex) == 0)
			lit(r, hex);
		else {
			lit(r, "unreadable: ");
			valz(r, strerror(errno));
		}
		cell_end(r);
		row_end(r);
	}
	table_end(r);
}

static void
manifest_exclusions(struct rep *r)
{
	static const char *const names[] = { "Category", "Kind", "Value", "Note",
		"Expires", "Groups", "Logons" };
	static const int numeric[] = { 0, 0, 0, 0, 0, 1, 1 };
	const struct excl_set *set = r->in->excl;
	const struct hunt *h = r->h;
	char hex[2 * SHA256_LEN + 1], date[11];
	struct buf s = { 0 };
	size_t i, nr, inactive = 0, len;
	const char *v;

	heading(r, 3, "exclusions", "Exclusions");
	if (set == NULL) {
		para(r, "None: the run ignored the allowlist.");
		return;
	}
	if (r->fmt == REPORT_MD)
		lit(r, "\nFile: ");
	else
		lit(r, "<p>File: <code>");
	valz(r, shown_path(r, excl_path(set)));
	if (r->fmt == REPORT_HTML)
		lit(r, "</code>");
	if (sha256_file(excl_path(set), hex) == 0)
		buf_addf(r->b, ", SHA-256 %s", hex);
	else
		lit(r, errno == ENOENT ? " (no such file: no rules)" : " (unreadable)");
	lit(r, r->fmt == REPORT_MD ? "\n" : "</p>\n");
	nr = excl_rule_count(set);
	table_begin(r, "rt rules", names, numeric, 7);
	for (i = 0; i < nr; i++) {
		time_t until = excl_rule_until(set, i);

		if (excl_rule_state(set, i, r->in->now) != EXCL_ACTIVE) {
			inactive++;
			continue;
		}
		row_begin(r);
		cell_begin(r, names[0], 0);
		valz(r, excl_category_name(set, excl_rule_category(set, i)));
		cell_end(r);
		cell_begin(r, names[1], 0);
		lit(r, excl_kind_name(excl_rule_kind(set, i)));
		cell_end(r);
		cell_begin(r, names[2], 0);
		v = excl_rule_text(set, i);
		v = pseudo(r, excl_rule_kind(set, i) == EXCL_IP ? PS_IP :
		    excl_rule_kind(set, i) == EXCL_DEVICE ? PS_DEVICE : PS_RULE,
		    v, strlen(v), &len);
		val(r, v, len);
		cell_end(r);
		cell_begin(r, names[3], 0);
		if (r->flags & REPORT_ANONYMIZE)
			lit(r, excl_rule_note(set, i)[0] ? "(withheld)" : "");
		else
			valz(r, excl_rule_note(set, i));
		cell_end(r);
		cell_begin(r, names[4], 0);
		if (until != 0) {
			excl_date_format(until, date);
			lit(r, date);
		} else
			lit(r, "never");
		cell_end(r);
		cell_begin(r, names[5], 1);
		buf_addf(r->b, "%" PRIu64, i < h->nrules ? h->rule_groups[i] : 0);
		cell_end(r);
		cell_begin(r, names[6], 1);
		buf_addf(r->b, "%" PRIu64, i < h->nrules ? h->rule_events[i] : 0);
		cell_end(r);
		row_end(r);
	}
	table_end(r);
	buf_addf(&s, "%zu active rule%s listed; %zu inactive (disabled, expired "
	    "or in a category switched off) not applied.", nr - inactive,
	    nr - inactive == 1 ? "" : "s", inactive);
	para(r, s.p);
	buf_free(&s);
}

/* ------------------------------------------------------------ bar charts */

struct bar {
	const char *label;	/* ours, or NULL */
	const char *data;	/* from the data, after the label, or NULL */
	int visible;		/* data already made visible (buf_add_escaped) */
	size_t n;
	uint64_t v;
	int removed;
};

static void
bar_label(struct rep *r, const struct bar *bar)
{
	if (bar->label)
		lit(r, bar->label);
	if (bar->data)
		val_short(r, bar->data, bar->n, LABEL_MAX, bar->visible);
}

/* Horizontal bars scaled to the largest value: an inline SVG in HTML, a
 * table with bars of block characters in Markdown. */
static void
bar_chart(struct rep *r, const char *title, const char *what,
    const struct bar *bars, size_t n)
{
	uint64_t max = 1;
	size_t i, w;
	const int row_h = 22, label_w = 290, bar_w = 230;

	for (i = 0; i < n; i++)
		if (bars[i].v > max)
			max = bars[i].v;
	if (r->fmt == REPORT_MD) {
		const char *names[3] = { what, "Count", "" };
		static const int numeric[] = { 0, 1, 0 };

		table_begin(r, "", names, numeric, 3);
		for (i = 0; i < n; i++) {
			lit(r, "| ");
			bar_label(r, &bars[i]);
			buf_addf(r->b, " | %" PRIu64 " | ", bars[i].v);
			w = (size_t)((double)bars[i].v / (double)max * 30 + 0.5);
			if (w == 0 && bars[i].v > 0)
				w = 1;
			while (w-- > 0)
				lit(r, bars[i].removed ? "\xe2\x96\x91" : "\xe2\x96\x88");
			lit(r, " |\n");
		}
		lit(r, "\n");
		return;
	}
	buf_addf(r->b, "<figure class=\"wrap\"><svg class=\"chart\" viewBox=\"0 0 600 %zu\" "
	    "role=\"img\" aria-label=\"%s\"><title>%s</title>\n",
	    n * row_h + 4, title, title);
	for (i = 0; i < n; i++) {
		double len = (double)bars[i].v / (double)max * bar_w;
		size_t y = i * row_h + 2;

		if (len < 1 && bars[i].v > 0)
			len = 1;
		buf_addf(r->b, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">",
		    label_w - 6, y + 15);
		bar_label(r, &bars[i]);
		buf_addf(r->b, "</text><rect class=\"%s\" x=\"%d\" y=\"%zu\" "
		    "width=\"%.1f\" height=\"%d\"/><text x=\"%.1f\" y=\"%zu\">%"
		    PRIu64 "</text>\n", bars[i].removed ? "rm" : "bar", label_w,
		    y + 2, len, row_h - 6, label_w + len + 4, y + 15, bars[i].v);
	}
	lit(r, "</svg></figure>\n");
}

static void
funnel(struct rep *r)
{
	const struct hunt *h = r->h;
	const struct hunt_funnel *f = &h->f;
	const struct excl_set *set = r->in->excl;
	struct bar bars[16 + 64];
	size_t n = 0, c, i;
	uint64_t events;

	memset(bars, 0, sizeof bars);
	heading(r, 2, "funnel", "Funnel");
	para(r, "From the rows read to the groups reported: what each step of "
	    "the hunt removed (logons).");
	bars[n].label = "DeviceLogonEvents rows";
	bars[n++].v = f->rows[LH_LOGONS];
	bars[n].label = "Public logons";
	bars[n++].v = f->public_logons;
	if (h->opts.from != TS_NONE || h->opts.until != TS_NONE) {
		bars[n].label = MINUS "outside the time window";
		bars[n].removed = 1;
		bars[n++].v = f->removed_window;
	}
	bars[n].label = MINUS "device IP join (DeviceNetworkInfo)";
	bars[n].removed = 1;
	bars[n++].v = f->removed_device;
	bars[n].label = MINUS "identity join (IdentityLogonEvents)";
	bars[n].removed = 1;
	bars[n++].v = f->removed_identity;
	for (c = 0; set != NULL && c < excl_category_count(set) && n < 64; c++) {
		events = 0;
		for (i = 0; i < excl_rule_count(set) && i < h->nrules; i++)
			if (excl_rule_category(set, i) == c)
				events += h->rule_events[i];
		if (events == 0)
			continue;
		bars[n].label = MINUS "exclusions: ";
		bars[n].data = excl_category_name(set, c);
		bars[n].n = strlen(bars[n].data);
		bars[n].removed = 1;
		bars[n++].v = events;
	}
	bars[n].label = "Logons in the groups";
	bars[n++].v = f->events;
	bars[n].label = "Groups";
	bars[n++].v = f->groups;
	bar_chart(r, "The funnel", "Step", bars, n);
}

struct tally {
	uint64_t key;
	uint64_t v;
};

static int
tally_by_key(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

static int
tally_by_value(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	if (x->v != y->v)
		return x->v < y->v ? 1 : -1;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* The reported groups' logons summed per key (an IP, or a domain and
 * account name), largest first; returns how many distinct keys. */
static size_t
tally_top(const struct rep *r, int accounts, struct tally **out)
{
	const struct lh_group *g;
	struct tally *t = xmalloc((r->in->n ? r->in->n : 1) * sizeof *t);
	size_t i, m = 0;

	for (i = 0; i < r->in->n; i++) {
		g = &r->h->g[r->in->rows[i]];
		t[i].key = accounts ? (uint64_t)g->key[K_DOMAIN] << 32 | g->key[K_NAME] :
		    g->key[K_REMOTEIP];
		t[i].v = g->count;
	}
	qsort(t, r->in->n, sizeof *t, tally_by_key);
	for (i = 0; i < r->in->n; i++) {
		if (m > 0 && t[m - 1].key == t[i].key)
			t[m - 1].v += t[i].v;
		else
			t[m++] = t[i];
	}
	qsort(t, m, sizeof *t, tally_by_value);
	*out = t;
	return m;
}

static void
top_chart(struct rep *r, int accounts)
{
	const struct strtab *st = r->h->d->st;
	struct tally *t;
	struct bar bars[REPORT_TOP_N];
	struct buf labels[REPORT_TOP_N];
	size_t m, i, len;
	const char *s;
	uint32_t dom, name;

	m = tally_top(r, accounts, &t);
	heading(r, 2, accounts ? "top-accounts" : "top-ips",
	    accounts ? "Top accounts" : "Top remote IPs");
	if (m == 0) {
		para(r, "No groups reported.");
		free(t);
		return;
	}
	if (m > REPORT_TOP_N) {
		struct buf note = { 0 };

		buf_addf(&note, "The %d with the most logons of %zu.", REPORT_TOP_N, m);
		para(r, note.p);
		buf_free(&note);
		m = REPORT_TOP_N;
	}
	memset(bars, 0, sizeof bars);
	memset(labels, 0, sizeof labels);
	for (i = 0; i < m; i++) {
		if (accounts) {
			dom = (uint32_t)(t[i].key >> 32);
			name = (uint32_t)t[i].key;
			/* Each part made visible on its own, so that the
			 * backslash between them stays single. */
			s = pseudo(r, PS_DOMAIN, strtab_str(st, dom), strtab_len(st, dom), &len);
			buf_add_escaped(&labels[i], s, len);
			buf_addc(&labels[i], '\\');
			s = pseudo(r, PS_ACCOUNT, strtab_str(st, name), strtab_len(st, name), &len);
			buf_add_escaped(&labels[i], s, len);
		} else {
			s = pseudo(r, PS_IP, strtab_str(st, (uint32_t)t[i].key),
			    strtab_len(st, (uint32_t)t[i].key), &len);
			buf_add_escaped(&labels[i], s, len);
		}
		bars[i].data = labels[i].p;
		bars[i].visible = 1;
		bars[i].n = labels[i].len;
		bars[i].v = t[i].v;
	}
	bar_chart(r, accounts ? "Top accounts by logons" : "Top remote IPs by logons",
	    accounts ? "Account" : "RemoteIP", bars, m);
	for (i = 0; i < m; i++)
		buf_free(&labels[i]);
	free(t);
}

/* ------------------------------------------------------------ groups */

/* A bin's bar, the peak at top and the least count at least 1: unlike the
 * console's, whose single events sit on the floor, a timeline of a few
 * logons must show them. */
static unsigned
bar_height(const struct timebins *tb, size_t k, unsigned top)
{
	return (unsigned)(((uint64_t)tb->count[k] * top + tb->peak - 1) / tb->peak);
}

static void
timeline(struct rep *r, const uint32_t *evs, size_t nev)
{
	static const char *const blocks[] = { "\xc2\xb7", "\xe2\x96\x81",
		"\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85",
		"\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88" };
	struct timebins tb;
	char lo[TS_BUFSZ], hi[TS_BUFSZ];
	size_t k;
	unsigned level;

	if (timebins_fill(&tb, r->h->d, evs, nev,
	    r->fmt == REPORT_HTML ? TL_BINS_HTML : TL_BINS_MD) != 0)
		return;
	if (r->fmt == REPORT_MD) {
		/* A dot for an empty bin, which a space would not be: the
		 * line keeps its length when rendered. */
		for (k = 0; k < tb.nb; k++)
			lit(r, blocks[bar_height(&tb, k, 8)]);
		timebins_free(&tb);
		return;
	}
	ts_format(tb.lo, lo);
	ts_format(tb.hi, hi);
	/* One path for all the bars keeps 50,000 timelines light. */
	buf_addf(r->b, "<svg class=\"tl\" viewBox=\"0 0 %zu 20\"><title>%s to %s, "
	    "highest %u per bin</title><path d=\"", tb.nb * 4, lo, hi, tb.peak);
	for (k = 0; k < tb.nb; k++) {
		level = bar_height(&tb, k, 20);
		if (level == 0)
			continue;
		/* By hand: printf for each bar of 50,000 timelines costs more
		 * than the rest of the report. */
		buf_addc(r->b, 'M');
		add_uint(r->b, k * 4);
		buf_addc(r->b, ' ');
		add_uint(r->b, 20 - level);
		lit(r, "h3v");
		add_uint(r->b, level);
		lit(r, "h-3z");
	}
	lit(r, "\"/></svg>");
	timebins_free(&tb);
}

static void
groups(struct rep *r)
{
	const struct report_extra *x = r->in->extra;
	size_t nx = x ? (x->ncols < REPORT_MAX_EXTRA ? x->ncols : REPORT_MAX_EXTRA) : 0;
	const char *names[HC_N + 2 + REPORT_MAX_EXTRA];
	int numeric[HC_N + 2 + REPORT_MAX_EXTRA];
	size_t nc = 0, i, c, len, nev;
	char tmp[TS_BUFSZ];
	const struct lh_group *g;
	const char *s;
	uint32_t *evs;
	struct buf note = { 0 };

	heading(r, 2, "groups", "Groups");
	if (r->in->n > REPORT_MAX_TIMELINES) {
		buf_addf(&note, "%zu groups; the timelines of the first %d.",
		    r->in->n, REPORT_MAX_TIMELINES);
		para(r, note.p);
		buf_free(&note);
	}
	memset(numeric, 0, sizeof numeric);
	names[nc++] = "#";
	numeric[0] = 1;
	for (c = 0; c < HC_N; c++) {
		numeric[nc] = c >= HC_INSTANCES;
		names[nc++] = hunt_col_name((enum hunt_col)c);
	}
	for (c = 0; c < nx; c++)
		names[nc++] = x->name(x->ctx, c);
	names[nc++] = "Timeline";
	table_begin(r, "rt groups", names, numeric, nc);
	for (i = 0; i < r->in->n; i++) {
		g = &r->h->g[r->in->rows[i]];
		if (i > 0 && i % REPORT_CHUNK == 0 && r->fmt == REPORT_HTML) {
			table_end(r);
			table_begin(r, "rt groups", names, numeric, nc);
		}
		row_begin(r);
		cell_begin(r, "#", 1);
		add_uint(r->b, i + 1);
		cell_end(r);
		for (c = 0; c < HC_N; c++) {
			s = group_cell(r, g, (enum hunt_col)c, tmp, &len);
			cell_begin(r, names[1 + c], c >= HC_INSTANCES);
			val(r, s, len);
			cell_end(r);
		}
		for (c = 0; c < nx; c++) {
			s = x->cell(x->ctx, r->in->rows[i], c, tmp, &len);
			cell_begin(r, names[1 + HC_N + c], 0);
			val(r, s, len);
			cell_end(r);
		}
		cell_begin(r, "Timeline", 0);
		if (i < REPORT_MAX_TIMELINES) {
			evs = export_group_events(r->h, &r->in->rows[i], 1, &nev);
			timeline(r, evs, nev);
			free(evs);
		}
		cell_end(r);
		row_end(r);
	}
	table_end(r);
}

static int
events(struct rep *r, char **cause)
{
	const char *names[4 + NRAW];
	static const int numeric[4 + NRAW] = { 1 };
	const struct table_data *d = r->h->d;
	struct rawevent raw;
	size_t i, j, k, nev, len, rows = 0;
	uint32_t *evs;
	const char *s;
	char tmp[TS_BUFSZ];

	heading(r, 2, "events", "Events");
	para(r, "The raw logons behind the groups, read back from the input "
	    "files (# is the group's number).");
	names[0] = "#";
	names[1] = "Timestamp";
	names[2] = "DeviceName";
	names[3] = "RemoteIP";
	for (k = 0; k < NRAW; k++)
		names[4 + k] = rawevent_shown[k];
	table_begin(r, "rt events", names, numeric, 4 + NRAW);
	for (i = 0; i < r->in->n; i++) {
		evs = export_group_events(r->h, &r->in->rows[i], 1, &nev);
		for (j = 0; j < nev; j++) {
			const struct lh_event *e = &d->ev[evs[j]];
			uint32_t id;

			if (++rows % REPORT_CHUNK == 0 && r->fmt == REPORT_HTML) {
				table_end(r);
				table_begin(r, "rt events", names, numeric, 4 + NRAW);
			}
			if (rawevent_read_at(r->in->rr, e, &raw, cause) != 0) {
				free(evs);
				table_end(r);
				return -1;
			}
			row_begin(r);
			cell_begin(r, names[0], 1);
			buf_addf(r->b, "%zu", i + 1);
			cell_end(r);
			cell_begin(r, names[1], 0);
			lit(r, (ts_format(e->ts, tmp), tmp));
			cell_end(r);
			cell_begin(r, names[2], 0);
			id = table_event_device_name(d, e);
			s = pseudo(r, PS_DEVICE, strtab_str(d->st, id),
			    strtab_len(d->st, id), &len);
			val(r, s, len);
			cell_end(r);
			cell_begin(r, names[3], 0);
			s = pseudo(r, PS_IP, strtab_str(d->st, e->key[K_REMOTEIP]),
			    strtab_len(d->st, e->key[K_REMOTEIP]), &len);
			val(r, s, len);
			cell_end(r);
			for (k = 0; k < NRAW; k++) {
				cell_begin(r, names[4 + k], 0);
				s = rawevent_get(&raw, rawevent_shown[k], &len);
				if ((r->flags & REPORT_ANONYMIZE) && k == RAWEVENT_CMDLINE)
					/* Withheld: it names users and hosts freely. */
					lit(r, s && len ? "(withheld)" : "");
				else if (s != NULL)
					val(r, s, len);
				cell_end(r);
			}
			row_end(r);
			rawevent_free(&raw);
		}
		free(evs);
	}
	table_end(r);
	return 0;
}

/* ------------------------------------------------------------ the page */

/* No script, nothing fetched: the policy makes the browser refuse both
 * even if an escape were ever missed. The narrow-screen layout turns each
 * row into a block with the column names beside the values; print drops
 * the width limit and keeps rows whole. */
static const char html_head[] =
"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
"style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
"<meta name=\"referrer\" content=\"no-referrer\">\n"
"<title>logonhunt report</title>\n<style>\n"
"body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",sans-serif;color:#111;"
"background:#fff;margin:0 auto;max-width:90em;padding:0 1em 2em}\n"
"p{overflow-wrap:anywhere}h1{font-size:1.6em;margin:.8em 0 .2em}h2{font-size:1.25em;border-bottom:1px solid #bbb;"
"margin-top:1.6em}h3{font-size:1.05em}\n"
".wrap{overflow-x:auto}.chunk{content-visibility:auto;contain-intrinsic-size:auto 20000px}table{border-collapse:collapse;width:100%;margin:.4em 0}\n"
"th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top;"
"overflow-wrap:anywhere}th{background:#eee;overflow-wrap:normal}\n"
".n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap;overflow-wrap:normal}\n"
"td{font-family:ui-monospace,\"DejaVu Sans Mono\",monospace;font-size:.92em}\n"
"table.kv th{width:14em;font-family:inherit}\n"
"figure{margin:.5em 0}svg.chart{width:100%;max-width:720px;min-width:460px;height:auto;"
"font-size:13px}\n"
"svg text{fill:#111}.bar{fill:#3465a4}.rm{fill:#cc6b00}\n"
"svg.tl{width:12em;height:1.6em;display:block}svg.tl path{fill:#3465a4}\n"
"@media (max-width:700px){table.rt thead{display:none}"
"table.rt,table.rt tbody,table.rt tr,table.rt td{display:block;width:auto}"
"table.rt tr{border:1px solid #bbb;margin:.6em 0}table.rt td{border:0;text-align:left}"
"table.rt td::before{content:attr(data-h) \": \";font-weight:bold;"
"font-family:system-ui,sans-serif}table.kv th{width:auto}}\n"
"@media print{body{max-width:none;padding:0;font-size:9pt}.wrap{overflow:visible}"
".chunk{content-visibility:visible}"
"tr,figure{break-inside:avoid}h2,h3{break-after:avoid}th{background:#eee!important;"
"print-color-adjust:exact;-webkit-print-color-adjust:exact}"
".bar,svg.tl path{fill:#3465a4!important}}\n"
"</style>\n</head>\n<body>\n";

/* report_build, through sink when it is not NULL. */
static int
build(struct buf *b, const struct report_input *in, enum report_format fmt,
    unsigned flags, const struct out_sink *sink, char **cause)
{
	struct rep r;
	char t[32];
	int rc = 0;

	memset(&r, 0, sizeof r);
	r.b = b;
	r.sink = sink;
	r.in = in;
	r.h = in->h;
	r.fmt = fmt;
	r.flags = flags;
	if ((flags & REPORT_ANONYMIZE) && key_init(&r) != 0) {
		*cause = xasprintf("no random key for the pseudonyms: %s",
		    strerror(errno));
		return -1;
	}
	utc_time(in->started, t);
	if (fmt == REPORT_HTML) {
		lit(&r, html_head);
		lit(&r, "<header><h1>logonhunt report</h1>\n<p>Device logons from "
		    "unknown IPs: ");
	} else
		lit(&r, "# logonhunt report\n\nDevice logons from unknown IPs: ");
	buf_addf(b, "%zu group%s reported (%s), hunt run %s.", in->n,
	    in->n == 1 ? "" : "s", in->marked ? "marked" : "all shown", t);
	if (flags & REPORT_ANONYMIZE)
		lit(&r, " Anonymised.");
	lit(&r, fmt == REPORT_HTML ? "</p></header>\n" : "\n");
	manifest_run(&r);
	manifest_inputs(&r);
	manifest_exclusions(&r);
	funnel(&r);
	top_chart(&r, 1);
	top_chart(&r, 0);
	groups(&r);
	if (flags & REPORT_EVENTS)
		rc = events(&r, cause);
	if (fmt == REPORT_HTML)
		lit(&r, "<footer><p>Written by logonhunt. Values from the data are "
		    "shown as text; control characters, invalid UTF-8 and "
		    "bidirectional overrides appear as escapes such as \\x1b "
		    "and \\u202e, a backslash doubled.</p></footer>\n"
		    "</body>\n</html>\n");
	else
		lit(&r, "\n---\nWritten by logonhunt. Values from the data are in "
		    "code spans; control characters, invalid UTF-8 and "
		    "bidirectional overrides appear as escapes such as \\\\x1b "
		    "and \\\\u202e, a backslash doubled.\n");
	flush(&r, 1);
	explicit_bzero(r.key, sizeof r.key);
	buf_free(&r.tmp);
	buf_free(&r.msg);
	return rc != 0 ? rc : r.stopped ? -1 : 0;
}

int
report_build(struct buf *b, const struct report_input *in,
    enum report_format fmt, unsigned flags, char **cause)
{
	return build(b, in, fmt, flags, NULL, cause);
}

int
report_write(const char *path, int nowait, const struct report_input *in,
    enum report_format fmt, unsigned flags, char **cause)
{
	struct savefile_out_sink fs = { NULL, NULL };
	struct out_sink sink = { savefile_out_sink, &fs };
	struct buf b = { 0 };
	int rc;

	if (savefile_out_open(path, nowait, &fs.out, cause) != 0)
		return -1;
	*cause = NULL;
	rc = build(&b, in, fmt, flags, &sink, cause);
	buf_free(&b);
	/* The sink's refusal is not the report's reason. */
	if (rc != 0 && *cause == NULL)
		rc = 0;
	return savefile_out_end(&fs, rc, cause);
}
