/* Unit tests of the rule proposals from a result row (what the console's e
 * key offers): for ordinary, odd and hostile addresses and accounts, what
 * is proposed, and whether the proposed rule, saved and read back, really
 * removes the row it came from; then every proposal for every group and
 * event of the sample and of hostile rows, applied by the hunt itself. The
 * networks were checked against Python's ipaddress (ip_network(f"{a}/24 or
 * /64", strict=False); an IPv4-mapped address by its ipv4_mapped). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "excl.h"
#include "exclfilter.h"
#include "hunt.h"
#include "iptrie.h"
#include "load.h"
#include "proposal.h"
#include "ts.h"
#include "util.h"

#include "testutil.h"

/* 1 if a file holding only p (saved, then loaded again) removes the row,
 * asked as the hunt asks for a group: its address, then its account. */
static int
removes_row(const struct proposal *p, const char *ip, const char *domain,
    const char *name)
{
	char *path = tu_path("exclusions"), *cause = NULL;
	struct excl_set *s = excl_new_empty(path);
	struct excl_matcher *m;
	long r;

	ck_assert_msg(excl_rule_add(s, 0, p->kind, p->text, NULL, 0, &cause) == 0,
	    "%s", cause);
	ck_assert_msg(excl_save(s, &cause) == 0, "%s", cause);
	excl_free(s);
	ck_assert_msg(excl_load(path, &s, &cause) == 0, "%s", cause);
	ck_assert_uint_eq(excl_rule_count(s), 1);
	ck_assert_str_eq(excl_rule_text(s, 0), p->text);
	m = excl_compile(s, time(NULL));
	r = excl_match_ip(m, ip, strlen(ip));
	if (r < 0)
		r = excl_match_account(m, domain, strlen(domain), name,
		    strlen(name));
	if (r < 0)
		r = excl_match_device(m, "ws-1", 4);	/* the device of test_device */
	excl_matcher_free(m);
	excl_free(s);
	ck_assert_int_eq(unlink(path), 0);
	free(path);
	return r >= 0;
}

/* The proposals for a row, one a line: "what -> kind text", and " (keeps
 * the row)" when the rule would not remove it. */
static void
ck_row(const char *ip, const char *domain, const char *name, const char *want)
{
	struct proposal p[PROPOSAL_MAX];
	struct buf b = { 0 };
	size_t n = proposal_for_row(ip, domain, name, NULL, p), i;

	buf_add(&b, "", 0);
	for (i = 0; i < n; i++)
		buf_addf(&b, "%s -> %s %s%s\n", p[i].what, excl_kind_name(p[i].kind),
		    p[i].text, removes_row(&p[i], ip, domain, name) ? "" :
		    " (keeps the row)");
	ck_assert_msg(strcmp(b.p, want) == 0, "row '%s' '%s' '%s':\n%s\nwanted:\n%s",
	    ip, domain, name, b.p, want);
	buf_free(&b);
	proposal_free(p, n);
}

START_TEST(test_ordinary_rows)
{
	ck_row("203.0.113.7", "CONTOSO", "alice",
	    "this address -> ip 203.0.113.7\n"
	    "its network -> ip 203.0.113.0/24\n"
	    "this account -> account CONTOSO\\alice\n"
	    "the account in any domain: -> account alice\n");
	ck_row("2001:db8:1:2:3:4:5:6", "CONTOSO", "alice",
	    "this address -> ip 2001:db8:1:2:3:4:5:6\n"
	    "its network -> ip 2001:db8:1:2::/64\n"
	    "this account -> account CONTOSO\\alice\n"
	    "the account in any domain: -> account alice\n");
	/* The address as written; the network as inet_ntop writes it. */
	ck_row("2001:DB8::1", "", "",
	    "this address -> ip 2001:DB8::1\n"
	    "its network -> ip 2001:db8::/64\n");
	ck_row("255.255.255.255", "", "",
	    "this address -> ip 255.255.255.255\n"
	    "its network -> ip 255.255.255.0/24\n");
	ck_row("0.0.0.0", "", "",
	    "this address -> ip 0.0.0.0\n"
	    "its network -> ip 0.0.0.0/24\n");
	ck_row("::", "", "",
	    "this address -> ip ::\n"
	    "its network -> ip ::/64\n");
	ck_row("64:ff9b::203.0.113.7", "", "",
	    "this address -> ip 64:ff9b::203.0.113.7\n"
	    "its network -> ip 64:ff9b::/64\n");
	/* IPv4-compatible (deprecated, not mapped): an IPv6 address. */
	ck_row("::1.2.3.4", "", "",
	    "this address -> ip ::1.2.3.4\n"
	    "its network -> ip ::/64\n");
}
END_TEST

