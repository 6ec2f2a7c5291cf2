/* psk_auth.h: candidate pre-shared keys (--psk, --psk-file) and the IKEv2 shared-key AUTH
 * (method 2, RFC 7296 §2.15) of each side recomputed with them. */
#ifndef IKESCOPE_ANALYZE_PSK_AUTH_H
#define IKESCOPE_ANALYZE_PSK_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/crypto/prf.h"
#include "ike/crypto/secret.h"
#include "ike/sa.h"

/* One candidate: its bytes (wiped when the list is cleaned up) and where it came from,
 * "--psk #1" or "line 3 of --psk-file FILE"; the origin never holds key material. */
struct an_psk {
    struct ike_secret key;
    char origin[320];
};

/* Candidates in command-line order; position i is reported as candidate i + 1. */
struct an_psk_list {
    struct an_psk *v;
    size_t n, cap;
};

enum an_psk_status {
    AN_PSK_OK = 0,
    AN_PSK_IO,     /* the file cannot be read (err names it) */
    AN_PSK_NOMEM,
};

/* Adds a copy of `len` bytes (empty candidates are ignored). */
enum an_psk_status an_psk_add(struct an_psk_list *l, const uint8_t *p, size_t len, const char *origin);

/* Adds one candidate per line of `path` (trailing LF/CR stripped, empty lines skipped).
 * The file is read unbuffered into one buffer that is wiped afterwards. On failure `err`
 * gets one line naming the file, never its content. */
enum an_psk_status an_psk_load_file(struct an_psk_list *l, const char *path, char *err, size_t errlen);

/* Wipes and frees every candidate. */
void an_psk_list_cleanup(struct an_psk_list *l);

/*
 * AUTH = prf(prf(psk, "Key Pad for IKEv2"), RealMessage | NonceData | prf(SK_p, RestOfIDPayload))
 * (RFC 7296 §2.15). `real_msg` is the sender's IKE_SA_INIT message as sent, `nonce` the
 * peer's nonce data, `sk_p` the sender's SK_pi/SK_pr, `id_body` its ID payload body after
 * the generic header. `out` takes ike_prf_out_len(prf) bytes (*out_len says how many).
 */
enum ike_prf_status an_psk_auth_compute(uint16_t prf, const uint8_t *psk, size_t psk_len,
                                        const uint8_t *real_msg, size_t real_len,
                                        const uint8_t *nonce, size_t nonce_len,
                                        const uint8_t *sk_p, size_t sk_p_len,
                                        const uint8_t *id_body, size_t id_len,
                                        uint8_t out[IKE_PRF_MAX_OUT], size_t *out_len);

enum an_psk_result {
    AN_PSK_NOT_SENT = 0,     /* this side sent no shared-key AUTH that we saw: nothing to check */
    AN_PSK_MATCHED,
    AN_PSK_NO_MATCH,
    AN_PSK_UNVERIFIABLE,
};

const char *an_psk_result_name(enum an_psk_result r); /* "matched", "no-match", "unverifiable" */

struct an_psk_side {
    enum an_psk_result result;
    unsigned candidate;                /* 1-based position of the match, 0 when none */
    const struct ike_sa_msg *auth_msg; /* the message with the AUTH payload (borrowed from the SA) */
    char reason[160];                  /* why not verifiable, or what was compared; no key material */
};

struct an_psk_checks {
    struct an_psk_side side[2]; /* [1] initiator, [0] responder */
    size_t ncandidates;
};

/* For each side of an IKEv2 SA whose first AUTH in IKE_AUTH is method 2 (not keyed with an
 * EAP MSK, RFC 7296 §2.16), recomputes AUTH with every candidate and compares in constant
 * time. `cands` may be NULL or empty (then the sides are unverifiable). */
void an_psk_check_sa(const struct ike_sa *sa, const struct an_psk_list *cands, struct an_psk_checks *out);

#endif
