/* sig_alg.h: the signature method of an RFC 7427 §3 AUTH payload (method 14): the one-byte
 * length, the AlgorithmIdentifier it prefixes, and the signature value after it. */
#ifndef IKESCOPE_ANALYZE_SIG_ALG_H
#define IKESCOPE_ANALYZE_SIG_ALG_H

#include <stddef.h>
#include <stdint.h>

enum an_sig_scheme {
    AN_SIG_UNKNOWN = 0,
    AN_SIG_RSA_PKCS1,  /* RSASSA-PKCS1-v1_5 */
    AN_SIG_RSA_PSS,    /* RSASSA-PSS (RFC 4055 parameters) */
    AN_SIG_ECDSA,      /* DER Ecdsa-Sig-Value; the curve is the key's */
    AN_SIG_ED25519,    /* RFC 8420: hash is intrinsic */
    AN_SIG_ED448,
    AN_SIG_DSA,
};

/* Hash identifiers are OpenSSL NIDs (NID_sha256, ...); 0 means none (EdDSA). */
struct an_sig_alg {
    enum an_sig_scheme scheme;
    int hash;        /* message digest */
    int mgf1_hash;   /* RSA-PSS only */
    int salt_len;    /* RSA-PSS only */
};

enum an_sig_alg_status {
    AN_SIG_ALG_OK = 0,
    AN_SIG_ALG_TRUNCATED,   /* the length byte or the AlgorithmIdentifier runs past the AUTH data */
    AN_SIG_ALG_MALFORMED,   /* not one DER AlgorithmIdentifier of exactly that length, or bad parameters */
    AN_SIG_ALG_UNKNOWN,     /* well formed, but not a signature algorithm we know */
};

/*
 * `data` is the AUTH data after the 4-byte method/reserved header. On success `*alg` says the
 * scheme and hashes and `*sig`/`*sig_len` borrow the signature value (may be empty). `oid` (may
 * be NULL) takes the dotted algorithm OID when it is known to be well formed, for messages.
 */
enum an_sig_alg_status an_sig_alg_parse(const uint8_t *data, size_t len, struct an_sig_alg *alg,
                                        const uint8_t **sig, size_t *sig_len, char *oid, size_t oid_len);

/* "SHA-256", "none" for 0, "unknown" otherwise. */
const char *an_sig_hash_name(int nid);

/* "RSA PKCS#1 v1.5", "RSA-PSS", "ECDSA", "Ed25519", "Ed448", "DSA", "unknown". */
const char *an_sig_scheme_name(enum an_sig_scheme s);

/* IANA "Hash Algorithm Identifiers" of RFC 7427 §7 (SIGNATURE_HASH_ALGORITHMS) for a NID:
 * 1 SHA1, 2 SHA2-256, 3 SHA2-384, 4 SHA2-512, 5 Identity (RFC 8420, for EdDSA); 0 if none. */
uint16_t an_sig_hash_iana(int nid, enum an_sig_scheme s);

#endif