/* An IPv4-mapped address: the matcher reads it as IPv4 1.2.3.4 (and the
 * exclusions refuse it as a rule), so the rules name 1.2.3.4 and
 * 1.2.3.0/24, not ::/64, which held ::1 but not the row. */
START_TEST(test_mapped_addresses)
{
	ck_row("::ffff:1.2.3.4", "", "",
	    "this address -> ip 1.2.3.4\n"
	    "its network -> ip 1.2.3.0/24\n");
	ck_row("0:0:0:0:0:ffff:102:304", "", "",
	    "this address -> ip 1.2.3.4\n"
	    "its network -> ip 1.2.3.0/24\n");
	ck_row("::FFFF:1.2.3.4", "C", "bob",
	    "this address -> ip 1.2.3.4\n"
	    "its network -> ip 1.2.3.0/24\n"
	    "this account -> account C\\bob\n"
	    "the account in any domain: -> account bob\n");
}
END_TEST

/* A zone is dropped as the matcher drops it; what the matcher does not
 * read as an address gets no ip proposal. */
START_TEST(test_not_addresses)
{
	ck_row("fe80::1%eth0", "", "",
	    "this address -> ip fe80::1\n"
	    "its network -> ip fe80::/64\n");
	ck_row("fe80::1%eth0", "C", "bob",
	    "this address -> ip fe80::1\n"
	    "its network -> ip fe80::/64\n"
	    "this account -> account C\\bob\n"
	    "the account in any domain: -> account bob\n");
	ck_row("192.0.2.1%eth0", "", "", "");
	ck_row("fe80::1%", "", "", "");
	ck_row("", "", "", "");
	ck_row("-", "", "", "");
	ck_row("not an address", "", "", "");
	ck_row("1.2.3", "", "", "");
	ck_row("001.002.003.004", "", "", "");
	ck_row(" 1.2.3.4", "", "", "");
	ck_row("1.2.3.4 ", "", "", "");
	ck_row("1.2.3.4\n", "", "", "");
	ck_row("1.2.3.4\x1b[2J", "", "", "");
	ck_row("1.2.3.4/24", "", "", "");
	/* A range as the RemoteIP: the matcher takes no range for an
	 * address, so no ip rule could remove the row. */
	ck_row("1.2.3.0/24", "", "", "");
	ck_row("1.2.3.0/24", "D", "a",
	    "this account -> account D\\a\n"
	    "the account in any domain: -> account a\n");
}
END_TEST

