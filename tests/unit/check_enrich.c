/* Unit tests of the enrichment's parsers: networks (the expected networks
 * were computed with Python's ipaddress.ip_network(text, strict=False)),
 * each intel and range format told by content with its entries, names
 * and time windows (the windows worked by hand from the file's times and
 * the documented 24 h margin), what is passed over and what refuses a
 * file, and owner lookups (most specific prefix, then rank, then order).
 * The MaxMind DB side is tested end to end (tests/e2e/enrich.sh), with
 * databases written by libmaxmind-db-writer-perl. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "enrich_int.h"
#include "excl.h"
#include "exclfilter.h"
#include "proposal.h"
#include "ts.h"
#include "util.h"

#include "testutil.h"

START_TEST(test_parse_net)
{
	/* text, family, pflen, the network as Python's ipaddress prints it */
	static const struct {
		const char *text;
		int family, pflen;
		uint8_t a[16];
	} ok[] = {
		{ "192.0.2.7", 4, 32, { 192, 0, 2, 7 } },
		{ "192.0.2.7/24", 4, 24, { 192, 0, 2, 0 } },
		{ "192.0.2.255/25", 4, 25, { 192, 0, 2, 128 } },
		{ "10.1.2.3/0", 4, 0, { 0 } },
		{ "10.255.2.3/9", 4, 9, { 10, 128 } },
		{ "2001:db8::1/32", 6, 32, { 0x20, 0x01, 0x0d, 0xb8 } },
		{ "2001:db8:ffff::/33", 6, 33, { 0x20, 0x01, 0x0d, 0xb8, 0x80 } },
		{ "::ffff:192.0.2.1", 4, 32, { 192, 0, 2, 1 } },
		{ "2001:db8::", 6, 128, { 0x20, 0x01, 0x0d, 0xb8 } },
	};
	static const char *const bad[] = { "", "192.0.2.1/33", "2001:db8::/129",
		"192.0.2.1/", "192.0.2.1/a", "192.0.2.1/-1", "192.0.2.1/0032",
		"evil.example", "::ffff:1.2.3.4/120", "fe80::1%eth0", "1.2.3",
		"192.0.2.1 /24" };
	struct iptrie_addr a;
	const char *why;
	size_t i;
	int pf;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		ck_assert_msg(enrich_parse_net(ok[i].text, strlen(ok[i].text), &a,
		    &pf, &why) == 0, "%s: %s", ok[i].text, why);
		ck_assert_int_eq(a.family, ok[i].family);
		ck_assert_int_eq(pf, ok[i].pflen);
		ck_assert_msg(memcmp(a.a, ok[i].a, ok[i].family == 4 ? 4 : 16) == 0,
		    "%s: wrong network", ok[i].text);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(enrich_parse_net(bad[i], strlen(bad[i]), &a, &pf,
		    &why) != 0, "'%s' parsed", bad[i]);
}
END_TEST

/* ------------------------------------------------------------ intel */

struct got {
	struct intel_entry e[16];
	char names[16][64];
	size_t n;
};

static void
collect(void *ctx, const struct intel_entry *en)
{
	struct got *g = ctx;

	ck_assert_uint_lt(g->n, 16);
	g->e[g->n] = *en;
	snprintf(g->names[g->n], sizeof g->names[0], "%.*s", (int)en->name_len,
	    en->name);
	g->e[g->n].name = g->names[g->n];
	g->n++;
}

static int
parse_intel(const char *text, struct got *g, const char **format,
    size_t *skipped, char **cause)
{
	memset(g, 0, sizeof *g);
	*cause = NULL;
	return intel_parse("feed", text, strlen(text), collect, g, format,
	    skipped, cause);
}

static int64_t
ticks(const char *iso)
{
	int64_t t;

	ck_assert_int_eq(ts_parse(iso, strlen(iso), &t), 0);
	return t;
}

