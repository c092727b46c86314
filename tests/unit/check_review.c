/* Unit tests of the console's review (src/review.c) and of its session
 * file (src/session.c): statuses and counts, the walk to the next group
 * to review, verdicts on several groups with undo and history, recent
 * notes, and the session's round trip, damaged files named by line, its
 * path and its saves. Expected values are worked out by hand from the
 * rules in logonhunt-ledger(5) and the format in session.h. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hunt.h"
#include "ledger.h"
#include "load.h"
#include "review.h"
#include "colvis.h"
#include "session.h"
#include "table.h"
#include "ts.h"
#include "util.h"

#include "testutil.h"

/* Three groups: a (2 logons on 2 machines), b and c (1 each). */
static const char csv[] =
    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,AccountName,RemoteIP,RemoteIPType\n"
    "2025-03-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
    "2025-03-01T01:00:00Z,d2,n2,LogonSuccess,Network,C,a,1.1.1.1,Public\n"
    "2025-03-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,b,2.2.2.2,Public\n"
    "2025-03-01T00:00:00Z,d1,n1,LogonFailed,Network,C,c,3.3.3.3,Public\n";

struct fixture {
	struct table_data *d;
	struct hunt h;
	uint32_t a, b, c;	/* the groups' numbers */
};

static void
hunt_of(struct fixture *f)
{
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct load_opts o = { 0 };
	struct load_input in = { tu_write_file("DeviceLogonEvents.csv", csv,
	    strlen(csv)), LH_LOGONS };
	char *cause = NULL;
	size_t i;

	f->d = table_data_new();
	ck_assert_msg(load_all(f->d, &in, 1, &o, &cause) == 0, "%s", cause);
	free(in.path);
	hunt_run(&f->h, f->d, &ho);
	hunt_apply(&f->h, NULL);
	ck_assert_uint_eq(f->h.ng, 3);
	for (i = 0; i < 3; i++) {
		const char *n = strtab_str(f->d->st, f->h.g[i].key[1]);

		if (strcmp(n, "a") == 0)
			f->a = (uint32_t)i;
		else if (strcmp(n, "b") == 0)
			f->b = (uint32_t)i;
		else
			f->c = (uint32_t)i;
	}
}

static void
fixture_free(struct fixture *f)
{
	hunt_free(&f->h);
	table_data_free(f->d);
}

static void
expect_counts(const struct review *rv, size_t fresh, size_t changed,
    size_t reappeared, size_t untriaged)
{
	struct review_counts c;

	review_count(rv, &c);
	ck_assert_uint_eq(c.shown, 3);
	ck_assert_uint_eq(c.fresh, fresh);
	ck_assert_uint_eq(c.changed, changed);
	ck_assert_uint_eq(c.reappeared, reappeared);
	ck_assert_uint_eq(c.untriaged, untriaged);
}

/* A first run: every group new and untriaged; verdicts on two groups at
 * once make them seen; a second verdict on one, then undo twice: back to
 * the first verdict (its note), then untriaged and new again. */
