/* Fuzz target: the triage ledger (logonhunt-ledger(5)).
 *
 * The bytes are parsed from memory and, written as a file, loaded through
 * the reader that streams in pieces: both must accept or refuse alike,
 * with the same message, which names the file and a line. A ledger that
 * parses must write out text that parses again to the same text, and
 * merging it into a copy of itself must change nothing. A verdict set on
 * one of its groups and appended as a save (as ledger_save appends) reads
 * back as the ledger with that verdict, and the same save cut short at a
 * byte the input picks reads back as the ledger without it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ledger.h"
#include "ledger_int.h"

const unsigned long fuzz_default_runs = 20000;

const char *const fuzz_dict[] = {
	"logonhunt-ledger 1\n", "logonhunt-ledger 2\n", "end\tsize=", "group\t", "verdict\t", "\t", "\n", "#",
	"first=", "seen=", "instances=", "machines=", "earliest=", "latest=",
	"hidden=", "by=", "note=", "2026-01-01T00:00:00.0000000Z",
	"2025-03-09T21:05:26Z", "false-positive", "true-positive",
	"benign-positive", "undetermined", "escalated", "cleared", "\\t",
	"\\\\", "\\x1b", "\\xff", "\\n", "\r\n", "\xc2\x85", NULL
};

/* base is a's text; a has just been read (nothing changed). */
static void
check_append(struct ledger *a, const struct buf *base, size_t pick)
{
	struct buf full = { 0 }, want = { 0 }, got = { 0 };
	struct ledger *b;
	char *cause = NULL;
	size_t cut, start;

	ledger_clean(a);
	ledger_set_verdict(a, (long)(pick % ledger_count(a)), LV_ESCALATED,
	    "appended\t", "fuzz", 42, NULL);
	buf_add(&full, base->p, base->len);
	start = full.len;
	ledger_serialize_changes(a, (off_t)start, &full);
	ledger_serialize(a, &want);
	FUZZ_CHECK(ledger_parse("A", full.p, full.len, &b, &cause) == 0,
	    "an appended save does not read: %s", cause);
	ledger_serialize(b, &got);
	FUZZ_CHECK(got.len == want.len && memcmp(got.p, want.p, got.len) == 0,
	    "an appended save reads back as another ledger");
	FUZZ_CHECK(ledger_torn_line(b) == 0, "a whole save read as interrupted");
	ledger_free(b);
	cut = start + pick % (full.len - start);
	FUZZ_CHECK(ledger_parse("A", full.p, cut, &b, &cause) == 0,
	    "a save cut at byte %zu does not read: %s", cut, cause);
	buf_reset(&got);
	ledger_serialize(b, &got);
	FUZZ_CHECK(got.len == base->len && memcmp(got.p, base->p, got.len) == 0,
	    "a save cut at byte %zu changed the ledger", cut);
	ledger_free(b);
	buf_free(&full);
	buf_free(&want);
	buf_free(&got);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ledger *a, *b, *c;
	struct buf s1 = { 0 }, s2 = { 0 }, s3 = { 0 };
	char *ca = NULL, *cb = NULL, *path;
	int ra, rb;

	path = fuzz_write_file("L", data, size);
	ra = ledger_parse(path, (const char *)data, size, &a, &ca);
	rb = ledger_load(path, &b, &cb);
	FUZZ_CHECK(ra == rb, "parse %d but load %d (%s / %s)", ra, rb,
	    ca ? ca : "", cb ? cb : "");
	if (ra != 0) {
		/* The same reason, for the same line of the file. */
		FUZZ_CHECK(strncmp(ca, path, strlen(path)) == 0 &&
		    ca[strlen(path)] == ':' && ca[strlen(path) + 1] >= '1' &&
		    ca[strlen(path) + 1] <= '9', "no line in '%s'", ca);
		FUZZ_CHECK(strcmp(ca, cb) == 0, "'%s' but '%s'", ca, cb);
		FUZZ_CHECK(a == NULL && b == NULL, "a ledger after an error");
		goto out;
	}
	ledger_serialize(a, &s1);
	ledger_serialize(b, &s2);
	FUZZ_CHECK(s1.len == s2.len && memcmp(s1.p, s2.p, s1.len) == 0,
	    "parse and load differ");
	ledger_free(b);
	ra = ledger_parse("L2", s1.p, s1.len, &b, &ca);
	FUZZ_CHECK(ra == 0, "its own output does not parse: %s", ca);
	buf_reset(&s2);
	ledger_serialize(b, &s2);
	FUZZ_CHECK(s1.len == s2.len && memcmp(s1.p, s2.p, s1.len) == 0,
	    "the output changes when read back");
	FUZZ_CHECK(ledger_count(a) == ledger_count(b), "count");
	ra = ledger_parse("L3", s1.p, s1.len, &c, &ca);
	FUZZ_CHECK(ra == 0, "parse");
	ledger_merge(c, a);
	ledger_serialize(c, &s3);
	FUZZ_CHECK(s1.len == s3.len && memcmp(s1.p, s3.p, s1.len) == 0,
	    "merging a ledger into itself changed it");
	ledger_free(c);
	if (ledger_count(a) > 0)
		check_append(a, &s1, size);
out:
	ledger_free(a);
	ledger_free(b);
	buf_free(&s1);
	buf_free(&s2);
	buf_free(&s3);
	free(ca);
	free(cb);
	free(path);
	return 0;
}