START_TEST(test_intel_plain_csv)
{
	struct got g;
	const char *format;
	size_t skipped;
	char *cause;

	ck_assert_int_eq(parse_intel("\xef\xbb\xbf# list, of bad hosts\r\n"
	    "192.0.2.1 # scanner, noisy\r\n\r\n  198.51.100.0/24\n2001:db8::/48",
	    &g, &format, &skipped, &cause), 0);
	ck_assert_str_eq(format, "address list");
	ck_assert_uint_eq(g.n, 3);
	ck_assert_int_eq(g.e[1].pflen, 24);
	ck_assert_int_eq(g.e[2].addr.family, IPTRIE_V6);
	ck_assert(g.e[0].from == TS_NONE && g.e[0].until == TS_NONE);

	ck_assert_int_eq(parse_intel("1.2.3.4\nbad.example\n5.6.7.8/40\n", &g,
	    &format, &skipped, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "feed:2: 'bad.example' is not an "
	    "address or range"));
	ck_assert_ptr_nonnull(strstr(cause, "feed:3: '5.6.7.8/40' is not an "
	    "address or range: a prefix length above 32"));
	ck_assert_ptr_nonnull(strstr(cause, "feed: refused"));
	free(cause);

	/* CSV: the address column found by name, quoted fields over lines. */
	ck_assert_int_eq(parse_intel("first_seen,Ip_Address,note\n"
	    "2025-01-01,192.0.2.9,\"a, \"\"b\"\"\nc\"\n"
	    "\n2025-01-02, 192.0.2.10 ,x\n", &g, &format, &skipped, &cause), 0);
	ck_assert_str_eq(format, "CSV");
	ck_assert_uint_eq(g.n, 2);
	ck_assert_int_eq(g.e[1].addr.a[3], 10);
	ck_assert_int_eq(parse_intel("when,where\n1,2\n", &g, &format,
	    &skipped, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "feed:1: a CSV header without an "
	    "address column"));
	free(cause);
	ck_assert_int_eq(parse_intel("ip,note\n192.0.2.1,\"never ends\n", &g,
	    &format, &skipped, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "a quoted field that never ends"));
	free(cause);

	/* MISP: addresses of ip-* and domain|ip attributes, named by event. */
	ck_assert_int_eq(parse_intel("uuid,event_id,category,type,value\n"
	    "a,17,Network activity,ip-dst|port,192.0.2.5|3389\n"
	    "b,18,Network activity,domain,evil.example\n"
	    "c,19,Network activity,domain|ip,evil.example|2001:db8::5\n"
	    "d,20,Network activity,ip-src,198.51.100.0/24\n",
	    &g, &format, &skipped, &cause), 0);
	ck_assert_str_eq(format, "MISP CSV");
	ck_assert_uint_eq(g.n, 3);
	ck_assert_uint_eq(skipped, 1);
	ck_assert_str_eq(g.names[0], "event 17");
	ck_assert_int_eq(g.e[0].addr.a[3], 5);
	ck_assert_str_eq(g.names[1], "event 19");
	ck_assert_int_eq(g.e[1].addr.family, IPTRIE_V6);
	ck_assert_int_eq(g.e[2].pflen, 24);
}
END_TEST

