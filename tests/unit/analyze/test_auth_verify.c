/* test_auth_verify.c: signature AUTH verdicts (auth_verify.h) for every scheme, with keys made
 * here: valid, altered octets, another key, opened without the octets, and unacceptable methods. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/dsa.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "analyze/auth_verify.h"
#include "analyze/rules_auth.h"
#include "analyze/rules_internal.h"

static const uint8_t octets[] = "RealMessage | NonceData | prf(SK_p, RestOfIDPayload) stand-in";

/* Signs with `md` (NULL for EdDSA), PSS when salt >= 0; returns the signature length. */
static size_t sign(EVP_PKEY *k, const EVP_MD *md, int salt, const uint8_t *m, size_t ml, uint8_t *sig, size_t cap)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    size_t sl = cap;
    cr_assert(EVP_DigestSignInit(c, &pc, md, NULL, k) > 0);
    if (salt >= 0) {
        cr_assert(EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) > 0);
        cr_assert(EVP_PKEY_CTX_set_rsa_mgf1_md(pc, md) > 0);
        cr_assert(EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, salt) > 0);
    }
    cr_assert(EVP_DigestSign(c, sig, &sl, m, ml) > 0);
    EVP_MD_CTX_free(c);
    return sl;
}

/* RFC 7427 AUTH data: length, AlgorithmIdentifier, signature. */
static size_t auth14(const char *alg_hex, const uint8_t *sig, size_t sl, uint8_t *out)
{
    size_t n = strlen(alg_hex) / 2;
    out[0] = (uint8_t)n;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(alg_hex + 2 * i, "%2x", &v);
        out[1 + i] = (uint8_t)v;
    }
    memcpy(out + 1 + n, sig, sl);
    return 1 + n + sl;
}

static const char sha256_rsa[] = "300d06092a864886f70d01010b0500";
static const char pss_sha256[] = "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d"
                                 "010108300d06096086480165030402010500a203020120";
static const char ed25519[] = "300506032b6570";
static const char ecdsa_sha256[] = "300a06082a8648ce3d040302";

static EVP_PKEY *rsa_a, *rsa_b;

static void keys(void)
{
    rsa_a = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    rsa_b = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    cr_assert(rsa_a && rsa_b);
}

static void keys_free(void)
{
    EVP_PKEY_free(rsa_a);
    EVP_PKEY_free(rsa_b);
}

static void check(uint8_t method, const uint8_t *d, size_t n, EVP_PKEY *k, const uint8_t *o, size_t ol,
                  enum an_auth_result r, enum an_auth_cause c, const char *alg)
{
    struct an_sig_verdict v;
    an_auth_verify_sig(method, d, n, k, o, ol, &v);
    cr_expect_eq(v.result, r, "result %s, want %s (%s)", an_auth_result_name(v.result), an_auth_result_name(r), v.reason);
    cr_expect_eq(v.cause, c, "cause %s, want %s (%s)", an_auth_cause_name(v.cause), an_auth_cause_name(c), v.reason);
    if (alg)
        cr_expect_str_eq(v.algorithm, alg);
}

Test(auth_verify, rsa_pkcs1, .init = keys, .fini = keys_free)
{
    uint8_t sig[512], d[600], bad[sizeof octets];
    size_t sl = sign(rsa_a, EVP_sha256(), -1, octets, sizeof octets, sig, sizeof sig);
    size_t n = auth14(sha256_rsa, sig, sl, d);
    memcpy(bad, octets, sizeof bad);
    bad[3] ^= 1;
    check(14, d, n, rsa_a, octets, sizeof octets, AN_AUTH_VALID, AN_AUTH_CAUSE_NONE, "RSA PKCS#1 v1.5 SHA-256");
    check(14, d, n, rsa_a, bad, sizeof bad, AN_AUTH_INVALID, AN_AUTH_CAUSE_DATA_DIFFERS, NULL);
    check(14, d, n, rsa_b, octets, sizeof octets, AN_AUTH_INVALID, AN_AUTH_CAUSE_WRONG_KEY, NULL);
    check(14, d, n, rsa_a, NULL, 0, AN_AUTH_KEY_CONSISTENT, AN_AUTH_CAUSE_NONE, NULL);
    check(14, d, n, rsa_b, NULL, 0, AN_AUTH_INVALID, AN_AUTH_CAUSE_WRONG_KEY, NULL);
    /* method 1 is the same padding with SHA-1, without an AlgorithmIdentifier */
    sl = sign(rsa_a, EVP_sha1(), -1, octets, sizeof octets, sig, sizeof sig);
    check(1, sig, sl, rsa_a, octets, sizeof octets, AN_AUTH_VALID, AN_AUTH_CAUSE_NONE, "RSA PKCS#1 v1.5 SHA-1");
    check(1, sig, sl, rsa_a, bad, sizeof bad, AN_AUTH_INVALID, AN_AUTH_CAUSE_DATA_DIFFERS, NULL);
    /* a signature one byte short never opens */
    check(1, sig, sl - 1, rsa_a, NULL, 0, AN_AUTH_INVALID, AN_AUTH_CAUSE_WRONG_KEY, NULL);
}

