/* keyout.h: output files that hold key material: created mode 0600 and written through a stdio buffer we own and wipe. */
#ifndef IKESCOPE_CLI_KEYOUT_H
#define IKESCOPE_CLI_KEYOUT_H

#include <stddef.h>
#include <stdio.h>

/*
 * stdio would malloc a buffer for the stream, fill it with key text and free
 * it unwiped at fclose. This one is ours: cli_keyout_close wipes it.
 */
struct cli_keyout {
    FILE *f;
    char buf[8192];
};

/*
 * Opens `path` for writing (created or truncated, mode 0600 either way), or
 * when path is NULL a stream of its own on a duplicate of stdout. Returns 0,
 * or -1 with "PATH: cannot write: reason" in err.
 */
int cli_keyout_open(struct cli_keyout *o, const char *path, char *err, size_t errlen);

/* Flushes and closes, then wipes the buffer. Returns 0, or -1 with errno set if writing failed. */
int cli_keyout_close(struct cli_keyout *o);

#endif
