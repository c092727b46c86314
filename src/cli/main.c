/* logonhunt: the command line, tying the core and the console together. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "enrich.h"
#include "excl.h"
#include "excl_cli.h"
#include "exclfilter.h"
#include "export.h"
#include "hunt.h"
#include "ledger.h"
#include "load.h"
#include "msg.h"
#include "output.h"
#include "rawevent.h"
#include "report.h"
#include "savefile.h"
#include "session.h"
#include "table.h"
#include "triage.h"
#include "triage_cli.h"
#include "ts.h"
#include "ui.h"
#include "util.h"

#define EXIT_INPUT 1
#define EXIT_USAGE 2
/* --with-triage or --only: the output has new, changed or reappeared
 * groups (a scheduled job's "look at this"). */
#define EXIT_NEWS 3

static const char usage_text[] =
"Usage: logonhunt [OPTIONS] [DIR]\n"
"       logonhunt exclusions COMMAND ...   (see: logonhunt exclusions --help)\n"
"       logonhunt triage COMMAND ...       (see: logonhunt triage --help)\n"
"\n"
"Hunts Defender logons from unknown IP addresses in exported tables: the\n"
"\"Device Logons from Unknown IPs\" query, run locally with Kusto's semantics.\n"
"DIR holds DeviceLogonEvents*.csv, DeviceNetworkInfo*.csv and\n"
"IdentityLogonEvents*.csv. Without --batch the interactive console opens.\n"
"\n"
"Input:\n"
"      --logons FILE         a DeviceLogonEvents export (repeatable)\n"
"      --network FILE        a DeviceNetworkInfo export (repeatable)\n"
"      --identity FILE       an IdentityLogonEvents export (repeatable)\n"
"      --input FILE          an export of any kind, told by its content\n"
"                            (repeatable; also for the hunt's own result)\n"
"  -r, --recursive           look for exports in DIR's subdirectories too\n"
"      --skip-bad-rows       skip and count malformed rows instead of stopping\n"
"      --csv-parser NAME     fast (default) or libcsv\n"
"      --allow-missing TABLE  run without DeviceNetworkInfo or\n"
"                            IdentityLogonEvents (network, identity, or\n"
"                            both comma-separated) without the warning\n"
"      --threads N           threads for parsing (default: one per CPU)\n"
"\n"
"Hunt:\n"
"      --since DURATION      only logons in the last DURATION (7d, 24h, 90m,\n"
"                            30s), like Kusto's ago(), counted from now\n"
"      --relative-to-data    count --since from the newest Public logon\n"
"      --from TIME           only logons at or after TIME (ISO 8601)\n"
"      --until TIME          only logons at or before TIME (a date alone\n"
"                            means the end of that day)\n"
"      --identity-filter F   as-written (default): drop IPs seen in identity\n"
"                            logons with ISP != \"INTERNAL_NETWORK\", as the\n"
"                            query does; internal: drop those with\n"
"                            ISP == \"INTERNAL_NETWORK\", as its comment means\n"
"\n"
"Exclusions (see logonhunt-exclusions(5)):\n"
"      --exclusions FILE     the allowlist file (default:\n"
"                            $XDG_CONFIG_HOME/logonhunt/exclusions)\n"
"      --no-exclusions       ignore the allowlist for this run\n"
"      --kql                 print the query with the active exclusions\n"
"                            compiled in, for Sentinel or Defender, and exit;\n"
"                            it keeps the Hunt options above\n"
"      --watchlist ALIAS     with --kql: read the exclusions from the Sentinel\n"
"                            watchlist ALIAS (logonhunt exclusions watchlist)\n"
"\n"
"Enrichment (offline; see ENRICHMENT in logonhunt(1)):\n"
"      --enrich              add the columns Country, ASN, ASOrg, Owner and\n"
"                            Intel; without --geoip, the *.mmdb files in\n"
"                            $XDG_CONFIG_HOME/logonhunt/geoip, /usr/share/GeoIP,\n"
"                            /var/lib/GeoIP and /usr/local/share/GeoIP\n"
"      --geoip FILE          a MaxMind DB: GeoLite2 Country, City or ASN,\n"
"                            DB-IP Lite, IPinfo Lite (repeatable)\n"
"      --ranges FILE         network owners: Azure service tags, AWS\n"
"                            ip-ranges.json, Google cloud.json, a MISP\n"
"                            warninglist (repeatable)\n"
"      --intel FILE          threat intel: addresses and ranges, CSV, MISP\n"
"                            CSV, STIX 2.1 bundle, Tor exit list (repeatable)\n"
"                            (--geoip, --ranges and --intel imply --enrich)\n"
"\n"
"Output:\n"
"  -b, --batch               print the summary and exit, no console\n"
"  -f, --format FMT          csv, json or table (default: table on a\n"
"                            terminal, csv otherwise)\n"
"  -s, --sort COL[:asc|:desc]  sort column (default Instances:desc; ties\n"
"                            by AccountDomain, AccountName, LogonType,\n"
"                            RemoteIP, ActionType)\n"
"  -o, --output FILE         write the summary to FILE (atomically: a\n"
"                            reader never sees half of it)\n"
"      --stats               print the funnel to standard error\n"
"      --report FILE         also write a report for handing on: the manifest\n"
"                            (inputs with SHA-256, exclusions), the funnel,\n"
"                            charts and the groups; HTML or Markdown by the\n"
"                            name (.html, .md); implies --batch\n"
"      --report-format F     html or md, whatever the name\n"
"      --report-events       add the raw events of the groups to the report\n"
"      --anonymize           accounts, devices and IPs in the report as\n"
"                            pseudonyms that cannot be traced back\n"
"      --no-neutralise       CSV (the summary and the console's exports)\n"
"                            with cells as they are: by default a cell\n"
"                            starting with = + - @ TAB or CR gets a ' first\n"
"\n"
"Triage (see logonhunt-ledger(5)):\n"
"      --ledger FILE         the triage ledger (default:\n"
"                            $XDG_DATA_HOME/logonhunt/ledger)\n"
"      --with-triage         add the columns Status, Verdict and Note\n"
"      --only LIST           keep the groups that are any of new, changed,\n"
"                            reappeared, seen, untriaged (comma-separated)\n"
"      --no-record           do not record this run in the ledger\n"
"      --no-ledger           no triage at all: the console shows no Status\n"
"                            and Verdict and reads and records nothing\n"
"\n"
"Console:\n"
"      --no-mouse            start with the mouse off\n"
"      --mono                no colours (NO_COLOR does the same)\n"
"      --fresh               start afresh: do not restore the marks, sort,\n"
"                            filter, search, cursor and column mode kept\n"
"                            from the last session on the same inputs\n"
"\n"
"  -h, --help                this help\n"
"  -V, --version             the version\n"
"\n"
"Exit status: 0 success, 1 input error, 2 usage error; with --with-triage\n"
"or --only, 3 when the output has new, changed or reappeared groups.\n";

