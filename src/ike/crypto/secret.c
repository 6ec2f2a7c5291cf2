/* secret.c: owned, wiped key material (see secret.h). */
#include "ike/crypto/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "capture/reader.h"

void ike_secret_free(struct ike_secret *s)
{
    if (!s)
        return;
    if (s->p) {
        sodium_memzero(s->p, s->len);
        free(s->p);
    }
    s->p = NULL;
    s->len = 0;
}

enum ike_secret_status ike_secret_set(struct ike_secret *s, const uint8_t *p, size_t len)
{
    ike_secret_free(s);
    if (len == 0)
        return IKE_SECRET_OK;
    uint8_t *q = malloc(len);
    if (!q)
        return IKE_SECRET_NOMEM;
    memcpy(q, p, len);
    s->p = q;
    s->len = len;
    return IKE_SECRET_OK;
}

enum ike_secret_status ike_secret_append(struct ike_secret *s, const uint8_t *p, size_t len)
{
    if (len == 0)
        return IKE_SECRET_OK;
    if (len > SIZE_MAX - s->len)
        return IKE_SECRET_NOMEM;
    uint8_t *q = malloc(s->len + len);
    if (!q)
        return IKE_SECRET_NOMEM;
    if (s->len)
        memcpy(q, s->p, s->len);
    memcpy(q + s->len, p, len);
    size_t n = s->len + len;
    ike_secret_free(s);
    s->p = q;
    s->len = n;
    return IKE_SECRET_OK;
}

int ike_hex_digit(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

enum ike_secret_status ike_secret_from_hex(struct ike_secret *s, const char *hex, size_t n)
{
    ike_secret_free(s);
    if (n == 0)
        return IKE_SECRET_EMPTY;
    if (n % 2)
        return IKE_SECRET_ODD_HEX;
    uint8_t *q = malloc(n / 2);
    if (!q)
        return IKE_SECRET_NOMEM;
    struct rd r = rd_make((const uint8_t *)hex, n);
    size_t i = 0;
    uint8_t hi, lo;
    while (rd_u8(&r, &hi) && rd_u8(&r, &lo)) {
        int h = ike_hex_digit(hi), l = ike_hex_digit(lo);
        if (h < 0 || l < 0) {
            sodium_memzero(q, n / 2);
            free(q);
            return IKE_SECRET_BAD_HEX;
        }
        q[i++] = (uint8_t)(h << 4 | l);
    }
    s->p = q;
    s->len = i;
    return IKE_SECRET_OK;
}

void ike_secret_move(struct ike_secret *dst, struct ike_secret *src)
{
    if (dst == src)
        return;
    ike_secret_free(dst);
    *dst = *src;
    src->p = NULL;
    src->len = 0;
}

bool ike_secret_equal(const struct ike_secret *a, const struct ike_secret *b)
{
    if (a->len != b->len)
        return false;
    if (a->len == 0)
        return true;
    return sodium_memcmp(a->p, b->p, a->len) == 0;
}

/* Grows `f` to `cap` bytes: a fresh buffer, the old one wiped. */
static bool secret_file_grow(struct ike_secret_file *f, size_t cap)
{
    uint8_t *nb = malloc(cap);
    if (!nb)
        return false;
    if (f->p) {
        memcpy(nb, f->p, f->len);
        sodium_memzero(f->p, f->cap);
        free(f->p);
    }
    f->p = nb;
    f->cap = cap;
    return true;
}

enum ike_secret_file_status ike_secret_file_read(const char *path, size_t max, struct ike_secret_file *out,
                                                 int *err)
{
    memset(out, 0, sizeof *out);
    *err = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *err = errno;
        return IKE_SECRET_FILE_OPEN;
    }
    /* A regular file says its size: one too large is refused before a byte is read or allocated. */
    struct stat sb;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > (uint64_t)max) {
        close(fd);
        out->size = (uint64_t)sb.st_size;
        return IKE_SECRET_FILE_TOO_LARGE;
    }
    /* Pipes and growing files: one byte beyond `max` is room enough to see that a file is too large. */
    size_t limit = max + 1, first = (size_t)1 << 16;
    enum ike_secret_file_status st = IKE_SECRET_FILE_OK;
    if (!secret_file_grow(out, first < limit ? first : limit))
        st = IKE_SECRET_FILE_NOMEM;
    while (st == IKE_SECRET_FILE_OK) {
        if (out->len == out->cap) {
            if (out->cap >= limit) {
                st = IKE_SECRET_FILE_TOO_LARGE;
                break;
            }
            size_t cap = out->cap * 2 < limit ? out->cap * 2 : limit;
            if (!secret_file_grow(out, cap)) {
                st = IKE_SECRET_FILE_NOMEM;
                break;
            }
        }
        ssize_t got = read(fd, out->p + out->len, out->cap - out->len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            *err = errno;
            st = IKE_SECRET_FILE_READ;
        } else if (got == 0) {
            break;
        } else {
            out->len += (size_t)got;
        }
    }
    close(fd);
    if (st != IKE_SECRET_FILE_OK)
        ike_secret_file_wipe(out);
    return st;
}

void ike_secret_file_wipe(struct ike_secret_file *f)
{
    if (f->p) {
        sodium_memzero(f->p, f->cap);
        free(f->p);
    }
    memset(f, 0, sizeof *f);
}
