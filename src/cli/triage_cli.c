/* logonhunt triage ...: verdicts from the command line, for scripts and
 * scheduled jobs (logonhunt-ledger(5) describes the file). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger.h"
#include "msg.h"
#include "output.h"
#include "triage.h"
#include "triage_cli.h"
#include "ts.h"
#include "util.h"

#define EXIT_INPUT 1
#define EXIT_USAGE 2

static const char triage_usage[] =
"Usage: logonhunt triage COMMAND [OPTIONS]\n"
"\n"
"The triage ledger (see logonhunt-ledger(5)): verdicts and notes per group.\n"
"\n"
"  set VERDICT [--note TEXT]  record VERDICT for each group of the summary\n"
"                             rows on standard input (logonhunt --batch -f\n"
"                             csv output, header included; extra columns\n"
"                             are fine). VERDICT: true-positive,\n"
"                             benign-positive, false-positive, undetermined,\n"
"                             escalated\n"
"  clear [--note TEXT]        make the groups on standard input untriaged\n"
"                             (their history is kept)\n"
"  list [FILTERS] [-f csv|table]  the groups of the ledger; filters:\n"
"      --verdict V[,V...]     verdicts (and 'untriaged')\n"
"      --status S[,S...]      untriaged, triaged, changed (grew after its\n"
"                             verdict), hidden (excluded when last seen)\n"
"      --since DATE, --until DATE  recorded or judged in that window\n"
"  export [-o FILE]           the ledger as it is, to hand a case over\n"
"  import FILE                merge a ledger into this one (newer verdicts\n"
"                             win, histories are united)\n"
"\n"
"Options:\n"
"      --ledger FILE          the ledger (default:\n"
"                             $XDG_DATA_HOME/logonhunt/ledger)\n"
"      --by NAME              who sets the verdict (default: $LOGONHUNT_USER,\n"
"                             else $USER)\n"
"  -h, --help                 this help\n"
"\n"
"Exit status: 0 success, 1 input error, 2 usage error.\n";

enum { O_NOTE = 256, O_BY, O_LEDGER, O_VERDICT, O_STATUS, O_SINCE, O_UNTIL };

static const struct option triage_opts[] = {
	{ "note", required_argument, NULL, O_NOTE },
	{ "by", required_argument, NULL, O_BY },
	{ "ledger", required_argument, NULL, O_LEDGER },
	{ "verdict", required_argument, NULL, O_VERDICT },
	{ "status", required_argument, NULL, O_STATUS },
	{ "since", required_argument, NULL, O_SINCE },
	{ "until", required_argument, NULL, O_UNTIL },
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Statuses of `triage list`, of a record without a run. */
enum { LST_UNTRIAGED = 1, LST_TRIAGED = 2, LST_CHANGED = 4, LST_HIDDEN = 8 };

struct tcli {
	const char *note, *by, *ledger_opt, *output, *verdicts, *statuses;
	int64_t since, until;
	enum out_format format;
	int format_set;
	char **args;
	int nargs;
};

static int
tusage(const char *fmt, const char *arg)
{
	msg_usage("logonhunt triage --help", fmt, arg);
	return EXIT_USAGE;
}

static int
parse_date(const char *s, int64_t *out, int end_of_day)
{
	if (ts_parse(s, strlen(s), out) != 0)
		return -1;
	if (end_of_day && strlen(s) == 10)
		*out += 86400 * TS_TICKS_PER_SEC - 1;
	return 0;
}