START_TEST(test_verdicts_and_undo)
{
	struct fixture f;
	struct review *rv;
	struct ledger_verdict_info vi[4];
	enum ledger_verdict v;
	char *cause = NULL, *path = tu_path("ledger");
	uint32_t ab[2];

	hunt_of(&f);
	rv = review_open(path, &f.h, &cause);
	ck_assert_msg(rv != NULL, "%s", cause);
	ck_assert_int_eq(review_record(rv, 1000, NULL, NULL, &cause), 0);
	/* Found before recording: new, though recorded now. */
	ck_assert_int_eq(review_status(rv, f.a), LS_NEW);
	ck_assert_int_eq(review_verdict(rv, f.a), LV_NONE);
	expect_counts(rv, 3, 0, 0, 3);
	ck_assert_str_eq(review_cell(rv, f.a, 0), "new");
	ck_assert_str_eq(review_cell(rv, f.a, 1), "");

	ab[0] = f.a;
	ab[1] = f.b;
	review_set(rv, ab, 2, LV_FALSE_POSITIVE, "scanner", "ana", 2000);
	ck_assert_int_eq(review_status(rv, f.a), LS_SEEN);
	ck_assert_int_eq(review_status(rv, f.b), LS_SEEN);
	ck_assert_int_eq(review_status(rv, f.c), LS_NEW);
	ck_assert_str_eq(review_cell(rv, f.b, 1), "false-positive");
	ck_assert_str_eq(review_cell(rv, f.b, 2), "scanner");
	expect_counts(rv, 1, 0, 0, 1);

	ab[0] = f.a;
	review_set(rv, ab, 1, LV_TRUE_POSITIVE, "not a scanner", "bo", 3000);
	ck_assert_int_eq(review_verdict(rv, f.a), LV_TRUE_POSITIVE);
	ck_assert_uint_eq(review_undo_depth(rv), 2);

	ck_assert_uint_eq(review_undo(rv, "cy", 4000, &v), 1);
	ck_assert_int_eq(v, LV_TRUE_POSITIVE);
	ck_assert_int_eq(review_verdict(rv, f.a), LV_FALSE_POSITIVE);
	ck_assert_str_eq(review_cell(rv, f.a, 2), "scanner");
	ck_assert_int_eq(review_verdict(rv, f.b), LV_FALSE_POSITIVE);
	/* The history keeps all three, oldest first; the undo by cy. */
	ck_assert_uint_eq(review_history(rv, f.a, vi, 4), 3);
	ck_assert_int_eq(vi[0].verdict, LV_FALSE_POSITIVE);
	ck_assert_int_eq(vi[1].verdict, LV_TRUE_POSITIVE);
	ck_assert_str_eq(vi[1].who, "bo");
	ck_assert_int_eq(vi[2].verdict, LV_FALSE_POSITIVE);
	ck_assert_str_eq(vi[2].who, "cy");
	ck_assert_str_eq(vi[2].note, "scanner");
	ck_assert_int_eq(vi[2].when, 4000);
	/* The figures the first verdict was set with: a grew since counts
	 * from them. */
	ck_assert_uint_eq(vi[2].fig.instances, 2);
	ck_assert_uint_eq(vi[2].fig.machines, 2);

	ck_assert_uint_eq(review_undo(rv, "cy", 5000, &v), 2);
	ck_assert_int_eq(v, LV_FALSE_POSITIVE);
	ck_assert_int_eq(review_verdict(rv, f.a), LV_NONE);
	ck_assert_int_eq(review_verdict(rv, f.b), LV_NONE);
	ck_assert_int_eq(review_status(rv, f.a), LS_NEW);
	expect_counts(rv, 3, 0, 0, 3);
	ck_assert_uint_eq(review_undo(rv, "cy", 6000, &v), 0);
	ck_assert_uint_eq(review_undo_depth(rv), 0);

	/* Saved and read again: a is untriaged, its history of four. */
	ck_assert_int_eq(review_save(rv, &cause), 0);
	review_free(rv);
	rv = review_open(path, &f.h, &cause);
	ck_assert_msg(rv != NULL, "%s", cause);
	ck_assert_int_eq(review_verdict(rv, f.a), LV_NONE);
	ck_assert_uint_eq(review_history(rv, f.a, vi, 4), 4);
	ck_assert_int_eq(review_status(rv, f.a), LS_SEEN);
	review_free(rv);
	free(path);
	fixture_free(&f);
}
END_TEST

/* A group judged, then grown: changed; judged again: seen; undone:
 * changed again (the old verdict's figures are put back). */
