#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csvscan.h"
#include "detect.h"
#include "excl.h"
#include "sumload.h"
#include "triage.h"

int
triage_only_parse(const char *s, unsigned *mask)
{
	const char *p = s, *e;
	enum ledger_status st;
	char word[16];
	size_t n;

	*mask = 0;
	for (;;) {
		e = strchr(p, ',');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n == 0 || n >= sizeof word)
			return -1;
		memcpy(word, p, n);
		word[n] = '\0';
		if (strcmp(word, "untriaged") == 0)
			*mask |= TRIAGE_ONLY_UNTRIAGED;
		else if (ledger_status_parse(word, &st) == 0)
			*mask |= 1u << st;
		else
			return -1;
		if (e == NULL)
			return 0;
		p = e + 1;
	}
}

int
triage_only_keeps(const struct ledger *l, const struct ledger_run *r,
    uint32_t g, unsigned mask)
{
	if (mask == 0 || (mask & (1u << r->status[g])))
		return 1;
	return (mask & TRIAGE_ONLY_UNTRIAGED) &&
	    (r->rec[g] < 0 || !ledger_current(l, r->rec[g], NULL));
}

size_t
triage_only_filter(const struct ledger *l, const struct ledger_run *r,
    uint32_t *rows, size_t n, unsigned mask)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (triage_only_keeps(l, r, rows[i], mask))
			rows[k++] = rows[i];
	return k;
}

size_t
triage_alerts(const struct ledger_run *r, const uint32_t *rows, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += r->status[rows[i]] != LS_SEEN;
	return k;
}

const char *
triage_col_name(size_t col)
{
	static const char *const names[TRIAGE_NCOLS] = {
		"Status", "Verdict", "Note"
	};

	return col < TRIAGE_NCOLS ? names[col] : "";
}

const char *
triage_cell(const struct ledger *l, const struct ledger_run *r, uint32_t g,
    size_t col)
{
	struct ledger_verdict_info vi;

	if (col == 0)
		return ledger_status_name((enum ledger_status)r->status[g]);
	if (r->rec[g] < 0 || !ledger_current(l, r->rec[g], &vi))
		return "";
	return col == 1 ? ledger_verdict_name(vi.verdict) : vi.note;
}

static const char *
extra_name(void *ctx, size_t col)
{
	struct triage_columns *tc = ctx;

	return col < TRIAGE_NCOLS ? triage_col_name(col) :
	    tc->next->name(tc->next->ctx, col - TRIAGE_NCOLS);
}

static const char *
extra_cell(void *ctx, uint32_t group, size_t col, char *buf, size_t *len)
{
	struct triage_columns *tc = ctx;
	const char *s;

	if (col >= TRIAGE_NCOLS)
		return tc->next->cell(tc->next->ctx, group, col - TRIAGE_NCOLS,
		    buf, len);
	s = triage_cell(tc->l, tc->r, group, col);
	*len = strlen(s);
	return s;
}

void
triage_out_extra(struct out_extra *x, struct triage_columns *tc)
{
	x->ncols = TRIAGE_NCOLS + (tc->next != NULL ? tc->next->ncols : 0);
	x->name = extra_name;
	x->cell = extra_cell;
	x->ctx = tc;
}

void
triage_rule_name(void *excl_set, long rule, struct buf *out)
{
	const struct excl_set *s = excl_set;

	if (s == NULL || rule < 0 || (size_t)rule >= excl_rule_count(s))
		return;
	buf_addf(out, "%s %s %s",
	    excl_category_name(s, excl_rule_category(s, (size_t)rule)),
	    excl_kind_name(excl_rule_kind(s, (size_t)rule)),
	    excl_rule_text(s, (size_t)rule));
}

struct rowreader {
	const char *name;
	int slot[SC_N];		/* the field of each summary column, or -1 */
	size_t nf;
	int header_done, has_fig;
	unsigned line;
	triage_row_fn fn;
	void *ctx;
	char **cause;
	struct buf scratch[SC_N];
};

/* Returns 1 if the record is a header, 0 if it is a row of the batch
 * output without its header (grep drops it), -1 on error. */