START_TEST(test_intel_stix)
{
	struct got g;
	const char *format;
	size_t skipped;
	char *cause;

	ck_assert_int_eq(parse_intel("{\"type\": \"bundle\", \"objects\": ["
	    "{\"type\": \"indicator\", \"id\": \"indicator--1\", \"name\": \"C2\","
	    " \"pattern_type\": \"stix\", \"valid_from\": \"2025-03-01T00:00:00Z\","
	    " \"valid_until\": \"2025-03-02T00:00:00.5Z\", \"pattern\": "
	    "\"[ipv4-addr:value = '192.0.2.1' OR ipv6-addr:value ISSUBSET "
	    "'2001:db8::/32'] OR [ipv4-addr:value='192.0.2.2']\"},"
	    "{\"type\": \"indicator\", \"id\": \"indicator--2\", \"pattern\": "
	    "\"[ipv4-addr:value = '192.0.2.3']\", \"valid_from\": \"2025-01-01\"},"
	    "{\"type\": \"indicator\", \"id\": \"indicator--3\", \"pattern\": "
	    "\"[ipv4-addr:value = '192.0.2.4' AND network-traffic:dst_port = 22]\"},"
	    "{\"type\": \"indicator\", \"id\": \"indicator--4\", \"pattern\": "
	    "\"[domain-name:value = 'x.example']\"},"
	    "{\"type\": \"indicator\", \"id\": \"indicator--5\", \"pattern\": "
	    "\"[ipv4-addr:value = '192.0.2.5'] FOLLOWEDBY [ipv4-addr:value = '192.0.2.6']\"},"
	    "{\"type\": \"indicator\", \"id\": \"indicator--6\", \"pattern_type\": "
	    "\"sigma\", \"pattern\": \"x\"},"
	    "{\"type\": \"indicator\", \"id\": \"indicator--7\", \"pattern\": "
	    "\"[ipv4-addr:value = '192.0.2.7']\", \"valid_from\": "
	    "\"2025-03-02T00:00:00Z\", \"valid_until\": \"2025-03-01T00:00:00Z\"},"
	    "{\"type\": \"malware\", \"id\": \"malware--1\", \"name\": \"x\"}]}",
	    &g, &format, &skipped, &cause), 0);
	ck_assert_str_eq(format, "STIX 2.1 bundle");
	ck_assert_uint_eq(g.n, 4);
	ck_assert_uint_eq(skipped, 5);
	ck_assert_str_eq(g.names[0], "C2");
	ck_assert_int_eq(g.e[1].addr.family, IPTRIE_V6);
	ck_assert_int_eq(g.e[1].pflen, 32);
	ck_assert_int_eq(g.e[2].addr.a[3], 2);
	ck_assert(g.e[0].from == ticks("2025-03-01T00:00:00Z"));
	ck_assert(g.e[0].until == ticks("2025-03-02T00:00:00.5Z"));
	/* No name: the id; no valid_until: open. */
	ck_assert_str_eq(g.names[3], "indicator--2");
	ck_assert(g.e[3].until == TS_NONE);

	ck_assert_int_eq(parse_intel("{\"type\": \"bundle\", \"objects\": ["
	    "{\"type\": \"indicator\", \"id\": \"indicator--9\", \"pattern\": "
	    "\"[ipv4-addr:value = '300.1.2.3']\"},"
	    "{\"type\": \"indicator\", \"id\": \"indicator--8\", \"pattern\": "
	    "\"[ipv4-addr:value = '192.0.2.1']\", \"valid_from\": \"yesterday\"}]}",
	    &g, &format, &skipped, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "feed: indicator indicator--9: not "
	    "an IPv4 or IPv6 address"));
	ck_assert_ptr_nonnull(strstr(cause, "feed: indicator indicator--8: "
	    "valid_from or valid_until is not a timestamp"));
	free(cause);
	ck_assert_int_eq(parse_intel("{\"objects\": [", &g, &format, &skipped,
	    &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "feed: not valid JSON"));
	free(cause);
}
END_TEST

START_TEST(test_intel_tor)
{
	struct got g;
	const char *format;
	size_t skipped;
	char *cause;

	ck_assert_int_eq(parse_intel("@type tordnsel 1.0\n"
	    "Downloaded 2025-03-10 00:00:00\n"
	    "ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E\n"
	    "Published 2025-03-09 18:01:05\n"
	    "LastStatus 2025-03-09 23:00:00\n"
	    "ExitAddress 192.0.2.44 2025-03-09 23:09:38\n"
	    "ExitAddress 2001:db8::44 2025-03-08 01:00:00\n"
	    "ExitNode FFFF\n"
	    "ExitAddress 192.0.2.45 2025-03-01 12:00:00\n",
	    &g, &format, &skipped, &cause), 0);
	ck_assert_str_eq(format, "Tor exit list");
	ck_assert_uint_eq(g.n, 3);
	ck_assert_str_eq(g.names[0], "Tor exit 0011BD2485AD45D984EC4159C88FC066E5E3300E");
	/* From the earliest time seen less 24 h to the latest plus 24 h. */
	ck_assert(g.e[0].from == ticks("2025-03-08T18:01:05Z"));
	ck_assert(g.e[0].until == ticks("2025-03-10T23:09:38Z") + 1);
	ck_assert(g.e[1].from == ticks("2025-03-07T01:00:00Z"));
	ck_assert(g.e[1].until == ticks("2025-03-10T23:00:00Z") + 1);
	ck_assert_str_eq(g.names[2], "Tor exit FFFF");
	ck_assert(g.e[2].from == ticks("2025-02-28T12:00:00Z"));
	ck_assert(g.e[2].until == ticks("2025-03-02T12:00:00Z") + 1);

	ck_assert_int_eq(parse_intel("ExitNode AA\nExitAddress 192.0.2.1\n"
	    "ExitAddress 192.0.2.x 2025-01-01 00:00:00\n", &g, &format,
	    &skipped, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "feed:2: ExitAddress without the "
	    "time it was seen"));
	ck_assert_ptr_nonnull(strstr(cause, "feed:3: '192.0.2.x' is not an "
	    "address"));
	free(cause);
	ck_assert_int_eq(parse_intel("1.2.3.4\n\x00\x01", &g, &format,
	    &skipped, &cause), 0);
	ck_assert_int_eq(intel_parse("feed", "1.2.3.4\n\0\1", 10, collect, &g,
	    &format, &skipped, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "feed: binary data"));
	free(cause);
}
END_TEST

