/* lab_pki.h: the throw-away lab PKI (tests/lab/pki, PKI_DIR set by meson) for the
 * certificate tests: a certificate or private key by its file name without extension. */
#ifndef IKESCOPE_TESTS_LAB_PKI_H
#define IKESCOPE_TESTS_LAB_PKI_H

#include <criterion/criterion.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>

static inline X509 *load_x509(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.crt", PKI_DIR, name);
    FILE *f = fopen(path, "r");
    cr_assert(f, "%s missing", path);
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    cr_assert(x, "%s is not a PEM certificate", path);
    return x;
}

static inline EVP_PKEY *load_key(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.key", PKI_DIR, name);
    FILE *f = fopen(path, "r");
    cr_assert(f, "%s missing", path);
    EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    cr_assert(k, "%s is not a PEM key", path);
    return k;
}

#endif
