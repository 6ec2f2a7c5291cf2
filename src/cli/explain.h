/* explain.h: `ikescope rules` (the rule registry) and `ikescope explain X` (the knowledge
 * base on rules, Windows errors and IKE error notifies). */
#ifndef IKESCOPE_CLI_EXPLAIN_H
#define IKESCOPE_CLI_EXPLAIN_H

/* argv[0] is the subcommand name; return the exit status (0, or 2 on a usage error). */
int cli_rules_command(int argc, char **argv);
int cli_explain_command(int argc, char **argv);

#endif
