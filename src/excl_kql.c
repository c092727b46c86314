/* The hunting query for Sentinel or Defender advanced hunting, with the
 * hunt's window and identity filter and the exclusions, inline or read
 * from a Sentinel watchlist; and that watchlist as CSV. Everything from
 * the user (paths, descriptions, notes, values) goes into comments and
 * string literals through one escaper each, so no character can end a
 * comment or a literal early (Kusto's parser is the judge in the tests). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "excl.h"
#include "excl_rule.h"
#include "excl_value.h"
#include "ts.h"
#include "util.h"

/* The hunting query as Microsoft publishes it, split where the window and
 * the exclusion filters go: right after the RemoteIPType filter, before
 * the joins, so excluded rows never reach them. */
static const char query_head[] =
    "DeviceLogonEvents\n"
    "| where RemoteIPType == \"Public\"\n";
static const char query_tail_a[] =
    "| join kind=leftanti (\n"
    "DeviceNetworkInfo\n"
    "| project NetworkInfo = todynamic(IPAddresses )\n"
    "| mvexpand NetworkInfo\n"
    "| project IpAddress = tostring(parse_json(NetworkInfo).IPAddress)\n"
    "| distinct IpAddress\n"
    ") on $left.RemoteIP == $right.IpAddress // Removes any IP addresses "
    "assigned to a device\n"
    "| join kind=leftanti (\n"
    "IdentityLogonEvents\n";
static const char query_tail_b[] =
    ") on $left.RemoteIP == $right.IPAddress // Remove any IP addresses "
    "identified as internal by Microsoft Cloud App Security\n"
    "| summarize EarliestEvent = min(Timestamp), LatestEvent = "
    "max(Timestamp), Instances = count(), DistinctMachines = "
    "dcount(DeviceId) by AccountDomain, AccountName, LogonType, RemoteIP, "
    "ActionType\n";

/* RemoteIP as the local matcher reads it (iptrie_parse; the normalisation
 * is described in logonhunt-exclusions(5)): text without ':' is IPv4, four
 * numbers 0-255 without leading zeros; text with ':' is IPv6 once a
 * non-empty zone suffix ("%eth0") is cut, and an IPv4-mapped address
 * (::ffff:0:0/96) in any spelling is the IPv4 address it carries. Kusto's
 * own address parsing is never relied on for what is an address: only
 * text that passed these checks reaches ipv4_/ipv6_is_in_any_range.
 * ExclIp4 and ExclIp6 hold the address to match, or "". */
#define RE_V4_OCTET "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
#define RE_V4 "^(?:" RE_V4_OCTET "\\.){3}" RE_V4_OCTET "$"
#define RE_H "[0-9a-f]{1,4}"
#define RE_Z "0{1,4}"
#define RE_QUAD "(?:" RE_V4_OCTET "\\.){3}" RE_V4_OCTET
/* The mapped prefix written in full, ffff included. */
#define RE_MAPPED_FULL "(?:" RE_Z ":){5}ffff"
/* A mapped address with the last two groups as hex or a dotted quad,
 * "::" (if any) among the zero groups. Groups 1 and 2: hex; 3: quad. */
#define RE_MAPPED "^(?:(?:" RE_Z ":){5}|(?:" RE_Z "(?::" RE_Z "){0,3})?::" \
    "(?:" RE_Z ":){0,4})ffff:(?:(" RE_H "):(" RE_H ")|(" RE_QUAD "))$"

/* The three spellings with "::" in the last two groups, rewritten with
 * the zeros written out so that RE_MAPPED reads them. */
static const char *const mapped_tail[3][2] = {
	{ "^(" RE_MAPPED_FULL ")::$", "\\1:0:0" },
	{ "^(" RE_MAPPED_FULL ")::(" RE_H ")$", "\\1:0:\\2" },
	{ "^(" RE_MAPPED_FULL "):(" RE_H ")::$", "\\1:\\2:0" },
};

/* IPv6 text in the usual notation (RFC 4291 2.2, what inet_pton reads):
 * eight groups, or fewer around one "::" standing for at least one zero
 * group, a dotted quad in place of the last two. One alternative per
 * number of groups before the "::". */