START_TEST(test_undo_keeps_changed)
{
	static const char ledger[] =
	    "logonhunt-ledger 1\n"
	    "group\tC\ta\tNetwork\t1.1.1.1\tLogonSuccess\tfirst=2025-03-01T00:00:00.0000000Z\tseen=2025-03-01T00:00:00.0000000Z\tinstances=1\tmachines=1\tearliest=2025-03-01T00:00:00.0000000Z\tlatest=2025-03-01T00:00:00.0000000Z\n"
	    "verdict\t2025-03-01T00:00:00.0000000Z\tbenign-positive\tby=ana\tinstances=1\tmachines=1\tearliest=2025-03-01T00:00:00.0000000Z\tlatest=2025-03-01T00:00:00.0000000Z\tnote=lab\n";
	struct fixture f;
	struct review *rv;
	struct ledger_verdict_info vi[3];
	enum ledger_verdict v;
	char *cause = NULL, *path = tu_write_str("ledger", ledger);

	hunt_of(&f);
	rv = review_open(path, &f.h, &cause);
	ck_assert_msg(rv != NULL, "%s", cause);
	ck_assert_int_eq(review_status(rv, f.a), LS_CHANGED);
	ck_assert_int_eq(review_verdict(rv, f.a), LV_BENIGN_POSITIVE);
	expect_counts(rv, 2, 1, 0, 2);
	review_set(rv, &f.a, 1, LV_BENIGN_POSITIVE, "lab", "ana", ledger_now());
	ck_assert_int_eq(review_status(rv, f.a), LS_SEEN);
	ck_assert_uint_eq(review_undo(rv, "ana", ledger_now() + 1, &v), 1);
	ck_assert_int_eq(review_status(rv, f.a), LS_CHANGED);
	/* The verdict is back with the figures it was set with (1 logon on
	 * 1 machine), so the next run still sees a grown group. */
	ck_assert_uint_eq(review_history(rv, f.a, vi, 3), 3);
	ck_assert_uint_eq(vi[2].fig.instances, 1);
	ck_assert_uint_eq(vi[2].fig.machines, 1);
	ck_assert_int_eq(review_save(rv, &cause), 0);
	review_free(rv);
	rv = review_open(path, &f.h, &cause);
	ck_assert_msg(rv != NULL, "%s", cause);
	ck_assert_int_eq(review_status(rv, f.a), LS_CHANGED);
	review_free(rv);
	free(path);
	fixture_free(&f);
}
END_TEST

/* Pending: untriaged or not seen; the walk starts after the cursor and
 * wraps, the cursor's own row last. */
START_TEST(test_next)
{
	struct fixture f;
	struct review *rv;
	char *cause = NULL, *path = tu_path("ledger");
	uint32_t rows[3];

	hunt_of(&f);
	rv = review_open(path, &f.h, &cause);
	ck_assert_msg(rv != NULL, "%s", cause);
	rows[0] = f.a;
	rows[1] = f.b;
	rows[2] = f.c;
	ck_assert_int_eq(review_next(rv, rows, 3, 0), 1);
	ck_assert_int_eq(review_next(rv, rows, 3, 2), 0);
	review_set(rv, &f.b, 1, LV_ESCALATED, "", "ana", 1000);
	ck_assert_int_eq(review_pending(rv, f.b), 0);
	ck_assert_int_eq(review_next(rv, rows, 3, 0), 2);
	review_set(rv, &f.c, 1, LV_ESCALATED, "", "ana", 1000);
	review_set(rv, &f.a, 1, LV_ESCALATED, "", "ana", 1000);
	ck_assert_int_eq(review_next(rv, rows, 3, 0), -1);
	/* Cleared: untriaged again, so pending. */
	review_set(rv, &f.a, 1, LV_NONE, NULL, "ana", 1001);
	ck_assert_int_eq(review_next(rv, rows, 3, 0), 0);
	ck_assert_int_eq(review_next(rv, rows, 0, 0), -1);
	review_free(rv);
	free(path);
	fixture_free(&f);
}
END_TEST

