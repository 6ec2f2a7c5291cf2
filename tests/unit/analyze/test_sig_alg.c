/* test_sig_alg.c: RFC 7427 §3 signature AUTH data: the AlgorithmIdentifier encodings of RFC 7427
 * Appendix A (A.1 PKCS#1 1.5, A.2 DSA, A.3 ECDSA, A.4 RSASSA-PSS), RFC 8420 EdDSA, and
 * malformed ones. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/objects.h>

#include "analyze/sig_alg.h"

struct vec {
    const char *name;
    const char *der; /* the AlgorithmIdentifier, hex */
    enum an_sig_scheme scheme;
    int hash, mgf1, salt;
};

static const struct vec vecs[] = {
    /* A.1 */
    { "sha1WithRSAEncryption", "300d06092a864886f70d0101050500", AN_SIG_RSA_PKCS1, NID_sha1, 0, 0 },
    { "sha256WithRSAEncryption", "300d06092a864886f70d01010b0500", AN_SIG_RSA_PKCS1, NID_sha256, 0, 0 },
    { "sha384WithRSAEncryption", "300d06092a864886f70d01010c0500", AN_SIG_RSA_PKCS1, NID_sha384, 0, 0 },
    { "sha512WithRSAEncryption", "300d06092a864886f70d01010d0500", AN_SIG_RSA_PKCS1, NID_sha512, 0, 0 },
    /* A.2 */
    { "dsa-with-sha1", "300906072a8648ce380403", AN_SIG_DSA, NID_sha1, 0, 0 },
    { "dsa-with-sha256", "300b0609608648016503040302", AN_SIG_DSA, NID_sha256, 0, 0 },
    /* A.3 */
    { "ecdsa-with-sha1", "300906072a8648ce3d0401", AN_SIG_ECDSA, NID_sha1, 0, 0 },
    { "ecdsa-with-sha256", "300a06082a8648ce3d040302", AN_SIG_ECDSA, NID_sha256, 0, 0 },
    { "ecdsa-with-sha384", "300a06082a8648ce3d040303", AN_SIG_ECDSA, NID_sha384, 0, 0 },
    { "ecdsa-with-sha512", "300a06082a8648ce3d040304", AN_SIG_ECDSA, NID_sha512, 0, 0 },
    /* A.4.1: empty parameters, all defaults */
    { "pss-empty", "300d06092a864886f70d01010a3000", AN_SIG_RSA_PSS, NID_sha1, NID_sha1, 20 },
    /* A.4.2: the defaults written out */
    { "pss-default",
      "303e06092a864886f70d01010a3031a00b300906052b0e03021a0500a118301606092a864886f70d010108"
      "300906052b0e03021a0500a203020114a303020101",
      AN_SIG_RSA_PSS, NID_sha1, NID_sha1, 20 },
    /* A.4.3: SHA-256, MGF1 with SHA-256, salt 32 */
    { "pss-sha256",
      "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d"
      "010108300d06096086480165030402010500a203020120",
      AN_SIG_RSA_PSS, NID_sha256, NID_sha256, 32 },
    /* the same shape with SHA-384 and SHA-512, salt = hash length */
    { "pss-sha384",
      "304106092a864886f70d01010a3034a00f300d06096086480165030402020500a11c301a06092a864886f70d"
      "010108300d06096086480165030402020500a203020130",
      AN_SIG_RSA_PSS, NID_sha384, NID_sha384, 48 },
    { "pss-sha512",
      "304106092a864886f70d01010a3034a00f300d06096086480165030402030500a11c301a06092a864886f70d"
      "010108300d06096086480165030402030500a203020140",
      AN_SIG_RSA_PSS, NID_sha512, NID_sha512, 64 },
    /* RFC 8420 §2 */
    { "ed25519", "300506032b6570", AN_SIG_ED25519, 0, 0, 0 },
    { "ed448", "300506032b6571", AN_SIG_ED448, 0, 0, 0 },
};

static uint8_t *unhex(const char *h, size_t *n)
{
    *n = strlen(h) / 2;
    uint8_t *b = malloc(*n + 1);
    for (size_t i = 0; i < *n; i++) {
        unsigned v;
        sscanf(h + 2 * i, "%2x", &v);
        b[i] = (uint8_t)v;
    }
    return b;
}

/* AUTH data: length byte, AlgorithmIdentifier, then a 3-byte stand-in signature. */
static uint8_t *auth_data(const char *der_hex, size_t *n)
{
    size_t dl;
    uint8_t *der = unhex(der_hex, &dl);
    uint8_t *b = malloc(dl + 4);
    b[0] = (uint8_t)dl;
    memcpy(b + 1, der, dl);
    memcpy(b + 1 + dl, "\xaa\xbb\xcc", 3);
    *n = dl + 4;
    free(der);
    return b;
}

