/* test_trust.c: chain verification over the lab PKI (tests/lab/pki) at chosen times:
 * valid, expired, not yet valid, revoked by a CRL built here, untrusted root, missing
 * intermediate; trust files that cannot be read; identities against SANs; the cache. */
#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/certs.h"
#include "analyze/rules_certs.h"
#include "analyze/trust.h"
#include "lab_pki.h"

#define CAPTURE_TIME 1795523606 /* 2026-11-24T12:33:26Z, when the lab recorded */

static char *pki(const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", PKI_DIR, name);
    return buf;
}

/* root-a trusted, as the lab initiator does. */
static struct an_trust *lab_trust(void)
{
    struct an_trust *t = an_trust_new(8);
    char path[1024], err[256];
    cr_assert(t);
    cr_assert_eq(an_trust_add_ca(t, pki("root-a.crt", path, sizeof path), err, sizeof err), 0, "%s", err);
    return t;
}

static void verify(struct an_trust *t, const char *leaf, const char *inter, int64_t at, struct an_chain_result *r)
{
    X509 *l = load_x509(leaf);
    X509 *i = inter ? load_x509(inter) : NULL;
    cr_assert_eq(an_trust_verify(t, l, i ? &i : NULL, i ? 1 : 0, at, r), 0);
    X509_free(l);
    X509_free(i);
}

Test(trust, valid_chain_names_the_anchor)
{
    struct an_trust *t = lab_trust();
    struct an_chain_result r;
    verify(t, "sun-rsa2048", "int-a", CAPTURE_TIME, &r);
    cr_assert_eq(r.status, AN_CHAIN_OK, "%s", r.reason);
    cr_assert_str_eq(r.root, "ikescope Lab Root CA");
    cr_assert(r.top_self_signed);
    an_trust_free(t);
}

Test(trust, expired_and_not_yet_valid)
{
    struct an_trust *t = lab_trust();
    struct an_chain_result r;
    verify(t, "sun-expired", "int-a", CAPTURE_TIME, &r);
    cr_assert_eq(r.status, AN_CHAIN_EXPIRED);
    cr_assert_eq(r.depth, 0);
    verify(t, "sun-notyet", "int-a", CAPTURE_TIME, &r);
    cr_assert_eq(r.status, AN_CHAIN_NOT_YET_VALID);
    /* At a time inside its validity the same certificate is fine. */
    verify(t, "sun-notyet", "int-a", 2240611200 /* 2041-01-01 */, &r);
    cr_assert_eq(r.status, AN_CHAIN_OK, "%s", r.reason);
    an_trust_free(t);
}

Test(trust, missing_intermediate_names_the_issuer)
{
    struct an_trust *t = lab_trust();
    struct an_chain_result r;
    verify(t, "sun-rsa2048", NULL, CAPTURE_TIME, &r);
    cr_assert_eq(r.status, AN_CHAIN_MISSING_INTERMEDIATE);
    cr_assert_str_eq(r.issuer, "ikescope Lab Server Intermediate CA");
    an_trust_free(t);
}

Test(trust, untrusted_root_with_the_root_as_intermediate)
{
    struct an_trust *t = lab_trust();
    char path[1024], err[256];
    cr_assert_eq(an_trust_add_intermediate(t, pki("root-b.crt", path, sizeof path), err, sizeof err), 0);
    struct an_chain_result r;
    verify(t, "sun-rootb", NULL, CAPTURE_TIME, &r);
    cr_assert_eq(r.status, AN_CHAIN_UNTRUSTED_ROOT, "%d %s", r.error, r.reason);
    cr_assert_str_eq(r.root, "ikescope Unrelated Root CA");
    an_trust_free(t);
}

