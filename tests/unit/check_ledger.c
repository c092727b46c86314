/* Unit tests of the triage ledger: every status transition, the file's
 * round trip with hostile keys, damaged files named by line, the merge,
 * saves by two writers, and recording a hunt with hidden groups. Expected
 * texts are written out by hand from logonhunt-ledger(5). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hunt.h"
#include "ledger.h"
#include "load.h"
#include "table.h"
#include "ts.h"
#include "util.h"

#include "testutil.h"

#define T(s) ts_of(s)

static int64_t
ts_of(const char *s)
{
	int64_t t;

	ck_assert_int_eq(ts_parse(s, strlen(s), &t), 0);
	return t;
}

static struct ledger_figures
fig(uint64_t inst, uint64_t mach, const char *latest)
{
	struct ledger_figures f;

	f.instances = inst;
	f.machines = mach;
	f.earliest = T("2025-03-01T00:00:00Z");
	f.latest = T(latest);
	return f;
}

/* A record last seen with figures f. */
static long
seen_with(struct ledger *l, struct ledger_figures f)
{
	struct lh_str k[5];
	long r;

	tu_key(k, "CONTOSO", "alice", "Network", "203.0.113.7", "LogonSuccess");
	r = ledger_add(l, k, T("2026-01-01T00:00:00Z"));
	ledger_record_shown(l, r, &f, T("2026-01-01T00:00:00Z"));
	return r;
}

START_TEST(test_status_rules)
{
	struct ledger *l = ledger_new("x");
	struct ledger_figures base = fig(10, 3, "2025-03-09T00:00:00Z"), now;
	long r;

	/* Never recorded: new. */
	ck_assert_int_eq(ledger_status_of(l, -1, &base), LS_NEW);
	r = seen_with(l, base);
	/* Untriaged, unchanged: seen. Each figure growing: changed. */
	ck_assert_int_eq(ledger_status_of(l, r, &base), LS_SEEN);
	now = base; now.instances = 11;
	ck_assert_int_eq(ledger_status_of(l, r, &now), LS_CHANGED);
	now = base; now.machines = 4;
	ck_assert_int_eq(ledger_status_of(l, r, &now), LS_CHANGED);
	now = base; now.latest = T("2025-03-09T00:00:00.0000001Z");
	ck_assert_int_eq(ledger_status_of(l, r, &now), LS_CHANGED);
	/* Shrinking (a narrower window) or an earlier EarliestEvent is not
	 * growth. */
	now = base; now.instances = 9; now.machines = 2;
	now.latest = T("2025-03-08T00:00:00Z");
	now.earliest = T("2025-01-01T00:00:00Z");
	ck_assert_int_eq(ledger_status_of(l, r, &now), LS_SEEN);

	/* A verdict set at 10 instances; the group then grows to 12 and is
	 * recorded (snapshot 12): still changed against the verdict. */
	ledger_set_verdict(l, r, LV_FALSE_POSITIVE, "scanner", "ana",
	    T("2026-01-02T00:00:00Z"), &base);
	ck_assert_int_eq(ledger_status_of(l, r, &base), LS_SEEN);
	now = base; now.instances = 12;
	ledger_record_shown(l, r, &now, T("2026-01-02T01:00:00Z"));
	ck_assert_int_eq(ledger_status_of(l, r, &now), LS_CHANGED);
	/* A new verdict at 12 makes it seen again. */
	ledger_set_verdict(l, r, LV_BENIGN_POSITIVE, NULL, "ana",
	    T("2026-01-03T00:00:00Z"), &now);
	ck_assert_int_eq(ledger_status_of(l, r, &now), LS_SEEN);
	/* Cleared: untriaged, compared with the snapshot again. */
	ledger_set_verdict(l, r, LV_NONE, NULL, "ana",
	    T("2026-01-04T00:00:00Z"), &now);
	ck_assert_int_eq(ledger_current(l, r, NULL), 0);
	ck_assert_int_eq(ledger_status_of(l, r, &now), LS_SEEN);
	ck_assert_uint_eq(ledger_history(l, r, NULL, 0), 3);
	ledger_free(l);
}
END_TEST

