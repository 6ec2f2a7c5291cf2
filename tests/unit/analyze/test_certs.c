/* test_certs.c: CERT and CERTREQ/CR payloads as the reports summarise them: every field for
 * the lab PKI's certificates (tests/lab/pki), PKCS #7 bundles, CRLs, Hash and URL and raw
 * keys built here with OpenSSL, hostile DER, CA hashes resolved, and the bounded cache. */
#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/certs.h"
#include "ike/msg.h"
#include "ike/names.h"
#include "lab_pki.h"

/* ---- helpers ---- */

/* The DER of a lab certificate (malloc'd). */
static uint8_t *lab_der(const char *name, size_t *len)
{
    X509 *x = load_x509(name);
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    cr_assert(n > 0);
    uint8_t *out = malloc((size_t)n);
    memcpy(out, der, (size_t)n);
    OPENSSL_free(der);
    X509_free(x);
    *len = (size_t)n;
    return out;
}

static const struct an_x509 *lab_summary(const char *name)
{
    size_t len;
    uint8_t *der = lab_der(name, &len);
    const struct an_x509 *x = an_x509_get(NULL, der, len);
    free(der);
    cr_assert(x);
    cr_assert_str_eq(x->error, "", "%s: %s", name, x->error);
    return x;
}

static void expect_list(const struct an_strlist *l, const char *const *want, size_t n)
{
    cr_assert(l->present);
    cr_assert_eq(l->n, n);
    for (size_t i = 0; i < n; i++)
        cr_expect_str_eq(l->v[i], want[i]);
}

static const char *iso(int64_t t)
{
    static char buf[40];
    return an_cert_time(t, buf, sizeof buf);
}

static void sha1_spki(X509 *x, uint8_t out[20])
{
    unsigned char *der = NULL;
    int n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
    cr_assert(n > 0);
    EVP_Digest(der, (size_t)n, out, NULL, EVP_sha1(), NULL);
    OPENSSL_free(der);
}

/* A CERT / CERTREQ body: the encoding octet, then `data`. Kept in `store` until the test ends. */
struct body {
    uint8_t bytes[16384];
};

static struct ike_payload payload(uint8_t type, uint8_t enc, const void *data, size_t n, struct body *b)
{
    cr_assert(n + 1 <= sizeof b->bytes);
    b->bytes[0] = enc;
    if (n)
        memcpy(b->bytes + 1, data, n);
    struct ike_payload p = { .type = type, .body = b->bytes, .body_len = (uint32_t)(1 + n), .cert_encoding = enc };
    return p;
}

/* An SA of two messages: the initiator's carrying `ip` payloads, the responder's `rp`. */
static void two_msg_sa(struct ike_sa *sa, struct ike_sa_msg sm[2], uint8_t version, struct ike_payload *ip,
                       size_t ni, struct ike_payload *rp, size_t nr)
{
    memset(sa, 0, sizeof *sa);
    memset(sm, 0, 2 * sizeof *sm);
    sa->version = version;
    sa->id = 7;
    sa->msgs = sm;
    sa->nmsgs = 2;
    sm[0].from_initiator = true;
    sm[0].msg.version = version;
    sm[0].msg.payloads = ip;
    sm[0].msg.npayloads = ni;
    sm[1].msg.version = version;
    sm[1].msg.payloads = rp;
    sm[1].msg.npayloads = nr;
}

/* ---- X.509 fields ---- */