/* Statuses sort in a review's order; untriaged before any verdict. */
START_TEST(test_cmp)
{
	static const char ledger[] =
	    "logonhunt-ledger 1\n"
	    "group\tC\tb\tNetwork\t2.2.2.2\tLogonSuccess\tfirst=2025-03-01T00:00:00.0000000Z\tseen=2025-03-01T00:00:00.0000000Z\tinstances=1\tmachines=1\tearliest=2025-03-01T00:00:00.0000000Z\tlatest=2025-03-01T00:00:00.0000000Z\thidden=rule\n"
	    "group\tC\tc\tNetwork\t3.3.3.3\tLogonFailed\tfirst=2025-03-01T00:00:00.0000000Z\tseen=2025-03-01T00:00:00.0000000Z\tinstances=1\tmachines=1\tearliest=2025-03-01T00:00:00.0000000Z\tlatest=2025-03-01T00:00:00.0000000Z\n"
	    "verdict\t2025-03-01T00:00:00.0000000Z\ttrue-positive\tby=ana\tinstances=1\tmachines=1\tearliest=2025-03-01T00:00:00.0000000Z\tlatest=2025-03-01T00:00:00.0000000Z\tnote=zz\n";
	struct fixture f;
	struct review *rv;
	char *cause = NULL, *path = tu_write_str("ledger", ledger);

	hunt_of(&f);
	rv = review_open(path, &f.h, &cause);
	ck_assert_msg(rv != NULL, "%s", cause);
	ck_assert_int_eq(review_status(rv, f.a), LS_NEW);
	ck_assert_int_eq(review_status(rv, f.b), LS_REAPPEARED);
	ck_assert_int_eq(review_status(rv, f.c), LS_SEEN);
	expect_counts(rv, 1, 0, 1, 2);
	ck_assert_int_lt(review_cmp(rv, 0, f.a, f.b), 0);
	ck_assert_int_lt(review_cmp(rv, 0, f.b, f.c), 0);
	ck_assert_int_gt(review_cmp(rv, 0, f.c, f.a), 0);
	ck_assert_int_eq(review_cmp(rv, 1, f.a, f.b), 0);
	ck_assert_int_lt(review_cmp(rv, 1, f.a, f.c), 0);
	ck_assert_int_lt(review_cmp(rv, 2, f.a, f.c), 0);
	ck_assert_int_gt(review_cmp(rv, 2, f.c, f.b), 0);
	review_free(rv);
	free(path);
	fixture_free(&f);
}
END_TEST

/* Recent notes: the ledger's, newest first, without repeats or empty
 * ones; then this console's on top; at most REVIEW_NOTES. */
START_TEST(test_notes)
{
	static const char head[] =
	    "logonhunt-ledger 1\n"
	    "group\tC\tz\tNetwork\t9.9.9.9\tLogonSuccess\tfirst=2025-03-01T00:00:00.0000000Z\tseen=2025-03-01T00:00:00.0000000Z\tinstances=1\tmachines=1\tearliest=2025-03-01T00:00:00.0000000Z\tlatest=2025-03-01T00:00:00.0000000Z\n";
	static const char *const notes[] = {
		"old", "dup", "", "mid", "dup"
	};
	static const char *const when[] = {
		"2025-03-01", "2025-03-02", "2025-03-03", "2025-03-04", "2025-03-05"
	};
	struct fixture f;
	struct review *rv;
	struct buf b = { 0 };
	const char *out[REVIEW_NOTES + 2];
	char *cause = NULL, *path, note[8];
	size_t i, n;

	buf_add(&b, head, strlen(head));
	for (i = 0; i < 5; i++)
		buf_addf(&b, "verdict\t%sT00:00:00.0000000Z\tundetermined\tby=a\t"
		    "instances=1\tmachines=1\tearliest=2025-03-01T00:00:00.0000000Z\t"
		    "latest=2025-03-01T00:00:00.0000000Z\tnote=%s\n", when[i],
		    notes[i]);
	path = tu_write_str("ledger", b.p);
	buf_free(&b);
	hunt_of(&f);
	rv = review_open(path, &f.h, &cause);
	ck_assert_msg(rv != NULL, "%s", cause);
	n = review_notes(rv, out, REVIEW_NOTES + 2);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(out[0], "dup");
	ck_assert_str_eq(out[1], "mid");
	ck_assert_str_eq(out[2], "old");
	review_set(rv, &f.a, 1, LV_ESCALATED, "mid", "ana", ledger_now());
	n = review_notes(rv, out, REVIEW_NOTES + 2);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(out[0], "mid");
	ck_assert_str_eq(out[1], "dup");
	for (i = 0; i < REVIEW_NOTES; i++) {
		snprintf(note, sizeof note, "n%zu", i);
		review_set(rv, &f.b, 1, LV_ESCALATED, note, "ana", ledger_now());
	}
	n = review_notes(rv, out, REVIEW_NOTES + 2);
	ck_assert_uint_eq(n, REVIEW_NOTES);
	ck_assert_str_eq(out[0], "n9");
	ck_assert_str_eq(out[REVIEW_NOTES - 1], "n0");
	review_free(rv);
	free(path);
	fixture_free(&f);
}
END_TEST

