#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "excl.h"
#include "excl_cli.h"
#include "excl_lint.h"
#include "iptrie.h"
#include "msg.h"
#include "savefile.h"
#include "util.h"

#define EXIT_INPUT 1
#define EXIT_USAGE 2

/* Options each verb accepts, as a bit set. */
enum {
	OPT_NOTE = 1 << 0,
	OPT_UNTIL = 1 << 1,
	OPT_TAG = 1 << 2,
	OPT_LIST_TAGS = 1 << 3,
	OPT_DEVICE = 1 << 4,
	OPT_CREATE = 1 << 5,
	OPT_RULE = 1 << 6
};

struct cli {
	const char *path_opt;
	const char *note, *until, *device, *rule;
	const char **tags;
	size_t ntags;
	int list_tags, create, help;
	int verdict;		/* check, lint: reached their answer (0 or 1) */
	unsigned seen;		/* OPT_* given */
	char **args;		/* positional arguments after the verb */
	size_t nargs;
	const char *verb;
};

static const struct verb {
	const char *name;
	unsigned opts;
	const char *usage, *help;
	int writes;		/* may change the file */
} verbs[] = {
	{ "list", 0, "list [CATEGORY]",
	  "Show the categories and every rule with its number, kind, state,\n"
	  "expiry and note. With CATEGORY, only that category.", 0 },
	{ "categories", 0, "categories",
	  "Show the categories: on or off, rule counts, description.", 0 },
	{ "add", OPT_NOTE | OPT_UNTIL | OPT_CREATE,
	  "add CATEGORY RULE [--note TEXT] [--until YYYY-MM-DD] [--create]",
	  "Add a rule. RULE is an address or CIDR range (an ip rule),\n"
	  "DOMAIN\\name (an account rule; a name without '\\' needs the\n"
	  "account: prefix and matches any domain), or has an explicit prefix:\n"
	  "ip:..., account:..., device:.... '*' is a wildcard in account and\n"
	  "device rules. --until makes the rule stop applying after that day\n"
	  "(UTC). --create allows a new custom CATEGORY.", 1 },
	{ "edit", OPT_NOTE | OPT_UNTIL | OPT_RULE,
	  "edit ID [--rule RULE] [--note TEXT] [--until YYYY-MM-DD|never]",
	  "Change a rule's value, note or expiry. --note '' removes the note.", 1 },
	{ "remove", 0, "remove ID|CATEGORY...",
	  "Delete rules, and custom categories whose rules are all gone (after\n"
	  "the rules named with them). To keep a rule but stop it applying, use\n"
	  "disable. If anything cannot be removed, nothing is.", 1 },
	{ "enable", 0, "enable ID|CATEGORY...",
	  "Switch rules or whole categories on.", 1 },
	{ "disable", 0, "disable ID|CATEGORY...",
	  "Switch rules or whole categories off without deleting them.", 1 },
	{ "import", OPT_TAG | OPT_LIST_TAGS | OPT_CREATE,
	  "import CATEGORY FILE [--tag NAME]... [--create]\n"
	  "       logonhunt exclusions import --list-tags FILE",
	  "Import addresses into CATEGORY. FILE is a plain list (one address or\n"
	  "CIDR per line, '#' comments) or Microsoft's Azure IP ranges and\n"
	  "service tags JSON, recognised by its content; for the JSON, name the\n"
	  "tags to import with --tag (exact names, e.g.\n"
	  "MicrosoftDefenderForEndpoint). --list-tags lists the tags with their\n"
	  "prefix counts. Rules already in the category are skipped; if any\n"
	  "line is invalid nothing is imported.", 1 },
	{ "check", OPT_DEVICE, "check IP [DOMAIN\\NAME | NAME] [--device NAME]",
	  "Show every rule that matches, active or not, and why. IP may be '-'\n"
	  "to check only the account. Exit status 0 if an active rule excludes\n"
	  "the logon, 1 if none does, 2 if the check could not be made (the\n"
	  "file is missing, unreadable or invalid, IP is not an address, or\n"
	  "the arguments are wrong).", 0 },
	{ "lint", 0, "lint",
	  "List the rules that hide every logon (account:*, 0.0.0.0/0), that\n"
	  "can hide none (a private or reserved range, which is never Public;\n"
	  "an expired rule), or that only repeat what another active rule\n"
	  "already hides. Exit status 0 if there is none, 1 if some were\n"
	  "listed, 2 if the file could not be checked.", 0 },
	{ "kql", 0, "kql",
	  "Print the hunting query with the active exclusions compiled in, to\n"
	  "paste into Microsoft Defender advanced hunting.", 0 },
	{ "watchlist", 0, "watchlist [FILE]",
	  "Write the rules that apply (enabled, in an enabled category, not\n"
	  "expired) as a Microsoft Sentinel watchlist CSV: Kind, Value,\n"
	  "Category, Note, Expiry, one row per rule, to FILE or standard\n"
	  "output. Upload it with Value as the search key and hunt with\n"
	  "'logonhunt --kql --watchlist ALIAS'. Over Sentinel's 3.8 MB limit\n"
	  "for a local upload the rows are split into FILE-1.csv, FILE-2.csv,\n"
	  "... (FILE without its .csv), each with the header.", 0 },
	{ "path", 0, "path", "Print the exclusions file in use.", 0 },
};
#define NVERBS (sizeof verbs / sizeof verbs[0])