Test(certs, rsa_leaf_every_field)
{
    size_t len;
    uint8_t *der = lab_der("sun-rsa2048", &len);
    const struct an_x509 *x = an_x509_get(NULL, der, len);
    cr_assert(x);
    cr_expect_str_eq(x->error, "");
    cr_expect_str_eq(x->subject, "CN=sun.lab.ikescope.test,O=ikescope lab,C=XX");
    cr_expect_str_eq(x->issuer, "CN=ikescope Lab Server Intermediate CA,O=ikescope lab,C=XX");
    cr_expect_str_eq(x->subject_cn, "sun.lab.ikescope.test");
    cr_expect_str_eq(x->issuer_cn, "ikescope Lab Server Intermediate CA");
    cr_expect_str_eq(x->serial, "5b64c3999a6f453f");
    cr_assert(x->times_ok);
    cr_expect_str_eq(iso(x->not_before), "2025-01-01T00:00:00.000000Z");
    cr_expect_str_eq(iso(x->not_after), "2045-12-31T23:59:59.000000Z");
    cr_expect_str_eq(x->key, "RSA-2048");
    cr_expect_str_eq(x->signature_algorithm, "sha256WithRSAEncryption");
    expect_list(&x->san, (const char *[]){ "DNS:sun.lab.ikescope.test" }, 1);
    expect_list(&x->eku, (const char *[]){ "serverAuth", "ikeIntermediate" }, 2);
    cr_expect_not(x->key_usage.present, "the leaf has no keyUsage extension");
    cr_expect_null(x->ski);
    cr_expect_str_eq(x->aki, "73ed93839b4a37566263c2a47eabe3fc94992f67");
    uint8_t sha[32];
    char hex[80];
    EVP_Digest(der, len, sha, NULL, EVP_sha256(), NULL);
    cr_expect_str_eq(ike_hex(x->sha256, 32, hex, sizeof hex), ike_hex(sha, 32, (char[80]){ 0 }, 80));
    cr_expect_eq(x->der_len, len);
    an_x509_release(x);
    free(der);
}

Test(certs, intermediate_has_key_usage_and_ski)
{
    const struct an_x509 *x = lab_summary("int-a");
    cr_expect_str_eq(x->subject, "CN=ikescope Lab Server Intermediate CA,O=ikescope lab,C=XX");
    cr_expect_str_eq(x->issuer_cn, "ikescope Lab Root CA");
    cr_expect_str_eq(x->serial, "7483e4f6d2b57bbd");
    cr_expect_str_eq(x->signature_algorithm, "sha384WithRSAEncryption");
    expect_list(&x->key_usage, (const char *[]){ "keyCertSign", "cRLSign" }, 2);
    cr_expect_str_eq(x->ski, "73ed93839b4a37566263c2a47eabe3fc94992f67");
    cr_expect_str_eq(x->aki, "8f14f755c0aa871f079350001ae802741923bb28");
    cr_expect_not(x->san.present);
    cr_expect_not(x->eku.present);
    cr_expect_str_eq(iso(x->not_after), "2049-06-30T23:59:59.000000Z");
    an_x509_release(x);
}

struct key_case {
    const char *file, *key, *serial;
};

Test(certs, key_types_and_odd_certificates)
{
    static const struct key_case cases[] = {
        { "moon-rsa4096", "RSA-4096", "31e30f8223ecf983" },
        { "moon-p256", "EC-P256", "19607e000a2ebd07" },
        { "sun-p384", "EC-P384", "26b9f5f0c225caf6" },
        { "sun-ed25519", "Ed25519", "516e3425d3367ba4" },
        { "root-a", "RSA-4096", "52b8053da54f5f63" },
        { "sun-expired", "RSA-2048", "061d4593aa9d2e3b" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct an_x509 *x = lab_summary(cases[i].file);
        cr_expect_str_eq(x->key, cases[i].key, "%s", cases[i].file);
        cr_expect_str_eq(x->serial, cases[i].serial, "%s", cases[i].file);
        an_x509_release(x);
    }
    const struct an_x509 *x = lab_summary("sun-expired");
    cr_expect_str_eq(iso(x->not_before), "2024-01-02T00:00:00.000000Z");
    cr_expect_str_eq(iso(x->not_after), "2025-01-01T00:00:00.000000Z");
    an_x509_release(x);
    x = lab_summary("sun-clientauth");
    expect_list(&x->eku, (const char *[]){ "clientAuth" }, 1);
    an_x509_release(x);
    /* keyUsage cRLSign only: no digitalSignature, which a later check will want. */
    x = lab_summary("sun-crlsign-ku");
    expect_list(&x->key_usage, (const char *[]){ "cRLSign" }, 1);
    cr_expect_str_eq(x->ski, "18ccf8d0618eca0b6135331ac297dbddf9424eb4");
    an_x509_release(x);
    x = lab_summary("moon-ed25519");
    cr_expect_str_eq(x->subject_cn, "moon.lab.ikescope.test");
    cr_expect_str_eq(x->issuer_cn, "ikescope Lab Client Intermediate CA");
    an_x509_release(x);
}

/* A self-signed Ed25519 certificate with every kind of SAN the report names. */
static X509 *make_ed25519_cert(EVP_PKEY **key_out)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    cr_assert(k);
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 0x1234);
    X509_NAME *n = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"Test, Inc.", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"edge\x01test", -1, -1, 0);
    X509_set_issuer_name(x, n);
    ASN1_TIME_set_string(X509_getm_notBefore(x), "20260102030405Z");
    ASN1_TIME_set_string(X509_getm_notAfter(x), "20991231235959Z");
    X509_set_pubkey(x, k);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    const struct { int nid; const char *value; } exts[] = {
        { NID_subject_alt_name, "DNS:gw.example.test,IP:192.0.2.2,IP:2001:db8::1,email:vpn@example.test,"
                                "URI:http://example.test/" },
        { NID_ext_key_usage, "ipsecIKE,1.3.6.1.5.5.8.2.2,1.2.3.4" },
        { NID_key_usage, "digitalSignature,keyEncipherment" },
        { NID_subject_key_identifier, "hash" },
    };
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, exts[i].nid, exts[i].value);
        cr_assert(e, "extension %d", exts[i].nid);
        X509_add_ext(x, e, -1);
        X509_EXTENSION_free(e);
    }
    cr_assert(X509_sign(x, k, NULL) > 0);
    *key_out = k;
    return x;
}

