/* trust.h: what the verifying side trusts (CA certificates, CRLs, extra intermediates)
 * and X.509 path validation against it (RFC 5280 §6 by OpenSSL), at a chosen time. */
#ifndef IKESCOPE_ANALYZE_TRUST_H
#define IKESCOPE_ANALYZE_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct x509_st; /* OpenSSL's X509 */

/* Owns an X509_STORE of trust anchors, untrusted intermediates, CRLs and a bounded cache
 * of verification results. */
struct an_trust;

struct an_trust *an_trust_new(size_t cache_capacity);
void an_trust_free(struct an_trust *t);

/* Each returns 0, or -1 with one line in `err` naming the file and what is wrong with it.
 * --ca: a PEM file (one or many certificates), a DER certificate, or a directory of such
 * files (those holding no certificate are skipped; a directory with none is an error). */
int an_trust_add_ca(struct an_trust *t, const char *path, char *err, size_t len);
/* --intermediate: certificates that may complete a chain but are not trusted. */
int an_trust_add_intermediate(struct an_trust *t, const char *path, char *err, size_t len);
/* --crl: PEM (one or many) or DER CRLs; checked for every certificate of a chain. */
int an_trust_add_crl(struct an_trust *t, const char *path, char *err, size_t len);
/* --system-ca: OpenSSL's default verify paths. */
int an_trust_add_system(struct an_trust *t, char *err, size_t len);

/* Were trust anchors given? Without them nothing is called untrusted. */
bool an_trust_has_anchors(const struct an_trust *t);
bool an_trust_has_crls(const struct an_trust *t);

/* A CA certificate of the trust files whose public key hashes to `sha1` (SHA-1 of the
 * SubjectPublicKeyInfo DER or of the key bits, as CERTREQ names CAs, RFC 7296 §3.7). */
struct an_trust_ca {
    char name[160];      /* commonName, else the subject */
    char dn[320];        /* the subject, RFC 2253 */
    char issuer_dn[320]; /* its issuer, RFC 2253 */
    const char *source;  /* "--ca", "--intermediate" or "system store" */
    bool self_signed;
};
bool an_trust_find_ca(struct an_trust *t, const uint8_t sha1[20], struct an_trust_ca *out);

/* The CA certificates --ca and --intermediate gave, in the order given (the system store
 * is not counted: its hundreds of public roots say nothing about a private VPN PKI). */
size_t an_trust_user_ca_count(const struct an_trust *t);
bool an_trust_user_ca(const struct an_trust *t, size_t i, struct an_trust_ca *out);
/* A CA of the trust files (--system-ca included) whose subject is `dn` (RFC 2253 as
 * an_trust_dn writes it), as an IKEv1 CR names a CA. */
bool an_trust_find_ca_dn(struct an_trust *t, const char *dn, struct an_trust_ca *out);

struct X509_name_st; /* OpenSSL's X509_NAME */
/* The name as RFC 2253, control bytes as '?'. */
void an_trust_dn(const struct X509_name_st *name, char *out, size_t len);

enum an_chain_status {
    AN_CHAIN_OK = 0,
    AN_CHAIN_UNTRUSTED_ROOT,       /* the chain ends in a self-signed CA not trusted */
    AN_CHAIN_MISSING_INTERMEDIATE, /* an issuer is neither sent, given, nor trusted */
    AN_CHAIN_EXPIRED,
    AN_CHAIN_NOT_YET_VALID,
    AN_CHAIN_REVOKED,
    AN_CHAIN_BAD_SIGNATURE,
    AN_CHAIN_PATH_LENGTH,
    AN_CHAIN_INVALID,              /* anything else OpenSSL refused: see `reason` */
};

struct an_chain_result {
    enum an_chain_status status;
    int error;                /* OpenSSL's X509_V_ERR_*, 0 when valid */
    int depth;                /* 0 = the end-entity certificate */
    char reason[160];         /* OpenSSL's words for the error, "" when valid */
    char subject[160];        /* commonName (else subject) of the certificate at `depth` */
    char issuer[160];         /* ... and of its issuer: the missing one for MISSING_INTERMEDIATE */
    char issuer_dn[320];      /* that issuer's DN, RFC 2253 */
    char root[160];           /* the trust anchor reached (OK), or the untrusted root */
    int64_t not_before, not_after; /* of the certificate at `depth` (EXPIRED, NOT_YET_VALID) */
    char serial[80];          /* REVOKED: serial of the revoked certificate, hex */
    char crl_issuer[160];     /* REVOKED: who signed the CRL */
    char revoked_reason[40];  /* REVOKED: RFC 5280 §5.3.1 reason, "" when the CRL gives none */
    int64_t revoked_at;       /* REVOKED: revocationDate */
    size_t chain_len;         /* certificates in the chain OpenSSL built */
    /* SHA-1s of the public keys of the CAs in the built chain (depth 1..), to compare with
     * CERTREQ hashes: SubjectPublicKeyInfo DER and key bits for each. */
    uint8_t ca_spki_sha1[8][20], ca_key_sha1[8][20];
    size_t nca;
    bool top_self_signed;     /* the chain built ends in a self-signed certificate */
};

/* Verifies `leaf` with `others` (the rest of what its sender sent, borrowed) and the
 * --intermediate certificates as untrusted helpers, at `at` (seconds since 1970),
 * checking CRLs when some were given. The result is cached by the SHA-256 of each
 * certificate, and reused only for check times at which no certificate or CRL involved
 * changes validity, so every answer is the one for `at` itself. Returns 0, -1 when there
 * are no trust anchors or memory ran out. */
int an_trust_verify(struct an_trust *t, struct x509_st *leaf, struct x509_st *const *others,
                    size_t nothers, int64_t at, struct an_chain_result *out);

struct an_trust_stats {
    size_t entries, capacity;
    uint64_t hits, misses, evictions;
};
void an_trust_stats(const struct an_trust *t, struct an_trust_stats *out);

/* "untrusted_root", "missing_intermediate", ... as in the JSON `chain` field. */
const char *an_chain_status_name(enum an_chain_status s);

#endif
