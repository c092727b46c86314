/* Unit tests of the exclusions: file parsing and its error messages,
 * matching (addresses, accounts, devices, expiry, precedence, junk input),
 * line-preserving saves, refusal to clobber, crash safety, import and KQL. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "excl.h"
#include "iptrie.h"
#include "util.h"

#include "testutil.h"

/* ------------------------------------------------------------ helpers */

/* The crash test kills the process at the moment util_write_atomic()
 * renames its finished temp file over this path: the same window a power
 * cut or SIGKILL would hit. The program links this definition of rename()
 * in place of libc's. */
static const char *kill_on_rename_to;

int rename(const char *from, const char *to);
int
rename(const char *from, const char *to)
{
	if (kill_on_rename_to != NULL && strcmp(to, kill_on_rename_to) == 0)
		raise(SIGKILL);
	return renameat(AT_FDCWD, from, AT_FDCWD, to);
}

/* Loads text as an exclusions file; fails the test on a parse error. */
static struct excl_set *
load_text(const char *text)
{
	struct excl_set *s = NULL;
	char *path = tu_path("exclusions"), *cause = NULL;

	tu_write_text(path, text);
	if (excl_load(path, &s, &cause) != 0)
		ck_abort_msg("load failed: %s", cause);
	free(path);
	return s;
}

/* Expects text to be rejected with want in the message, at that line. */
static void
expect_bad(const char *text, int line, const char *want)
{
	struct excl_set *s = (struct excl_set *)1;
	char *path = tu_path("bad"), *cause = NULL, *where;

	tu_write_text(path, text);
	ck_assert_int_eq(excl_load(path, &s, &cause), -1);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(cause);
	where = xasprintf("%s:%d: ", path, line);
	ck_assert_msg(strstr(cause, where) != NULL, "want '%s' in '%s'", where,
	    cause);
	ck_assert_msg(strstr(cause, want) != NULL, "want '%s' in '%s'", want,
	    cause);
	free(where);
	free(cause);
	free(path);
}

static time_t
day(const char *ymd)
{
	time_t t;
	char *cause = NULL;

	ck_assert_msg(excl_date_parse(ymd, &t, &cause) == 0, "%s", cause);
	return t;
}

static long
mip(const struct excl_matcher *m, const char *ip)
{
	return excl_match_ip(m, ip, strlen(ip));
}

static long
macct(const struct excl_matcher *m, const char *d, const char *n)
{
	return excl_match_account(m, d, strlen(d), n, strlen(n));
}

static long
mdev(const struct excl_matcher *m, const char *d)
{
	return excl_match_device(m, d, strlen(d));
}

/* ------------------------------------------------------------ parsing */

static const char sample[] =
    "# logonhunt exclusions\n"
    "\n"
    "[maintenance]\n"
    "ip 91.218.114.0/24  # patch orchestrator egress\n"
    "account CONTOSO\\svc_patch*\n"
    "\n"
    "[siem]\n"
    "enabled = no   # collectors being replaced\n"
    "ip 157.97.109.40 until=2030-01-31 # Splunk\n"
    "!ip 2001:db8::/32\n"
    "\n"
    "# RDS gateways\n"
    "[rds]\n"
    "\tip   194.153.110.20/31\n"
    "device \"RDS GW#1\"\n"
    "account \"NT AUTHORITY\\ANONYMOUS LOGON\"\n"
    "\n"
    "[lab-net_2]\n"
    "description = Test lab uplinks\n"
    "IP 198.51.100.0/24\n";

START_TEST(test_parse_sample)
{
	struct excl_set *s;
	long lab;
	char date[11];

	s = load_text(sample);
	ck_assert_int_eq(excl_rule_count(s), 8);
	ck_assert_int_eq(excl_category_count(s), 6);
	ck_assert_str_eq(excl_category_name(s, 0), "maintenance");
	ck_assert_str_eq(excl_category_name(s, 4), "backup");
	ck_assert(excl_category_builtin(s, 4));
	lab = excl_category_find(s, "lab-net_2");
	ck_assert_int_eq(lab, 5);
	ck_assert(!excl_category_builtin(s, 5));
	ck_assert_str_eq(excl_category_description(s, 5), "Test lab uplinks");
	ck_assert_int_eq(excl_category_rule_count(s, 5), 1);
	ck_assert(!excl_category_enabled(s, 1));
	ck_assert(excl_category_enabled(s, 0));

	ck_assert_int_eq(excl_rule_kind(s, 0), EXCL_IP);
	ck_assert_str_eq(excl_rule_text(s, 0), "91.218.114.0/24");
	ck_assert_str_eq(excl_rule_note(s, 0), "patch orchestrator egress");
	ck_assert_int_eq(excl_rule_line(s, 0), 4);
	ck_assert_int_eq(excl_rule_kind(s, 1), EXCL_ACCOUNT);
	ck_assert_str_eq(excl_rule_text(s, 1), "CONTOSO\\svc_patch*");
	ck_assert_str_eq(excl_rule_note(s, 1), "");
	ck_assert_int_eq(excl_rule_category(s, 2), 1);
	excl_date_format(excl_rule_until(s, 2), date);
	ck_assert_str_eq(date, "2030-01-31");
	ck_assert_str_eq(excl_rule_note(s, 2), "Splunk");
	ck_assert(!excl_rule_enabled(s, 3));
	ck_assert_int_eq(excl_rule_state(s, 3, day("2026-01-01")), EXCL_DISABLED);
	ck_assert_int_eq(excl_rule_state(s, 2, day("2026-01-01")),
	    EXCL_CATEGORY_OFF);
	ck_assert_str_eq(excl_rule_text(s, 4), "194.153.110.20/31");
	ck_assert_int_eq(excl_rule_kind(s, 5), EXCL_DEVICE);
	ck_assert_str_eq(excl_rule_text(s, 5), "RDS GW#1");
	ck_assert_str_eq(excl_rule_text(s, 6), "NT AUTHORITY\\ANONYMOUS LOGON");
	ck_assert_int_eq(excl_rule_state(s, 7, day("2026-01-01")), EXCL_ACTIVE);
	ck_assert(!excl_has_errors(s));
	ck_assert(!excl_is_modified(s));
	excl_free(s);
}
END_TEST

START_TEST(test_parse_errors)
{
	/* addresses */
	expect_bad("[siem]\nip 10.1.2.3/8\n", 2, "host bits set: the network "
	    "it lies in is 10.0.0.0/8");
	expect_bad("[siem]\nip 2001:db8::1/32\n", 2, "2001:db8::/32");
	expect_bad("[siem]\nip 300.1.1.1\n", 2, "not an IPv4 address");
	expect_bad("[siem]\nip 10.0.0\n", 2, "not an IPv4 address");
	expect_bad("[siem]\nip 01.2.3.4\n", 2, "leading zeros");
	expect_bad("[siem]\nip 10.0.0.0/33\n", 2, "at most 32");
	expect_bad("[siem]\nip 2001:db8::/129\n", 2, "at most 128");
	expect_bad("[siem]\nip 10.0.0.0/255.0.0.0\n", 2, "prefix length");
	expect_bad("[siem]\nip 10.0.0.0/-1\n", 2, "prefix length");
	expect_bad("[siem]\nip 10.0.0.0/\n", 2, "prefix length");
	expect_bad("[siem]\nip 10.0.0.0/08\n", 2, "prefix length");
	expect_bad("[siem]\nip /8\n", 2, "no address");
	expect_bad("[siem]\nip 2001:db8:::1\n", 2, "not a valid IPv6");
	expect_bad("[siem]\nip fe80::1%eth0\n", 2, "zone index");
	expect_bad("[siem]\nip ::ffff:192.0.2.0/120\n", 2, "write it as IPv4 "
	    "(192.0.2.0/24)");
	expect_bad("[siem]\nip host.example\n", 2, "not an IP address");
	/* dates */
	expect_bad("[siem]\nip 1.2.3.4 until=2026-02-30\n", 2, "days 01 to 28");
	expect_bad("[siem]\nip 1.2.3.4 until=2026-13-01\n", 2, "no month 13");
	expect_bad("[siem]\nip 1.2.3.4 until=31.12.2026\n", 2, "YYYY-MM-DD");
	expect_bad("[siem]\nip 1.2.3.4 until=1999-12-31\n", 2, "between 2000");
	expect_bad("[siem]\nip 1.2.3.4 until=2026-01-01 until=2027-01-01\n", 2,
	    "two until");
	/* structure */
	expect_bad("[siem]\nhost foo\n", 2, "unknown rule kind 'host'");
	expect_bad("ip 1.2.3.4\n", 1, "rule outside a section");
	expect_bad("# only a comment\nenabled = no\n", 2, "outside a section");
	expect_bad("[Siem]\n", 1, "lower case: write 'siem'");
	expect_bad("[bad name]\n", 1, "not a valid category name");
	expect_bad("[siem\n", 1, "missing ']'");
	expect_bad("[siem] trailing\n", 1, "unexpected 'trailing'");
	expect_bad("[siem]\n\n[siem]\n", 3, "appears twice (first on line 1)");
	expect_bad("[siem]\nenabled = maybe\n", 2, "expected yes or no");
	expect_bad("[siem]\nenabled = no\nenabled = yes\n", 3, "second 'enabled'");
	expect_bad("[siem]\nenabled no\n", 2, "expected '='");
	expect_bad("[siem]\n!enabled = no\n", 2, "'!' disables rules");
	expect_bad("[siem]\nip\n", 2, "no value");
	expect_bad("[siem]\nip # note only\n", 2, "no value");
	expect_bad("[siem]\naccount \"CONTOSO\\x\n", 2, "no closing");
	expect_bad("[siem]\naccount \"a\"b\n", 2, "right after the closing");
	expect_bad("[siem]\nip 1.2.3.4 junk\n", 2, "unexpected 'junk'");
	expect_bad("[siem]\naccount A\\B\\C\n", 2, "more than one");
	expect_bad("[siem]\naccount \\name\n", 2, "empty domain");
	expect_bad("[siem]\naccount CONTOSO\\\n", 2, "empty account name");
	expect_bad("[siem]\ndevice a\\b\n", 2, "cannot contain");
	expect_bad("[siem]\ndevice \"\"\n", 2, "empty");
	expect_bad("[siem]\ndevice \" x\"\n", 2, "space");
	expect_bad("[siem]\ndevice \"\xff\xfe\"\n", 2, "UTF-8");
	expect_bad("[siem]\n= 3\n", 2, "cannot read");
}
END_TEST

START_TEST(test_parse_nul_and_many_errors)
{
	struct excl_set *s = NULL;
	char *path, *cause = NULL;
	static const char nul_file[] = "[siem]\nip 1.2.3.4\0 junk\n";
	int fd;

	path = tu_path("nul");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, nul_file, sizeof nul_file - 1),
	    (ssize_t)sizeof nul_file - 1);
	close(fd);
	ck_assert_int_eq(excl_load(path, &s, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, ":2: the line contains a NUL byte"));
	free(cause);
	free(path);

	/* Every bad line is reported, not just the first. */
	path = tu_path("many");
	tu_write_text(path, "[siem]\nip 1.2.3.400\nip 1.2.3.4\nbogus\n[x y]\n");
	cause = NULL;
	ck_assert_int_eq(excl_load(path, &s, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, ":2: "));
	ck_assert_ptr_null(strstr(cause, ":3: "));
	ck_assert_ptr_nonnull(strstr(cause, ":4: "));
	ck_assert_ptr_nonnull(strstr(cause, ":5: "));
	free(cause);

	/* The lenient load keeps what parsed, but will not save. */
	cause = NULL;
	ck_assert_int_eq(excl_load_lenient(path, &s, &cause), -1);
	ck_assert_ptr_nonnull(s);
	free(cause);
	ck_assert(excl_has_errors(s));
	ck_assert_int_eq(excl_rule_count(s), 1);
	ck_assert_str_eq(excl_rule_text(s, 0), "1.2.3.4");
	ck_assert_int_ge(excl_rule_add(s, 1, EXCL_IP, "5.6.7.8", NULL, 0,
	    &cause), 0);
	cause = NULL;
	ck_assert_int_eq(excl_save(s, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "could not be read"));
	free(cause);
	excl_free(s);
	cause = tu_read_file(path);
	ck_assert_str_eq(cause, "[siem]\nip 1.2.3.400\nip 1.2.3.4\nbogus\n[x y]\n");
	free(cause);
	free(path);
}
END_TEST

