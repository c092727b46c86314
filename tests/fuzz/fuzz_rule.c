/* Fuzz target: the exclusion-rule parser (command-line RULE specs and
 * rule values), as `logonhunt exclusions add/edit/check` use it.
 *
 * The input is a RULE, optionally followed by a NUL and a note. A spec that
 * parses must validate, be accepted by excl_rule_add, match its own value,
 * survive a save and load of the file with the same kind, text and
 * (cleaned) note, and parse the same again when written as KIND:TEXT.
 * For every kind, excl_rule_validate and excl_rule_add must agree. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "excl.h"
#include "fuzz.h"

const char *const fuzz_dict[] = {
	"ip:", "account:", "device:", "IP:", "asn:", "owner:", "AS", "4294967295", "\\", "*", "/", ".", ":", "::",
	"192.0.2.0/24", "2001:db8::/32", "::ffff:", "%eth0", "CONTOSO\\",
	"0.0.0.0/0", "255.255.255.255", "/128", "/32", " ", "#", "\"",
	"\xc2\x85", "\xe2\x80\xa8", NULL
};

static long
self_match(const struct excl_matcher *m, enum excl_kind kind, const char *t)
{
	const char *bs, *slash;

	switch (kind) {
	case EXCL_IP:
		slash = strchr(t, '/');
		return excl_match_ip(m, t, slash ? (size_t)(slash - t) : strlen(t));
	case EXCL_ACCOUNT:
		bs = strchr(t, '\\');
		return bs ? excl_match_account(m, t, (size_t)(bs - t), bs + 1,
		    strlen(bs + 1)) : excl_match_account(m, "ANY", 3, t, strlen(t));
	case EXCL_ASN:
		return excl_match_ipinfo(m, (uint32_t)strtoul(t + (t[0] == 'A' ||
		    t[0] == 'a' ? 2 : 0), NULL, 10), "", 0);
	case EXCL_OWNER:
		return excl_match_ipinfo(m, 0, t, strlen(t));
	case EXCL_DEVICE:
		break;
	}
	return excl_match_device(m, t, strlen(t));
}

static void
check_accepted(enum excl_kind kind, const char *text, const char *note,
    int with_file)
{
	char *path = xasprintf("%s/rule", fuzz_dir()), *cause = NULL, *spec, *text2;
	struct excl_set *s = excl_new_empty(path), *back = NULL;
	struct excl_matcher *m;
	enum excl_kind kind2;
	long k;
	char *kept_note;

	FUZZ_CHECK(excl_rule_validate(kind, text, &cause) == 0,
	    "'%s' parsed as %s but does not validate: %s", text,
	    excl_kind_name(kind), cause);
	k = excl_rule_add(s, 0, kind, text, note, 0, &cause);
	if (k < 0 && note != NULL) {
		/* Only an invalid note may be refused. */
		FUZZ_CHECK(strstr(cause, "note") != NULL, "'%s': add refused "
		    "with a note: %s", text, cause);
		free(cause);
		cause = NULL;
		k = excl_rule_add(s, 0, kind, text, NULL, 0, &cause);
	}
	FUZZ_CHECK(k == 0, "%s '%s' validates but excl_rule_add refuses it: %s",
	    excl_kind_name(kind), text, cause);
	kept_note = xstrdup(excl_rule_note(s, 0));
	FUZZ_CHECK(strchr(kept_note, '\n') == NULL && strchr(kept_note, '\r') == NULL,
	    "a note keeps a line break");

	m = excl_compile(s, time(NULL));
	FUZZ_CHECK(self_match(m, kind, text) == 0, "%s rule '%s' does not match "
	    "its own value", excl_kind_name(kind), text);
	excl_matcher_free(m);

	if (!with_file)
		goto spec;
	remove(path);
	FUZZ_CHECK(excl_save(s, &cause) == 0, "cannot save: %s", cause);
	FUZZ_CHECK(excl_load(path, &back, &cause) == 0, "%s rule '%s' with note "
	    "'%s' was saved as a file that does not load:\n%s",
	    excl_kind_name(kind), text, kept_note, cause);
	FUZZ_CHECK(excl_rule_count(back) == 1 && excl_rule_kind(back, 0) == kind &&
	    strcmp(excl_rule_text(back, 0), text) == 0 &&
	    strcmp(excl_rule_note(back, 0), kept_note) == 0,
	    "%s rule '%s' # '%s' came back from the file as %zu rules, the "
	    "first %s '%s' # '%s'", excl_kind_name(kind), text, kept_note,
	    excl_rule_count(back), excl_rule_count(back) ?
	    excl_kind_name(excl_rule_kind(back, 0)) : "-",
	    excl_rule_count(back) ? excl_rule_text(back, 0) : "",
	    excl_rule_count(back) ? excl_rule_note(back, 0) : "");

spec:
	spec = xasprintf("%s:%s", excl_kind_name(kind), text);
	FUZZ_CHECK(excl_rule_parse_spec(spec, &kind2, &text2, &cause) == 0 &&
	    kind2 == kind && strcmp(text2, text) == 0,
	    "'%s' does not parse back to the same rule", spec);
	free(text2);
	free(spec);
	free(kept_note);
	excl_free(back);
	excl_free(s);
	free(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = xstrndup((const char *)data, size), *text = NULL, *cause = NULL;
	char *note = NULL;
	size_t len = strlen(spec);
	enum excl_kind kind;
	struct excl_set *s;
	int k, v;
	long r;

	/* RULE, NUL, note. */
	if (len < size)
		note = xstrndup((const char *)data + len + 1, size - len - 1);

	if (excl_rule_parse_spec(spec, &kind, &text, &cause) == 0) {
		FUZZ_CHECK(cause == NULL && text != NULL, "success with a message");
		/* Saving costs two fsyncs: libFuzzer does it for a sample. */
		check_accepted(kind, text, note, fuzz_sample(data, size, 4, 0));
		free(text);
	} else {
		FUZZ_CHECK(cause != NULL && cause[0] != '\0', "failure without a message");
		free(cause);
	}
	cause = NULL;

	/* validate and add agree for every kind. */
	for (k = EXCL_IP; k <= EXCL_OWNER; k++) {
		s = excl_new_empty("/nonexistent/exclusions");
		v = excl_rule_validate((enum excl_kind)k, spec, &cause);
		if (v != 0) {
			FUZZ_CHECK(cause != NULL, "validate failed without a message");
			free(cause);
			cause = NULL;
		}
		r = excl_rule_add(s, (size_t)k, (enum excl_kind)k, spec, NULL, 0, &cause);
		FUZZ_CHECK((v == 0) == (r >= 0), "%s '%s': validate says %d, add %ld (%s)",
		    excl_kind_name((enum excl_kind)k), spec, v, r, cause ? cause : "");
		free(cause);
		cause = NULL;
		excl_free(s);
	}
	free(note);
	free(spec);
	return 0;
}
