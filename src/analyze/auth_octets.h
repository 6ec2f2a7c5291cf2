/* auth_octets.h: what an IKEv2 AUTH payload covers (RFC 7296 §2.15), shared by the shared-key
 * check (psk_auth.c) and the signature check (auth_verify.c):
 *   InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI,  MACedIDForI = prf(SK_pi, RestOfInitIDPayload)
 *   ResponderSignedOctets = RealMessage2 | NonceIData | MACedIDForR,  MACedIDForR = prf(SK_pr, RestOfRespIDPayload) */
#ifndef IKESCOPE_ANALYZE_AUTH_OCTETS_H
#define IKESCOPE_ANALYZE_AUTH_OCTETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/crypto/prf.h"
#include "ike/sa.h"

/* The first AUTH a side sent in IKE_AUTH (borrowed from the SA). `after_eap` is set when an
 * EAP payload went before it: then it is keyed with the EAP MSK (RFC 7296 §2.16). */
struct an_auth_first {
    const struct ike_sa_msg *msg;
    const struct ike_payload *auth;
    const struct ike_payload *id;   /* IDi or IDr of the same message, or NULL */
    bool after_eap;
};

/* False when this side sent no AUTH in an IKE_AUTH message that the capture shows. */
bool an_auth_first_find(const struct ike_sa *sa, bool initiator, struct an_auth_first *out);

/* True when the SA ran IKE_INTERMEDIATE exchanges, which add to the signed octets (RFC 9242). */
bool an_auth_has_intermediate(const struct ike_sa *sa);

/* The side's RealMessage (its IKE_SA_INIT message as sent, the one that carried the nonce
 * the exchange settled on) and the peer's nonce data. False when the capture lacks either or
 * holds only part of the message. `peer_init` (may be NULL) gets the peer's IKE_SA_INIT message. */
bool an_auth_init_parts(const struct ike_sa *sa, bool initiator, const uint8_t **real, size_t *real_len,
                        const uint8_t **nonce, size_t *nonce_len, const struct ike_sa_msg **peer_init);

/* Fills `out` with the three pieces of the signed octets; the third borrows `macid`, which
 * takes prf(SK_p, id_body) (ike_prf_out_len(prf) bytes; the caller wipes it). */
enum ike_prf_status an_auth_signed_octets(uint16_t prf, const uint8_t *real, size_t real_len,
                                          const uint8_t *nonce, size_t nonce_len,
                                          const uint8_t *sk_p, size_t sk_p_len,
                                          const uint8_t *id_body, size_t id_len,
                                          uint8_t macid[IKE_PRF_MAX_OUT], struct ike_chunk out[3]);

#endif
