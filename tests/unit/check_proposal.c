/* Unit tests of the rule proposals from a result row (what the console's e
 * key offers): for ordinary, odd and hostile addresses and accounts, what
 * is proposed, and whether the proposed rule, saved and read back, really
 * removes the row it came from. The networks were checked against
 * Python's ipaddress (ip_network(f"{a}/24 or /64", strict=False)). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "excl.h"
#include "proposal.h"
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
	size_t n = proposal_for_row(ip, domain, name, p), i;

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

/* An IPv4-mapped address: the exclusions refuse it as a rule (write it as
 * IPv4), and its /64 is ::/64, an IPv6 range that does not hold the row,
 * which the matcher compares as IPv4 1.2.3.4. */
START_TEST(test_mapped_addresses)
{
	ck_row("::ffff:1.2.3.4", "", "",
	    "its network -> ip ::/64 (keeps the row)\n");
	ck_row("0:0:0:0:0:ffff:102:304", "", "",
	    "its network -> ip ::/64 (keeps the row)\n");
	ck_row("::FFFF:1.2.3.4", "C", "bob",
	    "its network -> ip ::/64 (keeps the row)\n"
	    "this account -> account C\\bob\n"
	    "the account in any domain: -> account bob\n");
}
END_TEST

/* What is not an address as a rule would have it gets no ip proposal. */
START_TEST(test_not_addresses)
{
	/* The matcher ignores a zone, but a rule may not have one. */
	ck_row("fe80::1%eth0", "", "", "");
	ck_row("fe80::1%eth0", "C", "bob",
	    "this account -> account C\\bob\n"
	    "the account in any domain: -> account bob\n");
	ck_row("192.0.2.1%eth0", "", "", "");
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
	/* A range as the RemoteIP: proposed as it is, but the matcher
	 * takes no range for an address. */
	ck_row("1.2.3.0/24", "", "",
	    "this address -> ip 1.2.3.0/24 (keeps the row)\n");
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
	/* A '\' in the name: DOMAIN\a\b is refused, and a\b alone reads as
	 * the domain a and the name b. */
	ck_row("", "D", "a\\b",
	    "the account in any domain: -> account a\\b (keeps the row)\n");
	ck_row("", "", "a\\b",
	    "the account in any domain: -> account a\\b (keeps the row)\n");
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
		{ "::ffff:1.2.3.4", "::/64" },
		{ "::", "::/64" },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff::/64" },
		{ "fe80::1%eth0", NULL },
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
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(proposal_suite());
}