enum {
	OPT_LOGONS = 256, OPT_NETWORK, OPT_IDENTITY, OPT_SKIP_BAD, OPT_PARSER,
	OPT_THREADS, OPT_IDENT_FILTER, OPT_STATS, OPT_SINCE, OPT_RELDATA,
	OPT_FROM, OPT_UNTIL, OPT_EXCL, OPT_NO_EXCL, OPT_KQL, OPT_INPUT,
	OPT_NO_MOUSE, OPT_MONO, OPT_NO_NEUTRALISE, OPT_REPORT, OPT_REPORT_FORMAT,
	OPT_REPORT_EVENTS, OPT_ANONYMIZE, OPT_WATCHLIST, OPT_ALLOW_MISSING,
	OPT_ENRICH, OPT_GEOIP, OPT_RANGES, OPT_INTEL,
	OPT_LEDGER, OPT_WITH_TRIAGE, OPT_ONLY, OPT_NO_RECORD, OPT_FRESH,
	OPT_NO_LEDGER,
};

static const struct option long_opts[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "format", required_argument, NULL, 'f' },
	{ "sort", required_argument, NULL, 's' },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "output", required_argument, NULL, 'o' },
	{ "logons", required_argument, NULL, OPT_LOGONS },
	{ "network", required_argument, NULL, OPT_NETWORK },
	{ "identity", required_argument, NULL, OPT_IDENTITY },
	{ "skip-bad-rows", no_argument, NULL, OPT_SKIP_BAD },
	{ "csv-parser", required_argument, NULL, OPT_PARSER },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "identity-filter", required_argument, NULL, OPT_IDENT_FILTER },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "exclusions", required_argument, NULL, OPT_EXCL },
	{ "no-exclusions", no_argument, NULL, OPT_NO_EXCL },
	{ "kql", no_argument, NULL, OPT_KQL },
	{ "watchlist", required_argument, NULL, OPT_WATCHLIST },
	{ "input", required_argument, NULL, OPT_INPUT },
	{ "recursive", no_argument, NULL, 'r' },
	{ "no-mouse", no_argument, NULL, OPT_NO_MOUSE },
	{ "mono", no_argument, NULL, OPT_MONO },
	{ "no-neutralise", no_argument, NULL, OPT_NO_NEUTRALISE },
	{ "relative-to-data", no_argument, NULL, OPT_RELDATA },
	{ "allow-missing", required_argument, NULL, OPT_ALLOW_MISSING },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "report-format", required_argument, NULL, OPT_REPORT_FORMAT },
	{ "report-events", no_argument, NULL, OPT_REPORT_EVENTS },
	{ "anonymize", no_argument, NULL, OPT_ANONYMIZE },
	{ "anonymise", no_argument, NULL, OPT_ANONYMIZE },
	{ "enrich", no_argument, NULL, OPT_ENRICH },
	{ "geoip", required_argument, NULL, OPT_GEOIP },
	{ "ranges", required_argument, NULL, OPT_RANGES },
	{ "intel", required_argument, NULL, OPT_INTEL },
	{ "ledger", required_argument, NULL, OPT_LEDGER },
	{ "with-triage", no_argument, NULL, OPT_WITH_TRIAGE },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "no-record", no_argument, NULL, OPT_NO_RECORD },
	{ "no-ledger", no_argument, NULL, OPT_NO_LEDGER },
	{ "fresh", no_argument, NULL, OPT_FRESH },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