static void
usage_all(FILE *f)
{
	size_t i;

	fputs("usage: logonhunt exclusions [--exclusions FILE] COMMAND [ARGS]\n\n"
	    "Commands:\n", f);
	for (i = 0; i < NVERBS; i++)
		fprintf(f, "  %s\n", verbs[i].usage);
	fputs("\nAn ID is a rule's number as `list` shows it (1 is the first rule "
	    "in the file;\nnumbers move when rules before it are added or "
	    "removed) or its value,\nwhich does not move: ip:203.0.113.9, "
	    "'account:CONTOSO\\svc_backup', device:web-01.\n"
	    "The file defaults to $XDG_CONFIG_HOME/logonhunt/exclusions, else\n"
	    "~/.config/logonhunt/exclusions; its format is described in\n"
	    "logonhunt-exclusions(5). 'logonhunt exclusions COMMAND --help'\n"
	    "explains a command.\n", f);
}

static int
usage_error(const struct verb *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

int
excl_cli_require_file(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) == 0 || errno != ENOENT)
		return 0;
	msg("%s: no such exclusions file (named with --exclusions): check the "
	    "path; to start a new file there, add a rule to it with "
	    "'logonhunt exclusions --exclusions %s add CATEGORY RULE' (or "
	    "create it empty); or leave out --exclusions to use the default "
	    "file", path, path);
	return -1;
}

static int
usage_error(const struct verb *v, const char *fmt, ...)
{
	va_list ap;
	char *m;

	va_start(ap, fmt);
	m = xvasprintf(fmt, ap);
	va_end(ap);
	msg_cause(m);
	free(m);
	if (v != NULL)
		fprintf(stderr, "usage: logonhunt exclusions %s\n", v->usage);
	else
		fputs("try 'logonhunt exclusions --help'\n", stderr);
	return EXIT_USAGE;
}

static const struct verb *verb_find(const char *name);

/* ------------------------------------------------------------ output */

/* Prints s escaped and padded to width columns (code points, which is
 * right for the names and addresses shown here). */
static void
print_cell(const char *s, int width)
{
	struct buf b = { 0 };
	int cols = 0;
	size_t i;

	msg_escape(&b, s, strlen(s));
	for (i = 0; i < b.len; i++)
		if (((unsigned char)b.p[i] & 0xc0) != 0x80)
			cols++;
	if (b.len)
		fwrite(b.p, 1, b.len, stdout);
	for (; cols < width; cols++)
		putchar(' ');
	buf_free(&b);
}

static int
text_cols(const char *s)
{
	struct buf b = { 0 };
	int cols = 0;
	size_t i;

	msg_escape(&b, s, strlen(s));
	for (i = 0; i < b.len; i++)
		if (((unsigned char)b.p[i] & 0xc0) != 0x80)
			cols++;
	buf_free(&b);
	return cols;
}

static void
print_categories(const struct excl_set *s, long only, time_t now)
{
	size_t c, i, n, inactive;
	int w = 8;

	for (c = 0; c < excl_category_count(s); c++)
		if (text_cols(excl_category_name(s, c)) > w)
			w = text_cols(excl_category_name(s, c));
	print_cell("CATEGORY", w + 2);
	printf("%-5s  %5s  %8s  %s\n", "STATE", "RULES", "INACTIVE",
	    "DESCRIPTION");
	for (c = 0; c < excl_category_count(s); c++) {
		if (only >= 0 && (size_t)only != c)
			continue;
		n = excl_category_rule_count(s, c);
		inactive = 0;
		for (i = 0; i < excl_rule_count(s); i++)
			if (excl_rule_category(s, i) == c &&
			    (!excl_rule_enabled(s, i) || excl_rule_expired(s, i, now)))
				inactive++;
		print_cell(excl_category_name(s, c), w + 2);
		printf("%-5s  %5zu  %8zu  ", excl_category_enabled(s, c) ? "on" :
		    "off", n, inactive);
		print_cell(excl_category_description(s, c), 0);
		putchar('\n');
	}
}

static const char *
rule_state_word(const struct excl_set *s, size_t i, time_t now)
{
	if (!excl_rule_enabled(s, i))
		return "disabled";
	if (excl_rule_expired(s, i, now))
		return "expired";
	if (!excl_category_enabled(s, excl_rule_category(s, i)))
		return "cat-off";
	return "active";
}