static int
read_header(struct rowreader *rr, const struct csvrec *rec)
{
	struct lh_str v;
	size_t i, named = 0;
	int s;

	for (i = 0; i < SC_N; i++)
		rr->slot[i] = -1;
	for (i = 0; i < rec->nf; i++) {
		v = csv_field_value(&rec->f[i], &rr->scratch[0]);
		/* A UTF-8 byte order mark before the first name. */
		if (i == 0 && v.n >= 3 && memcmp(v.p, "\xef\xbb\xbf", 3) == 0) {
			v.p += 3;
			v.n -= 3;
		}
		if ((s = detect_summary_slot(v.p, v.n)) >= 0 && rr->slot[s] < 0) {
			rr->slot[s] = (int)i;
			named++;
		}
	}
	rr->nf = rec->nf;
	if (named == 0 && rec->nf >= 5) {
		/* No column named: rows in the batch output's order. */
		for (i = 0; i < SC_N; i++)
			rr->slot[i] = i < rec->nf ? (int)i : -1;
		rr->has_fig = rec->nf >= SC_N;
		return 0;
	}
	for (i = 0; i <= SC_ACTIONTYPE; i++)
		if (rr->slot[i] < 0) {
			*rr->cause = xasprintf("%s:%u: the header has no %s column: "
			    "give summary rows as logonhunt --batch -f csv writes "
			    "them, header included (AccountDomain, AccountName, "
			    "LogonType, RemoteIP and ActionType are needed)",
			    rr->name, rr->line, detect_summary_col(i));
			return -1;
		}
	rr->has_fig = rr->slot[SC_EARLIEST] >= 0 && rr->slot[SC_LATEST] >= 0 &&
	    rr->slot[SC_INSTANCES] >= 0 && rr->slot[SC_DISTINCT] >= 0;
	return 1;
}

static int
stopped(struct rowreader *rr)
{
	*rr->cause = xasprintf("%s:%u: stopped at this row", rr->name, rr->line);
	return -1;
}

static int
read_row(struct rowreader *rr, const struct csvrec *rec)
{
	struct lh_str vals[SC_N], key[5];
	struct ledger_figures fig;
	struct sumload_row row;
	char *why = NULL;
	size_t i;

	if (rec->nf != rr->nf) {
		*rr->cause = xasprintf("%s:%u: the row has %zu fields but the "
		    "header has %zu", rr->name, rr->line, rec->nf, rr->nf);
		return -1;
	}
	memset(vals, 0, sizeof vals);
	for (i = 0; i < SC_N; i++)
		if (rr->slot[i] >= 0)
			vals[i] = csv_field_value(&rec->f[rr->slot[i]], &rr->scratch[i]);
	for (i = 0; i < 5; i++)
		key[i] = vals[i];
	if (!rr->has_fig)
		return rr->fn(rr->ctx, key, NULL) != 0 ? stopped(rr) : 0;
	if (sumload_values(vals, &row, &why) != 0) {
		*rr->cause = xasprintf("%s:%u: %s", rr->name, rr->line, why);
		free(why);
		return -1;
	}
	fig.instances = row.count;
	fig.machines = row.devices;
	fig.earliest = row.first;
	fig.latest = row.last;
	return rr->fn(rr->ctx, key, &fig) != 0 ? stopped(rr) : 0;
}

int
triage_read_rows(const char *name, const char *text, size_t len,
    triage_row_fn fn, void *ctx, char **cause)
{
	struct rowreader rr;
	struct csvrec rec = { 0 };
	const char *p = text, *end = text + len, *next;
	enum csvscan_error err;
	enum csvscan_result res;
	int rc = 0;
	size_t i;

	memset(&rr, 0, sizeof rr);
	rr.name = name;
	rr.line = 1;
	rr.fn = fn;
	rr.ctx = ctx;
	rr.cause = cause;
	*cause = NULL;
	for (;;) {
		res = csvscan_next(p, end, 1, &rec, &next, &err);
		if (res == CSVSCAN_END)
			break;
		if (res != CSVSCAN_RECORD) {
			*cause = xasprintf("%s:%u: not CSV: %s", name,
			    rr.line + rec.lead_nl, csvscan_strerror(err));
			rc = -1;
			break;
		}
		rr.line += rec.lead_nl;
		if (!rr.header_done) {
			rr.header_done = 1;
			if ((rc = read_header(&rr, &rec)) == 0)
				rc = read_row(&rr, &rec);
			else if (rc == 1)
				rc = 0;
		} else
			rc = read_row(&rr, &rec);
		if (rc != 0)
			break;
		rr.line += rec.body_nl;
		p = next;
	}
	if (rc == 0 && !rr.header_done) {
		*cause = xasprintf("%s: no rows: give summary rows as logonhunt "
		    "--batch -f csv writes them, header included", name);
		rc = -1;
	}
	csvrec_free(&rec);
	for (i = 0; i < SC_N; i++)
		buf_free(&rr.scratch[i]);
	return rc;
}