START_TEST(test_status_reappeared)
{
	const char *text =
	    "logonhunt-ledger 1\n"
	    "group\tC\ta\tNetwork\t1.1.1.1\tLogonSuccess\tfirst=2026-01-01T00:00:00.0000000Z\t"
	    "seen=2026-01-05T00:00:00.0000000Z\tinstances=5\tmachines=1\t"
	    "earliest=2025-03-01T00:00:00.0000000Z\tlatest=2025-03-02T00:00:00.0000000Z\t"
	    "hidden=maintenance ip 1.1.1.0/24\n"
	    "verdict\t2026-01-02T00:00:00.0000000Z\tbenign-positive\tby=ana\tinstances=5\t"
	    "machines=1\tearliest=\tlatest=2025-03-02T00:00:00.0000000Z\tnote=patching\n";
	struct ledger *l;
	struct ledger_figures f = fig(5, 1, "2025-03-02T00:00:00Z");
	struct lh_str k[5];
	char *cause = NULL;
	long r;

	ck_assert_msg(ledger_parse("L", text, strlen(text), &l, &cause) == 0,
	    "%s", cause);
	tu_key(k, "C", "a", "Network", "1.1.1.1", "LogonSuccess");
	r = ledger_find(l, k);
	ck_assert_int_ge(r, 0);
	ck_assert_str_eq(ledger_hidden_by(l, r), "maintenance ip 1.1.1.0/24");
	/* Hidden last time, shown now: reappeared, even unchanged and
	 * judged, and even when it grew (reappeared says more). */
	ck_assert_int_eq(ledger_status_of(l, r, &f), LS_REAPPEARED);
	f.instances = 50;
	ck_assert_int_eq(ledger_status_of(l, r, &f), LS_REAPPEARED);
	ledger_free(l);
}
END_TEST

START_TEST(test_verdict_names)
{
	enum ledger_verdict v;
	enum ledger_status s;
	int i;

	for (i = 1; i < LV_N; i++) {
		ck_assert_int_eq(ledger_verdict_parse(ledger_verdict_name(i), &v), 0);
		ck_assert_int_eq(v, i);
		ck_assert_ptr_nonnull(strstr(ledger_verdict_list(),
		    ledger_verdict_name(i)));
	}
	ck_assert_int_eq(ledger_verdict_parse("cleared", &v), 0);
	ck_assert_int_eq(v, LV_NONE);
	ck_assert_int_eq(ledger_verdict_parse("False-Positive", &v), -1);
	ck_assert_int_eq(ledger_verdict_parse("", &v), -1);
	ck_assert_int_eq(ledger_verdict_parse("benign", &v), -1);
	ck_assert_int_eq(ledger_status_parse("reappeared", &s), 0);
	ck_assert_int_eq(s, LS_REAPPEARED);
	ck_assert_int_eq(ledger_status_parse("untriaged", &s), -1);
}
END_TEST

/* The file's exact text for one group with a hostile key and a verdict,
 * and back: keys byte for byte, case kept apart. */