Test(auth_verify, rsa_pss, .init = keys, .fini = keys_free)
{
    uint8_t sig[512], d[600], bad[sizeof octets];
    size_t sl = sign(rsa_a, EVP_sha256(), 32, octets, sizeof octets, sig, sizeof sig);
    size_t n = auth14(pss_sha256, sig, sl, d);
    memcpy(bad, octets, sizeof bad);
    bad[0] ^= 0x80;
    check(14, d, n, rsa_a, octets, sizeof octets, AN_AUTH_VALID, AN_AUTH_CAUSE_NONE, "RSA-PSS SHA-256");
    check(14, d, n, rsa_a, bad, sizeof bad, AN_AUTH_INVALID, AN_AUTH_CAUSE_DATA_DIFFERS, NULL);
    check(14, d, n, rsa_b, octets, sizeof octets, AN_AUTH_INVALID, AN_AUTH_CAUSE_WRONG_KEY, NULL);
    check(14, d, n, rsa_a, NULL, 0, AN_AUTH_KEY_CONSISTENT, AN_AUTH_CAUSE_NONE, NULL);
    check(14, d, n, rsa_b, NULL, 0, AN_AUTH_INVALID, AN_AUTH_CAUSE_WRONG_KEY, NULL);
    /* an odd modulus size: EM is one octet shorter than the modulus (RFC 8017 §9.1.2) */
    EVP_PKEY *odd = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1025);
    cr_assert(odd);
    sl = sign(odd, EVP_sha256(), 32, octets, sizeof octets, sig, sizeof sig);
    n = auth14(pss_sha256, sig, sl, d);
    check(14, d, n, odd, octets, sizeof octets, AN_AUTH_VALID, AN_AUTH_CAUSE_NONE, NULL);
    check(14, d, n, odd, NULL, 0, AN_AUTH_KEY_CONSISTENT, AN_AUTH_CAUSE_NONE, NULL);
    check(14, d, n, odd, bad, sizeof bad, AN_AUTH_INVALID, AN_AUTH_CAUSE_DATA_DIFFERS, NULL);
    EVP_PKEY_free(odd);
}

/* RFC 4754: r||s, each as long as the curve's order. */
static size_t der_to_raw(const uint8_t *der, size_t dl, size_t half, uint8_t *raw)
{
    const unsigned char *p = der;
    ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)dl);
    cr_assert(s);
    cr_assert(BN_bn2binpad(ECDSA_SIG_get0_r(s), raw, (int)half) == (int)half);
    cr_assert(BN_bn2binpad(ECDSA_SIG_get0_s(s), raw + half, (int)half) == (int)half);
    ECDSA_SIG_free(s);
    return 2 * half;
}