Test(certs, ed25519_signed_with_every_san_kind)
{
    EVP_PKEY *k;
    X509 *cert = make_ed25519_cert(&k);
    unsigned char *der = NULL;
    int n = i2d_X509(cert, &der);
    const struct an_x509 *x = an_x509_get(NULL, der, (size_t)n);
    cr_assert(x);
    cr_expect_str_eq(x->error, "");
    cr_expect_str_eq(x->signature_algorithm, "ED25519");
    cr_expect_str_eq(x->key, "Ed25519");
    cr_expect_str_eq(x->serial, "1234");
    /* RFC 2253 escapes the comma and the control byte, which is never printed raw. */
    cr_expect_str_eq(x->subject, "CN=edge\\01test,O=Test\\, Inc.");
    cr_expect_str_eq(x->subject_cn, "edge\\x01test");
    expect_list(&x->san,
                (const char *[]){ "DNS:gw.example.test", "IP:192.0.2.2", "IP:2001:db8::1", "email:vpn@example.test",
                                  "URI:http://example.test/" },
                5);
    expect_list(&x->eku, (const char *[]){ "ipsecIKE", "ikeIntermediate", "1.2.3.4" }, 3);
    expect_list(&x->key_usage, (const char *[]){ "digitalSignature", "keyEncipherment" }, 2);
    cr_expect(x->ski && strlen(x->ski) == 40);
    cr_expect_null(x->aki);
    cr_expect_str_eq(iso(x->not_before), "2026-01-02T03:04:05.000000Z");
    cr_expect_str_eq(iso(x->not_after), "2099-12-31T23:59:59.000000Z");
    an_x509_release(x);
    OPENSSL_free(der);
    X509_free(cert);
    EVP_PKEY_free(k);
}

/* ---- hostile DER ---- */