START_TEST(test_round_trip)
{
	static const char want[] =
	    "logonhunt-ledger 1\n"
	    "# logonhunt's triage ledger (logonhunt-ledger(5)): one \"group\" line per\n"
	    "# group of the hunt, each followed by its verdicts, oldest first.\n"
	    "group\tA\\tB\\\\\tn\\n\\r\\x1b\\xff\\xc2\\x85\xc3\xa9\t\t::1\tLogonFailed\t"
	    "first=2026-01-01T00:00:00.0000000Z\tseen=2026-01-01T00:00:00.0000000Z\t"
	    "instances=0\tmachines=0\tearliest=\tlatest=\n"
	    "verdict\t2026-02-03T04:05:06.1234567Z\tescalated\tby=b\\tob\t"
	    "instances=7\tmachines=2\tearliest=2025-03-01T00:00:00.0000000Z\t"
	    "latest=2025-12-31T23:59:59.9999999Z\tnote=line1\\nline2 \\\\ \\x7f\n"
	    "group\ta\\tB\\\\\tn\\n\\r\\x1b\\xff\\xc2\\x85\xc3\xa9\t\t::1\tLogonFailed\t"
	    "first=2026-01-01T00:00:00.0000000Z\tseen=2026-01-01T00:00:00.0000000Z\t"
	    "instances=0\tmachines=0\tearliest=\tlatest=\n";
	struct ledger *l = ledger_new("x"), *back;
	struct ledger_figures f = fig(7, 2, "2025-12-31T23:59:59.9999999Z");
	struct ledger_verdict_info vi;
	struct lh_str k[5], k2[5];
	struct buf b = { 0 }, b2 = { 0 };
	char *cause = NULL;
	long r;

	tu_key(k, "A\tB\\", "n\n\r\x1b\xff\xc2\x85\xc3\xa9", "", "::1", "LogonFailed");
	r = ledger_add(l, k, T("2026-01-01T00:00:00Z"));
	ledger_set_verdict(l, r, LV_ESCALATED, "line1\nline2 \\ \x7f", "b\tob",
	    T("2026-02-03T04:05:06.1234567Z"), &f);
	tu_key(k, "a\tB\\", "n\n\r\x1b\xff\xc2\x85\xc3\xa9", "", "::1", "LogonFailed");
	ck_assert_int_eq(ledger_add(l, k, T("2026-01-01T00:00:00Z")), 1);
	ledger_serialize(l, &b);
	ck_assert_str_eq(b.p, want);
	ck_assert_msg(ledger_parse("L", b.p, b.len, &back, &cause) == 0, "%s", cause);
	ck_assert_uint_eq(ledger_count(back), 2);
	tu_key(k, "A\tB\\", "n\n\r\x1b\xff\xc2\x85\xc3\xa9", "", "::1", "LogonFailed");
	r = ledger_find(back, k);
	ck_assert_int_eq(r, 0);
	ledger_key(back, r, k2);
	ck_assert_uint_eq(k2[1].n, k[1].n);
	ck_assert_int_eq(memcmp(k2[1].p, k[1].p, k[1].n), 0);
	ck_assert_int_eq(ledger_current(back, r, &vi), 1);
	ck_assert_int_eq(vi.verdict, LV_ESCALATED);
	ck_assert_str_eq(vi.who, "b\tob");
	ck_assert_str_eq(vi.note, "line1\nline2 \\ \x7f");
	ck_assert_int_eq(vi.fig.latest, f.latest);
	ck_assert_int_eq(vi.fig.instances, 7);
	/* Case matters, as in Kusto's summarize: "alice" is not "Alice". */
	tu_key(k, "a\tb\\", "n\n\r\x1b\xff\xc2\x85\xc3\xa9", "", "::1", "LogonFailed");
	ck_assert_int_eq(ledger_find(back, k), -1);
	ledger_serialize(back, &b2);
	ck_assert_str_eq(b2.p, want);
	buf_free(&b);
	buf_free(&b2);
	ledger_free(l);
	ledger_free(back);
}
END_TEST

/* Keys and notes of random bytes and lengths, the escaped bytes among
 * them at every offset (so that tabs and backslashes fall on each side of
 * the 16-byte blocks the reader scans), survive a round trip: every group
 * is found by its key with its note, and the file written again is the
 * same. */
