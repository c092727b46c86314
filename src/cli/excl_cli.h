/* The "logonhunt exclusions ..." subcommand: list, add, edit, remove,
 * enable, disable, import, check, categories, kql, watchlist, path. */
#ifndef LH_EXCL_CLI_H
#define LH_EXCL_CLI_H

/* argv[0] is "exclusions". default_path is the file to use unless
 * --exclusions FILE is given (NULL: excl_default_path()). Returns the exit
 * status: 0 ok, 1 input or file error (for check: not excluded), 2 usage
 * error. Messages go to stderr prefixed "logonhunt: ". */
int excl_cli_main(int argc, char **argv, const char *default_path);

#endif
