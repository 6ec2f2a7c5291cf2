/* keyout.h: output files that hold key material: created mode 0600 and written through a stdio buffer we own and wipe. */
#ifndef IKESCOPE_CLI_KEYOUT_H
#define IKESCOPE_CLI_KEYOUT_H

#include <stddef.h>
#include <stdio.h>

#include "cli/output.h"

/*
 * stdio would malloc a buffer for the stream, fill it with key text and free
 * it unwiped at fclose. This one is ours: cli_keyout_close wipes it. The file
 * is written whole or not at all (cli/output.h).
 */
struct cli_keyout {
    FILE *f;
    struct cli_output out;
    char buf[8192];
};

/*
 * Opens `path` for writing (mode 0600, also when it exists already), or when
 * path is NULL a stream of its own on a duplicate of stdout. Returns 0, or -1
 * with "PATH: cannot write the keys: reason" in err.
 */
int cli_keyout_open(struct cli_keyout *o, const char *path, char *err, size_t errlen);

/* Flushes, closes and puts the file in place, then wipes the buffer. Returns 0, or -1 with
 * "PATH: cannot write the keys: reason" in err (nothing is left at PATH then). */
int cli_keyout_close(struct cli_keyout *o, char *err, size_t errlen);

/* Closes without keeping anything (nothing is left at the path), then wipes the buffer. */
void cli_keyout_discard(struct cli_keyout *o);

#endif