/* A CRL of int-a revoking sun-revoked (keyCompromise), written to a file. */
static void write_crl(const char *path)
{
    X509 *ca = load_x509("int-a"), *victim = load_x509("sun-revoked");
    EVP_PKEY *key = load_key("int-a");
    X509_CRL *crl = X509_CRL_new();
    cr_assert(crl);
    X509_CRL_set_version(crl, 1);
    X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca));
    ASN1_TIME *t = ASN1_TIME_set(NULL, CAPTURE_TIME - 3600);
    ASN1_TIME *next = ASN1_TIME_set(NULL, CAPTURE_TIME + 30 * 86400);
    X509_CRL_set1_lastUpdate(crl, t);
    X509_CRL_set1_nextUpdate(crl, next);
    X509_REVOKED *rev = X509_REVOKED_new();
    X509_REVOKED_set_serialNumber(rev, X509_get_serialNumber(victim));
    X509_REVOKED_set_revocationDate(rev, t);
    ASN1_ENUMERATED *reason = ASN1_ENUMERATED_new();
    ASN1_ENUMERATED_set(reason, 1);
    X509_REVOKED_add1_ext_i2d(rev, NID_crl_reason, reason, 0, 0);
    ASN1_ENUMERATED_free(reason);
    X509_CRL_add0_revoked(crl, rev);
    X509_CRL_sort(crl);
    cr_assert(X509_CRL_sign(crl, key, EVP_sha256()) > 0);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    PEM_write_X509_CRL(f, crl);
    fclose(f);
    ASN1_TIME_free(t);
    ASN1_TIME_free(next);
    X509_CRL_free(crl);
    EVP_PKEY_free(key);
    X509_free(ca);
    X509_free(victim);
}

Test(trust, revoked_by_crl)
{
    char path[] = "/tmp/ikescope-test-crl-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    write_crl(path);
    struct an_trust *t = lab_trust();
    char err[256];
    cr_assert_eq(an_trust_add_crl(t, path, err, sizeof err), 0, "%s", err);
    struct an_chain_result r;
    verify(t, "sun-revoked", "int-a", CAPTURE_TIME, &r);
    cr_assert_eq(r.status, AN_CHAIN_REVOKED, "%d %s", r.error, r.reason);
    cr_assert_str_eq(r.serial, "216cebe44a0b2163");
    cr_assert_str_eq(r.revoked_reason, "keyCompromise");
    cr_assert_str_eq(r.crl_issuer, "ikescope Lab Server Intermediate CA");
    /* A CRL of int-a says nothing about int-b's certificates: not available, not revoked. */
    verify(t, "moon-rsa2048", "int-b", CAPTURE_TIME, &r);
    cr_assert_eq(r.status, AN_CHAIN_OK, "%s", r.reason);
    an_trust_free(t);
    unlink(path);
}

Test(trust, cache_verifies_each_chain_once)
{
    struct an_trust *t = an_trust_new(2);
    char path[1024], err[256];
    cr_assert_eq(an_trust_add_ca(t, pki("root-a.crt", path, sizeof path), err, sizeof err), 0);
    struct an_chain_result r;
    for (int i = 0; i < 100; i++)
        verify(t, "sun-rsa2048", "int-a", CAPTURE_TIME + i * 3600, &r); /* no edge in 100 hours */
    struct an_trust_stats st;
    an_trust_stats(t, &st);
    cr_assert_eq(st.misses, 1);
    cr_assert_eq(st.hits, 99);
    verify(t, "sun-expired", "int-a", CAPTURE_TIME, &r);
    verify(t, "sun-notyet", "int-a", CAPTURE_TIME, &r);
    an_trust_stats(t, &st);
    cr_assert_eq(st.entries, 2);
    cr_assert_eq(st.evictions, 1);
    an_trust_free(t);
}

/* A certificate valid from `not_before`, signed by `ca` (self-signed when NULL). */
static X509 *fresh_cert(const char *cn, EVP_PKEY *key, X509 *ca, EVP_PKEY *ca_key, int64_t not_before, bool is_ca)
{
    X509 *x = X509_new();
    cr_assert(x);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), (long)(not_before & 0xffffff));
    X509_NAME *name = X509_NAME_new();
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"fresh pki", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_subject_name(x, name);
    X509_set_issuer_name(x, ca ? X509_get_subject_name(ca) : name);
    X509_NAME_free(name);
    ASN1_TIME_set(X509_getm_notBefore(x), (time_t)not_before);
    ASN1_TIME_set(X509_getm_notAfter(x), (time_t)(not_before + 86400 * 365));
    X509_set_pubkey(x, key);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, ca ? ca : x, x, NULL, NULL, 0);
    X509_EXTENSION *bc = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "CA:FALSE");
    X509_add_ext(x, bc, -1);
    X509_EXTENSION_free(bc);
    cr_assert(X509_sign(x, ca_key ? ca_key : key, EVP_sha256()) > 0);
    return x;
}