struct cli {
	int batch, stats, format_set, kql, no_excl, recursive;
	int no_mouse, mono, keep_formulas;
	int excl_named;		/* --exclusions given: the file must exist */
	unsigned allow_missing;	/* 1 << table: no warning when it is absent */
	const char *from_arg, *until_arg;
	int with_triage, no_record;
	int no_ledger;		/* no triage at all: none read or recorded */
	int fresh;		/* the console restores no session */
	unsigned only;		/* TRIAGE_ONLY mask, 0: all */
	const char *ledger_path;
	char *excl_path;
	const char *output, *watchlist;
	enum out_format format;
	struct hunt_sort sort;
	int sort_given;		/* --sort: wins over the console's session */
	struct load_opts load;
	struct hunt_opts hunt;
	struct load_input *inputs;
	size_t ninputs, capinputs;
	const char *dir;
	const char *report;
	int report_format_set;
	enum report_format report_format;
	unsigned report_flags;
	char *cmdline;
	time_t started;
	struct timespec t0;
	int enrich;
	/* --geoip, --ranges, --intel in the order given (argv strings) */
	const char **srcpath;
	int *srckind;
	size_t nsrc, capsrc;
};

enum { SRC_GEOIP, SRC_RANGES, SRC_INTEL };

static void
add_source(struct cli *c, const char *path, int kind)
{
	c->srcpath = xgrow(c->srcpath, &c->capsrc, c->nsrc + 1, sizeof *c->srcpath);
	c->srckind = xrealloc(c->srckind, c->capsrc * sizeof *c->srckind);
	c->srcpath[c->nsrc] = path;
	c->srckind[c->nsrc++] = kind;
	c->enrich = 1;
}

static int
usage_error(const char *fmt, const char *arg)
{
	msg_usage("logonhunt --help", fmt, arg);
	return EXIT_USAGE;
}

/* Writes text to standard output and flushes it: 0, or EXIT_INPUT after
 * saying why (a full disk, a file size limit, a closed pipe's EPIPE when
 * SIGPIPE is ignored): output that was not written is not a success. */
static int
put_stdout(const char *p, size_t n, const char *what)
{
	if ((n == 0 || fwrite(p, 1, n, stdout) == n) && fflush(stdout) == 0)
		return 0;
	msg("cannot write %s to standard output: %s", what, strerror(errno));
	return EXIT_INPUT;
}

/* An out_sink to standard output; ctx is the run's status, set to
 * EXIT_INPUT (after saying why) when a write fails. */
static int
sink_stdout(void *ctx, const char *p, size_t n)
{
	if (fwrite(p, 1, n, stdout) == n)
		return 0;
	msg("cannot write the summary to standard output: %s", strerror(errno));
	*(int *)ctx = EXIT_INPUT;
	return -1;
}

/* "network", "identity", their table names, or a comma-separated list. */
static int
parse_allow_missing(const char *arg, unsigned *mask)
{
	const char *p = arg, *e;
	size_t n;

	for (;;) {
		e = strchr(p, ',');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if ((n == 7 && strncasecmp(p, "network", n) == 0) ||
		    (n == 17 && strncasecmp(p, "DeviceNetworkInfo", n) == 0))
			*mask |= 1u << LH_NETWORK;
		else if ((n == 8 && strncasecmp(p, "identity", n) == 0) ||
		    (n == 19 && strncasecmp(p, "IdentityLogonEvents", n) == 0))
			*mask |= 1u << LH_IDENTITY;
		else
			return -1;
		if (e == NULL)
			return 0;
		p = e + 1;
	}
}

static void
add_input(struct cli *c, const char *path, enum lh_table t)
{
	c->inputs = xgrow(c->inputs, &c->capinputs, c->ninputs + 1, sizeof *c->inputs);
	c->inputs[c->ninputs].path = xstrdup(path);
	c->inputs[c->ninputs].table = t;
	c->ninputs++;
}

/* The command line as the report's manifest shows it: arguments that a
 * shell would split or expand in single quotes. */
