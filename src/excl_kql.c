#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "excl.h"
#include "excl_rule.h"
#include "excl_value.h"
#include "util.h"

/* The hunting query as Microsoft publishes it, split where the exclusion
 * filters go: right after the RemoteIPType filter, before the joins, so
 * excluded rows never reach them. */
static const char query_head[] =
    "DeviceLogonEvents\n"
    "| where RemoteIPType == \"Public\"\n";
static const char query_tail[] =
    "| join kind=leftanti (\n"
    "DeviceNetworkInfo\n"
    "| project NetworkInfo = todynamic(IPAddresses )\n"
    "| mvexpand NetworkInfo\n"
    "| project IpAddress = tostring(parse_json(NetworkInfo).IPAddress)\n"
    "| distinct IpAddress\n"
    ") on $left.RemoteIP == $right.IpAddress // Removes any IP addresses "
    "assigned to a device\n"
    "| join kind=leftanti (\n"
    "IdentityLogonEvents\n"
    "| where ISP != \"INTERNAL_NETWORK\"\n"
    ") on $left.RemoteIP == $right.IPAddress // Remove any IP addresses "
    "identified as internal by Microsoft Cloud App Security\n"
    "| summarize EarliestEvent = min(Timestamp), LatestEvent = "
    "max(Timestamp), Instances = count(), DistinctMachines = "
    "dcount(DeviceId) by AccountDomain, AccountName, LogonType, RemoteIP, "
    "ActionType\n";

/* Matches how the local matcher reads RemoteIP: a zone suffix is dropped
 * and ::ffff:a.b.c.d is treated as the IPv4 address it carries. */
static const char ip_normalize[] =
    "| extend ExclIp = replace_regex(tostring(split(RemoteIP, \"%\")[0]), "
    "@\"^::[fF]{4}:(\\d+\\.\\d+\\.\\d+\\.\\d+)$\", @\"\\1\")\n";

/* A KQL string literal: backslash escapes inside double quotes. */
static void
kql_string(struct buf *b, const char *s, size_t n)
{
	size_t i;

	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (c == '\n')
			buf_add(b, "\\n", 2);
		else if (c == '\t')
			buf_add(b, "\\t", 2);
		else if (c == '\r')
			buf_add(b, "\\r", 2);
		else if (c < 0x20 || c == 0x7f)
			buf_addf(b, "\\u%04x", c);
		else
			buf_addc(b, (char)c);
	}
	buf_addc(b, '"');
}

/* Text for a "//" comment: one line, no control characters. */
static void
kql_comment_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		buf_addc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
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
kql_ip_list(struct buf *b, const struct excl_set *s, size_t cat, time_t now,
    int family)
{
	size_t i, n = 0;
	char *net;

	for (i = 0; i < excl_rule_count(s); i++) {
		const struct excl_rule *r = excl_rule_at(s, i);
		if (r->cat != cat || r->kind != EXCL_IP ||
		    r->addr.family != family ||
		    excl_rule_state(s, i, now) != EXCL_ACTIVE)
			continue;
		/* IPv6 rules test only IPv6 text, as the local matcher does,
		 * whatever ipv6_is_in_any_range makes of an IPv4 string. */
		if (n == 0)
			buf_addf(b, "| where not(%scoalesce(%s_is_in_any_range("
			    "ExclIp, dynamic([", family == IPTRIE_V4 ? "" :
			    "ExclIp contains \":\" and ",
			    family == IPTRIE_V4 ? "ipv4" : "ipv6");
		buf_add(b, n == 0 ? "\n    " : n % 6 == 0 ? ",\n    " : ", ",
		    n == 0 ? 5 : n % 6 == 0 ? 6 : 2);
		net = excl_net_format(&r->addr, r->pflen, 1);
		kql_string(b, net, strlen(net));
		free(net);
		n++;
	}
	if (n > 0)
		buf_add(b, "\n    ])), false))\n", 18);
}

static void
kql_name_list(struct buf *b, const struct excl_set *s, size_t cat, time_t now,
    enum excl_kind kind)
{
	size_t i, n = 0;
	const char *bs;

	for (i = 0; i < excl_rule_count(s); i++) {
		const struct excl_rule *r = excl_rule_at(s, i);
		if (r->cat != cat || r->kind != kind ||
		    excl_rule_state(s, i, now) != EXCL_ACTIVE)
			continue;
		buf_add(b, n == 0 ? "| where not(\n    " : "\n    or ",
		    n == 0 ? 17 : 8);
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
		n++;
	}
	if (n > 0)
		buf_add(b, "\n  )\n", 5);
}

void
excl_kql_buf(struct buf *b, const struct excl_set *s, time_t now)
{
	size_t ncats = excl_category_count(s), c, i, active = 0, ipactive = 0;
	size_t *count, *inactive;
	char date[11];

	count = xcalloc(ncats, sizeof *count);
	inactive = xcalloc(ncats, sizeof *inactive);
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
	buf_add(b, "// Device Logons from Unknown IPs\n", 34);
	buf_add(b, "// Exclusions from ", 19);
	kql_comment_text(b, excl_path(s));
	buf_addf(b, " as of %s UTC: %zu active rule%s\n", date, active,
	    active == 1 ? "" : "s");
	buf_add(b, query_head, strlen(query_head));
	if (ipactive > 0)
		buf_add(b, ip_normalize, strlen(ip_normalize));
	for (c = 0; c < ncats; c++) {
		if (count[c] == 0)
			continue;
		buf_addf(b, "// [%s]", excl_category_name(s, c));
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
		/* Rows whose RemoteIP is not an address of that family give
		 * null, which `where` would drop: coalesce keeps them. */
		kql_ip_list(b, s, c, now, IPTRIE_V4);
		kql_ip_list(b, s, c, now, IPTRIE_V6);
		kql_name_list(b, s, c, now, EXCL_ACCOUNT);
		kql_name_list(b, s, c, now, EXCL_DEVICE);
	}
	if (ipactive > 0)
		buf_add(b, "| project-away ExclIp\n", 22);
	buf_add(b, query_tail, strlen(query_tail));
	free(count);
	free(inactive);
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