Test(certs, truncated_and_garbled_der_give_an_error)
{
    size_t len;
    uint8_t *der = lab_der("sun-rsa2048", &len);
    /* Every prefix: an error, never a crash or a half-filled summary. */
    for (size_t n = 0; n < len; n++) {
        const struct an_x509 *x = an_x509_get(NULL, der, n);
        cr_assert(x);
        cr_assert_neq(x->error[0], '\0', "prefix %zu parsed", n);
        cr_assert_null(x->subject);
        an_x509_release(x);
    }
    /* One byte more than the certificate: bytes outside what was signed. */
    uint8_t *longer = malloc(len + 1);
    memcpy(longer, der, len);
    longer[len] = 0;
    const struct an_x509 *x = an_x509_get(NULL, longer, len + 1);
    cr_expect_str_eq(x->error, "1 bytes after the certificate");
    an_x509_release(x);
    free(longer);
    /* Bytes flipped all over: each either parses or says why not. */
    uint32_t seed = 12345;
    uint8_t *copy = malloc(len);
    for (int round = 0; round < 2000; round++) {
        memcpy(copy, der, len);
        for (int k = 0; k < 1 + round % 4; k++) {
            seed = seed * 1103515245u + 12345u;
            copy[(seed >> 8) % len] ^= (uint8_t)(1u << ((seed >> 4) & 7));
        }
        x = an_x509_get(NULL, copy, len);
        cr_assert(x);
        cr_assert(x->error[0] || (x->subject && x->issuer), "round %d", round);
        an_x509_release(x);
    }
    free(copy);
    /* Not DER at all. */
    x = an_x509_get(NULL, (const uint8_t *)"\x30\x82\xff\xff garbage", 12);
    cr_expect_str_eq(x->error, "not a DER X.509 certificate");
    an_x509_release(x);
    free(der);
}

/* ---- payloads of an SA ---- */

Test(certs, sa_certificates_and_requests_resolved)
{
    static struct body b[8];
    size_t leaf_len, ca_len;
    uint8_t *leaf = lab_der("sun-rsa2048", &leaf_len);
    uint8_t *ca = lab_der("int-a", &ca_len);
    X509 *int_a = load_x509("int-a"), *root = load_x509("root-a");
    uint8_t hashes[3 * 20];
    sha1_spki(int_a, hashes);
    sha1_spki(root, hashes + 20);
    memset(hashes + 40, 0xab, 20);
    struct ike_payload ip[] = {
        payload(IKE2_PL_CERTREQ, 4, hashes, 60, &b[0]),
        payload(IKE2_PL_CERTREQ, 4, NULL, 0, &b[1]),           /* any CA */
        payload(IKE2_PL_CERTREQ, 4, hashes, 30, &b[2]),        /* ragged */
    };
    struct ike_payload rp[] = {
        payload(IKE2_PL_CERT, 4, leaf, leaf_len, &b[3]),
        payload(IKE2_PL_CERT, 4, ca, ca_len, &b[4]),
        payload(IKE2_PL_CERT, 4, leaf, leaf_len - 10, &b[5]),  /* cut short */
    };
    struct ike_sa sa;
    struct ike_sa_msg sm[2];
    two_msg_sa(&sa, sm, 2, ip, 3, rp, 3);
    struct an_sa_certs cs;
    cr_assert_eq(an_sa_certs_collect(&sa, NULL, &cs), 0);
    cr_assert_eq(cs.ncerts, 3);
    for (unsigned i = 0; i < 3; i++) {
        cr_expect_not(cs.certs[i].from_initiator);
        cr_expect_eq(cs.certs[i].index, i);
        cr_expect_eq(cs.certs[i].msg, 1);
        cr_expect_eq(cs.certs[i].kind, AN_CERT_X509);
    }
    cr_expect_str_eq(cs.certs[0].x->subject_cn, "sun.lab.ikescope.test");
    cr_expect_str_eq(cs.certs[1].x->subject_cn, "ikescope Lab Server Intermediate CA");
    cr_expect_str_eq(cs.certs[2].error, "not a DER X.509 certificate");
    cr_expect_eq(cs.certs[2].length, leaf_len - 10);

    cr_assert_eq(cs.nreqs, 6);
    cr_expect(cs.reqs[0].from_initiator && cs.reqs[0].has_sha1);
    cr_assert(cs.reqs[0].ca, "the intermediate's key hash names the intermediate sent in the SA");
    cr_expect_str_eq(cs.reqs[0].ca->subject, "CN=ikescope Lab Server Intermediate CA,O=ikescope lab,C=XX");
    cr_expect_null(cs.reqs[1].ca, "the root was not sent: its hash stays a hash");
    cr_expect(cs.reqs[1].has_sha1 && memcmp(cs.reqs[1].ca_sha1, hashes + 20, 20) == 0);
    cr_expect_null(cs.reqs[2].ca);
    cr_expect(cs.reqs[3].any_ca && !cs.reqs[3].has_sha1);
    cr_expect(cs.reqs[4].has_sha1 && !cs.reqs[4].error[0]);
    cr_expect_str_eq(cs.reqs[5].error, "10 octets left over after the 20-octet hashes");
    an_sa_certs_cleanup(&cs);

    /* A retransmission sends nothing new. */
    sm[1].retransmission = true;
    cr_assert_eq(an_sa_certs_collect(&sa, NULL, &cs), 0);
    cr_expect_eq(cs.ncerts, 0);
    an_sa_certs_cleanup(&cs);
    X509_free(int_a);
    X509_free(root);
    free(leaf);
    free(ca);
}

