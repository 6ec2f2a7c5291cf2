/* cli.h: command-line pieces beyond main: key files for analyze, and `keys convert`. */
#ifndef IKESCOPE_CLI_CLI_H
#define IKESCOPE_CLI_CLI_H

#include <stddef.h>

struct ike_keystore;

struct cli_keys {
    struct ike_keystore *store; /* NULL when no --keys was given */
};

/* Loads every --keys file; on error writes "FILE:LINE: problem" into err. */
int cli_keys_load(struct cli_keys *k, const char *const *paths, size_t n, char *err, size_t errlen);
void cli_keys_free(struct cli_keys *k);
/* `ikescope keys ...` */
int cli_keys_command(int argc, char **argv);

#endif
