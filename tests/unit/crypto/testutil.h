/* testutil.h: hex helpers and fixture lookup shared by the crypto unit tests. */
#ifndef IKESCOPE_TESTS_CRYPTO_TESTUTIL_H
#define IKESCOPE_TESTS_CRYPTO_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "ike/crypto/secret.h"

/* Decode hex (spaces ignored) into a malloc'd buffer; aborts the test on bad input. */
static inline uint8_t *unhex(const char *h, size_t *n)
{
    size_t cap = strlen(h) / 2 + 1, k = 0;
    uint8_t *b = malloc(cap);
    int hi = -1;
    for (const char *p = h; *p; p++) {
        if (*p == ' ')
            continue;
        int v = ike_hex_digit((uint8_t)*p);
        cr_assert(v >= 0, "bad hex in test vector");
        if (hi < 0) {
            hi = v;
        } else {
            b[k++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    cr_assert(hi < 0, "odd hex in test vector");
    *n = k;
    return b;
}

static inline void tohex(const uint8_t *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
    out[2 * n] = 0;
}

#define assert_hex(got, n, want_hex)                                                     \
    do {                                                                                 \
        char _buf[2 * 1024 + 1];                                                         \
        cr_assert((n) <= 1024);                                                          \
        tohex((got), (n), _buf);                                                         \
        cr_assert_str_eq(_buf, (want_hex));                                              \
    } while (0)

/* Path of a file under $IKESCOPE_FIXTURES, or NULL (and the test is skipped loudly). */
static inline const char *fixture(const char *rel, char *buf, size_t len)
{
    const char *root = getenv("IKESCOPE_FIXTURES");
    if (!root)
        return NULL;
    snprintf(buf, len, "%s/%s", root, rel);
    FILE *f = fopen(buf, "rb");
    if (!f)
        return NULL;
    fclose(f);
    return buf;
}

/*
 * Parameter tables hold pointers to static strings, which differ between
 * Criterion's re-executed test processes (PIE): pass indices instead.
 */
static inline size_t *test_indices(size_t n)
{
    size_t *p = cr_malloc(n * sizeof *p);
    for (size_t i = 0; i < n; i++)
        p[i] = i;
    return p;
}

#endif
