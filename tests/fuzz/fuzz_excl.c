/* Fuzz target: the exclusions file (logonhunt-exclusions(5)).
 *
 * The bytes are written as a file and loaded. A file that does not load
 * must say why, and the lenient load must give the same message and a set
 * that refuses to be saved (the file stays as it was). A file that loads
 * must: let every active rule match its own value; save in place and load
 * again to the same categories, rules and query; save a second time to the
 * same bytes; and, rebuilt rule by rule through the editing API in a file
 * at another path, save and load back to the same rules. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "excl.h"
#include "fuzz.h"

/* 2026-01-01T00:00:00Z: a fixed "now", so expiry does not depend on the
 * day the fuzzer runs. */
#define FUZZ_NOW ((time_t)1767225600)

/* Each input is saved three times (with fsync) and loaded four. */
const unsigned long fuzz_default_runs = 8000;

const char *const fuzz_dict[] = {
	"[maintenance]\n", "[siem]\n", "[rds]\n", "[defender]\n", "[backup]\n",
	"[custom-1]\n", "enabled = no\n", "enabled = yes\n", "description = ",
	"ip ", "!ip ", "account ", "device ", "asn ", "owner ", "AS8075", "until=2027-06-30", "  # note",
	"192.0.2.0/24", "2001:db8::/32", "::ffff:1.2.3.4", "CONTOSO\\svc_*",
	"\"a b\"", "\"\"", " #", "\r\n", "\xef\xbb\xbf", "0.0.0.0/0", "::/0",
	NULL
};

static void
render_set(const struct excl_set *s, struct buf *out)
{
	size_t i, n;
	char date[11];

	n = excl_category_count(s);
	for (i = 0; i < n; i++) {
		buf_addf(out, "cat %zu [%s] %s %s rules %zu", i,
		    excl_category_name(s, i), excl_category_enabled(s, i) ?
		    "on" : "off", excl_category_builtin(s, i) ? "builtin" :
		    "custom", excl_category_rule_count(s, i));
		buf_add(out, " desc ", 6);
		fuzz_add_escaped(out, excl_category_description(s, i),
		    strlen(excl_category_description(s, i)));
		buf_addc(out, '\n');
	}
	n = excl_rule_count(s);
	for (i = 0; i < n; i++) {
		const char *text = excl_rule_text(s, i), *note = excl_rule_note(s, i);
		time_t until = excl_rule_until(s, i);

		excl_date_format(until, date);
		buf_addf(out, "rule %zu cat %zu %s%s until %s", i,
		    excl_rule_category(s, i), excl_rule_enabled(s, i) ? "" : "!",
		    excl_kind_name(excl_rule_kind(s, i)), until ? date : "-");
		buf_addf(out, " line %zu", excl_rule_line(s, i));
		buf_add(out, " <", 2);
		fuzz_add_escaped(out, text, strlen(text));
		buf_add(out, "> #", 3);
		fuzz_add_escaped(out, note, strlen(note));
		buf_addc(out, '\n');
	}
	if (out->p == NULL)
		buf_add(out, "", 0);
}

static void
render_full(const struct excl_set *s, struct buf *out)
{
	render_set(s, out);
	excl_kql_buf(out, s, FUZZ_NOW);
}

