/* Checks over the console's key table: no key means two things on one
 * screen, every action a screen offers can be reached there, and the help
 * names each key once per screen. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "curs.h"
#include "keys.h"

static const enum key_screen screens[] = {
	KS_RESULTS, KS_EVENTS, KS_DETAIL, KS_EXCL, KS_TEXT,
};

/* The first entry for a key on a screen wins: a later entry with another
 * action on a screen they share could never be reached there. */
START_TEST(test_no_double_binding)
{
	const struct key_def *t;
	size_t n, i, j, k;
	char a[16];

	t = keys_table(&n);
	ck_assert_uint_gt(n, 40);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			unsigned both = t[i].screens & t[j].screens;

			if (t[i].key != t[j].key || both == 0 || t[i].action == t[j].action)
				continue;
			for (k = 0; k < sizeof screens / sizeof screens[0]; k++)
				ck_assert_msg(!(both & screens[k]), "key %s is bound to "
				    "actions %d and %d on screen %d (entries %zu and %zu)",
				    keys_name(t[i].key, a), t[i].action, t[j].action,
				    screens[k], i, j);
		}
}
END_TEST

/* Every entry is what keys_lookup finds on each of its screens. */
START_TEST(test_every_binding_reachable)
{
	const struct key_def *t;
	size_t n, i, k;
	char a[16];

	t = keys_table(&n);
	for (i = 0; i < n; i++)
		for (k = 0; k < sizeof screens / sizeof screens[0]; k++)
			if (t[i].screens & screens[k])
				ck_assert_msg(keys_lookup(screens[k], t[i].key) == t[i].action,
				    "key %s on screen %d: entry %zu is shadowed",
				    keys_name(t[i].key, a), screens[k], i);
}
END_TEST

/* In the help of a screen, its own section lists no key twice. */
START_TEST(test_help_lists_keys_once)
{
	size_t k;

	for (k = 0; k < sizeof screens / sizeof screens[0]; k++) {
		struct buf help = { 0 };
		char *copy, *line, *save = NULL, *seen[256];
		size_t nseen = 0, i;
		int section = 0;

		keys_help(&help, screens[k]);
		copy = xstrdup(help.p);
		for (line = strtok_r(copy, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			char *tok, *tsave = NULL, keys[20];

			if (line[0] != ' ') {
				/* The screen's own section comes first. */
				if (++section > 1)
					break;
				continue;
			}
			/* "  KEYS (18 wide) help" */
			if (strlen(line) < 21 || line[2] == ' ')
				continue;
			memcpy(keys, line + 2, 18);
			keys[18] = '\0';
			for (tok = strtok_r(keys, " ", &tsave); tok != NULL;
			    tok = strtok_r(NULL, " ", &tsave)) {
				for (i = 0; i < nseen; i++)
					ck_assert_msg(strcmp(seen[i], tok) != 0,
					    "screen %d: key %s listed twice in its help:\n%s",
					    screens[k], tok, help.p);
				if (nseen < 256)
					seen[nseen++] = xstrdup(tok);
			}
		}
		for (i = 0; i < nseen; i++)
			free(seen[i]);
		free(copy);
		buf_free(&help);
	}
}
END_TEST

/* Keys are named as keyboards label them, never by curses' numbers. */
START_TEST(test_key_names)
{
	static const struct {
		int key;
		const char *name;
	} cases[] = {
		{ KEYF | KEY_F(3), "F3" }, { KEYF | KEY_F(12), "F12" },
		{ KEYF | KEY_F(1), "F1" }, { KEY_CTRL('x'), "Ctrl-X" },
		{ KEYF | KEY_IC, "Insert" }, { KEYF | KEY_BTAB, "Shift-Tab" },
		{ KEYF | KEY_SRIGHT, "Shift-Right" }, { KEYF | KEY_UP, "Up" },
		{ KEYF | KEY_DC, "Delete" }, { 'x', "x" }, { 0xe9, "U+00E9" },
	};
	size_t i;
	char a[16];

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_str_eq(keys_name(cases[i].key, a), cases[i].name);
	/* No key curses knows is left as a bare number. */
	for (i = KEY_MIN; i <= KEY_MAX; i++)
		ck_assert_msg(strncmp(keys_name(KEYF | (int)i, a), "key ", 4) != 0 ||
		    keyname((int)i) == NULL, "key %zu: %s", i, a);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = tcase_create("table");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_no_double_binding);
	tcase_add_test(tc, test_every_binding_reachable);
	tcase_add_test(tc, test_help_lists_keys_once);
	tcase_add_test(tc, test_key_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
