/* certs.h: the certificates and certificate requests an IKE SA carried (RFC 7296 §3.6-§3.7,
 * RFC 2408 §3.9-§3.10, RFC 7670), extracted and summarised for reports. Nothing here
 * verifies a chain, a validity period or a signature: it says what was sent. */
#ifndef IKESCOPE_ANALYZE_CERTS_H
#define IKESCOPE_ANALYZE_CERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ike/sa.h"

struct x509_st; /* OpenSSL's X509 */

#define AN_CERT_CACHE_DEFAULT 256 /* certificate summaries kept across SAs */
#define AN_SA_MAX_CERTS 64        /* certificates kept per SA, the rest counted */
#define AN_SA_MAX_CERTREQS 64     /* CA requests kept per SA, the rest counted */
#define AN_X509_MAX_LIST 32       /* SAN / EKU entries kept per certificate */

/* A list of printable strings (owned); `present` is false when the certificate has no such
 * extension at all, which is not the same as an empty one. */
struct an_strlist {
    char **v;
    size_t n;
    bool present;
};

/*
 * What one DER X.509 certificate says. Made once per distinct DER (see the cache), shared
 * by every SA that carried it and immutable after that: take a reference with the cache,
 * drop it with an_x509_release. Strings are printable (control bytes as \xNN; UTF-8 kept).
 */
struct an_x509 {
    unsigned refs;             /* owners: the cache, and every an_cert that points here */
    uint8_t sha256[32];        /* of the DER: the cache key */
    size_t der_len;
    char error[96];            /* "" when it parsed; else why not, and nothing below is set */
    struct x509_st *cert;      /* the parsed certificate (owned), for later verification */
    char *subject, *issuer;    /* RFC 2253, "CN=sun.lab.ikescope.test,O=ikescope lab,C=XX" */
    char *subject_cn, *issuer_cn; /* the last commonName of each, or NULL */
    char *serial;              /* lowercase hex */
    bool times_ok;             /* both validity times could be read */
    int64_t not_before, not_after; /* seconds since 1970, UTC */
    char key[64];              /* "RSA-2048", "EC-P256", "Ed25519", ... */
    char signature_algorithm[64]; /* OpenSSL's long name, "sha256WithRSAEncryption" */
    struct an_strlist san;     /* "DNS:sun.lab.ikescope.test", "IP:192.0.2.2", "email:..." */
    struct an_strlist eku;     /* "serverAuth", "ipsecIKE", "ikeIntermediate", or the OID */
    struct an_strlist key_usage; /* "digitalSignature", "keyEncipherment", ... */
    char *ski, *aki;           /* key identifiers, lowercase hex, or NULL when absent */
    /* RFC 7296 §3.7: a CERTREQ names a CA by the SHA-1 of its SubjectPublicKeyInfo. Some
     * implementations hash the key's bits alone (RFC 5280 §4.2.1.2 method 1); keep both. */
    uint8_t spki_sha1[20], key_sha1[20];
};

/* A bounded cache of summaries keyed by the SHA-256 of the DER, least recently used out
 * first, so certificates recurring over thousands of SAs are parsed once and memory stays
 * at `capacity` entries (plus those the SA being reported still holds). */
struct an_cert_cache;
struct an_cert_cache_stats {
    size_t entries, capacity;
    uint64_t hits, misses, evictions;
};

struct an_cert_cache *an_cert_cache_new(size_t capacity);
void an_cert_cache_free(struct an_cert_cache *c);
void an_cert_cache_stats(const struct an_cert_cache *c, struct an_cert_cache_stats *out);

/* The summary of `der` (borrowed; malformed DER gives one with `error` set), from the cache
 * or made now. `cache` may be NULL (nothing kept). Returns a new reference, NULL when out of
 * memory. */
const struct an_x509 *an_x509_get(struct an_cert_cache *cache, const uint8_t *der, size_t len);
void an_x509_release(const struct an_x509 *x);

/* What a CERT payload held, by its encoding (RFC 7296 §3.6, RFC 2408 §3.9). */
enum an_cert_kind {
    AN_CERT_X509 = 0, /* a certificate: encoding 4, IKEv1 5, or one inside PKCS #7 (1) */
    AN_CERT_CRL,      /* 7 */
    AN_CERT_HASH_URL, /* IKEv2 12, 13: where to fetch it (never fetched) */
    AN_CERT_RAW_KEY,  /* IKEv2 15 (RFC 7670): a SubjectPublicKeyInfo */
    AN_CERT_OTHER,    /* anything else: encoding and length only */
};