/* ------------------------------------------------------------ ranges */

struct owners {
	char prefix[16][48], owner[16][64];
	int rank[16];
	size_t n;
};

static int
collect_owner(void *ctx, const char *prefix, const char *owner, int rank,
    char **why)
{
	struct owners *o = ctx;

	if (o->n == 16)
		return 0;
	snprintf(o->prefix[o->n], sizeof o->prefix[0], "%s", prefix);
	snprintf(o->owner[o->n], sizeof o->owner[0], "%s", owner);
	o->rank[o->n++] = rank;
	return 0;
}

static int
parse_ranges(const char *text, struct owners *o, const char **format,
    char **cause)
{
	memset(o, 0, sizeof *o);
	*cause = NULL;
	return ranges_parse("r.json", text, strlen(text), collect_owner, o,
	    format, cause);
}

START_TEST(test_ranges_formats)
{
	struct owners o;
	const char *format;
	char *cause;

	ck_assert_int_eq(parse_ranges("{\"syncToken\": \"1\", \"prefixes\": ["
	    "{\"ip_prefix\": \"3.5.140.0/22\", \"region\": \"ap-northeast-2\","
	    " \"service\": \"AMAZON\"}, {\"ip_prefix\": \"3.5.140.0/22\","
	    " \"region\": \"ap-northeast-2\", \"service\": \"EC2\"}],"
	    " \"ipv6_prefixes\": [{\"ipv6_prefix\": \"2600:1f00::/24\","
	    " \"region\": \"eu-west-1\", \"service\": \"S3\"}]}", &o, &format,
	    &cause), 0);
	ck_assert_str_eq(format, "AWS ip-ranges");
	ck_assert_uint_eq(o.n, 3);
	ck_assert_str_eq(o.owner[0], "AWS AMAZON ap-northeast-2");
	ck_assert_int_eq(o.rank[0], 0);
	ck_assert_str_eq(o.owner[1], "AWS EC2 ap-northeast-2");
	ck_assert_int_eq(o.rank[1], 1);
	ck_assert_str_eq(o.prefix[2], "2600:1f00::/24");

	ck_assert_int_eq(parse_ranges("{\"prefixes\": [{\"ipv4Prefix\": "
	    "\"34.1.208.0/20\", \"service\": \"Google Cloud\", \"scope\": "
	    "\"africa-south1\"}, {\"ipv6Prefix\": \"2600:1900::/35\", \"scope\":"
	    " \"europe-west1\"}]}", &o, &format, &cause), 0);
	ck_assert_str_eq(format, "Google IP ranges");
	ck_assert_str_eq(o.owner[0], "GCP africa-south1");
	ck_assert_str_eq(o.prefix[1], "2600:1900::/35");
	ck_assert_int_eq(parse_ranges("{\"prefixes\": [{\"ipv4Prefix\": "
	    "\"8.8.4.0/24\"}]}", &o, &format, &cause), 0);
	ck_assert_str_eq(o.owner[0], "Google");

	ck_assert_int_eq(parse_ranges("{\"name\": \"List of known Office 365 "
	    "IP address ranges\", \"type\": \"cidr\", \"list\": [\"13.107.6.152/31\","
	    " \"2603:1006::/40\"]}", &o, &format, &cause), 0);
	ck_assert_str_eq(format, "MISP warninglist");
	ck_assert_uint_eq(o.n, 2);
	ck_assert_str_eq(o.owner[1], "List of known Office 365 IP address ranges");

	ck_assert_int_eq(parse_ranges("{\"changeNumber\": 1, \"values\": ["
	    "{\"name\": \"AzureCloud\", \"properties\": {\"addressPrefixes\": "
	    "[\"13.64.0.0/11\"]}}, {\"name\": \"AzureCloud.westeurope\", "
	    "\"properties\": {\"addressPrefixes\": [\"13.69.0.0/17\"]}},"
	    "{\"name\": \"Storage\", \"properties\": {\"addressPrefixes\": "
	    "[\"13.69.40.0/24\"]}}, {\"name\": \"Storage.WestEurope\", "
	    "\"properties\": {\"addressPrefixes\": [\"13.69.40.0/24\"]}}]}",
	    &o, &format, &cause), 0);
	ck_assert_str_eq(format, "Azure service tags");
	ck_assert_uint_eq(o.n, 4);
	ck_assert_str_eq(o.owner[1], "Azure AzureCloud.westeurope");
	ck_assert_int_eq(o.rank[0], 0);
	ck_assert_int_eq(o.rank[1], 2);
	ck_assert_int_eq(o.rank[2], 1);
	ck_assert_int_eq(o.rank[3], 3);

	ck_assert_int_eq(parse_ranges("{\"name\": \"Hosts\", \"type\": "
	    "\"hostname\", \"list\": [\"a.example\"]}", &o, &format, &cause), -1);
	ck_assert_str_eq(cause, "r.json: warninglist 'Hosts' is of type "
	    "'hostname', not cidr: it holds no address ranges");
	free(cause);
	ck_assert_int_eq(parse_ranges("[1, 2]", &o, &format, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "r.json: not a JSON object"));
	free(cause);
	ck_assert_int_eq(parse_ranges("{\"a\": 1}", &o, &format, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "r.json: JSON that is none of the "
	    "range files known"));
	free(cause);
	ck_assert_int_eq(parse_ranges("{\"values\": 3}", &o, &format, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "r.json: JSON without a \"values\" array"));
	free(cause);
}
END_TEST

