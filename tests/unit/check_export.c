/* Unit tests of the event exports: which events of the picked groups are
 * exported, the raw rows as CSV (the union of the files' columns, formula
 * neutralisation on and off) and as JSON (nulls for missing columns),
 * progress and stopping, a file changed since loading, the default name. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export.h"
#include "hunt.h"
#include "load.h"
#include "rawevent.h"
#include "table.h"
#include "ts.h"
#include "util.h"

#include "testutil.h"

/* Two exports of the same table with their columns in other orders, one
 * with a column the other lacks. Values a spreadsheet would run, quotes,
 * commas and a line break. */
static const char file_a[] =
    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,"
    "AccountName,RemoteIP,RemoteIPType,Extra\n"
    "2025-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,=1+2,5.5.5.5,Public,"
    "\"a,b\"\n"
    "2025-01-01T00:00:01Z,d2,n2,LogonSuccess,Network,C,=1+2,5.5.5.5,Public,"
    "\"say \"\"hi\"\"\"\n"
    "2025-01-01T00:00:02Z,d1,n1,LogonFailed,Network,C,@bob,6.6.6.6,Public,-x\n";
static const char file_b[] =
    "RemoteIPType,RemoteIP,AccountName,AccountDomain,LogonType,ActionType,"
    "DeviceName,DeviceId,Timestamp,Other\n"
    "Public,5.5.5.5,=1+2,C,Network,LogonSuccess,n3,d3,2025-01-01T00:00:03Z,+1\n"
    "Public,7.7.7.7,carol,C,Network,LogonSuccess,n1,d1,2025-01-01T00:00:04Z,"
    "\"line1\nline2\"\n";

struct world {
	struct table_data *d;
	struct hunt h;
	struct rawevent_reader *rr;
	char *a, *b;
};

static void
world_open(struct world *w)
{
	struct load_opts o = { 0 };
	struct hunt_opts ho = { HUNT_IDENTITY_AS_WRITTEN, TS_NONE, TS_NONE, 0, 0, 0 };
	struct load_input in[2];
	char *cause = NULL;

	w->a = tu_write_str("DeviceLogonEvents_a.csv", file_a);
	w->b = tu_write_str("DeviceLogonEvents_b.csv", file_b);
	in[0].path = w->a;
	in[0].table = LH_LOGONS;
	in[1].path = w->b;
	in[1].table = LH_LOGONS;
	w->d = table_data_new();
	ck_assert_msg(load_all(w->d, in, 2, &o, &cause) == 0, "%s", cause);
	ck_assert_uint_eq(w->d->nev, 5);
	hunt_run(&w->h, w->d, &ho);
	hunt_apply(&w->h, NULL);
	w->rr = rawevent_open(w->d);
}

static void
world_close(struct world *w)
{
	rawevent_close(w->rr);
	hunt_free(&w->h);
	table_data_free(w->d);
	free(w->a);
	free(w->b);
}

/* The event logged at the second s of the test data. */
static uint32_t
event_at(const struct world *w, int s)
{
	char text[32];
	int64_t t;
	size_t i;

	snprintf(text, sizeof text, "2025-01-01T00:00:%02dZ", s);
	ck_assert_int_eq(ts_parse(text, strlen(text), &t), 0);
	for (i = 0; i < w->d->nev; i++)
		if (w->d->ev[i].ts == t)
			return (uint32_t)i;
	ck_abort_msg("no event at %s", text);
	return 0;
}

/* The group of the event logged at second s. */
static uint32_t
group_of(const struct world *w, int s)
{
	uint32_t ev = event_at(w, s);
	size_t i, k;

	for (i = 0; i < w->h.ng; i++)
		for (k = 0; k < w->h.g[i].ev_n; k++)
			if (w->h.order[w->h.g[i].ev_off + k] == ev)
				return (uint32_t)i;
	ck_abort_msg("event %d in no group", s);
	return 0;
}

static char *
export_text(struct world *w, const uint32_t *evs, size_t n,
    enum out_format fmt, unsigned flags)
{
	struct buf b = { 0 };
	char *cause = NULL;

	ck_assert_msg(export_events(&b, w->d, w->rr, evs, n, fmt, flags, NULL,
	    NULL, &cause) == 0, "%s", cause);
	return b.p;
}