static int
parse_triage_args(struct tcli *c, int argc, char **argv)
{
	int ch;

	memset(c, 0, sizeof *c);
	c->since = c->until = TS_NONE;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:o:h", triage_opts, NULL)) != -1) {
		switch (ch) {
		case O_NOTE: c->note = optarg; break;
		case O_BY: c->by = optarg; break;
		case O_LEDGER: c->ledger_opt = optarg; break;
		case O_VERDICT: c->verdicts = optarg; break;
		case O_STATUS: c->statuses = optarg; break;
		case O_SINCE:
			if (parse_date(optarg, &c->since, 0) != 0)
				return tusage("--since: '%s' is not a date such as 2026-11-30", optarg);
			break;
		case O_UNTIL:
			if (parse_date(optarg, &c->until, 1) != 0)
				return tusage("--until: '%s' is not a date such as 2026-11-30", optarg);
			break;
		case 'f':
			if (output_format_parse(optarg, &c->format) != 0 ||
			    c->format == OUT_JSON)
				return tusage("--format: '%s' is not csv or table", optarg);
			c->format_set = 1;
			break;
		case 'o': c->output = optarg; break;
		case 'h':
			fputs(triage_usage, stdout);
			exit(0);
		default:
			fprintf(stderr, "Try 'logonhunt triage --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	c->args = argv + optind;
	c->nargs = argc - optind;
	if (!c->format_set)
		c->format = isatty(STDOUT_FILENO) ? OUT_TABLE : OUT_CSV;
	return -1;
}

/* The ledger named by --ledger or the default one. */
static int
open_ledger(const struct tcli *c, struct ledger **l)
{
	char *path = c->ledger_opt != NULL ? xstrdup(c->ledger_opt) :
	    ledger_default_path(), *cause = NULL;
	int rc;

	if (path == NULL) {
		msg("no ledger: neither XDG_DATA_HOME nor HOME gives a "
		    "directory; choose a file with --ledger FILE");
		return -1;
	}
	rc = ledger_load(path, l, &cause);
	if (rc != 0) {
		msg_text(cause);
		free(cause);
	} else if ((cause = ledger_torn_note(*l)) != NULL) {
		msg_warning(NULL, cause);
		free(cause);
	}
	free(path);
	return rc;
}

static int
save_ledger(struct ledger *l)
{
	char *cause = NULL;

	if (ledger_save(l, &cause) == 0)
		return 0;
	msg_text(cause);
	free(cause);
	return -1;
}

static int
read_stdin(struct buf *b)
{
	char chunk[65536];
	ssize_t n;

	while ((n = read(STDIN_FILENO, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			msg("reading standard input: %s", strerror(errno));
			return -1;
		}
		buf_add(b, chunk, (size_t)n);
	}
	return 0;
}

struct setctx {
	struct ledger *l;
	enum ledger_verdict v;
	const char *note, *who;
	int64_t now;
	size_t rows, added;
};

static int
set_row(void *ctx, const struct lh_str key[5], const struct ledger_figures *fig)
{
	struct setctx *s = ctx;
	struct ledger_figures f;
	long rec = ledger_find(s->l, key);

	if (rec < 0) {
		rec = ledger_add(s->l, key, s->now);
		s->added++;
		/* Judged from a summary row: those are its figures now. */
		if (fig != NULL)
			ledger_record_shown(s->l, rec, fig, s->now);
	}
	f = fig != NULL ? *fig : *ledger_snapshot(s->l, rec);
	ledger_set_verdict(s->l, rec, s->v, s->note, s->who, s->now, &f);
	s->rows++;
	return 0;
}

static int
cmd_set(struct tcli *c, enum ledger_verdict v)
{
	struct setctx s;
	struct buf in = { 0 };
	char *cause = NULL;
	int rc = EXIT_INPUT;

	memset(&s, 0, sizeof s);
	if (isatty(STDIN_FILENO))
		return tusage("%s", "give the groups as summary rows on standard "
		    "input, e.g. logonhunt -b -f csv ... | grep ... | logonhunt "
		    "triage set false-positive --note '...'");
	if (read_stdin(&in) != 0)
		return EXIT_INPUT;
	if (open_ledger(c, &s.l) != 0)
		goto out;
	s.v = v;
	s.note = c->note;
	s.who = c->by != NULL ? c->by : ledger_default_analyst();
	s.now = ledger_now();
	if (triage_read_rows("standard input", in.p != NULL ? in.p : "", in.len,
	    set_row, &s, &cause) != 0) {
		msg_text(cause);
		free(cause);
		goto out;
	}
	if (save_ledger(s.l) != 0)
		goto out;
	msg("%s: %s for %zu group%s (%zu new to the ledger)",
	    ledger_path(s.l), v == LV_NONE ? "cleared" : ledger_verdict_name(v),
	    s.rows, s.rows == 1 ? "" : "s", s.added);
	rc = 0;
out:
	ledger_free(s.l);
	buf_free(&in);
	return rc;
}

/* --verdict: a bit per verdict, bit 0 for untriaged. */
static int
parse_verdict_filter(const char *s, unsigned *mask)
{
	char *copy = xstrdup(s), *tok, *save = NULL;
	enum ledger_verdict v;
	int rc = 0;

	*mask = 0;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "untriaged") == 0)
			*mask |= 1u;
		else if (ledger_verdict_parse(tok, &v) == 0 && v != LV_NONE)
			*mask |= 1u << v;
		else
			rc = -1;
	}
	free(copy);
	return *mask == 0 ? -1 : rc;
}

