/* logonhunt triage COMMAND ...: the triage ledger from the command line. */
#ifndef LH_TRIAGE_CLI_H
#define LH_TRIAGE_CLI_H

/* argv[0] is "triage". Returns the exit status. */
int triage_cli_main(int argc, char **argv);

#endif
