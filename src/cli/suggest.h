/* suggest.h: "did you mean" for a mistyped word among the few the command line knows. */
#ifndef IKESCOPE_CLI_SUGGEST_H
#define IKESCOPE_CLI_SUGGEST_H

#include <stddef.h>

/* The word of `known` (NULL-terminated) closest to `typed` by edit distance (insertions,
 * deletions, substitutions and swaps of neighbours count one each), when it is at most 2
 * and less than half the word; NULL otherwise. */
const char *cli_suggest(const char *typed, const char *const *known);

#endif