/* Owners through a file: the most specific prefix, then the rank, then
 * the order read; a file with one bad prefix adds nothing. */
START_TEST(test_owner_lookup)
{
	struct enrich *e = enrich_new();
	struct enrich_ip ip;
	char *cause = NULL;
	char *aws = tu_write_str("aws.json", "{\"prefixes\": ["
	    "{\"ip_prefix\": \"198.51.0.0/16\", \"region\": \"us-east-1\", \"service\": \"AMAZON\"},"
	    "{\"ip_prefix\": \"198.51.100.0/24\", \"region\": \"eu-west-1\", \"service\": \"AMAZON\"},"
	    "{\"ip_prefix\": \"198.51.100.0/24\", \"region\": \"eu-west-1\", \"service\": \"EC2\"},"
	    "{\"ip_prefix\": \"198.51.100.0/24\", \"region\": \"eu-west-2\", \"service\": \"EC2\"}],"
	    " \"ipv6_prefixes\": []}");
	char *wl = tu_write_str("wl.json", "{\"name\": \"Scanners\", \"type\": "
	    "\"cidr\", \"list\": [\"198.51.100.128/25\", \"198.51.0.0/16\"]}");
	char *bad = tu_write_str("bad.json", "{\"name\": \"Bad\", \"type\": "
	    "\"cidr\", \"list\": [\"203.0.113.0/24\", \"nope\"]}");

	ck_assert_msg(enrich_add_ranges(e, aws, &cause) == 0, "%s", cause);
	ck_assert_msg(enrich_add_ranges(e, wl, &cause) == 0, "%s", cause);
	ck_assert_int_eq(enrich_add_ranges(e, bad, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "bad.json: Bad: 'nope' is not an "
	    "address range"));
	free(cause);
	enrich_build(e);
	ck_assert_uint_eq(enrich_source_count(e), 2);
	enrich_lookup(e, "198.51.100.7", 12, &ip);
	ck_assert_str_eq(ip.owner, "AWS EC2 eu-west-1");
	enrich_lookup(e, "198.51.100.200", 14, &ip);
	ck_assert_str_eq(ip.owner, "Scanners");
	enrich_lookup(e, "198.51.7.1", 10, &ip);
	ck_assert_str_eq(ip.owner, "AWS AMAZON us-east-1");
	enrich_lookup(e, "203.0.113.1", 11, &ip);
	ck_assert_str_eq(ip.owner, "");
	enrich_lookup(e, "::ffff:198.51.100.7", 19, &ip);
	ck_assert_str_eq(ip.owner, "AWS EC2 eu-west-1");
	enrich_lookup(e, "-", 1, &ip);
	ck_assert_str_eq(ip.owner, "");
	ck_assert_str_eq(ip.country, "");
	ck_assert_uint_eq(ip.asn, 0);
	ck_assert_uint_eq(enrich_columns(e), 1u << EC_OWNER);
	enrich_free(e);
	free(aws);
	free(wl);
	free(bad);
}
END_TEST