START_TEST(test_missing_file_is_empty)
{
	struct excl_set *s = NULL;
	char *path, *cause = NULL;

	path = tu_path("no/such/dir/exclusions");
	ck_assert_int_eq(excl_load(path, &s, &cause), 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(excl_rule_count(s), 0);
	ck_assert_int_eq(excl_category_count(s), 5);
	/* Saving creates the directories. */
	ck_assert_int_ge(excl_rule_add(s, 0, EXCL_IP, "192.0.2.1", "x", 0,
	    &cause), 0);
	ck_assert_msg(excl_save(s, &cause) == 0, "%s", cause);
	excl_free(s);
	s = NULL;
	ck_assert_int_eq(excl_load(path, &s, &cause), 0);
	ck_assert_int_eq(excl_rule_count(s), 1);
	excl_free(s);
	free(path);
}
END_TEST

START_TEST(test_dates)
{
	time_t t;
	char *cause = NULL, out[11];

	ck_assert_int_eq(excl_date_parse("2024-02-29", &t, &cause), 0);
	excl_date_format(t, out);
	ck_assert_str_eq(out, "2024-02-29");
	ck_assert_int_eq(t % 86400, 0);
	ck_assert_int_eq(excl_date_parse("2000-01-01", &t, &cause), 0);
	ck_assert_int_eq(t, 946684800);
	ck_assert_int_eq(excl_date_parse("2023-02-29", &t, &cause), -1);
	free(cause);
	ck_assert_int_eq(excl_date_parse("2100-02-29", &t, &cause), -1);
	free(cause);
	ck_assert_int_eq(excl_date_parse("2026-1-01", &t, &cause), -1);
	free(cause);
	ck_assert_int_eq(excl_date_parse("2026-01-01x", &t, &cause), -1);
	free(cause);
	ck_assert_int_eq(excl_date_parse("", &t, &cause), -1);
	free(cause);
}
END_TEST

START_TEST(test_rule_spec)
{
	enum excl_kind k;
	char *text = NULL, *cause = NULL;

	ck_assert_int_eq(excl_rule_parse_spec("203.0.113.0/24", &k, &text,
	    &cause), 0);
	ck_assert_int_eq(k, EXCL_IP);
	free(text);
	ck_assert_int_eq(excl_rule_parse_spec("2001:db8::/48", &k, &text,
	    &cause), 0);
	ck_assert_int_eq(k, EXCL_IP);
	free(text);
	ck_assert_int_eq(excl_rule_parse_spec("CONTOSO\\svc_*", &k, &text,
	    &cause), 0);
	ck_assert_int_eq(k, EXCL_ACCOUNT);
	ck_assert_str_eq(text, "CONTOSO\\svc_*");
	free(text);
	ck_assert_int_eq(excl_rule_parse_spec("account:svc_backup", &k, &text,
	    &cause), 0);
	ck_assert_int_eq(k, EXCL_ACCOUNT);
	ck_assert_str_eq(text, "svc_backup");
	free(text);
	ck_assert_int_eq(excl_rule_parse_spec("device:db01*", &k, &text,
	    &cause), 0);
	ck_assert_int_eq(k, EXCL_DEVICE);
	free(text);
	ck_assert_int_eq(excl_rule_parse_spec("ip:10.0.0.0/8", &k, &text,
	    &cause), 0);
	ck_assert_int_eq(k, EXCL_IP);
	ck_assert_str_eq(text, "10.0.0.0/8");
	free(text);
	/* A bare name is ambiguous; an address-like typo is an ip error. */
	ck_assert_int_eq(excl_rule_parse_spec("db01", &k, &text, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "device:db01"));
	free(cause);
	ck_assert_int_eq(excl_rule_parse_spec("10.1.2.3/8", &k, &text, &cause),
	    -1);
	ck_assert_ptr_nonnull(strstr(cause, "host bits"));
	free(cause);
	ck_assert_int_eq(excl_rule_parse_spec("10", &k, &text, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "not an IPv4 address"));
	free(cause);
}
END_TEST

/* ------------------------------------------------------------ matching */

START_TEST(test_match_ipv4_boundaries)
{
	struct excl_set *s;
	struct excl_matcher *m;

	s = load_text("[siem]\nip 10.0.0.0/8\nip 192.0.2.7\nip 198.51.100.0/31\n"
	    "ip 255.255.255.255/32\nip 254.0.0.0/7\nip 0.0.0.0/32\n");
	m = excl_compile(s, day("2026-01-01"));
	ck_assert_int_eq(excl_matcher_size(m), 6);
	ck_assert_int_eq(mip(m, "9.255.255.255"), -1);
	ck_assert_int_eq(mip(m, "10.0.0.0"), 0);
	ck_assert_int_eq(mip(m, "10.128.3.4"), 0);
	ck_assert_int_eq(mip(m, "10.255.255.255"), 0);
	ck_assert_int_eq(mip(m, "11.0.0.0"), -1);
	ck_assert_int_eq(mip(m, "192.0.2.6"), -1);
	ck_assert_int_eq(mip(m, "192.0.2.7"), 1);
	ck_assert_int_eq(mip(m, "192.0.2.8"), -1);
	ck_assert_int_eq(mip(m, "198.51.100.0"), 2);
	ck_assert_int_eq(mip(m, "198.51.100.1"), 2);
	ck_assert_int_eq(mip(m, "198.51.100.2"), -1);
	/* The top of the address space, where interval ends cannot grow. */
	ck_assert_int_eq(mip(m, "255.255.255.255"), 3);
	ck_assert_int_eq(mip(m, "255.255.255.254"), 4);
	ck_assert_int_eq(mip(m, "254.0.0.0"), 4);
	ck_assert_int_eq(mip(m, "253.255.255.255"), -1);
	ck_assert_int_eq(mip(m, "0.0.0.0"), 5);
	ck_assert_int_eq(mip(m, "0.0.0.1"), -1);
	/* IPv4-mapped IPv6 matches the IPv4 rules. */
	ck_assert_int_eq(mip(m, "::ffff:10.1.2.3"), 0);
	ck_assert_int_eq(mip(m, "::FFFF:192.0.2.7"), 1);
	ck_assert_int_eq(mip(m, "::ffff:c000:207"), 1);
	ck_assert_int_eq(mip(m, "::10.1.2.3"), -1);	/* IPv4-compatible: no */
	excl_matcher_free(m);
	excl_free(s);
}
END_TEST

START_TEST(test_match_ipv6_and_default_routes)
{
	struct excl_set *s;
	struct excl_matcher *m;

	s = load_text("[siem]\nip 2001:db8::/32\nip 2001:db8:1::1\n"
	    "ip fe80::/10\nip ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128\n"
	    "[backup]\nip 0.0.0.0/0\n[rds]\nip ::/0\n");
	m = excl_compile(s, day("2026-01-01"));
	ck_assert_int_eq(mip(m, "2001:db8::"), 0);
	ck_assert_int_eq(mip(m, "2001:DB8:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF"), 0);
	ck_assert_int_eq(mip(m, "2001:db8:1::1"), 1);
	ck_assert_int_eq(mip(m, "2001:db8:1::2"), 0);
	ck_assert_int_eq(mip(m, "2001:0db8:0001:0000:0000:0000:0000:0001"), 1);
	ck_assert_int_eq(mip(m, "2001:db9::"), 5);	/* only ::/0 */
	ck_assert_int_eq(mip(m, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"), 5);
	ck_assert_int_eq(mip(m, "fe80::1%eth0"), 2);	/* zone ignored */
	ck_assert_int_eq(mip(m, "febf:ffff::1"), 2);
	ck_assert_int_eq(mip(m, "fec0::1"), 5);
	ck_assert_int_eq(mip(m, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 3);
	/* /0 of one family does not reach the other. */
	ck_assert_int_eq(mip(m, "203.0.113.9"), 4);
	ck_assert_int_eq(mip(m, "::ffff:203.0.113.9"), 4);
	ck_assert_int_eq(mip(m, "::"), 5);
	excl_matcher_free(m);
	excl_free(s);
}
END_TEST

START_TEST(test_match_garbage)
{
	static const char *junk[] = {
		"", "-", " ", "10.0.0.1 ", " 10.0.0.1", "10.0.0", "10.0.0.0.1",
		"256.0.0.1", "01.0.0.1", "10.0.0.1/32", "10.0.0.01", "1e1.0.0.1",
		"::ffff:", "%", "fe80::1%", ":::", "[::1]", "10.0.0.1:80",
		"::ffff:10.0.0.256", "0x0a.0.0.1", "10..0.1", ".10.0.0.1",
		"10.0.0.1.", "1:2:3:4:5:6:7:8:9", "gggg::", "\xff\xfe", "10.0.0.\x01",
		"%eth0", "NaN", "null", "10.0.0.1\n",
	};
	struct excl_set *s;
	struct excl_matcher *m;
	char big[2000], *heap;
	size_t i;

	s = load_text("[siem]\nip 0.0.0.0/0\nip ::/0\n");
	m = excl_compile(s, day("2026-01-01"));
	for (i = 0; i < sizeof junk / sizeof junk[0]; i++)
		ck_assert_msg(mip(m, junk[i]) == -1, "matched junk '%s'", junk[i]);
	memset(big, '1', sizeof big);
	ck_assert_int_eq(excl_match_ip(m, big, sizeof big), -1);
	memset(big, ':', sizeof big);
	ck_assert_int_eq(excl_match_ip(m, big, sizeof big), -1);
	/* Counted strings: a NUL inside, and no terminator at all. */
	ck_assert_int_eq(excl_match_ip(m, "10.0.0.1\0junk", 13), -1);
	heap = xmalloc(8);
	memcpy(heap, "10.0.0.1", 8);
	ck_assert_int_eq(excl_match_ip(m, heap, 8), 0);
	ck_assert_int_eq(excl_match_ip(m, heap, 7), -1);	/* "10.0.0." */
	free(heap);
	ck_assert_int_eq(excl_match_ip(m, NULL, 0), -1);
	ck_assert_int_eq(excl_match_ip(NULL, "10.0.0.1", 8), -1);
	ck_assert_int_eq(excl_match_account(m, NULL, 0, NULL, 0), -1);
	ck_assert_int_eq(excl_match_device(m, "\xff", 1), -1);
	excl_matcher_free(m);
	excl_free(s);
}
END_TEST

START_TEST(test_match_precedence)
{
	struct excl_set *s;
	struct excl_matcher *m;

	/* More specific wins wherever it sits in the file; equal prefixes go
	 * to the earlier rule, whatever category it is in. */
	s = load_text("[maintenance]\nip 10.1.2.3\nip 10.0.0.0/8\n"
	    "[siem]\nip 10.1.0.0/16\n[rds]\nip 10.1.0.0/16\nip 10.1.2.0/24\n");
	m = excl_compile(s, day("2026-01-01"));
	ck_assert_int_eq(mip(m, "10.1.2.3"), 0);
	ck_assert_int_eq(mip(m, "10.1.2.4"), 4);
	ck_assert_int_eq(mip(m, "10.1.3.1"), 2);
	ck_assert_int_eq(mip(m, "10.2.0.0"), 1);
	excl_matcher_free(m);
	/* With the /16 of siem switched off, rds's copy takes over. */
	ck_assert_int_eq(excl_category_set_enabled(s, 1, 0, NULL), 0);
	m = excl_compile(s, day("2026-01-01"));
	ck_assert_int_eq(mip(m, "10.1.3.1"), 3);
	excl_matcher_free(m);
	excl_free(s);
}
END_TEST

/* Reference: the longest matching prefix, then the lowest rule index. */
struct ref_pfx {
	struct iptrie_addr a;
	int pflen;
};

static int
ref_contains(const struct ref_pfx *p, const struct iptrie_addr *a)
{
	int i, bits = p->pflen;

	if (p->a.family != a->family)
		return 0;
	for (i = 0; bits > 0; i++, bits -= 8) {
		uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
		if ((p->a.a[i] & mask) != (a->a[i] & mask))
			return 0;
	}
	return 1;
}

/* Loop 0: few prefixes, packed (plain binary search). Loop 1: enough IPv4
 * intervals for the /16 bucket index, spread over many buckets. */
START_TEST(test_iptrie_random_against_reference)
{
	const int NP = _i == 0 ? 600 : 4000, NQ = _i == 0 ? 20000 : 6000;
	const int nshared = _i == 0 ? 2 : 1;
	struct ref_pfx *p = xcalloc((size_t)NP, sizeof *p);
	struct iptrie *t = iptrie_new();
	struct iptrie_addr q;
	unsigned seed = 12345 + (unsigned)_i;
	long want, got;
	int i, j, k;

	for (i = 0; i < NP; i++) {
		int v6 = rand_r(&seed) % 3 == 0, bytes = v6 ? 16 : 4;
		p[i].a.family = v6 ? IPTRIE_V6 : IPTRIE_V4;
		/* A few leading bytes in common so that prefixes nest. */
		for (k = 0; k < bytes; k++)
			p[i].a.a[k] = (uint8_t)(k < nshared ? rand_r(&seed) % 3 :
			    rand_r(&seed));
		p[i].pflen = rand_r(&seed) % (v6 ? 129 : 33);
		if (_i == 1 && !v6 && p[i].pflen < 12)
			p[i].pflen += 12;	/* keep some addresses uncovered */
		if (i > 0 && rand_r(&seed) % 10 == 0)
			p[i] = p[rand_r(&seed) % i];	/* exact duplicate */
		iptrie_add(t, &p[i].a, p[i].pflen, i);
	}
	iptrie_build(t);
	if (_i == 1)
		ck_assert_int_ge(iptrie_intervals(t, IPTRIE_V4), 1024);
	for (j = 0; j < NQ; j++) {
		int v6 = rand_r(&seed) % 3 == 0, bytes = v6 ? 16 : 4;
		memset(&q, 0, sizeof q);
		q.family = v6 ? IPTRIE_V6 : IPTRIE_V4;
		if (j % 2 == 0) {
			/* Near a prefix boundary. */
			i = rand_r(&seed) % NP;
			if (p[i].a.family != q.family)
				continue;
			q = p[i].a;
			if (rand_r(&seed) % 2)
				for (k = bytes - 1; k >= 0 && ++q.a[k] == 0; k--)
					;
		} else
			for (k = 0; k < bytes; k++)
				q.a[k] = (uint8_t)(k < nshared ? rand_r(&seed) % 3 :
				    rand_r(&seed));
		want = -1;
		for (i = 0; i < NP; i++) {
			struct ref_pfx net = p[i];
			if (!ref_contains(&net, &q))
				continue;
			if (want < 0 || p[i].pflen > p[want].pflen)
				want = i;
		}
		got = iptrie_lookup(t, &q);
		ck_assert_msg(got == want, "query %d: got %ld want %ld", j, got,
		    want);
	}
	iptrie_free(t);
	free(p);
}
END_TEST

START_TEST(test_match_accounts)
{
	struct excl_set *s;
	struct excl_matcher *m;

	s = load_text("[maintenance]\n"
	    "account CONTOSO\\svc_patch*\n"		/* 0 */
	    "account svc_backup\n"			/* 1: any domain */
	    "account *\\admin*\n"			/* 2 */
	    "account FAB*\\a*b*c\n"			/* 3 */
	    "account \"NT AUTHORITY\\ANONYMOUS LOGON\"\n"	/* 4 */
	    "account MÜNCHEN\\jürgen\n"			/* 5 */
	    "account ДОМЕН\\ИВАН\n"			/* 6 */
	    "account CONTOSO\\svc_patch01\n"		/* 7: shadowed by 0 */
	    "device backup-01*\n"			/* 8 */
	    "device *.lab.contoso.com\n"		/* 9 */
	    "device DC01\n");				/* 10 */
	m = excl_compile(s, day("2026-01-01"));
	ck_assert_int_eq(macct(m, "CONTOSO", "svc_patch"), 0);
	ck_assert_int_eq(macct(m, "contoso", "SVC_PATCH01"), 0);
	ck_assert_int_eq(macct(m, "FABRIKAM", "svc_patch"), -1);
	ck_assert_int_eq(macct(m, "CONTOSO", "svc_patc"), -1);
	ck_assert_int_eq(macct(m, "CONTOSO", "svc_backup"), 1);
	ck_assert_int_eq(macct(m, "", "SVC_BACKUP"), 1);
	ck_assert_int_eq(macct(m, "X", "svc_backup2"), -1);
	ck_assert_int_eq(macct(m, "", "administrator"), 2);
	ck_assert_int_eq(macct(m, "ANY", "Admin"), 2);
	ck_assert_int_eq(macct(m, "ANY", "xadmin"), -1);
	ck_assert_int_eq(macct(m, "fabrikam", "abc"), 3);
	ck_assert_int_eq(macct(m, "FAB", "a-b-c"), 3);
	ck_assert_int_eq(macct(m, "FAB", "a-b-c-d"), -1);
	ck_assert_int_eq(macct(m, "FAB", "acb"), -1);
	ck_assert_int_eq(macct(m, "nt authority", "anonymous logon"), 4);
	ck_assert_int_eq(macct(m, "münchen", "JÜRGEN"), 5);
	ck_assert_int_eq(macct(m, "домен", "иван"), 6);
	ck_assert_int_eq(macct(m, "ДОМЕН", "ИВАНА"), -1);
	ck_assert_int_eq(mdev(m, "BACKUP-01.contoso.com"), 8);
	ck_assert_int_eq(mdev(m, "backup-01"), 8);
	ck_assert_int_eq(mdev(m, "backup-02"), -1);
	ck_assert_int_eq(mdev(m, "ws7.LAB.contoso.com"), 9);
	ck_assert_int_eq(mdev(m, "lab.contoso.com"), -1);
	ck_assert_int_eq(mdev(m, "dc01"), 10);
	ck_assert_int_eq(mdev(m, "dc01.contoso.com"), -1);
	/* A '*' in the data is a plain character, not a wildcard. */
	ck_assert_int_eq(mdev(m, "*"), -1);
	excl_matcher_free(m);
	excl_free(s);
}
END_TEST

/* Every capital of the scripts the man page promises folds to its small
 * letter: the pairs are written out here, not computed. */
START_TEST(test_match_fold_every_letter)
{
	static const char *const pairs[][2] = {
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz" },
		{ "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ", "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþ" },
		{ "ĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮĲĴĶ", "āăąćĉċčďđēĕėęěĝğġģĥħĩīĭįĳĵķ" },
		{ "ĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ", "ĺļľŀłńņňŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷÿźżž" },
		{ "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ", "αβγδεζηθικλμνξοπρστυφχψω" },
		{ "ΆΈΉΊΌΎΏ", "άέήίόύώ" },
		{ "ЀЁЂЃЄЅІЇЈЉЊЋЌЍЎЏ", "ѐёђѓєѕіїјљњћќѝўџ" },
		{ "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ", "абвгдежзийклмнопрстуфхцчшщъыьэюя" },
	};
	size_t i;

	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		char *text = xasprintf("[maintenance]\naccount %s\ndevice %s\n",
		    pairs[i][0], pairs[i][1]);
		struct excl_set *s = load_text(text);
		struct excl_matcher *m = excl_compile(s, day("2026-01-01"));

		ck_assert_msg(macct(m, "D", pairs[i][1]) == 0, "%s does not match %s",
		    pairs[i][0], pairs[i][1]);
		ck_assert_msg(mdev(m, pairs[i][0]) == 1, "%s does not match %s",
		    pairs[i][1], pairs[i][0]);
		excl_matcher_free(m);
		excl_free(s);
		free(text);
	}
}
END_TEST

/* Ranges whose prefix is not a whole number of bytes, at both edges, for
 * the matcher and for check alike. */
START_TEST(test_match_odd_prefixes)
{
	static const struct {
		const char *ip;
		int rule;
	} cases[] = {
		{ "10.0.15.255", -1 }, { "10.0.16.0", 0 }, { "10.0.31.255", 0 },
		{ "10.0.32.0", -1 }, { "192.0.2.127", -1 }, { "192.0.2.128", 1 },
		{ "192.0.2.191", 1 }, { "192.0.2.192", -1 },
		{ "172.16.0.0", 2 }, { "172.31.255.255", 2 }, { "172.32.0.0", -1 },
		{ "172.15.255.255", -1 },
		{ "2001:db8::ffff:ffff", -1 }, { "2001:db8::1:0:0", 3 },
		{ "2001:db8::1:1:ffff", 3 }, { "2001:db8::1:2:0", -1 },
		{ "2001:db8::2:0:0", -1 },
		{ "2001:db8:0:7fff::", -1 }, { "2001:db8:0:8000::", 4 },
		{ "2001:db8:0:ffff:ffff:ffff:ffff:ffff", 4 },
		{ "2001:db8:1::", -1 },
	};
	struct excl_set *s;
	struct excl_matcher *m;
	struct excl_hit *hits;
	size_t i, n;

	s = load_text("[siem]\nip 10.0.16.0/20\nip 192.0.2.128/26\nip 172.16.0.0/12\n"
	    "ip 2001:db8::1:0:0/111\nip 2001:db8:0:8000::/49\n");
	m = excl_compile(s, day("2026-01-01"));
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_msg(mip(m, cases[i].ip) == cases[i].rule, "%s: rule %ld",
		    cases[i].ip, mip(m, cases[i].ip));
		n = excl_check(s, day("2026-01-01"), cases[i].ip, NULL, NULL, NULL, &hits);
		ck_assert_msg(n == (cases[i].rule >= 0), "check %s: %zu hits",
		    cases[i].ip, n);
		if (n)
			ck_assert_int_eq(hits[0].rule, cases[i].rule);
		excl_hits_free(hits, n);
	}
	excl_matcher_free(m);
	excl_free(s);
}
END_TEST

START_TEST(test_match_expiry_disabled_category)
{
	struct excl_set *s;
	struct excl_matcher *m;
	struct excl_hit *hits;
	size_t n;
	time_t last = day("2026-06-30");

	s = load_text("[siem]\nip 192.0.2.0/24 until=2026-06-30\n"
	    "!ip 198.51.100.0/24\n"
	    "[rds]\nenabled = no\nip 203.0.113.0/24\n"
	    "[backup]\naccount svc_veeam until=2026-06-30\n");
	/* Through the end of the day, UTC. */
	m = excl_compile(s, last + 86399);
	ck_assert_int_eq(mip(m, "192.0.2.9"), 0);
	ck_assert_int_eq(macct(m, "X", "svc_veeam"), 3);
	excl_matcher_free(m);
	ck_assert(!excl_rule_expired(s, 0, last + 86399));
	ck_assert(excl_rule_expired(s, 0, last + 86400));
	m = excl_compile(s, last + 86400);
	ck_assert_int_eq(mip(m, "192.0.2.9"), -1);
	ck_assert_int_eq(macct(m, "X", "svc_veeam"), -1);
	ck_assert_int_eq(mip(m, "198.51.100.1"), -1);
	ck_assert_int_eq(mip(m, "203.0.113.1"), -1);
	ck_assert_int_eq(excl_matcher_size(m), 0);
	excl_matcher_free(m);
	/* Expired rules stay in the file. */
	ck_assert_int_eq(excl_rule_count(s), 4);
	ck_assert_int_eq(excl_rule_state(s, 0, last + 86400), EXCL_EXPIRED);

	/* check reports them all, with their state and reason. */
	n = excl_check(s, last + 86400, "192.0.2.9", NULL, NULL, NULL, &hits);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(hits[0].rule, 0);
	ck_assert_int_eq(hits[0].state, EXCL_EXPIRED);
	ck_assert_str_eq(hits[0].reason, "192.0.2.9 is in 192.0.2.0/24");
	excl_hits_free(hits, n);
	n = excl_check(s, last, "198.51.100.1", NULL, NULL, NULL, &hits);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(hits[0].state, EXCL_DISABLED);
	excl_hits_free(hits, n);
	n = excl_check(s, last, "203.0.113.1", "CONTOSO", "SVC_VEEAM", NULL,
	    &hits);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(hits[0].state, EXCL_CATEGORY_OFF);
	ck_assert_int_eq(hits[1].rule, 3);
	ck_assert_int_eq(hits[1].state, EXCL_ACTIVE);
	ck_assert_ptr_nonnull(strstr(hits[1].reason, "matches svc_veeam"));
	excl_hits_free(hits, n);
	n = excl_check(s, last, "not-an-ip", NULL, NULL, NULL, &hits);
	ck_assert_int_eq(n, 0);
	excl_hits_free(hits, n);

	/* Switching a rule and a category on brings them in. */
	ck_assert_int_eq(excl_rule_set_enabled(s, 1, 1, NULL), 0);
	ck_assert_int_eq(excl_category_set_enabled(s, 2, 1, NULL), 0);
	m = excl_compile(s, last);
	ck_assert_int_eq(mip(m, "198.51.100.1"), 1);
	ck_assert_int_eq(mip(m, "203.0.113.1"), 2);
	excl_matcher_free(m);
	excl_free(s);
}
END_TEST

/* ------------------------------------------------------------ editing */

START_TEST(test_save_preserves_untouched_lines)
{
	static const char before[] =
	    "# My exclusions -- keep this header\n"
	    "\n"
	    "[maintenance]\n"
	    "ip   91.218.114.0/24    #  odd   spacing stays\n"
	    "  # a comment inside the section\n"
	    "account CONTOSO\\svc_patch*\n"
	    "\n"
	    "# --- SIEM below ---\n"
	    "[siem]\n"
	    "ip 157.97.109.40\n"
	    "\n"
	    "# trailing comment\n";
	static const char after[] =
	    "# My exclusions -- keep this header\n"
	    "\n"
	    "[maintenance]\n"
	    "ip   91.218.114.0/24    #  odd   spacing stays\n"
	    "  # a comment inside the section\n"
	    "!account CONTOSO\\svc_patch*\n"
	    "ip 192.0.2.0/24 until=2027-03-31  # new; one line\n"
	    "\n"
	    "# --- SIEM below ---\n"
	    "[siem]\n"
	    "enabled = no\n"
	    "\n"
	    "# trailing comment\n"
	    "\n"
	    "# Backup and restore jobs (Veeam, Commvault, Veritas)\n"
	    "[backup]\n"
	    "device \"odd \"\"name\"\" #1\"\n";
	struct excl_set *s;
	char *path, *cause = NULL, *text;
	long i;

	s = load_text(before);
	path = tu_path("exclusions");
	ck_assert_int_eq(excl_rule_set_enabled(s, 1, 0, &cause), 0);
	i = excl_rule_add(s, 0, EXCL_IP, "192.0.2.0/24", "new;\none\r\nline",
	    day("2027-03-31"), &cause);
	ck_assert_int_eq(i, 2);
	ck_assert_int_eq(excl_rule_remove(s, 3, &cause), 0);
	ck_assert_int_eq(excl_category_set_enabled(s, 1, 0, &cause), 0);
	ck_assert_int_eq(excl_rule_add(s, 4, EXCL_DEVICE, "odd \"name\" #1",
	    NULL, 0, &cause), 3);
	ck_assert(excl_is_modified(s));
	ck_assert_msg(excl_save(s, &cause) == 0, "%s", cause);
	ck_assert(!excl_is_modified(s));
	text = tu_read_file(path);
	ck_assert_str_eq(text, after);
	free(text);
	/* The previous version is kept next to it. */
	text = tu_path("exclusions~");
	free(path);
	path = tu_read_file(text);
	ck_assert_str_eq(path, before);
	free(path);
	free(text);
	excl_free(s);

	/* It loads back to the same rules. */
	s = load_text(after);
	ck_assert_int_eq(excl_rule_count(s), 4);
	ck_assert_str_eq(excl_rule_text(s, 3), "odd \"name\" #1");
	ck_assert_str_eq(excl_rule_note(s, 2), "new; one line");
	ck_assert(!excl_category_enabled(s, 1));
	excl_free(s);
}
END_TEST

START_TEST(test_save_unchanged_is_byte_identical)
{
	static const char crlf[] =
	    "\xef\xbb\xbf# with BOM and CRLF\r\n[siem]\r\nip 10.0.0.0/8\r\n";
	struct excl_set *s;
	char *path, *cause = NULL, *text;

	s = load_text(crlf);
	path = tu_path("exclusions");
	ck_assert_msg(excl_save(s, &cause) == 0, "%s", cause);
	text = tu_read_file(path);
	ck_assert_str_eq(text, crlf);
	free(text);
	/* An edit keeps the line endings of the file. */
	ck_assert_int_ge(excl_rule_add(s, 1, EXCL_IP, "192.0.2.1", NULL, 0,
	    &cause), 0);
	ck_assert_msg(excl_save(s, &cause) == 0, "%s", cause);
	text = tu_read_file(path);
	ck_assert_str_eq(text, "\xef\xbb\xbf# with BOM and CRLF\r\n[siem]\r\n"
	    "ip 10.0.0.0/8\r\nip 192.0.2.1\r\n");
	free(text);
	free(path);
	excl_free(s);
}
END_TEST

START_TEST(test_hostile_notes_and_values)
{
	struct excl_set *s;
	char *path, *cause = NULL;
	long i;

	s = load_text("[siem]\n");
	path = tu_path("exclusions");
	/* A note trying to start a new section and rule stays one note. */
	i = excl_rule_add(s, 1, EXCL_IP, "192.0.2.1",
	    "x\n[maintenance]\nip 0.0.0.0/0\r# \x1b[2J\xc2\x85y\xe2\x80\xa8z", 0,
	    &cause);
	ck_assert_int_ge(i, 0);
	ck_assert_msg(excl_save(s, &cause) == 0, "%s", cause);
	excl_free(s);
	s = NULL;
	ck_assert_int_eq(excl_load(path, &s, &cause), 0);
	ck_assert_int_eq(excl_rule_count(s), 1);
	ck_assert_str_eq(excl_rule_note(s, 0),
	    "x [maintenance] ip 0.0.0.0/0 # [2J y z");
	ck_assert_int_eq(excl_category_rule_count(s, 0), 0);
	/* Values cannot carry control characters or bad UTF-8 at all. */
	ck_assert_int_eq(excl_rule_add(s, 1, EXCL_DEVICE, "a\nb", NULL, 0,
	    &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "control character"));
	free(cause);
	ck_assert_int_eq(excl_rule_add(s, 1, EXCL_ACCOUNT, "a\xc0", NULL, 0,
	    &cause), -1);
	free(cause);
	ck_assert_int_eq(excl_rule_set_note(s, 0, "\xff", &cause), -1);
	free(cause);
	excl_free(s);
	free(path);
}
END_TEST

START_TEST(test_edit_api)
{
	struct excl_set *s;
	char *cause = NULL;
	long c;

	s = load_text("[siem]\nip 10.0.0.0/8\naccount CONTOSO\\svc\n");
	/* Duplicates within a category are refused, case-insensitively. */
	ck_assert_int_eq(excl_rule_add(s, 1, EXCL_IP, "10.0.0.0/8", NULL, 0,
	    &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "already has this rule (number 1"));
	free(cause);
	ck_assert_int_eq(excl_rule_add(s, 1, EXCL_ACCOUNT, "contoso\\SVC", NULL,
	    0, &cause), -1);
	free(cause);
	/* ...but fine in another category (a new section at the end). */
	ck_assert_int_eq(excl_rule_add(s, 0, EXCL_IP, "10.0.0.0/8", NULL, 0,
	    &cause), 2);
	ck_assert_int_eq(excl_rule_add(s, 1, EXCL_IP, "10.1.2.3/8", NULL, 0,
	    &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "10.0.0.0/8"));
	free(cause);
	ck_assert_int_eq(excl_rule_edit(s, 1, EXCL_IP, "10.0.0.0/16", &cause), 0);
	ck_assert_str_eq(excl_rule_text(s, 1), "10.0.0.0/16");
	ck_assert_int_eq(excl_rule_edit(s, 1, EXCL_IP, "10.0.0.1/16", &cause), -1);
	free(cause);
	ck_assert_str_eq(excl_rule_text(s, 1), "10.0.0.0/16");
	/* An edit may not turn a rule into a copy of its neighbour. */
	ck_assert_int_eq(excl_rule_edit(s, 1, EXCL_IP, "10.0.0.0/8", &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "number 1"));
	free(cause);
	ck_assert_int_eq(excl_rule_edit(s, 1, EXCL_DEVICE, "ws-*", &cause), 0);
	ck_assert_int_eq(excl_rule_kind(s, 1), EXCL_DEVICE);
	ck_assert_int_eq(excl_rule_set_until(s, 1, 12345, &cause), -1);
	free(cause);
	ck_assert_int_eq(excl_rule_set_until(s, 1, day("2030-01-01"), &cause), 0);
	ck_assert_int_eq(excl_rule_set_until(s, 1, 0, &cause), 0);
	ck_assert_int_eq(excl_rule_until(s, 1), 0);
	ck_assert_int_eq(excl_rule_remove(s, 9, &cause), -1);
	free(cause);
	ck_assert_int_eq(excl_rule_set_enabled(s, 9, 0, &cause), -1);
	free(cause);
	c = excl_category_add(s, "Bad Name", NULL, &cause);
	ck_assert_int_eq(c, -1);
	free(cause);
	c = excl_category_add(s, "siem", NULL, &cause);
	ck_assert_int_eq(c, -1);
	free(cause);
	c = excl_category_add(s, "vpn-egress", "Corporate VPN\nexits", &cause);
	ck_assert_int_eq(c, 5);
	ck_assert_str_eq(excl_category_description(s, 5), "Corporate VPN exits");
	ck_assert_int_eq(excl_rule_add(s, 5, EXCL_IP, "2001:db8:ff::/48", NULL,
	    0, &cause), 3);
	ck_assert_int_eq(excl_rule_add(s, 99, EXCL_IP, "192.0.2.1", NULL, 0,
	    &cause), -1);
	free(cause);
	excl_free(s);
}
END_TEST

/* A new category's name is checked on its own, before anything else is
 * asked (the console asks for it first): its form, its case, that it is
 * free, and the 64-character limit at its boundary. */
START_TEST(test_category_name_check)
{
	struct excl_set *s = load_text("[siem]\nip 10.0.0.0/8\n[vpn-egress]\n");
	char *cause = NULL, name[80];

	ck_assert_int_eq(excl_category_name_check(s, "jump_hosts-2", &cause), 0);
	ck_assert_ptr_null(cause);
	ck_assert_int_eq(excl_category_name_check(s, "Bad Name", &cause), -1);
	ck_assert_str_eq(cause, "'Bad Name' is not a valid category name: use "
	    "lower case letters, digits, '_' and '-'");
	free(cause);
	ck_assert_int_eq(excl_category_name_check(s, "Jump", &cause), -1);
	ck_assert_str_eq(cause, "category names are lower case: write 'jump' "
	    "instead of 'Jump'");
	free(cause);
	ck_assert_int_eq(excl_category_name_check(s, "", &cause), -1);
	ck_assert_str_eq(cause, "the category name is empty");
	free(cause);
	/* Taken: a built-in category and one of the file's. */
	ck_assert_int_eq(excl_category_name_check(s, "siem", &cause), -1);
	ck_assert_str_eq(cause, "category 'siem' already exists");
	free(cause);
	ck_assert_int_eq(excl_category_name_check(s, "vpn-egress", &cause), -1);
	ck_assert_str_eq(cause, "category 'vpn-egress' already exists");
	free(cause);
	memset(name, 'a', 64);
	name[64] = '\0';
	ck_assert_int_eq(excl_category_name_check(s, name, &cause), 0);
	name[64] = 'a';
	name[65] = '\0';
	ck_assert_int_eq(excl_category_name_check(s, name, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "is longer than 64 characters"));
	free(cause);
	excl_free(s);
}
END_TEST

/* A custom category without rules can be removed: adding one and removing
 * it gives back the file byte for byte (the console's undo); a built-in
 * category or one with rules stays; the categories after it keep their
 * rules and names. */
START_TEST(test_category_remove)
{
	const char *text = "# mine\n[siem]\nip 192.0.2.1\n\n[a]\nip 198.51.100.1\n"
	    "[b]\ndescription = empty one\n# b's comment\n[c]\nenabled = no\n"
	    "account CONTOSO\\svc\n";
	struct excl_set *s;
	char *cause = NULL, *path, *before, *after;
	long c;

	s = load_text(text);
	path = tu_path("exclusions");
	ck_assert_int_eq(excl_category_count(s), 8);
	/* Built in, or holding rules: refused. */
	ck_assert_int_eq(excl_category_remove(s, 1, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "built in"));
	free(cause);
	ck_assert_int_eq(excl_category_remove(s, (size_t)excl_category_find(s, "a"), &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "[a] still has 1 rule; remove it first"));
	free(cause);
	ck_assert_int_eq(excl_category_remove(s, 99, &cause), -1);
	free(cause);

	/* Add then remove: the file is as it was. */
	before = tu_read_file(path);
	c = excl_category_add(s, "vpn", "Corporate VPN exits", &cause);
	ck_assert_int_eq(c, 8);
	ck_assert_int_eq(excl_save(s, &cause), 0);
	after = tu_read_file(path);
	ck_assert_ptr_nonnull(strstr(after, "\n\n[vpn]\ndescription = Corporate VPN exits\n"));
	free(after);
	ck_assert_int_eq(excl_category_remove(s, (size_t)c, &cause), 0);
	ck_assert_int_eq(excl_category_find(s, "vpn"), -1);
	ck_assert_int_eq(excl_save(s, &cause), 0);
	after = tu_read_file(path);
	ck_assert_str_eq(after, before);
	free(after);

	/* A blank line the user left at the end stays when the category
	 * added after it goes. */
	tu_write_text(path, "[siem]\nip 192.0.2.9\n\n");
	excl_free(s);
	s = load_text("[siem]\nip 192.0.2.9\n\n");
	c = excl_category_add(s, "tail", NULL, &cause);
	ck_assert_int_ge(c, 0);
	ck_assert_int_eq(excl_save(s, &cause), 0);
	ck_assert_int_eq(excl_category_remove(s, (size_t)c, &cause), 0);
	ck_assert_int_eq(excl_save(s, &cause), 0);
	after = tu_read_file(path);
	ck_assert_str_eq(after, "[siem]\nip 192.0.2.9\n\n");
	free(after);
	excl_free(s);
	s = load_text(text);

	/* A middle one: [c] and its rule move down one index; comments stay. */
	ck_assert_int_eq(excl_category_remove(s, (size_t)excl_category_find(s, "b"), &cause), 0);
	ck_assert_int_eq(excl_category_count(s), 7);
	c = excl_category_find(s, "c");
	ck_assert_int_eq(c, 6);
	ck_assert_int_eq(excl_category_enabled(s, (size_t)c), 0);
	ck_assert_uint_eq(excl_category_rule_count(s, (size_t)c), 1);
	ck_assert_uint_eq(excl_rule_category(s, 2), (size_t)c);
	ck_assert_int_eq(excl_save(s, &cause), 0);
	after = tu_read_file(path);
	ck_assert_str_eq(after, "# mine\n[siem]\nip 192.0.2.1\n\n[a]\nip 198.51.100.1\n"
	    "# b's comment\n[c]\nenabled = no\naccount CONTOSO\\svc\n");
	free(after);
	excl_free(s);
	/* And it reads back the same. */
	s = NULL;
	ck_assert_int_eq(excl_load(path, &s, &cause), 0);
	ck_assert_int_eq(excl_category_find(s, "b"), -1);
	ck_assert_uint_eq(excl_rule_category(s, 2), (size_t)excl_category_find(s, "c"));
	excl_free(s);
	free(before);
	free(path);
}
END_TEST

START_TEST(test_refuses_concurrent_modification)
{
	struct excl_set *a, *b, *c;
	char *path, *cause = NULL, *text;
	struct timespec ts[2];

	path = tu_path("exclusions");
	tu_write_text(path, "[siem]\nip 10.0.0.0/8\n");
	ck_assert_int_eq(excl_load(path, &a, &cause), 0);
	ck_assert_int_eq(excl_load(path, &b, &cause), 0);
	ck_assert_int_ge(excl_rule_add(b, 1, EXCL_IP, "192.0.2.2", NULL, 0,
	    &cause), 0);
	ck_assert_msg(excl_save(b, &cause) == 0, "%s", cause);
	ck_assert_int_ge(excl_rule_add(a, 1, EXCL_IP, "192.0.2.1", NULL, 0,
	    &cause), 0);
	ck_assert_int_eq(excl_save(a, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "changed by another program"));
	ck_assert_ptr_nonnull(strstr(cause, "Reload"));
	free(cause);
	text = tu_read_file(path);
	ck_assert_str_eq(text, "[siem]\nip 10.0.0.0/8\nip 192.0.2.2\n");
	free(text);
	/* b saved, so b may save again. */
	ck_assert_int_eq(excl_rule_set_enabled(b, 0, 0, &cause), 0);
	ck_assert_msg(excl_save(b, &cause) == 0, "%s", cause);
	excl_free(a);

	/* Same size, same second: the content hash catches it. */
	ck_assert_int_eq(excl_load(path, &a, &cause), 0);
	text = tu_read_file(path);
	text[strlen(text) - 2] = '3';	/* 192.0.2.2 -> 192.0.2.3 */
	tu_write_text(path, text);
	free(text);
	ts[0].tv_sec = ts[1].tv_sec = 1700000000;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
	excl_free(a);
	ck_assert_int_eq(excl_load(path, &a, &cause), 0);
	text = tu_read_file(path);
	text[strlen(text) - 2] = '4';
	tu_write_text(path, text);
	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
	free(text);
	ck_assert_int_eq(excl_save(a, &cause), -1);
	free(cause);
	excl_free(a);

	/* Removed since loading. */
	ck_assert_int_eq(excl_load(path, &a, &cause), 0);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(excl_save(a, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "removed"));
	free(cause);
	excl_free(a);

	/* Missing when loaded, created by someone else before the save. */
	ck_assert_int_eq(excl_load(path, &c, &cause), 0);
	tu_write_text(path, "[rds]\n");
	ck_assert_int_ge(excl_rule_add(c, 2, EXCL_IP, "192.0.2.9", NULL, 0,
	    &cause), 0);
	ck_assert_int_eq(excl_save(c, &cause), -1);
	free(cause);
	text = tu_read_file(path);
	ck_assert_str_eq(text, "[rds]\n");
	free(text);
	excl_free(c);
	excl_free(b);
	free(path);
}
END_TEST

/* Child: load, edit, save, and die by SIGKILL at the rename onto victim. */
static void
crash_child(const char *path, const char *victim)
{
	struct excl_set *s;
	char *cause = NULL;

	kill_on_rename_to = victim;
	if (excl_load(path, &s, &cause) != 0)
		_exit(10);
	if (excl_rule_add(s, 1, EXCL_IP, "192.0.2.77", "crash", 0, &cause) < 0)
		_exit(11);
	excl_save(s, &cause);
	_exit(12);	/* not reached when the hook fires */
}

static void
crash_at(const char *victim_name, int expect_backup)
{
	static const char original[] =
	    "# precious\n[siem]\nip 10.0.0.0/8  # keep me\n";
	char *path, *victim, *backup, *text, *cause = NULL;
	struct excl_set *s;
	pid_t pid;
	int status;

	path = tu_path("exclusions");
	backup = tu_path("exclusions~");
	victim = tu_path(victim_name);
	tu_write_text(path, original);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		crash_child(path, victim);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	    "child was not killed in the save (status %d)", status);
	/* The old file is intact and complete, and still loads. */
	text = tu_read_file(path);
	ck_assert_str_eq(text, original);
	free(text);
	ck_assert_int_eq(excl_load(path, &s, &cause), 0);
	ck_assert_int_eq(excl_rule_count(s), 1);
	excl_free(s);
	text = tu_read_file(backup);
	if (expect_backup) {
		ck_assert_ptr_nonnull(text);
		ck_assert_str_eq(text, original);
	}
	free(text);
	free(path);
	free(backup);
	free(victim);
}

START_TEST(test_crash_before_rename_keeps_old_file)
{
	crash_at("exclusions", 1);
}
END_TEST

START_TEST(test_crash_during_backup_keeps_old_file)
{
	crash_at("exclusions~", 0);
}
END_TEST

START_TEST(test_default_path)
{
	char *p;

	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	p = excl_default_path();
	ck_assert_str_eq(p, "/xdg/logonhunt/exclusions");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative/ignored", 1);
	p = excl_default_path();
	ck_assert_str_eq(p, "/home/u/.config/logonhunt/exclusions");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	p = excl_default_path();
	ck_assert_str_eq(p, "/home/u/.config/logonhunt/exclusions");
	free(p);
}
END_TEST

/* ------------------------------------------------------------ import */

START_TEST(test_import_plain_list)
{
	struct excl_set *s;
	struct excl_matcher *m;
	struct excl_import_stats st;
	char *list, *cause = NULL;

	s = load_text("[backup]\nip 88.198.201.14/31\n");
	list = tu_path("backup-hosts.txt");
	tu_write_text(list, "# Veeam and Commvault\r\n\r\n88.198.201.14/31\r\n"
	    "92.204.51.77   # CommServe\r\n  2001:db8:b::/48\r\n"
	    "10.9.8.7/8\r\nnot-an-ip\r\n92.204.51.77\r\n");
	ck_assert_int_eq(excl_import(s, 4, list, NULL, 0, &st, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "backup-hosts.txt:6: '10.9.8.7/8' "
	    "has host bits set"));
	ck_assert_ptr_nonnull(strstr(cause, "backup-hosts.txt:7: "));
	ck_assert_ptr_nonnull(strstr(cause, "nothing was imported"));
	free(cause);
	ck_assert_int_eq(excl_rule_count(s), 1);
	ck_assert(!excl_is_modified(s));

	tu_write_text(list, "# Veeam and Commvault\r\n\r\n88.198.201.14/31\r\n"
	    "92.204.51.77   # CommServe\r\n  2001:db8:b::/48\r\n"
	    "92.204.51.77\r\n");
	ck_assert_msg(excl_import(s, 4, list, NULL, 0, &st, &cause) == 0, "%s",
	    cause);
	ck_assert_int_eq(st.read, 4);
	ck_assert_int_eq(st.added, 2);
	ck_assert_int_eq(st.duplicates, 2);
	ck_assert_int_eq(excl_rule_count(s), 3);
	ck_assert_str_eq(excl_rule_text(s, 1), "92.204.51.77");
	ck_assert_str_eq(excl_rule_note(s, 1), "import:backup-hosts.txt: "
	    "CommServe");
	ck_assert_str_eq(excl_rule_note(s, 2), "import:backup-hosts.txt");
	m = excl_compile(s, day("2026-01-01"));
	ck_assert_int_eq(mip(m, "2001:db8:b:1::5"), 2);
	excl_matcher_free(m);
	/* Again: everything is already there. */
	ck_assert_int_eq(excl_import(s, 4, list, NULL, 0, &st, &cause), 0);
	ck_assert_int_eq(st.added, 0);
	ck_assert_int_eq(st.duplicates, 4);
	/* --tag is for service tags only. */
	{
		const char *tag = "AzureCloud";
		ck_assert_int_eq(excl_import(s, 4, list, &tag, 1, &st, &cause),
		    -1);
		free(cause);
	}
	free(list);
	list = tu_path("missing.txt");
	ck_assert_int_eq(excl_import(s, 4, list, NULL, 0, &st, &cause), -1);
	free(cause);
	free(list);
	excl_free(s);
}
END_TEST

START_TEST(test_import_small_service_tags)
{
	static const char json[] =
	    "{\"changeNumber\": 9, \"cloud\": \"Public\", \"values\": [\n"
	    " {\"name\": \"MicrosoftDefenderForEndpoint\", \"id\": \"x\",\n"
	    "  \"properties\": {\"changeNumber\": 7, \"addressPrefixes\":\n"
	    "   [\"13.83.125.0/24\", \"2603:1000::/40\", \"13.83.125.0/24\"]}},\n"
	    " {\"name\": \"AzureCloud\", \"id\": \"y\",\n"
	    "  \"properties\": {\"addressPrefixes\": [\"4.0.0.0/8\"]}},\n"
	    " {\"name\": \"Broken\", \"id\": \"z\",\n"
	    "  \"properties\": {\"addressPrefixes\": [\"4.1.2.3/8\"]}}\n"
	    "]}\n";
	struct excl_set *s;
	struct excl_import_stats st;
	struct excl_tag *tags;
	size_t n;
	char *path, *cause = NULL;
	const char *want[] = { "MicrosoftDefenderForEndpoint", "AzureCloud" };
	const char *bad[] = { "microsoftdefenderforendpoint" };
	const char *broken[] = { "Broken" };

	s = load_text("");
	path = tu_path("tags.json");
	tu_write_text(path, json);
	ck_assert_int_eq(excl_servicetags_detect(path, &cause), 1);
	ck_assert_int_eq(excl_servicetags_list(path, &tags, &n, &cause), 0);
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(tags[0].name, "MicrosoftDefenderForEndpoint");
	ck_assert_int_eq(tags[0].v4, 2);
	ck_assert_int_eq(tags[0].v6, 1);
	ck_assert_int_eq(tags[0].change_number, 7);
	ck_assert_int_eq(tags[1].change_number, 9);
	excl_tags_free(tags, n);

	ck_assert_int_eq(excl_import(s, 3, path, NULL, 0, &st, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "--tag"));
	free(cause);
	ck_assert_int_eq(excl_import(s, 3, path, bad, 1, &st, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "similar: "
	    "MicrosoftDefenderForEndpoint"));
	free(cause);
	ck_assert_int_eq(excl_import(s, 3, path, broken, 1, &st, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "host bits"));
	free(cause);
	ck_assert_int_eq(excl_rule_count(s), 0);
	ck_assert_int_eq(excl_import(s, 3, path, want, 2, &st, &cause), 0);
	ck_assert_int_eq(st.added, 3);
	ck_assert_int_eq(st.duplicates, 1);
	ck_assert_str_eq(excl_rule_note(s, 0),
	    "servicetag:MicrosoftDefenderForEndpoint changeNumber 7");
	ck_assert_str_eq(excl_rule_note(s, 2),
	    "servicetag:AzureCloud changeNumber 9");

	tu_write_text(path, "{\"values\": 3}");
	ck_assert_int_eq(excl_import(s, 3, path, want, 1, &st, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "\"values\" array"));
	free(cause);
	tu_write_text(path, "{\"values\": [");
	ck_assert_int_eq(excl_import(s, 3, path, want, 1, &st, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "not valid JSON"));
	free(cause);
	free(path);
	excl_free(s);
}
END_TEST

START_TEST(test_import_real_service_tags)
{
	struct excl_set *s;
	struct excl_matcher *m;
	struct excl_import_stats st;
	struct excl_tag *tags;
	size_t n, i, total = 0;
	char *cause = NULL, *path;
	const char *mde[] = { "MicrosoftDefenderForEndpoint" };
	const char *cloud[] = { "AzureCloud" };
	char tagfile[4096];

	if (!tu_realdata_file(tagfile, sizeof tagfile,
	    "jensihnow__AzurePublicIPAddressRanges/ServiceTags_Public.json"))
		return;
	ck_assert_int_eq(excl_servicetags_list(tagfile, &tags, &n, &cause),
	    0);
	ck_assert_int_eq(n, 3039);
	for (i = 0; i < n; i++) {
		total += tags[i].v4 + tags[i].v6;
		if (strcmp(tags[i].name, "AzureCloud") == 0) {
			ck_assert_int_eq(tags[i].v4, 9585);
			ck_assert_int_eq(tags[i].v6, 3495);
		}
	}
	ck_assert_int_eq(total, 93362);
	excl_tags_free(tags, n);

	s = load_text("[defender]\nip 13.83.125.0/24  # added by hand\n");
	ck_assert_msg(excl_import(s, 3, tagfile, mde, 1, &st, &cause) == 0,
	    "%s", cause);
	ck_assert_int_eq(st.read, 27);
	ck_assert_int_eq(st.duplicates, 1);
	ck_assert_int_eq(st.added, 26);
	ck_assert_str_eq(excl_rule_note(s, 1),
	    "servicetag:MicrosoftDefenderForEndpoint changeNumber 7");
	m = excl_compile(s, day("2026-01-01"));
	/* The scenario's health-check sources (tests/gen/SCENARIOS.md). */
	ck_assert_int_eq(mip(m, "13.83.125.17"), 0);
	ck_assert_int_ge(mip(m, "20.10.127.33"), 1);
	ck_assert_int_ge(mip(m, "4.208.13.86"), 1);
	ck_assert_int_ge(mip(m, "20.15.141.5"), 1);
	ck_assert_int_eq(mip(m, "185.220.101.47"), -1);
	excl_matcher_free(m);

	/* A big tag into a custom category, saved and loaded back. */
	ck_assert_int_ge(excl_category_add(s, "azure", NULL, &cause), 0);
	ck_assert_msg(excl_import(s, 5, tagfile, cloud, 1, &st, &cause) ==
	    0, "%s", cause);
	ck_assert_int_eq(st.read, 13080);
	ck_assert_int_eq(st.added + st.duplicates, 13080);
	ck_assert_msg(excl_save(s, &cause) == 0, "%s", cause);
	n = excl_rule_count(s);
	excl_free(s);
	path = tu_path("exclusions");
	ck_assert_int_eq(excl_load(path, &s, &cause), 0);
	ck_assert_int_eq(excl_rule_count(s), n);
	m = excl_compile(s, day("2026-01-01"));
	ck_assert_int_ge(mip(m, "20.10.127.33"), 0);
	excl_matcher_free(m);
	free(path);
	excl_free(s);
}
END_TEST

/* ------------------------------------------------------------ KQL */

START_TEST(test_kql)
{
	struct excl_set *s;
	struct buf b = { 0 };

	s = load_text("");
	excl_kql_buf(&b, s, day("2026-01-01"));
	/* No rules: the original query, untouched. */
	ck_assert_ptr_null(strstr(b.p, "ExclIp"));
	ck_assert_ptr_nonnull(strstr(b.p, "DeviceLogonEvents\n| where "
	    "RemoteIPType == \"Public\"\n| join kind=leftanti (\n"
	    "DeviceNetworkInfo\n"));
	ck_assert_ptr_nonnull(strstr(b.p, "| summarize EarliestEvent = "
	    "min(Timestamp), LatestEvent = max(Timestamp), Instances = count(), "
	    "DistinctMachines = dcount(DeviceId) by AccountDomain, AccountName, "
	    "LogonType, RemoteIP, ActionType\n"));
	excl_free(s);
	buf_free(&b);

	s = load_text("[maintenance]\nip 91.218.114.0/24\nip 2001:db8::/32\n"
	    "account CONTOSO\\svc_patch*\naccount svc.backup\n"
	    "[siem]\nip 157.97.109.40\n!ip 198.51.100.0/24\n"
	    "ip 203.0.113.0/24 until=2025-01-01\n"
	    "[rds]\nenabled = no\nip 194.153.110.20/31\n"
	    "[backup]\ndevice \"we\"\"ird*\"\n");
	excl_kql_buf(&b, s, day("2026-01-01"));
	ck_assert_ptr_nonnull(strstr(b.p, "| where RemoteIPType == \"Public\"\n"
	    "// RemoteIP as logonhunt reads it"));
	ck_assert_ptr_nonnull(strstr(b.p, "// [maintenance]"));
	ck_assert_ptr_nonnull(strstr(b.p, "| where not(isnotempty(ExclIp4) and "
	    "coalesce(ipv4_is_in_any_range(ExclIp4, dynamic([\n"
	    "    \"91.218.114.0/24\"\n    ])), false))\n"));
	ck_assert_ptr_nonnull(strstr(b.p, "| where not(isnotempty(ExclIp6) and "
	    "coalesce(ipv6_is_in_any_range(ExclIp6, dynamic([\n"
	    "    \"2001:db8::/32\"\n"));
	ck_assert_ptr_nonnull(strstr(b.p, "(AccountDomain =~ \"CONTOSO\" and "
	    "AccountName matches regex \"(?i)^svc_patch.*$\")"));
	ck_assert_ptr_nonnull(strstr(b.p, "or AccountName =~ \"svc.backup\""));
	ck_assert_ptr_nonnull(strstr(b.p, "\"157.97.109.40/32\""));
	ck_assert_ptr_nonnull(strstr(b.p, "2 disabled or expired rules left "
	    "out"));
	ck_assert_ptr_null(strstr(b.p, "198.51.100.0"));
	ck_assert_ptr_null(strstr(b.p, "203.0.113.0"));
	ck_assert_ptr_nonnull(strstr(b.p, "// [rds]"));
	ck_assert_ptr_nonnull(strstr(b.p, "switched off"));
	ck_assert_ptr_null(strstr(b.p, "194.153.110.20"));
	/* The regex is escaped for RE2, then the string for KQL. */
	ck_assert_ptr_nonnull(strstr(b.p, "DeviceName matches regex "
	    "\"(?i)^we\\\"ird.*$\""));
	ck_assert_ptr_nonnull(strstr(b.p, "| project-away ExclText, ExclV6, "
	    "ExclMapped, ExclIp4, ExclIp6\n| join "));
	/* The filters come before the joins. */
	ck_assert(strstr(b.p, "ipv4_is_in_any_range") <
	    strstr(b.p, "DeviceNetworkInfo"));
	buf_free(&b);
	excl_free(s);
}
END_TEST

/* The query carries the hunt's window and identity filter as clauses, a
 * rule's expiry as a now() guard from the day after its until date, its
 * note as a comment; a rule expired when the query is written is left out.
 * Expected text written by hand from the Kusto documentation (ago(),
 * datetime(), now()); the dates of the tick values from Python's datetime. */
START_TEST(test_kql_window_expiry)
{
	struct excl_set *s;
	struct excl_kql_opts o;
	struct buf b = { 0 };

	s = load_text("[maintenance]\n"
	    "ip 192.0.2.0/24 until=2026-03-31 # patch window \xe2\x80\xa8 | take 0\n"
	    "ip 198.51.100.0/24 until=2025-12-31 # gone\n"
	    "ip 203.0.113.9 # scanner\n"
	    "account svc_x until=2026-03-31\n");
	excl_kql_opts_init(&o);
	o.since = 7 * 86400LL * 10000000LL;
	o.from = 638000000000000000LL;		/* 2022-09-28T22:13:20Z */
	o.until = 639000000000000000LL - 1;	/* 2025-11-29T07:59:59.9999999Z */
	o.identity_internal = 1;
	excl_kql_query(&b, s, day("2026-01-01"), &o);
	ck_assert_ptr_nonnull(strstr(b.p, "| where RemoteIPType == \"Public\"\n"
	    "| where Timestamp >= ago(7d) // --since\n"
	    "| where Timestamp >= datetime(2022-09-28T22:13:20.0000000Z) "
	    "// --from\n"
	    "| where Timestamp <= datetime(2025-11-29T07:59:59.9999999Z) "
	    "// --until\n"));
	ck_assert_ptr_nonnull(strstr(b.p, "IdentityLogonEvents\n"
	    "| where ISP == \"INTERNAL_NETWORK\""));
	/* Unexpired rules: the dated ones guarded, the note a comment with
	 * the separator made visible. */
	ck_assert_ptr_nonnull(strstr(b.p, "| where not(isnotempty(ExclIp4) and "
	    "coalesce(ipv4_is_in_any_range(ExclIp4, dynamic([\n"
	    "    \"203.0.113.9/32\" // scanner\n"));
	ck_assert_ptr_nonnull(strstr(b.p, "| where not(now() < "
	    "datetime(2026-04-01T00:00:00.0000000Z) and isnotempty(ExclIp4) and "
	    "coalesce(ipv4_is_in_any_range(ExclIp4, dynamic([\n"
	    "    \"192.0.2.0/24\" // until 2026-03-31: patch window \\u2028 "
	    "| take 0\n"));
	ck_assert_ptr_nonnull(strstr(b.p, "| where not(now() < "
	    "datetime(2026-04-01T00:00:00.0000000Z) and (\n"
	    "    AccountName =~ \"svc_x\" // until 2026-03-31\n  ))\n"));
	ck_assert_ptr_null(strstr(b.p, "198.51.100.0"));
	ck_assert_ptr_null(strstr(b.p, "\xe2\x80\xa8"));
	buf_free(&b);

	/* --relative-to-data: counted from the newest Public logon. */
	excl_kql_opts_init(&o);
	o.since = 90 * 60LL * 10000000LL;
	o.since_data = 1;
	excl_kql_query(&b, s, day("2026-01-01"), &o);
	ck_assert_ptr_nonnull(strstr(b.p, "let HuntNewest = toscalar("
	    "DeviceLogonEvents | where RemoteIPType == \"Public\" | summarize "
	    "max(Timestamp));\n"));
	ck_assert_ptr_nonnull(strstr(b.p, "| where Timestamp >= HuntNewest - 90m"));
	ck_assert_ptr_nonnull(strstr(b.p, "| where ISP != \"INTERNAL_NETWORK\"\n"));
	buf_free(&b);
	excl_free(s);
}
END_TEST

/* The watchlist CSV: a header, one row per rule that applies, quoted and
 * formula-neutralised as RFC 4180 and OWASP's CSV injection advice say. */
START_TEST(test_watchlist_csv)
{
	struct excl_set *s;
	struct buf *parts;
	size_t nparts, nrules, i;
	char *cause = NULL;

	s = load_text("[maintenance]\n"
	    "ip 192.0.2.0/24 until=2026-03-31 # a, \"b\"\n"
	    "ip 198.51.100.0/24 until=2025-12-31 # gone\n"
	    "!ip 203.0.113.9\n"
	    "account \"=cmd|' /C calc'!A0\" # @SUM(1)\n"
	    "device \"'quoted\" # -1\n"
	    "[rds]\nenabled = no\ndevice gw\n");
	ck_assert_int_eq(excl_watchlist_csv(s, day("2026-01-01"),
	    EXCL_WATCHLIST_MAX_BYTES, &parts, &nparts, &nrules, &cause), 0);
	ck_assert_uint_eq(nparts, 1);
	ck_assert_uint_eq(nrules, 3);
	ck_assert_str_eq(parts[0].p, "Kind,Value,Category,Note,Expiry\r\n"
	    "ip,192.0.2.0/24,maintenance,\"a, \"\"b\"\"\",2026-03-31\r\n"
	    "account,'=cmd|' /C calc'!A0,maintenance,'@SUM(1),\r\n"
	    "device,''quoted,maintenance,'-1,\r\n");
	for (i = 0; i < nparts; i++)
		buf_free(&parts[i]);
	free(parts);

	/* Split under the limit, the header in each part. */
	ck_assert_int_eq(excl_watchlist_csv(s, day("2026-01-01"), 90,
	    &parts, &nparts, &nrules, &cause), 0);
	ck_assert_uint_eq(nparts, 3);
	for (i = 0; i < nparts; i++) {
		ck_assert_uint_le(parts[i].len, 90);
		ck_assert(strncmp(parts[i].p, "Kind,", 5) == 0);
		buf_free(&parts[i]);
	}
	free(parts);
	/* A row longer than the limit cannot be carried. */
	ck_assert_int_eq(excl_watchlist_csv(s, day("2026-01-01"), 60,
	    &parts, &nparts, &nrules, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "longer than a watchlist file"));
	free(cause);
	excl_free(s);

	/* The query's '*' test is unrolled for 8 stars, runs included. */
	s = load_text("[maintenance]\ndevice a*b*c*d*e*f*g*h*i\n");
	ck_assert_int_eq(excl_watchlist_csv(s, day("2026-01-01"),
	    EXCL_WATCHLIST_MAX_BYTES, &parts, &nparts, &nrules, &cause), 0);
	buf_free(&parts[0]);
	free(parts);
	excl_free(s);
	s = load_text("[maintenance]\ndevice a*b*c*d*e*f*g*h**i\n");
	ck_assert_int_eq(excl_watchlist_csv(s, day("2026-01-01"),
	    EXCL_WATCHLIST_MAX_BYTES, &parts, &nparts, &nrules, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "more than 8 '*' wildcards"));
	free(cause);
	excl_free(s);
}
END_TEST

/* Address and range values as libcidr reads them, with what it would take
 * leniently refused; each verdict agrees with Python's ipaddress. */
START_TEST(test_ip_values_notation)
{
	static const struct {
		const char *rule, *data;	/* data: an address it covers */
	} ok[] = {
		{ "64:ff9b::192.0.2.33", "64:ff9b::c000:221" },
		{ "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304" },
		{ "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0" },
		{ "::1:2:3:4:5:6:7", "0:1:2:3:4:5:6:7" },
		{ "1::2:3:4:5:6:7", "1:0:2:3:4:5:6:7" },
		{ "2001:0DB8::/32", "2001:db8:ffff::1" },
		{ "::", "0::0" },
	};
	static const char *const bad6[] = {
		"1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.04", "::1.2.3.256", "::1.2.3",
		"::a.2.3.4", "::1.2.3.4.5", "1:2:3:4:5:6:7:8::",
		"1::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1::2::3", "00001::",
		"1:2:3:4:5:6:7:", ":1:2:3:4:5:6:7", ":::", "1:::2",
		/* libcidr 1.2.3 writes past its buffer given this many colons */
		"1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1",
		"::1.2.3.04/200",	/* the address is judged first */
	};
	static const char *const bad4[] = {
		"10", "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3", "0.0.0.00",
		"255.255.255.256", "a.b.c.d", "10/33",
	};
	struct excl_set *s = excl_new_empty("/nonexistent/exclusions");
	struct excl_matcher *m;
	char *cause = NULL;
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		ck_assert_msg(excl_rule_add(s, 0, EXCL_IP, ok[i].rule, NULL, 0,
		    &cause) == (long)i, "%s: %s", ok[i].rule, cause);
		m = excl_compile(s, day("2026-01-01"));
		ck_assert_msg(mip(m, ok[i].data) == (long)i, "%s does not cover %s",
		    ok[i].rule, ok[i].data);
		excl_matcher_free(m);
	}
	for (i = 0; i < sizeof bad6 / sizeof bad6[0]; i++) {
		ck_assert_int_eq(excl_rule_validate(EXCL_IP, bad6[i], &cause), -1);
		ck_assert_msg(strstr(cause, "is not a valid IPv6 address: expected "
		    "at most eight groups") != NULL, "%s: %s", bad6[i], cause);
		free(cause);
	}
	for (i = 0; i < sizeof bad4 / sizeof bad4[0]; i++) {
		ck_assert_int_eq(excl_rule_validate(EXCL_IP, bad4[i], &cause), -1);
		ck_assert_msg(strstr(cause, "is not an IPv4 address") != NULL,
		    "%s: %s", bad4[i], cause);
		free(cause);
	}
	ck_assert_int_eq(excl_rule_validate(EXCL_IP, "1.2.3.4/33", &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "at most 32"));
	free(cause);
	ck_assert_int_eq(excl_rule_validate(EXCL_IP, "::ffff:0:0/96", &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "write it as IPv4 (0.0.0.0/0)"));
	free(cause);
	excl_free(s);
}
END_TEST

