/* sa_internal.h: what the SA tracker's parts (outcome, learning, decryption) promise each other. */
#ifndef IKESCOPE_IKE_SA_INTERNAL_H
#define IKESCOPE_IKE_SA_INTERNAL_H

#include "ike/sa.h"

/* IKEv2 exchange types (RFC 7296 §3.1) and IKEv1 ones (RFC 2408 §3.1) used by the tracker. */
enum {
    IKE2_EXCH_SA_INIT = 34,
    IKE2_EXCH_AUTH = 35,
    IKE2_EXCH_CREATE_CHILD_SA = 36,
    IKE2_EXCH_INFORMATIONAL = 37,
    IKE1_EXCH_MAIN = 2,
    IKE1_EXCH_AGGRESSIVE = 4,
    IKE1_EXCH_INFORMATIONAL = 5,
    IKE1_EXCH_TRANSACTION = 6,
    IKE1_EXCH_QUICK = 32,
};

/* IKEv2 notify types the tracker reasons about (RFC 7296 §3.10.1). */
enum {
    IKE2_N_INVALID_KE_PAYLOAD = 17,
    IKE2_N_AUTHENTICATION_FAILED = 24,
    IKE2_N_COOKIE = 16390,
};

/* sa_outcome.c: decide outcome and evidence from the whole timeline. */
void ike_sa_judge(struct ike_sa *sa);
/* Does the SA's latest exchange ask the initiator to retry IKE_SA_INIT
 * (INVALID_KE_PAYLOAD or COOKIE in the responder's answer)? */
bool ike_sa_asks_retry(const struct ike_sa *sa);
/* Has the negotiation reached a point after which nothing more is expected
 * (failed outright)? Such SAs are released after a short idle time. */
bool ike_sa_looks_settled(const struct ike_sa *sa);
/* First notify in the message (cleartext or decrypted) that is an error, or NULL. */
const struct ike_payload *ike_sa_msg_error_notify(const struct ike_sa *sa, const struct ike_sa_msg *sm);

/* Is this message fragment 2 or later of an RFC 7383 (SKF) or IKEv1 (FRAG)
 * fragmented message? Such fragments do not count as separate sends. */
bool ike_sa_msg_is_later_fragment(const struct ike_sa_msg *sm);

/* sa_fragments.c: flag fragmented messages that lack fragments (IKE_AN_FRAG_MISSING). */
void ike_sa_check_fragments(struct ike_sa *sa);

/* sa_learn.c: take negotiated algorithms from the responder's SA payload. */
void ike_sa_learn(struct ike_sa *sa, size_t idx);

/* sa_decrypt.c: decrypt message idx with the key store if keys fit. */
void ike_sa_decrypt_msg(struct ike_sa *sa, size_t idx, const struct ike_keystore *keys);
void ike_sa_crypto_free(struct ike_sa *sa);

#endif