START_TEST(test_accounts)
{
	ck_row("", "CONTOSO", "", "");
	ck_row("", "", "alice",
	    "the account in any domain: -> account alice\n");
	ck_row("", "NT AUTHORITY", "ANONYMOUS LOGON",
	    "this account -> account NT AUTHORITY\\ANONYMOUS LOGON\n"
	    "the account in any domain: -> account ANONYMOUS LOGON\n");
	ck_row("", "D", "ALICE",
	    "this account -> account D\\ALICE\n"
	    "the account in any domain: -> account ALICE\n");
	ck_row("", "D", "\xc3\xa9",
	    "this account -> account D\\\xc3\xa9\n"
	    "the account in any domain: -> account \xc3\xa9\n");
	/* Characters the file format gives a meaning to stay literal. */
	ck_row("", "D", "a#b",
	    "this account -> account D\\a#b\n"
	    "the account in any domain: -> account a#b\n");
	ck_row("", "D", "a\"b",
	    "this account -> account D\\a\"b\n"
	    "the account in any domain: -> account a\"b\n");
	ck_row("", "D", "[x]",
	    "this account -> account D\\[x]\n"
	    "the account in any domain: -> account [x]\n");
	ck_row("", "D", "a?b",
	    "this account -> account D\\a?b\n"
	    "the account in any domain: -> account a?b\n");
	/* A '*' in the data becomes a wildcard: the rule removes the row,
	 * and more. */
	ck_row("", "D", "svc*",
	    "this account -> account D\\svc*\n"
	    "the account in any domain: -> account svc*\n");
	ck_row("", "D*", "a",
	    "this account -> account D*\\a\n"
	    "the account in any domain: -> account a\n");
	ck_row("", "D", "*",
	    "this account -> account D\\*\n"
	    "the account in any domain: -> account *\n");
	/* A '\' in the name or domain: DOMAIN\a\b is refused, and a\b
	 * alone reads as the domain a and the name b; a '*' in its place
	 * covers the row. */
	ck_row("", "D", "a\\b",
	    "this account -> account D\\a*b\n"
	    "the account in any domain: -> account *\\a*b\n");
	ck_row("", "", "a\\b",
	    "the account in any domain: -> account *\\a*b\n");
	ck_row("", "x\\y", "b",
	    "this account -> account x*y\\b\n"
	    "the account in any domain: -> account b\n");
	ck_row("", "D", "\\",
	    "this account -> account D\\*\n"
	    "the account in any domain: -> account *\\*\n");
	/* Refused: blanks at the ends, control characters, bad UTF-8. */
	ck_row("", "", " alice ", "");
	ck_row("", "D", "a\tb", "");
	ck_row("", "D", "\x1b[31m", "");
	ck_row("", "D", "\xc3", "");
	ck_row("203.0.113.7", "D", "\x1b[31m",
	    "this address -> ip 203.0.113.7\n"
	    "its network -> ip 203.0.113.0/24\n");
}
END_TEST

START_TEST(test_network)
{
	static const char *const cases[][2] = {
		{ "203.0.113.7", "203.0.113.0/24" },
		{ "10.1.2.3", "10.1.2.0/24" },
		{ "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64" },
		{ "2001:DB8:0:0:0:0:0:1", "2001:db8::/64" },
		{ "fe80::1", "fe80::/64" },
		{ "::ffff:1.2.3.4", "1.2.3.0/24" },
		{ "::", "::/64" },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff::/64" },
		{ "fe80::1%eth0", "fe80::/64" },
		{ "fe80::1%", NULL },
		{ "1.2.3.0/24", NULL },
		{ "", NULL },
		{ "1.2.3", NULL },
		{ "01.2.3.4", NULL },
		{ "1.2.3.4/32", NULL },
		{ "junk", NULL },
	};
	size_t i;
	char *got;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = proposal_network(cases[i][0]);
		if (cases[i][1] == NULL)
			ck_assert_msg(got == NULL, "%s: %s", cases[i][0], got);
		else {
			ck_assert_msg(got != NULL, "%s: NULL", cases[i][0]);
			ck_assert_str_eq(got, cases[i][1]);
		}
		free(got);
	}
}
END_TEST

/* A device rule is offered for the device given, and removes it. */
START_TEST(test_device)
{
	struct proposal p[PROPOSAL_MAX];
	size_t n;

	n = proposal_for_row("", "", "", "ws-1", p);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(p[0].kind, EXCL_DEVICE);
	ck_assert_str_eq(p[0].text, "ws-1");
	ck_assert_str_eq(p[0].what, "this device");
	ck_assert(removes_row(&p[0], "", "", ""));
	proposal_free(p, n);
	/* None without a device, or for one the exclusions refuse. */
	ck_assert_uint_eq(proposal_for_row("", "", "", NULL, p), 0);
	ck_assert_uint_eq(proposal_for_row("", "", "", "", p), 0);
	ck_assert_uint_eq(proposal_for_row("", "", "", "ws\x1b[2J", p), 0);
}
END_TEST