START_TEST(test_csv_union_of_columns)
{
	struct world w;
	uint32_t evs[3];
	char *got;

	world_open(&w);
	evs[0] = event_at(&w, 0);
	evs[1] = event_at(&w, 2);
	evs[2] = event_at(&w, 4);
	got = export_text(&w, evs, 3, OUT_CSV, OUT_NEUTRALISE);
	ck_assert_str_eq(got,
	    "Timestamp,DeviceId,DeviceName,ActionType,LogonType,AccountDomain,"
	    "AccountName,RemoteIP,RemoteIPType,Extra,Other\n"
	    "2025-01-01T00:00:00Z,d1,n1,LogonSuccess,Network,C,'=1+2,5.5.5.5,"
	    "Public,\"a,b\",\n"
	    "2025-01-01T00:00:02Z,d1,n1,LogonFailed,Network,C,'@bob,6.6.6.6,"
	    "Public,'-x,\n"
	    "2025-01-01T00:00:04Z,d1,n1,LogonSuccess,Network,C,carol,7.7.7.7,"
	    "Public,,\"line1\nline2\"\n");
	free(got);
	/* Formulas kept; the columns in the order of the file met first. */
	evs[0] = event_at(&w, 3);
	evs[1] = event_at(&w, 1);
	got = export_text(&w, evs, 2, OUT_CSV, 0);
	ck_assert_str_eq(got,
	    "RemoteIPType,RemoteIP,AccountName,AccountDomain,LogonType,"
	    "ActionType,DeviceName,DeviceId,Timestamp,Other,Extra\n"
	    "Public,5.5.5.5,=1+2,C,Network,LogonSuccess,n3,d3,"
	    "2025-01-01T00:00:03Z,+1,\n"
	    "Public,5.5.5.5,=1+2,C,Network,LogonSuccess,n2,d2,"
	    "2025-01-01T00:00:01Z,,\"say \"\"hi\"\"\"\n");
	free(got);
	world_close(&w);
}
END_TEST

START_TEST(test_json)
{
	struct world w;
	uint32_t evs[2];
	char *got;

	world_open(&w);
	evs[0] = event_at(&w, 1);
	evs[1] = event_at(&w, 4);
	/* Neutralisation is for CSV only: JSON keeps every value. */
	got = export_text(&w, evs, 2, OUT_JSON, OUT_NEUTRALISE);
	ck_assert_str_eq(got,
	    "[\n"
	    " {\"Timestamp\": \"2025-01-01T00:00:01Z\", \"DeviceId\": \"d2\", "
	    "\"DeviceName\": \"n2\", \"ActionType\": \"LogonSuccess\", "
	    "\"LogonType\": \"Network\", \"AccountDomain\": \"C\", "
	    "\"AccountName\": \"=1+2\", \"RemoteIP\": \"5.5.5.5\", "
	    "\"RemoteIPType\": \"Public\", \"Extra\": \"say \\\"hi\\\"\", "
	    "\"Other\": null},\n"
	    " {\"Timestamp\": \"2025-01-01T00:00:04Z\", \"DeviceId\": \"d1\", "
	    "\"DeviceName\": \"n1\", \"ActionType\": \"LogonSuccess\", "
	    "\"LogonType\": \"Network\", \"AccountDomain\": \"C\", "
	    "\"AccountName\": \"carol\", \"RemoteIP\": \"7.7.7.7\", "
	    "\"RemoteIPType\": \"Public\", \"Extra\": null, "
	    "\"Other\": \"line1\\nline2\"}\n"
	    "]\n");
	free(got);
	world_close(&w);
}
END_TEST

START_TEST(test_nothing)
{
	struct world w;
	char *got;

	world_open(&w);
	got = export_text(&w, NULL, 0, OUT_CSV, OUT_NEUTRALISE);
	ck_assert_str_eq(got, "\n");
	free(got);
	got = export_text(&w, NULL, 0, OUT_JSON, 0);
	ck_assert_str_eq(got, "[]\n");
	free(got);
	world_close(&w);
}
END_TEST

static long
drop_device_n2(void *ctx, const char *dev, size_t n)
{
	(void)ctx;
	return n == 2 && memcmp(dev, "n2", 2) == 0 ? 0 : -1;
}