START_TEST(test_round_trip_random)
{
	static const char alphabet[] = "aZ09.-\t\\\n\r\x01\x7f\xc3\xa9 =";
	enum { N = 3000, MAXLEN = 70 };
	struct ledger *l = ledger_new("x"), *back;
	struct ledger_figures f = fig(3, 1, "2025-06-01T00:00:00Z");
	struct ledger_verdict_info vi;
	struct lh_str k[5];
	struct buf b = { 0 }, b2 = { 0 };
	char (*keys)[5][MAXLEN] = xmalloc(N * sizeof *keys);
	char (*notes)[MAXLEN + 1] = xmalloc(N * sizeof *notes);
	size_t (*lens)[5] = xmalloc(N * sizeof *lens);
	char *cause = NULL;
	unsigned seed = 12345;
	size_t i, j, c;
	long r;

	for (i = 0; i < N; i++) {
		for (j = 0; j < 5; j++) {
			seed = seed * 1103515245u + 12345u;
			lens[i][j] = (seed >> 16) % MAXLEN;
			for (c = 0; c < lens[i][j]; c++) {
				seed = seed * 1103515245u + 12345u;
				keys[i][j][c] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
			}
			k[j].p = keys[i][j];
			k[j].n = lens[i][j];
		}
		/* The record number keeps keys apart. */
		k[1].n = (size_t)snprintf(keys[i][1], MAXLEN, "%zu", i);
		lens[i][1] = k[1].n;
		r = ledger_add(l, k, T("2026-01-01T00:00:00Z"));
		ck_assert_int_eq(r, (long)i);
		memcpy(notes[i], keys[i][0], lens[i][0]);
		notes[i][lens[i][0]] = '\0';
		ledger_set_verdict(l, r, LV_UNDETERMINED, notes[i], "who",
		    T("2026-02-03T04:05:06Z"), &f);
	}
	ledger_serialize(l, &b);
	ck_assert_msg(ledger_parse("L", b.p, b.len, &back, &cause) == 0, "%s", cause);
	ck_assert_uint_eq(ledger_count(back), N);
	for (i = 0; i < N; i++) {
		for (j = 0; j < 5; j++) {
			k[j].p = keys[i][j];
			k[j].n = lens[i][j];
		}
		ck_assert_int_eq(ledger_find(back, k), (long)i);
		ck_assert_int_eq(ledger_current(back, (long)i, &vi), 1);
		/* Notes stop at a NUL; the alphabet has none. */
		ck_assert_str_eq(vi.note, notes[i]);
	}
	ledger_serialize(back, &b2);
	ck_assert_uint_eq(b2.len, b.len);
	ck_assert_int_eq(memcmp(b.p, b2.p, b.len), 0);
	buf_free(&b);
	buf_free(&b2);
	ledger_free(l);
	ledger_free(back);
	free(keys);
	free(notes);
	free(lens);
}
END_TEST

static void
ck_damaged_n(const char *text, size_t n, const char *want)
{
	struct ledger *l = (struct ledger *)1;
	char *cause = NULL;

	ck_assert_int_eq(ledger_parse("cases/ledger", text, n, &l, &cause), -1);
	ck_assert_ptr_null(l);
	ck_assert_msg(strstr(cause, want) != NULL, "'%s' lacks '%s'", cause, want);
	free(cause);
}

static void
ck_damaged(const char *text, const char *want)
{
	ck_damaged_n(text, strlen(text), want);
}

#define GROUP_TAIL "\tfirst=2026-01-01T00:00:00.0000000Z\tseen=2026-01-01T00:00:00.0000000Z" \
	"\tinstances=1\tmachines=1\tearliest=\tlatest=\n"
#define VERDICT_TAIL "\tby=x\tinstances=1\tmachines=1\tearliest=\tlatest=\tnote=\n"