static int
parse_status_filter(const char *s, unsigned *mask)
{
	static const char *const names[] = { "untriaged", "triaged", "changed", "hidden" };
	char *copy = xstrdup(s), *tok, *save = NULL;
	int rc = 0, i, found;

	*mask = 0;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		for (i = 0, found = 0; i < 4; i++)
			if (strcmp(tok, names[i]) == 0) {
				*mask |= 1u << i;
				found = 1;
			}
		if (!found)
			rc = -1;
	}
	free(copy);
	return *mask == 0 ? -1 : rc;
}

static const char *const list_cols[] = {
	"AccountDomain", "AccountName", "LogonType", "RemoteIP", "ActionType",
	"Status", "Verdict", "Note", "By", "JudgedAt", "FirstSeen", "LastSeen",
	"EarliestEvent", "LatestEvent", "Instances", "DistinctMachines",
	"HiddenBy"
};
#define LIST_NCOLS (sizeof list_cols / sizeof list_cols[0])
/* The columns a terminal table shows. */
static const int table_cols[] = { 0, 1, 2, 3, 4, 5, 6, 8, 9, 7 };
#define TABLE_NCOLS (sizeof table_cols / sizeof table_cols[0])

static unsigned
list_status(const struct ledger *l, long rec, const struct ledger_verdict_info *vi,
    int judged)
{
	const struct ledger_figures *f = ledger_snapshot(l, rec);
	unsigned st = judged ? LST_TRIAGED : LST_UNTRIAGED;

	if (judged && (f->instances > vi->fig.instances ||
	    f->machines > vi->fig.machines ||
	    (f->latest != TS_NONE && f->latest > vi->fig.latest)))
		st |= LST_CHANGED;
	if (ledger_hidden_by(l, rec) != NULL)
		st |= LST_HIDDEN;
	return st;
}

static const char *
status_word(unsigned st)
{
	if (st & LST_HIDDEN)
		return "hidden";
	if (st & LST_CHANGED)
		return "changed";
	return st & LST_TRIAGED ? "triaged" : "untriaged";
}

/* The cells of one record, as strings in cells (ts held in tsbuf). */
static void
list_cells(const struct ledger *l, long rec, unsigned st,
    const struct ledger_verdict_info *vi, int judged, struct buf *cells)
{
	const struct ledger_figures *f = ledger_snapshot(l, rec);
	struct lh_str key[5];
	char t[TS_BUFSZ];
	const char *h = ledger_hidden_by(l, rec);
	size_t i;

	ledger_key(l, rec, key);
	for (i = 0; i < LIST_NCOLS; i++)
		buf_reset(&cells[i]);
	for (i = 0; i < 5; i++)
		buf_add(&cells[i], key[i].p, key[i].n);
	buf_add(&cells[5], status_word(st), strlen(status_word(st)));
	if (judged) {
		buf_add(&cells[6], ledger_verdict_name(vi->verdict),
		    strlen(ledger_verdict_name(vi->verdict)));
		buf_add(&cells[7], vi->note, strlen(vi->note));
		buf_add(&cells[8], vi->who, strlen(vi->who));
		buf_add(&cells[9], t, ts_format(vi->when, t));
	}
	buf_add(&cells[10], t, ts_format(ledger_first_seen(l, rec), t));
	buf_add(&cells[11], t, ts_format(ledger_last_seen(l, rec), t));
	buf_add(&cells[12], t, ts_format(f->earliest, t));
	buf_add(&cells[13], t, ts_format(f->latest, t));
	buf_addf(&cells[14], "%llu", (unsigned long long)f->instances);
	buf_addf(&cells[15], "%llu", (unsigned long long)f->machines);
	if (h != NULL)
		buf_add(&cells[16], h, strlen(h));
	for (i = 0; i < LIST_NCOLS; i++)
		buf_add(&cells[i], "", 0);
}

