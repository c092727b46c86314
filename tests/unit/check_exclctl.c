/* Unit tests of the console's exclusion edits (exclctl): every kind of
 * change made and undone through the save policy, leaving the file byte
 * for byte as it was; the preview of a new rule's effect on the groups
 * shown; and the policy when a save fails: the question it reports, what
 * reloading and keeping do to the set, the file and the undo list. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "excl.h"
#include "exclctl.h"
#include "hunt.h"
#include "load.h"
#include "table.h"
#include "ts.h"
#include "util.h"

#include "testutil.h"

/* ------------------------------------------------------------ helpers */

/* Lines as logonhunt writes them (a rule it rewrites comes back in this
 * form), between comments, blank lines and options it must keep. */
static const char fixture[] =
    "# known-good sources, edited by hand\n"
    "\n"
    "[maintenance]\n"
    "ip 10.0.0.1  # patch server\n"
    "!account CONTOSO\\svc_patch  # narrower\n"
    "ip 192.0.2.0/24 until=2030-01-31  # lab\n"
    "\n"
    "# collectors\n"
    "[siem]\n"
    "enabled = no\n"
    "ip 157.97.109.40\n"
    "\n"
    "[custom-x]\n"
    "description = my own\n"
    "device backup-0*  # disks\n";

static char *
slurp(const char *path)
{
	char *p = tu_read_file(path);

	ck_assert_msg(p != NULL, "cannot read %s", path);
	return p;
}

static void
ck_file(const char *path, const char *want)
{
	char *got = slurp(path);

	ck_assert_str_eq(got, want);
	free(got);
}

/* Writes text as "exclusions" in the test's directory and opens it. */
static struct xctl *
open_text(const char *text, char **path)
{
	struct xctl *x;
	char *cause = NULL;

	*path = tu_write_str("exclusions", text);
	x = xctl_open(*path, &cause);
	ck_assert_msg(x != NULL, "open failed: %s", cause);
	return x;
}

/* Makes (or undoes) op and saves it; the save must succeed. */
static void
commit_ok(struct xctl *x, struct xop *op, int undo)
{
	char *cause = NULL;

	ck_assert_msg(xctl_change(x, op, undo, &cause) == 0, "change: %s", cause);
	ck_assert_int_eq(xctl_save(x, &cause), XCTL_SAVED);
	ck_assert_ptr_null(x->pending);
	ck_assert_int_eq(x->unsaved, 0);
}

static long
rule_of(const struct xctl *x, const char *cat, enum excl_kind kind,
    const char *text)
{
	long i = xctl_find_rule(x, cat, kind, text);

	ck_assert_msg(i >= 0, "no rule %s in [%s]", text, cat);
	return i;
}

static time_t
date(const char *s)
{
	time_t t;
	char *cause = NULL;

	ck_assert_msg(excl_date_parse(s, &t, &cause) == 0, "%s", cause);
	return t;
}

/* ------------------------------------------------------------ undo */

/* Each kind of change, built as the exclusions screen builds it. */
static struct xop *
make_op(struct xctl *x, int kind)
{
	struct xop *op;

	switch (kind) {
	case XOP_CAT_ENABLE:	/* siem is off: switches it on */
		return xop_toggle_category(x, (size_t)excl_category_find(x->set,
		    "siem"));
	case XOP_RULE_ENABLE:	/* the disabled account rule, on */
		op = xop_for_rule(x, XOP_RULE_ENABLE, (size_t)rule_of(x,
		    "maintenance", EXCL_ACCOUNT, "CONTOSO\\svc_patch"));
		op->on = !op->oon;
		return op;
	case XOP_ADD:
		return xop_add_rule("maintenance", EXCL_IP, "198.51.100.0/24",
		    "new range", date("2031-01-01"));
	case XOP_REMOVE:	/* the last rule of its section */
		return xop_for_rule(x, XOP_REMOVE, (size_t)rule_of(x,
		    "maintenance", EXCL_IP, "192.0.2.0/24"));
	case XOP_EDIT:
		op = xop_for_rule(x, XOP_EDIT, (size_t)rule_of(x, "maintenance",
		    EXCL_IP, "10.0.0.1"));
		op->rkind = EXCL_ACCOUNT;
		free(op->text);
		op->text = xstrdup("CONTOSO\\svc_new");
		return op;
	case XOP_NOTE:
		op = xop_for_rule(x, XOP_NOTE, (size_t)rule_of(x, "custom-x",
		    EXCL_DEVICE, "backup-0*"));
		free(op->note);
		op->note = xstrdup("other note");
		return op;
	case XOP_UNTIL:
		op = xop_for_rule(x, XOP_UNTIL, (size_t)rule_of(x, "siem",
		    EXCL_IP, "157.97.109.40"));
		op->until = date("2029-12-31");
		return op;
	case XOP_ADD_CATEGORY:
		return xop_add_category("new-cat", "made by a test");
	}
	ck_abort_msg("no such kind %d", kind);
	return NULL;
}

/* What the file holds once the change of that kind is saved. */
static const char *
changed_line(int kind)
{
	switch (kind) {
	case XOP_CAT_ENABLE: return "[siem]\nenabled = yes\n";
	case XOP_RULE_ENABLE: return "\naccount CONTOSO\\svc_patch  # narrower\n";
	case XOP_ADD: return "  # lab\nip 198.51.100.0/24 until=2031-01-01  # new range\n";
	case XOP_REMOVE: return "# narrower\n\n# collectors";
	case XOP_EDIT: return "\naccount CONTOSO\\svc_new  # patch server\n";
	case XOP_NOTE: return "device backup-0*  # other note\n";
	case XOP_UNTIL: return "ip 157.97.109.40 until=2029-12-31\n";
	case XOP_ADD_CATEGORY: return "# disks\n\n[new-cat]\ndescription = made by a test\n";
	}
	return NULL;
}