START_TEST(test_damaged)
{
	ck_damaged("hello\n", "cases/ledger:1: expected \"logonhunt-ledger 1\"");
	ck_damaged("# c\n\nlogonhunt-ledger 2\n", "cases/ledger:3: expected");
	ck_damaged("# only\n", "cases/ledger:1: expected");
	ck_damaged("logonhunt-ledger 1\ngroup\ta\tb\tc\td\te" GROUP_TAIL
	    "group\ta\tb\tc\td", "cases/ledger:3: the last line is cut short");
	ck_damaged("logonhunt-ledger 1\ngroup\ta\tb\tc\td" GROUP_TAIL,
	    "cases/ledger:2: a group line has the five key fields");
	ck_damaged("logonhunt-ledger 1\ngroup\ta\tb\tc\td\te" GROUP_TAIL
	    "group\ta\tb\tc\td\te" GROUP_TAIL, "cases/ledger:3: the group is already recorded on line 2");
	ck_damaged("logonhunt-ledger 1\nverdict\t2026-01-01T00:00:00Z\tescalated" VERDICT_TAIL,
	    "cases/ledger:2: a verdict line comes before any group line");
	ck_damaged("logonhunt-ledger 1\ngroup\ta\tb\tc\td\te" GROUP_TAIL
	    "verdict\t2026-01-01T00:00:00Z\tbenign" VERDICT_TAIL,
	    "cases/ledger:3: not a verdict (valid: true-positive, benign-positive, "
	    "false-positive, undetermined, escalated, cleared)");
	ck_damaged("logonhunt-ledger 1\ngroup\ta\\q\tb\tc\td\te" GROUP_TAIL,
	    "cases/ledger:2: a bad escape");
	ck_damaged("logonhunt-ledger 1\ngroup\ta\tb\tc\td\te\tfirst=2026-13-01T00:00:00Z"
	    "\tseen=\tinstances=1\tmachines=1\tearliest=\tlatest=\n",
	    "cases/ledger:2: expected first=TIMESTAMP");
	ck_damaged("logonhunt-ledger 1\ngroup\ta\tb\tc\td\te\tfirst=\tseen=\tinstances=x"
	    "\tmachines=1\tearliest=\tlatest=\n", "cases/ledger:2: instances= and machines=");
	ck_damaged("logonhunt-ledger 1\r\n", "cases/ledger:1: a carriage return");
	ck_damaged_n("logonhunt-ledger 1\n\ngroup\ta\0\n", 29, "cases/ledger:3: a NUL byte");
	ck_damaged("logonhunt-ledger 1\ngroup\ta\tb\tc\td\te" GROUP_TAIL
	    "verdict\t\tescalated" VERDICT_TAIL, "cases/ledger:3: expected the time");
	ck_damaged("logonhunt-ledger 1\nexclude\tx\n", "cases/ledger:2: expected a \"group\"");
}
END_TEST

/* Merging: the histories are united (no duplicates), the newest verdict
 * is the current one, the newer snapshot wins, first seen is the older. */
START_TEST(test_merge)
{
	struct ledger *a = ledger_new("a"), *b = ledger_new("b");
	struct ledger_figures f = fig(3, 1, "2025-03-02T00:00:00Z");
	struct ledger_verdict_info vi, h[4];
	struct lh_str k[5];
	long ra, rb;

	tu_key(k, "C", "x", "Network", "1.1.1.1", "LogonSuccess");
	ra = ledger_add(a, k, T("2026-01-02T00:00:00Z"));
	rb = ledger_add(b, k, T("2026-01-01T00:00:00Z"));
	ledger_set_verdict(a, ra, LV_UNDETERMINED, "first look", "ana",
	    T("2026-01-02T00:00:00Z"), &f);
	/* b has a's verdict too (it merged it once) and a newer one. */
	ledger_set_verdict(b, rb, LV_UNDETERMINED, "first look", "ana",
	    T("2026-01-02T00:00:00Z"), &f);
	ledger_set_verdict(b, rb, LV_TRUE_POSITIVE, "confirmed", "bo",
	    T("2026-01-03T00:00:00Z"), &f);
	tu_key(k, "C", "y", "Network", "1.1.1.1", "LogonSuccess");
	ledger_add(b, k, T("2026-01-01T00:00:00Z"));
	ledger_merge(a, b);
	ck_assert_uint_eq(ledger_count(a), 2);
	ck_assert_uint_eq(ledger_history(a, ra, h, 4), 2);
	ck_assert_int_eq(h[0].verdict, LV_UNDETERMINED);
	ck_assert_int_eq(h[1].verdict, LV_TRUE_POSITIVE);
	ck_assert_int_eq(ledger_current(a, ra, &vi), 1);
	ck_assert_str_eq(vi.who, "bo");
	ck_assert_int_eq(ledger_first_seen(a, ra), T("2026-01-01T00:00:00Z"));
	/* An older verdict merged in later stays in the history only. */
	ledger_set_verdict(b, rb, LV_ESCALATED, "old", "cy",
	    T("2025-12-31T00:00:00Z"), &f);
	ledger_merge(a, b);
	ck_assert_uint_eq(ledger_history(a, ra, h, 4), 3);
	ck_assert_int_eq(h[0].verdict, LV_ESCALATED);
	ck_assert_int_eq(ledger_current(a, ra, &vi), 1);
	ck_assert_int_eq(vi.verdict, LV_TRUE_POSITIVE);
	ledger_free(a);
	ledger_free(b);
}
END_TEST