Test(auth_verify, ecdsa)
{
    static const struct {
        uint8_t method;
        const char *curve;
        size_t half;
        const char *alg;
    } m[] = { { 9, "P-256", 32, "ECDSA P-256 SHA-256" }, { 10, "P-384", 48, "ECDSA P-384 SHA-384" },
              { 11, "P-521", 66, "ECDSA P-521 SHA-512" } };
    const EVP_MD *mds[] = { EVP_sha256(), EVP_sha384(), EVP_sha512() };
    EVP_PKEY *keys[3];
    for (int i = 0; i < 3; i++)
        cr_assert((keys[i] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", m[i].curve)));
    uint8_t der[200], raw[200], d[300], bad[sizeof octets];
    memcpy(bad, octets, sizeof bad);
    bad[10] ^= 4;
    for (int i = 0; i < 3; i++) {
        size_t dl = sign(keys[i], mds[i], -1, octets, sizeof octets, der, sizeof der);
        size_t rl = der_to_raw(der, dl, m[i].half, raw);
        check(m[i].method, raw, rl, keys[i], octets, sizeof octets, AN_AUTH_VALID, AN_AUTH_CAUSE_NONE, m[i].alg);
        check(m[i].method, raw, rl, keys[i], bad, sizeof bad, AN_AUTH_INVALID, AN_AUTH_CAUSE_KEY_OR_DATA, NULL);
        check(m[i].method, raw, rl, keys[i], NULL, 0, AN_AUTH_UNVERIFIABLE, AN_AUTH_CAUSE_NONE, NULL);
        /* the method names the curve: another curve's key is not acceptable */
        check(m[i].method, raw, rl, keys[(i + 1) % 3], octets, sizeof octets, AN_AUTH_INVALID,
              AN_AUTH_CAUSE_NOT_ACCEPTABLE, NULL);
        /* r||s of the wrong length */
        check(m[i].method, raw, rl - 1, keys[i], octets, sizeof octets, AN_AUTH_INVALID,
              AN_AUTH_CAUSE_NOT_ACCEPTABLE, NULL);
    }
    /* RFC 7427 ECDSA carries the DER form */
    size_t dl = sign(keys[0], EVP_sha256(), -1, octets, sizeof octets, der, sizeof der);
    size_t n = auth14(ecdsa_sha256, der, dl, d);
    check(14, d, n, keys[0], octets, sizeof octets, AN_AUTH_VALID, AN_AUTH_CAUSE_NONE, "ECDSA P-256 SHA-256");
    check(14, d, n, keys[1], octets, sizeof octets, AN_AUTH_INVALID, AN_AUTH_CAUSE_KEY_OR_DATA, NULL);
    for (int i = 0; i < 3; i++)
        EVP_PKEY_free(keys[i]);
}

Test(auth_verify, eddsa_and_mismatch, .init = keys, .fini = keys_free)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    cr_assert(k);
    uint8_t sig[128], d[200], bad[sizeof octets];
    memcpy(bad, octets, sizeof bad);
    bad[sizeof bad - 1] ^= 1;
    size_t sl = sign(k, NULL, -1, octets, sizeof octets, sig, sizeof sig);
    size_t n = auth14(ed25519, sig, sl, d);
    check(14, d, n, k, octets, sizeof octets, AN_AUTH_VALID, AN_AUTH_CAUSE_NONE, "Ed25519");
    check(14, d, n, k, bad, sizeof bad, AN_AUTH_INVALID, AN_AUTH_CAUSE_KEY_OR_DATA, NULL);
    /* an Ed25519 signature against an RSA certificate: method does not fit the key */
    check(14, d, n, rsa_a, octets, sizeof octets, AN_AUTH_INVALID, AN_AUTH_CAUSE_NOT_ACCEPTABLE, NULL);
    /* method 1 (RSA) with an Ed25519 key */
    check(1, sig, sl, k, octets, sizeof octets, AN_AUTH_INVALID, AN_AUTH_CAUSE_NOT_ACCEPTABLE, NULL);
    /* a malformed AlgorithmIdentifier, and a method that is no signature */
    check(14, (const uint8_t *)"\x05\x30\x03", 3, k, octets, sizeof octets, AN_AUTH_INVALID,
          AN_AUTH_CAUSE_NOT_ACCEPTABLE, NULL);
    check(2, sig, sl, k, octets, sizeof octets, AN_AUTH_UNVERIFIABLE, AN_AUTH_CAUSE_NONE, NULL);
    EVP_PKEY_free(k);
}

Test(rules_auth, invalid_signature_finding_and_auth_failed_cause)
{
    struct ike_sa sa = { .id = 1, .version = 2 };
    struct an_findings out = { 0 };
    struct an_finding *af = an_rule_add(&out, "auth.failed", &sa, NULL);
    cr_assert(af);
    snprintf(af->title, sizeof af->title, "Responder sent N(AUTHENTICATION_FAILED) in IKE_AUTH (decrypted)");
    snprintf(af->detail, sizeof af->detail, "The peer could not authenticate the other.");
    struct an_auth_checks ck = { 0 };
    ck.side[1].result = AN_AUTH_INVALID;
    ck.side[1].cause = AN_AUTH_CAUSE_DATA_DIFFERS;
    ck.side[1].method = 14;
    snprintf(ck.side[1].algorithm, sizeof ck.side[1].algorithm, "RSA PKCS#1 v1.5 SHA-256");
    snprintf(ck.side[1].reason, sizeof ck.side[1].reason, "made by the certificate's key, over other octets");
    ck.side[0].result = AN_AUTH_VALID;
    const struct an_profile_choice generic[2] = { { AN_PROFILE_GENERIC, "default" }, { AN_PROFILE_GENERIC, "default" } };
    an_rules_auth(&sa, &ck, generic, &out);
    cr_assert_eq(out.n, 2);
    cr_expect_str_eq(out.v[1].rule, "auth.invalid_signature");
    cr_expect_eq(out.v[1].windows_code, 13826);
    cr_expect(strstr(out.v[1].title, "covers other data") != NULL, "%s", out.v[1].title);
    cr_expect(strstr(out.v[0].detail, "the initiator's AUTH signature (RSA PKCS#1 v1.5 SHA-256) is invalid") != NULL,
              "%s", out.v[0].detail);
    an_findings_cleanup(&out);
}

/* A SHA-1 signature the receiver's SIGNATURE_HASH_ALGORITHMS did not list is 13838 for a
 * Windows receiver and 13826 otherwise; a valid SHA-1 signature refused for nothing else
 * the capture shows is auth.sha1_refused (likely, 13838). */
Test(rules_auth, sha1_by_receiver_profile)
{
    struct ike_sa sa = { .id = 1, .version = 2 };
    struct an_auth_checks ck = { 0 };
    ck.side[0].result = AN_AUTH_INVALID;
    ck.side[0].cause = AN_AUTH_CAUSE_NOT_ACCEPTABLE;
    ck.side[0].method = 14;
    snprintf(ck.side[0].algorithm, sizeof ck.side[0].algorithm, "RSA PKCS#1 v1.5 SHA-1");
    const struct an_profile_choice windows_initiator[2] = { { AN_PROFILE_STRONGSWAN, "Vendor ID" },
                                                            { AN_PROFILE_WINDOWS, "--peer-profile" } };
    const struct an_profile_choice generic[2] = { { AN_PROFILE_GENERIC, "default" }, { AN_PROFILE_GENERIC, "default" } };
    struct an_findings out = { 0 };
    an_rules_auth(&sa, &ck, windows_initiator, &out);
    cr_assert_eq(out.n, 1);
    cr_expect_eq(out.v[0].windows_code, 13838);
    an_findings_cleanup(&out);
    an_rules_auth(&sa, &ck, generic, &out);
    cr_expect_eq(out.v[0].windows_code, 13826);
    an_findings_cleanup(&out);

    ck.side[0].result = AN_AUTH_VALID;
    ck.side[0].cause = AN_AUTH_CAUSE_NONE;
    ck.side[0].method = 1;
    struct an_finding *af = an_rule_add(&out, "auth.failed", &sa, NULL);
    snprintf(af->title, sizeof af->title, "Initiator sent N(AUTHENTICATION_FAILED) in INFORMATIONAL (decrypted)");
    an_rules_auth(&sa, &ck, windows_initiator, &out);
    cr_assert_eq(out.n, 2);
    cr_expect_str_eq(out.v[1].rule, "auth.sha1_refused");
    cr_expect_eq(out.v[1].windows_code, 13838);
    cr_expect_eq(out.v[1].confidence, AN_CONF_LIKELY);
    an_findings_cleanup(&out);
    /* A chain finding explains the refusal better: no SHA-1 guess then. */
    af = an_rule_add(&out, "auth.failed", &sa, NULL);
    snprintf(af->title, sizeof af->title, "Initiator sent N(AUTHENTICATION_FAILED) in INFORMATIONAL (decrypted)");
    an_rule_add(&out, "chain.untrusted_root", &sa, NULL);
    an_rules_auth(&sa, &ck, windows_initiator, &out);
    cr_expect_eq(out.n, 2);
    an_findings_cleanup(&out);
}

/* Method 3 (RFC 7296 §3.8 DSS): SHA-1, r||s of 20 octets each, so a 160-bit q. */
Test(auth_verify, dss_method_3)
{
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL);
    EVP_PKEY *params = NULL, *k = NULL;
    cr_assert(pc && EVP_PKEY_paramgen_init(pc) > 0);
    cr_assert(EVP_PKEY_CTX_set_dsa_paramgen_bits(pc, 1024) > 0 && EVP_PKEY_CTX_set_dsa_paramgen_q_bits(pc, 160) > 0);
    cr_assert(EVP_PKEY_paramgen(pc, &params) > 0);
    EVP_PKEY_CTX_free(pc);
    pc = EVP_PKEY_CTX_new(params, NULL);
    cr_assert(pc && EVP_PKEY_keygen_init(pc) > 0 && EVP_PKEY_keygen(pc, &k) > 0);
    EVP_PKEY_CTX_free(pc);
    EVP_PKEY_free(params);
    uint8_t der[128], raw[40], bad[sizeof octets];
    memcpy(bad, octets, sizeof bad);
    bad[5] ^= 2;
    size_t dl = sign(k, EVP_sha1(), -1, octets, sizeof octets, der, sizeof der);
    size_t rl = der_to_raw(der, dl, 20, raw);
    check(3, raw, rl, k, octets, sizeof octets, AN_AUTH_VALID, AN_AUTH_CAUSE_NONE, "DSA SHA-1");
    check(3, raw, rl, k, bad, sizeof bad, AN_AUTH_INVALID, AN_AUTH_CAUSE_KEY_OR_DATA, NULL);
    check(3, raw, rl, k, NULL, 0, AN_AUTH_UNVERIFIABLE, AN_AUTH_CAUSE_NONE, NULL);
    EVP_PKEY_free(k);
}
