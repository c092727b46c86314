#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "enrich.h"
#include "enrichview.h"
#include "exclctl.h"
#include "output.h"
#include "proposal.h"
#include "screens.h"
#include "ts.h"

void
enrichview_start(struct app *app)
{
	struct enrich *e = app->cfg->enrich;

	if (e == NULL)
		return;
	if (app->x != NULL) {
		/* asn and owner rules ask the enrichment; apply them so. */
		xctl_set_ipinfo(app->x, enrich_ipinfo, e);
		xctl_apply(app->x, &app->h);
	}
	app->ev = enrich_hunt(e, &app->h);
}

void
enrichview_changed(struct app *app)
{
	if (app->cfg->enrich == NULL)
		return;
	enrich_view_free(app->ev);
	app->ev = enrich_hunt(app->cfg->enrich, &app->h);
}

void
enrichview_free(struct app *app)
{
	enrich_view_free(app->ev);
	app->ev = NULL;
}

/* The enrichment columns shown: those some source fills. */
static int
shown(struct app *app, enum enrich_col cols[EC_N])
{
	unsigned have = enrich_columns(app->cfg->enrich);
	int c, n = 0;

	for (c = 0; c < EC_N; c++)
		if (have & (1u << c))
			cols[n++] = (enum enrich_col)c;
	return n;
}

int
enrichview_columns(struct app *app, const char *names[ENRICHVIEW_MAXCOLS])
{
	enum enrich_col cols[EC_N];
	int n = app->ev != NULL ? shown(app, cols) : 0, k;

	for (k = 0; k < n; k++)
		names[k] = enrich_col_name(cols[k]);
	return n;
}

static enum enrich_col
col_of(struct app *app, int k)
{
	enum enrich_col cols[EC_N];
	int n = shown(app, cols);

	return k >= 0 && k < n ? cols[k] : EC_N;
}

const char *
enrichview_cell(struct app *app, uint32_t g, int k, struct buf *scratch,
    size_t *len)
{
	char tmp[TS_BUFSZ];
	const char *s = enrich_cell(app->ev, g, col_of(app, k), tmp, len);

	/* From files of others: made safe like any log data. */
	buf_reset(scratch);
	text_prepare(scratch, s, *len);
	*len = scratch->len;
	return scratch->len ? scratch->p : "";
}

int
enrichview_cmp(struct app *app, uint32_t a, uint32_t b, int k, int desc)
{
	return enrich_cmp(app->ev, a, b, col_of(app, k), desc);
}

int
enrichview_intel(struct app *app, uint32_t g)
{
	return enrich_has_intel(app->ev, g);
}

void
enrichview_put_group(struct app *app, struct line *l, uint32_t g)
{
	struct buf b = { 0 };
	char tmp[TS_BUFSZ];
	const char *s;
	size_t n;
	int c;

	if (app->ev == NULL)
		return;
	for (c = 0; c < EC_N; c++) {
		s = enrich_cell(app->ev, g, (enum enrich_col)c, tmp, &n);
		if (n == 0)
			continue;
		buf_reset(&b);
		text_prepare(&b, s, n);
		line_putf(l, "   %s%s ", enrich_col_name((enum enrich_col)c),
		    c == EC_INTEL ? "!" : "");
		line_put(l, b.p, b.len);
	}
	buf_free(&b);
}