START_TEST(test_describe)
{
	struct enrich *e = enrich_new();
	struct buf b = { 0 };
	char *cause = NULL;
	char *p = tu_write_str("feed.txt", "192.0.2.1\n192.0.2.0/24\n");
	char *want;

	ck_assert_msg(enrich_add_intel(e, p, &cause) == 0, "%s", cause);
	enrich_describe(&b, e, time(NULL) + 3 * 86400 + 60);
	want = xasprintf("intel  %s: address list, 2 addresses, file dated ", p);
	ck_assert_msg(strncmp(b.p, want, strlen(want)) == 0, "%s", b.p);
	ck_assert_ptr_nonnull(strstr(b.p, ", 3 days old\n"));
	free(want);
	buf_free(&b);
	ck_assert_int_eq(enrich_add_geoip(e, p, &cause), -1);
	want = xasprintf("%s: not a usable MaxMind DB file: The MaxMind DB "
	    "file contains invalid metadata", p);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);
	enrich_free(e);
	free(p);
}
END_TEST


/* ------------------------------------------------------------ exclusions */

/* asn and owner rules: values, the file's syntax, saving, duplicates. */
START_TEST(test_excl_rules)
{
	static const char *const bad_asn[] = { "0", "AS0", "4294967296", "AS",
		"8075x", "-1", "AS 8075", "08075" };
	char *path = tu_write_str("exclusions", "[maintenance]\n"
	    "asn 8075  # Microsoft\n"
	    "owner \"Azure AzureCloud.*\" until=2099-12-31\n"
	    "[siem]\n"
	    "!OWNER \"AWS *\"\n"
	    "asn AS16509\n");
	struct excl_set *s;
	enum excl_kind kind;
	char *cause = NULL, *text;
	size_t i;

	ck_assert_msg(excl_load(path, &s, &cause) == 0, "%s", cause);
	ck_assert_uint_eq(excl_rule_count(s), 4);
	ck_assert_int_eq(excl_rule_kind(s, 0), EXCL_ASN);
	ck_assert_str_eq(excl_rule_text(s, 0), "8075");
	ck_assert_str_eq(excl_rule_note(s, 0), "Microsoft");
	ck_assert_int_eq(excl_rule_kind(s, 1), EXCL_OWNER);
	ck_assert_str_eq(excl_rule_text(s, 1), "Azure AzureCloud.*");
	ck_assert_int_eq(excl_rule_enabled(s, 2), 0);
	ck_assert_str_eq(excl_kind_name(EXCL_ASN), "asn");
	ck_assert_str_eq(excl_kind_name(EXCL_OWNER), "owner");
	/* AS8075 is 8075: the same rule in a category. */
	ck_assert_int_eq(excl_rule_add(s, 0, EXCL_ASN, "AS8075", NULL, 0,
	    &cause), -1);
	free(cause);
	ck_assert_int_eq(excl_rule_add(s, 0, EXCL_OWNER, "azure azurecloud.*",
	    NULL, 0, &cause), -1);
	free(cause);
	ck_assert_int_ge(excl_rule_add(s, 0, EXCL_OWNER, "GCP \"europe\" #1",
	    "n", 0, &cause), 0);
	ck_assert_msg(excl_save(s, &cause) == 0, "%s", cause);
	excl_free(s);
	text = tu_read_file(path);
	ck_assert_ptr_nonnull(strstr(text, "owner \"GCP \"\"europe\"\" #1\"  # n\n"));
	free(text);
	ck_assert_msg(excl_load(path, &s, &cause) == 0, "%s", cause);
	ck_assert_str_eq(excl_rule_text(s, 2), "GCP \"europe\" #1");
	excl_free(s);

	for (i = 0; i < sizeof bad_asn / sizeof bad_asn[0]; i++) {
		ck_assert_msg(excl_rule_validate(EXCL_ASN, bad_asn[i], &cause) != 0,
		    "asn '%s' accepted", bad_asn[i]);
		free(cause);
	}
	ck_assert_int_eq(excl_rule_validate(EXCL_ASN, "4294967295", &cause), 0);
	ck_assert_int_eq(excl_rule_parse_spec("asn:AS8075", &kind, &text,
	    &cause), 0);
	ck_assert_int_eq(kind, EXCL_ASN);
	free(text);
	ck_assert_int_eq(excl_rule_parse_spec("owner: Azure *", &kind, &text,
	    &cause), 0);
	ck_assert_int_eq(kind, EXCL_OWNER);
	ck_assert_str_eq(text, "Azure *");
	free(text);
	tu_write_text(path, "[maintenance]\nasn\n");
	ck_assert_int_eq(excl_load(path, &s, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "the asn rule has no value; write "
	    "for example asn 8075"));
	free(cause);
	free(path);
}
END_TEST

