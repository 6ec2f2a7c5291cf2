/* test_wycheproof.c: signature verification (auth_verify.h) against a subset of Wycheproof vectors
 * (tests/vectors/wycheproof/, made by its extract.py): RSA PKCS#1 v1.5 and RSA-PSS as RFC 7427
 * AUTH, ECDSA as RFC 4754 r||s (methods 9-11) and RFC 7427 DER, Ed25519 and Ed448 (RFC 8420). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "analyze/auth_verify.h"

static const struct {
    const char *file;
    uint8_t method;
    const char *alg; /* RFC 7427 AlgorithmIdentifier, hex; NULL for methods 9-11 */
    bool rsa;        /* opens without the signed octets */
} files[] = {
    { "ecdsa_secp256r1_sha256_p1363_test", 9, NULL, false },
    { "ecdsa_secp384r1_sha384_p1363_test", 10, NULL, false },
    { "ecdsa_secp521r1_sha512_p1363_test", 11, NULL, false },
    { "ecdsa_secp256r1_sha256_test", 14, "300a06082a8648ce3d040302", false },
    { "rsa_signature_2048_sha256_test", 14, "300d06092a864886f70d01010b0500", true },
    { "rsa_pss_2048_sha256_mgf1_32_test", 14,
      "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d"
      "010108300d06096086480165030402010500a203020120", true },
    { "ed25519_test", 14, "300506032b6570", false },
    { "ed448_test", 14, "300506032b6571", false },
};

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
    if (strcmp(h, "-") == 0)
        return 0;
    size_t n = strlen(h) / 2;
    cr_assert(n <= cap);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        cr_assert(sscanf(h + 2 * i, "%2x", &v) == 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

Test(wycheproof, signatures)
{
    static uint8_t key[4096], msg[4096], sig[4096], auth[4400];
    for (size_t fi = 0; fi < sizeof files / sizeof files[0]; fi++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.txt", VECTOR_DIR, files[fi].file);
        FILE *f = fopen(path, "r");
        cr_assert(f, "%s", path);
        char *line = NULL;
        size_t cap = 0;
        unsigned nvalid = 0, ninvalid = 0;
        while (getline(&line, &cap, f) > 0) {
            if (line[0] == '#')
                continue;
            char *save, *id = strtok_r(line, " \n", &save), *res = strtok_r(NULL, " \n", &save);
            char *kh = strtok_r(NULL, " \n", &save), *mh = strtok_r(NULL, " \n", &save);
            char *sh = strtok_r(NULL, " \n", &save);
            cr_assert(id && res && kh && mh && sh);
            size_t kl = unhex(kh, key, sizeof key), ml = unhex(mh, msg, sizeof msg), sl = unhex(sh, sig, sizeof sig);
            const unsigned char *p = key;
            EVP_PKEY *k = d2i_PUBKEY(NULL, &p, (long)kl);
            cr_assert(k, "%s tcId %s: key", files[fi].file, id);
            size_t al = 0;
            if (files[fi].alg) {
                uint8_t *a = auth + 1;
                size_t n = unhex(files[fi].alg, a, 128);
                auth[0] = (uint8_t)n;
                memcpy(auth + 1 + n, sig, sl);
                al = 1 + n + sl;
            } else {
                memcpy(auth, sig, sl);
                al = sl;
            }
            struct an_sig_verdict v;
            an_auth_verify_sig(files[fi].method, auth, al, k, msg, ml, &v);
            if (strcmp(res, "valid") == 0) {
                nvalid++;
                cr_expect_eq(v.result, AN_AUTH_VALID, "%s tcId %s: %s (%s)", files[fi].file, id,
                             an_auth_result_name(v.result), v.reason);
                if (files[fi].rsa) {
                    an_auth_verify_sig(files[fi].method, auth, al, k, NULL, 0, &v);
                    cr_expect_eq(v.result, AN_AUTH_KEY_CONSISTENT, "%s tcId %s opened: %s (%s)", files[fi].file, id,
                                 an_auth_result_name(v.result), v.reason);
                }
            } else if (strcmp(res, "invalid") == 0) {
                ninvalid++;
                cr_expect_eq(v.result, AN_AUTH_INVALID, "%s tcId %s: %s (%s)", files[fi].file, id,
                             an_auth_result_name(v.result), v.reason);
            }
            EVP_PKEY_free(k);
        }
        free(line);
        fclose(f);
        cr_expect(nvalid > 0 && ninvalid > 0, "%s: %u valid, %u invalid", files[fi].file, nvalid, ninvalid);
    }
}
