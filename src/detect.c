#include "config.h"

#include <string.h>
#include <strings.h>

#include "detect.h"

static const char *const summary_cols[SC_N] = {
	"AccountDomain", "AccountName", "LogonType", "RemoteIP", "ActionType",
	"EarliestEvent", "LatestEvent", "Instances", "DistinctMachines",
};

size_t
detect_bom(const char *p, size_t n)
{
	return n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

enum detect_syntax
detect_syntax(const char *p, size_t n)
{
	size_t i = detect_bom(p, n);

	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	if (i == n)
		return DETECT_EMPTY;
	return p[i] == '{' || p[i] == '[' ? DETECT_JSON : DETECT_CSV;
}

enum lh_table
detect_name(const char *path)
{
	const char *base = strrchr(path, '/');
	int t;

	base = base != NULL ? base + 1 : path;
	for (t = 0; t < LH_NTABLES; t++) {
		const char *tn = table_name((enum lh_table)t);
		if (strncasecmp(base, tn, strlen(tn)) == 0)
			return (enum lh_table)t;
	}
	return LOAD_DETECT;
}

const char *
detect_summary_col(size_t i)
{
	return summary_cols[i];
}

int
detect_summary_slot(const char *name, size_t n)
{
	int i;

	for (i = 0; i < SC_N; i++)
		if (strlen(summary_cols[i]) == n && memcmp(summary_cols[i], name, n) == 0)
			return i;
	return -1;
}

int
detect_slot(const struct detect_target *tg, const char *name, size_t n)
{
	return tg->summary ? detect_summary_slot(name, n) :
	    table_col_slot(tg->table, name, n);
}

size_t
detect_ncols(const struct detect_target *tg)
{
	return tg->summary ? SC_N : table_ncols(tg->table);
}

/* The columns a target needs that names lacks, as "A, B"; empty if none. */
static void
missing(const struct detect_target *tg, const struct lh_str *names, size_t n,
    struct buf *out)
{
	size_t s, i, need = detect_ncols(tg);
	int found;

	for (s = 0; s < need; s++) {
		found = 0;
		for (i = 0; i < n && !found; i++)
			found = detect_slot(tg, names[i].p, names[i].n) == (int)s;
		if (!found)
			buf_addf(out, "%s%s", out->len ? ", " : "", tg->summary ?
			    summary_cols[s] : table_col_name(tg->table, s));
	}
}

/* "A, B, C, ..." : the first few names, for messages. */
static void
first_names(const struct lh_str *names, size_t n, struct buf *out)
{
	size_t i;

	if (n == 0) {
		buf_addf(out, "(none)");
		return;
	}
	for (i = 0; i < n && i < 6; i++) {
		buf_addf(out, "%s", i ? ", " : "");
		buf_add_escaped(out, names[i].p, names[i].n < 40 ? names[i].n : 40);
	}
	if (n > 6)
		buf_addf(out, ", ... (%zu columns)", n);
}

int
detect_columns(enum lh_table hint, const struct lh_str *names, size_t n,
    struct detect_target *tg, char **why)
{
	struct detect_target cand = { 1, LH_LOGONS }, fit[LH_NTABLES];
	struct buf miss = { 0 }, have = { 0 };
	size_t nfit = 0;
	int t;

	missing(&cand, names, n, &miss);
	if (miss.len == 0 && hint == LOAD_DETECT_OPTIONAL) {
		/* Found in a directory, a summary is more likely last run's
		 * output or an expected result than the input meant. */
		*why = xstrdup("it holds the hunt's summary (AccountDomain, ..., "
		    "DistinctMachines), which is loaded only when given by name "
		    "(--input FILE)");
		buf_free(&miss);
		return -2;
	}
	if (miss.len == 0) {
		*tg = cand;
		buf_free(&miss);
		return 0;
	}
	if (hint < LH_NTABLES) {
		buf_reset(&miss);
		cand.summary = 0;
		cand.table = hint;
		missing(&cand, names, n, &miss);
		if (miss.len == 0) {
			*tg = cand;
			buf_free(&miss);
			return 0;
		}
		first_names(names, n, &have);
		*why = xasprintf("the columns lack %s that the hunt needs; is this "
		    "a %s export? Its columns are %s", miss.p, table_name(hint),
		    have.p);
		buf_free(&miss);
		buf_free(&have);
		return -1;
	}
	for (t = 0; t < LH_NTABLES; t++) {
		buf_reset(&miss);
		cand.summary = 0;
		cand.table = (enum lh_table)t;
		missing(&cand, names, n, &miss);
		if (miss.len == 0)
			fit[nfit++] = cand;
	}
	buf_free(&miss);
	if (nfit == 1) {
		*tg = fit[0];
		return 0;
	}
	first_names(names, n, &have);
	if (nfit > 1)
		*why = xasprintf("its columns fit both %s and %s; name the file "
		    "after its table (%s.json, ...) or give it with --logons, "
		    "--network or --identity", table_name(fit[0].table),
		    table_name(fit[1].table), table_name(fit[0].table));
	else
		*why = xasprintf("its columns (%s) are not those of a "
		    "DeviceLogonEvents, DeviceNetworkInfo or IdentityLogonEvents "
		    "export, nor of the hunt's summary (AccountDomain, ..., "
		    "DistinctMachines)", have.p);
	buf_free(&have);
	return -1;
}
