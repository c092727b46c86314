/* Fuzz target: the exclusions import (a plain list of addresses and CIDR
 * ranges, or Microsoft's Azure IP ranges and service tags JSON, told apart
 * by content), through excl_import on a file of the bytes.
 *
 * An import either adds nothing and says why, or adds exactly the new
 * rules it counts (read = added + duplicates), every one of which
 * validates and matches its own value; importing the same file again adds
 * nothing. The service tags detection and listing must not crash, and
 * a tag the list names must import. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "excl.h"
#include "fuzz.h"

const char *const fuzz_dict[] = {
	"{\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[", "\"values\":",
	"\"name\":\"AzureCloud\"", "\"properties\":", "\"addressPrefixes\":[",
	"\"changeNumber\":", "\"1.2.3.0/24\"", "\"2603:1000::/40\"", "]}", "# ",
	"\n", "192.0.2.0/24\n", "2001:db8::/32\n", "::ffff:1.2.3.4\n", "10.0.0.1/8",
	"1:2:3:4:5:6:7:8:9", NULL
};

static void
check_imported(const struct excl_set *s, size_t before)
{
	struct excl_matcher *m = excl_compile(s, 0);
	size_t i, n = excl_rule_count(s);
	char *cause = NULL;

	for (i = before; i < n; i++) {
		const char *t = excl_rule_text(s, i), *slash = strchr(t, '/');

		FUZZ_CHECK(excl_rule_kind(s, i) == EXCL_IP, "an import added a "
		    "rule that is not an ip rule");
		FUZZ_CHECK(excl_rule_validate(EXCL_IP, t, &cause) == 0,
		    "imported '%s' does not validate: %s", t, cause);
		FUZZ_CHECK(excl_match_ip(m, t, slash ? (size_t)(slash - t) :
		    strlen(t)) >= 0, "imported '%s' does not match itself", t);
	}
	excl_matcher_free(m);
}

static void
import_once(const char *path, const char *const *tags, size_t ntags)
{
	struct excl_set *s = excl_new_empty("/nonexistent/exclusions");
	struct excl_import_stats st, again;
	char *cause = NULL;
	size_t before = excl_rule_count(s);

	memset(&st, 0, sizeof st);
	if (excl_import(s, 0, path, tags, ntags, &st, &cause) != 0) {
		FUZZ_CHECK(cause != NULL && cause[0] != '\0', "a failed import "
		    "gives no reason");
		FUZZ_CHECK(excl_rule_count(s) == before, "a failed import added "
		    "%zu rules", excl_rule_count(s) - before);
		free(cause);
		excl_free(s);
		return;
	}
	FUZZ_CHECK(cause == NULL, "an import that succeeds sets a message");
	FUZZ_CHECK(st.read == st.added + st.duplicates, "read %zu, added %zu, "
	    "duplicates %zu", st.read, st.added, st.duplicates);
	FUZZ_CHECK(excl_rule_count(s) == before + st.added, "counted %zu "
	    "added, the set grew by %zu", st.added, excl_rule_count(s) - before);
	check_imported(s, before);
	memset(&again, 0, sizeof again);
	FUZZ_CHECK(excl_import(s, 0, path, tags, ntags, &again, &cause) == 0,
	    "the second import of the same file fails: %s", cause);
	FUZZ_CHECK(again.added == 0 && again.read == st.read,
	    "the second import added %zu of %zu", again.added, again.read);
	excl_free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_write_file("import", data, size), *cause = NULL;
	struct excl_tag *tags = NULL;
	size_t ntags = 0;
	int detected = excl_servicetags_detect(path, &cause);

	FUZZ_CHECK(detected >= 0, "a readable file cannot be read: %s", cause);
	if (detected == 1) {
		static const char *const fixed[] = { "AzureCloud", "ActionGroup" };

		import_once(path, fixed, 2);
		if (excl_servicetags_list(path, &tags, &ntags, &cause) == 0) {
			if (ntags > 0) {
				const char *first[1] = { tags[0].name };
				import_once(path, first, 1);
			}
			excl_tags_free(tags, ntags);
		} else
			free(cause);
	} else
		import_once(path, NULL, 0);
	free(path);
	return 0;
}