static char *
re_ipv6(void)
{
	struct buf b = { 0 };
	int left;

	buf_addf(&b, "^(?:(?:" RE_H ":){6}(?:" RE_H ":" RE_H "|" RE_QUAD ")");
	for (left = 0; left <= 7; left++) {
		int right = 7 - left;	/* groups after "::", at most */
		buf_addc(&b, '|');
		if (left > 0)
			buf_addf(&b, "(?:" RE_H ":){%d}", left - 1);
		buf_addf(&b, "%s::", left > 0 ? RE_H : "");
		if (right == 0)
			continue;
		buf_addf(&b, "(?:(?:" RE_H ":){0,%d}" RE_H, right - 1);
		if (right >= 2)
			buf_addf(&b, "|(?:" RE_H ":){0,%d}" RE_QUAD, right - 2);
		buf_add(&b, ")?", 2);
	}
	buf_add(&b, ")$", 2);
	return b.p;
}

/* A KQL verbatim string, @"...": only '"' needs escaping, as "". The
 * regexes above hold no quote, no line break and nothing outside ASCII. */
static void
kql_verbatim(struct buf *b, const char *s)
{
	buf_add(b, "@\"", 2);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

/* A KQL string literal: backslash escapes inside double quotes. Only
 * printable ASCII stands for itself; everything else is written as
 * \uXXXX (UTF-16, as Kusto decodes it), so no control, line or paragraph
 * separator or direction mark is ever raw in the query. Bytes that are not
 * UTF-8 (which no rule value holds) become U+FFFD. */
static void
kql_string(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	uint32_t cp;

	buf_addc(b, '"');
	while (i < n) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			if (p[i] == '"' || p[i] == '\\')
				buf_addc(b, '\\');
			buf_addc(b, (char)p[i++]);
			continue;
		}
		len = utf8_seq(p + i, n - i, &cp);
		if (len == 0) {
			cp = 0xfffd;
			len = 1;
		}
		i += len;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			buf_addf(b, "\\u%04x\\u%04x", 0xd800 + (unsigned)(cp >> 10),
			    0xdc00 + (unsigned)(cp & 0x3ff));
		} else
			buf_addf(b, "\\u%04x", (unsigned)cp);
	}
	buf_addc(b, '"');
}

/* Text for a "//" comment, which Kusto ends at CR, LF, U+2028 or U+2029:
 * those, the other controls (C0, DEL, C1), direction marks and overrides
 * and bytes that are not UTF-8 are written as visible escapes (\x0d,
 * \u2028) instead, so the comment stays one line and reads as it is. */
static void
kql_comment_text(struct buf *b, const char *s)
{
	buf_add_escaped(b, s, strlen(s));
}

/* A '*' glob as an anchored, case-insensitive RE2 regex. */
static char *
glob_regex(const char *g, size_t n)
{
	struct buf b = { 0 };
	size_t i;

	buf_add(&b, "(?i)^", 5);
	for (i = 0; i < n; i++) {
		if (g[i] == '*')
			buf_add(&b, ".*", 2);
		else {
			if (strchr("\\.+?()|[]{}^$", g[i]) != NULL)
				buf_addc(&b, '\\');
			buf_addc(&b, g[i]);
		}
	}
	buf_addc(&b, '$');
	return b.p;
}

/* column =~ "value", or a regex match when the pattern has a '*'. */
static void
kql_glob_test(struct buf *b, const char *column, const char *g, size_t n)
{
	char *re;

	if (memchr(g, '*', n) == NULL) {
		buf_addf(b, "%s =~ ", column);
		kql_string(b, g, n);
		return;
	}
	re = glob_regex(g, n);
	buf_addf(b, "%s matches regex ", column);
	kql_string(b, re, strlen(re));
	free(re);
}

static void
kql_datetime(struct buf *b, int64_t ticks)
{
	char t[TS_BUFSZ];

	ts_format(ticks, t);
	buf_addf(b, "datetime(%s)", t);
}