/* ------------------------------------------------------------ sessions */

/* Every field with what must be escaped, written out by hand. */
START_TEST(test_session_round_trip)
{
	static const char *const inputs[] = { "/d/b.csv", "/d/a\tb.csv", "/d/b.csv" };
	static const char expected[] =
	    "logonhunt-session 1\n"
	    "input\t/d/a\\tb.csv\n"
	    "input\t/d/b.csv\n"
	    "exclusions\t/e/x\\\\y\n"
	    "sort\tVerdict\tasc\n"
	    "sort\tInstances\tdesc\n"
	    "filter\tnew !seen\\n\n"
	    "search\t\\x1b[31m\\r\n"
	    "wide\t1\n"
	    "hide\tActionType\n"
	    "cursor\tCONTOSO\tal\\tice\tNetwork\t1.1.1.1\tLogonSuccess\n"
	    "mark\t\tadministrator\tNetwork\t::1\tLogonFailed\n"
	    "mark\tC\\\\D\tb\\x7f\tNetwork\t2.2.2.2\tLogonSuccess\n";
	struct session s, t;
	struct lh_str k[5];
	struct buf b = { 0 }, kb = { 0 };
	char *cause = NULL;

	session_init(&s, inputs, 3, "/e/x\\y");
	ck_assert_uint_eq(s.ninputs, 2);
	s.sort[0].col = xstrdup("Verdict");
	s.sort[0].desc = 0;
	s.sort[1].col = xstrdup("Instances");
	s.sort[1].desc = 1;
	s.nsort = 2;
	session_set(&s.filter, "new !seen\n");
	session_set(&s.search, "\x1b[31m\r");
	s.wide = 1;
	s.hidden = xcalloc(1, sizeof *s.hidden);
	s.hidden[s.nhidden++] = xstrdup("ActionType");
	tu_key(k, "CONTOSO", "al\tice", "Network", "1.1.1.1", "LogonSuccess");
	session_group_key(k, &kb);
	session_set(&s.cursor, kb.p);
	tu_key(k, "", "administrator", "Network", "::1", "LogonFailed");
	session_group_key(k, &kb);
	session_add_mark(&s, kb.p);
	tu_key(k, "C\\D", "b\x7f", "Network", "2.2.2.2", "LogonSuccess");
	session_group_key(k, &kb);
	session_add_mark(&s, kb.p);
	session_serialize(&s, &b);
	ck_assert_str_eq(b.p, expected);

	ck_assert_msg(session_parse("s", b.p, b.len, &t, &cause) == 0, "%s", cause);
	ck_assert(session_same_inputs(&s, &t));
	ck_assert_str_eq(t.inputs[0], "/d/a\tb.csv");
	ck_assert_str_eq(t.exclusions, "/e/x\\y");
	ck_assert_uint_eq(t.nsort, 2);
	ck_assert_str_eq(t.sort[0].col, "Verdict");
	ck_assert_int_eq(t.sort[0].desc, 0);
	ck_assert_int_eq(t.sort[1].desc, 1);
	ck_assert_str_eq(t.filter, "new !seen\n");
	ck_assert_str_eq(t.search, "\x1b[31m\r");
	ck_assert_int_eq(t.wide, 1);
	ck_assert_uint_eq(t.nhidden, 1);
	ck_assert_str_eq(t.cursor, s.cursor);
	ck_assert_uint_eq(t.nmarks, 2);
	ck_assert_str_eq(t.marks[1], kb.p);
	buf_reset(&b);
	session_serialize(&t, &b);
	ck_assert_str_eq(b.p, expected);
	session_free(&t);
	session_free(&s);
	buf_free(&b);
	buf_free(&kb);
}
END_TEST

