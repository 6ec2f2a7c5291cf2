/* output.h: report and key files written whole or not at all: a temporary file beside the target, every
 * write, flush and close checked, then rename(2). */
#ifndef IKESCOPE_CLI_OUTPUT_H
#define IKESCOPE_CLI_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/*
 * One output. `f` is where to write. For a regular file (new or existing) it is a temporary
 * file "DIR/.NAME.XXXXXX" in the target's directory, renamed over the target by
 * cli_output_commit, so a failed write leaves the target as it was and no partial file
 * behind. A target that exists and is not a regular file (/dev/null, /dev/full, a FIFO, a
 * terminal) is written in place: it cannot be renamed over. path NULL is standard output,
 * through a stream of its own on a duplicate of it, so that closing it reports the error.
 * The stream's writes go through this struct (fopencookie): it must not move while open.
 */
struct cli_output {
    FILE *f;
    const char *path;  /* borrowed; NULL for standard output */
    char target[4096]; /* what the temporary file becomes; empty when written in place */
    char tmp[4096];    /* the temporary file; empty when written in place */
    mode_t mode;       /* mode the target ends with when it is new */
    const char *what;  /* "the report", for messages; borrowed */
    int fd;
    int werr;          /* errno of the first failed write or close: stdio keeps only a flag */
};

/*
 * Opens. `what` names the content in messages ("the report"). `mode` is 0600 for files holding keys (also forced on an existing target), or 0 for
 * "as a new file would be" (0666 less the umask; an existing target keeps its mode).
 * Returns 0, or -1 with "PATH: cannot write WHAT: reason" in err.
 */
int cli_output_open(struct cli_output *o, const char *path, const char *what, mode_t mode, char *err,
                    size_t errlen);

/*
 * Flushes, checks that no write failed, closes and renames into place. Returns 0, or -1 with
 * "PATH: cannot write WHAT: reason" in err, the temporary file removed. `f` is closed either way.
 */
int cli_output_commit(struct cli_output *o, char *err, size_t errlen);

/* Closes without keeping anything: the temporary file is removed. Safe after commit, and on a zeroed struct. */
void cli_output_abort(struct cli_output *o);

/* "standard output" or the path, for messages. */
const char *cli_output_name(const struct cli_output *o);

#endif