Test(certs, ikev1_cr_names_a_dn)
{
    static struct body b[3];
    X509 *root = load_x509("root-a");
    unsigned char *dn = NULL;
    int n = i2d_X509_NAME(X509_get_subject_name(root), &dn);
    size_t leaf_len;
    uint8_t *leaf = lab_der("moon-rsa2048", &leaf_len);
    struct ike_payload ip[] = {
        payload(IKE1_PL_CR, 4, dn, (size_t)n, &b[0]),
        payload(IKE1_PL_CR, 4, "\x01\x02", 2, &b[1]),
        payload(IKE1_PL_CERT, 4, leaf, leaf_len, &b[2]),
    };
    struct ike_sa sa;
    struct ike_sa_msg sm[2];
    two_msg_sa(&sa, sm, 1, ip, 3, NULL, 0);
    struct an_sa_certs cs;
    cr_assert_eq(an_sa_certs_collect(&sa, NULL, &cs), 0);
    cr_assert_eq(cs.nreqs, 2);
    cr_expect_str_eq(cs.reqs[0].dn, "CN=ikescope Lab Root CA,O=ikescope lab,C=XX");
    cr_expect_not(cs.reqs[0].has_sha1);
    cr_expect_null(cs.reqs[1].dn);
    cr_expect_str_eq(cs.reqs[1].error, "2 bytes that are not a DER distinguished name");
    cr_assert_eq(cs.ncerts, 1);
    cr_expect(cs.certs[0].from_initiator);
    cr_expect_str_eq(cs.certs[0].x->subject_cn, "moon.lab.ikescope.test");
    an_sa_certs_cleanup(&cs);
    OPENSSL_free(dn);
    X509_free(root);
    free(leaf);
}