/* until= dates on the civil calendar: leap centuries, and the seconds
 * Python's datetime gives for midnight UTC. */
START_TEST(test_dates_calendar)
{
	time_t t;
	char *cause = NULL;

	ck_assert_int_eq(excl_date_parse("2000-02-29", &t, &cause), 0);
	ck_assert_int_eq(t, 951782400);
	ck_assert_int_eq(excl_date_parse("2400-02-29", &t, &cause), 0);
	ck_assert_int_eq(t, 13574563200);
	ck_assert_int_eq(excl_date_parse("2100-02-28", &t, &cause), 0);
	ck_assert_int_eq(t, 4107456000);
	ck_assert_int_eq(excl_date_parse("2038-01-19", &t, &cause), 0);
	ck_assert_int_eq(t, 2147472000);
	ck_assert_int_eq(excl_date_parse("9999-12-31", &t, &cause), 0);
	ck_assert_int_eq(t, 253402214400);
	ck_assert_int_eq(excl_date_parse("2000-02-30", &t, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "days 01 to 29"));
	free(cause);
	ck_assert_int_eq(excl_date_parse("2100-02-29", &t, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "days 01 to 28"));
	free(cause);
	ck_assert_int_eq(excl_date_parse("2026-04-31", &t, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "days 01 to 30"));
	free(cause);
}
END_TEST

