/* auth_verify.h: IKEv2 signature AUTH of each side verified with the sender's certificate key
 * (RFC 7296 §2.15 methods 1 and 3, RFC 4754 methods 9-11, RFC 7427 method 14, RFC 8420 EdDSA). */
#ifndef IKESCOPE_ANALYZE_AUTH_VERIFY_H
#define IKESCOPE_ANALYZE_AUTH_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "ike/sa.h"

enum an_auth_result {
    AN_AUTH_NOT_SENT = 0,   /* no signature AUTH from this side: nothing to report */
    AN_AUTH_VALID,
    AN_AUTH_INVALID,
    AN_AUTH_KEY_CONSISTENT, /* opens with the key; the signed data was not checked */
    AN_AUTH_UNVERIFIABLE,
};

enum an_auth_cause {
    AN_AUTH_CAUSE_NONE = 0,
    AN_AUTH_CAUSE_WRONG_KEY,      /* not made by the certificate's key */
    AN_AUTH_CAUSE_DATA_DIFFERS,   /* made by the key over other octets than the capture shows */
    AN_AUTH_CAUSE_KEY_OR_DATA,    /* one of the two; the scheme cannot tell which (ECDSA, EdDSA, DSA) */
    AN_AUTH_CAUSE_NOT_ACCEPTABLE, /* hash or method not acceptable to the receiver */
};

const char *an_auth_result_name(enum an_auth_result r); /* "valid", "invalid", "key-consistent", "unverifiable" */
const char *an_auth_cause_name(enum an_auth_cause c);   /* "wrong-key", "signed-data-differs", ... */

/* The verdict on one signature. No key material, ever. */
struct an_sig_verdict {
    enum an_auth_result result;
    enum an_auth_cause cause;
    int hash;                /* OpenSSL NID of the hash used, 0 for EdDSA or unknown */
    char algorithm[48];      /* "RSA-PSS SHA-256", "ECDSA P-256 SHA-256", "Ed25519" */
    char reason[320];
};

/*
 * Verifies AUTH data `data` (after the 4-byte method/reserved header) of `method` with `key`.
 * `octets` NULL means the signed octets are not known (no SK_p): an RSA signature is then opened
 * with the key (key-consistent or invalid), any other is unverifiable.
 */
void an_auth_verify_sig(uint8_t method, const uint8_t *data, size_t len, EVP_PKEY *key,
                        const uint8_t *octets, size_t octets_len, struct an_sig_verdict *v);

/* Bounded cache of verdicts keyed by SHA-256 over (method, key DER, AUTH data, signed octets). */
struct an_auth_cache;
#define AN_AUTH_CACHE_DEFAULT 256
struct an_auth_cache *an_auth_cache_new(size_t capacity);
void an_auth_cache_free(struct an_auth_cache *c);

struct an_auth_check {
    enum an_auth_result result;
    enum an_auth_cause cause;
    uint8_t method;
    char algorithm[48];
    char reason[320];
    const struct ike_sa_msg *auth_msg; /* borrowed from the SA */
};

struct an_auth_checks {
    struct an_auth_check side[2]; /* [1] initiator, [0] responder */
};

/* Checks the first signature AUTH of each side of an IKEv2 SA. `cache` may be NULL. */
void an_auth_check_sa(const struct ike_sa *sa, struct an_auth_cache *cache, struct an_auth_checks *out);

#endif