void
enrichview_put_event(struct app *app, struct line *l, uint32_t ev,
    uint32_t group)
{
	struct enrich_ip in;
	struct buf b = { 0 };
	char tmp[TS_BUFSZ];
	const char *s;
	size_t n;
	uint32_t ip;

	if (app->cfg->enrich == NULL || ev >= app->d->nev)
		return;
	ip = app->d->ev[ev].key[K_REMOTEIP];
	enrich_lookup(app->cfg->enrich, strtab_str(app->d->st, ip),
	    strtab_len(app->d->st, ip), &in);
	if (in.country[0])
		line_putf(l, "   Country %s", in.country);
	if (in.asn)
		line_putf(l, "   ASN %u", (unsigned)in.asn);
	if (in.asorg[0]) {
		text_prepare(&b, in.asorg, strlen(in.asorg));
		line_puts(l, "   ASOrg ");
		line_put(l, b.p, b.len);
	}
	if (in.owner[0]) {
		buf_reset(&b);
		text_prepare(&b, in.owner, strlen(in.owner));
		line_puts(l, "   Owner ");
		line_put(l, b.p, b.len);
	}
	/* Intel is decided per group (an entry's time window against the
	 * group's logons): the group's value, as its row shows it. */
	if (app->ev != NULL && group != UINT32_MAX) {
		s = enrich_cell(app->ev, group, EC_INTEL, tmp, &n);
		if (n > 0) {
			buf_reset(&b);
			text_prepare(&b, s, n);
			line_puts(l, "   Intel! ");
			line_put(l, b.p, b.len);
		}
	}
	buf_free(&b);
}

void
enrichview_put_sources(struct app *app, struct line *l)
{
	struct buf b = { 0 }, p = { 0 };

	if (app->cfg->enrich == NULL)
		return;
	enrich_describe_short(&b, app->cfg->enrich, time(NULL));
	text_prepare_plain(&p, b.len ? b.p : "none", b.len ? b.len : 4);
	line_puts(l, "   enrichment: ");
	line_put(l, p.p, p.len);
	buf_free(&b);
	buf_free(&p);
}

size_t
enrichview_proposals(struct app *app, uint32_t g, struct proposal *p, size_t n)
{
	char tmp[TS_BUFSZ], tmp2[TS_BUFSZ];
	const char *asn, *owner;
	size_t len;

	if (app->ev == NULL)
		return n;
	asn = enrich_cell(app->ev, g, EC_ASN, tmp, &len);
	owner = enrich_cell(app->ev, g, EC_OWNER, tmp2, &len);
	return proposal_add_ipinfo((uint32_t)strtoul(asn, NULL, 10), owner, p, n);
}

const struct out_extra *
enrichview_extra(struct app *app, struct out_extra *x)
{
	if (app->ev == NULL)
		return NULL;
	enrich_out_extra(app->ev, x);
	return x;
}

void
enrichview_show_freq(struct app *app)
{
	static const enum enrich_col by[] = { EC_COUNTRY, EC_ASN, EC_OWNER };
	struct buf text = { 0 }, cell = { 0 };
	struct enrich_freq *f;
	size_t i, k, n;

	if (app->ev == NULL) {
		app_error(app, "no enrichment source is loaded (--geoip, --ranges, "
		    "--intel, --enrich)");
		return;
	}
	for (k = 0; k < sizeof by / sizeof by[0]; k++) {
		if (!(enrich_columns(app->cfg->enrich) & (1u << by[k])))
			continue;
		n = enrich_freq(app->ev, &app->h, by[k], &f);
		buf_addf(&text, "%s%s: %zu values\n", text.len ? "\n" : "",
		    enrich_col_name(by[k]), n);
		buf_addf(&text, "  %10s %10s %10s  %s\n", "groups", "logons",
		    "machines", enrich_col_name(by[k]));
		for (i = 0; i < n; i++) {
			buf_reset(&cell);
			text_prepare(&cell, f[i].value[0] ? f[i].value : "(unknown)",
			    f[i].value[0] ? strlen(f[i].value) : 9);
			buf_addf(&text, "  %10" PRIu64 " %10" PRIu64 " %10" PRIu64
			    "  %s", f[i].groups, f[i].events, f[i].machines,
			    cell.len ? cell.p : "");
			if (f[i].label[0]) {
				buf_reset(&cell);
				text_prepare(&cell, f[i].label, strlen(f[i].label));
				buf_addf(&text, "  %s", cell.p);
			}
			buf_addc(&text, '\n');
		}
		free(f);
	}
	app_push(app, textview_new(app, "Groups, logons and machines by "
	    "country, AS and network owner", text.len ? text.p : ""));
	buf_free(&text);
	buf_free(&cell);
}