/* Bytes in the data that are not UTF-8 (Latin-1, cut short, overlong,
 * surrogates, past U+10FFFF) match only themselves, through a '*', never
 * the letter they resemble. */
START_TEST(test_match_stray_bytes)
{
	struct excl_set *s;
	struct excl_matcher *m;

	s = load_text("[maintenance]\n"
	    "device a\xc3\xbfz\n"		/* 0: U+00FF */
	    "device caf\xc3\xa9\n"		/* 1 */
	    "device a*z\n"			/* 2 */
	    "device a\n"			/* 3 */
	    "device \xed\x9f\xbf\n"		/* 4: U+D7FF */
	    "device \xf4\x8f\xbf\xbf\n");	/* 5: U+10FFFF */
	m = excl_compile(s, day("2026-01-01"));
	ck_assert_int_eq(mdev(m, "A\xc3\xbfZ"), 0);
	ck_assert_int_eq(mdev(m, "a\xffz"), 2);
	ck_assert_int_eq(mdev(m, "CAF\xc3\x89"), 1);
	ck_assert_int_eq(mdev(m, "caf\xe9"), -1);
	ck_assert_int_eq(mdev(m, "caf\xc3"), -1);
	ck_assert_int_eq(mdev(m, "a\xc0\xbfz"), 2);
	ck_assert_int_eq(mdev(m, "\xc1\x81"), -1);	/* overlong 'A' */
	ck_assert_int_eq(mdev(m, "A"), 3);
	ck_assert_int_eq(mdev(m, "\xed\xa0\x80"), -1);	/* U+D800 */
	ck_assert_int_eq(mdev(m, "\xed\x9f\xbf"), 4);
	ck_assert_int_eq(mdev(m, "\xf4\x90\x80\x80"), -1);
	ck_assert_int_eq(mdev(m, "\xf4\x8f\xbf\xbf"), 5);
	excl_matcher_free(m);
	excl_free(s);
}
END_TEST