static void
print_rules(const struct excl_set *s, long only, time_t now)
{
	size_t i, shown = 0;
	int wc = 8, wv = 5, w;
	char date[11];

	for (i = 0; i < excl_rule_count(s); i++) {
		if (only >= 0 && (size_t)only != excl_rule_category(s, i))
			continue;
		w = text_cols(excl_category_name(s, excl_rule_category(s, i)));
		if (w > wc)
			wc = w;
		w = text_cols(excl_rule_text(s, i));
		if (w > wv)
			wv = w > 40 ? 40 : w;
	}
	for (i = 0; i < excl_rule_count(s); i++) {
		if (only >= 0 && (size_t)only != excl_rule_category(s, i))
			continue;
		if (shown++ == 0) {
			printf("%5s  %-*s  %-7s  %-8s  %-10s  %-*s  %s\n", "ID", wc,
			    "CATEGORY", "KIND", "STATE", "UNTIL", wv, "VALUE",
			    "NOTE");
		}
		printf("%5zu  ", i + 1);
		print_cell(excl_category_name(s, excl_rule_category(s, i)), wc);
		printf("  %-7s  %-8s  ", excl_kind_name(excl_rule_kind(s, i)),
		    rule_state_word(s, i, now));
		if (excl_rule_until(s, i) != 0) {
			excl_date_format(excl_rule_until(s, i), date);
			printf("%-10s  ", date);
		} else
			printf("%-10s  ", "-");
		print_cell(excl_rule_text(s, i), wv);
		fputs("  ", stdout);
		print_cell(excl_rule_note(s, i), 0);
		putchar('\n');
	}
	if (shown == 0)
		puts("no rules");
}

/* ------------------------------------------------------------ helpers */

static int
load_set(const char *path, struct excl_set **s)
{
	char *cause = NULL;

	if (excl_load(path, s, &cause) != 0) {
		msg_cause(cause);
		msg("fix the lines above in a text editor; see "
		    "logonhunt-exclusions(5)");
		free(cause);
		return -1;
	}
	return 0;
}