static void
fake_ipinfo(void *ctx, const char *ip, size_t n, uint32_t *asn,
    const char **owner, size_t *owner_len)
{
	int *calls = ctx;

	(*calls)++;
	*asn = n > 2 && ip[0] == '1' && ip[1] == '0' ? 8075 : 16509;
	*owner = ip[0] == '1' ? "Azure AzureCloud.westeurope" : "AWS EC2 eu-west-1";
	*owner_len = strlen(*owner);
}

/* Matching: an address rule first, then the first asn or owner rule in
 * file order; no information, no match. */
START_TEST(test_excl_match_ipinfo)
{
	char *path = tu_write_str("exclusions", "[maintenance]\n"
	    "owner \"azure *\"\n"
	    "asn 8075\n"
	    "[siem]\n"
	    "ip 10.9.9.9\n"
	    "asn 16509\n");
	struct excl_set *s;
	struct excl_matcher *m;
	struct exclfilter_ipinfo xi;
	struct hunt_filter f;
	char *cause = NULL;
	int calls = 0;

	ck_assert_msg(excl_load(path, &s, &cause) == 0, "%s", cause);
	m = excl_compile(s, time(NULL));
	ck_assert(excl_matcher_needs_ipinfo(m));
	ck_assert_int_eq(excl_match_ipinfo(m, 8075, "Azure AzureCloud", 16), 0);
	ck_assert_int_eq(excl_match_ipinfo(m, 8075, "", 0), 1);
	ck_assert_int_eq(excl_match_ipinfo(m, 16509, "GCP x", 5), 3);
	ck_assert_int_eq(excl_match_ipinfo(m, 0, "", 0), -1);
	ck_assert_int_eq(excl_match_ipinfo(m, 1, "Azur", 4), -1);
	xi.m = m;
	xi.lookup = fake_ipinfo;
	xi.ctx = &calls;
	exclfilter_init_ipinfo(&f, s, &xi);
	ck_assert_int_eq(f.match_ip(f.ctx, "10.9.9.9", 8), 2);
	ck_assert_int_eq(calls, 0);
	ck_assert_int_eq(f.match_ip(f.ctx, "10.1.1.1", 8), 0);
	ck_assert_int_eq(f.match_ip(f.ctx, "20.1.1.1", 8), 3);
	ck_assert_int_eq(calls, 2);
	xi.lookup = NULL;
	ck_assert_int_eq(f.match_ip(f.ctx, "20.1.1.1", 8), -1);
	excl_matcher_free(m);
	excl_free(s);
	/* owner * is every known owner, not an unknown one. */
	tu_write_text(path, "[maintenance]\nowner *\n");
	ck_assert_msg(excl_load(path, &s, &cause) == 0, "%s", cause);
	m = excl_compile(s, time(NULL));
	ck_assert_int_eq(excl_match_ipinfo(m, 5, "", 0), -1);
	ck_assert_int_eq(excl_match_ipinfo(m, 0, "x", 1), 0);
	excl_matcher_free(m);
	excl_free(s);
	/* No asn or owner rule: the enrichment is never asked. */
	tu_write_text(path, "[maintenance]\nip 10.0.0.0/8\n");
	ck_assert_msg(excl_load(path, &s, &cause) == 0, "%s", cause);
	m = excl_compile(s, time(NULL));
	ck_assert(!excl_matcher_needs_ipinfo(m));
	xi.m = m;
	xi.lookup = fake_ipinfo;
	calls = 0;
	exclfilter_init_ipinfo(&f, s, &xi);
	ck_assert_int_eq(f.match_ip(f.ctx, "20.1.1.1", 8), -1);
	ck_assert_int_eq(calls, 0);
	excl_matcher_free(m);
	excl_free(s);
	free(path);
}
END_TEST