/* Loads dir's three exports (or only logons) and runs the hunt. */
static struct table_data *
hunt_load(struct hunt *h, const char *logons, const char *network,
    const char *identity)
{
	struct load_opts o = { 0 };
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct table_data *d = table_data_new();
	struct load_input in[3];
	size_t n = 0;
	char *cause = NULL;

	in[n].path = (char *)logons;
	in[n++].table = LH_LOGONS;
	if (network != NULL) {
		in[n].path = (char *)network;
		in[n++].table = LH_NETWORK;
	}
	if (identity != NULL) {
		in[n].path = (char *)identity;
		in[n++].table = LH_IDENTITY;
	}
	ck_assert_msg(load_all(d, in, n, &o, &cause) == 0, "%s", cause);
	hunt_run(h, d, &ho);
	hunt_apply(h, NULL);
	return d;
}

/* 1 if the hunt, with p as its only rule, no longer shows the group (for
 * a device rule made from an event: no longer counts the event). */
static int
hunt_drops(struct hunt *h, uint32_t group, long event,
    const struct proposal *p)
{
	struct excl_set *set = excl_new_empty("/nonexistent/exclusions");
	struct excl_matcher *m;
	struct hunt_filter f;
	char *cause = NULL;
	int gone;

	ck_assert_msg(excl_rule_add(set, 0, p->kind, p->text, NULL, 0,
	    &cause) >= 0, "%s: %s", p->text, cause);
	m = excl_compile(set, time(NULL));
	exclfilter_init(&f, set, m);
	hunt_apply(h, &f);
	gone = event >= 0 && p->kind == EXCL_DEVICE ?
	    !hunt_event_kept(h, (uint32_t)event) : h->g[group].count == 0;
	hunt_apply(h, NULL);
	excl_matcher_free(m);
	excl_free(set);
	return gone;
}

struct tally {
	size_t groups, proposals, ip, device;
};

/* Every proposal for every group of the hunt, and for up to three events
 * of each, must take its row away; a group whose address the matcher
 * reads must be offered its address. */
static void
ck_every_row(struct hunt *h, struct tally *t)
{
	struct proposal p[PROPOSAL_MAX];
	struct iptrie_addr a;
	size_t gi, i, n, e;
	long ev;

	for (gi = 0; gi < h->ng; gi++) {
		const struct lh_group *g = &h->g[gi];
		const char *ip = strtab_str(h->d->st, g->key[K_REMOTEIP]);

		if (g->count == 0)
			continue;
		t->groups++;
		for (e = 0; e <= 3 && e <= g->ev_n; e++) {
			ev = e == 0 ? -1 : (long)h->order[g->ev_off + e - 1];
			n = proposal_for_group(h, (uint32_t)gi, ev, p);
			if (iptrie_parse(ip, strlen(ip), &a) == 0)
				ck_assert_msg(n > 0 && p[0].kind == EXCL_IP,
				    "group %zu (%s): no address proposed", gi, ip);
			for (i = 0; i < n; i++) {
				ck_assert_msg(hunt_drops(h, (uint32_t)gi, ev, &p[i]),
				    "group %zu (ip '%s' account '%s\\%s') event %ld: "
				    "%s %s '%s' keeps it", gi, ip,
				    strtab_str(h->d->st, g->key[K_DOMAIN]),
				    strtab_str(h->d->st, g->key[K_NAME]), ev,
				    p[i].what, excl_kind_name(p[i].kind), p[i].text);
				t->proposals++;
				t->ip += p[i].kind == EXCL_IP;
				t->device += p[i].kind == EXCL_DEVICE;
			}
			proposal_free(p, n);
		}
	}
}

START_TEST(test_every_row_of_the_sample)
{
	const char *top = getenv("top_srcdir");
	char *l, *nw, *id;
	struct table_data *d;
	struct hunt h;
	struct tally t = { 0 };

	l = xasprintf("%s/data/DeviceLogonEvents.csv", top ? top : "..");
	nw = xasprintf("%s/data/DeviceNetworkInfo.csv", top ? top : "..");
	id = xasprintf("%s/data/IdentityLogonEvents.csv", top ? top : "..");
	d = hunt_load(&h, l, nw, id);
	ck_every_row(&h, &t);
	/* The sample's 240 groups (no exclusions), each with an address and
	 * most with an account and one device. */
	ck_assert_uint_eq(t.groups, 240);
	ck_assert_uint_gt(t.ip, 2 * 240 * 2);
	ck_assert_uint_gt(t.device, 240);
	ck_assert_uint_gt(t.proposals, 1500);
	hunt_free(&h);
	table_data_free(d);
	free(l);
	free(nw);
	free(id);
}
END_TEST