/* Automated PKIs and labs issue a CA and a certificate seconds before the negotiation: the
 * chain is valid from that second on, not before, and a cached answer for a later second
 * of the same minute must not leak to an earlier one. */
Test(trust, ca_issued_seconds_before)
{
    const int64_t issued = 1795523613; /* 12:33:33, mid-minute */
    EVP_PKEY *ca_key = EVP_EC_gen("P-256"), *ee_key = EVP_EC_gen("P-256");
    cr_assert(ca_key && ee_key);
    X509 *ca = fresh_cert("fresh root", ca_key, NULL, NULL, issued, true);
    X509 *ee = fresh_cert("fresh gateway", ee_key, ca, ca_key, issued, false);
    char path[] = "/tmp/ikescope-test-fresh-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    PEM_write_X509(f, ca);
    fclose(f);
    struct an_trust *t = an_trust_new(8);
    char err[256];
    cr_assert_eq(an_trust_add_ca(t, path, err, sizeof err), 0, "%s", err);
    struct an_chain_result r;
    cr_assert_eq(an_trust_verify(t, ee, NULL, 0, issued + 2, &r), 0);
    cr_assert_eq(r.status, AN_CHAIN_OK, "%s", r.reason);
    cr_assert_eq(an_trust_verify(t, ee, NULL, 0, issued, &r), 0);
    cr_assert_eq(r.status, AN_CHAIN_OK, "valid from its own second: %s", r.reason);
    cr_assert_eq(an_trust_verify(t, ee, NULL, 0, issued - 1, &r), 0);
    cr_assert_eq(r.status, AN_CHAIN_NOT_YET_VALID, "one second early, the same minute: %s", r.reason);
    cr_assert_eq(r.not_before, issued);
    /* Both later seconds were answered from the one verification. */
    struct an_trust_stats st;
    an_trust_stats(t, &st);
    cr_assert_eq(st.misses, 2);
    cr_assert_eq(st.hits, 1);
    an_trust_free(t);
    unlink(path);
    X509_free(ca);
    X509_free(ee);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(ee_key);
}

Test(trust, no_anchors_no_verdict)
{
    struct an_trust *t = an_trust_new(4);
    X509 *l = load_x509("sun-rsa2048");
    struct an_chain_result r;
    cr_assert_eq(an_trust_verify(t, l, NULL, 0, CAPTURE_TIME, &r), -1);
    X509_free(l);
    an_trust_free(t);
}

Test(trust, files_that_cannot_be_read)
{
    struct an_trust *t = an_trust_new(4);
    char err[256], path[1024];
    cr_assert_eq(an_trust_add_ca(t, "/nonexistent/ca.pem", err, sizeof err), -1);
    cr_assert_str_eq(err, "/nonexistent/ca.pem: cannot read the --ca file: No such file or directory");
    cr_assert_eq(an_trust_add_crl(t, pki("root-a.crt", path, sizeof path), err, sizeof err), -1);
    cr_assert(strstr(err, "holds no CRL"));
    cr_assert_eq(an_trust_add_intermediate(t, pki("README.md", path, sizeof path), err, sizeof err), -1);
    cr_assert(strstr(err, "holds no certificate"));
    /* A directory of certificates (and keys, which are skipped). */
    cr_assert_eq(an_trust_add_ca(t, PKI_DIR, err, sizeof err), 0, "%s", err);
    cr_assert(an_trust_has_anchors(t));
    an_trust_free(t);
}

Test(identity, type_aware_matching)
{
    X509 *x = load_x509("sun-rsa2048");
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    const struct an_x509 *s = an_x509_get(NULL, der, (size_t)n);
    cr_assert(s);
    cr_assert(an_cert_names_identity(s, "FQDN", "sun.lab.ikescope.test"));
    cr_assert(an_cert_names_identity(s, "FQDN", "SUN.lab.ikescope.test"));
    cr_assert_not(an_cert_names_identity(s, "FQDN", "vpn.lab.ikescope.test"));
    cr_assert_not(an_cert_names_identity(s, "RFC822_ADDR", "sun.lab.ikescope.test"));
    cr_assert_not(an_cert_names_identity(s, "IPV4_ADDR", "192.0.2.2"));
    cr_assert(an_cert_names_identity(s, "DER_ASN1_DN", "CN=sun.lab.ikescope.test,O=ikescope lab,C=XX"));
    an_x509_release(s);
    OPENSSL_free(der);
    X509_free(x);
}
