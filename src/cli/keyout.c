/* keyout.c: output files that hold key material (see keyout.h). */
#include "cli/keyout.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

int cli_keyout_open(struct cli_keyout *o, const char *path, char *err, size_t errlen)
{
    o->f = NULL;
    int fd = path ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : dup(STDOUT_FILENO);
    /* O_CREAT's mode does not apply to a file that exists already. */
    if (fd >= 0 && path && fchmod(fd, 0600) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        fd = -1;
    }
    if (fd >= 0 && !(o->f = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        errno = e;
    }
    /* Before the first write, or stdio allocates its own buffer. */
    if (o->f && setvbuf(o->f, o->buf, _IOFBF, sizeof o->buf) != 0) {
        fclose(o->f);
        o->f = NULL;
        errno = ENOMEM;
    }
    if (!o->f) {
        snprintf(err, errlen, "%s: cannot write: %s", path ? path : "standard output", strerror(errno));
        return -1;
    }
    return 0;
}

int cli_keyout_close(struct cli_keyout *o)
{
    int rc = 0;
    if (o->f && fclose(o->f) != 0)
        rc = -1;
    int e = errno;
    o->f = NULL;
    sodium_memzero(o->buf, sizeof o->buf);
    errno = e;
    return rc;
}
