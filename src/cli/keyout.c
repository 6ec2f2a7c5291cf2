/* keyout.c: output files that hold key material (see keyout.h). */
#include "cli/keyout.h"

#include <errno.h>
#include <string.h>

#include <sodium.h>

int cli_keyout_open(struct cli_keyout *o, const char *path, char *err, size_t errlen)
{
    o->f = NULL;
    if (cli_output_open(&o->out, path, "the keys", 0600, err, errlen) != 0)
        return -1;
    /* Before the first write, or stdio allocates its own buffer. */
    if (setvbuf(o->out.f, o->buf, _IOFBF, sizeof o->buf) != 0) {
        cli_output_abort(&o->out);
        snprintf(err, errlen, "%s: cannot write the keys: %s", cli_output_name(&o->out), strerror(ENOMEM));
        return -1;
    }
    o->f = o->out.f;
    return 0;
}

int cli_keyout_close(struct cli_keyout *o, char *err, size_t errlen)
{
    int rc = cli_output_commit(&o->out, err, errlen);
    o->f = NULL;
    sodium_memzero(o->buf, sizeof o->buf);
    return rc;
}

void cli_keyout_discard(struct cli_keyout *o)
{
    cli_output_abort(&o->out);
    o->f = NULL;
    sodium_memzero(o->buf, sizeof o->buf);
}