START_TEST(test_each_change_undone_byte_for_byte)
{
	char *path, *mid;
	struct xctl *x = open_text(fixture, &path);
	struct xop *op;

	commit_ok(x, make_op(x, _i), 0);
	ck_assert_uint_eq(x->nundo, 1);
	mid = slurp(path);
	ck_assert_msg(strstr(mid, changed_line(_i)) != NULL,
	    "kind %d: the change is not in the file:\n%s", _i, mid);
	ck_assert_str_ne(mid, fixture);
	free(mid);
	op = xctl_pop_undo(x);
	ck_assert_ptr_nonnull(op);
	commit_ok(x, op, 1);
	ck_assert_uint_eq(x->nundo, 0);
	ck_assert_ptr_null(xctl_pop_undo(x));
	ck_file(path, fixture);
	ck_assert_uint_eq(excl_rule_count(x->set), 5);
	ck_assert_uint_eq(excl_category_count(x->set), 6);
	ck_assert_int_eq(excl_category_enabled(x->set,
	    (size_t)excl_category_find(x->set, "siem")), 0);
	xctl_free(x);
	free(path);
}
END_TEST

/* A change whose apply was stopped is taken back: the set (saved, the
 * file byte for byte), the undo list and the matcher are as before it;
 * an undo taken back stays on the undo list, to be undone later. */
START_TEST(test_take_back)
{
	char *path, *cause = NULL, *mid;
	struct xctl *x = open_text(fixture, &path);
	struct xop *op;

	ck_assert_int_eq(xctl_change(x, make_op(x, _i), 0, &cause), 0);
	xctl_take_back(x);
	ck_assert_ptr_null(x->pending);
	ck_assert_uint_eq(x->nundo, 0);
	ck_assert(x->m != NULL || x->cls != NULL);
	ck_assert_int_eq(xctl_save(x, &cause), XCTL_SAVED);
	ck_file(path, fixture);
	/* Made and saved, then its undo taken back: still made, and still
	 * to be undone. */
	commit_ok(x, make_op(x, _i), 0);
	mid = slurp(path);
	op = xctl_pop_undo(x);
	ck_assert_uint_eq(x->nundo, 0);
	ck_assert_int_eq(xctl_change(x, op, 1, &cause), 0);
	xctl_take_back(x);
	ck_assert_uint_eq(x->nundo, 1);
	ck_assert_int_eq(xctl_save(x, &cause), XCTL_SAVED);
	ck_file(path, mid);
	commit_ok(x, xctl_pop_undo(x), 1);
	ck_file(path, fixture);
	/* Nothing pending: nothing to take back. */
	xctl_take_back(x);
	ck_assert_uint_eq(x->nundo, 0);
	free(mid);
	xctl_free(x);
	free(path);
}
END_TEST

/* Several changes undone newest first take the file back step by step. */
START_TEST(test_undo_in_order)
{
	char *path, *steps[4];
	struct xctl *x = open_text(fixture, &path);
	int kinds[3] = { XOP_ADD, XOP_NOTE, XOP_CAT_ENABLE }, i;

	steps[0] = slurp(path);
	for (i = 0; i < 3; i++) {
		commit_ok(x, make_op(x, kinds[i]), 0);
		steps[i + 1] = slurp(path);
	}
	ck_assert_uint_eq(x->nundo, 3);
	for (i = 3; i > 0; i--) {
		ck_file(path, steps[i]);
		commit_ok(x, xctl_pop_undo(x), 1);
		ck_file(path, steps[i - 1]);
		free(steps[i]);
	}
	ck_assert_uint_eq(x->nundo, 0);
	ck_assert_str_eq(steps[0], fixture);
	free(steps[0]);
	xctl_free(x);
	free(path);
}
END_TEST

/* Where an undo does not give the same bytes back: the line model
 * rewrites a changed rule in its own form, puts a rule added back at the
 * end of its section, and keeps the section header it had to write. The
 * rules themselves are as they were. */
START_TEST(test_undo_rewrites_what_it_touched)
{
	char *path;
	struct xctl *x = open_text(
	    "[maintenance]\n"
	    "ip   10.0.0.1    #   patch server  \n"
	    "ip 10.0.0.2  # second\n"
	    "ip 10.0.0.3  # last\n", &path);
	struct xop *op;

	op = xop_for_rule(x, XOP_NOTE, 0);
	free(op->note);
	op->note = xstrdup("x");
	commit_ok(x, op, 0);
	commit_ok(x, xctl_pop_undo(x), 1);
	ck_file(path,
	    "[maintenance]\n"
	    "ip 10.0.0.1  # patch server\n"
	    "ip 10.0.0.2  # second\n"
	    "ip 10.0.0.3  # last\n");
	/* Removing a rule from the middle: the undo appends it. */
	commit_ok(x, xop_for_rule(x, XOP_REMOVE, 1), 0);
	commit_ok(x, xctl_pop_undo(x), 1);
	ck_file(path,
	    "[maintenance]\n"
	    "ip 10.0.0.1  # patch server\n"
	    "ip 10.0.0.3  # last\n"
	    "ip 10.0.0.2  # second\n");
	/* A rule in a category the file had no section for. */
	commit_ok(x, xop_add_rule("backup", EXCL_IP, "203.0.113.9", "", 0), 0);
	commit_ok(x, xctl_pop_undo(x), 1);
	ck_file(path,
	    "[maintenance]\n"
	    "ip 10.0.0.1  # patch server\n"
	    "ip 10.0.0.3  # last\n"
	    "ip 10.0.0.2  # second\n"
	    "\n"
	    "# Backup and restore jobs (Veeam, Commvault, Veritas)\n"
	    "[backup]\n");
	xctl_free(x);
	free(path);
}
END_TEST

/* A change that no longer applies is refused and leaves nothing behind. */
START_TEST(test_change_refused)
{
	char *path, *cause = NULL;
	struct xctl *x = open_text(fixture, &path);
	struct xop *op = xop_for_rule(x, XOP_REMOVE, 0), *again;

	again = xop_for_rule(x, XOP_REMOVE, 0);
	commit_ok(x, op, 0);
	ck_assert_int_eq(xctl_change(x, again, 0, &cause), -1);
	ck_assert_str_eq(cause, "[maintenance] no longer has the rule ip 10.0.0.1");
	free(cause);
	ck_assert_ptr_null(x->pending);
	ck_assert_uint_eq(x->nundo, 1);
	ck_assert_int_eq(xctl_change(x, xop_add_rule("nope", EXCL_IP, "1.2.3.4",
	    NULL, 0), 0, &cause), -1);
	ck_assert_str_eq(cause, "there is no category [nope]");
	free(cause);
	ck_assert_int_eq(xctl_change(x, xop_add_rule("siem", EXCL_IP,
	    "157.97.109.40", NULL, 0), 0, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "already"));
	free(cause);
	ck_assert_int_eq(xctl_change(x, xop_add_category("siem", NULL), 0,
	    &cause), -1);
	free(cause);
	ck_assert_uint_eq(x->nundo, 1);
	ck_assert_int_eq(x->unsaved, 0);
	xctl_free(x);
	free(path);
}
END_TEST