static long
drop_account_carol(void *ctx, const char *dom, size_t dn, const char *name,
    size_t nn)
{
	(void)ctx;
	(void)dom;
	(void)dn;
	return nn == 5 && memcmp(name, "carol", 5) == 0 ? 1 : -1;
}

/* The events of the picked groups that the exclusions left, group by
 * group in the order picked. */
START_TEST(test_group_events)
{
	struct world w;
	struct hunt_filter flt = { NULL, drop_account_carol, drop_device_n2,
	    NULL, 2, NULL, NULL, NULL };
	uint32_t ids[3], *evs;
	size_t n;

	world_open(&w);
	ids[0] = group_of(&w, 2);
	ids[1] = group_of(&w, 0);
	evs = export_group_events(&w.h, ids, 2, &n);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(evs[0], event_at(&w, 2));
	ck_assert_uint_eq(evs[1] + evs[2] + evs[3], event_at(&w, 0) +
	    event_at(&w, 1) + event_at(&w, 3));
	free(evs);
	/* A device rule takes n2's event out of its group. Groups are
	 * taken as the caller picked them, from those shown: one that an
	 * account rule removed whole keeps its events here. */
	ids[2] = group_of(&w, 4);
	hunt_apply(&w.h, &flt);
	ck_assert_uint_eq(w.h.g[ids[2]].count, 0);
	evs = export_group_events(&w.h, ids, 3, &n);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(evs[0], event_at(&w, 2));
	ck_assert_uint_eq(evs[1] + evs[2], event_at(&w, 0) + event_at(&w, 3));
	ck_assert_uint_eq(evs[3], event_at(&w, 4));
	free(evs);
	evs = export_group_events(&w.h, ids, 0, &n);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(evs);
	world_close(&w);
}
END_TEST

struct stopper {
	size_t calls, stop_at;
	const char *rewrite;	/* a file to change when stopping */
};

static int
stop_at(void *ctx, size_t done, size_t total)
{
	struct stopper *s = ctx;

	ck_assert_uint_eq(done, s->calls);
	ck_assert_uint_eq(total, 3);
	s->calls++;
	if (done != s->stop_at)
		return 0;
	if (s->rewrite == NULL)
		return 1;
	tu_write_text(s->rewrite, "changed\n");
	return 0;
}

START_TEST(test_progress_and_stop)
{
	struct world w;
	struct stopper st = { 0, 99, NULL };
	struct buf b = { 0 };
	uint32_t evs[3];
	char *cause = NULL;

	world_open(&w);
	evs[0] = event_at(&w, 0);
	evs[1] = event_at(&w, 3);
	evs[2] = event_at(&w, 1);
	ck_assert_int_eq(export_events(&b, w.d, w.rr, evs, 3, OUT_CSV, 0,
	    stop_at, &st, &cause), 0);
	ck_assert_uint_eq(st.calls, 3);
	buf_reset(&b);
	st.calls = 0;
	st.stop_at = 1;
	ck_assert_int_eq(export_events(&b, w.d, w.rr, evs, 3, OUT_CSV, 0,
	    stop_at, &st, &cause), -1);
	ck_assert_str_eq(cause, "export stopped: nothing was written");
	free(cause);
	ck_assert_uint_eq(st.calls, 2);
	/* The first file changes while the export reads the second. */
	buf_reset(&b);
	st.calls = 0;
	st.stop_at = 2;
	st.rewrite = w.a;
	ck_assert_int_eq(export_events(&b, w.d, w.rr, evs, 3, OUT_JSON, 0,
	    stop_at, &st, &cause), -1);
	ck_assert_msg(strncmp(cause, "export stopped, nothing was written: ",
	    37) == 0, "%s", cause);
	ck_assert_ptr_nonnull(strstr(cause, "DeviceLogonEvents_a.csv"));
	free(cause);
	/* Changed before the export: its columns cannot be read. */
	buf_reset(&b);
	ck_assert_int_eq(export_events(&b, w.d, w.rr, evs, 3, OUT_CSV, 0,
	    NULL, NULL, &cause), -1);
	ck_assert_msg(strncmp(cause, "export stopped: ", 16) == 0 &&
	    strstr(cause, "DeviceLogonEvents_a.csv") != NULL, "%s", cause);
	free(cause);
	buf_free(&b);
	world_close(&w);
}
END_TEST

