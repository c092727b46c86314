/* Unit tests of the triage ledger: every status transition, the file's
 * round trip with hostile keys, damaged files named by line, the merge,
 * saves by two writers, and recording a hunt with hidden groups. Expected
 * texts are written out by hand from logonhunt-ledger(5). */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hunt.h"
#include "ledger.h"
#include "ledger_int.h"
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

/* b is text followed by the end line that closes a save, whose size= is
 * the length of the whole: what the next save checks. */
static void
ck_end_line(const struct buf *b, const char *text)
{
	size_t n = strlen(text);
	char want[64];

	ck_assert_uint_ge(b->len, n);
	ck_assert_int_eq(memcmp(b->p, text, n), 0);
	snprintf(want, sizeof want, "end\tsize=%zu\n", b->len);
	ck_assert_str_eq(b->p + n, want);
}

/* The file's exact text for one group with a hostile key and a verdict,
 * and back: keys byte for byte, case kept apart. */
START_TEST(test_round_trip)
{
	static const char want[] =
	    "logonhunt-ledger 2\n"
	    "# logonhunt's triage ledger (logonhunt-ledger(5)): one \"group\" line per\n"
	    "# group of the hunt, each followed by its verdicts, oldest first; an\n"
	    "# \"end\" line closes each save.\n"
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
	ck_end_line(&b, want);
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
	ck_assert_str_eq(b2.p, b.p);
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
	ck_damaged("hello\n", "cases/ledger:1: expected \"logonhunt-ledger 2\"");
	ck_damaged("# c\n\nlogonhunt-ledger 3\n", "cases/ledger:3: expected");
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

/* Counts the occurrences of needle in text. */
static size_t
count_of(const char *text, const char *needle)
{
	size_t n = 0;

	for (; (text = strstr(text, needle)) != NULL; text++)
		n++;
	return n;
}

/* Two writers load the same file, each judges another group and saves:
 * each save appends what it changed (the file before it is left byte for
 * byte), the second merges what the first appended, and both verdicts
 * are in the file once. A file another program replaced is read again,
 * merged and written whole, the replaced one kept as the backup; a
 * damaged file on disk is never overwritten. */
START_TEST(test_save_two_writers)
{
	char *path = tu_path("sub/dir/ledger"), *cause = NULL, *text, *bak, *first, *edited;
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
	first = tu_read_file(path);

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
	ledger_free(c);
	text = tu_read_file(path);
	ck_assert_int_eq(strncmp(text, first, strlen(first)), 0);
	ck_assert_uint_eq(count_of(text, "note=a's"), 1);
	ck_assert_uint_eq(count_of(text, "note=b's"), 1);
	ck_assert_uint_eq(count_of(text, "\nend\tsize="), 3);
	/* a's save came first, so b's follows it. */
	ck_assert(strstr(text, "note=a's") < strstr(text, "note=b's"));
	free(text);
	/* Appending touched no backup. */
	bak = xasprintf("%s~", path);
	ck_assert_int_eq(access(bak, F_OK), -1);

	/* Another program puts a new file in its place (an editor adding a
	 * group by hand): a's next save reads it, merges and writes the
	 * whole file, and the replaced file is the backup. */
	tu_key(k, "C", "z", "Network", "1.1.1.1", "LogonSuccess");
	ledger_set_verdict(a, ledger_add(a, k, T("2026-01-03T00:00:00Z")),
	    LV_ESCALATED, "a's second", "a", T("2026-01-03T00:00:00Z"), &f);
	text = tu_read_file(path);
	edited = xasprintf("logonhunt-ledger 2\ngroup\tD\tw\tNetwork\t1.1.1.1\t"
	    "LogonSuccess" GROUP_TAIL "%s", strchr(text, '\n') + 1);
	free(text);
	text = xasprintf("%s.new", path);
	tu_write_text(text, edited);
	ck_assert_int_eq(rename(text, path), 0);
	free(text);
	ck_assert_msg(ledger_save(a, &cause) == 0, "%s", cause);
	text = tu_read_file(bak);
	ck_assert_str_eq(text, edited);
	free(text);
	free(edited);
	text = tu_read_file(path);
	ck_assert_uint_eq(count_of(text, "\ngroup\t"), 4);
	ck_assert_uint_eq(count_of(text, "note=a's second"), 1);
	ck_assert_uint_eq(count_of(text, "note=b's"), 1);
	ck_assert_uint_eq(count_of(text, "\nend\tsize="), 1);
	free(text);

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
	free(first);
	free(path);
}
END_TEST

/* The text a ledger's state writes (one save). */
static char *
state_of(const struct ledger *l)
{
	struct buf b = { 0 };

	ledger_serialize(l, &b);
	return b.p;
}

static char *
state_of_file(const char *path, size_t *torn)
{
	struct ledger *l;
	char *cause = NULL, *text;

	ck_assert_msg(ledger_load(path, &l, &cause) == 0, "%s", cause);
	text = state_of(l);
	if (torn != NULL)
		*torn = ledger_torn_line(l);
	ledger_free(l);
	return text;
}

static void
key_n(struct lh_str k[5], char *name, size_t i)
{
	snprintf(name, 16, "u%zu", i);
	tu_key(k, "CONTOSO", name, "Network", "198.51.100.1", "LogonFailed");
}

/* A new ledger at path of n groups (keys key_n) shown with f, saved. */
static struct ledger *
saved_with(const char *path, size_t n, const struct ledger_figures *f)
{
	struct ledger *l;
	struct lh_str k[5];
	char *cause = NULL, name[16];
	size_t i;

	ck_assert_msg(ledger_load(path, &l, &cause) == 0, "%s", cause);
	for (i = 0; i < n; i++) {
		key_n(k, name, i);
		ledger_record_shown(l, ledger_add(l, k, T("2026-01-01T00:00:00Z")),
		    f, T("2026-01-01T00:00:00Z"));
	}
	ck_assert_msg(ledger_save(l, &cause) == 0, "%s", cause);
	return l;
}

/* A save that is killed while it appends leaves a prefix of its text: at
 * every byte, reading the file gives exactly the ledger before that save
 * (what follows the last end line is left out and its line named), and
 * with the whole text, the ledger after it. The next save removes what
 * an interrupted one left and appends its own. */
/* Writes n bytes of data to path without asserting (an assertion is a
 * write to the test harness, too slow a thousand times over). */
static int
write_quietly(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (f == NULL)
		return 0;
	ok = fwrite(data, 1, n, f) == n;
	return fclose(f) == 0 && ok;
}

START_TEST(test_append_torn)
{
	char *path = tu_path("ledger"), *cause = NULL, *before, *after, *full,
	    *cut, *got, name[16];
	struct ledger_figures f = fig(4, 2, "2025-04-01T00:00:00Z");
	struct ledger *l;
	struct lh_str k[5];
	size_t i, n0, n1, torn, bad = SIZE_MAX, cuts = 0;

	ledger_free(saved_with(path, 20, &f));
	before = state_of_file(path, NULL);
	n0 = strlen(full = tu_read_file(path));
	free(full);

	ck_assert_msg(ledger_load(path, &l, &cause) == 0, "%s", cause);
	f = fig(9, 3, "2025-05-01T00:00:00Z");
	for (i = 0; i < 20; i += 3) {
		key_n(k, name, i);
		ledger_record_shown(l, ledger_find(l, k), &f, T("2026-01-02T00:00:00Z"));
		ledger_set_verdict(l, ledger_find(l, k), LV_BENIGN_POSITIVE,
		    "tab\there", "me", T("2026-01-02T00:00:00Z"), NULL);
	}
	key_n(k, name, 99);
	ledger_add(l, k, T("2026-01-02T00:00:00Z"));
	ck_assert_msg(ledger_save(l, &cause) == 0, "%s", cause);
	after = state_of(l);
	ledger_free(l);
	full = tu_read_file(path);
	n1 = strlen(full);
	ck_assert_uint_gt(n1, n0);
	ck_assert_str_eq(got = state_of_file(path, &torn), after);
	free(got);
	ck_assert_uint_eq(torn, 0);
	ck_assert_str_ne(before, after);

	cut = tu_path("cut");
	/* Every byte near the ends, every fifth in between, read from memory
	 * (every 50th from a file too, through the reader that looks for the
	 * last end line from the file's end); the checks of each cut are
	 * counted, not asserted one by one (an assertion is a write to the
	 * test harness). */
	for (i = n0; i < n1; i += i - n0 < 300 || n1 - i < 300 ? 1 : 5) {
		struct ledger *c;
		int from_file = cuts % 50 == 0;

		if (from_file ? !write_quietly(cut, full, i) ||
		    ledger_load(cut, &c, &cause) != 0 :
		    ledger_parse(cut, full, i, &c, &cause) != 0)
			ck_abort_msg("cut at byte %zu of %zu: %s", i, n1,
			    cause != NULL ? cause : "not written");
		got = state_of(c);
		torn = ledger_torn_line(c);
		ledger_free(c);
		/* Only a cut at the end line itself leaves no line behind. */
		if (strcmp(got, before) != 0 || (i > n0 ? torn <= 20 : torn != 0))
			bad = bad == SIZE_MAX ? i : bad;
		free(got);
		cuts++;
	}
	ck_assert_msg(bad == SIZE_MAX, "cut at byte %zu of %zu", bad, n1);
	ck_assert_uint_gt(cuts, 600);

	/* The next save, from the ledger before: the remains go, its own
	 * change is appended, and nothing of the interrupted save is read. */
	tu_write_at(path, full, (n0 + n1) / 2);
	ck_assert_msg(ledger_load(path, &l, &cause) == 0, "%s", cause);
	ck_assert_uint_gt(ledger_torn_line(l), 0);
	key_n(k, name, 5);
	ledger_set_verdict(l, ledger_find(l, k), LV_TRUE_POSITIVE, "five", "me",
	    T("2026-01-03T00:00:00Z"), NULL);
	ck_assert_msg(ledger_save(l, &cause) == 0, "%s", cause);
	ck_assert_uint_eq(ledger_torn_line(l), 0);
	free(got = state_of(l));
	ledger_free(l);
	free(full);
	full = tu_read_file(path);
	ck_assert_uint_eq(count_of(full, "note=tab"), 0);
	ck_assert_uint_eq(count_of(full, "note=five"), 1);
	ck_assert_uint_eq(count_of(full, "\nend\tsize="), 2);
	got = state_of_file(path, &torn);
	ck_assert_uint_eq(torn, 0);
	ck_assert_uint_eq(count_of(got, "\ngroup\t"), 20);
	free(got);
	free(full);
	free(cut);
	free(before);
	free(after);
	free(path);
}
END_TEST

/* Two writers judge the same group: the second save reads the first's
 * verdict and appends only its own, so each is in the file once and the
 * group's history has both. */
START_TEST(test_append_same_group)
{
	char *path = tu_path("ledger"), *cause = NULL, *text, name[16];
	struct ledger_figures f = fig(4, 2, "2025-04-01T00:00:00Z");
	struct ledger_verdict_info vi[4];
	struct ledger *a, *b;
	struct lh_str k[5];

	ledger_free(saved_with(path, 3, &f));
	ck_assert_msg(ledger_load(path, &a, &cause) == 0, "%s", cause);
	ck_assert_msg(ledger_load(path, &b, &cause) == 0, "%s", cause);
	key_n(k, name, 1);
	ledger_set_verdict(a, ledger_find(a, k), LV_FALSE_POSITIVE, "first",
	    "a", T("2026-01-02T00:00:00Z"), NULL);
	ledger_set_verdict(b, ledger_find(b, k), LV_TRUE_POSITIVE, "second",
	    "b", T("2026-01-03T00:00:00Z"), NULL);
	ck_assert_msg(ledger_save(a, &cause) == 0, "%s", cause);
	ck_assert_msg(ledger_save(b, &cause) == 0, "%s", cause);
	text = tu_read_file(path);
	ck_assert_uint_eq(count_of(text, "note=first\n"), 1);
	ck_assert_uint_eq(count_of(text, "note=second\n"), 1);
	ck_assert_uint_eq(count_of(text, "\nend\tsize="), 3);
	free(text);
	ledger_free(a);
	ck_assert_msg(ledger_load(path, &a, &cause) == 0, "%s", cause);
	ck_assert_uint_eq(ledger_history(a, ledger_find(a, k), vi, 4), 2);
	ck_assert_str_eq(vi[0].note, "first");
	ck_assert_str_eq(vi[1].note, "second");
	ledger_free(a);
	ledger_free(b);
	free(path);
}
END_TEST

/* Saves after the first are merged group by group: the newer record's
 * figures win whatever the order of the saves, first seen is the earliest,
 * a verdict repeated is kept once, and a group new in a later save is
 * added. */
START_TEST(test_later_saves)
{
	static const char text[] = "logonhunt-ledger 2\n"
	    "group\tC\tg\tNetwork\t1.1.1.1\tLogonFailed\tfirst=2026-01-02T00:00:00Z"
	    "\tseen=2026-01-02T00:00:00Z\tinstances=1\tmachines=1\tearliest=\tlatest=\n"
	    "verdict\t2026-01-02T00:00:00Z\tfalse-positive" VERDICT_TAIL
	    "end\tsize=1\n"
	    "group\tC\tg\tNetwork\t1.1.1.1\tLogonFailed\tfirst=2026-01-01T00:00:00Z"
	    "\tseen=2026-01-05T00:00:00Z\tinstances=9\tmachines=4\tearliest=\tlatest="
	    "\thidden=maintenance ip 1.1.1.1\n"
	    "verdict\t2026-01-02T00:00:00Z\tfalse-positive" VERDICT_TAIL
	    "verdict\t2026-01-04T00:00:00Z\tescalated" VERDICT_TAIL
	    "group\tC\th\tNetwork\t1.1.1.1\tLogonFailed\tfirst=2026-01-05T00:00:00Z"
	    "\tseen=2026-01-05T00:00:00Z\tinstances=2\tmachines=2\tearliest=\tlatest=\n"
	    "end\tsize=2\n"
	    "group\tC\tg\tNetwork\t1.1.1.1\tLogonFailed\tfirst=2026-01-03T00:00:00Z"
	    "\tseen=2026-01-03T00:00:00Z\tinstances=5\tmachines=2\tearliest=\tlatest=\n"
	    "end\tsize=3\n";
	struct ledger_verdict_info vi[4];
	struct ledger *l;
	struct lh_str k[5];
	char *cause = NULL;
	long r;

	ck_assert_msg(ledger_parse("L", text, strlen(text), &l, &cause) == 0, "%s", cause);
	ck_assert_uint_eq(ledger_count(l), 2);
	ck_assert_uint_eq(ledger_torn_line(l), 0);
	tu_key(k, "C", "g", "Network", "1.1.1.1", "LogonFailed");
	r = ledger_find(l, k);
	ck_assert_int_eq(r, 0);
	ck_assert_uint_eq(ledger_snapshot(l, r)->instances, 9);
	ck_assert_uint_eq(ledger_snapshot(l, r)->machines, 4);
	ck_assert_int_eq(ledger_last_seen(l, r), T("2026-01-05T00:00:00Z"));
	ck_assert_int_eq(ledger_first_seen(l, r), T("2026-01-01T00:00:00Z"));
	ck_assert_str_eq(ledger_hidden_by(l, r), "maintenance ip 1.1.1.1");
	ck_assert_uint_eq(ledger_history(l, r, vi, 4), 2);
	ck_assert_int_eq(vi[0].verdict, LV_FALSE_POSITIVE);
	ck_assert_int_eq(vi[1].verdict, LV_ESCALATED);
	tu_key(k, "C", "h", "Network", "1.1.1.1", "LogonFailed");
	ck_assert_int_eq(ledger_find(l, k), 1);
	ledger_free(l);
	/* Within one later save a group is still recorded once. */
	ck_damaged("logonhunt-ledger 2\nend\tsize=1\ngroup\ta\tb\tc\td\te" GROUP_TAIL
	    "group\ta\tb\tc\td\te" GROUP_TAIL "end\tsize=2\n",
	    "cases/ledger:4: the group is already recorded on line 3 of the same save");
	ck_damaged("logonhunt-ledger 2\ngroup\ta\tb\tc\td\te" GROUP_TAIL "end\tsize=1\n"
	    "verdict\t2026-01-01T00:00:00Z\tescalated" VERDICT_TAIL "end\tsize=2\n",
	    "cases/ledger:4: a verdict line comes before any group line of its save");
}
END_TEST

/* A reader holds no lock: a save another program appends after the
 * reader looked at the file's size is not read as the rest of an
 * interrupted save (and then skipped for good), but left for the next
 * save, which merges it. */
START_TEST(test_append_while_reading)
{
	char *path = tu_path("ledger"), *cause = NULL, name[16];
	struct ledger_figures f = fig(4, 2, "2025-04-01T00:00:00Z");
	struct ledger *a, *b;
	struct lh_str k[5];
	struct stat st;
	off_t before;
	int fd;

	ledger_free(saved_with(path, 3, &f));
	ck_assert_int_eq(stat(path, &st), 0);
	before = st.st_size;
	ck_assert_msg(ledger_load(path, &a, &cause) == 0, "%s", cause);
	key_n(k, name, 1);
	ledger_set_verdict(a, ledger_find(a, k), LV_ESCALATED, "appended",
	    "a", T("2026-01-02T00:00:00Z"), NULL);
	ck_assert_msg(ledger_save(a, &cause) == 0, "%s", cause);
	ledger_free(a);
	/* Read as a reader that looked at the size before that save. */
	fd = open(path, O_RDONLY);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(ledger_parse_fd(path, fd, (size_t)before, &b, &cause), 0);
	ck_assert_uint_eq(ledger_torn_line(b), 0);
	ck_assert_int_eq(ledger_current(b, ledger_find(b, k), NULL), 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(ledger_parse_more(b, fd, before, st.st_size, 5, &cause), 0);
	ck_assert_int_eq(ledger_current(b, ledger_find(b, k), NULL), 1);
	close(fd);
	ledger_free(b);
	free(path);
}
END_TEST

/* A save with nothing changed writes nothing; a file changed in place by
 * another program (the end line this ledger wrote no longer where it
 * was) is read again and written whole, never appended to blindly. */
START_TEST(test_append_guards)
{
	char *path = tu_path("ledger"), *cause = NULL, *text, *edited, *bak, name[16];
	struct ledger_figures f = fig(4, 2, "2025-04-01T00:00:00Z");
	struct ledger *l;
	struct lh_str k[5];
	struct stat st0, st1;

	l = saved_with(path, 5, &f);
	ck_assert_int_eq(stat(path, &st0), 0);
	ck_assert_msg(ledger_save(l, &cause) == 0, "%s", cause);
	ck_assert_int_eq(stat(path, &st1), 0);
	ck_assert_int_eq(st0.st_size, st1.st_size);
	ck_assert_int_eq(st0.st_mtim.tv_nsec, st1.st_mtim.tv_nsec);
	ck_assert_int_eq(st0.st_mtim.tv_sec, st1.st_mtim.tv_sec);

	/* Rewritten in place, longer, with a group added by hand. */
	text = tu_read_file(path);
	edited = xasprintf("logonhunt-ledger 2\ngroup\tD\tw\tNetwork\t1.1.1.1\t"
	    "LogonSuccess" GROUP_TAIL "%s", strchr(text, '\n') + 1);
	tu_write_at(path, edited, strlen(edited));
	ck_assert_int_eq(stat(path, &st1), 0);
	ck_assert_int_eq(st0.st_ino, st1.st_ino);
	key_n(k, name, 2);
	ledger_set_verdict(l, ledger_find(l, k), LV_ESCALATED, "two", "me",
	    T("2026-01-02T00:00:00Z"), NULL);
	ck_assert_msg(ledger_save(l, &cause) == 0, "%s", cause);
	ledger_free(l);
	bak = xasprintf("%s~", path);
	free(text);
	text = tu_read_file(bak);
	ck_assert_str_eq(text, edited);
	free(text);
	text = tu_read_file(path);
	ck_assert_uint_eq(count_of(text, "\ngroup\t"), 6);
	ck_assert_uint_eq(count_of(text, "\tw\tNetwork"), 1);
	ck_assert_uint_eq(count_of(text, "note=two"), 1);
	ck_assert_uint_eq(count_of(text, "\nend\tsize="), 1);
	free(text);
	free(edited);
	free(bak);
	free(path);
}
END_TEST

/* A version 1 file (no end lines) is read whole, and its first save
 * writes the whole file in version 2, the old one kept as the backup. */
START_TEST(test_version1)
{
	static const char v1[] = "logonhunt-ledger 1\n"
	    "group\tC\tx\tNetwork\t1.1.1.1\tLogonSuccess" GROUP_TAIL;
	char *path = tu_path("ledger"), *cause = NULL, *text, *bak;
	struct ledger *l;
	struct lh_str k[5];

	tu_write_text(path, v1);
	ck_assert_msg(ledger_load(path, &l, &cause) == 0, "%s", cause);
	ck_assert_uint_eq(ledger_count(l), 1);
	ck_assert_uint_eq(ledger_torn_line(l), 0);
	tu_key(k, "C", "x", "Network", "1.1.1.1", "LogonSuccess");
	ledger_set_verdict(l, ledger_find(l, k), LV_ESCALATED, "n", "me",
	    T("2026-01-02T00:00:00Z"), NULL);
	ck_assert_msg(ledger_save(l, &cause) == 0, "%s", cause);
	ledger_free(l);
	bak = xasprintf("%s~", path);
	text = tu_read_file(bak);
	ck_assert_str_eq(text, v1);
	free(text);
	text = tu_read_file(path);
	ck_assert_int_eq(strncmp(text, "logonhunt-ledger 2\n", 19), 0);
	ck_assert_uint_eq(count_of(text, "\nend\tsize="), 1);
	ck_assert_uint_eq(count_of(text, "note=n\n"), 1);
	free(text);
	free(bak);
	free(path);
}
END_TEST

/* Runs that record every group append a save each; once superseded group
 * lines would be most of the file, the save writes it whole again. */
START_TEST(test_append_rewrites)
{
	enum { N = 3000 };
	char *path = tu_path("ledger"), *cause = NULL, *text, *bak, name[16];
	struct ledger_figures f = fig(1, 1, "2025-04-01T00:00:00Z");
	struct ledger *l;
	struct lh_str k[5];
	size_t i, round, ends[4];

	ck_assert_msg(ledger_load(path, &l, &cause) == 0, "%s", cause);
	for (i = 0; i < N; i++) {
		key_n(k, name, i);
		ledger_add(l, k, T("2026-01-01T00:00:00Z"));
	}
	ck_assert_msg(ledger_save(l, &cause) == 0, "%s", cause);
	ledger_free(l);
	for (round = 0; round < 4; round++) {
		ck_assert_msg(ledger_load(path, &l, &cause) == 0, "%s", cause);
		f.instances = round + 2;
		for (i = 0; i < N; i++) {
			key_n(k, name, i);
			ledger_record_shown(l, ledger_find(l, k), &f,
			    T("2026-01-02T00:00:00Z") + (int64_t)round);
		}
		ck_assert_msg(ledger_save(l, &cause) == 0, "%s", cause);
		ledger_free(l);
		text = tu_read_file(path);
		ends[round] = count_of(text, "\nend\tsize=");
		ck_assert_uint_eq(count_of(text, "\ngroup\t"), N * ends[round]);
		free(text);
	}
	/* 3,000 groups: a rewrite once the file would hold more than
	 * 2 * 3,000 + 4,096 group lines, at the third run. */
	ck_assert_uint_eq(ends[0], 2);
	ck_assert_uint_eq(ends[1], 3);
	ck_assert_uint_eq(ends[2], 1);
	ck_assert_uint_eq(ends[3], 2);
	bak = xasprintf("%s~", path);
	ck_assert_int_eq(access(bak, F_OK), 0);
	text = state_of_file(path, NULL);
	ck_assert_uint_eq(count_of(text, "\tinstances=5\t"), N);
	free(text);
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
	/* Saves sync their files: slow on a loaded machine, and under ASan. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_status_rules);
	tcase_add_test(tc, test_status_reappeared);
	tcase_add_test(tc, test_verdict_names);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_round_trip_random);
	tcase_add_test(tc, test_damaged);
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_save_two_writers);
	tcase_add_test(tc, test_append_torn);
	tcase_add_test(tc, test_append_guards);
	tcase_add_test(tc, test_append_while_reading);
	tcase_add_test(tc, test_later_saves);
	tcase_add_test(tc, test_append_same_group);
	tcase_add_test(tc, test_version1);
	tcase_add_test(tc, test_append_rewrites);
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