/* ------------------------------------------------------------ save policy */

static const char other[] =
    "# rewritten by someone else\n"
    "[maintenance]\n"
    "ip 10.0.0.1  # patch server\n"
    "ip 10.9.9.9  # theirs\n";

/* Someone else rewrites the file: the save is refused, and the core asks
 * the question; keeping the change leaves their file alone. */
START_TEST(test_conflict_keep)
{
	char *path, *cause = NULL;
	struct xctl *x = open_text(fixture, &path);
	struct xop *op;

	commit_ok(x, make_op(x, XOP_NOTE), 0);
	tu_write_text(path, other);
	op = make_op(x, XOP_ADD);
	ck_assert_int_eq(xctl_change(x, op, 0, &cause), 0);
	ck_assert_ptr_eq(x->pending, op);
	ck_assert_int_eq(xctl_save(x, &cause), XCTL_ASK_RELOAD);
	ck_assert_ptr_nonnull(strstr(cause, "changed"));
	free(cause);
	ck_assert_uint_eq(x->nundo, 1);		/* not yet settled */
	ck_assert_int_eq(xctl_resolve(x, 0, &cause), 0);
	ck_assert_ptr_null(cause);
	ck_assert_ptr_null(x->pending);
	ck_assert_int_eq(x->unsaved, 1);
	ck_assert_uint_eq(x->nundo, 2);		/* history kept */
	ck_assert_int_ge(xctl_find_rule(x, "maintenance", EXCL_IP,
	    "198.51.100.0/24"), 0);
	ck_file(path, other);
	/* The next change meets the same file and the same question. */
	ck_assert_int_eq(xctl_change(x, make_op(x, XOP_CAT_ENABLE), 0, &cause), 0);
	ck_assert_int_eq(xctl_save(x, &cause), XCTL_ASK_RELOAD);
	free(cause);
	ck_assert_int_eq(xctl_resolve(x, 0, &cause), 0);
	ck_assert_uint_eq(x->nundo, 3);
	ck_file(path, other);
	/* Undoing the three in memory still does not touch their file. */
	while ((op = xctl_pop_undo(x)) != NULL) {
		ck_assert_int_eq(xctl_change(x, op, 1, &cause), 0);
		ck_assert_int_eq(xctl_save(x, &cause), XCTL_ASK_RELOAD);
		free(cause);
		ck_assert_int_eq(xctl_resolve(x, 0, &cause), 0);
	}
	ck_assert_int_eq(x->unsaved, 1);
	ck_file(path, other);
	xctl_free(x);
	free(path);
}
END_TEST

/* Reloading takes their file, makes the change again on it and saves:
 * the undo history before the reload is gone, the change is the one left
 * to undo, and undoing it gives their file back. */
START_TEST(test_conflict_reload_and_redo)
{
	char *path, *cause = NULL;
	struct xctl *x = open_text(fixture, &path);

	commit_ok(x, make_op(x, XOP_NOTE), 0);
	commit_ok(x, make_op(x, XOP_CAT_ENABLE), 0);
	ck_assert_uint_eq(x->nundo, 2);
	tu_write_text(path, other);
	ck_assert_int_eq(xctl_change(x, make_op(x, XOP_ADD), 0, &cause), 0);
	ck_assert_int_eq(xctl_save(x, &cause), XCTL_ASK_RELOAD);
	free(cause);
	ck_assert_int_eq(xctl_resolve(x, 1, &cause), 0);
	ck_assert_ptr_null(cause);
	ck_assert_int_eq(x->unsaved, 0);
	ck_assert_uint_eq(x->nundo, 1);
	ck_file(path,
	    "# rewritten by someone else\n"
	    "[maintenance]\n"
	    "ip 10.0.0.1  # patch server\n"
	    "ip 10.9.9.9  # theirs\n"
	    "ip 198.51.100.0/24 until=2031-01-01  # new range\n");
	commit_ok(x, xctl_pop_undo(x), 1);
	ck_file(path, other);
	xctl_free(x);
	free(path);
}
END_TEST

/* An undo meets a changed file: reloading undoes it on their file. The
 * blank line before the category stays: in a file read back, nothing says
 * that logonhunt wrote it with the category. */
START_TEST(test_conflict_reload_undo)
{
	char *path, *cause = NULL;
	struct xctl *x = open_text(fixture, &path);

	commit_ok(x, make_op(x, XOP_ADD), 0);
	commit_ok(x, make_op(x, XOP_ADD_CATEGORY), 0);
	/* They keep the rule and add a line of their own. */
	tu_write_text(path,
	    "[maintenance]\n"
	    "ip 198.51.100.0/24 until=2031-01-01  # new range\n"
	    "ip 10.9.9.9  # theirs\n"
	    "\n"
	    "[new-cat]\n"
	    "description = made by a test\n");
	ck_assert_int_eq(xctl_change(x, xctl_pop_undo(x), 1, &cause), 0);
	ck_assert_int_eq(xctl_save(x, &cause), XCTL_ASK_RELOAD);
	free(cause);
	ck_assert_int_eq(xctl_resolve(x, 1, &cause), 0);
	ck_assert_uint_eq(x->nundo, 0);
	ck_file(path,
	    "[maintenance]\n"
	    "ip 198.51.100.0/24 until=2031-01-01  # new range\n"
	    "ip 10.9.9.9  # theirs\n"
	    "\n");
	xctl_free(x);
	free(path);
}
END_TEST

/* Their file already has the rule: making the change again fails, and the
 * change is dropped; the set is their file, with nothing to undo. */