/* excl_compile keeps no state between calls: threads compiling the same
 * set at once each get a working matcher. */
struct compile_job {
	const struct excl_set *set;
	time_t now;
	int failures;
};

static void *
compile_many(void *arg)
{
	struct compile_job *job = arg;
	struct excl_matcher *m;
	char name[32];
	int round, k;

	for (round = 0; round < 20; round++) {
		m = excl_compile(job->set, job->now);
		for (k = 0; k < 400; k += 7) {
			snprintf(name, sizeof name, "SVC%d-host", k);
			if (macct(m, "CONTOSO", name) != 2 * k ||
			    mdev(m, name) != 2 * k + 1)
				job->failures++;
		}
		excl_matcher_free(m);
	}
	return NULL;
}

START_TEST(test_compile_reentrant)
{
	struct excl_set *s = excl_new_empty("/nonexistent/exclusions");
	struct compile_job jobs[4];
	pthread_t th[4];
	char *cause = NULL, v[32];
	int k;

	for (k = 0; k < 400; k++) {
		snprintf(v, sizeof v, "CONTOSO\\svc%d-*", k);
		ck_assert_int_eq(excl_rule_add(s, 0, EXCL_ACCOUNT, v, NULL, 0,
		    &cause), 2 * k);
		snprintf(v, sizeof v, "svc%d-*", k);
		ck_assert_int_eq(excl_rule_add(s, 0, EXCL_DEVICE, v, NULL, 0,
		    &cause), 2 * k + 1);
	}
	for (k = 0; k < 4; k++) {
		jobs[k].set = s;
		jobs[k].now = day("2026-01-01");
		jobs[k].failures = 0;
		ck_assert_int_eq(pthread_create(&th[k], NULL, compile_many,
		    &jobs[k]), 0);
	}
	for (k = 0; k < 4; k++) {
		pthread_join(th[k], NULL);
		ck_assert_int_eq(jobs[k].failures, 0);
	}
	excl_free(s);
}
END_TEST

