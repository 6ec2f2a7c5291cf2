/* secret.c: owned, wiped key material (see secret.h). */
#include "ike/crypto/secret.h"

#include <stdlib.h>
#include <string.h>

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