START_TEST(test_conflict_redo_fails)
{
	char *path, *cause = NULL;
	struct xctl *x = open_text(fixture, &path);
	static const char theirs[] =
	    "[maintenance]\n"
	    "ip 198.51.100.0/24  # theirs too\n";

	commit_ok(x, make_op(x, XOP_NOTE), 0);
	tu_write_text(path, theirs);
	ck_assert_int_eq(xctl_change(x, make_op(x, XOP_ADD), 0, &cause), 0);
	ck_assert_int_eq(xctl_save(x, &cause), XCTL_ASK_RELOAD);
	free(cause);
	ck_assert_int_eq(xctl_resolve(x, 1, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "already"));
	free(cause);
	ck_assert_ptr_null(x->pending);
	ck_assert_uint_eq(x->nundo, 0);
	ck_assert_int_eq(x->unsaved, 0);
	ck_assert_uint_eq(excl_rule_count(x->set), 1);
	ck_assert_str_eq(excl_rule_note(x->set, 0), "theirs too");
	ck_file(path, theirs);
	xctl_free(x);
	free(path);
}
END_TEST

/* The file cannot be read back (a directory took its place): the reload
 * fails, the change stays made in the set but on no undo list, and the
 * history before it is kept. */
START_TEST(test_conflict_reload_fails)
{
	char *path, *cause = NULL;
	struct xctl *x = open_text(fixture, &path);

	commit_ok(x, make_op(x, XOP_NOTE), 0);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(xctl_change(x, make_op(x, XOP_ADD), 0, &cause), 0);
	ck_assert_int_eq(xctl_save(x, &cause), XCTL_ASK_RELOAD);
	free(cause);
	ck_assert_int_eq(xctl_resolve(x, 1, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	ck_assert_ptr_null(x->pending);
	ck_assert_uint_eq(x->nundo, 1);
	ck_assert_int_eq(x->unsaved, 0);
	ck_assert_int_ge(xctl_find_rule(x, "maintenance", EXCL_IP,
	    "198.51.100.0/24"), 0);
	ck_assert_int_eq(rmdir(path), 0);
	xctl_free(x);
	free(path);
}
END_TEST

/* A file with lines that could not be read is never rewritten: no
 * question, the change applies in memory and is marked unsaved. */
START_TEST(test_unsavable_file)
{
	static const char bad[] =
	    "[maintenance]\n"
	    "ip 10.0.0.1\n"
	    "this is not a rule\n";
	char *path, *cause = NULL;
	struct xctl *x = open_text(bad, &path);

	ck_assert_ptr_nonnull(x->problems);
	ck_assert_int_eq(xctl_change(x, xop_add_rule("maintenance", EXCL_IP,
	    "10.0.0.2", NULL, 0), 0, &cause), 0);
	ck_assert_int_eq(xctl_save(x, &cause), XCTL_UNSAVABLE);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	ck_assert_ptr_null(x->pending);
	ck_assert_int_eq(x->unsaved, 1);
	ck_assert_uint_eq(x->nundo, 1);
	ck_file(path, bad);
	/* Reloading drops the unsaved change and the history. */
	ck_assert_int_eq(xctl_reload(x, &cause), 0);
	ck_assert_int_eq(x->unsaved, 0);
	ck_assert_uint_eq(x->nundo, 0);
	ck_assert_int_lt(xctl_find_rule(x, "maintenance", EXCL_IP, "10.0.0.2"), 0);
	xctl_free(x);
	free(path);
}
END_TEST

/* ------------------------------------------------------------ preview */

static const char logons[] =
    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,"
    "AccountName,RemoteIP,RemoteIPType\n"
    /* 5.5.5.5: two groups (a, b), 3 + 1 events; 10.0.0.1 excludes a's
     * other address */
    "2025-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,a,5.5.5.5,Public\n"
    "2025-01-01T00:00:01Z,d1,n1,LogonSuccess,Network,C,a,5.5.5.5,Public\n"
    "2025-01-01T00:00:02Z,d2,n2,LogonSuccess,Network,C,a,5.5.5.5,Public\n"
    "2025-01-01T00:00:03Z,d1,n1,LogonSuccess,Network,C,b,5.5.5.5,Public\n"
    /* 5.5.5.6: c, 2 events */
    "2025-01-01T00:00:04Z,d1,n1,LogonSuccess,Network,C,c,5.5.5.6,Public\n"
    "2025-01-01T00:00:05Z,d1,n1,LogonSuccess,Network,C,c,5.5.5.6,Public\n"
    /* 10.0.0.1: a again, removed by the maintenance rule already */
    "2025-01-01T00:00:06Z,d1,n1,LogonSuccess,Network,C,a,10.0.0.1,Public\n"
    /* 7.7.7.7: the account CONTOSO\svc_patch, whose rule is disabled */
    "2025-01-01T00:00:07Z,d1,n1,LogonSuccess,Network,CONTOSO,svc_patch,7.7.7.7,"
    "Public\n";

struct world {
	struct table_data *d;
	struct hunt h;
	struct xctl *x;
	char *path;
};

static void
world_open(struct world *w, const char *excl)
{
	struct load_opts o = { 0 };
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct load_input in = { tu_write_str("DeviceLogonEvents.csv", logons),
	    LH_LOGONS };
	char *cause = NULL;

	w->d = table_data_new();
	ck_assert_msg(load_all(w->d, &in, 1, &o, &cause) == 0, "%s", cause);
	free(in.path);
	hunt_run(&w->h, w->d, &ho);
	w->x = open_text(excl, &w->path);
	xctl_apply(w->x, &w->h);
}

static void
world_close(struct world *w)
{
	xctl_free(w->x);
	hunt_free(&w->h);
	table_data_free(w->d);
	free(w->path);
}

/* Previews add (taking it) in an existing category or newcat; returns the
 * counts as "groups/events" plus " off" when the category is off. */
static char *
preview(struct world *w, const struct xop *newcat, struct xop *add)
{
	uint64_t groups = 99, events = 99;
	int on = -1;
	char *cause = NULL, *s;

	if (xctl_preview(w->x, &w->h, newcat, add, &groups, &events, &on,
	    &cause) != 0)
		s = xasprintf("refused: %s", cause);
	else
		s = xasprintf("%llu/%llu%s", (unsigned long long)groups,
		    (unsigned long long)events, on ? "" : " off");
	free(cause);
	xop_free(add);
	return s;
}

static void
ck_preview(struct world *w, const struct xop *newcat, struct xop *add,
    const char *want)
{
	char *got = preview(w, newcat, add);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_preview_counts)
{
	struct world w;
	struct xop *cat;

	world_open(&w, fixture);
	ck_assert_uint_eq(w.h.f.groups, 4);
	ck_preview(&w, NULL, xop_add_rule("custom-x", EXCL_IP, "5.5.5.5", "n", 0),
	    "2/4");
	ck_preview(&w, NULL, xop_add_rule("custom-x", EXCL_IP, "5.5.5.0/24", NULL,
	    0), "3/6");
	/* A group removed already does not count again. */
	ck_preview(&w, NULL, xop_add_rule("custom-x", EXCL_ACCOUNT, "C\\a", NULL,
	    0), "1/3");
	ck_preview(&w, NULL, xop_add_rule("custom-x", EXCL_ACCOUNT, "*", NULL, 0),
	    "4/7");
	ck_preview(&w, NULL, xop_add_rule("custom-x", EXCL_IP, "203.0.113.1", NULL,
	    0), "0/0");
	/* An expired rule removes nothing. */
	ck_preview(&w, NULL, xop_add_rule("custom-x", EXCL_IP, "5.5.5.6", NULL,
	    date("2020-01-01")), "0/0");
	/* A device rule counts the events it takes and the groups left with
	 * none: n1 has 2 of a's 3 events (a keeps n2's), b's, c's 2 and
	 * svc_patch's; n2 only one event of a, no group. */
	ck_preview(&w, NULL, xop_add_rule("custom-x", EXCL_DEVICE, "n1", NULL, 0),
	    "3/6");
	ck_preview(&w, NULL, xop_add_rule("custom-x", EXCL_DEVICE, "N2", NULL, 0),
	    "0/1");
	/* In a category that is off: counted as if it were on. */
	ck_preview(&w, NULL, xop_add_rule("siem", EXCL_IP, "5.5.5.6", NULL, 0),
	    "1/2 off");
	/* In a new category. */
	cat = xop_add_category("fresh", "a new one");
	ck_preview(&w, cat, xop_add_rule("fresh", EXCL_IP, "7.7.7.7", NULL, 0),
	    "1/1");
	xop_free(cat);
	/* Refused: a rule the category has, a bad value, a bad new name. */
	ck_preview(&w, NULL, xop_add_rule("maintenance", EXCL_IP, "10.0.0.1", NULL,
	    0), "refused: [maintenance] already has this rule (number 1, ip "
	    "10.0.0.1)");
	ck_preview(&w, NULL, xop_add_rule("maintenance", EXCL_IP, "5.5.5.5/24",
	    NULL, 0), "refused: '5.5.5.5/24' has host bits set: the network it "
	    "lies in is 5.5.5.0/24; write 5.5.5.0/24 for the whole network, or "
	    "5.5.5.5 for the single address");
	ck_preview(&w, NULL, xop_add_rule("nope", EXCL_IP, "5.5.5.5", NULL, 0),
	    "refused: there is no category [nope]");
	cat = xop_add_category("Bad Name", NULL);
	ck_preview(&w, cat, xop_add_rule("Bad Name", EXCL_IP, "5.5.5.5", NULL, 0),
	    "refused: 'Bad Name' is not a valid category name: use lower case "
	    "letters, digits, '_' and '-'");
	xop_free(cat);
	cat = xop_add_category("siem", NULL);
	ck_preview(&w, cat, xop_add_rule("siem", EXCL_IP, "5.5.5.5", NULL, 0),
	    "refused: category 'siem' already exists");
	xop_free(cat);
	world_close(&w);
}
END_TEST

/* The preview leaves the set as it was: the same rules and categories,
 * nothing to undo, the same bytes when saved, and the hunt untouched. */
START_TEST(test_preview_leaves_no_trace)
{
	struct world w;
	struct xop *cat = xop_add_category("fresh", "a new one");
	char *cause = NULL, *s;

	world_open(&w, fixture);
	s = preview(&w, NULL, xop_add_rule("siem", EXCL_IP, "5.5.5.6", "n", 0));
	free(s);
	s = preview(&w, cat, xop_add_rule("fresh", EXCL_IP, "5.5.5.6", "n", 0));
	free(s);
	s = preview(&w, NULL, xop_add_rule("maintenance", EXCL_IP, "10.0.0.1",
	    NULL, 0));
	free(s);
	xop_free(cat);
	ck_assert_uint_eq(excl_rule_count(w.x->set), 5);
	ck_assert_uint_eq(excl_category_count(w.x->set), 6);
	ck_assert_int_lt(excl_category_find(w.x->set, "fresh"), 0);
	ck_assert_int_eq(excl_category_enabled(w.x->set,
	    (size_t)excl_category_find(w.x->set, "siem")), 0);
	ck_assert_uint_eq(w.x->nundo, 0);
	ck_assert_ptr_null(w.x->pending);
	ck_assert_uint_eq(w.h.f.groups, 4);
	ck_assert_int_eq(excl_save(w.x->set, &cause), 0);
	ck_file(w.path, fixture);
	world_close(&w);
}
END_TEST

/* A preview in a category the file has no section for leaves that section
 * header in the set, written with the next save. */
START_TEST(test_preview_sectionless_category)
{
	struct world w;
	char *cause = NULL, *want;

	world_open(&w, fixture);
	ck_preview(&w, NULL, xop_add_rule("backup", EXCL_IP, "5.5.5.6", NULL, 0),
	    "1/2");
	ck_assert_int_eq(excl_save(w.x->set, &cause), 0);
	want = xasprintf("%s\n# Backup and restore jobs (Veeam, Commvault, "
	    "Veritas)\n[backup]\n", fixture);
	ck_file(w.path, want);
	free(want);
	world_close(&w);
}
END_TEST

START_TEST(test_category_hits)
{
	struct world w;
	uint64_t groups, events;

	world_open(&w, fixture);
	xctl_category_hits(w.x, &w.h, (size_t)excl_category_find(w.x->set,
	    "maintenance"), &groups, &events);
	ck_assert_uint_eq(groups, 1);
	ck_assert_uint_eq(events, 1);
	commit_ok(w.x, make_op(w.x, XOP_RULE_ENABLE), 0);
	xctl_apply(w.x, &w.h);
	xctl_category_hits(w.x, &w.h, (size_t)excl_category_find(w.x->set,
	    "maintenance"), &groups, &events);
	ck_assert_uint_eq(groups, 2);
	ck_assert_uint_eq(events, 2);
	xctl_category_hits(w.x, &w.h, (size_t)excl_category_find(w.x->set,
	    "siem"), &groups, &events);
	ck_assert_uint_eq(groups, 0);
	ck_assert_uint_eq(w.h.f.groups, 3);
	world_close(&w);
}
END_TEST

/* What is off would remove if switched on, counted by hand from the
 * logons above. Shown: a at 5.5.5.5 (3 events, two on n1, one on n2), b
 * at 5.5.5.5 (1), c at 5.5.5.6 (2) and svc_patch at 7.7.7.7 (1): a's
 * logon from 10.0.0.1 is removed by the one rule that is on. */
START_TEST(test_off_hits)
{
	static const char off[] =
	    "[maintenance]\n"
	    "ip 10.0.0.1\n"
	    "!ip 5.5.5.0/24\n"			/* a, b, c: 3 groups, 6 events */
	    "!account C\\a\n"		/* a at 5.5.5.5 only: 1/3 */
	    "!ip 203.0.113.0/24\n"		/* nothing */
	    "ip 192.0.2.0/24 until=2020-01-01\n"	/* expired: 0 */
	    "[siem]\n"
	    "enabled = no\n"
	    "ip 5.5.5.6\n"			/* c: 1/2 */
	    "account *\n"			/* with [siem] on, every group but
					 * c, which ip 5.5.5.6 takes first
					 * (address rules before accounts,
					 * as the hunt counts): 3/5 */
	    "!ip 7.7.7.7\n"			/* off in an off category: 1/1 */
	    "[custom-x]\n"
	    "!device n2\n"			/* a keeps n1's two: 0/1 */
	    "!ip 5.5.5.0/24 until=2020-01-01\n";	/* off and expired: 0 */
	static const uint64_t want[][2] = {
		{ 0, 0 }, { 3, 6 }, { 1, 3 }, { 0, 0 }, { 0, 0 },
		{ 1, 2 }, { 3, 5 }, { 1, 1 }, { 0, 1 }, { 0, 0 },
	};
	struct world w;
	size_t i, siem;

	world_open(&w, off);
	ck_assert_uint_eq(w.h.f.groups, 4);
	ck_assert_uint_eq(excl_rule_count(w.x->set), 10);
	xctl_off_hits(w.x, &w.h);
	for (i = 0; i < 10; i++) {
		ck_assert_msg(w.x->off_groups[i] == want[i][0] &&
		    w.x->off_events[i] == want[i][1], "rule %zu (%s): %llu/%llu, "
		    "want %llu/%llu", i, excl_rule_text(w.x->set, i),
		    (unsigned long long)w.x->off_groups[i],
		    (unsigned long long)w.x->off_events[i],
		    (unsigned long long)want[i][0], (unsigned long long)want[i][1]);
	}
	/* [siem] switched on takes the rules of it that are on: account *
	 * and 5.5.5.6 together, every group once. */
	siem = (size_t)excl_category_find(w.x->set, "siem");
	ck_assert_uint_eq(w.x->offcat_groups[siem], 4);
	ck_assert_uint_eq(w.x->offcat_events[siem], 7);
	ck_assert_uint_eq(w.x->offcat_groups[(size_t)excl_category_find(w.x->set,
	    "maintenance")], 0);
	/* The counts left the set as it was, and the hunt. */
	ck_assert_int_eq(excl_category_enabled(w.x->set, siem), 0);
	ck_assert_int_eq(excl_rule_enabled(w.x->set, 1), 0);
	ck_assert_uint_eq(w.h.f.groups, 4);
	/* Once on, a rule counts in the hunt's hits and 0 here. */
	commit_ok(w.x, xop_toggle_category(w.x, siem), 0);
	xctl_apply(w.x, &w.h);
	ck_assert_uint_eq(w.h.f.groups, 0);
	xctl_off_hits(w.x, &w.h);
	ck_assert_uint_eq(w.x->off_groups[5], 0);
	ck_assert_uint_eq(w.x->offcat_groups[siem], 0);
	/* Nothing is shown any more: nothing is left to remove. */
	ck_assert_uint_eq(w.x->off_groups[1], 0);
	world_close(&w);
}
END_TEST

/* ------------------------------------------------------------ switches */

/* Rules of every kind in six categories that overlap: the same network
 * in two categories, networks inside others' in others, account and
 * device patterns that several categories' rules match, IPv6, an expired
 * rule, a disabled one, and a category that starts off. */
static const char switch_rules[] =
    "[maintenance]\n"
    "ip 10.1.0.0/16\n"
    "ip 10.1.2.0/24\n"
    "account CONTOSO\\user1*\n"
    "device ws-1*\n"
    "ip 2001:db8::/32\n"
    "[siem]\n"
    "ip 10.1.0.0/16\n"
    "ip 10.1.2.3\n"
    "account *\\user2*\n"
    "device WS-2*\n"
    "!ip 10.3.0.0/16\n"
    "[rds]\n"
    "ip 10.0.0.0/8\n"
    "account user1*\n"
    "device *-3\n"
    "ip 2001:db8:1::/48\n"
    "[defender]\n"
    "ip 10.1.2.0/24\n"
    "account FABRIKAM\\*\n"
    "device srv-*\n"
    "ip 10.2.0.0/16 until=2020-01-01\n"
    "[backup]\n"
    "enabled = no\n"
    "ip 10.2.0.0/16\n"
    "account CONTOSO\\user12*\n"
    "device ws-11*\n"
    "ip 10.1.2.128/25\n"
    "[extra]\n"
    "ip 10.1.2.3\n"
    "account *\\user3\n"
    "device ws-2*\n"
    "ip 2001:db8:1:2::/64\n";

static unsigned
lcg(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/* n logons from addresses in and around the rules' networks, accounts
 * in two domains (and none), devices whose names several patterns
 * match. */
static char *
switch_logons(unsigned seed, size_t n)
{
	static const char *const nets[] = { "10.1.2.%u", "10.1.%u.7",
		"10.2.3.%u", "10.3.%u.1", "10.9.9.%u", "11.1.2.%u",
		"2001:db8::%x", "2001:db8:1::%x", "2001:db8:1:2::%x",
		"::ffff:10.1.2.%u", "-" };
	static const char *const doms[] = { "CONTOSO", "FABRIKAM", "" };
	static const char *const devs[] = { "ws-1%u", "ws-2%u", "WS-3", "srv-%u",
		"ws-11%u", "lab-%u" };
	struct buf b = { 0 };
	char ip[64], dev[32];
	size_t i;
	unsigned r;

	buf_addf(&b, "Timestamp,DeviceId,DeviceName,ActionType,LogonType,"
	    "AccountDomain,AccountName,RemoteIP,RemoteIPType\n");
	for (i = 0; i < n; i++) {
		r = lcg(&seed);
		snprintf(ip, sizeof ip, nets[r % 11], (lcg(&seed) % 40) * 7 % 256);
		r = lcg(&seed);
		snprintf(dev, sizeof dev, devs[r % 6], r / 6 % 4);
		buf_addf(&b, "2025-01-%02uT%02u:00:%02uZ,d%u-%s,%s,%s,Network,%s,"
		    "user%u,%s,Public\n", 1 + lcg(&seed) % 28, lcg(&seed) % 24,
		    lcg(&seed) % 60, lcg(&seed) % 3, dev, dev,
		    lcg(&seed) % 2 ? "LogonSuccess" : "LogonFailed",
		    doms[lcg(&seed) % 3], lcg(&seed) % 40, ip);
	}
	buf_addc(&b, '\0');
	return b.p;
}

/* h is what a fresh hunt over d with the set's rules, as a batch run
 * compiles them (excl_compile), gives: every group's figures and rule,
 * the hits per rule, the funnel, each event kept or not. */
static void
ck_as_fresh(struct hunt *h, const struct table_data *d,
    const struct excl_set *set, const char *what)
{
	struct hunt_opts ho = { .identity = HUNT_IDENTITY_AS_WRITTEN,
		.from = TS_NONE, .until = TS_NONE, .once = 1 };
	struct excl_matcher *m = excl_compile(set, time(NULL));
	struct hunt_filter f;
	struct hunt h2;
	size_t i;

	exclfilter_init(&f, set, m);
	hunt_run(&h2, d, &ho);
	hunt_apply(&h2, &f);
	ck_assert_uint_eq(h->ng, h2.ng);
	for (i = 0; i < h->ng; i++) {
		ck_assert_msg(h->g[i].count == h2.g[i].count &&
		    h->g[i].excl_rule == h2.g[i].excl_rule,
		    "%s: group %zu: %llu logons by rule %ld, not %llu by %ld",
		    what, i, (unsigned long long)h->g[i].count,
		    h->g[i].excl_rule, (unsigned long long)h2.g[i].count,
		    h2.g[i].excl_rule);
		if (h2.g[i].count == 0)
			continue;
		ck_assert_int_eq(h->g[i].first, h2.g[i].first);
		ck_assert_int_eq(h->g[i].last, h2.g[i].last);
		ck_assert_uint_eq(h->g[i].devices, h2.g[i].devices);
	}
	ck_assert_uint_eq(h->nrules, h2.nrules);
	for (i = 0; i <= h->nrules; i++) {
		ck_assert_msg(h->rule_groups[i] == h2.rule_groups[i] &&
		    h->rule_events[i] == h2.rule_events[i],
		    "%s: rule %zu: %llu groups, not %llu", what, i,
		    (unsigned long long)h->rule_groups[i],
		    (unsigned long long)h2.rule_groups[i]);
	}
	ck_assert_msg(memcmp(&h->f, &h2.f, sizeof h->f) == 0, "%s: funnel",
	    what);
	for (i = 0; i < h->norder; i++)
		ck_assert_int_eq(hunt_event_kept(h, h->order[i]),
		    hunt_event_kept(&h2, h2.order[i]));
	hunt_free(&h2);
	excl_matcher_free(m);
}

struct stop_count {
	size_t calls, at;	/* stop at call number at (SIZE_MAX: never) */
};

static int
stop_at_call(void *ctx, size_t done, size_t total)
{
	struct stop_count *sc = ctx;

	(void)done;
	(void)total;
	return sc->calls++ == sc->at;
}

/* A random change of the kind the exclusions screen makes: mostly a
 * category switched, else a rule switched, edited, added or removed, or
 * the last change undone. */
static struct xop *
random_op(struct xctl *x, unsigned *seed, int *undo, int *category)
{
	static const char *const adds[] = { "10.1.2.0/23", "10.1.2.3",
		"2001:db8::/48", "CONTOSO\\user2*", "ws-2*", "*" };
	size_t nr = excl_rule_count(x->set), nc = excl_category_count(x->set);
	unsigned r = lcg(seed) % 16;
	struct xop *op;
	size_t i;

	*undo = 0;
	*category = 0;
	if (r < 9) {
		*category = 1;
		return xop_toggle_category(x, lcg(seed) % nc);
	}
	if (r == 9 && x->nundo > 0) {
		*undo = 1;
		return xctl_pop_undo(x);
	}
	i = lcg(seed) % nr;
	if (r < 13) {
		op = xop_for_rule(x, XOP_RULE_ENABLE, i);
		op->on = !op->oon;
		return op;
	}
	if (r == 13 && excl_rule_kind(x->set, i) == EXCL_IP) {
		op = xop_for_rule(x, XOP_EDIT, i);
		free(op->text);
		op->text = xstrdup(lcg(seed) % 2 ? "10.1.0.0/15" : "10.1.2.3");
		return op;
	}
	if (r == 14)
		return xop_for_rule(x, XOP_REMOVE, i);
	r = lcg(seed) % 6;
	return xop_add_rule(excl_category_name(x->set, lcg(seed) % nc),
	    r < 3 ? EXCL_IP : r < 5 ? EXCL_ACCOUNT : EXCL_DEVICE, adds[r], NULL,
	    0);
}

/* Many random switch sequences through the console's exclusions, some
 * applies stopped and taken back: after each step the hunt is what a
 * fresh batch hunt with the same rules and categories gives; switching a
 * category asks no rule again (nothing to ask, so the stop callback,
 * called while values are asked, is never called). */
START_TEST(test_switches_as_fresh_hunts)
{
	struct load_opts o = { 0 };
	struct hunt_opts ho = { .identity = HUNT_IDENTITY_AS_WRITTEN,
		.from = TS_NONE, .until = TS_NONE };
	unsigned seed = 7u + (unsigned)_i * 7919u;
	char *text = switch_logons(seed, 3000), *path, *cause = NULL, what[80];
	struct load_input in = { tu_write_str("DeviceLogonEvents.csv", text),
	    LH_LOGONS };
	struct table_data *d = table_data_new();
	struct stop_count sc;
	struct xctl *x;
	struct xop *op;
	struct hunt h;
	int step, undo, category, stopped = 0, cat_switches = 0, removes;
	int prev_stopped = 0;

	ck_assert_msg(load_all(d, &in, 1, &o, &cause) == 0, "%s", cause);
	hunt_run(&h, d, &ho);
	ck_assert_uint_gt(h.ng, 500);
	x = open_text(switch_rules, &path);
	ck_assert_ptr_null(x->problems);
	xctl_apply(x, &h);
	ck_as_fresh(&h, d, x->set, "first apply");
	/* The set compiles per category: what is under test. */
	ck_assert_ptr_nonnull(x->cls);
	for (step = 0; step < 60; step++) {
		op = random_op(x, &seed, &undo, &category);
		if (xctl_change(x, op, undo, &cause) != 0) {
			/* A rule that exists already, say: nothing changed. */
			free(cause);
			cause = NULL;
			continue;
		}
		memset(&sc, 0, sizeof sc);
		sc.at = step % 5 == 4 ? 0 : lcg(&seed) % 4 == 0 ?
		    lcg(&seed) % 3 : SIZE_MAX;
		removes = (op->kind == XOP_REMOVE && !undo) ||
		    (op->kind == XOP_ADD && undo);
		if (xctl_apply_stoppable(x, &h, stop_at_call, &sc) != 0) {
			xctl_take_back(x);
			stopped++;
			/* A rule removed comes back at the end of its
			 * category, renumbering the rules after it: the hunt
			 * is as it was, its hits under the old numbers, until
			 * the next apply. */
			if (removes)
				xctl_apply(x, &h);
		} else if (category && !prev_stopped) {
			/* Nothing to ask: answers are worked out from the
			 * categories' answers kept. */
			ck_assert_uint_eq(sc.calls, 0);
			cat_switches++;
		}
		prev_stopped = sc.calls > sc.at;
		snprintf(what, sizeof what, "seed %d, step %d", _i, step);
		ck_as_fresh(&h, d, x->set, what);
		ck_assert_ptr_nonnull(x->cls);
	}
	ck_assert_int_gt(cat_switches, 15);
	ck_assert_int_gt(stopped, 0);
	xctl_free(x);
	hunt_free(&h);
	table_data_free(d);
	free(in.path);
	free(path);
	free(text);
}
END_TEST

/* The file edited by someone else and reloaded: a custom category without
 * rules gone, the one after it moves down an index with the same rules
 * at the same numbers. What each category answered is not kept under the
 * old numbers: switches after the reload are still those of a fresh
 * hunt. */
START_TEST(test_switch_after_categories_renumbered)
{
	static const char before[] =
	    "[maintenance]\nip 10.1.0.0/16\n"
	    "[empty]\ndescription = no rules\n"
	    "[lab]\nip 10.1.2.0/24\naccount *\\user1*\ndevice ws-2*\n"
	    "[late]\nenabled = no\nip 10.0.0.0/8\n";
	static const char after[] =
	    "[maintenance]\nip 10.1.0.0/16\n"
	    "[lab]\nip 10.1.2.0/24\naccount *\\user1*\ndevice ws-2*\n"
	    "[late]\nenabled = no\nip 10.0.0.0/8\n";
	struct load_opts o = { 0 };
	struct hunt_opts ho = { .identity = HUNT_IDENTITY_AS_WRITTEN,
		.from = TS_NONE, .until = TS_NONE };
	char *text = switch_logons(11, 2000), *path, *cause = NULL;
	struct load_input in = { tu_write_str("DeviceLogonEvents.csv", text),
	    LH_LOGONS };
	struct table_data *d = table_data_new();
	const char *cats[] = { "lab", "maintenance", "late", "lab", "late" };
	struct xctl *x;
	struct hunt h;
	size_t k;

	ck_assert_msg(load_all(d, &in, 1, &o, &cause) == 0, "%s", cause);
	hunt_run(&h, d, &ho);
	x = open_text(before, &path);
	xctl_apply(x, &h);
	ck_as_fresh(&h, d, x->set, "before");
	free(tu_write_str("exclusions", after));
	ck_assert_int_eq(xctl_reload(x, &cause), 0);
	xctl_apply(x, &h);
	ck_as_fresh(&h, d, x->set, "reloaded");
	for (k = 0; k < sizeof cats / sizeof *cats; k++) {
		ck_assert_int_eq(xctl_change(x, xop_toggle_category(x,
		    (size_t)excl_category_find(x->set, cats[k])), 0, &cause), 0);
		xctl_apply(x, &h);
		ck_as_fresh(&h, d, x->set, cats[k]);
	}
	xctl_free(x);
	hunt_free(&h);
	table_data_free(d);
	free(in.path);
	free(path);
	free(text);
}
END_TEST

static Suite *
exclctl_suite(void)
{
	Suite *s = suite_create("exclctl");
	TCase *tc;

	tc = tcase_create("undo");
	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_add_loop_test(tc, test_take_back, XOP_CAT_ENABLE,
	    XOP_ADD_CATEGORY + 1);
	tcase_add_loop_test(tc, test_each_change_undone_byte_for_byte,
	    XOP_CAT_ENABLE, XOP_ADD_CATEGORY + 1);
	tcase_add_test(tc, test_undo_in_order);
	tcase_add_test(tc, test_undo_rewrites_what_it_touched);
	tcase_add_test(tc, test_change_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("save policy");
	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_add_test(tc, test_conflict_keep);
	tcase_add_test(tc, test_conflict_reload_and_redo);
	tcase_add_test(tc, test_conflict_reload_undo);
	tcase_add_test(tc, test_conflict_redo_fails);
	tcase_add_test(tc, test_conflict_reload_fails);
	tcase_add_test(tc, test_unsavable_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("preview");
	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_add_test(tc, test_preview_counts);
	tcase_add_test(tc, test_off_hits);
	tcase_add_test(tc, test_preview_leaves_no_trace);
	tcase_add_test(tc, test_preview_sectionless_category);
	tcase_add_test(tc, test_category_hits);
	suite_add_tcase(s, tc);

	tc = tcase_create("switches");
	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_switches_as_fresh_hunts, 0, 8);
	tcase_add_test(tc, test_switch_after_categories_renumbered);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(exclctl_suite());
}