/* The address index counts, for every address rule, the values its
 * network contains, as "check" (a test per rule and value) finds them:
 * random addresses around the edges of networks of every length, IPv4
 * written as IPv6, repeated values, and values that are not addresses. */
START_TEST(test_addr_index)
{
	static const char *const nets[] = {
		"10.0.16.0/20", "192.0.2.128/26", "172.16.0.0/12", "10.0.16.7",
		"0.0.0.0/0", "2001:db8::1:0:0/111", "2001:db8:0:8000::/49",
		"2001:db8::5", "::/0", "10.0.0.0/8", "192.0.2.0/24",
	};
	enum { NV = 4000 };
	struct buf text = { 0 };
	struct excl_set *s;
	struct excl_addr_index *ix = excl_addr_index_new();
	struct excl_hit *hits;
	uint64_t want_n[16] = { 0 }, want_w[16] = { 0 }, got_n, got_w;
	char ip[64];
	unsigned seed = 7, x;
	size_t i, k, n, nr = sizeof nets / sizeof nets[0];

	buf_add(&text, "[siem]\n", 7);
	for (i = 0; i < nr; i++)
		buf_addf(&text, "ip %s\n", nets[i]);
	buf_add(&text, "", 1);
	s = load_text(text.p);
	ck_assert_uint_eq(excl_rule_count(s), nr);
	for (i = 0; i < NV; i++) {
		seed = seed * 1103515245u + 12345u;
		x = seed >> 8;
		switch (i < 9 ? 6 : i % 6) {
		case 6: snprintf(ip, sizeof ip, "%s", (const char *[]){ "10.0.16.7",
		    "2001:db8::5", "10.0.31.255", "10.0.32.0", "192.0.2.191",
		    "192.0.2.192", "2001:db8:0:7fff:ffff:ffff:ffff:ffff",
		    "::ffff:10.0.16.7", "2001:db8::1:1:ffff" }[i]); break;
		case 0: snprintf(ip, sizeof ip, "10.0.%u.%u", 8 + x % 32, x / 32 % 256); break;
		case 1: snprintf(ip, sizeof ip, "192.0.2.%u", x % 256); break;
		case 2: snprintf(ip, sizeof ip, "172.%u.%u.1", 14 + x % 20, x / 20 % 256); break;
		case 3: snprintf(ip, sizeof ip, "2001:db8:0:%x::%x:%x", x % 2 ? 0x7fffu + x % 3 : 0,
		    x / 3 % 4, x / 12 % 0x10000); break;
		case 4: snprintf(ip, sizeof ip, "::ffff:10.0.%u.%u", 15 + x % 3, x / 3 % 256); break;
		default: snprintf(ip, sizeof ip, x % 3 ? "2001:db8::%x" : "host-%u", x % 9); break;
		}
		excl_addr_index_add(ix, ip, strlen(ip), 1 + i % 5);
		n = excl_check(s, day("2026-01-01"), ip, NULL, NULL, NULL, &hits);
		for (k = 0; k < n; k++) {
			want_n[hits[k].rule]++;
			want_w[hits[k].rule] += 1 + i % 5;
		}
		excl_hits_free(hits, n);
	}
	excl_addr_index_build(ix);
	for (i = 0; i < nr; i++) {
		excl_addr_index_count(ix, s, i, &got_n, &got_w);
		ck_assert_msg(got_n == want_n[i] && got_w == want_w[i],
		    "%s: %llu values weighing %llu, want %llu weighing %llu", nets[i],
		    (unsigned long long)got_n, (unsigned long long)got_w,
		    (unsigned long long)want_n[i], (unsigned long long)want_w[i]);
	}
	/* Every network above holds some of the values, and /0 all IPv4. */
	for (i = 0; i < nr; i++)
		ck_assert_msg(want_n[i] > 0, "%s holds none of the values", nets[i]);
	excl_addr_index_free(ix);
	excl_free(s);
	buf_free(&text);
}
END_TEST