/* One certificate as one side sent it. */
struct an_cert {
    bool from_initiator;
    unsigned index;            /* 0-based per sender, in the order sent */
    uint8_t encoding;          /* the CERT payload's encoding */
    enum an_cert_kind kind;
    size_t msg;                /* index into sa->msgs of the message that carried it */
    size_t length;             /* bytes: the certificate's DER, else the payload's data */
    uint8_t sha256[32];        /* of those bytes */
    char error[96];            /* "" or why it could not be read */
    const struct an_x509 *x;   /* AN_CERT_X509: a reference (also when malformed) */
    char *issuer;              /* AN_CERT_CRL: RFC 2253 (owned) */
    bool has_next_update;
    int64_t this_update, next_update; /* AN_CERT_CRL */
    char *url;                 /* AN_CERT_HASH_URL (owned, printable) */
    uint8_t url_sha1[20];      /* AN_CERT_HASH_URL: SHA-1 of the certificate or bundle */
    char key[64];              /* AN_CERT_RAW_KEY: "EC-P256", ... */
};

/* One CA a side asked for (IKEv2 CERTREQ: one per hash; IKEv1 CR: one per payload). */
struct an_certreq {
    bool from_initiator;
    uint8_t encoding;
    size_t msg;                /* index into sa->msgs */
    bool any_ca;               /* no hash and no name: any CA will do */
    bool has_sha1;
    uint8_t ca_sha1[20];       /* IKEv2, encoding 4: SHA-1 of the CA's SubjectPublicKeyInfo */
    const struct an_x509 *ca;  /* a certificate in the same SA with that key, or NULL (borrowed
                                * from the an_sa_certs that holds this request) */
    char *dn;                  /* IKEv1 CR: the CA's distinguished name, RFC 2253 (owned) */
    char error[96];            /* "" or what is wrong with the request */
    /* The requested CA as far as anything shows it (an_certs_resolve_requests): "" when
     * nothing does. Sources: "capture", "--ca", "--intermediate", "system store", and
     * "request" for an IKEv1 CR, whose DN is the name. */
    char ca_name[160];         /* commonName, else the DN */
    char ca_dn[320];           /* RFC 2253 */
    const char *ca_source;
    bool ca_self_signed;       /* the CA found is a root */
};

struct an_sa_certs {
    struct an_cert *certs;
    size_t ncerts;
    uint64_t certs_dropped;    /* beyond AN_SA_MAX_CERTS */
    struct an_certreq *reqs;
    size_t nreqs;
    uint64_t reqs_dropped;     /* beyond AN_SA_MAX_CERTREQS */
};

/* Walks the SA's messages (cleartext and decrypted payloads; retransmissions skipped) and
 * fills `out`, which the caller releases with an_sa_certs_cleanup. `cache` may be NULL.
 * Returns 0, or -1 when memory ran out (what was collected is kept). */
int an_sa_certs_collect(const struct ike_sa *sa, struct an_cert_cache *cache, struct an_sa_certs *out);
void an_sa_certs_cleanup(struct an_sa_certs *s);

/* The commonName of an RFC 2253 DN ("CN=x,O=y" gives "x", escapes undone), or the whole
 * DN when it has none. */
void an_dn_common_name(const char *dn, char *out, size_t len);

struct an_trust;
/* Names every request of `s`: from the certificates in the SA, else from the trust files
 * (`trust` may be NULL), else the IKEv1 request's own DN. */
void an_certs_resolve_requests(struct an_sa_certs *s, struct an_trust *trust);

/* A certificate among `s` whose public key hashes to `sha1` (see an_x509.spki_sha1), or NULL. */
const struct an_x509 *an_certs_find_ca(const struct an_sa_certs *s, const uint8_t sha1[20]);

/* Writes a parsed X.509 certificate as PEM; false when `c` is none or writing failed. */
bool an_cert_write_pem(const struct an_cert *c, FILE *f);

/* "2045-12-31T23:59:59.000000Z", the report's time format, for a certificate time. */
const char *an_cert_time(int64_t t, char *buf, size_t len);

#endif