START_TEST(test_excl_kql_comment)
{
	char *path = tu_write_str("exclusions", "[maintenance]\n"
	    "asn 8075\nowner \"Azure *\"\n!asn 1\nip 192.0.2.0/24\n");
	struct excl_set *s;
	struct buf b = { 0 };
	char *cause = NULL;

	ck_assert_msg(excl_load(path, &s, &cause) == 0, "%s", cause);
	excl_kql_buf(&b, s, time(NULL));
	ck_assert_ptr_nonnull(strstr(b.p, "\n// not expressed: asn 8075 (Kusto "
	    "has no AS number lookup)\n// not expressed: owner Azure * (Kusto "
	    "has no network owner lookup)\n"));
	ck_assert_ptr_null(strstr(b.p, "asn 1 "));
	ck_assert_ptr_nonnull(strstr(b.p, "\"192.0.2.0/24\""));
	buf_free(&b);
	/* Nor can a Sentinel watchlist carry them. */
	{
		struct buf *parts;
		size_t np, nr, k;

		ck_assert_int_eq(excl_watchlist_csv(s, time(NULL), 1 << 20, &parts,
		    &np, &nr, &cause), 0);
		ck_assert_uint_eq(nr, 1);
		ck_assert_ptr_null(strstr(parts[0].p, "asn"));
		ck_assert_ptr_null(strstr(parts[0].p, "owner"));
		ck_assert_ptr_nonnull(strstr(parts[0].p, "192.0.2.0/24"));
		for (k = 0; k < np; k++)
			buf_free(&parts[k]);
		free(parts);
	}
	excl_free(s);
	free(path);
}
END_TEST

START_TEST(test_proposals_ipinfo)
{
	struct proposal p[PROPOSAL_MAX];
	size_t n = proposal_for_row("192.0.2.7", "CONTOSO", "bob", NULL, p);

	ck_assert_uint_eq(n, 4);
	n = proposal_add_ipinfo(8075, "Azure AzureCloud.westeurope", p, n);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(p[4].kind, EXCL_ASN);
	ck_assert_str_eq(p[4].text, "8075");
	ck_assert_int_eq(p[5].kind, EXCL_OWNER);
	ck_assert_str_eq(p[5].text, "Azure AzureCloud.westeurope");
	proposal_free(p, n);
	n = proposal_add_ipinfo(0, "", p, 0);
	ck_assert_uint_eq(n, 0);
	n = proposal_add_ipinfo(0, "Odd * owner", p, 0);
	ck_assert_uint_eq(n, 0);
	n = proposal_add_ipinfo(1, " leading space", p, 0);
	ck_assert_uint_eq(n, 1);
	proposal_free(p, n);
}
END_TEST

static Suite *
enrich_suite(void)
{
	Suite *s = suite_create("enrich");
	TCase *tc = tcase_create("parse");

	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_add_test(tc, test_parse_net);
	tcase_add_test(tc, test_intel_plain_csv);
	tcase_add_test(tc, test_intel_stix);
	tcase_add_test(tc, test_intel_tor);
	tcase_add_test(tc, test_ranges_formats);
	tcase_add_test(tc, test_owner_lookup);
	tcase_add_test(tc, test_describe);
	suite_add_tcase(s, tc);
	tc = tcase_create("exclusions");
	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_add_test(tc, test_excl_rules);
	tcase_add_test(tc, test_excl_match_ipinfo);
	tcase_add_test(tc, test_excl_kql_comment);
	tcase_add_test(tc, test_proposals_ipinfo);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(enrich_suite());
}