/* A timespan literal: the largest whole unit, else ticks. */
static void
kql_timespan(struct buf *b, int64_t ticks)
{
	static const struct { int64_t secs; char unit; } units[] = {
		{ 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' },
	};
	size_t i;

	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (ticks % (units[i].secs * TS_TICKS_PER_SEC) == 0) {
			buf_addf(b, "%lld%c", (long long)(ticks /
			    (units[i].secs * TS_TICKS_PER_SEC)), units[i].unit);
			return;
		}
	buf_addf(b, "%lldtick", (long long)ticks);
}

/* The expiry guard of a rule whose last day is until: it applies while
 * now() is before the end of that day (UTC). */
static void
kql_until_guard(struct buf *b, time_t until)
{
	buf_add(b, "now() < ", 8);
	kql_datetime(b, (int64_t)(until + 86400) * TS_TICKS_PER_SEC +
	    TS_UNIX_EPOCH);
}

/* "  // note" after a rule, or nothing. */
static void
kql_rule_comment(struct buf *b, const struct excl_rule *r)
{
	char date[11];

	if (r->until == 0 && r->note[0] == '\0')
		return;
	buf_add(b, " //", 3);
	if (r->until != 0) {
		excl_date_format(r->until, date);
		buf_addf(b, " until %s", date);
		if (r->note[0] != '\0')
			buf_addc(b, ':');
	}
	if (r->note[0] != '\0') {
		buf_addc(b, ' ');
		kql_comment_text(b, r->note);
	}
}

static int
rule_in(const struct excl_set *s, size_t i, size_t cat, time_t now,
    time_t until)
{
	const struct excl_rule *r = excl_rule_at(s, i);

	return r->cat == cat && r->until == until &&
	    excl_rule_state(s, i, now) == EXCL_ACTIVE;
}

/* One filter for the ip rules of one family, category and expiry. Rows
 * whose RemoteIP is not an address of that family have "" there. */
static void
kql_ip_list(struct buf *b, const struct excl_set *s, size_t cat, time_t now,
    time_t until, int family)
{
	const char *col = family == IPTRIE_V4 ? "ExclIp4" : "ExclIp6";
	size_t i, n = 0, last = 0;
	char *net;

	for (i = 0; i < excl_rule_count(s); i++) {
		const struct excl_rule *r = excl_rule_at(s, i);
		if (r->kind == EXCL_IP && r->addr.family == family &&
		    rule_in(s, i, cat, now, until))
			last = i, n++;
	}
	if (n == 0)
		return;
	buf_add(b, "| where not(", 12);
	if (until != 0) {
		kql_until_guard(b, until);
		buf_add(b, " and ", 5);
	}
	buf_addf(b, "isnotempty(%s) and coalesce(%s_is_in_any_range(%s, "
	    "dynamic([", col, family == IPTRIE_V4 ? "ipv4" : "ipv6", col);
	for (i = 0; i < excl_rule_count(s); i++) {
		const struct excl_rule *r = excl_rule_at(s, i);
		if (r->kind != EXCL_IP || r->addr.family != family ||
		    !rule_in(s, i, cat, now, until))
			continue;
		buf_add(b, "\n    ", 5);
		net = excl_net_format(&r->addr, r->pflen, 1);
		kql_string(b, net, strlen(net));
		free(net);
		if (i != last)
			buf_addc(b, ',');
		kql_rule_comment(b, r);
	}
	buf_add(b, "\n    ])), false))\n", 18);
}

static void
kql_name_list(struct buf *b, const struct excl_set *s, size_t cat, time_t now,
    time_t until, enum excl_kind kind)
{
	size_t i, n = 0;
	const char *bs;

	for (i = 0; i < excl_rule_count(s); i++) {
		const struct excl_rule *r = excl_rule_at(s, i);
		if (r->kind != kind || !rule_in(s, i, cat, now, until))
			continue;
		buf_add(b, n == 0 ? "| where not(" : "\n    or ",
		    n == 0 ? 12 : 8);
		if (n == 0 && until != 0) {
			kql_until_guard(b, until);
			buf_add(b, " and (", 6);
		}
		if (n == 0)
			buf_add(b, "\n    ", 5);
		if (kind == EXCL_DEVICE)
			kql_glob_test(b, "DeviceName", r->text, strlen(r->text));
		else if ((bs = strchr(r->text, '\\')) == NULL)
			kql_glob_test(b, "AccountName", r->text, strlen(r->text));
		else {
			buf_addc(b, '(');
			kql_glob_test(b, "AccountDomain", r->text,
			    (size_t)(bs - r->text));
			buf_add(b, " and ", 5);
			kql_glob_test(b, "AccountName", bs + 1, strlen(bs + 1));
			buf_addc(b, ')');
		}
		kql_rule_comment(b, excl_rule_at(s, i));
		n++;
	}
	if (n > 0)
		buf_add(b, until != 0 ? "\n  ))\n" : "\n  )\n",
		    until != 0 ? 6 : 5);
}

/* The hex-to-dotted-quad helpers ExclIp4 needs for mapped addresses
 * written in hex (::ffff:102:304 is 1.2.3.4). */
static const char hex_functions[] =
    "let ExclHexByte = (h:string, i:int) { 16 * indexof(\"0123456789abcdef\", "
    "substring(h, i, 1)) + indexof(\"0123456789abcdef\", substring(h, i + 1, "
    "1)) };\n"
    "let ExclHexQuad = (x:string, y:string) {\n"
    "    let a = strcat(substring(\"000\", 0, 4 - strlen(x)), x);\n"
    "    let b = strcat(substring(\"000\", 0, 4 - strlen(y)), y);\n"
    "    strcat(ExclHexByte(a, 0), \".\", ExclHexByte(a, 2), \".\", "
    "ExclHexByte(b, 0), \".\", ExclHexByte(b, 2))\n"
    "};\n";

/* The regexes and helpers the normalisation uses, as lets before the
 * query (a let-bound literal is the constant matches regex and extract
 * want). */
static void
kql_ip_lets(struct buf *b)
{
	char *re6 = re_ipv6();
	size_t i;

	buf_add(b, hex_functions, strlen(hex_functions));
	buf_addf(b, "let ExclV4Re = ");
	kql_verbatim(b, RE_V4);
	buf_addf(b, ";\nlet ExclV6Re = ");
	kql_verbatim(b, re6);
	buf_addf(b, ";\nlet ExclMappedRe = ");
	kql_verbatim(b, RE_MAPPED);
	buf_addf(b, ";\n");
	for (i = 0; i < 3; i++) {
		buf_addf(b, "let ExclTail%zuRe = ", i + 1);
		kql_verbatim(b, mapped_tail[i][0]);
		buf_addf(b, ";\n");
	}
	free(re6);
}

static void
kql_ip_normalize(struct buf *b)
{
	size_t i;

	buf_addf(b, "// RemoteIP as logonhunt reads it (logonhunt-exclusions(5), "
	    "HOW REMOTEIP IS READ)\n"
	    "| extend ExclText = tolower(RemoteIP)\n"
	    "| extend ExclV6 = iff(ExclText contains \":\", replace_regex("
	    "ExclText, ");
	kql_verbatim(b, "(?s)^([^%]*)%.+$");
	buf_add(b, ", ", 2);
	kql_verbatim(b, "\\1");
	buf_addf(b, "), \"\")\n"
	    "| extend ExclV6 = iff(ExclV6 matches regex ExclV6Re, ExclV6, \"\")\n"
	    "| extend ExclMapped = replace_regex(replace_regex(replace_regex("
	    "ExclV6");
	for (i = 0; i < 3; i++) {
		buf_addf(b, ", ExclTail%zuRe, ", i + 1);
		kql_verbatim(b, mapped_tail[i][1]);
		buf_addc(b, ')');
	}
	buf_addf(b, "\n"
	    "| extend ExclIp4 = case(\n"
	    "    ExclText !contains \":\", iff(ExclText matches regex ExclV4Re, "
	    "ExclText, \"\"),\n"
	    "    not(ExclMapped matches regex ExclMappedRe), \"\",\n"
	    "    isnotempty(extract(ExclMappedRe, 3, ExclMapped)), "
	    "extract(ExclMappedRe, 3, ExclMapped),\n"
	    "    ExclHexQuad(extract(ExclMappedRe, 1, ExclMapped), "
	    "extract(ExclMappedRe, 2, ExclMapped)))\n"
	    "| extend ExclIp6 = iff(isempty(ExclIp4), ExclV6, \"\")\n");
}

/* The window clauses, placed before anything else filters the logons. */
static void
kql_window(struct buf *b, const struct excl_kql_opts *o)
{
	if (o->since > 0) {
		buf_add(b, "| where Timestamp >= ", 21);
		buf_add(b, o->since_data ? "HuntNewest - " : "ago(",
		    o->since_data ? 13 : 4);
		kql_timespan(b, o->since);
		buf_addf(b, "%s", o->since_data ? " // --since, counted from "
		    "the newest Public logon (--relative-to-data)\n" :
		    ") // --since\n");
	}
	if (o->from != TS_NONE) {
		buf_add(b, "| where Timestamp >= ", 21);
		kql_datetime(b, o->from);
		buf_addf(b, " // --from\n");
	}
	if (o->until != TS_NONE) {
		buf_add(b, "| where Timestamp <= ", 21);
		kql_datetime(b, o->until);
		buf_addf(b, " // --until\n");
	}
}

static void
kql_tail(struct buf *b, const struct excl_kql_opts *o)
{
	buf_addf(b, "%s", query_tail_a);
	buf_addf(b, "| where ISP %s \"INTERNAL_NETWORK\"%s\n",
	    o->identity_internal ? "==" : "!=", o->identity_internal ?
	    " // --identity-filter internal: as the comment below means" : "");
	buf_addf(b, "%s", query_tail_b);
}

static void
kql_header(struct buf *b, const struct excl_kql_opts *o)
{
	char t[TS_BUFSZ];

	buf_addf(b, "// Device Logons from Unknown IPs\n");
	buf_addf(b, "// Window: ");
	if (o->since <= 0 && o->from == TS_NONE && o->until == TS_NONE)
		buf_addf(b, "all logons");
	if (o->since > 0) {
		buf_addf(b, "the last ");
		kql_timespan(b, o->since);
		buf_addf(b, " before %s", o->since_data ? "the newest Public "
		    "logon" : "the query runs");
	}
	if (o->from != TS_NONE) {
		ts_format(o->from, t);
		buf_addf(b, "%sfrom %s", o->since > 0 ? ", " : "", t);
	}
	if (o->until != TS_NONE) {
		ts_format(o->until, t);
		buf_addf(b, "%suntil %s", o->since > 0 || o->from != TS_NONE ?
		    ", " : "", t);
	}
	buf_addf(b, "; identity filter: %s\n", o->identity_internal ?
	    "internal" : "as-written");
	if (o->since > 0 && o->since_data)
		buf_addf(b, "let HuntNewest = toscalar(DeviceLogonEvents | where "
		    "RemoteIPType == \"Public\" | summarize max(Timestamp));\n");
}

/* asn and owner rules stay out of the query: Kusto knows no AS number
 * (geo_info_from_ip_address gives places only) and none of the range
 * files an owner comes from. A comment names each, so the query's reader
 * knows the local hunt removes more. */
static void
kql_info_comments(struct buf *b, const struct excl_set *s, size_t cat,
    time_t now)
{
	size_t i;

	for (i = 0; i < excl_rule_count(s); i++) {
		const struct excl_rule *r = excl_rule_at(s, i);

		if (r->cat != cat || (r->kind != EXCL_ASN && r->kind != EXCL_OWNER) ||
		    excl_rule_state(s, i, now) != EXCL_ACTIVE)
			continue;
		buf_addf(b, "// not expressed: %s ", excl_kind_name(r->kind));
		kql_comment_text(b, r->text);
		buf_addf(b, " (Kusto has no %s lookup)\n", r->kind == EXCL_ASN ?
		    "AS number" : "network owner");
	}
}

void
excl_kql_opts_init(struct excl_kql_opts *o)
{
	memset(o, 0, sizeof *o);
	o->from = o->until = TS_NONE;
}

static int
cmp_time(const void *a, const void *b)
{
	time_t x = *(const time_t *)a, y = *(const time_t *)b;

	return x < y ? -1 : x > y;
}

static void
kql_inline(struct buf *b, const struct excl_set *s, time_t now,
    const struct excl_kql_opts *o)
{
	size_t ncats = excl_category_count(s), c, i, k, active = 0, ipactive = 0;
	size_t *count, *inactive, nu;
	time_t *untils;
	char date[11];

	count = xcalloc(ncats, sizeof *count);
	inactive = xcalloc(ncats, sizeof *inactive);
	untils = xcalloc(excl_rule_count(s) + 1, sizeof *untils);
	for (i = 0; i < excl_rule_count(s); i++) {
		size_t cat = excl_rule_category(s, i);
		count[cat]++;
		if (excl_rule_state(s, i, now) != EXCL_ACTIVE)
			inactive[cat]++;
		else {
			active++;
			if (excl_rule_kind(s, i) == EXCL_IP)
				ipactive++;
		}
	}
	excl_date_format(now, date);
	kql_header(b, o);
	buf_add(b, "// Exclusions from ", 19);
	kql_comment_text(b, excl_path(s));
	buf_addf(b, " as of %s UTC: %zu active rule%s; an expiry is tested "
	    "when the query runs\n", date, active, active == 1 ? "" : "s");
	if (ipactive > 0)
		kql_ip_lets(b);
	buf_add(b, query_head, strlen(query_head));
	kql_window(b, o);
	if (ipactive > 0)
		kql_ip_normalize(b);
	for (c = 0; c < ncats; c++) {
		if (count[c] == 0)
			continue;
		buf_addf(b, "// [");
		kql_comment_text(b, excl_category_name(s, c));
		buf_addc(b, ']');
		if (excl_category_description(s, c)[0] != '\0') {
			buf_addc(b, ' ');
			kql_comment_text(b, excl_category_description(s, c));
		}
		if (!excl_category_enabled(s, c))
			buf_addf(b, " -- switched off, %zu rule%s left out\n",
			    count[c], count[c] == 1 ? "" : "s");
		else if (inactive[c] > 0)
			buf_addf(b, " -- %zu disabled or expired rule%s left out\n",
			    inactive[c], inactive[c] == 1 ? "" : "s");
		else
			buf_addc(b, '\n');
		if (!excl_category_enabled(s, c) || inactive[c] == count[c])
			continue;
		/* The distinct expiry dates of the category's rules, no
		 * expiry (0) first: one filter per kind and date. */
		nu = 0;
		for (i = 0; i < excl_rule_count(s); i++)
			if (excl_rule_category(s, i) == c &&
			    excl_rule_state(s, i, now) == EXCL_ACTIVE)
				untils[nu++] = excl_rule_until(s, i);
		qsort(untils, nu, sizeof *untils, cmp_time);
		for (k = 0; k < nu; k++) {
			if (k > 0 && untils[k] == untils[k - 1])
				continue;
			kql_ip_list(b, s, c, now, untils[k], IPTRIE_V4);
			kql_ip_list(b, s, c, now, untils[k], IPTRIE_V6);
			kql_name_list(b, s, c, now, untils[k], EXCL_ACCOUNT);
			kql_name_list(b, s, c, now, untils[k], EXCL_DEVICE);
		}
		kql_info_comments(b, s, c, now);
	}
	if (ipactive > 0)
		buf_addf(b, "| project-away ExclText, ExclV6, ExclMapped, "
		    "ExclIp4, ExclIp6\n");
	kql_tail(b, o);
	free(untils);
	free(count);
	free(inactive);
}

/* Most '*' a watchlist pattern may hold: the query's glob test is
 * unrolled (no loops in KQL), one step per '*' past the first. */
#define WATCHLIST_MAX_STARS 8

/* A '*' glob tested in KQL without a regex (matches regex wants a
 * constant, and a watchlist's patterns are not): the pieces between the
 * stars must appear in order, the first at the start, the last at the end.
 * s and p are already lower case. */
static void
kql_glob_function(struct buf *b)
{
	int k;

	buf_addf(b, "let ExclGlobStep = (s:string, q:dynamic, k:int, e:long) "
	    "{\n    let part = tostring(q[k]);\n"
	    "    iff(e < 0 or k >= array_length(q) - 1 or strlen(part) == 0, e,\n"
	    "        iff(indexof(s, part, e) < 0, -1, indexof(s, part, e) + "
	    "strlen(part)))\n};\n");
	buf_addf(b, "let ExclGlob = (s:string, p:string) {\n"
	    "    let q = split(p, \"*\");\n"
	    "    let n = array_length(q);\n"
	    "    let p0 = tostring(q[0]);\n"
	    "    let pn = tostring(q[n - 1]);\n"
	    "    let e0 = iff(s startswith_cs p0, strlen(p0), -1);\n");
	for (k = 1; k < WATCHLIST_MAX_STARS; k++)
		buf_addf(b, "    let e%d = ExclGlobStep(s, q, %d, e%d);\n", k, k,
		    k - 1);
	buf_addf(b, "    iff(n == 1, s == p, e%d >= 0 and s endswith_cs pn and "
	    "e%d <= strlen(s) - strlen(pn))\n};\n", WATCHLIST_MAX_STARS - 1,
	    WATCHLIST_MAX_STARS - 1);
}

static void
kql_watchlist(struct buf *b, const struct excl_kql_opts *o)
{
	kql_header(b, o);
	buf_addf(b, "// Exclusions from the Sentinel watchlist ");
	kql_comment_text(b, o->watchlist);
	buf_addf(b, " (written by logonhunt exclusions watchlist): Kind, Value, "
	    "Category, Note, Expiry; an expiry is tested when the query runs\n");
	kql_ip_lets(b);
	kql_glob_function(b);
	/* A cell that starts with ' had one added so that spreadsheets do not
	 * take it for a formula: take it off. */
	buf_addf(b, "let ExclCell = (v:string) { iff(v startswith \"'\", "
	    "substring(v, 1), v) };\n");
	buf_addf(b, "let ExclRules = _GetWatchlist(");
	kql_string(b, o->watchlist, strlen(o->watchlist));
	buf_addf(b, ")\n"
	    "    | project ExclKind = ExclCell(tostring(Kind)), ExclValue = "
	    "ExclCell(tostring(Value)), ExclExpiry = ExclCell(tostring(Expiry))\n"
	    "    | where isempty(ExclExpiry) or now() < todatetime(ExclExpiry) + "
	    "1d;\n"
	    "let ExclV4Ranges = toscalar(ExclRules | where ExclKind == \"ip\" "
	    "and ExclValue !contains \":\" | summarize make_list(ExclValue));\n"
	    "let ExclV6Ranges = toscalar(ExclRules | where ExclKind == \"ip\" "
	    "and ExclValue contains \":\" | summarize make_list(ExclValue));\n"
	    "// Account rules as [domain pattern, name pattern, 1] (\"*\" for "
	    "any domain), device rules as [pattern, \"\", 1], lower case; the "
	    "[\"\", \"\", 0] at the end keeps mv-apply from dropping rows when "
	    "there are none.\n"
	    "let ExclAccounts = array_concat(toscalar(ExclRules | where ExclKind "
	    "== \"account\"\n"
	    "    | extend ExclBs = indexof(ExclValue, \"\\\\\")\n"
	    "    | summarize make_list(pack_array(iff(ExclBs < 0, \"*\", "
	    "tolower(substring(ExclValue, 0, ExclBs))), tolower(substring("
	    "ExclValue, ExclBs + 1)), 1))), dynamic([[\"\", \"\", 0]]));\n"
	    "let ExclDevices = array_concat(toscalar(ExclRules | where ExclKind "
	    "== \"device\"\n"
	    "    | summarize make_list(pack_array(tolower(ExclValue), \"\", 1))), "
	    "dynamic([[\"\", \"\", 0]]));\n");
	buf_add(b, query_head, strlen(query_head));
	kql_window(b, o);
	kql_ip_normalize(b);
	buf_addf(b, "| where not(isnotempty(ExclIp4) and coalesce("
	    "ipv4_is_in_any_range(ExclIp4, ExclV4Ranges), false))\n"
	    "| where not(isnotempty(ExclIp6) and coalesce("
	    "ipv6_is_in_any_range(ExclIp6, ExclV6Ranges), false))\n"
	    "| extend ExclDomain = tolower(AccountDomain), ExclName = "
	    "tolower(AccountName), ExclDevice = tolower(DeviceName)\n"
	    "| mv-apply ExclRule = ExclAccounts to typeof(dynamic) on (\n"
	    "    summarize ExclAccountHits = countif(toint(ExclRule[2]) == 1 "
	    "and ExclGlob(ExclDomain, tostring(ExclRule[0])) and "
	    "ExclGlob(ExclName, tostring(ExclRule[1])))\n    )\n"
	    "| where ExclAccountHits == 0\n"
	    "| mv-apply ExclRule = ExclDevices to typeof(dynamic) on (\n"
	    "    summarize ExclDeviceHits = countif(toint(ExclRule[2]) == 1 "
	    "and ExclGlob(ExclDevice, tostring(ExclRule[0])))\n    )\n"
	    "| where ExclDeviceHits == 0\n"
	    "| project-away ExclText, ExclV6, ExclMapped, ExclIp4, ExclIp6, "
	    "ExclDomain, ExclName, ExclDevice, ExclAccountHits, ExclDeviceHits\n");
	kql_tail(b, o);
}

void
excl_kql_query(struct buf *b, const struct excl_set *s, time_t now,
    const struct excl_kql_opts *o)
{
	if (o->watchlist != NULL)
		kql_watchlist(b, o);
	else
		kql_inline(b, s, now, o);
}

void
excl_kql_buf(struct buf *b, const struct excl_set *s, time_t now)
{
	struct excl_kql_opts o;

	excl_kql_opts_init(&o);
	excl_kql_query(b, s, now, &o);
}

void
excl_kql_write(FILE *out, const struct excl_set *s, time_t now)
{
	struct buf b = { 0 };

	excl_kql_buf(&b, s, now);
	if (b.len)
		fwrite(b.p, 1, b.len, out);
	buf_free(&b);
}

/* ------------------------------------------------------------ watchlist */

static const char watchlist_header[] = "Kind,Value,Category,Note,Expiry\r\n";

/* One CSV field: a leading ' added where a spreadsheet would read a
 * formula (= + - @ tab CR) or where the text already starts with ' (so
 * that taking one off is always right), then quoted if it holds a comma,
 * quote, CR or LF, quotes doubled. */
static void
csv_field(struct buf *b, const char *s)
{
	int neutral = strchr("=+-@\t\r'", s[0]) != NULL && s[0] != '\0';
	int quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		buf_addc(b, '"');
	if (neutral)
		buf_addc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	if (quote)
		buf_addc(b, '"');
}

/* The '*' in a pattern: each, even in a run, is a step of the query's
 * test (split() gives an empty piece between two). */
static size_t
glob_stars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '*';
	return n;
}