/* Every rule that applies must exclude a logon that carries its value. */
static void
check_self_match(const struct excl_set *s)
{
	struct excl_matcher *m = excl_compile(s, FUZZ_NOW);
	size_t i, n = excl_rule_count(s), active = 0;
	long hit;

	for (i = 0; i < n; i++) {
		const char *t = excl_rule_text(s, i), *bs, *slash;

		if (excl_rule_state(s, i, FUZZ_NOW) != EXCL_ACTIVE)
			continue;
		active++;
		switch (excl_rule_kind(s, i)) {
		case EXCL_IP:
			slash = strchr(t, '/');
			hit = excl_match_ip(m, t, slash ? (size_t)(slash - t) : strlen(t));
			break;
		case EXCL_ACCOUNT:
			bs = strchr(t, '\\');
			hit = bs ? excl_match_account(m, t, (size_t)(bs - t), bs + 1,
			    strlen(bs + 1)) : excl_match_account(m, "ANY", 3, t,
			    strlen(t));
			break;
		case EXCL_ASN:
			hit = excl_match_ipinfo(m, (uint32_t)strtoul(t + (t[0] == 'A' ||
			    t[0] == 'a' ? 2 : 0), NULL, 10), "", 0);
			break;
		case EXCL_OWNER:
			hit = excl_match_ipinfo(m, 0, t, strlen(t));
			break;
		default:
			hit = excl_match_device(m, t, strlen(t));
			break;
		}
		FUZZ_CHECK(hit >= 0, "active rule %zu (%s '%s') does not match "
		    "its own value", i + 1, excl_kind_name(excl_rule_kind(s, i)), t);
		FUZZ_CHECK((size_t)hit < n && excl_rule_state(s, (size_t)hit,
		    FUZZ_NOW) == EXCL_ACTIVE, "rule %zu matched through rule %ld, "
		    "which is not active", i + 1, hit + 1);
	}
	FUZZ_CHECK(excl_matcher_size(m) == active, "the matcher holds %zu rules, "
	    "%zu are active", excl_matcher_size(m), active);
	excl_matcher_free(m);
}

/* A note the editing API keeps as it is: valid UTF-8, no control
 * characters, line separators, bidi or invisible characters, single
 * spaces, none at either end. */
static int
note_is_clean(const char *note)
{
	const unsigned char *p = (const unsigned char *)note;
	size_t n = strlen(note), i, len;

	if (!utf8_valid(note, n) || (n && (p[0] == ' ' || p[n - 1] == ' ')))
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f || (p[i] == ' ' && p[i + 1] == ' ') ||
		    (p[i] == 0xc2 && p[i + 1] < 0xa0) ||
		    (p[i] == 0xe2 && p[i + 1] == 0x80 &&
		    (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)))
			return 0;
	/* Bidi and invisible characters, which the sanitiser removes (the
	 * list of logonhunt-exclusions(5)). */
	for (i = 0; i < n; i += len) {
		uint32_t cp;

		len = utf8_seq(p + i, n - i, &cp);
		if (cp == 0xad || cp == 0x61c || cp == 0x115f || cp == 0x1160 ||
		    cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2060 && cp <= 0x206f) || cp == 0x3164 ||
		    cp == 0xfeff || cp == 0xffa0 || (cp >= 0xfff9 && cp <= 0xfffb) ||
		    (cp >= 0xe0000 && cp <= 0xe007f))
			return 0;
	}
	return 1;
}

/* Categories (custom ones with their description) and rules grouped by
 * category in file order; skip[i] leaves rule i out, and notes the API
 * would rewrite are left out. */
static void
render_rebuilt(const struct excl_set *s, const unsigned char *skip,
    struct buf *out)
{
	size_t i, c, nc = excl_category_count(s), n = excl_rule_count(s);
	char date[11];

	for (c = 0; c < nc; c++) {
		const char *desc = excl_category_description(s, c);

		buf_addf(out, "[%s] %s", excl_category_name(s, c),
		    excl_category_enabled(s, c) ? "on" : "off");
		if (!excl_category_builtin(s, c)) {
			buf_add(out, " desc ", 6);
			if (note_is_clean(desc))
				fuzz_add_escaped(out, desc, strlen(desc));
		}
		buf_addc(out, '\n');
		for (i = 0; i < n; i++) {
			const char *note = excl_rule_note(s, i);

			if ((skip && skip[i]) || excl_rule_category(s, i) != c)
				continue;
			excl_date_format(excl_rule_until(s, i), date);
			buf_addf(out, "  %s%s until %s <", excl_rule_enabled(s, i) ?
			    "" : "!", excl_kind_name(excl_rule_kind(s, i)),
			    excl_rule_until(s, i) ? date : "-");
			fuzz_add_escaped(out, excl_rule_text(s, i),
			    strlen(excl_rule_text(s, i)));
			buf_add(out, "> #", 3);
			if (note_is_clean(note))
				fuzz_add_escaped(out, note, strlen(note));
			buf_addc(out, '\n');
		}
	}
	if (out->p == NULL)
		buf_add(out, "", 0);
}

