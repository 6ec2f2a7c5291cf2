/* output.c: report and key files written whole or not at all (see output.h). */
#include "cli/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The stream's own write and close: write(2) whole, and keep the reason of a failure. */
static ssize_t out_write(void *cookie, const char *buf, size_t n)
{
    struct cli_output *o = cookie;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(o->fd, buf + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (!o->werr)
                o->werr = w < 0 ? errno : EIO;
            return done ? (ssize_t)done : -1;
        }
        done += (size_t)w;
    }
    return (ssize_t)n;
}

static int out_close(void *cookie)
{
    struct cli_output *o = cookie;
    int rc = close(o->fd);
    if (rc != 0 && !o->werr)
        o->werr = errno;
    o->fd = -1;
    return rc;
}

const char *cli_output_name(const struct cli_output *o)
{
    return o->path ? o->path : "standard output";
}

static int fail(struct cli_output *o, int e, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: cannot write %s: %s", cli_output_name(o), o->what,
             e ? strerror(e) : "a write failed");
    cli_output_abort(o);
    return -1;
}

static mode_t new_file_mode(void)
{
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

/* DIR/.NAME.XXXXXX beside `target`. */
static int tmp_name(char *out, size_t len, const char *target)
{
    const char *slash = strrchr(target, '/');
    int dirlen = slash ? (int)(slash - target) + 1 : 0;
    int n = snprintf(out, len, "%.*s.%s.XXXXXX", dirlen, target, slash ? slash + 1 : target);
    return n > 0 && (size_t)n < len ? 0 : -1;
}

int cli_output_open(struct cli_output *o, const char *path, const char *what, mode_t mode, char *err,
                    size_t errlen)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    o->what = what ? what : "";
    int fd;
    struct stat st;
    bool exists = path && stat(path, &st) == 0;
    if (path && !exists && errno != ENOENT)
        return fail(o, errno, err, errlen);
    if (!path) {
        fd = dup(STDOUT_FILENO);
    } else if (exists && !S_ISREG(st.st_mode)) {
        /* A device, FIFO or terminal: written in place, its mode left alone. */
        fd = open(path, O_WRONLY | O_CLOEXEC);
    } else {
        if (exists) {
            /* Through a symbolic link, the file it names is the one replaced. */
            if (!realpath(path, o->target))
                return fail(o, errno, err, errlen);
        } else if ((size_t)snprintf(o->target, sizeof o->target, "%s", path) >= sizeof o->target) {
            return fail(o, ENAMETOOLONG, err, errlen);
        }
        if (tmp_name(o->tmp, sizeof o->tmp, o->target) != 0) {
            o->tmp[0] = '\0';
            return fail(o, ENAMETOOLONG, err, errlen);
        }
        fd = mkostemp(o->tmp, O_CLOEXEC);
        if (fd < 0) {
            int e = errno;
            o->tmp[0] = '\0';
            return fail(o, e, err, errlen);
        }
        o->mode = mode ? mode : exists ? (st.st_mode & 07777) : new_file_mode();
        if (fchmod(fd, o->mode) != 0) {
            int e = errno;
            close(fd);
            return fail(o, e, err, errlen);
        }
    }
    if (fd < 0)
        return fail(o, errno, err, errlen);
    o->fd = fd;
    static const cookie_io_functions_t io = { .write = out_write, .close = out_close };
    if (!(o->f = fopencookie(o, "w", io))) {
        int e = errno;
        close(fd);
        return fail(o, e, err, errlen);
    }
    return 0;
}

int cli_output_commit(struct cli_output *o, char *err, size_t errlen)
{
    if (!o->f)
        return fail(o, EBADF, err, errlen);
    bool bad = fflush(o->f) != 0 || ferror(o->f);
    FILE *f = o->f;
    o->f = NULL;
    bad = fclose(f) != 0 || bad;
    int e = o->werr;
    if (!bad && o->tmp[0] && rename(o->tmp, o->target) != 0) {
        bad = true;
        e = errno;
    }
    if (bad)
        return fail(o, e, err, errlen);
    o->tmp[0] = '\0';
    return 0;
}

void cli_output_abort(struct cli_output *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    if (o->tmp[0])
        unlink(o->tmp);
    o->tmp[0] = '\0';
}