int
excl_watchlist_csv(const struct excl_set *s, time_t now, size_t max,
    struct buf **parts, size_t *nparts, size_t *nrules, char **cause)
{
	struct buf row = { 0 };
	struct buf *p = NULL;
	size_t cap = 0, n = 0, i, hl = strlen(watchlist_header);
	char date[11];

	*nrules = 0;
	for (i = 0; i < excl_rule_count(s); i++) {
		const struct excl_rule *r = excl_rule_at(s, i);
		if (excl_rule_state(s, i, now) != EXCL_ACTIVE)
			continue;
		/* The watchlist query could not test them (no AS number or
		 * owner in Kusto), as --kql cannot. */
		if (r->kind == EXCL_ASN || r->kind == EXCL_OWNER)
			continue;
		if (r->kind != EXCL_IP && glob_stars(r->text) >
		    WATCHLIST_MAX_STARS) {
			*cause = xasprintf("rule %zu (%s) has more than %d '*' "
			    "wildcards, which the watchlist query cannot test; "
			    "use --kql without --watchlist for it", i + 1,
			    r->text, WATCHLIST_MAX_STARS);
			goto fail;
		}
		buf_reset(&row);
		csv_field(&row, excl_kind_name(r->kind));
		buf_addc(&row, ',');
		if (r->kind == EXCL_IP) {
			char *net = excl_net_format(&r->addr, r->pflen, 1);
			csv_field(&row, net);
			free(net);
		} else
			csv_field(&row, r->text);
		buf_addc(&row, ',');
		csv_field(&row, excl_category_name(s, r->cat));
		buf_addc(&row, ',');
		csv_field(&row, r->note);
		buf_addc(&row, ',');
		if (r->until != 0) {
			excl_date_format(r->until, date);
			csv_field(&row, date);
		}
		buf_add(&row, "\r\n", 2);
		if (hl + row.len > max) {
			*cause = xasprintf("rule %zu is longer than a watchlist "
			    "file may be", i + 1);
			goto fail;
		}
		if (n == 0 || p[n - 1].len + row.len > max) {
			p = xgrow(p, &cap, n + 1, sizeof *p);
			memset(&p[n], 0, sizeof p[n]);
			buf_add(&p[n], watchlist_header, hl);
			n++;
		}
		buf_add(&p[n - 1], row.p, row.len);
		(*nrules)++;
	}
	if (n == 0) {
		p = xgrow(p, &cap, 1, sizeof *p);
		memset(&p[0], 0, sizeof p[0]);
		buf_add(&p[0], watchlist_header, hl);
		n = 1;
	}
	buf_free(&row);
	*parts = p;
	*nparts = n;
	return 0;
fail:
	buf_free(&row);
	for (i = 0; i < n; i++)
		buf_free(&p[i]);
	free(p);
	return -1;
}