/* Each damage is named with its line; nothing is half-kept. */
/* The command line wins over the session for what it gives (--sort);
 * the rest of the session stays to be restored. */
START_TEST(test_session_cli_wins)
{
	static const char text[] = "logonhunt-session 1\n"
	    "sort\tAccountName\tasc\n"
	    "sort\tInstances\tdesc\n"
	    "filter\tbob\n"
	    "hide\tActionType\n";
	struct session s;
	char *cause = NULL;

	ck_assert_msg(session_parse("s", text, sizeof text - 1, &s, &cause) == 0,
	    "%s", cause);
	ck_assert_uint_eq(session_yield_to_cli(&s, 0), 0);
	ck_assert_uint_eq(s.nsort, 2);
	ck_assert_uint_eq(session_yield_to_cli(&s, SESSION_CLI_SORT),
	    SESSION_CLI_SORT);
	ck_assert_uint_eq(s.nsort, 0);
	ck_assert_str_eq(s.filter, "bob");
	ck_assert_uint_eq(s.nhidden, 1);
	/* Nothing left to lose: the message says nothing of it. */
	ck_assert_uint_eq(session_yield_to_cli(&s, SESSION_CLI_SORT), 0);
	session_free(&s);
}
END_TEST

/* Hiding columns (- and + in the console): never the last one shown;
 * the column cursor's next stop and 1..9 pass hidden ones by. */
START_TEST(test_colvis)
{
	struct colvis v;

	colvis_init(&v, 3);
	ck_assert_int_eq(colvis_step(&v, 2, 1), 0);
	ck_assert_int_eq(colvis_hide(&v, 1), 0);
	ck_assert_int_eq(colvis_hide(&v, 1), 1);
	ck_assert_int_eq(v.nhidden, 1);
	ck_assert(colvis_hidden(&v, 1));
	ck_assert(!colvis_hidden(&v, 3));
	ck_assert_int_eq(colvis_step(&v, 0, 1), 2);
	ck_assert_int_eq(colvis_step(&v, 2, -1), 0);
	ck_assert_int_eq(colvis_step(&v, 1, 0), 2);
	ck_assert_int_eq(colvis_step(&v, 0, 0), 0);
	ck_assert_int_eq(colvis_nth(&v, 0), 0);
	ck_assert_int_eq(colvis_nth(&v, 1), 2);
	ck_assert_int_eq(colvis_nth(&v, 2), -1);
	ck_assert_int_eq(colvis_hide(&v, 0), 0);
	/* Column 2 is the last one shown. */
	ck_assert_int_eq(colvis_hide(&v, 2), -1);
	ck_assert(!colvis_hidden(&v, 2));
	ck_assert_int_eq(colvis_hide(&v, 3), -1);
	ck_assert_int_eq(colvis_hide(&v, -1), -1);
	ck_assert_int_eq(colvis_step(&v, 2, 1), 2);
	ck_assert_int_eq(colvis_show_all(&v), 2);
	ck_assert_int_eq(v.nhidden, 0);
	ck_assert(!colvis_hidden(&v, 0) && !colvis_hidden(&v, 1));
	ck_assert_int_eq(colvis_show_all(&v), 0);
	colvis_free(&v);
	colvis_init(&v, 1);
	ck_assert_int_eq(colvis_hide(&v, 0), -1);
	colvis_free(&v);
}
END_TEST

