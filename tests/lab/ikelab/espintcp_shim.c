/* espintcp_shim.c: LD_PRELOAD stand-in for Linux's "espintcp" TCP upper layer protocol
 * (net/xfrm/espintcp.c), for IKE messages only: RFC 8229 section 3 length framing.
 *
 * libreswan's pluto writes "non-ESP marker + IKE message" into a TCP socket after
 * setsockopt(TCP_ULP, "espintcp") and relies on the kernel to prepend the 2-octet
 * length on send and to strip it on receive (one message per read). The lab kernel
 * has no ESP (CONFIG_INET_ESP, hence no CONFIG_INET_ESPINTCP), so that setsockopt
 * fails and pluto closes the socket. pluto's own way around it, the impairment
 * tcp-skip-setsockopt-espintcp, leaves the length out altogether: the wire is then
 * not RFC 8229. This shim makes the setsockopt succeed and does what the kernel
 * would, so the wire carries real RFC 8229 records:
 *   - write() on such a socket sends [length = n + 2][n bytes] in one write;
 *   - read() returns one record without its length, or EAGAIN until the whole
 *     record is in the socket (SO_RCVLOWAT keeps poll quiet meanwhile);
 *   - close() forgets the socket (descriptor numbers are reused).
 * ESP records (non-zero SPI) never occur: pluto cannot install an ESP SA here.
 *
 * Build: cc -shared -fPIC -O2 -o espintcp_shim.so espintcp_shim.c -ldl
 * Use:   LD_PRELOAD=/path/espintcp_shim.so pluto ...
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef TCP_ULP
#define TCP_ULP 31
#endif

enum { MAX_FDS = 4096, MAX_RECORD = 65535 };

static unsigned char framed[MAX_FDS];

static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_close)(int);
static int (*real_setsockopt)(int, int, int, const void *, socklen_t);

/* Each wrapper resolves what it needs on first use: other libraries' constructors
 * (libcap-ng's reads a file) run before ours. The constructor then resolves all of
 * them before pluto starts its helper threads. */
static void resolve(void)
{
    if (!real_read)
        real_read = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
    if (!real_write)
        real_write = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    if (!real_close)
        real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
    if (!real_setsockopt)
        real_setsockopt = (int (*)(int, int, int, const void *, socklen_t))dlsym(RTLD_NEXT,
                                                                                  "setsockopt");
}

__attribute__((constructor)) static void init(void)
{
    resolve();
}

static int is_framed(int fd)
{
    return fd >= 0 && fd < MAX_FDS && framed[fd];
}

/* One line into pluto's log (its stderr), so the log says the framing came from here. */
static void note(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0)
        real_write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
    resolve();
    if (level == IPPROTO_TCP && name == TCP_ULP && val && len >= 8 &&
        strncmp((const char *)val, "espintcp", 8) == 0 && fd >= 0 && fd < MAX_FDS) {
        framed[fd] = 1;
        note("espintcp-shim: socket %d: TCP_ULP \"espintcp\" emulated in userspace "
             "(RFC 8229 length framing)\n", fd);
        return 0;
    }
    return real_setsockopt(fd, level, name, val, len);
}

int close(int fd)
{
    resolve();
    if (fd >= 0 && fd < MAX_FDS)
        framed[fd] = 0;
    return real_close(fd);
}

static void set_lowat(int fd, int n)
{
    real_setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &n, sizeof n);
}

ssize_t read(int fd, void *buf, size_t n)
{
    resolve();
    if (!is_framed(fd))
        return real_read(fd, buf, n);
    uint8_t hdr[2];
    ssize_t r = recv(fd, hdr, 2, MSG_PEEK | MSG_DONTWAIT);
    if (r <= 0)
        return r; /* EOF or error (EAGAIN) as the kernel would report it */
    if (r < 2) {
        set_lowat(fd, 2);
        errno = EAGAIN;
        return -1;
    }
    size_t len = (size_t)hdr[0] << 8 | hdr[1];
    if (len <= 2) {
        /* espintcp drops records too short to carry a marker; so do we */
        recv(fd, hdr, 2, MSG_DONTWAIT);
        errno = EAGAIN;
        return -1;
    }
    uint8_t *rec = malloc(len);
    if (!rec) {
        errno = ENOMEM;
        return -1;
    }
    r = recv(fd, rec, len, MSG_PEEK | MSG_DONTWAIT);
    /* Incomplete. (A peer closing mid-record would leave pluto polling here; the lab
     * kills both daemons, so that never happens.) */
    if (r < (ssize_t)len) {
        free(rec);
        set_lowat(fd, (int)len); /* wake pluto when the whole record is there */
        errno = EAGAIN;
        return -1;
    }
    recv(fd, rec, len, MSG_DONTWAIT);
    set_lowat(fd, 1);
    size_t body = len - 2, out = body < n ? body : n;
    memcpy(buf, rec + 2, out);
    free(rec);
    return (ssize_t)out;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    resolve();
    if (!is_framed(fd))
        return real_write(fd, buf, n);
    if (n + 2 > MAX_RECORD) {
        errno = EMSGSIZE;
        return -1;
    }
    uint8_t *rec = malloc(n + 2);
    if (!rec) {
        errno = ENOMEM;
        return -1;
    }
    rec[0] = (uint8_t)((n + 2) >> 8);
    rec[1] = (uint8_t)(n + 2);
    memcpy(rec + 2, buf, n);
    /* espintcp queues what the socket cannot take yet; finish the record here */
    size_t done = 0;
    while (done < n + 2) {
        ssize_t w = real_write(fd, rec + done, n + 2 - done);
        if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
            struct pollfd p = { .fd = fd, .events = POLLOUT };
            poll(&p, 1, 1000);
            continue;
        }
        if (w < 0) {
            free(rec);
            return -1; /* the stream is broken either way */
        }
        done += (size_t)w;
    }
    free(rec);
    return (ssize_t)n;
}
