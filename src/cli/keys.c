/* keys.c: --keys loading and the `keys convert` command. */
#include <stdio.h>

#include "cli/cli.h"

int cli_keys_load(struct cli_keys *k, const char *const *paths, size_t n, char *err, size_t errlen)
{
    k->store = NULL;
    if (n) {
        snprintf(err, errlen, "%s: decryption is not available in this build yet", paths[0]);
        return -1;
    }
    return 0;
}

void cli_keys_free(struct cli_keys *k) { k->store = NULL; }

int cli_keys_command(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "ikescope keys: not available in this build yet\n");
    return 2;
}