START_TEST(test_session_damaged)
{
	static const struct {
		const char *text, *cause;
	} bad[] = {
		{ "", "s: line 1: not a logonhunt session" },
		{ "logonhunt-session 2\n", "s: line 1: not a logonhunt session" },
		{ "logonhunt-session 1", "s: line 1: not a logonhunt session" },
		{ "logonhunt-session 1\ninput\t/a\nbogus\t1\n", "s: line 3: unknown line" },
		{ "logonhunt-session 1\ninput\n", "s: line 2: a line is a word" },
		{ "logonhunt-session 1\nfilter\ta\\q\n", "s: line 2: a value has an invalid escape" },
		{ "logonhunt-session 1\nfilter\ta\\x0\n", "s: line 2: a value has an invalid escape" },
		{ "logonhunt-session 1\nfilter\ta\\x00\n", "s: line 2: a value has an invalid escape" },
		{ "logonhunt-session 1\nfilter\ta\\\n", "s: line 2: a value has an invalid escape" },
		{ "logonhunt-session 1\nfilter\ta\tb\n", "s: line 2: a value has an invalid escape or a tab" },
		{ "logonhunt-session 1\nfilter\ta\nfilter\tb\n", "s: line 3: a line is given twice" },
		{ "logonhunt-session 1\nsort\tX\tup\n", "s: line 2: sort is" },
		{ "logonhunt-session 1\nsort\t\tasc\n", "s: line 2: sort is" },
		{ "logonhunt-session 1\nsort\tA\tasc\nsort\tB\tasc\nsort\tC\tasc\n", "s: line 4: sort is" },
		{ "logonhunt-session 1\nwide\t2\n", "s: line 2: wide is 0 or 1" },
		{ "logonhunt-session 1\nmark\ta\tb\tc\td\n", "s: line 2: a group is five" },
		{ "logonhunt-session 1\nmark\ta\tb\tc\td\te\tf\n", "s: line 2: a group is five" },
		{ "logonhunt-session 1\ncursor\ta\tb\tc\td\te\\z\n", "s: line 2: a group is five" },
		{ "logonhunt-session 1\ncursor\ta\tb\tc\td\te\ncursor\ta\tb\tc\td\te\n", "s: line 3: the cursor is given twice" },
		{ "logonhunt-session 1\nwide\t1", "s: line 2: cut short" },
	};
	struct session s;
	char *cause;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		ck_assert_msg(session_parse("s", bad[i].text, strlen(bad[i].text),
		    &s, &cause) == -1, "case %zu parsed", i);
		ck_assert_msg(strncmp(cause, bad[i].cause, strlen(bad[i].cause)) == 0,
		    "case %zu: %s", i, cause);
		ck_assert_ptr_null(s.inputs);
		ck_assert_uint_eq(s.nmarks, 0);
		free(cause);
	}
	cause = NULL;
	ck_assert_int_eq(session_parse("s", "logonhunt-session 1\nwide\t1\0\n", 28,
	    &s, &cause), -1);
	ck_assert_str_eq(cause, "s: line 2: a NUL byte");
	free(cause);
}
END_TEST

/* Files: none is 1; a damaged one is an error naming it and is kept as
 * the backup by the next save. */
START_TEST(test_session_files)
{
	struct session s, t;
	char *cause = NULL, *path = tu_path("sessions/x"), *bak, *text;
	static const char *const in[] = { "/in.csv" };

	ck_assert_int_eq(session_load(path, &t, &cause), 1);
	session_init(&s, in, 1, NULL);
	session_set(&s.filter, "bob");
	ck_assert_msg(session_save(path, &s, &cause) == 0, "%s", cause);
	ck_assert_int_eq(session_load(path, &t, &cause), 0);
	ck_assert_str_eq(t.filter, "bob");
	ck_assert_ptr_null(t.exclusions);
	session_free(&t);

	tu_write_text(path, "logonhunt-session 1\nwide\tmaybe\n");
	ck_assert_int_eq(session_load(path, &t, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "sessions/x: line 2: wide is 0 or 1"));
	free(cause);
	ck_assert_msg(session_save(path, &s, &cause) == 0, "%s", cause);
	bak = xasprintf("%s~", path);
	text = tu_read_file(bak);
	ck_assert_str_eq(text, "logonhunt-session 1\nwide\tmaybe\n");
	free(text);
	text = tu_read_file(path);
	ck_assert_str_eq(text, "logonhunt-session 1\ninput\t/in.csv\nfilter\tbob\n"
	    "wide\t0\n");
	free(text);
	free(bak);
	session_free(&s);
	free(path);
}
END_TEST