static int
save_set(struct excl_set *s)
{
	char *cause = NULL;

	if (excl_save(s, &cause) != 0) {
		msg_cause(cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* A rule number as shown by list (1-based): the index, -1 if arg is not
 * a number, -2 if no rule has that number. */
static long
parse_id(const struct excl_set *s, const char *arg)
{
	char *end;
	unsigned long v;

	if (arg[0] < '0' || arg[0] > '9')
		return -1;
	v = strtoul(arg, &end, 10);
	if (*end != '\0')
		return -1;
	if (v == 0 || v > excl_rule_count(s))
		return -2;
	return (long)v - 1;
}

/* A rule named on the command line: by the number list shows, which
 * moves when rules before it come or go, or by its value as the file
 * writes it (ip:203.0.113.9, account:CONTOSO\svc_backup, device:web-01),
 * which does not. Returns its index; -1 when arg names a category and
 * cats is set (the caller takes it as one); -2 after a message. */
static long
rule_ref(const struct excl_set *s, const char *arg, int cats)
{
	enum excl_kind kind;
	char *text = NULL, *cause = NULL;
	struct buf also = { 0 };
	long id = parse_id(s, arg), next;

	if (id >= 0)
		return id;
	if (id == -2) {
		msg("there is no rule %s (the file has %zu; see list); nothing "
		    "was changed", arg, excl_rule_count(s));
		return -2;
	}
	if (cats && excl_category_find(s, arg) >= 0)
		return -1;
	if (excl_rule_parse_spec(arg, &kind, &text, &cause) != 0) {
		msg("'%s' is neither a rule number%s nor a rule value such as "
		    "ip:203.0.113.9 (%s); nothing was changed", arg,
		    cats ? ", a category" : "", cause);
		free(cause);
		return -2;
	}
	id = excl_rule_find(s, kind, text, 0);
	if (id < 0)
		msg("no rule has the value %s:%s (see list); nothing was changed",
		    excl_kind_name(kind), text);
	else if ((next = excl_rule_find(s, kind, text, (size_t)id + 1)) >= 0) {
		for (; next >= 0; next = excl_rule_find(s, kind, text,
		    (size_t)next + 1))
			buf_addf(&also, ", rule %ld in [%s]", next + 1,
			    excl_category_name(s, excl_rule_category(s,
			    (size_t)next)));
		msg("%s:%s is rule %ld in [%s]%s: give the number of the one "
		    "you mean; nothing was changed", excl_kind_name(kind), text,
		    id + 1, excl_category_name(s, excl_rule_category(s,
		    (size_t)id)), also.p);
		buf_free(&also);
		id = -2;
	}
	free(text);
	return id < 0 ? -2 : id;
}

/* "rule 8 [maintenance] ip:203.0.113.9": what a command echoes, so a rule
 * changed by a number that has moved is seen at once. */
static char *
rule_desc(const struct excl_set *s, size_t i)
{
	return xasprintf("rule %zu [%s] %s:%s", i + 1,
	    excl_category_name(s, excl_rule_category(s, i)),
	    excl_kind_name(excl_rule_kind(s, i)), excl_rule_text(s, i));
}

static long
category_or_create(struct excl_set *s, const char *name, int create)
{
	char *cause = NULL;
	long c = excl_category_find(s, name);
	struct buf names = { 0 };
	size_t i;

	if (c >= 0)
		return c;
	if (create) {
		c = excl_category_add(s, name, NULL, &cause);
		if (c < 0) {
			msg_cause(cause);
			free(cause);
		}
		return c;
	}
	for (i = 0; i < excl_category_count(s); i++)
		buf_addf(&names, "%s%s", i ? ", " : "", excl_category_name(s, i));
	msg("there is no category '%s' (existing: %s); add --create to make a "
	    "new custom category", name, names.p);
	buf_free(&names);
	return -1;
}

/* ------------------------------------------------------------ verbs */

static int
cmd_list(struct cli *c, const struct excl_set *s, time_t now, int rules)
{
	long only = -1;

	if (c->nargs > (rules ? 1u : 0u))
		return usage_error(&verbs[rules ? 0 : 1], "too many arguments");
	if (c->nargs == 1) {
		only = excl_category_find(s, c->args[0]);
		if (only < 0) {
			msg("there is no category '%s'", c->args[0]);
			return EXIT_INPUT;
		}
	}
	if (rules)
		puts("Categories:");
	print_categories(s, only, now);
	if (rules) {
		printf("\nRules (%s):\n", excl_path(s));
		print_rules(s, only, now);
	}
	return 0;
}

static int
cmd_add(struct cli *c, struct excl_set *s)
{
	enum excl_kind kind;
	char *text = NULL, *cause = NULL;
	time_t until = 0;
	long cat, idx;
	struct excl_lint *lint;
	size_t nlint, i;

	if (c->nargs != 2)
		return usage_error(&verbs[2], "add needs a CATEGORY and a RULE");
	if (c->until != NULL && excl_date_parse(c->until, &until, &cause) != 0) {
		msg_cause(cause);
		free(cause);
		return EXIT_USAGE;
	}
	if (excl_rule_parse_spec(c->args[1], &kind, &text, &cause) != 0) {
		msg_cause(cause);
		free(cause);
		return EXIT_INPUT;
	}
	cat = category_or_create(s, c->args[0], c->create);
	if (cat < 0) {
		free(text);
		return EXIT_INPUT;
	}
	/* Judged among the rules as they were: the new one is not its own
	 * shadow. Said after the save, which may still refuse. */
	nlint = excl_lint_candidate(s, kind, text, until, time(NULL), &lint);
	idx = excl_rule_add(s, (size_t)cat, kind, text, c->note, until, &cause);
	free(text);
	if (idx < 0) {
		msg_cause(cause);
		free(cause);
		excl_lint_free(lint, nlint);
		return EXIT_INPUT;
	}
	if (save_set(s) != 0) {
		excl_lint_free(lint, nlint);
		return EXIT_INPUT;
	}
	msg("added rule %ld to [%s]: %s %s", idx + 1,
	    excl_category_name(s, (size_t)cat), excl_kind_name(kind),
	    excl_rule_text(s, (size_t)idx));
	for (i = 0; i < nlint; i++)
		msg("warning: rule %ld %s: %s", idx + 1,
		    excl_lint_kind_name(lint[i].kind), lint[i].why);
	excl_lint_free(lint, nlint);
	return 0;
}

/* Starts the next item of a list of changes. */
static struct buf *
next_change(struct buf *b)
{
	if (b->len)
		buf_add(b, ", ", 2);
	return b;
}

static int
cmd_edit(struct cli *c, struct excl_set *s)
{
	enum excl_kind kind;
	char *text = NULL, *cause = NULL, *was, *ok, date[11];
	struct buf what = { 0 };
	time_t until = 0;
	long id;
	int rc = EXIT_INPUT;

	if (c->nargs != 1)
		return usage_error(&verbs[3], "edit needs one rule (its number "
		    "or its value)");
	if (c->rule == NULL && c->note == NULL && c->until == NULL)
		return usage_error(&verbs[3], "nothing to change: give --rule, "
		    "--note or --until");
	id = rule_ref(s, c->args[0], 0);
	if (id < 0)
		return EXIT_INPUT;
	if (c->until != NULL && strcmp(c->until, "never") != 0 &&
	    excl_date_parse(c->until, &until, &cause) != 0)
		goto fail;
	was = rule_desc(s, (size_t)id);
	if (c->rule != NULL) {
		if (excl_rule_parse_spec(c->rule, &kind, &text, &cause) != 0)
			goto fail_was;
		if (kind != excl_rule_kind(s, (size_t)id) ||
		    strcmp(text, excl_rule_text(s, (size_t)id)) != 0) {
			if (excl_rule_edit(s, (size_t)id, kind, text, &cause) != 0)
				goto fail_was;
			buf_addf(next_change(&what), "value now %s:%s", excl_kind_name(kind),
			    text);
		}
	}
	if (c->note != NULL) {
		/* Compared once cleaned as the file keeps it. */
		ok = xstrdup(excl_rule_note(s, (size_t)id));
		if (excl_rule_set_note(s, (size_t)id, c->note, &cause) != 0) {
			free(ok);
			goto fail_was;
		}
		if (strcmp(ok, excl_rule_note(s, (size_t)id)) != 0)
			buf_addf(next_change(&what), *excl_rule_note(s, (size_t)id) ?
			    "note now \"%s\"" : "note removed%s",
			    excl_rule_note(s, (size_t)id));
		free(ok);
	}
	if (c->until != NULL && until != excl_rule_until(s, (size_t)id)) {
		if (excl_rule_set_until(s, (size_t)id, until, &cause) != 0)
			goto fail_was;
		excl_date_format(until, date);
		buf_addf(next_change(&what), until ? "until %s" : "no expiry", date);
	}
	/* Nothing different: nothing is written, and the backup keeps the
	 * real previous version. */
	if (what.len == 0) {
		msg("%s is already so; nothing was changed", was);
		rc = 0;
	} else if (save_set(s) == 0) {
		msg("changed %s: %s", was, what.p);
		rc = 0;
	}
	free(was);
	free(text);
	buf_free(&what);
	return rc;
fail_was:
	free(was);
fail:
	msg_cause(cause);
	free(cause);
	free(text);
	buf_free(&what);
	return EXIT_INPUT;
}

static int
id_cmp_desc(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

static int
cmd_remove(struct cli *c, struct excl_set *s)
{
	long *ids, cat, id;
	const char **cats;
	char **descs = NULL;
	size_t i, nids = 0, ncats = 0, nrules = 0;
	char *cause = NULL;
	int rc = EXIT_INPUT;

	if (c->nargs == 0)
		return usage_error(&verbs[4], "remove needs at least one rule "
		    "(number or value) or category");
	ids = xmalloc(c->nargs * sizeof *ids);
	cats = xmalloc(c->nargs * sizeof *cats);
	for (i = 0; i < c->nargs; i++) {
		id = rule_ref(s, c->args[i], 1);
		if (id >= 0)
			ids[nids++] = id;
		else if (id == -1)
			cats[ncats++] = c->args[i];
		else
			goto out;
	}
	/* Highest first, so the numbers of the others do not move. */
	qsort(ids, nids, sizeof *ids, id_cmp_desc);
	descs = xcalloc(nids + 1, sizeof *descs);
	for (i = 0; i < nids; i++) {
		if (i > 0 && ids[i] == ids[i - 1])
			continue;
		descs[nrules] = rule_desc(s, (size_t)ids[i]);
		if (excl_rule_remove(s, (size_t)ids[i], &cause) != 0)
			goto fail;
		nrules++;
	}
	/* Then the categories, emptied by now if their rules were named. */
	for (i = 0; i < ncats; i++) {
		if ((cat = excl_category_find(s, cats[i])) < 0)
			continue;	/* named twice */
		if (excl_category_remove(s, (size_t)cat, &cause) != 0)
			goto fail;
	}
	if (save_set(s) != 0)
		goto out;
	for (i = nrules; i-- > 0;)
		msg("removed %s", descs[i]);
	if (ncats == 0)
		msg("removed %zu rule%s%s", nrules, nrules == 1 ? "" : "s",
		    nrules ? "; the rules after a removed one have moved up "
		    "(see list)" : "");
	else
		msg("removed %zu rule%s and %zu categor%s", nrules,
		    nrules == 1 ? "" : "s", ncats, ncats == 1 ? "y" : "ies");
	rc = 0;
	goto out;
fail:
	msg("%s; nothing was removed", cause);
	free(cause);
out:
	for (i = 0; descs != NULL && i < nrules + 1; i++)
		free(descs[i]);
	free(descs);
	free(ids);
	free(cats);
	return rc;
}

static int
cmd_enable(struct cli *c, struct excl_set *s, int on)
{
	const char *word = on ? "enabled" : "disabled";
	struct buf done = { 0 };
	size_t i, changed = 0;
	long id, cat;
	char *cause = NULL, *d;
	int rc;

	if (c->nargs == 0)
		return usage_error(&verbs[on ? 5 : 6], "%s needs a rule (number "
		    "or value) or a category", on ? "enable" : "disable");
	for (i = 0; i < c->nargs; i++) {
		id = rule_ref(s, c->args[i], 1);
		if (id == -2) {
			buf_free(&done);
			return EXIT_INPUT;
		}
		if (id >= 0) {
			d = rule_desc(s, (size_t)id);
			if (!excl_rule_enabled(s, (size_t)id) == !on) {
				msg("%s is already %s", d, word);
				free(d);
				continue;
			}
			rc = excl_rule_set_enabled(s, (size_t)id, on, &cause);
		} else {
			cat = excl_category_find(s, c->args[i]);
			d = xasprintf("category [%s]", c->args[i]);
			if (!excl_category_enabled(s, (size_t)cat) == !on) {
				msg("%s is already %s", d, on ? "on" : "off");
				free(d);
				continue;
			}
			rc = excl_category_set_enabled(s, (size_t)cat, on, &cause);
		}
		if (rc != 0) {
			msg_cause(cause);
			free(cause);
			free(d);
			buf_free(&done);
			return EXIT_INPUT;
		}
		buf_addf(&done, "%s%s", done.len ? "\n" : "", d);
		free(d);
		changed++;
	}
	/* Nothing switched: nothing is written. */
	if (changed > 0 && save_set(s) != 0) {
		buf_free(&done);
		return EXIT_INPUT;
	}
	for (d = done.p; d != NULL && *d != '\0';) {
		char *nl = strchr(d, '\n');

		if (nl != NULL)
			*nl = '\0';
		msg("%s %s", word, d);
		d = nl != NULL ? nl + 1 : d + strlen(d);
	}
	buf_free(&done);
	return 0;
}

static int
cmd_list_tags(const char *file)
{
	struct excl_tag *tags;
	size_t n, i;
	char *cause = NULL;

	if (excl_servicetags_list(file, &tags, &n, &cause) != 0) {
		msg_cause(cause);
		free(cause);
		return EXIT_INPUT;
	}
	printf("%-60s %6s %6s  %s\n", "TAG", "IPv4", "IPv6", "CHANGE");
	for (i = 0; i < n; i++) {
		print_cell(tags[i].name, 60);
		printf(" %6zu %6zu  %ld\n", tags[i].v4, tags[i].v6,
		    tags[i].change_number);
	}
	excl_tags_free(tags, n);
	return 0;
}

static int
cmd_import(struct cli *c, struct excl_set **sp, const char *path)
{
	struct excl_import_stats st;
	char *cause = NULL;
	long cat;

	if (c->list_tags) {
		if (c->nargs < 1 || c->nargs > 2)
			return usage_error(&verbs[7], "--list-tags needs the FILE");
		return cmd_list_tags(c->args[c->nargs - 1]);
	}
	if (c->nargs != 2)
		return usage_error(&verbs[7], "import needs a CATEGORY and a FILE");
	if (load_set(path, sp) != 0)
		return EXIT_INPUT;
	cat = category_or_create(*sp, c->args[0], c->create);
	if (cat < 0)
		return EXIT_INPUT;
	if (excl_import(*sp, (size_t)cat, c->args[1], c->tags, c->ntags, &st,
	    &cause) != 0) {
		msg_cause(cause);
		free(cause);
		return EXIT_INPUT;
	}
	if (st.added > 0 && save_set(*sp) != 0)
		return EXIT_INPUT;
	msg("imported %zu of %zu addresses into [%s] (%zu already present)",
	    st.added, st.read, excl_category_name(*sp, (size_t)cat),
	    st.duplicates);
	return 0;
}

static void
print_rule_ref(const struct excl_set *s, size_t i)
{
	printf("rule %zu [", i + 1);
	print_cell(excl_category_name(s, excl_rule_category(s, i)), 0);
	printf("] %s ", excl_kind_name(excl_rule_kind(s, i)));
	print_cell(excl_rule_text(s, i), 0);
}

/* FILE-N.csv for part n of FILE ("hunt.csv" gives hunt-1.csv). */
static char *
watchlist_part_name(const char *file, size_t n)
{
	size_t len = strlen(file);

	if (len > 4 && strcmp(file + len - 4, ".csv") == 0)
		len -= 4;
	return xasprintf("%.*s-%zu.csv", (int)len, file, n);
}

static int
cmd_watchlist(const struct verb *v, struct cli *c, const struct excl_set *s,
    time_t now)
{
	struct buf *parts;
	size_t nparts, nrules, i;
	char *cause = NULL, *name;
	int rc = 0;

	if (c->nargs > 1)
		return usage_error(v, "too many arguments");
	if (excl_watchlist_csv(s, now, EXCL_WATCHLIST_MAX_BYTES, &parts,
	    &nparts, &nrules, &cause) != 0) {
		msg_cause(cause);
		free(cause);
		return EXIT_INPUT;
	}
	if (c->nargs == 0 && nparts > 1) {
		msg("%zu rules make %zu watchlist files of at most 3.8 MB "
		    "(Sentinel's limit for a local upload): give a FILE name to "
		    "write them", nrules, nparts);
		rc = EXIT_INPUT;
	} else if (c->nargs == 0 && isatty(STDOUT_FILENO)) {
		/* For a person at a terminal, not a program: each line with
		 * anything the terminal would act on shown as an escape. */
		const char *p = parts[0].p, *e = p + parts[0].len, *nl;
		for (; p < e; p = nl + 2) {
			if ((nl = strstr(p, "\r\n")) == NULL)
				nl = e;	/* every row ends in CR LF; this cannot be */
			util_fput_escaped(stdout, p, (size_t)(nl - p));
			putchar('\n');
		}
	} else if (c->nargs == 0) {
		if (fwrite(parts[0].p, 1, parts[0].len, stdout) != parts[0].len)
			rc = EXIT_INPUT;
	} else {
		for (i = 0; i < nparts && rc == 0; i++) {
			name = nparts == 1 ? xstrdup(c->args[0]) :
			    watchlist_part_name(c->args[0], i + 1);
			if (savefile_output(name, parts[i].p, parts[i].len, 0,
			    &cause) != 0) {
				msg_cause(cause);
				free(cause);
				rc = EXIT_INPUT;
			}
			free(name);
		}
		if (rc == 0 && nparts == 1)
			msg("wrote %zu rule%s to the watchlist file %s", nrules,
			    nrules == 1 ? "" : "s", c->args[0]);
		else if (rc == 0) {
			name = watchlist_part_name(c->args[0], 1);
			msg("wrote %zu rules in %zu files, %s and on, each under "
			    "Sentinel's 3.8 MB limit for a local upload: create "
			    "the watchlist from the first, add the others to it",
			    nrules, nparts, name);
			free(name);
		}
	}
	for (i = 0; i < nparts; i++)
		buf_free(&parts[i]);
	free(parts);
	return rc;
}

static int
cmd_check(struct cli *c, const struct excl_set *s, time_t now)
{
	struct excl_matcher *m;
	struct excl_hit *hits;
	const char *ip = NULL, *acct, *bs;
	char *domain = NULL, *name = NULL;
	size_t n, i;
	long win = -1;

	if (c->nargs < 1 || c->nargs > 2)
		return usage_error(&verbs[8], "check needs an IP (or '-') and "
		    "optionally an account");
	if (strcmp(c->args[0], "-") != 0) {
		struct iptrie_addr a;

		ip = c->args[0];
		if (iptrie_parse(ip, strlen(ip), &a) != 0) {
			msg("'%s' is not an IP address; give an IPv4 or IPv6 "
			    "address, or '-' to check only the account", ip);
			return EXIT_USAGE;
		}
	}
	if (c->nargs == 2) {
		acct = c->args[1];
		bs = strchr(acct, '\\');
		if (bs != NULL) {
			domain = xstrndup(acct, (size_t)(bs - acct));
			name = xstrdup(bs + 1);
		} else
			name = xstrdup(acct);
	}
	m = excl_compile(s, now);
	if (ip != NULL)
		win = excl_match_ip(m, ip, strlen(ip));
	if (win < 0 && name != NULL) {
		if (domain != NULL)
			win = excl_match_account(m, domain, strlen(domain), name,
			    strlen(name));
		else {
			/* No domain given: any domain, as check documents. */
			n = excl_check(s, now, NULL, NULL, name, NULL, &hits);
			for (i = 0; i < n && win < 0; i++)
				if (hits[i].state == EXCL_ACTIVE)
					win = (long)hits[i].rule;
			excl_hits_free(hits, n);
		}
	}
	if (win < 0 && c->device != NULL)
		win = excl_match_device(m, c->device, strlen(c->device));
	excl_matcher_free(m);

	n = excl_check(s, now, ip, domain, name, c->device, &hits);
	for (i = 0; i < n; i++) {
		print_rule_ref(s, hits[i].rule);
		fputs(": ", stdout);
		print_cell(hits[i].reason, 0);
		printf(" (%s)\n", excl_state_name(hits[i].state));
	}
	excl_hits_free(hits, n);
	if (win >= 0) {
		fputs("excluded by ", stdout);
		print_rule_ref(s, (size_t)win);
		putchar('\n');
	} else
		printf("not excluded: %s\n", n ? "no active rule matches" :
		    "no rule matches");
	free(domain);
	free(name);
	c->verdict = 1;
	return win >= 0 ? 0 : 1;
}

static int
cmd_lint(struct cli *c, const struct excl_set *s, time_t now)
{
	struct excl_lint *f;
	size_t n, i;

	if (c->nargs != 0)
		return usage_error(verb_find("lint"), "too many arguments");
	n = excl_lint_all(s, now, &f);
	for (i = 0; i < n; i++) {
		print_rule_ref(s, (size_t)f[i].rule);
		printf(": %s: ", excl_lint_kind_name(f[i].kind));
		print_cell(f[i].why, 0);
		putchar('\n');
	}
	if (n == 0)
		printf("no problems found in %zu rule%s\n", excl_rule_count(s),
		    excl_rule_count(s) == 1 ? "" : "s");
	excl_lint_free(f, n);
	c->verdict = 1;
	return n == 0 ? 0 : 1;
}

/* ------------------------------------------------------------ arguments */

static const struct verb *
verb_find(const char *name)
{
	size_t i;

	for (i = 0; i < NVERBS; i++)
		if (strcmp(verbs[i].name, name) == 0)
			return &verbs[i];
	return NULL;
}

/* Reads "--opt VALUE" or "--opt=VALUE"; *i is advanced past the value. */
static int
opt_value(int argc, char **argv, int *i, const char *opt, const char **out)
{
	const char *a = argv[*i];
	size_t n = strlen(opt);

	if (strncmp(a, opt, n) != 0)
		return 0;
	if (a[n] == '=') {
		*out = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		*out = NULL;
		return -1;
	}
	*out = argv[++*i];
	return 1;
}

static int
parse_args(int argc, char **argv, struct cli *c)
{
	const char *v;
	int i, r, only_args = 0;
	static const struct {
		const char *name;
		unsigned bit;
	} valued[] = {
		{ "--exclusions", 0 }, { "--note", OPT_NOTE },
		{ "--until", OPT_UNTIL }, { "--tag", OPT_TAG },
		{ "--device", OPT_DEVICE }, { "--rule", OPT_RULE },
	};
	size_t k;

	c->args = xcalloc((size_t)argc + 1, sizeof *c->args);
	c->tags = xcalloc((size_t)argc + 1, sizeof *c->tags);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
			if (c->verb == NULL)
				c->verb = a;
			else
				c->args[c->nargs++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = 1;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			c->help = 1;
			continue;
		}
		if (strcmp(a, "--list-tags") == 0) {
			c->list_tags = 1;
			c->seen |= OPT_LIST_TAGS;
			continue;
		}
		if (strcmp(a, "--create") == 0) {
			c->create = 1;
			c->seen |= OPT_CREATE;
			continue;
		}
		for (k = 0; k < sizeof valued / sizeof valued[0]; k++) {
			r = opt_value(argc, argv, &i, valued[k].name, &v);
			if (r == 0)
				continue;
			if (r < 0)
				return usage_error(NULL, "%s needs a value",
				    valued[k].name);
			c->seen |= valued[k].bit;
			switch (valued[k].bit) {
			case 0: c->path_opt = v; break;
			case OPT_NOTE: c->note = v; break;
			case OPT_UNTIL: c->until = v; break;
			case OPT_DEVICE: c->device = v; break;
			case OPT_RULE: c->rule = v; break;
			case OPT_TAG: c->tags[c->ntags++] = v; break;
			}
			break;
		}
		if (k == sizeof valued / sizeof valued[0])
			return usage_error(NULL, "unknown option '%s'", a);
	}
	return 0;
}

int
excl_cli_main(int argc, char **argv, const char *default_path)
{
	struct cli c;
	const struct verb *v;
	struct excl_set *s = NULL;
	struct savefile_lock *lock = NULL;
	char *path = NULL, *cause = NULL;
	time_t now = time(NULL);
	unsigned bad;
	int rc;

	memset(&c, 0, sizeof c);
	rc = parse_args(argc, argv, &c);
	if (rc != 0)
		goto out;
	if (c.verb == NULL) {
		if (c.help) {
			usage_all(stdout);
			rc = 0;
		} else
			rc = usage_error(NULL, "a command is needed");
		goto out;
	}
	v = verb_find(c.verb);
	if (v == NULL) {
		rc = usage_error(NULL, "unknown command '%s'", c.verb);
		goto out;
	}
	if (c.help) {
		printf("usage: logonhunt exclusions %s\n\n%s\n", v->usage, v->help);
		rc = 0;
		goto out;
	}
	bad = c.seen & ~v->opts;
	if (bad != 0) {
		rc = usage_error(v, "%s does not take %s", v->name,
		    bad & OPT_NOTE ? "--note" : bad & OPT_UNTIL ? "--until" :
		    bad & OPT_TAG ? "--tag" : bad & OPT_LIST_TAGS ? "--list-tags" :
		    bad & OPT_DEVICE ? "--device" : bad & OPT_CREATE ? "--create" :
		    "--rule");
		goto out;
	}

	if (c.path_opt != NULL)
		path = xstrdup(c.path_opt);
	else if (default_path != NULL)
		path = xstrdup(default_path);
	else
		path = excl_default_path();
	if (path == NULL) {
		msg("no exclusions file: set HOME or XDG_CONFIG_HOME, or give "
		    "--exclusions FILE");
		rc = EXIT_INPUT;
		goto out;
	}

	if (strcmp(v->name, "path") == 0) {
		if (c.nargs != 0) {
			rc = usage_error(v, "too many arguments");
			goto out;
		}
		printf("%s\n", path);
		rc = 0;
		goto out;
	}
	/* A named file that is missing is a typing mistake, except for the
	 * commands that create it by adding rules. */
	if (c.path_opt != NULL && strcmp(v->name, "add") != 0 &&
	    !(strcmp(v->name, "import") == 0 && !c.list_tags) &&
	    excl_cli_require_file(path) != 0) {
		rc = EXIT_INPUT;
		goto out;
	}
	/* A command that changes the file holds the lock from before it
	 * reads the file until the new version is in place, so two at once
	 * take turns and every change that is reported is kept. */
	if (v->writes && !c.list_tags && savefile_lock(path, &lock, &cause) != 0) {
		msg_cause(cause);
		free(cause);
		rc = EXIT_INPUT;
		goto out;
	}
	if (strcmp(v->name, "import") == 0) {
		rc = cmd_import(&c, &s, path);
		goto out;
	}
	if (load_set(path, &s) != 0) {
		rc = EXIT_INPUT;
		goto out;
	}
	if (strcmp(v->name, "list") == 0)
		rc = cmd_list(&c, s, now, 1);
	else if (strcmp(v->name, "categories") == 0)
		rc = cmd_list(&c, s, now, 0);
	else if (strcmp(v->name, "add") == 0)
		rc = cmd_add(&c, s);
	else if (strcmp(v->name, "edit") == 0)
		rc = cmd_edit(&c, s);
	else if (strcmp(v->name, "remove") == 0)
		rc = cmd_remove(&c, s);
	else if (strcmp(v->name, "enable") == 0)
		rc = cmd_enable(&c, s, 1);
	else if (strcmp(v->name, "disable") == 0)
		rc = cmd_enable(&c, s, 0);
	else if (strcmp(v->name, "check") == 0)
		rc = cmd_check(&c, s, now);
	else if (strcmp(v->name, "watchlist") == 0)
		rc = cmd_watchlist(v, &c, s, now);
	else if (strcmp(v->name, "lint") == 0)
		rc = cmd_lint(&c, s, now);
	else if (strcmp(v->name, "kql") == 0) {
		if (c.nargs != 0)
			rc = usage_error(v, "too many arguments");
		else {
			excl_kql_write(stdout, s, now);
			rc = 0;
		}
	}
out:
	savefile_unlock(lock);
	if ((ferror(stdout) || fflush(stdout) != 0) && (rc == 0 || c.verdict)) {
		msg("cannot write to standard output: %s", strerror(errno));
		rc = EXIT_INPUT;
		c.verdict = 0;
	}
	/* check and lint answer with 0 and 1 like grep: any failure to
	 * answer is 2, never to be read as "not excluded". */
	if (rc != 0 && !c.verdict && c.verb != NULL &&
	    (strcmp(c.verb, "check") == 0 || strcmp(c.verb, "lint") == 0))
		rc = EXIT_USAGE;
	excl_free(s);
	free(path);
	free(c.args);
	free(c.tags);
	return rc;
}