/* Display columns of escaped text: code points, not bytes. */
static size_t
text_cols(const struct buf *b)
{
	size_t i, w = 0;

	for (i = 0; i < b->len; i++)
		w += ((unsigned char)b->p[i] & 0xc0) != 0x80;
	return w;
}

static int
cmd_list(struct tcli *c)
{
	struct ledger *l;
	struct ledger_verdict_info vi;
	struct buf cells[LIST_NCOLS], out = { 0 }, *tab = NULL;
	size_t i, k, ntab = 0, cap = 0, width[TABLE_NCOLS], w;
	unsigned vmask = 0, smask = 0, st;
	int64_t last;
	int judged;

	if (c->verdicts != NULL && parse_verdict_filter(c->verdicts, &vmask) != 0)
		return tusage("--verdict: '%s' is not a list of verdicts (true-positive, "
		    "benign-positive, false-positive, undetermined, escalated, untriaged)",
		    c->verdicts);
	if (c->statuses != NULL && parse_status_filter(c->statuses, &smask) != 0)
		return tusage("--status: '%s' is not a list of untriaged, triaged, "
		    "changed, hidden", c->statuses);
	if (open_ledger(c, &l) != 0)
		return EXIT_INPUT;
	memset(cells, 0, sizeof cells);
	if (c->format == OUT_CSV)
		for (i = 0; i < LIST_NCOLS; i++)
			buf_addf(&out, "%s%s", i ? "," : "", list_cols[i]);
	if (c->format == OUT_CSV)
		buf_addc(&out, '\n');
	for (i = 0; i < ledger_count(l); i++) {
		judged = ledger_current(l, (long)i, &vi);
		if (vmask && !(vmask & (judged ? 1u << vi.verdict : 1u)))
			continue;
		st = list_status(l, (long)i, &vi, judged);
		if (smask && !(smask & st))
			continue;
		last = ledger_last_seen(l, (long)i);
		if (judged && vi.when > last)
			last = vi.when;
		if ((c->since != TS_NONE && last < c->since) ||
		    (c->until != TS_NONE && last > c->until))
			continue;
		list_cells(l, (long)i, st, &vi, judged, cells);
		if (c->format == OUT_CSV) {
			for (k = 0; k < LIST_NCOLS; k++) {
				if (k)
					buf_addc(&out, ',');
				output_csv_field(&out, cells[k].p, cells[k].len, 0);
			}
			buf_addc(&out, '\n');
			continue;
		}
		tab = xgrow(tab, &cap, (ntab + 1) * TABLE_NCOLS, sizeof *tab);
		for (k = 0; k < TABLE_NCOLS; k++) {
			memset(&tab[ntab * TABLE_NCOLS + k], 0, sizeof *tab);
			buf_add_escaped(&tab[ntab * TABLE_NCOLS + k],
			    cells[table_cols[k]].p, cells[table_cols[k]].len);
			buf_add(&tab[ntab * TABLE_NCOLS + k], "", 0);
		}
		ntab++;
	}
	if (c->format == OUT_TABLE) {
		for (k = 0; k < TABLE_NCOLS; k++)
			width[k] = strlen(list_cols[table_cols[k]]);
		for (i = 0; i < ntab; i++)
			for (k = 0; k < TABLE_NCOLS; k++) {
				w = text_cols(&tab[i * TABLE_NCOLS + k]);
				if (w > width[k])
					width[k] = w;
			}
		for (k = 0; k < TABLE_NCOLS; k++)
			buf_addf(&out, "%s%-*s", k ? "  " : "",
			    k + 1 < TABLE_NCOLS ? (int)width[k] : 0,
			    list_cols[table_cols[k]]);
		buf_addc(&out, '\n');
		for (i = 0; i < ntab; i++) {
			for (k = 0; k < TABLE_NCOLS; k++) {
				struct buf *cb = &tab[i * TABLE_NCOLS + k];

				w = text_cols(cb);
				if (k)
					buf_add(&out, "  ", 2);
				buf_add(&out, cb->p, cb->len);
				for (; k + 1 < TABLE_NCOLS && w < width[k]; w++)
					buf_addc(&out, ' ');
				buf_free(cb);
			}
			buf_addc(&out, '\n');
		}
	}
	if (out.len)
		fwrite(out.p, 1, out.len, stdout);
	for (i = 0; i < LIST_NCOLS; i++)
		buf_free(&cells[i]);
	free(tab);
	buf_free(&out);
	ledger_free(l);
	return fflush(stdout) == 0 ? 0 : EXIT_INPUT;
}