/* The same set of inputs, whichever order and however named, is one
 * session; another set or another exclusions file is another. */
START_TEST(test_session_path)
{
	static const char *const ab[] = { "a.csv", "b.csv" };
	static const char *const ba[] = { "b.csv", "./a.csv" };
	static const char *const a[] = { "a.csv" };
	static const char *const ac[] = { "a.csv", "c.csv" };
	struct session s1, s2, s3, s4, s5;
	char *p1, *p2, *p3, *p4, *dir = tu_path(""), *x;

	ck_assert_int_eq(chdir(tu_tmpdir()), 0);
	free(tu_write_str("a.csv", "x"));
	free(tu_write_str("b.csv", "x"));
	session_init(&s1, ab, 2, NULL);
	session_init(&s2, ba, 2, NULL);
	session_init(&s3, a, 1, NULL);
	session_init(&s4, ab, 2, "excl");
	session_init(&s5, ac, 2, NULL);
	ck_assert_str_eq(s1.inputs[0], s2.inputs[0]);
	ck_assert_msg(s1.inputs[0][0] == '/', "%s", s1.inputs[0]);
	ck_assert(session_same_inputs(&s1, &s2));
	ck_assert(!session_same_inputs(&s1, &s3));
	ck_assert(!session_same_inputs(&s1, &s4));
	ck_assert(!session_same_inputs(&s1, &s5));
	ck_assert_msg(s4.exclusions[0] == '/', "%s", s4.exclusions);
	setenv("XDG_STATE_HOME", "/st", 1);
	p1 = session_path(&s1);
	p2 = session_path(&s2);
	p3 = session_path(&s3);
	p4 = session_path(&s4);
	ck_assert_str_eq(p1, p2);
	ck_assert_str_ne(p1, p3);
	ck_assert_str_ne(p1, p4);
	ck_assert_int_eq(strncmp(p1, "/st/logonhunt/sessions/", 23), 0);
	ck_assert_uint_eq(strlen(p1), 23 + 16);
	free(p1);
	setenv("XDG_STATE_HOME", "relative", 1);
	setenv("HOME", "/home/u", 1);
	p1 = session_path(&s1);
	x = xasprintf("/home/u/.local/state/logonhunt/sessions/%s", p2 + 23);
	ck_assert_str_eq(p1, x);
	free(x);
	free(p1);
	free(p2);
	free(p3);
	free(p4);
	free(dir);
	session_free(&s1);
	session_free(&s2);
	session_free(&s3);
	session_free(&s4);
	session_free(&s5);
}
END_TEST

static Suite *
review_suite(void)
{
	Suite *s = suite_create("review");
	TCase *tc = tcase_create("review");
	TCase *ts = tcase_create("session");

	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_add_test(tc, test_verdicts_and_undo);
	tcase_add_test(tc, test_undo_keeps_changed);
	tcase_add_test(tc, test_next);
	tcase_add_test(tc, test_cmp);
	tcase_add_test(tc, test_notes);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(ts, tu_tmp_setup, tu_tmp_teardown);
	tcase_add_test(ts, test_session_round_trip);
	tcase_add_test(ts, test_session_cli_wins);
	tcase_add_test(ts, test_session_damaged);
	tcase_add_test(ts, test_colvis);
	tcase_add_test(ts, test_session_files);
	tcase_add_test(ts, test_session_path);
	suite_add_tcase(s, ts);
	return s;
}

int
main(void)
{
	return tu_run(review_suite());
}