static char *
command_line(int argc, char **argv)
{
	struct buf b = { 0 };
	const char *a;
	int i;

	for (i = 0; i < argc; i++) {
		a = argv[i];
		if (i)
			buf_addc(&b, ' ');
		if (a[0] != '\0' && a[strspn(a, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=.,/:+@%")] == '\0') {
			buf_add(&b, a, strlen(a));
			continue;
		}
		buf_addc(&b, '\'');
		for (; *a; a++)
			if (*a == '\'')
				buf_add(&b, "'\\''", 4);
			else
				buf_addc(&b, *a);
		buf_addc(&b, '\'');
	}
	buf_addc(&b, '\0');
	return b.p;
}

/* Returns -1 on success, else the exit status for a usage error. */
static int
parse_args(struct cli *c, int argc, char **argv)
{
	int ch;
	long n;
	char *end;

	memset(c, 0, sizeof *c);
	clock_gettime(CLOCK_MONOTONIC, &c->t0);
	c->started = time(NULL);
	c->cmdline = command_line(argc, argv);
	c->hunt.from = c->hunt.until = TS_NONE;
	hunt_sort_parse("Instances", &c->sort);
	c->load.warn = msg_warning;
	while ((ch = getopt_long(argc, argv, "bf:s:o:rhV", long_opts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			c->batch = 1;
			break;
		case 'f':
			if (output_format_parse(optarg, &c->format) != 0)
				return usage_error("--format: '%s' is not csv, json or table", optarg);
			c->format_set = 1;
			break;
		case 's':
			if (hunt_sort_parse(optarg, &c->sort) != 0)
				return usage_error("--sort: '%s' is not a summary column "
				    "(AccountDomain, AccountName, LogonType, RemoteIP, "
				    "ActionType, EarliestEvent, LatestEvent, Instances, "
				    "DistinctMachines), optionally with :asc or :desc", optarg);
			c->sort_given = 1;
			break;
		case OPT_STATS:
			c->stats = 1;
			break;
		case 'o':
			c->output = optarg;
			break;
		case OPT_LOGONS:
			add_input(c, optarg, LH_LOGONS);
			break;
		case OPT_NETWORK:
			add_input(c, optarg, LH_NETWORK);
			break;
		case OPT_IDENTITY:
			add_input(c, optarg, LH_IDENTITY);
			break;
		case OPT_SKIP_BAD:
			c->load.skip_bad_rows = 1;
			break;
		case OPT_PARSER:
			if (strcmp(optarg, "fast") == 0)
				c->load.engine = LOAD_ENGINE_FAST;
			else if (strcmp(optarg, "libcsv") == 0)
				c->load.engine = LOAD_ENGINE_LIBCSV;
			else
				return usage_error("--csv-parser: '%s' is not fast or libcsv", optarg);
			break;
		case OPT_THREADS:
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *end || n < 1 || n > 64)
				return usage_error("--threads: '%s' is not a number from 1 to 64", optarg);
			c->load.threads = (int)n;
			break;
		case OPT_IDENT_FILTER:
			if (strcmp(optarg, "as-written") == 0)
				c->hunt.identity = HUNT_IDENTITY_AS_WRITTEN;
			else if (strcmp(optarg, "internal") == 0)
				c->hunt.identity = HUNT_IDENTITY_INTERNAL;
			else
				return usage_error("--identity-filter: '%s' is not as-written or internal", optarg);
			break;
		case OPT_SINCE:
			if (hunt_duration_parse(optarg, &c->hunt.since) != 0 || c->hunt.since == 0)
				return usage_error("--since: '%s' is not a duration such as 7d, 24h, 90m or 30s", optarg);
			break;
		case OPT_EXCL:
			free(c->excl_path);
			c->excl_path = xstrdup(optarg);
			c->excl_named = 1;
			break;
		case OPT_ALLOW_MISSING:
			if (parse_allow_missing(optarg, &c->allow_missing) != 0)
				return usage_error("--allow-missing: '%s' is not network "
				    "or identity (or both, comma-separated)", optarg);
			break;
		case OPT_INPUT:
			add_input(c, optarg, LOAD_DETECT);
			break;
		case 'r':
			c->recursive = 1;
			break;
		case OPT_NO_MOUSE:
			c->no_mouse = 1;
			break;
		case OPT_MONO:
			c->mono = 1;
			break;
		case OPT_NO_NEUTRALISE:
			c->keep_formulas = 1;
			break;
		case OPT_ENRICH:
			c->enrich = 1;
			break;
		case OPT_GEOIP:
			add_source(c, optarg, SRC_GEOIP);
			break;
		case OPT_RANGES:
			add_source(c, optarg, SRC_RANGES);
			break;
		case OPT_INTEL:
			add_source(c, optarg, SRC_INTEL);
			break;
		case OPT_NO_EXCL:
			c->no_excl = 1;
			break;
		case OPT_KQL:
			c->kql = 1;
			break;
		case OPT_WATCHLIST:
			if (optarg[0] == '\0')
				return usage_error("%s", "--watchlist: give the watchlist's alias");
			c->watchlist = optarg;
			break;
		case OPT_LEDGER:
			c->ledger_path = optarg;
			break;
		case OPT_WITH_TRIAGE:
			c->with_triage = 1;
			break;
		case OPT_ONLY:
			if (triage_only_parse(optarg, &c->only) != 0)
				return usage_error("--only: '%s' is not a list of new, "
				    "changed, reappeared, seen and untriaged", optarg);
			break;
		case OPT_NO_RECORD:
			c->no_record = 1;
			break;
		case OPT_NO_LEDGER:
			c->no_ledger = c->no_record = 1;
			break;
		case OPT_FRESH:
			c->fresh = 1;
			break;
		case OPT_RELDATA:
			c->hunt.since_data = 1;
			break;
		case OPT_FROM:
			if (ts_parse(optarg, strlen(optarg), &c->hunt.from) != 0)
				return usage_error("--from: '%s' is not an ISO 8601 time such as 2024-05-01T00:00:00Z", optarg);
			c->from_arg = optarg;
			break;
		case OPT_UNTIL:
			if (ts_parse(optarg, strlen(optarg), &c->hunt.until) != 0)
				return usage_error("--until: '%s' is not an ISO 8601 time such as 2024-05-31T23:59:59Z", optarg);
			/* A bare date covers the whole day. */
			if (strlen(optarg) == 10)
				c->hunt.until += 86400 * TS_TICKS_PER_SEC - 1;
			c->until_arg = optarg;
			break;
		case OPT_REPORT:
			c->report = optarg;
			c->batch = 1;
			break;
		case OPT_REPORT_FORMAT:
			if (report_format_parse(optarg, &c->report_format) != 0)
				return usage_error("--report-format: '%s' is not html or md", optarg);
			c->report_format_set = 1;
			break;
		case OPT_REPORT_EVENTS:
			c->report_flags |= REPORT_EVENTS;
			break;
		case OPT_ANONYMIZE:
			c->report_flags |= REPORT_ANONYMIZE;
			break;
		case 'h':
			return put_stdout(usage_text, strlen(usage_text), "the help");
		case 'V':
			return put_stdout("logonhunt " PACKAGE_VERSION "\n",
			    strlen("logonhunt " PACKAGE_VERSION "\n"), "the version");
		default:
			fprintf(stderr, "Try 'logonhunt --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		c->dir = argv[optind++];
	if (optind < argc)
		return usage_error("unexpected argument '%s': give one directory", argv[optind]);
	if (c->excl_path == NULL && !c->no_excl)
		c->excl_path = excl_default_path();
	if (c->watchlist != NULL && !c->kql)
		return usage_error("%s", "--watchlist goes with --kql");
	if (c->kql && c->hunt.since_data && c->hunt.since == 0)
		return usage_error("%s", "--relative-to-data goes with --since");
	if (c->hunt.from != TS_NONE && c->hunt.until != TS_NONE &&
	    c->hunt.from > c->hunt.until) {
		char *m = xasprintf("--from %s is after --until %s: no logon can be "
		    "in that window; swap the two times", c->from_arg, c->until_arg);
		int rc = usage_error("%s", m);

		free(m);
		return rc;
	}
	if (c->kql)
		return -1;
	if (c->dir == NULL && c->ninputs == 0)
		return usage_error("%s", "no input: give a directory of exports, or --logons FILE");
	if (c->report == NULL && (c->report_flags || c->report_format_set))
		return usage_error("%s", "--report-format, --report-events and "
		    "--anonymize go with --report FILE");
	if (c->report != NULL && !c->report_format_set &&
	    report_format_from_name(c->report, &c->report_format) != 0)
		return usage_error("--report: '%s' does not end in .html or .md; "
		    "name the format with --report-format html or md", c->report);
	if (c->hunt.since_data && c->hunt.since == 0)
		return usage_error("%s", "--relative-to-data goes with --since");
	if (!c->format_set)
		c->format = isatty(STDOUT_FILENO) && c->output == NULL ? OUT_TABLE : OUT_CSV;
	return -1;
}

static int
gather_inputs(struct cli *c)
{
	struct load_input *found;
	size_t n, i;
	char *cause;

	if (c->dir == NULL)
		return 0;
	if (load_find_inputs_warn(c->dir, c->recursive ? LOAD_FIND_RECURSIVE : 0,
	    c->load.warn, c->load.warn_ctx, &found, &n, &cause) != 0) {
		msg_text(cause);
		free(cause);
		return -1;
	}
	for (i = 0; i < n; i++)
		add_input(c, found[i].path, found[i].table);
	load_inputs_free(found, n);
	return 0;
}

/* Loads the allowlist; a missing file is an empty one, unless the user
 * named it: then a typing mistake would silently hide nothing. */
static int
load_exclusions(struct cli *c, struct excl_set **set)
{
	char *cause = NULL;

	*set = NULL;
	if (c->no_excl || c->excl_path == NULL)
		return 0;
	if (c->excl_named && excl_cli_require_file(c->excl_path) != 0)
		return -1;
	if (excl_load(c->excl_path, set, &cause) != 0) {
		/* The file's lines, quoted as they are (excl.h). */
		msg_cause(cause);
		free(cause);
		return -1;
	}
	return 0;
}

static int
run_kql(struct cli *c)
{
	struct excl_set *set = NULL;
	struct excl_kql_opts ko;
	struct buf out = { 0 };
	int rc;

	excl_kql_opts_init(&ko);
	ko.from = c->hunt.from;
	ko.until = c->hunt.until;
	ko.since = c->hunt.since;
	ko.since_data = c->hunt.since_data;
	ko.identity_internal = c->hunt.identity == HUNT_IDENTITY_INTERNAL;
	ko.watchlist = c->watchlist;
	/* With a watchlist the rules are Sentinel's, not the file's. */
	if (c->watchlist == NULL && load_exclusions(c, &set) != 0)
		return EXIT_INPUT;
	if (set == NULL)
		set = excl_new_empty("(none)");
	excl_kql_query(&out, set, time(NULL), &ko);
	rc = put_stdout(out.p, out.len, "the query");
	buf_free(&out);
	excl_free(set);
	return rc;
}

/* CSV formulas neutralised unless --no-neutralise; everything escaped
 * when the summary goes to a terminal (to a file or a pipe it is data and
 * stays exact). */
static unsigned
batch_flags(const struct cli *c)
{
	unsigned flags = c->keep_formulas ? 0 : OUT_NEUTRALISE;

	if (c->output == NULL && isatty(STDOUT_FILENO))
		flags |= OUT_TERMINAL;
	return flags;
}

/* The report: the summary's extra columns (the enrichment's, the triage's
 * Status, Verdict and Note) go in as they are; each enrichment source (what, when built, how old) is a line
 * of the manifest. */
static int
write_report(struct cli *c, struct hunt *h, const uint32_t *rows, size_t n,
    const struct excl_set *set, time_t now, const struct out_extra *x,
    const struct enrich *en)
{
	struct report_input in;
	struct report_extra rx;
	struct report_fact facts[16];
	struct rawevent_reader *rr = rawevent_open(h->d);
	struct timespec t1;
	struct buf src = { 0 };
	char *cause = NULL;
	int rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	memset(&in, 0, sizeof in);
	in.version = PACKAGE_VERSION;
	in.cmdline = c->cmdline;
	in.started = c->started;
	in.elapsed = (double)(t1.tv_sec - c->t0.tv_sec) +
	    (double)(t1.tv_nsec - c->t0.tv_nsec) / 1e9;
	in.h = h;
	in.rows = rows;
	in.n = n;
	in.excl = set;
	in.now = now;
	in.rr = rr;
	if (x != NULL) {
		rx.ncols = x->ncols;
		rx.name = x->name;
		rx.cell = x->cell;
		rx.ctx = x->ctx;
		in.extra = &rx;
	}
	if (en != NULL) {
		enrich_describe(&src, en, now);
		in.nfacts = report_facts_from_lines(src.p, "Enrichment source",
		    facts, 0, sizeof facts / sizeof facts[0]);
		in.facts = facts;
	}
	if (report_write(c->report, 0, &in, c->report_format, c->report_flags,
	    &cause) != 0) {
		msg("--report: %s", cause);
		free(cause);
		rc = EXIT_INPUT;
	}
	buf_free(&src);
	rawevent_close(rr);
	return rc;
}

static void
warn_missing_tables(const struct hunt *h, unsigned allowed)
{
	unsigned missing = hunt_missing_tables(h) & ~allowed;

	if (missing & (1u << LH_NETWORK))
		msg("warning: %s (give --network FILE, or --allow-missing network "
		    "if that is intended)", hunt_missing_note(LH_NETWORK));
	if (missing & (1u << LH_IDENTITY))
		msg("warning: %s (give --identity FILE, or --allow-missing "
		    "identity if that is intended)", hunt_missing_note(LH_IDENTITY));
}

/* Opening the enrichment sources (parsing a 4 MB service tags file, a
 * 100,000-line intel list) runs in a thread beside the exports' load, so
 * it costs little wall time; its messages wait for the join. */
struct enrich_job {
	const struct cli *c;
	struct enrich *e;
	char *cause;		/* the source that could not be used */
	char **warn;		/* default-place databases passed over */
	size_t nwarn;
	pthread_t thread;
	int started;
};

static void
job_warn(void *ctx, const char *msg)
{
	struct enrich_job *j = ctx;

	j->warn = xrealloc(j->warn, (j->nwarn + 1) * sizeof *j->warn);
	j->warn[j->nwarn++] = xstrdup(msg);
}

/* Opens every source in the order given; the first that cannot be used
 * stops it. Without --geoip, the usual places. */
static void *
enrich_job_run(void *arg)
{
	struct enrich_job *j = arg;
	const struct cli *c = j->c;
	const char *dirs[8];
	char *confdir = NULL, *xdg, *home;
	size_t i, nd = 0, ngeo = 0;
	int rc = 0;

	j->e = enrich_new();
	for (i = 0; i < c->nsrc && rc == 0; i++) {
		switch (c->srckind[i]) {
		case SRC_GEOIP:
			rc = enrich_add_geoip(j->e, c->srcpath[i], &j->cause);
			ngeo++;
			break;
		case SRC_RANGES:
			rc = enrich_add_ranges(j->e, c->srcpath[i], &j->cause);
			break;
		default:
			rc = enrich_add_intel(j->e, c->srcpath[i], &j->cause);
			break;
		}
	}
	if (rc != 0)
		return NULL;
	if (ngeo == 0) {
		xdg = getenv("XDG_CONFIG_HOME");
		home = getenv("HOME");
		if (xdg != NULL && xdg[0] == '/')
			confdir = xasprintf("%s/logonhunt/geoip", xdg);
		else if (home != NULL && home[0] == '/')
			confdir = xasprintf("%s/.config/logonhunt/geoip", home);
		if (confdir != NULL)
			dirs[nd++] = confdir;
		for (i = 0; enrich_geoip_dirs[i] != NULL && nd < 7; i++)
			dirs[nd++] = enrich_geoip_dirs[i];
		dirs[nd] = NULL;
		enrich_add_geoip_dirs(j->e, dirs, job_warn, j);
		free(confdir);
	}
	enrich_build(j->e);
	return NULL;
}

static void
enrich_job_start(struct enrich_job *j, const struct cli *c)
{
	memset(j, 0, sizeof *j);
	j->c = c;
	j->started = pthread_create(&j->thread, NULL, enrich_job_run, j) == 0;
	if (!j->started)
		enrich_job_run(j);
}

/* Waits for the job and reports; 0 with *out, or -1 (the reason shown). */
static int
enrich_job_finish(struct enrich_job *j, struct enrich **out)
{
	size_t i;

	if (j->started)
		pthread_join(j->thread, NULL);
	for (i = 0; i < j->nwarn; i++) {
		msg_warning(NULL, j->warn[i]);
		free(j->warn[i]);
	}
	free(j->warn);
	if (j->cause != NULL) {
		msg_cause(j->cause);
		free(j->cause);
		enrich_free(j->e);
		*out = NULL;
		return -1;
	}
	*out = j->e;
	return 0;
}

/* Which files the columns come from and how old each is, on stderr: the
 * summary itself stays what its format says. */
static void
report_enrich(const struct enrich *e, time_t now)
{
	struct buf b = { 0 };

	if (enrich_source_count(e) == 0) {
		msg("%s", "no enrichment source: give --geoip, --ranges "
		    "or --intel, or put GeoIP databases in /usr/share/GeoIP; "
		    "the columns are empty");
		return;
	}
	buf_addf(&b, "enrichment sources:\n");
	enrich_describe(&b, e, now);
	msg_text(b.p);
	buf_free(&b);
}

/* Loads the ledger a batch run needs (for its columns, its filter or to
 * record the run); *l stays NULL when none is needed. */
static int
batch_ledger(struct cli *c, struct ledger **l)
{
	char *path, *cause = NULL;
	int needed = c->with_triage || c->only != 0;

	*l = NULL;
	if (needed && c->no_ledger) {
		msg("--no-ledger leaves no ledger for --with-triage or --only");
		return -1;
	}
	if (!needed && c->no_record)
		return 0;
	path = c->ledger_path != NULL ? xstrdup(c->ledger_path) :
	    ledger_default_path();
	if (path == NULL) {
		if (!needed)
			return 0;
		msg("no ledger: neither XDG_DATA_HOME nor HOME gives a "
		    "directory; choose a file with --ledger FILE");
		return -1;
	}
	if (ledger_load(path, l, &cause) != 0) {
		msg_text(cause);
		free(cause);
		free(path);
		return -1;
	}
	free(path);
	if ((cause = ledger_torn_note(*l)) != NULL) {
		msg_warning(NULL, cause);
		free(cause);
	}
	return 0;
}

static void
triage_stats(struct buf *b, const struct ledger *l, const struct ledger_run *r)
{
	buf_addf(b, "Triage (%s): %zu new, %zu changed, %zu reappeared, "
	    "%zu seen; %zu untriaged\n", ledger_path(l), r->count[LS_NEW],
	    r->count[LS_CHANGED], r->count[LS_REAPPEARED], r->count[LS_SEEN],
	    r->untriaged);
}
/* 1 if nothing of the batch run reads a single logon again, so the load
 * may sum them per group and device (table_data_sum): a report reads
 * them back (its timelines and events), and intel's time windows need
 * each logon's time. */
static int
batch_sums(struct cli *c, struct table_sum *s)
{
	size_t i;

	if (c->report != NULL)
		return 0;
	for (i = 0; i < c->nsrc; i++)
		if (c->srckind[i] == SRC_INTEL)
			return 0;
	return hunt_load_window(&c->hunt, s) == 0;
}

static int
run_batch(struct cli *c)
{
	struct table_data *d;
	struct hunt h;
	struct hunt_filter flt;
	struct excl_set *set;
	struct excl_matcher *m = NULL;
	struct buf out = { 0 };
	uint32_t *rows;
	size_t n;
	char *cause = NULL;
	time_t now = time(NULL);
	struct enrich *en = NULL;
	struct enrich_view *ev = NULL;
	struct enrich_job job;
	struct exclfilter_ipinfo xi;
	struct out_extra extra, textra;
	struct ledger *led;
	struct ledger_run run = { 0 };
	struct triage_columns tc;
	struct table_sum sum;
	int rc, want_enrich;

	if (load_exclusions(c, &set) != 0)
		return EXIT_INPUT;
	if (batch_ledger(c, &led) != 0) {
		excl_free(set);
		return EXIT_INPUT;
	}
	if (set != NULL)
		m = excl_compile(set, now);
	/* asn and owner rules need the sources even without the columns. */
	want_enrich = c->enrich || excl_matcher_needs_ipinfo(m);
	if (want_enrich)
		enrich_job_start(&job, c);
	d = table_data_new();
	if (batch_sums(c, &sum))
		table_data_sum(d, &sum);
	rc = load_all(d, c->inputs, c->ninputs, &c->load, &cause);
	table_data_loaded(d);
	if (want_enrich && enrich_job_finish(&job, &en) != 0) {
		free(cause);
		table_data_free(d);
		excl_matcher_free(m);
		excl_free(set);
		ledger_free(led);
		return EXIT_INPUT;
	}
	if (rc != 0) {
		msg_text(cause);
		free(cause);
		table_data_free(d);
		excl_matcher_free(m);
		excl_free(set);
		enrich_free(en);
		ledger_free(led);
		return EXIT_INPUT;
	}
	if (en != NULL)
		report_enrich(en, now);
	if (excl_matcher_needs_ipinfo(m) && !(enrich_columns(en) &
	    (1u << EC_ASN | 1u << EC_OWNER)))
		msg("%s: asn and owner rules match nothing without a GeoIP "
		    "ASN database (--geoip) or a ranges file (--ranges)",
		    excl_path(set));
	table_data_warnings(d, c->load.warn, c->load.warn_ctx);
	c->hunt.once = 1;
	hunt_run(&h, d, &c->hunt);
	warn_missing_tables(&h, c->allow_missing);
	if ((cause = hunt_since_hint(&h)) != NULL) {
		msg("%s", cause);
		free(cause);
		cause = NULL;
	}
	if (set != NULL) {
		xi.m = m;
		xi.lookup = en != NULL ? enrich_ipinfo : NULL;
		xi.ctx = en;
		exclfilter_init_ipinfo(&flt, set, &xi);
		hunt_apply(&h, &flt);
	} else
		hunt_apply(&h, NULL);
	/* The sums serve the rules' statistics still; else they are done
	 * with before the sort needs its memory. */
	if (d->summed && !(c->stats && set != NULL) &&
	    hunt_forget_events(&h) == 0)
		table_data_forget_events(d);
	rows = xmalloc((h.ng ? h.ng : 1) * sizeof *rows);
	n = hunt_rows(&h, &c->sort, rows);
	hunt_sort_done(&h);
	if (led != NULL) {
		ledger_run_match(&run, led, &h);
		n = triage_only_filter(led, &run, rows, n, c->only);
	}
	if (c->enrich) {
		ev = enrich_hunt(en, &h);
		enrich_out_extra(ev, &extra);
	}
	if (c->with_triage) {
		/* Status, Verdict, Note right after DistinctMachines, then
		 * the enrichment's columns. */
		tc.l = led;
		tc.r = &run;
		tc.next = c->enrich ? &extra : NULL;
		triage_out_extra(&textra, &tc);
	}
	if (c->output != NULL) {
		/* Written as it is made into a temporary file renamed over
		 * FILE at the end: a file is complete or untouched, and a
		 * million rows are never all in memory. */
		rc = 0;
		if (export_summary_file(c->output, 0, &h, rows, n, c->format,
		    batch_flags(c), c->with_triage ? &textra : c->enrich ?
		    &extra : NULL, &cause) != 0) {
			msg_text(cause);
			free(cause);
			rc = EXIT_INPUT;
		}
	} else {
		/* Written as it is made: a million rows are never all in
		 * memory. */
		struct out_sink sink = { sink_stdout, &rc };

		rc = 0;
		output_summary_sink(&out, &h, rows, n, c->format, batch_flags(c),
		    c->with_triage ? &textra : c->enrich ? &extra : NULL, &sink);
		if (rc == 0)
			rc = put_stdout(NULL, 0, "the summary");
	}
	/* After every lookup: a damaged database shows in them. */
	enrich_warnings(en, msg_warning, NULL);
	if (rc == 0 && c->report != NULL)
		rc = write_report(c, &h, rows, n, set, now, c->with_triage ?
		    &textra : c->enrich ? &extra : NULL, en);
	if (c->stats) {
		buf_reset(&out);
		output_funnel(&out, &h);
		if (set != NULL)
			exclfilter_report(&out, &h, set, now);
		if (led != NULL)
			triage_stats(&out, led, &run);
		/* Standard error cannot report its own failure: the exit
		 * status does. */
		if (fputs(out.p, stderr) == EOF || fflush(stderr) != 0)
			rc = EXIT_INPUT;
	}
	/* Recorded after the output is out, so a ledger that cannot be
	 * saved does not cost the run's result; it does set the status. */
	if (led != NULL && !c->no_record) {
		ledger_run_record(&run, led, &h, ledger_now(), triage_rule_name, set);
		if (ledger_save(led, &cause) != 0) {
			msg_text(cause);
			free(cause);
			rc = EXIT_INPUT;
		}
	}
	if (rc == 0 && led != NULL && (c->with_triage || c->only != 0) &&
	    triage_alerts(&run, rows, n) > 0)
		rc = EXIT_NEWS;
	ledger_run_free(&run);
	ledger_free(led);
	buf_free(&out);
	enrich_view_free(ev);
	enrich_free(en);
	excl_matcher_free(m);
	excl_free(set);
	free(rows);
	hunt_free(&h);
	table_data_free(d);
	return rc;
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct ui_config ui;
	char *ui_ledger;
	int rc;

	/* Past a file size limit (ulimit -f) write() then fails with EFBIG,
	 * reported and cleaned up like a full disk, instead of the signal
	 * killing the process with no word and its temporary file left. */
	signal(SIGXFSZ, SIG_IGN);
	util_malloc_tune();
	if (argc > 1 && strcmp(argv[1], "triage") == 0)
		return triage_cli_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "exclusions") == 0) {
		char *path = excl_default_path();
		rc = excl_cli_main(argc - 1, argv + 1, path);
		free(path);
		return rc;
	}
	if ((rc = parse_args(&c, argc, argv)) >= 0)
		goto out;
	if (c.kql) {
		rc = run_kql(&c);
		goto out;
	}
	if (gather_inputs(&c) != 0) {
		rc = EXIT_INPUT;
		goto out;
	}
	if (c.batch) {
		/* The table aligns by display width, as the console does:
		 * the locale's wcwidth. */
		setlocale(LC_CTYPE, "");
		rc = run_batch(&c);
		goto out;
	}
	/* The console would start on an empty list the user did not mean. */
	if (c.excl_named && !c.no_excl &&
	    excl_cli_require_file(c.excl_path) != 0) {
		rc = EXIT_INPUT;
		goto out;
	}
	memset(&ui, 0, sizeof ui);
	ui.inputs = c.inputs;
	ui.ninputs = c.ninputs;
	ui.load = c.load;
	ui.hunt = c.hunt;
	ui.sort = c.sort;
	ui.view_given = c.sort_given ? SESSION_CLI_SORT : 0;
	ui.excl_path = c.no_excl ? NULL : c.excl_path;
	ui.no_mouse = c.no_mouse;
	ui.monochrome = c.mono;
	ui.keep_formulas = c.keep_formulas;
	ui.allow_missing = c.allow_missing;
	if (c.enrich) {
		struct enrich_job job;

		enrich_job_start(&job, &c);
		if (enrich_job_finish(&job, &ui.enrich) != 0) {
			rc = EXIT_INPUT;
			goto out;
		}
	}
	ui_ledger = c.no_ledger ? NULL : c.ledger_path != NULL ?
	    xstrdup(c.ledger_path) : ledger_default_path();
	ui.ledger_path = ui_ledger;
	ui.no_record = c.no_record;
	ui.fresh = c.fresh;
	rc = ui_run(&ui);
	free(ui_ledger);
	enrich_free(ui.enrich);
out:
	load_inputs_free(c.inputs, c.ninputs);
	free(c.excl_path);
	free(c.cmdline);
	free(c.srcpath);
	free(c.srckind);
	return rc;
}