/* Two writers load the same file, each judges another group and saves:
 * both verdicts are in the file, the previous version is the backup, and
 * a damaged file on disk is never overwritten. */
START_TEST(test_save_two_writers)
{
	char *path = tu_path("sub/dir/ledger"), *cause = NULL, *text, *bak;
	struct ledger *a, *b, *c;
	struct ledger_figures f = fig(3, 1, "2025-03-02T00:00:00Z");
	struct lh_str k[5];
	long r;

	ck_assert_msg(ledger_load(path, &a, &cause) == 0, "%s", cause);
	tu_key(k, "C", "x", "Network", "1.1.1.1", "LogonSuccess");
	ledger_add(a, k, T("2026-01-01T00:00:00Z"));
	tu_key(k, "C", "y", "Network", "1.1.1.1", "LogonSuccess");
	ledger_add(a, k, T("2026-01-01T00:00:00Z"));
	ck_assert_msg(ledger_save(a, &cause) == 0, "%s", cause);
	ledger_free(a);

	ck_assert_msg(ledger_load(path, &a, &cause) == 0, "%s", cause);
	ck_assert_msg(ledger_load(path, &b, &cause) == 0, "%s", cause);
	tu_key(k, "C", "x", "Network", "1.1.1.1", "LogonSuccess");
	ledger_set_verdict(a, ledger_find(a, k), LV_FALSE_POSITIVE, "a's",
	    "a", T("2026-01-02T00:00:00Z"), &f);
	tu_key(k, "C", "y", "Network", "1.1.1.1", "LogonSuccess");
	ledger_set_verdict(b, ledger_find(b, k), LV_TRUE_POSITIVE, "b's",
	    "b", T("2026-01-02T00:00:00Z"), &f);
	ck_assert_msg(ledger_save(a, &cause) == 0, "%s", cause);
	ck_assert_msg(ledger_save(b, &cause) == 0, "%s", cause);
	ck_assert_msg(ledger_load(path, &c, &cause) == 0, "%s", cause);
	tu_key(k, "C", "x", "Network", "1.1.1.1", "LogonSuccess");
	r = ledger_find(c, k);
	ck_assert_int_eq(ledger_current(c, r, NULL), 1);
	tu_key(k, "C", "y", "Network", "1.1.1.1", "LogonSuccess");
	r = ledger_find(c, k);
	ck_assert_int_eq(ledger_current(c, r, NULL), 1);
	/* The backup is the file before b's save: a's verdict, not b's. */
	bak = xasprintf("%s~", path);
	text = tu_read_file(bak);
	ck_assert_ptr_nonnull(strstr(text, "note=a's"));
	ck_assert_ptr_null(strstr(text, "note=b's"));
	free(text);
	ledger_free(c);

	/* Damage the file: a's next save refuses and leaves it as it is. */
	tu_write_text(path, "logonhunt-ledger 1\ngroup\tbroken\n");
	ck_assert_int_eq(ledger_save(a, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, ":2: "));
	ck_assert_ptr_nonnull(strstr(cause, "not overwritten"));
	free(cause);
	text = tu_read_file(path);
	ck_assert_str_eq(text, "logonhunt-ledger 1\ngroup\tbroken\n");
	free(text);
	/* And a load names it too. */
	ck_assert_int_eq(ledger_load(path, &c, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "ledger:2: "));
	free(cause);
	ledger_free(a);
	ledger_free(b);
	free(bak);
	free(path);
}
END_TEST

static void
rule_name(void *ctx, long rule, struct buf *out)
{
	(void)ctx;
	buf_addf(out, "rule %ld", rule);
}

static long
ip_filter(void *ctx, const char *ip, size_t n)
{
	int *on = ctx;

	return *on && n == 7 && memcmp(ip, "2.2.2.2", 7) == 0 ? 0 : -1;
}

static long
no_account(void *ctx, const char *d, size_t dn, const char *n, size_t nn)
{
	(void)ctx; (void)d; (void)dn; (void)n; (void)nn;
	return -1;
}

static long
no_device(void *ctx, const char *d, size_t n)
{
	(void)ctx; (void)d; (void)n;
	return -1;
}