Test(certs, pkcs7_bundle_crl_hash_url_raw_key_other)
{
    static struct body b[8];
    X509 *leaf = load_x509("sun-p384"), *ca = load_x509("int-a");
    /* RFC 2315 degenerate signed-data: certificates and nothing signed. */
    PKCS7 *p7 = PKCS7_new();
    cr_assert(PKCS7_set_type(p7, NID_pkcs7_signed));
    cr_assert(PKCS7_content_new(p7, NID_pkcs7_data));
    PKCS7_add_certificate(p7, leaf);
    PKCS7_add_certificate(p7, ca);
    unsigned char *p7der = NULL;
    int p7len = i2d_PKCS7(p7, &p7der);
    cr_assert(p7len > 0);

    /* A CRL signed by the intermediate, with a next update. */
    EVP_PKEY *cakey = load_key("int-a");
    X509_CRL *crl = X509_CRL_new();
    X509_CRL_set_version(crl, 1);
    X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca));
    ASN1_TIME *t = ASN1_TIME_new();
    ASN1_TIME_set_string(t, "20261124120000Z");
    X509_CRL_set1_lastUpdate(crl, t);
    ASN1_TIME_set_string(t, "20261201120000Z");
    X509_CRL_set1_nextUpdate(crl, t);
    ASN1_TIME_free(t);
    cr_assert(X509_CRL_sign(crl, cakey, EVP_sha256()) > 0);
    unsigned char *crlder = NULL;
    int crllen = i2d_X509_CRL(crl, &crlder);

    unsigned char *spki = NULL;
    int spkilen = i2d_PUBKEY(X509_get0_pubkey(leaf), &spki);
    uint8_t hu[20 + 32];
    memset(hu, 0x5a, 20);
    memcpy(hu + 20, "http://ca.example.test/sun\n.der", 31);

    struct ike_payload rp[] = {
        payload(IKE2_PL_CERT, 1, p7der, (size_t)p7len, &b[0]),
        payload(IKE2_PL_CERT, 7, crlder, (size_t)crllen, &b[1]),
        payload(IKE2_PL_CERT, 12, hu, 51, &b[2]),
        payload(IKE2_PL_CERT, 13, hu, 10, &b[3]),
        payload(IKE2_PL_CERT, 15, spki, (size_t)spkilen, &b[4]),
        payload(IKE2_PL_CERT, 2, "pgp!", 4, &b[5]),
        payload(IKE2_PL_CERT, 1, "\x30\x00", 2, &b[6]),
    };
    struct ike_sa sa;
    struct ike_sa_msg sm[2];
    two_msg_sa(&sa, sm, 2, NULL, 0, rp, 7);
    struct an_sa_certs cs;
    cr_assert_eq(an_sa_certs_collect(&sa, NULL, &cs), 0);
    cr_assert_eq(cs.ncerts, 8);
    /* The bundle's certificates, each on its own, in bundle order. */
    cr_expect_eq(cs.certs[0].encoding, 1);
    cr_expect_eq(cs.certs[0].kind, AN_CERT_X509);
    cr_expect_str_eq(cs.certs[0].x->key, "EC-P384");
    cr_expect_str_eq(cs.certs[1].x->subject_cn, "ikescope Lab Server Intermediate CA");
    cr_expect_eq(cs.certs[1].index, 1);
    cr_expect_eq(cs.certs[2].kind, AN_CERT_CRL);
    cr_expect_str_eq(cs.certs[2].error, "");
    cr_expect_str_eq(cs.certs[2].issuer, "CN=ikescope Lab Server Intermediate CA,O=ikescope lab,C=XX");
    cr_expect_str_eq(iso(cs.certs[2].this_update), "2026-11-24T12:00:00.000000Z");
    cr_expect(cs.certs[2].has_next_update);
    cr_expect_str_eq(iso(cs.certs[2].next_update), "2026-12-01T12:00:00.000000Z");
    cr_expect_eq(cs.certs[3].kind, AN_CERT_HASH_URL);
    cr_expect_str_eq(cs.certs[3].url, "http://ca.example.test/sun\\x0a.der");
    cr_expect_eq(cs.certs[3].url_sha1[19], 0x5a);
    cr_expect_str_eq(cs.certs[4].error, "10 bytes, shorter than the 20-octet hash");
    cr_expect_eq(cs.certs[5].kind, AN_CERT_RAW_KEY);
    cr_expect_str_eq(cs.certs[5].key, "EC-P384");
    cr_expect_eq(cs.certs[6].kind, AN_CERT_OTHER);
    cr_expect_eq(cs.certs[6].length, 4);
    cr_expect_str_eq(cs.certs[7].error, "not a DER PKCS #7 structure");
    cr_expect_eq(cs.certs[7].index, 7);

    /* PEM out: only parsed certificates, and they read back. */
    char *pem = NULL;
    size_t pemlen = 0;
    FILE *f = open_memstream(&pem, &pemlen);
    cr_assert(an_cert_write_pem(&cs.certs[0], f));
    cr_expect_not(an_cert_write_pem(&cs.certs[2], f), "a CRL is not written as a certificate");
    fclose(f);
    BIO *bio = BIO_new_mem_buf(pem, (int)pemlen);
    X509 *back = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    cr_assert(back);
    cr_expect_eq(X509_cmp(back, leaf), 0);
    X509_free(back);
    BIO_free(bio);
    free(pem);

    an_sa_certs_cleanup(&cs);
    OPENSSL_free(p7der);
    OPENSSL_free(crlder);
    OPENSSL_free(spki);
    PKCS7_free(p7);
    X509_CRL_free(crl);
    EVP_PKEY_free(cakey);
    X509_free(leaf);
    X509_free(ca);
}

