/* gzio.c: a stdio stream over a gzip (RFC 1952) file, so libpcap can read compressed
 * captures through pcap_fopen_offline without a temporary file. */
#include "capture/internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/types.h>
#include <zlib.h>

struct cap_gzio {
    gzFile gz;
    bool damaged;
    char msg[128];
};

static ssize_t gzio_read(void *cookie, char *buf, size_t size)
{
    struct cap_gzio *g = cookie;
    unsigned want = size > INT_MAX ? INT_MAX : (unsigned)size;
    int n = gzread(g->gz, buf, want);
    if (n < 0) {
        int zerr = 0;
        const char *m = gzerror(g->gz, &zerr);
        g->damaged = true;
        snprintf(g->msg, sizeof g->msg, "%s", m ? m : "gzip read error");
        errno = EIO;
        return -1;
    }
    if (n == 0 && !g->damaged) {
        /* zlib reports a stream cut short as a clean end of file plus an error code. */
        int zerr = 0;
        const char *m = gzerror(g->gz, &zerr);
        if (zerr != Z_OK && zerr != Z_STREAM_END) {
            g->damaged = true;
            snprintf(g->msg, sizeof g->msg, "%s", m ? m : "gzip data ends early");
        }
    }
    return n;
}

static int gzio_close(void *cookie)
{
    struct cap_gzio *g = cookie;
    int rc = gzclose_r(g->gz);
    free(g);
    return rc == Z_OK ? 0 : EOF;
}

FILE *cap_gzio_open(const char *path, struct cap_gzio **out)
{
    if (out)
        *out = NULL;
    struct cap_gzio *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->gz = gzopen(path, "rb");
    if (!g->gz) {
        int e = errno ? errno : ENOMEM;
        free(g);
        errno = e;
        return NULL;
    }
    gzbuffer(g->gz, 64 * 1024);
    cookie_io_functions_t io = { .read = gzio_read, .write = NULL, .seek = NULL,
                                 .close = gzio_close };
    FILE *fp = fopencookie(g, "rb", io);
    if (!fp) {
        gzclose_r(g->gz);
        free(g);
        return NULL;
    }
    if (out)
        *out = g;
    return fp;
}

const char *cap_gzio_error(struct cap_gzio *g)
{
    if (!g || !g->damaged)
        return NULL;
    return g->msg;
}