Test(sig_alg, rfc7427_appendix_a)
{
    for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++) {
        size_t n;
        uint8_t *b = auth_data(vecs[i].der, &n);
        struct an_sig_alg a;
        const uint8_t *sig;
        size_t sl;
        char oid[64];
        cr_assert_eq(an_sig_alg_parse(b, n, &a, &sig, &sl, oid, sizeof oid), AN_SIG_ALG_OK, "%s", vecs[i].name);
        cr_expect_eq(a.scheme, vecs[i].scheme, "%s", vecs[i].name);
        cr_expect_eq(a.hash, vecs[i].hash, "%s", vecs[i].name);
        if (a.scheme == AN_SIG_RSA_PSS) {
            cr_expect_eq(a.mgf1_hash, vecs[i].mgf1, "%s", vecs[i].name);
            cr_expect_eq(a.salt_len, vecs[i].salt, "%s", vecs[i].name);
        }
        cr_expect_eq(sl, 3, "%s", vecs[i].name);
        cr_expect_eq(sig[0], 0xaa);
        /* every strict prefix is truncated or malformed, never accepted */
        for (size_t k = 0; k < n - 3; k++)
            cr_expect_neq(an_sig_alg_parse(b, k, &a, &sig, &sl, NULL, 0), AN_SIG_ALG_OK, "%s prefix %zu",
                          vecs[i].name, k);
        free(b);
    }
}

Test(sig_alg, names)
{
    cr_expect_str_eq(an_sig_hash_name(NID_sha384), "SHA-384");
    cr_expect_str_eq(an_sig_hash_name(0), "none");
    cr_expect_str_eq(an_sig_scheme_name(AN_SIG_RSA_PSS), "RSA-PSS");
    cr_expect_eq(an_sig_hash_iana(NID_sha256, AN_SIG_ECDSA), 2);
    cr_expect_eq(an_sig_hash_iana(0, AN_SIG_ED25519), 5);
}

static enum an_sig_alg_status parse_hex(const char *h, char *oid, size_t oid_len)
{
    size_t n;
    uint8_t *b = unhex(h, &n);
    struct an_sig_alg a;
    const uint8_t *sig;
    size_t sl;
    enum an_sig_alg_status rc = an_sig_alg_parse(b, n, &a, &sig, &sl, oid, oid_len);
    free(b);
    return rc;
}

Test(sig_alg, malformed)
{
    char oid[64];
    cr_expect_eq(parse_hex("", NULL, 0), AN_SIG_ALG_TRUNCATED);
    /* the length byte says 16, only 15 follow */
    cr_expect_eq(parse_hex("10300d06092a864886f70d0101050500", NULL, 0), AN_SIG_ALG_TRUNCATED);
    /* the length byte says 14: the AlgorithmIdentifier does not end there */
    cr_expect_eq(parse_hex("0e300d06092a864886f70d010105050000", NULL, 0), AN_SIG_ALG_MALFORMED);
    /* not a SEQUENCE */
    cr_expect_eq(parse_hex("02020101", NULL, 0), AN_SIG_ALG_MALFORMED);
    /* ECDSA with NULL parameters (RFC 5758: absent) */
    cr_expect_eq(parse_hex("0e300c06082a8648ce3d0403020500", NULL, 0), AN_SIG_ALG_MALFORMED);
    /* RSA-PSS without parameters */
    cr_expect_eq(parse_hex("0d300b06092a864886f70d01010a", NULL, 0), AN_SIG_ALG_MALFORMED);
    /* RSA-PSS with trailerField 2 */
    cr_expect_eq(parse_hex("12301006092a864886f70d01010a3003a303020102", NULL, 0), AN_SIG_ALG_MALFORMED);
    /* RSA-PSS with an MGF that is not MGF1 (id-sha256 in its place) */
    cr_expect_eq(parse_hex("1e301c06092a864886f70d01010a300fa10d300b0609608648016503040201", NULL, 0),
                 AN_SIG_ALG_MALFORMED);
    /* md5WithRSAEncryption: well formed, not a signature method we accept */
    cr_expect_eq(parse_hex("0f300d06092a864886f70d0101040500", oid, sizeof oid), AN_SIG_ALG_UNKNOWN);
    cr_expect_str_eq(oid, "1.2.840.113549.1.1.4");
}