/* Three runs over a hunt: recorded groups become seen, a hidden group is
 * remembered with its rule and reappears when the rule stops applying, a
 * group that grows is changed. */
START_TEST(test_run_record)
{
	static const char csv1[] =
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2025-03-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
	    "2025-03-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,b,2.2.2.2,Public\n";
	static const char csv2[] =
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
	    "2025-03-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
	    "2025-03-02T00:00:00Z,d2,n2,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
	    "2025-03-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,b,2.2.2.2,Public\n";
	const char *csvs[3] = { csv1, csv1, csv2 };
	int rule_on[3] = { 1, 1, 0 };
	struct ledger *l = ledger_new("x");
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct ledger_run r;
	int run, on;
	size_t i;

	for (run = 0; run < 3; run++) {
		struct load_opts o = { 0 };
		struct table_data *d = table_data_new();
		struct load_input in = { tu_write_file("DeviceLogonEvents.csv",
		    csvs[run], strlen(csvs[run])), LH_LOGONS };
		char *cause = NULL;
		struct hunt h;
		struct hunt_filter flt = { ip_filter, no_account, no_device, &on, 1, NULL, NULL, NULL };

		on = rule_on[run];
		ck_assert_msg(load_all(d, &in, 1, &o, &cause) == 0, "%s", cause);
		free(in.path);
		hunt_run(&h, d, &ho);
		hunt_apply(&h, &flt);
		ledger_run_match(&r, l, &h);
		for (i = 0; i < h.ng; i++) {
			const char *name = strtab_str(d->st, h.g[i].key[1]);

			if (strcmp(name, "a") == 0)
				ck_assert_int_eq(r.status[i], run == 0 ? LS_NEW :
				    run == 1 ? LS_SEEN : LS_CHANGED);
			else if (run == 2)
				ck_assert_int_eq(r.status[i], LS_REAPPEARED);
		}
		ck_assert_uint_eq(r.count[LS_NEW], run == 0);
		ck_assert_uint_eq(r.count[LS_SEEN], run == 1);
		ck_assert_uint_eq(r.count[LS_CHANGED], run == 2);
		ck_assert_uint_eq(r.count[LS_REAPPEARED], run == 2);
		ck_assert_uint_eq(r.untriaged, run == 2 ? 2 : 1);
		ledger_run_record(&r, l, &h, T("2026-01-01T00:00:00Z") + run,
		    rule_name, NULL);
		ck_assert_uint_eq(ledger_count(l), 2);
		for (i = 0; i < h.ng; i++)
			if (strcmp(strtab_str(d->st, h.g[i].key[1]), "b") == 0) {
				if (run < 2)
					ck_assert_str_eq(ledger_hidden_by(l, r.rec[i]), "rule 0");
				else
					ck_assert_ptr_null(ledger_hidden_by(l, r.rec[i]));
			}
		ledger_run_free(&r);
		hunt_free(&h);
		table_data_free(d);
	}
	ledger_free(l);
}
END_TEST

START_TEST(test_default_path)
{
	char *p;

	setenv("XDG_DATA_HOME", "/x/data", 1);
	p = ledger_default_path();
	ck_assert_str_eq(p, "/x/data/logonhunt/ledger");
	free(p);
	setenv("XDG_DATA_HOME", "relative", 1);
	setenv("HOME", "/home/u", 1);
	p = ledger_default_path();
	ck_assert_str_eq(p, "/home/u/.local/share/logonhunt/ledger");
	free(p);
	setenv("LOGONHUNT_USER", "case-7", 1);
	ck_assert_str_eq(ledger_default_analyst(), "case-7");
	unsetenv("LOGONHUNT_USER");
	setenv("USER", "ana", 1);
	ck_assert_str_eq(ledger_default_analyst(), "ana");
}
END_TEST

static Suite *
ledger_suite(void)
{
	Suite *s = suite_create("ledger");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_add_test(tc, test_status_rules);
	tcase_add_test(tc, test_status_reappeared);
	tcase_add_test(tc, test_verdict_names);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_round_trip_random);
	tcase_add_test(tc, test_damaged);
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_save_two_writers);
	tcase_add_test(tc, test_run_record);
	tcase_add_test(tc, test_default_path);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(ledger_suite());
}
