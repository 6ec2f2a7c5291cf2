/* suggest.h: "did you mean" for a mistyped word among the few the command line knows. */
#ifndef IKESCOPE_CLI_SUGGEST_H
#define IKESCOPE_CLI_SUGGEST_H

#include <stddef.h>

/* The word of `known` (NULL-terminated) closest to `typed` by edit distance (insertions,
 * deletions, substitutions and swaps of neighbours count one each), when it is at most 2
 * and less than half the word; NULL otherwise. */
const char *cli_suggest(const char *typed, const char *const *known);

/* One line on stderr for an option getopt_long refused (`c` is what it returned, with
 * opterr = 0 and an optstring that starts with ':'), naming the option and the help:
 * "ikescope analyze: option '--keys' needs a value; run 'ikescope analyze --help'".
 * `cmd` is "analyze", "keys convert", ...; returns 2, the usage exit status. */
int cli_option_error(const char *cmd, int c, char *const *argv, int optind_now);

#endif