Test(certs, too_many_are_counted_not_kept)
{
    static struct body b;
    uint8_t hashes[100 * 20];
    memset(hashes, 1, sizeof hashes);
    struct ike_payload ip = payload(IKE2_PL_CERTREQ, 4, hashes, sizeof hashes, &b);
    struct ike_sa sa;
    struct ike_sa_msg sm[2];
    two_msg_sa(&sa, sm, 2, &ip, 1, NULL, 0);
    struct an_sa_certs cs;
    cr_assert_eq(an_sa_certs_collect(&sa, NULL, &cs), 0);
    cr_expect_eq(cs.nreqs, AN_SA_MAX_CERTREQS);
    cr_expect_eq(cs.reqs_dropped, 100 - AN_SA_MAX_CERTREQS);
    an_sa_certs_cleanup(&cs);
}

/* ---- the cache ---- */

Test(certs, cache_parses_once_and_stays_bounded)
{
    static const char *const files[] = {
        "sun-rsa2048", "sun-rsa4096", "sun-p384", "sun-ed25519", "moon-rsa2048", "moon-p256",
        "int-a", "int-b", "root-a", "root-b",
    };
    struct an_cert_cache *c = an_cert_cache_new(4);
    struct an_cert_cache_stats st;
    size_t len;
    uint8_t *der = lab_der("sun-rsa2048", &len);
    const struct an_x509 *a = an_x509_get(c, der, len);
    const struct an_x509 *b = an_x509_get(c, der, len);
    cr_expect_eq(a, b, "the same DER twice is one summary");
    an_cert_cache_stats(c, &st);
    cr_expect_eq(st.misses, 1);
    cr_expect_eq(st.hits, 1);
    an_x509_release(a);
    an_x509_release(b);

    /* Ten certificates through four slots: four kept, six evicted, the summary still held by
     * a caller survives its eviction. */
    const struct an_x509 *held = an_x509_get(c, der, len);
    for (size_t i = 1; i < sizeof files / sizeof files[0]; i++) {
        size_t n;
        uint8_t *d = lab_der(files[i], &n);
        an_x509_release(an_x509_get(c, d, n));
        free(d);
    }
    an_cert_cache_stats(c, &st);
    cr_expect_eq(st.entries, 4);
    cr_expect_eq(st.capacity, 4);
    cr_expect_eq(st.evictions, 6);
    cr_expect_str_eq(held->subject_cn, "sun.lab.ikescope.test");
    an_x509_release(held);

    /* Least recently used goes first: touch root-b, add two more; root-b stays. */
    size_t n;
    uint8_t *rb = lab_der("root-b", &n);
    an_x509_release(an_x509_get(c, rb, n));
    for (int i = 0; i < 2; i++) {
        size_t m;
        uint8_t *d = lab_der(i ? "sun-clientauth" : "sun-expired", &m);
        an_x509_release(an_x509_get(c, d, m));
        free(d);
    }
    an_cert_cache_stats(c, &st);
    uint64_t hits = st.hits;
    an_x509_release(an_x509_get(c, rb, n));
    an_cert_cache_stats(c, &st);
    cr_expect_eq(st.hits, hits + 1, "root-b was used recently and is still cached");
    free(rb);

    /* Thousands of SAs carrying the same two certificates: parsed once each. */
    static struct body bodies[2];
    size_t ca_len;
    uint8_t *ca = lab_der("int-a", &ca_len);
    struct ike_payload rp[] = { payload(IKE2_PL_CERT, 4, der, len, &bodies[0]),
                                payload(IKE2_PL_CERT, 4, ca, ca_len, &bodies[1]) };
    struct ike_sa sa;
    struct ike_sa_msg sm[2];
    two_msg_sa(&sa, sm, 2, NULL, 0, rp, 2);
    an_cert_cache_stats(c, &st);
    uint64_t misses = st.misses;
    for (int i = 0; i < 3000; i++) {
        struct an_sa_certs cs;
        cr_assert_eq(an_sa_certs_collect(&sa, c, &cs), 0);
        cr_assert_eq(cs.ncerts, 2);
        an_sa_certs_cleanup(&cs);
    }
    an_cert_cache_stats(c, &st);
    cr_expect_leq(st.misses - misses, 2);
    cr_expect_eq(st.entries, 4);
    free(ca);
    free(der);
    an_cert_cache_free(c);
}