/* Rows with the addresses, accounts and devices that used to defeat the
 * proposals, and worse. */
START_TEST(test_every_hostile_row)
{
	static const char *const ips[] = {
		"0:0:0:0:0:ffff:102:304", "::ffff:1.2.3.4", "::FFFF:5.6.7.8",
		"::1", "1.2.3.0/24", "fe80::1%eth0", "fe80::2%25", "2001:DB8::1",
		"64:ff9b::203.0.113.7", "::1.2.3.4", "001.002.003.004",
		" 9.9.9.9", "9.9.9.9\x1b[2J", "", "-", "::", "0.0.0.0",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe80::1%",
	};
	static const char *const accts[][2] = {
		{ "D", "a\\b" }, { "", "a\\b" }, { "x\\y", "b" },
		{ "D", "\\" }, { "D", "svc*" }, { "D*", "a" }, { "D", "[x]" },
		{ "D", "a#b" }, { "", "" }, { "NT AUTHORITY", "ANONYMOUS LOGON" },
		{ "D", "\xc3\xa9" }, { "D", "\x1b[31m" }, { "D", " alice " },
		{ "D", "a\"b" },
	};
	static const char *const devs[] = {
		"ws-1", "WS-1", "ws*", "ws\\x", "", "ws\x1b[2J", "a#b",
	};
	struct buf b = { 0 };
	struct table_data *d;
	struct hunt h;
	struct tally t = { 0 };
	size_t i, j, k;
	char *path;

	buf_addf(&b, "Timestamp,DeviceId,DeviceName,ActionType,LogonType,"
	    "AccountDomain,AccountName,RemoteIP,RemoteIPType\n");
	for (i = 0; i < sizeof ips / sizeof ips[0]; i++)
		for (j = 0; j < sizeof accts / sizeof accts[0]; j++) {
			k = (i + j) % (sizeof devs / sizeof devs[0]);
			buf_addf(&b, "2024-01-01T00:00:00Z,id%zu,", k);
			/* Quoted as RFC 4180 says: a quote doubled. */
			buf_addf(&b, "\"%s\",LogonFailed,Network,", devs[k]);
			buf_addf(&b, "\"%s\",", accts[j][0]);
			buf_add(&b, "\"", 1);
			for (const char *c = accts[j][1]; *c; c++)
				buf_add(&b, c, *c == '"' ? 1 : 0), buf_add(&b, c, 1);
			buf_addf(&b, "\",\"%s\",Public\n", ips[i]);
		}
	path = tu_write_str("DeviceLogonEvents.csv", b.p);
	buf_free(&b);
	d = hunt_load(&h, path, NULL, NULL);
	ck_every_row(&h, &t);
	ck_assert_uint_eq(t.groups, (sizeof ips / sizeof ips[0]) *
	    (sizeof accts / sizeof accts[0]));
	ck_assert_uint_gt(t.device, 0);
	hunt_free(&h);
	table_data_free(d);
	free(path);
}
END_TEST

static Suite *
proposal_suite(void)
{
	Suite *s = suite_create("proposal");
	TCase *tc = tcase_create("row");

	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_add_test(tc, test_ordinary_rows);
	tcase_add_test(tc, test_mapped_addresses);
	tcase_add_test(tc, test_not_addresses);
	tcase_add_test(tc, test_accounts);
	tcase_add_test(tc, test_network);
	tcase_add_test(tc, test_device);
	suite_add_tcase(s, tc);
	/* Thousands of hunts: slow under a sanitizer on a busy machine. */
	tc = tcase_create("every row");
	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_every_row_of_the_sample);
	tcase_add_test(tc, test_every_hostile_row);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(proposal_suite());
}
