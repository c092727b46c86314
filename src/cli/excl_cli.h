/* The "logonhunt exclusions ..." subcommand: list, add, edit, remove,
 * enable, disable, import, check, lint, categories, kql, watchlist, path. */
#ifndef LH_EXCL_CLI_H
#define LH_EXCL_CLI_H

/* argv[0] is "exclusions". default_path is the file to use unless
 * --exclusions FILE is given (NULL: excl_default_path()). Returns the exit
 * status: 0 ok, 1 input or file error, 2 usage error; for check and lint
 * 0 or 1 is the answer (excluded or not; clean or not) and 2 any failure
 * to give one. Messages go to stderr prefixed "logonhunt: ". */
int excl_cli_main(int argc, char **argv, const char *default_path);

/* For a file the user named with --exclusions: 0 if it exists (readable or
 * not: loading says why not), else -1 after a message naming the path and
 * how to create it. A missing default file is an empty list; a named one
 * that is missing is almost always a typing mistake that would hide
 * nothing. */
int excl_cli_require_file(const char *path);

#endif