/* The categories and rules of s added one by one, through the editing
 * API, to a new file at another path, which is then saved and loaded
 * back. The file may repeat a rule within a category, which the API
 * refuses: such repeats are left out of the comparison. */
static void
check_rebuild(const struct excl_set *s, const char *path)
{
	struct excl_set *t = excl_new_empty(path), *back = NULL;
	struct buf want = { 0 }, got = { 0 };
	size_t i, n = excl_rule_count(s), c, nc = excl_category_count(s);
	unsigned char *skip = xcalloc(n ? n : 1, 1);
	char *cause = NULL;
	long k;

	remove(path);
	for (c = 0; c < nc; c++) {
		const char *desc = excl_category_description(s, c);

		if (excl_category_builtin(s, c))
			continue;
		k = excl_category_add(t, excl_category_name(s, c),
		    note_is_clean(desc) ? desc : NULL, &cause);
		FUZZ_CHECK(k == (long)c, "category [%s] from the file cannot be "
		    "added as number %zu: %s", excl_category_name(s, c), c,
		    cause ? cause : "(added elsewhere)");
	}
	for (i = 0; i < n; i++) {
		const char *note = excl_rule_note(s, i);

		k = excl_rule_add(t, excl_rule_category(s, i), excl_rule_kind(s, i),
		    excl_rule_text(s, i), note_is_clean(note) ? note : NULL,
		    excl_rule_until(s, i), &cause);
		if (k < 0) {
			FUZZ_CHECK(strstr(cause, "already has this rule") != NULL,
			    "rule %zu (%s) from the file cannot be added: %s", i + 1,
			    excl_rule_text(s, i), cause);
			free(cause);
			cause = NULL;
			skip[i] = 1;
			continue;
		}
		if (!excl_rule_enabled(s, i))
			FUZZ_CHECK(excl_rule_set_enabled(t, (size_t)k, 0, &cause) == 0,
			    "cannot disable a rule: %s", cause);
	}
	for (c = 0; c < nc; c++)
		if (!excl_category_enabled(s, c))
			FUZZ_CHECK(excl_category_set_enabled(t, c, 0, &cause) == 0,
			    "cannot switch [%s] off: %s", excl_category_name(s, c), cause);
	FUZZ_CHECK(excl_save(t, &cause) == 0, "saving the rebuilt set: %s", cause);
	FUZZ_CHECK(excl_load(path, &back, &cause) == 0,
	    "the rebuilt file does not load:\n%s", cause);
	render_rebuilt(s, skip, &want);
	render_rebuilt(back, NULL, &got);
	FUZZ_CHECK(want.len == got.len && memcmp(want.p, got.p, want.len) == 0,
	    "rebuilt through the API, saved and loaded:\n--- from the file:\n%s"
	    "--- rebuilt:\n%s", want.p, got.p);
	excl_free(back);
	excl_free(t);
	free(skip);
	buf_free(&want);
	buf_free(&got);
}

/* A category added, saved, then removed (the console's undo) leaves the
 * file as it was, byte for byte. */