/* Written to a file as they are made, in pieces (several here: 12,000
 * events), the events are the bytes export_events builds whole, in both
 * formats; a stopped export leaves the file it would replace as it was
 * and no temporary file. */
START_TEST(test_events_written_in_pieces)
{
	struct load_opts o = { 0 };
	struct load_input in;
	struct table_data *d = table_data_new();
	struct rawevent_reader *rr;
	struct stopper st = { 0, 1, NULL };
	struct buf text = { 0 }, b = { 0 };
	uint32_t *evs = xmalloc(12000 * sizeof *evs);
	char *path = tu_path("events.out"), *got, *cause = NULL;
	struct dirent *e;
	DIR *dir;
	size_t i;
	int json;

	buf_addf(&text, "Timestamp,DeviceId,DeviceName,ActionType,LogonType,"
	    "AccountDomain,AccountName,RemoteIP,RemoteIPType,Note\n");
	for (i = 0; i < 12000; i++)
		buf_addf(&text, "2025-01-01T00:00:00Z,d%zu,n%zu,LogonFailed,"
		    "Network,C,=user%zu,11.0.%zu.%zu,Public,\"a note, of some "
		    "length, number %zu\"\n", i % 7, i % 7, i, i >> 8, i & 255, i);
	in.path = tu_write_file("DeviceLogonEvents.csv", text.p, text.len);
	in.table = LH_LOGONS;
	ck_assert_msg(load_all(d, &in, 1, &o, &cause) == 0, "%s", cause);
	ck_assert_uint_eq(d->nev, 12000);
	rr = rawevent_open(d);
	for (i = 0; i < 12000; i++)
		evs[i] = (uint32_t)i;
	for (json = 0; json < 2; json++) {
		buf_reset(&b);
		ck_assert_int_eq(export_events(&b, d, rr, evs, 12000, json ?
		    OUT_JSON : OUT_CSV, OUT_NEUTRALISE, NULL, NULL, &cause), 0);
		ck_assert_uint_gt(b.len, OUT_CHUNK);
		ck_assert_int_eq(export_events_file(path, 0, d, rr, evs, NULL,
		    12000, json ? OUT_JSON : OUT_CSV, OUT_NEUTRALISE, NULL, NULL,
		    NULL, &cause), 0);
		got = tu_read_file(path);
		ck_assert_uint_eq(strlen(got), b.len);
		ck_assert(memcmp(got, b.p, b.len) == 0);
		free(got);
	}
	/* Stopped at the second event of three. */
	tu_write_text(path, "kept\n");
	ck_assert_int_eq(export_events_file(path, 0, d, rr, evs, NULL, 3,
	    OUT_CSV, 0, NULL, stop_at, &st, &cause), -1);
	ck_assert_str_eq(cause, "export stopped: nothing was written");
	free(cause);
	got = tu_read_file(path);
	ck_assert_str_eq(got, "kept\n");
	free(got);
	ck_assert_ptr_nonnull(dir = opendir(tu_tmpdir()));
	while ((e = readdir(dir)) != NULL)
		ck_assert_msg(strncmp(e->d_name, "events.out.tmp.", 15) != 0,
		    "%s left", e->d_name);
	closedir(dir);
	rawevent_close(rr);
	table_data_free(d);
	buf_free(&b);
	buf_free(&text);
	free(in.path);
	free(path);
	free(evs);
}
END_TEST

START_TEST(test_default_name)
{
	char *name;

	setenv("TZ", "UTC", 1);
	tzset();
	name = export_default_name("events", "csv", 0);
	ck_assert_str_eq(name, "logonhunt-events-19700101-000000.csv");
	free(name);
	name = export_default_name("export", "json", 1767225599);
	ck_assert_str_eq(name, "logonhunt-export-20251231-235959.json");
	free(name);
}
END_TEST

static Suite *
export_suite(void)
{
	Suite *s = suite_create("export");
	TCase *tc = tcase_create("events");

	tcase_add_checked_fixture(tc, tu_tmp_setup, tu_tmp_teardown);
	/* The sanitizers and valgrind on a busy machine. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_csv_union_of_columns);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_nothing);
	tcase_add_test(tc, test_group_events);
	tcase_add_test(tc, test_progress_and_stop);
	tcase_add_test(tc, test_events_written_in_pieces);
	tcase_add_test(tc, test_default_name);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(export_suite());
}
