/* Fuzz target: the console's session file (session.h).
 *
 * The bytes are parsed from memory and, written as a file, loaded through
 * session_load: both must accept or refuse alike, with the same message,
 * which names the file and a line. A session that parses must write out
 * text that parses again to the same text. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "session.h"

const unsigned long fuzz_default_runs = 20000;

const char *const fuzz_dict[] = {
	"logonhunt-session 1\n", "input\t", "exclusions\t", "sort\t", "\tasc",
	"\tdesc", "filter\t", "search\t", "wide\t1", "wide\t0", "hide\t",
	"cursor\t", "mark\t", "\t", "\n", "\\t", "\\\\", "\\x1b", "\\x00",
	"\\n", "\\r", "\r\n", "Instances", "\xc2\x85", NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session a, b;
	struct buf s1 = { 0 }, s2 = { 0 };
	char *ca = NULL, *cb = NULL, *path;
	int ra, rb;

	path = fuzz_write_file("S", data, size);
	ra = session_parse(path, (const char *)data, size, &a, &ca);
	rb = session_load(path, &b, &cb);
	/* An empty file is a file: load says 1 only when there is none. */
	FUZZ_CHECK(ra == rb, "parse %d but load %d (%s / %s)", ra, rb,
	    ca ? ca : "", cb ? cb : "");
	if (ra != 0) {
		FUZZ_CHECK(strncmp(ca, path, strlen(path)) == 0 &&
		    strncmp(ca + strlen(path), ": line ", 7) == 0 &&
		    ca[strlen(path) + 7] >= '1' && ca[strlen(path) + 7] <= '9',
		    "no line in '%s'", ca);
		FUZZ_CHECK(strcmp(ca, cb) == 0, "'%s' but '%s'", ca, cb);
		FUZZ_CHECK(a.ninputs == 0 && a.nmarks == 0 && a.cursor == NULL,
		    "a session after an error");
		goto out;
	}
	session_serialize(&a, &s1);
	session_serialize(&b, &s2);
	FUZZ_CHECK(s1.len == s2.len && memcmp(s1.p, s2.p, s1.len) == 0,
	    "parse and load differ");
	session_free(&b);
	ra = session_parse("S2", s1.p, s1.len, &b, &ca);
	FUZZ_CHECK(ra == 0, "its own output does not parse: %s", ca);
	buf_reset(&s2);
	session_serialize(&b, &s2);
	FUZZ_CHECK(s1.len == s2.len && memcmp(s1.p, s2.p, s1.len) == 0,
	    "the output changes when read back");
	FUZZ_CHECK(session_same_inputs(&a, &b), "the inputs change when read back");
out:
	session_free(&a);
	session_free(&b);
	buf_free(&s1);
	buf_free(&s2);
	free(ca);
	free(cb);
	free(path);
	return 0;
}