static void
check_category_undo(struct excl_set *s, const char *path, const char *want,
    size_t nwant)
{
	char *cause = NULL, *got;
	size_t n;
	long c;

	if (excl_category_find(s, "zz-fuzz") >= 0)
		return;
	c = excl_category_add(s, "zz-fuzz", "made by the fuzz target", &cause);
	FUZZ_CHECK(c >= 0, "cannot add a category: %s", cause);
	FUZZ_CHECK(excl_save(s, &cause) == 0, "saving a new category: %s", cause);
	FUZZ_CHECK(excl_category_remove(s, (size_t)c, &cause) == 0,
	    "cannot remove the category just added: %s", cause);
	FUZZ_CHECK(excl_category_find(s, "zz-fuzz") < 0, "the category is still there");
	FUZZ_CHECK(excl_save(s, &cause) == 0, "saving after the removal: %s", cause);
	got = fuzz_read_file(path, &n);
	FUZZ_CHECK(got != NULL && n == nwant && memcmp(got, want, n) == 0,
	    "adding and removing a category changed the file:\n--- before:\n%.*s"
	    "\n--- after:\n%.*s", (int)nwant, want, (int)n, got ? got : "");
	free(got);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_write_file("exclusions", data, size), *other;
	char *cause = NULL, *cause2 = NULL, *bytes1, *bytes2;
	struct excl_set *s = NULL, *s2 = NULL;
	struct buf r1 = { 0 }, r2 = { 0 };
	size_t n1, n2;

	if (excl_load(path, &s, &cause) != 0) {
		FUZZ_CHECK(s == NULL && cause != NULL && cause[0] != '\0',
		    "a failed load must give a message and no set");
		FUZZ_CHECK(excl_load_lenient(path, &s2, &cause2) != 0 && s2 != NULL &&
		    cause2 != NULL && strcmp(cause, cause2) == 0,
		    "the lenient load differs:\n%s\n---\n%s", cause, cause2 ? cause2 : "");
		FUZZ_CHECK(excl_has_errors(s2), "a set with bad lines does not say so");
		free(cause2);
		cause2 = NULL;
		FUZZ_CHECK(excl_save(s2, &cause2) != 0, "a set with bad lines was saved");
		bytes1 = fuzz_read_file(path, &n1);
		FUZZ_CHECK(bytes1 != NULL && n1 == size &&
		    (size == 0 || memcmp(bytes1, data, size) == 0),
		    "the refused save changed the file");
		free(bytes1);
		excl_free(s2);
		free(cause);
		free(cause2);
		free(path);
		return 0;
	}
	FUZZ_CHECK(s != NULL && cause == NULL, "a load that succeeds gives a set");
	FUZZ_CHECK(!excl_is_modified(s), "a loaded set counts as modified");
	check_self_match(s);

	/* Save in place: comments and untouched lines keep their text.
	 * Saving costs four fsyncs: libFuzzer does it for a sample. */
	bytes1 = bytes2 = NULL;
	if (fuzz_sample(data, size, 4, 0)) {
		render_full(s, &r1);
		FUZZ_CHECK(excl_save(s, &cause) == 0, "a set that loaded cannot "
		    "be saved: %s", cause);
		bytes1 = fuzz_read_file(path, &n1);
		FUZZ_CHECK(bytes1 != NULL, "the saved file is gone");
		FUZZ_CHECK(excl_load(path, &s2, &cause) == 0,
		    "the saved file does not load:\n%s", cause);
		render_full(s2, &r2);
		FUZZ_CHECK(r1.len == r2.len && memcmp(r1.p, r2.p, r1.len) == 0,
		    "the set changed through save and load:\n--- loaded:\n%s\n"
		    "--- saved and loaded again:\n%s", r1.p, r2.p);
		FUZZ_CHECK(excl_save(s2, &cause) == 0, "second save: %s", cause);
		bytes2 = fuzz_read_file(path, &n2);
		FUZZ_CHECK(bytes2 != NULL && n1 == n2 && memcmp(bytes1, bytes2, n1) == 0,
		    "a second save wrote different bytes");
		check_category_undo(s2, path, bytes2, n2);
	}
	if (fuzz_sample(data, size, 8, 1)) {
		other = xasprintf("%s/rebuilt", fuzz_dir());
		check_rebuild(s, other);
		free(other);
	}

	free(bytes1);
	free(bytes2);
	buf_free(&r1);
	buf_free(&r2);
	excl_free(s);
	excl_free(s2);
	free(path);
	return 0;
}