static int
cmd_export(struct tcli *c)
{
	struct ledger *l;
	struct buf out = { 0 };
	char *cause = NULL;
	int rc = 0;

	if (open_ledger(c, &l) != 0)
		return EXIT_INPUT;
	ledger_serialize(l, &out);
	if (c->output != NULL) {
		if (util_write_atomic(c->output, out.p, out.len, &cause) != 0) {
			msg_text(cause);
			free(cause);
			rc = EXIT_INPUT;
		}
	} else if (fwrite(out.p, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		msg("writing the ledger failed: %s", strerror(errno));
		rc = EXIT_INPUT;
	}
	buf_free(&out);
	ledger_free(l);
	return rc;
}

static int
cmd_import(struct tcli *c, const char *file)
{
	struct ledger *l, *in;
	char *cause = NULL;
	size_t before;
	int rc = EXIT_INPUT;

	if (ledger_load(file, &in, &cause) != 0) {
		msg_text(cause);
		free(cause);
		return EXIT_INPUT;
	}
	if (open_ledger(c, &l) != 0) {
		ledger_free(in);
		return EXIT_INPUT;
	}
	before = ledger_count(l);
	ledger_merge(l, in);
	if (save_ledger(l) == 0) {
		msg("%s: merged %zu groups from %s (%zu new)", ledger_path(l),
		    ledger_count(in), file, ledger_count(l) - before);
		rc = 0;
	}
	ledger_free(in);
	ledger_free(l);
	return rc;
}

int
triage_cli_main(int argc, char **argv)
{
	struct tcli c;
	enum ledger_verdict v;
	const char *verb;
	int rc;

	if ((rc = parse_triage_args(&c, argc, argv)) >= 0)
		return rc;
	if (c.nargs == 0)
		return tusage("%s", "give a command: set, clear, list, export or import");
	verb = c.args[0];
	if (strcmp(verb, "set") == 0) {
		if (c.nargs != 2)
			return tusage("%s", "set takes one VERDICT: true-positive, "
			    "benign-positive, false-positive, undetermined or escalated");
		if (ledger_verdict_parse(c.args[1], &v) != 0 || v == LV_NONE)
			return tusage("'%s' is not a verdict: give true-positive, "
			    "benign-positive, false-positive, undetermined or "
			    "escalated (or use triage clear)", c.args[1]);
		return cmd_set(&c, v);
	}
	if (strcmp(verb, "clear") == 0 && c.nargs == 1)
		return cmd_set(&c, LV_NONE);
	if (strcmp(verb, "list") == 0 && c.nargs == 1)
		return cmd_list(&c);
	if (strcmp(verb, "export") == 0 && c.nargs == 1)
		return cmd_export(&c);
	if (strcmp(verb, "import") == 0 && c.nargs == 2)
		return cmd_import(&c, c.args[1]);
	if (strcmp(verb, "clear") == 0 || strcmp(verb, "list") == 0 ||
	    strcmp(verb, "export") == 0 || strcmp(verb, "import") == 0)
		return tusage("unexpected arguments for %s (see --help)", verb);
	return tusage("'%s' is not a triage command: set, clear, list, export "
	    "or import", verb);
}