static Suite *
excl_suite(void)
{
	Suite *s = suite_create("exclusions");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_add_test(tc, test_parse_sample);
	tcase_add_test(tc, test_parse_errors);
	tcase_add_test(tc, test_parse_nul_and_many_errors);
	tcase_add_test(tc, test_missing_file_is_empty);
	tcase_add_test(tc, test_dates);
	tcase_add_test(tc, test_dates_calendar);
	tcase_add_test(tc, test_ip_values_notation);
	tcase_add_test(tc, test_rule_spec);
	tcase_add_test(tc, test_default_path);
	suite_add_tcase(s, tc);

	tc = tcase_create("match");
	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_add_test(tc, test_match_ipv4_boundaries);
	tcase_add_test(tc, test_match_ipv6_and_default_routes);
	tcase_add_test(tc, test_match_garbage);
	tcase_add_test(tc, test_match_precedence);
	tcase_add_loop_test(tc, test_iptrie_random_against_reference, 0, 2);
	tcase_add_test(tc, test_match_accounts);
	tcase_add_test(tc, test_match_fold_every_letter);
	tcase_add_test(tc, test_match_odd_prefixes);
	tcase_add_test(tc, test_match_expiry_disabled_category);
	tcase_add_test(tc, test_match_stray_bytes);
	tcase_add_test(tc, test_compile_reentrant);
	/* Compiling 800 rules on four threads takes well under a second,
	 * but a sanitizer build on a loaded machine needs more than the
	 * default four. */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("edit");
	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_add_test(tc, test_save_preserves_untouched_lines);
	tcase_add_test(tc, test_save_unchanged_is_byte_identical);
	tcase_add_test(tc, test_hostile_notes_and_values);
	tcase_add_test(tc, test_edit_api);
	tcase_add_test(tc, test_category_name_check);
	tcase_add_test(tc, test_category_remove);
	tcase_add_test(tc, test_refuses_concurrent_modification);
	tcase_add_test(tc, test_crash_before_rename_keeps_old_file);
	tcase_add_test(tc, test_crash_during_backup_keeps_old_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("import");
	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_import_plain_list);
	tcase_add_test(tc, test_import_small_service_tags);
	tcase_add_test(tc, test_import_real_service_tags);
	tcase_add_test(tc, test_kql);
	tcase_add_test(tc, test_kql_window_expiry);
	tcase_add_test(tc, test_watchlist_csv);
	tcase_add_test(tc, test_addr_index);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(excl_suite());
}
