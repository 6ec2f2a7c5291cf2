/* suggest.c: the closest known word by optimal string alignment distance (Damerau-
 * Levenshtein without repeated edits of one substring), for "did you mean". */
#include "cli/suggest.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define MAX_WORD 32

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

static size_t distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > MAX_WORD || m > MAX_WORD)
        return (size_t)-1;
    size_t d[MAX_WORD + 1][MAX_WORD + 1];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < d[i][j])
                d[i][j] = d[i - 2][j - 2] + 1;
        }
    return d[n][m];
}

const char *cli_suggest(const char *typed, const char *const *known)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; known[i]; i++) {
        size_t dist = distance(typed, known[i]);
        if (dist < best_d) {
            best_d = dist;
            best = known[i];
        }
    }
    if (!best || best_d > 2 || best_d * 2 >= strlen(best))
        return NULL;
    return best;
}

int cli_option_error(const char *cmd, int c, char *const *argv, int optind_now)
{
    const char *arg = optind_now > 0 ? argv[optind_now - 1] : "";
    char shortopt[3] = { '-', (char)optopt, '\0' };
    /* A short option inside a group ("-xk"): name the letter, not the group. */
    const char *name = optopt && strncmp(arg, "--", 2) != 0 ? shortopt : arg;
    /* "--keys=" style: the name without its value. */
    char longname[64];
    size_t n = strcspn(name, "=");
    snprintf(longname, sizeof longname, "%.*s", (int)(n < sizeof longname ? n : sizeof longname - 1), name);
    if (c == ':')
        fprintf(stderr, "ikescope %s: option '%s' needs a value; run 'ikescope %s --help'\n", cmd, longname, cmd);
    else
        fprintf(stderr, "ikescope %s: unknown option '%s'; run 'ikescope %s --help'\n", cmd, longname, cmd);
    return 2;
}
